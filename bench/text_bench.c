/*
 * text_bench.c - throughput of the text stage (MB/s of input) and of the
 * cleaner, on the benchmark corpus or on generated
 * wire-style prose: the UTF-8 gate, punctuation unification, folding, the
 * tokenizer and the sentence splitter. A timing program, never an assertion.
 *
 * The text is built from a small made-up vocabulary (fictional places and
 * people) in two flavours: plain ASCII, and "typographic" with curly quotes,
 * dashes, accented names and a CRLF now and then, the way scraped pages come.
 *
 * With a corpus (bench/run passes CORPUS.jsonl as the first argument) the
 * "text" fields of its first articles (16 MB; 4 MB with BENCH_QUICK=1) are
 * measured article by article, and so is the cleaner (td_clean_article);
 * with a number or nothing, N MB (default 8) of each generated flavour.
 * Every stdout line is one result (docs/bench.md), best of 3 runs:
 *   text utf8_sanitize (corpus, 16.0 MB): 812 MB/s (best of 3)
 *
 *   make && cc -std=c17 -O2 -D_GNU_SOURCE -Iinclude -Isrc bench/text_bench.c build/libtidings.a \
 *      $(pkg-config --cflags --libs sqlite3 jansson libutf8proc libxxhash zlib libxml-2.0) -lstemmer -lm -lpthread \
 *      -o /tmp/text_bench
 *   /tmp/text_bench [CORPUS.jsonl | MB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "clean/clean.h"
#include "text/text.h"

static const char *const words[] = {
    "the", "council", "in", "Velmora", "said", "on", "Monday", "that", "at", "least",
    "of", "people", "were", "killed", "when", "a", "storm", "hit", "Tarsen", "province",
    "officials", "told", "reporters", "and", "Gen.", "Omar", "Vance", "U.S.", "envoy",
    "Mara", "Lind", "would", "visit", "No.", "10", "Feb.", "24,", "2,000", "troops",
    "3.5", "million", "residents", "fled", "as", "water", "rose", "by", "Dr.", "Halvorsen",
};
#define N_WORDS (sizeof words / sizeof *words)

static const char *const fancy[] = {
    "\xE2\x80\x9CWe will rebuild,\xE2\x80\x9D", "Z\xC3\xBCrich", "\xE2\x80\x94", "S\xC3\xA3o",
    "Tom\xC3\xA9", "O\xE2\x80\x99Hara", "caf\xC3\xA9", "Krak\xC3\xB3w", "\xE2\x80\xA6",
};
#define N_FANCY (sizeof fancy / sizeof *fancy)

/* Fills buf with about len bytes of prose; returns the length used. */
static size_t gen(char *buf, size_t len, int typographic, unsigned seed)
{
    size_t o = 0;
    int in_sent = 0;
    while (o + 64 < len) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        const char *w = (typographic && r % 9 == 0) ? fancy[r % N_FANCY] : words[r % N_WORDS];
        size_t wl = strlen(w);
        if (in_sent)
            buf[o++] = ' ';
        memcpy(buf + o, w, wl);
        o += wl;
        in_sent++;
        if (in_sent > 12 && r % 7 == 0) {
            buf[o++] = '.';
            in_sent = 0;
            if (r % 5 == 0) {
                if (typographic && r % 3 == 0)
                    buf[o++] = '\r';
                buf[o++] = '\n';
                buf[o++] = '\n';
            } else {
                buf[o++] = ' ';
            }
        }
    }
    return o;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The measured text: one buffer cut into pieces (articles, or 8 KB slices of
 * generated prose, the size of a long news story). */
typedef struct corpus {
    char *buf;
    size_t len, cap;
    size_t *off;      /* piece i is [off[i], off[i+1]) */
    size_t n, ncap;
} corpus;

static int add_piece(corpus *c, const char *p, size_t len)
{
    if (c->len + len > c->cap)
        return 0;
    if (c->n + 2 > c->ncap) {
        size_t nc = c->ncap ? c->ncap * 2 : 1024;
        size_t *o = realloc(c->off, nc * sizeof *o);
        if (!o)
            return 0;
        c->off = o;
        c->ncap = nc;
    }
    if (c->n == 0)
        c->off[0] = 0;
    memcpy(c->buf + c->len, p, len);
    c->len += len;
    c->off[++c->n] = c->len;
    return 1;
}

/* Reads the "text" of each JSONL line until cap bytes. */
static int load_jsonl(corpus *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while ((got = getline(&line, &lcap, f)) > 0) {
        json_t *j = json_loadb(line, (size_t)got, 0, NULL);
        const char *t = j ? json_string_value(json_object_get(j, "text")) : NULL;
        int ok = 1;
        if (t)
            ok = add_piece(c, t, json_string_length(json_object_get(j, "text")));
        json_decref(j);
        if (!ok)
            break;
    }
    free(line);
    fclose(f);
    return c->n > 0;
}

static void gen_pieces(corpus *c, int typographic)
{
    c->len = c->n = 0;
    char *tmp = malloc(c->cap);
    if (!tmp)
        return;
    size_t len = gen(tmp, c->cap, typographic, 42);
    for (size_t o = 0; o < len; o += 8192)
        if (!add_piece(c, tmp + o, len - o < 8192 ? len - o : 8192))
            break;
    free(tmp);
}

/* Runs one stage over every piece, best of 3; prints one result line. */
static void run(const char *name, int stage, const corpus *c, const char *what)
{
    td_arena a;
    td_arena_init(&a, 256 * 1024);
    double best = 1e30;
    size_t sink = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t i = 0; i < c->n; i++) {
            td_str s = { c->buf + c->off[i], c->off[i + 1] - c->off[i] };
            td_token *tok;
            td_span *sp;
            switch (stage) {
            case 0: sink += td_utf8_sanitize(&a, s, NULL).len; break;
            case 1: sink += td_text_unify_punct(&a, s).len; break;
            case 2: sink += td_text_fold(&a, s).len; break;
            case 3: sink += td_tokenize(&a, s, &tok); break;
            case 4: sink += td_sentences(&a, s, &sp); break;
            case 5: {
                td_article art;
                memset(&art, 0, sizeof art);
                art.arena = &a;
                art.text = s;
                if (td_clean_article(&art, NULL) == TD_OK)
                    sink += art.body.len;
                break;
            }
            default: break;
            }
            td_arena_reset(&a);
        }
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    double mb = (double)c->len / 1e6;
    if (stage == 5)
        printf("clean td_clean_article (%s, %.1f MB): %.1f MB/s, %.0f articles/s (best of 3)\n", what, mb,
               mb / best, (double)c->n / best);
    else
        printf("text %s (%s, %.1f MB): %.0f MB/s (best of 3)\n", name, what, mb, mb / best);
    fprintf(stderr, "%s: checksum %zu\n", name, sink);
    td_arena_free(&a);
}

int main(int argc, char **argv)
{
    static const char *const names[] = { "utf8_sanitize", "unify_punct", "fold", "tokenize", "sentences", "clean" };
    const char *arg = argc > 1 ? argv[1] : NULL;
    int quick = getenv("BENCH_QUICK") != NULL;
    char *end = NULL;
    long mb = arg ? strtol(arg, &end, 10) : 0;
    bool is_number = arg && end && *end == '\0' && mb > 0;
    corpus c = { 0 };
    c.cap = (size_t)(is_number ? mb : (quick ? 4 : (arg ? 16 : 8))) << 20;
    c.buf = malloc(c.cap);
    if (!c.buf)
        return 1;
    int rc = 0;
    if (arg && !is_number) {
        if (!load_jsonl(&c, arg)) {
            fprintf(stderr, "text_bench: cannot read articles from %s\n", arg);
            rc = 1;
        } else {
            for (int st = 0; st < 6; st++)
                run(names[st], st, &c, "corpus");
        }
    } else {
        for (int typo = 0; typo < 2; typo++) {
            /* pieces are cut mid-character only in the typographic text; the
             * gate handles that, the other stages see what it would give them */
            gen_pieces(&c, typo);
            for (int st = 0; st < 5; st++)
                run(names[st], st, &c, typo ? "typographic" : "ASCII");
        }
    }
    free(c.off);
    free(c.buf);
    return rc;
}
