/*
 * dedup.h - exact and near-duplicate detection (wire copies) and shared
 * passages.
 *
 * Fingerprint: the body is cut into normalised word tokens (lower case,
 * punctuation and apostrophes dropped, see norm.c), tokens are hashed with
 * XXH3 and every run of TD_DEDUP_SHINGLE tokens is one shingle hash. The
 * `exact` hash covers the whole token stream; the near-duplicate signature is
 * a one-permutation MinHash (TD_DEDUP_K bins, densified, 16 bits a bin), so
 * the fraction of equal bins estimates the Jaccard similarity of the two
 * shingle sets and, with the set sizes, their containment. docs/dedup.md
 * explains the choice over SimHash.
 *
 * Index: a ring of at most opts.generations generations. Each generation
 * holds the entries added while the date clock (newest known publication
 * date) moved over window_days / generations days, or at most
 * max_entries / generations entries. Each has its own exact-hash table and
 * LSH table (TD_DEDUP_BANDS bands of 2 bins, open addressing, at most
 * bucket_cap entries per band value), so lookups cost the same however many
 * articles were seen, and dropping the oldest generation evicts in O(1)
 * amortised with no tombstones.
 *
 * Clusters: every entry belongs to a cluster of copies whose root is the
 * earliest copy (publication date, unknown dates last, then ingest order).
 * A new article joins the cluster of its most similar entry; clusters it is
 * also a copy of merge into it (so the result depends little on input
 * order); when it is earlier than the root it becomes the root.
 * td_dedup_result lists the roots that changed so stored rows can follow.
 *
 * Ownership: the index owns all its memory (td_malloc). Nothing is borrowed
 * beyond a call. Not thread-safe: one writer (the pipeline's story stage);
 * td_dedup_fingerprint and td_dedup_passages are pure and may run anywhere.
 */
#ifndef TD_DEDUP_H
#define TD_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/str.h"
#include "types.h"

enum {
    TD_DEDUP_K = 128,         /* MinHash bins */
    TD_DEDUP_BANDS = 32,      /* LSH bands over the first BANDS x BAND_ROWS bins */
    TD_DEDUP_BAND_ROWS = 2,
    TD_DEDUP_SHINGLE = 3,     /* tokens per shingle */
    TD_DEDUP_MAX_MERGE = 8,   /* clusters one article may bridge */
    TD_DEDUP_BLOB_LEN = 4 + 4 + 4 + 8 + 2 * TD_DEDUP_K /* td_dedup_fp_save */
};

/* The fingerprint of one body; plain data, copy freely. */
typedef struct td_dedup_fp {
    uint64_t exact;           /* XXH3 over the normalised token stream; 0 when no token */
    uint32_t n_tokens;        /* normalised word tokens */
    uint32_t n_shingles;      /* shingle positions (max(0, n_tokens - SHINGLE + 1), 1 for short texts) */
    uint16_t sig[TD_DEDUP_K]; /* densified one-permutation MinHash */
} td_dedup_fp;

/* Exact check of a candidate whose estimate falls near a threshold: writes
 * the true Jaccard and containment of the shingle sets of the article being
 * added and the held entry `other` (td_dedup_shingle_set, td_dedup_compare);
 * returns false when it cannot tell, and the estimate is then used. */
typedef bool (*td_dedup_verify_fn)(void *ud, int64_t other, float *jaccard, float *containment);

typedef struct td_dedup_opts {
    uint32_t window_days;     /* dates covered by the index; 0 = 30 */
    uint32_t generations;     /* eviction granularity; 0 = 4 */
    uint32_t max_entries;     /* hard bound on entries held; 0 = 4,000,000 */
    uint32_t bucket_cap;      /* entries per LSH band value and generation; 0 = 8 */
    uint32_t min_tokens;      /* shorter bodies are never duplicates; 0 = 8 */
    float jaccard_min;        /* near copy when estimated Jaccard >= this; 0 = 0.5 */
    float containment_min;    /* ...or containment >= this; 0 = 0.7 */
    float jaccard_floor;      /* ...and Jaccard >= this (noise guard); 0 = 0.15 */
    /* Grey zone: with K = 128 bins an estimated containment is good to about
     * +-0.06, so a copy just above a threshold is missed (or a non-copy just
     * below it taken) one time in five. Candidates whose estimate lies within
     * verify_margin of a threshold are checked exactly by verify, at most
     * verify_max per add. NULL verify: estimates only. */
    td_dedup_verify_fn verify;
    void *verify_ud;
    float verify_margin;      /* 0 = 0.12 */
    uint32_t verify_max;      /* 0 = 4 */
} td_dedup_opts;

typedef enum td_dup_kind { TD_DUP_NONE = 0, TD_DUP_EXACT, TD_DUP_NEAR } td_dup_kind;

/* What td_dedup_add decided for one article. Keys are the caller's (article
 * row ids, never 0). */
typedef struct td_dedup_result {
    td_dup_kind kind;
    int64_t duplicate_of;     /* root of the cluster, 0 when this article is an original or the new root */
    int64_t matched;          /* most similar earlier entry, 0 when none */
    float jaccard;            /* estimated Jaccard with `matched` (1 for exact) */
    float containment;        /* estimated share of the smaller text inside the other */
    int64_t root;             /* root of the cluster after this article (its own key when original or new root) */
    /* Re-rooting: the cluster's root changed, because this article is
     * earlier-dated than the root it joined, or because it is a copy of
     * several clusters, which merged (the earliest root wins). Every article
     * whose duplicate_of is one of old_roots, and those roots themselves,
     * must now point at `root`. */
    bool rerooted;
    uint32_t n_old_roots;
    int64_t old_roots[TD_DEDUP_MAX_MERGE + 1];
} td_dedup_result;

typedef struct td_dedup td_dedup;

/* Fills *fp from body. Never allocates; linear in body.len. */
void td_dedup_fingerprint(td_str body, td_dedup_fp *fp);

/* The sorted, distinct shingle hashes of body (the shingles of
 * td_dedup_fingerprint) into *out, grown with td_realloc (*cap elements;
 * the caller frees). Returns the count, or UINT32_MAX on ENOMEM. */
uint32_t td_dedup_shingle_set(td_str body, uint64_t **out, uint32_t *cap);
/* True Jaccard and containment (of the smaller set in the other) of two
 * sorted shingle sets. */
void td_dedup_compare(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb, float *jaccard,
                      float *containment);

/* Estimated Jaccard similarity of two fingerprints (0..1). */
float td_dedup_jaccard(const td_dedup_fp *a, const td_dedup_fp *b);

/* Writes fp as TD_DEDUP_BLOB_LEN bytes (magic "TDF2", little-endian). */
void td_dedup_fp_save(const td_dedup_fp *fp, uint8_t out[TD_DEDUP_BLOB_LEN]);
/* Reads a blob written by td_dedup_fp_save. TD_EPARSE on a wrong length or magic. */
td_status td_dedup_fp_load(const void *blob, size_t len, td_dedup_fp *fp);

/* New index; opts may be NULL for defaults. TD_ENOMEM. */
td_status td_dedup_new(const td_dedup_opts *opts, td_dedup **out);
void td_dedup_free(td_dedup *ix);
/* Frees *ixp and sets it to NULL. */
void td_dedup_freep(td_dedup **ixp);

/*
 * Looks fp up among the entries held and adds it under key (date in days
 * since 1970-01-01, -1 when unknown). Call in ingest order. *res is written on
 * TD_OK. TD_EINVAL for key 0, TD_ENOMEM (the index is unchanged).
 */
td_status td_dedup_add(td_dedup *ix, int64_t key, int32_t date, const td_dedup_fp *fp, td_dedup_result *res);

/*
 * Re-adds a stored entry when the engine reopens its database, without a
 * decision: root is the stored duplicate_of (0 for an original). Call in
 * ingest order (row id order), originals before their copies when possible.
 */
td_status td_dedup_restore(td_dedup *ix, int64_t key, int32_t date, int64_t root, const td_dedup_fp *fp);

/* Counters for tests and the bench. */
typedef struct td_dedup_stats {
    uint64_t added, exact, near, rerooted, merged, evicted;
    uint64_t verified;        /* grey-zone candidates checked exactly */
    uint32_t held;            /* entries in the index now */
    uint32_t clusters;        /* live clusters */
    size_t bytes;             /* heap held by the index */
} td_dedup_stats;
void td_dedup_get_stats(const td_dedup *ix, td_dedup_stats *st);

/* ---- shared passages (passage.c) ---- */

typedef struct td_passage {
    uint64_t hash;            /* XXH3 of the sentence's normalised words */
    td_span span;             /* the sentence in the body */
} td_passage;

enum { TD_PASSAGE_MIN_WORDS = 8 };

/*
 * Hashes every sentence of body with at least TD_PASSAGE_MIN_WORDS normalised
 * words (each distinct hash once). sentences/n are spans into body, e.g. from
 * td_sentences; when sentences is NULL a simple splitter (full stop, ?, !
 * before a space, or a line break) is used. *out is an arena array; returns
 * the count (0 and *out NULL when none or on allocation failure, which sets
 * the arena's failed flag).
 */
uint32_t td_dedup_passages(td_arena *a, td_str body, const td_span *sentences, uint32_t n, td_passage **out);

/* ---- norm.c: the token stream shared by fingerprints and passages ---- */

/* Calls fn(ud, hash) for each normalised word token of s, in order; returns
 * the token count. A token is a run of letters and digits (Unicode aware);
 * apostrophes inside a word are dropped ("Yemen's" = "yemens"), every other
 * character separates. Letters are lower-cased. */
uint32_t td_dedup_tokens(td_str s, void (*fn)(void *ud, uint64_t h), void *ud);
/* The same stream in blocks: writes the hashes of the next tokens of s from
 * byte *pos (at most max) to out, moves *pos past them and returns their
 * count; 0 at the end. Start with *pos = 0. */
uint32_t td_dedup_token_block(td_str s, size_t *pos, uint64_t *out, uint32_t max);

#endif
