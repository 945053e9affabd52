/*
 * html_charset.c - charset detection and conversion to UTF-8 (see
 * html_charset.h).
 *
 * Conversion is done here with glibc iconv rather than by libxml2 so that
 * (1) invalid bytes become U+FFFD one by one instead of libxml2 switching the
 * rest of the document to Latin-1, (2) the extractor always parses UTF-8 with
 * the in-document hint ignored, and (3) valid UTF-8, the common case, is not
 * copied at all. Output of a conversion is at most 3 bytes per input byte for
 * every single- and double-byte charset, so one arena block of 3n+16 bytes
 * suffices; the loop still grows it on E2BIG to be safe with odd charsets.
 */
#include "clean/html_charset.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#define META_WINDOW (16 * 1024)

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Finds the ASCII case-insensitive needle (lower case) in p[0..n). */
static const char *ifind(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (lower((unsigned char)p[i]) != (unsigned char)needle[0])
            continue;
        size_t j = 1;
        while (j < k && lower((unsigned char)p[i + j]) == (unsigned char)needle[j])
            j++;
        if (j == k)
            return p + i;
    }
    return NULL;
}

td_str td_html_charset(td_str html)
{
    const unsigned char *u = (const unsigned char *)html.p;
    if (!u)
        return td_str_make("", 0);
    if (html.len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return TD_STR_LIT("UTF-8");
    if (html.len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return TD_STR_LIT("UTF-16LE");
    if (html.len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return TD_STR_LIT("UTF-16BE");
    size_t n = html.len < META_WINDOW ? html.len : META_WINDOW;
    const char *p = html.p, *end = html.p + n;
    /* Only "charset" inside a <meta ...> tag counts: <script charset=...> and
     * prose mentioning charsets must not. */
    while (p < end) {
        const char *m = ifind(p, (size_t)(end - p), "<meta");
        if (!m)
            break;
        const char *gt = memchr(m, '>', (size_t)(end - m));
        const char *tend = gt ? gt : end;
        const char *c = ifind(m, (size_t)(tend - m), "charset");
        if (c) {
            c += 7;
            while (c < tend && (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r'))
                c++;
            if (c < tend && *c == '=') {
                c++;
                while (c < tend && (*c == ' ' || *c == '"' || *c == '\''))
                    c++;
                const char *s = c;
                while (c < tend && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                                    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
                                    *c == '.' || *c == ':'))
                    c++;
                if (c > s)
                    return td_str_make(s, (size_t)(c - s));
            }
        }
        p = tend;
    }
    return td_str_make("", 0);
}

/* Returns the length of the valid UTF-8 sequence at p (1..4), or 0 when the
 * bytes there are not one (overlong, surrogate, > U+10FFFF, truncated). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && p[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0;
        if (c == 0xF4 && p[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* Returns the offset of the first invalid UTF-8 byte in s, or s.len. */
static size_t utf8_valid_prefix(td_str s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0;
    while (i < s.len) {
        /* ASCII runs, 8 bytes at a time */
        while (i + 8 <= s.len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= s.len)
            break;
        size_t k = utf8_seq(p + i, s.len - i);
        if (!k)
            return i;
        i += k;
    }
    return s.len;
}

/* Copies s with invalid bytes replaced by U+FFFD; first_bad is known. */
static td_status utf8_repair(td_arena *a, td_str s, size_t first_bad, td_str *out, uint32_t *n_bad)
{
    char *o = td_arena_alloc(a, s.len * 3 + 1);
    if (!o)
        return TD_ENOMEM;
    memcpy(o, s.p, first_bad);
    size_t j = first_bad;
    uint32_t bad = 0;
    const unsigned char *p = (const unsigned char *)s.p;
    for (size_t i = first_bad; i < s.len;) {
        size_t k = utf8_seq(p + i, s.len - i);
        if (k) {
            memcpy(o + j, p + i, k);
            j += k;
            i += k;
        } else {
            memcpy(o + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
            bad++;
        }
    }
    o[j] = '\0';
    *out = td_str_make(o, j);
    if (n_bad)
        *n_bad = bad;
    return TD_OK;
}

/* Maps a declared label to an iconv name; NULL means "treat as UTF-8". */
static const char *iconv_name(td_str label, char *tmp, size_t tmp_len)
{
    if (label.len == 0 || label.len >= tmp_len)
        return NULL;
    /* A <meta> read as ASCII cannot truly say UTF-16: WHATWG treats those
     * labels as UTF-8, and so do we. */
    static const char *const utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "utf-16",
                                        "utf-16le", "utf-16be", "ucs-2", "unicode" };
    for (size_t i = 0; i < sizeof utf8 / sizeof *utf8; i++)
        if (td_str_ieq(label, td_str_cstr(utf8[i])))
            return NULL;
    /* WHATWG: these labels all mean windows-1252 on the web. */
    static const char *const w1252[] = { "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii",
                                         "ascii", "iso_8859-1", "cp1252", "windows-1252",
                                         "x-cp1252", "cp819", "ibm819" };
    for (size_t i = 0; i < sizeof w1252 / sizeof *w1252; i++)
        if (td_str_ieq(label, td_str_cstr(w1252[i])))
            return "WINDOWS-1252";
    memcpy(tmp, label.p, label.len);
    tmp[label.len] = '\0';
    return tmp;
}

/* Converts s from charset cs with iconv; bytes iconv rejects become U+FFFD.
 * Returns TD_EINVAL when iconv does not know cs. */
static td_status convert(td_arena *a, td_str s, const char *cs, td_str *out, uint32_t *n_bad)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return TD_EINVAL;
    size_t cap = s.len * 3 + 16;
    char *o = td_arena_alloc(a, cap);
    if (!o) {
        iconv_close(cd);
        return TD_ENOMEM;
    }
    char *in = (char *)(uintptr_t)s.p;
    size_t in_left = s.len;
    char *op = o;
    size_t out_left = cap - 1;
    uint32_t bad = 0;
    td_status st = TD_OK;
    while (in_left > 0) {
        size_t r = iconv(cd, &in, &in_left, &op, &out_left);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG || out_left < 4) {
            size_t used = (size_t)(op - o);
            char *n = td_arena_realloc(a, o, used, cap * 2);
            if (!n) {
                st = TD_ENOMEM;
                break;
            }
            o = n;
            op = o + used;
            out_left = cap * 2 - used - 1;
            cap *= 2;
            continue;
        }
        /* EILSEQ or EINVAL (truncated at the end): one byte becomes U+FFFD */
        memcpy(op, "\xEF\xBF\xBD", 3);
        op += 3;
        out_left -= 3;
        in++;
        in_left--;
        bad++;
        iconv(cd, NULL, NULL, NULL, NULL); /* reset shift state */
    }
    iconv_close(cd);
    if (st != TD_OK)
        return st;
    *op = '\0';
    *out = td_str_make(o, (size_t)(op - o));
    if (n_bad)
        *n_bad = bad;
    return TD_OK;
}

td_status td_html_to_utf8(td_arena *a, td_str html, td_str *out, uint32_t *n_bad)
{
    if (!a || !out || (!html.p && html.len))
        return TD_EINVAL;
    if (n_bad)
        *n_bad = 0;
    if (!html.p)
        html = td_str_make("", 0);
    td_str label = td_html_charset(html);
    const unsigned char *u = (const unsigned char *)html.p;
    if (html.len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        html.p += 3;
        html.len -= 3;
        label = td_str_make("", 0); /* the BOM wins over any <meta> */
    } else if (td_str_eq(label, TD_STR_LIT("UTF-16LE")) || td_str_eq(label, TD_STR_LIT("UTF-16BE"))) {
        td_str body = td_str_make(html.p + 2, html.len - 2);
        return convert(a, body, label.p, out, n_bad);
    }
    char tmp[64];
    const char *cs = iconv_name(label, tmp, sizeof tmp);
    size_t ok = utf8_valid_prefix(html);
    if (cs) {
        /* A page declared single-byte yet valid UTF-8 with non-ASCII bytes was
         * almost surely re-encoded on its way here: keep it as is. */
        if (ok == html.len && memchr(html.p, 0, html.len) == NULL) {
            bool ascii = true;
            for (size_t i = 0; i < html.len && ascii; i++)
                ascii = u[i] < 0x80;
            if (!ascii || strcmp(cs, "WINDOWS-1252") == 0) {
                *out = html;
                return TD_OK;
            }
        }
        td_status st = convert(a, html, cs, out, n_bad);
        if (st != TD_EINVAL)
            return st;
        /* unknown label: fall through to UTF-8 handling */
    }
    if (ok == html.len) {
        *out = html;
        return TD_OK;
    }
    if (label.len == 0) {
        /* Nothing declared and not UTF-8: legacy Western pages are the
         * common case. */
        td_status st = convert(a, html, "WINDOWS-1252", out, n_bad);
        if (st != TD_EINVAL)
            return st;
    }
    return utf8_repair(a, html, ok, out, n_bad);
}
