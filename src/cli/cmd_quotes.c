/*
 * cmd_quotes.c - `tidings quotes [--speaker NAME] [--story ID] [--article ID]
 * [--limit N] [--json]`: direct and reported speech with the speaker resolved
 * to an entity ("he said" -> the person named before), oldest article first.
 * Reads the quote table of store_event.h.
 */
#include "cli/cli.h"
#include "engine.h"
#include "store/store_event.h"

#include <stdlib.h>
#include <string.h>

static const char *text(td_stmt *st, int i)
{
    const char *p = td_stmt_text(st, i);
    return p ? (const char *)p : "";
}

static int run(td_cli *cli, int argc, char **argv)
{
    const char *speaker = NULL, *article = NULL;
    long long story = -1;
    unsigned long long limit = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        if (strcmp(opt, "--json") == 0) {
            json = true;
            continue;
        }
        bool takes = strcmp(opt, "--speaker") == 0 || strcmp(opt, "--story") == 0 ||
                     strcmp(opt, "--article") == 0 || strcmp(opt, "--limit") == 0;
        if (!takes) {
            td_cli_error("quotes: unknown argument '%s' (see `tidings quotes --help`)", opt);
            return TD_EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            td_cli_error("quotes: %s needs a value", opt);
            return TD_EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (strcmp(opt, "--speaker") == 0) {
            speaker = v;
        } else if (strcmp(opt, "--article") == 0) {
            article = v;
        } else if (strcmp(opt, "--limit") == 0) {
            if (!td_cli_parse_uint(opt, v, &limit))
                return TD_EXIT_USAGE;
        } else {
            const char *p = v[0] == 's' ? v + 1 : v;
            char *end = NULL;
            story = strtoll(p, &end, 10);
            if (!*p || *end || story <= 0) {
                td_cli_error("quotes: --story '%s' is not a story id (s12 or 12)", v);
                return TD_EXIT_USAGE;
            }
        }
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    int out = TD_EXIT_OK;
    /* the speaker: the entity's name or any alias, else the name as written */
    /* PostgreSQL: no NOCASE collation and LIKE is case-sensitive, so lower()
     * on both sides; typeless parameters cast */
    static const char SQL_LITE[] =
        "SELECT q.id, a.id, coalesce(a.published, '-'), coalesce(en.name, q.resolved, q.speaker, '?'),"
        " q.kind, q.text, q.speaker, coalesce(a.outlet, '')"
        " FROM quote q JOIN article a ON a.rowid = q.article_id LEFT JOIN entity en ON en.id = q.speaker_id"
        " WHERE (CAST(?1 AS TEXT) IS NULL"
        "   OR q.speaker_id IN (SELECT entity_id FROM alias WHERE surface = ?1 COLLATE NOCASE)"
        "   OR en.name = ?1 COLLATE NOCASE OR q.resolved LIKE '%' || ?1 || '%')"
        " AND (CAST(?2 AS BIGINT) IS NULL OR a.story_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR a.id = ?3)"
        " ORDER BY a.published IS NULL, a.published, a.rowid, q.id LIMIT ?4";
    static const char SQL_PG[] =
        "SELECT q.id, a.id, coalesce(a.published, '-'), coalesce(en.name, q.resolved, q.speaker, '?'),"
        " q.kind, q.text, q.speaker, coalesce(a.outlet, '')"
        " FROM quote q JOIN article a ON a.rowid = q.article_id LEFT JOIN entity en ON en.id = q.speaker_id"
        " WHERE (CAST(?1 AS TEXT) IS NULL"
        "   OR q.speaker_id IN (SELECT entity_id FROM alias WHERE lower(surface) = lower(?1))"
        "   OR lower(en.name) = lower(?1) OR lower(q.resolved) LIKE '%' || lower(?1) || '%')"
        " AND (CAST(?2 AS BIGINT) IS NULL OR a.story_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR a.id = ?3)"
        " ORDER BY a.published IS NULL, a.published, a.rowid, q.id LIMIT ?4";
    const char *SQL = td_db_kind_of(db) == TD_DB_POSTGRES ? SQL_PG : SQL_LITE;
    if (td_db_prepare(db, SQL, &st, NULL) != TD_OK) {
        /* a database from before quotes: nothing to list */
        bool old = td_db_prepare(db, "SELECT 1 FROM quote", &st, NULL) != TD_OK;
        td_stmt_finalize(st);
        if (!old)
            td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        td_engine_close(e);
        if (old && json)
            puts("[]");
        return old ? TD_EXIT_OK : TD_EXIT_DB;
    }
    if (speaker)
        td_stmt_bind_text(st, 1, speaker, -1);
    if (story > 0)
        td_stmt_bind_i64(st, 2, story);
    if (article)
        td_stmt_bind_text(st, 3, article, -1);
    td_stmt_bind_i64(st, 4, limit ? (int64_t)limit : INT64_MAX);
    td_buf b = TD_BUF_INIT;
    if (json)
        fputs("[", stdout);
    else
        printf("%-6s %-10s %-10s %-24s %-8s %s\n", "ID", "ARTICLE", "DATE", "SPEAKER", "KIND", "TEXT");
    int rc, n = 0;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (json) {
            td_buf_printf(&b, "%s\n{\"id\":\"q%lld\",\"article\":", n ? "," : "", (long long)td_stmt_i64(st, 0));
            td_buf_json_str(&b, td_str_cstr(text(st, 1)));
            td_buf_puts(&b, ",\"outlet\":");
            td_buf_json_str(&b, td_str_cstr(text(st, 7)));
            td_buf_puts(&b, ",\"published\":");
            td_buf_json_str(&b, td_str_cstr(text(st, 2)));
            td_buf_puts(&b, ",\"speaker\":");
            td_buf_json_str(&b, td_str_cstr(text(st, 3)));
            td_buf_puts(&b, ",\"speaker_as_written\":");
            td_buf_json_str(&b, td_str_cstr(text(st, 6)));
            td_buf_printf(&b, ",\"direct\":%s,\"text\":", strcmp(text(st, 4), "direct") == 0 ? "true" : "false");
            td_buf_json_str(&b, td_str_cstr(text(st, 5)));
            td_buf_putc(&b, '}');
            fwrite(b.p, 1, b.len, stdout);
            td_buf_clear(&b);
        } else {
            const char *t = text(st, 5);
            printf("q%-5lld %-10.10s %-10s %-24.24s %-8s %s%.120s%s%s\n", (long long)td_stmt_i64(st, 0),
                   text(st, 1), text(st, 2), text(st, 3), text(st, 4), strcmp(text(st, 4), "direct") == 0 ? "\"" : "",
                   t, strlen(t) > 120 ? "..." : "", strcmp(text(st, 4), "direct") == 0 ? "\"" : "");
        }
        n++;
    }
    if (json)
        puts(n ? "\n]" : "]");
    if (rc != TD_DB_DONE) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        out = TD_EXIT_DB;
    } else if (fflush(stdout) != 0) {
        td_cli_error("quotes: cannot write the output");
        out = TD_EXIT_IO;
    }
    td_buf_free(&b);
    td_stmt_finalize(st);
    td_engine_close(e);
    return out;
}

const td_command td_cmd_quotes = {
    "quotes",
    "direct and reported speech with the speaker resolved",
    run,
    "usage: tidings quotes [--speaker NAME] [--story ID] [--article ID] [--limit N] [--json] [--db FILE]\n"
    "\n"
    "Quotes found in the articles (see docs/events.md): direct ones in quote\n"
    "marks and reported speech (\"X said that ...\", \"according to X\"), with the\n"
    "speaker resolved to the entity it stands for (\"he said\", \"the ministry\n"
    "said\" go back to the named person or body). --speaker matches the entity's\n"
    "name or any alias (case-insensitive) or part of the name as written;\n"
    "--story takes s12 or 12; --article an article id.\n",
};
