/*
 * fuzz_warc.c - libFuzzer target for WARC input (read/warc.c): the probe on
 * the first bytes, then td_warc_read over an in-memory FILE (records,
 * headers, HTTP responses, chunked and gzip/deflate coding, gzip members,
 * resynchronisation after damage). Every page emitted is read to its last
 * byte. The first byte's low bit picks a small max_article_bytes.
 *
 * Inputs that are not gzip are also wrapped as one gzip member by the seed
 * script (tests/fuzz/seeds.sh), so both layouts are in the corpus.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "read/read.h"
#include "read/warc.h"

static td_status fuzz_warc_emit(void *ud, const td_input *in)
{
    unsigned *h = ud;
    for (size_t i = 0; i < in->text_len; i++)
        *h = *h * 31u + (unsigned char)in->text[i];
    const char *z[] = { in->id, in->url, in->published, in->outlet, in->title, in->source };
    for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
        *h += z[i] ? (unsigned)strlen(z[i]) : 0u;
    return TD_OK;
}

static void fuzz_warc_warn(void *ud, const char *where, const char *msg)
{
    unsigned *h = ud;
    *h += (unsigned)(strlen(where) + strlen(msg));
}

static int fuzz_warc(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *p = td_fuzz_dup(data, size);
    if (!p)
        return 0;
    unsigned h = 0;
    FILE *f = fmemopen(p, size, "rb");
    if (f) {
        td_reader r = { 0 };
        r.emit = fuzz_warc_emit;
        r.warn = fuzz_warc_warn;
        r.ud = &h;
        r.max_article_bytes = data[size - 1] & 1u ? 256u : 16u << 20;
        unsigned char head[TD_WARC_PROBE_MAX];
        size_t hn = 0;
        int c0 = getc(f);
        td_warc_stats stats = { 0 };
        /* a stream the probe rejects is still read as WARC: the reader must
         * cope with anything after the probe too */
        (void)td_warc_probe(f, c0, head, sizeof head, &hn);
        td_warc_read(&r, f, "fuzz.warc", head, hn, &stats);
        if (stats.pages > stats.records)
            abort();
        fclose(f);
    }
    (void)td_warc_sniff(p, size);
    td_free(p);
    return (int)(h & 0);
}
TD_FUZZ_ENTRY(fuzz_warc)
