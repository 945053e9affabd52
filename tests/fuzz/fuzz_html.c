/*
 * fuzz_html.c - libFuzzer target for HTML pages: the sniffer, gzip
 * unpacking (td_html_gunzip with a small limit), then main-content
 * extraction (clean/html_extract.c: charset detection and conversion,
 * libxml2's parser, the DOM walk, JSON-LD and meta dates), then the same
 * UTF-8 gate and sentence split the pipeline's html stage runs on the body.
 * The URL is taken from the first byte's choice of a few fixed ones (so
 * relative dates and canonical-URL handling run). Every field returned must
 * be valid UTF-8 as html_extract.h promises.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "clean/html_extract.h"
#include "read/html.h"

static int fuzz_html(const uint8_t *data, size_t size)
{
    static const char *const URLS[4] = { "", "https://www.example.org/2024/03/05/ferry-sinks",
                                         "http://news.example.co.uk/world/article-77", "not a url" };
    char *p = td_fuzz_dup(data, size);
    td_str html = td_str_make(p, size);
    td_arena arena;
    td_arena_init(&arena, 8192);
    (void)td_html_sniff(td_str_make(p, size < 1024 ? size : 1024));
    if (td_html_is_gzip(html)) {
        td_str plain;
        (void)td_html_gunzip(&arena, html, 1u << 20, &plain);
    }
    td_html_doc doc;
    td_str url = td_str_cstr(URLS[size ? data[0] & 3u : 0]);
    if (td_html_extract(&arena, html, url, &doc) == TD_OK) {
        const td_str f[] = { doc.title, doc.body, doc.published, doc.byline, doc.outlet, doc.canonical_url, doc.lang };
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
            if (f[i].len && !td_utf8_valid(f[i]))
                abort();
        uint32_t bad = 0;
        td_str body = td_utf8_sanitize(&arena, doc.body, &bad);
        td_span *sent = NULL;
        if (body.p)
            (void)td_sentences(&arena, body, &sent);
    }
    td_arena_free(&arena);
    td_free(p);
    return 0;
}
TD_FUZZ_ENTRY(fuzz_html)
