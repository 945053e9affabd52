/*
 * quote.h - direct and indirect quotes of an article, with their speaker.
 *
 * Direct: '"...," X said', 'X said: "..."', '"...", said X, the Y of Z',
 * quotes running over several sentences or paragraphs (a paragraph that ends
 * inside a quote and a next one opening with a quote mark continue it), a
 * quote inside a quote (single quotes, or nested typographic double quotes).
 * Indirect: "X said (that) ...", "according to X, ...", "..., X said.",
 * "X told reporters ...".
 *
 * Speakers written as "he", "she", "they", "the military", "the spokesman"
 * are resolved through a per-article antecedent tracker: the last person and
 * the last organisation named before the quote. Names come from the caller
 * (td_name_span: the entity module's mentions, with the caller's entity ids);
 * without them, capitalised phrases serve as names.
 *
 * Memory: the quote array comes from the arena given; spans point into body.
 */
#ifndef TD_EXTRACT_QUOTE_H
#define TD_EXTRACT_QUOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "tidings.h"
#include "types.h"

typedef enum td_name_type {
    TD_NAME_NONE = 0,
    TD_NAME_PERSON,
    TD_NAME_ORG,
    TD_NAME_PLACE,
    TD_NAME_OTHER
} td_name_type;

/* A name the entity module found in the body, handed to quotes and events. */
typedef struct td_name_span {
    td_span span;      /* into the body */
    uint8_t type;      /* td_name_type */
    int64_t entity;    /* the caller's entity id, -1 when none */
    uint8_t level;     /* places: 1 country, 2 region, 3 locality; 0 unknown */
} td_name_span;

typedef struct td_quote {
    td_span text;      /* the quoted words (inside the marks) or the reported clause */
    td_span speaker;   /* the speaker as written ("he", "Gen. Aric Voss"); len 0 if none */
    td_span resolved;  /* the name the speaker stands for; == speaker when named; len 0 if unknown */
    int64_t entity;    /* entity id of the resolved name, -1 when unknown */
    uint32_t sentence; /* index of the sentence where the quote starts */
    uint8_t direct;    /* 1: in quote marks; 0: reported speech */
    uint8_t speaker_type; /* td_name_type of the resolved speaker */
} td_quote;

/*
 * Finds the quotes of body, in order. sentences are the body's sentence spans
 * (sorted); names (sorted by offset, may be NULL) are the known names. On
 * success *out (arena array, NULL when none) and *n are set. Returns TD_OK,
 * TD_EINVAL for a NULL body/arena/out, TD_ENOMEM when the arena fails.
 */
td_status td_quote_find(td_arena *a, td_str body, const td_span *sentences, uint32_t n_sentences,
                        const td_name_span *names, uint32_t n_names, td_quote **out, uint32_t *n);

#endif
