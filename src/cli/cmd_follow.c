/*
 * cmd_follow.c - `tidings follow add|list|rm` (what an analyst follows and
 * where alerts go) and `tidings alerts` (the alerts made, their delivery;
 * --send delivers now). The rules live in src/alert/alert.h and
 * docs/follows.md; this file parses, checks and prints.
 */
#include "cli/cli.h"
#include "engine.h"
#include "alert/alert.h"
#include "serve/api.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char FOLLOW_USAGE[] =
    "usage: tidings follow add [--entity NAME] [--place NAME | --near LAT,LON [--km N]]\n"
    "                          [--type TYPE] [--query TEXT] [--min-killed N] [--backlog] --to SINK\n"
    "       tidings follow list\n"
    "       tidings follow rm ID\n\n"
    "Follows an actor, a place, an event type or a query: when ingest creates an\n"
    "event that matches, or an event gains a source, a higher toll or a date, one\n"
    "alert goes to SINK. Filters are ANDed; none follows every event.\n\n"
    "  --entity NAME     actor, target or place is this entity (canonical name or any alias)\n"
    "  --place NAME      the event's place (name or alias), or a country code (XV)\n"
    "  --near LAT,LON    the event's place within --km of the point (default 50 km)\n"
    "  --type TYPE       airstrike, shelling, bombing, armed_clash, raid_or_arrest, killing,\n"
    "                    protest, agreement, meeting, statement, election, disaster, other\n"
    "  --query TEXT      a source article matches this full-text query (as `tidings search`)\n"
    "  --min-killed N    the highest death toll reported is at least N\n"
    "  --to SINK         FILE.jsonl (lines appended, fsync), http(s)://URL (POST JSON,\n"
    "                    retried with backoff), or feed (read /feeds/ID.atom on `tidings serve`)\n"
    "  --backlog         alert on the events already stored at the next run (default: start\n"
    "                    from now; the feed always shows them)\n\n"
    "Examples:\n"
    "  tidings follow add --entity 'Crimson Dawn Front' --to alerts.jsonl\n"
    "  tidings follow add --near -20.55,-16.90 --km 80 --min-killed 5 --to https://hooks.example/x\n"
    "  tidings follow add --type protest --place Dorvani --to feed\n";

static const char ALERTS_USAGE[] =
    "usage: tidings alerts [--follow ID] [--since DATE] [--pending] [--json] [--send]\n\n"
    "Lists alerts, oldest first: follow, event, revision, why (new, source, toll,\n"
    "date), when made and delivered, attempts, and the last delivery error.\n\n"
    "  --follow ID   only this follow's\n"
    "  --since DATE  made on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
    "  --pending     only those not delivered yet\n"
    "  --json        one JSON object per line, as sinks receive them\n"
    "  --send        first look for new alerts and deliver pending ones now (what\n"
    "                ingest does when it finishes), then list\n";

static void warn_cb(void *ud, const char *where, const char *msg)
{
    (void)ud;
    td_cli_error("%s: %s", where, msg);
}

static bool parse_id(const char *opt, const char *v, int64_t *out)
{
    unsigned long long n;
    if (!td_cli_parse_uint(opt, v, &n))
        return false;
    if (n == 0 || n > INT64_MAX) {
        td_cli_error("%s: '%s' is not a follow id (see `tidings follow list`)", opt, v);
        return false;
    }
    *out = (int64_t)n;
    return true;
}

static bool parse_point(const char *v, double *lat, double *lon)
{
    char *end = NULL;
    errno = 0;
    *lat = strtod(v, &end);
    if (end == v || *end != ',')
        return false;
    const char *p = end + 1;
    *lon = strtod(p, &end);
    return end != p && *end == '\0' && errno == 0;
}

/* Turns --to into a sink; a relative .jsonl path becomes absolute, since
 * ingest may run from another folder. Returns false after a message. */
static bool parse_sink(const char *to, td_follow *f, char *path, size_t cap)
{
    size_t n = strlen(to);
    if (strcmp(to, "feed") == 0) {
        f->sink = TD_SINK_FEED;
        return true;
    }
    if (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0) {
        f->sink = TD_SINK_WEBHOOK;
        f->target = (char *)to;
        return true;
    }
    if (n > 6 && strcmp(to + n - 6, ".jsonl") == 0) {
        f->sink = TD_SINK_JSONL;
        if (to[0] == '/') {
            snprintf(path, cap, "%s", to);
        } else {
            char cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd) || (size_t)snprintf(path, cap, "%s/%s", cwd, to) >= cap) {
                td_cli_error("follow add: --to %s: path too long", to);
                return false;
            }
        }
        /* fail now, not at the first alert: the file must be writable */
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            td_cli_error("follow add: --to %s: cannot write: %s", path, strerror(errno));
            return false;
        }
        close(fd);
        f->target = path;
        return true;
    }
    td_cli_error("follow add: --to '%s' is neither a FILE.jsonl, an http(s):// URL nor `feed`", to);
    return false;
}

static td_status count_cb(void *ud, int64_t event_id, int64_t revision)
{
    (void)event_id;
    (void)revision;
    ++*(uint64_t *)ud;
    return TD_OK;
}

static int run_add(td_cli *cli, int argc, char **argv)
{
    td_follow f = { .min_killed = -1 };
    const char *to = NULL, *km = NULL;
    bool backlog = false;
    char path[PATH_MAX + 64];
    for (int i = 2; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = strcmp(opt, "--backlog") != 0;
        if (takes && !v) {
            td_cli_error("follow add: %s needs a value", opt);
            return TD_EXIT_USAGE;
        }
        if (strcmp(opt, "--entity") == 0) {
            f.entity = argv[++i];
        } else if (strcmp(opt, "--place") == 0) {
            f.place = argv[++i];
        } else if (strcmp(opt, "--near") == 0) {
            if (!parse_point(v, &f.near_lat, &f.near_lon)) {
                td_cli_error("follow add: --near '%s': expected LAT,LON in degrees (e.g. -20.55,-16.9)", v);
                return TD_EXIT_USAGE;
            }
            f.near = true;
            i++;
        } else if (strcmp(opt, "--km") == 0) {
            km = argv[++i];
        } else if (strcmp(opt, "--type") == 0) {
            f.type = argv[++i];
        } else if (strcmp(opt, "--query") == 0) {
            f.query = argv[++i];
        } else if (strcmp(opt, "--min-killed") == 0) {
            unsigned long long n;
            if (!td_cli_parse_uint(opt, argv[++i], &n))
                return TD_EXIT_USAGE;
            f.min_killed = n > INT32_MAX ? INT32_MAX : (int64_t)n;
        } else if (strcmp(opt, "--to") == 0) {
            to = argv[++i];
        } else if (strcmp(opt, "--backlog") == 0) {
            backlog = true;
        } else {
            td_cli_error("follow add: unknown argument '%s' (see `tidings follow --help`)", opt);
            return TD_EXIT_USAGE;
        }
    }
    if (!to) {
        td_cli_error("follow add: where should alerts go? --to FILE.jsonl, --to URL or --to feed");
        return TD_EXIT_USAGE;
    }
    if (f.place && f.near) {
        td_cli_error("follow add: --place and --near are two ways to say where; give one");
        return TD_EXIT_USAGE;
    }
    if (km && !f.near) {
        td_cli_error("follow add: --km needs --near LAT,LON");
        return TD_EXIT_USAGE;
    }
    f.near_km = 50;
    if (km) {
        char *end = NULL;
        f.near_km = strtod(km, &end);
        if (end == km || *end) {
            td_cli_error("follow add: --km '%s' is not a number", km);
            return TD_EXIT_USAGE;
        }
    }
    if (!parse_sink(to, &f, path, sizeof path))
        return TD_EXIT_USAGE;
    td_buf err = TD_BUF_INIT;
    if (td_alert_follow_check(&f, &err) != TD_OK) {
        td_cli_error("follow add: %s", err.p);
        td_buf_free(&err);
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, false);
    if (!e) {
        td_buf_free(&err);
        return td_cli_exit_for(cli->open_status);
    }
    td_db *db = td_store_sql(td_engine_store(e));
    int64_t id = 0;
    uint64_t known = 0;
    td_status st = td_store_follow_ensure(db, &err);
    if (st == TD_OK)
        st = td_store_follow_add(db, &f, &id, &err);
    f.id = id;
    if (st == TD_OK && !backlog)
        st = td_alert_scan(db, id, true, NULL, &err);  /* start from what exists */
    if (st == TD_OK)
        st = td_alert_match(db, &f, false, 0, count_cb, &known, &err);
    if (st != TD_OK) {
        td_cli_error("follow add: %s: %s", cli->db, err.len ? err.p : td_status_str(st));
        td_buf_free(&err);
        td_engine_close(e);
        return td_cli_exit_for(st);
    }
    td_buf what = TD_BUF_INIT;
    td_alert_follow_describe(&f, &what);
    printf("follow %lld: %s -> %s\n", (long long)id, what.p,
           f.sink == TD_SINK_FEED ? "feed" : f.target);
    printf("  %llu matching event%s stored; %s\n", (unsigned long long)known, known == 1 ? "" : "s",
           backlog ? "they alert at the next ingest (or `tidings alerts --send`)"
                   : "alerts start with the next new or changed one");
    if (f.sink == TD_SINK_FEED || known)
        printf("  feed: /feeds/%lld.atom on `tidings serve`\n", (long long)id);
    td_buf_free(&what);
    td_buf_free(&err);
    td_engine_close(e);
    return TD_EXIT_OK;
}

static td_status list_one(void *ud, const td_follow *f)
{
    td_db *db = ud;
    int64_t n[3];
    td_store_follow_counts(db, f->id, n);
    td_buf what = TD_BUF_INIT;
    td_alert_follow_describe(f, &what);
    printf("%-4lld %-7s %6lld %7lld %6lld  %-20s  %s -> %s\n", (long long)f->id, td_sink_name(f->sink),
           (long long)n[0], (long long)n[1], (long long)n[2], f->created_at ? f->created_at : "-", what.p ? what.p : "",
           f->sink == TD_SINK_FEED ? "feed" : f->target ? f->target : "-");
    td_buf_free(&what);
    return TD_OK;
}

static int run_list(td_cli *cli, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        td_cli_error("follow list: unknown argument '%s'", argv[i]);
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_buf err = TD_BUF_INIT;
    printf("%-4s %-7s %6s %7s %6s  %-20s  %s\n", "ID", "SINK", "ALERTS", "PENDING", "FAILED", "CREATED",
           "FOLLOWS -> TARGET");
    td_status st = td_store_follow_any(db) ? td_store_follow_each(db, list_one, db, &err) : TD_OK;
    if (st != TD_OK)
        td_cli_error("follow list: %s: %s", cli->db, err.len ? err.p : td_status_str(st));
    td_buf_free(&err);
    td_engine_close(e);
    return td_cli_exit_for(st);
}

static int run_rm(td_cli *cli, int argc, char **argv)
{
    int64_t id = 0;
    for (int i = 2; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        if (id || !parse_id("follow rm", argv[i], &id)) {
            if (id)
                td_cli_error("follow rm: one id at a time ('%s')", argv[i]);
            return TD_EXIT_USAGE;
        }
    }
    if (!id) {
        td_cli_error("follow rm: which follow? (tidings follow rm ID; see `tidings follow list`)");
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, false);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_buf err = TD_BUF_INIT;
    td_status st = td_store_follow_ensure(db, &err);
    if (st == TD_OK)
        st = td_store_follow_rm(db, id, &err);
    if (st == TD_ENOTFOUND)
        td_cli_error("follow rm: no follow %lld (see `tidings follow list`)", (long long)id);
    else if (st != TD_OK)
        td_cli_error("follow rm: %s: %s", cli->db, err.len ? err.p : td_status_str(st));
    else
        printf("follow %lld removed with its alerts\n", (long long)id);
    td_buf_free(&err);
    td_engine_close(e);
    return td_cli_exit_for(st);
}

static int run_follow(td_cli *cli, int argc, char **argv)
{
    const char *sub = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        sub = argv[i];
        break;
    }
    /* the sub-command's own arguments start after it; shift so they are at 2 */
    if (sub && i > 1) {
        argv += i - 1;
        argc -= i - 1;
    }
    if (!sub) {
        fputs(FOLLOW_USAGE, stderr);
        return TD_EXIT_USAGE;
    }
    if (strcmp(sub, "add") == 0)
        return run_add(cli, argc, argv);
    if (strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0)
        return run_list(cli, argc, argv);
    if (strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0)
        return run_rm(cli, argc, argv);
    td_cli_error("follow: unknown sub-command '%s' (add, list or rm)", sub);
    return TD_EXIT_USAGE;
}

const td_command td_cmd_follow = { "follow", "follow an actor, place, type or query: alerts to a file, URL or feed",
                                   run_follow, FOLLOW_USAGE };

/* ---- tidings alerts ---- */

typedef struct alerts_ctx {
    bool json;
    uint64_t n;
    td_buf line;
} alerts_ctx;

static td_status print_alert(void *ud, const td_alert_row *a)
{
    alerts_ctx *c = ud;
    c->n++;
    if (c->json) {
        td_buf_clear(&c->line);
        td_alert_line(a, &c->line);
        if (c->line.failed)
            return TD_ENOMEM;
        puts(c->line.p);
        return TD_OK;
    }
    json_t *ev = json_loads(a->payload, 0, NULL);
    const char *sum = ev ? json_string_value(json_object_get(ev, "summary")) : NULL;
    printf("%-5lld %6lld %6lld %4lld  %-6s  %-20s  %-20s %5lld  %s", (long long)a->id, (long long)a->follow_id,
           (long long)a->event_id, (long long)a->revision, a->reason, a->created_at, a->sent_at ? a->sent_at : "-",
           (long long)a->attempts, sum ? sum : "");
    if (a->last_error && !a->sent_at)
        printf("  [last error: %s]", a->last_error);
    putchar('\n');
    json_decref(ev);
    return TD_OK;
}

static bool valid_since(const char *v)
{
    if (td_api_valid_date(v))
        return true;
    /* a full timestamp: the date, then THH:MM[:SS][Z] */
    char d[11];
    if (strlen(v) < 16 || v[10] != 'T')
        return false;
    memcpy(d, v, 10);
    d[10] = '\0';
    return td_api_valid_date(d);
}

static int run_alerts(td_cli *cli, int argc, char **argv)
{
    int64_t follow = 0;
    const char *since = NULL;
    bool json = false, send = false, pending = false;
    for (int i = 1; i < argc; i++) {
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *opt = argv[i];
        if (strcmp(opt, "--follow") == 0) {
            if (!parse_id(opt, i + 1 < argc ? argv[++i] : NULL, &follow))
                return TD_EXIT_USAGE;
        } else if (strcmp(opt, "--since") == 0) {
            since = i + 1 < argc ? argv[++i] : NULL;
            if (!since || !valid_since(since)) {
                td_cli_error("alerts: --since needs a date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not '%s'",
                             since ? since : "");
                return TD_EXIT_USAGE;
            }
        } else if (strcmp(opt, "--json") == 0) {
            json = true;
        } else if (strcmp(opt, "--send") == 0) {
            send = true;
        } else if (strcmp(opt, "--pending") == 0) {
            pending = true;
        } else {
            td_cli_error("alerts: unknown argument '%s' (see `tidings alerts --help`)", opt);
            return TD_EXIT_USAGE;
        }
    }
    td_engine *e = td_cli_open(cli, !send);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    td_db *db = td_store_sql(td_engine_store(e));
    td_buf err = TD_BUF_INIT;
    td_status st = TD_OK;
    bool any = td_store_follow_any(db);
    if (follow && !any) {
        td_cli_error("alerts: no follow %lld (see `tidings follow list`)", (long long)follow);
        td_engine_close(e);
        return TD_EXIT_NOTFOUND;
    }
    if (follow) {
        td_follow f;
        st = td_store_follow_get(db, follow, &f, &err);
        if (st == TD_OK)
            td_store_follow_clear(&f);
        if (st == TD_ENOTFOUND) {
            td_cli_error("alerts: no follow %lld (see `tidings follow list`)", (long long)follow);
            td_engine_close(e);
            return TD_EXIT_NOTFOUND;
        }
    }
    if (st == TD_OK && send && any) {
        td_alert_opts o;
        td_alert_opts_default(&o);
        o.warn = warn_cb;
        td_alert_stats as = { 0 };
        st = td_alert_run(db, &o, &as, &err);
        if (st == TD_OK && !cli->quiet)
            fprintf(stderr, "alerts: %llu new, %llu delivered, %llu failed (kept for the next run), %llu waiting\n",
                    (unsigned long long)as.created, (unsigned long long)as.sent, (unsigned long long)as.failed,
                    (unsigned long long)as.waiting);
    }
    alerts_ctx c = { .json = json, .line = TD_BUF_INIT };
    if (st == TD_OK && any) {
        if (!json)
            printf("%-5s %6s %6s %4s  %-6s  %-20s  %-20s %5s  %s\n", "ID", "FOLLOW", "EVENT", "REV", "REASON",
                   "CREATED", "SENT", "TRIES", "SUMMARY");
        st = td_store_alert_each(db, follow, since, pending, print_alert, &c, &err);
    }
    if (st != TD_OK)
        td_cli_error("alerts: %s: %s", cli->db, err.len ? err.p : td_status_str(st));
    if (st == TD_OK && fflush(stdout) != 0) {
        td_cli_error("alerts: writing the output: %s", strerror(errno));
        st = TD_EIO;
    }
    td_buf_free(&c.line);
    td_buf_free(&err);
    td_engine_close(e);
    return td_cli_exit_for(st);
}

const td_command td_cmd_alerts = { "alerts", "alerts made for follows, their delivery (--send: deliver now)",
                                   run_alerts, ALERTS_USAGE };
