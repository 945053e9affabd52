/*
 * dedup.c - the near-duplicate index of dedup.h: a ring of generations, each
 * with an exact-hash table, one LSH table shared by the generations, and the
 * clusters of copies.
 *
 * Data structure:
 *   gen.ent[i]      key, date, ingest sequence, cluster, shingle count
 *   gen.sig         n x TD_DEDUP_K 16-bit MinHash bins
 *   gen.exact       open addressing, slot = {exact hash, idx + 1}
 *   lsh             open addressing with linear probing from the start of a
 *                   64-byte line, slot = {check, generation << 26 | idx + 1};
 *                   one slot per (band, entry) unless the band value already
 *                   holds bucket_cap entries of this generation
 *   clusters[c]     root key, root date and sequence, live entries
 *
 * Invariants: the LSH table is at most 70% full, the exact tables half full;
 * an entry id is (generation slot, index) and is valid until its generation
 * is dropped, when its LSH slots are deleted (backward shift, no
 * tombstones); a cluster lives while it has live entries. The cost of one
 * add is at most generations + TD_DEDUP_BANDS probe runs plus
 * generations x TD_DEDUP_BANDS x bucket_cap signature comparisons, plus
 * the deletion of one evicted entry on average, whatever the number of
 * entries held; thousands of copies of one story fill bucket_cap slots a
 * generation and no more.
 */
#include "dedup/dedup.h"
#include "base/alloc.h"
#include "base/map.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct entry {
    int64_t key;
    uint64_t seq;            /* ingest order */
    int32_t date;            /* -1 unknown */
    uint32_t cluster;        /* index into ix->clusters */
    uint32_t n_shingles;
    bool in_lsh;             /* its bands were offered to the LSH table */
} entry;

/* An LSH slot names its entry by generation (ring slot) and index. */
enum { REF_BITS = 26 };
#define REF_IDX_MAX ((1u << REF_BITS) - 2)

typedef struct slot {
    uint32_t check;          /* high bits of the band key */
    uint32_t ref;            /* generation << REF_BITS | (index + 1); 0 = empty */
} slot;

static inline uint32_t ref_make(uint32_t gs, uint32_t idx)
{
    return gs << REF_BITS | (idx + 1);
}

typedef struct xslot {
    uint64_t hash;
    uint32_t idx1;
    uint32_t pad;
} xslot;

typedef struct gen {
    entry *ent;
    uint16_t *sig;
    uint32_t n, cap;
    xslot *exact;
    uint32_t exact_cap, exact_n;
    int32_t t0;              /* clock when the generation opened, -1 unknown */
} gen;

/* Clusters form a union-find forest: when an article is a copy of entries
 * of several clusters, they merge (the earliest root wins) without
 * relabelling their entries. A record is freed once no entry and no merged
 * record points at it. */
typedef struct cluster {
    int64_t root;            /* meaningful on a forest root only */
    uint64_t root_seq;       /* when free: next free record + 1 */
    int32_t root_date;
    uint32_t live;           /* entries pointing here directly */
    uint32_t parent;         /* itself when a forest root */
    uint32_t children;       /* records merged into this one */
    uint32_t root_gen;       /* the root's entry: gens[root_gen].ent[root_idx] while */
    uint32_t root_idx;       /* its key and seq still match; root_gen UINT32_MAX unknown */
} cluster;

struct td_dedup {
    td_dedup_opts o;
    gen *gens;               /* ring of o.generations */
    uint32_t head;           /* newest generation */
    uint32_t n_gens;         /* generations in use */
    uint32_t gen_max;        /* entries per generation */
    uint32_t span;           /* days per generation */
    slot *lsh;               /* one LSH table for every generation, 64-byte aligned inside lsh_mem */
    void *lsh_mem;
    uint32_t lsh_cap, lsh_n; /* lsh_cap a power of two */
    int32_t clock;           /* newest known date, -1 none */
    uint64_t seq;
    cluster *clusters;
    uint32_t n_clusters, cap_clusters;
    uint32_t free_cluster;   /* head of the free list + 1; 0 = none */
    td_map roots;            /* root key -> cluster + 1, filled by restore only (checked on use) */
    td_dedup_stats st;
};

static inline uint64_t mix64(uint64_t k)
{
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return k;
}

static uint64_t band_key(const uint16_t *sig, uint32_t b)
{
    const uint32_t r = TD_DEDUP_BAND_ROWS;
    uint64_t k = (uint64_t)b << 48;
    for (uint32_t i = 0; i < r; i++)
        k ^= (uint64_t)sig[b * r + i] << (16 * i);
    return mix64(k);
}

/* ---- options and lifecycle ---- */

static void defaults(td_dedup_opts *o)
{
    if (!o->window_days)
        o->window_days = 30;
    if (!o->generations)
        o->generations = 4;
    if (o->generations > 64)
        o->generations = 64;
    if (!o->max_entries)
        o->max_entries = 4000000;
    if (o->max_entries < o->generations)
        o->max_entries = o->generations;
    if (!o->bucket_cap)
        o->bucket_cap = 8;
    if (!o->min_tokens)
        o->min_tokens = 8;
    if (o->jaccard_min <= 0)
        o->jaccard_min = 0.5f;
    if (o->containment_min <= 0)
        o->containment_min = 0.7f;
    if (o->jaccard_floor <= 0)
        o->jaccard_floor = 0.15f;
    if (o->verify_margin <= 0)
        o->verify_margin = 0.12f;
    if (!o->verify_max)
        o->verify_max = 4;
}

td_status td_dedup_new(const td_dedup_opts *opts, td_dedup **out)
{
    td_dedup *ix = td_calloc(1, sizeof *ix);
    if (!ix)
        return TD_ENOMEM;
    if (opts)
        ix->o = *opts;
    defaults(&ix->o);
    ix->gens = td_calloc(ix->o.generations, sizeof *ix->gens);
    if (!ix->gens) {
        td_free(ix);
        return TD_ENOMEM;
    }
    ix->gen_max = ix->o.max_entries / ix->o.generations;
    if (ix->gen_max > REF_IDX_MAX)
        ix->gen_max = REF_IDX_MAX; /* an LSH slot holds 26 bits of index */
    ix->span = (ix->o.window_days + ix->o.generations - 1) / ix->o.generations;
    ix->clock = -1;
    ix->n_gens = 1;
    ix->gens[0].t0 = -1;
    *out = ix;
    return TD_OK;
}

static void gen_release(gen *g)
{
    td_free(g->ent);
    td_free(g->sig);
    td_free(g->exact);
    memset(g, 0, sizeof *g);
}

void td_dedup_free(td_dedup *ix)
{
    if (!ix)
        return;
    for (uint32_t i = 0; i < ix->o.generations; i++)
        gen_release(&ix->gens[i]);
    td_free(ix->gens);
    td_free(ix->lsh_mem);
    td_free(ix->clusters);
    td_map_free(&ix->roots);
    td_free(ix);
}

void td_dedup_freep(td_dedup **ixp)
{
    td_dedup_free(*ixp);
    *ixp = NULL;
}

/* ---- generations ---- */

static gen *gen_at(td_dedup *ix, uint32_t age)
{
    uint32_t G = ix->o.generations;
    return &ix->gens[(ix->head + G - age) % G];
}

static uint32_t find(const td_dedup *ix, uint32_t c)
{
    while (ix->clusters[c].parent != c)
        c = ix->clusters[c].parent;
    return c;
}

/* Frees c and then its parents while nothing points at them. */
static void cluster_release(td_dedup *ix, uint32_t c)
{
    for (;;) {
        cluster *cl = &ix->clusters[c];
        if (cl->live || cl->children)
            return;
        uint32_t p = cl->parent;
        cl->root_seq = ix->free_cluster;
        cl->parent = UINT32_MAX; /* marks a free record */
        ix->free_cluster = c + 1;
        if (p == c)
            return;
        ix->clusters[p].children--;
        c = p;
    }
}

static void cluster_unref(td_dedup *ix, uint32_t c)
{
    if (ix->clusters[c].live) {
        ix->clusters[c].live--;
        cluster_release(ix, c);
    }
}

static bool lsh_grow(td_dedup *ix);
static void lsh_drop(td_dedup *ix, uint32_t gs, uint32_t idx, const uint16_t *sig);

/* Faults the pages of fresh memory [p, p + len) in one call. The index
 * touches every page of a table it has just grown; one page fault at a time
 * cost 10-47 us a page on the virtual machine of the benchmarks (a quarter
 * of the time of an add at 100k articles), a bulk populate about 2 us. Best
 * effort: kernels before 5.14 fault as before. */
static void prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    enum { PAGE = 4096 };
    if (len < 16 * PAGE)
        return;
    uintptr_t a = ((uintptr_t)p + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
    uintptr_t b = ((uintptr_t)p + len) & ~(uintptr_t)(PAGE - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)len;
#endif
}

/* Opens a new generation, dropping the oldest when the ring is full: its
 * entries leave the LSH table and its arrays are kept for reuse, so memory
 * stays flat. */
static void rotate(td_dedup *ix)
{
    uint32_t G = ix->o.generations;
    uint32_t next = (ix->head + 1) % G;
    gen *g = &ix->gens[next];
    if (ix->n_gens == G) {
        for (uint32_t i = 0; i < g->n; i++) {
            cluster_unref(ix, g->ent[i].cluster);
            if (g->ent[i].in_lsh)
                lsh_drop(ix, next, i, g->sig + (size_t)i * TD_DEDUP_K);
        }
        ix->st.evicted += g->n;
        ix->st.held -= g->n;
        g->n = 0;
        if (g->exact)
            memset(g->exact, 0, (size_t)g->exact_cap * sizeof *g->exact);
        g->exact_n = 0;
        /* stale root entries are checked on use; clearing keeps the map
         * bounded by what was restored since */
        if (ix->roots.n > 2 * (size_t)ix->st.held + 1024)
            td_map_clear(&ix->roots);
    } else {
        ix->n_gens++;
    }
    g->t0 = ix->clock;
    ix->head = next;
}

/* Advances the clock with date and rotates when the newest generation is
 * full or spans more than its days. */
static void tick(td_dedup *ix, int32_t date)
{
    if (date >= 0 && date > ix->clock)
        ix->clock = date;
    gen *g = gen_at(ix, 0);
    if (g->t0 < 0 && ix->clock >= 0 && g->n == 0)
        g->t0 = ix->clock;
    bool full = g->n >= ix->gen_max;
    bool old = g->t0 >= 0 && ix->clock >= 0 && (uint32_t)(ix->clock - g->t0) >= ix->span;
    if (full || old)
        rotate(ix);
    g = gen_at(ix, 0);
    if (g->t0 < 0)
        g->t0 = ix->clock;
}

/* The slot of a band key is chosen by the high half, which the slot keeps
 * as its check: the table can double without recomputing band keys. A run
 * starts at the first slot of a 64-byte line (the table is aligned), so
 * a lookup is mostly one cache line, the one prefetched: from a random slot
 * of the line, most runs crossed into the next line (measured at 1M
 * articles: a third of the lookup time waited on that second line). */
enum { LSH_LINE = 64 / sizeof(slot) };
static inline uint32_t lsh_pos(uint32_t check, uint32_t cap)
{
    return (check ^ (check >> 17)) & (cap - 1) & ~(uint32_t)(LSH_LINE - 1);
}

static bool lsh_grow(td_dedup *ix)
{
    uint32_t cap = ix->lsh_cap ? ix->lsh_cap * 2 : 1u << 14;
    void *mem = td_calloc(cap + LSH_LINE, sizeof(slot));
    if (!mem)
        return false;
    slot *t = (slot *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
    prefault(mem, (size_t)(cap + LSH_LINE) * sizeof(slot));
    for (uint32_t i = 0; i < ix->lsh_cap; i++) {
        if (!ix->lsh[i].ref)
            continue;
        uint32_t j = lsh_pos(ix->lsh[i].check, cap);
        while (t[j].ref)
            j = (j + 1) & (cap - 1);
        t[j] = ix->lsh[i];
    }
    td_free(ix->lsh_mem);
    ix->lsh_mem = mem;
    ix->lsh = t;
    ix->lsh_cap = cap;
    return true;
}

/* Removes the slots of entry (gs, idx), whose signature is sig, from the
 * LSH table. Backward-shift deletion: each later slot of the run that may
 * sit earlier moves up, so there are no tombstones and runs stay short. */
static void lsh_drop(td_dedup *ix, uint32_t gs, uint32_t idx, const uint16_t *sig)
{
    if (!ix->lsh_cap)
        return;
    uint32_t ref = ref_make(gs, idx), mask = ix->lsh_cap - 1, checks[TD_DEDUP_BANDS];
    slot *t = ix->lsh;
    for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++) {
        checks[b] = (uint32_t)(band_key(sig, b) >> 32);
        __builtin_prefetch(&t[lsh_pos(checks[b], ix->lsh_cap)]);
    }
    for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++) {
        uint32_t h = lsh_pos(checks[b], ix->lsh_cap);
        while (t[h].ref && (t[h].ref != ref || t[h].check != checks[b]))
            h = (h + 1) & mask;
        if (!t[h].ref)
            continue; /* not inserted: its bucket was full */
        for (uint32_t j = (h + 1) & mask; t[j].ref; j = (j + 1) & mask) {
            uint32_t home = lsh_pos(t[j].check, ix->lsh_cap);
            if (((j - home) & mask) >= ((j - h) & mask)) { /* h lies between its home and j */
                t[h] = t[j];
                h = j;
            }
        }
        t[h] = (slot){ 0, 0 };
        ix->lsh_n--;
    }
}

static bool exact_grow(gen *g)
{
    uint32_t cap = g->exact_cap ? g->exact_cap * 2 : 256;
    xslot *t = td_calloc(cap, sizeof *t);
    if (!t)
        return false;
    prefault(t, (size_t)cap * sizeof *t);
    for (uint32_t i = 0; i < g->exact_cap; i++) {
        if (!g->exact[i].idx1)
            continue;
        uint32_t j = (uint32_t)mix64(g->exact[i].hash) & (cap - 1);
        while (t[j].idx1)
            j = (j + 1) & (cap - 1);
        t[j] = g->exact[i];
    }
    td_free(g->exact);
    g->exact = t;
    g->exact_cap = cap;
    return true;
}

/* Makes room for one more entry in g; false on ENOMEM (g unchanged). */
static bool gen_reserve(td_dedup *ix, gen *g)
{
    if (g->n == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 256;
        entry *e = td_realloc(g->ent, (size_t)cap * sizeof *e);
        if (!e)
            return false;
        g->ent = e;
        prefault(e + g->cap, (size_t)(cap - g->cap) * sizeof *e);
        uint16_t *s = td_realloc(g->sig, (size_t)cap * TD_DEDUP_K * sizeof *s);
        if (!s)
            return false;
        g->sig = s;
        prefault(s + (size_t)g->cap * TD_DEDUP_K, (size_t)(cap - g->cap) * TD_DEDUP_K * sizeof *s);
        g->cap = cap;
    }
    if (((uint64_t)ix->lsh_n + TD_DEDUP_BANDS) * 10 > (uint64_t)ix->lsh_cap * 7 && !lsh_grow(ix))
        return false;
    if ((g->exact_n + 1) * 2 > g->exact_cap && !exact_grow(g))
        return false;
    return true;
}

/* ---- clusters ---- */

static bool cluster_new(td_dedup *ix, int64_t root, int32_t date, uint64_t seq, uint32_t *out)
{
    uint32_t c;
    if (ix->free_cluster) {
        c = ix->free_cluster - 1;
        ix->free_cluster = (uint32_t)ix->clusters[c].root_seq;
    } else {
        if (ix->n_clusters == ix->cap_clusters) {
            uint32_t cap = ix->cap_clusters ? ix->cap_clusters * 2 : 256;
            cluster *cl = td_realloc(ix->clusters, (size_t)cap * sizeof *cl);
            if (!cl)
                return false;
            ix->clusters = cl;
            ix->cap_clusters = cap;
        }
        c = ix->n_clusters++;
    }
    ix->clusters[c] = (cluster){ root, seq, date, 0, c, 0, UINT32_MAX, 0 };
    *out = c;
    return true;
}

/* True when (da, sa) is earlier than (db, sb): dates first, unknown dates
 * after every known one, then ingest order. */
static bool earlier(int32_t da, uint64_t sa, int32_t db, uint64_t sb)
{
    if (da >= 0 && db >= 0 && da != db)
        return da < db;
    if ((da >= 0) != (db >= 0))
        return da >= 0;
    return sa < sb;
}

/* ---- lookup ---- */

typedef struct cand {
    uint32_t age, idx;
} cand;

typedef struct scored {
    uint32_t age, idx;
    float j, cont, score;
} scored;

static int scored_cmp(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->age != y->age ? (x->age < y->age ? -1 : 1) : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->age != y->age)
        return x->age < y->age ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

enum { MAX_CAND = 2048 };

/* Finds the entry most similar to fp. Returns false when none qualifies.
 * The forest roots of every other qualifying cluster go to also[] (at most
 * TD_DEDUP_MAX_MERGE, *n_also). */
/* The root entry of forest root c, or NULL when it is not held (evicted,
 * not restored, or not known). */
static const entry *root_entry(const td_dedup *ix, const cluster *c, const uint16_t **sig)
{
    if (c->root_gen >= ix->o.generations)
        return NULL;
    const gen *g = &ix->gens[c->root_gen];
    if (c->root_idx >= g->n || g->ent[c->root_idx].key != c->root || g->ent[c->root_idx].seq != c->root_seq)
        return NULL;
    *sig = g->sig + (size_t)c->root_idx * TD_DEDUP_K;
    return &g->ent[c->root_idx];
}

/* Records that the entry about to be inserted roots cluster c. */
static void root_here(td_dedup *ix, uint32_t c)
{
    ix->clusters[c].root_gen = ix->head;
    ix->clusters[c].root_idx = gen_at(ix, 0)->n;
}

/* Estimated Jaccard and containment of fp and a held entry. */
static void estimate(const td_dedup_fp *fp, const uint16_t *sig, uint32_t n_shingles, float *j_out, float *c_out)
{
    uint32_t eq = 0;
    for (uint32_t k = 0; k < TD_DEDUP_K; k++)
        eq += sig[k] == fp->sig[k];
    float j = (float)eq / TD_DEDUP_K;
    double na = fp->n_shingles, nb = n_shingles;
    double inter = j * (na + nb) / (1.0 + j);
    float cont = (float)(inter / (na < nb ? na : nb));
    *j_out = j;
    *c_out = cont > 1 ? 1 : cont;
}

static bool dup_rule(const td_dedup *ix, float j, float cont)
{
    return j >= ix->o.jaccard_min || (cont >= ix->o.containment_min && j >= ix->o.jaccard_floor);
}

/* True when an estimate cannot be trusted to decide: within verify_margin
 * of a threshold, or a copy by estimate that is not a near-identical one.
 * The containment of a mid-sized text is derived from a Jaccard estimate
 * whose error it multiplies by the size ratio: measured on generated news,
 * pairs of true containment 0.64 were estimated at 0.98. */
static bool is_grey(const td_dedup *ix, float j, float cont)
{
    float m = ix->o.verify_margin;
    return fabsf(j - ix->o.jaccard_min) < m ||
           (fabsf(cont - ix->o.containment_min) < m && j + m >= ix->o.jaccard_floor) ||
           (dup_rule(ix, j, cont) && j < 0.8f);
}

static bool best_match(td_dedup *ix, int64_t key, const td_dedup_fp *fp, td_dedup_result *r, uint32_t *age_out,
                       uint32_t *idx_out, uint32_t *also, uint32_t *n_also)
{
    *n_also = 0;
    /* exact copies first, newest generation first */
    for (uint32_t age = 0; age < ix->n_gens; age++) {
        gen *g = gen_at(ix, age);
        if (!g->exact_cap)
            continue;
        for (uint32_t j = (uint32_t)mix64(fp->exact) & (g->exact_cap - 1); g->exact[j].idx1;
             j = (j + 1) & (g->exact_cap - 1)) {
            if (g->exact[j].hash != fp->exact || g->ent[g->exact[j].idx1 - 1].key == key)
                continue;
            r->kind = TD_DUP_EXACT;
            r->jaccard = r->containment = 1.0f;
            *age_out = age;
            *idx_out = g->exact[j].idx1 - 1;
            return true;
        }
    }
    if (fp->n_shingles < ix->o.min_tokens)
        return false;
    cand c[MAX_CAND];
    uint32_t nc = 0;
    /* every band's slot is requested before any is read: the 32 probes
     * are cache misses in a large table, and this way they overlap instead
     * of queueing (measured: the probe loop halved). One table for every
     * generation: 32 probes however many generations are held (one table
     * per generation took 128 at 1M articles, 45 ns each here) */
    uint32_t checks[TD_DEDUP_BANDS];
    for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++)
        checks[b] = (uint32_t)(band_key(fp->sig, b) >> 32);
    if (ix->lsh_cap) {
        for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++)
            __builtin_prefetch(&ix->lsh[lsh_pos(checks[b], ix->lsh_cap)]);
        uint32_t G = ix->o.generations, mask = ix->lsh_cap - 1;
        for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++) {
            uint32_t check = checks[b];
            for (uint32_t j = lsh_pos(check, ix->lsh_cap); ix->lsh[j].ref; j = (j + 1) & mask) {
                if (ix->lsh[j].check != check || nc == MAX_CAND)
                    continue;
                uint32_t ref = ix->lsh[j].ref, gs = ref >> REF_BITS;
                c[nc++] = (cand){ (ix->head + G - gs) % G, (ref & ((1u << REF_BITS) - 1)) - 1 };
            }
        }
    }
    if (!nc)
        return false;
    qsort(c, nc, sizeof c[0], cand_cmp);
    /* estimates of the distinct candidates, best first: checks go to the
     * likeliest copies */
    static _Thread_local scored sc[MAX_CAND];
    uint32_t ns = 0;
    for (uint32_t i = 0; i < nc; i++) {
        if (i && c[i].age == c[i - 1].age && c[i].idx == c[i - 1].idx)
            continue;
        const gen *g = gen_at(ix, c[i].age);
        const entry *e = &g->ent[c[i].idx];
        if (e->key == key || e->n_shingles < ix->o.min_tokens)
            continue;
        scored x = { c[i].age, c[i].idx, 0, 0, 0 };
        estimate(fp, g->sig + (size_t)c[i].idx * TD_DEDUP_K, e->n_shingles, &x.j, &x.cont);
        x.score = x.j > x.cont ? x.j : x.cont;
        sc[ns++] = x;
    }
    qsort(sc, ns, sizeof sc[0], scored_cmp);
    float best = -1;
    uint32_t verified = 0;
    bool confirmed = false;  /* a grey candidate was checked and is a copy */
    for (uint32_t i = 0; i < ns; i++) {
        gen *g = gen_at(ix, sc[i].age);
        const entry *e = &g->ent[sc[i].idx];
        float j = sc[i].j, cont = sc[i].cont;
        /* near a threshold the estimate cannot decide: ask for the truth */
        bool grey = is_grey(ix, j, cont);
        /* a candidate of a cluster already matched adds nothing to verify */
        bool known = false;
        if (grey && *n_also) {
            uint32_t rc = find(ix, e->cluster);
            for (uint32_t q = 0; q < *n_also && !known; q++)
                known = also[q] == rc;
        }
        /* an estimate that could not be checked decides nothing when checks
         * are possible: once a copy is confirmed, or the budget is spent,
         * other unsure candidates are not copies (and do not bridge) */
        bool unsure = grey && !known && ix->o.verify;
        if (unsure && !confirmed && verified < ix->o.verify_max) {
            float tj, tc;
            verified++;
            if (ix->o.verify(ix->o.verify_ud, e->key, &tj, &tc)) {
                j = tj;
                cont = tc;
                unsure = false;
                ix->st.verified++;
            }
        }
        bool dup = !unsure && dup_rule(ix, j, cont);
        if (dup && grey)
            confirmed = true;
        /* a copy of a copy is a copy of the root too, or no copy: without
         * this, articles sharing background paragraphs chain into clusters
         * of hundreds (A ~ B ~ C ~ ... while A and Z share nothing) */
        if (dup) {
            const cluster *rc = &ix->clusters[find(ix, e->cluster)];
            const uint16_t *rsig;
            const entry *re = root_entry(ix, rc, &rsig);
            if (re && re != e) {
                float rj, rcont;
                estimate(fp, rsig, re->n_shingles, &rj, &rcont);
                bool runsure = is_grey(ix, rj, rcont) && ix->o.verify;
                if (runsure && verified < ix->o.verify_max) {
                    float tj, tc;
                    verified++;
                    if (ix->o.verify(ix->o.verify_ud, re->key, &tj, &tc)) {
                        rj = tj;
                        rcont = tc;
                        runsure = false;
                        ix->st.verified++;
                    }
                }
                dup = !runsure && dup_rule(ix, rj, rcont);
            }
        }
        float score = j > cont ? j : cont;
        if (dup && *n_also < TD_DEDUP_MAX_MERGE) {
            uint32_t rc = find(ix, e->cluster);
            bool have = false;
            for (uint32_t q = 0; q < *n_also && !have; q++)
                have = also[q] == rc;
            if (!have)
                also[(*n_also)++] = rc;
        }
        if (dup && score > best) {
            best = score;
            r->kind = TD_DUP_NEAR;
            r->jaccard = j;
            r->containment = cont;
            *age_out = sc[i].age;
            *idx_out = sc[i].idx;
        }
    }
    return best >= 0;
}

/* ---- insertion ---- */

/* Appends the entry to the newest generation; gen_reserve was called. */
static void insert(td_dedup *ix, int64_t key, int32_t date, uint32_t cl, const td_dedup_fp *fp, bool index_near)
{
    gen *g = gen_at(ix, 0);
    uint32_t i = g->n++;
    g->ent[i] = (entry){ key, ix->seq++, date, cl, fp->n_shingles, false };
    memcpy(g->sig + (size_t)i * TD_DEDUP_K, fp->sig, sizeof fp->sig);
    ix->clusters[cl].live++;
    ix->st.held++;
    if (fp->n_tokens < ix->o.min_tokens)
        return; /* never a duplicate, never an original of one */
    uint32_t j = (uint32_t)mix64(fp->exact) & (g->exact_cap - 1);
    bool have = false;
    for (; g->exact[j].idx1; j = (j + 1) & (g->exact_cap - 1))
        have |= g->exact[j].hash == fp->exact;
    if (!have) {
        g->exact[j] = (xslot){ fp->exact, i + 1, 0 };
        g->exact_n++;
    }
    if (!index_near)
        return;
    g->ent[i].in_lsh = true;
    uint32_t ref = ref_make(ix->head, i), mask = ix->lsh_cap - 1;
    for (uint32_t b = 0; b < TD_DEDUP_BANDS; b++) {
        uint64_t k = band_key(fp->sig, b);
        uint32_t check = (uint32_t)(k >> 32), same = 0;
        uint32_t s = lsh_pos(check, ix->lsh_cap);
        for (; ix->lsh[s].ref; s = (s + 1) & mask)
            same += ix->lsh[s].check == check && ix->lsh[s].ref >> REF_BITS == ix->head;
        if (same >= ix->o.bucket_cap)
            continue; /* the bucket holds enough copies of this text in this generation */
        ix->lsh[s] = (slot){ check, ref };
        ix->lsh_n++;
    }
}

td_status td_dedup_add(td_dedup *ix, int64_t key, int32_t date, const td_dedup_fp *fp, td_dedup_result *res)
{
    if (!ix || !fp || !res || key == 0)
        return TD_EINVAL;
    tick(ix, date);
    gen *g = gen_at(ix, 0);
    if (!gen_reserve(ix, g))
        return TD_ENOMEM;
    td_dedup_result r = { 0 };
    uint32_t age = 0, idx = 0, cl, also[TD_DEDUP_MAX_MERGE], n_also = 0;
    bool found = fp->n_tokens >= ix->o.min_tokens && best_match(ix, key, fp, &r, &age, &idx, also, &n_also);
    if (found) {
        const entry *m = &gen_at(ix, age)->ent[idx];
        cl = find(ix, m->cluster);
        r.matched = m->key;
        /* this article bridges other clusters of copies: they become one,
         * rooted at the earliest of their roots, when those roots are copies
         * of each other. A long text that contains several unrelated short
         * ones (a round-up, a live page, an article built of background
         * paragraphs) must not glue them together: measured on generated
         * news, that made one cluster of 900 articles out of 2000. */
        for (uint32_t q = 0; q < n_also; q++) {
            uint32_t o = find(ix, also[q]);
            if (o == cl)
                continue;
            cluster *a = &ix->clusters[cl], *b = &ix->clusters[o];
            const uint16_t *sa, *sb;
            const entry *ra = root_entry(ix, a, &sa), *rb = root_entry(ix, b, &sb);
            if (ra && rb) {
                td_dedup_fp fa;
                fa.n_shingles = ra->n_shingles;
                memcpy(fa.sig, sa, sizeof fa.sig);
                float rj, rcont;
                estimate(&fa, sb, rb->n_shingles, &rj, &rcont);
                if (!(rj >= ix->o.jaccard_min || (rcont >= ix->o.containment_min && rj >= ix->o.jaccard_floor)))
                    continue;
            }
            uint32_t win = earlier(b->root_date, b->root_seq, a->root_date, a->root_seq) ? o : cl;
            uint32_t lose = win == cl ? o : cl;
            r.old_roots[r.n_old_roots++] = ix->clusters[lose].root;
            ix->clusters[lose].parent = win;
            ix->clusters[win].children++;
            cl = win;
            ix->st.merged++;
        }
        cluster *c = &ix->clusters[cl];
        if (earlier(date, ix->seq, c->root_date, c->root_seq)) {
            r.old_roots[r.n_old_roots++] = c->root;
            r.duplicate_of = 0;
            c->root = key;
            c->root_seq = ix->seq;
            c->root_date = date;
            root_here(ix, cl);
            ix->st.rerooted++;
        } else {
            r.duplicate_of = c->root;
        }
        r.rerooted = r.n_old_roots > 0;
        if (r.kind == TD_DUP_EXACT)
            ix->st.exact++;
        else
            ix->st.near++;
    } else {
        if (!cluster_new(ix, key, date, ix->seq, &cl))
            return TD_ENOMEM;
        root_here(ix, cl);
    }
    r.root = ix->clusters[cl].root;
    insert(ix, key, date, cl, fp, r.kind != TD_DUP_EXACT);
    ix->st.added++;
    *res = r;
    return TD_OK;
}

td_status td_dedup_restore(td_dedup *ix, int64_t key, int32_t date, int64_t root, const td_dedup_fp *fp)
{
    if (!ix || !fp || key == 0)
        return TD_EINVAL;
    tick(ix, date);
    gen *g = gen_at(ix, 0);
    if (!gen_reserve(ix, g))
        return TD_ENOMEM;
    int64_t r = root ? root : key;
    uint64_t *v = td_map_get(&ix->roots, (uint64_t)r);
    uint32_t cl;
    if (v && *v && *v - 1 < ix->n_clusters && ix->clusters[*v - 1].parent != UINT32_MAX &&
        ix->clusters[find(ix, (uint32_t)(*v - 1))].root == r) {
        cl = find(ix, (uint32_t)(*v - 1));
    } else {
        /* the root itself was not restored (evicted, or comes later): the
         * copy stands for it, with its own date as a lower bound */
        if (!cluster_new(ix, r, r == key ? date : -1, r == key ? ix->seq : 0, &cl))
            return TD_ENOMEM;
        v = td_map_upsert(&ix->roots, (uint64_t)r);
        if (!v)
            return TD_ENOMEM;
        *v = cl + 1;
    }
    if (r == key) {
        ix->clusters[cl].root_date = date;
        ix->clusters[cl].root_seq = ix->seq;
        root_here(ix, cl);
    }
    insert(ix, key, date, cl, fp, true);
    ix->st.added++;
    return TD_OK;
}

void td_dedup_get_stats(const td_dedup *ix, td_dedup_stats *st)
{
    *st = ix->st;
    st->clusters = 0;
    for (uint32_t i = 0; i < ix->n_clusters; i++)
        st->clusters += ix->clusters[i].parent == i;
    size_t bytes = sizeof *ix + ix->o.generations * sizeof(gen) + (size_t)ix->cap_clusters * sizeof(cluster) +
                   ix->roots.cap * 16 + (size_t)ix->lsh_cap * sizeof(slot);
    for (uint32_t i = 0; i < ix->o.generations; i++) {
        const gen *g = &ix->gens[i];
        bytes += (size_t)g->cap * (sizeof(entry) + TD_DEDUP_K * 2) + (size_t)g->exact_cap * sizeof(xslot);
    }
    st->bytes = bytes;
}
