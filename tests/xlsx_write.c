/* xlsx_write: writes a data folder as one Excel workbook with
 * libxlsxwriter, the way an office's spreadsheet holds it, for
 * tests/cli/86-xlsx.sh: a sheet a file (hospitals under its Thai name
 * "หน่วยบริการ"), numbers as numbers (codes with a leading zero as text),
 * months as dates formatted year-month, efficiency7's counts as formulas
 * with their cached values, a merged title row above finance's header, and
 * dataset.ini as a sheet "dataset" of key/value rows.
 *
 *     xlsx_write DATA_DIR OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "reader.h"

static const char *const files[] = {"provinces", "hospitals", "finance", "trial_balance", "eclaim", "efficiency7",
                                    "cmi", "ha", "kpi", "kpi_stages", "kpi_notes", "cmi_prev", NULL};

static int is_number(const char *s)
{
    const char *p = s + (*s == '-');
    if (!*p || (p[0] == '0' && p[1] && p[1] != '.'))
        return 0; /* a code such as 01234 stays text */
    int dot = 0;
    for (; *p; p++)
        if (*p == '.' && !dot++)
            continue;
        else if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int is_month(const char *s, int *y, int *m)
{
    return strlen(s) == 7 && s[4] == '-' && sscanf(s, "%4d-%2d", y, m) == 2;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: xlsx_write DATA_DIR OUT.xlsx\n", stderr);
        return 2;
    }
    lxw_workbook *wb = workbook_new(argv[2]);
    if (!wb)
        return 1;
    lxw_format *ym = workbook_add_format(wb);
    format_set_num_format(ym, "yyyy-mm");
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    diag_ctx *d = diag_new();
    int rc = 0;
    for (int f = 0; files[f] && !rc; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.csv", argv[1], files[f]);
        FILE *probe = fopen(path, "r");
        if (!probe)
            continue;
        fclose(probe);
        reader_table *t = reader_read_csv(path, NULL, d);
        if (!t) {
            rc = 1;
            break;
        }
        lxw_worksheet *ws = workbook_add_worksheet(wb, !strcmp(files[f], "hospitals") ? "หน่วยบริการ" : files[f]);
        int top = 0, ncols = (int)reader_table_columns(t);
        if (!strcmp(files[f], "finance")) { /* a title above the header, merged across it */
            worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), "ข้อมูลการเงินรายเดือน", title);
            top = 1;
        }
        for (int c = 0; c < ncols; c++)
            worksheet_write_string(ws, (lxw_row_t)top, (lxw_col_t)c, reader_table_header(t, c)->text, NULL);
        for (size_t r = 0; r < reader_table_rows(t); r++)
            for (int c = 0; c < ncols; c++) {
                const reader_cell *cell = reader_table_cell(t, r, c);
                lxw_row_t row = (lxw_row_t)(top + 1 + r);
                int y, m;
                if (!cell || !cell->text[0])
                    continue;
                if (is_month(cell->text, &y, &m)) {
                    lxw_datetime dt = {y >= 2400 ? y - 543 : y, m, 1, 0, 0, 0};
                    worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, ym);
                } else if (is_number(cell->text) && !strcmp(files[f], "efficiency7") && c == 1) {
                    char formula[64];
                    snprintf(formula, sizeof formula, "=%s+0", cell->text);
                    worksheet_write_formula_num(ws, row, (lxw_col_t)c, formula, NULL, strtod(cell->text, NULL));
                } else if (is_number(cell->text)) {
                    worksheet_write_number(ws, row, (lxw_col_t)c, strtod(cell->text, NULL), NULL);
                } else {
                    worksheet_write_string(ws, row, (lxw_col_t)c, cell->text, NULL);
                }
            }
        reader_table_free(t);
    }
    /* dataset.ini as key/value rows */
    char path[4096];
    snprintf(path, sizeof path, "%s/dataset.ini", argv[1]);
    FILE *ini = fopen(path, "r");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "dataset");
    worksheet_write_string(ws, 0, 0, "key", NULL);
    worksheet_write_string(ws, 0, 1, "value", NULL);
    char line[512];
    lxw_row_t row = 1;
    while (ini && fgets(line, sizeof line, ini)) {
        char key[128], value[384];
        if (line[0] == ';' || line[0] == '[' || sscanf(line, " %127[a-z_] = %383[^\n]", key, value) != 2)
            continue;
        worksheet_write_string(ws, row, 0, key, NULL);
        worksheet_write_string(ws, row++, 1, value, NULL);
    }
    if (ini)
        fclose(ini);
    diag_print(d, stderr);
    diag_free(d);
    if (workbook_close(wb) != LXW_NO_ERROR)
        rc = 1;
    return rc;
}
