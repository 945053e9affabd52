/*
 * db.c - the public side of db.h: checks arguments, then hands each call to
 * the backend's driver (SQLite calls are made here directly, they map one to
 * one; PostgreSQL's are in db_pg.c). Also the placeholder rewriting
 * (td_db_sql_to_pg), which both the driver and the tests use.
 *
 * The handles and statements of db.c and db_pg.c come from the C library's
 * allocator, not base/alloc.h: they are the database's side of the boundary,
 * like SQLite's and libpq's own memory, so the allocation-failure tests
 * (td_alloc_fail_after) exercise the code that uses the database, not the
 * bookkeeping under it. Running out still returns TD_ENOMEM.
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool td_db_is_url(const char *target)
{
    return target && (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

int td_db_open(const char *target, unsigned flags, td_db **out, td_buf *err)
{
    td_buf scratch = TD_BUF_INIT;
    if (!err) {
        int rc = td_db_open(target, flags, out, &scratch);
        td_buf_free(&scratch);
        return rc;
    }
    *out = NULL;
    if (!target || !*target) {
        td_buf_puts(err, "no database given");
        return TD_EINVAL;
    }
    td_db *db = calloc(1, sizeof *db);
    if (!db)
        return TD_ENOMEM;
    db->flags = flags;
    int rc = td_db_is_url(target) ? td_pg_open(target, flags, db, err) : td_lite_open(target, flags, db, err);
    if (rc != TD_OK) {
        td_db_close(db);
        return rc;
    }
    *out = db;
    return TD_OK;
}

void td_db_close(td_db *db)
{
    if (!db)
        return;
    if (db->kind == TD_DB_POSTGRES)
        td_pg_close(db);
    else if (db->lite && !db->borrowed)
        sqlite3_close_v2(db->lite);
    td_buf_free(&db->err);
    free(db);
}

td_db_kind td_db_kind_of(const td_db *db)
{
    return db->kind;
}

int td_db_wrap_sqlite(sqlite3 *lite, td_db **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return TD_ENOMEM;
    (*out)->kind = TD_DB_SQLITE;
    (*out)->lite = lite;
    (*out)->borrowed = true;
    return TD_OK;
}

sqlite3 *td_db_sqlite(td_db *db)
{
    return db->kind == TD_DB_SQLITE ? db->lite : NULL;
}

/* SQLite result code -> td_err */
static int lite_err(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return TD_EBUSY;
    case SQLITE_READONLY: return TD_EREADONLY;
    case SQLITE_NOMEM: return TD_ENOMEM;
    case SQLITE_CANTOPEN: return TD_ENOTFOUND;
    default: return TD_EDB;
    }
}

int td_lite_open(const char *path, unsigned flags, td_db *db, td_buf *err)
{
    db->kind = TD_DB_SQLITE;
    int of = (flags & TD_DB_READONLY) ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | ((flags & TD_DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &db->lite, of | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        td_buf_printf(err, "cannot open database %s: %s", path,
                      db->lite ? sqlite3_errmsg(db->lite) : sqlite3_errstr(rc));
        return lite_err(rc);
    }
    sqlite3_extended_result_codes(db->lite, 0);
    sqlite3_busy_timeout(db->lite, 5000);
    return TD_OK;
}

int td_db_exec(td_db *db, const char *sql, td_buf *err)
{
    td_buf scratch = TD_BUF_INIT;
    if (!err) {
        int rc = td_db_exec(db, sql, &scratch);
        td_buf_free(&scratch);
        return rc;
    }
    if (db->kind == TD_DB_POSTGRES)
        return td_pg_exec(db, sql, err);
    char *msg = NULL;
    int rc = sqlite3_exec(db->lite, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        td_buf_printf(err, "%s", msg ? msg : sqlite3_errmsg(db->lite));
        sqlite3_free(msg);
        return lite_err(rc);
    }
    db->changes = sqlite3_changes(db->lite);
    return TD_OK;
}

int td_db_begin(td_db *db, bool write, td_buf *err)
{
    if (db->kind == TD_DB_SQLITE)
        return td_db_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
    return td_db_exec(db, "BEGIN", err);
}

int td_db_commit(td_db *db, td_buf *err)
{
    return td_db_exec(db, "COMMIT", err);
}

int td_db_rollback(td_db *db)
{
    td_buf ignore = TD_BUF_INIT;
    int rc = td_db_exec(db, "ROLLBACK", &ignore);
    td_buf_free(&ignore);
    return rc;
}

bool td_db_in_transaction(const td_db *db)
{
    if (db->kind == TD_DB_SQLITE)
        return !sqlite3_get_autocommit(db->lite);
    return PQtransactionStatus(db->pg) != PQTRANS_IDLE;
}

int64_t td_db_changes(const td_db *db)
{
    return db->changes;
}

int td_db_status(const td_db *db)
{
    if (db->kind == TD_DB_SQLITE)
        return sqlite3_errcode(db->lite) == SQLITE_OK ? TD_OK : lite_err(sqlite3_errcode(db->lite));
    return db->status;
}

const char *td_db_errmsg(const td_db *db)
{
    if (db->kind == TD_DB_SQLITE)
        return db->lite ? sqlite3_errmsg(db->lite) : "database not open";
    return db->err.p ? db->err.p : "";
}

int td_db_prepare(td_db *db, const char *sql, td_stmt **out, td_buf *err)
{
    td_buf scratch = TD_BUF_INIT;
    if (!err) {
        int rc = td_db_prepare(db, sql, out, &scratch);
        td_buf_free(&scratch);
        return rc;
    }
    *out = NULL;
    td_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return TD_ENOMEM;
    st->db = db;
    st->row = -1;
    int rc;
    if (db->kind == TD_DB_POSTGRES) {
        rc = td_pg_prepare(db, sql, st, err);
    } else {
        int lrc = sqlite3_prepare_v2(db->lite, sql, -1, &st->lite, NULL);
        rc = lrc == SQLITE_OK ? TD_OK : lite_err(lrc);
        if (rc != TD_OK)
            td_buf_printf(err, "%s (in: %.80s)", sqlite3_errmsg(db->lite), sql);
        else if (!st->lite) { /* only spaces or comments */
            td_buf_printf(err, "no SQL statement in: %.80s", sql);
            rc = TD_EINVAL;
        }
    }
    if (rc != TD_OK) {
        td_stmt_finalize(st);
        return rc;
    }
    *out = st;
    return TD_OK;
}

static int lite_bind(td_stmt *st, int lrc)
{
    return lrc == SQLITE_OK ? TD_OK : (lrc == SQLITE_RANGE ? TD_EINVAL : lite_err(lrc));
}

int td_stmt_bind_i64(td_stmt *st, int i, int64_t v)
{
    if (st->db->kind == TD_DB_SQLITE)
        return lite_bind(st, sqlite3_bind_int64(st->lite, i, v));
    char s[24];
    int n = snprintf(s, sizeof s, "%lld", (long long)v);
    return td_pg_bind(st, i, s, n, false);
}

int td_stmt_bind_double(td_stmt *st, int i, double v)
{
    if (st->db->kind == TD_DB_SQLITE)
        return lite_bind(st, sqlite3_bind_double(st->lite, i, v));
    char s[40];
    int n = snprintf(s, sizeof s, "%.17g", v); /* round-trips every double */
    return td_pg_bind(st, i, s, n, false);
}

int td_stmt_bind_text(td_stmt *st, int i, const char *s, int n)
{
    if (!s)
        return td_stmt_bind_null(st, i);
    if (n < 0)
        n = (int)strlen(s);
    if (st->db->kind == TD_DB_SQLITE)
        return lite_bind(st, sqlite3_bind_text(st->lite, i, s, n, SQLITE_TRANSIENT));
    return td_pg_bind(st, i, s, n, false);
}

int td_stmt_bind_blob(td_stmt *st, int i, const void *p, int n)
{
    if (!p)
        return td_stmt_bind_null(st, i);
    if (st->db->kind == TD_DB_SQLITE)
        return lite_bind(st, sqlite3_bind_blob(st->lite, i, p, n, SQLITE_TRANSIENT));
    return td_pg_bind(st, i, p, n, true);
}

int td_stmt_bind_null(td_stmt *st, int i)
{
    if (st->db->kind == TD_DB_SQLITE)
        return lite_bind(st, sqlite3_bind_null(st->lite, i));
    return td_pg_bind(st, i, NULL, 0, false);
}

int td_stmt_step(td_stmt *st)
{
    if (st->db->kind != TD_DB_SQLITE)
        return td_pg_step(st);
    int rc = sqlite3_step(st->lite);
    if (rc == SQLITE_ROW)
        return TD_DB_ROW;
    if (rc == SQLITE_DONE) {
        st->db->changes = sqlite3_changes(st->db->lite);
        return TD_DB_DONE;
    }
    return -lite_err(rc);
}

int td_stmt_reset(td_stmt *st)
{
    if (st->db->kind == TD_DB_SQLITE) {
        sqlite3_reset(st->lite);
        return TD_OK;
    }
    td_pg_reset(st);
    return TD_OK;
}

void td_stmt_clear(td_stmt *st)
{
    if (st->db->kind == TD_DB_SQLITE) {
        sqlite3_clear_bindings(st->lite);
        return;
    }
    for (int i = 0; i < st->n_params; i++) {
        free(st->params[i].v);
        st->params[i] = (pg_param){ 0 };
    }
}

void td_stmt_finalize(td_stmt *st)
{
    if (!st)
        return;
    if (st->db->kind == TD_DB_POSTGRES)
        td_pg_finalize(st);
    else
        sqlite3_finalize(st->lite);
    free(st);
}

int td_stmt_columns(td_stmt *st)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_count(st->lite);
    return st->res ? PQnfields(st->res) : 0;
}

const char *td_stmt_column_name(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_name(st->lite, col);
    return st->res && col >= 0 && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
}

td_col_type td_stmt_type(td_stmt *st, int col)
{
    if (st->db->kind != TD_DB_SQLITE)
        return td_pg_type(st, col);
    switch (sqlite3_column_type(st->lite, col)) {
    case SQLITE_INTEGER: return TD_COL_INT;
    case SQLITE_FLOAT: return TD_COL_FLOAT;
    case SQLITE_TEXT: return TD_COL_TEXT;
    case SQLITE_BLOB: return TD_COL_BLOB;
    default: return TD_COL_NULL;
    }
}

/* PostgreSQL: the current row's text of col, or NULL (NULL value, no row) */
static const char *pg_value(td_stmt *st, int col)
{
    if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col < 0 || col >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, col))
        return NULL;
    return PQgetvalue(st->res, st->row, col);
}

int64_t td_stmt_i64(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_int64(st->lite, col);
    const char *v = pg_value(st, col);
    if (!v)
        return 0;
    if (v[0] == 't' && v[1] == '\0') /* boolean */
        return 1;
    if (td_pg_type(st, col) == TD_COL_FLOAT)
        return (int64_t)strtod(v, NULL); /* as SQLite: a real read as integer is truncated */
    return strtoll(v, NULL, 10);
}

double td_stmt_double(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_double(st->lite, col);
    const char *v = pg_value(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

const char *td_stmt_text(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return (const char *)sqlite3_column_text(st->lite, col);
    if (td_pg_type(st, col) == TD_COL_BLOB) {
        int n;
        return td_pg_blob(st, col, &n); /* NUL-terminated by the decoder */
    }
    return pg_value(st, col);
}

const void *td_stmt_blob(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_blob(st->lite, col);
    int n;
    if (td_pg_type(st, col) == TD_COL_BLOB)
        return td_pg_blob(st, col, &n);
    return pg_value(st, col);
}

int td_stmt_bytes(td_stmt *st, int col)
{
    if (st->db->kind == TD_DB_SQLITE)
        return sqlite3_column_bytes(st->lite, col);
    int n = 0;
    if (td_pg_type(st, col) == TD_COL_BLOB) {
        td_pg_blob(st, col, &n);
        return n;
    }
    const char *v = pg_value(st, col);
    return v ? PQgetlength(st->res, st->row, col) : 0;
}

int td_db_sql_to_pg(const char *sql, td_buf *out)
{
    int next = 0, max = 0;
    const char *p = sql;
    while (*p) {
        char c = *p;
        if (c == '\'' || c == '"') { /* a string or a quoted name: copied as is ('' and "" escape) */
            const char *e = p + 1;
            for (;;) {
                if (!*e)
                    break;
                if (*e == c) {
                    if (e[1] == c) {
                        e += 2;
                        continue;
                    }
                    e++;
                    break;
                }
                e++;
            }
            td_buf_append(out, p, (size_t)(e - p));
            p = e;
        } else if (c == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            e = e ? e : p + strlen(p);
            td_buf_append(out, p, (size_t)(e - p));
            p = e;
        } else if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            e = e ? e + 2 : p + strlen(p);
            td_buf_append(out, p, (size_t)(e - p));
            p = e;
        } else if (c == '?') {
            p++;
            int n;
            if (*p >= '0' && *p <= '9') { /* ?NNN: that parameter */
                long v = strtol(p, (char **)&p, 10);
                if (v < 1 || v > 32766)
                    return -1;
                n = (int)v;
                if (n > next)
                    next = n;
            } else {
                n = ++next;
            }
            if (n > max)
                max = n;
            td_buf_printf(out, "$%d", n);
        } else {
            td_buf_append(out, p, 1);
            p++;
        }
    }
    return max;
}
