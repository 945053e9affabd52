/*
 * sqlite.c - the SQLite backend of store.h.
 *
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
#include <unistd.h>

enum { ST_FIND, ST_INSERT, ST_UPDATE, ST_RAW, ST_LINES_LOAD, ST_LINE_ADD,
       ST_DEFER_ON, ST_DEFER_OFF, ST_FTS_DELETE, ST_FTS_FLUSH, ST_COUNT_ };

static const char *const SQL[ST_COUNT_] = {
    [ST_FIND] = "SELECT rowid, raw_hash FROM article WHERE id = ?1",
    [ST_INSERT] =
        ("INSERT INTO article (id, url, outlet, title, subtitle, byline, dateline, published,"
        " published_from, body, captions, removed, raw, given, raw_hash, body_hash, bad_utf8,"
        " source, source_line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"),
    [ST_UPDATE] =
        ("UPDATE article SET url=?2, outlet=?3, title=?4, subtitle=?5, byline=?6, dateline=?7,"
        " published=?8, published_from=?9, body=?10, captions=?11, removed=?12, raw=?13, given=?14,"
        " raw_hash=?15, body_hash=?16, bad_utf8=?17, source=?18, source_line=?19,"
        " ingested_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?1"),
    [ST_RAW] = "SELECT id, url, raw, given FROM article WHERE rowid = ?1",
    [ST_LINES_LOAD] = "SELECT hash, n FROM outlet_line WHERE outlet = ?1",
    [ST_LINE_ADD] = ("INSERT INTO outlet_line (outlet, hash, n) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (outlet, hash) DO UPDATE SET n = n + excluded.n"),
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
    sqlite3 *db;
    td_db *sql;                /* the same connection through db.h (docs/postgres.md) */
    sqlite3_stmt *st[ST_COUNT_];
    bool in_tx;
    bool fts_defer;      /* this transaction indexes its articles at commit */
    bool read_only;
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

/* Records "path: what: sqlite message" and returns the matching status. */
static td_status fail(td_store *s, int rc, const char *what)
{
    td_buf_clear(&s->err);
    td_buf_printf(&s->err, "%s: %s: %s", s->path, what, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_BUSY)
        td_buf_puts(&s->err, " (another process holds the database; try again when it has finished)");
    return td_store_status(rc);
}

sqlite3 *td_store_db(td_store *s) { return s->db; }
td_db *td_store_sql(td_store *s) { return s->sql; }
const char *td_store_errmsg(td_store *s) { return s->err.p ? s->err.p : ""; }
int td_store_schema_version(td_store *s) { return s->version; }
bool td_store_in_tx(const td_store *s) { return s->in_tx; }

static int exec(td_store *s, const char *sql) { return sqlite3_exec(s->db, sql, NULL, NULL, NULL); }

/* Steps a prepared statement once, then resets it and clears its bindings. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Reads one integer from a query; -1 when it has no row. */
static int query_int(td_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Which of the known migrations a database has: from schema_migration, or,
 * for a database made before that table, the legacy ones up to
 * user_version. Sets *newer when it has one this build does not know. */
static int applied_set(td_store *s, const td_migration *m, size_t n, bool *done, bool *has_table,
                       int *newer)
{
    int have = 0, t = 0, rc;
    *newer = 0;
    if ((rc = query_int(s, "PRAGMA user_version", &have)) != SQLITE_OK)
        return rc;
    if ((rc = query_int(s, "SELECT count(*) FROM sqlite_master WHERE name='schema_migration'", &t)) != SQLITE_OK)
        return rc;
    *has_table = t > 0;
    for (size_t i = 0; i < n; i++)
        done[i] = !*has_table && m[i].legacy && m[i].version <= have;
    int known_max = n ? m[n - 1].version : 0;
    if (!*has_table) {
        if (have > known_max)
            *newer = have;
        return SQLITE_OK;
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, "SELECT version FROM schema_migration", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int v = sqlite3_column_int(st, 0);
        bool known = false;
        for (size_t i = 0; i < n; i++)
            if (m[i].version == v)
                done[i] = known = true;
        if (!known && v > *newer)
            *newer = v;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Applies every migration the database lacks, in order, each in its own
 * transaction together with its schema_migration row. */
static td_status migrate(td_store *s)
{
    size_t n;
    const td_migration *m = td_schema_migrations(&n);
    bool done[64] = { false }, has_table = false;
    if (n > sizeof done / sizeof done[0])
        return TD_ELIMIT;
    int newer = 0, rc = applied_set(s, m, n, done, &has_table, &newer);
    if (rc != SQLITE_OK)
        return fail(s, rc, "reading the schema version");
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
        if ((rc = exec(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
            return fail(s, rc, "starting a migration");
        rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_migration ("
                     "  version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
        /* a legacy database: record what user_version said it had */
        for (size_t j = 0; rc == SQLITE_OK && !has_table && j < n; j++) {
            if (!done[j])
                continue;
            char *sql = sqlite3_mprintf("INSERT OR IGNORE INTO schema_migration(version, name) VALUES (%d, %Q)",
                                        m[j].version, m[j].name);
            rc = sql ? exec(s, sql) : SQLITE_NOMEM;
            sqlite3_free(sql);
        }
        if (rc == SQLITE_OK)
            rc = exec(s, m[i].sql);
        if (rc == SQLITE_OK) {
            char *sql = sqlite3_mprintf("INSERT INTO schema_migration(version, name) VALUES (%d, %Q);"
                                        "PRAGMA user_version = %d",
                                        m[i].version, m[i].name, m[n - 1].version);
            rc = sql ? exec(s, sql) : SQLITE_NOMEM;
            sqlite3_free(sql);
        }
        if (rc != SQLITE_OK) {
            td_status st2 = fail(s, rc, m[i].name);
            exec(s, "ROLLBACK");
            return st2;
        }
        if ((rc = exec(s, "COMMIT")) != SQLITE_OK)
            return fail(s, rc, "committing a migration");
        has_table = true;
    }
    return TD_OK;
}

td_status td_store_open(const char *path, bool read_only, td_store **out, td_buf *err)
{
    td_store *s = td_calloc(1, sizeof *s);
    if (!s)
        return TD_ENOMEM;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->read_only = read_only;
    td_status st = TD_OK;
    if (td_db_is_url(path)) { /* never a file named "postgresql:" */
        td_db_target_redacted(path, &s->err);
        td_buf_puts(&s->err, ": PostgreSQL databases are not supported yet: the store runs on SQLite"
                             " (a file path); docs/postgres.md says what is being built");
        st = TD_EINVAL;
        goto fail;
    }
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    struct stat sb;
    if (read_only && stat(path, &sb) != 0) {
        td_buf_printf(&s->err, "%s: no such database", path);
        st = TD_ENOTFOUND;
        goto fail;
    }
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        st = fail(s, rc, "cannot open the database");
        goto fail;
    }
    if (!read_only && sqlite3_db_readonly(s->db, "main") == 1) {
        td_buf_printf(&s->err, "%s: the database file is read-only (check its permissions and its folder's)", path);
        st = TD_EREADONLY;
        goto fail;
    }
    if (td_db_wrap_sqlite(s->db, &s->sql) != TD_OK) {
        st = TD_ENOMEM;
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (!read_only) {
        rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384;");
        if (rc != SQLITE_OK) {
            st = fail(s, rc, "setting WAL mode");
            goto fail;
        }
    }
    exec(s, "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
    if ((st = migrate(s)) != TD_OK)
        goto fail;
    if (!read_only) {
        for (int i = 0; i < ST_COUNT_; i++) {
            rc = sqlite3_prepare_v3(s->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
            if (rc != SQLITE_OK) {
                st = fail(s, rc, "preparing statements");
                goto fail;
            }
        }
        /* a committed row would keep every writer's triggers off */
        int stray = 0;
        if (query_int(s, "SELECT count(*) FROM fts_defer", &stray) == SQLITE_OK && stray > 0)
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
        sqlite3_finalize(s->st[i]);
    for (int i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    for (int i = 0; i < s->n_sqlcache; i++)
        td_stmt_finalize(s->sqlcache[i].st);
    td_db_close(s->sql); /* the wrapper only; the connection is closed below */
    if (s->db)
        sqlite3_close(s->db);
    td_map_free(&s->fts_pending);
    td_buf_free(&s->fts_json);
    td_buf_free(&s->err);
    td_free(s);
}

sqlite3_stmt *td_store_stmt(td_store *s, const char *sql)
{
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
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(s, rc, "starting a transaction");
    s->in_tx = true;
    /* without the row the triggers index each article: slower, still right */
    s->fts_defer = run(s->st[ST_DEFER_ON]) == SQLITE_DONE;
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
    int rc = SQLITE_DONE;
    if (s->fts_json.len) {
        s->fts_json.p[s->fts_json.len - 1] = ']'; /* the last ',' */
        if (s->fts_json.failed)
            return SQLITE_NOMEM;
        sqlite3_stmt *st = s->st[ST_FTS_FLUSH];
        sqlite3_bind_text(st, 1, s->fts_json.p, (int)s->fts_json.len, SQLITE_STATIC);
        rc = run(st);
    }
    if (rc == SQLITE_DONE)
        rc = run(s->st[ST_DEFER_OFF]);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

td_status td_store_commit(td_store *s)
{
    if (!s->in_tx)
        return TD_OK;
    int rc = s->fts_defer ? fts_flush(s) : SQLITE_OK;
    fts_forget(s);
    if (rc != SQLITE_OK) {
        td_status st = fail(s, rc, "indexing the batch's articles");
        exec(s, "ROLLBACK");
        s->in_tx = false;
        return st;
    }
    rc = exec(s, "COMMIT");
    if (rc != SQLITE_OK) {
        td_status st = fail(s, rc, "committing");
        exec(s, "ROLLBACK");
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
    exec(s, "ROLLBACK");
    fts_forget(s);
    s->in_tx = false;
    return TD_OK;
}

/* Binds a view as text, or NULL when it is empty and null_if_empty. */
static int bind_str(sqlite3_stmt *st, int i, td_str v, bool null_if_empty)
{
    if (!v.p || (null_if_empty && v.len == 0))
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, v.p, (int)v.len, SQLITE_STATIC);
}

td_status td_store_article_find(td_store *s, td_str id, int64_t *rowid, uint64_t *raw_hash)
{
    sqlite3_stmt *st = s->st[ST_FIND];
    bind_str(st, 1, id, false);
    int rc = sqlite3_step(st);
    td_status out = TD_ENOTFOUND;
    if (rc == SQLITE_ROW) {
        *rowid = sqlite3_column_int64(st, 0);
        *raw_hash = (uint64_t)sqlite3_column_int64(st, 1);
        out = TD_OK;
    } else if (rc != SQLITE_DONE) {
        out = fail(s, rc, "looking up an article");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
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
    sqlite3_stmt *st = s->st[found == TD_OK ? ST_UPDATE : ST_INSERT];
    /* an indexed article's old terms leave the index before its row changes */
    bool unindexed = false;
    if (found == TD_OK && s->fts_defer && !td_map_get(&s->fts_pending, (uint64_t)old_rowid)) {
        sqlite3_bind_int64(s->st[ST_FTS_DELETE], 1, old_rowid);
        int rc = run(s->st[ST_FTS_DELETE]);
        if (rc != SQLITE_DONE)
            return fail(s, rc, "updating the full-text index");
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
        sqlite3_bind_text(st, 9, a->published_from, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 9);
    bind_str(st, 10, a->body.p ? a->body : TD_STR_LIT(""), false);
    bind_str(st, 11, a->captions, true);
    bind_str(st, 12, removed_json, true);
    bind_str(st, 13, a->text.p ? a->text : TD_STR_LIT(""), false);
    bind_str(st, 14, td_buf_str(&given), true);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)raw_hash);
    sqlite3_bind_int64(st, 16, (sqlite3_int64)a->hash);
    sqlite3_bind_int64(st, 17, a->bad_utf8);
    if (a->source)
        sqlite3_bind_text(st, 18, a->source, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 18);
    if (a->source_line)
        sqlite3_bind_int64(st, 19, (sqlite3_int64)a->source_line);
    else
        sqlite3_bind_null(st, 19);
    int rc = sqlite3_step(st);
    td_status out = TD_OK;
    if (rc != SQLITE_DONE)
        out = fail(s, rc, found == TD_OK ? "updating an article" : "storing an article");
    else
        *rowid = found == TD_OK ? old_rowid : sqlite3_last_insert_rowid(s->db);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
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
static td_str col_str(sqlite3_stmt *st, int i, td_arena *arena)
{
    const unsigned char *p = sqlite3_column_text(st, i);
    if (!p)
        return (td_str){ NULL, 0 };
    size_t len = (size_t)sqlite3_column_bytes(st, i);
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
    sqlite3_stmt *st = s->st[ST_RAW];
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    td_status out = TD_OK;
    if (rc == SQLITE_ROW) {
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
        out = rc == SQLITE_DONE ? TD_ENOTFOUND : fail(s, rc, "reading an article");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

td_status td_store_outlet_lines_load(td_store *s, td_str outlet,
                                     void (*fn)(void *ud, uint64_t hash, uint32_t n), void *ud)
{
    sqlite3_stmt *st = s->st[ST_LINES_LOAD];
    bind_str(st, 1, outlet, false);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (uint64_t)sqlite3_column_int64(st, 0), (uint32_t)sqlite3_column_int64(st, 1));
    td_status out = rc == SQLITE_DONE ? TD_OK : fail(s, rc, "reading outlet templates");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

td_status td_store_outlet_line_add(td_store *s, td_str outlet, uint64_t hash, uint32_t n)
{
    sqlite3_stmt *st = s->st[ST_LINE_ADD];
    bind_str(st, 1, outlet, false);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)hash);
    sqlite3_bind_int64(st, 3, n);
    int rc = sqlite3_step(st);
    td_status out = rc == SQLITE_DONE ? TD_OK : fail(s, rc, "recording outlet templates");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

int64_t td_store_count(td_store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}
