/*
 * story.c - the online story index of story.h.
 *
 * Data structure:
 *   stories[]       slots with a free list; id -> slot + 1 in `ids`
 *                   (0 once dropped); merged ids redirect in `merged`
 *   centroid        (term, weight) pairs sorted by term, at most
 *                   TD_STORY_CENTROID_TERMS; sum of member vectors
 *   postings        term -> ring of POST story ids, the stories most recently
 *                   updated with that term among their POST_TERMS heaviest
 *   df              term -> articles with it (originals only: a wire story
 *                   copied a hundred times must not make its words common)
 *   keys[2]         article key -> story, two generations of run_max keys,
 *                   so copies find their original's story
 *   log             the articles of the current run (raw terms, title) for
 *                   td_story_finish
 *
 * Invariants: every held story has >= 1 article; a document vector is
 * L2-normalised with at most TD_STORY_DOC_TERMS terms; per add the work is
 * bounded by LOOKUP_TERMS x POST candidate stories, each scored by a merge
 * of two sorted arrays of bounded length.
 */
#include "story/story.h"
#include "base/alloc.h"
#include "base/map.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    POST = 12,          /* stories per posting ring */
    POST_TERMS = 16,    /* a story is posted under its heaviest terms */
    LOOKUP_TERMS = 16,  /* an article looks up its heaviest terms */
    MAX_CANDS = LOOKUP_TERMS * POST,
    SCORED = 32,        /* candidates scored in full per lookup */
    LOG_TERMS = 2 * TD_STORY_DOC_TERMS, /* raw terms logged per article */
    MAX_RAW = TD_STORY_MAX_TERMS,
};

typedef struct story {
    uint32_t id;                 /* 0 = free slot (next free in `articles`) */
    int32_t first, last;         /* -1 unknown */
    uint32_t articles;
    uint32_t logged;             /* articles of this story in the run log */
    uint64_t last_seq;           /* ingest sequence of the last article */
    uint64_t run;                /* run in which it was last touched */
    uint32_t n_terms;
    td_story_term *terms;        /* cap TD_STORY_CENTROID_TERMS + TD_STORY_DOC_TERMS */
    float norm;
    char *title;
    size_t title_len;
    float title_sim;
} story;

typedef struct posting {
    uint32_t ids[POST];
    uint32_t pos;
} posting;

typedef struct logged {
    int64_t key, dup_of;
    int32_t date;
    uint32_t story;
    uint32_t off, n;             /* raw terms in log_terms */
    uint32_t toff, tlen;         /* title in log_chars */
} logged;

struct td_story {
    td_story_opts o;
    td_story_feat *feat;
    story *st;
    uint32_t n_st, cap_st, free_st, live;
    td_map ids;                  /* id -> slot + 1 */
    td_map merged;               /* merged id -> id it went into */
    uint32_t next_id;
    posting *post;
    uint32_t n_post, cap_post;
    td_map post_ix;              /* term -> posting + 1 */
    td_map df;
    uint64_t n_docs;
    td_map keys[2];
    uint32_t keys_cur;
    int32_t clock;
    uint64_t seq, run, since_sweep;
    logged *log;
    uint32_t n_log, cap_log;
    td_story_term *log_terms;
    size_t n_log_terms, cap_log_terms;
    char *log_chars;
    size_t n_log_chars, cap_log_chars;
    /* finish's output */
    td_story_merge *merges;
    uint32_t n_merges, cap_merges;
    td_story_move *moves;
    uint32_t n_moves, cap_moves;
    uint32_t *touched;
    uint32_t n_touched, cap_touched;
    /* scratch */
    td_story_term vec[TD_STORY_DOC_TERMS];
    td_story_term work[TD_STORY_CENTROID_TERMS + TD_STORY_DOC_TERMS];
    struct wterm { uint64_t id; float w, tf; } wt[MAX_RAW];
    uint64_t last_ids[MAX_RAW];  /* the terms the last add counted in df (td_story_last_terms) */
    uint32_t n_last;
    td_story_stats stats;
    bool spent;                  /* finish's output was handed out: reset on the next add */
    double idf_prior;            /* background documents without any term (see idf()) */
};

/* Grows *p (elements of size sz, *cap of them) to hold need; false on ENOMEM. */
static bool grow(void **p, uint32_t *cap, uint32_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    uint32_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = td_realloc(*p, (size_t)c * sz);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static bool growz(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = td_realloc(*p, c * sz);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* ---- lifecycle ---- */

td_status td_story_new(const td_story_opts *opts, td_story **out)
{
    td_story *s = td_calloc(1, sizeof *s);
    if (!s)
        return TD_ENOMEM;
    if (opts)
        s->o = *opts;
    td_story_opts *o = &s->o;
    if (o->join_min <= 0)
        o->join_min = 0.15f;
    if (o->merge_min <= 0)
        o->merge_min = 0.25f;
    if (o->name_min <= 0)
        o->name_min = 0.1f;
    if (o->decay_days <= 0)
        o->decay_days = 30;
    if (o->name_weight <= 0)
        o->name_weight = 2;
    if (o->title_weight <= 0)
        o->title_weight = 2;
    if (!o->horizon_days)
        o->horizon_days = 120;
    if (!o->max_stories)
        o->max_stories = 1000000;
    if (!o->run_max)
        o->run_max = 200000;
    s->next_id = o->first_id ? o->first_id : 1;
    s->idf_prior = o->idf_prior > 0 ? o->idf_prior : 1000;
    s->clock = -1;
    s->run = 1;
    s->feat = td_story_feat_new();
    if (!s->feat) {
        td_free(s);
        return TD_ENOMEM;
    }
    *out = s;
    return TD_OK;
}

void td_story_free(td_story *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->n_st; i++) {
        td_free(s->st[i].terms);
        td_free(s->st[i].title);
    }
    td_free(s->st);
    td_map_free(&s->ids);
    td_map_free(&s->merged);
    td_free(s->post);
    td_map_free(&s->post_ix);
    td_map_free(&s->df);
    td_map_free(&s->keys[0]);
    td_map_free(&s->keys[1]);
    td_free(s->log);
    td_free(s->log_terms);
    td_free(s->log_chars);
    td_free(s->merges);
    td_free(s->moves);
    td_free(s->touched);
    td_story_feat_free(s->feat);
    td_free(s);
}

void td_story_freep(td_story **sp)
{
    td_story_free(*sp);
    *sp = NULL;
}

/* ---- vectors ---- */

static int by_id(const void *a, const void *b)
{
    const td_story_term *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_weight_desc(const void *a, const void *b)
{
    const td_story_term *x = a, *y = b;
    if (x->tf != y->tf)
        return x->tf > y->tf ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id; /* ties broken stably */
}

/* Inverse document frequency with a prior: idf_prior background documents
 * in which no term appeared. Early in a stream (or in a small, one-topic
 * corpus) the place names of a story are in most documents seen so far;
 * the prior keeps them informative, as they are in the news at large. */
static float idf(const td_story *s, uint64_t term)
{
    uint64_t *v = td_map_get(&s->df, term);
    double df = v ? (double)*v : 0;
    return (float)(log((double)(s->n_docs + s->idf_prior) / (df + 1)));
}

typedef struct wterm wterm;

static int wterm_desc(const void *a, const void *b)
{
    const wterm *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}


/* Weights raw terms (n <= MAX_RAW) with the current IDF into out (at most
 * TD_STORY_DOC_TERMS heaviest, L2-normalised, sorted by id) and, when keep is
 * not NULL, copies the LOG_TERMS heaviest raw counts there (*n_keep). Returns
 * the vector's length. */
static uint32_t weigh(td_story *s, const td_story_term *raw, uint32_t n, td_story_term *out,
                      td_story_term *keep, uint32_t *n_keep)
{
    wterm *t = s->wt;
    if (n > MAX_RAW)
        n = MAX_RAW;
    for (uint32_t i = 0; i < n; i++) {
        float tf = raw[i].tf < 1 ? 1 : raw[i].tf;
        t[i] = (wterm){ raw[i].id, (1.0f + logf(tf)) * idf(s, raw[i].id), raw[i].tf };
    }
    qsort(t, n, sizeof *t, wterm_desc);
    if (keep) {
        *n_keep = n < LOG_TERMS ? n : LOG_TERMS;
        for (uint32_t i = 0; i < *n_keep; i++)
            keep[i] = (td_story_term){ t[i].id, t[i].tf };
    }
    if (n > TD_STORY_DOC_TERMS)
        n = TD_STORY_DOC_TERMS;
    double nn = 0;
    for (uint32_t i = 0; i < n; i++)
        nn += (double)t[i].w * t[i].w;
    float inv = nn > 0 ? (float)(1.0 / sqrt(nn)) : 0;
    for (uint32_t i = 0; i < n; i++)
        out[i] = (td_story_term){ t[i].id, t[i].w * inv };
    qsort(out, n, sizeof *out, by_id);
    return n;
}

static float dot(const td_story_term *a, uint32_t na, const td_story_term *b, uint32_t nb)
{
    double d = 0;
    uint32_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i].id == b[j].id)
            d += (double)a[i++].tf * b[j++].tf;
        else if (a[i].id < b[j].id)
            i++;
        else
            j++;
    }
    return (float)d;
}

/* False when a and b both carry names and the cosine of their name parts
 * is below name_min: the same words about other places and people. */
static bool names_agree(const td_story *s, const td_story_term *a, uint32_t na, const td_story_term *b, uint32_t nb)
{
    double d = 0, qa = 0, qb = 0;
    uint32_t i = 0, j = 0;
    for (uint32_t k = 0; k < na; k++)
        if (a[k].id & TD_STORY_NAME_BIT)
            qa += (double)a[k].tf * a[k].tf;
    for (uint32_t k = 0; k < nb; k++)
        if (b[k].id & TD_STORY_NAME_BIT)
            qb += (double)b[k].tf * b[k].tf;
    if (qa <= 0 || qb <= 0)
        return true;
    while (i < na && j < nb) {
        if (a[i].id == b[j].id) {
            if (a[i].id & TD_STORY_NAME_BIT)
                d += (double)a[i].tf * b[j].tf;
            i++;
            j++;
        } else if (a[i].id < b[j].id) {
            i++;
        } else {
            j++;
        }
    }
    return d / sqrt(qa * qb) >= s->o.name_min;
}

static float decay(const td_story *s, int32_t date, int32_t first, int32_t last)
{
    if (date < 0 || first < 0)
        return 1.0f;
    int32_t gap = date < first ? first - date : date > last ? date - last : 0;
    return expf(-(float)gap / s->o.decay_days);
}

static float norm_of(const td_story_term *t, uint32_t n)
{
    double nn = 0;
    for (uint32_t i = 0; i < n; i++)
        nn += (double)t[i].tf * t[i].tf;
    return (float)sqrt(nn);
}

/* ---- stories ---- */

static story *get(const td_story *s, uint32_t id)
{
    uint64_t *v = td_map_get(&s->ids, id);
    return v && *v ? &s->st[*v - 1] : NULL;
}

/* Follows merges from id to the story that holds its articles now. */
static uint32_t resolve(const td_story *s, uint32_t id)
{
    for (int hops = 0; hops < 64 && id; hops++) {
        if (get(s, id))
            return id;
        uint64_t *v = td_map_get(&s->merged, id);
        if (!v)
            return 0;
        id = (uint32_t)*v;
    }
    return 0;
}

static bool touch(td_story *s, story *x)
{
    if (x->run == s->run)
        return true;
    if (!grow((void **)&s->touched, &s->cap_touched, s->n_touched + 1, sizeof *s->touched))
        return false;
    s->touched[s->n_touched++] = x->id;
    x->run = s->run;
    return true;
}

/* Posts story x under its heaviest terms. Best effort: a failed allocation
 * only makes the story harder to find. */
static void post(td_story *s, story *x)
{
    uint32_t top[POST_TERMS], nt = 0;
    for (uint32_t i = 0; i < x->n_terms; i++) { /* insertion into a short sorted list */
        float w = x->terms[i].tf;
        if (nt == POST_TERMS && w <= x->terms[top[nt - 1]].tf)
            continue;
        uint32_t j = nt < POST_TERMS ? nt++ : nt - 1;
        while (j > 0 && x->terms[top[j - 1]].tf < w) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = i;
    }
    for (uint32_t k = 0; k < nt; k++) {
        uint64_t *v = td_map_upsert(&s->post_ix, x->terms[top[k]].id);
        if (!v)
            return;
        if (!*v) {
            if (!grow((void **)&s->post, &s->cap_post, s->n_post + 1, sizeof *s->post))
                return;
            memset(&s->post[s->n_post], 0, sizeof s->post[0]);
            *v = ++s->n_post;
        }
        posting *p = &s->post[*v - 1];
        bool have = false;
        for (uint32_t i = 0; i < POST && !have; i++)
            have = p->ids[i] == x->id;
        if (!have) {
            p->ids[p->pos] = x->id;
            p->pos = (p->pos + 1) % POST;
        }
    }
}

/* Adds vector v (n terms, sorted) times f to x's centroid and truncates. */
static void centroid_add(td_story *s, story *x, const td_story_term *v, uint32_t n, float f)
{
    uint32_t i = 0, j = 0, k = 0;
    td_story_term *w = s->work;
    while (i < x->n_terms || j < n) {
        if (j == n || (i < x->n_terms && x->terms[i].id < v[j].id))
            w[k++] = x->terms[i++];
        else if (i == x->n_terms || v[j].id < x->terms[i].id) {
            w[k] = v[j++];
            w[k++].tf *= f;
        } else {
            w[k] = x->terms[i++];
            w[k++].tf += f * v[j++].tf;
        }
    }
    /* drop what subtraction emptied */
    uint32_t m = 0;
    for (uint32_t q = 0; q < k; q++)
        if (w[q].tf > 1e-6f)
            w[m++] = w[q];
    k = m;
    if (k > TD_STORY_CENTROID_TERMS) {
        qsort(w, k, sizeof *w, by_weight_desc);
        k = TD_STORY_CENTROID_TERMS;
        qsort(w, k, sizeof *w, by_id);
    }
    memcpy(x->terms, w, k * sizeof *w);
    x->n_terms = k;
    x->norm = norm_of(x->terms, k);
}

static void set_title(story *x, td_str title, float sim)
{
    if (!title.len)
        return;
    char *t = td_strndup(title.p, title.len);
    if (!t)
        return; /* keep the old title */
    td_free(x->title);
    x->title = t;
    x->title_len = title.len;
    x->title_sim = sim;
}

static void span(story *x, int32_t date)
{
    if (date < 0)
        return;
    if (x->first < 0 || date < x->first)
        x->first = date;
    if (x->last < 0 || date > x->last)
        x->last = date;
}

static story *story_new(td_story *s, uint32_t id)
{
    uint32_t slot;
    if (s->free_st) {
        slot = s->free_st - 1;
        s->free_st = s->st[slot].articles;
    } else {
        if (!grow((void **)&s->st, &s->cap_st, s->n_st + 1, sizeof *s->st))
            return NULL;
        slot = s->n_st;
        memset(&s->st[slot], 0, sizeof s->st[slot]);
    }
    story *x = &s->st[slot];
    if (!x->terms)
        x->terms = td_malloc((TD_STORY_CENTROID_TERMS + TD_STORY_DOC_TERMS) * sizeof *x->terms);
    uint64_t *v = x->terms ? td_map_upsert(&s->ids, id) : NULL;
    if (!v) {
        if (slot == s->n_st) { /* keep the slot for later */
            s->n_st++;
            x->id = 0;
            x->articles = s->free_st;
            s->free_st = slot + 1;
        }
        return NULL;
    }
    if (slot == s->n_st)
        s->n_st++;
    *v = slot + 1;
    td_story_term *terms = x->terms;
    *x = (story){ .id = id, .first = -1, .last = -1, .terms = terms };
    s->live++;
    return x;
}

static void story_drop(td_story *s, story *x)
{
    uint64_t *v = td_map_get(&s->ids, x->id);
    if (v)
        *v = 0;
    td_free(x->title);
    x->title = NULL;
    x->id = 0;
    x->n_terms = 0;
    x->articles = s->free_st;
    s->free_st = (uint32_t)(x - s->st) + 1;
    s->live--;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Drops stories idle for more than horizon_days, then the least recently
 * updated beyond max_stories. Runs every live/2 + 4096 adds: amortised O(1). */
static void sweep(td_story *s)
{
    s->since_sweep = 0;
    for (uint32_t i = 0; i < s->n_st; i++) {
        story *x = &s->st[i];
        if (x->id && x->run != s->run && s->clock >= 0 && x->last >= 0 &&
            (uint32_t)(s->clock - x->last) > s->o.horizon_days) {
            story_drop(s, x);
            s->stats.evicted++;
        }
    }
    if (s->live <= s->o.max_stories)
        return;
    uint64_t *seqs = td_malloc((size_t)s->live * sizeof *seqs);
    if (!seqs)
        return;
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n_st; i++)
        if (s->st[i].id)
            seqs[n++] = s->st[i].last_seq;
    qsort(seqs, n, sizeof *seqs, u64_cmp);
    uint64_t cut = seqs[n - s->o.max_stories];
    td_free(seqs);
    for (uint32_t i = 0; i < s->n_st; i++) {
        story *x = &s->st[i];
        if (x->id && x->last_seq < cut && x->run != s->run) {
            story_drop(s, x);
            s->stats.evicted++;
        }
    }
}

typedef struct cand_t {
    uint32_t id, hits;   /* story, lookup terms under which it was posted */
} cand_t;

/* Best story for vector v (n terms) dated date, or NULL; *sim gets its score. */
static story *best_story(td_story *s, const td_story_term *v, uint32_t n, int32_t date, uint32_t exclude,
                         float *sim)
{
    /* the heaviest terms of v */
    td_story_term top[TD_STORY_DOC_TERMS];
    memcpy(top, v, n * sizeof *v);
    qsort(top, n, sizeof *top, by_weight_desc);
    cand_t cand[MAX_CANDS];
    uint32_t nc = 0;
    for (uint32_t k = 0; k < n && k < LOOKUP_TERMS; k++) {
        uint64_t *pv = td_map_get(&s->post_ix, top[k].id);
        if (!pv || !*pv)
            continue;
        const posting *p = &s->post[*pv - 1];
        for (uint32_t i = 0; i < POST; i++) {
            uint32_t id = p->ids[i];
            if (!id || id == exclude)
                continue;
            uint32_t j = 0;
            while (j < nc && cand[j].id != id)
                j++;
            if (j == nc)
                cand[nc++] = (cand_t){ id, 0 };
            cand[j].hits++;
        }
    }
    /* score only the SCORED candidates sharing most heavy terms: bounded work */
    if (nc > SCORED) {
        for (uint32_t i = 0; i < SCORED; i++) { /* partial selection sort */
            uint32_t m = i;
            for (uint32_t j = i + 1; j < nc; j++)
                if (cand[j].hits > cand[m].hits || (cand[j].hits == cand[m].hits && cand[j].id < cand[m].id))
                    m = j;
            cand_t t = cand[i];
            cand[i] = cand[m];
            cand[m] = t;
        }
        nc = SCORED;
    }
    story *best = NULL;
    float bs = 0;
    for (uint32_t i = 0; i < nc; i++) {
        story *x = get(s, cand[i].id);
        if (!x || x->norm <= 0)
            continue;
        float c = dot(v, n, x->terms, x->n_terms) / x->norm * decay(s, date, x->first, x->last);
        if (c > bs || (c == bs && best && x->id < best->id)) {
            if (!names_agree(s, v, n, x->terms, x->n_terms))
                continue; /* checked last: only for a would-be best */
            bs = c;
            best = x;
        }
    }
    *sim = bs;
    return best;
}

static bool key_put(td_story *s, int64_t key, uint32_t id)
{
    td_map *m = &s->keys[s->keys_cur];
    if (m->n >= s->o.run_max) {
        s->keys_cur ^= 1;
        m = &s->keys[s->keys_cur];
        td_map_clear(m);
    }
    uint64_t *v = td_map_upsert(m, (uint64_t)key);
    if (!v)
        return false;
    *v = id;
    return true;
}

static uint32_t key_get(const td_story *s, int64_t key)
{
    uint64_t *v = td_map_get(&s->keys[s->keys_cur], (uint64_t)key);
    if (!v)
        v = td_map_get(&s->keys[s->keys_cur ^ 1], (uint64_t)key);
    return v ? (uint32_t)*v : 0;
}

/* Makes room in the log for one more article of up to LOG_TERMS terms;
 * false when the log is full or on ENOMEM (the article is then not logged,
 * which only skips its re-assignment). */
static bool log_reserve(td_story *s, size_t title_len)
{
    return s->n_log < s->o.run_max && grow((void **)&s->log, &s->cap_log, s->n_log + 1, sizeof *s->log) &&
           growz((void **)&s->log_terms, &s->cap_log_terms, s->n_log_terms + LOG_TERMS, sizeof *s->log_terms) &&
           growz((void **)&s->log_chars, &s->cap_log_chars, s->n_log_chars + title_len, 1);
}

/* Logs doc with the n raw terms already written at log_terms + n_log_terms. */
static void log_doc(td_story *s, const td_story_doc *d, story *x, uint32_t n)
{
    size_t tl = d->title.len > 300 ? 300 : d->title.len;
    if (tl)
        memcpy(s->log_chars + s->n_log_chars, d->title.p, tl);
    s->log[s->n_log++] = (logged){ d->key, d->duplicate_of, d->date, x->id, (uint32_t)s->n_log_terms, n,
                                   (uint32_t)s->n_log_chars, (uint32_t)tl };
    s->n_log_terms += n;
    s->n_log_chars += tl;
    x->logged++;
}

/* ---- API ---- */

td_status td_story_add(td_story *s, const td_story_doc *d, td_story_assign *out)
{
    if (!s || !d || !out || d->key == 0)
        return TD_EINVAL;
    if (s->spent) {
        s->n_touched = 0;
        s->spent = false;
    }
    if (d->date >= 0 && d->date > s->clock)
        s->clock = d->date;
    if (++s->since_sweep > s->live / 2 + 4096)
        sweep(s);
    s->seq++;
    td_story_assign a = { 0, false, 0 };

    /* copies join their original's story and leave centroid and df alone */
    s->n_last = 0;
    uint32_t orig = 0;
    if (d->duplicate_of)
        orig = resolve(s, key_get(s, d->duplicate_of));
    if (!orig && d->dup_story)
        orig = resolve(s, d->dup_story);
    if (orig) {
        story *x = get(s, orig);
        if (!touch(s, x) || !key_put(s, d->key, x->id))
            return TD_ENOMEM;
        x->articles++;
        x->last_seq = s->seq;
        span(x, d->date);
        a.story = x->id;
        a.similarity = 1;
        if (log_reserve(s, d->title.len > 300 ? 300 : d->title.len))
            log_doc(s, d, x, 0);
        s->stats.added++;
        s->stats.joined++;
        *out = a;
        return TD_OK;
    }

    td_story_term *raw;
    uint32_t n = td_story_feat_extract(s->feat, d->title, d->body, s->o.title_weight, s->o.name_weight, &raw);
    if (n == (uint32_t)-1)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < d->n_features && n < MAX_RAW; i++)
        raw[n++] = (td_story_term){ (d->features[i] ^ 0x656e746974790000ULL) | TD_STORY_NAME_BIT, s->o.name_weight };
    for (uint32_t i = 0; i < n; i++) {
        uint64_t *v = td_map_upsert(&s->df, raw[i].id);
        if (!v)
            return TD_ENOMEM;
        (*v)++;
        s->last_ids[i] = raw[i].id;
    }
    s->n_last = n;
    s->n_docs++;
    bool logging = log_reserve(s, d->title.len > 300 ? 300 : d->title.len);
    uint32_t n_keep = 0;
    uint32_t nv = weigh(s, raw, n, s->vec, logging ? s->log_terms + s->n_log_terms : NULL, &n_keep);
    float sim = 0;
    story *x = nv ? best_story(s, s->vec, nv, d->date, 0, &sim) : NULL;
    if (!x || sim < s->o.join_min) {
        x = story_new(s, s->next_id);
        if (!x)
            return TD_ENOMEM;
        s->next_id++;
        a.created = true;
        s->stats.created++;
        sim = 0;
    } else {
        s->stats.joined++;
    }
    if (!touch(s, x) || !key_put(s, d->key, x->id))
        return TD_ENOMEM; /* a created story stays, empty of this article: harmless */
    centroid_add(s, x, s->vec, nv, 1.0f);
    x->articles++;
    x->last_seq = s->seq;
    span(x, d->date);
    float ts = x->norm > 0 ? dot(s->vec, nv, x->terms, x->n_terms) / x->norm : 0;
    if (!x->title || ts > x->title_sim)
        set_title(x, d->title, ts);
    post(s, x);
    if (logging)
        log_doc(s, d, x, n_keep);
    a.story = x->id;
    a.similarity = sim;
    s->stats.added++;
    *out = a;
    return TD_OK;
}

td_status td_story_relog(td_story *s, const td_story_doc *d, uint32_t story_id)
{
    if (!s || !d || d->key == 0 || !story_id)
        return TD_EINVAL;
    if (s->spent) {
        s->n_touched = 0;
        s->spent = false;
    }
    if (d->date >= 0 && d->date > s->clock)
        s->clock = d->date;
    story *x = get(s, resolve(s, story_id));
    if (!x)
        return TD_ENOTFOUND;
    s->seq++;
    if (!touch(s, x) || !key_put(s, d->key, x->id))
        return TD_ENOMEM;
    if (d->duplicate_of) {
        if (log_reserve(s, d->title.len > 300 ? 300 : d->title.len))
            log_doc(s, d, x, 0);
        return TD_OK;
    }
    td_story_term *raw;
    uint32_t n = td_story_feat_extract(s->feat, d->title, d->body, s->o.title_weight, s->o.name_weight, &raw);
    if (n == (uint32_t)-1)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < d->n_features && n < MAX_RAW; i++)
        raw[n++] = (td_story_term){ (d->features[i] ^ 0x656e746974790000ULL) | TD_STORY_NAME_BIT, s->o.name_weight };
    for (uint32_t i = 0; i < n; i++) {
        uint64_t *v = td_map_upsert(&s->df, raw[i].id);
        if (!v)
            return TD_ENOMEM;
        (*v)++;
    }
    s->n_docs++;
    if (!log_reserve(s, d->title.len > 300 ? 300 : d->title.len))
        return TD_OK;
    uint32_t n_keep = 0;
    weigh(s, raw, n, s->vec, s->log_terms + s->n_log_terms, &n_keep);
    log_doc(s, d, x, n_keep);
    return TD_OK;
}

/* ---- finish: consolidation ---- */

static bool push_merge(td_story *s, uint32_t from, uint32_t into)
{
    if (!grow((void **)&s->merges, &s->cap_merges, s->n_merges + 1, sizeof *s->merges))
        return false;
    s->merges[s->n_merges++] = (td_story_merge){ from, into };
    return true;
}

static bool push_move(td_story *s, int64_t key, uint32_t from, uint32_t to)
{
    if (!grow((void **)&s->moves, &s->cap_moves, s->n_moves + 1, sizeof *s->moves))
        return false;
    s->moves[s->n_moves++] = (td_story_move){ key, from, to };
    return true;
}

/* Recomputes the vector of logged article l with the current IDF. */
static uint32_t log_vec(td_story *s, const logged *l, td_story_term *out)
{
    return weigh(s, s->log_terms + l->off, l->n, out, NULL, NULL);
}

/* Rebuilds the centroids of stories whose every article is in the log, with
 * the IDF of the whole run: what an article saw when it came early in the
 * run no longer matters. */
static void rebuild(td_story *s)
{
    for (uint32_t i = 0; i < s->n_touched; i++) {
        story *x = get(s, s->touched[i]);
        if (x && x->logged == x->articles)
            x->n_terms = 0;
    }
    td_story_term v[TD_STORY_DOC_TERMS];
    for (uint32_t i = 0; i < s->n_log; i++) {
        const logged *l = &s->log[i];
        story *x = get(s, l->story);
        if (!x || x->logged != x->articles || !l->n)
            continue;
        uint32_t n = log_vec(s, l, v);
        centroid_add(s, x, v, n, 1.0f);
    }
    for (uint32_t i = 0; i < s->n_touched; i++) {
        story *x = get(s, s->touched[i]);
        if (x && x->logged == x->articles)
            post(s, x);
    }
}

/* Moves everything of story b into story a (a is kept). */
static bool merge_into(td_story *s, story *a, story *b)
{
    if (!push_merge(s, b->id, a->id))
        return false;
    uint64_t *v = td_map_upsert(&s->merged, b->id);
    if (!v)
        return false;
    *v = a->id;
    centroid_add(s, a, b->terms, b->n_terms, 1.0f);
    a->articles += b->articles;
    a->logged += b->logged;
    if (b->first >= 0)
        span(a, b->first);
    if (b->last >= 0)
        span(a, b->last);
    if (b->last_seq > a->last_seq)
        a->last_seq = b->last_seq;
    for (uint32_t i = 0; i < s->n_log; i++)
        if (s->log[i].story == b->id)
            s->log[i].story = a->id;
    if (b->articles > a->articles - b->articles && b->title) { /* the bigger side names it */
        td_free(a->title);
        a->title = b->title;
        a->title_len = b->title_len;
        a->title_sim = b->title_sim;
        b->title = NULL;
    }
    story_drop(s, b);
    post(s, a);
    return true;
}

/* Similarity of two stories: cosine of centroids times the decay of the
 * gap between their spans. */
static float story_sim(const td_story *s, const story *a, const story *b)
{
    if (a->norm <= 0 || b->norm <= 0 || !names_agree(s, a->terms, a->n_terms, b->terms, b->n_terms))
        return 0;
    float c = dot(a->terms, a->n_terms, b->terms, b->n_terms) / (a->norm * b->norm);
    int32_t gap = 0;
    if (a->first >= 0 && b->first >= 0)
        gap = a->last < b->first ? b->first - a->last : b->last < a->first ? a->first - b->last : 0;
    return c * expf(-(float)gap / s->o.decay_days);
}

/* Merges touched stories with their close neighbours, older id kept. */
static bool merge_pass(td_story *s)
{
    for (uint32_t i = 0; i < s->n_touched; i++) {
        story *x = get(s, s->touched[i]);
        if (!x || !x->n_terms)
            continue;
        for (;;) {
            /* candidates: stories posted under x's heaviest terms */
            td_story_term top[TD_STORY_CENTROID_TERMS];
            memcpy(top, x->terms, x->n_terms * sizeof *top);
            qsort(top, x->n_terms, sizeof *top, by_weight_desc);
            story *best = NULL;
            float bs = 0;
            for (uint32_t k = 0; k < x->n_terms && k < POST_TERMS; k++) {
                uint64_t *pv = td_map_get(&s->post_ix, top[k].id);
                if (!pv || !*pv)
                    continue;
                for (uint32_t q = 0; q < POST; q++) {
                    story *y = get(s, s->post[*pv - 1].ids[q]);
                    if (!y || y == x)
                        continue;
                    float c = story_sim(s, x, y);
                    if (c > bs || (c == bs && best && y->id < best->id)) {
                        bs = c;
                        best = y;
                    }
                }
            }
            if (!best || bs < s->o.merge_min)
                break;
            story *keep = best->id < x->id ? best : x, *gone = keep == x ? best : x;
            if (!touch(s, keep) || !merge_into(s, keep, gone))
                return false;
            x = keep;
        }
    }
    return true;
}

/* Moves logged originals to a clearly better story; copies follow. */
static bool reassign_pass(td_story *s)
{
    td_story_term v[TD_STORY_DOC_TERMS];
    const float margin = 0.05f;
    uint32_t first_move = s->n_moves;
    for (uint32_t i = 0; i < s->n_log; i++) {
        logged *l = &s->log[i];
        if (!l->n || l->dup_of)
            continue;
        story *cur = get(s, l->story);
        if (!cur)
            continue;
        uint32_t n = log_vec(s, l, v);
        /* an article alone in its story is judged as if it were new: stories
         * that formed after it arrived may now be close enough to join, as
         * they would have been had they come first */
        float cs = cur->articles <= 1 ? 0
                   : cur->norm > 0    ? dot(v, n, cur->terms, cur->n_terms) / cur->norm *
                                         decay(s, l->date, cur->first, cur->last)
                                      : 0;
        float bs;
        story *b = best_story(s, v, n, l->date, cur->id, &bs);
        if (!b || bs < s->o.join_min || bs < cs + margin)
            continue;
        centroid_add(s, cur, v, n, -1.0f);
        centroid_add(s, b, v, n, 1.0f);
        cur->articles--;
        cur->logged--;
        b->articles++;
        b->logged++;
        span(b, l->date);
        if (!touch(s, b) || !push_move(s, l->key, cur->id, b->id) || !key_put(s, l->key, b->id))
            return false;
        l->story = b->id;
    }
    /* copies follow their original */
    for (uint32_t i = 0; i < s->n_log && s->n_moves > first_move; i++) {
        logged *l = &s->log[i];
        if (!l->dup_of)
            continue;
        uint32_t to = resolve(s, key_get(s, l->dup_of));
        story *cur = get(s, l->story), *b = get(s, to);
        if (!b || !cur || b == cur)
            continue;
        cur->articles--;
        cur->logged--;
        b->articles++;
        b->logged++;
        if (!push_move(s, l->key, cur->id, b->id) || !key_put(s, l->key, b->id))
            return false;
        l->story = b->id;
    }
    /* a story emptied by the moves is gone (its articles are all elsewhere) */
    for (uint32_t i = 0; i < s->n_touched; i++) {
        story *x = get(s, s->touched[i]);
        if (x && x->articles == 0)
            story_drop(s, x);
    }
    return true;
}

/* Re-picks the title of each touched story among its logged articles. */
static void titles(td_story *s)
{
    td_story_term v[TD_STORY_DOC_TERMS];
    for (uint32_t i = 0; i < s->n_log; i++) {
        const logged *l = &s->log[i];
        story *x = get(s, l->story);
        if (!x || !l->n || !l->tlen || x->norm <= 0)
            continue;
        if (x->run != s->run + 1) { /* first logged article seen: forget the online pick */
            x->run = s->run + 1;
            if (x->logged == x->articles)
                x->title_sim = -1;
        }
        uint32_t n = log_vec(s, l, v);
        float c = dot(v, n, x->terms, x->n_terms) / x->norm;
        if (c > x->title_sim)
            set_title(x, td_str_make(s->log_chars + l->toff, l->tlen), c);
    }
    for (uint32_t i = 0; i < s->n_touched; i++) {
        story *x = get(s, s->touched[i]);
        if (x)
            x->run = s->run;
    }
}

td_status td_story_finish(td_story *s, td_story_changes *out)
{
    if (!s || !out)
        return TD_EINVAL;
    if (s->spent) {
        s->n_touched = 0;
        s->spent = false;
    }
    s->n_merges = s->n_moves = 0;
    rebuild(s);
    if (!merge_pass(s) || !reassign_pass(s))
        return TD_ENOMEM;
    titles(s);
    /* the touched list keeps only stories still held */
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->n_touched; i++)
        if (get(s, s->touched[i]))
            s->touched[k++] = s->touched[i];
    s->n_touched = k;
    *out = (td_story_changes){ s->merges, s->n_merges, s->moves, s->n_moves, s->touched, s->n_touched };
    /* a new run starts: the log and the touched marks are spent */
    for (uint32_t i = 0; i < s->n_st; i++)
        s->st[i].logged = 0;
    s->n_log = 0;
    s->n_log_terms = 0;
    s->n_log_chars = 0;
    s->run++;
    s->spent = true;
    return TD_OK;
}

td_status td_story_get(const td_story *s, uint32_t id, td_story_info *out)
{
    story *x = get(s, id);
    if (!x)
        return TD_ENOTFOUND;
    *out = (td_story_info){ x->id, td_str_make(x->title ? x->title : "", x->title_len), x->first, x->last,
                            x->articles, x->title_sim };
    return TD_OK;
}

uint32_t td_story_centroid(const td_story *s, uint32_t id, const td_story_term **out)
{
    story *x = get(s, id);
    if (!x)
        return 0;
    *out = x->terms;
    return x->n_terms;
}

uint32_t td_story_last_terms(const td_story *s, const uint64_t **ids)
{
    *ids = s->last_ids;
    return s->n_last;
}

td_status td_story_df_add(td_story *s, uint64_t term, uint64_t n)
{
    uint64_t *v = td_map_upsert(&s->df, term);
    if (!v)
        return TD_ENOMEM;
    *v += n;
    return TD_OK;
}

void td_story_docs_add(td_story *s, uint64_t n) { s->n_docs += n; }

td_status td_story_restore(td_story *s, const td_story_info *info, const td_story_term *centroid, uint32_t n)
{
    if (!s || !info || !info->id || (n && !centroid))
        return TD_EINVAL;
    if (get(s, info->id))
        return TD_OK;
    story *x = story_new(s, info->id);
    if (!x)
        return TD_ENOMEM;
    if (n > TD_STORY_CENTROID_TERMS)
        n = TD_STORY_CENTROID_TERMS;
    memcpy(x->terms, centroid, n * sizeof *centroid);
    qsort(x->terms, n, sizeof *x->terms, by_id);
    x->n_terms = n;
    x->norm = norm_of(x->terms, n);
    x->first = info->first_seen;
    x->last = info->last_seen;
    x->articles = info->articles ? info->articles : 1;
    x->run = 0;
    set_title(x, info->title, info->title_sim);
    post(s, x);
    if (info->id >= s->next_id)
        s->next_id = info->id + 1;
    if (info->last_seen > s->clock)
        s->clock = info->last_seen;
    return TD_OK;
}

void td_story_get_stats(const td_story *s, td_story_stats *st)
{
    *st = s->stats;
    st->live = s->live;
    size_t b = sizeof *s + (size_t)s->cap_st * sizeof(story) + (size_t)s->cap_post * sizeof(posting) +
               (s->ids.cap + s->merged.cap + s->post_ix.cap + s->df.cap + s->keys[0].cap + s->keys[1].cap) * 16 +
               (size_t)s->cap_log * sizeof(logged) + s->cap_log_terms * sizeof(td_story_term) + s->cap_log_chars;
    for (uint32_t i = 0; i < s->n_st; i++)
        if (s->st[i].terms)
            b += (TD_STORY_CENTROID_TERMS + TD_STORY_DOC_TERMS) * sizeof(td_story_term) + s->st[i].title_len;
    st->bytes = b;
}
