/*
 * event.c - see event.h.
 *
 * Per sentence: lex (event_int.h), match triggers, settle each trigger's type
 * from the sentence context, keep one trigger per type, then read arguments in
 * the trigger's window [previous trigger end, next trigger start), temporal
 * expressions and tolls. A second pass fills dates and tolls from neighbour
 * sentences and scores the main event. Work per sentence is linear in its
 * tokens times the lexicon size (bounded: MAX_TOK tokens, MAX_TRIG triggers).
 */
#include "extract/event.h"

#include "extract/event_int.h"
#include "extract/timex.h"
#include "extract/toll.h"

#include <string.h>

#define MAX_TOK 256
#define MAX_TRIG 24
#define MAX_TIMEX 8
#define MAX_TOLL 8

typedef struct sent {
    td_str text;          /* the body */
    td_xtok t[MAX_TOK];   /* offsets into the body */
    uint32_t n;
    td_timex tx[MAX_TIMEX];
    uint32_t n_tx;
    td_toll tl[MAX_TOLL];
    uint32_t n_tl;
} sent;

typedef struct mv {
    td_event_mention *v;
    uint32_t n, cap;
} mv;

const char *td_modality_name(td_modality m)
{
    static const char *const N[TD_MOD_COUNT] = { "asserted", "negated", "denied",
                                                 "planned", "threatened", "hypothetical" };
    return (unsigned)m < TD_MOD_COUNT ? N[m] : "";
}

static bool is(const sent *s, uint32_t i, const char *w)
{
    return i < s->n && td_xtok_is(s->text, &s->t[i], w);
}
static char punct_of(const sent *s, uint32_t i)
{
    return i < s->n && s->t[i].kind == TD_XT_PUNCT ? s->text.p[s->t[i].off] : 0;
}
static bool clause_break(const sent *s, uint32_t i)
{
    char c = punct_of(s, i);
    return c == ',' || c == ';' || c == ':' || c == '.' || c == '(' || c == ')' ||
           (s->t[i].flags & TD_XTF_QUOTE) || (c && s->t[i].len == 3); /* dashes */
}
static td_span tspan(const sent *s, uint32_t a, uint32_t b)
{
    uint32_t off = s->t[a].off, end = s->t[b - 1].off + s->t[b - 1].len;
    return (td_span){ off, end - off };
}

static const char *const DET[] = { "the", "a", "an", "its", "their", "his", "her", "our",
                                   "some", "several", "two", "three", NULL };
/* Words that end a noun phrase read rightwards. */
static const char *const NP_STOP[] = {
    "in", "near", "on", "at", "killing", "wounding", "injuring", "and", "which", "that", "who",
    "with", "after", "before", "during", "since", "as", "when", "while", "for", "from", "into",
    "said", "says", "was", "were", "is", "are", "had", "has", "have", "by", "to", "late", "early",
    "overnight", "yesterday", "today", "outside", "leaving", "destroying", "but", "amid",
    "following", "across", "around", "last", "this", "earlier", "where", "because", "rose",
    "climbed", "reached", "struck", "hit", "left", "says", "would", "will", "could", "killed",
    "wounded", "injured", "fired", "attacked", "claimed", "told", "carried", "conducted",
    NULL
};
static const char *const WEEKDAYS[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
                                        "saturday", "sunday", NULL };
static const char *const MONTHS[] = { "january", "february", "march", "april", "may", "june",
                                      "july", "august", "september", "october", "november",
                                      "december", NULL };

/* Noun phrase rightwards from i, within [i, lim): up to 6 tokens. */
static td_span np_right(const sent *s, uint32_t i, uint32_t lim)
{
    while (i < lim && td_xtok_oneof(s->text, &s->t[i], DET) >= 0)
        i++;
    uint32_t k = i;
    while (k < lim && k - i < 6) {
        const td_xtok *t = &s->t[k];
        if (t->kind == TD_XT_PUNCT) {
            if (s->text.p[t->off] == '-' || s->text.p[t->off] == '\'')
                ; /* inside a phrase */
            else
                break;
        } else if (td_xtok_oneof(s->text, t, NP_STOP) >= 0 ||
                   td_xtok_oneof(s->text, t, WEEKDAYS) >= 0) {
            break;
        } else if (is(s, k, "of") && !(k + 1 < lim && (is(s, k + 1, "the") ||
                                                        (s->t[k + 1].flags & TD_XTF_CAP)))) {
            break;
        }
        k++;
    }
    while (k > i && (is(s, k - 1, "of") || s->t[k - 1].kind == TD_XT_PUNCT))
        k--;
    /* "a prison run by", "a depot used by": the participle before "by"
     * belongs to the owner's phrase, not to the noun */
    if (k > i + 1 && k < lim && is(s, k, "by") && s->t[k - 1].kind == TD_XT_WORD &&
        !(s->t[k - 1].flags & TD_XTF_CAP))
        k--;
    return k > i ? tspan(s, i, k) : (td_span){ 0, 0 };
}

/* Subject phrase leftwards from i (exclusive) down to lo: skips auxiliaries
 * and time words, then takes up to 6 words of one phrase. */
static td_span np_left(const sent *s, uint32_t i, uint32_t lo, bool *passive)
{
    static const char *const AUX[] = { "have", "has", "had", "was", "were", "been", "be", "is",
                                       "are", "reportedly", "also", "allegedly", "later",
                                       "again", "had", "jointly", "then", "subsequently",
                                       "carried", "launched", "conducted", "staged", "held",
                                       "out", "it", NULL };
    uint32_t k = i;
    *passive = false;
    while (k > lo && (td_xtok_oneof(s->text, &s->t[k - 1], AUX) >= 0 ||
                      td_xtok_oneof(s->text, &s->t[k - 1], WEEKDAYS) >= 0 ||
                      is(s, k - 1, "on") || is(s, k - 1, "late") || is(s, k - 1, "early"))) {
        if (is(s, k - 1, "was") || is(s, k - 1, "were") || is(s, k - 1, "been"))
            *passive = true;
        k--;
    }
    uint32_t e = k;
    while (k > lo && e - k < 6) {
        const td_xtok *t = &s->t[k - 1];
        if (t->kind == TD_XT_PUNCT && s->text.p[t->off] != '-')
            break;
        if (t->kind == TD_XT_NUM || td_xtok_oneof(s->text, t, NP_STOP) >= 0)
            break;
        k--;
    }
    while (k < e && td_xtok_oneof(s->text, &s->t[k], DET) >= 0)
        k++;
    return k < e ? tspan(s, k, e) : (td_span){ 0, 0 };
}

/* "el-Mirah", "al-Hamra", "ad-Dour": the lower-case article of a
 * transliterated name continues it. */
static bool article_prefix(const sent *s, uint32_t j)
{
    static const char *const P[] = { "al-", "el-", "ad-", "ed-", "ar-", "er-", "as-", "es-", "ash-",
                                     "at-", "az-", "an-", "en-", "ul-", NULL };
    for (int k = 0; P[k]; k++)
        if (td_xtok_starts(s->text, &s->t[j], P[k]))
            return true;
    return false;
}

/* A day name, also in the possessive ("Monday's"). */
static bool weekday_like(const sent *s, uint32_t j)
{
    for (int k = 0; WEEKDAYS[k]; k++)
        if (td_xtok_starts(s->text, &s->t[j], WEEKDAYS[k]))
            return true;
    return false;
}

/* Capitalised place phrase after a locative word, within [i, lim). */
static td_span place_after(const sent *s, uint32_t i, uint32_t lim)
{
    static const char *const LOC[] = { "in", "near", "outside", "at", "around", "across",
                                       "to", "from", NULL };
    static const char *const DESC[] = { "the", "northern", "southern", "eastern", "western",
                                        "central", "north", "south", "east", "west",
                                        "northeastern", "northwestern", "southeastern",
                                        "southwestern", "rebel-held", "capital", "city",
                                        "town", "village", "province", "district", "region",
                                        "port", "of", "besieged", "coastal", "outskirts",
                                        "governorate", "area", "neighbourhood",
                                        "neighborhood", "border", "remote", "mountainous",
                                        "state", NULL };
    for (uint32_t k = i; k < lim; k++) {
        if (td_xtok_oneof(s->text, &s->t[k], LOC) < 0)
            continue;
        uint32_t j = k + 1;
        while (j < lim && !(s->t[j].flags & TD_XTF_CAP) &&
               td_xtok_oneof(s->text, &s->t[j], DESC) >= 0)
            j++;
        uint32_t a = j;
        while (j < lim && j - a < 4 && s->t[j].kind == TD_XT_WORD &&
               ((s->t[j].flags & TD_XTF_CAP) || (j > a && article_prefix(s, j))) &&
               !weekday_like(s, j) && td_xtok_oneof(s->text, &s->t[j], MONTHS) < 0)
            j++;
        /* "in Syrian territory": an adjective of nationality, not a place */
        if (j == a + 1 && j < lim && s->t[j].kind == TD_XT_WORD && !(s->t[j].flags & TD_XTF_CAP) &&
            td_xtok_oneof(s->text, &s->t[j], DESC) < 0) {
            const td_xtok *w = &s->t[a];
            const char *e = s->text.p + w->off + w->len;
            if ((w->len > 4 && (!memcmp(e - 3, "ian", 3) || !memcmp(e - 3, "ese", 3) ||
                                !memcmp(e - 3, "ish", 3))) ||
                (w->len > 4 && e[-1] == 'i'))
                continue;
        }
        if (j > a)
            return tspan(s, a, j);
    }
    return (td_span){ 0, 0 };
}

/* True when "for" at token k asks for the act ("called for strikes",
 * "pressed for talks", "appeal for a ceasefire"); "unaccounted for after an
 * attack", "responsible for the bombing" or "arrested for the attack" report
 * one that happened. */
static bool request_for(const sent *s, uint32_t k)
{
    static const char *const ASK[] = { "call", "calls", "called", "calling", "appeal", "appeals",
                                       "appealed", "appealing", "press", "pressed", "pressing",
                                       "push", "pushed", "pushing", "demand", "demands", "ask",
                                       "asks", "asked", "asking", "plea", "pleaded", "lobbied",
                                       "lobbying", "campaign", "campaigned", "campaigning",
                                       "wait", "waiting", "hope", "hopes", "hoping", "prepared",
                                       "ready", "plans", "plan", "preparations", NULL };
    if (!is(s, k, "for"))
        return false;
    /* "called repeatedly for", "called on Monday for": a few words back */
    for (uint32_t j = k, back = 0; j > 0 && back < 3; j--, back++) {
        if (clause_break(s, j - 1))
            return false;
        if (td_xtok_oneof(s->text, &s->t[j - 1], ASK) >= 0)
            return true;
    }
    return false;
}

/* Modality of the trigger at token i: cues among the few tokens before it
 * in its clause. */
static uint8_t modality_at(const sent *s, uint32_t i, uint8_t type)
{
    /* every cue in the window counts; the strongest wins ("vowed to continue"
     * is a threat, "would not" a hypothesis) */
    static const uint8_t RANK[TD_MOD_COUNT] = { 0, 1, 5, 2, 4, 3 };
    uint8_t best = TD_MOD_ASSERTED;
    for (uint32_t k = i, steps = 0; k > 0 && steps < 6; k--, steps++) {
        const td_xtok *t = &s->t[k - 1];
        uint8_t m = TD_MOD_ASSERTED;
        if (t->kind == TD_XT_PUNCT && s->text.p[t->off] != '-' && s->text.p[t->off] != '\'')
            break;
        if (is(s, k - 1, "denied") || is(s, k - 1, "denies") || is(s, k - 1, "deny") ||
            is(s, k - 1, "denying"))
            m = TD_MOD_DENIED;
        else if (is(s, k - 1, "not") || is(s, k - 1, "never") || is(s, k - 1, "no") ||
                 is(s, k - 1, "without") || is(s, k - 1, "didn't") || is(s, k - 1, "avoid") ||
                 is(s, k - 1, "prevent") || is(s, k - 1, "halt"))
            m = TD_MOD_NEGATED;
        else if (is(s, k - 1, "threatened") || is(s, k - 1, "threatens") ||
                 is(s, k - 1, "vowed") || is(s, k - 1, "vows") || is(s, k - 1, "threat") ||
                 is(s, k - 1, "warned") || is(s, k - 1, "warns"))
            m = TD_MOD_THREATENED;
        else if (is(s, k - 1, "will") || is(s, k - 1, "shall") || is(s, k - 1, "plans") ||
                 is(s, k - 1, "planned") || is(s, k - 1, "planning") ||
                 is(s, k - 1, "intends") || is(s, k - 1, "scheduled") ||
                 is(s, k - 1, "upcoming") || is(s, k - 1, "next") || is(s, k - 1, "future") ||
                 is(s, k - 1, "prepare") || is(s, k - 1, "preparing") ||
                 is(s, k - 1, "continue") || is(s, k - 1, "'ll") || is(s, k - 1, "expected"))
            m = TD_MOD_PLANNED;
        else if (is(s, k - 1, "would") || is(s, k - 1, "could") || is(s, k - 1, "might") ||
                 is(s, k - 1, "may") || is(s, k - 1, "if") || is(s, k - 1, "unless") ||
                 is(s, k - 1, "possible") || is(s, k - 1, "potential") || is(s, k - 1, "any") ||
                 is(s, k - 1, "wants") || is(s, k - 1, "want") || is(s, k - 1, "seeking") ||
                 is(s, k - 1, "ready") || is(s, k - 1, "willing") || is(s, k - 1, "offered") ||
                 is(s, k - 1, "prepared") || is(s, k - 1, "proposed") ||
                 is(s, k - 1, "demand") || is(s, k - 1, "demanding") ||
                 ((request_for(s, k - 1) || is(s, k - 1, "urged") || is(s, k - 1, "demanded")) &&
                  type != TD_EV_STATEMENT))
            m = TD_MOD_HYPOTHETICAL;
        if (RANK[m] > RANK[best])
            best = m;
    }
    return best;
}

static bool violent(uint8_t t)
{
    return t == TD_EV_AIRSTRIKE || t == TD_EV_SHELLING || t == TD_EV_BOMBING ||
           t == TD_EV_ARMED_CLASH || t == TD_EV_RAID_OR_ARREST || t == TD_EV_KILLING;
}

static bool push(td_arena *a, mv *m, const td_event_mention *x)
{
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 16;
        td_event_mention *v = td_arena_realloc(a, m->v, m->cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return false;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = *x;
    return true;
}

/* The caller name of a type overlapping [off, end) nearest to at, or NULL. */
static const td_name_span *name_in(const td_event_input *in, uint32_t off, uint32_t end,
                                   uint8_t want, uint32_t at, bool after_first)
{
    const td_name_span *best = NULL;
    uint32_t bestd = UINT32_MAX;
    for (uint32_t i = 0; i < in->n_names; i++) {
        const td_name_span *nm = &in->names[i];
        if (nm->span.off >= end)
            break;
        if (nm->span.off < off)
            continue;
        bool ok = want == TD_NAME_PERSON ? (nm->type == TD_NAME_PERSON || nm->type == TD_NAME_ORG)
                                         : nm->type == want;
        if (!ok)
            continue;
        uint32_t d = nm->span.off >= at ? nm->span.off - at : at - nm->span.off;
        if (after_first && nm->span.off >= at)
            d /= 4; /* places after the trigger are the usual case */
        if (want == TD_NAME_PLACE && nm->level)
            d = d / (nm->level * nm->level) + (uint32_t)(3 - (nm->level > 3 ? 3 : nm->level)) * 1000;
            /* the most specific place wins: a town before its province or country */
        if (d < bestd) {
            bestd = d;
            best = nm;
        }
    }
    return best;
}

/* Head nouns of a group of people, a force or a body that acts. */
static const char *const HEADS[] = {
    "forces", "force", "troops", "army", "police", "militants", "rebels", "insurgents",
    "jihadists", "fighters", "gunmen", "protesters", "protestors", "demonstrators",
    "coalition", "military", "ministry", "presidency", "spokesman", "spokeswoman", "warplanes", "jets", "aircraft", "government", "soldiers",
    "authorities", "officials", "students", "workers", "militia", "militiamen", "attackers",
    "bandits", "government", "regime", "residents", "activists", "opposition", "navy",
    "drones", "planes", "helicopters", "group", "movement", "alliance", NULL
};

/* True when span sp reads as an actor: a capitalised word, or a head noun
 * naming a group of people or a force, and no digits. */
static bool actor_like(const sent *s, td_span sp)
{
    static const char *const NOT[] = { "he", "she", "it", "they", "we", "i", "you", "scores",
                                       "dozens", "hundreds", "thousands", "this", "that",
                                       "there", "which", "who", "one", "two", "three", "four",
                                       "five", "six", "seven", "eight", "nine", "ten", "many",
                                       "several", "some", "how", "what", "these",
                                       "those", "more", "most", "others", NULL };
    if (!sp.len)
        return false;
    uint32_t first = UINT32_MAX, last = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        const td_xtok *t = &s->t[i];
        if (t->off < sp.off || t->off >= sp.off + sp.len)
            continue;
        if (t->kind == TD_XT_NUM || t->kind == TD_XT_MIXED ||
            td_xtok_oneof(s->text, t, NOT) >= 0 || td_xtok_oneof(s->text, t, WEEKDAYS) >= 0 ||
            td_xtok_starts(s->text, t, "monday") || td_xtok_starts(s->text, t, "tuesday") ||
            td_xtok_starts(s->text, t, "wednesday") || td_xtok_starts(s->text, t, "thursday") ||
            td_xtok_starts(s->text, t, "friday") || td_xtok_starts(s->text, t, "saturday") ||
            td_xtok_starts(s->text, t, "sunday") || td_xtok_starts(s->text, t, "today") ||
            td_xtok_starts(s->text, t, "yesterday") || td_xtok_starts(s->text, t, "tonight"))
            return false;
        if (t->kind != TD_XT_WORD)
            continue;
        if (first == UINT32_MAX)
            first = i;
        last = i;
    }
    if (first == UINT32_MAX)
        return false;
    /* a phrase headed by a name or a force: "Saudi-led coalition", "Houthi rebels" */
    const td_xtok *f = &s->t[first], *l = &s->t[last];
    bool f_ok = (f->flags & TD_XTF_CAP) || td_xtok_oneof(s->text, f, HEADS) >= 0 ||
                memchr(s->text.p + f->off, '-', f->len) != NULL;
    bool l_ok = (l->flags & TD_XTF_CAP) || td_xtok_oneof(s->text, l, HEADS) >= 0;
    return f_ok && l_ok;
}

/* True when the temporal expression starting at byte off follows a verb of
 * saying ("said Saturday", "told reporters on Monday"): the day of the
 * report, not of the event. */
static bool reporting_date(const sent *s, uint32_t off)
{
    static const char *const SAY[] = { "said", "says", "told", "announced", "reported", "added",
                                       "confirmed", "stated", "reporters", "statement", NULL };
    uint32_t k = 0;
    while (k < s->n && s->t[k].off < off)
        k++;
    for (uint32_t back = 0; k > 0 && back < 3; k--, back++) {
        const td_xtok *t = &s->t[k - 1];
        if (td_xtok_oneof(s->text, t, SAY) >= 0)
            return true;
        if (!is(s, k - 1, "on") && !is(s, k - 1, "late") && !is(s, k - 1, "early"))
            return false;
    }
    return false;
}

/* True when the date at byte off, before the trigger at byte trig, lies in
 * a relative clause opened before it ("who were taken on 3 May") that the
 * trigger's own clause then resumes: the date is the clause's verb's. */
static bool in_relative_clause(const sent *s, uint32_t off, uint32_t trig)
{
    uint32_t k = 0;
    while (k < s->n && s->t[k].off < off)
        k++;
    /* "who were taken ... on 3 May": the clause has a verb of its own
     * before the date ("who on Monday attacked" dates the trigger) */
    bool verb = false;
    for (uint32_t j = k; j > 0; j--) {
        if (clause_break(s, j - 1) && punct_of(s, j - 1) != ',')
            return false;
        if (is(s, j - 1, "who") || is(s, j - 1, "which") || is(s, j - 1, "whom"))
            return verb && trig > off;
        verb |= is(s, j - 1, "was") || is(s, j - 1, "were") || is(s, j - 1, "had") ||
                is(s, j - 1, "has") || is(s, j - 1, "have");
    }
    return false;
}

/* True when word i reads as a verb or an adverb rather than a modifier of
 * the noun after it: a word after "to" (an infinitive), a past form in -ed
 * that is not hyphenated ("redirected"; "black-clad" and "armed" are kept by
 * the hyphen or the list), or an adverb in -ly. */
static bool verb_like(const sent *s, uint32_t i)
{
    static const char *const ADJ_ED[] = { "armed", "masked", "unarmed", "suspected", "alleged",
                                          "organised", "organized", "hooded", "retired",
                                          "displaced", "unemployed", "aged", NULL };
    const td_xtok *t = &s->t[i];
    const char *w = s->text.p + t->off;
    if (i > 0 && is(s, i - 1, "to"))
        return true;
    if (memchr(w, '-', t->len))
        return false;
    if (t->len > 4 && memcmp(w + t->len - 2, "ed", 2) == 0)
        return td_xtok_oneof(s->text, t, ADJ_ED) < 0;
    return t->len > 4 && memcmp(w + t->len - 2, "ly", 2) == 0;
}

/* The people a sentence says were taken or went missing: "<people> are
 * missing", "<people> were abducted/kidnapped/seized", with the number or
 * quantifier left out ("110 girls are missing" -> "girls"); empty when
 * none. People: a plural word the list of those usually taken names. */
static td_span taken_people(const sent *s)
{
    static const char *const PEOPLE[] = { "girls", "boys", "pupils", "students", "schoolgirls",
                                          "schoolboys", "schoolchildren", "children", "women",
                                          "men", "villagers", "passengers", "worshippers",
                                          "workers", "farmers", "fishermen", "teachers",
                                          "nuns", "priests", "tourists", "travellers",
                                          "travelers", "hostages", "civilians", "residents",
                                          "migrants", "aid workers", NULL };
    for (uint32_t k = 0; k + 2 < s->n; k++) {
        if (td_xtok_oneof(s->text, &s->t[k], PEOPLE) < 0)
            continue;
        uint32_t v = k + 1;
        if (is(s, v, "are") || is(s, v, "were") || is(s, v, "remain") || is(s, v, "have") ||
            is(s, v, "had") || is(s, v, "still"))
            v++;
        if (is(s, v, "been") || is(s, v, "still") || is(s, v, "reportedly") || is(s, v, "feared"))
            v++;
        if (v < s->n && v > k + 1 &&
            (is(s, v, "missing") || is(s, v, "abducted") || is(s, v, "kidnapped") ||
             is(s, v, "seized") || is(s, v, "taken") || is(s, v, "unaccounted")))
            return tspan(s, k, k + 1);
    }
    return (td_span){ 0, 0 };
}

/* True when the word "since" lies between bytes from and to: what follows
 * it is the earlier event the sentence measures this one against ("the
 * deadliest attack since the 2014 bombing"), so its date is that one's. */
static bool since_adverb(const sent *s, uint32_t k);

/* True when "follows", "followed" or "came/comes after" lies between bytes
 * from and to: what follows it is another, earlier event ("The talks
 * follow the army's offensive in March"), whose date that is. */
static bool follows_between(const sent *s, uint32_t from, uint32_t to)
{
    for (uint32_t k = 0; k < s->n && s->t[k].off < to; k++) {
        if (s->t[k].off < from)
            continue;
        if (is(s, k, "follows") || is(s, k, "followed") || is(s, k, "follow") ||
            ((is(s, k, "came") || is(s, k, "comes") || is(s, k, "come")) && is(s, k + 1, "after")))
            return true;
    }
    return false;
}

static bool since_between(const sent *s, uint32_t from, uint32_t to)
{
    for (uint32_t k = 0; k < s->n && s->t[k].off < to; k++)
        if (s->t[k].off >= from && is(s, k, "since") && !since_adverb(s, k))
            return true;
    return false;
}

/* True when "since" at token k is the adverb ("has since been suspended",
 * "since then"), not the start of an earlier event. */
static bool since_adverb(const sent *s, uint32_t k)
{
    return (k > 0 && (is(s, k - 1, "has") || is(s, k - 1, "have") || is(s, k - 1, "had") ||
                      is(s, k - 1, "having") || is(s, k - 1, "ever") || is(s, k - 1, "long"))) ||
           (k + 1 < s->n && (is(s, k + 1, "been") || is(s, k + 1, "then") || is(s, k + 1, "become") ||
                             is(s, k + 1, "fled") || is(s, k + 1, "returned")));
}

/* The crowd of a protest: "protesters", "students", "demonstrators" with up
 * to two modifiers before ("anti-extradition protesters", "striking dock
 * workers"); the first such phrase of the sentence, or an empty span. */
static td_span crowd_phrase(const sent *s)
{
    static const char *const CROWD[] = { "protester", "protestor", "demonstrator", "marcher", "rioter",
                                         "activist", "students", "workers", "supporters", NULL };
    static const char *const NOT_MOD[] = { "the", "a", "of", "and", "by", "some", "many", "few",
                                           "thousands", "hundreds", "dozens", "tens", "more",
                                           "than", "other", "with", "as", "to", "on", "at", "in",
                                           "back", "off", "out", "up", "down", "away", "against",
                                           "among", "were", "was", "are", "is", "had", "have",
                                           "has", "said", "told", "police", NULL };
    for (uint32_t k = 0; k < s->n; k++) {
        bool hit = false;
        for (int c = 0; CROWD[c] && !hit; c++)
            hit = td_xtok_starts(s->text, &s->t[k], CROWD[c]);
        if (!hit || s->t[k].kind != TD_XT_WORD)
            continue;
        /* a modifier is no verb: "tried to stop protesters", "fired to
         * disperse protestors", "had redirected protesters", "beat back
         * demonstrators" name the crowd without the verb; an adverb
         * ("mostly young") qualifies, it does not name */
        uint32_t a = k;
        while (a > 0 && k - a < 2 && s->t[a - 1].kind == TD_XT_WORD &&
               td_xtok_oneof(s->text, &s->t[a - 1], NOT_MOD) < 0 &&
               !(s->t[a - 1].flags & TD_XTF_CAP) && !verb_like(s, a - 1))
            a--;
        /* "mostly young protesters": what an adverb grades describes the
         * crowd, it does not name it */
        if (a < k && a > 0 && s->t[a - 1].kind == TD_XT_WORD && s->t[a - 1].len > 4 &&
            memcmp(s->text.p + s->t[a - 1].off + s->t[a - 1].len - 2, "ly", 2) == 0)
            a = k;
        return tspan(s, a, k + 1);
    }
    return (td_span){ 0, 0 };
}

/* True when span sp of text names a news agency (the wire services whose
 * names appear in attributions), with or without "the". */
static bool news_agency(td_str text, td_span sp)
{
    static const char *const AGENCY[] = { "reuters", "associated press", "ap", "afp",
                                          "agence france-presse", "agence france presse",
                                          "xinhua", "anadolu", "anadolu agency", "dpa", "efe",
                                          "ansa", "kyodo", "yonhap", "bernama", "interfax", "tass",
                                          "pti", "ani", "upi", "news agency", "the news agency",
                                          NULL };
    if (!sp.len || sp.off + sp.len > text.len)
        return false;
    td_str w = { text.p + sp.off, sp.len };
    if (td_str_istarts(w, TD_STR_LIT("the ")))
        w = (td_str){ w.p + 4, w.len - 4 };
    for (int i = 0; AGENCY[i]; i++)
        if (td_str_ieq(w, td_str_cstr(AGENCY[i])))
            return true;
    /* "Lebanese broadcaster Al-Marsad", "the ministry's newspaper Al
     * Nour", "state television channel Orsk 1": named as an outlet */
    static const char *const MEDIA[] = { "broadcaster", "newspaper", "daily", "channel", "network",
                                         "television", "tv", "radio", "outlet", "website",
                                         "tabloid", "weekly", "paper", NULL };
    size_t e = sp.off;
    while (e > 0 && text.p[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && ((text.p[b - 1] >= 'a' && text.p[b - 1] <= 'z') ||
                     (text.p[b - 1] >= 'A' && text.p[b - 1] <= 'Z')))
        b--;
    if (e == b || e == sp.off)
        return false;
    td_str prev = { text.p + b, e - b };
    for (int i = 0; MEDIA[i]; i++)
        if (td_str_ieq(prev, td_str_cstr(MEDIA[i])))
            return true;
    return false;
}

/* Fills the fields of one mention from sentence s and the trigger window. */
/* "The Dawn Front claimed responsibility (for ...)": the claimant, or an
 * empty span. A claim names the perpetrator of the sentence's attack, or of
 * the previous sentence's when it reports none. */
static td_span claimant(const sent *s)
{
    for (uint32_t k = 1; k + 1 < s->n; k++) {
        if (!(is(s, k, "claimed") || is(s, k, "claims") || is(s, k, "claiming")) ||
            !(is(s, k + 1, "responsibility") || is(s, k + 1, "credit")))
            continue;
        bool passive;
        td_span sp = np_left(s, k, 0, &passive);
        return !passive && actor_like(s, sp) ? sp : (td_span){ 0, 0 };
    }
    return (td_span){ 0, 0 };
}

/* Index of the token starting at byte off, or s->n. */
static uint32_t tok_at(const sent *s, uint32_t off)
{
    uint32_t k = 0;
    while (k < s->n && s->t[k].off < off)
        k++;
    return k < s->n && s->t[k].off == off ? k : s->n;
}

/* True when a pronoun of the speaker follows the verb of saying at k
 * (a time phrase may come first) before the trigger at i. */
static bool own_report(const sent *s, uint32_t k, uint32_t i)
{
    static const char *const PRON[] = { "it", "its", "they", "their", "he", "she", "we", "i",
                                         "his", "her", "our", NULL };
    for (uint32_t j = k; j < i && j < k + 5; j++)
        if (td_xtok_oneof(s->text, &s->t[j], PRON) >= 0)
            return true;
    return false;
}

/* True when the name at token k is introduced as an owner or user: "run
 * by", "used by Yemen's", "controlled by the" within the four tokens before
 * it. */
static bool owner_phrase(const sent *s, uint32_t k)
{
    if (k >= s->n)
        return false;
    static const char *const OWN[] = { "run", "used", "held", "controlled", "operated", "owned",
                                       "managed", "occupied", "kept", "guarded", "manned",
                                       "frequented", "belonging", NULL };
    for (uint32_t j = k; j > 1 && k - j < 4; j--) {
        if (clause_break(s, j - 1))
            return false;
        if (is(s, j - 1, "by") || is(s, j - 1, "to"))
            return td_xtok_oneof(s->text, &s->t[j - 2], OWN) >= 0;
    }
    return false;
}

/* True when the name at sp speaks: a verb of saying follows it, right away
 * or after an appositive or a role ("Hadri said", "Ali Maro, a local medic,
 * said", "a senior UN official says"); the token after the verb goes to
 * *next (s->n when none). */
static bool speaker(const sent *s, td_span sp, uint32_t *next)
{
    static const char *const SAY[] = { "said", "says", "told", "reported", "added",
                                       "confirmed", "stated", "tweeted", "wrote", NULL };
    uint32_t k = tok_at(s, sp.off);
    while (k < s->n && s->t[k].off < sp.off + sp.len)
        k++;
    uint32_t commas = 0;
    for (uint32_t j = k; j < s->n && j < k + 6; j++) {
        if (td_xtok_oneof(s->text, &s->t[j], SAY) >= 0) {
            *next = j + 1;
            return true;
        }
        if (s->t[j].kind == TD_XT_PUNCT) {
            if (punct_of(s, j) != ',' || ++commas > 2)
                return false;
        } else if (td_xtok_oneof(s->text, &s->t[j], NP_STOP) >= 0) {
            return false;
        }
    }
    return false;
}

static bool capitalised_phrase(td_str text, td_span sp);
static bool institution(td_str text, td_span sp);

/* True when a caller place name starts at token k. */
static bool place_starts(const td_event_input *in, const sent *s, uint32_t k)
{
    if (k >= s->n)
        return false;
    for (uint32_t n = 0; n < in->n_names && in->names[n].span.off <= s->t[k].off; n++)
        if (in->names[n].span.off == s->t[k].off && in->names[n].type == TD_NAME_PLACE)
            return true;
    return false;
}

/*
 * The place of the trigger at tokens [i, after): the caller place nearest to
 * it in [win_lo, win_hi), the most specific level first (name_in's ranking),
 * but a place in the trigger's own clause before any other ("Protesters
 * stormed Harland's assembly, the anniversary of ... rule from Corlan" is
 * Harland's; a comma before a place name is an apposition, "in the capital,
 * Dorvani,", and does not end the clause); for movement events a place
 * after "to", "towards" or "from" is where the crowd or the fighters went or
 * came from ("forced to retreat to Hennig Road"), not where it happened, and
 * comes after the others.
 */
static const td_name_span *place_in(const td_event_input *in, const sent *s, uint32_t i,
                                    uint32_t after, uint32_t win_lo, uint32_t win_hi, bool moves,
                                    bool *weak)
{
    uint32_t c_lo = i, c_hi = after;
    while (c_lo > 0 && !(clause_break(s, c_lo - 1) && !place_starts(in, s, c_lo)))
        c_lo--;
    while (c_hi < s->n && !(clause_break(s, c_hi) && !place_starts(in, s, c_hi + 1)))
        c_hi++;
    uint32_t clo = s->t[c_lo].off;
    uint32_t chi = c_hi < s->n ? s->t[c_hi].off : s->t[s->n - 1].off + s->t[s->n - 1].len;
    uint32_t at = s->t[i].off;
    const td_name_span *best = NULL;
    uint32_t bestd = UINT32_MAX;
    for (uint32_t n = 0; n < in->n_names; n++) {
        const td_name_span *nm = &in->names[n];
        if (nm->span.off >= win_hi)
            break;
        if (nm->span.off < win_lo || nm->type != TD_NAME_PLACE)
            continue;
        uint32_t d = nm->span.off >= at ? (nm->span.off - at) / 4 : at - nm->span.off;
        if (nm->level)
            d = d / (nm->level * nm->level) + (uint32_t)(3 - (nm->level > 3 ? 3 : nm->level)) * 1000;
        if (nm->span.off < clo || nm->span.off >= chi)
            d += 10000;
        if (moves) {
            uint32_t k = tok_at(s, nm->span.off);
            if (k < s->n && k > 0 && is(s, k - 1, "the"))
                k--;
            if (k < s->n && k > 0 &&
                (is(s, k - 1, "to") || is(s, k - 1, "towards") || is(s, k - 1, "toward") ||
                 is(s, k - 1, "from")))
                d += 5000;
        }
        if (d < bestd) {
            bestd = d;
            best = nm;
        }
    }
    *weak = !best || bestd >= 5000;
    return best;
}

/* A seat of power the caller names as an organisation, where the trigger's
 * clause puts the crowd or the attack: "at/outside/near/into/inside the
 * Legislative Council", "in front of Parliament"; NULL when none. */
static const td_name_span *seat_in_clause(const td_event_input *in, const sent *s, uint32_t i,
                                          uint32_t lo, uint32_t hi)
{
    static const char *const LOC[] = { "at", "outside", "near", "into", "inside", "around",
                                       "of", "besieged", "surrounded", NULL };
    uint32_t a = i, b = i;
    while (a > lo && !clause_break(s, a - 1))
        a--;
    while (b < hi && !clause_break(s, b))
        b++;
    for (uint32_t n = 0; n < in->n_names; n++) {
        const td_name_span *nm = &in->names[n];
        if (nm->type != TD_NAME_ORG || nm->span.off < s->t[a].off)
            continue;
        if (b < s->n && nm->span.off >= s->t[b].off)
            break;
        uint32_t k = tok_at(s, nm->span.off);
        if (k >= s->n || k == 0 || !institution(s->text, nm->span))
            continue;
        if (is(s, k - 1, "the"))
            k--;
        /* "of" only as "in front of" */
        if (k > 0 && td_xtok_oneof(s->text, &s->t[k - 1], LOC) >= 0 &&
            (!is(s, k - 1, "of") || (k >= 3 && is(s, k - 2, "front") && is(s, k - 3, "in"))))
            return nm;
    }
    return NULL;
}

/* True when span sp of text names a seat of power a crowd can march on,
 * storm or besiege: one of its words is a legislature, a ministry, an
 * embassy or a palace ("the Legislative Council Complex", "Parliament",
 * "the Velorian Embassy"). */
static bool institution(td_str text, td_span sp)
{
    static const char *const SEAT[] = { "council", "parliament", "assembly", "congress",
                                        "legislature", "senate", "embassy", "consulate",
                                        "ministry", "palace", "headquarters", "capitol",
                                        "secretariat", "chamber", "legco", "duma", "majlis",
                                        "bundestag", "knesset", "courthouse", "statehouse",
                                        NULL };
    if (!sp.len || sp.off + sp.len > text.len)
        return false;
    const char *p = text.p + sp.off, *end = p + sp.len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '-'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '-' && *p != '\'')
            p++;
        td_str word = { w, (size_t)(p - w) };
        for (int k = 0; SEAT[k]; k++)
            if (td_str_ieq(word, td_str_cstr(SEAT[k])))
                return true;
        while (p < end && *p != ' ')
            p++;
    }
    return false;
}

/* The organiser of a protest named in an apposition that says so: "the
 * Civic Front, the group that organised the march, said" -> "Civic Front".
 * i is the trigger token; returns the caller name or NULL. */
static const td_name_span *organiser(const td_event_input *in, const sent *s, uint32_t i)
{
    static const char *const ORG_VERB[] = { "organised", "organized", "organises", "organizes",
                                            "called", "led", "leads", "staged", "planned",
                                            "arranged", NULL };
    uint32_t k = i;
    while (k > 0 && td_xtok_oneof(s->text, &s->t[k - 1], DET) >= 0)
        k--;
    if (k < 3 || td_xtok_oneof(s->text, &s->t[k - 1], ORG_VERB) < 0 ||
        !(is(s, k - 2, "that") || is(s, k - 2, "which") || is(s, k - 2, "who")))
        return NULL;
    for (uint32_t j = k - 2; j > 0 && k - j < 8; j--) {
        if (punct_of(s, j - 1) != ',')
            continue;
        if (j < 2)
            return NULL;
        uint32_t end = s->t[j - 2].off + s->t[j - 2].len;
        for (uint32_t n = 0; n < in->n_names; n++) {
            const td_name_span *nm = &in->names[n];
            if (nm->span.off > end)
                break;
            if (nm->span.off + nm->span.len == end && nm->type == TD_NAME_ORG)
                return nm;
        }
        return NULL;
    }
    return NULL;
}

static void arguments(const td_event_input *in, const sent *s, const td_trigger *tg,
                      uint32_t lo, uint32_t hi, td_event_mention *m)
{
    uint32_t i = tg->tok, after = tg->tok + tg->n_tok;
    uint32_t clause = i;
    while (clause > lo && (!clause_break(s, clause - 1) ||
                           /* scare quotes around the trigger's phrase
                            * ("launched an “immediate review”") */
                           ((s->t[clause - 1].flags & TD_XTF_QUOTE) && i - clause < 3 &&
                            clause >= 2 && s->t[clause - 2].kind == TD_XT_WORD)))
        clause--;
    /* actor: "by X" after the trigger, else the subject before it */
    bool passive = false;
    static const char *const BY_PATH[] = { "carried", "out", "launched", "conducted", "staged",
                                           "mounted", "was", "were", "allegedly", "reportedly",
                                           "apparently", "claimed", "led", "organised",
                                           "organized", "called", "sponsored", "fired",
                                           "planted", "dropped", "detonated", NULL };
    /* the trigger's own complements may come first: "an attack on a
     * school in the north-east by suspected insurgents" */
    static const char *const PP[] = { "on", "in", "at", "near", "against", "targeting", "of",
                                      NULL };
    bool pp = false;
    for (uint32_t k = after; k < hi && k < after + 14; k++) {
        if (clause_break(s, k))
            break;
        if (td_xtok_oneof(s->text, &s->t[k], PP) >= 0 && (tg->flags & TD_TRIG_NOUN)) {
            pp = true;
            continue;
        }
        /* inside a complement a participle ends the search ("a prison run
         * by X", "a convoy led by X": X runs the prison); other words go on */
        if (pp) {
            static const char *const PART[] = { "run", "held", "built", "kept", "led", "set",
                                                "made", "hit", "shot", "seen", "taken", "owned",
                                                NULL };
            const td_xtok *w = &s->t[k];
            bool part = td_xtok_oneof(s->text, w, PART) >= 0 ||
                        (w->kind == TD_XT_WORD && w->len > 3 && !(w->flags & TD_XTF_CAP) &&
                         memcmp(s->text.p + w->off + w->len - 2, "ed", 2) == 0 &&
                         !is(s, k, "suspected") && !is(s, k, "armed"));
            if (part || is(s, k, "that") || is(s, k, "which") || is(s, k, "who") ||
                is(s, k, "said"))
                break;
            if (!is(s, k, "by"))
                continue;
        }
        if (k >= after + 6 && !pp)
            break;
        /* only "by" that attaches to the trigger: "an attack (carried out)
         * by X", not "a prison run by X" */
        if (!is(s, k, "by") && td_xtok_oneof(s->text, &s->t[k], BY_PATH) < 0)
            break;
        if (is(s, k, "by")) {
            uint32_t b = k + 1; /* "by suspected insurgents": the insurgents */
            while (b < hi && (is(s, b, "suspected") || is(s, b, "alleged") || is(s, b, "presumed")))
                b++;
            td_span sp = np_right(s, b, hi);
            if (sp.len) {
                m->actor = sp;
                /* a name opening the phrase is the actor's entity */
                const td_name_span *nm = name_in(in, sp.off, sp.off + 1, TD_NAME_PERSON, sp.off,
                                                 false);
                if (nm && nm->span.off == sp.off)
                    m->actor_id = nm->entity;
            }
            break;
        }
    }
    uint32_t win_lo = s->t[lo < s->n ? lo : 0].off;
    uint32_t win_hi = hi < s->n ? s->t[hi].off : s->t[s->n - 1].off + s->t[s->n - 1].len;
    uint32_t trig_off = s->t[i].off;
    if (!m->actor.len) {
        /* the subject opens the clause: "Iraq hits Islamic State with air
         * strikes" is Iraq's */
        const td_name_span *nm = name_in(in, s->t[clause].off, trig_off, TD_NAME_PERSON,
                                         s->t[clause].off, false);
        td_span left = np_left(s, i, clause, &passive);
        /* the head of a subject is its last name: "UN Secretary-General
         * Ines Varo condemned", "Velorian army spokesman Ali Maro said" */
        if (nm && left.len) {
            for (uint32_t k = 0; k < in->n_names && in->names[k].span.off < left.off + left.len; k++) {
                const td_name_span *h = &in->names[k];
                if (h->span.off >= left.off && h->span.off + h->span.len == left.off + left.len &&
                    (h->type == TD_NAME_PERSON || h->type == TD_NAME_ORG))
                    nm = h;
            }
        }
        uint32_t sayk = s->n;
        if (passive) {
            if (!m->target.len)
                m->target = left;
        } else if (nm && speaker(s, nm->span, &sayk) && sayk < i &&
                   !own_report(s, sayk, i) &&
                   (i - sayk > 3 ||
                    (after < s->n &&
                     (is(s, after, "hit") || is(s, after, "struck") || is(s, after, "hits") ||
                      is(s, after, "targeted") || is(s, after, "killed") ||
                      is(s, after, "destroyed"))))) {
            /* "the Red Cross said the attack struck a bus": the speaker
             * describes an attack that is the subject of its own verb, and
             * "the agency says reports indicate 140 were killed in an air
             * strike" one deep in what it reports; "the coalition said it
             * carried out", "the minister said on Friday he had ordered",
             * "the command said the strikes took place" may tell of their
             * own act */
            if (left.len && !(nm->span.off + nm->span.len > left.off &&
                              nm->span.off < left.off + left.len))
                m->actor = left;
        } else if (nm) {
            m->actor = left.len && nm->span.off >= left.off &&
                               nm->span.off + nm->span.len <= left.off + left.len
                           ? left
                           : nm->span;
            m->actor_id = nm->entity;
        } else {
            m->actor = left;
            /* "the army said its jets struck": whose jets, the speaker's */
            uint32_t f = left.len ? tok_at(s, left.off) : s->n;
            if (f >= 2 && f < s->n && (is(s, f - 1, "its") || is(s, f - 1, "their")) &&
                (is(s, f - 2, "said") || is(s, f - 2, "says") || is(s, f - 2, "announced") ||
                 is(s, f - 2, "claimed"))) {
                bool pv;
                td_span who = np_left(s, f - 2, lo, &pv);
                if (!pv && actor_like(s, who))
                    m->actor = who;
            }
        }
    }
    /* "Ilse Varo, the only pupil still held, made an attempt to escape",
     * "the Front, whose name means ..., has killed 900": a subject the
     * sentence opens with, then an apposition between commas, then the
     * clause of the trigger without a subject of its own */
    if (!m->actor.len && !passive && clause > 0 && punct_of(s, clause - 1) == ',' && lo == 0) {
        for (uint32_t n = 0; n < in->n_names && in->names[n].span.off <= s->t[0].off; n++) {
            const td_name_span *h = &in->names[n];
            uint32_t e = tok_at(s, h->span.off);
            if (h->span.off != s->t[0].off || (h->type != TD_NAME_PERSON && h->type != TD_NAME_ORG))
                continue;
            while (e < s->n && s->t[e].off < h->span.off + h->span.len)
                e++;
            bool verbless = true; /* the apposition has no verb of saying */
            for (uint32_t k = e; k < clause && verbless; k++)
                verbless = !is(s, k, "said") && !is(s, k, "says") && !is(s, k, "told");
            if (e < s->n && punct_of(s, e) == ',' && e < clause && verbless) {
                m->actor = h->span;
                m->actor_id = h->entity;
            }
            break;
        }
    }
    /* "Kelvar said it had launched a review", "the rebels said they
     * attacked": a speaker telling of its own act, whatever it is (a
     * country, which the subject rule does not take, included) */
    /* (not for a bare "killed": "the army says the 12 it killed were
     * fighters" refers to the strike the article reports, see generic) */
    if ((!m->actor.len || !actor_like(s, m->actor)) && tg->type != TD_EV_DISASTER &&
        tg->type != TD_EV_KILLING) {
        static const char *const SAY[] = { "said", "says", "announced", "stated", "claimed", NULL };
        for (uint32_t k = i; k > clause && k > lo && i - k < 8; k--) {
            if (td_xtok_oneof(s->text, &s->t[k - 1], SAY) < 0)
                continue;
            if (own_report(s, k, i) && k >= 2) {
                bool pv;
                td_span who = np_left(s, k - 1, lo, &pv);
                if (!pv && actor_like(s, who)) {
                    m->actor = who;
                    for (uint32_t n = 0; n < in->n_names; n++)
                        if (in->names[n].span.off >= who.off &&
                            in->names[n].span.off + in->names[n].span.len == who.off + who.len)
                            m->actor_id = in->names[n].entity;
                }
            }
            break;
        }
    }
    if (!m->actor.len && violent(tg->type))
        m->actor = claimant(s);
    if (!actor_like(s, m->actor))
        m->actor = (td_span){ 0, 0 };
    /* protests: the crowd ("anti-extradition protesters") unless a named
     * organisation leads it */
    if (tg->type == TD_EV_PROTEST) {
        const td_name_span *org = organiser(in, s, i);
        if (org) {
            m->actor = org->span;
            m->actor_id = org->entity;
        }
        /* a name after the crowd is no subject: "Protesters retreated to
         * the street near the Finance Centre after police fired" */
        td_span crowd = crowd_phrase(s);
        if (crowd.len && (m->actor_id < 0 || (!org && crowd.off < m->actor.off))) {
            m->actor = crowd;
            m->actor_id = -1;
        }
    }
    /* statements: the person or body who spoke, wherever the sentence names
     * them ("Ostrova condemned", "..., said Lena Ostrova") */
    if (tg->type == TD_EV_STATEMENT && m->actor_id < 0) {
        const td_name_span *sp = name_in(in, s->t[0].off, s->t[s->n - 1].off + s->t[s->n - 1].len,
                                         TD_NAME_PERSON, trig_off, false);
        if (sp) {
            m->actor = sp->span;
            m->actor_id = sp->entity;
        }
    }
    /* releases and escapes: the captor is the party acted on ("still in
     * Front custody, made an attempt to escape", "freed from the captivity
     * of the Front", "escaped from rebels holding them") */
    if (tg->type == TD_EV_OTHER && !m->target.len) {
        for (uint32_t k = 1; k < s->n && !m->target.len; k++) {
            if (!is(s, k, "custody") && !is(s, k, "captivity"))
                continue;
            /* "<Org> custody": the name ends right before */
            uint32_t end = s->t[k - 1].off + s->t[k - 1].len;
            for (uint32_t n = 0; n < in->n_names && in->names[n].span.off < end; n++)
                if (in->names[n].span.off + in->names[n].span.len == end &&
                    in->names[n].type == TD_NAME_ORG) {
                    m->target = in->names[n].span;
                    m->target_id = in->names[n].entity;
                }
            /* "custody of the Front", "captivity by the Front" */
            if (!m->target.len && k + 1 < s->n && (is(s, k + 1, "of") || is(s, k + 1, "by"))) {
                uint32_t b = k + 2 < s->n && is(s, k + 2, "the") ? k + 3 : k + 2;
                for (uint32_t n = 0; b < s->n && n < in->n_names; n++)
                    if (in->names[n].span.off == s->t[b].off && in->names[n].type == TD_NAME_ORG) {
                        m->target = in->names[n].span;
                        m->target_id = in->names[n].entity;
                    }
            }
        }
    }
    /* "They met with President Ilse Maran": without a named subject, the
     * named party met is the one the meeting is reported for */
    if (tg->type == TD_EV_MEETING && m->actor_id < 0 && !m->actor.len) {
        for (uint32_t k = after; k < hi && k < after + 3; k++) {
            if (!is(s, k, "with"))
                continue;
            uint32_t lim = hi < s->n ? s->t[hi].off : s->t[s->n - 1].off + s->t[s->n - 1].len;
            const td_name_span *w = name_in(in, s->t[k].off, lim, TD_NAME_PERSON, s->t[k].off, false);
            if (w && w->span.off <= s->t[k].off + 48) {
                m->actor = w->span;
                m->actor_id = w->entity;
            }
            break;
        }
    }
    /* "condemned the rebels", "denounced the “riot behaviour” of the
     * protesters": a condemnation is aimed at the party it names; "condemned
     * the attack" names none (the attacker comes from the main event) */
    if (tg->type == TD_EV_STATEMENT && !m->target.len && after < hi &&
        (td_xtok_starts(s->text, &s->t[i], "condemn") || td_xtok_starts(s->text, &s->t[i], "denounc") ||
         td_xtok_starts(s->text, &s->t[i], "criticis") || td_xtok_starts(s->text, &s->t[i], "criticiz") ||
         td_xtok_starts(s->text, &s->t[i], "blame") || td_xtok_starts(s->text, &s->t[i], "accus") ||
         td_xtok_starts(s->text, &s->t[i], "slammed"))) {
        /* the object may quote a word that is a trigger of its own ("the
         * “riot” of the protesters"): the phrase runs past the window */
        uint32_t k = after, end = s->n;
        while (k < end && k < after + 8 && !is(s, k, "of") && !is(s, k, "by") &&
               (s->t[k].kind == TD_XT_WORD || (s->t[k].flags & TD_XTF_QUOTE)) &&
               td_xtok_oneof(s->text, &s->t[k], NP_STOP) < 0)
            k++;
        td_span obj = np_right(s, after, hi);
        td_span of = k + 1 < end && (is(s, k, "of") || is(s, k, "by")) ? np_right(s, k + 1, end)
                                                                        : (td_span){ 0, 0 };
        m->target = actor_like(s, of) ? of : actor_like(s, obj) ? obj : m->target;
    }
    /* an abduction is done to the people taken: "110 girls are missing
     * after an attack on a school" took the girls, not the school */
    if (tg->type == TD_EV_RAID_OR_ARREST && m->target_id < 0) {
        td_span ppl = taken_people(s);
        if (ppl.len && (!m->target.len || !capitalised_phrase(s->text, m->target)))
            m->target = ppl;
    }
    if (tg->type == TD_EV_DISASTER)
        m->actor = m->target = (td_span){ 0, 0 }; /* nobody does an earthquake */
    /* "protesters stormed the Grand Assembly": storming takes the
     * place stormed as its object, whatever the lexicon entry says */
    if (!m->target.len && tg->type == TD_EV_PROTEST && after < hi &&
        td_xtok_starts(s->text, &s->t[i], "storm") && s->t[after].kind == TD_XT_WORD &&
        !is(s, after, "on") && !is(s, after, "in") && !is(s, after, "after"))
        m->target = np_right(s, after, hi);
    /* target: "on/against/targeting X" or the object of a verb trigger */
    if (!m->target.len) {
        for (uint32_t k = after; k < hi && k < after + 4; k++) {
            if (clause_break(s, k))
                break;
            if (is(s, k, "on") || is(s, k, "against") || is(s, k, "targeting") ||
                is(s, k, "at") || is(s, k, "targeted")) {
                if (k + 1 < s->n && (td_xtok_oneof(s->text, &s->t[k + 1], WEEKDAYS) >= 0 ||
                                     td_xtok_oneof(s->text, &s->t[k + 1], MONTHS) >= 0 ||
                                     s->t[k + 1].kind == TD_XT_NUM))
                    break;
                m->target = np_right(s, k + 1, hi);
                break;
            }
        }
        /* "an air strike hit a school bus": the verb after a noun trigger */
        if (!m->target.len && (tg->flags & TD_TRIG_NOUN) && after + 1 < hi &&
            (is(s, after, "hit") || is(s, after, "hits") || is(s, after, "struck") ||
             is(s, after, "targeted") || is(s, after, "destroyed") || is(s, after, "killed") ||
             is(s, after, "slammed") || is(s, after, "flattened") || is(s, after, "damaged")))
            m->target = np_right(s, after + 1 + is(s, after + 1, "into"), hi);
        /* a verb's object, but "the protest area", "a riot squad" are nouns
         * with a modifier, and "clashes broke out" has no object */
        static const char *const NO_OBJ[] = { "broke", "erupted", "began", "started",
                                              "continued", "spread", "flared", "ended",
                                              "area", "site", "zone", "leaders", NULL };
        static const char *const PREP[] = { "through", "across", "to", "towards", "toward",
                                            "along", "past", "outside", "around", "into", "from",
                                            "near", "down", "up", "over", "under", "for", "with",
                                            "during", "after", "before", "by", "at", "onto",
                                            "off", "out", "peacefully", "again", NULL };
        if (!m->target.len && (tg->flags & TD_TRIG_VERB) && after < hi &&
            s->t[after].kind == TD_XT_WORD && !is(s, after, "on") && !is(s, after, "in") &&
            td_xtok_oneof(s->text, &s->t[after], PREP) < 0 &&
            !(i > 0 && td_xtok_oneof(s->text, &s->t[i - 1], DET) >= 0) &&
            td_xtok_oneof(s->text, &s->t[after], NO_OBJ) < 0)
            m->target = np_right(s, after, hi);
    }
    /* "a hall packed with mourners", "a bus full of pupils": the people
     * in it are who was attacked, so the phrase keeps them */
    if (violent(tg->type) && m->target.len) {
        uint32_t e = tok_at(s, m->target.off);
        while (e < s->n && s->t[e].off < m->target.off + m->target.len)
            e++;
        bool packed = e + 1 < hi && e > 0 && (is(s, e, "with") || is(s, e, "of")) &&
                      (is(s, e - 1, "packed") || is(s, e - 1, "crowded") ||
                       is(s, e - 1, "filled") || is(s, e - 1, "full") ||
                       is(s, e - 1, "loaded") || is(s, e - 1, "carrying"));
        /* "a bus of pupils", "a convoy of refugees": a group noun's people */
        static const char *const GROUP[] = { "bus", "busload", "convoy", "boat", "truck",
                                             "group", "crowd", "column", "gathering", NULL };
        bool group = e + 1 < hi && e > 0 && is(s, e, "of") &&
                     td_xtok_oneof(s->text, &s->t[e - 1], GROUP) >= 0;
        if (packed || group) {
            td_span ppl = np_right(s, e + 1, hi);
            if (ppl.len)
                m->target.len = ppl.off + ppl.len - m->target.off;
        }
    }
    /* "gunmen attacked a chapel, killing 14 worshippers": a bare thing
     * struck yields to the people the attack killed or hurt, when they are
     * named by a role (not "people", "others") */
    if (violent(tg->type) && m->target.len && m->target_id < 0) {
        bool thing = true;
        for (uint32_t k = tok_at(s, m->target.off);
             k < s->n && s->t[k].off < m->target.off + m->target.len; k++)
            thing &= !(s->t[k].flags & TD_XTF_CAP) && s->t[k].kind != TD_XT_NUM;
        for (uint32_t k = after; thing && k + 1 < hi; k++) {
            if (!is(s, k, "killing") && !is(s, k, "wounding") && !is(s, k, "injuring"))
                continue;
            static const char *const QUANT[] = { "at", "least", "more", "than", "some", "about",
                                                 "nearly", "up", "to", "over", "around", NULL };
            uint32_t b = k + 1;
            while (b < hi && td_xtok_oneof(s->text, &s->t[b], QUANT) >= 0)
                b++;
            if (b >= hi || s->t[b].kind != TD_XT_NUM)
                break;
            td_span ppl = np_right(s, b + 1, hi);
            static const char *const VAGUE[] = { "people", "persons", "others", "person",
                                                 "more", "of", NULL };
            uint32_t l = tok_at(s, ppl.off);
            while (l + 1 < s->n && s->t[l + 1].off < ppl.off + ppl.len)
                l++;
            if (ppl.len && l < s->n && td_xtok_oneof(s->text, &s->t[l], VAGUE) < 0 &&
                s->t[l].kind == TD_XT_WORD &&
                (s->text.p[s->t[l].off + s->t[l].len - 1] == 's' || is(s, l, "children")))
                m->target = ppl;
            break;
        }
    }
    /* place: caller places in the window, else "in X" */
    bool weak = false, moves = violent(tg->type) || tg->type == TD_EV_PROTEST;
    const td_name_span *pl = place_in(in, s, i, after, win_lo, win_hi, moves, &weak);
    const td_name_span *seat_nm = moves && weak ? seat_in_clause(in, s, i, lo, hi) : NULL;
    if (seat_nm) {
        m->place = seat_nm->span; /* text only: the organisation is no gazetteer place */
    } else if (pl) {
        m->place = pl->span;
        m->place_id = pl->entity;
        m->place_level = pl->level;
    } else {
        td_span sp = place_after(s, after, hi);
        if (!sp.len)
            sp = place_after(s, lo, i);
        /* "to the UN", "at Reuters": what the entity stage knows as a person
         * or an organisation is no place (a seat of power is taken above) */
        for (uint32_t n = 0; sp.len && n < in->n_names && in->names[n].span.off < sp.off + sp.len; n++)
            if (in->names[n].type != TD_NAME_PLACE && in->names[n].span.off < sp.off + sp.len &&
                in->names[n].span.off + in->names[n].span.len > sp.off)
                sp = (td_span){ 0, 0 };
        m->place = sp;
    }
    /* the outlet that reports ("according to Reuters", "a witness told
     * the Associated Press") is no party to the event nor its place */
    if (news_agency(s->text, m->actor)) {
        m->actor = (td_span){ 0, 0 };
        m->actor_id = -1;
    }
    if (news_agency(s->text, m->target)) {
        m->target = (td_span){ 0, 0 };
        m->target_id = -1;
    }
    if (news_agency(s->text, m->place)) {
        m->place = (td_span){ 0, 0 };
        m->place_id = -1;
        m->place_level = 0;
    }
    /* a crowd at a seat of power acts on it: "protesters tried to barge
     * into the Legislative Council Complex", "a rally outside Parliament" */
    bool seat = tg->type == TD_EV_PROTEST && m->place.len && institution(s->text, m->place);
    if (seat && (!m->target.len || !capitalised_phrase(s->text, m->target)))
        m->target = m->place;
    /* a target that is the place itself says nothing more */
    if (!seat && m->target.len && m->place.len && m->target.off == m->place.off)
        m->target = (td_span){ 0, 0 };
    /* "Maran meets freed Orsk pupils": a place inside the party met or
     * addressed says where they come from, not where the meeting was */
    if ((tg->type == TD_EV_MEETING || tg->type == TD_EV_STATEMENT || tg->type == TD_EV_AGREEMENT) &&
        m->target.len && m->place.len && m->place.off > m->target.off &&
        m->place.off + m->place.len <= m->target.off + m->target.len) {
        m->place = (td_span){ 0, 0 };
        m->place_id = -1;
        m->place_level = 0;
    }
    /* violence is done to a party: a group or person named in the clause
     * after the trigger ("struck a convoy of the Front", "kidnapped
     * engineer Jon Brek") rather than the building or convoy; but a party
     * that only runs or uses the place struck ("a prison run by the
     * Front", "a depot used by rebels") is its owner: the place stays */
    if (violent(tg->type) && m->target_id < 0) {
        uint32_t end = after;
        while (end < hi && !is(s, end, "said") && !is(s, end, "told") && !is(s, end, "says") &&
               !(clause_break(s, end) && punct_of(s, end) != ','))
            end++;
        uint32_t lim = end < s->n ? s->t[end].off : s->t[s->n - 1].off + s->t[s->n - 1].len;
        const td_name_span *tn = after < s->n ? name_in(in, s->t[after].off, lim, TD_NAME_PERSON,
                                                        s->t[after].off, false)
                                              : NULL;
        uint32_t nx;
        if (tn && speaker(s, tn->span, &nx))
            tn = NULL; /* "..., Hadri said": who reports, not who was hit */
        if (tn && m->target.len && owner_phrase(s, tok_at(s, tn->span.off)))
            tn = NULL;
        /* "an attack that President Ilse Maran on Friday called a disaster":
         * the name is the subject of its own verb */
        if (tn) {
            uint32_t k = tok_at(s, tn->span.off);
            while (k < s->n && s->t[k].off < tn->span.off + tn->span.len)
                k++;
            if (k + 1 < s->n && is(s, k, "on") && td_xtok_oneof(s->text, &s->t[k + 1], WEEKDAYS) >= 0)
                k += 2;
            else if (k < s->n && (is(s, k, "yesterday") || is(s, k, "also") || is(s, k, "later")))
                k++;
            static const char *const VERB[] = { "called", "described", "said", "says", "told",
                                                "condemned", "announced", "declared", "termed",
                                                "branded", "denounced", "blamed", NULL };
            if (k < s->n && td_xtok_oneof(s->text, &s->t[k], VERB) >= 0)
                tn = NULL;
        }
        /* "criticism from the United Nations", "a plea to the Red Cross":
         * a name a preposition other than "of" introduces is no object */
        if (tn) {
            uint32_t k = tok_at(s, tn->span.off);
            if (k < s->n && k > 0 && is(s, k - 1, "the"))
                k--;
            if (k < s->n && k > 0 &&
                (is(s, k - 1, "from") || is(s, k - 1, "to") || is(s, k - 1, "with") ||
                 is(s, k - 1, "for") || is(s, k - 1, "by") || is(s, k - 1, "told") ||
                 is(s, k - 1, "according")))
                tn = NULL;
        }
        if (tn && !(m->actor.len && tn->span.off >= m->actor.off &&
                    tn->span.off < m->actor.off + m->actor.len) &&
            (m->actor_id < 0 || tn->entity != m->actor_id)) {
            m->target = tn->span;
            m->target_id = tn->entity;
        }
    }
    /* date: the nearest expression in the sentence, but not the day a
     * figure or a statement was given ("the toll rose to 82 on Monday",
     * "the ministry said Saturday") unless the date is the trigger's own */
    bool toll_update = false;
    for (uint32_t k = 0; k < s->n && !toll_update; k++)
        toll_update = is(s, k, "toll") || is(s, k, "tolls");
    uint32_t trig_end = s->t[after - 1].off + s->t[after - 1].len;
    uint32_t bestd = UINT32_MAX;
    for (uint32_t k = 0; k < s->n_tx; k++) {
        uint32_t o = s->tx[k].span.off;
        bool own = (o >= trig_end && o - trig_end <= 12) ||
                   (o < trig_off && trig_off - (o + s->tx[k].span.len) <= 6);
        /* a possessive dates the noun it qualifies, across a modifier or two
         * ("the toll from Wednesday's magnitude 6.4 earthquake rose to 148") */
        uint32_t xe = o + s->tx[k].span.len;
        if (!own && o < trig_off && trig_off - xe <= 24 && xe >= 2 &&
            (!memcmp(s->text.p + xe - 2, "'s", 2) || (xe >= 4 && !memcmp(s->text.p + xe - 4, "\xe2\x80\x99s", 4)) ||
             (xe + 2 <= s->text.len && !memcmp(s->text.p + xe, "'s", 2)) ||
             (xe + 4 <= s->text.len && !memcmp(s->text.p + xe, "\xe2\x80\x99s", 4))))
            own = true;
        if (!own && tg->type != TD_EV_STATEMENT && (toll_update || reporting_date(s, o)))
            continue;
        if (o < trig_off && in_relative_clause(s, o, trig_off))
            continue; /* "pupils who were seized on 3 May have returned home" */
        if (o >= trig_end && since_between(s, trig_end, o))
            continue; /* "the largest abduction since rebels seized 200 in 2014" */
        if (o >= trig_end && follows_between(s, trig_end, o))
            continue; /* "the meeting follows the offensive in March" */
        uint32_t d = o >= trig_off ? o - trig_off : (trig_off - o) * 2;
        if (o >= win_lo && o < win_hi)
            d /= 4;
        if (d < bestd && !s->tx[k].future) {
            bestd = d;
            m->date = s->tx[k].date;
            m->date_from = TD_DATE_FROM_SENTENCE;
        }
    }
    /* toll: killed and wounded figures in the window, else the sentence */
    for (int pass = 0; pass < 2 && m->killed_min < 0; pass++) {
        for (uint32_t k = 0; k < s->n_tl; k++) {
            const td_toll *t = &s->tl[k];
            if (pass == 0 && (t->span.off < win_lo || t->span.off >= win_hi))
                continue;
            if (t->scope != TD_TS_EVENT)
                continue; /* a part of the toll or a war's total is not this event's */
            if (t->kind == TD_TOLL_KILLED && t->qual != TD_TQ_VAGUE && m->killed_min < 0) {
                m->killed_min = (int32_t)t->min;
                m->killed_max = (int32_t)t->max;
                m->killed_qual = t->qual;
            } else if (t->kind == TD_TOLL_WOUNDED && t->qual != TD_TQ_VAGUE &&
                       m->wounded_min < 0) {
                m->wounded_min = (int32_t)t->min;
                m->wounded_max = (int32_t)t->max;
            }
        }
    }
}

/* True when a caller person or organisation name ends right before token i
 * ("Prime Minister Lena Ostrova announced"). */
static bool named_subject(const td_event_input *in, const sent *s, uint32_t i)
{
    /* "Ostrova on Friday called ...", "Ostrova yesterday described ...":
     * the day the speaker said it may stand between */
    if (i >= 2 && td_xtok_oneof(s->text, &s->t[i - 1], WEEKDAYS) >= 0 && is(s, i - 2, "on"))
        i -= 2;
    else if (i >= 1 && (is(s, i - 1, "yesterday") || is(s, i - 1, "today") ||
                        is(s, i - 1, "also") || is(s, i - 1, "later")))
        i -= 1;
    if (i == 0)
        return false;
    uint32_t end = s->t[i - 1].off + s->t[i - 1].len;
    for (uint32_t k = 0; k < in->n_names; k++) {
        const td_name_span *nm = &in->names[k];
        if (nm->span.off > end)
            break;
        if (nm->span.off + nm->span.len == end && (nm->type == TD_NAME_PERSON || nm->type == TD_NAME_ORG))
            return true;
    }
    return false;
}

/* True when the last word of sp is a head noun of HEADS ("the information
 * ministry", "local police"). */
static bool ends_with_head(const sent *s, td_span sp)
{
    for (uint32_t k = s->n; k > 0; k--) {
        const td_xtok *t = &s->t[k - 1];
        if (t->off + t->len > sp.off + sp.len || t->off < sp.off)
            continue;
        return t->kind == TD_XT_WORD && td_xtok_oneof(s->text, t, HEADS) >= 0;
    }
    return false;
}

/* "110 girls are missing after an attack on a school, the ministry said",
 * "Varn says 40 pupils unaccounted for after raid": a count of people
 * missing or unaccounted for that an authority gives is its announcement,
 * a statement of its own beside the attack (whose arguments stay). Returns
 * the token of the verb of saying, else s->n; *subj gets the speaker. */
static uint32_t tally_attribution(const sent *s, td_span *subj)
{
    static const char *const SAY[] = { "said", "says", "confirmed", "confirms", "announced",
                                       "stated", NULL };
    bool state = false;
    for (uint32_t k = 1; k < s->n && !state; k++)
        state = (is(s, k, "missing") || is(s, k, "unaccounted")) &&
                (is(s, k - 1, "are") || is(s, k - 1, "were") || is(s, k - 1, "remain") ||
                 is(s, k - 1, "remained") || is(s, k - 1, "still") || is(s, k - 1, "be") ||
                 is(s, k - 1, "been") || s->t[k - 1].kind == TD_XT_WORD);
    if (!state)
        return s->n;
    for (uint32_t j = 1; j < s->n; j++) {
        if (td_xtok_oneof(s->text, &s->t[j], SAY) < 0)
            continue;
        bool passive;
        /* "..., the ministry said": the speaker before the verb, after a
         * comma or at the start ("Varn says 40 pupils ...") */
        td_span sp = np_left(s, j, 0, &passive);
        uint32_t first = sp.len ? tok_at(s, sp.off) : j;
        bool opens = first == 0 || (first < s->n && first > 0 && clause_break(s, first - 1)) ||
                     (first >= 2 && is(s, first - 1, "the") && clause_break(s, first - 2)) ||
                     (first == 1 && is(s, 0, "the"));
        /* "the information ministry": a body's head noun ends the phrase */
        bool body = sp.len && (actor_like(s, sp) || ends_with_head(s, sp));
        if (!passive && sp.len && opens && body) {
            *subj = sp;
            return j;
        }
        /* "..., said the ministry" */
        if (j > 0 && clause_break(s, j - 1)) {
            sp = np_right(s, j + 1, s->n);
            if (sp.len && actor_like(s, sp)) {
                *subj = sp;
                return j;
            }
        }
    }
    return s->n;
}

/* Settles the trigger types of one sentence and appends its mentions. */
static bool sentence_events(td_arena *a, const td_event_input *in, sent *s, uint32_t si, mv *out)
{
    td_trigger tg[MAX_TRIG];
    uint32_t nt = td_trigger_find(s->text, s->t, s->n, tg, MAX_TRIG);
    if (!nt)
        return true;
    bool air = false, shell = false, bomb = false, strong = false, hard = false;
    for (uint32_t k = 0; k < nt; k++) {
        air |= tg[k].type == TD_EV_AIRSTRIKE;
        shell |= tg[k].type == TD_EV_SHELLING;
        bomb |= tg[k].type == TD_EV_BOMBING && (tg[k].flags & TD_TRIG_CONTEXT);
    }
    /* aircraft designators ("F-16", "Su-24", "MiG-29", "B-52") and bombs
     * "dropped" are air context too */
    for (uint32_t k = 0; k < s->n && !air; k++)
        air = (s->t[k].kind == TD_XT_MIXED &&
               (td_xtok_starts(s->text, &s->t[k], "f-") || td_xtok_starts(s->text, &s->t[k], "su-") ||
                td_xtok_starts(s->text, &s->t[k], "mig-") || td_xtok_starts(s->text, &s->t[k], "b-"))) ||
              (bomb && (is(s, k, "dropped") || is(s, k, "dropping")));
    /* "girls are missing after an attack on a school", "gunmen attacked
     * the village and kidnapped 30": the attack is an abduction (ACLED:
     * abduction/forced disappearance) */
    bool abduct = false;
    for (uint32_t k = 0; k < s->n && !abduct; k++)
        abduct = (is(s, k, "missing") && k > 0 &&
                  (is(s, k - 1, "are") || is(s, k - 1, "were") || is(s, k - 1, "still") ||
                   is(s, k - 1, "remain") || is(s, k - 1, "be") || is(s, k - 1, "went") ||
                   is(s, k - 1, "gone") || is(s, k - 1, "reported"))) ||
                 td_xtok_starts(s->text, &s->t[k], "abduct") ||
                 td_xtok_starts(s->text, &s->t[k], "kidnap");
    /* clashes with protesters or riot police are a protest turned violent
     * (ACLED: protest with intervention, violent demonstration) */
    bool protest_ctx = false;
    for (uint32_t k = 0; k < s->n && !protest_ctx; k++)
        protest_ctx = td_xtok_starts(s->text, &s->t[k], "protest") ||
                      td_xtok_starts(s->text, &s->t[k], "demonstrat") ||
                      td_xtok_starts(s->text, &s->t[k], "rioter") ||
                      (is(s, k, "tear") && is(s, k + 1, "gas")) ||
                      (is(s, k, "riot") && is(s, k + 1, "police"));
    /* settle types */
    for (uint32_t k = 0; k < nt; k++) {
        td_trigger *t = &tg[k];
        if (t->flags & TD_TRIG_GENERIC) {
            t->type = air     ? TD_EV_AIRSTRIKE
                      : shell ? TD_EV_SHELLING
                      : bomb  ? TD_EV_BOMBING
                              : t->type;
            /* its own weapon decides first: "a missile attack on Jizan",
             * "rocket launchers used to attack the city" in a sentence
             * about the air strikes that answered it */
            for (uint32_t j = t->tok; j > 0 && t->tok - j < 4 && !clause_break(s, j - 1); j--)
                if (td_xtok_starts(s->text, &s->t[j - 1], "missile") ||
                    td_xtok_starts(s->text, &s->t[j - 1], "rocket") ||
                    td_xtok_starts(s->text, &s->t[j - 1], "mortar") ||
                    is(s, j - 1, "artillery")) {
                    t->type = TD_EV_SHELLING;
                    break;
                }
            /* the attack named first carries the arguments ("an attack on a
             * school by insurgents, one of the largest abductions since") */
            if (abduct && t->type == TD_EV_ARMED_CLASH && td_xtok_starts(s->text, &s->t[t->tok], "attack")) {
                t->type = TD_EV_RAID_OR_ARREST;
                t->flags &= (uint8_t)~TD_TRIG_GENERIC;
            }
        } else if (t->type == TD_EV_BOMBING && air) {
            t->type = TD_EV_AIRSTRIKE; /* a bombing campaign by warplanes */
        } else if (t->type == TD_EV_SHELLING && air && (t->flags & TD_TRIG_CONTEXT)) {
            t->type = TD_EV_AIRSTRIKE; /* missiles fired from aircraft */
        }
        if ((t->flags & TD_TRIG_CONTEXT) && !(t->flags & (TD_TRIG_NOUN | TD_TRIG_VERB)))
            t->type = TD_EV_NONE;
        /* "protesters storm parliament": the verb, not the weather */
        if (t->type == TD_EV_DISASTER && td_xtok_starts(s->text, &s->t[t->tok], "storm") && t->tok > 0 &&
            s->t[t->tok - 1].kind == TD_XT_WORD && (protest_ctx || is(s, t->tok - 1, "to")) &&
            !is(s, t->tok - 1, "the") && !is(s, t->tok - 1, "a") && !is(s, t->tok - 1, "tropical"))
            t->type = TD_EV_PROTEST;
        /* "gunmen stormed the town", "police stormed the building": armed
         * men storming is an attack or a raid, not a protest */
        if (t->type == TD_EV_PROTEST && !protest_ctx &&
            td_xtok_starts(s->text, &s->t[t->tok], "storm")) {
            static const char *const ARMED[] = { "gunmen", "fighters", "militants", "insurgents",
                                                 "jihadists", "attackers", "bandits", "rebels",
                                                 "armed", "militiamen", "assailants", NULL };
            static const char *const FORCE[] = { "police", "troops", "soldiers", "commandos",
                                                 "officers", "forces", "agents", NULL };
            for (uint32_t k = 0; k < s->n && t->type == TD_EV_PROTEST; k++)
                t->type = td_xtok_oneof(s->text, &s->t[k], ARMED) >= 0   ? TD_EV_ARMED_CLASH
                          : td_xtok_oneof(s->text, &s->t[k], FORCE) >= 0 ? TD_EV_RAID_OR_ARREST
                                                                        : t->type;
        }
        if ((t->type == TD_EV_ARMED_CLASH || t->type == TD_EV_KILLING) && protest_ctx &&
            !(t->flags & TD_TRIG_CONTEXT))
            t->type = TD_EV_PROTEST; /* "two protesters were killed when police fired tear gas" */
        if (t->type == TD_EV_RAID_OR_ARREST && air && td_xtok_starts(s->text, &s->t[t->tok], "raid"))
            t->type = TD_EV_AIRSTRIKE; /* warplanes "carried out a raid" */
        if (t->type != TD_EV_NONE && !(t->flags & TD_TRIG_WEAK)) {
            strong = true;
            hard |= violent(t->type) && t->type != TD_EV_KILLING;
            hard |= t->type == TD_EV_DISASTER;
        }
    }
    /* an authority's count of people missing is its statement too */
    td_span tally_subj = { 0, 0 };
    uint32_t tally = nt < MAX_TRIG ? tally_attribution(s, &tally_subj) : s->n;
    for (uint32_t k = 0; k < nt && tally < s->n; k++)
        if (tg[k].type == TD_EV_STATEMENT)
            tally = s->n; /* the sentence has its own statement word */
    if (tally < s->n) {
        uint32_t at = nt;
        while (at > 0 && tg[at - 1].tok > tally)
            at--;
        memmove(&tg[at + 1], &tg[at], (nt - at) * sizeof tg[0]);
        tg[at] = (td_trigger){ tally, 1, TD_EV_STATEMENT, TD_TRIG_VERB };
        nt++;
    }
    /* keep one trigger per type; weak ones only alone; killing only when
     * nothing more specific explains the deaths */
    int32_t pick[TD_EV_COUNT];
    for (int k = 0; k < TD_EV_COUNT; k++)
        pick[k] = -1;
    for (uint32_t k = 0; k < nt; k++) {
        td_trigger *t = &tg[k];
        if (t->type == TD_EV_NONE)
            continue;
        if ((t->flags & TD_TRIG_WEAK) && strong && !(t->type == TD_EV_STATEMENT && named_subject(in, s, t->tok)))
            continue; /* a weak word beside a strong one, unless a named speaker says it */
        if (t->type == TD_EV_KILLING && hard)
            continue;
        /* a named trigger ("air strike") beats a generic one ("hit") */
        int32_t p = pick[t->type];
        if (p < 0 || ((tg[p].flags & TD_TRIG_GENERIC) && !(t->flags & TD_TRIG_GENERIC)))
            pick[t->type] = (int32_t)k;
    }
    uint32_t keep[MAX_TRIG], nk = 0;
    for (uint32_t k = 0; k < nt; k++)
        if (tg[k].type != TD_EV_NONE && pick[tg[k].type] == (int32_t)k)
            keep[nk++] = k;
    /* a statement or meeting next to a violent event in the same sentence is
     * about it ("condemned the strike"): both are kept as separate events */
    for (uint32_t q = 0; q < nk; q++) {
        const td_trigger *t = &tg[keep[q]];
        uint32_t lo = q ? tg[keep[q - 1]].tok + tg[keep[q - 1]].n_tok : 0;
        uint32_t hi = q + 1 < nk ? tg[keep[q + 1]].tok : s->n;
        /* the window of a trigger stops at its neighbours' own clauses */
        if (q + 1 < nk)
            for (uint32_t k = t->tok + t->n_tok; k < hi; k++)
                if (clause_break(s, k) || is(s, k, "and") || is(s, k, "after")) {
                    if (k > t->tok + t->n_tok + 1)
                        hi = k;
                    break;
                }
        td_event_mention m;
        memset(&m, 0, sizeof m);
        m.sentence = si;
        m.trigger = tspan(s, t->tok, t->tok + t->n_tok);
        m.type = t->type;
        m.modality = modality_at(s, t->tok, t->type);
        m.actor_id = m.target_id = m.place_id = -1;
        m.killed_min = m.killed_max = m.wounded_min = m.wounded_max = -1;
        uint32_t nx = t->tok + t->n_tok;
        /* "the criminal investigation department", "the election
         * commission": the noun names a body, not an event */
        static const char *const BODY[] = { "department", "unit", "committee", "commission", "office",
                                            "agency", "team", "chief", "officials", "board", NULL };
        if ((t->flags & TD_TRIG_NOUN) && nx < s->n && td_xtok_oneof(s->text, &s->t[nx], BODY) >= 0)
            continue;
        arguments(in, s, t, lo, hi, &m);
        if (t->tok == tally && t->type == TD_EV_STATEMENT) {
            /* the authority that gave the count, not a party of the attack */
            m.actor = tally_subj;
            m.actor_id = -1;
            for (uint32_t k = 0; k < in->n_names; k++)
                if (in->names[k].span.off >= tally_subj.off &&
                    in->names[k].span.off < tally_subj.off + tally_subj.len &&
                    in->names[k].type != TD_NAME_NONE) {
                    m.actor = in->names[k].span;
                    m.actor_id = in->names[k].entity;
                    break;
                }
            m.target = (td_span){ 0, 0 };
            m.target_id = -1;
            m.killed_min = m.killed_max = m.wounded_min = m.wounded_max = -1;
            /* the places named are the attack's: the statement is placed
             * like any unplaced one (where it was given) */
            m.place = (td_span){ 0, 0 };
            m.place_id = -1;
            m.place_level = 0;
        }
        /* "weeks of protests", "a breach of the truce", "the anniversary of
         * the massacre": an event the sentence refers to, not one it reports */
        static const char *const REF[] = { "weeks", "months", "years", "days", "decades", "week", "month",
                                           "year", "breach", "breaches", "violation", "violations",
                                           "anniversary", "aftermath", "wake", "terms", "collapse",
                                           "memories", "memory", "reminder", "echoes", "repeat", NULL };
        uint32_t b = t->tok;
        while (b > 0 && (is(s, b - 1, "the") || is(s, b - 1, "a") || is(s, b - 1, "this") ||
                         (s->t[b - 1].flags & TD_XTF_CAP) || is(s, b - 1, "street") ||
                         is(s, b - 1, "mass") || is(s, b - 1, "deadly") ||
                         s->t[b - 1].kind == TD_XT_NUM) && t->tok - b < 3)
            b--;
        if (b >= 2 && is(s, b - 1, "of") && td_xtok_oneof(s->text, &s->t[b - 2], REF) >= 0)
            m.background = m.referenced = true;
        /* "the largest abduction since rebels seized 80 pupils in Hallam",
         * "the worst attack since the siege": what follows "since" in the
         * clause is the earlier event the sentence measures against */
        /* "gained notoriety after abducting 270 pupils", "best known for
         * bombing": a deed that describes the group is its past */
        /* "in retaliation for recent bomb attacks", "in response to the
         * shelling", "revenge for the killing": the act answered is earlier;
         * so are "recent bombings" */
        for (uint32_t k = t->tok; k > 0 && t->tok - k < 6 && !clause_break(s, k - 1); k--)
            if (is(s, k - 1, "notoriety") || is(s, k - 1, "infamous") || is(s, k - 1, "infamy") ||
                ((is(s, k - 1, "for") || is(s, k - 1, "after")) && k >= 2 && is(s, k - 2, "known")) ||
                ((is(s, k - 1, "for") || is(s, k - 1, "to") || is(s, k - 1, "of")) && k >= 2 &&
                 (is(s, k - 2, "retaliation") || is(s, k - 2, "revenge") || is(s, k - 2, "reprisal") ||
                  is(s, k - 2, "reprisals") || is(s, k - 2, "response"))) ||
                is(s, k - 1, "avenge") || is(s, k - 1, "avenging") ||
                /* "recent bombings in the capital": earlier ones */
                (is(s, k - 1, "recent") && t->tok - k < 2)) {
                m.background = m.referenced = true;
                break;
            }
        for (uint32_t k = t->tok; k > 0 && t->tok - k < 8 && !clause_break(s, k - 1); k--)
            if (is(s, k - 1, "since") && !since_adverb(s, k - 1)) {
                m.background = m.referenced = true;
                break;
            }
        if (m.date_from == TD_DATE_FROM_NONE)
            for (uint32_t k = 0; k < s->n_tx; k++)
                if (s->tx[k].future && m.modality == TD_MOD_ASSERTED &&
                    s->tx[k].span.off > m.trigger.off)
                    m.modality = TD_MOD_PLANNED; /* "talks on Thursday" ahead */
        m.score = (t->flags & TD_TRIG_WEAK) || (t->tok == tally && t->type == TD_EV_STATEMENT)
                      ? 0.5f
                      : 1.0f; /* a tally's statement never outranks the attack */
        m.generic = (t->flags & TD_TRIG_GENERIC) || t->type == TD_EV_KILLING;
        if (m.generic && m.actor.len && t->type == TD_EV_KILLING)
            m.generic = false; /* "gunmen shot dead a judge": a killing of its own */
        if (!push(a, out, &m))
            return false;
    }
    return true;
}

/* Lexes sentence span sp of the body into s, with timexes (relative ones
 * resolved against anchor) and tolls. */
static void load_sentence(const td_event_input *in, td_span sp, td_date anchor, sent *s)
{
    td_str body = in->body;
    if (sp.off > body.len)
        sp.off = (uint32_t)body.len;
    if (sp.len > body.len - sp.off)
        sp.len = (uint32_t)(body.len - sp.off);
    td_str text = { body.p + sp.off, sp.len };
    s->text = body;
    s->n = td_xlex(text, s->t, MAX_TOK);
    for (uint32_t i = 0; i < s->n; i++)
        s->t[i].off += sp.off;
    td_timex_opts o = { anchor, in->date_flags };
    s->n_tx = td_timex_find(text, &o, s->tx, MAX_TIMEX);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < s->n_tx; i++) {
        s->tx[i].span.off += sp.off;
        if (s->tx[i].span.off + s->tx[i].span.len <= in->dateline_end)
            continue; /* the dateline's day is the report's */
        s->tx[kept++] = s->tx[i];
    }
    s->n_tx = kept;
    s->n_tl = td_toll_find(text, s->tl, MAX_TOLL);
    for (uint32_t i = 0; i < s->n_tl; i++)
        s->tl[i].span.off += sp.off;
}

/* The first "<Name> government", "<Name>'s government" or "government of
 * <Name>" of text (Name: up to three capitalised words), or an empty span. */
static td_span government_phrase(td_str text)
{
    const char *p = text.p, *end = text.p + text.len;
    for (const char *g = p; g + 10 <= end; g++) {
        if ((g[0] != 'g' && g[0] != 'G') || memcmp(g + 1, "overnment", 9) != 0)
            continue;
        if (g > p && ((g[-1] >= 'a' && g[-1] <= 'z') || (g[-1] >= 'A' && g[-1] <= 'Z')))
            continue;
        /* "government of Port Hallam" */
        const char *q = g + 10;
        if (q + 4 < end && memcmp(q, " of ", 4) == 0 && q[4] >= 'A' && q[4] <= 'Z') {
            const char *e = q + 4;
            int words = 0;
            while (e < end && words < 3 && *e >= 'A' && *e <= 'Z') {
                while (e < end && *e != ' ' && *e != ',' && *e != '.' && *e != ';' && *e != '\n')
                    e++;
                words++;
                if (e + 1 < end && *e == ' ' && e[1] >= 'A' && e[1] <= 'Z')
                    e++;
                else
                    break;
            }
            return (td_span){ (uint32_t)(g - p), (uint32_t)(e - g) };
        }
        /* "the Port Hallam government", "Veloria's government" */
        const char *b = g;
        int words = 0;
        while (b > p && words < 3) {
            const char *w = b - 1;
            if (*w != ' ')
                break;
            const char *s = w;
            while (s > p && s[-1] != ' ' && s[-1] != '\n')
                s--;
            if (s >= w || *s < 'A' || *s > 'Z')
                break;
            b = s;
            words++;
        }
        if (words > 1 && (b[0] == 'T' && b + 4 <= end && memcmp(b, "The ", 4) == 0)) {
            b += 4; /* a sentence-initial "The" is no part of the name */
            words--;
        }
        if (words && !(b + 4 <= end && memcmp(b, "The ", 4) == 0))
            return (td_span){ (uint32_t)(b - p), (uint32_t)(g + 10 - b) };
    }
    return (td_span){ 0, 0 };
}

/* True when a paragraph break separates sentence i from sentence i - 1. */
static bool new_paragraph(const td_event_input *in, uint32_t i)
{
    td_span a = in->sentences[i - 1], b = in->sentences[i];
    uint32_t from = a.off + a.len, to = b.off;
    if (to > in->body.len)
        to = (uint32_t)in->body.len;
    for (uint32_t k = from; k + 1 < to; k++)
        if (in->body.p[k] == '\n' && in->body.p[k + 1] == '\n')
            return true;
    return false;
}

/* True when span sp of text is a name: after an optional "the", every word
 * of it capitalised ("the Grand Assembly", "Parliament"). */
static bool capitalised_phrase(td_str text, td_span sp)
{
    if (!sp.len || sp.off + sp.len > text.len)
        return false;
    const char *p = text.p + sp.off, *end = p + sp.len;
    if (end - p > 4 && (p[0] == 't' || p[0] == 'T') && memcmp(p + 1, "he ", 3) == 0)
        p += 4;
    bool any = false;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        if (!(*p >= 'A' && *p <= 'Z') && !(*p == 'o' && end - p > 3 && memcmp(p, "of ", 3) == 0))
            return false;
        any = true;
        while (p < end && *p != ' ')
            p++;
    }
    return any;
}

/* True when span sp is a caller organisation name. */
static bool org_name(const td_event_input *in, td_span sp)
{
    for (uint32_t k = 0; k < in->n_names && in->names[k].span.off <= sp.off; k++)
        if (in->names[k].span.off == sp.off && in->names[k].span.len == sp.len)
            return in->names[k].type == TD_NAME_ORG;
    return false;
}

/* True when two dates may be one day's: either unknown, or at most a day
 * apart (a report filed the morning after). */
static bool near_day(td_date a, td_date b)
{
    if (a.prec != TD_PREC_DAY || b.prec != TD_PREC_DAY)
        return a.prec == TD_PREC_NONE || b.prec == TD_PREC_NONE;
    long d = td_timex_days_between(a, b);
    return d >= -1 && d <= 1;
}

/* ---- API implementation ---- */

td_status td_event_extract(td_arena *a, const td_event_input *in, td_event_mention **out,
                           uint32_t *n)
{
    if (!a || !in || !out || !n || !in->body.p || (in->n_sentences && !in->sentences))
        return TD_EINVAL;
    sent *s = td_arena_alloc(a, sizeof *s);
    /* per-sentence first date and killed toll, for the neighbour pass */
    td_date *sdate = td_arena_calloc(a, in->n_sentences + 1, sizeof *sdate);
    td_toll *skill = td_arena_calloc(a, in->n_sentences + 1, sizeof *skill);
    uint32_t *first = td_arena_calloc(a, in->n_sentences + 2, sizeof *first);
    bool *supd = td_arena_calloc(a, in->n_sentences + 1, sizeof *supd); /* a toll update */
    td_span *sclaim = td_arena_calloc(a, in->n_sentences + 1, sizeof *sclaim); /* claimant */
    if (!s || !sdate || !skill || !first || !supd || !sclaim)
        return TD_ENOMEM;
    mv m = { NULL, 0, 0 };
    /* a story that opens with what was said a day or two before it was
     * published ("the ministry said on Sunday" in Monday's paper) was
     * written that day, as wire copy republished the next morning is: its
     * weekdays count back from there ("on Monday" is the Monday before) */
    td_date anchor = in->published;
    for (uint32_t i = 0; i < in->n_sentences && i < 4 && in->published.prec == TD_PREC_DAY; i++) {
        load_sentence(in, in->sentences[i], in->published, s);
        for (uint32_t k = 0; k < s->n_tx; k++) {
            long age = td_timex_days_between(s->tx[k].date, in->published);
            if (s->tx[k].kind == TD_TIMEX_WEEKDAY && !s->tx[k].future && age >= 1 && age <= 2 &&
                reporting_date(s, s->tx[k].span.off)) {
                anchor = s->tx[k].date;
                break;
            }
        }
        if (anchor.day != in->published.day)
            break;
    }
    td_date narr = { 0, 0, 0, TD_PREC_NONE }; /* the narrative's own day, see below */
    for (uint32_t i = 0; i < in->n_sentences; i++) {
        if (i > 0 && new_paragraph(in, i))
            narr = (td_date){ 0, 0, 0, TD_PREC_NONE };
        load_sentence(in, in->sentences[i], narr.prec == TD_PREC_DAY ? narr : anchor, s);
        /* a paragraph that narrates a day well before the publication ("On
         * March 2, dockers marched ... The levy was dropped on Friday"),
         * or in an article with no publication date, tells its following
         * weekdays and "yesterday"s from that day: a written-out date 8 to
         * 366 days old anchors the rest of its paragraph, until a date near
         * publication or another old one replaces it. Only the paragraph: the
         * next one usually returns to the news of the day. */
        for (uint32_t k = 0; k < s->n_tx; k++) {
            const td_timex *x = &s->tx[k];
            if (x->kind != TD_TIMEX_ABSOLUTE || x->date.prec != TD_PREC_DAY || x->future)
                continue;
            if (in->published.prec != TD_PREC_DAY || in->published.year <= 0) {
                narr = x->date;
                continue;
            }
            long age = td_timex_days_between(x->date, in->published);
            narr = age > 7 && age <= 366 ? x->date : (td_date){ 0, 0, 0, TD_PREC_NONE };
        }
        for (uint32_t k = 0; k < s->n_tx; k++)
            if (!s->tx[k].future) {
                sdate[i] = s->tx[k].date;
                break;
            }
        for (uint32_t k = 0; k < s->n_tl; k++)
            if (s->tl[k].kind == TD_TOLL_KILLED && s->tl[k].qual != TD_TQ_VAGUE &&
                s->tl[k].scope == TD_TS_EVENT) {
                skill[i] = s->tl[k];
                break;
            }
        /* "The death toll rose to 43": an update of the article's event
         * when nothing in the sentence dates it to another time */
        if (skill[i].kind == TD_TOLL_KILLED)
            for (uint32_t k = 0; k < s->n && !supd[i]; k++)
                supd[i] = is(s, k, "toll") && k > 0 && is(s, k - 1, "death");
        for (uint32_t k = 0; k < s->n_tx && supd[i]; k++)
            supd[i] = s->tx[k].since ? false
                      : in->published.year <= 0 || td_timex_days_between(s->tx[k].date, in->published) <= 3;
        sclaim[i] = claimant(s);
        first[i] = m.n;
        if (!sentence_events(a, in, s, i, &m))
            return TD_ENOMEM;
    }
    first[in->n_sentences] = first[in->n_sentences + 1] = m.n;
    /* neighbours: dates from the previous/next sentence, tolls from a next
     * sentence that reports no event of its own; then the publication date */
    for (uint32_t k = 0; k < m.n; k++) {
        td_event_mention *x = &m.v[k];
        uint32_t si = x->sentence;
        /* a neighbour's date more than a year old dates a history, not this event */
        bool old_prev = si > 0 && in->published.year > 0 && sdate[si - 1].prec != TD_PREC_NONE &&
                        td_timex_days_between(sdate[si - 1], in->published) > 366;
        if (x->date_from == TD_DATE_FROM_NONE && si > 0 && sdate[si - 1].prec != TD_PREC_NONE && !old_prev) {
            /* the previous sentence shares its date when it reports nothing
             * else, or an event of this type */
            bool share = first[si - 1] == first[si];
            for (uint32_t j = first[si - 1]; j < first[si]; j++)
                share |= m.v[j].type == x->type;
            if (share) {
                x->date = sdate[si - 1];
                x->date_from = TD_DATE_FROM_NEIGHBOUR;
            }
        }
        if (x->date_from == TD_DATE_FROM_NONE && si + 1 < in->n_sentences &&
            sdate[si + 1].prec != TD_PREC_NONE && first[si + 1] == first[si + 2]) {
            x->date = sdate[si + 1];
            x->date_from = TD_DATE_FROM_NEIGHBOUR;
        }
        if (x->date_from == TD_DATE_FROM_NONE && in->published.prec != TD_PREC_NONE &&
            in->published.year > 0) {
            x->date = in->published;
            x->date_from = TD_DATE_FROM_PUBLISHED;
        }
        if (x->killed_min < 0 && (violent(x->type) || x->type == TD_EV_DISASTER) &&
            si + 1 < in->n_sentences && skill[si + 1].kind == TD_TOLL_KILLED) {
            /* the next sentence's own events other than a bare killing: a
             * sentence with its own trigger keeps its figure ("The quake
             * was felt in Varn. In Orsk, 16 died in the quake." are two
             * places' tolls) */
            bool own = false;
            for (uint32_t j = first[si + 1]; j < first[si + 2]; j++)
                own |= m.v[j].type != TD_EV_KILLING;
            if (!own) {
                x->killed_min = (int32_t)skill[si + 1].min;
                x->killed_max = (int32_t)skill[si + 1].max;
                x->killed_qual = skill[si + 1].qual;
            }
        }
        /* "A car bomb killed 12 in Varn. The Front claimed responsibility." */
        if (!x->actor.len && violent(x->type) && si + 1 < in->n_sentences &&
            sclaim[si + 1].len) {
            bool own = false; /* a claim beside its own attack is that one's */
            for (uint32_t j = first[si + 1]; j < first[si + 2]; j++)
                own |= violent(m.v[j].type);
            if (!own) {
                x->actor = sclaim[si + 1];
                x->actor_id = -1;
            }
        }
        /* background: dated well before publication */
        if (x->date_from == TD_DATE_FROM_SENTENCE && in->published.prec != TD_PREC_NONE &&
            in->published.year > 0) {
            td_date pd = in->published;
            long days = td_timex_days_between(x->date, pd);
            if (x->date.prec == TD_PREC_YEAR ? x->date.year < pd.year
                                             : days > (x->date.prec == TD_PREC_DAY ? 3 : 31))
                x->background = true;
        }
        float pos = si == 0 ? 3.0f : si == 1 ? 2.0f : si == 2 ? 1.5f : 1.0f / (1.0f + 0.15f * si);
        x->score *= pos;
        x->score += (x->place.len ? 0.4f : 0) + (x->killed_min >= 0 ? 0.4f : 0) +
                    (x->actor.len ? 0.2f : 0);
        if (x->background)
            x->score *= 0.3f;
        if (x->modality != TD_MOD_ASSERTED)
            x->score = 0;
    }
    /* "At least 29 children were killed." after a sentence reporting a strike
     * is that strike's toll, not a killing of its own */
    uint32_t w = 0;
    for (uint32_t k = 0; k < m.n; k++) {
        td_event_mention *x = &m.v[k];
        bool follow = false;
        if (x->type == TD_EV_KILLING && !x->actor.len && x->sentence > 0)
            for (uint32_t j = first[x->sentence - 1]; j < first[x->sentence]; j++)
                follow |= (violent(m.v[j].type) || m.v[j].type == TD_EV_DISASTER) &&
                          m.v[j].type != TD_EV_KILLING;
        if (!follow)
            m.v[w++] = *x;
    }
    m.n = w;
    for (uint32_t i = 0, k = 0; i < in->n_sentences + 2; i++) { /* first[] after the removals */
        while (k < m.n && m.v[k].sentence < i)
            k++;
        first[i] = k;
    }
    /* the main event: the best asserted mention, and those of its type and place */
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < m.n; k++)
        if (m.v[k].modality == TD_MOD_ASSERTED && !m.v[k].background &&
            (best == UINT32_MAX || m.v[k].score > m.v[best].score))
            best = k;
    /* a lead that gives no date of its own ("110 girls missing after
     * attack", dated by its publication) reports the event the body dates a
     * few days back ("attacked the school on Monday"): that day is the
     * main event's, and the dated mentions are no background, unless the
     * body also reports one of that type at publication */
    if (best != UINT32_MAX && m.v[best].date_from != TD_DATE_FROM_SENTENCE &&
        in->published.prec == TD_PREC_DAY && in->published.year > 0) {
        uint8_t bt = m.v[best].type;
        td_date own = { 0, 0, 0, TD_PREC_NONE };
        bool recent = false;
        for (uint32_t k = 0; k < m.n; k++) {
            const td_event_mention *x = &m.v[k];
            /* the body reporting the same kind of event (any violence for a
             * violent lead: "car bomb" after "attack") near publication
             * dates the lead itself */
            bool kin = x->type == bt || (violent(x->type) && violent(bt));
            if (!kin || x->date_from != TD_DATE_FROM_SENTENCE || x->referenced ||
                x->modality != TD_MOD_ASSERTED || x->date.prec != TD_PREC_DAY)
                continue;
            long age = td_timex_days_between(x->date, in->published);
            if (age <= 1)
                recent = true;
            else if (age <= 14 && own.prec == TD_PREC_NONE && x->type == bt)
                own = x->date;
        }
        if (own.prec == TD_PREC_DAY && !recent)
            for (uint32_t k = 0; k < m.n; k++) {
                td_event_mention *x = &m.v[k];
                if (x->type != bt || x->referenced)
                    continue;
                if (x->date_from == TD_DATE_FROM_SENTENCE &&
                    !(x->date.year == own.year && x->date.month == own.month && x->date.day == own.day))
                    continue;
                if (x->date_from != TD_DATE_FROM_SENTENCE) {
                    x->date = own;
                    x->date_from = TD_DATE_FROM_NEIGHBOUR;
                }
                if (x->background && x->modality == TD_MOD_ASSERTED) {
                    x->background = false;
                    x->score /= 0.3f;
                }
            }
    }
    if (best != UINT32_MAX) {
        const td_event_mention *b = &m.v[best];
        /* "the attack", "scores were killed": references to a violent main event */
        if (violent(b->type))
            for (uint32_t k = 0; k < m.n; k++)
                if (m.v[k].generic && violent(m.v[k].type) && !m.v[k].background &&
                    (m.v[k].type == TD_EV_ARMED_CLASH || m.v[k].type == TD_EV_KILLING))
                    m.v[k].type = b->type;
        td_str bp = { in->body.p + b->place.off, b->place.len };
        for (uint32_t k = 0; k < m.n; k++) {
            td_event_mention *x = &m.v[k];
            if (x->type != b->type || x->modality != TD_MOD_ASSERTED || x->background)
                continue;
            td_str xp = { in->body.p + x->place.off, x->place.len };
            if (!x->place.len || !b->place.len || td_str_ieq(xp, bp))
                x->main = true;
        }
        /* reactions to the main violent event ("Ostrova condemned the
         * strike") are aimed at whoever carried it out */
        if (violent(b->type) && b->actor.len)
            for (uint32_t k = 0; k < m.n; k++) {
                td_event_mention *x = &m.v[k];
                td_str tw = { in->body.p + x->trigger.off, x->trigger.len };
                if (x->type == TD_EV_STATEMENT && x->target_id < 0 &&
                    (td_str_istarts(tw, TD_STR_LIT("condemn")) || td_str_istarts(tw, TD_STR_LIT("denounc")) ||
                     td_str_istarts(tw, TD_STR_LIT("called for")) || td_str_istarts(tw, TD_STR_LIT("review")) ||
                     td_str_istarts(tw, TD_STR_LIT("investigation")))) {
                    x->target = b->actor;
                    x->target_id = b->actor_id;
                }
            }
        /* the latest death toll the article gives for its main event: a
         * later "death toll rose to N" sentence that reports nothing else */
        if (violent(b->type) || b->type == TD_EV_DISASTER) {
            int32_t upd = -1;
            for (uint32_t i = b->sentence + 1; i < in->n_sentences; i++) {
                bool other = false; /* the sentence reports another kind of event */
                for (uint32_t j = first[i]; j < first[i + 1] && j < m.n; j++)
                    other |= violent(b->type) ? !violent(m.v[j].type) : m.v[j].type != b->type;
                if (supd[i] && !other && (int32_t)skill[i].min > upd)
                    upd = (int32_t)skill[i].min;
            }
            for (uint32_t k = 0; upd >= 0 && k < m.n; k++)
                if (m.v[k].main && m.v[k].killed_min < upd) {
                    m.v[k].killed_min = m.v[k].killed_max = upd;
                    m.v[k].killed_qual = TD_TQ_EXACT;
                }
        }
    }
    /* a statement or meeting the sentence does not place happened where the
     * article is filed from, or in the country it is about: the first
     * dateline or country name of the article */
    const td_name_span *home = NULL;
    for (uint32_t k = 0; k < in->n_names && !home; k++)
        if (in->names[k].type == TD_NAME_PLACE && in->names[k].level == 1)
            home = &in->names[k];
    /* an article that names no country (a territory, a city state): the
     * place it names most often */
    const td_name_span *where = home;
    uint32_t where_n = 0;
    for (uint32_t k = 0; !home && k < in->n_names; k++) {
        if (in->names[k].type != TD_NAME_PLACE)
            continue;
        uint32_t c = 0;
        for (uint32_t j = 0; j < in->n_names; j++)
            c += in->names[j].type == TD_NAME_PLACE && in->names[j].entity == in->names[k].entity;
        if (c > where_n) {
            where_n = c;
            where = &in->names[k];
        }
    }
    for (uint32_t k = 0; where && k < m.n; k++) {
        td_event_mention *x = &m.v[k];
        if ((x->type == TD_EV_STATEMENT || x->type == TD_EV_MEETING || x->type == TD_EV_AGREEMENT) &&
            !x->place.len) {
            x->place = where->span;
            x->place_id = where->entity;
            x->place_level = where->level;
        }
    }
    /* the group that organised the article's protest ("organised by the
     * Civic Front", "the Front, which called the march") leads the crowds
     * the other sentences of that day describe (ACLED's actor1 is the
     * organiser when known) */
    for (uint32_t k = 0; k < m.n; k++) {
        const td_event_mention *o = &m.v[k];
        if (o->type != TD_EV_PROTEST || o->actor_id < 0 || o->background ||
            o->modality != TD_MOD_ASSERTED || !org_name(in, o->actor))
            continue;
        for (uint32_t j = 0; j < m.n; j++) {
            td_event_mention *x = &m.v[j];
            if (x->type != TD_EV_PROTEST || x->actor_id >= 0 || x->background ||
                !near_day(x->date, o->date))
                continue;
            x->actor = o->actor;
            x->actor_id = o->actor_id;
        }
        break;
    }
    /* protests are aimed at a government unless a name says otherwise:
     * the article's "Velorian government" / "government of Port Hallam" */
    td_span gov = { 0, 0 };
    bool gov_done = false;
    /* ... or at the seat of power the article's crowd acted on: when one
     * sentence names it ("stormed the Legislative Council"), the march and
     * the clashes the others report were aimed at it too */
    td_span seat = { 0, 0 };
    int64_t seat_id = -1;
    td_date seat_day = { 0, 0, 0, TD_PREC_NONE };
    for (uint32_t k = 0; k < m.n && !seat.len; k++)
        if (m.v[k].type == TD_EV_PROTEST && m.v[k].modality == TD_MOD_ASSERTED &&
            !m.v[k].background && institution(in->body, m.v[k].target) &&
            capitalised_phrase(in->body, m.v[k].target)) {
            seat = m.v[k].target;
            seat_id = m.v[k].target_id;
            seat_day = m.v[k].date;
        }
    for (uint32_t k = 0; k < m.n; k++) {
        td_event_mention *x = &m.v[k];
        if (x->type != TD_EV_PROTEST || x->target_id >= 0)
            continue;
        /* a named institution the crowd acted on ("stormed the Legislative
         * Council") is the target; a bill or a policy stands for its government */
        if (x->target.len && capitalised_phrase(in->body, x->target))
            continue;
        /* only the crowd of that day: a recap of other marches names
         * the storming of another one */
        bool same_day = x->date.prec == TD_PREC_NONE || seat_day.prec == TD_PREC_NONE ||
                        (x->date.year == seat_day.year && x->date.month == seat_day.month &&
                         x->date.day == seat_day.day);
        if (seat.len && !x->background && same_day) {
            x->target = seat;
            x->target_id = seat_id;
            continue;
        }
        if (!gov_done) {
            gov = government_phrase(in->body);
            gov_done = true;
        }
        /* no government named: the country stands for it ("marched against
         * the levy" in a story from Veloria is aimed at Veloria) */
        if (gov.len)
            x->target = gov;
        else if (home) {
            x->target = home->span;
            x->target_id = home->entity;
        }
    }
    if (a->failed)
        return TD_ENOMEM;
    *out = m.n ? m.v : NULL;
    *n = m.n;
    return TD_OK;
}
