/*
 * sqlite_event.c - events and quotes in the store (contract and tables in
 * store_event.h), through db.h: the same code runs on SQLite and PostgreSQL,
 * its SQL in the subset both accept (docs/postgres.md); only the DDL has two
 * texts (TD_EVENT_SCHEMA, TD_EVENT_SCHEMA_PG).
 *
 * put: one DELETE per table for the article, then INSERTs of its mentions
 * and quotes, all through the store's statement cache (run per article).
 * merge: streams the asserted mentions (ordered by article rowid, then
 * mention index, so the result does not depend on how the ingest was
 * threaded) into a td_merge with their entities resolved to the corpus
 * entities, runs it, matches each new event to the stored event it shares
 * most sources (article, mention) with, and rewrites event, event_source
 * and event_claim. Memory: the merger (all asserted mentions) plus the map of
 * old sources.
 * export: keyset pages of events (and of their article lists, joined in C in
 * event id order) and of quotes, so PostgreSQL, which fetches a statement's
 * whole result at once, never holds more than a page.
 */
#include "store/store_event.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/map.h"
#include "clean/date.h"
#include "extract/names.h"
#include "extract/timex.h"
#include "extract/toll.h"
#include "extract/trigger.h"
#include "merge/merge.h"

const char TD_EVENT_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS event_mention ("
    "  article INTEGER NOT NULL, idx INTEGER NOT NULL, sentence INTEGER NOT NULL,"
    "  type TEXT NOT NULL, modality TEXT NOT NULL, main INTEGER NOT NULL, background INTEGER NOT NULL,"
    "  trigger TEXT, actor TEXT, actor_idx INTEGER, target TEXT, target_idx INTEGER,"
    "  place TEXT, place_idx INTEGER, place_level INTEGER,"
    "  date TEXT, date_precision INTEGER, date_from INTEGER,"  /* td_date_prec, td_date_from */
    "  killed_min INTEGER, killed_max INTEGER, killed_qual INTEGER, wounded_min INTEGER, wounded_max INTEGER,"
    "  score REAL, sentence_text TEXT,"
    "  PRIMARY KEY (article, idx)) WITHOUT ROWID;"
    /* the columns of shared/DESIGN.md first: the HTTP API reads them */
    "CREATE TABLE IF NOT EXISTS event ("
    "  id INTEGER PRIMARY KEY, story_id INTEGER, type TEXT NOT NULL, actor_id INTEGER, target_id INTEGER,"
    "  place_id INTEGER, date TEXT, date_precision TEXT, killed_min INTEGER, killed_max INTEGER,"
    "  sub_type TEXT, killed INTEGER, wounded INTEGER, actor TEXT, target TEXT, place TEXT,"
    "  country TEXT, lat REAL, lon REAL, geo_precision INTEGER, place_level INTEGER, notes TEXT,"
    "  status TEXT NOT NULL DEFAULT 'reported',"   /* reported | disputed (sources disagree) */
    "  n_articles INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX IF NOT EXISTS event_date ON event(date);"
    "CREATE INDEX IF NOT EXISTS event_story ON event(story_id);"
    "CREATE INDEX IF NOT EXISTS event_updated ON event(updated_at);"
    "CREATE TABLE IF NOT EXISTS event_source ("
    "  event_id INTEGER NOT NULL, article_id INTEGER NOT NULL, sentence TEXT, confidence REAL,"
    "  sentence_idx INTEGER, mention_idx INTEGER, claims TEXT);"  /* claims: JSON of this source's values */
    "CREATE INDEX IF NOT EXISTS event_source_event ON event_source(event_id);"
    "CREATE INDEX IF NOT EXISTS event_source_article ON event_source(article_id);"
    "CREATE TABLE IF NOT EXISTS event_claim ("
    "  event_id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, article_id INTEGER NOT NULL,"
    "  sentence INTEGER);"
    "CREATE INDEX IF NOT EXISTS event_claim_event ON event_claim(event_id);"
    "CREATE TABLE IF NOT EXISTS quote ("
    "  id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL, speaker_id INTEGER, text TEXT NOT NULL,"
    "  sentence INTEGER, kind TEXT, speaker TEXT, resolved TEXT, speaker_idx INTEGER, speaker_type INTEGER);"
    "CREATE INDEX IF NOT EXISTS quote_article ON quote(article_id);"
    "CREATE INDEX IF NOT EXISTS quote_speaker ON quote(speaker_id);";

/* The same tables in PostgreSQL's dialect: event ids are given by the merge
 * (plain key), quote ids number themselves (identity), as SQLite's rowids. */
const char TD_EVENT_SCHEMA_PG[] =
    "CREATE TABLE IF NOT EXISTS event_mention ("
    "  article BIGINT NOT NULL, idx BIGINT NOT NULL, sentence BIGINT NOT NULL,"
    "  type TEXT NOT NULL, modality TEXT NOT NULL, main BIGINT NOT NULL, background BIGINT NOT NULL,"
    "  trigger TEXT, actor TEXT, actor_idx BIGINT, target TEXT, target_idx BIGINT,"
    "  place TEXT, place_idx BIGINT, place_level BIGINT,"
    "  date TEXT, date_precision BIGINT, date_from BIGINT,"
    "  killed_min BIGINT, killed_max BIGINT, killed_qual BIGINT, wounded_min BIGINT, wounded_max BIGINT,"
    "  score DOUBLE PRECISION, sentence_text TEXT,"
    "  PRIMARY KEY (article, idx));"
    "CREATE TABLE IF NOT EXISTS event ("
    "  id BIGINT PRIMARY KEY, story_id BIGINT, type TEXT NOT NULL, actor_id BIGINT, target_id BIGINT,"
    "  place_id BIGINT, date TEXT, date_precision TEXT, killed_min BIGINT, killed_max BIGINT,"
    "  sub_type TEXT, killed BIGINT, wounded BIGINT, actor TEXT, target TEXT, place TEXT,"
    "  country TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION, geo_precision BIGINT, place_level BIGINT,"
    "  notes TEXT,"
    "  status TEXT NOT NULL DEFAULT 'reported',"
    "  n_articles BIGINT NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  revision BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX IF NOT EXISTS event_date ON event(date);"
    "CREATE INDEX IF NOT EXISTS event_story ON event(story_id);"
    "CREATE INDEX IF NOT EXISTS event_updated ON event(updated_at);"
    "CREATE TABLE IF NOT EXISTS event_source ("
    "  event_id BIGINT NOT NULL, article_id BIGINT NOT NULL, sentence TEXT, confidence DOUBLE PRECISION,"
    "  sentence_idx BIGINT, mention_idx BIGINT, claims TEXT);"
    "CREATE INDEX IF NOT EXISTS event_source_event ON event_source(event_id);"
    "CREATE INDEX IF NOT EXISTS event_source_article ON event_source(article_id);"
    "CREATE TABLE IF NOT EXISTS event_claim ("
    "  event_id BIGINT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, article_id BIGINT NOT NULL,"
    "  sentence BIGINT);"
    "CREATE INDEX IF NOT EXISTS event_claim_event ON event_claim(event_id);"
    "CREATE TABLE IF NOT EXISTS quote ("
    "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, article_id BIGINT NOT NULL, speaker_id BIGINT,"
    "  text TEXT NOT NULL, sentence BIGINT, kind TEXT, speaker TEXT, resolved TEXT, speaker_idx BIGINT,"
    "  speaker_type BIGINT);"
    "CREATE INDEX IF NOT EXISTS quote_article ON quote(article_id);"
    "CREATE INDEX IF NOT EXISTS quote_speaker ON quote(speaker_id);";

/* ---- ACLED vocabulary (docs/events.md) ---- */

static const struct {
    const char *type, *acled, *sub;
} ACLED[] = {
    { "airstrike", "Explosions/Remote violence", "Air/drone strike" },
    { "shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack" },
    { "bombing", "Explosions/Remote violence", "Remote explosive/landmine/IED" },
    { "armed_clash", "Battles", "Armed clash" },
    { "raid_or_arrest", "Strategic developments", "Arrests" },
    { "killing", "Violence against civilians", "Attack" },
    { "protest", "Protests", "Peaceful protest" },
    { "agreement", "Strategic developments", "Agreement" },
    { "meeting", "Strategic developments", "Other" },
    { "statement", "Strategic developments", "Other" },
    { "election", "Strategic developments", "Other" },
    { "disaster", "Other", "Other" },
    { "other", "Strategic developments", "Other" },
};

const char *td_event_acled_sub_type(const char *type)
{
    for (size_t i = 0; type && i < sizeof ACLED / sizeof ACLED[0]; i++)
        if (strcmp(ACLED[i].type, type) == 0)
            return ACLED[i].sub;
    return "Other";
}

const char *td_event_acled_type(const char *type)
{
    for (size_t i = 0; type && i < sizeof ACLED / sizeof ACLED[0]; i++)
        if (strcmp(ACLED[i].type, type) == 0)
            return ACLED[i].acled;
    return "Strategic developments";
}

/* ---- helpers ---- */

static void bind_span(td_stmt *st, int i, td_str text, td_span sp)
{
    if (sp.len && sp.off + sp.len <= text.len)
        td_stmt_bind_text(st, i, text.p + sp.off, (int)sp.len);
    else
        td_stmt_bind_null(st, i);
}

static void bind_id(td_stmt *st, int i, int64_t v)
{
    if (v >= 0)
        td_stmt_bind_i64(st, i, v);
    else
        td_stmt_bind_null(st, i);
}

static void bind_int_or_null(td_stmt *st, int i, int64_t v, bool known)
{
    if (known)
        td_stmt_bind_i64(st, i, v);
    else
        td_stmt_bind_null(st, i);
}

/* Steps a write, then resets the statement and drops its bindings (a
 * parameter left unbound is NULL on the next use). */
static bool step(td_stmt *st)
{
    int rc = td_stmt_step(st);
    td_stmt_reset(st);
    td_stmt_clear(st);
    return rc == TD_DB_DONE;
}

static td_status db_status(td_db *db)
{
    int st = td_db_status(db);
    return st == TD_OK ? TD_EDB : (td_status)st;
}

static bool is_null(td_stmt *st, int i)
{
    return td_stmt_type(st, i) == TD_COL_NULL;
}

/* ---- put ---- */

/* Per-article statements: static texts, prepared once by the store's cache. */
static const char SQL_DEL_MENTIONS[] = "DELETE FROM event_mention WHERE article = ?";
static const char SQL_DEL_QUOTES[] = "DELETE FROM quote WHERE article_id = ?";
static const char SQL_PUT_MENTION[] =
    "INSERT INTO event_mention (article, idx, sentence, type, modality, main, background,"
    " trigger, actor, actor_idx, target, target_idx, place, place_idx, place_level,"
    " date, date_precision, date_from, killed_min, killed_max, killed_qual,"
    " wounded_min, wounded_max, score, sentence_text)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char SQL_PUT_QUOTE[] =
    "INSERT INTO quote (article_id, text, sentence, kind, speaker, resolved,"
    " speaker_idx, speaker_type) VALUES (?,?,?,?,?,?,?,?)";

td_status td_store_events_put(td_store *s, int64_t rowid, const td_event_article *ev)
{
    td_db *db = td_store_sql(s);
    td_stmt *dm = td_store_sqlstmt(s, SQL_DEL_MENTIONS), *dq = td_store_sqlstmt(s, SQL_DEL_QUOTES);
    td_stmt *im = td_store_sqlstmt(s, SQL_PUT_MENTION), *iq = td_store_sqlstmt(s, SQL_PUT_QUOTE);
    if (!dm || !dq || !im || !iq)
        return TD_EDB; /* why: td_store_errmsg */
    td_stmt_bind_i64(dm, 1, rowid);
    if (!step(dm))
        return db_status(db);
    td_stmt_bind_i64(dq, 1, rowid);
    if (!step(dq))
        return db_status(db);
    for (uint32_t i = 0; i < ev->n; i++) {
        const td_event_mention *m = &ev->m[i];
        td_stmt_bind_i64(im, 1, rowid);
        td_stmt_bind_i64(im, 2, (int)i);
        td_stmt_bind_i64(im, 3, (int)m->sentence);
        td_stmt_bind_text(im, 4, td_event_type_name(m->type), -1);
        td_stmt_bind_text(im, 5, td_modality_name(m->modality), -1);
        td_stmt_bind_i64(im, 6, m->main);
        td_stmt_bind_i64(im, 7, m->background);
        bind_span(im, 8, ev->text, m->trigger);
        bind_span(im, 9, ev->text, m->actor);
        bind_id(im, 10, m->actor_id);
        bind_span(im, 11, ev->text, m->target);
        bind_id(im, 12, m->target_id);
        bind_span(im, 13, ev->text, m->place);
        bind_id(im, 14, m->place_id);
        td_stmt_bind_i64(im, 15, m->place_level);
        char d[11];
        td_date_format(m->date, d);
        if (d[0])
            td_stmt_bind_text(im, 16, d, -1);
        td_stmt_bind_i64(im, 17, m->date.prec);
        td_stmt_bind_i64(im, 18, m->date_from);
        bind_int_or_null(im, 19, m->killed_min, m->killed_min >= 0);
        bind_int_or_null(im, 20, m->killed_max, m->killed_max >= 0);
        td_stmt_bind_i64(im, 21, m->killed_qual);
        bind_int_or_null(im, 22, m->wounded_min, m->wounded_min >= 0);
        bind_int_or_null(im, 23, m->wounded_max, m->wounded_max >= 0);
        td_stmt_bind_double(im, 24, m->score);
        if (m->sentence < ev->n_sentences)
            bind_span(im, 25, ev->text, ev->sentences[m->sentence]);
        if (!step(im))
            return db_status(db);
    }
    for (uint32_t i = 0; i < ev->n_quotes; i++) {
        const td_quote *q = &ev->q[i];
        if (!q->text.len)
            continue;
        td_stmt_bind_i64(iq, 1, rowid);
        bind_span(iq, 2, ev->text, q->text);
        td_stmt_bind_i64(iq, 3, (int)q->sentence);
        td_stmt_bind_text(iq, 4, q->direct ? "direct" : "indirect", -1);
        bind_span(iq, 5, ev->text, q->speaker);
        bind_span(iq, 6, ev->text, q->resolved);
        bind_id(iq, 7, q->entity);
        td_stmt_bind_i64(iq, 8, q->speaker_type);
        if (!step(iq))
            return db_status(db);
    }
    return TD_OK;
}

/* ---- merge ---- */

/* Mentions scored below this (event.c: about the fourth sentence on, with
 * no place or toll) found no event of their own. */
#define SUPPORT_BELOW 1.5f
/* A statement by a named speaker founds an event from this score on. */
#define STATEMENT_ABOVE 0.8f

/* What is kept per merger mention beyond td_merge_mention. */
typedef struct minfo {
    int64_t article;       /* rowid */
    uint32_t idx;          /* mention index in its article */
    uint32_t sentence;
    uint8_t date_from;
    int32_t wounded;
    float score;
} minfo;

/* A stored event before the merge. */
typedef struct old_ev {
    int64_t id;
    char type[24];
    char date[11];
    int64_t killed_max;
    int64_t n_articles;
    int64_t revision;
    char created[32], updated[32];
    bool taken;
} old_ev;

static td_date parse_day(const char *z, int prec)
{
    td_date d = { 0, 0, 0, TD_PREC_NONE };
    if (!z || prec == TD_PREC_NONE)
        return d;
    int y = 0, m = 0, dd = 0;
    int n = sscanf(z, "%d-%d-%d", &y, &m, &dd);
    if (n < 1 || y <= 0)
        return d;
    d.year = (int16_t)y;
    d.month = (int8_t)(n >= 2 ? m : 0);
    d.day = (int8_t)(n >= 3 ? dd : 0);
    d.prec = (td_date_prec)prec;
    return d;
}

static td_str colstr(td_stmt *st, int i)
{
    const char *p = td_stmt_text(st, i);
    return p ? td_str_make(p, (size_t)td_stmt_bytes(st, i)) : (td_str){ NULL, 0 };
}

/* An integer column, or -1 when NULL. */
static int64_t col_id(td_stmt *st, int i)
{
    return is_null(st, i) ? -1 : td_stmt_i64(st, i);
}

/* True when place is the article's dateline, or opens its first sentence
 * followed by a comma or a dash (a dateline the cleaner did not split). */
static bool from_dateline(td_str place, td_str dateline, td_str first)
{
    if (!place.len)
        return false;
    if (dateline.len >= place.len && td_str_ieq((td_str){ dateline.p, place.len }, place) &&
        (dateline.len == place.len || dateline.p[place.len] == ',' || dateline.p[place.len] == ' '))
        return true;
    if (first.len <= place.len + 1 || !td_str_ieq((td_str){ first.p, place.len }, place))
        return false;
    const char *q = first.p + place.len;
    size_t left = first.len - place.len;
    return q[0] == ',' || (left >= 2 && q[0] == ' ' && (q[1] == '-' || (left >= 4 && (unsigned char)q[1] == 0xE2)));
}

/* A source: the mention idx of an article. Not its sentence: one sentence
 * may tell two events ("police arrested 40 during the protest"), and a
 * sentence key gave both the later event's id at the next merge. */
static uint64_t src_key(int64_t article, uint32_t idx)
{
    return ((uint64_t)article << 20) ^ idx ^ 0x5bd1e995u;
}

/* Loads every asserted mention into m (and info), resolved to the corpus
 * entities where the entities stage linked them. */
static td_status load_mentions(td_db *db, td_merge *m, minfo **info, uint32_t *n_info, td_buf *err)
{
    static const char sql[] =
        "SELECT m.article, m.idx, a.id, a.outlet, a.published, a.story_id, m.sentence, m.type, m.main,"
        " m.score, coalesce(ea.name, pa.name, m.actor), pa.entity_id,"
        " coalesce(et.name, pt.name, m.target), pt.entity_id,"
        " coalesce(pp.name, m.place), pp.entity_id, pp.lat, pp.lon, pp.country, m.place_level,"
        " m.date, m.date_precision, m.date_from, m.killed_min, m.killed_max, m.wounded_max, m.background,"
        " pa.type, a.dateline, CASE WHEN m.sentence <= 1 THEN substr(m.sentence_text, 1, 80) END"
        " FROM event_mention m JOIN article a ON a.rowid = m.article"
        " LEFT JOIN art_entity pa ON pa.article = m.article AND pa.idx = m.actor_idx"
        " LEFT JOIN entity ea ON ea.id = pa.entity_id"
        " LEFT JOIN art_entity pt ON pt.article = m.article AND pt.idx = m.target_idx"
        " LEFT JOIN entity et ON et.id = pt.entity_id"
        " LEFT JOIN art_entity pp ON pp.article = m.article AND pp.idx = m.place_idx"
        " WHERE m.modality = 'asserted' ORDER BY m.article, m.idx";
    td_stmt *st = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK) {
        td_buf_printf(err, "reading event mentions: %s", td_db_errmsg(db));
        return db_status(db);
    }
    uint32_t cap = 0;
    int rc;
    td_status out = TD_OK;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (*n_info == cap) {
            cap = cap ? cap * 2 : 1024;
            minfo *v = td_realloc(*info, cap * sizeof *v);
            if (!v) {
                out = TD_ENOMEM;
                break;
            }
            *info = v;
        }
        td_merge_mention x;
        memset(&x, 0, sizeof x);
        x.article = colstr(st, 2);
        x.outlet = colstr(st, 3);
        x.sentence = (uint32_t)td_stmt_i64(st, 6);
        x.type = (uint8_t)td_event_type_from_name(colstr(st, 7));
        x.main = td_stmt_i64(st, 8) != 0;
        x.score = (float)td_stmt_double(st, 9);
        x.actor = colstr(st, 10);
        x.actor_id = col_id(st, 11);
        x.actor_person = (int)td_stmt_i64(st, 27) == TD_ENT_PERSON;
        x.target = colstr(st, 12);
        x.target_id = col_id(st, 13);
        x.place = colstr(st, 14);
        x.place_id = col_id(st, 15);
        x.lat = is_null(st, 16) ? NAN : td_stmt_double(st, 16);
        x.lon = is_null(st, 17) ? NAN : td_stmt_double(st, 17);
        td_str cc = colstr(st, 18);
        if (cc.len == 2)
            memcpy(x.country, cc.p, 2);
        x.place_level = (uint8_t)td_stmt_i64(st, 19);
        if (!x.place.len)
            x.place_level = 0;
        /* the town an article is filed from ("DORVANI, Veloria —",
         * "Dorvani, Jan. 29 (VNA) –") may be where the reporter sits rather
         * than where it happened: it does not keep other towns out */
        x.dateline = x.place_level >= 3 && from_dateline(x.place, colstr(st, 28), colstr(st, 29));
        uint8_t from = (uint8_t)td_stmt_i64(st, 22);
        /* a date that only repeats the publication date says nothing: the
         * merger's window rule places it */
        if (from != TD_DATE_FROM_PUBLISHED)
            x.date = parse_day(td_stmt_text(st, 20), (int)td_stmt_i64(st, 21));
        td_str pub = colstr(st, 4);
        x.published = pub.len == 10 ? parse_day(pub.p, TD_PREC_DAY)
                                    : (td_date){ 0, 0, 0, TD_PREC_NONE };
        x.story = col_id(st, 5);
        x.killed_min = is_null(st, 23) ? -1 : (int)td_stmt_i64(st, 23);
        x.killed_max = is_null(st, 24) ? -1 : (int)td_stmt_i64(st, 24);
        /* what an article reports as news: its main event, and other
         * mentions that are prominent (early, with arguments) and current;
         * the rest only add sources to events found that way */
        bool background = td_stmt_i64(st, 26) != 0;
        x.support = !x.main && (background || x.score < SUPPORT_BELOW);
        /* what a named person or body said or did in reaction is news of
         * its own wherever the article puts it ("Ostrova condemned...") */
        if (x.support && x.type == TD_EV_STATEMENT && x.actor_id >= 0 && !background &&
            x.score >= STATEMENT_ABOVE)
            x.support = false;
        if ((out = td_merge_add(m, &x)) != TD_OK)
            break;
        (*info)[*n_info] = (minfo){ td_stmt_i64(st, 0), (uint32_t)td_stmt_i64(st, 1), x.sentence, from,
                                    is_null(st, 25) ? -1 : (int32_t)td_stmt_i64(st, 25), x.score };
        (*n_info)++;
    }
    if (out == TD_OK && rc != TD_DB_DONE) {
        td_buf_printf(err, "reading event mentions: %s", td_db_errmsg(db));
        out = db_status(db);
    }
    td_stmt_finalize(st);
    return out;
}

/* The 1-based index in old (sorted by id) of the event id, 0 when absent. */
static uint64_t old_index(const old_ev *old, uint32_t n_old, int64_t id)
{
    uint32_t lo = 0, hi = n_old;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (old[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_old && old[lo].id == id ? (uint64_t)lo + 1 : 0;
}

static td_status load_old(td_db *db, old_ev **old, uint32_t *n_old, td_map *src, td_buf *err)
{
    td_stmt *st = NULL;
    uint32_t cap = 0;
    int rc;
    td_status out = TD_OK;
    if (td_db_prepare(db,
                      "SELECT id, type, coalesce(date, ''), coalesce(killed_max, -1), n_articles, revision,"
                      " created_at, updated_at FROM event ORDER BY id",
                      &st, NULL) != TD_OK)
        goto fail;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        if (*n_old == cap) {
            cap = cap ? cap * 2 : 256;
            old_ev *v = td_realloc(*old, cap * sizeof *v);
            if (!v) {
                td_stmt_finalize(st);
                return TD_ENOMEM;
            }
            *old = v;
        }
        old_ev *o = &(*old)[(*n_old)++];
        memset(o, 0, sizeof *o);
        o->id = td_stmt_i64(st, 0);
        snprintf(o->type, sizeof o->type, "%s", td_stmt_text(st, 1));
        snprintf(o->date, sizeof o->date, "%s", td_stmt_text(st, 2));
        o->killed_max = td_stmt_i64(st, 3);
        o->n_articles = td_stmt_i64(st, 4);
        o->revision = td_stmt_i64(st, 5);
        snprintf(o->created, sizeof o->created, "%s", td_stmt_text(st, 6));
        snprintf(o->updated, sizeof o->updated, "%s", td_stmt_text(st, 7));
    }
    td_stmt_finalize(st);
    st = NULL;
    if (rc != TD_DB_DONE ||
        td_db_prepare(db, "SELECT article_id, mention_idx, event_id FROM event_source", &st, NULL) != TD_OK)
        goto fail;
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        uint64_t k = old_index(*old, *n_old, td_stmt_i64(st, 2));
        if (!k)
            continue;
        uint64_t *v = td_map_upsert(src, src_key(td_stmt_i64(st, 0), (uint32_t)td_stmt_i64(st, 1)));
        if (!v) {
            out = TD_ENOMEM;
            break;
        }
        /* a mention behind two events (an event_source written by
         * another version) counts for the later one, in any row order */
        if (k > *v)
            *v = k;
    }
    td_stmt_finalize(st);
    if (out == TD_OK && rc != TD_DB_DONE)
        goto fail;
    return out;
fail:
    td_buf_printf(err, "reading stored events: %s", td_db_errmsg(db));
    return db_status(db);
}

/* Appends "value (outlet, outlet)" groups of field for the notes. */
static void claim_text(td_buf *b, const char *field, const char *const *vals, const td_str *outlets,
                       uint32_t n)
{
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = strcmp(vals[i], vals[j]) == 0;
        distinct += !seen;
    }
    if (distinct < 2)
        return;
    if (b->len)
        td_buf_puts(b, "; ");
    td_buf_printf(b, "%s: ", field);
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = strcmp(vals[i], vals[j]) == 0;
        if (seen)
            continue;
        td_buf_printf(b, "%s%s (", first ? "" : ", ", vals[i]);
        bool f2 = true;
        for (uint32_t j = i; j < n; j++)
            if (strcmp(vals[i], vals[j]) == 0) {
                bool dup = false;
                for (uint32_t k = i; k < j && !dup; k++)
                    dup = strcmp(vals[k], vals[i]) == 0 && td_str_eq(outlets[k], outlets[j]);
                if (!dup) {
                    td_buf_printf(b, "%s%.*s", f2 ? "" : ", ", (int)outlets[j].len, outlets[j].p ? outlets[j].p : "");
                    f2 = false;
                }
            }
        td_buf_putc(b, ')');
        first = false;
    }
}

/* Per event, counts over its mentions come from a sorted copy: m log m,
 * not m^2 (an event of a long-running story gathers thousands of mentions,
 * and pairwise loops made the finish stage superlinear). */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many of the n sorted values equal v. */
static uint32_t count_sorted(const uint64_t *s, uint32_t n, uint64_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) { /* first >= v */
        uint32_t mid = lo + (hi - lo) / 2;
        if (s[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t first = lo;
    for (hi = n; lo < hi;) { /* first > v */
        uint32_t mid = lo + (hi - lo) / 2;
        if (s[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - first;
}

/* A day as one number ordered as td_date_cmp orders days. */
static uint64_t day_key(td_date d)
{
    return ((uint64_t)(uint16_t)d.year << 16) | ((uint64_t)(uint8_t)d.month << 8) | (uint8_t)d.day;
}

/* Writes the merged events; ids of stored events are kept when they share
 * sources. */
static td_status write_events(td_db *db, const td_merge *m, const minfo *info, old_ev *old, uint32_t n_old,
                              td_map *src, td_buf *err)
{
    td_stmt *ie = NULL, *is = NULL, *ic = NULL;
    td_status out = TD_OK;
    uint64_t *tmp = NULL; /* per event: one value per mention, sorted */
    uint32_t tmp_cap = 0;
    int64_t next_id = 1;
    for (uint32_t i = 0; i < n_old; i++)
        if (old[i].id >= next_id)
            next_id = old[i].id + 1;
    /* created_at/updated_at of new and changed events: the time of this
     * merge, formatted here (strftime('now') and to_char(now()) differ) */
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(now, sizeof now, "1970-01-01T00:00:00Z");
    /* the select list's parameters are cast: PostgreSQL infers no type there */
    if (td_db_exec(db, "DELETE FROM event; DELETE FROM event_source; DELETE FROM event_claim;", NULL) != TD_OK ||
        td_db_prepare(db,
                      "INSERT INTO event (id, story_id, type, actor_id, target_id, place_id, date,"
                      " date_precision, killed_min, killed_max, sub_type, killed, wounded, actor, target,"
                      " place, country, lat, lon, geo_precision, notes, status, n_articles, created_at,"
                      " updated_at, revision, place_level)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      &ie, NULL) != TD_OK ||
        td_db_prepare(db,
                      "INSERT INTO event_source (event_id, article_id, sentence, confidence, sentence_idx,"
                      " mention_idx, claims) SELECT CAST(?1 AS BIGINT), article, sentence_text,"
                      " CAST(?3 AS DOUBLE PRECISION), CAST(?4 AS BIGINT), idx, CAST(?6 AS TEXT) FROM event_mention"
                      " WHERE article = ?2 AND idx = ?5",
                      &is, NULL) != TD_OK ||
        td_db_prepare(db, "INSERT INTO event_claim (event_id, field, value, article_id, sentence) VALUES (?,?,?,?,?)",
                      &ic, NULL) != TD_OK) {
        td_buf_printf(err, "writing events: %s", td_db_errmsg(db));
        out = db_status(db);
        goto done;
    }
    uint32_t ne = td_merge_n_events(m);
    for (uint32_t e = 0; e < ne && out == TD_OK; e++) {
        const td_merged_event *v = td_merge_event(m, e);
        if (v->support)
            continue;
        uint32_t nm = v->n_mentions;
        if (nm > tmp_cap) {
            uint64_t *t = td_realloc(tmp, nm * sizeof *t);
            if (!t) {
                out = TD_ENOMEM;
                break;
            }
            tmp = t;
            tmp_cap = nm;
        }
        /* the stored event sharing most sources (ties: the first stored):
         * their old events sorted and counted by runs */
        uint32_t best = 0, best_n = 0;
        for (uint32_t k = 0; k < nm; k++) {
            const minfo *mi = &info[v->mentions[k]];
            uint64_t *o = td_map_get(src, src_key(mi->article, mi->idx));
            tmp[k] = o ? *o : 0;
        }
        qsort(tmp, nm, sizeof *tmp, cmp_u64);
        for (uint32_t k = 0, j; k < nm; k = j) {
            for (j = k; j < nm && tmp[j] == tmp[k]; j++)
                ;
            if (tmp[k] && !old[tmp[k] - 1].taken && j - k > best_n) {
                best_n = j - k;
                best = (uint32_t)tmp[k];
            }
        }
        old_ev *o = best ? &old[best - 1] : NULL;
        if (o)
            o->taken = true;
        int64_t id = o ? o->id : next_id++;
        /* date: the merged one, else the publication date most sources give */
        td_date date = v->date;
        const char *dprec = date.prec == TD_PREC_DAY ? "day" : date.prec == TD_PREC_WEEK ? "week"
                            : date.prec == TD_PREC_MONTH ? "month" : date.prec == TD_PREC_YEAR ? "year" : NULL;
        char dbuf[11] = "";
        if (date.prec != TD_PREC_NONE) {
            /* a week is given by its day: ACLED codes the middle of the span */
            td_date_format(date.prec == TD_PREC_WEEK ? (td_date){ date.year, date.month, date.day, TD_PREC_DAY }
                                                     : date, dbuf);
        } else {
            /* the first of the most frequent: counted in a sorted copy */
            uint32_t bn = 0, nd = 0;
            for (uint32_t k = 0; k < nm; k++) {
                const td_merge_mention *x = td_merge_mention_at(m, v->mentions[k]);
                if (x->published.year > 0)
                    tmp[nd++] = day_key(x->published);
            }
            qsort(tmp, nd, sizeof *tmp, cmp_u64);
            for (uint32_t k = 0; k < nm; k++) {
                const td_merge_mention *x = td_merge_mention_at(m, v->mentions[k]);
                if (x->published.year <= 0)
                    continue;
                uint32_t c = count_sorted(tmp, nd, day_key(x->published));
                if (c > bn) {
                    bn = c;
                    td_date_format(x->published, dbuf);
                    dprec = "day";
                }
            }
        }
        /* articles, wounded, claims */
        uint32_t n_art = 0;
        int32_t wounded = -1;
        const char *tname = td_event_type_name(v->type);
        for (uint32_t k = 0; k < nm; k++) {
            const minfo *mi = &info[v->mentions[k]];
            tmp[k] = (uint64_t)mi->article;
            if (mi->wounded > wounded)
                wounded = mi->wounded;
        }
        qsort(tmp, nm, sizeof *tmp, cmp_u64);
        for (uint32_t k = 0; k < nm; k++)
            n_art += k == 0 || tmp[k] != tmp[k - 1];
        td_buf notes = TD_BUF_INIT;
        {
            uint32_t n = v->n_mentions > 64 ? 64 : v->n_mentions;
            char kbuf[64][24], dvals[64][11];
            const char *kv[64], *dv[64];
            td_str ko[64], dout[64];
            uint32_t nk = 0, nd = 0;
            for (uint32_t k = 0; k < n; k++) {
                const td_merge_mention *x = td_merge_mention_at(m, v->mentions[k]);
                if (x->killed_min >= 0) {
                    if (x->killed_max > x->killed_min)
                        snprintf(kbuf[nk], sizeof kbuf[nk], "%d-%d", x->killed_min, x->killed_max);
                    else
                        snprintf(kbuf[nk], sizeof kbuf[nk], "%d", x->killed_min);
                    kv[nk] = kbuf[nk];
                    ko[nk++] = x->outlet;
                }
                if (x->date.prec != TD_PREC_NONE) {
                    td_date_format(x->date, dvals[nd]);
                    dv[nd] = dvals[nd];
                    dout[nd++] = x->outlet;
                }
            }
            claim_text(&notes, "killed", kv, ko, nk);
            claim_text(&notes, "date", dv, dout, nd);
        }
        /* revision: new, or a material change */
        int64_t rev = 1;
        const char *created = NULL, *updated = NULL;
        if (o) {
            bool changed = strcmp(o->type, tname) != 0 || strcmp(o->date, dbuf) != 0 ||
                           (int64_t)n_art > o->n_articles || (int64_t)v->killed_max > o->killed_max;
            rev = o->revision + (changed ? 1 : 0);
            created = o->created;
            updated = changed ? NULL : o->updated;
        }
        td_stmt_bind_i64(ie, 1, id);
        bind_id(ie, 2, v->story);
        td_stmt_bind_text(ie, 3, tname, -1);
        bind_id(ie, 4, v->actor_id);
        bind_id(ie, 5, v->target_id);
        bind_id(ie, 6, v->place_id);
        if (dbuf[0])
            td_stmt_bind_text(ie, 7, dbuf, -1);
        if (dprec && dbuf[0])
            td_stmt_bind_text(ie, 8, dprec, -1);
        bind_int_or_null(ie, 9, v->killed_min, v->killed_min >= 0);
        bind_int_or_null(ie, 10, v->killed_max, v->killed_max >= 0);
        td_stmt_bind_text(ie, 11, td_event_acled_sub_type(tname), -1);
        bind_int_or_null(ie, 12, v->killed, v->killed >= 0);
        bind_int_or_null(ie, 13, wounded, wounded >= 0);
        if (v->actor)
            td_stmt_bind_text(ie, 14, v->actor, -1);
        if (v->target)
            td_stmt_bind_text(ie, 15, v->target, -1);
        if (v->place)
            td_stmt_bind_text(ie, 16, v->place, -1);
        if (v->country[0])
            td_stmt_bind_text(ie, 17, v->country, 2);
        if (!isnan(v->lat) && !isnan(v->lon)) {
            td_stmt_bind_double(ie, 18, v->lat);
            td_stmt_bind_double(ie, 19, v->lon);
        }
        if (v->place) {
            /* ACLED's geo_precision: 1 the town itself, 2 near it or a
             * place named only in the text, 3 a province or country */
            uint8_t level = 0;
            for (uint32_t k = 0; k < v->n_mentions && !level; k++) {
                const td_merge_mention *x = td_merge_mention_at(m, v->mentions[k]);
                if (x->place.len && strlen(v->place) == x->place.len &&
                    memcmp(v->place, x->place.p, x->place.len) == 0)
                    level = x->place_level;
            }
            /* level 4: a place the gazetteer lacks, placed at its container */
            td_stmt_bind_i64(ie, 20, level == 3 ? 1 : level == 4 || !level ? 2 : 3);
            if (level)
                td_stmt_bind_i64(ie, 27, level);
        }
        if (notes.len && !notes.failed)
            td_stmt_bind_text(ie, 21, notes.p, (int)notes.len);
        td_stmt_bind_text(ie, 22, notes.len ? "disputed" : "reported", -1);
        td_stmt_bind_i64(ie, 23, (int)n_art);
        td_stmt_bind_text(ie, 24, created ? created : now, -1);
        td_stmt_bind_text(ie, 25, updated ? updated : now, -1);
        td_stmt_bind_i64(ie, 26, rev);
        td_buf_free(&notes);
        if (!step(ie))
            goto dberr;
        for (uint32_t k = 0; k < v->n_mentions; k++) {
            const td_merge_mention *x = td_merge_mention_at(m, v->mentions[k]);
            const minfo *mi = &info[v->mentions[k]];
            char d[11] = "", kbuf[24] = "";
            if (x->date.prec != TD_PREC_NONE)
                td_date_format(x->date, d);
            if (x->killed_min >= 0) {
                if (x->killed_max > x->killed_min)
                    snprintf(kbuf, sizeof kbuf, "%d-%d", x->killed_min, x->killed_max);
                else
                    snprintf(kbuf, sizeof kbuf, "%d", x->killed_min);
            }
            struct {
                const char *field;
                td_str value;
            } claims[] = {
                { "type", td_str_cstr(td_event_type_name(x->type)) },
                { "date", td_str_cstr(d) },
                { "place", x->place },
                { "actor", x->actor },
                { "target", x->target },
                { "killed", td_str_cstr(kbuf) },
            };
            td_buf cj = TD_BUF_INIT;
            td_buf_putc(&cj, '{');
            bool first = true;
            for (size_t c = 0; c < sizeof claims / sizeof claims[0]; c++) {
                if (!claims[c].value.len)
                    continue;
                td_stmt_bind_i64(ic, 1, id);
                td_stmt_bind_text(ic, 2, claims[c].field, -1);
                td_stmt_bind_text(ic, 3, claims[c].value.p, (int)claims[c].value.len);
                td_stmt_bind_i64(ic, 4, mi->article);
                td_stmt_bind_i64(ic, 5, (int)mi->sentence);
                if (!step(ic)) {
                    td_buf_free(&cj);
                    goto dberr;
                }
                td_buf_printf(&cj, "%s\"%s\":", first ? "" : ",", claims[c].field);
                td_buf_json_str(&cj, claims[c].value);
                first = false;
            }
            td_buf_putc(&cj, '}');
            td_stmt_bind_i64(is, 1, id);
            td_stmt_bind_i64(is, 2, mi->article);
            double conf = mi->score / 3.0;
            td_stmt_bind_double(is, 3, conf > 1 ? 1 : conf);
            td_stmt_bind_i64(is, 4, (int)mi->sentence);
            td_stmt_bind_i64(is, 5, (int)mi->idx);
            if (!cj.failed)
                td_stmt_bind_text(is, 6, cj.p, (int)cj.len);
            td_buf_free(&cj);
            if (!step(is))
                goto dberr;
        }
    }
    goto done;
dberr:
    td_buf_printf(err, "writing events: %s", td_db_errmsg(db));
    out = db_status(db);
done:
    td_free(tmp);
    td_stmt_finalize(ie);
    td_stmt_finalize(is);
    td_stmt_finalize(ic);
    return out;
}

td_status td_store_events_merge(td_store *s, td_buf *err)
{
    td_db *db = td_store_sql(s);
    bool own_tx = !td_store_in_tx(s);
    td_status st = own_tx ? td_store_begin(s) : TD_OK;
    if (st != TD_OK) {
        td_buf_printf(err, "merging events: %s", td_store_errmsg(s));
        return st;
    }
    td_merge *m = td_merge_new();
    minfo *info = NULL;
    uint32_t n_info = 0, n_old = 0;
    old_ev *old = NULL;
    td_map src = TD_MAP_INIT;
    if (!m) {
        st = TD_ENOMEM;
        goto done;
    }
    if (td_db_exec(db,
                   "UPDATE quote SET speaker_id = (SELECT ae.entity_id FROM art_entity ae"
                   " WHERE ae.article = quote.article_id AND ae.idx = quote.speaker_idx)"
                   " WHERE speaker_idx IS NOT NULL",
                   NULL) != TD_OK) {
        td_buf_printf(err, "resolving quote speakers: %s", td_db_errmsg(db));
        st = db_status(db);
        goto done;
    }
    if ((st = load_mentions(db, m, &info, &n_info, err)) != TD_OK)
        goto done;
    if ((st = td_merge_run(m, NULL)) != TD_OK)
        goto done;
    if ((st = load_old(db, &old, &n_old, &src, err)) != TD_OK)
        goto done;
    st = write_events(db, m, info, old, n_old, &src, err);
done:
    if (st == TD_ENOMEM && !err->len)
        td_buf_puts(err, "out of memory merging events");
    if (own_tx) {
        if (st == TD_OK) {
            st = td_store_commit(s);
            if (st != TD_OK)
                td_buf_printf(err, "merging events: %s", td_store_errmsg(s));
        } else {
            td_store_rollback(s);
        }
    }
    td_merge_free(m);
    td_free(info);
    td_free(old);
    td_map_free(&src);
    return st;
}

/* ---- export ---- */

static td_status flush(td_buf *b, FILE *out, td_buf *err)
{
    if (b->failed) {
        td_buf_puts(err, "out of memory while exporting");
        return TD_ENOMEM;
    }
    if (b->len && fwrite(b->p, 1, b->len, out) != b->len) {
        td_buf_puts(err, "cannot write the export (disk full or closed pipe?)");
        return TD_EIO;
    }
    td_buf_clear(b);
    return TD_OK;
}

static void json_int_or_null(td_buf *b, td_stmt *st, int i)
{
    if (is_null(st, i))
        td_buf_puts(b, "null");
    else
        td_buf_printf(b, "%lld", (long long)td_stmt_i64(st, i));
}

static void json_num_or_null(td_buf *b, td_stmt *st, int i)
{
    if (is_null(st, i))
        td_buf_puts(b, "null");
    else
        td_buf_printf(b, "%.5f", td_stmt_double(st, i));
}

/* Rows per page: PostgreSQL fetches a statement's whole result at its first
 * step, so a big table is read a page at a time (keyset on the id). */
#define EXPORT_PAGE 4096

static td_status export_fail(td_db *db, td_buf *err)
{
    td_buf_printf(err, "export: %s", td_db_errmsg(db));
    return db_status(db);
}

/* One event row (the columns of EVENTS_PAGE) with its articles, a JSON
 * array of article ids. */
static void event_record(td_buf *b, td_stmt *st, td_str arts)
{
    td_buf_printf(b, "{\"kind\":\"event\",\"id\":\"e%lld\",\"type\":", (long long)td_stmt_i64(st, 0));
    td_buf_json_str(b, colstr(st, 1));
    td_str d = colstr(st, 2);
    td_buf_puts(b, ",\"date\":");
    if (d.len == 10)
        td_buf_json_str(b, d);
    else
        td_buf_puts(b, "null");
    td_buf_puts(b, ",\"actor\":");
    td_buf_json_str(b, colstr(st, 4));
    td_buf_puts(b, ",\"target\":");
    td_buf_json_str(b, colstr(st, 5));
    td_buf_puts(b, ",\"location\":");
    if (colstr(st, 6).p) {
        td_buf_puts(b, "{\"name\":");
        td_buf_json_str(b, colstr(st, 6));
        td_buf_puts(b, ",\"country\":");
        td_buf_json_str(b, colstr(st, 7));
        /* a place the gazetteer lacks has its container's point, marked
         * (coord_precision city/admin1/country, docs/entities.md) */
        td_buf_puts(b, ",\"lat\":");
        json_num_or_null(b, st, 18);
        td_buf_puts(b, ",\"lon\":");
        json_num_or_null(b, st, 19);
        if (colstr(st, 20).p) {
            td_buf_puts(b, ",\"coord_precision\":");
            td_buf_json_str(b, colstr(st, 20));
        }
        if (colstr(st, 21).p) {
            td_buf_puts(b, ",\"within\":");
            td_buf_json_str(b, colstr(st, 21));
        }
        td_buf_putc(b, '}');
    } else {
        td_buf_puts(b, "null");
    }
    td_buf_puts(b, ",\"killed\":");
    json_int_or_null(b, st, 10);
    td_buf_puts(b, ",\"articles\":");
    td_buf_append_str(b, arts);
    td_buf_puts(b, ",\"story\":");
    if (is_null(st, 13))
        td_buf_puts(b, "null");
    else
        td_buf_printf(b, "\"s%lld\"", (long long)td_stmt_i64(st, 13));
    td_buf_puts(b, ",\"killed_min\":");
    json_int_or_null(b, st, 11);
    td_buf_puts(b, ",\"killed_max\":");
    json_int_or_null(b, st, 12);
    td_buf_puts(b, ",\"wounded\":");
    json_int_or_null(b, st, 14);
    td_buf_puts(b, ",\"date_precision\":");
    td_buf_json_str(b, colstr(st, 3));
    td_buf_puts(b, ",\"sub_type\":");
    td_buf_json_str(b, colstr(st, 15));
    td_buf_puts(b, ",\"notes\":");
    td_buf_json_str(b, colstr(st, 16));
    td_buf_printf(b, ",\"revision\":%lld}\n", (long long)td_stmt_i64(st, 17));
}

/* The last event id of the page after id lo (NULL: no event left). */
static const char EVENTS_PAGE_END[] =
    "SELECT max(id) FROM (SELECT id FROM event WHERE id > ? ORDER BY id LIMIT ?) AS page";
static const char EVENTS_PAGE[] =
    "SELECT e.id, e.type, e.date, e.date_precision, e.actor, e.target, e.place, e.country,"
    " e.lat, e.lon, e.killed, e.killed_min, e.killed_max, e.story_id,"
    " e.wounded, e.sub_type, e.notes, e.revision,"
    " coalesce(e.lat, pe.lat), coalesce(e.lon, pe.lon),"
    " CASE WHEN e.lat IS NOT NULL THEN (CASE WHEN coalesce(e.place_level, 0) < 4 THEN 'exact' END)"
    "  WHEN pe.lat IS NOT NULL THEN coalesce(px.approx, 'exact') END, px.within"
    " FROM event e LEFT JOIN entity pe ON pe.id = e.place_id AND e.lat IS NULL"
    " LEFT JOIN entity_approx px ON px.id = e.place_id AND e.lat IS NULL"
    " WHERE e.id > ? AND e.id <= ? ORDER BY e.id";
/* The articles of the same page's events, in event then article order; an
 * article behind several sources of one event comes once per source. */
static const char EVENTS_PAGE_ARTICLES[] =
    "SELECT es.event_id, a.rowid, a.id FROM event_source es JOIN article a ON a.rowid = es.article_id"
    " WHERE es.event_id > ? AND es.event_id <= ? ORDER BY es.event_id, a.rowid";

td_status td_export_events(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    if (fmt == TD_EXPORT_CSV)
        return TD_OK; /* CSV holds one kind of record per file: articles */
    td_db *db = td_store_sql(s);
    td_stmt *pe = NULL, *ev = NULL, *ar = NULL;
    td_buf b = TD_BUF_INIT, arts = TD_BUF_INIT;
    td_status o = TD_OK;
    if (td_db_prepare(db, EVENTS_PAGE_END, &pe, NULL) != TD_OK || td_db_prepare(db, EVENTS_PAGE, &ev, NULL) != TD_OK ||
        td_db_prepare(db, EVENTS_PAGE_ARTICLES, &ar, NULL) != TD_OK) {
        o = export_fail(db, err);
        goto done;
    }
    for (int64_t lo = 0;;) {
        td_stmt_bind_i64(pe, 1, lo);
        td_stmt_bind_i64(pe, 2, EXPORT_PAGE);
        int rc = td_stmt_step(pe);
        if (rc != TD_DB_ROW) {
            o = export_fail(db, err);
            goto done;
        }
        bool end = is_null(pe, 0);
        int64_t hi = td_stmt_i64(pe, 0);
        td_stmt_reset(pe);
        if (end)
            break;
        td_stmt_bind_i64(ev, 1, lo);
        td_stmt_bind_i64(ev, 2, hi);
        td_stmt_bind_i64(ar, 1, lo);
        td_stmt_bind_i64(ar, 2, hi);
        /* both in event id order: the article rows are joined as they come */
        int arc = td_stmt_step(ar);
        while ((rc = td_stmt_step(ev)) == TD_DB_ROW) {
            int64_t id = td_stmt_i64(ev, 0), last = -1;
            td_buf_clear(&arts);
            td_buf_putc(&arts, '[');
            for (; arc == TD_DB_ROW && td_stmt_i64(ar, 0) <= id; arc = td_stmt_step(ar)) {
                if (td_stmt_i64(ar, 0) < id || td_stmt_i64(ar, 1) == last)
                    continue;
                if (last >= 0)
                    td_buf_putc(&arts, ',');
                td_buf_json_str(&arts, colstr(ar, 2));
                last = td_stmt_i64(ar, 1);
            }
            td_buf_putc(&arts, ']');
            if (arts.failed) {
                b.failed = true;
                break;
            }
            event_record(&b, ev, td_str_make(arts.p, arts.len));
            if (b.len > (1u << 16) && (o = flush(&b, out, err)) != TD_OK)
                break;
        }
        bool failed = rc != TD_DB_ROW && rc != TD_DB_DONE;
        failed |= arc != TD_DB_ROW && arc != TD_DB_DONE;
        td_stmt_reset(ev);
        td_stmt_reset(ar);
        if (o == TD_OK && failed)
            o = export_fail(db, err);
        if (o == TD_OK)
            o = flush(&b, out, err);
        if (o != TD_OK)
            goto done;
        lo = hi;
    }
done:
    td_buf_free(&b);
    td_buf_free(&arts);
    td_stmt_finalize(pe);
    td_stmt_finalize(ev);
    td_stmt_finalize(ar);
    return o;
}

static void quote_record(td_buf *b, td_stmt *st)
{
    td_buf_printf(b, "{\"kind\":\"quote\",\"id\":\"q%lld\",\"speaker\":", (long long)td_stmt_i64(st, 0));
    td_buf_json_str(b, colstr(st, 1));
    td_buf_puts(b, ",\"text\":");
    td_buf_json_str(b, colstr(st, 2));
    td_buf_puts(b, ",\"article\":");
    td_buf_json_str(b, colstr(st, 3));
    const char *kind = td_stmt_text(st, 4);
    td_buf_printf(b, ",\"direct\":%s,\"speaker_as_written\":", kind && strcmp(kind, "direct") == 0 ? "true" : "false");
    td_buf_json_str(b, colstr(st, 5));
    td_buf_puts(b, ",\"sentence\":");
    json_int_or_null(b, st, 6);
    td_buf_puts(b, "}\n");
}

td_status td_export_quotes(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    if (fmt == TD_EXPORT_CSV)
        return TD_OK;
    td_db *db = td_store_sql(s);
    td_stmt *st = NULL;
    if (td_db_prepare(db,
                      "SELECT q.id, coalesce(en.name, q.resolved, q.speaker), q.text, a.id, q.kind, q.speaker,"
                      " q.sentence FROM quote q JOIN article a ON a.rowid = q.article_id"
                      " LEFT JOIN entity en ON en.id = q.speaker_id WHERE q.id > ? ORDER BY q.id LIMIT ?",
                      &st, NULL) != TD_OK)
        return export_fail(db, err);
    td_buf b = TD_BUF_INIT;
    td_status o = TD_OK;
    int64_t lo = 0;
    for (int n = EXPORT_PAGE; o == TD_OK && n == EXPORT_PAGE;) {
        td_stmt_bind_i64(st, 1, lo);
        td_stmt_bind_i64(st, 2, EXPORT_PAGE);
        int rc;
        n = 0;
        while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
            lo = td_stmt_i64(st, 0);
            n++;
            quote_record(&b, st);
            if (b.len > (1u << 16) && (o = flush(&b, out, err)) != TD_OK)
                break;
        }
        if (o == TD_OK && rc != TD_DB_DONE)
            o = export_fail(db, err);
        td_stmt_reset(st);
        if (o == TD_OK)
            o = flush(&b, out, err);
    }
    td_buf_free(&b);
    td_stmt_finalize(st);
    return o;
}
