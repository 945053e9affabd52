/*
 * timex.h - the temporal tagger: dates in a sentence, normalised against an
 * anchor (the article's publication date or dateline date).
 *
 * Recognised: absolute dates in the forms td_date_parse knows ("24 February
 * 2017", "Feb. 24, 2017", "2017-02-24", "6/7/2018" by the outlet's convention
 * through TD_DATE_DMY, year-less "Feb. 24"), bare months after a cue word ("in
 * December", "mid-April", "early March", "since January"), years after a cue
 * ("in 2015", "since 2014"), weekdays ("on Thursday", "late Friday", "last
 * Sunday"), and relative expressions (today, tonight, this morning, overnight,
 * yesterday, last night, tomorrow, "two days ago", "a week ago", last/this/next
 * week, month or year, "earlier this month", "the weekend").
 *
 * Each value keeps its precision like ACLED's time_precision: day, week, month
 * or year. Weekdays and bare months resolve to the latest such day or month
 * not after the anchor, unless the clause is in the future tense ("will meet
 * on Thursday"), then to the next one. Relative expressions need a known
 * anchor; without one only absolute dates with a year are returned.
 *
 * No allocation: the caller passes the output array. Linear in the text.
 */
#ifndef TD_EXTRACT_TIMEX_H
#define TD_EXTRACT_TIMEX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"
#include "types.h"

typedef enum td_timex_kind {
    TD_TIMEX_ABSOLUTE = 1, /* a calendar date written out (year given or inferred) */
    TD_TIMEX_MONTH,        /* a bare month or a year after a cue word */
    TD_TIMEX_WEEKDAY,      /* a day name resolved against the anchor */
    TD_TIMEX_RELATIVE      /* yesterday, two days ago, last week ... */
} td_timex_kind;

typedef struct td_timex {
    td_span span;          /* bytes of the expression in the text given */
    td_date date;          /* normalised value; date.prec is its precision */
    uint8_t kind;          /* td_timex_kind */
    bool since;            /* "since last year": the start of an open period */
    bool future;           /* resolved forward because the clause is future */
} td_timex;

typedef struct td_timex_opts {
    td_date anchor;        /* publication date; year 0 when unknown */
    unsigned date_flags;   /* TD_DATE_DMY for outlets that write day/month/year */
} td_timex_opts;

/* Finds the temporal expressions of text (normally one sentence), in order.
 * Writes at most cap of them to out and returns how many were written. */
uint32_t td_timex_find(td_str text, const td_timex_opts *opts, td_timex *out, uint32_t cap);

/* Days between two day-precision dates (b - a); dates with unknown parts take
 * the first day of their month or year. */
long td_timex_days_between(td_date a, td_date b);

/* Adds n days to d and returns a day-precision date. */
td_date td_timex_add_days(td_date d, long n);

#endif
