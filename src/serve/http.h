/*
 * http.h - the HTTP layer of `tidings serve`: libmicrohttpd event loops on
 * `threads` worker threads, fed evenly by one acceptor thread, that answer
 * /api/... through one handler callback (api.c) and every other GET from a
 * list of static folders (web/ and build/web/).
 *
 * Data structure: a request is a plain struct (method, decoded path, a query
 * argument lookup callback, the body) and a response is a status, a content
 * type and a td_buf body, so handlers can be driven without a socket (the
 * unit tests do so). The daemon adds the same security headers to every
 * response (CSP, nosniff, frame denial, referrer policy).
 *
 * Answers of the read-only API can be cached (see td_http_config): a cached
 * answer is a libmicrohttpd response object queued again for each request
 * (they are reference-counted and shareable across threads); the whole
 * cache is dropped when a watched file is seen to change (see
 * cache_check_us).
 *
 * Invariants: static files are served only from inside one of the configured
 * roots (no "..", no hidden entries, symlinks resolved and re-checked); a
 * request body never exceeds max_body bytes in memory (413 otherwise); every
 * error is a JSON body {"error": "...", "status": N}.
 */
#ifndef TD_SERVE_HTTP_H
#define TD_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tidings.h"
#include "base/buf.h"
#include "base/str.h"

/* One request as the handlers see it. All pointers are borrowed for the
 * duration of the handler call. */
typedef struct td_http_req {
    const char *method;      /* "GET", "POST", "HEAD", ... */
    const char *path;        /* percent-decoded path, without the query */
    /* The first value of query argument name, or NULL when absent. */
    const char *(*arg)(void *ud, const char *name);
    void *arg_ud;
    const char *body;        /* request body (POST), may be NULL */
    size_t body_len;
} td_http_req;

/* What a handler writes. status 0 means "not handled" (404). */
typedef struct td_http_resp {
    int status;
    const char *content_type;  /* static string; NULL = application/json */
    const char *allow;         /* static string for a 405's Allow header, or NULL */
    td_buf body;               /* owned; freed by whoever created the response */
} td_http_resp;

typedef void (*td_http_handler)(void *ud, const td_http_req *req, td_http_resp *resp);

typedef struct td_http_config {
    const char *bind;              /* IPv4 or IPv6 address; NULL = 127.0.0.1 */
    uint16_t port;                 /* 0 = any free port (see td_http_port) */
    unsigned threads;              /* worker threads; 0 = 4 */
    size_t max_body;               /* larger request bodies get 413; 0 = 8 MiB */
    unsigned timeout_s;            /* idle/slow connection timeout; 0 = 15 s */
    unsigned max_conns;            /* concurrent connections; 0 = 2048 */
    const char *const *static_roots; /* folders for non-API GETs, first match wins */
    size_t n_static_roots;
    td_http_handler api;           /* called for every path under /api/ */
    void *api_ud;
    bool log_errors;               /* let libmicrohttpd print its errors to stderr */
    /* Answer cache: successful GET/HEAD answers of the API are kept (up to
     * cache_bytes in all; 0 = no cache) and served again while none of
     * cache_files (the database and its WAL) has changed size, mtime or
     * inode: the data behind them changes only through writes to them. */
    size_t cache_bytes;
    const char *const *cache_files;
    size_t n_cache_files;
    /* The files are stat()ed at most once per cache_check_us (0 = 1000):
     * a write by another process is seen within that time; a POST or
     * other write through this server makes the next GET check at once. */
    unsigned cache_check_us;
} td_http_config;

typedef struct td_http_server td_http_server;

/*
 * Starts the daemon (it runs on its own threads until td_http_stop).
 * @return TD_OK and *out; TD_EINVAL for a bad bind address, TD_EIO when the
 *         socket cannot be bound (err says why), TD_ENOMEM.
 */
td_status td_http_start(const td_http_config *cfg, td_http_server **out, td_buf *err);
/* The port actually bound (useful with port 0). */
uint16_t td_http_port(const td_http_server *s);
/* Stops the daemon, waits for its threads and frees s. NULL is a no-op. */
void td_http_stop(td_http_server *s);

/* ---- helpers shared with the handlers (pure, unit-tested) ---- */

/*
 * Matches path against pattern, segment by segment; a pattern segment "*"
 * captures one non-empty path segment into caps[] (views into path). A
 * trailing slash on path is ignored. Returns true on a match and writes
 * *n_caps; false when the path does not match or has more than max_caps.
 */
bool td_http_route(const char *pattern, const char *path, td_str *caps, size_t max_caps, size_t *n_caps);

/* Makes resp a JSON error {"error": msg, "status": status}. */
void td_http_error(td_http_resp *resp, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The reason phrase of a status code ("Not Found"). */
const char *td_http_status_text(int status);

/*
 * Resolves a URL path to a file under root: rejects empty and "." / ".."
 * segments, hidden entries (leading '.'), backslashes and control bytes,
 * maps "/" to "/index.html", then checks with realpath() that the file is a
 * regular file still inside root (symlinks cannot escape).
 * @return TD_OK and out (NUL-terminated), TD_EINVAL for a forbidden path,
 *         TD_ENOTFOUND when there is no such regular file.
 */
td_status td_http_static_resolve(const char *root, const char *url_path, char *out, size_t out_len);

/* The content type for a file name by its extension. */
const char *td_http_mime(const char *path);

/*
 * Parses a base-10 integer in [min, max] with nothing after it. NULL or ""
 * leaves *out untouched and returns true (absent); false on a bad value.
 */
bool td_http_parse_int(const char *v, long long min, long long max, long long *out);
/* Parses a finite decimal number in [min, max]; same conventions. */
bool td_http_parse_double(const char *v, double min, double max, double *out);
/* Parses "LAT,LON" (degrees) into a valid coordinate pair. */
bool td_http_parse_point(const char *v, double *lat, double *lon);

#endif
