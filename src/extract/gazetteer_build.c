/*
 * gazetteer_build.c - compiles places.bin (layout in gazetteer.h) from the
 * GeoNames dump, Debian's iso-codes JSON and the team's country-name list.
 * Runs at build time only (scripts/gazetteer-tool.c), never in the engine.
 *
 * Data structure: growable arrays of places and of (folded name, place)
 * pairs; at finish the pairs are sorted by name, every distinct name becomes
 * one automaton pattern (its id is the name id) with its postings sorted by
 * population, and a second table maps transliteration skeletons to places.
 *
 * Names kept: each place's name and ASCII name, its alternate names when
 * they fold to Latin letters without digits (codes like "BGW" are dropped),
 * and, for names opening with an Arabic article ("Al Hasakah"), the name
 * without it (flagged derived).
 */
#include "extract/gazetteer.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/map.h"

typedef struct bplace {
    uint32_t gid;
    int32_t lat, lon;      /* 1e-5 degrees, TD_GAZ_NOCOORD when unknown */
    uint32_t pop;
    uint32_t name_off;     /* into the display-name pool */
    char cc[2];
    uint8_t kind;
    char admin1[8];
} bplace;

typedef struct bpair {
    uint32_t name_off;     /* folded name, into the folded pool */
    uint32_t name_len;
    uint32_t place;
    uint32_t alt;          /* TD_GAZ_ALT or 0 */
    uint32_t id;           /* name id, set at finish */
} bpair;

struct td_gazetteer_builder {
    bplace *pl;
    uint32_t n_pl, cap_pl;
    bpair *pr;
    uint32_t n_pr, cap_pr;
    td_buf disp;           /* display names */
    td_buf folded;         /* folded names */
    td_map common;         /* key of common English words -> 1 */
    int32_t country[676];  /* place index + 1 */
    td_buf tmp;
};

static int cc_index(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

td_gazetteer_builder *td_gazetteer_builder_new(void)
{
    td_gazetteer_builder *b = td_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    td_buf_putc(&b->disp, '\0'); /* offset 0 is the empty string */
    return b;
}

void td_gazetteer_builder_free(td_gazetteer_builder *b)
{
    if (!b)
        return;
    td_free(b->pl);
    td_free(b->pr);
    td_buf_free(&b->disp);
    td_buf_free(&b->folded);
    td_buf_free(&b->tmp);
    td_map_free(&b->common);
    td_free(b);
}

/* Appends a place; returns its index or -1 when out of memory. */
static int64_t add_place(td_gazetteer_builder *b, const bplace *p)
{
    if (b->n_pl == b->cap_pl) {
        uint32_t nc = b->cap_pl ? b->cap_pl * 2 : 4096;
        bplace *nv = td_realloc(b->pl, (size_t)nc * sizeof *nv);
        if (!nv)
            return -1;
        b->pl = nv;
        b->cap_pl = nc;
    }
    b->pl[b->n_pl] = *p;
    return b->n_pl++;
}

static uint32_t add_disp(td_gazetteer_builder *b, const char *s, size_t len)
{
    uint32_t off = (uint32_t)b->disp.len;
    td_buf_append(&b->disp, s, len);
    td_buf_putc(&b->disp, '\0');
    return off;
}

/* True when folded is Latin letters, spaces and apostrophes only. */
static bool latin_only(td_str f)
{
    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.p[i];
        if (!((c >= 'a' && c <= 'z') || c == ' '))
            return false;
    }
    return true;
}

/*
 * Adds name (raw UTF-8) for place; derived variants too. Returns false when
 * out of memory. Names folding to fewer than 2 letters, to non-Latin script
 * or with more than 8 words are ignored.
 */
static bool add_name(td_gazetteer_builder *b, const char *name, size_t len, uint32_t place,
                     uint32_t alt)
{
    td_buf_clear(&b->tmp);
    size_t fl = td_match_fold(td_str_make(name, len), &b->tmp);
    if (b->tmp.failed)
        return false;
    td_str f = td_str_make(b->tmp.p, fl);
    if (fl < 2 || !latin_only(f))
        return true;
    size_t words = 1;
    for (size_t i = 0; i < fl; i++)
        words += f.p[i] == ' ';
    if (words > 8)
        return true;
    for (int pass = 0; pass < 2; pass++) {
        if (b->n_pr == b->cap_pr) {
            uint32_t nc = b->cap_pr ? b->cap_pr * 2 : 16384;
            bpair *nv = td_realloc(b->pr, (size_t)nc * sizeof *nv);
            if (!nv)
                return false;
            b->pr = nv;
            b->cap_pr = nc;
        }
        bpair *p = &b->pr[b->n_pr++];
        p->name_off = (uint32_t)b->folded.len;
        p->name_len = (uint32_t)f.len;
        p->place = place;
        p->alt = alt;
        p->id = 0;
        td_buf_append(&b->folded, f.p, f.len);
        if (b->folded.failed)
            return false;
        /* derived: without a leading article, "al hasakah" -> "hasakah" */
        size_t sp = 0;
        while (sp < f.len && f.p[sp] != ' ')
            sp++;
        if (pass == 1 || sp >= f.len || !td_match_is_article(td_str_make(f.p, sp)) ||
            f.len - sp - 1 < 4)
            break;
        f = td_str_make(f.p + sp + 1, f.len - sp - 1);
        alt = TD_GAZ_ALT;
    }
    return true;
}

static uint8_t kind_of(const char *fcode)
{
    if (strcmp(fcode, "PPLC") == 0)
        return TD_PLACE_CAPITAL;
    if (strcmp(fcode, "PPLA") == 0)
        return TD_PLACE_SEAT1;
    if (strncmp(fcode, "PPLA", 4) == 0)
        return TD_PLACE_SEAT2;
    return TD_PLACE_TOWN;
}

/* True when an alternate name looks like a code or an abbreviation. */
static bool code_like(const char *s, size_t len)
{
    size_t letters = 0, upper = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            return true;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            letters++;
        if (c >= 'A' && c <= 'Z')
            upper++;
    }
    return letters < 3 || (upper == letters && letters <= 5);
}

td_status td_gazetteer_builder_geonames(td_gazetteer_builder *b, const char *path,
                                        uint64_t *bad)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return TD_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    td_status st = TD_OK;
    *bad = 0;
    while ((n = getline(&line, &cap, fp)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *col[19];
        int nc = 0;
        char *s = line;
        col[nc++] = s;
        for (char *q = line; *q && nc < 19; q++) {
            if (*q == '\t') {
                *q = '\0';
                col[nc++] = q + 1;
            }
        }
        if (nc < 15 || !col[1][0] || strlen(col[8]) != 2) {
            (*bad)++;
            continue;
        }
        bplace p;
        memset(&p, 0, sizeof p);
        char *end;
        p.gid = (uint32_t)strtoul(col[0], &end, 10);
        double lat = strtod(col[4], NULL), lon = strtod(col[5], NULL);
        if (*end || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            (*bad)++;
            continue;
        }
        p.lat = (int32_t)lround(lat * 1e5);
        p.lon = (int32_t)lround(lon * 1e5);
        p.pop = (uint32_t)strtoul(col[14], NULL, 10);
        p.cc[0] = col[8][0];
        p.cc[1] = col[8][1];
        p.kind = kind_of(col[7]);
        size_t al = strlen(col[10]);
        memcpy(p.admin1, col[10], al > 8 ? 8 : al);
        p.name_off = add_disp(b, col[1], strlen(col[1]));
        int64_t idx = add_place(b, &p);
        if (idx < 0 || b->disp.failed) {
            st = TD_ENOMEM;
            break;
        }
        bool ok = add_name(b, col[1], strlen(col[1]), (uint32_t)idx, 0) &&
                  add_name(b, col[2], strlen(col[2]), (uint32_t)idx, 0);
        for (char *a = col[3]; ok && *a;) {
            char *c = strchr(a, ',');
            size_t l = c ? (size_t)(c - a) : strlen(a);
            if (!code_like(a, l))
                ok = add_name(b, a, l, (uint32_t)idx, TD_GAZ_ALT);
            a = c ? c + 1 : a + l;
        }
        if (!ok) {
            st = TD_ENOMEM;
            break;
        }
    }
    free(line);
    fclose(fp);
    return st;
}

/* Adds the names in "a|b|c" for place. */
static bool add_names_list(td_gazetteer_builder *b, const char *s, uint32_t place, uint32_t alt)
{
    while (*s) {
        const char *c = strchr(s, '|');
        size_t l = c ? (size_t)(c - s) : strlen(s);
        if (l && !add_name(b, s, l, place, alt))
            return false;
        s = c ? c + 1 : s + l;
    }
    return true;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

td_status td_gazetteer_builder_iso(td_gazetteer_builder *b, const char *iso1_path,
                                   const char *iso2_path)
{
    json_error_t je;
    json_t *r1 = json_load_file(iso1_path, 0, &je);
    if (!r1)
        return TD_EPARSE;
    json_t *arr = json_object_get(r1, "3166-1");
    td_status st = json_is_array(arr) ? TD_OK : TD_EPARSE;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        const char *a2 = jstr(o, "alpha_2"), *name = jstr(o, "name");
        const char *common = jstr(o, "common_name"), *off = jstr(o, "official_name");
        if (!a2 || !name || cc_index(a2) < 0)
            continue;
        const char *comma = strchr(name, ',');
        const char *disp = common ? common : name;
        size_t dl = (!common && comma) ? (size_t)(comma - name) : strlen(disp);
        bplace p;
        memset(&p, 0, sizeof p);
        p.cc[0] = a2[0];
        p.cc[1] = a2[1];
        p.kind = TD_PLACE_COUNTRY;
        p.lat = p.lon = TD_GAZ_NOCOORD;
        p.name_off = add_disp(b, disp, dl);
        int64_t idx = add_place(b, &p);
        if (idx < 0) {
            st = TD_ENOMEM;
            break;
        }
        b->country[cc_index(a2)] = (int32_t)idx + 1;
        bool ok = add_name(b, disp, dl, (uint32_t)idx, 0) &&
                  add_name(b, name, strlen(name), (uint32_t)idx, 0) &&
                  (!off || add_name(b, off, strlen(off), (uint32_t)idx, TD_GAZ_ALT)) &&
                  (!comma || add_name(b, name, (size_t)(comma - name), (uint32_t)idx, TD_GAZ_ALT));
        if (!ok) {
            st = TD_ENOMEM;
            break;
        }
    }
    json_decref(r1);
    if (st != TD_OK)
        return st;

    json_t *r2 = json_load_file(iso2_path, 0, &je);
    if (!r2)
        return TD_EPARSE;
    arr = json_object_get(r2, "3166-2");
    if (!json_is_array(arr))
        st = TD_EPARSE;
    json_array_foreach(arr, i, o) {
        const char *code = jstr(o, "code"), *name = jstr(o, "name");
        if (!code || !name || json_object_get(o, "parent") || strlen(code) < 4 || code[2] != '-')
            continue; /* only first-level subdivisions */
        char nm[256];
        size_t l = 0;
        for (const char *q = name; *q && l + 1 < sizeof nm; q++) {
            if (*q == '[' || *q == '(')
                break; /* "Amānat al ‘Āşimah [city]" */
            nm[l++] = *q;
        }
        while (l && nm[l - 1] == ' ')
            l--;
        nm[l] = '\0';
        bplace p;
        memset(&p, 0, sizeof p);
        p.cc[0] = code[0];
        p.cc[1] = code[1];
        p.kind = TD_PLACE_ADMIN1;
        p.lat = p.lon = TD_GAZ_NOCOORD;
        /* admin1 is resolved to the GeoNames code at finish; keep ISO here */
        size_t cl = strlen(code + 3);
        memcpy(p.admin1, code + 3, cl > 8 ? 8 : cl);
        p.gid = 0;
        p.name_off = add_disp(b, nm, l);
        int64_t idx = add_place(b, &p);
        if (idx < 0 || !add_name(b, nm, l, (uint32_t)idx, 0)) {
            st = TD_ENOMEM;
            break;
        }
    }
    json_decref(r2);
    return st;
}

td_status td_gazetteer_builder_country_names(td_gazetteer_builder *b, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return TD_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    td_status st = TD_OK;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab - line != 2 || cc_index(line) < 0)
            continue;
        int32_t c = b->country[cc_index(line)];
        if (!c)
            continue;
        /* the first name becomes the display name */
        const char *names = tab + 1;
        const char *bar = strchr(names, '|');
        size_t l = bar ? (size_t)(bar - names) : strlen(names);
        b->pl[c - 1].name_off = add_disp(b, names, l);
        if (!add_names_list(b, names, (uint32_t)(c - 1), 0)) {
            st = TD_ENOMEM;
            break;
        }
    }
    free(line);
    fclose(fp);
    return st;
}

td_status td_gazetteer_builder_common_words(td_gazetteer_builder *b, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return TD_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    td_status st = TD_OK;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        td_buf_clear(&b->tmp);
        size_t fl = td_match_fold(td_str_make(line, (size_t)n), &b->tmp);
        uint64_t *v = td_map_upsert(&b->common, td_match_key(b->tmp.p, fl));
        if (!v) {
            st = TD_ENOMEM;
            break;
        }
        *v = 1;
    }
    free(line);
    fclose(fp);
    return st;
}

td_status td_gazetteer_builder_extra(td_gazetteer_builder *b, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return TD_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    td_status st = TD_OK;
    bool header = true;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (header || !line[0] || line[0] == '#') {
            header = false;
            continue;
        }
        char *col[8];
        int nc = 0;
        col[nc++] = line;
        for (char *q = line; *q && nc < 8; q++)
            if (*q == '\t') {
                *q = '\0';
                col[nc++] = q + 1;
            }
        if (nc < 8 || !col[0][0] || strlen(col[3]) != 2 || cc_index(col[3]) < 0) {
            st = TD_EPARSE;
            break;
        }
        bplace p;
        memset(&p, 0, sizeof p);
        const char *k = col[2];
        p.kind = strcmp(k, "country") == 0 ? TD_PLACE_COUNTRY
               : strcmp(k, "capital") == 0 ? TD_PLACE_CAPITAL
               : (strcmp(k, "province") == 0 || strcmp(k, "region") == 0 ||
                  strcmp(k, "state") == 0) ? TD_PLACE_ADMIN1
               : strcmp(k, "city") == 0 ? TD_PLACE_SEAT2 : TD_PLACE_TOWN;
        p.cc[0] = col[3][0];
        p.cc[1] = col[3][1];
        size_t al = strlen(col[4]);
        memcpy(p.admin1, col[4], al > 8 ? 8 : al);
        p.lat = col[5][0] ? (int32_t)lround(strtod(col[5], NULL) * 1e5) : TD_GAZ_NOCOORD;
        p.lon = col[6][0] ? (int32_t)lround(strtod(col[6], NULL) * 1e5) : TD_GAZ_NOCOORD;
        p.pop = (uint32_t)strtoul(col[7], NULL, 10);
        p.name_off = add_disp(b, col[0], strlen(col[0]));
        int64_t idx = add_place(b, &p);
        if (idx < 0 || !add_name(b, col[0], strlen(col[0]), (uint32_t)idx, 0)) {
            st = TD_ENOMEM;
            break;
        }
        if (p.kind == TD_PLACE_COUNTRY && !b->country[cc_index(col[3])])
            b->country[cc_index(col[3])] = (int32_t)idx + 1;
        for (char *a = col[1]; *a;) {
            char *c = strchr(a, ',');
            size_t l = c ? (size_t)(c - a) : strlen(a);
            if (l && !add_name(b, a, l, (uint32_t)idx, TD_GAZ_ALT)) {
                st = TD_ENOMEM;
                break;
            }
            a = c ? c + 1 : a + l;
        }
        if (st != TD_OK)
            break;
    }
    free(line);
    fclose(fp);
    return st;
}

/* ---- finish ---- */

static int cmp_pair_name(const void *x, const void *y, void *ud)
{
    const td_gazetteer_builder *sort_ctx = ud;
    const bpair *a = x, *c = y;
    const char *f = sort_ctx->folded.p;
    size_t l = a->name_len < c->name_len ? a->name_len : c->name_len;
    int r = memcmp(f + a->name_off, f + c->name_off, l);
    if (r)
        return r;
    if (a->name_len != c->name_len)
        return a->name_len < c->name_len ? -1 : 1;
    return a->place < c->place ? -1 : a->place > c->place;
}

/* By id, then population descending, then place; non-alt first. */
static int cmp_pair_id(const void *x, const void *y, void *ud)
{
    const td_gazetteer_builder *sort_ctx = ud;
    const bpair *a = x, *c = y;
    if (a->id != c->id)
        return a->id < c->id ? -1 : 1;
    const bplace *pa = &sort_ctx->pl[a->place], *pc = &sort_ctx->pl[c->place];
    /* countries and subdivisions before towns of the same name */
    int ka = pa->kind <= TD_PLACE_ADMIN1, kc = pc->kind <= TD_PLACE_ADMIN1;
    if (ka != kc)
        return kc - ka;
    if (pa->pop != pc->pop)
        return pa->pop > pc->pop ? -1 : 1;
    if (a->place != c->place)
        return a->place < c->place ? -1 : 1;
    return (a->alt > c->alt) - (a->alt < c->alt);
}

typedef struct skent {
    uint64_t key;
    uint32_t place;
} skent;

static int cmp_sk(const void *x, const void *y, void *ud)
{
    const td_gazetteer_builder *sort_ctx = ud;
    const skent *a = x, *c = y;
    if (a->key != c->key)
        return a->key < c->key ? -1 : 1;
    const bplace *pa = &sort_ctx->pl[a->place], *pc = &sort_ctx->pl[c->place];
    if (pa->pop != pc->pop)
        return pa->pop > pc->pop ? -1 : 1;
    return a->place < c->place ? -1 : a->place > c->place;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static void pad8(td_buf *o)
{
    while (o->len & 7)
        td_buf_putc(o, '\0');
}

/* Gives countries their capital's point and subdivisions the GeoNames admin1
 * code and a point: the seat of the division with the same name, else the
 * largest place of that name in the country. */
static void resolve_points(td_gazetteer_builder *b)
{
    bool has_capital[676] = { false };
    bool fixed[676] = { false }; /* extra-gazetteer countries bring their point */
    uint32_t largest[676] = { 0 };
    for (int ci = 0; ci < 676; ci++)
        fixed[ci] = b->country[ci] && b->pl[b->country[ci] - 1].lat != TD_GAZ_NOCOORD;
    for (uint32_t i = 0; i < b->n_pl; i++) {
        bplace *p = &b->pl[i];
        if (p->kind < TD_PLACE_CAPITAL)
            continue;
        char cc[3] = { p->cc[0], p->cc[1], 0 };
        int ci = cc_index(cc);
        if (ci < 0 || !b->country[ci] || fixed[ci])
            continue;
        bplace *c = &b->pl[b->country[ci] - 1];
        uint64_t sum = (uint64_t)c->pop + p->pop;
        c->pop = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        if (p->kind == TD_PLACE_CAPITAL && !has_capital[ci]) {
            has_capital[ci] = true;
            c->lat = p->lat;
            c->lon = p->lon;
        } else if (!has_capital[ci] && p->pop >= largest[ci]) {
            largest[ci] = p->pop;
            c->lat = p->lat;
            c->lon = p->lon;
        }
    }

    /* subdivisions: same-named place of the country, a seat preferred */
    for (uint32_t k = 0; k + 1 < b->n_pr;) {
        uint32_t e = k + 1;
        const char *f = b->folded.p;
        while (e < b->n_pr && b->pr[e].name_len == b->pr[k].name_len &&
               memcmp(f + b->pr[e].name_off, f + b->pr[k].name_off, b->pr[k].name_len) == 0)
            e++;
        for (uint32_t x = k; x < e; x++) {
            bplace *s = &b->pl[b->pr[x].place];
            if (s->kind != TD_PLACE_ADMIN1 || s->lat != TD_GAZ_NOCOORD)
                continue;
            int best = -1, best_score = -1;
            for (uint32_t y = k; y < e; y++) {
                const bplace *t = &b->pl[b->pr[y].place];
                if (t->kind < TD_PLACE_CAPITAL || t->cc[0] != s->cc[0] || t->cc[1] != s->cc[1])
                    continue;
                int score = (t->kind == TD_PLACE_SEAT1 || t->kind == TD_PLACE_CAPITAL) ? 2 : 1;
                if (score > best_score ||
                    (score == best_score && t->pop > b->pl[b->pr[best].place].pop)) {
                    best = (int)y;
                    best_score = score;
                }
            }
            if (best >= 0) {
                const bplace *t = &b->pl[b->pr[best].place];
                s->lat = t->lat;
                s->lon = t->lon;
                memcpy(s->admin1, t->admin1, 8);
            }
        }
        k = e;
    }
}

td_status td_gazetteer_builder_finish(td_gazetteer_builder *b, td_buf *out)
{
    td_status st = TD_ENOMEM;
    td_match_builder *mb = td_match_builder_new();
    td_buf ac = TD_BUF_INIT;
    skent *sk = NULL;
    if (!mb)
        return TD_ENOMEM;
    qsort_r(b->pr, b->n_pr, sizeof *b->pr, cmp_pair_name, b);
    resolve_points(b);

    /* name ids and skeletons */
    uint32_t n_sk = 0;
    sk = td_calloc(b->n_pr + 1, sizeof *sk);
    if (!sk)
        goto done;
    uint32_t n_names = 0;
    td_buf flags = TD_BUF_INIT; /* u32 flags per name id, in host order */
    for (uint32_t k = 0; k < b->n_pr;) {
        uint32_t e = k + 1;
        const char *f = b->folded.p + b->pr[k].name_off;
        size_t fl = b->pr[k].name_len;
        while (e < b->n_pr && b->pr[e].name_len == fl &&
               memcmp(b->folded.p + b->pr[e].name_off, f, fl) == 0)
            e++;
        uint64_t keys[TD_MATCH_MAX_DEPTH];
        uint32_t nk = td_match_phrase_keys(td_str_make(f, fl), keys, TD_MATCH_MAX_DEPTH);
        uint32_t id = UINT32_MAX;
        if (nk > 0 && nk < TD_MATCH_MAX_DEPTH) {
            td_status s2 = td_match_builder_add(mb, keys, nk, &id);
            if (s2 != TD_OK) {
                td_buf_free(&flags);
                goto done;
            }
            if (id == n_names) {
                uint32_t fv = 0;
                if (nk == 1 && td_map_get(&b->common, keys[0]))
                    fv |= TD_GZN_COMMON;
                td_buf_append(&flags, &fv, 4);
                n_names++;
            }
        }
        char skel[128];
        size_t sl = fl >= 4 ? td_match_skeleton(td_str_make(f, fl), skel, sizeof skel) : 0;
        for (uint32_t x = k; x < e; x++) {
            b->pr[x].id = id;
            if (sl >= 3)
                sk[n_sk++] = (skent){ td_match_key(skel, sl), b->pr[x].place };
        }
        k = e;
    }
    if (flags.failed) {
        td_buf_free(&flags);
        goto done;
    }
    if (td_match_builder_finish(mb, &ac) != TD_OK) {
        td_buf_free(&flags);
        goto done;
    }
    qsort_r(b->pr, b->n_pr, sizeof *b->pr, cmp_pair_id, b);
    qsort_r(sk, n_sk, sizeof *sk, cmp_sk, b);

    /* postings: names then skeletons, duplicates removed */
    td_buf post = TD_BUF_INIT;
    td_buf names = TD_BUF_INIT;
    uint32_t n_post = 0;
    for (uint32_t k = 0; k < b->n_pr;) {
        uint32_t id = b->pr[k].id, e = k;
        if (id == UINT32_MAX) {
            k++;
            continue;
        }
        uint32_t first = n_post;
        while (e < b->n_pr && b->pr[e].id == id) {
            if (e == k || b->pr[e].place != b->pr[e - 1].place) {
                uint8_t v[4];
                put32(v, b->pr[e].place | b->pr[e].alt);
                td_buf_append(&post, v, 4);
                n_post++;
            }
            e++;
        }
        uint8_t rec[12];
        uint32_t fv;
        memcpy(&fv, flags.p + (size_t)id * 4, 4);
        put32(rec, first);
        put32(rec + 4, n_post - first);
        put32(rec + 8, fv);
        td_buf_append(&names, rec, 12);
        k = e;
    }
    td_buf_free(&flags);
    /* skeleton table: load <= 0.5 */
    uint32_t n_distinct = 0;
    for (uint32_t k = 0; k < n_sk; k++)
        n_distinct += k == 0 || sk[k].key != sk[k - 1].key;
    uint32_t sk_slots = 1024;
    while (sk_slots < n_distinct * 2)
        sk_slots *= 2;
    td_buf sktab = TD_BUF_INIT;
    if (td_buf_reserve(&sktab, (size_t)sk_slots * 16)) {
        memset(sktab.p, 0, (size_t)sk_slots * 16);
        sktab.len = (size_t)sk_slots * 16;
    }
    for (uint32_t k = 0; k < n_sk && !sktab.failed;) {
        uint32_t e = k, first = n_post;
        while (e < n_sk && sk[e].key == sk[k].key) {
            if (e == k || sk[e].place != sk[e - 1].place) {
                uint8_t v[4];
                put32(v, sk[e].place | TD_GAZ_ALT);
                td_buf_append(&post, v, 4);
                n_post++;
            }
            e++;
        }
        uint32_t i = (uint32_t)sk[k].key & (sk_slots - 1);
        while (((uint8_t *)sktab.p)[(size_t)i * 16 + 12] | ((uint8_t *)sktab.p)[(size_t)i * 16 + 13] |
               ((uint8_t *)sktab.p)[(size_t)i * 16 + 14] | ((uint8_t *)sktab.p)[(size_t)i * 16 + 15])
            i = (i + 1) & (sk_slots - 1);
        uint8_t *slot = (uint8_t *)sktab.p + (size_t)i * 16;
        put64(slot, sk[k].key);
        put32(slot + 8, first);
        put32(slot + 12, n_post - first);
        k = e;
    }

    /* the file */
    uint8_t hdr[64];
    memset(hdr, 0, sizeof hdr);
    size_t start = out->len;
    td_buf_append(out, hdr, sizeof hdr);
    uint32_t off_places = (uint32_t)(out->len - start);
    for (uint32_t i = 0; i < b->n_pl; i++) {
        const bplace *p = &b->pl[i];
        uint8_t r[32];
        memset(r, 0, sizeof r);
        put32(r, p->gid);
        put32(r + 4, (uint32_t)p->lat);
        put32(r + 8, (uint32_t)p->lon);
        put32(r + 12, p->pop);
        put32(r + 16, p->name_off);
        r[20] = (uint8_t)p->cc[0];
        r[21] = (uint8_t)p->cc[1];
        r[22] = p->kind;
        memcpy(r + 24, p->admin1, 8);
        td_buf_append(out, r, 32);
    }
    uint32_t off_names = (uint32_t)(out->len - start);
    td_buf_append(out, names.p, names.len);
    pad8(out);
    uint32_t off_post = (uint32_t)(out->len - start);
    td_buf_append(out, post.p, post.len);
    pad8(out);
    uint32_t off_sk = (uint32_t)(out->len - start);
    td_buf_append(out, sktab.p, sktab.len);
    uint32_t off_cc = (uint32_t)(out->len - start);
    for (int i = 0; i < 676; i++) {
        uint8_t v[4];
        put32(v, (uint32_t)b->country[i]);
        td_buf_append(out, v, 4);
    }
    uint32_t off_str = (uint32_t)(out->len - start);
    td_buf_append(out, b->disp.p, b->disp.len);
    pad8(out);
    uint32_t off_ac = (uint32_t)(out->len - start);
    td_buf_append(out, ac.p, ac.len);
    bool failed = out->failed || post.failed || names.failed || sktab.failed || b->disp.failed;
    td_buf_free(&post);
    td_buf_free(&names);
    td_buf_free(&sktab);
    if (failed)
        goto done;
    uint8_t *h = (uint8_t *)out->p + start;
    memcpy(h, "TDGZ", 4);
    put32(h + 4, TD_GAZ_VERSION);
    put32(h + 8, b->n_pl);
    put32(h + 12, n_names);
    put32(h + 16, n_post);
    put32(h + 20, sk_slots);
    put32(h + 24, off_places);
    put32(h + 28, off_names);
    put32(h + 32, off_post);
    put32(h + 36, off_sk);
    put32(h + 40, off_cc);
    put32(h + 44, off_str);
    put32(h + 48, (uint32_t)b->disp.len);
    put32(h + 52, off_ac);
    put32(h + 56, (uint32_t)ac.len);
    st = TD_OK;
done:
    td_match_builder_free(mb);
    td_buf_free(&ac);
    td_free(sk);
    return st;
}
