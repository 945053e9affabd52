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

/* Prints label and the rows of sql (two columns: a name and a count) as
 * "name count, name count" (no group_concat in PostgreSQL's dialect). */
static void query_list(td_db *db, const char *label, const char *sql)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK) {
        td_stmt_finalize(st);
        return;
    }
    td_buf b = TD_BUF_INIT;
    while (td_stmt_step(st) == TD_DB_ROW) {
        const char *name = td_stmt_text(st, 0), *n = td_stmt_text(st, 1);
        td_buf_printf(&b, "%s%s %s", b.len ? ", " : "", name ? name : "", n ? n : "");
    }
    printf("%-20s%s\n", label, b.len && !b.failed ? b.p : "-");
    td_buf_free(&b);
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
    if (td_db_kind_of(db) == TD_DB_POSTGRES) {
        /* a server's database: its URL without the password, no file size */
        td_buf url = TD_BUF_INIT;
        td_db_target_redacted(cli->db, &url);
        printf("%-20s %s (schema %d)\n", "database", url.p ? url.p : "", td_store_schema_version(s));
        td_buf_free(&url);
    } else {
        struct stat sb;
        printf("%-20s %s (%.1f MB, schema %d)\n", "database", cli->db,
               stat(cli->db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0.0, td_store_schema_version(s));
    }
    query_row(db, "articles", "SELECT count(*) FROM article");
    query_row(db, "outlets", "SELECT count(DISTINCT outlet) FROM article");
    query_row(db, "dated", "SELECT count(*) || ' (' || coalesce(min(published),'-') || ' to ' || "
                           "coalesce(max(published),'-') || ')' FROM article WHERE published IS NOT NULL");
    query_row(db, "undated", "SELECT count(*) FROM article WHERE published IS NULL");
    /* ties in name order: the same list on both backends */
    query_list(db, "date found in", "SELECT published_from, count(*) FROM article WHERE published_from IS NOT NULL"
                                    " GROUP BY 1 ORDER BY 2 DESC, 1");
    query_row(db, "copies", "SELECT count(*) FROM article WHERE duplicate_of IS NOT NULL");
    query_row(db, "stories", "SELECT count(*) FROM story");
    /* length() counts characters on both backends; formatted here (no
     * printf in PostgreSQL) */
    td_stmt *st = NULL;
    if (td_db_prepare(db, "SELECT coalesce(sum(length(body)), 0) FROM article", &st, NULL) == TD_OK &&
        td_stmt_step(st) == TD_DB_ROW)
        printf("%-20s%.1f MB\n", "body text", (double)td_stmt_i64(st, 0) / 1e6);
    td_stmt_finalize(st);
    query_row(db, "invalid UTF-8", "SELECT coalesce(sum(bad_utf8),0) || ' sequences replaced' FROM article");
    query_row(db, "template lines", "SELECT count(*) FROM outlet_line WHERE n >= 3");
    query_list(db, "top outlets", "SELECT outlet, count(*) FROM article WHERE outlet IS NOT NULL"
                                  " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5");
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
