/*
 * http.c - the libmicrohttpd daemon behind `tidings serve` (see http.h).
 *
 * One access callback per request: the first call allocates a small request
 * state (and refuses an announced Content-Length over max_body with 413
 * before the body is sent), later calls append the body up to max_body, and
 * the final call dispatches: /api/... to the API handler, other GET/HEAD to
 * the static folders. The request state is freed in the completion callback.
 * Responses are built from td_buf memory handed over with td_free as the
 * free callback, or from a file descriptor for static files.
 *
 * Threads: one acceptor thread owns the listen socket and hands each new
 * connection to the worker (a libmicrohttpd daemon with one event-loop
 * thread and no listen socket) that holds the fewest, so keep-alive
 * clients are spread evenly; the acceptor also enforces max_conns (at the
 * limit, clients wait in the listen queue).
 */
#include "serve/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"

#include <xxhash.h>

/* The answer cache: CACHE_SLOTS slots addressed by the hash of the request
 * (method-less: GET and HEAD share answers, path, then the query
 * arguments in their order), each holding one response object with its own
 * reference. `version` is a hash of the watched files' (size, mtime, inode);
 * when it changes every slot is emptied. Lookups take the read lock (and
 * queue the response under it, so it cannot be freed meanwhile); stores and
 * flushes take the write lock. */
#define CACHE_SLOTS 4096
#define CACHE_MAX_ANSWER (1u << 20)  /* larger answers are not kept */
#define CACHE_MAX_KEY 2048

typedef struct cache_slot {
    uint64_t hash;
    char *key;                 /* NULL = empty */
    struct MHD_Response *r;
    size_t bytes;
} cache_slot;

/* One event-loop thread: a libmicrohttpd daemon without a listen socket,
 * fed by the acceptor. conns counts the connections handed to it and not
 * yet closed: the acceptor adds, a failed hand-off or the close notification
 * subtracts (one that libmicrohttpd drops before starting it, only when it
 * cannot allocate the connection's memory, would stay counted). */
typedef struct worker {
    struct MHD_Daemon *d;
    _Atomic unsigned conns;
} worker;

struct td_http_server {
    worker *w;                 /* cfg.threads of them */
    unsigned n_w;
    int lfd;                   /* the listen socket, -1 when none */
    int wake[2];               /* pipe: a byte stops the acceptor */
    pthread_t acceptor;
    bool acceptor_started;
    unsigned rr;               /* the acceptor's tie-break rotation */
    td_http_config cfg;
    uint16_t port;
    pthread_rwlock_t cache_lock;
    cache_slot *cache;         /* CACHE_SLOTS, or NULL without a cache */
    _Atomic uint64_t cache_version; /* written under the write lock */
    /* CLOCK_MONOTONIC ns before which requests trust cache_version without
     * stat()ing the files; 0 = check on the next request */
    _Atomic uint64_t next_check_ns;
    size_t cache_used;         /* bytes of the answers held */
};

/* Per-request state, from the first access call to the completion call. */
typedef struct req_state {
    td_buf body;
    bool too_large;
} req_state;

/* Sent with every response: the page loads only its own scripts, styles,
 * images and API; nothing may frame it. */
static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

/* ---- pure helpers ---- */

bool td_http_route(const char *pattern, const char *path, td_str *caps, size_t max_caps, size_t *n_caps)
{
    size_t n = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p != '/' || *s != '/') {
            if (*p == '\0' && (*s == '\0' || (s[0] == '/' && s[1] == '\0')))
                break;
            return false;
        }
        p++, s++;
        size_t pl = strcspn(p, "/"), sl = strcspn(s, "/");
        if (pl == 1 && *p == '*') {
            if (sl == 0 || n >= max_caps)
                return false;
            caps[n++] = td_str_make(s, sl);
        } else if (pl != sl || memcmp(p, s, pl) != 0) {
            return false;
        }
        p += pl, s += sl;
        if (*p == '\0' && (*s == '\0' || (s[0] == '/' && s[1] == '\0')))
            break;
    }
    *n_caps = n;
    return true;
}

const char *td_http_status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void td_http_error(td_http_resp *resp, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    resp->status = status;
    resp->content_type = "application/json";
    td_buf_clear(&resp->body);
    td_buf_puts(&resp->body, "{\"error\":");
    td_buf_json_str(&resp->body, td_str_cstr(msg));
    td_buf_printf(&resp->body, ",\"status\":%d}\n", status);
}

td_status td_http_static_resolve(const char *root, const char *url_path, char *out, size_t out_len)
{
    if (!url_path || url_path[0] != '/')
        return TD_EINVAL;
    const char *rel = strcmp(url_path, "/") == 0 ? "/index.html" : url_path;
    /* Every segment must be a plain, visible name. */
    for (const char *s = rel; *s;) {
        if (*s != '/')
            return TD_EINVAL;
        s++;
        size_t l = strcspn(s, "/");
        if (l == 0 || s[0] == '.')
            return TD_EINVAL;
        for (size_t i = 0; i < l; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':')
                return TD_EINVAL;
        }
        s += l;
    }
    char rroot[PATH_MAX], joined[PATH_MAX], rfile[PATH_MAX];
    if (!realpath(root, rroot))
        return TD_ENOTFOUND;
    int n = snprintf(joined, sizeof joined, "%s%s", rroot, rel);
    if (n < 0 || (size_t)n >= sizeof joined)
        return TD_EINVAL;
    if (!realpath(joined, rfile))
        return TD_ENOTFOUND;
    size_t rl = strlen(rroot);
    if (strncmp(rfile, rroot, rl) != 0 || rfile[rl] != '/')
        return TD_EINVAL;  /* a symlink pointing outside the root */
    struct stat sb;
    if (stat(rfile, &sb) != 0 || !S_ISREG(sb.st_mode))
        return TD_ENOTFOUND;
    if (strlen(rfile) + 1 > out_len)
        return TD_EINVAL;
    memcpy(out, rfile, strlen(rfile) + 1);
    return TD_OK;
}

const char *td_http_mime(const char *path)
{
    static const struct { const char *ext, *type; } TYPES[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".json", "application/json" },
        { ".geojson", "application/geo+json" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".map", "application/json" },
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
            if (strcasecmp(dot, TYPES[i].ext) == 0)
                return TYPES[i].type;
    return "application/octet-stream";
}

bool td_http_parse_int(const char *v, long long min, long long max, long long *out)
{
    if (!v || !*v)
        return true;
    if (isspace((unsigned char)*v))
        return false;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < min || n > max)
        return false;
    *out = n;
    return true;
}

bool td_http_parse_double(const char *v, double min, double max, double *out)
{
    if (!v || !*v)
        return true;
    if (isspace((unsigned char)*v))
        return false;
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || *end || !isfinite(d) || d < min || d > max)
        return false;
    *out = d;
    return true;
}

bool td_http_parse_point(const char *v, double *lat, double *lon)
{
    if (!v)
        return false;
    const char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1])
        return false;
    char a[64];
    size_t l = (size_t)(comma - v);
    if (l >= sizeof a)
        return false;
    memcpy(a, v, l);
    a[l] = '\0';
    double la = NAN, lo = NAN;
    if (!td_http_parse_double(a, -90, 90, &la) || !td_http_parse_double(comma + 1, -180, 180, &lo))
        return false;
    *lat = la;
    *lon = lo;
    return true;
}

/* ---- the daemon ---- */

static void add_headers(struct MHD_Response *r, const char *content_type, bool api)
{
    MHD_add_response_header(r, "Content-Type", content_type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control", api ? "no-store" : "no-cache");
}

/* ---- the answer cache ---- */

/* The state of the watched files; 0 never (so 0 means "unknown"). */
static uint64_t files_version(const td_http_server *s)
{
    uint64_t v[4 * 4] = { 0 };
    size_t n = 0;
    for (size_t i = 0; i < s->cfg.n_cache_files && n + 4 <= sizeof v / sizeof v[0]; i++) {
        struct stat sb;
        if (stat(s->cfg.cache_files[i], &sb) == 0) {
            v[n++] = (uint64_t)sb.st_size;
            v[n++] = (uint64_t)sb.st_mtim.tv_sec;
            v[n++] = (uint64_t)sb.st_mtim.tv_nsec;
            v[n++] = (uint64_t)sb.st_ino;
        } else {
            v[n++] = UINT64_MAX; /* absent (a WAL after a clean close) */
        }
    }
    return XXH3_64bits(v, n * sizeof v[0]) | 1;
}

typedef struct key_buf {
    char p[CACHE_MAX_KEY];
    size_t len;
    bool overflow;
} key_buf;

static void key_put(key_buf *k, const char *z)
{
    size_t n = z ? strlen(z) : 0;
    if (k->len + n + 1 >= sizeof k->p) {
        k->overflow = true;
        return;
    }
    memcpy(k->p + k->len, z, n);
    k->len += n;
    k->p[k->len++] = '\x1f';  /* unit separator: cannot come from a URL */
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    key_put(cls, k);
    key_put(cls, v ? v : "");
    return MHD_YES;
}

/* Builds the cache key of a GET; false when it does not fit. */
static bool make_key(struct MHD_Connection *c, const char *url, key_buf *k)
{
    k->len = 0;
    k->overflow = false;
    key_put(k, url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, key_arg, k);
    return !k->overflow;
}

static void slot_clear(cache_slot *sl)
{
    if (sl->r)
        MHD_destroy_response(sl->r);
    td_free(sl->key);
    memset(sl, 0, sizeof *sl);
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Drops every answer when the files changed; returns the current version.
 * The files are stat()ed at most once per cache_check_us: two system calls
 * on every request were a tenth of the server's time on a cached answer.
 * Writes through this server reset next_check_ns (see on_request), so only
 * a write by another process can go unseen, for at most that interval. */
static uint64_t cache_check(td_http_server *s)
{
    uint64_t now = mono_ns();
    uint64_t due = atomic_load_explicit(&s->next_check_ns, memory_order_acquire);
    if (due && now < due)
        return atomic_load_explicit(&s->cache_version, memory_order_acquire);
    atomic_store_explicit(&s->next_check_ns, now + (uint64_t)s->cfg.cache_check_us * 1000u, memory_order_release);
    uint64_t v = files_version(s);
    if (v == atomic_load_explicit(&s->cache_version, memory_order_acquire))
        return v;
    pthread_rwlock_wrlock(&s->cache_lock);
    if (v != atomic_load_explicit(&s->cache_version, memory_order_relaxed)) {
        for (size_t i = 0; i < CACHE_SLOTS; i++)
            slot_clear(&s->cache[i]);
        s->cache_used = 0;
        atomic_store_explicit(&s->cache_version, v, memory_order_release);
    }
    pthread_rwlock_unlock(&s->cache_lock);
    return v;
}

/* Queues the cached answer for key, if any: true with *ret set. */
static bool cache_serve(td_http_server *s, struct MHD_Connection *c, const key_buf *k, uint64_t h,
                        enum MHD_Result *ret)
{
    bool hit = false;
    pthread_rwlock_rdlock(&s->cache_lock);
    cache_slot *sl = &s->cache[h % CACHE_SLOTS];
    if (sl->key && sl->hash == h && strlen(sl->key) == k->len && memcmp(sl->key, k->p, k->len) == 0) {
        *ret = MHD_queue_response(c, MHD_HTTP_OK, sl->r);
        hit = true;
    }
    pthread_rwlock_unlock(&s->cache_lock);
    return hit;
}

/* Keeps r (a 200 answer of `bytes`) for key, when the files are still at
 * version v: an answer read from a newer snapshot is not kept under an older
 * version. Returns true when the cache took over the caller's reference. */
static bool cache_store(td_http_server *s, const key_buf *k, uint64_t h, uint64_t v, struct MHD_Response *r,
                        size_t bytes)
{
    if (bytes > CACHE_MAX_ANSWER)
        return false;
    char *key = td_strndup(k->p, k->len);
    if (!key)
        return false;
    pthread_rwlock_wrlock(&s->cache_lock);
    if (v != atomic_load_explicit(&s->cache_version, memory_order_relaxed)) {
        pthread_rwlock_unlock(&s->cache_lock);
        td_free(key);
        return false;
    }
    cache_slot *sl = &s->cache[h % CACHE_SLOTS];
    if (sl->key)
        s->cache_used -= sl->bytes;
    slot_clear(sl);
    if (s->cache_used + bytes > s->cfg.cache_bytes) { /* full: start again */
        for (size_t i = 0; i < CACHE_SLOTS; i++)
            slot_clear(&s->cache[i]);
        s->cache_used = 0;
    }
    *sl = (cache_slot){ h, key, r, bytes };
    s->cache_used += bytes;
    pthread_rwlock_unlock(&s->cache_lock);
    return true;
}

/* Queues resp (its body is handed over to libmicrohttpd); when key is given
 * and the answer is a 200, the response is also kept in the cache. */
static enum MHD_Result send_resp_keep(td_http_server *s, struct MHD_Connection *c, td_http_resp *resp, bool api,
                                      const key_buf *k, uint64_t h, uint64_t v);

/* Queues resp (its body is handed over to libmicrohttpd). */
static enum MHD_Result send_resp(struct MHD_Connection *c, td_http_resp *resp, bool api)
{
    return send_resp_keep(NULL, c, resp, api, NULL, 0, 0);
}

static enum MHD_Result send_resp_keep(td_http_server *s, struct MHD_Connection *c, td_http_resp *resp, bool api,
                                      const key_buf *k, uint64_t h, uint64_t v)
{
    if (resp->body.failed) {
        td_buf_free(&resp->body);
        td_http_error(resp, 500, "out of memory");
    }
    if (resp->status == 0)
        td_http_error(resp, 404, "no such resource");
    struct MHD_Response *r;
    size_t body_len = resp->body.len;
    if (resp->body.p) {
        r = MHD_create_response_from_buffer_with_free_callback(resp->body.len, resp->body.p, td_free);
        if (r)
            resp->body = (td_buf)TD_BUF_INIT;
    } else {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    td_buf_free(&resp->body);
    if (!r)
        return MHD_NO;
    add_headers(r, resp->content_type ? resp->content_type : "application/json", api);
    if (resp->allow)
        MHD_add_response_header(r, "Allow", resp->allow);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    if (!(s && k && resp->status == 200 && ret == MHD_YES && cache_store(s, k, h, v, r, body_len)))
        MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    td_http_resp resp = { 0 };
    td_http_error(&resp, status, "%s", msg);
    return send_resp(c, &resp, true);
}

static enum MHD_Result send_static(td_http_server *s, struct MHD_Connection *c, const char *url)
{
    char file[PATH_MAX];
    td_status st = TD_ENOTFOUND;
    for (size_t i = 0; i < s->cfg.n_static_roots && st == TD_ENOTFOUND; i++)
        st = td_http_static_resolve(s->cfg.static_roots[i], url, file, sizeof file);
    if (st == TD_EINVAL)
        return send_error(c, 403, "forbidden path");
    if (st != TD_OK)
        return send_error(c, 404, "no such file");
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        return send_error(c, 404, "no such file");
    }
    struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    add_headers(r, td_http_mime(file), false);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static const char *conn_arg(void *ud, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ud, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_len, void **con_cls)
{
    (void)version;
    td_http_server *s = cls;
    req_state *rs = *con_cls;
    if (!rs) {
        rs = td_calloc(1, sizeof *rs);
        if (!rs)
            return MHD_NO;
        *con_cls = rs;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end = NULL;
            unsigned long long n = strtoull(cl, &end, 10);
            if (n > s->cfg.max_body) {
                rs->too_large = true;  /* answered now: the body is never read */
                return send_error(c, 413, "request body over the size limit");
            }
        }
        return MHD_YES;
    }
    if (*upload_len) {
        if (!rs->too_large) {
            if (rs->body.len + *upload_len > s->cfg.max_body) {
                rs->too_large = true;
                td_buf_free(&rs->body);
            } else {
                td_buf_append(&rs->body, upload, *upload_len);
            }
        }
        *upload_len = 0;
        return MHD_YES;
    }
    if (rs->too_large)
        return send_error(c, 413, "request body over the size limit");
    if (rs->body.failed)
        return send_error(c, 500, "out of memory");

    bool api = strcmp(url, "/api") == 0 || strncmp(url, "/api/", 5) == 0 ||
               strncmp(url, "/feeds/", 7) == 0;  /* Atom feeds of follows (api.c h_feed) */
    if (api && s->cfg.api) {
        /* a GET of the read-only API: served from the cache while the
         * database files are unchanged */
        bool cacheable = s->cache && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
        key_buf *k = NULL;
        uint64_t h = 0, v = 0;
        if (cacheable && (k = td_malloc(sizeof *k)) && make_key(c, url, k)) {
            h = XXH3_64bits(k->p, k->len);
            v = cache_check(s);
            enum MHD_Result ret;
            if (cache_serve(s, c, k, h, &ret)) {
                td_free(k);
                return ret;
            }
        } else {
            td_free(k);
            k = NULL;
        }
        td_http_req req = { method, url, conn_arg, c, rs->body.p, rs->body.len };
        td_http_resp resp = { 0 };
        s->cfg.api(s->cfg.api_ud, &req, &resp);
        if (s->cache && !cacheable) /* it may have written: check the files on the next GET */
            atomic_store_explicit(&s->next_check_ns, 0, memory_order_release);
        enum MHD_Result ret = send_resp_keep(s, c, &resp, true, k, h, v);
        td_free(k);
        return ret;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        td_http_resp resp = { 0 };
        td_http_error(&resp, 405, "only GET and HEAD are allowed here");
        resp.allow = "GET, HEAD";
        return send_resp(c, &resp, false);
    }
    return send_static(s, c, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    req_state *rs = *con_cls;
    if (rs) {
        td_buf_free(&rs->body);
        td_free(rs);
        *con_cls = NULL;
    }
}

/* A connection closed: its worker has one less. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)c, (void)socket_ctx;
    worker *w = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub_explicit(&w->conns, 1, memory_order_relaxed);
}

/* The worker with the fewest open connections; ties rotate so that a burst
 * of new connections is dealt out evenly. */
static worker *least_loaded(td_http_server *s)
{
    worker *best = NULL;
    unsigned best_n = UINT_MAX;
    for (unsigned k = 0; k < s->n_w; k++) {
        worker *w = &s->w[(s->rr + k) % s->n_w];
        unsigned n = atomic_load_explicit(&w->conns, memory_order_relaxed);
        if (n < best_n)
            best = w, best_n = n;
    }
    s->rr++;
    return best;
}

static unsigned total_conns(td_http_server *s)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->n_w; i++)
        n += atomic_load_explicit(&s->w[i].conns, memory_order_relaxed);
    return n;
}

/* The acceptor: takes every new connection and gives it to the least loaded
 * worker. libmicrohttpd's own thread pool lets every worker accept from the
 * shared listen socket, and whichever wakes first wins: measured, 200
 * keep-alive connections split 7/61/67/66 over 4 workers, and the requests
 * of the crowded ones waited several times longer (the p99 of the load
 * bench). Runs until a byte arrives on the wake pipe. */
static void *accept_main(void *arg)
{
    td_http_server *s = arg;
    struct pollfd p[2] = { { s->lfd, POLLIN, 0 }, { s->wake[0], POLLIN, 0 } };
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        for (;;) {
            if (total_conns(s) >= s->cfg.max_conns) {
                /* at the limit: new clients wait in the listen queue (as
                 * with libmicrohttpd's own accept) until one closes */
                if (poll(&p[1], 1, 10) > 0)
                    return NULL;
                continue;
            }
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                    poll(NULL, 0, 10); /* out of descriptors: let connections close, do not spin */
                break;                 /* EAGAIN: back to poll */
            }
            worker *w = least_loaded(s);
            atomic_fetch_add_explicit(&w->conns, 1, memory_order_relaxed);
            /* on failure (the worker is at its connection limit) the socket
             * is closed by libmicrohttpd */
            if (MHD_add_connection(w->d, fd, (struct sockaddr *)&ss, sl) != MHD_YES)
                atomic_fetch_sub_explicit(&w->conns, 1, memory_order_relaxed);
        }
    }
    return NULL;
}

/* Opens the listen socket on cfg.bind:cfg.port; -1 with err on failure. */
static int open_listener(td_http_server *s, td_buf *err, td_status *st)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, s->cfg.bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(s->cfg.port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, s->cfg.bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(s->cfg.port);
        sl = sizeof *v6;
    } else {
        td_buf_printf(err, "bad bind address '%s' (give an IPv4 or IPv6 address)", s->cfg.bind);
        *st = TD_EINVAL;
        return -1;
    }
    int one = 1;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) ||
        bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 1024) != 0) {
        td_buf_printf(err, "cannot listen on %s port %u: %s", s->cfg.bind, (unsigned)s->cfg.port, strerror(errno));
        if (fd >= 0)
            close(fd);
        *st = TD_EIO;
        return -1;
    }
    struct sockaddr_storage got;
    socklen_t gl = sizeof got;
    if (getsockname(fd, (struct sockaddr *)&got, &gl) == 0)
        s->port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                                  : ((struct sockaddr_in *)&got)->sin_port);
    return fd;
}

static void free_server(td_http_server *s)
{
    if (s->acceptor_started) {
        ssize_t n = write(s->wake[1], "x", 1);
        (void)n;
        pthread_join(s->acceptor, NULL);
    }
    if (s->lfd >= 0)
        close(s->lfd);
    for (unsigned i = 0; s->w && i < s->n_w; i++)
        if (s->w[i].d)
            MHD_stop_daemon(s->w[i].d);
    td_free(s->w);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    for (size_t i = 0; s->cache && i < CACHE_SLOTS; i++)
        slot_clear(&s->cache[i]);
    td_free(s->cache);
    pthread_rwlock_destroy(&s->cache_lock);
    td_free(s);
}

td_status td_http_start(const td_http_config *cfg, td_http_server **out, td_buf *err)
{
    td_http_server *s = td_calloc(1, sizeof *s);
    if (!s)
        return TD_ENOMEM;
    s->lfd = s->wake[0] = s->wake[1] = -1;
    s->cfg = *cfg;
    if (!s->cfg.bind)
        s->cfg.bind = "127.0.0.1";
    if (!s->cfg.threads)
        s->cfg.threads = 4;
    if (!s->cfg.max_body)
        s->cfg.max_body = 8u << 20;
    if (!s->cfg.timeout_s)
        s->cfg.timeout_s = 15;
    if (!s->cfg.max_conns)
        s->cfg.max_conns = 2048;
    if (!s->cfg.cache_check_us)
        s->cfg.cache_check_us = 1000;
    pthread_rwlock_init(&s->cache_lock, NULL);
    if (s->cfg.cache_bytes && s->cfg.n_cache_files) {
        s->cache = td_calloc(CACHE_SLOTS, sizeof *s->cache);
        if (!s->cache) {
            free_server(s);
            return TD_ENOMEM;
        }
    }
    td_status st = TD_OK;
    s->lfd = open_listener(s, err, &st);
    if (s->lfd < 0) {
        free_server(s);
        return st;
    }
    s->n_w = s->cfg.threads;
    s->w = td_calloc(s->n_w, sizeof *s->w);
    if (!s->w || pipe2(s->wake, O_CLOEXEC) != 0) {
        free_server(s);
        return TD_ENOMEM;
    }
    /* The acceptor keeps the total at max_conns; each worker's own limit
     * is only a backstop. */
    unsigned per_worker = s->cfg.max_conns;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
    if (s->cfg.log_errors)
        flags |= MHD_USE_ERROR_LOG;
    for (unsigned i = 0; i < s->n_w; i++) {
        /* 16 KiB per connection holds the request line and headers (the
         * API's URLs are short; a longer head gets 431) and the response
         * head: libmicrohttpd zeroes the whole area before each request on
         * a kept-alive connection, and at 64 KiB that memset was a sixth of
         * the server's time on a cached answer. */
        s->w[i].d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->cfg.timeout_s,
                                     MHD_OPTION_CONNECTION_LIMIT, per_worker,
                                     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
                                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                     MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s->w[i],
                                     MHD_OPTION_END);
        if (!s->w[i].d) {
            td_buf_printf(err, "cannot start the HTTP worker threads");
            free_server(s);
            return TD_EIO;
        }
    }
    if (pthread_create(&s->acceptor, NULL, accept_main, s) != 0) {
        td_buf_printf(err, "cannot start the HTTP acceptor thread");
        free_server(s);
        return TD_EIO;
    }
    s->acceptor_started = true;
    *out = s;
    return TD_OK;
}

uint16_t td_http_port(const td_http_server *s)
{
    return s->port;
}

void td_http_stop(td_http_server *s)
{
    if (!s)
        return;
    free_server(s);
}
