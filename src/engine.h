/*
 * engine.h - the engine's private state, shared by engine.c (the public API)
 * and pipeline.c (the stages). Not part of the public API.
 */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include "tidings.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "store/store.h"
#include "types.h"

/*
 * What the per-outlet template learning remembers between articles.
 *
 * `counts` maps key(outlet, line) to the number of articles of the outlet
 * holding the line. It is a snapshot: it changes only at batch boundaries,
 * when no worker is cleaning, so cleaning may read it from any thread and the
 * result does not depend on thread timing (only on --batch). Everything learnt
 * during a batch goes to `pending` and is merged at the boundary.
 */
typedef struct td_templates {
    td_map counts;           /* snapshot: key -> articles with the line */
    td_map pending;          /* this batch: key -> articles to add */
    td_map loaded;           /* xxh3(outlet) -> 1 once its stored counts are in */
    struct td_tmpl_delta { uint32_t outlet; uint64_t hash; uint32_t n; } *delta; /* for the store */
    size_t n_delta, cap_delta;
    td_map delta_ix;         /* (outlet id, line) -> index + 1 into delta */
    char **outlets;          /* interned outlet names (writer only), index = outlet id */
    uint32_t n_outlets, cap_outlets;
    td_map outlet_ids;       /* xxh3(outlet) -> id + 1 */
} td_templates;

/* An article of this run that kept candidate lines: re-cleaned at the end if
 * they turn out to be template lines of its outlet. */
typedef struct td_recheck {
    int64_t rowid;
    uint64_t outlet_hash;
    uint32_t first, n;       /* range in engine->recheck_hashes */
} td_recheck;

typedef struct td_pool td_pool; /* pipeline.c: worker threads and the job ring */

struct td_engine {
    td_options opt;
    td_store *store;
    td_buf err;              /* last error message */
    td_arena arena;          /* scratch arena of the writer (re-cleaning, show) */
    td_ingest_stats *stats;  /* the caller's counters during an ingest */
    td_ingest_stats own;     /* used when the caller passes none */
    uint32_t in_batch;       /* articles submitted in the current batch */
    double t0, last_progress;
    td_templates tmpl;
    td_map inflight;         /* xxh3(id) -> raw hash of articles not yet committed */
    td_recheck *recheck;
    size_t n_recheck, cap_recheck;
    uint64_t *recheck_hashes;
    size_t n_rh, cap_rh;
    td_pool *pool;           /* NULL until the first article */
    struct td_entity_models *models; /* extract: gazetteer and lexicons, loaded on first use */
    bool models_tried;       /* loading was attempted (NULL models: entities off) */
    bool entities_dirty;     /* an article's entities changed: rebuild at finish */
    bool finish_marked;      /* this run set run_state.finish_pending (pipeline.c) */
    bool finish_redo;        /* a run stopped (kill -9) before its corpus stages ended:
                                the stages redo their work over the whole corpus */
    struct td_story_state *story_state; /* dedup + story indexes (story/stage.c), opened on first use */
    struct td_prepared *prep;  /* a batch whose worker stages ran ahead (pipeline.c, td_pipeline_prepare) */
    bool shared_run;         /* a queue worker (src/worker): the store's unfinished stories are
                                the shared run's, not a stopped run's: left for the finish */
};

/* Sets the engine's error message (printf-style) and returns st. */
td_status td_engine_fail(td_engine *e, td_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
double td_now(void);
/* The store of an engine, for the CLI's query commands. */
td_store *td_engine_store(td_engine *e);
/* The message of the last failed td_engine_open in this thread. */
const char *td_engine_last_open_error(void);
void td_engine_last_open_error_set(const char *msg);

#endif
