/*
 * cmd_watch.c - `tidings watch [--db FILE] DIR`: ingests files as they appear
 * in DIR (and its sub-folders), each once, across restarts.
 *
 * How: inotify watches are set on DIR and every sub-folder first, then what
 * is already there is scanned (sorted), so a file arriving during the scan is
 * not missed; either way a file goes through one gate, ingest_file, which
 * skips files recorded in watch_file (read/watch.h) with the same size, mtime
 * and inode. A file is complete when it is closed after writing
 * (IN_CLOSE_WRITE) or renamed into place (IN_MOVED_TO); writers that want
 * atomicity write "x.tmp" or ".x" and rename. Articles are committed
 * (td_ingest_finish) after each burst of events and every 100 files or 5 s
 * of the start-up scan, and only then are the files recorded, so nothing
 * reported as ingested is lost on a crash. SIGINT/SIGTERM stop the loop at
 * the next file boundary; pending work is committed before exit.
 *
 * Data structure: dirs[] maps inotify watch descriptors to folder paths
 * (grown as folders appear); pending[] holds the files ingested since the
 * last commit.
 */
#include "cli/cli.h"
#include "engine.h"
#include "read/watch.h"
#include "base/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct pending_file {
    td_watch_file f;
    char *path;          /* owned; f.path points here */
    uint64_t articles;
} pending_file;

typedef struct watcher {
    td_cli *cli;
    td_engine *e;
    bool quiet;
    int ifd;                     /* inotify */
    struct { int wd; char *path; } *dirs;
    size_t n_dirs, cap_dirs;
    pending_file *pending;
    size_t n_pending, cap_pending;
    double last_commit;
    td_ingest_stats total;       /* of the whole run */
    uint64_t files;              /* files ingested in this run */
    dev_t db_dev;                /* the database file itself is never ingested */
    ino_t db_ino;
} watcher;

static void on_warn(void *ud, const char *where, const char *msg)
{
    watcher *w = ud;
    if (!w->quiet)
        fprintf(stderr, "tidings: %s: %s\n", where, msg);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Commits what was ingested and records its files. */
static td_status commit(watcher *w)
{
    w->last_commit = now();
    if (!w->n_pending)
        return TD_OK;
    td_status st = td_ingest_finish(w->e, &w->total);
    for (size_t i = 0; i < w->n_pending; i++) {
        if (st == TD_OK)
            st = td_watch_record(td_engine_store(w->e), &w->pending[i].f, w->pending[i].articles);
        td_free(w->pending[i].path);
    }
    w->n_pending = 0;
    if (st != TD_OK)
        td_cli_error("watch: %s", td_engine_errmsg(w->e));
    return st;
}

/* Ingests path unless it was ingested before (same size, mtime and inode).
 * Returns TD_OK also for files skipped or unreadable; a fatal status stops. */
static td_status ingest_file(watcher *w, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!td_watch_wanted(base))
        return TD_OK;
    td_watch_file f;
    if (td_watch_stat(path, &f) != TD_OK)
        return TD_OK; /* gone already, or not a regular file */
    if ((dev_t)0 != w->db_dev && f.inode == (uint64_t)w->db_ino) {
        struct stat sb;
        if (stat(path, &sb) == 0 && sb.st_dev == w->db_dev)
            return TD_OK;
    }
    bool known = false;
    td_status st = td_watch_known(td_engine_store(w->e), &f, &known);
    if (st != TD_OK) {
        td_cli_error("watch: %s", td_engine_errmsg(w->e));
        return st;
    }
    for (size_t i = 0; i < w->n_pending && !known; i++)
        known = strcmp(w->pending[i].path, path) == 0 && w->pending[i].f.size == f.size &&
                w->pending[i].f.mtime_ns == f.mtime_ns && w->pending[i].f.inode == f.inode;
    if (known)
        return TD_OK;
    uint64_t seen0 = w->total.seen, skipped0 = w->total.skipped;
    st = td_ingest_path(w->e, path, &w->total);
    if (st == TD_ENOTFOUND || st == TD_EIO)
        return TD_OK; /* reported through on_warn; not recorded, so retried when it comes back */
    if (st != TD_OK) {
        td_cli_error("watch: %s: %s", path, td_engine_errmsg(w->e));
        return st;
    }
    if (w->n_pending == w->cap_pending) {
        size_t cap = w->cap_pending ? w->cap_pending * 2 : 64;
        pending_file *p = td_realloc(w->pending, cap * sizeof *p);
        if (!p)
            return TD_ENOMEM;
        w->pending = p;
        w->cap_pending = cap;
    }
    pending_file *p = &w->pending[w->n_pending];
    if (!(p->path = td_strdup(path)))
        return TD_ENOMEM;
    p->f = f;
    p->f.path = p->path;
    p->articles = w->total.seen - seen0;
    w->n_pending++;
    w->files++;
    if (!w->quiet)
        fprintf(stderr, "tidings: watch: %s: %llu article%s%s\n", path, (unsigned long long)p->articles,
                p->articles == 1 ? "" : "s",
                w->total.skipped > skipped0 ? " (some inputs skipped, see above)" : "");
    return TD_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = td_malloc(len);
    if (p)
        snprintf(p, len, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return p;
}

static td_status add_dir(watcher *w, const char *path);

/* Watches path and its sub-folders, then ingests their files in sorted order
 * (committing every 100 files or 5 s). Bounded by depth 64. */
static td_status scan(watcher *w, const char *path, int depth)
{
    if (depth > 64)
        return TD_OK;
    td_status st = add_dir(w, path);
    if (st != TD_OK)
        return st;
    DIR *d = opendir(path);
    if (!d) {
        on_warn(w, path, strerror(errno));
        return TD_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = td_realloc(names, cap * sizeof *names);
            if (!nn) { st = TD_ENOMEM; break; }
            names = nn;
        }
        if (!(names[n] = td_strdup(de->d_name))) { st = TD_ENOMEM; break; }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && st == TD_OK && !stop_requested; i++) {
        char *full = join(path, names[i]);
        struct stat sb;
        if (!full)
            st = TD_ENOMEM;
        else if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
            st = scan(w, full, depth + 1);
        else if ((st = ingest_file(w, full)) == TD_OK &&
                 (w->n_pending >= 100 || (w->n_pending && now() - w->last_commit > 5)))
            st = commit(w);
        td_free(full);
    }
    for (size_t i = 0; i < n; i++)
        td_free(names[i]);
    td_free(names);
    return st;
}

/* Adds an inotify watch on path (once). */
static td_status add_dir(watcher *w, const char *path)
{
    int wd = inotify_add_watch(w->ifd, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR);
    if (wd < 0) {
        on_warn(w, path, errno == ENOSPC ? "too many folders to watch (fs.inotify.max_user_watches)"
                                         : strerror(errno));
        return TD_OK;
    }
    for (size_t i = 0; i < w->n_dirs; i++)
        if (w->dirs[i].wd == wd)
            return TD_OK;
    if (w->n_dirs == w->cap_dirs) {
        size_t cap = w->cap_dirs ? w->cap_dirs * 2 : 16;
        void *p = td_realloc(w->dirs, cap * sizeof *w->dirs);
        if (!p)
            return TD_ENOMEM;
        w->dirs = p;
        w->cap_dirs = cap;
    }
    if (!(w->dirs[w->n_dirs].path = td_strdup(path)))
        return TD_ENOMEM;
    w->dirs[w->n_dirs++].wd = wd;
    return TD_OK;
}

static const char *dir_of(watcher *w, int wd)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        if (w->dirs[i].wd == wd)
            return w->dirs[i].path;
    return NULL;
}

/* Reads one burst of events and handles them; then commits. */
static td_status handle_events(watcher *w, const char *root)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    td_status st = TD_OK;
    for (;;) {
        ssize_t len = read(w->ifd, buf, sizeof buf);
        if (len <= 0)
            break; /* EAGAIN: the burst is over (or EINTR: a signal) */
        for (char *p = buf; p < buf + len && st == TD_OK;) {
            struct inotify_event *ev = (struct inotify_event *)(void *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                st = scan(w, root, 0); /* events were lost: look at everything */
                continue;
            }
            if (ev->mask & IN_IGNORED) {
                for (size_t i = 0; i < w->n_dirs; i++)
                    if (w->dirs[i].wd == ev->wd) {
                        td_free(w->dirs[i].path);
                        w->dirs[i] = w->dirs[--w->n_dirs];
                        break;
                    }
                continue;
            }
            const char *dir = dir_of(w, ev->wd);
            if (!dir || !ev->len || ev->name[0] == '.')
                continue;
            char *full = join(dir, ev->name);
            if (!full)
                return TD_ENOMEM;
            if (ev->mask & IN_ISDIR) {
                if (ev->mask & (IN_CREATE | IN_MOVED_TO))
                    st = scan(w, full, 1); /* files may have landed before the watch */
            } else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
                st = ingest_file(w, full);
            }
            td_free(full);
        }
        if (st != TD_OK || stop_requested)
            break;
    }
    td_status c = commit(w);
    return st != TD_OK ? st : c;
}

static int run(td_cli *cli, int argc, char **argv)
{
    watcher w = { 0 };
    w.cli = cli;
    w.ifd = -1;
    const char *dir = NULL;
    td_options o = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            w.quiet = true;
        } else if (strcmp(a, "--threads") == 0) {
            unsigned long long v;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v > 64) {
                td_cli_error("--threads must be between 0 (one per core) and 64");
                return TD_EXIT_USAGE;
            }
            o.threads = (uint32_t)v;
        } else if (a[0] == '-' && a[1]) {
            td_cli_error("watch: unknown option '%s' (see `tidings watch --help`)", a);
            return TD_EXIT_USAGE;
        } else if (dir) {
            td_cli_error("watch: one folder only (see `tidings watch --help`)");
            return TD_EXIT_USAGE;
        } else {
            dir = a;
        }
    }
    struct stat sb;
    if (!dir) {
        td_cli_error("watch: name the folder to watch (see `tidings watch --help`)");
        return TD_EXIT_USAGE;
    }
    if (stat(dir, &sb) != 0) {
        td_cli_error("watch: %s: %s", dir, strerror(errno));
        return TD_EXIT_NOTFOUND;
    }
    if (!S_ISDIR(sb.st_mode)) {
        td_cli_error("watch: %s: not a folder", dir);
        return TD_EXIT_USAGE;
    }
    o.db_path = cli->db;
    o.warn = on_warn;
    o.ud = &w;
    td_status st = td_engine_open(&o, &w.e);
    if (st != TD_OK) {
        td_cli_error("%s", td_engine_errmsg(NULL));
        return td_cli_exit_for(st);
    }
    if (stat(cli->db, &sb) == 0) {
        w.db_dev = sb.st_dev;
        w.db_ino = sb.st_ino;
    }
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal; /* no SA_RESTART: poll returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.ifd < 0) {
        td_cli_error("watch: inotify: %s", strerror(errno));
        td_engine_close(w.e);
        return TD_EXIT_INTERNAL;
    }
    if (!w.quiet)
        fprintf(stderr, "tidings: watching %s (database %s); Ctrl-C to stop\n", dir, cli->db);
    w.last_commit = now();
    st = scan(&w, dir, 0);
    if (st == TD_OK)
        st = commit(&w);
    while (st == TD_OK && !stop_requested) {
        struct pollfd pfd = { .fd = w.ifd, .events = POLLIN };
        int n = poll(&pfd, 1, 1000);
        if (n < 0 && errno != EINTR) {
            td_cli_error("watch: poll: %s", strerror(errno));
            break;
        }
        if (n > 0)
            st = handle_events(&w, dir);
    }
    td_status c = commit(&w);
    if (st == TD_OK)
        st = c;
    if (!w.quiet)
        fprintf(stderr, "tidings: watch stopped: %llu file%s, %llu articles (%llu new or changed, %llu skipped)\n",
                (unsigned long long)w.files, w.files == 1 ? "" : "s", (unsigned long long)w.total.seen,
                (unsigned long long)w.total.stored, (unsigned long long)w.total.skipped);
    close(w.ifd);
    for (size_t i = 0; i < w.n_dirs; i++)
        td_free(w.dirs[i].path);
    td_free(w.dirs);
    for (size_t i = 0; i < w.n_pending; i++)
        td_free(w.pending[i].path);
    td_free(w.pending);
    td_engine_close(w.e);
    return st == TD_OK ? TD_EXIT_OK : td_cli_exit_for(st);
}

const td_command td_cmd_watch = {
    "watch",
    "ingest files as they appear in a folder",
    run,
    "usage: tidings watch [--db FILE] [--threads N] [-q] DIR\n"
    "\n"
    "Ingests every file in DIR and its sub-folders (any format `ingest` reads:\n"
    "text, JSON lines, HTML, WARC, .gz), then waits for new ones and ingests\n"
    "each when it is complete: closed after writing, or renamed into DIR.\n"
    "Each file is ingested once, also across restarts: the database records\n"
    "the files (path, size, mtime, inode); a file rewritten in place is read\n"
    "again. Hidden files and temporaries (.x, x~, x.tmp, x.part, x.swp) are\n"
    "ignored, so write to x.tmp and rename for an atomic hand-over.\n"
    "Articles are committed after each burst of files. Stops cleanly on\n"
    "Ctrl-C or SIGTERM.\n",
};
