/* cmd_stats.c - `tidings stats`: what the database holds. */
#include "cli/cli.h"
#include "engine.h"

#include <string.h>
#include <sys/stat.h>

static void query_row(td_db *db, const char *label, const char *sql)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK) {
        td_stmt_finalize(st);
        return;
    }
    if (td_stmt_step(st) == TD_DB_ROW) {
        printf("%-20s", label);
        for (int i = 0; i < td_stmt_columns(st); i++) {
            const char *v = td_stmt_text(st, i);
            printf("%s%s", i ? " " : "", v ? (const char *)v : "-");
        }
        putchar('\n');
    }
    td_stmt_finalize(st);
}

static int run(td_cli *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        td_cli_error("stats: unknown argument '%s'", argv[i]);
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_store *s = td_engine_store(e);
    td_db *db = td_store_sql(s);
    struct stat sb;
    printf("%-20s %s (%.1f MB, schema %d)\n", "database", cli->db,
           stat(cli->db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0.0, td_store_schema_version(s));
    query_row(db, "articles", "SELECT count(*) FROM article");
    query_row(db, "outlets", "SELECT count(DISTINCT outlet) FROM article");
    query_row(db, "dated", "SELECT count(*) || ' (' || coalesce(min(published),'-') || ' to ' || "
                           "coalesce(max(published),'-') || ')' FROM article WHERE published IS NOT NULL");
    query_row(db, "undated", "SELECT count(*) FROM article WHERE published IS NULL");
    query_row(db, "date found in", "SELECT group_concat(f || ' ' || n, ', ') FROM (SELECT published_from f,"
                                   " count(*) n FROM article WHERE published_from IS NOT NULL GROUP BY 1 ORDER BY 2 DESC)");
    query_row(db, "copies", "SELECT count(*) FROM article WHERE duplicate_of IS NOT NULL");
    query_row(db, "stories", "SELECT count(*) FROM story");
    query_row(db, "body text", "SELECT printf('%.1f MB', coalesce(sum(length(body)),0) / 1e6) FROM article");
    query_row(db, "invalid UTF-8", "SELECT coalesce(sum(bad_utf8),0) || ' sequences replaced' FROM article");
    query_row(db, "template lines", "SELECT count(*) FROM outlet_line WHERE n >= 3");
    query_row(db, "top outlets", "SELECT group_concat(o || ' ' || n, ', ') FROM (SELECT outlet o, count(*) n"
                                 " FROM article WHERE outlet IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 5)");
    td_engine_close(e);
    return TD_EXIT_OK;
}

const td_command td_cmd_stats = {
    "stats",
    "what the database holds",
    run,
    "usage: tidings stats [--db FILE]\n"
    "\n"
    "Counts of articles, outlets, dated and undated articles (and where their\n"
    "dates were found), copies, stories, body text size and learnt template\n"
    "lines.\n",
};
