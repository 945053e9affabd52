/*
 * sqlite_story.c - duplicates, shared passages and stories in SQLite
 * (contract and tables in store_story.h).
 *
 * The per-article statements are prepared once in td_story_db_open and
 * reset after each use. Bulk reads (restore) stream rows, so memory is the
 * index being rebuilt and one row. Blobs are fixed-endian: fingerprints as
 * td_dedup_fp_save writes them, centroids as n x (u64 id, f32 weight)
 * little-endian.
 */
#include "store/store_story.h"
#include "base/alloc.h"
#include "base/map.h"

#include <stdio.h>
#include <string.h>

const char TD_STORY_SCHEMA[] =
    "CREATE INDEX IF NOT EXISTS article_duplicate_of ON article(duplicate_of);"
    /* the earliest copy of a cluster in one seek, however big the cluster */
    "CREATE INDEX IF NOT EXISTS article_dup_published ON article(duplicate_of, published);"
    "CREATE TABLE IF NOT EXISTS dedup_fp ("
    "  article INTEGER PRIMARY KEY,"       /* article rowid */
    "  date INTEGER NOT NULL,"             /* days since 1970-01-01, -1 unknown */
    "  fp BLOB NOT NULL,"                  /* td_dedup_fp_save, 148 bytes */
    "  containment REAL);"                 /* copies: share of the smaller text in the other */
    "CREATE INDEX IF NOT EXISTS dedup_fp_date ON dedup_fp(date);"
    "CREATE TABLE IF NOT EXISTS passage ("
    "  id INTEGER PRIMARY KEY,"
    "  hash INTEGER NOT NULL UNIQUE,"      /* xxh3 of the sentence's normalised words */
    "  text TEXT,"                         /* set once a second article carries it */
    "  first_article INTEGER NOT NULL,"    /* the first ingested article with it */
    "  first_off INTEGER NOT NULL, first_len INTEGER NOT NULL,"
    "  n_articles INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX IF NOT EXISTS passage_first ON passage(first_article);"
    /* the first sight of every sentence: one B-tree insert per sentence; the
     * passage row (with its text) exists only once a second article has it */
    "CREATE TABLE IF NOT EXISTS passage_seen ("
    "  hash INTEGER PRIMARY KEY, article INTEGER NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS passage_article ("
    "  passage_id INTEGER NOT NULL, article_id INTEGER NOT NULL,"
    "  off INTEGER NOT NULL, len INTEGER NOT NULL,"  /* the sentence in the article's body (bytes) */
    "  PRIMARY KEY (passage_id, article_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS passage_article_article ON passage_article(article_id);"
    /* articles of the running ingest whose stories await td_story_finish:
     * a run killed before its end leaves them for the next one */
    "CREATE TABLE IF NOT EXISTS story_pending (article INTEGER PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS story_centroid ("
    "  story_id INTEGER PRIMARY KEY, n_terms INTEGER NOT NULL, terms BLOB NOT NULL);";

enum {
    Q_FP_PUT, Q_FP_EXISTS, Q_DUP_SET, Q_REROOT_COPIES, Q_REROOT_OLD, Q_REROOT_NEW, Q_ROOT, Q_EARLIEST, Q_FIRST_UNDATED, Q_SELF,
    Q_SEEN_ADD, Q_SEEN_GET, Q_P_GET, Q_P_NEW, Q_P_INC, Q_P_INC_HASH, Q_P_DEC, Q_PA_ADD,
    Q_STORY_OF, Q_STORY_SET, Q_ASSIGN, Q_STORY_PUT, Q_CENTROID_PUT, Q_STORY_MOVE, Q_STORY_DEL, Q_CENTROID_DEL,
    Q_STORY_REFRESH, Q_STORY_EMPTY, Q_BODY, Q_PENDING_ADD,
    Q_COUNT_
};

static const char *const SQL[Q_COUNT_] = {
    [Q_FP_PUT] = "INSERT OR REPLACE INTO dedup_fp (article, date, fp, containment) VALUES (?1, ?2, ?3, ?4)",
    [Q_FP_EXISTS] = "SELECT 1 FROM dedup_fp WHERE article = ?1",
    [Q_DUP_SET] = "UPDATE article SET duplicate_of = ?2, dup_similarity = ?3 WHERE rowid = ?1",
    [Q_REROOT_COPIES] = "UPDATE article SET duplicate_of = ?2 WHERE duplicate_of = ?1",
    [Q_REROOT_OLD] = "UPDATE article SET duplicate_of = ?2, dup_similarity = coalesce(dup_similarity, 1)"
                     " WHERE rowid = ?1",
    [Q_REROOT_NEW] = "UPDATE article SET duplicate_of = NULL WHERE rowid = ?1",
    [Q_ROOT] = "SELECT duplicate_of FROM article WHERE rowid = ?1",
    /* undated articles after dated ones, then ingest order */
    [Q_EARLIEST] = ("SELECT rowid, published FROM article INDEXED BY article_dup_published"
                    " WHERE duplicate_of = ?1 AND published IS NOT NULL ORDER BY published, rowid LIMIT 1"),
    [Q_FIRST_UNDATED] = "SELECT min(rowid) FROM article WHERE duplicate_of = ?1",
    [Q_SELF] = "SELECT published FROM article WHERE rowid = ?1",
    [Q_SEEN_ADD] = "INSERT OR IGNORE INTO passage_seen (hash, article, off, len) VALUES (?1, ?2, ?3, ?4)",
    [Q_SEEN_GET] = "SELECT article, off, len FROM passage_seen WHERE hash = ?1",
    [Q_P_GET] = "SELECT id FROM passage WHERE hash = ?1",
    [Q_P_NEW] = ("INSERT INTO passage (hash, text, first_article, first_off, first_len, n_articles)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, 1)"),
    [Q_P_INC] = "UPDATE passage SET n_articles = n_articles + 1 WHERE id = ?1",
    [Q_P_INC_HASH] = "UPDATE passage SET n_articles = n_articles + 1 WHERE id = ?1 AND hash = ?2",
    [Q_P_DEC] = "UPDATE passage SET n_articles = n_articles - 1 WHERE id = ?1",
    [Q_PA_ADD] = "INSERT OR IGNORE INTO passage_article (passage_id, article_id, off, len) VALUES (?1, ?2, ?3, ?4)",
    [Q_STORY_OF] = "SELECT story_id FROM article WHERE rowid = ?1",
    [Q_STORY_SET] = "UPDATE article SET story_id = ?2 WHERE rowid = ?1",
    [Q_ASSIGN] = "UPDATE article SET duplicate_of = ?2, dup_similarity = ?3, story_id = ?4 WHERE rowid = ?1",
    [Q_STORY_PUT] = "INSERT INTO story (id, title, first_seen, last_seen, n_articles) VALUES (?1, ?2, ?3, ?4, ?5)"
                    " ON CONFLICT (id) DO UPDATE SET title = excluded.title",
    [Q_CENTROID_PUT] = "INSERT OR REPLACE INTO story_centroid (story_id, n_terms, terms) VALUES (?1, ?2, ?3)",
    [Q_STORY_MOVE] = "UPDATE article SET story_id = ?2 WHERE story_id = ?1",
    [Q_STORY_DEL] = "DELETE FROM story WHERE id = ?1",
    [Q_CENTROID_DEL] = "DELETE FROM story_centroid WHERE story_id = ?1",
    [Q_STORY_REFRESH] =
        "UPDATE story SET n_articles = (SELECT count(*) FROM article WHERE story_id = ?1),"
        " first_seen = (SELECT min(substr(published, 1, 10)) FROM article"
        "   WHERE story_id = ?1 AND length(published) >= 10),"
        " last_seen = (SELECT max(substr(published, 1, 10)) FROM article"
        "   WHERE story_id = ?1 AND length(published) >= 10) WHERE id = ?1",
    [Q_STORY_EMPTY] = "SELECT n_articles FROM story WHERE id = ?1",
    [Q_BODY] = "SELECT body FROM article WHERE rowid = ?1",
    [Q_PENDING_ADD] = "INSERT OR IGNORE INTO story_pending (article) VALUES (?1)",
};

struct td_story_db {
    td_store *store;
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT_];
    /* passage hash -> row id of the passages this connection has seen, so
     * a sentence already shared skips the lookup by hash; each use is
     * checked by the update that counts it (a rolled-back or deleted row
     * is looked up again), cleared when passages are deleted and when it
     * holds PCACHE_MAX entries */
    td_map pcache;
};

enum { PCACHE_MAX = 1 << 20 };

/* The status of the connection's last error (never TD_OK). */
static td_status failed(td_story_db *d)
{
    td_status st = td_store_status(sqlite3_errcode(d->db));
    return st == TD_OK ? TD_EDB : st;
}

/* Resets q for its next use. */
static void done(sqlite3_stmt *q)
{
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
}

/* Steps a statement that returns no row and resets it. */
static td_status run(td_story_db *d, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    td_status st = rc == SQLITE_DONE ? TD_OK : failed(d);
    done(q);
    return st;
}

td_status td_story_db_open(td_store *s, td_story_db **out)
{
    td_story_db *d = td_calloc(1, sizeof *d);
    if (!d)
        return TD_ENOMEM;
    d->store = s;
    d->db = td_store_db(s);
    /* tables added to migration 2 after it first ran (all IF NOT EXISTS) */
    if (sqlite3_exec(d->db, TD_STORY_SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
        td_status st = failed(d);
        td_free(d);
        return st;
    }
    for (int i = 0; i < Q_COUNT_; i++) {
        if (sqlite3_prepare_v3(d->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &d->q[i], NULL) != SQLITE_OK) {
            td_status st = failed(d);
            td_story_db_close(d);
            return st;
        }
    }
    *out = d;
    return TD_OK;
}

void td_story_db_close(td_story_db *d)
{
    if (!d)
        return;
    for (int i = 0; i < Q_COUNT_; i++)
        sqlite3_finalize(d->q[i]);
    td_map_free(&d->pcache);
    td_free(d);
}

const char *td_story_db_errmsg(td_story_db *d)
{
    return d && d->db ? sqlite3_errmsg(d->db) : "no database";
}

/* ---- dates ---- */

/* H. Hinnant's days_from_civil (proleptic Gregorian). */
int32_t td_story_day_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

int32_t td_story_day(td_str s)
{
    if (!s.p || s.len < 7)
        return -1;
    int y = 0, m = 0, d = 1;
    for (int i = 0; i < 4; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        y = y * 10 + (s.p[i] - '0');
    }
    if (s.p[4] != '-' || s.p[5] < '0' || s.p[5] > '9' || s.p[6] < '0' || s.p[6] > '9')
        return -1;
    m = (s.p[5] - '0') * 10 + (s.p[6] - '0');
    if (s.len >= 10 && s.p[7] == '-' && s.p[8] >= '0' && s.p[8] <= '9' && s.p[9] >= '0' && s.p[9] <= '9')
        d = (s.p[8] - '0') * 10 + (s.p[9] - '0');
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    return td_story_day_civil(y, m, d);
}

void td_story_day_format(int32_t days, char out[11])
{
    if (days < 0) {
        out[0] = '\0';
        return;
    }
    /* civil_from_days */
    int z = days + 719468;
    int era = z / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    int v[3] = { y % 10000, m, d }, w[3] = { 4, 2, 2 };
    char *p = out;
    for (int k = 0; k < 3; k++) {
        for (int j = w[k] - 1; j >= 0; j--, v[k] /= 10)
            p[j] = (char)('0' + v[k] % 10);
        p += w[k];
        if (k < 2)
            *p++ = '-';
    }
    *p = '\0';
}

/* ---- duplicates ---- */

td_status td_story_db_fp_put(td_story_db *d, int64_t rowid, int32_t date, const td_dedup_fp *fp, double containment)
{
    uint8_t blob[TD_DEDUP_BLOB_LEN];
    td_dedup_fp_save(fp, blob);
    sqlite3_stmt *q = d->q[Q_FP_PUT];
    sqlite3_bind_int64(q, 1, rowid);
    sqlite3_bind_int(q, 2, date);
    sqlite3_bind_blob(q, 3, blob, (int)sizeof blob, SQLITE_TRANSIENT);
    if (containment >= 0)
        sqlite3_bind_double(q, 4, containment);
    return run(d, q);
}

bool td_story_db_fp_exists(td_story_db *d, int64_t rowid)
{
    sqlite3_stmt *q = d->q[Q_FP_EXISTS];
    sqlite3_bind_int64(q, 1, rowid);
    bool found = sqlite3_step(q) == SQLITE_ROW;
    done(q);
    return found;
}

td_status td_story_db_body(td_story_db *d, int64_t rowid, td_buf *out)
{
    sqlite3_stmt *q = d->q[Q_BODY];
    sqlite3_bind_int64(q, 1, rowid);
    int rc = sqlite3_step(q);
    td_status st = rc == SQLITE_ROW ? TD_OK : rc == SQLITE_DONE ? TD_ENOTFOUND : failed(d);
    if (st == TD_OK) {
        td_buf_clear(out);
        const void *p = sqlite3_column_text(q, 0);
        td_buf_append(out, p ? p : "", (size_t)sqlite3_column_bytes(q, 0));
        if (out->failed)
            st = TD_ENOMEM;
    }
    done(q);
    return st;
}

td_status td_story_db_dup_set(td_story_db *d, int64_t rowid, int64_t duplicate_of, double similarity)
{
    sqlite3_stmt *q = d->q[Q_DUP_SET];
    sqlite3_bind_int64(q, 1, rowid);
    if (duplicate_of)
        sqlite3_bind_int64(q, 2, duplicate_of);
    if (similarity >= 0)
        sqlite3_bind_double(q, 3, similarity);
    return run(d, q);
}

td_status td_story_db_reroot(td_story_db *d, int64_t old_root, int64_t new_root)
{
    if (old_root == new_root || !old_root || !new_root)
        return TD_OK;
    sqlite3_stmt *q = d->q[Q_REROOT_COPIES];
    sqlite3_bind_int64(q, 1, old_root);
    sqlite3_bind_int64(q, 2, new_root);
    td_status st = run(d, q);
    if (st != TD_OK)
        return st;
    q = d->q[Q_REROOT_OLD];
    sqlite3_bind_int64(q, 1, old_root);
    sqlite3_bind_int64(q, 2, new_root);
    if ((st = run(d, q)) != TD_OK)
        return st;
    q = d->q[Q_REROOT_NEW];
    sqlite3_bind_int64(q, 1, new_root);
    return run(d, q);
}

td_status td_story_db_root(td_story_db *d, int64_t root, int64_t *out)
{
    /* at most a few hops: re-pointing keeps chains one long */
    int64_t r = root;
    for (int hop = 0; hop < 8; hop++) {
        sqlite3_stmt *q = d->q[Q_ROOT];
        sqlite3_bind_int64(q, 1, r);
        int rc = sqlite3_step(q);
        int64_t next = rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL ? sqlite3_column_int64(q, 0) : 0;
        done(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return failed(d);
        if (!next || next == r)
            break;
        r = next;
    }
    *out = r;
    return TD_OK;
}

/* Steps q (bound, one row expected) and copies column 0 as an integer and
 * column 1 as text (out[11], "" for NULL); false when there is no row. */
static bool row_id_date(sqlite3_stmt *q, int64_t *id, char out[11], int *rc)
{
    *rc = sqlite3_step(q);
    bool got = *rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL;
    if (got) {
        *id = sqlite3_column_int64(q, 0);
        const unsigned char *t = sqlite3_column_count(q) > 1 ? sqlite3_column_text(q, 1) : NULL;
        snprintf(out, 11, "%s", t ? (const char *)t : "");
    }
    done(q);
    if (*rc == SQLITE_ROW)
        *rc = SQLITE_DONE;
    return got;
}

td_status td_story_db_dup_earliest(td_story_db *d, int64_t root, bool *moved)
{
    /* (published IS NULL, published, rowid) order, in index seeks only: the
     * earliest dated copy, else the first undated one, against the root */
    *moved = false;
    int rc;
    char cand_date[11] = "", root_date[11] = "";
    int64_t cand = 0;
    sqlite3_stmt *q = d->q[Q_EARLIEST];
    sqlite3_bind_int64(q, 1, root);
    bool have = row_id_date(q, &cand, cand_date, &rc);
    if (rc != SQLITE_DONE)
        return failed(d);
    if (!have) {
        q = d->q[Q_FIRST_UNDATED];
        sqlite3_bind_int64(q, 1, root);
        have = row_id_date(q, &cand, cand_date, &rc);
        cand_date[0] = '\0';
        if (rc != SQLITE_DONE)
            return failed(d);
    }
    if (!have)
        return TD_OK;
    q = d->q[Q_SELF];
    sqlite3_bind_int64(q, 1, root);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        snprintf(root_date, sizeof root_date, "%s", (const char *)sqlite3_column_text(q, 0));
    done(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return failed(d);
    bool earlier;
    if (!cand_date[0] != !root_date[0])
        earlier = cand_date[0] != '\0'; /* dated before undated */
    else {
        int c = strcmp(cand_date, root_date);
        earlier = c < 0 || (c == 0 && cand < root);
    }
    if (!earlier)
        return TD_OK;
    *moved = true;
    return td_story_db_reroot(d, root, cand);
}

td_status td_story_db_dedup_restore(td_story_db *d, td_dedup *ix, uint32_t window_days, uint32_t max_entries,
                                    uint64_t *n)
{
    *n = 0;
    static const char sql[] =
        "SELECT article, date, dup, fp FROM ("
        "  SELECT f.article, f.date, a.duplicate_of AS dup, f.fp FROM dedup_fp f"
        "  JOIN article a ON a.rowid = f.article"
        "  WHERE f.date >= (SELECT coalesce(max(date), 0) FROM dedup_fp) - ?1 OR f.date < 0"
        "  ORDER BY f.article DESC LIMIT ?2)"
        " ORDER BY article";
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->db, sql, -1, &q, NULL) != SQLITE_OK)
        return failed(d);
    sqlite3_bind_int(q, 1, (int)window_days);
    sqlite3_bind_int64(q, 2, max_entries);
    td_status st = TD_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        td_dedup_fp fp;
        if (td_dedup_fp_load(sqlite3_column_blob(q, 3), (size_t)sqlite3_column_bytes(q, 3), &fp) != TD_OK)
            continue; /* a damaged blob only costs that article's matches */
        st = td_dedup_restore(ix, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1), sqlite3_column_int64(q, 2),
                              &fp);
        if (st != TD_OK)
            break;
        (*n)++;
    }
    if (st == TD_OK && rc != SQLITE_DONE)
        st = failed(d);
    sqlite3_finalize(q);
    return st;
}

/* ---- passages ---- */

/* Binds the sentence p of body (clamped to it) as text parameter i. */
static void bind_span(sqlite3_stmt *q, int i, td_str body, td_span sp)
{
    size_t off = sp.off < body.len ? sp.off : body.len;
    size_t len = sp.len < body.len - off ? sp.len : body.len - off;
    sqlite3_bind_text(q, i, body.p + off, (int)len, SQLITE_TRANSIENT);
}

/* Adds a passage_article row; *added tells whether it is new. */
static td_status pa_add(td_story_db *d, int64_t id, int64_t article, int off, int len, bool *added)
{
    sqlite3_stmt *w = d->q[Q_PA_ADD];
    sqlite3_bind_int64(w, 1, id);
    sqlite3_bind_int64(w, 2, article);
    sqlite3_bind_int(w, 3, off);
    sqlite3_bind_int(w, 4, len);
    td_status st = run(d, w);
    *added = st == TD_OK && sqlite3_changes(d->db) > 0;
    return st;
}

/* The passage row of hash: *id, 0 when none. */
static td_status passage_id(td_story_db *d, uint64_t hash, int64_t *id)
{
    sqlite3_stmt *q = d->q[Q_P_GET];
    sqlite3_bind_int64(q, 1, (int64_t)hash);
    int rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TD_OK : failed(d);
}

/* Remembers that hash is passage id (best effort: a full or failing cache
 * only costs lookups). Hashes 0 and 1 share a map key: not cached. */
static void pcache_put(td_story_db *d, uint64_t hash, int64_t id)
{
    if (hash <= 1)
        return;
    if (d->pcache.n >= PCACHE_MAX)
        td_map_clear(&d->pcache);
    uint64_t *v = td_map_upsert(&d->pcache, hash);
    if (v)
        *v = (uint64_t)id;
}

/* Counts article rowid in the cached passage of hash: true when done (the
 * row is there and has that hash), false when the caller must take the
 * general path. */
static td_status pcache_use(td_story_db *d, uint64_t hash, int64_t rowid, td_span span, bool *done_out)
{
    *done_out = false;
    uint64_t *v = hash > 1 ? td_map_get(&d->pcache, hash) : NULL;
    if (!v)
        return TD_OK;
    int64_t id = (int64_t)*v;
    sqlite3_stmt *q = d->q[Q_P_INC_HASH];
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (int64_t)hash);
    td_status st = run(d, q);
    if (st != TD_OK)
        return st;
    if (sqlite3_changes(d->db) == 0) {
        *v = 0; /* stale; 0 is never a row id */
        return TD_OK;
    }
    bool added;
    if ((st = pa_add(d, id, rowid, (int)span.off, (int)span.len, &added)) != TD_OK)
        return st;
    if (!added) { /* already counted: the count goes back */
        q = d->q[Q_P_DEC];
        sqlite3_bind_int64(q, 1, id);
        if ((st = run(d, q)) != TD_OK)
            return st;
    }
    *done_out = true;
    return TD_OK;
}

/*
 * Per sentence, the shared passage first: most sentences of a busy story
 * are passages already (measured on generated news: 24 of 32 an article),
 * and for them the passage_seen insert and read-back before it were two of
 * five statements. A sentence with no passage yet is a first sight (one
 * passage_seen insert) or a second one (the passage is made).
 */
td_status td_story_db_passages_put(td_story_db *d, int64_t rowid, td_str body, const td_passage *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        bool cached;
        td_status st = pcache_use(d, p[i].hash, rowid, p[i].span, &cached);
        if (st != TD_OK)
            return st;
        if (cached)
            continue;
        int64_t id;
        if ((st = passage_id(d, p[i].hash, &id)) != TD_OK)
            return st;
        bool added;
        if (!id) {
            /* first sight: one insert, done */
            sqlite3_stmt *q = d->q[Q_SEEN_ADD];
            sqlite3_bind_int64(q, 1, (int64_t)p[i].hash);
            sqlite3_bind_int64(q, 2, rowid);
            sqlite3_bind_int(q, 3, (int)p[i].span.off);
            sqlite3_bind_int(q, 4, (int)p[i].span.len);
            if ((st = run(d, q)) != TD_OK)
                return st;
            if (sqlite3_changes(d->db) > 0)
                continue;
            q = d->q[Q_SEEN_GET];
            sqlite3_bind_int64(q, 1, (int64_t)p[i].hash);
            if (sqlite3_step(q) != SQLITE_ROW) {
                done(q);
                return failed(d);
            }
            int64_t first = sqlite3_column_int64(q, 0);
            int foff = sqlite3_column_int(q, 1), flen = sqlite3_column_int(q, 2);
            done(q);
            if (first == rowid)
                continue; /* the same article again (re-ingest) */
            /* now shared: the text, and the first article's row */
            q = d->q[Q_P_NEW];
            sqlite3_bind_int64(q, 1, (int64_t)p[i].hash);
            bind_span(q, 2, body, p[i].span);
            sqlite3_bind_int64(q, 3, first);
            sqlite3_bind_int(q, 4, foff);
            sqlite3_bind_int(q, 5, flen);
            if ((st = run(d, q)) != TD_OK)
                return st;
            id = sqlite3_last_insert_rowid(d->db);
            if ((st = pa_add(d, id, first, foff, flen, &added)) != TD_OK)
                return st;
        }
        pcache_put(d, p[i].hash, id);
        if ((st = pa_add(d, id, rowid, (int)p[i].span.off, (int)p[i].span.len, &added)) != TD_OK)
            return st;
        if (added) {
            sqlite3_stmt *q = d->q[Q_P_INC];
            sqlite3_bind_int64(q, 1, id);
            if ((st = run(d, q)) != TD_OK)
                return st;
        }
    }
    return TD_OK;
}

td_status td_story_db_passages_drop(td_story_db *d, int64_t rowid)
{
    td_map_clear(&d->pcache);
    static const char *const sql[] = {
        ("UPDATE passage SET n_articles = n_articles - 1"
         " WHERE id IN (SELECT passage_id FROM passage_article WHERE article_id = ?1)"),
        "DELETE FROM passage_article WHERE article_id = ?1",
        /* a passage left in one article is no longer shared */
        "DELETE FROM passage_article WHERE passage_id IN (SELECT id FROM passage WHERE n_articles <= 1)",
        "DELETE FROM passage WHERE n_articles <= 1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(d->db, sql[i], -1, &q, NULL) != SQLITE_OK)
            return failed(d);
        if (sqlite3_bind_parameter_count(q))
            sqlite3_bind_int64(q, 1, rowid);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return failed(d);
    }
    return TD_OK;
}

td_status td_story_db_passages_prune(td_story_db *d, int32_t before)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->db,
                           "DELETE FROM passage_seen WHERE article IN"
                           " (SELECT article FROM dedup_fp WHERE date >= 0 AND date < ?1)",
                           -1, &q, NULL) != SQLITE_OK)
        return failed(d);
    sqlite3_bind_int(q, 1, before);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? TD_OK : failed(d);
}

/* ---- stories ---- */

td_status td_story_db_story_of(td_story_db *d, int64_t rowid, uint32_t *story)
{
    sqlite3_stmt *q = d->q[Q_STORY_OF];
    sqlite3_bind_int64(q, 1, rowid);
    int rc = sqlite3_step(q);
    *story = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(q, 0) : 0;
    done(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TD_OK : failed(d);
}

td_status td_story_db_story_set(td_story_db *d, int64_t rowid, uint32_t story)
{
    sqlite3_stmt *q = d->q[Q_STORY_SET];
    sqlite3_bind_int64(q, 1, rowid);
    if (story)
        sqlite3_bind_int64(q, 2, story);
    return run(d, q);
}

td_status td_story_db_assign(td_story_db *d, int64_t rowid, int64_t duplicate_of, double similarity, uint32_t story)
{
    sqlite3_stmt *q = d->q[Q_ASSIGN];
    sqlite3_bind_int64(q, 1, rowid);
    if (duplicate_of)
        sqlite3_bind_int64(q, 2, duplicate_of);
    if (duplicate_of && similarity >= 0)
        sqlite3_bind_double(q, 3, similarity);
    if (story)
        sqlite3_bind_int64(q, 4, story);
    return run(d, q);
}

td_status td_story_db_story_put(td_story_db *d, const td_story_info *info, const td_story_term *centroid,
                                uint32_t n)
{
    sqlite3_stmt *q = d->q[Q_STORY_PUT];
    char first[11], last[11];
    td_story_day_format(info->first_seen, first);
    td_story_day_format(info->last_seen, last);
    sqlite3_bind_int64(q, 1, info->id);
    if (info->title.len)
        sqlite3_bind_text(q, 2, info->title.p, (int)info->title.len, SQLITE_TRANSIENT);
    if (first[0])
        sqlite3_bind_text(q, 3, first, -1, SQLITE_TRANSIENT);
    if (last[0])
        sqlite3_bind_text(q, 4, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, info->articles);
    td_status st = run(d, q);
    if (st != TD_OK || !n)
        return st;
    uint8_t *blob = td_malloc((size_t)n * 12);
    if (!blob)
        return TD_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *b = blob + (size_t)i * 12;
        uint64_t id = centroid[i].id;
        uint32_t w;
        memcpy(&w, &centroid[i].tf, 4);
        for (int k = 0; k < 8; k++)
            b[k] = (uint8_t)(id >> (8 * k));
        for (int k = 0; k < 4; k++)
            b[8 + k] = (uint8_t)(w >> (8 * k));
    }
    q = d->q[Q_CENTROID_PUT];
    sqlite3_bind_int64(q, 1, info->id);
    sqlite3_bind_int64(q, 2, n);
    sqlite3_bind_blob(q, 3, blob, (int)(n * 12), SQLITE_TRANSIENT);
    st = run(d, q);
    td_free(blob);
    return st;
}

td_status td_story_db_story_merge(td_story_db *d, uint32_t from, uint32_t into)
{
    if (from == into)
        return TD_OK;
    sqlite3_stmt *q = d->q[Q_STORY_MOVE];
    sqlite3_bind_int64(q, 1, from);
    sqlite3_bind_int64(q, 2, into);
    td_status st = run(d, q);
    if (st != TD_OK)
        return st;
    q = d->q[Q_STORY_DEL];
    sqlite3_bind_int64(q, 1, from);
    if ((st = run(d, q)) != TD_OK)
        return st;
    q = d->q[Q_CENTROID_DEL];
    sqlite3_bind_int64(q, 1, from);
    return run(d, q);
}

td_status td_story_db_story_refresh(td_story_db *d, uint32_t id)
{
    sqlite3_stmt *q = d->q[Q_STORY_REFRESH];
    sqlite3_bind_int64(q, 1, id);
    td_status st = run(d, q);
    if (st != TD_OK)
        return st;
    q = d->q[Q_STORY_EMPTY];
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    bool empty = rc == SQLITE_ROW && sqlite3_column_int64(q, 0) == 0;
    done(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return failed(d);
    if (!empty)
        return TD_OK;
    q = d->q[Q_STORY_DEL];
    sqlite3_bind_int64(q, 1, id);
    if ((st = run(d, q)) != TD_OK)
        return st;
    q = d->q[Q_CENTROID_DEL];
    sqlite3_bind_int64(q, 1, id);
    return run(d, q);
}

td_status td_story_db_next_id(td_story_db *d, uint32_t *next_id)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT max(coalesce((SELECT max(id) FROM story), 0),"
                           " coalesce((SELECT max(story_id) FROM article), 0))",
                           -1, &q, NULL) != SQLITE_OK)
        return failed(d);
    int rc = sqlite3_step(q);
    *next_id = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(q, 0) + 1 : 1;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? TD_OK : failed(d);
}

td_status td_story_db_stories_restore(td_story_db *d, td_story *st, uint32_t horizon_days, uint32_t *n)
{
    *n = 0;
    static const char sql[] =
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.n_articles, c.n_terms, c.terms"
        " FROM story s JOIN story_centroid c ON c.story_id = s.id"
        " WHERE s.last_seen IS NULL OR julianday(s.last_seen) >="
        "  (SELECT julianday(max(last_seen)) FROM story) - ?1"
        " ORDER BY s.id";
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->db, sql, -1, &q, NULL) != SQLITE_OK)
        return failed(d);
    sqlite3_bind_int(q, 1, (int)horizon_days);
    td_story_term *terms = td_malloc(TD_STORY_CENTROID_TERMS * sizeof *terms);
    if (!terms) {
        sqlite3_finalize(q);
        return TD_ENOMEM;
    }
    td_status out = TD_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const uint8_t *b = sqlite3_column_blob(q, 6);
        size_t len = (size_t)sqlite3_column_bytes(q, 6);
        uint32_t nt = (uint32_t)sqlite3_column_int64(q, 5);
        if (!b || nt > TD_STORY_CENTROID_TERMS || len != (size_t)nt * 12)
            continue; /* damaged: the story stays in the store, new articles just cannot join it */
        for (uint32_t i = 0; i < nt; i++) {
            const uint8_t *p = b + (size_t)i * 12;
            uint64_t id = 0;
            uint32_t w = 0;
            for (int k = 0; k < 8; k++)
                id |= (uint64_t)p[k] << (8 * k);
            for (int k = 0; k < 4; k++)
                w |= (uint32_t)p[8 + k] << (8 * k);
            terms[i].id = id;
            memcpy(&terms[i].tf, &w, 4);
        }
        const unsigned char *title = sqlite3_column_text(q, 1);
        td_story_info info = {
            .id = (uint32_t)sqlite3_column_int64(q, 0),
            .title = td_str_make(title ? (const char *)title : "", title ? (size_t)sqlite3_column_bytes(q, 1) : 0),
            .first_seen = td_story_day(td_str_cstr((const char *)sqlite3_column_text(q, 2))),
            .last_seen = td_story_day(td_str_cstr((const char *)sqlite3_column_text(q, 3))),
            .articles = (uint32_t)sqlite3_column_int64(q, 4),
        };
        if ((out = td_story_restore(st, &info, terms, nt)) != TD_OK)
            break;
        (*n)++;
    }
    if (out == TD_OK && rc != SQLITE_DONE)
        out = failed(d);
    td_free(terms);
    sqlite3_finalize(q);
    return out;
}

/* ---- runs that did not finish ---- */

td_status td_story_db_pending_add(td_story_db *d, int64_t rowid)
{
    sqlite3_stmt *q = d->q[Q_PENDING_ADD];
    sqlite3_bind_int64(q, 1, rowid);
    return run(d, q);
}

td_status td_story_db_pending_each(td_story_db *d, td_status (*fn)(void *ud, const td_story_pending *p), void *ud,
                                   uint32_t *n)
{
    *n = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT a.rowid, a.published, a.title, a.body, coalesce(a.story_id, 0),"
                           " coalesce(a.duplicate_of, 0) FROM story_pending p JOIN article a ON a.rowid = p.article"
                           " ORDER BY p.article",
                           -1, &q, NULL) != SQLITE_OK)
        return failed(d);
    td_status st = TD_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 2), *b = (const char *)sqlite3_column_text(q, 3);
        td_story_pending p = {
            .rowid = sqlite3_column_int64(q, 0),
            .date = td_story_day(td_str_cstr((const char *)sqlite3_column_text(q, 1))),
            .title = td_str_make(t ? t : "", t ? (size_t)sqlite3_column_bytes(q, 2) : 0),
            .body = td_str_make(b ? b : "", b ? (size_t)sqlite3_column_bytes(q, 3) : 0),
            .story = (uint32_t)sqlite3_column_int64(q, 4),
            .duplicate_of = sqlite3_column_int64(q, 5),
        };
        if ((st = fn(ud, &p)) != TD_OK)
            break;
        (*n)++;
    }
    if (st == TD_OK && rc != SQLITE_DONE)
        st = failed(d);
    sqlite3_finalize(q);
    return st;
}

td_status td_story_db_pending_clear(td_story_db *d)
{
    return sqlite3_exec(d->db, "DELETE FROM story_pending", NULL, NULL, NULL) == SQLITE_OK ? TD_OK : failed(d);
}
