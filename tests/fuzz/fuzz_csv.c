/* libFuzzer target: the CSV reader with encoding detection (UTF-8, BOM,
 * Windows-874) and the field grammars: any bytes in, a table or an error
 * out, never a crash, a leak or a hang. The first byte picks the encoding
 * asked for, the rest is the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const enc[] = {NULL, "auto", "utf-8", "windows-874", "tis-620"};
    const char *want = enc[data[0] % 5];
    diag_ctx *d = diag_new();
    if (!d)
        return 0;
    reader_table *t = reader_parse_csv("fuzz.csv", (const char *)data + 1, size - 1, want, d);
    for (size_t r = 0; t && r < reader_table_rows(t); r++)
        for (int c = 0; c < 4; c++) {
            const reader_cell *cell = reader_table_cell(t, r, c);
            if (!cell)
                continue;
            int64_t v;
            reader_date dt;
            char code[6];
            reader_parse_money(cell->text, &v);
            reader_parse_decimal(cell->text, 4, &v);
            reader_parse_date(cell->text, &dt);
            reader_parse_month(cell->text, &dt);
            reader_parse_hcode(cell->text, code);
            hosp_level l;
            model_level_parse(cell->text, &l);
        }
    if (t) {
        static const char *const req[] = {"code", NULL}, *const opt[] = {"name_th", NULL};
        reader_table_expect(t, req, opt, d);
    }
    reader_table_free(t);
    diag_free(d);
    return 0;
}
