/* test_read.c - format sniffing, JSON lines, folders and streams. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "read/read.h"

static void sniffs_formats(void **state)
{
    (void)state;
    assert_int_equal(td_read_sniff(TD_STR_LIT("  \n{\"id\":1}")), TD_FMT_JSONL);
    assert_int_equal(td_read_sniff(TD_STR_LIT("\xEF\xBB\xBF{\"a\":1}")), TD_FMT_JSONL);
    assert_int_equal(td_read_sniff(TD_STR_LIT("Headline\n\nBody text.")), TD_FMT_TEXT);
    assert_int_equal(td_read_sniff(td_str_make("ab\0cd", 5)), TD_FMT_BINARY);
    assert_int_equal(td_read_sniff(TD_STR_LIT("\x01\x02\x03\x04\x05\x06\x07\x08 ab")), TD_FMT_BINARY);
    assert_string_equal(td_format_name(TD_FMT_JSONL), "jsonl");
}

static void parses_json_lines(void **state)
{
    (void)state;
    td_input in;
    void *keep;
    char err[256];
    const char *ok = "{\"id\":\"x1\",\"url\":null,\"text\":\"Body\",\"published\":\"2025-01-02\",\"extra\":[1]}";
    assert_int_equal(td_read_jsonl_line(ok, strlen(ok), &in, &keep, err, sizeof err), TD_OK);
    assert_string_equal(in.id, "x1");
    assert_null(in.url);
    assert_string_equal(in.text, "Body");
    assert_string_equal(in.published, "2025-01-02");
    td_read_jsonl_release(keep);

    const char *num = "{\"id\":17,\"text\":\"B\"}";
    assert_int_equal(td_read_jsonl_line(num, strlen(num), &in, &keep, err, sizeof err), TD_OK);
    assert_string_equal(in.id, "17");
    td_read_jsonl_release(keep);

    struct { const char *line, *msg; } bad[] = {
        { "{\"id\":\"x\"", "not valid JSON" },
        { "[1,2]", "must be an object" },
        { "{\"id\":\"x\"}", "missing field \"text\"" },
        { "{\"text\":5}", "\"text\" is not a string" },
        { "{\"id\":[1],\"text\":\"t\"}", "\"id\" must be" },
        { "{\"id\":\"\",\"text\":\"t\"}", "\"id\" is empty" },
        { "{\"text\":\"t\",\"url\":3}", "\"url\" must be" },
        { "{\"text\":\"t\",\"text\":\"u\"}", "not valid JSON" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(td_read_jsonl_line(bad[i].line, strlen(bad[i].line), &in, &keep, err, sizeof err), TD_EPARSE);
        if (!strstr(err, bad[i].msg))
            fail_msg("line %zu: '%s' lacks '%s'", i, err, bad[i].msg);
        assert_null(keep);
    }
}

typedef struct seen {
    char ids[16][64];
    int n, warnings;
    char last_warning[512];
} seen;

static td_status emit(void *ud, const td_input *in)
{
    seen *s = ud;
    if (s->n < 16)
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", in->id ? in->id : "(none)");
    s->n++;
    return TD_OK;
}

static void warn(void *ud, const char *where, const char *msg)
{
    seen *s = ud;
    s->warnings++;
    snprintf(s->last_warning, sizeof s->last_warning, "%s: %s", where, msg);
}

static void walks_folders_in_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/td-read-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], cmd[512];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub %s/.hidden && printf 'B text' > %s/b.txt && printf 'A text' > %s/sub/a.txt"
             " && printf 'H' > %s/.hidden/h.txt && printf '{\"id\":\"j1\",\"text\":\"t\"}\\n{\"id\":\"j2\",\"text\":\"u\"}\\n' > %s/c.jsonl",
             dir, dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    seen s = { 0 };
    td_reader r = { emit, warn, &s, 1 << 20, 0, 0, 0, 0 };
    assert_int_equal(td_read_path(&r, dir), TD_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.ids[0], "b");   /* sorted: b.txt, c.jsonl, sub/ */
    assert_string_equal(s.ids[1], "j1");
    assert_string_equal(s.ids[2], "j2");
    assert_string_equal(s.ids[3], "a");
    assert_int_equal(r.files, 3);
    assert_int_equal(s.warnings, 0);

    snprintf(path, sizeof path, "%s/nope", dir);
    assert_int_equal(td_read_path(&r, path), TD_ENOTFOUND);
    assert_non_null(strstr(s.last_warning, "no such file"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void limits_article_size(void **state)
{
    (void)state;
    char *big = malloc(5000);
    memset(big, 'x', 4999);
    big[4999] = 0;
    FILE *f = fmemopen(big, 4999, "r");
    seen s = { 0 };
    td_reader r = { emit, warn, &s, 1000, 0, 0, 0, 0 };
    assert_int_equal(td_read_stream(&r, f, "big.txt"), TD_OK);
    fclose(f);
    assert_int_equal(s.n, 0);
    assert_int_equal(r.skipped, 1);
    assert_non_null(strstr(s.last_warning, "over the limit"));
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sniffs_formats),
        cmocka_unit_test(parses_json_lines),
        cmocka_unit_test(walks_folders_in_order),
        cmocka_unit_test(limits_article_size),
    };
    return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
