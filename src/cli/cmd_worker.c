/*
 * cmd_worker.c - `tidings worker --db postgresql://...`: one of any number of
 * processes that take batches from the article queue and run the pipeline
 * on them (src/worker, docs/postgres.md); and `tidings queue`: the queue's
 * state, for operators and scripts.
 */
#include "cli/cli.h"
#include "worker/queue.h"
#include "worker/worker.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void on_warn(void *ud, const char *where, const char *msg)
{
    (void)ud;
    fprintf(stderr, "tidings: %s: %s\n", where, msg);
}

static int run_worker(td_cli *cli, int argc, char **argv)
{
    td_worker_opts o = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        if (td_cli_db_option(cli, argc, argv, &i)) {
            continue;
        } else if (strcmp(a, "--once") == 0) {
            o.once = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else if (strcmp(a, "--name") == 0) {
            if (i + 1 >= argc) {
                td_cli_error("--name needs a value");
                return TD_EXIT_USAGE;
            }
            o.name = argv[++i];
        } else if (strcmp(a, "--batch") == 0 || strcmp(a, "--threads") == 0 || strcmp(a, "--lease") == 0 ||
                   strcmp(a, "--poll-ms") == 0) {
            unsigned long long max = strcmp(a, "--threads") == 0 ? 64 : 1000000;
            if (!td_cli_parse_uint(a, i + 1 < argc ? argv[++i] : NULL, &v) || v > max ||
                (v == 0 && strcmp(a, "--threads") != 0)) {
                td_cli_error("%s must be between %d and %llu", a, strcmp(a, "--threads") == 0 ? 0 : 1, max);
                return TD_EXIT_USAGE;
            }
            if (strcmp(a, "--batch") == 0)
                o.batch = (uint32_t)v;
            else if (strcmp(a, "--threads") == 0)
                o.threads = (uint32_t)v;
            else if (strcmp(a, "--lease") == 0)
                o.lease_s = (uint32_t)v;
            else
                o.poll_ms = (uint32_t)v;
        } else {
            td_cli_error("worker: unknown argument '%s' (see `tidings worker --help`)", a);
            return TD_EXIT_USAGE;
        }
    }
    o.db_url = cli->db;
    o.stop = &stop_flag;
    o.warn = on_warn;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    td_worker_stats st;
    td_buf err = TD_BUF_INIT;
    td_status s = td_worker_run(&o, &st, &err);
    if (s != TD_OK)
        td_cli_error("%s", err.p ? err.p : td_status_str(s));
    uint64_t trips = td_db_pg_round_trips();
    if (!o.quiet && (s == TD_OK || st.batches))
        fprintf(stderr,
                "worker: %lld batches, %lld articles, %lld corpus finishes, %lld refreshes,"
                " %lld prepared ahead (%lld redone), %.1f s waiting for turns, %.2f s in all,"
                " %llu PostgreSQL round trips (%.1f per article)\n",
                (long long)st.batches, (long long)st.articles, (long long)st.finishes, (long long)st.reopens,
                (long long)st.prepared_used, (long long)st.prepared_rerun,
                (double)st.waits_ms / 1000.0, st.seconds, (unsigned long long)trips,
                st.articles ? (double)trips / (double)st.articles : 0.0);
    td_buf_free(&err);
    return s == TD_OK ? TD_EXIT_OK : s == TD_EINVAL ? TD_EXIT_USAGE : td_cli_exit_for(s);
}

const td_command td_cmd_worker = {
    "worker",
    "process the article queue of a PostgreSQL database, alongside other workers",
    run_worker,
    "usage: tidings worker --db postgresql://... [--once] [--batch N] [--threads N]\n"
    "                      [--lease SECONDS] [--poll-ms MS] [--name NAME] [--quiet]\n"
    "\n"
    "Takes batches of articles that `tidings ingest --db postgresql://...` put in\n"
    "the database's queue and runs the pipeline on them. Any number of workers,\n"
    "on any machines, may share one database: batches are merged in the order\n"
    "the articles were queued, one at a time, so the result is the one a single\n"
    "`tidings ingest` gives. A worker that dies loses its batch back to the\n"
    "queue when the lease runs out. The worker that finds the queue drained runs\n"
    "the corpus stages (stories, events merged across sources, summaries).\n"
    "SIGINT or SIGTERM: the worker ends after its current batch.\n"
    "\n"
    "  --once            exit when the queue is drained and its corpus stages ran\n"
    "  --batch N         articles per claim and per transaction (default 256)\n"
    "  --threads N       pipeline threads (default one per core)\n"
    "  --lease SECONDS   a claimed batch goes back to the queue when its worker\n"
    "                    has not renewed it for this long (default 120)\n"
    "  --poll-ms MS      wait between looks at an idle queue (default 200)\n"
    "  --name NAME       the worker's name in `tidings queue` (default host:pid)\n"
    "\n"
    "Exit: 0 stopped cleanly, 2 usage (or not a PostgreSQL URL), 4 database error.\n",
};

static int run_queue(td_cli *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        td_cli_error("queue: unknown argument '%s' (see `tidings queue --help`)", argv[i]);
        return TD_EXIT_USAGE;
    }
    if (!td_db_is_url(cli->db)) {
        td_cli_error("queue: %s is a SQLite file; the queue is kept in a PostgreSQL database (--db postgresql://...)",
                     cli->db);
        return TD_EXIT_USAGE;
    }
    td_db *db = NULL;
    td_buf err = TD_BUF_INIT;
    td_queue_counts c;
    td_status s = td_db_open(cli->db, TD_DB_READONLY, &db, &err);
    if (s == TD_OK)
        s = td_queue_counts_get(db, &c, &err);
    td_db_close(db);
    if (s != TD_OK) {
        td_cli_error("%s", err.p ? err.p : td_status_str(s));
        td_buf_free(&err);
        return td_cli_exit_for(s);
    }
    td_buf_free(&err);
    printf("new %lld\nclaimed %lld\ndone %lld\nworkers %lld\nfinish_pending %d\n", (long long)c.fresh,
           (long long)c.claimed, (long long)c.done, (long long)c.workers_alive, c.finish_pending ? 1 : 0);
    return TD_EXIT_OK;
}

const td_command td_cmd_queue = {
    "queue",
    "the state of a PostgreSQL database's article queue and its workers",
    run_queue,
    "usage: tidings queue --db postgresql://...\n"
    "\n"
    "Prints one 'name value' line each: articles new (waiting), claimed (in a\n"
    "worker's batch), done; workers seen in the last 30 seconds; and\n"
    "finish_pending 1 while the corpus stages have not run over the latest\n"
    "articles. The queue is drained when new and claimed are 0 and\n"
    "finish_pending is 0.\n"
    "\n"
    "Exit: 0, 2 usage (not a PostgreSQL URL), 4 database error.\n",
};
