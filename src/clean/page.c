/*
 * page.c - evidence the whole page gives the cleaner before it judges lines:
 * the site's own name (for pages scraped without a URL) and the order of
 * numeric dates (04/03/2025: 4 March or 3 April).
 *
 * Site name: short name-shaped segments of the lines at the top of the page
 * ("The Example Times", "EXAMPLE DAILY" and the parts of "Example Online —
 * news from the coast" or "EDN | Example Daily News") are candidates; each is
 * scored by where else the page names it: a copyright line ("© 2025 The
 * Example Times", "Example Daily News © 2025 | Imprint"), a "Follow ... on"
 * line, a photo credit ("/The Example Times)", "Photo: Example Online") or an
 * attribution ("(EDN)", "told Example Online"). The best-scored candidate
 * wins; with none, the name in a copyright line is used when it agrees with
 * the URL's host (or there is no URL). Case is normalised only for all-capital
 * names, preferring a mixed-case spelling found elsewhere on the page.
 *
 * Date order: decided once per page from, in order, a weekday printed next to
 * an ambiguous date, other numeric dates with a part above 12, written-out
 * dates that agree with one reading, the host's country convention, and the
 * recency of the weekdays the text mentions (news speaks of the past week).
 *
 * Invariants: no allocation except the returned name (arena); every scan is
 * linear in the page (candidates are bounded; copyright and follow lines are
 * looked for in the last 15 non-empty lines, credits and attributions - one
 * memmem pass over the text per candidate - only when those confirm no
 * candidate). The text is never modified.
 */
#include <string.h>

#include "clean/clean.h"
#include "clean/clean_int.h"
#include "clean/date.h"

static inline bool is_up(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lo(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_dg(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_an(unsigned char c) { return is_up(c) || is_lo(c) || is_dg(c); }
static inline unsigned char fold(unsigned char c) { return is_up(c) ? (unsigned char)(c + 32) : c; }

/* ---- word-bounded, case-insensitive search ---- */

/* Offset of the first word-bounded, case-insensitive occurrence of n in h
 * at or after `from`, or (size_t)-1. */
static size_t find_word(td_str h, td_str n, size_t from)
{
    if (!n.len || h.len < n.len)
        return (size_t)-1;
    unsigned char f0 = fold((unsigned char)n.p[0]);
    for (size_t i = from; i + n.len <= h.len; i++) {
        if (fold((unsigned char)h.p[i]) != f0)
            continue;
        if (i > 0 && is_an((unsigned char)h.p[i - 1]))
            continue;
        if (i + n.len < h.len && is_an((unsigned char)h.p[i + n.len]))
            continue;
        size_t k = 1;
        while (k < n.len && fold((unsigned char)h.p[i + k]) == fold((unsigned char)n.p[k]))
            k++;
        if (k == n.len)
            return i;
    }
    return (size_t)-1;
}

static bool ends_with_ci(td_str s, size_t end, const char *w)
{
    size_t n = strlen(w);
    if (end < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (fold((unsigned char)s.p[end - n + k]) != (unsigned char)w[k])
            return false;
    return end == n || !is_an((unsigned char)s.p[end - n - 1]);
}

static bool starts_with_ci(td_str s, size_t at, const char *w)
{
    size_t n = strlen(w);
    if (at + n > s.len)
        return false;
    for (size_t k = 0; k < n; k++)
        if (fold((unsigned char)s.p[at + k]) != (unsigned char)w[k])
            return false;
    return true;
}

/* ---- small word lists ---- */

typedef struct word {
    const char *s;
    unsigned char len;
} word;

#define W(x) { x, (unsigned char)(sizeof(x) - 1) }

/* True when w is in the list (ASCII case-insensitive); lengths first. */
static bool in_list(td_str w, const word *list, size_t n)
{
    if (w.len == 0 || w.len > 16)
        return false;
    unsigned char f = fold((unsigned char)w.p[0]);
    for (size_t i = 0; i < n; i++) {
        if (list[i].len != w.len || (unsigned char)list[i].s[0] != f)
            continue;
        size_t k = 1;
        while (k < w.len && fold((unsigned char)w.p[k]) == (unsigned char)list[i].s[k])
            k++;
        if (k == w.len)
            return true;
    }
    return false;
}

/* ---- site name ---- */

#define MAX_CANDS 24
#define TOP_LINES 10
#define FOOTER_LINES 15        /* copyright and follow lines: the last non-empty lines */

typedef struct cand {
    td_str s;       /* the segment as printed at the top */
    td_str spell;   /* a mixed-case spelling found elsewhere, if any */
    uint32_t line;
    int score;
} cand;

/* Menu and account words that are never a site's whole name. */
static bool nav_word(td_str w)
{
    static const word words[] = {
        W("home"), W("menu"), W("search"), W("subscribe"), W("sign"), W("log"), W("login"), W("logout"),
        W("register"), W("in"), W("up"), W("out"), W("skip"), W("to"), W("main"), W("content"), W("latest"),
        W("news"), W("world"), W("video"), W("videos"), W("opinion"), W("sport"), W("sports"), W("business"),
        W("politics"), W("weather"), W("contact"), W("about"), W("us"), W("english"), W("edition"),
        W("advertisement"), W("share"), W("print"), W("email"), W("e-mail"), W("live"), W("watch"),
        W("listen"), W("trending"), W("more"), W("close"), W("open"), W("account"), W("newsletter"),
        W("newsletters"), W("today"), W("breaking"), W("top"), W("stories"), W("local"), W("national"),
        W("international"), W("region"), W("regions"), W("culture"), W("economy"), W("markets"), W("photos"),
        W("services"), W("service"), W("section"), W("sections"), W("my"), W("the"), W("and"), W("of"),
        W("follow"), W("donate"), W("support"), W("podcasts"), W("podcast"), W("tv"), W("radio"), W("jobs"),
        W("events"), W("shop"), W("help")
    };
    return in_list(w, words, sizeof words / sizeof words[0]);
}

static bool connector(td_str w)
{
    static const word words[] = {
        W("the"), W("of"), W("and"), W("&"), W("de"), W("du"), W("la"), W("le"), W("al"), W("el"), W("for"),
        W("on"), W("in"), W("an"), W("a"), W("y"), W("e")
    };
    return in_list(w, words, sizeof words / sizeof words[0]);
}

/* A segment shaped like a site name: 1..6 words, capitalised words (or
 * connectors), no sentence punctuation, not only menu words, not a date. */
static bool name_shaped(td_str s)
{
    if (s.len < 2 || s.len > 60 || !(is_up((unsigned char)s.p[0]) || is_dg((unsigned char)s.p[0])))
        return false;
    unsigned char e = (unsigned char)s.p[s.len - 1];
    if (e == '.' || e == ',' || e == ':' || e == '?' || e == '!' || e == ';')
        return false;
    unsigned words = 0, caps = 0, navs = 0;
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && s.p[i] == ' ')
            i++;
        size_t w0 = i;
        while (i < s.len && s.p[i] != ' ')
            i++;
        if (i == w0)
            break;
        td_str w = td_str_make(s.p + w0, i - w0);
        words++;
        for (size_t k = 0; k < w.len; k++) {
            char ch = w.p[k];
            if (ch == ',' || ch == ';' || ch == '"' || ch == '(' || ch == ')' || ch == '?' || ch == '!' ||
                ch == '|' || ch == '>' || ch == '/')
                return false;
        }
        if (is_up((unsigned char)w.p[0]) || is_dg((unsigned char)w.p[0]))
            caps++;
        else if (!connector(w))
            return false;
        if (nav_word(w))
            navs++;
    }
    if (words == 0 || words > 6 || caps == 0 || navs == words)
        return false;
    td_date d;
    if (td_date_find(s, 0, &d, NULL, NULL))
        return false;
    return true;
}

static bool is_sep_at(td_str s, size_t i, size_t *len)
{
    /* " — ", " – ", " - ", " | ", " · ", " : ", ": " */
    if (i + 1 >= s.len)
        return false;
    if (s.p[i] == ':' && s.p[i + 1] == ' ') {
        *len = 2;
        return true;
    }
    if (s.p[i] != ' ')
        return false;
    size_t j = i + 1, k = 0;
    unsigned char c = (unsigned char)s.p[j];
    if (c == '-' || c == '|' || c == ':')
        k = 1;
    else if (c == 0xE2 && j + 2 < s.len && (unsigned char)s.p[j + 1] == 0x80 &&
             ((unsigned char)s.p[j + 2] == 0x94 || (unsigned char)s.p[j + 2] == 0x93 ||
              (unsigned char)s.p[j + 2] == 0xA2))
        k = 3;
    else if (c == 0xC2 && j + 1 < s.len && (unsigned char)s.p[j + 1] == 0xB7)
        k = 2;
    if (!k || j + k >= s.len || s.p[j + k] != ' ')
        return false;
    *len = 1 + k + 1;
    return true;
}

static void add_cand(cand *cs, unsigned *nc, td_str s, uint32_t line)
{
    s = td_str_trim(s);
    if (*nc >= MAX_CANDS || !name_shaped(s))
        return;
    for (unsigned k = 0; k < *nc; k++)
        if (td_str_ieq(cs[k].s, s))
            return;
    cs[*nc] = (cand){ s, td_str_make(NULL, 0), line, 0 };
    (*nc)++;
}

static bool has_lower(td_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (is_lo((unsigned char)s.p[i]))
            return true;
    return false;
}

/* Counts the words of s (spaces between). */
static unsigned count_words(td_str s)
{
    unsigned n = 0;
    bool in = false;
    for (size_t i = 0; i < s.len; i++) {
        bool sp = s.p[i] == ' ' || s.p[i] == '\t';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

enum { EV_LEGAL = 1, EV_FOLLOW = 2 };

/* A copyright or rights line: "©", "Copyright", "All rights reserved", "(c) 2025". */
static bool legal_line(td_str s)
{
    /* one pass; a byte test before any comparison */
    for (size_t i = 0; i + 1 < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == 0xC2 && (unsigned char)s.p[i + 1] == 0xA9)
            return true;
        c = fold(c);
        unsigned char d = fold((unsigned char)s.p[i + 1]);
        if ((c == 'c' && d == 'o' && starts_with_ci(s, i, "copyright")) ||
            (c == 'r' && d == 'i' && starts_with_ci(s, i, "rights reserved")) ||
            (c == '(' && d == 'c' && starts_with_ci(s, i, "(c) 20")))
            return true;
    }
    return false;
}

/* Score of name n found in line s at offset at (len nl), by its context. */
static int evidence_at(td_str s, unsigned ev, size_t at, size_t nl)
{
    if (ev & EV_LEGAL)
        return 3;
    if (ev & EV_FOLLOW)
        return 2;
    size_t end = at + nl;
    /* photo credit: "/Name)", "Photo: Name", "Photo by Name", "Credit: Name" */
    size_t b = at;
    while (b > 0 && s.p[b - 1] == ' ')
        b--;
    if (b > 0 && s.p[b - 1] == '/')
        return 2;
    if (b > 0 && s.p[b - 1] == ':') {
        size_t e = b - 1;
        if (ends_with_ci(s, e, "photo") || ends_with_ci(s, e, "credit") || ends_with_ci(s, e, "image") ||
            ends_with_ci(s, e, "picture") || ends_with_ci(s, e, "source") || ends_with_ci(s, e, "video"))
            return 2;
    }
    if (ends_with_ci(s, b, "photo by") || ends_with_ci(s, b, "told") || ends_with_ci(s, b, "according to") ||
        ends_with_ci(s, b, "told the") || ends_with_ci(s, b, "according to the"))
        return 1;
    /* attribution: "(Name)" or "Name reported" */
    if (b > 0 && s.p[b - 1] == '(' && end < s.len && s.p[end] == ')')
        return 1;
    size_t e = end;
    while (e < s.len && s.p[e] == ' ')
        e++;
    if (e > end && (starts_with_ci(s, e, "reported") || starts_with_ci(s, e, "has learned") ||
                    starts_with_ci(s, e, "has learnt")))
        return 1;
    return 0;
}

/* Best evidence score of name n (optionally without a leading "The ") in s;
 * *spell gets the page's spelling at the best hit. */
static int evidence_in(td_str s, unsigned ev, td_str n, td_str *spell)
{
    int best = 0;
    for (int pass = 0; pass < 2; pass++) {
        td_str m = n;
        if (pass == 1) {
            if (!(n.len > 4 && starts_with_ci(n, 0, "the ")))
                break;
            m = td_str_make(n.p + 4, n.len - 4);
        }
        size_t at = 0;
        while ((at = find_word(s, m, at)) != (size_t)-1) {
            int sc = evidence_at(s, ev, at, m.len);
            if (sc > best) {
                best = sc;
                *spell = td_str_make(s.p + at, m.len);
            }
            at += m.len;
        }
        if (best)
            break;
    }
    return best;
}

/* The letters and digits of s, lower case, "the" dropped at the front. */
static size_t squash(td_str s, char *out, size_t cap, bool drop_the)
{
    size_t k = 0;
    for (size_t i = 0; i < s.len && k < cap; i++)
        if (is_an((unsigned char)s.p[i]))
            out[k++] = (char)fold((unsigned char)s.p[i]);
    if (drop_the && k > 3 && memcmp(out, "the", 3) == 0 && s.len > 3 && s.p[3] == ' ') {
        memmove(out, out + 3, k - 3);
        k -= 3;
    }
    return k;
}

/* True when name could be the site at host: its letters, or its initials,
 * match the host's first label ("Example Times" ~ exampletimes.com,
 * "Example News Agency" ~ ena.example, "BBC News" ~ bbc.co.uk). */
static bool host_agrees(td_str name, td_str host)
{
    if (!host.len)
        return true;
    size_t dot = 0;
    while (dot < host.len && host.p[dot] != '.')
        dot++;
    char lab[64], nm[64], ini[16];
    size_t ll = 0;
    for (size_t i = 0; i < dot && ll < sizeof lab; i++)
        if (is_an((unsigned char)host.p[i]))
            lab[ll++] = (char)fold((unsigned char)host.p[i]);
    size_t nl = squash(name, nm, sizeof nm, true);
    if (ll < 2 || nl < 2)
        return false;
    if ((nl >= ll && memcmp(nm, lab, ll) == 0) || (ll >= nl && memcmp(lab, nm, nl) == 0))
        return true;
    size_t il = 0;
    bool start = true;
    for (size_t i = 0; i < name.len && il < sizeof ini; i++) {
        unsigned char c = (unsigned char)name.p[i];
        if (c == ' ')
            start = true;
        else if (start) {
            if (is_an(c))
                ini[il++] = (char)fold(c);
            start = false;
        }
    }
    return il == ll && memcmp(ini, lab, ll) == 0;
}

/* Words that a copyright notice adds to a name. */
static bool corp_word(td_str w)
{
    static const word words[] = {
        W("ltd"), W("ltd."), W("limited"), W("inc"), W("inc."), W("llc"), W("plc"), W("corp"), W("corp."),
        W("corporation"), W("holdings"), W("group"), W("media"), W("network"), W("publishing"), W("company"),
        W("co"), W("co."), W("gmbh"), W("sa"), W("ag"), W("s.a."), W("llp")
    };
    return in_list(w, words, sizeof words / sizeof words[0]);
}

/* Capitalised run of words starting at s[i] (connectors inside allowed). */
static td_str cap_run(td_str s, size_t i)
{
    size_t start = i, end = i;
    unsigned words = 0;
    while (i < s.len && words < 7) {
        size_t w0 = i;
        while (i < s.len && s.p[i] != ' ' && s.p[i] != ',' && s.p[i] != '|' && s.p[i] != '(')
            i++;
        td_str w = td_str_make(s.p + w0, i - w0);
        if (w.len == 0)
            break;
        bool dot_end = w.p[w.len - 1] == '.';
        td_str core = dot_end ? td_str_make(w.p, w.len - 1) : w;
        if (!core.len || (!is_up((unsigned char)core.p[0]) && !(words && connector(core) && !dot_end)))
            break;
        if (td_str_ieq(core, TD_STR_LIT("All")) || td_str_ieq(core, TD_STR_LIT("Copyright")))
            break;
        words++;
        end = w0 + core.len;
        if (dot_end && !corp_word(w))
            break; /* "Example Post. All rights reserved." */
        if (i >= s.len || s.p[i] != ' ')
            break;
        i++;
    }
    td_str r = td_str_make(s.p + start, end - start);
    /* drop trailing connectors and corporate words */
    for (;;) {
        size_t k = r.len;
        while (k && r.p[k - 1] != ' ')
            k--;
        if (!k)
            break;
        td_str last = td_str_make(r.p + k, r.len - k);
        if (!(connector(last) || corp_word(last)))
            break;
        r = td_str_trim(td_str_make(r.p, k));
    }
    return r;
}

/* The name a copyright line gives: around the © sign or "Copyright", years
 * skipped ("© 2025 The Example Times", "Example Daily © 2025 | About",
 * "All rights reserved © Example News Agency 2025"). */
static td_str copyright_name(td_str s)
{
    size_t at = (size_t)-1, ml = 0;
    const char *c = memmem(s.p, s.len, "\xc2\xa9", 2);
    if (c) {
        at = (size_t)(c - s.p);
        ml = 2;
    } else {
        size_t f = find_word(s, TD_STR_LIT("copyright"), 0);
        if (f == (size_t)-1)
            return td_str_make(NULL, 0);
        at = f;
        ml = 9;
    }
    size_t i = at + ml;
    for (;;) { /* skip spaces, "©", "Copyright", "(c)", years and year ranges */
        while (i < s.len && (s.p[i] == ' ' || s.p[i] == '-' || s.p[i] == ','))
            i++;
        if (i + 1 < s.len && (unsigned char)s.p[i] == 0xC2 && (unsigned char)s.p[i + 1] == 0xA9) {
            i += 2;
            continue;
        }
        if (starts_with_ci(s, i, "copyright")) {
            i += 9;
            continue;
        }
        if (starts_with_ci(s, i, "(c)")) {
            i += 3;
            continue;
        }
        if (i < s.len && is_dg((unsigned char)s.p[i])) {
            while (i < s.len && is_dg((unsigned char)s.p[i]))
                i++;
            continue;
        }
        break;
    }
    td_str r = cap_run(s, i);
    if (r.len >= 2)
        return r;
    /* the name before the sign: "Example Daily © 2025" */
    size_t e = at;
    while (e > 0 && s.p[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && s.p[b - 1] != '|' && s.p[b - 1] != '.' && s.p[b - 1] != ',' && (unsigned char)s.p[b - 1] < 0x80)
        b--;
    while (b < e && s.p[b] == ' ')
        b++;
    if (b < e)
        return cap_run(td_str_make(s.p, e), b);
    return td_str_make(NULL, 0);
}

/* Title case for a name printed in capitals: "THE EXAMPLE TIMES" ->
 * "The Example Times"; words of up to three letters that are not connectors
 * stay capitals ("EDN NEWS" -> "EDN News"). */
static void recase_into(char *o, td_str s);

static td_str recase(td_arena *ar, td_str s)
{
    char *o = td_arena_strndup(ar, s.p, s.len);
    if (!o)
        return td_str_make(NULL, 0);
    recase_into(o, s);
    return td_str_make(o, s.len);
}

/* o holds a copy of s; recased in place. */
static void recase_into(char *o, td_str s)
{
    size_t i = 0;
    bool first = true;
    while (i < s.len) {
        while (i < s.len && o[i] == ' ')
            i++;
        size_t w0 = i;
        while (i < s.len && o[i] != ' ')
            i++;
        td_str w = td_str_make(o + w0, i - w0);
        if (!w.len)
            break;
        bool conn = connector(w);
        if (w.len <= 3 && !conn)
            ; /* an acronym */
        else
            for (size_t k = w0 + ((conn && !first) ? 0 : 1); k < i; k++)
                o[k] = (char)fold((unsigned char)o[k]);
        first = false;
    }
}

td_str td_page_outlet(td_arena *ar, td_str text, const td_line *L, uint32_t n, td_str host)
{
    cand cs[MAX_CANDS];
    unsigned nc = 0;
    /* 1. candidates: segments of the short lines at the top of the page */
    unsigned seen = 0;
    for (uint32_t i = 0; i < n && seen < TOP_LINES; i++) {
        td_str s = L[i].text;
        if (!s.len)
            continue;
        seen++;
        unsigned w = count_words(s);
        if (w >= 12)
            break; /* prose: the article has started */
        if (s.len > 120)
            continue;
        size_t from = 0, sl = 0;
        for (size_t j = 0; j < s.len; j++)
            if (is_sep_at(s, j, &sl)) {
                add_cand(cs, &nc, td_str_make(s.p + from, j - from), i);
                from = j + sl;
                j = from - 1;
            }
        add_cand(cs, &nc, td_str_make(s.p + from, s.len - from), i);
    }
    /* 2. evidence from the rest of the page: copyright and follow lines
     * first (footers live in the last lines) */
    td_str fallback = td_str_make(NULL, 0);
    bool any = false;
    uint32_t foot = n, tail = 0;
    while (foot > 0 && tail < FOOTER_LINES)
        tail += L[--foot].text.len > 0;
    for (uint32_t i = foot; i < n; i++) {
        td_str s = L[i].text;
        if (s.len < 3)
            continue;
        unsigned ev = 0;
        if (s.len <= 300 && legal_line(s))
            ev |= EV_LEGAL;
        else if (s.len <= 300 && starts_with_ci(s, 0, "follow "))
            ev |= EV_FOLLOW;
        if (!ev)
            continue;
        if ((ev & EV_LEGAL) && !fallback.len)
            fallback = copyright_name(s);
        for (unsigned k = 0; k < nc; k++) {
            if (cs[k].line == i)
                continue;
            td_str spell = td_str_make(NULL, 0);
            int sc = evidence_in(s, ev, cs[k].s, &spell);
            if (sc) {
                any = true;
                cs[k].score += sc;
                if (!cs[k].spell.len && has_lower(spell))
                    cs[k].spell = spell;
            }
        }
    }
    /* credits and attributions, only when the footer confirmed nothing:
     * each candidate is looked for in the whole text (as printed and, for a
     * name in capitals, in title case), its own line excepted */
    for (unsigned k = 0; k < nc && !any; k++) {
        char alt[64];
        td_str forms[2] = { cs[k].s, td_str_make(NULL, 0) };
        if (!has_lower(cs[k].s) && cs[k].s.len <= sizeof alt) {
            memcpy(alt, cs[k].s.p, cs[k].s.len);
            recase_into(alt, cs[k].s);
            forms[1] = td_str_make(alt, cs[k].s.len);
        }
        td_str own = L[cs[k].line].text;
        for (int f = 0; f < 2 && forms[f].len; f++) {
            const char *q = text.p, *e = text.p + text.len;
            while (q < e && (q = memmem(q, (size_t)(e - q), forms[f].p, forms[f].len)) != NULL) {
                size_t at = (size_t)(q - text.p);
                q += forms[f].len;
                if ((at > 0 && is_an((unsigned char)text.p[at - 1])) ||
                    (at + forms[f].len < text.len && is_an((unsigned char)text.p[at + forms[f].len])))
                    continue;
                if (text.p + at >= own.p && text.p + at < own.p + own.len)
                    continue;
                int sc = evidence_at(text, 0, at, forms[f].len);
                if (sc) {
                    cs[k].score += sc;
                    if (!cs[k].spell.len && has_lower(td_str_make(text.p + at, forms[f].len)))
                        cs[k].spell = td_str_make(text.p + at, forms[f].len);
                }
            }
        }
    }
    int best = -1;
    for (unsigned k = 0; k < nc; k++)
        if (cs[k].score > 0 && (best < 0 || cs[k].score > cs[best].score))
            best = (int)k;
    td_str name;
    if (best >= 0) {
        name = cs[best].s;
        if (!has_lower(name) && cs[best].spell.len == name.len)
            name = cs[best].spell; /* "DAILY X" at the top, "Daily X" below */
    } else if (fallback.len >= 2 && count_words(fallback) <= 6 && host_agrees(fallback, host)) {
        name = fallback;
    } else {
        return td_str_make(NULL, 0);
    }
    if (!has_lower(name))
        return recase(ar, name);
    char *o = td_arena_strndup(ar, name.p, name.len);
    return o ? td_str_make(o, name.len) : td_str_make(NULL, 0);
}

/* ---- numeric date order ---- */

/* 0 = Monday .. 6 = Sunday (Sakamoto). */
static int weekday_of(int y, int m, int d)
{
    static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
    if (m < 3)
        y--;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return (w + 6) % 7;
}

static bool valid_day(int y, int m, int d)
{
    static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return false;
    int mx = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= mx;
}

/* Full weekday name ending at s[e) ("Tuesday", "Tue", "Tue."), -1 if none. */
static int weekday_before(td_str s, size_t e)
{
    while (e > 0 && (s.p[e - 1] == ' ' || s.p[e - 1] == ','))
        e--;
    if (e > 0 && s.p[e - 1] == '.')
        e--;
    size_t b = e;
    while (b > 0 && (is_up((unsigned char)s.p[b - 1]) || is_lo((unsigned char)s.p[b - 1])))
        b--;
    static const char *const full[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
    td_str w = td_str_make(s.p + b, e - b);
    if (w.len < 3 || !is_up((unsigned char)w.p[0]))
        return -1;
    for (int k = 0; k < 7; k++) {
        td_str f = td_str_cstr(full[k]);
        if (td_str_ieq(w, f) || (w.len >= 3 && w.len <= 4 && td_str_istarts(f, w)))
            return k;
    }
    return -1;
}

/* Weekday named by the capitalised word at s[i] (full names only), -1 else. */
static int weekday_word(td_str s, size_t i, size_t *len)
{
    static const char *const full[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
    if (i > 0 && is_an((unsigned char)s.p[i - 1]))
        return -1;
    for (int k = 0; k < 7; k++) {
        size_t n = strlen(full[k]);
        if (i + n <= s.len && memcmp(s.p + i, full[k], n) == 0 && (i + n == s.len || !is_an((unsigned char)s.p[i + n]))) {
            *len = n;
            return k;
        }
    }
    return -1;
}

#define MAX_AMBIG 8

typedef struct ambig {
    int a, b, y;
} ambig;

/* Reads "a/b/yyyy" whose first '/' is at s[slash]; true with the parts and
 * the date's start and end. */
static bool numeric_at(td_str s, size_t slash, int *a, int *b, int *y, size_t *start, size_t *end)
{
    size_t i = slash;
    while (i > 0 && slash - i < 3 && is_dg((unsigned char)s.p[i - 1]))
        i--;
    if (i == slash || slash - i > 2 || (i > 0 && (is_an((unsigned char)s.p[i - 1]) || s.p[i - 1] == '/' || s.p[i - 1] == '.')))
        return false;
    int v[3] = { 0, 0, 0 };
    size_t p = i;
    for (int part = 0; part < 3; part++) {
        size_t k = 0;
        while (p < s.len && is_dg((unsigned char)s.p[p]) && k < 5)
            v[part] = v[part] * 10 + (s.p[p++] - '0'), k++;
        if (part < 2 ? (k == 0 || k > 2 || p >= s.len || s.p[p] != '/') : (k != 4 || (p < s.len && is_dg((unsigned char)s.p[p]))))
            return false;
        if (part < 2)
            p++;
    }
    if (v[2] < 1800 || v[2] > 2199)
        return false;
    *a = v[0], *b = v[1], *y = v[2], *start = i, *end = p;
    return true;
}

unsigned td_page_date_order(td_str s, int hint)
{
    ambig am[MAX_AMBIG];
    unsigned na = 0, dmy_proof = 0, mdy_proof = 0;
    int adj = -1; /* decided by a weekday next to the first ambiguous date: 0 mdy, 1 dmy */
    /* numeric dates, found through their '/' (memchr is vectorised) */
    const char *q = s.p, *e = s.p + s.len;
    while (q < e && (q = memchr(q, '/', (size_t)(e - q))) != NULL) {
        int a = 0, b = 0, y = 0;
        size_t st = 0, en = 0;
        if (!numeric_at(s, (size_t)(q - s.p), &a, &b, &y, &st, &en)) {
            q++;
            continue;
        }
        q = s.p + en;
        if (a > 12 && b >= 1 && b <= 12)
            dmy_proof++;
        else if (b > 12 && a >= 1 && a <= 12)
            mdy_proof++;
        else if (a >= 1 && b >= 1 && a != b) {
            if (na == 0) {
                int w = weekday_before(s, st);
                if (w >= 0) {
                    bool mdy = weekday_of(y, a, b) == w, dmy = weekday_of(y, b, a) == w;
                    if (mdy != dmy)
                        adj = dmy ? 1 : 0;
                }
            }
            if (na < MAX_AMBIG)
                am[na++] = (ambig){ a, b, y };
        }
    }
    unsigned dflt = hint > 0 ? TD_DATE_DMY : 0;
    if (na == 0)
        return dmy_proof > mdy_proof ? TD_DATE_DMY : (mdy_proof > dmy_proof ? 0 : dflt);
    if (adj >= 0)
        return adj ? TD_DATE_DMY : 0;
    if (dmy_proof && !mdy_proof)
        return TD_DATE_DMY;
    if (mdy_proof && !dmy_proof)
        return 0;
    /* written-out dates that agree with one reading */
    unsigned dmy_text = 0, mdy_text = 0;
    size_t p = 0;
    while (p < s.len) {
        td_date d;
        size_t off = 0, len = 0;
        if (!td_date_find(td_str_make(s.p + p, s.len - p), TD_DATE_NO_YEAR, &d, &off, &len))
            break;
        off += p;
        if (!memchr(s.p + off, '/', len) && d.prec == TD_PREC_DAY) {
            for (unsigned k = 0; k < na; k++) {
                bool yr = d.year == 0 || d.year == am[k].y;
                if (yr && d.month == am[k].b && d.day == am[k].a)
                    dmy_text++;
                else if (yr && d.month == am[k].a && d.day == am[k].b)
                    mdy_text++;
            }
        }
        p = off + (len ? len : 1);
    }
    if (dmy_text != mdy_text)
        return dmy_text > mdy_text ? TD_DATE_DMY : 0;
    if (hint >= 0)
        return dflt;
    /* recency: the weekdays a news text mentions are mostly of the past week */
    const ambig *f = &am[0];
    if (!valid_day(f->y, f->a, f->b) || !valid_day(f->y, f->b, f->a))
        return 0;
    unsigned wd_count[7] = { 0 };
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c != 'M' && c != 'T' && c != 'W' && c != 'F' && c != 'S')
            continue;
        size_t wl = 0;
        int w = weekday_word(s, i, &wl);
        if (w >= 0) {
            wd_count[w]++;
            i += wl - 1;
        }
    }
    int wm = weekday_of(f->y, f->a, f->b), wdm = weekday_of(f->y, f->b, f->a);
    unsigned cost_mdy = 0, cost_dmy = 0, mentions = 0;
    for (int w = 0; w < 7; w++) {
        if (!wd_count[w])
            continue;
        mentions += wd_count[w];
        cost_mdy += wd_count[w] * (unsigned)((wm - w + 7) % 7);
        cost_dmy += wd_count[w] * (unsigned)((wdm - w + 7) % 7);
    }
    if (mentions && cost_dmy + 2 <= cost_mdy)
        return TD_DATE_DMY;
    return 0;
}
