/*
 * event_int.h - private helpers shared by the extraction modules of issue 5
 * (timex, toll, quote, event, trigger): a small word lexer over one sentence.
 *
 * Data structure: td_xtok is a token {off, len, kind, flags} into the text
 * lexed; the array is caller-provided (usually on the stack), so lexing a
 * sentence never allocates. Words keep inner hyphens, apostrophes and dots
 * ("Saudi-led", "al-Abadi", "U.S."), and a hyphen joins letters and digits
 * ("F-16", "2,000-pound"), so such designators arrive as one MIXED token and
 * are never read as counts. Numbers keep inner ',' and '.' between digits.
 *
 * Invariants: tokens are in text order, non-overlapping, off+len <= text
 * length; typographic quotes and dashes (U+2018..U+201F, U+2013..U+2015) are
 * punctuation tokens of their own.
 */
#ifndef TD_EXTRACT_EVENT_INT_H
#define TD_EXTRACT_EVENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

typedef enum td_xtok_kind {
    TD_XT_WORD = 1,   /* letters (any non-ASCII letter counts) */
    TD_XT_NUM,        /* 45, 2,000, 3.5 */
    TD_XT_MIXED,      /* letters and digits: F-16, 2,000-pound, 1990s, 24th */
    TD_XT_PUNCT       /* one punctuation mark, or one typographic quote/dash */
} td_xtok_kind;

enum {
    TD_XTF_CAP = 1,    /* first letter upper case (ASCII) or non-ASCII start */
    TD_XTF_SPACE = 2,  /* whitespace before the token */
    TD_XTF_QUOTE = 4,  /* a quotation mark (" or a typographic one) */
    TD_XTF_PARA = 8    /* a paragraph break ("\n\n") before the token */
};

typedef struct td_xtok {
    uint32_t off;
    uint32_t len;
    uint8_t kind;     /* td_xtok_kind */
    uint8_t flags;    /* TD_XTF_* */
} td_xtok;

/* Lexes text into at most cap tokens; returns the count (tokens past cap are
 * dropped: callers size cap for a sentence and ignore the tail). */
uint32_t td_xlex(td_str text, td_xtok *out, uint32_t cap);

/* True when token t of text equals the lower-case ASCII word w
 * (ASCII case-insensitive). */
bool td_xtok_is(td_str text, const td_xtok *t, const char *w);
/* True when the token starts with the lower-case prefix w. */
bool td_xtok_starts(td_str text, const td_xtok *t, const char *w);
/* Index of the first of the NULL-terminated words ws that token t equals, or -1. */
int td_xtok_oneof(td_str text, const td_xtok *t, const char *const *ws);

/* Value of a digit number token ("2,000" -> 2000, "3.5" -> -1 since not whole);
 * -1 when not a whole number or beyond 10^9. */
long td_xnum_digits(td_str text, const td_xtok *t);
/* Value of an English number word ("seven", "twenty-three", "dozen") or -1. */
long td_xnum_word(td_str text, const td_xtok *t);

/* Days since 1970-01-01 for a proleptic Gregorian date (y, m 1..12, d 1..31)
 * and back; weekday 0 = Monday. */
long td_xdays_from_civil(int y, int m, int d);
void td_xcivil_from_days(long z, int *y, int *m, int *d);
int td_xweekday(long days);

#endif
