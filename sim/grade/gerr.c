/*
 * gerr.c - errors in grading inputs (gerr.h).
 */
#include <stdarg.h>

#include "gerr.h"
#include "show.h"

static char *next(struct grade_errors *errs)
{
    if (errs->count == GRADE_MAX_ERRORS) {
        errs->more = true;
        return NULL;
    }
    return errs->line[errs->count++];
}

void grade_error_at(struct grade_errors *errs, const char *file, uint32_t line, const char *fmt, ...)
{
    char *out = next(errs);
    if (!out)
        return;
    size_t size = sizeof errs->line[0];
    int n = line ? snprintf(out, size, "%s:%u: ", file, line) : snprintf(out, size, "%s: ", file);
    if (n < 0 || (size_t)n >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, size - (size_t)n, fmt, ap);
    va_end(ap);
}

void grade_error_json(struct grade_errors *errs, const char *file, uint32_t line, uint32_t col, const char *path,
                      const char *fmt, ...)
{
    char *out = next(errs);
    if (!out)
        return;
    size_t size = sizeof errs->line[0];
    int n = line ? snprintf(out, size, "%s:%u:%u: %s: ", file, line, col, path)
                 : snprintf(out, size, "%s: %s: ", file, path);
    if (n < 0 || (size_t)n >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, size - (size_t)n, fmt, ap);
    va_end(ap);
}

void grade_errors_print(const struct grade_errors *errs, FILE *out)
{
    for (uint32_t i = 0; i < errs->count; i++) {
        show_fputs(out, errs->line[i]);   /* a line quotes the file: escape what a terminal would obey */
        fputc('\n', out);
    }
    if (errs->more)
        fprintf(out, "(more errors follow; fix these first)\n");
}
