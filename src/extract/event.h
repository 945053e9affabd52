/*
 * event.h - event mentions of one article: per sentence, the trigger and its
 * type, actor, target, place, date, toll and modality.
 *
 * Per sentence: triggers (trigger.h) give types; a generic attack word takes
 * its type from context (warplanes -> airstrike, artillery -> shelling); one
 * mention per type and sentence, so a sentence with an air strike and a
 * shelling yields two. Arguments come from the words around each trigger,
 * inside its window (up to the neighbouring triggers):
 *   actor   "by X" after the trigger, else the subject phrase before it
 *           (caller names preferred: persons and organisations);
 *   target  "on/against/targeting X", or the object of a verb trigger;
 *   place   caller place names in the window, else a capitalised phrase
 *           after in/near/outside/at;
 *   date    the nearest temporal expression (timex.h) in the sentence, else
 *           in the previous or next sentence, else the publication date
 *           (date_from says which);
 *   toll    counts (toll.h) in the sentence, else in the next sentence when
 *           it reports no event of its own.
 * Modality: mentions only threatened, planned, requested, denied, negated or
 * hypothetical ("would take all necessary measures", "vowed to", "denied
 * carrying out") are returned flagged; only TD_MOD_ASSERTED ones are events.
 * Background events (dated well before publication, "last week's bombing")
 * are events with their own date and background set. The article's main
 * event: the best-scored asserted mention (lead sentences weigh more) and the
 * mentions of the same type and place; those get main set.
 *
 * Memory: mentions come from the arena given; spans point into the body.
 */
#ifndef TD_EXTRACT_EVENT_H
#define TD_EXTRACT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "extract/quote.h"
#include "extract/trigger.h"
#include "tidings.h"
#include "types.h"

typedef enum td_modality {
    TD_MOD_ASSERTED = 0,  /* reported as having happened */
    TD_MOD_NEGATED,       /* "did not", "no strikes" */
    TD_MOD_DENIED,        /* "denied carrying out" */
    TD_MOD_PLANNED,       /* "will continue", "plans to", scheduled, future date */
    TD_MOD_THREATENED,    /* "threatened to", "vowed to", "warned of" */
    TD_MOD_HYPOTHETICAL,  /* "would", "could", "if", "called for" */
    TD_MOD_COUNT
} td_modality;

typedef enum td_date_from {
    TD_DATE_FROM_NONE = 0,
    TD_DATE_FROM_SENTENCE,
    TD_DATE_FROM_NEIGHBOUR,
    TD_DATE_FROM_PUBLISHED
} td_date_from;

typedef struct td_event_mention {
    uint32_t sentence;     /* index into the sentences given */
    td_span trigger;       /* into the body */
    uint8_t type;          /* td_event_type */
    uint8_t modality;      /* td_modality */
    uint8_t date_from;     /* td_date_from */
    uint8_t killed_qual;   /* td_toll_qual of the killed figure */
    uint8_t place_level;   /* of a caller place: 1 country, 2 region, 3 locality; 0 unknown */
    bool main;             /* reports the article's main event */
    bool background;       /* an earlier event recalled by the article */
    bool referenced;       /* background because the words say so ("since",
                              "weeks of", "memories of"), not only by its date */
    bool generic;          /* from a generic word ("the attack", "killed"): when
                              the main event is violent, it is taken as a
                              reference to it and gets its type */
    td_span actor, target, place;       /* into the body; len 0 when unknown */
    int64_t actor_id, target_id, place_id; /* caller entity ids, -1 when none */
    td_date date;          /* prec TD_PREC_NONE when unknown */
    int32_t killed_min, killed_max;     /* -1 when no figure */
    int32_t wounded_min, wounded_max;   /* -1 when no figure */
    float score;           /* main-event score: position, arguments, trigger strength */
} td_event_mention;

typedef struct td_event_input {
    td_str body;
    const td_span *sentences;     /* sorted sentence spans of body */
    uint32_t n_sentences;
    td_date published;            /* anchor; year 0 when unknown */
    unsigned date_flags;          /* TD_DATE_DMY for day-first outlets */
    const td_name_span *names;    /* sorted by offset, may be NULL */
    uint32_t n_names;
    uint32_t dateline_end;        /* end of a dateline opening the body ("ABUJA, Feb 25
                                     (Reuters) -"), 0 when none: a date in it is the
                                     day of the report, never an event's */
} td_event_input;

/*
 * Extracts the event mentions of an article, in sentence order. On success
 * *out (arena array, NULL when none) and *n are set. Returns TD_OK, TD_EINVAL
 * for missing arguments, TD_ENOMEM when the arena fails.
 */
td_status td_event_extract(td_arena *a, const td_event_input *in, td_event_mention **out,
                           uint32_t *n);

/* ---- one article (event_article.c) ---- */

struct td_entities;
struct td_entity_models;

/* An article's event mentions and quotes, as the "events" stage stores them.
 * Spans point into text; names' entity fields (and so the mentions'
 * actor_id/target_id/place_id and the quotes' entity) are indexes of the
 * article's entities (td_entities.e), -1 when none. */
typedef struct td_event_article {
    td_str text;               /* "title\n\nbody" (the body alone without a title) */
    uint32_t body_off;         /* where the body starts in text */
    td_span *sentences;        /* sentence spans of text */
    uint32_t n_sentences;
    td_name_span *names;       /* the entity mentions handed to extraction */
    uint32_t n_names;
    td_event_mention *m;       /* every mention, flagged ones included */
    uint32_t n;
    td_quote *q;
    uint32_t n_quotes;
} td_event_article;

/*
 * Extracts the events and quotes of an article after the clean and entities
 * stages. en (may be NULL: no names) must come from td_entities_extract_article
 * on the same article (its offsets are into "title\n\nbody\n\ncaptions");
 * md (may be NULL) gives place levels from the gazetteer. Dateline and
 * evidence-only mentions are not names here (the dateline says where the
 * reporter is, not where it happened). Everything comes from a->arena.
 * @return TD_OK, TD_EINVAL, TD_ENOMEM.
 */
td_status td_event_article_extract(const struct td_entity_models *md, const struct td_entities *en,
                                   td_article *a, td_event_article *out);

/* "asserted", "negated", "denied", "planned", "threatened", "hypothetical". */
const char *td_modality_name(td_modality m);

#endif
