/*
 * db_pg.c - the PostgreSQL driver of db.h, through libpq.
 *
 * A td_stmt is a named server-side prepared statement (td1, td2, ... per
 * connection), prepared once with `?` rewritten to `$n` and the parameter
 * types left to the server to infer from the SQL. Parameters travel as text
 * (blobs in binary), results come back as text and are parsed on read: the
 * simplest form that keeps SQLite's typeless binding, and its cost is small
 * next to a network round trip. The first step of an execution fetches the
 * whole result (so several statements can be open at once on one connection,
 * as on SQLite); each further step moves a row cursor.
 *
 * Errors keep PostgreSQL's message (first line) in db->err; SQLSTATE classes
 * map to td_err: read-only transaction -> TD_EREADONLY, serialization
 * failure, deadlock and lock not available -> TD_EBUSY (the caller may
 * retry the transaction), others -> TD_EDB.
 */
#include "db/db_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Round trips to any PostgreSQL server by this process (statements run,
 * prepared and executed): the queries-per-article figure of the worker bench. */
static _Atomic uint64_t pg_round_trips;

uint64_t td_db_pg_round_trips(void)
{
    return atomic_load_explicit(&pg_round_trips, memory_order_relaxed);
}

void td_db_target_redacted(const char *url, td_buf *out)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && colon && colon < at) {
        td_buf_append(out, url, (size_t)(colon + 1 - url));
        td_buf_puts(out, "***");
        td_buf_puts(out, at);
    } else {
        td_buf_puts(out, url);
    }
}

/* The first line of libpq's message, without its trailing newline. */
static void set_err(td_db *db, const char *msg)
{
    db->status = TD_EDB; /* refined by the caller from the SQLSTATE */
    td_buf_clear(&db->err);
    if (!msg || !*msg)
        msg = "unknown PostgreSQL error";
    size_t n = strcspn(msg, "\n");
    td_buf_append(&db->err, msg, n);
}

static int state_err(const PGresult *r)
{
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!s)
        return TD_EDB;
    if (strcmp(s, "25006") == 0)
        return TD_EREADONLY;
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0)
        return TD_EBUSY;
    return TD_EDB;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs (e.g. "relation already exists, skipping") are not errors */
}

int td_pg_open(const char *url, unsigned flags, td_db *db, td_buf *err)
{
    db->kind = TD_DB_POSTGRES;
    db->pg = PQconnectdb(url);
    if (!db->pg) {
        td_buf_puts(err, "cannot connect to PostgreSQL: out of memory");
        return TD_ENOMEM;
    }
    if (PQstatus(db->pg) != CONNECTION_OK) {
        td_buf_puts(err, "cannot connect to ");
        td_db_target_redacted(url, err);
        td_buf_puts(err, ": ");
        const char *m = PQerrorMessage(db->pg);
        td_buf_append(err, m, strcspn(m, "\n"));
        return TD_EDB;
    }
    PQsetNoticeProcessor(db->pg, quiet_notice, NULL);
    const char *setup = (flags & TD_DB_READONLY)
        ? "SET client_min_messages = warning; SET default_transaction_read_only = on"
        : "SET client_min_messages = warning";
    return td_pg_exec(db, setup, err);
}

void td_pg_close(td_db *db)
{
    if (db->pg)
        PQfinish(db->pg);
    db->pg = NULL;
}

int td_pg_exec(td_db *db, const char *sql, td_buf *err)
{
    atomic_fetch_add_explicit(&pg_round_trips, 1, memory_order_relaxed);
    PGresult *r = PQexec(db->pg, sql);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        set_err(db, r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg));
        td_buf_puts(err, db->err.p);
        int rc = db->status = state_err(r);
        PQclear(r);
        return rc;
    }
    db->changes = strtoll(PQcmdTuples(r), NULL, 10);
    db->status = TD_OK;
    PQclear(r);
    return TD_OK;
}

int td_pg_prepare(td_db *db, const char *sql, td_stmt *st, td_buf *err)
{
    td_buf pg = TD_BUF_INIT;
    int n = td_db_sql_to_pg(sql, &pg);
    if (n < 0 || !pg.p) {
        td_buf_printf(err, "bad parameter number in: %.80s", sql);
        td_buf_free(&pg);
        return TD_EINVAL;
    }
    snprintf(st->name, sizeof st->name, "td%u", ++db->next_name);
    atomic_fetch_add_explicit(&pg_round_trips, 1, memory_order_relaxed);
    PGresult *r = PQprepare(db->pg, st->name, pg.p, 0, NULL);
    td_buf_free(&pg);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        set_err(db, r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg));
        td_buf_printf(err, "%s (in: %.80s)", db->err.p, sql);
        int rc = db->status = state_err(r);
        PQclear(r);
        st->name[0] = '\0'; /* nothing to deallocate */
        return rc;
    }
    PQclear(r);
    st->n_params = n;
    if (n > 0) {
        st->params = calloc((size_t)n, sizeof *st->params);
        if (!st->params)
            return TD_ENOMEM;
    }
    return TD_OK;
}

static void drop_blobs(td_stmt *st)
{
    if (!st->blobs || !st->res)
        return;
    for (int c = 0; c < PQnfields(st->res); c++) {
        free(st->blobs[c]);
        st->blobs[c] = NULL;
    }
}

void td_pg_reset(td_stmt *st)
{
    drop_blobs(st);
    free(st->blobs);
    free(st->blob_len);
    st->blobs = NULL;
    st->blob_len = NULL;
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->done = false;
}

int td_pg_bind(td_stmt *st, int i, const char *v, int len, bool blob)
{
    if (i < 1 || i > st->n_params || len < 0)
        return TD_EINVAL;
    if (st->res || st->done)
        td_pg_reset(st); /* binding starts a new execution */
    pg_param *p = &st->params[i - 1];
    free(p->v);
    *p = (pg_param){ 0 };
    if (v) {
        p->v = malloc((size_t)len + 1);
        if (!p->v)
            return TD_ENOMEM;
        memcpy(p->v, v, (size_t)len);
        p->v[len] = '\0';
        p->len = len;
        p->blob = blob;
    }
    return TD_OK;
}

/* Sends the statement with its parameters; the whole result is kept. */
static int execute(td_stmt *st)
{
    enum { STACK = 16 };
    const char *vals_s[STACK];
    int lens_s[STACK], fmts_s[STACK];
    const char **vals = vals_s;
    int *lens = lens_s, *fmts = fmts_s;
    if (st->n_params > STACK) {
        vals = malloc((size_t)st->n_params * sizeof *vals);
        lens = malloc((size_t)st->n_params * sizeof *lens);
        fmts = malloc((size_t)st->n_params * sizeof *fmts);
        if (!vals || !lens || !fmts) {
            free(vals); free(lens); free(fmts);
            return TD_ENOMEM;
        }
    }
    for (int i = 0; i < st->n_params; i++) {
        vals[i] = st->params[i].v;
        lens[i] = st->params[i].len;
        fmts[i] = st->params[i].blob ? 1 : 0;
    }
    atomic_fetch_add_explicit(&pg_round_trips, 1, memory_order_relaxed);
    st->res = PQexecPrepared(st->db->pg, st->name, st->n_params, vals, lens, fmts, 0);
    if (vals != vals_s) {
        free(vals); free(lens); free(fmts);
    }
    ExecStatusType s = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        set_err(st->db, st->res ? PQresultErrorMessage(st->res) : PQerrorMessage(st->db->pg));
        int rc = st->db->status = state_err(st->res);
        PQclear(st->res);
        st->res = NULL;
        st->done = true;
        return rc;
    }
    st->db->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
    st->db->status = TD_OK;
    int nf = PQnfields(st->res);
    if (nf > 0) {
        st->blobs = calloc((size_t)nf, sizeof *st->blobs);
        st->blob_len = calloc((size_t)nf, sizeof *st->blob_len);
        if (!st->blobs || !st->blob_len)
            return TD_ENOMEM;
    }
    st->row = -1;
    return TD_OK;
}

int td_pg_step(td_stmt *st)
{
    if (st->done)
        td_pg_reset(st); /* stepping past the end runs it again, as SQLite does */
    if (!st->res) {
        int rc = execute(st);
        if (rc != TD_OK)
            return -rc;
    }
    drop_blobs(st);
    st->row++;
    if (st->row < PQntuples(st->res))
        return TD_DB_ROW;
    st->done = true;
    return TD_DB_DONE;
}

void td_pg_finalize(td_stmt *st)
{
    td_pg_reset(st);
    for (int i = 0; i < st->n_params; i++)
        free(st->params[i].v);
    free(st->params);
    if (st->name[0] && st->db->pg && PQstatus(st->db->pg) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->db->pg, sql)); /* fails harmlessly in an aborted transaction */
    }
}

/* Type OIDs from PostgreSQL's pg_type.dat; stable across versions. */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

td_col_type td_pg_type(td_stmt *st, int col)
{
    if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col < 0 || col >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, col))
        return TD_COL_NULL;
    switch (PQftype(st->res, col)) {
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
        return TD_COL_INT;
    case OID_FLOAT4: case OID_FLOAT8:
        return TD_COL_FLOAT;
    case OID_NUMERIC: /* sum() and avg() of integers: whole numbers read as integers */
        return strpbrk(PQgetvalue(st->res, st->row, col), ".eEN") ? TD_COL_FLOAT : TD_COL_INT;
    case OID_BYTEA:
        return TD_COL_BLOB;
    default:
        return TD_COL_TEXT;
    }
}

const void *td_pg_blob(td_stmt *st, int col, int *len)
{
    *len = 0;
    if (td_pg_type(st, col) != TD_COL_BLOB || !st->blobs)
        return NULL;
    if (!st->blobs[col]) {
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), &n);
        if (!raw)
            return NULL;
        char *copy = malloc(n + 1); /* NUL-terminated: td_stmt_text may hand it out */
        if (copy) {
            memcpy(copy, raw, n);
            copy[n] = '\0';
        }
        PQfreemem(raw);
        st->blobs[col] = copy;
        st->blob_len[col] = copy ? n : 0;
    }
    *len = (int)st->blob_len[col];
    return st->blobs[col];
}
