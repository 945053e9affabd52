/*
 * sqlite_entity.c - entities in the store, on SQLite or PostgreSQL through
 * db.h (contract and tables in store_entity.h).
 *
 * put: one DELETE per table for the article, then INSERTs; all eight
 * statements prepared once per store (td_store_sqlstmt), not per article.
 * rebuild: streams art_entity (ordered by article rowid, then idx) and
 * art_alias in the same order, a block of article rowids at a time (on
 * PostgreSQL a statement's whole result is fetched at its first step, so one
 * query over the corpus would hold it all), rebuilds one td_entities per
 * article in the scratch arena, feeds a fresh registry (articles labelled by
 * their rowid in decimal: the registry only numbers them in arrival order,
 * and the rowid saves a lookup of the article's id per entity and article),
 * then rewrites the corpus tables, writing only the art_entity and mention
 * rows whose entity id changed. Memory: the registry (forms and article
 * lists) plus one article at a time.
 * SQL: the subset both backends accept (docs/postgres.md); the DDL is the one
 * part written twice (TD_ENTITY_SCHEMA and TD_ENTITY_SCHEMA_PG).
 */
#include "store/store_entity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "db/db.h"
#include "extract/alias.h"

const char TD_ENTITY_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS art_entity ("
    "  article INTEGER NOT NULL, idx INTEGER NOT NULL,"
    "  type INTEGER NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL,"
    "  actor INTEGER, place INTEGER, geonameid INTEGER, country TEXT, lat REAL, lon REAL,"
    "  precision INTEGER, n_mentions INTEGER NOT NULL, conf REAL, entity_id INTEGER,"
    "  PRIMARY KEY (article, idx)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS art_entity_entity ON art_entity(entity_id);"
    "CREATE TABLE IF NOT EXISTS art_alias ("
    "  article INTEGER NOT NULL, idx INTEGER NOT NULL, surface TEXT NOT NULL, count INTEGER NOT NULL,"
    "  PRIMARY KEY (article, idx, surface)) WITHOUT ROWID;"
    /* entity, alias and mention have the columns of shared/DESIGN.md first,
     * which the HTTP API and its fixtures read; extras go after or into
     * entity_info */
    "CREATE TABLE IF NOT EXISTS mention ("
    "  article_id INTEGER NOT NULL, entity_id INTEGER, sentence INTEGER NOT NULL,"
    "  \"offset\" INTEGER NOT NULL, len INTEGER NOT NULL, how INTEGER NOT NULL, idx INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS mention_article ON mention(article_id);"
    "CREATE INDEX IF NOT EXISTS mention_entity ON mention(entity_id);"
    "CREATE TABLE IF NOT EXISTS entity ("
    "  id INTEGER PRIMARY KEY, type TEXT, name TEXT, lat REAL, lon REAL, country TEXT,"
    "  geonames_id INTEGER);"
    "CREATE INDEX IF NOT EXISTS entity_name ON entity(name COLLATE NOCASE);"
    "CREATE TABLE IF NOT EXISTS entity_info ("
    "  id INTEGER PRIMARY KEY, kind TEXT, precision INTEGER,"
    "  n_mentions INTEGER NOT NULL DEFAULT 0, n_articles INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS alias ("
    "  entity_id INTEGER NOT NULL, surface TEXT NOT NULL, count INTEGER NOT NULL,"
    "  PRIMARY KEY (entity_id, surface)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS alias_surface ON alias(surface COLLATE NOCASE);"
    "CREATE TABLE IF NOT EXISTS entity_article ("
    "  entity_id INTEGER NOT NULL, article INTEGER NOT NULL,"
    "  PRIMARY KEY (entity_id, article)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS entity_article_article ON entity_article(article);";

/* side tables, not new columns: every migration must be idempotent (a
 * legacy database replays them) and ADD COLUMN is not */
const char TD_ENTITY_APPROX_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS art_within ("
    "  article INTEGER NOT NULL, idx INTEGER NOT NULL, within INTEGER NOT NULL,"
    "  PRIMARY KEY (article, idx)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS entity_approx ("
    "  id INTEGER PRIMARY KEY, approx TEXT NOT NULL, within_geonameid INTEGER, within TEXT);";

/* PostgreSQL's text of migration 3: the same tables and columns; the codes
 * supply entity ids, so no identity columns; NOCASE indexes become indexes on
 * lower() */
const char TD_ENTITY_SCHEMA_PG[] =
    "CREATE TABLE IF NOT EXISTS art_entity ("
    "  article BIGINT NOT NULL, idx BIGINT NOT NULL,"
    "  type BIGINT NOT NULL, kind BIGINT NOT NULL, name TEXT NOT NULL,"
    "  actor BIGINT, place BIGINT, geonameid BIGINT, country TEXT, lat DOUBLE PRECISION,"
    "  lon DOUBLE PRECISION, precision BIGINT, n_mentions BIGINT NOT NULL, conf DOUBLE PRECISION,"
    "  entity_id BIGINT, PRIMARY KEY (article, idx));"
    "CREATE INDEX IF NOT EXISTS art_entity_entity ON art_entity(entity_id);"
    "CREATE TABLE IF NOT EXISTS art_alias ("
    "  article BIGINT NOT NULL, idx BIGINT NOT NULL, surface TEXT NOT NULL, count BIGINT NOT NULL,"
    "  PRIMARY KEY (article, idx, surface));"
    "CREATE TABLE IF NOT EXISTS mention ("
    "  article_id BIGINT NOT NULL, entity_id BIGINT, sentence BIGINT NOT NULL,"
    "  \"offset\" BIGINT NOT NULL, len BIGINT NOT NULL, how BIGINT NOT NULL, idx BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS mention_article ON mention(article_id);"
    "CREATE INDEX IF NOT EXISTS mention_entity ON mention(entity_id);"
    "CREATE TABLE IF NOT EXISTS entity ("
    "  id BIGINT PRIMARY KEY, type TEXT, name TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,"
    "  country TEXT, geonames_id BIGINT);"
    "CREATE INDEX IF NOT EXISTS entity_name ON entity(lower(name));"
    "CREATE TABLE IF NOT EXISTS entity_info ("
    "  id BIGINT PRIMARY KEY, kind TEXT, precision BIGINT,"
    "  n_mentions BIGINT NOT NULL DEFAULT 0, n_articles BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS alias ("
    "  entity_id BIGINT NOT NULL, surface TEXT NOT NULL, count BIGINT NOT NULL,"
    "  PRIMARY KEY (entity_id, surface));"
    "CREATE INDEX IF NOT EXISTS alias_surface ON alias(lower(surface));"
    "CREATE TABLE IF NOT EXISTS entity_article ("
    "  entity_id BIGINT NOT NULL, article BIGINT NOT NULL,"
    "  PRIMARY KEY (entity_id, article));"
    "CREATE INDEX IF NOT EXISTS entity_article_article ON entity_article(article);";

/* PostgreSQL's text of migration 11 */
const char TD_ENTITY_APPROX_SCHEMA_PG[] =
    "CREATE TABLE IF NOT EXISTS art_within ("
    "  article BIGINT NOT NULL, idx BIGINT NOT NULL, within BIGINT NOT NULL,"
    "  PRIMARY KEY (article, idx));"
    "CREATE TABLE IF NOT EXISTS entity_approx ("
    "  id BIGINT PRIMARY KEY, approx TEXT NOT NULL, within_geonameid BIGINT, within TEXT);";

/* The status of db's last failure: TD_EDB when it does not say (a step
 * that returned an unexpected row, a statement the cache could not hold). */
static td_status failed(td_db *db)
{
    int st = td_db_status(db);
    return st == TD_OK ? TD_EDB : (td_status)st;
}

/* "what: message" into err (may be NULL); the status of db's last failure. */
static td_status db_fail(td_db *db, td_buf *err, const char *what)
{
    if (err)
        td_buf_printf(err, "%s: %s", what, td_db_errmsg(db));
    return failed(db);
}

td_status td_store_entities_ensure(td_store *s)
{
    td_db *db = td_store_sql(s);
    bool pg = td_db_kind_of(db) == TD_DB_POSTGRES;
    if (td_db_exec(db, pg ? TD_ENTITY_SCHEMA_PG : TD_ENTITY_SCHEMA, NULL) != TD_OK ||
        td_db_exec(db, pg ? TD_ENTITY_APPROX_SCHEMA_PG : TD_ENTITY_APPROX_SCHEMA, NULL) != TD_OK)
        return failed(db);
    return TD_OK;
}

static void bind_str(td_stmt *st, int i, td_str s)
{
    if (s.p)
        td_stmt_bind_text(st, i, s.p, (int)s.len);
    else
        td_stmt_bind_null(st, i);
}

/* Steps a prepared INSERT/UPDATE/DELETE, resets it and drops its bindings
 * (an unbound parameter is NULL at the next use). */
static bool step(td_stmt *st)
{
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    td_stmt_clear(st);
    return rc == TD_DB_DONE;
}

/* The statements of td_store_entities_put, prepared once per store
 * (td_store_sqlstmt keys them by address). */
static const char SQL_DEL_ENTITY[] = "DELETE FROM art_entity WHERE article = ?";
static const char SQL_DEL_ALIAS[] = "DELETE FROM art_alias WHERE article = ?";
static const char SQL_DEL_MENTION[] = "DELETE FROM mention WHERE article_id = ?";
static const char SQL_PUT_ENTITY[] =
    "INSERT INTO art_entity (article, idx, type, kind, name, actor, place,"
    " geonameid, country, lat, lon, precision, n_mentions, conf)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char SQL_PUT_ALIAS[] =
    "INSERT INTO art_alias (article, idx, surface, count) VALUES (?,?,?,?)"
    " ON CONFLICT (article, idx, surface) DO UPDATE SET count = excluded.count";
static const char SQL_DEL_WITHIN[] = "DELETE FROM art_within WHERE article = ?";
static const char SQL_PUT_WITHIN[] =
    "INSERT INTO art_within (article, idx, within) VALUES (?,?,?)"
    " ON CONFLICT (article, idx) DO UPDATE SET within = excluded.within";
static const char SQL_PUT_MENTION[] =
    "INSERT INTO mention (article_id, sentence, \"offset\", len, how, idx) VALUES (?,?,?,?,?,?)";

td_status td_store_entities_put(td_store *s, int64_t rowid, const td_entities *en,
                                const td_gazetteer *g)
{
    td_db *db = td_store_sql(s);
    const char *const del[] = { SQL_DEL_ENTITY, SQL_DEL_ALIAS, SQL_DEL_MENTION, SQL_DEL_WITHIN };
    td_stmt *st, *ia, *im, *iw;
    for (int k = 0; k < 4; k++) {
        if (!(st = td_store_sqlstmt(s, del[k])))
            return TD_EDB;
        td_stmt_bind_i64(st, 1, rowid);
        if (!step(st))
            return failed(db);
    }
    if (!(st = td_store_sqlstmt(s, SQL_PUT_ENTITY)) || !(ia = td_store_sqlstmt(s, SQL_PUT_ALIAS)) ||
        !(im = td_store_sqlstmt(s, SQL_PUT_MENTION)) || !(iw = td_store_sqlstmt(s, SQL_PUT_WITHIN)))
        return TD_EDB;
    for (uint32_t i = 0; i < en->n_entities; i++) {
        const td_art_entity *e = &en->e[i];
        td_stmt_bind_i64(st, 1, rowid);
        td_stmt_bind_i64(st, 2, i);
        td_stmt_bind_i64(st, 3, e->type);
        td_stmt_bind_i64(st, 4, e->kind);
        bind_str(st, 5, e->name);
        if (e->actor >= 0)
            td_stmt_bind_i64(st, 6, e->actor);
        if (e->place >= 0)
            td_stmt_bind_i64(st, 7, e->place);
        if (e->place >= 0 && g) {
            td_place p;
            td_gazetteer_place(g, (uint32_t)e->place, &p);
            td_stmt_bind_i64(st, 8, p.geonameid);
            if (!isnan(p.lat)) {
                td_stmt_bind_double(st, 10, p.lat);
                td_stmt_bind_double(st, 11, p.lon);
            }
        }
        if (e->cc[0])
            td_stmt_bind_text(st, 9, e->cc, 2);
        td_stmt_bind_i64(st, 12, e->precision);
        td_stmt_bind_i64(st, 13, e->n_mentions);
        td_stmt_bind_double(st, 14, e->conf);
        if (!step(st))
            return failed(db);
        if (e->type == TD_ENT_PLACE && e->place < 0 && e->within && g &&
            e->within <= td_gazetteer_count(g)) {
            /* no record of its own: only its container, whose point the
             * corpus entity shows as approximate; art_entity.lat/lon stay
             * NULL, as the event merger reads them as the place's own point */
            td_stmt_bind_i64(iw, 1, rowid);
            td_stmt_bind_i64(iw, 2, i);
            td_stmt_bind_i64(iw, 3, (int64_t)e->within - 1);
            if (!step(iw))
                return failed(db);
        }
        for (uint32_t k = 0; k < e->n_aliases; k++) {
            td_stmt_bind_i64(ia, 1, rowid);
            td_stmt_bind_i64(ia, 2, i);
            bind_str(ia, 3, e->aliases[k]);
            td_stmt_bind_i64(ia, 4, e->alias_n[k]);
            if (!step(ia))
                return failed(db);
        }
    }
    for (uint32_t i = 0; i < en->n; i++) {
        const td_mention *m = &en->m[i];
        if (m->ent == TD_NO_ENT)
            continue;
        td_stmt_bind_i64(im, 1, rowid);
        td_stmt_bind_i64(im, 2, m->sent);
        td_stmt_bind_i64(im, 3, m->off);
        td_stmt_bind_i64(im, 4, m->len);
        td_stmt_bind_i64(im, 5, m->how);
        td_stmt_bind_i64(im, 6, m->ent);
        if (!step(im))
            return failed(db);
    }
    return TD_OK;
}

/* ---- rebuild ---- */

typedef struct link {
    int64_t article;
    uint32_t idx;
    uint32_t id;           /* registry id at add time */
    int64_t old;           /* art_entity.entity_id before the rebuild, 0 for NULL */
} link;

/* Article rowids per block of the rebuild's scan: at ~30 entities an article
 * about 100k rows, what PostgreSQL holds of one block at a time. */
#define REBUILD_BLOCK 4096

static td_str col(td_stmt *st, int i, td_arena *a)
{
    const char *p = td_stmt_text(st, i);
    size_t n = (size_t)td_stmt_bytes(st, i);
    char *c = p ? td_arena_strndup(a, p, n) : NULL;
    return c ? td_str_make(c, n) : td_str_make("", 0);
}

/* Reads the next article's entities from ent/ali (both positioned on their
 * current row; erc and arc hold the last step results) into out; *old gets
 * each entity's stored entity_id (0 for NULL), in the arena. */
static bool read_article(const td_entity_models *md, td_stmt *ent, int *erc, td_stmt *ali, int *arc,
                         td_arena *a, int64_t *rowid, td_str *id, td_entities *out, int64_t **old)
{
    memset(out, 0, sizeof *out);
    *rowid = td_stmt_i64(ent, 0);
    *id = col(ent, 14, a);
    uint32_t cap = 16, n = 0;
    td_art_entity *v = td_arena_calloc(a, cap, sizeof *v);
    int64_t *ov = td_arena_calloc(a, cap, sizeof *ov);
    while (v && ov && *erc == TD_DB_ROW && td_stmt_i64(ent, 0) == *rowid) {
        if (n == cap) {
            v = td_arena_realloc(a, v, cap * sizeof *v, 2 * cap * sizeof *v);
            ov = td_arena_realloc(a, ov, cap * sizeof *ov, 2 * cap * sizeof *ov);
            cap *= 2;
            if (!v || !ov)
                return false;
        }
        ov[n] = td_stmt_i64(ent, 13);
        td_art_entity *e = &v[n];
        memset(e, 0, sizeof *e);
        uint32_t idx = (uint32_t)td_stmt_i64(ent, 1);
        e->type = (uint8_t)td_stmt_i64(ent, 2);
        e->kind = (uint8_t)td_stmt_i64(ent, 3);
        e->name = col(ent, 4, a);
        e->actor = td_stmt_type(ent, 5) == TD_COL_NULL ? -1 : (int32_t)td_stmt_i64(ent, 5);
        e->place = td_stmt_type(ent, 6) == TD_COL_NULL ? -1 : (int32_t)td_stmt_i64(ent, 6);
        td_str cc = col(ent, 7, a);
        if (cc.len == 2)
            memcpy(e->cc, cc.p, 2);
        e->precision = (uint8_t)td_stmt_i64(ent, 8);
        e->n_mentions = (uint32_t)td_stmt_i64(ent, 9);
        e->conf = (float)td_stmt_double(ent, 10);
        e->first = idx; /* carries idx to the caller */
        /* a place index from another build of the gazetteer is not trusted:
         * the record must still carry the GeoNames id and point stored */
        if (e->place >= 0) {
            td_place p;
            if (!md || !md->gaz || (uint32_t)e->place >= td_gazetteer_count(md->gaz)) {
                e->place = -1;
            } else {
                td_gazetteer_place(md->gaz, (uint32_t)e->place, &p);
                double lat = td_stmt_double(ent, 12);
                if ((int64_t)p.geonameid != td_stmt_i64(ent, 11) ||
                    (td_stmt_type(ent, 12) != TD_COL_NULL && fabs(p.lat - lat) > 1e-4))
                    e->place = -1;
            }
        }
        if (e->actor >= 0 && (!md || !md->lex || (uint32_t)e->actor >= td_lexicon_actor_count(md->lex)))
            e->actor = -1;
        /* a container from another build of the gazetteer is not trusted
         * either: it must lie in the country stored (geocode.c gives a
         * contained place its container's country) */
        if (e->place < 0 && td_stmt_type(ent, 15) != TD_COL_NULL && md && md->gaz) {
            int64_t w = td_stmt_i64(ent, 15);
            if (w >= 0 && w < (int64_t)td_gazetteer_count(md->gaz)) {
                td_place p;
                td_gazetteer_place(md->gaz, (uint32_t)w, &p);
                if (!isnan(p.lat) && memcmp(p.country, e->cc, 2) == 0)
                    e->within = (uint32_t)w + 1;
            }
        }
        /* its aliases */
        uint32_t acap = 0;
        while (*arc == TD_DB_ROW && (td_stmt_i64(ali, 0) < *rowid ||
                                     (td_stmt_i64(ali, 0) == *rowid && (uint32_t)td_stmt_i64(ali, 1) < idx)))
            *arc = td_stmt_step(ali);
        while (*arc == TD_DB_ROW && td_stmt_i64(ali, 0) == *rowid && (uint32_t)td_stmt_i64(ali, 1) == idx) {
            if (e->n_aliases == acap) {
                uint32_t nc = acap ? acap * 2 : 4;
                td_str *na = td_arena_realloc(a, e->aliases, acap * sizeof *na, nc * sizeof *na);
                uint32_t *nn = td_arena_realloc(a, e->alias_n, acap * sizeof *nn, nc * sizeof *nn);
                if (!na || !nn)
                    return false;
                e->aliases = na;
                e->alias_n = nn;
                acap = nc;
            }
            e->aliases[e->n_aliases] = col(ali, 2, a);
            e->alias_n[e->n_aliases++] = (uint32_t)td_stmt_i64(ali, 3);
            *arc = td_stmt_step(ali);
        }
        n++;
        *erc = td_stmt_step(ent);
    }
    out->e = v;
    out->n_entities = n;
    *old = ov;
    return v && ov && !a->failed;
}

/* Writes the corpus tables from the registry. */
static td_status write_entities(td_store *s, const td_entity_registry *r, const td_entity_models *md)
{
    td_db *db = td_store_sql(s);
    td_stmt *ie = NULL, *ii = NULL, *ia = NULL, *ix = NULL, *iw = NULL;
    td_status out = TD_EDB;
    if (td_db_exec(db, "DELETE FROM entity; DELETE FROM entity_info; DELETE FROM alias;"
                       " DELETE FROM entity_article; DELETE FROM entity_approx;", NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO entity (id, type, name, lat, lon, country, geonames_id)"
                          " VALUES (?,?,?,?,?,?,?)", &ie, NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO entity_info (id, kind, precision, n_mentions, n_articles)"
                          " VALUES (?,?,?,?,?)", &ii, NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO entity_approx (id, approx, within_geonameid, within)"
                          " VALUES (?,?,?,?)", &iw, NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO alias (entity_id, surface, count) VALUES (?,?,?)"
                          " ON CONFLICT (entity_id, surface) DO UPDATE SET count = excluded.count",
                      &ia, NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO entity_article (entity_id, article) VALUES (?,?)"
                          " ON CONFLICT (entity_id, article) DO NOTHING", &ix, NULL) != TD_OK)
        goto done;
    for (uint32_t id = 0; id < td_entity_registry_count(r); id++) {
        if (td_entity_registry_root(r, id) != id)
            continue;
        td_entity_info in;
        if (!td_entity_registry_get(r, id, &in) || in.type == TD_ENT_NONE)
            continue;
        td_stmt_bind_i64(ie, 1, (int64_t)id + 1);
        td_stmt_bind_text(ie, 2, td_ent_type_name(in.type), -1);
        td_stmt_bind_text(ie, 3, in.name, -1);
        if (in.type == TD_ENT_PLACE && !isnan(in.lat)) {
            td_stmt_bind_double(ie, 4, in.lat);
            td_stmt_bind_double(ie, 5, in.lon);
        }
        if (in.country[0])
            td_stmt_bind_text(ie, 6, in.country, 2);
        if (in.geonameid)
            td_stmt_bind_i64(ie, 7, in.geonameid);
        if (!step(ie))
            goto done;
        td_stmt_bind_i64(ii, 1, (int64_t)id + 1);
        if (in.type == TD_ENT_ORG)
            td_stmt_bind_text(ii, 2, td_org_kind_name((td_org_kind)in.kind), -1);
        if (in.type == TD_ENT_PLACE && in.precision)
            td_stmt_bind_i64(ii, 3, in.precision);
        td_stmt_bind_i64(ii, 4, in.n_mentions);
        td_stmt_bind_i64(ii, 5, in.n_articles);
        if (!step(ii))
            goto done;
        if (in.type == TD_ENT_PLACE && in.within && md && md->gaz) {
            /* its point is its container's: what that container is */
            td_place p;
            td_gazetteer_place(md->gaz, in.within - 1, &p);
            td_stmt_bind_i64(iw, 1, (int64_t)id + 1);
            td_stmt_bind_text(iw, 2, td_gazetteer_approx_name(p.kind), -1);
            if (p.geonameid)
                td_stmt_bind_i64(iw, 3, p.geonameid);
            td_stmt_bind_text(iw, 4, p.name, -1);
            if (!step(iw))
                goto done;
        }
        for (uint32_t k = 0; k < in.n_aliases; k++) {
            uint32_t c = 0;
            td_str a = td_entity_registry_alias(r, id, k, &c);
            td_stmt_bind_i64(ia, 1, (int64_t)id + 1);
            bind_str(ia, 2, a);
            td_stmt_bind_i64(ia, 3, c);
            if (!step(ia))
                goto done;
        }
        for (uint32_t k = 0; k < in.n_articles; k++) {
            /* the registry's article labels are rowids (see the rebuild) */
            td_str art = td_entity_registry_article(r, id, k);
            char num[24];
            snprintf(num, sizeof num, "%.*s", (int)(art.len < sizeof num ? art.len : sizeof num - 1), art.p);
            td_stmt_bind_i64(ix, 1, (int64_t)id + 1);
            td_stmt_bind_i64(ix, 2, strtoll(num, NULL, 10));
            if (!step(ix))
                goto done;
        }
    }
    /* mentions point to the corpus entities; only changed rows are written
     * (IS DISTINCT FROM: SQLite's IS NOT, which PostgreSQL reads otherwise) */
    if (td_db_exec(db, "UPDATE mention SET entity_id = x.entity_id FROM art_entity x"
                       " WHERE x.article = mention.article_id AND x.idx = mention.idx"
                       " AND mention.entity_id IS DISTINCT FROM x.entity_id", NULL) != TD_OK)
        goto done;
    out = TD_OK;
done:
    if (out != TD_OK)
        out = failed(db);
    td_stmt_finalize(ii);
    td_stmt_finalize(ie);
    td_stmt_finalize(ia);
    td_stmt_finalize(ix);
    td_stmt_finalize(iw);
    return out;
}

td_status td_store_entities_rebuild(td_store *s, const td_entity_models *md, td_arena *scratch)
{
    td_db *db = td_store_sql(s);
    td_status st = td_store_entities_ensure(s);
    if (st != TD_OK)
        return st;
    bool own_tx = !td_store_in_tx(s);
    if (own_tx && (st = td_store_begin(s)) != TD_OK)
        return st;
    td_entity_registry *r = td_entity_registry_new(md);
    td_stmt *span = NULL, *ent = NULL, *ali = NULL, *up = NULL;
    link *links = NULL;
    size_t n_links = 0, cap_links = 0;
    st = r ? TD_EDB : TD_ENOMEM;
    if (!r ||
        td_db_prepare(db, "SELECT coalesce(min(article), 0), coalesce(max(article), -1) FROM art_entity",
                      &span, NULL) != TD_OK ||
        td_db_prepare(db,
                      "SELECT e.article, e.idx, e.type, e.kind, e.name, e.actor, e.place,"
                      " e.country, e.precision, e.n_mentions, e.conf, e.geonameid, e.lat, coalesce(e.entity_id, 0),"
                      " e.article, w.within FROM art_entity e LEFT JOIN art_within w"
                      " ON w.article = e.article AND w.idx = e.idx"
                      " WHERE e.article >= ? AND e.article < ? ORDER BY e.article, e.idx", &ent, NULL) != TD_OK ||
        td_db_prepare(db, "SELECT article, idx, surface, count FROM art_alias"
                          " WHERE article >= ? AND article < ? ORDER BY article, idx, surface", &ali, NULL) != TD_OK ||
        td_db_prepare(db, "UPDATE art_entity SET entity_id = ? WHERE article = ? AND idx = ?", &up, NULL) != TD_OK ||
        td_stmt_step(span) != TD_DB_ROW)
        goto done;
    int64_t lo = td_stmt_i64(span, 0), hi = td_stmt_i64(span, 1);
    for (int64_t from = lo; from <= hi; from += REBUILD_BLOCK) {
        td_stmt_bind_i64(ent, 1, from);
        td_stmt_bind_i64(ent, 2, from + REBUILD_BLOCK);
        td_stmt_bind_i64(ali, 1, from);
        td_stmt_bind_i64(ali, 2, from + REBUILD_BLOCK);
        int erc = td_stmt_step(ent), arc = td_stmt_step(ali);
        while (erc == TD_DB_ROW) {
            td_arena_reset(scratch);
            int64_t rowid;
            td_str id;
            td_entities en;
            int64_t *old = NULL;
            if (!read_article(md, ent, &erc, ali, &arc, scratch, &rowid, &id, &en, &old)) {
                st = TD_ENOMEM;
                goto done;
            }
            uint32_t *ids = td_arena_alloc(scratch, (en.n_entities + 1) * sizeof *ids);
            if (!ids) {
                st = TD_ENOMEM;
                goto done;
            }
            if ((st = td_entity_registry_add(r, id, &en, ids)) != TD_OK)
                goto done;
            st = TD_EDB;
            for (uint32_t i = 0; i < en.n_entities; i++) {
                if (ids[i] == TD_NO_ENT)
                    continue;
                if (n_links == cap_links) {
                    size_t nc = cap_links ? cap_links * 2 : 1024;
                    link *nl = td_realloc(links, nc * sizeof *nl);
                    if (!nl) {
                        st = TD_ENOMEM;
                        goto done;
                    }
                    links = nl;
                    cap_links = nc;
                }
                links[n_links++] = (link){ rowid, en.e[i].first, ids[i], old[i] };
            }
        }
        if (erc != TD_DB_DONE || (arc != TD_DB_DONE && arc != TD_DB_ROW))
            goto done;
        td_stmt_reset(ent);
        td_stmt_reset(ali);
    }
    /* ids resolve to their final roots only now; rows already right are not
     * written again (a re-run over a corpus that grew a little changes few) */
    for (size_t k = 0; k < n_links; k++) {
        td_entity_info in;
        uint32_t root = td_entity_registry_root(r, links[k].id);
        int64_t now = td_entity_registry_get(r, root, &in) && in.type != TD_ENT_NONE ? (int64_t)root + 1 : 0;
        if (now == links[k].old)
            continue;
        if (now)
            td_stmt_bind_i64(up, 1, now);
        td_stmt_bind_i64(up, 2, links[k].article);
        td_stmt_bind_i64(up, 3, links[k].idx);
        if (!step(up))
            goto done;
    }
    st = write_entities(s, r, md);
done:
    if (st == TD_EDB)
        st = failed(db);
    td_stmt_finalize(span);
    td_stmt_finalize(ent);
    td_stmt_finalize(ali);
    td_stmt_finalize(up);
    td_free(links);
    td_entity_registry_free(r);
    if (own_tx) {
        if (st == TD_OK)
            st = td_store_commit(s);
        else
            td_store_rollback(s);
    }
    return st;
}

/* ---- export ---- */

/* Appends the JSON array of the first column of every row of st (text) to b,
 * as SQLite's json_group_array wrote it: ["a","b"], [] for none. */
static int json_array(td_stmt *st, td_buf *b)
{
    int rc;
    td_buf_putc(b, '[');
    for (int n = 0; (rc = td_stmt_step(st)) == TD_DB_ROW; n++) {
        if (n)
            td_buf_putc(b, ',');
        const char *p = td_stmt_text(st, 0);
        td_buf_json_str(b, td_str_make(p ? p : "", p ? (size_t)td_stmt_bytes(st, 0) : 0));
    }
    td_buf_putc(b, ']');
    td_stmt_reset(st);
    return rc;
}

/* One alias of the entity being exported: its bytes in the caller's text
 * buffer, and its count. */
typedef struct surf {
    size_t off, len;
    int64_t count;
    const char *p; /* set once the buffer stops moving */
} surf;

/* Most used first, then byte order (SQLite's BINARY collation): sorted here,
 * not by ORDER BY, so a PostgreSQL database whose collation is a locale's
 * exports the same order. */
static int surf_cmp(const void *a, const void *b)
{
    const surf *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Appends the JSON array of the aliases st (surface, count) returns. *v and
 * *cap: the caller's array, grown here; txt: the caller's scratch text. */
static int alias_array(td_stmt *st, td_buf *b, surf **v, size_t *cap, td_buf *txt)
{
    int rc;
    size_t n = 0;
    td_buf_clear(txt);
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (n == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            surf *nv = td_realloc(*v, nc * sizeof *nv);
            if (!nv) {
                td_stmt_reset(st);
                b->failed = true;
                return TD_DB_DONE;
            }
            *v = nv;
            *cap = nc;
        }
        const char *p = td_stmt_text(st, 0);
        size_t len = p ? (size_t)td_stmt_bytes(st, 0) : 0;
        (*v)[n++] = (surf){ txt->len, len, td_stmt_i64(st, 1), NULL };
        td_buf_append(txt, p ? p : "", len);
    }
    td_stmt_reset(st);
    for (size_t i = 0; i < n; i++)
        (*v)[i].p = txt->p ? txt->p + (*v)[i].off : "";
    if (n > 1)
        qsort(*v, n, sizeof **v, surf_cmp);
    td_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            td_buf_putc(b, ',');
        td_buf_json_str(b, td_str_make((*v)[i].p, (*v)[i].len));
    }
    td_buf_putc(b, ']');
    if (txt->failed)
        b->failed = true;
    return rc;
}

td_status td_export_entities(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    if (fmt == TD_EXPORT_CSV)
        return TD_OK;
    td_db *db = td_store_sql(s);
    if (td_store_entities_ensure(s) != TD_OK) {
        /* a read-only database from before entities: nothing to export */
        td_stmt *t = NULL;
        bool have = td_db_prepare(db, "SELECT 1 FROM entity LIMIT 1", &t, NULL) == TD_OK;
        td_stmt_finalize(t);
        if (!have)
            return TD_OK;
    }
    /* NULLS LAST: SQLite's order of NULLs under DESC, which PostgreSQL
     * reverses; aliases and articles per entity by statements run inside the
     * loop (no json_group_array in PostgreSQL's dialect), aliases sorted in C
     * (surf_cmp) */
    td_stmt *st = NULL, *al = NULL, *ar = NULL;
    if (td_db_prepare(db,
                      "SELECT e.id, e.type, i.kind, e.name, e.country, e.lat, e.lon, e.geonames_id, i.precision,"
                      " coalesce(i.n_mentions, 0), w.approx, w.within"
                      " FROM entity e LEFT JOIN entity_info i ON i.id = e.id LEFT JOIN entity_approx w ON w.id = e.id"
                      " ORDER BY i.n_mentions DESC NULLS LAST, e.id", &st, NULL) != TD_OK ||
        td_db_prepare(db, "SELECT surface, count FROM alias WHERE entity_id = ?", &al, NULL) != TD_OK ||
        td_db_prepare(db, "SELECT a.id FROM entity_article x JOIN article a ON a.rowid = x.article"
                          " WHERE x.entity_id = ? ORDER BY a.rowid", &ar, NULL) != TD_OK) {
        td_status f = db_fail(db, err, "export");
        td_stmt_finalize(st);
        td_stmt_finalize(al);
        return f;
    }
    td_buf b = TD_BUF_INIT, txt = TD_BUF_INIT;
    surf *sv = NULL;
    size_t sv_cap = 0;
    td_status out_st = TD_OK;
    int rc;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        int64_t id = td_stmt_i64(st, 0);
        const char *type = td_stmt_text(st, 1);
        if (!type)
            type = "";
        td_buf_printf(&b, "{\"kind\":\"entity\",\"id\":\"n%lld\",\"type\":\"%s\"", (long long)id, type);
        if (td_stmt_type(st, 2) != TD_COL_NULL)
            td_buf_printf(&b, ",\"kind_of\":\"%s\"", td_stmt_text(st, 2));
        td_buf_puts(&b, ",\"name\":");
        td_buf_json_str(&b, td_str_cstr(td_stmt_text(st, 3)));
        td_buf_puts(&b, ",\"aliases\":");
        td_stmt_bind_i64(al, 1, id);
        if ((rc = alias_array(al, &b, &sv, &sv_cap, &txt)) != TD_DB_DONE)
            break;
        td_buf_printf(&b, ",\"mentions\":%lld,\"articles\":", (long long)td_stmt_i64(st, 9));
        td_stmt_bind_i64(ar, 1, id);
        if ((rc = json_array(ar, &b)) != TD_DB_DONE)
            break;
        if (td_stmt_type(st, 4) != TD_COL_NULL) {
            td_buf_puts(&b, ",\"country\":");
            td_buf_json_str(&b, td_str_cstr(td_stmt_text(st, 4)));
        }
        if (strcmp(type, "place") == 0) {
            if (td_stmt_type(st, 5) != TD_COL_NULL) {
                td_buf_printf(&b, ",\"lat\":%.5f,\"lon\":%.5f", td_stmt_double(st, 5), td_stmt_double(st, 6));
                /* "exact": the place's own point; "city"/"admin1"/"country":
                 * the point of the container of a place the gazetteer lacks */
                const char *ap = td_stmt_text(st, 10);
                td_buf_printf(&b, ",\"coord_precision\":\"%s\"", ap ? ap : "exact");
                if (ap && td_stmt_type(st, 11) != TD_COL_NULL) {
                    td_buf_puts(&b, ",\"within\":");
                    td_buf_json_str(&b, td_str_cstr(td_stmt_text(st, 11)));
                }
            } else
                td_buf_puts(&b, ",\"lat\":null,\"lon\":null");
            if (td_stmt_type(st, 7) != TD_COL_NULL)
                td_buf_printf(&b, ",\"geonameid\":%lld", (long long)td_stmt_i64(st, 7));
            if (td_stmt_type(st, 8) != TD_COL_NULL)
                td_buf_printf(&b, ",\"precision\":%lld", (long long)td_stmt_i64(st, 8));
        }
        td_buf_puts(&b, "}\n");
        if (b.len > (1u << 16)) {
            if (b.failed || fwrite(b.p, 1, b.len, out) != b.len) {
                out_st = b.failed ? TD_ENOMEM : TD_EIO;
                break;
            }
            td_buf_clear(&b);
        }
    }
    if (out_st == TD_OK && rc != TD_DB_DONE)
        out_st = db_fail(db, err, "export");
    if (out_st == TD_OK && (b.failed || (b.len && fwrite(b.p, 1, b.len, out) != b.len)))
        out_st = b.failed ? TD_ENOMEM : TD_EIO;
    if (out_st == TD_EIO && err)
        td_buf_puts(err, "cannot write the export (disk full or closed pipe?)");
    td_buf_free(&b);
    td_buf_free(&txt);
    td_free(sv);
    td_stmt_finalize(st);
    td_stmt_finalize(al);
    td_stmt_finalize(ar);
    return out_st;
}
