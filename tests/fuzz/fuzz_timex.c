/*
 * fuzz_timex.c - libFuzzer target for the temporal tagger (extract/timex.c).
 *
 * Input: byte 0 picks the anchor (none, or a day in 2000..2063 with month
 * and day from bytes 1-2) and the TD_DATE_DMY flag; the rest, through the
 * UTF-8 gate as in the pipeline, is the sentence.
 * Every expression returned must lie inside the text and carry a date the
 * day arithmetic accepts.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "clean/date.h"
#include "extract/timex.h"

static int fuzz_timex(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    td_timex_opts o = { { 0 }, data[0] & 1u ? TD_DATE_DMY : 0u };
    if (data[0] & 2u) {
        static const int8_t DAYS[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int8_t m = (int8_t)(data[1] % 12 + 1);
        o.anchor = (td_date){ (int16_t)(2000 + (data[0] >> 2)), m, (int8_t)(data[2] % DAYS[m - 1] + 1), TD_PREC_DAY };
    }
    td_arena arena;
    td_arena_init(&arena, 1024);
    td_str s = td_fuzz_text(&arena, data + 3, size - 3);
    td_timex out[32];
    uint32_t n = td_timex_find(s, &o, out, 32);
    if (n > 32)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        if (out[i].span.off > s.len || out[i].span.len > s.len - out[i].span.off)
            abort();
        if (o.anchor.year && out[i].date.year)
            (void)td_timex_days_between(o.anchor, out[i].date);
        char buf[11];
        td_date_format(out[i].date, buf);
    }
    /* a small cap must truncate, not overflow */
    td_timex one[1];
    if (td_timex_find(s, &o, one, 1) > 1)
        abort();
    td_arena_free(&arena);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_timex)
