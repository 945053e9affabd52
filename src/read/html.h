/*
 * html.h - recognising HTML input and unpacking .html.gz, for the readers.
 *
 * The reader calls td_html_is_gzip/td_html_gunzip on the raw bytes of a file,
 * then td_html_sniff on the (inflated) head to decide whether the content goes
 * to clean/html_extract.h instead of the plain-text cleaner.
 *
 * Invariants: nothing here allocates except td_html_gunzip, whose output comes
 * from the caller's arena; no function reads past the view it is given.
 */
#ifndef TD_READ_HTML_H
#define TD_READ_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/str.h"

/*
 * Returns true when the bytes look like HTML: after an optional UTF-8/UTF-16
 * BOM and whitespace, the first byte is '<' and a doctype, <html, <head,
 * <body, <div, <meta, <title or <article tag appears in the first KB.
 * Only head.len bytes are read (pass the first KB or the whole file).
 */
bool td_html_sniff(td_str head);

/* True when s starts with the gzip magic bytes 1f 8b. */
bool td_html_is_gzip(td_str s);

/*
 * Inflates the gzip stream gz (one or more concatenated members) into memory
 * from arena a, NUL-terminated, and stores the view in *out.
 * Returns TD_OK, TD_EINVAL (bad arguments or not gzip), TD_EPARSE (corrupt or
 * truncated stream), TD_ELIMIT (more than max_len bytes once inflated; 0 means
 * no limit) or TD_ENOMEM. *out is written only on success.
 */
td_status td_html_gunzip(td_arena *a, td_str gz, size_t max_len, td_str *out);

#endif
