/*
 * test_prepare.c - prepared batches (pipeline.c, td_pipeline_prepare), what
 * lets `tidings worker` clean and extract its batch while other workers
 * merge: however stale the outlet-template counts were when a batch was
 * prepared, ingesting it gives exactly what ingesting it unprepared gives.
 * The articles are fictional market reports of one outlet sharing a footer
 * line that becomes a template as the corpus grows.
 */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "tidings.h"
#include "engine.h"
#include "pipeline.h"

#define N 12

static char dir[64];
static char texts[N][1400], ids[N][16], urls[N][128];
static td_input inputs[N];

static int setup(void **state)
{
    (void)state;
    static const char *const towns[N] = { "Tallis", "Delva", "Orsk Hollow", "Veyra", "Port Linden", "Brask",
                                          "Amsel", "Corran", "Wexley", "Hadria", "Mirefield", "Saltcombe" };
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i],
                 "Harbor Ledger Weekend Edition\n\n"
                 "Market day returns to %s after repairs\n\n"
                 "%s, Marren - Traders in %s reopened the covered market on Saturday after %d weeks of "
                 "repairs to its roof, the town council said.\n\n"
                 "Council officer Lina Perl said %d stalls had been rented and that the market would stay "
                 "open until nine in the evening through the summer. Police said two men were arrested "
                 "after a scuffle near the fish stalls on Friday.\n\n"
                 "Harbor Ledger Weekend Edition\n\n"
                 "Tip line: talk to the Harbor Ledger desk about your town\n",
                 towns[i], towns[i], towns[i], i + 3, 40 + i);
        snprintf(ids[i], sizeof ids[i], "m%d", i);
        snprintf(urls[i], sizeof urls[i], "https://www.harbor-ledger.example/2025/05/%02d/market-%d.html",
                 i % 28 + 1, i);
        inputs[i] = (td_input){ .id = ids[i], .url = urls[i], .text = texts[i], .text_len = strlen(texts[i]) };
    }
    return td_test_mkdir(dir, sizeof dir, "td-prep");
}

static int teardown(void **state)
{
    (void)state;
    return td_test_rmdir(dir);
}

static td_engine *open_db(const char *name, uint32_t batch, uint32_t threads)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    td_options o = { 0 };
    o.db_path = path;
    o.batch_size = batch;
    o.threads = threads;
    td_engine *e = NULL;
    assert_int_equal(td_engine_open(&o, &e), TD_OK);
    return e;
}

/* The engine's jsonl export, as a heap string. */
static char *export_of(td_engine *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(td_export(e, f, TD_EXPORT_JSONL), TD_OK);
    fclose(f);
    return buf;
}

static void ingest(td_engine *e, int from, int to, td_ingest_stats *st)
{
    for (int i = from; i < to; i++)
        assert_int_equal(td_ingest_input(e, &inputs[i], st), TD_OK);
    assert_int_equal(td_ingest_commit(e, st), TD_OK);
}

static void stale_prepared_batch_gives_the_same_result(void **state)
{
    (void)state;
    for (uint32_t threads = 1; threads <= 2; threads++) {
        char name[16];
        snprintf(name, sizeof name, "ref%u", threads);
        /* the reference: batches of 4, nothing prepared */
        td_engine *ref = open_db(name, 4, threads);
        td_ingest_stats rs = { 0 };
        for (int b = 0; b < N; b += 4)
            ingest(ref, b, b + 4, &rs);
        assert_int_equal(td_ingest_finish(ref, &rs), TD_OK);
        char *want = export_of(ref);
        td_engine_close(ref);

        /* the same batches; the third prepared before the second is merged,
         * so its footer counts are stale when its turn comes */
        snprintf(name, sizeof name, "prep%u", threads);
        td_engine *e = open_db(name, 5, threads);
        td_ingest_stats st = { 0 };
        assert_int_equal(td_pipeline_prepare(e, &inputs[0], 4), TD_OK);
        ingest(e, 0, 4, &st);
        uint64_t reused, rechecked, rerun;
        td_pipeline_prepared_stats(e, &reused, &rechecked, &rerun);
        assert_int_equal(reused, 4); /* nothing merged in between: used as they were */
        assert_int_equal(rechecked, 0);
        assert_int_equal(td_pipeline_prepare(e, &inputs[8], 4), TD_OK);
        ingest(e, 4, 8, &st); /* not the prepared ones: run as usual */
        ingest(e, 8, 12, &st);
        td_pipeline_prepared_stats(e, &reused, &rechecked, &rerun);
        assert_int_equal(reused + rerun, 4);
        assert_true(rechecked > 0); /* the counts had moved: checked by a fresh clean */
        td_pipeline_unprepare(e);
        assert_int_equal(td_ingest_finish(e, &st), TD_OK);
        char *got = export_of(e);
        assert_string_equal(got, want);
        assert_int_equal(st.stored, N);
        free(got);
        free(want);
        td_engine_close(e);
    }
}

/* A prepared input that is skipped (empty) is reported at its turn, once,
 * and a prepared input never ingested is freed with the engine. */
static void skipped_and_unused_inputs(void **state)
{
    (void)state;
    td_engine *e = open_db("skip", 10, 1);
    td_input two[2] = { inputs[0], { .id = "blank", .text = "  \n ", .text_len = 4 } };
    assert_int_equal(td_pipeline_prepare(e, two, 2), TD_OK);
    td_ingest_stats st = { 0 };
    assert_int_equal(td_ingest_input(e, &two[1], &st), TD_EPARSE);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(td_ingest_commit(e, &st), TD_OK);
    td_engine_close(e); /* inputs[0] prepared, never used: no leak (LSan) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stale_prepared_batch_gives_the_same_result),
        cmocka_unit_test(skipped_and_unused_inputs),
    };
    return cmocka_run_group_tests_name("prepare", tests, setup, teardown);
}
