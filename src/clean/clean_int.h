/*
 * clean_int.h - private to src/clean (text cleaner): the compiled-in cue
 * tables of cues.c and the normalised forms of a line they are matched on.
 *
 * A line is matched in two forms, both built once per line into stack buffers:
 *   low  - ASCII lower case, whitespace collapsed, trimmed (first 256 bytes);
 *   core - letters only, lower case, one space between words ("Comments (12)"
 *          -> "comments", "Send in e-mailSend" -> "send in e mail send").
 * Cues are general web/news furniture, never text of a particular corpus.
 */
#ifndef TD_CLEAN_INT_H
#define TD_CLEAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "types.h"

#define TD_CLEAN_NORM_MAX 256

typedef struct td_cue_line {
    td_str raw;                        /* the trimmed line */
    char low[TD_CLEAN_NORM_MAX];
    size_t low_len;
    char core[TD_CLEAN_NORM_MAX];
    size_t core_len;
    unsigned words;                    /* words in raw */
} td_cue_line;

enum {
    TD_CUE_TAILHDR = 1,   /* a header after which furniture follows ("Related Articles") */
    TD_CUE_COMMENTS = 2   /* a comments header: everything after it is reader comments */
};

typedef struct td_cue_hit {
    td_line_kind kind;
    const char *why;
    unsigned flags;       /* TD_CUE_* */
} td_cue_hit;

/* Fills low/core/words of l from l->raw. */
void td_cue_line_init(td_cue_line *l, td_str raw);
/* Matches the line against the boilerplate tables; true and *hit on a match. */
bool td_cue_match(const td_cue_line *l, td_cue_hit *hit);
/* The `why` of a caption found by an agency sign-off at the end ("... — Reuters"),
 * which the cleaner gives back to the body when it ends the article. */
#define TD_CUE_WHY_SIGNOFF "caption: agency at end"

/* Photo caption or credit cue ("Photo:", "REUTERS/", "(AFP)" at the end...). */
bool td_cue_caption(const td_cue_line *l, const char **why);
/* A credit alone: "Jane Roe/AP", "John Doe/Getty Images" (<= 7 words). */
bool td_cue_credit_only(const td_cue_line *l);
/* Every word is a share/print/e-mail button label. */
bool td_cue_buttons(const td_cue_line *l);

/* page.c: evidence from the whole page. */

/* The site's name as the page prints it (see page.c): a short line at the top
 * confirmed by a copyright, follow, credit or attribution line, or else the
 * name of a copyright line that agrees with host (the URL's registrable
 * domain; empty = no URL). text is the page, L its n lines (views into it).
 * Copied into ar; {NULL,0} when none. */
td_str td_page_outlet(td_arena *ar, td_str text, const td_line *L, uint32_t n, td_str host);
/* TD_DATE_DMY or 0: the order of ambiguous numeric dates on page s. hint is
 * the host's country convention: 1 day first, 0 month first, -1 unknown. */
unsigned td_page_date_order(td_str s, int hint);

#endif
