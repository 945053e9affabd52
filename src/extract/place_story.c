/*
 * place_story.c - places resolved with their context (rule and contract in
 * place_story.h).
 *
 * td_place_story_apply works on one judged article's rows followed by its
 * context articles' rows, in memory; country tallies count articles, not
 * mentions, so a long article does not outvote three short ones. Cost per
 * judged article O(context rows^2) at worst, bounded by MAX_CTX articles.
 *
 * td_place_story_update: one pass over the place rows (art_entity, type
 * place) finds the weak articles; in rounds of at most MAX_WEAK, their
 * context is their story's other articles and the articles naming one of the
 * same people or organisations (one pass over those rows, matched through a
 * hash of the round's names); then each is judged and its rows written back.
 * SQL in the subset both backends accept (docs/postgres.md).
 *
 * Invariant (crash safety, docs/reliability.md): the stage's result is a
 * function of the corpus as it stands, never of the runs before it. It runs
 * over every weak article at every finish, and it reads every place row as
 * the geocoder stored it: a row it changes keeps the geocoder's values in
 * place_story_orig, which the next run reads in their stead and puts back
 * when the rule no longer applies. Judging rows an earlier run had already
 * changed (with the smaller context of a shorter corpus, or with stories not
 * yet consolidated) made a history with kills end unlike one without, since
 * a killed run skips its finish. Hence also its place after "stories" (the
 * consolidated stories are its context) and before "entities" and "events"
 * (which read the rows it writes), all in one transaction.
 */
#include "extract/place_story.h"

#include "base/alloc.h"
#include "extract/extract_int.h"

#include <math.h>
#include <string.h>


static int cc_idx(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

/* A record that is a country's evidence in its own right: the country, a
 * province, a capital or seat, or a place of 100,000 people or more. */
static bool strong_record(const td_place *p)
{
    return p->kind == TD_PLACE_COUNTRY || p->kind == TD_PLACE_ADMIN1 ||
           p->kind == TD_PLACE_CAPITAL || p->kind == TD_PLACE_SEAT1 || p->population >= 100000;
}

/* True when rows [lo, hi) (one article) hold a strong record of country c. */
static bool names_strongly(const td_gazetteer *g, const td_story_place *r, uint32_t lo, uint32_t hi,
                           int c)
{
    for (uint32_t i = lo; i < hi; i++) {
        if (r[i].place < 0)
            continue;
        td_place p;
        td_gazetteer_place(g, (uint32_t)r[i].place, &p);
        if (strong_record(&p) && cc_idx(p.country) == c)
            return true;
    }
    return false;
}

/* True when an article other than [lo, hi) holds any record of country c. */
static bool others_name(const td_story_place *r, uint32_t n, uint32_t lo, uint32_t hi, int c)
{
    for (uint32_t i = 0; i < n; i++)
        if ((i < lo || i >= hi) && !r[i].weak && r[i].place >= 0 && r[i].cc[0] && cc_idx(r[i].cc) == c)
            return true;
    return false;
}

/* The context's country for the article [lo, hi): each context original
 * with evidence of its own votes for its main country (the one its strong
 * records are named most in, no tie); the country with the most votes, at
 * least two, more than any other and more than half of the votes cast;
 * -1 when none. cnt is scratch of 676 entries. */
static int story_country(const td_gazetteer *g, const td_story_place *r, uint32_t n, uint32_t lo,
                         uint32_t hi, uint32_t *cnt)
{
    memset(cnt, 0, 676 * sizeof *cnt);
    uint32_t n_votes = 0;
    for (uint32_t a = 0; a < n;) {
        uint32_t b = a;
        while (b < n && r[b].article == r[a].article)
            b++;
        if (a != lo && r[a].original && !r[a].weak) {
            int cs[16];
            uint32_t ms[16], k = 0;
            for (uint32_t i = a; i < b; i++) {
                if (r[i].place < 0)
                    continue;
                td_place p;
                td_gazetteer_place(g, (uint32_t)r[i].place, &p);
                int c = cc_idx(p.country);
                if (c < 0 || !strong_record(&p))
                    continue;
                uint32_t j = 0;
                while (j < k && cs[j] != c)
                    j++;
                if (j == k) {
                    if (k == 16)
                        continue;
                    cs[k] = c;
                    ms[k++] = 0;
                }
                ms[j] += r[i].n_mentions ? r[i].n_mentions : 1;
            }
            int top = -1;
            uint32_t top_m = 0;
            bool tie = false;
            for (uint32_t j = 0; j < k; j++) {
                if (ms[j] > top_m) {
                    top = cs[j];
                    top_m = ms[j];
                    tie = false;
                } else if (ms[j] == top_m) {
                    tie = true;
                }
            }
            if (top >= 0 && !tie) {
                cnt[top]++;
                n_votes++;
            }
        }
        a = b;
    }
    (void)hi;
    int best = -1;
    uint32_t best_n = 0;
    bool tie = false;
    for (int c = 0; c < 676; c++) {
        if (cnt[c] > best_n) {
            best = c;
            best_n = cnt[c];
            tie = false;
        } else if (cnt[c] && cnt[c] == best_n) {
            tie = true;
        }
    }
    return best_n >= 2 && !tie && best_n * 2 > n_votes ? best : -1;
}

/* The story's town in country c: the one town most other original
 * articles name, at least two; -1 when none or a tie. */
static int32_t story_town(const td_gazetteer *g, const td_story_place *r, uint32_t n, uint32_t lo,
                          int c)
{
    int32_t best = -1;
    uint32_t best_n = 0;
    bool tie = false;
    for (uint32_t i = 0; i < n; i++) {
        if (r[i].place < 0 || r[i].article == r[lo].article || !r[i].original || r[i].weak)
            continue;
        td_place p;
        td_gazetteer_place(g, (uint32_t)r[i].place, &p);
        if (cc_idx(p.country) != c || p.kind < TD_PLACE_CAPITAL || isnan(p.lat))
            continue;
        /* count the articles naming it once each: the first row of each */
        bool first = true;
        for (uint32_t j = 0; j < i && first; j++)
            first = !(r[j].place == r[i].place && r[j].article == r[i].article);
        if (!first)
            continue;
        uint32_t k = 0;
        for (uint32_t j = 0; j < n; j++) {
            if (r[j].place != r[i].place || r[j].article == r[lo].article || !r[j].original || r[j].weak)
                continue;
            bool first_j = true;
            for (uint32_t q = 0; q < j && first_j; q++)
                first_j = !(r[q].place == r[j].place && r[q].article == r[j].article);
            k += first_j;
        }
        if (r[i].place == best)
            continue;
        if (k > best_n) {
            best = r[i].place;
            best_n = k;
            tie = false;
        } else if (k == best_n) {
            tie = true;
        }
    }
    return best_n >= 2 && !tie ? best : -1;
}

/* Row x becomes an unknown place of country cc inside container (-1: the
 * country's own record). */
static void make_unknown(const td_gazetteer *g, td_story_place *x, const char *cc, int32_t container)
{
    if (x->place >= 0)
        x->kind = 0; /* a record dropped: no kind, as the geocoder's coherence rule */
    x->place = -1;
    memcpy(x->cc, cc, 2);
    x->cc[2] = 0;
    if (container < 0) {
        int64_t ci = td_gazetteer_country(g, cc);
        container = ci >= 0 ? (int32_t)ci : -1;
    }
    x->within = container;
    x->precision = TD_GEO_REGION;
    if (container >= 0) {
        td_place p;
        td_gazetteer_place(g, (uint32_t)container, &p);
        if (p.kind >= TD_PLACE_CAPITAL)
            x->precision = TD_GEO_NEAR;
    }
    x->changed = true;
}

/* The record of name in country cc (the most populous: postings are sorted
 * by population), or -1. */
static int32_t record_in(const td_gazetteer *g, td_str name, const char *cc)
{
    int64_t id = td_gazetteer_lookup(g, name);
    if (id < 0)
        return -1;
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(g, (uint32_t)id, &post, NULL);
    for (uint32_t k = 0; k < np && k < 64; k++) {
        uint32_t v = td_gazetteer_posting(post, k) & ~TD_GAZ_ALT;
        td_place p;
        td_gazetteer_place(g, v, &p);
        if (memcmp(p.country, cc, 2) == 0 && p.kind != TD_PLACE_COUNTRY)
            return (int32_t)v;
    }
    return -1;
}

/* The story rule for the article [lo, hi) of rows r[0, n). */
static uint32_t apply_article(const td_gazetteer *g, td_story_place *r, uint32_t n, uint32_t lo,
                              uint32_t hi, uint32_t *cnt)
{
    /* weak: at most one mention of a strong record of its own */
    uint32_t strong_n = 0;
    for (uint32_t i = lo; i < hi; i++) {
        if (r[i].place < 0)
            continue;
        td_place p;
        td_gazetteer_place(g, (uint32_t)r[i].place, &p);
        if (strong_record(&p))
            strong_n += r[i].n_mentions ? r[i].n_mentions : 1;
    }
    if (strong_n > 1)
        return 0;
    int c = story_country(g, r, n, lo, hi, cnt);
    if (c < 0)
        return 0;
    char cc[3] = { (char)('A' + c / 26), (char)('A' + c % 26), 0 };
    int32_t town = -2; /* not looked up yet */
    uint32_t changed = 0;
    /* 1. small records abroad that nothing else in the story supports */
    int32_t old_place[64];
    int32_t new_within[64];
    uint32_t n_moved = 0;
    for (uint32_t i = lo; i < hi; i++) {
        td_story_place *x = &r[i];
        if (x->place < 0)
            continue;
        td_place p;
        td_gazetteer_place(g, (uint32_t)x->place, &p);
        int pc = cc_idx(p.country);
        if (pc < 0 || pc == c || strong_record(&p) || names_strongly(g, r, lo, hi, pc) ||
            others_name(r, n, lo, hi, pc))
            continue;
        int32_t was = x->place;
        int32_t q = record_in(g, x->name, cc);
        if (q >= 0) {
            td_place np;
            td_gazetteer_place(g, (uint32_t)q, &np);
            x->place = q;
            x->within = -1;
            memcpy(x->cc, np.country, 3);
            x->kind = (uint8_t)np.kind;
            x->precision = np.kind <= TD_PLACE_ADMIN1 ? TD_GEO_REGION : TD_GEO_EXACT;
            x->changed = true;
        } else {
            if (town == -2)
                town = story_town(g, r, n, lo, c);
            make_unknown(g, x, cc, td_place_site_name(x->name) ? town : -1);
        }
        changed++;
        if (n_moved < 64) {
            old_place[n_moved] = was;
            new_within[n_moved] = x->place >= 0 ? x->place : x->within;
            n_moved++;
        }
    }
    /* 2. unknown places in a record moved above, or in no country */
    for (uint32_t i = lo; i < hi; i++) {
        td_story_place *x = &r[i];
        if (x->place >= 0 || x->changed)
            continue;
        int32_t moved = -1;
        for (uint32_t k = 0; k < n_moved && x->within >= 0; k++)
            if (old_place[k] == x->within)
                moved = new_within[k];
        /* no country, or one the article's default gave (its container,
         * when it has one, is that country's or a town of it) which neither
         * the article nor its context supports */
        bool stray = !x->cc[0] || (cc_idx(x->cc) != c && !names_strongly(g, r, lo, hi, cc_idx(x->cc)) &&
                                   !others_name(r, n, lo, hi, cc_idx(x->cc)));
        if (moved < 0 && !stray)
            continue;
        if (moved < 0 && town == -2)
            town = story_town(g, r, n, lo, c);
        make_unknown(g, x, cc, moved >= 0 ? moved : td_place_site_name(x->name) ? town : -1);
        changed++;
    }
    return changed;
}

uint32_t td_place_story_apply(const td_gazetteer *g, td_story_place *rows, uint32_t n)
{
    if (!g || n < 2)
        return 0;
    /* weak context articles are no evidence: the rule may change them, and
     * a judgment resting only on articles it never changes is the same in
     * any order and when a killed run redoes it */
    for (uint32_t a = 0; a < n;) {
        uint32_t b = a, strong_n = 0;
        while (b < n && rows[b].article == rows[a].article)
            b++;
        for (uint32_t i = a; i < b; i++) {
            if (rows[i].place < 0)
                continue;
            td_place p;
            td_gazetteer_place(g, (uint32_t)rows[i].place, &p);
            if (strong_record(&p))
                strong_n += rows[i].n_mentions ? rows[i].n_mentions : 1;
        }
        for (uint32_t i = a; i < b; i++)
            rows[i].weak = a > 0 && strong_n <= 1;
        a = b;
    }
    uint32_t cnt[676];
    uint32_t b = 0;
    while (b < n && rows[b].article == rows[0].article)
        b++;
    return apply_article(g, rows, n, 0, b, cnt);
}

/* ---- the store ---- */

#define MAX_WEAK 4096 /* articles judged per round (memory bound); rounds until all are */
#define MAX_CTX 48    /* context articles per judged article */
#define SCAN_BLOCK 4096 /* article rowids per block of the two scans */

/* The geocoder's own values of every place row the stage has changed, and
 * what the stage wrote there: each run judges from the former, so its result
 * is a function of the corpus, not of the runs (or kills) before it; a row
 * whose values are no longer what the stage wrote was stored again (the
 * article re-extracted) and its saved values are dropped. Made on the fly,
 * the same text on both backends (CREATE TABLE IF NOT EXISTS is idempotent). */
static const char PLACE_STORY_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS place_story_orig ("
    "  article BIGINT NOT NULL, idx BIGINT NOT NULL,"
    "  place BIGINT, geonameid BIGINT, country TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,"
    "  kind BIGINT NOT NULL, precision BIGINT, within BIGINT,"
    "  story_place BIGINT, story_country TEXT, story_kind BIGINT NOT NULL, story_precision BIGINT,"
    "  story_within BIGINT, PRIMARY KEY (article, idx))";

static td_status fail(td_db *db, td_buf *err, const char *what)
{
    if (err)
        td_buf_printf(err, "%s: %s", what, td_db_errmsg(db));
    int st = td_db_status(db);
    return st == TD_OK ? TD_EDB : (td_status)st;
}

typedef struct weak {
    int64_t article, story;
    int64_t ctx[MAX_CTX];
    uint32_t n_ctx;
} weak;

/* The compared values of a place row; -1 / "" for NULL; within only for a
 * row without a record (art_within holds no other). */
typedef struct geo_vals {
    int64_t place, kind, precision, within;
    char cc[3];
} geo_vals;

enum { SAVED_UNSEEN, SAVED_LIVE, SAVED_GONE };

/* A row of place_story_orig: the geocoder's values (all columns, to restore
 * them as they were) and the stage's. */
typedef struct saved {
    int64_t article, idx;
    geo_vals orig, story;
    int64_t gid;          /* INT64_MIN: NULL */
    double lat, lon;      /* NAN: NULL */
    uint8_t state;        /* SAVED_* */
    bool done;            /* judged this run */
} saved;

typedef struct saved_set {
    saved *v;
    uint32_t n, cap;
    td_map ix;            /* row key -> index + 1 */
} saved_set;

static uint64_t row_key(int64_t article, int64_t idx)
{
    /* rowids below 2^40, entity indexes below 2^24 */
    return (uint64_t)article << 24 ^ (uint64_t)(idx & 0xffffff);
}

static saved *saved_get(const saved_set *s, int64_t article, int64_t idx)
{
    uint64_t *v = td_map_get(&s->ix, row_key(article, idx));
    if (!v)
        return NULL;
    saved *x = &s->v[*v - 1];
    return x->article == article && x->idx == idx ? x : NULL;
}

static saved *saved_add(saved_set *s, int64_t article, int64_t idx)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 256;
        saved *v = td_realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->v = v;
        s->cap = cap;
    }
    uint64_t *slot = td_map_upsert(&s->ix, row_key(article, idx));
    if (!slot)
        return NULL;
    saved *x = &s->v[s->n];
    memset(x, 0, sizeof *x);
    x->article = article;
    x->idx = idx;
    x->gid = INT64_MIN;
    x->lat = x->lon = NAN;
    *slot = ++s->n;
    return x;
}

static int64_t col_i64(td_stmt *st, int col)
{
    return td_stmt_type(st, col) == TD_COL_NULL ? -1 : td_stmt_i64(st, col);
}

static void col_cc(td_stmt *st, int col, char cc[3])
{
    const char *z = td_stmt_text(st, col);
    cc[0] = 0;
    if (z && strlen(z) == 2)
        memcpy(cc, z, 3);
}

static bool geo_eq(const geo_vals *a, const geo_vals *b)
{
    return a->place == b->place && a->kind == b->kind && a->precision == b->precision &&
           a->within == b->within && memcmp(a->cc, b->cc, 3) == 0;
}

/* The values of a row as compared and saved. */
static geo_vals geo_of(const td_story_place *x)
{
    geo_vals v = { .place = x->place, .kind = x->kind, .precision = x->precision,
                   .within = x->place < 0 ? x->within : -1 };
    memcpy(v.cc, x->cc, 3);
    return v;
}

/* Reads place_story_orig whole (it holds the changed rows only). */
static td_status saved_load(td_db *db, saved_set *s, td_buf *err)
{
    td_stmt *q = NULL;
    if (td_db_prepare(db,
                      "SELECT article, idx, place, geonameid, country, lat, lon, kind, precision, within,"
                      " story_place, story_country, story_kind, story_precision, story_within"
                      " FROM place_story_orig ORDER BY article, idx",
                      &q, NULL) != TD_OK)
        return fail(db, err, "reading the places as geocoded");
    int rc;
    td_status st = TD_OK;
    while ((rc = td_stmt_step(q)) == TD_DB_ROW) {
        saved *x = saved_add(s, td_stmt_i64(q, 0), td_stmt_i64(q, 1));
        if (!x) {
            st = TD_ENOMEM;
            break;
        }
        x->orig.place = col_i64(q, 2);
        if (td_stmt_type(q, 3) != TD_COL_NULL)
            x->gid = td_stmt_i64(q, 3);
        col_cc(q, 4, x->orig.cc);
        if (td_stmt_type(q, 5) != TD_COL_NULL)
            x->lat = td_stmt_double(q, 5);
        if (td_stmt_type(q, 6) != TD_COL_NULL)
            x->lon = td_stmt_double(q, 6);
        x->orig.kind = td_stmt_i64(q, 7);
        x->orig.precision = col_i64(q, 8);
        x->orig.within = col_i64(q, 9);
        x->story.place = col_i64(q, 10);
        col_cc(q, 11, x->story.cc);
        x->story.kind = td_stmt_i64(q, 12);
        x->story.precision = col_i64(q, 13);
        x->story.within = col_i64(q, 14);
    }
    if (st == TD_OK && rc != TD_DB_DONE)
        st = fail(db, err, "reading the places as geocoded");
    td_stmt_finalize(q);
    return st;
}

typedef struct rowvec {
    td_story_place *v;
    uint32_t n, cap;
    td_buf names;        /* the rows' names, NUL-terminated one after another */
    size_t *name_off;
} rowvec;

static bool rows_push(rowvec *s, const td_story_place *x, const char *name)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 64;
        td_story_place *v = td_realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        size_t *o = td_realloc(s->name_off, cap * sizeof *o);
        if (!o)
            return false;
        s->name_off = o;
        s->cap = cap;
    }
    s->name_off[s->n] = s->names.len;
    td_buf_puts(&s->names, name ? name : "");
    td_buf_putc(&s->names, '\0');
    if (s->names.failed)
        return false;
    s->v[s->n++] = *x;
    return true;
}

static void ctx_add(weak *w, int64_t article)
{
    if (article == w->article || w->n_ctx >= MAX_CTX)
        return;
    for (uint32_t k = 0; k < w->n_ctx; k++)
        if (w->ctx[k] == article)
            return;
    w->ctx[w->n_ctx++] = article;
}

static uint64_t name_key(int64_t type, const char *name)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)type;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h ? h : 1;
}

/* Appends the place rows of one article (art_entity type place, with
 * art_within) to rv, via the prepared statement st, as the geocoder left
 * them (a row the stage changed is read from its saved values). */
static td_status load_article(td_db *db, td_stmt *st, const td_gazetteer *g, const saved_set *sv,
                              int64_t article, rowvec *rv, td_buf *err)
{
    uint32_t count = td_gazetteer_count(g);
    td_stmt_reset(st);
    td_stmt_bind_i64(st, 1, article);
    int rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        td_story_place x;
        memset(&x, 0, sizeof x);
        x.article = article;
        x.idx = (int32_t)td_stmt_i64(st, 0);
        geo_vals v = { .place = col_i64(st, 2), .kind = td_stmt_i64(st, 5), .within = col_i64(st, 6),
                       .precision = col_i64(st, 8) };
        col_cc(st, 3, v.cc);
        const saved *o = saved_get(sv, article, x.idx);
        if (o && o->state == SAVED_LIVE)
            v = o->orig;
        x.place = v.place >= (int64_t)count ? -1 : (int32_t)v.place; /* stored with another gazetteer */
        memcpy(x.cc, v.cc, 3);
        x.n_mentions = (uint32_t)td_stmt_i64(st, 4);
        x.kind = (uint8_t)v.kind;
        x.precision = v.precision < 0 ? 0 : (uint8_t)v.precision;
        x.within = v.within >= (int64_t)count ? -1 : (int32_t)v.within;
        x.original = td_stmt_i64(st, 7) != 0;
        if (!rows_push(rv, &x, td_stmt_text(st, 1))) {
            if (err)
                td_buf_puts(err, "out of memory reading places");
            return TD_ENOMEM;
        }
    }
    td_stmt_reset(st);
    return rc == TD_DB_DONE ? TD_OK : fail(db, err, "reading an article's places");
}

/* The statements that write a row. */
typedef struct writer {
    td_stmt *up, *del_w, *put_w, *save, *resave, *forget;
} writer;

/* Writes the values of x into art_entity and art_within. */
static td_status write_row(td_db *db, const td_gazetteer *g, const writer *wr, const td_story_place *x,
                           td_buf *err)
{
    td_stmt *up = wr->up;
    td_stmt_clear(up);
    td_stmt_bind_null(up, 1);
    td_stmt_bind_null(up, 2);
    td_stmt_bind_null(up, 3);
    td_stmt_bind_null(up, 4); /* no record: the container's point is shown, not stored here */
    td_stmt_bind_null(up, 5);
    if (x->place >= 0) {
        td_place p;
        td_gazetteer_place(g, (uint32_t)x->place, &p);
        td_stmt_bind_i64(up, 1, x->place);
        if (p.geonameid)
            td_stmt_bind_i64(up, 2, p.geonameid);
        if (!isnan(p.lat)) {
            td_stmt_bind_double(up, 4, p.lat);
            td_stmt_bind_double(up, 5, p.lon);
        }
    }
    if (x->cc[0])
        td_stmt_bind_text(up, 3, x->cc, 2);
    td_stmt_bind_i64(up, 6, x->kind);
    td_stmt_bind_i64(up, 7, x->precision);
    td_stmt_bind_i64(up, 8, x->article);
    td_stmt_bind_i64(up, 9, x->idx);
    if (td_stmt_step(up) != TD_DB_DONE)
        return fail(db, err, "updating a place with its story's country");
    td_stmt_reset(up);
    td_stmt_bind_i64(wr->del_w, 1, x->article);
    td_stmt_bind_i64(wr->del_w, 2, x->idx);
    if (td_stmt_step(wr->del_w) != TD_DB_DONE)
        return fail(db, err, "updating a place's container");
    td_stmt_reset(wr->del_w);
    if (x->place < 0 && x->within >= 0) {
        td_stmt_bind_i64(wr->put_w, 1, x->article);
        td_stmt_bind_i64(wr->put_w, 2, x->idx);
        td_stmt_bind_i64(wr->put_w, 3, x->within);
        if (td_stmt_step(wr->put_w) != TD_DB_DONE)
            return fail(db, err, "updating a place's container");
        td_stmt_reset(wr->put_w);
    }
    return TD_OK;
}

/* Puts the saved row o's geocoder values back and forgets it. */
static td_status restore_row(td_db *db, const writer *wr, saved *o, td_buf *err)
{
    td_stmt *up = wr->up;
    td_stmt_clear(up);
    if (o->orig.place >= 0)
        td_stmt_bind_i64(up, 1, o->orig.place);
    else
        td_stmt_bind_null(up, 1);
    if (o->gid != INT64_MIN)
        td_stmt_bind_i64(up, 2, o->gid);
    else
        td_stmt_bind_null(up, 2);
    if (o->orig.cc[0])
        td_stmt_bind_text(up, 3, o->orig.cc, 2);
    else
        td_stmt_bind_null(up, 3);
    if (!isnan(o->lat))
        td_stmt_bind_double(up, 4, o->lat);
    else
        td_stmt_bind_null(up, 4);
    if (!isnan(o->lon))
        td_stmt_bind_double(up, 5, o->lon);
    else
        td_stmt_bind_null(up, 5);
    td_stmt_bind_i64(up, 6, o->orig.kind);
    if (o->orig.precision >= 0)
        td_stmt_bind_i64(up, 7, o->orig.precision);
    else
        td_stmt_bind_null(up, 7);
    td_stmt_bind_i64(up, 8, o->article);
    td_stmt_bind_i64(up, 9, o->idx);
    if (td_stmt_step(up) != TD_DB_DONE)
        return fail(db, err, "restoring a place as geocoded");
    td_stmt_reset(up);
    td_stmt_bind_i64(wr->del_w, 1, o->article);
    td_stmt_bind_i64(wr->del_w, 2, o->idx);
    if (td_stmt_step(wr->del_w) != TD_DB_DONE)
        return fail(db, err, "restoring a place's container");
    td_stmt_reset(wr->del_w);
    if (o->orig.within >= 0) {
        td_stmt_bind_i64(wr->put_w, 1, o->article);
        td_stmt_bind_i64(wr->put_w, 2, o->idx);
        td_stmt_bind_i64(wr->put_w, 3, o->orig.within);
        if (td_stmt_step(wr->put_w) != TD_DB_DONE)
            return fail(db, err, "restoring a place's container");
        td_stmt_reset(wr->put_w);
    }
    td_stmt_bind_i64(wr->forget, 1, o->article);
    td_stmt_bind_i64(wr->forget, 2, o->idx);
    if (td_stmt_step(wr->forget) != TD_DB_DONE)
        return fail(db, err, "forgetting a place as geocoded");
    td_stmt_reset(wr->forget);
    o->state = SAVED_GONE;
    return TD_OK;
}

static void bind_geo(td_stmt *st, int first, const geo_vals *v)
{
    if (v->place >= 0)
        td_stmt_bind_i64(st, first, v->place);
    else
        td_stmt_bind_null(st, first);
    if (v->cc[0])
        td_stmt_bind_text(st, first + 1, v->cc, 2);
    else
        td_stmt_bind_null(st, first + 1);
    td_stmt_bind_i64(st, first + 2, v->kind);
    if (v->precision >= 0)
        td_stmt_bind_i64(st, first + 3, v->precision);
    else
        td_stmt_bind_null(st, first + 3);
    if (v->within >= 0)
        td_stmt_bind_i64(st, first + 4, v->within);
    else
        td_stmt_bind_null(st, first + 4);
}

/* After a judgment: each row of the judged article (its first own rows of
 * rv, as geocoded in was[]) ends with the judged values, the geocoder's
 * saved beside them when they differ; a row the rule leaves as geocoded
 * gets its values back. *n counts the rows written. */
static td_status settle_rows(td_db *db, const td_gazetteer *g, const writer *wr, saved_set *sv,
                             const rowvec *rv, const td_story_place *was, uint32_t own, uint32_t *n,
                             td_buf *err)
{
    td_status st = TD_OK;
    for (uint32_t k = 0; k < own && st == TD_OK; k++) {
        const td_story_place *x = &rv->v[k];
        geo_vals now = geo_of(x), before = geo_of(&was[k]);
        saved *o = saved_get(sv, x->article, x->idx);
        if (o && o->state != SAVED_LIVE)
            o = NULL;
        if (o)
            o->done = true;
        if (geo_eq(&now, &before)) {
            if (o) {
                st = restore_row(db, wr, o, err);
                ++*n;
            }
            continue;
        }
        if (o && geo_eq(&o->story, &now))
            continue; /* as the last run left it */
        if (o) {
            bind_geo(wr->resave, 1, &now);
            td_stmt_bind_i64(wr->resave, 6, x->article);
            td_stmt_bind_i64(wr->resave, 7, x->idx);
            if (td_stmt_step(wr->resave) != TD_DB_DONE)
                return fail(db, err, "saving a place as placed by its story");
            td_stmt_reset(wr->resave);
        } else {
            /* the geocoder's row, saved as stored before it is changed */
            td_stmt_bind_i64(wr->save, 1, x->article);
            td_stmt_bind_i64(wr->save, 2, x->idx);
            bind_geo(wr->save, 3, &now);
            if (td_stmt_step(wr->save) != TD_DB_DONE)
                return fail(db, err, "saving a place as geocoded");
            td_stmt_reset(wr->save);
            if (!(o = saved_add(sv, x->article, x->idx)))
                return TD_ENOMEM;
            o->orig = before;
            o->state = SAVED_LIVE;
            o->done = true;
        }
        o->story = now;
        st = write_row(db, g, wr, x, err);
        ++*n;
    }
    return st;
}

static const char Q_PLACES[] =
    "SELECT e.idx, e.name, e.place, e.country, e.n_mentions, e.kind, w.within,"
    " CASE WHEN a.duplicate_of IS NULL THEN 1 ELSE 0 END, e.precision"
    " FROM art_entity e JOIN article a ON a.rowid = e.article"
    " LEFT JOIN art_within w ON w.article = e.article AND w.idx = e.idx"
    " WHERE e.article = ?1 AND e.type = 3 ORDER BY e.idx";

td_status td_place_story_update(td_db *db, const td_gazetteer *g, uint32_t *n_changed, td_buf *err)
{
    if (n_changed)
        *n_changed = 0;
    if (!db || !g)
        return TD_OK;
    /* 1. the weak articles: one pass over the place rows */
    static const char q_all[] =
        "SELECT e.article, e.place, e.n_mentions, a.story_id, e.idx, e.country, e.kind, e.precision, w.within"
        " FROM art_entity e JOIN article a ON a.rowid = e.article"
        " LEFT JOIN art_within w ON w.article = e.article AND w.idx = e.idx"
        " WHERE e.type = 3 AND e.article >= ?1 AND e.article < ?2 ORDER BY e.article, e.idx";
    static const char q_story[] =
        "SELECT rowid FROM article WHERE story_id = ?1 AND rowid <> ?2 ORDER BY rowid LIMIT 48";
    static const char q_names[] =
        "SELECT type, name FROM art_entity WHERE article = ?1 AND type IN (1, 2) ORDER BY idx";
    static const char q_people[] =
        "SELECT article, type, name FROM art_entity WHERE type IN (1, 2) AND article >= ?1 AND article < ?2"
        " ORDER BY article, idx"; /* PostgreSQL returns rows in no set order: the stage must not depend on it */
    static const char q_max[] = "SELECT coalesce(max(rowid), 0) FROM article";
    static const char q_up[] =
        "UPDATE art_entity SET place = ?1, geonameid = ?2, country = ?3, lat = ?4, lon = ?5,"
        " kind = ?6, precision = ?7 WHERE article = ?8 AND idx = ?9";
    static const char q_del[] = "DELETE FROM art_within WHERE article = ?1 AND idx = ?2";
    static const char q_put[] = "INSERT INTO art_within (article, idx, within) VALUES (?1, ?2, ?3)";
    static const char q_save[] =
        "INSERT INTO place_story_orig (article, idx, place, geonameid, country, lat, lon, kind, precision,"
        " within, story_place, story_country, story_kind, story_precision, story_within)"
        " SELECT e.article, e.idx, e.place, e.geonameid, e.country, e.lat, e.lon, e.kind, e.precision,"
        " w.within, ?3, ?4, ?5, ?6, ?7 FROM art_entity e"
        " LEFT JOIN art_within w ON w.article = e.article AND w.idx = e.idx"
        " WHERE e.article = ?1 AND e.idx = ?2";
    static const char q_resave[] =
        "UPDATE place_story_orig SET story_place = ?1, story_country = ?2, story_kind = ?3,"
        " story_precision = ?4, story_within = ?5 WHERE article = ?6 AND idx = ?7";
    static const char q_forget[] = "DELETE FROM place_story_orig WHERE article = ?1 AND idx = ?2";
    bool own_tx = !td_db_in_transaction(db);
    if (own_tx && td_db_begin(db, true, NULL) != TD_OK)
        return fail(db, err, "BEGIN");
    td_stmt *mx = NULL, *all = NULL, *story = NULL, *names = NULL, *people = NULL, *places = NULL;
    writer wr = { 0 };
    weak *w = NULL;
    int64_t *wl = NULL;             /* the weak articles: pairs {article, story} */
    uint32_t n_wl = 0, cap_wl = 0, total = 0;
    saved_set sv = { .ix = TD_MAP_INIT };
    td_map by_name = TD_MAP_INIT;  /* name key -> index + 1 of the first link */
    uint32_t *links = NULL;        /* pairs {weak index, next link index + 1} */
    uint32_t n_links = 0, cap_links = 0;
    rowvec rv = { 0 }, cache = { 0 }; /* the judged article's rows; context rows read so far */
    td_story_place *was = NULL;       /* the judged article's rows as geocoded */
    uint32_t cap_was = 0;
    rv.names = (td_buf)TD_BUF_INIT;
    cache.names = (td_buf)TD_BUF_INIT;
    td_map cache_ix = TD_MAP_INIT;     /* article -> (first row << 32 | rows) + 1 in cache */
    td_status ret = TD_OK;
    int rc;
    if (td_db_exec(db, PLACE_STORY_SCHEMA, NULL) != TD_OK) {
        ret = fail(db, err, "placing by story: creating place_story_orig");
        goto done;
    }
    if (td_db_prepare(db, q_max, &mx, NULL) != TD_OK || td_db_prepare(db, q_all, &all, NULL) != TD_OK ||
        td_db_prepare(db, q_story, &story, NULL) != TD_OK ||
        td_db_prepare(db, q_names, &names, NULL) != TD_OK ||
        td_db_prepare(db, q_people, &people, NULL) != TD_OK ||
        td_db_prepare(db, Q_PLACES, &places, NULL) != TD_OK || td_db_prepare(db, q_up, &wr.up, NULL) != TD_OK ||
        td_db_prepare(db, q_del, &wr.del_w, NULL) != TD_OK || td_db_prepare(db, q_put, &wr.put_w, NULL) != TD_OK ||
        td_db_prepare(db, q_save, &wr.save, NULL) != TD_OK ||
        td_db_prepare(db, q_resave, &wr.resave, NULL) != TD_OK ||
        td_db_prepare(db, q_forget, &wr.forget, NULL) != TD_OK) {
        ret = fail(db, err, "placing by story: preparing");
        goto done;
    }
    if ((ret = saved_load(db, &sv, err)) != TD_OK)
        goto done;
    /* the two scans read a block of article rowids at a time: a PostgreSQL
     * result is fetched whole (db.h) */
    int64_t max_rowid = 0;
    if ((rc = td_stmt_step(mx)) == TD_DB_ROW)
        max_rowid = td_stmt_i64(mx, 0);
    if (rc != TD_DB_ROW) {
        ret = fail(db, err, "reading places");
        goto done;
    }
    uint32_t count = td_gazetteer_count(g);
    for (int64_t blo = 0; blo <= max_rowid; blo += SCAN_BLOCK) {
        int64_t cur = INT64_MIN, cur_story = -1;
        uint32_t strong_n = 0;
        bool loose = false;
        td_stmt_reset(all);
        td_stmt_bind_i64(all, 1, blo);
        td_stmt_bind_i64(all, 2, blo + SCAN_BLOCK);
        for (;;) {
            rc = td_stmt_step(all);
            int64_t art = rc == TD_DB_ROW ? td_stmt_i64(all, 0) : INT64_MAX;
            if (art != cur) {
                if (cur != INT64_MIN && strong_n <= 1 && loose) {
                    if (n_wl == cap_wl) {
                        uint32_t cap = cap_wl ? cap_wl * 2 : 1024;
                        int64_t *v = td_realloc(wl, 2 * (size_t)cap * sizeof *v);
                        if (!v) {
                            ret = TD_ENOMEM;
                            goto done;
                        }
                        wl = v;
                        cap_wl = cap;
                    }
                    wl[2 * n_wl] = cur;
                    wl[2 * n_wl + 1] = cur_story;
                    n_wl++;
                }
                cur = art;
                strong_n = 0;
                loose = false;
            }
            if (rc != TD_DB_ROW)
                break;
            cur_story = td_stmt_type(all, 3) == TD_COL_NULL ? -1 : td_stmt_i64(all, 3);
            int64_t pl = col_i64(all, 1);
            saved *o = saved_get(&sv, art, td_stmt_i64(all, 4));
            if (o) {
                /* the row as the stage left it: judged from the geocoder's
                 * values; else stored anew since, and they are stale */
                geo_vals now = { .place = pl, .kind = td_stmt_i64(all, 6), .precision = col_i64(all, 7),
                                 .within = pl >= 0 ? -1 : col_i64(all, 8) };
                col_cc(all, 5, now.cc);
                o->state = geo_eq(&now, &o->story) ? SAVED_LIVE : SAVED_GONE;
                if (o->state == SAVED_LIVE)
                    pl = o->orig.place;
            }
            if (pl < 0 || pl >= (int64_t)count) {
                loose = true;
                continue;
            }
            td_place p;
            td_gazetteer_place(g, (uint32_t)pl, &p);
            if (strong_record(&p)) {
                int64_t k = td_stmt_i64(all, 2);
                strong_n += k > 0 ? (uint32_t)k : 1;
            } else {
                loose = true;
            }
        }
        if (rc != TD_DB_DONE) {
            ret = fail(db, err, "reading places");
            goto done;
        }
    }
    /* saved values of rows gone or stored anew: forgotten */
    for (uint32_t i = 0; i < sv.n; i++) {
        saved *o = &sv.v[i];
        if (o->state == SAVED_LIVE)
            continue;
        o->state = SAVED_GONE;
        td_stmt_bind_i64(wr.forget, 1, o->article);
        td_stmt_bind_i64(wr.forget, 2, o->idx);
        if (td_stmt_step(wr.forget) != TD_DB_DONE) {
            ret = fail(db, err, "forgetting a place as geocoded");
            goto done;
        }
        td_stmt_reset(wr.forget);
    }
    if (n_wl && !(w = td_malloc(MAX_WEAK * sizeof *w))) {
        ret = TD_ENOMEM;
        goto done;
    }
    /* rounds of at most MAX_WEAK judged articles, each with its own name
     * index and context cache (memory stays bounded) */
    for (uint32_t first = 0; first < n_wl; first += MAX_WEAK) {
        uint32_t n_w = n_wl - first < MAX_WEAK ? n_wl - first : MAX_WEAK;
        for (uint32_t i = 0; i < n_w; i++)
            w[i] = (weak){ .article = wl[2 * (first + i)], .story = wl[2 * (first + i) + 1], .n_ctx = 0 };
        td_map_free(&by_name);
        td_map_free(&cache_ix);
        n_links = 0;
        cache.n = 0;
        td_buf_clear(&cache.names);
        /* 2. their context: the story's other articles, and the articles
         * naming one of the same people or organisations */
        for (uint32_t i = 0; i < n_w; i++) {
            if (w[i].story >= 0) {
                td_stmt_reset(story);
                td_stmt_bind_i64(story, 1, w[i].story);
                td_stmt_bind_i64(story, 2, w[i].article);
                while ((rc = td_stmt_step(story)) == TD_DB_ROW)
                    ctx_add(&w[i], td_stmt_i64(story, 0));
                if (rc != TD_DB_DONE) {
                    ret = fail(db, err, "reading a story's articles");
                    goto done;
                }
            }
            td_stmt_reset(names);
            td_stmt_bind_i64(names, 1, w[i].article);
            while ((rc = td_stmt_step(names)) == TD_DB_ROW) {
                const char *z = td_stmt_text(names, 1);
                if (!z || !z[0])
                    continue;
                uint64_t *head = td_map_upsert(&by_name, name_key(td_stmt_i64(names, 0), z));
                if (!head) {
                    ret = TD_ENOMEM;
                    goto done;
                }
                if (n_links == cap_links) {
                    uint32_t cap = cap_links ? cap_links * 2 : 256;
                    uint32_t *v = td_realloc(links, 2 * (size_t)cap * sizeof *v);
                    if (!v) {
                        ret = TD_ENOMEM;
                        goto done;
                    }
                    links = v;
                    cap_links = cap;
                }
                links[2 * n_links] = i;
                links[2 * n_links + 1] = (uint32_t)*head;
                *head = ++n_links;
            }
            if (rc != TD_DB_DONE) {
                ret = fail(db, err, "reading an article's names");
                goto done;
            }
        }
        for (int64_t blo = 0; n_links && blo <= max_rowid; blo += SCAN_BLOCK) {
            td_stmt_reset(people);
            td_stmt_bind_i64(people, 1, blo);
            td_stmt_bind_i64(people, 2, blo + SCAN_BLOCK);
            while ((rc = td_stmt_step(people)) == TD_DB_ROW) {
                const char *z = td_stmt_text(people, 2);
                if (!z || !z[0])
                    continue;
                uint64_t *head = td_map_get(&by_name, name_key(td_stmt_i64(people, 1), z));
                for (uint32_t l = head ? (uint32_t)*head : 0; l; l = links[2 * (l - 1) + 1])
                    ctx_add(&w[links[2 * (l - 1)]], td_stmt_i64(people, 0));
            }
            if (rc != TD_DB_DONE) {
                ret = fail(db, err, "reading names");
                goto done;
            }
        }
        /* 3. each weak article judged on its context's places, all read as
         * geocoded: the judgment is the same whatever ran before */
        for (uint32_t i = 0; i < n_w; i++) {
            if (!w[i].n_ctx)
                continue;
            rv.n = 0;
            td_buf_clear(&rv.names);
            if ((ret = load_article(db, places, g, &sv, w[i].article, &rv, err)) != TD_OK)
                goto done;
            uint32_t own = rv.n;
            for (uint32_t k = 0; k < w[i].n_ctx; k++) {
                /* context articles recur from one judged article to the next
                 * (a story's members): each is read once a round */
                uint64_t *slot = td_map_upsert(&cache_ix, (uint64_t)w[i].ctx[k]);
                if (!slot) {
                    ret = TD_ENOMEM;
                    goto done;
                }
                if (!*slot) {
                    uint32_t at = cache.n;
                    if ((ret = load_article(db, places, g, &sv, w[i].ctx[k], &cache, err)) != TD_OK)
                        goto done;
                    *slot = ((uint64_t)at << 32 | (cache.n - at)) + 1;
                }
                uint32_t at = (uint32_t)((*slot - 1) >> 32), cnt = (uint32_t)((*slot - 1) & 0xffffffffu);
                for (uint32_t q = 0; q < cnt; q++)
                    if (!rows_push(&rv, &cache.v[at + q], "")) {
                        ret = TD_ENOMEM;
                        goto done;
                    }
            }
            for (uint32_t k = 0; k < own; k++) {
                const char *z = rv.names.p + rv.name_off[k];
                rv.v[k].name = td_str_make(z, strlen(z));
            }
            if (own > cap_was) {
                td_story_place *v = td_realloc(was, own * sizeof *v);
                if (!v) {
                    ret = TD_ENOMEM;
                    goto done;
                }
                was = v;
                cap_was = own;
            }
            if (own)
                memcpy(was, rv.v, own * sizeof *was);
            td_place_story_apply(g, rv.v, rv.n);
            if ((ret = settle_rows(db, g, &wr, &sv, &rv, was, own, &total, err)) != TD_OK)
                goto done;
        }
    }
    /* 4. rows changed by an earlier run and not judged now (no longer weak,
     * no context left): back to the geocoder's values */
    for (uint32_t i = 0; i < sv.n; i++) {
        saved *o = &sv.v[i];
        if (o->state != SAVED_LIVE || o->done)
            continue;
        if ((ret = restore_row(db, &wr, o, err)) != TD_OK)
            goto done;
        total++;
    }
done:
    td_stmt_finalize(mx);
    td_stmt_finalize(all);
    td_stmt_finalize(story);
    td_stmt_finalize(names);
    td_stmt_finalize(people);
    td_stmt_finalize(places);
    td_stmt_finalize(wr.up);
    td_stmt_finalize(wr.del_w);
    td_stmt_finalize(wr.put_w);
    td_stmt_finalize(wr.save);
    td_stmt_finalize(wr.resave);
    td_stmt_finalize(wr.forget);
    td_free(w);
    td_free(wl);
    td_free(sv.v);
    td_map_free(&sv.ix);
    td_free(links);
    td_map_free(&by_name);
    td_free(rv.v);
    td_free(rv.name_off);
    td_buf_free(&rv.names);
    td_free(was);
    td_free(cache.v);
    td_free(cache.name_off);
    td_buf_free(&cache.names);
    td_map_free(&cache_ix);
    if (ret == TD_ENOMEM && err && !err->len)
        td_buf_puts(err, "out of memory");
    if (own_tx) {
        if (ret == TD_OK && td_db_commit(db, NULL) != TD_OK)
            ret = fail(db, err, "COMMIT");
        if (ret != TD_OK)
            td_db_rollback(db);
    }
    if (ret == TD_OK && n_changed)
        *n_changed = total;
    return ret;
}
