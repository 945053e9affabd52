#include "test_util.h"
/*
 * test_fuzz.c - replays the fuzzers' regression inputs in `make check`.
 *
 * Every libFuzzer target of tests/fuzz/ is included here with
 * TD_FUZZ_NO_ENTRY, so its entry is a static function this suite can call
 * with gcc, plain and under ASan+UBSan, without clang or libFuzzer. For each
 * target the suite runs every file of tests/fuzz/regress/<target>/ (inputs
 * that once crashed, hung or leaked: see docs/reliability.md) and the team's
 * own fixtures that fit the target, so the targets themselves keep compiling
 * and running. A crasher that comes back aborts the suite, or is an ASan /
 * UBSan / LSan report in the sanitizer build.
 *
 * Run from the repository root (tests/run-all does so).
 */
#define TD_FUZZ_NO_ENTRY 1

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"

#include "../fuzz/fuzz_api.c"
#include "../fuzz/fuzz_clean.c"
#include "../fuzz/fuzz_date.c"
#include "../fuzz/fuzz_event.c"
#include "../fuzz/fuzz_html.c"
#include "../fuzz/fuzz_jsonl.c"
#include "../fuzz/fuzz_quote.c"
#include "../fuzz/fuzz_timex.c"
#include "../fuzz/fuzz_toll.c"
#include "../fuzz/fuzz_warc.c"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

/* Runs fn on the whole content of path; fails the test when it cannot be read. */
static void replay_file(fuzz_fn fn, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0)
        fail_msg("cannot stat %s", path);
    size_t n = (size_t)sb.st_size;
    uint8_t *buf = td_malloc(n ? n : 1);
    assert_non_null(buf);
    if (n && fread(buf, 1, n, f) != n)
        fail_msg("cannot read %s", path);
    fclose(f);
    assert_int_equal(fn(buf, n), 0);
    td_free(buf);
}

/* Replays every file matching pattern; returns how many. */
static size_t replay_glob(fuzz_fn fn, const char *pattern)
{
    glob_t g;
    size_t n = 0;
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct stat sb;
        if (stat(g.gl_pathv[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            replay_file(fn, g.gl_pathv[i]);
            n++;
        }
    }
    globfree(&g);
    return n;
}

/* The regression inputs of one target (the folder may not exist yet). */
static size_t replay_regress(fuzz_fn fn, const char *target)
{
    char pat[128];
    snprintf(pat, sizeof pat, "tests/fuzz/regress/%s/*", target);
    return replay_glob(fn, pat);
}

static void replay_str(fuzz_fn fn, const char *s)
{
    assert_int_equal(fn((const uint8_t *)s, strlen(s)), 0);
}

static void fuzz_clean_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_clean, "clean");
    assert_true(replay_glob(fuzz_clean, "data/demo/scraped/*") > 0);
    replay_str(fuzz_clean, "");
    replay_str(fuzz_clean, "\n\n\xff\xfe\n");
}

static void fuzz_date_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_date, "date");
    replay_str(fuzz_date, "\x03" "Friday, February 29, 2019");
    replay_str(fuzz_date, "\x01" "31/12/2199 and 1/1/1799");
    replay_str(fuzz_date, "\x02");
}

static void fuzz_timex_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_timex, "timex");
    replay_str(fuzz_timex, "\x06\x01\x1c" "Two days ago, and last week, and on Thursday since 2014 in mid-April.");
    replay_str(fuzz_timex, "\xfe\x0b\x1e" "tomorrow will meet on Sunday next year");
}

static void fuzz_toll_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_toll, "toll");
    replay_str(fuzz_toll, "between 4,294,967,296 and 99999999999999999999 people were killed");
    replay_str(fuzz_toll, "dozens wounded, two hundred million displaced, 10-15 arrested");
    assert_true(replay_glob(fuzz_toll, "data/demo/scraped/*") > 0);
}

static void fuzz_quote_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_quote, "quote");
    replay_str(fuzz_quote, "\"Open \xe2\x80\x9cnested 'deep \"\n\n\"Still open, said He.");
    assert_true(replay_glob(fuzz_quote, "data/demo/scraped/*") > 0);
}

static void fuzz_event_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_event, "event");
    assert_true(replay_glob(fuzz_event, "data/demo/scraped/*") > 0);
}

static void fuzz_jsonl_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_jsonl, "jsonl");
    assert_true(replay_glob(fuzz_jsonl, "data/demo/feed.jsonl") == 1);
    replay_str(fuzz_jsonl, "{\"text\":\"a\\u0000b\",\"id\":-9223372036854775808}\n{\"text\":\"x\"");
}

static void fuzz_html_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_html, "html");
    assert_true(replay_glob(fuzz_html, "tests/fixtures/html/*") > 0);
}

static void fuzz_warc_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_warc, "warc");
    replay_str(fuzz_warc, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999999999999\r\n\r\n");
    replay_str(fuzz_warc, "WARC/1.1\r\nContent-Length: 5\r\n\r\nHTTP/");
}

static void fuzz_api_replays(void **state)
{
    (void)state;
    replay_regress(fuzz_api, "api");
    replay_str(fuzz_api, "GET /api/articles\nlimit=2\noffset=1");
    replay_str(fuzz_api, "GET /api/search\nq=\"unclosed OR *");
    replay_str(fuzz_api, "GET /../secret.txt");
    replay_str(fuzz_api, "POST /api/articles\n\n{\"text\":\"x\"}");
}

int main(void)
{
    /* a regression that hangs again (the WARC resync loop did) must fail the
     * suite, not stall `make check`: SIGALRM ends the process */
    alarm(300);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fuzz_clean_replays), cmocka_unit_test(fuzz_date_replays),
        cmocka_unit_test(fuzz_timex_replays), cmocka_unit_test(fuzz_toll_replays),
        cmocka_unit_test(fuzz_quote_replays), cmocka_unit_test(fuzz_event_replays),
        cmocka_unit_test(fuzz_jsonl_replays), cmocka_unit_test(fuzz_html_replays),
        cmocka_unit_test(fuzz_warc_replays),  cmocka_unit_test(fuzz_api_replays),
    };
    return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}
