/*
 * match.c - which events a follow matches, and an event as alerts show it.
 *
 * A follow is turned into one SELECT over event (columns of shared/DESIGN.md
 * plus revision/updated_at) whose filters are ANDed:
 *   --entity  actor, target or place is an entity whose canonical name or
 *             any alias equals NAME (case-insensitive), or such an entity is
 *             named in one of the sentences that report the event (targets
 *             and victims are often text the merger could not tie to an
 *             entity); names are resolved at every scan because entity ids
 *             change when entities are rebuilt
 *   --place   place is an entity so named or aliased, or NAME is the ISO
 *             code of the event's country
 *   --near    the event's place lies within km of the point (haversine,
 *             after a bounding box, as GET /api/events does)
 *   --type    the event type
 *   --query   one of the event's source articles matches the full-text
 *             query (same syntax as /api/search: td_api_fts_query)
 *   --min-killed  the highest figure reported is at least N
 * Every value is bound, never pasted into the SQL.
 */
#include "alert/alert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "search/search.h"
#include "serve/api.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double td_alert_km(double lat1, double lon1, double lat2, double lon2)
{
    double r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    if (a > 1)
        a = 1;
    return 2 * 6371.0088 * asin(sqrt(a)); /* mean Earth radius (IUGG) */
}

static void km_fn(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    for (int i = 0; i < 4; i++)
        if (sqlite3_value_type(v[i]) == SQLITE_NULL) {
            sqlite3_result_null(cx);
            return;
        }
    sqlite3_result_double(cx, td_alert_km(sqlite3_value_double(v[0]), sqlite3_value_double(v[1]),
                                          sqlite3_value_double(v[2]), sqlite3_value_double(v[3])));
}

/* 1 when table has the column (PRAGMA table_info on SQLite), 0 when not, -TD_ENOMEM
 * when that could not be checked for want of memory. */
static int has_col(td_db *db, const char *table, const char *col)
{
    td_stmt *st = NULL;
    /* PostgreSQL: its catalogue, in the schema in use */
    int found = 0, rc = td_db_prepare(db, td_db_kind_of(db) == TD_DB_POSTGRES
                                              ? "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                                                " current_schema() AND table_name = ?1 AND column_name = ?2"
                                              : "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                                      &st, NULL);
    if (rc == TD_ENOMEM)
        return -TD_ENOMEM;
    if (rc == TD_OK) {
        td_stmt_bind_text(st, 1, table, -1);
        td_stmt_bind_text(st, 2, col, -1);
        found = td_stmt_step(st) == TD_DB_ROW;
    }
    td_stmt_finalize(st);
    return found;
}

int td_alert_have_events(td_db *db)
{
    static const char *const NEED[][2] = { { "event", "revision" }, { "event_source", "event_id" },
                                           { "entity", "name" } };
    for (size_t i = 0; i < sizeof NEED / sizeof NEED[0]; i++) {
        int h = has_col(db, NEED[i][0], NEED[i][1]);
        if (h <= 0)
            return h;
    }
    return 1;
}

td_status td_alert_follow_check(const td_follow *f, td_buf *err)
{
    if (f->type && !td_api_valid_event_type(f->type)) {
        td_buf_printf(err, "--type: '%s' is not an event type (airstrike, shelling, bombing, armed_clash,"
                           " raid_or_arrest, killing, protest, agreement, meeting, statement, election,"
                           " disaster, other)", f->type);
        return TD_EINVAL;
    }
    if (f->near) {
        if (!(f->near_lat >= -90 && f->near_lat <= 90 && f->near_lon >= -180 && f->near_lon <= 180)) {
            td_buf_puts(err, "--near: latitude must be within -90..90 and longitude within -180..180");
            return TD_EINVAL;
        }
        if (!(f->near_km > 0 && f->near_km <= 20100)) {
            td_buf_puts(err, "--km: a distance above 0 and at most 20100 km is needed with --near");
            return TD_EINVAL;
        }
    }
    if (f->entity && !*f->entity) {
        td_buf_puts(err, "--entity: empty name");
        return TD_EINVAL;
    }
    if (f->place && !*f->place) {
        td_buf_puts(err, "--place: empty name");
        return TD_EINVAL;
    }
    if (f->query) {
        td_buf q = TD_BUF_INIT;
        bool ok = td_api_fts_query(f->query, &q);
        td_buf_free(&q);
        if (!ok) {
            td_buf_printf(err, "--query: '%s' holds no word to search for", f->query);
            return TD_EINVAL;
        }
    }
    if (f->sink == TD_SINK_WEBHOOK && !td_alert_url_ok(f->target)) {
        td_buf_printf(err, "--to: '%s' is not an http:// or https:// URL", f->target ? f->target : "");
        return TD_EINVAL;
    }
    if (f->sink == TD_SINK_JSONL && (!f->target || !*f->target)) {
        td_buf_puts(err, "--to: a file path ending in .jsonl is needed");
        return TD_EINVAL;
    }
    return TD_OK;
}

/* Entities named or aliased ?N, as an IN list. PostgreSQL has no NOCASE
 * collation: lower() on both sides (its indexes are on lower()). */
static void named(td_buf *q, int param, bool pg)
{
    if (pg)
        td_buf_printf(q, "(SELECT id FROM entity WHERE lower(name) = lower(?%d)"
                         " UNION SELECT entity_id FROM alias WHERE lower(surface) = lower(?%d))", param, param);
    else
        td_buf_printf(q, "(SELECT id FROM entity WHERE name = ?%d COLLATE NOCASE"
                         " UNION SELECT entity_id FROM alias WHERE surface = ?%d COLLATE NOCASE)", param, param);
}

/* at ("YYYY-MM-DDTHH:MM:SSZ") a day earlier, as SQLite's strftime(..., at,
 * '-1 day') gives it (worked out here: PostgreSQL has no strftime); false
 * when at is not such a time. */
static bool day_before(const char *at, char out[32])
{
    struct tm tm = { 0 };
    const char *end = at ? strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    if (!end || *end)
        return false;
    time_t t = timegm(&tm) - 86400;
    return gmtime_r(&t, &tm) && strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

td_status td_alert_match(td_db *db, const td_follow *f, bool unseen, uint32_t limit,
                         td_status (*fn)(void *ud, int64_t event_id, int64_t revision), void *ud, td_buf *err)
{
    int ready = td_alert_have_events(db);
    if (ready <= 0)
        return ready < 0 ? (td_status)-ready : TD_OK; /* no events yet: nothing can match */
    /* SQLite: the distance is a C function registered on the connection;
     * PostgreSQL will have it as an SQL function from its migration */
    if (td_db_sqlite(db))
        sqlite3_create_function(td_db_sqlite(db), "td_alert_km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, km_fn,
                                NULL, NULL);
    bool pg = td_db_kind_of(db) == TD_DB_POSTGRES;
    bool updated = has_col(db, "event", "updated_at"), own = has_col(db, "event", "lat");
    bool mentions = f->entity && has_col(db, "event_source", "sentence_idx") && has_col(db, "mention", "sentence");
    const char *lat = own ? "coalesce(e.lat, pl.lat)" : "pl.lat", *lon = own ? "coalesce(e.lon, pl.lon)" : "pl.lon";
    td_buf q = TD_BUF_INIT, fts = TD_BUF_INIT;
    td_buf_puts(&q, "SELECT e.id, e.revision FROM event e LEFT JOIN entity pl ON pl.id = e.place_id");
    if (unseen) /* a reused id (another created_at) is another event */
        td_buf_printf(&q, " LEFT JOIN follow_seen s ON s.follow_id = ?1 AND s.event_id = e.id"
                          " WHERE (s.revision IS NULL OR e.revision > s.revision%s)",
                      updated ? " OR (s.event_created IS NOT NULL AND (e.created_at IS NULL"
                                " OR e.created_at <> s.event_created))" : "");
    else
        td_buf_puts(&q, " WHERE 1 = 1");
    /* events merging touched since the follow's last scan, with a day of
     * margin for a merge that stamped updated_at before its commit: the
     * event_updated index then skips the untouched corpus (follow_seen stays
     * the judge) */
    bool recent = unseen && updated && f->last_run_at;
    if (recent)
        td_buf_puts(&q, " AND e.updated_at >= ?12");
    if (f->type)
        td_buf_puts(&q, " AND e.type = ?2");
    if (f->min_killed >= 0)
        td_buf_puts(&q, " AND coalesce(e.killed_max, e.killed_min, -1) >= ?3");
    if (f->entity) {
        td_buf_puts(&q, " AND (e.actor_id IN ");
        named(&q, 4, pg);
        td_buf_puts(&q, " OR e.target_id IN ");
        named(&q, 4, pg);
        td_buf_puts(&q, " OR e.place_id IN ");
        named(&q, 4, pg);
        if (own) /* an actor merging could not tie to an entity keeps its text */
            td_buf_puts(&q, pg ? " OR (e.actor_id IS NULL AND lower(e.actor) = lower(?4))"
                                 " OR (e.target_id IS NULL AND lower(e.target) = lower(?4))"
                               : " OR (e.actor_id IS NULL AND e.actor = ?4 COLLATE NOCASE)"
                                 " OR (e.target_id IS NULL AND e.target = ?4 COLLATE NOCASE)");
        if (mentions) { /* named in a sentence that reports the event (computed once, not per row) */
            td_buf_puts(&q, " OR e.id IN (SELECT es.event_id FROM event_source es JOIN mention m"
                            " ON m.article_id = es.article_id AND m.sentence = es.sentence_idx"
                            " WHERE m.entity_id IN ");
            named(&q, 4, pg);
            td_buf_putc(&q, ')');
        }
        td_buf_puts(&q, ")");
    }
    if (f->place) {
        td_buf_puts(&q, " AND (e.place_id IN ");
        named(&q, 5, pg);
        if (own) {
            td_buf_puts(&q, pg ? " OR (e.place_id IS NULL AND lower(e.place) = lower(?5))"
                               : " OR (e.place_id IS NULL AND e.place = ?5 COLLATE NOCASE)");
            td_buf_puts(&q, " OR (length(?5) = 2 AND coalesce(e.country, pl.country) = upper(?5)))");
        } else
            td_buf_puts(&q, " OR (length(?5) = 2 AND pl.country = upper(?5)))");
    }
    double dlat = 0, dlon = 0;
    if (f->near) {
        dlat = f->near_km / 111.0;
        double c = cos(f->near_lat * M_PI / 180.0);
        dlon = c > 0.01 ? f->near_km / (111.0 * c) : 360.0;
        if (f->near_lon - dlon < -180 || f->near_lon + dlon > 180)
            dlon = 360.0; /* the box would cross the antimeridian: distance alone */
        /* typed: PostgreSQL infers no type for "? - ?" (SQLite reads the
         * type name as REAL affinity) */
        td_buf_printf(&q, " AND %s BETWEEN CAST(?6 AS DOUBLE PRECISION) - CAST(?9 AS DOUBLE PRECISION)"
                          " AND CAST(?6 AS DOUBLE PRECISION) + CAST(?9 AS DOUBLE PRECISION)"
                          " AND %s BETWEEN CAST(?7 AS DOUBLE PRECISION) - CAST(?10 AS DOUBLE PRECISION)"
                          " AND CAST(?7 AS DOUBLE PRECISION) + CAST(?10 AS DOUBLE PRECISION)"
                          " AND td_alert_km(%s, %s, CAST(?6 AS DOUBLE PRECISION), CAST(?7 AS DOUBLE PRECISION))"
                          " <= CAST(?8 AS DOUBLE PRECISION)", lat, lon, lat, lon);
    }
    if (f->query) {
        /* SQLite: FTS5; PostgreSQL: the article.fts tsvector (docs/postgres.md) */
        if (pg) {
            if (!td_search_pg_tsquery(f->query, &fts))
                td_buf_puts(&fts, "''"); /* no word: matches nothing */
            td_buf_puts(&q, " AND e.id IN (SELECT es.event_id FROM event_source es WHERE es.article_id IN"
                            " (SELECT rowid FROM article WHERE fts @@ to_tsquery('simple', ?11)))");
        } else {
            td_api_fts_query(f->query, &fts);
            td_buf_puts(&q, " AND e.id IN (SELECT es.event_id FROM event_source es WHERE es.article_id IN"
                            " (SELECT rowid FROM article_fts WHERE article_fts MATCH ?11))");
        }
    }
    if (pg) {
        /* PostgreSQL types every parameter up to the highest: the ones this
         * follow leaves out get a clause that only gives them a type */
        bool used[13] = { false, unseen, f->type != NULL, f->min_killed >= 0, f->entity != NULL,
                          f->place != NULL, f->near, f->near, f->near, f->near, f->near,
                          f->query != NULL, recent };
        for (int k = 1; k <= 12; k++)
            if (!used[k])
                td_buf_printf(&q, " AND (CAST(?%d AS TEXT) IS NULL OR 1 = 1)", k);
    }
    /* the scan makes alerts in the order events were made; feeds show the
     * latest changes first */
    if (unseen) {
        /* no ORDER BY: it would make the planner walk the table in rowid
         * order instead of the updated_at index; the scan sorts what it gets */
    } else if (updated)
        td_buf_puts(&q, " ORDER BY e.updated_at DESC, e.id DESC");
    else
        td_buf_puts(&q, " ORDER BY e.revision DESC, e.id DESC");
    if (limit)
        td_buf_printf(&q, " LIMIT %u", limit);
    if (q.failed || fts.failed) {
        td_buf_free(&q);
        td_buf_free(&fts);
        return TD_ENOMEM;
    }
    td_stmt *st = NULL;
    td_status s = TD_OK;
    if (td_db_prepare(db, q.p, &st, NULL) != TD_OK) {
        td_buf_printf(err, "follow %lld: matching events: %s", (long long)f->id, td_db_errmsg(db));
        s = TD_EDB;
        goto out;
    }
    td_stmt_bind_i64(st, 1, f->id);
    if (f->type)
        td_stmt_bind_text(st, 2, f->type, -1);
    if (f->min_killed >= 0)
        td_stmt_bind_i64(st, 3, f->min_killed);
    if (f->entity)
        td_stmt_bind_text(st, 4, f->entity, -1);
    if (f->place)
        td_stmt_bind_text(st, 5, f->place, -1);
    if (f->near) {
        td_stmt_bind_double(st, 6, f->near_lat);
        td_stmt_bind_double(st, 7, f->near_lon);
        td_stmt_bind_double(st, 8, f->near_km);
        td_stmt_bind_double(st, 9, dlat);
        td_stmt_bind_double(st, 10, dlon);
    }
    if (f->query)
        td_stmt_bind_text(st, 11, fts.p, (int)fts.len);
    char since[32];
    if (recent && day_before(f->last_run_at, since))
        td_stmt_bind_text(st, 12, since, -1);
    int rc;
    while (s == TD_OK && (rc = td_stmt_step(st)) == TD_DB_ROW)
        s = fn(ud, td_stmt_i64(st, 0), td_stmt_i64(st, 1));
    if (s == TD_OK && rc != TD_DB_DONE) {
        td_buf_printf(err, "follow %lld: matching events: %s", (long long)f->id, td_db_errmsg(db));
        s = TD_EDB;
    }
out:
    td_stmt_finalize(st);
    td_buf_free(&q);
    td_buf_free(&fts);
    return s;
}

/* ---- one event ---- */

static char *col_dup(td_stmt *st, int i, bool *oom)
{
    const char *p = td_stmt_text(st, i);
    if (!p)
        return NULL;
    char *z = td_strdup(p);
    if (!z)
        *oom = true;
    return z;
}

void td_alert_event_clear(td_alert_event *ev)
{
    if (!ev)
        return;
    char **strs[] = { &ev->type, &ev->date, &ev->date_precision, &ev->actor, &ev->target,
                      &ev->place, &ev->country, &ev->updated_at, &ev->created_at };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        td_free(*strs[i]);
    for (uint32_t i = 0; i < ev->n_sources; i++) {
        td_alert_source *s = &ev->sources[i];
        td_free(s->article);
        td_free(s->url);
        td_free(s->title);
        td_free(s->outlet);
        td_free(s->published);
        td_free(s->sentence);
    }
    td_free(ev->sources);
    memset(ev, 0, sizeof *ev);
}

void td_alert_loader_free(td_alert_loader *l)
{
    if (!l)
        return;
    td_stmt_finalize(l->ev);
    td_stmt_finalize(l->src);
    l->ev = l->src = NULL;
}

td_status td_alert_loader_init(td_alert_loader *l, td_db *db)
{
    memset(l, 0, sizeof *l);
    l->db = db;
    /* merging may keep its own text and point for an event (columns actor,
     * target, place, country, lat, lon, killed): those win over the entity's */
    bool updated = has_col(db, "event", "updated_at"), own = has_col(db, "event", "lat");
    bool killed = has_col(db, "event", "killed");
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT e.id, e.revision, e.story_id, e.type, e.date, e.date_precision, e.killed_min, e.killed_max,"
             " %s, %s"
             " FROM event e LEFT JOIN entity act ON act.id = e.actor_id"
             " LEFT JOIN entity tgt ON tgt.id = e.target_id LEFT JOIN entity pl ON pl.id = e.place_id"
             " WHERE e.id = ?1",
             own ? "coalesce(act.name, e.actor), coalesce(tgt.name, e.target), coalesce(pl.name, e.place),"
                   " coalesce(e.country, pl.country), coalesce(e.lat, pl.lat), coalesce(e.lon, pl.lon)"
                 : "act.name, tgt.name, pl.name, pl.country, pl.lat, pl.lon",
             updated && killed ? "e.updated_at, e.killed, e.created_at"
             : updated         ? "e.updated_at, NULL, e.created_at"
                               : "NULL, NULL, NULL");
    /* one row per source mention through the event's index, oldest article
     * first and its best sentence first: the loader keeps the first row of
     * each article */
    if (td_db_prepare(db, sql, &l->ev, NULL) != TD_OK ||
        td_db_prepare(db,
                           "SELECT a.id, a.url, a.title, a.outlet, a.published, es.sentence, a.rowid"
                           " FROM event_source es JOIN article a ON a.rowid = es.article_id"
                           " WHERE es.event_id = ?1 ORDER BY a.published NULLS FIRST, a.rowid, es.confidence DESC,"
                           " es.mention_idx", &l->src, NULL) != TD_OK) {
        td_alert_loader_free(l);
        return TD_EDB;
    }
    return TD_OK;
}

td_status td_alert_event_load(td_db *db, int64_t id, td_alert_event *ev)
{
    td_alert_loader l;
    td_status s = td_alert_loader_init(&l, db);
    if (s == TD_OK)
        s = td_alert_loader_load(&l, id, ev);
    td_alert_loader_free(&l);
    return s;
}

td_status td_alert_loader_load(td_alert_loader *l, int64_t id, td_alert_event *ev)
{
    memset(ev, 0, sizeof *ev);
    td_stmt *st = l->ev;
    td_stmt_reset(st);
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        td_stmt_reset(st);
        return rc == TD_DB_DONE ? TD_ENOTFOUND : TD_EDB;
    }
    bool oom = false;
    ev->id = td_stmt_i64(st, 0);
    ev->revision = td_stmt_i64(st, 1);
    ev->story = td_stmt_type(st, 2) == TD_COL_NULL ? -1 : td_stmt_i64(st, 2);
    ev->type = col_dup(st, 3, &oom);
    ev->date = col_dup(st, 4, &oom);
    ev->date_precision = col_dup(st, 5, &oom);
    ev->killed_min = td_stmt_type(st, 6) == TD_COL_NULL ? -1 : td_stmt_i64(st, 6);
    ev->killed_max = td_stmt_type(st, 7) == TD_COL_NULL ? -1 : td_stmt_i64(st, 7);
    ev->actor = col_dup(st, 8, &oom);
    ev->target = col_dup(st, 9, &oom);
    ev->place = col_dup(st, 10, &oom);
    ev->country = col_dup(st, 11, &oom);
    ev->lat = td_stmt_type(st, 12) == TD_COL_NULL ? NAN : td_stmt_double(st, 12);
    ev->lon = td_stmt_type(st, 13) == TD_COL_NULL ? NAN : td_stmt_double(st, 13);
    ev->updated_at = col_dup(st, 14, &oom);
    ev->killed = td_stmt_type(st, 15) == TD_COL_NULL ? -1 : td_stmt_i64(st, 15);
    ev->created_at = col_dup(st, 16, &oom);
    td_stmt_reset(st);
    if (ev->killed_min < 0 && ev->killed_max >= 0)
        ev->killed_min = ev->killed_max;
    if (ev->killed_max < 0 && ev->killed_min >= 0)
        ev->killed_max = ev->killed_min;
    if (ev->killed < 0)
        ev->killed = ev->killed_min; /* the conservative figure, as merging chooses */

    st = l->src;
    td_stmt_reset(st);
    td_stmt_bind_i64(st, 1, id);
    uint32_t cap = 0;
    int64_t last = INT64_MIN;
    while (!oom && (rc = td_stmt_step(st)) == TD_DB_ROW) {
        int64_t rowid = td_stmt_i64(st, 6);
        if (rowid == last)
            continue;  /* another mention in the same article */
        last = rowid;
        if (ev->n_sources == cap) {
            uint32_t nc = cap ? cap * 2 : 4;
            td_alert_source *ns = td_realloc(ev->sources, nc * sizeof *ns);
            if (!ns) {
                oom = true;
                break;
            }
            ev->sources = ns;
            cap = nc;
        }
        td_alert_source *s = &ev->sources[ev->n_sources++];
        s->article = col_dup(st, 0, &oom);
        s->url = col_dup(st, 1, &oom);
        s->title = col_dup(st, 2, &oom);
        s->outlet = col_dup(st, 3, &oom);
        s->published = col_dup(st, 4, &oom);
        s->sentence = col_dup(st, 5, &oom);
    }
    td_stmt_reset(st);
    if (oom) {
        td_alert_event_clear(ev);
        return TD_ENOMEM;
    }
    if (rc != TD_DB_DONE && rc != TD_DB_ROW) {
        td_alert_event_clear(ev);
        return TD_EDB;
    }
    return TD_OK;
}

static void json_opt(td_buf *b, const char *key, const char *z)
{
    td_buf_printf(b, ",\"%s\":", key);
    td_buf_json_str(b, z ? td_str_cstr(z) : (td_str){ NULL, 0 });
}

void td_alert_event_json(const td_alert_event *ev, td_buf *out)
{
    td_buf_printf(out, "{\"id\":%lld,\"revision\":%lld", (long long)ev->id, (long long)ev->revision);
    json_opt(out, "type", ev->type);
    json_opt(out, "date", ev->date);
    json_opt(out, "date_precision", ev->date_precision);
    td_buf_puts(out, ",\"place\":");
    if (ev->place || ev->country || !isnan(ev->lat)) {
        td_buf_puts(out, "{\"name\":");
        td_buf_json_str(out, ev->place ? td_str_cstr(ev->place) : (td_str){ NULL, 0 });
        json_opt(out, "country", ev->country);
        if (!isnan(ev->lat) && !isnan(ev->lon))
            td_buf_printf(out, ",\"lat\":%.5f,\"lon\":%.5f}", ev->lat, ev->lon);
        else
            td_buf_puts(out, ",\"lat\":null,\"lon\":null}");
    } else {
        td_buf_puts(out, "null");
    }
    json_opt(out, "actor", ev->actor);
    json_opt(out, "target", ev->target);
    if (ev->killed_max >= 0)
        td_buf_printf(out, ",\"killed\":%lld,\"killed_min\":%lld,\"killed_max\":%lld", (long long)ev->killed,
                      (long long)ev->killed_min, (long long)ev->killed_max);
    else
        td_buf_puts(out, ",\"killed\":null,\"killed_min\":null,\"killed_max\":null");
    if (ev->story >= 0)
        td_buf_printf(out, ",\"story\":%lld", (long long)ev->story);
    else
        td_buf_puts(out, ",\"story\":null");
    td_buf_puts(out, ",\"summary\":");
    td_buf sum = TD_BUF_INIT;
    td_alert_event_summary(ev, &sum);
    td_buf_json_str(out, td_buf_str(&sum));
    td_buf_free(&sum);
    td_buf_printf(out, ",\"n_sources\":%u,\"sources\":[", ev->n_sources);
    for (uint32_t i = 0; i < ev->n_sources; i++) {
        const td_alert_source *s = &ev->sources[i];
        td_buf_puts(out, i ? ",{\"article\":" : "{\"article\":");
        td_buf_json_str(out, s->article ? td_str_cstr(s->article) : (td_str){ NULL, 0 });
        json_opt(out, "url", s->url);
        json_opt(out, "outlet", s->outlet);
        json_opt(out, "published", s->published);
        json_opt(out, "title", s->title);
        json_opt(out, "sentence", s->sentence);
        td_buf_putc(out, '}');
    }
    td_buf_puts(out, "]}");
}

void td_alert_event_summary(const td_alert_event *ev, td_buf *out)
{
    const char *type = ev->type ? ev->type : "event";
    /* "armed_clash" -> "Armed clash" */
    for (size_t i = 0; type[i]; i++) {
        char c = type[i] == '_' ? ' ' : type[i];
        td_buf_putc(out, i == 0 && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
    }
    if (ev->place) {
        td_buf_printf(out, " in %s", ev->place);
        if (ev->country)
            td_buf_printf(out, " (%s)", ev->country);
    }
    td_buf_printf(out, ", %s", ev->date ? ev->date : "date unknown");
    if (ev->killed_max >= 0) {
        td_buf_printf(out, ": %lld killed", (long long)ev->killed);
        if (ev->killed_min != ev->killed_max)
            td_buf_printf(out, " (sources say %lld to %lld)", (long long)ev->killed_min, (long long)ev->killed_max);
    }
    if (ev->actor)
        td_buf_printf(out, "; actor %s", ev->actor);
    if (ev->target)
        td_buf_printf(out, "; target %s", ev->target);
    td_buf_printf(out, "; %u source%s.", ev->n_sources, ev->n_sources == 1 ? "" : "s");
}

void td_alert_follow_describe(const td_follow *f, td_buf *out)
{
    size_t start = out->len;
#define SEP() td_buf_puts(out, out->len > start ? ", " : "")
    if (f->entity) {
        SEP();
        td_buf_printf(out, "entity '%s'", f->entity);
    }
    if (f->place) {
        SEP();
        td_buf_printf(out, "place '%s'", f->place);
    }
    if (f->near) {
        SEP();
        td_buf_printf(out, "within %g km of %.4f,%.4f", f->near_km, f->near_lat, f->near_lon);
    }
    if (f->type) {
        SEP();
        td_buf_printf(out, "type %s", f->type);
    }
    if (f->query) {
        SEP();
        td_buf_printf(out, "query \"%s\"", f->query);
    }
    if (f->min_killed >= 0) {
        SEP();
        td_buf_printf(out, "killed >= %lld", (long long)f->min_killed);
    }
#undef SEP
    if (out->len == start)
        td_buf_puts(out, "every event");
}
