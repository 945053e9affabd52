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
static td_status db_fail(sqlite3 *db, td_buf *err, const char *what)
{
    if (err)
        td_buf_printf(err, "%s: %s", what, sqlite3_errmsg(db));
    td_status st = td_store_status(sqlite3_errcode(db));
    return st == TD_OK ? TD_EDB : st;
}

td_status td_store_follow_ensure(sqlite3 *db, td_buf *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, TD_FOLLOW_SCHEMA, NULL, NULL, &msg) != SQLITE_OK) {
        if (err)
            td_buf_printf(err, "creating the follow tables: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return TD_EDB;
    }
    /* databases made by a development build before event_created existed */
    static const char *const ADD[][2] = {
        { "follow_seen", "ALTER TABLE follow_seen ADD COLUMN event_created TEXT" },
        { "alert", "ALTER TABLE alert ADD COLUMN event_created TEXT NOT NULL DEFAULT ''" },
    };
    for (size_t i = 0; i < sizeof ADD / sizeof ADD[0]; i++) {
        sqlite3_stmt *st = NULL;
        bool has = false;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = 'event_created'", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, ADD[i][0], -1, SQLITE_STATIC);
            has = sqlite3_step(st) == SQLITE_ROW;
        }
        sqlite3_finalize(st);
        if (!has && sqlite3_exec(db, ADD[i][1], NULL, NULL, NULL) != SQLITE_OK) {
            if (err)
                td_buf_printf(err, "adding %s.event_created: %s", ADD[i][0], sqlite3_errmsg(db));
            return TD_EDB;
        }
    }
    return TD_OK;
}

bool td_store_follow_any(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool any = sqlite3_prepare_v2(db, "SELECT 1 FROM follow LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
               sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return any;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *z)
{
    if (z)
        sqlite3_bind_text(st, i, z, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

td_status td_store_follow_add(sqlite3 *db, const td_follow *f, int64_t *id, td_buf *err)
{
    if (f->sink == TD_SINK_NONE) {
        if (err)
            td_buf_puts(err, "a follow needs a sink");
        return TD_EINVAL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO follow(entity, place, near_lat, near_lon, near_km, type, query,"
                           " min_killed, sink, target) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, "adding a follow");
    bind_opt_text(st, 1, f->entity);
    bind_opt_text(st, 2, f->place);
    if (f->near) {
        sqlite3_bind_double(st, 3, f->near_lat);
        sqlite3_bind_double(st, 4, f->near_lon);
        sqlite3_bind_double(st, 5, f->near_km);
    }
    bind_opt_text(st, 6, f->type);
    bind_opt_text(st, 7, f->query);
    if (f->min_killed >= 0)
        sqlite3_bind_int64(st, 8, f->min_killed);
    sqlite3_bind_text(st, 9, td_sink_name(f->sink), -1, SQLITE_STATIC);
    bind_opt_text(st, 10, f->target);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, err, "adding a follow");
    *id = sqlite3_last_insert_rowid(db);
    return TD_OK;
}

static const char FOLLOW_COLS[] =
    "SELECT id, entity, place, near_lat, near_lon, near_km, type, query, min_killed, sink, target,"
    " created_at, last_run_at FROM follow";

static char *dup_col(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *p = sqlite3_column_text(st, i);
    if (!p)
        return NULL;
    char *z = td_strdup((const char *)p);
    if (!z)
        *oom = true;
    return z;
}

/* Fills f from a row of FOLLOW_COLS with heap copies. */
static td_status read_follow(sqlite3_stmt *st, td_follow *f)
{
    bool oom = false;
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(st, 0);
    f->entity = dup_col(st, 1, &oom);
    f->place = dup_col(st, 2, &oom);
    f->near = sqlite3_column_type(st, 3) != SQLITE_NULL;
    f->near_lat = sqlite3_column_double(st, 3);
    f->near_lon = sqlite3_column_double(st, 4);
    f->near_km = sqlite3_column_double(st, 5);
    f->type = dup_col(st, 6, &oom);
    f->query = dup_col(st, 7, &oom);
    f->min_killed = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 8);
    f->sink = td_sink_parse((const char *)sqlite3_column_text(st, 9));
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

td_status td_store_follow_get(sqlite3 *db, int64_t id, td_follow *out, td_buf *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE id = ?1", FOLLOW_COLS);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, "reading a follow");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    td_status s = TD_OK;
    if (rc == SQLITE_ROW)
        s = read_follow(st, out);
    else if (rc == SQLITE_DONE)
        s = TD_ENOTFOUND;
    else
        s = db_fail(db, err, "reading a follow");
    sqlite3_finalize(st);
    return s;
}

td_status td_store_follow_each(sqlite3 *db, td_status (*fn)(void *ud, const td_follow *f), void *ud,
                               td_buf *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s ORDER BY id", FOLLOW_COLS);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, "listing follows");
    int rc;
    td_status s = TD_OK;
    while (s == TD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_follow f;
        s = read_follow(st, &f);
        if (s == TD_OK)
            s = fn(ud, &f);
        td_store_follow_clear(&f);
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = db_fail(db, err, "listing follows");
    sqlite3_finalize(st);
    return s;
}

/* Runs one statement with ?1 = id; *changes gets the rows changed. */
static int exec_id(sqlite3 *db, const char *sql, int64_t id, int *changes)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (changes)
        *changes = sqlite3_changes(db);
    return rc;
}

td_status td_store_follow_rm(sqlite3 *db, int64_t id, td_buf *err)
{
    bool own = sqlite3_get_autocommit(db);
    if (own && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "removing a follow");
    int n = 0;
    int rc = exec_id(db, "DELETE FROM follow WHERE id = ?1", id, &n);
    if (rc == SQLITE_OK)
        rc = exec_id(db, "DELETE FROM alert WHERE follow_id = ?1", id, NULL);
    if (rc == SQLITE_OK)
        rc = exec_id(db, "DELETE FROM follow_seen WHERE follow_id = ?1", id, NULL);
    if (rc != SQLITE_OK) {
        td_status s = db_fail(db, err, "removing a follow");
        if (own)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return s;
    }
    if (own && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, "removing a follow");
    return n ? TD_OK : TD_ENOTFOUND;
}

td_status td_store_follow_ran(sqlite3 *db, int64_t id)
{
    return exec_id(db, "UPDATE follow SET last_run_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
                   id, NULL) == SQLITE_OK ? TD_OK : TD_EDB;
}

void td_store_follow_stmts_free(td_follow_stmts *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->seen_get);
    sqlite3_finalize(c->seen_put);
    sqlite3_finalize(c->alert_add);
    sqlite3_finalize(c->alert_sent);
    sqlite3_finalize(c->alert_failed);
    c->seen_get = c->seen_put = c->alert_add = c->alert_sent = c->alert_failed = NULL;
}

/* The cached statement *slot for sql, prepared on first use and reset for
 * reuse; NULL when it does not prepare. */
static sqlite3_stmt *cached(td_follow_stmts *c, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot && sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
        sqlite3_finalize(*slot);
        *slot = NULL;
        return NULL;
    }
    sqlite3_reset(*slot);
    sqlite3_clear_bindings(*slot);
    return *slot;
}

td_status td_store_follow_seen_get(td_follow_stmts *c, int64_t follow_id, int64_t event_id, td_follow_seen *out)
{
    sqlite3_stmt *st = cached(c, &c->seen_get,
                              "SELECT revision, n_sources, killed_max, date, date_precision, event_created"
                              " FROM follow_seen WHERE follow_id = ?1 AND event_id = ?2");
    if (!st)
        return TD_EDB;
    sqlite3_bind_int64(st, 1, follow_id);
    sqlite3_bind_int64(st, 2, event_id);
    int rc = sqlite3_step(st);
    td_status s = rc == SQLITE_ROW ? TD_OK : rc == SQLITE_DONE ? TD_ENOTFOUND : TD_EDB;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->revision = sqlite3_column_int64(st, 0);
        out->n_sources = sqlite3_column_int64(st, 1);
        out->killed_max = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
        const unsigned char *d = sqlite3_column_text(st, 3), *p = sqlite3_column_text(st, 4);
        snprintf(out->date, sizeof out->date, "%s", d ? (const char *)d : "");
        snprintf(out->date_precision, sizeof out->date_precision, "%s", p ? (const char *)p : "");
        const unsigned char *cr = sqlite3_column_text(st, 5);
        snprintf(out->created, sizeof out->created, "%s", cr ? (const char *)cr : "");
    }
    sqlite3_reset(st);
    return s;
}

td_status td_store_follow_seen_put(td_follow_stmts *c, int64_t follow_id, int64_t event_id, const td_follow_seen *s)
{
    sqlite3_stmt *st = cached(c, &c->seen_put,
                              "INSERT OR REPLACE INTO follow_seen(follow_id, event_id, revision, n_sources,"
                              " killed_max, date, date_precision, event_created) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    if (!st)
        return TD_EDB;
    sqlite3_bind_int64(st, 1, follow_id);
    sqlite3_bind_int64(st, 2, event_id);
    sqlite3_bind_int64(st, 3, s->revision);
    sqlite3_bind_int64(st, 4, s->n_sources);
    if (s->killed_max >= 0)
        sqlite3_bind_int64(st, 5, s->killed_max);
    bind_opt_text(st, 6, s->date[0] ? s->date : NULL);
    bind_opt_text(st, 7, s->date_precision[0] ? s->date_precision : NULL);
    bind_opt_text(st, 8, s->created[0] ? s->created : NULL);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : TD_EDB;
}

td_status td_store_alert_add(td_follow_stmts *c, int64_t follow_id, int64_t event_id, int64_t revision,
                             const char *event_created, const char *reason, td_str payload, int64_t *id)
{
    sqlite3_stmt *st = cached(c, &c->alert_add,
                              "INSERT OR IGNORE INTO alert(follow_id, event_id, revision, reason, payload,"
                              " event_created) VALUES (?1,?2,?3,?4,?5,?6)");
    if (!st)
        return TD_EDB;
    sqlite3_bind_int64(st, 1, follow_id);
    sqlite3_bind_int64(st, 2, event_id);
    sqlite3_bind_int64(st, 3, revision);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, payload.p, (int)payload.len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, event_created ? event_created : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return TD_EDB;
    *id = sqlite3_changes(c->db) ? sqlite3_last_insert_rowid(c->db) : 0;
    return TD_OK;
}

td_status td_store_alert_each(sqlite3 *db, int64_t follow_id, const char *since, bool pending_only,
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
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, "reading alerts");
    if (follow_id)
        sqlite3_bind_int64(st, 1, follow_id);
    if (since)
        sqlite3_bind_text(st, 2, since, -1, SQLITE_TRANSIENT);
    int rc;
    td_status s = TD_OK;
    while (s == TD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_alert_row a = {
            .id = sqlite3_column_int64(st, 0),
            .follow_id = sqlite3_column_int64(st, 1),
            .event_id = sqlite3_column_int64(st, 2),
            .revision = sqlite3_column_int64(st, 3),
            .reason = (const char *)sqlite3_column_text(st, 4),
            .payload = (const char *)sqlite3_column_text(st, 5),
            .created_at = (const char *)sqlite3_column_text(st, 6),
            .sent_at = (const char *)sqlite3_column_text(st, 7),
            .attempts = sqlite3_column_int64(st, 8),
            .last_error = (const char *)sqlite3_column_text(st, 9),
            .next_try = sqlite3_column_double(st, 10),
        };
        if (!a.reason || !a.payload || !a.created_at)
            s = TD_ENOMEM; /* NOT NULL columns: a NULL here is a failed conversion */
        else
            s = fn(ud, &a);
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = db_fail(db, err, "reading alerts");
    sqlite3_finalize(st);
    return s;
}

void td_store_follow_counts(sqlite3 *db, int64_t id, int64_t n[3])
{
    sqlite3_stmt *st = NULL;
    n[0] = n[1] = n[2] = 0;
    /* three lookups through the (follow, event, revision) and pending
     * indexes, not one scan of the follow's alert rows */
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM alert WHERE follow_id = ?1),"
                           " (SELECT count(*) FROM alert WHERE follow_id = ?1 AND sent_at IS NULL),"
                           " (SELECT count(*) FROM alert WHERE follow_id = ?1 AND sent_at IS NULL"
                           "   AND last_error IS NOT NULL)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            for (int i = 0; i < 3; i++)
                n[i] = sqlite3_column_int64(st, i);
    }
    sqlite3_finalize(st);
}

td_status td_store_alert_sent(td_follow_stmts *c, int64_t id, int64_t tries)
{
    sqlite3_stmt *st = cached(c, &c->alert_sent,
                              "UPDATE alert SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
                              " attempts = attempts + ?2, last_error = NULL WHERE id = ?1");
    if (!st)
        return TD_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, tries);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : TD_EDB;
}

td_status td_store_alert_failed(td_follow_stmts *c, int64_t id, int64_t tries, const char *error, double next_try)
{
    sqlite3_stmt *st = cached(c, &c->alert_failed,
                              "UPDATE alert SET attempts = attempts + ?2, last_error = ?3, next_try = ?4 WHERE id = ?1");
    if (!st)
        return TD_EDB;
    sqlite3_bind_double(st, 4, next_try);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, tries);
    bind_opt_text(st, 3, error);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : TD_EDB;
}
