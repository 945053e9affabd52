/*
 * dedup_bench.c - times near-duplicate fingerprinting + lookup and story
 * assignment on synthetic articles at 10k, 100k and 1M articles, with peak
 * memory. A timing program, never a test: it prints, it asserts nothing.
 *
 *   dedup_bench [CORPUS] [max_articles] [story_max]   (defaults 1000000, 1000000)
 *
 * CORPUS (bench/run passes its JSON-lines corpus first) is not read: sizes
 * up to 1M need no 4 GB file. BENCH_QUICK=1 runs 10k only.
 *
 * Synthetic corpus: articles of 250-400 words, 20,000 a day. Each original
 * belongs to a story (a topic of 30 rare words and 3 names): with
 * probability 0.7 one of the 2,000 most recent topics, else a new one; a
 * third of its words come from the topic, the rest from a 20,000-word
 * Zipf-like vocabulary. One article in five is a copy of a recent original
 * with its last quarter cut and a line of site furniture added. The dedup
 * index and the story index run with the engine's settings (30-day window,
 * 120-day horizon), so the 1M run (50 days) evicts: memory and cost per
 * article should stay flat. Rates are CPU time of pre-generated batches
 * (articles/s per core), generation excluded. Deterministic.
 */
#include "base/buf.h"
#include "dedup/dedup.h"
#include "story/story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { VOCAB = 20000, PER_DAY = 20000, RECENT = 4096, TOPICS = 2000, TOPIC_WORDS = 30 };

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

/* An article: seed picks its words, topic its story (title words, names).
 * The first 12 words are its title (*title_len bytes). */
static void gen_article(td_buf *b, uint64_t seed, uint64_t topic, size_t *title_len)
{
    uint64_t save = rng;
    rng = seed * 0x2545F4914F6CDD1DULL + 1;
    int n = 250 + (int)(next() % 150);
    td_buf_clear(b);
    for (int i = 0; i < n; i++) {
        uint64_t r = next();
        if (r % 3 == 0) { /* a topic word: rare vocabulary, names capitalised */
            uint64_t t = (topic * 0x9E3779B97F4A7C15ULL) ^ (r / 3 % TOPIC_WORDS) * 0xC2B2AE3D27D4EB4FULL;
            const char *w = words[VOCAB / 2 + (int)(t % (VOCAB / 2))];
            if (r / 3 % TOPIC_WORDS < 3 && i % 15 != 0) {
                td_buf_putc(b, (char)(w[0] - 32));
                td_buf_puts(b, w + 1);
            } else {
                td_buf_puts(b, w);
            }
        } else {
            td_buf_puts(b, words[word_rank()]);
        }
        if (i == 11)
            *title_len = b->len;
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
    size_t title_len;
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
    /* the engine's settings (story/stage.c) */
    td_dedup_opts dopts = { .window_days = 30, .generations = 4, .max_entries = 4000000 };
    td_story_opts sopts = { .horizon_days = 120 };
    if (td_dedup_new(&dopts, &ix) != TD_OK || (with_story && td_story_new(&sopts, &st) != TD_OK)) {
        fprintf(stderr, "out of memory\n");
        return;
    }
    item *batch = batch_text(0);
    /* the same corpus for every size: one stream, cut at n */
    rng = 0x9E3779B97F4A7C15ULL;
    static uint64_t recent[RECENT], recent_topic[RECENT], topics[TOPICS];
    uint32_t n_orig = 0, n_topics = 0;
    double t_dedup = 0, t_story = 0, t_fp = 0;
    uint64_t dups = 0;
    for (uint32_t i0 = 0; i0 < n; i0 += BATCH) {
        uint32_t nb = n - i0 < BATCH ? n - i0 : BATCH;
        for (uint32_t k = 0; k < nb; k++) {
            uint32_t i = i0 + k;
            td_buf *b = &batch[k].text;
            bool copy = n_orig > 100 && next() % 5 == 0;
            uint64_t seed, topic;
            if (copy) {
                uint32_t k = (uint32_t)(next() % (n_orig < RECENT ? n_orig : RECENT));
                seed = recent[k];
                topic = recent_topic[k];
            } else {
                seed = (uint64_t)i + 1;
                if (n_topics && next() % 10 < 7) {
                    topic = topics[next() % (n_topics < TOPICS ? n_topics : TOPICS)];
                } else {
                    topic = (uint64_t)i * 7919 + 13;
                    topics[n_topics++ % TOPICS] = topic;
                }
                recent[n_orig % RECENT] = seed;
                recent_topic[n_orig % RECENT] = topic;
                n_orig++;
            }
            gen_article(b, seed, topic, &batch[k].title_len);
            if (copy) { /* cut the last quarter, add furniture */
                b->len = b->len * 3 / 4;
                b->p[b->len] = '\0';
                td_buf_printf(b, "\nShare this story with site %u readers.", (unsigned)(next() % 1000));
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
                               .title = td_str_make(b->p, batch[k].title_len), .body = td_buf_str(b),
                               .duplicate_of = batch[k].r.kind ? batch[k].r.root : 0 };
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
    int a = 1;
    if (a < argc && (argv[a][0] < '0' || argv[a][0] > '9'))
        a++; /* bench/run's corpus: not needed */
    uint32_t max = a < argc ? (uint32_t)strtoul(argv[a], NULL, 10) : 1000000;
    uint32_t story_max = a + 1 < argc ? (uint32_t)strtoul(argv[a + 1], NULL, 10) : 1000000;
    const char *quick = getenv("BENCH_QUICK");
    if (quick && *quick && *quick != '0')
        max = story_max = 10000;
    make_vocab();
    for (uint32_t n = 10000; n <= max; n *= 10)
        run(n, n <= story_max);
    for (uint32_t k = 0; k < BATCH; k++)
        td_buf_free(&batch_text(k)->text);
    return 0;
}
