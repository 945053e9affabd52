/*
 * names.c - entity mentions of one article (contract in names.h).
 *
 * Steps, each linear in the tokens:
 *   1. tokenize (match.h) and mark sentences written in capitals;
 *   2. run the lexicon and gazetteer automata; keep matches whose case fits
 *      (acronyms only in capitals, names capitalised, common words only with
 *      a place cue); remember where titles end;
 *   3. read capitalised runs ("Brig. Gen. Tarek Moussan", "Ministry of Home
 *      Affairs", "Dar el-Mirah") and type each from its context: a title
 *      before it, an honorific, "said", an appositive, an organisation head,
 *      a place cue;
 *   4. keep the best non-overlapping candidates (longer first, then more
 *      reliable); demonyms and places nested in names stay as evidence;
 *   5. geocode (geocode.c) and resolve aliases (alias.c).
 */
#include "extract/extract_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "text/text.h"

/* ---- small word classes, by key ---- */

static bool ws_has(const lex_wordset *ws, uint64_t key)
{
    for (uint32_t i = 0; i < ws->n; i++)
        if (ws->keys[i] == key)
            return true;
    return false;
}

static const char *const said_w[] = { "said", "says", "told", "added", "stated", "explained",
                                      "noted", "stressed", "warned", "urged", "insisted",
                                      "confirmed", "denied", "wrote", "tweeted", "announced",
                                      "claimed", "argued", "recalled", "asked", "replied",
                                      "acknowledged", "admitted", "vowed", "pledged", "declared",
                                      NULL };
static const char *const cue_w[] = { "in", "near", "outside", "at", "from", "to", "into", "across",
                                     "around", "toward", "towards", "between", "through",
                                     "inside", "throughout", "within", "via", "reach", "reached",
                                     "entered", "captured", "seized", "hit", "struck", "targeted",
                                     "shelled", "bombed", "of", NULL };
static const char *const strong_cue_w[] = { "in", "near", "outside", "inside", "around",
                                            "throughout", "of", NULL };
static const char *const actor_head_w[] = { "forces", "force", "troops", "army", "military",
                                            "police", "government", "authorities", "officials",
                                            "navy", "jets", "warplanes", "aircraft", "coalition",
                                            "rebels", "militants", "soldiers", "security",
                                            "ministry", "regime", "air", "officers",
                                            "fighters", "militia", "militias", "guards",
                                            "gunmen", "insurgents", "armed", "special", "naval",
                                            "border", NULL };
/* actor-head words that only modify the next one: "air force", "security
 * forces", "armed forces"; a head never ends on one */
static const char *const modifier_w[] = { "air", "security", "armed", "special", "naval",
                                          "border", NULL };
static const char *const anaphor_w[] = { "group", "militants", "rebels", "insurgents",
                                         "jihadists", "extremists", "militia", "organisation",
                                         "organization", "movement", "terrorists", NULL };
static const char *const article_w[] = { "the", "a", "an", NULL };
static const char *const portfolio_w[] = { "interior", "defence", "defense", "foreign", "information",
                                           "health", "finance", "home", "justice", "education",
                                           "agriculture", "oil", "energy", "trade", "culture",
                                           "tourism", "transport", "labour", "labor", "economy",
                                           "water", "electricity", "communications", "religious",
                                           "security", "planning", NULL };
static const char *const led_w[] = { "led", "backed", "supported", "allied", "aligned", NULL };
static const char *const region_w[] = { "north", "south", "east", "west", "northern", "southern",
                                        "eastern", "western", "central", "upper", "lower",
                                        "greater", "northeast", "northwest", "southeast",
                                        "southwest", NULL };

void td_names_wordsets(lex_wordset ws[WS_COUNT])
{
    const char *const *lists[WS_COUNT] = { said_w, cue_w, strong_cue_w, actor_head_w,
                                           anaphor_w, article_w, portfolio_w, led_w,
                                           modifier_w, region_w };
    for (int k = 0; k < WS_COUNT; k++) {
        uint32_t n = 0;
        for (; lists[k][n] && n < WS_MAX; n++)
            ws[k].keys[n] = td_match_key(lists[k][n], strlen(lists[k][n]));
        ws[k].n = n;
    }
}

/* ---- candidates ---- */

typedef struct cand {
    uint32_t s, e;          /* tokens [s, e) */
    uint8_t type, kind, how, flags;
    float conf;
    int32_t actor, name_id;
    char cc[3];
    uint32_t title_s, title_e; /* title tokens, s == e when none */
    uint8_t prio;           /* tie-break: higher wins */
} cand;

typedef struct cvec {
    td_arena *a;
    cand *v;
    uint32_t n, cap;
} cvec;

static cand *cpush(cvec *cv)
{
    if (cv->n == cv->cap) {
        uint32_t nc = cv->cap ? cv->cap * 2 : 128;
        cand *nv = td_arena_realloc(cv->a, cv->v, cv->cap * sizeof *nv, nc * sizeof *nv);
        if (!nv)
            return NULL;
        cv->v = nv;
        cv->cap = nc;
    }
    cand *c = &cv->v[cv->n++];
    memset(c, 0, sizeof *c);
    c->actor = c->name_id = -1;
    return c;
}

typedef struct ctx {
    const td_entity_models *md;
    const td_lexicon *lx;
    td_str text;
    const td_mtok *t;
    uint32_t n;
    uint8_t *caps;          /* per token: its sentence is written in capitals */
    int16_t *title_at;      /* per token: index+1 of the title ending just before, or 0 */
    uint32_t *title_start;  /* per token: start token of that title */
    uint8_t *title_cls;
    uint32_t *demonym_end;  /* per token: end of a demonym starting there, or 0 */
    cvec cv;
    uint32_t title_end;     /* bytes of the text that are the headline (0: none) */
    bool place_after;       /* classify_run: a division word follows the pair */
    uint64_t key_of;        /* key of "of" */
    td_map capset;          /* keys of words capitalised inside sentences */
    bool capset_built;
} ctx;

static inline bool is_word(const td_mtok *t) { return (t->flags & TD_MT_WORD) != 0; }

static inline bool is_cap(const ctx *c, uint32_t i)
{
    const td_mtok *t = &c->t[i];
    return (t->flags & (TD_MT_WORD | TD_MT_NUM)) && (t->flags & (TD_MT_CAP | TD_MT_ALLCAPS)) &&
           !(t->flags & TD_MT_LOWER);
}

static inline bool is_connector(const ctx *c, uint32_t i)
{
    const td_mtok *t = &c->t[i];
    if (!is_word(t) || !(t->flags & TD_MT_LOWER))
        return false;
    if (td_map_get(&c->lx->connectors, t->key) != NULL)
        return true;
    /* "as-Sadr", "an-Nasr", "ad-Dahal": an article glued by a hyphen */
    return i + 1 < c->n && (c->t[i + 1].flags & TD_MT_HYPHEN) && t->len <= 3 &&
           td_match_is_article(td_str_make(c->text.p + t->off, t->len));
}

static bool is_common(const ctx *c, uint32_t i)
{
    return td_lexicon_is_common(c->lx, c->t[i].key);
}

/* True when the token text holds a digit. */
static bool has_digit(const ctx *c, uint32_t i)
{
    for (uint32_t k = 0; k < c->t[i].len; k++) {
        char ch = c->text.p[c->t[i].off + k];
        if (ch >= '0' && ch <= '9')
            return true;
    }
    return false;
}

/* Marks tokens of sentences written mostly in capitals (headline style). */
static void mark_caps(ctx *c)
{
    uint32_t i = 0;
    while (i < c->n) {
        uint32_t s = c->t[i].sent, j = i, words = 0, upper = 0;
        while (j < c->n && c->t[j].sent == s) {
            if (is_word(&c->t[j]) && c->t[j].len >= 2) {
                words++;
                upper += (c->t[j].flags & TD_MT_ALLCAPS) != 0;
            }
            j++;
        }
        bool caps = words >= 3 && upper * 10 >= words * 7;
        for (uint32_t k = i; k < j; k++)
            c->caps[k] = caps;
        i = j;
    }
    /* a headline in Title Case gives no case information either */
    uint32_t long_words = 0, capped = 0, end = 0;
    while (end < c->n && c->t[end].off < c->title_end) {
        if (is_word(&c->t[end]) && c->t[end].len >= 4) {
            long_words++;
            capped += (c->t[end].flags & (TD_MT_CAP | TD_MT_ALLCAPS)) != 0;
        }
        end++;
    }
    if (long_words >= 3 && capped * 4 >= long_words * 3)
        for (uint32_t k = 0; k < end; k++)
            c->caps[k] = 1;
}

/* Previous token index that is not an abbreviation dot, or UINT32_MAX. */
static uint32_t prev_tok(const ctx *c, uint32_t i)
{
    while (i > 0) {
        i--;
        if (!(c->t[i].flags & TD_MT_SKIP))
            return i;
    }
    return UINT32_MAX;
}

/* ---- step 2: lexicon and gazetteer matches ---- */

/* True when every word of [s,e) is written in capitals (acronyms). */
static bool span_upper(const ctx *c, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e; i++) {
        const td_mtok *t = &c->t[i];
        if (!(t->flags & (TD_MT_WORD | TD_MT_NUM)))
            continue;
        if (t->flags & TD_MT_LOWER)
            return false;
        if (!(t->flags & (TD_MT_ALLCAPS | TD_MT_DOTTED)) && !has_digit(c, i) && t->len > 1)
            return false;
    }
    return true;
}

/* True when the words of [s,e) but connectors are capitalised. */
static bool span_capitalised(const ctx *c, uint32_t s, uint32_t e)
{
    bool any = false;
    for (uint32_t i = s; i < e; i++) {
        const td_mtok *t = &c->t[i];
        if (!(t->flags & (TD_MT_WORD | TD_MT_NUM)))
            continue;
        if (is_cap(c, i) || (t->flags & TD_MT_NUM))
            any = true;
        else if (!is_connector(c, i))
            return false;
    }
    return any;
}

static uint32_t span_letters(const ctx *c, uint32_t s, uint32_t e)
{
    uint32_t n = 0;
    for (uint32_t i = s; i < e; i++)
        if (c->t[i].flags & TD_MT_WORD)
            n += c->t[i].len;
    return n;
}

/* The end of the actor-head words after token e ("forces", "security
 * forces", "-led military coalition"), or e when none follow. */
static uint32_t actor_heads_end(const ctx *c, uint32_t e)
{
    uint32_t j = e;
    if (j < c->n && (c->t[j].flags & TD_MT_HYPHEN) && ws_has(&c->lx->ws[WS_LED], c->t[j].key))
        j++;
    uint32_t h = j;
    while (h < c->n && h < j + 3 && is_word(&c->t[h]) && !(c->t[h].flags & TD_MT_NL) &&
           ws_has(&c->lx->ws[WS_ACTOR_HEAD], c->t[h].key) && !(c->t[h].flags & TD_MT_HYPHEN))
        h++;
    while (h > j && ws_has(&c->lx->ws[WS_MODIFIER], c->t[h - 1].key))
        h--; /* "Saudi air strikes": "air" alone is no actor */
    return h > j ? h : e;
}

/* Adds "Iraqi forces", "Hong Kong police": an actor named by its country and
 * a generic head; the state body of that country when the lexicon has one. */
static bool actor_head_cand(ctx *c, uint32_t s, uint32_t e, const char *cc)
{
    uint32_t h = actor_heads_end(c, e);
    if (h == e)
        return true;
    cand *ah = cpush(&c->cv);
    if (!ah)
        return false;
    ah->s = s;
    ah->e = h;
    ah->type = TD_ENT_ORG;
    ah->kind = TD_ORG_MIL;
    ah->how = TD_HOW_ACTORHEAD;
    ah->conf = 0.8f;
    memcpy(ah->cc, cc, 3);
    ah->prio = 3;
    ah->actor = td_lexicon_actor_by_word(c->lx, cc, c->t[h - 1].key);
    if (ah->actor >= 0) {
        ah->kind = (uint8_t)td_lexicon_actor(c->lx, (uint32_t)ah->actor)->kind;
        ah->how = TD_HOW_LEXICON;
    }
    return true;
}

/* "the information ministry", "the interior ministry": a ministry named in
 * lower case by its portfolio. */
static bool lower_ministries(ctx *c)
{
    uint64_t kmin = td_match_key("ministry", 8);
    for (uint32_t i = 1; i < c->n; i++) {
        const td_mtok *t = &c->t[i], *p = &c->t[i - 1];
        if (t->key != kmin || !(t->flags & TD_MT_LOWER) || !(p->flags & TD_MT_LOWER) ||
            !ws_has(&c->lx->ws[WS_PORTFOLIO], p->key))
            continue;
        cand *cd = cpush(&c->cv);
        if (!cd)
            return false;
        cd->s = i - 1;
        cd->e = i + 1;
        cd->type = TD_ENT_ORG;
        cd->kind = TD_ORG_GOV;
        cd->how = TD_HOW_ORGHEAD;
        cd->conf = 0.6f;
        cd->prio = 2;
    }
    return true;
}

static bool lexicon_matches(ctx *c, td_arena *a)
{
    td_match *m;
    uint32_t nm = td_match_run(&c->lx->ac, c->t, c->n, a, &m);
    if (a->failed)
        return false;
    for (uint32_t k = 0; k < nm; k++) {
        uint32_t s = m[k].start, e = m[k].end, p = m[k].pattern;
        for (uint32_t x = 0; x < c->lx->pat_n[p]; x++) {
            const lex_entry *le = lex_entries(c->lx, p, x);
            bool caps = c->caps[s];
            if (le->kind == LX_TITLE) {
                if (le->upper && !span_upper(c, s, e))
                    continue;
                /* a title ends before token e: the name may start there */
                uint32_t nx = e;
                while (nx < c->n && (c->t[nx].flags & TD_MT_SKIP))
                    nx++;
                if (nx < c->n && !(c->t[nx].flags & TD_MT_NL) &&
                    (!c->title_at[nx] || c->title_start[nx] > s)) {
                    c->title_at[nx] = (int16_t)(le->sub + 1);
                    c->title_start[nx] = s;
                    c->title_cls[nx] = le->sub;
                }
                continue;
            }
            if (le->upper) {
                if (!span_upper(c, s, e))
                    continue;
                /* IS, US, AT in a headline written in capitals: words */
                if (caps && e - s == 1 && c->t[s].len <= 3 && is_common(c, s))
                    continue;
            } else if (!caps && !span_capitalised(c, s, e) &&
                       !(e - s >= 2 && span_capitalised(c, s, e - 1) &&
                         ws_has(&c->lx->ws[WS_ACTOR_HEAD], c->t[e - 1].key))) {
                continue; /* "Hong Kong police" may end in lower case */
            }
            if (le->kind == LX_ACTOR) {
                if (!caps && e - s == 1 && (c->t[s].flags & TD_MT_SENT) && is_common(c, s))
                    continue;
                cand *cd = cpush(&c->cv);
                if (!cd)
                    return false;
                cd->s = s;
                cd->e = e;
                cd->type = TD_ENT_ORG;
                cd->kind = le->sub;
                cd->how = TD_HOW_LEXICON;
                cd->conf = 0.95f;
                cd->actor = le->ref;
                memcpy(cd->cc, le->cc, 3);
                cd->prio = 5;
                /* "Houthi rebels", "Taliban fighters": the actor with its head */
                uint32_t h = actor_heads_end(c, e);
                if (h > e && le->sub == TD_ORG_GROUP) {
                    cand *x2 = cpush(&c->cv);
                    if (!x2)
                        return false;
                    *x2 = c->cv.v[c->cv.n - 2];
                    x2->e = h;
                }
            } else if (le->kind == LX_DEMONYM) {
                cand *cd = cpush(&c->cv);
                if (!cd)
                    return false;
                cd->s = s;
                cd->e = e;
                cd->type = TD_ENT_PLACE;
                cd->kind = TD_PLACE_COUNTRY;
                cd->how = TD_HOW_DEMONYM;
                cd->flags = TD_MF_EVIDENCE;
                c->demonym_end[s] = e;
                cd->conf = 0.9f;
                memcpy(cd->cc, le->cc, 3);
                /* "Iraqi forces", "Nigerian police", "Saudi-led coalition" */
                if (!actor_head_cand(c, s, e, le->cc))
                    return false;
            }
        }
    }
    return true;
}

/* True when the best record of a name is a small town (under 100,000). */
static bool best_small(const td_gazetteer *g, const uint8_t *post)
{
    td_place p;
    td_gazetteer_place(g, td_gazetteer_posting(post, 0) & ~TD_GAZ_ALT, &p);
    return p.kind >= TD_PLACE_SEAT2 && p.population < 100000;
}

/* True when the word with this key is capitalised somewhere in the article
 * other than at a sentence start. The set is built on first use. */
static bool cap_elsewhere(ctx *c, uint64_t key)
{
    if (!c->capset_built) {
        c->capset_built = true;
        for (uint32_t i = 0; i < c->n; i++)
            if (is_cap(c, i) && !(c->t[i].flags & (TD_MT_SENT | TD_MT_NL))) {
                uint64_t *v = td_map_upsert(&c->capset, c->t[i].key);
                if (v)
                    *v = 1;
            }
    }
    return td_map_get(&c->capset, key) != NULL;
}

static bool gazetteer_matches(ctx *c, td_arena *a)
{
    const td_gazetteer *g = c->md->gaz;
    if (!g)
        return true;
    td_match *m;
    uint32_t nm = td_match_run(td_gazetteer_matcher(g), c->t, c->n, a, &m);
    if (a->failed)
        return false;
    for (uint32_t k = 0; k < nm; k++) {
        uint32_t s = m[k].start, e = m[k].end;
        const uint8_t *post;
        uint32_t gflags;
        uint32_t np = td_gazetteer_name(g, m[k].pattern, &post, &gflags);
        if (np == 0)
            continue;
        bool caps = c->caps[s];
        uint32_t letters = span_letters(c, s, e);
        if (caps) {
            if (e - s == 1 && is_common(c, s))
                continue;
        } else {
            if (!span_capitalised(c, s, e))
                continue;
            if (letters <= 3 && !span_upper(c, s, e))
                continue; /* "Us", "Of": short names only as codes */
        }
        if (e < c->n && (c->t[e].flags & TD_MT_SKIP))
            continue; /* "Brig." "Col.": an abbreviated title, not the town */
        if (c->demonym_end[s] == e)
            continue; /* "Saudi", "Arab": a demonym, not a place of that name */
        bool common = (gflags & TD_GZN_COMMON) || (e - s == 1 && is_common(c, s));
        uint32_t pv = prev_tok(c, s);
        bool cue = pv != UINT32_MAX && is_word(&c->t[pv]) && ws_has(&c->lx->ws[WS_STRONG_CUE], c->t[pv].key);
        bool sent0 = (c->t[s].flags & (TD_MT_SENT | TD_MT_NL)) != 0 ||
                     (pv != UINT32_MAX && (c->t[pv].flags & TD_MT_PUNCT) &&
                      (c->t[pv].ch == '|' || c->t[pv].ch == ':' || c->t[pv].ch == 0x2022));
        if (common && (!cue || sent0))
            continue;
        /* "UN Secretary General Ilse Maran": a word of a title before a
         * name is no town of that name */
        bool in_title = false;
        for (uint32_t k = e; k < c->n && k <= e + 3 && !in_title; k++)
            in_title = c->title_at[k] && c->title_start[k] <= s && is_cap(c, k);
        if (in_title && !cue)
            continue;
        bool single_small = e - s == 1 && !cue && best_small(g, post);
        if (sent0 && single_small && !cap_elsewhere(c, c->t[s].key))
            continue; /* "Manage cookies": a capital only because it opens a line */
        /* "prisoner Mohammed Ali Salem", "Jimmy Sham from the Front": one
         * word closing a run of capitalised names, with no cue, is the end
         * of a person's name (a place of several words is matched whole;
         * "northern", a demonym or a word of a title-case headline does not
         * count) */
        if (e - s == 1 && !cue && !c->caps[s] && pv != UINT32_MAX && is_word(&c->t[pv]) &&
            is_cap(c, pv) && !(c->t[pv].flags & TD_MT_ALLCAPS) && !is_common(c, pv) &&
            !ws_has(&c->lx->ws[WS_REGION], c->t[pv].key) && c->demonym_end[pv] != s &&
            c->t[pv].off >= c->title_end && c->t[pv].sent == c->t[s].sent)
            continue;
        td_place best;
        td_gazetteer_place(g, td_gazetteer_posting(post, 0) & ~TD_GAZ_ALT, &best);
        bool alt_only = true;
        for (uint32_t x = 0; x < np && x < 8; x++)
            if (!(td_gazetteer_posting(post, x) & TD_GAZ_ALT))
                alt_only = false;
        float conf = 0.55f;
        if (!alt_only)
            conf += 0.15f;
        if (best.kind == TD_PLACE_COUNTRY || best.kind == TD_PLACE_ADMIN1 ||
            best.population >= 100000)
            conf += 0.15f;
        if (cue)
            conf += 0.1f;
        if (sent0 && e - s == 1)
            conf -= 0.15f;
        if (common)
            conf -= 0.2f;
        /* tiny places known only by an alternate spelling: too noisy */
        if (alt_only && best.population < 5000 && best.kind >= TD_PLACE_SEAT2 && !cue)
            continue;
        cand *cd = cpush(&c->cv);
        if (!cd)
            return false;
        cd->s = s;
        cd->e = e;
        cd->type = TD_ENT_PLACE;
        cd->kind = (uint8_t)best.kind;
        cd->how = TD_HOW_GAZETTEER;
        cd->conf = conf > 0.99f ? 0.99f : conf;
        cd->name_id = (int32_t)m[k].pattern;
        memcpy(cd->cc, best.country, 3);
        cd->prio = 4;
        if (best.kind == TD_PLACE_COUNTRY && !actor_head_cand(c, s, e, best.country))
            return false;
    }
    return true;
}

/* ---- step 3: capitalised runs ---- */

/* Head kind of token i (org-heads.tsv), 0 when none. */
static int head_of(const ctx *c, uint32_t i)
{
    const uint64_t *v = td_map_get(&c->lx->heads, c->t[i].key);
    return v ? (int)*v : 0;
}

/* True for a short lower-case part hyphen-joined to a capitalised word
 * inside a name ("Yuet-ngor", "Chi-wai"), not "-led", "-based", "-born". */
static bool hyphen_part(const ctx *c, uint32_t i)
{
    const td_mtok *t = &c->t[i];
    if (!(t->flags & TD_MT_HYPHEN) || !(t->flags & TD_MT_LOWER) || !is_cap(c, i - 1) ||
        t->len > 5 || is_common(c, i))
        return false;
    const char *w = c->text.p + t->off;
    if (t->len >= 2 && w[t->len - 2] == 'e' && w[t->len - 1] == 'd')
        return false;
    static const char *const no[] = { "born", "run", "style", "era", "like", "wide", "type",
                                      "held", "made", "free", "owned", "linked", "level", NULL };
    for (int k = 0; no[k]; k++)
        if (strlen(no[k]) == t->len && memcmp(no[k], w, t->len) == 0)
            return false;
    return true;
}

/* The end of the capitalised run starting at s (s is capitalised). */
static uint32_t run_end(const ctx *c, uint32_t s)
{
    uint32_t i = s, last = s;
    uint32_t sent = c->t[s].sent;
    while (i < c->n && c->t[i].sent == sent) {
        const td_mtok *t = &c->t[i];
        if (i > s && (t->flags & TD_MT_NL))
            break; /* a name never spans lines */
        if (t->flags & TD_MT_SKIP) {
            i++;
            continue;
        }
        if (is_cap(c, i) || ((t->flags & TD_MT_NUM) && i > s && (t->flags & TD_MT_HYPHEN)) ||
            (i > s && hyphen_part(c, i))) {
            last = i;
            /* "Nepal's" ends a name; "Girls' Science College" goes on */
            if ((t->flags & TD_MT_POSS) &&
                !(c->text.p[t->off + t->len - 1] == 's' && i + 1 < c->n && is_cap(c, i + 1)))
                break;
            i++;
            continue;
        }
        /* lower-case connectors inside a name: of, al-, bin, de */
        if (is_connector(c, i) && i + 1 < c->n && c->t[i + 1].sent == sent) {
            uint32_t j = i + 1;
            if (is_connector(c, j) && j + 1 < c->n)
                j++; /* "of the" */
            if (is_cap(c, j) && !(c->t[i].flags & TD_MT_POSS)) {
                i = j;
                continue;
            }
        }
        /* a hyphen-joined lower-case part: "Saudi-led" ends the run before it */
        break;
    }
    return last + 1;
}

/* Classifies one run [s,e) with the context around it. */
static bool classify_run(ctx *c, uint32_t s, uint32_t e)
{
    /* a sentence-initial common word is not a name: "The", "Residents" */
    while (s < e && ((c->t[s].flags & (TD_MT_SENT | TD_MT_NL)) || s == 0) && is_common(c, s) &&
           !head_of(c, s))
        s++;
    while (s < e && is_common(c, s) && (c->t[s].flags & TD_MT_CAP) &&
           ws_has(&c->lx->ws[WS_ARTICLE], c->t[s].key))
        s++;
    /* "Fighters of the Crimson Valley Front", "Residents of Velmoor": a
     * sentence-initial noun before "of" is no part of the name, unless it is
     * a head itself ("Ministry of Water Affairs") */
    if (s + 2 < e && (c->t[s].flags & (TD_MT_SENT | TD_MT_NL)) && !head_of(c, s) &&
        c->t[s + 1].key == c->key_of && !c->title_at[s + 1]) {
        uint32_t r = s + 1;
        while (r < e && is_connector(c, r))
            r++;
        if (r < e)
            s = r;
    }
    if (s >= e)
        return true;
    /* a title inside the run: "Brigadier General Tarek Moussan" */
    uint32_t ts = s, te = s;
    int tcls = 0;
    for (uint32_t i = s + 1; i < e && i <= s + 5; i++) {
        if (c->title_at[i] && c->title_start[i] >= s) {
            ts = c->title_start[i];
            te = i;
            tcls = c->title_cls[i];
        }
    }
    if (te == s && c->title_at[s]) {
        ts = c->title_start[s];
        te = s;
        tcls = c->title_cls[s];
    }
    uint32_t ns = te > s ? te : s; /* the name proper */
    while (ns < e && (c->t[ns].flags & TD_MT_SKIP))
        ns++;
    if (ns >= e)
        return true;
    if (c->demonym_end[ns] == e)
        return true; /* "Indian", "Hong Kongers": a demonym, already evidence */
    if (head_of(c, e - 1) == HK_MISC)
        return true; /* "National Security Law", "Richter Scale": no actor */
    uint32_t nlen = 0;
    for (uint32_t i = ns; i < e; i++)
        nlen += is_word(&c->t[i]) && !is_connector(c, i);

    /* context after the run */
    uint32_t nx = e;
    while (nx < c->n && (c->t[nx].flags & TD_MT_SKIP))
        nx++;
    bool said_after = nx < c->n && is_word(&c->t[nx]) && ws_has(&c->lx->ws[WS_SAID], c->t[nx].key);
    bool comma_after = nx < c->n && c->t[nx].ch == ',';
    bool appos = false;
    if (comma_after) {
        uint32_t j = nx + 1;
        if (j < c->n && is_word(&c->t[j]) && ws_has(&c->lx->ws[WS_ARTICLE], c->t[j].key))
            j++;
        /* "X, a teacher", "X, the head of", "X, 45," */
        for (uint32_t k = j; k < c->n && k <= j + 3; k++)
            if (c->title_at[k] && c->title_start[k] == j)
                appos = true;
        if (j < c->n && (c->t[j].flags & TD_MT_NUM) && j + 1 < c->n && c->t[j + 1].ch == ',')
            appos = true;
        /* "X, said": said after a comma ends a quote with the speaker before */
        if (j < c->n && ws_has(&c->lx->ws[WS_SAID], c->t[j].key))
            said_after = true;
    }
    uint32_t pv = prev_tok(c, ts);
    /* "said Nadira Soum, the director": the speaker after the verb, then a
     * comma or the end of the sentence */
    bool said_before = pv != UINT32_MAX && is_word(&c->t[pv]) &&
                       ws_has(&c->lx->ws[WS_SAID], c->t[pv].key) &&
                       (nx >= c->n || c->t[nx].sent != c->t[e - 1].sent ||
                        ((c->t[nx].flags & TD_MT_PUNCT) && c->t[nx].ch != '('));
    bool cue_before = pv != UINT32_MAX && is_word(&c->t[pv]) && (c->t[pv].flags & TD_MT_LOWER) &&
                      ws_has(&c->lx->ws[WS_CUE], c->t[pv].key);
    bool the_before = pv != UINT32_MAX && is_word(&c->t[pv]) && ws_has(&c->lx->ws[WS_ARTICLE], c->t[pv].key);
    int hk = head_of(c, e - 1);
    bool of_org = false; /* "Ministry of Home Affairs" */
    for (uint32_t i = ns; i + 1 < e; i++) {
        int h = head_of(c, i);
        if (h && h != HK_PLACE && is_connector(c, i + 1) && i > ns - 1)
            of_org = true;
    }

    cand *cd = cpush(&c->cv);
    if (!cd)
        return false;
    cd->s = ns;
    cd->e = e;
    cd->how = TD_HOW_CAPS;
    cd->conf = 0.3f;
    cd->prio = 1;
    cd->title_s = ts;
    cd->title_e = te;

    if (nlen == 1 && the_before && hk && hk != HK_PLACE && ns == s) {
        /* "the Front", "the Monitor": an anaphor to a named organisation */
        cd->type = TD_ENT_ORG;
        cd->how = TD_HOW_ANAPHOR;
        cd->kind = hk == HK_MIL ? TD_ORG_MIL : hk == HK_MEDIA ? TD_ORG_MEDIA : TD_ORG_OTHER;
        cd->conf = 0.5f;
        cd->s = pv; /* include "the" */
        return true;
    }
    /* "Dolkha districts", "Sahrat province": a division word in lower case */
    bool division = c->place_after ||
                    (nx < c->n && (c->t[nx].flags & TD_MT_LOWER) && head_of(c, nx) == HK_PLACE);
    if (division && !tcls && !(hk && hk != HK_PLACE) && nlen <= 4) {
        cd->type = TD_ENT_PLACE;
        cd->kind = TD_PLACE_NONE;
        cd->how = TD_HOW_PLACECUE;
        cd->conf = 0.65f;
        cd->prio = 2;
        return true;
    }
    if (hk == HK_PLACE && nlen >= 2) { /* "Prince Oskar Airbase" too */
        cd->type = TD_ENT_PLACE;
        cd->kind = TD_PLACE_TOWN;
        cd->how = TD_HOW_ORGHEAD;
        cd->conf = 0.7f;
        cd->prio = 2;
        return true;
    }
    if ((hk && hk != HK_PLACE && nlen >= 2) || of_org) { /* "King Saud University" */
        cd->type = TD_ENT_ORG;
        cd->kind = hk == HK_MIL ? TD_ORG_MIL : hk == HK_GOV ? TD_ORG_GOV
                 : hk == HK_MEDIA ? TD_ORG_MEDIA : TD_ORG_OTHER;
        cd->how = TD_HOW_ORGHEAD;
        cd->conf = 0.8f;
        cd->prio = 2;
        return true;
    }
    /* a person's name has no "of": "Idris Maro of Kelvaria" is Maro */
    for (uint32_t i = ns + 1; i < e; i++)
        if (is_connector(c, i) && c->t[i].len == 2 && c->text.p[c->t[i].off] == 'o' &&
            c->text.p[c->t[i].off + 1] == 'f' && (tcls || said_after || appos)) {
            e = i;
            cd->e = e;
            nlen = 0;
            for (uint32_t k = ns; k < e; k++)
                nlen += is_word(&c->t[k]) && !is_connector(c, k);
            break;
        }
    bool region = ws_has(&c->lx->ws[WS_REGION], c->t[ns].key) && nlen >= 2;
    if (region && !tcls) {
        /* "North Africa", "Southern Sahrat": a region */
        cd->type = TD_ENT_PLACE;
        cd->how = TD_HOW_PLACECUE;
        cd->conf = 0.5f;
        return true;
    }
    if (is_connector(c, ns))
        return true; /* names of people open with a capital */
    if (tcls && nlen >= 1 && nlen <= 5) {
        cd->type = TD_ENT_PERSON;
        cd->how = tcls == TC_HONORIFIC ? TD_HOW_HONORIFIC : TD_HOW_TITLE;
        cd->conf = tcls == TC_HONORIFIC ? 0.95f : tcls == TC_OTHER ? 0.6f : 0.9f;
        cd->prio = 3;
        /* a title keeps its span only when it sits right before the name */
        if (te == ts) {
            cd->title_s = cd->title_e = 0;
        }
        return true;
    }
    if (appos && nlen >= 2 && nlen <= 4) {
        cd->type = TD_ENT_PERSON;
        cd->how = TD_HOW_APPOS;
        cd->conf = 0.8f;
        cd->prio = 2;
        return true;
    }
    if ((said_after || said_before) && nlen >= 2 && nlen <= 4) {
        cd->type = TD_ENT_PERSON;
        cd->how = TD_HOW_SAID;
        cd->conf = 0.75f;
        cd->prio = 2;
        return true;
    }
    if (cue_before && nlen <= 4 && !(nlen == 1 && (is_common(c, ns) || c->title_at[ns + 1]))) {
        cd->type = TD_ENT_PLACE;
        cd->kind = TD_PLACE_NONE;
        cd->how = TD_HOW_PLACECUE;
        cd->conf = 0.5f;
        cd->prio = 1;
        return true;
    }
    if (nlen == 1 && nx < c->n && (c->t[nx].flags & TD_MT_LOWER) && head_of(c, nx) == HK_MEDIA) {
        /* "Almasirah television", "Dawn newspaper" */
        cd->type = TD_ENT_ORG;
        cd->kind = TD_ORG_MEDIA;
        cd->how = TD_HOW_ORGHEAD;
        cd->conf = 0.6f;
        cd->prio = 2;
        return true;
    }
    if (said_after || said_before) {
        cd->how = TD_HOW_SAID; /* a single name: a surname, else a person */
        if (nlen == 1 && !is_common(c, ns) && !(c->t[ns].flags & TD_MT_ALLCAPS) &&
            !(c->t[ns].flags & (TD_MT_SENT | TD_MT_NL))) {
            cd->type = TD_ENT_PERSON;
            cd->conf = 0.5f;
        }
    }
    /* two or three capitalised words inside a sentence, none common, none a
     * head: most often a person ("named the commander as Yassin Dabour") */
    if (nlen >= 2 && nlen <= 3 && ns == s && !(c->t[ns].flags & (TD_MT_SENT | TD_MT_NL)) &&
        !hk && !tcls) {
        bool plain = true;
        for (uint32_t i = ns; i < e && plain; i++)
            plain = !is_common(c, i) && !head_of(c, i) &&
                    !(c->t[i].flags & TD_MT_ALLCAPS) && !(c->t[i].flags & TD_MT_NUM);
        if (plain) {
            cd->type = TD_ENT_PERSON;
            cd->conf = 0.45f;
        }
    }
    return true;
}

/* "Beit Narun and Umm Sarai" is two names; "Science and Technical College"
 * one: a run with "and" inside stays whole only when it ends with an
 * organisation head. */
static bool split_and_classify(ctx *c, uint32_t s, uint32_t e)
{
    int hk = head_of(c, e - 1);
    for (uint32_t i = s + 1; i + 1 < e; i++) {
        const td_mtok *t = &c->t[i];
        if (!((t->flags & TD_MT_LOWER) && t->len == 3 &&
              td_str_eq(td_str_make(c->text.p + t->off, 3), TD_STR_LIT("and"))))
            continue;
        /* two names: "X and the Y", "Defence Ministry and Interior Ministry",
         * or no organisation head at the end */
        bool the_after = is_word(&c->t[i + 1]) && ws_has(&c->lx->ws[WS_ARTICLE], c->t[i + 1].key);
        int left = head_of(c, i - 1);
        if (!hk || hk == HK_PLACE || the_after || (left && left != HK_PLACE && left != HK_MISC)) {
            {
                /* "Varn and Oskel districts": both are districts */
                uint32_t nx = e;
                c->place_after = nx < c->n && (c->t[nx].flags & TD_MT_LOWER) &&
                                 head_of(c, nx) == HK_PLACE;
                bool ok = classify_run(c, s, i);
                c->place_after = false;
                uint32_t r = i + 1;
                while (r < e && is_connector(c, r))
                    r++; /* "and the Northern Command" */
                return ok && (r >= e || split_and_classify(c, r, e));
            }
        }
    }
    return classify_run(c, s, e);
}

static bool cap_runs(ctx *c)
{
    uint32_t i = 0;
    while (i < c->n) {
        if (c->caps[i] || !is_cap(c, i) || (c->t[i].flags & TD_MT_NUM)) {
            /* "al-Tessali": a connector glued to a capitalised word */
            if (!c->caps[i] && is_connector(c, i) && i + 1 < c->n &&
                (c->t[i + 1].flags & TD_MT_HYPHEN) && is_cap(c, i + 1) &&
                (i == 0 || !is_cap(c, i - 1))) {
                uint32_t e = run_end(c, i + 1);
                if (!classify_run(c, i, e))
                    return false;
                i = e;
                continue;
            }
            i++;
            continue;
        }
        uint32_t e = run_end(c, i);
        if (!split_and_classify(c, i, e))
            return false;
        i = e;
    }
    /* lower-case anaphors: "the group", "the militants", "the jihadist group" */
    for (uint32_t k = 0; k + 1 < c->n; k++) {
        if (!(c->t[k].flags & TD_MT_WORD) || !ws_has(&c->lx->ws[WS_ARTICLE], c->t[k].key) ||
            c->t[k].len != 3)
            continue;
        uint32_t j = k + 1;
        if (j + 1 < c->n && (c->t[j].flags & TD_MT_LOWER) && !ws_has(&c->lx->ws[WS_ANAPHOR], c->t[j].key) &&
            ws_has(&c->lx->ws[WS_ANAPHOR], c->t[j + 1].key))
            j++; /* one adjective: "the jihadist group" */
        if (!(c->t[j].flags & TD_MT_LOWER) || !ws_has(&c->lx->ws[WS_ANAPHOR], c->t[j].key))
            continue;
        cand *cd = cpush(&c->cv);
        if (!cd)
            return false;
        cd->s = k;
        cd->e = j + 1;
        cd->type = TD_ENT_ORG;
        cd->kind = TD_ORG_GROUP;
        cd->how = TD_HOW_ANAPHOR;
        cd->conf = 0.4f;
        cd->prio = 0;
    }
    return true;
}

/* ---- step 4: selection ---- */

/* Guesses (a capitalised run typed by nothing but its shape, a place cue)
 * never override a name some list or rule vouches for. */
static int tier(const cand *c)
{
    if (c->how == TD_HOW_CAPS || c->how == TD_HOW_PLACECUE)
        return 0;
    /* a weak one-word place ("Murad" in "Murad Kessan") is a guess too */
    if (c->how == TD_HOW_GAZETTEER && c->e - c->s == 1 && c->conf < 0.8f &&
        c->kind >= TD_PLACE_SEAT2)
        return 0;
    return 1;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (tier(a) != tier(b))
        return tier(a) > tier(b) ? -1 : 1;
    uint32_t la = a->e - a->s, lb = b->e - b->s;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->prio != b->prio)
        return a->prio > b->prio ? -1 : 1;
    if (a->conf != b->conf)
        return a->conf > b->conf ? -1 : 1;
    return a->s < b->s ? -1 : a->s > b->s;
}

static int cmp_mention(const void *x, const void *y)
{
    const td_mention *a = x, *b = y;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    return a->len > b->len ? -1 : a->len < b->len;
}

/* Keeps the best non-overlapping candidates; evidence ones are kept apart
 * and may overlap. A lexicon actor or a known place inside a longer
 * organisation name stays as evidence of that place. */
/* "Port Lunens harbour", "Sri Lankas navy": a possessive written without
 * its apostrophe (or a stray plural) is the place itself; an unknown name
 * that is a known place plus a final s loses the s, so geocoding finds the
 * place and not an unknown one in the article's country. An unexplained
 * name ("Adams") qualifies only when the place is large. */
static void plural_place(const ctx *c, td_mention *x)
{
    const td_gazetteer *g = c->md->gaz;
    if (!g || x->name_id >= 0 || x->len < 5 ||
        (x->type != TD_ENT_PLACE && x->type != TD_ENT_NONE))
        return;
    const char *z = x->surface.p;
    size_t n = x->surface.len;
    if (z[n - 1] != 's' || z[n - 2] == 's' || !((z[n - 2] >= 'a' && z[n - 2] <= 'z')))
        return;
    td_str stem = td_str_make(z, n - 1);
    int64_t id = td_gazetteer_lookup(g, stem);
    if (id < 0)
        return;
    const uint8_t *post;
    if (!td_gazetteer_name(g, (uint32_t)id, &post, NULL))
        return;
    td_place p;
    td_gazetteer_place(g, td_gazetteer_posting(post, 0) & ~TD_GAZ_ALT, &p);
    if (x->type == TD_ENT_NONE && p.kind != TD_PLACE_COUNTRY && p.kind != TD_PLACE_ADMIN1 &&
        p.population < 100000)
        return;
    x->type = TD_ENT_PLACE;
    x->kind = (uint8_t)p.kind;
    x->len--;
    x->surface = stem;
    x->name_id = (int32_t)id;
    memcpy(x->cc, p.country, 3);
}

static bool select_mentions(ctx *c, td_arena *a, td_mention **out, uint32_t *n_out)
{
    cvec *cv = &c->cv;
    if (cv->n)
        qsort(cv->v, cv->n, sizeof *cv->v, cmp_cand);
    uint8_t *used = td_arena_calloc(a, c->n + 1, 1);
    td_mention *m = td_arena_alloc(a, (cv->n + 1) * sizeof *m);
    if (!used || !m)
        return false;
    uint32_t n = 0;
    for (uint32_t k = 0; k < cv->n; k++) {
        cand *cd = &cv->v[k];
        bool evidence = (cd->flags & TD_MF_EVIDENCE) != 0;
        bool overlap = false;
        for (uint32_t i = cd->s; i < cd->e; i++)
            overlap |= used[i] != 0;
        if (overlap && !evidence) {
            /* a known place inside a kept name is evidence of that place */
            if (cd->type != TD_ENT_PLACE || cd->how != TD_HOW_GAZETTEER)
                continue;
            evidence = true;
            cd->flags |= TD_MF_EVIDENCE | TD_MF_NESTED;
        }
        if (!evidence)
            for (uint32_t i = cd->s; i < cd->e; i++)
                used[i] = 1;
        td_mention *x = &m[n++];
        memset(x, 0, sizeof *x);
        const td_mtok *ts = &c->t[cd->s], *te = &c->t[cd->e - 1];
        x->off = ts->off;
        x->len = te->off + te->len - ts->off;
        x->sent = ts->sent;
        x->tok = cd->s;
        x->type = cd->type;
        x->kind = cd->kind;
        x->how = cd->how;
        x->flags = cd->flags | (c->caps[cd->s] ? TD_MF_ALLCAPS_CTX : 0);
        x->conf = cd->conf;
        x->actor = cd->actor;
        x->place = -1;
        x->name_id = cd->name_id;
        memcpy(x->cc, cd->cc, 3);
        x->surface = td_str_make(c->text.p + x->off, x->len);
        plural_place(c, x);
        if (cd->title_e > cd->title_s) {
            const td_mtok *a0 = &c->t[cd->title_s], *a1 = &c->t[cd->title_e - 1];
            if (a1->flags & TD_MT_PUNCT)
                a1 = &c->t[cd->title_e - 2 >= cd->title_s ? cd->title_e - 2 : cd->title_s];
            x->title = td_str_make(c->text.p + a0->off, a1->off + a1->len - a0->off);
        }
    }
    if (n)
        qsort(m, n, sizeof *m, cmp_mention);
    *out = m;
    *n_out = n;
    return true;
}

/* ---- API ---- */

/* td_entities_extract with the first title_end bytes being a headline. */
static td_status extract(const td_entity_models *md, td_str text, const td_span *sentences,
                         uint32_t n_sentences, td_str dateline, uint32_t title_end, td_arena *a,
                         td_entities *out);

td_status td_entities_extract(const td_entity_models *md, td_str text, const td_span *sentences,
                              uint32_t n_sentences, td_str dateline, td_arena *a,
                              td_entities *out)
{
    return extract(md, text, sentences, n_sentences, dateline, 0, a, out);
}

static td_status extract(const td_entity_models *md, td_str text, const td_span *sentences,
                         uint32_t n_sentences, td_str dateline, uint32_t title_end, td_arena *a,
                         td_entities *out)
{
    memset(out, 0, sizeof *out);
    if (!md || !md->lex)
        return TD_EINVAL;
    ctx c;
    memset(&c, 0, sizeof c);
    c.md = md;
    c.lx = md->lex;
    c.text = text;
    c.cv.a = a;
    c.key_of = td_match_key("of", 2);
    c.title_end = title_end;
    td_mtok *toks;
    c.n = td_match_tokenize(a, text, sentences, n_sentences, &toks);
    c.t = toks;
    if (a->failed)
        return TD_ENOMEM;
    c.caps = td_arena_calloc(a, c.n + 1, 1);
    c.title_at = td_arena_calloc(a, c.n + 1, sizeof *c.title_at);
    c.title_start = td_arena_calloc(a, c.n + 1, sizeof *c.title_start);
    c.title_cls = td_arena_calloc(a, c.n + 1, 1);
    c.demonym_end = td_arena_calloc(a, c.n + 1, sizeof *c.demonym_end);
    if (!c.caps || !c.title_at || !c.title_start || !c.title_cls || !c.demonym_end)
        return TD_ENOMEM;
    mark_caps(&c);
    bool ok = lexicon_matches(&c, a) && gazetteer_matches(&c, a) && cap_runs(&c) &&
              lower_ministries(&c);
    td_map_free(&c.capset);
    if (!ok)
        return TD_ENOMEM;
    td_mention *m;
    uint32_t n;
    if (!select_mentions(&c, a, &m, &n))
        return TD_ENOMEM;
    td_geocode_mentions(md, text, dateline, m, n, out->country);
    td_art_entity *ents;
    uint32_t ne;
    if (!td_alias_resolve_article(md, text, c.t, c.n, m, n, a, &ents, &ne))
        return TD_ENOMEM;
    out->m = m;
    out->n = n;
    out->e = ents;
    out->n_entities = ne;
    return a->failed ? TD_ENOMEM : TD_OK;
}

td_status td_entities_extract_article(const td_entity_models *md, td_article *art,
                                      td_entities *out)
{
    /* the headline and the captions name people and places too: one text
     * "title \n\n body \n\n captions", sentences split on it */
    size_t tl = art->title.len, bl = art->body.len, cl = art->captions.len;
    if (!tl && !cl)
        return extract(md, art->body, art->sentences, art->n_sentences, art->dateline, 0,
                       art->arena, out);
    char *p = td_arena_alloc(art->arena, tl + bl + cl + 5);
    if (!p)
        return TD_ENOMEM;
    size_t n = 0;
    if (tl) {
        memcpy(p, art->title.p, tl);
        memcpy(p + tl, "\n\n", 2);
        n = tl + 2;
    }
    memcpy(p + n, art->body.p, bl);
    n += bl;
    if (cl) {
        memcpy(p + n, "\n\n", 2);
        memcpy(p + n + 2, art->captions.p, cl);
        n += cl + 2;
    }
    p[n] = '\0';
    td_str text = td_str_make(p, n);
    td_span *sent = NULL;
    uint32_t ns = td_sentences(art->arena, text, &sent);
    return extract(md, text, sent, ns, art->dateline, (uint32_t)(tl ? tl + 2 : 0), art->arena, out);
}

const char *td_ent_type_name(td_ent_type t)
{
    switch (t) {
    case TD_ENT_PERSON: return "person";
    case TD_ENT_ORG: return "org";
    case TD_ENT_PLACE: return "place";
    default: return "unknown";
    }
}

const char *td_org_kind_name(td_org_kind k)
{
    static const char *const names[] = { "org", "group", "mil", "gov", "party", "igo", "ngo",
                                         "media" };
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "org";
}
