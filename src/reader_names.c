/* reader_names: a table's column names against the names a file should
 * have: a required column missing (with the header cell nearly its name),
 * an unknown column ignored, and "did you mean" by edit distance. Only
 * through the reader's public accessors (reader.h). */
#include <string.h>

#include "reader.h"

static int listed(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

/* Edit distance of two short names (bytes), for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *reader_did_you_mean(const char *name, const char *const *a, const char *const *b)
{
    const char *best = NULL;
    size_t bd = 3; /* at most two edits, and fewer than half the name */
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l; l++) {
            size_t dist = edit_distance(name, *l);
            if (dist < bd && dist * 2 < strlen(*l)) {
                bd = dist;
                best = *l;
            }
        }
    return best;
}

int reader_table_expect(const reader_table *t, const char *const *required, const char *const *optional,
                        diag_ctx *d)
{
    const char *name = reader_table_name(t);
    size_t ncols = reader_table_columns(t);
    int missing = 0;
    for (const char *const *r = required; r && *r; r++)
        if (reader_table_column(t, *r) < 0) {
            /* a header cell that is nearly this name is what was meant */
            const reader_cell *near = NULL;
            for (size_t i = 0; i < ncols && !near; i++) {
                const reader_cell *h = reader_table_header(t, (int)i);
                const char *const one[2] = {*r, NULL};
                if (!listed(h->text, required) && !listed(h->text, optional) && reader_did_you_mean(h->text, one, NULL))
                    near = h;
            }
            if (near)
                diag_add(d, DIAG_ERROR, name, near->line, near->col,
                         "required column '%s' is missing from the header: did you mean '%s' for '%s'?", *r, *r,
                         near->text);
            else
                diag_add(d, DIAG_ERROR, name, 1, 1, "required column '%s' is missing from the header", *r);
            missing++;
        }
    for (size_t i = 0; i < ncols; i++) {
        const reader_cell *h = reader_table_header(t, (int)i);
        if (!h->text[0] || listed(h->text, required) || listed(h->text, optional))
            continue;
        const char *guess = reader_did_you_mean(h->text, required, optional);
        if (guess && reader_table_column(t, guess) < 0 && listed(guess, required))
            continue; /* reported above as the missing column it is */
        if (guess)
            diag_add(d, DIAG_WARNING, name, h->line, h->col, "unknown column '%s' is ignored: did you mean '%s'?",
                     h->text, guess);
        else
            diag_add(d, DIAG_WARNING, name, h->line, h->col, "unknown column '%s' is ignored", h->text);
    }
    return missing;
}
