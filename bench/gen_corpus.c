/*
 * gen_corpus.c - deterministic generator of a synthetic scraped-news corpus,
 * the input of the tidings benchmarks (bench/run). Plain C17 + libc/libm.
 *
 *   gen_corpus --n N [--seed S] --out FILE|DIR|- [--format jsonl|txt]
 *
 * jsonl writes one {"id","url","text"} object per line (FORMAT.md of the
 * evaluation data); txt writes DIR/<id>.txt files holding the text only.
 *
 * Model. A fictional world (corpus_data.h): ten countries, armed groups,
 * officials, fifty outlets of which five are news agencies. The corpus spans
 * about N/250 days (at least 60). N/25 stories start evenly over that span;
 * each story is a chain of up to five events a few days apart (an air strike,
 * a second strike, a statement, a protest...), each with a place and a death
 * toll. Article i is published on day ~ i*span/N (the corpus is roughly in
 * crawl order) and reports one event of a story running that day: lead,
 * details, quotes, toll revisions, a reference to the previous event, then
 * background until its lognormal target length (median ~3.6 KB, 1-12 KB) is
 * reached, wrapped in its outlet's boilerplate (menus, bylines, date lines,
 * share bars, captions, newsletter pitches, related links, copyright).
 * About 20% of articles are near-copies of an earlier agency article
 * (new headline and boilerplate, a paragraph dropped, swapped or cut) and 1%
 * are re-crawls of an earlier page (same text, URL with tracking parameters).
 * Names vary by outlet: al-X / Al X / el-X / Al-X, doubled consonants.
 * Dates appear relative to the publication day ("on Thursday", "yesterday",
 * "earlier this month"), in date lines, datelines and URLs.
 *
 * Invariants. Everything about article i is a pure function of (seed, N, i):
 * a near-copy regenerates its source's body from the source's own random
 * stream, so no state is kept between articles and memory stays constant.
 * Three streams per article: 'C' fixes per-article choices (names, dates),
 * 'B' drives the body, 'P' the boilerplate; a copy reuses its source's C and B.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "corpus_data.h"

/* ---- growable byte buffer; this tool exits on out-of-memory ---- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen_corpus: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void sb_reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        die("out of memory");
    b->p = p;
    b->cap = cap;
}

static inline void sb_put(sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static inline void sb_putc(sbuf *b, char c)
{
    sb_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* Appends an unsigned number in decimal, zero-padded to width digits. */
static void sb_uint(sbuf *b, unsigned long long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < 24);
    while (n < width && n < 24)
        tmp[n++] = '0';
    sb_reserve(b, (size_t)n);
    while (n)
        b->p[b->len++] = tmp[--n];
    b->p[b->len] = 0;
}

/* ---- random numbers: splitmix64, seeded per (article, purpose) ---- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t rnd(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ULL;
    return mix64(*s);
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t below(uint64_t *s, uint32_t n) { return (uint32_t)(((rnd(s) >> 32) * n) >> 32); }

static inline int chance(uint64_t *s, int pct) { return below(s, 100) < (uint32_t)pct; }

static uint64_t g_seed;

static inline uint64_t h3(uint64_t a, uint64_t b, uint64_t c)
{
    return mix64(g_seed ^ mix64(a * 0x9e3779b97f4a7c15ULL + mix64(b + 0x632be59bd9b4e019ULL) + c));
}

/* ---- calendar (days since 1970-01-01, proleptic Gregorian) ---- */

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;
    int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int weekday(int32_t z) { return (int)((z % 7 + 11) % 7); } /* 0 = Sunday; day 0 was a Thursday */

/* ---- slots and compiled templates ---- */

#define SLOTS(X)                                                                                         \
    X(ADJ) X(AGE) X(AID) X(AIRFORCE) X(ANALYST) X(ANALYST_S) X(ARMY) X(CAPITAL) X(CITY) X(CITY2)         \
    X(COUNTRY) X(CURRENCY) X(DISASTER) X(DISASTER_C) X(DOCTOR) X(DOCTOR_S) X(ENVOY) X(GLEADER)           \
    X(GLEADER_S) X(GOV) X(GOVNR) X(GROUP) X(GROUP_S) X(KM) X(MIN) X(MIN_S) X(NARRESTED) X(NBIG)          \
    X(NCOMMENTS) X(NEIGHBOR) X(NEIGHBOR_ADJ) X(NMILLION) X(NSMALL) X(ORDINAL) X(OUTLET) X(PARTY) X(PCT)  \
    X(PHOTOG) X(PLACE) X(POLICE) X(PRES) X(PRES_S) X(PREV_CITY) X(PREV_WHAT) X(PREV_WHEN)                \
    X(PREV_WHEN_C) X(RADJ) X(RCAPITAL) X(RCOUNTRY) X(REGION) X(RELATED) X(REPORTER) X(REPORTER2)         \
    X(SPOX) X(SPOX_S) X(THINK_TANK) X(TIMEOFDAY) X(TOLL) X(TOLL_PREV) X(TOLL_PREVEV) X(WEEKDAY) X(WHAT)  \
    X(WHEN) X(WIRE) X(WITNESS) X(WOUNDED) X(YEAR_PAST)

enum {
    SL_NONE = 0,
#define X(n) SL_##n,
    SLOTS(X)
#undef X
        SL_COUNT
};

static const char *const SLOT_NAMES[SL_COUNT] = {
    "",
#define X(n) #n,
    SLOTS(X)
#undef X
};

#define SLOT_MARK '\x01'

typedef struct pool {
    const char *const *src;
    int n;
    char **t; /* compiled: "{NAME}" -> SLOT_MARK, code byte */
} pool;

#define POOL(a) { a, NELEM(a), NULL }

static pool PH[EV_NTYPES] = { POOL(H_AIRSTRIKE), POOL(H_SHELLING), POOL(H_BOMBING), POOL(H_CLASH),
                              POOL(H_RAID), POOL(H_KILLING), POOL(H_PROTEST), POOL(H_AGREEMENT),
                              POOL(H_MEETING), POOL(H_STATEMENT), POOL(H_ELECTION), POOL(H_DISASTER) };
static pool PL[EV_NTYPES] = { POOL(L_AIRSTRIKE), POOL(L_SHELLING), POOL(L_BOMBING), POOL(L_CLASH),
                              POOL(L_RAID), POOL(L_KILLING), POOL(L_PROTEST), POOL(L_AGREEMENT),
                              POOL(L_MEETING), POOL(L_STATEMENT), POOL(L_ELECTION), POOL(L_DISASTER) };
static pool PD[EV_NTYPES] = { POOL(D_AIRSTRIKE), POOL(D_SHELLING), POOL(D_BOMBING), POOL(D_CLASH),
                              POOL(D_RAID), POOL(D_KILLING), POOL(D_PROTEST), POOL(D_AGREEMENT),
                              POOL(D_MEETING), POOL(D_STATEMENT), POOL(D_ELECTION), POOL(D_DISASTER) };

/* Body categories, in the order a wire story tends to use them. */
enum {
    C_TOLLUP, C_CASUALTY, C_PREV, C_QGOV, C_QGROUP, C_QWITNESS, C_QDOCTOR, C_REACTION,
    C_BACKGROUND, C_HUMAN, C_POLITICS, C_ECONOMY, C_ANALYSIS, C_NCAT
};
static pool PC[C_NCAT] = { POOL(P_TOLLUP), POOL(P_CASUALTY), POOL(P_PREV), POOL(P_QUOTE_GOV),
                           POOL(P_QUOTE_GROUP), POOL(P_QUOTE_WITNESS), POOL(P_QUOTE_DOCTOR),
                           POOL(P_REACTION), POOL(P_BACKGROUND), POOL(P_HUMANITARIAN), POOL(P_POLITICS),
                           POOL(P_ECONOMY), POOL(P_ANALYSIS) };

static char *g_credit; /* agency credit line, the last paragraph of agency copy */

enum { B_HDR, B_SHR, B_BYL, B_CAP, B_MD, B_FTR, B_REL, B_NPOOL };
static pool PB[B_NPOOL] = { POOL(B_HEADER), POOL(B_SHARE), POOL(B_BYLINE), POOL(B_CAPTION),
                            POOL(B_MID), POOL(B_FOOTER), POOL(B_RELATED) };

/* Compiles one template; an unknown slot name is a bug in corpus_data.h. */
static char *compile(const char *src)
{
    size_t n = strlen(src);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        die("out of memory");
    for (const char *s = src; *s;) {
        if ((unsigned char)*s < 0x20 && *s != '\n')
            die("control byte in template: %s", src);
        if (*s != '{') {
            *o++ = *s++;
            continue;
        }
        const char *e = strchr(s, '}');
        if (!e)
            die("unclosed slot in template: %s", src);
        int code = 0;
        for (int k = 1; k < SL_COUNT; k++)
            if (strlen(SLOT_NAMES[k]) == (size_t)(e - s - 1) && memcmp(SLOT_NAMES[k], s + 1, (size_t)(e - s - 1)) == 0)
                code = k;
        if (!code)
            die("unknown slot %.*s in template: %s", (int)(e - s + 1), s, src);
        *o++ = SLOT_MARK;
        *o++ = (char)code;
        s = e + 1;
    }
    *o = 0;
    return out;
}

static void compile_pool(pool *p)
{
    p->t = malloc(sizeof(char *) * (size_t)p->n);
    if (!p->t)
        die("out of memory");
    for (int i = 0; i < p->n; i++)
        p->t[i] = compile(p->src[i]);
}

static void compile_all(void)
{
    for (int t = 0; t < EV_NTYPES; t++) {
        compile_pool(&PH[t]);
        compile_pool(&PL[t]);
        compile_pool(&PD[t]);
    }
    for (int c = 0; c < C_NCAT; c++)
        compile_pool(&PC[c]);
    for (int b = 0; b < B_NPOOL; b++)
        compile_pool(&PB[b]);
    g_credit = compile("(Reporting by {REPORTER}; Editing by {REPORTER2})");
}

/* ---- the corpus plan: stories, article metadata ---- */

static uint64_t g_n;          /* articles */
static uint64_t g_nstories;   /* stories */
static int32_t g_span;        /* days covered */
static int32_t g_base;        /* first day */
static double g_outlet_cdf[NELEM(OUTLETS)];

#define MAXEV 5

typedef struct story {
    int country, neighbor, group, region, place, disaster, nev;
    int type[MAXEV], city[MAXEV], toll[MAXEV], wounded[MAXEV], narrested[MAXEV];
    int32_t day[MAXEV];
} story;

static int first_type(uint64_t *r)
{
    uint32_t u = below(r, 100), acc = 0;
    for (int t = 0; t < EV_NTYPES; t++) {
        acc += (uint32_t)FIRST_TYPE_PCT[t];
        if (u < acc)
            return t;
    }
    return EV_CLASH;
}

/* Returns a death toll typical of an event type; lognormal-ish tail. */
static int draw_toll(uint64_t *r, int type)
{
    int base = 1 + (int)below(r, 9);
    if (chance(r, 18))
        base += (int)below(r, 60);
    switch (type) {
    case EV_AIRSTRIKE: case EV_SHELLING: case EV_BOMBING: case EV_CLASH:
        return base;
    case EV_KILLING:
        return 1 + base / 2 + 1;
    case EV_DISASTER:
        return base * 3;
    case EV_PROTEST:
        return chance(r, 15) ? 1 + (int)below(r, 6) : 0;
    default:
        return 0;
    }
}

static void story_get(uint64_t s, story *st)
{
    uint64_t r = h3(s, 'S', 0);
    memset(st, 0, sizeof *st);
    st->country = (int)below(&r, NELEM(COUNTRIES));
    st->neighbor = (st->country + 1 + (int)below(&r, NELEM(COUNTRIES) - 1)) % NELEM(COUNTRIES);
    st->group = (int)below(&r, 2);
    st->region = (int)below(&r, 4);
    st->place = (int)below(&r, NELEM(PLACES));
    st->disaster = (int)below(&r, NELEM(DISASTERS));
    int t0 = first_type(&r);
    st->nev = 1 + (int)below(&r, MAXEV);
    int city0 = (int)below(&r, 8);
    int32_t day = g_base + (int32_t)((s * (uint64_t)g_span) / g_nstories);
    for (int e = 0; e < st->nev; e++) {
        st->type[e] = CHAINS[t0][e];
        st->day[e] = day;
        st->city[e] = chance(&r, 70) ? city0 : (int)below(&r, 8);
        st->toll[e] = draw_toll(&r, st->type[e]);
        st->wounded[e] = st->toll[e] ? st->toll[e] + (int)below(&r, (uint32_t)(2 * st->toll[e] + 5)) : 0;
        st->narrested[e] = 3 + (int)below(&r, 40);
        day += 1 + (int32_t)below(&r, 3);
    }
}

enum { K_ORIG, K_COPY, K_RECRAWL };

typedef struct meta {
    uint64_t id;      /* article index, the output id */
    uint64_t src;     /* K_COPY / K_RECRAWL: the article copied */
    int kind;
    int outlet;
    uint64_t story;
    int ev;           /* event of the story the article reports */
    int32_t pub_day;
    int pub_min;      /* minute of the day */
} meta;

static int intent(uint64_t i)
{
    if (i == 0)
        return K_ORIG;
    uint32_t u = (uint32_t)(h3(i, 'K', 0) % 1000);
    return u < 10 ? K_RECRAWL : u < 210 ? K_COPY : K_ORIG;
}

static int is_agency_orig(uint64_t i) { return intent(i) == K_ORIG && h3(i, 'O', 0) % 100 < 25; }

static int paper_outlet(uint64_t *r)
{
    double u = (double)(rnd(r) >> 11) / 9007199254740992.0;
    for (int o = NAGENCY; o < NELEM(OUTLETS); o++)
        if (u <= g_outlet_cdf[o])
            return o;
    return NELEM(OUTLETS) - 1;
}

/* Fills the metadata of an original article: when, which story, which outlet. */
static void orig_meta(uint64_t i, meta *m)
{
    uint64_t r = h3(i, 'M', 0);
    memset(m, 0, sizeof *m);
    m->id = i;
    m->kind = K_ORIG;
    uint64_t ro = h3(i, 'O', 0);
    if (ro % 100 < 25)
        m->outlet = (int)((ro >> 8) % NAGENCY);
    else
        m->outlet = paper_outlet(&r);
    int32_t rel = (int32_t)((i * (uint64_t)g_span) / g_n);
    /* stories that started in the last 12 days are running */
    int64_t lo = ((int64_t)rel - 12) * (int64_t)g_nstories / g_span;
    int64_t hi = (int64_t)rel * (int64_t)g_nstories / g_span;
    if (lo < 0)
        lo = 0;
    if (hi >= (int64_t)g_nstories)
        hi = (int64_t)g_nstories - 1;
    m->story = (uint64_t)lo + below(&r, (uint32_t)(hi - lo + 1));
    story st;
    story_get(m->story, &st);
    int32_t day = g_base + rel;
    int last = 0;
    while (last + 1 < st.nev && st.day[last + 1] <= day)
        last++;
    m->ev = chance(&r, 65) ? last : (int)below(&r, (uint32_t)last + 1);
    if (day < st.day[m->ev])
        day = st.day[m->ev];
    m->pub_day = day;
    m->pub_min = (int)below(&r, 24 * 60);
}

/* Finds an earlier agency original near i for a near-copy; -1 if none. */
static int64_t copy_source(uint64_t i)
{
    for (uint64_t t = 0; t < 16; t++) {
        uint64_t back = 1 + h3(i, 'J', t) % 300;
        if (back > i)
            continue;
        if (is_agency_orig(i - back))
            return (int64_t)(i - back);
    }
    return -1;
}

/* Fills the metadata of article i, resolving near-copies to their sources.
 * A re-crawl of article j gets j's metadata (its text is j's, byte for
 * byte) and returns 1; otherwise returns 0. */
static int meta_get(uint64_t i, meta *m)
{
    int k = intent(i);
    if (k == K_COPY) {
        int64_t j = copy_source(i);
        if (j >= 0) {
            uint64_t r = h3(i, 'M', 1);
            orig_meta((uint64_t)j, m);
            m->id = i;
            m->src = (uint64_t)j;
            m->kind = K_COPY;
            m->outlet = paper_outlet(&r);
            m->pub_day += chance(&r, 30);
            m->pub_min = (int)below(&r, 24 * 60);
            return 0;
        }
    } else if (k == K_RECRAWL) {
        uint64_t back = 1 + h3(i, 'J', 99) % 50;
        uint64_t j = back > i ? 0 : i - back;
        if (intent(j) != K_RECRAWL) {
            meta_get(j, m); /* depth one: j is not a re-crawl */
            return 1;
        }
    }
    orig_meta(i, m);
    return 0;
}

/* ---- per-article rendering context ---- */

typedef struct style {
    int art;          /* '@' as 0 "al-", 1 "Al ", 2 "el-", 3 "Al-" */
    int undouble;     /* drop one of a doubled consonant in Arabic names */
    int drop_art;     /* later mentions drop the article: "Haddan said" */
    int curly;        /* typographic quotes and apostrophes */
    int dateline;     /* 0..3, agencies always 4 */
    int dateform;     /* 0..5 */
    int urlform;      /* 0..5 */
    int parasep;      /* 1: paragraphs separated by "\n", 2: by "\n\n" */
    int nheader, header[7];
    int nfooter, footer[6];
    int share, byline, standfirst;
} style;

static void style_get(int o, style *s)
{
    uint64_t r = mix64((uint64_t)o * 7919 + 17); /* outlets are the same in every corpus */
    memset(s, 0, sizeof *s);
    s->art = (int)below(&r, 4);
    s->undouble = chance(&r, 30);
    s->drop_art = chance(&r, 50);
    s->curly = chance(&r, 40);
    s->dateline = o < NAGENCY ? 4 : (int)below(&r, 4);
    s->dateform = (int)below(&r, 6);
    s->urlform = (int)below(&r, 6);
    s->parasep = chance(&r, 70) ? 2 : 1;
    s->nheader = 2 + (int)below(&r, 6);
    int first = (int)below(&r, NELEM(B_HEADER)), step = 1 + (int)below(&r, 3);
    for (int k = 0; k < s->nheader; k++) /* distinct lines: step < NELEM */
        s->header[k] = (first + k * step) % NELEM(B_HEADER);
    s->nfooter = 2 + (int)below(&r, 5);
    first = (int)below(&r, NELEM(B_FOOTER));
    for (int k = 0; k < s->nfooter; k++)
        s->footer[k] = (first + k * step) % NELEM(B_FOOTER);
    s->share = chance(&r, 75) ? (int)below(&r, NELEM(B_SHARE)) + 1 : 0;
    s->byline = chance(&r, 80) ? (int)below(&r, NELEM(B_BYLINE)) + 1 : 0;
    s->standfirst = chance(&r, 45);
}

#define STORE_CAP 6144

typedef struct actx {
    const meta *m;
    story st;
    const country *c;
    const outlet *out;
    style sty;
    int ev, type, toll, toll_prev;
    uint64_t rng;          /* the stream in use: body or boilerplate */
    int rc;                /* country of the related headline being rendered */
    int wire;              /* agency credited */
    uint64_t pool_used[EV_NTYPES + C_NCAT + 2];
    uint16_t off[SL_COUNT], len[SL_COUNT]; /* static slot values: len 0 and off 0 = dynamic */
    size_t used;
    char store[STORE_CAP];
} actx;

/* Renders a name: '@' per style, optionally undoubling one consonant pair. */
static void put_name(sbuf *b, const char *name, const style *s, int is_short)
{
    static const char *const ART[4] = { "al-", "Al ", "el-", "Al-" };
    size_t start = b->len;
    int arabic = 0;
    for (const char *p = name; *p; p++) {
        if (*p == '@') {
            arabic = 1;
            if (!(is_short && s->drop_art && p == name))
                sb_puts(b, ART[s->art]);
        } else {
            sb_putc(b, *p);
        }
    }
    if (arabic && s->undouble) {
        for (size_t k = start + 1; k < b->len; k++)
            if (b->p[k] == b->p[k - 1] && b->p[k] >= 'a' && b->p[k] <= 'z') {
                memmove(b->p + k, b->p + k + 1, b->len - k);
                b->len--;
                break;
            }
    }
}

static void set_slot(actx *a, int slot, const char *p, size_t n)
{
    if (a->used + n > STORE_CAP)
        die("slot store overflow");
    memcpy(a->store + a->used, p, n);
    a->off[slot] = (uint16_t)a->used;
    a->len[slot] = (uint16_t)n;
    a->used += n;
}

static sbuf g_tmp; /* scratch for building slot values */

static void set_slot_s(actx *a, int slot, const char *s) { set_slot(a, slot, s, strlen(s)); }

static void set_slot_name(actx *a, int slot, const char *name)
{
    g_tmp.len = 0;
    put_name(&g_tmp, name, &a->sty, 0);
    set_slot(a, slot, g_tmp.p, g_tmp.len);
}

/* A person: stable for (role, key) over an era of era_days, so the same
 * spokesman speaks for months. Official roles get first names with even
 * index (the templates say "his"). Sets the full and the short slot. */
static void set_person(actx *a, int full, int sht, int cult, uint64_t role, uint64_t key, int era_days)
{
    uint64_t h = h3(role, key, (uint64_t)(a->m->pub_day / era_days));
    const culture *cu = &CULTURES[cult];
    const char *first = cu->first[(h % 8) * 2];
    const char *last = cu->last[(h >> 8) % 16];
    g_tmp.len = 0;
    sb_puts(&g_tmp, first);
    sb_putc(&g_tmp, ' ');
    put_name(&g_tmp, last, &a->sty, 0);
    set_slot(a, full, g_tmp.p, g_tmp.len);
    if (sht) {
        g_tmp.len = 0;
        put_name(&g_tmp, last, &a->sty, 1);
        set_slot(a, sht, g_tmp.p, g_tmp.len);
    }
}

static void put_num(sbuf *b, int v, int words)
{
    if (words && v >= 0 && v < 10)
        sb_puts(b, NUMWORDS[v]);
    else if (v >= 1000 && words) {
        sb_uint(b, (unsigned)v / 1000, 0);
        sb_putc(b, ',');
        sb_uint(b, (unsigned)v % 1000, 3);
    } else {
        sb_uint(b, (unsigned)v, 0);
    }
}

static void set_slot_num(actx *a, int slot, int v, uint64_t *r)
{
    g_tmp.len = 0;
    put_num(&g_tmp, v, chance(r, 60));
    set_slot(a, slot, g_tmp.p, g_tmp.len);
}

/* Writes how an article published on day pub refers to day ev_day. */
static void put_when(sbuf *b, int32_t pub, int32_t ev_day, uint64_t *r)
{
    int32_t k = pub - ev_day;
    int y1, m1, d1, y2, m2, d2;
    civil_from_days(pub, &y1, &m1, &d1);
    civil_from_days(ev_day, &y2, &m2, &d2);
    const char *wd = WEEKDAYS[weekday(ev_day)];
    uint32_t u = below(r, 100);
    if (k <= 0) {
        if (u < 55) { sb_puts(b, "on "); sb_puts(b, wd); }
        else if (u < 70) { sb_puts(b, "early on "); sb_puts(b, wd); }
        else if (u < 85) { sb_puts(b, "late on "); sb_puts(b, wd); }
        else sb_puts(b, "today");
    } else if (k == 1) {
        if (u < 50) { sb_puts(b, "on "); sb_puts(b, wd); }
        else if (u < 80) sb_puts(b, "yesterday");
        else { sb_puts(b, "on "); sb_puts(b, wd); sb_puts(b, " night"); }
    } else if (k < 7) {
        if (u < 70 || weekday(pub) <= weekday(ev_day)) { sb_puts(b, "on "); sb_puts(b, wd); }
        else sb_puts(b, "earlier this week");
    } else if (m1 == m2 && y1 == y2 && u < 40) {
        sb_puts(b, "earlier this month");
    } else if (k < 14 && u < 70) {
        sb_puts(b, "last week");
    } else if ((m1 == m2 + 1 && y1 == y2) && u < 50) {
        sb_puts(b, "last month");
    } else {
        sb_puts(b, "on ");
        sb_puts(b, MONTHS[m2 - 1]);
        sb_putc(b, ' ');
        sb_uint(b, (unsigned)d2, 0);
    }
}

/* Computes every per-article slot value (stream 'C' of the article). */
static void actx_init(actx *a, const meta *m)
{
    memset(a, 0, offsetof(actx, store));
    a->m = m;
    story_get(m->story, &a->st);
    a->c = &COUNTRIES[a->st.country];
    a->out = &OUTLETS[m->outlet];
    style_get(m->outlet, &a->sty);
    a->ev = m->ev;
    a->type = a->st.type[a->ev];
    uint64_t r = h3(m->id, 'C', 0);
    if (chance(&r, 10))
        a->sty.art = (int)below(&r, 4); /* reporters do not all follow the house style */
    a->wire = m->outlet < NAGENCY ? m->outlet : (int)below(&r, NAGENCY);

    const country *c = a->c;
    const story *st = &a->st;
    int ci = st->country, cu = c->culture;
    int city = st->city[a->ev];
    set_slot_s(a, SL_ADJ, c->adj);
    set_slot_s(a, SL_COUNTRY, c->name);
    set_slot_name(a, SL_CAPITAL, c->capital);
    set_slot_name(a, SL_CITY, c->cities[city]);
    set_slot_name(a, SL_CITY2, c->cities[(city + 1 + (int)below(&r, 7)) % 8]);
    set_slot_s(a, SL_REGION, c->regions[st->region]);
    set_slot_s(a, SL_NEIGHBOR, COUNTRIES[st->neighbor].name);
    set_slot_s(a, SL_NEIGHBOR_ADJ, COUNTRIES[st->neighbor].adj);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "the %s army", c->adj);
    set_slot_s(a, SL_ARMY, tmp);
    snprintf(tmp, sizeof tmp, "the %s air force", c->adj);
    set_slot_s(a, SL_AIRFORCE, tmp);
    snprintf(tmp, sizeof tmp, "%s police", c->adj);
    set_slot_s(a, SL_POLICE, tmp);
    snprintf(tmp, sizeof tmp, "the %s government", c->adj);
    set_slot_s(a, SL_GOV, tmp);
    set_slot_name(a, SL_GROUP, c->groups[st->group][0]);
    g_tmp.len = 0;
    put_name(&g_tmp, c->groups[st->group][1], &a->sty, 1);
    set_slot(a, SL_GROUP_S, g_tmp.p, g_tmp.len);
    set_slot_s(a, SL_PARTY, PARTIES[mix64((uint64_t)ci + 5) % NELEM(PARTIES)]);
    set_slot_s(a, SL_CURRENCY, c->currency);
    snprintf(tmp, sizeof tmp, "%d", 5 + (int)(mix64((uint64_t)ci + 11) % 55));
    set_slot_s(a, SL_NMILLION, tmp);

    set_person(a, SL_PRES, SL_PRES_S, cu, 1, (uint64_t)ci, 900);
    set_person(a, SL_MIN, SL_MIN_S, cu, 2, (uint64_t)ci, 400);
    set_person(a, SL_SPOX, SL_SPOX_S, cu, 3, (uint64_t)ci, 200);
    set_person(a, SL_GLEADER, SL_GLEADER_S, cu, 4, (uint64_t)(ci * 2 + st->group), 600);
    set_person(a, SL_GOVNR, 0, cu, 5, (uint64_t)(ci * 4 + st->region), 500);
    set_person(a, SL_DOCTOR, SL_DOCTOR_S, cu, 6, (uint64_t)(ci * 8 + city), 700);
    set_person(a, SL_ENVOY, 0, (int)(mix64((uint64_t)ci + 3) % NELEM(CULTURES)), 7, (uint64_t)ci, 500);
    set_person(a, SL_ANALYST, SL_ANALYST_S, (int)below(&r, NELEM(CULTURES)), 8, m->id, 1);
    int rcul = (int)below(&r, NELEM(CULTURES));
    set_person(a, SL_REPORTER, 0, rcul, 9, (uint64_t)m->outlet * 64 + below(&r, 6), 3000);
    set_person(a, SL_REPORTER2, 0, rcul, 10, (uint64_t)m->outlet * 64 + below(&r, 6), 3000);
    set_slot_s(a, SL_THINK_TANK, THINK_TANKS[below(&r, NELEM(THINK_TANKS))]);
    set_slot_s(a, SL_AID, AID_ORGS[below(&r, NELEM(AID_ORGS))]);
    set_slot_s(a, SL_PLACE, PLACES[st->place]);
    set_slot_s(a, SL_DISASTER, DISASTERS[st->disaster]);
    snprintf(tmp, sizeof tmp, "%s", DISASTERS[st->disaster]);
    tmp[0] = (char)(tmp[0] - 32);
    set_slot_s(a, SL_DISASTER_C, tmp);
    set_slot_s(a, SL_OUTLET, a->out->name);
    set_slot_s(a, SL_WIRE, OUTLETS[a->wire].name);

    /* tolls: later reports of the same event count more dead */
    int32_t since = m->pub_day - st->day[a->ev];
    int t0 = st->toll[a->ev];
    a->toll_prev = t0;
    a->toll = t0;
    if (since > 0 && t0 > 0)
        a->toll = t0 + (t0 * 15 * (since > 5 ? 5 : since)) / 100 + (int)below(&r, 3);
    set_slot_num(a, SL_TOLL, a->toll, &r);
    set_slot_num(a, SL_TOLL_PREV, t0, &r);
    set_slot_num(a, SL_WOUNDED, st->wounded[a->ev] + (a->toll - t0), &r);
    set_slot_num(a, SL_NARRESTED, st->narrested[a->ev], &r);
    set_slot_s(a, SL_WHAT, st->type[a->ev] == EV_DISASTER ? "the disaster" : EV_WHAT[a->type]);
    set_slot_s(a, SL_WEEKDAY, WEEKDAYS[weekday(st->day[a->ev])]);

    g_tmp.len = 0;
    put_when(&g_tmp, m->pub_day, st->day[a->ev], &r);
    set_slot(a, SL_WHEN, g_tmp.p, g_tmp.len);
    int pe = a->ev > 0 ? a->ev - 1 : 0;
    g_tmp.len = 0;
    if (a->ev > 0)
        put_when(&g_tmp, m->pub_day, st->day[pe], &r);
    else
        sb_puts(&g_tmp, "last month");
    set_slot(a, SL_PREV_WHEN, g_tmp.p, g_tmp.len);
    set_slot(a, SL_PREV_WHEN_C, g_tmp.p, g_tmp.len);
    set_slot_s(a, SL_PREV_WHAT, EV_WHAT[st->type[pe]]);
    set_slot_name(a, SL_PREV_CITY, c->cities[st->city[pe]]);
    set_slot_num(a, SL_TOLL_PREVEV, st->toll[pe], &r);
}

/* ---- template expansion ---- */

static void expand(actx *a, sbuf *b, const char *t);

static void put_dynamic(actx *a, sbuf *b, int slot)
{
    uint64_t *r = &a->rng;
    static const char *const ORD[] = { "second", "third", "fourth", "fifth", "sixth" };
    switch (slot) {
    case SL_AGE: sb_uint(b, 6 + below(r, 70), 0); break;
    case SL_KM: sb_uint(b, 5 + below(r, 120), 0); break;
    case SL_PCT: sb_uint(b, 5 + below(r, 60), 0); break;
    case SL_NSMALL: {
        int v = 2 + (int)below(r, 8); /* two statements: argument order is unspecified */
        put_num(b, v, chance(r, 70));
        break;
    }
    case SL_NBIG: put_num(b, 120 + (int)below(r, 9000), 1); break;
    case SL_NCOMMENTS: sb_uint(b, below(r, 400), 0); break;
    case SL_ORDINAL: sb_puts(b, ORD[below(r, NELEM(ORD))]); break;
    case SL_TIMEOFDAY: sb_puts(b, TIMES_OF_DAY[below(r, NELEM(TIMES_OF_DAY))]); break;
    case SL_YEAR_PAST: {
        int y, mo, d;
        civil_from_days(a->m->pub_day, &y, &mo, &d);
        sb_uint(b, (unsigned)(y - 1 - (int)below(r, 15)), 0);
        break;
    }
    case SL_WITNESS: case SL_PHOTOG: {
        const culture *cu = &CULTURES[slot == SL_WITNESS ? a->c->culture : (int)below(r, NELEM(CULTURES))];
        sb_puts(b, cu->first[below(r, 16)]);
        sb_putc(b, ' ');
        put_name(b, cu->last[below(r, 16)], &a->sty, 0);
        if (slot == SL_WITNESS) {
            sb_puts(b, ", a ");
            sb_uint(b, 19 + below(r, 55), 0);
            sb_puts(b, "-year-old ");
            sb_puts(b, OCCUPATIONS[below(r, NELEM(OCCUPATIONS))]);
        }
        break;
    }
    case SL_RELATED: {
        int keep = a->rc;
        a->rc = (int)below(r, NELEM(COUNTRIES));
        expand(a, b, PB[B_REL].t[below(r, (uint32_t)PB[B_REL].n)]);
        a->rc = keep;
        break;
    }
    case SL_RCOUNTRY: sb_puts(b, COUNTRIES[a->rc].name); break;
    case SL_RADJ: sb_puts(b, COUNTRIES[a->rc].adj); break;
    case SL_RCAPITAL: put_name(b, COUNTRIES[a->rc].capital, &a->sty, 0); break;
    default: die("slot %s has no value", SLOT_NAMES[slot]);
    }
}

/* Expands a compiled template into b. */
static void expand(actx *a, sbuf *b, const char *t)
{
    for (;;) {
        const char *s = t;
        while (*t && *t != SLOT_MARK)
            t++;
        sb_put(b, s, (size_t)(t - s));
        if (!*t)
            return;
        int slot = (unsigned char)t[1];
        t += 2;
        if (a->len[slot] || a->off[slot])
            sb_put(b, a->store + a->off[slot], a->len[slot]);
        else
            put_dynamic(a, b, slot);
    }
}

/* Appends a sentence: expands it, capitalises its first letter and applies
 * the outlet's quote style. */
static sbuf g_sent;

static void put_sentence(actx *a, sbuf *b, const char *t)
{
    g_sent.len = 0;
    expand(a, &g_sent, t);
    if (g_sent.len && g_sent.p[0] >= 'a' && g_sent.p[0] <= 'z')
        g_sent.p[0] = (char)(g_sent.p[0] - 32);
    if (!a->sty.curly) {
        sb_put(b, g_sent.p, g_sent.len);
        return;
    }
    int open = 0;
    sb_reserve(b, g_sent.len * 3);
    for (size_t k = 0; k < g_sent.len; k++) {
        char ch = g_sent.p[k];
        if (ch == '"') {
            sb_put(b, open ? "\xe2\x80\x9d" : "\xe2\x80\x9c", 3);
            open = !open;
        } else if (ch == '\'') {
            sb_put(b, "\xe2\x80\x99", 3);
        } else {
            b->p[b->len++] = ch;
        }
    }
    b->p[b->len] = 0;
}

/* Picks a template index from a pool, avoiding ones this article used. */
static int pick(actx *a, int slotpool, const pool *p)
{
    uint64_t *used = &a->pool_used[slotpool];
    uint64_t all = p->n >= 64 ? ~0ULL : (1ULL << p->n) - 1;
    if ((*used & all) == all)
        *used = 0; /* pool exhausted (very long article): start over */
    int i = (int)below(&a->rng, (uint32_t)p->n);
    while (*used >> i & 1)
        i = (i + 1) % p->n;
    *used |= 1ULL << i;
    return i;
}

/* ---- body: paragraphs of an article (stream 'B') ---- */

#define MAXPARA 160

typedef struct body {
    sbuf text;
    int n;
    size_t off[MAXPARA], len[MAXPARA];
} body;

static int violent(int type) { return type <= EV_KILLING && type != EV_RAID; }

static void put_dateline(actx *a, sbuf *b)
{
    int y, mo, d;
    civil_from_days(a->m->pub_day, &y, &mo, &d);
    size_t start = b->len;
    put_name(b, a->c->cities[a->st.city[a->ev]], &a->sty, 0);
    for (size_t k = start; k < b->len; k++) { /* upper-case ASCII and Latin-1 letters */
        unsigned char ch = (unsigned char)b->p[k];
        if (ch >= 'a' && ch <= 'z')
            b->p[k] = (char)(ch - 32);
        else if (ch == 0xc3 && k + 1 < b->len && (unsigned char)b->p[k + 1] >= 0xa0 && (unsigned char)b->p[k + 1] != 0xb7) {
            b->p[k + 1] = (char)((unsigned char)b->p[k + 1] - 0x20);
            k++;
        }
    }
    switch (a->sty.dateline) {
    case 0: sb_puts(b, ", "); sb_puts(b, a->c->name); sb_puts(b, " \xe2\x80\x94 "); break;
    case 1: sb_puts(b, " \xe2\x80\x94 "); break;
    case 2: sb_puts(b, ", "); sb_puts(b, a->c->name); sb_puts(b, ": "); break;
    case 3: b->len = start; b->p[start] = 0; break; /* no dateline */
    default:
        sb_puts(b, ", ");
        sb_puts(b, MONTHS[mo - 1]);
        sb_putc(b, ' ');
        sb_uint(b, (unsigned)d, 0);
        sb_puts(b, " (");
        sb_puts(b, a->out->code);
        sb_puts(b, ") - ");
    }
}

static void para_begin(body *bd) { bd->off[bd->n] = bd->text.len; }

static void para_end(body *bd)
{
    bd->len[bd->n] = bd->text.len - bd->off[bd->n];
    if (bd->len[bd->n] && bd->n + 1 < MAXPARA)
        bd->n++;
}

static void put_cat(actx *a, body *bd, int cat)
{
    const pool *p = &PC[cat];
    int i = pick(a, EV_NTYPES + cat, p);
    if (cat == C_PREV && a->st.toll[a->ev - 1] == 0 && i == 0)
        i = 1; /* "in which N people were killed" needs dead */
    put_sentence(a, &bd->text, p->t[i]);
}

/* Generates the paragraphs of the article a describes, up to its length. */
static void gen_body(actx *a, body *bd)
{
    a->rng = h3(a->m->id, 'B', 0);
    memset(a->pool_used, 0, sizeof a->pool_used);
    bd->text.len = 0;
    bd->n = 0;
    /* lognormal total length, median ~3.6 KB, clamped to 1-12 KB */
    double u1 = ((double)(rnd(&a->rng) >> 11) + 0.5) / 9007199254740992.0;
    double u2 = (double)(rnd(&a->rng) >> 11) / 9007199254740992.0;
    double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
    double total = exp(log(3600.0) + 0.5 * z);
    if (total < 1000)
        total = 1000;
    if (total > 12000)
        total = 12000;
    size_t target = (size_t)(total * 0.8);
    int type = a->type, agency = a->m->outlet < NAGENCY;

    para_begin(bd);
    put_dateline(a, &bd->text);
    put_sentence(a, &bd->text, PL[type].t[pick(a, type, &PL[type])]);
    para_end(bd);

    int seq[32], ns = 0;
    seq[ns++] = -1; /* -1: a detail of the event type */
    seq[ns++] = -1;
    seq[ns++] = type == EV_PROTEST || type == EV_ELECTION ? C_QWITNESS : C_QGOV;
    if (a->toll > a->toll_prev)
        seq[ns++] = C_TOLLUP;
    if (a->toll > 0)
        seq[ns++] = C_CASUALTY;
    if (a->ev > 0)
        seq[ns++] = C_PREV;
    if (violent(type))
        seq[ns++] = C_QWITNESS;
    seq[ns++] = -1;
    seq[ns++] = C_REACTION;
    if (a->toll > 0)
        seq[ns++] = C_QDOCTOR;
    seq[ns++] = C_QGROUP;
    seq[ns++] = -1;
    static const int fill[] = { C_BACKGROUND, C_HUMAN, C_BACKGROUND, C_ANALYSIS, C_POLITICS, C_QWITNESS,
                                C_ECONOMY, C_BACKGROUND, C_HUMAN, C_QGOV, C_ANALYSIS, C_POLITICS };
    int k = 0, filled = 0;
    while (bd->text.len < target && bd->n + 1 < MAXPARA) {
        int cat = k < ns ? seq[k] : fill[(k - ns) % NELEM(fill)];
        k++;
        if (cat == -1 && filled >= PD[type].n)
            continue;
        para_begin(bd);
        int nsent = cat < C_BACKGROUND && cat != -1 ? 1 : 1 + (int)below(&a->rng, agency ? 2 : 3);
        for (int s = 0; s < nsent; s++) {
            if (s)
                sb_putc(&bd->text, ' ');
            if (cat == -1) {
                put_sentence(a, &bd->text, PD[type].t[pick(a, type + 0, &PD[type])]);
                filled++;
                if (filled >= PD[type].n)
                    break;
            } else {
                put_cat(a, bd, cat);
            }
        }
        para_end(bd);
        if (k > 400)
            break;
    }
    if (agency) {
        para_begin(bd);
        put_sentence(a, &bd->text, g_credit);
        para_end(bd);
    }
}

/* ---- the whole page text and URL ---- */

static void put_slug(sbuf *b, const char *title, size_t n)
{
    size_t start = b->len;
    int dash = 0;
    for (size_t k = 0; k < n && b->len - start < 72; k++) {
        unsigned char ch = (unsigned char)title[k];
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (dash && b->len > start)
                sb_putc(b, '-');
            sb_putc(b, (char)ch);
            dash = 0;
        } else if (ch >= 'A' && ch <= 'Z') {
            if (dash && b->len > start)
                sb_putc(b, '-');
            sb_putc(b, (char)(ch + 32));
            dash = 0;
        } else if (ch < 0x80 && ch != '\'') {
            dash = 1;
        }
    }
}

static void put_url(actx *a, sbuf *u, const char *title, size_t tlen)
{
    int y, mo, d;
    civil_from_days(a->m->pub_day, &y, &mo, &d);
    uint64_t num = h3(a->m->id, 'U', 0);
    const char *sec = SECTIONS[num % NELEM(SECTIONS)];
    const char *dom = a->out->domain;
    u->len = 0;
    switch (a->sty.urlform) {
    case 0:
        sb_puts(u, "https://www."); sb_puts(u, dom); sb_putc(u, '/');
        sb_uint(u, (unsigned)y, 4); sb_putc(u, '/'); sb_uint(u, (unsigned)mo, 2); sb_putc(u, '/');
        sb_uint(u, (unsigned)d, 2); sb_putc(u, '/'); sb_puts(u, sec); sb_putc(u, '/');
        put_slug(u, title, tlen); sb_putc(u, '-'); sb_uint(u, num % 100000, 5); sb_putc(u, '/');
        break;
    case 1:
        sb_puts(u, "https://"); sb_puts(u, dom); sb_puts(u, "/news/"); sb_puts(u, sec); sb_putc(u, '/');
        put_slug(u, title, tlen); sb_putc(u, '-'); sb_uint(u, num % 100000000, 8);
        break;
    case 2:
        sb_puts(u, "https://www."); sb_puts(u, dom); sb_puts(u, "/article/");
        sb_uint(u, (unsigned)y, 4); sb_uint(u, (unsigned)mo, 2); sb_uint(u, (unsigned)d, 2); sb_putc(u, '-');
        put_slug(u, title, tlen); sb_putc(u, '-'); sb_uint(u, num % 1000, 3); sb_puts(u, ".html");
        break;
    case 3:
        sb_puts(u, "https://"); sb_puts(u, dom); sb_putc(u, '/'); sb_puts(u, sec); sb_putc(u, '/');
        sb_uint(u, (unsigned)y, 4); sb_putc(u, '-'); sb_uint(u, (unsigned)mo, 2); sb_putc(u, '-');
        sb_uint(u, (unsigned)d, 2); sb_putc(u, '/'); put_slug(u, title, tlen);
        sb_puts(u, "?ref="); sb_uint(u, num % 100000, 5);
        break;
    case 4:
        sb_puts(u, "https://www."); sb_puts(u, dom); sb_puts(u, "/story.php?id=");
        sb_uint(u, num % 10000000, 7); sb_puts(u, "&date=");
        sb_uint(u, (unsigned)y, 4); sb_uint(u, (unsigned)mo, 2); sb_uint(u, (unsigned)d, 2);
        break;
    default:
        sb_puts(u, "https://"); sb_puts(u, dom); sb_putc(u, '/'); sb_puts(u, sec); sb_putc(u, '/');
        sb_uint(u, num % 1000000, 6); sb_putc(u, '-'); put_slug(u, title, tlen);
    }
}

static void put_dateline_meta(actx *a, sbuf *b)
{
    int y, mo, d;
    int32_t day = a->m->pub_day;
    civil_from_days(day, &y, &mo, &d);
    int hh = a->m->pub_min / 60, mm = a->m->pub_min % 60;
    const char *wd = WEEKDAYS[weekday(day)];
    switch (a->sty.dateform) {
    case 0:
        sb_puts(b, "Published: "); sb_uint(b, (unsigned)d, 0); sb_putc(b, ' ');
        sb_puts(b, MONTHS[mo - 1]); sb_putc(b, ' '); sb_uint(b, (unsigned)y, 0);
        break;
    case 1:
        sb_puts(b, MONTHS[mo - 1]); sb_putc(b, ' '); sb_uint(b, (unsigned)d, 0); sb_puts(b, ", ");
        sb_uint(b, (unsigned)y, 0); sb_putc(b, ' '); sb_uint(b, (unsigned)(hh % 12 ? hh % 12 : 12), 0);
        sb_putc(b, ':'); sb_uint(b, (unsigned)mm, 2); sb_puts(b, hh < 12 ? " AM GMT" : " PM GMT");
        break;
    case 2:
        sb_puts(b, "Updated "); sb_uint(b, (unsigned)hh, 2); sb_putc(b, ':'); sb_uint(b, (unsigned)mm, 2);
        sb_puts(b, ", "); sb_put(b, wd, 3); sb_putc(b, ' '); sb_uint(b, (unsigned)d, 0); sb_putc(b, ' ');
        sb_puts(b, MON3[mo - 1]); sb_putc(b, ' '); sb_uint(b, (unsigned)y, 0);
        break;
    case 3:
        sb_uint(b, (unsigned)d, 2); sb_putc(b, '.'); sb_uint(b, (unsigned)mo, 2); sb_putc(b, '.');
        sb_uint(b, (unsigned)y, 0); sb_puts(b, " | "); sb_uint(b, (unsigned)hh, 2); sb_putc(b, ':');
        sb_uint(b, (unsigned)mm, 2);
        break;
    case 4:
        sb_puts(b, wd); sb_putc(b, ' '); sb_uint(b, (unsigned)d, 0); sb_putc(b, ' ');
        sb_puts(b, MONTHS[mo - 1]); sb_putc(b, ' '); sb_uint(b, (unsigned)y, 0); sb_putc(b, ' ');
        sb_uint(b, (unsigned)hh, 2); sb_putc(b, '.'); sb_uint(b, (unsigned)mm, 2); sb_puts(b, " GMT");
        break;
    default:
        sb_uint(b, (unsigned)y, 0); sb_putc(b, '-'); sb_uint(b, (unsigned)mo, 2); sb_putc(b, '-');
        sb_uint(b, (unsigned)d, 2); sb_putc(b, 'T'); sb_uint(b, (unsigned)hh, 2); sb_putc(b, ':');
        sb_uint(b, (unsigned)mm, 2); sb_puts(b, ":00Z");
    }
}

static void nl(sbuf *b, int n)
{
    while (n--)
        sb_putc(b, '\n');
}

static body g_body;
static sbuf g_title;

/* Renders article m (an original or a near-copy) into text and url. */
static void render(const meta *m, sbuf *text, sbuf *url, int *has_url)
{
    static actx a, src;
    actx_init(&a, m);
    body *bd = &g_body;
    meta ms;
    int src_outlet = m->outlet;
    if (m->kind == K_COPY) {
        orig_meta(m->src, &ms);
        src_outlet = ms.outlet;
        actx_init(&src, &ms);
        gen_body(&src, bd);
    } else {
        gen_body(&a, bd);
    }
    a.rng = h3(m->id, 'P', 0);
    int sep = a.sty.parasep;

    /* near-copies: the republishing outlet trims and reorders the wire text */
    int order[MAXPARA], np = bd->n;
    for (int k = 0; k < np; k++)
        order[k] = k;
    if (m->kind == K_COPY) {
        if (np > 4 && chance(&a.rng, 50)) {
            int drop = 1 + (int)below(&a.rng, (uint32_t)np - 1);
            memmove(order + drop, order + drop + 1, sizeof(int) * (size_t)(np - drop - 1));
            np--;
        }
        if (np > 4 && chance(&a.rng, 35)) {
            int s = 1 + (int)below(&a.rng, (uint32_t)np - 2);
            int t = order[s];
            order[s] = order[s + 1];
            order[s + 1] = t;
        }
        if (np > 6 && chance(&a.rng, 30))
            np = np * (60 + (int)below(&a.rng, 30)) / 100;
    }

    text->len = 0;
    /* header */
    for (int k = 0; k < a.sty.nheader; k++) {
        sb_puts(text, B_HEADER[a.sty.header[k]]);
        nl(text, 1 + (k % 3 == 2));
    }
    nl(text, 1);
    g_title.len = 0;
    put_sentence(&a, &g_title, PH[a.type].t[below(&a.rng, (uint32_t)PH[a.type].n)]);
    sb_put(text, g_title.p, g_title.len);
    nl(text, sep);
    if (a.sty.standfirst) {
        put_sentence(&a, text, PL[a.type].t[below(&a.rng, (uint32_t)PL[a.type].n)]);
        nl(text, sep);
    }
    if (a.sty.byline) {
        put_sentence(&a, text, PB[B_BYL].t[a.sty.byline - 1]);
        nl(text, 1);
    }
    put_dateline_meta(&a, text);
    nl(text, sep);
    if (a.sty.share) {
        sb_puts(text, B_SHARE[a.sty.share - 1]);
        nl(text, sep);
    }
    if (chance(&a.rng, 60)) {
        put_sentence(&a, text, PB[B_CAP].t[below(&a.rng, (uint32_t)PB[B_CAP].n)]);
        nl(text, sep);
    }
    nl(text, 1);

    /* body with one promotional break */
    int mid = chance(&a.rng, 55) && np > 4 ? 2 + (int)below(&a.rng, (uint32_t)np - 3) : -1;
    for (int k = 0; k < np; k++) {
        if (k == mid) {
            put_sentence(&a, text, PB[B_MD].t[below(&a.rng, (uint32_t)PB[B_MD].n)]);
            nl(text, sep);
        }
        sb_put(text, bd->text.p + bd->off[order[k]], bd->len[order[k]]);
        nl(text, sep);
    }
    if (m->kind == K_COPY && chance(&a.rng, 40)) {
        sb_puts(text, chance(&a.rng, 50) ? "This article was originally published by " : "Source: ");
        sb_puts(text, OUTLETS[src_outlet].name);
        nl(text, sep);
    }
    nl(text, 1);

    /* footer */
    sb_puts(text, chance(&a.rng, 50) ? "Related articles" : "More on this story");
    nl(text, 1);
    for (int k = 0; k < 3; k++) {
        a.rc = (int)below(&a.rng, NELEM(COUNTRIES));
        put_sentence(&a, text, PB[B_REL].t[below(&a.rng, (uint32_t)PB[B_REL].n)]);
        nl(text, 1);
    }
    nl(text, 1);
    for (int k = 0; k < a.sty.nfooter; k++) {
        put_sentence(&a, text, PB[B_FTR].t[a.sty.footer[k]]);
        nl(text, 1);
    }
    int y, mo, d;
    civil_from_days(m->pub_day, &y, &mo, &d);
    sb_puts(text, "\xc2\xa9 ");
    sb_uint(text, (unsigned)y, 0);
    sb_putc(text, ' ');
    sb_puts(text, a.out->name);
    sb_puts(text, ". All rights reserved.");

    *has_url = h3(m->id, 'U', 1) % 100 >= 2;
    if (*has_url)
        put_url(&a, url, g_title.p, g_title.len);
}

/* ---- output ---- */

/* Appends s as the body of a JSON string (quotes not included). */
static void put_json(sbuf *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sb_reserve(o, n + n / 8 + 16);
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            if (o->len + 7 >= o->cap)
                sb_reserve(o, n - k + 16);
            o->p[o->len++] = (char)ch;
            continue;
        }
        sb_reserve(o, n - k + 16);
        o->p[o->len++] = '\\';
        switch (ch) {
        case '"': o->p[o->len++] = '"'; break;
        case '\\': o->p[o->len++] = '\\'; break;
        case '\n': o->p[o->len++] = 'n'; break;
        case '\t': o->p[o->len++] = 't'; break;
        default:
            memcpy(o->p + o->len, "u00", 3);
            o->len += 3;
            o->p[o->len++] = hex[ch >> 4];
            o->p[o->len++] = hex[ch & 15];
        }
    }
    o->p[o->len] = 0;
}

static void usage(void)
{
    fputs("usage: gen_corpus --n N [--seed S] --out FILE|DIR|- [--format jsonl|txt]\n"
          "                  [--truth FILE] [--quiet]\n"
          "  jsonl: one {\"id\",\"url\",\"text\"} per line into FILE (- = stdout)\n"
          "  txt:   DIR/<id>.txt holding the text only\n"
          "  --truth: per article {\"id\",\"kind\",\"duplicate_of\",\"story\",\"event\",\"type\",\"published\"}\n",
          stderr);
    exit(2);
}

static unsigned long long parse_u64(const char *opt, const char *v)
{
    if (!v)
        usage();
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end)
        die("%s: not a number: %s", opt, v);
    return x;
}

int main(int argc, char **argv)
{
    unsigned long long n = 0, seed = 1;
    const char *out = NULL, *format = "jsonl", *truth = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--n")) n = parse_u64(o, v), i++;
        else if (!strcmp(o, "--seed")) seed = parse_u64(o, v), i++;
        else if (!strcmp(o, "--out") && v) out = v, i++;
        else if (!strcmp(o, "--format") && v) format = v, i++;
        else if (!strcmp(o, "--truth") && v) truth = v, i++;
        else if (!strcmp(o, "--quiet")) quiet = 1;
        else usage();
    }
    int txt = !strcmp(format, "txt");
    if (!n || !out || (!txt && strcmp(format, "jsonl")))
        usage();

    g_seed = mix64(seed + 0x5eed);
    g_n = n;
    g_nstories = n / 25 ? n / 25 : 1;
    g_span = (int32_t)(n / 250 > 60 ? n / 250 : 60);
    g_base = days_from_civil(2021, 1, 4);
    double tot = 0, acc = 0;
    for (int o = NAGENCY; o < NELEM(OUTLETS); o++)
        tot += 1.0 / pow(o - NAGENCY + 1, 0.8); /* a few outlets publish most */
    for (int o = NAGENCY; o < NELEM(OUTLETS); o++)
        g_outlet_cdf[o] = (acc += 1.0 / pow(o - NAGENCY + 1, 0.8) / tot);
    compile_all();

    FILE *f = NULL;
    if (!txt) {
        f = strcmp(out, "-") ? fopen(out, "wb") : stdout;
        if (!f)
            die("%s: %s", out, strerror(errno));
    } else if (mkdir(out, 0777) && errno != EEXIST) {
        die("%s: %s", out, strerror(errno));
    }
    FILE *tf = NULL;
    if (truth && !(tf = fopen(truth, "wb")))
        die("%s: %s", truth, strerror(errno));
    int width = 6;
    for (unsigned long long x = n - 1; x >= 1000000; x /= 10)
        width++;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sbuf text = { 0 }, url = { 0 }, o = { 0 }, path = { 0 };
    unsigned long long bytes = 0, copies = 0, recrawls = 0;
    for (uint64_t i = 0; i < n; i++) {
        meta m;
        int recrawl = meta_get(i, &m);
        int has_url;
        render(&m, &text, &url, &has_url);
        copies += m.kind == K_COPY && !recrawl;
        recrawls += recrawl;
        if (tf) {
            static const char *const TYPES[EV_NTYPES] = { "airstrike", "shelling", "bombing", "armed_clash",
                "raid_or_arrest", "killing", "protest", "agreement", "meeting", "statement", "election", "disaster" };
            story st;
            story_get(m.story, &st);
            int y, mo, d;
            civil_from_days(m.pub_day, &y, &mo, &d);
            uint64_t dup = recrawl ? m.id : m.src;
            fprintf(tf, "{\"id\": \"%0*llu\", \"kind\": \"%s\", \"duplicate_of\": ", width, (unsigned long long)i,
                    recrawl ? "recrawl" : m.kind == K_COPY ? "near_copy" : "original");
            if (recrawl || m.kind == K_COPY)
                fprintf(tf, "\"%0*llu\"", width, (unsigned long long)dup);
            else
                fputs("null", tf);
            fprintf(tf, ", \"story\": \"s%llu\", \"event\": \"s%llu.%d\", \"type\": \"%s\", \"published\": \"%04d-%02d-%02d\"}\n",
                    (unsigned long long)m.story, (unsigned long long)m.story, m.ev, TYPES[st.type[m.ev]], y, mo, d);
        }
        if (recrawl && has_url)
            sb_puts(&url, strchr(url.p, '?') ? "&utm_source=feed&utm_medium=rss" : "?utm_source=feed&utm_medium=rss");
        if (txt) {
            path.len = 0;
            sb_puts(&path, out);
            sb_putc(&path, '/');
            sb_uint(&path, i, width);
            sb_puts(&path, ".txt");
            FILE *tf = fopen(path.p, "wb");
            if (!tf || fwrite(text.p, 1, text.len, tf) != text.len || fclose(tf))
                die("%s: %s", path.p, strerror(errno));
            bytes += text.len;
            continue;
        }
        sb_puts(&o, "{\"id\": \"");
        sb_uint(&o, i, width);
        if (has_url) {
            sb_puts(&o, "\", \"url\": \"");
            put_json(&o, url.p, url.len);
            sb_puts(&o, "\", \"text\": \"");
        } else {
            sb_puts(&o, "\", \"url\": null, \"text\": \"");
        }
        put_json(&o, text.p, text.len);
        sb_puts(&o, "\"}\n");
        if (o.len >= (1u << 20)) {
            if (fwrite(o.p, 1, o.len, f) != o.len)
                die("%s: %s", out, strerror(errno));
            bytes += o.len;
            o.len = 0;
        }
    }
    if (f) {
        if (o.len && fwrite(o.p, 1, o.len, f) != o.len)
            die("%s: %s", out, strerror(errno));
        bytes += o.len;
        if (f != stdout ? fclose(f) : fflush(f))
            die("%s: %s", out, strerror(errno));
    }
    if (tf && fclose(tf))
        die("%s: %s", truth, strerror(errno));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!quiet)
        fprintf(stderr, "gen_corpus: %llu articles (%llu near-copies, %llu re-crawls), %.1f MB in %.2f s, %.0f MB/s\n",
                n, copies, recrawls, (double)bytes / 1e6, secs, secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
    free(text.p);
    free(url.p);
    free(o.p);
    free(path.p);
    return 0;
}
