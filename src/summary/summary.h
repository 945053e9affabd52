/*
 * summary.h - the extractive summary of a story: 3 to 5 sentences chosen
 * from its articles, each linked to the article it comes from.
 *
 * How (summary.c): the candidate sentences of the story's original articles
 * (copies are left out by the caller) pass a filter that drops boilerplate
 * (credits, calls to subscribe, links), caption text and fragments
 * (headlines, bylines, lists); each becomes a TF-IDF vector of stemmed
 * content words; centrality is continuous LexRank (power iteration over the
 * cosine graph), weighted up for the first sentences of an article and for
 * the earliest articles; Maximal Marginal Relevance then picks sentences
 * that are central but not redundant with those already picked. The chosen
 * sentences come out in reading order (earliest article first).
 *
 * Storage (summary_store.c): table story_summary(story_id, rank,
 * article_id -> article.rowid, sentence, score), filled at the end of an
 * ingest for the stories whose original articles changed (a signature per
 * story in story_summary_state). Migration 7 (TD_SUMMARY_SCHEMA).
 *
 * Invariants: the output spans point into the bodies passed in; sentences
 * picked never overlap captions; the result is deterministic for the same
 * input (no hashing order leaks into ties: ties break by document order).
 */
#ifndef TD_SUMMARY_H
#define TD_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

#include "tidings.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"

/* One article of the story, earliest first. Borrowed. */
typedef struct td_summary_doc {
    int64_t article;           /* article rowid, copied into the result */
    td_str body;               /* cleaned body */
    td_str captions;           /* caption text: never chosen */
} td_summary_doc;

/* One chosen sentence. */
typedef struct td_summary_sent {
    size_t doc;                /* index into the docs passed in */
    int64_t article;           /* docs[doc].article */
    uint32_t off, len;         /* the sentence in docs[doc].body */
    double score;              /* centrality with the position priors, 0..1 */
} td_summary_sent;

typedef struct td_summary_opts {
    unsigned min_sentences;    /* 0 = 3: fewer only when fewer pass the filter */
    unsigned max_sentences;    /* 0 = 5 */
    unsigned max_candidates;   /* 0 = 240: bounds the O(n^2) similarity graph */
    unsigned per_doc;          /* 0 = 14: candidates taken from each article's start */
    double lambda;             /* MMR trade-off; 0 = 0.7 (1 = centrality only) */
} td_summary_opts;

typedef struct td_summarizer td_summarizer;

/* A summarizer (an English stemmer and scratch maps). NULL on ENOMEM. */
td_summarizer *td_summarizer_new(void);
/* NULL is a no-op. */
void td_summarizer_free(td_summarizer *sz);

/*
 * Chooses the summary sentences of docs (earliest article first).
 * *out (arena memory) gets the sentences in reading order, *n_out their
 * count (0 when no sentence passes the filter). o may be NULL.
 * @return TD_OK, TD_ENOMEM.
 */
td_status td_summary_pick(td_summarizer *sz, const td_summary_doc *docs, size_t n_docs,
                          const td_summary_opts *o, td_arena *a, td_summary_sent **out, size_t *n_out);

/*
 * True when sentence s may appear in a summary: 6 to 60 words, starts like
 * a sentence and ends with one, mostly letters, no boilerplate cue (credits,
 * subscribe, copyright, links, photo credits) and not part of captions.
 */
bool td_summary_sentence_ok(td_str s, td_str captions);

/* ---- summary_store.c ---- */

/* Migration 7: story_summary and story_summary_state. */
extern const char TD_SUMMARY_SCHEMA[];
extern const char TD_SUMMARY_SCHEMA_PG[]; /* the same tables on PostgreSQL */

typedef struct td_summary_stats {
    size_t stories;            /* summaries (re)computed */
    size_t sentences;          /* sentences stored */
} td_summary_stats;

/*
 * Recomputes the summary of every story whose original articles changed
 * since its summary was made (all stories when `all`), in one transaction
 * on db (which must not be inside one). tick(ud) is called now and then
 * for progress; it may be NULL. Does nothing when the database has no story
 * or story_summary table.
 * @return TD_OK; TD_EDB (err says why), TD_ENOMEM.
 */
td_status td_summary_update(td_db *db, bool all, void (*tick)(void *ud), void *ud, td_summary_stats *st,
                            td_buf *err);

#endif
