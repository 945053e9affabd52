/*
 * sentence.c - splits news text into sentences.
 *
 * One left-to-right pass over the bytes. A sentence may end at a run of
 * terminators (. ! ? … and the CJK/Arabic/Devanagari full stops and question
 * marks), swallowing the closing quotes and brackets that follow, when the
 * next thing is white space or the end. Whether it does end is decided from
 * the word before the period and the word after:
 *
 *   class       examples                  ends the sentence when the next word
 *   never       Mr. Dr. Lt. Gen. St. e.g. (only at the end of the text)
 *   numeric     No. Art. Vol. Fig.        does not start with a digit
 *   month       Jan. Feb. Sept. Dec.      is not a digit and is a starter
 *   ambiguous   Inc. Jr. U.S. a.m. J.     is a capitalised sentence starter
 *               Md. etc. (dotted, single  ("The", "He", "But", ...) or an
 *               letters, AP state names)  opening quote
 *   other       any other word            does not start in lower case
 * "!" and "?" end unless a lower-case word follows; an ellipsis ends only
 * when a capital or an opening quote follows. A line break ends a sentence
 * unless the next line starts in lower case: scraped pages put headlines,
 * captions and datelines on lines of their own, while hard-wrapped prose
 * continues in lower case or after a line ending in a word that cannot end a
 * sentence ("of", "the", "and", "said"...). A blank line (paragraph break) ends a sentence even
 * before a lower-case line, except when the text before it does not end like
 * a sentence (no . ! ? : ; closing quote or bracket): that is prose wrapped
 * and double-spaced by a scraper, not a paragraph.
 *
 * Quotes: when a double quote opens (" “ « „), its closing quote is found
 * once (the search stops where a line break ends the sentence, and a failed
 * search is remembered, so the pass stays linear). If the quote is followed by its
 * attribution - it closes on a comma, or on ! ? or no punctuation before a
 * lower-case word or a speech verb ('"We will not retreat. We will win," he
 * said.') - nothing inside it ends a sentence. Otherwise its inner sentences
 * split as usual and the closing quote after the last full stop belongs to the
 * sentence it closes.
 *
 * Output spans are trimmed of white space and never empty; they come in text
 * order in one arena array grown by doubling.
 */
#include "text/text.h"
#include "text/text_int.h"

#include <string.h>

enum { AB_NONE, AB_NEVER, AB_NUMERIC, AB_MONTH, AB_AMBIG };

/* Abbreviations by class; case matters ("No. 10" but "said no."). */
static const char *const ab_never[] = {
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mmes", "Mme", "Mlle", "Dr", "Drs", "Prof",
    "Gen", "Gens", "Lt", "Lieut", "Col", "Brig", "Maj", "Capt", "Cpt", "Cmdr", "Cdr",
    "Adm", "Sgt", "Cpl", "Pvt", "Pfc", "Spc", "Ens", "Gov", "Govs", "Sen", "Sens",
    "Rep", "Reps", "Rev", "Fr", "Hon", "Rt", "Pres", "Supt", "Insp", "Det", "Amb",
    "Atty", "Sec", "St", "Ste", "Mt", "Ft", "Msgr", "Sheikh", "vs", "v", "cf", "viz",
    "approx", "ca", "e.g", "i.e", "E.g", "I.e", NULL
};
static const char *const ab_numeric[] = {
    "No", "Nos", "no", "nos", "Art", "Arts", "Vol", "Vols", "Fig", "Figs", "Ch", "Para",
    "Pt", "Pts", "pp", "Op", "Ref", "Nr", "Rm", "Tel", "Ex", NULL
};
static const char *const ab_month[] = {
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", NULL
};
static const char *const ab_ambig[] = {
    "Inc", "Corp", "Co", "Cos", "Ltd", "Plc", "PLC", "Bros", "LLC", "LLP", "Jr", "Sr",
    "Esq", "etc", "al", "Ave", "Blvd", "Rd", "Dept", "Univ", "Assn", "Intl", "Govt",
    "Mfg", "est", "incl", "approx", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn",
    "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn",
    "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn", "Va", "Vt", "Wash",
    "Wis", "Wyo", NULL
};
/* Capitalised words that usually open a sentence; after an ambiguous
 * abbreviation they tip the balance toward a boundary. */
static const char *const starters[] = {
    "A", "An", "The", "This", "That", "These", "Those", "There", "Here", "He", "She",
    "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our", "My", "Your",
    "But", "And", "Or", "So", "Yet", "If", "When", "While", "After", "Before", "As",
    "Since", "Although", "Though", "Because", "Meanwhile", "However", "Also", "In",
    "On", "At", "For", "From", "With", "Without", "By", "During", "Despite", "Under",
    "Over", "Among", "Last", "Earlier", "Later", "Then", "Now", "Still", "Some", "Many",
    "Most", "Several", "Both", "Each", "Every", "All", "No", "Not", "Other", "Such",
    "Officials", "Police", "Authorities", "According", "Asked", "Neither", "Only",
    "Even", "Instead", "Why", "What", "Who", "How", "Where", "Which", "Nevertheless",
    "Moreover", "Thus", "Indeed", "Yesterday", "Today", "Tomorrow", "One", "Two",
    "Three", "Another", NULL
};
/* Words that cannot end a sentence: a line ending in one is wrapped prose. */
static const char *const glue_words[] = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into",
    "onto", "and", "or", "but", "nor", "that", "which", "who", "whose", "than", "as",
    "its", "their", "his", "her", "our", "is", "are", "was", "were", "has", "have", "had",
    "be", "been", "will", "would", "could", "should", "said", NULL
};
/* Verbs of attribution that may follow a closing quote ('"Why?" Lee asked.'). */
static const char *const speech[] = {
    "said", "says", "asked", "asks", "told", "tells", "added", "adds", "shouted",
    "wrote", "writes", "tweeted", "replied", "explained", "insisted", "continued",
    "warned", "declared", "stated", "noted", "according", NULL
};

static bool in_list(const char *const *list, const char *p, size_t len)
{
    if (len == 0)
        return false;
    for (; *list; list++) /* the first byte rules out almost every entry */
        if ((*list)[0] == p[0] && strlen(*list) == len && memcmp(*list, p, len) == 0)
            return true;
    return false;
}

typedef struct ctx {
    const unsigned char *s;
    size_t n;
    td_arena *a;
    td_span *out;
    uint32_t n_out, cap;
} ctx;

static inline bool is_hspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline bool is_space_at(const ctx *c, size_t i)
{
    if (c->s[i] < 0x80)
        return c->s[i] <= ' ';
    size_t adv;
    return td_text_class(td_text_peek((const char *)c->s + i, c->n - i, &adv)) == CC_SPACE;
}

/* Class of the code point at i (CC_SPACE at the end). */
static inline int class_at(const ctx *c, size_t i, size_t *adv)
{
    if (i >= c->n) {
        *adv = 0;
        return CC_SPACE;
    }
    return td_text_class(td_text_peek((const char *)c->s + i, c->n - i, adv));
}

/* Byte patterns of the quote characters. */
static inline bool at3(const ctx *c, size_t i, unsigned b1, unsigned b2)
{
    return i + 3 <= c->n && c->s[i] == 0xE2 && c->s[i + 1] == b1 && c->s[i + 2] == b2;
}
#define LDQUO(c, i) at3(c, i, 0x80, 0x9C)  /* “ */
#define RDQUO(c, i) at3(c, i, 0x80, 0x9D)  /* ” */
#define BDQUO(c, i) at3(c, i, 0x80, 0x9E)  /* „ */
#define RSQUO(c, i) at3(c, i, 0x80, 0x99)  /* ’ */
#define LSQUO(c, i) at3(c, i, 0x80, 0x98)  /* ‘ */
#define HELLIP(c, i) at3(c, i, 0x80, 0xA6) /* … */
static inline bool laquo(const ctx *c, size_t i)
{
    return i + 2 <= c->n && c->s[i] == 0xC2 && c->s[i + 1] == 0xAB;
}
static inline bool raquo(const ctx *c, size_t i)
{
    return i + 2 <= c->n && c->s[i] == 0xC2 && c->s[i + 1] == 0xBB;
}

/* Appends the trimmed span [b, e); false on allocation failure. */
static bool emit(ctx *c, size_t b, size_t e)
{
    while (b < e && is_space_at(c, b))
        b++;
    while (e > b && c->s[e - 1] <= ' ')
        e--;
    if (e <= b)
        return true;
    if (c->n_out == c->cap) {
        td_span *p = td_arena_realloc(c->a, c->out, c->cap * sizeof *p, 2 * c->cap * sizeof *p);
        if (!p)
            return false;
        c->out = p;
        c->cap *= 2;
    }
    c->out[c->n_out++] = (td_span){ (uint32_t)b, (uint32_t)(e - b) };
    return true;
}

/* Abbreviation class of the word that ends just before the period at i. */
static int abbrev_class(const ctx *c, size_t i)
{
    size_t b = i;
    bool dotted = false;
    while (b > 0 && i - b < 24) {
        unsigned char ch = c->s[b - 1];
        if (ch == '.')
            dotted = true;
        else if (!((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
            break;
        b--;
    }
    if (b == i || (b > 0 && c->s[b - 1] >= 0x80)) /* no word, or not ASCII */
        return AB_NONE;
    if (c->s[b] == '.')
        return AB_NONE;
    const char *w = (const char *)c->s + b;
    size_t len = i - b;
    if (in_list(ab_never, w, len))
        return AB_NEVER;
    if (in_list(ab_numeric, w, len))
        return AB_NUMERIC;
    if (in_list(ab_month, w, len))
        return AB_MONTH;
    if (dotted || len == 1 || in_list(ab_ambig, w, len))
        return AB_AMBIG; /* U.S., a.m., initials, Inc. */
    return AB_NONE;
}

enum { NX_END, NX_UPPER, NX_LOWER, NX_DIGIT, NX_OTHER };

typedef struct next_info {
    int kind;       /* NX_* */
    bool newline;   /* a line break comes first */
    bool opener;    /* an opening quote or bracket comes first */
    bool starter;   /* the word is a capitalised sentence starter */
} next_info;

/* Describes what follows position j (white space, then openers, then a word). */
static next_info look_next(const ctx *c, size_t j)
{
    next_info nx = { NX_END, false, false, false };
    size_t adv;
    while (j < c->n && is_space_at(c, j)) {
        if (c->s[j] == '\n')
            nx.newline = true;
        class_at(c, j, &adv);
        j += adv;
    }
    for (;;) {
        if (j < c->n && (c->s[j] == '"' || c->s[j] == '\'' || c->s[j] == '(' || c->s[j] == '[')) {
            j++;
        } else if (LDQUO(c, j) || LSQUO(c, j) || BDQUO(c, j)) {
            j += 3;
        } else if (laquo(c, j)) {
            j += 2;
        } else {
            break;
        }
        nx.opener = true;
    }
    if (j >= c->n)
        return nx;
    int cl = class_at(c, j, &adv);
    nx.kind = cl == CC_UPPER ? NX_UPPER : cl == CC_LOWER ? NX_LOWER
            : cl == CC_DIGIT ? NX_DIGIT : NX_OTHER;
    if (nx.kind == NX_UPPER) {
        size_t e = j;
        while (e < c->n && e - j < 16 && (c->s[e] | 0x20) >= 'a' && (c->s[e] | 0x20) <= 'z')
            e++;
        nx.starter = in_list(starters, (const char *)c->s + j, e - j);
    }
    return nx;
}

/* True when a speech verb is among the (up to) four words after j, before
 * any punctuation: the attribution of a quote that closed on ! or ?. */
static bool speech_follows(const ctx *c, size_t j)
{
    for (int w = 0; w < 4; w++) {
        while (j < c->n && (c->s[j] == ' ' || c->s[j] == '\t'))
            j++;
        size_t b = j;
        while (j < c->n && ((c->s[j] | 0x20) >= 'a' && (c->s[j] | 0x20) <= 'z'))
            j++;
        if (j == b)
            return false;
        if (in_list(speech, (const char *)c->s + b, j - b))
            return true;
    }
    return false;
}

/* Decides whether the line break starting at i (s[i] == '\n') ends the
 * sentence; *end gets the end of the white-space run. It does unless the next
 * line starts in lower case: then it is wrapped prose, except after a blank
 * line when the text before ends like a sentence. */
static bool break_ends(const ctx *c, size_t i, size_t *end)
{
    size_t j = i, adv;
    int nl = 0;
    while (j < c->n && (is_hspace(c->s[j]) || c->s[j] == '\n'))
        nl += c->s[j++] == '\n';
    *end = j;
    if (j >= c->n)
        return true;
    size_t b = i;
    while (b > 0 && c->s[b - 1] <= ' ')
        b--;
    if (b == 0)
        return true;
    /* a line that ends in "of", "the", "and"... goes on, whatever follows */
    size_t w = b;
    while (w > 0 && b - w < 6 && c->s[w - 1] >= 'a' && c->s[w - 1] <= 'z')
        w--;
    if (w < b && (w == 0 || c->s[w - 1] == ' ') && in_list(glue_words, (const char *)c->s + w, b - w))
        return false;
    if (class_at(c, j, &adv) != CC_LOWER)
        return true;
    if (nl < 2)
        return false;
    unsigned char last = c->s[b - 1];
    return strchr(".!?:;\")]", last) != NULL || (b >= 3 && c->s[b - 3] == 0xE2 &&
                                                 c->s[b - 2] == 0x80 &&
                                                 (c->s[b - 1] == 0x9D || c->s[b - 1] == 0x99 ||
                                                  c->s[b - 1] == 0xA6));
}

/* Finds the closing quote for an opener of kind k ('"', 'L' “, 'G' «, 'B' „)
 * after position p; returns its position and length, or SIZE_MAX at a line
 * break that ends a sentence (*stop gets where the search stopped). */
static size_t find_close(const ctx *c, size_t p, int k, size_t *clen, size_t *stop)
{
    for (size_t j = p; j < c->n; j++) {
        unsigned char ch = c->s[j];
        if (ch == '\n') {
            /* stop where the main loop would end the sentence, so no search
             * runs past a point where the quote state is reset */
            size_t e;
            if (break_ends(c, j, &e)) {
                *stop = j;
                return SIZE_MAX;
            }
        } else if (ch == '"' && (k == '"' || k == 'L')) {
            *clen = 1;
            return j;
        } else if (RDQUO(c, j) && k != 'G') {
            *clen = 3;
            return j;
        } else if (LDQUO(c, j) && k == 'B') {
            *clen = 3;
            return j;
        } else if (raquo(c, j) && k == 'G') {
            *clen = 2;
            return j;
        }
    }
    *stop = c->n;
    return SIZE_MAX;
}

/* True when the quote closing at q (length ql; opened before `open_end`) is
 * followed by its attribution, so the whole quote stays in one sentence. */
static bool quote_continues(const ctx *c, size_t open_end, size_t q, size_t ql)
{
    size_t b = q;
    while (b > open_end && is_hspace(c->s[b - 1]))
        b--;
    if (b == open_end)
        return false;
    unsigned char last = c->s[b - 1];
    size_t j = q + ql;
    while (j < c->n && is_hspace(c->s[j]))
        j++;
    size_t adv;
    int cl = j < c->n && c->s[j] != '\n' ? class_at(c, j, &adv) : CC_SPACE;
    bool lower = cl == CC_LOWER;
    if (last == ',')
        return true;
    if (last == '.' && !(b >= 2 && c->s[b - 2] == '.'))
        return lower; /* '"We will win." he said' is sloppy but seen */
    bool ends = last == '!' || last == '?' || last == '.' || (b >= 3 && HELLIP(c, b - 3));
    if (lower || (cl == CC_UPPER && speech_follows(c, j)))
        return true;
    if (ends)
        return false;
    /* no punctuation: '"a crime. A disgrace" and left' or ', ...' */
    return j < c->n && (c->s[j] == ',' || c->s[j] == ';' || c->s[j] == ':');
}

/* Length of the terminator at i (. ! ? … and CJK/Arabic/Devanagari forms),
 * 0 if none; *cjk tells that no space is needed after it. */
static size_t term_at(const ctx *c, size_t i, bool *cjk)
{
    unsigned char ch = c->s[i];
    *cjk = false;
    if (ch == '.' || ch == '!' || ch == '?')
        return 1;
    if (ch < 0x80)
        return 0;
    if (HELLIP(c, i))
        return 3;
    if (i + 3 <= c->n && ((ch == 0xE3 && c->s[i + 1] == 0x80 && c->s[i + 2] == 0x82) ||  /* 。 */
                          (ch == 0xEF && c->s[i + 1] == 0xBC &&
                           (c->s[i + 2] == 0x81 || c->s[i + 2] == 0x9F)))) {         /* ！ ？ */
        *cjk = true;
        return 3;
    }
    if (i + 2 <= c->n && ch == 0xD8 && c->s[i + 1] == 0x9F) /* Arabic ؟ */
        return 2;
    if (i + 3 <= c->n && ch == 0xE0 && c->s[i + 1] == 0xA5 &&
        (c->s[i + 2] == 0xA4 || c->s[i + 2] == 0xA5)) /* Devanagari danda */
        return 3;
    return 0;
}

/* True for ASCII bytes the main loop may step over without a look: all
 * but white space, controls, terminators and the double quote. */
static inline bool plain(unsigned char c)
{
    return c > ' ' && c < 0x7F && c != '"' && c != '.' && c != '!' && c != '?';
}

/* ---- API implementation ---- */

uint32_t td_sentences(td_arena *a, td_str text, td_span **out)
{
    ctx c = { (const unsigned char *)text.p, text.p ? text.len : 0, a, NULL, 0, 0 };
    *out = NULL;
    if (c.n > UINT32_MAX)
        c.n = UINT32_MAX;
    c.cap = (uint32_t)(c.n / 128 + 8);
    c.out = td_arena_alloc(a, c.cap * sizeof *c.out);
    if (!c.out)
        return 0;
    const unsigned char *s = c.s;
    size_t n = c.n, i = 0, start = SIZE_MAX;
    /* the open quote: where its closing quote is (SIZE_MAX: none), whether
     * its inside is glued to the attribution */
    size_t q_close = SIZE_MAX, q_len = 0, no_close_until = 0;
    bool q_glue = false;

    while (i < n) {
        unsigned char ch = s[i];
        if (ch == '\n') {
            size_t j;
            if (break_ends(&c, i, &j)) {
                if (start != SIZE_MAX && !emit(&c, start, i))
                    return 0;
                start = SIZE_MAX;
                q_close = SIZE_MAX;
                q_glue = false;
            }
            i = j;
            continue;
        }
        if (ch <= ' ' || (ch >= 0x80 && is_space_at(&c, i))) {
            size_t adv;
            class_at(&c, i, &adv);
            i += adv;
            continue;
        }
        if (start == SIZE_MAX)
            start = i;
        if (plain(ch)) { /* letters, digits, most punctuation */
            i++;
            while (i < n && plain(s[i]))
                i++;
            continue;
        }

        /* quotes */
        if (q_close != SIZE_MAX && i == q_close) {
            q_close = SIZE_MAX;
            q_glue = false;
            i += q_len;
            continue;
        }
        if (q_close == SIZE_MAX && i >= no_close_until) {
            int k = 0;
            size_t ol = 0;
            if (ch == '"' && (i == 0 || s[i - 1] <= ' ' || strchr("([{-/", s[i - 1]) ||
                              s[i - 1] >= 0x80))
                k = '"', ol = 1;
            else if (LDQUO(&c, i))
                k = 'L', ol = 3;
            else if (laquo(&c, i))
                k = 'G', ol = 2;
            else if (BDQUO(&c, i))
                k = 'B', ol = 3;
            if (k) {
                size_t stop, cl = 0;
                size_t q = find_close(&c, i + ol, k, &cl, &stop);
                if (q == SIZE_MAX) {
                    no_close_until = stop;
                } else {
                    q_close = q;
                    q_len = cl;
                    q_glue = quote_continues(&c, i + ol, q, cl);
                }
                i += ol;
                continue;
            }
        }

        /* terminators */
        bool cjk;
        size_t tl = term_at(&c, i, &cjk);
        if (!tl) {
            size_t adv;
            class_at(&c, i, &adv);
            i += adv;
            continue;
        }
        size_t j = i, dots = 0;
        bool excl = false, ell = false, any_cjk = false;
        while (j < n && (tl = term_at(&c, j, &cjk)) != 0) {
            dots += s[j] == '.';
            excl |= s[j] == '!' || s[j] == '?' || (s[j] >= 0x80 && !HELLIP(&c, j));
            ell |= HELLIP(&c, j);
            any_cjk |= cjk;
            j += tl;
        }
        size_t run_end = j;
        if (q_glue && q_close != SIZE_MAX && i < q_close) {
            i = run_end; /* inside a quote that runs into its attribution */
            continue;
        }
        /* closing quotes and brackets belong to the sentence */
        bool closes_quote = false;
        for (;;) {
            if (j < n && j == q_close) {
                closes_quote = true;
                j += q_len;
            } else if (j < n && (s[j] == ')' || s[j] == ']' || s[j] == '\'' ||
                                 (s[j] == '"' && q_close == SIZE_MAX))) {
                j++;
            } else if (RSQUO(&c, j) || (RDQUO(&c, j) && q_close == SIZE_MAX)) {
                j += 3;
            } else if (raquo(&c, j) && q_close == SIZE_MAX) {
                j += 2;
            } else {
                break;
            }
        }
        if (!any_cjk && j < n && !is_space_at(&c, j)) {
            i = run_end; /* "3.5", "U.S.-led", "Yahoo!'s": not an end */
            continue;
        }
        next_info nx = look_next(&c, j);
        bool end;
        if (nx.kind == NX_END || nx.newline || any_cjk) {
            end = true;
        } else if (excl) {
            end = nx.kind != NX_LOWER;
        } else if (ell || dots >= 2) {
            end = nx.kind == NX_UPPER || nx.opener;
        } else {
            switch (abbrev_class(&c, i)) {
            case AB_NEVER:
                end = false;
                break;
            case AB_NUMERIC:
                end = nx.kind != NX_DIGIT && nx.kind != NX_LOWER;
                break;
            case AB_MONTH:
                end = nx.kind != NX_DIGIT && (nx.starter || nx.opener);
                break;
            case AB_AMBIG:
                end = nx.starter || (nx.opener && nx.kind == NX_UPPER);
                break;
            default:
                end = nx.kind != NX_LOWER;
                break;
            }
        }
        if (!end) {
            i = run_end;
            continue;
        }
        if (closes_quote) {
            q_close = SIZE_MAX;
            q_glue = false;
        }
        if (!emit(&c, start, j))
            return 0;
        start = SIZE_MAX;
        i = j;
    }
    if (start != SIZE_MAX && !emit(&c, start, n))
        return 0;
    *out = c.out;
    return c.n_out;
}
