/*
 * passage.c - shared passages: one hash per sentence of at least
 * TD_PASSAGE_MIN_WORDS normalised words, so the store can keep
 * (passage hash, article) pairs and show which outlets carried a sentence or
 * quote and which carried it first.
 *
 * The hash covers the normalised token stream of the sentence (norm.c), so
 * curly versus straight quotes, case and punctuation do not matter. Short
 * sentences ("He declined to comment.") are left out: they recur in
 * unrelated articles. Each distinct hash is reported once per article.
 */
#include "dedup/dedup.h"

#include <string.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

typedef struct pass_state {
    XXH3_state_t h;
    uint32_t n;
} pass_state;

static void on_token(void *ud, uint64_t h)
{
    pass_state *s = ud;
    XXH3_64bits_update(&s->h, &h, sizeof h);
    s->n++;
}

/* Splits body at ". ", "? ", "! " (and their closing quotes) and at line
 * breaks; used when the caller has no sentence spans. Returns the count. */
static uint32_t simple_split(td_arena *a, td_str body, td_span **out)
{
    uint32_t cap = 16, n = 0;
    td_span *s = td_arena_alloc(a, cap * sizeof *s);
    if (!s)
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= body.len; i++) {
        bool end = i == body.len || body.p[i] == '\n';
        size_t stop = i;
        if (!end && (body.p[i] == '.' || body.p[i] == '?' || body.p[i] == '!')) {
            size_t j = i + 1;
            while (j < body.len && (body.p[j] == '"' || body.p[j] == '\''))
                j++;
            if (j < body.len && body.p[j] == ' ') {
                end = true;
                stop = j;
            }
        }
        if (!end)
            continue;
        if (stop > start) {
            if (n == cap) {
                td_span *t = td_arena_realloc(a, s, cap * sizeof *s, 2 * cap * sizeof *s);
                if (!t)
                    return 0;
                s = t;
                cap *= 2;
            }
            s[n++] = (td_span){ (uint32_t)start, (uint32_t)(stop - start) };
        }
        start = stop + 1;
        if (stop > i)
            i = stop;
    }
    *out = s;
    return n;
}

uint32_t td_dedup_passages(td_arena *a, td_str body, const td_span *sentences, uint32_t n, td_passage **out)
{
    *out = NULL;
    if (!body.len || body.len > UINT32_MAX)
        return 0;
    td_span *own = NULL;
    if (!sentences) {
        n = simple_split(a, body, &own);
        sentences = own;
    }
    if (!n)
        return 0;
    td_passage *p = td_arena_alloc(a, n * sizeof *p);
    if (!p)
        return 0;
    uint32_t np = 0;
    for (uint32_t i = 0; i < n; i++) {
        td_span sp = sentences[i];
        if ((uint64_t)sp.off + sp.len > body.len)
            continue;
        pass_state s;
        s.n = 0;
        XXH3_64bits_reset(&s.h);
        td_dedup_tokens(td_str_make(body.p + sp.off, sp.len), on_token, &s);
        if (s.n < TD_PASSAGE_MIN_WORDS)
            continue;
        uint64_t h = XXH3_64bits_digest(&s.h);
        bool dup = false;
        for (uint32_t j = 0; j < np && !dup; j++) /* sentences per article are few */
            dup = p[j].hash == h;
        if (!dup)
            p[np++] = (td_passage){ h, sp };
    }
    if (np)
        *out = p;
    return np;
}
