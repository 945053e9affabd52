/*
 * export.c - `tidings export`: every record of the store as JSON lines
 * (FORMAT.md, section 2) or CSV. Records stream row by row from SQLite, so
 * the export runs in constant memory whatever the size of the store.
 *
 * Article records carry the fields FORMAT.md names (id, url, title,
 * published, story, duplicate_of) plus outlet, body and the metadata the
 * cleaner found; fields a stage has not filled are null.
 */
#include "serve/export.h"
#include "engine.h"
#include "store/store_entity.h"
#include "store/store_event.h"

#include <string.h>

static td_str col(td_stmt *st, int i)
{
    const char *p = td_stmt_text(st, i);
    if (!p)
        return (td_str){ NULL, 0 };
    return td_str_make((const char *)p, (size_t)td_stmt_bytes(st, i));
}

void td_csv_field(td_buf *b, td_str v)
{
    bool quote = false;
    for (size_t i = 0; i < v.len && !quote; i++)
        quote = v.p[i] == ',' || v.p[i] == '"' || v.p[i] == '\n' || v.p[i] == '\r';
    if (!quote) {
        td_buf_append_str(b, v);
        return;
    }
    td_buf_putc(b, '"');
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] == '"')
            td_buf_putc(b, '"');
        td_buf_putc(b, v.p[i]);
    }
    td_buf_putc(b, '"');
}

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

/* A full date "YYYY-MM-DD" as a JSON string; month- or year-precise dates
 * and NULL give null (FORMAT.md: dates are YYYY-MM-DD or null). */
static void json_day(td_buf *b, td_str d)
{
    if (d.p && d.len == 10)
        td_buf_json_str(b, d);
    else
        td_buf_puts(b, "null");
}

td_status td_export_articles(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    static const char sql[] =
        "SELECT a.id, a.url, a.outlet, a.title, a.published, a.story_id, d.id, a.dup_similarity,"
        " a.body, a.byline, a.dateline, a.captions, a.published_from, a.subtitle"
        " FROM article a LEFT JOIN article d ON d.rowid = a.duplicate_of ORDER BY a.rowid";
    td_stmt *st = NULL;
    int rc = td_db_prepare(td_store_sql(s), sql, &st, NULL);
    if (rc != TD_OK) {
        td_buf_printf(err, "export: %s", td_db_errmsg(td_store_sql(s)));
        return TD_EDB;
    }
    td_buf b = TD_BUF_INIT;
    td_status out_st = TD_OK;
    if (fmt == TD_EXPORT_CSV)
        td_buf_puts(&b, "kind,id,url,outlet,title,published,story,duplicate_of,byline,dateline,body\r\n");
    while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
        char story[32] = "";
        if (td_stmt_type(st, 5) != TD_COL_NULL)
            snprintf(story, sizeof story, "s%lld", (long long)td_stmt_i64(st, 5));
        td_str story_s = story[0] ? td_str_cstr(story) : (td_str){ NULL, 0 };
        if (fmt == TD_EXPORT_CSV) {
            td_buf_puts(&b, "article,");
            int cols[] = { 0, 1, 2, 3, 4, -1, 6, 9, 10, 8 };
            for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
                td_csv_field(&b, cols[i] < 0 ? story_s : col(st, cols[i]));
                td_buf_puts(&b, i + 1 < sizeof cols / sizeof cols[0] ? "," : "\r\n");
            }
        } else {
            td_buf_puts(&b, "{\"kind\":\"article\",\"id\":");
            td_buf_json_str(&b, col(st, 0));
            td_buf_puts(&b, ",\"url\":");
            td_buf_json_str(&b, col(st, 1));
            td_buf_puts(&b, ",\"outlet\":");
            td_buf_json_str(&b, col(st, 2));
            td_buf_puts(&b, ",\"title\":");
            td_buf_json_str(&b, col(st, 3));
            td_buf_puts(&b, ",\"published\":");
            json_day(&b, col(st, 4));
            td_buf_puts(&b, ",\"published_from\":");
            td_buf_json_str(&b, col(st, 4).p ? col(st, 12) : (td_str){ NULL, 0 });
            td_buf_puts(&b, ",\"story\":");
            td_buf_json_str(&b, story_s);
            td_buf_puts(&b, ",\"duplicate_of\":");
            td_buf_json_str(&b, col(st, 6));
            td_buf_puts(&b, ",\"similarity\":");
            if (td_stmt_type(st, 7) == TD_COL_NULL)
                td_buf_puts(&b, "null");
            else
                td_buf_printf(&b, "%.3f", td_stmt_double(st, 7));
            td_buf_puts(&b, ",\"byline\":");
            td_buf_json_str(&b, col(st, 9));
            td_buf_puts(&b, ",\"dateline\":");
            td_buf_json_str(&b, col(st, 10));
            td_buf_puts(&b, ",\"subtitle\":");
            td_buf_json_str(&b, col(st, 13));
            td_buf_puts(&b, ",\"captions\":");
            td_buf_json_str(&b, col(st, 11));
            td_buf_puts(&b, ",\"body\":");
            td_buf_json_str(&b, col(st, 8));
            td_buf_puts(&b, "}\n");
        }
        if (b.len > (1u << 16) && (out_st = flush(&b, out, err)) != TD_OK)
            break;
    }
    if (out_st == TD_OK && rc != TD_DB_DONE) {
        td_buf_printf(err, "export: %s", td_db_errmsg(td_store_sql(s)));
        out_st = td_store_status(rc);
    }
    if (out_st == TD_OK)
        out_st = flush(&b, out, err);
    td_buf_free(&b);
    td_stmt_finalize(st);
    return out_st;
}

/* Stories a page at a time: the page's last id, its stories, then their
 * articles in one statement, joined in C (no json_group_array in
 * PostgreSQL's dialect; a PostgreSQL result is fetched whole, so pages keep
 * memory bounded). Articles by date, undated first (SQLite's order of NULLs,
 * explicit for PostgreSQL), then input order. */
static const char STORIES_PAGE_END[] =
    "SELECT max(id) FROM (SELECT id FROM story WHERE id > ? ORDER BY id LIMIT ?) AS page";
static const char STORIES_PAGE[] =
    "SELECT s.id, s.title, s.first_seen, s.last_seen FROM story s WHERE s.id > ? AND s.id <= ? ORDER BY s.id";
static const char STORIES_PAGE_ARTICLES[] =
    "SELECT story_id, id FROM article WHERE story_id > ? AND story_id <= ?"
    " ORDER BY story_id, published NULLS FIRST, rowid";
enum { EXPORT_PAGE = 4096 };

td_status td_export_stories(td_store *s, FILE *out, td_export_format fmt, td_buf *err)
{
    if (fmt == TD_EXPORT_CSV)
        return TD_OK; /* CSV holds one kind of record per file: articles */
    td_db *db = td_store_sql(s);
    td_stmt *pe = NULL, *st = NULL, *ar = NULL;
    td_buf b = TD_BUF_INIT;
    td_status out_st = TD_OK;
    int rc = TD_DB_DONE;
    if (td_db_prepare(db, STORIES_PAGE_END, &pe, NULL) != TD_OK || td_db_prepare(db, STORIES_PAGE, &st, NULL) != TD_OK ||
        td_db_prepare(db, STORIES_PAGE_ARTICLES, &ar, NULL) != TD_OK) {
        td_buf_printf(err, "export: %s", td_db_errmsg(db));
        out_st = TD_EDB;
        goto done;
    }
    for (int64_t lo = 0; out_st == TD_OK;) {
        td_stmt_bind_i64(pe, 1, lo);
        td_stmt_bind_i64(pe, 2, EXPORT_PAGE);
        if ((rc = td_stmt_step(pe)) != TD_DB_ROW)
            break;
        if (td_stmt_type(pe, 0) == TD_COL_NULL) {
            rc = TD_DB_DONE;
            break;
        }
        int64_t hi = td_stmt_i64(pe, 0);
        td_stmt_reset(pe);
        td_stmt_bind_i64(st, 1, lo);
        td_stmt_bind_i64(st, 2, hi);
        td_stmt_bind_i64(ar, 1, lo);
        td_stmt_bind_i64(ar, 2, hi);
        int arc = td_stmt_step(ar);
        while ((rc = td_stmt_step(st)) == TD_DB_ROW) {
            int64_t id = td_stmt_i64(st, 0);
            td_buf_printf(&b, "{\"kind\":\"story\",\"id\":\"s%lld\",\"title\":", (long long)id);
            td_buf_json_str(&b, col(st, 1));
            td_buf_puts(&b, ",\"first_seen\":");
            json_day(&b, col(st, 2));
            td_buf_puts(&b, ",\"last_seen\":");
            json_day(&b, col(st, 3));
            td_buf_puts(&b, ",\"articles\":[");
            /* article rows come in story order: skip those of stories
             * without a row of their own, take this one's */
            while (arc == TD_DB_ROW && td_stmt_i64(ar, 0) < id)
                arc = td_stmt_step(ar);
            for (bool first = true; arc == TD_DB_ROW && td_stmt_i64(ar, 0) == id; first = false) {
                if (!first)
                    td_buf_putc(&b, ',');
                td_buf_json_str(&b, col(ar, 1));
                arc = td_stmt_step(ar);
            }
            td_buf_puts(&b, "]}\n");
            if (b.len > (1u << 16) && (out_st = flush(&b, out, err)) != TD_OK)
                break;
        }
        if (out_st == TD_OK && arc != TD_DB_ROW && arc != TD_DB_DONE)
            rc = arc;
        td_stmt_reset(st);
        td_stmt_reset(ar);
        if (out_st != TD_OK || rc != TD_DB_DONE)
            break;
        lo = hi;
    }
    if (out_st == TD_OK && rc != TD_DB_DONE) {
        td_buf_printf(err, "export: %s", td_db_errmsg(db));
        out_st = td_store_status(rc);
    }
    if (out_st == TD_OK)
        out_st = flush(&b, out, err);
done:
    td_buf_free(&b);
    td_stmt_finalize(pe);
    td_stmt_finalize(st);
    td_stmt_finalize(ar);
    return out_st;
}

/* The writers in the order their records appear in an export. */
static const td_export_fn WRITERS[] = {
    td_export_articles,
    td_export_stories,
    td_export_entities, /* store/sqlite_entity.c */
    td_export_events,   /* store/sqlite_event.c */
    td_export_quotes,   /* store/sqlite_event.c */
};

td_status td_export(td_engine *e, FILE *out, td_export_format fmt)
{
    if (!e || !out)
        return TD_EINVAL;
    td_buf err = TD_BUF_INIT;
    td_status st = TD_OK;
    for (size_t i = 0; i < sizeof WRITERS / sizeof WRITERS[0] && st == TD_OK; i++)
        st = WRITERS[i](td_engine_store(e), out, fmt, &err);
    if (st == TD_OK && fflush(out) != 0) {
        td_buf_puts(&err, "cannot write the export");
        st = TD_EIO;
    }
    if (st != TD_OK)
        td_engine_fail(e, st, "%s", err.p ? err.p : td_status_str(st));
    td_buf_free(&err);
    return st;
}
