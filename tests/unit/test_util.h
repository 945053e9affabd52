/*
 * test_util.h - what every cmocka suite includes: the cmocka headers in the
 * order they need, helpers to compare string views, and a scratch folder
 * per suite.
 */
#ifndef TD_TEST_UTIL_H
#define TD_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Makes a fresh folder /tmp/NAME-XXXXXX into dir (a suite's group setup);
 * 0 on success, as cmocka wants. */
static inline int td_test_mkdir(char *dir, size_t cap, const char *name)
{
    snprintf(dir, cap, "/tmp/%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes that folder and everything in it (the group teardown). */
static inline int td_test_rmdir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

#endif
