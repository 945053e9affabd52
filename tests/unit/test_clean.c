/* test_clean.c - the text cleaner, the date parser and the outlet of a URL,
 * on scraped pages written for these tests (fictional places and people). */
#include "test_util.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "clean/clean.h"
#include "clean/date.h"

/* ---- helpers ---- */

typedef struct fixture {
    td_arena arena;
    td_article a;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    td_arena_init(&fx->arena, 4096);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    td_arena_free(&fx->arena);
    free(fx);
    return 0;
}

static td_article *clean_text(fixture *fx, const char *text, const char *url, const td_clean_opts *o)
{
    td_arena_reset(&fx->arena);
    memset(&fx->a, 0, sizeof fx->a);
    fx->a.arena = &fx->arena;
    fx->a.text = td_str_cstr(text);
    fx->a.url = td_str_cstr(url);
    assert_int_equal(td_clean_article(&fx->a, o), TD_OK);
    return &fx->a;
}

/* The verdict on the first line whose text starts with prefix. */
static const td_line *line_of(const td_article *a, const char *prefix)
{
    for (uint32_t i = 0; i < a->n_lines; i++)
        if (td_str_istarts(a->lines[i].text, td_str_cstr(prefix)))
            return &a->lines[i];
    fail_msg("no line starts with \"%s\"", prefix);
    return NULL;
}

static void assert_kind(const td_article *a, const char *prefix, td_line_kind k)
{
    const td_line *l = line_of(a, prefix);
    if (l->kind != k)
        fail_msg("line \"%s\": expected %s, got %s (%s)", prefix, td_line_kind_name(k), td_line_kind_name(l->kind),
                 l->why ? l->why : "");
    assert_non_null(l->why);
}

static void assert_date(td_date d, const char *want)
{
    char buf[11];
    td_date_format(d, buf);
    assert_string_equal(buf, want);
}

static bool has(td_str hay, const char *needle)
{
    return td_str_find(hay, td_str_cstr(needle)) != (size_t)-1;
}

/* ---- a whole page ---- */

static const char page[] =
    "Skip to main content\n"
    "Menu\n"
    "World | Politics | Business\n"
    "\n"
    "Flood waters cut off three villages in northern Valdoria\n"
    "\n"
    "Rescue teams used boats to reach families stranded by the rising Orsk river\n"
    "By Marta Lindqvist\n"
    "Published: 14:03 GMT, 9 August 2018 | Updated: 16:40 GMT, 10 August 2018\n"
    "Share\n"
    "Tweet\n"
    "Residents wade through a flooded street in Karvik on Thursday. Photo: Jon Berg/Reuters\n"
    "\n"
    "KARVIK, Valdoria (Reuters) - Flood waters cut off three villages in northern Valdoria on Thursday after "
    "two days of heavy rain, and rescue teams used boats to reach stranded families, officials said.\n"
    "\n"
    "The Orsk river rose more than two metres overnight, the regional water authority said in a statement, "
    "and the main road to the coast was closed.\n"
    "\n"
    "\"We have never seen the water this high in August,\" said Petra Aalto, the mayor of Karvik, adding "
    "that the town hall had been turned into a shelter for about 300 people.\n"
    "\n"
    "No deaths have been reported, but two fishermen were missing, police said.\n"
    "\n"
    "Sign up for our morning newsletter\n"
    "\n"
    "Related Articles\n"
    "Valdoria braces for the wettest summer in decades\n"
    "Karvik mayor calls for new flood barriers\n"
    "\n"
    "\xc2\xa9 2018 Example News Group. All rights reserved.\n";

static void whole_page(void **state)
{
    fixture *fx = *state;
    td_article *a = clean_text(fx, page, "https://www.example-news.co.uk/world/2018/08/09/valdoria-floods", NULL);

    assert_str_view(a->title, "Flood waters cut off three villages in northern Valdoria");
    assert_str_view(a->subtitle, "Rescue teams used boats to reach families stranded by the rising Orsk river");
    assert_str_view(a->byline, "Marta Lindqvist");
    /* the copyright line names the site and agrees with the host */
    assert_str_view(a->outlet, "Example News");
    assert_str_view(a->dateline, "KARVIK, Valdoria");
    /* the "Published" line beats both "Updated" and the URL */
    assert_date(a->published, "2018-08-09");
    assert_string_equal(a->published_from, "date line");

    assert_kind(a, "Skip to main", TD_LINE_NAV);
    assert_kind(a, "Menu", TD_LINE_NAV);
    assert_kind(a, "Flood waters", TD_LINE_TITLE);
    assert_kind(a, "Rescue teams", TD_LINE_SUBTITLE);
    assert_kind(a, "By Marta", TD_LINE_BYLINE);
    assert_kind(a, "Published:", TD_LINE_DATE);
    assert_kind(a, "Share", TD_LINE_SHARE);
    assert_kind(a, "Tweet", TD_LINE_SHARE);
    assert_kind(a, "Residents wade", TD_LINE_CAPTION);
    assert_kind(a, "KARVIK", TD_LINE_BODY);
    assert_kind(a, "No deaths", TD_LINE_BODY);
    assert_kind(a, "Sign up", TD_LINE_PROMO);
    assert_kind(a, "Related Articles", TD_LINE_TAIL); /* after the newsletter header */
    assert_kind(a, "Valdoria braces", TD_LINE_TAIL);
    assert_kind(a, "Karvik mayor", TD_LINE_TAIL);
    assert_kind(a, "\xc2\xa9 2018", TD_LINE_TAIL);

    /* the body is the four paragraphs, whole, in order, and nothing else */
    assert_true(has(a->body, "KARVIK, Valdoria (Reuters) - Flood waters"));
    assert_true(has(a->body, "officials said.\n\nThe Orsk river"));
    assert_true(has(a->body, "two fishermen were missing, police said."));
    assert_false(has(a->body, "newsletter"));
    assert_false(has(a->body, "Related"));
    assert_false(has(a->body, "Photo:"));
    assert_false(has(a->body, "Skip"));
    assert_str_view(a->captions, "Residents wade through a flooded street in Karvik on Thursday. Photo: Jon Berg/Reuters");

    /* every line has a verdict and a reason */
    for (uint32_t i = 0; i < a->n_lines; i++) {
        assert_non_null(a->lines[i].why);
        assert_int_equal(a->lines[i].lineno, i + 1);
    }
}

/* ---- the site's name and the date order, from the page itself ---- */

/* A page saved without its URL: masthead, slogan, menu, then the story. */
static const char masthead_page[] =
    "THE LAKEWOOD CHRONICLE\n"
    "Straight talk from the valley since 1954\n"
    "News  Valley  Sport  Opinion\n"
    "\n"
    "Council approves new bridge over the Tamsin after two-year dispute\n"
    "\n"
    "By Oren Halvard\n"
    "Tuesday 04/03/2025\n"
    "\n"
    "LAKEWOOD \xe2\x80\x94 The town council voted 7-2 on Tuesday to build a new road bridge over the Tamsin "
    "river, ending a two-year dispute over the cost of the project, the mayor's office said.\n"
    "\n"
    "The bridge will replace a wooden crossing that was closed to trucks last spring after engineers found "
    "rot in two of its supports, forcing farmers into a 40-minute detour.\n"
    "\n"
    "Follow The Lakewood Chronicle on Facebook and X for updates.\n"
    "\n"
    "\xc2\xa9 2025 The Lakewood Chronicle. All rights reserved.\n";

static void site_name_from_page(void **state)
{
    fixture *fx = *state;
    td_article *a = clean_text(fx, masthead_page, NULL, NULL);
    /* printed in capitals at the top, spelt in mixed case in the footer */
    assert_str_view(a->outlet, "The Lakewood Chronicle");
    assert_str_view(a->title, "Council approves new bridge over the Tamsin after two-year dispute");
    assert_kind(a, "THE LAKEWOOD", TD_LINE_NAV);
    assert_kind(a, "Straight talk", TD_LINE_NAV); /* the slogan, between name and menu */
    assert_kind(a, "News  Valley", TD_LINE_NAV);  /* a menu row spaced with blanks */
    assert_kind(a, "Follow The Lakewood", TD_LINE_PROMO);
    assert_false(has(a->body, "Follow"));
    assert_true(has(a->body, "forcing farmers into a 40-minute detour."));
    /* "Tuesday" next to 04/03/2025: 4 March 2025 was a Tuesday, 3 April a Thursday */
    assert_date(a->published, "2025-03-04");

    /* "Name — slogan" on one line, confirmed by a photo credit and an
     * attribution; the slogan half is never the title */
    static const char p2[] =
        "Harwick Online \xe2\x80\x94 your town, every day\n"
        "Home | Local | Sport\n"
        "\n"
        "Harwick ferry service suspended as storm closes harbour\n"
        "\n"
        "Passengers wait at the quay on Monday. (Photo: Ana Ferreira/Harwick Online)\n"
        "\n"
        "HARWICK \xe2\x80\x93 The ferry service to the islands was suspended on Monday after gale-force winds "
        "closed the harbour, the port authority told Harwick Online.\n"
        "\n"
        "About 200 passengers spent the night in the terminal building, where volunteers handed out "
        "blankets and hot drinks.\n";
    a = clean_text(fx, p2, NULL, NULL);
    assert_str_view(a->outlet, "Harwick Online");
    assert_str_view(a->title, "Harwick ferry service suspended as storm closes harbour");
    assert_kind(a, "Harwick Online \xe2\x80\x94", TD_LINE_NAV);

    /* initials and name on one line: the copyright line picks the name */
    static const char p3[] =
        "NPA \xe2\x80\x94 Northport Press Agency\n"
        "\n"
        "Dock workers end three-day strike after pay deal\n"
        "\n"
        "Northport, 2 June 2025 (NPA)\n"
        "\n"
        "Northport, June 2 (NPA) \xe2\x80\x93 Dock workers in Northport returned to work on Monday after their "
        "union accepted a pay rise of six percent, ending a strike that had left dozens of ships waiting.\n"
        "\n"
        "All rights reserved \xc2\xa9 Northport Press Agency 2025\n";
    a = clean_text(fx, p3, NULL, NULL);
    assert_str_view(a->outlet, "Northport Press Agency");
    assert_str_view(a->title, "Dock workers end three-day strike after pay deal");
    /* a URL: the page's name still wins, its initials are the host */
    a = clean_text(fx, p3, "https://www.npa.example/en/2025/06/02/dock-strike", NULL);
    assert_str_view(a->outlet, "Northport Press Agency");

    /* nothing confirms a top line: no name is invented */
    static const char p4[] =
        "Breaking Valley\n"
        "\n"
        "Wildfire forces evacuation of hillside homes near Corran\n"
        "\n"
        "Firefighters ordered about 150 households to leave their homes on the hills above Corran on "
        "Sunday as a wildfire driven by strong winds spread towards the edge of the town.\n";
    a = clean_text(fx, p4, NULL, NULL);
    assert_int_equal(a->outlet.len, 0);
    assert_str_view(a->title, "Wildfire forces evacuation of hillside homes near Corran");

    /* the copyright name alone: used without a URL or when the host agrees,
     * not when it names someone else (a wire story on another site) */
    static const char p5[] =
        "Wildfire forces evacuation of hillside homes near Corran\n"
        "\n"
        "Firefighters ordered about 150 households to leave their homes on the hills above Corran on "
        "Sunday as a wildfire driven by strong winds spread towards the edge of the town.\n"
        "\n"
        "Copyright 2025 Coastline Wire Service Ltd. All rights reserved.\n";
    a = clean_text(fx, p5, NULL, NULL);
    assert_str_view(a->outlet, "Coastline Wire Service");
    a = clean_text(fx, p5, "https://www.corran-gazette.example/news/wildfire", NULL);
    assert_str_view(a->outlet, "corran-gazette.example");
}

static const char dmy_page_fmt[] =
    "Posted on %s by Desk\n"
    "\n"
    "Farmers block the coast road in protest at water rationing\n"
    "\n"
    "Hundreds of farmers drove tractors onto the coast road near Mellis on %s, blocking traffic for "
    "six hours in protest at new limits on irrigation water, police said.\n"
    "\n"
    "%s\n";

static td_article *dated(fixture *fx, char *buf, size_t cap, const char *date, const char *day, const char *tail,
                         const char *url)
{
    snprintf(buf, cap, dmy_page_fmt, date, day, tail);
    return clean_text(fx, buf, url, NULL);
}

static void numeric_date_order(void **state)
{
    fixture *fx = *state;
    char buf[1024];
    const char *plain = "The regional water board said the limits would stay in place until the autumn.";
    /* no evidence at all: month first */
    td_article *a = dated(fx, buf, sizeof buf, "04/03/2025", "the coast road", plain, NULL);
    assert_date(a->published, "2025-04-03");
    /* another date on the page with a part above 12 proves day first */
    a = dated(fx, buf, sizeof buf, "04/03/2025", "the coast road", "Earlier protest: 25/02/2025.", NULL);
    assert_date(a->published, "2025-03-04");
    /* ... or month first */
    a = dated(fx, buf, sizeof buf, "04/03/2025", "the coast road", "Earlier protest: 2/25/2025.", NULL);
    assert_date(a->published, "2025-04-03");
    /* a written-out date that agrees with one reading */
    a = dated(fx, buf, sizeof buf, "04/03/2025", "the coast road",
              "The limits took effect on 4 March, the board said.", NULL);
    assert_date(a->published, "2025-03-04");
    /* the host's country: .uk writes day first, .us month first */
    a = dated(fx, buf, sizeof buf, "04/03/2025", "the coast road", plain, "https://mellis-news.example.uk/farmers");
    assert_date(a->published, "2025-03-04");
    a = dated(fx, buf, sizeof buf, "04/03/2025", "Tuesday", plain, "https://mellis-news.example.us/farmers");
    assert_date(a->published, "2025-04-03");
    /* weekdays the text speaks of: 4 March 2025 was a Tuesday, so "on
     * Tuesday" and "Monday" are today and yesterday; 3 April was a Thursday */
    a = dated(fx, buf, sizeof buf, "04/03/2025", "Tuesday", "Talks with the board broke down on Monday.", NULL);
    assert_date(a->published, "2025-03-04");
    /* the same rule keeps month first when that reading is the recent one:
     * 6/2/2025 = Monday 2 June; "Sunday" is yesterday (6 February was a Thursday) */
    a = dated(fx, buf, sizeof buf, "6/2/2025", "Sunday", plain, NULL);
    assert_date(a->published, "2025-06-02");

    assert_int_equal(td_clean_outlet_convention(td_str_cstr("example.co.uk")), 1);
    assert_int_equal(td_clean_outlet_convention(td_str_cstr("example.us")), 0);
    assert_int_equal(td_clean_outlet_convention(td_str_cstr("example.com")), -1);
    assert_int_equal(td_clean_outlet_convention(td_str_cstr("Example Times")), -1);
}

static void head_and_contact_lines(void **state)
{
    fixture *fx = *state;
    static const char p[] =
        "Riverside Ledger\n"
        "Log in\n"
        "\n"
        "Mill town votes to reopen its old railway station\n"
        "\n"
        "Trains could stop in Brenmoor again by 2027.\n"
        "\n"
        "3/12/2025\n"
        "\n"
        "BRENMOOR \xe2\x80\x94 Residents of Brenmoor voted by a wide margin on Tuesday to back plans to reopen the "
        "railway station that closed in 1968, the town clerk said.\n"
        "\n"
        "Do you have a story? Write to desk@riverside-ledger.example\n"
        "\n"
        "Riverside Ledger \xc2\xa9 2025 | Imprint\n";
    td_article *a = clean_text(fx, p, NULL, NULL);
    assert_str_view(a->outlet, "Riverside Ledger");
    assert_str_view(a->title, "Mill town votes to reopen its old railway station");
    /* a one-sentence standfirst above the date line is the subtitle */
    assert_str_view(a->subtitle, "Trains could stop in Brenmoor again by 2027.");
    assert_kind(a, "3/12/2025", TD_LINE_DATE);
    assert_date(a->published, "2025-03-12");
    assert_kind(a, "Do you have a story?", TD_LINE_PROMO);
    assert_true(td_str_istarts(a->body, td_str_cstr("BRENMOOR")));
    assert_false(has(a->body, "Trains could stop"));
    assert_false(has(a->body, "desk@"));
}

/* ---- date sources ---- */

static void published_from_sources(void **state)
{
    fixture *fx = *state;
    const char *body = "Officials in the port city of Tarsen said on Monday that the new ferry line would open "
                       "next spring, after years of delays and two failed tenders.\n";
    char text[1024];

    /* the URL when nothing else dates the page */
    td_article *a = clean_text(fx, body, "http://example.org/news/2018/05/06/ferry-line", NULL);
    assert_date(a->published, "2018-05-06");
    assert_string_equal(a->published_from, "url");

    /* a given date wins over everything */
    td_arena_reset(&fx->arena);
    memset(&fx->a, 0, sizeof fx->a);
    fx->a.arena = &fx->arena;
    fx->a.text = td_str_cstr(body);
    fx->a.url = td_str_cstr("http://example.org/news/2018/05/06/ferry-line");
    fx->a.given_published = td_str_cstr("2018-05-04T09:00:00Z");
    assert_int_equal(td_clean_article(&fx->a, NULL), TD_OK);
    assert_date(fx->a.published, "2018-05-04");
    assert_string_equal(fx->a.published_from, "given");

    /* a wire dateline without a year takes the year of the URL, and wins over its day */
    snprintf(text, sizeof text, "Ferry line delayed again\n\nTARSEN, May 5 (Reuters) - %s", body);
    a = clean_text(fx, text, "http://example.org/news/2018/05/06/ferry-line", NULL);
    assert_date(a->published, "2018-05-05");
    assert_string_equal(a->published_from, "dateline");
    assert_str_view(a->dateline, "TARSEN");

    /* a date opening the first paragraph */
    snprintf(text, sizeof text, "Ferry line delayed again\nMay 06,2018 - %s", body);
    a = clean_text(fx, text, NULL, NULL);
    assert_date(a->published, "2018-05-06");
    assert_string_equal(a->published_from, "dateline");

    /* a date line under the headline, in several shapes */
    static const char *const lines[][2] = {
        { "Friday, February 24, 2017", "2017-02-24" },
        { "Updated 10:32 AM ET, Thu March 9, 2017", "2017-03-09" },
        { "Published: 14:03 GMT, 9 August 2018", "2018-08-09" },
        { "Posted on 6/7/2018 at 9:15 am", "2018-06-07" },
        { "Feb. 24, 2017", "2017-02-24" },
        { "24 February 2017, 10:54", "2017-02-24" },
        { "Last Updated: Aug 09 2018 19:26", "2018-08-09" },
        { "Updated: 00:00 GMT, Jan 1, 1970 | Published: 04:39 GMT, Oct 9, 2016", "2016-10-09" },
        { "2017-02-24T10:00Z", "2017-02-24" },
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        snprintf(text, sizeof text, "Ferry line delayed again\n%s\n\n%s", lines[i][0], body);
        a = clean_text(fx, text, NULL, NULL);
        char got[11];
        td_date_format(a->published, got);
        if (strcmp(got, lines[i][1]) != 0)
            fail_msg("\"%s\": expected %s, got %s", lines[i][0], lines[i][1], got);
        assert_string_equal(a->published_from, "date line");
        assert_kind(a, lines[i][0], TD_LINE_DATE);
    }

    /* day-first outlets read 6/7/2018 as 6 July */
    snprintf(text, sizeof text, "Ferry line delayed again\n6/7/2018\n\n%s", body);
    a = clean_text(fx, text, "https://www.example.co.uk/ferry", NULL);
    assert_date(a->published, "2018-07-06");

    /* the first date in the text as the last resort */
    a = clean_text(fx, "The council met on March 3, 2016 and approved the budget for the coming year, "
                       "members said after a long session.\n", NULL, NULL);
    assert_date(a->published, "2016-03-03");
    assert_string_equal(a->published_from, "text");
}

static void date_parser(void **state)
{
    (void)state;
    static const char *const ok[][2] = {
        { "24 February 2017", "2017-02-24" }, { "Feb. 24, 2017", "2017-02-24" },
        { "February 24,2017", "2017-02-24" }, { "May 06,2018", "2018-05-06" },
        { "Friday, February 24, 2017", "2017-02-24" }, { "2017-02-24", "2017-02-24" },
        { "2017-02-24T10:00Z", "2017-02-24" }, { "6/7/2018", "2018-06-07" },
        { "12th June 2019", "2019-06-12" }, { "Tuesday, May 12th, 2015", "2015-05-12" },
        { "10, Jun. 2019", "2019-06-10" }, { "Sept. 3, 2019", "2019-09-03" },
        { "Wed, Jun 12, 2019 8:08", "2019-06-12" }, { "February 2017", "2017-02" },
        { "29 February 2016", "2016-02-29" }, { "13/7/2018", "2018-07-13" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        td_date d;
        size_t used = 0;
        if (!td_date_parse(td_str_cstr(ok[i][0]), &d, &used))
            fail_msg("\"%s\" did not parse", ok[i][0]);
        char got[11];
        td_date_format(d, got);
        if (strcmp(got, ok[i][1]) != 0)
            fail_msg("\"%s\": expected %s, got %s", ok[i][0], ok[i][1], got);
        assert_true(used > 0 && used <= strlen(ok[i][0]));
    }
    static const char *const bad[] = { "", "may 2018", "30 February 2017", "2017-13-01", "Friday", "12May 2018",
                                       "March on", "45 June 2019", "June 12", "1/2/18" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        td_date d;
        if (td_date_parse(td_str_cstr(bad[i]), &d, NULL))
            fail_msg("\"%s\" should not parse", bad[i]);
    }
    td_date d;
    size_t used = 0;
    assert_true(td_date_parse_ex(td_str_cstr("6/7/2018"), TD_DATE_DMY, &d, &used));
    assert_date(d, "2018-07-06");
    assert_true(td_date_parse_ex(td_str_cstr("June 12 in the square"), TD_DATE_NO_YEAR, &d, &used));
    assert_int_equal(d.year, 0);
    assert_int_equal(d.month, 6);
    assert_int_equal(d.day, 12);
    size_t off = 0, len = 0;
    assert_true(td_date_find(td_str_cstr("Updated 10:32 AM ET, Thu March 9, 2017 by staff"), 0, &d, &off, &len));
    assert_date(d, "2017-03-09");
    assert_int_equal(off, 21);
    assert_int_equal(len, strlen("Thu March 9, 2017"));
    assert_false(td_date_find(td_str_cstr("No date here, only 2,000 people and 10:30."), 0, &d, NULL, NULL));

    td_date a = { 2018, 5, 6, TD_PREC_DAY }, b = { 2018, 5, 7, TD_PREC_DAY };
    assert_true(td_date_cmp(a, b) < 0);
    assert_true(td_date_cmp(b, a) > 0);
    assert_int_equal(td_date_cmp(a, a), 0);
    char buf[11];
    td_date none = { 0, 0, 0, TD_PREC_NONE };
    td_date_format(none, buf);
    assert_string_equal(buf, "");
}

static void url_dates(void **state)
{
    (void)state;
    static const char *const ok[][2] = {
        { "https://example.org/world/2018/05/06/some-story/", "2018-05-06" },
        { "https://example.org/2018-05-06-some-story", "2018-05-06" },
        { "https://example.org/world/la-fg-story-20180506-story.html", "2018-05-06" },
        { "http://example.com/news/2016/oct/09/story/", "2016-10-09" },
        { "https://example.com/2019/06/some-story/", "2019-06" },
        { "https://example.com/top/over-24-killed-20150513", "2015-05-13" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        td_date d;
        if (!td_date_from_url(td_str_cstr(ok[i][0]), &d))
            fail_msg("no date in %s", ok[i][0]);
        char got[11];
        td_date_format(d, got);
        if (strcmp(got, ok[i][1]) != 0)
            fail_msg("%s: expected %s, got %s", ok[i][0], ok[i][1], got);
    }
    static const char *const bad[] = { "https://example.com/news/story/106205", "http://example.com/?p=260622",
                                       "https://2018.example.com/about", "https://example.com/articles/12345678" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        td_date d;
        if (td_date_from_url(td_str_cstr(bad[i]), &d))
            fail_msg("%s should have no date", bad[i]);
    }
}

static void outlets(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 1024);
    static const char *const cases[][2] = {
        { "https://www.bbc.co.uk/news/world-123", "bbc.co.uk" },
        { "http://www.example.com/a/b", "example.com" },
        { "https://api.example.co.uk/world/x/", "example.co.uk" },
        { "https://english.example.jp/articles/923", "example.jp" },
        { "https://someblog.blogspot.com/2018/03/x.html", "someblog.blogspot.com" },
        { "https://EXAMPLE.com.pk:8080/print/1", "example.com.pk" },
        { "https://news.example.com.au/world", "example.com.au" },
        { "example.org/path", "example.org" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        td_str o = td_clean_outlet_from_url(&a, td_str_cstr(cases[i][0]));
        assert_str_view(o, cases[i][1]);
    }
    assert_null(td_clean_outlet_from_url(&a, td_str_make(NULL, 0)).p);
    assert_true(td_clean_outlet_dmy(td_str_cstr("example.co.uk")));
    assert_false(td_clean_outlet_dmy(td_str_cstr("example.com")));
    assert_false(td_clean_outlet_dmy(td_str_cstr("example.us")));
    td_arena_free(&a);
}

/* ---- template learning ---- */

typedef struct fake_store {
    uint64_t hashes[4];
    int n;
    int calls;
} fake_store;

static uint32_t fake_count(void *ud, td_str outlet, uint64_t h)
{
    fake_store *s = ud;
    s->calls++;
    assert_str_view(outlet, "example.net");
    for (int i = 0; i < s->n; i++)
        if (s->hashes[i] == h)
            return 7;
    return 0;
}

static void template_learning(void **state)
{
    fixture *fx = *state;
    static const char text[] =
        "The Harbour Ledger - your coast, your news\n"
        "Dock workers end strike in Merrow after pay deal\n"
        "Dock workers in Merrow returned to work on Tuesday after the union accepted a pay offer, ending a "
        "strike that had halted shipping for nine days.\n"
        "Union leader Ivo Kess said the deal was a fair compromise.\n"
        "Tips for this story? Write to the desk\n";
    fake_store st = { { 0 }, 0, 0 };
    st.hashes[st.n++] = td_clean_line_hash(td_str_cstr("The Harbour Ledger - your coast, your news"));
    /* the count normalises case, spacing and digits */
    st.hashes[st.n++] = td_clean_line_hash(td_str_cstr("tips for this story?  write to the desk"));
    td_clean_opts o = { fake_count, &st, 3 };

    td_article *a = clean_text(fx, text, "https://example.net/merrow-strike", &o);
    assert_true(st.calls > 0);
    assert_kind(a, "The Harbour Ledger", TD_LINE_TEMPLATE);
    assert_kind(a, "Tips for this story", TD_LINE_TEMPLATE);
    assert_str_view(a->title, "Dock workers end strike in Merrow after pay deal");
    assert_kind(a, "Union leader", TD_LINE_BODY);
    assert_false(has(a->body, "Tips"));

    /* without knowledge the same outlet line is not a template */
    a = clean_text(fx, text, "https://example.net/merrow-strike", NULL);
    assert_true(line_of(a, "The Harbour Ledger")->kind != TD_LINE_TEMPLATE);

    /* a higher threshold than the count: not a template */
    td_clean_opts strict = { fake_count, &st, 8 };
    a = clean_text(fx, text, "https://example.net/merrow-strike", &strict);
    assert_true(line_of(a, "Tips for this story")->kind != TD_LINE_TEMPLATE);

    /* which lines are candidates */
    td_line l = { td_str_cstr("Share this story"), 1, TD_LINE_SHARE, "cue" };
    assert_true(td_clean_template_candidate(&l));
    l.text = td_str_cstr("Dock workers in Merrow returned to work on Tuesday after the union accepted a pay offer.");
    l.kind = TD_LINE_BODY;
    assert_false(td_clean_template_candidate(&l));
    l.text = td_str_cstr("");
    l.kind = TD_LINE_EMPTY;
    assert_false(td_clean_template_candidate(&l));
    l.text = td_str_cstr("May 6, 2018");
    l.kind = TD_LINE_DATE;
    assert_false(td_clean_template_candidate(&l));

    assert_int_equal(td_clean_template_min(NULL), TD_CLEAN_TEMPLATE_MIN_DEFAULT);
    assert_int_equal(td_clean_template_min(&strict), 8);
    assert_true(td_clean_line_hash(td_str_cstr("5 Comments")) == td_clean_line_hash(td_str_cstr("12 comments")));
    assert_true(td_clean_line_hash(td_str_cstr("Share")) != td_clean_line_hash(td_str_cstr("Print")));
}

/* ---- structure ---- */

static void comments_and_captions(void **state)
{
    fixture *fx = *state;
    static const char text[] =
        "Mine rescue enters third day in Dalbora\n"
        "\n"
        "A rescue worker carries equipment at the entrance of the mine in Dalbora, Saturday, March 2, 2019.\n"
        "A rescue worker carries equipment at the entrance of the mine in Dalbora, Saturday, March 2, 2019. "
        "(AP Photo/Lena Voss)\n"
        "\n"
        "DALBORA \xe2\x80\x94 Rescuers drilled a second shaft on Sunday to reach eleven miners trapped since "
        "Friday in a coal mine in the hills above Dalbora, the mining company said.\n"
        "\n"
        "Oxygen was being pumped into the tunnels, and the men were believed to be alive, a spokesman said.\n"
        "\n"
        "Women walk to the mine gate in Dalbora. Jana Roe/AP\n"
        "\n"
        "Families have gathered at the gate since Friday night, waiting for news.\n"
        "\n"
        "3 Comments\n"
        "\n"
        "Praying for the miners and their families, this is terrible news from home.\n"
        "I worked in that mine for years and the safety record was always poor there.\n";
    td_article *a = clean_text(fx, text, NULL, NULL);
    assert_kind(a, "A rescue worker", TD_LINE_CAPTION);
    assert_kind(a, "Women walk", TD_LINE_CAPTION);
    assert_kind(a, "Families have", TD_LINE_BODY);
    assert_kind(a, "3 Comments", TD_LINE_COMMENTS);
    assert_kind(a, "Praying for", TD_LINE_TAIL);
    assert_kind(a, "I worked", TD_LINE_TAIL);
    assert_str_view(a->dateline, "DALBORA");
    assert_true(has(a->captions, "(AP Photo/Lena Voss)"));
    assert_true(has(a->captions, "Jana Roe/AP"));
    assert_false(has(a->body, "Praying"));
    assert_false(has(a->body, "AP Photo"));
    assert_true(has(a->body, "waiting for news."));
    /* with no other source, the date of the photo dates the story */
    assert_int_equal(a->published.prec, TD_PREC_DAY);
    assert_date(a->published, "2019-03-02");
}

static void wire_signoff_stays(void **state)
{
    fixture *fx = *state;
    static const char text[] =
        "Port strike ends in Velo\n"
        "VELO, Norland (AP) \xe2\x80\x94 Port workers in Velo ended a week-long strike on Monday after the "
        "operator agreed to hire forty more crane drivers, the union said.\n"
        "Ships that had waited offshore began to unload by the afternoon, port officials said. \xe2\x80\x94 AFP\n";
    td_article *a = clean_text(fx, text, NULL, NULL);
    assert_kind(a, "Ships that", TD_LINE_BODY);
    assert_str_view(a->dateline, "VELO, Norland");
    assert_true(has(a->body, "port officials said."));
}

static void edge_cases(void **state)
{
    fixture *fx = *state;
    td_article *a = clean_text(fx, "", NULL, NULL);
    assert_int_equal(a->n_lines, 0);
    assert_int_equal(a->body.len, 0);
    assert_null(a->title.p);
    assert_int_equal(a->published.prec, TD_PREC_NONE);
    assert_null(a->published_from);

    a = clean_text(fx, "One line of news about the weather in Osterby, where it rained all day.", NULL, NULL);
    assert_int_equal(a->n_lines, 1);
    assert_str_view(a->body, "One line of news about the weather in Osterby, where it rained all day.");

    a = clean_text(fx, "Skip to main content\nMenu\nShare\nTweet\nSubscribe\nAdvertisement\n\xc2\xa9 2020 Example Media\n",
                   NULL, NULL);
    assert_int_equal(a->body.len, 0);
    for (uint32_t i = 0; i < a->n_lines; i++)
        assert_true(a->lines[i].kind != TD_LINE_BODY);

    /* a NULL text is an empty one; bad arguments are refused */
    memset(&fx->a, 0, sizeof fx->a);
    fx->a.arena = &fx->arena;
    assert_int_equal(td_clean_article(&fx->a, NULL), TD_OK);
    assert_int_equal(td_clean_article(NULL, NULL), TD_EINVAL);
    td_article bare;
    memset(&bare, 0, sizeof bare);
    assert_int_equal(td_clean_article(&bare, NULL), TD_EINVAL);

    assert_string_equal(td_line_kind_name(TD_LINE_CAPTION), "caption");
    assert_string_equal(td_line_kind_name(TD_LINE_BODY), "body");
    assert_string_equal(td_line_kind_name(TD_LINE_KIND_COUNT), "unknown");
}

static void out_of_memory(void **state)
{
    (void)state;
    /* every allocation point of the stage, one after the other */
    for (long n = 0; n < 40; n++) {
        td_arena ar;
        td_arena_init(&ar, 64);
        td_article a;
        memset(&a, 0, sizeof a);
        a.arena = &ar;
        a.text = td_str_cstr(page);
        a.url = td_str_cstr("https://www.example.org/2018/08/09/x");
        td_alloc_fail_after(n);
        td_status st = td_clean_article(&a, NULL);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        if (st == TD_OK)
            assert_true(has(a.body, "two fishermen"));
        td_arena_free(&ar);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(whole_page, setup, teardown),
        cmocka_unit_test_setup_teardown(published_from_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(site_name_from_page, setup, teardown),
        cmocka_unit_test_setup_teardown(numeric_date_order, setup, teardown),
        cmocka_unit_test_setup_teardown(head_and_contact_lines, setup, teardown),
        cmocka_unit_test(date_parser),
        cmocka_unit_test(url_dates),
        cmocka_unit_test(outlets),
        cmocka_unit_test_setup_teardown(template_learning, setup, teardown),
        cmocka_unit_test_setup_teardown(comments_and_captions, setup, teardown),
        cmocka_unit_test_setup_teardown(wire_signoff_stays, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_cases, setup, teardown),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests_name("clean", tests, NULL, NULL);
}
