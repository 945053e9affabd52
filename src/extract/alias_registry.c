/*
 * alias_registry.c - the corpus-level entity registry (contract in alias.h).
 *
 * Each entity keeps its forms (surface, count, articles) in a growable
 * array; merging two entities appends the child's forms to the root's and
 * links the child to the root (union-find with path halving). Look-up maps
 * (base/map.h, u64 -> id + 1) are keyed by hashes that mix a tag, the type
 * and the folded string, so one map serves several indexes:
 *   actor, place, name (folded form of any alias), surname skeleton
 *   (people: a chain through next_sk), acronym (organisations).
 * A surname-skeleton chain is walked to find transliteration variants: its
 * length is bounded by how many people share a surname skeleton.
 */
#include "extract/alias.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/map.h"

typedef struct form {
    char *surface;
    uint32_t count;
    uint32_t *arts;        /* article indexes, ascending */
    uint32_t n_arts, cap_arts;
} form;

typedef struct rent {
    uint32_t parent;
    uint8_t type, kind;
    int32_t actor, place;
    char cc[3];
    uint8_t precision;
    uint32_t within;       /* place < 0: container place + 1 lending its point */
    char *fname;           /* folded canonical form */
    char *name;            /* canonical name */
    uint32_t name_words;
    uint32_t n_mentions;
    form *forms;
    uint32_t n_forms, cap_forms;
    uint32_t *arts;        /* distinct articles */
    uint32_t n_arts, cap_arts;
    uint32_t next_sk;      /* next person with the same surname skeleton, +1 */
    uint32_t next_vsk;     /* next org/place with the same name skeleton, +1 */
} rent;

struct td_entity_registry {
    const td_entity_models *md;
    rent *e;
    uint32_t n, cap;
    char **art_ids;
    uint32_t n_art, cap_art;
    td_map idx;
    td_buf tmp;
};

/* True when container a (place + 1, 0 none) is more precise than b: any
 * town over a province over a country, so an entity named in several
 * articles keeps the best point one of them gives. */
static bool finer_within(const td_entity_registry *r, uint32_t a, uint32_t b)
{
    if (!a || !r->md || !r->md->gaz || a > td_gazetteer_count(r->md->gaz))
        return false;
    if (!b || b > td_gazetteer_count(r->md->gaz))
        return true;
    td_place pa, pb;
    td_gazetteer_place(r->md->gaz, a - 1, &pa);
    td_gazetteer_place(r->md->gaz, b - 1, &pb);
    int la = pa.kind >= TD_PLACE_CAPITAL ? 3 : (int)pa.kind, lb = pb.kind >= TD_PLACE_CAPITAL ? 3 : (int)pb.kind;
    return la > lb;
}

enum { K_ACTOR = 1, K_PLACE, K_NAME, K_SK, K_ACR, K_VSK };

static uint64_t kmix(uint64_t tag, uint64_t type, uint64_t v)
{
    uint64_t x = v ^ (tag << 56) ^ (type << 48) ^ 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return x;
}

static uint64_t kstr(int tag, int type, td_str s)
{
    return kmix((uint64_t)tag, (uint64_t)type, td_match_key(s.p, s.len));
}

td_entity_registry *td_entity_registry_new(const td_entity_models *md)
{
    td_entity_registry *r = td_calloc(1, sizeof *r);
    if (r)
        r->md = md;
    return r;
}

void td_entity_registry_free(td_entity_registry *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->n; i++) {
        rent *e = &r->e[i];
        for (uint32_t k = 0; k < e->n_forms; k++) {
            td_free(e->forms[k].surface);
            td_free(e->forms[k].arts);
        }
        td_free(e->forms);
        td_free(e->arts);
        td_free(e->fname);
        td_free(e->name);
    }
    td_free(r->e);
    for (uint32_t i = 0; i < r->n_art; i++)
        td_free(r->art_ids[i]);
    td_free(r->art_ids);
    td_map_free(&r->idx);
    td_buf_free(&r->tmp);
    td_free(r);
}

uint32_t td_entity_registry_count(const td_entity_registry *r)
{
    return r->n;
}

uint32_t td_entity_registry_root(const td_entity_registry *r, uint32_t id)
{
    if (id >= r->n)
        return id;
    while (r->e[id].parent != id)
        id = r->e[id].parent;
    return id;
}

static uint32_t root_mut(td_entity_registry *r, uint32_t id)
{
    while (r->e[id].parent != id) {
        r->e[id].parent = r->e[r->e[id].parent].parent; /* path halving */
        id = r->e[id].parent;
    }
    return id;
}

/* Folds s into r->tmp; the view is valid until the next fold. */
static td_str fold(td_entity_registry *r, td_str s)
{
    td_buf_clear(&r->tmp);
    td_match_fold(s, &r->tmp);
    return td_buf_str(&r->tmp);
}

static bool idx_put(td_entity_registry *r, uint64_t key, uint32_t id)
{
    uint64_t *v = td_map_upsert(&r->idx, key);
    if (!v)
        return false;
    if (!*v)
        *v = (uint64_t)id + 1;
    return true;
}

static int64_t idx_get(td_entity_registry *r, uint64_t key)
{
    uint64_t *v = td_map_get(&r->idx, key);
    return v && *v ? (int64_t)root_mut(r, (uint32_t)(*v - 1)) : -1;
}

static bool add_u32(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x)
{
    if (*n && (*v)[*n - 1] == x)
        return true;
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 4;
        uint32_t *nv = td_realloc(*v, (size_t)nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return true;
}

/* Adds count uses of surface from article art to entity id (a root). */
static bool add_form(td_entity_registry *r, uint32_t id, td_str surface, uint32_t count,
                     uint32_t art)
{
    rent *e = &r->e[id];
    form *f = NULL;
    for (uint32_t k = 0; k < e->n_forms; k++)
        if (strlen(e->forms[k].surface) == surface.len &&
            memcmp(e->forms[k].surface, surface.p, surface.len) == 0) {
            f = &e->forms[k];
            break;
        }
    if (!f) {
        if (e->n_forms == e->cap_forms) {
            uint32_t nc = e->cap_forms ? e->cap_forms * 2 : 4;
            form *nf = td_realloc(e->forms, (size_t)nc * sizeof *nf);
            if (!nf)
                return false;
            e->forms = nf;
            e->cap_forms = nc;
        }
        f = &e->forms[e->n_forms];
        memset(f, 0, sizeof *f);
        f->surface = td_strndup(surface.p, surface.len);
        if (!f->surface)
            return false;
        e->n_forms++;
        if (!idx_put(r, kstr(K_NAME, e->type, fold(r, surface)), id))
            return false;
    }
    f->count += count;
    return add_u32(&f->arts, &f->n_arts, &f->cap_arts, art);
}

/* The surname skeleton key of a folded person name; 0 when it has none. */
static uint64_t surname_key(td_str fname)
{
    td_str w[8];
    uint32_t n = td_alias_words(fname, w, 8);
    if (n == 0)
        return 0;
    char sk[64];
    size_t l = td_match_skeleton(w[n - 1], sk, sizeof sk);
    return l ? kstr(K_SK, TD_ENT_PERSON, td_str_make(sk, l)) : 0;
}

/* The key of the skeleton of a whole folded name, spaces and a leading
 * article dropped: spellings that td_alias_name_eq may join share it. */
static uint64_t name_skel_key(td_str fname)
{
    char sk[128];
    size_t l = td_match_skeleton(fname, sk, sizeof sk);
    return l >= 2 ? kstr(K_VSK, 0, td_str_make(sk, l)) : 0;
}

/* The keys under which a spelling of fname may be filed: its own skeleton
 * key, the key with the article glued on ("al manara" as "almanara") and
 * without a glued article ("almanara" as "manara"). Returns the count. */
static uint32_t variant_keys(td_str fname, uint64_t keys[3])
{
    uint32_t n = 0;
    uint64_t k = name_skel_key(fname);
    if (k)
        keys[n++] = k;
    char buf[128];
    size_t sp = 0;
    while (sp < fname.len && fname.p[sp] != ' ')
        sp++;
    if (sp < fname.len && td_match_is_article(td_str_make(fname.p, sp)) && fname.len < sizeof buf) {
        /* "al manara tv" -> "almanara tv" */
        size_t l = 0;
        for (size_t i = 0; i < fname.len; i++)
            if (i != sp)
                buf[l++] = fname.p[i];
        k = name_skel_key(td_str_make(buf, l));
        if (k && k != keys[0])
            keys[n++] = k;
    } else if (sp > 5 && (memcmp(fname.p, "al", 2) == 0 || memcmp(fname.p, "el", 2) == 0)) {
        k = name_skel_key(td_str_make(fname.p + 2, fname.len - 2)); /* "almanara" -> "manara" */
        if (k && (!n || k != keys[0]))
            keys[n++] = k;
    }
    return n;
}

static uint32_t words_of(td_str f)
{
    td_str w[16];
    return td_alias_words(f, w, 16);
}

/* Opens a new entity for article entity ae. Returns its id or -1. */
static int64_t new_entity(td_entity_registry *r, const td_art_entity *ae, td_str fname)
{
    if (r->n == r->cap) {
        uint32_t nc = r->cap ? r->cap * 2 : 256;
        rent *ne = td_realloc(r->e, (size_t)nc * sizeof *ne);
        if (!ne)
            return -1;
        r->e = ne;
        r->cap = nc;
    }
    uint32_t id = r->n;
    rent *e = &r->e[id];
    memset(e, 0, sizeof *e);
    e->parent = id;
    e->type = ae->type;
    e->kind = ae->kind;
    e->actor = ae->actor;
    e->place = ae->place;
    e->precision = ae->precision;
    e->within = ae->place < 0 ? ae->within : 0;
    memcpy(e->cc, ae->cc, 3);
    e->name = td_strndup(ae->name.p, ae->name.len);
    e->fname = td_strndup(fname.p, fname.len);
    if (!e->name || !e->fname) {
        td_free(e->name);
        td_free(e->fname);
        return -1;
    }
    /* a place's name is the gazetteer's */
    if (ae->place >= 0 && r->md && r->md->gaz && ae->precision) {
        td_place p;
        td_gazetteer_place(r->md->gaz, (uint32_t)ae->place, &p);
        char *nm = td_strdup(p.name);
        if (nm && *nm) {
            td_free(e->name);
            e->name = nm;
        } else {
            td_free(nm);
        }
    }
    e->name_words = words_of(fname);
    r->n++;
    bool ok = true;
    if (ae->actor >= 0)
        ok &= idx_put(r, kmix(K_ACTOR, 0, (uint64_t)ae->actor), id);
    if (ae->place >= 0)
        ok &= idx_put(r, kmix(K_PLACE, 0, (uint64_t)ae->place), id);
    ok &= idx_put(r, kstr(K_NAME, e->type, fname), id);
    if (e->type == TD_ENT_PERSON && e->name_words >= 2) {
        uint64_t sk = surname_key(fname);
        uint64_t *v = sk ? td_map_upsert(&r->idx, sk) : NULL;
        if (sk && !v)
            return -1;
        if (v) {
            e->next_sk = (uint32_t)*v; /* chain: previous head */
            *v = (uint64_t)id + 1;
        }
    }
    if (e->type != TD_ENT_PERSON || e->name_words == 1) {
        uint64_t vk = name_skel_key(fname);
        uint64_t *v = vk ? td_map_upsert(&r->idx, vk) : NULL;
        if (vk && !v)
            return -1;
        if (v) {
            e->next_vsk = (uint32_t)*v;
            *v = (uint64_t)id + 1;
        }
    }
    if (e->type == TD_ENT_ORG && e->name_words >= 2) {
        /* its initials, so a bare acronym elsewhere finds it */
        char ini[32];
        size_t n = 0;
        td_str w[16];
        uint32_t nw = td_alias_words(fname, w, 16);
        for (uint32_t k = 0; k < nw && n < sizeof ini; k++) {
            if (td_str_eq(w[k], TD_STR_LIT("of")) || td_str_eq(w[k], TD_STR_LIT("the")) ||
                td_str_eq(w[k], TD_STR_LIT("and")) || td_str_eq(w[k], TD_STR_LIT("for")))
                continue;
            ini[n++] = w[k].p[0];
        }
        if (n >= 2) {
            uint64_t key = kstr(K_ACR, TD_ENT_ORG, td_str_make(ini, n));
            uint64_t *v = td_map_upsert(&r->idx, key);
            if (!v)
                return -1;
            /* two organisations with the same initials: the acronym is ambiguous */
            if (*v == 0)
                *v = (uint64_t)id + 1;
            else if (*v != UINT64_MAX && root_mut(r, (uint32_t)(*v - 1)) != id)
                *v = UINT64_MAX;
        }
    }
    return ok ? (int64_t)id : -1;
}

/* Merges entity b into a (both roots). */
static bool merge(td_entity_registry *r, uint32_t a, uint32_t b)
{
    if (a == b)
        return true;
    rent *eb = &r->e[b];
    for (uint32_t k = 0; k < eb->n_forms; k++) {
        form *f = &eb->forms[k];
        for (uint32_t j = 0; j < f->n_arts; j++)
            if (!add_form(r, a, td_str_cstr(f->surface), j == 0 ? f->count : 0, f->arts[j]))
                return false;
    }
    rent *ea = &r->e[a];
    eb = &r->e[b];
    for (uint32_t j = 0; j < eb->n_arts; j++)
        if (!add_u32(&ea->arts, &ea->n_arts, &ea->cap_arts, eb->arts[j]))
            return false;
    ea->n_mentions += eb->n_mentions;
    if (ea->place < 0 && eb->place >= 0) {
        ea->place = eb->place;
        ea->precision = eb->precision;
    }
    if (finer_within(r, eb->within, ea->within))
        ea->within = eb->within;
    if (!ea->cc[0])
        memcpy(ea->cc, eb->cc, 3);
    eb->parent = a;
    return true;
}

/* The person entity full name fname stands for, or -1. */
static int64_t find_person(td_entity_registry *r, td_str fname)
{
    uint64_t sk = surname_key(fname);
    uint64_t *v = sk ? td_map_get(&r->idx, sk) : NULL;
    uint32_t nw = words_of(fname);
    int64_t found = -1;
    uint32_t nfound = 0;
    for (uint32_t id = v ? (uint32_t)*v : 0; id; id = r->e[id - 1].next_sk) {
        uint32_t rid = root_mut(r, id - 1);
        rent *e = &r->e[rid];
        td_str ef = td_str_cstr(r->e[id - 1].fname);
        bool hit;
        if (nw >= 2) {
            hit = td_alias_person_eq(ef, fname);
        } else {
            /* a surname alone: the last word of one person only */
            td_str w[8], x[8];
            uint32_t ne = td_alias_words(ef, w, 8);
            hit = ne >= 2 && td_alias_words(fname, x, 8) == 1 && td_alias_word_eq(w[ne - 1], x[0]);
        }
        if (hit && e->type == TD_ENT_PERSON) {
            if (found != (int64_t)rid)
                nfound++;
            found = rid;
        }
    }
    return nfound == 1 ? found : -1;
}

/* An organisation or place known under a spelling variant of fname (type
 * 0: either), of the same country when both have one; -1 when none or when
 * two fit. Walks the chain of one name skeleton. */
static int64_t find_variant(td_entity_registry *r, uint8_t type, const char *cc, td_str fname)
{
    uint64_t keys[3];
    uint32_t nk = variant_keys(fname, keys);
    int64_t found = -1;
    for (uint32_t q = 0; q < nk; q++) {
    const uint64_t *v = td_map_get(&r->idx, keys[q]);
    for (uint32_t id = v ? (uint32_t)*v : 0; id; id = r->e[id - 1].next_vsk) {
        const rent *c = &r->e[id - 1];
        uint32_t rid = root_mut(r, id - 1);
        const rent *e = &r->e[rid];
        if (type ? e->type != type : (e->type == TD_ENT_PERSON || e->type == TD_ENT_NONE))
            continue;
        if (cc[0] && e->cc[0] && memcmp(cc, e->cc, 2) != 0)
            continue;
        if (!td_alias_name_eq(td_str_cstr(c->fname), fname))
            continue;
        if (found >= 0 && found != (int64_t)rid)
            return -1;
        found = rid;
    }
    }
    return found;
}

/* Merges into entity id every untyped root spelled like fname. */
static bool absorb_untyped(td_entity_registry *r, uint32_t id, td_str fname)
{
    uint64_t keys[3];
    uint32_t nk = variant_keys(fname, keys);
    for (uint32_t q = 0; q < nk; q++) {
    const uint64_t *v = td_map_get(&r->idx, keys[q]);
    for (uint32_t k = v ? (uint32_t)*v : 0; k; k = r->e[k - 1].next_vsk) {
        uint32_t rid = root_mut(r, k - 1);
        if (rid == id || r->e[rid].type != TD_ENT_NONE ||
            !td_alias_name_eq(td_str_cstr(r->e[k - 1].fname), fname))
            continue;
        if (!merge(r, id, rid))
            return false;
    }
    }
    return true;
}

static bool is_acronym(td_str s)
{
    size_t letters = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c >= 'a' && c <= 'z')
            return false;
        letters += c >= 'A' && c <= 'Z';
    }
    return letters >= 2 && letters <= 8;
}

/* Resolves one article entity to a root id, opening one if nothing fits. */
static int64_t resolve(td_entity_registry *r, const td_art_entity *ae)
{
    int64_t id = -1;
    if (ae->actor >= 0) {
        id = idx_get(r, kmix(K_ACTOR, 0, (uint64_t)ae->actor));
    } else if (ae->place >= 0) {
        id = idx_get(r, kmix(K_PLACE, 0, (uint64_t)ae->place));
    }
    char *fn = NULL;
    td_str f = fold(r, ae->name);
    fn = td_strndup(f.p, f.len);
    if (!fn)
        return -2;
    td_str fname = td_str_make(fn, f.len);
    if (id < 0 && ae->actor < 0 && ae->place < 0) {
        for (int t = ae->type ? ae->type : 1; t <= (ae->type ? ae->type : 3) && id < 0; t++)
            id = idx_get(r, kstr(K_NAME, t, fname));
    }
    if (id < 0 && (ae->type == TD_ENT_PERSON || ae->type == TD_ENT_NONE))
        id = find_person(r, fname);
    if (id < 0 && (ae->type == TD_ENT_ORG || ae->type == TD_ENT_NONE) && ae->actor < 0 &&
        is_acronym(ae->name)) {
        td_str w[1];
        (void)w;
        char ini[32];
        size_t n = 0;
        for (size_t i = 0; i < ae->name.len && n < sizeof ini; i++) {
            char c = ae->name.p[i];
            if (c >= 'A' && c <= 'Z')
                ini[n++] = (char)(c + 32);
        }
        uint64_t *v = td_map_get(&r->idx, kstr(K_ACR, TD_ENT_ORG, td_str_make(ini, n)));
        if (v && *v && *v != UINT64_MAX)
            id = root_mut(r, (uint32_t)(*v - 1));
    }
    if (id < 0 && ae->actor < 0 && ae->place < 0 && ae->type != TD_ENT_PERSON)
        id = find_variant(r, ae->type, ae->cc, fname);
    if (id < 0 && ae->type == TD_ENT_NONE)
        id = find_variant(r, TD_ENT_NONE, ae->cc, fname);
    if (id < 0) {
        id = new_entity(r, ae, fname);
        /* names seen untyped so far join the first entity that explains them */
        if (id >= 0 && ae->type != TD_ENT_NONE && ae->type != TD_ENT_PERSON &&
            !absorb_untyped(r, (uint32_t)id, fname))
            id = -1;
    }
    td_free(fn);
    return id < 0 ? -2 : id;
}

static int64_t article_index(td_entity_registry *r, td_str article_id)
{
    if (r->n_art && strlen(r->art_ids[r->n_art - 1]) == article_id.len &&
        memcmp(r->art_ids[r->n_art - 1], article_id.p, article_id.len) == 0)
        return r->n_art - 1;
    if (r->n_art == r->cap_art) {
        uint32_t nc = r->cap_art ? r->cap_art * 2 : 256;
        char **na = td_realloc(r->art_ids, (size_t)nc * sizeof *na);
        if (!na)
            return -1;
        r->art_ids = na;
        r->cap_art = nc;
    }
    char *s = td_strndup(article_id.p, article_id.len);
    if (!s)
        return -1;
    r->art_ids[r->n_art] = s;
    return r->n_art++;
}

td_status td_entity_registry_add(td_entity_registry *r, td_str article_id,
                                 const td_entities *ents, uint32_t *ids)
{
    int64_t art = article_index(r, article_id);
    if (art < 0)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < ents->n_entities; i++) {
        const td_art_entity *ae = &ents->e[i];
        if (ids)
            ids[i] = TD_NO_ENT;
        if (!ae->name.len)
            continue;
        int64_t id = resolve(r, ae);
        if (id == -1)
            continue; /* an untyped name nothing matched */
        if (id < 0)
            return TD_ENOMEM;
        /* a full name joining an entity known so far by its surname or its
         * acronym only: the entity takes the fuller name */
        rent *e = &r->e[id];
        td_str f = fold(r, ae->name);
        uint32_t nw = words_of(f);
        if (e->actor < 0 && e->place < 0 && nw > e->name_words) {
            char *nm = td_strndup(ae->name.p, ae->name.len);
            char *fn = td_strndup(f.p, f.len);
            if (!nm || !fn) {
                td_free(nm);
                td_free(fn);
                return TD_ENOMEM;
            }
            td_free(e->name);
            td_free(e->fname);
            e->name = nm;
            e->fname = fn;
            e->name_words = nw;
            if (!idx_put(r, kstr(K_NAME, e->type, td_str_make(fn, strlen(fn))), (uint32_t)id))
                return TD_ENOMEM;
        }
        /* a person known so far by the surname alone joins the one full
         * name with that surname */
        if (e->type == TD_ENT_PERSON && nw >= 2) {
            td_str w[8];
            uint32_t n2 = td_alias_words(td_str_make(e->fname, strlen(e->fname)), w, 8);
            char *sur = n2 ? td_strndup(w[n2 - 1].p, w[n2 - 1].len) : NULL;
            if (n2 && !sur)
                return TD_ENOMEM;
            for (int t = TD_ENT_NONE; sur && t <= TD_ENT_PERSON; t++) {
                int64_t single = idx_get(r, kstr(K_NAME, t, td_str_cstr(sur)));
                if (single >= 0 && single != id && r->e[single].name_words == 1 &&
                    (r->e[single].type == TD_ENT_PERSON || r->e[single].type == TD_ENT_NONE) &&
                    find_person(r, td_str_cstr(sur)) == id &&
                    !merge(r, (uint32_t)id, (uint32_t)single)) {
                    td_free(sur);
                    return TD_ENOMEM;
                }
            }
            td_free(sur);
            e = &r->e[id];
        }
        /* an acronym-only entity opened earlier joins */
        if (e->type == TD_ENT_ORG && nw >= 2 && e->actor < 0) {
            for (uint32_t k = 0; k < r->n; k++) {
                rent *o = &r->e[k];
                if (o->parent != k || k == (uint32_t)id || o->type != TD_ENT_ORG || o->actor >= 0 ||
                    !is_acronym(td_str_cstr(o->name)))
                    continue;
                if (td_alias_is_acronym_of(td_str_cstr(o->name), td_str_make(e->fname, strlen(e->fname))) &&
                    !merge(r, (uint32_t)id, k))
                    return TD_ENOMEM;
            }
        }
        e = &r->e[id];
        uint32_t named = ae->n_mentions;
        for (uint32_t k = 0; k < ae->n_aliases; k++)
            named = named > ae->alias_n[k] ? named - ae->alias_n[k] : 0;
        if (!add_form(r, (uint32_t)id, ae->name, named ? named : 1, (uint32_t)art))
            return TD_ENOMEM;
        for (uint32_t k = 0; k < ae->n_aliases; k++)
            if (!add_form(r, (uint32_t)id, ae->aliases[k], ae->alias_n[k], (uint32_t)art))
                return TD_ENOMEM;
        e = &r->e[id];
        e->n_mentions += ae->n_mentions;
        if (e->place < 0 && ae->place >= 0) {
            e->place = ae->place;
            e->precision = ae->precision;
            if (!idx_put(r, kmix(K_PLACE, 0, (uint64_t)ae->place), (uint32_t)id))
                return TD_ENOMEM;
        }
        if (e->place < 0 && ae->place < 0 && finer_within(r, ae->within, e->within)) {
            e->within = ae->within;
            if (!e->precision)
                e->precision = ae->precision;
        }
        if (!e->cc[0] && ae->cc[0])
            memcpy(e->cc, ae->cc, 3);
        if (!add_u32(&e->arts, &e->n_arts, &e->cap_arts, (uint32_t)art))
            return TD_ENOMEM;
        if (ids)
            ids[i] = (uint32_t)id;
    }
    return TD_OK;
}

bool td_entity_registry_get(const td_entity_registry *r, uint32_t id, td_entity_info *out)
{
    if (id >= r->n)
        return false;
    id = td_entity_registry_root(r, id);
    const rent *e = &r->e[id];
    memset(out, 0, sizeof *out);
    out->id = id;
    out->type = (td_ent_type)e->type;
    out->kind = e->kind;
    out->name = e->name;
    out->actor = e->actor;
    out->place = e->place;
    memcpy(out->country, e->cc, 3);
    out->lat = out->lon = NAN;
    out->precision = e->precision;
    out->n_mentions = e->n_mentions;
    out->n_articles = e->n_arts;
    for (uint32_t k = 0; k < e->n_forms; k++)
        out->n_aliases += strcmp(e->forms[k].surface, e->name) != 0;
    if (e->place >= 0 && r->md && r->md->gaz) {
        td_place p;
        td_gazetteer_place(r->md->gaz, (uint32_t)e->place, &p);
        out->lat = p.lat;
        out->lon = p.lon;
        out->geonameid = p.geonameid;
        memcpy(out->country, p.country, 3);
    } else if (e->within && r->md && r->md->gaz && e->within <= td_gazetteer_count(r->md->gaz)) {
        /* the container's point, marked approximate (within) */
        td_place p;
        td_gazetteer_place(r->md->gaz, e->within - 1, &p);
        out->lat = p.lat;
        out->lon = p.lon;
        out->within = e->within;
        if (!out->country[0])
            memcpy(out->country, p.country, 3);
    }
    return true;
}

td_str td_entity_registry_alias(const td_entity_registry *r, uint32_t id, uint32_t k,
                                uint32_t *count)
{
    id = td_entity_registry_root(r, id);
    if (id >= r->n)
        return (td_str){ NULL, 0 };
    const rent *e = &r->e[id];
    for (uint32_t j = 0; j < e->n_forms; j++) {
        if (strcmp(e->forms[j].surface, e->name) == 0)
            continue;
        if (k-- == 0) {
            if (count)
                *count = e->forms[j].count;
            return td_str_cstr(e->forms[j].surface);
        }
    }
    return (td_str){ NULL, 0 };
}

td_str td_entity_registry_article(const td_entity_registry *r, uint32_t id, uint32_t k)
{
    id = td_entity_registry_root(r, id);
    if (id >= r->n || k >= r->e[id].n_arts)
        return (td_str){ NULL, 0 };
    return td_str_cstr(r->art_ids[r->e[id].arts[k]]);
}

int64_t td_entity_registry_find(const td_entity_registry *r, td_str name, td_ent_type type)
{
    td_buf b = TD_BUF_INIT;
    td_match_fold(name, &b);
    int64_t id = -1;
    for (int t = type ? (int)type : 1; t <= (type ? (int)type : 3) && id < 0; t++) {
        const uint64_t *v = td_map_get(&r->idx, kstr(K_NAME, t, td_buf_str(&b)));
        if (v && *v)
            id = td_entity_registry_root(r, (uint32_t)(*v - 1));
    }
    td_buf_free(&b);
    return id;
}
