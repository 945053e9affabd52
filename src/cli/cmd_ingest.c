/*
 * cmd_ingest.c - `tidings ingest [--db FILE] PATH...`: files, folders
 * (recursively) and "-" (standard input), format found from the content.
 * Progress on a terminal, one message per skipped input, a one-line summary.
 */
#include "cli/cli.h"
#include "read/read.h"
#include "store/store.h"
#include "worker/queue.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ingest_ui {
    bool tty;            /* stderr is a terminal: show progress */
    bool quiet;
    bool stage_times;    /* --stage-times: the time of each stage at the end */
    int queue;           /* PostgreSQL: 1 --enqueue, -1 --no-queue, 0 when workers run */
    bool wait;           /* --wait: until the workers have processed the queue */
    unsigned long long warnings;
    bool progress_shown;
} ingest_ui;

#define MAX_WARNINGS 200

static void on_warn(void *ud, const char *where, const char *msg)
{
    ingest_ui *ui = ud;
    ui->warnings++;
    if (ui->warnings > MAX_WARNINGS)
        return;
    if (ui->progress_shown) {
        fputs("\r\033[K", stderr);
        ui->progress_shown = false;
    }
    fprintf(stderr, "tidings: %s: %s\n", where, msg);
    if (ui->warnings == MAX_WARNINGS)
        fprintf(stderr, "tidings: further messages are not shown (the summary counts them)\n");
}

static void on_progress(void *ud, const td_ingest_stats *s)
{
    ingest_ui *ui = ud;
    if (!ui->tty || ui->quiet)
        return;
    double rate = s->seconds > 0 ? (double)s->seen / s->seconds : 0;
    fprintf(stderr, "\r\033[K  %llu articles, %.0f/s, %.1f MB, %llu skipped",
            (unsigned long long)s->seen, rate, (double)s->bytes / 1e6, (unsigned long long)s->skipped);
    ui->progress_shown = true;
}

/* ---- the queue of a PostgreSQL database (src/worker, docs/postgres.md) ---- */

typedef struct enq {
    td_db *db;
    td_stmt *put;
    td_buf err;
    ingest_ui *ui;
    uint64_t n;
} enq;

static td_status enq_emit(void *ud, const td_input *in)
{
    enq *q = ud;
    td_status s = td_queue_put(q->db, &q->put, in, &q->err);
    if (s == TD_OK && ++q->n % 1000 == 0 && q->ui->tty && !q->ui->quiet) {
        fprintf(stderr, "\r\033[K  %llu articles queued", (unsigned long long)q->n);
        q->ui->progress_shown = true;
    }
    return s;
}

static void enq_warn(void *ud, const char *where, const char *msg)
{
    on_warn(((enq *)ud)->ui, where, msg);
}

/* Waits until the queue is drained and its corpus stages ran. */
static td_status enq_wait(td_db *db, ingest_ui *ui, td_buf *err)
{
    for (;;) {
        td_queue_counts c;
        td_status s = td_queue_counts_get(db, &c, err);
        if (s != TD_OK)
            return s;
        if (!c.fresh && !c.claimed && !c.finish_pending)
            return TD_OK;
        if (ui->tty && !ui->quiet) {
            fprintf(stderr, "\r\033[K  waiting: %lld new, %lld claimed, %lld done, %lld workers",
                    (long long)c.fresh, (long long)c.claimed, (long long)c.done, (long long)c.workers_alive);
            ui->progress_shown = true;
        }
        usleep(200 * 1000);
    }
}

/* `tidings ingest --db postgresql://...` when workers run (or --enqueue):
 * every article read goes to the queue, all in one transaction, so workers
 * see the whole input at once and merge it in its order. *handled is false
 * when the articles should be ingested here instead. */
static int enqueue_paths(td_cli *cli, ingest_ui *ui, const char **paths, int n_paths, const td_options *o,
                         bool *handled)
{
    *handled = false;
    td_buf err = TD_BUF_INIT;
    td_store *probe = NULL; /* creates or migrates the schema, queue included */
    td_status s = td_store_open(cli->db, false, &probe, &err);
    td_store_close(probe);
    enq q = { 0 };
    q.ui = ui;
    if (s == TD_OK)
        s = td_db_open(cli->db, 0, &q.db, &err);
    td_queue_counts c = { 0 };
    if (s == TD_OK && ui->queue == 0)
        s = td_queue_counts_get(q.db, &c, &err);
    if (s != TD_OK) {
        td_cli_error("%s", err.p ? err.p : td_status_str(s));
        td_db_close(q.db);
        td_buf_free(&err);
        return td_cli_exit_for(s);
    }
    if (ui->queue == 0 && c.workers_alive == 0) { /* nobody would take them: ingest here */
        td_db_close(q.db);
        td_buf_free(&err);
        return TD_EXIT_OK;
    }
    *handled = true;
    td_reader r = { 0 };
    r.emit = enq_emit;
    r.warn = enq_warn;
    r.ud = &q;
    r.max_article_bytes = o->max_article_bytes ? o->max_article_bytes : 16u << 20;
    r.max_line_bytes = o->max_line_bytes;
    int code = TD_EXIT_OK;
    bool missing = false;
    s = td_db_begin(q.db, true, &q.err);
    for (int i = 0; s == TD_OK && i < n_paths; i++) {
        s = td_read_path(&r, paths[i]);
        if (s == TD_ENOTFOUND || s == TD_EIO) {
            missing = true;
            s = TD_OK;
        }
    }
    if (s == TD_OK)
        s = td_db_commit(q.db, &q.err);
    else
        td_db_rollback(q.db);
    if (ui->progress_shown) {
        fputs("\r\033[K", stderr);
        ui->progress_shown = false;
    }
    if (s != TD_OK) {
        td_cli_error("ingest stopped: %s; nothing was queued", q.err.p ? q.err.p : td_status_str(s));
        code = td_cli_exit_for(s);
    } else {
        if (!ui->quiet)
            fprintf(stderr, "queued %llu articles from %llu file%s in %s for the workers (%llu skipped)\n",
                    (unsigned long long)q.n, (unsigned long long)r.files, r.files == 1 ? "" : "s", cli->db,
                    (unsigned long long)r.skipped);
        if (ui->wait && (s = enq_wait(q.db, ui, &q.err)) != TD_OK) {
            td_cli_error("waiting for the workers: %s", q.err.p ? q.err.p : td_status_str(s));
            code = td_cli_exit_for(s);
        }
        if (ui->progress_shown)
            fputs("\r\033[K", stderr);
        if (code == TD_EXIT_OK && (r.skipped || missing))
            code = TD_EXIT_SKIPPED;
    }
    td_stmt_finalize(q.put);
    td_db_close(q.db);
    td_buf_free(&q.err);
    td_buf_free(&err);
    return code;
}

static int run(td_cli *cli, int argc, char **argv)
{
    ingest_ui ui = { 0 };
    ui.tty = isatty(2);
    td_options o = { 0 };
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int n_paths = 0;
    bool only_paths = false;
    if (!paths)
        return TD_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_paths && strcmp(a, "--") == 0) {
            only_paths = true;
        } else if (!only_paths && td_cli_db_option(cli, argc, argv, &i)) {
            continue;
        } else if (!only_paths && (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) {
            ui.quiet = true;
        } else if (!only_paths && (strcmp(a, "--enqueue") == 0 || strcmp(a, "--no-queue") == 0)) {
            ui.queue = strcmp(a, "--enqueue") == 0 ? 1 : -1;
        } else if (!only_paths && strcmp(a, "--wait") == 0) {
            ui.wait = true;
        } else if (!only_paths && strcmp(a, "--stage-times") == 0) {
            ui.stage_times = true;
        } else if (!only_paths && strcmp(a, "--batch") == 0) {
            unsigned long long v;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v == 0 || v > 1000000) {
                td_cli_error("--batch must be between 1 and 1000000");
                free(paths);
                return TD_EXIT_USAGE;
            }
            o.batch_size = (uint32_t)v;
        } else if (!only_paths && strcmp(a, "--threads") == 0) {
            unsigned long long v;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v > 64) {
                td_cli_error("--threads must be between 0 (one per core) and 64");
                free(paths);
                return TD_EXIT_USAGE;
            }
            o.threads = (uint32_t)v;
        } else if (!only_paths && (strcmp(a, "--max-article-bytes") == 0 || strcmp(a, "--max-line-bytes") == 0)) {
            unsigned long long v = 1;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v == 0) {
                if (v == 0)
                    td_cli_error("%s must be at least 1", a);
                free(paths);
                return TD_EXIT_USAGE;
            }
            if (a[6] == 'a')
                o.max_article_bytes = v;
            else
                o.max_line_bytes = v;
        } else if (!only_paths && (strcmp(a, "--dedup-window") == 0 || strcmp(a, "--story-horizon") == 0 ||
                                   strcmp(a, "--dedup-max-entries") == 0)) {
            unsigned long long v = 0;
            unsigned long long max = a[2] == 'd' && a[8] == 'm' ? 100000000ULL : 36500;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v == 0 || v > max) {
                if (v == 0 || v > max)
                    td_cli_error("%s must be between 1 and %llu", a, max);
                free(paths);
                return TD_EXIT_USAGE;
            }
            if (a[2] == 's')
                o.story_horizon_days = (uint32_t)v;
            else if (a[8] == 'm')
                o.dedup_max_entries = (uint32_t)v;
            else
                o.dedup_window_days = (uint32_t)v;
        } else if (!only_paths && (strcmp(a, "--max-entities") == 0 || strcmp(a, "--max-events") == 0)) {
            unsigned long long v = 1;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v == 0 || v > 1000000) {
                if (v == 0 || v > 1000000)
                    td_cli_error("%s must be between 1 and 1000000", a);
                free(paths);
                return TD_EXIT_USAGE;
            }
            if (a[8] == 't')
                o.max_entities = (uint32_t)v;
            else
                o.max_events = (uint32_t)v;
        } else if (!only_paths && a[0] == '-' && a[1]) {
            td_cli_error("ingest: unknown option '%s' (see `tidings ingest --help`)", a);
            free(paths);
            return TD_EXIT_USAGE;
        } else {
            paths[n_paths++] = a;
        }
    }
    if (!n_paths) {
        td_cli_error("ingest: name at least one file, folder or - (see `tidings ingest --help`)");
        free(paths);
        return TD_EXIT_USAGE;
    }
    if ((ui.queue == 1 || ui.wait) && !td_db_is_url(cli->db)) {
        td_cli_error("ingest: --enqueue and --wait need a PostgreSQL database (--db postgresql://...)");
        free(paths);
        return TD_EXIT_USAGE;
    }
    if (td_db_is_url(cli->db) && ui.queue >= 0) {
        bool handled;
        int qcode = enqueue_paths(cli, &ui, paths, n_paths, &o, &handled);
        if (handled || qcode != TD_EXIT_OK) {
            free(paths);
            return qcode;
        }
    }
    o.db_path = cli->db;
    o.warn = on_warn;
    o.progress = on_progress;
    o.ud = &ui;
    td_engine *e = NULL;
    td_status st = td_engine_open(&o, &e);
    if (st != TD_OK) {
        td_cli_error("%s", td_engine_errmsg(NULL));
        free(paths);
        return td_cli_exit_for(st);
    }
    td_ingest_stats s = { 0 };
    int code = TD_EXIT_OK;
    bool missing = false;
    for (int i = 0; i < n_paths; i++) {
        st = td_ingest_path(e, paths[i], &s);
        if (st == TD_ENOTFOUND || st == TD_EIO) {
            missing = true; /* reported by on_warn; the run goes on */
            continue;
        }
        if (st != TD_OK)
            break;
    }
    if (st == TD_OK || st == TD_ENOTFOUND || st == TD_EIO) {
        st = td_ingest_finish(e, &s);
    }
    if (ui.progress_shown)
        fputs("\r\033[K", stderr);
    if (st != TD_OK && st != TD_ENOTFOUND && st != TD_EIO) {
        td_cli_error("ingest stopped: %s", td_engine_errmsg(e));
        td_cli_error("articles committed before this point are kept; run the same ingest again to complete it");
        code = td_cli_exit_for(st);
    } else if (s.skipped || missing) {
        code = TD_EXIT_SKIPPED;
    }
    if (!ui.quiet) {
        double rate = s.seconds > 0 ? (double)s.seen / s.seconds : 0;
        fprintf(stderr,
                "ingested %llu articles from %llu file%s into %s: %llu new or changed, %llu unchanged, "
                "%llu skipped; %.2f s, %.0f articles/s, %.1f MB/s%s\n",
                (unsigned long long)s.seen, (unsigned long long)s.files, s.files == 1 ? "" : "s", cli->db,
                (unsigned long long)s.stored, (unsigned long long)s.unchanged, (unsigned long long)s.skipped,
                s.seconds, rate, s.seconds > 0 ? (double)s.bytes / 1e6 / s.seconds : 0.0,
                s.bad_utf8 ? " (invalid UTF-8 replaced)" : "");
    }
    if (ui.stage_times) {
        double total = 0;
        for (uint32_t k = 0; k < s.n_stage; k++)
            total += s.stage[k].seconds;
        fprintf(stderr, "%-24s %10s %6s %14s\n", "stage", "seconds", "share", "articles/s");
        for (uint32_t k = 0; k < s.n_stage; k++) {
            if (!s.stage[k].name)
                continue;
            double sec = s.stage[k].seconds;
            fprintf(stderr, "%-24s %10.3f %5.1f%% %14.0f\n", s.stage[k].name, sec,
                    total > 0 ? 100 * sec / total : 0, sec > 0 ? (double)s.seen / sec : 0);
        }
        fprintf(stderr, "(per-article stages summed over threads; wall %.2f s)\n", s.seconds);
    }
    td_engine_close(e);
    free(paths);
    return code;
}

const td_command td_cmd_ingest = {
    "ingest",
    "read articles from files, folders or - (stdin) into the database",
    run,
    "usage: tidings ingest [--db FILE] [--quiet] [--batch N] [--threads N] [--max-article-bytes N]\n"
    "                      [--max-line-bytes N] [--max-entities N] [--max-events N]\n"
    "                      [--dedup-window DAYS] [--dedup-max-entries N] [--story-horizon DAYS]\n"
    "                      [--stage-times] [--enqueue | --no-queue] [--wait] PATH...\n"
    "\n"
    "Reads every PATH: a file, a folder (recursively, hidden entries skipped) or -\n"
    "for standard input. The format is found from the content:\n"
    "  JSON lines   one article per line: {\"id\", \"url\", \"text\"} and optional\n"
    "               \"published\", \"outlet\", \"title\" (only \"text\" is required)\n"
    "  plain text   a scraped page, one article per file; its id is the file name\n"
    "               without extension\n"
    "Articles are cleaned (boilerplate, title, outlet, dateline, date) and stored;\n"
    "an article already stored with the same id and text is left as it is, so a\n"
    "run that was interrupted can simply be repeated.\n"
    "\n"
    "  --db FILE               database (default $TIDINGS_DB or ./tidings.db)\n"
    "  -q, --quiet             no progress and no summary\n"
    "  --batch N               articles per transaction (default 512)\n"
    "  --threads N             worker threads for cleaning and extraction (default:\n"
    "                          one per core; 1 = none); the result is the same\n"
    "  --max-article-bytes N   skip larger articles (default 16 MiB)\n"
    "  --max-line-bytes N      skip longer JSON lines, never holding more than N\n"
    "                          bytes of one (default 2 x max-article-bytes + 4 KiB)\n"
    "  --max-entities N        keep the first N entities of an article (default 1000)\n"
    "  --max-events N          keep the first N event mentions of an article\n"
    "                          (default 500); both are reported when they cut\n"
    "  --dedup-window DAYS     copies are looked for among articles dated within DAYS\n"
    "                          of the newest (default 30); bounds the copy index\n"
    "  --dedup-max-entries N   at most N articles in the copy index (default 4000000)\n"
    "  --story-horizon DAYS    stories idle longer take no new articles (default 120)\n"
    "  --stage-times           print the time spent in each stage at the end\n"
    "\n"
    "PostgreSQL (--db postgresql://...): while `tidings worker` processes run on the\n"
    "database, the articles only go to its queue (one transaction) and the workers\n"
    "process them; without workers they are ingested here (docs/postgres.md).\n"
    "  --enqueue               queue even when no worker runs yet\n"
    "  --no-queue              ingest here even when workers run\n"
    "  --wait                  after queueing, wait until the workers are done\n"
    "\n"
    "Exit: 0 all read, 1 some inputs skipped (each named on stderr), 2 usage,\n"
    "4 database error (earlier batches stay committed).\n",
};
