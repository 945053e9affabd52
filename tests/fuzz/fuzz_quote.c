/*
 * fuzz_quote.c - libFuzzer target for the quote extractor (extract/quote.c)
 * on a whole body: UTF-8 gate, sentence splitter, then td_quote_find twice,
 * without names and with every capitalised word handed over as a name of a
 * type chosen by the input (so the antecedent tracker and speaker typing run).
 * Every quote's spans must lie inside the body.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "extract/quote.h"

static void fuzz_quote_check(td_str body, const td_quote *q, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const td_span sp[3] = { q[i].text, q[i].speaker, q[i].resolved };
        for (int k = 0; k < 3; k++)
            if (sp[k].off > body.len || sp[k].len > body.len - sp[k].off)
                abort();
    }
}

static int fuzz_quote(const uint8_t *data, size_t size)
{
    td_arena arena;
    td_arena_init(&arena, 4096);
    td_str body = td_fuzz_text(&arena, data, size);
    td_span *sent = NULL;
    uint32_t n_sent = body.p ? td_sentences(&arena, body, &sent) : 0;
    td_quote *q = NULL;
    uint32_t n = 0;
    if (body.p && td_quote_find(&arena, body, sent, n_sent, NULL, 0, &q, &n) == TD_OK)
        fuzz_quote_check(body, q, n);
    /* capitalised words as names, sorted by offset by construction */
    td_name_span names[64];
    uint32_t n_names = 0;
    for (size_t i = 0; body.p && i < body.len && n_names < 64; i++) {
        bool start = i == 0 || body.p[i - 1] == ' ' || body.p[i - 1] == '\n';
        if (!start || body.p[i] < 'A' || body.p[i] > 'Z')
            continue;
        size_t j = i;
        while (j < body.len && body.p[j] != ' ' && body.p[j] != '\n' && body.p[j] != ',' && body.p[j] != '.')
            j++;
        names[n_names] = (td_name_span){ { (uint32_t)i, (uint32_t)(j - i) }, (uint8_t)(1 + (body.p[i] & 3)),
                                         (int64_t)n_names, (uint8_t)(body.p[i] & 3) };
        n_names++;
        i = j;
    }
    if (body.p && td_quote_find(&arena, body, sent, n_sent, names, n_names, &q, &n) == TD_OK)
        fuzz_quote_check(body, q, n);
    td_arena_free(&arena);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_quote)
