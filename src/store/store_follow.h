/*
 * store_follow.h - follows, what each follow has seen, and alerts, in SQLite
 * (sqlite_follow.c). The matching and delivery logic is src/alert/; this file
 * only reads and writes rows. docs/follows.md tells the whole story.
 *
 * Tables (migration 6, TD_FOLLOW_SCHEMA):
 *   follow(id, entity, place, near_lat, near_lon, near_km, type, query,
 *          min_killed, sink, target, created_at, last_run_at)
 *          one row per `tidings follow add`; a NULL filter column is no
 *          filter; sink is 'jsonl' (target: absolute file path), 'webhook'
 *          (target: http(s) URL) or 'feed' (no target: read at /feeds/ID.atom)
 *   follow_seen(follow_id, event_id, revision, n_sources, killed_max, date,
 *          date_precision, event_created)
 *          the state of each matching event when the follow last looked at
 *          it: an event alerts again only when its revision grew and one of
 *          these changed materially (the reason)
 *   alert(id, follow_id, event_id, revision, reason, payload, created_at,
 *          sent_at, attempts, last_error, next_try, event_created)
 *          one per (follow, event, revision, event_created), UNIQUE, so
 *          running the scan twice never doubles an alert; payload is the JSON of the event
 *          when the alert was made; sent_at NULL = not delivered yet
 *
 * Invariants: every function takes the raw connection (the HTTP server has
 * no td_store) and runs in the caller's transaction if one is open. Strings in
 * a td_follow read from the database are heap copies released by
 * td_store_follow_clear.
 */
#ifndef TD_STORE_FOLLOW_H
#define TD_STORE_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

#include "tidings.h"
#include "base/buf.h"

/* The SQL of migration 6 (idempotent: every object IF NOT EXISTS). */
extern const char TD_FOLLOW_SCHEMA[];
extern const char TD_FOLLOW_SCHEMA_PG[]; /* the same tables on PostgreSQL */

typedef enum td_sink_kind {
    TD_SINK_NONE = 0,
    TD_SINK_JSONL,       /* append JSON lines to a file, fsync */
    TD_SINK_WEBHOOK,     /* POST JSON to a URL */
    TD_SINK_FEED         /* nothing pushed: the Atom feed is read */
} td_sink_kind;

typedef struct td_follow {
    int64_t id;
    char *entity;        /* canonical name or alias; NULL = any */
    char *place;         /* place name or alias; NULL = any */
    bool near;           /* near_lat/near_lon/near_km set */
    double near_lat, near_lon, near_km;
    char *type;          /* event type; NULL = any */
    char *query;         /* full-text query over the event's sources; NULL = none */
    int64_t min_killed;  /* -1 = no toll filter */
    td_sink_kind sink;
    char *target;        /* file path or URL; NULL for feeds */
    char *created_at;    /* ISO 8601 UTC, set by the database */
    char *last_run_at;   /* the last scan, NULL before the first */
} td_follow;

/* What a follow knew of an event (follow_seen). */
typedef struct td_follow_seen {
    int64_t revision;
    int64_t n_sources;
    int64_t killed_max;  /* -1 = none */
    char date[16];       /* "" = unknown */
    char date_precision[16];
    char created[32];    /* the event's created_at: an id merging reused for another event differs */
} td_follow_seen;

/* One alert row; pointers borrowed for the duration of a callback. */
typedef struct td_alert_row {
    int64_t id, follow_id, event_id, revision;
    const char *reason;      /* new | source | toll | date */
    const char *payload;     /* JSON object: the event when the alert was made */
    const char *created_at;
    const char *sent_at;     /* NULL until delivered */
    int64_t attempts;
    const char *last_error;  /* NULL when none */
    double next_try;         /* unix time before which no new attempt is made; 0 = now */
} td_alert_row;

/* Returns the sink name ("jsonl", "webhook", "feed") or "" for NONE. */
const char *td_sink_name(td_sink_kind k);
/* Parses a sink name; TD_SINK_NONE when unknown. */
td_sink_kind td_sink_parse(const char *name);

/* Creates the tables (and columns added since) when missing.
 * @return TD_OK or TD_EDB (err says why). */
td_status td_store_follow_ensure(td_db *db, td_buf *err);
/* True when the follow table exists and has a row: the cheap test the
 * ingest stage makes before anything else. */
bool td_store_follow_any(td_db *db);

/* Inserts f (its id and created_at are ignored); *id gets the new id.
 * @return TD_OK, TD_EINVAL (no sink), TD_EDB. */
td_status td_store_follow_add(td_db *db, const td_follow *f, int64_t *id, td_buf *err);
/* Reads follow id into *out (heap strings; td_store_follow_clear frees).
 * @return TD_OK, TD_ENOTFOUND, TD_EDB, TD_ENOMEM. */
td_status td_store_follow_get(td_db *db, int64_t id, td_follow *out, td_buf *err);
/* Calls fn for every follow in id order (f borrowed during the call); a
 * non-OK return from fn stops and is returned. */
td_status td_store_follow_each(td_db *db, td_status (*fn)(void *ud, const td_follow *f), void *ud,
                               td_buf *err);
/* Removes follow id with its alerts and seen rows. TD_ENOTFOUND when absent. */
td_status td_store_follow_rm(td_db *db, int64_t id, td_buf *err);
/* Frees the strings of f and zeroes it; NULL is a no-op. */
void td_store_follow_clear(td_follow *f);
/* Records the time of the follow's last scan. */
td_status td_store_follow_ran(td_db *db, int64_t id);

/* The statements a scan or a delivery runs once per event or alert,
 * prepared on first use and kept until td_store_follow_stmts_free (a
 * prepare costs more than the statement: measured 156k alerts in 334 s
 * preparing each time). Zero-initialise, set db. */
typedef struct td_follow_stmts {
    td_db *db;
    td_stmt *seen_get, *seen_put, *alert_add, *alert_sent, *alert_failed;
} td_follow_stmts;
void td_store_follow_stmts_free(td_follow_stmts *c);

/* Reads what follow_id saw of event_id. TD_ENOTFOUND when it never saw it. */
td_status td_store_follow_seen_get(td_follow_stmts *c, int64_t follow_id, int64_t event_id, td_follow_seen *out);
td_status td_store_follow_seen_put(td_follow_stmts *c, int64_t follow_id, int64_t event_id, const td_follow_seen *s);

/* Inserts an alert unless (follow, event, revision, event_created) has one;
 * *id gets the new id, or 0 when it existed. event_created (NULL = "") is
 * the event's created_at. @return TD_OK or TD_EDB. */
td_status td_store_alert_add(td_follow_stmts *c, int64_t follow_id, int64_t event_id, int64_t revision,
                             const char *event_created, const char *reason, td_str payload, int64_t *id);
/*
 * Calls fn for the alerts of follow_id (0 = all follows) created at or after
 * since (NULL = any; "YYYY-MM-DD" or a full timestamp), oldest first; with
 * pending_only, only those not delivered yet.
 */
td_status td_store_alert_each(td_db *db, int64_t follow_id, const char *since, bool pending_only,
                              td_status (*fn)(void *ud, const td_alert_row *a), void *ud, td_buf *err);
/* The follow's alerts: n[0] all, n[1] not delivered, n[2] of those, the ones
 * whose last delivery failed. Zeros when they cannot be read. */
void td_store_follow_counts(td_db *db, int64_t id, int64_t n[3]);
/* Marks alert id delivered now, adding tries to its attempts. */
td_status td_store_alert_sent(td_follow_stmts *c, int64_t id, int64_t tries);
/* Records a failed delivery: tries more attempts, the last error and the
 * unix time of the next attempt. */
td_status td_store_alert_failed(td_follow_stmts *c, int64_t id, int64_t tries, const char *error, double next_try);

#endif
