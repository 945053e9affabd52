/*
 * test_search.c - full-text search with filters and events near a point,
 * on a small database of fictional articles built here: ranking (title
 * weighs more), snippets with match marks, each filter alone, dates
 * widened to the end of a month, filters a database cannot answer, the
 * R*Tree rebuilt from events and queried by distance. Every case runs on
 * SQLite and, when TIDINGS_TEST_PG names a server, again on PostgreSQL in a
 * store of its own (all migrations, so migration 8's tsvector, view and
 * td_km are what is tested there), with the same rows.
 */
#include "test_util.h"

#include <math.h>
#include "db/db.h"

#include "search/search.h"
#include "store/store.h"

static const char SCHEMA[] =
    "CREATE TABLE article (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, url TEXT, outlet TEXT, title TEXT,"
    " published TEXT, body TEXT, duplicate_of INTEGER, story_id INTEGER);"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, content='article', content_rowid='rowid',"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER article_ai AFTER INSERT ON article BEGIN"
    " INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END;"
    "CREATE TABLE entity (id INTEGER PRIMARY KEY, type TEXT, name TEXT, lat REAL, lon REAL, country TEXT,"
    " geonames_id INTEGER);"
    "CREATE TABLE alias (entity_id INTEGER, surface TEXT, count INTEGER);"
    "CREATE TABLE mention (article_id INTEGER, entity_id INTEGER, sentence INTEGER, \"offset\" INTEGER);"
    "CREATE TABLE event (id INTEGER PRIMARY KEY, story_id INTEGER, type TEXT, actor_id INTEGER,"
    " target_id INTEGER, place_id INTEGER, date TEXT, date_precision TEXT, killed_min INTEGER,"
    " killed_max INTEGER);"
    "CREATE TABLE event_source (event_id INTEGER, article_id INTEGER, sentence TEXT, confidence REAL);";

static const char DATA[] =
    "INSERT INTO article (rowid, id, outlet, title, published, body, story_id) VALUES"
    " (1, 'a1', 'Coast Herald', 'Dock workers strike at Port Alder', '2025-03-04',"
    "  'Dock workers at Port Alder walked out on Tuesday over pay. The harbour was quiet.', 1),"
    " (2, 'a2', 'Valley Post', 'Council meets on budget', '2025-03-28',"
    "  'The council of Brenn met on the budget. A strike at the docks of Port Alder was mentioned once.', 2),"
    " (3, 'a3', 'Coast Herald', 'Ferry service resumes', '2025-04-02',"
    "  'Ferries to Gull Island resumed after the strike ended at the harbour.', 1),"
    " (4, 'a4', 'Valley Post', 'Floods in Brenn', '2025-04-10',"
    "  'Floods hit Brenn, far inland, on Thursday.', 3);"
    "INSERT INTO entity VALUES (1, 'place', 'Port Alder', 45.10, 13.60, 'XA', NULL),"
    " (2, 'place', 'Gull Island', 45.30, 13.90, 'XA', NULL), (3, 'place', 'Brenn', 47.00, 16.00, 'XA', NULL),"
    " (4, 'org', 'Dockers Union', NULL, NULL, NULL, NULL);"
    "INSERT INTO alias VALUES (4, 'the union', 3), (1, 'Alder', 2);"
    "INSERT INTO mention VALUES (1, 4, 0, 0), (3, 4, 0, 0);"
    "INSERT INTO event VALUES (10, 1, 'protest', 4, NULL, 1, '2025-03-04', 'day', NULL, NULL),"
    " (11, 1, 'statement', NULL, NULL, 2, '2025-04-01', 'day', NULL, NULL),"
    " (12, 3, 'disaster', NULL, NULL, 3, '2025-04-10', 'day', 2, 4);"
    "INSERT INTO event_source VALUES (10, 1, 'Dock workers at Port Alder walked out.', 0.9),"
    " (11, 3, 'Ferries to Gull Island resumed.', 0.8), (12, 4, 'Floods hit Brenn.', 0.9),"
    " (10, 2, 'A strike at the docks of Port Alder.', 0.4);";

/* The same rows for PostgreSQL's store tables (their NOT NULL columns). */
static const char DATA_PG[] =
    "INSERT INTO article (rowid, id, outlet, title, published, body, story_id, raw, raw_hash, body_hash) VALUES"
    " (1, 'a1', 'Coast Herald', 'Dock workers strike at Port Alder', '2025-03-04',"
    "  'Dock workers at Port Alder walked out on Tuesday over pay. The harbour was quiet.', 1, '', 1, 1),"
    " (2, 'a2', 'Valley Post', 'Council meets on budget', '2025-03-28',"
    "  'The council of Brenn met on the budget. A strike at the docks of Port Alder was mentioned once.', 2, '', 2, 2),"
    " (3, 'a3', 'Coast Herald', 'Ferry service resumes', '2025-04-02',"
    "  'Ferries to Gull Island resumed after the strike ended at the harbour.', 1, '', 3, 3),"
    " (4, 'a4', 'Valley Post', 'Floods in Brenn', '2025-04-10',"
    "  'Floods hit Brenn, far inland, on Thursday.', 3, '', 4, 4);"
    "INSERT INTO entity (id, type, name, lat, lon, country) VALUES (1, 'place', 'Port Alder', 45.10, 13.60, 'XA'),"
    " (2, 'place', 'Gull Island', 45.30, 13.90, 'XA'), (3, 'place', 'Brenn', 47.00, 16.00, 'XA'),"
    " (4, 'org', 'Dockers Union', NULL, NULL, NULL);"
    "INSERT INTO alias (entity_id, surface, count) VALUES (4, 'the union', 3), (1, 'Alder', 2);"
    "INSERT INTO mention (article_id, entity_id, sentence, \"offset\", len, how, idx) VALUES"
    " (1, 4, 0, 0, 1, 0, 0), (3, 4, 0, 0, 1, 0, 0);"
    "INSERT INTO event (id, story_id, type, actor_id, target_id, place_id, date, date_precision) VALUES"
    " (10, 1, 'protest', 4, NULL, 1, '2025-03-04', 'day'), (11, 1, 'statement', NULL, NULL, 2, '2025-04-01', 'day'),"
    " (12, 3, 'disaster', NULL, NULL, 3, '2025-04-10', 'day');"
    "UPDATE event SET killed_min = 2, killed_max = 4 WHERE id = 12;"
    "INSERT INTO event_source (event_id, article_id, sentence, confidence) VALUES"
    " (10, 1, 'Dock workers at Port Alder walked out.', 0.9),"
    " (11, 3, 'Ferries to Gull Island resumed.', 0.8), (12, 4, 'Floods hit Brenn.', 0.9),"
    " (10, 2, 'A strike at the docks of Port Alder.', 0.4);";

typedef struct hits {
    int n;
    char ids[8][8];
    bool marked[8];
} hits;

static void on_hit(void *ud, const td_search_hit *h)
{
    hits *r = ud;
    if (r->n < 8) {
        snprintf(r->ids[r->n], sizeof r->ids[0], "%s", h->id);
        r->marked[r->n] = h->snippet && strchr(h->snippet, '\x02') && strchr(h->snippet, '\x03');
    }
    r->n++;
}

static bool on_pg;         /* the group running: PostgreSQL */
static td_store *pg_store;  /* its store, while a case runs */

static td_db *open_db(bool events)
{
    td_db *db = NULL;
    if (on_pg) {
        char url[512];
        td_buf err = TD_BUF_INIT;
        assert_int_equal(td_test_pg_schema("test_search", url, sizeof url), 1);
        if (td_store_open(url, false, &pg_store, &err) != TD_OK)
            fail_msg("store on PostgreSQL: %s", err.p ? err.p : "failed");
        td_buf_free(&err);
        db = td_store_sql(pg_store);
        if (td_db_exec(db, DATA_PG, NULL) != TD_OK)
            fail_msg("rows: %s", td_db_errmsg(db));
        if (!events) /* event_geo, a view over event, goes with it */
            assert_int_equal(td_db_exec(db, "DROP TABLE event_source CASCADE; DROP TABLE event CASCADE;", NULL),
                             TD_OK);
        return db;
    }
    assert_int_equal(td_db_open(":memory:", TD_DB_CREATE, &db, NULL), TD_OK);
    assert_int_equal(td_search_init(db), TD_OK);
    assert_int_equal(td_db_exec(db, SCHEMA, NULL), TD_OK);
    assert_int_equal(td_db_exec(db, DATA, NULL), TD_OK);
    if (events)
        assert_int_equal(td_db_exec(db, TD_SEARCH_SCHEMA, NULL), TD_OK);
    else
        assert_int_equal(td_db_exec(db, "DROP TABLE event_source; DROP TABLE event;", NULL),
                         TD_OK);
    return db;
}

static void close_db(td_db *db)
{
    if (!on_pg) {
        td_db_close(db);
        return;
    }
    td_store_close(pg_store);
    pg_store = NULL;
    td_test_pg_drop("test_search");
}

static hits run(td_db *db, td_search_query q, td_status want, int64_t *total)
{
    hits r = { 0 };
    td_buf err = TD_BUF_INIT;
    int64_t t = -1;
    assert_int_equal(td_search_articles(db, &q, on_hit, &r, &t, &err), want);
    if (want == TD_OK && q.offset == 0 && r.n < (int)(q.limit ? q.limit : 20))
        assert_int_equal(t, r.n); /* the count agrees with the rows */
    td_buf_free(&err);
    if (total)
        *total = t;
    return r;
}

static void ranks_and_filters_articles(void **state)
{
    (void)state;
    td_db *db = open_db(true);
    size_t n = 0;
    assert_int_equal(td_search_geo_update(db, &n, NULL), TD_OK);
    assert_int_equal(n, 3);

    /* "strike" is in a1's title: a1 ranks first; the body snippets of the
     * others mark the match */
    hits r = run(db, (td_search_query){ .text = "strike" }, TD_OK, NULL);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.ids[0], "a1");
    assert_false(r.marked[0]);
    assert_true(r.marked[1] && r.marked[2]);
    /* every word must match; quoted phrases; prefixes; OR */
    assert_int_equal(run(db, (td_search_query){ .text = "strike harbour" }, TD_OK, NULL).n, 2);
    assert_int_equal(run(db, (td_search_query){ .text = "\"Port Alder\" council" }, TD_OK, NULL).n, 1);
    assert_int_equal(run(db, (td_search_query){ .text = "ferr*" }, TD_OK, NULL).n, 1);
    assert_int_equal(run(db, (td_search_query){ .text = "floods OR ferries" }, TD_OK, NULL).n, 2);
    /* FTS5 syntax in user text is taken literally */
    assert_int_equal(run(db, (td_search_query){ .text = "strike AND NEAR(" }, TD_OK, NULL).n, 0);
    /* outlet and dates; "to" a month includes its last day */
    r = run(db, (td_search_query){ .text = "strike", .outlet = "Coast Herald" }, TD_OK, NULL);
    assert_int_equal(r.n, 2);
    assert_int_equal(run(db, (td_search_query){ .text = "strike", .to = "2025-03" }, TD_OK, NULL).n, 2);
    r = run(db, (td_search_query){ .text = "strike", .from = "2025-04" }, TD_OK, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.ids[0], "a3");
    /* events: type and place (by name or alias) of events the article reports */
    r = run(db, (td_search_query){ .text = "strike", .type = "protest" }, TD_OK, NULL);
    assert_int_equal(r.n, 2);
    r = run(db, (td_search_query){ .text = "strike", .place = "gull island" }, TD_OK, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.ids[0], "a3");
    assert_int_equal(run(db, (td_search_query){ .text = "strike", .place = "Alder" }, TD_OK, NULL).n, 2);
    /* entities named, by alias */
    r = run(db, (td_search_query){ .text = "strike", .entity = "the union" }, TD_OK, NULL);
    assert_int_equal(r.n, 2);
    /* near a point: Port Alder's events are within 5 km, Gull Island's 30 km away */
    r = run(db, (td_search_query){ .text = "strike", .near = true, .lat = 45.11, .lon = 13.61, .km = 5 }, TD_OK,
            NULL);
    assert_int_equal(r.n, 2);
    r = run(db, (td_search_query){ .text = "strike", .near = true, .lat = 45.11, .lon = 13.61, .km = 60 }, TD_OK,
            NULL);
    assert_int_equal(r.n, 3);
    /* pagination */
    int64_t total = 0;
    r = run(db, (td_search_query){ .text = "strike", .limit = 1, .offset = 1 }, TD_OK, &total);
    assert_int_equal(r.n, 1);
    assert_int_equal(total, 3);
    /* nothing to search for */
    td_buf err = TD_BUF_INIT;
    hits none = { 0 };
    int64_t t = 0;
    td_search_query q = { .text = " \"\" ... " };
    assert_int_equal(td_search_articles(db, &q, on_hit, &none, &t, &err), TD_EINVAL);
    assert_non_null(strstr(err.p, "query"));
    td_buf_free(&err);
    close_db(db);
}

typedef struct evs {
    int n;
    int64_t ids[8];
    double km[8];
} evs;

static void on_event(void *ud, const td_search_event *e)
{
    evs *r = ud;
    if (r->n < 8) {
        r->ids[r->n] = e->id;
        r->km[r->n] = e->km;
        assert_true(fabs(td_search_km(e->lat, e->lon, 45.1, 13.6) - e->km) < 0.01);
    }
    r->n++;
}

static void finds_events_near_a_point(void **state)
{
    (void)state;
    td_db *db = open_db(true);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_search_geo_update(db, NULL, &err), TD_OK);
    /* rebuilding twice gives the same index */
    size_t n = 0;
    assert_int_equal(td_search_geo_update(db, &n, &err), TD_OK);
    assert_int_equal(n, 3);
    evs r = { 0 };
    int64_t total = 0;
    td_search_query q = { .near = true, .lat = 45.1, .lon = 13.6, .km = 40 };
    assert_int_equal(td_search_events_near(db, &q, on_event, &r, &total, &err), TD_OK);
    assert_int_equal(total, 2);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.ids[0], 10); /* nearest first */
    assert_int_equal(r.ids[1], 11);
    assert_true(r.km[0] < 0.01 && r.km[1] > 20 && r.km[1] < 40);
    /* Brenn is ~250 km away */
    q.km = 300;
    r = (evs){ 0 };
    assert_int_equal(td_search_events_near(db, &q, on_event, &r, &total, &err), TD_OK);
    assert_int_equal(total, 3);
    assert_int_equal(r.ids[2], 12);
    /* type and date filters */
    q.type = "disaster";
    r = (evs){ 0 };
    assert_int_equal(td_search_events_near(db, &q, on_event, &r, &total, &err), TD_OK);
    assert_int_equal(r.n, 1);
    q.type = NULL;
    q.to = "2025-03";
    r = (evs){ 0 };
    assert_int_equal(td_search_events_near(db, &q, on_event, &r, &total, &err), TD_OK);
    assert_int_equal(r.n, 1);
    /* great-circle distance: one degree of latitude is ~111 km */
    assert_true(fabs(td_search_km(0, 0, 1, 0) - 111.2) < 0.2);
    td_buf_free(&err);
    close_db(db);
}

static void names_filters_a_database_cannot_answer(void **state)
{
    (void)state;
    td_db *db = open_db(false);
    td_buf err = TD_BUF_INIT;
    hits r = { 0 };
    int64_t t = 0;
    td_search_query q = { .text = "strike", .type = "protest" };
    assert_int_equal(td_search_articles(db, &q, on_hit, &r, &t, &err), TD_EINVAL);
    assert_true(strncmp(err.p, "type:", 5) == 0);
    td_buf_clear(&err);
    q = (td_search_query){ .text = "strike", .near = true, .lat = 1, .lon = 1, .km = 5 };
    assert_int_equal(td_search_articles(db, &q, on_hit, &r, &t, &err), TD_EINVAL);
    assert_true(strncmp(err.p, "near:", 5) == 0);
    td_buf_clear(&err);
    evs e = { 0 };
    assert_int_equal(td_search_events_near(db, &q, on_event, &e, &t, &err), TD_EINVAL);
    /* no event table: the index update is a no-op */
    assert_int_equal(td_search_geo_update(db, NULL, &err), TD_OK);
    /* plain search still works */
    q = (td_search_query){ .text = "strike" };
    assert_int_equal(td_search_articles(db, &q, on_hit, &r, &t, &err), TD_OK);
    assert_int_equal(t, 3);
    td_buf_free(&err);
    close_db(db);
}

/* The words as a tsquery: quoted lexemes, phrases, prefixes, & and |. */
static void writes_postgresql_tsqueries(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } CASES[] = {
        { "strike harbour", "'strike' & 'harbour'" },
        { "\"Port Alder\" council", "'Port Alder' & 'council'" },
        { "ferr* OR floods", "'ferr':* | 'floods'" },
        { "O'Neil back\\slash", "'O''Neil' & 'back\\\\slash'" },
        { "OR strike !!!", "'strike'" },
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        td_buf b = TD_BUF_INIT;
        assert_true(td_search_pg_tsquery(CASES[i].in, &b));
        assert_string_equal(b.p, CASES[i].want);
        td_buf_free(&b);
    }
    td_buf b = TD_BUF_INIT;
    assert_false(td_search_pg_tsquery(" \"\" ... ", &b));
    td_buf_free(&b);
}

/* SQLite's NULL order made explicit; skipped parameters typed. */
static void adapts_query_texts_for_postgresql(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } CASES[] = {
        { "SELECT a FROM t ORDER BY a DESC, b LIMIT ?1",
          "SELECT a FROM t ORDER BY a DESC NULLS LAST, b NULLS FIRST LIMIT ?1" },
        { "SELECT (SELECT x FROM u ORDER BY x) FROM t WHERE c = ?3 ORDER BY d IS NULL, d",
          "WITH td_unused AS (SELECT CAST(?1 AS TEXT), CAST(?2 AS TEXT)) SELECT (SELECT x FROM u ORDER BY x NULLS FIRST)"
          " FROM t WHERE c = ?3 ORDER BY d IS NULL NULLS FIRST, d NULLS FIRST" },
        { "SELECT json_agg(k ORDER BY k.a DESC) FROM t WHERE s = 'ORDER BY z'",
          "SELECT json_agg(k ORDER BY k.a DESC NULLS LAST) FROM t WHERE s = 'ORDER BY z'" },
        { "WITH w AS (SELECT 1) SELECT * FROM w WHERE a = ?2 ORDER BY a NULLS LAST",
          "WITH td_unused AS (SELECT CAST(?1 AS TEXT)), w AS (SELECT 1) SELECT * FROM w WHERE a = ?2"
          " ORDER BY a NULLS LAST" },
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        td_buf b = TD_BUF_INIT;
        assert_true(td_search_pg_sql(CASES[i].in, &b));
        assert_string_equal(b.p, CASES[i].want);
        td_buf_free(&b);
    }
}

static int on_sqlite(void **state)
{
    (void)state;
    on_pg = false;
    return 0;
}

static int to_pg(void **state)
{
    (void)state;
    char url[512];
    int have = td_test_pg_schema("test_search", url, sizeof url);
    td_test_pg_drop("test_search");
    if (have <= 0) {
        printf("search on PostgreSQL: skipped (%s)\n", have == 0 ? "TIDINGS_TEST_PG is not set" : "no server");
        return have; /* -1 fails the group */
    }
    on_pg = true;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranks_and_filters_articles),
        cmocka_unit_test(finds_events_near_a_point),
        cmocka_unit_test(names_filters_a_database_cannot_answer),
        cmocka_unit_test(writes_postgresql_tsqueries),
        cmocka_unit_test(adapts_query_texts_for_postgresql),
    };
    const struct CMUnitTest pg[] = {
        cmocka_unit_test(ranks_and_filters_articles),
        cmocka_unit_test(finds_events_near_a_point),
        cmocka_unit_test(names_filters_a_database_cannot_answer),
    };
    int failed = cmocka_run_group_tests_name("search", tests, on_sqlite, NULL);
    const char *url = getenv("TIDINGS_TEST_PG");
    if (url && *url)
        failed += cmocka_run_group_tests_name("search on PostgreSQL", pg, to_pg, NULL);
    else
        printf("search on PostgreSQL: skipped (TIDINGS_TEST_PG is not set)\n");
    return failed;
}
