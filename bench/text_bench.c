/*
 * text_bench.c - throughput of the text stage (MB/s of input) on generated
 * wire-style prose: the UTF-8 gate, punctuation unification, folding, the
 * tokenizer and the sentence splitter. A timing program, never an assertion.
 *
 * The text is built from a small made-up vocabulary (fictional places and
 * people) in two flavours: plain ASCII, and "typographic" with curly quotes,
 * dashes, accented names and a CRLF now and then, the way scraped pages come.
 *
 *   make && cc -std=c17 -O2 -D_GNU_SOURCE -Iinclude -Isrc bench/text_bench.c
 *      build/libtidings.a $(pkg-config --cflags --libs libutf8proc) -o /tmp/text_bench
 *   /tmp/text_bench [MB]        (default 8 MB per flavour)
 * (or compile with the sources of src/text and src/base instead of the library)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
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

/* Runs one stage over the text in article-sized pieces (8 KB, the size of a
 * long news story) and prints MB/s. */
static void run(const char *name, int stage, const char *text, size_t len)
{
    td_arena a;
    td_arena_init(&a, 256 * 1024);
    const size_t piece = 8192;
    size_t sink = 0;
    double t0 = now();
    for (size_t off = 0; off < len; off += piece) {
        td_str s = { text + off, len - off < piece ? len - off : piece };
        td_token *tok;
        td_span *sp;
        switch (stage) {
        case 0: sink += td_utf8_sanitize(&a, s, NULL).len; break;
        case 1: sink += td_text_unify_punct(&a, s).len; break;
        case 2: sink += td_text_fold(&a, s).len; break;
        case 3: sink += td_tokenize(&a, s, &tok); break;
        case 4: sink += td_sentences(&a, s, &sp); break;
        default: break;
        }
        td_arena_reset(&a);
    }
    double dt = now() - t0;
    printf("  %-14s %8.0f MB/s   (%zu)\n", name, (double)len / dt / 1e6, sink);
    td_arena_free(&a);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 8;
    size_t cap = (mb ? mb : 1) << 20;
    char *buf = malloc(cap);
    if (!buf)
        return 1;
    static const char *const names[] = { "utf8_sanitize", "unify_punct", "fold", "tokenize",
                                         "sentences" };
    for (int typo = 0; typo < 2; typo++) {
        size_t len = gen(buf, cap, typo, 42);
        /* gen cuts pieces mid-character only in the typographic text; the gate
         * handles that, the other stages see what the gate would give them */
        printf("%s text, %zu MB:\n", typo ? "typographic" : "ASCII", len >> 20);
        for (int st = 0; st < 5; st++)
            run(names[st], st, buf, len);
    }
    free(buf);
    return 0;
}
