/* test_timex.c - the temporal tagger on fictional wire sentences. */
#include "test_util.h"

#include "clean/date.h"
#include "extract/timex.h"

/* Anchor: Wednesday 14 March 2018 unless a test says otherwise. */
static const td_timex_opts ANCHOR = { { 2018, 3, 14, TD_PREC_DAY }, 0 };

static uint32_t find(const char *z, const td_timex_opts *o, td_timex *out, uint32_t cap)
{
    return td_timex_find(td_str_cstr(z), o, out, cap);
}

static void assert_date(td_timex t, const char *ymd, td_date_prec prec)
{
    char buf[11];
    td_date_format(t.date, buf);
    if (t.date.prec == TD_PREC_MONTH && t.date.day) /* mid-month keeps its day for ordering */
        buf[7] = 0;
    assert_string_equal(buf, ymd);
    assert_int_equal(t.date.prec, prec);
}

static void span_is(const char *z, td_timex t, const char *want)
{
    assert_str_view(td_str_make(z + t.span.off, t.span.len), want);
}

static void absolute_forms(void **state)
{
    (void)state;
    td_timex t[8];
    const char *z = "The ministry said the convoy left Port Hallam on 24 February 2017 and "
                    "reached Varn on Feb. 26, 2017, before the 2017-03-01 deadline.";
    uint32_t n = find(z, &ANCHOR, t, 8);
    assert_int_equal(n, 3);
    assert_date(t[0], "2017-02-24", TD_PREC_DAY);
    span_is(z, t[0], "24 February 2017");
    assert_date(t[1], "2017-02-26", TD_PREC_DAY);
    assert_date(t[2], "2017-03-01", TD_PREC_DAY);
    assert_int_equal(t[0].kind, TD_TIMEX_ABSOLUTE);
}

static void slashed_dates_follow_outlet_convention(void **state)
{
    (void)state;
    td_timex t[2];
    const char *z = "The vote in Corlan was held on 6/7/2018, officials said.";
    assert_int_equal(find(z, &ANCHOR, t, 2), 1);
    assert_date(t[0], "2018-06-07", TD_PREC_DAY);
    td_timex_opts dmy = ANCHOR;
    dmy.date_flags = TD_DATE_DMY;
    assert_int_equal(find(z, &dmy, t, 2), 1);
    assert_date(t[0], "2018-07-06", TD_PREC_DAY);
}

static void year_less_date_takes_anchor_year(void **state)
{
    (void)state;
    td_timex t[2];
    assert_int_equal(find("Fighting resumed on March 2 near Tel Orrin.", &ANCHOR, t, 2), 1);
    assert_date(t[0], "2018-03-02", TD_PREC_DAY);
    /* December written in March is last year's */
    assert_int_equal(find("The siege began on Dec. 20 after talks failed.", &ANCHOR, t, 2), 1);
    assert_date(t[0], "2017-12-20", TD_PREC_DAY);
}

static void weekdays_past_and_future(void **state)
{
    (void)state;
    td_timex t[4];
    /* anchor is a Wednesday */
    assert_int_equal(find("Warplanes struck the depot on Monday, residents said.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-12", TD_PREC_DAY);
    assert_false(t[0].future);
    assert_int_equal(find("The envoys will meet on Thursday in Marren.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-15", TD_PREC_DAY);
    assert_true(t[0].future);
    assert_int_equal(find("The council met on Wednesday.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-14", TD_PREC_DAY);
    assert_int_equal(find("The governor said on Tuesday that the army will stay.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-13", TD_PREC_DAY);
    assert_int_equal(find("Late Friday night, rockets hit the port.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-09", TD_PREC_DAY);
    const char *z = "The market was shelled last Wednesday.";
    assert_int_equal(find(z, &ANCHOR, t, 4), 1);
    assert_date(t[0], "2018-03-07", TD_PREC_DAY);
    span_is(z, t[0], "last Wednesday");
}

static void relative_expressions(void **state)
{
    (void)state;
    td_timex t[4];
    struct {
        const char *z, *ymd;
        td_date_prec prec;
    } cases[] = {
        { "Two soldiers were killed yesterday.", "2018-03-13", TD_PREC_DAY },
        { "Protesters gathered again this morning.", "2018-03-14", TD_PREC_DAY },
        { "The bridge collapsed tonight.", "2018-03-14", TD_PREC_DAY },
        { "Rebels attacked the checkpoint two days ago.", "2018-03-12", TD_PREC_DAY },
        { "The dam burst a week ago.", "2018-03-07", TD_PREC_WEEK },
        { "The talks collapsed last week.", "2018-03-07", TD_PREC_WEEK },
        { "Prices rose earlier this month.", "2018-03", TD_PREC_MONTH },
        { "The ceasefire was signed last year.", "2017", TD_PREC_YEAR },
        { "The town has been under siege since last year.", "2017", TD_PREC_YEAR },
        { "Floods hit the valley in December.", "2017-12", TD_PREC_MONTH },
        { "The offensive began in mid-February.", "2018-02", TD_PREC_MONTH },
        { "The camp opened in 2015, aid workers said.", "2015", TD_PREC_YEAR },
        { "It happened the day before yesterday.", "2018-03-12", TD_PREC_DAY },
        { "Three homes burned overnight.", "2018-03-14", TD_PREC_DAY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t n = find(cases[i].z, &ANCHOR, t, 4);
        if (n != 1)
            fail_msg("%s: %u expressions", cases[i].z, n);
        assert_date(t[0], cases[i].ymd, cases[i].prec);
    }
    assert_int_equal(find("The town has been under siege since last year.", &ANCHOR, t, 4), 1);
    assert_true(t[0].since);
    /* future month goes forward */
    assert_int_equal(find("Elections will be held in January.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2019-01", TD_PREC_MONTH);
}

static void several_expressions_in_order(void **state)
{
    (void)state;
    td_timex t[8];
    const char *z = "After the raid on Sunday, which followed clashes on 2 March, the "
                    "governor said yesterday that the curfew ends next week.";
    uint32_t n = find(z, &ANCHOR, t, 8);
    assert_int_equal(n, 4);
    assert_date(t[0], "2018-03-11", TD_PREC_DAY);
    assert_date(t[1], "2018-03-02", TD_PREC_DAY);
    assert_date(t[2], "2018-03-13", TD_PREC_DAY);
    assert_date(t[3], "2018-03-21", TD_PREC_WEEK);
    for (uint32_t i = 1; i < n; i++)
        assert_true(t[i].span.off >= t[i - 1].span.off + t[i - 1].span.len);
}

static void old_and_far_future_dates(void **state)
{
    (void)state;
    td_timex t[4];
    assert_int_equal(find("The fort was built on 3 June 1851 by settlers.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "1851-06-03", TD_PREC_DAY);
    assert_int_equal(find("The lease runs until 2150, the deed says.", &ANCHOR, t, 4), 1);
    assert_date(t[0], "2150", TD_PREC_YEAR);
    /* out of the calendar range: not a date */
    assert_int_equal(find("A plan for the year 3000 was mocked.", &ANCHOR, t, 4), 0);
}

static void no_anchor_keeps_only_absolute(void **state)
{
    (void)state;
    td_timex t[4];
    td_timex_opts none = { { 0, 0, 0, TD_PREC_NONE }, 0 };
    const char *z = "Yesterday's strike on 5 April 2016 was the second since Monday.";
    assert_int_equal(find(z, &none, t, 4), 1);
    assert_date(t[0], "2016-04-05", TD_PREC_DAY);
    assert_int_equal(find(z, NULL, t, 4), 1);
}

static void not_dates(void **state)
{
    (void)state;
    td_timex t[4];
    assert_int_equal(find("The F-16 dropped a 2,000-pound bomb, killing 45 people.", &ANCHOR, t, 4), 0);
    assert_int_equal(find("He may march to the square, said May Tarrow.", &ANCHOR, t, 4), 0);
    assert_int_equal(find("", &ANCHOR, t, 4), 0);
}

static void possessive_relative_dates(void **state)
{
    (void)state;
    td_timex t[4];
    /* wire copy dates an earlier event by a possessive: "last month's
     * flood", "yesterday’s vote", "Monday's blast" */
    const char *z = "Crews were still clearing debris from last month's flood in Varn when "
                    "yesterday’s storm cut power to Port Hallam.";
    assert_int_equal(find(z, &ANCHOR, t, 4), 2);
    assert_date(t[0], "2018-02", TD_PREC_MONTH);
    span_is(z, t[0], "last month's");
    assert_date(t[1], "2018-03-13", TD_PREC_DAY);
    const char *w = "Police said Monday’s blast near the Corlan depot was the third this year.";
    assert_true(find(w, &ANCHOR, t, 4) >= 1);
    assert_date(t[0], "2018-03-12", TD_PREC_DAY);
    /* a possessive is not a unit of its own: "the year's first storm" */
    assert_int_equal(find("It was the year's first storm in Varn.", &ANCHOR, t, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(absolute_forms),
        cmocka_unit_test(slashed_dates_follow_outlet_convention),
        cmocka_unit_test(year_less_date_takes_anchor_year),
        cmocka_unit_test(weekdays_past_and_future),
        cmocka_unit_test(relative_expressions),
        cmocka_unit_test(several_expressions_in_order),
        cmocka_unit_test(old_and_far_future_dates),
        cmocka_unit_test(no_anchor_keeps_only_absolute),
        cmocka_unit_test(not_dates),
        cmocka_unit_test(possessive_relative_dates),
    };
    return cmocka_run_group_tests_name("timex", tests, NULL, NULL);
}
