/*
 * test_pipeline.c - the engine end to end in memory: idempotent re-ingest,
 * ids from content, outlet template learning with re-cleaning, skipped
 * inputs, and fault injection (every allocation of the engine failing in turn).
 */
#include "test_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tidings.h"
#include "base/alloc.h"
#include "engine.h"

static char dir[64];
static int n_db;

static int setup(void **state)
{
    (void)state;
    return td_test_mkdir(dir, sizeof dir, "td-pipe");
}

static int teardown(void **state)
{
    (void)state;
    return td_test_rmdir(dir);
}

static td_engine *open_new(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/p%d.db", dir, n_db++);
    td_options o = { 0 };
    o.db_path = path;
    td_engine *e = NULL;
    assert_int_equal(td_engine_open(&o, &e), TD_OK);
    return e;
}

static td_input input(const char *id, const char *url, const char *text)
{
    td_input in = { 0 };
    in.id = id;
    in.url = url;
    in.text = text;
    in.text_len = strlen(text);
    return in;
}

static const char STORY[] =
    "Dam inspection ordered in Tallis after cracks found\n\n"
    "TALLIS, Marren (Wire) - Engineers ordered a full inspection of the Tallis dam on Wednesday after "
    "divers found cracks in its spillway, the regional water board said.\n\n"
    "The board's chairman, Oren Malk, said the reservoir would be lowered by two metres as a precaution "
    "and that no homes were at risk.\n";

static void reingest_changes_nothing(void **state)
{
    (void)state;
    td_engine *e = open_new();
    td_ingest_stats st = { 0 };
    td_input in = input("d1", "https://www.marren-courier.example/2025/02/12/dam.html", STORY);
    assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
    assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
    assert_int_equal(td_ingest_finish(e, &st), TD_OK);
    assert_int_equal(st.seen, 2);
    assert_int_equal(st.stored, 1);
    assert_int_equal(st.unchanged, 1);
    td_engine_close(e);
}

static void id_from_content(void **state)
{
    (void)state;
    td_engine *e = open_new();
    td_ingest_stats st = { 0 };
    td_input in = input(NULL, NULL, STORY);
    assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
    assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
    assert_int_equal(td_ingest_finish(e, &st), TD_OK);
    assert_int_equal(st.stored, 1);
    sqlite3 *db = td_store_db(td_engine_store(e));
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM article", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *id = (const char *)sqlite3_column_text(q, 0);
    assert_int_equal(strlen(id), 17);
    assert_int_equal(id[0], 'h');
    sqlite3_finalize(q);
    td_engine_close(e);
}

static void skips_empty_and_oversized(void **state)
{
    (void)state;
    td_engine *e = open_new();
    td_ingest_stats st = { 0 };
    td_input in = input("e", NULL, "   \n\n  ");
    assert_int_equal(td_ingest_input(e, &in, &st), TD_EPARSE);
    assert_int_equal(st.skipped, 1);
    td_engine_close(e);

    char path[128];
    snprintf(path, sizeof path, "%s/small.db", dir);
    td_options o = { 0 };
    o.db_path = path;
    o.max_article_bytes = 100;
    assert_int_equal(td_engine_open(&o, &e), TD_OK);
    in = input("big", NULL, STORY);
    assert_int_equal(td_ingest_input(e, &in, &st), TD_ELIMIT);
    assert_int_equal(st.skipped, 2);
    td_engine_close(e);
}

/* An outlet's own footer, in no cue list, is learnt from its articles and
 * removed from all of them, the first ones included. */
static void learns_outlet_template(void **state)
{
    (void)state;
    td_engine *e = open_new();
    td_ingest_stats st = { 0 };
    const char *towns[] = { "Tallis", "Delva", "Orsk Hollow", "Veyra", "Port Linden", "Brask" };
    char texts[6][1024], ids[6][16], urls[6][128];
    for (int i = 0; i < 6; i++) {
        snprintf(texts[i], sizeof texts[i],
                 "Harbor Ledger Weekend Edition\n\n"
                 "Market day returns to %s after repairs\n\n"
                 "%s, Marren - Traders in %s reopened the covered market on Saturday after %d weeks of "
                 "repairs to its roof, the town council said.\n\n"
                 "Council officer Lina Perl said %d stalls had been rented and that the market would stay "
                 "open until nine in the evening through the summer.\n\n"
                 "Harbor Ledger Weekend Edition\n\n"
                 "Tip line: talk to the Harbor Ledger desk about %s\n",
                 towns[i], towns[i], towns[i], i + 3, 40 + i, "your town");
        snprintf(ids[i], sizeof ids[i], "m%d", i);
        snprintf(urls[i], sizeof urls[i], "https://www.harbor-ledger.example/2025/05/%02d/market-%d.html", i + 3, i);
        td_input in = input(ids[i], urls[i], texts[i]);
        assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
    }
    assert_int_equal(td_ingest_finish(e, &st), TD_OK);
    sqlite3 *db = td_store_db(td_engine_store(e));
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, body FROM article ORDER BY id", -1, &q, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(q, 1);
        if (strstr(body, "Tip line: talk to the Harbor Ledger desk"))
            fail_msg("%s kept the outlet's template line: %s", sqlite3_column_text(q, 0), body);
        assert_non_null(strstr(body, "covered market"));
        n++;
    }
    assert_int_equal(n, 6);
    sqlite3_finalize(q);
    td_engine_close(e);
}

static int count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* The market articles of learns_outlet_template, i of 7 (texts sized 1024). */
static td_input market_input(int i, char *text, char *id, char *url)
{
    const char *towns[] = { "Tallis", "Delva", "Orsk Hollow", "Veyra", "Port Linden", "Brask", "Amsel" };
    snprintf(text, 1024,
             "Harbor Ledger Weekend Edition\n\n"
             "Market day returns to %s after repairs\n\n"
             "%s, Marren - Traders in %s reopened the covered market on Saturday after %d weeks of "
             "repairs to its roof, the town council said.\n\n"
             "Council officer Lina Perl said %d stalls had been rented and that the market would stay "
             "open until nine in the evening through the summer.\n\n"
             "Harbor Ledger Weekend Edition\n\n"
             "Tip line: talk to the Harbor Ledger desk about your town\n",
             towns[i], towns[i], towns[i], i + 3, 40 + i);
    snprintf(id, 16, "m%d", i);
    snprintf(url, 128, "https://www.harbor-ledger.example/2025/05/%02d/market-%d.html", i + 3, i);
    return input(id, url, text);
}

/* A run stopped after its last batch and before its end (kill -9: here the
 * engine is closed without td_ingest_finish) leaves its re-clean list in the
 * store; the next run re-cleans those articles, whether it stores articles of
 * its own (it does so first) or none, and the list is then empty. */
static void killed_run_is_recleaned_by_the_next(void **state)
{
    (void)state;
    for (int with_new = 0; with_new < 2; with_new++) {
        char path[128];
        snprintf(path, sizeof path, "%s/p%d.db", dir, n_db++);
        td_options o = { 0 };
        o.db_path = path;
        o.batch_size = 2; /* every article committed before the "kill" */
        td_engine *e = NULL;
        assert_int_equal(td_engine_open(&o, &e), TD_OK);
        td_ingest_stats st = { 0 };
        char texts[7][1024], ids[7][16], urls[7][128];
        for (int i = 0; i < 6; i++) {
            td_input in = market_input(i, texts[i], ids[i], urls[i]);
            assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
        }
        td_engine_close(e); /* no finish */
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_true(count_rows(db, "SELECT count(*) FROM reclean_pending") > 0);
        assert_true(count_rows(db, "SELECT count(*) FROM article WHERE body LIKE '%Tip line%'") > 0);
        sqlite3_close(db);

        assert_int_equal(td_engine_open(&o, &e), TD_OK);
        memset(&st, 0, sizeof st);
        if (with_new) {
            td_input in = market_input(6, texts[6], ids[6], urls[6]);
            assert_int_equal(td_ingest_input(e, &in, &st), TD_OK);
        }
        assert_int_equal(td_ingest_finish(e, &st), TD_OK);
        db = td_store_db(td_engine_store(e));
        assert_int_equal(count_rows(db, "SELECT count(*) FROM article WHERE body LIKE '%Tip line%'"), 0);
        assert_int_equal(count_rows(db, "SELECT count(*) FROM article WHERE body LIKE '%covered market%'"),
                         6 + with_new);
        assert_int_equal(count_rows(db, "SELECT count(*) FROM reclean_pending"), 0);
        td_engine_close(e);
    }
}

/* Every allocation of the engine fails in turn: each run ends with a status,
 * never a crash or a leak (ASan), and a later run on the same database works. */
static void survives_allocation_failures(void **state)
{
    (void)state;
    for (long n = 0; n < 400; n++) {
        char path[128];
        snprintf(path, sizeof path, "%s/fault.db", dir);
        td_options o = { 0 };
        o.db_path = path;
        td_engine *e = NULL;
        td_alloc_fail_after(n);
        td_status st = td_engine_open(&o, &e);
        if (st == TD_OK) {
            td_ingest_stats s = { 0 };
            td_input in = input("f1", "https://www.marren-courier.example/2025/02/12/dam.html", STORY);
            st = td_ingest_input(e, &in, &s);
            if (st == TD_OK)
                st = td_ingest_finish(e, &s);
            td_engine_close(e);
        }
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM || st == TD_EDB || st == TD_EPARSE);
    }
    /* the database is usable afterwards */
    char path[128];
    snprintf(path, sizeof path, "%s/fault.db", dir);
    td_options o = { 0 };
    o.db_path = path;
    td_engine *e = NULL;
    assert_int_equal(td_engine_open(&o, &e), TD_OK);
    td_ingest_stats s = { 0 };
    td_input in = input("f2", NULL, STORY);
    assert_int_equal(td_ingest_input(e, &in, &s), TD_OK);
    assert_int_equal(td_ingest_finish(e, &s), TD_OK);
    td_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reingest_changes_nothing),
        cmocka_unit_test(id_from_content),
        cmocka_unit_test(skips_empty_and_oversized),
        cmocka_unit_test(learns_outlet_template),
        cmocka_unit_test(killed_run_is_recleaned_by_the_next),
        cmocka_unit_test(survives_allocation_failures),
    };
    return cmocka_run_group_tests_name("pipeline", tests, setup, teardown);
}
