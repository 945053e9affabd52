/*
 * search.h - full-text search over articles combined with structured
 * filters, and events near a point (`tidings search`, GET /api/search).
 *
 * Data structure: articles are found through the FTS5 table article_fts
 * (migration 1), ranked by BM25 with the title weighing 4x the body, with
 * a snippet around the matches (\x02 and \x03 mark a match's start and
 * end). Events with a place that has coordinates are indexed in the R*Tree
 * event_geo(id = event.id, min_lat, max_lat, min_lon, max_lon) (migration 8,
 * TD_SEARCH_SCHEMA), rebuilt at the end of every ingest; a "near" query
 * reads the bounding box of the circle from it, then keeps the points
 * within the great-circle distance.
 *
 * PostgreSQL (docs/postgres.md): the words match the generated tsvector
 * article.fts (migration 1's, remade by 8) (GIN), ranked by ts_rank_cd with the title weighing 4x
 * (the score is its negation, so lower is better as with BM25), with
 * ts_headline snippets; event_geo is a view whose bounding-box test is a
 * range on the btree entity(lat, lon), and td_km an SQL function.
 *
 * Invariants: user text reaches FTS5 only through td_search_fts_query (every
 * word a quoted term), and SQL only through bound parameters; filters on
 * tables a database lacks (events, entities) fail with TD_EINVAL and a
 * message naming the filter, never with an SQL error.
 */
#ifndef TD_SEARCH_H
#define TD_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

#include "tidings.h"
#include "base/buf.h"

/* Migration 8: the R*Tree over event coordinates. */
extern const char TD_SEARCH_SCHEMA[];
/* Migration 8 on PostgreSQL: the tsvector column article.fts (migration 1's, remade by 8) (title
 * weight A, body B) with its GIN index; event_geo as a view over event and
 * entity with a btree on entity(lat, lon) (always current, nothing to
 * rebuild); the SQL functions td_km and td_alert_km. */
extern const char TD_SEARCH_SCHEMA_PG[];
/* Migration 10: indexes the listings of the API and the page read (stories
 * by last activity, events of a type by date). */
extern const char TD_SEARCH_INDEXES[];
extern const char TD_SEARCH_INDEXES_PG[];

typedef struct td_search_query {
    const char *text;          /* the user's words; NULL or "" only with near */
    const char *type;          /* event type of an event the article reports */
    const char *entity;        /* an entity the article names (id, name or alias) */
    const char *place;         /* place of an event the article reports */
    const char *from, *to;     /* published, YYYY[-MM[-DD]], inclusive */
    const char *outlet;
    bool near;                 /* only articles reporting events within km of lat,lon */
    double lat, lon, km;
    unsigned limit;            /* 0 = 20 */
    unsigned offset;
} td_search_query;

/* One article found. Strings are borrowed for the callback's duration. */
typedef struct td_search_hit {
    const char *id, *title, *outlet, *published, *url;
    const char *snippet;       /* with \x02 / \x03 around matches; may be NULL */
    double score;              /* BM25 (lower is better, as SQLite gives it) */
    int64_t story;             /* 0 when none */
} td_search_hit;

/* One event near a point. */
typedef struct td_search_event {
    int64_t id, story;
    const char *type, *date, *place, *sentence;
    double lat, lon, km;
} td_search_event;

/*
 * Registers the SQL function td_km(lat1, lon1, lat2, lon2) on db (the
 * great-circle distance; NULL when an argument is). Call once per
 * connection before searching. @return TD_OK or TD_EDB.
 */
td_status td_search_init(td_db *db);

/* Great-circle distance in km between two points given in degrees. */
double td_search_km(double lat1, double lon1, double lat2, double lon2);

/*
 * Turns a user's search text into an FTS5 query: every word becomes a
 * quoted term, "quoted phrases" stay phrases, a trailing * makes a prefix
 * term and an upper-case OR between two terms stays the operator; terms are
 * ANDed. Returns false when the text holds no word.
 */
bool td_search_fts_query(const char *q, td_buf *out);

/*
 * The same words as a PostgreSQL tsquery for to_tsquery('simple', ...):
 * each term a quoted lexeme ('a b' is a phrase, 'x':* a prefix), ANDed
 * with & and ORed with |. Returns false when the text holds no word.
 */
bool td_search_pg_tsquery(const char *q, td_buf *out);

/* The ts_headline options (an SQL expression) that mark matches with \x02
 * and \x03 as FTS5's snippet() does, around a window of about 24 words. */
#define TD_SEARCH_PG_HEADLINE \
    "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=12, MaxFragments=1'"

/*
 * A query text written for SQLite made ready for PostgreSQL (out gets it):
 * every ORDER BY term gets SQLite's NULL order (NULLS FIRST ascending,
 * NULLS LAST descending), and parameters the text skips (?1 and ?5 used,
 * ?2-?4 not: the fixed numbering of optional filters) get a type through an
 * unused CTE, since PostgreSQL cannot prepare a statement with an untyped
 * parameter. Returns false when out of memory.
 */
bool td_search_pg_sql(const char *sql, td_buf *out);

/*
 * Runs q: calls fn once per article, best first, and sets *total to the
 * number of matches. err names the bad field on TD_EINVAL.
 * @return TD_OK; TD_EINVAL (a filter the database cannot answer, no word),
 *         TD_EDB, TD_ENOMEM.
 */
td_status td_search_articles(td_db *db, const td_search_query *q,
                             void (*fn)(void *ud, const td_search_hit *h), void *ud, int64_t *total, td_buf *err);

/*
 * Events within q->km of (q->lat, q->lon) through event_geo, nearest first
 * (then latest); q->type, q->from and q->to filter them. *total gets the
 * count. @return TD_OK; TD_EINVAL when the database has no event index yet;
 * TD_EDB, TD_ENOMEM.
 */
td_status td_search_events_near(td_db *db, const td_search_query *q,
                                void (*fn)(void *ud, const td_search_event *e), void *ud, int64_t *total,
                                td_buf *err);

/*
 * Rebuilds event_geo from event and entity (events whose place has
 * coordinates), inside the caller's transaction or its own. Does nothing
 * when the tables are missing. *n gets the points indexed (may be NULL).
 * @return TD_OK, TD_EDB.
 */
td_status td_search_geo_update(td_db *db, size_t *n, td_buf *err);

#endif
