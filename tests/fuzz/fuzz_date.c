/*
 * fuzz_date.c - libFuzzer target for absolute date parsing (clean/date.c):
 * td_date_parse_ex at the start, td_date_find anywhere, td_date_from_url,
 * td_date_month_name and td_date_format on what was parsed.
 *
 * Input: the first byte's low two bits are the TD_DATE_* flags, the rest is
 * the text. Every parsed date must be valid (asserted here: the header
 * promises day within its month and year 1800..2199 or 0).
 */
#include "fuzz.h"

#include <stdlib.h>

#include "clean/date.h"

/* Aborts (a fuzzer finding) when d breaks date.h's validity promise. */
static void fuzz_date_check(td_date d, size_t used, size_t len)
{
    static const int8_t DAYS[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (used > len || d.month < 0 || d.month > 12 || d.day < 0 || (d.month && d.day > DAYS[d.month]) ||
        (d.year && (d.year < 1800 || d.year > 2199)))
        abort();
    char out[11];
    td_date_format(d, out);
    if (memchr(out, '\0', sizeof out) == NULL)
        abort();
}

static int fuzz_date(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0] & 3u;
    char *p = td_fuzz_dup(data + 1, size - 1);
    td_str s = td_str_make(p, size - 1);
    td_date d = { 0 };
    size_t used = 0, off = 0, len = 0;
    if (td_date_parse_ex(s, flags, &d, &used))
        fuzz_date_check(d, used, s.len);
    if (td_date_find(s, flags, &d, &off, &len)) {
        if (off > s.len || len > s.len - off)
            abort();
        fuzz_date_check(d, len, s.len - off);
    }
    if (td_date_from_url(s, &d))
        fuzz_date_check(d, 0, s.len);
    size_t ml = 0;
    int m = td_date_month_name(s, &ml);
    if (m < 0 || m > 12 || ml > s.len)
        abort();
    td_free(p);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_date)
