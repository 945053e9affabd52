/*
 * sqlite.c - the store's connection, migrations and articles, on SQLite (a
 * file path) or PostgreSQL (a postgresql:// URL), through db.h. The name is
 * historical: the stage files sqlite_<stage>.c speak db.h too
 * (docs/postgres.md). What only SQLite has (WAL pragmas, the FTS5 index
 * filled per batch below) runs only there; on PostgreSQL the article's
 * tsvector column is kept by the server (migration 1's PostgreSQL text) and
 * migrations run under an advisory lock, so workers starting together apply
 * each one once.
 *
 * SQLite:
 * One connection per store, in WAL mode with synchronous=NORMAL: a crash loses
 * at most the open transaction, never a committed one. The WAL is
 * checkpointed every 16384 pages (64 MB), not SQLite's 1000: index pages that
 * every batch touches are copied into the database once per checkpoint, so a
 * bulk ingest writes a quarter less to disk (bench/store_bench.c).
 * Statements used per article are prepared once in td_store_open and reset
 * after each use.
 * A busy database is waited for (busy_timeout) before TD_EBUSY is returned.
 *
 * Full-text index, filled once per batch: inside a transaction opened by
 * td_store_begin the table fts_defer holds one (never committed) row, which
 * turns the article_ai/article_au triggers off (migration 9). Each article
 * put records its rowid in fts_pending; td_store_commit indexes them all with
 * one INSERT ... SELECT just before COMMIT. Why: FTS5 writes its in-memory
 * terms to a new on-disk segment whenever a statement that needs a statement
 * journal ends, which the article INSERT (a trigger plus a UNIQUE id) always
 * does, so per-row triggers made one segment per article and merged them
 * again and again. Invariants: a rowid is in fts_pending only while its
 * transaction is open and its current title/body are not in the index yet;
 * an updated article already indexed has its old terms deleted before the
 * UPDATE. Connections that do not defer (the sqlite3 shell, other tools, a
 * store used outside td_store_begin) see no row and keep per-row triggers.
 */
#include "store/store.h"
#include "store/schema.h"
#include "base/alloc.h"
#include "base/map.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { ST_FIND, ST_INSERT, ST_UPDATE, ST_RAW, ST_LINES_LOAD, ST_LINE_ADD,
       ST_DEFER_ON, ST_DEFER_OFF, ST_FTS_DELETE, ST_FTS_FLUSH, ST_COUNT_ };

static const char *const SQL[ST_COUNT_] = {
    [ST_FIND] = "SELECT rowid, raw_hash FROM article WHERE id = ?1",
    [ST_INSERT] =
        ("INSERT INTO article (id, url, outlet, title, subtitle, byline, dateline, published,"
        " published_from, body, captions, removed, raw, given, raw_hash, body_hash, bad_utf8,"
        " source, source_line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"
        " RETURNING rowid"),
    [ST_UPDATE] =
        ("UPDATE article SET url=?2, outlet=?3, title=?4, subtitle=?5, byline=?6, dateline=?7,"
        " published=?8, published_from=?9, body=?10, captions=?11, removed=?12, raw=?13, given=?14,"
        " raw_hash=?15, body_hash=?16, bad_utf8=?17, source=?18, source_line=?19,"
        " ingested_at=?20 WHERE id=?1"),
    [ST_RAW] = "SELECT id, url, raw, given FROM article WHERE rowid = ?1",
    [ST_LINES_LOAD] = "SELECT hash, n FROM outlet_line WHERE outlet = ?1",
    [ST_LINE_ADD] = ("INSERT INTO outlet_line (outlet, hash, n) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (outlet, hash) DO UPDATE SET n = outlet_line.n + excluded.n"),
    [ST_DEFER_ON] = "INSERT INTO fts_defer VALUES (1)",
    [ST_DEFER_OFF] = "DELETE FROM fts_defer",
    [ST_FTS_DELETE] = ("INSERT INTO article_fts(article_fts, rowid, title, body)"
                       " SELECT 'delete', rowid, title, body FROM article WHERE rowid = ?1"),
    /* one statement for the batch: FTS5 keeps every row's terms in memory and
     * writes few, large segments */
    [ST_FTS_FLUSH] = ("INSERT INTO article_fts(rowid, title, body) SELECT rowid, title, body FROM article"
                      " WHERE rowid IN (SELECT value FROM json_each(?1)) ORDER BY rowid"),
};

const char TD_STORE_FTS_BATCH_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS fts_defer (x INTEGER);" /* a row only inside an open writer batch */
    "DROP TRIGGER IF EXISTS article_ai;"
    "CREATE TRIGGER article_ai AFTER INSERT ON article WHEN NOT EXISTS (SELECT 1 FROM fts_defer) BEGIN"
    "  INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);"
    "END;"
    "DROP TRIGGER IF EXISTS article_au;"
    "CREATE TRIGGER article_au AFTER UPDATE OF title, body ON article"
    "  WHEN NOT EXISTS (SELECT 1 FROM fts_defer) BEGIN"
    "  INSERT INTO article_fts(article_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);"
    "  INSERT INTO article_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);"
    "END;";

struct td_store {
    sqlite3 *db;               /* SQLite only: NULL on PostgreSQL */
    td_db *sql;                /* the connection through db.h (docs/postgres.md) */
    td_stmt *st[ST_COUNT_];    /* NULL for the SQLite-only ones on PostgreSQL */
    bool in_tx;
    bool fts_defer;      /* this transaction indexes its articles at commit */
    bool read_only;
    bool pg;             /* PostgreSQL: no FTS5 batch, no SQLite statement cache */
    struct { const char *sql; sqlite3_stmt *st; } cache[32]; /* td_store_stmt, by address */
    int n_cache;
    struct { const char *sql; td_stmt *st; } sqlcache[128]; /* td_store_sqlstmt, by address */
    int n_sqlcache;
    td_map fts_pending;  /* rowid -> 1: stored in this transaction, not indexed yet */
    td_buf fts_json;     /* the same rowids as a JSON array being built: "[1,2," */
    int version;
    char path[1024];
    td_buf err;
};

td_status td_store_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return TD_OK;
    case SQLITE_NOMEM: return TD_ENOMEM;
    case SQLITE_BUSY: case SQLITE_LOCKED: return TD_EBUSY;
    case SQLITE_READONLY: return TD_EREADONLY;
    default: return TD_EDB; /* CANTOPEN, IOERR, FULL, CORRUPT, NOTADB...: the database failed */
    }
}

/* Records "database: what: message" for a failure of the SQLite library
 * itself (opening) and returns the matching status. */
static td_status fail(td_store *s, int rc, const char *what)
{
    td_buf_clear(&s->err);
    td_buf_printf(&s->err, "%s: %s: %s", s->path, what, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_BUSY)
        td_buf_puts(&s->err, " (another process holds the database; try again when it has finished)");
    return td_store_status(rc);
}

/* The same for a failed db.h call: rc is its td_err (negated by step or
 * not), the message the database's. */
static td_status dbfail(td_store *s, int rc, const char *what)
{
    td_status st = rc < 0 ? (td_status)-rc : (td_status)rc;
    if (st == TD_OK)
        st = TD_EDB;
    td_buf_clear(&s->err);
    td_buf_printf(&s->err, "%s: %s: %s", s->path, what, td_db_errmsg(s->sql));
    if (st == TD_EBUSY)
        td_buf_puts(&s->err, " (another process holds the database; try again when it has finished)");
    return st;
}

sqlite3 *td_store_db(td_store *s) { return s->db; }
td_db *td_store_sql(td_store *s) { return s->sql; }
const char *td_store_errmsg(td_store *s) { return s->err.p ? s->err.p : ""; }
int td_store_schema_version(td_store *s) { return s->version; }
bool td_store_in_tx(const td_store *s) { return s->in_tx; }

/* td_db_exec: TD_OK or a td_err (message in td_db_errmsg). */
static int exec(td_store *s, const char *sql) { return td_db_exec(s->sql, sql, NULL); }

/* Steps a prepared statement once, then resets it and clears its bindings:
 * TD_DB_DONE / TD_DB_ROW or a negative td_err. */
static int run(td_stmt *st)
{
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    td_stmt_clear(st);
    return rc;
}

/* Reads one integer from a query into *out (-1 when it has no row): TD_OK or
 * a td_err. */
static int query_int(td_store *s, const char *sql, int *out)
{
    td_stmt *st = NULL;
    int rc = td_db_prepare(s->sql, sql, &st, NULL);
    if (rc != TD_OK)
        return rc;
    rc = td_stmt_step(st);
    *out = rc == TD_DB_ROW ? (int)td_stmt_i64(st, 0) : -1;
    td_stmt_finalize(st);
    return rc == TD_DB_ROW || rc == TD_DB_DONE ? TD_OK : -rc;
}

/* Which of the known migrations a database has: from schema_migration, or,
 * for a SQLite database made before that table, the legacy ones up to
 * user_version. Sets *newer when it has one this build does not know.
 * TD_OK or a td_err. */
static int applied_set(td_store *s, const td_migration *m, size_t n, bool *done, bool *has_table,
                       int *newer)
{
    int have = 0, t = 0, rc;
    *newer = 0;
    if (s->pg) {
        rc = query_int(s, "SELECT count(*) FROM information_schema.tables"
                          " WHERE table_name = 'schema_migration' AND table_schema = current_schema()", &t);
    } else {
        if ((rc = query_int(s, "PRAGMA user_version", &have)) != TD_OK)
            return rc;
        rc = query_int(s, "SELECT count(*) FROM sqlite_master WHERE name='schema_migration'", &t);
    }
    if (rc != TD_OK)
        return rc;
    *has_table = t > 0;
    for (size_t i = 0; i < n; i++)
        done[i] = !*has_table && m[i].legacy && m[i].version <= have;
    int known_max = n ? m[n - 1].version : 0;
    if (!*has_table) {
        if (have > known_max)
            *newer = have;
        return TD_OK;
    }
    td_stmt *st = NULL;
    if ((rc = td_db_prepare(s->sql, "SELECT version FROM schema_migration", &st, NULL)) != TD_OK)
        return rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        int v = (int)td_stmt_i64(st, 0);
        bool known = false;
        for (size_t i = 0; i < n; i++)
            if (m[i].version == v)
                done[i] = known = true;
        if (!known && v > *newer)
            *newer = v;
    }
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : -rc;
}

/* Runs sql with an integer and a text parameter (schema_migration rows). */
static int exec_int_text(td_store *s, const char *sql, int v, const char *text)
{
    td_stmt *st = NULL;
    int rc = td_db_prepare(s->sql, sql, &st, NULL);
    if (rc != TD_OK)
        return rc;
    td_stmt_bind_i64(st, 1, v);
    td_stmt_bind_text(st, 2, text, -1);
    rc = td_stmt_step(st);
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : -rc;
}

/* Applies every migration the database lacks, in order, each in its own
 * transaction together with its schema_migration row. On PostgreSQL the
 * caller holds the migration lock. */
static td_status migrate(td_store *s)
{
    size_t n;
    const td_migration *m = td_schema_migrations(&n);
    bool done[64] = { false }, has_table = false;
    if (n > sizeof done / sizeof done[0])
        return TD_ELIMIT;
    int newer = 0, rc = applied_set(s, m, n, done, &has_table, &newer);
    if (rc != TD_OK)
        return dbfail(s, rc, "reading the schema version");
    if (newer) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: schema migration %d is newer than this tidings (%d); upgrade tidings",
                      s->path, newer, n ? m[n - 1].version : 0);
        return TD_EDB;
    }
    size_t pending = 0, first = n;
    for (size_t i = 0; i < n; i++)
        if (!done[i] && pending++ == 0)
            first = i;
    s->version = n ? m[n - 1].version : 0;
    if (pending == 0)
        return TD_OK;
    if (s->read_only) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: the schema lacks migration %d (%s); open it once read-write",
                      s->path, m[first].version, m[first].name);
        return TD_EREADONLY;
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        const char *sql = s->pg ? m[i].sql_pg : m[i].sql;
        if (sql && !*sql) { /* a PostgreSQL text not written yet: say which */
            td_buf_clear(&s->err);
            td_buf_printf(&s->err, "%s: schema migration %d (%s) has no PostgreSQL form yet", s->path,
                          m[i].version, m[i].name);
            return TD_EDB;
        }
        if ((rc = td_db_begin(s->sql, true, NULL)) != TD_OK)
            return dbfail(s, rc, "starting a migration");
        rc = exec(s, s->pg ? "CREATE TABLE IF NOT EXISTS schema_migration ("
                             "  version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                             "  applied_at TEXT NOT NULL DEFAULT " TD_PG_NOW ")"
                           : "CREATE TABLE IF NOT EXISTS schema_migration ("
                             "  version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                             "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
        /* a legacy database: record what user_version said it had */
        for (size_t j = 0; rc == TD_OK && !has_table && j < n; j++)
            if (done[j])
                rc = exec_int_text(s, "INSERT INTO schema_migration(version, name) VALUES (?1, ?2)"
                                      " ON CONFLICT (version) DO NOTHING", m[j].version, m[j].name);
        if (rc == TD_OK && sql)
            rc = exec(s, sql);
        if (rc == TD_OK)
            rc = exec_int_text(s, "INSERT INTO schema_migration(version, name) VALUES (?1, ?2)", m[i].version,
                               m[i].name);
        if (rc == TD_OK && !s->pg) {
            char pragma[48];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m[n - 1].version);
            rc = exec(s, pragma);
        }
        if (rc != TD_OK) {
            td_status st2 = dbfail(s, rc, m[i].name);
            td_db_rollback(s->sql);
            return st2;
        }
        if ((rc = td_db_commit(s->sql, NULL)) != TD_OK)
            return dbfail(s, rc, "committing a migration");
        has_table = true;
    }
    return TD_OK;
}

/* PostgreSQL: workers starting together must not run one migration twice;
 * a session advisory lock (any 64-bit key of ours) serialises them. */
#define TD_PG_MIGRATE_LOCK "7171001"

/* Opens the SQLite file at path with the store's settings. */
static td_status open_sqlite(td_store *s, const char *path, bool read_only)
{
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    struct stat sb;
    if (read_only && stat(path, &sb) != 0) {
        td_buf_printf(&s->err, "%s: no such database", path);
        return TD_ENOTFOUND;
    }
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "cannot open the database");
    if (!read_only && sqlite3_db_readonly(s->db, "main") == 1) {
        td_buf_printf(&s->err, "%s: the database file is read-only (check its permissions and its folder's)", path);
        return TD_EREADONLY;
    }
    if (td_db_wrap_sqlite(s->db, &s->sql) != TD_OK)
        return TD_ENOMEM;
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (!read_only) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384;",
                          NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return fail(s, rc, "setting WAL mode");
    }
    sqlite3_exec(s->db, "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;", NULL, NULL,
                 NULL);
    return TD_OK;
}

td_status td_store_open(const char *path, bool read_only, td_store **out, td_buf *err)
{
    td_store *s = td_calloc(1, sizeof *s);
    if (!s)
        return TD_ENOMEM;
    td_status st = TD_OK;
    if (td_db_is_url(path)) {
        s->pg = true;
        td_buf red = TD_BUF_INIT; /* messages name the server, never the password */
        td_db_target_redacted(path, &red);
        snprintf(s->path, sizeof s->path, "%s", red.p ? red.p : "postgresql");
        td_buf_free(&red);
        s->read_only = read_only;
        st = td_db_open(path, read_only ? TD_DB_READONLY : 0, &s->sql, &s->err);
        if (st != TD_OK)
            goto fail;
        if (!read_only && (st = exec(s, "SELECT pg_advisory_lock(" TD_PG_MIGRATE_LOCK ")")) != TD_OK) {
            st = dbfail(s, st, "locking the schema for migrations");
            goto fail;
        }
        st = migrate(s);
        if (!read_only)
            exec(s, "SELECT pg_advisory_unlock(" TD_PG_MIGRATE_LOCK ")");
        if (st != TD_OK)
            goto fail;
    } else {
        snprintf(s->path, sizeof s->path, "%s", path);
        s->read_only = read_only;
        if ((st = open_sqlite(s, path, read_only)) != TD_OK)
            goto fail;
        if ((st = migrate(s)) != TD_OK)
            goto fail;
    }
    if (!read_only) {
        for (int i = 0; i < ST_COUNT_; i++) {
            if (s->pg && i >= ST_DEFER_ON) /* the FTS5 batch: SQLite only */
                continue;
            int rc = td_db_prepare(s->sql, SQL[i], &s->st[i], NULL);
            if (rc != TD_OK) {
                st = dbfail(s, rc, "preparing statements");
                goto fail;
            }
        }
        /* a committed row would keep every writer's triggers off */
        int stray = 0;
        if (!s->pg && query_int(s, "SELECT count(*) FROM fts_defer", &stray) == TD_OK && stray > 0)
            exec(s, "DELETE FROM fts_defer");
    }
    *out = s;
    return TD_OK;
fail:
    if (err) {
        td_buf_clear(err);
        td_buf_append_str(err, td_buf_str(&s->err));
    }
    td_store_close(s);
    return st;
}

void td_store_close(td_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        exec(s, "ROLLBACK");
    for (int i = 0; i < ST_COUNT_; i++)
        td_stmt_finalize(s->st[i]);
    for (int i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    for (int i = 0; i < s->n_sqlcache; i++)
        td_stmt_finalize(s->sqlcache[i].st);
    td_db_close(s->sql); /* SQLite: the wrapper only; the connection is closed below */
    if (s->db)
        sqlite3_close(s->db);
    td_map_free(&s->fts_pending);
    td_buf_free(&s->fts_json);
    td_buf_free(&s->err);
    td_free(s);
}

sqlite3_stmt *td_store_stmt(td_store *s, const char *sql)
{
    if (!s->db) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: a SQLite statement asked of a PostgreSQL store (use td_store_sqlstmt)", s->path);
        return NULL;
    }
    for (int i = 0; i < s->n_cache; i++)
        if (s->cache[i].sql == sql)
            return s->cache[i].st;
    if (s->n_cache == (int)(sizeof s->cache / sizeof s->cache[0])) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: more than %d cached statements (grow td_store.cache)", s->path, s->n_cache);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "preparing a statement");
        return NULL;
    }
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache++].st = st;
    return st;
}

td_stmt *td_store_sqlstmt(td_store *s, const char *sql)
{
    for (int i = 0; i < s->n_sqlcache; i++)
        if (s->sqlcache[i].sql == sql)
            return s->sqlcache[i].st;
    if (s->n_sqlcache == (int)(sizeof s->sqlcache / sizeof s->sqlcache[0])) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: more than %d cached statements (grow td_store.sqlcache)", s->path,
                      s->n_sqlcache);
        return NULL;
    }
    td_stmt *st = NULL;
    if (td_db_prepare(s->sql, sql, &st, NULL) != TD_OK) {
        td_buf_clear(&s->err);
        td_buf_printf(&s->err, "%s: preparing a statement: %s", s->path, td_db_errmsg(s->sql));
        return NULL;
    }
    s->sqlcache[s->n_sqlcache].sql = sql;
    s->sqlcache[s->n_sqlcache++].st = st;
    return st;
}

td_status td_store_begin(td_store *s)
{
    if (s->in_tx)
        return TD_OK;
    int rc = td_db_begin(s->sql, true, NULL);
    if (rc != TD_OK)
        return dbfail(s, rc, "starting a transaction");
    s->in_tx = true;
    /* without the row the triggers index each article: slower, still right */
    s->fts_defer = !s->pg && run(s->st[ST_DEFER_ON]) == TD_DB_DONE;
    return TD_OK;
}

/* Forgets the rowids waiting for the index (their transaction ended). */
static void fts_forget(td_store *s)
{
    td_map_clear(&s->fts_pending);
    td_buf_clear(&s->fts_json);
    s->fts_defer = false;
}

/* Indexes the transaction's articles and removes the fts_defer row. */
static int fts_flush(td_store *s)
{
    int rc = TD_DB_DONE;
    if (s->fts_json.len) {
        s->fts_json.p[s->fts_json.len - 1] = ']'; /* the last ',' */
        if (s->fts_json.failed)
            return TD_ENOMEM;
        td_stmt *st = s->st[ST_FTS_FLUSH];
        td_stmt_bind_text(st, 1, s->fts_json.p, (int)s->fts_json.len);
        rc = run(st);
    }
    if (rc == TD_DB_DONE)
        rc = run(s->st[ST_DEFER_OFF]);
    return rc == TD_DB_DONE ? TD_OK : -rc;
}

td_status td_store_commit(td_store *s)
{
    if (!s->in_tx)
        return TD_OK;
    int rc = s->fts_defer ? fts_flush(s) : TD_OK;
    fts_forget(s);
    if (rc != TD_OK) {
        td_status st = dbfail(s, rc, "indexing the batch's articles");
        td_db_rollback(s->sql);
        s->in_tx = false;
        return st;
    }
    rc = td_db_commit(s->sql, NULL);
    if (rc != TD_OK) {
        td_status st = dbfail(s, rc, "committing");
        td_db_rollback(s->sql);
        s->in_tx = false;
        return st;
    }
    s->in_tx = false;
    return TD_OK;
}

td_status td_store_rollback(td_store *s)
{
    if (!s->in_tx)
        return TD_OK;
    td_db_rollback(s->sql);
    fts_forget(s);
    s->in_tx = false;
    return TD_OK;
}

/* Binds a view as text, or NULL when it is empty and null_if_empty. */
static int bind_str(td_stmt *st, int i, td_str v, bool null_if_empty)
{
    if (!v.p || (null_if_empty && v.len == 0))
        return td_stmt_bind_null(st, i);
    return td_stmt_bind_text(st, i, v.p, (int)v.len);
}

td_status td_store_article_find(td_store *s, td_str id, int64_t *rowid, uint64_t *raw_hash)
{
    td_stmt *st = s->st[ST_FIND];
    bind_str(st, 1, id, false);
    int rc = td_stmt_step(st);
    td_status out = TD_ENOTFOUND;
    if (rc == TD_DB_ROW) {
        *rowid = td_stmt_i64(st, 0);
        *raw_hash = (uint64_t)td_stmt_i64(st, 1);
        out = TD_OK;
    } else if (rc != TD_DB_DONE) {
        out = dbfail(s, rc, "looking up an article");
    }
    td_stmt_reset(st);
    td_stmt_clear(st);
    return out;
}

td_status td_store_article_put(td_store *s, const td_article *a, uint64_t raw_hash,
                               td_str removed_json, int64_t *rowid)
{
    int64_t old_rowid;
    uint64_t old_hash;
    td_status found = td_store_article_find(s, a->id, &old_rowid, &old_hash);
    if (found != TD_OK && found != TD_ENOTFOUND)
        return found;
    td_stmt *st = s->st[found == TD_OK ? ST_UPDATE : ST_INSERT];
    /* an indexed article's old terms leave the index before its row changes */
    bool unindexed = false;
    if (found == TD_OK && s->fts_defer && !td_map_get(&s->fts_pending, (uint64_t)old_rowid)) {
        td_stmt_bind_i64(s->st[ST_FTS_DELETE], 1, old_rowid);
        int rc = run(s->st[ST_FTS_DELETE]);
        if (rc != TD_DB_DONE)
            return dbfail(s, rc, "updating the full-text index");
        unindexed = true;
    }

    char date[32] = "";
    td_str pub = { NULL, 0 };
    if (a->published.year) {
        if (a->published.day)
            snprintf(date, sizeof date, "%04d-%02d-%02d", a->published.year, a->published.month, a->published.day);
        else if (a->published.month)
            snprintf(date, sizeof date, "%04d-%02d", a->published.year, a->published.month);
        else
            snprintf(date, sizeof date, "%04d", a->published.year);
        pub = td_str_cstr(date);
    }
    td_buf given = TD_BUF_INIT;
    if (a->given_title.len || a->given_outlet.len || a->given_published.len) {
        td_buf_puts(&given, "{\"title\":");
        td_buf_json_str(&given, a->given_title.len ? a->given_title : (td_str){ NULL, 0 });
        td_buf_puts(&given, ",\"outlet\":");
        td_buf_json_str(&given, a->given_outlet.len ? a->given_outlet : (td_str){ NULL, 0 });
        td_buf_puts(&given, ",\"published\":");
        td_buf_json_str(&given, a->given_published.len ? a->given_published : (td_str){ NULL, 0 });
        td_buf_putc(&given, '}');
        if (given.failed) {
            td_buf_free(&given);
            return TD_ENOMEM;
        }
    }
    bind_str(st, 1, a->id, false);
    bind_str(st, 2, a->url, true);
    bind_str(st, 3, a->outlet, true);
    bind_str(st, 4, a->title, true);
    bind_str(st, 5, a->subtitle, true);
    bind_str(st, 6, a->byline, true);
    bind_str(st, 7, a->dateline, true);
    bind_str(st, 8, pub, true);
    if (a->published_from && pub.p)
        td_stmt_bind_text(st, 9, a->published_from, -1);
    else
        td_stmt_bind_null(st, 9);
    bind_str(st, 10, a->body.p ? a->body : TD_STR_LIT(""), false);
    bind_str(st, 11, a->captions, true);
    bind_str(st, 12, removed_json, true);
    bind_str(st, 13, a->text.p ? a->text : TD_STR_LIT(""), false);
    bind_str(st, 14, td_buf_str(&given), true);
    td_stmt_bind_i64(st, 15, (int64_t)raw_hash);
    td_stmt_bind_i64(st, 16, (int64_t)a->hash);
    td_stmt_bind_i64(st, 17, a->bad_utf8);
    if (a->source)
        td_stmt_bind_text(st, 18, a->source, -1);
    else
        td_stmt_bind_null(st, 18);
    if (a->source_line)
        td_stmt_bind_i64(st, 19, (int64_t)a->source_line);
    else
        td_stmt_bind_null(st, 19);
    if (found == TD_OK) { /* the time of this ingest, as the column's default writes it */
        char now[24];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        td_stmt_bind_text(st, 20, now, -1);
    }
    int rc = td_stmt_step(st);
    td_status out = TD_OK;
    if (found == TD_OK ? rc != TD_DB_DONE : rc != TD_DB_ROW)
        out = dbfail(s, rc, found == TD_OK ? "updating an article" : "storing an article");
    else
        *rowid = found == TD_OK ? old_rowid : td_stmt_i64(st, 0);
    td_stmt_reset(st);
    td_stmt_clear(st);
    td_buf_free(&given);
    /* queued for the index; also when the UPDATE failed after its old terms
     * left, so a caller that goes on still commits an index matching the row */
    int64_t queued = out == TD_OK ? *rowid : unindexed ? old_rowid : 0;
    if (queued && s->fts_defer && !td_map_get(&s->fts_pending, (uint64_t)queued)) {
        uint64_t *v = td_map_upsert(&s->fts_pending, (uint64_t)queued);
        if (!v)
            return TD_ENOMEM;
        *v = 1;
        if (!s->fts_json.len)
            td_buf_putc(&s->fts_json, '[');
        td_buf_printf(&s->fts_json, "%lld,", (long long)queued);
        if (s->fts_json.failed)
            return TD_ENOMEM;
    }
    return out;
}

/* Copies column i of st into the arena as a view ({NULL,0} for NULL). */
static td_str col_str(td_stmt *st, int i, td_arena *arena)
{
    const char *p = td_stmt_text(st, i);
    if (!p)
        return (td_str){ NULL, 0 };
    size_t len = (size_t)td_stmt_bytes(st, i);
    char *c = td_arena_strndup(arena, (const char *)p, len);
    return c ? td_str_make(c, len) : (td_str){ NULL, 0 };
}

/* Returns the string value of a top-level key of a flat JSON object written
 * by article_put (given), copied into arena; {NULL,0} when absent or null. */
static td_str given_field(td_str json, const char *key, td_arena *arena)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    size_t at = td_str_find(json, td_str_cstr(pat));
    if (at == (size_t)-1)
        return (td_str){ NULL, 0 };
    const char *p = json.p + at + strlen(pat), *end = json.p + json.len;
    td_buf b = TD_BUF_INIT;
    for (; p < end && *p != '"'; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
            char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
            if (*p == 'u' && p + 4 < end) { /* control characters only are escaped as \u00XX */
                unsigned v = 0;
                sscanf(p + 1, "%4x", &v);
                c = (char)v;
                p += 4;
            }
            td_buf_putc(&b, c);
        } else {
            td_buf_putc(&b, *p);
        }
    }
    td_str out = { NULL, 0 };
    if (!b.failed && b.p) {
        char *c = td_arena_strndup(arena, b.p, b.len);
        if (c)
            out = td_str_make(c, b.len);
    }
    td_buf_free(&b);
    return out;
}

td_status td_store_article_raw(td_store *s, int64_t rowid, td_arena *arena, td_article *a)
{
    td_stmt *st = s->st[ST_RAW];
    td_stmt_bind_i64(st, 1, rowid);
    int rc = td_stmt_step(st);
    td_status out = TD_OK;
    if (rc == TD_DB_ROW) {
        a->id = col_str(st, 0, arena);
        a->url = col_str(st, 1, arena);
        a->raw = col_str(st, 2, arena);
        td_str given = col_str(st, 3, arena);
        if (given.p) {
            a->given_title = given_field(given, "title", arena);
            a->given_outlet = given_field(given, "outlet", arena);
            a->given_published = given_field(given, "published", arena);
        }
        if (arena->failed)
            out = TD_ENOMEM;
    } else {
        out = rc == TD_DB_DONE ? TD_ENOTFOUND : dbfail(s, rc, "reading an article");
    }
    td_stmt_reset(st);
    td_stmt_clear(st);
    return out;
}

td_status td_store_outlet_lines_load(td_store *s, td_str outlet,
                                     void (*fn)(void *ud, uint64_t hash, uint32_t n), void *ud)
{
    td_stmt *st = s->st[ST_LINES_LOAD];
    bind_str(st, 1, outlet, false);
    int rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW)
        fn(ud, (uint64_t)td_stmt_i64(st, 0), (uint32_t)td_stmt_i64(st, 1));
    td_status out = rc == TD_DB_DONE ? TD_OK : dbfail(s, rc, "reading outlet templates");
    td_stmt_reset(st);
    td_stmt_clear(st);
    return out;
}

td_status td_store_outlet_line_add(td_store *s, td_str outlet, uint64_t hash, uint32_t n)
{
    td_stmt *st = s->st[ST_LINE_ADD];
    bind_str(st, 1, outlet, false);
    td_stmt_bind_i64(st, 2, (int64_t)hash);
    td_stmt_bind_i64(st, 3, n);
    int rc = td_stmt_step(st);
    td_status out = rc == TD_DB_DONE ? TD_OK : dbfail(s, rc, "recording outlet templates");
    td_stmt_reset(st);
    td_stmt_clear(st);
    return out;
}

int64_t td_store_count(td_store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    /* PostgreSQL: a missing table would abort an open transaction */
    if (s->pg) {
        td_stmt *q = NULL;
        int have = 0;
        if (td_db_prepare(s->sql, "SELECT count(*) FROM information_schema.tables"
                                  " WHERE table_name = ?1 AND table_schema = current_schema()", &q, NULL) == TD_OK) {
            td_stmt_bind_text(q, 1, table, -1);
            have = td_stmt_step(q) == TD_DB_ROW && td_stmt_i64(q, 0) > 0;
        }
        td_stmt_finalize(q);
        if (!have)
            return -1;
    }
    td_stmt *st = NULL;
    if (td_db_prepare(s->sql, sql, &st, NULL) != TD_OK) {
        td_stmt_finalize(st);
        return -1;
    }
    int64_t n = td_stmt_step(st) == TD_DB_ROW ? td_stmt_i64(st, 0) : -1;
    td_stmt_finalize(st);
    return n;
}
