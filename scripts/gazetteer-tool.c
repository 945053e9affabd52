/*
 * gazetteer-tool.c - build-time program behind scripts/build-gazetteer:
 * compiles places.bin from the GeoNames dump, iso-codes and the team's
 * lexicons, then loads it back to check it.
 *
 *   gazetteer-tool OUT.bin CITIES.txt ISO3166-1.json ISO3166-2.json \
 *                  COUNTRIES.tsv COMMON-WORDS.txt [EXTRA.tsv...]
 *
 * Exit codes: 0 ok, 1 bad usage, 2 input missing or bad, 3 out of memory or
 * write error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "extract/gazetteer.h"

static const char *stname(td_status st)
{
    switch (st) {
    case TD_OK: return "ok";
    case TD_ENOMEM: return "out of memory";
    case TD_EIO: return "cannot read";
    case TD_EPARSE: return "does not parse";
    case TD_ENOTFOUND: return "not found";
    default: return "failed";
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: %s OUT.bin CITIES.txt ISO3166-1.json ISO3166-2.json "
                        "COUNTRIES.tsv COMMON-WORDS.txt [EXTRA.tsv...]\n", argv[0]);
        return 1;
    }
    td_gazetteer_builder *b = td_gazetteer_builder_new();
    if (!b)
        return 3;
    uint64_t bad = 0;
    td_status st = td_gazetteer_builder_iso(b, argv[3], argv[4]);
    if (st != TD_OK) {
        fprintf(stderr, "gazetteer-tool: %s or %s: %s\n", argv[3], argv[4], stname(st));
        return 2;
    }
    st = td_gazetteer_builder_geonames(b, argv[2], &bad);
    if (st != TD_OK) {
        fprintf(stderr, "gazetteer-tool: %s: %s\n", argv[2], stname(st));
        return 2;
    }
    if ((st = td_gazetteer_builder_country_names(b, argv[5])) != TD_OK ||
        (st = td_gazetteer_builder_common_words(b, argv[6])) != TD_OK) {
        fprintf(stderr, "gazetteer-tool: %s or %s: %s\n", argv[5], argv[6], stname(st));
        return 2;
    }
    for (int i = 7; i < argc; i++) {
        if ((st = td_gazetteer_builder_extra(b, argv[i])) != TD_OK) {
            fprintf(stderr, "gazetteer-tool: %s: %s\n", argv[i], stname(st));
            return 2;
        }
    }
    td_buf out = TD_BUF_INIT;
    if (td_gazetteer_builder_finish(b, &out) != TD_OK) {
        fprintf(stderr, "gazetteer-tool: out of memory\n");
        return 3;
    }
    td_gazetteer_builder_free(b);
    FILE *fp = fopen(argv[1], "wb");
    if (!fp || fwrite(out.p, 1, out.len, fp) != out.len || fclose(fp) != 0) {
        fprintf(stderr, "gazetteer-tool: cannot write %s\n", argv[1]);
        return 3;
    }
    td_buf_free(&out);
    td_buf err = TD_BUF_INIT;
    td_gazetteer *g = NULL;
    double t0 = now();
    st = td_gazetteer_load(argv[1], &g, &err);
    double ms = (now() - t0) * 1e3;
    if (st != TD_OK) {
        fprintf(stderr, "gazetteer-tool: %s\n", err.p ? err.p : stname(st));
        return 3;
    }
    printf("%s: %u places, %u bad lines skipped, loads in %.2f ms\n", argv[1],
           td_gazetteer_count(g), (unsigned)bad, ms);
    td_gazetteer_free(g);
    td_buf_free(&err);
    return 0;
}
