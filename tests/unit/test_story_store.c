/* test_story_store.c - duplicates, passages and stories in the store
 * (store_story.h): day arithmetic, re-rooting copies, the earliest copy by
 * date, passages becoming shared, story rows refreshed from their articles,
 * merges, and restoring both indexes from a reopened database within their
 * windows. Fictional wire copy throughout. */
#include "test_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_story.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return td_test_mkdir(dir, sizeof dir, "td-ststore");
}

static int teardown(void **state)
{
    (void)state;
    return td_test_rmdir(dir);
}

static const char *const WIRE =
    "The ferry Karsten Bell ran aground off the island of Moss Harrow in the Pellan Sound on Sunday, and "
    "coastguard boats took all 212 passengers to the port of Vantry, the harbour authority said. The ship "
    "had left Vantry two hours earlier in strong winds. Inspectors from the maritime board would examine the "
    "hull on Monday, a spokeswoman for the operator said, and crossings to the island were suspended.";

static const char *const OTHER =
    "The city council of Orrin voted on Tuesday to close the old market hall for repairs after engineers "
    "found cracks in its roof beams. Traders will move to a temporary site by the river until the works end "
    "next spring, the mayor said, adding that the hall would reopen with new stalls and a covered square.";

/* Opens a fresh database name under dir. */
static td_store *open_db(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    return s;
}

/* Inserts an article row with id and date (NULL: none) and returns its rowid. */
static int64_t put(td_store *s, const char *id, const char *published, const char *body)
{
    td_arena a;
    td_arena_init(&a, 4096);
    td_article x = { 0 };
    x.arena = &a;
    x.id = td_str_cstr(id);
    x.text = x.body = td_str_cstr(body);
    x.title = td_str_cstr(id);
    x.outlet = td_str_cstr(id);
    if (published) {
        int y, m, d;
        assert_int_equal(sscanf(published, "%d-%d-%d", &y, &m, &d), 3);
        x.published = (td_date){ (int16_t)y, (int8_t)m, (int8_t)d, TD_PREC_DAY };
        x.published_from = "given";
    }
    int64_t rowid = 0;
    assert_int_equal(td_store_article_put(s, &x, 1, TD_STR_LIT("[]"), &rowid), TD_OK);
    td_arena_free(&a);
    return rowid;
}

static int64_t q_int(td_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(td_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void days(void **state)
{
    (void)state;
    assert_int_equal(td_story_day(TD_STR_LIT("1970-01-01")), 0);
    assert_int_equal(td_story_day(TD_STR_LIT("2024-03-01")) - td_story_day(TD_STR_LIT("2024-02-28")), 2);
    assert_int_equal(td_story_day(TD_STR_LIT("2025-03")), td_story_day(TD_STR_LIT("2025-03-01")));
    assert_int_equal(td_story_day(TD_STR_LIT("2025-13-01")), -1);
    assert_int_equal(td_story_day(TD_STR_LIT("yesterday")), -1);
    assert_int_equal(td_story_day((td_str){ NULL, 0 }), -1);
    char out[11];
    for (int32_t d = -1; d < 30000; d += 997) {
        td_story_day_format(d, out);
        if (d < 0) {
            assert_string_equal(out, "");
            continue;
        }
        assert_int_equal(td_story_day(td_str_cstr(out)), d);
    }
    td_story_day_format(td_story_day_civil(2024, 2, 29), out);
    assert_string_equal(out, "2024-02-29");
}

/* Copies point at a root, never at a copy: re-rooting moves the whole
 * cluster, and the earliest copy by date (undated last) becomes the root. */
static void reroot_and_earliest(void **state)
{
    (void)state;
    td_store *s = open_db("dup.db");
    td_story_db *d = NULL;
    assert_int_equal(td_story_db_open(s, &d), TD_OK);
    assert_int_equal(td_store_begin(s), TD_OK);
    int64_t a = put(s, "a", "2025-05-03", WIRE), b = put(s, "b", "2025-05-02", WIRE),
            c = put(s, "c", NULL, WIRE), e = put(s, "e", "2025-05-04", WIRE);
    assert_int_equal(td_story_db_dup_set(d, b, a, 0.9), TD_OK);
    assert_int_equal(td_story_db_dup_set(d, c, a, 0.8), TD_OK);
    /* e arrives; a cluster merge makes e the root for a moment */
    assert_int_equal(td_story_db_reroot(d, a, e), TD_OK);
    assert_int_equal(q_int(s, "select count(*) from article where duplicate_of = 4"), 3);
    assert_true(q_int(s, "select duplicate_of is null from article where id = 'e'"));
    int64_t r = 0;
    assert_int_equal(td_story_db_root(d, a, &r), TD_OK);
    assert_int_equal(r, e); /* a's stored root now names e */
    bool moved = false;
    assert_int_equal(td_story_db_dup_earliest(d, e, &moved), TD_OK);
    assert_true(moved);
    /* b (2025-05-02) is the earliest: everyone points at it, it at nothing */
    assert_int_equal(q_int(s, "select count(*) from article where duplicate_of = 2"), 3);
    assert_true(q_int(s, "select duplicate_of is null from article where id = 'b'"));
    assert_int_equal(td_story_db_dup_earliest(d, b, &moved), TD_OK);
    assert_false(moved);
    assert_int_equal(q_int(s, "select count(*) from article where duplicate_of in"
                              " (select rowid from article where duplicate_of is not null)"), 0);
    (void)c;
    assert_int_equal(td_store_commit(s), TD_OK);
    td_story_db_close(d);
    td_store_close(s);
}

static void passages_become_shared(void **state)
{
    (void)state;
    td_store *s = open_db("pass.db");
    td_story_db *d = NULL;
    assert_int_equal(td_story_db_open(s, &d), TD_OK);
    assert_int_equal(td_store_begin(s), TD_OK);
    td_arena ar;
    td_arena_init(&ar, 4096);
    td_str wire = td_str_cstr(WIRE);
    td_passage *p = NULL;
    uint32_t n = td_dedup_passages(&ar, wire, NULL, 0, &p);
    assert_true(n >= 3);
    int64_t a = put(s, "a", "2025-05-02", WIRE), b = put(s, "b", "2025-05-03", WIRE), c = put(s, "c", NULL, WIRE);
    assert_int_equal(td_story_db_passages_put(d, a, wire, p, n), TD_OK);
    /* seen once: remembered, no passage, no rows */
    assert_int_equal(q_int(s, "select count(*) from passage_seen"), n);
    assert_int_equal(q_int(s, "select count(*) from passage"), 0);
    assert_int_equal(q_int(s, "select count(*) from passage_article"), 0);
    assert_int_equal(td_story_db_passages_put(d, b, wire, p, n), TD_OK);
    assert_int_equal(q_int(s, "select count(*) from passage where text is not null"), n);
    assert_int_equal(q_int(s, "select count(*) from passage_article"), 2 * n);
    /* the same article again changes nothing */
    assert_int_equal(td_story_db_passages_put(d, b, wire, p, n), TD_OK);
    assert_int_equal(td_story_db_passages_put(d, a, wire, p, n), TD_OK);
    assert_int_equal(q_int(s, "select max(n_articles) from passage"), 2);
    assert_int_equal(td_story_db_passages_put(d, c, wire, p, n), TD_OK);
    assert_int_equal(q_int(s, "select min(n_articles) from passage"), 3);
    /* the stored text is the sentence itself */
    char sql[256];
    snprintf(sql, sizeof sql, "select count(*) from passage where text = '%.*s'", (int)p[0].span.len,
             WIRE + p[0].span.off);
    assert_int_equal(q_int(s, sql), 1);
    /* an article stored again forgets its rows */
    assert_int_equal(td_story_db_passages_drop(d, c), TD_OK);
    assert_int_equal(q_int(s, "select max(n_articles) from passage"), 2);
    assert_int_equal(q_int(s, "select count(*) from passage_article where article_id = 3"), 0);
    /* singletons older than the window go, shared ones stay */
    td_passage *po = NULL;
    uint32_t no = td_dedup_passages(&ar, td_str_cstr(OTHER), NULL, 0, &po);
    int64_t o = put(s, "o", "2025-01-01", OTHER);
    td_dedup_fp fp;
    td_dedup_fingerprint(td_str_cstr(OTHER), &fp);
    assert_int_equal(td_story_db_fp_put(d, o, td_story_day(TD_STR_LIT("2025-01-01")), &fp, -1), TD_OK);
    assert_int_equal(td_story_db_passages_put(d, o, td_str_cstr(OTHER), po, no), TD_OK);
    int64_t before = q_int(s, "select count(*) from passage_seen");
    assert_int_equal(td_story_db_passages_prune(d, td_story_day(TD_STR_LIT("2025-02-01"))), TD_OK);
    assert_int_equal(q_int(s, "select count(*) from passage_seen"), before - no);
    assert_int_equal(q_int(s, "select count(*) from passage where n_articles >= 2"), n);
    assert_int_equal(td_store_commit(s), TD_OK);
    td_arena_free(&ar);
    td_story_db_close(d);
    td_store_close(s);
}

static void story_rows_follow_articles(void **state)
{
    (void)state;
    td_store *s = open_db("story.db");
    td_story_db *d = NULL;
    assert_int_equal(td_story_db_open(s, &d), TD_OK);
    uint32_t next = 0;
    assert_int_equal(td_story_db_next_id(d, &next), TD_OK);
    assert_int_equal(next, 1);
    assert_int_equal(td_store_begin(s), TD_OK);
    int64_t a = put(s, "a", "2025-05-02", WIRE), b = put(s, "b", "2025-05-06", WIRE), c = put(s, "c", NULL, OTHER);
    td_story_info i1 = { 7, TD_STR_LIT("Ferry runs aground off Moss Harrow"), -1, -1, 1 };
    td_story_info i2 = { 9, TD_STR_LIT("Orrin market hall to close"), -1, -1, 1 };
    td_story_term cen[2] = { { 11, 0.5f }, { 42, 0.25f } };
    assert_int_equal(td_story_db_story_put(d, &i1, cen, 2), TD_OK);
    assert_int_equal(td_story_db_story_put(d, &i2, NULL, 0), TD_OK);
    assert_int_equal(td_story_db_story_set(d, a, 7), TD_OK);
    assert_int_equal(td_story_db_story_set(d, b, 7), TD_OK);
    assert_int_equal(td_story_db_story_set(d, c, 9), TD_OK);
    uint32_t got = 0;
    assert_int_equal(td_story_db_story_of(d, b, &got), TD_OK);
    assert_int_equal(got, 7);
    assert_int_equal(td_story_db_story_refresh(d, 7), TD_OK);
    assert_int_equal(q_int(s, "select n_articles from story where id = 7"), 2);
    assert_int_equal(q_int(s, "select first_seen = '2025-05-02' and last_seen = '2025-05-06' from story where id = 7"), 1);
    assert_int_equal(td_story_db_next_id(d, &next), TD_OK);
    assert_int_equal(next, 10);
    /* merge 9 into 7: its article moves, its row goes */
    assert_int_equal(td_story_db_story_merge(d, 9, 7), TD_OK);
    assert_int_equal(td_story_db_story_refresh(d, 7), TD_OK);
    assert_int_equal(q_int(s, "select n_articles from story where id = 7"), 3);
    assert_int_equal(q_int(s, "select count(*) from story where id = 9"), 0);
    /* a story left without articles is deleted by its refresh */
    assert_int_equal(td_story_db_story_put(d, &i2, NULL, 0), TD_OK);
    assert_int_equal(td_story_db_story_refresh(d, 9), TD_OK);
    assert_int_equal(q_int(s, "select count(*) from story where id = 9"), 0);
    assert_int_equal(td_store_commit(s), TD_OK);
    td_story_db_close(d);
    td_store_close(s);
}

/* A reopened database restores the fingerprints within the window (a copy
 * of a restored article is found) and the stories within the horizon (a
 * similar article joins the restored story). */
static void restore_within_windows(void **state)
{
    (void)state;
    td_store *s = open_db("restore.db");
    td_story_db *d = NULL;
    assert_int_equal(td_story_db_open(s, &d), TD_OK);
    assert_int_equal(td_store_begin(s), TD_OK);
    int64_t old = put(s, "old", "2025-01-02", OTHER), a = put(s, "a", "2025-05-02", WIRE);
    td_dedup_fp fo, fa;
    td_dedup_fingerprint(td_str_cstr(OTHER), &fo);
    td_dedup_fingerprint(td_str_cstr(WIRE), &fa);
    assert_int_equal(td_story_db_fp_put(d, old, td_story_day(TD_STR_LIT("2025-01-02")), &fo, -1), TD_OK);
    assert_int_equal(td_story_db_fp_put(d, a, td_story_day(TD_STR_LIT("2025-05-02")), &fa, -1), TD_OK);
    /* a story built by an index, stored with its centroid */
    td_story *st = NULL;
    assert_int_equal(td_story_new(NULL, &st), TD_OK);
    td_story_doc doc = { .key = a, .date = td_story_day(TD_STR_LIT("2025-05-02")),
                         .title = TD_STR_LIT("Ferry runs aground off Moss Harrow"), .body = td_str_cstr(WIRE) };
    td_story_assign as;
    assert_int_equal(td_story_add(st, &doc, &as), TD_OK);
    td_story_info info;
    assert_int_equal(td_story_get(st, as.story, &info), TD_OK);
    const td_story_term *cen = NULL;
    uint32_t nc = td_story_centroid(st, as.story, &cen);
    assert_true(nc > 0);
    assert_int_equal(td_story_db_story_put(d, &info, cen, nc), TD_OK);
    assert_int_equal(td_story_db_story_set(d, a, as.story), TD_OK);
    assert_int_equal(td_story_db_story_refresh(d, as.story), TD_OK);
    uint32_t sid = as.story;
    td_story_free(st);
    assert_int_equal(td_store_commit(s), TD_OK);

    td_dedup *ix = NULL;
    td_dedup_opts o = { .window_days = 30 };
    assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
    uint64_t n = 0;
    assert_int_equal(td_story_db_dedup_restore(d, ix, 30, 1000, &n), TD_OK);
    assert_int_equal(n, 1); /* "old" is four months before the newest */
    td_dedup_result r;
    assert_int_equal(td_dedup_add(ix, 100, td_story_day(TD_STR_LIT("2025-05-03")), &fa, &r), TD_OK);
    assert_int_equal(r.kind, TD_DUP_EXACT);
    assert_int_equal(r.duplicate_of, a);
    td_dedup_free(ix);

    td_story_opts so = { .first_id = 0 };
    assert_int_equal(td_story_db_next_id(d, &so.first_id), TD_OK);
    assert_int_equal(td_story_new(&so, &st), TD_OK);
    uint32_t ns = 0;
    assert_int_equal(td_story_db_stories_restore(d, st, 120, &ns), TD_OK);
    assert_int_equal(ns, 1);
    td_story_doc next = { .key = 101, .date = td_story_day(TD_STR_LIT("2025-05-03")),
                          .title = TD_STR_LIT("Moss Harrow ferry: inspectors examine the hull"),
                          .body = TD_STR_LIT("Inspectors from the maritime board examined the hull of the ferry "
                                             "Karsten Bell on Monday, a day after it ran aground off Moss Harrow "
                                             "in the Pellan Sound. Crossings from Vantry to the island stayed "
                                             "suspended, the harbour authority said.") };
    assert_int_equal(td_story_add(st, &next, &as), TD_OK);
    assert_false(as.created);
    assert_int_equal(as.story, sid);
    /* a new story never reuses a stored id */
    td_story_doc other = { .key = 102, .date = next.date, .title = TD_STR_LIT("Orrin market hall to close"),
                           .body = td_str_cstr(OTHER) };
    assert_int_equal(td_story_add(st, &other, &as), TD_OK);
    assert_true(as.created);
    assert_true(as.story > sid);
    td_story_free(st);
    td_story_db_close(d);
    td_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days),
        cmocka_unit_test(reroot_and_earliest),
        cmocka_unit_test(passages_become_shared),
        cmocka_unit_test(story_rows_follow_articles),
        cmocka_unit_test(restore_within_windows),
    };
    return cmocka_run_group_tests_name("story_store", tests, setup, teardown);
}
