/* test_names.c - entity mentions in one article (src/extract/names.c) on
 * fictional wire copy: people by title, honorific, "said" and appositive;
 * organisations by lexicon and by head word; places by gazetteer and by cue;
 * acronyms only in capitals; all-caps text, apostrophes and hyphens in
 * names, non-Latin script and a 10 MB article. */
#include "test_util.h"

#include <stdlib.h>

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

/* Extracts from text into e with arena a (initialised here). */
static void run(void **state, td_arena *a, const char *text, const char *dateline, td_entities *e)
{
    td_arena_init(a, 1 << 16);
    assert_int_equal(td_entities_extract(*state, td_str_cstr(text), NULL, 0,
                                         td_str_cstr(dateline), a, e),
                     TD_OK);
}

static void assert_entity(const td_entities *e, const char *name, td_ent_type type)
{
    const td_art_entity *en = fx_entity(e, name);
    if (!en)
        fail_msg("no entity \"%s\"", name);
    if (en->type != type)
        fail_msg("\"%s\" is a %s, want %s", name, td_ent_type_name(en->type),
                 td_ent_type_name(type));
}

static void people_by_title_honorific_said_and_apposition(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Prime Minister Adela Voss said on Monday that talks would resume. "
        "Brig. Gen. Omar Tassin told reporters the army had retaken the ridge. "
        "Mr Kello declined to comment. \"We are ready,\" said Ilse Maran, a teacher in "
        "Velmoor. Petra Hallin, the head of the Velmoor Port Authority, said ships were "
        "waiting. Ruben Ostrov said the road was open.",
        "", &e);
    assert_entity(&e, "Adela Voss", TD_ENT_PERSON);
    assert_entity(&e, "Omar Tassin", TD_ENT_PERSON);
    assert_entity(&e, "Kello", TD_ENT_PERSON);
    assert_entity(&e, "Ilse Maran", TD_ENT_PERSON);
    assert_entity(&e, "Petra Hallin", TD_ENT_PERSON);
    assert_entity(&e, "Ruben Ostrov", TD_ENT_PERSON);
    assert_entity(&e, "Velmoor Port Authority", TD_ENT_ORG);
    assert_entity(&e, "Velmoor", TD_ENT_PLACE);
    /* the title is kept with the person */
    const td_art_entity *t = fx_entity(&e, "Omar Tassin");
    const td_mention *m = &e.m[t->first];
    assert_true(m->title.len > 0);
    assert_memory_equal(m->title.p, "Brig. Gen.", 10);
    td_arena_free(&a);
}

static void organisations_by_lexicon_and_head(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "The Ministry of Water Affairs and the Northern Command said the Crimson Valley "
        "Front had attacked a pumping station. Islamic State fighters and ISIS supporters "
        "were blamed by the Norvanian Workers Party. The UN said aid had arrived.",
        "", &e);
    assert_entity(&e, "Ministry of Water Affairs", TD_ENT_ORG);
    assert_entity(&e, "Northern Command", TD_ENT_ORG);
    assert_entity(&e, "Crimson Valley Front", TD_ENT_ORG);
    assert_entity(&e, "Norvanian Workers Party", TD_ENT_ORG);
    const td_art_entity *is = fx_entity(&e, "Islamic State");
    assert_non_null(is);
    assert_true(is->actor >= 0);
    assert_true(fx_has_alias(is, "ISIS"));
    assert_non_null(fx_entity(&e, "United Nations"));
    assert_true(fx_has_alias(fx_entity(&e, "United Nations"), "UN"));
    td_arena_free(&a);
}

static void acronyms_only_in_capitals(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a, "What is left of the town is quiet, and it is cold.", "", &e);
    assert_null(fx_entity(&e, "Islamic State"));
    td_arena_free(&a);
    run(state, &a, "Officials said IS had withdrawn from Tell Ammar.", "", &e);
    assert_non_null(fx_entity(&e, "Islamic State"));
    td_arena_free(&a);
}

static void places_by_gazetteer_cue_and_evidence(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Shells fell near Tell Ammar and in Dayr al Qassab on Sunday. Police said the "
        "Norvanian army was moving north of Brakken Ridge. Residents fled to Springhill.",
        "", &e);
    assert_entity(&e, "Tell Ammar", TD_ENT_PLACE);
    assert_entity(&e, "Dayr al Qassab", TD_ENT_PLACE);
    assert_entity(&e, "Brakken Ridge", TD_ENT_PLACE);
    assert_entity(&e, "Springhill", TD_ENT_PLACE);
    /* "Police" opening a sentence is not the town of that name */
    const td_art_entity *p = fx_entity(&e, "Police");
    assert_true(p == NULL || p->type != TD_ENT_PLACE);
    /* the article is about Norvania */
    assert_string_equal(e.country, "XA");
    td_arena_free(&a);
}

static void demonyms_and_nested_places_are_evidence(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a, "The Velmoor Harbour Authority said Iraqi forces had left.", "", &e);
    bool nested = false, demonym = false;
    for (uint32_t i = 0; i < e.n; i++) {
        if ((e.m[i].flags & TD_MF_NESTED) && e.m[i].type == TD_ENT_PLACE)
            nested = true;
        if (e.m[i].how == TD_HOW_DEMONYM && strcmp(e.m[i].cc, "IQ") == 0)
            demonym = true;
    }
    assert_true(nested);
    assert_true(demonym);
    assert_entity(&e, "Iraqi forces", TD_ENT_ORG);
    assert_entity(&e, "Velmoor Harbour Authority", TD_ENT_ORG);
    assert_null(fx_entity(&e, "Velmoor")); /* evidence, not a location */
    td_arena_free(&a);
}

static void all_caps_text_gives_no_guesses(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "BREAKING: ROCKETS HIT PORT LUNEN AS IS FIGHTERS ADVANCE, OFFICIALS SAY. "
        "THE ARMY SAYS IT IS READY.",
        "", &e);
    assert_entity(&e, "PORT LUNEN", TD_ENT_PLACE);
    for (uint32_t i = 0; i < e.n_entities; i++)
        assert_true(e.e[i].type != TD_ENT_PERSON);
    /* "IS" inside "IT IS READY" is a verb, "IS FIGHTERS" stays possible */
    const td_art_entity *is = fx_entity(&e, "Islamic State");
    if (is)
        assert_true(is->n_mentions <= 1);
    td_arena_free(&a);
}

static void apostrophes_and_hyphens_in_names(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Commander Sean O'Marra and Lt. Col. Abu-Bakr al-Tessaly met in Al Hamra. "
        "O'Marra's aide, Nadia Bel-Hadj, said Velmoor's council agreed.",
        "", &e);
    assert_entity(&e, "Sean O'Marra", TD_ENT_PERSON);
    assert_entity(&e, "Abu-Bakr al-Tessaly", TD_ENT_PERSON);
    assert_entity(&e, "Nadia Bel-Hadj", TD_ENT_PERSON);
    assert_true(fx_has_alias(fx_entity(&e, "Sean O'Marra"), "O'Marra"));
    assert_entity(&e, "Al Hamra", TD_ENT_PLACE);
    td_arena_free(&a);
}

static void non_latin_script_is_harmless(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "Мэр Велмура заявил: «Всё спокойно». قال المتحدث إن الوضع هادئ. "
        "Governor Lena Varga said the same in Velmoor. 東京 \xF0\x9F\x98\x80",
        "", &e);
    assert_entity(&e, "Lena Varga", TD_ENT_PERSON);
    assert_entity(&e, "Velmoor", TD_ENT_PLACE);
    td_arena_free(&a);
}

static void ten_megabyte_article(void **state)
{
    const char *para = "Fighters of the Crimson Valley Front shelled Port Lunen on Tuesday, "
                       "Governor Lena Varga said, and 12 people were wounded.\n\n";
    size_t pl = strlen(para), reps = (10u << 20) / pl + 1;
    char *txt = malloc(pl * reps + 1);
    assert_non_null(txt);
    for (size_t i = 0; i < reps; i++)
        memcpy(txt + i * pl, para, pl);
    txt[pl * reps] = '\0';
    td_arena a;
    td_entities e;
    td_arena_init(&a, 1 << 20);
    assert_int_equal(td_entities_extract(*state, td_str_make(txt, pl * reps), NULL, 0,
                                         TD_STR_LIT(""), &a, &e),
                     TD_OK);
    const td_art_entity *f = fx_entity(&e, "Crimson Valley Front");
    assert_non_null(f);
    assert_int_equal(f->n_mentions, reps);
    assert_int_equal(fx_entity(&e, "Lena Varga")->n_mentions, reps);
    assert_true(e.n_entities <= 4);
    td_arena_free(&a);
    free(txt);
}

static void survives_allocation_failures(void **state)
{
    const char *text = "Prime Minister Adela Voss said the Crimson Valley Front (CVF) left "
                       "Tell Ammar. The Front denied it.";
    for (long fail = 0; fail < 60; fail++) {
        td_arena a;
        td_entities e;
        td_arena_init(&a, 256);
        td_alloc_fail_after(fail);
        td_status st = td_entities_extract(*state, td_str_cstr(text), NULL, 0, TD_STR_LIT(""),
                                           &a, &e);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        td_arena_free(&a);
    }
}

/* The fixture models with one more place, a town named like a title word
 * ("Secretary", as real towns are), from an extra gazetteer file. */
static td_entity_models *models_with_title_town(void)
{
    char path[] = "/tmp/td_names_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        return NULL;
    fputs("name\talternate_names\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\n"
          "Secretary\t\tvillage\tXB\t04\t-42.50000\t-26.00000\t600\n", f);
    fclose(f);
    td_entity_models *m = fx_models();
    td_gazetteer_builder *gb = td_gazetteer_builder_new();
    td_buf img = TD_BUF_INIT;
    char a[1024], b[1024];
    td_status st = m && gb ? TD_OK : TD_ENOMEM;
    if (st == TD_OK)
        st = td_gazetteer_builder_iso(gb, fx_path(a, sizeof a, "iso_3166-1.json"),
                                      fx_path(b, sizeof b, "iso_3166-2.json"));
    uint64_t bad = 0;
    if (st == TD_OK)
        st = td_gazetteer_builder_geonames(gb, fx_path(a, sizeof a, "cities.txt"), &bad);
    if (st == TD_OK)
        st = td_gazetteer_builder_extra(gb, path);
    if (st == TD_OK)
        st = td_gazetteer_builder_finish(gb, &img);
    td_gazetteer_builder_free(gb);
    remove(path);
    if (st == TD_OK) {
        td_gazetteer_free(m->gaz);
        m->gaz = NULL;
        st = td_gazetteer_open_mem(img.p, img.len, &m->gaz);
    }
    td_buf_free(&img);
    if (st != TD_OK) {
        fx_models_free(m);
        return NULL;
    }
    return m;
}

/* A title word is no place ("UN Secretary General Ilse Maran"); a place
 * with a possessive or plural ending keeps all its words ("Port Lunen's",
 * "Port Lunens"). */
static void titles_and_possessive_places(void **state)
{
    td_arena a;
    td_entities e;
    run(state, &a,
        "UN Secretary General Ilse Maran condemned the shelling of Port Lunen's harbour on "
        "Monday. Aid reached Port Lunens market later.",
        "", &e);
    assert_entity(&e, "Ilse Maran", TD_ENT_PERSON);
    assert_null(fx_entity(&e, "Secretary"));
    assert_null(fx_entity(&e, "Secretary General"));
    assert_null(fx_entity(&e, "Port"));
    assert_entity(&e, "Port Lunen", TD_ENT_PLACE);
    assert_null(fx_entity(&e, "Port Lunens"));
    assert_int_equal(fx_entity(&e, "Port Lunen")->n_mentions, 2);
    /* the town of that name is still found where a cue places it */
    td_arena_free(&a);
    td_arena_free(&a);
    td_entity_models *md = models_with_title_town();
    assert_non_null(md);
    void *st = md;
    run(&st, &a, "UN Secretary General Ilse Maran said the road was open. Secretary General "
                 "Maran thanked Port Lunen.",
        "", &e);
    assert_entity(&e, "Ilse Maran", TD_ENT_PERSON);
    assert_null(fx_entity(&e, "Secretary"));
    td_arena_free(&a);
    /* the town of that name is still found where a cue places it */
    run(&st, &a, "Floods cut roads in Secretary on Monday, Ilse Maran said.", "", &e);
    assert_entity(&e, "Secretary", TD_ENT_PLACE);
    fx_models_free(md);
    td_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(people_by_title_honorific_said_and_apposition),
        cmocka_unit_test(organisations_by_lexicon_and_head),
        cmocka_unit_test(acronyms_only_in_capitals),
        cmocka_unit_test(places_by_gazetteer_cue_and_evidence),
        cmocka_unit_test(demonyms_and_nested_places_are_evidence),
        cmocka_unit_test(all_caps_text_gives_no_guesses),
        cmocka_unit_test(apostrophes_and_hyphens_in_names),
        cmocka_unit_test(non_latin_script_is_harmless),
        cmocka_unit_test(titles_and_possessive_places),
        cmocka_unit_test(ten_megabyte_article),
        cmocka_unit_test(survives_allocation_failures),
    };
    return cmocka_run_group_tests_name("names", tests, setup, teardown);
}
