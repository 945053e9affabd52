/*
 * test_util.h - what every cmocka suite includes: the cmocka headers in the
 * order they need, and helpers to compare string views.
 */
#ifndef TD_TEST_UTIL_H
#define TD_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/str.h"

/* Asserts that the view s holds exactly the C string z. */
#define assert_str_view(s, z)                                                  \
    do {                                                                       \
        td_str s_ = (s);                                                       \
        const char *z_ = (z);                                                  \
        if (s_.len != strlen(z_) || memcmp(s_.p, z_, s_.len) != 0)             \
            fail_msg("expected \"%s\", got \"%.*s\"", z_, (int)s_.len,         \
                     s_.p ? s_.p : "");                                        \
    } while (0)

#endif
