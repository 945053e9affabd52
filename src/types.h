/*
 * types.h - the article as it flows through the pipeline.
 *
 *     read ──> clean ──> text ──> dedup ──> extract ──> merge ──> story ──> store
 *
 * One td_article lives for one article; everything it points to comes from
 * its arena (a->arena) unless said otherwise, and is released in one call after
 * `store`. Stages that keep anything beyond the article copy it.
 *
 * Field usage summary (written by -> read by):
 *   id, url, source, source_line, raw ......... read -> all
 *   given_published/given_outlet/given_title .. read (JSONL fields) -> clean
 *   text .................. text/utf8 (validated, NFC, CR-free) -> clean
 *   title, outlet, published, dateline, byline, body, lines .. clean -> store, later stages
 *   body_norm ............. text/normalize (quotes/dashes unified, for matching) -> dedup, extract
 *   sentences ............. text/sentence -> dedup, extract, story
 *   hash .................. pipeline (xxh3 of the normalised body) -> store, dedup
 *   raw_hash .............. pipeline (xxh3 of the input) -> store (re-ingest check)
 *   rowid ................. store -> the writer stages after it (dedup, story, ...)
 */
#ifndef TD_TYPES_H
#define TD_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"

/* Why a line of the scraped text was kept out of the body. */
typedef enum td_line_kind {
    TD_LINE_BODY = 0,      /* part of the article body */
    TD_LINE_TITLE,         /* the headline */
    TD_LINE_SUBTITLE,      /* standfirst / dek under the headline */
    TD_LINE_DATE,          /* a publication or update date line */
    TD_LINE_BYLINE,        /* "By Jane Doe" */
    TD_LINE_CAPTION,       /* photo caption or credit: kept apart from the body */
    TD_LINE_NAV,           /* navigation, menus, "Skip to main content" */
    TD_LINE_SHARE,         /* share / e-mail / print buttons */
    TD_LINE_PROMO,         /* newsletter, subscribe, "Read more", related articles */
    TD_LINE_COMMENTS,      /* comment counts and prompts */
    TD_LINE_LEGAL,         /* copyright, cookie notices, terms */
    TD_LINE_AD,            /* advertising */
    TD_LINE_TEMPLATE,      /* a line this outlet repeats in many articles */
    TD_LINE_TAIL,          /* trailing site furniture after the article end */
    TD_LINE_EMPTY,         /* blank or punctuation only */
    TD_LINE_KIND_COUNT
} td_line_kind;

/* Short name of a line kind, e.g. "caption", for `tidings show` and the store. */
const char *td_line_kind_name(td_line_kind k);

/* One line of the scraped text and the cleaner's verdict on it. */
typedef struct td_line {
    td_str text;           /* into article->text, trimmed */
    uint32_t lineno;       /* 1-based line number in the text */
    td_line_kind kind;
    const char *why;       /* static string: the cue that decided, e.g. "cue: newsletter" */
} td_line;

/* Publication date precision, like ACLED's time_precision (1 = day). */
typedef enum td_date_prec { TD_PREC_NONE = 0, TD_PREC_DAY, TD_PREC_WEEK, TD_PREC_MONTH, TD_PREC_YEAR } td_date_prec;

typedef struct td_date {
    int16_t year;          /* 0 when unknown */
    int8_t month;          /* 1..12, 0 when unknown */
    int8_t day;            /* 1..31, 0 when unknown */
    td_date_prec prec;
} td_date;

/* A span of the body: [off, off+len) in bytes, on code-point boundaries. */
typedef struct td_span {
    uint32_t off;
    uint32_t len;
} td_span;

typedef struct td_article {
    td_arena *arena;       /* owner of everything below */

    /* read */
    td_str id;             /* input id, or file name without extension */
    td_str url;            /* {NULL,0} when unknown */
    td_str raw;            /* bytes as read */
    td_str given_published, given_outlet, given_title; /* from JSONL, may be empty */
    bool html;             /* raw is an HTML page: the html stage replaces text + clean */
    const char *source;    /* file name for messages */
    uint64_t source_line;  /* line in that file (JSONL), else 0 */

    /* text/utf8 */
    td_str text;           /* valid UTF-8, NFC, LF line ends */
    uint32_t bad_utf8;     /* invalid sequences replaced */

    /* clean */
    td_line *lines;        /* every line with its verdict */
    uint32_t n_lines;
    td_str title;
    td_str subtitle;
    td_str outlet;         /* e.g. "example.org" */
    td_str dateline;       /* e.g. "BAGHDAD, Iraq" */
    td_str byline;
    td_date published;
    const char *published_from; /* "given", "url", "dateline", "date line", "text" */
    td_str body;           /* cleaned body: paragraphs joined by "\n\n" */
    td_str captions;       /* captions and credits, "\n"-joined */

    /* text */
    td_str body_norm;      /* body with quotes/dashes unified, same length as body? no: own offsets */
    td_span *sentences;    /* into body */
    uint32_t n_sentences;

    /* pipeline */
    uint64_t hash;         /* xxh3 of the normalised body */
    uint64_t raw_hash;     /* xxh3 of the input text: re-ingest check */
    int64_t rowid;         /* store: the article's row, set by the "store" stage */

    /* entities (worker stage "extract", stored by the writer stage "entities");
     * NULL when entity data is missing; in the article's arena */
    struct td_entities *entities;

    /* dedup (worker stage "fingerprint", read by the writer stage "dedup") */
    struct td_dedup_fp *dedup_fp;  /* MinHash fingerprint of body; NULL before */
    struct td_passage *passages;   /* hashed sentences of body (dedup.h) */
    uint32_t n_passages;

    /* events (worker stage "events" after "extract", stored by the writer stage "event_store") */
    struct td_event_article *events; /* event mentions and quotes (event.h); NULL before */

    /* limits (worker stages "extract"/"events" cut, the writer reports in
     * input order): entities and event mentions over --max-entities/--max-events */
    uint32_t dropped_entities, dropped_events;

    /* prepared batches (pipeline.c, td_pipeline_prepare): the outlet-template
     * counts the clean stage read, so the cleaning can be checked later
     * against the counts of that time; NULL in a normal run */
    struct td_clean_probes *probes;
} td_article;

#endif
