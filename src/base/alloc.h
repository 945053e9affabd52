/*
 * alloc.h - the engine's malloc wrappers. Every heap allocation in the engine
 * goes through these so fault-injection tests can make the Nth call fail
 * (td_alloc_fail_after), the way sqlite's *fault.test scripts do.
 */
#ifndef TD_BASE_ALLOC_H
#define TD_BASE_ALLOC_H

#include <stddef.h>

void *td_malloc(size_t len);
void *td_calloc(size_t n, size_t size);
void *td_realloc(void *p, size_t len);
void td_free(void *p);
char *td_strdup(const char *s);
char *td_strndup(const char *s, size_t len);
/* Tests only: the (n+1)th allocation from now fails; n < 0 disables. */
void td_alloc_fail_after(long n);

#endif
