/* test_event_store.c - events in the store on fictional wire copy: an
 * article's mentions and quotes stored, merged across outlets with every
 * source and disagreeing claim kept, ids and revisions stable when the merge
 * runs again, bumped when a source adds a higher toll; the export records. */
#include "test_util.h"

#include "extract/event.h"
#include "extract/names.h"
#include "store/store_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct fx {
    char path[256]; /* SQLite: the file; PostgreSQL: the URL of the case's schema */
    bool pg;
    td_store *s;
} fx;

static int setup_lite(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->path, "/tmp/td_evstore_XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->path);
    if (td_store_open(f->path, false, &f->s, NULL) != TD_OK)
        return -1;
    *state = f;
    return 0;
}

/* PostgreSQL: a fresh schema per case (TIDINGS_TEST_PG); without a server
 * the case skips. */
static int setup_pg(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    f->pg = true;
    int rc = td_test_pg_schema("evstore", f->path, sizeof f->path);
    if (rc <= 0)
        return rc;
    td_buf err = TD_BUF_INIT;
    if (td_store_open(f->path, false, &f->s, &err) != TD_OK) {
        fprintf(stderr, "test_event_store: %s\n", err.p ? err.p : "cannot open the store");
        td_buf_free(&err);
        return -1;
    }
    td_buf_free(&err);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (!f)
        return 0;
    td_store_close(f->s);
    if (f->pg) {
        td_test_pg_drop("evstore");
    } else {
        char p[300];
        unlink(f->path);
        snprintf(p, sizeof p, "%s-wal", f->path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", f->path);
        unlink(p);
    }
    free(f);
    return 0;
}

#define NEED_STORE(f) do { if (!(f)->s) skip(); } while (0)

/* Stores an article, extracts its events and quotes (no entity data) and
 * stores them; returns the number of mentions. */
static uint32_t put(fx *f, const char *id, const char *outlet, const char *title, const char *body, int day)
{
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_article art;
    memset(&art, 0, sizeof art);
    art.arena = &a;
    art.id = td_str_cstr(id);
    art.outlet = td_str_cstr(outlet);
    art.title = td_str_cstr(title);
    art.body = td_str_cstr(body);
    art.raw = art.text = art.body;
    art.published = (td_date){ 2031, 4, (int8_t)day, TD_PREC_DAY };
    int64_t rowid = 0;
    assert_int_equal(td_store_article_put(f->s, &art, (uint64_t)day, TD_STR_LIT("[]"), &rowid), TD_OK);
    td_event_article ev;
    assert_int_equal(td_event_article_extract(NULL, NULL, &art, &ev), TD_OK);
    assert_int_equal(td_store_events_put(f->s, rowid, &ev), TD_OK);
    td_arena_free(&a);
    return ev.n;
}

static int64_t scalar(fx *f, const char *sql)
{
    td_stmt *st = NULL;
    assert_int_equal(td_db_prepare(td_store_sql(f->s), sql, &st, NULL), TD_OK);
    int64_t v = td_stmt_step(st) == TD_DB_ROW ? td_stmt_i64(st, 0) : -1;
    td_stmt_finalize(st);
    return v;
}

static char *text(fx *f, const char *sql)
{
    td_stmt *st = NULL;
    assert_int_equal(td_db_prepare(td_store_sql(f->s), sql, &st, NULL), TD_OK);
    char *v = td_stmt_step(st) == TD_DB_ROW && td_stmt_text(st, 0) ? strdup(td_stmt_text(st, 0)) : NULL;
    td_stmt_finalize(st);
    return v;
}

/* "id type date, ..." of every event in id order (a malloc'd string). */
static char *event_list(fx *f)
{
    td_stmt *st = NULL;
    assert_int_equal(td_db_prepare(td_store_sql(f->s), "SELECT id, type, date FROM event ORDER BY id", &st, NULL),
                     TD_OK);
    td_buf b = TD_BUF_INIT;
    while (td_stmt_step(st) == TD_DB_ROW)
        td_buf_printf(&b, "%s%lld %s %s", b.len ? ", " : "", (long long)td_stmt_i64(st, 0), td_stmt_text(st, 1),
                      td_stmt_text(st, 2) ? td_stmt_text(st, 2) : "-");
    td_stmt_finalize(st);
    char *v = strdup(b.p ? b.p : "");
    td_buf_free(&b);
    return v;
}

static const char A1[] =
    "Velorian warplanes struck a market in Dar el-Mirah on Monday, killing at least 12 people, "
    "the health directorate said.\n\n"
    "\"We heard the jets and then the roof fell in,\" said Halim Oster, a trader.\n\n"
    "The Crimson Dawn Front vowed to attack the capital.";
static const char A2[] =
    "An air strike by Velorian jets hit the main market in Dar el-Mirah on Monday, killing 15 people, "
    "local officials said.\n\n"
    "The army said it had targeted a weapons depot.";
static const char A3[] =
    "The death toll from Monday's air strike on the Dar el-Mirah market rose to 19, the health "
    "directorate said on Wednesday.";

static void merged_with_sources_and_claims(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    assert_int_equal(td_store_begin(f->s), TD_OK);
    assert_true(put(f, "a1", "velorian-times.example", "Jets strike Dar el-Mirah market", A1, 8) > 0);
    assert_true(put(f, "a2", "kestrel-herald.example", "Air strike kills 15 in Dar el-Mirah", A2, 8) > 0);
    assert_int_equal(td_store_commit(f->s), TD_OK);
    /* the threat is stored, flagged, and kept out of the events */
    assert_true(scalar(f, "SELECT count(*) FROM event_mention WHERE modality = 'threatened'") >= 1);
    /* the quote, with its speaker as written */
    char *sp = text(f, "SELECT speaker FROM quote WHERE kind = 'direct'");
    assert_non_null(sp);
    assert_string_equal(sp, "Halim Oster");
    free(sp);

    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    /* one air strike reported by both outlets */
    assert_int_equal(scalar(f, "SELECT count(*) FROM event WHERE type = 'airstrike'"), 1);
    int64_t id = scalar(f, "SELECT id FROM event WHERE type = 'airstrike'");
    assert_int_equal(scalar(f, "SELECT n_articles FROM event WHERE type = 'airstrike'"), 2);
    char *d = text(f, "SELECT date FROM event WHERE type = 'airstrike'");
    assert_string_equal(d, "2031-04-07"); /* "on Monday" before Tuesday the 8th */
    free(d);
    /* 12 and 15: the range is kept, the claims name their sources */
    assert_int_equal(scalar(f, "SELECT killed_min FROM event WHERE type = 'airstrike'"), 12);
    assert_int_equal(scalar(f, "SELECT killed_max FROM event WHERE type = 'airstrike'"), 15);
    assert_int_equal(scalar(f, "SELECT count(DISTINCT value) FROM event_claim WHERE field = 'killed'"), 2);
    char *st = text(f, "SELECT status FROM event WHERE type = 'airstrike'");
    assert_string_equal(st, "disputed");
    free(st);
    assert_true(scalar(f, "SELECT count(*) FROM event_source WHERE sentence LIKE '%Dar el-Mirah%'") >= 2);
    assert_int_equal(scalar(f, "SELECT revision FROM event WHERE type = 'airstrike'"), 1);

    /* merging again changes nothing: same id, same revision */
    char *created = text(f, "SELECT created_at FROM event WHERE type = 'airstrike'");
    int64_t n_events = scalar(f, "SELECT count(*) FROM event");
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    assert_int_equal(scalar(f, "SELECT id FROM event WHERE type = 'airstrike'"), id);
    assert_int_equal(scalar(f, "SELECT revision FROM event WHERE type = 'airstrike'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM event"), n_events);

    /* a third outlet with a higher toll: same event, new revision */
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, "a3", "sahrat-online.example", "Market strike toll rises", A3, 10);
    assert_int_equal(td_store_commit(f->s), TD_OK);
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    assert_int_equal(scalar(f, "SELECT id FROM event WHERE type = 'airstrike'"), id);
    assert_int_equal(scalar(f, "SELECT n_articles FROM event WHERE type = 'airstrike'"), 3);
    assert_int_equal(scalar(f, "SELECT killed_max FROM event WHERE type = 'airstrike'"), 19);
    assert_int_equal(scalar(f, "SELECT revision FROM event WHERE type = 'airstrike'"), 2);
    char *created2 = text(f, "SELECT created_at FROM event WHERE type = 'airstrike'");
    assert_string_equal(created, created2);
    free(created);
    free(created2);

    /* the export: one record naming the three articles */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(td_export_events(f->s, out, TD_EXPORT_JSONL, &err), TD_OK);
    assert_int_equal(td_export_quotes(f->s, out, TD_EXPORT_JSONL, &err), TD_OK);
    fclose(out);
    assert_non_null(strstr(buf, "\"kind\":\"event\""));
    assert_non_null(strstr(buf, "\"type\":\"airstrike\",\"date\":\"2031-04-07\""));
    assert_non_null(strstr(buf, "\"articles\":[\"a1\",\"a2\",\"a3\"]"));
    assert_non_null(strstr(buf, "\"location\":{\"name\":\"Dar el-Mirah\""));
    assert_non_null(strstr(buf, "\"kind\":\"quote\""));
    assert_non_null(strstr(buf, "\"speaker\":\"Halim Oster\""));
    free(buf);
    td_buf_free(&err);
}

static void reingest_replaces_mentions(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, "b1", "velorian-times.example", "Protest in Dorvani",
        "Thousands of students marched through Dorvani on Saturday against the fuel price rise.", 12);
    int64_t before = scalar(f, "SELECT count(*) FROM event_mention");
    put(f, "b1", "velorian-times.example", "Protest in Dorvani",
        "Thousands of students marched through Dorvani on Saturday against the fuel price rise.", 12);
    assert_int_equal(scalar(f, "SELECT count(*) FROM event_mention"), before);
    assert_int_equal(td_store_commit(f->s), TD_OK);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    assert_int_equal(scalar(f, "SELECT count(*) FROM event WHERE type = 'protest'"), 1);
    char *d = text(f, "SELECT date FROM event WHERE type = 'protest'");
    assert_string_equal(d, "2031-04-12");
    free(d);
    td_buf_free(&err);
    assert_string_equal(td_event_acled_type("airstrike"), "Explosions/Remote violence");
    assert_string_equal(td_event_acled_sub_type("protest"), "Peaceful protest");
}

/* Two events told in the same sentences (an arrest during a protest): a
 * second merge gives each its own id back, not its neighbour's. */
static void ids_kept_when_events_share_sentences(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    static const char B1[] =
        "Police arrested 40 students during a protest in Dorvani on Tuesday, witnesses said.\n\n"
        "Thousands marched through Dorvani on Tuesday against the fuel price rise.";
    static const char B2[] =
        "Riot police detained dozens of protesters at a rally in Dorvani on Tuesday.\n\n"
        "The protest against the fuel price rise drew thousands to the city centre.";
    static const char B3[] =
        "Security forces arrested 40 people as students protested in Dorvani on Tuesday.";
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, "c1", "velorian-times.example", "Arrests at Dorvani protest", B1, 15);
    put(f, "c2", "kestrel-herald.example", "Dozens held at fuel protest", B2, 15);
    put(f, "c3", "sahrat-online.example", "Students arrested", B3, 15);
    assert_int_equal(td_store_commit(f->s), TD_OK);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    /* the case holds: two events, both from the shared sentences */
    assert_int_equal(scalar(f, "SELECT count(*) FROM event WHERE type = 'protest'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM event WHERE type = 'raid_or_arrest'"), 1);
    assert_true(scalar(f, "SELECT count(*) FROM event_source a JOIN event_source b ON a.article_id = b.article_id"
                          " AND a.sentence_idx = b.sentence_idx AND a.event_id < b.event_id") >= 1);
    char *before = event_list(f);
    assert_int_equal(td_store_events_merge(f->s, &err), TD_OK);
    char *after = event_list(f);
    assert_string_equal(before, after);
    assert_int_equal(scalar(f, "SELECT max(revision) FROM event"), 1);
    free(before);
    free(after);
    td_buf_free(&err);
}

/* More events and quotes than one export page (4096 rows): every record
 * comes once and in id order, each event with its articles in the order
 * they were stored, an article behind two sources of one event named once,
 * an event without sources with an empty list. */
static void export_pages(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    enum { N = 4500 };
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, "p1", "velorian-times.example", "Council meets", "The Dorvani council met on Monday.", 3);
    put(f, "p2", "kestrel-herald.example", "Council meets", "The Dorvani council met on Monday.", 3);
    put(f, "p3", "sahrat-online.example", "Council meets", "The Dorvani council met on Monday.", 3);
    int64_t r[4] = { 0, scalar(f, "SELECT rowid FROM article WHERE id = 'p1'"),
                     scalar(f, "SELECT rowid FROM article WHERE id = 'p2'"),
                     scalar(f, "SELECT rowid FROM article WHERE id = 'p3'") };
    td_db *db = td_store_sql(f->s);
    td_stmt *ie = NULL, *is = NULL, *iq = NULL;
    assert_int_equal(td_db_prepare(db, "INSERT INTO event (id, type) VALUES (?, 'protest')", &ie, NULL), TD_OK);
    assert_int_equal(td_db_prepare(db, "INSERT INTO event_source (event_id, article_id, sentence_idx) VALUES (?, ?, ?)",
                                   &is, NULL), TD_OK);
    assert_int_equal(td_db_prepare(db, "INSERT INTO quote (article_id, text, kind) VALUES (?, ?, 'direct')", &iq, NULL),
                     TD_OK);
    for (int i = 0; i < N; i++) {
        td_stmt_bind_i64(ie, 1, 3 + 2 * i); /* sparse ids */
        assert_int_equal(td_stmt_step(ie), TD_DB_DONE);
        td_stmt_reset(ie);
        /* i % 3 == 0: p3, p1, p3 again; 1: p2; 2: no source */
        static const int src[3][3] = { { 3, 1, 3 }, { 2, 0, 0 }, { 0, 0, 0 } };
        for (int k = 0; k < 3 && src[i % 3][k]; k++) {
            td_stmt_bind_i64(is, 1, 3 + 2 * i);
            td_stmt_bind_i64(is, 2, r[src[i % 3][k]]);
            td_stmt_bind_i64(is, 3, k);
            assert_int_equal(td_stmt_step(is), TD_DB_DONE);
            td_stmt_reset(is);
        }
        char q[32];
        snprintf(q, sizeof q, "quote %d", i);
        td_stmt_bind_i64(iq, 1, r[1 + i % 3]);
        td_stmt_bind_text(iq, 2, q, -1);
        assert_int_equal(td_stmt_step(iq), TD_DB_DONE);
        td_stmt_reset(iq);
    }
    td_stmt_finalize(ie);
    td_stmt_finalize(is);
    td_stmt_finalize(iq);
    assert_int_equal(td_store_commit(f->s), TD_OK);

    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_export_events(f->s, out, TD_EXPORT_JSONL, &err), TD_OK);
    assert_int_equal(td_export_quotes(f->s, out, TD_EXPORT_JSONL, &err), TD_OK);
    fclose(out);
    int ne = 0, nq = 0;
    for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char want[64];
        if (strstr(line, "\"kind\":\"event\"")) {
            snprintf(want, sizeof want, "\"id\":\"e%d\"", 3 + 2 * ne);
            assert_non_null(strstr(line, want));
            static const char *const arts[3] = { "\"articles\":[\"p1\",\"p3\"]", "\"articles\":[\"p2\"]",
                                                 "\"articles\":[]" };
            if (!strstr(line, arts[ne % 3]))
                fail_msg("event %d: expected %s in %s", ne, arts[ne % 3], line);
            ne++;
        } else if (strstr(line, "\"kind\":\"quote\"")) {
            snprintf(want, sizeof want, "\"text\":\"quote %d\",\"article\":\"p%d\"", nq, 1 + nq % 3);
            if (!strstr(line, want))
                fail_msg("quote %d: expected %s in %s", nq, want, line);
            nq++;
        }
    }
    assert_int_equal(ne, N);
    assert_true(nq >= N); /* plus any the three articles' text gave */
    free(buf);
    td_buf_free(&err);
}

/* A place the gazetteer lacks, put inside a placed one by the text, is the
 * most specific place (level 4); elsewhere it stays a town (level 3). */
static void places_inside_placed_ones(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_article art;
    memset(&art, 0, sizeof art);
    art.arena = &a;
    art.body = td_str_cstr("Jets struck a bus in the Tallin market in Marr province on Monday. "
                           "Witnesses in Orsk said Tallin was quiet later.");
    art.published = (td_date){ 2031, 4, 9, TD_PREC_DAY };
    const char *z = art.body.p;
    td_art_entity ents[3];
    memset(ents, 0, sizeof ents);
    ents[0].type = ents[1].type = ents[2].type = TD_ENT_PLACE;
    ents[0].place = -1; /* Tallin: no record */
    ents[1].place = 7;  /* Marr: placed */
    ents[2].place = -1; /* Orsk: no record */
    td_mention ms[4];
    memset(ms, 0, sizeof ms);
    const char *at[4] = { strstr(z, "Tallin"), strstr(z, "Marr"), strstr(z, "Orsk"),
                          strstr(strstr(z, "Orsk"), "Tallin") };
    const uint32_t len[4] = { 6, 4, 4, 6 }, ent[4] = { 0, 1, 2, 0 };
    for (int i = 0; i < 4; i++) {
        ms[i].off = (uint32_t)(at[i] - z);
        ms[i].len = len[i];
        ms[i].type = TD_ENT_PLACE;
        ms[i].ent = ent[i];
    }
    td_entities en = { ms, 4, ents, 3, "" };
    td_event_article ev;
    assert_int_equal(td_event_article_extract(NULL, &en, &art, &ev), TD_OK);
    assert_int_equal(ev.n_names, 4);
    assert_int_equal(ev.names[0].level, 4); /* "Tallin market in Marr province" */
    assert_int_equal(ev.names[1].level, 3);
    assert_int_equal(ev.names[2].level, 3); /* Orsk: no placed place follows */
    assert_int_equal(ev.names[3].level, 3);
    td_arena_free(&a);
}

#define BOTH(setup, t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(places_inside_placed_ones),
    };
    const struct CMUnitTest lite[] = {
        BOTH(setup_lite, merged_with_sources_and_claims),
        BOTH(setup_lite, reingest_replaces_mentions),
        BOTH(setup_lite, export_pages),
        BOTH(setup_lite, ids_kept_when_events_share_sentences),
    };
    const struct CMUnitTest pg[] = {
        BOTH(setup_pg, merged_with_sources_and_claims),
        BOTH(setup_pg, reingest_replaces_mentions),
        BOTH(setup_pg, export_pages),
        BOTH(setup_pg, ids_kept_when_events_share_sentences),
    };
    int fails = cmocka_run_group_tests_name("event_store", pure, NULL, NULL);
    fails += cmocka_run_group_tests_name("event_store on SQLite", lite, NULL, NULL);
    if (!getenv("TIDINGS_TEST_PG"))
        fprintf(stderr, "test_event_store: TIDINGS_TEST_PG not set; the PostgreSQL group is skipped\n");
    fails += cmocka_run_group_tests_name("event_store on PostgreSQL", pg, NULL, NULL);
    return fails;
}
