/*
 * html_charset.h - finding a web page's character encoding and turning the
 * page into UTF-8 before it is parsed.
 *
 * Order of evidence (as browsers do, minus the HTTP header we do not have):
 * a byte-order mark, then <meta charset=...> or <meta http-equiv=Content-Type
 * content="...; charset=..."> in the first 16 KB, then a validity test: bytes
 * that are not valid UTF-8 and declare nothing are read as windows-1252.
 * Labels iso-8859-1, latin1 and us-ascii mean windows-1252 (WHATWG Encoding).
 */
#ifndef TD_CLEAN_HTML_CHARSET_H
#define TD_CLEAN_HTML_CHARSET_H

#include <stdint.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/str.h"

/*
 * Returns the charset label the page declares: "UTF-8", "UTF-16LE" or
 * "UTF-16BE" for a BOM (static strings), else a view into html of the <meta>
 * label, else an empty view.
 */
td_str td_html_charset(td_str html);

/*
 * Stores in *out the page as valid UTF-8 without a BOM: converted with iconv
 * from the declared charset, or (UTF-8 or unknown label) with every invalid
 * byte replaced by U+FFFD; *n_bad (may be NULL) gets the number of
 * replacements. *out may point into html (valid UTF-8 needs no copy) or into
 * arena memory. Returns TD_OK, TD_EINVAL or TD_ENOMEM.
 */
td_status td_html_to_utf8(td_arena *a, td_str html, td_str *out, uint32_t *n_bad);

#endif
