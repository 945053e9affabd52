/* test_html.c - HTML sniffing, gunzip, charsets and main-content extraction
 * (src/read/html.c, src/clean/html_*.c) on fictional pages in
 * tests/fixtures/html. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "clean/html_charset.h"
#include "clean/html_extract.h"
#include "clean/html_int.h"
#include "read/html.h"

/* Reads tests/fixtures/html/<name> (located from this file's path, so the
 * suite runs from any directory) into a heap buffer. */
static char *load(const char *name, size_t *len)
{
    char path[1024];
    const char *self = __FILE__;
    const char *cut = strstr(self, "unit/test_html.c");
    snprintf(path, sizeof path, "%.*sfixtures/html/%s", cut ? (int)(cut - self) : 0, self, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(path, sizeof path, "tests/fixtures/html/%s", name);
        f = fopen(path, "rb");
    }
    if (!f)
        fail_msg("cannot open fixture %s", name);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static bool has(td_str s, const char *z) { return td_str_find(s, td_str_cstr(z)) != (size_t)-1; }

/* Extracts a fixture with a fresh arena; the caller frees the arena. */
static void extract_fixture(td_arena *a, const char *name, const char *url, td_html_doc *d)
{
    size_t n;
    char *b = load(name, &n);
    td_arena_init(a, 4096);
    assert_int_equal(td_html_extract(a, td_str_make(b, n), td_str_cstr(url), d), TD_OK);
    free(b);
}

static void sniff_recognises_html(void **state)
{
    (void)state;
    assert_true(td_html_sniff(TD_STR_LIT("<!DOCTYPE html><html><body>x</body></html>")));
    assert_true(td_html_sniff(TD_STR_LIT("\xEF\xBB\xBF  \n<html lang=\"en\">")));
    assert_true(td_html_sniff(TD_STR_LIT("<!-- generated --><HEAD><TITLE>x</TITLE>")));
    assert_true(td_html_sniff(TD_STR_LIT("<div class=\"story\"><p>text</p></div>")));
    assert_true(td_html_sniff(TD_STR_LIT("\xFF\xFE<\0h\0t\0m\0l\0>\0")));
    assert_false(td_html_sniff(TD_STR_LIT("Floods hit the coast. <div> is a tag name.")));
    assert_false(td_html_sniff(TD_STR_LIT("{\"id\":\"a1\",\"text\":\"<html>\"}")));
    assert_false(td_html_sniff(TD_STR_LIT("<p>only a fragment</p>")));
    assert_false(td_html_sniff(TD_STR_LIT("")));
    assert_false(td_html_sniff((td_str){ NULL, 0 }));
}

static void full_page_keeps_article_only(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    extract_fixture(&a, "article.html", "", &d);
    /* title: og:title minus " | site" */
    assert_str_view(d.title, "Floodwaters recede in Port Ellory as river falls");
    assert_str_view(d.published, "2023-04-12");
    assert_str_view(d.byline, "Mara Quillon");
    assert_str_view(d.outlet, "The Harbour Courier");
    assert_str_view(d.canonical_url, "https://courier.example/news/2023/04/12/port-ellory-floods");
    assert_str_view(d.lang, "en-GB");
    /* the body starts with the first paragraph, entity decoded */
    assert_true(td_str_istarts(d.body, TD_STR_LIT("PORT ELLORY \xE2\x80\x94 Residents of Port Ellory")));
    assert_true(has(d.body, "Forecasters expect dry weather"));
    /* subheading, list items and the quote are paragraphs of their own */
    assert_true(has(d.body, "\n\nClean-up begins\n\n"));
    assert_true(has(d.body, "\n\nSchools in the lower town will stay closed until Monday.\n\n"));
    assert_true(has(d.body, "\n\nDrinking water should be boiled until further notice.\n\n"));
    assert_true(has(d.body, "\n\n\xE2\x80\x9CWe have never seen the water this high"));
    /* furniture gone */
    const char *gone[] = { "cookies", "Sport", "Share on", "Advertisement", "Storm warnings", "Related",
                           "comments", "disgrace", "Sign up", "All rights reserved", "do not extract",
                           "By Mara", "display:none" };
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        if (has(d.body, gone[i]))
            fail_msg("body still holds \"%s\"", gone[i]);
    /* the h1 is the title, not the body */
    assert_false(td_str_istarts(d.body, TD_STR_LIT("Floodwaters")));
    /* whitespace normalised: no double spaces, no tabs, no stray newlines */
    assert_false(has(d.body, "  "));
    assert_false(has(d.body, "\t"));
    assert_false(has(d.body, "\n\n\n"));
    td_arena_free(&a);
}

static void dates_from_meta_time_and_url(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    extract_fixture(&a, "meta_date.html", "", &d);
    assert_str_view(d.published, "2022-11-03");
    assert_str_view(d.byline, "Oren Vastel");
    /* no og:title: the h1 is used */
    assert_str_view(d.title, "Varneth council delays vote on ferry contract");
    assert_true(td_str_istarts(d.body, TD_STR_LIT("The Varneth town council on Thursday")));
    td_arena_free(&a);

    extract_fixture(&a, "time_date.html", "", &d);
    assert_str_view(d.published, "2021-06-30");
    assert_false(has(d.body, "Published"));
    td_arena_free(&a);

    extract_fixture(&a, "nodate.html", "https://news.example/region/2020/02/29/bridge-reopens", &d);
    assert_str_view(d.published, "2020-02-29");
    assert_str_view(d.title, "Bridge over the Ostra reopens after repairs");
    td_arena_free(&a);

    extract_fixture(&a, "nodate.html", "https://news.example/region/bridge-reopens-20190708.html", &d);
    assert_str_view(d.published, "2019-07-08");
    td_arena_free(&a);

    extract_fixture(&a, "nodate.html", "", &d);
    assert_str_view(d.published, "");
    td_arena_free(&a);
}

static void date_parser_forms(void **state)
{
    (void)state;
    char d[11];
    assert_true(td_html_parse_date(TD_STR_LIT("2019-11-19T07:23:12+01:00"), d));
    assert_string_equal(d, "2019-11-19");
    assert_true(td_html_parse_date(TD_STR_LIT("2019/01/05"), d));
    assert_string_equal(d, "2019-01-05");
    assert_true(td_html_parse_date(TD_STR_LIT("20180704"), d));
    assert_string_equal(d, "2018-07-04");
    assert_true(td_html_parse_date(TD_STR_LIT("Tue, 19 Nov 2019 10:00:00 GMT"), d));
    assert_string_equal(d, "2019-11-19");
    assert_true(td_html_parse_date(TD_STR_LIT("November 3, 2020"), d));
    assert_string_equal(d, "2020-11-03");
    assert_true(td_html_parse_date(TD_STR_LIT("Sept 21st, 2017"), d));
    assert_string_equal(d, "2017-09-21");
    assert_false(td_html_parse_date(TD_STR_LIT("2019-02-30"), d));
    assert_false(td_html_parse_date(TD_STR_LIT("yesterday"), d));
    assert_false(td_html_parse_date(TD_STR_LIT("201911191200"), d));
    assert_false(td_html_url_date(TD_STR_LIT("https://2019.example/a/b"), d));
    assert_false(td_html_url_date(TD_STR_LIT("https://x.example/story/12345678901"), d));
}

static void title_loses_site_name(void **state)
{
    (void)state;
    assert_str_view(td_html_strip_site(TD_STR_LIT("Dam opens - Valley News"), TD_STR_LIT("Valley News"), false),
                    "Dam opens");
    assert_str_view(td_html_strip_site(TD_STR_LIT("Valley News | Dam opens in the north"), TD_STR_LIT("Valley News"), false),
                    "Dam opens in the north");
    /* without a known site, only a <title> loses a short last part */
    assert_str_view(td_html_strip_site(TD_STR_LIT("Dam opens after ten years of work | Valley News"), TD_STR_LIT(""), true),
                    "Dam opens after ten years of work");
    assert_str_view(td_html_strip_site(TD_STR_LIT("Coach resigns - and nobody is surprised"), TD_STR_LIT(""), false),
                    "Coach resigns - and nobody is surprised");
}

static void charsets_become_utf8(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    extract_fixture(&a, "cp1252.html", "", &d);
    assert_str_view(d.title, "Caf\xC3\xA9 owners in Belmar protest new tax");
    assert_true(has(d.body, "\xE2\x80\x9CWe cannot pay more this year,\xE2\x80\x9D said Ren\xC3\xA9" "e Marchetti"));
    assert_true(has(d.body, "station \xE2\x80\x94 one of about sixty"));
    td_arena_free(&a);

    /* BOM says UTF-8 and wins over the <meta> that says windows-1252 */
    extract_fixture(&a, "bom.html", "", &d);
    assert_true(has(d.body, "J\xC3\xB6rg Aaltonen"));
    assert_true(td_str_istarts(d.body, TD_STR_LIT("Fruit growers")));
    td_arena_free(&a);

    td_arena_init(&a, 1024);
    td_str out;
    uint32_t bad = 9;
    assert_str_view(td_html_charset(TD_STR_LIT("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\">")),
                    "ISO-8859-2");
    assert_str_view(td_html_charset(TD_STR_LIT("<script charset=\"utf-8\"></script><p>charset=koi8-r</p>")), "");
    /* invalid UTF-8 in a UTF-8 page: one U+FFFD per bad byte */
    assert_int_equal(td_html_to_utf8(&a, TD_STR_LIT("<meta charset=utf-8><p>a\xFF" "b\xC3</p>"), &out, &bad), TD_OK);
    assert_str_view(out, "<meta charset=utf-8><p>a\xEF\xBF\xBD" "b\xEF\xBF\xBD</p>");
    assert_int_equal(bad, 2);
    /* undeclared and not UTF-8: windows-1252 */
    assert_int_equal(td_html_to_utf8(&a, TD_STR_LIT("<p>na\xEFve \x93quote\x94</p>"), &out, &bad), TD_OK);
    assert_str_view(out, "<p>na\xC3\xAFve \xE2\x80\x9Cquote\xE2\x80\x9D</p>");
    assert_int_equal(bad, 0);
    /* ISO-8859-2 through iconv */
    assert_int_equal(td_html_to_utf8(&a, TD_STR_LIT("<meta charset=iso-8859-2><p>\xB3\xF3\x64\xBC</p>"), &out, NULL), TD_OK);
    assert_true(has(out, "<p>\xC5\x82\xC3\xB3" "d\xC5\xBA</p>"));
    td_arena_free(&a);
}

static void broken_markup_is_recovered(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    extract_fixture(&a, "broken.html", "", &d);
    assert_str_view(d.title, "Storm knocks out power in Lisvane");
    assert_true(td_str_istarts(d.body, TD_STR_LIT("A storm with winds of up to 120 kilometres")));
    assert_true(has(d.body, "by Thursday, it added.\n\n"));
    assert_true(has(d.body, "Several trees fell onto the railway line"));
    td_arena_free(&a);

    /* truncated in the middle of a tag and an attribute */
    td_arena_init(&a, 1024);
    const char *cut = "<html><body><div><p>Ferry services between Orm and Tass resumed on Sunday after the gales, the operator said.</p><p class=\"x";
    assert_int_equal(td_html_extract(&a, td_str_cstr(cut), TD_STR_LIT(""), &d), TD_OK);
    assert_true(td_str_istarts(d.body, TD_STR_LIT("Ferry services between Orm and Tass")));
    td_arena_free(&a);
}

static void table_layout_with_br_paragraphs(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    extract_fixture(&a, "oldstyle.html", "", &d);
    assert_str_view(d.title, "Harvest festival returns to Brenmoor");
    /* the bold headline is not repeated, <br><br> splits paragraphs, the
     * menu cell and the copyright line stay out */
    assert_true(td_str_istarts(d.body, TD_STR_LIT("The harvest festival returned to Brenmoor on Saturday")));
    assert_true(has(d.body, "organisers said.\n\nStalls sold cider"));
    assert_true(has(d.body, "\n\n\"It is wonderful to see the green full again,\" said"));
    assert_false(has(d.body, "Archive"));
    assert_false(has(d.body, "Copyright"));
    td_arena_free(&a);
}

static void inline_spacing_is_kept(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    td_arena_init(&a, 1024);
    const char *page =
        "<html><body><div class=\"story\"><p><b>Harbour</b> <i>workers</i> <a href=\"/x\">in Tolm</a> went on strike on"
        " Monday,<br>their union said.</p><div><span>The</span> <span>strike</span> <em>is</em> <strong>the</strong>"
        " <code>first</code> in <q>ten</q> years, officials in the port city of Tolm said on Monday.</div>"
        "<ul><li><a href=\"/a\">Ships</a> <b>wait</b> offshore.</li></ul></div></body></html>";
    assert_int_equal(td_html_extract(&a, td_str_cstr(page), TD_STR_LIT(""), &d), TD_OK);
    assert_str_view(d.body, "Harbour workers in Tolm went on strike on Monday,\ntheir union said.\n\n"
                            "The strike is the first in ten years, officials in the port city of Tolm said on Monday.\n\n"
                            "Ships wait offshore.");
    td_arena_free(&a);
}

/* Attributes the walk never reads are dropped before parsing; the ones it
 * reads, raw text that merely looks like tags, and odd quoting must come
 * through as libxml2 would see them. */
static void unread_attributes_do_not_matter(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    td_arena_init(&a, 1024);
    const char *page =
        "<html lang='en-GB' data-theme=\"dark\"><head><title>Mill <b class=x> reopens in Kestle - Vale Post</title>"
        "<link rel=\"canonical\" data-x='1' href=\"https://valepost.example/kestle-mill\">"
        "<meta data-n=2 property=\"og:site_name\" content=\"Vale Post\">"
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-06-02\","
        "\"articleBody\":\"<p data-a=\\\"1\\\">In the JSON</p>\"}</script></head>"
        "<body onload=\"go('>')\"><nav data-role=\"article\" class=\"menu\"><a href=/home>Home</a> <a href=/news>News</a></nav>"
        "<div data-track='{\"a\":\"<div class=menu>\"}' class=\"story-body\" data-x=\"a > b\">"
        "<p data-id=\"p1\" style=\"color:red\">KESTLE, June 2 - The old mill in Kestle reopened on Monday after two"
        " years of repairs, the town council said.</p>"
        "<p srcset=\"a.jpg 1x, b.jpg 2x\" id=\"p2\">Volunteers rebuilt the water wheel, which now grinds flour for"
        " three bakeries in the valley, council officials said.</p>"
        "<p hidden data-x=1>Hidden teaser text that should not appear.</p>"
        "<img src=\"/m.jpg\" alt=\"mill\"/><p><time datetime=\"2025-06-02T08:00:00Z\" data-t=x>June 2</time></p>"
        "</div><div class=\"related\" data-y='z'><a href=\"/other\">More from the valley</a></div>"
        "<p class=\"x\" data-cut=\"never closed";
    assert_int_equal(td_html_extract(&a, td_str_cstr(page), TD_STR_LIT(""), &d), TD_OK);
    assert_true(td_str_istarts(d.body, TD_STR_LIT("KESTLE, June 2 - The old mill in Kestle reopened on Monday")));
    assert_true(has(d.body, "said.\n\nVolunteers rebuilt the water wheel"));
    assert_false(has(d.body, "Hidden teaser"));        /* hidden is read, so kept */
    assert_false(has(d.body, "Home"));                 /* class=menu on <nav> still judged */
    assert_false(has(d.body, "More from the valley")); /* class=related */
    assert_str_view(d.title, "Mill reopens in Kestle"); /* libxml2 reads the <b> in <title> as markup */
    assert_str_view(d.canonical_url, "https://valepost.example/kestle-mill");
    assert_str_view(d.outlet, "Vale Post");
    assert_str_view(d.published, "2025-06-02");
    assert_str_view(d.lang, "en-GB");
    td_arena_free(&a);
}

static void empty_pages_give_empty_docs(void **state)
{
    (void)state;
    td_arena a;
    td_html_doc d;
    td_arena_init(&a, 1024);
    const char *pages[] = { "", "   \n", "<html><body></body></html>", "<html><head><title></title></head></html>",
                            "<html><body><script>x()</script><nav><a href=/>Home</a></nav></body></html>" };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        memset(&d, 0x55, sizeof d);
        assert_int_equal(td_html_extract(&a, td_str_cstr(pages[i]), TD_STR_LIT(""), &d), TD_OK);
        assert_int_equal(d.body.len, 0);
        assert_non_null(d.body.p);
        assert_int_equal(d.published.len, 0);
    }
    assert_int_equal(td_html_extract(NULL, TD_STR_LIT("<p>x</p>"), TD_STR_LIT(""), &d), TD_EINVAL);
    assert_int_equal(td_html_extract(&a, TD_STR_LIT("<p>x</p>"), TD_STR_LIT(""), NULL), TD_EINVAL);
    td_arena_free(&a);
}

static void gzip_pages_are_inflated(void **state)
{
    (void)state;
    size_t n, m;
    char *gz = load("article.html.gz", &n);
    char *plain = load("article.html", &m);
    td_arena a;
    td_arena_init(&a, 4096);
    assert_true(td_html_is_gzip(td_str_make(gz, n)));
    assert_false(td_html_sniff(td_str_make(gz, n)));
    td_str out;
    assert_int_equal(td_html_gunzip(&a, td_str_make(gz, n), 0, &out), TD_OK);
    assert_int_equal(out.len, m);
    assert_memory_equal(out.p, plain, m);
    assert_true(td_html_sniff(out));
    /* limits and corruption */
    assert_int_equal(td_html_gunzip(&a, td_str_make(gz, n), 100, &out), TD_ELIMIT);
    assert_int_equal(td_html_gunzip(&a, td_str_make(gz, n / 2), 0, &out), TD_EPARSE);
    assert_int_equal(td_html_gunzip(&a, td_str_make(plain, m), 0, &out), TD_EINVAL);
    /* the extractor takes gzip directly */
    td_html_doc d;
    assert_int_equal(td_html_extract(&a, td_str_make(gz, n), TD_STR_LIT(""), &d), TD_OK);
    assert_str_view(d.title, "Floodwaters recede in Port Ellory as river falls");
    assert_true(has(d.body, "Forecasters expect dry weather"));
    /* two concatenated members inflate to both texts */
    char *two = malloc(2 * n);
    memcpy(two, gz, n);
    memcpy(two + n, gz, n);
    assert_int_equal(td_html_gunzip(&a, td_str_make(two, 2 * n), 0, &out), TD_OK);
    assert_int_equal(out.len, 2 * m);
    free(two);
    td_arena_free(&a);
    free(gz);
    free(plain);
}

static void survives_allocation_failures(void **state)
{
    (void)state;
    size_t n;
    char *b = load("article.html", &n);
    bool ok_seen = false;
    for (long k = 0; k < 400 && !ok_seen; k++) {
        td_arena a;
        td_arena_init(&a, 512);
        td_html_doc d;
        td_alloc_fail_after(k);
        td_status st = td_html_extract(&a, td_str_make(b, n), TD_STR_LIT(""), &d);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        if (st == TD_OK && !a.failed) {
            ok_seen = true;
            assert_true(has(d.body, "Forecasters expect dry weather"));
        }
        td_arena_free(&a);
    }
    assert_true(ok_seen);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sniff_recognises_html),
        cmocka_unit_test(full_page_keeps_article_only),
        cmocka_unit_test(dates_from_meta_time_and_url),
        cmocka_unit_test(date_parser_forms),
        cmocka_unit_test(title_loses_site_name),
        cmocka_unit_test(charsets_become_utf8),
        cmocka_unit_test(broken_markup_is_recovered),
        cmocka_unit_test(table_layout_with_br_paragraphs),
        cmocka_unit_test(inline_spacing_is_kept),
        cmocka_unit_test(unread_attributes_do_not_matter),
        cmocka_unit_test(empty_pages_give_empty_docs),
        cmocka_unit_test(gzip_pages_are_inflated),
        cmocka_unit_test(survives_allocation_failures),
    };
    return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
