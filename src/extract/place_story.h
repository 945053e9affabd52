/*
 * place_story.h - places resolved with their story's context, at the end of a
 * run (corpus stage "place_story", after "stories", before the corpus
 * entities are rebuilt). Its result depends on the corpus only (every run
 * judges from the geocoder's values: place_story.c).
 *
 * An article geocodes alone: one that names no country and no large place
 * (a live-blog paragraph, a photo caption, a short wire update) has nothing
 * to tell "Victoria Park" the park from a small town of that name abroad.
 * Its story's other articles do, and so do the articles that name the same
 * people and organisations (a protest leader, a city's police). The rule,
 * for each article whose own strong evidence is at most one mention (weak):
 *   - its context is its story's other articles and those sharing a person
 *     or organisation name with it; each context original with evidence of
 *     its own votes for its main country (the one its strong records, a
 *     country, a province, a capital or seat, a place of 100,000 or more,
 *     are named most in); the context country C has the most votes, at least
 *     two, more than any other and more than half of the votes. Weak context
 *     articles do not count (the rule may change them: this way a judgment
 *     does not depend on the order articles are judged in);
 *   - its small records in a country it does not name strongly and no
 *     context article names at all are re-read inside C: the same name's
 *     record in C when there is one, else an unknown place of C;
 *   - its unknown places lying in such a record, or in no country, take C:
 *     a street, square or building the context's town (the one town of C
 *     most context articles name, at least two), anything else C itself.
 * Articles with evidence of their own keep what the geocoder chose (its own
 * country-coherence rule already judged them).
 *
 * Data: one judged article's place rows (art_entity of type place, with
 * art_within), then its context articles' rows, each article's adjacent.
 */
#ifndef TD_EXTRACT_PLACE_STORY_H
#define TD_EXTRACT_PLACE_STORY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"
#include "db/db.h"
#include "extract/gazetteer.h"

/* One place row of an article of the story (art_entity + art_within). */
typedef struct td_story_place {
    int64_t article;     /* article rowid; rows of one article are adjacent */
    int32_t idx;         /* art_entity.idx */
    td_str name;         /* the article's name for the place */
    int32_t place;       /* gazetteer record, -1 when none */
    int32_t within;      /* container record of a place without one, -1 none */
    char cc[3];          /* country, "" when none */
    uint32_t n_mentions;
    bool original;       /* not a copy of another article */
    uint8_t kind;        /* art_entity.kind: td_place_kind of the record, 0 none */
    bool weak;           /* set by td_place_story_apply: a weak context article */
    /* written by td_place_story_apply for changed rows (and kind above) */
    bool changed;
    uint8_t precision;   /* TD_GEO_* */
} td_story_place;

/*
 * Applies the rule (header) to the article of rows[0] (its rows first, then
 * its context articles'), in place: a changed row of that article gets
 * changed = true and its new place, within, cc, kind and precision. Returns
 * the number of rows changed.
 */
uint32_t td_place_story_apply(const td_gazetteer *g, td_story_place *rows, uint32_t n);

/*
 * Runs td_place_story_apply over every weak article of db with a context,
 * each row read as the geocoder stored it, and writes the rows whose
 * judgment changed (art_entity, art_within); a row it changes keeps the
 * geocoder's values in place_story_orig (made here when missing), put back
 * when the rule no longer applies. Inside the caller's transaction when one
 * is open, else its own. *n_changed (may be NULL) gets the number of rows
 * written. TD_OK, TD_ENOMEM, or TD_EDB with err
 * saying which statement failed.
 */
td_status td_place_story_update(td_db *db, const td_gazetteer *g, uint32_t *n_changed, td_buf *err);

#endif
