/*
 * cmd_stories.c - `tidings stories [--since DATE] [--limit N]` (the stories,
 * most recently active first) and `tidings story ID` (one story: its
 * articles by date with copies folded under their original, and the
 * passages its articles share with the outlets that carried them). Both
 * read the tables of store_story.h.
 *
 * `tidings story` prints sections, each opened by a "== Name ==" line, so
 * later commands can append theirs (a timeline, a summary) without changing
 * the ones before.
 */
#include "cli/cli.h"
#include "engine.h"
#include "store/store_story.h"

#include <stdlib.h>
#include <string.h>

static const char *text(td_stmt *st, int i, const char *none)
{
    const char *p = td_stmt_text(st, i);
    return p ? (const char *)p : none;
}

/* True when s is a YYYY-MM-DD date. */
static bool is_day(const char *s)
{
    return strlen(s) == 10 && td_story_day(td_str_make(s, 10)) >= 0;
}

static int db_error(td_cli *cli, td_db *db, td_engine *e)
{
    td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
    td_engine_close(e);
    return TD_EXIT_DB;
}

static int run_list(td_cli *cli, int argc, char **argv)
{
    unsigned long long limit = 50;
    const char *since = NULL;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        if (strcmp(opt, "--limit") == 0 || strcmp(opt, "-n") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &limit))
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--since") == 0 || strncmp(opt, "--since=", 8) == 0) {
            since = opt[7] == '=' ? opt + 8 : i + 1 < argc ? argv[++i] : NULL;
            if (!since || !is_day(since)) {
                td_cli_error("stories: --since wants a date YYYY-MM-DD, not '%s'", since ? since : "");
                return TD_EXIT_USAGE;
            }
        } else {
            td_cli_error("stories: unknown argument '%s' (see `tidings stories --help`)", opt);
            return TD_EXIT_USAGE;
        }
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    /* undated stories only when no --since: they cannot be placed in time */
    if (td_db_prepare(db,
                           "SELECT s.id, s.n_articles,"
                           " (SELECT count(*) FROM article WHERE story_id = s.id AND duplicate_of IS NOT NULL),"
                           " s.first_seen, s.last_seen, s.title FROM story s"
                           " WHERE CAST(?2 AS TEXT) IS NULL OR s.last_seen >= ?2"
                           " ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.n_articles DESC, s.id LIMIT ?1", &st, NULL) != TD_OK)
        return db_error(cli, db, e);
    td_stmt_bind_i64(st, 1, (int64_t)(limit ? limit : (unsigned long long)INT64_MAX));
    if (since)
        td_stmt_bind_text(st, 2, since, -1);
    printf("%-7s %8s %6s  %-10s  %-10s  %s\n", "ID", "ARTICLES", "COPIES", "FIRST", "LAST", "TITLE");
    int rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW)
        printf("s%-6lld %8d %6d  %-10s  %-10s  %s\n", (long long)td_stmt_i64(st, 0),
               (int)td_stmt_i64(st, 1), (int)td_stmt_i64(st, 2), text(st, 3, "-"), text(st, 4, "-"),
               text(st, 5, "(untitled)"));
    td_stmt_finalize(st);
    if (rc != TD_DB_DONE)
        return db_error(cli, db, e);
    td_engine_close(e);
    return TD_EXIT_OK;
}

/* Prints the articles of story id by date, each copy indented under its
 * original (copies whose original is in another story stand alone, marked). */
static bool print_articles(td_db *db, int64_t id)
{
    td_stmt *orig = NULL, *cp = NULL;
    bool ok = td_db_prepare(db,
                                 "SELECT a.rowid, a.published, a.outlet, a.id, a.title, d.id FROM article a"
                                 " LEFT JOIN article d ON d.rowid = a.duplicate_of"
                                 " WHERE a.story_id = ?1 AND (a.duplicate_of IS NULL OR d.story_id IS NULL OR d.story_id <> ?1)"
                                 " ORDER BY a.published IS NULL, a.published, a.rowid", &orig, NULL) == TD_OK &&
              td_db_prepare(db,
                                 "SELECT published, outlet, id, title, dup_similarity FROM article"
                                 " WHERE duplicate_of = ?1 AND story_id = ?2"
                                 " ORDER BY published IS NULL, published, rowid", &cp, NULL) == TD_OK;
    int rc = TD_DB_DONE;
    if (ok) {
        printf("\n== Articles ==\n");
        td_stmt_bind_i64(orig, 1, id);
        while ((rc = td_stmt_step(orig)) == TD_DB_ROW) {
            printf("  %-10s  %-24s  %-16s  %s", text(orig, 1, "(no date)"), text(orig, 2, "-"), text(orig, 3, "-"),
                   text(orig, 4, "(untitled)"));
            if (td_stmt_type(orig, 5) != TD_COL_NULL)
                printf("  [copy of %s]", text(orig, 5, ""));
            putchar('\n');
            td_stmt_bind_i64(cp, 1, td_stmt_i64(orig, 0));
            td_stmt_bind_i64(cp, 2, id);
            int rc2;
            while ((rc2 = td_stmt_step(cp)) == TD_DB_ROW) {
                printf("      copy  %-10s  %-24s  %-16s  %s", text(cp, 0, "(no date)"), text(cp, 1, "-"),
                       text(cp, 2, "-"), text(cp, 3, "(untitled)"));
                if (td_stmt_type(cp, 4) != TD_COL_NULL)
                    printf("  (similarity %.2f)", td_stmt_double(cp, 4));
                putchar('\n');
            }
            td_stmt_reset(cp);
            if (rc2 != TD_DB_DONE) {
                rc = rc2;
                break;
            }
        }
    }
    td_stmt_finalize(orig);
    td_stmt_finalize(cp);
    return ok && rc == TD_DB_DONE;
}

/* Prints the passages that articles of story id from at least two outlets
 * share (at most limit): those crossing the most separate reports (an
 * original and its copies are one report) first, then the most outlets; each
 * with the outlets that carried it, earliest first. */
static bool print_passages(td_db *db, int64_t id, int limit)
{
    td_stmt *ps = NULL, *who = NULL;
    bool ok = td_db_prepare(db,
                                 "SELECT p.id, p.text, count(DISTINCT coalesce(a.outlet, a.id)) AS n,"
                                 " count(DISTINCT coalesce(a.duplicate_of, a.rowid)) AS reports FROM passage p"
                                 " JOIN passage_article pa ON pa.passage_id = p.id"
                                 " JOIN article a ON a.rowid = pa.article_id"
                                 " WHERE a.story_id = ?1 AND p.text IS NOT NULL"
                                 " GROUP BY p.id HAVING count(DISTINCT coalesce(a.outlet, a.id)) >= 2"
                                 " ORDER BY reports DESC, n DESC, length(p.text) DESC, p.id LIMIT ?2", &ps, NULL) == TD_OK &&
              td_db_prepare(db,
                                 "SELECT a.published, coalesce(a.outlet, '-'), a.id FROM passage_article pa"
                                 " JOIN article a ON a.rowid = pa.article_id WHERE pa.passage_id = ?1"
                                 " ORDER BY a.published IS NULL, a.published, a.rowid", &who, NULL) == TD_OK;
    int rc = TD_DB_DONE;
    if (ok) {
        printf("\n== Shared passages ==\n");
        td_stmt_bind_i64(ps, 1, id);
        td_stmt_bind_i64(ps, 2, limit);
        int n = 0;
        while ((rc = td_stmt_step(ps)) == TD_DB_ROW) {
            n++;
            printf("  \"%s\"\n", text(ps, 1, ""));
            td_stmt_bind_i64(who, 1, td_stmt_i64(ps, 0));
            int k = 0, rc2;
            while ((rc2 = td_stmt_step(who)) == TD_DB_ROW) {
                printf("%s%s %s (%s)", k == 0 ? "      first: " : k == 1 ? "\n      also:  " : ", ",
                       text(who, 1, "-"), text(who, 2, "-"), text(who, 0, "no date"));
                k++;
            }
            putchar('\n');
            td_stmt_reset(who);
            if (rc2 != TD_DB_DONE) {
                rc = rc2;
                break;
            }
        }
        if (rc == TD_DB_DONE && n == 0)
            printf("  (none)\n");
    }
    td_stmt_finalize(ps);
    td_stmt_finalize(who);
    return ok && rc == TD_DB_DONE;
}

static int run_one(td_cli *cli, int argc, char **argv)
{
    const char *name = NULL;
    unsigned long long passages = 10;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "--passages") == 0) {
            const char *opt = argv[i];
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &passages))
                return TD_EXIT_USAGE;
            continue;
        }
        if (argv[i][0] == '-' || name) {
            td_cli_error("story: unknown argument '%s' (see `tidings story --help`)", argv[i]);
            return TD_EXIT_USAGE;
        }
        name = argv[i];
    }
    if (!name) {
        td_cli_error("story: which story? (tidings story ID, e.g. tidings story s12)");
        return TD_EXIT_USAGE;
    }
    const char *digits = name[0] == 's' || name[0] == 'S' ? name + 1 : name;
    char *end = NULL;
    long long id = strtoll(digits, &end, 10);
    if (!*digits || *end || id <= 0) {
        td_cli_error("story: '%s' is not a story id (s12 or 12; see `tidings stories`)", name);
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                           "SELECT title, first_seen, last_seen, n_articles,"
                           " (SELECT count(*) FROM article WHERE story_id = ?1 AND duplicate_of IS NOT NULL),"
                           " (SELECT count(DISTINCT outlet) FROM article WHERE story_id = ?1)"
                           " FROM story WHERE id = ?1", &st, NULL) != TD_OK)
        return db_error(cli, db, e);
    td_stmt_bind_i64(st, 1, id);
    int rc = td_stmt_step(st);
    if (rc != TD_DB_ROW) {
        td_stmt_finalize(st);
        if (rc != TD_DB_DONE)
            return db_error(cli, db, e);
        td_cli_error("story: no story s%lld (see `tidings stories`)", id);
        td_engine_close(e);
        return TD_EXIT_NOTFOUND;
    }
    printf("s%lld  %s\n", id, text(st, 0, "(untitled)"));
    printf("  first seen %s, last seen %s; %d articles (%d copies) from %d outlets\n", text(st, 1, "-"),
           text(st, 2, "-"), (int)td_stmt_i64(st, 3), (int)td_stmt_i64(st, 4), (int)td_stmt_i64(st, 5));
    td_stmt_finalize(st);
    if (!print_articles(db, id) || !print_passages(db, id, (int)(passages > 1000 ? 1000 : passages)))
        return db_error(cli, db, e);
    td_cli_story_extra(db, id, stdout); /* summary and timeline (story_extra.c) */
    if (fflush(stdout) != 0) {
        td_engine_close(e);
        return TD_EXIT_IO;
    }
    td_engine_close(e);
    return TD_EXIT_OK;
}

const td_command td_cmd_stories = {
    "stories",
    "list the stories, most recently active first",
    run_list,
    "usage: tidings stories [--db FILE] [--since YYYY-MM-DD] [--limit N]\n"
    "\n"
    "Lists the stories (developing news: an event, its follow-ups and reactions),\n"
    "most recently active first: id, articles, copies among them, first and last\n"
    "publication dates, and the title (the most representative headline).\n"
    "\n"
    "  --since DATE   only stories with an article on or after DATE\n"
    "  --limit N      at most N stories (default 50; 0 = all)\n",
};

const td_command td_cmd_story = {
    "story",
    "one story: its articles with copies folded, and shared passages",
    run_one,
    "usage: tidings story [--db FILE] [--passages N] ID\n"
    "\n"
    "Shows story ID (s12 or 12): title, dates and counts; then sections:\n"
    "  == Articles ==         by publication date; copies (wire reprints) are\n"
    "                         indented under their original with their similarity\n"
    "  == Shared passages ==  sentences carried by several articles, with the\n"
    "                         outlet that carried each first (at most N, default 10)\n"
    "Exit 3 when there is no such story.\n",
};
