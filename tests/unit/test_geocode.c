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
#include "extract/place_story.h"

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

/* ---- places the gazetteer lacks (generic words, coherence, containment) ---- */

/* The first place mention of text whose surface is z, copied to *out (its
 * surface then points into freed memory: do not read it). */
static bool mention_of(const td_entity_models *md, const char *text, const char *dateline,
                       const char *z, td_mention *out)
{
    td_arena a;
    td_entities e;
    td_arena_init(&a, 1 << 16);
    bool found = false;
    if (td_entities_extract(md, td_str_cstr(text), NULL, 0, td_str_cstr(dateline), &a, &e) == TD_OK) {
        for (uint32_t i = 0; i < e.n && !found; i++) {
            if (e.m[i].type == TD_ENT_PLACE && td_str_eq(e.m[i].surface, td_str_cstr(z))) {
                *out = e.m[i];
                found = true;
            }
        }
    }
    td_arena_free(&a);
    return found;
}

/* The gazetteer place that contains mention m (no record of its own). */
static td_place container(const td_entity_models *md, const td_mention *m)
{
    td_place p;
    memset(&p, 0, sizeof p);
    assert_int_equal(m->place, -1);
    assert_true(m->within > 0);
    td_gazetteer_place(md->gaz, m->within - 1, &p);
    return p;
}

static void generic_words_look_the_name_up(void **state)
{
    const td_entity_models *md = *state;
    td_mention m;
    /* an area around a town: the town contains it, the name stays */
    assert_true(mention_of(md, "Floods swept through the Velmoor Valley after days of rain.", "",
                           "Velmoor Valley", &m));
    td_place c = container(md, &m);
    assert_int_equal(c.geonameid, 9000001);
    assert_string_equal(td_gazetteer_approx_name(c.kind), "city");
    assert_int_equal(m.precision, TD_GEO_NEAR);
    assert_string_equal(m.cc, "XA");
    /* a district named after its seat */
    assert_true(mention_of(md, "Troops of Norvania moved into Tell Ammar District overnight.", "",
                           "Tell Ammar District", &m));
    c = container(md, &m);
    assert_int_equal(c.geonameid, 9000003);
    /* a division word on a first-level division is the division itself */
    td_place p;
    assert_true(place_of(md, "Norvanian officials said Deir al-Kassab Governorate was calm.", "",
                         "Deir al-Kassab Governorate", &p, NULL, NULL));
    assert_int_equal(p.kind, TD_PLACE_ADMIN1);
    assert_string_equal(p.name, "Deir al-Kassab");
    assert_true(place_of(md, "Officials said Northmark Province was calm.", "", "Northmark Province",
                         &p, NULL, NULL));
    assert_int_equal(p.kind, TD_PLACE_ADMIN1);
    /* an unknown word before the generic one, no country: no point */
    assert_true(mention_of(md, "Boats crossed Quorra Bay at dawn.", "", "Quorra Bay", &m));
    assert_int_equal(m.within, 0);
    assert_int_equal(m.place, -1);
    /* a small town abroad named X is no container of "X Bay" in a story on
     * Norvania (only large places vouch for themselves) */
    assert_true(mention_of(md, "Fishermen left Quillmarsh Bay, the Norvanian coast guard said in Velmoor.",
                           "VELMOOR, Norvania", "Quillmarsh Bay", &m));
    assert_string_equal(m.cc, "XA");
}

static void a_town_abroad_yields_to_the_article_country(void **state)
{
    const td_entity_models *md = *state;
    td_mention m;
    /* a story plainly on Norvania; the only Quillmarsh lies in Ostrelia,
     * far from every place the story names: it is an unknown Norvanian
     * village, placed at its country with region precision */
    const char *text = "Norvanian troops shelled the village of Quillmarsh on Sunday, "
                       "the Norvanian defence ministry in Velmoor said. Norvania's army "
                       "said the village had been evacuated.";
    assert_true(mention_of(md, text, "VELMOOR, Norvania", "Quillmarsh", &m));
    td_place c = container(md, &m);
    assert_string_equal(c.country, "XA");
    assert_string_equal(m.cc, "XA");
    /* the same name in a story on Ostrelia is the Ostrelian town */
    td_place p;
    assert_true(place_of(md, "Ostrelian police said the fire in Quillmarsh was out.", "", "Quillmarsh",
                         &p, NULL, NULL));
    assert_int_equal(p.geonameid, 9000010);
}

static void unknown_places_take_their_container(void **state)
{
    const td_entity_models *md = *state;
    td_mention m;
    /* a street: the dateline's town */
    assert_true(mention_of(md, "Protesters blocked Harrow Lane Road for six hours on Tuesday.",
                           "VELMOOR, Norvania", "Harrow Lane Road", &m));
    td_place c = container(md, &m);
    assert_int_equal(c.geonameid, 9000001);
    assert_string_equal(td_gazetteer_approx_name(c.kind), "city");
    assert_int_equal(m.precision, TD_GEO_NEAR);
    /* the town the text puts it in */
    assert_true(mention_of(md, "Norvanian police said gunmen attacked a checkpoint in Qarat Zeid, "
                               "Deir al-Kassab province, on Sunday.",
                           "", "Qarat Zeid", &m));
    c = container(md, &m);
    assert_string_equal(c.country, "XA");
    assert_string_equal(c.name, "Deir al-Kassab");
    /* a comma and a lower-case word before the container: no list */
    assert_true(mention_of(md, "Norvanian police said gunmen attacked a checkpoint in Qarat Zeid, northern Tell Ammar, "
                               "(a farming area) on Sunday.",
                           "", "Qarat Zeid", &m));
    c = container(md, &m);
    assert_int_equal(c.geonameid, 9000003);
    /* nothing but the country: the country, at region precision */
    assert_true(mention_of(md, "Norvanian troops fought rebels in Qarat Zeid on Sunday, Norvania's army said.",
                           "", "Qarat Zeid", &m));
    c = container(md, &m);
    assert_int_equal(c.kind, TD_PLACE_COUNTRY);
    assert_string_equal(td_gazetteer_approx_name(c.kind), "country");
    assert_int_equal(m.precision, TD_GEO_REGION);
    /* a comma list is no container: "A, B and C" */
    assert_true(mention_of(md, "Norvanian jets struck Qarat Zeid, Tell Ammar and Kassab on Sunday.", "",
                           "Qarat Zeid", &m));
    c = container(md, &m);
    assert_int_not_equal(c.geonameid, 9000003);
    /* no country anywhere: no point at all */
    assert_true(!mention_of(md, "They fought in Qarat Zeid.", "", "Qarat Zeid", &m) || m.within == 0);
}

/* Across articles the corpus entity keeps the finest container any article
 * gives (a province over the country), whatever the order. */
static void the_corpus_keeps_the_finest_container(void **state)
{
    const td_entity_models *md = *state;
    const char *texts[2] = {
        "Norvanian troops fought rebels in Qarat Zeid on Sunday, Norvania's army said.",
        "Norvanian police said gunmen attacked a checkpoint in Qarat Zeid, Deir al-Kassab province, on Monday.",
    };
    for (int order = 0; order < 2; order++) {
        td_entity_registry *r = td_entity_registry_new(md);
        assert_non_null(r);
        uint32_t id = TD_NO_ENT;
        for (int k = 0; k < 2; k++) {
            int t = order ? 1 - k : k;
            td_arena a;
            td_entities e;
            td_arena_init(&a, 1 << 16);
            assert_int_equal(td_entities_extract(md, td_str_cstr(texts[t]), NULL, 0, td_str_cstr(""), &a, &e),
                             TD_OK);
            uint32_t ids[64];
            assert_true(e.n_entities <= 64);
            assert_int_equal(td_entity_registry_add(r, td_str_cstr(t ? "b" : "a"), &e, ids), TD_OK);
            for (uint32_t i = 0; i < e.n_entities; i++)
                if (td_str_eq(e.e[i].name, td_str_cstr("Qarat Zeid")))
                    id = ids[i];
            td_arena_free(&a);
        }
        assert_int_not_equal(id, TD_NO_ENT);
        td_entity_info in;
        assert_true(td_entity_registry_get(r, id, &in));
        assert_string_equal(in.name, "Qarat Zeid");
        assert_true(in.within > 0);
        td_place c;
        td_gazetteer_place(md->gaz, in.within - 1, &c);
        assert_int_equal(c.kind, TD_PLACE_ADMIN1);
        assert_false(isnan(in.lat));
        assert_true(fabs(in.lat - c.lat) < 1e-9);
        td_entity_registry_free(r);
    }
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
        /* homonyms decided by the country the sentence names */
        { "Tripoli", "Militias clashed in Tripoli, Libya.", "LY", 32.89, 13.19 },
        { "Tripoli", "Protesters gathered in Tripoli, in northern Lebanon.", "LB", 34.44, 35.85 },
        { "Hyderabad", "Floods cut roads around Hyderabad in Pakistan's Sindh province.", "PK", 25.39, 68.37 },
        { "Hyderabad", "Tech firms in Hyderabad, India, closed early.", "IN", 17.38, 78.46 },
        /* spellings: transliterations, diacritics, old names */
        { "Kyiv", "Air raid sirens sounded in Kyiv, Ukraine.", "UA", 50.45, 30.52 },
        { "Kiev", "Air raid sirens sounded in Kiev, Ukraine.", "UA", 50.45, 30.52 },
        { "Kharkiv", "Shelling hit Kharkiv in Ukraine.", "UA", 49.98, 36.25 },
        { "São Paulo", "Workers marched in São Paulo, Brazil.", "BR", -23.55, -46.63 },
        { "Sao Paulo", "Workers marched in Sao Paulo, Brazil.", "BR", -23.55, -46.63 },
        { "Bogotá", "Talks resumed in Bogotá, Colombia.", "CO", 4.61, -74.08 },
        /* capitals and large cities across regions */
        { "Khartoum", "Fighting spread across Khartoum, Sudan.", "SD", 15.55, 32.53 },
        { "Goma", "Rebels advanced on Goma in eastern Congo.", "CD", -1.68, 29.23 },
        { "Mandalay", "An earthquake shook Mandalay, Myanmar.", "MM", 21.97, 96.08 },
        { "Port-au-Prince", "Gangs blocked roads in Port-au-Prince, Haiti.", "HT", 18.54, -72.34 },
        { "Karachi", "A blast hit a market in Karachi, Pakistan.", "PK", 24.86, 67.01 },
        { "Benghazi", "Flights resumed at Benghazi, Libya.", "LY", 32.12, 20.07 },
        { "Kabul", "A blast shook Kabul, Afghanistan.", "AF", 34.53, 69.17 },
        { "Mogadishu", "Gunfire was heard in Mogadishu, Somalia.", "SO", 2.04, 45.34 },
        { "Aleppo", "Shells hit Aleppo, Syria.", "SY", 36.20, 37.16 },
        { "Mosul", "Iraqi forces entered Mosul.", "IQ", 36.34, 43.13 },
        /* countries keep their level */
        { "Sudan", "Aid flew to Sudan.", "SD", 0, 0 },
        { "Myanmar", "The army in Myanmar declared a truce.", "MM", 0, 0 },
        { "Colombia", "The peace deal in Colombia held.", "CO", 0, 0 },
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

static void a_town_ending_a_name_is_the_name(void **state)
{
    td_place p;
    /* a surname that is also a town: the end of a person's name */
    assert_false(place_of(*state, "Prisoner Yusuf Kassab had a lucky escape, his brother said.", "",
                          "Kassab", &p, NULL, NULL));
    assert_false(place_of(*state, "Organiser Jannet Velmoor of the Civic Front said marchers kept order.",
                          "", "Velmoor", &p, NULL, NULL));
    /* a cue, a region word or no name before it: the town */
    assert_true(place_of(*state, "Shops closed in Kassab on Monday, residents said.", "", "Kassab", &p,
                         NULL, NULL));
    assert_true(place_of(*state, "Rockets hit eastern Kassab overnight, residents said.", "", "Kassab", &p,
                         NULL, NULL));
    assert_true(place_of(*state, "Rockets hit Northern Kassab overnight, residents said.", "", "Kassab", &p,
                         NULL, NULL));
    assert_true(place_of(*state, "Residents of Velmoor said shops reopened.", "", "Velmoor", &p, NULL, NULL));
}

/* The gazetteer index of the record of name with this geonameid (0: the
 * country record of cc). */
static int32_t rec(const td_gazetteer *g, const char *name, uint32_t geonameid, const char *cc)
{
    if (!geonameid)
        return (int32_t)td_gazetteer_country(g, cc);
    int64_t id = td_gazetteer_lookup(g, td_str_cstr(name));
    assert_true(id >= 0);
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(g, (uint32_t)id, &post, NULL);
    for (uint32_t k = 0; k < np; k++) {
        td_place p;
        td_gazetteer_place(g, td_gazetteer_posting(post, k) & ~TD_GAZ_ALT, &p);
        if (p.geonameid == geonameid)
            return (int32_t)p.idx;
    }
    fail_msg("%s %u: no record", name, geonameid);
    return -1;
}

/* One row of an article: a place with a record (geonameid), or none (0). */
static td_story_place row(const td_gazetteer *g, int64_t art, int32_t idx, const char *name,
                          uint32_t geonameid, const char *cc, uint32_t n)
{
    td_story_place x;
    memset(&x, 0, sizeof x);
    x.article = art;
    x.idx = idx;
    x.name = td_str_cstr(name);
    x.place = geonameid == 1 ? rec(g, name, 0, cc) : geonameid ? rec(g, name, geonameid, cc) : -1;
    x.within = -1;
    snprintf(x.cc, sizeof x.cc, "%s", cc);
    x.n_mentions = n;
    x.original = true;
    if (x.place >= 0) {
        td_place p;
        td_gazetteer_place(g, (uint32_t)x.place, &p);
        x.kind = (uint8_t)p.kind;
    }
    return x;
}

static void a_weak_article_takes_its_context_country(void **state)
{
    const td_entity_models *md = *state;
    const td_gazetteer *g = md->gaz;
    /* a short update naming only a village abroad (Quillmarsh, Ostrelia), a
     * road in it and a Springhill (the larger one is Ostrelia's), in a
     * story whose other reports are from Norvania */
    td_story_place r[] = {
        row(g, 1, 0, "Quillmarsh", 9000010, "XB", 1),
        row(g, 1, 1, "Harbour Road", 0, "XB", 1),
        row(g, 1, 2, "Springhill", 9000005, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 3),
        row(g, 2, 1, "Velmoor", 9000001, "XA", 2),
        row(g, 3, 0, "Velmoor", 9000001, "XA", 1),
        row(g, 3, 1, "Deir al-Kassab", 9000002, "XA", 1),
    };
    r[1].within = r[0].place;
    assert_int_equal(r[2].place, rec(g, "Springhill", 9000005, "XB"));
    assert_int_equal(td_place_story_apply(g, r, 7), 3);
    /* no Quillmarsh in Norvania: an unknown place of it, inside the country */
    assert_true(r[0].changed);
    assert_int_equal(r[0].place, -1);
    assert_string_equal(r[0].cc, "XA");
    assert_int_equal(r[0].within, rec(g, NULL, 0, "XA"));
    assert_int_equal(r[0].precision, TD_GEO_REGION);
    /* the road lay in the village: it follows it */
    assert_true(r[1].changed);
    assert_string_equal(r[1].cc, "XA");
    assert_int_equal(r[1].within, rec(g, NULL, 0, "XA"));
    /* Norvania has a Springhill of its own */
    assert_int_equal(r[2].place, rec(g, "Springhill", 9000004, "XA"));
    assert_int_equal(r[2].precision, TD_GEO_EXACT);
    for (int i = 3; i < 7; i++)
        assert_false(r[i].changed);
}

static void a_site_takes_the_context_town(void **state)
{
    const td_entity_models *md = *state;
    const td_gazetteer *g = md->gaz;
    /* a caption naming only a square, with no country at all */
    td_story_place r[] = {
        row(g, 7, 0, "Lantern Square", 0, "", 1),
        row(g, 8, 0, "Velmoor", 9000001, "XA", 2),
        row(g, 9, 0, "Velmoor", 9000001, "XA", 1),
        row(g, 9, 1, "Norvania", 1, "XA", 1),
    };
    assert_int_equal(td_place_story_apply(g, r, 4), 1);
    assert_string_equal(r[0].cc, "XA");
    assert_int_equal(r[0].within, rec(g, "Velmoor", 9000001, "XA"));
    assert_int_equal(r[0].precision, TD_GEO_NEAR);
}

static void articles_with_evidence_or_split_contexts_stay(void **state)
{
    const td_entity_models *md = *state;
    const td_gazetteer *g = md->gaz;
    /* the article names Ostrelia's capital twice: it is about Ostrelia */
    td_story_place a[] = {
        row(g, 1, 0, "Port Lunen", 9000006, "XB", 2),
        row(g, 1, 1, "Quillmarsh", 9000010, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 2),
        row(g, 3, 0, "Velmoor", 9000001, "XA", 2),
    };
    assert_int_equal(td_place_story_apply(g, a, 4), 0);
    /* the context is split between two countries */
    td_story_place b[] = {
        row(g, 1, 0, "Quillmarsh", 9000010, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 2),
        row(g, 3, 0, "Ostrelia", 1, "XB", 2),
    };
    assert_int_equal(td_place_story_apply(g, b, 3), 0);
    /* another article of the context names a place of Ostrelia too: the
     * village may well be there (a cross-border story) */
    td_story_place c[] = {
        row(g, 1, 0, "Quillmarsh", 9000010, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 2),
        row(g, 3, 0, "Velmoor", 9000001, "XA", 2),
        row(g, 3, 1, "Springhill", 9000005, "XB", 1),
    };
    assert_int_equal(td_place_story_apply(g, c, 4), 0);
    /* one context article is no context */
    td_story_place d[] = {
        row(g, 1, 0, "Quillmarsh", 9000010, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 3),
    };
    assert_int_equal(td_place_story_apply(g, d, 2), 0);
    /* weak context articles (one strong mention each) are no evidence:
     * the rule may re-read them, and the order articles are judged in
     * must not matter */
    td_story_place e[] = {
        row(g, 1, 0, "Quillmarsh", 9000010, "XB", 1),
        row(g, 2, 0, "Norvania", 1, "XA", 1),
        row(g, 3, 0, "Velmoor", 9000001, "XA", 1),
    };
    assert_int_equal(td_place_story_apply(g, e, 3), 0);
    assert_false(a[1].changed || b[0].changed || c[0].changed || d[0].changed || e[0].changed);
    /* the same context with evidence of its own: the village is re-read */
    e[1].n_mentions = e[2].n_mentions = 2;
    assert_int_equal(td_place_story_apply(g, e, 3), 1);
    assert_string_equal(e[0].cc, "XA");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(homonyms_follow_the_article),
        cmocka_unit_test(precision_levels),
        cmocka_unit_test(unknown_spellings_inside_the_country),
        cmocka_unit_test(generic_words_look_the_name_up),
        cmocka_unit_test(a_town_abroad_yields_to_the_article_country),
        cmocka_unit_test(unknown_places_take_their_container),
        cmocka_unit_test(the_corpus_keeps_the_finest_container),
        cmocka_unit_test(a_town_ending_a_name_is_the_name),
        cmocka_unit_test(a_weak_article_takes_its_context_country),
        cmocka_unit_test(a_site_takes_the_context_town),
        cmocka_unit_test(articles_with_evidence_or_split_contexts_stay),
        cmocka_unit_test(real_places),
    };
    return cmocka_run_group_tests_name("geocode", tests, setup, teardown);
}
