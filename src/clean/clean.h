/*
 * clean.h - the clean stage for scraped plain text: boilerplate removal and
 * article metadata (title, subtitle, outlet, dateline, byline, publication
 * date, captions).
 *
 * Input: a td_article whose `text` is valid UTF-8/NFC with LF line ends (the
 * pipeline runs td_utf8_sanitize first), plus url, given_* and arena.
 * Output: a->lines (every line with a td_line_kind verdict and a static `why`),
 * title, subtitle, outlet (given_outlet, else the site's name printed on the
 * page, else the URL's host), dateline, byline, published (+ published_from),
 * body (kept paragraphs, original text, joined by "\n\n") and captions
 * ("\n"-joined). Everything new comes from a->arena; views point into a->text
 * or into the given_* / url fields.
 *
 * The stage is line-local cues (compiled-in tables, cues.c), then structural
 * passes over the whole article (headline near the top, first prose paragraph,
 * "Related"/"Comments" headers followed by furniture, repeated lines, caption
 * groups), then the outlet's learnt template lines through td_clean_opts.
 * Every pass is linear in the text; no regular expressions. docs/cleaning.md
 * has the approach and measured figures.
 */
#ifndef TD_CLEAN_H
#define TD_CLEAN_H

#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/str.h"
#include "types.h"

typedef struct td_clean_opts {
    /* How many OTHER stored articles of `outlet` contain a line with this hash
     * (td_clean_line_hash); NULL = no knowledge yet. Called only for lines
     * td_clean_template_candidate would accept. */
    uint32_t (*line_count)(void *ud, td_str outlet, uint64_t line_hash);
    void *ud;
    uint32_t template_min; /* seen in >= this many other articles => template; 0 = default (3) */
} td_clean_opts;

#define TD_CLEAN_TEMPLATE_MIN_DEFAULT 3u

/*
 * Cleans one article in place (see the file comment). o may be NULL.
 * @return TD_OK; TD_EINVAL when a or its arena is NULL; TD_ENOMEM when the
 *         arena failed (the article's clean fields are then unreliable).
 */
td_status td_clean_article(td_article *a, const td_clean_opts *o);

/* The effective template threshold of o: o->template_min, or the default
 * when o is NULL or leaves it 0. */
uint32_t td_clean_template_min(const td_clean_opts *o);

/* Hash of a normalised line (ASCII lower case, digit runs as one '0',
 * spaces collapsed, outer punctuation dropped): XXH3_64bits. Lines that differ
 * only by a comment count or spacing hash alike. */
uint64_t td_clean_line_hash(td_str line);

/* True for lines the store should count per outlet for template learning:
 * short (<= 25 words, <= 200 bytes), not blank, not a date line, and not a
 * long sentence of prose. Decided on the text and the kind. */
bool td_clean_template_candidate(const td_line *l);

/* The outlet named by a URL: host without "www."/"m."/"amp." and without
 * subdomains beyond the registrable domain ("https://www.bbc.co.uk/news/x"
 * -> "bbc.co.uk", "talk.blogspot.com" stays whole). Lower-cased into the
 * arena; {NULL,0} when url has no host or on allocation failure. */
td_str td_clean_outlet_from_url(td_arena *a, td_str url);

/* True when the outlet's country writes numeric dates day first (6/7/2018 =
 * 6 July): a two-letter TLD other than us, ca, ph. */
bool td_clean_outlet_dmy(td_str outlet);
/* The country convention of a host name: 1 = day first (a two-letter TLD
 * other than us, ca, ph), 0 = month first (us, ca, ph), -1 = unknown
 * (.com, .org, no dot). */
int td_clean_outlet_convention(td_str outlet);

#endif
