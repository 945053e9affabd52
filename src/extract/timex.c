/*
 * timex.c - see timex.h. The text is lexed once (event_int.h tokens); a single
 * left-to-right walk tries, at each token, the absolute parser of
 * clean/date.h, then weekday, month, year and relative patterns. Calendar
 * arithmetic goes through day numbers (days since 1970-01-01).
 *
 * Invariants: spans are returned in text order and never overlap; every date
 * returned is valid (day within its month) with prec != TD_PREC_NONE.
 */
#include "extract/timex.h"

#include "clean/date.h"
#include "extract/event_int.h"

#include <string.h>

#define MAX_TOK 512

static const char *const WEEKDAYS[] = { "monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday", NULL };
static const char *const MONTHS[] = { "january", "february", "march", "april", "may", "june",
                                      "july", "august", "september", "october", "november",
                                      "december", NULL };
/* Words after which a bare month or a year is a date ("in December"). */
static const char *const MONTH_CUES[] = { "in", "since", "during", "until", "till", "by", "from",
                                          "of", "early", "late", "mid", "last", "this", "next",
                                          "before", "after", "through", "throughout", "end",
                                          "beginning", "start", "between", "and", "to", NULL };
/* Future markers that, before a weekday or month in the clause, point forward. */
static const char *const FUTURE[] = { "will", "shall", "scheduled", "due", "planned", "plans",
                                      "plan", "expected", "upcoming", "'ll", NULL };
/* Past reporting verbs: "said on Thursday it will ..." keeps Thursday past. */
static const char *const PAST[] = { "said", "told", "announced", "was", "were", "had", "did",
                                    "met", "killed", "struck", "began", "started", "ended",
                                    "took", "held", "reported", "confirmed", "added", NULL };

static td_date day_date(long days)
{
    int y, m, d;
    td_xcivil_from_days(days, &y, &m, &d);
    return (td_date){ (int16_t)y, (int8_t)m, (int8_t)d, TD_PREC_DAY };
}

static long date_days(td_date d)
{
    return td_xdays_from_civil(d.year, d.month ? d.month : 1, d.day ? d.day : 1);
}

long td_timex_days_between(td_date a, td_date b) { return date_days(b) - date_days(a); }

td_date td_timex_add_days(td_date d, long n) { return day_date(date_days(d) + n); }

static td_date month_date(int y, int m, td_date_prec prec)
{
    while (m < 1) {
        m += 12;
        y--;
    }
    while (m > 12) {
        m -= 12;
        y++;
    }
    return (td_date){ (int16_t)y, (int8_t)m, 0, prec };
}

typedef struct scan {
    td_str text;
    td_xtok *t;
    uint32_t n;
    const td_timex_opts *o;
    bool anchored;
    long anchor_days;
} scan;

static bool is(const scan *s, uint32_t i, const char *w)
{
    return i < s->n && td_xtok_is(s->text, &s->t[i], w);
}

/* Length of token t without a possessive "'s" or "’s" ending, or 0 when
 * it has none: "last month's quake" dates the quake like "last month". */
static uint32_t poss_stem(td_str text, const td_xtok *t)
{
    const char *p = text.p + t->off;
    if (t->len > 2 && p[t->len - 2] == '\'' && (p[t->len - 1] | 0x20) == 's')
        return t->len - 2;
    if (t->len > 4 && memcmp(p + t->len - 4, "\xe2\x80\x99", 3) == 0 && (p[t->len - 1] | 0x20) == 's')
        return t->len - 4;
    return 0;
}

/* Token i is w, or w with a possessive ending ("week's", "yesterday’s"). */
static bool is_p(const scan *s, uint32_t i, const char *w)
{
    if (is(s, i, w))
        return true;
    if (i >= s->n)
        return false;
    td_xtok u = s->t[i];
    if (!(u.len = poss_stem(s->text, &u)))
        return false;
    return td_xtok_is(s->text, &u, w);
}

/* True when the clause around token i is in the future tense: a future
 * marker among the few tokens before (without a past verb in between), or,
 * for a clause-initial expression, right after it. */
static bool future_at(const scan *s, uint32_t i, uint32_t end)
{
    for (uint32_t k = i, steps = 0; k > 0 && steps < 8; k--, steps++) {
        const td_xtok *t = &s->t[k - 1];
        if (t->kind == TD_XT_PUNCT && (s->text.p[t->off] == '.' || s->text.p[t->off] == ';'))
            break;
        if (td_xtok_oneof(s->text, t, PAST) >= 0 && !(k >= 2 && is(s, k - 2, "be")))
            return false; /* "will be held" stays future */
        if (td_xtok_oneof(s->text, t, FUTURE) >= 0 || td_xtok_is(s->text, t, "next"))
            return true;
    }
    for (uint32_t k = end, steps = 0; k < s->n && steps < 6; k++, steps++) {
        const td_xtok *t = &s->t[k];
        if (td_xtok_oneof(s->text, t, PAST) >= 0)
            return false;
        if (td_xtok_oneof(s->text, t, FUTURE) >= 0)
            return true;
    }
    return false;
}

static uint32_t emit(const scan *s, td_timex *out, uint32_t n, uint32_t cap, uint32_t a,
                     uint32_t b, td_date d, td_timex_kind kind, bool future)
{
    if (n >= cap || d.prec == TD_PREC_NONE)
        return n;
    uint32_t off = s->t[a].off, end = s->t[b - 1].off + s->t[b - 1].len;
    bool since = a > 0 && is(s, a - 1, "since");
    out[n] = (td_timex){ { off, end - off }, d, (uint8_t)kind, since, future };
    return n + 1;
}

/* Value of a count token: digits, a number word, "a"/"an" (1), "few" (3). */
static long count_at(const scan *s, uint32_t i)
{
    if (i >= s->n)
        return -1;
    long v = td_xnum_digits(s->text, &s->t[i]);
    if (v < 0)
        v = td_xnum_word(s->text, &s->t[i]);
    if (v < 0 && (is(s, i, "a") || is(s, i, "an")))
        v = 1;
    if (v < 0 && (is(s, i, "few") || is(s, i, "several")))
        v = 3;
    return v;
}

/* Unit word at i: 1 day, 7 week, 30 month, 365 year; 0 otherwise. */
static int unit_at(const scan *s, uint32_t i)
{
    if (is(s, i, "day") || is(s, i, "days"))
        return 1;
    if (is(s, i, "week") || is(s, i, "weeks"))
        return 7;
    if (is(s, i, "month") || is(s, i, "months"))
        return 30;
    if (is(s, i, "year") || is(s, i, "years"))
        return 365;
    return 0;
}

/* "last|this|next|earlier this|later this week|month|year|weekend" at i. */
static uint32_t period_at(const scan *s, uint32_t i, td_date *out)
{
    uint32_t j = i;
    int dir;
    if (is(s, j, "earlier") || is(s, j, "later"))
        j++;
    if (is(s, j, "last") || is(s, j, "past"))
        dir = -1;
    else if (is(s, j, "this"))
        dir = 0;
    else if (is(s, j, "next") || is(s, j, "coming"))
        dir = 1;
    else
        return 0;
    if (j > i && dir != 0)
        return 0; /* "earlier last week" is not a form */
    j++;
    td_date a = day_date(s->anchor_days);
    if (is_p(s, j, "weekend")) {
        long sat = s->anchor_days - ((td_xweekday(s->anchor_days) + 2) % 7);
        if (dir < 0 && sat == s->anchor_days)
            sat -= 7;
        if (dir > 0)
            sat += 7;
        *out = day_date(sat);
        out->prec = TD_PREC_WEEK;
        return j + 1 - i;
    }
    if (!is_p(s, j, "week") && !is_p(s, j, "month") && !is_p(s, j, "year"))
        return 0; /* singular units only; "last day" is not a date */
    int u = is_p(s, j, "week") ? 7 : is_p(s, j, "month") ? 30 : 365;
    if (u == 7) {
        *out = day_date(s->anchor_days + 7L * dir);
        out->prec = TD_PREC_WEEK;
    } else if (u == 30) {
        *out = month_date(a.year, a.month + dir, TD_PREC_MONTH);
    } else {
        *out = (td_date){ (int16_t)(a.year + dir), 0, 0, TD_PREC_YEAR };
    }
    return j + 1 - i;
}

/* Resolves month m (1..12) against the anchor: latest not after it, or the
 * next one in the future tense. */
static td_date resolve_month(const scan *s, int m, bool future, int day, td_date_prec prec)
{
    td_date a = day_date(s->anchor_days);
    int y = a.year;
    if (future ? m < a.month : m > a.month)
        y += future ? 1 : -1;
    td_date d = { (int16_t)y, (int8_t)m, (int8_t)day, prec };
    return d;
}

uint32_t td_timex_find(td_str text, const td_timex_opts *opts, td_timex *out, uint32_t cap)
{
    if (!text.p || !out || !cap)
        return 0;
    td_xtok toks[MAX_TOK];
    static const td_timex_opts none = { { 0, 0, 0, TD_PREC_NONE }, 0 };
    scan s = { text, toks, td_xlex(text, toks, MAX_TOK), opts ? opts : &none, false, 0 };
    td_date an = s.o->anchor;
    if (an.year > 0 && an.month > 0) {
        s.anchored = true;
        s.anchor_days = td_xdays_from_civil(an.year, an.month, an.day ? an.day : 1);
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < s.n && n < cap; i++) {
        const td_xtok *t = &toks[i];
        if (t->kind == TD_XT_PUNCT)
            continue;
        /* 1. absolute dates through the cleaner's parser */
        if (t->kind != TD_XT_WORD || (t->flags & TD_XTF_CAP)) {
            td_str rest = { text.p + t->off, text.len - t->off };
            td_date d;
            size_t used = 0;
            if (td_date_parse_ex(rest, s.o->date_flags | TD_DATE_NO_YEAR, &d, &used) && used) {
                uint32_t end = t->off + (uint32_t)used, j = i;
                while (j < s.n && toks[j].off < end)
                    j++;
                bool ok = true;
                if (d.year == 0) {
                    if (!s.anchored) {
                        ok = false;
                    } else {
                        d.year = an.year;
                        long dd = td_xdays_from_civil(d.year, d.month, d.day ? d.day : 1);
                        bool fut = future_at(&s, i, j);
                        if (!fut && dd > s.anchor_days + 31)
                            d.year--;
                        else if (fut && dd < s.anchor_days - 31)
                            d.year++;
                    }
                }
                if (ok && d.day == 0 && d.prec == TD_PREC_DAY)
                    ok = false;
                if (ok) {
                    n = emit(&s, out, n, cap, i, j, d, TD_TIMEX_ABSOLUTE, false);
                    i = j - 1;
                    continue;
                }
            }
        }
        /* 2. years after a cue: "in 2015", "since 2014" */
        if (t->kind == TD_XT_NUM && t->len == 4 && i > 0 &&
            td_xtok_oneof(text, &toks[i - 1], MONTH_CUES) >= 0) {
            long y = td_xnum_digits(text, t);
            bool unit_after = i + 1 < s.n && toks[i + 1].kind == TD_XT_WORD &&
                              !(toks[i + 1].flags & TD_XTF_CAP) && !is(&s, i + 1, "and") &&
                              !is(&s, i + 1, "to") && !is(&s, i + 1, "when");
            if (y >= 1800 && y <= 2199 && !unit_after) {
                n = emit(&s, out, n, cap, i, i + 1, (td_date){ (int16_t)y, 0, 0, TD_PREC_YEAR },
                         TD_TIMEX_MONTH, false);
                continue;
            }
        }
        if (t->kind != TD_XT_WORD)
            continue;
        if (!s.anchored)
            continue;
        /* 3. weekdays */
        int wd = (t->flags & TD_XTF_CAP) ? td_xtok_oneof(text, t, WEEKDAYS) : -1;
        if (wd < 0 && (t->flags & TD_XTF_CAP) && poss_stem(text, t)) {
            td_xtok u = *t; /* "Thursday's strike", "Thursday’s strike" */
            u.len = poss_stem(text, t);
            wd = td_xtok_oneof(text, &u, WEEKDAYS);
        }
        if (wd >= 0) {
            uint32_t a = i, b = i + 1;
            bool last = false, next = false;
            if (i > 0 && (is(&s, i - 1, "last") || is(&s, i - 1, "past"))) {
                last = true;
                a = i - 1;
            } else if (i > 0 && (is(&s, i - 1, "next") || is(&s, i - 1, "this"))) {
                next = is(&s, i - 1, "next");
                a = i - 1;
            } else if (i > 0 && (is(&s, i - 1, "late") || is(&s, i - 1, "early"))) {
                a = i - 1;
            }
            if (is(&s, b, "night") || is(&s, b, "morning") || is(&s, b, "afternoon") ||
                is(&s, b, "evening"))
                b++;
            bool fut = next || (!last && future_at(&s, a, b));
            long cur = td_xweekday(s.anchor_days), d;
            if (fut) {
                long ahead = (wd - cur + 7) % 7;
                d = s.anchor_days + (ahead ? ahead : 7);
            } else {
                long back = (cur - wd + 7) % 7;
                if (last && back == 0)
                    back = 7;
                d = s.anchor_days - back;
            }
            n = emit(&s, out, n, cap, a, b, day_date(d), TD_TIMEX_WEEKDAY, fut);
            i = b - 1;
            continue;
        }
        /* 4. bare months after a cue, mid-April */
        {
            td_xtok u = *t;
            bool mid = false;
            if (td_xtok_starts(text, t, "mid-") && t->len > 4) {
                u.off += 4;
                u.len -= 4;
                mid = text.p[u.off] >= 'A' && text.p[u.off] <= 'Z';
            }
            int m = (mid || (t->flags & TD_XTF_CAP)) ? td_xtok_oneof(text, &u, MONTHS) : -1;
            if (m < 0 && (t->flags & TD_XTF_CAP) && t->len > 2 &&
                text.p[t->off + t->len - 2] == '\'' && text.p[t->off + t->len - 1] == 's') {
                u.len -= 2; /* "December's vote" */
                m = td_xtok_oneof(text, &u, MONTHS);
            }
            if (m >= 0) {
                bool cue = mid || (i > 0 && td_xtok_oneof(text, &toks[i - 1], MONTH_CUES) >= 0);
                if (m == 4 && !mid && !(i > 0 && (is(&s, i - 1, "in") || is(&s, i - 1, "since") ||
                                                  is(&s, i - 1, "early") || is(&s, i - 1, "late"))))
                    cue = false; /* "May" needs a firm cue: it is also a verb and a name */
                if (cue) {
                    uint32_t a = i;
                    bool last = false, next = false;
                    if (i > 0 && (is(&s, i - 1, "last") || is(&s, i - 1, "early") ||
                                  is(&s, i - 1, "late") || is(&s, i - 1, "next") ||
                                  is(&s, i - 1, "this"))) {
                        last = is(&s, i - 1, "last");
                        next = is(&s, i - 1, "next");
                        a = i - 1;
                    }
                    bool fut = next || (!last && future_at(&s, a, i + 1));
                    td_date d = resolve_month(&s, m + 1, fut, 0, TD_PREC_MONTH);
                    if (last && d.month == day_date(s.anchor_days).month &&
                        d.year == day_date(s.anchor_days).year)
                        d.year--;
                    if (mid)
                        d.day = 15; /* middle of the month, month precision */
                    n = emit(&s, out, n, cap, a, i + 1, d, TD_TIMEX_MONTH, fut);
                    continue;
                }
            }
        }
        /* 5. relative expressions */
        td_date d;
        uint32_t used;
        if (is_p(&s, i, "today") || is_p(&s, i, "tonight") || is(&s, i, "overnight")) {
            n = emit(&s, out, n, cap, i, i + 1, day_date(s.anchor_days), TD_TIMEX_RELATIVE, false);
        } else if (is(&s, i, "this") && (is(&s, i + 1, "morning") || is(&s, i + 1, "afternoon") ||
                                          is(&s, i + 1, "evening"))) {
            n = emit(&s, out, n, cap, i, i + 2, day_date(s.anchor_days), TD_TIMEX_RELATIVE, false);
            i++;
        } else if (is_p(&s, i, "yesterday")) {
            uint32_t a = i;
            long back = 1;
            if (i >= 3 && is(&s, i - 1, "before") && is(&s, i - 2, "day") && is(&s, i - 3, "the")) {
                a = i - 3;
                back = 2;
            }
            n = emit(&s, out, n, cap, a, i + 1, day_date(s.anchor_days - back), TD_TIMEX_RELATIVE,
                     false);
        } else if (is(&s, i, "last") && is(&s, i + 1, "night")) {
            n = emit(&s, out, n, cap, i, i + 2, day_date(s.anchor_days - 1), TD_TIMEX_RELATIVE,
                     false);
            i++;
        } else if (is(&s, i, "tomorrow")) {
            n = emit(&s, out, n, cap, i, i + 1, day_date(s.anchor_days + 1), TD_TIMEX_RELATIVE,
                     true);
        } else if ((used = period_at(&s, i, &d)) > 0) {
            n = emit(&s, out, n, cap, i, i + used, d, TD_TIMEX_RELATIVE, is(&s, i, "next"));
            i += used - 1;
        } else if (is(&s, i, "the") && is(&s, i + 1, "weekend")) {
            long sat = s.anchor_days - ((td_xweekday(s.anchor_days) + 2) % 7);
            d = day_date(sat);
            d.prec = TD_PREC_WEEK;
            n = emit(&s, out, n, cap, i, i + 2, d, TD_TIMEX_RELATIVE, false);
            i++;
        } else {
            /* "two days ago", "a week ago", "a few days ago" */
            uint32_t j = i;
            if (is(&s, j, "a") && is(&s, j + 1, "few"))
                j++;
            long c = count_at(&s, j);
            int u = c > 0 ? unit_at(&s, j + 1) : 0;
            if (u && is(&s, j + 2, "ago")) {
                if (u == 1)
                    d = day_date(s.anchor_days - c);
                else if (u == 7) {
                    d = day_date(s.anchor_days - 7 * c);
                    d.prec = TD_PREC_WEEK;
                } else if (u == 30) {
                    td_date a = day_date(s.anchor_days);
                    d = month_date(a.year, a.month - (int)c, TD_PREC_MONTH);
                } else {
                    d = (td_date){ (int16_t)(an.year - c), 0, 0, TD_PREC_YEAR };
                }
                if (j > i || is(&s, j, "few") || is(&s, j, "several"))
                    d.prec = d.prec == TD_PREC_DAY ? TD_PREC_WEEK : d.prec;
                n = emit(&s, out, n, cap, i, j + 3, d, TD_TIMEX_RELATIVE, false);
                i = j + 2;
            }
        }
    }
    return n;
}
