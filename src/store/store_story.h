/*
 * store_story.h - duplicates, shared passages and stories in the store
 * (sqlite_story.c).
 *
 * Tables (migration 2, TD_STORY_SCHEMA), article columns hold rowids:
 *   article.duplicate_of, dup_similarity, story_id   (migration 1)
 *   dedup_fp(article, date, fp, containment)
 *                                    the 148-byte fingerprint of every
 *                                    article (td_dedup_fp_save), date in days
 *                                    since 1970-01-01 or -1: the dedup index
 *                                    is rebuilt from it when a database is
 *                                    reopened (bounded by the window); a
 *                                    copy's estimated containment (its
 *                                    Jaccard is article.dup_similarity)
 *   passage_seen(hash, article, off, len)
 *                                    the first article with each sentence of
 *                                    >= 8 words (one B-tree insert per
 *                                    sentence); pruned beyond the dedup window
 *   passage(id, hash, text, first_article, first_off, first_len, n_articles)
 *                                    a sentence carried by >= 2 articles
 *   passage_article(passage_id, article_id, off, len)
 *                                    every article carrying a shared passage
 *   story(id, title, first_seen, last_seen, n_articles)   (migration 1)
 *   story_centroid(story_id, n_terms, terms, country)   the story's term
 *                                    vector (td_story_centroid) for restore,
 *                                    written with every original
 *   story_pending(article)           articles of a run not yet consolidated
 *                                    (td_story_finish); a run killed before
 *                                    its end leaves them to the next
 *
 * Invariants: duplicate_of always names a root, never a copy (chains are
 * re-pointed when a root changes); a root has duplicate_of NULL. story rows
 * are refreshed from the articles (count, first/last dated article), so they
 * stay true whatever order articles and merges came in.
 *
 * Handle: td_story_db holds the prepared statements of the per-article
 * calls, through db.h on either backend (SQLite or PostgreSQL); it borrows
 * the store and must be closed before it. All writes run
 * inside the caller's transaction. Every call returns TD_OK, TD_EDB,
 * TD_EBUSY or TD_ENOMEM; the message is in td_story_db_errmsg.
 */
#ifndef TD_STORE_STORY_H
#define TD_STORE_STORY_H

#include <stdint.h>

#include "tidings.h"
#include "dedup/dedup.h"
#include "store/store.h"
#include "story/story.h"

/* The SQL of migration 2, for SQLite and in PostgreSQL's dialect. */
extern const char TD_STORY_SCHEMA[];
extern const char TD_STORY_SCHEMA_PG[];
/* Migration 15: story_df, the document frequencies of a run that queue
 * workers share (term 0 counts the documents), written and read on
 * PostgreSQL only: td_story_db_df_add per original article, _each on a
 * worker's reload, _clear when the run's finish consolidates it. */
extern const char TD_STORY_DF_SCHEMA[];
extern const char TD_STORY_DF_SCHEMA_PG[];
/* Migration 14: story_live, the live index's values of each story (span,
 * article count, title similarity), written and read while live. */
extern const char TD_STORY_LIVE_SCHEMA[];
extern const char TD_STORY_LIVE_SCHEMA_PG[];

typedef struct td_story_db td_story_db;

td_status td_story_db_open(td_store *s, td_story_db **out);
/* live (a queue worker): every story put also writes story_live, and
 * td_story_db_stories_restore reads what the live index last stored there
 * instead of the stories as created (the finish's consolidation reads). */
void td_story_db_live(td_story_db *d, bool live);
/* story_df (migration 15, above) */
td_status td_story_db_df_add(td_story_db *d, const uint64_t *ids, uint32_t n);
td_status td_story_db_df_each(td_story_db *d, td_status (*fn)(void *ud, uint64_t term, uint64_t n), void *ud);
td_status td_story_db_df_clear(td_story_db *d);

void td_story_db_close(td_story_db *d);
/* The last error of the store's connection, never NULL. */
const char *td_story_db_errmsg(td_story_db *d);

/* Days since 1970-01-01 of a "YYYY-MM-DD" date (a "YYYY-MM" date gives its
 * first day); -1 when it is not a date. */
int32_t td_story_day(td_str ymd);
/* Days since 1970-01-01 of year y, month m (1-12), day d (proleptic Gregorian). */
int32_t td_story_day_civil(int y, int m, int d);
/* Writes days as "YYYY-MM-DD" (out[11]); "" for a negative day. */
void td_story_day_format(int32_t days, char out[11]);

/* ---- duplicates ---- */

/* Stores the fingerprint of article rowid (replacing an older one) and, for
 * a copy, its containment (< 0 = NULL). */
td_status td_story_db_fp_put(td_story_db *d, int64_t rowid, int32_t date, const td_dedup_fp *fp, double containment);
/* True when article rowid already has a fingerprint (it is being replaced). */
bool td_story_db_fp_exists(td_story_db *d, int64_t rowid);
/* Copies the body of article rowid into out. TD_ENOTFOUND when absent. */
td_status td_story_db_body(td_story_db *d, int64_t rowid, td_buf *out);
/* Sets article rowid's duplicate_of (0 = NULL) and similarity (< 0 = NULL). */
td_status td_story_db_dup_set(td_story_db *d, int64_t rowid, int64_t duplicate_of, double similarity);
/* The cluster's root changed from old_root to new_root: every copy of
 * old_root, and old_root itself, now point at new_root, which becomes an
 * original. */
td_status td_story_db_reroot(td_story_db *d, int64_t old_root, int64_t new_root);
/* The stored root of root: root itself, or what its duplicate_of names when
 * the cluster was re-pointed since the index learnt it. */
td_status td_story_db_root(td_story_db *d, int64_t root, int64_t *out);
/* Re-points the cluster of root at its earliest member (publication date,
 * undated last, then ingest order). *moved is set when it changed. */
td_status td_story_db_dup_earliest(td_story_db *d, int64_t root, bool *moved);

/*
 * Re-adds the stored fingerprints to ix: those dated within window_days of
 * the newest stored date, plus undated ones, at most max_entries (the newest
 * by ingest order), in ingest order. *n gets the count.
 */
td_status td_story_db_dedup_restore(td_story_db *d, td_dedup *ix, uint32_t window_days, uint32_t max_entries,
                                    uint64_t *n);

/* ---- passages ---- */

/* Records the passages of article rowid (spans into body). A sentence seen
 * for the first time costs one passage_seen row; seen in a second article it
 * becomes a passage with its text and both articles' rows. */
td_status td_story_db_passages_put(td_story_db *d, int64_t rowid, td_str body, const td_passage *p, uint32_t n);
/* Forgets article rowid's shared-passage rows (before it is stored again);
 * passages left in one article are deleted. Its passage_seen rows stay
 * (without an index on article they cannot be found cheaply): a later match
 * may then name an article whose new text lacks the sentence. */
td_status td_story_db_passages_drop(td_story_db *d, int64_t rowid);
/* Forgets the first sights (passage_seen) of articles dated before day
 * `before`: beyond the dedup window. A full scan of passage_seen: the
 * pipeline runs it when the clock has moved a quarter window. */
td_status td_story_db_passages_prune(td_story_db *d, int32_t before);

/* ---- stories ---- */

/* The story of article rowid; 0 when none. */
td_status td_story_db_story_of(td_story_db *d, int64_t rowid, uint32_t *story);
/* Sets the story of article rowid. */
td_status td_story_db_story_set(td_story_db *d, int64_t rowid, uint32_t story);
/* Sets duplicate_of (0 = NULL), dup_similarity (< 0 = NULL) and story_id
 * (0 = NULL) of article rowid in one update: the row holds the article's
 * texts, so each update rewrites kilobytes. */
td_status td_story_db_assign(td_story_db *d, int64_t rowid, int64_t duplicate_of, double similarity, uint32_t story);
/* Writes story info: the title, and the centroid when n > 0; count and dates
 * come from td_story_db_story_refresh. */
td_status td_story_db_story_put(td_story_db *d, const td_story_info *info, const td_story_term *centroid,
                                uint32_t n);
/* Articles of story `from` go to `into`; from is deleted. */
td_status td_story_db_story_merge(td_story_db *d, uint32_t from, uint32_t into);
/* Recomputes n_articles, first_seen and last_seen of story id from its
 * articles; deletes the story when it has none. */
td_status td_story_db_story_refresh(td_story_db *d, uint32_t id);
/*
 * Re-adds the stored stories whose last_seen is within horizon_days of the
 * newest last_seen (with their centroids), and undated ones, to st; *n gets
 * the count. Stories restored are the ones new articles can join; the others
 * stay in the store.
 */
td_status td_story_db_stories_restore(td_story_db *d, td_story *st, uint32_t horizon_days, uint32_t *n);
/* The largest story id stored + 1 (1 for none). */
td_status td_story_db_next_id(td_story_db *d, uint32_t *next_id);

/* ---- runs that did not finish ---- */

/* An article of an earlier run whose stories were not consolidated. */
typedef struct td_story_pending {
    int64_t rowid;
    int32_t date;            /* days, -1 unknown */
    td_str title, body;      /* borrowed for the callback */
    uint32_t story;          /* 0 none */
    int64_t duplicate_of;    /* 0 none */
} td_story_pending;

/* Marks article rowid as awaiting the consolidation of its run. */
td_status td_story_db_pending_add(td_story_db *d, int64_t rowid);
/* Calls fn for every marked article, in ingest order; *n gets the count. */
td_status td_story_db_pending_each(td_story_db *d, td_status (*fn)(void *ud, const td_story_pending *p), void *ud,
                                   uint32_t *n);
/* Forgets the marks (the run was consolidated). */
td_status td_story_db_pending_clear(td_story_db *d);

#endif
