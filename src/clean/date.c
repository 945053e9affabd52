/*
 * date.c - see date.h. A hand-written recursive-descent scan over bytes: each
 * form is tried at one position and gives up at the first byte that does not
 * fit, so td_date_find costs O(len * small constant) and never allocates.
 */
#include "clean/date.h"

#include <string.h>

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline char lower(char c) { return is_upper(c) ? (char)(c + 32) : c; }

static const struct { const char *name; unsigned char month; } month_names[] = {
    { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 },
    { "may", 5 }, { "june", 6 }, { "july", 7 }, { "august", 8 },
    { "september", 9 }, { "october", 10 }, { "november", 11 }, { "december", 12 },
    { "sept", 9 }, { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 },
    { "jun", 6 }, { "jul", 7 }, { "aug", 8 }, { "sep", 9 }, { "oct", 10 },
    { "nov", 11 }, { "dec", 12 },
};

static const char *const weekday_names[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "thurs", "tues", "thur", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

/* Length of the ASCII letter run at s (at most cap bytes looked at). */
static size_t alpha_run(td_str s, size_t at)
{
    size_t n = 0;
    while (at + n < s.len && is_alpha(s.p[at + n]))
        n++;
    return n;
}

/* True when the letter run [at, at+n) equals name, case-insensitively. */
static bool word_is(td_str s, size_t at, size_t n, const char *name)
{
    if (strlen(name) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[at + i]) != name[i])
            return false;
    return true;
}

/* Month at s[at]: returns 1..12 and the bytes used (name plus an optional '.'). */
static int month_at(td_str s, size_t at, bool need_cap, size_t *used)
{
    if (at >= s.len || (need_cap && !is_upper(s.p[at])))
        return 0;
    size_t n = alpha_run(s, at);
    if (n < 3 || n > 9)
        return 0;
    for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++) {
        if (word_is(s, at, n, month_names[i].name)) {
            size_t u = n;
            if (at + u < s.len && s.p[at + u] == '.')
                u++;
            *used = u;
            return month_names[i].month;
        }
    }
    return 0;
}

int td_date_month_name(td_str s, size_t *len)
{
    size_t used = 0;
    int m = month_at(s, 0, false, &used);
    if (m && len)
        *len = used;
    return m;
}

/* Weekday at s[at] (upper case first letter): bytes used, with '.' and ','. */
static size_t weekday_at(td_str s, size_t at)
{
    if (at >= s.len || !is_upper(s.p[at]))
        return 0;
    size_t n = alpha_run(s, at);
    for (size_t i = 0; i < sizeof weekday_names / sizeof weekday_names[0]; i++) {
        if (word_is(s, at, n, weekday_names[i])) {
            size_t u = n;
            if (at + u < s.len && s.p[at + u] == '.')
                u++;
            if (at + u < s.len && s.p[at + u] == ',')
                u++;
            return u;
        }
    }
    return 0;
}

/* Reads a run of 1..max digits; returns its length (0 when none or too long). */
static size_t digits_at(td_str s, size_t at, size_t max, int *val)
{
    size_t n = 0;
    int v = 0;
    while (at + n < s.len && is_digit(s.p[at + n])) {
        if (n == max)
            return 0;
        v = v * 10 + (s.p[at + n] - '0');
        n++;
    }
    *val = v;
    return n;
}

static size_t skip_spaces(td_str s, size_t at)
{
    while (at < s.len && (s.p[at] == ' ' || s.p[at] == '\t'))
        at++;
    /* U+00A0 no-break space, common in scraped dates */
    while (at + 1 < s.len && (unsigned char)s.p[at] == 0xC2 && (unsigned char)s.p[at + 1] == 0xA0) {
        at += 2;
        while (at < s.len && (s.p[at] == ' ' || s.p[at] == '\t'))
            at++;
    }
    return at;
}

/* Ordinal suffix after a day number: st nd rd th (any case). */
static size_t ordinal_at(td_str s, size_t at)
{
    if (at + 2 > s.len)
        return 0;
    char a = lower(s.p[at]), b = lower(s.p[at + 1]);
    bool ok = (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
              (a == 't' && b == 'h');
    if (!ok || (at + 2 < s.len && is_alpha(s.p[at + 2])))
        return 0;
    return 2;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && (y == 0 || leap(y)))
        return 29;
    return d[m - 1];
}

static bool make_date(int y, int m, int d, td_date_prec prec, td_date *out)
{
    if (y != 0 && (y < 1800 || y > 2199))
        return false;
    if (m < 1 || m > 12)
        return false;
    if (prec == TD_PREC_DAY && (d < 1 || d > days_in(y, m)))
        return false;
    out->year = (int16_t)y;
    out->month = (int8_t)m;
    out->day = (int8_t)(prec == TD_PREC_DAY ? d : 0);
    out->prec = prec;
    return true;
}

/* A four-digit year at s[at] not followed by another digit. */
static size_t year_at(td_str s, size_t at, int *y)
{
    size_t n = digits_at(s, at, 4, y);
    return n == 4 ? 4 : 0;
}

/* Year after a day or month: optional ',' / '.' then spaces then YYYY. */
static size_t year_after(td_str s, size_t at, int *y)
{
    size_t p = at;
    if (p < s.len && (s.p[p] == ',' || s.p[p] == '.'))
        p++;
    p = skip_spaces(s, p);
    size_t n = year_at(s, p, y);
    return n ? p + n - at : 0;
}

/* Forms starting with digits at s[at]. */
static bool parse_numeric(td_str s, size_t at, unsigned flags, td_date *out, size_t *end)
{
    int a = 0;
    size_t n = digits_at(s, at, 4, &a);
    if (n == 0)
        return false;
    size_t p = at + n;
    if (n == 4) {
        /* ISO-like YYYY-MM-DD, YYYY/MM/DD */
        if (p >= s.len || (s.p[p] != '-' && s.p[p] != '/'))
            return false;
        char sep = s.p[p];
        int m = 0, d = 0;
        size_t nm = digits_at(s, p + 1, 2, &m);
        if (!nm || p + 1 + nm >= s.len || s.p[p + 1 + nm] != sep)
            return false;
        size_t nd = digits_at(s, p + 2 + nm, 2, &d);
        if (!nd)
            return false;
        *end = p + 2 + nm + nd;
        return make_date(a, m, d, TD_PREC_DAY, out);
    }
    if (n > 2)
        return false;
    /* numeric m/d/yyyy or d/m/yyyy */
    if (p < s.len && (s.p[p] == '/' || s.p[p] == '.') && p + 1 < s.len && is_digit(s.p[p + 1])) {
        char sep = s.p[p];
        int b = 0, y = 0;
        size_t nb = digits_at(s, p + 1, 2, &b);
        size_t q = p + 1 + nb;
        if (!nb || q >= s.len || s.p[q] != sep)
            return false;
        size_t ny = digits_at(s, q + 1, 4, &y);
        if (ny != 4)
            return false;
        int m = a, d = b;
        if ((flags & TD_DATE_DMY) || sep == '.')
            m = b, d = a;
        if (m > 12 && d <= 12) {
            int t = m;
            m = d;
            d = t;
        }
        *end = q + 1 + ny;
        return make_date(y, m, d, TD_PREC_DAY, out);
    }
    /* day [ordinal] [,|.] month [,|.] year */
    p += ordinal_at(s, p);
    size_t q = p;
    if (q < s.len && (s.p[q] == ',' || s.p[q] == '.'))
        q++;
    size_t q2 = skip_spaces(s, q);
    if (q2 == q && q == p)
        return false; /* "12May" is not a date */
    size_t mu = 0;
    int m = month_at(s, q2, true, &mu);
    if (!m)
        return false;
    int y = 0;
    size_t yu = year_after(s, q2 + mu, &y);
    if (yu) {
        *end = q2 + mu + yu;
        return make_date(y, m, a, TD_PREC_DAY, out);
    }
    if (!(flags & TD_DATE_NO_YEAR))
        return false;
    *end = q2 + mu;
    return make_date(0, m, a, TD_PREC_DAY, out);
}

/* Forms starting with a month name at s[at]. */
static bool parse_month_first(td_str s, size_t at, unsigned flags, td_date *out, size_t *end)
{
    size_t mu = 0;
    int m = month_at(s, at, true, &mu);
    if (!m)
        return false;
    size_t p = skip_spaces(s, at + mu);
    if (p == at + mu && s.p[at + mu - 1] != '.')
        return false; /* a month name glued to what follows */
    int d = 0;
    size_t nd = digits_at(s, p, 4, &d);
    if (nd == 4) { /* "February 2017" */
        *end = p + 4;
        return make_date(d, m, 0, TD_PREC_MONTH, out);
    }
    if (nd == 0 || nd > 2)
        return false;
    size_t q = p + nd;
    q += ordinal_at(s, q);
    int y = 0;
    size_t yu = year_after(s, q, &y);
    if (yu) {
        *end = q + yu;
        return make_date(y, m, d, TD_PREC_DAY, out);
    }
    if (!(flags & TD_DATE_NO_YEAR) || (q < s.len && is_digit(s.p[q])))
        return false;
    *end = q;
    return make_date(0, m, d, TD_PREC_DAY, out);
}

/* Tries every form at s[at], after an optional weekday. */
static bool parse_at(td_str s, size_t at, unsigned flags, td_date *out, size_t *end)
{
    size_t p = at;
    size_t wu = weekday_at(s, p);
    if (wu) {
        p = skip_spaces(s, p + wu);
        if (p < s.len && s.p[p] == '(') /* "Wednesday (Jun 12)" */
            p++;
    }
    if (p >= s.len)
        return false;
    if (is_digit(s.p[p]))
        return parse_numeric(s, p, flags, out, end);
    if (is_upper(s.p[p]))
        return parse_month_first(s, p, flags, out, end);
    return false;
}

bool td_date_parse_ex(td_str s, unsigned flags, td_date *out, size_t *consumed)
{
    if (!s.p || !out)
        return false;
    td_date d;
    size_t end = 0;
    if (!parse_at(s, 0, flags, &d, &end))
        return false;
    *out = d;
    if (consumed)
        *consumed = end;
    return true;
}

bool td_date_parse(td_str s, td_date *out, size_t *consumed)
{
    return td_date_parse_ex(s, 0, out, consumed);
}

bool td_date_find(td_str s, unsigned flags, td_date *out, size_t *off, size_t *len)
{
    if (!s.p || !out)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!is_digit(c) && !is_upper(c))
            continue;
        if (i > 0 && (is_digit(s.p[i - 1]) || is_alpha(s.p[i - 1])))
            continue;
        td_date d;
        size_t end = 0;
        if (parse_at(s, i, flags, &d, &end)) {
            *out = d;
            if (off)
                *off = i;
            if (len)
                *len = end - i;
            return true;
        }
        /* skip the rest of this word: no date starts inside it */
        while (i + 1 < s.len && (is_digit(s.p[i + 1]) || is_alpha(s.p[i + 1])))
            i++;
    }
    return false;
}

static bool is_url_sep(char c) { return c == '/' || c == '-' || c == '_' || c == '.'; }

/* Tries /YYYY/MM/DD, /YYYY-mon-DD ... after a year at s[q-1] (q at the separator).
 * Day precision goes to *day, a bare /YYYY/MM/ to *month. */
static void url_ymd(td_str s, size_t q, int y, td_date *day, td_date *month)
{
    if (q >= s.len || !is_url_sep(s.p[q]))
        return;
    q++;
    int m = 0;
    size_t mu = digits_at(s, q, 2, &m);
    if (!mu) {
        size_t n = alpha_run(s, q);
        m = (n >= 3 && n <= 9) ? month_at(s, q, false, &mu) : 0;
        if (!m || mu != n)
            return; /* "/2019/marching-..." */
    } else if (q + mu < s.len && is_digit(s.p[q + mu])) {
        return;
    }
    size_t r = q + mu;
    if (r < s.len && is_url_sep(s.p[r])) {
        int d = 0;
        size_t du = digits_at(s, r + 1, 2, &d);
        if (du && (r + 1 + du >= s.len || !is_digit(s.p[r + 1 + du])) &&
            make_date(y, m, d, TD_PREC_DAY, day))
            return;
    }
    if (month->prec == TD_PREC_NONE && (r >= s.len || s.p[r] == '/'))
        make_date(y, m, 0, TD_PREC_MONTH, month);
}

bool td_date_from_url(td_str url, td_date *out)
{
    if (!url.p || !out)
        return false;
    size_t p = 0;
    size_t sch = td_str_find(url, TD_STR_LIT("://"));
    if (sch != (size_t)-1)
        p = sch + 3;
    while (p < url.len && url.p[p] != '/')
        p++;
    td_str s = url;
    td_date month_only = { 0, 0, 0, TD_PREC_NONE };
    while (p < s.len) {
        if (!is_digit(s.p[p])) {
            p++;
            continue;
        }
        size_t n = 0;
        while (p + n < s.len && is_digit(s.p[p + n]))
            n++;
        int y = (n >= 4) ? (s.p[p] - '0') * 1000 + (s.p[p + 1] - '0') * 100 +
                               (s.p[p + 2] - '0') * 10 + (s.p[p + 3] - '0')
                         : 0;
        if (y >= 1990 && y <= 2099) {
            td_date day = { 0, 0, 0, TD_PREC_NONE };
            if (n == 8) {
                int m = (s.p[p + 4] - '0') * 10 + (s.p[p + 5] - '0');
                int d = (s.p[p + 6] - '0') * 10 + (s.p[p + 7] - '0');
                make_date(y, m, d, TD_PREC_DAY, &day);
            } else if (n == 4) {
                url_ymd(s, p + 4, y, &day, &month_only);
            }
            if (day.prec == TD_PREC_DAY) {
                *out = day;
                return true;
            }
        }
        p += n;
    }
    if (month_only.prec != TD_PREC_NONE) {
        *out = month_only;
        return true;
    }
    return false;
}

int td_date_cmp(td_date a, td_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

/* Writes v as exactly w digits. */
static char *put_digits(char *p, unsigned v, int w)
{
    for (int i = w - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + w;
}

void td_date_format(td_date d, char out[11])
{
    unsigned y = d.year > 0 ? (unsigned)d.year % 10000 : 0;
    unsigned m = d.month > 0 ? (unsigned)d.month % 100 : 0;
    unsigned dd = d.day > 0 ? (unsigned)d.day % 100 : 0;
    char *p = out;
    switch (d.prec) {
    case TD_PREC_DAY:
    case TD_PREC_WEEK:
        p = put_digits(p, y, 4);
        *p++ = '-';
        p = put_digits(p, m, 2);
        *p++ = '-';
        p = put_digits(p, dd, 2);
        break;
    case TD_PREC_MONTH:
        p = put_digits(p, y, 4);
        *p++ = '-';
        p = put_digits(p, m, 2);
        break;
    case TD_PREC_YEAR:
        p = put_digits(p, y, 4);
        break;
    default:
        break;
    }
    *p = '\0';
}
