/*
 * utf8.c - the UTF-8 gate: every article body passes here once, so later
 * stages may assume valid NFC UTF-8 with LF line ends and no stray controls.
 *
 * Plan, in up to three linear passes over the input:
 *   1. scan: word-at-a-time over ASCII (8 bytes per step), decoding only
 *      non-ASCII; it stops at the first byte that needs rewriting and notes
 *      whether any code point might change under NFC.
 *   2. rewrite (only if the scan found something): counted once with no output,
 *      then written into an exact-size arena buffer.
 *   3. NFC with utf8proc (only if a code point that is not NFC-inert was seen:
 *      combining marks, canonical decompositions, Hangul jamo). Its buffers come
 *      from the arena, not from utf8proc_map's malloc, so fault injection and
 *      the one-free-per-article rule hold.
 * Pure ASCII text without CR or controls costs one scan and one memcpy.
 *
 * Rewrites: invalid sequences -> U+FFFD (one per maximal subpart, counted),
 * CR LF and lone CR -> LF, VT/FF -> LF (they separate lines; dropping them
 * would glue words), other C0 controls and DEL dropped, C1 controls read as
 * the cp1252 characters they almost always are in scraped text (U+0092 -> ’),
 * U+2028 -> LF, U+2029 -> blank line, and the invisible U+00AD soft hyphen,
 * U+200B zero-width space, U+2060 word joiner and U+FEFF BOM dropped so they do
 * not split words.
 */
#include "text/text.h"
#include "text/text_int.h"

#include <string.h>

/* cp1252 meaning of bytes 0x80..0x9F (as C1 code points); 0 = undefined, dropped. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* True when the 8 bytes in w are all printable ASCII (0x20..0x7E). Exact:
 * once no byte has its high bit set, neither the subtraction nor the
 * addition carries across bytes in a way that changes the answer. */
static inline bool word_printable(uint64_t w)
{
    uint64_t low = (w - ONES * 0x20) & ~w;  /* high bit where byte < 0x20 */
    uint64_t del = w + ONES;                 /* high bit where byte == 0x7F */
    return ((w | low | del) & HIGH) == 0;
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* True when NFC leaves cp alone whatever surrounds it: a starter with no
 * canonical decomposition that never composes with what precedes it.
 * Conservative: a false answer only costs a run of utf8proc. */
static bool nfc_inert(uint32_t cp)
{
    if (cp < 0x300) /* NFC_Quick_Check is Yes below the combining marks */
        return true;
    if (cp >= 0x1100 && cp < 0x1200) /* Hangul jamo compose into syllables */
        return false;
    if (cp >= 0xAC00 && cp <= 0xD7A3) /* precomposed Hangul is NFC */
        return true;
    const utf8proc_property_t *pr = utf8proc_get_property((utf8proc_int32_t)cp);
    if (pr->combining_class != 0 || pr->comp_exclusion)
        return false;
    if (pr->category == UTF8PROC_CATEGORY_MN || pr->category == UTF8PROC_CATEGORY_MC ||
        pr->category == UTF8PROC_CATEGORY_ME)
        return false;
    if (pr->decomp_seqindex != UINT16_MAX && pr->decomp_type == 0) /* canonical */
        return false;
    return true;
}

/* True for code points the rewrite pass changes or drops. */
static inline bool special_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x200B || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x2060 || cp == 0xFEFF;
}

/* Pass 1. Returns true when the input needs no rewriting; sets *nfc when some
 * code point is not NFC-inert (only meaningful when true is returned). */
static bool scan_clean(const unsigned char *s, size_t n, bool *nfc)
{
    size_t i = 0;
    *nfc = false;
    while (i < n) {
        while (i + 8 <= n && word_printable(load64(s + i)))
            i += 8;
        if (i >= n)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            if ((c >= 0x20 && c != 0x7F) || c == '\n' || c == '\t') {
                i++;
                continue;
            }
            return false;
        }
        int32_t cp;
        size_t adv = td_text_decode(s + i, n - i, &cp);
        if (cp < 0 || special_cp((uint32_t)cp))
            return false;
        if (!*nfc && !nfc_inert((uint32_t)cp))
            *nfc = true;
        i += adv;
    }
    return true;
}

/* Appends the UTF-8 encoding of cp at out + o (when out is not NULL) and
 * returns the new length. */
static inline size_t put_cp(unsigned char *out, size_t o, uint32_t cp)
{
    unsigned char tmp[4];
    size_t k = (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, tmp);
    if (out)
        memcpy(out + o, tmp, k);
    return o + k;
}

/* Pass 2. Writes the rewritten text to out (or only counts it when out is
 * NULL); returns its length. *n_bad gets the replacements, *nfc is set when
 * a code point that is not NFC-inert is written. */
static size_t rewrite(const unsigned char *s, size_t n, unsigned char *out, uint32_t *n_bad,
                      bool *nfc)
{
    size_t i = 0, o = 0;
    uint32_t bad = 0;
    while (i < n) {
        size_t run = i;
        while (i + 8 <= n && word_printable(load64(s + i)))
            i += 8;
        while (i < n && s[i] >= 0x20 && s[i] < 0x7F)
            i++;
        if (i > run) {
            if (out)
                memcpy(out + o, s + run, i - run);
            o += i - run;
            continue;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            if (c == '\n' || c == '\t') {
                if (out)
                    out[o] = (unsigned char)c;
                o++;
            } else if (c == '\r' || c == 0x0B || c == 0x0C) {
                if (c == '\r' && i < n && s[i] == '\n')
                    continue; /* CR LF: the LF comes next */
                if (out)
                    out[o] = '\n';
                o++;
            } /* other controls and DEL are dropped */
            continue;
        }
        int32_t cp;
        size_t adv = td_text_decode(s + i, n - i, &cp);
        i += adv;
        if (cp < 0) {
            bad++;
            o = put_cp(out, o, 0xFFFD);
            continue;
        }
        uint32_t u = (uint32_t)cp;
        if (u <= 0x9F) {
            u = cp1252_c1[u - 0x80];
            if (u)
                o = put_cp(out, o, u);
        } else if (u == 0x2028 || u == 0x2029) {
            size_t k = u == 0x2029 ? 2 : 1;
            if (out)
                memset(out + o, '\n', k);
            o += k;
        } else if (u == 0xAD || u == 0x200B || u == 0x2060 || u == 0xFEFF) {
            /* invisible: dropped */
        } else {
            if (!*nfc && !nfc_inert(u))
                *nfc = true;
            if (out) /* valid: the original bytes are its encoding */
                memcpy(out + o, s + i - adv, adv);
            o += adv;
        }
    }
    if (n_bad)
        *n_bad = bad;
    return o;
}

/* Pass 3: NFC of valid UTF-8 s into the arena; {NULL,0} on failure. */
static td_str nfc_arena(td_arena *a, const char *s, size_t n)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                            NULL, 0, opts);
    if (k < 0) /* cannot happen on valid input */
        return (td_str){ NULL, 0 };
    /* reencode writes the UTF-8 over the code point buffer, plus a NUL */
    utf8proc_int32_t *buf = td_arena_alloc(a, ((size_t)k + 1) * sizeof *buf);
    if (!buf)
        return (td_str){ NULL, 0 };
    utf8proc_ssize_t k2 = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                             buf, k, opts);
    if (k2 != k)
        return (td_str){ NULL, 0 };
    utf8proc_ssize_t len = utf8proc_reencode(buf, k, opts);
    if (len < 0)
        return (td_str){ NULL, 0 };
    return (td_str){ (const char *)buf, (size_t)len };
}

/* ---- API implementation ---- */

td_str td_utf8_sanitize(td_arena *a, td_str in, uint32_t *n_bad)
{
    const unsigned char *s = (const unsigned char *)in.p;
    size_t n = in.p ? in.len : 0;
    bool nfc = false;
    char *out;
    size_t len;
    if (n_bad)
        *n_bad = 0;
    if (scan_clean(s, n, &nfc)) {
        out = td_arena_strndup(a, in.p ? in.p : "", n);
        len = n;
    } else {
        len = rewrite(s, n, NULL, n_bad, &nfc);
        out = td_arena_alloc(a, len + 1);
        if (out) {
            rewrite(s, n, (unsigned char *)out, n_bad, &nfc);
            out[len] = '\0';
        }
    }
    if (!out)
        return (td_str){ NULL, 0 };
    if (!nfc)
        return (td_str){ out, len };
    td_str r = nfc_arena(a, out, len);
    if (!r.p)
        a->failed = true;
    return r;
}

bool td_utf8_valid(td_str str)
{
    const unsigned char *s = (const unsigned char *)str.p;
    size_t n = str.p ? str.len : 0, i = 0;
    while (i < n) {
        while (i + 8 <= n && (load64(s + i) & HIGH) == 0)
            i += 8;
        if (i >= n)
            break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        i += td_text_decode(s + i, n - i, &cp);
        if (cp < 0)
            return false;
    }
    return true;
}

uint32_t td_utf8_next(const char *p, size_t len, size_t *adv)
{
    if (len == 0) {
        *adv = 0;
        return 0xFFFD;
    }
    int32_t cp;
    *adv = td_text_decode((const unsigned char *)p, len, &cp);
    return cp < 0 ? 0xFFFDu : (uint32_t)cp;
}
