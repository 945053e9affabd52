/*
 * quote.c - see quote.h.
 *
 * Three passes over one article:
 *   1. quote marks: a byte scan pairs opening and closing marks over the whole
 *      body (typographic marks nest by depth; ASCII '"' toggles; single quotes
 *      are never quote delimiters, so a quote inside a quote does not break the
 *      outer one); a paragraph break closes an open quote;
 *   2. speakers: for each quote, "..., X said" / "said X" after it, or
 *      "X said:" before it, on the lexed words of its sentence; then indirect
 *      speech in sentences without quote marks;
 *   3. resolution: in text order, a tracker keeps the last person and the last
 *      organisation named (caller names, else named speakers and capitalised
 *      phrases); pronouns and descriptions take them.
 * Bounded work: every speaker search looks at most a sentence or 12 tokens.
 */
#include "extract/quote.h"

#include "extract/event_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TOK 256

static const char *const SAY[] = { "said", "says", "say", "added", "adds", "told", "tells",
                                   "stated", "declared", "announced", "wrote", "writes",
                                   "tweeted", "insisted", "warned", "claimed", "explained",
                                   "noted", "asked", "replied", "continued", "recalled",
                                   "acknowledged", "argued", "urged", "stressed", "confirmed",
                                   "posted", "admitted", "cautioned", "vowed", NULL };
static const char *const TITLES[] = { "gen", "col", "lt", "maj", "brig", "sgt", "capt", "mr",
                                      "mrs", "ms", "dr", "prof", "st", "gov", "sen", "rep",
                                      "adm", "cpl", "pte", "jr", "sr", "rev", NULL };
static const char *const PERSON_PRON[] = { "he", "she", "him", "her", NULL };
static const char *const ORG_PRON[] = { "they", "it", "we", NULL };
static const char *const ORG_NOUNS[] = {
    "military", "army", "ministry", "coalition", "group", "government", "police", "agency",
    "statement", "command", "council", "committee", "office", "militia", "movement", "rebels",
    "alliance", "forces", "force", "navy", "authorities", "administration", "party", "front",
    "organisation", "organization", "department", "spokesmen", "officials", "embassy",
    "company", "firm", "union", "commission", "court", "cabinet", "presidency", "regime",
    "insurgents", "militants", "campaign", "centre", "center", "institute", "bank", "board",
    "network", "agency's", "service", "services", "corps", "brigade", "battalion", "unit",
    "news", "channel", "television", "tv", "radio", "reuters", NULL
};
static const char *const PERSON_NOUNS[] = {
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "commander",
    "governor", "president", "general", "colonel", "chief", "director", "mayor", "witness",
    "resident", "doctor", "lawmaker", "envoy", "leader", "head", "secretary", "premier",
    "officer", "source", "diplomat", "analyst", "expert", "chairman", "chairwoman", "father",
    "mother", "man", "woman", "survivor", "teacher", "senator", "ambassador", NULL
};

/* ---- pass 1: quote marks ---- */

typedef struct seg {
    uint32_t open, close;   /* byte offsets of the marks; close == end when unterminated */
    uint32_t close_len;     /* bytes of the closing mark, 0 when unterminated */
    bool cont;              /* continues the previous segment (next paragraph) */
} seg;

/* Mark at body[i]: 1 opening, 2 closing, 3 ambiguous ASCII, 0 none; *len set. */
static int mark_at(const unsigned char *p, size_t left, uint32_t *len)
{
    if (p[0] == '"') {
        *len = 1;
        return 3;
    }
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80) {
        *len = 3;
        if (p[2] == 0x9C || p[2] == 0x9E || p[2] == 0x9F)
            return 1;
        if (p[2] == 0x9D)
            return 2;
    }
    if (left >= 2 && p[0] == 0xC2) {
        *len = 2;
        if (p[1] == 0xAB)
            return 1;
        if (p[1] == 0xBB)
            return 2;
    }
    return 0;
}

typedef struct segs {
    seg *v;
    uint32_t n, cap;
} segs;

static bool push_seg(td_arena *a, segs *s, seg x)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        seg *v = td_arena_realloc(a, s->v, s->cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return true;
}

static bool find_segments(td_arena *a, td_str body, segs *out)
{
    const unsigned char *p = (const unsigned char *)body.p;
    size_t n = body.len;
    bool open = false, ascii = false, para_cont = false;
    uint32_t start = 0, depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' && i + 1 < n && p[i + 1] == '\n') {
            if (open) {
                if (!push_seg(a, out, (seg){ start, (uint32_t)i, 0, para_cont }))
                    return false;
                open = false;
                /* the next paragraph continues the quote when it opens with a mark */
                size_t j = i + 2;
                while (j < n && (p[j] == '\n' || p[j] == ' '))
                    j++;
                uint32_t ml;
                para_cont = j < n && (mark_at(p + j, n - j, &ml) & 1);
            } else {
                para_cont = false;
            }
            continue;
        }
        uint32_t ml = 0;
        int m = mark_at(p + i, n - i, &ml);
        if (!m)
            continue;
        if (!open) {
            if (m == 2) { /* stray closing mark */
                i += ml - 1;
                continue;
            }
            open = true;
            ascii = m == 3;
            start = (uint32_t)i;
            depth = 0;
        } else if ((ascii && m == 3) || (!ascii && m == 2 && depth == 0)) {
            if (!push_seg(a, out, (seg){ start, (uint32_t)i, ml, para_cont }))
                return false;
            open = false;
            para_cont = false;
        } else if (!ascii && m == 1) {
            depth++; /* a quote inside a typographic quote */
        } else if (!ascii && m == 2) {
            depth--;
        }
        i += ml - 1;
    }
    if (open && !push_seg(a, out, (seg){ start, (uint32_t)n, 0, para_cont }))
        return false;
    return true;
}

/* ---- pass 2: speakers ---- */

typedef struct toks {
    td_str text;   /* the body */
    td_xtok t[MAX_TOK];
    uint32_t n;
} toks;

/* Lexes body[from, to) into tk with offsets relative to the body. */
static void lex_range(toks *tk, td_str body, uint32_t from, uint32_t to)
{
    tk->text = body;
    if (to > body.len)
        to = (uint32_t)body.len;
    if (from >= to) {
        tk->n = 0;
        return;
    }
    tk->n = td_xlex((td_str){ body.p + from, to - from }, tk->t, MAX_TOK);
    for (uint32_t i = 0; i < tk->n; i++)
        tk->t[i].off += from;
}

static bool tis(const toks *tk, uint32_t i, const char *w)
{
    return i < tk->n && td_xtok_is(tk->text, &tk->t[i], w);
}
static bool say_at(const toks *tk, uint32_t i)
{
    return i < tk->n && td_xtok_oneof(tk->text, &tk->t[i], SAY) >= 0;
}
static char punct_of(const toks *tk, uint32_t i)
{
    return i < tk->n && tk->t[i].kind == TD_XT_PUNCT ? tk->text.p[tk->t[i].off] : 0;
}
/* A '.' that ends a title abbreviation ("Gen.") rather than the phrase. */
static bool title_dot(const toks *tk, uint32_t i)
{
    return punct_of(tk, i) == '.' && i > 0 &&
           td_xtok_oneof(tk->text, &tk->t[i - 1], TITLES) >= 0;
}

/* Reads a speaker phrase forward from i: words (and title dots) up to a comma,
 * full stop, say-verb or 8 tokens. Returns its token count, 0 when none. */
static uint32_t np_forward(const toks *tk, uint32_t i, bool stop_at_say)
{
    uint32_t k = i;
    while (k < tk->n && k - i < 8) {
        const td_xtok *t = &tk->t[k];
        if (t->kind == TD_XT_PUNCT && !title_dot(tk, k) && tk->text.p[t->off] != '-')
            break;
        if (stop_at_say && say_at(tk, k))
            break;
        if (tis(tk, k, "in") || tis(tk, k, "on") || tis(tk, k, "at") || tis(tk, k, "after") ||
            tis(tk, k, "during") || tis(tk, k, "when") || tis(tk, k, "who") ||
            tis(tk, k, "that") || tis(tk, k, "from"))
            break;
        k++;
    }
    return k - i;
}

static td_span span_of(const toks *tk, uint32_t a, uint32_t b)
{
    uint32_t off = tk->t[a].off, end = tk->t[b - 1].off + tk->t[b - 1].len;
    return (td_span){ off, end - off };
}

/* Speaker after a closing mark: ", X said", ", said X, the ...", " he added". */
static bool speaker_after(const toks *tk, td_span *sp)
{
    uint32_t k = 0;
    while (k < tk->n && (punct_of(tk, k) == ',' || (tk->t[k].flags & TD_XTF_QUOTE)))
        k++;
    if (k >= tk->n || tk->t[k].kind == TD_XT_PUNCT)
        return false;
    if (say_at(tk, k)) {
        uint32_t m = np_forward(tk, k + 1, false);
        if (!m)
            return false;
        *sp = span_of(tk, k + 1, k + 1 + m);
        return true;
    }
    uint32_t m = np_forward(tk, k, true);
    if (!m || !say_at(tk, k + m))
        return false;
    *sp = span_of(tk, k, k + m);
    return true;
}

/* Speaker before an opening mark at the end of tk: "X said: ", "X told reporters, ". */
static bool speaker_before(const toks *tk, td_span *sp)
{
    if (!tk->n)
        return false;
    uint32_t k = tk->n;
    while (k > 0 && (punct_of(tk, k - 1) == ':' || punct_of(tk, k - 1) == ','))
        k--;
    if (k > 0 && tis(tk, k - 1, "that"))
        k--;
    /* the say-verb within the last 5 tokens: "told reporters on Monday" */
    uint32_t v = k;
    for (uint32_t s = 0; v > 0 && s < 5; s++) {
        if (say_at(tk, v - 1))
            break;
        v--;
    }
    if (v == 0 || !say_at(tk, v - 1))
        return false;
    uint32_t end = v - 1, b = end;
    while (b > 0 && end - b < 8) {
        const td_xtok *t = &tk->t[b - 1];
        if (t->kind == TD_XT_PUNCT && !title_dot(tk, b - 1) && tk->text.p[t->off] != '-')
            break;
        if (t->flags & TD_XTF_QUOTE)
            break;
        b--;
    }
    if (b == end)
        return false;
    *sp = span_of(tk, b, end);
    return true;
}

typedef struct qv {
    td_quote *v;
    uint32_t n, cap;
} qv;

static bool push_quote(td_arena *a, qv *q, td_quote x)
{
    if (q->n == q->cap) {
        uint32_t cap = q->cap ? q->cap * 2 : 16;
        td_quote *v = td_arena_realloc(a, q->v, q->cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return false;
        q->v = v;
        q->cap = cap;
    }
    q->v[q->n++] = x;
    return true;
}

/* Index of the sentence holding offset off (binary search), or the last. */
static uint32_t sentence_of(const td_span *s, uint32_t n, uint32_t off)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s[mid].off + s[mid].len <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? lo : (n ? n - 1 : 0);
}

/* Indirect speech in a sentence without quote marks. */
static bool indirect(const toks *tk, td_quote *q)
{
    if (tk->n < 5)
        return false;
    uint32_t last = tk->n;
    while (last > 0 && tk->t[last - 1].kind == TD_XT_PUNCT)
        last--;
    /* "according to X, CLAUSE" / "CLAUSE, according to X." */
    for (uint32_t k = 0; k + 2 < tk->n; k++) {
        if (!tis(tk, k, "according") || !tis(tk, k + 1, "to"))
            continue;
        uint32_t m = np_forward(tk, k + 2, true);
        if (!m)
            return false;
        q->speaker = span_of(tk, k + 2, k + 2 + m);
        if (k == 0 && k + 2 + m + 1 < last)
            q->text = span_of(tk, k + 2 + m + (punct_of(tk, k + 2 + m) == ','), last);
        else if (k > 1)
            q->text = span_of(tk, 0, k - (punct_of(tk, k - 1) == ','));
        else
            return false;
        return true;
    }
    /* "CLAUSE, X said." */
    if (last >= 3 && say_at(tk, last - 1)) {
        uint32_t b = last - 1;
        while (b > 0 && last - 1 - b < 8 && tk->t[b - 1].kind != TD_XT_PUNCT)
            b--;
        if (b > 1 && b < last - 1 && punct_of(tk, b - 1) == ',') {
            q->speaker = span_of(tk, b, last - 1);
            q->text = span_of(tk, 0, b - 1);
            return true;
        }
    }
    /* "CLAUSE, said X." is rare without marks; "X said (that) CLAUSE" */
    for (uint32_t k = 1; k < tk->n && k < 12; k++) {
        if (!say_at(tk, k))
            continue;
        if (tis(tk, k, "say") || tis(tk, k, "asked") || tis(tk, k, "urged") ||
            tis(tk, k, "vowed"))
            return false;
        uint32_t b = k;
        while (b > 0 && k - b < 8 && (tk->t[b - 1].kind != TD_XT_PUNCT || title_dot(tk, b - 1)))
            b--;
        if (b == k)
            return false;
        uint32_t c = k + 1;
        if (tis(tk, k, "told")) /* the audience: "told reporters", "told Reuters" */
            while (c < tk->n && c < k + 4 && !tis(tk, c, "that") && tk->t[c].kind == TD_XT_WORD &&
                   !tis(tk, c, "on") && !tis(tk, c, "the"))
                c++;
        while (c < tk->n && c < k + 5 &&
               (tis(tk, c, "on") || tis(tk, c, "in") || tis(tk, c, "a") ||
                tis(tk, c, "statement") || tis(tk, c, "late") || tis(tk, c, "early") ||
                tis(tk, c, "monday") || tis(tk, c, "tuesday") || tis(tk, c, "wednesday") ||
                tis(tk, c, "thursday") || tis(tk, c, "friday") || tis(tk, c, "saturday") ||
                tis(tk, c, "sunday") || tis(tk, c, "reporters") || punct_of(tk, c) == ','))
            c++;
        if (tis(tk, c, "that"))
            c++;
        if (c + 2 >= last)
            return false;
        q->speaker = span_of(tk, b, k);
        q->text = span_of(tk, c, last);
        return true;
    }
    return false;
}

/* ---- pass 3: resolution ---- */

typedef struct tracker {
    td_span person, org;
    int64_t person_id, org_id;
} tracker;

static bool has_cap_word(const toks *tk)
{
    for (uint32_t i = 0; i < tk->n; i++)
        if (tk->t[i].kind == TD_XT_WORD && (tk->t[i].flags & TD_XTF_CAP) &&
            td_xtok_oneof(tk->text, &tk->t[i], TITLES) < 0 && !tis(tk, i, "the") &&
            !tis(tk, i, "a") && !tis(tk, i, "an"))
            return true;
    return false;
}

/* Person or organisation for a named phrase without a caller type. */
static uint8_t guess_type(const toks *tk)
{
    for (uint32_t i = 0; i < tk->n; i++)
        if (td_xtok_oneof(tk->text, &tk->t[i], ORG_NOUNS) >= 0)
            return TD_NAME_ORG;
    return TD_NAME_PERSON;
}

static void note_name(tracker *tr, td_span sp, uint8_t type, int64_t id)
{
    if (type == TD_NAME_PERSON) {
        tr->person = sp;
        tr->person_id = id;
    } else if (type == TD_NAME_ORG) {
        tr->org = sp;
        tr->org_id = id;
    }
}

/* Capitalised phrases of a sentence (2+ capitalised words, or one after a
 * title) as fallback names, noted in order. */
static void note_caps(tracker *tr, td_str body, td_span s)
{
    toks tk;
    lex_range(&tk, body, s.off, s.off + s.len);
    for (uint32_t i = 0; i < tk.n; i++) {
        if (tk.t[i].kind != TD_XT_WORD || !(tk.t[i].flags & TD_XTF_CAP))
            continue;
        uint32_t j = i;
        while (j < tk.n && ((tk.t[j].kind == TD_XT_WORD && (tk.t[j].flags & TD_XTF_CAP)) ||
                            title_dot(&tk, j) || tis(&tk, j, "al") || tis(&tk, j, "bin") ||
                            tis(&tk, j, "of")))
            j++;
        while (j > i && (tis(&tk, j - 1, "of") || tk.t[j - 1].kind == TD_XT_PUNCT))
            j--;
        uint32_t words = j - i;
        bool titled = td_xtok_oneof(body, &tk.t[i], TITLES) >= 0;
        if (words >= 2 || (titled && words >= 1)) {
            toks sub = tk;
            sub.n = 0;
            for (uint32_t k = i; k < j; k++)
                sub.t[sub.n++] = tk.t[k];
            td_span sp = span_of(&tk, i, j);
            if (i == 0 && tis(&tk, 0, "the") && words < 3) {
                i = j;
                continue;
            }
            note_name(tr, sp, guess_type(&sub), -1);
        }
        i = j;
    }
}

/* Resolves q->speaker against caller names and the tracker. */
static void resolve(td_quote *q, td_str body, const td_name_span *names, uint32_t n_names,
                    const tracker *tr)
{
    q->entity = -1;
    q->resolved = (td_span){ 0, 0 };
    q->speaker_type = TD_NAME_NONE;
    if (!q->speaker.len)
        return;
    uint32_t s0 = q->speaker.off, s1 = s0 + q->speaker.len;
    for (uint32_t i = 0; i < n_names; i++) {
        if (names[i].span.off >= s1)
            break;
        if (names[i].span.off >= s0 && names[i].span.off + names[i].span.len <= s1 &&
            names[i].type != TD_NAME_PLACE) {
            q->resolved = names[i].span;
            q->entity = names[i].entity;
            q->speaker_type = names[i].type;
            return;
        }
    }
    toks tk;
    lex_range(&tk, body, s0, s1);
    if (tk.n == 1 && td_xtok_oneof(body, &tk.t[0], PERSON_PRON) >= 0) {
        q->resolved = tr->person;
        q->entity = tr->person_id;
        q->speaker_type = tr->person.len ? TD_NAME_PERSON : TD_NAME_NONE;
        return;
    }
    if (tk.n == 1 && td_xtok_oneof(body, &tk.t[0], ORG_PRON) >= 0) {
        q->resolved = tr->org;
        q->entity = tr->org_id;
        q->speaker_type = tr->org.len ? TD_NAME_ORG : TD_NAME_NONE;
        return;
    }
    if (has_cap_word(&tk)) {
        q->resolved = q->speaker;
        q->speaker_type = guess_type(&tk);
        return;
    }
    /* a description: "the military", "a senior official", "the spokesman" */
    for (uint32_t i = tk.n; i > 0; i--) {
        if (td_xtok_oneof(body, &tk.t[i - 1], ORG_NOUNS) >= 0) {
            q->resolved = tr->org;
            q->entity = tr->org_id;
            q->speaker_type = tr->org.len ? TD_NAME_ORG : TD_NAME_NONE;
            return;
        }
        if (td_xtok_oneof(body, &tk.t[i - 1], PERSON_NOUNS) >= 0) {
            q->resolved = tr->person;
            q->entity = tr->person_id;
            q->speaker_type = tr->person.len ? TD_NAME_PERSON : TD_NAME_NONE;
            return;
        }
    }
}

static int by_offset(const void *a, const void *b)
{
    uint32_t x = ((const td_quote *)a)->text.off, y = ((const td_quote *)b)->text.off;
    return (x > y) - (x < y);
}

/* ---- API implementation ---- */

td_status td_quote_find(td_arena *a, td_str body, const td_span *sentences, uint32_t n_sentences,
                        const td_name_span *names, uint32_t n_names, td_quote **out, uint32_t *n)
{
    if (!a || !body.p || !out || !n || (n_sentences && !sentences))
        return TD_EINVAL;
    segs sg = { NULL, 0, 0 };
    qv q = { NULL, 0, 0 };
    if (!find_segments(a, body, &sg))
        return TD_ENOMEM;
    toks *tk = td_arena_alloc(a, sizeof *tk); /* ~3 KB of scratch, off the stack */
    bool *cont = td_arena_calloc(a, sg.n + 1, sizeof *cont);
    if (!tk || !cont)
        return TD_ENOMEM;
    /* direct quotes */
    for (uint32_t i = 0; i < sg.n; i++) {
        seg *g = &sg.v[i];
        uint32_t inner = g->open + (body.p[g->open] == '"' ? 1 : (unsigned char)body.p[g->open] == 0xC2 ? 2 : 3);
        if (g->close <= inner)
            continue;
        td_quote x = { { inner, g->close - inner }, { 0, 0 }, { 0, 0 }, -1, 0, 1, 0 };
        uint32_t si = sentence_of(sentences, n_sentences, g->open);
        x.sentence = si;
        td_span sp;
        bool found = false;
        if (g->close_len) {
            uint32_t se = sentence_of(sentences, n_sentences, g->close);
            uint32_t end = n_sentences ? sentences[se].off + sentences[se].len : (uint32_t)body.len;
            if (end < g->close + g->close_len + 1) /* the quote ends its sentence */
                end = se + 1 < n_sentences ? sentences[se + 1].off + sentences[se + 1].len : end;
            lex_range(tk, body, g->close + g->close_len, end);
            if (tk->n > 12)
                tk->n = 12;
            found = speaker_after(tk, &sp);
        }
        if (!found) {
            uint32_t from = n_sentences ? sentences[si].off : 0;
            if (i > 0 && sg.v[i - 1].close + sg.v[i - 1].close_len > from)
                from = sg.v[i - 1].close + sg.v[i - 1].close_len;
            if (from < g->open) {
                lex_range(tk, body, from, g->open);
                found = speaker_before(tk, &sp);
            }
        }
        /* scare quotes: a few words without a speaker are not a quote */
        if (!found) {
            lex_range(tk, body, inner, g->close);
            if (tk->n < 6 && !g->cont && !(i + 1 < sg.n && sg.v[i + 1].cont))
                continue;
        }
        if (found)
            x.speaker = sp;
        cont[q.n] = g->cont;
        if (!push_quote(a, &q, x))
            return TD_ENOMEM;
    }
    /* a quote continued over paragraphs shares the speaker of its parts */
    for (uint32_t i = q.n; i-- > 1;)
        if (cont[i] && !q.v[i - 1].speaker.len)
            q.v[i - 1].speaker = q.v[i].speaker;
    for (uint32_t i = 1; i < q.n; i++)
        if (cont[i] && !q.v[i].speaker.len)
            q.v[i].speaker = q.v[i - 1].speaker;
    /* indirect speech in sentences with no quote marks */
    uint32_t gi = 0;
    for (uint32_t s = 0; s < n_sentences; s++) {
        td_span se = sentences[s];
        while (gi < sg.n && sg.v[gi].close + sg.v[gi].close_len <= se.off)
            gi++;
        if (gi < sg.n && sg.v[gi].open < se.off + se.len)
            continue;
        lex_range(tk, body, se.off, se.off + se.len);
        td_quote x = { { 0, 0 }, { 0, 0 }, { 0, 0 }, -1, s, 0, 0 };
        if (indirect(tk, &x) && !push_quote(a, &q, x))
            return TD_ENOMEM;
    }
    if (q.n > 1)
        qsort(q.v, q.n, sizeof *q.v, by_offset);
    /* resolution in text order */
    tracker tr = { { 0, 0 }, { 0, 0 }, -1, -1 };
    uint32_t ni = 0, sj = 0;
    for (uint32_t i = 0; i < q.n; i++) {
        td_quote *x = &q.v[i];
        uint32_t at = x->speaker.len && x->speaker.off < x->text.off ? x->speaker.off : x->text.off;
        for (; ni < n_names && names[ni].span.off < at; ni++)
            note_name(&tr, names[ni].span, names[ni].type, names[ni].entity);
        if (!n_names)
            for (; sj < n_sentences && sentences[sj].off + sentences[sj].len <= at; sj++)
                note_caps(&tr, body, sentences[sj]);
        resolve(x, body, names, n_names, &tr);
        if (x->resolved.len && x->resolved.off == x->speaker.off)
            note_name(&tr, x->resolved, x->speaker_type, x->entity);
    }
    if (a->failed)
        return TD_ENOMEM;
    *out = q.n ? q.v : NULL;
    *n = q.n;
    return TD_OK;
}
