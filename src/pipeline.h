/*
 * pipeline.h - the one place that calls the stages, in order, from one const
 * table (pipeline.c). Per-article stages run on one article and its arena;
 * corpus stages run when an ingest run finishes.
 */
#ifndef TD_PIPELINE_H
#define TD_PIPELINE_H

#include "engine.h"

/* Runs every per-article stage on in, storing the result. TD_EPARSE or
 * TD_ELIMIT mean the article was skipped (already counted and reported);
 * TD_EDB/TD_EBUSY/TD_EREADONLY/TD_ENOMEM are fatal for the run. */
td_status td_pipeline_article(td_engine *e, const td_input *in);
/* Commits the open batch and runs the corpus stages (template re-cleaning,
 * and those later issues add). */
td_status td_pipeline_finish(td_engine *e);
/* Commits the open batch without the corpus stages: a queue worker's batch
 * (src/worker), whose corpus stages run once the queue is drained. */
td_status td_pipeline_commit(td_engine *e);
/* Prepared batches (tidings worker): runs the worker stages of n inputs
 * ahead of their turn, kept in the engine until td_pipeline_article meets
 * the same inputs (used when still valid, pipeline.c says how) or the next
 * prepare / td_pipeline_unprepare. Skipped inputs are reported later, by
 * td_pipeline_article. */
td_status td_pipeline_prepare(td_engine *e, const td_input *in, uint32_t n);
void td_pipeline_unprepare(td_engine *e);
/* Counts of the current prepared batch: jobs used as they were, checked by a
 * fresh clean because the template counts moved, run again. */
void td_pipeline_prepared_stats(td_engine *e, uint64_t *reused, uint64_t *rechecked, uint64_t *rerun);
/* Drops what the engine holds of the corpus (template counts, the copy index,
 * stories) after committing, so it is read again from the store: for a
 * worker when other workers merged since its last batch. */
td_status td_pipeline_refresh(td_engine *e);
/* Runs the text and clean stages alone on a (read-back) article, for
 * `tidings show` and re-cleaning. line_count may be NULL. */
td_status td_pipeline_clean(td_engine *e, td_article *a, bool exclude_self);
/* Frees what the pipeline keeps in the engine. */
void td_pipeline_free(td_engine *e);

#endif
