/*
 * str.h - borrowed string views. Inside the engine text is a (pointer, length)
 * pair into a buffer owned by someone else; p[len] is never read.
 * Print with "%.*s", (int)s.len, s.p.
 */
#ifndef TD_BASE_STR_H
#define TD_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct td_str {
    const char *p;
    size_t len;
} td_str;

#define TD_STR_LIT(s) ((td_str){ (s), sizeof(s) - 1 })

static inline td_str td_str_make(const char *p, size_t len) { return (td_str){ p, len }; }
static inline td_str td_str_cstr(const char *z) { return (td_str){ z, z ? strlen(z) : 0 }; }
static inline bool td_str_eq(td_str a, td_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ASCII case-insensitive comparison helpers and trimming. */
bool td_str_ieq(td_str a, td_str b);
bool td_str_istarts(td_str s, td_str prefix);
bool td_str_icontains(td_str hay, td_str needle);
td_str td_str_trim(td_str s);
/* Returns the offset of needle in hay, or (size_t)-1. */
size_t td_str_find(td_str hay, td_str needle);

#endif
