/*
 * store_bench.c - the writer's cost: what the single writer thread spends per
 * article in the store (src/store/sqlite.c article rows and their full-text
 * index, src/store/sqlite_entity.c per-article entity rows) and once per run
 * (the corpus entity rebuild, then again with nothing changed). A timing
 * program, never an assertion.
 *
 * Each article of the corpus is read, sanitised, cleaned and its entities
 * extracted outside the clock (that is worker work); only the store calls
 * are timed, in batches of 512 articles per transaction as the pipeline does.
 * Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other work on
 * a shared machine moves them little; the wall time of the whole write is
 * printed too (it includes waiting for the disk).
 *
 *   bench/.cache/store_bench CORPUS.jsonl [MAX_ARTICLES]
 * Default: the first 3000 articles; BENCH_QUICK=1: at most 2000. The database goes to
 * $TMPDIR/store_bench-<pid>.db and is removed afterwards.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "clean/clean.h"
#include "extract/names.h"
#include "store/store.h"
#include "store/store_entity.h"
#include "text/text.h"

#define BATCH 512

static double clock_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

/* Bytes this process has caused to be written to storage (/proc/self/io),
 * or -1 where the kernel does not say. */
static double written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    if (!f)
        return -1;
    char key[64];
    double v, out = -1;
    while (fscanf(f, "%63s %lf", key, &v) == 2)
        if (strcmp(key, "write_bytes:") == 0)
            out = v;
    fclose(f);
    return out;
}

/* Copies a JSON string member into the arena; {NULL,0} when absent. */
static td_str member(td_arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return (td_str){ NULL, 0 };
    size_t n = json_string_length(v);
    char *p = td_arena_strndup(a, json_string_value(v), n);
    return p ? td_str_make(p, n) : (td_str){ NULL, 0 };
}

__attribute__((noreturn)) static void die(const char *what, td_store *s)
{
    fprintf(stderr, "store_bench: %s: %s\n", what, s ? td_store_errmsg(s) : "");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_bench CORPUS.jsonl [MAX_ARTICLES]\n");
        return 2;
    }
    long max = argc > 2 ? atol(argv[2]) : 3000; /* enough for steady figures, under ~30 s */
    if (getenv("BENCH_QUICK") && max > 2000)
        max = 2000;
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    char db[512];
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(db, sizeof db, "%s/store_bench-%d.db", tmp, (int)getpid());

    td_buf err = TD_BUF_INIT;
    td_entity_models *md = NULL;
    if (td_entity_models_load(NULL, &md, &err) != TD_OK) {
        fprintf(stderr, "store_bench: entity models: %s\n", err.p ? err.p : "?");
        return 1;
    }
    td_store *s = NULL;
    if (td_store_open(db, false, &s, &err) != TD_OK) {
        fprintf(stderr, "store_bench: %s\n", err.p ? err.p : "?");
        return 1;
    }
    if (td_store_entities_ensure(s) != TD_OK)
        die("entity tables", s);

    td_arena arena;
    td_arena_init(&arena, 1 << 20);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    double bytes = 0, t_put = 0, t_ent = 0, t_commit = 0;
    double w0 = clock_s(CLOCK_MONOTONIC);
    while (n < max && (len = getline(&line, &cap, in)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!o) {
            fprintf(stderr, "store_bench: %s:%ld: %s\n", argv[1], n + 1, je.text);
            return 1;
        }
        td_arena_reset(&arena);
        td_article a = { 0 };
        a.arena = &arena;
        a.id = member(&arena, o, "id");
        a.url = member(&arena, o, "url");
        a.raw = member(&arena, o, "text");
        json_decref(o);
        a.text = td_utf8_sanitize(&arena, a.raw, &a.bad_utf8);
        td_entities en;
        if (!a.text.p || td_clean_article(&a, NULL) != TD_OK ||
            td_entities_extract_article(md, &a, &en) != TD_OK) {
            fprintf(stderr, "store_bench: article %ld: cleaning or extraction failed\n", n + 1);
            return 1;
        }
        a.hash = (uint64_t)n * 0x9E3779B97F4A7C15ULL;
        if (n % BATCH == 0 && td_store_begin(s) != TD_OK)
            die("begin", s);
        int64_t rowid;
        double c0 = cpu();
        if (td_store_article_put(s, &a, a.hash ^ 1, td_str_make("[]", 2), &rowid) != TD_OK)
            die("article_put", s);
        double c1 = cpu();
        if (td_store_entities_put(s, rowid, &en, md->gaz) != TD_OK)
            die("entities_put", s);
        double c2 = cpu();
        t_put += c1 - c0;
        t_ent += c2 - c1;
        bytes += (double)(a.raw.len + a.body.len);
        if (++n % BATCH == 0) {
            double c3 = cpu();
            if (td_store_commit(s) != TD_OK)
                die("commit", s);
            t_commit += cpu() - c3;
        }
    }
    double c3 = cpu();
    if (td_store_commit(s) != TD_OK)
        die("commit", s);
    t_commit += cpu() - c3;
    double c4 = cpu();
    if (td_store_entities_rebuild(s, md, &arena) != TD_OK)
        die("entities rebuild", s);
    double t_rebuild = cpu() - c4;
    /* a second run over the same rows: what a re-ingest or a watch batch that
     * changed nothing pays */
    double c5 = cpu();
    if (td_store_entities_rebuild(s, md, &arena) != TD_OK)
        die("entities rebuild", s);
    double t_rebuild2 = cpu() - c5;
    double wall = clock_s(CLOCK_MONOTONIC) - w0;
    if (n == 0) {
        fprintf(stderr, "store_bench: no articles in %s\n", argv[1]);
        return 1;
    }
    printf("store article_put: %.0f articles/s, %.1f MB/s raw+body (CPU of the writer, full-text index included)\n",
           n / t_put, bytes / 1e6 / t_put);
    printf("store entities_put: %.0f articles/s (CPU)\n", n / t_ent);
    printf("store commit: %.0f articles/s (CPU; %ld articles per transaction)\n", n / t_commit, (long)BATCH);
    printf("store writer total: %.0f articles/s (CPU: put + entities + commit), %.2f s for %ld articles\n",
           n / (t_put + t_ent + t_commit), t_put + t_ent + t_commit, n);
    printf("store entities rebuild: %.0f articles/s (CPU, once per run over all %ld articles)\n",
           n / t_rebuild, n);
    printf("store entities rebuild, nothing changed: %.0f articles/s (CPU)\n", n / t_rebuild2);
    double wb = written();
    if (wb >= 0)
        printf("store disk writes: %.1f KB per article (WAL and checkpoints, /proc/self/io)\n", wb / 1e3 / n);
    fprintf(stderr, "store_bench: %ld articles, %.2f s wall including extraction outside the clock\n", n, wall);
    free(line);
    fclose(in);
    td_arena_free(&arena);
    td_store_close(s);
    td_entity_models_free(md);
    td_buf_free(&err);
    char p[600];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    return 0;
}
