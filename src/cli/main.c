/*
 * main.c - `tidings COMMAND [OPTIONS]`: the command table, global options and
 * the helpers every command shares. Only this folder prints or exits.
 */
#include "cli/cli.h"
#include "engine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The subcommands, in the order `tidings --help` lists them. Later issues add
 * theirs here. */
static const td_command *const COMMANDS[] = {
    &td_cmd_ingest,
    &td_cmd_articles,
    &td_cmd_show,
    &td_cmd_stats,
    &td_cmd_export,
    &td_cmd_serve,
    &td_cmd_watch,
    &td_cmd_entities,
    &td_cmd_entity,
    &td_cmd_stories,
    &td_cmd_story,
    &td_cmd_events,
    &td_cmd_event,
    &td_cmd_quotes,
    &td_cmd_search,
    &td_cmd_follow,
    &td_cmd_alerts,
    &td_cmd_worker,
    &td_cmd_queue,
};

void td_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tidings: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int td_cli_exit_for(td_status st)
{
    switch (st) {
    case TD_OK: return TD_EXIT_OK;
    case TD_ENOTFOUND: return TD_EXIT_NOTFOUND;
    case TD_EDB: case TD_EBUSY: case TD_EREADONLY: return TD_EXIT_DB;
    case TD_EIO: return TD_EXIT_IO;
    case TD_EINVAL: return TD_EXIT_USAGE;
    case TD_EPARSE: case TD_ELIMIT: return TD_EXIT_SKIPPED;
    default: return TD_EXIT_INTERNAL;
    }
}

td_engine *td_cli_open(td_cli *cli, bool read_only)
{
    td_options o = { 0 };
    o.db_path = cli->db;
    o.read_only = read_only;
    td_engine *e = NULL;
    td_status st = td_engine_open(&o, &e);
    cli->open_status = st;
    if (st != TD_OK) {
        const char *msg = td_engine_errmsg(NULL);
        if (st == TD_ENOTFOUND)
            td_cli_error("%s (create it with `tidings ingest --db %s PATH`)", msg, cli->db);
        else
            td_cli_error("%s", msg);
        return NULL;
    }
    return e;
}

bool td_cli_wants_help(int argc, char **argv, const td_command *cmd)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(cmd->usage, stdout);
            return true;
        }
    }
    return false;
}

bool td_cli_parse_uint(const char *opt, const char *v, unsigned long long *out)
{
    char *end = NULL;
    if (!v || !*v || *v == '-') {
        td_cli_error("%s needs a non-negative number", opt);
        return false;
    }
    unsigned long long n = strtoull(v, &end, 10);
    if (*end) {
        td_cli_error("%s: '%s' is not a number", opt, v);
        return false;
    }
    *out = n;
    return true;
}

bool td_cli_db_option(td_cli *cli, int argc, char **argv, int *i)
{
    if (strncmp(argv[*i], "--db=", 5) == 0) {
        cli->db = argv[*i] + 5;
        return true;
    }
    if (strcmp(argv[*i], "--db") == 0) {
        if (*i + 1 >= argc) {
            td_cli_error("--db needs a file name");
            exit(TD_EXIT_USAGE);
        }
        cli->db = argv[++*i];
        return true;
    }
    return false;
}

static void usage(FILE *f)
{
    fprintf(f,
            "tidings %s - a news-event engine: cleaned articles, copies, stories, events\n\n"
            "usage: tidings [--db FILE] COMMAND [OPTIONS]\n\n"
            "commands:\n", TD_VERSION);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
    fprintf(f,
            "\noptions:\n"
            "  --db FILE   the database (default: $TIDINGS_DB, else ./tidings.db)\n"
            "  --version   print the version\n"
            "  -h, --help  this help; `tidings COMMAND --help` for a command's\n\n"
            "exit codes: 0 ok, 1 some inputs skipped, 2 usage, 3 not found,\n"
            "            4 database error, 5 output error, 6 internal error\n");
}

int main(int argc, char **argv)
{
    td_cli cli = { 0 };
    cli.prog = "tidings";
    cli.db = getenv("TIDINGS_DB");
    if (!cli.db || !*cli.db)
        cli.db = "tidings.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (td_cli_db_option(&cli, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "--version") == 0) {
            printf("tidings %s\n", TD_VERSION);
            return TD_EXIT_OK;
        }
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return TD_EXIT_OK;
        }
        td_cli_error("unknown option '%s' (see `tidings --help`)", argv[i]);
        return TD_EXIT_USAGE;
    }
    if (i >= argc) {
        usage(stderr);
        return TD_EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++) {
        if (strcmp(argv[i], COMMANDS[c]->name) == 0) {
            if (td_cli_wants_help(argc - i, argv + i, COMMANDS[c]))
                return TD_EXIT_OK;
            return COMMANDS[c]->run(&cli, argc - i, argv + i);
        }
    }
    td_cli_error("unknown command '%s' (see `tidings --help`)", argv[i]);
    return TD_EXIT_USAGE;
}
