/*
 * geocode.c - place mentions to gazetteer records (contract in
 * extract_int.h, td_geocode_mentions).
 *
 * Two passes over the mentions of one article:
 *   1. country evidence: the dateline (strongest), demonyms, actors' home
 *      countries, countries named, and every candidate record of every place
 *      named (weakly), summed per ISO code;
 *   2. each place mention picks among its records by that evidence, by
 *      population and by the kind the words ask for ("Hasakah province" is
 *      the province, "Hasakah" the city); records near the dateline place or
 *      near places already resolved (under 150 km) gain; names the gazetteer
 *      lacks are tried by transliteration skeleton, but only inside a country
 *      the article is about.
 * Precision follows ACLED's geo_precision: 1 a town, 2 "near" a town or a
 * site inside one, 3 a province, a region or a whole country.
 *
 * Then three rules for places the gazetteer (cities500) cannot give a point
 * of their own, in order:
 *   - generic words: "X District/Province/Valley/Island/..." looks X up; a
 *     first-level division X is the place itself, anything else (a town X,
 *     the seat of a district) contains it;
 *   - country coherence: a small town abroad, far from every other place of
 *     an article plainly about another country, is no match: the name is an
 *     unknown place of the article's country;
 *   - containment: an unknown place takes a container, the placed name the
 *     text puts it in ("Dahyan market in Sa'ada province", "X, Y"), else for
 *     a street, square or building the article's city (dateline, or the one
 *     town of its country it names), else the one province of its country it
 *     names, else the country.
 * The container is kept apart from the place (td_mention.within, place
 * stays -1): the name stays the mention's own, and its point is marked
 * approximate ("city", "admin1", "country") wherever it is shown.
 */
#include "extract/extract_int.h"
#include "extract/alias.h"
#include "base/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDS 64

static int cc_idx(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static double km(double la1, double lo1, double la2, double lo2)
{
    const double r = M_PI / 180.0;
    double a = sin((la2 - la1) * r / 2), b = sin((lo2 - lo1) * r / 2);
    double h = a * a + cos(la1 * r) * cos(la2 * r) * b * b;
    return 6371.0 * 2 * asin(fmin(1.0, sqrt(h)));
}

/* True when the word after the mention names a division: "Sahrat province". */
static bool division_after(td_str text, const td_mention *m)
{
    static const char *const w[] = { "province", "governorate", "region", "state", "district",
                                     "county", "prefecture", "oblast", NULL };
    size_t i = m->off + m->len;
    while (i < text.len && (text.p[i] == ' ' || text.p[i] == '\''))
        i++;
    for (int k = 0; w[k]; k++) {
        size_t l = strlen(w[k]);
        if (i + l <= text.len && td_str_ieq(td_str_make(text.p + i, l), td_str_make(w[k], l)) &&
            (i + l == text.len || !((text.p[i + l] | 32) >= 'a' && (text.p[i + l] | 32) <= 'z')))
            return true;
    }
    return false;
}

/* True when "near", "outside" or "outskirts of" comes right before. */
static bool near_before(td_str text, const td_mention *m)
{
    static const char *const w[] = { "near ", "outside ", "outskirts of ", "close to ",
                                     "north of ", "south of ", "east of ", "west of ",
                                     "northeast of ", "northwest of ", "southeast of ",
                                     "southwest of ", "km from ", "kilometres from ",
                                     "kilometers from ", "miles from ", NULL };
    for (int k = 0; w[k]; k++) {
        size_t l = strlen(w[k]);
        if (m->off >= l && td_str_ieq(td_str_make(text.p + m->off - l, l), td_str_make(w[k], l)))
            return true;
    }
    return false;
}

typedef struct geo {
    const td_gazetteer *g;
    float score[676];
    float strong[676];              /* evidence other than small towns' own names */
    bool have_anchor;
    double anchor_lat, anchor_lon;  /* the dateline place */
    uint32_t anchor_idx;            /* its record */
    double res_lat[32], res_lon[32];
    uint32_t n_res;
} geo;

/* Looks the dateline up: "QASR TAMUN, Veloria (Meridian Press)". Sets the
 * anchor point and adds country evidence. */
static void dateline_evidence(geo *gz, td_str dl)
{
    if (!dl.len)
        return;
    size_t i = 0;
    while (i < dl.len && dl.p[i] != ',' && dl.p[i] != '(' && dl.p[i] != '\n')
        i++;
    td_str city = td_str_trim(td_str_make(dl.p, i));
    int64_t id = td_gazetteer_lookup(gz->g, city);
    td_str rest = i < dl.len && dl.p[i] == ',' ? td_str_make(dl.p + i + 1, dl.len - i - 1)
                                               : td_str_make(dl.p + dl.len, 0);
    size_t j = 0;
    while (j < rest.len && rest.p[j] != '(' && rest.p[j] != ',' && rest.p[j] != '\n')
        j++;
    td_str country = td_str_trim(td_str_make(rest.p, j));
    int want = -1;
    if (country.len) {
        int64_t cid = td_gazetteer_lookup(gz->g, country);
        if (cid >= 0) {
            const uint8_t *post;
            uint32_t np = td_gazetteer_name(gz->g, (uint32_t)cid, &post, NULL);
            for (uint32_t k = 0; k < np; k++) {
                td_place p;
                td_gazetteer_place(gz->g, td_gazetteer_posting(post, k) & ~TD_GAZ_ALT, &p);
                if (p.kind <= TD_PLACE_ADMIN1) {
                    want = cc_idx(p.country);
                    if (want >= 0)
                        gz->score[want] += 5;
                    gz->strong[want] += 5;
                    break;
                }
            }
        }
    }
    if (id < 0)
        return;
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(gz->g, (uint32_t)id, &post, NULL);
    int best = -1;
    uint32_t best_pop = 0;
    for (uint32_t k = 0; k < np && k < MAX_CANDS; k++) {
        td_place p;
        td_gazetteer_place(gz->g, td_gazetteer_posting(post, k) & ~TD_GAZ_ALT, &p);
        if (want >= 0 && cc_idx(p.country) != want)
            continue;
        if (best < 0 || p.population > best_pop) {
            best = (int)k;
            best_pop = p.population;
        }
    }
    if (best < 0)
        return;
    td_place p;
    td_gazetteer_place(gz->g, td_gazetteer_posting(post, (uint32_t)best) & ~TD_GAZ_ALT, &p);
    int ci = cc_idx(p.country);
    if (ci >= 0) {
        gz->score[ci] += want >= 0 ? 1 : 5;
        gz->strong[ci] += want >= 0 ? 1 : 5;
    }
    if (!isnan(p.lat)) {
        gz->have_anchor = true;
        gz->anchor_lat = p.lat;
        gz->anchor_lon = p.lon;
        gz->anchor_idx = p.idx;
    }
}

static void mention_evidence(geo *gz, const td_mention *m)
{
    int ci = m->cc[0] ? cc_idx(m->cc) : -1;
    if (m->how == TD_HOW_DEMONYM && ci >= 0) {
        gz->score[ci] += 1.0f;
        gz->strong[ci] += 1.0f;
        return;
    }
    if (m->type == TD_ENT_ORG && ci >= 0) {
        gz->score[ci] += 0.5f;
        gz->strong[ci] += 0.5f;
        return;
    }
    if (m->type != TD_ENT_PLACE || m->name_id < 0)
        return;
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(gz->g, (uint32_t)m->name_id, &post, NULL);
    float w = np > 0 ? 1.0f / (float)(np < 4 ? np : 4) : 0;
    for (uint32_t k = 0; k < np && k < 8; k++) {
        td_place p;
        td_gazetteer_place(gz->g, td_gazetteer_posting(post, k) & ~TD_GAZ_ALT, &p);
        int c = cc_idx(p.country);
        if (c < 0)
            continue;
        if (p.kind == TD_PLACE_COUNTRY) {
            gz->score[c] += 2.0f;
            gz->strong[c] += 2.0f;
            break; /* a country named is what it says */
        }
        gz->score[c] += (k == 0 ? 1.0f : 0.3f) * w;
        /* a large place or a seat is a country's evidence in its own right;
         * a small town's name may be anybody's */
        if (k == 0 && np == 1 && !(m->flags & TD_MF_EVIDENCE) &&
            (p.population >= 100000 || (p.kind >= TD_PLACE_ADMIN1 && p.kind <= TD_PLACE_SEAT1)))
            gz->strong[c] += 1.0f;
    }
}

/* Score of record p for mention m. */
static float cand_score(const geo *gz, const td_place *p, bool alt, bool want_division)
{
    int c = cc_idx(p->country);
    float s = c >= 0 ? gz->score[c] * 1.5f : 0;
    s += (float)log10((double)p->population + 10.0) * 0.6f;
    if (!alt)
        s += 0.8f;
    if (p->kind == TD_PLACE_COUNTRY)
        s += 4.0f;
    if (p->kind == TD_PLACE_ADMIN1)
        s += want_division ? 4.0f : -0.5f;
    if (p->kind == TD_PLACE_CAPITAL)
        s += 1.0f;
    if (!isnan(p->lat)) {
        if (gz->have_anchor && km(p->lat, p->lon, gz->anchor_lat, gz->anchor_lon) < 150)
            s += 1.5f;
        for (uint32_t i = 0; i < gz->n_res; i++)
            if (km(p->lat, p->lon, gz->res_lat[i], gz->res_lon[i]) < 150) {
                s += 1.0f;
                break;
            }
    }
    return s;
}

static uint8_t precision_of(td_place_kind k, bool near)
{
    if (k == TD_PLACE_COUNTRY || k == TD_PLACE_ADMIN1)
        return TD_GEO_REGION;
    return near ? TD_GEO_NEAR : TD_GEO_EXACT;
}

static void set_place(geo *gz, td_mention *m, const td_place *p, bool near)
{
    m->place = (int32_t)p->idx;
    m->kind = (uint8_t)p->kind;
    memcpy(m->cc, p->country, 3);
    m->precision = precision_of(p->kind, near);
    if (!isnan(p->lat) && p->kind != TD_PLACE_COUNTRY && gz->n_res < 32) {
        gz->res_lat[gz->n_res] = p->lat;
        gz->res_lon[gz->n_res] = p->lon;
        gz->n_res++;
    }
}

/* Picks the best record among postings; -1 when none fits. only_cc limits
 * the choice to countries with evidence (skeleton look-ups). */
static int64_t pick(const geo *gz, const uint8_t *post, uint32_t np, bool want_division,
                    bool only_cc, td_place *out, uint32_t *n_fit)
{
    float best = -1e9f;
    int64_t bi = -1;
    *n_fit = 0;
    for (uint32_t k = 0; k < np && k < MAX_CANDS; k++) {
        uint32_t v = td_gazetteer_posting(post, k);
        td_place p;
        td_gazetteer_place(gz->g, v & ~TD_GAZ_ALT, &p);
        int c = cc_idx(p.country);
        if (only_cc && (c < 0 || gz->score[c] < 1.0f))
            continue;
        (*n_fit)++;
        float s = cand_score(gz, &p, (v & TD_GAZ_ALT) != 0, want_division);
        if (s > best) {
            best = s;
            bi = k;
            *out = p;
        }
    }
    return bi;
}

/* True when a gazetteer name and a mention are spellings of one name
 * (td_alias_name_eq on their folded forms): the check after a skeleton
 * look-up, which alone would take "Dalan" for "Delhi". */
static bool similar_names(const char *name, td_str surface)
{
    td_buf a = TD_BUF_INIT, b = TD_BUF_INIT;
    size_t la = td_match_fold(td_str_cstr(name), &a);
    size_t lb = td_match_fold(surface, &b);
    bool eq = !a.failed && !b.failed && td_alias_name_eq(td_str_make(a.p, la), td_str_make(b.p, lb));
    td_buf_free(&a);
    td_buf_free(&b);
    return eq;
}

/* ---- places with no record of their own ---- */

enum { GEN_NONE = 0, GEN_DIVISION, GEN_AREA };

/* Words after a name that make it a division ("Gorkha District": the
 * division's own record when there is one, else the town it is named after
 * contains it) or an area around a place ("Kathmandu Valley", "Hong Kong
 * Island"). */
static const char *const DIVISION_WORDS[] = { "district", "districts", "province", "governorate",
                                              "county", "region", "state", "prefecture", "oblast",
                                              "municipality", "department", "zone", "subdistrict",
                                              NULL };
static const char *const AREA_WORDS[] = { "valley", "island", "islands", "peninsula", "area",
                                          "plain", "plains", "coast", "delta", "basin", "highlands",
                                          "hills", "mountains", "desert", "lake", "bay", NULL };
/* Heads of streets, squares, buildings and sites: they lie inside a town. */
static const char *const SITE_WORDS[] = {
    "road", "street", "avenue", "boulevard", "lane", "square", "plaza", "roundabout",
    "complex", "building", "tower", "towers", "hall", "palace", "hospital", "clinic",
    "market", "bazaar", "mosque", "church", "cathedral", "temple", "synagogue", "shrine",
    "bridge", "park", "station", "terminal", "stadium", "university", "college", "school",
    "hotel", "mall", "centre", "center", "compound", "embassy", "court", "courthouse",
    "ministry", "headquarters", "barracks", "harbour", "harbor", "pier", "gate", "place", NULL
};

static bool word_in(td_str w, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (td_str_ieq(w, td_str_cstr(list[k])))
            return true;
    return false;
}

/* The last word of s (after the last space or hyphen). */
static td_str last_word(td_str s)
{
    size_t i = s.len;
    while (i > 0 && s.p[i - 1] != ' ' && s.p[i - 1] != '-')
        i--;
    return td_str_make(s.p + i, s.len - i);
}

/* True when the last word of name is a street, square, building or site
 * head ("Tanner Quay Road", "Amaranth Square"): such a place lies inside a
 * town. Shared with place_story.c (extract_int.h). */
bool td_place_site_name(td_str name)
{
    return word_in(last_word(name), SITE_WORDS);
}

/* Splits "the X Valley" into X and the class of its generic word; GEN_NONE
 * when s ends in no generic word or nothing is left before it. */
static int generic_split(td_str s, td_str *x)
{
    td_str w = last_word(s);
    int cls = word_in(w, DIVISION_WORDS) ? GEN_DIVISION : word_in(w, AREA_WORDS) ? GEN_AREA : GEN_NONE;
    if (cls == GEN_NONE || w.len >= s.len)
        return GEN_NONE;
    td_str r = td_str_trim(td_str_make(s.p, s.len - w.len - 1));
    if (td_str_istarts(r, TD_STR_LIT("the ")))
        r = td_str_trim(td_str_make(r.p + 4, r.len - 4));
    if (!r.len)
        return GEN_NONE;
    *x = r;
    return cls;
}

/* The record X of "X Valley": the best record that is no country when one
 * exists (Hong Kong Island lies around the city, not the whole territory),
 * the country otherwise; false when X is unknown. */
static bool generic_record(const geo *gz, td_str xs, bool want_division, td_place *out)
{
    int64_t id = td_gazetteer_lookup(gz->g, xs);
    if (id < 0)
        return false;
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(gz->g, (uint32_t)id, &post, NULL);
    float best = -1e9f;
    bool found = false, found_country = false;
    td_place country;
    for (uint32_t k = 0; k < np && k < MAX_CANDS; k++) {
        uint32_t v = td_gazetteer_posting(post, k);
        td_place p;
        td_gazetteer_place(gz->g, v & ~TD_GAZ_ALT, &p);
        if (p.kind == TD_PLACE_COUNTRY) {
            if (!found_country)
                country = p;
            found_country = true;
            continue;
        }
        /* "Causeway Bay" in a story on Hong Kong is no village Causeway
         * abroad: a small X must lie in a country the article is about */
        int c = cc_idx(p.country);
        if (c < 0 || (gz->strong[c] < 1.0f && p.population < 100000 && p.kind > TD_PLACE_SEAT1))
            continue;
        float sc = cand_score(gz, &p, (v & TD_GAZ_ALT) != 0, want_division);
        if (sc > best) {
            best = sc;
            *out = p;
            found = true;
        }
    }
    if (!found && found_country)
        *out = country;
    return found || found_country;
}

/* x lies in (not at) container c: the name stays x's own, the point is c's. */
static void contain(td_mention *x, const td_place *c)
{
    x->within = c->idx + 1;
    memcpy(x->cc, c->country, 3);
    x->precision = c->kind <= TD_PLACE_ADMIN1 ? TD_GEO_REGION : TD_GEO_NEAR;
}

/* True when the text between from and to says the first name lies in the
 * second: a comma ("Hennessy Road, Wan Chai"), or "in"/"of" among a few
 * lower-case words ("Dahyan market in Sa'ada", "a village in the northern
 * province of X"). A capitalised word is a name, not such a link. Shared
 * with event_article.c (extract_int.h). */
bool td_place_inside_gap(td_str text, uint32_t from, uint32_t to)
{
    static const char *const W[] = { "a", "an", "the", "in", "of", "near", "outside", "village", "town",
                                     "district", "area", "market", "neighbourhood", "neighborhood", "suburb",
                                     "city", "province", "region", "governorate", "state", "county",
                                     "northern", "southern", "eastern", "western", "north", "south", "east",
                                     "west", "central", "remote", "small", "rural", "road", "street",
                                     "square", "camp", "hamlet", "quarter", "locality", "municipality", NULL };
    if (to < from || to - from > 60 || to > text.len)
        return false;
    bool comma = false, in = false;
    uint32_t i = from, words = 0;
    while (i < to) {
        char c = text.p[i];
        if (c == ' ' || c == '\'') {
            i++;
            continue;
        }
        if (c == ',') {
            if (comma)
                return false;
            comma = true;
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < to && text.p[j] != ' ' && text.p[j] != ',')
            j++;
        td_str w = td_str_make(text.p + i, j - i);
        if ((w.p[0] >= 'A' && w.p[0] <= 'Z') || !word_in(w, W) || ++words > 5)
            return false;
        in |= td_str_ieq(w, TD_STR_LIT("in")) || td_str_ieq(w, TD_STR_LIT("of"));
        i = j;
    }
    return comma || in;
}

/* True when another name follows the mention as in a comma list ("X, Y and
 * Z", "X, Y, Z"): there the comma joins equals, not a place and its
 * container ("X, northern Y, (a hospital...)" is no list). */
static bool list_follows(td_str text, const td_mention *y)
{
    size_t i = y->off + y->len;
    bool joined = false;
    if (i < text.len && text.p[i] == ',') {
        joined = true;
        i++;
    }
    while (i < text.len && text.p[i] == ' ')
        i++;
    if (!joined && i + 4 <= text.len && td_str_ieq(td_str_make(text.p + i, 4), TD_STR_LIT("and "))) {
        joined = true;
        i += 4;
    }
    return joined && i < text.len && text.p[i] >= 'A' && text.p[i] <= 'Z';
}

/* The placed mention the text puts m[i] in, right after it. */
static bool container_after(const geo *gz, td_str text, const td_mention *m, uint32_t n, uint32_t i,
                            td_place *out)
{
    const td_mention *x = &m[i];
    for (uint32_t j = i + 1; j < n; j++) {
        const td_mention *y = &m[j];
        if (y->off < x->off + x->len || (y->flags & TD_MF_NESTED))
            continue;
        if (y->off > x->off + x->len + 60)
            return false;
        if (y->type != TD_ENT_PLACE)
            continue;
        if (y->place < 0 || !td_place_inside_gap(text, x->off + x->len, y->off))
            return false;
        bool comma = memchr(text.p + x->off + x->len, ',', y->off - x->off - x->len) != NULL;
        if (comma && list_follows(text, y))
            return false;
        td_gazetteer_place(gz->g, (uint32_t)y->place, out);
        return true;
    }
    return false;
}

/* The distinct places the article names (not as evidence, not nested), each
 * with its mention count, sorted by place index: the rules below ask "which
 * towns of country X does the article name, how often" once per unknown
 * place, and a scan of this list keeps that linear in the places, not the
 * mentions (a 10 MB article has 10^5 mentions, a few hundred places). */
typedef struct tally {
    int32_t place;
    uint32_t n;
    char cc[3];
    uint8_t kind;
} tally;

typedef struct tallies {
    tally *v;
    uint32_t n;
} tallies;

static int tally_cmp(const void *a, const void *b)
{
    int32_t x = ((const tally *)a)->place, y = ((const tally *)b)->place;
    return (x > y) - (x < y);
}

/* Rebuilds t from m (t->v has room for n entries). */
static void tally_build(tallies *t, const td_mention *m, uint32_t n)
{
    t->n = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m[i].type != TD_ENT_PLACE || m[i].place < 0 || (m[i].flags & (TD_MF_EVIDENCE | TD_MF_NESTED)))
            continue;
        tally *e = &t->v[t->n++];
        e->place = m[i].place;
        e->n = 1;
        memcpy(e->cc, m[i].cc, 3);
        e->kind = m[i].kind;
    }
    if (!t->n)
        return;
    qsort(t->v, t->n, sizeof *t->v, tally_cmp);
    uint32_t k = 0;
    for (uint32_t i = 1; i < t->n; i++) {
        if (t->v[i].place == t->v[k].place)
            t->v[k].n++;
        else
            t->v[++k] = t->v[i];
    }
    t->n = k + 1;
}

/* The one record of country cc of kind in [lo, hi] the article places, the
 * most mentioned when several (ties: none). */
static bool named_in_article(const geo *gz, const tallies *t, const char *cc, td_place_kind lo,
                             td_place_kind hi, td_place *out)
{
    int32_t best = -1;
    uint32_t best_n = 0;
    bool tie = false;
    for (uint32_t i = 0; i < t->n; i++) {
        const tally *e = &t->v[i];
        if (e->kind < lo || e->kind > hi || memcmp(e->cc, cc, 2) != 0)
            continue;
        if (e->n > best_n) {
            best = e->place;
            best_n = e->n;
            tie = false;
        } else if (e->n == best_n) {
            tie = true;
        }
    }
    if (best < 0 || tie)
        return false;
    td_gazetteer_place(gz->g, (uint32_t)best, out);
    return true;
}

/* True when the article places a record of country cc of kind lo or below
 * (towns: TD_PLACE_CAPITAL; towns and provinces: TD_PLACE_ADMIN1). */
static bool names_kind_of(const tallies *t, const char *cc, td_place_kind lo)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->v[i].kind >= lo && memcmp(t->v[i].cc, cc, 2) == 0)
            return true;
    return false;
}

/* Country coherence: a small town abroad (no capital nor seat of a
 * province), in a country with no evidence of its own while the article is
 * plainly about another, and farther than 500 km from the dateline and from
 * every place of another country the article names, is a same-named place
 * elsewhere ("a street name resolved to a town on another continent"): the
 * mention becomes an unknown place of the article's country. Decided once
 * per distinct place. */
static void coherence(geo *gz, td_mention *m, uint32_t n, const tallies *t, int top_ci, float tops,
                      const char *country)
{
    if (top_ci < 0 || tops < 3.0f || gz->strong[top_ci] < 2.0f)
        return;
    bool any = false;
    for (uint32_t i = 0; i < t->n; i++) {
        tally *e = &t->v[i];
        td_place p;
        td_gazetteer_place(gz->g, (uint32_t)e->place, &p);
        int ci = cc_idx(p.country);
        if (ci == top_ci || ci < 0 || p.kind < TD_PLACE_SEAT2 || p.population >= 100000 ||
            gz->strong[ci] > 0 || isnan(p.lat))
            continue;
        /* near a place of a country the article is about: a border town */
        bool near_other = gz->have_anchor && km(p.lat, p.lon, gz->anchor_lat, gz->anchor_lon) < 500;
        for (uint32_t j = 0; j < t->n && !near_other; j++) {
            if (j == i || memcmp(t->v[j].cc, p.country, 2) == 0)
                continue;
            td_place q;
            td_gazetteer_place(gz->g, (uint32_t)t->v[j].place, &q);
            if (q.kind != TD_PLACE_COUNTRY && !isnan(q.lat) && km(p.lat, p.lon, q.lat, q.lon) < 500)
                near_other = true;
        }
        if (near_other)
            continue;
        e->kind = 0xff; /* marked: demote its mentions */
        any = true;
    }
    for (uint32_t i = 0; any && i < n; i++) {
        td_mention *x = &m[i];
        if (x->type != TD_ENT_PLACE || x->place < 0 || x->how == TD_HOW_DEMONYM ||
            (x->flags & (TD_MF_EVIDENCE | TD_MF_DATELINE)))
            continue;
        tally key = { x->place, 0, "", 0 };
        const tally *e = bsearch(&key, t->v, t->n, sizeof *t->v, tally_cmp);
        if (!e || e->kind != 0xff)
            continue;
        x->place = -1;
        x->precision = 0;
        x->kind = 0;
        if (x->how == TD_HOW_GAZETTEER && x->conf < 0.8f && !memchr(x->surface.p, ' ', x->surface.len)) {
            /* one word with no place cue (a cue lifts conf to 0.8): most
             * often a word or a name ("Secretary", "Central", "Branch"),
             * as in pass 0 */
            x->type = TD_ENT_NONE;
            x->how = TD_HOW_CAPS;
            continue;
        }
        memcpy(x->cc, country, 3);
    }
}

/* The country whose towns and provinces the article names most, at least
 * twice (ties: none): where its unknown places most likely lie, even when
 * another country is named more often ("India sent helicopters" in a story
 * on Nepal). */
static void local_country(const tallies *t, char out[3])
{
    uint32_t cnt[676];
    memset(cnt, 0, sizeof cnt);
    out[0] = out[1] = out[2] = 0;
    uint32_t best = 0;
    bool tie = false;
    for (uint32_t i = 0; i < t->n; i++) {
        int c = t->v[i].cc[0] ? cc_idx(t->v[i].cc) : -1;
        if (c < 0 || t->v[i].kind < TD_PLACE_ADMIN1)
            continue;
        cnt[c] += t->v[i].n;
    }
    for (int c = 0; c < 676; c++) {
        if (cnt[c] > best) {
            best = cnt[c];
            out[0] = (char)('A' + c / 26);
            out[1] = (char)('A' + c % 26);
            tie = false;
        } else if (cnt[c] && cnt[c] == best) {
            tie = true;
        }
    }
    if (tie || best < 2)
        out[0] = out[1] = 0;
}

/* Containment for every place still without a record (see the header). */
static void containment(geo *gz, td_str text, td_mention *m, uint32_t n, const tallies *t,
                        const char *country)
{
    char local[3];
    local_country(t, local);
    bool local_wins = local[0] && (!country[0] || !names_kind_of(t, country, TD_PLACE_ADMIN1));
    for (uint32_t i = 0; i < n; i++) {
        td_mention *x = &m[i];
        if (x->type != TD_ENT_PLACE || x->place >= 0 || x->within || x->how == TD_HOW_DEMONYM ||
            (x->flags & (TD_MF_EVIDENCE | TD_MF_NESTED)))
            continue;
        td_place c;
        if (container_after(gz, text, m, n, i, &c)) {
            contain(x, &c);
            continue;
        }
        /* a country the names gave, unless it is only the article's
         * default and the article names no town or province of it but
         * at least two of another country (local_country) */
        const char *cc = x->cc[0] ? x->cc : country;
        if (local_wins && (!x->cc[0] || memcmp(x->cc, country, 2) == 0))
            cc = local;
        if (!cc[0])
            continue;
        if (word_in(last_word(x->surface), SITE_WORDS)) {
            /* a street or a building: the article's town, the one it names
             * most, or the dateline's when it names none of that country (a
             * wire from the capital on a market in a province names both:
             * then no town) */
            if (named_in_article(gz, t, cc, TD_PLACE_CAPITAL, TD_PLACE_TOWN, &c)) {
                contain(x, &c);
                continue;
            }
            if (gz->have_anchor && !names_kind_of(t, cc, TD_PLACE_CAPITAL)) {
                td_gazetteer_place(gz->g, gz->anchor_idx, &c);
                if (memcmp(c.country, cc, 2) == 0 && c.kind >= TD_PLACE_CAPITAL) {
                    contain(x, &c);
                    continue;
                }
            }
        }
        if (named_in_article(gz, t, cc, TD_PLACE_ADMIN1, TD_PLACE_ADMIN1, &c)) {
            contain(x, &c);
            continue;
        }
        int64_t ci = td_gazetteer_country(gz->g, cc);
        if (ci >= 0) {
            td_gazetteer_place(gz->g, (uint32_t)ci, &c);
            if (!isnan(c.lat))
                contain(x, &c);
        }
    }
}

void td_geocode_mentions(const td_entity_models *md, td_str text, td_str dateline,
                         td_mention *m, uint32_t n, char country[3])
{
    country[0] = country[1] = country[2] = 0;
    if (!md->gaz)
        return;
    geo gz;
    memset(&gz, 0, sizeof gz);
    gz.g = md->gaz;
    dateline_evidence(&gz, dateline);
    for (uint32_t i = 0; i < n; i++)
        mention_evidence(&gz, &m[i]);
    int top = -1;
    float tops = 0, second = 0;
    for (int c = 0; c < 676; c++) {
        if (gz.score[c] > tops) {
            second = tops;
            tops = gz.score[c];
            top = c;
        } else if (gz.score[c] > second) {
            second = gz.score[c];
        }
    }
    int top_ci = -1;
    if (top >= 0 && tops >= 1.0f) {
        country[0] = (char)('A' + top / 26);
        country[1] = (char)('A' + top % 26);
        top_ci = top;
    }

    /* places named with a record first (they anchor the others), then the rest */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < n; i++) {
            td_mention *x = &m[i];
            if (x->type != TD_ENT_PLACE || x->place >= 0)
                continue;
            bool near = near_before(text, x);
            if (x->how == TD_HOW_DEMONYM) {
                int64_t ci = td_gazetteer_country(gz.g, x->cc);
                if (ci >= 0) {
                    td_place p;
                    td_gazetteer_place(gz.g, (uint32_t)ci, &p);
                    x->place = (int32_t)p.idx;
                    x->precision = TD_GEO_REGION;
                }
                continue;
            }
            bool want_div = division_after(text, x);
            td_place p;
            uint32_t nfit;
            if (pass == 0 && x->name_id >= 0) {
                const uint8_t *post;
                uint32_t np = td_gazetteer_name(gz.g, (uint32_t)x->name_id, &post, NULL);
                int64_t bi = pick(&gz, post, np, want_div, false, &p, &nfit);
                if (bi < 0)
                    continue;
                bool alt = (td_gazetteer_posting(post, (uint32_t)bi) & TD_GAZ_ALT) != 0;
                /* a small town named by one word, with no cue and in a country
                 * the article is not about, is most often a word or a name
                 * ("Salem", "Ward", "Durham" in a story on Yemen) */
                int ci = cc_idx(p.country);
                if (x->conf < 0.8f && p.kind >= TD_PLACE_CAPITAL &&
                    (p.population < 100000 || (alt && p.population < 1000000)) &&
                    memchr(x->surface.p, ' ', x->surface.len) == NULL &&
                    (ci < 0 || (gz.score[ci] < 1.5f && ci != top_ci)) &&
                    !(x->flags & TD_MF_EVIDENCE)) {
                    x->type = TD_ENT_NONE;
                    x->how = TD_HOW_CAPS;
                    continue;
                }
                set_place(&gz, x, &p, near);
            } else if (pass == 1 && x->name_id < 0) {
                /* a name the automaton did not know: exact look-up (a facility
                 * "X Square" may hold a known X), then the skeleton */
                int64_t id = td_gazetteer_lookup(gz.g, x->surface);
                const uint8_t *post;
                uint32_t np = 0;
                if (id >= 0)
                    np = td_gazetteer_name(gz.g, (uint32_t)id, &post, NULL);
                if (np && pick(&gz, post, np, want_div, false, &p, &nfit) >= 0) {
                    set_place(&gz, x, &p, near);
                    x->name_id = (int32_t)id;
                    continue;
                }
                /* "X District", "the X Valley": X */
                td_str xs;
                int cls = generic_split(x->surface, &xs);
                if (cls && !(x->flags & TD_MF_EVIDENCE) &&
                    generic_record(&gz, xs, cls == GEN_DIVISION, &p)) {
                    if (cls == GEN_DIVISION && p.kind == TD_PLACE_ADMIN1)
                        set_place(&gz, x, &p, near);
                    else
                        contain(x, &p);
                    continue;
                }
                np = td_gazetteer_skeleton(gz.g, x->surface, &post);
                if (np && pick(&gz, post, np, want_div, true, &p, &nfit) >= 0 &&
                    p.kind != TD_PLACE_COUNTRY &&
                    ((nfit == 1 && country[0] && memcmp(p.country, country, 2) == 0) ||
                     similar_names(p.name, x->surface))) {
                    set_place(&gz, x, &p, near);
                    x->how = x->how == TD_HOW_PLACECUE ? TD_HOW_SKELETON : x->how;
                    x->conf *= 0.8f;
                } else if (country[0] && !x->cc[0]) {
                    memcpy(x->cc, country, 3); /* an unknown place of the article's country */
                }
            }
        }
    }
    /* the rules for places with no record of their own (header); without
     * memory for the tally they are skipped, the places stay unplaced */
    tallies t = { td_malloc((n ? n : 1) * sizeof(tally)), 0 };
    if (!t.v)
        return;
    tally_build(&t, m, n);
    coherence(&gz, m, n, &t, top_ci, tops, country);
    tally_build(&t, m, n);
    containment(&gz, text, m, n, &t, country);
    td_free(t.v);
}
