/*
 * read.h - the read stage: turns paths and streams into td_input records.
 *
 * A path is a file, a directory (walked recursively, in sorted order so runs
 * are reproducible, hidden entries skipped) or "-" for standard input. The
 * format of each file is found from its content, not its name:
 *   - WARC: "WARC/1." at the start, or a gzip stream whose first member
 *     inflates to it (read/warc.h; streamed record by record);
 *   - JSON lines: the first non-blank byte is '{' (one article per line);
 *   - HTML: td_html_sniff (read/html.h) says so (when the HTML reader is built in);
 *   - binary: NUL bytes or mostly control bytes in the first 4 KB: skipped;
 *   - otherwise scraped plain text: the whole file is one article whose id is
 *     the file name without its extension.
 * Bad input is reported through warn and counted, never fatal.
 */
#ifndef TD_READ_H
#define TD_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tidings.h"
#include "base/str.h"

typedef enum td_format { TD_FMT_UNKNOWN = 0, TD_FMT_TEXT, TD_FMT_JSONL, TD_FMT_HTML, TD_FMT_BINARY,
                         TD_FMT_WARC } td_format;

typedef struct td_reader {
    /* called for every article; a non-OK return from emit stops the read
     * only for TD_EDB/TD_EBUSY/TD_EREADONLY/TD_ENOMEM (the store is unusable) */
    td_status (*emit)(void *ud, const td_input *in);
    /* called for every skipped article or file; where = "file" or "file:line" */
    void (*warn)(void *ud, const char *where, const char *msg);
    void *ud;
    uint64_t max_article_bytes;   /* larger articles (or JSON lines) are skipped */
    uint64_t files, skipped, bytes;  /* counters, added to */
    uint64_t max_line_bytes;      /* longer JSON lines are skipped, never held whole;
                                     0 = 2 * max_article_bytes + 4096 */
} td_reader;

/* Names the format of a buffer's first bytes. */
td_format td_read_sniff(td_str head);
const char *td_format_name(td_format f);

/*
 * Reads path (file, directory or "-"). Returns TD_OK when everything that
 * could be read was handed to emit, TD_ENOTFOUND/TD_EIO when path itself
 * cannot be read (after a warning), or the fatal status emit returned.
 */
td_status td_read_path(td_reader *r, const char *path);
/* Reads one open stream whose display name is name. */
td_status td_read_stream(td_reader *r, FILE *f, const char *name);

/* JSON lines (jsonl.c): parses one line into in (strings point into json
 * values kept alive by *keep, freed with td_read_jsonl_release). */
td_status td_read_jsonl_line(const char *line, size_t len, td_input *in, void **keep, char *errbuf, size_t errlen);
void td_read_jsonl_release(void *keep);

#endif
