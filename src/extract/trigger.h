/*
 * trigger.h - the event trigger lexicon: verbs and nouns that name an event
 * of one of the types of FORMAT.md, matched on the words of a sentence.
 *
 * Data structure: a static table of patterns (one to three words; a trailing
 * '*' makes a word a prefix, which stands in for stemming: "clash*" covers
 * clash, clashes, clashed, clashing). A token is compared with a pattern only
 * when their first letters agree, so a sentence costs a few thousand byte
 * compares; the table is const, shared by all threads. Context-only entries ("warplanes",
 * "artillery") refine the type of a generic attack word ("struck", "attack")
 * instead of being events on their own. docs/events.md maps each type to
 * ACLED and PLOVER.
 */
#ifndef TD_EXTRACT_TRIGGER_H
#define TD_EXTRACT_TRIGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"
#include "extract/event_int.h"

typedef enum td_event_type {
    TD_EV_NONE = 0,
    TD_EV_AIRSTRIKE,
    TD_EV_SHELLING,
    TD_EV_BOMBING,
    TD_EV_ARMED_CLASH,
    TD_EV_RAID_OR_ARREST,
    TD_EV_KILLING,
    TD_EV_PROTEST,
    TD_EV_AGREEMENT,
    TD_EV_MEETING,
    TD_EV_STATEMENT,
    TD_EV_ELECTION,
    TD_EV_DISASTER,
    TD_EV_OTHER,
    TD_EV_COUNT
} td_event_type;

enum {
    TD_TRIG_VERB = 1,     /* a verb form: arguments on both sides */
    TD_TRIG_NOUN = 2,     /* a noun: "air strikes on X", "the strike by Y" */
    TD_TRIG_GENERIC = 4,  /* an attack word whose type comes from context */
    TD_TRIG_CONTEXT = 8,  /* not an event alone: refines generic triggers */
    TD_TRIG_WEAK = 16     /* counts only when nothing stronger is in the sentence */
};

typedef struct td_trigger {
    uint32_t tok;         /* first token index */
    uint32_t n_tok;       /* tokens matched */
    uint8_t type;         /* td_event_type */
    uint8_t flags;        /* TD_TRIG_* */
} td_trigger;

/* Matches the lexicon on the tokens of text; writes at most cap triggers in
 * token order and returns how many. Longest pattern wins at a position. */
uint32_t td_trigger_find(td_str text, const td_xtok *toks, uint32_t n, td_trigger *out,
                         uint32_t cap);

/* "airstrike", "shelling", ... "other"; "" for TD_EV_NONE. */
const char *td_event_type_name(td_event_type t);
/* The type named s (as written by td_event_type_name), TD_EV_NONE if unknown. */
td_event_type td_event_type_from_name(td_str s);

#endif
