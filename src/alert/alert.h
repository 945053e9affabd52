/*
 * alert.h - follows and alerts: which events a follow matches, when an event
 * is worth telling again, and how alerts reach their sinks (docs/follows.md).
 *
 *   match.c   a follow -> SQL over event/entity/alias/article_fts; an event
 *             -> td_alert_event (place, toll, sources) and its JSON
 *   alert.c   the scan (alerts from revisions a follow has not seen) and
 *             delivery (each sink, retries with exponential backoff)
 *   sink.c    JSON-lines file (append + fsync) and webhook (libcurl POST)
 *   atom.c    the Atom feed of a follow (RFC 4287)
 *
 * When an alert fires: the events table carries a revision bumped by merging
 * whenever an event is created or materially updated. For each follow, every
 * matching event whose revision is above the one recorded in follow_seen is
 * compared with that record: unknown -> "new"; a higher killed_max ->
 * "toll"; a date added or made more precise -> "date"; more sources ->
 * "source"; nothing of these -> no alert (the revision is still recorded).
 * alert is UNIQUE per (follow, event, revision), so a rerun, or a new copy of
 * a known event that does not move its revision, alerts nobody.
 *
 * Invariants: library code never prints; problems with one sink (a dead URL,
 * a full disk) are recorded on the alert rows and reported through the warn
 * callback, never fail the ingest; only database errors are returned.
 */
#ifndef TD_ALERT_ALERT_H
#define TD_ALERT_ALERT_H

#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

#include "tidings.h"
#include "base/buf.h"
#include "store/store_follow.h"

typedef struct td_alert_opts {
    unsigned tries;          /* webhook attempts per alert per run (default 3) */
    unsigned backoff_ms;     /* wait before the 2nd attempt, doubled after each (default 500) */
    unsigned max_backoff_s;  /* cap of the wait between runs (default 3600) */
    unsigned timeout_ms;     /* per HTTP request (default 10000) */
    const char *base_url;    /* server root for feed links (default http://localhost:8080) */
    td_warn_fn warn;         /* NULL: problems are only recorded on the alert rows */
    void *ud;
} td_alert_opts;

typedef struct td_alert_stats {
    uint64_t follows;        /* follows scanned */
    uint64_t created;        /* alerts created */
    uint64_t sent;           /* alerts delivered */
    uint64_t failed;         /* alerts whose delivery failed this run (kept for the next) */
    uint64_t waiting;        /* alerts not tried: their backoff has not elapsed */
} td_alert_stats;

/* One event as alerts and feeds show it; strings owned by the struct. */
typedef struct td_alert_source {
    char *article, *url, *title, *outlet, *published, *sentence; /* NULL when unknown */
} td_alert_source;

typedef struct td_alert_event {
    int64_t id, revision, story;   /* story -1 when none */
    char *type, *date, *date_precision, *actor, *target, *place, *country, *updated_at;
    char *created_at;              /* when merging first made it; NULL when unknown */
    double lat, lon;               /* NAN when unknown */
    int64_t killed;                /* the figure merging chose; -1 when none */
    int64_t killed_min, killed_max; /* every figure reported spans these; -1 when none */
    td_alert_source *sources;      /* oldest article first */
    uint32_t n_sources;            /* distinct articles */
} td_alert_event;

/* Fills o with the defaults, then TIDINGS_WEBHOOK_TRIES / _BACKOFF_MS /
 * _TIMEOUT_MS from the environment when set (tests shorten waits so). */
void td_alert_opts_default(td_alert_opts *o);

/* ---- matching (match.c) ---- */

/* 1 when the database has the event tables alerts read, 0 when not (yet),
 * -TD_ENOMEM when that could not be checked. */
int td_alert_have_events(td_db *db);
/*
 * Checks a follow before it is stored: type is an event type, --near has a
 * radius, the query parses. err says which field is wrong.
 * @return TD_OK or TD_EINVAL.
 */
td_status td_alert_follow_check(const td_follow *f, td_buf *err);
/*
 * Calls fn(ud, event_id, revision) for every event that matches f, most
 * recently updated first; with unseen, only those whose revision is above
 * what follow_seen holds for f, in no set order. limit 0 = all. A non-OK return of fn stops and is returned.
 * @return TD_OK, TD_EDB (err says why), TD_ENOMEM.
 */
td_status td_alert_match(td_db *db, const td_follow *f, bool unseen, uint32_t limit,
                         td_status (*fn)(void *ud, int64_t event_id, int64_t revision), void *ud, td_buf *err);
/* Appends what f follows in words: "entity 'X', type airstrike, within 30 km
 * of -20.55,-16.90", or "every event". */
void td_alert_follow_describe(const td_follow *f, td_buf *out);
/* Loads event id. TD_ENOTFOUND when absent; free with td_alert_event_clear. */
td_status td_alert_event_load(td_db *db, int64_t id, td_alert_event *ev);
/* The same with its statements prepared once for many events. */
typedef struct td_alert_loader {
    td_db *db;
    td_stmt *ev, *src;
} td_alert_loader;
td_status td_alert_loader_init(td_alert_loader *l, td_db *db);
td_status td_alert_loader_load(td_alert_loader *l, int64_t id, td_alert_event *ev);
void td_alert_loader_free(td_alert_loader *l);
void td_alert_event_clear(td_alert_event *ev);
/* Appends the event as a JSON object (the payload of an alert). */
void td_alert_event_json(const td_alert_event *ev, td_buf *out);
/* Appends a one-line summary: "Airstrike in X (XV), 2025-03-02: 4 killed;
 * actor A; 3 sources." */
void td_alert_event_summary(const td_alert_event *ev, td_buf *out);
/* Great-circle distance in km between two points in degrees (haversine). */
double td_alert_km(double lat1, double lon1, double lat2, double lon2);

/* ---- scan and delivery (alert.c) ---- */

/*
 * Reason an event at state now deserves an alert for a follow that saw
 * before (NULL: never saw it): "new", "toll", "date", "source", or NULL when
 * nothing material changed.
 */
const char *td_alert_reason(const td_follow_seen *before, const td_follow_seen *now);
/*
 * Scans follow_id (0 = every follow): creates the alerts for unseen
 * revisions and records what was seen. With baseline, records only (a new
 * follow starts from what exists). Runs in its own transaction when none is
 * open. @return TD_OK, TD_EDB, TD_ENOMEM (err says why).
 */
td_status td_alert_scan(td_db *db, int64_t follow_id, bool baseline, td_alert_stats *st, td_buf *err);
/* Delivers the pending alerts of every follow (see td_alert_opts). */
td_status td_alert_deliver(td_db *db, const td_alert_opts *o, td_alert_stats *st, td_buf *err);
/* The ingest stage: nothing when there is no follow (one indexed query),
 * else scan then deliver. o may be NULL for the defaults. */
td_status td_alert_run(td_db *db, const td_alert_opts *o, td_alert_stats *st, td_buf *err);
/* Appends the line a sink receives for alert a (JSON object, no newline). */
void td_alert_line(const td_alert_row *a, td_buf *out);

/* ---- sinks (sink.c) ---- */

/* Appends len bytes to the file at path (created 0644), then fsync. On
 * failure err names the path and the reason. @return TD_OK or TD_EIO. */
td_status td_alert_sink_file(const char *path, const char *data, size_t len, td_buf *err);
/* POSTs body (JSON) to url once. 2xx is success; else err holds the HTTP
 * status or the transfer error. @return TD_OK, TD_EIO, TD_ENOMEM. */
td_status td_alert_sink_post(const char *url, const char *body, size_t len, unsigned timeout_ms, td_buf *err);
/* True when url is an http:// or https:// URL with a host. */
bool td_alert_url_ok(const char *url);

/* ---- feeds (atom.c) ---- */

/*
 * Appends the Atom feed (RFC 4287) of follow_id: one entry per matching
 * event, most recently updated first (at most 100), with its summary, place,
 * date, toll and links to its source articles. base_url (NULL: none) makes
 * the self link absolute. @return TD_OK, TD_ENOTFOUND (no such follow),
 * TD_EDB, TD_ENOMEM.
 */
td_status td_alert_feed_atom(td_db *db, int64_t follow_id, const char *base_url, td_buf *out, td_buf *err);

/* ---- the follows API for the web page (follow_api.c) ---- */

/* Each returns the HTTP status and writes the JSON body (errors as
 * {"error","field","status"}). list: GET /api/follows. add: POST with a
 * JSON object (to: "feed" or an http(s) URL; file sinks are refused over
 * HTTP); db must be writable. rm: DELETE /api/follows/ID. */
/* writable: the server accepts POST/DELETE (the page shows its form). */
int td_alert_api_list(td_db *db, bool writable, td_buf *out);
int td_alert_api_add(td_db *db, const char *body, size_t len, td_buf *out);
int td_alert_api_rm(td_db *db, const char *id_text, td_buf *out);

#endif
