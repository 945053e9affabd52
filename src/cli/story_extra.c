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

#include <sqlite3.h>
#include <string.h>

static bool has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool yes = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

static const char *col(sqlite3_stmt *st, int i, const char *none)
{
    const unsigned char *p = sqlite3_column_text(st, i);
    return p ? (const char *)p : none;
}

static void summary(sqlite3 *db, long long id, FILE *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT s.sentence, a.id, a.outlet, a.published FROM story_summary s"
                               " LEFT JOIN article a ON a.rowid = s.article_id WHERE s.story_id = ?1"
                               " ORDER BY s.rank", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    fprintf(out, "\n== Summary ==\n");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        fprintf(out, "  %s\n", col(st, 0, ""));
        fprintf(out, "      (%s, %s; article %s)\n", col(st, 2, "unknown outlet"), col(st, 3, "undated"),
                col(st, 1, "-"));
        n++;
    }
    if (n == 0)
        fprintf(out, "  (no sentence qualifies yet)\n");
    sqlite3_finalize(st);
}

static void timeline(sqlite3 *db, long long id, FILE *out)
{
    bool ent = has_table(db, "entity"), src = has_table(db, "event_source");
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT e.id, e.date, e.type, %s, e.killed_min, e.killed_max, %s, %s, %s"
             " FROM event e %s WHERE e.story_id = ?1 ORDER BY e.date IS NULL, e.date, e.id",
             ent ? "pl.name" : "NULL",
             src ? "(SELECT es.sentence FROM event_source es JOIN article a ON a.rowid = es.article_id"
                   " WHERE es.event_id = e.id ORDER BY es.confidence DESC, a.published, a.rowid LIMIT 1)"
                 : "NULL",
             src ? "(SELECT count(*) FROM event_source es WHERE es.event_id = e.id)" : "0",
             src ? "(SELECT group_concat(o, ', ') FROM (SELECT DISTINCT a.outlet o FROM event_source es"
                   " JOIN article a ON a.rowid = es.article_id WHERE es.event_id = e.id AND a.outlet IS NOT NULL"
                   " ORDER BY a.outlet LIMIT 6))"
                 : "NULL",
             ent ? "LEFT JOIN entity pl ON pl.id = e.place_id" : "");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    fprintf(out, "\n== Timeline ==\n");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char toll[64] = "";
        if (sqlite3_column_type(st, 4) != SQLITE_NULL || sqlite3_column_type(st, 5) != SQLITE_NULL) {
            long long lo = sqlite3_column_int64(st, 4), hi = sqlite3_column_int64(st, 5);
            if (sqlite3_column_type(st, 5) == SQLITE_NULL || hi == lo)
                snprintf(toll, sizeof toll, "  killed %lld", lo);
            else
                snprintf(toll, sizeof toll, "  killed %lld-%lld", lo, hi);
        }
        fprintf(out, "  %-10s  %-14s %-24s e%lld%s\n", col(st, 1, "undated"), col(st, 2, "-"), col(st, 3, "-"),
                (long long)sqlite3_column_int64(st, 0), toll);
        if (sqlite3_column_type(st, 6) != SQLITE_NULL)
            fprintf(out, "      \"%s\"\n", col(st, 6, ""));
        int ns = sqlite3_column_int(st, 7);
        if (ns)
            fprintf(out, "      %d source%s: %s\n", ns, ns == 1 ? "" : "s", col(st, 8, "-"));
        n++;
    }
    if (n == 0)
        fprintf(out, "  (no event found in this story)\n");
    sqlite3_finalize(st);
}

void td_cli_story_extra(struct sqlite3 *db, long long story_id, FILE *out)
{
    if (has_table(db, "story_summary"))
        summary(db, story_id, out);
    if (has_table(db, "event"))
        timeline(db, story_id, out);
}
