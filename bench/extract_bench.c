/*
 * extract_bench.c - throughput of event extraction (sentences/s on one core):
 * the trigger lexicon, the temporal tagger, the toll finder, the quote finder
 * and argument reading, on generated wire-style articles about fictional
 * places and people; then the cross-source merge of the mentions found.
 * A timing program, never an assertion.
 *
 *   make && cc -std=c17 -O2 -D_GNU_SOURCE -Iinclude -Isrc bench/extract_bench.c
 *      build/libtidings.a $(pkg-config --cflags --libs libutf8proc libxxhash) -lm -o /tmp/extract_bench
 *   /tmp/extract_bench [CORPUS]   (the corpus argument of bench/run is ignored:
 *                                  the text is generated here; BENCH_QUICK=1 runs less)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "extract/event.h"
#include "extract/quote.h"
#include "merge/merge.h"

static const char *const SENT[] = {
    "Velorian warplanes struck Crimson Dawn positions near %s on %s, killing at least %d fighters, the army said.",
    "\"We hit every target we were given,\" Gen. Aric Voss told reporters in %s on %s.",
    "Rebels shelled the port of %s on %s, a day after jets bombed a market, and police arrested %d men.",
    "The ministry denied carrying out the air strike on the clinic in %s, which medics said killed %d people.",
    "According to the Red Lantern Society, %d families had fled %s since %s.",
    "Thousands of protesters marched through central %s on %s against the new law.",
    "A magnitude 6.1 earthquake struck %s province on %s, and the death toll rose to %d.",
    "Foreign ministers met in %s on %s and agreed on a ceasefire that takes effect next week.",
    "An F-16 dropped a 2,000-pound bomb on the depot in %s on %s, residents said, wounding %d.",
    "The council said it would take all necessary measures, but officials in %s said %d homes burned on %s.",
};
/* 400 place names from two syllable lists, so events spread as in a corpus */
static const char *const SYL1[] = { "Var", "Hal", "Cor", "Mar", "Dor", "Sah", "Tel", "Um",
                                    "Kes", "Bel", "Or", "Tan", "Zel", "Quor", "Ash", "Nim",
                                    "Pel", "Ros", "Ild", "Yar" };
static const char *const SYL2[] = { "n", "lam", "lan", "ren", "ran", "rat", "orrin", "sarai",
                                    "trel", "mir", "vek", "dun", "oss", "wick", "ara", "eth",
                                    "ul", "ion", "ovo", "ista" };
static const char *const WHEN[] = { "Monday", "Tuesday", "Thursday", "24 February 2017", "Feb. 26",
                                    "yesterday", "last week", "2 March", "Sunday", "this morning" };

static unsigned long rng = 88172645463325252UL;
static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)rng;
}

/* CPU time of this thread: the figure is per core, and stays meaningful on
 * a machine shared with other jobs (wall time there measures the load). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One article of n sentences into b; sentence spans into spans. */
static uint32_t article(td_buf *b, td_span *spans, uint32_t n)
{
    td_buf_clear(b);
    for (uint32_t i = 0; i < n; i++) {
        const char *f = SENT[next() % 10];
        char p[32];
        snprintf(p, sizeof p, "%s%s", SYL1[next() % 20], SYL2[next() % 20]);
        const char *w = WHEN[next() % 10];
        int k = (int)(next() % 90) + 2;
        size_t off = b->len;
        /* every template takes up to three of (place, when, number) in its own order */
        char tmp[512];
        if (strstr(f, "%d families"))
            snprintf(tmp, sizeof tmp, f, k, p, w);
        else if (strstr(f, "%d homes"))
            snprintf(tmp, sizeof tmp, f, p, k, w);
        else if (strstr(f, "clinic"))
            snprintf(tmp, sizeof tmp, f, p, k);
        else
            snprintf(tmp, sizeof tmp, f, p, w, k);
        td_buf_puts(b, tmp);
        spans[i] = (td_span){ (uint32_t)off, (uint32_t)(b->len - off) };
        td_buf_puts(b, i % 4 == 3 ? "\n\n" : " ");
    }
    return n;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *quick = getenv("BENCH_QUICK");
    uint32_t n_art = quick && *quick == '1' ? 1000 : 5000, per = 20;
    td_arena arena;
    td_arena_init(&arena, 1 << 20);
    td_buf b = TD_BUF_INIT;
    td_span spans[32];
    td_merge *mg = td_merge_new();
    if (!mg)
        return 1;
    uint64_t n_sent = 0, n_ev = 0, n_q = 0;
    double t_ex = 0, t0;
    char id[32];
    for (uint32_t a = 0; a < n_art; a++) {
        uint32_t ns = article(&b, spans, per);
        td_event_input in = { td_buf_str(&b), spans, ns, { 2018, 3, 14, TD_PREC_DAY }, 0, NULL, 0, 0 };
        td_event_mention *m;
        td_quote *q;
        uint32_t n, nq;
        t0 = now();
        if (td_event_extract(&arena, &in, &m, &n) != TD_OK ||
            td_quote_find(&arena, in.body, spans, ns, NULL, 0, &q, &nq) != TD_OK)
            return 1;
        t_ex += now() - t0;
        n_sent += ns;
        n_q += nq;
        snprintf(id, sizeof id, "a%u", a);
        for (uint32_t k = 0; k < n; k++) {
            if (m[k].modality != TD_MOD_ASSERTED)
                continue;
            td_merge_mention x = {
                .article = td_str_cstr(id), .outlet = TD_STR_LIT("bench.example"),
                .sentence = m[k].sentence, .type = m[k].type, .main = m[k].main,
                .score = m[k].score,
                .actor = { in.body.p + m[k].actor.off, m[k].actor.len },
                .target = { in.body.p + m[k].target.off, m[k].target.len },
                .place = { in.body.p + m[k].place.off, m[k].place.len },
                .actor_id = -1, .target_id = -1, .place_id = -1, .lat = NAN, .lon = NAN,
                .date = m[k].date, .published = in.published, .story = -1,
                .killed_min = m[k].killed_min, .killed_max = m[k].killed_max,
            };
            if (td_merge_add(mg, &x) != TD_OK)
                return 1;
            n_ev++;
        }
        td_arena_reset(&arena);
    }
    t0 = now();
    if (td_merge_run(mg, NULL) != TD_OK)
        return 1;
    double t_mg = now() - t0;
    printf("extract sentences=%-8llu %9.0f sentences/s  mentions=%llu quotes=%llu\n",
           (unsigned long long)n_sent, (double)n_sent / t_ex, (unsigned long long)n_ev,
           (unsigned long long)n_q);
    printf("merge   mentions=%-8llu %9.0f mentions/s  events=%u\n", (unsigned long long)n_ev,
           (double)n_ev / t_mg, td_merge_n_events(mg));
    td_merge_free(mg);
    td_buf_free(&b);
    td_arena_free(&arena);
    return 0;
}
