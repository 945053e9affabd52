/* test_store.c - the SQLite store: migrations, put/find, replace, templates, errors. */
#include "test_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"
#include "store/schema.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return td_test_mkdir(dir, sizeof dir, "td-store");
}

static int teardown(void **state)
{
    (void)state;
    return td_test_rmdir(dir);
}

static td_article article(td_arena *a, const char *id, const char *body)
{
    td_article x = { 0 };
    x.arena = a;
    x.id = td_str_cstr(id);
    x.text = td_str_cstr(body);
    x.body = td_str_cstr(body);
    x.title = TD_STR_LIT("Bridge reopens in Delva");
    x.outlet = TD_STR_LIT("delva-daily.example");
    x.published = (td_date){ 2025, 3, 4, TD_PREC_DAY };
    x.published_from = "url";
    x.hash = 42;
    return x;
}

static void migrates_and_reopens(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/m.db", dir);
    td_store *s = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_store_open(path, false, &s, &err), TD_OK);
    size_t n;
    const td_migration *m = td_schema_migrations(&n);
    assert_int_equal(td_store_schema_version(s), m[n - 1].version);
    assert_int_equal(td_store_count(s, "article"), 0);
    assert_int_equal(td_store_count(s, "no_such_table"), -1);
    td_store_close(s);
    /* reopening runs no migration and keeps the version */
    assert_int_equal(td_store_open(path, true, &s, &err), TD_OK);
    assert_int_equal(td_store_schema_version(s), m[n - 1].version);
    td_store_close(s);
    td_buf_free(&err);
}

/* A database made before schema_migration existed (user_version only) gets
 * the migrations it lacks, including ones numbered below its user_version,
 * and keeps the ones it has. */
static void legacy_database_gets_missing_migrations(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/legacy.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    sqlite3 *db = td_store_db(s);
    /* make it look like an old database that had 1 and 3 only */
    assert_int_equal(sqlite3_exec(db, "DROP TABLE schema_migration; DROP TABLE watch_file;"
                                      "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
    td_store_close(s);
    /* read-only cannot migrate and says which migration is missing */
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_store_open(path, true, &s, &err), TD_EREADONLY);
    assert_non_null(strstr(err.p, "lacks migration")); /* the first missing one: 2, 4 or 5 */
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    assert_int_equal(td_store_count(s, "watch_file"), 0);
    size_t n;
    const td_migration *m = td_schema_migrations(&n);
    assert_int_equal(td_store_count(s, "schema_migration"), (int64_t)n);
    td_store_close(s);
    /* a migration this build does not know: refuse, do not guess */
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    assert_int_equal(sqlite3_exec(td_store_db(s), "INSERT INTO schema_migration(version, name) VALUES (999, 'future')",
                                  NULL, NULL, NULL), SQLITE_OK);
    td_store_close(s);
    td_buf_clear(&err);
    assert_int_equal(td_store_open(path, false, &s, &err), TD_EDB);
    assert_non_null(strstr(err.p, "999"));
    (void)m;
    td_buf_free(&err);
}

static void put_find_replace(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/p.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    td_arena a;
    td_arena_init(&a, 4096);
    td_article x = article(&a, "a1", "First body.");
    int64_t rowid = 0, again = 0;
    uint64_t h = 0;
    assert_int_equal(td_store_begin(s), TD_OK);
    assert_int_equal(td_store_article_find(s, TD_STR_LIT("a1"), &rowid, &h), TD_ENOTFOUND);
    assert_int_equal(td_store_article_put(s, &x, 777, TD_STR_LIT("[]"), &rowid), TD_OK);
    assert_true(rowid > 0);
    assert_int_equal(td_store_article_find(s, TD_STR_LIT("a1"), &again, &h), TD_OK);
    assert_int_equal(again, rowid);
    assert_int_equal(h, 777);
    /* same id, new content: replaced in place, same rowid */
    x.body = TD_STR_LIT("Second body.");
    assert_int_equal(td_store_article_put(s, &x, 778, TD_STR_LIT("[]"), &again), TD_OK);
    assert_int_equal(again, rowid);
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(td_store_count(s, "article"), 1);
    /* read back raw text and given fields */
    td_article back = { 0 };
    assert_int_equal(td_store_article_raw(s, rowid, &a, &back), TD_OK);
    assert_str_view(back.id, "a1");
    assert_str_view(back.raw, "First body.");
    assert_int_equal(td_store_article_raw(s, rowid + 100, &a, &back), TD_ENOTFOUND);
    td_store_close(s);
    td_arena_free(&a);
}

static void given_fields_round_trip(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/g.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    td_arena a;
    td_arena_init(&a, 4096);
    td_article x = article(&a, "g1", "Body.");
    x.given_title = TD_STR_LIT("A \"quoted\" title\\with slash");
    x.given_published = TD_STR_LIT("2025-01-02");
    int64_t rowid;
    assert_int_equal(td_store_article_put(s, &x, 1, (td_str){ NULL, 0 }, &rowid), TD_OK);
    td_article back = { 0 };
    assert_int_equal(td_store_article_raw(s, rowid, &a, &back), TD_OK);
    assert_str_view(back.given_title, "A \"quoted\" title\\with slash");
    assert_str_view(back.given_published, "2025-01-02");
    assert_null(back.given_outlet.p);
    td_store_close(s);
    td_arena_free(&a);
}

static void fn(void *ud, uint64_t h, uint32_t n)
{
    struct { uint64_t h; uint32_t n; int calls; } *g = ud;
    g->h = h;
    g->n = n;
    g->calls++;
}

static void outlet_lines_accumulate(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/o.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    assert_int_equal(td_store_outlet_line_add(s, TD_STR_LIT("x.example"), 99, 2), TD_OK);
    assert_int_equal(td_store_outlet_line_add(s, TD_STR_LIT("x.example"), 99, 3), TD_OK);
    assert_int_equal(td_store_outlet_line_add(s, TD_STR_LIT("y.example"), 99, 1), TD_OK);
    struct { uint64_t h; uint32_t n; int calls; } got = { 0, 0, 0 };
    assert_int_equal(td_store_outlet_lines_load(s, TD_STR_LIT("x.example"), fn, &got), TD_OK);
    assert_int_equal(got.calls, 1);
    assert_int_equal(got.h, 99);
    assert_int_equal(got.n, 5);
    td_store_close(s);
}


static void open_errors_name_the_file(void **state)
{
    (void)state;
    td_store *s = NULL;
    td_buf err = TD_BUF_INIT;
    char path[128];
    snprintf(path, sizeof path, "%s/missing.db", dir);
    assert_int_equal(td_store_open(path, true, &s, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.p, "missing.db"));
    snprintf(path, sizeof path, "%s/garbage.db", dir);
    FILE *f = fopen(path, "w");
    fputs("this is not a database, just some text long enough to be a header......\n", f);
    fclose(f);
    assert_int_not_equal(td_store_open(path, false, &s, &err), TD_OK);
    assert_non_null(strstr(err.p, "garbage.db"));
    snprintf(path, sizeof path, "%s/nodir/x.db", dir);
    assert_int_not_equal(td_store_open(path, false, &s, &err), TD_OK);
    assert_non_null(strstr(err.p, "x.db"));
    td_buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_and_reopens),
        cmocka_unit_test(legacy_database_gets_missing_migrations),
        cmocka_unit_test(put_find_replace),
        cmocka_unit_test(given_fields_round_trip),
        cmocka_unit_test(outlet_lines_accumulate),
        cmocka_unit_test(open_errors_name_the_file),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
