/*
 * match_bench.c - issue 4's two figures: loading the gazetteer (places.bin,
 * mmapped) and the token matcher's throughput in MB of text per second on
 * one core. A timing program, never an assertion.
 *
 * The text is the "text" field of the corpus's first articles (16 MB; 4 MB
 * with BENCH_QUICK=1), or generated prose with no argument. The matcher is
 * measured as the extract stage runs it: the matching tokenizer
 * (td_match_tokenize: folding, keys, flags) and the Aho-Corasick run over
 * the gazetteer's automaton (td_match_run), separately and together; CPU
 * time, best of 3. places.bin: $TIDINGS_DATA/places.bin, else
 * build/data/places.bin. Every stdout line is one result:
 *   gazetteer load (build/data/places.bin, 203554 places): 0.4 ms (best of 5)
 *   match tokenize+run (corpus, 16.0 MB): 120.3 MB/s (best of 3)
 *
 *   /tmp/match_bench [CORPUS.jsonl]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "extract/gazetteer.h"
#include "extract/match.h"

typedef struct corpus {
    char **text;
    size_t *len;
    size_t n, cap, bytes;
} corpus;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add(corpus *c, const char *t, size_t len)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        char **nt = realloc(c->text, cap * sizeof *nt);
        size_t *nl = realloc(c->len, cap * sizeof *nl);
        if (!nt || !nl)
            return -1;
        c->text = nt;
        c->len = nl;
        c->cap = cap;
    }
    c->text[c->n] = malloc(len + 1);
    if (!c->text[c->n])
        return -1;
    memcpy(c->text[c->n], t, len);
    c->text[c->n][len] = 0;
    c->len[c->n++] = len;
    c->bytes += len;
    return 0;
}

static int load_jsonl(corpus *c, const char *path, size_t max_bytes)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while (c->bytes < max_bytes && (got = getline(&line, &cap, f)) > 0) {
        json_t *j = json_loadb(line, (size_t)got, 0, NULL);
        json_t *t = j ? json_object_get(j, "text") : NULL;
        if (t && json_is_string(t) && add(c, json_string_value(t), json_string_length(t)) != 0) {
            json_decref(j);
            break;
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    return c->n ? 0 : -1;
}

/* Fictional wire prose, for runs without a corpus. */
static void generate(corpus *c, size_t bytes)
{
    static const char *const s[] = {
        "Officials in Qasr Tamun said on Monday that at least 12 people were killed when shells hit a market. ",
        "The Velorian army said its forces had retaken two villages near Dar el-Mirah after heavy fighting. ",
        "Prime Minister Aalmo told reporters in Varnholm the talks with the Crimson Dawn Front would go on. ",
        "Witnesses in Paris and Nairobi reported protests outside the embassy of the United States. ",
    };
    char buf[4096];
    while (c->bytes < bytes) {
        size_t n = 0;
        for (int i = 0; i < 24; i++) {
            const char *p = s[(c->n + (size_t)i) % 4];
            size_t l = strlen(p);
            memcpy(buf + n, p, l);
            n += l;
        }
        if (add(c, buf, n) != 0)
            return;
    }
}

int main(int argc, char **argv)
{
    const char *env = getenv("TIDINGS_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/places.bin", env && *env ? env : "build/data");
    td_gazetteer *g = NULL;
    td_buf err = TD_BUF_INIT;
    double best_load = 1e9;
    for (int r = 0; r < 5; r++) {
        td_gazetteer *t = NULL;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (td_gazetteer_load(path, &t, &err) != TD_OK) {
            fprintf(stderr, "match_bench: %s\n", err.p ? err.p : path);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        if (ms < best_load)
            best_load = ms;
        if (r < 4)
            td_gazetteer_free(t);
        else
            g = t;
    }
    printf("gazetteer load (%s, %u places): %.2f ms (best of 5)\n", path, td_gazetteer_count(g), best_load);

    size_t max = (getenv("BENCH_QUICK") ? 4u : 16u) << 20;
    corpus c = { 0 };
    const char *what = "generated";
    if (argc > 1 && load_jsonl(&c, argv[1], max) == 0)
        what = "corpus";
    else
        generate(&c, max);
    double mb = (double)c.bytes / 1e6;
    const td_matcher *m = td_gazetteer_matcher(g);
    td_arena arena;
    td_arena_init(&arena, 1 << 20);
    double best_tok = 1e9, best_all = 1e9;
    unsigned long long matches = 0;
    /* two passes, no clock read per article: the tokenizer alone, then
     * tokenizer and automaton; the automaton's share is the difference */
    for (int r = 0; r < 3; r++) {
        double t0 = cpu_now();
        for (size_t i = 0; i < c.n; i++) {
            td_arena_reset(&arena);
            td_mtok *toks;
            (void)td_match_tokenize(&arena, (td_str){ c.text[i], c.len[i] }, NULL, 0, &toks);
        }
        double tok = cpu_now() - t0;
        t0 = cpu_now();
        matches = 0;
        for (size_t i = 0; i < c.n; i++) {
            td_arena_reset(&arena);
            td_mtok *toks;
            uint32_t n = td_match_tokenize(&arena, (td_str){ c.text[i], c.len[i] }, NULL, 0, &toks);
            td_match *out;
            matches += td_match_run(m, toks, n, &arena, &out);
        }
        double all = cpu_now() - t0;
        if (tok < best_tok)
            best_tok = tok;
        if (all < best_all)
            best_all = all;
    }
    printf("match tokenize (%s, %.1f MB): %.1f MB/s (best of 3)\n", what, mb, mb / best_tok);
    printf("match run, gazetteer automaton (%s, %.1f MB): %.1f MB/s, %llu matches (best of 3)\n", what, mb,
           mb / (best_all - best_tok), matches);
    printf("match tokenize+run (%s, %.1f MB): %.1f MB/s (best of 3)\n", what, mb, mb / best_all);
    td_arena_free(&arena);
    td_gazetteer_free(g);
    td_buf_free(&err);
    for (size_t i = 0; i < c.n; i++)
        free(c.text[i]);
    free(c.text);
    free(c.len);
    return 0;
}
