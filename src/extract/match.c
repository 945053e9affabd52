/*
 * match.c - the matching tokenizer and the token-key Aho-Corasick automaton
 * (see match.h for the blob layout).
 *
 * Folding is done on the fly while scanning: ASCII bytes go through a table,
 * other code points through utf8proc (case fold + strip marks + compat) and a
 * small table for letters Unicode does not decompose (ø ł đ ħ ı æ œ þ). The
 * folded bytes feed a 64-bit FNV-1a hash, finalised with a splitmix mixer so
 * every bit of the key is usable for hashing and for the filter.
 */
#include "extract/match.h"

#include <string.h>
#include <utf8proc.h>

#include "base/alloc.h"

#define AC_MAGIC 0x43414454u /* "TDAC" little-endian */
#define HDR_LEN 32

/* ---- little-endian access ---- */

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, 4);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

/* ---- hashing ---- */

#define FNV_OFF 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

uint64_t td_match_key(const char *folded, size_t len)
{
    uint64_t h = FNV_OFF;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)folded[i];
        h *= FNV_PRIME;
    }
    return mix64(h);
}

/* ---- folding ---- */

enum { C_ALPHA = 1, C_DIGIT = 2, C_SPACE = 4 };

/* ASCII classes by comparison: no tables to initialise, so nothing mutable
 * is shared between threads. */
static inline uint8_t lower_c(uint8_t c)
{
    return (uint8_t)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

static inline uint8_t class_c(uint8_t c)
{
    if ((uint8_t)((c | 32) - 'a') < 26)
        return C_ALPHA;
    if ((uint8_t)(c - '0') < 10)
        return C_DIGIT;
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return C_SPACE;
    return 0;
}

/* Decodes one code point; *adv >= 1. Invalid bytes give U+FFFD. */
static uint32_t dec(const uint8_t *p, size_t n, size_t *adv)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate(p, (utf8proc_ssize_t)(n > 4 ? 4 : n), &cp);
    if (r <= 0) {
        *adv = 1;
        return 0xFFFD;
    }
    *adv = (size_t)r;
    return (uint32_t)cp;
}

/* Apostrophe-like code points that vanish from folded words. */
static bool is_apos(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
           cp == 0x02BE || cp == 0x02BF || cp == 0x02B9 || cp == 0x00B4 || cp == 0x0060;
}

static bool is_dash(uint32_t cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

static bool is_space_cp(uint32_t cp)
{
    if (cp < 128)
        return class_c(cp) & C_SPACE;
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* True for code points that continue a word: letters, marks, digits. */
static bool is_wordcp(uint32_t cp)
{
    if (cp < 128)
        return class_c(cp) & (C_ALPHA | C_DIGIT);
    if (cp == 0xFFFD)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Streaming fold state: the hash and (optionally) the folded bytes. */
typedef struct folder {
    uint64_t h;
    td_buf *out;     /* NULL: hash only */
    uint32_t n;      /* folded bytes */
    uint16_t upper, lower; /* letters seen by case */
    bool nonlatin;
} folder;

static inline void fold_byte(folder *f, uint8_t c)
{
    f->h ^= c;
    f->h *= FNV_PRIME;
    f->n++;
    if (f->out)
        td_buf_putc(f->out, (char)c);
}

static void fold_utf8(folder *f, uint32_t cp)
{
    uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);
    for (utf8proc_ssize_t i = 0; i < n; i++)
        fold_byte(f, tmp[i]);
}

/* Folds one non-ASCII letter/mark/digit into f. */
static void fold_cp(folder *f, uint32_t cp)
{
    if (utf8proc_isupper((utf8proc_int32_t)cp))
        f->upper++;
    else if (utf8proc_islower((utf8proc_int32_t)cp))
        f->lower++;
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, d, 8,
        UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE, &last);
    if (n < 0 || n > 8) {
        fold_utf8(f, cp);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)d[i];
        if (c < 128) {
            fold_byte(f, lower_c(c));
            continue;
        }
        switch (c) {
        case 0xF8: fold_byte(f, 'o'); break;               /* ø */
        case 0x142: fold_byte(f, 'l'); break;              /* ł */
        case 0x111: case 0xF0: fold_byte(f, 'd'); break;   /* đ ð */
        case 0x127: fold_byte(f, 'h'); break;              /* ħ */
        case 0x131: fold_byte(f, 'i'); break;              /* ı */
        case 0xE6: fold_byte(f, 'a'); fold_byte(f, 'e'); break;
        case 0x153: fold_byte(f, 'o'); fold_byte(f, 'e'); break;
        case 0xFE: fold_byte(f, 't'); fold_byte(f, 'h'); break;
        case 0x2BB: case 0x2BC: case 0x2BE: case 0x2BF: case 0x2B9: break;
        default:
            if (c >= 0x370)
                f->nonlatin = true;
            fold_utf8(f, c);
        }
    }
}

/* ---- tokenizer ---- */

typedef struct tokvec {
    td_arena *a;
    td_mtok *v;
    uint32_t n, cap;
} tokvec;

static td_mtok *tok_push(tokvec *tv)
{
    if (tv->n == tv->cap) {
        uint32_t ncap = tv->cap ? tv->cap * 2 : 256;
        td_mtok *nv = td_arena_realloc(tv->a, tv->v, (size_t)tv->cap * sizeof *nv,
                                       (size_t)ncap * sizeof *nv);
        if (!nv)
            return NULL;
        tv->v = nv;
        tv->cap = ncap;
    }
    td_mtok *t = &tv->v[tv->n++];
    memset(t, 0, sizeof *t);
    return t;
}

/*
 * Scans one word starting at i (a word code point is there). Folds it into
 * f, sets *end to the end of the span and *skip_to past a possessive, and
 * returns extra flags.
 */
static uint16_t scan_word(const uint8_t *p, size_t len, size_t i, folder *f, size_t *end,
                          size_t *skip_to)
{
    uint16_t flags = 0;
    size_t seg_letters = 0;   /* letters since the last initialism dot */
    bool first = true;
    bool dotted = false;
    while (i < len) {
        uint8_t c = p[i];
        if (c < 128) {
            uint8_t cl = class_c(c);
            if (cl & C_ALPHA) {
                if (first)
                    flags |= (c <= 'Z') ? TD_MT_CAP : TD_MT_LOWER;
                if (c <= 'Z')
                    f->upper++;
                else
                    f->lower++;
                fold_byte(f, lower_c(c));
                seg_letters++;
                first = false;
                i++;
                /* the common case, a run of lower-case ASCII letters: the
                 * same folding without the per-byte class and case tests */
                if (!f->out) {
                    uint64_t h = f->h;
                    size_t j = i;
                    while (j < len && p[j] >= 'a' && p[j] <= 'z') {
                        h ^= p[j];
                        h *= FNV_PRIME;
                        j++;
                    }
                    uint32_t run = (uint32_t)(j - i);
                    f->h = h;
                    f->n += run;
                    f->lower = (uint16_t)(f->lower + run);
                    seg_letters += run;
                    i = j;
                }
                continue;
            }
            if (cl & C_DIGIT) {
                fold_byte(f, c);
                first = false;
                seg_letters += 2; /* digits never make an initialism */
                i++;
                continue;
            }
        }
        size_t adv = 1;
        uint32_t cp = c < 128 ? c : dec(p + i, len - i, &adv);
        if (cp >= 128 && is_wordcp(cp)) {
            if (first) {
                if (utf8proc_isupper((utf8proc_int32_t)cp))
                    flags |= TD_MT_CAP;
                else if (utf8proc_islower((utf8proc_int32_t)cp))
                    flags |= TD_MT_LOWER;
            }
            fold_cp(f, cp);
            first = false;
            seg_letters++;
            i += adv;
            continue;
        }
        if (is_apos(cp)) {
            /* inner apostrophe (O'Neill, Sa'ada) or a possessive */
            size_t j = i + adv, adv2 = 1;
            uint32_t nx = j < len ? (p[j] < 128 ? p[j] : dec(p + j, len - j, &adv2)) : 0;
            if ((nx == 's' || nx == 'S') &&
                (j + 1 >= len || !is_wordcp(p[j + 1] < 128 ? p[j + 1] : dec(p + j + 1, len - j - 1, &adv2)))) {
                *end = i;
                *skip_to = j + 1;
                return flags | TD_MT_POSS;
            }
            if (nx && is_wordcp(nx)) {
                i = j; /* apostrophe vanishes from the folded form */
                continue;
            }
            if (i > 0 && (p[i - 1] == 's' || p[i - 1] == 'S')) {
                *end = i;
                *skip_to = i + adv; /* plural possessive: Girls' */
                return flags | TD_MT_POSS;
            }
            break;
        }
        if (cp == '.' && seg_letters == 1) {
            /* initialism: U.S. U.N. -- a dot after a single letter followed
             * by another single letter and a dot, or ending one */
            size_t j = i + 1;
            if (j < len && p[j] < 128 && (class_c(p[j]) & C_ALPHA) &&
                (dotted || (j + 1 < len && p[j + 1] == '.'))) {
                dotted = true;
                seg_letters = 0;
                i = j;
                continue;
            }
            if (dotted) {
                i = j; /* the final dot of U.S. */
                break;
            }
        }
        break;
    }
    if (dotted)
        flags |= TD_MT_DOTTED;
    *end = i;
    *skip_to = i;
    return flags;
}

/* True for the abbreviations of titles and place words that take a dot
 * before a name: "Lt. Gen. Kaya", "Mt. Ossa", "St. Ives". */
static bool is_abbrev(const uint8_t *w, size_t n)
{
    static const char *const ab[] = {
        "mr", "mrs", "ms", "dr", "lt", "gen", "col", "maj", "capt", "sgt", "brig", "cpl",
        "pvt", "adm", "cmdr", "cdr", "gov", "sen", "rep", "rev", "st", "mt", "ft", "rd",
        "ave", "prof", "pres", "jr", "sr", "insp", "supt", "det", "hon", "no", "fr", "sgt",
        "lieut", "cmdt", "amb", "sec", "messrs", "mme", "mlle", NULL
    };
    if (n > 6)
        return false;
    for (int k = 0; ab[k]; k++) {
        size_t l = strlen(ab[k]);
        if (l != n)
            continue;
        size_t j = 0;
        while (j < n && lower_c(w[j]) == (uint8_t)ab[k][j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

uint32_t td_match_tokenize(td_arena *a, td_str text, const td_span *sentences,
                           uint32_t n_sentences, td_mtok **out)
{
    const uint8_t *p = (const uint8_t *)text.p;
    size_t len = text.len;
    tokvec tv = { a, NULL, 0, 0 };
    size_t cap0 = len / 5 + 64;
    if (cap0 > UINT32_MAX / 2)
        cap0 = UINT32_MAX / 2;
    tv.v = td_arena_alloc(a, cap0 * sizeof *tv.v);
    if (!tv.v) {
        *out = NULL;
        return 0;
    }
    tv.cap = (uint32_t)cap0;

    bool space = true, hyphen = false, para = true, nl = true;
    int newlines = 0;
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c < 128 && (class_c(c) & C_SPACE)) {
            space = true;
            if (c == '\n') {
                nl = true;
                if (++newlines >= 2)
                    para = true;
            }
            hyphen = false;
            i++;
            continue;
        }
        size_t adv = 1;
        uint32_t cp = c < 128 ? c : dec(p + i, len - i, &adv);
        if (cp >= 128 && is_space_cp(cp)) {
            space = true;
            hyphen = false;
            i += adv;
            continue;
        }
        td_mtok *t = tok_push(&tv);
        if (!t) {
            *out = NULL;
            return 0;
        }
        t->off = (uint32_t)i;
        uint16_t fl = (space ? TD_MT_SPACE : 0) | (para ? TD_MT_PARA : 0) | (nl ? TD_MT_NL : 0);
        if (is_wordcp(cp)) {
            folder f = { FNV_OFF, NULL, 0, 0, 0, false };
            size_t end, skip_to;
            fl |= scan_word(p, len, i, &f, &end, &skip_to);
            fl |= (c >= '0' && c <= '9') ? TD_MT_NUM : TD_MT_WORD;
            if (f.upper >= 2 && f.lower == 0)
                fl |= TD_MT_ALLCAPS;
            if (f.nonlatin)
                fl |= TD_MT_NONLATIN;
            if (hyphen)
                fl |= TD_MT_HYPHEN;
            t->len = (uint32_t)(end - i);
            t->key = mix64(f.h);
            t->flags = fl;
            i = skip_to;
            hyphen = false;
            /* a hyphen between two words joins them: it is no token */
            if (i < len) {
                size_t a2 = 1, a3 = 1;
                uint32_t nc = p[i] < 128 ? p[i] : dec(p + i, len - i, &a2);
                if (is_dash(nc) && i + a2 < len &&
                    is_wordcp(p[i + a2] < 128 ? p[i + a2] : dec(p + i + a2, len - i - a2, &a3))) {
                    hyphen = true;
                    i += a2;
                }
            }
        } else {
            folder f = { FNV_OFF, NULL, 0, 0, 0, false };
            uint32_t fc = is_apos(cp) ? '\'' : is_dash(cp) ? '-' : cp;
            if (fc == 0x201C || fc == 0x201D || fc == 0x201E || fc == 0xAB || fc == 0xBB)
                fc = '"';
            fold_utf8(&f, fc);
            t->len = (uint32_t)adv;
            t->key = mix64(f.h);
            t->ch = fc < 0x10000 ? (uint16_t)fc : 0;
            /* "Lt." "Mt." "Gen.": a dot glued to a short capitalised word
             * and followed by a space and a capital is an abbreviation dot */
            if (fc == '.' && !space && tv.n >= 2) {
                const td_mtok *pv = &tv.v[tv.n - 2];
                if ((pv->flags & TD_MT_CAP) && pv->off + pv->len == i && i + 2 < len &&
                    p[i + 1] == ' ' && p[i + 2] >= 'A' && p[i + 2] <= 'Z' &&
                    is_abbrev(p + pv->off, pv->len))
                    fl |= TD_MT_SKIP;
            }
            t->flags = fl | TD_MT_PUNCT;
            i += adv;
            hyphen = false;
        }
        space = false;
        para = false;
        nl = false;
        newlines = 0;
    }

    /* sentence indexes and starts */
    if (sentences && n_sentences) {
        uint32_t s = 0;
        for (uint32_t k = 0; k < tv.n; k++) {
            while (s + 1 < n_sentences && tv.v[k].off >= sentences[s + 1].off)
                s++;
            tv.v[k].sent = s;
            if (k == 0 || tv.v[k - 1].sent != s || tv.v[k].off < sentences[0].off)
                tv.v[k].flags |= TD_MT_SENT;
        }
    } else {
        uint32_t s = 0;
        bool start = true;
        for (uint32_t k = 0; k < tv.n; k++) {
            td_mtok *t = &tv.v[k];
            if (!start && (t->flags & TD_MT_PARA))
                start = true, s++;
            if (start && !(t->flags & TD_MT_PUNCT)) {
                t->flags |= TD_MT_SENT;
                start = false;
            }
            t->sent = s;
            if ((t->flags & TD_MT_PUNCT) && !(t->flags & TD_MT_SKIP) &&
                (t->ch == '.' || t->ch == '!' || t->ch == '?') && k + 1 < tv.n &&
                (tv.v[k + 1].flags & (TD_MT_SPACE | TD_MT_PARA))) {
                /* the next word starts a sentence if capitalised, a quote
                 * or bracket may come first */
                uint32_t j = k + 1;
                while (j < tv.n && (tv.v[j].flags & TD_MT_PUNCT) &&
                       (tv.v[j].ch == '"' || tv.v[j].ch == '\'' || tv.v[j].ch == '('))
                    j++;
                if (j < tv.n && !(tv.v[j].flags & TD_MT_LOWER))
                    start = true, s++;
            }
        }
    }
    *out = tv.v;
    return tv.n;
}

size_t td_match_fold(td_str text, td_buf *out)
{
    const uint8_t *p = (const uint8_t *)text.p;
    size_t len = text.len, i = 0, start = out->len;
    bool any = false;
    while (i < len) {
        size_t adv = 1;
        uint32_t cp = p[i] < 128 ? p[i] : dec(p + i, len - i, &adv);
        if (!is_wordcp(cp)) {
            i += adv;
            continue;
        }
        if (any)
            td_buf_putc(out, ' ');
        folder f = { FNV_OFF, out, 0, 0, 0, false };
        size_t end, skip_to;
        scan_word(p, len, i, &f, &end, &skip_to);
        any = true;
        i = skip_to > i ? skip_to : i + 1;
    }
    return out->len - start;
}

uint32_t td_match_phrase_keys(td_str phrase, uint64_t *keys, uint32_t cap)
{
    const uint8_t *p = (const uint8_t *)phrase.p;
    size_t len = phrase.len, i = 0;
    uint32_t n = 0;
    while (i < len && n < cap) {
        size_t adv = 1;
        uint32_t cp = p[i] < 128 ? p[i] : dec(p + i, len - i, &adv);
        if (!is_wordcp(cp)) {
            i += adv;
            continue;
        }
        folder f = { FNV_OFF, NULL, 0, 0, 0, false };
        size_t end, skip_to;
        scan_word(p, len, i, &f, &end, &skip_to);
        keys[n++] = mix64(f.h);
        i = skip_to > i ? skip_to : i + 1;
    }
    return n;
}

bool td_match_is_article(td_str w)
{
    static const char *const art[] = { "al", "el", "ad", "ed", "as", "es", "ash", "ar", "an",
                                       "az", "ez", "at", "ath", "ul", "ud", "adh", NULL };
    if (w.len < 2 || w.len > 3)
        return false;
    for (int k = 0; art[k]; k++)
        if (strlen(art[k]) == w.len && memcmp(art[k], w.p, w.len) == 0)
            return true;
    return false;
}

size_t td_match_skeleton(td_str f, char *out, size_t cap)
{
    size_t i = 0, n = 0;
    if (cap == 0)
        return 0;
    /* a leading article token, when more follows */
    size_t sp = 0;
    while (sp < f.len && f.p[sp] != ' ')
        sp++;
    if (sp < f.len && td_match_is_article(td_str_make(f.p, sp)))
        i = sp + 1;
    bool first = true;
    char last = 0;
    for (; i < f.len && n + 1 < cap; i++) {
        char c = f.p[i];
        if (c == ' ' || c == '-' || c == '\'')
            continue;
        if (!first && (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' ||
                       c == 'w'))
            continue;
        first = false;
        if (c == 'q')
            c = 'k'; /* Qasr / Kasr, Tariq / Tarik */
        if (c == last)
            continue;
        out[n++] = c;
        last = c;
    }
    while (n > 1 && out[n - 1] == 'h')
        n--;
    out[n] = '\0';
    return n;
}

/* ---- builder ---- */

typedef struct bslot {
    uint64_t key;
    uint32_t state;
    uint32_t next; /* 0: empty */
} bslot;

struct td_match_builder {
    bslot *slots;
    uint32_t n_slots, n_used;  /* n_slots a power of two */
    uint32_t *out;             /* per state: pattern id + 1 */
    uint32_t *depth;
    uint32_t n_states, cap_states;
    uint32_t n_patterns;
};

static inline uint32_t slot_hash(uint64_t key, uint32_t state)
{
    return (uint32_t)mix64(key ^ ((uint64_t)state * 0x9E3779B97F4A7C15ull));
}

td_match_builder *td_match_builder_new(void)
{
    td_match_builder *b = td_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->n_slots = 1024;
    b->slots = td_calloc(b->n_slots, sizeof *b->slots);
    b->cap_states = 1024;
    b->out = td_calloc(b->cap_states, sizeof *b->out);
    b->depth = td_calloc(b->cap_states, sizeof *b->depth);
    if (!b->slots || !b->out || !b->depth) {
        td_match_builder_free(b);
        return NULL;
    }
    b->n_states = 1; /* the root */
    return b;
}

void td_match_builder_free(td_match_builder *b)
{
    if (!b)
        return;
    td_free(b->slots);
    td_free(b->out);
    td_free(b->depth);
    td_free(b);
}

uint32_t td_match_builder_count(const td_match_builder *b)
{
    return b->n_patterns;
}

static bslot *bfind(bslot *slots, uint32_t n_slots, uint64_t key, uint32_t state)
{
    uint32_t mask = n_slots - 1, i = slot_hash(key, state) & mask;
    for (;;) {
        bslot *s = &slots[i];
        if (s->next == 0 || (s->key == key && s->state == state))
            return s;
        i = (i + 1) & mask;
    }
}

/* Doubles the slot table. On error the builder is unchanged. */
static td_status bgrow(td_match_builder *b)
{
    uint32_t n2 = b->n_slots * 2;
    bslot *ns = td_calloc(n2, sizeof *ns);
    if (!ns)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < b->n_slots; i++) {
        bslot *s = &b->slots[i];
        if (s->next)
            *bfind(ns, n2, s->key, s->state) = *s;
    }
    td_free(b->slots);
    b->slots = ns;
    b->n_slots = n2;
    return TD_OK;
}

td_status td_match_builder_add(td_match_builder *b, const uint64_t *keys, uint32_t n,
                               uint32_t *id)
{
    if (n == 0 || n > TD_MATCH_MAX_DEPTH)
        return TD_EINVAL;
    uint32_t st = 0;
    for (uint32_t k = 0; k < n; k++) {
        if ((uint64_t)(b->n_used + 1) * 10 > (uint64_t)b->n_slots * 6 && bgrow(b) != TD_OK)
            return TD_ENOMEM;
        bslot *s = bfind(b->slots, b->n_slots, keys[k], st);
        if (s->next) {
            st = s->next;
            continue;
        }
        if (b->n_states == b->cap_states) {
            uint32_t nc = b->cap_states * 2;
            uint32_t *no = td_realloc(b->out, (size_t)nc * sizeof *no);
            if (!no)
                return TD_ENOMEM;
            b->out = no;
            uint32_t *nd = td_realloc(b->depth, (size_t)nc * sizeof *nd);
            if (!nd)
                return TD_ENOMEM;
            b->depth = nd;
            b->cap_states = nc;
        }
        uint32_t ns = b->n_states++;
        b->out[ns] = 0;
        b->depth[ns] = b->depth[st] + 1;
        s->key = keys[k];
        s->state = st;
        s->next = ns;
        b->n_used++;
        st = ns;
    }
    if (!b->out[st])
        b->out[st] = ++b->n_patterns;
    *id = b->out[st] - 1;
    return TD_OK;
}

static inline size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static uint32_t filter_log2_for(uint32_t n_keys)
{
    uint32_t lg = 10;
    while (lg < 26 && ((uint64_t)1 << lg) < (uint64_t)n_keys * 16)
        lg++;
    return lg;
}

td_status td_match_builder_finish(td_match_builder *b, td_buf *out)
{
    td_status st = TD_ENOMEM;
    uint32_t ns = b->n_states;
    /* final table: load <= 0.5 for short probe chains at match time */
    uint32_t n_slots = 1024;
    while ((uint64_t)n_slots < (uint64_t)b->n_used * 2)
        n_slots *= 2;
    uint32_t flog = filter_log2_for(b->n_used);
    uint32_t *fail = td_calloc(ns, sizeof *fail);
    uint32_t *dict = td_calloc(ns, sizeof *dict);
    uint32_t *cnt = td_calloc((size_t)TD_MATCH_MAX_DEPTH + 2, sizeof *cnt);
    bslot *fin = td_calloc(n_slots, sizeof *fin);
    bslot **by_depth = td_calloc(b->n_used + 1, sizeof *by_depth);
    if (!fail || !dict || !cnt || !fin || !by_depth)
        goto done;

    /* edges ordered by the depth of their parent: processing them in that
     * order visits parents before children, as BFS does */
    for (uint32_t i = 0; i < b->n_slots; i++)
        if (b->slots[i].next)
            cnt[b->depth[b->slots[i].state] + 1]++;
    for (uint32_t d = 1; d <= TD_MATCH_MAX_DEPTH + 1; d++)
        cnt[d] += cnt[d - 1];
    for (uint32_t i = 0; i < b->n_slots; i++)
        if (b->slots[i].next)
            by_depth[cnt[b->depth[b->slots[i].state]]++] = &b->slots[i];
    for (uint32_t e = 0; e < b->n_used; e++) {
        const bslot *ed = by_depth[e];
        uint32_t child = ed->next, parent = ed->state;
        uint32_t f = 0;
        if (parent != 0) {
            uint32_t s = fail[parent];
            for (;;) {
                const bslot *t = bfind(b->slots, b->n_slots, ed->key, s);
                if (t->next) {
                    f = t->next;
                    break;
                }
                if (s == 0)
                    break;
                s = fail[s];
            }
        }
        fail[child] = f;
        dict[child] = b->out[f] ? f : dict[f];
    }

    for (uint32_t i = 0; i < b->n_slots; i++)
        if (b->slots[i].next)
            *bfind(fin, n_slots, b->slots[i].key, b->slots[i].state) = b->slots[i];

    size_t filter_bytes = ((size_t)1 << flog) / 8;
    if (filter_bytes < 8)
        filter_bytes = 8;
    size_t total = HDR_LEN + (size_t)n_slots * 16 + 4 * align8((size_t)ns * 4) + filter_bytes;
    size_t pad = align8(out->len) - out->len;
    if (!td_buf_reserve(out, pad + total))
        goto done;
    memset(out->p + out->len, 0, pad + total);
    uint8_t *base = (uint8_t *)out->p + out->len + pad;
    wr32(base, AC_MAGIC);
    wr32(base + 4, TD_MATCH_VERSION);
    wr32(base + 8, ns);
    wr32(base + 12, n_slots);
    wr32(base + 16, b->n_patterns);
    wr32(base + 20, flog);
    uint8_t *q = base + HDR_LEN;
    for (uint32_t i = 0; i < n_slots; i++, q += 16) {
        wr64(q, fin[i].key);
        wr32(q + 8, fin[i].state);
        wr32(q + 12, fin[i].next);
    }
    const uint32_t *arrs[4] = { fail, b->out, dict, b->depth };
    for (int k = 0; k < 4; k++) {
        for (uint32_t s = 0; s < ns; s++)
            wr32(q + (size_t)s * 4, arrs[k][s]);
        q += align8((size_t)ns * 4);
    }
    for (uint32_t i = 0; i < n_slots; i++) {
        if (!fin[i].next)
            continue;
        uint64_t bit = fin[i].key >> (64 - flog);
        q[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    }
    out->len += pad + total;
    out->p[out->len] = '\0';
    st = TD_OK;
done:
    td_free(fail);
    td_free(dict);
    td_free(cnt);
    td_free(fin);
    td_free(by_depth);
    return st;
}

/* ---- matching ---- */

td_status td_match_open(td_matcher *m, const void *blob, size_t len)
{
    const uint8_t *p = blob;
    if (!p || len < HDR_LEN || ((uintptr_t)p & 7) || rd32(p) != AC_MAGIC ||
        rd32(p + 4) != TD_MATCH_VERSION)
        return TD_EPARSE;
    uint32_t ns = rd32(p + 8), n_slots = rd32(p + 12), np = rd32(p + 16), flog = rd32(p + 20);
    if (ns == 0 || n_slots == 0 || (n_slots & (n_slots - 1)) || flog < 10 || flog > 26)
        return TD_EPARSE;
    size_t need = HDR_LEN + (size_t)n_slots * 16 + 4 * align8((size_t)ns * 4) +
                  ((size_t)1 << flog) / 8;
    if (need > len)
        return TD_EPARSE;
    memset(m, 0, sizeof *m);
    m->n_states = ns;
    m->n_slots = n_slots;
    m->n_patterns = np;
    m->filter_mask = flog;
    m->slots = p + HDR_LEN;
    const uint8_t *q = m->slots + (size_t)n_slots * 16;
    m->fail = q;
    q += align8((size_t)ns * 4);
    m->out = q;
    q += align8((size_t)ns * 4);
    m->dict = q;
    q += align8((size_t)ns * 4);
    m->depth = q;
    q += align8((size_t)ns * 4);
    m->filter = q;
    return TD_OK;
}

size_t td_match_blob_size(const td_matcher *m)
{
    return HDR_LEN + (size_t)m->n_slots * 16 + 4 * align8((size_t)m->n_states * 4) +
           ((size_t)1 << m->filter_mask) / 8;
}

/* Returns the child of state on key, or 0. */
static inline uint32_t go(const td_matcher *m, uint32_t state, uint64_t key)
{
    uint32_t mask = m->n_slots - 1, i = slot_hash(key, state) & mask;
    for (;;) {
        const uint8_t *s = m->slots + (size_t)i * 16;
        uint32_t next = rd32(s + 12);
        if (next == 0)
            return 0;
        if (rd64(s) == key && rd32(s + 8) == state)
            return next;
        i = (i + 1) & mask;
    }
}

int64_t td_match_lookup(const td_matcher *m, const uint64_t *keys, uint32_t n)
{
    uint32_t st = 0;
    for (uint32_t i = 0; i < n; i++) {
        st = go(m, st, keys[i]);
        if (st == 0)
            return -1;
    }
    uint32_t o = n ? rd32(m->out + (size_t)st * 4) : 0;
    return o ? (int64_t)o - 1 : -1;
}

uint32_t td_match_run(const td_matcher *m, const td_mtok *toks, uint32_t n, td_arena *a,
                      td_match **out)
{
    uint32_t cap = 64, cnt = 0;
    td_match *v = td_arena_alloc(a, cap * sizeof *v);
    *out = NULL;
    if (!v)
        return 0;
    uint32_t ring[TD_MATCH_MAX_DEPTH]; /* indexes of the last non-skipped tokens */
    uint32_t pos = 0, st = 0, shift = 64 - m->filter_mask;
    for (uint32_t i = 0; i < n; i++) {
        const td_mtok *t = &toks[i];
        if (t->flags & TD_MT_SKIP)
            continue;
        ring[pos % TD_MATCH_MAX_DEPTH] = i;
        pos++;
        uint64_t bit = t->key >> shift;
        if (!(m->filter[bit >> 3] & (1u << (bit & 7)))) {
            st = 0;
            continue;
        }
        uint32_t nx;
        while ((nx = go(m, st, t->key)) == 0 && st != 0)
            st = rd32(m->fail + (size_t)st * 4);
        st = nx;
        uint32_t o = rd32(m->out + (size_t)st * 4) ? st : rd32(m->dict + (size_t)st * 4);
        while (o) {
            uint32_t d = rd32(m->depth + (size_t)o * 4);
            if (cnt == cap) {
                td_match *nv = td_arena_realloc(a, v, cap * sizeof *v, 2 * cap * sizeof *v);
                if (!nv)
                    return 0;
                v = nv;
                cap *= 2;
            }
            v[cnt].pattern = rd32(m->out + (size_t)o * 4) - 1;
            v[cnt].start = ring[(pos - d) % TD_MATCH_MAX_DEPTH];
            v[cnt].end = i + 1;
            cnt++;
            o = rd32(m->dict + (size_t)o * 4);
        }
    }
    *out = v;
    return cnt;
}
