/*
 * sqlite_follow.c - follows, seen events and alerts in SQLite (contract and
 * tables in store_follow.h). Statements are prepared per call: these run a
 * few times per ingest or per command, never per article.
 */
#include "store/store_follow.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store.h"

const char TD_FOLLOW_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS follow ("
    "  id INTEGER PRIMARY KEY,"
    "  entity TEXT, place TEXT,"                    /* names, resolved at each scan */
    "  near_lat REAL, near_lon REAL, near_km REAL,"
    "  type TEXT, query TEXT, min_killed INTEGER,"  /* NULL = no filter */
    "  sink TEXT NOT NULL CHECK (sink IN ('jsonl','webhook','feed')),"
    "  target TEXT,"                                /* file path or URL */
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  last_run_at TEXT);"
    "CREATE TABLE IF NOT EXISTS follow_seen ("
    "  follow_id INTEGER NOT NULL, event_id INTEGER NOT NULL,"
    "  revision INTEGER NOT NULL, n_sources INTEGER NOT NULL,"
    "  killed_max INTEGER, date TEXT, date_precision TEXT,"
    "  event_created TEXT,"                         /* tells a reused event id from the event seen */
    "  PRIMARY KEY (follow_id, event_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS alert ("
    "  id INTEGER PRIMARY KEY,"
    "  follow_id INTEGER NOT NULL, event_id INTEGER NOT NULL, revision INTEGER NOT NULL,"
    "  reason TEXT NOT NULL CHECK (reason IN ('new','source','toll','date')),"
    "  payload TEXT NOT NULL,"                      /* JSON of the event at alert time */
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  sent_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
    "  next_try REAL,"                              /* unix time of the next delivery attempt */
    "  event_created TEXT NOT NULL DEFAULT '',"     /* with the id: which event (ids may be reused) */
    "  UNIQUE (follow_id, event_id, revision, event_created));"
    "CREATE INDEX IF NOT EXISTS alert_pending ON alert(follow_id, id) WHERE sent_at IS NULL;"
    "CREATE INDEX IF NOT EXISTS alert_created ON alert(created_at);";

static const char *const SINKS[] = { "", "jsonl", "webhook", "feed" };

const char *td_sink_name(td_sink_kind k)
{
    return (unsigned)k < sizeof SINKS / sizeof SINKS[0] ? SINKS[k] : "";
}

td_sink_kind td_sink_parse(const char *name)
{
    for (unsigned k = 1; name && k < sizeof SINKS / sizeof SINKS[0]; k++)
        if (strcmp(name, SINKS[k]) == 0)
            return (td_sink_kind)k;
    return TD_SINK_NONE;
}

/* Writes "what: sqlite message" into err and returns the matching status. */
static td_status db_fail(td_db *db, td_buf *err, const char *what)
{
    if (err)
        td_buf_printf(err, "%s: %s", what, td_db_errmsg(db));
    int st = td_db_status(db);
    return st == TD_OK ? TD_EDB : (td_status)st;
}

td_status td_store_follow_ensure(td_db *db, td_buf *err)
{
    td_buf msg = TD_BUF_INIT;
    if (td_db_exec(db, TD_FOLLOW_SCHEMA, &msg) != TD_OK) {
        if (err)
            td_buf_printf(err, "creating the follow tables: %s", msg.p ? msg.p : "?");
        td_buf_free(&msg);
        return TD_EDB;
    }
    td_buf_free(&msg);
    /* databases made by a development build before event_created existed */
    static const char *const ADD[][2] = {
        { "follow_seen", "ALTER TABLE follow_seen ADD COLUMN event_created TEXT" },
        { "alert", "ALTER TABLE alert ADD COLUMN event_created TEXT NOT NULL DEFAULT ''" },
    };
    for (size_t i = 0; i < sizeof ADD / sizeof ADD[0]; i++) {
        td_stmt *st = NULL;
        bool has = false;
        if (td_db_prepare(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = 'event_created'", &st, NULL) == TD_OK) {
            td_stmt_bind_text(st, 1, ADD[i][0], -1);
            has = td_stmt_step(st) == TD_DB_ROW;
        }
        td_stmt_finalize(st);
        if (!has && td_db_exec(db, ADD[i][1], NULL) != TD_OK) {
            if (err)
                td_buf_printf(err, "adding %s.event_created: %s", ADD[i][0], td_db_errmsg(db));
            return TD_EDB;
        }
    }
    return TD_OK;
}

bool td_store_follow_any(td_db *db)
{
    td_stmt *st = NULL;
    bool any = td_db_prepare(db, "SELECT 1 FROM follow LIMIT 1", &st, NULL) == TD_OK &&
               td_stmt_step(st) == TD_DB_ROW;
    td_stmt_finalize(st);
    return any;
}

static void bind_opt_text(td_stmt *st, int i, const char *z)
{
    if (z)
        td_stmt_bind_text(st, i, z, -1);
    else
        td_stmt_bind_null(st, i);
}

td_status td_store_follow_add(td_db *db, const td_follow *f, int64_t *id, td_buf *err)
{
    if (f->sink == TD_SINK_NONE) {
        if (err)
            td_buf_puts(err, "a follow needs a sink");
        return TD_EINVAL;
    }
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                           "INSERT INTO follow(entity, place, near_lat, near_lon, near_km, type, query,"
                           " min_killed, sink, target) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) RETURNING id", &st, NULL) != TD_OK)
        return db_fail(db, err, "adding a follow");
    bind_opt_text(st, 1, f->entity);
    bind_opt_text(st, 2, f->place);
    if (f->near) {
        td_stmt_bind_double(st, 3, f->near_lat);
        td_stmt_bind_double(st, 4, f->near_lon);
        td_stmt_bind_double(st, 5, f->near_km);
    }
    bind_opt_text(st, 6, f->type);
    bind_opt_text(st, 7, f->query);
    if (f->min_killed >= 0)
        td_stmt_bind_i64(st, 8, f->min_killed);
    td_stmt_bind_text(st, 9, td_sink_name(f->sink), -1);
    bind_opt_text(st, 10, f->target);
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW) {
        *id = td_stmt_i64(st, 0);
        rc = td_stmt_step(st);
    }
    td_stmt_finalize(st);
    if (rc != TD_DB_DONE)
        return db_fail(db, err, "adding a follow");
    return TD_OK;
}

static const char FOLLOW_COLS[] =
    "SELECT id, entity, place, near_lat, near_lon, near_km, type, query, min_killed, sink, target,"
    " created_at, last_run_at FROM follow";

static char *dup_col(td_stmt *st, int i, bool *oom)
{
    const char *p = td_stmt_text(st, i);
    if (!p)
        return NULL;
    char *z = td_strdup((const char *)p);
    if (!z)
        *oom = true;
    return z;
}

/* Fills f from a row of FOLLOW_COLS with heap copies. */
static td_status read_follow(td_stmt *st, td_follow *f)
{
    bool oom = false;
    memset(f, 0, sizeof *f);
    f->id = td_stmt_i64(st, 0);
    f->entity = dup_col(st, 1, &oom);
    f->place = dup_col(st, 2, &oom);
    f->near = td_stmt_type(st, 3) != TD_COL_NULL;
    f->near_lat = td_stmt_double(st, 3);
    f->near_lon = td_stmt_double(st, 4);
    f->near_km = td_stmt_double(st, 5);
    f->type = dup_col(st, 6, &oom);
    f->query = dup_col(st, 7, &oom);
    f->min_killed = td_stmt_type(st, 8) == TD_COL_NULL ? -1 : td_stmt_i64(st, 8);
    f->sink = td_sink_parse(td_stmt_text(st, 9));
    f->target = dup_col(st, 10, &oom);
    f->created_at = dup_col(st, 11, &oom);
    f->last_run_at = dup_col(st, 12, &oom);
    if (oom) {
        td_store_follow_clear(f);
        return TD_ENOMEM;
    }
    return TD_OK;
}

void td_store_follow_clear(td_follow *f)
{
    if (!f)
        return;
    td_free(f->entity);
    td_free(f->place);
    td_free(f->type);
    td_free(f->query);
    td_free(f->target);
    td_free(f->created_at);
    td_free(f->last_run_at);
    memset(f, 0, sizeof *f);
}

td_status td_store_follow_get(td_db *db, int64_t id, td_follow *out, td_buf *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE id = ?1", FOLLOW_COLS);
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK)
        return db_fail(db, err, "reading a follow");
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    td_status s = TD_OK;
    if (rc == TD_DB_ROW)
        s = read_follow(st, out);
    else if (rc == TD_DB_DONE)
        s = TD_ENOTFOUND;
    else
        s = db_fail(db, err, "reading a follow");
    td_stmt_finalize(st);
    return s;
}

td_status td_store_follow_each(td_db *db, td_status (*fn)(void *ud, const td_follow *f), void *ud,
                               td_buf *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s ORDER BY id", FOLLOW_COLS);
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK)
        return db_fail(db, err, "listing follows");
    int rc;
    td_status s = TD_OK;
    while (s == TD_OK && (rc = td_stmt_step(st)) == TD_DB_ROW) {
        td_follow f;
        s = read_follow(st, &f);
        if (s == TD_OK)
            s = fn(ud, &f);
        td_store_follow_clear(&f);
    }
    if (s == TD_OK && rc != TD_DB_DONE)
        s = db_fail(db, err, "listing follows");
    td_stmt_finalize(st);
    return s;
}

/* Runs one statement with ?1 = id; *changes gets the rows changed. */
static int exec_id(td_db *db, const char *sql, int64_t id, int *changes)
{
    td_stmt *st = NULL;
    int rc = td_db_prepare(db, sql, &st, NULL);
    if (rc == TD_OK) {
        td_stmt_bind_i64(st, 1, id);
        rc = td_stmt_step(st);
        if (rc == TD_DB_DONE)
            rc = TD_OK;
    }
    td_stmt_finalize(st);
    if (changes)
        *changes = td_db_changes(db);
    return rc;
}

td_status td_store_follow_rm(td_db *db, int64_t id, td_buf *err)
{
    bool own = !td_db_in_transaction(db);
    if (own && td_db_begin(db, true, NULL) != TD_OK)
        return db_fail(db, err, "removing a follow");
    int n = 0;
    int rc = exec_id(db, "DELETE FROM follow WHERE id = ?1", id, &n);
    if (rc == TD_OK)
        rc = exec_id(db, "DELETE FROM alert WHERE follow_id = ?1", id, NULL);
    if (rc == TD_OK)
        rc = exec_id(db, "DELETE FROM follow_seen WHERE follow_id = ?1", id, NULL);
    if (rc != TD_OK) {
        td_status s = db_fail(db, err, "removing a follow");
        if (own)
            td_db_rollback(db);
        return s;
    }
    if (own && td_db_commit(db, NULL) != TD_OK)
        return db_fail(db, err, "removing a follow");
    return n ? TD_OK : TD_ENOTFOUND;
}

td_status td_store_follow_ran(td_db *db, int64_t id)
{
    return exec_id(db, "UPDATE follow SET last_run_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
                   id, NULL) == TD_OK ? TD_OK : TD_EDB;
}

void td_store_follow_stmts_free(td_follow_stmts *c)
{
    if (!c)
        return;
    td_stmt_finalize(c->seen_get);
    td_stmt_finalize(c->seen_put);
    td_stmt_finalize(c->alert_add);
    td_stmt_finalize(c->alert_sent);
    td_stmt_finalize(c->alert_failed);
    c->seen_get = c->seen_put = c->alert_add = c->alert_sent = c->alert_failed = NULL;
}

/* The cached statement *slot for sql, prepared on first use and reset for
 * reuse; NULL when it does not prepare. */
static td_stmt *cached(td_follow_stmts *c, td_stmt **slot, const char *sql)
{
    if (!*slot && td_db_prepare(c->db, sql, slot, NULL) != TD_OK) {
        td_stmt_finalize(*slot);
        *slot = NULL;
        return NULL;
    }
    td_stmt_reset(*slot);
    td_stmt_clear(*slot);
    return *slot;
}

td_status td_store_follow_seen_get(td_follow_stmts *c, int64_t follow_id, int64_t event_id, td_follow_seen *out)
{
    td_stmt *st = cached(c, &c->seen_get,
                              "SELECT revision, n_sources, killed_max, date, date_precision, event_created"
                              " FROM follow_seen WHERE follow_id = ?1 AND event_id = ?2");
    if (!st)
        return TD_EDB;
    td_stmt_bind_i64(st, 1, follow_id);
    td_stmt_bind_i64(st, 2, event_id);
    int rc = td_stmt_step(st);
    td_status s = rc == TD_DB_ROW ? TD_OK : rc == TD_DB_DONE ? TD_ENOTFOUND : TD_EDB;
    if (rc == TD_DB_ROW) {
        memset(out, 0, sizeof *out);
        out->revision = td_stmt_i64(st, 0);
        out->n_sources = td_stmt_i64(st, 1);
        out->killed_max = td_stmt_type(st, 2) == TD_COL_NULL ? -1 : td_stmt_i64(st, 2);
        const char *d = td_stmt_text(st, 3), *p = td_stmt_text(st, 4);
        snprintf(out->date, sizeof out->date, "%s", d ? (const char *)d : "");
        snprintf(out->date_precision, sizeof out->date_precision, "%s", p ? (const char *)p : "");
        const char *cr = td_stmt_text(st, 5);
        snprintf(out->created, sizeof out->created, "%s", cr ? (const char *)cr : "");
    }
    td_stmt_reset(st);
    return s;
}

td_status td_store_follow_seen_put(td_follow_stmts *c, int64_t follow_id, int64_t event_id, const td_follow_seen *s)
{
    td_stmt *st = cached(c, &c->seen_put,
                              "INSERT OR REPLACE INTO follow_seen(follow_id, event_id, revision, n_sources,"
                              " killed_max, date, date_precision, event_created) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    if (!st)
        return TD_EDB;
    td_stmt_bind_i64(st, 1, follow_id);
    td_stmt_bind_i64(st, 2, event_id);
    td_stmt_bind_i64(st, 3, s->revision);
    td_stmt_bind_i64(st, 4, s->n_sources);
    if (s->killed_max >= 0)
        td_stmt_bind_i64(st, 5, s->killed_max);
    bind_opt_text(st, 6, s->date[0] ? s->date : NULL);
    bind_opt_text(st, 7, s->date_precision[0] ? s->date_precision : NULL);
    bind_opt_text(st, 8, s->created[0] ? s->created : NULL);
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    return rc == TD_DB_DONE ? TD_OK : TD_EDB;
}

td_status td_store_alert_add(td_follow_stmts *c, int64_t follow_id, int64_t event_id, int64_t revision,
                             const char *event_created, const char *reason, td_str payload, int64_t *id)
{
    td_stmt *st = cached(c, &c->alert_add,
                              "INSERT INTO alert(follow_id, event_id, revision, reason, payload,"
                              " event_created) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING RETURNING id");
    if (!st)
        return TD_EDB;
    td_stmt_bind_i64(st, 1, follow_id);
    td_stmt_bind_i64(st, 2, event_id);
    td_stmt_bind_i64(st, 3, revision);
    td_stmt_bind_text(st, 4, reason, -1);
    td_stmt_bind_text(st, 5, payload.p, (int)payload.len);
    td_stmt_bind_text(st, 6, event_created ? event_created : "", -1);
    int rc = td_stmt_step(st);
    *id = 0; /* no row: already alerted (the conflict did nothing) */
    if (rc == TD_DB_ROW) {
        *id = td_stmt_i64(st, 0);
        rc = td_stmt_step(st);
    }
    td_stmt_reset(st);
    if (rc != TD_DB_DONE)
        return TD_EDB;
    return TD_OK;
}

td_status td_store_alert_each(td_db *db, int64_t follow_id, const char *since, bool pending_only,
                              td_status (*fn)(void *ud, const td_alert_row *a), void *ud, td_buf *err)
{
    /* plain conditions, not "(?1 = 0 OR ...)": the planner then uses the
     * partial index of pending alerts, and never reads past the payload
     * (overflow pages) of delivered ones to test sent_at */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id, follow_id, event_id, revision, reason, payload, created_at, sent_at,"
             " attempts, last_error, next_try FROM alert%s WHERE 1%s%s%s ORDER BY id",
             pending_only ? " INDEXED BY alert_pending" : "",
             follow_id ? " AND follow_id = ?1" : "", since ? " AND created_at >= ?2" : "",
             pending_only ? " AND sent_at IS NULL" : "");
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK)
        return db_fail(db, err, "reading alerts");
    if (follow_id)
        td_stmt_bind_i64(st, 1, follow_id);
    if (since)
        td_stmt_bind_text(st, 2, since, -1);
    int rc;
    td_status s = TD_OK;
    while (s == TD_OK && (rc = td_stmt_step(st)) == TD_DB_ROW) {
        td_alert_row a = {
            .id = td_stmt_i64(st, 0),
            .follow_id = td_stmt_i64(st, 1),
            .event_id = td_stmt_i64(st, 2),
            .revision = td_stmt_i64(st, 3),
            .reason = td_stmt_text(st, 4),
            .payload = td_stmt_text(st, 5),
            .created_at = td_stmt_text(st, 6),
            .sent_at = td_stmt_text(st, 7),
            .attempts = td_stmt_i64(st, 8),
            .last_error = td_stmt_text(st, 9),
            .next_try = td_stmt_double(st, 10),
        };
        if (!a.reason || !a.payload || !a.created_at)
            s = TD_ENOMEM; /* NOT NULL columns: a NULL here is a failed conversion */
        else
            s = fn(ud, &a);
    }
    if (s == TD_OK && rc != TD_DB_DONE)
        s = db_fail(db, err, "reading alerts");
    td_stmt_finalize(st);
    return s;
}

void td_store_follow_counts(td_db *db, int64_t id, int64_t n[3])
{
    td_stmt *st = NULL;
    n[0] = n[1] = n[2] = 0;
    /* three lookups through the (follow, event, revision) and pending
     * indexes, not one scan of the follow's alert rows */
    if (td_db_prepare(db,
                           "SELECT (SELECT count(*) FROM alert WHERE follow_id = ?1),"
                           " (SELECT count(*) FROM alert WHERE follow_id = ?1 AND sent_at IS NULL),"
                           " (SELECT count(*) FROM alert WHERE follow_id = ?1 AND sent_at IS NULL"
                           "   AND last_error IS NOT NULL)", &st, NULL) == TD_OK) {
        td_stmt_bind_i64(st, 1, id);
        if (td_stmt_step(st) == TD_DB_ROW)
            for (int i = 0; i < 3; i++)
                n[i] = td_stmt_i64(st, i);
    }
    td_stmt_finalize(st);
}

td_status td_store_alert_sent(td_follow_stmts *c, int64_t id, int64_t tries)
{
    td_stmt *st = cached(c, &c->alert_sent,
                              "UPDATE alert SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
                              " attempts = attempts + ?2, last_error = NULL WHERE id = ?1");
    if (!st)
        return TD_EDB;
    td_stmt_bind_i64(st, 1, id);
    td_stmt_bind_i64(st, 2, tries);
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    return rc == TD_DB_DONE ? TD_OK : TD_EDB;
}

td_status td_store_alert_failed(td_follow_stmts *c, int64_t id, int64_t tries, const char *error, double next_try)
{
    td_stmt *st = cached(c, &c->alert_failed,
                              "UPDATE alert SET attempts = attempts + ?2, last_error = ?3, next_try = ?4 WHERE id = ?1");
    if (!st)
        return TD_EDB;
    td_stmt_bind_double(st, 4, next_try);
    td_stmt_bind_i64(st, 1, id);
    td_stmt_bind_i64(st, 2, tries);
    bind_opt_text(st, 3, error);
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    return rc == TD_DB_DONE ? TD_OK : TD_EDB;
}
