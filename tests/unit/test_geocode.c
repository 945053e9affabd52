/* test_geocode.c - place mentions to gazetteer records (src/extract/geocode.c):
 * homonyms by the article's country and dateline, division words, "near",
 * skeleton spellings inside the article's country, precision levels; then,
 * when the real gazetteer is built (build/data/places.bin or $TIDINGS_DATA), a
 * regression list of general real-world place names. */
#include "test_util.h"

#include <math.h>
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

/* The place record of the first place mention with surface z in text. */
static bool place_of(const td_entity_models *md, const char *text, const char *dateline,
                     const char *z, td_place *p, uint8_t *precision, char country[3])
{
    td_arena a;
    td_entities e;
    td_arena_init(&a, 1 << 16);
    bool found = false;
    if (td_entities_extract(md, td_str_cstr(text), NULL, 0, td_str_cstr(dateline), &a, &e) == TD_OK) {
        if (country)
            memcpy(country, e.country, 3);
        for (uint32_t i = 0; i < e.n && !found; i++) {
            const td_mention *m = &e.m[i];
            if (m->type == TD_ENT_PLACE && m->place >= 0 && td_str_eq(m->surface, td_str_cstr(z))) {
                td_gazetteer_place(md->gaz, (uint32_t)m->place, p);
                if (precision)
                    *precision = m->precision;
                found = true;
            }
        }
    }
    td_arena_free(&a);
    return found;
}

static void homonyms_follow_the_article(void **state)
{
    td_place p;
    char cc[3];
    assert_true(place_of(*state, "Troops of Norvania moved from Velmoor to Springhill on Friday.",
                         "", "Springhill", &p, NULL, cc));
    assert_int_equal(p.geonameid, 9000004);
    assert_string_equal(cc, "XA");
    assert_true(place_of(*state, "Flooding cut the road to Springhill, officials in Ostrelia said.",
                         "", "Springhill", &p, NULL, NULL));
    assert_int_equal(p.geonameid, 9000005);
    /* the dateline alone decides */
    assert_true(place_of(*state, "Shops reopened in Springhill on Monday.", "VELMOOR, Norvania",
                         "Springhill", &p, NULL, cc));
    assert_int_equal(p.geonameid, 9000004);
    assert_string_equal(cc, "XA");
    assert_true(place_of(*state, "Shops reopened in Springhill on Monday.", "PORT LUNEN",
                         "Springhill", &p, NULL, NULL));
    assert_int_equal(p.geonameid, 9000005);
}

static void precision_levels(void **state)
{
    td_place p;
    uint8_t prec;
    assert_true(place_of(*state, "Clashes spread across Deir al-Kassab province on Sunday.", "",
                         "Deir al-Kassab", &p, &prec, NULL));
    assert_int_equal(p.kind, TD_PLACE_ADMIN1);
    assert_int_equal(prec, TD_GEO_REGION);
    assert_true(place_of(*state, "A car bomb exploded in Deir al-Kassab on Sunday.", "",
                         "Deir al-Kassab", &p, &prec, NULL));
    assert_int_equal(p.geonameid, 9000002);
    assert_int_equal(prec, TD_GEO_EXACT);
    assert_true(place_of(*state, "Shells fell near Tell Ammar in Norvania overnight.", "",
                         "Tell Ammar", &p, &prec, NULL));
    assert_int_equal(prec, TD_GEO_NEAR);
    assert_true(place_of(*state, "Aid reached Norvania on Tuesday.", "", "Norvania", &p, &prec, NULL));
    assert_int_equal(p.kind, TD_PLACE_COUNTRY);
    assert_int_equal(prec, TD_GEO_REGION);
}

static void unknown_spellings_inside_the_country(void **state)
{
    td_place p;
    assert_true(place_of(*state, "Norvanian troops entered Velmoor and then fought in Tel Amar.",
                         "", "Tel Amar", &p, NULL, NULL));
    assert_int_equal(p.geonameid, 9000003);
    /* no country evidence: no guess */
    assert_false(place_of(*state, "They fought in Tel Amar.", "", "Tel Amar", &p, NULL, NULL));
}

/* ---- the real gazetteer ---- */

static void real_places(void **state)
{
    (void)state;
    const char *dir = getenv("TIDINGS_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/places.bin", dir && *dir ? dir : "build/data");
    td_entity_models *md = calloc(1, sizeof *md);
    char lex[1024];
    if (!md || td_gazetteer_load(path, &md->gaz, NULL) != TD_OK) {
        free(md);
        print_message("no %s: run scripts/build-gazetteer build/data\n", path);
        skip();
    }
    assert_int_equal(td_lexicon_load(fx_path(lex, sizeof lex, "../../../data/lexicons"), &md->lex,
                                     NULL),
                     TD_OK);
    /* name as written, country sentence, expected country, lat, lon (0,0: any) */
    static const struct {
        const char *name, *text, *cc;
        double lat, lon;
    } cases[] = {
        { "Albu Kamal", "Jets struck Albu Kamal in eastern Syria.", "SY", 34.45, 40.92 },
        { "Deir ez-Zor", "Fighting went on in Deir ez-Zor, Syria.", "SY", 35.34, 40.14 },
        { "Deir Ezzor", "Fighting went on in Deir Ezzor, Syria.", "SY", 35.34, 40.14 },
        { "Hasakah", "Families fled to Hasakah in Syria.", "SY", 36.50, 40.75 },
        { "Aleppo", "Shells hit Aleppo, Syria.", "SY", 36.20, 37.16 },
        { "Mosul", "Iraqi forces entered Mosul.", "IQ", 36.34, 43.13 },
        { "Baghdad", "A bomb went off in Baghdad, Iraq.", "IQ", 33.34, 44.40 },
        { "Sanaa", "Air strikes hit Sanaa, Yemen.", "YE", 15.35, 44.21 },
        { "Hodeidah", "Ships docked at Hodeidah, Yemen.", "YE", 14.80, 42.95 },
        { "Saada", "A market was hit in Saada, Yemen.", "YE", 16.94, 43.76 },
        { "Jizan", "A missile fell near Jizan in Saudi Arabia.", "SA", 16.89, 42.55 },
        { "Dapchi", "Gunmen raided a school in Dapchi, Nigeria.", "NG", 12.50, 11.50 },
        { "Abuja", "Officials met in Abuja, Nigeria.", "NG", 9.06, 7.50 },
        { "Maiduguri", "Rockets hit Maiduguri in Nigeria.", "NG", 11.85, 13.16 },
        { "Kathmandu", "Buildings fell in Kathmandu, Nepal.", "NP", 27.70, 85.32 },
        { "Namche Bazaar", "Climbers waited in Namche Bazaar, Nepal.", "NP", 27.81, 86.71 },
        { "Hong Kong", "Protesters marched in Hong Kong.", "HK", 22.28, 114.17 },
        { "Kabul", "A blast shook Kabul, Afghanistan.", "AF", 34.53, 69.17 },
        { "Mogadishu", "Gunfire was heard in Mogadishu, Somalia.", "SO", 2.04, 45.34 },
        { "Syria", "Jets crossed into Syria.", "SY", 0, 0 },
        { "Nepal", "Aid flew to Nepal.", "NP", 0, 0 },
        { "Yemen", "The war in Yemen went on.", "YE", 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        td_place p;
        if (!place_of(md, cases[i].text, "", cases[i].name, &p, NULL, NULL))
            fail_msg("%s: not geocoded", cases[i].name);
        if (strcmp(p.country, cases[i].cc) != 0)
            fail_msg("%s: %s in %s, want %s", cases[i].name, p.name, p.country, cases[i].cc);
        if (cases[i].lat != 0 && (fabs(p.lat - cases[i].lat) > 0.3 || fabs(p.lon - cases[i].lon) > 0.3))
            fail_msg("%s: at %.2f,%.2f", cases[i].name, p.lat, p.lon);
    }
    td_lexicon_free(md->lex);
    td_gazetteer_free(md->gaz);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(homonyms_follow_the_article),
        cmocka_unit_test(precision_levels),
        cmocka_unit_test(unknown_spellings_inside_the_country),
        cmocka_unit_test(real_places),
    };
    return cmocka_run_group_tests_name("geocode", tests, setup, teardown);
}
