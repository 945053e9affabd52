/*
 * norm.c - the normalised word-token stream of dedup.h: tokens are runs of
 * letters, digits and combining marks, lower-cased (utf8proc for non-ASCII),
 * with apostrophes inside a word dropped so that typographic and straight
 * quotes, which differ between copies of one wire story, give one token.
 *
 * A token's hash is XXH3 of its normalised bytes. A token longer than
 * TOKBUF bytes is hashed in chunks chained through the seed, so a body that
 * is one long line without spaces costs one pass and no allocation.
 *
 * Speed: most tokens of news are short ASCII words. Those are found with a
 * byte-class table and hashed where they lie (lower case) or from a small
 * lower-cased copy; only a token that meets a non-ASCII byte, an apostrophe
 * or TOKBUF goes through the general state machine (tok_state), which gives
 * the same hash for the same bytes. Tokens are produced in blocks
 * (td_dedup_token_block), so callers loop over an array instead of taking
 * one indirect call per word.
 */
#include "dedup/dedup.h"

#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
/* Inlined from Debian's libxxhash-dev header: a token hash is a few ns. */
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { TOKBUF = 128 };

/* ---- the general path ---- */

typedef struct tok_state {
    char buf[TOKBUF];
    size_t len;           /* bytes in buf */
    uint64_t chain;       /* hash of the chunks already flushed, 0 when none */
    bool open;            /* a token is being read */
} tok_state;

static void tok_flush_chunk(tok_state *t)
{
    t->chain = XXH3_64bits_withSeed(t->buf, t->len, t->chain);
    t->len = 0;
}

static inline void tok_byte(tok_state *t, char c)
{
    if (t->len == TOKBUF)
        tok_flush_chunk(t);
    t->buf[t->len++] = c;
    t->open = true;
}

static void tok_put(tok_state *t, const char *p, size_t len)
{
    if (t->len + len > TOKBUF)
        tok_flush_chunk(t);
    memcpy(t->buf + t->len, p, len);
    t->len += len;
    t->open = true;
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x2032;
}

/* Decodes the code point at s.p[i]: its length (<= 0 for an invalid byte)
 * and whether it is a word character. */
static utf8proc_ssize_t decode(td_str s, size_t i, utf8proc_int32_t *cp, bool *word)
{
    utf8proc_ssize_t adv = utf8proc_iterate((const utf8proc_uint8_t *)s.p + i, (utf8proc_ssize_t)(s.len - i), cp);
    if (adv > 0) {
        utf8proc_category_t cat = utf8proc_category(*cp);
        *word = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
    }
    return adv;
}

/* Reads the token starting at s.p[i] (a word character) with every rule;
 * writes its hash and returns the offset just past it. */
static size_t slow_token(td_str s, size_t i, uint64_t *h)
{
    tok_state t = { .len = 0, .chain = 0, .open = false };
    while (i < s.len) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                tok_byte(&t, (char)c);
            else if (c >= 'A' && c <= 'Z')
                tok_byte(&t, (char)(c + 32));
            else if (c != '\'' || !t.open)
                break;
            i++; /* a word byte, or an apostrophe dropped inside the word */
            continue;
        }
        utf8proc_int32_t cp;
        bool word = false;
        utf8proc_ssize_t adv = decode(s, i, &cp, &word);
        if (adv <= 0)
            break; /* invalid byte: a separator */
        if (word) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t el = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            tok_put(&t, (const char *)enc, (size_t)el);
        } else if (!is_apostrophe((uint32_t)cp) || !t.open) {
            break;
        }
        i += (size_t)adv;
    }
    *h = XXH3_64bits_withSeed(t.buf, t.len, t.chain);
    return i;
}

/* ---- the ASCII fast path ---- */

enum { C_SEP = 0, C_LOW = 1, C_UP = 2, C_SLOW = 3 }; /* C_SLOW: apostrophe or a non-ASCII byte */

static const uint8_t CLASS[256] = {
    ['0'] = C_LOW, ['1'] = C_LOW, ['2'] = C_LOW, ['3'] = C_LOW, ['4'] = C_LOW,
    ['5'] = C_LOW, ['6'] = C_LOW, ['7'] = C_LOW, ['8'] = C_LOW, ['9'] = C_LOW,
    ['a'] = C_LOW, ['b'] = C_LOW, ['c'] = C_LOW, ['d'] = C_LOW, ['e'] = C_LOW, ['f'] = C_LOW, ['g'] = C_LOW,
    ['h'] = C_LOW, ['i'] = C_LOW, ['j'] = C_LOW, ['k'] = C_LOW, ['l'] = C_LOW, ['m'] = C_LOW, ['n'] = C_LOW,
    ['o'] = C_LOW, ['p'] = C_LOW, ['q'] = C_LOW, ['r'] = C_LOW, ['s'] = C_LOW, ['t'] = C_LOW, ['u'] = C_LOW,
    ['v'] = C_LOW, ['w'] = C_LOW, ['x'] = C_LOW, ['y'] = C_LOW, ['z'] = C_LOW,
    ['A'] = C_UP, ['B'] = C_UP, ['C'] = C_UP, ['D'] = C_UP, ['E'] = C_UP, ['F'] = C_UP, ['G'] = C_UP,
    ['H'] = C_UP, ['I'] = C_UP, ['J'] = C_UP, ['K'] = C_UP, ['L'] = C_UP, ['M'] = C_UP, ['N'] = C_UP,
    ['O'] = C_UP, ['P'] = C_UP, ['Q'] = C_UP, ['R'] = C_UP, ['S'] = C_UP, ['T'] = C_UP, ['U'] = C_UP,
    ['V'] = C_UP, ['W'] = C_UP, ['X'] = C_UP, ['Y'] = C_UP, ['Z'] = C_UP,
    ['\''] = C_SLOW,
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    [0x80] = R16(C_SLOW), R16(C_SLOW), R16(C_SLOW), R16(C_SLOW), R16(C_SLOW), R16(C_SLOW), R16(C_SLOW),
    R16(C_SLOW),
#undef R16
};

/* Reads one separator or one token of s from byte i (the token's hash to
 * out[(*n)++]); returns the offset after it. */
static size_t step(td_str s, size_t i, uint64_t *out, uint32_t *n)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t len = s.len;
    unsigned cls = CLASS[p[i]];
    if (cls == C_SEP || p[i] == '\'') /* an apostrophe outside a word separates */
        return i + 1;
    if (cls == C_SLOW) {
        utf8proc_int32_t cp;
        bool word = false;
        utf8proc_ssize_t adv = decode(s, i, &cp, &word);
        if (adv <= 0 || !word)
            return i + (adv > 0 ? (size_t)adv : 1);
        return slow_token(s, i, &out[(*n)++]);
    }
    size_t j = i;
    unsigned any = 0;
    while (j < len && (cls = CLASS[p[j]]) - 1u < 2u) {
        any |= cls;
        j++;
    }
    if ((j < len && cls == C_SLOW) || j - i > TOKBUF)
        return slow_token(s, i, &out[(*n)++]); /* it may go on past an apostrophe or a non-ASCII letter */
    if (any & C_UP) {
        char buf[TOKBUF];
        for (size_t k = i; k < j; k++)
            buf[k - i] = (char)(p[k] | (CLASS[p[k]] == C_UP ? 0x20 : 0));
        out[(*n)++] = XXH3_64bits_withSeed(buf, j - i, 0);
    } else {
        out[(*n)++] = XXH3_64bits_withSeed(p + i, j - i, 0);
    }
    return j;
}

#if defined(__SSE2__)
/* Classes of the 64 bytes at p as bit masks (bit k: byte k): ASCII letters
 * and digits, upper-case letters, and bytes that need the general path
 * (non-ASCII, apostrophe). Signed compares: bytes >= 0x80 are negative,
 * so in no letter range. */
static inline void classes64(const unsigned char *p, uint64_t *word, uint64_t *upper, uint64_t *slow)
{
    uint64_t w = 0, u = 0, sl = 0;
    for (unsigned k = 0; k < 4; k++) {
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i lo = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(c, _mm_set1_epi8('z' + 1)));
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(c, _mm_set1_epi8('Z' + 1)));
        __m128i dg = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(c, _mm_set1_epi8('9' + 1)));
        __m128i ns = _mm_or_si128(_mm_cmplt_epi8(c, _mm_setzero_si128()), _mm_cmpeq_epi8(c, _mm_set1_epi8('\'')));
        w |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lo, up), dg)) << (16 * k);
        u |= (uint64_t)(unsigned)_mm_movemask_epi8(up) << (16 * k);
        sl |= (uint64_t)(unsigned)_mm_movemask_epi8(ns) << (16 * k);
    }
    *word = w;
    *upper = u;
    *slow = sl;
}
#endif

uint32_t td_dedup_token_block(td_str s, size_t *pos, uint64_t *out, uint32_t max)
{
    size_t i = *pos, len = s.len;
    uint32_t n = 0;
#if defined(__SSE2__)
    const unsigned char *p = (const unsigned char *)s.p;
    /* 64 bytes classified at once into bit masks, then the words inside
     * are walked with bit scans: no branch per byte (the byte loop lost a
     * mispredicted branch at every word end). A token that meets the end of
     * the window, a non-ASCII byte or an apostrophe goes through step. */
    while (n < max && i + 64 <= len) {
        uint64_t word, upper, slow;
        classes64(p + i, &word, &upper, &slow);
        uint64_t start = word | slow;
        size_t o = 0; /* offset in the window: a separator or a token starts there */
        while (n < max && o < 64) {
            uint64_t rest = start >> o;
            if (!rest) {
                o = 64; /* separators to the end of the window */
                break;
            }
            o += (unsigned)__builtin_ctzll(rest);
            uint64_t after = ~(word >> o); /* bit k: byte o + k is no ASCII word byte (or past the window) */
            unsigned tlen = after ? (unsigned)__builtin_ctzll(after) : 64;
            if ((slow >> o & 1) || o + tlen >= 64 || (slow >> (o + tlen) & 1)) {
                o = step(s, i + o, out, &n) - i;
                continue;
            }
            const unsigned char *t = p + i + o;
            if ((upper >> o) & ((1ull << tlen) - 1)) {
                char buf[64];
                for (unsigned k = 0; k < tlen; k++)
                    buf[k] = (char)(t[k] | (CLASS[t[k]] == C_UP ? 0x20 : 0));
                out[n++] = XXH3_64bits_withSeed(buf, tlen, 0);
            } else {
                out[n++] = XXH3_64bits_withSeed(t, tlen, 0);
            }
            o += tlen;
        }
        i += o;
    }
#endif
    while (n < max && i < len)
        i = step(s, i, out, &n);
    *pos = i;
    return n;
}

uint32_t td_dedup_tokens(td_str s, void (*fn)(void *ud, uint64_t h), void *ud)
{
    uint64_t h[256];
    size_t pos = 0;
    uint32_t n = 0, k;
    while ((k = td_dedup_token_block(s, &pos, h, 256)) > 0) {
        for (uint32_t i = 0; i < k; i++)
            fn(ud, h[i]);
        n += k;
    }
    return n;
}
