/* test_place_story.c - td_place_story_update on a store (src/extract/place_story.c):
 * its result is a function of the corpus as it stands, not of the runs before
 * it (a run killed before its finish skips the stage, so a history with kills
 * must end as one without): judged again on a grown corpus, a changed row is
 * judged from the geocoder's values and put back when the rule no longer
 * applies; a second update changes nothing; a row stored anew since is judged
 * from its new values. Fictional gazetteer of tests/fixtures/entities
 * (Norvania XA, Ostrelia XB). */
#include "test_util.h"

#include <math.h>

#include "db/db.h"
#include "extract/place_story.h"
#include "store/store.h"
#include "../fixtures/entities/fixture.h"

typedef struct fx {
    td_entity_models *md;
    char dir[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !(f->md = fx_models()) || td_test_mkdir(f->dir, sizeof f->dir, "test_place_story") != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    fx_models_free(f->md);
    td_test_rmdir(f->dir);
    free(f);
    return 0;
}

static td_store *open_store(fx *f, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s.db", f->dir, name);
    td_store *s = NULL;
    assert_int_equal(td_store_open(path, false, &s, NULL), TD_OK);
    return s;
}

/* The gazetteer record of name with geonameid gid; the country's own record
 * of cc when gid is 0. */
static int32_t rec(const td_gazetteer *g, const char *name, uint32_t gid, const char *cc)
{
    if (!gid)
        return (int32_t)td_gazetteer_country(g, cc);
    int64_t id = td_gazetteer_lookup(g, td_str_cstr(name));
    assert_true(id >= 0);
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(g, (uint32_t)id, &post, NULL);
    for (uint32_t k = 0; k < np; k++) {
        td_place p;
        td_gazetteer_place(g, td_gazetteer_posting(post, k) & ~TD_GAZ_ALT, &p);
        if (p.geonameid == gid)
            return (int32_t)p.idx;
    }
    fail_msg("%s %u: no record", name, gid);
    return -1;
}

static void exec(td_db *db, const char *sql)
{
    td_buf err = TD_BUF_INIT;
    if (td_db_exec(db, sql, &err) != TD_OK)
        fail_msg("%s: %s", sql, err.p);
    td_buf_free(&err);
}

/* An original article of story (no copy), with no text to speak of. */
static void put_article(td_db *db, int64_t rowid, int64_t story)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO article (rowid, id, body, raw, raw_hash, body_hash, story_id)"
             " VALUES (%lld, 'a%lld', 'text', 'text', %lld, %lld, %lld)",
             (long long)rowid, (long long)rowid, (long long)rowid, (long long)rowid, (long long)story);
    exec(db, sql);
}

/* A place row as the geocoder stores it: the record of name with geonameid
 * gid (0: the country cc itself), named n times. */
static void put_place(td_db *db, const td_gazetteer *g, int64_t article, int idx, const char *name, uint32_t gid,
                      const char *cc, int n)
{
    td_place p;
    td_gazetteer_place(g, (uint32_t)rec(g, name, gid, cc), &p);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO art_entity (article, idx, type, kind, name, place, geonameid, country, lat, lon,"
             " precision, n_mentions) VALUES (%lld, %d, 3, %d, '%s', %u, %u, '%s', %f, %f, %d, %d)",
             (long long)article, idx, (int)p.kind, name, p.idx, p.geonameid, cc, isnan(p.lat) ? 0.0 : p.lat,
             isnan(p.lon) ? 0.0 : p.lon, gid ? TD_GEO_EXACT : TD_GEO_REGION, n);
    exec(db, sql);
}

/* One line per place row: "article|idx|place|geonameid|country|kind|precision|within". */
static void place_rows(td_db *db, td_buf *out)
{
    td_stmt *q = NULL;
    assert_int_equal(td_db_prepare(db,
                                   "SELECT e.article, e.idx, coalesce(e.place, -1), coalesce(e.geonameid, -1),"
                                   " coalesce(e.country, ''), e.kind, e.precision, coalesce(w.within, -1)"
                                   " FROM art_entity e LEFT JOIN art_within w ON w.article = e.article"
                                   " AND w.idx = e.idx WHERE e.type = 3 ORDER BY 1, 2",
                                   &q, NULL),
                     TD_OK);
    td_buf_clear(out);
    while (td_stmt_step(q) == TD_DB_ROW)
        td_buf_printf(out, "%lld|%lld|%lld|%lld|%s|%lld|%lld|%lld\n", (long long)td_stmt_i64(q, 0),
                      (long long)td_stmt_i64(q, 1), (long long)td_stmt_i64(q, 2), (long long)td_stmt_i64(q, 3),
                      td_stmt_text(q, 4), (long long)td_stmt_i64(q, 5), (long long)td_stmt_i64(q, 6),
                      (long long)td_stmt_i64(q, 7));
    td_stmt_finalize(q);
}

static int64_t count(td_db *db, const char *sql)
{
    td_stmt *q = NULL;
    assert_int_equal(td_db_prepare(db, sql, &q, NULL), TD_OK);
    assert_int_equal(td_stmt_step(q), TD_DB_ROW);
    int64_t n = td_stmt_i64(q, 0);
    td_stmt_finalize(q);
    return n;
}

static uint32_t update(td_db *db, const td_gazetteer *g)
{
    uint32_t n = 0;
    td_buf err = TD_BUF_INIT;
    td_status st = td_place_story_update(db, g, &n, &err);
    if (st != TD_OK)
        fail_msg("td_place_story_update: %s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return n;
}

/* Story 100: article 1 names only Quillmarsh (a village of Ostrelia);
 * articles 2 and 3 are about Norvania. */
static void first_part(td_db *db, const td_gazetteer *g)
{
    put_article(db, 1, 100);
    put_place(db, g, 1, 0, "Quillmarsh", 9000010, "XB", 1);
    put_article(db, 2, 100);
    put_place(db, g, 2, 0, "Norvania", 0, "XA", 2);
    put_article(db, 3, 100);
    put_place(db, g, 3, 0, "Velmoor", 9000001, "XA", 2);
}

/* Three more reports of story 100, about Ostrelia: now its country. */
static void second_part(td_db *db, const td_gazetteer *g)
{
    for (int64_t a = 4; a <= 6; a++) {
        put_article(db, a, 100);
        put_place(db, g, a, 0, "Ostrelia", 0, "XB", 2);
    }
}

static void a_grown_corpus_ends_as_one_ingested_at_once(void **state)
{
    fx *f = *state;
    const td_gazetteer *g = f->md->gaz;
    td_buf once = TD_BUF_INIT, twice = TD_BUF_INIT, geocoded = TD_BUF_INIT;
    /* the whole story at once: Ostrelia has the most votes, the village
     * stays where the geocoder put it */
    td_store *a = open_store(f, "once");
    td_db *da = td_store_sql(a);
    first_part(da, g);
    second_part(da, g);
    place_rows(da, &geocoded);
    assert_int_equal(update(da, g), 0);
    place_rows(da, &once);
    assert_string_equal(once.p, geocoded.p);
    /* the same corpus in two runs: the first judges the village by a
     * Norvanian context; the second, on the whole story, must end the same */
    td_store *b = open_store(f, "twice");
    td_db *db = td_store_sql(b);
    first_part(db, g);
    assert_int_equal(update(db, g), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM art_entity WHERE article = 1 AND country = 'XA'"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM place_story_orig"), 1);
    assert_int_equal(update(db, g), 0); /* a redo of the same finish changes nothing */
    second_part(db, g);
    assert_int_equal(update(db, g), 1);
    place_rows(db, &twice);
    assert_string_equal(twice.p, once.p);
    assert_int_equal(count(db, "SELECT count(*) FROM place_story_orig"), 0);
    td_store_close(a);
    td_store_close(b);
    td_buf_free(&once);
    td_buf_free(&twice);
    td_buf_free(&geocoded);
}

static void a_row_stored_anew_is_judged_from_its_new_values(void **state)
{
    fx *f = *state;
    const td_gazetteer *g = f->md->gaz;
    td_store *s = open_store(f, "anew");
    td_db *db = td_store_sql(s);
    first_part(db, g);
    assert_int_equal(update(db, g), 1);
    /* the article re-extracted: its row now Ostrelia's Springhill (95,000
     * people: not evidence of its own) */
    exec(db, "DELETE FROM art_entity WHERE article = 1");
    exec(db, "DELETE FROM art_within WHERE article = 1");
    put_place(db, g, 1, 0, "Springhill", 9000005, "XB", 1);
    assert_int_equal(update(db, g), 1);
    /* Norvania has a Springhill of its own; the saved values are the new row's */
    assert_int_equal(count(db, "SELECT geonameid FROM art_entity WHERE article = 1"), 9000004);
    assert_int_equal(count(db, "SELECT geonameid FROM place_story_orig WHERE article = 1"), 9000005);
    /* the story turns out Ostrelian: the new row's values come back */
    second_part(db, g);
    assert_int_equal(update(db, g), 1);
    assert_int_equal(count(db, "SELECT geonameid FROM art_entity WHERE article = 1"), 9000005);
    assert_int_equal(count(db, "SELECT count(*) FROM place_story_orig"), 0);
    td_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_grown_corpus_ends_as_one_ingested_at_once),
        cmocka_unit_test(a_row_stored_anew_is_judged_from_its_new_values),
    };
    return cmocka_run_group_tests_name("place_story", tests, setup, teardown);
}
