/*
 * token.c - splits text into words, numbers, punctuation and symbols.
 *
 * One left-to-right pass; each token is found by a small scanner that only
 * looks a few code points ahead, so the whole run is linear. Tokens go into a
 * single arena array sized from the text length (about one token per 5 bytes
 * of news prose) and doubled when that guess is short: no allocation per token.
 *
 * Words: a letter, then letters, marks and digits (G7, MH17), joined across an
 * apostrophe (O'Neill, O’Neill, don't) or hyphen (al-Abadi, F-16, e-mail) that
 * sits between two word characters, and across & between capitals (AT&T).
 * Dotted abbreviations of single letters (U.S., a.m., e.g.) keep their final
 * period. Numbers: digits with thousands groups (2,000), a decimal part (3.5),
 * a clock time (10:30), an ordinal or decade suffix (24th, 1990s). A run of
 * periods is one token ("..."), as is a run of hyphens ("--"); URLs and e-mail
 * addresses are one SYM token. Everything else is one code point a token,
 * with combining marks, variation selectors and ZWJ sequences kept together.
 */
#include "text/text.h"
#include "text/text_int.h"

#include <string.h>

typedef struct scan {
    const char *s;
    size_t n;
} scan;

/* Code point and class at i (i < n); *adv gets its byte length. */
static inline uint32_t cp_at(const scan *t, size_t i, size_t *adv, int *cls)
{
    unsigned char c = (unsigned char)t->s[i];
    if (c < 0x80) {
        *adv = 1;
        *cls = td_text_class(c);
        return c;
    }
    uint32_t cp = td_text_peek(t->s + i, t->n - i, adv);
    *cls = td_text_class(cp);
    return cp;
}

static inline bool is_letter_cls(int c)
{
    return c == CC_UPPER || c == CC_LOWER || c == CC_LETTER;
}

static inline bool is_word_cls(int c)
{
    return is_letter_cls(c) || c == CC_MARK || c == CC_DIGIT;
}

/* Class at i, or CC_SPACE past the end. */
static inline int cls_at(const scan *t, size_t i)
{
    if (i >= t->n)
        return CC_SPACE;
    size_t adv;
    int c;
    cp_at(t, i, &adv, &c);
    return c;
}

static inline bool ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline bool ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of an apostrophe (' or U+2019) or hyphen (- U+2010 U+2011) joiner at
 * i, else 0; *hyphen tells which. */
static size_t joiner_at(const scan *t, size_t i, bool *hyphen)
{
    const unsigned char *s = (const unsigned char *)t->s;
    if (i >= t->n)
        return 0;
    if (s[i] == '\'' || s[i] == '-') {
        *hyphen = s[i] == '-';
        return 1;
    }
    if (i + 3 <= t->n && s[i] == 0xE2 && s[i + 1] == 0x80 &&
        (s[i + 2] == 0x99 || s[i + 2] == 0x90 || s[i + 2] == 0x91)) {
        *hyphen = s[i + 2] != 0x99;
        return 3;
    }
    return 0;
}

/* Length of a dotted abbreviation of single ASCII letters at i ("U.S.",
 * "a.m.", "U.S" at the end of a token), or 0 when there is none. */
static size_t dotted_at(const scan *t, size_t i)
{
    const unsigned char *s = (const unsigned char *)t->s;
    size_t p = i, k = 0;
    /* each letter must stand alone: "Ph.D." and "U.Sam" are not dotted */
    while (p + 1 < t->n && ascii_alpha(s[p]) && s[p + 1] == '.') {
        p += 2;
        k++;
        if (p >= t->n || !ascii_alpha(s[p]) || (p + 1 < t->n && ascii_alpha(s[p + 1])))
            break;
    }
    if (k == 0)
        return 0;
    /* a last letter without its period: "U.S" in "U.S-based" */
    if (p < t->n && ascii_alpha(s[p]) && (p + 1 >= t->n || !is_word_cls(cls_at(t, p + 1))))
        return p + 1 - i;
    return k >= 2 ? p - i : 0;
}

/* Scans a word starting at i (a letter); returns its end, sets letter flags. */
static size_t scan_word(const scan *t, size_t i, uint16_t *flags)
{
    const unsigned char *s = (const unsigned char *)t->s;
    size_t p = i, d = dotted_at(t, i);
    unsigned n_up = 0, n_low = 0;
    int first = -1;
    if (d) {
        for (size_t q = i; q < i + d; q++) {
            if (s[q] >= 'A' && s[q] <= 'Z')
                n_up++;
            else if (s[q] >= 'a' && s[q] <= 'z')
                n_low++;
        }
        first = s[i] <= 'Z' ? CC_UPPER : CC_LOWER;
        p = i + d;
        /* continue only through a hyphen: "U.S.-backed" */
        bool hy;
        size_t j = joiner_at(t, p, &hy);
        if (!(j && hy && is_word_cls(cls_at(t, p + j))))
            goto done;
        p += j;
    }
    for (;;) {
        while (p < t->n) {
            unsigned char b = s[p];
            if (b < 0x80) { /* the common case, without decoding */
                int c = td_text_ascii_class[b];
                if (c == CC_LOWER)
                    n_low++;
                else if (c == CC_UPPER)
                    n_up++;
                else if (c != CC_DIGIT)
                    break;
                if (first < 0 && c != CC_DIGIT)
                    first = c;
                p++;
                continue;
            }
            size_t adv;
            int c;
            cp_at(t, p, &adv, &c);
            if (!is_word_cls(c) && c != CC_FORMAT)
                break;
            if (c == CC_UPPER)
                n_up++;
            else if (c == CC_LOWER)
                n_low++;
            if (first < 0 && is_letter_cls(c))
                first = c;
            p += adv;
        }
        bool hy;
        size_t j = joiner_at(t, p, &hy);
        if (j && is_word_cls(cls_at(t, p + j)) && (hy || is_letter_cls(cls_at(t, p + j)))) {
            p += j;
            continue;
        }
        /* AT&T, S&P: & between capitals with no space */
        if (p + 1 < t->n && s[p] == '&' && p > i && s[p - 1] >= 'A' && s[p - 1] <= 'Z' &&
            s[p + 1] >= 'A' && s[p + 1] <= 'Z') {
            p += 1;
            continue;
        }
        break;
    }
done:
    if (first == CC_UPPER)
        *flags |= TD_TOKF_CAP;
    if (n_up >= 2 && n_low == 0)
        *flags |= TD_TOKF_ALLCAPS;
    return p;
}

/* Scans a number starting at i (a digit); returns its end. */
static size_t scan_num(const scan *t, size_t i)
{
    const unsigned char *s = (const unsigned char *)t->s;
    size_t p = i;
    size_t adv;
    int c;
    while (p < t->n && (cp_at(t, p, &adv, &c), c == CC_DIGIT))
        p += adv;
    bool had_dec = false, had_time = false;
    for (;;) {
        if (p + 4 <= t->n && s[p] == ',' && !had_dec && ascii_digit(s[p + 1]) &&
            ascii_digit(s[p + 2]) && ascii_digit(s[p + 3]) &&
            (p + 4 == t->n || !ascii_digit(s[p + 4]))) {
            p += 4; /* thousands group */
            continue;
        }
        if (p + 1 < t->n && s[p] == '.' && !had_dec && !had_time && ascii_digit(s[p + 1])) {
            had_dec = true;
            p += 1;
            while (p < t->n && ascii_digit(s[p]))
                p++;
            continue;
        }
        if (p + 2 < t->n && s[p] == ':' && !had_dec && !had_time && ascii_digit(s[p + 1]) &&
            ascii_digit(s[p + 2]) && (p + 3 == t->n || !ascii_digit(s[p + 3]))) {
            had_time = true;
            p += 3;
            continue;
        }
        break;
    }
    /* ordinal and decade suffixes: 1st 2nd 3rd 24th 1990s 1990's */
    size_t q = p;
    if (q + 1 < t->n && s[q] == '\'' && (s[q + 1] | 0x20) == 's')
        q += 2;
    else if (q < t->n && ascii_alpha(s[q])) {
        size_t e = q;
        while (e < t->n && ascii_alpha(s[e]) && e - q < 3)
            e++;
        char suf[3] = { 0, 0, 0 };
        for (size_t k = q; k < e && k - q < 2; k++)
            suf[k - q] = (char)(s[k] | 0x20);
        size_t sl = e - q;
        if ((sl == 1 && suf[0] == 's') ||
            (sl == 2 && (!memcmp(suf, "st", 2) || !memcmp(suf, "nd", 2) ||
                         !memcmp(suf, "rd", 2) || !memcmp(suf, "th", 2))))
            q = e;
    }
    if (q > p && (q >= t->n || !is_word_cls(cls_at(t, q))))
        p = q;
    return p;
}

/* Length of a URL or e-mail address at i, or 0. Bounded by the next space. */
static size_t scan_link(const scan *t, size_t i)
{
    const char *s = t->s + i;
    size_t n = t->n - i;
    bool url = (n > 8 && !strncmp(s, "https://", 8)) || (n > 7 && !strncmp(s, "http://", 7)) ||
               (n > 4 && !strncmp(s, "www.", 4) && ascii_alpha((unsigned char)s[4]));
    size_t e = 0, max = url || n < 254 ? n : 254; /* bounds the work per word */
    bool at = false, dot_after_at = false;
    while (e < max && (unsigned char)s[e] > ' ' && s[e] != '"' && s[e] != '<' && s[e] != '>') {
        if (s[e] == '@')
            at = e > 0;
        else if (s[e] == '.' && at && e + 1 < n && ascii_alpha((unsigned char)s[e + 1]))
            dot_after_at = true;
        e++;
    }
    if (!url && (!(at && dot_after_at) || e == 254))
        return 0;
    /* trailing sentence punctuation is not part of the address */
    while (e > 0 && strchr(".,;:!?)'", s[e - 1]))
        e--;
    if (!url) { /* e-mail: only word characters, '.', '-', '_', '+', '@' */
        for (size_t k = 0; k < e; k++) {
            unsigned char c = (unsigned char)s[k];
            if (!(ascii_alpha(c) || ascii_digit(c) || c == '.' || c == '-' || c == '_' ||
                  c == '+' || c == '@'))
                return 0;
        }
    }
    return e;
}

/* Where a SYM token starting with a code point of length adv at i ends:
 * marks, variation selectors, skin tones and ZWJ-joined code points stay. */
static size_t scan_sym(const scan *t, size_t i, size_t adv)
{
    size_t p = i + adv;
    while (p < t->n) {
        size_t a;
        int c;
        uint32_t cp = cp_at(t, p, &a, &c);
        if (c == CC_MARK || cp == 0xFE0E || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
            p += a;
        } else if (cp == 0x200D && p + a < t->n) {
            size_t a2;
            int c2;
            cp_at(t, p + a, &a2, &c2);
            if (c2 == CC_SPACE)
                break;
            p += a + a2;
        } else {
            break;
        }
    }
    return p;
}

/* ---- API implementation ---- */

uint32_t td_tokenize(td_arena *a, td_str text, td_token **out)
{
    scan t = { text.p, text.p ? text.len : 0 };
    *out = NULL;
    if (t.n > UINT32_MAX) /* offsets are 32-bit; the gate never passes this */
        t.n = UINT32_MAX;
    size_t cap = t.n / 5 + 16, n = 0;
    td_token *tok = td_arena_alloc(a, cap * sizeof *tok);
    if (!tok)
        return 0;
    const unsigned char *s = (const unsigned char *)t.s;
    size_t i = 0, next_at = 0;
    const char *m0 = t.n ? memchr(t.s, '@', t.n) : NULL;
    next_at = m0 ? (size_t)(m0 - t.s) : SIZE_MAX;
    bool space = false;
    while (i < t.n) {
        size_t adv;
        int c;
        uint32_t cp = cp_at(&t, i, &adv, &c);
        if (c == CC_SPACE) {
            space = true;
            i += adv;
            continue;
        }
        if (c == CC_FORMAT && cp != 0x200D) { /* stray bidi marks, ZWNJ: no token */
            i += adv;
            continue;
        }
        size_t end;
        uint16_t type, flags = space ? TD_TOKF_SPACE_BEFORE : 0;
        size_t link = 0;
        if (is_word_cls(c)) {
            /* only look for a link where one can start: "http", "www." or
             * an '@' close ahead (its position is cached, so this stays linear) */
            if (next_at < i) {
                const char *m = memchr(t.s + i, '@', t.n - i);
                next_at = m ? (size_t)(m - t.s) : SIZE_MAX;
            }
            if ((s[i] == 'h' && i + 7 < t.n && s[i + 1] == 't') ||
                (s[i] == 'w' && i + 4 < t.n && s[i + 1] == 'w') ||
                (next_at != SIZE_MAX && next_at - i < 254))
                link = scan_link(&t, i);
        }
        if (link) {
            end = i + link;
            type = TD_TOK_SYM;
        } else if (is_letter_cls(c) || c == CC_MARK) {
            end = scan_word(&t, i, &flags);
            type = TD_TOK_WORD;
        } else if (c == CC_DIGIT) {
            end = scan_num(&t, i);
            type = TD_TOK_NUM;
        } else if (cp == '.' || cp == '-') {
            end = i + 1;
            while (end < t.n && s[end] == cp)
                end++;
            type = TD_TOK_PUNCT;
        } else if (c == CC_PUNCT) {
            end = i + adv;
            type = TD_TOK_PUNCT;
        } else {
            end = scan_sym(&t, i, adv);
            type = TD_TOK_SYM;
        }
        if (n == cap) {
            td_token *nt = td_arena_realloc(a, tok, cap * sizeof *tok, 2 * cap * sizeof *tok);
            if (!nt)
                return 0;
            tok = nt;
            cap *= 2;
        }
        tok[n++] = (td_token){ (uint32_t)i, (uint32_t)(end - i), type, flags };
        i = end;
        space = false;
    }
    *out = tok;
    return (uint32_t)n;
}
