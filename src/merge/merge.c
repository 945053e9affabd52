/*
 * merge.c - see merge.h.
 *
 * Data structures: the mentions as added (strings copied into the merger's
 * arena); events with their member lists; a posting index (td_map from a
 * hashed key to the head of a linked list of event ids) over (group, day),
 * (group, place name), (group, story) and (group, article). td_merge_run
 * clears the events and index and rebuilds them: dated mentions first (they
 * anchor events), then coarse or undated ones, each joining the best
 * compatible candidate found through the index.
 *
 * Invariants: after a run every mention belongs to exactly one event;
 * event_of[i] < n_events; an event's member list is sorted by mention index.
 */
#include "merge/merge.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/map.h"
#include "extract/trigger.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#define NO_DAY LONG_MIN
#define MAX_PLACES 8
#define MAX_CANDS 256

typedef struct ev {
    td_merged_event pub;
    uint32_t *mem;
    uint32_t n_mem, cap_mem;
    long lo, hi;                 /* day range of its day-precision mentions; NO_DAY if none */
    long clo, chi;               /* day range of its coarse mentions */
    uint32_t places[MAX_PLACES]; /* mention indexes with distinct places */
    uint8_t place_arts[MAX_PLACES]; /* members naming it from other articles than places[k]'s, capped */
    bool place_found[MAX_PLACES];   /* the founding mention names it */
    uint32_t figs[4];            /* members with distinct telling death figures (see telling) */
    uint32_t n_figs;
    int32_t kmin, kmax;          /* smallest and largest death figure of its members; -1 none */
    uint32_t n_places;
    int64_t story;
    uint32_t stamp;              /* candidate de-duplication */
    uint32_t art_stamp;          /* == merger stamp: found through the mention's article */
    uint32_t actors[MAX_PLACES]; /* mention indexes with distinct actors */
    uint32_t n_actors;
    char *chosen[3];             /* actor, target, place copies owned here */
} ev;

typedef struct posting {
    uint32_t ev;
    uint32_t next;               /* index + 1 of the next posting, 0 = end */
} posting;

struct td_merge {
    td_arena strings;            /* copies of mention strings */
    td_merge_mention *mv;
    uint32_t n, cap;
    uint32_t *event_of;
    ev *ev;
    uint32_t n_ev, cap_ev;
    posting *post;
    uint32_t n_post, cap_post;
    td_map index;
    uint32_t stamp;
    td_merge_opts opts;
};

/* ---- helpers ---- */

static long days_of(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int month_len(int y, int m)
{
    static const int L[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : L[m - 1];
}

/* Day range a date stands for; false when unknown. */
static bool date_range(td_date d, long *lo, long *hi)
{
    if (d.year <= 0 || d.prec == TD_PREC_NONE)
        return false;
    int m = d.month > 0 ? d.month : 1;
    switch (d.prec) {
    case TD_PREC_DAY:
        *lo = *hi = days_of(d.year, m, d.day > 0 ? d.day : 1);
        return true;
    case TD_PREC_WEEK:
        /* "this week", "a few days ago", "last week": the days before the
         * day named more than those after it ("this week" on a Saturday
         * holds Monday) */
        *lo = days_of(d.year, m, d.day > 0 ? d.day : 1) - 6;
        *hi = *lo + 9;
        return true;
    case TD_PREC_MONTH:
        *lo = days_of(d.year, m, 1);
        *hi = *lo + month_len(d.year, m) - 1;
        return true;
    case TD_PREC_YEAR:
        *lo = days_of(d.year, 1, 1);
        *hi = days_of(d.year, 12, 31);
        return true;
    default:
        return false;
    }
}

static int group_of(uint8_t t)
{
    switch (t) {
    case TD_EV_AIRSTRIKE:
    case TD_EV_SHELLING:
    case TD_EV_BOMBING:
    case TD_EV_ARMED_CLASH:
    case TD_EV_KILLING:
    case TD_EV_RAID_OR_ARREST: /* "an attack on a school" and "the abduction" */
        return 1;
    case TD_EV_OTHER:
        return 2;
    default:
        return 10 + t;
    }
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* Case-insensitive equality, or one inside the other at a word boundary
 * ("Marr" / "Marr province"); strings under 3 bytes only match equal. */
static bool names_match(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return false;
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = la;
        la = lb;
        lb = tl;
    }
    for (size_t i = 0; i + la <= lb; i++) {
        if (i > 0 && b[i - 1] != ' ' && b[i - 1] != '-')
            continue;
        if (i + la < lb && b[i + la] != ' ' && b[i + la] != ',')
            continue;
        size_t k = 0;
        while (k < la && lower(a[k]) == lower(b[i + k]))
            k++;
        if (k == la && (la >= 3 || la == lb))
            return true;
    }
    return false;
}

/* Shares a capitalised word of 3+ letters ("Velorian warplanes" / "Velorian
 * air force"), or holds the other's phrase of two words or more in lower
 * case ("the information ministry" / "information ministry": a body named
 * by its function). */
static bool actors_overlap(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    const char *shorter = strlen(a) <= strlen(b) ? a : b;
    if (strchr(shorter, ' ') && names_match(a, b))
        return true;
    for (const char *p = a; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        if (n >= 3 && p[0] >= 'A' && p[0] <= 'Z') {
            for (const char *q = b; *q; q++)
                if ((q == b || q[-1] == ' ') && !strncmp(q, p, n) &&
                    (q[n] == 0 || q[n] == ' ' || q[n] == '-'))
                    return true;
        }
        p = e;
    }
    return false;
}

/* Shares a word of 4+ letters, case-insensitive ("bus carrying children" /
 * "school bus"): targets are mostly common nouns. */
static bool words_overlap(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    for (const char *p = a; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        if (n >= 4)
            for (const char *q = b; *q; q++)
                if ((q == b || q[-1] == ' ') && !strncasecmp(q, p, n) && (q[n] == 0 || q[n] == ' '))
                    return true;
        p = e;
    }
    return false;
}

static double km(double la1, double lo1, double la2, double lo2)
{
    const double r = 3.14159265358979323846 / 180.0;
    double dla = (la2 - la1) * r, dlo = (lo2 - lo1) * r;
    double h = sin(dla / 2) * sin(dla / 2) + cos(la1 * r) * cos(la2 * r) * sin(dlo / 2) * sin(dlo / 2);
    return 6371.0 * 2 * asin(fmin(1.0, sqrt(h)));
}

static uint64_t key_of(int group, int kind, const void *p, size_t len)
{
    uint64_t seed = (uint64_t)group * 131 + (uint64_t)kind;
    return XXH3_64bits_withSeed(p, len, seed) | 1;
}

static uint64_t place_key(int group, const char *place)
{
    char buf[64];
    size_t n = 0;
    for (; place[n] && n < sizeof buf; n++)
        buf[n] = lower(place[n]);
    return key_of(group, 2, buf, n);
}

/* ---- lifecycle ---- */

td_merge *td_merge_new(void)
{
    td_merge *m = td_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    td_arena_init(&m->strings, 1 << 16);
    m->opts = (td_merge_opts){ 7, 25.0 };
    return m;
}

static void clear_events(td_merge *m)
{
    for (uint32_t i = 0; i < m->n_ev; i++) {
        td_free(m->ev[i].mem);
        for (int k = 0; k < 3; k++)
            td_free(m->ev[i].chosen[k]);
    }
    m->n_ev = 0;
    m->n_post = 0;
    td_map_clear(&m->index);
}

void td_merge_free(td_merge *m)
{
    if (!m)
        return;
    clear_events(m);
    td_free(m->ev);
    td_free(m->post);
    td_free(m->mv);
    td_free(m->event_of);
    td_map_free(&m->index);
    td_arena_free(&m->strings);
    td_free(m);
}

static td_str copy(td_merge *m, td_str s)
{
    if (!s.p || !s.len)
        return (td_str){ NULL, 0 };
    char *p = td_arena_strndup(&m->strings, s.p, s.len);
    return (td_str){ p, p ? s.len : 0 };
}

td_status td_merge_add(td_merge *m, const td_merge_mention *x)
{
    if (!m || !x)
        return TD_EINVAL;
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 256;
        td_merge_mention *v = td_realloc(m->mv, cap * sizeof *v);
        if (!v)
            return TD_ENOMEM;
        m->mv = v;
        m->cap = cap;
    }
    td_merge_mention c = *x;
    c.article = copy(m, x->article);
    c.outlet = copy(m, x->outlet);
    c.actor = copy(m, x->actor);
    c.target = copy(m, x->target);
    c.place = copy(m, x->place);
    c.country[2] = 0;
    if (m->strings.failed)
        return TD_ENOMEM;
    m->mv[m->n++] = c;
    return TD_OK;
}

uint32_t td_merge_n_events(const td_merge *m) { return m ? m->n_ev : 0; }
uint32_t td_merge_n_mentions(const td_merge *m) { return m ? m->n : 0; }

const td_merged_event *td_merge_event(const td_merge *m, uint32_t i)
{
    return m && i < m->n_ev ? &m->ev[i].pub : NULL;
}

const td_merge_mention *td_merge_mention_at(const td_merge *m, uint32_t i)
{
    return m && i < m->n ? &m->mv[i] : NULL;
}

uint32_t td_merge_event_of(const td_merge *m, uint32_t i)
{
    return m && m->event_of && i < m->n ? m->event_of[i] : UINT32_MAX;
}

/* ---- index ---- */

static bool post(td_merge *m, uint64_t key, uint32_t e)
{
    uint64_t *head = td_map_upsert(&m->index, key);
    if (!head)
        return false;
    for (uint32_t p = (uint32_t)*head; p; p = m->post[p - 1].next)
        if (m->post[p - 1].ev == e)
            return true;
    if (m->n_post == m->cap_post) {
        uint32_t cap = m->cap_post ? m->cap_post * 2 : 1024;
        posting *v = td_realloc(m->post, cap * sizeof *v);
        if (!v)
            return false;
        m->post = v;
        m->cap_post = cap;
    }
    m->post[m->n_post] = (posting){ e, (uint32_t)*head };
    *head = ++m->n_post;
    return true;
}

/* Posts event e under the keys of mention i. */
static bool index_mention(td_merge *m, uint32_t e, uint32_t i)
{
    const td_merge_mention *x = &m->mv[i];
    int g = group_of(x->type);
    long lo, hi;
    if (x->date.prec == TD_PREC_DAY && date_range(x->date, &lo, &hi) &&
        !post(m, key_of(g, 1, &lo, sizeof lo), e))
        return false;
    if (x->place.len && !post(m, place_key(g, x->place.p), e))
        return false;
    if (x->story >= 0 && !post(m, key_of(g, 3, &x->story, sizeof x->story), e))
        return false;
    if (x->article.len && !post(m, key_of(g, 4, x->article.p, x->article.len), e))
        return false;
    return true;
}

static uint32_t gather(const td_merge *m, uint64_t key, uint32_t *cands, uint32_t n, bool article)
{
    const uint64_t *head = td_map_get(&m->index, key);
    if (!head)
        return n;
    for (uint32_t p = (uint32_t)*head; p && n < MAX_CANDS; p = m->post[p - 1].next) {
        ev *e = &m->ev[m->post[p - 1].ev];
        if (article)
            e->art_stamp = m->stamp;
        if (e->stamp == m->stamp)
            continue;
        e->stamp = m->stamp;
        cands[n++] = m->post[p - 1].ev;
    }
    return n;
}

/* ---- matching ---- */

/* A death figure that says which event it is: 10 or more and not round
 * (2, 5, 20 or 100 dead are what many events report; 42 or 1,394 are not). */
static bool telling(int32_t k) { return k >= 10 && k % 10 != 0; }

/* Score of mention x joining event e, or -1 when incompatible. */
static double match(const td_merge *m, const ev *e, const td_merge_mention *x)
{
    const td_merge_mention *f = &m->mv[e->mem[0]];
    if (group_of(f->type) != group_of(x->type))
        return -1;
    double score = 0;
    bool same_article = e->art_stamp == m->stamp;
    bool same_story = x->story >= 0 && x->story == e->story;
    /* date */
    long lo, hi;
    bool dated = date_range(x->date, &lo, &hi);
    bool date_hit = false;
    if (!dated && x->published.year > 0 && date_range(x->published, &lo, &hi)) {
        lo -= m->opts.window_days; /* unknown date: the article's window */
    } else if (!dated) {
        lo = NO_DAY;
    }
    if (lo != NO_DAY) {
        if (e->lo != NO_DAY) {
            long slack = x->date.prec == TD_PREC_DAY ? 1 : 0;
            if (hi + slack < e->lo || lo - slack > e->hi)
                return -1;
            if (x->date.prec == TD_PREC_DAY && (e->hi - lo > 2 || hi - e->lo > 2))
                return -1; /* keep an event within three days */
            date_hit = dated && x->date.prec == TD_PREC_DAY;
        } else if (e->clo != NO_DAY) {
            if (hi < e->clo || lo > e->chi)
                return -1;
        }
    }
    if (date_hit)
        score += 1.5;
    /* an undated mention most likely reports the day of its article or the
     * day before: of several events in its window, the recent one */
    if (!dated && lo != NO_DAY && e->lo != NO_DAY)
        score += e->hi >= hi - 1 ? 1.0 : e->hi >= hi - 3 ? 0.5 : 0;
    /* place */
    bool place_hit = false, coarse = false, conflict = false;
    /* a town the gazetteer placed is a point: another placed town of the
     * same country farther than radius_km is another happening, even when
     * the event also names the country ("an air strike on a prison in
     * Marr" and "a strike on a depot in Hallam", both "in Veloria", the
     * same day). A disaster covers a region, so its towns never conflict. */
    bool disaster = f->type == TD_EV_DISASTER && x->type == TD_EV_DISASTER;
    bool point = !isnan(x->lat) && x->place_level >= 3 && !x->dateline &&
                 f->type != TD_EV_DISASTER && x->type != TD_EV_DISASTER;
    if (x->place.len || x->place_id >= 0 || !isnan(x->lat)) {
        bool any = false;
        for (uint32_t k = 0; k < e->n_places && !place_hit; k++) {
            const td_merge_mention *p = &m->mv[e->places[k]];
            any = true;
            if (x->country[0] && p->country[0] && strcmp(x->country, p->country) != 0) {
                /* an earthquake or a storm crosses borders: the same day's
                 * disaster in the next country, or in the same story, is
                 * one event (its tolls stay per country, see choose) */
                if (disaster && (date_hit || same_story))
                    coarse = true;
                continue;
            }
            if (x->place_id >= 0 && p->place_id >= 0)
                place_hit = x->place_id == p->place_id;
            if (!place_hit && !isnan(x->lat) && !isnan(p->lat))
                place_hit = km(x->lat, x->lon, p->lat, p->lon) <= m->opts.radius_km;
            if (!place_hit)
                place_hit = names_match(x->place.p, p->place.p);
            /* the town must be the event's own: its founding mention's, or
             * named by two articles; a town one later member recalls
             * ("since the abduction in Chibok") claims nothing */
            if (!place_hit && point && !isnan(p->lat) && p->place_level >= 3 && !p->dateline &&
                (e->place_found[k] || e->place_arts[k] > 0))
                conflict = true;
            /* a country or region holds the towns of its country; so does
             * the town an article is filed from */
            if (!place_hit && x->country[0] && !strcmp(x->country, p->country) &&
                ((x->place_level && x->place_level <= 2) || (p->place_level && p->place_level <= 2) ||
                 x->dateline || p->dateline))
                coarse = true;
            /* a name no gazetteer placed is weak evidence against one it
             * placed (a street, a site, a misspelling): no veto; two unplaced
             * names agree by name or not at all */
            if (!place_hit && isnan(x->lat) != isnan(p->lat))
                coarse = true;
        }
        if (any && !place_hit && (!coarse || conflict))
            return -1;
    }
    if (place_hit)
        score += 2;
    /* actor: ids veto, text adds */
    /* ("Velorian army" and "Velorian" are two entities of one side: a
     * shared word lifts the veto) */
    bool overlap = false;
    for (uint32_t k = 0; k < e->n_actors && !overlap; k++)
        overlap = actors_overlap(x->actor.p, m->mv[e->actors[k]].actor.p);
    for (uint32_t k = 0; k < e->n_actors && !overlap; k++) {
        const td_merge_mention *y = &m->mv[e->actors[k]];
        if (x->actor_id >= 0 && y->actor_id >= 0 && x->actor_id != y->actor_id &&
            !same_article && !place_hit)
            return -1;
    }
    if (overlap)
        score += 0.5;
    /* toll: tolls rise as bodies are counted, but not fiftyfold: 4,000
     * dead is not the quake whose reports say 42 to 59 (the 8,000 a later
     * article recalls is the earlier quake's); a figure within twice the
     * event's range is evidence for it */
    if (x->killed_min >= 2 && e->kmax >= 1) {
        if ((int64_t)x->killed_min > 50 * (int64_t)e->kmax ||
            50 * (int64_t)x->killed_min < (int64_t)e->kmin)
            return -1;
        if ((int64_t)x->killed_min <= 2 * (int64_t)e->kmax && 2 * (int64_t)x->killed_min >= e->kmin)
            score += 1;
    }
    /* the same telling figure from another article ("at least 42 dead") is
     * strong evidence of the same event, above all for an article whose date
     * and story say little */
    if (telling(x->killed_min))
        for (uint32_t k = 0; k < e->n_figs; k++) {
            const td_merge_mention *y = &m->mv[e->figs[k]];
            if (y->killed_min == x->killed_min && !td_str_eq(y->article, x->article)) {
                score += 1.5;
                break;
            }
        }
    /* target: a shared word adds ("the bus", "a school bus") */
    for (uint32_t k = 0; k < e->n_mem && k < 4 && x->target.len; k++) {
        const td_merge_mention *y = &m->mv[e->mem[k]];
        if (y->target.len && words_overlap(x->target.p, y->target.p)) {
            score += 0.5;
            break;
        }
    }
    /* evidence: a mention with neither date nor place needs its story or article */
    if (!dated && !x->place.len && !same_story && !same_article && !x->main)
        return -1;
    if (!date_hit && !place_hit && !same_story && !same_article && lo == NO_DAY)
        return -1;
    score += same_story ? 1 : 0;
    score += same_article ? 1 : 0;
    score += f->type == x->type ? 0.5 : 0;
    return score;
}

/* Event a happened before event b: by their first day (day-precision,
 * else coarse), then by creation; an undated event comes last. */
static bool earlier(const ev *a, const ev *b)
{
    long da = a->lo != NO_DAY ? a->lo : a->clo, db = b->lo != NO_DAY ? b->lo : b->clo;
    if (da != db)
        return db == NO_DAY || (da != NO_DAY && da < db);
    return a < b;
}

static bool join(td_merge *m, uint32_t e, uint32_t i)
{
    ev *v = &m->ev[e];
    if (v->n_mem == v->cap_mem) {
        uint32_t cap = v->cap_mem ? v->cap_mem * 2 : 4;
        uint32_t *p = td_realloc(v->mem, cap * sizeof *p);
        if (!p)
            return false;
        v->mem = p;
        v->cap_mem = cap;
    }
    v->mem[v->n_mem++] = i;
    const td_merge_mention *x = &m->mv[i];
    long lo, hi;
    if (date_range(x->date, &lo, &hi)) {
        if (x->date.prec == TD_PREC_DAY) {
            v->lo = v->lo == NO_DAY || lo < v->lo ? lo : v->lo;
            v->hi = v->hi == NO_DAY || hi > v->hi ? hi : v->hi;
        } else {
            v->clo = v->clo == NO_DAY || lo > v->clo ? lo : v->clo; /* intersection */
            v->chi = v->chi == NO_DAY || hi < v->chi ? hi : v->chi;
        }
    }
    if (x->place.len) {
        bool dup = false;
        for (uint32_t k = 0; k < v->n_places && !dup; k++) {
            if (!(dup = td_str_ieq(m->mv[v->places[k]].place, x->place)))
                continue;
            if (!td_str_eq(m->mv[v->places[k]].article, x->article) && v->place_arts[k] < 255)
                v->place_arts[k]++;
            /* a name stands for its most specific placed reading: a town
             * one article read as a region (a dateline in capitals) must not
             * hide the town the others name, from the vote or the conflict */
            const td_merge_mention *r = &m->mv[v->places[k]];
            if (x->place_level > r->place_level && x->place_level < 4 && !x->dateline && !isnan(x->lat)) {
                v->place_found[k] |= v->places[k] == v->mem[0];
                v->places[k] = i;
            }
        }
        if (!dup && v->n_places < MAX_PLACES) {
            v->place_arts[v->n_places] = 0;
            v->place_found[v->n_places] = v->n_mem == 1;
            v->places[v->n_places++] = i;
        }
    }
    if ((x->actor.len || x->actor_id >= 0) && v->n_actors < MAX_PLACES) {
        bool dup = false;
        for (uint32_t k = 0; k < v->n_actors && !dup; k++)
            dup = td_str_ieq(m->mv[v->actors[k]].actor, x->actor) &&
                  m->mv[v->actors[k]].actor_id == x->actor_id;
        if (!dup)
            v->actors[v->n_actors++] = i;
    }
    if (x->killed_min >= 0) {
        v->kmin = v->kmin < 0 || x->killed_min < v->kmin ? x->killed_min : v->kmin;
        v->kmax = x->killed_min > v->kmax ? x->killed_min : v->kmax;
    }
    if (telling(x->killed_min) && v->n_figs < 4) {
        bool dup = false;
        for (uint32_t k = 0; k < v->n_figs && !dup; k++)
            dup = m->mv[v->figs[k]].killed_min == x->killed_min;
        if (!dup)
            v->figs[v->n_figs++] = i;
    }
    if (v->story < 0)
        v->story = x->story;
    m->event_of[i] = e;
    return index_mention(m, e, i);
}

static int64_t new_event(td_merge *m)
{
    if (m->n_ev == m->cap_ev) {
        uint32_t cap = m->cap_ev ? m->cap_ev * 2 : 64;
        ev *v = td_realloc(m->ev, cap * sizeof *v);
        if (!v)
            return -1;
        m->ev = v;
        m->cap_ev = cap;
    }
    ev *e = &m->ev[m->n_ev];
    memset(e, 0, sizeof *e);
    e->lo = e->hi = e->clo = e->chi = NO_DAY;
    e->story = -1;
    e->kmin = e->kmax = -1;
    return m->n_ev++;
}

/* ---- choosing values ---- */

/* The place level of member i for the vote: a place inside a placed one
 * (level 4) counts as more specific only when a founding mention or two
 * articles name it; one recalled mention alone is a town like any other. */
static uint8_t level_of(const td_merge *m, const ev *e, uint32_t i)
{
    const td_merge_mention *x = &m->mv[i];
    if (x->place_level < 4)
        return x->place_level;
    td_str first = { NULL, 0 };
    for (uint32_t b = 0; b < e->n_mem; b++) {
        const td_merge_mention *y = &m->mv[e->mem[b]];
        if (y->place_level < 4 || !td_str_ieq(y->place, x->place))
            continue;
        if (!y->support)
            return 4;
        if (first.len && !td_str_eq(first, y->article))
            return 4;
        first = y->article;
    }
    return 3;
}

/* True when phrase b occurs in phrase a at word boundaries, case-insensitive. */
static bool contains_words(td_str a, td_str b)
{
    if (b.len > a.len)
        return false;
    for (size_t i = 0; i + b.len <= a.len; i++) {
        if (i > 0 && a.p[i - 1] != ' ' && a.p[i - 1] != '-')
            continue;
        if (i + b.len < a.len && a.p[i + b.len] != ' ' && a.p[i + b.len] != ',')
            continue;
        if (!strncasecmp(a.p + i, b.p, b.len))
            return true;
    }
    return false;
}

/* True when statement member i names a person and a founding statement
 * member of its article names a body: the lead's "condemnation from the
 * Assembly of Nations" is voiced further down by "Secretary General Ilse
 * Varo condemned", who is the one who spoke. */
static bool speaks_for_lead(const td_merge *m, const ev *e, uint32_t i)
{
    const td_merge_mention *x = &m->mv[i];
    if (!x->actor_person || x->type != TD_EV_STATEMENT)
        return false;
    for (uint32_t b = 0; b < e->n_mem; b++) {
        const td_merge_mention *y = &m->mv[e->mem[b]];
        if (!y->support && y->type == TD_EV_STATEMENT && y->actor.len && !y->actor_person &&
            td_str_eq(y->article, x->article))
            return true;
    }
    return false;
}

/* Most reported actor (field 0) or target (1) among the members
 * (case-insensitive); ties go to the higher-scored mention. Candidates are
 * the event's distinct actors or its first members (targets), so the cost is
 * O(16 x members). Places: vote_place.
 * Returns the mention index or UINT32_MAX. */
static uint32_t vote_str(const td_merge *m, const ev *e, int field)
{
    uint32_t best = UINT32_MAX, best_n = 0, tried = 0;
    float best_s = -1;
    const uint32_t *cand = field == 0 ? e->actors : e->mem;
    uint32_t nc = field == 0 ? e->n_actors : e->n_mem;
    /* targets: every member's phrase may win (the building three outlets
     * name can come late in member order), each distinct phrase counted
     * once; bounded so a huge event stays linear enough */
    if (field == 1 && nc > 256)
        nc = 256;
    /* support-only mentions (recalled, secondary) name the actor or target
     * only when no mention that founded the event does */
    bool strong = false;
    for (uint32_t a = 0; a < nc && !strong; a++) {
        const td_merge_mention *x = &m->mv[cand[a]];
        td_str s = field == 0 ? x->actor : x->target;
        strong = s.len && !x->support;
    }
    /* statements: the person who spoke, when a member names one, rather
     * than the body they speak for ("Ostrova" over "the Assembly of Nations");
     * only among the candidates the support filter keeps, as a person only
     * a support-only member names would leave no candidate at all */
    bool person = false;
    for (uint32_t a = 0; field == 0 && a < nc && !person; a++)
        person = m->mv[cand[a]].actor_person && m->mv[cand[a]].type == TD_EV_STATEMENT &&
                 m->mv[e->mem[0]].type == TD_EV_STATEMENT && m->mv[cand[a]].actor.len &&
                 !(strong && m->mv[cand[a]].support && !speaks_for_lead(m, e, cand[a]));
    for (uint32_t a = 0; a < nc; a++) {
        const td_merge_mention *x = &m->mv[cand[a]];
        if (strong && x->support && !(person && speaks_for_lead(m, e, cand[a])))
            continue;
        if (person && !x->actor_person)
            continue;
        td_str s = field == 0 ? x->actor : x->target;
        if (!s.len)
            continue;
        bool seen = false;
        for (uint32_t b = 0; field == 1 && b < a && !seen; b++)
            seen = !(strong && m->mv[cand[b]].support) && td_str_ieq(m->mv[cand[b]].target, s);
        if (seen || (field == 1 && ++tried > 48))
            continue;
        uint32_t n = 0;
        float sc = 0;
        for (uint32_t b = 0; b < e->n_mem; b++) {
            const td_merge_mention *y = &m->mv[e->mem[b]];
            td_str t = field == 0 ? y->actor : y->target;
            /* targets: a phrase counts the members naming it inside a
             * longer one or a part of it ("the Grand Assembly" / "the Grand
             * Assembly building"): outlets name one place struck several ways */
            if (td_str_ieq(s, t) || (field == 1 && t.len >= 4 && s.len >= 4 &&
                                     (contains_words(t, s) || contains_words(s, t)))) {
                n += y->support ? 1 : 4;
                sc += y->score + (y->main ? 1.0f : 0);
            }
        }
        if (n > best_n || (n == best_n && sc > best_s)) {
            best = cand[a];
            best_n = n;
            best_s = sc;
        }
    }
    return best;
}

static char *dup_str(td_str s) { return s.len ? td_strndup(s.p, s.len) : NULL; }

/* Place b holds place k: a country or region holds the places of its
 * country, a placed town the spot the text puts inside it (level 4). */
static bool holds(const td_merge_mention *b, uint8_t lb, const td_merge_mention *k, uint8_t lk)
{
    if (lk <= lb || !lb)
        return false;
    if (lk == 4 && lb == 3)
        return !k->country[0] || !b->country[0] || !strcmp(k->country, b->country);
    return lb <= 2 && k->country[0] && !strcmp(k->country, b->country);
}

/* The event's place: the one its members name most (a founding member 4,
 * a support-only one 1), unless a more specific place inside it is named
 * by two articles, or the event has one article ("Veloria" in every lead
 * and "Marr" in three bodies is Marr's strike; a town one recap names does
 * not beat the country every source names). A spot the text puts inside a
 * placed town (level 4, which level_of grants only to one a founding member
 * or two articles name) is inside that town. Returns a mention index or
 * UINT32_MAX. */
static uint32_t vote_place(const td_merge *m, const ev *e)
{
    uint32_t n[MAX_PLACES], arts[MAX_PLACES];
    float sc[MAX_PLACES];
    uint8_t lv[MAX_PLACES];
    bool one_article = true;
    for (uint32_t b = 1; b < e->n_mem && one_article; b++)
        one_article = td_str_eq(m->mv[e->mem[b]].article, m->mv[e->mem[0]].article);
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < e->n_places; k++) {
        const td_merge_mention *x = &m->mv[e->places[k]];
        n[k] = arts[k] = 0;
        sc[k] = 0;
        lv[k] = level_of(m, e, e->places[k]);
        td_str last = { NULL, 0 };
        /* members are sorted by index, an article's mentions together */
        for (uint32_t b = 0; b < e->n_mem; b++) {
            const td_merge_mention *y = &m->mv[e->mem[b]];
            if (!td_str_ieq(x->place, y->place))
                continue;
            n[k] += y->support ? 1 : 4;
            sc[k] += y->score + (y->main ? 1.0f : 0);
            if (!last.len || !td_str_eq(last, y->article))
                arts[k]++;
            last = y->article;
        }
        if (x->place.len && (best == UINT32_MAX || n[k] > n[best] || (n[k] == n[best] && sc[k] > sc[best])))
            best = k;
    }
    /* then down to the most named place inside it that several name */
    for (bool moved = best != UINT32_MAX; moved;) {
        moved = false;
        uint32_t in = UINT32_MAX;
        for (uint32_t k = 0; k < e->n_places; k++)
            if ((arts[k] >= 2 || one_article || lv[k] == 4) && m->mv[e->places[k]].place.len &&
                holds(&m->mv[e->places[best]], lv[best], &m->mv[e->places[k]], lv[k]) &&
                (in == UINT32_MAX || n[k] > n[in] || (n[k] == n[in] && sc[k] > sc[in])))
                in = k;
        if (in != UINT32_MAX) {
            best = in;
            moved = true;
        }
    }
    return best == UINT32_MAX ? UINT32_MAX : e->places[best];
}

static bool choose(td_merge *m, ev *e)
{
    td_merged_event *p = &e->pub;
    p->mentions = e->mem;
    p->n_mentions = e->n_mem;
    /* type: most reported; a specific type beats killing/armed_clash on ties */
    uint32_t cnt[TD_EV_COUNT] = { 0 };
    for (uint32_t k = 0; k < e->n_mem; k++)
        cnt[m->mv[e->mem[k]].type < TD_EV_COUNT ? m->mv[e->mem[k]].type : 0] += 2;
    cnt[TD_EV_KILLING] = cnt[TD_EV_KILLING] ? cnt[TD_EV_KILLING] - 1 : 0;
    cnt[TD_EV_ARMED_CLASH] = cnt[TD_EV_ARMED_CLASH] ? cnt[TD_EV_ARMED_CLASH] - 1 : 0;
    /* "the attack" and "killed" are what every outlet says; a specific
     * word (air strike, shelling, abduction) says what the attack was */
    if (cnt[TD_EV_AIRSTRIKE] || cnt[TD_EV_SHELLING] || cnt[TD_EV_BOMBING] || cnt[TD_EV_RAID_OR_ARREST]) {
        cnt[TD_EV_KILLING] /= 2;
        cnt[TD_EV_ARMED_CLASH] /= 2;
    }
    uint8_t t = m->mv[e->mem[0]].type;
    for (int k = 1; k < TD_EV_COUNT; k++)
        if (cnt[k] > cnt[t])
            t = (uint8_t)k;
    p->type = t;
    /* date: most reported day; else most reported coarse date */
    p->date = (td_date){ 0, 0, 0, TD_PREC_NONE };
    uint32_t best_n = 0;
    for (int pass = 0; pass < 2 && p->date.prec == TD_PREC_NONE; pass++)
        for (uint32_t a = 0; a < e->n_mem; a++) {
            td_date d = m->mv[e->mem[a]].date;
            if (d.prec == TD_PREC_NONE || (pass == 0) != (d.prec == TD_PREC_DAY))
                continue;
            uint32_t n = 0;
            for (uint32_t b = 0; b < e->n_mem; b++) {
                td_date c = m->mv[e->mem[b]].date;
                if (c.year == d.year && c.month == d.month && c.day == d.day && c.prec == d.prec)
                    n += m->mv[e->mem[b]].support ? 1 : 4; /* recalled dates weigh less */
            }
            if (n > best_n) {
                best_n = n;
                p->date = d;
            }
        }
    uint32_t ia = vote_str(m, e, 0), it = vote_str(m, e, 1), ip = vote_place(m, e);
    e->chosen[0] = ia != UINT32_MAX ? dup_str(m->mv[ia].actor) : NULL;
    e->chosen[1] = it != UINT32_MAX ? dup_str(m->mv[it].target) : NULL;
    e->chosen[2] = ip != UINT32_MAX ? dup_str(m->mv[ip].place) : NULL;
    if ((ia != UINT32_MAX && !e->chosen[0]) || (it != UINT32_MAX && !e->chosen[1]) ||
        (ip != UINT32_MAX && !e->chosen[2]))
        return false;
    p->actor = e->chosen[0];
    p->target = e->chosen[1];
    p->place = e->chosen[2];
    p->actor_id = ia != UINT32_MAX ? m->mv[ia].actor_id : -1;
    p->target_id = it != UINT32_MAX ? m->mv[it].target_id : -1;
    p->place_id = ip != UINT32_MAX ? m->mv[ip].place_id : -1;
    p->lat = ip != UINT32_MAX ? m->mv[ip].lat : NAN;
    p->lon = ip != UINT32_MAX ? m->mv[ip].lon : NAN;
    memset(p->country, 0, sizeof p->country);
    if (ip != UINT32_MAX)
        memcpy(p->country, m->mv[ip].country, 2);
    /* a place the gazetteer lacks, named inside a placed one (level 4:
     * "the Tallin market in Marr province"), takes the coordinates of the
     * most specific placed member of its country, as ACLED codes a village
     * at the nearest known town with geo_precision 2 */
    if (ip != UINT32_MAX && isnan(p->lat) && level_of(m, e, ip) >= 4) {
        uint8_t lv = 0;
        for (uint32_t k = 0; k < e->n_places; k++) {
            const td_merge_mention *y = &m->mv[e->places[k]];
            if (!isnan(y->lat) && y->place_level > lv && y->place_level < 4 &&
                (!p->country[0] || !strcmp(y->country, p->country))) {
                lv = y->place_level;
                p->lat = y->lat;
                p->lon = y->lon;
                if (!p->country[0])
                    memcpy(p->country, y->country, 2);
            }
        }
    }
    /* story: most mentions */
    p->story = e->story;
    /* killed: per article its highest figure; then the most reported
     * figure across articles, ties to the lower one */
    p->killed = p->killed_min = p->killed_max = -1;
    /* fig: the figures of articles that report the event as news (a member
     * that is not support-only); recalled: of articles that only recall it
     * ("two weeks after the quake that killed 8,000"), which vote only when
     * no reporting article gives a figure: a later article's round figure
     * for an earlier event is not what the reports of it said */
    int32_t fig[256], recalled[256];
    uint32_t nf = 0, nr = 0;
    /* members are sorted by index and an article's mentions were added
     * together, so one article is one run of members */
    for (uint32_t a = 0; a < e->n_mem;) {
        td_str art = m->mv[e->mem[a]].article;
        int32_t top = -1, top_support = -1;
        bool reports = false;
        for (; a < e->n_mem && td_str_eq(m->mv[e->mem[a]].article, art); a++) {
            const td_merge_mention *x = &m->mv[e->mem[a]];
            reports |= !x->support;
            if (x->killed_min < 0)
                continue;
            /* a toll given for another country ("16 died in neighbouring
             * Veloria") is that country's event, as ACLED codes one event
             * per country */
            if (x->country[0] && p->country[0] && strcmp(x->country, p->country) != 0)
                continue;
            /* a support-only mention's figure ("10,000 killed since the war
             * began") speaks for the article only when nothing better does */
            if (x->support) {
                if (x->killed_min > top_support)
                    top_support = x->killed_min;
                continue;
            }
            if (p->killed_min < 0 || x->killed_min < p->killed_min)
                p->killed_min = x->killed_min;
            int32_t hi = x->killed_max >= 0 ? x->killed_max : x->killed_min;
            if (hi > p->killed_max)
                p->killed_max = hi;
            if (x->killed_min > top)
                top = x->killed_min;
        }
        if (top < 0)
            top = top_support;
        if (top >= 0 && reports && nf < sizeof fig / sizeof fig[0])
            fig[nf++] = top;
        else if (top >= 0 && !reports && nr < sizeof recalled / sizeof recalled[0])
            recalled[nr++] = top;
    }
    if (!nf) {
        memcpy(fig, recalled, nr * sizeof *fig);
        nf = nr;
    }
    uint32_t best_c = 0;
    for (uint32_t a = 0; a < nf; a++) {
        uint32_t c = 0;
        for (uint32_t b = 0; b < nf; b++)
            c += fig[b] == fig[a];
        if (c > best_c || (c == best_c && fig[a] < p->killed)) {
            best_c = c;
            p->killed = fig[a];
        }
    }
    /* the range spans what the sources say, recalled figures included
     * when one of them is the event's */
    if (p->killed >= 0 && (p->killed_min < 0 || p->killed < p->killed_min))
        p->killed_min = p->killed;
    if (p->killed > p->killed_max)
        p->killed_max = p->killed;
    return true;
}

/* Processing order: day-precision first, then coarse, then undated; within
 * each, main mentions and higher scores first; then the order added. */
typedef struct order_key {
    int rank;
    int main;
    float score;
    uint32_t i;
} order_key;

static int by_rank(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    if (x->main != y->main)
        return y->main - x->main;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int by_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

td_status td_merge_run(td_merge *m, const td_merge_opts *opts)
{
    if (!m)
        return TD_EINVAL;
    if (opts)
        m->opts = *opts;
    if (m->opts.window_days <= 0)
        m->opts.window_days = 7;
    if (m->opts.radius_km <= 0)
        m->opts.radius_km = 25.0;
    clear_events(m);
    td_free(m->event_of);
    m->event_of = td_malloc((m->n + 1) * sizeof *m->event_of);
    order_key *order = td_malloc((m->n + 1) * sizeof *order);
    if (!m->event_of || !order) {
        td_free(order);
        return TD_ENOMEM;
    }
    for (uint32_t i = 0; i < m->n; i++) {
        const td_merge_mention *x = &m->mv[i];
        int rank = (x->date.prec == TD_PREC_DAY ? 0 : x->date.prec != TD_PREC_NONE ? 1 : 2) + (x->support ? 3 : 0);
        order[i] = (order_key){ rank, x->main, x->score, i };
        m->event_of[i] = UINT32_MAX;
    }
    qsort(order, m->n, sizeof *order, by_rank);
    td_status st = TD_OK;
    for (uint32_t oi = 0; oi < m->n && st == TD_OK; oi++) {
        uint32_t i = order[oi].i;
        const td_merge_mention *x = &m->mv[i];
        int g = group_of(x->type);
        uint32_t cands[MAX_CANDS], nc = 0;
        m->stamp++;
        /* the selective keys first, then the day buckets up to MAX_CANDS */
        if (x->article.len)
            nc = gather(m, key_of(g, 4, x->article.p, x->article.len), cands, nc, true);
        if (x->place.len)
            nc = gather(m, place_key(g, x->place.p), cands, nc, false);
        if (x->story >= 0)
            nc = gather(m, key_of(g, 3, &x->story, sizeof x->story), cands, nc, false);
        long lo, hi;
        bool dated = date_range(x->date, &lo, &hi);
        if (!dated && x->published.year > 0 && date_range(x->published, &lo, &hi)) {
            lo -= m->opts.window_days;
            dated = true;
        }
        if (dated && hi - lo <= 40)
            for (long d = lo - 1; d <= hi + 1; d++)
                nc = gather(m, key_of(g, 1, &d, sizeof d), cands, nc, false);
        int64_t best = -1;
        double best_s = -1;
        for (uint32_t k = 0; k < nc; k++) {
            double s = match(m, &m->ev[cands[k]], x);
            /* a tie (an undated article of a story that holds two events
             * nothing it says tells apart) goes to the earlier event: the
             * story's first report, which later ones recall */
            if (s >= 0 && s == best_s && earlier(&m->ev[cands[k]], &m->ev[best]))
                best = cands[k];
            if (s > best_s) {
                best_s = s;
                best = cands[k];
            }
        }
        if (best < 0)
            best = new_event(m);
        if (best < 0 || !join(m, (uint32_t)best, i))
            st = TD_ENOMEM;
    }
    td_free(order);
    for (uint32_t e = 0; e < m->n_ev && st == TD_OK; e++) {
        ev *v = &m->ev[e];
        qsort(v->mem, v->n_mem, sizeof *v->mem, by_index);
        v->pub.id = e;
        v->pub.support = true;
        for (uint32_t k = 0; k < v->n_mem && v->pub.support; k++)
            v->pub.support = m->mv[v->mem[k]].support;
        /* a town struck that three articles name is news even when each
         * names it late (a second strike of the day, kept apart from the
         * first by its town) */
        bool town = false;
        for (uint32_t k = 0; k < v->n_places && v->pub.support && !town; k++)
            town = m->mv[v->places[k]].place_level == 3 && !isnan(m->mv[v->places[k]].lat) &&
                   !m->mv[v->places[k]].dateline;
        if (town && v->pub.support) {
            uint32_t arts = 1;
            for (uint32_t k = 1; k < v->n_mem; k++)
                arts += !td_str_eq(m->mv[v->mem[k]].article, m->mv[v->mem[k - 1]].article);
            v->pub.support = arts < 3;
        }
        if (!choose(m, v))
            st = TD_ENOMEM;
    }
    return st;
}
