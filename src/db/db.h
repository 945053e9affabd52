/*
 * db.h - one SQL interface over the two databases tidings runs on: SQLite (the
 * database argument is a file path) and PostgreSQL (a postgresql:// or
 * postgres:// URL, through libpq). docs/postgres.md says how the store moves
 * onto it and why the interface has this shape.
 *
 * The shape is SQLite's: prepare once, bind, step row by row, read columns,
 * reset, finalize. Callers keep one way of writing queries; SQL is written
 * with `?` or `?NNN` placeholders in the subset both dialects share (see
 * docs/postgres.md), and the PostgreSQL driver numbers them `$n`.
 *
 * Invariants:
 * - Parameter indexes are 1-based, column indexes 0-based, as in SQLite.
 * - Bound text and blobs are copied: the caller's buffer may go at once.
 * - Bindings survive td_stmt_reset (as in SQLite); td_stmt_clear drops them.
 * - A column's text or blob pointer is valid until the next step, reset or
 *   finalize of its statement.
 * - PostgreSQL: a statement's whole result is fetched at its first step, so
 *   statements may be interleaved on one connection (a loop over one query
 *   running others) exactly as on SQLite; a query meant to return millions of
 *   rows should page with LIMIT/keyset instead.
 */
#ifndef TD_DB_H
#define TD_DB_H

#include "base/buf.h"
#include "tidings.h" /* td_err */

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct td_db td_db;
typedef struct td_stmt td_stmt;

typedef enum td_db_kind { TD_DB_SQLITE = 1, TD_DB_POSTGRES = 2 } td_db_kind;

/* td_stmt_step's results; a failure is a negative td_err (TD_E* negated). */
enum { TD_DB_ROW = 100, TD_DB_DONE = 101 };

typedef enum td_col_type {
    TD_COL_NULL = 0, TD_COL_INT, TD_COL_FLOAT, TD_COL_TEXT, TD_COL_BLOB
} td_col_type;

/* td_db_open flags */
enum {
    TD_DB_READONLY = 1u << 0, /* no write is possible through this handle */
    TD_DB_CREATE = 1u << 1    /* SQLite: create the file when missing */
};

/* True when target names a PostgreSQL database (postgresql:// or postgres://). */
bool td_db_is_url(const char *target);
/* Appends target to out with a URL's password replaced by "***" (messages). */
void td_db_target_redacted(const char *target, td_buf *out);

/* Opens target (a path or a URL). TD_OK and *out, or TD_EDB / TD_EBUSY /
 * TD_ENOTFOUND / TD_ENOMEM with err naming the database (a URL's password is
 * never printed; err may be NULL). */
int td_db_open(const char *target, unsigned flags, td_db **out, td_buf *err);
void td_db_close(td_db *db);
td_db_kind td_db_kind_of(const td_db *db);

/* A td_db over a SQLite connection opened elsewhere (the store's, while the
 * store still opens its own): td_db_close frees the wrapper, never closes
 * lite. TD_OK or TD_ENOMEM. */
int td_db_wrap_sqlite(sqlite3 *lite, td_db **out);
/* The SQLite connection under db, or NULL on PostgreSQL: for what only
 * SQLite has (custom SQL functions, FTS5 auxiliaries, backups) until those
 * have a PostgreSQL form (docs/postgres.md). */
sqlite3 *td_db_sqlite(td_db *db);

/* Runs one or more statements without parameters or results (DDL, pragmas).
 * err may be NULL here and in td_db_prepare: td_db_errmsg says why. */
int td_db_exec(td_db *db, const char *sql, td_buf *err);

/* Transactions. write: SQLite takes the write lock at once (BEGIN IMMEDIATE)
 * so a later write cannot fail with busy half-way; PostgreSQL's BEGIN. */
int td_db_begin(td_db *db, bool write, td_buf *err);
int td_db_commit(td_db *db, td_buf *err);
int td_db_rollback(td_db *db);
/* True inside a transaction (BEGIN seen, no COMMIT/ROLLBACK yet). */
bool td_db_in_transaction(const td_db *db);

/* Rows changed by the last INSERT/UPDATE/DELETE statement stepped. */
int64_t td_db_changes(const td_db *db);
/* The td_err of the last failure on db (TD_EBUSY for a locked database...),
 * TD_OK when the last call succeeded. */
int td_db_status(const td_db *db);
/* The last error's message from the database (never NULL). */
const char *td_db_errmsg(const td_db *db);

int td_db_prepare(td_db *db, const char *sql, td_stmt **out, td_buf *err);
int td_stmt_bind_i64(td_stmt *st, int i, int64_t v);
int td_stmt_bind_double(td_stmt *st, int i, double v);
/* n < 0: s is NUL-terminated. s == NULL binds NULL. */
int td_stmt_bind_text(td_stmt *st, int i, const char *s, int n);
int td_stmt_bind_blob(td_stmt *st, int i, const void *p, int n);
int td_stmt_bind_null(td_stmt *st, int i);
/* TD_DB_ROW, TD_DB_DONE, or -TD_EDB / -TD_EBUSY / -TD_EREADONLY
 * (td_db_errmsg says why). */
int td_stmt_step(td_stmt *st);
int td_stmt_reset(td_stmt *st);
void td_stmt_clear(td_stmt *st);
void td_stmt_finalize(td_stmt *st);

int td_stmt_columns(td_stmt *st);
const char *td_stmt_column_name(td_stmt *st, int col);
td_col_type td_stmt_type(td_stmt *st, int col);
int64_t td_stmt_i64(td_stmt *st, int col);
double td_stmt_double(td_stmt *st, int col);
/* NULL for a NULL value. */
const char *td_stmt_text(td_stmt *st, int col);
const void *td_stmt_blob(td_stmt *st, int col);
int td_stmt_bytes(td_stmt *st, int col);

/* Round trips this process made to PostgreSQL servers so far (statements
 * executed or prepared): a cost figure for benchmarks. */
uint64_t td_db_pg_round_trips(void);

/* The SQL text PostgreSQL is sent for sql: `?` and `?NNN` placeholders outside
 * strings, quoted names and comments become `$n`. Returns the number of
 * parameters, or -1 when a `?NNN` is out of range. Exposed for tests. */
int td_db_sql_to_pg(const char *sql, td_buf *out);

#endif
