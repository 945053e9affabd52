/* buf.c - see buf.h. Growth doubles the capacity, so appends are amortised O(1). */
#include "base/buf.h"
#include "base/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

bool td_buf_reserve(td_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = td_realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void td_buf_append(td_buf *b, const void *p, size_t len)
{
    if (!td_buf_reserve(b, len))
        return;
    if (len)
        memcpy(b->p + b->len, p, len);
    b->len += len;
    b->p[b->len] = '\0';
}

void td_buf_puts(td_buf *b, const char *z) { td_buf_append(b, z, strlen(z)); }

void td_buf_putc(td_buf *b, char c) { td_buf_append(b, &c, 1); }

void td_buf_vprintf(td_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !td_buf_reserve(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void td_buf_printf(td_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    td_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Length of the well-formed UTF-8 sequence at p (n bytes left; p[0] >= 0x80),
 * or 0 when it is not one (stray continuation byte, overlong form, surrogate,
 * beyond U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return len;
}

void td_buf_json_escape(td_buf *b, td_str s)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        const char *rep = NULL;
        char tmp[7];
        if (c >= 0x80) {
            /* invalid UTF-8 (a query argument, a damaged record) would make
             * the whole document invalid JSON: each bad byte becomes U+FFFD */
            size_t k = utf8_seq((const unsigned char *)s.p + i, s.len - i);
            if (k) {
                i += k - 1;
                continue;
            }
            td_buf_append(b, s.p + start, i - start);
            td_buf_puts(b, "\\ufffd");
            start = i + 1;
            continue;
        }
        switch (c) {
        case '"': rep = "\\\""; break;
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        case '\t': rep = "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                tmp[0] = '\\'; tmp[1] = 'u'; tmp[2] = '0'; tmp[3] = '0';
                tmp[4] = hex[c >> 4]; tmp[5] = hex[c & 15]; tmp[6] = '\0';
                rep = tmp;
            }
        }
        if (rep) {
            td_buf_append(b, s.p + start, i - start);
            td_buf_puts(b, rep);
            start = i + 1;
        }
    }
    td_buf_append(b, s.p + start, s.len - start);
}

void td_buf_json_str(td_buf *b, td_str s)
{
    if (!s.p) {
        td_buf_puts(b, "null");
        return;
    }
    td_buf_putc(b, '"');
    td_buf_json_escape(b, s);
    td_buf_putc(b, '"');
}

void td_buf_free(td_buf *b)
{
    td_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
