/*
 * cmd_show.c - `tidings show ARTICLE`: the metadata, the cleaned body, and
 * every line that was kept out of it, with its kind and the cue that decided.
 */
#include "cli/cli.h"
#include "engine.h"

#include <jansson.h>
#include <string.h>

static void field(const char *name, const char *v)
{
    printf("%-13s %s\n", name, v ? (const char *)v : "-");
}

static int run(td_cli *cli, int argc, char **argv)
{
    const char *id = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            td_cli_error("show: unknown option '%s'", argv[i]);
            return TD_EXIT_USAGE;
        } else if (!id)
            id = argv[i];
        else {
            td_cli_error("show: one article at a time");
            return TD_EXIT_USAGE;
        }
    }
    if (!id) {
        td_cli_error("show: name an article id (see `tidings articles`)");
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_stmt *st = NULL;
    int rc = td_db_prepare(db,
                                "SELECT id, url, outlet, title, subtitle, byline, dateline, published,"
                                " published_from, source, source_line, bad_utf8, body, captions, removed,"
                                " (SELECT id FROM article d WHERE d.rowid = a.duplicate_of), story_id"
                                " FROM article a WHERE id = ?1", &st, NULL);
    if (rc != TD_OK) {
        td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
        td_engine_close(e);
        return TD_EXIT_DB;
    }
    td_stmt_bind_text(st, 1, id, -1);
    rc = td_stmt_step(st);
    int code = TD_EXIT_OK;
    if (rc != TD_DB_ROW) {
        if (rc == TD_DB_DONE) {
            td_cli_error("no article '%s' in %s (see `tidings articles`)", id, cli->db);
            code = TD_EXIT_NOTFOUND;
        } else {
            td_cli_error("%s: %s", cli->db, td_db_errmsg(db));
            code = TD_EXIT_DB;
        }
    } else if (json) {
        json_t *o = json_object();
        const char *names[] = { "id", "url", "outlet", "title", "subtitle", "byline", "dateline",
                                "published", "published_from", "source" };
        for (int i = 0; i < 10; i++) {
            const char *v = td_stmt_text(st, i);
            json_object_set_new(o, names[i], v ? json_string((const char *)v) : json_null());
        }
        const char *body = td_stmt_text(st, 12), *cap = td_stmt_text(st, 13),
                            *rem = td_stmt_text(st, 14);
        json_object_set_new(o, "body", json_string(body ? (const char *)body : ""));
        json_object_set_new(o, "captions", cap ? json_string((const char *)cap) : json_null());
        json_t *r = rem ? json_loads((const char *)rem, 0, NULL) : NULL;
        json_object_set_new(o, "removed", r ? r : json_array());
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
        if (s)
            puts(s);
        free(s);
        json_decref(o);
    } else {
        field("id", td_stmt_text(st, 0));
        field("url", td_stmt_text(st, 1));
        field("outlet", td_stmt_text(st, 2));
        field("title", td_stmt_text(st, 3));
        if (td_stmt_text(st, 4))
            field("subtitle", td_stmt_text(st, 4));
        field("byline", td_stmt_text(st, 5));
        field("dateline", td_stmt_text(st, 6));
        const char *pub = td_stmt_text(st, 7), *from = td_stmt_text(st, 8);
        printf("%-13s %s%s%s%s\n", "published", pub ? (const char *)pub : "-", from ? " (from " : "",
               from ? (const char *)from : "", from ? ")" : "");
        if (td_stmt_text(st, 15))
            field("copy of", td_stmt_text(st, 15));
        if (td_stmt_type(st, 16) != TD_COL_NULL)
            printf("%-13s s%lld\n", "story", (long long)td_stmt_i64(st, 16));
        const char *src = td_stmt_text(st, 9);
        if (src) {
            if (td_stmt_type(st, 10) != TD_COL_NULL)
                printf("%-13s %s:%lld\n", "source", src, (long long)td_stmt_i64(st, 10));
            else
                field("source", src);
        }
        if ((int)td_stmt_i64(st, 11))
            printf("%-13s %d invalid UTF-8 sequences replaced\n", "warning", (int)td_stmt_i64(st, 11));
        printf("\n--- body ---\n%s\n", td_stmt_text(st, 12) ? td_stmt_text(st, 12) : "");
        if (td_stmt_text(st, 13))
            printf("\n--- captions and credits (kept apart) ---\n%s\n", td_stmt_text(st, 13));
        const char *rem = td_stmt_text(st, 14);
        json_t *r = rem ? json_loads((const char *)rem, 0, NULL) : NULL;
        printf("\n--- removed from the body ---\n");
        size_t i;
        json_t *v;
        json_array_foreach(r, i, v)
        {
            printf("%4lld  %-9s %-28s %s\n", (long long)json_integer_value(json_object_get(v, "line")),
                   json_string_value(json_object_get(v, "kind")), json_string_value(json_object_get(v, "why")),
                   json_string_value(json_object_get(v, "text")));
        }
        if (!r || json_array_size(r) == 0)
            printf("(nothing)\n");
        json_decref(r);
    }
    td_stmt_finalize(st);
    td_engine_close(e);
    return code;
}

const td_command td_cmd_show = {
    "show",
    "one article: metadata, cleaned body, what was removed and why",
    run,
    "usage: tidings show [--db FILE] [--json] ARTICLE\n"
    "\n"
    "Shows the article with that id: url, outlet, title, byline, dateline,\n"
    "publication date and where it was found, the cleaned body, captions kept\n"
    "apart, and each line removed from the body with its line number, kind\n"
    "(title, date, nav, share, promo, comments, legal, ad, template, ...) and\n"
    "the cue that decided. --json prints the same as one JSON object.\n"
    "Exit: 0 ok, 3 no such article.\n",
};
