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
 */
#include "extract/extract_int.h"
#include "extract/alias.h"

#include <math.h>
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
    bool have_anchor;
    double anchor_lat, anchor_lon;  /* the dateline place */
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
    if (ci >= 0)
        gz->score[ci] += want >= 0 ? 1 : 5;
    if (!isnan(p.lat)) {
        gz->have_anchor = true;
        gz->anchor_lat = p.lat;
        gz->anchor_lon = p.lon;
    }
}

static void mention_evidence(geo *gz, const td_mention *m)
{
    int ci = m->cc[0] ? cc_idx(m->cc) : -1;
    if (m->how == TD_HOW_DEMONYM && ci >= 0) {
        gz->score[ci] += 1.0f;
        return;
    }
    if (m->type == TD_ENT_ORG && ci >= 0) {
        gz->score[ci] += 0.5f;
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
            break; /* a country named is what it says */
        }
        gz->score[c] += (k == 0 ? 1.0f : 0.3f) * w;
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
}
