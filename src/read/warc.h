/*
 * warc.h - WARC/1.0 and WARC/1.1 web archives (plain, or .warc.gz with one
 * gzip member per record) to td_input records, for the read stage.
 *
 * Every 'response' record whose HTTP status is 200 and whose payload is HTML
 * becomes one article: url = WARC-Target-URI, id = the uuid of WARC-Record-ID
 * (or, without one, NULL: the engine then hashes the content), html = 1.
 * published stays NULL on purpose: WARC-Date is when the page was fetched,
 * and the page's own date (JSON-LD, meta tags, <time>) is the better source.
 * Chunked transfer coding and gzip/deflate content coding are undone.
 *
 * Streaming: the file is read through a fixed 64 KB input buffer and a 128 KB
 * inflate buffer, members are inflated one at a time with a reused z_stream,
 * and only the record being emitted is held in memory (bounded by
 * max_article_bytes), so multi-GB archives run in constant memory and stdin
 * can be a pipe.
 *
 * Bad input is never fatal: a truncated record, a broken gzip member or bytes
 * between records that are not a record are reported through r->warn with the
 * byte offset, counted in r->skipped, and reading resumes at the next gzip
 * member (.warc.gz) or the next line starting "WARC/1." (plain). At the end a
 * summary ("a.warc.gz: 1,204 records: 980 pages, 200 skipped (not HTML), ...")
 * goes through r->warn whenever some record did not become a page. Records
 * that are not pages (requests, metadata, images, redirects) are expected in
 * crawls: they are counted in the summary, not in r->skipped.
 */
#ifndef TD_READ_WARC_H
#define TD_READ_WARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "read/read.h"

/* What one WARC stream held. */
typedef struct td_warc_stats {
    uint64_t records;       /* records started (whole or not) */
    uint64_t pages;         /* HTML 200 responses handed to emit */
    uint64_t not_response;  /* warcinfo, request, metadata, revisit, resource... */
    uint64_t not_html;      /* responses whose payload is not HTML */
    uint64_t not_200;       /* responses with another HTTP status */
    uint64_t too_large;     /* pages over max_article_bytes */
    uint64_t broken;        /* truncated or malformed records, bad HTTP, undecodable payloads */
    uint64_t bad_gzip;      /* broken gzip members */
    uint64_t garbage;       /* runs of bytes between records that are not a record */
} td_warc_stats;

/* Longest prefix td_warc_probe may consume (compressed bytes of a gzip head). */
#define TD_WARC_PROBE_MAX 4096

/* True when head starts with "WARC/1." (a plain WARC stream). */
bool td_warc_sniff(const void *head, size_t len);

/*
 * Decides whether the stream f is a WARC file, given its first byte (already
 * read with getc; 'W' or 0x1f are worth probing). Reads at most
 * TD_WARC_PROBE_MAX - 1 further bytes (a byte at a time, so it never waits on
 * a pipe for more than it needs), stores the consumed prefix, first byte
 * included, in head[0..*head_len) and returns true for "WARC/1." or a gzip
 * stream whose first member inflates to "WARC/1.". The caller must treat
 * head as the start of the stream whatever the answer. cap >= TD_WARC_PROBE_MAX.
 */
bool td_warc_probe(FILE *f, int first, unsigned char *head, size_t cap, size_t *head_len);

/*
 * Reads the WARC stream f whose first head_len bytes (head) were already
 * consumed (see td_warc_probe); name is used in messages. Every page goes to
 * r->emit; r->bytes grows by the bytes read (compressed, as on disk).
 * stats, if not NULL, receives the counts of this stream.
 * @return TD_OK when the stream was read to its end (bad records skipped),
 *         TD_ENOMEM, TD_EIO on a read error, or the fatal status of emit
 *         (TD_EDB, TD_EBUSY, TD_EREADONLY, TD_ENOMEM).
 */
td_status td_warc_read(td_reader *r, FILE *f, const char *name, const unsigned char *head, size_t head_len,
                       td_warc_stats *stats);

#endif
