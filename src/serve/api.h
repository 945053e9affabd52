/*
 * api.h - the JSON API of `tidings serve` (docs/api.md lists every endpoint).
 *
 * Data structure: a td_api holds a pool of read-only SQLite connections (one
 * per server thread, handed out under a mutex) and, only when ingest is
 * allowed, a borrowed engine used for POST /api/articles under its own mutex.
 * Each resource is a small handler in one table (api.c ROUTES[]); handlers
 * for stages whose tables are not in the database yet (events, entities,
 * quotes) answer 404 with a JSON error until those tables exist.
 *
 * Invariants: SQL is only run through prepared statements with bound
 * parameters; read connections are opened SQLITE_OPEN_READONLY with
 * PRAGMA query_only, so a read-only server cannot change the database; every
 * query is interrupted after query_ms (503).
 */
#ifndef TD_SERVE_API_H
#define TD_SERVE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "tidings.h"
#include "base/buf.h"
#include "serve/http.h"

typedef struct td_api_config {
    const char *db_path;     /* the SQLite file (must exist) or a PostgreSQL URL */
    unsigned connections;    /* read connections in the pool; 0 = 4 */
    unsigned query_ms;       /* time limit per request's queries; 0 = 5000 */
    td_engine *engine;       /* borrowed; non-NULL enables POST /api/articles */
} td_api_config;

typedef struct td_api td_api;

/*
 * Opens the pool of read connections on cfg->db_path.
 * @return TD_OK and *out; TD_ENOTFOUND when the file does not exist, TD_EDB
 *         when it cannot be opened as a tidings database (err says why),
 *         TD_ENOMEM.
 */
td_status td_api_new(const td_api_config *cfg, td_api **out, td_buf *err);
/* Closes the connections and frees api; the engine is not closed. NULL is a
 * no-op. No request may be running. */
void td_api_free(td_api *api);

/* The request handler for every path under /api/ (a td_http_handler; ud is
 * the td_api). Thread-safe. */
void td_api_handle(void *ud, const td_http_req *req, td_http_resp *resp);

/* ---- helpers (pure, unit-tested) ---- */

/*
 * Turns a user's search text into an FTS5 query: every word becomes a quoted
 * term (so punctuation and FTS5 keywords are taken literally), "quoted
 * phrases" stay phrases, a trailing * makes a prefix term, and an upper-case
 * OR between two terms is kept as the operator. Terms are ANDed.
 * Returns false when the text holds no term.
 */
bool td_api_fts_query(const char *q, td_buf *out);

/* True when v is a date "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a valid
 * month and day. */
bool td_api_valid_date(const char *v);

/* True when v is one of the event types of DESIGN.md. */
bool td_api_valid_event_type(const char *v);

/* Great-circle distance in km between two points in degrees. */
double td_api_km(double lat1, double lon1, double lat2, double lon2);

#endif
