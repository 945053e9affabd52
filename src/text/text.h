/*
 * text.h - the text stage: the UTF-8 gate, normalisation for matching, the
 * tokenizer and the sentence splitter. Everything returned is allocated from
 * the arena passed in; offsets are byte offsets into the string given.
 */
#ifndef TD_TEXT_H
#define TD_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "types.h"

/* ---- utf8.c: the gate ---- */

/*
 * Returns in as valid UTF-8 in NFC (utf8proc), NUL-terminated: invalid
 * sequences become U+FFFD (one per maximal invalid subpart, counted in *n_bad,
 * which may be NULL), CR LF and lone CR become LF, VT and FF become LF, NUL,
 * DEL and the other C0 controls but TAB and LF are dropped, C1 controls are
 * read as their cp1252 characters (U+0092 -> U+2019), U+2028 -> LF, U+2029 ->
 * blank line, and soft hyphen, zero-width space, word joiner and BOM are
 * dropped. Pure ASCII costs one scan and a copy. On allocation failure returns
 * {NULL,0} and the arena's failed flag is set.
 */
td_str td_utf8_sanitize(td_arena *a, td_str in, uint32_t *n_bad);
/* True when s is well-formed UTF-8 (no overlongs, no surrogates). */
bool td_utf8_valid(td_str s);
/* Decodes one code point at p (len bytes left); *adv gets its length (>= 1).
 * Returns 0xFFFD for an invalid sequence, *adv then covering its maximal
 * valid prefix (1 for a stray byte, 2 for "\xE2\x80" cut short), as Unicode
 * recommends. With len == 0 returns 0xFFFD and *adv = 0. */
uint32_t td_utf8_next(const char *p, size_t len, size_t *adv);

/* ---- normalize.c: forms for matching; the original text is kept ---- */

/* Typographic quotes (‘ ’ ‚ ‛ “ ” „ ‟ « » ′ ″) to ' and ", dashes (‐ ‑ ‒ – — ―)
 * to '-', no-break and other Unicode spaces to ' ', ellipsis to "...". */
td_str td_text_unify_punct(td_arena *a, td_str s);
/* For dictionary matching: unify_punct, then case fold and strip diacritics
 * (utf8proc CASEFOLD|STRIPMARK|COMPAT|COMPOSE): "Zürich", "ZURICH" -> "zurich".
 * Offsets differ from the input. Both return NUL-terminated arena copies. */
td_str td_text_fold(td_arena *a, td_str s);

/* ---- token.c ---- */

typedef enum td_tok_type {
    TD_TOK_WORD = 1,   /* letters, with inner ' - . (al-Abadi, U.S., O'Neill) */
    TD_TOK_NUM,        /* 45, 2,000, 3.5, 1990s, 24th */
    TD_TOK_PUNCT,      /* . , ; : ! ? " ' ( ) - */
    TD_TOK_SYM         /* anything else: % $ / & emoji ... */
} td_tok_type;

enum {
    TD_TOKF_CAP = 1,      /* first letter upper case */
    TD_TOKF_ALLCAPS = 2,  /* every letter upper case, at least 2 letters */
    TD_TOKF_SPACE_BEFORE = 4 /* whitespace precedes the token */
};

typedef struct td_token {
    uint32_t off;      /* byte offset into the text */
    uint32_t len;      /* bytes */
    uint16_t type;     /* td_tok_type */
    uint16_t flags;    /* TD_TOKF_* */
} td_token;

/* Splits text into tokens; *out gets an arena array, returns the count.
 * Linear time, no allocation per token (one array grown geometrically). */
uint32_t td_tokenize(td_arena *a, td_str text, td_token **out);

/* ---- sentence.c ---- */

/* Splits text into sentences (spans into text, trimmed). Knows news
 * abbreviations (Lt. Gen., Brig. Gen., U.S., Feb. 24, No. 10, Mr., Dr.,
 * initials), decimals, ellipses, and quotes that run over several sentences
 * (a closing quote after the full stop belongs to the sentence; a quote
 * followed by its attribution stays whole). Paragraph breaks ("\n\n") end a
 * sentence, except inside prose a scraper wrapped and double-spaced (the line
 * before does not end like a sentence and the next starts in lower case, or the
 * line ends in "the", "of"...); a single line break ends one unless the next
 * line continues the prose. Returns the count; *out is NULL on failure. */
uint32_t td_sentences(td_arena *a, td_str text, td_span **out);

#endif
