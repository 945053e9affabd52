/*
 * store_event.h - event mentions, merged events, their sources and claims,
 * and quotes in the store (sqlite_event.c, on SQLite or PostgreSQL through
 * db.h).
 *
 * Tables (migration 4, TD_EVENT_SCHEMA):
 *   event_mention(article, idx, sentence, ...)  every mention the extractor
 *                        found in one article, flagged ones (planned,
 *                        threatened...) included; the source of truth the
 *                        merge reads. actor_idx/target_idx/place_idx are
 *                        art_entity indexes of the same article.
 *   event(id, story_id, type, actor_id, target_id, place_id, date,
 *         date_precision, killed_min, killed_max, ...)  one row per
 *                        real-world event (shared/DESIGN.md columns first,
 *                        the HTTP API reads them; *_id are entity ids),
 *                        with created_at, updated_at and revision (bumped
 *                        when an event is created or gains a source, a
 *                        higher toll or another date).
 *   event_source(event_id, article_id, sentence, confidence, ...)  every
 *                        mention behind an event, with its sentence text
 *   event_claim(event_id, field, value, article_id, sentence)  what each
 *                        source says of each field, so disagreements show
 *   quote(id, article_id, speaker_id, text, ...)  direct and reported
 *                        speech; speaker_id is set at merge time from the
 *                        speaker's art_entity row.
 * (article columns hold the article's rowid.)
 *
 * Event ids are kept across merges: a re-merged event takes the id of the
 * stored event it shares most sources with, so follows and alerts keep
 * pointing at the same happening.
 */
#ifndef TD_STORE_EVENT_H
#define TD_STORE_EVENT_H

#include <stdio.h>

#include "tidings.h"
#include "base/buf.h"
#include "extract/event.h"
#include "store/store.h"

/* The SQL of migration 4 (idempotent: every object IF NOT EXISTS), and the
 * same tables and indexes in PostgreSQL's dialect. */
extern const char TD_EVENT_SCHEMA[];
extern const char TD_EVENT_SCHEMA_PG[];

/*
 * Replaces the event mentions and quotes of article rowid by those of ev,
 * inside the caller's transaction. @return TD_OK, TD_EDB, TD_ENOMEM.
 */
td_status td_store_events_put(td_store *s, int64_t rowid, const td_event_article *ev);

/*
 * Merges every stored asserted mention into events (merge.h) and rewrites
 * event, event_source and event_claim, keeping the ids, created_at and
 * revision of events that stay; resolves quote speakers to the corpus
 * entities. Runs in its own transaction when none is open. Running it twice
 * changes nothing. err gets a message on failure. @return TD_OK, TD_EDB,
 * TD_ENOMEM.
 */
td_status td_store_events_merge(td_store *s, td_buf *err);

/* Writes `kind: event` records (FORMAT.md): id "e<id>", type, date, actor,
 * target, location {name, country, lat, lon}, killed, articles, story, plus
 * killed_min, killed_max, wounded, date_precision, sub_type, revision.
 * CSV: nothing (one record kind per file). */
td_status td_export_events(td_store *s, FILE *out, td_export_format fmt, td_buf *err);

/* Writes `kind: quote` records: id "q<id>", speaker, text, article, plus
 * direct, speaker_as_written, sentence. CSV: nothing. */
td_status td_export_quotes(td_store *s, FILE *out, td_export_format fmt, td_buf *err);

/* ACLED's sub-event type for a tidings event type ("Air/drone strike"). */
const char *td_event_acled_sub_type(const char *type);
/* ACLED's event type for a tidings event type ("Explosions/Remote violence"). */
const char *td_event_acled_type(const char *type);

#endif
