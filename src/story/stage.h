/*
 * stage.h - the pipeline stages of duplicates and stories (stage.c), called
 * from pipeline.c's STAGES[] and CORPUS_STAGES[] tables.
 *
 *   fingerprint (worker)  MinHash fingerprint and sentence hashes of the body
 *   dedup (writer)        near-duplicate lookup, duplicate_of, passages
 *   story (writer)        online story assignment
 *   stories (corpus)      td_story_finish: merges, moves, titles, counts and
 *                         dates; duplicate_of re-pointed at the earliest copy
 *
 * The writer stages keep their indexes in engine->story_state, opened on the
 * first article and restored from the store (bounded by the time windows),
 * so a second ingest into the same database continues where the first
 * stopped.
 */
#ifndef TD_STORY_STAGE_H
#define TD_STORY_STAGE_H

#include "engine.h"

typedef struct td_story_state td_story_state;

/* Worker: fills a->dedup_fp and a->passages from a->body (arena memory). */
td_status td_stage_fingerprint(td_engine *e, td_article *a);
/* Writer, after "store": the duplicate decision and passages of a. */
td_status td_stage_dedup(td_engine *e, td_article *a);
/* Writer, after "dedup": the story of a. */
td_status td_stage_story(td_engine *e, td_article *a);
/* Corpus stage at the end of a run. */
td_status td_stage_stories_finish(td_engine *e);
/* Frees engine->story_state (NULL is fine). */
void td_stage_stories_free(td_engine *e);

#endif
