/* workbook_find: which workbook, if any, a data path stands for, and the
 * names of a folder's workbooks; the file system only. In khet and in
 * khet-full: khet hands a command over to khet-full when its data are a
 * workbook (reading one needs libzip and libxml2: workbook.c). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util.h"
#include "workbook.h"

static int ends_with_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n > 5 && !strcasecmp(p + n - 5, ".xlsx");
}

char *workbook_find(const char *data_path)
{
    struct stat st;
    if (stat(data_path, &st) != 0)
        return NULL;
    if (S_ISREG(st.st_mode))
        return ends_with_xlsx(data_path) ? util_strdup(data_path) : NULL;
    char *csv = util_path_join(data_path, "provinces.csv");
    int has_csv = csv && stat(csv, &st) == 0;
    free(csv);
    DIR *dir = has_csv ? NULL : opendir(data_path);
    char *found = NULL;
    int many = 0;
    for (struct dirent *e; dir && (e = readdir(dir));)
        if (e->d_name[0] != '.' && e->d_name[0] != '~' && ends_with_xlsx(e->d_name)) {
            many += found != NULL;
            if (!found)
                found = util_path_join(data_path, e->d_name);
        }
    if (dir)
        closedir(dir);
    if (many) { /* two workbooks: which one is meant is not for khet to guess */
        free(found);
        return util_strdup("");
    }
    return found;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *workbook_names(const char *dir_path)
{
    DIR *dir = opendir(dir_path);
    if (!dir)
        return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0, len = 1;
    int failed = 0;
    for (struct dirent *e; !failed && (e = readdir(dir));) {
        if (e->d_name[0] == '.' || e->d_name[0] == '~' || !ends_with_xlsx(e->d_name))
            continue;
        if (n == cap) {
            char **grown = realloc(names, (cap = cap ? 2 * cap : 4) * sizeof *names);
            if (!grown) {
                failed = 1;
                break;
            }
            names = grown;
        }
        if (!(names[n] = util_strdup(e->d_name)))
            failed = 1;
        else
            len += strlen(names[n++]) + 2;
    }
    closedir(dir);
    char *joined = failed ? NULL : malloc(len); /* readdir's order is the disk's: sorted for the same message */
    if (joined) {
        qsort(names, n, sizeof *names, compare_names);
        joined[0] = '\0';
        for (size_t i = 0; i < n; i++)
            strcat(strcat(joined, i ? ", " : ""), names[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return joined;
}
