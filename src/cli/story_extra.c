/*
 * story_extra.c - the "== Summary ==" and "== Timeline ==" sections of
 * `tidings story ID` (cmd_stories.c calls td_cli_story_extra after its own
 * sections). The summary is read from story_summary (summary/summary.h),
 * the timeline from event, event_source and entity: the story's events by
 * date, each with its best source sentence (highest confidence, then the
 * earliest report), its outlets and its toll range. A section whose tables
 * the database lacks is left out.
 */
#include "cli/cli.h"

#include <string.h>

/* True when table name exists: its prepare succeeds (either backend; name is
 * one of ours, never user input). */
static bool has_table(td_db *db, const char *name)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", name);
    td_stmt *st = NULL;
    bool yes = td_db_prepare(db, sql, &st, NULL) == TD_OK;
    td_stmt_finalize(st);
    return yes;
}

static const char *col(td_stmt *st, int i, const char *none)
{
    const char *p = td_stmt_text(st, i);
    return p ? (const char *)p : none;
}

static void summary(td_db *db, long long id, FILE *out)
{
    td_stmt *st = NULL;
    if (td_db_prepare(db, "SELECT s.sentence, a.id, a.outlet, a.published FROM story_summary s"
                               " LEFT JOIN article a ON a.rowid = s.article_id WHERE s.story_id = ?1"
                               " ORDER BY s.rank", &st, NULL) != TD_OK) {
        td_stmt_finalize(st);
        return;
    }
    td_stmt_bind_i64(st, 1, id);
    fprintf(out, "\n== Summary ==\n");
    int n = 0;
    while (td_stmt_step(st) == TD_DB_ROW) {
        fprintf(out, "  %s\n", col(st, 0, ""));
        fprintf(out, "      (%s, %s; article %s)\n", col(st, 2, "unknown outlet"), col(st, 3, "undated"),
                col(st, 1, "-"));
        n++;
    }
    if (n == 0)
        fprintf(out, "  (no sentence qualifies yet)\n");
    td_stmt_finalize(st);
}

static void timeline(td_db *db, long long id, FILE *out)
{
    bool ent = has_table(db, "entity"), src = has_table(db, "event_source");
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT e.id, e.date, e.type, %s, e.killed_min, e.killed_max, %s, %s"
             " FROM event e %s WHERE e.story_id = ?1 ORDER BY e.date IS NULL, e.date, e.id",
             ent ? "pl.name" : "NULL",
             src ? "(SELECT es.sentence FROM event_source es JOIN article a ON a.rowid = es.article_id"
                   " WHERE es.event_id = e.id ORDER BY es.confidence DESC, a.published NULLS FIRST, a.rowid,"
                   " es.mention_idx LIMIT 1)"
                 : "NULL",
             src ? "(SELECT count(*) FROM event_source es WHERE es.event_id = e.id)" : "0",
             ent ? "LEFT JOIN entity pl ON pl.id = e.place_id" : "");
    /* the outlets of an event by a statement of their own, joined here (no
     * group_concat in PostgreSQL's dialect) */
    td_stmt *st = NULL, *ol = NULL;
    if (td_db_prepare(db, sql, &st, NULL) != TD_OK ||
        (src && td_db_prepare(db, "SELECT DISTINCT a.outlet FROM event_source es JOIN article a"
                                  " ON a.rowid = es.article_id WHERE es.event_id = ?1 AND a.outlet IS NOT NULL"
                                  " ORDER BY a.outlet LIMIT 6", &ol, NULL) != TD_OK)) {
        td_stmt_finalize(st);
        return;
    }
    td_stmt_bind_i64(st, 1, id);
    td_buf outlets = TD_BUF_INIT;
    fprintf(out, "\n== Timeline ==\n");
    int n = 0;
    while (td_stmt_step(st) == TD_DB_ROW) {
        char toll[64] = "";
        if (td_stmt_type(st, 4) != TD_COL_NULL || td_stmt_type(st, 5) != TD_COL_NULL) {
            long long lo = td_stmt_i64(st, 4), hi = td_stmt_i64(st, 5);
            if (td_stmt_type(st, 5) == TD_COL_NULL || hi == lo)
                snprintf(toll, sizeof toll, "  killed %lld", lo);
            else
                snprintf(toll, sizeof toll, "  killed %lld-%lld", lo, hi);
        }
        fprintf(out, "  %-10s  %-14s %-24s e%lld%s\n", col(st, 1, "undated"), col(st, 2, "-"), col(st, 3, "-"),
                (long long)td_stmt_i64(st, 0), toll);
        if (td_stmt_type(st, 6) != TD_COL_NULL)
            fprintf(out, "      \"%s\"\n", col(st, 6, ""));
        int ns = (int)td_stmt_i64(st, 7);
        if (ns && ol) {
            td_buf_clear(&outlets);
            td_stmt_bind_i64(ol, 1, td_stmt_i64(st, 0));
            while (td_stmt_step(ol) == TD_DB_ROW)
                td_buf_printf(&outlets, "%s%s", outlets.len ? ", " : "", col(ol, 0, ""));
            td_stmt_reset(ol);
            fprintf(out, "      %d source%s: %s\n", ns, ns == 1 ? "" : "s",
                    outlets.len && !outlets.failed ? outlets.p : "-");
        }
        n++;
    }
    if (n == 0)
        fprintf(out, "  (no event found in this story)\n");
    td_buf_free(&outlets);
    td_stmt_finalize(ol);
    td_stmt_finalize(st);
}

void td_cli_story_extra(td_db *db, long long story_id, FILE *out)
{
    if (has_table(db, "story_summary"))
        summary(db, story_id, out);
    if (has_table(db, "event"))
        timeline(db, story_id, out);
}
