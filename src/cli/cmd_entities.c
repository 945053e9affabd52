/*
 * cmd_entities.c - `tidings entities [--type person|org|place] [--limit N]`
 * (the corpus entities, most mentioned first) and `tidings entity NAME`
 * (one entity: canonical name, every alias with its count, its articles, and
 * the entities it appears with). Both read the tables of store_entity.h.
 */
#include "cli/cli.h"
#include "engine.h"
#include "store/store_entity.h"

#include <string.h>

/* True when the entity tables exist (a database from before entities). */
static bool have_entities(td_db *db)
{
    td_stmt *st = NULL;
    bool ok = td_db_prepare(db, "SELECT 1 FROM entity LIMIT 1", &st, NULL) == TD_OK;
    td_stmt_finalize(st);
    return ok;
}

static const char *text(td_stmt *st, int i)
{
    const char *p = td_stmt_text(st, i);
    return p ? (const char *)p : "-";
}

static int run_list(td_cli *cli, int argc, char **argv)
{
    unsigned long long limit = 50;
    const char *type = NULL;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        if (strcmp(opt, "--limit") == 0 || strcmp(opt, "-n") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &limit))
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--type") == 0 && i + 1 < argc) {
            type = argv[++i];
            if (strcmp(type, "person") != 0 && strcmp(type, "org") != 0 && strcmp(type, "place") != 0) {
                td_cli_error("entities: --type is person, org or place, not '%s'", type);
                return TD_EXIT_USAGE;
            }
        } else {
            td_cli_error("entities: unknown argument '%s' (see `tidings entities --help`)", opt);
            return TD_EXIT_USAGE;
        }
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    if (!have_entities(db)) {
        td_engine_close(e);
        return TD_EXIT_OK; /* nothing extracted yet */
    }
    /* the five most used aliases by a statement of their own, joined here
     * (no group_concat in PostgreSQL's dialect) */
    td_stmt *st = NULL, *al = NULL;
    int rc = td_db_prepare(db,
        "SELECT e.id, e.type, e.name, coalesce(i.n_mentions, 0), coalesce(i.n_articles, 0), e.country"
        " FROM entity e LEFT JOIN entity_info i ON i.id = e.id WHERE (CAST(?2 AS TEXT) IS NULL OR e.type = ?2)"
        " ORDER BY i.n_mentions DESC NULLS LAST, e.id LIMIT ?1", &st, NULL);
    if (rc == TD_OK)
        rc = td_db_prepare(db, "SELECT surface FROM alias WHERE entity_id = ?1 ORDER BY count DESC, surface LIMIT 5",
                           &al, NULL);
    if (rc != TD_OK) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        td_stmt_finalize(st);
        td_engine_close(e);
        return TD_EXIT_DB;
    }
    td_stmt_bind_i64(st, 1, (int64_t)(limit ? limit : (unsigned long long)INT64_MAX));
    if (type)
        td_stmt_bind_text(st, 2, type, -1);
    printf("%-6s %-6s %8s %8s  %-2s  %-36s %s\n", "ID", "TYPE", "MENTIONS", "ARTICLES", "CC", "NAME",
           "ALIASES");
    td_buf aliases = TD_BUF_INIT;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        td_buf_clear(&aliases);
        td_stmt_bind_i64(al, 1, td_stmt_i64(st, 0));
        int arc;
        while ((arc = td_stmt_step(al)) == TD_DB_ROW)
            td_buf_printf(&aliases, "%s%s", aliases.len ? ", " : "", text(al, 0));
        td_stmt_reset(al);
        if (arc != TD_DB_DONE) {
            rc = arc;
            break;
        }
        printf("n%-5lld %-6s %8d %8d  %-2s  %-36s %s\n", (long long)td_stmt_i64(st, 0),
               text(st, 1), (int)td_stmt_i64(st, 3), (int)td_stmt_i64(st, 4), text(st, 5),
               text(st, 2), aliases.len && !aliases.failed ? aliases.p : "");
    }
    td_buf_free(&aliases);
    td_stmt_finalize(al);
    int out = rc == TD_DB_DONE ? TD_EXIT_OK : TD_EXIT_DB;
    if (out != TD_EXIT_OK)
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
    td_stmt_finalize(st);
    td_engine_close(e);
    return out;
}

/* Finds the entity called (or aliased) name; "n12" names an id. -1: none. */
static int64_t find(td_db *db, const char *name)
{
    td_stmt *st = NULL;
    int64_t id = -1;
    /* PostgreSQL has no NOCASE collation: lower() on both sides (its indexes
     * are on lower(name), lower(surface)); an integer equals text only after
     * a cast */
    bool pg = td_db_kind_of(db) == TD_DB_POSTGRES;
    if (td_db_prepare(db,
                      pg ? "SELECT id FROM entity WHERE lower(name) = lower(?1)"
                           " OR ('n' || CAST(id AS TEXT)) = ?1"
                           " UNION ALL SELECT a.entity_id FROM alias a JOIN entity e ON e.id = a.entity_id"
                           " WHERE lower(a.surface) = lower(?1) LIMIT 1"
                         : "SELECT id FROM entity WHERE name = ?1 COLLATE NOCASE"
                           " OR ('n' || id) = ?1"
                           " UNION ALL SELECT a.entity_id FROM alias a JOIN entity e ON e.id = a.entity_id"
                           " WHERE a.surface = ?1 COLLATE NOCASE LIMIT 1", &st, NULL) == TD_OK) {
        td_stmt_bind_text(st, 1, name, -1);
        if (td_stmt_step(st) == TD_DB_ROW)
            id = td_stmt_i64(st, 0);
    }
    td_stmt_finalize(st);
    return id;
}

/* Runs sql with ?1 = id and prints each row with fmt over its text columns. */
static bool rows(td_db *db, int64_t id, const char *title, const char *sql, int ncol)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK)
        return false;
    td_stmt_bind_i64(st, 1, id);
    int rc, n = 0;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (n++ == 0)
            printf("%s\n", title);
        fputs("  ", stdout);
        for (int i = 0; i < ncol; i++)
            printf("%s%s", i ? "  " : "", text(st, i));
        putchar('\n');
    }
    td_stmt_finalize(st);
    return rc == TD_DB_DONE;
}

static int run_one(td_cli *cli, int argc, char **argv)
{
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (argv[i][0] == '-' || name) {
            td_cli_error("entity: unknown argument '%s' (see `tidings entity --help`)", argv[i]);
            return TD_EXIT_USAGE;
        }
        name = argv[i];
    }
    if (!name) {
        td_cli_error("entity: which entity? (tidings entity NAME)");
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    int64_t id = have_entities(db) ? find(db, name) : -1;
    if (id < 0) {
        td_cli_error("entity: no entity called '%s'", name);
        td_engine_close(e);
        return TD_EXIT_NOTFOUND;
    }
    td_stmt *st = NULL;
    bool ok = td_db_prepare(db,
                                 "SELECT e.name, e.type, i.kind, e.country, e.lat, e.lon, e.geonames_id,"
                                 " i.precision, coalesce(i.n_mentions, 0), coalesce(i.n_articles, 0),"
                                 " (SELECT x.approx || ' level: the point of ' || coalesce(x.within, '?')"
                                 "  FROM entity_approx x WHERE x.id = e.id)"
                                 " FROM entity e LEFT JOIN entity_info i ON i.id = e.id WHERE e.id = ?", &st, NULL) == TD_OK;
    if (ok) {
        td_stmt_bind_i64(st, 1, id);
        ok = td_stmt_step(st) == TD_DB_ROW;
    }
    if (ok) {
        printf("n%lld  %s  (%s%s%s)\n", (long long)id, text(st, 0), text(st, 1),
               td_stmt_type(st, 2) == TD_COL_NULL ? "" : ", ",
               td_stmt_type(st, 2) == TD_COL_NULL ? "" : text(st, 2));
        printf("mentions %d in %d articles\n", (int)td_stmt_i64(st, 8), (int)td_stmt_i64(st, 9));
        if (td_stmt_type(st, 3) != TD_COL_NULL)
            printf("country  %s\n", text(st, 3));
        if (td_stmt_type(st, 4) != TD_COL_NULL)
            printf("place    %.5f, %.5f  geonames %s  precision %s\n", td_stmt_double(st, 4),
                   td_stmt_double(st, 5), text(st, 6), text(st, 7));
        /* a place the gazetteer lacks, at its container's point */
        if (td_stmt_type(st, 10) != TD_COL_NULL)
            printf("approx.  %s\n", text(st, 10));
    }
    td_stmt_finalize(st);
    ok = ok &&
         rows(db, id, "aliases (count):",
              "SELECT surface, count FROM alias WHERE entity_id = ?1 ORDER BY count DESC, surface", 2) &&
         rows(db, id, "articles:",
              "SELECT a.id, coalesce(a.published, '-'), coalesce(a.title, '') FROM entity_article x"
              " JOIN article a ON a.rowid = x.article WHERE x.entity_id = ?1"
              " ORDER BY a.published IS NULL, a.published, a.rowid",
              3) &&
         rows(db, id, "appears with (shared articles):",
              "SELECT e.name, e.type, count(*) FROM entity_article x"
              " JOIN entity_article y ON y.article = x.article AND y.entity_id <> x.entity_id"
              " JOIN entity e ON e.id = y.entity_id WHERE x.entity_id = ?1"
              " GROUP BY e.id, e.name, e.type ORDER BY count(*) DESC, e.id LIMIT 15",
              3);
    if (!ok)
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
    td_engine_close(e);
    return ok ? TD_EXIT_OK : TD_EXIT_DB;
}

const td_command td_cmd_entities = {
    "entities",
    "people, organisations and places, most mentioned first",
    run_list,
    "usage: tidings entities [--type person|org|place] [--limit N] [--db FILE]\n"
    "\n"
    "The entities found in every article, merged across spellings (see\n"
    "docs/entities.md): id, type, mentions, articles, country and the most used\n"
    "aliases. --limit 0 lists all (default 50).\n",
};

const td_command td_cmd_entity = {
    "entity",
    "one entity: aliases, articles, the entities it appears with",
    run_one,
    "usage: tidings entity NAME [--db FILE]\n"
    "\n"
    "NAME is a canonical name, any alias (case-insensitive) or an id such as n12.\n"
    "Prints the canonical name and type, the place and its precision, every alias\n"
    "with how often it was written, the articles, and the entities that share\n"
    "articles with it. Exit code 3 when no entity has that name.\n",
};
