/* str.c - see str.h. ASCII-only case folding: callers fold UTF-8 themselves. */
#include "base/str.h"

static inline unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool td_str_ieq(td_str a, td_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i]))
            return false;
    return true;
}

bool td_str_istarts(td_str s, td_str prefix)
{
    if (s.len < prefix.len)
        return false;
    return td_str_ieq(td_str_make(s.p, prefix.len), prefix);
}

bool td_str_icontains(td_str hay, td_str needle)
{
    if (needle.len == 0)
        return true;
    for (size_t i = 0; i + needle.len <= hay.len; i++)
        if (td_str_ieq(td_str_make(hay.p + i, needle.len), needle))
            return true;
    return false;
}

static inline bool space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

td_str td_str_trim(td_str s)
{
    while (s.len && space((unsigned char)s.p[0])) {
        s.p++;
        s.len--;
    }
    /* also strip UTF-8 no-break spaces (C2 A0) at both ends */
    for (;;) {
        while (s.len && space((unsigned char)s.p[s.len - 1]))
            s.len--;
        if (s.len >= 2 && (unsigned char)s.p[s.len - 2] == 0xC2 && (unsigned char)s.p[s.len - 1] == 0xA0)
            s.len -= 2;
        else
            break;
    }
    while (s.len >= 2 && (unsigned char)s.p[0] == 0xC2 && (unsigned char)s.p[1] == 0xA0) {
        s.p += 2;
        s.len -= 2;
        while (s.len && space((unsigned char)s.p[0])) {
            s.p++;
            s.len--;
        }
    }
    return s;
}

size_t td_str_find(td_str hay, td_str needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > hay.len)
        return (size_t)-1;
    /* glibc's memmem (two-way, vectorised first-byte scan): many times the
     * byte loop on long haystacks such as HTTP blocks searched for "\n\n" */
    const char *at = memmem(hay.p, hay.len, needle.p, needle.len);
    return at ? (size_t)(at - hay.p) : (size_t)-1;
}
