/*
 * cmd_search.c - `tidings search QUERY [filters]`: articles by full-text
 * search (FTS5, BM25 ranking, snippets) with structured filters, and
 * `tidings search --near LAT,LON --km N` without a query: the events near a
 * point, nearest first (R*Tree). The work is in src/search; this file reads
 * the options, validates them (naming the option at fault) and prints.
 */
#include "cli/cli.h"
#include "engine.h"
#include "search/search.h"
#include "serve/api.h"
#include "serve/http.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct out {
    bool json, tty;
    unsigned n;                /* printed so far */
    unsigned offset;
} out;

/* Prints a snippet with its \x02...\x03 matches shown bold (terminal) or
 * between [ ] (pipe). */
static void print_snippet(const out *o, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\x02')
            fputs(o->tty ? "\033[1m" : "[", stdout);
        else if (*s == '\x03')
            fputs(o->tty ? "\033[0m" : "]", stdout);
        else if (*s == '\n')
            putchar(' ');
        else
            putchar(*s);
    }
}

/* Writes "key":"value" (or null) for JSON lines. */
static void json_field(td_buf *b, const char *key, const char *v, bool first)
{
    td_buf_printf(b, "%s\"%s\":", first ? "" : ",", key);
    if (v)
        td_buf_json_str(b, td_str_cstr(v));
    else
        td_buf_puts(b, "null");
}

static void on_hit(void *ud, const td_search_hit *h)
{
    out *o = ud;
    o->n++;
    if (o->json) {
        td_buf b = TD_BUF_INIT;
        td_buf_putc(&b, '{');
        json_field(&b, "id", h->id, true);
        json_field(&b, "title", h->title, false);
        json_field(&b, "outlet", h->outlet, false);
        json_field(&b, "published", h->published, false);
        json_field(&b, "url", h->url, false);
        json_field(&b, "snippet", h->snippet, false);
        td_buf_printf(&b, ",\"score\":%.4f,\"story\":", h->score);
        if (h->story)
            td_buf_printf(&b, "%lld}", (long long)h->story);
        else
            td_buf_puts(&b, "null}");
        if (!b.failed)
            puts(b.p);
        td_buf_free(&b);
        return;
    }
    printf("%3u. %-10s  %-20.20s  %s", o->offset + o->n, h->published ? h->published : "undated",
           h->outlet ? h->outlet : "-", h->title ? h->title : "(no title)");
    if (h->story)
        printf("  [story %lld]", (long long)h->story);
    printf("\n     ");
    print_snippet(o, h->snippet);
    printf("\n     id %s\n", h->id ? h->id : "-");
}

static void on_event(void *ud, const td_search_event *e)
{
    out *o = ud;
    o->n++;
    if (o->json) {
        td_buf b = TD_BUF_INIT;
        td_buf_printf(&b, "{\"id\":%lld", (long long)e->id);
        json_field(&b, "type", e->type, false);
        json_field(&b, "date", e->date, false);
        json_field(&b, "place", e->place, false);
        td_buf_printf(&b, ",\"lat\":%.5f,\"lon\":%.5f,\"km\":%.2f", e->lat, e->lon, e->km);
        json_field(&b, "sentence", e->sentence, false);
        td_buf_printf(&b, ",\"story\":");
        if (e->story)
            td_buf_printf(&b, "%lld}", (long long)e->story);
        else
            td_buf_puts(&b, "null}");
        if (!b.failed)
            puts(b.p);
        td_buf_free(&b);
        return;
    }
    printf("%3u. %7.1f km  %-10s  %-14s  %s (event %lld", o->offset + o->n, e->km, e->date ? e->date : "undated",
           e->type ? e->type : "-", e->place ? e->place : "-", (long long)e->id);
    if (e->story)
        printf(", story %lld", (long long)e->story);
    printf(")\n");
    if (e->sentence)
        printf("     %s\n", e->sentence);
}

/* The value of option argv[*i], or NULL (with a message) when missing. */
static const char *value(int argc, char **argv, int *i)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc || !argv[*i + 1][0]) {
        td_cli_error("search: %s needs a value (see `tidings search --help`)", opt);
        return NULL;
    }
    return argv[++*i];
}

static int run(td_cli *cli, int argc, char **argv)
{
    td_search_query q = { .km = 50 };
    unsigned long long limit = 20, offset = 0;
    const char *near = NULL, *km = NULL;
    out o = { .tty = isatty(STDOUT_FILENO) };
    td_buf words = TD_BUF_INIT;  /* the query: every free argument */
    int code = TD_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        const char **slot = strcmp(opt, "--type") == 0 ? &q.type
                            : strcmp(opt, "--entity") == 0 ? &q.entity
                            : strcmp(opt, "--place") == 0 ? &q.place
                            : strcmp(opt, "--from") == 0 ? &q.from
                            : strcmp(opt, "--to") == 0 ? &q.to
                            : strcmp(opt, "--outlet") == 0 ? &q.outlet
                            : strcmp(opt, "--near") == 0 ? &near
                            : strcmp(opt, "--km") == 0 ? &km
                            : NULL;
        if (slot) {
            if (!(*slot = value(argc, argv, &i)))
                goto out;
        } else if (strcmp(opt, "--limit") == 0 || strcmp(opt, "-n") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &limit))
                goto out;
        } else if (strcmp(opt, "--offset") == 0) {
            if (!td_cli_parse_uint(opt, i + 1 < argc ? argv[++i] : NULL, &offset))
                goto out;
        } else if (strcmp(opt, "--json") == 0) {
            o.json = true;
        } else if (opt[0] == '-' && opt[1]) {
            td_cli_error("search: unknown option '%s' (see `tidings search --help`)", opt);
            goto out;
        } else {
            td_buf_printf(&words, "%s%s", words.len ? " " : "", opt);
        }
    }
    if (q.type && !td_api_valid_event_type(q.type)) {
        td_cli_error("search: --type '%s' is not an event type (airstrike, shelling, bombing, armed_clash,"
                     " raid_or_arrest, killing, protest, agreement, meeting, statement, election, disaster,"
                     " other)", q.type);
        goto out;
    }
    if ((q.from && !td_api_valid_date(q.from)) || (q.to && !td_api_valid_date(q.to))) {
        td_cli_error("search: %s '%s' is not a date YYYY, YYYY-MM or YYYY-MM-DD", q.from && !td_api_valid_date(q.from)
                     ? "--from" : "--to", q.from && !td_api_valid_date(q.from) ? q.from : q.to);
        goto out;
    }
    if (near && !td_http_parse_point(near, &q.lat, &q.lon)) {
        td_cli_error("search: --near '%s' is not LAT,LON in degrees (e.g. 48.85,2.35)", near);
        goto out;
    }
    if (km && !near) {
        td_cli_error("search: --km needs --near LAT,LON");
        goto out;
    }
    if (km && !td_http_parse_double(km, 0.001, 20100, &q.km)) {
        td_cli_error("search: --km '%s' is not a distance in km above 0 (at most 20100)", km);
        goto out;
    }
    if (limit == 0 || limit > 10000 || offset > 1000000000ULL) {
        td_cli_error("search: --limit is 1 to 10000");
        goto out;
    }
    td_buf probe = TD_BUF_INIT;
    bool has_words = td_search_fts_query(words.p, &probe);
    td_buf_free(&probe);
    if (!has_words && !near) {
        td_cli_error("search: give words to search for, or --near LAT,LON (see `tidings search --help`)");
        goto out;
    }
    if (!has_words && (q.entity || q.place || q.outlet)) {
        td_cli_error("search: --%s filters articles: give words to search for too",
                     q.entity ? "entity" : q.place ? "place" : "outlet");
        goto out;
    }
    q.near = near != NULL;
    q.text = words.p;
    q.limit = (unsigned)limit;
    q.offset = (unsigned)offset;
    o.offset = q.offset;

    td_engine *e = td_cli_open(cli, true);
    if (!e) {
        code = td_cli_exit_for(cli->open_status);
        goto out;
    }
    td_db *db = td_store_sql(td_engine_store(e));
    td_buf err = TD_BUF_INIT;
    int64_t total = 0;
    td_status st = td_search_init(db);
    if (st == TD_OK)
        st = has_words ? td_search_articles(db, &q, on_hit, &o, &total, &err)
                       : td_search_events_near(db, &q, on_event, &o, &total, &err);
    if (st == TD_OK) {
        if (!o.json) {
            if (total == 0)
                printf("no %s\n", has_words ? "article matches" : "event within that distance");
            else
                printf("%s%lld %s%s, %u shown from %u\n", o.n ? "\n" : "", (long long)total,
                       has_words ? "article" : "event", total == 1 ? "" : "s", o.n, q.offset + (o.n ? 1 : 0));
        }
        code = ferror(stdout) ? TD_EXIT_IO : TD_EXIT_OK;
    } else if (st == TD_EINVAL) {
        td_cli_error("search: --%s", err.p ? err.p : "bad filter");
        code = TD_EXIT_NOTFOUND;
    } else {
        td_cli_error("%s: %s", cli->db, err.p ? err.p : td_status_str(st));
        code = td_cli_exit_for(st);
    }
    td_buf_free(&err);
    td_engine_close(e);
out:
    td_buf_free(&words);
    return code;
}

const td_command td_cmd_search = {
    "search",
    "full-text search with filters; events near a point",
    run,
    "usage: tidings search [--db FILE] QUERY [--type T] [--entity E] [--place P]\n"
    "                      [--from D] [--to D] [--outlet O] [--near LAT,LON [--km N]]\n"
    "                      [--limit N] [--offset N] [--json]\n"
    "       tidings search [--db FILE] --near LAT,LON [--km N] [--type T] [--from D] [--to D]\n"
    "\n"
    "Finds articles whose title or body holds every word of QUERY (SQLite FTS5,\n"
    "ranked by BM25 with the title weighing 4x), with a snippet around the\n"
    "matches. \"quoted words\" match a phrase, word* a prefix, a OR b either.\n"
    "\n"
    "  --type T        articles reporting an event of type T (airstrike, protest, ...)\n"
    "  --entity E      articles naming entity E (id, name or alias)\n"
    "  --place P       articles reporting an event at place P (id, name or alias)\n"
    "  --from D, --to D  published between D (YYYY, YYYY-MM or YYYY-MM-DD, inclusive)\n"
    "  --outlet O      from outlet O\n"
    "  --near LAT,LON  articles reporting an event within --km (default 50) of the point;\n"
    "                  without QUERY: the events near the point, nearest first\n"
    "  --limit N       results shown (default 20), --offset N skips the first N\n"
    "  --json          one JSON object per line\n"
    "\n"
    "Examples:\n"
    "  tidings search 'harbour strike' --from 2025-03\n"
    "  tidings search ministry --type statement --outlet 'Coast Herald'\n"
    "  tidings search --near 45.1,13.6 --km 25\n",
};
