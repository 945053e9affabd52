/* test_event.c - event mentions on fictional wire copy: types, arguments,
 * several events in a sentence, modality, background events, no date. */
#include "test_util.h"

#include "clean/date.h"
#include "extract/event.h"

/* Splits z at ". " (after optional closing quotes) and blank lines. */
static uint32_t split(const char *z, td_span *out, uint32_t cap)
{
    uint32_t n = 0, start = 0, len = (uint32_t)strlen(z);
    for (uint32_t i = 0; i < len && n < cap; i++) {
        uint32_t e = i + 1;
        bool end = false;
        if (z[i] == '\n' && z[i + 1] == '\n') {
            end = true;
            e = i;
        } else if (z[i] == '.' || z[i] == '?' || z[i] == '!') {
            while (z[e] == '"')
                e++;
            end = z[e] == ' ' || z[e] == '\n' || z[e] == 0;
        }
        if (!end)
            continue;
        if (e > start)
            out[n++] = (td_span){ start, e - start };
        start = e;
        while (start < len && (z[start] == ' ' || z[start] == '\n'))
            start++;
        i = start ? start - 1 : 0;
    }
    if (start < len && n < cap)
        out[n++] = (td_span){ start, len - start };
    return n;
}

typedef struct fx {
    td_arena arena;
    td_span sent[64];
    td_event_mention *m;
    uint32_t n;
    const char *z;
} fx;

static const td_date PUB = { 2018, 3, 14, TD_PREC_DAY }; /* a Wednesday */

static void run(fx *f, const char *z, td_date pub, const td_name_span *names, uint32_t nn)
{
    td_arena_init(&f->arena, 1 << 16);
    f->z = z;
    td_event_input in = { td_str_cstr(z), f->sent, split(z, f->sent, 64), pub, 0, names, nn, 0 };
    assert_int_equal(td_event_extract(&f->arena, &in, &f->m, &f->n), TD_OK);
}

static void field_is(const fx *f, td_span s, const char *want)
{
    assert_str_view(td_str_make(f->z + s.off, s.len), want);
}

static void date_is(td_date d, const char *ymd)
{
    char b[11];
    td_date_format(d, b);
    assert_string_equal(b, ymd);
}

static void airstrike_with_arguments(void **state)
{
    (void)state;
    fx f;
    run(&f,
        "Velorian warplanes struck Crimson Dawn positions near Tel Orrin on Monday, killing at "
        "least 45 fighters, the army said.",
        PUB, NULL, 0);
    assert_int_equal(f.n, 1);
    td_event_mention *m = &f.m[0];
    assert_int_equal(m->type, TD_EV_AIRSTRIKE);
    assert_int_equal(m->modality, TD_MOD_ASSERTED);
    field_is(&f, m->actor, "Velorian warplanes");
    field_is(&f, m->target, "Crimson Dawn positions");
    field_is(&f, m->place, "Tel Orrin");
    date_is(m->date, "2018-03-12");
    assert_int_equal(m->date_from, TD_DATE_FROM_SENTENCE);
    assert_int_equal(m->killed_min, 45);
    assert_true(m->main);
    td_arena_free(&f.arena);
}

static void passive_actor_and_caller_places(void **state)
{
    (void)state;
    fx f;
    const char *z = "A school bus was hit by an air strike by the Sahrat-led coalition in Dar "
                    "el-Mir on Thursday. At least 29 children were killed, medics said.";
    td_name_span names[] = { { { 0, 0 }, TD_NAME_PLACE, 77, 3 } };
    const char *p = strstr(z, "Dar el-Mir");
    names[0].span = (td_span){ (uint32_t)(p - z), 10 };
    run(&f, z, PUB, names, 1);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].type, TD_EV_AIRSTRIKE);
    field_is(&f, f.m[0].actor, "Sahrat-led coalition");
    field_is(&f, f.m[0].place, "Dar el-Mir");
    assert_int_equal(f.m[0].place_id, 77);
    date_is(f.m[0].date, "2018-03-08");
    assert_int_equal(f.m[0].killed_min, 29); /* from the next sentence */
    td_arena_free(&f.arena);
}

static void several_events_in_a_sentence(void **state)
{
    (void)state;
    fx f;
    run(&f, "Rebels shelled the port of Varn on Tuesday, a day after jets bombed a market in "
            "Hallam, and police arrested 12 men in Corlan.",
        PUB, NULL, 0);
    assert_int_equal(f.n, 3);
    assert_int_equal(f.m[0].type, TD_EV_SHELLING);
    field_is(&f, f.m[0].actor, "Rebels");
    assert_int_equal(f.m[1].type, TD_EV_AIRSTRIKE);
    field_is(&f, f.m[1].place, "Hallam");
    assert_int_equal(f.m[2].type, TD_EV_RAID_OR_ARREST);
    field_is(&f, f.m[2].place, "Corlan");
    field_is(&f, f.m[2].actor, "police");
    td_arena_free(&f.arena);
}

static void modality_keeps_out_unreal_events(void **state)
{
    (void)state;
    fx f;
    struct {
        const char *z;
        td_modality m;
    } cases[] = {
        { "The coalition vowed to continue air strikes on Varn.", TD_MOD_THREATENED },
        { "The ministry denied carrying out the air strike on the clinic.", TD_MOD_DENIED },
        { "Jets will bomb the depot again, the commander said.", TD_MOD_PLANNED },
        { "The council said it would not tolerate protests in the capital.", TD_MOD_HYPOTHETICAL },
        { "No clashes were reported in Varn overnight.", TD_MOD_NEGATED },
        { "Aid groups called for a ceasefire in Tel Orrin.", TD_MOD_HYPOTHETICAL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run(&f, cases[i].z, PUB, NULL, 0);
        bool found = false;
        for (uint32_t k = 0; k < f.n; k++)
            if (f.m[k].type != TD_EV_STATEMENT) {
                if (f.m[k].modality != cases[i].m)
                    fail_msg("%s: modality %s", cases[i].z,
                             td_modality_name((td_modality)f.m[k].modality));
                assert_false(f.m[k].main);
                found = true;
            }
        if (!found)
            fail_msg("%s: no mention", cases[i].z);
        td_arena_free(&f.arena);
    }
}

/* A date in the dateline ("PORT HALLAM, March 13 (Wire) -") is the day the
 * report was filed: the attack the sentence reports is not dated by it. */
static void dateline_day_is_no_event_date(void **state)
{
    (void)state;
    const char *z = "PORT HALLAM, March 13 (Wire) - Forty pupils remain missing after an attack "
                    "on a school in Varn.";
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_span sent[4];
    td_event_mention *m;
    uint32_t n;
    td_event_input in = { td_str_cstr(z), sent, split(z, sent, 4), PUB, 0, NULL, 0, 0 };
    assert_int_equal(td_event_extract(&a, &in, &m, &n), TD_OK);
    assert_true(n > 0);
    assert_int_equal(m[0].date_from, TD_DATE_FROM_SENTENCE); /* without the dateline */
    td_arena_free(&a);
    td_arena_init(&a, 1 << 16);
    in.dateline_end = (uint32_t)(strstr(z, "(Wire)") - z);
    assert_int_equal(td_event_extract(&a, &in, &m, &n), TD_OK);
    assert_true(n > 0);
    assert_int_not_equal(m[0].date_from, TD_DATE_FROM_SENTENCE);
    td_arena_free(&a);
}

/* "for" asks for an act only after a verb of asking: "unaccounted for
 * after an attack" reports the attack */
static void for_after_a_state_is_no_request(void **state)
{
    (void)state;
    fx f;
    const char *real[] = {
        "Forty pupils remain unaccounted for after an attack on a school in Varn.",
        "Sixty fishermen unaccounted for after rebel attack on Port Hallam",
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        run(&f, real[i], PUB, NULL, 0);
        bool found = false;
        for (uint32_t k = 0; k < f.n; k++)
            if (f.m[k].type != TD_EV_STATEMENT) {
                if (f.m[k].modality != TD_MOD_ASSERTED)
                    fail_msg("%s: modality %s", real[i],
                             td_modality_name((td_modality)f.m[k].modality));
                found = true;
            }
        if (!found)
            fail_msg("%s: no mention", real[i]);
        td_arena_free(&f.arena);
    }
    run(&f, "The union pressed again for strikes at the Varn docks.", PUB, NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        if (f.m[k].type != TD_EV_STATEMENT)
            assert_int_not_equal(f.m[k].modality, TD_MOD_ASSERTED);
    td_arena_free(&f.arena);
}

static void background_events_keep_their_date(void **state)
{
    (void)state;
    fx f;
    run(&f, "Gunmen stormed a checkpoint in Varn on Tuesday, killing four soldiers. "
            "The attack came weeks after a car bomb killed 12 people in Hallam on 2 February.",
        PUB, NULL, 0);
    uint32_t bombing = UINT32_MAX;
    for (uint32_t k = 0; k < f.n; k++)
        if (f.m[k].type == TD_EV_BOMBING)
            bombing = k;
    assert_true(bombing != UINT32_MAX);
    assert_true(f.m[bombing].background);
    assert_false(f.m[bombing].main);
    date_is(f.m[bombing].date, "2018-02-02");
    assert_int_equal(f.m[bombing].killed_min, 12);
    assert_true(f.m[0].main);
    assert_int_equal(f.m[0].killed_min, 4);
    td_arena_free(&f.arena);
}

static void article_without_date(void **state)
{
    (void)state;
    fx f;
    td_date none = { 0, 0, 0, TD_PREC_NONE };
    run(&f, "Floods swept through the Marren valley on Sunday, killing 17 villagers.", none,
        NULL, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].type, TD_EV_DISASTER);
    assert_int_equal(f.m[0].date_from, TD_DATE_FROM_NONE);
    assert_int_equal(f.m[0].date.prec, TD_PREC_NONE);
    assert_int_equal(f.m[0].killed_min, 17);
    td_arena_free(&f.arena);
    /* with a date, the publication date stands in when the text has none */
    run(&f, "A landslide buried the road to Varn.", PUB, NULL, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].date_from, TD_DATE_FROM_PUBLISHED);
    td_arena_free(&f.arena);
}

static void designators_are_not_tolls(void **state)
{
    (void)state;
    fx f;
    run(&f, "An F-16 dropped a 2,000-pound bomb on the depot in Varn on Monday.", PUB, NULL, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].type, TD_EV_AIRSTRIKE);
    assert_int_equal(f.m[0].killed_min, -1);
    field_is(&f, f.m[0].place, "Varn");
    td_arena_free(&f.arena);
}

static void other_types(void **state)
{
    (void)state;
    fx f;
    struct {
        const char *z;
        td_event_type t;
    } cases[] = {
        { "Thousands of protesters marched through central Marren on Sunday.", TD_EV_PROTEST },
        { "A magnitude 6.1 earthquake struck Dorran province on Saturday, killing 37 people.",
          TD_EV_DISASTER },
        { "The two parties signed a ceasefire agreement in Port Hallam.", TD_EV_AGREEMENT },
        { "Foreign ministers met in Corlan on Friday.", TD_EV_MEETING },
        { "The envoy condemned the attack on the hospital.", TD_EV_STATEMENT },
        { "Voters in Varn cast ballots in the presidential election on Sunday.", TD_EV_ELECTION },
        { "Gunmen shot dead a judge outside his home in Hallam.", TD_EV_KILLING },
        { "Police raided the offices of the Velorian Times.", TD_EV_RAID_OR_ARREST },
        { "A suicide bomber blew himself up at a market in Varn.", TD_EV_BOMBING },
        { "Fierce clashes broke out between the army and rebels.", TD_EV_ARMED_CLASH },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run(&f, cases[i].z, PUB, NULL, 0);
        if (f.n < 1 || f.m[0].type != cases[i].t)
            fail_msg("%s: %u mentions, first %s", cases[i].z, f.n,
                     f.n ? td_event_type_name((td_event_type)f.m[0].type) : "-");
        td_arena_free(&f.arena);
    }
    assert_int_equal(td_event_type_from_name(TD_STR_LIT("armed_clash")), TD_EV_ARMED_CLASH);
    assert_int_equal(td_event_type_from_name(TD_STR_LIT("nope")), TD_EV_NONE);
}

static void empty_and_bad_input(void **state)
{
    (void)state;
    fx f;
    run(&f, "", PUB, NULL, 0);
    assert_int_equal(f.n, 0);
    assert_null(f.m);
    td_arena_free(&f.arena);
    td_event_mention *m;
    uint32_t n;
    assert_int_equal(td_event_extract(NULL, NULL, &m, &n), TD_EINVAL);
}

/* Returns the first mention of type t, failing when there is none. */
static td_event_mention *of_type(fx *f, td_event_type t)
{
    for (uint32_t i = 0; i < f->n; i++)
        if (f->m[i].type == t)
            return &f->m[i];
    fail_msg("no mention of type %d", t);
    return NULL;
}

static void report_dates_and_toll_updates(void **state)
{
    (void)state;
    fx f;
    /* "said on Wednesday" dates the report, not the strike; the later
     * "death toll rose to" sentence updates the main event's figure */
    run(&f,
        "Jets bombed the market in Varn, killing 12 people, the health directorate said on Tuesday.\n\n"
        "Medics worked through the night.\n\n"
        "The death toll from the raid on the market rose to 19, officials said.",
        PUB, NULL, 0);
    td_event_mention *m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_int_not_equal(m->date_from, TD_DATE_FROM_SENTENCE);
    assert_true(m->main);
    assert_int_equal(m->killed_min, 19);
    td_arena_free(&f.arena);
    /* a date on the trigger itself stays: "the strike on Monday" */
    run(&f, "Officials said on Wednesday that the air strike on Monday killed 12 people in Varn.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_AIRSTRIKE);
    date_is(m->date, "2018-03-12");
    td_arena_free(&f.arena);
}

static void protests_crowds_and_governments(void **state)
{
    (void)state;
    fx f;
    run(&f,
        "Thousands of anti-austerity protesters marched through Dorvani on Sunday.\n\n"
        "The Velorian government has refused to withdraw the budget.",
        PUB, NULL, 0);
    td_event_mention *m = of_type(&f, TD_EV_PROTEST);
    field_is(&f, m->actor, "anti-austerity protesters");
    field_is(&f, m->target, "Velorian government");
    td_arena_free(&f.arena);
    /* clashes with protesters and tear gas are a protest, not a battle */
    run(&f, "Police fired tear gas as clashes with protesters broke out in Dorvani on Monday.", PUB, NULL, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].type, TD_EV_PROTEST);
    td_arena_free(&f.arena);
}

/* Names for a test: each phrase found in z (first occurrence) with its type. */
static uint32_t names_of(const char *z, const char *const *phrases, const uint8_t *types,
                         td_name_span *out)
{
    uint32_t n = 0;
    for (uint32_t k = 0; phrases[k]; k++) {
        const char *p = strstr(z, phrases[k]);
        assert_non_null(p);
        out[n++] = (td_name_span){ { (uint32_t)(p - z), (uint32_t)strlen(phrases[k]) },
                                   types[k], (int64_t)(k + 1), types[k] == TD_NAME_PLACE ? 3 : 0 };
    }
    /* sorted by offset, as callers give them */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && out[j].span.off < out[j - 1].span.off; j--) {
            td_name_span t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* A crowd is named without the verb before it or an adverb's adjective. */
static void crowds_without_verbs(void **state)
{
    (void)state;
    static const struct {
        const char *z, *crowd;
    } C[] = {
        { "Riot police tried to stop protesters marching on the Grand Assembly in Dorvani on Monday.",
          "protesters" },
        { "Police fired tear gas to disperse demonstrators in Dorvani on Monday.", "demonstrators" },
        { "Police had redirected protesters who tried to march on the palace in Dorvani.",
          "protesters" },
        { "The mostly young protesters marched through Dorvani on Sunday.", "protesters" },
        { "Hundreds of anti-levy protesters marched through Dorvani on Sunday.",
          "anti-levy protesters" },
    };
    for (size_t c = 0; c < sizeof C / sizeof C[0]; c++) {
        fx f;
        run(&f, C[c].z, PUB, NULL, 0);
        td_event_mention *m = of_type(&f, TD_EV_PROTEST);
        field_is(&f, m->actor, C[c].crowd);
        td_arena_free(&f.arena);
    }
}

/* The organiser a sentence names leads the crowd, through "organised by" or
 * an apposition, and the day's other protest sentences take it too. */
static void protest_organisers(void **state)
{
    (void)state;
    const char *z = "Thousands of protesters marched through Dorvani on Sunday against the levy.\n\n"
                    "The march was organised by the Civic Union, a coalition of dock unions.\n\n"
                    "The crowd filled the harbour road for hours.";
    const char *const P[] = { "Civic Union", "Dorvani", NULL };
    const uint8_t T[] = { TD_NAME_ORG, TD_NAME_PLACE };
    td_name_span names[2];
    fx f;
    run(&f, z, PUB, names, names_of(z, P, T, names));
    assert_true(f.n >= 2);
    for (uint32_t k = 0; k < f.n; k++)
        if (f.m[k].type == TD_EV_PROTEST) {
            field_is(&f, f.m[k].actor, "Civic Union");
            assert_int_equal(f.m[k].actor_id, 1);
        }
    td_arena_free(&f.arena);
    const char *y = "The Civic Union, the group that organised the march, said 40,000 people "
                    "took part in Dorvani on Sunday.";
    const char *const Q[] = { "Civic Union", "Dorvani", NULL };
    run(&f, y, PUB, names, names_of(y, Q, T, names));
    field_is(&f, of_type(&f, TD_EV_PROTEST)->actor, "Civic Union");
    td_arena_free(&f.arena);
    /* a name later in the sentence is no subject: the crowd stays */
    const char *x = "Protesters retreated to the street near the Orrin Trade Centre after police "
                    "fired tear gas.";
    const char *const R[] = { "Orrin Trade Centre", NULL };
    const uint8_t U[] = { TD_NAME_ORG };
    run(&f, x, PUB, names, names_of(x, R, U, names));
    field_is(&f, of_type(&f, TD_EV_PROTEST)->actor, "Protesters");
    td_arena_free(&f.arena);
}

/* A crowd at a seat of power acts on it; the day's other sentences about
 * the protest share that target, a recap of another day does not. */
static void protest_seats_of_power(void **state)
{
    (void)state;
    const char *z = "Protesters rallied outside the Grand Assembly Hall in Dorvani "
                    "on Tuesday.\n\n"
                    "Thousands of demonstrators later marched through the old town on Tuesday.\n\n"
                    "A week earlier, on 6 March, students had rallied in Hallam against the levy.";
    const char *const P[] = { "Grand Assembly Hall", "Dorvani", "Hallam", NULL };
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_PLACE, TD_NAME_PLACE };
    td_name_span names[3];
    fx f;
    run(&f, z, PUB, names, names_of(z, P, T, names));
    uint32_t seen = 0;
    for (uint32_t k = 0; k < f.n; k++) {
        if (f.m[k].type != TD_EV_PROTEST)
            continue;
        const char *t = f.z + f.m[k].target.off;
        bool hallam = f.m[k].sentence == 2;
        if (hallam)
            assert_false(f.m[k].target.len && strncmp(t, "Grand Assembly Hall", 19) == 0);
        else
            field_is(&f, f.m[k].target, "Grand Assembly Hall");
        seen++;
    }
    assert_true(seen >= 2);
    td_arena_free(&f.arena);
}

/* The owner of a place struck is no target: "a prison run by the Front". */
static void owners_are_not_targets(void **state)
{
    (void)state;
    const char *z = "Jets struck a prison run by the Crimson Front in Varn on Monday.";
    const char *const P[] = { "Crimson Front", "Varn", NULL };
    const uint8_t T[] = { TD_NAME_ORG, TD_NAME_PLACE };
    td_name_span names[2];
    fx f;
    run(&f, z, PUB, names, names_of(z, P, T, names));
    field_is(&f, of_type(&f, TD_EV_AIRSTRIKE)->target, "prison");
    td_arena_free(&f.arena);
    /* the party attacked still wins when it is the object itself */
    const char *y = "Jets struck Crimson Front positions near Varn on Monday.";
    run(&f, y, PUB, names, names_of(y, P, T, names));
    assert_int_equal(of_type(&f, TD_EV_AIRSTRIKE)->target_id, 1);
    td_arena_free(&f.arena);
}

/* A date after "since" dates the earlier event the sentence compares. */
static void dates_after_since(void **state)
{
    (void)state;
    fx f;
    run(&f, "Gunmen attacked a school in Varn on Monday, the deadliest attack since rebels "
            "seized 80 pupils in Hallam in 2014.", PUB, NULL, 0);
    td_event_mention *m = of_type(&f, TD_EV_ARMED_CLASH);
    date_is(m->date, "2018-03-12");
    td_arena_free(&f.arena);
    run(&f, "Forty pupils are missing after an attack on a school in Varn, one of the largest "
            "abductions since rebels seized 80 pupils in Hallam in 2014.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_RAID_OR_ARREST);
    assert_false(m->date.year == 2014);
    td_arena_free(&f.arena);
    /* the event after "since" is background; "has since been" is no such event */
    run(&f, "Gunmen attacked a school in Varn on Monday, the deadliest attack since rebels bombed "
            "the market in Hallam.", PUB, NULL, 0);
    assert_true(of_type(&f, TD_EV_BOMBING)->background);
    assert_false(of_type(&f, TD_EV_ARMED_CLASH)->background);
    td_arena_free(&f.arena);
    run(&f, "Police arrested six dock workers in Corlan, who have since been released.", PUB, NULL, 0);
    assert_false(of_type(&f, TD_EV_RAID_OR_ARREST)->background);
    td_arena_free(&f.arena);
}

/* A count of people missing that an authority gives is its statement too,
 * dated by its own day and placed like any unplaced statement; the attack
 * keeps its arguments. A toll given the same way is no statement. */
static void tally_of_missing_is_a_statement(void **state)
{
    (void)state;
    fx f;
    run(&f, "Forty pupils are missing after an attack on a school in Varn by suspected rebels, "
            "the education ministry said on Tuesday.", PUB, NULL, 0);
    td_event_mention *st = of_type(&f, TD_EV_STATEMENT), *raid = of_type(&f, TD_EV_RAID_OR_ARREST);
    field_is(&f, st->actor, "education ministry");
    assert_int_equal(st->place.len, 0);
    date_is(st->date, "2018-03-13");
    field_is(&f, raid->actor, "rebels");
    field_is(&f, raid->place, "Varn");
    assert_true(raid->main);
    assert_false(st->main);
    td_arena_free(&f.arena);
    run(&f, "Kelvaria says 40 pupils unaccounted for after raid on Orsk school", PUB, NULL, 0);
    field_is(&f, of_type(&f, TD_EV_STATEMENT)->actor, "Kelvaria");
    assert_true(of_type(&f, TD_EV_RAID_OR_ARREST)->main);
    td_arena_free(&f.arena);
    run(&f, "Forty pupils were killed in an attack on a school in Varn, the ministry said.", PUB,
        NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        assert_int_not_equal(f.m[k].type, TD_EV_STATEMENT);
    td_arena_free(&f.arena);
}

/* The place inside the party met names where they come from, not where
 * the meeting was. */
static void meeting_party_place_is_no_venue(void **state)
{
    (void)state;
    fx f;
    const char *z = "Veloria's Maran meets released Orsk pupils";
    const char *const P[] = { "Veloria", "Maran", "Orsk", NULL };
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_PERSON, TD_NAME_PLACE };
    td_name_span names[4];
    run(&f, z, PUB, names, names_of(z, P, T, names));
    td_event_mention *m = of_type(&f, TD_EV_MEETING);
    field_is(&f, m->target, "released Orsk pupils");
    assert_true(m->place_id != 3); /* Orsk */
    td_arena_free(&f.arena);
}

/* A subject the sentence opens with keeps its clause across an apposition
 * between commas. */
static void subject_before_apposition(void **state)
{
    (void)state;
    fx f;
    const char *z = "Ilse Varo, the only pupil of the Orsk school still held by the Front, "
                    "reportedly made an attempt to escape.";
    const char *const P[] = { "Ilse Varo", "Orsk", "Front", NULL };
    const uint8_t T[] = { TD_NAME_PERSON, TD_NAME_PLACE, TD_NAME_ORG };
    td_name_span names[4];
    run(&f, z, PUB, names, names_of(z, P, T, names));
    td_event_mention *m = of_type(&f, TD_EV_OTHER);
    field_is(&f, m->actor, "Ilse Varo");
    assert_int_equal(m->actor_id, 1);
    td_arena_free(&f.arena);
    /* the captor of an escape or a release is the party acted on */
    const char *y = "Ilse Varo, the only pupil still in Front custody, made an attempt to escape.";
    const char *const Q[] = { "Ilse Varo", "Front", NULL };
    const uint8_t U[] = { TD_NAME_PERSON, TD_NAME_ORG };
    run(&f, y, PUB, names, names_of(y, Q, U, names));
    m = of_type(&f, TD_EV_OTHER);
    field_is(&f, m->target, "Front");
    assert_int_equal(m->target_id, 2);
    td_arena_free(&f.arena);
}

/* A deed that describes a group is its past; a name that is the subject of
 * its own verb is no party struck; a statement in an article naming no
 * country is placed at the place it names most. */
static void backgrounds_subjects_and_homes(void **state)
{
    (void)state;
    fx f;
    run(&f, "The group gained notoriety after abducting 80 pupils from Hallam.\n\n"
            "Gunmen attacked a school in Varn on Monday.", PUB, NULL, 0);
    assert_true(of_type(&f, TD_EV_RAID_OR_ARREST)->background);
    td_arena_free(&f.arena);
    /* a generic attack takes its own weapon first: "a missile attack" in a
     * sentence about the air strikes that answered it is shelling */
    run(&f, "Jets struck rebel depots near Varn, the air force said, a day after a deadly missile "
            "attack on Hallam.", PUB, NULL, 0);
    of_type(&f, TD_EV_AIRSTRIKE);
    of_type(&f, TD_EV_SHELLING);
    td_arena_free(&f.arena);
    /* "the talks follow the offensive in March": March is the offensive's */
    run(&f, "The talks in Varnholm follow the army's offensive in Sahrat in January.", PUB, NULL, 0);
    assert_int_not_equal(of_type(&f, TD_EV_MEETING)->date_from, TD_DATE_FROM_SENTENCE);
    td_arena_free(&f.arena);
    /* "recent bombings" are earlier ones */
    run(&f, "Rebels shelled Varn on Tuesday amid fears over recent bombings in Hallam.", PUB,
        NULL, 0);
    assert_true(of_type(&f, TD_EV_BOMBING)->referenced);
    td_arena_free(&f.arena);
    /* an outlet named as such is no place: "broadcaster Orsk-TV reported" */
    const char *zz = "Later, Kelvarian broadcaster Tel Amra reported that jets had struck Varn.";
    const char *const PP[] = { "Tel Amra", "Varn", NULL };
    const uint8_t TT[] = { TD_NAME_PLACE, TD_NAME_PLACE };
    td_name_span nn[4];
    run(&f, zz, PUB, nn, names_of(zz, PP, TT, nn));
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].place_id, 2); /* Varn, not the broadcaster */
    td_arena_free(&f.arena);
    /* the act answered by a retaliation is an earlier one */
    run(&f, "Rebels shelled Varn on Monday in retaliation for recent bombings in Hallam.", PUB,
        NULL, 0);
    assert_true(of_type(&f, TD_EV_BOMBING)->background);
    assert_false(of_type(&f, TD_EV_SHELLING)->background);
    td_arena_free(&f.arena);
    run(&f, "Police arrested 14 men in Corlan in response to the bombing of a police post.", PUB,
        NULL, 0);
    assert_true(of_type(&f, TD_EV_BOMBING)->referenced);
    assert_false(of_type(&f, TD_EV_RAID_OR_ARREST)->background);
    td_arena_free(&f.arena);
    const char *z = "Forty girls are missing after an attack on a school in Varn that Governor "
                    "Ilse Maran on Friday called a disaster.";
    const char *const P[] = { "Varn", "Ilse Maran", NULL };
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_PERSON };
    td_name_span names[4];
    run(&f, z, PUB, names, names_of(z, P, T, names));
    assert_true(of_type(&f, TD_EV_RAID_OR_ARREST)->target_id != 2);
    td_arena_free(&f.arena);
    const char *y = "Crowds gathered in Port Hallam on Sunday.\n\n"
                    "The governor condemned the violence.\n\n"
                    "Shops in Port Hallam stayed shut, and traders in Orsk joined them.";
    const char *const Q[] = { "Port Hallam", "Orsk", NULL };
    const uint8_t U[] = { TD_NAME_PLACE, TD_NAME_PLACE };
    uint32_t n = names_of(y, Q, U, names);
    /* the second "Port Hallam", same entity */
    const char *second = strstr(strstr(y, "Port Hallam") + 1, "Port Hallam");
    names[n++] = (td_name_span){ { (uint32_t)(second - y), 11 }, TD_NAME_PLACE, 1, 3 };
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && names[j].span.off < names[j - 1].span.off; j--) {
            td_name_span t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    run(&f, y, PUB, names, n);
    td_event_mention *m = of_type(&f, TD_EV_STATEMENT);
    assert_int_equal(m->place_id, 1);
    td_arena_free(&f.arena);
}

/* A story opening with what was said the day before it was published
 * counts its weekdays back from that day. */
static void reporting_day_anchors_weekdays(void **state)
{
    (void)state;
    fx f;
    /* PUB is Wednesday 14 March; the ministry spoke on Tuesday the 13th, so
     * "on Wednesday" is the 7th, not the day of publication */
    run(&f, "Forty pupils are missing, the ministry said on Tuesday.\n\n"
            "Gunmen attacked their school in Varn on Wednesday.", PUB, NULL, 0);
    date_is(of_type(&f, TD_EV_ARMED_CLASH)->date, "2018-03-07");
    td_arena_free(&f.arena);
    /* without such a report, the publication day anchors */
    run(&f, "Gunmen attacked a school in Varn on Wednesday.", PUB, NULL, 0);
    date_is(of_type(&f, TD_EV_ARMED_CLASH)->date, "2018-03-14");
    td_arena_free(&f.arena);
}

/* A lead dated only by publication takes the day the body gives the same
 * event a few days back; not when the body reports violence at publication. */
static void undated_lead_takes_the_body_date(void **state)
{
    (void)state;
    fx f;
    /* PUB Wednesday 14 March; the abduction was on Friday the 9th */
    run(&f, "Forty pupils missing after gunmen abducted them in Varn\n\n"
            "Gunmen abducted forty pupils from a school in Varn on Friday, officials said.",
        PUB, NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        if (f.m[k].type == TD_EV_RAID_OR_ARREST) {
            date_is(f.m[k].date, "2018-03-09");
            assert_false(f.m[k].background);
        }
    td_arena_free(&f.arena);
    /* a car bomb today: the offensive's start on Friday dates nothing else */
    run(&f, "Four soldiers killed in attack on checkpoint\n\n"
            "A car bomb exploded at a checkpoint in Varn on Wednesday.\n\n"
            "The minister said the offensive launched on Friday would continue.",
        PUB, NULL, 0);
    assert_true(f.n >= 2);
    date_is(f.m[0].date, "2018-03-14");
    td_arena_free(&f.arena);
}

/* Who the entity stage knows as an organisation is no place and, after
 * "from"/"to", no party struck. */
static void organisations_are_no_places(void **state)
{
    (void)state;
    const char *z = "The air strike on the depot in Varn drew criticism from the Relief Agency.";
    const char *const P[] = { "Varn", "Relief Agency", NULL };
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_ORG };
    td_name_span names[2];
    fx f;
    run(&f, z, PUB, names, names_of(z, P, T, names));
    td_event_mention *m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_true(m->target_id != 2);
    field_is(&f, m->place, "Varn");
    td_arena_free(&f.arena);
    const char *y = "Officials said the air strike was reported to the Relief Agency.";
    const char *const Q[] = { "Relief Agency", NULL };
    const uint8_t U[] = { TD_NAME_ORG };
    run(&f, y, PUB, names, names_of(y, Q, U, names));
    m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_int_equal(m->place.len, 0);
    assert_true(m->target_id != 1);
    td_arena_free(&f.arena);
}

/* Who did it, told by the speaker: its own act ("said it had launched"),
 * not one it reports deep in its words; the head name of a titled subject. */
static void speakers_and_heads(void **state)
{
    (void)state;
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_ORG, TD_NAME_PERSON };
    td_name_span names[3];
    fx f;
    /* a country speaking of its own act, with the act in scare quotes */
    const char *z = "Kelvaria said it had launched an “urgent review” of its support for the Front.";
    const char *const P[] = { "Kelvaria", NULL };
    run(&f, z, PUB, names, names_of(z, P, T, names));
    td_event_mention *m = of_type(&f, TD_EV_STATEMENT);
    field_is(&f, m->actor, "Kelvaria");
    assert_int_equal(m->actor_id, 1);
    td_arena_free(&f.arena);
    /* the agency reports, it did not strike */
    const char *y = "The Relief Agency says initial reports from doctors indicate that 40 people "
                    "were killed in an air strike on a market.";
    const char *const Q[] = { "Relief Agency", NULL };
    const uint8_t U[] = { TD_NAME_ORG };
    run(&f, y, PUB, names, names_of(y, Q, U, names));
    m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_true(m->actor.len == 0 || strncmp(f.z + m->actor.off, "The Relief", 10) != 0);
    assert_true(m->actor_id < 0);
    td_arena_free(&f.arena);
    /* "Assembly Secretary General Ines Varo condemned": Varo */
    const char *x = "Assembly Secretary General Ines Varo condemned the shelling of Orsk.";
    const char *const R[] = { "Assembly", "Ines Varo", NULL };
    const uint8_t V[] = { TD_NAME_ORG, TD_NAME_PERSON };
    run(&f, x, PUB, names, names_of(x, R, V, names));
    assert_int_equal(of_type(&f, TD_EV_STATEMENT)->actor_id, 2);
    td_arena_free(&f.arena);
    /* "a rocket fired by the Front": the Front fired it */
    run(&f, "Kelvaria shot down a rocket fired by the Crimson Front on Monday.", PUB, NULL, 0);
    field_is(&f, of_type(&f, TD_EV_SHELLING)->actor, "Crimson Front");
    td_arena_free(&f.arena);
}

/* Meetings, condemnations and abductions take their parties. */
static void meetings_condemnations_abductions(void **state)
{
    (void)state;
    td_name_span names[2];
    fx f;
    const char *z = "They met with President Ilse Maran on Friday after their release.";
    const char *const P[] = { "Ilse Maran", NULL };
    const uint8_t T[] = { TD_NAME_PERSON };
    run(&f, z, PUB, names, names_of(z, P, T, names));
    td_event_mention *m = of_type(&f, TD_EV_MEETING);
    field_is(&f, m->actor, "Ilse Maran");
    td_arena_free(&f.arena);
    run(&f, "The governor strongly condemned the “riot” of the protesters on Tuesday.", PUB, NULL, 0);
    field_is(&f, of_type(&f, TD_EV_STATEMENT)->target, "protesters");
    td_arena_free(&f.arena);
    run(&f, "The governor condemned the attack on the depot.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_STATEMENT);
    assert_true(m->target.len == 0 || strncmp(f.z + m->target.off, "attack", 6) != 0);
    td_arena_free(&f.arena);
    /* an attack after which people are missing is an abduction of them */
    run(&f, "Forty girls are missing after an attack on a school in Varn by suspected Crimson "
            "Dawn insurgents, the ministry said.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_RAID_OR_ARREST);
    field_is(&f, m->actor, "Crimson Dawn insurgents");
    field_is(&f, m->target, "girls");
    for (uint32_t k = 0; k < f.n; k++)
        assert_int_not_equal(f.m[k].type, TD_EV_ARMED_CLASH);
    td_arena_free(&f.arena);
}

/* The place of the trigger's own clause before a place later in the
 * sentence; an apposition keeps the clause; where a crowd retreated to is
 * no place of the protest. */
static void places_of_the_clause(void **state)
{
    (void)state;
    const uint8_t T[] = { TD_NAME_PLACE, TD_NAME_PLACE, TD_NAME_PLACE };
    td_name_span names[3];
    fx f;
    const char *z = "Gunmen attacked a checkpoint in Varn on Monday, the ministry said, in what "
                    "may be the worst attack since the siege of Hallam.";
    const char *const P[] = { "Varn", "Hallam", NULL };
    run(&f, z, PUB, names, names_of(z, P, T, names));
    field_is(&f, of_type(&f, TD_EV_ARMED_CLASH)->place, "Varn");
    td_arena_free(&f.arena);
    /* Hallam is a town (more specific than the province) but outside the clause */
    const char *y = "Jets struck a market in Lorrin Province on Monday, a week after the siege of "
                    "Hallam ended.";
    const char *const Q[] = { "Lorrin Province", "Hallam", NULL };
    td_name_span *nm = names;
    uint32_t n = names_of(y, Q, T, names);
    nm[0].level = 2;
    run(&f, y, PUB, names, n);
    field_is(&f, of_type(&f, TD_EV_AIRSTRIKE)->place, "Lorrin Province");
    td_arena_free(&f.arena);
    /* "in the capital, Dorvani, ...": the apposition is the same clause */
    const char *x = "An air strike hit a hall in the capital of Veloria, Dorvani, killing 40.";
    const char *const R[] = { "Veloria", "Dorvani", NULL };
    n = names_of(x, R, T, names);
    names[0].level = 1;
    run(&f, x, PUB, names, n);
    field_is(&f, of_type(&f, TD_EV_AIRSTRIKE)->place, "Dorvani");
    td_arena_free(&f.arena);
    const char *w = "Riot police fired tear gas at protesters outside the Grand Hall, forcing them "
                    "to retreat to Hennig Road.";
    const char *const S[] = { "Grand Hall", "Hennig Road", NULL };
    run(&f, w, PUB, names, names_of(w, S, T, names));
    field_is(&f, of_type(&f, TD_EV_PROTEST)->place, "Grand Hall");
    td_arena_free(&f.arena);
    /* a seat of power named as an organisation is where the crowd was */
    const char *v = "Riot police fired tear gas to disperse protesters at the Grand Assembly, "
                    "forcing them to retreat to Hennig Road.";
    const char *const Q2[] = { "Grand Assembly", "Hennig Road", NULL };
    const uint8_t T2[] = { TD_NAME_ORG, TD_NAME_PLACE };
    run(&f, v, PUB, names, names_of(v, Q2, T2, names));
    field_is(&f, of_type(&f, TD_EV_PROTEST)->place, "Grand Assembly");
    td_arena_free(&f.arena);
}

static void named_speaker_keeps_a_weak_statement(void **state)
{
    (void)state;
    fx f;
    /* "announced" is weak beside "earthquake", but a named speaker makes it news */
    const char *z = "Prime Minister Lena Ostrova announced that the earthquake death toll had passed 300.";
    td_name_span names[1] = { { { 0, 0 }, TD_NAME_PERSON, 9, 0 } };
    names[0].span = (td_span){ (uint32_t)(strstr(z, "Lena Ostrova") - z), 12 };
    run(&f, z, PUB, names, 1);
    td_event_mention *st = of_type(&f, TD_EV_STATEMENT);
    assert_int_equal(st->actor_id, 9);
    (void)of_type(&f, TD_EV_DISASTER);
    td_arena_free(&f.arena);
    /* without the name, the strong trigger alone */
    run(&f, "Officials announced that the earthquake death toll had passed 300.", PUB, NULL, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].type, TD_EV_DISASTER);
    td_arena_free(&f.arena);
}

static void reactions_target_the_attacker(void **state)
{
    (void)state;
    fx f;
    const char *z = "The Sahrat-led coalition bombed a school bus in Dar el-Mir on Tuesday, killing 29 children.\n\n"
                    "Lena Ostrova condemned the attack.";
    td_name_span names[2] = { { { 0, 0 }, TD_NAME_ORG, 3, 0 }, { { 0, 0 }, TD_NAME_PERSON, 5, 0 } };
    names[0].span = (td_span){ (uint32_t)(strstr(z, "Sahrat-led coalition") - z), 20 };
    names[1].span = (td_span){ (uint32_t)(strstr(z, "Lena Ostrova") - z), 12 };
    run(&f, z, PUB, names, 2);
    td_event_mention *st = of_type(&f, TD_EV_STATEMENT);
    field_is(&f, st->actor, "Lena Ostrova");
    assert_int_equal(st->actor_id, 5);
    field_is(&f, st->target, "Sahrat-led coalition");
    assert_int_equal(st->target_id, 3);
    td_arena_free(&f.arena);
}

/* A paragraph narrating a day weeks before publication dates its weekdays
 * from that day; the next paragraph returns to the publication's week. */
static void narrated_day_anchors_its_paragraph(void **state)
{
    (void)state;
    fx f;
    run(&f, "Crowds marched through Port Hallam on 10 February 2018 against the ferry law. "
            "Police arrested 40 marchers in Varn on Friday.\n\n"
            "Police arrested six dock workers in Corlan on Friday.",
        PUB, NULL, 0);
    uint32_t seen = 0;
    for (uint32_t k = 0; k < f.n; k++) {
        if (f.m[k].type != TD_EV_RAID_OR_ARREST)
            continue;
        /* 10 February 2018 was a Saturday: "Friday" is the 9th; in the next
         * paragraph, the Friday before publication (Wednesday 14 March) */
        date_is(f.m[k].date, f.m[k].sentence == 1 ? "2018-02-09" : "2018-03-09");
        seen++;
    }
    assert_int_equal(seen, 2);
    td_arena_free(&f.arena);
    /* without a publication date the written-out day anchors the paragraph */
    td_date none = { 0, 0, 0, TD_PREC_NONE };
    run(&f, "Fighting broke out in Varn on 3 May 2017. Rebels shelled the town again on "
            "Sunday.",
        none, NULL, 0);
    bool found = false;
    for (uint32_t k = 0; k < f.n; k++)
        if (f.m[k].type == TD_EV_SHELLING) {
            date_is(f.m[k].date, "2017-04-30");
            found = true;
        }
    assert_true(found);
    td_arena_free(&f.arena);
}

static bool has_type(const fx *f, td_event_type t)
{
    for (uint32_t i = 0; i < f->n; i++)
        if (f->m[i].type == t)
            return true;
    return false;
}

/* Storming is a protest when a crowd does it, an attack or a raid when
 * armed men or the police do. */
static void who_storms_decides_the_type(void **state)
{
    (void)state;
    fx f;
    run(&f, "Protesters stormed the parliament in Port Hallam on Monday.", PUB, NULL, 0);
    assert_true(has_type(&f, TD_EV_PROTEST));
    td_arena_free(&f.arena);
    /* the place stormed is the target, a named institution kept as such */
    run(&f, "Velorian Protesters Storm Grand Assembly On Anniversary Of Charter", PUB, NULL, 0);
    field_is(&f, of_type(&f, TD_EV_PROTEST)->target, "Grand Assembly");
    td_arena_free(&f.arena);
    run(&f, "Heavily armed fighters stormed the town of Varn on Monday night.", PUB, NULL, 0);
    assert_false(has_type(&f, TD_EV_PROTEST));
    assert_true(has_type(&f, TD_EV_ARMED_CLASH));
    td_arena_free(&f.arena);
    run(&f, "Riot police stormed the occupied chamber after midnight, protesters said.", PUB, NULL,
        0);
    assert_true(has_type(&f, TD_EV_PROTEST)); /* police clearing protesters */
    td_arena_free(&f.arena);
    run(&f, "Police stormed a house in Corlan on Monday.", PUB, NULL, 0);
    assert_true(has_type(&f, TD_EV_RAID_OR_ARREST));
    td_arena_free(&f.arena);
}

/* "by X" after the trigger's complements names the attacker; after a
 * participle it names who runs the target. */
static void by_phrase_after_complements(void **state)
{
    (void)state;
    fx f;
    run(&f, "Forty pupils are missing after an attack on a school in northern Veloria by "
            "suspected Crimson Dawn insurgents, the ministry said.",
        PUB, NULL, 0);
    /* pupils missing after the attack: an abduction (see meetings_condemnations_abductions) */
    td_event_mention *m = of_type(&f, TD_EV_RAID_OR_ARREST);
    field_is(&f, m->actor, "Crimson Dawn insurgents");
    td_arena_free(&f.arena);
    run(&f, "Jets carried out an air strike on a prison in Varn run by the Crimson Front.", PUB,
        NULL, 0);
    m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_true(m->actor.len == 0 || strstr(f.z + m->actor.off, "Crimson") != f.z + m->actor.off);
    td_arena_free(&f.arena);
    run(&f, "Rebels claimed an ambush on a convoy near Hallam led by General Oren Valk.", PUB,
        NULL, 0);
    m = of_type(&f, TD_EV_ARMED_CLASH);
    assert_true(m->actor.len == 0 || strncmp(f.z + m->actor.off, "General", 7) != 0);
    td_arena_free(&f.arena);
}

/* The wire service an article quotes is neither actor nor place. */
static void news_agencies_are_no_parties(void **state)
{
    (void)state;
    fx f;
    const char *z = "According to the Associated Press, officials in Varn called for more help.";
    const char *agency = strstr(z, "Associated Press");
    td_name_span names[] = {
        { { (uint32_t)(agency - z), 16 }, TD_NAME_ORG, 0, 0 },
    };
    run(&f, z, PUB, names, 1);
    for (uint32_t k = 0; k < f.n; k++) {
        assert_true(f.m[k].actor.len == 0 || f.m[k].actor.off != names[0].span.off);
        assert_true(f.m[k].place.len == 0 || f.m[k].place.off != names[0].span.off);
    }
    td_arena_free(&f.arena);
    run(&f, "Gunmen were seen in Tallin before the raid by Reuters.", PUB, NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        assert_int_equal(f.m[k].actor.len, 0);
    td_arena_free(&f.arena);
}

/* A bare "N were killed" sentence gives its toll to the strike before it;
 * a sentence with a trigger of its own keeps its figure. */
static void next_sentence_tolls(void **state)
{
    (void)state;
    fx f;
    run(&f, "Jets bombed the market in Varn on Monday. At least 29 people were killed.", PUB,
        NULL, 0);
    assert_int_equal(of_type(&f, TD_EV_AIRSTRIKE)->killed_min, 29);
    td_arena_free(&f.arena);
    run(&f, "The earthquake was felt in Varn on Monday. In Orsk, the quake killed 16 people.",
        PUB, NULL, 0);
    assert_int_equal(f.m[0].type, TD_EV_DISASTER);
    assert_int_equal(f.m[0].sentence, 0);
    assert_int_equal(f.m[0].killed_min, -1);
    td_arena_free(&f.arena);
}

/* A date inside a relative clause with a verb of its own is that verb's. */
static void relative_clause_dates(void **state)
{
    (void)state;
    fx f;
    run(&f, "Fishermen who were seized on 3 March 2018 have returned home to Varn.", PUB, NULL,
        0);
    td_event_mention *m = of_type(&f, TD_EV_OTHER);
    assert_int_not_equal(m->date_from, TD_DATE_FROM_SENTENCE);
    td_arena_free(&f.arena);
    run(&f, "Rebels who on Monday shelled Varn withdrew.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_SHELLING);
    date_is(m->date, "2018-03-12");
    assert_int_equal(m->date_from, TD_DATE_FROM_SENTENCE);
    td_arena_free(&f.arena);
}

/* Who did it when the verb's subject is a pronoun phrase or the sentence
 * is a claim: "the army said its jets struck", "X claimed responsibility". */
static void attributed_and_claimed_actors(void **state)
{
    (void)state;
    fx f;
    run(&f, "The Kelvarian army said its jets struck a rebel depot near Varn on Monday.", PUB,
        NULL, 0);
    td_event_mention *m = of_type(&f, TD_EV_AIRSTRIKE);
    field_is(&f, m->actor, "Kelvarian army");
    td_arena_free(&f.arena);
    run(&f, "The Dawn Front claimed responsibility for the bombing of a market in Varn on "
            "Monday.",
        PUB, NULL, 0);
    m = of_type(&f, TD_EV_BOMBING);
    field_is(&f, m->actor, "Dawn Front");
    td_arena_free(&f.arena);
    run(&f, "A car bomb tore through a market in Varn on Monday, killing 12 people. The Dawn "
            "Front claimed responsibility in a statement.",
        PUB, NULL, 0);
    m = of_type(&f, TD_EV_BOMBING);
    field_is(&f, m->actor, "Dawn Front");
    td_arena_free(&f.arena);
}

/* The party attacked is the people a vehicle or building held: "a bus
 * carrying pupils", "a hall packed with mourners". */
static void targets_are_the_people_attacked(void **state)
{
    (void)state;
    fx f;
    run(&f, "Jets struck a school bus carrying pupils in Varn on Monday, the ministry said.", PUB,
        NULL, 0);
    td_event_mention *m = of_type(&f, TD_EV_AIRSTRIKE);
    field_is(&f, m->target, "school bus carrying pupils");
    td_arena_free(&f.arena);
    run(&f, "Warplanes bombed a funeral hall packed with mourners in Varn on Monday.", PUB, NULL,
        0);
    m = of_type(&f, TD_EV_AIRSTRIKE);
    field_is(&f, m->target, "funeral hall packed with mourners");
    td_arena_free(&f.arena);
    run(&f, "An air strike hit a bus of pupils near Varn on Monday.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_AIRSTRIKE);
    field_is(&f, m->target, "bus of pupils");
    td_arena_free(&f.arena);
    run(&f, "Gunmen attacked a chapel in Varn on Sunday, killing 14 worshippers.", PUB, NULL, 0);
    m = of_type(&f, TD_EV_ARMED_CLASH);
    field_is(&f, m->target, "worshippers");
    td_arena_free(&f.arena);
}

/* A protest is aimed at an authority: with no government named, the
 * country stands for it; nouns modified by a trigger word and "broke out"
 * are no objects; "These" is no actor. */
static void protest_targets_and_non_objects(void **state)
{
    (void)state;
    fx f;
    const char *z = "Thousands of dockers marched against the new port levy in Velmoor on Sunday, "
                    "the third weekend of protests in Norvania.";
    td_name_span names[] = { { { 0, 0 }, TD_NAME_PLACE, 5, 3 }, { { 0, 0 }, TD_NAME_PLACE, 9, 1 } };
    names[0].span = (td_span){ (uint32_t)(strstr(z, "Velmoor") - z), 7 };
    names[1].span = (td_span){ (uint32_t)(strstr(z, "Norvania") - z), 8 };
    run(&f, z, PUB, names, 2);
    td_event_mention *m = of_type(&f, TD_EV_PROTEST);
    field_is(&f, m->target, "Norvania");
    assert_int_equal(m->target_id, 9);
    td_arena_free(&f.arena);
    run(&f, "Clashes broke out in Varn on Monday as police blocked the protest area.", PUB, NULL,
        0);
    for (uint32_t k = 0; k < f.n; k++)
        assert_true(f.m[k].target.len == 0 ||
                    (strncmp(f.z + f.m[k].target.off, "broke", 5) != 0 &&
                     strncmp(f.z + f.m[k].target.off, "area", 4) != 0));
    td_arena_free(&f.arena);
    run(&f, "These protests must end, the mayor said.", PUB, NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        assert_true(f.m[k].actor.len == 0 || strncmp(f.z + f.m[k].actor.off, "These", 5) != 0);
    td_arena_free(&f.arena);
}

/* Who reports an attack is neither its actor nor its target, unless the
 * report is of its own act ("said it carried out"). */
static void speakers_are_no_parties(void **state)
{
    (void)state;
    fx f;
    const char *z = "Jets struck a fuel depot near Varn on Monday, Ilse Maran, a local doctor, "
                    "said.";
    td_name_span nm[] = { { { 0, 0 }, TD_NAME_PERSON, 3, 0 } };
    nm[0].span = (td_span){ (uint32_t)(strstr(z, "Ilse Maran") - z), 10 };
    run(&f, z, PUB, nm, 1);
    td_event_mention *m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_int_not_equal(m->target_id, 3);
    field_is(&f, m->target, "fuel depot");
    td_arena_free(&f.arena);
    z = "The Red Crescent said the attack struck a bus carrying pupils in Varn.";
    nm[0].type = TD_NAME_ORG;
    nm[0].span = (td_span){ (uint32_t)(strstr(z, "Red Crescent") - z), 12 };
    run(&f, z, PUB, nm, 1);
    m = of_type(&f, TD_EV_ARMED_CLASH);
    assert_int_not_equal(m->actor_id, 3);
    assert_true(m->actor.len == 0 || strncmp(f.z + m->actor.off, "Red", 3) != 0);
    field_is(&f, m->target, "bus carrying pupils");
    td_arena_free(&f.arena);
    z = "The Velorian Air Command said it carried out an air strike on a rebel camp.";
    nm[0].span = (td_span){ (uint32_t)(strstr(z, "Velorian Air Command") - z), 20 };
    run(&f, z, PUB, nm, 1);
    m = of_type(&f, TD_EV_AIRSTRIKE);
    assert_int_equal(m->actor_id, 3);
    td_arena_free(&f.arena);
    run(&f, "Today's attack on the convoy near Varn was a crime, the mayor said.", PUB, NULL, 0);
    for (uint32_t k = 0; k < f.n; k++)
        assert_true(f.m[k].actor.len == 0 || strncmp(f.z + f.m[k].actor.off, "Today", 5) != 0);
    td_arena_free(&f.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(airstrike_with_arguments),
        cmocka_unit_test(passive_actor_and_caller_places),
        cmocka_unit_test(several_events_in_a_sentence),
        cmocka_unit_test(modality_keeps_out_unreal_events),
        cmocka_unit_test(for_after_a_state_is_no_request),
        cmocka_unit_test(tally_of_missing_is_a_statement),
        cmocka_unit_test(meeting_party_place_is_no_venue),
        cmocka_unit_test(subject_before_apposition),
        cmocka_unit_test(dateline_day_is_no_event_date),
        cmocka_unit_test(background_events_keep_their_date),
        cmocka_unit_test(crowds_without_verbs),
        cmocka_unit_test(protest_organisers),
        cmocka_unit_test(protest_seats_of_power),
        cmocka_unit_test(owners_are_not_targets),
        cmocka_unit_test(dates_after_since),
        cmocka_unit_test(speakers_and_heads),
        cmocka_unit_test(meetings_condemnations_abductions),
        cmocka_unit_test(places_of_the_clause),
        cmocka_unit_test(organisations_are_no_places),
        cmocka_unit_test(backgrounds_subjects_and_homes),
        cmocka_unit_test(reporting_day_anchors_weekdays),
        cmocka_unit_test(undated_lead_takes_the_body_date),
        cmocka_unit_test(article_without_date),
        cmocka_unit_test(designators_are_not_tolls),
        cmocka_unit_test(other_types),
        cmocka_unit_test(empty_and_bad_input),
        cmocka_unit_test(report_dates_and_toll_updates),
        cmocka_unit_test(protests_crowds_and_governments),
        cmocka_unit_test(reactions_target_the_attacker),
        cmocka_unit_test(named_speaker_keeps_a_weak_statement),
        cmocka_unit_test(narrated_day_anchors_its_paragraph),
        cmocka_unit_test(who_storms_decides_the_type),
        cmocka_unit_test(by_phrase_after_complements),
        cmocka_unit_test(news_agencies_are_no_parties),
        cmocka_unit_test(next_sentence_tolls),
        cmocka_unit_test(relative_clause_dates),
        cmocka_unit_test(attributed_and_claimed_actors),
        cmocka_unit_test(targets_are_the_people_attacked),
        cmocka_unit_test(protest_targets_and_non_objects),
        cmocka_unit_test(speakers_are_no_parties),
    };
    return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
