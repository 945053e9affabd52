/* alloc.c - see alloc.h. The failure counter is a test hook, not thread-safe. */
#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;

void td_alloc_fail_after(long n) { fail_countdown = n; }

static int should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void *td_malloc(size_t len)
{
    if (should_fail())
        return NULL;
    return malloc(len ? len : 1);
}

void *td_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *td_realloc(void *p, size_t len)
{
    if (should_fail())
        return NULL;
    return realloc(p, len ? len : 1);
}

void td_free(void *p) { free(p); }

char *td_strndup(const char *s, size_t len)
{
    char *p = td_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *td_strdup(const char *s) { return td_strndup(s, strlen(s)); }
