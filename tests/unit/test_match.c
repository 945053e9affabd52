/* test_match.c - the matching tokenizer, folding, skeletons and the token
 * Aho-Corasick automaton (src/extract/match.c). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "extract/match.h"

static void assert_fold(const char *in, const char *want)
{
    td_buf b = TD_BUF_INIT;
    td_match_fold(td_str_cstr(in), &b);
    if (strcmp(b.p ? b.p : "", want) != 0)
        fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", in, b.p ? b.p : "", want);
    td_buf_free(&b);
}

static void folds_case_marks_and_punctuation(void **state)
{
    (void)state;
    assert_fold("Ṣan‘ā’", "sana");
    assert_fold("U.S. forces", "us forces");
    assert_fold("al-Tessaly", "al tessaly");
    assert_fold("O'Marra's", "omarra");
    assert_fold("GOVERNMENT GIRLS' COLLEGE", "government girls college");
    assert_fold("Zürich Łódź Ærø Þórshöfn", "zurich lodz aero thorshofn");
    /* non-Latin letters stay, case folded */
    assert_fold("ВЕЛМУР Велмур", "велмур велмур");
    assert_fold("مدينة", "مدينة");
    assert_fold("", "");
    assert_fold(" -- ", "");
}

static void tokens_keep_case_and_shape(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 4096);
    const char *txt = "Lt. Gen. Orin Tassel met U.S. envoys in Deir al-Kassab's old quarter.\n"
                      "IS fighters left\n\nthe Girls' school";
    td_mtok *t;
    uint32_t n = td_match_tokenize(&a, td_str_cstr(txt), NULL, 0, &t);
    assert_true(n > 10);
    /* Lt . Gen . Orin ... */
    assert_int_equal(t[0].len, 2);
    assert_true(t[0].flags & TD_MT_CAP);
    assert_true(t[0].flags & TD_MT_SENT);
    assert_true(t[1].flags & TD_MT_SKIP);   /* the dot of "Lt." */
    assert_true(t[3].flags & TD_MT_SKIP);   /* the dot of "Gen." */
    uint32_t us = 0, al = 0, is = 0, girls = 0;
    for (uint32_t i = 0; i < n; i++) {
        td_str s = td_str_make(txt + t[i].off, t[i].len);
        if (td_str_eq(s, TD_STR_LIT("U.S.")))
            us = i;
        if (td_str_eq(s, TD_STR_LIT("al")))
            al = i;
        if (td_str_eq(s, TD_STR_LIT("IS")))
            is = i;
        if (td_str_eq(s, TD_STR_LIT("Girls")))
            girls = i;
    }
    assert_true(t[us].flags & TD_MT_DOTTED);
    assert_true(t[us].flags & TD_MT_ALLCAPS);
    assert_int_equal(t[us].key, td_match_key("us", 2));
    assert_true(t[al].flags & TD_MT_LOWER);
    assert_true(t[al + 1].flags & TD_MT_HYPHEN);  /* Kassab joined by a hyphen */
    assert_true(t[al + 1].flags & TD_MT_POSS);    /* 's is not in the span */
    assert_int_equal(t[al + 1].len, 6);
    assert_true(t[is].flags & TD_MT_ALLCAPS);
    assert_true(t[is].flags & TD_MT_NL);
    assert_true(t[girls].flags & TD_MT_POSS);
    assert_true(t[girls - 1].flags & TD_MT_PARA);
    td_arena_free(&a);
}

static void skeletons_join_transliterations(void **state)
{
    (void)state;
    char a[64], b[64], c[64];
    td_match_skeleton(TD_STR_LIT("husaybah"), a, sizeof a);
    td_match_skeleton(TD_STR_LIT("hosaiba"), b, sizeof b);
    td_match_skeleton(TD_STR_LIT("husseibeh"), c, sizeof c);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    td_match_skeleton(TD_STR_LIT("al abbadi"), a, sizeof a);
    td_match_skeleton(TD_STR_LIT("abadi"), b, sizeof b);
    assert_string_equal(a, b);
    td_match_skeleton(TD_STR_LIT("qasr tamun"), a, sizeof a);
    td_match_skeleton(TD_STR_LIT("kasr tamoun"), b, sizeof b);
    assert_string_equal(a, b);
    td_match_skeleton(TD_STR_LIT("velmoor"), a, sizeof a);
    td_match_skeleton(TD_STR_LIT("port lunen"), b, sizeof b);
    assert_string_not_equal(a, b);
    assert_true(td_match_is_article(TD_STR_LIT("al")));
    assert_false(td_match_is_article(TD_STR_LIT("all")));
}

/* Builds an automaton from phrases; the caller frees blob. */
static void build(const char *const *phrases, td_buf *blob, td_matcher *m)
{
    td_match_builder *b = td_match_builder_new();
    assert_non_null(b);
    for (int i = 0; phrases[i]; i++) {
        uint64_t keys[TD_MATCH_MAX_DEPTH];
        uint32_t n = td_match_phrase_keys(td_str_cstr(phrases[i]), keys, TD_MATCH_MAX_DEPTH);
        uint32_t id;
        assert_int_equal(td_match_builder_add(b, keys, n, &id), TD_OK);
        assert_int_equal(id, (uint32_t)i);
    }
    assert_int_equal(td_match_builder_finish(b, blob), TD_OK);
    td_match_builder_free(b);
    assert_int_equal(td_match_open(m, blob->p, blob->len), TD_OK);
}

static void automaton_finds_overlapping_phrases(void **state)
{
    (void)state;
    static const char *const ph[] = { "Deir al-Kassab", "al Kassab", "Kassab", "Lt Gen",
                                      "Crimson Valley Front", "Valley", NULL };
    td_buf blob = TD_BUF_INIT;
    td_matcher m;
    build(ph, &blob, &m);
    assert_int_equal(m.n_patterns, 6);
    uint64_t k[3];
    assert_int_equal(td_match_phrase_keys(TD_STR_LIT("deir al kassab"), k, 3), 3);
    assert_int_equal(td_match_lookup(&m, k, 3), 0);
    assert_int_equal(td_match_lookup(&m, k, 2), -1);

    td_arena a;
    td_arena_init(&a, 4096);
    const char *txt = "Lt. Gen. Ivo Marl said the CRIMSON VALLEY FRONT left Deir al-Kassab.";
    td_mtok *t;
    uint32_t n = td_match_tokenize(&a, td_str_cstr(txt), NULL, 0, &t);
    td_match *mm;
    uint32_t nm = td_match_run(&m, t, n, &a, &mm);
    int seen[6] = { 0 };
    for (uint32_t i = 0; i < nm; i++) {
        seen[mm[i].pattern]++;
        const char *s = txt + t[mm[i].start].off;
        if (mm[i].pattern == 0)
            assert_memory_equal(s, "Deir", 4);
        if (mm[i].pattern == 3)
            assert_int_equal(mm[i].start, 0); /* the dot of Lt. is transparent */
    }
    for (int i = 0; i < 6; i++)
        assert_int_equal(seen[i], 1);
    td_arena_free(&a);
    td_buf_free(&blob);
}

static void bad_blobs_are_refused(void **state)
{
    (void)state;
    static const char *const ph[] = { "Velmoor", NULL };
    td_buf blob = TD_BUF_INIT;
    td_matcher m;
    build(ph, &blob, &m);
    assert_int_equal(td_match_blob_size(&m), blob.len);
    assert_int_equal(td_match_open(&m, blob.p, 16), TD_EPARSE);
    assert_int_equal(td_match_open(&m, blob.p, blob.len - 1), TD_EPARSE);
    blob.p[0] ^= 1;
    assert_int_equal(td_match_open(&m, blob.p, blob.len), TD_EPARSE);
    td_buf_free(&blob);
}

static void builder_survives_allocation_failures(void **state)
{
    (void)state;
    for (long fail = 0; fail < 40; fail++) {
        td_alloc_fail_after(fail);
        td_match_builder *b = td_match_builder_new();
        td_status st = b ? TD_OK : TD_ENOMEM;
        for (int i = 0; b && st == TD_OK && i < 300; i++) {
            char w[32];
            snprintf(w, sizeof w, "Varn %d Hollow", i);
            uint64_t keys[4];
            uint32_t id, n = td_match_phrase_keys(td_str_cstr(w), keys, 4);
            st = td_match_builder_add(b, keys, n, &id);
        }
        td_buf blob = TD_BUF_INIT;
        if (b && st == TD_OK)
            st = td_match_builder_finish(b, &blob);
        td_alloc_fail_after(-1);
        td_match_builder_free(b);
        td_buf_free(&blob);
        assert_true(st == TD_OK || st == TD_ENOMEM);
    }
}

static void ten_megabyte_text_is_linear(void **state)
{
    (void)state;
    static const char *const ph[] = { "Port Lunen", "Crimson Valley Front", NULL };
    td_buf blob = TD_BUF_INIT;
    td_matcher m;
    build(ph, &blob, &m);
    const char *para = "Fighters of the Crimson Valley Front shelled the harbour of Port Lunen "
                       "on Tuesday, officials said, and 12 people were wounded.\n";
    size_t pl = strlen(para), reps = (10u << 20) / pl + 1;
    char *txt = malloc(pl * reps + 1);
    assert_non_null(txt);
    for (size_t i = 0; i < reps; i++)
        memcpy(txt + i * pl, para, pl);
    txt[pl * reps] = '\0';
    td_arena a;
    td_arena_init(&a, 1 << 20);
    td_mtok *t;
    uint32_t n = td_match_tokenize(&a, td_str_make(txt, pl * reps), NULL, 0, &t);
    assert_false(a.failed);
    td_match *mm;
    uint32_t nm = td_match_run(&m, t, n, &a, &mm);
    assert_int_equal(nm, 2 * reps);
    td_arena_free(&a);
    free(txt);
    td_buf_free(&blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_case_marks_and_punctuation),
        cmocka_unit_test(tokens_keep_case_and_shape),
        cmocka_unit_test(skeletons_join_transliterations),
        cmocka_unit_test(automaton_finds_overlapping_phrases),
        cmocka_unit_test(bad_blobs_are_refused),
        cmocka_unit_test(builder_survives_allocation_failures),
        cmocka_unit_test(ten_megabyte_text_is_linear),
    };
    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
