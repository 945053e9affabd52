/*
 * alias.c - within-article alias resolution (td_alias_resolve_article in
 * extract_int.h) and the transliteration-tolerant name comparison that the
 * corpus registry (alias_registry.c) shares.
 *
 * Passes over the mentions of one article, in text order:
 *   1. named mentions open or join entities: lexicon actors by actor, places
 *      by gazetteer record, people by full name (transliteration variants
 *      join: "al-Tessali" = "al-Tessaly"), organisations by folded name;
 *   2. brackets define aliases: "Crimson Dawn Front (CDF)", "Islamic State
 *      (IS, formerly ISIS/ISIL)";
 *   3. short forms join the entity they shorten: a surname or a given name
 *      alone (only when one person of the article fits), an acronym of an
 *      organisation's initials, a leading part of an organisation's name
 *      ("Crimson Dawn"), "the Front" to the last organisation named "... Front",
 *      and "the group"/"the militants" to the one armed group named in the
 *      three sentences before;
 *   4. entities are built: canonical name (the lexicon's, the gazetteer's,
 *      else the longest form written), aliases with counts.
 * Mentions left unresolved and untyped are dropped (ent = TD_NO_ENT).
 */
#include "extract/alias.h"

#include <string.h>

#include "extract/extract_int.h"

/* ---- name comparison ---- */

/* Levenshtein distance of two short strings, capped at cap + 1. */
static uint32_t edit_distance(const char *a, size_t la, const char *b, size_t lb, uint32_t cap)
{
    if (la > 63 || lb > 63)
        return cap + 1;
    uint32_t row[64], prev[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (uint32_t)j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = (uint32_t)i;
        uint32_t best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            uint32_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (row[j - 1] + 1 < d)
                d = row[j - 1] + 1;
            row[j] = d;
            if (d < best)
                best = d;
        }
        if (best > cap)
            return cap + 1;
        memcpy(prev, row, (lb + 1) * sizeof *row);
    }
    return prev[lb];
}

/* Letters with doubles collapsed, q as k, y as i: "Rassoul" -> "rasoul". */
static size_t squeeze(td_str w, char *out, size_t cap)
{
    size_t n = 0;
    char last = 0;
    for (size_t i = 0; i < w.len && n + 1 < cap; i++) {
        char c = w.p[i];
        if (c == 'q')
            c = 'k';
        if (c == 'y' && i > 0)
            c = 'i';
        if (c == last)
            continue;
        out[n++] = c;
        last = c;
    }
    out[n] = '\0';
    return n;
}

bool td_alias_word_eq(td_str a, td_str b)
{
    if (td_str_eq(a, b))
        return true;
    if (a.len < 3 || b.len < 3)
        return false;
    char sa[64], sb[64], ka[64], kb[64];
    size_t la = td_match_skeleton(a, ka, sizeof ka), lb = td_match_skeleton(b, kb, sizeof kb);
    if (la != lb || memcmp(ka, kb, la) != 0)
        return false;
    la = squeeze(a, sa, sizeof sa);
    lb = squeeze(b, sb, sizeof sb);
    if (la == lb && memcmp(sa, sb, la) == 0)
        return true;
    size_t m = la < lb ? la : lb;
    uint32_t cap = m >= 8 ? 2 : 1;
    return sa[0] == sb[0] && edit_distance(sa, la, sb, lb, cap) <= cap;
}

uint32_t td_alias_words(td_str folded, td_str *out, uint32_t cap)
{
    uint32_t n = 0;
    size_t i = 0;
    while (i < folded.len && n < cap) {
        while (i < folded.len && folded.p[i] == ' ')
            i++;
        size_t s = i;
        while (i < folded.len && folded.p[i] != ' ')
            i++;
        if (i > s) {
            td_str w = td_str_make(folded.p + s, i - s);
            /* "al", "el", "ad": transliteration, not part of the name */
            if (!td_match_is_article(w) || i >= folded.len)
                out[n++] = w;
        }
    }
    return n;
}

bool td_alias_person_eq(td_str fa, td_str fb)
{
    td_str wa[8], wb[8];
    uint32_t na = td_alias_words(fa, wa, 8), nb = td_alias_words(fb, wb, 8);
    if (!na || !nb)
        return false;
    if (na == nb) {
        for (uint32_t i = 0; i < na; i++)
            if (!td_alias_word_eq(wa[i], wb[i]))
                return false;
        return true;
    }
    /* "Tomas Brenn" in "Tomas Aldo Brenn": same first and last word,
     * the shorter's words in order in the longer */
    td_str *s = na < nb ? wa : wb, *l = na < nb ? wb : wa;
    uint32_t ns = na < nb ? na : nb, nl = na < nb ? nb : na;
    if (ns < 2 || !td_alias_word_eq(s[0], l[0]))
        return false;
    uint32_t j = 1;
    for (uint32_t i = 1; i < ns; i++) {
        while (j < nl && !td_alias_word_eq(s[i], l[j]))
            j++;
        if (j == nl)
            return false;
        j++;
    }
    return true;
}

bool td_alias_name_eq(td_str fa, td_str fb)
{
    td_str wa[8], wb[8];
    uint32_t na = td_alias_words(fa, wa, 8), nb = td_alias_words(fb, wb, 8);
    if (na && na == nb) {
        uint32_t i = 0;
        while (i < na && td_alias_word_eq(wa[i], wb[i]))
            i++;
        if (i == na)
            return true;
    }
    /* written together or apart: "almasirah" / "al masirah" */
    char ca[64], cb[64];
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < fa.len && la + 1 < sizeof ca; i++)
        if (fa.p[i] != ' ')
            ca[la++] = fa.p[i];
    for (size_t i = 0; i < fb.len && lb + 1 < sizeof cb; i++)
        if (fb.p[i] != ' ')
            cb[lb++] = fb.p[i];
    if ((na < 2 && nb < 2) || la < 6 || lb < 6)
        return false;
    return td_alias_word_eq(td_str_make(ca, la), td_str_make(cb, lb));
}

bool td_alias_is_acronym_of(td_str acr, td_str folded_name)
{
    /* initials of the name's words but of/the/and/for */
    char ini[32];
    size_t n = 0, i = 0;
    while (i < folded_name.len && n < sizeof ini) {
        while (i < folded_name.len && folded_name.p[i] == ' ')
            i++;
        size_t s = i;
        while (i < folded_name.len && folded_name.p[i] != ' ')
            i++;
        size_t l = i - s;
        const char *w = folded_name.p + s;
        if (!l)
            break;
        if ((l == 2 && memcmp(w, "of", 2) == 0) || (l == 3 && memcmp(w, "the", 3) == 0) ||
            (l == 3 && memcmp(w, "and", 3) == 0) || (l == 3 && memcmp(w, "for", 3) == 0))
            continue;
        ini[n++] = w[0];
        if (l == 2 && (memcmp(w, "us", 2) == 0 || memcmp(w, "uk", 2) == 0) && n < sizeof ini)
            ini[n++] = w[1]; /* "US Forest Service" -> USFS */
    }
    size_t k = 0;
    for (size_t j = 0; j < acr.len; j++) {
        char c = acr.p[j];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c < 'a' || c > 'z')
            continue;
        if (k >= n || ini[k] != c)
            return false;
        k++;
    }
    return k == n && n >= 2;
}

/* ---- article resolution ---- */

typedef struct aent {
    uint8_t type, kind;
    int32_t actor, place;
    td_str fname;          /* folded name of the best form */
    uint32_t nw;           /* words of fname */
    uint32_t best;         /* mention giving the name */
    uint64_t last_key;     /* key of the last word of the name */
    uint32_t last_sent;
    uint32_t first_mi, last_mi; /* first and last mention joined */
} aent;

typedef struct actx {
    const td_entity_models *md;
    td_str text;
    const td_mtok *t;
    uint32_t nt;
    td_mention *m;
    uint32_t n;
    td_arena *a;
    aent *e;
    uint32_t ne;
    td_str *fold;          /* folded surface of each mention */
    uint32_t *nw;          /* words of each fold */
    td_map exact;          /* hash of (type, actor, place, fname) -> entity + 1 */
} actx;

static uint64_t last_word_key(td_str f)
{
    size_t i = f.len;
    while (i > 0 && f.p[i - 1] != ' ')
        i--;
    return td_match_key(f.p + i, f.len - i);
}

static uint32_t n_words(td_str f)
{
    td_str w[16];
    return td_alias_words(f, w, 16);
}

/* Key of a named mention for the exact-name map: same actor, same place,
 * or the same type and folded name. */
static uint64_t exact_key(const td_mention *m, td_str f)
{
    if (m->actor >= 0)
        return 0xA000000000000000ull ^ (uint64_t)m->actor;
    if (m->type == TD_ENT_PLACE && m->place >= 0)
        return 0xB000000000000000ull ^ (uint64_t)m->place;
    return td_match_key(f.p, f.len) ^ ((uint64_t)m->type << 56);
}

static uint32_t new_ent(actx *x, uint32_t mi)
{
    td_mention *m = &x->m[mi];
    aent *e = &x->e[x->ne];
    memset(e, 0, sizeof *e);
    e->type = m->type;
    e->kind = m->kind;
    e->actor = m->actor;
    e->place = m->place;
    e->fname = x->fold[mi];
    e->nw = x->nw[mi];
    e->best = mi;
    e->last_key = last_word_key(x->fold[mi]);
    e->last_sent = m->sent;
    e->first_mi = e->last_mi = mi;
    m->ent = x->ne;
    uint64_t *v = td_map_upsert(&x->exact, exact_key(m, x->fold[mi]));
    if (v && !*v)
        *v = (uint64_t)x->ne + 1;
    return x->ne++;
}

static void join(actx *x, uint32_t mi, uint32_t ei)
{
    td_mention *m = &x->m[mi];
    aent *e = &x->e[ei];
    m->ent = ei;
    e->last_sent = m->sent;
    if (mi > e->last_mi)
        e->last_mi = mi;
    if (mi < e->first_mi)
        e->first_mi = mi;
    /* the fullest form names the entity (not for lexicon actors or places) */
    bool better = m->how != TD_HOW_ANAPHOR && m->how != TD_HOW_PARTIAL &&
                  m->how != TD_HOW_ALIASDEF &&
                  x->nw[mi] > e->nw;
    if (better && e->actor < 0) {
        e->fname = x->fold[mi];
        e->nw = x->nw[mi];
        e->best = mi;
        e->last_key = last_word_key(x->fold[mi]);
    }
    if (e->type == TD_ENT_NONE)
        e->type = m->type;
}

/* Finds an entity for a named mention, or opens one. */
static void resolve_named(actx *x, uint32_t mi)
{
    td_mention *m = &x->m[mi];
    const uint64_t *v = td_map_get(&x->exact, exact_key(m, x->fold[mi]));
    if (v && *v) {
        join(x, mi, (uint32_t)(*v - 1));
        return;
    }
    if (m->actor >= 0 || (m->type == TD_ENT_PLACE && m->place >= 0)) {
        new_ent(x, mi);
        return;
    }
    for (uint32_t k = 0; k < x->ne; k++) {
        aent *e = &x->e[k];
        if (m->actor >= 0) {
            if (e->actor == m->actor) {
                join(x, mi, k);
                return;
            }
            continue;
        }
        if (m->type == TD_ENT_PLACE && m->place >= 0) {
            if (e->type == TD_ENT_PLACE && e->place == m->place) {
                join(x, mi, k);
                return;
            }
            continue;
        }
        if (e->type != m->type || e->actor >= 0)
            continue;
        if (td_str_eq(e->fname, x->fold[mi]) ||
            (m->type == TD_ENT_PERSON && x->nw[mi] >= 2 && e->nw >= 2 &&
             td_alias_person_eq(e->fname, x->fold[mi])) ||
            (m->type != TD_ENT_PERSON && td_alias_name_eq(e->fname, x->fold[mi]))) {
            join(x, mi, k);
            return;
        }
    }
    new_ent(x, mi);
}

/* True when a lower-case word follows mention m directly. */
static bool lower_after(const actx *x, const td_mention *m)
{
    uint32_t end = m->off + m->len, k = m->tok;
    while (k < x->nt && x->t[k].off < end)
        k++;
    return k < x->nt && (x->t[k].flags & TD_MT_LOWER) && (x->t[k].flags & TD_MT_WORD);
}

/* A weak place: one word found in the gazetteer with little support; a
 * person's surname in the same article wins over it ("Moussan"). */
static bool weak_place(const actx *x, uint32_t mi)
{
    const td_mention *m = &x->m[mi];
    return m->type == TD_ENT_PLACE && m->how == TD_HOW_GAZETTEER && m->conf < 0.8f &&
           x->nw[mi] == 1 && m->kind >= TD_PLACE_SEAT2;
}

/* The entity a short form stands for, or TD_NO_ENT: a surname or given name
 * of exactly one person, an acronym or a leading part of one organisation. */
static uint32_t resolve_short(actx *x, uint32_t mi)
{
    td_str f = x->fold[mi];
    td_str w[8];
    uint32_t nw = td_alias_words(f, w, 8);
    uint32_t found = TD_NO_ENT, nfound = 0;
    td_mention *m = &x->m[mi];
    if (nw == 1 && m->type != TD_ENT_ORG && (m->type != TD_ENT_PLACE || weak_place(x, mi))) {
        /* surnames first, then given names */
        for (int pass = 0; pass < 2 && !nfound; pass++) {
            for (uint32_t k = 0; k < x->ne; k++) {
                aent *e = &x->e[k];
                /* a person, or a name of two words or more nothing typed yet */
                if (e->type != TD_ENT_PERSON && (e->type != TD_ENT_NONE || m->type != TD_ENT_NONE))
                    continue;
                td_str ew[8];
                uint32_t ne = td_alias_words(e->fname, ew, 8);
                if (ne < 2)
                    continue;
                td_str cmp = pass == 0 ? ew[ne - 1] : ew[0];
                if (td_alias_word_eq(cmp, w[0])) {
                    if (found != k)
                        nfound++;
                    found = k;
                }
            }
        }
        if (nfound == 1)
            return found;
        if (nfound > 1)
            return TD_NO_ENT; /* two people share it: do not guess */
    }
    if (m->type == TD_ENT_PERSON)
        return TD_NO_ENT;
    /* "Dushashiya" after "Al Dushashiya": the same words but the article */
    nfound = 0;
    found = TD_NO_ENT;
    for (uint32_t k = 0; k < x->ne; k++) {
        aent *e = &x->e[k];
        if ((e->type != TD_ENT_PLACE && e->type != TD_ENT_ORG) || e->actor >= 0)
            continue;
        if (td_alias_name_eq(e->fname, f)) {
            if (found != k)
                nfound++;
            found = k;
        }
    }
    if (nfound == 1)
        return found;
    /* acronym: "CDF" for "Crimson Dawn Front" */
    td_str surf = m->surface;
    bool upper = surf.len >= 2;
    for (size_t i = 0; i < surf.len; i++)
        if (surf.p[i] >= 'a' && surf.p[i] <= 'z')
            upper = false;
    nfound = 0;
    found = TD_NO_ENT;
    for (uint32_t k = 0; k < x->ne; k++) {
        aent *e = &x->e[k];
        if (e->type != TD_ENT_ORG)
            continue;
        bool hit = false;
        if (upper && nw == 1)
            hit = td_alias_is_acronym_of(surf, e->fname);
        /* "Crimson Dawn" of "Crimson Dawn Front"; a one-word prefix only when
         * no lower-case word follows ("Velorian air strikes" is an adjective) */
        if (!hit && e->fname.len > f.len && memcmp(e->fname.p, f.p, f.len) == 0 &&
            e->fname.p[f.len] == ' ' && (nw >= 2 || !lower_after(x, m)))
            hit = true;
        if (hit) {
            if (found != k)
                nfound++;
            found = k;
        }
    }
    return nfound == 1 ? found : TD_NO_ENT;
}

/* Links the mentions inside "( ... )" right after mention mi to its entity. */
static void bracket_aliases(actx *x, uint32_t mi)
{
    td_mention *m = &x->m[mi];
    if (m->ent == TD_NO_ENT || m->type == TD_ENT_PLACE)
        return; /* "Indonesia (Persero)": brackets after a place do not rename it */
    /* the token after the mention */
    uint32_t end_off = m->off + m->len, k = m->tok;
    while (k < x->nt && x->t[k].off < end_off)
        k++;
    if (k >= x->nt || x->t[k].ch != '(')
        return;
    uint32_t close = k + 1;
    while (close < x->nt && close < k + 16 && x->t[close].ch != ')')
        close++;
    if (close >= x->nt || x->t[close].ch != ')')
        return;
    uint32_t lo = x->t[k].off, hi = x->t[close].off;
    for (uint32_t j = mi + 1; j < x->n && x->m[j].off < hi; j++) {
        td_mention *y = &x->m[j];
        if (y->off <= lo || (y->flags & TD_MF_EVIDENCE))
            continue;
        if (y->actor >= 0 && m->actor >= 0 && y->actor != m->actor)
            continue; /* two different known actors */
        /* "(Syria)" locates and "(Reuters)" credits: only a form of the same
         * type, or an untyped one, renames */
        if (y->type != TD_ENT_NONE && y->type != m->type)
            continue;
        y->type = m->type;
        y->kind = m->kind;
        if (y->how != TD_HOW_LEXICON)
            y->how = TD_HOW_ALIASDEF;
        y->ent = m->ent;
    }
}

/* True when the folded name has a word with this key. */
static bool has_word(td_str f, uint64_t key)
{
    size_t i = 0;
    while (i < f.len) {
        size_t s = i;
        while (i < f.len && f.p[i] != ' ')
            i++;
        if (td_match_key(f.p + s, i - s) == key)
            return true;
        i++;
    }
    return false;
}

/* "Yassin Dabour, known as Abu Layth", "X, also known as Y": the mention
 * after the phrase is a form of mi's entity. */
static void known_as_alias(actx *x, uint32_t mi)
{
    td_mention *m = &x->m[mi];
    if (m->ent == TD_NO_ENT || mi + 1 >= x->n)
        return;
    uint32_t end = m->off + m->len, k = m->tok;
    while (k < x->nt && x->t[k].off < end)
        k++;
    if (k < x->nt && x->t[k].ch == ',')
        k++;
    static const char *const skip[] = { "also", "better", "widely", "commonly", "locally",
                                        "popularly", NULL };
    for (int i = 0; skip[i] && k < x->nt; i++)
        if (td_str_ieq(td_str_make(x->text.p + x->t[k].off, x->t[k].len), td_str_cstr(skip[i]))) {
            k++;
            break;
        }
    bool known = k + 2 < x->nt &&
                 td_str_eq(td_str_make(x->text.p + x->t[k].off, x->t[k].len), TD_STR_LIT("known")) &&
                 td_str_eq(td_str_make(x->text.p + x->t[k + 1].off, x->t[k + 1].len), TD_STR_LIT("as"));
    bool alias = k + 1 < x->nt &&
                 (td_str_eq(td_str_make(x->text.p + x->t[k].off, x->t[k].len), TD_STR_LIT("alias")) ||
                  td_str_eq(td_str_make(x->text.p + x->t[k].off, x->t[k].len), TD_STR_LIT("aka")));
    if (!known && !alias)
        return;
    uint32_t at = x->t[k + (known ? 2 : 1)].off;
    td_mention *y = &x->m[mi + 1];
    if (y->off != at || (y->flags & TD_MF_EVIDENCE) || (y->actor >= 0 && y->actor != m->actor))
        return;
    y->type = m->type;
    y->kind = m->kind;
    y->place = -1;
    y->how = TD_HOW_ALIASDEF;
    y->ent = m->ent;
}

/* "the Front", "the Monitor": the last organisation with that word in its
 * name ("Crimson Dawn Front", "Sahrat Monitor for Human Rights"). */
static uint32_t resolve_head_anaphor(actx *x, uint32_t mi)
{
    uint64_t key = last_word_key(x->fold[mi]);
    uint32_t before = TD_NO_ENT, after = TD_NO_ENT;
    for (uint32_t k = 0; k < x->ne; k++) {
        aent *e = &x->e[k];
        if (e->type != TD_ENT_ORG || e->nw < 2 || !has_word(e->fname, key))
            continue;
        /* the nearest named before, else the first named after */
        if (e->first_mi < mi) {
            if (before == TD_NO_ENT || e->last_mi > x->e[before].last_mi)
                before = k;
        } else if (after == TD_NO_ENT || e->first_mi < x->e[after].first_mi) {
            after = k;
        }
    }
    return before != TD_NO_ENT ? before : after;
}

/* "the group": the one armed group named in the three sentences before. */
static uint32_t resolve_group_anaphor(actx *x, uint32_t mi)
{
    td_mention *m = &x->m[mi];
    uint32_t found = TD_NO_ENT;
    for (uint32_t j = mi; j-- > 0;) {
        td_mention *y = &x->m[j];
        if (y->sent + 3 < m->sent)
            break;
        if (y->ent == TD_NO_ENT || y->how == TD_HOW_ANAPHOR)
            continue;
        aent *e = &x->e[y->ent];
        bool group = e->type == TD_ENT_ORG && (e->kind == TD_ORG_GROUP ||
                     (e->actor < 0 && e->kind == TD_ORG_OTHER && e->nw >= 2));
        if (!group)
            continue;
        if (found != TD_NO_ENT && found != y->ent)
            return TD_NO_ENT; /* two groups: unclear */
        found = y->ent;
    }
    return found;
}

static bool build_entities(actx *x, td_art_entity **out, uint32_t *n_out)
{
    td_art_entity *ents = td_arena_calloc(x->a, x->ne + 1, sizeof *ents);
    if (!ents)
        return false;
    /* renumber: entities without a type or a mention are dropped */
    uint32_t *map = td_arena_calloc(x->a, x->ne + 1, sizeof *map);
    uint32_t *cnt = td_arena_calloc(x->a, x->ne + 1, sizeof *cnt);
    if (!map || !cnt)
        return false;
    for (uint32_t i = 0; i < x->n; i++)
        if (x->m[i].ent != TD_NO_ENT)
            cnt[x->m[i].ent]++;
    uint32_t ne = 0;
    for (uint32_t k = 0; k < x->ne; k++) {
        map[k] = TD_NO_ENT;
        if (!cnt[k])
            continue;
        map[k] = ne++;
    }
    for (uint32_t k = 0; k < x->ne; k++) {
        if (map[k] == TD_NO_ENT)
            continue;
        aent *e = &x->e[k];
        td_art_entity *o = &ents[map[k]];
        o->type = e->type;
        o->kind = e->kind;
        o->actor = e->actor;
        o->place = -1;
        o->first = UINT32_MAX;
        const td_mention *bm = &x->m[e->best];
        o->name = bm->surface;
        if (e->actor >= 0 && x->md->lex) {
            const td_actor *ac = td_lexicon_actor(x->md->lex, (uint32_t)e->actor);
            if (ac)
                o->name = td_str_cstr(ac->name);
        }
        o->aliases = td_arena_calloc(x->a, cnt[k] + 1, sizeof *o->aliases);
        o->alias_n = td_arena_calloc(x->a, cnt[k] + 1, sizeof *o->alias_n);
        if (!o->aliases || !o->alias_n)
            return false;
    }
    for (uint32_t i = 0; i < x->n; i++) {
        td_mention *m = &x->m[i];
        if (m->ent == TD_NO_ENT)
            continue;
        m->ent = map[m->ent];
        if (m->ent == TD_NO_ENT)
            continue;
        td_art_entity *o = &ents[m->ent];
        if (o->first == UINT32_MAX)
            o->first = i;
        o->n_mentions++;
        if (m->conf > o->conf)
            o->conf = m->conf;
        if (m->place >= 0 && (o->place < 0 || m->precision < o->precision || !o->precision)) {
            o->place = m->place;
            o->precision = m->precision;
            o->kind = m->kind;
        }
        /* a place with no record of its own: the container lending its point */
        if (m->place < 0 && m->within && !o->within && o->type == TD_ENT_PLACE) {
            o->within = m->within;
            if (!o->precision)
                o->precision = m->precision;
        }
        if (m->cc[0] && !o->cc[0])
            memcpy(o->cc, m->cc, 3);
        /* generic anaphors ("the group") are not names */
        if (m->how == TD_HOW_ANAPHOR && (m->surface.len == 0 || m->surface.p[m->surface.len - 1] < 'A' ||
                                         (m->kind == TD_ORG_GROUP && m->actor < 0 &&
                                          !(x->t[m->tok + (m->tok + 1 < x->nt)].flags & TD_MT_CAP))))
            continue;
        td_str s = m->surface;
        if (td_str_eq(s, o->name))
            continue;
        uint32_t a;
        for (a = 0; a < o->n_aliases; a++)
            if (td_str_eq(o->aliases[a], s))
                break;
        if (a == o->n_aliases) {
            o->aliases[a] = s;
            o->n_aliases++;
        }
        o->alias_n[a]++;
    }
    /* "Mr Abadi", "PM Modi": honorifics and abbreviated titles are written
     * with the name, so they are forms of it too */
    for (uint32_t i = 0; i < x->n; i++) {
        td_mention *m = &x->m[i];
        if (m->ent == TD_NO_ENT || m->type != TD_ENT_PERSON || !m->title.len ||
            m->title.p + m->title.len + 4 < m->surface.p)
            continue;
        bool abbr = m->title.len <= 4;
        if (!abbr)
            continue;
        td_art_entity *o = &ents[m->ent];
        if (o->n_aliases >= o->n_mentions)
            continue; /* alias arrays hold at most n_mentions entries */
        size_t l = (size_t)(m->surface.p + m->surface.len - m->title.p);
        td_str s = td_str_make(m->title.p, l);
        uint32_t a;
        for (a = 0; a < o->n_aliases; a++)
            if (td_str_eq(o->aliases[a], s))
                break;
        if (a == o->n_aliases) {
            o->aliases[a] = s;
            o->alias_n[a] = 0;
            o->n_aliases++;
        }
        o->alias_n[a]++;
    }
    *out = ents;
    *n_out = ne;
    return true;
}

bool td_alias_resolve_article(const td_entity_models *md, td_str text, const td_mtok *toks,
                              uint32_t n_toks, td_mention *m, uint32_t n, td_arena *a,
                              td_art_entity **ents, uint32_t *n_ents)
{
    actx x;
    memset(&x, 0, sizeof x);
    x.md = md;
    x.text = text;
    x.t = toks;
    x.nt = n_toks;
    x.m = m;
    x.n = n;
    x.a = a;
    x.e = td_arena_calloc(a, n + 1, sizeof *x.e);
    x.fold = td_arena_calloc(a, n + 1, sizeof *x.fold);
    x.nw = td_arena_calloc(a, n + 1, sizeof *x.nw);
    if (!x.e || !x.fold || !x.nw)
        return false;
    td_buf fb = TD_BUF_INIT;
    for (uint32_t i = 0; i < n; i++) {
        /* one folding buffer for all mentions; the arena keeps the result */
        td_buf_clear(&fb);
        td_match_fold(m[i].surface, &fb);
        char *p = fb.len ? td_arena_strndup(a, fb.p, fb.len) : NULL;
        x.fold[i] = p ? td_str_make(p, fb.len) : td_str_make("", 0);
        x.nw[i] = n_words(x.fold[i]);
        m[i].ent = TD_NO_ENT;
    }
    bool fold_failed = fb.failed;
    td_buf_free(&fb);
    if (fold_failed) {
        td_map_free(&x.exact);
        return false;
    }
    if (a->failed)
        return false;
    /* 1. named mentions */
    for (uint32_t i = 0; i < n; i++) {
        td_mention *y = &m[i];
        if (y->flags & TD_MF_EVIDENCE || y->how == TD_HOW_ANAPHOR || y->type == TD_ENT_NONE)
            continue;
        if ((y->type == TD_ENT_PERSON && x.nw[i] < 2) || weak_place(&x, i) ||
            (y->how == TD_HOW_PLACECUE && y->place < 0))
            continue; /* a surname alone, a guessed place: pass 3 */
        resolve_named(&x, i);
    }
    /* 2. brackets and "known as" */
    for (uint32_t i = 0; i < n; i++) {
        bracket_aliases(&x, i);
        known_as_alias(&x, i);
    }
    /* 3. short forms and anaphors */
    for (uint32_t i = 0; i < n; i++) {
        td_mention *y = &m[i];
        if (y->ent != TD_NO_ENT || (y->flags & TD_MF_EVIDENCE))
            continue;
        uint32_t e = TD_NO_ENT;
        if (y->how == TD_HOW_PLACECUE && y->place < 0) {
            /* "to Mara Velin": a cue word before a name known as something else */
            for (uint32_t k = 0; k < x.ne && e == TD_NO_ENT; k++)
                if (x.e[k].type != TD_ENT_PLACE && td_str_eq(x.e[k].fname, x.fold[i]))
                    e = k;
            if (e != TD_NO_ENT) {
                y->type = x.e[e].type;
                join(&x, i, e);
                continue;
            }
        }
        if (y->how == TD_HOW_ANAPHOR)
            e = y->kind == TD_ORG_GROUP && (x.t[y->tok + 1].flags & TD_MT_LOWER)
                    ? resolve_group_anaphor(&x, i)
                    : resolve_head_anaphor(&x, i);
        else
            e = resolve_short(&x, i);
        if (e != TD_NO_ENT) {
            if (y->how != TD_HOW_ANAPHOR && y->how != TD_HOW_LEXICON)
                y->how = TD_HOW_PARTIAL;
            if (y->type != x.e[e].type) {
                y->place = -1; /* a surname, not the town of that name */
                y->precision = 0;
                y->cc[0] = 0;
            }
            y->type = x.e[e].type;
            join(&x, i, e);
        } else if (y->type == TD_ENT_PERSON || y->type == TD_ENT_ORG ||
                   (y->type == TD_ENT_PLACE && y->how != TD_HOW_ANAPHOR)) {
            if (y->how != TD_HOW_ANAPHOR)
                resolve_named(&x, i); /* a name on its own: "Reuters", "Moussan said" */
        } else if (y->type == TD_ENT_NONE && y->how != TD_HOW_ANAPHOR &&
                   (x.nw[i] >= 2 || !(x.t[y->tok].flags & (TD_MT_SENT | TD_MT_NL))) &&
                   !(y->flags & TD_MF_ALLCAPS_CTX) &&
                   !(x.nw[i] == 1 && md->lex &&
                     td_lexicon_is_common(md->lex, x.t[y->tok].key))) {
            /* a capitalised name nothing here explains: kept untyped, for
             * the corpus registry to match with a known entity or drop */
            resolve_named(&x, i);
        }
    }
    bool ok = build_entities(&x, ents, n_ents);
    td_map_free(&x.exact);
    return ok;
}
