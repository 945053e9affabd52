/*
 * search.c - full-text search with filters, and events near a point (see
 * search.h).
 *
 * The SQL text is assembled only from constant fragments chosen by which
 * filters are set and which tables exist; parameter numbers are fixed per
 * filter (?1 match, ?2 outlet, ?3 from, ?4 to, ?5 type, ?6 place, ?7 entity,
 * ?8-?11 box, ?12-?14 centre and radius, ?15 limit, ?16 offset), so one
 * binding function serves the count and the page.
 *
 * Near queries: the circle's bounding box (1 degree of latitude = 111 km,
 * longitude shrunk by cos(lat); the whole longitude range when the box would
 * cross the antimeridian or reach a pole) selects R*Tree entries, the exact
 * distance td_km() on the place's own coordinates keeps those inside the
 * circle (the R*Tree stores 32-bit floats, rounded outwards).
 */
#include "search/search.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LIMIT 20

const char TD_SEARCH_SCHEMA[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);";

/* PostgreSQL: what FTS5, the R*Tree and the C functions give SQLite. The
 * tsvector is generated, so nothing has to keep it in step with the row
 * (SQLite's FTS triggers); 'simple' neither stems nor drops stopwords, as
 * FTS5's unicode61 (diacritics stay: unaccent is an extension). event_geo
 * keeps the R*Tree's column names, so the near queries are the same text:
 * a point is its own box, and the planner turns max_lat >= x AND min_lat <=
 * y into a range on entity(lat, lon). */
const char TD_SEARCH_SCHEMA_PG[] =
    /* migration 1's article.fts, remade with the title weighing 4x */
    "DROP INDEX IF EXISTS article_fts;"
    "ALTER TABLE article DROP COLUMN IF EXISTS fts;"
    "ALTER TABLE article ADD COLUMN fts tsvector GENERATED ALWAYS AS"
    " (setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||"
    "  setweight(to_tsvector('simple', body), 'B')) STORED;"
    "CREATE INDEX article_fts ON article USING GIN (fts);"
    "CREATE INDEX IF NOT EXISTS entity_lat_lon ON entity (lat, lon);"
    "CREATE INDEX IF NOT EXISTS event_place ON event (place_id);"
    "CREATE OR REPLACE VIEW event_geo AS SELECT e.id AS id, pl.lat AS min_lat, pl.lat AS max_lat,"
    " pl.lon AS min_lon, pl.lon AS max_lon FROM event e JOIN entity pl ON pl.id = e.place_id"
    " WHERE pl.lat BETWEEN -90 AND 90 AND pl.lon BETWEEN -180 AND 180;"
    /* td_search_km's haversine; NULL in, NULL out (STRICT), as the C functions */
    "CREATE OR REPLACE FUNCTION td_km(lat1 DOUBLE PRECISION, lon1 DOUBLE PRECISION, lat2 DOUBLE PRECISION,"
    " lon2 DOUBLE PRECISION) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
    " 'SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(power(sin(radians(lat2 - lat1) / 2), 2)"
    " + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))';"
    "CREATE OR REPLACE FUNCTION td_alert_km(lat1 DOUBLE PRECISION, lon1 DOUBLE PRECISION, lat2 DOUBLE PRECISION,"
    " lon2 DOUBLE PRECISION) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
    " 'SELECT td_km(lat1, lon1, lat2, lon2)';";

/* Measured on the demo corpus grown to 100k articles (bench/api_bench.sh),
 * one request at a time: GET /api/stories 65 -> 10 ms, GET
 * /api/events?type=statement 81 -> 7 ms. */
const char TD_SEARCH_INDEXES[] =
    "CREATE INDEX IF NOT EXISTS story_last_seen ON story(last_seen, id);"
    "CREATE INDEX IF NOT EXISTS event_type_date ON event(type, date);";
const char TD_SEARCH_INDEXES_PG[] =
    "CREATE INDEX IF NOT EXISTS story_last_seen ON story(last_seen, id);"
    "CREATE INDEX IF NOT EXISTS event_type_date ON event(type, date);";

/* ---- helpers ---- */

double td_search_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, k = M_PI / 180.0;
    double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
    double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(fmin(1.0, sqrt(a)));
}

static void sql_km(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(cx);
            return;
        }
    }
    sqlite3_result_double(cx, td_search_km(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1]),
                                           sqlite3_value_double(argv[2]), sqlite3_value_double(argv[3])));
}

td_status td_search_init(td_db *db)
{
    sqlite3 *lite = td_db_sqlite(db); /* PostgreSQL gets td_km from its migration (docs/postgres.md) */
    if (!lite)
        return TD_OK;
    return sqlite3_create_function(lite, "td_km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_km, NULL, NULL) ==
                   SQLITE_OK
               ? TD_OK
               : TD_EDB;
}

/* Appends one term: a quoted FTS5 term (inner quotes doubled) or, pg, a
 * quoted tsquery lexeme (quotes doubled, backslashes escaped; words in one
 * lexeme make a phrase). */
static void put_term(td_buf *out, const char *p, size_t len, bool prefix, bool pg)
{
    char q = pg ? '\'' : '"';
    td_buf_putc(out, q);
    for (size_t i = 0; i < len; i++) {
        if (p[i] == q || (pg && p[i] == '\\'))
            td_buf_putc(out, p[i]);
        td_buf_putc(out, p[i]);
    }
    td_buf_putc(out, q);
    if (prefix)
        td_buf_puts(out, pg ? ":*" : "*");
}

static bool parse_terms(const char *q, td_buf *out, bool pg)
{
    size_t n_terms = 0;
    bool pending_or = false;
    const char *s = q ? q : "";
    while (*s) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= ' ') {
            s++;
            continue;
        }
        const char *start, *end;
        bool prefix = false;
        if (ch == '"') {
            start = ++s;
            end = strchr(s, '"');
            if (!end)
                end = s + strlen(s);
            s = *end ? end + 1 : end;
        } else {
            start = s;
            while (*s && (unsigned char)*s > ' ')
                s++;
            end = s;
            if (end - start == 2 && memcmp(start, "OR", 2) == 0) {
                pending_or = n_terms > 0;  /* kept only between two terms */
                continue;
            }
            if (end - start > 2 && end[-1] == '*') {
                prefix = true;
                end--;
            }
        }
        /* Skip terms made only of punctuation: FTS5 would find nothing. */
        bool word = false;
        for (const char *p = start; p < end && !word; p++)
            word = (unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
        if (!word)
            continue;
        if (n_terms)
            td_buf_puts(out, pending_or ? (pg ? " | " : " OR ") : (pg ? " & " : " "));
        pending_or = false;
        put_term(out, start, (size_t)(end - start), prefix, pg);
        n_terms++;
    }
    return n_terms > 0 && !out->failed;
}

bool td_search_fts_query(const char *q, td_buf *out)
{
    return parse_terms(q, out, false);
}

bool td_search_pg_tsquery(const char *q, td_buf *out)
{
    return parse_terms(q, out, true);
}

/* True when s[i..] starts with the keyword w (upper case) as a whole word. */
static bool keyword_at(const char *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
        return false;
    for (size_t k = 0; k < n; k++)
        if (toupper((unsigned char)s[i + k]) != w[k])
            return false;
    return !isalnum((unsigned char)s[i + n]) && s[i + n] != '_';
}

/* Ends an ORDER BY term at out's end: SQLite's NULL order unless given. */
static void end_order_term(td_buf *out, size_t term_start)
{
    size_t e = out->len;
    while (e > term_start && out->p[e - 1] == ' ')
        e--;
    bool desc = e >= term_start + 5 && keyword_at(out->p, e - 4, "DESC");
    bool given = false;
    for (size_t k = term_start; k + 5 <= e && !given; k++)
        given = keyword_at(out->p, k, "NULLS");
    if (given || e == term_start)
        return;
    char tail[32];
    size_t tl = out->len - e;
    if (tl >= sizeof tail)
        tl = sizeof tail - 1;
    memcpy(tail, out->p + e, tl);
    out->len = e;
    td_buf_puts(out, desc ? " NULLS LAST" : " NULLS FIRST");
    td_buf_append(out, tail, tl);
}

#define MAX_PARAM 64

bool td_search_pg_sql(const char *sql, td_buf *out)
{
    bool used[MAX_PARAM + 1] = { false };
    int max = 0, next = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *e = strchr(p + 1, *p);
            if (!e)
                break;
            p = e;
        } else if (*p == '?') {
            int n = isdigit((unsigned char)p[1]) ? atoi(p + 1) : ++next;
            if (n > next)
                next = n;
            if (n > max)
                max = n;
            if (n >= 1 && n <= MAX_PARAM)
                used[n] = true;
        }
    }
    const char *body = sql;
    bool gaps = false;
    for (int k = 1; k <= max && k <= MAX_PARAM; k++)
        gaps |= !used[k];
    if (gaps) {
        td_buf_puts(out, "WITH td_unused AS (SELECT");
        for (int k = 1, n = 0; k <= max && k <= MAX_PARAM; k++)
            if (!used[k])
                td_buf_printf(out, "%s CAST(?%d AS TEXT)", n++ ? "," : "", k);
        if (keyword_at(sql, 0, "WITH")) { /* joins the text's own CTEs */
            td_buf_puts(out, "), ");
            for (body = sql + 4; *body == ' '; body++)
                ;
        } else {
            td_buf_puts(out, ") ");
        }
    }
    /* ORDER BY terms: depth counts parentheses; a term ends at a comma or
     * LIMIT/OFFSET at the ORDER BY's depth, or at the ')' that closes it */
    int depth = 0, order_depth = -1;
    size_t term = 0;
    for (const char *p = body; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *e = strchr(p + 1, *p);
            e = e ? e : p + strlen(p) - 1;
            td_buf_append(out, p, (size_t)(e - p) + 1);
            p = e;
            continue;
        }
        size_t i = (size_t)(p - body);
        if (order_depth == depth &&
            (*p == ',' || *p == ')' || keyword_at(body, i, "LIMIT") || keyword_at(body, i, "OFFSET"))) {
            end_order_term(out, term);
            if (*p != ',')
                order_depth = -1;
            else
                term = out->len + 1;
        }
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if (order_depth < 0 && keyword_at(body, i, "ORDER") && strncmp(p + 5, " BY ", 4) == 0) {
            td_buf_puts(out, "ORDER BY ");
            p += 8;
            order_depth = depth;
            term = out->len;
            continue;
        }
        td_buf_putc(out, *p);
    }
    if (order_depth >= 0)
        end_order_term(out, term);
    return !out->failed;
}

static bool has_table(td_db *db, const char *name)
{
    td_stmt *st = NULL;
    bool yes = false;
    bool pg = td_db_kind_of(db) == TD_DB_POSTGRES; /* the tables and views of the session's schema */
    if (td_db_prepare(db, pg ? "SELECT 1 FROM pg_class WHERE relname = ?1 AND relkind IN ('r', 'v', 'p', 'm')"
                               " AND relnamespace = CAST(current_schema() AS regnamespace)"
                             : "SELECT 1 FROM sqlite_master WHERE name = ?1 AND type IN ('table', 'view')", &st, NULL) == TD_OK) {
        td_stmt_bind_text(st, 1, name, -1);
        yes = td_stmt_step(st) == TD_DB_ROW;
    }
    td_stmt_finalize(st);
    return yes;
}

static td_status db_fail(td_db *db, td_buf *err, const char *what)
{
    td_buf_printf(err, "search: %s: %s", what, td_db_errmsg(db));
    return td_db_status(db) == TD_ENOMEM ? TD_ENOMEM : TD_EDB;
}

static td_status bad(td_buf *err, const char *field, const char *why)
{
    td_buf_printf(err, "%s: %s", field, why);
    return TD_EINVAL;
}

/* The entity resolver: an id, a name or an alias, case-insensitively.
 * PostgreSQL has no NOCASE collation (lower() on both sides) and compares
 * an integer with text only after a cast. */
static void entity_match(td_buf *q, int param, bool alias, bool pg)
{
    if (pg) {
        td_buf_printf(q, "(SELECT id FROM entity WHERE CAST(id AS TEXT) = ?%d OR lower(name) = lower(?%d)", param, param);
        if (alias)
            td_buf_printf(q, " UNION SELECT entity_id FROM alias WHERE lower(surface) = lower(?%d)", param);
    } else {
        td_buf_printf(q, "(SELECT id FROM entity WHERE id = ?%d OR name = ?%d COLLATE NOCASE", param, param);
        if (alias)
            td_buf_printf(q, " UNION SELECT entity_id FROM alias WHERE surface = ?%d COLLATE NOCASE", param);
    }
    td_buf_putc(q, ')');
}

/* td_db_prepare, with the text made ready for PostgreSQL there. */
static int prepare(td_db *db, const char *sql, td_stmt **st)
{
    if (td_db_kind_of(db) != TD_DB_POSTGRES)
        return td_db_prepare(db, sql, st, NULL);
    td_buf pg = TD_BUF_INIT;
    int rc = td_search_pg_sql(sql, &pg) ? td_db_prepare(db, pg.p, st, NULL) : TD_ENOMEM;
    td_buf_free(&pg);
    return rc;
}

typedef struct box {
    double lat0, lat1, lon0, lon1;
} box;

static box circle_box(double lat, double lon, double km)
{
    double dlat = km / 111.0, coslat = cos(lat * M_PI / 180.0);
    box b = { lat - dlat, lat + dlat, -180.0, 180.0 };
    if (coslat > 0.01 && b.lat0 > -90 && b.lat1 < 90) {
        double dlon = km / (111.0 * coslat);
        if (lon - dlon >= -180 && lon + dlon <= 180) {
            b.lon0 = lon - dlon;
            b.lon1 = lon + dlon;
        }
    }
    return b;
}

/* "to" widened so that to=2025-03 includes 2025-03-31: '~' sorts after
 * digits and '-'. */
static void upper_date(char out[16], const char *v)
{
    snprintf(out, 16, "%.10s~", v);
}

static void bind_all(td_stmt *st, const td_search_query *q, const char *fts, const char *to, const box *b)
{
    if (fts)
        td_stmt_bind_text(st, 1, fts, -1);
    if (q->outlet)
        td_stmt_bind_text(st, 2, q->outlet, -1);
    if (q->from)
        td_stmt_bind_text(st, 3, q->from, -1);
    if (to)
        td_stmt_bind_text(st, 4, to, -1);
    if (q->type)
        td_stmt_bind_text(st, 5, q->type, -1);
    if (q->place)
        td_stmt_bind_text(st, 6, q->place, -1);
    if (q->entity)
        td_stmt_bind_text(st, 7, q->entity, -1);
    if (q->near) {
        td_stmt_bind_double(st, 8, b->lat0);
        td_stmt_bind_double(st, 9, b->lat1);
        td_stmt_bind_double(st, 10, b->lon0);
        td_stmt_bind_double(st, 11, b->lon1);
        td_stmt_bind_double(st, 12, q->lat);
        td_stmt_bind_double(st, 13, q->lon);
        td_stmt_bind_double(st, 14, q->km);
    }
    td_stmt_bind_i64(st, 15, q->limit ? q->limit : DEFAULT_LIMIT);
    td_stmt_bind_i64(st, 16, q->offset);
}

/* The geo condition on events e (parameters ?8-?14). */
static const char GEO_COND[] = " AND e.id IN (SELECT g.id FROM event_geo g JOIN event ge ON ge.id = g.id"
                               " JOIN entity gp ON gp.id = ge.place_id WHERE g.max_lat >= ?8 AND g.min_lat <= ?9"
                               " AND g.max_lon >= ?10 AND g.min_lon <= ?11"
                               " AND td_km(gp.lat, gp.lon, ?12, ?13) <= ?14)";

/* ---- API implementation ---- */

td_status td_search_articles(td_db *db, const td_search_query *q,
                             void (*fn)(void *ud, const td_search_hit *h), void *ud, int64_t *total, td_buf *err)
{
    td_buf fts = TD_BUF_INIT, where = TD_BUF_INIT, sql = TD_BUF_INIT;
    td_status ret = TD_OK;
    td_stmt *st = NULL;
    *total = 0;
    bool events = has_table(db, "event") && has_table(db, "event_source");
    bool entities = has_table(db, "entity");
    if (!td_search_fts_query(q->text, &fts)) {
        ret = fts.failed ? TD_ENOMEM : bad(err, "query", "no word to search for");
        goto out;
    }
    bool pg = td_db_kind_of(db) == TD_DB_POSTGRES;
    if (pg && (td_buf_clear(&fts), !td_search_pg_tsquery(q->text, &fts))) {
        ret = TD_ENOMEM;
        goto out;
    }
    if ((q->type || q->place || q->near) && !events) {
        ret = bad(err, q->type ? "type" : q->place ? "place" : "near", "this database has no events yet");
        goto out;
    }
    if ((q->place || q->entity) && !entities) {
        ret = bad(err, q->place ? "place" : "entity", "this database has no entities yet");
        goto out;
    }
    if (q->entity && !has_table(db, "mention")) {
        ret = bad(err, "entity", "this database has no entity mentions yet");
        goto out;
    }
    if (q->near && !has_table(db, "event_geo")) {
        ret = bad(err, "near", "this database has no place index yet (re-run an ingest to build it)");
        goto out;
    }
    bool alias = has_table(db, "alias");
    char to[16];
    if (q->to)
        upper_date(to, q->to);
    box b = q->near ? circle_box(q->lat, q->lon, q->km) : (box){ 0 };

    td_buf_puts(&where, pg ? " FROM article a WHERE a.fts @@ to_tsquery('simple', ?1)"
                           : " FROM article_fts JOIN article a ON a.rowid = article_fts.rowid WHERE article_fts MATCH ?1");
    if (q->outlet)
        td_buf_puts(&where, " AND a.outlet = ?2");
    if (q->from)
        td_buf_puts(&where, " AND a.published >= ?3");
    if (q->to)
        td_buf_puts(&where, " AND a.published <= ?4");
    if (q->type || q->place || q->near) {
        td_buf_puts(&where, " AND a.rowid IN (SELECT es.article_id FROM event_source es JOIN event e"
                            " ON e.id = es.event_id WHERE TRUE");
        if (q->type)
            td_buf_puts(&where, " AND e.type = ?5");
        if (q->place) {
            td_buf_puts(&where, " AND e.place_id IN ");
            entity_match(&where, 6, alias, pg);
        }
        if (q->near)
            td_buf_puts(&where, GEO_COND);
        td_buf_putc(&where, ')');
    }
    if (q->entity) {
        td_buf_puts(&where, " AND a.rowid IN (SELECT m.article_id FROM mention m WHERE m.entity_id IN ");
        entity_match(&where, 7, alias, pg);
        td_buf_putc(&where, ')');
    }
    if (where.failed) {
        ret = TD_ENOMEM;
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        td_buf_clear(&sql);
        if (pass == 0)
            td_buf_printf(&sql, "SELECT count(*)%s", where.p);
        else if (pg) /* score: ts_rank_cd negated (lower is better, as BM25), title (A) 4x body (B) */
            td_buf_printf(&sql, "SELECT a.id, a.title, a.outlet, a.published, a.url,"
                                " ts_headline('simple', a.body, to_tsquery('simple', ?1), %s),"
                                " -ts_rank_cd('{0, 0, 0.25, 1}', a.fts, to_tsquery('simple', ?1)) AS score,"
                                " a.story_id%s ORDER BY score, a.published DESC, a.rowid LIMIT ?15 OFFSET ?16",
                          TD_SEARCH_PG_HEADLINE, where.p);
        else
            td_buf_printf(&sql, "SELECT a.id, a.title, a.outlet, a.published, a.url,"
                                " snippet(article_fts, 1, char(2), char(3), '…', 24),"
                                " bm25(article_fts, 4.0, 1.0), a.story_id%s"
                                " ORDER BY bm25(article_fts, 4.0, 1.0), a.published DESC, a.rowid"
                                " LIMIT ?15 OFFSET ?16", where.p);
        if (sql.failed) {
            ret = TD_ENOMEM;
            goto out;
        }
        if (prepare(db, sql.p, &st) != TD_OK) {
            ret = db_fail(db, err, "preparing");
            goto out;
        }
        bind_all(st, q, fts.p, q->to ? to : NULL, &b);
        int rc;
        while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
            if (pass == 0) {
                *total = td_stmt_i64(st, 0);
                continue;
            }
            td_search_hit h = {
                .id = td_stmt_text(st, 0),
                .title = td_stmt_text(st, 1),
                .outlet = td_stmt_text(st, 2),
                .published = td_stmt_text(st, 3),
                .url = td_stmt_text(st, 4),
                .snippet = td_stmt_text(st, 5),
                .score = td_stmt_double(st, 6),
                .story = td_stmt_i64(st, 7),
            };
            fn(ud, &h);
        }
        if (rc != TD_DB_DONE) {
            ret = db_fail(db, err, "searching");
            goto out;
        }
        td_stmt_finalize(st);
        st = NULL;
    }
out:
    td_stmt_finalize(st);
    td_buf_free(&fts);
    td_buf_free(&where);
    td_buf_free(&sql);
    return ret;
}

td_status td_search_events_near(td_db *db, const td_search_query *q,
                                void (*fn)(void *ud, const td_search_event *e), void *ud, int64_t *total,
                                td_buf *err)
{
    *total = 0;
    if (!has_table(db, "event_geo") || !has_table(db, "event") || !has_table(db, "entity"))
        return bad(err, "near", "this database has no events with places yet");
    bool sources = has_table(db, "event_source");
    char to[16];
    if (q->to)
        upper_date(to, q->to);
    box b = circle_box(q->lat, q->lon, q->km);
    td_buf where = TD_BUF_INIT, sql = TD_BUF_INIT;
    td_buf_puts(&where, " FROM event_geo g JOIN event e ON e.id = g.id LEFT JOIN entity pl ON pl.id = e.place_id"
                        " WHERE g.max_lat >= ?8 AND g.min_lat <= ?9 AND g.max_lon >= ?10 AND g.min_lon <= ?11"
                        " AND td_km(pl.lat, pl.lon, ?12, ?13) <= ?14");
    if (q->type)
        td_buf_puts(&where, " AND e.type = ?5");
    if (q->from)
        td_buf_puts(&where, " AND e.date >= ?3");
    if (q->to)
        td_buf_puts(&where, " AND e.date <= ?4");
    td_status ret = TD_OK;
    td_stmt *st = NULL;
    td_search_query qq = *q;
    qq.outlet = qq.place = qq.entity = NULL;  /* not filters of events near */
    qq.near = true;
    for (int pass = 0; pass < 2 && ret == TD_OK; pass++) {
        td_buf_clear(&sql);
        if (pass == 0)
            td_buf_printf(&sql, "SELECT count(*)%s", where.p);
        else
            td_buf_printf(&sql, "SELECT e.id, e.story_id, e.type, e.date, pl.name, pl.lat, pl.lon,"
                                " td_km(pl.lat, pl.lon, ?12, ?13) AS km, %s%s"
                                " ORDER BY km, e.date DESC, e.id LIMIT ?15 OFFSET ?16",
                          sources ? "(SELECT es.sentence FROM event_source es WHERE es.event_id = e.id"
                                    " ORDER BY es.confidence DESC LIMIT 1)"
                                  : "NULL",
                          where.p);
        if (sql.failed || where.failed) {
            ret = TD_ENOMEM;
            break;
        }
        if (prepare(db, sql.p, &st) != TD_OK) {
            ret = db_fail(db, err, "preparing");
            break;
        }
        bind_all(st, &qq, NULL, q->to ? to : NULL, &b);
        int rc;
        while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
            if (pass == 0) {
                *total = td_stmt_i64(st, 0);
                continue;
            }
            td_search_event ev = {
                .id = td_stmt_i64(st, 0),
                .story = td_stmt_i64(st, 1),
                .type = td_stmt_text(st, 2),
                .date = td_stmt_text(st, 3),
                .place = td_stmt_text(st, 4),
                .lat = td_stmt_double(st, 5),
                .lon = td_stmt_double(st, 6),
                .km = td_stmt_double(st, 7),
                .sentence = td_stmt_text(st, 8),
            };
            fn(ud, &ev);
        }
        if (rc != TD_DB_DONE)
            ret = db_fail(db, err, "searching events");
        td_stmt_finalize(st);
        st = NULL;
    }
    td_buf_free(&where);
    td_buf_free(&sql);
    return ret;
}

td_status td_search_geo_update(td_db *db, size_t *n, td_buf *err)
{
    if (n)
        *n = 0;
    if (!has_table(db, "event_geo") || !has_table(db, "event") || !has_table(db, "entity"))
        return TD_OK;
    if (td_db_kind_of(db) == TD_DB_POSTGRES) { /* a view: always current; *n counts its points */
        td_stmt *st = NULL;
        int rc = td_db_prepare(db, "SELECT count(*) FROM event_geo", &st, NULL);
        if (rc == TD_OK && (rc = td_stmt_step(st)) == TD_DB_ROW && n)
            *n = (size_t)td_stmt_i64(st, 0);
        td_stmt_finalize(st);
        return rc == TD_OK || rc == TD_DB_ROW ? TD_OK : db_fail(db, err, "counting event places");
    }
    bool own_tx = !td_db_in_transaction(db);
    if (own_tx && td_db_begin(db, false, NULL) != TD_OK)
        return db_fail(db, err, "BEGIN");
    int rc = td_db_exec(db, "DELETE FROM event_geo;"
                              "INSERT INTO event_geo (id, min_lat, max_lat, min_lon, max_lon)"
                              " SELECT e.id, pl.lat, pl.lat, pl.lon, pl.lon FROM event e JOIN entity pl"
                              " ON pl.id = e.place_id WHERE pl.lat BETWEEN -90 AND 90"
                              " AND pl.lon BETWEEN -180 AND 180;", NULL);
    if (rc == TD_OK && n)
        *n = (size_t)td_db_changes(db);
    td_status ret = rc == TD_OK ? TD_OK : db_fail(db, err, "indexing event places");
    if (own_tx) {
        if (ret == TD_OK && td_db_commit(db, NULL) != TD_OK)
            ret = db_fail(db, err, "COMMIT");
        if (ret != TD_OK)
            td_db_rollback(db);
    }
    return ret;
}
