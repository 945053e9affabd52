/*
 * store.h - the one interface to the database. The SQLite backend
 * (sqlite.c) is the default; a PostgreSQL backend (a later issue) goes behind
 * the same functions, chosen by the URI given to td_store_open.
 *
 * Writes happen in batched transactions: td_store_begin/td_store_commit wrap
 * many articles; statements are prepared once per store and reused.
 * Stage-specific persistence lives in its own file (sqlite_<stage>.c with a
 * store_<stage>.h header) and reaches the connection via td_store_db().
 */
#ifndef TD_STORE_H
#define TD_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "tidings.h"
#include "base/buf.h"
#include "db/db.h"
#include "types.h"

typedef struct td_store td_store;

/*
 * Opens or creates the database at path and runs pending migrations.
 * On failure *out is untouched and err holds a message naming the file.
 * @return TD_OK, TD_EDB, TD_EBUSY (locked), TD_EREADONLY or TD_ENOMEM.
 */
td_status td_store_open(const char *path, bool read_only, td_store **out, td_buf *err);
void td_store_close(td_store *s);
/* The SQLite connection, for stage files (sqlite_<stage>.c). */
sqlite3 *td_store_db(td_store *s);
/* The same connection through db.h, which PostgreSQL also speaks: code moved
 * onto it runs on both backends (docs/postgres.md, "Steps left"). */
td_db *td_store_sql(td_store *s);
/* The statement for sql, prepared on first use and kept until
 * td_store_close: for statements run per article by stage files. sql must be
 * a string with static storage (the cache is keyed by its address). The
 * caller resets it after use. NULL when it does not prepare (message in
 * td_store_errmsg). */
sqlite3_stmt *td_store_stmt(td_store *s, const char *sql);
/* The same, through db.h: the statement for sql on either backend, prepared
 * on first use and kept until td_store_close (cached by sql's address, which
 * must have static storage). The caller resets it after use. NULL when it
 * does not prepare (message in td_store_errmsg). Stage files moving off
 * sqlite3_* use this one (docs/postgres.md). */
td_stmt *td_store_sqlstmt(td_store *s, const char *sql);
/* The last error message of the store, never NULL. */
const char *td_store_errmsg(td_store *s);
/* The schema version after migrations. */
int td_store_schema_version(td_store *s);

/* The SQL of migration 9: the table fts_defer and the article_ai/article_au
 * triggers made conditional on it, so a transaction opened by
 * td_store_begin indexes its articles once, at td_store_commit (sqlite.c). */
extern const char TD_STORE_FTS_BATCH_SCHEMA[];

/* Transactions of the writer: the full-text index of the articles put in one
 * is written by td_store_commit; td_store_rollback drops it with them. */
td_status td_store_begin(td_store *s);
td_status td_store_commit(td_store *s);
td_status td_store_rollback(td_store *s);
bool td_store_in_tx(const td_store *s);

/*
 * Looks up an article by its id. TD_ENOTFOUND when absent; else *rowid and
 * *raw_hash (the hash of the input text) are written.
 */
td_status td_store_article_find(td_store *s, td_str id, int64_t *rowid, uint64_t *raw_hash);

/* Inserts the article, or replaces the stored one with the same id (its rowid
 * is kept). raw_hash identifies the input; removed_json is the JSON array of
 * dropped lines. *rowid gets the article's rowid. */
td_status td_store_article_put(td_store *s, const td_article *a, uint64_t raw_hash,
                               td_str removed_json, int64_t *rowid);

/* Reads the raw text and the JSONL-given fields of one article back, for
 * re-cleaning; strings are copied into arena. */
td_status td_store_article_raw(td_store *s, int64_t rowid, td_arena *arena, td_article *a);

/* Template lines per outlet: counts of articles containing a line hash. */
td_status td_store_outlet_lines_load(td_store *s, td_str outlet,
                                     void (*fn)(void *ud, uint64_t hash, uint32_t n), void *ud);
td_status td_store_outlet_line_add(td_store *s, td_str outlet, uint64_t hash, uint32_t n);

/* Number of rows in a table (for stats); -1 when the table does not exist. */
int64_t td_store_count(td_store *s, const char *table);

/* Maps a SQLite result code to a td_status. */
td_status td_store_status(int rc);

#endif
