/*
 * cli.h - the command line: one file per subcommand (cmd_<name>.c), one
 * table of them in main.c, one set of exit codes.
 */
#ifndef TD_CLI_H
#define TD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tidings.h"
#include "db/db.h"

/* Exit codes of every subcommand (documented in README.md). */
enum {
    TD_EXIT_OK = 0,        /* done */
    TD_EXIT_SKIPPED = 1,   /* done, but some inputs were skipped (see the messages) */
    TD_EXIT_USAGE = 2,     /* bad command line */
    TD_EXIT_NOTFOUND = 3,  /* a named file, article or record does not exist */
    TD_EXIT_DB = 4,        /* the database could not be opened or written (locked, read-only, corrupt) */
    TD_EXIT_IO = 5,        /* output could not be written */
    TD_EXIT_INTERNAL = 6   /* out of memory or an internal error */
};

typedef struct td_cli {
    const char *prog;      /* "tidings" */
    const char *db;        /* --db, $TIDINGS_DB or "tidings.db" */
    bool quiet;            /* --quiet: no progress, no summary */
    td_status open_status; /* why td_cli_open failed */
} td_cli;

typedef struct td_command {
    const char *name;
    const char *summary;   /* one line for `tidings --help` */
    int (*run)(td_cli *cli, int argc, char **argv);  /* argv[0] is the command name */
    const char *usage;     /* full --help text */
} td_command;

/* Prints "tidings: " + message to stderr. */
void td_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Maps a status to an exit code. */
int td_cli_exit_for(td_status st);
/* Opens the engine on cli->db, printing the reason on failure (returns NULL). */
td_engine *td_cli_open(td_cli *cli, bool read_only);
/* True when argv[i] is -h/--help; then the command prints its usage. */
bool td_cli_wants_help(int argc, char **argv, const td_command *cmd);
/* Parses a non-negative integer option value; false (and a message) if bad. */
bool td_cli_parse_uint(const char *opt, const char *v, unsigned long long *out);
/* Handles --db FILE / --db=FILE at argv[*i]; true if consumed. */
bool td_cli_db_option(td_cli *cli, int argc, char **argv, int *i);

extern const td_command td_cmd_ingest, td_cmd_export, td_cmd_articles, td_cmd_show, td_cmd_stats;
extern const td_command td_cmd_serve;
extern const td_command td_cmd_watch;
extern const td_command td_cmd_entities, td_cmd_entity; /* cmd_entities.c */
extern const td_command td_cmd_stories, td_cmd_story; /* cmd_stories.c */
extern const td_command td_cmd_events, td_cmd_event; /* cmd_events.c */
extern const td_command td_cmd_quotes;               /* cmd_quotes.c */
extern const td_command td_cmd_search; /* cmd_search.c */
extern const td_command td_cmd_follow, td_cmd_alerts; /* cmd_follow.c */
extern const td_command td_cmd_worker, td_cmd_queue;  /* cmd_worker.c */

/* Prints the summary and timeline sections of `tidings story ID` (story_extra.c). */
void td_cli_story_extra(td_db *db, long long story_id, FILE *out);

#endif
