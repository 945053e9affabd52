/*
 * test_summary.c - story summaries: the sentence filter, the choice of
 * sentences (central, not redundant, never from captions, in reading order,
 * linked to their article) and the stored summaries (recomputed only for
 * stories that changed). The articles are fictional wire copy.
 */
#include "test_util.h"

#include <sqlite3.h>

#include "summary/summary.h"

/* Three outlets reporting the same fictional flood. */
static const char *const BODY[] = {
    "LOWER TAMSFORD, Ostravia \xe2\x80\x94 Floodwater swept through the riverside district of Lower Tamsford on Tuesday after the Orrin River burst its "
    "banks, forcing hundreds of families from their homes.\n\n"
    "Emergency crews evacuated more than 400 residents from Lower Tamsford overnight, the regional council said.\n\n"
    "Council leader Petra Vanko said the water had risen faster than forecasters expected.\n\n"
    "Schools in the district will stay closed until Friday.\n\n"
    "Subscribe to our newsletter for daily updates from the valley.",

    "The Orrin River burst its banks on Tuesday, flooding the riverside district of Lower Tamsford and driving "
    "hundreds of families from their homes.\n\n"
    "Rescue boats ferried elderly residents to a sports hall on higher ground.\n\n"
    "More than 400 residents of Lower Tamsford were evacuated overnight, according to the regional council.\n\n"
    "Insurers warned that the cost of the damage could run into the millions.",

    "Residents of Lower Tamsford began returning home on Thursday as the Orrin River receded.\n\n"
    "Volunteers cleared mud from the high street while engineers inspected the old stone bridge.\n\n"
    "The floods on Tuesday forced hundreds of families in Lower Tamsford from their homes after the river burst "
    "its banks.\n\n"
    "Reporting by Ilse Marrow; editing by Tom Brandt.",
};
static const char CAPTION[] = "Rescue boats ferried elderly residents to a sports hall on higher ground.";

static void filter_rejects_boilerplate_and_fragments(void **state)
{
    (void)state;
    td_str none = td_str_make("", 0);
    assert_true(td_summary_sentence_ok(td_str_cstr("Emergency crews evacuated more than 400 residents overnight, "
                                                   "the regional council said."), none));
    /* calls to subscribe, credits, links, headlines, questions, lists */
    assert_false(td_summary_sentence_ok(td_str_cstr("Subscribe to our newsletter for daily updates from the valley."),
                                        none));
    assert_false(td_summary_sentence_ok(td_str_cstr("Reporting by Ilse Marrow; editing by Tom Brandt."), none));
    assert_false(td_summary_sentence_ok(td_str_cstr("Read the full report at https://example.org/report today."),
                                        none));
    assert_false(td_summary_sentence_ok(td_str_cstr("Floods force hundreds from homes in Lower Tamsford"), none));
    assert_false(td_summary_sentence_ok(td_str_cstr("Will the old stone bridge on the high street survive the flood?"),
                                        none));
    assert_false(td_summary_sentence_ok(td_str_cstr("Results: 12, 45, 77, 102, 3.5, 8.1, 19, 204, 66, 81."), none));
    assert_false(td_summary_sentence_ok(td_str_cstr("the water had risen faster than forecasters had expected."),
                                        none));
    /* a caption repeated in the body */
    assert_false(td_summary_sentence_ok(td_str_cstr(CAPTION), td_str_cstr(CAPTION)));
    /* a closing quote after the full stop still ends a sentence */
    assert_true(td_summary_sentence_ok(td_str_cstr("\xe2\x80\x9cThe water rose faster than anyone in the district "
                                                   "expected,\xe2\x80\x9d Vanko said.\xe2\x80\x9d"), none));
}

static bool contains(td_str s, const char *needle)
{
    return td_str_find(s, td_str_cstr(needle)) != (size_t)-1;
}

static void picks_central_non_redundant_sentences(void **state)
{
    (void)state;
    td_summary_doc docs[3];
    for (int i = 0; i < 3; i++)
        docs[i] = (td_summary_doc){ 100 + i, td_str_cstr(BODY[i]), td_str_make("", 0) };
    docs[1].captions = td_str_cstr(CAPTION);
    td_summarizer *sz = td_summarizer_new();
    assert_non_null(sz);
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_summary_sent *out = NULL;
    size_t n = 0;
    assert_int_equal(td_summary_pick(sz, docs, 3, NULL, &a, &out, &n), TD_OK);
    assert_in_range(n, 3, 5);
    int evacuated = 0, burst = 0;
    for (size_t i = 0; i < n; i++) {
        assert_in_range(out[i].doc, 0, 2);
        assert_int_equal(out[i].article, 100 + (int64_t)out[i].doc);
        assert_true(out[i].off + out[i].len <= docs[out[i].doc].body.len);
        td_str s = td_str_make(docs[out[i].doc].body.p + out[i].off, out[i].len);
        assert_true(td_summary_sentence_ok(s, docs[out[i].doc].captions));
        assert_false(contains(s, "Subscribe"));
        assert_false(contains(s, "Reporting by"));
        assert_false(contains(s, "Rescue boats")); /* a caption */
        evacuated += contains(s, "400 residents");
        burst += contains(s, "burst its") || contains(s, "burst its banks");
        /* reading order: earliest article first, then by position */
        if (i)
            assert_true(out[i - 1].doc < out[i].doc || (out[i - 1].doc == out[i].doc && out[i - 1].off < out[i].off));
    }
    /* the facts every outlet repeats are in, each once: the paraphrases of
     * the same sentence are redundant with each other */
    assert_int_equal(evacuated, 1);
    assert_true(burst >= 1 && burst <= 2);
    /* the earliest report of the lead is preferred to its later echoes */
    assert_int_equal(out[0].doc, 0);
    /* ... without its dateline */
    assert_memory_equal(docs[0].body.p + out[0].off, "Floodwater swept", 16);

    /* one article whose later paragraphs echo each other more than the
     * lead does: the lead still opens the summary */
    td_summary_doc one = { 9, td_str_cstr(
        "Voters in the coastal province of Ostravia elected Mara Ivens as governor on Sunday, ending two decades of "
        "rule by the Harbour Party.\n\n"
        "Turnout in the fishing towns of the north reached a record level, the electoral office said.\n\n"
        "In the fishing towns of the north, turnout was higher than in any vote since the office began counting.\n\n"
        "Officials in the fishing towns of the north said turnout had surprised them."), td_str_make("", 0) };
    assert_int_equal(td_summary_pick(sz, &one, 1, NULL, &a, &out, &n), TD_OK);
    assert_true(n >= 1);
    assert_int_equal(out[0].off, 0);
    assert_memory_equal(one.body.p, "Voters in the coastal", 21);

    /* limits are obeyed */
    td_summary_opts o = { .min_sentences = 1, .max_sentences = 2 };
    assert_int_equal(td_summary_pick(sz, docs, 3, &o, &a, &out, &n), TD_OK);
    assert_in_range(n, 1, 2);
    /* nothing qualifies: no sentence, no error */
    td_summary_doc junk = { 7, td_str_cstr("Share this\n\nClick here to subscribe.\n\nPhoto: Getty Images"),
                            td_str_make("", 0) };
    assert_int_equal(td_summary_pick(sz, &junk, 1, NULL, &a, &out, &n), TD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(td_summary_pick(sz, NULL, 0, NULL, &a, &out, &n), TD_OK);
    assert_int_equal(n, 0);
    td_arena_free(&a);
    td_summarizer_free(sz);
}

static int count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

static void tick(void *ud)
{
    (*(int *)ud)++;
}

static void stores_and_refreshes_summaries(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    td_db *tdb = NULL; /* the summary code speaks db.h */
    assert_int_equal(td_db_wrap_sqlite(db, &tdb), TD_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE article (rowid INTEGER PRIMARY KEY, id TEXT, published TEXT,"
                                  " body TEXT, captions TEXT, body_hash INTEGER, duplicate_of INTEGER,"
                                  " story_id INTEGER);"
                                  "CREATE TABLE story (id INTEGER PRIMARY KEY, title TEXT);"
                                  "INSERT INTO story VALUES (1, 'Flood'), (2, 'Other');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* without the summary tables: nothing to do, no error */
    td_buf err = TD_BUF_INIT;
    td_summary_stats st = { 0 };
    assert_int_equal(td_summary_update(tdb, false, NULL, NULL, &st, &err), TD_OK);
    assert_int_equal(st.stories, 0);
    assert_int_equal(sqlite3_exec(db, TD_SUMMARY_SCHEMA, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *ins = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO article (id, published, body, captions, body_hash,"
                                            " duplicate_of, story_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
                                        -1, &ins, NULL), SQLITE_OK);
    static const char *const DATES[] = { "2025-04-02", "2025-04-02", "2025-04-04" };
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%d", i);
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, DATES[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, BODY[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, i == 1 ? CAPTION : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, 1000 + i);
        sqlite3_bind_null(ins, 6);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    /* an exact copy of the first article: never a source of the summary */
    sqlite3_bind_text(ins, 1, "copy", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, "2025-04-01", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, BODY[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 5, 1000);
    sqlite3_bind_int64(ins, 6, 1);
    assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
    sqlite3_finalize(ins);

    int ticks = 0;
    assert_int_equal(td_summary_update(tdb, false, tick, &ticks, &st, &err), TD_OK);
    assert_true(ticks >= 1);
    assert_int_equal(st.stories, 1);
    int rows = count(db, "SELECT count(*) FROM story_summary WHERE story_id = 1");
    assert_in_range(rows, 3, 5);
    assert_int_equal((size_t)rows, st.sentences);
    assert_int_equal(count(db, "SELECT count(*) FROM story_summary WHERE article_id = 4"), 0);
    /* each stored sentence is the body text at its offset */
    assert_int_equal(count(db, "SELECT count(*) FROM story_summary s JOIN article a ON a.rowid = s.article_id"
                               " WHERE substr(CAST(a.body AS BLOB), s.start + 1, length(CAST(s.sentence AS BLOB)))"
                               " = CAST(s.sentence AS BLOB)"), rows);
    assert_int_equal(count(db, "SELECT min(rank) = 0 AND max(rank) = count(*) - 1 FROM story_summary"), 1);

    /* nothing changed: nothing recomputed */
    st = (td_summary_stats){ 0 };
    assert_int_equal(td_summary_update(tdb, false, NULL, NULL, &st, &err), TD_OK);
    assert_int_equal(st.stories, 0);
    /* a changed body: the story is recomputed */
    assert_int_equal(sqlite3_exec(db, "UPDATE article SET body_hash = 77 WHERE rowid = 3", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(td_summary_update(tdb, false, NULL, NULL, &st, &err), TD_OK);
    assert_int_equal(st.stories, 1);
    /* the story loses its articles: its summary goes */
    assert_int_equal(sqlite3_exec(db, "UPDATE article SET story_id = NULL", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(td_summary_update(tdb, false, NULL, NULL, &st, &err), TD_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM story_summary"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM story_summary_state"), 0);
    td_buf_free(&err);
    td_db_close(tdb);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filter_rejects_boilerplate_and_fragments),
        cmocka_unit_test(picks_central_non_redundant_sentences),
        cmocka_unit_test(stores_and_refreshes_summaries),
    };
    return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
