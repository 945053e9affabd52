/*
 * pipeline.c - the stages in order, from one const table.
 *
 *   read ──> [html] ──> text ──> clean ──> hash ──> [dedup, extract, story: later issues] ──> store
 *
 * Each per-article stage takes the engine (models, store, counters) and one
 * td_article whose memory is the engine's arena, reset after every article.
 * Writes are batched: one transaction per opt.batch_size articles, so a crash
 * loses at most the open batch and re-running the ingest completes it
 * (articles already stored with the same content are skipped as unchanged).
 *
 * Outlet templates: lines that an outlet repeats across its articles are its
 * template (menus, pitches, footers). Counts of candidate lines per outlet
 * live in memory (loaded lazily from the store per outlet) and are flushed
 * with each batch. An article cleaned before its outlet's template was known
 * is re-cleaned when the run finishes.
 */
#include "pipeline.h"
#include "base/alloc.h"
#include "clean/clean.h"
#include "clean/html_extract.h"
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* ---- template learning ---- */

static uint64_t tmpl_key(uint32_t outlet, uint64_t hash)
{
    return hash ^ ((uint64_t)(outlet + 1) * 0x9E3779B97F4A7C15ULL);
}

static void load_line(void *ud, uint64_t hash, uint32_t n)
{
    void **args = ud;
    td_templates *t = args[0];
    uint32_t outlet = *(uint32_t *)args[1];
    uint64_t *v = td_map_upsert(&t->counts, tmpl_key(outlet, hash));
    if (v)
        *v = n;
}

/* Returns the id of outlet, interning and loading its counts on first use;
 * UINT32_MAX on failure. */
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
    uint32_t id = t->n_outlets++;
    t->outlets[id] = name;
    *v = id + 1;
    void *args[2] = { t, &id };
    td_store_outlet_lines_load(e->store, outlet, load_line, args);
    return id;
}

typedef struct line_ctx {
    td_engine *e;
    bool exclude_self;   /* the article's own lines are already counted */
} line_ctx;

/* td_clean_opts.line_count: other articles of outlet with this line. */
static uint32_t line_count(void *ud, td_str outlet, uint64_t hash)
{
    line_ctx *c = ud;
    if (!outlet.len)
        return 0;
    uint32_t id = outlet_id(c->e, outlet);
    if (id == UINT32_MAX)
        return 0;
    uint64_t *v = td_map_get(&c->e->tmpl.counts, tmpl_key(id, hash));
    uint64_t n = v ? *v : 0;
    if (c->exclude_self && n)
        n--;
    return (uint32_t)n;
}

/* Counts the article's candidate lines (each once) for its outlet. */
static td_status learn_lines(td_engine *e, const td_article *a, uint32_t outlet)
{
    td_templates *t = &e->tmpl;
    uint64_t seen[256];
    size_t n_seen = 0;
    for (uint32_t i = 0; i < a->n_lines; i++) {
        if (!td_clean_template_candidate(&a->lines[i]))
            continue;
        uint64_t h = td_clean_line_hash(a->lines[i].text);
        bool dup = false;
        for (size_t j = 0; j < n_seen; j++)
            dup |= seen[j] == h;
        if (dup)
            continue;
        if (n_seen < sizeof seen / sizeof seen[0])
            seen[n_seen++] = h;
        else
            break; /* bounded work on pathological pages */
        uint64_t key = tmpl_key(outlet, h);
        uint64_t *c = td_map_upsert(&t->counts, key);
        uint64_t *d = td_map_upsert(&t->delta_ix, key);
        if (!c || !d)
            return TD_ENOMEM;
        (*c)++;
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

static td_status flush_templates(td_engine *e)
{
    td_templates *t = &e->tmpl;
    for (size_t i = 0; i < t->n_delta; i++) {
        struct td_tmpl_delta *d = &t->delta[i];
        td_str o = td_str_cstr(t->outlets[d->outlet]);
        td_status st = td_store_outlet_line_add(e->store, o, d->hash, d->n);
        if (st != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    }
    t->n_delta = 0;
    td_map_clear(&t->delta_ix);
    return TD_OK;
}

/* Remembers the kept candidate lines of a stored article for the final check. */
static td_status remember(td_engine *e, const td_article *a, int64_t rowid, uint32_t outlet)
{
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
    e->recheck[e->n_recheck++] = (td_recheck){ rowid, outlet, first, n };
    return TD_OK;
}

/* ---- stages ---- */

typedef td_status (*stage_fn)(td_engine *e, td_article *a);

/* html: main-content extraction from a page (charset, boilerplate, metadata);
 * its output then goes the same way as scraped text. */
static td_status stage_html(td_engine *e, td_article *a)
{
    if (!a->html)
        return TD_OK;
    td_html_doc doc = { 0 };
    td_status st = td_html_extract(a->arena, a->raw, a->url, &doc);
    if (st != TD_OK)
        return st;
    uint32_t bad = 0;
    a->body = td_utf8_sanitize(a->arena, doc.body, &bad);
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
    e->stats->bad_utf8 += bad;
    return a->body.p ? TD_OK : TD_ENOMEM;
}

/* text: the UTF-8 gate. */
static td_status stage_text(td_engine *e, td_article *a)
{
    if (a->html)
        return TD_OK;
    a->text = td_utf8_sanitize(a->arena, a->raw, &a->bad_utf8);
    if (!a->text.p)
        return TD_ENOMEM;
    e->stats->bad_utf8 += a->bad_utf8;
    return TD_OK;
}

/* clean: boilerplate, title, outlet, dateline, publication date. */
static td_status stage_clean(td_engine *e, td_article *a)
{
    if (a->html)
        return TD_OK;
    line_ctx c = { e, false };
    td_clean_opts o = { line_count, &c, 0 };
    return td_clean_article(a, &o);
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

static const struct {
    const char *name;
    stage_fn run;
} STAGES[] = {
    { "html", stage_html },
    { "text", stage_text },
    { "clean", stage_clean },
    { "hash", stage_hash },
};

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

static void warn(td_engine *e, const td_input *in, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(td_engine *e, const td_input *in, const char *fmt, ...)
{
    if (!e->opt.warn)
        return;
    char where[1100], msg[600];
    if (in->source && in->source_line)
        snprintf(where, sizeof where, "%s:%llu", in->source, (unsigned long long)in->source_line);
    else
        snprintf(where, sizeof where, "%s", in->source ? in->source : (in->id ? in->id : "input"));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->opt.warn(e->opt.ud, where, msg);
}

static bool fatal(td_status st)
{
    return st == TD_EDB || st == TD_EBUSY || st == TD_EREADONLY || st == TD_ENOMEM || st == TD_EIO;
}

static td_status commit_batch(td_engine *e)
{
    if (!td_store_in_tx(e->store))
        return TD_OK;
    td_status st = flush_templates(e);
    if (st != TD_OK) {
        td_store_rollback(e->store);
        return st;
    }
    st = td_store_commit(e->store);
    if (st != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    e->in_batch = 0;
    return TD_OK;
}

td_status td_pipeline_article(td_engine *e, const td_input *in)
{
    td_ingest_stats *s = e->stats;
    s->seen++;
    progress(e, false);
    if (!in->text) {
        s->skipped++;
        warn(e, in, "no text; skipped");
        return TD_EPARSE;
    }
    if (in->text_len > e->opt.max_article_bytes) {
        s->skipped++;
        warn(e, in, "article of %zu bytes is over the limit of %llu bytes; skipped", in->text_len,
             (unsigned long long)e->opt.max_article_bytes);
        return TD_ELIMIT;
    }
    if (td_str_trim(td_str_make(in->text, in->text_len)).len == 0) {
        s->skipped++;
        warn(e, in, "empty text; skipped");
        return TD_EPARSE;
    }
    uint64_t raw_hash = XXH3_64bits(in->text, in->text_len);
    char idbuf[24];
    td_str id = td_str_cstr(in->id);
    if (!in->id) { /* keyed by content when the input has no id */
        snprintf(idbuf, sizeof idbuf, "h%016llx", (unsigned long long)raw_hash);
        id = td_str_cstr(idbuf);
    }
    td_status st;
    if (!td_store_in_tx(e->store) && (st = td_store_begin(e->store)) != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    int64_t rowid;
    uint64_t old_hash;
    st = td_store_article_find(e->store, id, &rowid, &old_hash);
    if (st == TD_OK && old_hash == raw_hash) {
        s->unchanged++;
        return TD_OK;
    }
    if (st != TD_OK && st != TD_ENOTFOUND)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));

    td_arena_reset(&e->arena);
    td_article a = { 0 };
    a.arena = &e->arena;
    a.id = id;
    a.url = td_str_cstr(in->url);
    a.raw = td_str_make(in->text, in->text_len);
    a.given_published = td_str_cstr(in->published);
    a.given_outlet = td_str_cstr(in->outlet);
    a.given_title = td_str_cstr(in->title);
    a.source = in->source;
    a.source_line = in->source_line;
    a.html = in->html != 0;
    for (size_t i = 0; i < sizeof STAGES / sizeof STAGES[0]; i++) {
        st = STAGES[i].run(e, &a);
        if (st == TD_OK && e->arena.failed)
            st = TD_ENOMEM;
        if (st != TD_OK) {
            if (fatal(st))
                return td_engine_fail(e, st, "%.*s: stage %s: %s", (int)id.len, id.p, STAGES[i].name,
                                      td_status_str(st));
            s->skipped++;
            warn(e, in, "stage %s failed (%s); skipped", STAGES[i].name, td_status_str(st));
            return st;
        }
    }
    /* store */
    uint32_t outlet = a.outlet.len ? outlet_id(e, a.outlet) : UINT32_MAX;
    if (outlet != UINT32_MAX && (st = learn_lines(e, &a, outlet)) != TD_OK)
        return td_engine_fail(e, st, "out of memory learning outlet templates");
    td_str removed = removed_json(&e->arena, &a);
    st = td_store_article_put(e->store, &a, raw_hash, removed, &rowid);
    if (st != TD_OK)
        return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    if (outlet != UINT32_MAX && (st = remember(e, &a, rowid, outlet)) != TD_OK)
        return td_engine_fail(e, st, "out of memory");
    s->stored++;
    if (++e->in_batch >= e->opt.batch_size)
        return commit_batch(e);
    return TD_OK;
}

td_status td_pipeline_clean(td_engine *e, td_article *a, bool exclude_self)
{
    td_status st = stage_text(e, a);
    if (st != TD_OK)
        return st;
    line_ctx c = { e, exclude_self };
    td_clean_opts o = { line_count, &c, 0 };
    st = td_clean_article(a, &o);
    if (st == TD_OK)
        st = stage_hash(e, a);
    return st;
}

/* Re-cleans the articles of this run that kept lines which turned out to be
 * their outlet's template once the whole run was seen. */
static td_status reclean(td_engine *e)
{
    uint32_t min = 0;
    {
        td_clean_opts o = { 0 };
        min = td_clean_template_min(&o);
    }
    for (size_t i = 0; i < e->n_recheck; i++) {
        td_recheck *r = &e->recheck[i];
        bool stale = false;
        for (uint32_t j = 0; j < r->n && !stale; j++) {
            uint64_t *v = td_map_get(&e->tmpl.counts, tmpl_key(r->outlet, e->recheck_hashes[r->first + j]));
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
                return td_engine_fail(e, st, "re-cleaning: %s", td_status_str(st));
            continue;
        }
        if (!td_store_in_tx(e->store) && (st = td_store_begin(e->store)) != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
        int64_t rowid;
        uint64_t raw_hash; /* keep the hash of the original input: re-ingest stays a no-op */
        st = td_store_article_find(e->store, a.id, &rowid, &raw_hash);
        if (st == TD_OK)
            st = td_store_article_put(e->store, &a, raw_hash, removed_json(&e->arena, &a), &rowid);
        if (st != TD_OK)
            return td_engine_fail(e, st, "%s", td_store_errmsg(e->store));
    }
    e->n_recheck = 0;
    e->n_rh = 0;
    return commit_batch(e);
}

static const struct {
    const char *name;
    td_status (*run)(td_engine *e);
} CORPUS_STAGES[] = {
    { "commit", commit_batch },
    { "templates", reclean },
};

td_status td_pipeline_finish(td_engine *e)
{
    for (size_t i = 0; i < sizeof CORPUS_STAGES / sizeof CORPUS_STAGES[0]; i++) {
        td_status st = CORPUS_STAGES[i].run(e);
        if (st != TD_OK)
            return st;
    }
    progress(e, true);
    return TD_OK;
}

void td_pipeline_free(td_engine *e)
{
    td_templates *t = &e->tmpl;
    for (uint32_t i = 0; i < t->n_outlets; i++)
        td_free(t->outlets[i]);
    td_free(t->outlets);
    td_map_free(&t->outlet_ids);
    td_map_free(&t->counts);
    td_map_free(&t->delta_ix);
    td_free(t->delta);
    td_free(e->recheck);
    td_free(e->recheck_hashes);
    memset(t, 0, sizeof *t);
}
