/*
 * queue.h - the article queue of a PostgreSQL database, shared by any number
 * of `tidings worker` processes on any number of machines (docs/postgres.md,
 * "Many workers").
 *
 * Tables (migration 13, PostgreSQL only):
 *   article_queue(seq, input fields..., state, batch, worker, lease_until)
 *       one row per article handed to `tidings ingest`; seq is the input
 *       order, which every merge follows; state new -> claimed -> done
 *   queue_batch(id, worker, first_seq, last_seq, lease_until)
 *       one row per claimed batch: a contiguous run of seq
 *   queue_worker(name, host, pid, started_at, seen_at, batches, articles)
 *       the workers alive (seen_at renewed while they run)
 *   queue_state(key, value)
 *       'generation': bumped by every batch merge and every finish, so a
 *       worker knows whether the store changed since its own last merge
 *
 * Invariants:
 * - A batch is a contiguous range of seq, claimed under a transaction-level
 *   advisory lock, so claims never interleave and batches partition the queue
 *   in input order.
 * - A batch is merged (its articles' writer stages, then its rows marked
 *   done, in one transaction on the store's connection) only when every row
 *   before its first seq is done: the store sees articles in input order,
 *   exactly as a single `tidings ingest` would.
 * - A batch whose lease ran out (its worker died or hung) is claimed again
 *   whole, before any new row.
 */
#ifndef TD_WORKER_QUEUE_H
#define TD_WORKER_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "tidings.h"

extern const char TD_QUEUE_SCHEMA_PG[];

/* Key of the session advisory lock held while merging or finishing. */
#define TD_QUEUE_MERGE_LOCK 7171002LL

/* One claimed article: the td_input fields, owned by the batch. */
typedef struct td_queue_item {
    int64_t seq;
    td_input in;
} td_queue_item;

typedef struct td_queue_batch {
    int64_t id;
    int64_t first_seq, last_seq;
    td_queue_item *items;
    uint32_t n;
    char *strings;      /* every string of the items, one allocation */
} td_queue_batch;

typedef struct td_queue_counts {
    int64_t fresh, claimed, done;   /* rows by state */
    int64_t workers_alive;          /* seen in the last 30 s */
    bool finish_pending;            /* articles merged since the last finish */
} td_queue_counts;

/* Appends one article to the queue (inside the caller's transaction). *st
 * holds the prepared statement between calls (NULL at first; the caller
 * finalizes it). */
td_status td_queue_put(td_db *db, td_stmt **st, const td_input *in, td_buf *err);

/* Claims the next batch of at most max rows for worker, leased for
 * lease_s seconds: an expired batch first, else the oldest new rows. *got
 * is false when there is nothing to claim. */
td_status td_queue_claim(td_db *db, const char *worker, uint32_t max, uint32_t lease_s, td_queue_batch *b,
                         bool *got, td_buf *err);
void td_queue_batch_free(td_queue_batch *b);

/* True when every row before the batch's first seq is done. */
td_status td_queue_turn(td_db *db, const td_queue_batch *b, bool *mine, td_buf *err);
/* Extends the batch's lease by lease_s seconds from now. */
td_status td_queue_renew(td_db *db, const td_queue_batch *b, uint32_t lease_s, td_buf *err);
/* *stale: a batch before b has an expired lease (its worker died), so b's
 * turn cannot come until someone takes that one over. */
td_status td_queue_stale_before(td_db *db, const td_queue_batch *b, bool *stale, td_buf *err);
/* Gives the batch back at once (a worker told to stop before its turn). */
td_status td_queue_release(td_db *db, const td_queue_batch *b, td_buf *err);
/* Marks the batch done and bumps the generation; run on the store's
 * connection inside the transaction that writes the batch. */
td_status td_queue_done(td_db *db, const td_queue_batch *b, td_buf *err);
/* The generation counter (see the header comment). */
td_status td_queue_generation(td_db *db, int64_t *gen, td_buf *err);
td_status td_queue_bump(td_db *db, td_buf *err);

/* Registers or renews worker in queue_worker; td_queue_leave removes it. */
td_status td_queue_heartbeat(td_db *db, const char *worker, int64_t batches, int64_t articles, td_buf *err);
void td_queue_leave(td_db *db, const char *worker);

td_status td_queue_counts_get(td_db *db, td_queue_counts *c, td_buf *err);

#endif
