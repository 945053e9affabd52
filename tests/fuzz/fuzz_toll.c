/*
 * fuzz_toll.c - libFuzzer target for the casualty-count extractor
 * (extract/toll.c): every count returned lies inside the text, has
 * min <= max and a known kind, and a cap of 1 is honoured.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "extract/toll.h"

static int fuzz_toll(const uint8_t *data, size_t size)
{
    td_arena arena;
    td_arena_init(&arena, 1024);
    td_str s = td_fuzz_text(&arena, data, size); /* the pipeline's UTF-8 gate */
    td_toll out[32];
    uint32_t n = td_toll_find(s, out, 32);
    if (n > 32)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        if (out[i].span.off > s.len || out[i].span.len > s.len - out[i].span.off)
            abort();
        if (out[i].min > out[i].max || out[i].kind < TD_TOLL_KILLED || out[i].kind > TD_TOLL_PEOPLE)
            abort();
        (void)td_toll_kind_name((td_toll_kind)out[i].kind);
    }
    td_toll one[1];
    if (td_toll_find(s, one, 1) > 1)
        abort();
    td_arena_free(&arena);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_toll)
