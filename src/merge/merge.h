/*
 * merge.h - event mentions from all articles -> one event per real-world
 * happening, with every source attached and disagreeing claims kept.
 *
 * Two mentions belong to one event when all of these hold:
 *   type    the same, or compatible: the violent types (airstrike,
 *           shelling, bombing, armed_clash, killing, raid_or_arrest) form one
 *           group, as outlets name the same strike or raid differently;
 *   date    day-precision dates within +-1 day (outlets' time zones); a coarse
 *           date (week, month, year) that contains the other; an unknown date
 *           is compatible with any date inside its article's window
 *           [published - window_days, published];
 *   place   the same place id; else coordinates within radius_km; else the
 *           same name, or one name inside the other ("Marr" / "Marr
 *           province"); an unknown place is compatible, and so is a country
 *           or region (place_level 1-2) with a place in the same country,
 *           except that two towns farther apart than radius_km never are
 *           when the event's town is its founder's or two articles' (a
 *           dateline town keeps nothing out; disasters cover regions);
 *           different countries never are, except disasters on the same day
 *           or in the same story;
 *   actor   the same entity id when both have one; text actors are not a
 *           veto (extraction is noisy) but add to the score;
 *   toll    a death figure more than 50 times the event's largest (or
 *           under a fiftieth of its smallest) is another event's; one
 *           within twice its range, or the same telling figure (10 or more,
 *           not round) from another article, adds to the score;
 *   evidence a mention with neither a date nor a place joins only an event
 *           of its own story.
 * Among compatible events a mention joins the best-scored one (place, date,
 * story, actor agreement), else starts a new event.
 *
 * Index: events are found through a hash map keyed by (type group, day
 * bucket) for dated mentions, probing the buckets day-1..day+1, and by
 * (type group, place key) and (type group, story) for the others, so a run
 * costs O(mentions x candidates in a few buckets), not O(n^2).
 *
 * Support-only mentions (td_merge_mention.support) are placed after all
 * others, so they join the events the others found; an event made of
 * support-only mentions has td_merged_event.support set and callers drop it.
 *
 * Among equally scored candidates the earlier event wins (an undated
 * article its story's first report). An event of support-only mentions at a
 * placed town three articles name is kept (a second strike that day).
 *
 * Chosen values (documented in docs/events.md): date, actor, target and type
 * are the most reported among the event's mentions (ties: the mention scored
 * higher by its article, then the earlier one); the place is the most named,
 * then the most named place inside it that two articles name; killed is the
 * most reported figure among the articles that report the event (one figure
 * per article, its highest), ties going to the lower figure (ACLED's
 * conservative rule); articles that only recall it vote when none reports
 * a figure; killed_min/killed_max span every figure reported. Each mention's
 * figures stay available as claims with their source.
 *
 * Memory: td_merge owns copies of every string added (td_malloc), so the
 * articles' arenas may be reset after td_merge_add.
 */
#ifndef TD_MERGE_MERGE_H
#define TD_MERGE_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"
#include "tidings.h"
#include "types.h"

typedef struct td_merge td_merge;

/* One event mention as the merger sees it (strings are copied on add). */
typedef struct td_merge_mention {
    td_str article;          /* article id */
    td_str outlet;
    uint32_t sentence;       /* sentence index in that article */
    uint8_t type;            /* td_event_type */
    bool main;               /* the article's main event */
    bool support;            /* may join an event but not found one: a secondary
                                mention (background, late in its article)
                                whose event no better mention reports */
    float score;             /* the extractor's score for this mention */
    td_str actor, target, place;
    int64_t actor_id, target_id, place_id; /* -1 when unknown */
    bool actor_person;       /* the actor is a person's name (a speaker) */
    double lat, lon;         /* place coordinates; NAN when unknown */
    char country[3];         /* ISO alpha-2, "" when unknown */
    uint8_t place_level;     /* 1 country, 2 region, 3 locality, 0 unknown */
    bool dateline;           /* the place is the article's dateline: where it was
                                filed from, so it keeps no other town out */
    td_date date;            /* prec TD_PREC_NONE when unknown */
    td_date published;       /* the article's date: anchors the window */
    int64_t story;           /* -1 when unknown */
    int32_t killed_min, killed_max; /* -1 when no figure */
} td_merge_mention;

typedef struct td_merge_opts {
    int window_days;         /* unknown dates: published - window_days .. published (default 7) */
    double radius_km;        /* same place when closer (default 25) */
} td_merge_opts;

typedef struct td_merged_event {
    uint32_t id;             /* 0-based, in order of creation */
    uint8_t type;
    td_date date;
    const char *actor, *target, *place;  /* owned by the merger; NULL when unknown */
    int64_t actor_id, target_id, place_id;
    double lat, lon;
    char country[3];
    int64_t story;           /* the story of most mentions, -1 */
    bool support;            /* every member is support-only */
    int32_t killed;          /* chosen figure, -1 when none */
    int32_t killed_min, killed_max;
    const uint32_t *mentions; /* indexes for td_merge_mention_at, in order added */
    uint32_t n_mentions;
} td_merged_event;

/* Creates an empty merger; NULL on allocation failure. */
td_merge *td_merge_new(void);
/* Frees the merger and everything it owns; NULL is a no-op. */
void td_merge_free(td_merge *m);
/* Adds a copy of mention x. TD_OK, TD_EINVAL (NULL), TD_ENOMEM. */
td_status td_merge_add(td_merge *m, const td_merge_mention *x);
/* Groups the mentions added so far into events (again from scratch on each
 * call). opts may be NULL for the defaults. TD_OK or TD_ENOMEM. */
td_status td_merge_run(td_merge *m, const td_merge_opts *opts);

uint32_t td_merge_n_events(const td_merge *m);
const td_merged_event *td_merge_event(const td_merge *m, uint32_t i);
uint32_t td_merge_n_mentions(const td_merge *m);
/* The mention as added (its strings are the merger's copies). */
const td_merge_mention *td_merge_mention_at(const td_merge *m, uint32_t i);
/* Index of the event mention i belongs to after td_merge_run, UINT32_MAX before. */
uint32_t td_merge_event_of(const td_merge *m, uint32_t i);

#endif
