/*
 * cmd_events.c - `tidings events [filters] [--format table|csv|json|geojson]`
 * (the merged events, oldest first) and `tidings event ID` (one event: each
 * field with the values its sources claim, the outlets and sentences behind
 * each, disagreements marked). Both read the tables of store_event.h.
 *
 * CSV speaks ACLED's column names (docs/events.md): country is the ISO code,
 * admin1 is filled only when the place itself is a province, fatalities is 0
 * when no source gives a toll (ACLED's convention), source lists the outlets.
 */
#include "cli/cli.h"
#include "engine.h"
#include "extract/trigger.h"
#include "serve/export.h"
#include "store/store_event.h"

#include <stdlib.h>
#include <string.h>

/* True when the event tables exist (a database from before events). */
static bool have_events(td_db *db)
{
    td_stmt *st = NULL;
    bool ok = td_db_prepare(db, "SELECT 1 FROM event, event_claim LIMIT 1", &st, NULL) == TD_OK;
    td_stmt_finalize(st);
    return ok;
}

static const char *text(td_stmt *st, int i)
{
    const char *p = td_stmt_text(st, i);
    return p ? (const char *)p : "";
}

/* A date filter: YYYY, YYYY-MM or YYYY-MM-DD. */
static bool valid_date(const char *v)
{
    size_t n = strlen(v);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? v[i] != '-' : (v[i] < '0' || v[i] > '9'))
            return false;
    }
    return true;
}

/* Strips a leading letter from "s12" / "e12" ids; false when not a number. */
static bool parse_id(const char *v, char letter, long long *out)
{
    if (v[0] == letter)
        v++;
    char *end = NULL;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x <= 0)
        return false;
    *out = x;
    return true;
}

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_GEOJSON } out_fmt;

static void csv(td_buf *b, const char *v, bool last)
{
    td_csv_field(b, td_str_cstr(v));
    td_buf_puts(b, last ? "\r\n" : ",");
}

/* What print_event adds to an event row: its sources joined in C. */
typedef struct ev_extra {
    bool pg;         /* floats formatted here as SQLite prints them */
    td_buf outlets;  /* outlets (or article ids) once each, "; " between */
    td_buf ids;      /* article ids once each, "," between */
    td_buf json_ids; /* the same as a JSON array */
    td_buf seen;     /* the outlets listed, NUL-separated */
    char num[40];
} ev_extra;

/* Reads the sources of event id into x (src: the SOURCES statement). */
static int event_sources(td_stmt *src, int64_t id, ev_extra *x)
{
    td_buf_clear(&x->outlets);
    td_buf_clear(&x->ids);
    td_buf_clear(&x->json_ids);
    td_buf_clear(&x->seen);
    td_buf_putc(&x->json_ids, '[');
    td_stmt_bind_i64(src, 1, id);
    int64_t last = -1;
    int rc;
    while ((rc = td_stmt_step(src)) == TD_DB_ROW) {
        /* rows of one article are together: once each */
        if (td_stmt_i64(src, 2) != last) {
            last = td_stmt_i64(src, 2);
            if (x->ids.len) {
                td_buf_putc(&x->ids, ',');
                td_buf_putc(&x->json_ids, ',');
            }
            td_buf_puts(&x->ids, text(src, 0));
            td_buf_json_str(&x->json_ids, td_str_cstr(text(src, 0)));
        }
        /* outlets once each, in first-seen order (SQLite's DISTINCT); seen
         * holds them NUL-separated */
        const char *o = text(src, 1);
        bool dup = false;
        for (size_t k = 0; k < x->seen.len && !dup; k += strlen(x->seen.p + k) + 1)
            dup = strcmp(x->seen.p + k, o) == 0;
        if (!dup) {
            td_buf_append(&x->seen, o, strlen(o) + 1);
            if (x->outlets.len)
                td_buf_puts(&x->outlets, "; ");
            td_buf_puts(&x->outlets, o);
        }
    }
    td_buf_putc(&x->json_ids, ']');
    td_stmt_reset(src);
    return rc;
}

/* Column col as text; a float on PostgreSQL as SQLite prints it (%!.15g:
 * 15 significant digits, ".0" after a whole number) so output is the same
 * on both backends. */
static const char *num_text(td_stmt *st, int col, ev_extra *x)
{
    if (!x->pg || td_stmt_type(st, col) != TD_COL_FLOAT)
        return text(st, col);
    snprintf(x->num, sizeof x->num, "%.15g", td_stmt_double(st, col));
    if (!strpbrk(x->num, ".eEn"))
        strcat(x->num, ".0");
    return x->num;
}

/* Prints the event row st (columns of SQL_LITE/SQL_PG) in fmt. */
static void print_event(td_buf *b, td_stmt *st, out_fmt fmt, bool first, ev_extra *x)
{
    const char *type = text(st, 1), *prec = text(st, 3);
    int tp = strcmp(prec, "day") == 0 ? 1 : strcmp(prec, "week") == 0 ? 2 : 3;
    if (fmt == FMT_TABLE) {
        char act[80];
        snprintf(act, sizeof act, "%s%s%s", text(st, 4), td_stmt_type(st, 5) == TD_COL_NULL ? "" : " -> ",
                 text(st, 5));
        td_buf_printf(b, "e%-5lld %-10s %-14s %6s  %-24.24s %-34.34s %3d  %s\n", (long long)td_stmt_i64(st, 0),
                      td_stmt_type(st, 2) == TD_COL_NULL ? "-" : text(st, 2), type,
                      td_stmt_type(st, 10) == TD_COL_NULL ? "-" : text(st, 10), text(st, 6), act,
                      (int)td_stmt_i64(st, 15), x->ids.len && !x->ids.failed ? x->ids.p : "");
        return;
    }
    if (fmt == FMT_CSV) {
        char id[32], num[32];
        snprintf(id, sizeof id, "e%lld", (long long)td_stmt_i64(st, 0));
        csv(b, id, false);
        csv(b, text(st, 2), false);
        csv(b, td_event_acled_type(type), false);
        csv(b, td_event_acled_sub_type(type), false);
        csv(b, text(st, 4), false);
        csv(b, text(st, 5), false);
        csv(b, text(st, 7), false);
        csv(b, (int)td_stmt_i64(st, 17) == 2 ? text(st, 6) : "", false);
        csv(b, text(st, 6), false);
        csv(b, num_text(st, 8, x), false);
        csv(b, num_text(st, 9, x), false);
        csv(b, td_stmt_type(st, 6) == TD_COL_NULL ? "" : text(st, 11), false);
        snprintf(num, sizeof num, "%d", tp);
        csv(b, td_stmt_type(st, 2) == TD_COL_NULL ? "" : num, false);
        csv(b, td_stmt_type(st, 10) == TD_COL_NULL ? "0" : text(st, 10), false);
        csv(b, x->outlets.len && !x->outlets.failed ? x->outlets.p : "", false);
        csv(b, text(st, 12), true);
        return;
    }
    bool geo = fmt == FMT_GEOJSON;
    if (geo && td_stmt_type(st, 8) == TD_COL_NULL)
        return; /* a point needs coordinates */
    td_buf_puts(b, first ? "" : ",\n");
    if (geo)
        td_buf_printf(b, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.5f,%.5f]},"
                         "\"properties\":",
                      td_stmt_double(st, 9), td_stmt_double(st, 8));
    td_buf_printf(b, "{\"id\":\"e%lld\",\"type\":", (long long)td_stmt_i64(st, 0));
    td_buf_json_str(b, td_str_cstr(type));
    static const struct {
        const char *key;
        int col;
        bool num;
    } F[] = { { "date", 2, false },     { "date_precision", 3, false }, { "actor", 4, false },
              { "target", 5, false },   { "place", 6, false },          { "country", 7, false },
              { "lat", 8, true },       { "lon", 9, true },             { "killed", 10, true },
              { "killed_min", 19, true }, { "killed_max", 20, true },   { "wounded", 21, true },
              { "notes", 12, false },   { "sub_type", 22, false },      { "revision", 16, true },
              { "updated_at", 23, false } };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
        td_buf_printf(b, ",\"%s\":", F[i].key);
        if (td_stmt_type(st, F[i].col) == TD_COL_NULL)
            td_buf_puts(b, "null");
        else if (F[i].num)
            td_buf_puts(b, num_text(st, F[i].col, x));
        else
            td_buf_json_str(b, td_str_cstr(text(st, F[i].col)));
    }
    td_buf_puts(b, ",\"story\":");
    if (td_stmt_type(st, 13) == TD_COL_NULL)
        td_buf_puts(b, "null");
    else
        td_buf_printf(b, "\"s%s\"", text(st, 13));
    td_buf_puts(b, ",\"articles\":");
    td_buf_append(b, x->json_ids.p, x->json_ids.len);
    td_buf_puts(b, geo ? "}}" : "}");
}

static int run_list(td_cli *cli, int argc, char **argv)
{
    const char *type = NULL, *actor = NULL, *place = NULL, *from = NULL, *to = NULL, *story_s = NULL;
    out_fmt fmt = FMT_TABLE;
    unsigned long long limit = 0;
    long long story = -1;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = strcmp(opt, "--type") == 0 || strcmp(opt, "--actor") == 0 || strcmp(opt, "--place") == 0 ||
                     strcmp(opt, "--from") == 0 || strcmp(opt, "--to") == 0 || strcmp(opt, "--story") == 0 ||
                     strcmp(opt, "--format") == 0 || strcmp(opt, "--limit") == 0;
        if (!takes) {
            td_cli_error("events: unknown argument '%s' (see `tidings events --help`)", opt);
            return TD_EXIT_USAGE;
        }
        if (!v) {
            td_cli_error("events: %s needs a value", opt);
            return TD_EXIT_USAGE;
        }
        i++;
        if (strcmp(opt, "--type") == 0) {
            if (td_event_type_from_name(td_str_cstr(v)) == TD_EV_NONE) {
                td_cli_error("events: --type '%s' is not an event type (airstrike, shelling, bombing, armed_clash,"
                             " raid_or_arrest, killing, protest, agreement, meeting, statement, election,"
                             " disaster, other)", v);
                return TD_EXIT_USAGE;
            }
            type = v;
        } else if (strcmp(opt, "--actor") == 0) {
            actor = v;
        } else if (strcmp(opt, "--place") == 0) {
            place = v;
        } else if (strcmp(opt, "--from") == 0 || strcmp(opt, "--to") == 0) {
            if (!valid_date(v)) {
                td_cli_error("events: %s '%s' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", opt, v);
                return TD_EXIT_USAGE;
            }
            *(opt[2] == 'f' ? &from : &to) = v;
        } else if (strcmp(opt, "--story") == 0) {
            if (!parse_id(v, 's', &story)) {
                td_cli_error("events: --story '%s' is not a story id (s12 or 12)", v);
                return TD_EXIT_USAGE;
            }
            story_s = v;
        } else if (strcmp(opt, "--limit") == 0) {
            if (!td_cli_parse_uint(opt, v, &limit))
                return TD_EXIT_USAGE;
        } else {
            if (strcmp(v, "table") == 0)
                fmt = FMT_TABLE;
            else if (strcmp(v, "csv") == 0)
                fmt = FMT_CSV;
            else if (strcmp(v, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(v, "geojson") == 0)
                fmt = FMT_GEOJSON;
            else {
                td_cli_error("events: --format is table, csv, json or geojson, not '%s'", v);
                return TD_EXIT_USAGE;
            }
        }
    }
    (void)story_s;
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_buf b = TD_BUF_INIT;
    int out = TD_EXIT_OK;
    bool any = have_events(db);
    if (fmt == FMT_CSV)
        td_buf_puts(&b, "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,location,"
                        "latitude,longitude,geo_precision,time_precision,fatalities,source,notes\r\n");
    else if (fmt == FMT_TABLE)
        td_buf_printf(&b, "%-6s %-10s %-14s %6s  %-24s %-34s %3s  %s\n", "ID", "DATE", "TYPE", "KILLED", "PLACE",
                      "ACTOR -> TARGET", "ART", "ARTICLES");
    else if (fmt == FMT_GEOJSON)
        td_buf_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    else
        td_buf_puts(&b, "[\n");
    td_stmt *st = NULL;
    /* entity-aware name filters: the written name, or any alias of the entity */
    /* Written once for both backends: parameters cast where PostgreSQL
     * cannot infer their type, LIKE on lower() (case-sensitive in
     * PostgreSQL), NOCASE as lower() there. Columns 14 and 18 (outlets,
     * article ids) are NULL placeholders: print_event takes them from the
     * sources statement below (no group_concat in PostgreSQL's dialect). */
    static const char SQL_LITE[] =
        "SELECT e.id, e.type, e.date, e.date_precision, e.actor, e.target, e.place, e.country, e.lat, e.lon,"
        " e.killed, e.geo_precision, e.notes, e.story_id, NULL, e.n_articles, e.revision, e.place_level, NULL,"
        " e.killed_min, e.killed_max, e.wounded, e.sub_type, e.updated_at"
        " FROM event e WHERE (CAST(?1 AS TEXT) IS NULL OR e.type = ?1)"
        " AND (CAST(?2 AS TEXT) IS NULL OR e.actor LIKE '%' || ?2 || '%' OR e.target LIKE '%' || ?2 || '%'"
        "   OR e.actor_id IN (SELECT entity_id FROM alias WHERE surface = ?2 COLLATE NOCASE)"
        "   OR e.target_id IN (SELECT entity_id FROM alias WHERE surface = ?2 COLLATE NOCASE))"
        " AND (CAST(?3 AS TEXT) IS NULL OR e.place LIKE '%' || ?3 || '%' OR e.country = upper(?3)"
        "   OR e.place_id IN (SELECT entity_id FROM alias WHERE surface = ?3 COLLATE NOCASE))"
        " AND (CAST(?4 AS TEXT) IS NULL OR substr(e.date, 1, length(?4)) >= ?4)"
        " AND (CAST(?5 AS TEXT) IS NULL OR substr(e.date, 1, length(?5)) <= ?5)"
        " AND (CAST(?6 AS BIGINT) IS NULL OR e.story_id = ?6)"
        " ORDER BY e.date IS NULL, e.date, e.id LIMIT ?7";
    static const char SQL_PG[] =
        "SELECT e.id, e.type, e.date, e.date_precision, e.actor, e.target, e.place, e.country, e.lat, e.lon,"
        " e.killed, e.geo_precision, e.notes, e.story_id, NULL, e.n_articles, e.revision, e.place_level, NULL,"
        " e.killed_min, e.killed_max, e.wounded, e.sub_type, e.updated_at"
        " FROM event e WHERE (CAST(?1 AS TEXT) IS NULL OR e.type = ?1)"
        " AND (CAST(?2 AS TEXT) IS NULL OR lower(e.actor) LIKE '%' || lower(?2) || '%'"
        "   OR lower(e.target) LIKE '%' || lower(?2) || '%'"
        "   OR e.actor_id IN (SELECT entity_id FROM alias WHERE lower(surface) = lower(?2))"
        "   OR e.target_id IN (SELECT entity_id FROM alias WHERE lower(surface) = lower(?2)))"
        " AND (CAST(?3 AS TEXT) IS NULL OR lower(e.place) LIKE '%' || lower(?3) || '%' OR e.country = upper(?3)"
        "   OR e.place_id IN (SELECT entity_id FROM alias WHERE lower(surface) = lower(?3)))"
        " AND (CAST(?4 AS TEXT) IS NULL OR substr(e.date, 1, length(?4)) >= ?4)"
        " AND (CAST(?5 AS TEXT) IS NULL OR substr(e.date, 1, length(?5)) <= ?5)"
        " AND (CAST(?6 AS BIGINT) IS NULL OR e.story_id = ?6)"
        " ORDER BY e.date IS NULL, e.date, e.id LIMIT ?7";
    /* an event's sources in the order they were stored (the merge writes
     * them by article, then mention): outlets listed once each in that
     * order, article ids once each (rows of an article are together) */
    static const char SOURCES[] =
        "SELECT a.id, coalesce(a.outlet, a.id), es.article_id FROM event_source es JOIN article a ON a.rowid = es.article_id"
        " WHERE es.event_id = ?1 ORDER BY es.article_id, es.mention_idx";
    const char *SQL = td_db_kind_of(db) == TD_DB_POSTGRES ? SQL_PG : SQL_LITE;
    td_stmt *src = NULL;
    if (any && td_db_prepare(db, SOURCES, &src, NULL) != TD_OK) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        out = TD_EXIT_DB;
        any = false;
    }
    if (any && td_db_prepare(db, SQL, &st, NULL) != TD_OK) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        out = TD_EXIT_DB;
        any = false;
    }
    if (any) {
        const char *binds[] = { type, actor, place, from, to };
        for (int k = 0; k < 5; k++)
            if (binds[k])
                td_stmt_bind_text(st, k + 1, binds[k], -1);
        if (story > 0)
            td_stmt_bind_i64(st, 6, story);
        td_stmt_bind_i64(st, 7, limit ? (int64_t)limit : INT64_MAX);
        int rc;
        bool first = true;
        ev_extra x = { .pg = td_db_kind_of(db) == TD_DB_POSTGRES };
        while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
            if ((rc = event_sources(src, td_stmt_i64(st, 0), &x)) != TD_DB_DONE)
                break;
            size_t before = b.len;
            print_event(&b, st, fmt, first, &x);
            first &= b.len == before;
            if (b.len > (1u << 16)) {
                if (fwrite(b.p, 1, b.len, stdout) != b.len) {
                    out = TD_EXIT_IO;
                    break;
                }
                td_buf_clear(&b);
            }
        }
        if (out == TD_EXIT_OK && rc != TD_DB_DONE) {
            td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
            out = TD_EXIT_DB;
        }
        if (x.outlets.failed || x.ids.failed || x.json_ids.failed || x.seen.failed) {
            td_cli_error("events: out of memory");
            out = TD_EXIT_INTERNAL;
        }
        td_buf_free(&x.outlets);
        td_buf_free(&x.ids);
        td_buf_free(&x.json_ids);
        td_buf_free(&x.seen);
        td_stmt_finalize(st);
    }
    td_stmt_finalize(src);
    if (fmt == FMT_GEOJSON)
        td_buf_puts(&b, "\n]}\n");
    else if (fmt == FMT_JSON)
        td_buf_puts(&b, "\n]\n");
    if (out == TD_EXIT_OK && (b.failed || fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0)) {
        td_cli_error("events: cannot write the output");
        out = TD_EXIT_IO;
    }
    td_buf_free(&b);
    td_engine_close(e);
    return out;
}

static int field_rank(const char *f)
{
    static const char *const ORDER[] = { "type", "date", "place", "actor", "target", "killed" };
    for (int i = 0; i < 6; i++)
        if (strcmp(f, ORDER[i]) == 0)
            return i;
    return 6;
}

static int run_one(td_cli *cli, int argc, char **argv)
{
    const char *ids = NULL;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (argv[i][0] == '-' || ids) {
            td_cli_error("event: unknown argument '%s' (see `tidings event --help`)", argv[i]);
            return TD_EXIT_USAGE;
        }
        ids = argv[i];
    }
    long long id = 0;
    if (!ids || !parse_id(ids, 'e', &id)) {
        td_cli_error(ids ? "event: '%s' is not an event id (e12 or 12)" : "event: which event? (tidings event ID)%s",
                     ids ? ids : "");
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    bool found = false, ok = have_events(db) &&
                            td_db_prepare(db,
                                               "SELECT type, sub_type, date, date_precision, place, country, lat, lon,"
                                               " actor, target, killed, killed_min, killed_max, wounded, story_id,"
                                               " n_articles, revision, created_at, updated_at, notes, status"
                                               " FROM event WHERE id = ?", &st, NULL) == TD_OK;
    if (ok) {
        td_stmt_bind_i64(st, 1, id);
        int rc = td_stmt_step(st);
        found = rc == TD_DB_ROW;
        ok = found || rc == TD_DB_DONE;
    }
    if (found) {
        printf("e%lld  %s (%s)  %s\n", id, text(st, 0), text(st, 1), text(st, 20));
        printf("  date      %s%s%s%s\n", td_stmt_type(st, 2) == TD_COL_NULL ? "unknown" : text(st, 2),
               td_stmt_type(st, 3) == TD_COL_NULL ? "" : " (", text(st, 3),
               td_stmt_type(st, 3) == TD_COL_NULL ? "" : ")");
        printf("  place     %s%s%s", td_stmt_type(st, 4) == TD_COL_NULL ? "unknown" : text(st, 4),
               td_stmt_type(st, 5) == TD_COL_NULL ? "" : ", ", text(st, 5));
        if (td_stmt_type(st, 6) != TD_COL_NULL)
            printf("  (%.4f, %.4f)", td_stmt_double(st, 6), td_stmt_double(st, 7));
        printf("\n  actor     %s\n  target    %s\n", td_stmt_type(st, 8) == TD_COL_NULL ? "unknown" : text(st, 8),
               td_stmt_type(st, 9) == TD_COL_NULL ? "unknown" : text(st, 9));
        if (td_stmt_type(st, 10) != TD_COL_NULL)
            printf("  killed    %s (reported %s to %s)\n", text(st, 10), text(st, 11), text(st, 12));
        if (td_stmt_type(st, 13) != TD_COL_NULL)
            printf("  wounded   %s\n", text(st, 13));
        if (td_stmt_type(st, 14) != TD_COL_NULL)
            printf("  story     s%s\n", text(st, 14));
        printf("  articles  %s   revision %s (created %s, updated %s)\n", text(st, 15), text(st, 16), text(st, 17),
               text(st, 18));
        if (td_stmt_type(st, 19) != TD_COL_NULL)
            printf("  disagree  %s\n", text(st, 19));
    }
    td_stmt_finalize(st);
    st = NULL;
    if (found) {
        /* every claim, grouped by field then value, with its sources */
        ok = td_db_prepare(db,
                                "SELECT c.field, c.value, a.id, coalesce(a.outlet, '-'), coalesce(a.published, '-'),"
                                " coalesce(max(es.sentence), ''),"
                                " (SELECT count(DISTINCT lower(value)) FROM event_claim d WHERE d.event_id = c.event_id"
                                "   AND d.field = c.field)"
                                " FROM event_claim c JOIN article a ON a.rowid = c.article_id"
                                " LEFT JOIN event_source es ON es.event_id = c.event_id AND es.article_id = c.article_id"
                                "   AND es.sentence_idx = c.sentence"
                                " WHERE c.event_id = ? GROUP BY c.event_id, c.field, c.value, c.article_id, c.sentence,"
                                " a.id, a.outlet, a.published, a.rowid"
                                " ORDER BY c.field, c.value, a.published NULLS FIRST, a.rowid, c.sentence", &st, NULL) == TD_OK;
        if (ok) {
            td_stmt_bind_i64(st, 1, id);
            /* print in the field order of the header: one pass per field */
            for (int f = 0; f < 7 && ok; f++) {
                char last[512] = "";
                int rc;
                while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
                    if (field_rank(text(st, 0)) != f)
                        continue;
                    char cur[512];
                    snprintf(cur, sizeof cur, "%s\x1f%s", text(st, 0), text(st, 1));
                    if (strcmp(cur, last) != 0) {
                        if (!last[0])
                            printf("\n%s%s\n", text(st, 0), (int)td_stmt_i64(st, 6) > 1 ? "  (sources disagree)" : "");
                        printf("  %s\n", text(st, 1));
                        snprintf(last, sizeof last, "%s", cur);
                    }
                    const char *sent = text(st, 5);
                    printf("    %s  %s  %s  %.160s%s\n", text(st, 2), text(st, 3), text(st, 4), sent,
                           strlen(sent) > 160 ? "..." : "");
                }
                ok = rc == TD_DB_DONE;
                td_stmt_reset(st);
            }
        }
        td_stmt_finalize(st);
    }
    if (!ok)
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
    else if (!found)
        td_cli_error("event: no event e%lld", id);
    td_engine_close(e);
    return !ok ? TD_EXIT_DB : found ? TD_EXIT_OK : TD_EXIT_NOTFOUND;
}

const td_command td_cmd_events = {
    "events",
    "events merged across sources: who did what to whom, where, when, how many killed",
    run_list,
    "usage: tidings events [--type T] [--actor A] [--place P] [--from D] [--to D]\n"
    "                      [--story ID] [--limit N] [--format table|csv|json|geojson] [--db FILE]\n"
    "\n"
    "One record per real-world event, however many outlets reported it (see\n"
    "docs/events.md). Filters: --type one of airstrike, shelling, bombing,\n"
    "armed_clash, raid_or_arrest, killing, protest, agreement, meeting,\n"
    "statement, election, disaster, other; --actor and --place match the name as\n"
    "written (substring) or any alias of the entity, --place also an ISO country\n"
    "code; --from/--to take YYYY-MM-DD, YYYY-MM or YYYY (inclusive); --story s12.\n"
    "Formats: table (default); csv with ACLED's column names (event_date,\n"
    "event_type, sub_event_type, actor1, actor2, country, admin1, location,\n"
    "latitude, longitude, geo_precision, time_precision, fatalities, source,\n"
    "notes); json (an array); geojson (a FeatureCollection of points, events\n"
    "without coordinates left out).\n",
};

const td_command td_cmd_event = {
    "event",
    "one event: each field with the sentences and outlets behind it",
    run_one,
    "usage: tidings event ID [--db FILE]\n"
    "\n"
    "ID is e12 or 12. Prints the event, then every field (type, date, place,\n"
    "actor, target, killed) with each value a source claims, the article, outlet,\n"
    "publication date and sentence behind it; fields where sources disagree are\n"
    "marked. Exit code 3 when there is no such event.\n",
};
