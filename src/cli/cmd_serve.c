/*
 * cmd_serve.c - `tidings serve`: the JSON API (src/serve/api.c) and the web
 * page (web/ and build/web/) over HTTP until SIGINT or SIGTERM.
 *
 * The store is opened read-only unless --allow-ingest; the API reads through
 * its own pool of read-only connections, and the engine (writer) is used only
 * for POST /api/articles. The web folders are found next to the binary
 * (BIN/../web, BIN/../../web for build/tidings) or given with --web.
 */
#include "cli/cli.h"
#include "db/db.h"
#include "engine.h"
#include "serve/api.h"
#include "serve/http.h"

#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Writes "a" + "b" into out; false when it does not fit. */
static bool join(char *out, size_t len, const char *a, const char *b)
{
    int n = snprintf(out, len, "%s%s", a, b);
    return n > 0 && (size_t)n < len;
}

/* Finds web/ (and build/web/ with the npm assets) for the page: next to the
 * binary first (build/tidings -> repo, bin/tidings -> share/tidings), then
 * the current folder. Writes up to two roots. */
static size_t find_web(char roots[2][PATH_MAX])
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    static const char *const REL[] = { "/../web", "/../share/tidings/web" };
    char web[PATH_MAX];
    for (size_t i = 0; i < 3; i++) {
        bool ok = i < 2 ? n > 0 && join(web, sizeof web, exe, REL[i]) : join(web, sizeof web, ".", "/web");
        if (!ok || !is_dir(web) || !realpath(web, roots[0]))
            continue;
        return join(web, sizeof web, roots[0], "/../build/web") && is_dir(web) && realpath(web, roots[1]) ? 2 : 1;
    }
    return 0;
}

/* Raises the open-files limit to its hard maximum: every connection is a
 * descriptor, and the server should take 1,000 of them. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int run(td_cli *cli, int argc, char **argv)
{
    unsigned long long port = 8080, threads = 4, max_body = 8ull << 20, timeout = 15, query_ms = 5000, max_conns = 2048;
    const char *bind = "127.0.0.1", *web = NULL;
    unsigned long long cache_mb = 64;
    bool allow_ingest = false;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(opt, "--allow-ingest") == 0) {
            allow_ingest = true;
            continue;
        }
        if (strcmp(opt, "--port") == 0 || strcmp(opt, "-p") == 0) {
            if (!td_cli_parse_uint(opt, val, &port) || port > 65535) {
                if (port > 65535)
                    td_cli_error("--port must be at most 65535");
                return TD_EXIT_USAGE;
            }
        } else if (strcmp(opt, "--cache-mb") == 0) {
            if (!td_cli_parse_uint(opt, val, &cache_mb) || cache_mb > 65536) {
                td_cli_error("--cache-mb must be 0 (no cache) to 65536");
                return TD_EXIT_USAGE;
            }
        } else if (strcmp(opt, "--threads") == 0) {
            if (!td_cli_parse_uint(opt, val, &threads) || threads == 0 || threads > 256) {
                td_cli_error("--threads must be 1 to 256");
                return TD_EXIT_USAGE;
            }
        } else if (strcmp(opt, "--max-body") == 0) {
            if (!td_cli_parse_uint(opt, val, &max_body) || max_body == 0)
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--timeout") == 0) {
            if (!td_cli_parse_uint(opt, val, &timeout) || timeout == 0)
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--query-ms") == 0) {
            if (!td_cli_parse_uint(opt, val, &query_ms) || query_ms == 0)
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--max-conns") == 0) {
            if (!td_cli_parse_uint(opt, val, &max_conns) || max_conns == 0 || max_conns > 100000) {
                td_cli_error("--max-conns must be 1 to 100000");
                return TD_EXIT_USAGE;
            }
        } else if (strcmp(opt, "--bind") == 0 && val) {
            bind = val;
        } else if (strcmp(opt, "--web") == 0 && val) {
            web = val;
        } else {
            td_cli_error("serve: unknown argument '%s' (see `tidings serve --help`)", opt);
            return TD_EXIT_USAGE;
        }
        i++;
    }

    td_engine *e = td_cli_open(cli, !allow_ingest);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_buf err = TD_BUF_INIT;
    td_api *api = NULL;
    td_api_config ac = { cli->db, (unsigned)threads, (unsigned)query_ms, allow_ingest ? e : NULL };
    td_status st = td_api_new(&ac, &api, &err);
    if (st != TD_OK) {
        td_cli_error("%s", err.p ? err.p : td_status_str(st));
        td_buf_free(&err);
        td_engine_close(e);
        return td_cli_exit_for(st);
    }
    char roots[2][PATH_MAX];
    const char *root_ptrs[2];
    size_t n_roots = 0;
    if (web) {
        if (!is_dir(web)) {
            td_cli_error("--web %s: not a folder", web);
            td_api_free(api);
            td_engine_close(e);
            return TD_EXIT_NOTFOUND;
        }
        if (!realpath(web, roots[0])) {
            td_cli_error("--web %s: cannot resolve the path", web);
            td_api_free(api);
            td_engine_close(e);
            return TD_EXIT_NOTFOUND;
        }
        n_roots = 1;
    } else {
        n_roots = find_web(roots);
    }
    for (size_t i = 0; i < n_roots; i++)
        root_ptrs[i] = roots[i];

    raise_nofile();
    /* Keep freed memory in the process: without this, glibc hands it back
     * with madvise after every request and the TLB shootdowns across worker
     * threads cost more than the queries (measured with perf). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    td_http_config hc = { 0 };
    hc.bind = bind;
    hc.port = (uint16_t)port;
    hc.threads = (unsigned)threads;
    hc.max_body = (size_t)max_body;
    hc.timeout_s = (unsigned)timeout;
    hc.max_conns = (unsigned)max_conns;
    hc.static_roots = root_ptrs;
    hc.n_static_roots = n_roots;
    hc.api = td_api_handle;
    hc.api_ud = api;
    /* answers are kept while the database and its WAL are unchanged */
    char wal[PATH_MAX];
    snprintf(wal, sizeof wal, "%s-wal", cli->db);
    const char *watch[2] = { cli->db, wal };
    /* PostgreSQL: workers on other machines write without touching a local
     * file, so a stale answer could not be noticed: no answer cache */
    hc.cache_bytes = td_db_is_url(cli->db) ? 0 : (size_t)cache_mb << 20;
    hc.cache_files = watch;
    hc.n_cache_files = 2;
    td_http_server *srv = NULL;
    st = td_http_start(&hc, &srv, &err);
    if (st != TD_OK) {
        td_cli_error("%s", err.p ? err.p : td_status_str(st));
        td_buf_free(&err);
        td_api_free(api);
        td_engine_close(e);
        return st == TD_EINVAL ? TD_EXIT_USAGE : TD_EXIT_IO;
    }
    /* Signals stay blocked except inside sigsuspend, so none is lost
     * between the check of `stop` and the wait. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    const char *host = strchr(bind, ':') ? "[::1]" : strcmp(bind, "0.0.0.0") == 0 ? "127.0.0.1" : bind;
    if (!cli->quiet) {
        printf("tidings: serving %s (%s) on http://%s:%u/\n", cli->db, allow_ingest ? "ingest allowed" : "read-only",
               host, (unsigned)td_http_port(srv));
        if (n_roots == 0)
            printf("tidings: no web/ folder found: only the API is served (give --web DIR)\n");
        else if (n_roots == 1 && !web)
            printf("tidings: %s has no npm assets next to it: run scripts/fetch-web-assets for the map\n", roots[0]);
        fflush(stdout);
    }
    while (!stop)
        sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    td_http_stop(srv);
    td_api_free(api);
    td_engine_close(e);
    td_buf_free(&err);
    return TD_EXIT_OK;
}

const td_command td_cmd_serve = {
    "serve",
    "serve the JSON API and the web page over HTTP",
    run,
    "usage: tidings serve [--db FILE] [--port N] [--bind ADDR] [--allow-ingest]\n"
    "                     [--threads N] [--max-body BYTES] [--timeout S]\n"
    "                     [--query-ms MS] [--max-conns N] [--cache-mb N] [--web DIR]\n"
    "\n"
    "Serves the JSON API under /api/ (docs/api.md) and the web page on\n"
    "http://ADDR:PORT/ until interrupted (Ctrl-C).\n"
    "\n"
    "  --port N          port to listen on (default 8080; 0 picks a free one)\n"
    "  --bind ADDR       address to listen on (default 127.0.0.1)\n"
    "  --allow-ingest    accept POST /api/articles (JSON lines); without it the\n"
    "                    database is opened read-only and nothing can change it\n"
    "  --threads N       worker threads and read connections (default 4)\n"
    "  --max-body BYTES  largest request body (default 8388608); larger: 413\n"
    "  --cache-mb N      keep API answers in up to N MB while the database files\n"
    "                    are unchanged (default 64; 0 = no cache)\n"
    "  --timeout S       drop connections idle for S seconds (default 15)\n"
    "  --query-ms MS     time limit of one request's queries (default 5000); 503\n"
    "  --max-conns N     concurrent connections (default 2048); more are refused\n"
    "  --web DIR         serve the page from DIR instead of web/ + build/web/\n",
};
