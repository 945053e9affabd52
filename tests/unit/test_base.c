/* test_base.c - arena, buf and str from src/base. */
#include "test_util.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"

static void arena_aligns_and_grows(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 128);
    char *p1 = td_arena_alloc(&a, 3);
    char *p2 = td_arena_alloc(&a, 1000); /* larger than a block */
    assert_non_null(p1);
    assert_non_null(p2);
    assert_int_equal((uintptr_t)p1 % 16, 0);
    assert_int_equal((uintptr_t)p2 % 16, 0);
    memset(p2, 'x', 1000);
    char *d = td_arena_strndup(&a, "hello world", 5);
    assert_string_equal(d, "hello");
    td_arena_reset(&a);
    assert_false(a.failed);
    assert_int_equal(a.used_total, 0);
    td_arena_free(&a);
}

static void arena_failure_is_sticky(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 64);
    td_alloc_fail_after(0);
    assert_null(td_arena_alloc(&a, 10));
    td_alloc_fail_after(-1);
    assert_true(a.failed);
    assert_non_null(td_arena_alloc(&a, 10)); /* recovers, flag stays */
    assert_true(a.failed);
    td_arena_reset(&a);
    assert_false(a.failed);
    td_arena_free(&a);
}

static void buf_appends_and_escapes(void **state)
{
    (void)state;
    td_buf b = TD_BUF_INIT;
    td_buf_puts(&b, "a");
    td_buf_printf(&b, "%d-%s", 42, "x");
    assert_string_equal(b.p, "a42-x");
    td_buf_clear(&b);
    td_buf_json_str(&b, TD_STR_LIT("say \"hi\"\n\x01"));
    assert_string_equal(b.p, "\"say \\\"hi\\\"\\n\\u0001\"");
    td_buf_clear(&b);
    td_buf_json_str(&b, (td_str){ NULL, 0 });
    assert_string_equal(b.p, "null");
    /* invalid UTF-8 (found by fuzz_api: a raw byte in ?q=) becomes U+FFFD;
     * valid sequences pass through */
    td_buf_clear(&b);
    td_buf_json_str(&b, TD_STR_LIT("co\x8dst \xc3\xa9\xe2\x82\xac \xed\xa0\x80 \xc0\xaf \xf0\x9f\x98\x80 \xe2\x82"));
    assert_string_equal(b.p, "\"co\\ufffdst \xc3\xa9\xe2\x82\xac \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd \xf0\x9f\x98\x80 \\ufffd\\ufffd\"");
    td_buf_free(&b);
}

static void buf_failure_is_sticky(void **state)
{
    (void)state;
    td_buf b = TD_BUF_INIT;
    td_alloc_fail_after(0);
    td_buf_puts(&b, "abc");
    td_alloc_fail_after(-1);
    assert_true(b.failed);
    td_buf_puts(&b, "def");
    assert_int_equal(b.len, 0);
    td_buf_free(&b);
}

static void str_helpers(void **state)
{
    (void)state;
    assert_true(td_str_ieq(TD_STR_LIT("Reuters"), TD_STR_LIT("REUTERS")));
    assert_true(td_str_istarts(TD_STR_LIT("Read more: x"), TD_STR_LIT("read more")));
    assert_true(td_str_icontains(TD_STR_LIT("Sign up for our Newsletter"), TD_STR_LIT("newsletter")));
    assert_str_view(td_str_trim(TD_STR_LIT(" \t x y \n")), "x y");
    assert_str_view(td_str_trim(TD_STR_LIT("\xc2\xa0 z\xc2\xa0")), "z");
    assert_int_equal(td_str_find(TD_STR_LIT("abcabc"), TD_STR_LIT("ca")), 2);
    assert_int_equal(td_str_find(TD_STR_LIT("abc"), TD_STR_LIT("x")), (size_t)-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_aligns_and_grows),
        cmocka_unit_test(arena_failure_is_sticky),
        cmocka_unit_test(buf_appends_and_escapes),
        cmocka_unit_test(buf_failure_is_sticky),
        cmocka_unit_test(str_helpers),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
