/*
 * story.h - online story clustering: articles stream in and each joins the
 * most similar live story or opens a new one.
 *
 * Features (features.c): TF-IDF over stemmed words (libstemmer, English,
 * stopwords dropped), with capitalised words inside a sentence (names,
 * places) added as separate name features and weighted up, title terms
 * weighted up, and room for the caller's own feature ids (entity ids once the
 * entity stage exists). A document vector keeps its TD_STORY_DOC_TERMS
 * heaviest terms, L2-normalised.
 *
 * Stories (story.c): a centroid (sum of member vectors truncated to the
 * TD_STORY_CENTROID_TERMS heaviest terms), first/last dates, article count and
 * the headline of the member closest to the centroid. Similarity of an
 * article to a story is cosine x exp(-gap / decay_days), gap being the days
 * between the article's date and the story's [first, last] span, so a story
 * can run for months while it keeps getting articles. Name features
 * (TD_STORY_NAME_BIT) also gate a join: when article and story both have
 * names, the cosine of their name parts must reach name_min, so two
 * same-kind events told in the same words in two countries stay apart. Candidate stories
 * come from an inverted index term -> the few stories most recently updated
 * with that term among their heaviest (never a scan of all stories).
 *
 * Order: an online pass depends on input order; td_story_finish runs a
 * consolidation pass over the stories touched since the last finish (merges
 * close centroids, re-assigns articles of the run to their best story) and
 * reports the changes. docs/stories.md gives the measured order dependence.
 *
 * Ownership: the index owns its memory; strings passed in are borrowed for
 * the call and copied when kept. Not thread-safe (one writer).
 */
#ifndef TD_STORY_H
#define TD_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tidings.h"
#include "base/str.h"

enum {
    TD_STORY_DOC_TERMS = 64,       /* terms kept per article vector */
    TD_STORY_CENTROID_TERMS = 128, /* terms kept per story centroid */
    TD_STORY_MAX_TERMS = 2048,     /* distinct raw terms per article (256 kept for caller features) */
    TD_STORY_NAME_BIT = 1,         /* set in the id of name features (names, places, entities) */
};

typedef struct td_story_opts {
    float join_min;          /* join a story when similarity >= this; 0 = 0.15 */
    float merge_min;         /* finish merges stories whose centroids are this close; 0 = 0.25 */
    float idf_prior;         /* background documents for IDF (see story.c idf()); 0 = 1000 */
    float name_min;          /* when both sides have names, their cosine must reach this; 0 = 0.1 */
    float decay_days;        /* e-folding time of similarity with the gap; 0 = 30 (docs/stories.md) */
    float name_weight;       /* weight of a name feature; 0 = 2 */
    float title_weight;      /* weight of a title occurrence; 0 = 2 */
    uint32_t horizon_days;   /* stories idle longer than this (clock - last) are dropped; 0 = 120 */
    uint32_t max_stories;    /* live stories held; oldest idle dropped beyond; 0 = 1,000,000 */
    uint32_t run_max;        /* articles remembered for finish's re-assignment; 0 = 200,000 */
    uint32_t first_id;       /* id of the first new story (continue after the store's max); 0 = 1 */
} td_story_opts;

/* One article offered to td_story_add. Strings are borrowed for the call. */
typedef struct td_story_doc {
    int64_t key;             /* article row id, != 0 */
    int32_t date;            /* days since 1970-01-01, -1 unknown */
    td_str title;
    td_str body;
    int64_t duplicate_of;    /* key of the original when a copy (it joins the original's story), else 0 */
    uint32_t dup_story;      /* the original's story when the caller knows it (original evicted), else 0 */
    /* Hook for the entity stage: extra feature ids (e.g. entity ids), each
     * counted like a name. */
    const uint64_t *features;
    uint32_t n_features;
} td_story_doc;

typedef struct td_story_assign {
    uint32_t story;          /* story id */
    bool created;            /* a new story */
    float similarity;        /* to the story joined (0 when created) */
} td_story_assign;

typedef struct td_story td_story;

/* A weighted term: raw count of a document before IDF, or a centroid weight. */
typedef struct td_story_term {
    uint64_t id;             /* feature id: hash of kind + stem */
    float tf;                /* weighted count, or weight */
} td_story_term;


td_status td_story_new(const td_story_opts *opts, td_story **out);
void td_story_free(td_story *s);
void td_story_freep(td_story **sp);

/* Assigns doc to a story. TD_EINVAL (key 0), TD_ENOMEM (index unchanged). */
td_status td_story_add(td_story *s, const td_story_doc *doc, td_story_assign *out);

/*
 * Re-logs an article already assigned to story (held, e.g. restored), for a
 * td_story_finish that a run stopped before doing: its features count in
 * the IDF and the finish log as in td_story_add, the story's centroid is
 * left as stored. TD_ENOTFOUND when story is not held, TD_EINVAL, TD_ENOMEM.
 */
td_status td_story_relog(td_story *s, const td_story_doc *doc, uint32_t story);

/* A story as the index holds it; title borrowed until the story changes. */
typedef struct td_story_info {
    uint32_t id;
    td_str title;
    int32_t first_seen, last_seen; /* -1 unknown */
    uint32_t articles;
    /* how well the title's article matches the centroid (the online title
     * pick); td_story_restore takes it, 0 when unknown */
    float title_sim;
} td_story_info;

/* The document frequencies of a run (idf of the terms): the terms the last
 * td_story_add counted (none for a copy), valid until the next add; and
 * their reload, for a queue worker continuing a run another process began
 * (src/story/stage.c keeps them in story_df while workers share a run). */
uint32_t td_story_last_terms(const td_story *s, const uint64_t **ids);
td_status td_story_df_add(td_story *s, uint64_t term, uint64_t n);
void td_story_docs_add(td_story *s, uint64_t n);

/* TD_ENOTFOUND when id is not held (never created, merged away or evicted). */
td_status td_story_get(const td_story *s, uint32_t id, td_story_info *out);

/* What td_story_finish changed. Arrays owned by the index until the next
 * td_story_add, td_story_finish or td_story_free. */
typedef struct td_story_merge { uint32_t from, into; } td_story_merge;
typedef struct td_story_move { int64_t key; uint32_t from, to; } td_story_move;
typedef struct td_story_changes {
    const td_story_merge *merges;  /* apply in order: articles of `from` go to `into` */
    uint32_t n_merges;
    const td_story_move *moves;    /* after the merges: article key moves to `to` */
    uint32_t n_moves;
    const uint32_t *touched;       /* stories whose info changed in this run (still held) */
    uint32_t n_touched;
} td_story_changes;

/*
 * Consolidates the stories touched since the last finish: merges stories
 * whose centroids are close (with the time decay), re-assigns remembered
 * articles to their best story when clearly better (copies follow their
 * original), re-picks titles. *out is filled on TD_OK. TD_ENOMEM.
 */
td_status td_story_finish(td_story *s, td_story_changes *out);

/*
 * Re-adds a stored story when the engine reopens the database, so new
 * articles can join it: info as stored, centroid as td_story_centroid gave
 * it (n (id, weight) pairs). Later ids continue after the largest restored.
 */
td_status td_story_restore(td_story *s, const td_story_info *info, const td_story_term *centroid, uint32_t n);
/* The centroid of story id, (id, weight) pairs sorted by id, for the store:
 * *out borrowed until the story changes. Returns the count, 0 when not held. */
uint32_t td_story_centroid(const td_story *s, uint32_t id, const td_story_term **out);

typedef struct td_story_stats {
    uint64_t added, created, joined, evicted;
    uint32_t live;
    size_t bytes;
} td_story_stats;
void td_story_get_stats(const td_story *s, td_story_stats *st);

/* ---- features.c ---- */

typedef struct td_story_feat td_story_feat;

/* A feature extractor: a stemmer and scratch space. NULL on ENOMEM. */
td_story_feat *td_story_feat_new(void);
void td_story_feat_free(td_story_feat *f);

/* Extracts the raw terms of title+body into f's scratch space; *out is
 * borrowed until the next call. Returns the count; TD_ENOMEM as (uint32_t)-1. */
uint32_t td_story_feat_extract(td_story_feat *f, td_str title, td_str body, float title_weight, float name_weight,
                               td_story_term **out);

#endif
