/* test_entity_store.c - entities in the store (src/store/sqlite_entity.c),
 * every case on SQLite and again on PostgreSQL when TIDINGS_TEST_PG names a
 * server: per-article rows, the corpus rebuild (variants merged across
 * articles, a re-ingested article replacing its rows, articles whose rowids
 * lie blocks apart), mentions pointing to corpus entities, a second rebuild
 * leaving the tables as they were, and the `kind: entity` export. Fictional
 * articles. */
#include "test_util.h"

#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "store/store_entity.h"
#include "../fixtures/entities/fixture.h"

typedef struct fx {
    td_entity_models *md;
    td_store *s;
    bool pg;
    char path[256]; /* SQLite: the file; PostgreSQL: the URL of the case's schema */
} fx;

static int setup_lite(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !(f->md = fx_models()))
        return -1;
    *state = f;
    strcpy(f->path, "/tmp/td_entstore_XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->path);
    return td_store_open(f->path, false, &f->s, NULL) == TD_OK ? 0 : -1;
}

/* PostgreSQL: a fresh schema per case; without a server the case skips. */
static int setup_pg(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !(f->md = fx_models()))
        return -1;
    *state = f;
    f->pg = true;
    int rc = td_test_pg_schema("entstore", f->path, sizeof f->path);
    if (rc <= 0)
        return rc;
    td_buf err = TD_BUF_INIT;
    if (td_store_open(f->path, false, &f->s, &err) != TD_OK) {
        fprintf(stderr, "test_entity_store: %s\n", err.p ? err.p : "cannot open the store");
        /* while the stage files move onto db.h (docs/postgres.md) some
         * migrations have no PostgreSQL text: the case skips, saying so */
        bool pending = err.p && strstr(err.p, "has no PostgreSQL form yet");
        td_buf_free(&err);
        return pending ? 0 : -1;
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
    fx_models_free(f->md);
    if (f->pg) {
        td_test_pg_drop("entstore");
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

/* Stores an article row and its entities; returns its rowid. */
static int64_t put(fx *f, td_arena *a, const char *id, const char *body)
{
    td_article art;
    memset(&art, 0, sizeof art);
    art.arena = a;
    art.id = td_str_cstr(id);
    art.body = td_str_cstr(body);
    art.raw = art.body;
    art.text = art.body;
    int64_t rowid = 0;
    assert_int_equal(td_store_article_put(f->s, &art, 1, TD_STR_LIT("[]"), &rowid), TD_OK);
    td_entities en;
    assert_int_equal(td_entities_extract_article(f->md, &art, &en), TD_OK);
    assert_int_equal(td_store_entities_put(f->s, rowid, &en, f->md->gaz), TD_OK);
    return rowid;
}

static int64_t scalar(fx *f, const char *sql)
{
    td_stmt *st = NULL;
    td_buf err = TD_BUF_INIT;
    if (td_db_prepare(td_store_sql(f->s), sql, &st, &err) != TD_OK)
        fail_msg("%s: %s", sql, err.p ? err.p : "");
    td_buf_free(&err);
    int64_t v = td_stmt_step(st) == TD_DB_ROW ? td_stmt_i64(st, 0) : -1;
    td_stmt_finalize(st);
    return v;
}

/* Every row of sql, one line each (columns joined by '|'), into out. */
static void rows(fx *f, const char *sql, td_buf *out)
{
    td_stmt *st = NULL;
    assert_int_equal(td_db_prepare(td_store_sql(f->s), sql, &st, NULL), TD_OK);
    while (td_stmt_step(st) == TD_DB_ROW) {
        for (int i = 0; i < td_stmt_columns(st); i++) {
            const char *t = td_stmt_text(st, i);
            td_buf_printf(out, "%s%s", i ? "|" : "", t ? t : "NULL");
        }
        td_buf_putc(out, '\n');
    }
    td_stmt_finalize(st);
}

static char *export_all(fx *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_export_entities(f->s, mem, TD_EXPORT_JSONL, &err), TD_OK);
    fclose(mem);
    td_buf_free(&err);
    return buf;
}

static void rebuild_merges_and_replaces(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    td_arena a;
    td_arena_init(&a, 1 << 16);
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, &a, "k1", "Interior Minister Haroun al-Tessaly said the Crimson Valley Front (CVF) "
                     "had shelled Velmoor.");
    td_arena_reset(&a);
    put(f, &a, "k2", "Haroun Al Tessali told reporters the CVF had left Velmoor on Monday.");
    td_arena_reset(&a);
    assert_int_equal(td_store_commit(f->s), TD_OK);
    assert_int_equal(td_store_entities_rebuild(f->s, f->md, &a), TD_OK);
    /* one minister, one group, one city, each in two articles */
    assert_int_equal(scalar(f, "SELECT count(*) FROM entity WHERE type = 'person'"), 1);
    assert_int_equal(scalar(f, "SELECT n_articles FROM entity e JOIN entity_info i ON i.id = e.id"
                               " WHERE name = 'Haroun al-Tessaly'"), 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM alias a JOIN entity e ON e.id = a.entity_id"
                               " WHERE e.name = 'Crimson Valley Front' AND a.surface = 'CVF'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM entity WHERE name = 'Velmoor' AND type = 'place'"
                               " AND geonames_id = 9000001 AND lat < -41"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM mention WHERE entity_id IS NULL"), 0);
    /* every mention points where its article's entity row does */
    assert_int_equal(scalar(f, "SELECT count(*) FROM mention m JOIN art_entity x ON x.article = m.article_id"
                               " AND x.idx = m.idx WHERE m.entity_id <> x.entity_id"), 0);
    /* re-ingesting k2 with other text replaces its rows */
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, &a, "k2", "Governor Lena Varga visited Port Lunen.");
    assert_int_equal(td_store_commit(f->s), TD_OK);
    assert_int_equal(td_store_entities_rebuild(f->s, f->md, &a), TD_OK);
    assert_int_equal(scalar(f, "SELECT n_articles FROM entity e JOIN entity_info i ON i.id = e.id"
                               " WHERE name = 'Haroun al-Tessaly'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM entity WHERE name = 'Lena Varga'"), 1);

    /* the export */
    char *buf = export_all(f);
    assert_non_null(strstr(buf, "{\"kind\":\"entity\",\"id\":\"n"));
    assert_non_null(strstr(buf, "\"name\":\"Crimson Valley Front\",\"aliases\":[\"CVF\"]"));
    assert_non_null(strstr(buf, "\"name\":\"Velmoor\""));
    assert_non_null(strstr(buf, "\"geonameid\":9000001"));
    assert_non_null(strstr(buf, "\"articles\":[\"k1\"]"));
    free(buf);
    td_arena_free(&a);
}

/* Articles whose rowids lie far apart (the rebuild reads a block of rowids
 * at a time) still merge; a second rebuild over unchanged rows writes the
 * same tables and the same export. */
static void rebuild_across_blocks_is_stable(void **state)
{
    fx *f = *state;
    NEED_STORE(f);
    td_arena a;
    td_arena_init(&a, 1 << 16);
    td_article art;
    memset(&art, 0, sizeof art);
    art.arena = &a;
    art.body = td_str_cstr("Mayor Odile Marrant of Velmoor opened the Velmoor Harbour Authority offices.");
    art.text = art.body;
    td_entities en;
    assert_int_equal(td_store_begin(f->s), TD_OK);
    /* entity rows only: the rebuild reads art_entity, not article */
    const int64_t ids[] = { 3, 70001, 140007 };
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(td_entities_extract_article(f->md, &art, &en), TD_OK);
        assert_int_equal(td_store_entities_put(f->s, ids[k], &en, f->md->gaz), TD_OK);
    }
    assert_int_equal(td_store_commit(f->s), TD_OK);
    assert_int_equal(td_store_entities_rebuild(f->s, f->md, &a), TD_OK);
    assert_int_equal(scalar(f, "SELECT n_articles FROM entity e JOIN entity_info i ON i.id = e.id"
                               " WHERE name = 'Odile Marrant'"), 3);
    assert_int_equal(scalar(f, "SELECT count(*) FROM entity_article x JOIN entity e ON e.id = x.entity_id"
                               " WHERE e.name = 'Velmoor'"), 3);
    assert_int_equal(scalar(f, "SELECT count(*) FROM mention WHERE entity_id IS NULL"), 0);
    static const char snap[] =
        "SELECT e.id, e.type, e.name, e.country, i.n_mentions, i.n_articles,"
        " (SELECT count(*) FROM alias WHERE entity_id = e.id),"
        " (SELECT count(*) FROM mention WHERE entity_id = e.id)"
        " FROM entity e JOIN entity_info i ON i.id = e.id ORDER BY e.id";
    td_buf one = TD_BUF_INIT, two = TD_BUF_INIT;
    rows(f, snap, &one);
    char *exp1 = export_all(f);
    assert_true(one.len > 0);
    assert_int_equal(td_store_entities_rebuild(f->s, f->md, &a), TD_OK);
    rows(f, snap, &two);
    char *exp2 = export_all(f);
    assert_string_equal(one.p, two.p);
    assert_string_equal(exp1, exp2);
    free(exp1);
    free(exp2);
    td_buf_free(&one);
    td_buf_free(&two);
    td_arena_free(&a);
}

#define CASE(setup, t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
    const struct CMUnitTest lite[] = {
        CASE(setup_lite, rebuild_merges_and_replaces),
        CASE(setup_lite, rebuild_across_blocks_is_stable),
    };
    const struct CMUnitTest pg[] = {
        CASE(setup_pg, rebuild_merges_and_replaces),
        CASE(setup_pg, rebuild_across_blocks_is_stable),
    };
    int fails = cmocka_run_group_tests_name("entity_store on SQLite", lite, NULL, NULL);
    if (!getenv("TIDINGS_TEST_PG"))
        fprintf(stderr, "test_entity_store: TIDINGS_TEST_PG not set; the PostgreSQL group is skipped\n");
    fails += cmocka_run_group_tests_name("entity_store on PostgreSQL", pg, NULL, NULL);
    return fails;
}
