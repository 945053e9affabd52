/*
 * trigger.c - see trigger.h. The lexicon is the table below: general news
 * vocabulary for each event type, written for this project.
 */
#include "extract/trigger.h"

#include <string.h>

#define V TD_TRIG_VERB
#define N TD_TRIG_NOUN
#define G TD_TRIG_GENERIC
#define C TD_TRIG_CONTEXT
#define W TD_TRIG_WEAK

typedef struct entry {
    const char *pat;   /* words separated by one space; trailing '*' = prefix */
    uint8_t type;
    uint8_t flags;
} entry;

static const entry LEX[] = {
    /* airstrike */
    { "airstrike*", TD_EV_AIRSTRIKE, N }, { "air strike*", TD_EV_AIRSTRIKE, N },
    { "air-strike*", TD_EV_AIRSTRIKE, N }, { "air raid*", TD_EV_AIRSTRIKE, N },
    { "air attack*", TD_EV_AIRSTRIKE, N }, { "aerial bombardment*", TD_EV_AIRSTRIKE, N },
    { "aerial attack*", TD_EV_AIRSTRIKE, N }, { "drone strike*", TD_EV_AIRSTRIKE, N },
    { "drone attack*", TD_EV_AIRSTRIKE, N }, { "airstrike", TD_EV_AIRSTRIKE, N },
    { "warplane*", TD_EV_AIRSTRIKE, C }, { "fighter jet*", TD_EV_AIRSTRIKE, C },
    { "jets", TD_EV_AIRSTRIKE, C }, { "aircraft", TD_EV_AIRSTRIKE, C },
    { "air force", TD_EV_AIRSTRIKE, C }, { "sorties", TD_EV_AIRSTRIKE, C },
    { "helicopter*", TD_EV_AIRSTRIKE, C }, { "drone*", TD_EV_AIRSTRIKE, C },
    { "bombers", TD_EV_AIRSTRIKE, C }, { "planes", TD_EV_AIRSTRIKE, C },
    /* shelling */
    { "shelled", TD_EV_SHELLING, V }, { "shelling", TD_EV_SHELLING, N },
    { "shells", TD_EV_SHELLING, C }, { "artillery", TD_EV_SHELLING, C | N },
    { "mortar*", TD_EV_SHELLING, C | N }, { "rocket*", TD_EV_SHELLING, C | N },
    { "missile*", TD_EV_SHELLING, C | N }, { "projectile*", TD_EV_SHELLING, C },
    { "bombard*", TD_EV_SHELLING, V | N }, { "howitzer*", TD_EV_SHELLING, C },
    { "fired missiles", TD_EV_SHELLING, V }, { "fired rockets", TD_EV_SHELLING, V },
    { "fired a missile", TD_EV_SHELLING, V }, { "fired a rocket", TD_EV_SHELLING, V },
    { "fired mortars", TD_EV_SHELLING, V }, { "intercepted", TD_EV_SHELLING, V | W },
    /* bombing */
    { "bombing*", TD_EV_BOMBING, N }, { "bombed", TD_EV_BOMBING, V },
    { "car bomb*", TD_EV_BOMBING, N }, { "suicide bomb*", TD_EV_BOMBING, N },
    { "roadside bomb*", TD_EV_BOMBING, N }, { "bomber*", TD_EV_BOMBING, N },
    { "explosion*", TD_EV_BOMBING, N }, { "exploded", TD_EV_BOMBING, V },
    { "blast*", TD_EV_BOMBING, N }, { "detonat*", TD_EV_BOMBING, V },
    { "explosive device*", TD_EV_BOMBING, N }, { "ied", TD_EV_BOMBING, N },
    { "ieds", TD_EV_BOMBING, N }, { "bomb", TD_EV_BOMBING, C | N },
    { "bombs", TD_EV_BOMBING, C | N },
    /* armed clash */
    { "clash*", TD_EV_ARMED_CLASH, V | N }, { "fighting", TD_EV_ARMED_CLASH, N },
    { "fought", TD_EV_ARMED_CLASH, V }, { "battle*", TD_EV_ARMED_CLASH, V | N | W },
    { "gunfight*", TD_EV_ARMED_CLASH, N }, { "firefight*", TD_EV_ARMED_CLASH, N },
    { "gun battle*", TD_EV_ARMED_CLASH, N }, { "skirmish*", TD_EV_ARMED_CLASH, N },
    { "ambush*", TD_EV_ARMED_CLASH, V | N }, { "offensive", TD_EV_ARMED_CLASH, N | W },
    { "exchanged fire", TD_EV_ARMED_CLASH, V }, { "exchange of fire", TD_EV_ARMED_CLASH, N },
    { "attack", TD_EV_ARMED_CLASH, G | N }, { "attacks", TD_EV_ARMED_CLASH, G | N },
    { "attacked", TD_EV_ARMED_CLASH, G | V }, { "attacking", TD_EV_ARMED_CLASH, G | V },
    { "struck", TD_EV_NONE, G | V }, { "strike", TD_EV_NONE, G | N },
    { "strikes", TD_EV_NONE, G | N }, { "striking", TD_EV_NONE, G | V },
    { "hit", TD_EV_NONE, G | V }, { "targeted", TD_EV_NONE, G | V },
    { "targeting", TD_EV_NONE, G | V },
    /* raid or arrest */
    { "raid*", TD_EV_RAID_OR_ARREST, V | N }, { "arrest*", TD_EV_RAID_OR_ARREST, V | N },
    { "detain*", TD_EV_RAID_OR_ARREST, V }, { "detention*", TD_EV_RAID_OR_ARREST, N | W },
    { "abduct*", TD_EV_RAID_OR_ARREST, V | N }, { "kidnap*", TD_EV_RAID_OR_ARREST, V | N },
    { "rounded up", TD_EV_RAID_OR_ARREST, V }, { "taken hostage", TD_EV_RAID_OR_ARREST, V },
    { "took hostage", TD_EV_RAID_OR_ARREST, V }, { "seized", TD_EV_RAID_OR_ARREST, V | W },
    /* killing */
    { "kill*", TD_EV_KILLING, V | W }, { "shot dead", TD_EV_KILLING, V },
    { "gunned down", TD_EV_KILLING, V }, { "executed", TD_EV_KILLING, V | W }, { "execution*", TD_EV_KILLING, N | W },
    { "assassinat*", TD_EV_KILLING, V | N }, { "murder*", TD_EV_KILLING, V | N },
    { "massacre*", TD_EV_KILLING, V | N }, { "behead*", TD_EV_KILLING, V },
    { "stabbed", TD_EV_KILLING, V }, { "lynch*", TD_EV_KILLING, V },
    { "gunmen", TD_EV_KILLING, C },
    /* protest */
    { "protest*", TD_EV_PROTEST, V | N }, { "demonstrat*", TD_EV_PROTEST, V | N },
    { "rally", TD_EV_PROTEST, N }, { "rallies", TD_EV_PROTEST, N },
    { "rallied", TD_EV_PROTEST, V }, { "march", TD_EV_PROTEST, N | W },
    { "marched", TD_EV_PROTEST, V }, { "marchers", TD_EV_PROTEST, N },
    { "sit-in*", TD_EV_PROTEST, N }, { "riot*", TD_EV_PROTEST, V | N },
    { "took to the", TD_EV_PROTEST, V | W }, { "tear gas", TD_EV_PROTEST, N | W },
    { "stormed", TD_EV_PROTEST, V | W }, { "rioters", TD_EV_PROTEST, N },
    /* agreement */
    { "agreement*", TD_EV_AGREEMENT, N }, { "agreed", TD_EV_AGREEMENT, V },
    { "ceasefire*", TD_EV_AGREEMENT, N }, { "cease-fire*", TD_EV_AGREEMENT, N },
    { "truce*", TD_EV_AGREEMENT, N }, { "accord", TD_EV_AGREEMENT, N | W }, { "accords", TD_EV_AGREEMENT, N | W },
    { "treaty", TD_EV_AGREEMENT, N }, { "peace deal*", TD_EV_AGREEMENT, N },
    { "signed", TD_EV_AGREEMENT, V | W }, { "deal", TD_EV_AGREEMENT, N | W },
    { "signs", TD_EV_AGREEMENT, V | W }, { "agrees", TD_EV_AGREEMENT, V },
    /* meeting */
    { "met", TD_EV_MEETING, V }, { "meeting*", TD_EV_MEETING, N | W },
    { "talks", TD_EV_MEETING, N }, { "summit*", TD_EV_MEETING, N },
    { "held talks", TD_EV_MEETING, V }, { "visited", TD_EV_MEETING, V | W },
    /* headlines speak in the present: "Maran meets freed pupils" */
    { "meets", TD_EV_MEETING, V }, { "holds talks", TD_EV_MEETING, V },
    { "visits", TD_EV_MEETING, V | W },
    /* statement */
    { "condemn*", TD_EV_STATEMENT, V | N }, { "denounc*", TD_EV_STATEMENT, V },
    { "called for", TD_EV_STATEMENT, V }, { "calls for", TD_EV_STATEMENT, V },
    { "urged", TD_EV_STATEMENT, V | W }, { "demanded", TD_EV_STATEMENT, V | W },
    { "apologi*", TD_EV_STATEMENT, V }, { "suspended", TD_EV_STATEMENT, V },
    { "ruled out", TD_EV_STATEMENT, V }, { "announced", TD_EV_STATEMENT, V | W },
    { "rules out", TD_EV_STATEMENT, V }, { "announces", TD_EV_STATEMENT, V | W },
    /* "told the news agency that the toll could double": see qualifies() */
    { "told", TD_EV_STATEMENT, V | W }, { "warned", TD_EV_STATEMENT, V | W },
    { "suspends", TD_EV_STATEMENT, V }, { "urges", TD_EV_STATEMENT, V | W },
    { "declares", TD_EV_STATEMENT, V | W },
    { "ordered an investigation", TD_EV_STATEMENT, V },
    { "ordered a review", TD_EV_STATEMENT, V }, { "review", TD_EV_STATEMENT, N | W },
    { "investigation", TD_EV_STATEMENT, N | W }, { "declared", TD_EV_STATEMENT, V | W },
    /* "described it as", "called it a 'day of shame'": see qualifies() */
    { "described", TD_EV_STATEMENT, V | W }, { "called", TD_EV_STATEMENT, V | W },
    { "called on", TD_EV_STATEMENT, V | W }, { "calls on", TD_EV_STATEMENT, V | W },
    /* election */
    { "election*", TD_EV_ELECTION, N }, { "elected", TD_EV_ELECTION, V },
    { "voted", TD_EV_ELECTION, V | W }, { "voting", TD_EV_ELECTION, N | W },
    { "ballot*", TD_EV_ELECTION, N }, { "referendum*", TD_EV_ELECTION, N },
    { "by-election*", TD_EV_ELECTION, N }, { "inaugurat*", TD_EV_ELECTION, V | W },
    /* disaster */
    { "earthquake*", TD_EV_DISASTER, N }, { "quake*", TD_EV_DISASTER, N },
    { "tremor*", TD_EV_DISASTER, N }, { "aftershock*", TD_EV_DISASTER, N },
    { "flood*", TD_EV_DISASTER, V | N }, { "landslide*", TD_EV_DISASTER, N },
    { "mudslide*", TD_EV_DISASTER, N }, { "avalanche*", TD_EV_DISASTER, N },
    { "cyclone*", TD_EV_DISASTER, N }, { "hurricane*", TD_EV_DISASTER, N },
    { "typhoon*", TD_EV_DISASTER, N }, { "tsunami*", TD_EV_DISASTER, N },
    { "eruption*", TD_EV_DISASTER, N }, { "erupted", TD_EV_DISASTER, V },
    { "wildfire*", TD_EV_DISASTER, N }, { "drought*", TD_EV_DISASTER, N },
    /* other: releases and escapes of people held */
    { "freed", TD_EV_OTHER, V }, { "release of", TD_EV_OTHER, N | W },
    { "escaped", TD_EV_OTHER, V | W }, { "escape", TD_EV_OTHER, N | W },
    { "returned", TD_EV_OTHER, V | W }, { "returns", TD_EV_OTHER, V | W }, /* people: see below */
    { "storm", TD_EV_DISASTER, N | W }, { "storms", TD_EV_DISASTER, N | W }, { "heatwave*", TD_EV_DISASTER, N },
    { "magnitude", TD_EV_DISASTER, C },
};

#undef V
#undef N
#undef G
#undef C
#undef W

static inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* Matches one pattern word (p[0..pn), maybe ending in '*') on token t. */
static bool word_match(td_str text, const td_xtok *t, const char *p, size_t pn, bool alone)
{
    if (t->kind != TD_XT_WORD)
        return false;
    const char *w = text.p + t->off;
    bool prefix = pn > 0 && p[pn - 1] == '*';
    size_t need = prefix ? pn - 1 : pn;
    if (prefix ? t->len < need : t->len != need)
        return false;
    for (size_t i = 0; i < need; i++)
        if (lower(w[i]) != p[i])
            return false;
    /* a prefix names the act, not its agents or patients: "protest*" is not
     * "protesters", "detain*" not "detainees", "kidnap*" not "kidnappers"
     * (in a longer pattern the agent is the act: "suicide bomber") */
    if (prefix && alone && t->len > need) {
        static const char *const AGENT[] = { "er", "ers", "or", "ors", "ee", "ees", "pers", "per", NULL };
        td_str rest = { w + need, t->len - need };
        for (int a = 0; AGENT[a]; a++)
            if (td_str_ieq(rest, td_str_cstr(AGENT[a])))
                return false;
    }
    return true;
}

static const char *const PEOPLE[] = { "girls", "schoolgirls", "boys", "students", "pupils",
                                      "children", "hostages", "captives", "people", "women",
                                      "men", "workers", "villagers", "detainees", "prisoners",
                                      "fishermen", "passengers", "soldiers", "civilians", NULL };

/* True when a count or a word for people follows at i or i + 1 ("returned
 * 12 fishermen", "returned the hostages"). */
static bool people_next(td_str text, const td_xtok *toks, uint32_t n, uint32_t i)
{
    for (uint32_t k = i; k < n && k < i + 3; k++) {
        if (toks[k].kind == TD_XT_NUM || td_xtok_oneof(text, &toks[k], PEOPLE) >= 0)
            return true;
        if (toks[k].kind != TD_XT_WORD)
            return false;
    }
    return false;
}

/* True when "returned home" at i has captives for its subject ("the
 * kidnapped pupils have returned home"): a release. The delegation or the
 * troops returning home are not. */
static bool captives_home(td_str text, const td_xtok *toks, uint32_t n, uint32_t i)
{
    static const char *const CAPTIVES[] = { "girls", "schoolgirls", "boys", "pupils", "students",
                                            "children", "hostages", "captives", "abductees",
                                            "detainees", "prisoners", "fishermen", "sailors",
                                            NULL };
    if (i + 1 >= n || !td_xtok_is(text, &toks[i + 1], "home"))
        return false;
    for (uint32_t k = i; k > 0 && i - k < 20; k--) {
        if (toks[k - 1].kind == TD_XT_PUNCT && text.p[toks[k - 1].off] != ',')
            return false;
        if (td_xtok_oneof(text, &toks[k - 1], CAPTIVES) >= 0)
            return true;
    }
    return false;
}

/* True when the participle at i modifies a noun rather than reports an act:
 * "the kidnapped pupils", "the 40 abducted fishermen", "returns abducted
 * pupils" name people taken earlier. */
static bool attributive(td_str text, const td_xtok *toks, uint32_t i)
{
    static const char *const BEFORE[] = { "the", "a", "an", "their", "its", "his", "her", "those",
                                          "these", "of", "for", "about", "freed", "released",
                                          "returned", "returns", "rescued", "remaining", "other",
                                          NULL };
    const td_xtok *t = &toks[i];
    if (t->len < 3 || memcmp(text.p + t->off + t->len - 2, "ed", 2) != 0 || i == 0)
        return false;
    if (toks[i - 1].kind == TD_XT_NUM || td_xtok_oneof(text, &toks[i - 1], BEFORE) >= 0)
        return true;
    /* "returned 12 hostages kidnapped from the ferry": a counted or
     * determined object of another verb, qualified by the participle (a
     * sentence opening "20 pupils kidnapped from ..." is a headline's report) */
    return i >= 3 && td_xtok_oneof(text, &toks[i - 1], PEOPLE) >= 0 &&
           (toks[i - 2].kind == TD_XT_NUM || td_xtok_oneof(text, &toks[i - 2], BEFORE) >= 0) &&
           toks[i - 3].kind == TD_XT_WORD;
}

/* "described" and "called" are statements only as characterisations:
 * "described the attack as barbaric" ("as" within the clause), "called it a
 * massacre", "called the raid a 'day of shame'" (a quotation soon
 * after); "a group called X" and "called a meeting" are not. */
static bool qualifies(td_str text, const td_xtok *toks, uint32_t n, uint32_t i)
{
    /* "warned that ...", "told the agency that the toll could double": a
     * warning or a forecast is the speaker's own news; "told reporters
     * that 12 were killed" relays a fact (the attribution of another
     * event), and "told to leave", "warned of rain" say nothing */
    bool told = td_xtok_is(text, &toks[i], "told");
    if (told || td_xtok_is(text, &toks[i], "warned")) {
        static const char *const MODAL[] = { "could", "would", "may", "might", "will", "expected",
                                             "likely", NULL };
        for (uint32_t k = i + 1; k < n && k < i + 7; k++) {
            if (td_xtok_is(text, &toks[k], "that")) {
                if (!told)
                    return true;
                for (uint32_t j = k + 1; j < n && j < k + 16; j++) {
                    if (toks[j].kind == TD_XT_PUNCT && text.p[toks[j].off] == '.')
                        return false;
                    if (td_xtok_oneof(text, &toks[j], MODAL) >= 0)
                        return true;
                }
                return false;
            }
            if (toks[k].kind == TD_XT_PUNCT || td_xtok_is(text, &toks[k], "to") ||
                td_xtok_is(text, &toks[k], "of"))
                return false;
        }
        return false;
    }
    bool desc = td_xtok_is(text, &toks[i], "described");
    if (!desc && !td_xtok_is(text, &toks[i], "called"))
        return true;
    for (uint32_t k = i + 1; k < n && k < i + 9; k++) {
        if (toks[k].kind == TD_XT_PUNCT && !(toks[k].flags & TD_XTF_QUOTE))
            return false;
        if (desc && td_xtok_is(text, &toks[k], "as"))
            return true;
        if (!desc && ((toks[k].flags & TD_XTF_QUOTE) ||
                      (k == i + 1 && (td_xtok_is(text, &toks[k], "it") ||
                                      td_xtok_is(text, &toks[k], "them")))))
            return k < i + 6;
    }
    return false;
}

/* Tokens matched by pattern pat at toks[i], 0 when none. */
static uint32_t pat_match(td_str text, const td_xtok *toks, uint32_t n, uint32_t i, const char *pat)
{
    uint32_t k = i;
    const char *p = pat;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t pn = sp ? (size_t)(sp - p) : strlen(p);
        if (k >= n || !word_match(text, &toks[k], p, pn, p == pat && !sp))
            return 0;
        k++;
        p += pn;
        if (*p == ' ')
            p++;
    }
    return k - i;
}

uint32_t td_trigger_find(td_str text, const td_xtok *toks, uint32_t n, td_trigger *out,
                         uint32_t cap)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n && k < cap; i++) {
        if (toks[i].kind != TD_XT_WORD)
            continue;
        char c0 = lower(text.p[toks[i].off]);
        uint32_t best = 0;
        const entry *be = NULL;
        for (size_t e = 0; e < sizeof LEX / sizeof LEX[0]; e++) {
            if (LEX[e].pat[0] != c0)
                continue;
            uint32_t m = pat_match(text, toks, n, i, LEX[e].pat);
            if (m > best) {
                best = m;
                be = &LEX[e];
            }
        }
        if (!be)
            continue;
        /* "march" and "talks" are protest/meeting words only in lower case:
         * "March" the month, "Talks" opening a headline-style sentence are not */
        if ((be->type == TD_EV_PROTEST && td_xtok_is(text, &toks[i], "march") &&
             (toks[i].flags & TD_XTF_CAP)))
            continue;
        if (be->type == TD_EV_OTHER && (td_xtok_is(text, &toks[i], "returned") ||
                                        td_xtok_is(text, &toks[i], "returns")) &&
            !people_next(text, toks, n, i + 1) && !captives_home(text, toks, n, i))
            continue; /* "returned 12 hostages" is a release, "returned home" is not */
        if (be->type == TD_EV_RAID_OR_ARREST && attributive(text, toks, i))
            continue;
        if (be->type == TD_EV_STATEMENT && best == 1 && !qualifies(text, toks, n, i))
            continue;
        out[k++] = (td_trigger){ i, best, be->type, be->flags };
        i += best - 1;
    }
    return k;
}

static const char *const NAMES[TD_EV_COUNT] = {
    "", "airstrike", "shelling", "bombing", "armed_clash", "raid_or_arrest", "killing",
    "protest", "agreement", "meeting", "statement", "election", "disaster", "other",
};

const char *td_event_type_name(td_event_type t)
{
    return (unsigned)t < TD_EV_COUNT ? NAMES[t] : "";
}

td_event_type td_event_type_from_name(td_str s)
{
    for (int i = 1; i < TD_EV_COUNT; i++)
        if (td_str_eq(s, td_str_cstr(NAMES[i])))
            return (td_event_type)i;
    return TD_EV_NONE;
}
