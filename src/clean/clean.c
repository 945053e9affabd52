/*
 * clean.c - the text cleaner (see clean.h for the contract).
 *
 * Data: one td_line per input line (a->lines) plus a parallel private array of
 * features (words, sentence end, prose, headline shape). Passes, each linear:
 *   1. split and trim; line-local cues (cues.c), captions, bylines, date lines;
 *   2. the outlet's template lines (opts->line_count);
 *   3. lines repeated inside the article; caption groups;
 *   4. the head: title (given or first headline-like line above the first
 *      prose paragraph), subtitle, furniture above the article;
 *   5. the tail: "Related"/"Comments"/newsletter headers and what follows them,
 *      short furniture after the last paragraph;
 *   6. dateline of the first body paragraph, byline, publication date;
 *   7. body and captions assembled into the arena.
 * Invariants: every line gets exactly one kind and a static `why`; the body is
 * the BODY lines in order; the text is never modified (views point into it,
 * except that a line opening with a "date YYYY-MM-DD" stamp is narrowed to
 * what follows the stamp).
 */
#include "clean/clean.h"

#include <string.h>
#include <xxhash.h>

#include "clean/clean_int.h"
#include "clean/date.h"

/* ---- line features ---- */

enum {
    F_END = 1,        /* ends like a sentence: . ! ? (before closing quotes) */
    F_PROSE = 2,      /* a paragraph of running text */
    F_HEADLINE = 4,   /* shaped like a headline: 3..30 words, no final period */
    F_TITLECASE = 8,  /* most words capitalised */
    F_TAILHDR = 16,   /* cue: furniture header (Related, Read more, newsletter) */
    F_COMMENTHDR = 32,/* cue: comments header */
    F_DATEPFX = 64,   /* opened with a "date YYYY-MM-DD" stamp */
    F_CAPCUE = 128    /* carries a caption/credit cue */
};

typedef struct feat {
    uint16_t words;
    uint16_t flags;
    uint16_t caps;    /* words starting with an upper-case letter */
    uint16_t lower;   /* words starting with a lower-case letter */
    uint64_t hash;    /* td_clean_line_hash of the text, 0 until needed */
} feat;

typedef struct datecand {
    td_date d;
    int rank;         /* lower is better */
    const char *from;
} datecand;

static inline bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_alnum(unsigned char c) { return is_upper(c) || is_lower(c) || is_digit(c); }

/* True when s has no letter or digit (ASCII) and no multi-byte letter. */
static bool punct_only(td_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (is_alnum(c))
            return false;
        if (c >= 0xC3) /* a non-ASCII letter (punctuation lives in C2 and E2..) */
            return false;
    }
    return true;
}

/* Last byte of s ignoring closing quotes, brackets and trailing spaces. */
static unsigned char last_sig(td_str s)
{
    size_t n = s.len;
    while (n) {
        unsigned char c = (unsigned char)s.p[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == ' ') {
            n--;
            continue;
        }
        /* U+201D ” and U+2019 ’ end in 0x9D / 0x99 after E2 80 */
        if (n >= 3 && (unsigned char)s.p[n - 3] == 0xE2 && (unsigned char)s.p[n - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) {
            n -= 3;
            continue;
        }
        if (n >= 2 && (unsigned char)s.p[n - 2] == 0xC2 && c == 0xBB) { /* » */
            n -= 2;
            continue;
        }
        return c;
    }
    return 0;
}

static void compute_feat(td_str s, const td_cue_line *cl, feat *f)
{
    f->words = (uint16_t)(cl->words > 65535 ? 65535 : cl->words);
    f->caps = f->lower = 0;
    bool start = true;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == ' ' || c == '\t') {
            start = true;
            continue;
        }
        if (start) {
            if (is_upper(c) || is_digit(c))
                f->caps++;
            else if (is_lower(c))
                f->lower++;
            start = false;
        }
    }
    unsigned char e = last_sig(s);
    if (e == '.' || e == '!' || e == '?' || e == ';')
        f->flags |= F_END;
    /* U+2026 … as a sentence end */
    if (s.len >= 3 && (unsigned char)s.p[s.len - 3] == 0xE2 && (unsigned char)s.p[s.len - 2] == 0x80 &&
        (unsigned char)s.p[s.len - 1] == 0xA6)
        f->flags |= F_END;
    if ((f->words >= 10 && (f->flags & F_END)) || f->words >= 22)
        f->flags |= F_PROSE;
    if (f->words >= 3 && f->words <= 30 && s.len >= 15 && e != '.' && e != ';' && e != ',' &&
        e != ':' && (f->caps + f->lower) > 0 && (is_upper((unsigned char)s.p[0]) || is_digit((unsigned char)s.p[0]) ||
                                                 (unsigned char)s.p[0] >= 0x80 || s.p[0] == '\'' || s.p[0] == '"'))
        f->flags |= F_HEADLINE;
    if (f->words >= 3 && f->caps * 10 >= (unsigned)(f->caps + f->lower) * 7)
        f->flags |= F_TITLECASE;
}

static void set_kind(td_line *l, td_line_kind k, const char *why)
{
    l->kind = k;
    l->why = why;
}

/* ---- small recognisers ---- */

/* "By Jane Doe", "by Saharareporters, New York", "Written by ..." */
static bool is_byline(td_str s, const feat *f)
{
    if (f->words < 2 || f->words > 14)
        return false;
    const char *prefixes[] = { "By ", "by ", "BY ", "Written by ", "Words by ", "Reporting by ", "Story by " };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (s.len > n && memcmp(s.p, prefixes[i], n) == 0 && is_upper((unsigned char)s.p[n]))
            return !(f->flags & F_END) || f->words <= 8;
    }
    return false;
}

/* A line of two to four capitalised words and nothing else: a name. */
static bool is_name_line(td_str s, const feat *f)
{
    if (f->words < 2 || f->words > 4 || f->lower > 0 || (f->flags & F_END))
        return false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (is_digit(c) || c == ':' || c == '|' || c == '/' || c == '!' || c == '?')
            return false;
    }
    return true;
}

/* Script or markup residue: braces, "function(", "jQuery", "});". */
static bool is_code(td_str s)
{
    if (!memchr(s.p, '(', s.len) && !memchr(s.p, '{', s.len) && !memchr(s.p, '<', s.len) &&
        !memchr(s.p, ';', s.len))
        return false;
    static const char *const marks[] = { "function(", "function (", "jQuery", "});", "document.", "window.",
                                         "var ", "{\"", "\");", "</", "/>", "getElementById" };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (memmem(s.p, s.len, marks[i], strlen(marks[i])))
            return true;
    return false;
}

/* "World | Politics | Business", "Home > News > Asia", "Home  World  Sport":
 * two or more separators (bars, arrows, dots, runs of spaces)
 * between items of at most three words, and no sentence. */
static bool is_menu(td_str s, const feat *f)
{
    if (f->flags & F_END || f->words > 40)
        return false;
    unsigned seps = 0, run = 0, maxrun = 0;
    bool in_word = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        bool sep = ch == '|' || ch == '>' || (ch == 0xC2 && i + 1 < s.len && ((unsigned char)s.p[i + 1] == 0xBB ||
                                                                          (unsigned char)s.p[i + 1] == 0xB7)) ||
                   (ch == 0xE2 && i + 2 < s.len && (unsigned char)s.p[i + 1] == 0x80 && (unsigned char)s.p[i + 2] == 0xA2);
        /* "Home  World  Sport": items apart by runs of spaces */
        if (!sep && (ch == ' ' || ch == '\t') && i + 1 < s.len && (s.p[i + 1] == ' ' || s.p[i + 1] == '\t')) {
            while (i + 1 < s.len && (s.p[i + 1] == ' ' || s.p[i + 1] == '\t'))
                i++;
            sep = true;
        }
        if (sep) {
            seps++;
            run = 0;
            in_word = false;
            continue;
        }
        bool ws = ch == ' ' || ch == '\t';
        if (!ws && !in_word && ch < 0x80 && ch != '/' && ch != '-') {
            run++;
            if (run > maxrun)
                maxrun = run;
        }
        in_word = !ws;
    }
    return seps >= 2 && maxrun <= 3;
}

/* Digits and punctuation only ("5130", "1/12"): counters and pagers. */
static bool is_number_only(td_str s)
{
    bool digit = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (is_digit(c))
            digit = true;
        else if (is_upper(c) || is_lower(c) || c >= 0x80)
            return false;
    }
    return digit;
}

/* "date 2018-08-10 rest": a scraper's date stamp at the start of a line. */
static bool date_stamp(td_str s, td_date *d, td_str *rest)
{
    if (s.len < 6 || !td_str_istarts(s, TD_STR_LIT("date")))
        return false;
    size_t p = 4;
    if (p < s.len && s.p[p] == ':')
        p++;
    if (p >= s.len || (s.p[p] != ' ' && s.p[p] != '\t' && !is_digit((unsigned char)s.p[p])))
        return false;
    while (p < s.len && (s.p[p] == ' ' || s.p[p] == '\t'))
        p++;
    size_t used = 0;
    if (!td_date_parse(td_str_make(s.p + p, s.len - p), d, &used) || d->prec != TD_PREC_DAY)
        return false;
    p += used;
    /* a time right after the stamp belongs to it */
    while (p < s.len && (s.p[p] == 'T' || s.p[p] == ':' || s.p[p] == 'Z' || is_digit((unsigned char)s.p[p])))
        p++;
    *rest = td_str_trim(td_str_make(s.p + p, s.len - p));
    return true;
}

/* Words of a date line that are not part of the date: "Published", "Updated",
 * times, zones and separators. Counts the others. */
static unsigned non_date_words(td_str s, size_t doff, size_t dlen)
{
    static const char *const ok[] = { "published", "updated", "last", "posted", "on", "at", "date",
                                      "created", "modified", "first", "gmt", "utc", "et", "est", "edt",
                                      "pt", "bst", "cet", "ist", "hkt", "sgt", "wat", "am", "pm", "a.m.",
                                      "p.m.", "by", "in", "news", "|", "-", "--", "\xe2\x80\x94",
                                      "\xe2\x80\x93", "/", "\xc2\xb7", "\xe2\x80\xa2", "time" };
    unsigned n = 0;
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == ','))
            i++;
        size_t w0 = i;
        while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != ',')
            i++;
        if (i == w0)
            break;
        if (w0 >= doff && i <= doff + dlen)
            continue;
        td_str w = td_str_make(s.p + w0, i - w0);
        while (w.len && (w.p[w.len - 1] == ':' || w.p[w.len - 1] == '.' || w.p[w.len - 1] == '|'))
            w.len--;
        if (w.len == 0)
            continue;
        bool skip = is_digit((unsigned char)w.p[0]); /* times like 10:32 or 8:04 */
        for (size_t k = 0; !skip && k < sizeof ok / sizeof ok[0]; k++)
            skip = td_str_ieq(w, td_str_cstr(ok[k]));
        if (!skip)
            n++;
    }
    return n;
}

/* Rank of a date found in a date line: published/posted beat plain dates,
 * which beat updated/modified. */
static int date_line_rank(td_str s, size_t doff)
{
    td_str before = td_str_make(s.p, doff);
    size_t win = before.len > 40 ? before.len - 40 : 0;
    td_str near = td_str_make(s.p + win, before.len - win);
    if (td_str_icontains(near, TD_STR_LIT("published")) || td_str_icontains(near, TD_STR_LIT("posted")) ||
        td_str_icontains(near, TD_STR_LIT("created")))
        return 0;
    if (td_str_icontains(near, TD_STR_LIT("updated")) || td_str_icontains(near, TD_STR_LIT("modified")))
        return 2;
    return 1;
}

static bool plausible_pub(td_date d)
{
    return d.prec == TD_PREC_DAY && d.year >= 1990 && d.year <= 2100;
}

/* Finds the best publication date in a short line; false when none. */
static bool best_date_in(td_str s, unsigned flags, td_date *out, int *rank, size_t *first_off, size_t *first_len)
{
    bool found = false;
    size_t p = 0;
    int best = 99;
    while (p < s.len) {
        td_date d;
        size_t off = 0, len = 0;
        if (!td_date_find(td_str_make(s.p + p, s.len - p), flags, &d, &off, &len))
            break;
        off += p;
        if (plausible_pub(d)) {
            int r = date_line_rank(s, off);
            if (!found) {
                *first_off = off;
                *first_len = len;
            }
            if (r < best) {
                best = r;
                *out = d;
                found = true;
            }
        }
        p = off + (len ? len : 1);
    }
    *rank = best;
    return found;
}

/* Near-duplicate lines: equal, or one is the other plus a short prefix
 * ("PHOTO: x" / "x"), or they share most of their start. */
static bool near_dup(td_str a, td_str b)
{
    if (a.len < 12 || b.len < 12)
        return false;
    if (td_str_eq(a, b))
        return true;
    td_str lo = a.len < b.len ? a : b, hi = a.len < b.len ? b : a;
    if (hi.len - lo.len <= 12 && memcmp(hi.p + (hi.len - lo.len), lo.p, lo.len) == 0)
        return true;
    size_t k = 0;
    while (k < lo.len && a.p[k] == b.p[k])
        k++;
    return k >= 40 || k * 10 >= lo.len * 8;
}

/* ---- hashing ---- */

uint64_t td_clean_line_hash(td_str line)
{
    /* chunks are chained through the seed, so no streaming state is needed */
    uint64_t h = 0;
    char buf[256];
    size_t n = 0;
    line = td_str_trim(line);
    /* drop outer punctuation so "Share:" and "Share" agree */
    while (line.len && !is_alnum((unsigned char)line.p[0]) && (unsigned char)line.p[0] < 0x80)
        line.p++, line.len--;
    while (line.len && !is_alnum((unsigned char)line.p[line.len - 1]) && (unsigned char)line.p[line.len - 1] < 0x80)
        line.len--;
    bool space = false, digit = false;
    for (size_t i = 0; i < line.len; i++) {
        unsigned char c = (unsigned char)line.p[i];
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space && n) {
            buf[n++] = ' ';
        }
        space = false;
        if (is_digit(c)) {
            if (!digit)
                buf[n++] = '0';
            digit = true;
        } else {
            digit = false;
            buf[n++] = (char)(is_upper(c) ? c + 32 : c);
        }
        if (n >= sizeof buf - 2) {
            h = XXH3_64bits_withSeed(buf, n, h);
            n = 0;
        }
    }
    return XXH3_64bits_withSeed(buf, n, h);
}

static bool candidate_text(td_str s, unsigned words, bool prose)
{
    return s.len >= 2 && s.len <= 200 && words >= 1 && words <= 25 && !prose;
}

bool td_clean_template_candidate(const td_line *l)
{
    if (!l || l->kind == TD_LINE_EMPTY || l->kind == TD_LINE_DATE || !l->text.p)
        return false;
    td_cue_line cl;
    td_cue_line_init(&cl, l->text);
    feat f = { 0 };
    compute_feat(l->text, &cl, &f);
    return candidate_text(l->text, cl.words, (f.flags & F_PROSE) && (f.flags & F_END) && cl.words >= 10);
}

uint32_t td_clean_template_min(const td_clean_opts *o)
{
    return o && o->template_min ? o->template_min : TD_CLEAN_TEMPLATE_MIN_DEFAULT;
}

/* ---- kind names ---- */

const char *td_line_kind_name(td_line_kind k)
{
    static const char *const names[TD_LINE_KIND_COUNT] = {
        "body", "title", "subtitle", "date", "byline", "caption", "nav", "share",
        "promo", "comments", "legal", "ad", "template", "tail", "empty",
    };
    if ((unsigned)k >= TD_LINE_KIND_COUNT)
        return "unknown";
    return names[k];
}

/* ---- the passes ---- */

typedef struct ctx {
    td_article *a;
    feat *f;
    uint32_t n;
    unsigned date_flags;
    datecand best;
    td_str host;      /* registrable domain of the URL, or empty */
} ctx;

static void offer(ctx *c, td_date d, int rank, const char *from)
{
    if (d.prec == TD_PREC_NONE)
        return;
    if (c->best.d.prec == TD_PREC_NONE || rank < c->best.rank) {
        c->best.d = d;
        c->best.rank = rank;
        c->best.from = from;
    }
}

static inline bool is_body(const td_line *l) { return l->kind == TD_LINE_BODY; }

/* Pass 1: split, trim, line-local verdicts. */
static bool split_lines(ctx *c)
{
    td_article *a = c->a;
    td_str t = a->text;
    uint32_t n = 1;
    for (size_t i = 0; i < t.len; i++)
        n += t.p[i] == '\n';
    if (t.len == 0)
        n = 0;
    a->lines = n ? td_arena_calloc(a->arena, n, sizeof(td_line)) : NULL;
    c->f = n ? td_arena_calloc(a->arena, n, sizeof(feat)) : NULL;
    if (n && (!a->lines || !c->f))
        return false;
    size_t s = 0;
    uint32_t k = 0;
    for (size_t i = 0; i <= t.len && k < n; i++) {
        if (i == t.len || t.p[i] == '\n') {
            td_line *l = &a->lines[k];
            l->text = td_str_trim(td_str_make(t.p + s, i - s));
            l->lineno = k + 1;
            set_kind(l, TD_LINE_BODY, "body");
            k++;
            s = i + 1;
        }
    }
    a->n_lines = n;
    c->n = n;
    return true;
}

static void classify_local(ctx *c, uint32_t i)
{
    td_line *l = &c->a->lines[i];
    feat *f = &c->f[i];
    if (l->text.len == 0 || punct_only(l->text)) {
        set_kind(l, TD_LINE_EMPTY, l->text.len ? "punctuation only" : "blank");
        return;
    }
    td_date d;
    td_str rest;
    if (date_stamp(l->text, &d, &rest)) {
        offer(c, d, 10, "date line");
        f->flags |= F_DATEPFX;
        if (rest.len == 0 || punct_only(rest)) {
            set_kind(l, TD_LINE_DATE, "date stamp");
            return;
        }
        l->text = rest;
    }
    td_cue_line cl;
    td_cue_line_init(&cl, l->text);
    compute_feat(l->text, &cl, f);
    td_cue_hit hit;
    const char *why = NULL;
    if (f->words > 8 && l->text.len > 2 && (unsigned char)l->text.p[0] == 0xC2 &&
        (unsigned char)l->text.p[1] == 0xA9 && !td_str_icontains(l->text, TD_STR_LIT("rights reserved")) &&
        !td_str_icontains(l->text, TD_STR_LIT("copyright"))) {
        /* "© Agency. A caption ..." */
        set_kind(l, TD_LINE_CAPTION, "caption: credit first");
        f->flags |= F_CAPCUE;
        return;
    }
    if (td_cue_match(&cl, &hit)) {
        set_kind(l, hit.kind, hit.why);
        if (hit.flags & TD_CUE_TAILHDR)
            f->flags |= F_TAILHDR;
        if (hit.flags & TD_CUE_COMMENTS)
            f->flags |= F_COMMENTHDR;
        if (hit.kind == TD_LINE_CAPTION)
            f->flags |= F_CAPCUE;
        return;
    }
    if (td_cue_buttons(&cl)) {
        set_kind(l, TD_LINE_SHARE, "share buttons");
        return;
    }
    if (td_cue_credit_only(&cl)) {
        set_kind(l, TD_LINE_CAPTION, "photo credit");
        f->flags |= F_CAPCUE;
        return;
    }
    if (td_cue_caption(&cl, &why)) {
        set_kind(l, TD_LINE_CAPTION, why);
        f->flags |= F_CAPCUE;
        return;
    }
    if (is_code(l->text)) {
        set_kind(l, TD_LINE_NAV, "script code");
        return;
    }
    if (is_byline(l->text, f)) {
        set_kind(l, TD_LINE_BYLINE, "by line");
        return;
    }
    /* date lines: short, and mostly a date */
    if (f->words <= 16 && !(f->flags & F_PROSE)) {
        size_t off = 0, len = 0;
        int rank = 0;
        if (best_date_in(l->text, c->date_flags, &d, &rank, &off, &len)) {
            unsigned other = non_date_words(l->text, off, len);
            if (other <= 8 && !(f->flags & F_END && other > 3)) {
                set_kind(l, TD_LINE_DATE, "date line");
                return;
            }
        }
    }
    if (is_number_only(l->text) && f->words <= 3) {
        set_kind(l, TD_LINE_NAV, "number only");
        return;
    }
    if (is_menu(l->text, f))
        set_kind(l, TD_LINE_NAV, "menu line");
}

/* Pass 2: the outlet's template lines. */
static void apply_templates(ctx *c, const td_clean_opts *o)
{
    if (!o || !o->line_count || !c->a->outlet.len)
        return;
    uint32_t min = td_clean_template_min(o);
    for (uint32_t i = 0; i < c->n; i++) {
        td_line *l = &c->a->lines[i];
        if (l->kind != TD_LINE_BODY)
            continue;
        feat *f = &c->f[i];
        bool prose = (f->flags & F_PROSE) && (f->flags & F_END) && f->words >= 10;
        if (!candidate_text(l->text, f->words, prose))
            continue;
        c->f[i].hash = td_clean_line_hash(l->text);
        uint32_t cnt = o->line_count(o->ud, c->a->outlet, c->f[i].hash);
        if (cnt >= min)
            set_kind(l, TD_LINE_TEMPLATE, "outlet template line");
    }
}

/* Pass 3: lines repeated inside the article, and caption groups. */
static bool apply_repeats(ctx *c)
{
    td_line *L = c->a->lines;
    uint32_t n = c->n;
    /* open addressing over line hashes; 2n slots, at most n used */
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    uint64_t *keys = td_arena_calloc(c->a->arena, cap, sizeof(uint64_t));
    uint32_t *first = td_arena_calloc(c->a->arena, cap, sizeof(uint32_t));
    if (!keys || !first)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (L[i].kind == TD_LINE_EMPTY || L[i].kind == TD_LINE_DATE)
            continue;
        /* long lines only repeat verbatim: a plain hash of the bytes will do */
        if (!c->f[i].hash)
            c->f[i].hash = L[i].text.len > 200 ? XXH3_64bits(L[i].text.p, L[i].text.len)
                                                : td_clean_line_hash(L[i].text);
        uint64_t h = c->f[i].hash | 1;
        uint32_t s = (uint32_t)h & (cap - 1);
        while (keys[s] && keys[s] != h)
            s = (s + 1) & (cap - 1);
        if (!keys[s]) {
            keys[s] = h;
            first[s] = i;
            continue;
        }
        uint32_t j = first[s];
        if (c->f[i].words <= 4) {
            /* short labels repeated on the page: buttons, "Play", "Advertisement" */
            if (is_body(&L[j]))
                set_kind(&L[j], TD_LINE_NAV, "repeated short line");
            if (is_body(&L[i]))
                set_kind(&L[i], TD_LINE_NAV, "repeated short line");
        }
    }
    /* adjacent near-duplicates: image alt text and caption, or a dek and its copy */
    for (uint32_t i = 0; i + 1 < n; i++) {
        td_line *x = &L[i], *y = &L[i + 1];
        if (x->kind == TD_LINE_EMPTY || y->kind == TD_LINE_EMPTY)
            continue;
        if (!near_dup(x->text, y->text))
            continue;
        bool cap_cue = (c->f[i].flags & F_CAPCUE) || (c->f[i + 1].flags & F_CAPCUE);
        if (cap_cue) {
            if (x->kind == TD_LINE_BODY)
                set_kind(x, TD_LINE_CAPTION, "caption repeated");
            if (y->kind == TD_LINE_BODY)
                set_kind(y, TD_LINE_CAPTION, "caption repeated");
        } else if (x->kind == TD_LINE_BODY && y->kind == TD_LINE_BODY && td_str_eq(x->text, y->text) &&
                   !(c->f[i].flags & F_HEADLINE)) {
            set_kind(x, TD_LINE_TEMPLATE, "line repeated");
        }
    }
    /* later exact copies of long lines */
    memset(keys, 0, cap * sizeof(uint64_t));
    for (uint32_t i = 0; i < n; i++) {
        if (L[i].kind != TD_LINE_BODY || c->f[i].words <= 4)
            continue;
        uint64_t h = c->f[i].hash | 1;
        uint32_t s = (uint32_t)h & (cap - 1);
        while (keys[s] && keys[s] != h)
            s = (s + 1) & (cap - 1);
        if (!keys[s]) {
            keys[s] = h;
            first[s] = i;
        } else if (!(c->f[i].flags & F_HEADLINE) || i > first[s] + 1) {
            set_kind(&L[i], TD_LINE_TEMPLATE, "line repeated");
        }
    }
    return true;
}

/* Lower-case letters and digits of s into out (at most cap). */
static size_t letters_of(td_str s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t j = 0; j < s.len && k < cap; j++) {
        unsigned char ch = (unsigned char)s.p[j];
        if (is_upper(ch) || is_lower(ch) || is_digit(ch))
            out[k++] = (char)(is_upper(ch) ? ch + 32 : ch);
    }
    return k;
}

/* True when the letters of line (k bytes) start or end with those of name
 * (m bytes), a leading "the" of either ignored. */
static bool letters_hold(const char *line, size_t k, const char *name, size_t m)
{
    if (m >= 3 && memcmp(name, "the", 3) == 0 && m > 6)
        name += 3, m -= 3;
    if (k >= 3 && memcmp(line, "the", 3) == 0 && k - 3 >= m && memcmp(line + 3, name, m) == 0)
        return true;
    return m >= 3 && k >= m && (memcmp(line, name, m) == 0 || memcmp(line + k - m, name, m) == 0);
}

/* The outlet's name as a line: "Example Times", "The Example PostSlogan",
 * "EXAMPLE ONLINE — news from the coast", "ENA — Example News Agency";
 * matched on the site's name (from the page or given) and on the host. */
static bool is_outlet_line(ctx *c, uint32_t i)
{
    if (c->f[i].words > 10)
        return false;
    char line[96], nm[64];
    size_t k = letters_of(c->a->lines[i].text, line, sizeof line);
    td_str o = c->a->outlet;
    if (o.len && !memchr(o.p, '.', o.len)) {
        size_t m = letters_of(o, nm, sizeof nm);
        if (letters_hold(line, k, nm, m))
            return true;
    }
    td_str h = c->host.len ? c->host : o;
    size_t dot = 0;
    while (dot < h.len && h.p[dot] != '.')
        dot++;
    if (dot < 5 || dot >= h.len || c->f[i].words > 7)
        return false;
    size_t m = letters_of(td_str_make(h.p, dot), nm, sizeof nm);
    size_t skip = (k >= 3 && memcmp(line, "the", 3) == 0 && !(m >= 3 && memcmp(nm, "the", 3) == 0)) ? 3 : 0;
    return k - skip >= m && memcmp(line + skip, nm, m) == 0;
}

/* True when a legal line below names the same words as line i (a slogan or
 * the site's name that the footer repeats: never the title). */
static bool in_footer(ctx *c, uint32_t i)
{
    td_str t = c->a->lines[i].text;
    if (c->f[i].words < 2 || c->f[i].words > 10)
        return false;
    for (uint32_t j = i + 1; j < c->n; j++)
        if (c->a->lines[j].kind == TD_LINE_LEGAL && c->a->lines[j].text.len < 400 &&
            td_str_icontains(c->a->lines[j].text, t))
            return true;
    return false;
}

/* Lines of the masthead: in the block of the outlet-name line (no blank line
 * between), followed by furniture in the same block and a blank line before
 * the article: a slogan between the name and the menu. */
static void apply_masthead(ctx *c, uint32_t name, uint32_t limit)
{
    td_line *L = c->a->lines;
    uint32_t end = name + 1;
    while (end < limit && L[end].kind != TD_LINE_EMPTY)
        end++;
    if (end >= limit || end - name > 6)
        return;
    for (uint32_t j = name + 1; j < end; j++) {
        if (!is_body(&L[j]))
            continue;
        bool furniture_after = false;
        for (uint32_t k = j + 1; k < end; k++)
            if (!is_body(&L[k]))
                furniture_after = true;
        if (furniture_after && !(c->f[j].flags & F_PROSE))
            set_kind(&L[j], TD_LINE_NAV, "masthead line");
    }
}

/* Pass 4: the head of the article. Returns the index of the first prose line (or n). */
static uint32_t apply_head(ctx *c)
{
    td_article *a = c->a;
    td_line *L = a->lines;
    uint32_t n = c->n, p0 = n;
    for (uint32_t i = 0; i < n; i++)
        if (is_body(&L[i]) && (c->f[i].flags & F_PROSE)) {
            p0 = i;
            break;
        }
    uint32_t limit = p0 < n ? p0 : (n < 12 ? n : 12);
    for (uint32_t i = 0; i < limit; i++)
        if (is_body(&L[i]) && is_outlet_line(c, i)) {
            set_kind(&L[i], TD_LINE_NAV, "outlet name");
            apply_masthead(c, i, limit);
        }
    uint32_t ti = n;
    td_str given = td_str_trim(a->given_title);
    if (given.len) {
        a->title = given;
        for (uint32_t i = 0; i < n && i <= limit + 3; i++)
            if (L[i].kind != TD_LINE_EMPTY && td_str_ieq(L[i].text, given)) {
                set_kind(&L[i], TD_LINE_TITLE, "given title");
                ti = i;
                break;
            }
    } else {
        for (uint32_t i = 0; i < limit; i++)
            if (is_body(&L[i]) && (c->f[i].flags & F_HEADLINE)) {
                if (in_footer(c, i)) {
                    set_kind(&L[i], TD_LINE_NAV, "named again in the footer");
                    continue;
                }
                ti = i;
                break;
            }
        /* a first line that is a long sentence and nothing above it: a
         * headline that ends with a period is rare; keep the prose. */
        if (ti < n) {
            set_kind(&L[ti], TD_LINE_TITLE, "first headline-like line");
            a->title = L[ti].text;
        }
    }
    if (ti < n) {
        for (uint32_t i = ti + 1; i < n; i++)
            if (L[i].kind != TD_LINE_TITLE && td_str_ieq(L[i].text, L[ti].text) && L[i].kind != TD_LINE_EMPTY)
                set_kind(&L[i], TD_LINE_TITLE, "title repeated");
    }
    /* a standfirst: one prose line right under the headline, then a date or
     * byline line before the article proper ("Dek sentence." / "5/2/2025") */
    bool have_sub = false;
    if (ti < n && p0 < n && ti < p0 && c->f[p0].words <= 30) {
        bool gap = true;
        for (uint32_t i = ti + 1; i < p0; i++)
            if (is_body(&L[i]))
                gap = false;
        uint32_t j = p0 + 1;
        while (j < n && L[j].kind == TD_LINE_EMPTY)
            j++;
        if (gap && j < n &&
            (L[j].kind == TD_LINE_DATE || L[j].kind == TD_LINE_BYLINE || (is_body(&L[j]) && is_name_line(L[j].text, &c->f[j])))) {
            uint32_t q = j + 1;
            while (q < n && !(is_body(&L[q]) && (c->f[q].flags & F_PROSE)))
                q++;
            if (q < n) {
                set_kind(&L[p0], TD_LINE_SUBTITLE, "standfirst under the title");
                have_sub = true;
                p0 = q;
                limit = p0;
            }
        }
    }
    /* what sits above the first paragraph */
    for (uint32_t i = 0; i < limit; i++) {
        if (!is_body(&L[i]))
            continue;
        feat *f = &c->f[i];
        if (ti < n && i > ti && !have_sub && f->words >= 5 && f->words <= 45 && !(f->flags & F_END)) {
            set_kind(&L[i], TD_LINE_SUBTITLE, "line under the title");
            have_sub = true;
        } else if (ti < n && i > ti && !have_sub && f->words >= 8 && f->words <= 40 && (f->flags & F_END) &&
                   i + 1 < n && p0 < n && i < p0) {
            /* a one-sentence standfirst right under the headline */
            set_kind(&L[i], TD_LINE_SUBTITLE, "sentence under the title");
            have_sub = true;
        } else if (is_name_line(L[i].text, f) && (ti == n || i > ti)) {
            set_kind(&L[i], TD_LINE_BYLINE, "name line near the title");
        } else if (!(f->flags & F_END) || f->words <= 4) {
            set_kind(&L[i], TD_LINE_NAV, ti < n && i < ti ? "above the title" : "short line above the article");
        }
    }
    return p0;
}

/* Lines next to a caption that look like its alt text or its variant. */
static void apply_caption_neighbours(ctx *c)
{
    td_line *L = c->a->lines;
    for (uint32_t i = 0; i < c->n; i++) {
        if (L[i].kind != TD_LINE_CAPTION)
            continue;
        for (int dir = -1; dir <= 1; dir += 2) {
            int64_t j = (int64_t)i + dir;
            if (j < 0 || j >= (int64_t)c->n || !is_body(&L[j]))
                continue;
            feat *f = &c->f[j];
            td_str x = L[j].text, y = L[i].text;
            size_t k = 0;
            while (k < x.len && k < y.len && x.p[k] == y.p[k])
                k++;
            bool variant = k >= 10 && f->words >= 4;
            bool alt = f->words <= 8 && !(f->flags & F_END) && dir < 0;
            if (variant || alt)
                set_kind(&L[j], TD_LINE_CAPTION, variant ? "caption variant" : "image text before caption");
        }
    }
}

static uint64_t prose_bytes(ctx *c, uint32_t from, uint32_t to)
{
    uint64_t s = 0;
    for (uint32_t i = from; i < to; i++)
        if (is_body(&c->a->lines[i]) && (c->f[i].flags & F_PROSE))
            s += c->a->lines[i].text.len;
    return s;
}

/* Pass 5: the tail and furniture headers. */
static void apply_tail(ctx *c, uint32_t p0)
{
    td_line *L = c->a->lines;
    uint32_t n = c->n;
    if (p0 >= n)
        return;
    for (uint32_t h = p0 + 1; h < n; h++) {
        feat *f = &c->f[h];
        if (!(f->flags & (F_TAILHDR | F_COMMENTHDR)))
            continue;
        uint64_t before = prose_bytes(c, 0, h), after = prose_bytes(c, h + 1, n);
        if ((f->flags & F_COMMENTHDR) || after * 4 < before) {
            for (uint32_t i = h + 1; i < n; i++)
                if (L[i].kind != TD_LINE_EMPTY)
                    set_kind(&L[i], TD_LINE_TAIL, (f->flags & F_COMMENTHDR) ? "after the comments header"
                                                                          : "after a furniture header");
            break;
        }
        /* a box inside the article: the headlines under the header go */
        for (uint32_t i = h + 1; i < n; i++) {
            if (L[i].kind == TD_LINE_EMPTY)
                continue;
            if (!is_body(&L[i]) || (c->f[i].flags & F_PROSE))
                break;
            set_kind(&L[i], TD_LINE_PROMO, "under a furniture header");
        }
    }
    /* after the last paragraph: short labels and title-case headlines */
    uint32_t last = n;
    for (uint32_t i = n; i-- > p0;)
        if (is_body(&L[i]) && (c->f[i].flags & F_PROSE)) {
            last = i;
            break;
        }
    if (last < n) {
        for (uint32_t i = last + 1; i < n; i++) {
            feat *f = &c->f[i];
            if (!is_body(&L[i]))
                continue;
            /* labels ("See Gallery", "Only News") and title-case headlines go;
             * a truncated or wrapped sentence ("At least", "was carried") stays */
            bool label = f->words <= 4 && f->lower == 0 && f->caps > 0;
            if (label || ((f->flags & F_TITLECASE) && !(f->flags & F_END) && f->words <= 20))
                set_kind(&L[i], TD_LINE_TAIL, "after the last paragraph");
        }
    }
    /* title-case headlines between paragraphs: links to other stories */
    for (uint32_t i = p0 + 1; i < last && i < n; i++) {
        feat *f = &c->f[i];
        if (is_body(&L[i]) && (f->flags & F_TITLECASE) && (f->flags & F_HEADLINE) && f->words >= 6 &&
            !(f->flags & F_END))
            set_kind(&L[i], TD_LINE_PROMO, "headline between paragraphs");
    }
}

/* A caption found only by an agency sign-off ("... — Reuters") that ends the
 * article is the wire story's last paragraph: it goes back to the body. */
static void restore_signoff(ctx *c)
{
    td_line *L = c->a->lines;
    for (uint32_t i = c->n; i-- > 0;) {
        if (is_body(&L[i]) && (c->f[i].flags & F_PROSE))
            return;
        if (L[i].kind == TD_LINE_CAPTION && L[i].why && strcmp(L[i].why, TD_CUE_WHY_SIGNOFF) == 0) {
            set_kind(&L[i], TD_LINE_BODY, "body: wire sign-off");
            return;
        }
    }
}

/* Cuts a byline to the names: drops "By", a date and what follows " - " or " | ". */
static td_str byline_names(ctx *c, td_str s)
{
    static const char *const by[] = { "written by ", "words by ", "reporting by ", "story by ", "by " };
    for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
        if (td_str_istarts(s, td_str_cstr(by[i]))) {
            size_t k = strlen(by[i]);
            s = td_str_make(s.p + k, s.len - k);
            break;
        }
    td_date d;
    size_t off = 0, len = 0;
    if (td_date_find(s, c->date_flags, &d, &off, &len))
        s.len = off;
    static const char *const seps[] = { " - ", " | ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " / " };
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t at = td_str_find(s, td_str_cstr(seps[i]));
        if (at != (size_t)-1)
            s.len = at;
    }
    s = td_str_trim(s);
    while (s.len && (s.p[s.len - 1] == ',' || s.p[s.len - 1] == '-' || s.p[s.len - 1] == '|'))
        s = td_str_trim(td_str_make(s.p, s.len - 1));
    return s;
}

/* ---- dateline ---- */

static bool is_dash_at(td_str s, size_t i, size_t *len)
{
    if (i < s.len && (s.p[i] == '-' || s.p[i] == ':')) {
        *len = (i + 1 < s.len && s.p[i + 1] == '-') ? 2 : 1;
        return true;
    }
    if (i + 2 < s.len && (unsigned char)s.p[i] == 0xE2 && (unsigned char)s.p[i + 1] == 0x80 &&
        ((unsigned char)s.p[i + 2] == 0x94 || (unsigned char)s.p[i + 2] == 0x93 ||
         (unsigned char)s.p[i + 2] == 0xA2)) {
        *len = 3;
        return true;
    }
    if (i + 1 < s.len && (unsigned char)s.p[i] == 0xC2 && (unsigned char)s.p[i + 1] == 0xB7) {
        *len = 2;
        return true;
    }
    return false;
}

/* Recognises "PLACE, Region (Agency) —", "PLACE:", "Month D, YYYY -" at the
 * start of a paragraph. Writes the place (without agency) and a date, if any. */
static bool find_dateline(ctx *c, td_str s, td_str *place, td_date *d, bool *has_date)
{
    *has_date = false;
    size_t i = 0;
    if (s.len > 6 && s.p[0] == '(') { /* "(TNS) PLACE —" */
        const char *cp = memchr(s.p, ')', s.len < 12 ? s.len : 12);
        if (cp) {
            i = (size_t)(cp - s.p) + 1;
            while (i < s.len && s.p[i] == ' ')
                i++;
        }
    }
    size_t start = i;
    /* a date first: "August 10, 2018 - ", "12th June 2019 – " */
    td_date dd;
    size_t used = 0;
    if (td_date_parse_ex(td_str_make(s.p + i, s.len - i), c->date_flags, &dd, &used) && dd.prec == TD_PREC_DAY) {
        size_t j = i + used;
        while (j < s.len && s.p[j] == ' ')
            j++;
        size_t dl = 0;
        /* a time may follow: "February 26, 2018 - 8:04 AM" */
        if (j < s.len && (is_dash_at(s, j, &dl) || s.p[j] == ',')) {
            *d = dd;
            *has_date = true;
            *place = td_str_make(NULL, 0);
            return true;
        }
    }
    size_t caps = 0, lowers = 0, words = 0;
    size_t end_place = 0;
    for (; i < s.len && i - start < 80; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        size_t dl = 0;
        if (ch == '(') {
            /* "(Reuters)", "(AP)" ends the place */
            const char *cp = memchr(s.p + i, ')', s.len - i < 30 ? s.len - i : 30);
            if (!cp)
                return false;
            if (!end_place)
                end_place = i;
            i = (size_t)(cp - s.p);
            continue;
        }
        if (is_dash_at(s, i, &dl) && (ch != '-' || (i > 0 && s.p[i - 1] == ' ') || (i + dl < s.len && s.p[i + dl] == ' ') || dl == 2)) {
            if (!end_place)
                end_place = i;
            break;
        }
        if (ch == ' ' || ch == ',' || ch == '.' || ch == '\'')
            continue;
        if (is_upper(ch)) {
            caps++;
            words++;
            while (i + 1 < s.len && (is_upper((unsigned char)s.p[i + 1]) || is_lower((unsigned char)s.p[i + 1]) || s.p[i + 1] == '-'))
                i++;
            if (is_lower((unsigned char)s.p[i]))
                lowers++;
            continue;
        }
        if (is_digit(ch)) {
            /* "ABUJA, Feb 25 (Reuters)": a day inside the dateline */
            while (i + 1 < s.len && is_digit((unsigned char)s.p[i + 1]))
                i++;
            continue;
        }
        if (ch >= 0x80) {
            while (i + 1 < s.len && ((unsigned char)s.p[i + 1] & 0xC0) == 0x80)
                i++;
            continue;
        }
        return false; /* a lower-case word or other punctuation: running text */
    }
    if (i >= s.len || i - start >= 80 || words == 0 || words > 6)
        return false;
    td_str pl = td_str_trim(td_str_make(s.p + start, end_place - start));
    while (pl.len && (pl.p[pl.len - 1] == ',' || pl.p[pl.len - 1] == ' '))
        pl.len--;
    if (!pl.len)
        return false;
    /* the first word must be all capitals ("BAGHDAD"), or the place ends with ':' */
    bool upper_first = pl.len >= 2 && is_upper((unsigned char)pl.p[0]) && is_upper((unsigned char)pl.p[1]);
    bool colon = s.p[i] == ':';
    if (!upper_first && !(colon && words <= 2))
        return false;
    (void)caps;
    (void)lowers;
    /* a date inside ("ABUJA, Feb 25 (Reuters)") */
    size_t off = 0, len = 0;
    td_str full = td_str_make(s.p + start, i - start);
    if (td_date_find(full, c->date_flags | TD_DATE_NO_YEAR, &dd, &off, &len) && dd.prec == TD_PREC_DAY) {
        *d = dd;
        *has_date = true;
        if (off > 0) {
            pl.len = off < pl.len ? off : pl.len;
            pl = td_str_trim(pl);
            while (pl.len && (pl.p[pl.len - 1] == ',' || pl.p[pl.len - 1] == ' '))
                pl.len--;
        }
    }
    *place = pl;
    return true;
}

/* Gives a year-less date the year that puts it closest to ref (a day or month). */
static td_date with_year(td_date d, td_date ref)
{
    d.year = ref.year;
    int dm = (int)d.month - (int)ref.month;
    if (dm > 6)
        d.year--;
    else if (dm < -6)
        d.year++;
    return d;
}

/* Pass 6: dateline, byline, publication date. */
static void apply_meta(ctx *c, uint32_t p0, const char **url_from)
{
    td_article *a = c->a;
    td_line *L = a->lines;
    (void)url_from;
    /* dateline: the first body paragraph (or one of the first two) */
    td_date dl_date = { 0, 0, 0, TD_PREC_NONE };
    uint32_t seen = 0;
    for (uint32_t i = 0; i < c->n && seen < 2; i++) {
        if (!is_body(&L[i]))
            continue;
        seen++;
        td_str place;
        td_date d;
        bool has_date = false;
        if (find_dateline(c, L[i].text, &place, &d, &has_date)) {
            if (place.len)
                a->dateline = place;
            if (has_date)
                dl_date = d;
            break;
        }
    }
    (void)p0;
    /* byline */
    for (uint32_t i = 0; i < c->n; i++)
        if (L[i].kind == TD_LINE_BYLINE) {
            td_str b = byline_names(c, L[i].text);
            if (b.len) {
                a->byline = b;
                break;
            }
        }
    /* date lines near the top: the first that parses, published beats updated */
    uint32_t checked = 0;
    for (uint32_t i = 0; i < c->n && checked < 12; i++) {
        if (L[i].kind == TD_LINE_EMPTY)
            continue;
        checked++;
        if (L[i].kind != TD_LINE_DATE && L[i].kind != TD_LINE_BYLINE && L[i].kind != TD_LINE_NAV)
            continue;
        td_date d;
        int rank = 0;
        size_t off = 0, len = 0;
        if (best_date_in(L[i].text, c->date_flags, &d, &rank, &off, &len))
            offer(c, d, 20 + rank, "date line");
    }
    td_date ud;
    bool have_url = td_date_from_url(a->url, &ud);
    if (have_url && ud.prec == TD_PREC_DAY && ud.year >= 1990)
        offer(c, ud, 40, "url");
    if (dl_date.prec == TD_PREC_DAY) {
        if (dl_date.year == 0) {
            td_date ref = c->best.d;
            if (ref.prec == TD_PREC_NONE && have_url)
                ref = ud;
            if (ref.prec != TD_PREC_NONE && ref.year)
                offer(c, with_year(dl_date, ref), 30, "dateline");
        } else {
            offer(c, dl_date, 30, "dateline");
        }
    }
    if (c->best.d.prec == TD_PREC_NONE) {
        /* the first full date in the first body paragraphs */
        uint32_t paras = 0;
        for (uint32_t i = 0; i < c->n && paras < 3; i++) {
            if (!is_body(&L[i]))
                continue;
            paras++;
            td_date d;
            int rank = 0;
            size_t off = 0, len = 0;
            if (best_date_in(L[i].text, c->date_flags, &d, &rank, &off, &len)) {
                if (!have_url || ud.prec != TD_PREC_MONTH || (d.year == ud.year && d.month == ud.month)) {
                    offer(c, d, 60, "text");
                    break;
                }
            }
        }
    }
    if (c->best.d.prec == TD_PREC_NONE) {
        /* a photo taken the day of the story dates it when nothing else does */
        for (uint32_t i = 0; i < c->n; i++) {
            if (L[i].kind != TD_LINE_CAPTION)
                continue;
            td_date d;
            int rank = 0;
            size_t off = 0, len = 0;
            if (best_date_in(L[i].text, c->date_flags, &d, &rank, &off, &len) &&
                (!have_url || ud.prec != TD_PREC_MONTH || (d.year == ud.year && d.month == ud.month))) {
                offer(c, d, 65, "text");
                break;
            }
        }
    }
    if (c->best.d.prec == TD_PREC_NONE && have_url)
        offer(c, ud, 70, "url");
}

/* Pass 7: body and captions. */
static bool assemble(ctx *c)
{
    td_article *a = c->a;
    size_t blen = 0, clen = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        if (a->lines[i].kind == TD_LINE_BODY)
            blen += a->lines[i].text.len + 2;
        else if (a->lines[i].kind == TD_LINE_CAPTION)
            clen += a->lines[i].text.len + 1;
    }
    char *b = td_arena_alloc(a->arena, blen + 1);
    char *cp = td_arena_alloc(a->arena, clen + 1);
    if (!b || !cp)
        return false;
    size_t bn = 0, cn = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        td_str t = a->lines[i].text;
        if (a->lines[i].kind == TD_LINE_BODY) {
            if (bn) {
                b[bn++] = '\n';
                b[bn++] = '\n';
            }
            memcpy(b + bn, t.p, t.len);
            bn += t.len;
        } else if (a->lines[i].kind == TD_LINE_CAPTION) {
            if (cn)
                cp[cn++] = '\n';
            memcpy(cp + cn, t.p, t.len);
            cn += t.len;
        }
    }
    b[bn] = '\0';
    cp[cn] = '\0';
    a->body = td_str_make(b, bn);
    a->captions = td_str_make(cp, cn);
    return true;
}

/* ---- API implementation ---- */

td_status td_clean_article(td_article *a, const td_clean_opts *o)
{
    if (!a || !a->arena)
        return TD_EINVAL;
    ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.best.rank = 1000;
    a->lines = NULL;
    a->n_lines = 0;
    a->title = a->subtitle = a->dateline = a->byline = td_str_make(NULL, 0);
    a->body = a->captions = td_str_make("", 0);
    a->published = (td_date){ 0, 0, 0, TD_PREC_NONE };
    a->published_from = NULL;

    td_str go = td_str_trim(a->given_outlet);
    td_str host = td_clean_outlet_from_url(a->arena, a->url);
    a->outlet = go.len ? go : host;
    c.host = host;
    if (!a->text.p)
        a->text = td_str_make("", 0);
    /* the host's (or a given domain's) country convention, then the page's own evidence */
    td_str conv = host.len ? host : (memchr(go.p ? go.p : "", '.', go.len) ? go : td_str_make(NULL, 0));
    c.date_flags = td_page_date_order(a->text, td_clean_outlet_convention(conv));

    td_str gp = td_str_trim(a->given_published);
    td_date gd;
    if (gp.len && td_date_parse(gp, &gd, NULL) && gd.prec != TD_PREC_NONE)
        offer(&c, gd, 0, "given");

    if (!split_lines(&c))
        return TD_ENOMEM;
    if (!go.len) {
        /* the site's own name beats its host name: it is what readers see,
         * and URL-less pages of the outlet then share template counts */
        td_str name = td_page_outlet(a->arena, a->text, a->lines, c.n, host);
        if (name.len)
            a->outlet = name;
    }
    for (uint32_t i = 0; i < c.n; i++)
        classify_local(&c, i);
    apply_templates(&c, o);
    if (!apply_repeats(&c))
        return TD_ENOMEM;
    uint32_t p0 = apply_head(&c);
    apply_caption_neighbours(&c);
    apply_tail(&c, p0);
    restore_signoff(&c);
    apply_meta(&c, p0, NULL);
    for (uint32_t i = 0; i < c.n; i++)
        if (a->lines[i].kind == TD_LINE_SUBTITLE) {
            a->subtitle = a->lines[i].text;
            break;
        }
    if (c.best.d.prec != TD_PREC_NONE) {
        a->published = c.best.d;
        a->published_from = c.best.from;
    }
    if (!assemble(&c) || a->arena->failed)
        return TD_ENOMEM;
    return TD_OK;
}
