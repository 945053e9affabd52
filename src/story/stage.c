/*
 * stage.c - duplicates and stories wired into the pipeline (stage.h).
 *
 * State (td_story_state, one per engine, writer thread only):
 *   dedup        the near-duplicate index (dedup.h), window_days of dates
 *   story        the online story index (story.h), stories idle for less
 *                than horizon_days
 *   db           prepared statements of store_story.h
 *   roots        roots of copy clusters touched in this run: re-pointed at
 *                the earliest copy at finish (dates may change when the
 *                templates stage re-cleans an article)
 *   stories      stories touched in this run: count and dates refreshed
 *                from the store at finish
 *   cur_key/cur_dup  the dedup decision of the article in flight, for the
 *                story stage right after it
 *
 * Both indexes are opened on the first article and restored from the store:
 * fingerprints dated within the dedup window of the newest stored date (at
 * most max_entries), stories seen within the story horizon. Memory is thus
 * bounded by the windows, not by the size of the database.
 *
 * Order: the writer stages see articles in input order, so the result is
 * the same for any number of threads. duplicate_of always names the
 * cluster's earliest copy (publication date, undated last, then ingest
 * order): the index re-roots as it goes and finish checks the touched
 * clusters against the stored dates.
 */
#include "story/stage.h"
#include "base/alloc.h"
#include "base/map.h"
#include "dedup/dedup.h"
#include "store/store_story.h"
#include "story/story.h"

#include <stdio.h>
#include <string.h>

enum { SET_CACHE = 512 };

struct td_story_state {
    td_story_db *db;
    td_dedup *dedup;
    td_story *story;
    td_dedup_opts dopts;
    td_story_opts sopts;
    td_map roots;            /* root rowid -> 1 */
    td_map stories;          /* story id -> 1 */
    int64_t cur_key, cur_dup;
    float cur_sim;
    /* grey-zone verification (td_dedup_opts.verify): the article being
     * added and the candidate, as exact shingle sets */
    td_str cur_body;
    uint64_t *cur_set;
    uint32_t n_cur, cap_cur;
    bool cur_ready;
    td_buf other_body;
    /* shingle sets of recently checked articles, direct-mapped by rowid:
     * the originals of a busy story are checked again and again */
    struct set_slot { int64_t key; uint64_t *set; uint32_t n, cap; } cache[SET_CACHE];
    int32_t clock;           /* newest publication day seen, -1 none */
    uint64_t restored_fps;
    uint32_t restored_stories;
};

/* Days since 1970-01-01 of a day-precise publication date; -1 otherwise. */
static int32_t article_day(const td_article *a)
{
    if (a->published.prec != TD_PREC_DAY || a->published.year <= 0)
        return -1;
    if (a->published.month < 1 || a->published.month > 12 || a->published.day < 1 || a->published.day > 31)
        return -1;
    return td_story_day_civil(a->published.year, a->published.month, a->published.day);
}

static td_status fail_db(td_engine *e, td_status st, const char *what)
{
    td_story_state *s = e->story_state;
    return td_engine_fail(e, st, "%s: %s", what, s && s->db ? td_story_db_errmsg(s->db) : td_status_str(st));
}

void td_stage_stories_free(td_engine *e)
{
    td_story_state *s = e->story_state;
    if (!s)
        return;
    td_story_db_close(s->db);
    td_dedup_free(s->dedup);
    td_story_free(s->story);
    td_map_free(&s->roots);
    td_map_free(&s->stories);
    td_free(s->cur_set);
    for (int i = 0; i < SET_CACHE; i++)
        td_free(s->cache[i].set);
    td_buf_free(&s->other_body);
    td_free(s);
    e->story_state = NULL;
}

/* td_dedup_opts.verify: the true similarity of the article being added and
 * stored article `other`, from their bodies (the candidate's is read back).
 * Bodies over a million bytes are left to the estimate. */
static bool verify(void *ud, int64_t other, float *jaccard, float *containment)
{
    td_story_state *s = ud;
    enum { MAX_BODY = 1 << 20 };
    if (!s->cur_ready) {
        if (s->cur_body.len > MAX_BODY)
            return false;
        s->n_cur = td_dedup_shingle_set(s->cur_body, &s->cur_set, &s->cap_cur);
        if (s->n_cur == UINT32_MAX)
            return false;
        s->cur_ready = true;
    }
    struct set_slot *o = &s->cache[(uint64_t)other % SET_CACHE];
    if (o->key != other) {
        o->key = 0;
        if (td_story_db_body(s->db, other, &s->other_body) != TD_OK || s->other_body.len > MAX_BODY)
            return false;
        o->n = td_dedup_shingle_set(td_buf_str(&s->other_body), &o->set, &o->cap);
        if (o->n == UINT32_MAX)
            return false;
        o->key = other;
    }
    td_dedup_compare(s->cur_set, s->n_cur, o->set, o->n, jaccard, containment);
    return true;
}

static td_status consolidate_pending(td_engine *e, td_story_db *db, const td_story_opts *sopts, bool interrupted);

/* story_df row -> the live index (term 0 counts the documents). */
static td_status df_load(void *ud, uint64_t term, uint64_t n)
{
    if (!term) {
        td_story_docs_add(ud, n);
        return TD_OK;
    }
    return td_story_df_add(ud, term, n);
}

/* Opens the story index from the store: an unfinished run's articles
 * consolidated first, then the stories within the horizon restored. */
static td_status story_open(td_engine *e, td_story_state *s)
{
    /* a queue worker's engine: the pending articles are other workers'
     * batches of the same run, consolidated by its finish, as one process's */
    td_status st = e->shared_run ? TD_OK : consolidate_pending(e, s->db, &s->sopts, true);
    td_story_db_live(s->db, e->shared_run); /* restored as the live index left them */
    if (st == TD_OK)
        st = td_story_db_next_id(s->db, &s->sopts.first_id);
    if (st == TD_OK)
        st = td_story_new(&s->sopts, &s->story);
    if (st == TD_OK)
        st = td_story_db_stories_restore(s->db, s->story, s->sopts.horizon_days, &s->restored_stories);
    if (st == TD_OK && e->shared_run) /* and the run's term statistics, as the workers so far left them */
        st = td_story_db_df_each(s->db, df_load, s->story);
    return st;
}

/* Opens the indexes and restores them from the store (first article of the
 * engine), after consolidating a run that stopped before its end. On
 * failure nothing is kept. */
static td_status state_open(td_engine *e)
{
    if (e->story_state)
        return TD_OK;
    td_story_state *s = td_calloc(1, sizeof *s);
    if (!s)
        return td_engine_fail(e, TD_ENOMEM, "out of memory opening the duplicate index");
    e->story_state = s;
    s->clock = -1;
    td_status st = td_story_db_open(e->store, &s->db);
    if (st != TD_OK) {
        td_stage_stories_free(e);
        return td_engine_fail(e, st, "preparing the duplicate/story tables: %s",
                              td_db_errmsg(td_store_sql(e->store)));
    }
    const td_options *o = &e->opt;
    s->dopts = (td_dedup_opts){ .window_days = o->dedup_window_days ? o->dedup_window_days : 30,
                                .generations = 4,
                                .max_entries = o->dedup_max_entries ? o->dedup_max_entries : 4000000,
                                .verify = verify, .verify_ud = s };
    s->sopts = (td_story_opts){ .horizon_days = o->story_horizon_days ? o->story_horizon_days : 120 };
    if ((st = td_dedup_new(&s->dopts, &s->dedup)) != TD_OK)
        goto fail;
    if ((st = td_story_db_dedup_restore(s->db, s->dedup, s->dopts.window_days, s->dopts.max_entries,
                                        &s->restored_fps)) != TD_OK)
        goto fail;
    if ((st = story_open(e, s)) != TD_OK)
        goto fail;
    return TD_OK;
fail:
    st = fail_db(e, st, "restoring the duplicate and story indexes");
    td_stage_stories_free(e);
    return st;
}

td_status td_stage_fingerprint(td_engine *e, td_article *a)
{
    (void)e;
    td_dedup_fp *fp = td_arena_alloc(a->arena, sizeof *fp);
    if (!fp)
        return TD_ENOMEM;
    td_dedup_fingerprint(a->body, fp);
    a->dedup_fp = fp;
    a->n_passages = td_dedup_passages(a->arena, a->body, a->sentences, a->n_sentences, &a->passages);
    return a->arena->failed ? TD_ENOMEM : TD_OK;
}

static bool mark(td_map *m, uint64_t key)
{
    uint64_t *v = td_map_upsert(m, key);
    if (v)
        *v = 1;
    return v != NULL;
}

td_status td_stage_dedup(td_engine *e, td_article *a)
{
    td_status st = state_open(e);
    if (st != TD_OK)
        return st;
    td_story_state *s = e->story_state;
    s->cur_key = a->rowid;
    s->cur_dup = 0;
    s->cur_sim = -1;
    if (!a->dedup_fp)
        return TD_OK;
    int32_t day = article_day(a);
    if (day > s->clock)
        s->clock = day;
    /* stored before (changed input): its old passages and cached shingles
     * go, its row is re-decided */
    if (td_story_db_fp_exists(s->db, a->rowid)) {
        s->cache[(uint64_t)a->rowid % SET_CACHE].key = 0;
        if ((st = td_story_db_passages_drop(s->db, a->rowid)) != TD_OK)
            return fail_db(e, st, "replacing passages");
    }
    td_dedup_result r;
    s->cur_body = a->body;
    s->cur_ready = false;
    if ((st = td_dedup_add(s->dedup, a->rowid, day, a->dedup_fp, &r)) != TD_OK)
        return st;
    if (r.rerooted) {
        for (uint32_t i = 0; i < r.n_old_roots; i++)
            if ((st = td_story_db_reroot(s->db, r.old_roots[i], r.root)) != TD_OK)
                return fail_db(e, st, "re-pointing copies");
    }
    int64_t dup = r.duplicate_of;
    if (dup && (st = td_story_db_root(s->db, dup, &dup)) != TD_OK)
        return fail_db(e, st, "reading a copy's original");
    if (dup == a->rowid)
        dup = 0;
    /* duplicate_of is written with the story, in one update of the row */
    if ((st = td_story_db_fp_put(s->db, a->rowid, day, a->dedup_fp, dup ? r.containment : -1)) != TD_OK ||
        (st = td_story_db_passages_put(s->db, a->rowid, a->body, a->passages, a->n_passages)) != TD_OK)
        return fail_db(e, st, "storing duplicates");
    if ((r.kind != TD_DUP_NONE || r.rerooted) && !mark(&s->roots, (uint64_t)(dup ? dup : r.root)))
        return TD_ENOMEM;
    s->cur_dup = dup;
    s->cur_sim = dup ? r.jaccard : -1;
    return TD_OK;
}

td_status td_stage_story(td_engine *e, td_article *a)
{
    td_status st = state_open(e);
    if (st != TD_OK)
        return st;
    td_story_state *s = e->story_state;
    if (!s->story && (st = story_open(e, s)) != TD_OK) /* closed by the last finish */
        return fail_db(e, st, "restoring the story index");
    td_story_doc d = { .key = a->rowid, .date = article_day(a), .title = a->title, .body = a->body };
    if (s->cur_key == a->rowid && s->cur_dup) {
        d.duplicate_of = s->cur_dup;
        /* the original's stored story, for originals the index no longer
         * holds (an earlier run, or evicted) */
        if ((st = td_story_db_story_of(s->db, s->cur_dup, &d.dup_story)) != TD_OK)
            return fail_db(e, st, "reading the original's story");
    }
    td_story_assign as;
    if ((st = td_story_add(s->story, &d, &as)) != TD_OK)
        return st;
    if (e->shared_run) { /* the run's term statistics, for the worker that merges next */
        const uint64_t *ids;
        uint32_t n_ids = td_story_last_terms(s->story, &ids);
        if (n_ids && (st = td_story_db_df_add(s->db, ids, n_ids)) != TD_OK)
            return fail_db(e, st, "storing the run's term statistics");
    }
    td_story_info info;
    bool mine = s->cur_key == a->rowid; /* the dedup stage ran for this article */
    if ((st = td_story_db_assign(s->db, a->rowid, mine ? s->cur_dup : 0, mine ? s->cur_sim : -1, as.story)) != TD_OK ||
        (st = td_story_db_pending_add(s->db, a->rowid)) != TD_OK)
        return fail_db(e, st, "storing the article's copy and story");
    /* the centroid too (a copy leaves it as it was): a run killed before
     * its end leaves stories the next run can restore and continue */
    const td_story_term *cen = NULL;
    uint32_t nc = d.duplicate_of ? 0 : td_story_centroid(s->story, as.story, &cen);
    if (td_story_get(s->story, as.story, &info) == TD_OK && (st = td_story_db_story_put(s->db, &info, cen, nc)) != TD_OK)
        return fail_db(e, st, "storing a story");
    return mark(&s->stories, as.story) ? TD_OK : TD_ENOMEM;
}

/* Applies td_story_finish's changes to the store and refreshes every story
 * touched (marked in *stories, which is cleared) from its stored articles. */
static td_status finish_stories(td_story_db *db, td_story *story, td_map *stories)
{
    td_story_changes ch;
    td_status st = td_story_finish(story, &ch);
    if (st != TD_OK)
        return st;
    for (uint32_t i = 0; i < ch.n_merges; i++) {
        if ((st = td_story_db_story_merge(db, ch.merges[i].from, ch.merges[i].into)) != TD_OK)
            return st;
        if (!mark(stories, ch.merges[i].into))
            return TD_ENOMEM;
    }
    for (uint32_t i = 0; i < ch.n_moves; i++) {
        if ((st = td_story_db_story_set(db, ch.moves[i].key, ch.moves[i].to)) != TD_OK)
            return st;
        if (!mark(stories, ch.moves[i].from) || !mark(stories, ch.moves[i].to))
            return TD_ENOMEM;
    }
    for (uint32_t i = 0; i < ch.n_touched; i++)
        if (!mark(stories, ch.touched[i]))
            return TD_ENOMEM;
    for (size_t i = 0; i < stories->cap; i++) {
        if (!stories->keys[i])
            continue;
        uint32_t id = (uint32_t)stories->keys[i];
        td_story_info info;
        if (td_story_get(story, id, &info) == TD_OK) {
            const td_story_term *c = NULL;
            uint32_t n = td_story_centroid(story, id, &c);
            if ((st = td_story_db_story_put(db, &info, c, n)) != TD_OK)
                return st;
        }
        if ((st = td_story_db_story_refresh(db, id)) != TD_OK)
            return st;
    }
    td_map_clear(stories);
    return td_story_db_pending_clear(db);
}

/* Re-points the clusters whose roots are marked in *roots (cleared) at
 * their earliest copy. */
static td_status finish_roots(td_story_db *db, td_map *roots)
{
    td_map done = TD_MAP_INIT; /* roots already checked: old roots of one cluster resolve alike */
    td_status st = TD_OK;
    for (size_t i = 0; i < roots->cap && st == TD_OK; i++) {
        if (!roots->keys[i])
            continue;
        int64_t root;
        bool moved;
        st = td_story_db_root(db, (int64_t)roots->keys[i], &root);
        if (st != TD_OK || td_map_get(&done, (uint64_t)root))
            continue;
        if (!mark(&done, (uint64_t)root))
            st = TD_ENOMEM;
        else
            st = td_story_db_dup_earliest(db, root, &moved);
    }
    td_map_free(&done);
    td_map_clear(roots);
    return st;
}

typedef struct pending_ctx {
    td_story *story;
    td_map *roots, *stories;
} pending_ctx;

static td_status relog_one(void *ud, const td_story_pending *p)
{
    pending_ctx *c = ud;
    if (p->duplicate_of && !mark(c->roots, (uint64_t)p->duplicate_of))
        return TD_ENOMEM;
    if (!p->story)
        return TD_OK;
    td_story_doc d = { .key = p->rowid, .date = p->date, .title = p->title, .body = p->body,
                       .duplicate_of = p->duplicate_of };
    td_status st = td_story_relog(c->story, &d, p->story);
    if (st == TD_ENOTFOUND)
        return TD_OK; /* its story is beyond the horizon: nothing to consolidate */
    if (st == TD_OK && !mark(c->stories, p->story))
        return TD_ENOMEM;
    return st;
}

/*
 * Consolidates the articles marked pending (this run's at its finish, or
 * those of a run that stopped before its end, interrupted): the stories
 * restored from the store into a fresh index, the articles re-logged,
 * td_story_finish, the changes stored, the marks cleared. The same path for
 * both, before a new run assigns anything, so a history with kills ends as
 * one without. In its own transaction when none is open.
 */
static td_status consolidate_pending(td_engine *e, td_story_db *db, const td_story_opts *sopts, bool interrupted)
{
    td_story_opts o = *sopts;
    td_story *story = NULL;
    td_story_db_live(db, false); /* the stories as created: what consolidation has always read */
    td_map roots = TD_MAP_INIT, stories = TD_MAP_INIT;
    bool own = !td_store_in_tx(e->store);
    td_status st = own ? td_store_begin(e->store) : TD_OK;
    uint32_t n_st = 0, n = 0;
    if (st == TD_OK)
        st = td_story_db_next_id(db, &o.first_id);
    if (st == TD_OK)
        st = td_story_new(&o, &story);
    if (st == TD_OK)
        st = td_story_db_stories_restore(db, story, o.horizon_days, &n_st);
    pending_ctx c = { story, &roots, &stories };
    if (st == TD_OK)
        st = td_story_db_pending_each(db, relog_one, &c, &n);
    if (st == TD_OK && n && (st = finish_roots(db, &roots)) == TD_OK)
        st = finish_stories(db, story, &stories);
    if (st == TD_OK && e->shared_run) /* the shared run ends here: its term statistics too */
        st = td_story_db_df_clear(db);
    td_story_free(story);
    td_map_free(&roots);
    td_map_free(&stories);
    if (st != TD_OK) {
        if (own && td_store_in_tx(e->store))
            td_store_rollback(e->store);
        return st;
    }
    if (own && (st = td_store_commit(e->store)) != TD_OK)
        return st;
    if (n && interrupted && e->opt.warn) {
        char msg[160];
        snprintf(msg, sizeof msg, "a run stopped before its end: its %u articles' stories consolidated now", n);
        e->opt.warn(e->opt.ud, "stories", msg);
    }
    return TD_OK;
}

td_status td_stage_stories_finish(td_engine *e)
{
    td_story_state *s = e->story_state;
    td_status st = TD_OK;
    if (!s) { /* no article went through the stages: an earlier run may have left work */
        if (td_store_count(e->store, "story_pending") <= 0)
            return TD_OK;
        td_story_db *db = NULL;
        if ((st = td_story_db_open(e->store, &db)) == TD_OK) {
            td_story_opts so = { .horizon_days = e->opt.story_horizon_days ? e->opt.story_horizon_days : 120 };
            st = consolidate_pending(e, db, &so, !e->shared_run); /* a worker's finish: not a stopped run */
            if (st != TD_OK)
                td_engine_fail(e, st, "consolidating an unfinished run's stories: %s", td_story_db_errmsg(db));
            td_story_db_close(db);
        } else {
            td_engine_fail(e, st, "consolidating an unfinished run's stories: %s", td_store_errmsg(e->store));
        }
        return st;
    }
    bool own = !td_store_in_tx(e->store);
    if (own && (st = td_store_begin(e->store)) != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    /* passage_seen is not pruned here: what a later article finds shared
     * would then depend on where runs (or kills) ended; see docs/dedup.md */
    /* the run's stories are consolidated from the store, exactly as a run
     * killed before this point will be by the next one (consolidate_pending):
     * then a history with kills ends as one without. The live index is
     * closed; the next article reopens it from the consolidated store. */
    td_story_freep(&s->story);
    td_map_clear(&s->stories);
    if ((st = finish_roots(s->db, &s->roots)) == TD_OK)
        st = consolidate_pending(e, s->db, &s->sopts, false);
    if (st != TD_OK) {
        if (own)
            td_store_rollback(e->store);
        return st == TD_ENOMEM ? td_engine_fail(e, st, "out of memory consolidating stories")
                               : fail_db(e, st, "consolidating stories");
    }
    if (own && (st = td_store_commit(e->store)) != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    return TD_OK;
}
