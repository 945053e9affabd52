/* test_quote.c - direct and indirect quotes and speaker resolution, on
 * fictional wire copy. Sentences are split by a small helper here so the
 * suite does not depend on the text stage. */
#include "test_util.h"

#include "extract/quote.h"

#include <stdio.h>

#define LQ "\xE2\x80\x9C" /* left double quotation mark */
#define RQ "\xE2\x80\x9D"

/* Splits z at ". ", "? ", "! " (after optional closing quotes) and at blank
 * lines; "Gen." and "Col." do not end a sentence. */
static uint32_t split(const char *z, td_span *out, uint32_t cap)
{
    uint32_t n = 0, start = 0, len = (uint32_t)strlen(z);
    for (uint32_t i = 0; i < len && n < cap; i++) {
        bool end = false;
        uint32_t e = i + 1;
        if (z[i] == '\n' && z[i + 1] == '\n') {
            end = true;
            e = i;
        } else if (z[i] == '.' || z[i] == '?' || z[i] == '!') {
            while (z[e] == '"' || (z[e] == '\xE2' && z[e + 1] == '\x80' && z[e + 2] == '\x9D'))
                e += z[e] == '"' ? 1 : 3;
            end = z[e] == ' ' || z[e] == '\n' || z[e] == 0;
            if (i >= 3 && (!strncmp(z + i - 3, "Gen", 3) || !strncmp(z + i - 3, "Col", 3)))
                end = false;
        }
        if (!end)
            continue;
        if (e > start)
            out[n++] = (td_span){ start, e - start };
        start = e;
        while (start < len && (z[start] == ' ' || z[start] == '\n'))
            start++;
        i = start ? start - 1 : 0;
    }
    if (start < len && n < cap)
        out[n++] = (td_span){ start, len - start };
    return n;
}

typedef struct fixture {
    td_arena arena;
    td_span sent[64];
    uint32_t n_sent;
    td_quote *q;
    uint32_t n;
    const char *z;
} fixture;

static void run(fixture *f, const char *z, const td_name_span *names, uint32_t n_names)
{
    td_arena_init(&f->arena, 4096);
    f->z = z;
    f->n_sent = split(z, f->sent, 64);
    assert_int_equal(td_quote_find(&f->arena, td_str_cstr(z), f->sent, f->n_sent, names, n_names,
                                   &f->q, &f->n),
                     TD_OK);
}

static td_str view(const fixture *f, td_span s) { return td_str_make(f->z + s.off, s.len); }

static void direct_forms(void **state)
{
    (void)state;
    fixture f;
    const char *z =
        "\"We hit every target we were given,\" Gen. Aric Voss said on Monday. "
        "Mayor Lina Ostrow told reporters: \"The eastern bridge is gone.\" "
        "\"No aid has reached the valley,\" said Petra Lund, the head of the Marren Relief Council.";
    run(&f, z, NULL, 0);
    assert_int_equal(f.n, 3);
    assert_str_view(view(&f, f.q[0].text), "We hit every target we were given,");
    assert_str_view(view(&f, f.q[0].speaker), "Gen. Aric Voss");
    assert_true(f.q[0].direct);
    assert_int_equal(f.q[0].sentence, 0);
    assert_str_view(view(&f, f.q[1].speaker), "Mayor Lina Ostrow");
    assert_str_view(view(&f, f.q[1].text), "The eastern bridge is gone.");
    assert_str_view(view(&f, f.q[2].speaker), "Petra Lund");
    assert_int_equal(f.q[2].speaker_type, TD_NAME_PERSON);
    td_arena_free(&f.arena);
}

static void pronouns_and_descriptions_resolve(void **state)
{
    (void)state;
    fixture f;
    const char *z =
        "The Velorian army said its units had pushed into Tel Orrin. "
        "Colonel Dario Fenn, who led the assault, spoke at the airfield.\n\n"
        "" LQ "The town is ours," RQ " he said. "
        "" LQ "All civilians were warned before the assault began," RQ " the military said in a statement.";
    td_name_span names[] = {
        { { 4, 14 }, TD_NAME_ORG, 7, 0 }, /* Velorian army */
        { { 60, 18 }, TD_NAME_PERSON, 9, 0 }, /* Colonel Dario Fenn */
    };
    assert_int_equal(strncmp(z + 4, "Velorian army", 13), 0);
    names[0].span.len = 13;
    assert_int_equal(strncmp(z + 60, "Colonel Dario Fenn", 18), 0);
    run(&f, z, names, 2);
    assert_int_equal(f.n, 3); /* the army's reported speech, then two quotes */
    assert_false(f.q[0].direct);
    assert_str_view(view(&f, f.q[0].speaker), "The Velorian army");
    assert_int_equal(f.q[0].entity, 7);
    assert_str_view(view(&f, f.q[1].speaker), "he");
    assert_str_view(view(&f, f.q[1].resolved), "Colonel Dario Fenn");
    assert_int_equal(f.q[1].entity, 9);
    assert_int_equal(f.q[2].entity, 7);
    assert_int_equal(f.q[2].speaker_type, TD_NAME_ORG);
    td_arena_free(&f.arena);

    /* without caller names, capitalised phrases stand in */
    run(&f, z, NULL, 0);
    assert_int_equal(f.n, 3);
    assert_str_view(view(&f, f.q[1].resolved), "Colonel Dario Fenn");
    td_arena_free(&f.arena);
}

static void indirect_forms(void **state)
{
    (void)state;
    fixture f;
    const char *z =
        "Interior Minister Joran Tesk said that the curfew would be lifted on Friday. "
        "According to the Red Lantern Society, 300 families had fled the district. "
        "The convoy was delayed by a landslide, a spokesman for the mission said. "
        "Aid worker Mira Hale told reporters the road was impassable.";
    run(&f, z, NULL, 0);
    assert_int_equal(f.n, 4);
    assert_str_view(view(&f, f.q[0].speaker), "Interior Minister Joran Tesk");
    assert_str_view(view(&f, f.q[0].text), "the curfew would be lifted on Friday");
    assert_str_view(view(&f, f.q[1].speaker), "the Red Lantern Society");
    assert_str_view(view(&f, f.q[1].text), "300 families had fled the district");
    assert_str_view(view(&f, f.q[2].speaker), "a spokesman for the mission");
    assert_str_view(view(&f, f.q[3].speaker), "Aid worker Mira Hale");
    assert_str_view(view(&f, f.q[3].text), "the road was impassable");
    for (uint32_t i = 0; i < f.n; i++)
        assert_false(f.q[i].direct);
    td_arena_free(&f.arena);
}

static void quote_inside_quote(void **state)
{
    (void)state;
    fixture f;
    const char *z =
        "\"They shouted 'leave now' and then the shells came,\" said Hana Dorr, a teacher. "
        "" LQ "He told me " LQ "we are finished" RQ " and walked away," RQ " Dorr added.";
    run(&f, z, NULL, 0);
    assert_int_equal(f.n, 2);
    assert_str_view(view(&f, f.q[0].text), "They shouted 'leave now' and then the shells came,");
    assert_str_view(view(&f, f.q[0].speaker), "Hana Dorr");
    assert_true(strstr(f.z + f.q[1].text.off, "walked away") != NULL);
    assert_true(f.q[1].text.len > 30);
    assert_str_view(view(&f, f.q[1].speaker), "Dorr");
    td_arena_free(&f.arena);
}

static void quote_over_sentences_and_paragraphs(void **state)
{
    (void)state;
    fixture f;
    const char *z =
        "\"The water rose in minutes. We carried the children to the roof. Nobody came for two "
        "days,\" said Tomas Reyl, a farmer from Varn.\n\n"
        "\"We lost everything in the flood and the government has not said one word to us.\n\n"
        "\"Now we wait for the next storm,\" he said.";
    run(&f, z, NULL, 0);
    assert_int_equal(f.n, 3);
    assert_true(f.q[0].text.len > 80); /* one quote over three sentences */
    assert_str_view(view(&f, f.q[0].speaker), "Tomas Reyl");
    assert_str_view(view(&f, f.q[1].speaker), "he"); /* the open paragraph shares its speaker */
    assert_str_view(view(&f, f.q[1].resolved), "Tomas Reyl");
    assert_str_view(view(&f, f.q[2].resolved), "Tomas Reyl");
    td_arena_free(&f.arena);
}

static void scare_quotes_and_empty(void **state)
{
    (void)state;
    fixture f;
    run(&f, "The council called the protesters \"rioters\" and closed the square.", NULL, 0);
    assert_int_equal(f.n, 0);
    td_arena_free(&f.arena);
    run(&f, "", NULL, 0);
    assert_int_equal(f.n, 0);
    assert_null(f.q);
    td_arena_free(&f.arena);
    run(&f, "\"Unterminated quote with no end and no speaker at all in sight", NULL, 0);
    td_arena_free(&f.arena);
}

static void bad_arguments(void **state)
{
    (void)state;
    td_quote *q;
    uint32_t n;
    assert_int_equal(td_quote_find(NULL, TD_STR_LIT("x"), NULL, 0, NULL, 0, &q, &n), TD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(direct_forms),
        cmocka_unit_test(pronouns_and_descriptions_resolve),
        cmocka_unit_test(indirect_forms),
        cmocka_unit_test(quote_inside_quote),
        cmocka_unit_test(quote_over_sentences_and_paragraphs),
        cmocka_unit_test(scare_quotes_and_empty),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests_name("quote", tests, NULL, NULL);
}
