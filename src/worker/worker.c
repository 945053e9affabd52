/*
 * worker.c - one `tidings worker` process (worker.h; the design and its
 * reasons are in docs/postgres.md, "Many workers").
 *
 * The loop: claim the next batch of the queue (queue.c), wait until every
 * article before it is merged (its turn), take the merge lock, run the
 * pipeline on the batch through the library's own entry points
 * (td_ingest_input, then td_ingest_commit), and mark the batch done in the
 * same transaction as its articles. When the queue is drained, the worker
 * that finds the corpus stages pending runs them (td_ingest_finish) under the
 * same lock.
 *
 * Why in input order, one merger at a time: dedup, stories and the outlet
 * templates are order-dependent by design (docs/dedup.md, docs/stories.md),
 * so merging in queue order is what makes N workers give exactly the result
 * of one `tidings ingest` (tests/e2e/workers.sh checks it).
 *
 * Before its turn, the worker runs its batch's worker stages (cleaning,
 * entities, events: most of the time) while others merge
 * (td_pipeline_prepare); at the turn each prepared article is used when
 * cleaning it now would give the same result, else run again, so the
 * result is the turn's (pipeline.c, "prepared batches").
 *
 * The engine (models, the copy index, story state) lives as long as the
 * worker. When another worker merged since this one's last batch (the
 * queue's generation counter moved), what it holds of the corpus is read
 * again from the store (td_pipeline_refresh), as a new ingest run would.
 *
 * Invariant: a batch's articles and its "done" mark commit together, on the
 * store's connection; a worker that dies loses its open transaction, and its
 * batch is claimed again when the lease runs out.
 */
#include "worker/worker.h"
#include "worker/queue.h"
#include "engine.h"
#include "pipeline.h"
#include "store/store.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct wctx {
    const td_worker_opts *o;
    td_worker_stats *st;
    td_buf *err;
    td_db *q;               /* the worker's own connection: claims, turns, locks */
    td_engine *e;           /* open while the store is as this worker left it */
    int64_t my_gen;         /* the generation after this worker's last merge */
    char name[300];
    double last_beat;
    td_ingest_stats ist;
} wctx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(uint32_t ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static bool stopping(const wctx *w) { return w->o->stop && *w->o->stop; }

static td_status beat(wctx *w, bool force)
{
    double t = now_s();
    if (!force && t - w->last_beat < 5.0)
        return TD_OK;
    w->last_beat = t;
    return td_queue_heartbeat(w->q, w->name, w->st->batches, w->st->articles, w->err);
}

static td_status lock_merge(wctx *w)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)", TD_QUEUE_MERGE_LOCK);
    if (td_db_exec(w->q, sql, NULL) != TD_OK) {
        td_buf_printf(w->err, "worker: taking the merge lock: %s", td_db_errmsg(w->q));
        return TD_EDB;
    }
    return TD_OK;
}

static void unlock_merge(wctx *w)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%lld)", TD_QUEUE_MERGE_LOCK);
    td_db_exec(w->q, sql, NULL);
}

/* Try-lock: *got false when another worker merges or finishes now. */
static td_status try_merge(wctx *w, bool *got)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%lld)", TD_QUEUE_MERGE_LOCK);
    td_stmt *st = NULL;
    *got = false;
    if (td_db_prepare(w->q, sql, &st, NULL) != TD_OK || td_stmt_step(st) != TD_DB_ROW) {
        td_stmt_finalize(st);
        td_buf_printf(w->err, "worker: trying the merge lock: %s", td_db_errmsg(w->q));
        return TD_EDB;
    }
    *got = td_stmt_i64(st, 0) != 0;
    td_stmt_finalize(st);
    return TD_OK;
}

/* Opens the worker's engine once; it lives as long as the worker. */
static td_status engine_open(wctx *w)
{
    if (w->e)
        return TD_OK;
    td_options eo = { 0 };
    eo.db_path = w->o->db_url;
    eo.threads = w->o->threads;
    eo.batch_size = (w->o->batch ? w->o->batch : 256) + 1; /* one transaction per batch, ended here */
    eo.warn = w->o->warn;
    eo.ud = w->o->ud;
    td_status s = td_engine_open(&eo, &w->e);
    if (s != TD_OK) {
        td_buf_printf(w->err, "worker: %s", td_engine_errmsg(NULL));
        w->e = NULL;
    } else {
        w->e->shared_run = true;
    }
    return s;
}

/* Makes w->e see the store as it is now (under the merge lock): when another
 * worker merged since this one's last batch, what the engine holds of the
 * corpus (template counts, copy index, stories) is read again. */
static td_status engine_current(wctx *w)
{
    int64_t gen;
    td_status s = td_queue_generation(w->q, &gen, w->err);
    if (s == TD_OK)
        s = engine_open(w);
    if (s != TD_OK || gen == w->my_gen)
        return s;
    if ((s = td_pipeline_refresh(w->e)) != TD_OK) {
        td_buf_printf(w->err, "worker: %s", td_engine_errmsg(w->e));
        return s;
    }
    w->st->reopens++;
    w->my_gen = gen;
    return TD_OK;
}

/* Runs the batch's worker stages ahead of its turn (td_pipeline_prepare),
 * while other workers merge. */
static td_status prepare_batch(wctx *w, const td_queue_batch *b)
{
    td_status s = engine_open(w);
    if (s != TD_OK)
        return s;
    td_input *in = td_calloc(b->n ? b->n : 1, sizeof *in);
    if (!in)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < b->n; i++)
        in[i] = b->items[i].in;
    s = td_pipeline_prepare(w->e, in, b->n);
    td_free(in);
    if (s != TD_OK)
        td_buf_printf(w->err, "worker: preparing a batch: %s", td_engine_errmsg(w->e));
    return s;
}

/* Runs the corpus stages once the queue is drained, if another worker is
 * not already at it. */
static td_status finish_if_pending(wctx *w)
{
    bool got;
    td_status s = try_merge(w, &got);
    if (s != TD_OK || !got)
        return s;
    td_queue_counts c;
    s = td_queue_counts_get(w->q, &c, w->err);
    if (s == TD_OK && c.finish_pending && c.fresh == 0 && c.claimed == 0) {
        if ((s = engine_current(w)) == TD_OK) {
            s = td_ingest_finish(w->e, &w->ist);
            if (s != TD_OK)
                td_buf_printf(w->err, "worker: the corpus stages: %s", td_engine_errmsg(w->e));
        }
        if (s == TD_OK && (s = td_queue_bump(w->q, w->err)) == TD_OK) {
            w->my_gen++;
            w->st->finishes++;
        }
    }
    unlock_merge(w);
    return s;
}

/* Waits for the batch's turn, renewing its lease; *given_back when the
 * batch was released to the others instead: the worker was told to stop,
 * or a batch before it lost its worker (expired lease), which every worker
 * waiting behind it would otherwise wait for forever: released, the dead
 * batch is the lowest claimable one and the next claim takes it. */
static td_status wait_turn(wctx *w, const td_queue_batch *b, uint32_t lease, bool *given_back)
{
    double t0 = now_s(), renewed = t0;
    *given_back = false;
    for (;;) {
        bool mine;
        td_status s = td_queue_turn(w->q, b, &mine, w->err);
        if (s != TD_OK || mine)
            break;
        bool stale = false;
        if ((s = td_queue_stale_before(w->q, b, &stale, w->err)) != TD_OK)
            return s;
        if (stopping(w) || stale) {
            *given_back = true;
            return td_queue_release(w->q, b, w->err);
        }
        if (now_s() - renewed > lease / 3.0) {
            if ((s = td_queue_renew(w->q, b, lease, w->err)) != TD_OK)
                return s;
            renewed = now_s();
        }
        if ((s = beat(w, false)) != TD_OK)
            return s;
        nap(w->o->poll_ms ? w->o->poll_ms : 200);
    }
    w->st->waits_ms += (int64_t)((now_s() - t0) * 1000);
    return TD_OK;
}

/* Runs the pipeline on a batch whose turn it is, under the merge lock. */
static td_status merge_batch(wctx *w, const td_queue_batch *b, uint32_t lease)
{
    td_status s = engine_current(w);
    if (s != TD_OK)
        return s;
    double renewed = now_s();
    for (uint32_t i = 0; i < b->n; i++) {
        s = td_ingest_input(w->e, &b->items[i].in, &w->ist);
        if (s != TD_OK && s != TD_EPARSE && s != TD_ELIMIT) { /* a bad article is skipped and counted */
            td_buf_printf(w->err, "worker: %s", td_engine_errmsg(w->e));
            break;
        }
        s = TD_OK;
        if (now_s() - renewed > lease / 3.0) { /* a long batch keeps its lease */
            if ((s = td_queue_renew(w->q, b, lease, w->err)) != TD_OK)
                break;
            renewed = now_s();
        }
    }
    td_store *store = td_engine_store(w->e);
    if (s == TD_OK && !td_store_in_tx(store) && (s = td_store_begin(store)) != TD_OK)
        td_buf_printf(w->err, "worker: %s", td_store_errmsg(store));
    if (s == TD_OK)
        s = td_queue_done(td_store_sql(store), b, w->err);
    if (s == TD_OK && (s = td_ingest_commit(w->e, &w->ist)) != TD_OK)
        td_buf_printf(w->err, "worker: %s", td_engine_errmsg(w->e));
    uint64_t reused, rechecked, rerun;
    td_pipeline_prepared_stats(w->e, &reused, &rechecked, &rerun);
    w->st->prepared_used += (int64_t)reused;
    w->st->prepared_rerun += (int64_t)rerun;
    td_pipeline_unprepare(w->e);
    if (s != TD_OK) { /* nothing of the batch stays: the engine's memory may hold it, so drop it */
        td_store_rollback(store);
        td_engine_close(w->e);
        w->e = NULL;
        w->my_gen = -1;
        return s;
    }
    w->my_gen++; /* td_queue_done bumped it with the batch */
    w->st->batches++;
    w->st->articles += b->n;
    return TD_OK;
}

td_status td_worker_run(const td_worker_opts *o, td_worker_stats *st, td_buf *err)
{
    wctx w = { 0 };
    w.o = o;
    w.st = st;
    w.err = err;
    w.my_gen = -1;
    memset(st, 0, sizeof *st);
    double t0 = now_s();
    if (!td_db_is_url(o->db_url)) {
        td_buf_printf(err, "worker: %s is not a PostgreSQL URL: workers share a PostgreSQL database"
                           " (--db postgresql://...); a SQLite file is ingested by `tidings ingest`",
                      o->db_url);
        return TD_EINVAL;
    }
    if (o->name && *o->name) {
        snprintf(w.name, sizeof w.name, "%s", o->name);
    } else {
        char host[256] = "";
        gethostname(host, sizeof host - 1);
        snprintf(w.name, sizeof w.name, "%s:%d", host, (int)getpid());
    }
    uint32_t batch = o->batch ? o->batch : 256, lease = o->lease_s ? o->lease_s : 120;
    /* the store first: it creates or migrates the schema, queue tables included */
    td_status s = TD_OK;
    {
        td_store *probe = NULL;
        if ((s = td_store_open(o->db_url, false, &probe, err)) != TD_OK)
            return s;
        td_store_close(probe);
    }
    if ((s = td_db_open(o->db_url, 0, &w.q, err)) != TD_OK)
        return s;
    s = beat(&w, true);
    while (s == TD_OK && !stopping(&w)) {
        td_queue_batch b;
        bool got;
        if ((s = beat(&w, false)) != TD_OK || (s = td_queue_claim(w.q, w.name, batch, lease, &b, &got, err)) != TD_OK)
            break;
        if (!got) {
            td_queue_counts c;
            if ((s = td_queue_counts_get(w.q, &c, err)) != TD_OK)
                break;
            if (c.fresh == 0 && c.claimed == 0 && c.finish_pending) {
                if ((s = finish_if_pending(&w)) != TD_OK)
                    break;
                continue;
            }
            if (o->once && c.fresh == 0 && c.claimed == 0)
                break;
            nap(o->poll_ms ? o->poll_ms : 200);
            continue;
        }
        bool given_back = false;
        s = prepare_batch(&w, &b);
        if (s == TD_OK)
            s = wait_turn(&w, &b, lease, &given_back);
        if (s == TD_OK && !given_back && (s = lock_merge(&w)) == TD_OK) {
            s = merge_batch(&w, &b, lease);
            unlock_merge(&w);
        }
        if (s == TD_EBUSY) { /* the lease ran out and another worker has the batch: go on */
            td_buf_clear(err);
            s = TD_OK;
        }
        if (!o->quiet && s == TD_OK && !given_back)
            fprintf(stderr, "worker %s: batch %lld (%u articles, seq %lld-%lld) merged\n", w.name,
                    (long long)b.id, b.n, (long long)b.first_seq, (long long)b.last_seq);
        td_queue_batch_free(&b);
    }
    td_engine_close(w.e);
    td_queue_leave(w.q, w.name);
    td_db_close(w.q);
    st->seconds = now_s() - t0;
    return s;
}
