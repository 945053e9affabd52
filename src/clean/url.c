/*
 * url.c - the outlet of an article from its URL: the registrable domain of the
 * host. Instead of the whole Public Suffix List, a compiled-in rule that covers
 * news sites: under a two-letter country TLD, a second level that is a generic
 * label (co, com, org, net, gov, ac, edu, or, ne, go, ...) belongs to the
 * suffix ("bbc.co.uk", "dawn.com.pk"); and on shared hosting domains
 * (blogspot.com, wordpress.com, ...) the site is the subdomain.
 */
#include "clean/clean.h"

#include <string.h>

static const char *const generic_sld[] = {
    "co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gob", "mil",
    "nic", "info", "biz", "news", "web", "ltd", "plc", "sch", "nom", "gen", "in",
};

/* Domains where each subdomain is a separate site. */
static const char *const shared_hosts[] = {
    "blogspot.com", "wordpress.com", "substack.com", "tumblr.com", "medium.com",
    "github.io", "go.com", "blogger.com", "livejournal.com", "typepad.com",
};

static bool label_in(const char *p, size_t n, const char *const *set, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(set[i]) == n && memcmp(set[i], p, n) == 0)
            return true;
    return false;
}

td_str td_clean_outlet_from_url(td_arena *a, td_str url)
{
    td_str none = { NULL, 0 };
    if (!a || !url.p || !url.len)
        return none;
    url = td_str_trim(url);
    size_t p = 0;
    size_t sch = td_str_find(url, TD_STR_LIT("://"));
    if (sch != (size_t)-1)
        p = sch + 3;
    else if (url.len >= 2 && url.p[0] == '/' && url.p[1] == '/')
        p = 2;
    size_t h0 = p;
    while (p < url.len && url.p[p] != '/' && url.p[p] != '?' && url.p[p] != '#')
        p++;
    td_str host = { url.p + h0, p - h0 };
    /* user info and port */
    const char *at = memchr(host.p, '@', host.len);
    if (at) {
        host.len -= (size_t)(at + 1 - host.p);
        host.p = at + 1;
    }
    const char *colon = memchr(host.p, ':', host.len);
    if (colon)
        host.len = (size_t)(colon - host.p);
    while (host.len && host.p[host.len - 1] == '.')
        host.len--;
    if (!host.len)
        return none;
    char *h = td_arena_strndup(a, host.p, host.len);
    if (!h)
        return none;
    size_t n = host.len;
    bool dotted = false;
    for (size_t i = 0; i < n; i++) {
        if (h[i] >= 'A' && h[i] <= 'Z')
            h[i] = (char)(h[i] + 32);
        dotted |= h[i] == '.';
    }
    if (!dotted)
        return (td_str){ h, n };
    /* label boundaries, right to left */
    size_t dots[64];
    size_t nd = 0;
    for (size_t i = n; i-- > 0;)
        if (h[i] == '.' && nd < 64)
            dots[nd++] = i;
    /* all-numeric hosts (IPv4) stay whole */
    bool numeric = true;
    for (size_t i = 0; i < n && numeric; i++)
        numeric = (h[i] >= '0' && h[i] <= '9') || h[i] == '.';
    if (numeric)
        return (td_str){ h, n };
    size_t keep = 2; /* labels kept from the right */
    const char *tld = h + dots[0] + 1;
    size_t tld_len = n - dots[0] - 1;
    if (nd >= 2) {
        const char *sld = h + dots[1] + 1;
        size_t sld_len = dots[0] - dots[1] - 1;
        if (tld_len == 2 && label_in(sld, sld_len, generic_sld, sizeof generic_sld / sizeof generic_sld[0]))
            keep = 3;
        const char *two = h + dots[1] + 1;
        if (label_in(two, n - dots[1] - 1, shared_hosts, sizeof shared_hosts / sizeof shared_hosts[0]))
            keep = 3;
    } else if (nd == 1) {
        (void)tld;
    }
    size_t start = 0;
    if (nd >= keep)
        start = dots[keep - 1] + 1;
    /* a kept "www." (www.example.com under a shared host) is still dropped */
    if (n - start > 4 && memcmp(h + start, "www.", 4) == 0)
        start += 4;
    return (td_str){ h + start, n - start };
}

int td_clean_outlet_convention(td_str outlet)
{
    if (!outlet.p || outlet.len < 4)
        return -1;
    const char *dot = NULL;
    for (size_t i = outlet.len; i-- > 0;)
        if (outlet.p[i] == '.') {
            dot = outlet.p + i;
            break;
        }
    if (!dot)
        return -1;
    size_t tl = outlet.len - (size_t)(dot + 1 - outlet.p);
    if (tl != 2)
        return -1; /* .com, .org, .news: no country */
    const char *t = dot + 1;
    if ((t[0] == 'u' && t[1] == 's') || (t[0] == 'c' && t[1] == 'a') || (t[0] == 'p' && t[1] == 'h'))
        return 0;
    return 1;
}

bool td_clean_outlet_dmy(td_str outlet)
{
    return td_clean_outlet_convention(outlet) == 1;
}
