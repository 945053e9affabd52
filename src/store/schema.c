/*
 * schema.c - the versioned schema. Migrations run in order inside one
 * transaction each; the table schema_migration records every one applied, so
 * an old database is brought up to date when it is opened and a new one is
 * created from scratch by the same path. A set of applied numbers, not a
 * high-water mark, because stages land in any order: a database created
 * when 1, 3 and 5 existed still needs 2 and 4 when they arrive.
 *
 * Numbers are reserved per stage so work on several stages can land in any
 * order: 1 articles (foundation), 2 duplicates and stories, 3 entities,
 * 4 time, quotes and events. Never edit a migration that has shipped: add one.
 */
#include "store/schema.h"
#include "store/store_entity.h"
#include "store/store_event.h"
#include "store/store_story.h"
#include "store/store_follow.h"
#include "search/search.h"
#include "summary/summary.h"

#include <stddef.h>

static const char MIGRATION_1[] =
    "CREATE TABLE article ("
    "  rowid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"          /* input id, or file name */
    "  url TEXT, outlet TEXT, title TEXT, subtitle TEXT, byline TEXT, dateline TEXT,"
    "  published TEXT,"                    /* YYYY-MM-DD, or YYYY-MM / YYYY when less precise */
    "  published_from TEXT,"               /* where the date came from */
    "  lang TEXT,"
    "  body TEXT NOT NULL,"                /* cleaned body */
    "  captions TEXT,"
    "  removed TEXT,"                      /* JSON: [{line, kind, why, text}] */
    "  raw TEXT NOT NULL,"                 /* input text as read (sanitised) */
    "  given TEXT,"                        /* JSON of fields given by the input (title, outlet, published) */
    "  raw_hash INTEGER NOT NULL,"         /* xxh3 of the input text: re-ingest check */
    "  body_hash INTEGER NOT NULL,"        /* xxh3 of the normalised body: exact copies */
    "  bad_utf8 INTEGER NOT NULL DEFAULT 0,"
    "  source TEXT, source_line INTEGER,"
    "  duplicate_of INTEGER REFERENCES article(rowid),"
    "  dup_similarity REAL,"
    "  story_id INTEGER,"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
    ");"
    "CREATE INDEX article_body_hash ON article(body_hash);"
    "CREATE INDEX article_outlet ON article(outlet);"
    "CREATE INDEX article_published ON article(published);"
    "CREATE INDEX article_story ON article(story_id);"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, content='article', content_rowid='rowid',"
    "  tokenize='unicode61 remove_diacritics 2');"
    /* merge index segments sooner: a third less time per insert, measured */
    "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8);"
    "CREATE TRIGGER article_ai AFTER INSERT ON article BEGIN"
    "  INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);"
    "END;"
    "CREATE TRIGGER article_ad AFTER DELETE ON article BEGIN"
    "  INSERT INTO article_fts(article_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);"
    "END;"
    "CREATE TRIGGER article_au AFTER UPDATE OF title, body ON article BEGIN"
    "  INSERT INTO article_fts(article_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);"
    "  INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);"
    "END;"
    "CREATE TABLE outlet_line ("             /* per-outlet template learning */
    "  outlet TEXT NOT NULL, hash INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY (outlet, hash)) WITHOUT ROWID;"
    "CREATE TABLE story ("
    "  id INTEGER PRIMARY KEY, title TEXT, first_seen TEXT, last_seen TEXT,"
    "  n_articles INTEGER NOT NULL DEFAULT 0);";

/* 5: files `tidings watch` has ingested (src/read/watch.c), so each file is
 * ingested once across restarts; a file whose size, mtime or inode changed
 * is a new file. */
static const char MIGRATION_5[] =
    "CREATE TABLE watch_file ("
    "  path TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,"
    "  articles INTEGER NOT NULL DEFAULT 0,"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));";

/* Migrations 2.. are appended by the stages that own them (see the header
 * comment); an empty slot keeps the numbering stable until it lands. */
static const td_migration MIGRATIONS[] = {
    { 1, "articles, full-text index, outlet templates, stories", MIGRATION_1, true, "" },
    { 2, "duplicates, passages, story centroids (store_story.h)", TD_STORY_SCHEMA, false, "" },
    { 3, "entities, aliases, mentions (store_entity.h)", TD_ENTITY_SCHEMA, true, "" },
    { 4, "event mentions, events, sources, claims, quotes (store_event.h)", TD_EVENT_SCHEMA, false, "" },
    { 5, "files ingested by watch", MIGRATION_5, true, "" },
    { 6, "follows, seen events, alerts (store_follow.h)", TD_FOLLOW_SCHEMA, false, "" },
    { 7, "story summaries (summary/summary.h)", TD_SUMMARY_SCHEMA, false, "" },
    { 8, "R*Tree over event places (search/search.h)", TD_SEARCH_SCHEMA, false, "" },
    { 9, "full-text index filled once per batch (store.h)", TD_STORE_FTS_BATCH_SCHEMA, false, "" },
    { 10, "indexes for the API's listings (search/search.h)", TD_SEARCH_INDEXES, false, "" },
    { 11, "places placed at their container (store_entity.h)", TD_ENTITY_APPROX_SCHEMA, false, "" },
};

const td_migration *td_schema_migrations(size_t *n)
{
    *n = sizeof MIGRATIONS / sizeof MIGRATIONS[0];
    return MIGRATIONS;
}
