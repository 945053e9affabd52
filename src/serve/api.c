/*
 * api.c - the resources of the JSON API (see api.h and docs/api.md).
 *
 * Every resource is one small handler in ROUTES[]; the dispatcher matches
 * the path, checks the method (405 with Allow otherwise), checks that the
 * table the resource needs exists (404 with a JSON error until the stage
 * that writes it has landed), borrows a read connection from the pool, arms
 * the query time limit and calls the handler. Handlers validate their query
 * arguments (400 naming the parameter), run prepared statements and write
 * rows as JSON.
 *
 * Rows become JSON objects by column name: integers, reals, text and NULL map
 * to JSON as expected; a column whose name ends in '$' holds JSON built by
 * SQLite's json functions and is copied as is (without the '$'); the column
 * "snippet" (search) is split at its \x02/\x03 match markers into
 * [{"text":..., "match":bool}] parts, so clients never parse markup.
 *
 * The optional stage tables (event, event_source, entity, alias, mention,
 * quote, story_summary) are looked up once per request (sqlite_master, or
 * pg_class) and the SQL text is assembled only from constant fragments
 * chosen by that lookup; values are always bound.
 *
 * Both backends go through db.h (docs/api.md "On PostgreSQL"): SQLite keeps
 * its own read-only connections with mmap and a progress handler for the
 * request's time limit; PostgreSQL gets read-only sessions with
 * statement_timeout, one REPEATABLE READ snapshot per request, and query
 * texts adapted by td_search_pg_sql (SQLite's NULL order, typed gaps among
 * the parameters). The few queries with two texts (search, near, names
 * without NOCASE, JSON built in SQL) choose by ctx.pg; the JSON PostgreSQL
 * builds is written without its blanks, as SQLite writes it.
 */
#include "serve/api.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "engine.h"
#include "read/read.h"
#include "alert/alert.h"
#include "search/search.h"
#include "db/db.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
#define MAX_INGEST_ERRORS 20

#define STMT_CACHE 64

/* A prepared statement kept for reuse, keyed by its SQL text. */
typedef struct cached_stmt {
    uint64_t hash;
    char *sql;
    td_stmt *st;
} cached_stmt;

typedef struct conn {
    td_db *sql;                /* the read connection through db.h */
    sqlite3 *lite;             /* SQLite: the same connection (progress handler); NULL on PostgreSQL */
    bool busy;
    bool timed_out;            /* SQLite: the progress handler stopped a query of this request */
    struct timespec deadline;  /* the progress handler interrupts after it */
    cached_stmt cache[STMT_CACHE];  /* prepared once, reset after each use */
    size_t n_cache, evict;     /* evict: the next slot reused when full */
} conn;

struct td_api {
    conn *conns;
    size_t n;
    pthread_mutex_t mu;        /* guards conns[].busy */
    pthread_cond_t cv;         /* signalled when a connection is returned */
    unsigned query_ms;
    td_engine *engine;         /* borrowed; NULL on a read-only server */
    pthread_mutex_t ingest_mu; /* one POST at a time through the engine */
    pthread_mutex_t stats_mu;  /* guards the two fields below */
    td_buf stats;              /* the last /api/stats answer: counting copies scans the table */
    double stats_at;           /* when it was made (monotonic s); 0 = stale */
};

#define STATS_TTL 2.0

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Which optional tables exist, read once per request. */
typedef struct schema {
    bool story, event, event_source, entity, alias, mention, quote, summary, geo;
    bool approx;           /* entity_approx: places at their container's point */
} schema;

typedef struct ctx {
    td_api *api;
    conn *cn;
    td_db *sql;                /* the request's read connection */
    bool pg;                   /* it is PostgreSQL: the few queries with two texts take the second */
    const td_http_req *req;
    td_http_resp *resp;
    td_buf *out;
    schema s;
    char id[256];              /* the path's {id}, NUL-terminated */
} ctx;

/* ---- pure helpers ---- */

double td_api_km(double lat1, double lon1, double lat2, double lon2)
{
    return td_search_km(lat1, lon1, lat2, lon2);
}

bool td_api_valid_date(const char *v)
{
    if (!v)
        return false;
    size_t n = strlen(v);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? v[i] != '-' : (v[i] < '0' || v[i] > '9'))
            return false;
    }
    if (n >= 7) {
        int m = (v[5] - '0') * 10 + (v[6] - '0');
        if (m < 1 || m > 12)
            return false;
        if (n == 10) {
            int y = atoi(v), d = (v[8] - '0') * 10 + (v[9] - '0');
            static const int DAYS[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
            bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (d < 1 || d > DAYS[m - 1] || (m == 2 && d == 29 && !leap))
                return false;
        }
    }
    return true;
}

static const char *const EVENT_TYPES[] = {
    "airstrike", "shelling", "bombing", "armed_clash", "raid_or_arrest", "killing", "protest",
    "agreement", "meeting", "statement", "election", "disaster", "other",
};

bool td_api_valid_event_type(const char *v)
{
    for (size_t i = 0; v && i < sizeof EVENT_TYPES / sizeof EVENT_TYPES[0]; i++)
        if (strcmp(v, EVENT_TYPES[i]) == 0)
            return true;
    return false;
}

bool td_api_fts_query(const char *q, td_buf *out)
{
    return td_search_fts_query(q, out);
}

/* ---- the connection pool ---- */

static int progress(void *ud)
{
    conn *cn = ud;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    bool over = now.tv_sec > cn->deadline.tv_sec ||
                (now.tv_sec == cn->deadline.tv_sec && now.tv_nsec > cn->deadline.tv_nsec);
    cn->timed_out |= over;
    return over;
}

/* SQLite: a read-only connection of our own (mmap, a progress handler for
 * the request's time limit, td_km) wrapped for db.h. PostgreSQL: a
 * read-only session (default_transaction_read_only) whose statements stop
 * after query_ms (statement_timeout: a limit per statement, where SQLite's
 * progress handler bounds the whole request). */
static td_status open_conn(const char *target, unsigned query_ms, conn *cn, td_buf *err)
{
    if (td_db_is_url(target)) {
        int st = td_db_open(target, TD_DB_READONLY, &cn->sql, err);
        if (st != TD_OK)
            return st;
        char set[64];
        snprintf(set, sizeof set, "SET statement_timeout = %u", query_ms);
        if (td_db_exec(cn->sql, set, NULL) != TD_OK) {
            td_db_target_redacted(target, err);
            td_buf_printf(err, ": %s", td_db_errmsg(cn->sql));
            return TD_EDB;
        }
        return TD_OK;
    }
    int rc = sqlite3_open_v2(target, &cn->lite, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        /* mmap: every thread reads the one OS page cache instead of copying
         * pages into its own connection's cache */
        rc = sqlite3_exec(cn->lite, "PRAGMA query_only = 1; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -8000;"
                                    " SELECT count(*) FROM article LIMIT 1;", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        td_buf_printf(err, "%s: %s", target, cn->lite ? sqlite3_errmsg(cn->lite) : sqlite3_errstr(rc));
        sqlite3_close(cn->lite);
        cn->lite = NULL;
        return rc == SQLITE_NOMEM ? TD_ENOMEM : TD_EDB;
    }
    sqlite3_busy_timeout(cn->lite, 2000);
    sqlite3_progress_handler(cn->lite, 2000, progress, cn);
    td_status st = td_db_wrap_sqlite(cn->lite, &cn->sql);
    if (st == TD_OK && td_search_init(cn->sql) != TD_OK) { /* td_km */
        td_buf_printf(err, "%s: %s", target, td_db_errmsg(cn->sql));
        st = TD_EDB;
    }
    return st;
}

td_status td_api_new(const td_api_config *cfg, td_api **out, td_buf *err)
{
    struct stat sb;
    if (!cfg->db_path || (!td_db_is_url(cfg->db_path) && stat(cfg->db_path, &sb) != 0)) {
        td_buf_printf(err, "%s: no such database", cfg->db_path ? cfg->db_path : "(none)");
        return TD_ENOTFOUND;
    }
    td_api *api = td_calloc(1, sizeof *api);
    if (!api)
        return TD_ENOMEM;
    api->n = cfg->connections ? cfg->connections : 4;
    api->query_ms = cfg->query_ms ? cfg->query_ms : 5000;
    api->engine = cfg->engine;
    pthread_mutex_init(&api->mu, NULL);
    pthread_cond_init(&api->cv, NULL);
    pthread_mutex_init(&api->ingest_mu, NULL);
    pthread_mutex_init(&api->stats_mu, NULL);
    api->conns = td_calloc(api->n, sizeof *api->conns);
    if (!api->conns) {
        td_api_free(api);
        return TD_ENOMEM;
    }
    for (size_t i = 0; i < api->n; i++) {
        td_status st = open_conn(cfg->db_path, api->query_ms, &api->conns[i], err);
        if (st != TD_OK) {
            td_api_free(api);
            return st;
        }
    }
    *out = api;
    return TD_OK;
}

void td_api_free(td_api *api)
{
    if (!api)
        return;
    for (size_t i = 0; api->conns && i < api->n; i++) {
        conn *cn = &api->conns[i];
        for (size_t k = 0; k < cn->n_cache; k++) {
            td_stmt_finalize(cn->cache[k].st);
            td_free(cn->cache[k].sql);
        }
        td_db_close(cn->sql); /* SQLite: only the wrapper; the connection is closed next */
        if (cn->lite)
            sqlite3_close(cn->lite);
    }
    td_free(api->conns);
    pthread_mutex_destroy(&api->mu);
    pthread_cond_destroy(&api->cv);
    pthread_mutex_destroy(&api->ingest_mu);
    pthread_mutex_destroy(&api->stats_mu);
    td_buf_free(&api->stats);
    td_free(api);
}

/* Borrows a free connection, waiting for one; arms its deadline. */
static conn *acquire(td_api *api)
{
    pthread_mutex_lock(&api->mu);
    conn *cn = NULL;
    for (;;) {
        for (size_t i = 0; i < api->n && !cn; i++)
            if (!api->conns[i].busy)
                cn = &api->conns[i];
        if (cn)
            break;
        pthread_cond_wait(&api->cv, &api->mu);
    }
    cn->busy = true;
    cn->timed_out = false;
    pthread_mutex_unlock(&api->mu);
    clock_gettime(CLOCK_MONOTONIC, &cn->deadline);
    cn->deadline.tv_sec += api->query_ms / 1000;
    cn->deadline.tv_nsec += (long)(api->query_ms % 1000) * 1000000L;
    if (cn->deadline.tv_nsec >= 1000000000L) {
        cn->deadline.tv_sec++;
        cn->deadline.tv_nsec -= 1000000000L;
    }
    return cn;
}

static void release(td_api *api, conn *cn)
{
    pthread_mutex_lock(&api->mu);
    cn->busy = false;
    pthread_cond_signal(&api->cv);
    pthread_mutex_unlock(&api->mu);
}

/* ---- request helpers ---- */

/* The query argument, or NULL when absent or empty. */
static const char *arg(ctx *c, const char *name)
{
    const char *v = c->req->arg ? c->req->arg(c->req->arg_ud, name) : NULL;
    return v && *v ? v : NULL;
}

/* Answers 400 naming the parameter; returns false for `return bad(...)`. */
static bool bad(ctx *c, const char *param, const char *why)
{
    td_http_error(c->resp, 400, "%s: %s", param, why);
    return false;
}

static bool arg_int(ctx *c, const char *name, long long min, long long max, long long *out)
{
    if (!td_http_parse_int(arg(c, name), min, max, out)) {
        char why[96];
        snprintf(why, sizeof why, "expected an integer from %lld to %lld", min, max);
        return bad(c, name, why);
    }
    return true;
}

/* from/to dates. "to" is widened so that to=2025-03 includes 2025-03-31. */
static bool arg_date(ctx *c, const char *name, bool upper, char out[16], const char **res)
{
    const char *v = arg(c, name);
    *res = NULL;
    if (!v)
        return true;
    if (!td_api_valid_date(v))
        return bad(c, name, "expected a date YYYY, YYYY-MM or YYYY-MM-DD");
    snprintf(out, 16, "%s%s", v, upper ? "~" : "");  /* '~' sorts after digits and '-' */
    *res = out;
    return true;
}

static bool arg_page(ctx *c, long long *limit, long long *offset)
{
    *limit = DEFAULT_LIMIT;
    *offset = 0;
    return arg_int(c, "limit", 1, MAX_LIMIT, limit) && arg_int(c, "offset", 0, 1000000000LL, offset);
}

/* The connection's statement for sql, prepared on first use. Statements are
 * handed back with done(), which resets them; at most STMT_CACHE are kept
 * (a request uses far fewer, so an evicted one is never in use). On
 * PostgreSQL the text is adapted first (td_search_pg_sql: SQLite's NULL
 * order, parameters a text leaves out) and prepared on the server.
 * Returns TD_OK or a td_err. */
static int cache_get(conn *cn, const char *sql, td_stmt **out)
{
    size_t len = strlen(sql);
    uint64_t h = XXH3_64bits(sql, len);
    for (size_t k = 0; k < cn->n_cache; k++) {
        if (cn->cache[k].hash == h && strcmp(cn->cache[k].sql, sql) == 0) {
            *out = cn->cache[k].st;
            return TD_OK;
        }
    }
    td_stmt *st = NULL;
    int rc;
    if (cn->lite) {
        rc = td_db_prepare(cn->sql, sql, &st, NULL);
    } else {
        td_buf pg = TD_BUF_INIT;
        rc = td_search_pg_sql(sql, &pg) ? td_db_prepare(cn->sql, pg.p, &st, NULL) : TD_ENOMEM;
        td_buf_free(&pg);
    }
    if (rc != TD_OK) {
        td_stmt_finalize(st);
        return rc;
    }
    char *copy = td_strndup(sql, len);
    if (!copy) {
        td_stmt_finalize(st);
        return TD_ENOMEM;
    }
    size_t slot = cn->n_cache < STMT_CACHE ? cn->n_cache++ : cn->evict++ % STMT_CACHE;
    if (cn->cache[slot].st) {
        td_stmt_finalize(cn->cache[slot].st);
        td_free(cn->cache[slot].sql);
    }
    cn->cache[slot] = (cached_stmt){ h, copy, st };
    *out = st;
    return TD_OK;
}

/* Hands a statement back to the cache. */
static void done(td_stmt *st)
{
    td_stmt_reset(st);
    td_stmt_clear(st);
}

/* TD_OK, or the failure (a time limit reached already, a busy database). */
static int load_schema(ctx *c)
{
    td_stmt *st = NULL;
    int rc;
    /* PostgreSQL: the tables and views of the schema the session works in */
    if (cache_get(c->cn, c->pg ? "SELECT relname FROM pg_class WHERE relkind IN ('r', 'v', 'p', 'm')"
                                 " AND relnamespace = CAST(current_schema() AS regnamespace)"
                               : "SELECT name FROM sqlite_master WHERE type IN ('table','view')", &st) != TD_OK)
        return td_db_status(c->sql) ? td_db_status(c->sql) : TD_EDB;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        const char *n = td_stmt_text(st, 0);
        if (!n)
            continue;
        c->s.story |= strcmp(n, "story") == 0;
        c->s.event |= strcmp(n, "event") == 0;
        c->s.event_source |= strcmp(n, "event_source") == 0;
        c->s.entity |= strcmp(n, "entity") == 0;
        c->s.alias |= strcmp(n, "alias") == 0;
        c->s.mention |= strcmp(n, "mention") == 0;
        c->s.quote |= strcmp(n, "quote") == 0;
        c->s.summary |= strcmp(n, "story_summary") == 0;
        c->s.geo |= strcmp(n, "event_geo") == 0;
        c->s.approx |= strcmp(n, "entity_approx") == 0;
    }
    done(st);
    return rc == TD_DB_DONE ? TD_OK : -rc;
}

/* True when the last failure was the time limit: SQLite's progress handler
 * fired, or PostgreSQL cancelled the statement (statement_timeout; db.h
 * keeps the message, not the SQLSTATE 57014). */
static bool timed_out(ctx *c)
{
    if (c->pg && strstr(td_db_errmsg(c->sql), "statement timeout"))
        c->cn->timed_out = true; /* the request's later statements fail as "transaction is aborted" */
    return c->cn->timed_out;
}

/* rc: a td_err, or a td_stmt_step failure (its negation). */
static void db_error(ctx *c, int rc)
{
    if (rc < 0)
        rc = -rc;
    if (timed_out(c))
        td_http_error(c->resp, 503, "the query went over the time limit");
    else if (rc == TD_EBUSY)
        td_http_error(c->resp, 503, "the database is busy");
    else
        td_http_error(c->resp, 500, "database error: %s", td_db_errmsg(c->sql));
}

/* Prepares sql; on failure answers 500 (a schema the API does not know). */
static td_stmt *prep(ctx *c, const char *sql)
{
    td_stmt *st = NULL;
    int rc = cache_get(c->cn, sql, &st);
    if (rc != TD_OK) {
        if (timed_out(c) || rc == TD_EBUSY || rc == TD_ENOMEM)
            db_error(c, rc);
        else
            td_http_error(c->resp, 500, "database schema not understood: %s", td_db_errmsg(c->sql));
        return NULL;
    }
    return st;
}

static void bind_text(td_stmt *st, int i, const char *z)
{
    if (z)
        td_stmt_bind_text(st, i, z, -1);
    else
        td_stmt_bind_null(st, i);
}

static void bind_opt_int(td_stmt *st, int i, bool has, long long v)
{
    if (has)
        td_stmt_bind_i64(st, i, v);
    else
        td_stmt_bind_null(st, i);
}

/* Writes text split at the \x02 (start) and \x03 (end) match markers. */
static void put_snippet(td_buf *b, const char *z, size_t len)
{
    td_buf_putc(b, '[');
    bool match = false, first = true;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && z[j] != '\x02' && z[j] != '\x03')
            j++;
        if (j > i) {
            td_buf_puts(b, first ? "{\"text\":" : ",{\"text\":");
            td_buf_json_str(b, td_str_make(z + i, j - i));
            td_buf_printf(b, ",\"match\":%s}", match ? "true" : "false");
            first = false;
        }
        if (j < len)
            match = z[j] == '\x02';
        i = j + 1;
    }
    td_buf_putc(b, ']');
}

/* Copies JSON text without the blanks between its tokens: PostgreSQL's
 * json_build_object writes `{"a" : 1, "b" : 2}` where SQLite writes
 * `{"a":1,"b":2}`, and the answers are the same on both. */
static void put_json_compact(td_buf *b, const char *z, size_t len)
{
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = z[i];
        if (in_str) {
            if (ch == '\\' && i + 1 < len) {
                td_buf_putc(b, ch);
                ch = z[++i];
            } else if (ch == '"') {
                in_str = false;
            }
        } else if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            continue;
        } else if (ch == '"') {
            in_str = true;
        }
        td_buf_putc(b, ch);
    }
}

static void put_value(td_buf *b, td_stmt *st, int i, const char *name, bool pg)
{
    size_t nl = strlen(name);
    switch (td_stmt_type(st, i)) {
    case TD_COL_NULL:
        td_buf_puts(b, "null");
        break;
    case TD_COL_INT:
        td_buf_printf(b, "%lld", (long long)td_stmt_i64(st, i));
        break;
    case TD_COL_FLOAT: {
        double d = td_stmt_double(st, i);
        if (isfinite(d))
            td_buf_printf(b, "%.10g", d);
        else
            td_buf_puts(b, "null");
        break;
    }
    default: {
        const char *z = td_stmt_text(st, i);
        size_t len = (size_t)td_stmt_bytes(st, i);
        if (nl && name[nl - 1] == '$' && pg)
            put_json_compact(b, z, len);
        else if (nl && name[nl - 1] == '$')
            td_buf_append(b, z, len);  /* JSON made by SQLite's json functions */
        else if (strcmp(name, "snippet") == 0)
            put_snippet(b, z, len);
        else
            td_buf_json_str(b, td_str_make(z ? z : "", len));
    }
    }
}

/* Writes the row's columns as "name":value pairs (no braces). */
static void put_fields(td_buf *b, td_stmt *st, bool first, bool pg)
{
    int n = td_stmt_columns(st);
    for (int i = 0; i < n; i++) {
        const char *name = td_stmt_column_name(st, i);
        size_t nl = strlen(name);
        if (nl && name[nl - 1] == '$')
            nl--;
        if (!first || i)
            td_buf_putc(b, ',');
        td_buf_json_str(b, td_str_make(name, nl));
        td_buf_putc(b, ':');
        put_value(b, st, i, name, pg);
    }
}

/* Steps st to the end writing `[{...},...]`; finalizes st. On a database
 * error answers 5xx and returns false. *n gets the row count and *last0 the first column of the last row, if
 * given. */
static bool put_rows(ctx *c, td_stmt *st, long long *n, long long *last0)
{
    td_buf *b = c->out;
    long long rows = 0;
    int rc;
    td_buf_putc(b, '[');
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        td_buf_puts(b, rows ? ",{" : "{");
        put_fields(b, st, true, c->pg);
        td_buf_putc(b, '}');
        if (last0)
            *last0 = td_stmt_i64(st, 0);
        rows++;
    }
    td_buf_putc(b, ']');
    done(st);
    if (rc != TD_DB_DONE) {
        db_error(c, rc);
        return false;
    }
    if (n)
        *n = rows;
    return true;
}

/* `,"key":[rows]` */
static bool put_list(ctx *c, const char *key, td_stmt *st)
{
    if (!st)
        return false;
    td_buf_printf(c->out, ",\"%s\":", key);
    return put_rows(c, st, NULL, NULL);
}

/* Runs a one-column integer query (counts). */
static bool scalar(ctx *c, td_stmt *st, long long *out)
{
    if (!st)
        return false;
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW)
        *out = td_stmt_i64(st, 0);
    done(st);
    if (rc != TD_DB_ROW && rc != TD_DB_DONE) {
        db_error(c, rc);
        return false;
    }
    return true;
}

/* The entity resolver used by actor/place/speaker/entity filters: matches an
 * id, a name or (when the alias table exists) an alias, case-insensitively. */
static void entity_match(ctx *c, td_buf *q, int param)
{
    if (c->pg) { /* no NOCASE collation; an integer equals text only after a cast */
        td_buf_printf(q, "(SELECT id FROM entity WHERE CAST(id AS TEXT) = ?%d OR lower(name) = lower(?%d)", param, param);
        if (c->s.alias)
            td_buf_printf(q, " UNION SELECT entity_id FROM alias WHERE lower(surface) = lower(?%d)", param);
    } else {
        td_buf_printf(q, "(SELECT id FROM entity WHERE id = ?%d OR name = ?%d COLLATE NOCASE", param, param);
        if (c->s.alias)
            td_buf_printf(q, " UNION SELECT entity_id FROM alias WHERE surface = ?%d COLLATE NOCASE", param);
    }
    td_buf_putc(q, ')');
}

/* SQLite's LIKE ignores ASCII case; PostgreSQL's does not: ILIKE there. */
static const char *like(const ctx *c)
{
    return c->pg ? "ILIKE" : "LIKE";
}

/* A statement from an assembled buffer (which is freed). */
static td_stmt *prep_buf(ctx *c, td_buf *q)
{
    if (q->failed) {
        td_buf_free(q);
        td_http_error(c->resp, 500, "out of memory");
        return NULL;
    }
    td_stmt *st = prep(c, q->p);
    td_buf_free(q);
    return st;
}

/* The columns and joins of an event row, shared by every event listing. */
static void event_select(ctx *c, td_buf *q, bool all_sources, const char *from)
{
    td_buf_puts(q, "SELECT e.id AS id, e.type AS type, e.date AS date, e.date_precision AS date_precision,"
                   " e.story_id AS story, e.killed_min AS killed_min, e.killed_max AS killed_max,"
                   " e.actor_id AS actor_id, e.target_id AS target_id, e.place_id AS place_id,");
    if (c->s.entity)
        td_buf_puts(q, " act.name AS actor, tgt.name AS target, pl.name AS place, pl.lat AS lat,"
                       " pl.lon AS lon, pl.country AS country,");
    /* a place the gazetteer lacks stands at its container's point:
     * "city", "admin1" or "country" (docs/entities.md), else "exact" */
    if (c->s.entity && c->s.approx)
        td_buf_puts(q, " CASE WHEN pl.lat IS NOT NULL THEN coalesce((SELECT approx FROM entity_approx"
                       " WHERE id = pl.id), 'exact') END AS coord_precision,");
    else
        td_buf_puts(q, " NULL AS actor, NULL AS target, NULL AS place, NULL AS lat, NULL AS lon, NULL AS country,");
    /* PostgreSQL: json_build_object and json_agg (NULL over no rows);
     * put_value writes their JSON without blanks, as SQLite's */
    if (c->s.event_source) {
        td_buf_printf(q, " (SELECT count(*) FROM event_source es WHERE es.event_id = e.id) AS n_sources,"
                         " (SELECT %s('text', es.sentence, 'article', a.id, 'outlet', a.outlet,"
                         "   'published', a.published, 'confidence', es.confidence)"
                         "  FROM event_source es JOIN article a ON a.rowid = es.article_id WHERE es.event_id = e.id"
                         "  ORDER BY es.confidence DESC, a.published, a.rowid LIMIT 1) AS \"best$\"",
                      c->pg ? "json_build_object" : "json_object");
        if (all_sources && c->pg)
            td_buf_puts(q, ", (SELECT coalesce(json_agg(json_build_object('article', a.id, 'outlet', a.outlet,"
                           "   'published', a.published, 'title', a.title, 'sentence', es.sentence)), '[]')"
                           "  FROM event_source es JOIN article a ON a.rowid = es.article_id"
                           "  WHERE es.event_id = e.id) AS \"sources$\"");
        else if (all_sources)
            td_buf_puts(q, ", (SELECT json_group_array(json_object('article', a.id, 'outlet', a.outlet,"
                           "   'published', a.published, 'title', a.title, 'sentence', es.sentence))"
                           "  FROM event_source es JOIN article a ON a.rowid = es.article_id"
                           "  WHERE es.event_id = e.id) AS \"sources$\"");
    } else {
        td_buf_puts(q, " 0 AS n_sources, NULL AS \"best$\"");
        if (all_sources)
            td_buf_puts(q, ", '[]' AS \"sources$\"");
    }
    td_buf_printf(q, " FROM %s", from ? from : "event e");
    if (c->s.entity)
        td_buf_puts(q, " LEFT JOIN entity act ON act.id = e.actor_id LEFT JOIN entity tgt ON tgt.id = e.target_id"
                       " LEFT JOIN entity pl ON pl.id = e.place_id");
}

/* Parses the {id} of the path as a positive integer; 404 otherwise. */
static bool id_int(ctx *c, const char *what, long long *id)
{
    if (!td_http_parse_int(c->id, 1, INT64_MAX, id) || !*c->id) {
        td_http_error(c->resp, 404, "no %s '%s'", what, c->id);
        return false;
    }
    return true;
}

/* ---- handlers ---- */

typedef void (*handler_fn)(ctx *c);

static void h_index(ctx *c);

/* GET /feeds/{id}.atom: the Atom feed of a follow (alert/atom.c,
 * docs/follows.md). */
static void h_feed(ctx *c)
{
    char *end = NULL;
    long long id = strtoll(c->id, &end, 10);
    if (id <= 0 || end == c->id || strcmp(end, ".atom") != 0) {
        td_http_error(c->resp, 404, "no such feed: feeds are /feeds/ID.atom (see `tidings follow list`)");
        return;
    }
    td_buf err = TD_BUF_INIT;
    td_status st = td_store_follow_any(c->sql) ? td_alert_feed_atom(c->sql, id, NULL, c->out, &err) : TD_ENOTFOUND;
    if (st == TD_OK) {
        c->resp->status = 200;
        c->resp->content_type = "application/atom+xml; charset=utf-8";
    } else {
        td_buf_clear(c->out);
        if (st == TD_ENOTFOUND)
            td_http_error(c->resp, 404, "no follow %lld (see `tidings follow list`)", id);
        else
            td_http_error(c->resp, 500, "feed %lld: %s", id, err.len ? err.p : td_status_str(st));
    }
    td_buf_free(&err);
}

/* GET /api/follows lists the follows; POST /api/follows and DELETE
 * /api/follows/{id} write through the engine of a --allow-ingest server,
 * under its lock (alert/follow_api.c). */
static void h_follows(ctx *c)
{
    c->resp->status = td_alert_api_list(c->sql, c->api->engine != NULL, c->out);
}

static void h_follow_write(ctx *c)
{
    td_engine *e = c->api->engine;
    if (!e) {
        td_http_error(c->resp, 403, "this server is read-only (start it with --allow-ingest to change follows)");
        return;
    }
    pthread_mutex_lock(&c->api->ingest_mu);
    td_db *db = td_store_sql(td_engine_store(e));
    if (strcmp(c->req->method, "POST") == 0)
        c->resp->status = td_alert_api_add(db, c->req->body, c->req->body_len, c->out);
    else
        c->resp->status = td_alert_api_rm(db, c->id, c->out);
    pthread_mutex_unlock(&c->api->ingest_mu);
}

static void h_stats(ctx *c)
{
    td_api *api = c->api;
    pthread_mutex_lock(&api->stats_mu);
    if (api->stats.len && mono_now() - api->stats_at < STATS_TTL) {
        td_buf_append(c->out, api->stats.p, api->stats.len);
        pthread_mutex_unlock(&api->stats_mu);
        c->resp->status = 200;
        return;
    }
    pthread_mutex_unlock(&api->stats_mu);
    td_stmt *st = prep(c, "SELECT (SELECT count(*) FROM article) AS articles,"
                               " (SELECT count(DISTINCT outlet) FROM article) AS outlets,"
                               " (SELECT count(*) FROM article WHERE duplicate_of IS NOT NULL) AS copies,"
                               " (SELECT min(published) FROM article) AS first_published,"
                               " (SELECT max(published) FROM article) AS last_published");
    if (!st)
        return;
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        done(st);
        db_error(c, rc);
        return;
    }
    td_buf_putc(c->out, '{');
    put_fields(c->out, st, true, c->pg);
    done(st);
    static const struct { const char *key, *sql; size_t off; } OPT[] = {
        { "stories", "SELECT count(*) FROM story", offsetof(schema, story) },
        { "events", "SELECT count(*) FROM event", offsetof(schema, event) },
        { "entities", "SELECT count(*) FROM entity", offsetof(schema, entity) },
        { "quotes", "SELECT count(*) FROM quote", offsetof(schema, quote) },
    };
    for (size_t i = 0; i < sizeof OPT / sizeof OPT[0]; i++) {
        long long n = 0;
        if (!*(const bool *)((const char *)&c->s + OPT[i].off)) {
            td_buf_printf(c->out, ",\"%s\":null", OPT[i].key);
            continue;
        }
        if (!scalar(c, prep(c, OPT[i].sql), &n))
            return;
        td_buf_printf(c->out, ",\"%s\":%lld", OPT[i].key, n);
    }
    int version = 0;
    td_stmt *v = NULL;
    if (cache_get(c->cn, c->pg ? "SELECT coalesce(max(version), 0) FROM schema_migration" : "PRAGMA user_version",
                  &v) == TD_OK) {
        if (td_stmt_step(v) == TD_DB_ROW)
            version = (int)td_stmt_i64(v, 0);
        done(v);
    }
    td_buf_printf(c->out, ",\"schema\":%d,\"ingest\":%s,\"version\":\"%s\"}\n",
                  version, c->api->engine ? "true" : "false", TD_VERSION);
    pthread_mutex_lock(&api->stats_mu);
    td_buf_clear(&api->stats);
    td_buf_append(&api->stats, c->out->p, c->out->len);
    api->stats_at = api->stats.failed ? 0 : mono_now();
    if (api->stats.failed) {
        td_buf_free(&api->stats);
    }
    pthread_mutex_unlock(&api->stats_mu);
    c->resp->status = 200;
}

/* The article filters shared by /api/articles and /api/search. */
typedef struct art_filter {
    const char *outlet, *from, *to;
    long long story;
    bool has_story;
    char fbuf[16], tbuf[16];
} art_filter;

static bool art_filters(ctx *c, art_filter *f)
{
    f->outlet = arg(c, "outlet");
    f->has_story = arg(c, "story") != NULL;
    return arg_date(c, "from", false, f->fbuf, &f->from) && arg_date(c, "to", true, f->tbuf, &f->to) &&
           arg_int(c, "story", 1, INT64_MAX, &f->story);
}

/* Appends the conditions of the filters that are set (always "1" first), so
 * the planner can use the outlet, published and story indexes; the
 * parameter numbers stay fixed (?1 outlet, ?2 from, ?3 to, ?4 story). */
static void art_where(td_buf *q, const art_filter *f, bool pg)
{
    td_buf_puts(q, pg ? " TRUE" : " 1");
    if (f->outlet)
        td_buf_puts(q, " AND a.outlet = ?1");
    if (f->from)
        td_buf_puts(q, " AND a.published >= ?2");
    if (f->to)
        td_buf_puts(q, " AND a.published <= ?3");
    if (f->has_story)
        td_buf_puts(q, " AND a.story_id = ?4");
}

static void bind_art(td_stmt *st, const art_filter *f)
{
    bind_text(st, 1, f->outlet);
    bind_text(st, 2, f->from);
    bind_text(st, 3, f->to);
    bind_opt_int(st, 4, f->has_story, f->story);
}

/* GET /api/articles: newest first; offset or keyset cursor pagination. */
static void h_articles(ctx *c)
{
    art_filter f = { 0 };
    long long limit, offset, cursor = 0, total = 0;
    if (!art_filters(c, &f) || !arg_page(c, &limit, &offset) || !arg_int(c, "cursor", 1, INT64_MAX, &cursor))
        return;
    bool has_cursor = arg(c, "cursor") != NULL;
    char cur_pub[64] = "";
    bool cur_pub_null = true;
    if (has_cursor) {
        td_stmt *st = prep(c, "SELECT published FROM article WHERE rowid = ?1");
        if (!st)
            return;
        td_stmt_bind_i64(st, 1, cursor);
        int rc = td_stmt_step(st);
        if (rc == TD_DB_ROW && td_stmt_type(st, 0) != TD_COL_NULL) {
            snprintf(cur_pub, sizeof cur_pub, "%s", td_stmt_text(st, 0));
            cur_pub_null = false;
        }
        done(st);
        if (rc != TD_DB_ROW) {
            bad(c, "cursor", "no such position (use the next_cursor of a previous page)");
            return;
        }
        offset = 0;
    }
    td_buf q = TD_BUF_INIT;
    td_buf_puts(&q, "SELECT count(*) FROM article a WHERE");
    art_where(&q, &f, c->pg);
    td_stmt *cnt = prep_buf(c, &q);
    if (!cnt)
        return;
    bind_art(cnt, &f);
    if (!scalar(c, cnt, &total))
        return;
    td_buf_puts(&q, "SELECT a.rowid AS cursor, a.id AS id, a.url AS url, a.outlet AS outlet, a.title AS title,"
                    " a.published AS published, a.story_id AS story, d.id AS duplicate_of"
                    " FROM article a LEFT JOIN article d ON d.rowid = a.duplicate_of WHERE");
    art_where(&q, &f, c->pg);
    if (has_cursor && !cur_pub_null) /* keyset: rows after (published, rowid) in DESC order; NULLs last */
        td_buf_puts(&q, " AND (a.published < ?6 OR (a.published = ?6 AND a.rowid < ?5) OR a.published IS NULL)");
    else if (has_cursor)
        td_buf_puts(&q, " AND a.published IS NULL AND a.rowid < ?5");
    td_buf_puts(&q, " ORDER BY a.published DESC, a.rowid DESC LIMIT ?7 OFFSET ?8");
    td_stmt *st = prep_buf(c, &q);
    if (!st)
        return;
    bind_art(st, &f);
    bind_opt_int(st, 5, has_cursor, cursor);
    bind_text(st, 6, cur_pub_null ? NULL : cur_pub);
    td_stmt_bind_i64(st, 7, limit);
    td_stmt_bind_i64(st, 8, offset);
    td_buf_puts(c->out, "{\"items\":");
    long long n = 0, last = 0;
    if (!put_rows(c, st, &n, &last))
        return;
    if (n < limit)
        last = 0;  /* next_cursor only when the page is full */
    td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld,\"next_cursor\":", total, limit, offset);
    if (last)
        td_buf_printf(c->out, "\"%lld\"}\n", last);
    else
        td_buf_puts(c->out, "null}\n");
    c->resp->status = 200;
}

/* GET /api/articles/{id}: the article, its copies, events and quotes. */
static void h_article(ctx *c)
{
    td_stmt *st = prep(c, "SELECT a.rowid AS rowid, a.id AS id, a.url AS url, a.outlet AS outlet,"
                               " a.title AS title, a.subtitle AS subtitle, a.byline AS byline,"
                               " a.dateline AS dateline, a.published AS published, a.lang AS lang,"
                               " a.story_id AS story, d.id AS duplicate_of, a.dup_similarity AS similarity,"
                               " a.body AS body, a.captions AS captions"
                               " FROM article a LEFT JOIN article d ON d.rowid = a.duplicate_of WHERE a.id = ?1");
    if (!st)
        return;
    bind_text(st, 1, c->id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        done(st);
        if (rc == TD_DB_DONE)
            td_http_error(c->resp, 404, "no article '%s'", c->id);
        else
            db_error(c, rc);
        return;
    }
    long long rowid = td_stmt_i64(st, 0);
    bool has_story = td_stmt_type(st, 10) != TD_COL_NULL;
    long long story = td_stmt_i64(st, 10);
    td_buf_putc(c->out, '{');
    put_fields(c->out, st, true, c->pg);
    done(st);
    /* copies join their original's story: the story index finds them
     * without a scan (there is no index on duplicate_of) */
    st = prep(c, has_story ? "SELECT id, outlet, published, title, dup_similarity AS similarity FROM article"
                             " WHERE story_id = ?2 AND duplicate_of = ?1 ORDER BY published, rowid"
                           : "SELECT id, outlet, published, title, dup_similarity AS similarity FROM article"
                             " WHERE duplicate_of = ?1 ORDER BY published, rowid");
    if (!st)
        return;
    td_stmt_bind_i64(st, 1, rowid);
    if (has_story)
        td_stmt_bind_i64(st, 2, story);
    if (!put_list(c, "copies", st))
        return;
    if (c->s.event && c->s.event_source) {
        td_buf q = TD_BUF_INIT;
        td_buf_puts(&q, "SELECT e.id AS id, e.type AS type, e.date AS date, es.sentence AS sentence,"
                        " es.confidence AS confidence");
        td_buf_puts(&q, c->s.entity ? ", pl.name AS place" : ", NULL AS place");
        td_buf_puts(&q, " FROM event_source es JOIN event e ON e.id = es.event_id");
        if (c->s.entity)
            td_buf_puts(&q, " LEFT JOIN entity pl ON pl.id = e.place_id");
        td_buf_puts(&q, " WHERE es.article_id = ?1 ORDER BY e.date, e.id");
        if (!(st = prep_buf(c, &q)))
            return;
        td_stmt_bind_i64(st, 1, rowid);
        if (!put_list(c, "events", st))
            return;
    }
    if (c->s.quote) {
        td_buf q = TD_BUF_INIT;
        td_buf_puts(&q, "SELECT q.id AS id, q.text AS text, q.speaker_id AS speaker_id");
        td_buf_puts(&q, c->s.entity ? ", sp.name AS speaker FROM quote q LEFT JOIN entity sp ON sp.id = q.speaker_id"
                                    : ", NULL AS speaker FROM quote q");
        td_buf_puts(&q, " WHERE q.article_id = ?1 ORDER BY q.id");
        if (!(st = prep_buf(c, &q)))
            return;
        td_stmt_bind_i64(st, 1, rowid);
        if (!put_list(c, "quotes", st))
            return;
    }
    td_buf_puts(c->out, "}\n");
    c->resp->status = 200;
}

/* GET /api/search?q=: FTS5 with BM25 (title weighs 4x) and snippets. */
static void h_search(ctx *c)
{
    const char *q = arg(c, "q");
    if (!q) {
        bad(c, "q", "required: the words to search for");
        return;
    }
    td_buf fts = TD_BUF_INIT; /* FTS5's query, or PostgreSQL's tsquery */
    if (!(c->pg ? td_search_pg_tsquery(q, &fts) : td_api_fts_query(q, &fts))) {
        td_buf_free(&fts);
        bad(c, "q", "no word to search for");
        return;
    }
    art_filter f = { 0 };
    long long limit, offset, total = 0;
    const char *type = arg(c, "type"), *place = arg(c, "place"), *entity = arg(c, "entity");
    bool ok = art_filters(c, &f) && arg_page(c, &limit, &offset);
    if (ok && type && !td_api_valid_event_type(type))
        ok = bad(c, "type", "not an event type (see docs/api.md)");
    if (ok && (type || place) && !(c->s.event && c->s.event_source))
        ok = bad(c, type ? "type" : "place", "this database has no events yet");
    if (ok && place && !c->s.entity)
        ok = bad(c, "place", "this database has no places yet");
    if (ok && entity && !(c->s.entity && c->s.mention))
        ok = bad(c, "entity", "this database has no entity mentions yet");
    /* near/km: articles reporting an event within km of the point (R*Tree) */
    const char *near = arg(c, "near");
    double lat = 0, lon = 0, km = 50;
    if (ok && near && !td_http_parse_point(near, &lat, &lon))
        ok = bad(c, "near", "expected LAT,LON in degrees");
    if (ok && !td_http_parse_double(arg(c, "km"), 0.001, 20100, &km))
        ok = bad(c, "km", "expected a distance in km, above 0");
    if (ok && arg(c, "km") && !near)
        ok = bad(c, "km", "needs near=LAT,LON");
    if (ok && near && !(c->s.geo && c->s.event && c->s.event_source && c->s.entity))
        ok = bad(c, "near", "this database has no events with places yet");
    if (!ok) {
        td_buf_free(&fts);
        return;
    }
    double dlat = km / 111.0, coslat = cos(lat * M_PI / 180.0);
    double dlon = coslat > 0.01 ? km / (111.0 * coslat) : 360.0;
    td_buf where = TD_BUF_INIT;
    td_buf_puts(&where, c->pg ? " FROM article a WHERE a.fts @@ to_tsquery('simple', ?5) AND"
                              : " FROM article_fts JOIN article a ON a.rowid = article_fts.rowid"
                                " WHERE article_fts MATCH ?5 AND");
    art_where(&where, &f, c->pg);
    if (type || place) {
        td_buf_puts(&where, " AND a.rowid IN (SELECT es.article_id FROM event_source es JOIN event e"
                            " ON e.id = es.event_id WHERE (CAST(?6 AS TEXT) IS NULL OR e.type = ?6)");
        if (place) {
            td_buf_puts(&where, " AND e.place_id IN ");
            entity_match(c, &where, 7);
        }
        td_buf_putc(&where, ')');
    }
    if (entity) {
        td_buf_puts(&where, " AND a.rowid IN (SELECT m.article_id FROM mention m WHERE m.entity_id IN ");
        entity_match(c, &where, 8);
        td_buf_putc(&where, ')');
    }
    if (near && c->pg) /* the btree on entity(lat, lon) (search.h); ?11 typed for ?11 - ?13 */
        td_buf_puts(&where, " AND a.rowid IN (SELECT es.article_id FROM event_source es JOIN event e ON e.id = es.event_id"
                            " JOIN entity gp ON gp.id = e.place_id"
                            " WHERE gp.lat BETWEEN CAST(?11 AS DOUBLE PRECISION) - ?13 AND CAST(?11 AS DOUBLE PRECISION) + ?13"
                            " AND gp.lon BETWEEN CAST(?12 AS DOUBLE PRECISION) - ?14 AND CAST(?12 AS DOUBLE PRECISION) + ?14"
                            " AND td_km(gp.lat, gp.lon, ?11, ?12) <= ?15)");
    else if (near)
        td_buf_puts(&where, " AND a.rowid IN (SELECT es.article_id FROM event_source es JOIN event e ON e.id = es.event_id"
                            " JOIN entity gp ON gp.id = e.place_id WHERE e.id IN (SELECT id FROM event_geo"
                            " WHERE max_lat >= ?11 - ?13 AND min_lat <= ?11 + ?13 AND max_lon >= ?12 - ?14"
                            " AND min_lon <= ?12 + ?14) AND td_km(gp.lat, gp.lon, ?11, ?12) <= ?15)");
    td_buf sql = TD_BUF_INIT;
    bool words_only = !f.outlet && !f.from && !f.to && !f.has_story && !type && !place && !entity && !near;
    if (words_only && !c->pg)
        td_buf_puts(&sql, "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?5"); /* no row lookups */
    else
        td_buf_printf(&sql, "SELECT count(*)%s", where.p ? where.p : "");
    td_stmt *st = prep_buf(c, &sql);
    for (int pass = 0; st && pass < 2; pass++) {
        bind_art(st, &f);
        td_stmt_bind_text(st, 5, fts.p, (int)fts.len);
        if (type || place)
            bind_text(st, 6, type);
        if (place)
            bind_text(st, 7, place);
        if (entity)
            bind_text(st, 8, entity);
        if (near) {
            td_stmt_bind_double(st, 11, lat);
            td_stmt_bind_double(st, 12, lon);
            td_stmt_bind_double(st, 13, dlat);
            td_stmt_bind_double(st, 14, dlon);
            td_stmt_bind_double(st, 15, km);
        }
        if (pass == 0) {
            int rc = td_stmt_step(st);
            if (rc == TD_DB_ROW)
                total = td_stmt_i64(st, 0);
            done(st);
            st = NULL;
            if (rc != TD_DB_ROW) {
                if (rc == -TD_EDB && !timed_out(c))
                    bad(c, "q", "not a valid search");
                else
                    db_error(c, rc);
                break;
            }
            if (c->pg)
                /* PostgreSQL: ts_rank_cd negated (lower is better, as BM25),
                 * title (weight A) 4x body (B); ts_headline snippets */
                td_buf_printf(&sql, "SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published,"
                                    " a.url AS url, a.story_id AS story,"
                                    " (SELECT d.id FROM article d WHERE d.rowid = a.duplicate_of) AS duplicate_of,"
                                    " ts_headline('simple', a.body, to_tsquery('simple', ?5), %s) AS snippet,"
                                    " CAST(round(CAST(-ts_rank_cd('{0, 0, 0.25, 1}', a.fts, to_tsquery('simple', ?5))"
                                    " AS NUMERIC), 4) AS DOUBLE PRECISION) AS score%s"
                                    " ORDER BY score, a.published DESC LIMIT ?9 OFFSET ?10",
                              TD_SEARCH_PG_HEADLINE, where.p ? where.p : "");
            else if (words_only)
                /* words only: FTS5 ranks and cuts the page itself (rank with
                 * the same weights), so only the page's rows are joined and
                 * get a snippet; 3x less work on a word in a third of 100k */
                td_buf_puts(&sql, "SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published,"
                                  " a.url AS url, a.story_id AS story,"
                                  " (SELECT d.id FROM article d WHERE d.rowid = a.duplicate_of) AS duplicate_of,"
                                  " p.snippet AS snippet, round(p.score, 4) AS score"
                                  " FROM (SELECT rowid, rank AS score,"
                                  "   snippet(article_fts, 1, char(2), char(3), '…', 24) AS snippet FROM article_fts"
                                  "   WHERE article_fts MATCH ?5 AND rank MATCH 'bm25(4.0, 1.0)'"
                                  "   ORDER BY rank LIMIT ?9 OFFSET ?10) p"
                                  " JOIN article a ON a.rowid = p.rowid ORDER BY p.score, a.published DESC");
            else
                td_buf_printf(&sql, "SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published,"
                                    " a.url AS url, a.story_id AS story,"
                                    " (SELECT d.id FROM article d WHERE d.rowid = a.duplicate_of) AS duplicate_of,"
                                    " snippet(article_fts, 1, char(2), char(3), '…', 24) AS snippet,"
                                    " round(bm25(article_fts, 4.0, 1.0), 4) AS score%s"
                                    " ORDER BY bm25(article_fts, 4.0, 1.0), a.published DESC LIMIT ?9 OFFSET ?10",
                              where.p ? where.p : "");
            st = prep_buf(c, &sql);
            if (st) {
                td_stmt_bind_i64(st, 9, limit);
                td_stmt_bind_i64(st, 10, offset);
            }
        } else {
            td_buf_puts(c->out, "{\"query\":");
            td_buf_json_str(c->out, td_str_cstr(q));
            td_buf_puts(c->out, ",\"items\":");
            if (put_rows(c, st, NULL, NULL)) {
                td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
                c->resp->status = 200;
            }
            st = NULL;
        }
    }
    td_buf_free(&sql);
    td_buf_free(&where);
    td_buf_free(&fts);
}

/* GET /api/stories: most recently active first. */
static void h_stories(ctx *c)
{
    long long limit, offset, total = 0, min_articles = 1;
    char fb[16], tb[16];
    const char *from, *to, *q = arg(c, "q");
    if (!arg_page(c, &limit, &offset) || !arg_date(c, "from", false, fb, &from) || !arg_date(c, "to", true, tb, &to) ||
        !arg_int(c, "min_articles", 0, 1000000000LL, &min_articles))
        return;
    char WHERE[320];
    snprintf(WHERE, sizeof WHERE,
             " FROM story s WHERE (CAST(?1 AS TEXT) IS NULL OR s.last_seen >= ?1)"
             " AND (CAST(?2 AS TEXT) IS NULL OR s.first_seen <= ?2)"
             " AND (CAST(?3 AS TEXT) IS NULL OR s.title %s '%%' || ?3 || '%%')"
             " AND (?4 <= 1 OR (SELECT count(*) FROM article a WHERE a.story_id = s.id) >= ?4)", like(c));
    td_buf sql = TD_BUF_INIT;
    td_buf_printf(&sql, "SELECT count(*)%s", WHERE);
    td_stmt *st = prep_buf(c, &sql);
    if (!st)
        return;
    bind_text(st, 1, from);
    bind_text(st, 2, to);
    bind_text(st, 3, q);
    td_stmt_bind_i64(st, 4, min_articles);
    if (!scalar(c, st, &total))
        return;
    /* the page is chosen first, so the counts are computed for its rows only */
    td_buf_puts(&sql, "SELECT s.id AS id, s.title AS title, s.first_seen AS first_seen, s.last_seen AS last_seen,"
                      " (SELECT count(*) FROM article a WHERE a.story_id = s.id) AS articles,"
                      " (SELECT count(DISTINCT a.outlet) FROM article a WHERE a.story_id = s.id) AS outlets");
    td_buf_puts(&sql, c->s.event ? ", (SELECT count(*) FROM event e WHERE e.story_id = s.id) AS events"
                                 : ", NULL AS events");
    /* the first summary sentence, as the story's standfirst in lists */
    td_buf_puts(&sql, c->s.summary ? ", (SELECT ss.sentence FROM story_summary ss WHERE ss.story_id = s.id"
                                     " ORDER BY ss.rank LIMIT 1) AS lead"
                                   : ", NULL AS lead");
    td_buf_printf(&sql, " FROM (SELECT s.*%s ORDER BY s.last_seen DESC, s.id DESC LIMIT ?5 OFFSET ?6) s"
                        " ORDER BY s.last_seen DESC, s.id DESC", WHERE);
    if (!(st = prep_buf(c, &sql)))
        return;
    bind_text(st, 1, from);
    bind_text(st, 2, to);
    bind_text(st, 3, q);
    td_stmt_bind_i64(st, 4, min_articles);
    td_stmt_bind_i64(st, 5, limit);
    td_stmt_bind_i64(st, 6, offset);
    td_buf_puts(c->out, "{\"items\":");
    if (!put_rows(c, st, NULL, NULL))
        return;
    td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
    c->resp->status = 200;
}

/* GET /api/stories/{id}: timeline, summary, articles (copies folded), quotes.
 * A story can run to thousands of articles: the answer holds its first 200
 * originals, 500 events and 200 quotes (n_articles gives the total; the rest
 * is paged by /api/articles?story= and /api/events?story=), so one request
 * stays small and fast whatever the story's size. */
static void h_story(ctx *c)
{
    long long id;
    if (!id_int(c, "story", &id))
        return;
    td_stmt *st = prep(c, "SELECT s.id AS id, s.title AS title, s.first_seen AS first_seen,"
                               " s.last_seen AS last_seen,"
                               " (SELECT count(*) FROM article a WHERE a.story_id = s.id) AS n_articles"
                               " FROM story s WHERE s.id = ?1");
    if (!st)
        return;
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        done(st);
        if (rc == TD_DB_DONE)
            td_http_error(c->resp, 404, "no story %lld", id);
        else
            db_error(c, rc);
        return;
    }
    td_buf_putc(c->out, '{');
    put_fields(c->out, st, true, c->pg);
    done(st);

    /* Originals by date, each with its copies; a copy whose original is in
     * another story is listed on its own. */
    st = prep(c, c->pg ? "SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published,"
                         " a.url AS url, (SELECT o.id FROM article o WHERE o.rowid = a.duplicate_of) AS duplicate_of,"
                         " (SELECT coalesce(json_agg(json_build_object('id', k.id, 'outlet', k.outlet,"
                         "   'published', k.published, 'title', k.title, 'similarity', k.dup_similarity)"
                         "   ORDER BY k.published, k.rowid), '[]')"
                         "  FROM article k WHERE k.duplicate_of = a.rowid AND k.story_id = a.story_id) AS \"copies$\""
                         " FROM article a WHERE a.story_id = ?1 AND (a.duplicate_of IS NULL OR NOT EXISTS"
                         "  (SELECT 1 FROM article o WHERE o.rowid = a.duplicate_of AND o.story_id = a.story_id))"
                         " ORDER BY a.published IS NULL, a.published, a.rowid LIMIT 200"
                       : "SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published, a.url AS url,"
                 " (SELECT o.id FROM article o WHERE o.rowid = a.duplicate_of) AS duplicate_of,"
                 " (SELECT json_group_array(json_object('id', k.id, 'outlet', k.outlet, 'published', k.published,"
                 "   'title', k.title, 'similarity', k.dup_similarity))"
                 "  FROM (SELECT * FROM article c WHERE c.duplicate_of = a.rowid AND c.story_id = a.story_id"
                 "        ORDER BY c.published, c.rowid) k) AS \"copies$\""
                 " FROM article a WHERE a.story_id = ?1 AND (a.duplicate_of IS NULL OR NOT EXISTS"
                 "  (SELECT 1 FROM article o WHERE o.rowid = a.duplicate_of AND o.story_id = a.story_id))"
                 " ORDER BY a.published IS NULL, a.published, a.rowid LIMIT 200");
    if (!st)
        return;
    td_stmt_bind_i64(st, 1, id);
    if (!put_list(c, "articles", st))
        return;

    if (c->s.event) {
        td_buf q = TD_BUF_INIT;
        event_select(c, &q, true, NULL);
        td_buf_puts(&q, " WHERE e.story_id = ?1 ORDER BY e.date IS NULL, e.date, e.id LIMIT 500");
        if (!(st = prep_buf(c, &q)))
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "timeline", st))
            return;
    } else {
        td_buf_puts(c->out, ",\"timeline\":null");
    }
    if (c->s.summary) {
        st = prep(c, "SELECT s.sentence AS text, a.id AS article, a.outlet AS outlet, a.published AS published"
                     " FROM story_summary s LEFT JOIN article a ON a.rowid = s.article_id"
                     " WHERE s.story_id = ?1 ORDER BY s.rank");
        if (!st)
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "summary", st))
            return;
    } else {
        td_buf_puts(c->out, ",\"summary\":null");
    }
    if (c->s.quote) {
        td_buf q = TD_BUF_INIT;
        td_buf_puts(&q, "SELECT q.id AS id, q.text AS text, q.speaker_id AS speaker_id,");
        td_buf_puts(&q, c->s.entity ? " sp.name AS speaker," : " NULL AS speaker,");
        td_buf_puts(&q, " a.id AS article, a.outlet AS outlet, a.published AS published"
                        " FROM quote q JOIN article a ON a.rowid = q.article_id");
        if (c->s.entity)
            td_buf_puts(&q, " LEFT JOIN entity sp ON sp.id = q.speaker_id");
        /* a quote carried by several reports is listed once, at its first */
        td_buf_puts(&q, " WHERE a.story_id = ?1 AND a.duplicate_of IS NULL AND q.id = (SELECT q2.id FROM quote q2"
                        " JOIN article a2 ON a2.rowid = q2.article_id WHERE a2.story_id = ?1 AND q2.text = q.text"
                        " ORDER BY a2.published, q2.id LIMIT 1)"
                        " ORDER BY a.published, q.id LIMIT 200");
        if (!(st = prep_buf(c, &q)))
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "quotes", st))
            return;
    } else {
        td_buf_puts(c->out, ",\"quotes\":null");
    }
    td_buf_puts(c->out, "}\n");
    c->resp->status = 200;
}

/* GET /api/events with the filters of `tidings events`, and near/km. */
static void h_events(ctx *c)
{
    long long limit, offset, story = 0, total = 0;
    char fb[16], tb[16];
    const char *from, *to, *type = arg(c, "type"), *actor = arg(c, "actor"), *place = arg(c, "place");
    const char *near = arg(c, "near"), *format = arg(c, "format");
    double lat = 0, lon = 0, km = 50;
    if (!arg_page(c, &limit, &offset) || !arg_date(c, "from", false, fb, &from) || !arg_date(c, "to", true, tb, &to) ||
        !arg_int(c, "story", 1, INT64_MAX, &story))
        return;
    if (type && !td_api_valid_event_type(type)) {
        bad(c, "type", "not an event type (see docs/api.md)");
        return;
    }
    if (near && !td_http_parse_point(near, &lat, &lon)) {
        bad(c, "near", "expected LAT,LON in degrees");
        return;
    }
    if (!td_http_parse_double(arg(c, "km"), 0.001, 20100, &km)) {
        bad(c, "km", "expected a distance in km, above 0");
        return;
    }
    if (arg(c, "km") && !near) {
        bad(c, "km", "needs near=LAT,LON");
        return;
    }
    if (format && strcmp(format, "json") != 0 && strcmp(format, "geojson") != 0) {
        bad(c, "format", "expected json or geojson");
        return;
    }
    if ((actor || place || near) && !c->s.entity) {
        bad(c, actor ? "actor" : place ? "place" : "near", "this database has no entities yet");
        return;
    }
    bool has_story = arg(c, "story") != NULL;
    td_buf w = TD_BUF_INIT;
    td_buf_puts(&w, c->pg ? " WHERE TRUE" : " WHERE 1");
    if (type)
        td_buf_puts(&w, " AND e.type = ?1");
    if (from)
        td_buf_puts(&w, " AND e.date >= ?4");
    if (to)
        td_buf_puts(&w, " AND e.date <= ?5");
    if (has_story)
        td_buf_puts(&w, " AND e.story_id = ?6");
    if (actor) {
        td_buf_puts(&w, " AND e.actor_id IN ");
        entity_match(c, &w, 2);
    }
    if (place) {
        td_buf_puts(&w, " AND e.place_id IN ");
        entity_match(c, &w, 3);
    }
    if (near && c->pg) /* the btree on entity(lat, lon) (search.h); ?7 typed for ?7 - ?9 */
        td_buf_puts(&w, " AND pl.lat BETWEEN CAST(?7 AS DOUBLE PRECISION) - ?9 AND CAST(?7 AS DOUBLE PRECISION) + ?9"
                        " AND pl.lon BETWEEN CAST(?8 AS DOUBLE PRECISION) - ?10 AND CAST(?8 AS DOUBLE PRECISION) + ?10"
                        " AND td_km(pl.lat, pl.lon, ?7, ?8) <= ?11");
    else if (near && c->s.geo) /* the R*Tree's bounding box (search.h), then the exact distance */
        td_buf_puts(&w, " AND e.id IN (SELECT id FROM event_geo WHERE max_lat >= ?7 - ?9 AND min_lat <= ?7 + ?9"
                        " AND max_lon >= ?8 - ?10 AND min_lon <= ?8 + ?10) AND td_km(pl.lat, pl.lon, ?7, ?8) <= ?11");
    else if (near) /* a database from before migration 8 */
        td_buf_puts(&w, " AND pl.lat BETWEEN ?7 - ?9 AND ?7 + ?9 AND pl.lon BETWEEN ?8 - ?10 AND ?8 + ?10"
                        " AND td_km(pl.lat, pl.lon, ?7, ?8) <= ?11");
    double dlat = km / 111.0, coslat = cos(lat * M_PI / 180.0);
    double dlon = coslat > 0.01 ? km / (111.0 * coslat) : 360.0;
    if (lon - dlon < -180 || lon + dlon > 180)
        dlon = 360.0;  /* the box would cross the antimeridian: distance alone */

    td_stmt *st = NULL;
    for (int pass = 0; pass < 2; pass++) {
        td_buf q = TD_BUF_INIT, page = TD_BUF_INIT;
        /* the page of events is chosen first (by the date index), so the
         * names and source sentences are looked up for its rows only */
        td_buf_puts(&page, pass == 0 ? "SELECT count(*) FROM event e" : "(SELECT e.* FROM event e");
        if (near)
            td_buf_puts(&page, " JOIN entity pl ON pl.id = e.place_id");
        td_buf_append(&page, w.p, w.len);
        if (pass == 0) {
            td_buf_append(&q, page.p, page.len);
        } else {
            td_buf_puts(&page, " ORDER BY e.date DESC, e.id DESC LIMIT ?12 OFFSET ?13) e");
            event_select(c, &q, false, page.p);
            td_buf_puts(&q, " ORDER BY e.date DESC, e.id DESC");
        }
        td_buf_free(&page);
        if (!(st = prep_buf(c, &q)))
            break;
        bind_text(st, 1, type);
        if (actor)
            bind_text(st, 2, actor);
        if (place)
            bind_text(st, 3, place);
        bind_text(st, 4, from);
        bind_text(st, 5, to);
        bind_opt_int(st, 6, has_story, story);
        if (near) {
            td_stmt_bind_double(st, 7, lat);
            td_stmt_bind_double(st, 8, lon);
            td_stmt_bind_double(st, 9, dlat);
            td_stmt_bind_double(st, 10, dlon);
            td_stmt_bind_double(st, 11, km);
        }
        if (pass == 0) {
            if (!scalar(c, st, &total))
                break;
            continue;
        }
        td_stmt_bind_i64(st, 12, limit);
        td_stmt_bind_i64(st, 13, offset);
        if (format && strcmp(format, "geojson") == 0) {
            /* Points for the events that have a place with coordinates. */
            td_buf_puts(c->out, "{\"type\":\"FeatureCollection\",\"features\":[");
            int rc, n = 0, ilat = -1, ilon = -1;
            bool named = false;
            while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
                /* after the first step: PostgreSQL knows the columns once it has run */
                for (int i = 0; !named && i < td_stmt_columns(st); i++) {
                    if (strcmp(td_stmt_column_name(st, i), "lat") == 0)
                        ilat = i;
                    if (strcmp(td_stmt_column_name(st, i), "lon") == 0)
                        ilon = i;
                }
                named = true;
                if (ilat < 0 || ilon < 0 || td_stmt_type(st, ilat) == TD_COL_NULL || td_stmt_type(st, ilon) == TD_COL_NULL)
                    continue;
                td_buf_printf(c->out, "%s{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                                      "[%.6f,%.6f]},\"properties\":{", n++ ? "," : "",
                              td_stmt_double(st, ilon), td_stmt_double(st, ilat));
                put_fields(c->out, st, true, c->pg);
                td_buf_puts(c->out, "}}");
            }
            done(st);
            if (rc != TD_DB_DONE) {
                db_error(c, rc);
                break;
            }
            td_buf_printf(c->out, "],\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
            c->resp->content_type = "application/geo+json";
        } else {
            td_buf_puts(c->out, "{\"items\":");
            if (!put_rows(c, st, NULL, NULL))
                break;
            td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
        }
        c->resp->status = 200;
    }
    td_buf_free(&w);
}

/* GET /api/events/{id}: the event with every source sentence. */
static void h_event(ctx *c)
{
    long long id;
    if (!id_int(c, "event", &id))
        return;
    td_buf q = TD_BUF_INIT;
    event_select(c, &q, false, NULL);
    td_buf_puts(&q, " WHERE e.id = ?1");
    td_stmt *st = prep_buf(c, &q);
    if (!st)
        return;
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        done(st);
        if (rc == TD_DB_DONE)
            td_http_error(c->resp, 404, "no event %lld", id);
        else
            db_error(c, rc);
        return;
    }
    td_buf_putc(c->out, '{');
    put_fields(c->out, st, true, c->pg);
    done(st);
    if (c->s.event_source) {
        st = prep(c, "SELECT a.id AS article, a.title AS title, a.outlet AS outlet, a.published AS published,"
                     " a.url AS url, es.sentence AS sentence, es.confidence AS confidence,"
                     " (SELECT o.id FROM article o WHERE o.rowid = a.duplicate_of) AS duplicate_of"
                     " FROM event_source es JOIN article a ON a.rowid = es.article_id"
                     " WHERE es.event_id = ?1 ORDER BY es.confidence DESC, a.published, a.rowid");
        if (!st)
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "sources", st))
            return;
    } else {
        td_buf_puts(c->out, ",\"sources\":[]");
    }
    td_buf_puts(c->out, "}\n");
    c->resp->status = 200;
}

/* GET /api/entities: by how often they are named (with aliases), or by name. */
static void h_entities(ctx *c)
{
    long long limit, offset, total = 0;
    const char *type = arg(c, "type"), *q = arg(c, "q");
    if (!arg_page(c, &limit, &offset))
        return;
    char WHERE[160];
    snprintf(WHERE, sizeof WHERE, " FROM entity e WHERE (CAST(?1 AS TEXT) IS NULL OR e.type = ?1)"
                                  " AND (CAST(?2 AS TEXT) IS NULL OR e.name %s ?2 || '%%')", like(c));
    td_buf sql = TD_BUF_INIT;
    td_buf_printf(&sql, "SELECT count(*)%s", WHERE);
    td_stmt *st = prep_buf(c, &sql);
    if (!st)
        return;
    bind_text(st, 1, type);
    bind_text(st, 2, q);
    if (!scalar(c, st, &total))
        return;
    td_buf_puts(&sql, "SELECT e.id AS id, e.type AS type, e.name AS name, e.lat AS lat, e.lon AS lon,"
                      " e.country AS country");
    if (c->s.approx)
        td_buf_puts(&sql, ", CASE WHEN e.lat IS NOT NULL THEN coalesce((SELECT approx FROM entity_approx"
                          " WHERE id = e.id), 'exact') END AS coord_precision");
    td_buf_puts(&sql, c->s.alias ? ", (SELECT coalesce(sum(al.count), 0) FROM alias al WHERE al.entity_id = e.id) AS mentions"
                                 : ", NULL AS mentions");
    td_buf_printf(&sql, "%s ORDER BY %s e.name, e.id LIMIT ?3 OFFSET ?4", WHERE, c->s.alias ? "mentions DESC," : "");
    if (!(st = prep_buf(c, &sql)))
        return;
    bind_text(st, 1, type);
    bind_text(st, 2, q);
    td_stmt_bind_i64(st, 3, limit);
    td_stmt_bind_i64(st, 4, offset);
    td_buf_puts(c->out, "{\"items\":");
    if (!put_rows(c, st, NULL, NULL))
        return;
    td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
    c->resp->status = 200;
}

/* GET /api/entities/{id}: the entity, its aliases, events and quotes. */
static void h_entity(ctx *c)
{
    long long id;
    if (!id_int(c, "entity", &id))
        return;
    td_stmt *st = prep(c, c->s.approx ? "SELECT id, type, name, lat, lon, country, geonames_id,"
                                             " CASE WHEN lat IS NOT NULL THEN coalesce(x.approx, 'exact') END"
                                             " AS coord_precision, x.within AS within FROM entity"
                                             " LEFT JOIN entity_approx x USING (id) WHERE id = ?1"
                                           : "SELECT id, type, name, lat, lon, country, geonames_id FROM entity WHERE id = ?1");
    if (!st)
        return;
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        done(st);
        if (rc == TD_DB_DONE)
            td_http_error(c->resp, 404, "no entity %lld", id);
        else
            db_error(c, rc);
        return;
    }
    td_buf_putc(c->out, '{');
    put_fields(c->out, st, true, c->pg);
    done(st);
    if (c->s.alias) {
        if (!(st = prep(c, "SELECT surface, count FROM alias WHERE entity_id = ?1 ORDER BY count DESC, surface")))
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "aliases", st))
            return;
    } else {
        td_buf_puts(c->out, ",\"aliases\":[]");
    }
    if (c->s.event) {
        td_buf q = TD_BUF_INIT;
        event_select(c, &q, false, NULL);
        td_buf_puts(&q, " WHERE e.actor_id = ?1 OR e.target_id = ?1 OR e.place_id = ?1"
                        " ORDER BY e.date DESC, e.id DESC LIMIT 200");
        if (!(st = prep_buf(c, &q)))
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "events", st))
            return;
    }
    if (c->s.quote) {
        if (!(st = prep(c, "SELECT q.id AS id, q.text AS text, a.id AS article, a.outlet AS outlet,"
                           " a.published AS published FROM quote q JOIN article a ON a.rowid = q.article_id"
                           " WHERE q.speaker_id = ?1 ORDER BY a.published DESC, q.id LIMIT 100")))
            return;
        td_stmt_bind_i64(st, 1, id);
        if (!put_list(c, "quotes", st))
            return;
    }
    td_buf_puts(c->out, "}\n");
    c->resp->status = 200;
}

/* GET /api/quotes?speaker=&story=&article=&q= */
static void h_quotes(ctx *c)
{
    long long limit, offset, story = 0, total = 0;
    const char *speaker = arg(c, "speaker"), *article = arg(c, "article"), *text = arg(c, "q");
    if (!arg_page(c, &limit, &offset) || !arg_int(c, "story", 1, INT64_MAX, &story))
        return;
    if (speaker && !c->s.entity) {
        bad(c, "speaker", "this database has no entities yet");
        return;
    }
    bool has_story = arg(c, "story") != NULL;
    td_buf w = TD_BUF_INIT;
    td_buf_puts(&w, " FROM quote q JOIN article a ON a.rowid = q.article_id");
    if (c->s.entity)
        td_buf_puts(&w, " LEFT JOIN entity sp ON sp.id = q.speaker_id");
    td_buf_printf(&w, " WHERE (CAST(?2 AS BIGINT) IS NULL OR a.story_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR a.id = ?3)"
                      " AND (CAST(?4 AS TEXT) IS NULL OR q.text %s '%%' || ?4 || '%%')", like(c));
    if (speaker) {
        td_buf_puts(&w, " AND q.speaker_id IN ");
        entity_match(c, &w, 1);
    }
    td_stmt *st = NULL;
    for (int pass = 0; pass < 2; pass++) {
        td_buf q = TD_BUF_INIT;
        if (pass == 0)
            td_buf_puts(&q, "SELECT count(*)");
        else
            td_buf_printf(&q, "SELECT q.id AS id, q.text AS text, q.speaker_id AS speaker_id, %s AS speaker,"
                              " a.id AS article, a.title AS title, a.outlet AS outlet, a.published AS published,"
                              " a.story_id AS story", c->s.entity ? "sp.name" : "NULL");
        td_buf_append(&q, w.p, w.len);
        if (pass == 1)
            td_buf_puts(&q, " ORDER BY a.published DESC, q.id LIMIT ?5 OFFSET ?6");
        if (!(st = prep_buf(c, &q)))
            break;
        if (speaker)
            bind_text(st, 1, speaker);
        bind_opt_int(st, 2, has_story, story);
        bind_text(st, 3, article);
        bind_text(st, 4, text);
        if (pass == 0) {
            if (!scalar(c, st, &total))
                break;
            continue;
        }
        td_stmt_bind_i64(st, 5, limit);
        td_stmt_bind_i64(st, 6, offset);
        td_buf_puts(c->out, "{\"items\":");
        if (!put_rows(c, st, NULL, NULL))
            break;
        td_buf_printf(c->out, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}\n", total, limit, offset);
        c->resp->status = 200;
    }
    td_buf_free(&w);
}

/* POST /api/articles: JSON lines, each ingested through td_ingest_input. */
static void h_ingest(ctx *c)
{
    td_engine *e = c->api->engine;
    if (!e) {
        td_http_error(c->resp, 403, "this server is read-only (start it with --allow-ingest)");
        return;
    }
    const char *p = c->req->body, *end = p ? p + c->req->body_len : NULL;
    if (!p || c->req->body_len == 0) {
        bad(c, "body", "expected JSON lines, one article per line");
        return;
    }
    td_buf errs = TD_BUF_INIT;
    size_t line_no = 0, lines = 0, bad_lines = 0, n_errs = 0;
    td_ingest_stats st = { 0 };
    td_status fatal = TD_OK;
    pthread_mutex_lock(&c->api->ingest_mu);
    while (p < end && fatal == TD_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line_no++;
        size_t len = (size_t)(le - p);
        if (len && p[len - 1] == '\r')
            len--;
        td_str line = td_str_trim(td_str_make(p, len));
        p = nl ? nl + 1 : end;
        if (line.len == 0)
            continue;
        lines++;
        td_input in;
        void *keep = NULL;
        char msg[256] = "";
        td_status s = td_read_jsonl_line(line.p, line.len, &in, &keep, msg, sizeof msg);
        if (s == TD_OK) {
            in.source = "POST /api/articles";
            in.source_line = line_no;
            s = td_ingest_input(e, &in, &st);
            if (s != TD_OK)
                snprintf(msg, sizeof msg, "%s", td_engine_errmsg(e));
            if (s == TD_EDB || s == TD_EBUSY || s == TD_EREADONLY || s == TD_ENOMEM)
                fatal = s;
        } else {
            bad_lines++;
        }
        td_read_jsonl_release(keep);
        if (s != TD_OK && n_errs < MAX_INGEST_ERRORS) {
            td_buf_printf(&errs, "%s{\"line\":%zu,\"error\":", n_errs ? "," : "", line_no);
            td_buf_json_str(&errs, td_str_cstr(msg));
            td_buf_putc(&errs, '}');
            n_errs++;
        }
    }
    td_status fin = lines > bad_lines ? td_ingest_finish(e, &st) : TD_OK;
    if (fatal == TD_OK && fin != TD_OK)
        fatal = fin;
    char fin_msg[256];
    snprintf(fin_msg, sizeof fin_msg, "%s", td_engine_errmsg(e));
    pthread_mutex_unlock(&c->api->ingest_mu);
    pthread_mutex_lock(&c->api->stats_mu);
    c->api->stats_at = 0;  /* the counts changed */
    pthread_mutex_unlock(&c->api->stats_mu);
    if (fatal != TD_OK) {
        td_http_error(c->resp, fatal == TD_EBUSY ? 503 : 500, "ingest failed: %s", fin_msg);
    } else if (lines == 0 || bad_lines == lines) {
        td_http_error(c->resp, 400, "body: no valid JSON line (each line must be an object with a \"text\" field)");
        if (n_errs) { /* keep the per-line reasons: reopen the object */
            c->out->len -= 2;
            td_buf_printf(c->out, ",\"errors\":[%s]}\n", errs.p ? errs.p : "");
        }
    } else {
        td_buf_printf(c->out, "{\"lines\":%zu,\"stored\":%llu,\"unchanged\":%llu,\"skipped\":%llu,\"errors\":[%s]}\n",
                      lines, (unsigned long long)st.stored, (unsigned long long)st.unchanged,
                      (unsigned long long)(st.skipped + bad_lines), errs.p ? errs.p : "");
        c->resp->status = 200;
    }
    td_buf_free(&errs);
}

/* ---- dispatch ---- */

typedef struct route {
    const char *method;
    const char *pattern;
    handler_fn fn;
    size_t needs;              /* offsetof(schema, table) + 1, or 0 */
    const char *what;          /* for the "not available" message */
} route;

#define NEEDS(f) (offsetof(schema, f) + 1)

static const route ROUTES[] = {
    { "GET", "/api", h_index, 0, NULL },
    { "GET", "/api/stats", h_stats, 0, NULL },
    { "GET", "/api/articles", h_articles, 0, NULL },
    { "POST", "/api/articles", h_ingest, 0, NULL },
    { "GET", "/api/articles/*", h_article, 0, NULL },
    { "GET", "/api/search", h_search, 0, NULL },
    { "GET", "/api/stories", h_stories, NEEDS(story), "stories" },
    { "GET", "/api/stories/*", h_story, NEEDS(story), "stories" },
    { "GET", "/api/events", h_events, NEEDS(event), "events" },
    { "GET", "/api/events/*", h_event, NEEDS(event), "events" },
    { "GET", "/api/entities", h_entities, NEEDS(entity), "entities" },
    { "GET", "/api/entities/*", h_entity, NEEDS(entity), "entities" },
    { "GET", "/api/quotes", h_quotes, NEEDS(quote), "quotes" },
    { "GET", "/feeds/*", h_feed, 0, NULL },            /* alert/atom.c; http.c routes /feeds/ here */
    { "GET", "/api/follows", h_follows, 0, NULL },
    { "POST", "/api/follows", h_follow_write, 0, NULL },
    { "DELETE", "/api/follows/*", h_follow_write, 0, NULL },
};

/* GET /api: the list of endpoints. */
static void h_index(ctx *c)
{
    td_buf_printf(c->out, "{\"name\":\"tidings\",\"version\":\"%s\",\"docs\":\"docs/api.md\",\"endpoints\":[", TD_VERSION);
    for (size_t i = 1; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        bool avail = !ROUTES[i].needs || *((const bool *)&c->s + ROUTES[i].needs - 1);
        td_buf_printf(c->out, "%s{\"method\":\"%s\",\"path\":", i > 1 ? "," : "", ROUTES[i].method);
        td_buf_json_str(c->out, td_str_cstr(ROUTES[i].pattern));
        td_buf_printf(c->out, ",\"available\":%s}", avail ? "true" : "false");
    }
    td_buf_puts(c->out, "]}\n");
    c->resp->status = 200;
}

void td_api_handle(void *ud, const td_http_req *req, td_http_resp *resp)
{
    td_api *api = ud;
    ctx c = { .api = api, .req = req, .resp = resp, .out = &resp->body };
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    const route *r = NULL;
    bool path_known = false;
    td_str caps[1];
    size_t n_caps = 0;
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0] && !r; i++) {
        if (!td_http_route(ROUTES[i].pattern, req->path, caps, 1, &n_caps))
            continue;
        path_known = true;
        if (strcmp(ROUTES[i].method, method) == 0)
            r = &ROUTES[i];
    }
    if (!r) {
        if (path_known) {
            td_http_error(resp, 405, "method %s not allowed here", req->method);
            resp->allow = strcmp(req->path, "/api/articles") == 0 || strcmp(req->path, "/api/articles/") == 0
                              ? "GET, HEAD, POST" : "GET, HEAD";
        } else {
            td_http_error(resp, 404, "no such endpoint: %s (see GET /api)", req->path);
        }
        return;
    }
    if (n_caps) {
        if (caps[0].len >= sizeof c.id) {
            td_http_error(resp, 404, "no such record");
            return;
        }
        memcpy(c.id, caps[0].p, caps[0].len);
        c.id[caps[0].len] = '\0';
    }
    if (r->fn == h_ingest || r->fn == h_follow_write) { /* writers: the engine, not a read connection */
        r->fn(&c);
        return;
    }
    c.cn = acquire(api);
    c.sql = c.cn->sql;
    c.pg = c.cn->lite == NULL;
    /* One read transaction per request: one consistent snapshot for all of
     * its queries, and one lock/file check instead of one per statement
     * (PostgreSQL: REPEATABLE READ gives the one snapshot). */
    td_stmt *tx = NULL;
    if (cache_get(c.cn, c.pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN", &tx) == TD_OK) {
        td_stmt_step(tx);
        done(tx);
    }
    int schema_rc = load_schema(&c);
    if (schema_rc != TD_OK)
        db_error(&c, schema_rc);
    else if (r->needs && !*((const bool *)&c.s + r->needs - 1))
        td_http_error(resp, 404, "%s are not available in this database yet", r->what);
    else
        r->fn(&c);
    for (size_t k = 0; k < c.cn->n_cache; k++)
        td_stmt_reset(c.cn->cache[k].st);  /* a read transaction ends only when its statements do */
    if (td_db_in_transaction(c.sql) && cache_get(c.cn, "COMMIT", &tx) == TD_OK) {
        if (td_stmt_step(tx) != TD_DB_DONE)
            td_db_rollback(c.sql);
        done(tx);
    }
    release(api, c.cn);
    if (resp->status == 0)
        td_http_error(resp, 500, "the handler gave no answer");
}
