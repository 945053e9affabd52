/*
 * gazetteer.h - the places gazetteer: GeoNames populated places (the
 * cities-500 dump, CC-BY GeoNames.org) plus countries and first-level
 * subdivisions from Debian's iso-codes, compiled at build time by
 * scripts/build-gazetteer into one binary file (places.bin) that is mmapped
 * and used in place.
 *
 * File layout (all integers little-endian, every section 8-byte aligned):
 *
 *   header     64 bytes: magic "TDGZ", version, counts, section offsets
 *   places     n_places x 32-byte records (td_place_rec below)
 *   names      n_names x {u32 first posting, u32 n postings, u32 flags}:
 *              one per distinct folded name; the name id is the pattern id
 *              of the automaton
 *   postings   u32 place indexes, each name's sorted by population (desc);
 *              bit 31 set when the name is an alternate/derived one
 *   skeletons  open-addressing table {u64 key, u32 first, u32 n} over
 *              postings of the transliteration skeleton of each name
 *              (td_match_skeleton), for spellings the dump lacks
 *   countries  676 u32: place index + 1 of each country, by alpha-2 code
 *   strings    NUL-terminated UTF-8: display names
 *   automaton  the td_matcher blob over folded name tokens
 *
 * Invariants: every offset and count was checked against the file size at
 * load; place.name_off < strings_len; postings lie inside the section.
 */
#ifndef TD_EXTRACT_GAZETTEER_H
#define TD_EXTRACT_GAZETTEER_H

#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "base/buf.h"
#include "base/str.h"
#include "extract/match.h"

#define TD_GAZ_VERSION 1
#define TD_GAZ_FILE "places.bin"

/* What a place record is; also its geo precision (see geocode.h). */
typedef enum td_place_kind {
    TD_PLACE_NONE = 0,
    TD_PLACE_COUNTRY = 1,
    TD_PLACE_ADMIN1 = 2,    /* province, state, governorate */
    TD_PLACE_CAPITAL = 3,   /* national capital (PPLC) */
    TD_PLACE_SEAT1 = 4,     /* seat of a first-level division (PPLA) */
    TD_PLACE_SEAT2 = 5,     /* seat of a lower division (PPLA2..5) */
    TD_PLACE_TOWN = 6       /* any other populated place */
} td_place_kind;

/* Name flags */
enum {
    TD_GZN_COMMON = 1,      /* the folded name is a common English word */
    TD_GZN_PERSON = 2       /* also a common given name */
};

#define TD_GAZ_ALT 0x80000000u  /* posting bit: alternate or derived name */
#define TD_GAZ_NOCOORD INT32_MIN

/* A decoded place. */
typedef struct td_place {
    uint32_t idx;          /* index in the gazetteer */
    uint32_t geonameid;    /* 0 for countries and subdivisions */
    double lat, lon;       /* NAN when unknown */
    uint32_t population;
    const char *name;      /* display name, NUL-terminated, in the mapping */
    char country[3];       /* ISO 3166-1 alpha-2 */
    char admin1[9];        /* GeoNames admin1 code, "" when none */
    td_place_kind kind;
} td_place;

typedef struct td_gazetteer td_gazetteer;

/*
 * Maps the file at path read-only and checks it. On failure err (may be NULL)
 * gets a message naming the file and, when it is missing, the command that
 * builds it. @return TD_OK and *out, TD_ENOTFOUND, TD_EIO, TD_EPARSE, TD_ENOMEM.
 */
td_status td_gazetteer_load(const char *path, td_gazetteer **out, td_buf *err);
/* Opens an in-memory image (tests); the bytes are copied. */
td_status td_gazetteer_open_mem(const void *p, size_t len, td_gazetteer **out);
void td_gazetteer_free(td_gazetteer *g);

uint32_t td_gazetteer_count(const td_gazetteer *g);
/* The automaton over place names; pattern ids are name ids. */
const td_matcher *td_gazetteer_matcher(const td_gazetteer *g);
/* Decodes place idx (< count). */
void td_gazetteer_place(const td_gazetteer *g, uint32_t idx, td_place *out);
/* Postings of name id: *post gets a pointer into the mapping (u32 LE values,
 * read with td_gazetteer_posting), returns the count; *flags gets TD_GZN_*. */
uint32_t td_gazetteer_name(const td_gazetteer *g, uint32_t name_id, const uint8_t **post,
                           uint32_t *flags);
/* The value of posting i of a list returned above (place idx | TD_GAZ_ALT). */
uint32_t td_gazetteer_posting(const uint8_t *post, uint32_t i);
/* Looks a whole name up ("Deir ez-Zor"): the name id, or -1. */
int64_t td_gazetteer_lookup(const td_gazetteer *g, td_str name);
/* Postings of places whose name has the same skeleton as name; as above. */
uint32_t td_gazetteer_skeleton(const td_gazetteer *g, td_str name, const uint8_t **post);
/* The country record of an alpha-2 code ("SY"), or -1. */
int64_t td_gazetteer_country(const td_gazetteer *g, const char *cc);
/* What the point of a record of kind k stands for when a place inside it
 * borrows it: "country", "admin1" or "city" (any populated place). */
const char *td_gazetteer_approx_name(td_place_kind k);

/* ---- building (gazetteer_build.c; used by scripts/gazetteer-tool.c) ---- */

typedef struct td_gazetteer_builder td_gazetteer_builder;

td_gazetteer_builder *td_gazetteer_builder_new(void);
void td_gazetteer_builder_free(td_gazetteer_builder *b);
/*
 * Reads a GeoNames dump (tab-separated, the 19 columns of cities500.txt).
 * Lines that do not parse are counted in *bad and skipped.
 * @return TD_OK, TD_EIO or TD_ENOMEM.
 */
td_status td_gazetteer_builder_geonames(td_gazetteer_builder *b, const char *path,
                                        uint64_t *bad);
/* Reads iso_3166-1.json and iso_3166-2.json (iso-codes). TD_EPARSE on bad JSON. */
td_status td_gazetteer_builder_iso(td_gazetteer_builder *b, const char *iso1_path,
                                   const char *iso2_path);
/* Reads extra country names: lines "CC<TAB>name|name|..." ('#' comments). */
td_status td_gazetteer_builder_country_names(td_gazetteer_builder *b, const char *path);
/*
 * Reads an extra gazetteer (places GeoNames lacks, e.g. the fictional demo
 * world): a header line, then "name<TAB>alternate,names<TAB>kind<TAB>CC<TAB>
 * admin1<TAB>lat<TAB>lon<TAB>population" with kind one of country, capital,
 * province, region, city, town, village, district, and any other word for a
 * named site. Country rows add a country. TD_EIO, TD_EPARSE on a bad row.
 */
td_status td_gazetteer_builder_extra(td_gazetteer_builder *b, const char *path);
/* Reads common English words, one per line: names equal to one get TD_GZN_COMMON. */
td_status td_gazetteer_builder_common_words(td_gazetteer_builder *b, const char *path);
/* Computes country and subdivision points, names, automaton; appends the image. */
td_status td_gazetteer_builder_finish(td_gazetteer_builder *b, td_buf *out);

#endif
