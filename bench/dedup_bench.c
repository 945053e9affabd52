/*
 * dedup_bench.c - times near-duplicate fingerprinting + lookup and story
 * assignment on synthetic articles at 10k, 100k and 1M articles, with peak
 * memory. A timing program, never a test: it prints, it asserts nothing.
 *
 *   dedup_bench [max_articles] [story_max]   (defaults 1000000, 100000)
 *
 * Synthetic corpus: articles of 250-400 words drawn from a 20,000-word
 * Zipf-like vocabulary, 20,000 articles a day; one in five is a copy of a
 * recent article with a paragraph cut and a line of site furniture added.
 * The dedup index runs with its defaults (30-day window), so the 1M run
 * evicts: memory and cost per article should stay flat. Rates are CPU time
 * of pre-generated batches (articles/s per core), generation excluded.
 */
#include "base/buf.h"
#include "dedup/dedup.h"
#include "story/story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { VOCAB = 20000, PER_DAY = 20000, RECENT = 4096 };

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char words[VOCAB][12];

static void make_vocab(void)
{
    static const char *syl[] = { "ka", "lo", "mi", "ren", "ta", "vo", "sul", "ber", "an", "dor", "es", "qui",
                                 "mar", "no", "pel", "ri", "sa", "tor", "ul", "zen" };
    for (int i = 0; i < VOCAB; i++) {
        uint64_t r = (uint64_t)i * 2654435761u + 7;
        int n = 1 + (int)(r % 3);
        words[i][0] = '\0';
        for (int k = 0; k < n; k++)
            strcat(words[i], syl[(r >> (5 * k + 3)) % 20]);
        if (n == 1)
            strcat(words[i], syl[i % 20]);
    }
}

/* Zipf-like: small ranks far more often. */
static int word_rank(void)
{
    double u = (double)(next() % 1000000) / 1000000.0;
    return (int)((double)VOCAB * u * u * u) % VOCAB;
}

static void gen_article(td_buf *b, uint64_t seed)
{
    uint64_t save = rng;
    rng = seed * 0x2545F4914F6CDD1DULL + 1;
    int n = 250 + (int)(next() % 150);
    td_buf_clear(b);
    for (int i = 0; i < n; i++) {
        td_buf_puts(b, words[word_rank()]);
        td_buf_putc(b, (i % 60 == 59) ? '\n' : (i % 15 == 14) ? '.' : ' ');
        if (i % 15 == 14)
            td_buf_putc(b, ' ');
    }
    rng = save;
}

/* CPU time of this process: the machine may be shared, rates are per core. */
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

enum { BATCH = 1000 };

typedef struct item {
    td_buf text;
    int64_t key;
    int32_t date;
    td_dedup_result r;
} item;

/* The batch's articles, reused from run to run. */
static item *batch_text(uint32_t k)
{
    static item batch[BATCH];
    return &batch[k];
}

/* Runs n articles through dedup (and stories when with_story), timing CPU
 * time over batches of pre-generated articles; prints a line each. */
static void run(uint32_t n, bool with_story)
{
    td_dedup *ix;
    td_story *st = NULL;
    if (td_dedup_new(NULL, &ix) != TD_OK || (with_story && td_story_new(NULL, &st) != TD_OK)) {
        fprintf(stderr, "out of memory\n");
        return;
    }
    item *batch = batch_text(0);
    uint64_t recent[RECENT];
    double t_dedup = 0, t_story = 0, t_fp = 0;
    uint64_t dups = 0;
    for (uint32_t i0 = 0; i0 < n; i0 += BATCH) {
        uint32_t nb = n - i0 < BATCH ? n - i0 : BATCH;
        for (uint32_t k = 0; k < nb; k++) {
            uint32_t i = i0 + k;
            td_buf *b = &batch[k].text;
            bool copy = i > 100 && next() % 5 == 0;
            uint64_t seed = copy ? recent[next() % (i < RECENT ? i : RECENT)] : (uint64_t)i + 1;
            gen_article(b, seed);
            if (copy) { /* cut the last quarter, add furniture */
                b->len = b->len * 3 / 4;
                b->p[b->len] = '\0';
                td_buf_printf(b, "\nShare this story with site %u readers.", (unsigned)(next() % 1000));
            } else {
                recent[i % RECENT] = seed;
            }
            batch[k].key = (int64_t)i + 1;
            batch[k].date = 18000 + (int32_t)(i / PER_DAY);
        }
        static td_dedup_fp fps[BATCH];
        double t0 = cpu();
        for (uint32_t k = 0; k < nb; k++)
            td_dedup_fingerprint(td_buf_str(&batch[k].text), &fps[k]);
        double t1 = cpu();
        for (uint32_t k = 0; k < nb; k++)
            if (td_dedup_add(ix, batch[k].key, batch[k].date, &fps[k], &batch[k].r) != TD_OK)
                return;
        double t2 = cpu();
        t_fp += t1 - t0;
        t_dedup += t2 - t0;
        for (uint32_t k = 0; k < nb; k++)
            dups += batch[k].r.kind != TD_DUP_NONE;
        if (!st)
            continue;
        for (uint32_t k = 0; k < nb; k++) {
            td_buf *b = &batch[k].text;
            td_story_doc d = { .key = batch[k].key, .date = batch[k].date,
                               .title = td_str_make(b->p, b->len < 60 ? b->len : 60), .body = td_buf_str(b),
                               .duplicate_of = batch[k].r.kind ? batch[k].r.matched : 0 };
            td_story_assign a;
            if (td_story_add(st, &d, &a) != TD_OK)
                return;
        }
        t_story += cpu() - t2;
    }
    td_dedup_stats ds;
    td_dedup_get_stats(ix, &ds);
    printf("dedup   n=%-8u %9.0f articles/s (fingerprint alone %.0f/s)  dups=%-7llu held=%-8u index=%6.1f MB  "
           "peak_rss=%6.1f MB\n",
           n, n / t_dedup, n / t_fp, (unsigned long long)dups, ds.held, ds.bytes / 1e6, peak_kb() / 1024.0);
    if (st) {
        td_story_changes ch;
        double t0 = cpu();
        td_story_finish(st, &ch);
        double tf = cpu() - t0;
        td_story_stats ss;
        td_story_get_stats(st, &ss);
        printf("stories n=%-8u %9.0f articles/s  live=%-8u finish=%.2fs index=%6.1f MB  peak_rss=%6.1f MB\n", n,
               n / t_story, ss.live, tf, ss.bytes / 1e6, peak_kb() / 1024.0);
    }
    td_story_free(st);
    td_dedup_free(ix);
}

int main(int argc, char **argv)
{
    uint32_t max = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
    uint32_t story_max = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 100000;
    make_vocab();
    for (uint32_t n = 10000; n <= max; n *= 10)
        run(n, n <= story_max);
    for (uint32_t k = 0; k < BATCH; k++)
        td_buf_free(&batch_text(k)->text);
    return 0;
}
