/*
 * queue.c - the article queue on PostgreSQL (queue.h says the tables and the
 * invariants; docs/postgres.md why the design is a queue in input order with
 * one merger at a time).
 *
 * Every function takes the connection it runs on: the worker's own for
 * claims, turns and heartbeats, the store's for td_queue_done, so marking a
 * batch done commits or rolls back together with its articles.
 */
#include "worker/queue.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char TD_QUEUE_SCHEMA_PG[] =
    "CREATE TABLE IF NOT EXISTS article_queue ("
    "  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  id TEXT, url TEXT, text BYTEA NOT NULL, published TEXT, outlet TEXT, title TEXT,"
    "  source TEXT, source_line BIGINT NOT NULL DEFAULT 0, html BIGINT NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'claimed', 'done')),"
    "  batch BIGINT, worker TEXT,"
    "  enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now());"
    "CREATE INDEX IF NOT EXISTS article_queue_open ON article_queue(seq) WHERE state <> 'done';"
    "CREATE INDEX IF NOT EXISTS article_queue_batch ON article_queue(batch);"
    "CREATE TABLE IF NOT EXISTS queue_batch ("
    "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  worker TEXT NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, n BIGINT NOT NULL,"
    "  lease_until TIMESTAMPTZ NOT NULL, claims BIGINT NOT NULL DEFAULT 1,"
    "  done BOOLEAN NOT NULL DEFAULT false);"
    "CREATE INDEX IF NOT EXISTS queue_batch_open ON queue_batch(first_seq) WHERE NOT done;"
    "CREATE TABLE IF NOT EXISTS queue_worker ("
    "  name TEXT PRIMARY KEY, host TEXT, pid BIGINT,"
    "  started_at TIMESTAMPTZ NOT NULL DEFAULT now(), seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    "  batches BIGINT NOT NULL DEFAULT 0, articles BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS queue_state (key TEXT PRIMARY KEY, value BIGINT NOT NULL);"
    "INSERT INTO queue_state (key, value) VALUES ('generation', 0) ON CONFLICT (key) DO NOTHING;"
    /* made on the fly by the pipeline on SQLite; here so the queue's status
     * can read it before any run */
    "CREATE TABLE IF NOT EXISTS run_state (key TEXT PRIMARY KEY, value BIGINT NOT NULL);";

/* Key of the transaction advisory lock that serialises claims. */
#define CLAIM_LOCK "7171003"

static td_status failed(td_db *db, td_buf *err, const char *what)
{
    if (err)
        td_buf_printf(err, "queue: %s: %s", what, td_db_errmsg(db));
    int st = td_db_status(db);
    return st == TD_OK ? TD_EDB : (td_status)st;
}

/* Binds a C string, or NULL. */
static void bind_opt(td_stmt *st, int i, const char *s)
{
    if (s)
        td_stmt_bind_text(st, i, s, -1);
    else
        td_stmt_bind_null(st, i);
}

/* Prepares, binds nothing, steps once: for statements without parameters. */
static td_status run_sql(td_db *db, const char *sql, td_buf *err, const char *what)
{
    return td_db_exec(db, sql, NULL) == TD_OK ? TD_OK : failed(db, err, what);
}

td_status td_queue_put(td_db *db, td_stmt **stp, const td_input *in, td_buf *err)
{
    if (!*stp && td_db_prepare(db,
                               "INSERT INTO article_queue (id, url, text, published, outlet, title, source,"
                               " source_line, html) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               stp, NULL) != TD_OK)
        return failed(db, err, "preparing the enqueue");
    td_stmt *st = *stp;
    bind_opt(st, 1, in->id);
    bind_opt(st, 2, in->url);
    td_stmt_bind_blob(st, 3, in->text ? in->text : "", (int)in->text_len);
    bind_opt(st, 4, in->published);
    bind_opt(st, 5, in->outlet);
    bind_opt(st, 6, in->title);
    bind_opt(st, 7, in->source);
    td_stmt_bind_i64(st, 8, (int64_t)in->source_line);
    td_stmt_bind_i64(st, 9, in->html ? 1 : 0);
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    return rc == TD_DB_DONE ? TD_OK : failed(db, err, "enqueueing an article");
}

void td_queue_batch_free(td_queue_batch *b)
{
    td_free(b->items);
    td_free(b->strings);
    memset(b, 0, sizeof *b);
}

/* Column col as a NUL-terminated copy at *at (advanced), or NULL. */
static const char *take(td_stmt *st, int col, char **at)
{
    const char *s = td_stmt_text(st, col);
    if (!s)
        return NULL;
    size_t n = (size_t)td_stmt_bytes(st, col);
    char *p = *at;
    memcpy(p, s, n);
    p[n] = 0;
    *at = p + n + 1;
    return p;
}

/* Reads the rows of batch b->id, in seq order, into b. */
static td_status load_items(td_db *db, td_queue_batch *b, td_buf *err)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                      "SELECT seq, id, url, text, published, outlet, title, source, source_line, html"
                      " FROM article_queue WHERE batch = ?1 ORDER BY seq",
                      &st, NULL) != TD_OK)
        return failed(db, err, "preparing the batch read");
    td_stmt_bind_i64(st, 1, b->id);
    /* first pass: sizes (the driver holds the whole result) */
    size_t bytes = 0, n = 0;
    int rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        n++;
        for (int c = 1; c <= 7; c++)
            bytes += (size_t)td_stmt_bytes(st, c) + 1;
    }
    if (rc != TD_DB_DONE) {
        td_stmt_finalize(st);
        return failed(db, err, "reading a batch");
    }
    b->items = td_calloc(n ? n : 1, sizeof *b->items);
    b->strings = td_malloc(bytes ? bytes : 1);
    if (!b->items || !b->strings) {
        td_stmt_finalize(st);
        return TD_ENOMEM;
    }
    td_stmt_reset(st);
    char *at = b->strings;
    b->n = 0;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW && b->n < n) {
        td_queue_item *it = &b->items[b->n++];
        it->seq = td_stmt_i64(st, 0);
        it->in.id = take(st, 1, &at);
        it->in.url = take(st, 2, &at);
        size_t tl = (size_t)td_stmt_bytes(st, 3);
        const void *tp = td_stmt_blob(st, 3);
        memcpy(at, tp ? tp : "", tl);
        at[tl] = 0;
        it->in.text = at;
        it->in.text_len = tl;
        at += tl + 1;
        it->in.published = take(st, 4, &at);
        it->in.outlet = take(st, 5, &at);
        it->in.title = take(st, 6, &at);
        it->in.source = take(st, 7, &at);
        it->in.source_line = (uint64_t)td_stmt_i64(st, 8);
        it->in.html = (int)td_stmt_i64(st, 9);
    }
    td_stmt_finalize(st);
    return TD_OK;
}

td_status td_queue_claim(td_db *db, const char *worker, uint32_t max, uint32_t lease_s, td_queue_batch *b,
                         bool *got, td_buf *err)
{
    memset(b, 0, sizeof *b);
    *got = false;
    if (td_db_begin(db, true, NULL) != TD_OK)
        return failed(db, err, "starting a claim");
    td_status out = run_sql(db, "SELECT pg_advisory_xact_lock(" CLAIM_LOCK ")", err, "locking the queue");
    td_stmt *st = NULL;
    /* a batch whose worker stopped renewing its lease, whole and first */
    if (out == TD_OK &&
        td_db_prepare(db,
                      "UPDATE queue_batch SET worker = ?1, claims = claims + 1,"
                      " lease_until = now() + make_interval(secs => ?2)"
                      " WHERE id = (SELECT id FROM queue_batch WHERE NOT done AND lease_until < now()"
                      " ORDER BY first_seq LIMIT 1 FOR UPDATE SKIP LOCKED)"
                      " RETURNING id, first_seq, last_seq",
                      &st, NULL) != TD_OK)
        out = failed(db, err, "preparing a reclaim");
    if (out == TD_OK) {
        td_stmt_bind_text(st, 1, worker, -1);
        td_stmt_bind_double(st, 2, lease_s);
        int rc = td_stmt_step(st);
        if (rc == TD_DB_ROW) {
            b->id = td_stmt_i64(st, 0);
            b->first_seq = td_stmt_i64(st, 1);
            b->last_seq = td_stmt_i64(st, 2);
            *got = true;
        } else if (rc != TD_DB_DONE) {
            out = failed(db, err, "reclaiming a batch");
        }
    }
    td_stmt_finalize(st);
    st = NULL;
    if (out == TD_OK && *got) {
        if (td_db_prepare(db, "UPDATE article_queue SET worker = ?1 WHERE batch = ?2", &st, NULL) != TD_OK)
            out = failed(db, err, "preparing a reclaim");
        else {
            td_stmt_bind_text(st, 1, worker, -1);
            td_stmt_bind_i64(st, 2, b->id);
            if (td_stmt_step(st) != TD_DB_DONE)
                out = failed(db, err, "reclaiming a batch");
        }
        td_stmt_finalize(st);
        st = NULL;
    }
    /* else the oldest new rows: contiguous, since claims are serialised */
    if (out == TD_OK && !*got) {
        if (td_db_prepare(db,
                          "WITH take AS (SELECT seq FROM article_queue WHERE state = 'new'"
                          "  ORDER BY seq LIMIT ?3 FOR UPDATE SKIP LOCKED),"
                          " b AS (INSERT INTO queue_batch (worker, first_seq, last_seq, n, lease_until)"
                          "  SELECT ?1, min(seq), max(seq), count(*), now() + make_interval(secs => ?2) FROM take"
                          "  HAVING count(*) > 0 RETURNING id, first_seq, last_seq)"
                          " UPDATE article_queue SET state = 'claimed', batch = b.id, worker = ?1"
                          " FROM b WHERE article_queue.seq IN (SELECT seq FROM take)"
                          " RETURNING b.id, b.first_seq, b.last_seq",
                          &st, NULL) != TD_OK)
            out = failed(db, err, "preparing a claim");
        else {
            td_stmt_bind_text(st, 1, worker, -1);
            td_stmt_bind_double(st, 2, lease_s);
            td_stmt_bind_i64(st, 3, max);
            int rc = td_stmt_step(st);
            if (rc == TD_DB_ROW) {
                b->id = td_stmt_i64(st, 0);
                b->first_seq = td_stmt_i64(st, 1);
                b->last_seq = td_stmt_i64(st, 2);
                *got = true;
                while ((rc = td_stmt_step(st)) == TD_DB_ROW)
                    ;
            }
            if (rc != TD_DB_DONE)
                out = failed(db, err, "claiming a batch");
        }
        td_stmt_finalize(st);
    }
    if (out == TD_OK && *got)
        out = load_items(db, b, err);
    if (out == TD_OK && td_db_commit(db, NULL) != TD_OK)
        out = failed(db, err, "committing a claim");
    if (out != TD_OK) {
        td_db_rollback(db);
        td_queue_batch_free(b);
        *got = false;
    }
    return out;
}

td_status td_queue_turn(td_db *db, const td_queue_batch *b, bool *mine, td_buf *err)
{
    td_stmt *st = NULL;
    *mine = false;
    if (td_db_prepare(db, "SELECT count(*) FROM article_queue WHERE seq < ?1 AND state <> 'done'", &st, NULL) !=
        TD_OK)
        return failed(db, err, "preparing the turn check");
    td_stmt_bind_i64(st, 1, b->first_seq);
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW)
        *mine = td_stmt_i64(st, 0) == 0;
    td_stmt_finalize(st);
    return rc == TD_DB_ROW ? TD_OK : failed(db, err, "checking the turn");
}

td_status td_queue_stale_before(td_db *db, const td_queue_batch *b, bool *stale, td_buf *err)
{
    td_stmt *st = NULL;
    *stale = false;
    if (td_db_prepare(db,
                      "SELECT count(*) FROM queue_batch WHERE NOT done AND lease_until < now() AND first_seq < ?1",
                      &st, NULL) != TD_OK)
        return failed(db, err, "preparing the lease check");
    td_stmt_bind_i64(st, 1, b->first_seq);
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW)
        *stale = td_stmt_i64(st, 0) > 0;
    td_stmt_finalize(st);
    return rc == TD_DB_ROW ? TD_OK : failed(db, err, "checking leases");
}

td_status td_queue_renew(td_db *db, const td_queue_batch *b, uint32_t lease_s, td_buf *err)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, "UPDATE queue_batch SET lease_until = now() + make_interval(secs => ?2) WHERE id = ?1",
                      &st, NULL) != TD_OK)
        return failed(db, err, "preparing a lease renewal");
    td_stmt_bind_i64(st, 1, b->id);
    td_stmt_bind_double(st, 2, lease_s);
    int rc = td_stmt_step(st);
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : failed(db, err, "renewing a lease");
}

td_status td_queue_release(td_db *db, const td_queue_batch *b, td_buf *err)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, "UPDATE queue_batch SET lease_until = now() - interval '1 second' WHERE id = ?1", &st,
                      NULL) != TD_OK)
        return failed(db, err, "preparing a release");
    td_stmt_bind_i64(st, 1, b->id);
    int rc = td_stmt_step(st);
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : failed(db, err, "releasing a batch");
}

td_status td_queue_done(td_db *db, const td_queue_batch *b, td_buf *err)
{
    td_stmt *st = NULL;
    /* the batch is still ours: a worker whose lease ran out while it worked
     * finds it reclaimed and must not mark it (the caller rolls back) */
    if (td_db_prepare(db, "UPDATE queue_batch SET done = true WHERE id = ?1 AND NOT done", &st, NULL) != TD_OK)
        return failed(db, err, "preparing the batch end");
    td_stmt_bind_i64(st, 1, b->id);
    int rc = td_stmt_step(st);
    td_stmt_finalize(st);
    if (rc != TD_DB_DONE)
        return failed(db, err, "ending a batch");
    if (td_db_changes(db) != 1) {
        if (err)
            td_buf_printf(err, "queue: batch %lld was already merged by another worker", (long long)b->id);
        return TD_EBUSY;
    }
    if (td_db_prepare(db, "UPDATE article_queue SET state = 'done' WHERE batch = ?1", &st, NULL) != TD_OK)
        return failed(db, err, "preparing the batch end");
    td_stmt_bind_i64(st, 1, b->id);
    rc = td_stmt_step(st);
    td_stmt_finalize(st);
    if (rc != TD_DB_DONE)
        return failed(db, err, "ending a batch");
    return td_queue_bump(db, err);
}

td_status td_queue_bump(td_db *db, td_buf *err)
{
    return run_sql(db, "UPDATE queue_state SET value = value + 1 WHERE key = 'generation'", err,
                   "bumping the generation");
}

td_status td_queue_generation(td_db *db, int64_t *gen, td_buf *err)
{
    td_stmt *st = NULL;
    *gen = -1;
    if (td_db_prepare(db, "SELECT value FROM queue_state WHERE key = 'generation'", &st, NULL) != TD_OK)
        return failed(db, err, "preparing the generation read");
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW)
        *gen = td_stmt_i64(st, 0);
    td_stmt_finalize(st);
    return rc == TD_DB_ROW || rc == TD_DB_DONE ? TD_OK : failed(db, err, "reading the generation");
}

td_status td_queue_heartbeat(td_db *db, const char *worker, int64_t batches, int64_t articles, td_buf *err)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                      "INSERT INTO queue_worker (name, host, pid, batches, articles) VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (name) DO UPDATE SET seen_at = now(), batches = excluded.batches,"
                      " articles = excluded.articles",
                      &st, NULL) != TD_OK)
        return failed(db, err, "preparing the heartbeat");
    td_stmt_bind_text(st, 1, worker, -1);
    td_stmt_bind_text(st, 2, host, -1);
    td_stmt_bind_i64(st, 3, (int64_t)getpid());
    td_stmt_bind_i64(st, 4, batches);
    td_stmt_bind_i64(st, 5, articles);
    int rc = td_stmt_step(st);
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : failed(db, err, "recording the worker");
}

void td_queue_leave(td_db *db, const char *worker)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, "DELETE FROM queue_worker WHERE name = ?1", &st, NULL) == TD_OK) {
        td_stmt_bind_text(st, 1, worker, -1);
        td_stmt_step(st);
    }
    td_stmt_finalize(st);
}

td_status td_queue_counts_get(td_db *db, td_queue_counts *c, td_buf *err)
{
    memset(c, 0, sizeof *c);
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                      "SELECT (SELECT count(*) FROM article_queue WHERE state = 'new'),"
                      " (SELECT count(*) FROM article_queue WHERE state = 'claimed'),"
                      " (SELECT count(*) FROM article_queue WHERE state = 'done'),"
                      " (SELECT count(*) FROM queue_worker WHERE seen_at > now() - interval '30 seconds'),"
                      " (SELECT count(*) FROM run_state WHERE key = 'finish_pending' AND value <> 0)",
                      &st, NULL) != TD_OK)
        return failed(db, err, "preparing the queue counts");
    int rc = td_stmt_step(st);
    if (rc == TD_DB_ROW) {
        c->fresh = td_stmt_i64(st, 0);
        c->claimed = td_stmt_i64(st, 1);
        c->done = td_stmt_i64(st, 2);
        c->workers_alive = td_stmt_i64(st, 3);
        c->finish_pending = td_stmt_i64(st, 4) > 0;
    }
    td_stmt_finalize(st);
    return rc == TD_DB_ROW ? TD_OK : failed(db, err, "counting the queue");
}
