/*
 * td_side.c - tidings' side of the side-by-side comparisons (bench/tools/):
 * one job of the library at a time on the input the other tools get, its
 * answers written to a file for the same scorer, and the time of the job
 * alone (reading input and writing answers are outside the clock).
 *
 *   td_side html  OUT.jsonl PAGE.html...   main text of pages: {"id","body"} per page
 *   td_side dates OUT.tsv CORPUS.jsonl     publication date: id \t YYYY-MM-DD (or empty)
 *   td_side names OUT.jsonl CORPUS.jsonl   people/orgs/places: {"id","people","orgs","places"}
 *   td_side dedup OUT.tsv CORPUS.jsonl     near copies: id \t id-of-earlier-copy (or empty)
 *
 * Last line on stdout: "seconds=S items=N bytes=B" (the timed job, its item
 * count and input bytes). What is timed, per job:
 *   html   td_html_extract (the pipeline's html stage) per page;
 *   dates  td_utf8_sanitize + td_clean_article (the whole clean stage: it
 *          finds the date among boilerplate, title, dateline and outlet);
 *   names  td_entities_extract_article on cleaned text (cleaning untimed);
 *   dedup  td_dedup_fingerprint + td_dedup_add on cleaned bodies (untimed
 *          cleaning), one thread, as the pipeline's fingerprint and dedup stages.
 * The corpus is JSON lines {"id","url","text"} (bench/gen_corpus.c, the
 * evaluation's docs.jsonl).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "clean/clean.h"
#include "clean/html_extract.h"
#include "dedup/dedup.h"
#include "extract/names.h"
#include "text/text.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noreturn)) static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "td_side: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

/* Reads a whole file; NULL when it cannot. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    td_buf b = TD_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        td_buf_append(&b, chunk, n);
    fclose(f);
    if (b.failed) {
        td_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p ? b.p : calloc(1, 1);
}

/* CPU seconds of the process: on a shared machine wall time also measures
 * the other work; the html job reports both. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put_json(td_buf *b, const char *key, td_str v)
{
    td_buf_printf(b, "\"%s\":", key);
    td_buf_json_str(b, v);
}

static int job_html(FILE *out, int n, char **files)
{
    td_arena a;
    td_arena_init(&a, 1 << 20);
    td_buf b = TD_BUF_INIT;
    double t = 0, cpu = 0, bytes = 0;
    for (int i = 0; i < n; i++) {
        size_t len = 0;
        char *page = slurp(files[i], &len);
        if (!page)
            die("cannot read %s", files[i]);
        td_arena_reset(&a);
        td_html_doc doc;
        double t0 = now(), c0 = cpu_now();
        td_status st = td_html_extract(&a, td_str_make(page, len), td_str_make("", 0), &doc);
        t += now() - t0;
        cpu += cpu_now() - c0;
        bytes += (double)len;
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        const char *dot = strrchr(base, '.');
        td_buf_clear(&b);
        td_buf_putc(&b, '{');
        put_json(&b, "id", td_str_make(base, dot ? (size_t)(dot - base) : strlen(base)));
        td_buf_putc(&b, ',');
        put_json(&b, "body", st == TD_OK ? doc.body : td_str_make("", 0));
        td_buf_puts(&b, "}\n");
        fwrite(b.p, 1, b.len, out);
        free(page);
    }
    printf("seconds=%.6f items=%d bytes=%.0f cpu=%.6f\n", t, n, bytes, cpu);
    td_buf_free(&b);
    td_arena_free(&a);
    return 0;
}

/* One article of a JSON-lines corpus, read into the arena. */
typedef struct item {
    td_article a;
    size_t bytes;
} item;

static bool next_article(FILE *in, td_arena *ar, item *it, long *line_no, const char *path)
{
    static char *line;
    static size_t cap;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) > 0) {
        (*line_no)++;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!o) {
            fprintf(stderr, "td_side: %s:%ld: %s\n", path, *line_no, je.text);
            exit(1);
        }
        memset(it, 0, sizeof *it);
        it->a.arena = ar;
        const char *keys[3] = { "id", "url", "text" };
        td_str *dst[3] = { &it->a.id, &it->a.url, &it->a.raw };
        for (int k = 0; k < 3; k++) {
            json_t *v = json_object_get(o, keys[k]);
            if (json_is_string(v)) {
                size_t n = json_string_length(v);
                char *p = td_arena_strndup(ar, json_string_value(v), n);
                *dst[k] = p ? td_str_make(p, n) : td_str_make("", 0);
            }
        }
        json_decref(o);
        it->bytes = it->a.raw.len;
        return true;
    }
    free(line);
    line = NULL;
    return false;
}

static bool clean(td_article *a)
{
    a->text = td_utf8_sanitize(a->arena, a->raw, &a->bad_utf8);
    return a->text.p && td_clean_article(a, NULL) == TD_OK;
}

static void names_of(td_buf *b, const td_entities *en, uint8_t type, const char *key)
{
    td_buf_printf(b, ",\"%s\":[", key);
    bool first = true;
    for (uint32_t i = 0; i < en->n_entities; i++) {
        if (en->e[i].type != type)
            continue;
        if (!first)
            td_buf_putc(b, ',');
        td_buf_json_str(b, en->e[i].name);
        first = false;
    }
    td_buf_putc(b, ']');
}

static int job_corpus(const char *job, FILE *out, const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in)
        die("cannot read %s", path);
    td_arena ar;
    td_arena_init(&ar, 1 << 20);
    td_buf b = TD_BUF_INIT, err = TD_BUF_INIT;
    td_entity_models *md = NULL;
    td_dedup *ix = NULL;
    char **ids = NULL; /* dedup: key -> id */
    size_t n_ids = 0;
    if (strcmp(job, "names") == 0 && td_entity_models_load(NULL, &md, &err) != TD_OK)
        die("entity models: %s", err.p ? err.p : "?");
    if (strcmp(job, "dedup") == 0 && td_dedup_new(NULL, &ix) != TD_OK)
        die("%s", "cannot make the duplicate index");
    double t = 0, bytes = 0;
    long n = 0, line_no = 0;
    item it;
    while (td_arena_reset(&ar), next_article(in, &ar, &it, &line_no, path)) {
        td_article *a = &it.a;
        td_buf_clear(&b);
        n++;
        bytes += (double)it.bytes;
        if (strcmp(job, "dates") == 0) {
            double t0 = now();
            bool ok = clean(a);
            t += now() - t0;
            td_buf_printf(&b, "%.*s\t", (int)a->id.len, a->id.p);
            if (ok && a->published.year && a->published.month && a->published.day)
                td_buf_printf(&b, "%04d-%02d-%02d", a->published.year, a->published.month, a->published.day);
            td_buf_putc(&b, '\n');
        } else if (strcmp(job, "names") == 0) {
            if (!clean(a))
                die("cleaning failed at %s", a->id.p);
            td_entities en;
            double t0 = now();
            td_status st = td_entities_extract_article(md, a, &en);
            t += now() - t0;
            if (st != TD_OK)
                die("extraction failed at %s", a->id.p);
            td_buf_putc(&b, '{');
            put_json(&b, "id", a->id);
            names_of(&b, &en, TD_ENT_PERSON, "people");
            names_of(&b, &en, TD_ENT_ORG, "orgs");
            names_of(&b, &en, TD_ENT_PLACE, "places");
            td_buf_puts(&b, "}\n");
        } else { /* dedup */
            if (!clean(a))
                die("cleaning failed at %s", a->id.p);
            td_dedup_fp fp;
            td_dedup_result res;
            double t0 = now();
            td_dedup_fingerprint(a->body, &fp);
            td_status st = td_dedup_add(ix, n, 0, &fp, &res);
            t += now() - t0;
            if (st != TD_OK)
                die("duplicate index failed at %s", a->id.p);
            char **ni = realloc(ids, (n_ids + 1) * sizeof *ni);
            if (!ni)
                die("%s", "out of memory");
            ids = ni;
            ids[n_ids++] = strndup(a->id.p, a->id.len);
            td_buf_printf(&b, "%.*s\t", (int)a->id.len, a->id.p);
            if (res.kind != TD_DUP_NONE && res.matched > 0 && (size_t)res.matched <= n_ids)
                td_buf_puts(&b, ids[res.matched - 1]);
            td_buf_putc(&b, '\n');
        }
        fwrite(b.p, 1, b.len, out);
    }
    printf("seconds=%.6f items=%ld bytes=%.0f\n", t, n, bytes);
    for (size_t i = 0; i < n_ids; i++)
        free(ids[i]);
    free(ids);
    td_dedup_free(ix);
    td_entity_models_free(md);
    td_buf_free(&b);
    td_buf_free(&err);
    td_arena_free(&ar);
    fclose(in);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: td_side html|dates|names|dedup OUT INPUT...\n");
        return 2;
    }
    bool html = strcmp(argv[1], "html") == 0;
    if (!html && strcmp(argv[1], "dates") != 0 && strcmp(argv[1], "names") != 0 && strcmp(argv[1], "dedup") != 0)
        die("unknown job %s (html, dates, names, dedup)", argv[1]);
    FILE *out = fopen(argv[2], "w");
    if (!out)
        die("cannot write %s", argv[2]);
    int rc = html ? job_html(out, argc - 3, argv + 3) : job_corpus(argv[1], out, argv[3]);
    if (fclose(out) != 0)
        die("cannot write %s", argv[2]);
    return rc;
}
