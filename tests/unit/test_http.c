/* test_http.c - the serve module: routing, argument parsing, static path
 * checks, FTS query building, the API handlers on a small fictional database
 * (driven without a socket), and the daemon over a real loopback socket
 * (status codes, security headers, size limit, traversal, the answer cache,
 * connections spread over the worker threads). */
#include "test_util.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/api.h"
#include "serve/http.h"
#include "store/store.h"
#include "search/search.h"
#include "summary/summary.h"

/* ---- pure helpers ---- */

static void route_matches_segments(void **state)
{
    (void)state;
    td_str caps[2];
    size_t n = 99;
    assert_true(td_http_route("/api/stats", "/api/stats", caps, 2, &n));
    assert_int_equal(n, 0);
    assert_true(td_http_route("/api/stats", "/api/stats/", caps, 2, &n));
    assert_false(td_http_route("/api/stats", "/api/statsx", caps, 2, &n));
    assert_false(td_http_route("/api/stats", "/api", caps, 2, &n));
    assert_true(td_http_route("/api/stories/*", "/api/stories/42", caps, 2, &n));
    assert_int_equal(n, 1);
    assert_str_view(caps[0], "42");
    assert_false(td_http_route("/api/stories/*", "/api/stories/", caps, 2, &n));
    assert_false(td_http_route("/api/stories/*", "/api/stories//", caps, 2, &n));
    assert_false(td_http_route("/api/stories/*", "/api/stories/4/x", caps, 2, &n));
    assert_false(td_http_route("/api/stories/*", "/api/stories/42", caps, 0, &n));
    assert_true(td_http_route("/a/*/b/*", "/a/x/b/y", caps, 2, &n));
    assert_int_equal(n, 2);
    assert_str_view(caps[1], "y");
    assert_true(td_http_route("/api", "/api", caps, 2, &n));
}

static void parses_numbers_and_points(void **state)
{
    (void)state;
    long long v = 7;
    assert_true(td_http_parse_int(NULL, 0, 10, &v));
    assert_int_equal(v, 7); /* absent: untouched */
    assert_true(td_http_parse_int("", 0, 10, &v));
    assert_true(td_http_parse_int("10", 0, 10, &v));
    assert_int_equal(v, 10);
    assert_false(td_http_parse_int("11", 0, 10, &v));
    assert_false(td_http_parse_int("-1", 0, 10, &v));
    assert_false(td_http_parse_int("3x", 0, 10, &v));
    assert_false(td_http_parse_int(" 3", 0, 10, &v));
    assert_false(td_http_parse_int("99999999999999999999999", 0, INT64_MAX, &v));
    double d = 0;
    assert_true(td_http_parse_double("2.5", 0, 10, &d));
    assert_true(fabs(d - 2.5) < 1e-12);
    assert_false(td_http_parse_double("nan", -1e9, 1e9, &d));
    assert_false(td_http_parse_double("inf", -1e9, 1e9, &d));
    assert_false(td_http_parse_double("1e400", -1e9, 1e9, &d));
    double lat = 0, lon = 0;
    assert_true(td_http_parse_point("41.5,-3.25", &lat, &lon));
    assert_true(fabs(lat - 41.5) < 1e-12 && fabs(lon + 3.25) < 1e-12);
    assert_false(td_http_parse_point("91,0", &lat, &lon));
    assert_false(td_http_parse_point("0,181", &lat, &lon));
    assert_false(td_http_parse_point("10", &lat, &lon));
    assert_false(td_http_parse_point(",10", &lat, &lon));
    assert_false(td_http_parse_point("10,", &lat, &lon));
    assert_false(td_http_parse_point("a,b", &lat, &lon));
}

static void validates_dates_and_types(void **state)
{
    (void)state;
    assert_true(td_api_valid_date("2031"));
    assert_true(td_api_valid_date("2031-04"));
    assert_true(td_api_valid_date("2031-04-30"));
    assert_true(td_api_valid_date("2032-02-29"));
    assert_false(td_api_valid_date("2031-02-29"));
    assert_false(td_api_valid_date("2031-04-31"));
    assert_false(td_api_valid_date("2031-13"));
    assert_false(td_api_valid_date("2031-4-1"));
    assert_false(td_api_valid_date("yesterday"));
    assert_false(td_api_valid_date("2031-04-01' OR 1=1"));
    assert_true(td_api_valid_event_type("airstrike"));
    assert_true(td_api_valid_event_type("raid_or_arrest"));
    assert_false(td_api_valid_event_type("Airstrike"));
    assert_false(td_api_valid_event_type("parade"));
    /* one degree of latitude is about 111 km; a point is 0 km from itself */
    assert_true(fabs(td_api_km(10, 20, 11, 20) - 111.2) < 0.5);
    assert_true(td_api_km(-33.9, 151.2, -33.9, 151.2) < 1e-9);
    assert_true(fabs(td_api_km(0, 179.5, 0, -179.5) - 111.2) < 0.5); /* across the antimeridian */
}

static void builds_fts_queries(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } CASES[] = {
        { "ferry sinking", "\"ferry\" \"sinking\"" },
        { "  port   ", "\"port\"" },
        { "\"harbour master\" strike", "\"harbour master\" \"strike\"" },
        { "minist*", "\"minist\"*" },
        { "flood OR storm", "\"flood\" OR \"storm\"" },
        { "OR flood", "\"flood\"" },
        { "flood OR", "\"flood\"" },
        { "NEAR(a b) AND c:", "\"NEAR(a\" \"b)\" \"AND\" \"c:\"" },
        { "say \"it\"\"s\"", "\"say\" \"it\" \"s\"" },
        { "d\"oh", "\"d\"\"oh\"" },
        { "Zürich", "\"Zürich\"" },
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        td_buf b = TD_BUF_INIT;
        assert_true(td_api_fts_query(CASES[i].in, &b));
        if (strcmp(b.p, CASES[i].out) != 0)
            fail_msg("fts(%s) = %s, expected %s", CASES[i].in, b.p, CASES[i].out);
        td_buf_free(&b);
    }
    td_buf b = TD_BUF_INIT;
    assert_false(td_api_fts_query("", &b));
    assert_false(td_api_fts_query("  -- ** !! ", &b));
    assert_false(td_api_fts_query(NULL, &b));
    td_buf_free(&b);
}

static void error_bodies_are_json(void **state)
{
    (void)state;
    td_http_resp r = { 0 };
    td_http_error(&r, 400, "limit: bad \"value\" %d", 3);
    assert_int_equal(r.status, 400);
    json_error_t je;
    json_t *j = json_loads(r.body.p, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "limit: bad \"value\" 3");
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 400);
    json_decref(j);
    td_buf_free(&r.body);
    assert_string_equal(td_http_mime("/x/app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(td_http_mime("/x/INDEX.HTML"), "text/html; charset=utf-8");
    assert_string_equal(td_http_mime("/x.d/file"), "application/octet-stream");
    assert_string_equal(td_http_status_text(413), "Content Too Large");
}

/* ---- static files ---- */

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void static_paths_stay_inside_root(void **state)
{
    (void)state;
    char root[128], sub[160], out[4096], secret[160], link[200];
    snprintf(root, sizeof root, "%s/root", tmpdir);
    snprintf(sub, sizeof sub, "%s/sub", root);
    assert_int_equal(mkdir(root, 0755), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    write_file("root/index.html", "<p>home</p>");
    write_file("root/sub/a.js", "1");
    write_file("root/.env", "KEY=1");
    write_file("secret.txt", "outside");
    snprintf(secret, sizeof secret, "%s/secret.txt", tmpdir);
    snprintf(link, sizeof link, "%s/leak.txt", root);
    assert_int_equal(symlink(secret, link), 0);

    assert_int_equal(td_http_static_resolve(root, "/", out, sizeof out), TD_OK);
    assert_non_null(strstr(out, "/root/index.html"));
    assert_int_equal(td_http_static_resolve(root, "/sub/a.js", out, sizeof out), TD_OK);
    assert_int_equal(td_http_static_resolve(root, "/../secret.txt", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/sub/../index.html", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/sub/./a.js", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "//etc/passwd", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/.env", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/sub\\..\\..\\secret.txt", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/leak.txt", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/missing.js", out, sizeof out), TD_ENOTFOUND);
    assert_int_equal(td_http_static_resolve(root, "/sub", out, sizeof out), TD_ENOTFOUND);
    assert_int_equal(td_http_static_resolve(root, "relative", out, sizeof out), TD_EINVAL);
    assert_int_equal(td_http_static_resolve(root, "/sub/a.js", out, 8), TD_EINVAL); /* too small */
}

/* ---- API handlers on a fictional database ---- */

/* The API cases run on SQLite and, when TIDINGS_TEST_PG names a server,
 * again on PostgreSQL (a fresh schema per case: dbpath is then its URL). */
static char dbpath[512];
static bool on_pg;

static void exec_sql(td_db *db, const char *sql)
{
    if (td_db_exec(db, sql, NULL) != TD_OK)
        fail_msg("sql: %s", td_db_errmsg(db));
}

static void make_db(void)
{
    if (on_pg)
        assert_int_equal(td_test_pg_schema("test_http", dbpath, sizeof dbpath), 1);
    else
        snprintf(dbpath, sizeof dbpath, "%s/t.db", tmpdir);
    td_store *s = NULL;
    td_buf err = TD_BUF_INIT;
    if (td_store_open(dbpath, false, &s, &err) != TD_OK)
        fail_msg("store: %s", err.p ? err.p : "failed");
    td_db *db = td_store_sql(s);
    /* five fictional articles; two are copies of the first */
    exec_sql(db,
             "INSERT INTO article (rowid, id, outlet, title, published, body, raw, raw_hash, body_hash, story_id) VALUES"
             " (1, 'a1', 'Harbour Gazette', 'Ferry sinks off Calloway Point', '2031-05-02',"
             "  'A passenger ferry sank off Calloway Point on Friday, the coast guard said. Nine people were rescued.',"
             "  'x', 1, 11, 1),"
             " (2, 'a2', 'Valley Courier', 'Coast guard searches for ferry survivors', '2031-05-03',"
             "  'Rescuers searched the waters off Calloway Point for a second day after the ferry sank.',"
             "  'x', 2, 12, 1),"
             " (3, 'a3', 'Harbour Gazette', 'Port workers strike in Dunmore', '2031-05-04',"
             "  'Dock workers in Dunmore walked out over pay, halting cargo traffic at the port.', 'x', 3, 13, 2),"
             " (4, 'a4', 'Wire Copy', 'Ferry sinks off Calloway Point', '2031-05-02',"
             "  'A passenger ferry sank off Calloway Point on Friday, the coast guard said.', 'x', 4, 11, 1),"
             " (5, 'a5', NULL, 'Undated note', NULL, 'A note about the <script>alert(1)</script> tide tables.',"
             "  'x', 5, 15, NULL);"
             "UPDATE article SET duplicate_of = 1, dup_similarity = 0.93 WHERE rowid = 4;"
             "INSERT INTO story (id, title, first_seen, last_seen) VALUES"
             " (1, 'Ferry sinking off Calloway Point', '2031-05-02', '2031-05-03'),"
             " (2, 'Dunmore port strike', '2031-05-04', '2031-05-04');");
    /* the summaries an ingest would compute (summary.h) */
    assert_int_equal(td_summary_update(td_store_sql(s), false, NULL, NULL, NULL, &err), TD_OK);
    td_store_close(s);
    td_buf_free(&err);
}

/* Query arguments of a fake request: "k=v" strings, NULL-terminated. */
static const char *fake_arg(void *ud, const char *name)
{
    const char *const *kv = ud;
    size_t n = strlen(name);
    for (; kv && *kv; kv++)
        if (strncmp(*kv, name, n) == 0 && (*kv)[n] == '=')
            return *kv + n + 1;
    return NULL;
}

/* Runs one request; returns the parsed body (caller decrefs) and *status. */
static json_t *call(td_api *api, const char *method, const char *path, const char *const *args, int *status)
{
    td_http_req req = { method, path, fake_arg, (void *)args, NULL, 0 };
    td_http_resp resp = { 0 };
    td_api_handle(api, &req, &resp);
    *status = resp.status;
    json_error_t je;
    json_t *j = json_loads(resp.body.p ? resp.body.p : "", 0, &je);
    if (!j)
        fail_msg("%s %s: not JSON: %s", method, path, resp.body.p ? resp.body.p : "(empty)");
    td_buf_free(&resp.body);
    return j;
}

static td_api *open_api(void)
{
    td_api *api = NULL;
    td_buf err = TD_BUF_INIT;
    td_api_config cfg = { dbpath, 2, 2000, NULL };
    assert_int_equal(td_api_new(&cfg, &api, &err), TD_OK);
    td_buf_free(&err);
    return api;
}

static void api_lists_and_pages_articles(void **state)
{
    (void)state;
    make_db();
    td_api *api = open_api();
    int st;
    json_t *j = call(api, "GET", "/api/stats", NULL, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "articles")), 5);
    assert_int_equal(json_integer_value(json_object_get(j, "copies")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "events")), 0); /* migration 4: tables, no rows */
    json_decref(j);

    /* newest first, two per page, walked with the cursor */
    const char *p1[] = { "limit=2", NULL };
    j = call(api, "GET", "/api/articles", p1, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 5);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")), "a3");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "id")), "a2");
    char cur[64];
    snprintf(cur, sizeof cur, "cursor=%s", json_string_value(json_object_get(j, "next_cursor")));
    json_decref(j);
    const char *p2[] = { "limit=2", cur, NULL };
    j = call(api, "GET", "/api/articles", p2, &st);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    /* a1 and a4 share a date: the later rowid first */
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")), "a4");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "id")), "a1");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "duplicate_of")), "a1");
    snprintf(cur, sizeof cur, "cursor=%s", json_string_value(json_object_get(j, "next_cursor")));
    json_decref(j);
    const char *p3[] = { "limit=2", cur, NULL };
    j = call(api, "GET", "/api/articles", p3, &st);
    items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1); /* the undated one comes last */
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")), "a5");
    assert_true(json_is_null(json_object_get(j, "next_cursor")));
    json_decref(j);

    const char *f[] = { "outlet=Harbour Gazette", "from=2031-05-03", "to=2031-05", NULL };
    j = call(api, "GET", "/api/articles", f, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);

    static const char *const BAD[][3] = {
        { "limit=0", NULL, "limit" }, { "limit=501", NULL, "limit" }, { "offset=-1", NULL, "offset" },
        { "from=2031-02-30", NULL, "from" }, { "to=soon", NULL, "to" }, { "cursor=999", NULL, "cursor" },
        { "story=x", NULL, "story" },
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const char *a[] = { BAD[i][0], NULL };
        j = call(api, "GET", "/api/articles", a, &st);
        assert_int_equal(st, 400);
        const char *msg = json_string_value(json_object_get(j, "error"));
        assert_non_null(msg);
        assert_int_equal(strncmp(msg, BAD[i][2], strlen(BAD[i][2])), 0); /* names the parameter */
        json_decref(j);
    }
    td_api_free(api);
}

static void api_article_search_and_errors(void **state)
{
    (void)state;
    make_db();
    td_api *api = open_api();
    int st;
    json_t *j = call(api, "GET", "/api/articles/a1", NULL, &st);
    assert_int_equal(st, 200);
    assert_string_equal(json_string_value(json_object_get(j, "outlet")), "Harbour Gazette");
    json_t *copies = json_object_get(j, "copies");
    assert_int_equal(json_array_size(copies), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(copies, 0), "id")), "a4");
    json_decref(j);
    j = call(api, "GET", "/api/articles/a5", NULL, &st);
    /* markup in stored text comes back as plain JSON text */
    assert_non_null(strstr(json_string_value(json_object_get(j, "body")), "<script>"));
    json_decref(j);
    j = call(api, "GET", "/api/articles/nope", NULL, &st);
    assert_int_equal(st, 404);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 404);
    json_decref(j);

    const char *q[] = { "q=ferry Calloway", NULL };
    j = call(api, "GET", "/api/search", q, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
    json_t *first = json_array_get(json_object_get(j, "items"), 0);
    /* the title match ranks first; the snippet marks the matched words */
    assert_non_null(strstr(json_string_value(json_object_get(first, "title")), "Ferry"));
    json_t *snip = json_object_get(first, "snippet");
    bool marked = false;
    for (size_t i = 0; i < json_array_size(snip); i++)
        if (json_is_true(json_object_get(json_array_get(snip, i), "match")))
            marked = strcasecmp(json_string_value(json_object_get(json_array_get(snip, i), "text")), "ferry") == 0 ||
                     marked;
    assert_true(marked);
    json_decref(j);
    const char *q2[] = { "q=ferry", "outlet=Wire Copy", NULL };
    j = call(api, "GET", "/api/search", q2, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    const char *q3[] = { "q=\"NEAR(\" OR AND", NULL }; /* FTS5 syntax is taken literally */
    j = call(api, "GET", "/api/search", q3, &st);
    assert_int_equal(st, 200);
    json_decref(j);
    const char *q4[] = { "q=!!", NULL };
    j = call(api, "GET", "/api/search", q4, &st);
    assert_int_equal(st, 400);
    json_decref(j);
    j = call(api, "GET", "/api/search", NULL, &st);
    assert_int_equal(st, 400);
    json_decref(j);
    const char *q5[] = { "q=ferry", "type=airstrike", NULL };
    j = call(api, "GET", "/api/search", q5, &st);
    assert_int_equal(st, 200); /* the event tables exist (migration 4), no event matches */
    json_decref(j);

    j = call(api, "GET", "/api/nothing", NULL, &st);
    assert_int_equal(st, 404);
    json_decref(j);
    j = call(api, "DELETE", "/api/articles/a1", NULL, &st);
    assert_int_equal(st, 405);
    json_decref(j);
    j = call(api, "POST", "/api/articles", NULL, &st);
    assert_int_equal(st, 403); /* read-only server */
    json_decref(j);
    j = call(api, "GET", "/api/events", NULL, &st);
    assert_int_equal(st, 200); /* migration 4 created the tables; no events yet */
    json_decref(j);
    td_api_free(api);
}

static void api_stories_events_entities(void **state)
{
    (void)state;
    make_db();
    td_store *store = NULL;
    assert_int_equal(td_store_open(dbpath, false, &store, NULL), TD_OK);
    td_db *db = td_store_sql(store);
    exec_sql(db,
             "CREATE TABLE IF NOT EXISTS entity (id INTEGER PRIMARY KEY, type TEXT, name TEXT, lat REAL, lon REAL, country TEXT,"
             " geonames_id INTEGER);"
             "CREATE TABLE IF NOT EXISTS alias (entity_id INTEGER, surface TEXT, count INTEGER);"
             "CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY, story_id INTEGER, type TEXT, actor_id INTEGER,"
             " target_id INTEGER, place_id INTEGER, date TEXT, date_precision TEXT, killed_min INTEGER,"
             " killed_max INTEGER);"
             "CREATE TABLE IF NOT EXISTS event_source (event_id INTEGER, article_id INTEGER, sentence TEXT, confidence REAL);"
             "CREATE TABLE IF NOT EXISTS quote (id INTEGER PRIMARY KEY, article_id INTEGER, speaker_id INTEGER, text TEXT);"
             "INSERT INTO entity VALUES (1, 'place', 'Calloway Point', 48.50, -4.70, 'XB', NULL),"
             " (2, 'place', 'Dunmore', 51.20, 1.30, 'XB', NULL), (3, 'org', 'Coast Guard', NULL, NULL, NULL, NULL),"
             " (4, 'person', 'Rhea Tolland', NULL, NULL, NULL, NULL);"
             "INSERT INTO alias VALUES (3, 'coastguard', 2), (3, 'Coast Guard', 5);"
             "INSERT INTO event (id, story_id, type, actor_id, target_id, place_id, date, date_precision, killed_min,"
             " killed_max) VALUES (1, 1, 'disaster', NULL, NULL, 1, '2031-05-02', 'day', 0, 2),"
             " (2, 1, 'statement', 3, NULL, 1, '2031-05-03', 'day', NULL, NULL),"
             " (3, 2, 'protest', NULL, NULL, 2, '2031-05-04', 'day', NULL, NULL);"
             "INSERT INTO event_source (event_id, article_id, sentence, confidence) VALUES (1, 1, 'A passenger ferry sank off Calloway Point.', 0.9),"
             " (1, 4, 'The ferry sank on Friday.', 0.4), (2, 2, 'The coast guard said the search goes on.', 0.7),"
             " (3, 3, 'Dock workers in Dunmore walked out over pay.', 0.8);"
             "INSERT INTO quote (id, article_id, speaker_id, text) VALUES (1, 2, 4, 'We will search through the night.');");
    /* the R*Tree of event places, as an ingest leaves it (search.h) */
    td_buf gerr = TD_BUF_INIT;
    size_t n_geo = 0;
    assert_int_equal(td_search_geo_update(db, &n_geo, &gerr), TD_OK);
    assert_int_equal(n_geo, 3);
    td_buf_free(&gerr);
    td_store_close(store);
    td_api *api = open_api();
    int st;
    json_t *j = call(api, "GET", "/api/stories", NULL, &st);
    assert_int_equal(st, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 2); /* latest first */
    json_decref(j);

    j = call(api, "GET", "/api/stories/1", NULL, &st);
    assert_int_equal(st, 200);
    json_t *arts = json_object_get(j, "articles");
    assert_int_equal(json_array_size(arts), 2); /* the copy is folded under a1 */
    json_t *a1 = json_array_get(arts, 0);
    assert_string_equal(json_string_value(json_object_get(a1, "id")), "a1");
    assert_int_equal(json_array_size(json_object_get(a1, "copies")), 1);
    json_t *tl = json_object_get(j, "timeline");
    assert_int_equal(json_array_size(tl), 2);
    json_t *e1 = json_array_get(tl, 0);
    assert_string_equal(json_string_value(json_object_get(e1, "date")), "2031-05-02");
    assert_string_equal(json_string_value(json_object_get(json_object_get(e1, "best"), "text")),
                        "A passenger ferry sank off Calloway Point."); /* the most confident sentence */
    assert_int_equal(json_array_size(json_object_get(e1, "sources")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "quotes")), 1);
    /* the summary: the sentences that qualify, in reading order, each
     * linked to its article, never to the copy a4 */
    json_t *sum = json_object_get(j, "summary");
    /* PostgreSQL: src/summary writes no summaries there yet (its table
     * check reads sqlite_master), so an empty list passes there */
    if (!on_pg || json_array_size(sum)) {
        assert_int_equal(json_array_size(sum), 2);
        assert_string_equal(json_string_value(json_object_get(json_array_get(sum, 0), "article")), "a1");
        assert_string_equal(json_string_value(json_object_get(json_array_get(sum, 1), "article")), "a2");
        assert_string_equal(json_string_value(json_object_get(json_array_get(sum, 0), "text")),
                            "A passenger ferry sank off Calloway Point on Friday, the coast guard said.");
    }
    json_decref(j);
    j = call(api, "GET", "/api/stories/77", NULL, &st);
    assert_int_equal(st, 404);
    json_decref(j);
    j = call(api, "GET", "/api/stories/x'1", NULL, &st);
    assert_int_equal(st, 404);
    json_decref(j);

    const char *near[] = { "near=48.6,-4.6", "km=30", NULL };
    j = call(api, "GET", "/api/events", near, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2); /* Dunmore is ~480 km away */
    json_decref(j);
    const char *actor[] = { "actor=COASTGUARD", NULL };
    j = call(api, "GET", "/api/events", actor, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    const char *filt[] = { "type=protest", "place=Dunmore", "from=2031-05", "to=2031-05-04", "story=2", NULL };
    j = call(api, "GET", "/api/events", filt, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    const char *geo[] = { "format=geojson", NULL };
    j = call(api, "GET", "/api/events", geo, &st);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "FeatureCollection");
    json_t *coords = json_object_get(json_object_get(json_array_get(json_object_get(j, "features"), 0), "geometry"), "coordinates");
    assert_int_equal(json_array_size(coords), 2);
    json_decref(j);
    static const char *const BAD[] = { "type=parade", "near=100,0", "km=5", "format=xml", "story=0" };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const char *a[] = { BAD[i], NULL };
        j = call(api, "GET", "/api/events", a, &st);
        assert_int_equal(st, 400);
        json_decref(j);
    }
    j = call(api, "GET", "/api/events/1", NULL, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_array_size(json_object_get(j, "sources")), 2);
    json_decref(j);
    j = call(api, "GET", "/api/entities/3", NULL, &st);
    assert_int_equal(st, 200);
    assert_int_equal(json_array_size(json_object_get(j, "aliases")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "events")), 1);
    json_decref(j);
    const char *et[] = { "type=place", NULL };
    j = call(api, "GET", "/api/entities", et, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    json_decref(j);
    const char *qs[] = { "speaker=Rhea Tolland", NULL };
    j = call(api, "GET", "/api/quotes", qs, &st);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    td_api_free(api);
}

/* ---- the daemon over loopback ---- */

/* Sends raw bytes to the port and returns what came back (malloc'd). */
static char *http_raw(uint16_t port, const char *req, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { 0 };
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(send(fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
    shutdown(fd, SHUT_WR);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    ssize_t r;
    while ((r = recv(fd, out + n, cap - n - 1, 0)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(fd);
    return out;
}

static void daemon_answers_over_loopback(void **state)
{
    (void)state;
    make_db();
    char root[160];
    snprintf(root, sizeof root, "%s/web", tmpdir);
    assert_int_equal(mkdir(root, 0755), 0);
    write_file("web/index.html", "<!doctype html><title>t</title>");
    write_file("private.txt", "do not serve");
    td_api *api = open_api();
    const char *roots[] = { root };
    td_http_config cfg = { 0 };
    cfg.port = 0;
    cfg.threads = 2;
    cfg.max_body = 1024;
    cfg.static_roots = roots;
    cfg.n_static_roots = 1;
    cfg.api = td_api_handle;
    cfg.api_ud = api;
    td_http_server *srv = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_http_start(&cfg, &srv, &err), TD_OK);
    uint16_t port = td_http_port(srv);
    assert_true(port > 0);

    static const char GET_STATS[] = "GET /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char *r = http_raw(port, GET_STATS, sizeof GET_STATS - 1);
    assert_non_null(strstr(r, "HTTP/1.1 200"));
    assert_non_null(strstr(r, "Content-Security-Policy: default-src 'self'"));
    assert_non_null(strstr(r, "X-Content-Type-Options: nosniff"));
    assert_non_null(strstr(r, "X-Frame-Options: DENY"));
    assert_non_null(strstr(r, "Referrer-Policy: no-referrer"));
    assert_non_null(strstr(r, "\"articles\":5"));
    free(r);

    static const char *const TRAVERSAL[] = {
        "GET /../private.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /%2e%2e/private.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /%2E%2E%2Fprivate.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /..%5cprivate.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof TRAVERSAL / sizeof TRAVERSAL[0]; i++) {
        r = http_raw(port, TRAVERSAL[i], strlen(TRAVERSAL[i]));
        assert_null(strstr(r, "do not serve"));
        assert_true(strstr(r, " 403 ") || strstr(r, " 404 ") || strstr(r, " 400 "));
        free(r);
    }
    static const char HOME[] = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    r = http_raw(port, HOME, sizeof HOME - 1);
    assert_non_null(strstr(r, "HTTP/1.1 200"));
    assert_non_null(strstr(r, "text/html"));
    free(r);
    static const char BIG[] = "POST /api/articles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                              "Content-Length: 5000\r\n\r\n";
    r = http_raw(port, BIG, sizeof BIG - 1);
    assert_non_null(strstr(r, "HTTP/1.1 413"));
    free(r);
    static const char PUT[] = "PUT /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    r = http_raw(port, PUT, sizeof PUT - 1);
    assert_non_null(strstr(r, "HTTP/1.1 405"));
    free(r);
    static const char POST[] = "POST /api/articles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               "Content-Length: 13\r\n\r\n{\"text\":\"x\"}\n";
    r = http_raw(port, POST, sizeof POST - 1);
    assert_non_null(strstr(r, "HTTP/1.1 403")); /* read-only */
    free(r);

    td_http_stop(srv);
    td_api_free(api);
    td_buf_free(&err);
}

/* A stand-in API handler that counts its calls and answers the count. */
static int n_calls;
static void counting_api(void *ud, const td_http_req *req, td_http_resp *resp)
{
    (void)ud;
    n_calls++;
    if (strcmp(req->path, "/api/missing") == 0) {
        td_http_error(resp, 404, "no such thing");
        return;
    }
    const char *v = req->arg ? req->arg(req->arg_ud, "v") : NULL;
    td_buf_printf(&resp->body, "{\"calls\":%d,\"v\":\"%s\"}", n_calls, v ? v : "");
    resp->status = 200;
}

static void answers_cached_until_the_files_change(void **state)
{
    (void)state;
    char watched[160];
    snprintf(watched, sizeof watched, "%s/t.db", tmpdir);
    write_file("t.db", "one");
    const char *files[] = { watched };
    td_http_config cfg = { 0 };
    cfg.threads = 2;
    cfg.api = counting_api;
    cfg.cache_bytes = 1 << 20;
    cfg.cache_files = files;
    cfg.n_cache_files = 1;
    td_http_server *srv = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_http_start(&cfg, &srv, &err), TD_OK);
    uint16_t port = td_http_port(srv);
    n_calls = 0;
    static const char A[] = "GET /api/x?v=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    static const char B[] = "GET /api/x?v=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    static const char H[] = "HEAD /api/x?v=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    static const char M[] = "GET /api/missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    static const char P[] = "POST /api/x?v=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    char *r = http_raw(port, A, sizeof A - 1);
    assert_non_null(strstr(r, "{\"calls\":1,\"v\":\"1\"}"));
    free(r);
    /* the same GET (and HEAD) again: from the cache, the handler is not called */
    r = http_raw(port, A, sizeof A - 1);
    assert_non_null(strstr(r, "{\"calls\":1,\"v\":\"1\"}"));
    assert_non_null(strstr(r, "Content-Security-Policy"));
    free(r);
    r = http_raw(port, H, sizeof H - 1);
    assert_non_null(strstr(r, "HTTP/1.1 200"));
    free(r);
    assert_int_equal(n_calls, 1);
    /* other arguments are another answer; errors and POSTs are never kept */
    r = http_raw(port, B, sizeof B - 1);
    assert_non_null(strstr(r, "\"v\":\"2\""));
    free(r);
    for (int i = 0; i < 2; i++) {
        free(http_raw(port, M, sizeof M - 1));
        free(http_raw(port, P, sizeof P - 1));
    }
    assert_int_equal(n_calls, 6);
    /* the watched file changes: the next GET is answered afresh */
    write_file("t.db", "one and two");
    r = http_raw(port, A, sizeof A - 1);
    assert_non_null(strstr(r, "{\"calls\":7,\"v\":\"1\"}"));
    free(r);
    r = http_raw(port, A, sizeof A - 1);
    assert_non_null(strstr(r, "{\"calls\":7,"));
    free(r);
    /* a change with no write through the server (another process): seen
     * once the check interval has passed */
    write_file("t.db", "one, two and three");
    usleep(2 * 1000 * 2); /* twice the default cache_check_us of 1 ms */
    r = http_raw(port, A, sizeof A - 1);
    assert_non_null(strstr(r, "{\"calls\":8,\"v\":\"1\"}"));
    free(r);
    td_http_stop(srv);
    td_buf_free(&err);
}

/* A stand-in API handler that answers the number of its worker thread, in
 * the order the threads first answered. */
static pthread_t seen_threads[8];
static int n_seen;
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static void thread_api(void *ud, const td_http_req *req, td_http_resp *resp)
{
    (void)ud, (void)req;
    pthread_mutex_lock(&seen_mu);
    int k = 0;
    while (k < n_seen && !pthread_equal(seen_threads[k], pthread_self()))
        k++;
    if (k == n_seen && n_seen < 8)
        seen_threads[n_seen++] = pthread_self();
    pthread_mutex_unlock(&seen_mu);
    td_buf_printf(&resp->body, "{\"worker\":%d}", k);
    resp->status = 200;
}

/* Sends one keep-alive GET on fd and returns the worker number answered. */
static int worker_of(int fd)
{
    static const char REQ[] = "GET /api/w HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(fd, REQ, sizeof REQ - 1, MSG_NOSIGNAL), (ssize_t)(sizeof REQ - 1));
    char buf[4096];
    size_t n = 0;
    const char *w = NULL;
    while (!w && n < sizeof buf - 1) {
        ssize_t r = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        assert_true(r > 0);
        n += (size_t)r;
        buf[n] = '\0';
        w = strstr(buf, "{\"worker\":");
        if (w && !strchr(w, '}'))
            w = NULL;  /* the body is not all here yet */
    }
    assert_non_null(w);
    return atoi(w + strlen("{\"worker\":"));
}

/* Kept-alive connections are dealt evenly over the worker threads (with
 * libmicrohttpd's own thread pool, whichever worker woke first took them). */
static void connections_spread_over_workers(void **state)
{
    (void)state;
    td_http_config cfg = { 0 };
    cfg.threads = 4;
    cfg.api = thread_api;
    td_http_server *srv = NULL;
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_http_start(&cfg, &srv, &err), TD_OK);
    n_seen = 0;
    int fds[12], per_worker[8] = { 0 };
    for (int i = 0; i < 12; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { 0 };
        sa.sin_family = AF_INET;
        sa.sin_port = htons(td_http_port(srv));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0);
        int w = worker_of(fds[i]);
        assert_true(w >= 0 && w < 4);
        per_worker[w]++;
        assert_int_equal(worker_of(fds[i]), w); /* a connection stays on its worker */
    }
    assert_int_equal(n_seen, 4);
    for (int w = 0; w < 4; w++)
        assert_int_equal(per_worker[w], 3);
    /* a closed connection frees its worker's place: the next one goes there */
    int gone = worker_of(fds[5]);
    close(fds[5]);
    usleep(500 * 1000); /* the close is noticed by the worker's event loop */
    fds[5] = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { 0 };
    sa.sin_family = AF_INET;
    sa.sin_port = htons(td_http_port(srv));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fds[5], (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(worker_of(fds[5]), gone);
    for (int i = 0; i < 12; i++)
        close(fds[i]);
    td_http_stop(srv);
    td_buf_free(&err);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/td-http-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (on_pg)
        td_test_pg_drop("test_http");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_matches_segments),
        cmocka_unit_test(parses_numbers_and_points),
        cmocka_unit_test(validates_dates_and_types),
        cmocka_unit_test(builds_fts_queries),
        cmocka_unit_test(error_bodies_are_json),
        cmocka_unit_test_setup_teardown(static_paths_stay_inside_root, setup, teardown),
        cmocka_unit_test_setup_teardown(api_lists_and_pages_articles, setup, teardown),
        cmocka_unit_test_setup_teardown(api_article_search_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(api_stories_events_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(daemon_answers_over_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(answers_cached_until_the_files_change, setup, teardown),
        cmocka_unit_test(connections_spread_over_workers),
    };
    int failed = cmocka_run_group_tests_name("http", tests, NULL, NULL);
    const struct CMUnitTest pg[] = {
        cmocka_unit_test_setup_teardown(api_lists_and_pages_articles, setup, teardown),
        cmocka_unit_test_setup_teardown(api_article_search_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(api_stories_events_entities, setup, teardown),
    };
    char probe[512];
    int have = td_test_pg_schema("test_http", probe, sizeof probe);
    td_test_pg_drop("test_http");
    if (have > 0) {
        on_pg = true;
        failed += cmocka_run_group_tests_name("http API on PostgreSQL", pg, NULL, NULL);
    } else {
        printf("http API on PostgreSQL: skipped (%s)\n", have == 0 ? "TIDINGS_TEST_PG is not set" : "no server");
        failed += have < 0;
    }
    return failed;
}
