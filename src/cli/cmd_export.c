/* cmd_export.c - `tidings export --format jsonl|csv`: every record, to stdout. */
#include "cli/cli.h"

#include <string.h>

static int run(td_cli *cli, int argc, char **argv)
{
    td_export_format fmt = TD_EXPORT_JSONL;
    const char *outpath = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (td_cli_db_option(cli, argc, argv, &i))
            continue;
        const char *v = NULL;
        if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0)
            v = i + 1 < argc ? argv[++i] : "";
        else if (strncmp(a, "--format=", 9) == 0)
            v = a + 9;
        if (v) {
            if (strcmp(v, "jsonl") == 0)
                fmt = TD_EXPORT_JSONL;
            else if (strcmp(v, "csv") == 0)
                fmt = TD_EXPORT_CSV;
            else {
                td_cli_error("export: unknown format '%s' (jsonl or csv)", v);
                return TD_EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc) {
                td_cli_error("%s needs a file name", a);
                return TD_EXIT_USAGE;
            }
            outpath = argv[++i];
            continue;
        }
        td_cli_error("export: unknown argument '%s' (see `tidings export --help`)", a);
        return TD_EXIT_USAGE;
    }
    td_engine *e = td_cli_open(cli, true);
    if (!e)
        return td_cli_exit_for(cli->open_status);
    FILE *out = stdout;
    if (outpath && !(out = fopen(outpath, "w"))) {
        td_cli_error("%s: cannot write", outpath);
        td_engine_close(e);
        return TD_EXIT_IO;
    }
    td_status st = td_export(e, out, fmt);
    if (st != TD_OK)
        td_cli_error("%s", td_engine_errmsg(e));
    if (out != stdout && fclose(out) != 0 && st == TD_OK) {
        td_cli_error("%s: cannot write", outpath);
        st = TD_EIO;
    }
    td_engine_close(e);
    return td_cli_exit_for(st);
}

const td_command td_cmd_export = {
    "export",
    "write every record as JSON lines or CSV",
    run,
    "usage: tidings export [--db FILE] [--format jsonl|csv] [-o FILE]\n"
    "\n"
    "Writes the database's records to standard output (or FILE).\n"
    "  jsonl  one JSON object per line, \"kind\" says which record it is:\n"
    "         article {id, url, outlet, title, published, story, duplicate_of,\n"
    "         byline, dateline, subtitle, captions, body}, story {id, title,\n"
    "         first_seen, last_seen, articles}; dates are YYYY-MM-DD or null\n"
    "  csv    one row per article (RFC 4180, header line first)\n"
    "Exit: 0 ok, 3 no such database, 4 database error, 5 cannot write.\n",
};
