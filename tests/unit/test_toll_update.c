/* test_toll_update.c - tolls as event mentions carry them: a toll update
 * that names its event by a possessive date ("the death toll from
 * Wednesday's magnitude 6.4 earthquake") keeps that event's day, so the
 * merger puts the figure with the right quake. Fictional wire copy. */
#include "test_util.h"

#include "extract/event.h"

static const td_date PUB = { 2025, 4, 13, TD_PREC_DAY }; /* a Sunday */

static void possessive_date_across_modifiers(void **state)
{
    (void)state;
    const char *z = "The agency said the death toll from Wednesday's magnitude 6.4 earthquake "
                    "had risen to 148.";
    td_span sent[1] = { { 0, (uint32_t)strlen(z) } };
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_event_input in = { td_str_cstr(z), sent, 1, PUB, 0, NULL, 0, 0 };
    td_event_mention *m = NULL;
    uint32_t n = 0;
    assert_int_equal(td_event_extract(&a, &in, &m, &n), TD_OK);
    bool found = false;
    for (uint32_t k = 0; k < n; k++) {
        if (m[k].type != TD_EV_DISASTER)
            continue;
        found = true;
        assert_int_equal(m[k].killed_min, 148);
        assert_int_equal(m[k].date.year, 2025);
        assert_int_equal(m[k].date.month, 4);
        assert_int_equal(m[k].date.day, 9); /* Wednesday, not the day of the update */
    }
    assert_true(found);
    td_arena_free(&a);
}

/* Without the possessive the day of a toll update stays the day the
 * figure was given, not the event's. */
static void update_day_is_not_the_event_day(void **state)
{
    (void)state;
    const char *z = "The death toll from the earthquake rose to 148 on Saturday, the agency said.";
    td_span sent[1] = { { 0, (uint32_t)strlen(z) } };
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_event_input in = { td_str_cstr(z), sent, 1, PUB, 0, NULL, 0, 0 };
    td_event_mention *m = NULL;
    uint32_t n = 0;
    assert_int_equal(td_event_extract(&a, &in, &m, &n), TD_OK);
    for (uint32_t k = 0; k < n; k++)
        if (m[k].type == TD_EV_DISASTER) {
            assert_int_equal(m[k].killed_min, 148);
            assert_false(m[k].date.day == 12 && m[k].date_from == TD_DATE_FROM_SENTENCE);
        }
    td_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(possessive_date_across_modifiers),
        cmocka_unit_test(update_day_is_not_the_event_day),
    };
    return cmocka_run_group_tests_name("toll_update", tests, NULL, NULL);
}
