/* test_entity_store.c - entities in SQLite (src/store/sqlite_entity.c):
 * per-article rows, the corpus rebuild (variants merged across articles, a
 * re-ingested article replacing its rows), mentions pointing to corpus
 * entities, and the `kind: entity` export. Fictional articles. */
#include "test_util.h"

#include <stdlib.h>
#include <unistd.h>

#include "store/store_entity.h"
#include "../fixtures/entities/fixture.h"

typedef struct fx {
    td_entity_models *md;
    td_store *s;
    char path[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f || !(f->md = fx_models()))
        return -1;
    strcpy(f->path, "/tmp/td_entstore_XXXXXX");
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

static int teardown(void **state)
{
    fx *f = *state;
    td_store_close(f->s);
    fx_models_free(f->md);
    unlink(f->path);
    char p[96];
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

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
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(td_store_db(f->s), sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void rebuild_merges_and_replaces(void **state)
{
    fx *f = *state;
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
    /* re-ingesting k2 with other text replaces its rows */
    assert_int_equal(td_store_begin(f->s), TD_OK);
    put(f, &a, "k2", "Governor Lena Varga visited Port Lunen.");
    assert_int_equal(td_store_commit(f->s), TD_OK);
    assert_int_equal(td_store_entities_rebuild(f->s, f->md, &a), TD_OK);
    assert_int_equal(scalar(f, "SELECT n_articles FROM entity e JOIN entity_info i ON i.id = e.id"
                               " WHERE name = 'Haroun al-Tessaly'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM entity WHERE name = 'Lena Varga'"), 1);

    /* the export */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    td_buf err = TD_BUF_INIT;
    assert_int_equal(td_export_entities(f->s, mem, TD_EXPORT_JSONL, &err), TD_OK);
    fclose(mem);
    assert_non_null(strstr(buf, "{\"kind\":\"entity\",\"id\":\"n"));
    assert_non_null(strstr(buf, "\"name\":\"Crimson Valley Front\",\"aliases\":[\"CVF\"]"));
    assert_non_null(strstr(buf, "\"name\":\"Velmoor\""));
    assert_non_null(strstr(buf, "\"geonameid\":9000001"));
    free(buf);
    td_buf_free(&err);
    td_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rebuild_merges_and_replaces),
    };
    return cmocka_run_group_tests_name("entity_store", tests, setup, teardown);
}
