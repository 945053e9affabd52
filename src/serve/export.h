/*
 * export.h - writers of the store's records in the formats analysts' tools
 * read. Each kind of record has its own writer; td_export (tidings.h) calls
 * them in order. Later stages add their kinds (event, entity, quote) here.
 */
#ifndef TD_SERVE_EXPORT_H
#define TD_SERVE_EXPORT_H

#include <stdio.h>

#include "tidings.h"
#include "store/store.h"

/* One writer of one kind of record. */
typedef td_status (*td_export_fn)(td_store *s, FILE *out, td_export_format fmt, td_buf *err);

td_status td_export_articles(td_store *s, FILE *out, td_export_format fmt, td_buf *err);
td_status td_export_stories(td_store *s, FILE *out, td_export_format fmt, td_buf *err);

/* Appends v as a CSV field (quoted when needed, RFC 4180). */
void td_csv_field(td_buf *b, td_str v);

#endif
