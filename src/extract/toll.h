/*
 * toll.h - counts of people in a sentence and what happened to them: killed,
 * wounded, arrested, missing (abducted), displaced, or just counted.
 *
 * Recognised: digits ("45", "1,200") and words ("twenty-three", "a dozen",
 * "two hundred"), "N million"; ranges ("between 10 and 15", "10 to 15",
 * "10-15"); qualifiers kept (at least, more than, up to, nearly, about, some,
 * as many as); vague counts (dozens, scores, hundreds, thousands) with a
 * range and TD_TQ_VAGUE. The outcome comes from the verb or noun tied to the
 * count: before it ("killing at least 45", "the death toll rose to 60",
 * "wounding 12") or after it ("36 fighters were killed", "45 dead",
 * "12 others were injured").
 *
 * Not counts: designators and compounds ("F-16", "2,000-pound bomb", "Brigade
 * 20", "No. 10"), years, clock times, percentages, money, measures (km, tons),
 * durations ("three days"), dates, decimals.
 *
 * No allocation: the caller passes the output array. Linear in the text.
 */
#ifndef TD_EXTRACT_TOLL_H
#define TD_EXTRACT_TOLL_H

#include <stdint.h>

#include "base/str.h"
#include "types.h"

typedef enum td_toll_kind {
    TD_TOLL_KILLED = 1,
    TD_TOLL_WOUNDED,
    TD_TOLL_ARRESTED,
    TD_TOLL_MISSING,      /* missing, abducted, kidnapped, taken hostage */
    TD_TOLL_DISPLACED,    /* displaced, fled, evacuated, homeless */
    TD_TOLL_PEOPLE        /* a count of people with no outcome ("40 fighters") */
} td_toll_kind;

typedef enum td_toll_qual {
    TD_TQ_EXACT = 0,
    TD_TQ_AT_LEAST,       /* at least, no fewer than */
    TD_TQ_MORE_THAN,      /* more than, over, upwards of */
    TD_TQ_UP_TO,          /* up to, as many as, at most */
    TD_TQ_ABOUT,          /* about, around, some, approximately, roughly */
    TD_TQ_NEARLY,         /* nearly, almost, close to */
    TD_TQ_LESS_THAN,      /* fewer than, less than, under */
    TD_TQ_VAGUE           /* dozens, scores, hundreds: min/max give the range */
} td_toll_qual;

/* What the count measures: the event's own toll, a part of it ("three
 * Americans were among those killed", "including 12 children", "one of the
 * three killed"), or a cumulative figure of a war or a period ("the war has
 * killed more than 10,000 since 2015", "so far this year"), or the toll of
 * an earlier event the sentence measures time from ("a month after 300
 * died in the floods"). Only TD_TS_EVENT counts are a single event's toll. */
typedef enum td_toll_scope {
    TD_TS_EVENT = 0,
    TD_TS_PART,
    TD_TS_TOTAL,
    TD_TS_EARLIER         /* an earlier event's: "two weeks after more than
                             8,000 people died in a quake" */
} td_toll_scope;

typedef struct td_toll {
    td_span span;         /* the count with its qualifier, in the text given */
    uint32_t min, max;    /* equal for one figure; a range otherwise */
    uint8_t kind;         /* td_toll_kind */
    uint8_t qual;         /* td_toll_qual */
    uint8_t scope;        /* td_toll_scope */
} td_toll;

/* Finds the counts of people in text (normally one sentence), in order.
 * Writes at most cap of them and returns how many were written. */
uint32_t td_toll_find(td_str text, td_toll *out, uint32_t cap);

/* Short name of a kind: "killed", "wounded", "arrested", "missing",
 * "displaced", "people". */
const char *td_toll_kind_name(td_toll_kind k);

#endif
