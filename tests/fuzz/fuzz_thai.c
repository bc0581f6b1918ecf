/* libFuzzer target: the Thai engine on arbitrary bytes taken as UTF-8:
 * mark placement (and mapping every glyph back), line-break opportunities
 * and grapheme clusters. The offsets must ascend and end at the length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thai.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_offsets(const size_t *o, int n, size_t len)
{
    for (int i = 1; i < n; i++)
        if (o[i] < o[i - 1])
            abort();
    if (n > 0 && o[n - 1] != len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = util_strndup((const char *)data, size); /* C strings: up to the first NUL */
    if (!s)
        return 0;
    size_t len = strlen(s);
    char *shaped = thai_shape(s);
    if (shaped) {
        size_t n = strlen(shaped);
        for (size_t i = 0; i < n;)
            thai_pua_to_unicode(util_utf8_next(shaped, n, &i));
    }
    free(shaped);
    size_t *off = NULL;
    unsigned char *hard = NULL;
    int n = thai_breaks(s, &off, &hard);
    if (n >= 0)
        check_offsets(off, n, len);
    free(off);
    free(hard);
    off = NULL;
    n = thai_clusters(s, len, &off);
    if (n >= 0)
        check_offsets(off, n, len);
    free(off);
    free(s);
    return 0;
}
