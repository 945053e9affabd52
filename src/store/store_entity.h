/*
 * store_entity.h - entities in the store (sqlite_entity.c, through db.h:
 * SQLite or PostgreSQL): what each article's extraction found, and the
 * corpus entities rebuilt from it.
 *
 * Tables (migration 3, TD_ENTITY_SCHEMA):
 *   art_entity(article, idx, type, kind, name, actor, place, geonameid,
 *              country, lat, lon, precision, n_mentions, conf, entity_id)
 *                        one row per entity of one article (td_art_entity)
 *   art_alias(article, idx, surface, count)   its other forms
 *   mention(article_id, entity_id, sentence, "offset", len, how, idx)
 *                        every mention: offset/len into the article's title,
 *                        body and captions joined (names.h); idx its art_entity
 *   entity(id, type, name, lat, lon, country, geonames_id)  the corpus
 *                        entities, with the columns of shared/DESIGN.md
 *   entity_info(id, kind, precision, n_mentions, n_articles)
 *   alias(entity_id, surface, count)          every other form of each
 *   entity_article(entity_id, article)        where each appears
 * Migration 11 (TD_ENTITY_APPROX_SCHEMA), places the gazetteer lacks:
 *   art_within(article, idx, within)   the gazetteer place containing an
 *                        art_entity with no record of its own
 *   entity_approx(id, approx, within_geonameid, within)  a corpus place
 *                        whose lat/lon are its container's: approx "city",
 *                        "admin1" or "country", and that container
 * (article columns hold the article's rowid.)
 *
 * The per-article rows are the source of truth; entity, alias and
 * entity_article are rebuilt from them by td_store_entities_rebuild with a
 * fresh td_entity_registry (so resolution does not depend on the order runs
 * happened in). Entity ids are valid until the next rebuild.
 */
#ifndef TD_STORE_ENTITY_H
#define TD_STORE_ENTITY_H

#include <stdio.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/buf.h"
#include "extract/names.h"
#include "store/store.h"

/* The SQL of migration 3 (idempotent: every object IF NOT EXISTS). */
extern const char TD_ENTITY_SCHEMA[];
/* The SQL of migration 11 (idempotent): the tables art_within and
 * entity_approx above. */
extern const char TD_ENTITY_APPROX_SCHEMA[];
/* PostgreSQL's texts of migrations 3 and 11: the same tables, columns and
 * indexes (BIGINT, DOUBLE PRECISION, lower() for SQLite's NOCASE indexes). */
extern const char TD_ENTITY_SCHEMA_PG[];
extern const char TD_ENTITY_APPROX_SCHEMA_PG[];

/* Creates the tables when missing (databases migrated past 3 before it
 * landed). @return TD_OK or TD_EDB. */
td_status td_store_entities_ensure(td_store *s);

/*
 * Replaces the entities of article rowid by those of en (types
 * TD_ENT_NONE included: the rebuild decides). g (may be NULL) gives the
 * places' GeoNames ids and points, kept so a rebuilt gazetteer whose record
 * numbers moved is noticed. Inside the caller's transaction. @return TD_OK, TD_EDB, TD_ENOMEM.
 */
td_status td_store_entities_put(td_store *s, int64_t rowid, const td_entities *en,
                                const td_gazetteer *g);

/*
 * Rebuilds entity, alias and entity_article from every article's rows with a
 * registry over md (may be NULL), using scratch for one article at a time.
 * Runs in its own transaction when none is open. @return TD_OK, TD_EDB,
 * TD_ENOMEM.
 */
td_status td_store_entities_rebuild(td_store *s, const td_entity_models *md, td_arena *scratch);

/* Writes `kind: entity` records (FORMAT.md): id "n<id>", type, name,
 * aliases (most used first), mentions, articles, and for places country,
 * lat, lon, geonameid, precision. CSV: nothing (one record kind per file). */
td_status td_export_entities(td_store *s, FILE *out, td_export_format fmt, td_buf *err);

#endif
