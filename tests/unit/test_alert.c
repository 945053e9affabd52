/* test_alert.c - follows and alerts (src/alert/, src/store/sqlite_follow.c):
 * every filter of a follow, one alert per (follow, event, material change),
 * baselines, the reasons, the JSON-lines sink and its failures, the alert
 * line, and the Atom feed parsed with libxml2. The database is a fixture
 * with the columns the event stage writes (store_event.h), filled with
 * fictional events in a fictional country (XQ). */
#include "test_util.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alert/alert.h"
#include "base/alloc.h"

static const char FIXTURE[] =
    "CREATE TABLE article (rowid INTEGER PRIMARY KEY, id TEXT, url TEXT, outlet TEXT, title TEXT,"
    "  published TEXT, body TEXT);"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, content='article', content_rowid='rowid');"
    "CREATE TRIGGER article_ai AFTER INSERT ON article BEGIN"
    "  INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END;"
    "CREATE TABLE entity (id INTEGER PRIMARY KEY, type TEXT, name TEXT, lat REAL, lon REAL, country TEXT,"
    "  geonames_id INTEGER);"
    "CREATE TABLE alias (entity_id INTEGER, surface TEXT, count INTEGER);"
    "CREATE TABLE event (id INTEGER PRIMARY KEY, story_id INTEGER, type TEXT NOT NULL, actor_id INTEGER,"
    "  target_id INTEGER, place_id INTEGER, date TEXT, date_precision TEXT, killed_min INTEGER,"
    "  killed_max INTEGER, killed INTEGER, actor TEXT, target TEXT, place TEXT, country TEXT, lat REAL,"
    "  lon REAL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE event_source (event_id INTEGER, article_id INTEGER, sentence TEXT, confidence REAL,"
    "  sentence_idx INTEGER, mention_idx INTEGER);"
    "CREATE TABLE mention (article_id INTEGER, entity_id INTEGER, sentence INTEGER);"
    "INSERT INTO entity VALUES (1, 'person', 'Anselm Rook', NULL, NULL, 'XQ', NULL),"
    "  (2, 'org', 'Grey Tide Brigade', NULL, NULL, 'XQ', NULL),"
    "  (3, 'place', 'Kelmar', -30.10, -40.20, 'XQ', NULL),"
    "  (4, 'place', 'Brisa Harbour', -31.00, -41.50, 'XQ', NULL),"
    "  (5, 'place', 'Ostrel & <Sons> Quay', -29.90, -40.25, 'XQ', NULL);"
    "INSERT INTO alias VALUES (1, 'Rook', 3), (1, 'A. Rook', 1), (2, 'GTB', 4), (3, 'Kelmaar', 1);"
    "INSERT INTO article (rowid, id, url, outlet, title, published, body) VALUES"
    "  (1, 'k1', 'https://coastwire.example/kelmar-shelling', 'Coast Wire', 'Shells hit Kelmar market',"
    "   '2025-07-02', 'Shells fired by the Grey Tide Brigade struck the Kelmar fish market on Tuesday.'),"
    "  (2, 'k2', 'https://harbourpost.example/a?x=1&y=2', 'Harbour Post', 'Ferry seized off Brisa Harbour',"
    "   '2025-07-03', 'Police led by Anselm Rook seized a ferry off Brisa Harbour.'),"
    "  (3, 'k3', NULL, 'Coast Wire', 'Kelmar toll rises',"
    "   '2025-07-04', 'The toll from the Kelmar shelling rose to nine, medics said.');"
    "INSERT INTO event (id, type, actor_id, place_id, date, date_precision, killed_min, killed_max, killed,"
    "  place, country, lat, lon, created_at, updated_at, revision) VALUES"
    "  (1, 'shelling', 2, 3, '2025-07-01', 'day', 4, 4, 4, 'Kelmar', 'XQ', -30.10, -40.20,"
    "   '2025-07-02T08:00:00Z', '2025-07-02T08:00:00Z', 1),"
    "  (2, 'raid_or_arrest', 1, 4, '2025-07-03', 'day', NULL, NULL, NULL, 'Brisa Harbour', 'XQ', -31.00,"
    "   -41.50, '2025-07-03T08:00:00Z', '2025-07-03T08:00:00Z', 1);"
    "INSERT INTO event_source (event_id, article_id, sentence, confidence, sentence_idx) VALUES (1, 1, 'Shells struck the Kelmar fish market.', 0.9, 0),"
    "  (2, 2, 'Police seized a ferry off Brisa Harbour.', 0.8, 0);"
    /* the Brigade is named in article 2, but not in the sentence of event 2 */
    "INSERT INTO mention VALUES (1, 2, 0), (1, 3, 0), (2, 1, 0), (2, 4, 0), (2, 2, 3);";

/* merging stamps updated_at whenever it bumps a revision */
#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

static td_db *open_fixture(void)
{
    td_db *db = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_db_open(":memory:", TD_DB_CREATE, &db, &err), TD_OK);
    if (td_db_exec(db, FIXTURE, &err) != TD_OK)
        fail_msg("fixture: %s", err.p);
    assert_int_equal(td_store_follow_ensure(db, &err), TD_OK);
    td_buf_free(&err);
    return db;
}

static void exec(td_db *db, const char *sql)
{
    td_buf err = TD_BUF_INIT;
    if (td_db_exec(db, sql, &err) != TD_OK)
        fail_msg("%s: %s", sql, err.p);
    td_buf_free(&err);
}

static int64_t scalar(td_db *db, const char *sql)
{
    td_stmt *st = NULL;
    assert_int_equal(td_db_prepare(db, sql, &st, NULL), TD_OK);
    assert_int_equal(td_stmt_step(st), TD_DB_ROW);
    int64_t v = td_stmt_i64(st, 0);
    td_stmt_finalize(st);
    return v;
}

static int64_t add(td_db *db, td_follow *f)
{
    td_buf err = TD_BUF_INIT;
    int64_t id = 0;
    if (f->sink == TD_SINK_NONE)
        f->sink = TD_SINK_FEED;
    assert_int_equal(td_alert_follow_check(f, &err), TD_OK);
    assert_int_equal(td_store_follow_add(db, f, &id, &err), TD_OK);
    td_buf_free(&err);
    f->id = id;
    return id;
}

typedef struct hits {
    int64_t ids[8];
    int n;
} hits;

static td_status hit(void *ud, int64_t event_id, int64_t revision)
{
    hits *h = ud;
    (void)revision;
    if (h->n < 8)
        h->ids[h->n++] = event_id;
    return TD_OK;
}

/* The events f matches now, as a bit set (bit i = event i). */
static unsigned matches(td_db *db, const td_follow *f)
{
    hits h = { { 0 }, 0 };
    td_buf err = TD_BUF_INIT;
    td_status st = td_alert_match(db, f, false, 0, hit, &h, &err);
    if (st != TD_OK)
        fail_msg("match: %s", err.p);
    td_buf_free(&err);
    unsigned set = 0;
    for (int i = 0; i < h.n; i++)
        set |= 1u << h.ids[i];
    return set;
}

static void filters(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    td_follow f = { .min_killed = -1 };
    assert_int_equal(matches(db, &f), (1u << 1) | (1u << 2));          /* no filter: everything */

    td_follow e1 = { .min_killed = -1, .entity = "Grey Tide Brigade" };
    assert_int_equal(matches(db, &e1), 1u << 1);
    td_follow e2 = { .min_killed = -1, .entity = "gtb" };             /* an alias, any case */
    assert_int_equal(matches(db, &e2), 1u << 1);
    td_follow e3 = { .min_killed = -1, .entity = "Rook" };
    assert_int_equal(matches(db, &e3), 1u << 2);
    td_follow e4 = { .min_killed = -1, .entity = "Nobody Known" };
    assert_int_equal(matches(db, &e4), 0);
    /* named in the sentence reporting the event, though neither actor nor target */
    exec(db, "INSERT INTO entity VALUES (6, 'person', 'Mara Vell', NULL, NULL, 'XQ', NULL);"
             "INSERT INTO mention VALUES (2, 6, 0), (1, 6, 4);");
    td_follow e5 = { .min_killed = -1, .entity = "Mara Vell" };
    assert_int_equal(matches(db, &e5), 1u << 2);   /* not event 1: article 1 names her elsewhere */

    td_follow p1 = { .min_killed = -1, .place = "Kelmaar" };          /* a place's alias */
    assert_int_equal(matches(db, &p1), 1u << 1);
    td_follow p2 = { .min_killed = -1, .place = "xq" };               /* a country code */
    assert_int_equal(matches(db, &p2), (1u << 1) | (1u << 2));

    /* Brisa Harbour is ~160 km from Kelmar */
    double d = td_alert_km(-30.10, -40.20, -31.00, -41.50);
    assert_true(d > 140 && d < 180);
    td_follow n1 = { .min_killed = -1, .near = true, .near_lat = -30.0, .near_lon = -40.2, .near_km = 20 };
    assert_int_equal(matches(db, &n1), 1u << 1);
    n1.near_km = d + 20;
    assert_int_equal(matches(db, &n1), (1u << 1) | (1u << 2));

    td_follow t1 = { .min_killed = -1, .type = "raid_or_arrest" };
    assert_int_equal(matches(db, &t1), 1u << 2);
    td_follow q1 = { .min_killed = -1, .query = "ferry" };
    assert_int_equal(matches(db, &q1), 1u << 2);
    td_follow q2 = { .min_killed = -1, .query = "fish market" };
    assert_int_equal(matches(db, &q2), 1u << 1);
    td_follow k1 = { .min_killed = 4 };
    assert_int_equal(matches(db, &k1), 1u << 1);
    k1.min_killed = 5;
    assert_int_equal(matches(db, &k1), 0);

    /* filters AND together */
    td_follow a1 = { .min_killed = -1, .entity = "GTB", .type = "raid_or_arrest" };
    assert_int_equal(matches(db, &a1), 0);
    td_follow a2 = { .min_killed = 2, .entity = "GTB", .place = "Kelmar", .type = "shelling" };
    assert_int_equal(matches(db, &a2), 1u << 1);
    td_db_close(db);
}

static void follow_checks(void **state)
{
    (void)state;
    td_buf err = TD_BUF_INIT;
    td_follow bad_type = { .min_killed = -1, .type = "picnic", .sink = TD_SINK_FEED };
    assert_int_equal(td_alert_follow_check(&bad_type, &err), TD_EINVAL);
    assert_non_null(strstr(err.p, "--type"));
    td_buf_clear(&err);
    td_follow bad_km = { .min_killed = -1, .near = true, .near_km = 0, .sink = TD_SINK_FEED };
    assert_int_equal(td_alert_follow_check(&bad_km, &err), TD_EINVAL);
    assert_non_null(strstr(err.p, "--km"));
    td_buf_clear(&err);
    td_follow bad_url = { .min_killed = -1, .sink = TD_SINK_WEBHOOK, .target = "ftp://x.example/" };
    assert_int_equal(td_alert_follow_check(&bad_url, &err), TD_EINVAL);
    td_buf_clear(&err);
    td_follow bad_q = { .min_killed = -1, .query = "  ", .sink = TD_SINK_FEED };
    assert_int_equal(td_alert_follow_check(&bad_q, &err), TD_EINVAL);
    td_buf_free(&err);
    assert_true(td_alert_url_ok("http://127.0.0.1:9/hook"));
    assert_true(td_alert_url_ok("https://hooks.example/a?b=c"));
    assert_false(td_alert_url_ok("https://"));
    assert_false(td_alert_url_ok("http://a b.example/"));
    assert_false(td_alert_url_ok("file:///etc/passwd"));
}

static void reasons(void **state)
{
    (void)state;
    td_follow_seen a = { .revision = 1, .n_sources = 2, .killed_max = 4, .date = "2025-07-01",
                         .date_precision = "day" };
    td_follow_seen b = a;
    assert_string_equal(td_alert_reason(NULL, &a), "new");
    b.revision = 2;
    assert_null(td_alert_reason(&a, &b));              /* a revision alone is not a change */
    b.n_sources = 3;
    assert_string_equal(td_alert_reason(&a, &b), "source");
    b.killed_max = 9;
    assert_string_equal(td_alert_reason(&a, &b), "toll"); /* the toll outranks a new source */
    b = a;
    b.killed_max = 3;
    assert_null(td_alert_reason(&a, &b));              /* a lower figure does not alert */
    td_follow_seen m = { .revision = 1, .n_sources = 1, .killed_max = -1, .date = "2025-07",
                         .date_precision = "month" };
    td_follow_seen d = m;
    snprintf(d.date, sizeof d.date, "2025-07-01");
    snprintf(d.date_precision, sizeof d.date_precision, "day");
    assert_string_equal(td_alert_reason(&m, &d), "date");
    td_follow_seen none = m;
    none.date[0] = '\0';
    assert_string_equal(td_alert_reason(&none, &m), "date"); /* a date found */
    assert_null(td_alert_reason(&m, &none));                  /* a date lost is not news */
}

static int64_t n_alerts(td_db *db)
{
    return scalar(db, "SELECT count(*) FROM alert");
}

static void once_per_change(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    td_follow f = { .min_killed = -1, .place = "Kelmar" };
    add(db, &f);
    td_buf err = TD_BUF_INIT;
    td_alert_stats st = { 0 };
    assert_int_equal(td_alert_scan(db, 0, false, &st, &err), TD_OK);
    assert_int_equal(st.created, 1);
    assert_int_equal(n_alerts(db), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE reason = 'new' AND event_id = 1"), 1);

    /* the same state again, and a copy of the event that does not move its
     * revision: nothing */
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    exec(db, "INSERT INTO article (rowid, id, title, body, outlet, published) VALUES (4, 'k1-copy',"
             " 'Shells hit Kelmar market', 'Shells struck the Kelmar fish market.', 'Reposter', '2025-07-02');"
             "INSERT INTO event_source (event_id, article_id, sentence, confidence, sentence_idx) VALUES (1, 4, 'Shells struck the Kelmar fish market.', 0.9, 1);");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 1);

    /* merging bumps the revision for that source: one "source" alert */
    exec(db, "UPDATE event SET revision = 2, updated_at = " NOW " WHERE id = 1");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE reason = 'source' AND revision = 2"), 1);
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 2);

    /* a higher toll */
    exec(db, "INSERT INTO event_source (event_id, article_id, sentence, confidence, sentence_idx) VALUES (1, 3, 'The toll rose to nine.', 0.7, 1);"
             "UPDATE event SET killed_max = 9, revision = 3, updated_at = " NOW " WHERE id = 1");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE reason = 'toll' AND revision = 3"), 1);
    /* the payload is the event as it is now */
    td_stmt *q = NULL;
    assert_int_equal(td_db_prepare(db, "SELECT payload FROM alert WHERE revision = 3", &q, NULL),
                     TD_OK);
    assert_int_equal(td_stmt_step(q), TD_DB_ROW);
    json_error_t je;
    json_t *ev = json_loads(td_stmt_text(q, 0), 0, &je);
    td_stmt_finalize(q);
    assert_non_null(ev);
    assert_int_equal(json_integer_value(json_object_get(ev, "killed_max")), 9);
    assert_int_equal(json_integer_value(json_object_get(ev, "n_sources")), 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "place"), "name")), "Kelmar");
    assert_int_equal(json_array_size(json_object_get(ev, "sources")), 3);
    json_decref(ev);

    /* a revision bump with nothing material: no alert, but seen */
    exec(db, "UPDATE event SET revision = 4, updated_at = " NOW ", target = 'market' WHERE id = 1");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 3);
    assert_int_equal(scalar(db, "SELECT revision FROM follow_seen WHERE event_id = 1"), 4);

    /* an event that starts matching later is new for this follow */
    exec(db, "UPDATE event SET place_id = 3, revision = 2, updated_at = " NOW " WHERE id = 2");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE event_id = 2 AND reason = 'new'"), 1);

    /* merging dropped event 2 and gave its id to a new event: that is new
     * too, even at a revision the follow saw for the old one */
    exec(db, "DELETE FROM event WHERE id = 2;"
             "INSERT INTO event (id, type, place_id, date, date_precision, created_at, updated_at, revision)"
             " VALUES (2, 'protest', 3, '2025-07-06', 'day', '2025-07-06T10:00:00Z', " NOW ", 2);");
    int64_t before = n_alerts(db);
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), before + 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE event_id = 2 AND revision = 2"), 2);
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), before + 1);
    td_buf_free(&err);
    td_db_close(db);
}

static void baseline_and_rm(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    td_follow f = { .min_killed = -1 };
    int64_t id = add(db, &f);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_alert_scan(db, id, true, NULL, &err), TD_OK);   /* what `follow add` does */
    assert_int_equal(n_alerts(db), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM follow_seen"), 2);
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 0);
    exec(db, "INSERT INTO event (id, type, place_id, date, date_precision, created_at, updated_at)"
             " VALUES (3, 'protest', 4, '2025-07-05', 'day', " NOW ", " NOW ");"
             "INSERT INTO event_source (event_id, article_id, sentence, confidence, sentence_idx) VALUES (3, 2, 'Dockers marched in Brisa Harbour.', 0.6, 2);");
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 1);
    /* a second follow sees the same event once too */
    td_follow g = { .min_killed = -1, .type = "protest" };
    add(db, &g);
    assert_int_equal(td_alert_scan(db, 0, false, NULL, &err), TD_OK);
    assert_int_equal(n_alerts(db), 2);
    assert_int_equal(td_store_follow_rm(db, id, &err), TD_OK);
    assert_int_equal(n_alerts(db), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM follow_seen WHERE follow_id = 1"), 0);
    assert_int_equal(td_store_follow_rm(db, id, &err), TD_ENOTFOUND);
    td_follow back;
    assert_int_equal(td_store_follow_get(db, g.id, &back, &err), TD_OK);
    assert_string_equal(back.type, "protest");
    assert_null(back.entity);
    assert_int_equal(back.min_killed, -1);
    assert_int_equal(back.sink, TD_SINK_FEED);
    td_store_follow_clear(&back);
    td_buf_free(&err);
    td_db_close(db);
}

/* Reads a whole file into a malloc'd string. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *p = calloc(1, 1 << 16);
    size_t n = fread(p, 1, (1 << 16) - 1, fp);
    p[n] = '\0';
    fclose(fp);
    return p;
}

static void jsonl_sink(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    char dir[] = "/tmp/td_alert_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], missing[160];
    snprintf(path, sizeof path, "%s/alerts.jsonl", dir);
    snprintf(missing, sizeof missing, "%s/not-yet/alerts.jsonl", dir);
    td_follow ok = { .min_killed = -1, .sink = TD_SINK_JSONL, .target = path };
    td_follow broken = { .min_killed = -1, .sink = TD_SINK_JSONL, .target = missing, .type = "shelling" };
    add(db, &ok);
    add(db, &broken);
    td_alert_opts o;
    td_alert_opts_default(&o);
    td_alert_stats st = { 0 };
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_alert_run(db, &o, &st, &err), TD_OK);
    assert_int_equal(st.created, 3);
    assert_int_equal(st.sent, 2);
    assert_int_equal(st.failed, 1);
    /* the file has two lines, each a JSON alert naming its follow and event */
    char *text = slurp(path);
    assert_non_null(text);
    int lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        json_t *a = json_loads(line, 0, NULL);
        assert_non_null(a);
        assert_string_equal(json_string_value(json_object_get(a, "kind")), "alert");
        assert_int_equal(json_integer_value(json_object_get(a, "follow")), ok.id);
        assert_string_equal(json_string_value(json_object_get(a, "reason")), "new");
        json_t *ev = json_object_get(a, "event");
        assert_int_equal(json_integer_value(json_object_get(ev, "id")), json_integer_value(json_object_get(a, "event_id")));
        assert_non_null(json_string_value(json_object_get(ev, "summary")));
        json_decref(a);
    }
    free(text);
    assert_int_equal(lines, 2);
    /* the failure is on the row, with the path and the reason */
    td_stmt *q = NULL;
    assert_int_equal(td_db_prepare(db, "SELECT last_error, attempts, sent_at FROM alert WHERE follow_id = ?1", &q, NULL), TD_OK);
    td_stmt_bind_i64(q, 1, broken.id);
    assert_int_equal(td_stmt_step(q), TD_DB_ROW);
    assert_non_null(strstr(td_stmt_text(q, 0), missing));
    assert_int_equal((int)td_stmt_i64(q, 1), 1);
    assert_int_equal(td_stmt_type(q, 2), TD_COL_NULL);
    td_stmt_finalize(q);
    /* the next run delivers it once the folder exists; nothing is sent twice */
    char sub[160];
    snprintf(sub, sizeof sub, "%s/not-yet", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    memset(&st, 0, sizeof st);
    assert_int_equal(td_alert_run(db, &o, &st, &err), TD_OK);
    assert_int_equal(st.created, 0);
    assert_int_equal(st.sent, 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE sent_at IS NULL"), 0);
    text = slurp(path);
    int nl = 0;
    for (char *c = text; *c; c++)
        nl += *c == '\n';
    assert_int_equal(nl, 2); /* the first follow's file did not get its alerts again */
    free(text);
    text = slurp(missing);
    assert_non_null(strstr(text, "\"reason\":\"new\""));
    free(text);
    unlink(missing);
    rmdir(sub);
    unlink(path);
    rmdir(dir);
    td_buf_free(&err);
    td_db_close(db);
}

static void webhook_unreachable(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    /* port 9 (discard) on loopback: nothing listens in the test environment */
    td_follow f = { .min_killed = -1, .sink = TD_SINK_WEBHOOK, .target = "http://127.0.0.1:9/hook" };
    add(db, &f);
    td_alert_opts o;
    td_alert_opts_default(&o);
    o.tries = 2;
    o.backoff_ms = 1;
    o.timeout_ms = 2000;
    td_alert_stats st = { 0 };
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_alert_run(db, &o, &st, &err), TD_OK);   /* a dead receiver never fails ingest */
    assert_int_equal(st.created, 2);
    assert_int_equal(st.failed, 1);                               /* the second waits behind the first */
    assert_int_equal(st.sent, 0);
    assert_int_equal(scalar(db, "SELECT attempts FROM alert ORDER BY id LIMIT 1"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM alert WHERE last_error IS NOT NULL AND next_try > 0"), 1);
    /* within its backoff the next run does not try again */
    o.backoff_ms = 60000;
    exec(db, "UPDATE alert SET next_try = strftime('%s','now') + 600 WHERE last_error IS NOT NULL");
    memset(&st, 0, sizeof st);
    assert_int_equal(td_alert_run(db, &o, &st, &err), TD_OK);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.waiting, 2);
    td_buf_free(&err);
    td_db_close(db);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static void atom_feed(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    /* a place name and URL that must be escaped */
    exec(db, "UPDATE event SET place = NULL, place_id = 5, killed_min = 4, killed_max = 9, killed = 4 WHERE id = 1");
    td_follow f = { .min_killed = -1, .place = "XQ" };
    add(db, &f);
    td_buf out = TD_BUF_INIT, err = TD_BUF_INIT;
    assert_int_equal(td_alert_feed_atom(db, f.id, "http://127.0.0.1:8080", &out, &err), TD_OK);
    xmlDocPtr doc = xmlReadMemory(out.p, (int)out.len, "feed.atom", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        fail_msg("not well-formed XML:\n%s", out.p);
    xmlNodePtr feed = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)feed->name, "feed");
    assert_non_null(feed->ns);
    assert_string_equal((const char *)feed->ns->href, "http://www.w3.org/2005/Atom");
    assert_non_null(child(feed, "id"));
    assert_non_null(child(feed, "title"));
    assert_non_null(child(feed, "updated"));
    assert_non_null(child(feed, "author"));
    int entries = 0;
    bool saw_escaped = false, saw_toll = false, saw_link = false;
    for (xmlNodePtr e = feed->children; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "entry") != 0)
            continue;
        entries++;
        int alternates = 0;
        for (const char *req = "id\0title\0updated\0summary\0content\0"; *req; req += strlen(req) + 1)
            if (!child(e, req))
                fail_msg("entry without <%s>", req);
        xmlChar *upd = xmlNodeGetContent(child(e, "updated"));
        assert_int_equal(strlen((const char *)upd), 20);   /* RFC 3339 UTC: YYYY-MM-DDTHH:MM:SSZ */
        assert_int_equal(upd[10], 'T');
        xmlFree(upd);
        xmlChar *content = xmlNodeGetContent(child(e, "content"));
        if (strstr((const char *)content, "Ostrel & <Sons> Quay"))
            saw_escaped = true;
        if (strstr((const char *)content, "Killed: 4 (sources say 4 to 9)"))
            saw_toll = true;
        xmlFree(content);
        for (xmlNodePtr l = e->children; l; l = l->next) {
            if (l->type != XML_ELEMENT_NODE || strcmp((const char *)l->name, "link") != 0)
                continue;
            xmlChar *rel = xmlGetProp(l, (const xmlChar *)"rel"), *href = xmlGetProp(l, (const xmlChar *)"href");
            if (strcmp((const char *)rel, "alternate") == 0)
                alternates++;
            if (strcmp((const char *)href, "https://harbourpost.example/a?x=1&y=2") == 0)
                saw_link = true;
            xmlFree(rel);
            xmlFree(href);
        }
        assert_true(alternates <= 1);
    }
    assert_int_equal(entries, 2);
    assert_true(saw_escaped);
    assert_true(saw_toll);
    assert_true(saw_link);
    xmlFreeDoc(doc);
    /* an unknown follow */
    td_buf_clear(&out);
    assert_int_equal(td_alert_feed_atom(db, 99, NULL, &out, &err), TD_ENOTFOUND);
    td_buf_free(&out);
    td_buf_free(&err);
    td_db_close(db);
}

static void no_follows_no_work(void **state)
{
    (void)state;
    td_db *db = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_db_open(":memory:", TD_DB_CREATE, &db, &err), TD_OK);
    /* no tables at all (a database from before follows): nothing, no error */
    assert_false(td_store_follow_any(db));
    assert_int_equal(td_alert_run(db, NULL, NULL, &err), TD_OK);
    td_db_close(db);
    /* follows but no events yet */
    assert_int_equal(td_db_open(":memory:", TD_DB_CREATE, &db, &err), TD_OK);
    assert_int_equal(td_store_follow_ensure(db, &err), TD_OK);
    td_follow f = { .min_killed = -1, .sink = TD_SINK_FEED };
    int64_t id;
    assert_int_equal(td_store_follow_add(db, &f, &id, &err), TD_OK);
    assert_true(td_store_follow_any(db));
    assert_int_equal(td_alert_run(db, NULL, NULL, &err), TD_OK);
    td_buf_free(&err);
    td_db_close(db);
}

/* Every allocation of a scan and of a feed failing in turn: TD_ENOMEM or
 * TD_OK, never a crash, a leak (ASan) or a half-written scan. */
static void allocation_failures(void **state)
{
    (void)state;
    td_db *db = open_fixture();
    td_follow f = { .min_killed = -1 };
    add(db, &f);
    td_buf err = TD_BUF_INIT;
    td_status st = TD_ENOMEM;
    int n;
    for (n = 0; n < 2000 && st != TD_OK; n++) {
        td_buf_clear(&err);
        td_alloc_fail_after(n);
        st = td_alert_scan(db, 0, false, NULL, &err);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        if (st != TD_OK) /* rolled back: nothing half-made */
            assert_int_equal(n_alerts(db), 0);
    }
    assert_int_equal(st, TD_OK);
    assert_true(n > 1);
    assert_int_equal(n_alerts(db), 2);
    st = TD_ENOMEM;
    for (n = 0; n < 2000 && st != TD_OK; n++) {
        td_buf out = TD_BUF_INIT;
        td_alloc_fail_after(n);
        st = td_alert_feed_atom(db, f.id, NULL, &out, &err);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        td_buf_free(&out);
    }
    assert_int_equal(st, TD_OK);
    td_buf_free(&err);
    td_db_close(db);
}

static void line_format(void **state)
{
    (void)state;
    td_alert_row a = { .id = 7, .follow_id = 2, .event_id = 40, .revision = 3, .reason = "toll",
                       .payload = "{\"id\":40,\"summary\":\"Shelling in \\\"Kelmar\\\"\"}",
                       .created_at = "2025-07-04T10:00:00Z" };
    td_buf b = TD_BUF_INIT;
    td_alert_line(&a, &b);
    assert_null(strchr(b.p, '\n'));
    json_t *j = json_loads(b.p, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 7);
    assert_int_equal(json_integer_value(json_object_get(j, "revision")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "reason")), "toll");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "event"), "summary")),
                        "Shelling in \"Kelmar\"");
    json_decref(j);
    td_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filters),
        cmocka_unit_test(follow_checks),
        cmocka_unit_test(reasons),
        cmocka_unit_test(once_per_change),
        cmocka_unit_test(baseline_and_rm),
        cmocka_unit_test(jsonl_sink),
        cmocka_unit_test(webhook_unreachable),
        cmocka_unit_test(atom_feed),
        cmocka_unit_test(no_follows_no_work),
        cmocka_unit_test(line_format),
        cmocka_unit_test(allocation_failures),
    };
    int rc = cmocka_run_group_tests_name("alert", tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
