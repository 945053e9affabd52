/* test_merge.c - cross-source merging of fictional event mentions. */
#include "test_util.h"

#include "base/alloc.h"
#include "extract/trigger.h"
#include "merge/merge.h"

#include <math.h>
#include <stdio.h>

static td_date day(int y, int m, int d) { return (td_date){ (int16_t)y, (int8_t)m, (int8_t)d, TD_PREC_DAY }; }
static const td_date NODATE = { 0, 0, 0, TD_PREC_NONE };

static td_merge_mention mention(const char *art, td_event_type t, const char *place, td_date d,
                                int32_t killed)
{
    td_merge_mention x;
    memset(&x, 0, sizeof x);
    x.article = td_str_cstr(art);
    x.outlet = TD_STR_LIT("velorian-times.example");
    x.type = (uint8_t)t;
    x.place = place ? td_str_cstr(place) : (td_str){ NULL, 0 };
    x.actor_id = x.target_id = x.place_id = -1;
    x.lat = x.lon = NAN;
    x.date = d;
    x.published = d.prec ? d : day(2018, 3, 9);
    x.story = -1;
    x.killed_min = x.killed_max = killed;
    x.score = 1;
    x.main = true;
    return x;
}

static uint32_t event_of(const td_merge *m, uint32_t i) { return td_merge_event_of(m, i); }

static void one_event_many_sources(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    assert_non_null(m);
    td_merge_mention a = mention("a1", TD_EV_AIRSTRIKE, "Dar el-Mir", day(2018, 3, 8), 29);
    a.actor = TD_STR_LIT("Sahrat-led coalition");
    td_merge_mention b = mention("a2", TD_EV_AIRSTRIKE, "Dar el-Mir", day(2018, 3, 9), 29);
    td_merge_mention c = mention("a3", TD_EV_AIRSTRIKE, "Dar el-Mir province", NODATE, 43);
    c.published = day(2018, 3, 9);
    td_merge_mention d = mention("a4", TD_EV_BOMBING, "Dar el-Mir", day(2018, 3, 8), -1);
    d.actor = TD_STR_LIT("the Sahrat-led coalition");
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_add(m, &d), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_int_equal(e->n_mentions, 4);
    assert_int_equal(e->type, TD_EV_AIRSTRIKE);
    assert_int_equal(e->date.day, 8);
    assert_string_equal(e->place, "Dar el-Mir");
    assert_string_equal(e->actor, "Sahrat-led coalition");
    assert_int_equal(e->killed, 29); /* two sources say 29, one 43 */
    assert_int_equal(e->killed_min, 29);
    assert_int_equal(e->killed_max, 43);
    /* every source stays attached, with its own claim */
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(event_of(m, i), 0);
    assert_int_equal(td_merge_mention_at(m, e->mentions[2])->killed_min, 43);
    assert_str_view(td_merge_mention_at(m, 2)->article, "a3");
    td_merge_free(m);
}

static void different_happenings_stay_apart(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention v[] = {
        mention("b1", TD_EV_AIRSTRIKE, "Dar el-Mir", day(2018, 3, 8), 5),
        mention("b2", TD_EV_AIRSTRIKE, "Hallam", day(2018, 3, 8), 3),      /* other place */
        mention("b3", TD_EV_AIRSTRIKE, "Dar el-Mir", day(2018, 3, 19), 2), /* ten days later */
        mention("b4", TD_EV_PROTEST, "Dar el-Mir", day(2018, 3, 8), -1),   /* other type */
        mention("b5", TD_EV_AIRSTRIKE, "Dar el-Mir", day(2018, 3, 11), -1),/* three days later */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(td_merge_add(m, &v[i]), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 5);
    td_merge_free(m);
}

static void countries_and_coordinates(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("c1", TD_EV_SHELLING, "Port Hallam", day(2018, 3, 8), -1);
    a.lat = 12.50;
    a.lon = 44.10;
    memcpy(a.country, "VL", 3);
    td_merge_mention b = mention("c2", TD_EV_SHELLING, "Hallam harbour", day(2018, 3, 8), -1);
    b.lat = 12.55; /* about 6 km away */
    b.lon = 44.12;
    memcpy(b.country, "VL", 3);
    td_merge_mention c = mention("c3", TD_EV_SHELLING, "Port Hallam", day(2018, 3, 8), -1);
    memcpy(c.country, "KR", 3); /* a namesake across the border */
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2);
    assert_int_equal(event_of(m, 0), event_of(m, 1));
    assert_true(event_of(m, 2) != event_of(m, 0));
    td_merge_free(m);
}

static void undated_mentions_need_evidence(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("d1", TD_EV_DISASTER, "Dorran", day(2018, 3, 3), 37);
    a.story = 4;
    td_merge_mention b = mention("d2", TD_EV_DISASTER, NULL, NODATE, 40);
    b.story = 4; /* same story, no date, no place: joins */
    b.published = day(2018, 3, 5);
    td_merge_mention c = mention("d3", TD_EV_DISASTER, NULL, NODATE, -1);
    c.story = 9; /* another story, outside any window: stays apart */
    c.published = day(2017, 1, 5);
    c.main = false;
    td_merge_mention d = mention("d4", TD_EV_DISASTER, "Dorran", NODATE, 37);
    d.published = day(2018, 4, 30); /* same place, but the window is long past */
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_add(m, &d), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(event_of(m, 0), event_of(m, 1));
    assert_true(event_of(m, 2) != event_of(m, 0));
    assert_true(event_of(m, 3) != event_of(m, 0));
    const td_merged_event *e = td_merge_event(m, event_of(m, 0));
    assert_int_equal(e->killed_min, 37);
    assert_int_equal(e->killed_max, 40);
    assert_int_equal(e->killed, 37); /* a tie between 37 and 40: the lower */
    assert_int_equal(e->story, 4);
    td_merge_free(m);
}

static void many_mentions_scale(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    char art[32], place[32];
    /* 2,000 happenings (200 places x 10 days apart), each reported 5 times */
    for (int r = 0; r < 5; r++)
        for (int h = 0; h < 2000; h++) {
            snprintf(art, sizeof art, "art%d-%d", h, r);
            snprintf(place, sizeof place, "Town%d", h % 200);
            int dd = (h / 200) * 10; /* 0..90 days after 1 Jan */
            td_date d = day(2019, 1 + dd / 31, 1 + dd % 31 > 28 ? 28 : 1 + dd % 31);
            td_merge_mention x = mention(art, TD_EV_ARMED_CLASH, place, d, r);
            assert_int_equal(td_merge_add(m, &x), TD_OK);
        }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2000);
    assert_int_equal(td_merge_event(m, 0)->n_mentions, 5);
    /* running again starts from scratch */
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2000);
    td_merge_free(m);
}

static void allocation_failures(void **state)
{
    (void)state;
    for (long k = 0; k < 40; k++) {
        td_merge *m = td_merge_new();
        if (!m)
            continue;
        td_merge_mention a = mention("f1", TD_EV_AIRSTRIKE, "Varn", day(2018, 3, 8), 2);
        td_merge_mention b = mention("f2", TD_EV_AIRSTRIKE, "Varn", day(2018, 3, 8), 3);
        td_alloc_fail_after(k);
        td_status s1 = td_merge_add(m, &a), s2 = td_merge_add(m, &b), s3 = td_merge_run(m, NULL);
        td_alloc_fail_after(-1);
        assert_true(s1 == TD_OK || s1 == TD_ENOMEM);
        assert_true(s2 == TD_OK || s2 == TD_ENOMEM);
        assert_true(s3 == TD_OK || s3 == TD_ENOMEM);
        td_merge_free(m);
    }
    td_merge_free(NULL);
    assert_int_equal(td_merge_add(NULL, NULL), TD_EINVAL);
}

/* The most specific place: a place inside a placed one (level 4) wins the
 * vote when a founding mention names it, and takes its container's point. */
static void most_specific_place(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("s1", TD_EV_AIRSTRIKE, "Marr", day(2018, 3, 8), -1);
    a.lat = 12.5;
    a.lon = 44.1;
    a.place_level = 3;
    memcpy(a.country, "VL", 3);
    td_merge_mention b = a;
    b.article = TD_STR_LIT("s2");
    td_merge_mention c = mention("s3", TD_EV_AIRSTRIKE, "Tallin", day(2018, 3, 8), -1);
    c.place_level = 4; /* "the Tallin market in Marr province" */
    memcpy(c.country, "VL", 3);
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_string_equal(e->place, "Tallin");
    assert_true(fabs(e->lat - 12.5) < 1e-9 && fabs(e->lon - 44.1) < 1e-9);
    td_merge_free(m);
    /* named once by a recalled mention only, it is one town among others */
    m = td_merge_new();
    c.support = true;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_string_equal(td_merge_event(m, 0)->place, "Marr");
    td_merge_free(m);
}

/* A statement's actor is the person who spoke when a member names one. */
static void statements_take_the_speaker(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("q1", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
    a.actor = TD_STR_LIT("United Provinces");
    td_merge_mention b = a;
    b.article = TD_STR_LIT("q2");
    td_merge_mention c = a;
    c.article = TD_STR_LIT("q3");
    c.actor = TD_STR_LIT("Secretary General Ilse Marr");
    c.actor_person = true;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_string_equal(td_merge_event(m, 0)->actor, "Secretary General Ilse Marr");
    td_merge_free(m);
    /* a violent event keeps the most reported actor */
    m = td_merge_new();
    a.type = b.type = c.type = TD_EV_AIRSTRIKE;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_string_equal(td_merge_event(m, 0)->actor, "United Provinces");
    td_merge_free(m);
}

/* The speaker preference counts only candidates the support filter keeps:
 * a person named by a support-only member (a late sentence of another
 * article) must not leave the statement without any actor. */
static void support_only_speaker_keeps_actor(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("s1", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
    a.actor = TD_STR_LIT("Velorian Interior Ministry");
    td_merge_mention c = mention("s2", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
    c.actor = TD_STR_LIT("Tomas Ravel");
    c.actor_person = true;
    c.main = false;
    c.support = true;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_int_equal(e->n_mentions, 2);
    assert_non_null(e->actor);
    assert_string_equal(e->actor, "Velorian Interior Ministry");
    td_merge_free(m);
    /* a person a founding member names still wins over the body */
    m = td_merge_new();
    c.support = false;
    c.main = true;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_string_equal(td_merge_event(m, 0)->actor, "Tomas Ravel");
    td_merge_free(m);
}

/* The place every source names wins over a town inside it that one
 * article names; a town two articles name inside it is the event's. */
static void place_most_named_then_inside(void **state)
{
    (void)state;
    td_merge_mention x[4];
    const char *arts[4] = { "p1", "p2", "p3", "p4" };
    for (int k = 0; k < 4; k++) {
        x[k] = mention(arts[k], TD_EV_AIRSTRIKE, "Veloria", day(2018, 3, 8), -1);
        x[k].lat = 12.0;
        x[k].lon = 44.0;
        x[k].place_level = 1;
        memcpy(x[k].country, "VL", 3);
    }
    td_merge_mention t = mention("p2", TD_EV_AIRSTRIKE, "Marr", day(2018, 3, 8), -1);
    t.lat = 12.5;
    t.lon = 44.1;
    t.place_level = 3;
    t.main = false;
    memcpy(t.country, "VL", 3);
    td_merge *m = td_merge_new();
    for (int k = 0; k < 4; k++)
        assert_int_equal(td_merge_add(m, &x[k]), TD_OK);
    assert_int_equal(td_merge_add(m, &t), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_string_equal(td_merge_event(m, 0)->place, "Veloria");
    td_merge_free(m);
    /* a second article names the town: it is where the strike was */
    m = td_merge_new();
    td_merge_mention u = t;
    u.article = TD_STR_LIT("p3");
    for (int k = 0; k < 4; k++)
        assert_int_equal(td_merge_add(m, &x[k]), TD_OK);
    assert_int_equal(td_merge_add(m, &t), TD_OK);
    assert_int_equal(td_merge_add(m, &u), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_string_equal(e->place, "Marr");
    assert_true(fabs(e->lat - 12.5) < 1e-9);
    td_merge_free(m);
}

/* One name read as a region by one article (a dateline in capitals) and as
 * a town by two others stands for the town: a strike the same day in a town
 * 150 km away, named late by three outlets, is another event, and is kept. */
static void second_town_is_second_event(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    const char *arts[3] = { "t1", "t2", "t3" };
    for (int k = 0; k < 3; k++) {
        td_merge_mention lead = mention(arts[k], TD_EV_AIRSTRIKE, "Veloria", day(2018, 3, 8), -1);
        lead.lat = 12.0;
        lead.lon = 44.0;
        lead.place_level = 1;
        lead.score = 4;
        memcpy(lead.country, "VL", 3);
        td_merge_mention town = lead;
        town.place = TD_STR_LIT("Marr");
        town.main = false;
        town.score = 2.5;
        town.lat = 16.9;
        town.lon = 43.7;
        town.place_level = k == 0 ? 1 : 3; /* "MARR" read as a region */
        td_merge_mention other = lead;
        other.place = TD_STR_LIT("Port Hennig");
        other.main = false;
        other.support = true;
        other.score = 1.1;
        other.lat = 14.8;
        other.lon = 42.9;
        other.place_level = 3;
        other.killed_min = other.killed_max = 3;
        assert_int_equal(td_merge_add(m, &lead), TD_OK);
        assert_int_equal(td_merge_add(m, &town), TD_OK);
        assert_int_equal(td_merge_add(m, &other), TD_OK);
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    /* mentions 0,1 (t1's lead and town) and 2 (its Port Hennig line) */
    uint32_t marr = td_merge_event_of(m, 0), hennig = td_merge_event_of(m, 2);
    assert_int_not_equal(marr, hennig);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(td_merge_event_of(m, 3 * (uint32_t)k), marr);
        assert_int_equal(td_merge_event_of(m, 3 * (uint32_t)k + 1), marr);
        assert_int_equal(td_merge_event_of(m, 3 * (uint32_t)k + 2), hennig);
    }
    assert_string_equal(td_merge_event(m, marr)->place, "Marr");
    const td_merged_event *h = td_merge_event(m, hennig);
    assert_false(h->support); /* three articles name it */
    assert_string_equal(h->place, "Port Hennig");
    assert_int_equal(h->killed, 3);
    td_merge_free(m);
    /* named late by two articles only, it stays support-only */
    m = td_merge_new();
    for (int k = 0; k < 3; k++) {
        td_merge_mention lead = mention(arts[k], TD_EV_AIRSTRIKE, "Veloria", day(2018, 3, 8), -1);
        lead.lat = 12.0;
        lead.lon = 44.0;
        lead.place_level = 1;
        memcpy(lead.country, "VL", 3);
        td_merge_mention town = lead;
        town.place = TD_STR_LIT("Marr");
        town.main = false;
        town.lat = 16.9;
        town.lon = 43.7;
        town.place_level = 3;
        assert_int_equal(td_merge_add(m, &lead), TD_OK);
        assert_int_equal(td_merge_add(m, &town), TD_OK);
        if (k < 2) {
            td_merge_mention other = town;
            other.place = TD_STR_LIT("Port Hennig");
            other.support = true;
            other.lat = 14.8;
            other.lon = 42.9;
            assert_int_equal(td_merge_add(m, &other), TD_OK);
        }
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_true(td_merge_event(m, td_merge_event_of(m, 2))->support);
    td_merge_free(m);
}

/* An undated article that nothing ties to one of its story's two events
 * goes with the earlier one, the story's first report; a shared telling
 * figure still draws it to the later one. */
static void undated_tie_goes_to_earlier(void **state)
{
    (void)state;
    for (int fig = 0; fig < 2; fig++) {
        td_merge *m = td_merge_new();
        td_merge_mention a = mention("q1", TD_EV_DISASTER, "Marr", day(2019, 4, 5), 312);
        a.score = 3;
        a.story = 7;
        td_merge_mention b = mention("q2", TD_EV_DISASTER, "Hallam", day(2019, 4, 22), 47);
        b.story = 7;
        td_merge_mention c = mention("q3", TD_EV_DISASTER, "Veloria", NODATE, fig ? 47 : -1);
        c.published = NODATE;
        c.story = 7;
        td_merge_mention *all[3] = { &a, &b, &c };
        for (int k = 0; k < 3; k++) {
            memcpy(all[k]->country, "VL", 3);
            all[k]->place_level = k == 2 ? 1 : 3;
            all[k]->lat = 12.0 + k;
            all[k]->lon = 44.0;
        }
        assert_int_equal(td_merge_add(m, &a), TD_OK);
        assert_int_equal(td_merge_add(m, &b), TD_OK);
        assert_int_equal(td_merge_add(m, &c), TD_OK);
        assert_int_equal(td_merge_run(m, NULL), TD_OK);
        assert_int_equal(td_merge_n_events(m), 2);
        assert_int_equal(td_merge_event_of(m, 2), td_merge_event_of(m, fig ? 1 : 0));
        td_merge_free(m);
    }
}

/* A toll a member gives for another country is not the event's. */
static void tolls_of_other_countries(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("k1", TD_EV_DISASTER, "Veloria", day(2018, 3, 8), 30);
    memcpy(a.country, "VL", 3);
    a.place_level = 1;
    a.lat = 12.5;
    a.lon = 44.1;
    td_merge_mention b = mention("k2", TD_EV_DISASTER, "the valley", day(2018, 3, 8), 31);
    b.lat = 12.6; /* placed, country unknown */
    b.lon = 44.2;
    td_merge_mention c = mention("k2", TD_EV_DISASTER, "Korr", day(2018, 3, 8), 9);
    memcpy(c.country, "KR", 3); /* "9 died in neighbouring Korr", a name no gazetteer placed */
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    const td_merged_event *e = td_merge_event(m, event_of(m, 0));
    assert_int_equal(e->n_mentions, 3);
    assert_int_equal(event_of(m, 2), event_of(m, 0));
    assert_int_equal(e->killed, 30);
    assert_int_equal(e->killed_min, 30);
    td_merge_free(m);
}

static td_merge_mention placed(const char *art, td_event_type t, const char *place, const char *cc,
                               uint8_t level, double lat, double lon, td_date d, int32_t killed)
{
    td_merge_mention x = mention(art, t, place, d, killed);
    memcpy(x.country, cc, 3);
    x.place_level = level;
    x.lat = lat;
    x.lon = lon;
    return x;
}

/* Two air strikes the same day in two towns of one country, 200 km apart,
 * stay two events even though outlets also name only the country; the
 * same kind the same day in two countries too. */
static void same_day_other_town_or_country(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention v[] = {
        /* the prison strike in Marr, three outlets, one naming only Veloria */
        placed("s1", TD_EV_AIRSTRIKE, "Marr", "VL", 3, 16.9, 43.7, day(2019, 5, 3), 70),
        placed("s2", TD_EV_AIRSTRIKE, "Veloria", "VL", 1, 15.5, 47.5, day(2019, 5, 3), 80),
        placed("s3", TD_EV_AIRSTRIKE, "Marr", "VL", 3, 16.9, 43.7, day(2019, 5, 3), 82),
        /* the telecom strike in Hallam the same day, reported by s2 and s3 */
        placed("s2", TD_EV_AIRSTRIKE, "Hallam", "VL", 3, 14.8, 42.95, day(2019, 5, 3), 3),
        placed("s3", TD_EV_AIRSTRIKE, "Hallam", "VL", 3, 14.8, 42.95, day(2019, 5, 3), 3),
        /* and a strike across the border in Korr */
        placed("s4", TD_EV_AIRSTRIKE, "Korr", "KR", 3, 17.1, 43.9, day(2019, 5, 3), 5),
        placed("s5", TD_EV_AIRSTRIKE, "Korvia", "KR", 1, 18.0, 44.0, day(2019, 5, 3), -1),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        v[i].story = 1;
        v[i].main = i < 3 || i >= 5;
        assert_int_equal(td_merge_add(m, &v[i]), TD_OK);
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    uint32_t marr = event_of(m, 0), hallam = event_of(m, 3), korr = event_of(m, 5);
    assert_int_equal(event_of(m, 1), marr);
    assert_int_equal(event_of(m, 2), marr);
    assert_int_equal(event_of(m, 4), hallam);
    assert_int_equal(event_of(m, 6), korr);
    assert_true(marr != hallam && marr != korr && hallam != korr);
    assert_int_equal(td_merge_event(m, hallam)->killed, 3);
    assert_int_equal(td_merge_event(m, korr)->killed, 5);
    td_merge_free(m);
}

/* A wire filed from the capital ("DORVANI, Veloria —") names the capital
 * for a strike on a village 200 km away: the dateline keeps no town out. */
static void dateline_keeps_no_town_out(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = placed("w1", TD_EV_AIRSTRIKE, "Dorvani", "VL", 3, 16.9, 43.7, day(2019, 5, 3), 23);
    a.dateline = true;
    td_merge_mention b = placed("w2", TD_EV_AIRSTRIKE, "Beit Orun", "VL", 3, 14.8, 42.95, day(2019, 5, 3), 23);
    td_merge_mention c = b;
    c.article = TD_STR_LIT("w3");
    c.dateline = true; /* filed from the village itself */
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_string_equal(td_merge_event(m, 0)->place, "Beit Orun");
    td_merge_free(m);
}

/* Three outlets give three tolls for one strike: one event, the range
 * shown, the most reported figure (a tie: the lowest, ACLED's rule). */
static void three_outlets_three_tolls(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("t1", TD_EV_AIRSTRIKE, "Tel Orrin", day(2018, 8, 9), 29);
    td_merge_mention b = mention("t2", TD_EV_AIRSTRIKE, "Tel Orrin", day(2018, 8, 9), 43);
    td_merge_mention c = mention("t3", TD_EV_AIRSTRIKE, "Tel Orrin", NODATE, 50);
    c.published = day(2018, 8, 10);
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_int_equal(e->n_mentions, 3);
    assert_int_equal(e->killed_min, 29);
    assert_int_equal(e->killed_max, 50);
    assert_int_equal(e->killed, 29);
    /* a fourth outlet repeating 43 makes 43 the most reported figure */
    td_merge_mention d = mention("t4", TD_EV_AIRSTRIKE, "Tel Orrin", day(2018, 8, 9), 43);
    assert_int_equal(td_merge_add(m, &d), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_int_equal(td_merge_event(m, 0)->killed, 43);
    td_merge_free(m);
}

/* A later article recalling an event ("two weeks after the quake that
 * killed 8,000") adds its source, but its figure does not outvote those
 * of the articles that reported the event. */
static void recalled_figures_do_not_vote(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("r1", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), 1300);
    td_merge_mention b = mention("r2", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), 4000);
    td_merge_mention c = mention("r3", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), 8000);
    c.main = false;
    c.support = true;
    td_merge_mention d = mention("r4", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), 8000);
    d.main = false;
    d.support = true;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_add(m, &d), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_int_equal(e->killed, 1300); /* not 8000, said twice by recollections */
    assert_int_equal(e->killed_min, 1300);
    td_merge_free(m);
    /* an event only recalled takes the recalled figure */
    m = td_merge_new();
    td_merge_mention x = mention("r5", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), -1);
    td_merge_mention y = mention("r6", TD_EV_DISASTER, "Dorran", day(2015, 4, 25), 8000);
    y.main = false;
    y.support = true;
    assert_int_equal(td_merge_add(m, &x), TD_OK);
    assert_int_equal(td_merge_add(m, &y), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_event(m, 0)->killed, 8000);
    assert_int_equal(td_merge_event(m, 0)->killed_min, 8000);
    assert_int_equal(td_merge_event(m, 0)->killed_max, 8000);
    td_merge_free(m);
}

/* An article with no date names the country and a figure: the figure it
 * shares with one event's sources draws it there rather than to an
 * earlier event of its story; a disaster crosses borders. */
static void same_figure_and_borders(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention v[] = {
        placed("q1", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 4, 25), 1300),
        placed("q2", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 5, 12), 42),
        placed("q3", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, NODATE, 42),
        placed("q4", TD_EV_DISASTER, "Korvia", "KR", 1, 18.0, 44.0, day(2015, 5, 12), 17),
    };
    v[0].story = v[2].story = 1; /* the undated report was clustered with the first quake */
    v[1].story = v[3].story = 2;
    v[2].published = (td_date){ 0, 0, 0, TD_PREC_NONE };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(td_merge_add(m, &v[i]), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2);
    assert_int_equal(event_of(m, 2), event_of(m, 1));
    assert_int_equal(event_of(m, 3), event_of(m, 1)); /* felt across the border the same day */
    const td_merged_event *e = td_merge_event(m, event_of(m, 1));
    assert_int_equal(e->killed, 42); /* Korvia's 17 is Korvia's */
    assert_int_equal(td_merge_event(m, event_of(m, 0))->killed, 1300);
    td_merge_free(m);
    /* an air strike does not cross the border */
    m = td_merge_new();
    td_merge_mention a = placed("q5", TD_EV_AIRSTRIKE, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 5, 12), 4);
    td_merge_mention b = placed("q6", TD_EV_AIRSTRIKE, "Korvia", "KR", 1, 18.0, 44.0, day(2015, 5, 12), 4);
    a.story = b.story = 2;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2);
    td_merge_free(m);
}

/* Tolls rise, but not fiftyfold: an undated report of 4,000 dead in the
 * country joins the quake whose reports say 1,300 to 3,700, not the
 * aftershock that killed 42, though both are of its story. */
static void tolls_tell_events_apart(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention v[] = {
        placed("f1", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 4, 25), 1300),
        placed("f2", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 4, 26), 3700),
        placed("f3", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, day(2015, 5, 12), 42),
        placed("f4", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, NODATE, 4000),
        placed("f5", TD_EV_DISASTER, "Veloria", "VL", 1, 15.5, 47.5, NODATE, 8150),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        v[i].story = 3;
        if (i >= 3)
            v[i].published = (td_date){ 0, 0, 0, TD_PREC_NONE };
        assert_int_equal(td_merge_add(m, &v[i]), TD_OK);
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2);
    assert_int_equal(event_of(m, 1), event_of(m, 0));
    assert_true(event_of(m, 2) != event_of(m, 0));
    assert_int_equal(event_of(m, 3), event_of(m, 0));
    assert_int_equal(event_of(m, 4), event_of(m, 0)); /* 8,150 is 194 times 42 */
    assert_int_equal(td_merge_event(m, event_of(m, 2))->killed, 42);
    td_merge_free(m);
}

/* "An attack this week", written on Saturday, is Monday's attack: a week
 * date holds the days before the day it names. */
/* An undated statement of a body named by its function ("the information
 * ministry") joins that body's statement of the story, not another
 * speaker's earlier one that fits it as well otherwise. */
static void body_named_by_function_agrees(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("s1", TD_EV_STATEMENT, "Veloria", day(2018, 3, 6), -1);
    a.actor = TD_STR_LIT("Ilse Maran");
    a.actor_person = true;
    td_merge_mention b = mention("s2", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
    b.actor = TD_STR_LIT("education ministry");
    td_merge_mention c = mention("s3", TD_EV_STATEMENT, "Veloria", NODATE, -1);
    c.actor = TD_STR_LIT("the education ministry");
    c.published.year = 0; /* an article without any date */
    c.main = false;
    a.story = b.story = c.story = 4;
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 2);
    assert_int_equal(event_of(m, 2), event_of(m, 1));
    assert_int_not_equal(event_of(m, 0), event_of(m, 1));
    td_merge_free(m);
}

/* Outlets name one building struck several ways: the vote for the target
 * counts a phrase inside a longer one or holding a shorter one together,
 * so the assembly three outlets name beats the country two default to. */
static void target_named_several_ways(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    const char *t[] = { "Grand Assembly building", "Grand Assembly", "Grand Assembly complex",
                        "Veloria", "Veloria" };
    const char *art[] = { "g1", "g2", "g3", "g4", "g5" };
    for (int i = 0; i < 5; i++) {
        td_merge_mention x = mention(art[i], TD_EV_PROTEST, "Dorvani", day(2018, 3, 8), -1);
        x.target = td_str_cstr(t[i]);
        assert_int_equal(td_merge_add(m, &x), TD_OK);
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    const td_merged_event *e = td_merge_event(m, 0);
    assert_non_null(e->target);
    assert_non_null(strstr(e->target, "Grand Assembly"));
    td_merge_free(m);
}

/* A body's statement the lead reports ("drawing condemnation from the
 * Assembly of Nations") is voiced further down by its head: the person of
 * the same article is the one who spoke; a person only another article's
 * late sentence names is not. */
static void head_voices_the_lead_statement(void **state)
{
    (void)state;
    for (int same = 0; same < 2; same++) {
        td_merge *m = td_merge_new();
        td_merge_mention a = mention("h1", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
        a.actor = TD_STR_LIT("Assembly of Nations");
        td_merge_mention b = mention(same ? "h1" : "h2", TD_EV_STATEMENT, "Veloria", day(2018, 3, 8), -1);
        b.actor = TD_STR_LIT("Secretary General Ilse Varo");
        b.actor_person = true;
        b.support = true;
        b.main = false;
        assert_int_equal(td_merge_add(m, &a), TD_OK);
        assert_int_equal(td_merge_add(m, &b), TD_OK);
        assert_int_equal(td_merge_run(m, NULL), TD_OK);
        assert_int_equal(td_merge_n_events(m), 1);
        assert_string_equal(td_merge_event(m, 0)->actor,
                            same ? "Secretary General Ilse Varo" : "Assembly of Nations");
        td_merge_free(m);
    }
}

/* Two entities of one side ("Velorian military", "Velorian") share a
 * word: no veto; two different sides still veto. */
static void one_side_two_entities(void **state)
{
    (void)state;
    for (int same_side = 0; same_side < 2; same_side++) {
        td_merge *m = td_merge_new();
        td_merge_mention a = mention("v1", TD_EV_AIRSTRIKE, "Orsk", day(2018, 3, 8), -1);
        a.actor = TD_STR_LIT("Velorian");
        a.actor_id = 1;
        td_merge_mention b = mention("v2", TD_EV_AIRSTRIKE, NULL, day(2018, 3, 7), -1);
        b.actor = same_side ? TD_STR_LIT("Velorian military") : TD_STR_LIT("Kelvarian military");
        b.actor_id = 2;
        assert_int_equal(td_merge_add(m, &a), TD_OK);
        assert_int_equal(td_merge_add(m, &b), TD_OK);
        assert_int_equal(td_merge_run(m, NULL), TD_OK);
        assert_int_equal(td_merge_n_events(m), same_side ? 1 : 2);
        td_merge_free(m);
    }
}

/* The target named most can come late in member order (a big event's
 * later articles): every member's phrase is a candidate. */
static void late_target_still_wins(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    char art[24][16], tg[24][32];
    for (int i = 0; i < 24; i++) {
        snprintf(art[i], sizeof art[i], "t%02d", i);
        if (i < 20)
            snprintf(tg[i], sizeof tg[i], "stall %d", i);
        else
            snprintf(tg[i], sizeof tg[i], "Grand Assembly");
        td_merge_mention x = mention(art[i], TD_EV_PROTEST, "Dorvani", day(2018, 3, 8), -1);
        x.target = td_str_cstr(tg[i]);
        assert_int_equal(td_merge_add(m, &x), TD_OK);
    }
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(td_merge_n_events(m), 1);
    assert_string_equal(td_merge_event(m, 0)->target, "Grand Assembly");
    td_merge_free(m);
}

static void this_week_holds_monday(void **state)
{
    (void)state;
    td_merge *m = td_merge_new();
    td_merge_mention a = mention("h1", TD_EV_RAID_OR_ARREST, "Marr", day(2018, 2, 19), -1);
    td_merge_mention b = mention("h2", TD_EV_RAID_OR_ARREST, "Marr", day(2018, 2, 24), -1);
    b.date.prec = TD_PREC_WEEK; /* "this week", published Saturday 24 */
    td_merge_mention c = mention("h3", TD_EV_RAID_OR_ARREST, "Marr", day(2018, 3, 8), -1);
    c.date.prec = TD_PREC_WEEK; /* "last week" two weeks on: another raid */
    assert_int_equal(td_merge_add(m, &a), TD_OK);
    assert_int_equal(td_merge_add(m, &b), TD_OK);
    assert_int_equal(td_merge_add(m, &c), TD_OK);
    assert_int_equal(td_merge_run(m, NULL), TD_OK);
    assert_int_equal(event_of(m, 1), event_of(m, 0));
    assert_true(event_of(m, 2) != event_of(m, 0));
    td_merge_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_event_many_sources),
        cmocka_unit_test(different_happenings_stay_apart),
        cmocka_unit_test(countries_and_coordinates),
        cmocka_unit_test(undated_mentions_need_evidence),
        cmocka_unit_test(many_mentions_scale),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(most_specific_place),
        cmocka_unit_test(statements_take_the_speaker),
        cmocka_unit_test(support_only_speaker_keeps_actor),
        cmocka_unit_test(place_most_named_then_inside),
        cmocka_unit_test(second_town_is_second_event),
        cmocka_unit_test(undated_tie_goes_to_earlier),
        cmocka_unit_test(tolls_of_other_countries),
        cmocka_unit_test(same_day_other_town_or_country),
        cmocka_unit_test(three_outlets_three_tolls),
        cmocka_unit_test(dateline_keeps_no_town_out),
        cmocka_unit_test(recalled_figures_do_not_vote),
        cmocka_unit_test(same_figure_and_borders),
        cmocka_unit_test(tolls_tell_events_apart),
        cmocka_unit_test(body_named_by_function_agrees),
        cmocka_unit_test(target_named_several_ways),
        cmocka_unit_test(head_voices_the_lead_statement),
        cmocka_unit_test(one_side_two_entities),
        cmocka_unit_test(late_target_still_wins),
        cmocka_unit_test(this_week_holds_monday),
    };
    return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
