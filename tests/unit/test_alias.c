/* test_alias.c - one entity per real-world actor (src/extract/alias*.c):
 * each transliteration variant class on fictional names, within-article
 * resolution (surnames, brackets, "known as", "the Front", "the group") and
 * the corpus registry (variants across articles, acronyms, counts and
 * articles kept, people who share a name part kept apart). */
#include "test_util.h"

#include <math.h>

#include "base/alloc.h"
#include "../fixtures/entities/fixture.h"

static int setup(void **state)
{
    *state = fx_models();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    fx_models_free(*state);
    return 0;
}

static bool weq(const char *a, const char *b)
{
    return td_alias_word_eq(td_str_cstr(a), td_str_cstr(b));
}

static bool peq(const char *a, const char *b)
{
    td_buf fa = TD_BUF_INIT, fb = TD_BUF_INIT;
    td_match_fold(td_str_cstr(a), &fa);
    td_match_fold(td_str_cstr(b), &fb);
    bool r = td_alias_person_eq(td_buf_str(&fa), td_buf_str(&fb));
    td_buf_free(&fa);
    td_buf_free(&fb);
    return r;
}

static bool neq(const char *a, const char *b)
{
    td_buf fa = TD_BUF_INIT, fb = TD_BUF_INIT;
    td_match_fold(td_str_cstr(a), &fa);
    td_match_fold(td_str_cstr(b), &fb);
    bool r = td_alias_name_eq(td_buf_str(&fa), td_buf_str(&fb));
    td_buf_free(&fa);
    td_buf_free(&fb);
    return r;
}

static void variant_classes(void **state)
{
    (void)state;
    /* doubled letters */
    assert_true(weq("tessaly", "tesaly"));
    assert_true(peq("Haroun al-Tessaly", "Haroun al-Tesaly"));
    /* vowel changes */
    assert_true(peq("Yehia Rassam", "Yahya Rasam"));
    assert_true(peq("Mahmoud Kassir", "Mahmud Kasir"));
    /* al- / Al / el- / ad- prefixes and hyphens */
    assert_true(peq("Haroun al-Tessaly", "Haroun Al Tessaly"));
    assert_true(peq("Haroun el-Tessaly", "Haroun Tessaly"));
    assert_true(neq("Deir ad-Dahal", "Deir Dahal"));
    assert_true(neq("Abdul-Nour Camp", "Abdul Nour Camp"));
    /* written together or apart */
    assert_true(neq("Almanara TV", "Al Manara TV"));
    assert_true(neq("Velmoorpost", "Velmoor Post"));
    /* diacritics */
    assert_true(peq("Jöran Veddik", "Joran Veddik"));
    /* q / k */
    assert_true(peq("Tariq Moussan", "Tarek Mussan"));
    assert_true(neq("Qasr Amun", "Kasr Amoun"));
    /* a middle name */
    assert_true(peq("Lior Ben Amsel", "Lior Amsel"));
    /* but different people stay apart */
    assert_false(peq("Omar Tassin", "Omar Kello"));     /* same given name */
    assert_false(peq("Lina Tassin", "Omar Tassin"));    /* same surname */
    assert_false(peq("Ali Hassan", "Ali Hussein"));     /* different names, same skeleton */
    assert_false(weq("velmoor", "valmiera"));
    /* acronyms */
    assert_true(td_alias_is_acronym_of(TD_STR_LIT("CVF"), TD_STR_LIT("crimson valley front")));
    assert_true(td_alias_is_acronym_of(TD_STR_LIT("N.W.P."), TD_STR_LIT("norvanian workers party")));
    assert_true(td_alias_is_acronym_of(TD_STR_LIT("MWA"), TD_STR_LIT("ministry of water affairs")));
    assert_false(td_alias_is_acronym_of(TD_STR_LIT("CV"), TD_STR_LIT("crimson valley front")));
}

static void run(void **state, td_arena *a, const char *text, td_entities *e)
{
    td_arena_init(a, 1 << 16);
    assert_int_equal(td_entities_extract(*state, td_str_cstr(text), NULL, 0, TD_STR_LIT(""), a, e),
                     TD_OK);
}

static void within_an_article(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Fighters of the Crimson Valley Front (CVF) attacked a post near Tell Ammar, "
        "Interior Minister Haroun al-Tessaly said. The army named their commander as "
        "Yassin Darrow, known as Abu Qamar. Tessaly said the Front had lost men. "
        "Darrow denied it. The group later withdrew, the CVF said.",
        &e);
    const td_art_entity *f = fx_entity(&e, "Crimson Valley Front");
    assert_non_null(f);
    assert_true(fx_has_alias(f, "CVF"));
    assert_true(fx_has_alias(f, "the Front"));
    assert_true(f->n_mentions >= 4); /* + "The group", not kept as an alias */
    assert_false(fx_has_alias(f, "The group"));
    const td_art_entity *t = fx_entity(&e, "Haroun al-Tessaly");
    assert_non_null(t);
    assert_true(fx_has_alias(t, "Tessaly"));
    const td_art_entity *d = fx_entity(&e, "Yassin Darrow");
    assert_non_null(d);
    assert_int_equal(d->type, TD_ENT_PERSON);
    assert_true(fx_has_alias(d, "Abu Qamar"));
    assert_true(fx_has_alias(d, "Darrow"));
    td_arena_free(&a);
}

static void shared_surnames_are_not_guessed(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Governor Lina Tassin and General Omar Tassin met in Velmoor. Tassin said the "
        "talks went well.",
        &e);
    const td_art_entity *l = fx_entity(&e, "Lina Tassin"), *o = fx_entity(&e, "Omar Tassin");
    assert_non_null(l);
    assert_non_null(o);
    assert_true(l != o);
    assert_false(fx_has_alias(l, "Tassin"));
    assert_false(fx_has_alias(o, "Tassin"));
    td_arena_free(&a);
}

static void lexicon_aliases_in_brackets(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "The Islamic State (IS, formerly ISIS/ISIL) claimed the attack on Port Lunen. "
        "Later, Daesh fled.",
        &e);
    const td_art_entity *is = fx_entity(&e, "Islamic State");
    assert_non_null(is);
    assert_true(fx_has_alias(is, "IS"));
    assert_true(fx_has_alias(is, "ISIS"));
    assert_true(fx_has_alias(is, "ISIL"));
    assert_true(fx_has_alias(is, "Daesh"));
    td_arena_free(&a);
}

/* Adds text as article id to the registry. */
static void add(void **state, td_entity_registry *r, const char *id, const char *text)
{
    td_arena a;
    td_entities e;
    run(state, &a, text, &e);
    assert_int_equal(td_entity_registry_add(r, td_str_cstr(id), &e, NULL), TD_OK);
    td_arena_free(&a);
}

static uint32_t alias_count(const td_entity_registry *r, int64_t id, const char *z)
{
    td_entity_info in;
    td_entity_registry_get(r, (uint32_t)id, &in);
    if (strcmp(in.name, z) == 0)
        return UINT32_MAX;
    for (uint32_t k = 0; k < in.n_aliases; k++) {
        uint32_t c;
        td_str s = td_entity_registry_alias(r, (uint32_t)id, k, &c);
        if (td_str_eq(s, td_str_cstr(z)))
            return c;
    }
    return 0;
}

static void across_the_corpus(void **state)
{
    td_entity_registry *r = td_entity_registry_new(*state);
    assert_non_null(r);
    add(state, r, "a1", "Interior Minister Haroun al-Tessaly said Velmoor was calm.");
    add(state, r, "a2", "Interior Minister Haroun Al Tessali said the Norvanian Workers Party "
                        "had called a strike.");
    add(state, r, "a3", "Haroun el-Tesaly spoke to the NWP. Tessaly was in Velmoor.");
    add(state, r, "a4", "General Omar Tassin and Governor Lina Tassin met. Tassin left early.");
    add(state, r, "a5", "Residents of Ostrelia fled to Springhill, the Almanara TV station said.");
    add(state, r, "a6", "Officials at Al Manara TV said Springhill in Ostrelia was quiet.");
    int64_t h = td_entity_registry_find(r, TD_STR_LIT("Haroun al-Tessaly"), TD_ENT_PERSON);
    assert_true(h >= 0);
    assert_int_equal(td_entity_registry_find(r, TD_STR_LIT("Haroun Al Tessali"), 0), h);
    assert_int_equal(td_entity_registry_find(r, TD_STR_LIT("Haroun el-Tesaly"), 0), h);
    td_entity_info in;
    assert_true(td_entity_registry_get(r, (uint32_t)h, &in));
    assert_int_equal(in.type, TD_ENT_PERSON);
    assert_int_equal(in.n_articles, 3);
    assert_int_equal(alias_count(r, h, "Haroun Al Tessali"), 1);
    assert_int_equal(alias_count(r, h, "Tessaly"), 1);
    assert_true(td_str_eq(td_entity_registry_article(r, (uint32_t)h, 2), TD_STR_LIT("a3")));
    /* acronym to expansion across articles */
    int64_t p = td_entity_registry_find(r, TD_STR_LIT("Norvanian Workers Party"), TD_ENT_ORG);
    assert_true(p >= 0);
    assert_int_equal(td_entity_registry_find(r, TD_STR_LIT("NWP"), 0), p);
    /* two Tassins */
    int64_t o = td_entity_registry_find(r, TD_STR_LIT("Omar Tassin"), 0);
    int64_t l = td_entity_registry_find(r, TD_STR_LIT("Lina Tassin"), 0);
    assert_true(o >= 0 && l >= 0 && o != l);
    /* spelled together or apart */
    int64_t m1 = td_entity_registry_find(r, TD_STR_LIT("Almanara TV"), 0);
    int64_t m2 = td_entity_registry_find(r, TD_STR_LIT("Al Manara TV"), 0);
    assert_true(m1 >= 0 && m1 == m2);
    /* a place keeps its gazetteer record */
    int64_t s = td_entity_registry_find(r, TD_STR_LIT("Springhill"), TD_ENT_PLACE);
    assert_true(s >= 0);
    td_entity_registry_get(r, (uint32_t)s, &in);
    assert_false(isnan(in.lat));
    td_entity_registry_free(r);
}

static void surname_first_then_full_name(void **state)
{
    td_entity_registry *r = td_entity_registry_new(*state);
    add(state, r, "b1", "\"We will not leave,\" Varga said in Velmoor on Monday.");
    add(state, r, "b2", "Governor Lena Varga said on Tuesday the port was open.");
    int64_t full = td_entity_registry_find(r, TD_STR_LIT("Lena Varga"), TD_ENT_PERSON);
    assert_true(full >= 0);
    assert_int_equal(td_entity_registry_root(r, (uint32_t)td_entity_registry_find(
                         r, TD_STR_LIT("Varga"), 0)),
                     full);
    td_entity_info in;
    td_entity_registry_get(r, (uint32_t)full, &in);
    assert_int_equal(in.n_articles, 2);
    td_entity_registry_free(r);
}

static void registry_survives_allocation_failures(void **state)
{
    for (long fail = 0; fail < 80; fail += 2) {
        td_entity_registry *r = td_entity_registry_new(*state);
        td_arena a;
        td_entities e;
        if (!r)
            continue;
        run(state, &a, "Minister Haroun al-Tessaly met the Crimson Valley Front (CVF) in "
                       "Velmoor.", &e);
        td_alloc_fail_after(fail);
        td_status st = td_entity_registry_add(r, TD_STR_LIT("c1"), &e, NULL);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        td_arena_free(&a);
        td_entity_registry_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(variant_classes),
        cmocka_unit_test(within_an_article),
        cmocka_unit_test(shared_surnames_are_not_guessed),
        cmocka_unit_test(lexicon_aliases_in_brackets),
        cmocka_unit_test(across_the_corpus),
        cmocka_unit_test(surname_first_then_full_name),
        cmocka_unit_test(registry_survives_allocation_failures),
    };
    return cmocka_run_group_tests_name("alias", tests, setup, teardown);
}
