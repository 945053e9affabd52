/* cmd_articles.c - `tidings articles [--limit N] [--offset N] [--outlet O]`: a table. */
#include "cli/cli.h"
#include "engine.h"

#include <string.h>

/* Prints at most width display columns of s (UTF-8 aware), padded. */
static void cell(const unsigned char *s, int width)
{
    int cols = 0;
    const unsigned char *p = s ? s : (const unsigned char *)"-";
    while (*p && cols < width) {
        int len = (*p < 0x80) ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 1;
        if (cols == width - 1 && p[len]) {
            fputs("…", stdout);
            cols++;
            p += strlen((const char *)p);
            break;
        }
        fwrite(p, 1, (size_t)len, stdout);
        p += len;
        cols++;
    }
    for (; cols < width; cols++)
        putchar(' ');
}

static int run(td_cli *cli, int argc, char **argv)
{
    unsigned long long limit = 50, offset = 0;
    const char *outlet = NULL;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        if (strcmp(opt, "--limit") == 0 || strcmp(opt, "-n") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &limit))
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--offset") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &offset))
                return TD_EXIT_USAGE;
        } else if (strcmp(argv[i], "--outlet") == 0 && i + 1 < argc) {
            outlet = argv[++i];
        } else {
            td_cli_error("articles: unknown argument '%s' (see `tidings articles --help`)", argv[i]);
            return TD_EXIT_USAGE;
        }
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    int rc = td_db_prepare(db,
                                "SELECT id, published, outlet, title FROM article"
                                " WHERE (CAST(?3 AS TEXT) IS NULL OR outlet = ?3)"
                                " ORDER BY published IS NULL, published, rowid LIMIT ?1 OFFSET ?2", &st, NULL);
    if (rc != TD_OK) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        td_engine_close(e);
        return TD_EXIT_DB;
    }
    td_stmt_bind_i64(st, 1, (int64_t)(limit ? limit : (unsigned long long)INT64_MAX));
    td_stmt_bind_i64(st, 2, (int64_t)offset);
    if (outlet)
        td_stmt_bind_text(st, 3, outlet, -1);
    printf("%-18s %-10s %-22s %s\n", "ID", "PUBLISHED", "OUTLET", "TITLE");
    int n = 0;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        cell((const unsigned char *)td_stmt_text(st, 0), 18);
        putchar(' ');
        cell((const unsigned char *)td_stmt_text(st, 1), 10);
        putchar(' ');
        cell((const unsigned char *)td_stmt_text(st, 2), 22);
        putchar(' ');
        cell((const unsigned char *)td_stmt_text(st, 3), 80);
        putchar('\n');
        n++;
    }
    int code = rc == TD_DB_DONE ? TD_EXIT_OK : TD_EXIT_DB;
    if (code != TD_EXIT_OK)
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
    td_stmt_finalize(st);
    td_engine_close(e);
    return code;
}

const td_command td_cmd_articles = {
    "articles",
    "list stored articles: id, date, outlet, title",
    run,
    "usage: tidings articles [--db FILE] [--limit N] [--offset N] [--outlet O]\n"
    "\n"
    "Lists articles by publication date (undated last): id, published, outlet,\n"
    "title. --limit 0 lists all (default 50).\n",
};
