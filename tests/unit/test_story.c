/* test_story.c - online story clustering on fictional reports: same-kind
 * events in two countries on one day stay apart, a campaign runs for weeks,
 * an old topic after a long silence is a new story, copies follow their
 * original, finish consolidates, restore round-trips. */
#include "test_util.h"

#include "base/alloc.h"
#include "story/story.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct rep {
    const char *title, *body;
} rep;

/* Air strikes on the same day in two fictional countries, told with the
 * same vocabulary: only the places and people differ. */
static const rep KORVANIA[] = {
    { "Air strike kills 12 in Korvania's Dastra province",
      "An air strike hit a market in the town of Belgor in Korvania's Dastra province on Friday, killing at least "
      "12 civilians, local officials said. Witnesses in Belgor said warplanes struck twice. The Korvanian "
      "interior minister Aldo Brenn condemned the attack on the Dastra market." },
    { "Korvania: market strike in Belgor leaves a dozen dead",
      "Rescuers in Belgor pulled bodies from the rubble of the market after an air strike in Dastra province, "
      "Korvania. Minister Aldo Brenn said 12 people died. Residents of Belgor said the warplanes came at noon." },
    { "Dastra governor vows to rebuild Belgor market after air strike",
      "The governor of Dastra, Mirela Ost, visited Belgor on Friday evening after the air strike on the market "
      "and promised help for the families of the dead. Korvania has seen several attacks on Dastra towns." },
};

static const rep ESTEMAR[] = {
    { "Air strike kills 9 in Estemar's northern Vell region",
      "An air strike hit a market in the town of Quorin in Estemar's Vell region on Friday, killing at least 9 "
      "civilians, local officials said. Witnesses in Quorin said warplanes struck twice. The Estemari defence "
      "minister Jonas Halvik condemned the attack on the Vell market." },
    { "Estemar: Quorin market strike kills nine",
      "Rescuers in Quorin searched the rubble of the market after an air strike in the Vell region of Estemar. "
      "Minister Jonas Halvik said 9 people died. Residents of Quorin said the warplanes came in the morning." },
    { "Vell elders demand inquiry into Quorin air strike",
      "Elders of the Vell region met in Quorin on Friday after the air strike on the market and demanded an "
      "inquiry. Estemar's government has blamed rebels in Vell for earlier attacks." },
};

static td_story_assign add(td_story *s, int64_t key, int32_t date, const rep *r, int64_t dup_of)
{
    td_story_doc d = { .key = key, .date = date, .title = td_str_cstr(r->title), .body = td_str_cstr(r->body),
                       .duplicate_of = dup_of };
    td_story_assign a;
    assert_int_equal(td_story_add(s, &d, &a), TD_OK);
    return a;
}

/* Applies finish's merges and moves to story ids kept by key - 1. */
static void apply(const td_story_changes *ch, uint32_t *story, int n)
{
    for (uint32_t m = 0; m < ch->n_merges; m++)
        for (int i = 0; i < n; i++)
            if (story[i] == ch->merges[m].from)
                story[i] = ch->merges[m].into;
    for (uint32_t m = 0; m < ch->n_moves; m++)
        story[ch->moves[m].key - 1] = ch->moves[m].to;
}

static void same_day_other_country_stays_apart(void **state)
{
    (void)state;
    td_story *s;
    assert_int_equal(td_story_new(NULL, &s), TD_OK);
    uint32_t story[6];
    for (int i = 0; i < 3; i++) { /* interleaved, as a feed would bring them */
        story[2 * i] = add(s, 2 * i + 1, 19900, &KORVANIA[i], 0).story;
        story[2 * i + 1] = add(s, 2 * i + 2, 19900, &ESTEMAR[i], 0).story;
    }
    td_story_changes ch;
    assert_int_equal(td_story_finish(s, &ch), TD_OK);
    apply(&ch, story, 6);
    assert_int_equal(story[0], story[2]);
    assert_int_equal(story[0], story[4]);
    assert_int_equal(story[1], story[3]);
    assert_int_equal(story[1], story[5]);
    assert_int_not_equal(story[0], story[1]);

    td_story_info k, e;
    assert_int_equal(td_story_get(s, story[0], &k), TD_OK);
    assert_int_equal(td_story_get(s, story[1], &e), TD_OK);
    assert_int_equal(k.articles, 3);
    assert_int_equal(e.articles, 3);
    assert_int_equal(k.first_seen, 19900);
    assert_int_equal(k.last_seen, 19900);
    assert_non_null(strstr(k.title.p, "Korvania") ? k.title.p : strstr(k.title.p, "Belgor"));
    assert_true(ch.n_touched >= 2);
    td_story_free(s);
}

static void campaign_runs_for_weeks_then_a_new_story(void **state)
{
    (void)state;
    td_story *s;
    assert_int_equal(td_story_new(NULL, &s), TD_OK);
    /* a new strike in Dastra every five days for two months */
    char title[128], body[512];
    uint32_t first = 0;
    for (int w = 0; w < 12; w++) {
        snprintf(title, sizeof title, "New air strike in Korvania's Dastra province, day %d", w);
        snprintf(body, sizeof body,
                 "Warplanes struck the Dastra province of Korvania again, hitting the outskirts of Belgor and "
                 "the Dastra river crossing, officials said. Minister Aldo Brenn said the campaign against "
                 "Belgor would not break the province. Governor Mirela Ost asked for shelters in Dastra. %s",
                 w % 2 ? "Aid convoys were held at the Dastra bridge." : "Families fled Belgor by road.");
        rep r = { title, body };
        td_story_assign a = add(s, 10 + w, 19900 + 5 * w, &r, 0);
        if (w == 0)
            first = a.story;
        else
            assert_int_equal(a.story, first);
    }
    td_story_info inf;
    assert_int_equal(td_story_get(s, first, &inf), TD_OK);
    assert_int_equal(inf.articles, 12);
    assert_int_equal(inf.first_seen, 19900);
    assert_int_equal(inf.last_seen, 19955);
    /* the same province a year later, after a long silence: a new story */
    td_story_assign a = add(s, 99, 19955 + 365, &KORVANIA[0], 0);
    assert_true(a.created);
    assert_int_not_equal(a.story, first);
    td_story_free(s);
}

static void copies_join_their_original(void **state)
{
    (void)state;
    td_story *s;
    assert_int_equal(td_story_new(NULL, &s), TD_OK);
    uint32_t k = add(s, 1, 19900, &KORVANIA[0], 0).story;
    uint32_t e = add(s, 2, 19900, &ESTEMAR[0], 0).story;
    assert_int_not_equal(k, e);
    /* a copy of the Korvania report, even with an odd headline */
    rep copy = { "Wire roundup", KORVANIA[0].body };
    td_story_assign a = add(s, 3, 19901, &copy, 1);
    assert_int_equal(a.story, k);
    assert_false(a.created);
    /* the original's story given directly (original no longer in memory) */
    td_story_doc d = { .key = 4, .date = -1, .body = TD_STR_LIT("x"), .duplicate_of = 777, .dup_story = e };
    assert_int_equal(td_story_add(s, &d, &a), TD_OK);
    assert_int_equal(a.story, e);
    td_story_info inf;
    assert_int_equal(td_story_get(s, k, &inf), TD_OK);
    assert_int_equal(inf.articles, 2);
    assert_int_equal(inf.last_seen, 19901);
    td_story_free(s);
}

static void odd_documents(void **state)
{
    (void)state;
    td_story *s;
    assert_int_equal(td_story_new(NULL, &s), TD_OK);
    td_story_assign a;
    td_story_doc d = { .key = 1, .date = -1 };
    assert_int_equal(td_story_add(s, &d, &a), TD_OK); /* no title, no body, no date */
    assert_true(a.created);
    d = (td_story_doc){ .key = 2, .date = -1, .body = TD_STR_LIT("Breaking") };
    assert_int_equal(td_story_add(s, &d, &a), TD_OK);
    d.key = 0;
    assert_int_equal(td_story_add(s, &d, &a), TD_EINVAL);
    /* one very long line */
    size_t n = 300000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 9 == 8) ? ' ' : (char)('a' + (i * 13 / 9) % 26);
    big[n] = '\0';
    d = (td_story_doc){ .key = 3, .date = 19000, .title = TD_STR_LIT("Long"), .body = td_str_make(big, n) };
    assert_int_equal(td_story_add(s, &d, &a), TD_OK);
    free(big);
    td_story_info inf;
    assert_int_equal(td_story_get(s, 12345, &inf), TD_ENOTFOUND);
    td_story_changes ch;
    assert_int_equal(td_story_finish(s, &ch), TD_OK);
    assert_int_equal(td_story_finish(s, &ch), TD_OK); /* an empty run */
    assert_int_equal(ch.n_touched, 0);
    td_story_free(s);
    td_story_free(NULL);
}

static void finish_merges_split_stories(void **state)
{
    (void)state;
    td_story_opts o = { .join_min = 0.99f, .merge_min = 0.3f }; /* the online pass splits everything */
    td_story *s;
    assert_int_equal(td_story_new(&o, &s), TD_OK);
    uint32_t story[3];
    for (int i = 0; i < 3; i++)
        story[i] = add(s, i + 1, 19900, &KORVANIA[i], 0).story;
    assert_int_not_equal(story[0], story[1]);
    td_story_changes ch;
    assert_int_equal(td_story_finish(s, &ch), TD_OK);
    assert_true(ch.n_merges >= 1);
    apply(&ch, story, 3);
    assert_int_equal(story[0], story[1]);
    assert_int_equal(story[0], story[2]);
    td_story_info inf;
    assert_int_equal(td_story_get(s, story[0], &inf), TD_OK);
    assert_int_equal(inf.articles, 3);
    /* merged ids are gone; the kept one is the oldest */
    assert_int_equal(story[0], 1);
    assert_int_equal(td_story_get(s, 2, &inf), TD_ENOTFOUND);
    td_story_free(s);
}

static void restore_round_trip(void **state)
{
    (void)state;
    td_story *s, *t;
    assert_int_equal(td_story_new(NULL, &s), TD_OK);
    uint32_t k = add(s, 1, 19900, &KORVANIA[0], 0).story;
    add(s, 2, 19900, &KORVANIA[1], 0);
    td_story_changes ch;
    assert_int_equal(td_story_finish(s, &ch), TD_OK);
    td_story_info inf;
    assert_int_equal(td_story_get(s, k, &inf), TD_OK);
    const td_story_term *c;
    uint32_t n = td_story_centroid(s, k, &c);
    assert_true(n > 0);

    td_story_opts o = { .first_id = 1 };
    assert_int_equal(td_story_new(&o, &t), TD_OK);
    assert_int_equal(td_story_restore(t, &inf, c, n), TD_OK);
    td_story_assign a = add(t, 3, 19901, &KORVANIA[2], 0);
    assert_int_equal(a.story, k);
    a = add(t, 4, 19901, &ESTEMAR[0], 0);
    assert_true(a.created);
    assert_true(a.story > k); /* ids continue after the restored ones */
    td_story_free(s);
    td_story_free(t);
}

static void allocation_failure_is_clean(void **state)
{
    (void)state;
    for (long k = 0; k < 40; k += 3) {
        td_story *s = NULL;
        td_alloc_fail_after(k);
        td_status st = td_story_new(NULL, &s);
        for (int i = 0; st == TD_OK && i < 3; i++) {
            td_story_doc d = { .key = i + 1, .date = 19900, .title = td_str_cstr(KORVANIA[i].title),
                               .body = td_str_cstr(KORVANIA[i].body) };
            td_story_assign a;
            st = td_story_add(s, &d, &a);
        }
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        td_story_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_day_other_country_stays_apart),
        cmocka_unit_test(campaign_runs_for_weeks_then_a_new_story),
        cmocka_unit_test(copies_join_their_original),
        cmocka_unit_test(odd_documents),
        cmocka_unit_test(finish_merges_split_stories),
        cmocka_unit_test(restore_round_trip),
        cmocka_unit_test(allocation_failure_is_clean),
    };
    return cmocka_run_group_tests_name("story", tests, NULL, NULL);
}
