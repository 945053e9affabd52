/* test_toll.c - counts and tolls on fictional wire sentences. */
#include "test_util.h"

#include "extract/toll.h"

static uint32_t find(const char *z, td_toll *out, uint32_t cap)
{
    return td_toll_find(td_str_cstr(z), out, cap);
}

static void expect_one(const char *z, uint32_t lo, uint32_t hi, td_toll_kind kind, td_toll_qual q)
{
    td_toll t[4];
    uint32_t n = find(z, t, 4);
    if (n != 1)
        fail_msg("%s: %u counts", z, n);
    if (t[0].min != lo || t[0].max != hi || t[0].kind != kind || t[0].qual != q)
        fail_msg("%s: got %u..%u %s q%d", z, t[0].min, t[0].max,
                 td_toll_kind_name((td_toll_kind)t[0].kind), t[0].qual);
}

static void killed_forms(void **state)
{
    (void)state;
    expect_one("The strike hit a market in Tel Orrin, killing at least 45 people.", 45, 45,
               TD_TOLL_KILLED, TD_TQ_AT_LEAST);
    expect_one("36 Crimson Dawn fighters were killed in the raid.", 36, 36, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    expect_one("The blast killed more than 140 people at the funeral hall.", 140, 140,
               TD_TOLL_KILLED, TD_TQ_MORE_THAN);
    expect_one("The death toll rose to 1,200 on Sunday.", 1200, 1200, TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("Twenty-three miners died when the shaft collapsed.", 23, 23, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    expect_one("The bombing left 12 dead, police said.", 12, 12, TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("Between 10 and 15 soldiers were killed, the army said.", 10, 15, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    expect_one("Officials said 10 to 15 villagers were killed.", 10, 15, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    expect_one("Dozens of people were killed in the flood.", 24, 99, TD_TOLL_KILLED, TD_TQ_VAGUE);
    expect_one("A dozen guards died in the fire.", 12, 12, TD_TOLL_KILLED, TD_TQ_ABOUT);
    expect_one("The quake claimed the lives of nearly 300 residents.", 300, 300, TD_TOLL_KILLED,
               TD_TQ_NEARLY);
    expect_one("Up to 60 people may have died, a medic said.", 60, 60, TD_TOLL_KILLED,
               TD_TQ_UP_TO);
}

static void kinds_told_apart(void **state)
{
    (void)state;
    td_toll t[8];
    const char *z = "The attack killed 10 people and wounded 25 others, while 7 were arrested "
                    "and 3 remain missing; hundreds of families were displaced.";
    uint32_t n = find(z, t, 8);
    assert_int_equal(n, 5);
    assert_int_equal(t[0].min, 10);
    assert_int_equal(t[0].kind, TD_TOLL_KILLED);
    assert_int_equal(t[1].min, 25);
    assert_int_equal(t[1].kind, TD_TOLL_WOUNDED);
    assert_int_equal(t[2].min, 7);
    assert_int_equal(t[2].kind, TD_TOLL_ARRESTED);
    assert_int_equal(t[3].min, 3);
    assert_int_equal(t[3].kind, TD_TOLL_MISSING);
    assert_int_equal(t[4].kind, TD_TOLL_DISPLACED);
    assert_int_equal(t[4].qual, TD_TQ_VAGUE);
    assert_str_view(td_str_make(z + t[0].span.off, t[0].span.len), "10");

    n = find("Eight people were killed and 19 injured in the shelling.", t, 8);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].kind, TD_TOLL_KILLED);
    assert_int_equal(t[1].kind, TD_TOLL_WOUNDED);
    assert_int_equal(t[1].min, 19);
}

static void people_without_outcome(void **state)
{
    (void)state;
    td_toll t[4];
    /* the buildings are not people; the fighters inside what the strike
     * destroyed are its dead, as such reports mean them */
    const char *z = "Jets struck near Varn, destroying two buildings housing 40 fighters.";
    assert_int_equal(find(z, t, 4), 1);
    assert_int_equal(t[0].min, 40);
    assert_int_equal(t[0].kind, TD_TOLL_KILLED);
    /* housing people in what was not destroyed: only counted */
    z = "The camp near Varn, housing 300 people, was quiet on Monday.";
    assert_int_equal(find(z, t, 4), 1);
    assert_int_equal(t[0].kind, TD_TOLL_PEOPLE);
}

static void not_tolls(void **state)
{
    (void)state;
    td_toll t[4];
    const char *cases[] = {
        "An F-16 dropped a 2,000-pound bomb on the depot.",
        "The 2017 offensive was launched at 10:30 by Brigade 20.",
        "Turnout was 45 percent, and 45% of ballots were spoiled.",
        "The ministry pledged $40 million for 300 schools.",
        "Troops advanced 12 km in three days toward Route 6.",
        "The quake of magnitude 7.8 struck at a depth of 15 kilometres.",
        "Resolution 2216 and No. 10 were cited.",
        "One of the envoys said talks were over.",
        "",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t n = find(cases[i], t, 4);
        if (n)
            fail_msg("%s: %u counts, first %u", cases[i], n, t[0].min);
    }
}

static void output_is_bounded(void **state)
{
    (void)state;
    td_toll t[1];
    assert_int_equal(find("Five killed, six wounded, seven arrested.", t, 1), 1);
    assert_int_equal(t[0].min, 5);
}

/* Scope: the event's toll, a part of it, or a war's or a period's total. */
static uint8_t scope_of_first(const char *z, td_toll_kind kind)
{
    td_toll t[6];
    uint32_t n = find(z, t, 6);
    for (uint32_t i = 0; i < n; i++)
        if (t[i].kind == kind)
            return t[i].scope;
    fail_msg("%s: no %s count", z, td_toll_kind_name(kind));
    return 0xff;
}

static void parts_and_totals(void **state)
{
    (void)state;
    assert_int_equal(scope_of_first("The strike on the Varn depot killed 31 people, the army said.",
                                    TD_TOLL_KILLED),
                     TD_TS_EVENT);
    assert_int_equal(scope_of_first("Three nurses were among those killed in the blast.",
                                    TD_TOLL_KILLED),
                     TD_TS_PART);
    assert_int_equal(scope_of_first("The blast killed 40 people, including 12 children.",
                                    TD_TOLL_PEOPLE),
                     TD_TS_PART);
    {
        td_toll t[4];
        assert_int_equal(find("The blast killed 40 people, including 12 children.", t, 4), 2);
        assert_int_equal(t[0].scope, TD_TS_EVENT);
        assert_int_equal(t[0].min, 40);
    }
    assert_int_equal(scope_of_first("The war has killed more than 10,000 people in Veloria.",
                                    TD_TOLL_KILLED),
                     TD_TS_TOTAL);
    assert_int_equal(scope_of_first("More than 9,000 people have died since 2015, the agency says.",
                                    TD_TOLL_KILLED),
                     TD_TS_TOTAL);
    assert_int_equal(scope_of_first("At least 300 civilians have been killed since the start of "
                                    "the offensive.",
                                    TD_TOLL_KILLED),
                     TD_TS_TOTAL);
    assert_int_equal(scope_of_first("Some 85 migrants have died off the coast so far this year.",
                                    TD_TOLL_KILLED),
                     TD_TS_TOTAL);
    /* a clause of its own about the war does not make the strike's toll a total */
    assert_int_equal(scope_of_first("The strike killed 17 fighters, the latest blow in a war that "
                                    "began in 2014.",
                                    TD_TOLL_KILLED),
                     TD_TS_EVENT);
    /* "since Saturday's quake" dates the disaster, it is no period */
    assert_int_equal(scope_of_first("The death toll has risen to 212 since Saturday's quake.",
                                    TD_TOLL_KILLED),
                     TD_TS_EVENT);
}

/* One person named by a singular noun counts only with its outcome. */
static void one_person_named(void **state)
{
    (void)state;
    td_toll t[4];
    uint32_t n = find("Debris from the rocket fell on a farm near Orsk, killing a Velorian man and "
                      "wounding 11 others, the ministry said.", t, 4);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].min, 1);
    assert_int_equal(t[0].kind, TD_TOLL_KILLED);
    assert_int_equal(t[1].min, 11);
    assert_int_equal(t[1].kind, TD_TOLL_WOUNDED);
    expect_one("A soldier was killed when the convoy hit a mine outside Hallam.", 1, 1,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("The flood claimed the life of an elderly fisherman in Port Lunen.", 1, 1,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    /* the agent of the killing is no toll */
    expect_one("A gunman killed four guards at the gate of the Marr depot.", 4, 4, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    assert_int_equal(find("A man in a red jacket addressed the crowd in Dorvani.", t, 4), 0);
}

/* Tolls written as deaths and as a toll passing a mark. */
static void deaths_of_and_passing_marks(void **state)
{
    (void)state;
    expect_one("Aid groups said the strikes had also claimed the deaths of three children in Varn.",
               3, 3, TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("The death toll from the quake soared past 3,700 on Monday.", 3700, 3700,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("Quake death toll tops 250 as rescuers reach the valley.", 250, 250, TD_TOLL_KILLED,
               TD_TQ_EXACT);
    expect_one("The prime minister said the death toll, already nearing 5,000, could double.", 5000,
               5000, TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("The death toll from Monday's magnitude 6.1 earthquake had risen to 148.", 148, 148,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    /* no toll named: a rising number of something else */
    td_toll t[4];
    assert_int_equal(find("Prices soared past 300 in the Hallam market.", t, 4), 0);
}

/* Objects of one verb joined by "and" are one toll, summed. */
static void joined_counts_summed(void **state)
{
    (void)state;
    expect_one("The ambush near Marr killed three soldiers and two civilians, the army said.", 5, 5,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    expect_one("Gunmen killed 4 police officers, 2 guards and 6 villagers in Orsk.", 12, 12,
               TD_TOLL_KILLED, TD_TQ_EXACT);
    /* an outcome of its own stays apart */
    td_toll t[4];
    assert_int_equal(find("The blast killed 10 people and wounded 25 others.", t, 4), 2);
    assert_int_equal(t[0].min, 10);
    assert_int_equal(t[1].kind, TD_TOLL_WOUNDED);
    /* a subject count is not joined to a later one: "3 soldiers were killed
     * and 40 fighters surrendered" */
    assert_int_equal(find("Three soldiers were killed and 40 fighters surrendered.", t, 4), 2);
    assert_int_equal(t[0].min, 3);
    assert_int_equal(t[1].kind, TD_TOLL_PEOPLE);
}

/* A count opening the clause after "<period> after" is an earlier event's. */
static void earlier_events_tolls(void **state)
{
    (void)state;
    assert_int_equal(scope_of_first("A strong quake struck eastern Veloria, two weeks after more "
                                    "than 8,000 people died in a larger one.",
                                    TD_TOLL_KILLED),
                     TD_TS_EARLIER);
    assert_int_equal(scope_of_first("Rebels shelled Marr days after 40 people were killed in Orsk.",
                                    TD_TOLL_KILLED),
                     TD_TS_EARLIER);
    /* the bombing's own figure stays an event toll: it is the background
     * bombing's, whose trigger stands before it */
    assert_int_equal(scope_of_first("The attack came weeks after a car bomb killed 12 people in "
                                    "Hallam.",
                                    TD_TOLL_KILLED),
                     TD_TS_EVENT);
    assert_int_equal(scope_of_first("The toll rose to 19 two days after the strike.",
                                    TD_TOLL_KILLED),
                     TD_TS_EVENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_forms),
        cmocka_unit_test(kinds_told_apart),
        cmocka_unit_test(people_without_outcome),
        cmocka_unit_test(not_tolls),
        cmocka_unit_test(output_is_bounded),
        cmocka_unit_test(parts_and_totals),
        cmocka_unit_test(one_person_named),
        cmocka_unit_test(deaths_of_and_passing_marks),
        cmocka_unit_test(earlier_events_tolls),
        cmocka_unit_test(joined_counts_summed),
    };
    return cmocka_run_group_tests_name("toll", tests, NULL, NULL);
}
