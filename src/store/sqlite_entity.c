/*
 * sqlite_entity.c - entities in SQLite (contract and tables in
 * store_entity.h).
 *
 * put: one DELETE per table for the article, then INSERTs; all six
 * statements prepared once per store (td_store_stmt), not per article.
 * rebuild: streams art_entity (ordered by article rowid, then idx) and
 * art_alias in the same order, rebuilds one td_entities per article in the
 * scratch arena, feeds a fresh registry (articles labelled by their rowid in
 * decimal: the registry only numbers them in arrival order, and the rowid
 * saves a lookup of the article's id per entity and article), then rewrites
 * the corpus tables, writing only the art_entity and mention rows whose
 * entity id changed. Memory: the registry (forms and article
 * lists) plus one article at a time.
 */
#include "store/store_entity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
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

static td_status db_fail(td_store *s, td_buf *err, const char *what)
{
    int rc = sqlite3_errcode(td_store_db(s));
    if (err)
        td_buf_printf(err, "%s: %s", what, sqlite3_errmsg(td_store_db(s)));
    td_status st = td_store_status(rc);
    return st == TD_OK ? TD_EDB : st;
}

td_status td_store_entities_ensure(td_store *s)
{
    char *msg = NULL;
    int rc = sqlite3_exec(td_store_db(s), TD_ENTITY_SCHEMA, NULL, NULL, &msg);
    sqlite3_free(msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(td_store_db(s), TD_ENTITY_APPROX_SCHEMA, NULL, NULL, NULL);
    return rc == SQLITE_OK ? TD_OK : td_store_status(rc) == TD_OK ? TD_EDB : td_store_status(rc);
}

static void bind_str(sqlite3_stmt *st, int i, td_str s)
{
    if (s.p)
        sqlite3_bind_text(st, i, s.p, (int)s.len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Steps a prepared INSERT and resets it. */
static bool step(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

/* The statements of td_store_entities_put, prepared once per store
 * (td_store_stmt keys them by address). */
static const char SQL_DEL_ENTITY[] = "DELETE FROM art_entity WHERE article = ?";
static const char SQL_DEL_ALIAS[] = "DELETE FROM art_alias WHERE article = ?";
static const char SQL_DEL_MENTION[] = "DELETE FROM mention WHERE article_id = ?";
static const char SQL_PUT_ENTITY[] =
    "INSERT INTO art_entity (article, idx, type, kind, name, actor, place,"
    " geonameid, country, lat, lon, precision, n_mentions, conf)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char SQL_PUT_ALIAS[] = "INSERT OR REPLACE INTO art_alias VALUES (?,?,?,?)";
static const char SQL_DEL_WITHIN[] = "DELETE FROM art_within WHERE article = ?";
static const char SQL_PUT_WITHIN[] = "INSERT OR REPLACE INTO art_within VALUES (?,?,?)";
static const char SQL_PUT_MENTION[] =
    "INSERT INTO mention (article_id, sentence, \"offset\", len, how, idx) VALUES (?,?,?,?,?,?)";

td_status td_store_entities_put(td_store *s, int64_t rowid, const td_entities *en,
                                const td_gazetteer *g)
{
    sqlite3 *db = td_store_db(s);
    const char *const del[] = { SQL_DEL_ENTITY, SQL_DEL_ALIAS, SQL_DEL_MENTION, SQL_DEL_WITHIN };
    sqlite3_stmt *st, *ia, *im, *iw;
    td_status out = TD_EDB;
    for (int k = 0; k < 4; k++) {
        if (!(st = td_store_stmt(s, del[k])))
            goto done;
        sqlite3_bind_int64(st, 1, rowid);
        if (!step(st))
            goto done;
    }
    if (!(st = td_store_stmt(s, SQL_PUT_ENTITY)) || !(ia = td_store_stmt(s, SQL_PUT_ALIAS)) ||
        !(im = td_store_stmt(s, SQL_PUT_MENTION)) || !(iw = td_store_stmt(s, SQL_PUT_WITHIN)))
        goto done;
    for (uint32_t i = 0; i < en->n_entities; i++) {
        const td_art_entity *e = &en->e[i];
        sqlite3_bind_int64(st, 1, rowid);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_int(st, 3, e->type);
        sqlite3_bind_int(st, 4, e->kind);
        bind_str(st, 5, e->name);
        if (e->actor >= 0)
            sqlite3_bind_int(st, 6, e->actor);
        if (e->place >= 0)
            sqlite3_bind_int(st, 7, e->place);
        if (e->place >= 0 && g) {
            td_place p;
            td_gazetteer_place(g, (uint32_t)e->place, &p);
            sqlite3_bind_int64(st, 8, p.geonameid);
            if (!isnan(p.lat)) {
                sqlite3_bind_double(st, 10, p.lat);
                sqlite3_bind_double(st, 11, p.lon);
            }
        }
        if (e->cc[0])
            sqlite3_bind_text(st, 9, e->cc, 2, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 12, e->precision);
        sqlite3_bind_int(st, 13, (int)e->n_mentions);
        sqlite3_bind_double(st, 14, e->conf);
        if (!step(st))
            goto done;
        if (e->type == TD_ENT_PLACE && e->place < 0 && e->within && g &&
            e->within <= td_gazetteer_count(g)) {
            /* no record of its own: only its container, whose point the
             * corpus entity shows as approximate; art_entity.lat/lon stay
             * NULL, as the event merger reads them as the place's own point */
            sqlite3_bind_int64(iw, 1, rowid);
            sqlite3_bind_int(iw, 2, (int)i);
            sqlite3_bind_int64(iw, 3, (int64_t)e->within - 1);
            if (!step(iw))
                goto done;
        }
        for (uint32_t k = 0; k < e->n_aliases; k++) {
            sqlite3_bind_int64(ia, 1, rowid);
            sqlite3_bind_int(ia, 2, (int)i);
            bind_str(ia, 3, e->aliases[k]);
            sqlite3_bind_int(ia, 4, (int)e->alias_n[k]);
            if (!step(ia))
                goto done;
        }
    }
    for (uint32_t i = 0; i < en->n; i++) {
        const td_mention *m = &en->m[i];
        if (m->ent == TD_NO_ENT)
            continue;
        sqlite3_bind_int64(im, 1, rowid);
        sqlite3_bind_int(im, 2, (int)m->sent);
        sqlite3_bind_int(im, 3, (int)m->off);
        sqlite3_bind_int(im, 4, (int)m->len);
        sqlite3_bind_int(im, 5, m->how);
        sqlite3_bind_int(im, 6, (int)m->ent);
        if (!step(im))
            goto done;
    }
    out = TD_OK;
done:
    if (out != TD_OK)
        out = td_store_status(sqlite3_errcode(db)) == TD_OK ? TD_EDB : td_store_status(sqlite3_errcode(db));
    return out;
}

/* ---- rebuild ---- */

typedef struct link {
    int64_t article;
    uint32_t idx;
    uint32_t id;           /* registry id at add time */
    int64_t old;           /* art_entity.entity_id before the rebuild, 0 for NULL */
} link;

static td_str col(sqlite3_stmt *st, int i, td_arena *a)
{
    const unsigned char *p = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    char *c = p ? td_arena_strndup(a, (const char *)p, n) : NULL;
    return c ? td_str_make(c, n) : td_str_make("", 0);
}

/* Reads the next article's entities from ent/ali (both positioned on their
 * current row; erc and arc hold the last step results) into out; *old gets
 * each entity's stored entity_id (0 for NULL), in the arena. */
static bool read_article(td_store *s, const td_entity_models *md, sqlite3_stmt *ent, int *erc,
                         sqlite3_stmt *ali, int *arc, td_arena *a, int64_t *rowid, td_str *id,
                         td_entities *out, int64_t **old)
{
    (void)s;
    memset(out, 0, sizeof *out);
    *rowid = sqlite3_column_int64(ent, 0);
    *id = col(ent, 14, a);
    uint32_t cap = 16, n = 0;
    td_art_entity *v = td_arena_calloc(a, cap, sizeof *v);
    int64_t *ov = td_arena_calloc(a, cap, sizeof *ov);
    while (v && ov && *erc == SQLITE_ROW && sqlite3_column_int64(ent, 0) == *rowid) {
        if (n == cap) {
            v = td_arena_realloc(a, v, cap * sizeof *v, 2 * cap * sizeof *v);
            ov = td_arena_realloc(a, ov, cap * sizeof *ov, 2 * cap * sizeof *ov);
            cap *= 2;
            if (!v || !ov)
                return false;
        }
        ov[n] = sqlite3_column_int64(ent, 13);
        td_art_entity *e = &v[n];
        memset(e, 0, sizeof *e);
        uint32_t idx = (uint32_t)sqlite3_column_int(ent, 1);
        e->type = (uint8_t)sqlite3_column_int(ent, 2);
        e->kind = (uint8_t)sqlite3_column_int(ent, 3);
        e->name = col(ent, 4, a);
        e->actor = sqlite3_column_type(ent, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(ent, 5);
        e->place = sqlite3_column_type(ent, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(ent, 6);
        td_str cc = col(ent, 7, a);
        if (cc.len == 2)
            memcpy(e->cc, cc.p, 2);
        e->precision = (uint8_t)sqlite3_column_int(ent, 8);
        e->n_mentions = (uint32_t)sqlite3_column_int(ent, 9);
        e->conf = (float)sqlite3_column_double(ent, 10);
        e->first = idx; /* carries idx to the caller */
        /* a place index from another build of the gazetteer is not trusted:
         * the record must still carry the GeoNames id and point stored */
        if (e->place >= 0) {
            td_place p;
            if (!md || !md->gaz || (uint32_t)e->place >= td_gazetteer_count(md->gaz)) {
                e->place = -1;
            } else {
                td_gazetteer_place(md->gaz, (uint32_t)e->place, &p);
                double lat = sqlite3_column_double(ent, 12);
                if ((int64_t)p.geonameid != sqlite3_column_int64(ent, 11) ||
                    (sqlite3_column_type(ent, 12) != SQLITE_NULL && fabs(p.lat - lat) > 1e-4))
                    e->place = -1;
            }
        }
        if (e->actor >= 0 && (!md || !md->lex || (uint32_t)e->actor >= td_lexicon_actor_count(md->lex)))
            e->actor = -1;
        /* a container from another build of the gazetteer is not trusted
         * either: it must lie in the country stored (geocode.c gives a
         * contained place its container's country) */
        if (e->place < 0 && sqlite3_column_type(ent, 15) != SQLITE_NULL && md && md->gaz) {
            int64_t w = sqlite3_column_int64(ent, 15);
            if (w >= 0 && w < (int64_t)td_gazetteer_count(md->gaz)) {
                td_place p;
                td_gazetteer_place(md->gaz, (uint32_t)w, &p);
                if (!isnan(p.lat) && memcmp(p.country, e->cc, 2) == 0)
                    e->within = (uint32_t)w + 1;
            }
        }
        /* its aliases */
        uint32_t acap = 0;
        while (*arc == SQLITE_ROW && (sqlite3_column_int64(ali, 0) < *rowid ||
                                      (sqlite3_column_int64(ali, 0) == *rowid &&
                                       (uint32_t)sqlite3_column_int(ali, 1) < idx)))
            *arc = sqlite3_step(ali);
        while (*arc == SQLITE_ROW && sqlite3_column_int64(ali, 0) == *rowid &&
               (uint32_t)sqlite3_column_int(ali, 1) == idx) {
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
            e->alias_n[e->n_aliases++] = (uint32_t)sqlite3_column_int(ali, 3);
            *arc = sqlite3_step(ali);
        }
        n++;
        *erc = sqlite3_step(ent);
    }
    out->e = v;
    out->n_entities = n;
    *old = ov;
    return v && ov && !a->failed;
}

/* Writes the corpus tables from the registry. */
static td_status write_entities(td_store *s, const td_entity_registry *r, const td_entity_models *md)
{
    sqlite3 *db = td_store_db(s);
    sqlite3_stmt *ie = NULL, *ii = NULL, *ia = NULL, *ix = NULL, *iw = NULL;
    td_status out = TD_EDB;
    if (sqlite3_exec(db, "DELETE FROM entity; DELETE FROM entity_info; DELETE FROM alias;"
                         " DELETE FROM entity_article; DELETE FROM entity_approx;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO entity VALUES (?,?,?,?,?,?,?)", -1, &ie, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO entity_info VALUES (?,?,?,?,?)", -1, &ii, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO entity_approx VALUES (?,?,?,?)", -1, &iw, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO alias VALUES (?,?,?)", -1, &ia, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO entity_article VALUES (?, ?)", -1, &ix, NULL) != SQLITE_OK)
        goto done;
    for (uint32_t id = 0; id < td_entity_registry_count(r); id++) {
        if (td_entity_registry_root(r, id) != id)
            continue;
        td_entity_info in;
        if (!td_entity_registry_get(r, id, &in) || in.type == TD_ENT_NONE)
            continue;
        sqlite3_bind_int64(ie, 1, (int64_t)id + 1);
        sqlite3_bind_text(ie, 2, td_ent_type_name(in.type), -1, SQLITE_STATIC);
        sqlite3_bind_text(ie, 3, in.name, -1, SQLITE_TRANSIENT);
        if (in.type == TD_ENT_PLACE && !isnan(in.lat)) {
            sqlite3_bind_double(ie, 4, in.lat);
            sqlite3_bind_double(ie, 5, in.lon);
        }
        if (in.country[0])
            sqlite3_bind_text(ie, 6, in.country, 2, SQLITE_TRANSIENT);
        if (in.geonameid)
            sqlite3_bind_int64(ie, 7, in.geonameid);
        if (!step(ie))
            goto done;
        sqlite3_bind_int64(ii, 1, (int64_t)id + 1);
        if (in.type == TD_ENT_ORG)
            sqlite3_bind_text(ii, 2, td_org_kind_name((td_org_kind)in.kind), -1, SQLITE_STATIC);
        if (in.type == TD_ENT_PLACE && in.precision)
            sqlite3_bind_int(ii, 3, in.precision);
        sqlite3_bind_int(ii, 4, (int)in.n_mentions);
        sqlite3_bind_int(ii, 5, (int)in.n_articles);
        if (!step(ii))
            goto done;
        if (in.type == TD_ENT_PLACE && in.within && md && md->gaz) {
            /* its point is its container's: what that container is */
            td_place p;
            td_gazetteer_place(md->gaz, in.within - 1, &p);
            sqlite3_bind_int64(iw, 1, (int64_t)id + 1);
            sqlite3_bind_text(iw, 2, td_gazetteer_approx_name(p.kind), -1, SQLITE_STATIC);
            if (p.geonameid)
                sqlite3_bind_int64(iw, 3, p.geonameid);
            sqlite3_bind_text(iw, 4, p.name, -1, SQLITE_TRANSIENT);
            if (!step(iw))
                goto done;
        }
        for (uint32_t k = 0; k < in.n_aliases; k++) {
            uint32_t c = 0;
            td_str a = td_entity_registry_alias(r, id, k, &c);
            sqlite3_bind_int64(ia, 1, (int64_t)id + 1);
            bind_str(ia, 2, a);
            sqlite3_bind_int(ia, 3, (int)c);
            if (!step(ia))
                goto done;
        }
        for (uint32_t k = 0; k < in.n_articles; k++) {
            /* the registry's article labels are rowids (see the rebuild) */
            td_str art = td_entity_registry_article(r, id, k);
            char num[24];
            snprintf(num, sizeof num, "%.*s", (int)(art.len < sizeof num ? art.len : sizeof num - 1), art.p);
            sqlite3_bind_int64(ix, 1, (int64_t)id + 1);
            sqlite3_bind_int64(ix, 2, strtoll(num, NULL, 10));
            if (!step(ix))
                goto done;
        }
    }
    (void)md;
    /* mentions point to the corpus entities; only changed rows are written */
    if (sqlite3_exec(db, "UPDATE mention SET entity_id = x.entity_id FROM art_entity x"
                         " WHERE x.article = mention.article_id AND x.idx = mention.idx"
                         " AND mention.entity_id IS NOT x.entity_id",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto done;
    out = TD_OK;
done:
    sqlite3_finalize(ii);
    sqlite3_finalize(ie);
    sqlite3_finalize(ia);
    sqlite3_finalize(ix);
    sqlite3_finalize(iw);
    return out;
}

td_status td_store_entities_rebuild(td_store *s, const td_entity_models *md, td_arena *scratch)
{
    sqlite3 *db = td_store_db(s);
    td_status st = td_store_entities_ensure(s);
    if (st != TD_OK)
        return st;
    bool own_tx = !td_store_in_tx(s);
    if (own_tx && (st = td_store_begin(s)) != TD_OK)
        return st;
    td_entity_registry *r = td_entity_registry_new(md);
    sqlite3_stmt *ent = NULL, *ali = NULL, *up = NULL;
    link *links = NULL;
    size_t n_links = 0, cap_links = 0;
    st = r ? TD_EDB : TD_ENOMEM;
    if (!r ||
        sqlite3_prepare_v2(db,
                           "SELECT e.article, e.idx, e.type, e.kind, e.name, e.actor, e.place,"
                           " e.country, e.precision, e.n_mentions, e.conf, e.geonameid, e.lat, coalesce(e.entity_id, 0),"
                           " e.article, w.within FROM art_entity e LEFT JOIN art_within w"
                           " ON w.article = e.article AND w.idx = e.idx ORDER BY e.article, e.idx", -1, &ent, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT article, idx, surface, count FROM art_alias ORDER BY article, idx",
                           -1, &ali, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE art_entity SET entity_id = ? WHERE article = ? AND idx = ?", -1,
                           &up, NULL) != SQLITE_OK)
        goto done;
    int erc = sqlite3_step(ent), arc = sqlite3_step(ali);
    while (erc == SQLITE_ROW) {
        td_arena_reset(scratch);
        int64_t rowid;
        td_str id;
        td_entities en;
        int64_t *old = NULL;
        if (!read_article(s, md, ent, &erc, ali, &arc, scratch, &rowid, &id, &en, &old)) {
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
    if (erc != SQLITE_DONE)
        goto done;
    /* ids resolve to their final roots only now; rows already right are not
     * written again (a re-run over a corpus that grew a little changes few) */
    for (size_t k = 0; k < n_links; k++) {
        td_entity_info in;
        uint32_t root = td_entity_registry_root(r, links[k].id);
        int64_t now = td_entity_registry_get(r, root, &in) && in.type != TD_ENT_NONE ? (int64_t)root + 1 : 0;
        if (now == links[k].old)
            continue;
        if (now)
            sqlite3_bind_int64(up, 1, now);
        sqlite3_bind_int64(up, 2, links[k].article);
        sqlite3_bind_int(up, 3, (int)links[k].idx);
        if (!step(up))
            goto done;
    }
    st = write_entities(s, r, md);
done:
    if (st == TD_EDB && sqlite3_errcode(db) != SQLITE_OK)
        st = td_store_status(sqlite3_errcode(db)) == TD_OK ? TD_EDB : td_store_status(sqlite3_errcode(db));
    sqlite3_finalize(ent);
    sqlite3_finalize(ali);
    sqlite3_finalize(up);
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

td_status td_export_entities(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    if (fmt == TD_EXPORT_CSV)
        return TD_OK;
    sqlite3 *db = td_store_db(s);
    if (td_store_entities_ensure(s) != TD_OK) {
        /* a read-only database from before entities: nothing to export */
        sqlite3_stmt *t = NULL;
        bool have = sqlite3_prepare_v2(db, "SELECT 1 FROM entity LIMIT 1", -1, &t, NULL) == SQLITE_OK;
        sqlite3_finalize(t);
        if (!have)
            return TD_OK;
    }
    static const char sql[] =
        "SELECT e.id, e.type, i.kind, e.name, e.country, e.lat, e.lon, e.geonames_id, i.precision,"
        " coalesce(i.n_mentions, 0),"
        " (SELECT json_group_array(surface) FROM"
        "   (SELECT surface FROM alias WHERE entity_id = e.id ORDER BY count DESC, surface)),"
        " (SELECT json_group_array(id) FROM (SELECT a.id FROM entity_article x JOIN article a"
        "   ON a.rowid = x.article WHERE x.entity_id = e.id ORDER BY a.rowid)), w.approx, w.within"
        " FROM entity e LEFT JOIN entity_info i ON i.id = e.id LEFT JOIN entity_approx w ON w.id = e.id"
        " ORDER BY i.n_mentions DESC, e.id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "export");
    td_buf b = TD_BUF_INIT;
    td_status out_st = TD_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_buf_printf(&b, "{\"kind\":\"entity\",\"id\":\"n%lld\",\"type\":\"%s\"",
                      (long long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            td_buf_printf(&b, ",\"kind_of\":\"%s\"", (const char *)sqlite3_column_text(st, 2));
        td_buf_puts(&b, ",\"name\":");
        td_buf_json_str(&b, td_str_cstr((const char *)sqlite3_column_text(st, 3)));
        td_buf_puts(&b, ",\"aliases\":");
        td_buf_puts(&b, (const char *)sqlite3_column_text(st, 10));
        td_buf_printf(&b, ",\"mentions\":%d,\"articles\":%s", sqlite3_column_int(st, 9),
                      (const char *)sqlite3_column_text(st, 11));
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
            td_buf_puts(&b, ",\"country\":");
            td_buf_json_str(&b, td_str_cstr((const char *)sqlite3_column_text(st, 4)));
        }
        if (strcmp((const char *)sqlite3_column_text(st, 1), "place") == 0) {
            if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
                td_buf_printf(&b, ",\"lat\":%.5f,\"lon\":%.5f", sqlite3_column_double(st, 5),
                              sqlite3_column_double(st, 6));
                /* "exact": the place's own point; "city"/"admin1"/"country":
                 * the point of the container of a place the gazetteer lacks */
                const unsigned char *ap = sqlite3_column_text(st, 12);
                td_buf_printf(&b, ",\"coord_precision\":\"%s\"", ap ? (const char *)ap : "exact");
                if (ap && sqlite3_column_type(st, 13) != SQLITE_NULL) {
                    td_buf_puts(&b, ",\"within\":");
                    td_buf_json_str(&b, td_str_cstr((const char *)sqlite3_column_text(st, 13)));
                }
            } else
                td_buf_puts(&b, ",\"lat\":null,\"lon\":null");
            if (sqlite3_column_type(st, 7) != SQLITE_NULL)
                td_buf_printf(&b, ",\"geonameid\":%lld", (long long)sqlite3_column_int64(st, 7));
            if (sqlite3_column_type(st, 8) != SQLITE_NULL)
                td_buf_printf(&b, ",\"precision\":%d", sqlite3_column_int(st, 8));
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
    if (out_st == TD_OK && rc != SQLITE_DONE)
        out_st = db_fail(s, err, "export");
    if (out_st == TD_OK && (b.failed || (b.len && fwrite(b.p, 1, b.len, out) != b.len)))
        out_st = b.failed ? TD_ENOMEM : TD_EIO;
    if (out_st == TD_EIO && err)
        td_buf_puts(err, "cannot write the export (disk full or closed pipe?)");
    td_buf_free(&b);
    sqlite3_finalize(st);
    return out_st;
}
