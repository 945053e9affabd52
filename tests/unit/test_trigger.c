/* test_trigger.c - the event trigger lexicon on fictional sentences: verbs
 * and nouns, multi-word patterns, generic words, agent nouns left out. */
#include "test_util.h"

#include "extract/event_int.h"
#include "extract/trigger.h"

/* Finds the triggers of z; returns their count and writes them to out. */
static uint32_t find(const char *z, td_xtok *toks, td_trigger *out, uint32_t cap)
{
    td_str s = td_str_cstr(z);
    uint32_t n = td_xlex(s, toks, 128);
    return td_trigger_find(s, toks, n, out, cap);
}

static void trig_is(const char *z, const td_xtok *toks, const td_trigger *t, const char *word,
                    td_event_type type)
{
    const td_xtok *a = &toks[t->tok], *b = &toks[t->tok + t->n_tok - 1];
    assert_str_view(td_str_make(z + a->off, b->off + b->len - a->off), word);
    assert_int_equal(t->type, type);
}

static void types_of_each_kind(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    const char *z = "Velorian jets carried out an air strike on Varn as rebels shelled Hallam.";
    assert_int_equal(find(z, toks, t, 8), 3);
    assert_int_equal(t[0].type, TD_EV_AIRSTRIKE); /* "jets": context only */
    assert_true(t[0].flags & TD_TRIG_CONTEXT);
    trig_is(z, toks, &t[1], "air strike", TD_EV_AIRSTRIKE);
    trig_is(z, toks, &t[2], "shelled", TD_EV_SHELLING);

    z = "Thousands marched through Dorvani and police arrested 12 students.";
    assert_int_equal(find(z, toks, t, 8), 2);
    trig_is(z, toks, &t[0], "marched", TD_EV_PROTEST);
    trig_is(z, toks, &t[1], "arrested", TD_EV_RAID_OR_ARREST);

    z = "The two sides signed a ceasefire after talks in Varnholm.";
    assert_int_equal(find(z, toks, t, 8), 3);
    assert_true(t[0].flags & TD_TRIG_WEAK); /* "signed" */
    trig_is(z, toks, &t[1], "ceasefire", TD_EV_AGREEMENT);
    trig_is(z, toks, &t[2], "talks", TD_EV_MEETING);

    z = "The kidnappers freed the engineer near Qasr Tamun.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "freed", TD_EV_OTHER);

    z = "A magnitude 6.1 earthquake struck the Lorrin valley.";
    assert_true(find(z, toks, t, 8) >= 2);
    trig_is(z, toks, &t[1], "earthquake", TD_EV_DISASTER);
}

/* Headlines speak in the present tense. */
static void headline_present_tense(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    const char *z = "Maran meets released Orsk pupils";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "meets", TD_EV_MEETING);
    z = "Kelvaria rules out more survivors as toll passes 300";
    assert_true(find(z, toks, t, 8) >= 1);
    trig_is(z, toks, &t[0], "rules out", TD_EV_STATEMENT);
    z = "Varn and Hallam agrees truce";
    assert_int_equal(find(z, toks, t, 8), 2);
    trig_is(z, toks, &t[0], "agrees", TD_EV_AGREEMENT);
    z = "Council suspends port levy after strikes";
    assert_true(find(z, toks, t, 8) >= 1);
    trig_is(z, toks, &t[0], "suspends", TD_EV_STATEMENT);
}

/* A warning or a forecast told to someone is a statement; a fact relayed
 * is the attribution of another event. */
static void warnings_and_forecasts(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    const char *z = "Premier Ilse Maran told the wire agency that the toll could reach 900.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "told", TD_EV_STATEMENT);
    assert_true(t[0].flags & TD_TRIG_WEAK);
    z = "Officials warned that the dam could give way.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "warned", TD_EV_STATEMENT);
    z = "A doctor told reporters that 12 bodies had arrived at the clinic.";
    assert_int_equal(find(z, toks, t, 8), 0);
    z = "Residents were told to leave and warned of rain.";
    assert_int_equal(find(z, toks, t, 8), 0);
}

static void generic_words_take_context(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    const char *z = "Gunmen attacked a checkpoint near Qasr Tamun.";
    uint32_t n = find(z, toks, t, 8);
    assert_int_equal(n, 2);
    trig_is(z, toks, &t[1], "attacked", TD_EV_ARMED_CLASH);
    assert_true(t[1].flags & TD_TRIG_GENERIC);
    z = "The strike hit a market.";
    assert_int_equal(find(z, toks, t, 8), 2);
    assert_int_equal(t[0].type, TD_EV_NONE); /* typed later from the sentence */
}

static void agents_are_not_acts(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    /* protesters, detainees, kidnappers, demonstrators name people, not an act */
    assert_int_equal(find("Protesters and detainees waited while kidnappers and demonstrators watched.", toks, t, 8), 0);
    const char *z = "The protest ended after the kidnapping of a reporter detained in Varn.";
    assert_int_equal(find(z, toks, t, 8), 3);
    trig_is(z, toks, &t[0], "protest", TD_EV_PROTEST);
    trig_is(z, toks, &t[1], "kidnapping", TD_EV_RAID_OR_ARREST);
    trig_is(z, toks, &t[2], "detained", TD_EV_RAID_OR_ARREST);
    /* a listed agent noun still counts where the lexicon names it */
    z = "A suicide bomber struck the market.";
    assert_true(find(z, toks, t, 8) >= 1);
    trig_is(z, toks, &t[0], "suicide bomber", TD_EV_BOMBING);
}

static void month_march_is_no_protest(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    assert_int_equal(find("In March the council met again.", toks, t, 8), 1);
    assert_int_equal(t[0].type, TD_EV_MEETING);
    assert_int_equal(find("Nothing happened here.", toks, t, 8), 0);
    assert_string_equal(td_event_type_name(TD_EV_RAID_OR_ARREST), "raid_or_arrest");
    assert_int_equal(td_event_type_from_name(TD_STR_LIT("shelling")), TD_EV_SHELLING);
    assert_int_equal(td_event_type_from_name(TD_STR_LIT("parade")), TD_EV_NONE);
}

/* A participle before a noun names people taken earlier, not an act; a
 * return of people is a release. */
static void participles_and_returns(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    assert_int_equal(find("Families of the kidnapped pupils waited outside.", toks, t, 8), 0);
    assert_int_equal(find("The 40 abducted fishermen were seen in a video.", toks, t, 8), 0);
    const char *z = "Crimson Dawn Returns Abducted Fishermen To Port Hallam";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "Returns", TD_EV_OTHER);
    z = "Rebels abducted 30 pupils from a school in Varn.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "abducted", TD_EV_RAID_OR_ARREST);
    z = "The rebels returned 12 hostages on Monday.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "returned", TD_EV_OTHER);
    assert_int_equal(find("The delegation returned home on Monday.", toks, t, 8), 0);
    /* captives returning home are released */
    z = "Fishermen who were seized by the rebels in the bay have returned home";
    uint32_t nt = find(z, toks, t, 8);
    assert_true(nt >= 1);
    trig_is(z, toks, &t[nt - 1], "returned", TD_EV_OTHER);
    /* a counted object qualified by the participle: the release is the news */
    z = "The rebels returned 12 hostages kidnapped from a ferry in May.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "returned", TD_EV_OTHER);
    /* opening a headline-style sentence the participle reports the act */
    z = "20 pupils kidnapped from a school in Varn";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "kidnapped", TD_EV_RAID_OR_ARREST);
}

/* Characterisations and appeals are statements; naming and convening are not. */
static void characterisations_are_statements(void **state)
{
    (void)state;
    td_xtok toks[128];
    td_trigger t[8];
    const char *z = "Governor Ilse Marr on Friday called the flooding a \"day of shame\".";
    assert_int_equal(find(z, toks, t, 8), 2);
    trig_is(z, toks, &t[0], "called", TD_EV_STATEMENT);
    z = "Ostrova described the shelling as a crime.";
    assert_true(find(z, toks, t, 8) >= 1);
    trig_is(z, toks, &t[0], "described", TD_EV_STATEMENT);
    z = "The mayor called on residents to stay indoors.";
    assert_int_equal(find(z, toks, t, 8), 1);
    trig_is(z, toks, &t[0], "called on", TD_EV_STATEMENT);
    assert_int_equal(find("A group called the Varn Circle met again.", toks, t, 8), 1); /* met */
    assert_int_equal(find("Witnesses described seeing smoke over the port.", toks, t, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(types_of_each_kind),
        cmocka_unit_test(headline_present_tense),
        cmocka_unit_test(warnings_and_forecasts),
        cmocka_unit_test(generic_words_take_context),
        cmocka_unit_test(agents_are_not_acts),
        cmocka_unit_test(month_march_is_no_protest),
        cmocka_unit_test(participles_and_returns),
        cmocka_unit_test(characterisations_are_statements),
    };
    return cmocka_run_group_tests_name("trigger", tests, NULL, NULL);
}
