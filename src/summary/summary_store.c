/*
 * summary_store.c - story summaries in SQLite (migration 7; see summary.h).
 *
 * Tables: story_summary(story_id, rank, article_id, sentence, start, score)
 * holds the chosen sentences in reading order (rank 0..), article_id being
 * the article's rowid and start the sentence's byte offset in its body;
 * story_summary_state(story_id, signature) remembers, per story, the
 * originals the summary was made from ("count:max rowid:sum of body
 * hashes"), so an ingest recomputes only the stories that changed.
 *
 * Invariants: a story's rows are replaced whole inside one transaction;
 * summaries of stories that lost all their articles are deleted.
 */
#include "summary/summary.h"

#include <string.h>

#include "base/alloc.h"

#define MAX_DOCS 40            /* the earliest originals of a story suffice */
#define TICK_EVERY 32

const char TD_SUMMARY_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS story_summary ("
    "  story_id INTEGER NOT NULL, rank INTEGER NOT NULL,"
    "  article_id INTEGER NOT NULL,"       /* article.rowid */
    "  sentence TEXT NOT NULL, start INTEGER, score REAL,"
    "  PRIMARY KEY (story_id, rank)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS story_summary_state ("
    "  story_id INTEGER PRIMARY KEY, signature TEXT NOT NULL);";

const char TD_SUMMARY_SCHEMA_PG[] =
    "CREATE TABLE IF NOT EXISTS story_summary ("
    "  story_id BIGINT NOT NULL, rank BIGINT NOT NULL,"
    "  article_id BIGINT NOT NULL,"
    "  sentence TEXT NOT NULL, start BIGINT, score DOUBLE PRECISION,"
    "  PRIMARY KEY (story_id, rank));"
    "CREATE TABLE IF NOT EXISTS story_summary_state ("
    "  story_id BIGINT PRIMARY KEY, signature TEXT NOT NULL);";

typedef struct stale {
    int64_t story;
    char *sig;
} stale;

typedef struct upd {
    td_db *db;
    td_stmt *docs, *del, *ins, *state;
    td_summarizer *sz;
    td_arena arena;
    td_buf *err;
} upd;

static td_status db_fail(upd *u, const char *what)
{
    td_buf_printf(u->err, "summaries: %s: %s", what, td_db_errmsg(u->db));
    return TD_EDB;
}

/* True when table name exists. PostgreSQL asks its catalogue in the schema
 * in use (a failed prepare there would abort an enclosing transaction). */
static bool has_table(td_db *db, const char *name)
{
    td_stmt *st = NULL;
    bool yes = false;
    const char *sql = td_db_kind_of(db) == TD_DB_POSTGRES
                          ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                            " AND table_name = ?1"
                          : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1";
    if (td_db_prepare(db, sql, &st, NULL) == TD_OK) {
        td_stmt_bind_text(st, 1, name, -1);
        yes = td_stmt_step(st) == TD_DB_ROW;
    }
    td_stmt_finalize(st);
    return yes;
}

/* Recomputes one story's summary. */
static td_status one(upd *u, const stale *s, td_summary_stats *stats)
{
    td_arena_reset(&u->arena);
    td_summary_doc docs[MAX_DOCS];
    size_t n = 0;
    int rc;
    td_stmt_bind_i64(u->docs, 1, s->story);
    while ((rc = td_stmt_step(u->docs)) == TD_DB_ROW && n < MAX_DOCS) {
        const char *body = td_stmt_text(u->docs, 1);
        size_t bl = (size_t)td_stmt_bytes(u->docs, 1);
        const char *cap = td_stmt_text(u->docs, 2);
        size_t cl = (size_t)td_stmt_bytes(u->docs, 2);
        char *b = td_arena_strndup(&u->arena, body ? body : "", body ? bl : 0);
        char *k = td_arena_strndup(&u->arena, cap ? cap : "", cap ? cl : 0);
        if (!b || !k)
            break;
        docs[n++] = (td_summary_doc){ td_stmt_i64(u->docs, 0), td_str_make(b, body ? bl : 0),
                                      td_str_make(k, cap ? cl : 0) };
    }
    td_stmt_reset(u->docs);
    if (u->arena.failed)
        return TD_ENOMEM;
    if (rc != TD_DB_ROW && rc != TD_DB_DONE)
        return db_fail(u, "reading articles");
    td_summary_sent *out = NULL;
    size_t n_out = 0;
    td_status st = td_summary_pick(u->sz, docs, n, NULL, &u->arena, &out, &n_out);
    if (st != TD_OK)
        return st;
    td_stmt_bind_i64(u->del, 1, s->story);
    rc = td_stmt_step(u->del);
    td_stmt_reset(u->del);
    if (rc != TD_DB_DONE)
        return db_fail(u, "replacing a summary");
    for (size_t i = 0; i < n_out; i++) {
        const td_summary_doc *d = &docs[out[i].doc];
        td_stmt_bind_i64(u->ins, 1, s->story);
        td_stmt_bind_i64(u->ins, 2, (int64_t)i);
        td_stmt_bind_i64(u->ins, 3, out[i].article);
        td_stmt_bind_text(u->ins, 4, d->body.p + out[i].off, (int)out[i].len);
        td_stmt_bind_i64(u->ins, 5, out[i].off);
        td_stmt_bind_double(u->ins, 6, out[i].score);
        rc = td_stmt_step(u->ins);
        td_stmt_reset(u->ins);
        if (rc != TD_DB_DONE)
            return db_fail(u, "storing a summary");
    }
    td_stmt_bind_i64(u->state, 1, s->story);
    td_stmt_bind_text(u->state, 2, s->sig, -1);
    rc = td_stmt_step(u->state);
    td_stmt_reset(u->state);
    if (rc != TD_DB_DONE)
        return db_fail(u, "storing a summary's state");
    stats->stories++;
    stats->sentences += n_out;
    return TD_OK;
}

/* Reads the stories whose signature differs from the stored one. */
static td_status find_stale(upd *u, bool all, stale **out, size_t *n_out)
{
    td_stmt *st = NULL;
    /* The signature is only compared with what the same database stored:
     * SQLite keeps its text (total() of the hashes, a float), PostgreSQL
     * sums them exactly (sum() of bigints is numeric) */
    const char *sql = td_db_kind_of(u->db) == TD_DB_POSTGRES
        ? "SELECT g.story_id, g.sig FROM (SELECT story_id, count(*) || ':' || max(rowid) || ':' || sum(body_hash)"
          "  AS sig FROM article WHERE story_id IS NOT NULL AND duplicate_of IS NULL GROUP BY story_id) g"
          " LEFT JOIN story_summary_state s ON s.story_id = g.story_id"
          " WHERE CAST(?1 AS BIGINT) <> 0 OR s.signature IS NULL OR s.signature <> g.sig"
          " ORDER BY g.story_id"
        : "SELECT g.story_id, g.sig FROM (SELECT story_id, count(*) || ':' || max(rowid) || ':' || total(body_hash)"
          "  AS sig FROM article WHERE story_id IS NOT NULL AND duplicate_of IS NULL GROUP BY story_id) g"
          " LEFT JOIN story_summary_state s ON s.story_id = g.story_id WHERE ?1 OR s.signature IS NOT g.sig"
          " ORDER BY g.story_id";
    if (td_db_prepare(u->db, sql, &st, NULL) != TD_OK) {
        td_stmt_finalize(st);
        return db_fail(u, "finding changed stories");
    }
    td_stmt_bind_i64(st, 1, all);
    stale *v = NULL;
    size_t n = 0, cap = 0;
    int rc;
    td_status ret = TD_OK;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            stale *nv = td_realloc(v, nc * sizeof *nv);
            if (!nv) {
                ret = TD_ENOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        const char *sig = td_stmt_text(st, 1);
        v[n].story = td_stmt_i64(st, 0);
        v[n].sig = td_strndup(sig ? sig : "", sig ? strlen(sig) : 0);
        if (!v[n].sig) {
            ret = TD_ENOMEM;
            break;
        }
        n++;
    }
    if (ret == TD_OK && rc != TD_DB_DONE)
        ret = db_fail(u, "finding changed stories");
    td_stmt_finalize(st);
    *out = v;
    *n_out = n;
    return ret;
}

static void free_stale(stale *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        td_free(v[i].sig);
    td_free(v);
}

td_status td_summary_update(td_db *db, bool all, void (*tick)(void *ud), void *ud, td_summary_stats *stats,
                            td_buf *err)
{
    td_summary_stats local = { 0 };
    if (!stats)
        stats = &local;
    if (!has_table(db, "story_summary") || !has_table(db, "story_summary_state") || !has_table(db, "story"))
        return TD_OK;
    upd u = { .db = db, .err = err };
    td_arena_init(&u.arena, 1 << 20);
    stale *v = NULL;
    size_t n = 0;
    bool own_tx = !td_db_in_transaction(db);
    td_status st = find_stale(&u, all, &v, &n);
    if (st == TD_OK && !(u.sz = td_summarizer_new()))
        st = TD_ENOMEM;
    if (st == TD_OK &&
        (td_db_prepare(db, "SELECT rowid, body, captions FROM article WHERE story_id = ?1 AND"
                                " duplicate_of IS NULL ORDER BY published IS NULL, published, rowid LIMIT 40", &u.docs, NULL) != TD_OK ||
         td_db_prepare(db, "DELETE FROM story_summary WHERE story_id = ?1", &u.del, NULL) != TD_OK ||
         td_db_prepare(db, "INSERT INTO story_summary (story_id, rank, article_id, sentence, start, score)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &u.ins, NULL) != TD_OK ||
         td_db_prepare(db, "INSERT INTO story_summary_state (story_id, signature) VALUES (?1, ?2)"
                                " ON CONFLICT (story_id) DO UPDATE SET signature = excluded.signature", &u.state, NULL) != TD_OK))
        st = db_fail(&u, "preparing");
    if (st == TD_OK && own_tx && td_db_exec(db, "BEGIN", NULL) != TD_OK)
        st = db_fail(&u, "BEGIN");
    for (size_t i = 0; st == TD_OK && i < n; i++) {
        st = one(&u, &v[i], stats);
        if (tick && i % TICK_EVERY == 0)
            tick(ud);
    }
    /* stories that have no original left (merged away, re-clustered) */
    if (st == TD_OK &&
        td_db_exec(db, "DELETE FROM story_summary WHERE story_id NOT IN (SELECT story_id FROM article"
                         " WHERE story_id IS NOT NULL AND duplicate_of IS NULL);"
                         "DELETE FROM story_summary_state WHERE story_id NOT IN (SELECT story_id FROM article"
                         " WHERE story_id IS NOT NULL AND duplicate_of IS NULL);", NULL) != TD_OK)
        st = db_fail(&u, "removing old summaries");
    if (own_tx && td_db_in_transaction(db)) {
        if (st == TD_OK && td_db_exec(db, "COMMIT", NULL) != TD_OK)
            st = db_fail(&u, "COMMIT");
        if (st != TD_OK)
            td_db_exec(db, "ROLLBACK", NULL);
    }
    td_stmt_finalize(u.docs);
    td_stmt_finalize(u.del);
    td_stmt_finalize(u.ins);
    td_stmt_finalize(u.state);
    td_summarizer_free(u.sz);
    td_arena_free(&u.arena);
    free_stale(v, n);
    return st;
}
