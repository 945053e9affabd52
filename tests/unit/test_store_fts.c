/*
 * test_store_fts.c - the article full-text index written once per batch
 * (store.h, migration 9): what a search finds after each commit, updates in
 * a later batch and in the same batch, rollback, writes from a connection that
 * does not defer, FTS5's own integrity check; and the statement cache
 * td_store_stmt.
 */
#include "test_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return td_test_mkdir(dir, sizeof dir, "td-store-fts");
}

static int teardown(void **state)
{
    (void)state;
    return td_test_rmdir(dir);
}

static td_article article(td_arena *a, const char *id, const char *title, const char *body)
{
    td_article x = { 0 };
    x.arena = a;
    x.id = td_str_cstr(id);
    x.text = td_str_cstr(body);
    x.body = td_str_cstr(body);
    x.title = td_str_cstr(title);
    x.outlet = TD_STR_LIT("orlen-herald.example");
    x.hash = 7;
    return x;
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Number of articles a full-text query finds. */
static int64_t found(td_store *s, const char *q)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM article_fts WHERE article_fts MATCH '%s'", q);
    return count(td_store_db(s), sql);
}

static void integrity(td_store *s)
{
    assert_int_equal(sqlite3_exec(td_store_db(s), "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')",
                                  NULL, NULL, NULL), SQLITE_OK);
}

static void put(td_store *s, td_arena *a, const char *id, const char *title, const char *body)
{
    td_article x = article(a, id, title, body);
    int64_t rowid = 0;
    assert_int_equal(td_store_article_put(s, &x, 1, td_str_make(NULL, 0), &rowid), TD_OK);
    assert_true(rowid > 0);
}

static void batch_is_searchable_after_commit(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    td_arena a;
    td_arena_init(&a, 4096);

    assert_int_equal(td_store_begin(s), TD_OK);
    put(s, &a, "a1", "Ferry strike ends in Orlen", "Dockworkers in Orlen voted to return on Monday.");
    put(s, &a, "a2", "Floods close the Vessa road", "Heavy rain cut the road between Vessa and Tarm.");
    put(s, &a, "a3", "Orlen council meets", "The council of Orlen met on Tuesday to discuss the port.");
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(found(s, "orlen"), 2);
    assert_int_equal(found(s, "vessa"), 1);
    assert_int_equal(found(s, "\"return on monday\""), 1); /* phrases need positions */
    assert_int_equal(count(td_store_db(s), "SELECT count(*) FROM fts_defer"), 0);
    integrity(s);

    /* a later batch changes an indexed article: its old words leave the index */
    assert_int_equal(td_store_begin(s), TD_OK);
    put(s, &a, "a2", "Vessa road reopens", "Crews cleared the mud and buses run again to Kell.");
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(found(s, "rain"), 0);
    assert_int_equal(found(s, "kell"), 1);
    assert_int_equal(found(s, "vessa"), 1);
    integrity(s);

    /* inserted and changed in one batch: only the last version is indexed */
    assert_int_equal(td_store_begin(s), TD_OK);
    put(s, &a, "a4", "Drought in Marn", "Wells ran dry across Marn province.");
    put(s, &a, "a4", "Rain returns to Marn", "The first rain in months fell on Marn.");
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(found(s, "wells"), 0);
    assert_int_equal(found(s, "marn"), 1);
    integrity(s);

    /* a rolled-back batch leaves nothing behind, and the next one works */
    assert_int_equal(td_store_begin(s), TD_OK);
    put(s, &a, "a5", "Bridge collapse in Tarm", "A footbridge over the Tarm river fell.");
    assert_int_equal(td_store_rollback(s), TD_OK);
    assert_int_equal(found(s, "footbridge"), 0);
    assert_int_equal(td_store_begin(s), TD_OK);
    put(s, &a, "a6", "Tarm bridge rebuilt", "Engineers rebuilt the footbridge within a week.");
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(found(s, "footbridge"), 1);
    integrity(s);

    /* outside td_store_begin the triggers index each row at once */
    put(s, &a, "a7", "Quay lights", "New lamps lit the Orlen quay.");
    assert_int_equal(found(s, "lamps"), 1);
    integrity(s);
    td_store_close(s);

    /* another connection (no deferral) writing directly is indexed too */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN; INSERT INTO article (id, title, body, raw, raw_hash, body_hash)"
                                      " VALUES ('x1', 'Harbour fire', 'Smoke over the Kell harbour.', '', 1, 1);"
                                      "UPDATE article SET body = 'Ash over the Kell harbour.' WHERE id = 'x1'; COMMIT",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    assert_int_equal(found(s, "smoke"), 0);
    assert_int_equal(found(s, "ash"), 1);
    integrity(s);
    td_store_close(s);
    td_arena_free(&a);
}

/* Many articles in one batch (more than FTS5 keeps in memory) stay exact. */
static void large_batch(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/b.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    td_arena a;
    td_arena_init(&a, 1 << 16);
    char body[2048], id[32], title[64];
    assert_int_equal(td_store_begin(s), TD_OK);
    for (int i = 0; i < 3000; i++) {
        td_arena_reset(&a);
        int n = snprintf(body, sizeof body, "Report %d from the Orlen bureau.", i);
        for (int k = 0; k < 20; k++)
            n += snprintf(body + n, sizeof body - (size_t)n, " word%d market%d", (i * 7 + k) % 997, k);
        snprintf(id, sizeof id, "r%d", i);
        snprintf(title, sizeof title, "%s", i % 3 ? "Market day" : "Port news");
        put(s, &a, id, title, body);
    }
    assert_int_equal(td_store_commit(s), TD_OK);
    assert_int_equal(found(s, "orlen"), 3000);
    assert_int_equal(found(s, "title:port"), 1000);
    assert_int_equal(found(s, "market19"), 3000);
    integrity(s);
    td_store_close(s);
    td_arena_free(&a);
}

static void statements_are_cached(void **state)
{
    (void)state;
    static const char sql[] = "SELECT count(*) FROM article WHERE outlet = ?1";
    char path[128];
    snprintf(path, sizeof path, "%s/c.db", dir);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    sqlite3_stmt *a = td_store_stmt(s, sql);
    assert_non_null(a);
    assert_ptr_equal(td_store_stmt(s, sql), a);
    static const char bad[] = "SELECT headline FROM nowhere";
    assert_null(td_store_stmt(s, bad));
    if (!strstr(td_store_errmsg(s), "no such")) /* SQLite says what is missing */
        fail_msg("%s", td_store_errmsg(s));
    assert_non_null(strstr(td_store_errmsg(s), "c.db"));
    td_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_is_searchable_after_commit),
        cmocka_unit_test(large_batch),
        cmocka_unit_test(statements_are_cached),
    };
    return cmocka_run_group_tests_name("store_fts", tests, setup, teardown);
}
