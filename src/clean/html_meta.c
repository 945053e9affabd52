/*
 * html_meta.c - page metadata for the HTML cleaner: <meta> tags, JSON-LD,
 * dates and site-name stripping (see html_int.h).
 *
 * JSON-LD is read with jansson; the first object that looks like an article
 * (an @type ending in "Article"/"Posting", or one carrying datePublished or
 * articleBody) supplies headline, date, author, publisher and body. Objects
 * nested in arrays and "@graph" are searched to depth 4.
 */
#include "clean/html_int.h"

#include <jansson.h>
#include <string.h>

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

td_str td_html_squash(td_arena *a, const char *s, size_t len)
{
    if (!s || !len)
        return td_str_make("", 0);
    char *o = td_arena_alloc(a, len + 1);
    if (!o)
        return td_str_make("", 0);
    size_t j = 0;
    bool sp = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c) || (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)) {
            if (c == 0xC2)
                i++;
            sp = true;
            continue;
        }
        if (sp && j)
            o[j++] = ' ';
        sp = false;
        o[j++] = (char)c;
    }
    o[j] = '\0';
    return td_str_make(o, j);
}

/* ---- dates ---- */

static int digits(const char *p, size_t n, size_t k)
{
    if (n < k)
        return -1;
    int v = 0;
    for (size_t i = 0; i < k; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static bool put_date(char out[11], int y, int m, int d)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return true;
}

/* Returns 1..12 for an English month name or its 3-letter abbreviation at p,
 * with *adv its length; 0 when there is none. */
static int month_name(const char *p, size_t n, size_t *adv)
{
    static const char *const names[] = { "january", "february", "march", "april", "may", "june", "july",
                                         "august", "september", "october", "november", "december" };
    size_t w = 0;
    while (w < n && ((p[w] >= 'a' && p[w] <= 'z') || (p[w] >= 'A' && p[w] <= 'Z')))
        w++;
    if (w < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t k = strlen(names[m]);
        if (w != k && !(w == 3 || (w == 4 && m == 8))) /* "Sept" */
            continue;
        if (w > k)
            continue;
        if (td_str_ieq(td_str_make(p, w), td_str_make(names[m], w))) {
            *adv = w;
            return m + 1;
        }
    }
    return 0;
}

bool td_html_parse_date(td_str s, char out[11])
{
    s = td_str_trim(s);
    const char *p = s.p;
    size_t n = s.len;
    if (!p || n < 6)
        return false;
    int y = digits(p, n, 4);
    if (y >= 0) {
        if (n >= 10 && (p[4] == '-' || p[4] == '/' || p[4] == '.') && p[7] == p[4]) {
            int m = digits(p + 5, n - 5, 2), d = digits(p + 8, n - 8, 2);
            return m > 0 && d > 0 && (n == 10 || !(p[10] >= '0' && p[10] <= '9')) && put_date(out, y, m, d);
        }
        if (n >= 8 && digits(p, n, 8) >= 0 && (n == 8 || !(p[8] >= '0' && p[8] <= '9')))
            return put_date(out, y, digits(p + 4, 2, 2), digits(p + 6, 2, 2));
        return false;
    }
    /* Skip a weekday name and comma: "Tue, 19 Nov 2019" */
    size_t i = 0;
    while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
        i++;
    size_t adv = 0;
    int mon = i ? month_name(p, n, &adv) : 0;
    if (!mon && i && i < n && p[i] == ',') {
        i++;
        while (i < n && p[i] == ' ')
            i++;
        p += i;
        n -= i;
    }
    mon = month_name(p, n, &adv);
    if (mon) { /* "November 19, 2019" */
        size_t j = adv;
        while (j < n && (p[j] == ' ' || p[j] == '.'))
            j++;
        int d = 0;
        size_t k = 0;
        while (j + k < n && k < 2 && p[j + k] >= '0' && p[j + k] <= '9')
            d = d * 10 + (p[j + k++] - '0');
        if (!k)
            return false;
        j += k;
        while (j < n && (p[j] == ',' || p[j] == ' ' || (p[j] >= 'a' && p[j] <= 'z')))
            j++; /* "19th," */
        int yy = digits(p + j, n - j, 4);
        return yy >= 0 && put_date(out, yy, mon, d);
    }
    /* "19 November 2019" */
    int d = 0;
    size_t k = 0;
    while (k < n && k < 2 && p[k] >= '0' && p[k] <= '9')
        d = d * 10 + (p[k++] - '0');
    if (!k)
        return false;
    while (k < n && (p[k] == ' ' || p[k] == '-' || p[k] == '.'))
        k++;
    mon = month_name(p + k, n - k, &adv);
    if (!mon)
        return false;
    k += adv;
    while (k < n && (p[k] == ' ' || p[k] == ',' || p[k] == '-' || p[k] == '.'))
        k++;
    int yy = digits(p + k, n - k, 4);
    return yy >= 0 && put_date(out, yy, mon, d);
}

bool td_html_url_date(td_str url, char out[11])
{
    const char *p = url.p;
    size_t n = url.len;
    if (!p)
        return false;
    /* skip scheme and host: dates live in the path */
    size_t i = 0;
    const char *ss = memchr(p, ':', n < 12 ? n : 12);
    if (ss && (size_t)(ss - p) + 2 < n && ss[1] == '/' && ss[2] == '/') {
        i = (size_t)(ss - p) + 3;
        while (i < n && p[i] != '/')
            i++;
    }
    for (; i < n; i++) {
        if (p[i] != '/' && p[i] != '-' && p[i] != '_')
            continue;
        const char *q = p + i + 1;
        size_t left = n - i - 1;
        int y = digits(q, left, 4);
        if (y < 1990 || y > 2100)
            continue;
        if (left >= 10 && (q[4] == '/' || q[4] == '-') && q[7] == q[4]) {
            int m = digits(q + 5, 2, 2), d = digits(q + 8, 2, 2);
            if (m > 0 && d > 0 && (left == 10 || !(q[10] >= '0' && q[10] <= '9')) && put_date(out, y, m, d))
                return true;
        }
        if (left >= 8 && digits(q, left, 8) >= 0 && (left == 8 || !(q[8] >= '0' && q[8] <= '9')) &&
            put_date(out, y, digits(q + 4, 2, 2), digits(q + 6, 2, 2)))
            return true;
    }
    return false;
}

void td_html_meta_date(td_html_meta *m, td_str s, int rank)
{
    if (rank >= m->date_rank && m->date[0])
        return;
    char d[11];
    if (td_html_parse_date(s, d)) {
        memcpy(m->date, d, sizeof d);
        m->date_rank = rank;
    }
}

/* ---- <meta> ---- */

static bool key_is(td_str key, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (td_str_ieq(key, td_str_cstr(names[i])))
            return true;
    return false;
}

#define KEY_IS(key, ...) key_is(key, (const char *const[]){ __VA_ARGS__ }, \
                                sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static void set_once(td_arena *a, td_str *dst, td_str v)
{
    if (dst->len == 0)
        *dst = td_html_squash(a, v.p, v.len);
}

void td_html_meta_tag(td_arena *a, td_html_meta *m, td_str key, td_str content)
{
    content = td_str_trim(content);
    if (!key.len || !content.len)
        return;
    if (KEY_IS(key, "og:title", "twitter:title"))
        set_once(a, &m->og_title, content);
    else if (KEY_IS(key, "og:site_name"))
        set_once(a, &m->outlet, content);
    else if (KEY_IS(key, "og:url"))
        set_once(a, &m->og_url, content);
    else if (KEY_IS(key, "article:published_time", "og:article:published_time", "og:published_time",
                    "article.published", "datepublished", "parsely-pub-date", "sailthru.date",
                    "article:published", "published_time", "publish-date", "publish_date",
                    "publication_date", "date.release", "release_date"))
        td_html_meta_date(m, content, TD_HDATE_META);
    else if (KEY_IS(key, "date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date",
                    "dcterms.created", "dcterms.issued", "pubdate", "publishdate", "originalpublicationdate",
                    "displaydate", "dc.date.published", "article_date_original", "created"))
        td_html_meta_date(m, content, TD_HDATE_META_WEAK);
    else if (KEY_IS(key, "author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
                    "byl", "dcterms.creator")) {
        /* article:author is often a profile URL: no use as a byline */
        if (!td_str_istarts(content, TD_STR_LIT("http")))
            set_once(a, &m->author, content);
    } else if (KEY_IS(key, "content-language", "og:locale", "language", "dc.language"))
        set_once(a, &m->meta_lang, content);
}

/* ---- JSON-LD ---- */

static td_str jstr(json_t *v)
{
    if (json_is_string(v))
        return td_str_make(json_string_value(v), json_string_length(v));
    return td_str_make("", 0);
}

/* Returns the name of an author/publisher value: a string, an object with
 * "name", or the first of an array of those. */
static td_str jname(json_t *v)
{
    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (json_is_object(v))
        v = json_object_get(v, "name");
    return jstr(v);
}

static bool looks_article(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_array(t))
        t = json_array_get(t, 0);
    td_str ty = jstr(t);
    if (ty.len >= 7 && td_str_ieq(td_str_make(ty.p + ty.len - 7, 7), TD_STR_LIT("article")))
        return true;
    if (ty.len >= 7 && td_str_ieq(td_str_make(ty.p + ty.len - 7, 7), TD_STR_LIT("posting")))
        return true;
    return json_object_get(o, "articleBody") || json_object_get(o, "datePublished");
}

static void ld_visit(td_arena *a, td_html_meta *m, json_t *v, int depth)
{
    if (depth > 4 || !v)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) ld_visit(a, m, e, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    json_t *g = json_object_get(v, "@graph");
    if (g)
        ld_visit(a, m, g, depth + 1);
    if (!looks_article(v))
        return;
    set_once(a, &m->ld_headline, jstr(json_object_get(v, "headline")));
    td_str d = jstr(json_object_get(v, "datePublished"));
    if (d.len)
        td_html_meta_date(m, d, TD_HDATE_JSONLD);
    set_once(a, &m->ld_author, jname(json_object_get(v, "author")));
    set_once(a, &m->ld_publisher, jname(json_object_get(v, "publisher")));
    td_str body = jstr(json_object_get(v, "articleBody"));
    if (body.len > m->ld_body.len) {
        char *c = td_arena_strndup(a, body.p, body.len);
        if (c)
            m->ld_body = td_str_make(c, body.len);
    }
}

void td_html_meta_jsonld(td_arena *a, td_html_meta *m, td_str json)
{
    json_error_t err;
    json_t *root = json_loadb(json.p, json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!root)
        return;
    ld_visit(a, m, root, 0);
    json_decref(root);
}

/* ---- titles ---- */

static size_t count_words(td_str s)
{
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < s.len; i++) {
        bool sp = s.p[i] == ' ';
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* Loose site-name match: equal, or one contains the other ignoring case,
 * or equal after dropping spaces and a ".com"-style suffix. */
static bool same_site(td_str part, td_str site)
{
    part = td_str_trim(part);
    site = td_str_trim(site);
    if (!part.len || !site.len)
        return false;
    if (td_str_icontains(part, site) || td_str_icontains(site, part))
        return part.len * 3 >= site.len; /* "A" inside "ABC News" is no match */
    return false;
}

td_str td_html_strip_site(td_str title, td_str site, bool from_title_tag)
{
    static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                        " \xC2\xB7 ", " \xC2\xBB ", " \xE2\x80\xA2 ", " / " };
    title = td_str_trim(title);
    for (size_t s = 0; s < sizeof seps / sizeof *seps; s++) {
        td_str sep = td_str_cstr(seps[s]);
        size_t first = td_str_find(title, sep);
        if (first == (size_t)-1)
            continue;
        size_t last = first;
        for (;;) {
            size_t nx = td_str_find(td_str_make(title.p + last + sep.len, title.len - last - sep.len), sep);
            if (nx == (size_t)-1)
                break;
            last = last + sep.len + nx;
        }
        td_str head = td_str_make(title.p, last);
        td_str tail = td_str_make(title.p + last + sep.len, title.len - last - sep.len);
        td_str lead = td_str_make(title.p, first);
        td_str rest = td_str_make(title.p + first + sep.len, title.len - first - sep.len);
        if (site.len && same_site(tail, site))
            return td_str_trim(head);
        if (site.len && same_site(lead, site))
            return td_str_trim(rest);
        if (from_title_tag && count_words(tail) <= 4 && count_words(head) > count_words(tail) + 1)
            return td_str_trim(head);
    }
    return title;
}
