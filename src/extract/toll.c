/*
 * toll.c - see toll.h. One lexing pass (event_int.h), then at each token an
 * attempt to read "qualifier? number (range)?"; a count that survives the
 * not-a-count filters gets its outcome from the nearest outcome word before
 * it (through filler words only) or after it (through a short noun phrase and
 * auxiliaries). Counts of things ("two buildings") are dropped; counts of
 * people without an outcome are kept as TD_TOLL_PEOPLE.
 */
#include "extract/toll.h"

#include "extract/event_int.h"

#include <string.h>

#define MAX_TOK 512

typedef struct scan {
    td_str text;
    const td_xtok *t;
    uint32_t n;
} scan;

static bool is(const scan *s, uint32_t i, const char *w)
{
    return i < s->n && td_xtok_is(s->text, &s->t[i], w);
}
static bool starts(const scan *s, uint32_t i, const char *w)
{
    return i < s->n && s->t[i].kind == TD_XT_WORD && td_xtok_starts(s->text, &s->t[i], w);
}
static bool punct(const scan *s, uint32_t i, char c)
{
    return i < s->n && s->t[i].kind == TD_XT_PUNCT && s->t[i].len == 1 &&
           s->text.p[s->t[i].off] == c;
}
static bool adjacent(const scan *s, uint32_t i) /* token i touches token i-1 */
{
    return i < s->n && !(s->t[i].flags & TD_XTF_SPACE);
}

const char *td_toll_kind_name(td_toll_kind k)
{
    switch (k) {
    case TD_TOLL_KILLED: return "killed";
    case TD_TOLL_WOUNDED: return "wounded";
    case TD_TOLL_ARRESTED: return "arrested";
    case TD_TOLL_MISSING: return "missing";
    case TD_TOLL_DISPLACED: return "displaced";
    case TD_TOLL_PEOPLE: return "people";
    }
    return "?";
}

/* Outcome of the word at i, 0 when none. */
static int outcome_at(const scan *s, uint32_t i)
{
    static const char *const KILL_PFX[] = { "kill", "death", "dead", "die", "dying", "fatalit",
                                            "slain", "massacr", "execut", "perish", "bodies",
                                            "murder", NULL };
    static const char *const WOUND_PFX[] = { "wound", "injur", "hurt", "hospitali", NULL };
    static const char *const ARREST_PFX[] = { "arrest", "detain", "captur", "jailed", "custody",
                                              NULL };
    static const char *const MISSING_PFX[] = { "missing", "abduct", "kidnap", "hostage",
                                               "unaccounted", "snatched", NULL };
    static const char *const DISPL_PFX[] = { "displac", "homeless", "evacuat", "fled", "flee",
                                             "uproot", NULL };
    static const struct {
        const char *const *pfx;
        int kind;
    } K[] = { { KILL_PFX, TD_TOLL_KILLED }, { WOUND_PFX, TD_TOLL_WOUNDED },
              { ARREST_PFX, TD_TOLL_ARRESTED }, { MISSING_PFX, TD_TOLL_MISSING },
              { DISPL_PFX, TD_TOLL_DISPLACED } };
    if (i >= s->n || s->t[i].kind != TD_XT_WORD)
        return 0;
    if (is(s, i, "lives") || is(s, i, "toll"))
        return TD_TOLL_KILLED;
    for (size_t k = 0; k < sizeof K / sizeof K[0]; k++)
        for (int j = 0; K[k].pfx[j]; j++)
            if (starts(s, i, K[k].pfx[j]))
                return K[k].kind;
    return 0;
}

static bool person_noun(const scan *s, uint32_t i)
{
    static const char *const P[] = {
        "people", "persons", "person", "civilians", "civilian", "fighters", "militants",
        "soldiers", "troops", "children", "women", "men", "policemen", "police", "officers",
        "members", "protesters", "protestors", "demonstrators", "students", "residents",
        "villagers", "workers", "passengers", "pilgrims", "worshippers", "mourners", "guests",
        "insurgents", "rebels", "jihadists", "gunmen", "combatants", "others", "victims",
        "migrants", "refugees", "prisoners", "detainees", "inmates", "schoolgirls", "girls",
        "boys", "kids", "patients", "staff", "journalists", "militiamen", "personnel",
        "recruits", "guards", "attackers", "suspects", "family", "relatives", "infants",
        "babies", "teenagers", "adults", "individuals", "farmers", "fishermen", "miners",
        "climbers", "tourists", "trekkers", "sherpas", "pupils", "teachers", "doctors",
        "nurses", "volunteers", "leaders", "commanders", NULL
    };
    return i < s->n && td_xtok_oneof(s->text, &s->t[i], P) >= 0;
}

/* Reads a number at i: digits, a number word, "N hundred/thousand/million";
 * *end gets the token after it. -1 when none. */
static long number_at(const scan *s, uint32_t i, uint32_t *end)
{
    if (i >= s->n)
        return -1;
    long v = td_xnum_digits(s->text, &s->t[i]);
    if (v < 0)
        v = td_xnum_word(s->text, &s->t[i]);
    if (v < 0)
        return -1;
    uint32_t j = i + 1;
    if (is(s, j, "hundred")) {
        v *= 100;
        j++;
    } else if (is(s, j, "thousand")) {
        v *= 1000;
        j++;
    } else if (is(s, j, "million")) {
        v *= 1000000;
        j++;
    }
    *end = j;
    return v;
}

/* Vague count words: dozens, scores, hundreds, thousands, a dozen. */
static bool vague_at(const scan *s, uint32_t i, uint32_t *lo, uint32_t *hi, uint32_t *end)
{
    static const struct {
        const char *w;
        uint32_t lo, hi;
    } V[] = { { "dozens", 24, 99 }, { "scores", 40, 99 }, { "hundreds", 200, 999 },
              { "thousands", 2000, 9999 }, { "tens", 20, 99 } };
    for (size_t k = 0; k < sizeof V / sizeof V[0]; k++) {
        if (is(s, i, V[k].w) && (is(s, i + 1, "of") || person_noun(s, i + 1) ||
                                 outcome_at(s, i + 1) || is(s, i + 1, "more"))) {
            *lo = V[k].lo;
            *hi = V[k].hi;
            *end = i + 1;
            return true;
        }
    }
    return false;
}

/* Qualifier ending right before i: returns its first token via *start. */
static int qual_before(const scan *s, uint32_t i, uint32_t *start)
{
    static const struct {
        const char *w1, *w2;
        int q;
    } Q[] = { { "at", "least", TD_TQ_AT_LEAST }, { "no", "fewer", TD_TQ_AT_LEAST },
              { "more", "than", TD_TQ_MORE_THAN }, { "upwards", "of", TD_TQ_MORE_THAN },
              { "up", "to", TD_TQ_UP_TO }, { "as", "many", TD_TQ_UP_TO },
              { "at", "most", TD_TQ_UP_TO }, { "close", "to", TD_TQ_NEARLY },
              { "fewer", "than", TD_TQ_LESS_THAN }, { "less", "than", TD_TQ_LESS_THAN },
              { NULL, "over", TD_TQ_MORE_THAN }, { NULL, "nearly", TD_TQ_NEARLY },
              { NULL, "almost", TD_TQ_NEARLY }, { NULL, "about", TD_TQ_ABOUT },
              { NULL, "around", TD_TQ_ABOUT }, { NULL, "some", TD_TQ_ABOUT },
              { NULL, "approximately", TD_TQ_ABOUT }, { NULL, "roughly", TD_TQ_ABOUT },
              { NULL, "estimated", TD_TQ_ABOUT }, { NULL, "under", TD_TQ_LESS_THAN } };
    *start = i;
    if (i == 0)
        return TD_TQ_EXACT;
    uint32_t k = i;
    if (is(s, k - 1, "as") && k >= 3 && is(s, k - 2, "many") && is(s, k - 3, "as")) {
        *start = k - 3; /* "as many as" */
        return TD_TQ_UP_TO;
    }
    for (size_t q = 0; q < sizeof Q / sizeof Q[0]; q++) {
        if (!is(s, k - 1, Q[q].w2))
            continue;
        if (!Q[q].w1) {
            *start = k - 1;
            return Q[q].q;
        }
        if (k >= 2 && is(s, k - 2, Q[q].w1)) {
            *start = k - 2;
            return Q[q].q;
        }
    }
    return TD_TQ_EXACT;
}

/* True when the number at [i, end) is not a count: measures, money, times,
 * percentages, years, designators, durations. */
static bool not_a_count(const scan *s, uint32_t i, uint32_t end, long v)
{
    static const char *const UNITS[] = {
        "percent", "per", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles",
        "mile", "metres", "meters", "metre", "meter", "feet", "foot", "kg", "kilograms", "tons",
        "tonnes", "pounds", "pound", "degrees", "dollars", "euros", "rupees", "riyals", "yuan",
        "dinars", "pesos", "years", "year", "days", "day", "hours", "hour", "minutes", "minute",
        "seconds", "weeks", "week", "months", "month", "am", "pm", "a.m.", "p.m.", "gmt", "utc",
        "o'clock", "times", "magnitude", "acres", "hectares", "mph", "kph", "mm", "cm", "inches",
        "litres", "liters", "barrels", "points", "votes", "seats", "storeys", "stories",
        "floors", "aircraft", "jets", "warplanes", "sorties", "strikes", "airstrikes", "raids",
        "rounds", "rockets", "missiles", "shells", "bombs", "vehicles", "cars", "trucks",
        "buildings", "houses", "homes", "villages", "towns", "districts", "provinces",
        "countries", "nations", "targets", "positions", "sites", "schools", "hospitals",
        "bridges", "times", "cases", "incidents", "attacks", "tanks", "boats", "ships", NULL
    };
    const char *p = s->text.p + s->t[i].off;
    /* money: $5, £3 (the symbol is the token before, touching) */
    if (i > 0 && adjacent(s, i)) {
        const td_xtok *b = &s->t[i - 1];
        const unsigned char c = (unsigned char)s->text.p[b->off];
        if (b->kind == TD_XT_PUNCT && (c == '$' || c == 0xC2 || c == 0xE2 || c == '#'))
            return true;
        if (b->kind == TD_XT_PUNCT && (c == '-' || c == '/' || c == ':' || c == '.'))
            return true; /* "F -16", "3/4", "10:30" */
        if (b->kind == TD_XT_WORD)
            return true; /* "US$5", glued to a word */
    }
    if (end < s->n) {
        const td_xtok *a = &s->t[end];
        char c = s->text.p[a->off];
        if (a->kind == TD_XT_PUNCT && adjacent(s, end) &&
            (c == '%' || c == ':' || c == '/' || (c == '-' && end + 1 < s->n &&
                                                 s->t[end + 1].kind != TD_XT_NUM)))
            return true;
        if (td_xtok_oneof(s->text, a, UNITS) >= 0)
            return true;
        if (c == '.' && adjacent(s, end) && end + 1 < s->n && adjacent(s, end + 1) &&
            s->t[end + 1].kind == TD_XT_NUM)
            return true; /* decimal the lexer split, "7. 8" never happens but "7.8" is NUM */
    }
    /* designators: "Brigade 20", "No. 10", "Resolution 2216", "Route 6" */
    if (i > 0) {
        const td_xtok *b = &s->t[i - 1];
        if (b->kind == TD_XT_WORD && (b->flags & TD_XTF_CAP) && i >= 2 &&
            !(s->t[i - 2].kind == TD_XT_PUNCT && s->text.p[s->t[i - 2].off] == '.'))
            return !person_noun(s, end) && !outcome_at(s, end) && !is(s, end, "of");
        if (is(s, i - 1, "no") || is(s, i - 1, "number") || is(s, i - 1, "no."))
            return true;
        if (punct(s, i - 1, '.') && i >= 2 && is(s, i - 2, "no"))
            return true;
    }
    /* years: a 4-digit 1800..2199 not followed by people or an outcome */
    if (s->t[i].kind == TD_XT_NUM && s->t[i].len == 4 && v >= 1800 && v <= 2199 && p[1] != ',') {
        /* "the 1987 earthquake that killed", "since 2014": a year whatever follows */
        if (i > 0 && (is(s, i - 1, "the") || is(s, i - 1, "in") || is(s, i - 1, "since") ||
                      is(s, i - 1, "of") || is(s, i - 1, "until") || is(s, i - 1, "from")))
            return true;
        return !person_noun(s, end) && !outcome_at(s, end);
    }
    return false;
}

/* Outcome of the count ending at token end: a short noun phrase, then
 * auxiliaries, then the outcome word. *person set when a person noun heads it. */
static int outcome_after(const scan *s, uint32_t end, bool *person)
{
    static const char *const AUX[] = { "were", "was", "have", "had", "been", "are", "is",
                                       "reportedly", "being", "also", "later", "allegedly",
                                       "confirmed", "believed", "feared", "reported", "to",
                                       "be", "remain", "remained", "still", "either",
                                       "left", "got", "all", "of", "them", "whom", NULL };
    uint32_t j = end, nouns = 0;
    *person = false;
    while (j < s->n && nouns < 4) {
        const td_xtok *t = &s->t[j];
        if (t->kind != TD_XT_WORD && !(t->kind == TD_XT_PUNCT && s->text.p[t->off] == '-'))
            break;
        int o = outcome_at(s, j);
        if (o)
            return o;
        if (person_noun(s, j))
            *person = true;
        if (td_xtok_oneof(s->text, t, AUX) >= 0) {
            j++;
            continue;
        }
        if (is(s, j, "and") || is(s, j, "or") || is(s, j, "in") || is(s, j, "on") ||
            is(s, j, "at") || is(s, j, "by") || is(s, j, "after") || is(s, j, "when"))
            break;
        nouns++;
        j++;
    }
    return 0;
}

/* Outcome word left of the count starting at token i, through fillers only. */
static int outcome_before(const scan *s, uint32_t i)
{
    static const char *const FILL[] = { "to", "of", "at", "the", "rose", "risen", "climbed",
                                        "reached", "stood", "stands", "has", "had", "have",
                                        "jumped", "soared", "increased", "is", "was", "now",
                                        "another", "a", "total", "further", "nearly", "than",
                                        "more", "least", "some", "about", "around", "over",
                                        "up", "as", "many", "almost", "an", "estimated",
                                        "lives", "life", "claiming", "claimed", "leaving", "left",
                                        "toll", "killed", "and", NULL };
    uint32_t steps = 0;
    for (uint32_t k = i; k > 0 && steps < 6; k--, steps++) {
        const td_xtok *t = &s->t[k - 1];
        if (t->kind != TD_XT_WORD)
            return 0;
        if (is(s, k - 1, "and") && steps == 0)
            return 0; /* "10 killed and 15 wounded": 15 looks right, not left */
        int o = outcome_at(s, k - 1);
        /* "dead"/"toll" read before a count only inside "death toll of";
         * "deaths" only as "the deaths of three children" */
        if (o && !is(s, k - 1, "dead") && !is(s, k - 1, "died") &&
            (!is(s, k - 1, "deaths") || is(s, k, "of")))
            return o;
        if (td_xtok_oneof(s->text, t, FILL) < 0)
            return 0;
        if (is(s, k - 1, "claiming") || is(s, k - 1, "claimed")) /* claiming the lives of */
            return is(s, k, "the") || is(s, k, "lives") ? TD_TOLL_KILLED : 0;
    }
    return 0;
}

/* "destroying two buildings housing 40 fighters": people inside what a
 * strike destroyed are counted as its dead, as the reports that give such
 * figures mean them. */
static bool inside_destroyed(const scan *s, uint32_t i)
{
    if (i == 0 || !(is(s, i - 1, "housing") || is(s, i - 1, "sheltering") || is(s, i - 1, "containing")))
        return false;
    for (uint32_t k = i - 1, steps = 0; k > 0 && steps < 6; k--, steps++)
        if (td_xtok_starts(s->text, &s->t[k - 1], "destroy") || td_xtok_starts(s->text, &s->t[k - 1], "flatten") ||
            is(s, k - 1, "levelled") || is(s, k - 1, "leveled"))
            return true;
    return false;
}

/* "The death toll from Monday's strike on the market rose to 19": a count
 * right after a verb of rising, with "toll" earlier in the sentence (up to
 * 24 tokens back, no other count between). */
static bool toll_rise(const scan *s, uint32_t i)
{
    static const char *const RISE[] = { "rose", "risen", "climbed", "reached", "jumped", "soared",
                                        "increased", "topped", "passed", "hit", "stood", "stands",
                                        "rises", "climbs", "reaches", "tops", "hits", "passes",
                                        "surpassed", "surpasses", "exceeded", "exceeds", "crossed",
                                        "crosses", "nears", "neared", "nearing", "mounted",
                                        "mounts", "rising", "climbing", "reaching", NULL };
    uint32_t k = i;
    /* "rose to", "stood at", "soared past", "climbed above", "risen to beyond" */
    if (k > 0 && (is(s, k - 1, "past") || is(s, k - 1, "above") || is(s, k - 1, "beyond")))
        k--;
    if (k > 0 && (is(s, k - 1, "to") || is(s, k - 1, "at")))
        k--;
    if (k == 0 || td_xtok_oneof(s->text, &s->t[k - 1], RISE) < 0)
        return false;
    for (uint32_t j = k - 1, steps = 0; j > 0 && steps < 24; j--, steps++) {
        /* another count between ends the search; a decimal ("Wednesday's
         * magnitude 6.4 quake") or a year is no count */
        if (s->t[j - 1].kind == TD_XT_NUM &&
            !memchr(s->text.p + s->t[j - 1].off, '.', s->t[j - 1].len) &&
            !(j >= 2 && is(s, j - 2, "magnitude")))
            return false;
        if (is(s, j - 1, "toll") || is(s, j - 1, "tolls"))
            return j >= 2 && (is(s, j - 2, "death") || is(s, j - 2, "casualty"));
    }
    return false;
}

/* True when token i ends a clause: a comma, semicolon, colon, full stop,
 * bracket or dash. */
static bool clause_end(const scan *s, uint32_t i)
{
    if (s->t[i].kind != TD_XT_PUNCT)
        return false;
    char c = s->text.p[s->t[i].off];
    return c == ',' || c == ';' || c == ':' || c == '.' || c == '(' || c == ')' ||
           (c == '-' && (s->t[i].flags & TD_XTF_SPACE)) ||
           (s->t[i].len == 3 && memcmp(s->text.p + s->t[i].off, "\xe2\x80", 2) == 0 &&
            (unsigned char)s->text.p[s->t[i].off + 2] >= 0x93 &&
            (unsigned char)s->text.p[s->t[i].off + 2] <= 0x95); /* en/em dash */
}

/* True when the count starting at token start follows "and" (or a comma),
 * which follows the previous toll's count through at most three plain words
 * (its noun phrase): "killed 3 soldiers and 2 civilians". */
static bool joined_to(const scan *s, uint32_t start, td_span prev)
{
    if (start < 2 || !(is(s, start - 1, "and") || punct(s, start - 1, ',')))
        return false;
    uint32_t k = start - 1, words = 0;
    while (k > 0 && s->t[k - 1].off >= prev.off + prev.len) {
        if (s->t[k - 1].kind != TD_XT_WORD || outcome_at(s, k - 1) || ++words > 3)
            return false;
        k--;
    }
    return k > 0 && s->t[k - 1].off + s->t[k - 1].len == prev.off + prev.len;
}

/* "a man", "an elderly woman", "a Yemeni soldier": one person named by a
 * singular noun within three words of the article at i (agents such as
 * "gunman" or "bomber" are left out: they kill, they are not the toll).
 * *end gets the token after the noun. */
static bool one_person(const scan *s, uint32_t i, uint32_t *end)
{
    static const char *const ONE[] = {
        "man", "woman", "child", "boy", "girl", "person", "soldier", "civilian", "policeman",
        "policewoman", "officer", "resident", "student", "journalist", "worker", "farmer",
        "guard", "teenager", "baby", "infant", "toddler", "fighter", "militant", "commander",
        "pilot", "driver", "passenger", "pupil", "teacher", "doctor", "nurse", "villager",
        "protester", "protestor", "demonstrator", "bystander", "worshipper", "pilgrim",
        "migrant", "prisoner", "detainee", "inmate", "trooper", "mother", "father", "son",
        "daughter", "schoolgirl", "schoolboy", "fisherman", "shepherd", "tourist", "climber",
        "volunteer", "paramedic", "medic", "rescuer", "firefighter", "conscript", "recruit",
        NULL
    };
    for (uint32_t k = i + 1; k < s->n && k <= i + 3; k++) {
        if (s->t[k].kind != TD_XT_WORD)
            return false;
        if (td_xtok_oneof(s->text, &s->t[k], ONE) >= 0) {
            *end = k + 1;
            return true;
        }
        if (outcome_at(s, k) || is(s, k, "and") || is(s, k, "of") || is(s, k, "who"))
            return false;
    }
    return false;
}

/* Scope of the count spanning tokens [start, end): a part of a toll when
 * "including", "of the" lead it or "among" follows it; a cumulative figure
 * when its clause speaks of a war, a conflict or an insurgency, or of a
 * period ("since 2015", "since the start of", "so far this year", "in
 * total"). "since Saturday's quake" dates the event and is no period. */
static int scope_of(const scan *s, uint32_t start, uint32_t end)
{
    static const char *const WHOLE[] = { "war", "wars", "conflict", "insurgency", "uprising",
                                         "insurgencies", "wartime", NULL };
    static const char *const PERIOD[] = { "days", "weeks", "months", "years", "day", "week",
                                          "month", "year", "hours", NULL };
    static const char *const OUTSET[] = { "start", "beginning", "outbreak", "onset", "began",
                                          "started", "erupted", NULL };
    if (start > 0 && is(s, start - 1, "including"))
        return TD_TS_PART;
    if (start > 1 && is(s, start - 1, "the") && is(s, start - 2, "of"))
        return TD_TS_PART;
    for (uint32_t k = end; k < s->n && k < end + 4 && !clause_end(s, k); k++)
        if (is(s, k, "among"))
            return TD_TS_PART;
    uint32_t a = start, b = end;
    while (a > 0 && !clause_end(s, a - 1))
        a--;
    while (b < s->n && !clause_end(s, b))
        b++;
    /* "two weeks after more than 8,000 people died": the clause dates this
     * event from an earlier one, whose toll it recalls. Only a count that
     * opens the clause after "after": in "weeks after a car bomb killed 12"
     * the 12 is the bombing's, whose trigger stands before it. */
    if (start >= 2 && is(s, start - 1, "after") &&
        td_xtok_oneof(s->text, &s->t[start - 2], PERIOD) >= 0)
        return TD_TS_EARLIER;
    for (uint32_t k = a; k < b; k++) {
        if (td_xtok_oneof(s->text, &s->t[k], WHOLE) >= 0)
            return TD_TS_TOTAL;
        if (is(s, k, "since") && k + 1 < b &&
            (s->t[k + 1].kind == TD_XT_NUM ||
             (is(s, k + 1, "the") && k + 2 < b &&
              td_xtok_oneof(s->text, &s->t[k + 2], OUTSET) >= 0) ||
             td_xtok_oneof(s->text, &s->t[k + 1], OUTSET) >= 0))
            return TD_TS_TOTAL;
        if (is(s, k, "so") && is(s, k + 1, "far") && is(s, k + 2, "this") &&
            (is(s, k + 3, "year") || is(s, k + 3, "month")))
            return TD_TS_TOTAL;
        if (is(s, k, "in") && is(s, k + 1, "total"))
            return TD_TS_TOTAL;
    }
    return TD_TS_EVENT;
}

uint32_t td_toll_find(td_str text, td_toll *out, uint32_t cap)
{
    if (!text.p || !out || !cap)
        return 0;
    td_xtok toks[MAX_TOK];
    scan s = { text, toks, td_xlex(text, toks, MAX_TOK) };
    uint32_t n = 0;
    bool before_kind = false; /* the last toll took its outcome from a word before it */
    for (uint32_t i = 0; i < s.n && n < cap; i++) {
        uint32_t end = 0, lo, hi, start = i;
        int qual = TD_TQ_EXACT;
        long v;
        if (is(&s, i, "between")) {
            uint32_t e1, e2;
            long a = number_at(&s, i + 1, &e1);
            long b = a >= 0 && is(&s, e1, "and") ? number_at(&s, e1 + 1, &e2) : -1;
            if (b > a) {
                lo = (uint32_t)a;
                hi = (uint32_t)b;
                end = e2;
                if (not_a_count(&s, e1 + 1, end, b))
                    continue;
                goto classify;
            }
            continue;
        }
        if (vague_at(&s, i, &lo, &hi, &end)) {
            qual = TD_TQ_VAGUE;
            goto classify;
        }
        if ((is(&s, i, "a") || is(&s, i, "an")) && one_person(&s, i, &end)) {
            /* "killing a Yemeni man", "a soldier was killed": one, but
             * only with its outcome ("a gunman killed" is no toll) */
            bool person;
            int kind = outcome_before(&s, i);
            if (!kind && (is(&s, end, "was") || is(&s, end, "died") || is(&s, end, "has") ||
                          is(&s, end, "had") || is(&s, end, "is")))
                kind = outcome_after(&s, end, &person);
            if (kind == TD_TOLL_KILLED || kind == TD_TOLL_WOUNDED || kind == TD_TOLL_MISSING ||
                kind == TD_TOLL_ARRESTED) {
                uint32_t off = toks[i].off, e = toks[end - 1].off + toks[end - 1].len;
                out[n++] = (td_toll){ { off, e - off }, 1, 1, (uint8_t)kind, TD_TQ_EXACT,
                                      (uint8_t)scope_of(&s, i, end) };
            }
            i = end - 1;
            continue;
        }
        if (is(&s, i, "a") && is(&s, i + 1, "dozen")) {
            lo = hi = 12;
            end = i + 2;
            qual = TD_TQ_ABOUT;
            goto classify;
        }
        v = number_at(&s, i, &end);
        if (v < 0)
            continue;
        /* "one" is a pronoun far more often than a count of people */
        if (is(&s, i, "one") && !outcome_at(&s, end) && !person_noun(&s, end))
            continue;
        if (not_a_count(&s, i, end, v))
            continue;
        lo = hi = (uint32_t)v;
        qual = qual_before(&s, i, &start);
        /* ranges "10 to 15", "10-15", "10 or 12" */
        {
            uint32_t e2;
            long b = -1;
            if (is(&s, end, "to") || is(&s, end, "or"))
                b = number_at(&s, end + 1, &e2);
            else if (punct(&s, end, '-') && adjacent(&s, end))
                b = number_at(&s, end + 1, &e2);
            if (b > v) {
                hi = (uint32_t)b;
                end = e2;
            }
        }
    classify:;
        bool person = false;
        int kind = outcome_before(&s, start);
        int after = outcome_after(&s, end, &person);
        if (!kind)
            kind = after;
        if (!kind && toll_rise(&s, start))
            kind = TD_TOLL_KILLED;
        if (!kind && person)
            kind = TD_TOLL_PEOPLE;
        if (kind == TD_TOLL_PEOPLE && inside_destroyed(&s, start))
            kind = TD_TOLL_KILLED;
        if (!kind) {
            i = end ? end - 1 : i;
            continue;
        }
        uint32_t off = toks[start].off, e = toks[end - 1].off + toks[end - 1].len;
        /* "killed three soldiers and two civilians": people joined by "and"
         * to the objects of the verb before them share its outcome, and the
         * toll is their sum */
        if (kind == TD_TOLL_PEOPLE && n > 0 && before_kind && joined_to(&s, start, out[n - 1].span)) {
            td_toll *pv = &out[n - 1];
            pv->min += lo;
            pv->max += hi;
            pv->span.len = e - pv->span.off;
            i = end - 1;
            continue;
        }
        before_kind = outcome_before(&s, start) != 0;
        out[n++] = (td_toll){ { off, e - off }, lo, hi, (uint8_t)kind, (uint8_t)qual,
                              (uint8_t)scope_of(&s, start, end) };
        i = end - 1;
    }
    return n;
}
