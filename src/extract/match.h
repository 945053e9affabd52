/*
 * match.h - token-level dictionary matching for the extract stage.
 *
 * Two parts:
 *  1. A tokenizer for matching: splits text into word, number and punctuation
 *     tokens and gives each a 64-bit key, the hash of its *folded* form (case
 *     folded, diacritics stripped, apostrophes and initialism dots dropped:
 *     "Ṣan‘ā’" -> "sana", "U.S." -> "us", "al-Abadi" -> "al" "abadi").
 *     Flags keep what folding throws away (capitalised, all caps, sentence
 *     start, possessive, hyphen-joined), so callers can demand case where it
 *     matters ("IS" the group only in upper case).
 *  2. An Aho-Corasick automaton over token keys (not bytes): patterns are
 *     sequences of keys, and a run over n tokens costs O(n + matches) hash
 *     probes. A bitset of every key used by any pattern lets most tokens skip
 *     the probe (the common case: "said", "on", numbers).
 *
 * The automaton is a flat little-endian blob (STYLE.md section 7) so it can be
 * written at build time, mmapped and used in place without parsing:
 *
 *   header   magic "TDAC", version, n_states, n_slots, n_patterns, filter_log2
 *   slots    n_slots x {u64 key, u32 state, u32 next}   open addressing,
 *            linear probing, next == 0 marks an empty slot (root is never a child)
 *   fail     u32[n_states]   Aho-Corasick failure link
 *   out      u32[n_states]   pattern id + 1 ending at this state, or 0
 *   dict     u32[n_states]   nearest state on the fail chain with out != 0
 *   depth    u32[n_states]   tokens from the root
 *   filter   2^filter_log2 bits: bit (key >> (64 - filter_log2)) is set when
 *            any pattern uses key
 *
 * Invariants: state 0 is the root; fail/dict point to states of smaller depth;
 * every section starts at a multiple of 8 bytes; patterns are at most
 * TD_MATCH_MAX_DEPTH tokens.
 */
#ifndef TD_EXTRACT_MATCH_H
#define TD_EXTRACT_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "types.h"

#define TD_MATCH_MAX_DEPTH 16
#define TD_MATCH_VERSION 1

/* ---- tokens ---- */

enum {
    TD_MT_WORD = 1 << 0,      /* letters (and digits) */
    TD_MT_NUM = 1 << 1,       /* starts with a digit */
    TD_MT_PUNCT = 1 << 2,     /* punctuation or symbol, one code point */
    TD_MT_CAP = 1 << 3,       /* first letter upper case */
    TD_MT_ALLCAPS = 1 << 4,   /* >= 2 letters, none lower case ("IS", "U.N.") */
    TD_MT_SENT = 1 << 5,      /* first token of a sentence */
    TD_MT_HYPHEN = 1 << 6,    /* joined to the previous word by a hyphen */
    TD_MT_SPACE = 1 << 7,     /* whitespace before the token */
    TD_MT_POSS = 1 << 8,      /* a possessive 's or s' followed (not in the span) */
    TD_MT_DOTTED = 1 << 9,    /* an initialism with dots: "U.S." */
    TD_MT_SKIP = 1 << 10,     /* an abbreviation dot ("Lt." "Mt."): matching skips it */
    TD_MT_NONLATIN = 1 << 11, /* has letters outside Latin script */
    TD_MT_PARA = 1 << 12,     /* first token after a blank line */
    TD_MT_LOWER = 1 << 13,    /* first letter lower case */
    TD_MT_NL = 1 << 14        /* a line break before the token */
};

/* One token of the text; off/len are bytes in the text given. */
typedef struct td_mtok {
    uint32_t off;
    uint32_t len;
    uint64_t key;      /* hash of the folded form */
    uint16_t flags;    /* TD_MT_* */
    uint16_t ch;       /* for TD_MT_PUNCT: the code point (if < 0x10000), else 0 */
    uint32_t sent;     /* sentence index (0-based) */
} td_mtok;

/*
 * Tokenizes text for matching. sentences (may be NULL) are spans into text,
 * sorted, as td_sentences() gives them; without them a full stop, ! or ?
 * before a capitalised word starts a sentence. *out gets an arena array.
 * Returns the count; on allocation failure returns 0 and a->failed is set.
 * Linear in the text.
 */
uint32_t td_match_tokenize(td_arena *a, td_str text, const td_span *sentences,
                           uint32_t n_sentences, td_mtok **out);

/* Writes the folded form of text (all its words, single spaces between
 * them, no punctuation) into out; returns the length. "Ṣan‘ā’ (Yemen)" ->
 * "sana yemen". */
size_t td_match_fold(td_str text, td_buf *out);

/* The key of one folded word, as td_match_tokenize computes it. */
uint64_t td_match_key(const char *folded, size_t len);

/*
 * Keys of the word tokens of a phrase (punctuation dropped, so "Lt. Gen."
 * gives two keys). Returns the count, at most cap (longer phrases are
 * truncated: callers reject n == cap).
 */
uint32_t td_match_phrase_keys(td_str phrase, uint64_t *keys, uint32_t cap);

/*
 * Writes the transliteration skeleton of a folded name (as td_match_fold
 * gives it) into out, NUL-terminated, and returns its length (< cap): a
 * leading Arabic article token (al, el, ad, as, ash, ...) is dropped, spaces go,
 * the first letter stays, later vowels and the semivowels w/y are dropped,
 * q becomes k, runs of one letter collapse, and trailing h goes. "al abbadi" and "abadi"
 * give "abd"; "husaybah", "hosaiba" and "husseibeh" give "hsb". Lossy on
 * purpose: use it to find candidates, then check them.
 */
size_t td_match_skeleton(td_str folded, char *out, size_t cap);

/* True when a folded token is an Arabic article spelling (al el ad as ...). */
bool td_match_is_article(td_str folded_token);

/* ---- building an automaton ---- */

typedef struct td_match_builder td_match_builder;

/* A new empty builder, or NULL when out of memory. */
td_match_builder *td_match_builder_new(void);
/*
 * Adds a pattern of n keys (1..TD_MATCH_MAX_DEPTH); *id gets its pattern id.
 * Adding the same sequence again gives the same id. Ids are dense from 0.
 * @return TD_OK, TD_EINVAL (bad length) or TD_ENOMEM.
 */
td_status td_match_builder_add(td_match_builder *b, const uint64_t *keys, uint32_t n,
                               uint32_t *id);
/* Number of distinct patterns added so far. */
uint32_t td_match_builder_count(const td_match_builder *b);
/*
 * Computes the failure links and appends the blob to out (8-byte aligned
 * relative to out's start). @return TD_OK or TD_ENOMEM.
 */
td_status td_match_builder_finish(td_match_builder *b, td_buf *out);
void td_match_builder_free(td_match_builder *b);

/* ---- using an automaton ---- */

/* A read-only view of a blob; the blob is borrowed and must outlive it. */
typedef struct td_matcher {
    const uint8_t *slots;
    const uint8_t *fail, *out, *dict, *depth;
    const uint8_t *filter;
    uint32_t n_states, n_slots, n_patterns, filter_mask;
} td_matcher;

/* One pattern found: tokens [start, end) of the token array. */
typedef struct td_match {
    uint32_t pattern;
    uint32_t start;
    uint32_t end;
} td_match;

/*
 * Opens a blob (8-byte aligned) after checking its magic, version and that
 * every section fits in len. @return TD_OK or TD_EPARSE.
 */
td_status td_match_open(td_matcher *m, const void *blob, size_t len);
/* Size in bytes of the blob at blob (valid after td_match_open). */
size_t td_match_blob_size(const td_matcher *m);

/* The pattern id of exactly the sequence keys[0..n), or -1. */
int64_t td_match_lookup(const td_matcher *m, const uint64_t *keys, uint32_t n);

/*
 * Finds every occurrence of every pattern in toks (overlapping ones too),
 * ordered by end token, then longest first. Tokens flagged TD_MT_SKIP are
 * transparent. *out gets an arena array; returns the count (0 with a->failed
 * on allocation failure).
 */
uint32_t td_match_run(const td_matcher *m, const td_mtok *toks, uint32_t n, td_arena *a,
                      td_match **out);

#endif
