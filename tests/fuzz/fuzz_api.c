/*
 * fuzz_api.c - libFuzzer target for the HTTP API's request handling without
 * a socket: routing (td_http_route), parameter validation and the queries
 * behind every endpoint (td_api_handle on a small fictional database), the
 * static-file resolver (td_http_static_resolve, path traversal), and the
 * pure parsers (integers, decimals, points, dates, event types, FTS5 query
 * building).
 *
 * Input: "METHOD /path\n" then "name=value" lines (the query arguments, as
 * libmicrohttpd hands them over: already percent-decoded), then an empty line
 * and the request body. Invariants checked: every answer has a status from
 * 200 to 599 and a JSON body; a resolved static file never lies outside the
 * web root.
 *
 * Set-up (once, lazily, so the regression replay needs no libFuzzer hook): a
 * temporary folder with a database of a few fictional articles ingested
 * through the engine, and a web root holding index.html, app.js and a secret
 * file beside it; removed at exit.
 */
#include "fuzz.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "serve/api.h"
#include "serve/http.h"
#include "tidings.h"

static struct {
    bool ready;
    char dir[64], db[96], web[96];
    char web_real[PATH_MAX];
    td_api *api;
} fuzz_api_g;

static void fuzz_api_teardown(void)
{
    td_api_free(fuzz_api_g.api);
    fuzz_api_g.api = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_api_g.dir);
    if (fuzz_api_g.dir[0] && system(cmd) != 0)
        fprintf(stderr, "fuzz_api: could not remove %s\n", fuzz_api_g.dir);
}

static void fuzz_api_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

/* Builds the database and the web root; aborts when it cannot (a broken
 * set-up must not look like a clean run). */
static void fuzz_api_setup(void)
{
    snprintf(fuzz_api_g.dir, sizeof fuzz_api_g.dir, "%s", "/tmp/tidings-fuzz-api.XXXXXX");
    if (!mkdtemp(fuzz_api_g.dir))
        abort();
    snprintf(fuzz_api_g.db, sizeof fuzz_api_g.db, "%s/t.db", fuzz_api_g.dir);
    snprintf(fuzz_api_g.web, sizeof fuzz_api_g.web, "%s/web", fuzz_api_g.dir);
    char path[160];
    if (mkdir(fuzz_api_g.web, 0700) != 0)
        abort();
    snprintf(path, sizeof path, "%s/index.html", fuzz_api_g.web);
    fuzz_api_write(path, "<!doctype html><title>t</title>");
    snprintf(path, sizeof path, "%s/app.js", fuzz_api_g.web);
    fuzz_api_write(path, "void 0;");
    snprintf(path, sizeof path, "%s/secret.txt", fuzz_api_g.dir);
    fuzz_api_write(path, "outside the root");
    if (!realpath(fuzz_api_g.web, fuzz_api_g.web_real))
        abort();

    static const char *const TEXTS[] = {
        "Ferry sinks off Calloway Point\n\nCALLOWAY POINT, Vessia (Harbour Gazette) - A passenger ferry sank "
        "off Calloway Point on Friday, killing at least 12 people, the coast guard said.\n\n\"We are still "
        "searching,\" said Captain Mira Oduya, a coast guard spokeswoman.",
        "Dock strike halts Dunmore port\n\nDUNMORE, Vessia - Dock workers in Dunmore walked out on Monday over "
        "pay, and about 300 protesters marched to the town hall, police said.",
        "Talks in Port Linden\n\nPORT LINDEN - Ministers from Vessia and Ardania met in Port Linden on "
        "Tuesday and signed an agreement on fishing rights, according to the foreign ministry.",
    };
    static const char *const DATES[] = { "2031-05-02", "2031-05-05", "2031-05-06" };
    td_options o = { 0 };
    o.db_path = fuzz_api_g.db;
    o.threads = 1;
    td_engine *e = NULL;
    if (td_engine_open(&o, &e) != TD_OK)
        abort();
    for (size_t i = 0; i < sizeof TEXTS / sizeof TEXTS[0]; i++) {
        char id[16], url[80];
        snprintf(id, sizeof id, "f%zu", i);
        snprintf(url, sizeof url, "https://gazette.example/2031/05/story-%zu", i);
        td_input in = { 0 };
        in.id = id;
        in.url = url;
        in.text = TEXTS[i];
        in.text_len = strlen(TEXTS[i]);
        in.published = DATES[i];
        if (td_ingest_input(e, &in, NULL) != TD_OK)
            abort();
    }
    if (td_ingest_finish(e, NULL) != TD_OK)
        abort();
    td_engine_close(e);
    td_api_config ac = { fuzz_api_g.db, 1, 2000, NULL };
    td_buf err = TD_BUF_INIT;
    if (td_api_new(&ac, &fuzz_api_g.api, &err) != TD_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err.p ? err.p : "td_api_new failed");
        abort();
    }
    td_buf_free(&err);
    atexit(fuzz_api_teardown);
    fuzz_api_g.ready = true;
}

/* Query arguments: an array of "name=value" strings. */
typedef struct fuzz_api_args {
    char **kv;
    size_t n;
} fuzz_api_args;

static const char *fuzz_api_arg(void *ud, const char *name)
{
    const fuzz_api_args *a = ud;
    size_t n = strlen(name);
    for (size_t i = 0; i < a->n; i++)
        if (strncmp(a->kv[i], name, n) == 0 && a->kv[i][n] == '=')
            return a->kv[i] + n + 1;
    return NULL;
}

static const char *fuzz_api_after(const char *kv)
{
    const char *eq = strchr(kv, '=');
    return eq ? eq + 1 : kv;
}

static int fuzz_api(const uint8_t *data, size_t size)
{
    if (!fuzz_api_g.ready)
        fuzz_api_setup();
    char *z = td_fuzz_dupz(data, size);
    if (!z)
        return 0;
    /* split: request line, argument lines, blank line, body */
    char *body = strstr(z, "\n\n");
    size_t body_len = 0;
    if (body) {
        *body = '\0';
        body += 2;
        body_len = size - (size_t)(body - z);
    }
    char *kv[32];
    fuzz_api_args args = { kv, 0 };
    char *line = z, *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    for (char *p = nl ? nl + 1 : NULL; p && args.n < 32;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        kv[args.n++] = p;
        p = e ? e + 1 : NULL;
    }
    char *sp = strchr(line, ' ');
    const char *method = "GET", *path = line;
    if (sp) {
        *sp = '\0';
        method = line;
        path = sp + 1;
    }

    td_http_req req = { method, path, fuzz_api_arg, &args, body, body_len };
    td_http_resp resp = { 0 };
    if (strncmp(path, "/api", 4) == 0) {
        td_api_handle(fuzz_api_g.api, &req, &resp);
        if (resp.status < 200 || resp.status > 599)
            abort();
        if (!resp.content_type && strcmp(method, "HEAD") != 0) {
            json_error_t je;
            json_t *j = json_loadb(resp.body.p ? resp.body.p : "", resp.body.len, 0, &je);
            if (!j) {
                fprintf(stderr, "fuzz_api: %s %s gave a body that is not JSON: %s\n", method, path, je.text);
                abort();
            }
            json_decref(j);
        }
        td_buf_free(&resp.body);
    }

    char out[PATH_MAX];
    if (td_http_static_resolve(fuzz_api_g.web_real, path, out, sizeof out) == TD_OK) {
        size_t rl = strlen(fuzz_api_g.web_real);
        if (strncmp(out, fuzz_api_g.web_real, rl) != 0 || out[rl] != '/')
            abort();
        (void)td_http_mime(out);
    }
    td_str caps[4];
    size_t n_caps = 0;
    if (td_http_route("/api/*/*", path, caps, 4, &n_caps) && n_caps > 4)
        abort();
    for (size_t i = 0; i < args.n; i++) {
        const char *v = fuzz_api_after(kv[i]);
        long long ll;
        double d, lat, lon;
        (void)td_http_parse_int(v, -1000, 1000, &ll);
        (void)td_http_parse_double(v, -1e6, 1e6, &d);
        if (td_http_parse_point(v, &lat, &lon) && (lat < -90 || lat > 90 || lon < -180 || lon > 180))
            abort();
        (void)td_api_valid_date(v);
        (void)td_api_valid_event_type(v);
        td_buf q = TD_BUF_INIT;
        (void)td_api_fts_query(v, &q);
        td_buf_free(&q);
    }
    td_free(z);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_api)
