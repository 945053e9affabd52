/*
 * date.h - absolute calendar dates in news text and URLs.
 *
 * Recognises the forms that web pages and wire copy print for publication
 * dates: "24 February 2017", "24th Feb. 2017", "Feb. 24, 2017",
 * "February 24,2017", "May 06,2018", "Aug 09 2018", "Friday, February 24, 2017",
 * "Thu March 9, 2017", "10, Jun. 2019", "2017-02-24", "2017-02-24T10:00Z",
 * "2017/02/24", "6/7/2018" (month/day unless TD_DATE_DMY), "February 2017"
 * (month precision) and, with TD_DATE_NO_YEAR, "Feb 25" (year 0).
 *
 * Parsing is a single left-to-right scan with no allocation; month and weekday
 * names are English, matched ASCII case-insensitively but requiring an upper
 * case first letter so the verb "may" or the noun "march" are not months.
 * A parsed date is always valid (day within its month, year 1800..2199).
 * Used by the cleaner (publication date) and meant for the temporal tagger.
 */
#ifndef TD_CLEAN_DATE_H
#define TD_CLEAN_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"
#include "types.h"

enum {
    TD_DATE_DMY = 1,      /* "6/7/2018" is 6 July (outlets outside the US) */
    TD_DATE_NO_YEAR = 2   /* accept "Feb 25" / "25 February": year 0, prec DAY */
};

/* Parses a date at the very start of s (a leading weekday is allowed).
 * On success writes *out and the bytes used to *consumed (may be NULL). */
bool td_date_parse(td_str s, td_date *out, size_t *consumed);
/* As td_date_parse with TD_DATE_* flags. */
bool td_date_parse_ex(td_str s, unsigned flags, td_date *out, size_t *consumed);
/* Finds the first date in s that starts at a word boundary; *off and *len
 * (may be NULL) get its place. Linear in s. */
bool td_date_find(td_str s, unsigned flags, td_date *out, size_t *off, size_t *len);
/* Date in a URL path: /2018/05/06/, /2018/may/06/, /2018-05-06, -20180506-,
 * /2018/05/ (month precision). The host is skipped. */
bool td_date_from_url(td_str url, td_date *out);
/* Orders by year, month, day (unknown parts are 0). */
int td_date_cmp(td_date a, td_date b);
/* "YYYY-MM-DD" (day precision), "YYYY-MM" (month), "YYYY" (year), "" (none). */
void td_date_format(td_date d, char out[11]);
/* 1..12 when s starts with an English month name or abbreviation (case-insensitive);
 * *len gets the bytes of the name, including a trailing '.'. 0 otherwise. */
int td_date_month_name(td_str s, size_t *len);

#endif
