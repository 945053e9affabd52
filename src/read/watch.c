/*
 * watch.c - the watch_file table (see watch.h). Statements are prepared per
 * call: files arrive seconds apart, so caching them would buy nothing.
 */
#include "read/watch.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

td_status td_watch_stat(const char *path, td_watch_file *f)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? TD_ENOTFOUND : TD_EIO;
    if (!S_ISREG(sb.st_mode))
        return TD_EINVAL;
    f->path = path;
    f->size = (uint64_t)sb.st_size;
    f->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    f->inode = (uint64_t)sb.st_ino;
    return TD_OK;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

bool td_watch_wanted(const char *name)
{
    size_t len = strlen(name);
    if (!len || name[0] == '.')
        return false;
    static const char *const skip[] = { "~", ".tmp", ".part", ".partial", ".swp", ".crdownload",
                                        "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (ends_with(name, len, skip[i]))
            return false;
    return true;
}

td_status td_watch_known(td_store *s, const td_watch_file *f, bool *known)
{
    td_stmt *st = NULL;
    int rc = td_db_prepare(td_store_sql(s),
                                "SELECT 1 FROM watch_file WHERE path = ?1 AND size = ?2 AND mtime_ns = ?3 AND inode = ?4", &st, NULL);
    if (rc == TD_OK) {
        td_stmt_bind_text(st, 1, f->path, -1);
        td_stmt_bind_i64(st, 2, (int64_t)f->size);
        td_stmt_bind_i64(st, 3, f->mtime_ns);
        td_stmt_bind_i64(st, 4, (int64_t)f->inode);
        rc = td_stmt_step(st);
    }
    td_stmt_finalize(st);
    if (rc != TD_DB_ROW && rc != TD_DB_DONE)
        return td_store_status(rc);
    *known = rc == TD_DB_ROW;
    return TD_OK;
}

td_status td_watch_record(td_store *s, const td_watch_file *f, uint64_t articles)
{
    td_stmt *st = NULL;
    int rc = td_db_prepare(td_store_sql(s),
                                /* an upsert both dialects accept; ingested_at
                                 * takes the new default, as a replace did */
                                "INSERT INTO watch_file(path, size, mtime_ns, inode, articles) "
                                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (path) DO UPDATE SET size = excluded.size,"
                                " mtime_ns = excluded.mtime_ns, inode = excluded.inode, articles = excluded.articles,"
                                " ingested_at = excluded.ingested_at", &st, NULL);
    if (rc == TD_OK) {
        td_stmt_bind_text(st, 1, f->path, -1);
        td_stmt_bind_i64(st, 2, (int64_t)f->size);
        td_stmt_bind_i64(st, 3, f->mtime_ns);
        td_stmt_bind_i64(st, 4, (int64_t)f->inode);
        td_stmt_bind_i64(st, 5, (int64_t)articles);
        rc = td_stmt_step(st);
    }
    td_stmt_finalize(st);
    return rc == TD_DB_DONE ? TD_OK : td_store_status(rc);
}

int64_t td_watch_count(td_store *s)
{
    return td_store_count(s, "watch_file");
}
