/*
 * event_lex.c - the word lexer and small number/calendar helpers shared by the
 * temporal tagger, the toll finder, the quote finder and the event extractor
 * (see event_int.h for the token model). One pass, no allocation.
 */
#include "extract/event_int.h"

#include <string.h>

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Length of a typographic quote or dash at p (3-byte UTF-8 E2 80 xx), else 0. */
static size_t typo_punct(const unsigned char *p, size_t left)
{
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x9F)
        return 3;
    if (left >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB || p[1] == 0xA0))
        return 2; /* « » and no-break space (treated as punctuation-like separator) */
    return 0;
}

static bool is_quote_seq(const unsigned char *p, size_t n)
{
    if (n == 1)
        return p[0] == '"';
    if (n == 3)
        return p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x9E || p[2] == 0x9F;
    if (n == 2)
        return p[1] == 0xAB || p[1] == 0xBB;
    return false;
}

/* A byte that continues a word: letters, digits, and UTF-8 lead/continuation
 * bytes that are not typographic punctuation. */
static bool word_byte(const unsigned char *p, size_t left)
{
    if (is_alpha(p[0]) || is_digit(p[0]))
        return true;
    if (p[0] >= 0x80)
        return typo_punct(p, left) == 0;
    return false;
}

uint32_t td_xlex(td_str text, td_xtok *out, uint32_t cap)
{
    const unsigned char *s = (const unsigned char *)text.p;
    size_t n = text.len, i = 0;
    uint32_t k = 0;
    uint8_t pending = 0;
    while (i < n && k < cap) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pending |= TD_XTF_SPACE;
            if (c == '\n' && i + 1 < n && s[i + 1] == '\n')
                pending |= TD_XTF_PARA;
            i++;
            continue;
        }
        size_t tp = typo_punct(s + i, n - i);
        if (tp == 2 && s[i + 1] == 0xA0) { /* no-break space */
            pending |= TD_XTF_SPACE;
            i += 2;
            continue;
        }
        td_xtok t = { (uint32_t)i, 0, TD_XT_PUNCT, pending };
        pending = 0;
        if (tp) {
            t.len = (uint32_t)tp;
        } else if (word_byte(s + i, n - i)) {
            bool letters = false, digits = false;
            size_t j = i;
            while (j < n) {
                if (word_byte(s + j, n - j)) {
                    if (is_digit(s[j]))
                        digits = true;
                    else
                        letters = true;
                    j++;
                    continue;
                }
                /* inner joiners: need a word byte on both sides */
                if (j + 1 < n && j > i && word_byte(s + j + 1, n - j - 1)) {
                    unsigned char d = s[j];
                    if (d == '-' || d == '\'') {
                        j++;
                        continue;
                    }
                    if ((d == ',' || d == '.') && is_digit(s[j - 1]) && is_digit(s[j + 1])) {
                        j++;
                        continue;
                    }
                    /* dotted abbreviations: U.S., a.m. */
                    if (d == '.' && is_alpha(s[j - 1]) && is_alpha(s[j + 1]) &&
                        (j - i == 1 || s[j - 2] == '.')) {
                        j++;
                        continue;
                    }
                }
                /* typographic apostrophe inside a word: al’Abadi, don’t */
                if (j + 3 < n && j > i && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0x99 &&
                    is_alpha(s[j + 3])) {
                    j += 3;
                    continue;
                }
                break;
            }
            /* keep the final dot of U.S. */
            if (j < n && s[j] == '.' && j >= i + 3 && s[j - 2] == '.' && is_alpha(s[j - 1]))
                j++;
            t.len = (uint32_t)(j - i);
            t.kind = letters && digits ? TD_XT_MIXED : digits ? TD_XT_NUM : TD_XT_WORD;
            if ((s[i] >= 'A' && s[i] <= 'Z') ||
                (s[i] == 0xC3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97))
                t.flags |= TD_XTF_CAP;
        } else {
            t.len = 1;
            if (c >= 0x80) { /* stray non-letter byte sequence */
                size_t j = i + 1;
                while (j < n && (s[j] & 0xC0) == 0x80)
                    j++;
                t.len = (uint32_t)(j - i);
            }
        }
        if (t.kind == TD_XT_PUNCT && is_quote_seq(s + i, t.len))
            t.flags |= TD_XTF_QUOTE;
        out[k++] = t;
        i += t.len;
    }
    return k;
}

bool td_xtok_is(td_str text, const td_xtok *t, const char *w)
{
    /* no strlen: this runs for every token against many words (a quarter
     * of the events stage when it measured w first) */
    const char *p = text.p + t->off;
    uint32_t i = 0;
    for (; i < t->len; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (!w[i] || c != w[i])
            return false;
    }
    return w[i] == '\0';
}

bool td_xtok_starts(td_str text, const td_xtok *t, const char *w)
{
    size_t n = strlen(w);
    if (t->len < n)
        return false;
    const char *p = text.p + t->off;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != w[i])
            return false;
    }
    return true;
}

int td_xtok_oneof(td_str text, const td_xtok *t, const char *const *ws)
{
    for (int i = 0; ws[i]; i++)
        if (td_xtok_is(text, t, ws[i]))
            return i;
    return -1;
}

long td_xnum_digits(td_str text, const td_xtok *t)
{
    if (t->kind != TD_XT_NUM)
        return -1;
    const char *p = text.p + t->off;
    long v = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        if (p[i] == ',')
            continue;
        if (p[i] == '.')
            return -1;
        v = v * 10 + (p[i] - '0');
        if (v > 1000000000L)
            return -1;
    }
    return v;
}

static const char *const ONES[] = { "zero", "one", "two", "three", "four", "five", "six", "seven",
                                    "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                                    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                                    "nineteen", NULL };
static const char *const TENS[] = { "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
                                    "eighty", "ninety", NULL };

/* Value of the ASCII word p[0..n) as ones or tens, -1 otherwise. */
static long small_word(const char *p, size_t n)
{
    char w[16];
    if (n == 0 || n >= sizeof w)
        return -1;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
    w[n] = 0;
    for (int i = 0; ONES[i]; i++)
        if (!strcmp(w, ONES[i]))
            return i;
    for (int i = 0; TENS[i]; i++)
        if (!strcmp(w, TENS[i]))
            return 20 + 10 * i;
    if (!strcmp(w, "dozen"))
        return 12;
    return -1;
}

long td_xnum_word(td_str text, const td_xtok *t)
{
    if (t->kind != TD_XT_WORD)
        return -1;
    const char *p = text.p + t->off;
    const char *dash = memchr(p, '-', t->len);
    if (!dash)
        return small_word(p, t->len);
    long a = small_word(p, (size_t)(dash - p));
    long b = small_word(dash + 1, t->len - (size_t)(dash - p) - 1);
    if (a >= 20 && a % 10 == 0 && b >= 1 && b <= 9)
        return a + b;
    return -1;
}

/* Howard Hinnant's days_from_civil algorithm (public domain description). */
long td_xdays_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void td_xcivil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int td_xweekday(long days)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0) */
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}
