/* test_dedup.c - fingerprints, the near-duplicate index (copies, cuts,
 * re-rooting, eviction, restore, bounded work) and shared passages, on
 * fictional wire copy. */
#include "test_util.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "dedup/dedup.h"

#include <stdio.h>
#include <stdlib.h>

/* A fictional wire story in six paragraphs. */
static const char *const WIRE[] = {
    "An air strike on a fuel depot outside the port city of Varna Sul killed at least 14 people on Tuesday, "
    "provincial health officials in the Republic of Castravia said, in the deadliest attack on the city this year.",
    "The strike hit the depot shortly after dawn as tanker drivers queued to load, setting off fires that burned "
    "for several hours and sent a column of black smoke over the harbour.",
    "Governor Ilse Marrow told reporters that rescue teams were still searching the rubble and that the toll was "
    "likely to rise, adding that at least 30 people had been taken to the central hospital with burns.",
    "No group claimed responsibility, but the Castravian defence ministry blamed aircraft of the northern "
    "alliance, which denied any involvement and accused the government of staging the attack.",
    "Fuel shortages have gripped the province since the main coastal road was cut in March, and long queues "
    "have become a daily sight at the few depots still operating near the harbour.",
    "The United Nations envoy for Castravia, Tomas Edevane, called for an independent inquiry and urged both "
    "sides to respect the ceasefire agreed in the capital, Orlen, last autumn.",
};
enum { NPARA = sizeof WIRE / sizeof WIRE[0] };

static const char *const OTHER =
    "Farmers in the highland district of Meroe Vale began harvesting a record barley crop on Monday after an "
    "unusually wet spring, the regional agriculture office said. Prices at the Tessaly grain exchange fell for a "
    "third week as traders expected more supply. The cooperative union said storage would be tight until new "
    "silos open in the autumn, and asked members to deliver in stages to avoid queues at the weighbridges.";

/* Joins the paragraphs of order (n of them) with blank lines, plus extras. */
static char *build(const int *order, int n, const char *head, const char *tail)
{
    td_buf b = TD_BUF_INIT;
    if (head) {
        td_buf_puts(&b, head);
        td_buf_puts(&b, "\n\n");
    }
    for (int i = 0; i < n; i++) {
        if (i)
            td_buf_puts(&b, "\n\n");
        td_buf_puts(&b, WIRE[order[i]]);
    }
    if (tail) {
        td_buf_puts(&b, "\n\n");
        td_buf_puts(&b, tail);
    }
    char *s = strdup(b.p);
    td_buf_free(&b);
    return s;
}

static const int ALL[] = { 0, 1, 2, 3, 4, 5 };

static void fp_of(const char *s, td_dedup_fp *fp)
{
    td_dedup_fingerprint(td_str_cstr(s), fp);
}

static td_dedup_result add(td_dedup *ix, int64_t key, int32_t date, const char *body)
{
    td_dedup_fp fp;
    fp_of(body, &fp);
    td_dedup_result r;
    assert_int_equal(td_dedup_add(ix, key, date, &fp, &r), TD_OK);
    return r;
}

static void tokens_normalise(void **state)
{
    (void)state;
    td_dedup_fp a, b, c;
    fp_of("The Governor’s office said: “Calm.”  Markets   REOPENED today!", &a);
    fp_of("the governor's office said calm markets reopened today", &b);
    fp_of("the governor office said calm markets reopened today", &c);
    assert_int_equal(a.n_tokens, 8);
    assert_true(a.exact == b.exact);
    assert_true(a.exact != c.exact); /* "governors" is not "governor" */
    assert_memory_equal(a.sig, b.sig, sizeof a.sig);
}

static void collect(void *ud, uint64_t h)
{
    td_buf *b = ud;
    td_buf_append(b, &h, sizeof h);
}

/* The token stream is the same wherever a word falls in the 64-byte
 * windows of the fast path (apostrophes, capitals, non-ASCII letters and
 * long words across a window's end), and the same when read in blocks of
 * one token. */
static void tokens_same_at_every_offset(void **state)
{
    (void)state;
    const char *plain = "yemens governor said dont ünïcödé "
                        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop end";
    const char *messy = "Yemen’s GOVERNOR said: don't ÜnÏcÖdÉ -- "
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP end.";
    td_buf want = TD_BUF_INIT, got = TD_BUF_INIT, text = TD_BUF_INIT;
    assert_int_equal(td_dedup_tokens(td_str_cstr(plain), collect, &want), 7);
    for (int k = 0; k < 140; k++) {
        td_buf_clear(&text);
        for (int i = 0; i < k; i++)
            td_buf_putc(&text, i % 7 == 6 ? ' ' : '.');
        td_buf_puts(&text, messy);
        td_buf_clear(&got);
        assert_int_equal(td_dedup_tokens(td_buf_str(&text), collect, &got), 7);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.p, want.p, want.len);
        uint64_t one[1];
        size_t pos = 0;
        for (int t = 0; t < 7; t++) {
            assert_int_equal(td_dedup_token_block(td_buf_str(&text), &pos, one, 1), 1);
            assert_memory_equal(one, want.p + 8 * t, 8);
        }
        assert_int_equal(td_dedup_token_block(td_buf_str(&text), &pos, one, 1), 0);
    }
    td_buf_free(&want);
    td_buf_free(&got);
    td_buf_free(&text);
}

static void copies_are_found(void **state)
{
    (void)state;
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    char *orig = build(ALL, NPARA, "VARNA SUL, Castravia (Wirecast) —", NULL);
    /* another site's dateline, its boilerplate and its own headline line */
    char *boiler = build(ALL, NPARA, "Fuel depot strike kills 14 in Castravia | Daily Orlen Herald",
                         "Sign up for our morning newsletter. Follow us on social media. "
                         "Copyright 2024 Daily Orlen Herald. All rights reserved.");
    static const int reordered[] = { 0, 2, 1, 3, 5, 4 };
    char *reord = build(reordered, NPARA, NULL, NULL);
    static const int cut[] = { 0, 1, 2 };
    char *trimmed = build(cut, 3, "VARNA SUL (Castravia Press Agency) -", NULL);

    td_dedup_result r = add(ix, 1, 19800, orig);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 2, 19800, boiler);
    assert_int_equal(r.kind, TD_DUP_NEAR);
    assert_int_equal(r.duplicate_of, 1);
    assert_true(r.containment > 0.85f);
    r = add(ix, 3, 19800, reord);
    assert_int_equal(r.kind, TD_DUP_NEAR);
    assert_int_equal(r.duplicate_of, 1);
    assert_true(r.jaccard > 0.6f);
    r = add(ix, 4, 19801, trimmed);
    assert_int_equal(r.kind, TD_DUP_NEAR);
    assert_int_equal(r.duplicate_of, 1);
    assert_true(r.jaccard < 0.7f);       /* half the text is gone... */
    assert_true(r.containment > 0.8f);   /* ...but what is left is all there */
    r = add(ix, 5, 19800, OTHER);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 6, 19802, orig); /* identical text under another id */
    assert_int_equal(r.kind, TD_DUP_EXACT);
    assert_int_equal(r.duplicate_of, 1);
    assert_true(r.jaccard == 1.0f);

    td_dedup_stats st;
    td_dedup_get_stats(ix, &st);
    assert_int_equal(st.added, 6);
    assert_int_equal(st.exact, 1);
    assert_int_equal(st.near, 3);
    assert_int_equal(st.clusters, 2);
    free(orig);
    free(boiler);
    free(reord);
    free(trimmed);
    td_dedup_freep(&ix);
    assert_null(ix);
}

static void same_story_other_report_is_not_a_copy(void **state)
{
    (void)state;
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    char *orig = build(ALL, NPARA, NULL, NULL);
    /* an outlet's own report of the same strike, quoting one wire paragraph */
    char *own = NULL;
    td_buf b = TD_BUF_INIT;
    td_buf_puts(&b, "Residents of Varna Sul spent Tuesday night outside after the depot fire, many of them "
                    "afraid to return to homes near the harbour. Shopkeepers on the waterfront said windows had "
                    "shattered for several streets around the site. Local radio reported that schools would "
                    "stay closed for the rest of the week while engineers check the buildings.\n\n");
    td_buf_puts(&b, WIRE[2]);
    td_buf_puts(&b, "\n\nThe city council said it would open two shelters in the old market hall and that volunteers "
                    "were collecting blankets and water for families who had left the port district.");
    own = strdup(b.p);
    td_buf_free(&b);
    add(ix, 1, 19800, orig);
    td_dedup_result r = add(ix, 2, 19800, own);
    assert_int_equal(r.kind, TD_DUP_NONE);
    free(orig);
    free(own);
    td_dedup_free(ix);
}

static void earlier_copy_becomes_root(void **state)
{
    (void)state;
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    char *a = build(ALL, NPARA, NULL, NULL);
    char *b = build(ALL, NPARA, NULL, "Reporting by the Orlen bureau.");
    char *c = build(ALL, 5, NULL, NULL);
    td_dedup_result r = add(ix, 10, 19801, a);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 11, -1, b); /* undated: later than any dated copy */
    assert_int_equal(r.duplicate_of, 10);
    assert_false(r.rerooted);
    r = add(ix, 12, 19800, c); /* ingested last, published first */
    assert_int_not_equal(r.kind, TD_DUP_NONE);
    assert_true(r.rerooted);
    assert_int_equal(r.n_old_roots, 1);
    assert_int_equal(r.old_roots[0], 10);
    assert_int_equal(r.duplicate_of, 0);
    assert_int_equal(r.root, 12);
    r = add(ix, 13, 19802, a);
    assert_int_equal(r.duplicate_of, 12); /* the cluster's root now */
    r = add(ix, 14, 19800, a); /* same date as the root: ingest order decides */
    assert_int_equal(r.duplicate_of, 12);
    assert_false(r.rerooted);
    free(a);
    free(b);
    free(c);
    td_dedup_free(ix);
}

/* A text that contains two others which are not copies of each other (the
 * head and the tail of a story, or two reports inside a round-up) joins one
 * of them and does not merge them: a long text must not glue clusters. */
static void a_bridging_copy_merges_clusters(void **state)
{
    (void)state;
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    static const int head[] = { 0, 1, 2 }, tail[] = { 3, 4, 5 };
    char *h = build(head, 3, NULL, NULL), *t = build(tail, 3, NULL, NULL), *full = build(ALL, NPARA, NULL, NULL);
    td_dedup_result r = add(ix, 1, 19801, t);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 2, 19800, h);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 3, 19802, full);
    assert_int_equal(r.kind, TD_DUP_NEAR);
    assert_true(r.duplicate_of == 1 || r.duplicate_of == 2);
    assert_false(r.rerooted);
    td_dedup_stats st;
    td_dedup_get_stats(ix, &st);
    assert_int_equal(st.clusters, 2);
    assert_int_equal(st.merged, 0);
    /* two cuts that share their lead are copies of each other: one cluster */
    static const int lead_a[] = { 0, 1, 2, 3 }, lead_b[] = { 0, 1, 2, 4 };
    char *la = build(lead_a, 4, NULL, NULL), *lb = build(lead_b, 4, NULL, NULL);
    td_dedup *iy;
    assert_int_equal(td_dedup_new(NULL, &iy), TD_OK);
    r = add(iy, 10, 19801, la);
    r = add(iy, 11, 19800, lb);
    assert_int_equal(r.kind, TD_DUP_NEAR);
    assert_int_equal(r.root, 11); /* earlier-dated: the new root */
    assert_true(r.rerooted);
    r = add(iy, 12, 19802, full);
    assert_int_equal(r.duplicate_of, 11);
    td_dedup_get_stats(iy, &st);
    assert_int_equal(st.clusters, 1);
    td_dedup_free(iy);
    free(la);
    free(lb);
    free(h);
    free(t);
    free(full);
    td_dedup_free(ix);
}

static void bad_and_tiny_bodies(void **state)
{
    (void)state;
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    td_dedup_fp fp;
    td_dedup_fingerprint(TD_STR_LIT(""), &fp);
    assert_int_equal(fp.n_tokens, 0);
    assert_true(fp.exact == 0);
    td_dedup_result r = add(ix, 1, -1, "");
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 2, -1, "");
    assert_int_equal(r.kind, TD_DUP_NONE); /* empty bodies are not copies of each other */
    r = add(ix, 3, -1, "Breaking");
    r = add(ix, 4, -1, "Breaking");
    assert_int_equal(r.kind, TD_DUP_NONE); /* nor are one-word bodies */
    r = add(ix, 5, -1, "!!! ??? ...");
    assert_int_equal(r.kind, TD_DUP_NONE);
    /* invalid UTF-8 and a NUL-free binary mess: no crash */
    r = add(ix, 6, -1, "\xff\xfe\xc3 bad \xe2\x82 bytes \xf0\x9f\x98\x80 here");
    assert_int_equal(r.kind, TD_DUP_NONE);
    /* one long line: 200 KB without a line break, and 200 KB without a space */
    size_t n = 200000;
    char *words = malloc(n + 1), *blob = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        words[i] = (i % 7 == 6) ? ' ' : (char)('a' + (i * 31 / 7) % 26);
        blob[i] = (char)('a' + i % 26);
    }
    words[n] = blob[n] = '\0';
    r = add(ix, 7, 19000, words);
    r = add(ix, 8, 19000, blob);
    assert_int_equal(r.kind, TD_DUP_NONE);
    r = add(ix, 9, 19000, blob);
    assert_int_equal(r.kind, TD_DUP_NONE); /* a single token is too short to be a copy */
    r = add(ix, 10, 19000, words);
    assert_int_equal(r.kind, TD_DUP_EXACT);
    assert_int_equal(r.duplicate_of, 7);
    td_dedup_fp fk;
    td_dedup_fingerprint(TD_STR_LIT("x"), &fk);
    assert_int_equal(td_dedup_add(ix, 0, 1, &fk, &r), TD_EINVAL);
    free(words);
    free(blob);
    td_dedup_free(ix);
    td_dedup_free(NULL);
}

static void many_copies_stay_bounded(void **state)
{
    (void)state;
    td_dedup *ix;
    td_dedup_opts o = { .bucket_cap = 8 };
    assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
    char *base = build(ALL, NPARA, NULL, NULL);
    char tail[128];
    for (int i = 0; i < 5000; i++) {
        /* every copy with its own site furniture: near, not exact */
        snprintf(tail, sizeof tail, "Posted by desk editor %d. More from site number %d.", i, i * 7);
        td_buf b = TD_BUF_INIT;
        td_buf_puts(&b, base);
        td_buf_puts(&b, "\n\n");
        td_buf_puts(&b, tail);
        td_dedup_result r = add(ix, 100 + i, 19800 + i / 1000, b.p);
        td_buf_free(&b);
        if (i == 0) {
            assert_int_equal(r.kind, TD_DUP_NONE);
        } else {
            assert_int_equal(r.kind, TD_DUP_NEAR);
            assert_int_equal(r.duplicate_of, 100);
        }
    }
    td_dedup_stats st;
    td_dedup_get_stats(ix, &st);
    assert_int_equal(st.near, 4999);
    assert_int_equal(st.clusters, 1);
    /* the LSH holds at most bucket_cap copies per band value and generation,
     * so the work per article stays flat: 5000 copies took no more memory
     * than a few hundred entries' signatures and slots */
    assert_true(st.bytes < 8u * 1024 * 1024);
    free(base);
    td_dedup_free(ix);
}

/* A body of 60 words drawn from a small fictional vocabulary by seed: two
 * seeds share almost no run of three words. */
static void story_body(td_buf *b, uint32_t seed, const char *tail)
{
    static const char *const W[] = { "council", "harbour", "Orlen", "minister", "Varna", "depot", "convoy",
                                     "ceasefire", "river", "bridge", "envoy", "market", "tanker", "province",
                                     "governor", "rescue", "border", "talks", "strike", "grain", "court",
                                     "ferry", "union", "mayor", "police", "rally", "budget", "road", "clinic",
                                     "school", "drought", "storm", "mine", "rail", "vote", "deputy", "army",
                                     "north", "south", "coast", "valley", "Castravia", "Meroe", "Tessaly",
                                     "fuel", "port", "camp", "aid", "said", "report" };
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    td_buf_clear(b);
    for (int i = 0; i < 60; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        td_buf_puts(b, W[x % (sizeof W / sizeof W[0])]);
        td_buf_putc(b, i % 12 == 11 ? '.' : ' ');
        if (i % 12 == 11)
            td_buf_putc(b, ' ');
    }
    if (tail)
        td_buf_puts(b, tail);
}

/* Generations rotate many times (a small max_entries): evicted entries
 * leave the shared LSH table without breaking the probe runs of the others
 * (copies of recent articles are still found), nothing stale is found, and
 * the table does not grow with the number of articles seen. */
static void rotations_keep_lsh_consistent(void **state)
{
    (void)state;
    td_dedup *ix;
    td_dedup_opts o = { .max_entries = 64, .generations = 4 };
    assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
    td_buf b = TD_BUF_INIT;
    size_t bytes_early = 0;
    int64_t key = 1;
    static int64_t okey[3000]; /* key of original i */
    for (uint32_t i = 0; i < 3000; i++) {
        story_body(&b, i, NULL);
        okey[i] = key;
        td_dedup_result r = add(ix, key++, 20000, b.p);
        assert_int_equal(r.kind, TD_DUP_NONE);
        if (i >= 8 && i % 3 == 0) { /* a copy of an article 8 back: held (the window holds >= 48) */
            story_body(&b, i - 8, " Share this report with readers of site nine.");
            r = add(ix, key++, 20000, b.p);
            assert_int_equal(r.kind, TD_DUP_NEAR);
            assert_int_equal(r.duplicate_of, okey[i - 8]);
        }
        if (i >= 400 && i % 50 == 0) { /* a copy of an article 300 back: evicted */
            story_body(&b, i - 300, " Share this report with readers of site nine.");
            r = add(ix, key++, 20000, b.p);
            assert_int_equal(r.kind, TD_DUP_NONE);
        }
        if (i == 1000) {
            td_dedup_stats st;
            td_dedup_get_stats(ix, &st);
            bytes_early = st.bytes;
        }
    }
    td_dedup_stats st;
    td_dedup_get_stats(ix, &st);
    assert_true(st.evicted > 3000);
    assert_true(st.held <= 64);
    assert_true(st.bytes <= bytes_early);
    td_buf_free(&b);
    td_dedup_free(ix);
}

static void window_evicts_old_entries(void **state)
{
    (void)state;
    td_dedup *ix;
    td_dedup_opts o = { .window_days = 8, .generations = 4 };
    assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
    char *a = build(ALL, NPARA, NULL, NULL);
    add(ix, 1, 20000, a);
    /* time passes: other news for 20 days */
    for (int d = 1; d <= 20; d++) {
        char body[512];
        snprintf(body, sizeof body, "Day %d of the council session in Orlen saw deputies debate item %d of the "
                                    "budget, with amendment %d on rural roads rejected by %d votes.",
                 d, d * 3, d * 11, d + 40);
        add(ix, 100 + d, 20000 + d, body);
    }
    td_dedup_stats st;
    td_dedup_get_stats(ix, &st);
    assert_true(st.evicted > 0);
    assert_true(st.held < 21);
    td_dedup_result r = add(ix, 2, 20021, a); /* the old copy is gone */
    assert_int_equal(r.kind, TD_DUP_NONE);
    free(a);
    td_dedup_free(ix);
}

static void blob_roundtrip_and_restore(void **state)
{
    (void)state;
    char *a = build(ALL, NPARA, NULL, NULL);
    static const int cut[] = { 0, 1, 2, 3 };
    char *b = build(cut, 4, NULL, NULL);
    td_dedup_fp fa, fb, back;
    fp_of(a, &fa);
    fp_of(b, &fb);
    uint8_t blob[TD_DEDUP_BLOB_LEN];
    td_dedup_fp_save(&fa, blob);
    assert_memory_equal(blob, "TDF2", 4);
    assert_int_equal(td_dedup_fp_load(blob, sizeof blob, &back), TD_OK);
    assert_memory_equal(&back, &fa, sizeof fa);
    assert_int_equal(td_dedup_fp_load(blob, sizeof blob - 1, &back), TD_EPARSE);
    blob[0] = 'X';
    assert_int_equal(td_dedup_fp_load(blob, sizeof blob, &back), TD_EPARSE);

    /* the engine reopens: entries come back from their blobs, with the
     * stored roots, and new copies find them */
    td_dedup *ix;
    assert_int_equal(td_dedup_new(NULL, &ix), TD_OK);
    assert_int_equal(td_dedup_restore(ix, 7, 19800, 0, &fa), TD_OK);
    assert_int_equal(td_dedup_restore(ix, 8, 19801, 7, &fb), TD_OK);
    td_dedup_result r;
    assert_int_equal(td_dedup_add(ix, 9, 19802, &fb, &r), TD_OK);
    assert_int_equal(r.kind, TD_DUP_EXACT);
    assert_int_equal(r.duplicate_of, 7);
    free(a);
    free(b);
    td_dedup_free(ix);
}

static void allocation_failure_is_clean(void **state)
{
    (void)state;
    char *a = build(ALL, NPARA, NULL, NULL);
    td_dedup_fp fp;
    fp_of(a, &fp);
    for (long k = 0; k < 12; k++) {
        td_dedup *ix = NULL;
        td_alloc_fail_after(k);
        td_status st = td_dedup_new(NULL, &ix);
        if (st == TD_OK) {
            td_dedup_result r;
            for (int i = 1; i <= 3; i++)
                st = td_dedup_add(ix, i, 19800, &fp, &r);
        }
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        td_dedup_free(ix);
    }
    free(a);
}

static void passages_hash_long_sentences(void **state)
{
    (void)state;
    td_arena ar;
    td_arena_init(&ar, 4096);
    const char *x = "Governor Ilse Marrow said the toll was likely to rise in the coming days. "
                    "She declined to comment. "
                    "“We will rebuild the harbour district, whatever it costs,” she told reporters on Tuesday.";
    const char *y = "\"We will rebuild the harbour district, whatever it costs,\" she told reporters on Tuesday! "
                    "Other news followed.\nGovernor Ilse Marrow said the toll was likely to rise in the coming days.";
    td_passage *px, *py;
    uint32_t nx = td_dedup_passages(&ar, td_str_cstr(x), NULL, 0, &px);
    uint32_t ny = td_dedup_passages(&ar, td_str_cstr(y), NULL, 0, &py);
    assert_int_equal(nx, 2); /* the short sentence is left out */
    assert_int_equal(ny, 2);
    assert_true(px[0].hash == py[1].hash);
    assert_true(px[1].hash == py[0].hash); /* curly and straight quotes alike */
    assert_true(px[0].hash != px[1].hash);
    assert_int_equal(px[0].span.off, 0);
    /* caller-given spans, one repeated: each hash once */
    td_span sp[3] = { { 0, 72 }, { 0, 72 }, { 1000, 5 } };
    td_passage *pz;
    uint32_t nz = td_dedup_passages(&ar, td_str_cstr(x), sp, 3, &pz);
    assert_int_equal(nz, 1);
    assert_true(pz[0].hash == px[0].hash);
    assert_int_equal(td_dedup_passages(&ar, TD_STR_LIT(""), NULL, 0, &pz), 0);
    assert_null(pz);
    assert_false(ar.failed);
    td_arena_free(&ar);
}

/* Replaces every 8th word of text with a word of its own: about two thirds
 * of the 3-word shingles survive, near the containment threshold. */
static char *edit_every_8th(const char *text)
{
    td_buf b = TD_BUF_INIT;
    int w = 0;
    for (const char *p = text; *p;) {
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (++w % 8 == 0)
            td_buf_printf(&b, "altered%d", w);
        else
            td_buf_append(&b, p, (size_t)(q - p));
        if (*q)
            td_buf_putc(&b, ' ');
        p = *q ? q + 1 : q;
    }
    char *s = strdup(b.p);
    td_buf_free(&b);
    return s;
}

typedef struct verdict {
    bool answer;          /* whether the stub can tell */
    float j, c;           /* what it says */
    int calls;
} verdict;

static bool verify_stub(void *ud, int64_t other, float *j, float *c)
{
    verdict *v = ud;
    (void)other;
    v->calls++;
    *j = v->j;
    *c = v->c;
    return v->answer;
}

/* Exact shingle sets: a copy cut to its first half is fully contained. */
static void exact_sets_compare(void **state)
{
    (void)state;
    char *full = build(ALL, NPARA, NULL, NULL);
    char *half = build(ALL, NPARA / 2, NULL, NULL);
    uint64_t *a = NULL, *b = NULL;
    uint32_t ca = 0, cb = 0;
    uint32_t na = td_dedup_shingle_set(td_str_cstr(full), &a, &ca);
    uint32_t nb = td_dedup_shingle_set(td_str_cstr(half), &b, &cb);
    assert_true(na > nb && nb > 20);
    for (uint32_t i = 1; i < na; i++)
        assert_true(a[i - 1] < a[i]); /* sorted, distinct */
    float j, c;
    td_dedup_compare(a, na, b, nb, &j, &c);
    assert_true(c > 0.99f);
    assert_true(j > 0.3f && j < 0.7f);
    td_dedup_compare(a, na, a, na, &j, &c);
    assert_true(j == 1.0f && c == 1.0f);
    td_dedup_fp fp;
    td_dedup_fingerprint(td_str_cstr(full), &fp);
    assert_int_equal(na, fp.n_shingles); /* no repeated shingle in this text */
    td_free(a);
    td_free(b);
    free(full);
    free(half);
}

/* A candidate whose estimate falls near a threshold is decided by the
 * exact check when one is given, and by the estimate when it cannot tell. */
static void grey_zone_is_verified(void **state)
{
    (void)state;
    char *orig = build(ALL, NPARA, NULL, NULL);
    char *edited = edit_every_8th(orig);
    td_dedup_fp fo, fe;
    td_dedup_fingerprint(td_str_cstr(orig), &fo);
    td_dedup_fingerprint(td_str_cstr(edited), &fe);
    float est = td_dedup_jaccard(&fo, &fe);
    assert_true(est > 0.3f && est < 0.62f); /* grey: near the Jaccard threshold 0.5 */
    const verdict cases[] = { { true, 0.9f, 0.95f, 0 }, { true, 0.1f, 0.2f, 0 } };
    for (int k = 0; k < 2; k++) {
        verdict v = cases[k];
        td_dedup_opts o = { .verify = verify_stub, .verify_ud = &v };
        td_dedup *ix;
        assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
        td_dedup_result r;
        assert_int_equal(td_dedup_add(ix, 1, 100, &fo, &r), TD_OK);
        assert_int_equal(td_dedup_add(ix, 2, 100, &fe, &r), TD_OK);
        assert_int_equal(v.calls, 1);
        if (k == 0) {
            assert_int_equal(r.kind, TD_DUP_NEAR);
            assert_int_equal(r.duplicate_of, 1);
            assert_true(r.containment > 0.94f); /* the verified value is reported */
        } else {
            assert_int_equal(r.kind, TD_DUP_NONE);
        }
        td_dedup_stats st;
        td_dedup_get_stats(ix, &st);
        assert_int_equal(st.verified, 1);
        td_dedup_free(ix);
    }
    /* an unrelated text is never sent for verification */
    verdict v = { true, 1, 1, 0 };
    td_dedup_opts o = { .verify = verify_stub, .verify_ud = &v };
    td_dedup *ix;
    assert_int_equal(td_dedup_new(&o, &ix), TD_OK);
    td_dedup_fp fx;
    td_dedup_fingerprint(td_str_cstr(OTHER), &fx);
    td_dedup_result r;
    assert_int_equal(td_dedup_add(ix, 1, 100, &fo, &r), TD_OK);
    assert_int_equal(td_dedup_add(ix, 3, 100, &fx, &r), TD_OK);
    assert_int_equal(v.calls, 0);
    assert_int_equal(r.kind, TD_DUP_NONE);
    td_dedup_free(ix);
    free(orig);
    free(edited);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokens_normalise),
        cmocka_unit_test(tokens_same_at_every_offset),
        cmocka_unit_test(copies_are_found),
        cmocka_unit_test(same_story_other_report_is_not_a_copy),
        cmocka_unit_test(earlier_copy_becomes_root),
        cmocka_unit_test(a_bridging_copy_merges_clusters),
        cmocka_unit_test(bad_and_tiny_bodies),
        cmocka_unit_test(many_copies_stay_bounded),
        cmocka_unit_test(window_evicts_old_entries),
        cmocka_unit_test(rotations_keep_lsh_consistent),
        cmocka_unit_test(blob_roundtrip_and_restore),
        cmocka_unit_test(allocation_failure_is_clean),
        cmocka_unit_test(passages_hash_long_sentences),
        cmocka_unit_test(exact_sets_compare),
        cmocka_unit_test(grey_zone_is_verified),
    };
    return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
