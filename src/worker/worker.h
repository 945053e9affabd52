/*
 * worker.h - `tidings worker`: takes batches from the article queue of a
 * PostgreSQL database and runs the pipeline on them, in input order, with
 * other workers on this or other machines (queue.h, docs/postgres.md).
 */
#ifndef TD_WORKER_H
#define TD_WORKER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "base/buf.h"

typedef struct td_worker_opts {
    const char *db_url;      /* postgresql://... */
    const char *name;        /* NULL: host:pid */
    uint32_t batch;          /* articles per claim; 0 = 256 */
    uint32_t threads;        /* pipeline threads; 0 = one per core */
    uint32_t lease_s;        /* lease of a claimed batch; 0 = 120 */
    uint32_t poll_ms;        /* wait between looks at an idle queue; 0 = 200 */
    bool once;               /* exit when the queue is drained and finished */
    bool quiet;
    volatile sig_atomic_t *stop; /* set by a signal: end after the current batch */
    td_warn_fn warn;
    void *ud;
} td_worker_opts;

typedef struct td_worker_stats {
    int64_t batches, articles, finishes, reopens;
    int64_t prepared_used, prepared_rerun; /* articles whose early work was used / redone */
    int64_t waits_ms;        /* time spent waiting for the turn */
    double seconds;
} td_worker_stats;

/* Runs until the queue is drained (once) or *stop is set. TD_OK, or the
 * failure with its message in err. */
td_status td_worker_run(const td_worker_opts *o, td_worker_stats *st, td_buf *err);

#endif
