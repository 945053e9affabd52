/*
 * engine.c - the public API (include/tidings.h): open, ingest, finish, close.
 * The stages themselves are called from pipeline.c; the export from
 * serve/export.c.
 */
#include "engine.h"
#include "pipeline.h"
#include "read/read.h"
#include "base/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double td_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *td_status_str(td_status st)
{
    switch (st) {
    case TD_OK: return "ok";
    case TD_ENOMEM: return "out of memory";
    case TD_EINVAL: return "invalid argument";
    case TD_EIO: return "input/output error";
    case TD_EPARSE: return "parse error";
    case TD_ENOTFOUND: return "not found";
    case TD_EDB: return "database error";
    case TD_EBUSY: return "database is locked";
    case TD_EREADONLY: return "database is read-only";
    case TD_ELIMIT: return "over a limit";
    }
    return "unknown error";
}

td_status td_engine_fail(td_engine *e, td_status st, const char *fmt, ...)
{
    td_buf_clear(&e->err);
    va_list ap;
    va_start(ap, fmt);
    td_buf_vprintf(&e->err, fmt, ap);
    va_end(ap);
    return st;
}

const char *td_engine_errmsg(const td_engine *e)
{
    if (!e)
        return td_engine_last_open_error();
    return e->err.p ? e->err.p : "";
}

td_status td_engine_open(const td_options *opt, td_engine **out)
{
    if (!opt || !out)
        return TD_EINVAL;
    td_engine *e = td_calloc(1, sizeof *e);
    if (!e)
        return TD_ENOMEM;
    e->opt = *opt;
    if (!e->opt.db_path)
        e->opt.db_path = "tidings.db";
    if (!e->opt.batch_size)
        e->opt.batch_size = 512;
    if (!e->opt.max_article_bytes)
        e->opt.max_article_bytes = 16u << 20;
    if (!e->opt.max_line_bytes)
        e->opt.max_line_bytes = e->opt.max_article_bytes * 2 + 4096; /* escapes grow the text */
    if (!e->opt.max_entities)
        e->opt.max_entities = 1000;
    if (!e->opt.max_events)
        e->opt.max_events = 500;
    e->stats = &e->own;
    td_arena_init(&e->arena, 256 * 1024);
    td_status st = td_store_open(e->opt.db_path, e->opt.read_only != 0, &e->store, &e->err);
    if (st != TD_OK) {
        /* keep the message for the caller through a static copy */
        static _Thread_local char msg[1200];
        snprintf(msg, sizeof msg, "%s", e->err.p ? e->err.p : td_status_str(st));
        td_engine_close(e);
        td_engine_last_open_error_set(msg);
        return st;
    }
    *out = e;
    return TD_OK;
}

static _Thread_local const char *last_open_error = "";

void td_engine_last_open_error_set(const char *msg) { last_open_error = msg; }
const char *td_engine_last_open_error(void) { return last_open_error; }

void td_engine_close(td_engine *e)
{
    if (!e)
        return;
    if (e->store && td_store_in_tx(e->store))
        td_pipeline_finish(e);
    td_pipeline_free(e);
    td_store_close(e->store);
    td_arena_free(&e->arena);
    td_buf_free(&e->err);
    td_free(e);
}

td_store *td_engine_store(td_engine *e) { return e->store; }

static td_status emit(void *ud, const td_input *in)
{
    return td_pipeline_article(ud, in);
}

static void reader_warn(void *ud, const char *where, const char *msg)
{
    td_engine *e = ud;
    if (e->opt.warn)
        e->opt.warn(e->opt.ud, where, msg);
}

static void begin_stats(td_engine *e, td_ingest_stats *st)
{
    e->stats = st ? st : &e->own;
    if (e->t0 == 0 || e->stats->seen == 0)
        e->t0 = td_now() - e->stats->seconds;
}

td_status td_ingest_path(td_engine *e, const char *path, td_ingest_stats *st)
{
    if (!e || !path)
        return TD_EINVAL;
    begin_stats(e, st);
    td_reader r = { 0 };
    r.emit = emit;
    r.warn = reader_warn;
    r.ud = e;
    r.max_article_bytes = e->opt.max_article_bytes;
    r.max_line_bytes = e->opt.max_line_bytes;
    td_status s = td_read_path(&r, path);
    e->stats->files += r.files;
    e->stats->skipped += r.skipped;
    e->stats->bytes += r.bytes;
    e->stats->seconds = td_now() - e->t0;
    if (s == TD_ENOTFOUND || s == TD_EIO)
        td_engine_fail(e, s, "%s: cannot be read", path);
    return s;
}

td_status td_ingest_input(td_engine *e, const td_input *in, td_ingest_stats *st)
{
    if (!e || !in)
        return TD_EINVAL;
    begin_stats(e, st);
    e->stats->bytes += in->text_len;
    td_status s = td_pipeline_article(e, in);
    e->stats->seconds = td_now() - e->t0;
    return s;
}

td_status td_ingest_commit(td_engine *e, td_ingest_stats *st)
{
    if (!e)
        return TD_EINVAL;
    begin_stats(e, st);
    td_status s = td_pipeline_commit(e);
    e->stats->seconds = td_now() - e->t0;
    return s;
}

td_status td_ingest_finish(td_engine *e, td_ingest_stats *st)
{
    if (!e)
        return TD_EINVAL;
    begin_stats(e, st);
    td_status s = td_pipeline_finish(e);
    e->stats->seconds = td_now() - e->t0;
    e->t0 = 0;
    return s;
}
