/*
 * html_extract.h - the article in a news or blog page: title, body, date,
 * byline, outlet, canonical URL and language, from raw HTML bytes.
 *
 * The page is converted to UTF-8 (clean/html_charset.h), parsed with
 * libxml2's error-tolerant HTML parser in SAX mode, and walked once as it
 * parses; docs/html.md
 * describes how the main content is chosen.
 *
 * Invariants: every td_str in a td_html_doc points into memory from the arena
 * given to td_html_extract (NUL-terminated there), is valid UTF-8, and is
 * empty ({"",0}) when nothing was found. No libxml2 memory outlives the call.
 */
#ifndef TD_CLEAN_HTML_EXTRACT_H
#define TD_CLEAN_HTML_EXTRACT_H

#include "tidings.h"
#include "base/arena.h"
#include "base/str.h"

typedef struct td_html_doc {
    td_str title;          /* og:title / JSON-LD headline / h1 / <title>, minus the site name */
    td_str body;           /* paragraphs joined by "\n\n"; list items, quotes and subheadings are paragraphs */
    td_str published;      /* "YYYY-MM-DD" or empty */
    td_str byline;         /* author name(s), without "By " */
    td_str outlet;         /* og:site_name or JSON-LD publisher name */
    td_str canonical_url;  /* <link rel=canonical> or og:url */
    td_str lang;           /* <html lang>, Content-Language or og:locale, e.g. "en-US" */
} td_html_doc;

/*
 * Extracts the article from html (raw bytes of a page, any charset, gzip
 * accepted); url (may be empty) is used for relative dates. Results are
 * allocated from a. An empty or text-free page gives TD_OK with empty fields.
 * Returns TD_OK, TD_EINVAL (NULL a or out), TD_EPARSE (libxml2 could not
 * build a tree, or a corrupt gzip stream), TD_ELIMIT (gzip inflating past
 * 256 MiB) or TD_ENOMEM (also when a's sticky failed flag is set on return:
 * the arena pattern of checking once at the end). *out is written only on
 * success.
 */
td_status td_html_extract(td_arena *a, td_str html, td_str url, td_html_doc *out);

#endif
