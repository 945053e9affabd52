/*
 * pipeline.c - the stages in order, from one const table, on a pool of
 * worker threads with one writer.
 *
 *   read ──> [html] ──> text ──> clean ──> hash ──> store ──> [dedup, story, ...]
 *            └──────────── workers (any thread) ──┘   └──── writer (in input order) ───┘
 *
 * STAGES[] lists every per-article stage. WORKER stages see only their
 * article and read-only shared state (models, the outlet-template snapshot),
 * so they run on any thread; WRITER stages run on the caller's thread in
 * input order and may touch the store and corpus-wide indexes. Every worker
 * stage comes before every writer stage.
 *
 * Jobs travel through a ring of JOBS_PER_THREAD * threads slots. The caller
 * reads input, submits jobs and, in order, runs the writer stages on finished
 * ones. With threads = 1 the worker stages run inline. Both give the same
 * result: nothing a worker reads changes while it runs (see td_templates in
 * engine.h), and the writer sees articles in input order.
 *
 * Writes are batched: one transaction per opt.batch_size articles. At a batch
 * boundary the ring is drained, the batch committed and the template counts
 * learnt during it merged into the snapshot. A crash loses at most the open
 * batch; re-running the ingest completes it (articles stored with the same
 * id and input hash are skipped as unchanged).
 */
#include "pipeline.h"
#include "alert/alert.h"
#include "base/alloc.h"
#include "clean/clean.h"
#include "clean/html_extract.h"
#include "extract/names.h"
#include "extract/place_story.h"
#include "store/store_entity.h"
#include "store/store_event.h"
#include "search/search.h"
#include "story/stage.h"
#include "summary/summary.h"
#include "text/text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define JOBS_PER_THREAD 8
#define MAX_THREADS 64

/* ---- template learning ---- */

static uint64_t tmpl_key(uint64_t outlet_hash, uint64_t line_hash)
{
    return line_hash ^ (outlet_hash * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);
}

static pthread_rwlock_t *tmpl_lock(td_engine *e);

/* td_clean_opts.line_count: other articles of outlet holding the line,
 * read from the snapshot (callers hold the template read lock). */
typedef struct line_ctx {
    td_engine *e;
    bool exclude_self;   /* the article's own lines are already counted */
    td_article *log;     /* prepared batches: record each count read (a->probes) */
} line_ctx;

/* The counts a prepared article's cleaning read: key and value, in order. */
typedef struct td_clean_probes {
    uint64_t *key;
    uint32_t *n;
    uint32_t len, cap;
} td_clean_probes;

static void probe_log(td_article *a, uint64_t key, uint32_t n)
{
    td_clean_probes *p = a->probes;
    if (p->len == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 64;
        uint64_t *k = td_arena_alloc(a->arena, cap * sizeof *k);
        uint32_t *v = td_arena_alloc(a->arena, cap * sizeof *v);
        if (!k || !v)
            return; /* a->arena->failed: the job fails as out of memory */
        if (p->len) {
            memcpy(k, p->key, p->len * sizeof *k);
            memcpy(v, p->n, p->len * sizeof *v);
        }
        p->key = k;
        p->n = v;
        p->cap = cap;
    }
    p->key[p->len] = key;
    p->n[p->len++] = n;
}

static uint32_t line_count(void *ud, td_str outlet, uint64_t hash)
{
    line_ctx *c = ud;
    if (!outlet.len)
        return 0;
    uint64_t key = tmpl_key(XXH3_64bits(outlet.p, outlet.len), hash);
    uint64_t *v = td_map_get(&c->e->tmpl.counts, key);
    uint64_t n = v ? *v : 0;
    if (c->exclude_self && n)
        n--;
    if (c->log)
        probe_log(c->log, key, (uint32_t)n);
    return (uint32_t)n;
}

static void load_line(void *ud, uint64_t hash, uint32_t n)
{
    void **args = ud;
    td_map *counts = args[0];
    uint64_t outlet_hash = *(uint64_t *)args[1];
    uint64_t *v = td_map_upsert(counts, tmpl_key(outlet_hash, hash));
    if (v)
        *v += n;
}

/* Loads the stored counts of an outlet the first time it is seen in this
 * engine, before any of its articles is cleaned (writer thread). */
static td_status load_outlet(td_engine *e, td_str outlet)
{
    if (!outlet.len)
        return TD_OK;
    uint64_t h = XXH3_64bits(outlet.p, outlet.len);
    if (td_map_get(&e->tmpl.loaded, h))
        return TD_OK;
    pthread_rwlock_t *lk = tmpl_lock(e);
    if (lk)
        pthread_rwlock_wrlock(lk);
    uint64_t *v = td_map_upsert(&e->tmpl.loaded, h);
    td_status st = v ? TD_OK : TD_ENOMEM;
    if (v) {
        *v = 1;
        void *args[2] = { &e->tmpl.counts, &h };
        st = td_store_outlet_lines_load(e->store, outlet, load_line, args);
    }
    if (lk)
        pthread_rwlock_unlock(lk);
    return st;
}

/* The id of an outlet name for the store flush (writer thread). */
static uint32_t outlet_id(td_engine *e, td_str outlet)
{
    td_templates *t = &e->tmpl;
    uint64_t h = XXH3_64bits(outlet.p, outlet.len);
    uint64_t *v = td_map_get(&t->outlet_ids, h);
    if (v)
        return (uint32_t)(*v - 1);
    if (t->n_outlets == t->cap_outlets) {
        uint32_t cap = t->cap_outlets ? t->cap_outlets * 2 : 16;
        char **o = td_realloc(t->outlets, cap * sizeof *o);
        if (!o)
            return UINT32_MAX;
        t->outlets = o;
        t->cap_outlets = cap;
    }
    char *name = td_strndup(outlet.p, outlet.len);
    v = td_map_upsert(&t->outlet_ids, h);
    if (!name || !v) {
        td_free(name);
        return UINT32_MAX;
    }
    t->outlets[t->n_outlets] = name;
    *v = ++t->n_outlets;
    return t->n_outlets - 1;
}

/* Counts the article's candidate lines (each once) for its outlet, into the
 * pending map and the store delta (writer thread). */
static td_status learn_lines(td_engine *e, td_article *a)
{
    if (!a->outlet.len)
        return TD_OK;
    td_templates *t = &e->tmpl;
    uint64_t oh = XXH3_64bits(a->outlet.p, a->outlet.len);
    uint32_t outlet = outlet_id(e, a->outlet);
    if (outlet == UINT32_MAX)
        return TD_ENOMEM;
    uint64_t seen[256];
    size_t n_seen = 0;
    for (uint32_t i = 0; i < a->n_lines; i++) {
        if (!td_clean_template_candidate(&a->lines[i]))
            continue;
        uint64_t h = td_clean_line_hash(a->lines[i].text);
        bool dup = false;
        for (size_t j = 0; j < n_seen && !dup; j++)
            dup = seen[j] == h;
        if (dup)
            continue;
        if (n_seen == sizeof seen / sizeof seen[0])
            break; /* bounded work on pathological pages */
        seen[n_seen++] = h;
        uint64_t key = tmpl_key(oh, h);
        uint64_t *p = td_map_upsert(&t->pending, key);
        uint64_t *d = td_map_upsert(&t->delta_ix, key);
        if (!p || !d)
            return TD_ENOMEM;
        (*p)++;
        if (*d) {
            t->delta[*d - 1].n++;
            continue;
        }
        if (t->n_delta == t->cap_delta) {
            size_t cap = t->cap_delta ? t->cap_delta * 2 : 1024;
            struct td_tmpl_delta *nd = td_realloc(t->delta, cap * sizeof *nd);
            if (!nd)
                return TD_ENOMEM;
            t->delta = nd;
            t->cap_delta = cap;
        }
        t->delta[t->n_delta] = (struct td_tmpl_delta){ outlet, h, 1 };
        *d = ++t->n_delta;
    }
    return TD_OK;
}

/* Writes the batch's template counts to the store (inside its transaction). */
static td_status flush_templates(td_engine *e)
{
    td_templates *t = &e->tmpl;
    for (size_t i = 0; i < t->n_delta; i++) {
        struct td_tmpl_delta *d = &t->delta[i];
        td_status st = td_store_outlet_line_add(e->store, td_str_cstr(t->outlets[d->outlet]), d->hash, d->n);
        if (st != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    }
    t->n_delta = 0;
    td_map_clear(&t->delta_ix);
    return TD_OK;
}

/* Merges the batch's counts into the snapshot (no worker is running). */
static td_status merge_templates(td_engine *e)
{
    td_templates *t = &e->tmpl;
    for (size_t i = 0; i < t->pending.cap; i++) {
        if (!t->pending.keys[i])
            continue;
        uint64_t *v = td_map_upsert(&t->counts, t->pending.keys[i]);
        if (!v)
            return TD_ENOMEM;
        *v += t->pending.vals[i];
    }
    td_map_clear(&t->pending);
    return TD_OK;
}

/* Remembers the kept candidate lines of a stored article for the end-of-run
 * check: they may turn out to be template lines once the run is seen. */
static td_status remember(td_engine *e, td_article *a)
{
    if (!a->outlet.len)
        return TD_OK;
    uint32_t first = (uint32_t)e->n_rh, n = 0;
    for (uint32_t i = 0; i < a->n_lines && n < 64; i++) {
        const td_line *l = &a->lines[i];
        if (l->kind != TD_LINE_BODY || !td_clean_template_candidate(l))
            continue;
        if (e->n_rh == e->cap_rh) {
            size_t cap = e->cap_rh ? e->cap_rh * 2 : 4096;
            uint64_t *h = td_realloc(e->recheck_hashes, cap * sizeof *h);
            if (!h)
                return TD_ENOMEM;
            e->recheck_hashes = h;
            e->cap_rh = cap;
        }
        e->recheck_hashes[e->n_rh++] = td_clean_line_hash(l->text);
        n++;
    }
    if (!n)
        return TD_OK;
    if (e->n_recheck == e->cap_recheck) {
        size_t cap = e->cap_recheck ? e->cap_recheck * 2 : 1024;
        td_recheck *r = td_realloc(e->recheck, cap * sizeof *r);
        if (!r)
            return TD_ENOMEM;
        e->recheck = r;
        e->cap_recheck = cap;
    }
    e->recheck[e->n_recheck++] = (td_recheck){ a->rowid, XXH3_64bits(a->outlet.p, a->outlet.len), first, n };
    return TD_OK;
}

/* The re-check list lives in the store (reclean_pending), written with each
 * batch in its transaction: a run killed before its end leaves its list to
 * the next run, which re-cleans those articles before storing any of its own
 * (pool_start) -- what the killed run's own end would have done. Kept in
 * memory, the list died with the process and the killed run's articles kept
 * their first cleaning (title, dateline, dates) for good. The re-check reads
 * the stored counts of the articles' outlets (load_rechecks), not the run's
 * snapshot: the snapshot holds what this process loaded (by the outlet name
 * known before cleaning, often the host, while lines are counted under the
 * page's own site name) and learnt, which a successor cannot rebuild; the
 * store holds the same in both cases. Hashes are native-endian bytes: rows
 * live only between a run and its end (or its successor's start). */
static td_status save_rechecks(td_engine *e)
{
    if (!e->n_recheck)
        return TD_OK;
    td_db *db = td_store_sql(e->store);
    td_stmt *q = NULL;
    td_status st = TD_OK;
    /* the table is migration 12 (TD_RECLEAN_SCHEMA) */
    if (td_db_prepare(db,
                      "INSERT INTO reclean_pending (article, outlet_hash, hashes) VALUES (?1,?2,?3)"
                      " ON CONFLICT (article) DO UPDATE SET outlet_hash = excluded.outlet_hash, hashes = excluded.hashes",
                      &q, NULL) != TD_OK)
        st = TD_EDB;
    for (size_t i = 0; i < e->n_recheck && st == TD_OK; i++) {
        const td_recheck *r = &e->recheck[i];
        td_stmt_bind_i64(q, 1, r->rowid);
        td_stmt_bind_i64(q, 2, (int64_t)r->outlet_hash);
        td_stmt_bind_blob(q, 3, e->recheck_hashes + r->first, (int)(r->n * sizeof(uint64_t)));
        if (td_stmt_step(q) != TD_DB_DONE)
            st = TD_EDB;
        td_stmt_reset(q);
    }
    if (st != TD_OK)
        td_engine_fail(e, st, "saving the re-clean list: %s", td_db_errmsg(db));
    td_stmt_finalize(q);
    e->n_recheck = 0;
    e->n_rh = 0;
    return st;
}

/* Loads the stored re-check list into e->recheck (empty before) and the
 * stored template counts of its articles' outlets into counts (keyed like
 * the snapshot). *n_out: rows read. */
static td_status load_rechecks(td_engine *e, td_map *counts, size_t *n_out)
{
    td_db *db = td_store_sql(e->store);
    td_stmt *q = NULL;
    td_map seen = TD_MAP_INIT; /* outlets loaded */
    *n_out = 0;
    if (td_db_prepare(db,
                      "SELECT r.article, r.outlet_hash, r.hashes, a.outlet FROM reclean_pending r"
                      " JOIN article a ON a.rowid = r.article ORDER BY r.article",
                      &q, NULL) != TD_OK)
        return td_engine_fail(e, TD_EDB, "reading the re-clean list: %s", td_db_errmsg(db));
    td_status st = TD_OK;
    int rc = TD_DB_DONE;
    while (st == TD_OK && (rc = td_stmt_step(q)) == TD_DB_ROW) {
        (*n_out)++;
        uint32_t n = (uint32_t)((size_t)td_stmt_bytes(q, 2) / sizeof(uint64_t));
        const void *blob = td_stmt_blob(q, 2);
        const char *otext = td_stmt_text(q, 3);
        td_str outlet = td_str_make(otext ? otext : "", otext ? (size_t)td_stmt_bytes(q, 3) : 0);
        uint64_t oh = (uint64_t)td_stmt_i64(q, 1);
        uint64_t *sv = outlet.len ? td_map_upsert(&seen, oh) : NULL;
        if (outlet.len && !sv) {
            st = TD_ENOMEM;
            break;
        }
        if (sv && !*sv) {
            *sv = 1;
            void *args[2] = { counts, &oh };
            if ((st = td_store_outlet_lines_load(e->store, outlet, load_line, args)) != TD_OK)
                break;
        }
        if (!n || !blob)
            continue;
        if (e->n_rh + n > e->cap_rh) {
            size_t cap = e->cap_rh ? e->cap_rh : 4096;
            while (cap < e->n_rh + n)
                cap *= 2;
            uint64_t *h = td_realloc(e->recheck_hashes, cap * sizeof *h);
            if (!h) {
                st = TD_ENOMEM;
                break;
            }
            e->recheck_hashes = h;
            e->cap_rh = cap;
        }
        if (e->n_recheck == e->cap_recheck) {
            size_t cap = e->cap_recheck ? e->cap_recheck * 2 : 1024;
            td_recheck *r = td_realloc(e->recheck, cap * sizeof *r);
            if (!r) {
                st = TD_ENOMEM;
                break;
            }
            e->recheck = r;
            e->cap_recheck = cap;
        }
        memcpy(e->recheck_hashes + e->n_rh, blob, n * sizeof(uint64_t));
        e->recheck[e->n_recheck++] = (td_recheck){ td_stmt_i64(q, 0), oh, (uint32_t)e->n_rh, n };
        e->n_rh += n;
    }
    if (st == TD_OK && rc != TD_DB_DONE)
        st = TD_EDB;
    if (st != TD_OK)
        td_engine_fail(e, st, "reading the re-clean list: %s",
                       st == TD_EDB ? td_db_errmsg(db) : td_status_str(st));
    td_stmt_finalize(q);
    td_map_free(&seen);
    return st;
}

/* ---- stages ---- */

typedef enum { WORKER, WRITER } stage_where;
typedef td_status (*stage_fn)(td_engine *e, td_article *a);

/* html: main-content extraction from a page (charset, boilerplate, metadata);
 * its output then goes the same way as scraped text. */
static td_status stage_html(td_engine *e, td_article *a)
{
    (void)e;
    if (!a->html)
        return TD_OK;
    td_html_doc doc = { 0 };
    td_status st = td_html_extract(a->arena, a->raw, a->url, &doc);
    if (st != TD_OK)
        return st;
    uint32_t bad = 0;
    a->body = td_utf8_sanitize(a->arena, doc.body, &bad);
    a->bad_utf8 = bad;
    a->text = a->body; /* stored as the raw text: the page itself is not kept */
    a->title = a->given_title.len ? a->given_title : doc.title;
    a->byline = doc.byline;
    if (!a->url.len && doc.canonical_url.len)
        a->url = doc.canonical_url;
    a->outlet = a->given_outlet.len ? a->given_outlet
                : a->url.len        ? td_clean_outlet_from_url(a->arena, a->url)
                                    : doc.outlet;
    td_str pub = a->given_published.len ? a->given_published : doc.published;
    int y = 0, m = 0, d = 0;
    if (pub.len >= 10 && sscanf(pub.p, "%4d-%2d-%2d", &y, &m, &d) == 3 && y > 1800 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31) {
        a->published = (td_date){ (int16_t)y, (int8_t)m, (int8_t)d, TD_PREC_DAY };
        a->published_from = a->given_published.len ? "given" : "html";
    }
    return a->body.p ? TD_OK : TD_ENOMEM;
}

/* text: the UTF-8 gate. */
static td_status stage_text(td_engine *e, td_article *a)
{
    (void)e;
    if (a->html)
        return TD_OK;
    a->text = td_utf8_sanitize(a->arena, a->raw, &a->bad_utf8);
    return a->text.p ? TD_OK : TD_ENOMEM;
}

/* clean: boilerplate, title, outlet, dateline, publication date; reads the
 * outlet-template snapshot under its read lock. */
static td_status stage_clean(td_engine *e, td_article *a)
{
    if (a->html)
        return TD_OK;
    line_ctx c = { e, false, a->probes ? a : NULL };
    td_clean_opts o = { line_count, &c, 0 };
    pthread_rwlock_t *lk = tmpl_lock(e);
    if (lk)
        pthread_rwlock_rdlock(lk);
    td_status st = td_clean_article(a, &o);
    if (lk)
        pthread_rwlock_unlock(lk);
    return st;
}

/* hash: the normalised body (ASCII case and punctuation folded, spaces
 * collapsed), so identical texts with other whitespace are exact copies. */
static td_status stage_hash(td_engine *e, td_article *a)
{
    (void)e;
    char *norm = td_arena_alloc(a->arena, a->body.len + 1);
    if (!norm)
        return TD_ENOMEM;
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < a->body.len; i++) {
        unsigned char c = (unsigned char)a->body.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (keep) {
            if (space && n)
                norm[n++] = ' ';
            norm[n++] = (char)c;
            space = false;
        } else {
            space = true;
        }
    }
    a->hash = XXH3_64bits(norm, n);
    return TD_OK;
}

/* Builds the JSON array of the lines kept out of the body. */
static td_str removed_json(td_arena *arena, const td_article *a)
{
    td_buf b = TD_BUF_INIT;
    td_buf_putc(&b, '[');
    bool first = true;
    for (uint32_t i = 0; i < a->n_lines; i++) {
        const td_line *l = &a->lines[i];
        if (l->kind == TD_LINE_BODY || l->kind == TD_LINE_EMPTY)
            continue;
        td_buf_printf(&b, "%s{\"line\":%u,\"kind\":\"%s\",\"why\":", first ? "" : ",", l->lineno,
                      td_line_kind_name(l->kind));
        td_buf_json_str(&b, td_str_cstr(l->why ? l->why : ""));
        td_buf_puts(&b, ",\"text\":");
        td_buf_json_str(&b, l->text);
        td_buf_putc(&b, '}');
        first = false;
    }
    td_buf_putc(&b, ']');
    td_str out = { NULL, 0 };
    if (!b.failed) {
        char *p = td_arena_strndup(arena, b.p, b.len);
        if (p)
            out = td_str_make(p, b.len);
    }
    td_buf_free(&b);
    return out;
}

/* store: the article row (insert or replace), the outlet's template counts and
 * the end-of-run re-check list. Sets a->rowid for the stages after it. */
static td_status stage_store(td_engine *e, td_article *a)
{
    td_status st = learn_lines(e, a);
    if (st != TD_OK)
        return st;
    st = td_store_article_put(e->store, a, a->raw_hash, removed_json(a->arena, a), &a->rowid);
    if (st != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    return remember(e, a);
}

/* Loads the entity models once, before the workers start (they only read
 * them). Without data (no lexicons) it warns once and entities are off. */
static td_status entity_models_load(td_engine *e)
{
    if (e->models_tried)
        return TD_OK;
    e->models_tried = true;
    td_buf err = TD_BUF_INIT;
    td_status st = td_entity_models_load(NULL, &e->models, &err);
    if (st == TD_OK)
        st = td_store_entities_ensure(e->store);
    if ((st != TD_OK || !e->models->gaz) && e->opt.warn)
        e->opt.warn(e->opt.ud, "entities",
                    st != TD_OK ? (err.p ? err.p : "cannot load the entity data; entities off")
                                : (err.p ? err.p : "no places.bin: places off"));
    td_buf_free(&err);
    return st == TD_ENOMEM ? st : TD_OK;
}

static void warn_at(td_engine *e, const char *source, uint64_t line, td_str id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Keeps the first max entities of en and their mentions (in order; each
 * kept entity's first mention re-pointed); returns how many were dropped.
 * A page listing thousands of names must not cost thousands of rows. */
static uint32_t cap_entities(td_entities *en, uint32_t max)
{
    uint32_t dropped = en->n_entities - max, k = 0;
    en->n_entities = max;
    for (uint32_t i = 0; i < max; i++)
        en->e[i].first = UINT32_MAX;
    for (uint32_t i = 0; i < en->n; i++) {
        if (en->m[i].ent >= max)
            continue;
        if (en->e[en->m[i].ent].first == UINT32_MAX)
            en->e[en->m[i].ent].first = k;
        en->m[k++] = en->m[i];
    }
    en->n = k;
    for (uint32_t i = 0; i < max; i++)
        if (en->e[i].first == UINT32_MAX)
            en->e[i].first = 0, en->e[i].n_mentions = 0;
    return dropped;
}

/* Entities: people, organisations and places with their aliases and
 * coordinates (src/extract, docs/entities.md). Extraction is pure per
 * article, so it runs on the workers; the writer stores the result. */
static td_status stage_extract(td_engine *e, td_article *a)
{
    a->entities = NULL;
    if (!e->models)
        return TD_OK;
    td_entities *en = td_arena_alloc(a->arena, sizeof *en);
    if (!en)
        return TD_ENOMEM;
    td_status st = td_entities_extract_article(e->models, a, en);
    if (st != TD_OK)
        return st;
    if (en->n_entities > e->opt.max_entities)
        a->dropped_entities = cap_entities(en, e->opt.max_entities);
    a->entities = en;
    return TD_OK;
}

/* Stores what stage_extract found, per article; the corpus entities are
 * rebuilt at the end of the run. */
static td_status stage_entities(td_engine *e, td_article *a)
{
    if (!e->models || !a->entities)
        return TD_OK;
    if (a->dropped_entities)
        warn_at(e, a->source, a->source_line, a->id,
                "%u entities, over the limit of %u per article (--max-entities); the first %u are kept",
                a->entities->n_entities + a->dropped_entities, e->opt.max_entities, e->opt.max_entities);
    td_status st = td_store_entities_put(e->store, a->rowid, a->entities, e->models->gaz);
    if (st != TD_OK)
        return td_engine_fail(e, st, "storing entities: %s", td_db_errmsg(td_store_sql(e->store)));
    e->entities_dirty = true;
    return TD_OK;
}

/* events: event mentions (time, place, actors, tolls, modality) and quotes
 * of the article, from its entities (docs/events.md); pure per article. */
static td_status stage_events(td_engine *e, td_article *a)
{
    td_event_article *ev = td_arena_alloc(a->arena, sizeof *ev);
    if (!ev)
        return TD_ENOMEM;
    td_status st = td_event_article_extract(e->models, a->entities, a, ev);
    a->events = st == TD_OK ? ev : NULL;
    if (st == TD_OK && ev->n > e->opt.max_events) {
        a->dropped_events = ev->n - e->opt.max_events;
        ev->n = e->opt.max_events;
    }
    return st;
}

/* Stores the article's event mentions and quotes; events are merged across
 * articles at the end of the run (events_finish). */
static td_status stage_event_store(td_engine *e, td_article *a)
{
    if (!a->events)
        return TD_OK;
    if (a->dropped_events)
        warn_at(e, a->source, a->source_line, a->id,
                "%u event mentions, over the limit of %u per article (--max-events); the first %u are kept",
                a->events->n + a->dropped_events, e->opt.max_events, e->opt.max_events);
    td_status st = td_store_events_put(e->store, a->rowid, a->events);
    if (st != TD_OK)
        return td_engine_fail(e, st, "storing events: %s", td_db_errmsg(td_store_sql(e->store)));
    return TD_OK;
}

/* Every per-article stage, in order. Later stages (dedup, extract, story...)
 * are added here: WORKER ones before "store", WRITER ones after it. */
static const struct {
    const char *name;
    stage_where where;
    stage_fn run;
} STAGES[] = {
    { "html", WORKER, stage_html },
    { "text", WORKER, stage_text },
    { "clean", WORKER, stage_clean },
    { "hash", WORKER, stage_hash },
    { "fingerprint", WORKER, td_stage_fingerprint }, /* story/stage.c: dedup fingerprint, passages */
    { "extract", WORKER, stage_extract },
    { "events", WORKER, stage_events },               /* extract/event_article.c */
    { "store", WRITER, stage_store },
    { "entities", WRITER, stage_entities },
    { "event_store", WRITER, stage_event_store },    /* store/sqlite_event.c */
    { "dedup", WRITER, td_stage_dedup },             /* story/stage.c: duplicate_of, passages */
    { "story", WRITER, td_stage_story },             /* story/stage.c: online story assignment */
};
#define N_STAGES (sizeof STAGES / sizeof STAGES[0])

/* ---- jobs and the pool ---- */

typedef struct td_job {
    td_arena arena;        /* everything of this article */
    td_article a;
    td_status st;          /* result of the worker stages */
    const char *failed;    /* the stage that failed */
    uint64_t seq;
    bool done;
    bool prepared;         /* its worker stages ran ahead (td_pipeline_prepare) */
    uint64_t stage_ns[TD_MAX_STAGES]; /* time in each worker stage */
} td_job;

struct td_pool {
    td_engine *e;
    pthread_t threads[MAX_THREADS];
    uint32_t n_threads;    /* 0: inline */
    td_job *jobs;          /* ring of cap slots, job seq lives at seq % cap */
    uint32_t cap;
    uint64_t head;         /* next seq to submit */
    uint64_t tail;         /* next seq the writer finishes */
    uint64_t next;         /* next seq a worker takes */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_rwlock_t tmpl; /* the template snapshot: workers read, the writer loads/merges */
};

static pthread_rwlock_t *tmpl_lock(td_engine *e)
{
    return e->pool && e->pool->n_threads ? &e->pool->tmpl : NULL;
}

static bool fatal(td_status st)
{
    return st == TD_EDB || st == TD_EBUSY || st == TD_EREADONLY || st == TD_ENOMEM || st == TD_EIO;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Adds ns to the stage time named name (slot i: names are constants, so
 * slots keep their order: per-article stages, then the finish stages). */
static void stage_time_add(td_ingest_stats *s, uint32_t i, const char *name, uint64_t ns)
{
    if (i >= TD_MAX_STAGES)
        return;
    s->stage[i].name = name;
    s->stage[i].seconds += (double)ns / 1e9;
    if (s->n_stage <= i)
        s->n_stage = i + 1;
}

/* Runs the worker stages of a job (any thread). */
static void run_worker_stages(td_engine *e, td_job *j)
{
    j->st = TD_OK;
    memset(j->stage_ns, 0, sizeof j->stage_ns);
    for (size_t i = 0; i < N_STAGES && STAGES[i].where == WORKER; i++) {
        uint64_t t0 = now_ns();
        td_status st = STAGES[i].run(e, &j->a);
        if (i < TD_MAX_STAGES)
            j->stage_ns[i] = now_ns() - t0;
        if (st == TD_OK && j->arena.failed)
            st = TD_ENOMEM;
        if (st != TD_OK) {
            j->st = st;
            j->failed = STAGES[i].name;
            return;
        }
    }
}

static void *worker_main(void *arg)
{
    td_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next == p->head)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        td_job *j = &p->jobs[p->next % p->cap];
        p->next++;
        pthread_mutex_unlock(&p->mu);
        if (!j->prepared)
            run_worker_stages(p->e, j);
        pthread_mutex_lock(&p->mu);
        j->done = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

/* Creates the pool on first use; threads = 1 means inline, no threads. */
static td_status reclean(td_engine *e);

static td_status pool_start(td_engine *e)
{
    if (e->pool)
        return TD_OK;
    /* a run killed before its end left articles to re-clean: done before
     * this run stores any, with the counts that run ended with */
    /* (a queue worker's engine leaves the list to the shared run's finish:
     * the other workers' batches are not a killed run's) */
    td_status lst = e->opt.read_only || e->shared_run ? TD_OK : reclean(e);
    if (lst != TD_OK)
        return lst;
    lst = entity_models_load(e);
    if (lst != TD_OK)
        return lst;
    td_pool *p = td_calloc(1, sizeof *p);
    if (!p)
        return TD_ENOMEM;
    unsigned want = e->opt.threads ? e->opt.threads : default_threads();
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    p->e = e;
    p->cap = want > 1 ? want * JOBS_PER_THREAD : 1;
    p->jobs = td_calloc(p->cap, sizeof *p->jobs);
    if (!p->jobs) {
        td_free(p);
        return TD_ENOMEM;
    }
    for (uint32_t i = 0; i < p->cap; i++)
        td_arena_init(&p->jobs[i].arena, 256 * 1024);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    pthread_rwlock_init(&p->tmpl, NULL);
    e->pool = p;
    if (want > 1) {
        for (unsigned i = 0; i < want; i++) {
            if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
                break; /* fewer threads still work; none means inline */
            p->n_threads++;
        }
    }
    return TD_OK;
}

static void pool_stop(td_engine *e)
{
    td_pool *p = e->pool;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (uint32_t i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    for (uint32_t i = 0; i < p->cap; i++)
        td_arena_free(&p->jobs[i].arena);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_rwlock_destroy(&p->tmpl);
    td_free(p->jobs);
    td_free(p);
    e->pool = NULL;
}

/* ---- the writer ---- */

static void progress(td_engine *e, bool force)
{
    if (!e->opt.progress)
        return;
    double now = td_now();
    if (!force && now - e->last_progress < 0.1)
        return;
    e->last_progress = now;
    e->stats->seconds = now - e->t0;
    e->opt.progress(e->opt.ud, e->stats);
}

static void warn_at(td_engine *e, const char *source, uint64_t line, td_str id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void warn_at(td_engine *e, const char *source, uint64_t line, td_str id, const char *fmt, ...)
{
    if (!e->opt.warn)
        return;
    char where[1100], msg[600];
    if (source && line)
        snprintf(where, sizeof where, "%s:%llu", source, (unsigned long long)line);
    else if (source)
        snprintf(where, sizeof where, "%s", source);
    else
        snprintf(where, sizeof where, "%.*s", (int)(id.len < 200 ? id.len : 200), id.p ? id.p : "input");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->opt.warn(e->opt.ud, where, msg);
}

/* ---- crash safety of the corpus stages ----
 * The corpus stages run once at the end of a run and decide what to redo
 * from what the run stored (in memory). A run killed after its last batch
 * but before its corpus stages ended would leave them undone for good: the
 * next run finds every article unchanged. So the first article a run stores
 * sets run_state.finish_pending in the same transaction, td_pipeline_finish
 * clears it when every corpus stage is done, and a run that finds it set
 * redoes them over the whole corpus (e->finish_redo). Constant SQL only. */

static bool finish_was_pending(td_engine *e);

static td_status mark_finish_pending(td_engine *e)
{
    td_db *db = td_store_sql(e->store);
    if (finish_was_pending(e))
        e->finish_redo = true; /* the run before this one did not finish */
    if (td_db_exec(db, "CREATE TABLE IF NOT EXISTS run_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
                     "INSERT INTO run_state (key, value) VALUES ('finish_pending', 1)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value;", NULL) != TD_OK)
        return td_engine_fail(e, TD_EDB, "marking the run: %s", td_db_errmsg(db));
    e->finish_marked = true;
    return TD_OK;
}

/* True when an earlier run left its corpus stages unfinished. */
static bool finish_was_pending(td_engine *e)
{
    td_db *db = td_store_sql(e->store);
    td_stmt *q = NULL;
    bool pending = false;
    if (td_db_prepare(db, "SELECT value FROM run_state WHERE key = 'finish_pending'", &q, NULL) ==
            TD_OK &&
        td_stmt_step(q) == TD_DB_ROW)
        pending = (int)td_stmt_i64(q, 0) != 0;
    td_stmt_finalize(q); /* no table yet: nothing pending */
    return pending;
}

static td_status clear_finish_pending(td_engine *e)
{
    td_db *db = td_store_sql(e->store);
    if (!e->finish_marked && !e->finish_redo)
        return TD_OK;
    if (td_db_exec(db, "DELETE FROM run_state WHERE key = 'finish_pending'", NULL) != TD_OK)
        return td_engine_fail(e, TD_EDB, "ending the run: %s", td_db_errmsg(db));
    e->finish_marked = e->finish_redo = false;
    return TD_OK;
}

/* Runs the writer stages of a finished job, in input order. */
static td_status write_job(td_engine *e, td_job *j)
{
    td_article *a = &j->a;
    if (j->st != TD_OK) {
        if (fatal(j->st) && j->st != TD_ENOMEM)
            return td_engine_fail(e, j->st, "%.*s: stage %s: %s", (int)a->id.len, a->id.p, j->failed,
                                  td_status_str(j->st));
        e->stats->skipped++;
        warn_at(e, a->source, a->source_line, a->id, "stage %s failed (%s); skipped", j->failed,
                td_status_str(j->st));
        return TD_OK;
    }
    e->stats->bad_utf8 += a->bad_utf8;
    size_t i = 0;
    for (; i < N_STAGES && STAGES[i].where == WORKER; i++)
        stage_time_add(e->stats, (uint32_t)i, STAGES[i].name, j->stage_ns[i < TD_MAX_STAGES ? i : 0]);
    for (; i < N_STAGES; i++) {
        uint64_t t0 = now_ns();
        td_status st = STAGES[i].run(e, a);
        stage_time_add(e->stats, (uint32_t)i, STAGES[i].name, now_ns() - t0);
        if (st == TD_OK && j->arena.failed)
            st = TD_ENOMEM;
        if (st != TD_OK) {
            if (fatal(st)) {
                if (!e->err.len)
                    td_engine_fail(e, st, "%.*s: stage %s: %s", (int)a->id.len, a->id.p, STAGES[i].name,
                                   td_status_str(st));
                return st;
            }
            e->stats->skipped++;
            warn_at(e, a->source, a->source_line, a->id, "stage %s failed (%s); skipped", STAGES[i].name,
                    td_status_str(st));
            return TD_OK;
        }
    }
    e->stats->stored++;
    if (!e->finish_marked)
        return mark_finish_pending(e);
    return TD_OK;
}

/* Waits for the oldest job and writes it. */
static td_status finish_oldest(td_engine *e)
{
    td_pool *p = e->pool;
    td_job *j = &p->jobs[p->tail % p->cap];
    if (p->n_threads) {
        pthread_mutex_lock(&p->mu);
        while (!j->done)
            pthread_cond_wait(&p->done, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    td_status st = write_job(e, j);
    p->tail++;
    return st;
}

static td_status drain(td_engine *e)
{
    td_pool *p = e->pool;
    td_status st = TD_OK;
    while (p && p->tail < p->head) {
        td_status s = finish_oldest(e);
        if (st == TD_OK)
            st = s;
    }
    return st;
}

/* Ends the batch: drain, flush template counts, commit, merge the snapshot. */
static td_status commit_batch(td_engine *e)
{
    td_status st = drain(e);
    if (st != TD_OK) {
        td_store_rollback(e->store);
        return st;
    }
    if (td_store_in_tx(e->store)) {
        if ((st = flush_templates(e)) != TD_OK || (st = save_rechecks(e)) != TD_OK) {
            td_store_rollback(e->store);
            return st;
        }
        st = td_store_commit(e->store);
        if (st != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    }
    pthread_rwlock_t *lk = tmpl_lock(e);
    if (lk)
        pthread_rwlock_wrlock(lk);
    st = merge_templates(e);
    if (lk)
        pthread_rwlock_unlock(lk);
    td_map_clear(&e->inflight);
    e->in_batch = 0;
    return st == TD_OK ? TD_OK : td_engine_fail(e, st, "out of memory merging outlet templates");
}

td_status td_pipeline_commit(td_engine *e)
{
    return commit_batch(e);
}

/* Copies a C string into the arena as a view; {NULL,0} for NULL. */
static td_str dup_str(td_arena *a, const char *z, size_t len)
{
    if (!z)
        return (td_str){ NULL, 0 };
    char *p = td_arena_strndup(a, z, len);
    return p ? td_str_make(p, len) : (td_str){ NULL, 0 };
}

/* Fills a job with an input (its arena reset) and loads the stored
 * template counts of its outlet, before any of its articles is cleaned. */
static td_status job_fill(td_engine *e, td_job *j, const td_input *in, td_str id, uint64_t raw_hash)
{
    td_str none = { NULL, 0 };
    td_arena_reset(&j->arena);
    memset(&j->a, 0, sizeof j->a);
    j->done = false;
    j->prepared = false;
    j->failed = NULL;
    td_article *a = &j->a;
    a->arena = &j->arena;
    a->id = dup_str(&j->arena, id.p, id.len);
    a->url = in->url ? dup_str(&j->arena, in->url, strlen(in->url)) : none;
    a->raw = dup_str(&j->arena, in->text, in->text_len);
    a->given_published = in->published ? dup_str(&j->arena, in->published, strlen(in->published)) : none;
    a->given_outlet = in->outlet ? dup_str(&j->arena, in->outlet, strlen(in->outlet)) : none;
    a->given_title = in->title ? dup_str(&j->arena, in->title, strlen(in->title)) : none;
    a->source = in->source ? td_arena_strndup(&j->arena, in->source, strlen(in->source)) : NULL;
    a->source_line = in->source_line;
    a->html = in->html != 0;
    a->raw_hash = raw_hash;
    if (j->arena.failed)
        return td_engine_fail(e, TD_ENOMEM, "out of memory");
    td_str outlet = a->given_outlet.len ? a->given_outlet
                                        : (a->url.len ? td_clean_outlet_from_url(&j->arena, a->url) : none);
    td_status st = load_outlet(e, outlet);
    return st == TD_OK ? TD_OK : td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
}

/* ---- prepared batches (tidings worker, src/worker) ----
 * A worker runs the worker stages of its claimed batch while other workers
 * merge theirs (td_pipeline_prepare), against the template counts of that
 * moment, recording every count its cleaning read (td_clean_probes). When
 * the batch's turn comes, td_pipeline_article finds each article's prepared
 * job and uses it only if cleaning it now would give the same result: the
 * counts it read are unchanged, or, when they moved, a fresh clean (text and
 * clean stages only, the cheap part) decides the same lines, title, dateline
 * and date. Otherwise the article runs all its worker stages again. So a
 * prepared batch gives exactly what running it at its turn gives. */

typedef struct td_prepared {
    td_job *jobs;
    uint32_t n;
    td_map by_key;      /* prep_key(id, input) -> job index + 1; 0 once taken */
    td_arena scratch;   /* the fresh clean of prep_still_valid */
    uint64_t reused, rechecked, rerun;
} td_prepared;

static uint64_t prep_key(uint64_t idh, uint64_t raw_hash)
{
    return (idh ^ (raw_hash * 0x9E3779B97F4A7C15ULL)) | 1; /* never 0, the map's empty key */
}

static void prep_free(td_engine *e)
{
    td_prepared *pr = e->prep;
    if (!pr)
        return;
    for (uint32_t i = 0; i < pr->n; i++)
        td_arena_free(&pr->jobs[i].arena);
    td_free(pr->jobs);
    td_map_free(&pr->by_key);
    td_arena_free(&pr->scratch);
    td_free(pr);
    e->prep = NULL;
}

static bool same_clean(const td_article *x, const td_article *y)
{
    if (!td_str_eq(x->title, y->title) || !td_str_eq(x->subtitle, y->subtitle) || !td_str_eq(x->outlet, y->outlet) ||
        !td_str_eq(x->dateline, y->dateline) || !td_str_eq(x->byline, y->byline) || !td_str_eq(x->body, y->body) ||
        !td_str_eq(x->captions, y->captions) || x->n_lines != y->n_lines || x->published.year != y->published.year ||
        x->published.month != y->published.month || x->published.day != y->published.day ||
        x->published.prec != y->published.prec)
        return false;
    if ((x->published_from == NULL) != (y->published_from == NULL) ||
        (x->published_from && strcmp(x->published_from, y->published_from) != 0))
        return false;
    for (uint32_t i = 0; i < x->n_lines; i++)
        if (x->lines[i].kind != y->lines[i].kind)
            return false;
    return true;
}

static td_status stage_text(td_engine *e, td_article *a);
static td_status stage_clean(td_engine *e, td_article *a);

/* True when the prepared job pj still holds what the worker stages would
 * give the fresh job j now (see the section comment). */
static bool prep_still_valid(td_engine *e, td_prepared *pr, const td_job *pj, const td_job *j)
{
    const td_article *pa = &pj->a;
    if (pa->html || !pa->probes)
        return true; /* no outlet-template counts read */
    const td_clean_probes *p = pa->probes;
    bool same = true;
    for (uint32_t i = 0; i < p->len && same; i++) {
        uint64_t *v = td_map_get(&e->tmpl.counts, p->key[i]);
        same = (uint32_t)(v ? *v : 0) == p->n[i];
    }
    if (same)
        return true;
    pr->rechecked++;
    td_arena_reset(&pr->scratch);
    td_article b = j->a; /* the input fields, read only */
    b.arena = &pr->scratch;
    b.probes = NULL;
    if (stage_text(e, &b) != TD_OK || stage_clean(e, &b) != TD_OK || pr->scratch.failed)
        return false;
    return same_clean(&b, pa);
}

static void prep_use(td_engine *e, td_job *j, uint64_t idh, uint64_t raw_hash)
{
    td_prepared *pr = e->prep;
    uint64_t *v = td_map_get(&pr->by_key, prep_key(idh, raw_hash));
    if (!v || !*v)
        return;
    td_job *pj = &pr->jobs[*v - 1];
    *v = 0; /* taken: a repeated input runs normally */
    if (pj->st != TD_OK || !prep_still_valid(e, pr, pj, j)) {
        pr->rerun++;
        return;
    }
    td_arena ta = j->arena; /* the prepared job moves into the ring's slot */
    j->arena = pj->arena;
    pj->arena = ta;
    j->a = pj->a;
    j->a.arena = &j->arena;
    j->a.probes = NULL;
    memset(&pj->a, 0, sizeof pj->a);
    pj->a.arena = &pj->arena;
    j->st = pj->st;
    j->failed = pj->failed;
    memcpy(j->stage_ns, pj->stage_ns, sizeof j->stage_ns);
    j->prepared = true;
    pr->reused++;
}

typedef struct prep_run {
    td_engine *e;
    td_prepared *pr;
    _Atomic uint32_t next;
} prep_run;

static void *prep_thread(void *arg)
{
    prep_run *r = arg;
    for (;;) {
        uint32_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->pr->n)
            break;
        td_job *j = &r->pr->jobs[i];
        if (j->a.arena) /* a filled job (inputs skipped at fill have none) */
            run_worker_stages(r->e, j);
    }
    return NULL;
}

td_status td_pipeline_prepare(td_engine *e, const td_input *in, uint32_t n)
{
    prep_free(e);
    td_status st = pool_start(e);
    if (st != TD_OK)
        return td_engine_fail(e, st, "cannot start the pipeline: %s", td_status_str(st));
    td_prepared *pr = td_calloc(1, sizeof *pr);
    if (!pr)
        return TD_ENOMEM;
    e->prep = pr;
    pr->jobs = td_calloc(n ? n : 1, sizeof *pr->jobs);
    if (!pr->jobs)
        return TD_ENOMEM;
    pr->n = n;
    td_arena_init(&pr->scratch, 256 * 1024);
    for (uint32_t i = 0; i < n; i++) {
        td_job *j = &pr->jobs[i];
        td_arena_init(&j->arena, 256 * 1024);
        /* what td_pipeline_article skips, it skips (and reports) at the turn */
        if (!in[i].text || in[i].text_len > e->opt.max_article_bytes ||
            td_str_trim(td_str_make(in[i].text, in[i].text_len)).len == 0)
            continue;
        uint64_t raw_hash = XXH3_64bits(in[i].text, in[i].text_len);
        char idbuf[24];
        td_str id = td_str_cstr(in[i].id);
        if (!in[i].id) {
            snprintf(idbuf, sizeof idbuf, "h%016llx", (unsigned long long)raw_hash);
            id = td_str_cstr(idbuf);
        }
        if ((st = job_fill(e, j, &in[i], id, raw_hash)) != TD_OK)
            return st;
        j->a.probes = td_arena_calloc(&j->arena, 1, sizeof(td_clean_probes));
        uint64_t *slot = td_map_upsert(&pr->by_key, prep_key(XXH3_64bits(id.p, id.len), raw_hash));
        if (!slot || !j->a.probes)
            return td_engine_fail(e, TD_ENOMEM, "out of memory");
        *slot = i + 1;
    }
    /* the template snapshot only changes at a batch's end: nothing is
     * merged while this runs, so the workers read it without the lock */
    prep_run r = { e, pr, 0 };
    unsigned want = e->pool->n_threads, started = 0; /* the caller is one of them */
    pthread_t t[MAX_THREADS];
    for (unsigned i = 0; i + 1 < want && i < MAX_THREADS; i++)
        if (pthread_create(&t[i], NULL, prep_thread, &r) == 0)
            started++;
    prep_thread(&r);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return TD_OK;
}

void td_pipeline_prepared_stats(td_engine *e, uint64_t *reused, uint64_t *rechecked, uint64_t *rerun)
{
    td_prepared *pr = e->prep;
    *reused = pr ? pr->reused : 0;
    *rechecked = pr ? pr->rechecked : 0;
    *rerun = pr ? pr->rerun : 0;
}

void td_pipeline_unprepare(td_engine *e) { prep_free(e); }

td_status td_pipeline_refresh(td_engine *e)
{
    td_status st = commit_batch(e);
    if (st != TD_OK)
        return st;
    /* outlet templates: reloaded from the store as each outlet comes up */
    pthread_rwlock_t *lk = tmpl_lock(e);
    if (lk)
        pthread_rwlock_wrlock(lk);
    td_map_clear(&e->tmpl.counts);
    td_map_clear(&e->tmpl.loaded);
    if (lk)
        pthread_rwlock_unlock(lk);
    /* the copy index and stories: restored from the store on next use */
    td_stage_stories_free(e);
    return TD_OK;
}

td_status td_pipeline_article(td_engine *e, const td_input *in)
{
    td_ingest_stats *s = e->stats;
    s->seen++;
    progress(e, false);
    td_str none = { NULL, 0 };
    if (!in->text) {
        s->skipped++;
        warn_at(e, in->source, in->source_line, td_str_cstr(in->id), "no text; skipped");
        return TD_EPARSE;
    }
    if (in->text_len > e->opt.max_article_bytes) {
        s->skipped++;
        warn_at(e, in->source, in->source_line, none, "article of %zu bytes is over the limit of %llu bytes; skipped",
                in->text_len, (unsigned long long)e->opt.max_article_bytes);
        return TD_ELIMIT;
    }
    if (td_str_trim(td_str_make(in->text, in->text_len)).len == 0) {
        s->skipped++;
        warn_at(e, in->source, in->source_line, td_str_cstr(in->id), "empty text; skipped");
        return TD_EPARSE;
    }
    td_status st = pool_start(e);
    if (st != TD_OK)
        return td_engine_fail(e, st, "cannot start the pipeline: %s", td_status_str(st));

    uint64_t raw_hash = XXH3_64bits(in->text, in->text_len);
    char idbuf[24];
    td_str id = td_str_cstr(in->id);
    if (!in->id) { /* keyed by content when the input has no id */
        snprintf(idbuf, sizeof idbuf, "h%016llx", (unsigned long long)raw_hash);
        id = td_str_cstr(idbuf);
    }
    /* unchanged: stored, or submitted in this batch, with the same input */
    uint64_t idh = XXH3_64bits(id.p, id.len);
    uint64_t *inflight = td_map_get(&e->inflight, idh);
    if (inflight && *inflight == raw_hash) {
        s->unchanged++;
        return TD_OK;
    }
    if (!td_store_in_tx(e->store) && (st = td_store_begin(e->store)) != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    int64_t rowid;
    uint64_t old_hash;
    st = td_store_article_find(e->store, id, &rowid, &old_hash);
    if (st == TD_OK && old_hash == raw_hash && !inflight) {
        s->unchanged++;
        return TD_OK;
    }
    if (st != TD_OK && st != TD_ENOTFOUND)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    uint64_t *slot = td_map_upsert(&e->inflight, idh);
    if (!slot)
        return td_engine_fail(e, TD_ENOMEM, "out of memory");
    *slot = raw_hash;

    /* a free slot in the ring: write the oldest job if the ring is full */
    td_pool *p = e->pool;
    if (p->head - p->tail == p->cap && (st = finish_oldest(e)) != TD_OK)
        return st;
    td_job *j = &p->jobs[p->head % p->cap];
    j->seq = p->head;
    if ((st = job_fill(e, j, in, id, raw_hash)) != TD_OK)
        return st;
    if (e->prep) /* its worker stages ran ahead: used when still valid */
        prep_use(e, j, idh, raw_hash);

    if (p->n_threads) {
        pthread_mutex_lock(&p->mu);
        p->head++;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->mu);
    } else {
        p->head++;
        if (!j->prepared)
            run_worker_stages(e, j);
        j->done = true;
        if ((st = finish_oldest(e)) != TD_OK)
            return st;
    }
    if (++e->in_batch >= e->opt.batch_size)
        return commit_batch(e);
    return TD_OK;
}

td_status td_pipeline_clean(td_engine *e, td_article *a, bool exclude_self)
{
    td_status st = a->html ? stage_html(e, a) : stage_text(e, a);
    if (st != TD_OK || a->html)
        return st == TD_OK ? stage_hash(e, a) : st;
    line_ctx c = { e, exclude_self, NULL };
    td_clean_opts o = { line_count, &c, 0 };
    st = td_clean_article(a, &o); /* no worker runs: no lock needed */
    if (st == TD_OK)
        st = stage_hash(e, a);
    return st;
}

/* Re-cleans the articles that kept lines which turned out to be their
 * outlet's template once their whole run was seen: this run's (saved with its
 * batches) or those of an earlier run killed before its end (see
 * save_rechecks), against the stored counts of their outlets, swapped in for
 * the snapshot meanwhile (no worker runs). The list is cleared in the
 * transaction of the re-cleaned rows. The templates corpus stage, and the
 * first thing a run does (pool_start). */
static td_status reclean(td_engine *e)
{
    size_t n_rows;
    td_map counts = TD_MAP_INIT;
    td_status out = load_rechecks(e, &counts, &n_rows);
    td_map snapshot = e->tmpl.counts;
    e->tmpl.counts = counts;
    td_clean_opts defaults = { 0 };
    uint32_t min = td_clean_template_min(&defaults);
    for (size_t i = 0; i < e->n_recheck && out == TD_OK; i++) {
        td_recheck *r = &e->recheck[i];
        bool stale = false;
        for (uint32_t j = 0; j < r->n && !stale; j++) {
            uint64_t *v = td_map_get(&e->tmpl.counts, tmpl_key(r->outlet_hash, e->recheck_hashes[r->first + j]));
            stale = v && *v - 1 >= min;
        }
        if (!stale)
            continue;
        td_arena_reset(&e->arena);
        td_article a = { 0 };
        a.arena = &e->arena;
        td_status st = td_store_article_raw(e->store, r->rowid, &e->arena, &a);
        if (st == TD_OK)
            st = td_pipeline_clean(e, &a, true);
        if (st == TD_OK && e->arena.failed)
            st = TD_ENOMEM;
        if (st != TD_OK) {
            if (fatal(st))
                out = td_engine_fail(e, st, "re-cleaning: %s", td_status_str(st));
            continue;
        }
        if (!td_store_in_tx(e->store) && (st = td_store_begin(e->store)) != TD_OK) {
            out = td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
            break;
        }
        int64_t rowid;
        uint64_t raw_hash; /* keep the hash of the original input: re-ingest stays a no-op */
        st = td_store_article_find(e->store, a.id, &rowid, &raw_hash);
        if (st == TD_OK)
            st = td_store_article_put(e->store, &a, raw_hash, removed_json(&e->arena, &a), &rowid);
        if (st != TD_OK)
            out = td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    }
    counts = e->tmpl.counts;
    e->tmpl.counts = snapshot;
    td_map_free(&counts);
    e->n_recheck = 0;
    e->n_rh = 0;
    if (out != TD_OK)
        return out;
    if (n_rows) {
        td_status st = td_store_in_tx(e->store) ? TD_OK : td_store_begin(e->store);
        if (st != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
        td_db *db = td_store_sql(e->store);
        if (td_db_exec(db, "DELETE FROM reclean_pending", NULL) != TD_OK)
            return td_engine_fail(e, TD_EDB, "clearing the re-clean list: %s", td_db_errmsg(db));
    }
    return commit_batch(e);
}

/* place_story: places an article alone could not tell apart, read in the
 * country of its story and of the articles naming its people
 * (extract/place_story.h); after "stories" (the consolidated stories are
 * its context), before "entities", which builds the corpus entities from
 * the rows it changes. A function of the corpus, not of earlier runs: a
 * killed run's redo (finish_redo) gives what the finish would have. */
static td_status place_story_finish(td_engine *e)
{
    if (!e->stats->stored && !e->finish_redo)
        return TD_OK;
    if (e->finish_redo && !e->models_tried) {
        td_status st = entity_models_load(e);
        if (st != TD_OK)
            return st;
    }
    if (!e->models || !e->models->gaz)
        return TD_OK;
    td_buf err = TD_BUF_INIT;
    uint32_t n = 0;
    td_status st = td_place_story_update(td_store_sql(e->store), e->models->gaz, &n, &err);
    if (st != TD_OK)
        td_engine_fail(e, st, "placing by story: %s", err.p ? err.p : td_status_str(st));
    else if (n)
        e->entities_dirty = true;
    td_buf_free(&err);
    return st;
}

/* entities: the corpus entities from every article's, when any changed. */
static td_status entities_finish(td_engine *e)
{
    if (e->finish_redo && !e->models_tried) {
        td_status st = entity_models_load(e);
        if (st != TD_OK)
            return st;
    }
    if (!e->entities_dirty && !(e->finish_redo && e->models))
        return TD_OK;
    td_status st = td_store_entities_rebuild(e->store, e->models, &e->arena);
    if (st != TD_OK)
        return td_engine_fail(e, st, "rebuilding entities: %s", td_db_errmsg(td_store_sql(e->store)));
    e->entities_dirty = false;
    return TD_OK;
}

/* events: one event per real-world happening from every article's
 * mentions, after the entities and stories they point to are final. Nothing
 * stored in this run: nothing to re-merge (a second ingest is a no-op). */
static td_status events_finish(td_engine *e)
{
    if (!e->stats->stored && !e->finish_redo)
        return TD_OK;
    td_buf err = TD_BUF_INIT;
    td_status st = td_store_events_merge(e->store, &err);
    if (st != TD_OK)
        td_engine_fail(e, st, "merging events: %s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return st;
}

static void summary_tick(void *ud)
{
    progress(ud, false);
}

/* summaries: 3-5 sentences per story whose originals changed (summary.h). */
static td_status summaries_finish(td_engine *e)
{
    if (!e->stats->stored && !e->finish_redo) /* redo: a killed run stopped before this */
        return TD_OK;
    td_buf err = TD_BUF_INIT;
    td_status st = td_summary_update(td_store_sql(e->store), false, summary_tick, e, NULL, &err);
    if (st != TD_OK)
        td_engine_fail(e, st, "%s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return st;
}

/* places: the R*Tree of event coordinates that `search --near` reads. */
static td_status places_finish(td_engine *e)
{
    if (!e->stats->stored && !e->finish_redo)
        return TD_OK;
    td_buf err = TD_BUF_INIT;
    td_status st = td_search_geo_update(td_store_sql(e->store), NULL, &err);
    if (st != TD_OK)
        td_engine_fail(e, st, "%s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return st;
}

/* alerts: follows against what merging changed, then delivery (alert.h,
 * docs/follows.md). Runs even when nothing was stored, so failed webhooks
 * are retried; one indexed query when nobody follows anything. */
static td_status alerts_finish(td_engine *e)
{
    td_db *db = td_store_sql(e->store);
    if (!td_store_follow_any(db))
        return TD_OK;
    td_alert_opts o;
    td_alert_opts_default(&o);
    o.warn = e->opt.warn;
    o.ud = e->opt.ud;
    td_buf err = TD_BUF_INIT;
    td_status st = td_alert_run(db, &o, NULL, &err);
    if (st != TD_OK)
        td_engine_fail(e, st, "alerts: %s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return st;
}

/* The corpus stages, run when an ingest run finishes. Later issues add
 * theirs (merging events, consolidating stories) here. */
static const struct {
    const char *name;
    td_status (*run)(td_engine *e);
} CORPUS_STAGES[] = {
    { "commit", commit_batch },
    { "templates", reclean },
    { "stories", td_stage_stories_finish },          /* story/stage.c: merges, titles, earliest copies */
    { "place_story", place_story_finish },           /* extract/place_story.c: after stories (its context), before entities */
    { "entities", entities_finish },
    { "events", events_finish },                     /* store/sqlite_event.c: merge across sources */
    { "summaries", summaries_finish },               /* summary/: after stories, events last-but-one */
    { "places", places_finish },                     /* search/: R*Tree of event places, after events */
    { "alerts", alerts_finish },                     /* alert/: follows matched after merging, delivery */
};

td_status td_pipeline_finish(td_engine *e)
{
    if (!e->opt.read_only && !e->finish_marked && finish_was_pending(e))
        e->finish_redo = true; /* set by a run that did not finish */
    for (size_t i = 0; i < sizeof CORPUS_STAGES / sizeof CORPUS_STAGES[0]; i++) {
        uint64_t t0 = now_ns();
        td_status st = CORPUS_STAGES[i].run(e);
        stage_time_add(e->stats, (uint32_t)(N_STAGES + i), CORPUS_STAGES[i].name, now_ns() - t0);
        if (st != TD_OK)
            return st;
    }
    td_status st = e->opt.read_only ? TD_OK : clear_finish_pending(e);
    progress(e, true);
    return st;
}

void td_pipeline_free(td_engine *e)
{
    prep_free(e);
    pool_stop(e);
    td_stage_stories_free(e);
    td_entity_models_free(e->models);
    e->models = NULL;
    td_templates *t = &e->tmpl;
    for (uint32_t i = 0; i < t->n_outlets; i++)
        td_free(t->outlets[i]);
    td_free(t->outlets);
    td_map_free(&t->outlet_ids);
    td_map_free(&t->counts);
    td_map_free(&t->pending);
    td_map_free(&t->loaded);
    td_map_free(&t->delta_ix);
    td_free(t->delta);
    td_map_free(&e->inflight);
    td_free(e->recheck);
    td_free(e->recheck_hashes);
    memset(t, 0, sizeof *t);
}
