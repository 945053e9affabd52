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
#include "db/db.h"

#include <unistd.h>

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

/* PostgreSQL runs of a suite (docs/postgres.md): when TIDINGS_TEST_PG holds a
 * server's URL, makes a fresh schema "<tag>_<pid>" there and writes into out
 * a URL whose connections use it (libpq's options=-csearch_path), so a store
 * opened on out sees empty tables and suites never share rows. Returns 1 with
 * out set, 0 when no server is given (the caller skips), -1 on a failure
 * (printed). td_test_pg_drop removes the schema. */
static inline int td_test_pg_schema(const char *tag, char *out, size_t cap)
{
    const char *url = getenv("TIDINGS_TEST_PG");
    if (!url || !*url)
        return 0;
    td_db *db = NULL;
    td_buf err = TD_BUF_INIT;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s_%d CASCADE; CREATE SCHEMA %s_%d", tag, (int)getpid(), tag,
             (int)getpid());
    int rc = td_db_open(url, 0, &db, &err);
    if (rc == TD_OK)
        rc = td_db_exec(db, sql, &err);
    if (rc != TD_OK)
        fprintf(stderr, "%s: PostgreSQL at TIDINGS_TEST_PG: %s\n", tag, err.p ? err.p : "failed");
    td_db_close(db);
    td_buf_free(&err);
    if (rc != TD_OK)
        return -1;
    snprintf(out, cap, "%s%soptions=-csearch_path%%3D%s_%d", url, strchr(url, '?') ? "&" : "?", tag, (int)getpid());
    return 1;
}

static inline void td_test_pg_drop(const char *tag)
{
    const char *url = getenv("TIDINGS_TEST_PG");
    if (!url || !*url)
        return;
    td_db *db = NULL;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s_%d CASCADE", tag, (int)getpid());
    if (td_db_open(url, 0, &db, NULL) == TD_OK)
        td_db_exec(db, sql, NULL);
    td_db_close(db);
}

#endif
