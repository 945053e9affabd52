/*
 * normalize.c - forms of a text for matching (gazetteers, aliases, dedup
 * shingles); the original text is kept for display and offsets.
 *
 * td_text_unify_punct rewrites typographic punctuation to ASCII by matching
 * UTF-8 byte patterns directly (every target is a 2- or 3-byte sequence whose
 * replacement is no longer), so it needs no decoding and one output buffer of
 * the input's size.
 *
 * td_text_fold lower-cases ASCII bytes itself and hands each maximal run of
 * non-ASCII bytes to utf8proc (CASEFOLD|STRIPMARK|COMPAT|COMPOSE). Splitting at
 * ASCII bytes gives the same result as folding the whole string, because
 * STRIPMARK removes the combining marks that are the only things an ASCII
 * letter composes with. Output grows geometrically in the arena, since compat
 * decompositions may expand (U+FB03 "ﬃ" -> "ffi").
 */
#include "text/text.h"
#include "text/text_int.h"

#include <string.h>

/* Returns the replacement for the typographic character starting at s (n
 * bytes left), its length in *in_len, or NULL when s starts nothing to unify. */
static const char *unify_at(const unsigned char *s, size_t n, size_t *in_len)
{
    if (s[0] == 0xC2 && n >= 2) {
        *in_len = 2;
        switch (s[1]) {
        case 0xA0: return " ";   /* no-break space */
        case 0xAB: return "\"";  /* « */
        case 0xBB: return "\"";  /* » */
        default: return NULL;
        }
    }
    if (n < 3)
        return NULL;
    *in_len = 3;
    if (s[0] == 0xE2 && s[1] == 0x80) {
        unsigned c = s[2];
        if (c <= 0x8A) /* U+2000..U+200A: en quad .. hair space */
            return " ";
        switch (c) {
        case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95:
            return "-";          /* U+2010..U+2015 hyphens and dashes */
        case 0x98: case 0x99: case 0x9A: case 0x9B:
            return "'";          /* ‘ ’ ‚ ‛ */
        case 0x9C: case 0x9D: case 0x9E: case 0x9F:
            return "\"";         /* “ ” „ ‟ */
        case 0xA6:
            return "...";        /* … */
        case 0xAF:
            return " ";          /* U+202F narrow no-break space */
        case 0xB2: case 0xB9: case 0xBA:
            return "'";          /* ′ ‹ › */
        case 0xB3:
            return "\"";         /* ″ */
        default:
            return NULL;
        }
    }
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return " ";              /* U+205F medium mathematical space */
    if (s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)
        return "-";              /* U+2212 minus sign */
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return " ";              /* U+3000 ideographic space */
    return NULL;
}

/* An output buffer in the arena that grows by doubling. */
typedef struct obuf {
    td_arena *a;
    char *p;
    size_t len, cap;
    bool failed;
} obuf;

/* Makes room for extra more bytes plus a NUL; false on failure (sticky). */
static bool obuf_reserve(obuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = td_arena_realloc(b->a, b->p, b->len, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

static void obuf_put(obuf *b, const void *p, size_t len)
{
    if (obuf_reserve(b, len)) {
        memcpy(b->p + b->len, p, len);
        b->len += len;
    }
}

/* Folds the non-ASCII run s[0..n) through utf8proc onto b. Invalid UTF-8
 * (not expected after the gate) is copied unchanged. */
static void fold_run(obuf *b, const char *s, size_t n)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                   UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
    utf8proc_int32_t small[64];
    utf8proc_int32_t *buf = small;
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                            small, 63, opts);
    if (k < 0) {
        obuf_put(b, s, n);
        return;
    }
    if (k > 63) {
        buf = td_arena_alloc(b->a, ((size_t)k + 1) * sizeof *buf);
        if (!buf) {
            b->failed = true;
            return;
        }
        if (utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, buf, k,
                               opts) != k) {
            b->failed = true;
            return;
        }
    }
    utf8proc_ssize_t len = utf8proc_reencode(buf, k, opts);
    if (len < 0) {
        obuf_put(b, s, n);
        return;
    }
    obuf_put(b, buf, (size_t)len);
}

/* ---- API implementation ---- */

td_str td_text_unify_punct(td_arena *a, td_str in)
{
    const unsigned char *s = (const unsigned char *)in.p;
    size_t n = in.p ? in.len : 0;
    char *out = td_arena_alloc(a, n + 1); /* every replacement is no longer */
    if (!out)
        return (td_str){ NULL, 0 };
    size_t i = 0, o = 0;
    while (i < n) {
        /* copy up to the next byte that can start a target: C2, E2 or E3 */
        size_t run = i;
        while (i < n && s[i] != 0xC2 && s[i] != 0xE2 && s[i] != 0xE3)
            i++;
        memcpy(out + o, s + run, i - run);
        o += i - run;
        if (i >= n)
            break;
        size_t k;
        const char *rep = unify_at(s + i, n - i, &k);
        if (rep) {
            size_t rl = strlen(rep);
            memcpy(out + o, rep, rl);
            o += rl;
            i += k;
        } else {
            out[o++] = (char)s[i++];
        }
    }
    out[o] = '\0';
    return (td_str){ out, o };
}

td_str td_text_fold(td_arena *a, td_str in)
{
    td_str u = td_text_unify_punct(a, in);
    if (!u.p)
        return u;
    const unsigned char *s = (const unsigned char *)u.p;
    size_t n = u.len;
    obuf b = { a, NULL, 0, 0, false };
    if (!obuf_reserve(&b, n + n / 8 + 8))
        return (td_str){ NULL, 0 };
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && s[i] < 0x80)
            i++;
        if (i > run) { /* ASCII: lower-case in place, one reserve per run */
            if (!obuf_reserve(&b, i - run))
                break;
            for (size_t k = run; k < i; k++) {
                unsigned char c = s[k];
                b.p[b.len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            continue;
        }
        while (i < n && s[i] >= 0x80)
            i++;
        fold_run(&b, u.p + run, i - run);
    }
    if (b.failed) {
        a->failed = true;
        return (td_str){ NULL, 0 };
    }
    b.p[b.len] = '\0';
    return (td_str){ b.p, b.len };
}
