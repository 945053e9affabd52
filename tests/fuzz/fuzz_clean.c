/*
 * fuzz_clean.c - libFuzzer target for the scraped-text cleaner: the UTF-8
 * gate (td_utf8_sanitize) then td_clean_article, as the pipeline runs them,
 * plus the outlet and URL-date helpers on the first line.
 *
 * Input: arbitrary bytes. The first line doubles as the article's URL; the
 * first byte's low bits choose whether a given title/outlet is set and
 * whether the template callback claims every candidate line is template, so
 * both halves of the cleaner (cues and learnt templates) are reached.
 */
#include "fuzz.h"

#include "base/arena.h"
#include "clean/clean.h"
#include "clean/date.h"
#include "text/text.h"
#include "types.h"

/* Pretends the outlet's other articles hold every candidate line ud says. */
static uint32_t fuzz_clean_count(void *ud, td_str outlet, uint64_t line_hash)
{
    (void)outlet;
    unsigned mode = *(const unsigned *)ud;
    return mode & 4 ? 10u : (uint32_t)(line_hash & 3);
}

static int fuzz_clean(const uint8_t *data, size_t size)
{
    char *raw = td_fuzz_dup(data, size);
    if (size && !raw)
        return 0;
    unsigned mode = size ? data[0] : 0;
    td_arena arena;
    td_arena_init(&arena, 4096);
    td_article a = { 0 };
    a.arena = &arena;
    a.raw = td_str_make(raw, size);
    const char *nl = size ? memchr(raw, '\n', size) : NULL;
    a.url = td_str_make(raw, nl ? (size_t)(nl - raw) : size);
    if (mode & 1)
        a.given_title = a.url;
    if (mode & 2)
        a.given_outlet = TD_STR_LIT("example.org");
    a.text = td_utf8_sanitize(&arena, a.raw, &a.bad_utf8);
    if (a.text.p) {
        td_clean_opts o = { fuzz_clean_count, &mode, mode & 8 ? 1u : 0u };
        td_clean_article(&a, &o);
        if (!arena.failed) {
            td_sentences(&arena, a.body, &(td_span *){ NULL });
            for (uint32_t i = 0; i < a.n_lines; i++)
                (void)td_clean_template_candidate(&a.lines[i]);
        }
    }
    td_str host = td_clean_outlet_from_url(&arena, a.url);
    (void)td_clean_outlet_convention(host);
    td_date d;
    (void)td_date_from_url(a.url, &d);
    td_arena_free(&arena);
    td_free(raw);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_clean)
