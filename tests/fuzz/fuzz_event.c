/*
 * fuzz_event.c - libFuzzer target for event mentions (extract/event.c, which
 * runs the trigger lexicon, the temporal tagger and the toll extractor in
 * context) on a whole body with its sentences, a publication date from the
 * first byte, and capitalised words as names of input-chosen types. Every
 * mention must point inside the body and into the sentence list.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "clean/date.h"
#include "extract/event.h"

static bool fuzz_event_in(td_str body, td_span s)
{
    return s.off <= body.len && s.len <= body.len - s.off;
}

static int fuzz_event(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    td_arena arena;
    td_arena_init(&arena, 4096);
    td_str body = td_fuzz_text(&arena, data + 1, size - 1);
    td_span *sent = NULL;
    uint32_t n_sent = body.p ? td_sentences(&arena, body, &sent) : 0;
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
    td_event_input in = { body, sent, n_sent, { 0 }, data[0] & 1u ? TD_DATE_DMY : 0u, names, n_names, 0 };
    if (data[0] & 2u)
        in.published = (td_date){ (int16_t)(1990 + (data[0] >> 2)), (int8_t)(data[0] % 12 + 1), 15, TD_PREC_DAY };
    td_event_mention *m = NULL;
    uint32_t n = 0;
    if (body.p && td_event_extract(&arena, &in, &m, &n) == TD_OK) {
        for (uint32_t i = 0; i < n; i++) {
            if ((n_sent && m[i].sentence >= n_sent) || !fuzz_event_in(body, m[i].trigger) ||
                !fuzz_event_in(body, m[i].actor) || !fuzz_event_in(body, m[i].target) ||
                !fuzz_event_in(body, m[i].place) || m[i].modality >= TD_MOD_COUNT)
                abort();
            (void)td_event_type_name((td_event_type)m[i].type);
            (void)td_modality_name((td_modality)m[i].modality);
        }
    }
    td_arena_free(&arena);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_event)
