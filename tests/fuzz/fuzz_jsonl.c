/*
 * fuzz_jsonl.c - libFuzzer target for JSON-lines input: td_read_jsonl_line
 * on the whole input, then the reader itself (td_read_stream over an
 * in-memory FILE: format sniffing, line splitting, blank lines, the size
 * limit, and the whole-file and WARC fallbacks) with an emit callback that
 * reads every byte of every field it is handed.
 *
 * Input: arbitrary bytes; the first byte's low bits choose a small
 * max_article_bytes (so the over-limit path runs) or the default.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "read/read.h"

/* Touches every byte of s (so ASan sees an overread) and folds them. */
static unsigned fuzz_jsonl_touch(const char *s, size_t len)
{
    unsigned h = 0;
    for (size_t i = 0; s && i < len; i++)
        h = h * 31u + (unsigned char)s[i];
    return h;
}

static td_status fuzz_jsonl_emit(void *ud, const td_input *in)
{
    unsigned *h = ud;
    *h += fuzz_jsonl_touch(in->text, in->text_len);
    const char *z[] = { in->id, in->url, in->published, in->outlet, in->title, in->source };
    for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
        if (z[i])
            *h += fuzz_jsonl_touch(z[i], strlen(z[i]));
    return TD_OK;
}

static void fuzz_jsonl_warn(void *ud, const char *where, const char *msg)
{
    unsigned *h = ud;
    *h += fuzz_jsonl_touch(where, strlen(where)) + fuzz_jsonl_touch(msg, strlen(msg));
}

static int fuzz_jsonl(const uint8_t *data, size_t size)
{
    unsigned h = 0;
    char *p = td_fuzz_dup(data, size);
    td_input in;
    void *keep = NULL;
    char err[256];
    if (p && td_read_jsonl_line(p, size, &in, &keep, err, sizeof err) == TD_OK)
        fuzz_jsonl_emit(&h, &in);
    td_read_jsonl_release(keep);
    if (p) {
        FILE *f = fmemopen(p, size, "rb");
        if (f) {
            td_reader r = { 0 };
            r.emit = fuzz_jsonl_emit;
            r.warn = fuzz_jsonl_warn;
            r.ud = &h;
            r.max_article_bytes = data[0] & 1u ? 64u : 16u << 20;
            td_read_stream(&r, f, "fuzz.jsonl");
            fclose(f);
        }
    }
    td_free(p);
    return (int)(h & 0); /* h only keeps the reads alive */
}
TD_FUZZ_ENTRY(fuzz_jsonl)
