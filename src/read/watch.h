/*
 * watch.h - what `tidings watch` remembers: the files it has ingested.
 *
 * A file is identified by its path and told apart from an older file of the
 * same name by (size, mtime in ns, inode): a file rewritten or replaced under
 * the same name is a new file and is ingested again (article ids keep that
 * idempotent). The table is watch_file (schema migration 5).
 *
 * Invariants: a file is recorded only after td_ingest_finish has committed
 * its articles, so a crash between the two re-ingests the file (harmless:
 * its articles come back "unchanged") and never loses it.
 */
#ifndef TD_READ_WATCH_H
#define TD_READ_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "store/store.h"

typedef struct td_watch_file {
    const char *path;     /* as found under the watched folder */
    uint64_t size;
    int64_t mtime_ns;
    uint64_t inode;
} td_watch_file;

/* Fills f (f->path = path, borrowed) from stat(2). TD_ENOTFOUND when the file
 * is gone, TD_EINVAL when it is not a regular file. */
td_status td_watch_stat(const char *path, td_watch_file *f);

/* True for file names worth ingesting: not hidden (".x"), not an editor or
 * download temporary (x~, x.tmp, x.part, x.swp), not a SQLite side file
 * (x-wal, x-shm, x-journal). */
bool td_watch_wanted(const char *name);

/* *known = the file (same path, size, mtime and inode) was ingested before.
 * TD_OK, or TD_EDB (message in td_store_errmsg). */
td_status td_watch_known(td_store *s, const td_watch_file *f, bool *known);

/* Records f as ingested with its article count (replacing an older entry of
 * the same path). TD_OK or TD_EDB/TD_EBUSY. */
td_status td_watch_record(td_store *s, const td_watch_file *f, uint64_t articles);

/* Number of files recorded, or -1 on error. */
int64_t td_watch_count(td_store *s);

#endif
