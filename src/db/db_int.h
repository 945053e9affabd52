/*
 * db_int.h - what db.c shares with its two drivers (db_sqlite.c, db_pg.c).
 *
 * td_db and td_stmt carry the backend in `kind`; db.c checks arguments and
 * switches to the driver. A PostgreSQL statement holds its parameters as text
 * (blobs as bytes) until the step that sends them, and the whole result of
 * that step (PGresult) with a row cursor.
 */
#ifndef TD_DB_INT_H
#define TD_DB_INT_H

#include "db/db.h"

#include <libpq-fe.h>
#include <sqlite3.h>

struct td_db {
    td_db_kind kind;
    sqlite3 *lite;
    PGconn *pg;
    int64_t changes;       /* PostgreSQL: rows of the last command */
    int status;            /* PostgreSQL: td_err of the last failure, or TD_OK */
    unsigned flags;
    bool borrowed;         /* lite belongs to someone else (td_db_wrap_sqlite) */
    unsigned next_name;    /* PostgreSQL: prepared statement names td1, td2... */
    td_buf err;            /* PostgreSQL: the last error, trimmed */
};

typedef struct pg_param {
    char *v;      /* NULL: SQL NULL */
    int len;
    bool blob;    /* sent in binary format */
} pg_param;

struct td_stmt {
    td_db *db;
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char name[24];
    int n_params;
    pg_param *params;
    PGresult *res;        /* the rows of the current execution, or NULL */
    int row;              /* the current row of res; -1 before the first */
    bool done;            /* res fully read, or a command without rows */
    void **blobs;         /* decoded bytea per column for the current row */
    size_t *blob_len;
};

/* Drivers: the same contract as the public functions in db.h. */
int td_lite_open(const char *path, unsigned flags, td_db *db, td_buf *err);
int td_pg_open(const char *url, unsigned flags, td_db *db, td_buf *err);
void td_pg_close(td_db *db);
int td_pg_exec(td_db *db, const char *sql, td_buf *err);
int td_pg_prepare(td_db *db, const char *sql, td_stmt *st, td_buf *err);
int td_pg_bind(td_stmt *st, int i, const char *v, int len, bool blob);
int td_pg_step(td_stmt *st);
void td_pg_reset(td_stmt *st);
void td_pg_finalize(td_stmt *st);
td_col_type td_pg_type(td_stmt *st, int col);
const void *td_pg_blob(td_stmt *st, int col, int *len);

#endif
