/*
 * html.c - HTML sniffing and in-memory gunzip (see html.h).
 *
 * Sniffing is deliberately cheap: a prefix test on at most 1 KB. Gunzip
 * inflates straight into the arena, sized from the gzip trailer (ISIZE, the
 * length mod 2^32 of the last member) and grown by doubling when the hint is
 * wrong, so a file is inflated in one pass with no intermediate copy.
 */
#include "read/html.h"

#include <string.h>
#include <zlib.h>

#define SNIFF_WINDOW 1024

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Returns true when the tag name tag (lower case) starts at p, followed by
 * a byte that ends a tag name. */
static bool tag_at(const char *p, size_t n, const char *tag)
{
    size_t k = strlen(tag);
    if (n < k + 1)
        return false;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)tag[i])
            return false;
    }
    unsigned char e = (unsigned char)p[k];
    return e == '>' || e == '/' || is_space(e);
}

bool td_html_sniff(td_str head)
{
    if (!head.p)
        return false;
    const unsigned char *p = (const unsigned char *)head.p;
    size_t n = head.len < SNIFF_WINDOW ? head.len : SNIFF_WINDOW;
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    else if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        /* UTF-16: keep the low (ASCII) byte of each unit and sniff that. */
        char tmp[SNIFF_WINDOW / 2];
        size_t m = 0;
        for (size_t j = (p[0] == 0xFF) ? 2 : 3; j < n && m < sizeof tmp; j += 2)
            tmp[m++] = (char)p[j];
        return m > 0 && td_html_sniff(td_str_make(tmp, m));
    }
    while (i < n && is_space(p[i]))
        i++;
    if (i >= n || p[i] != '<')
        return false;
    /* Document-level tags only: a lone <p> or <script> may start any text. */
    static const char *const tags[] = { "!doctype", "html", "head", "body", "div",
                                        "meta", "title", "article" };
    for (; i < n; i++) {
        if (p[i] != '<')
            continue;
        for (size_t t = 0; t < sizeof tags / sizeof *tags; t++)
            if (tag_at((const char *)p + i + 1, n - i - 1, tags[t]))
                return true;
    }
    return false;
}

bool td_html_is_gzip(td_str s)
{
    return s.p && s.len >= 2 && (unsigned char)s.p[0] == 0x1f && (unsigned char)s.p[1] == 0x8b;
}

td_status td_html_gunzip(td_arena *a, td_str gz, size_t max_len, td_str *out)
{
    if (!a || !out || !td_html_is_gzip(gz) || gz.len < 18)
        return TD_EINVAL;
    const unsigned char *t = (const unsigned char *)gz.p + gz.len - 4;
    size_t cap = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    if (cap < gz.len)
        cap = gz.len * 4; /* ISIZE is mod 2^32 and only the last member's */
    if (max_len && cap > max_len)
        cap = max_len;
    cap += 1;
    char *buf = td_arena_alloc(a, cap);
    if (!buf)
        return TD_ENOMEM;

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return TD_ENOMEM;
    zs.next_in = (Bytef *)(uintptr_t)gz.p;
    size_t in_left = gz.len;
    size_t len = 0;
    td_status st = TD_OK;
    for (;;) {
        if (len + 1 >= cap) {
            if (max_len && len >= max_len) {
                st = TD_ELIMIT;
                break;
            }
            size_t ncap = cap * 2;
            if (max_len && ncap > max_len + 1)
                ncap = max_len + 1;
            char *nb = td_arena_realloc(a, buf, len, ncap);
            if (!nb) {
                st = TD_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        zs.next_out = (Bytef *)buf + len;
        zs.avail_out = (uInt)((cap - 1 - len) > UINT32_MAX ? UINT32_MAX : (cap - 1 - len));
        zs.avail_in = (uInt)(in_left > UINT32_MAX ? UINT32_MAX : in_left);
        const Bytef *before_in = zs.next_in;
        int rc = inflate(&zs, Z_NO_FLUSH);
        in_left -= (size_t)(zs.next_in - before_in);
        len = (size_t)((char *)zs.next_out - buf);
        if (rc == Z_STREAM_END) {
            /* Another member may follow (cat a.gz b.gz); skip padding NULs. */
            while (in_left && *zs.next_in == 0) {
                zs.next_in++;
                in_left--;
            }
            if (in_left < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b)
                break;
            if (inflateReset(&zs) != Z_OK) {
                st = TD_EPARSE;
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_out > 0) { /* input ran out */
            st = TD_EPARSE;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            st = rc == Z_MEM_ERROR ? TD_ENOMEM : TD_EPARSE;
            break;
        }
    }
    inflateEnd(&zs);
    if (st != TD_OK)
        return st;
    if (max_len && len > max_len)
        return TD_ELIMIT;
    buf[len] = '\0';
    *out = td_str_make(buf, len);
    return TD_OK;
}
