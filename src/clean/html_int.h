/*
 * html_int.h - private to the HTML cleaner (html_extract.c, html_meta.c):
 * the page metadata gathered during the walk, and the helpers that turn
 * it into td_html_doc fields.
 *
 * Invariants: every td_str in td_html_meta is a copy in the extraction arena
 * (libxml2's strings die with its tree), whitespace-collapsed, or empty.
 */
#ifndef TD_CLEAN_HTML_INT_H
#define TD_CLEAN_HTML_INT_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/str.h"

/* Where a publication date came from; lower is more trusted. */
enum {
    TD_HDATE_JSONLD = 1,    /* JSON-LD datePublished */
    TD_HDATE_META = 2,      /* article:published_time and kin */
    TD_HDATE_ITEMPROP = 3,  /* itemprop=datePublished in the body */
    TD_HDATE_META_WEAK = 4, /* <meta name=date>, dc.date, pubdate ... */
    TD_HDATE_TIME = 5,      /* first <time datetime> */
    TD_HDATE_NONE = 100
};

typedef struct td_html_meta {
    td_str og_title;      /* og:title or twitter:title */
    td_str ld_headline;   /* JSON-LD headline */
    td_str doc_title;     /* <title> */
    td_str outlet;        /* og:site_name */
    td_str ld_publisher;  /* JSON-LD publisher.name */
    td_str canonical;     /* <link rel=canonical> */
    td_str og_url;        /* og:url */
    td_str lang;          /* <html lang> */
    td_str meta_lang;     /* Content-Language, og:locale */
    td_str author;        /* <meta name=author> and kin */
    td_str ld_author;     /* JSON-LD author name(s) */
    td_str ld_body;       /* JSON-LD articleBody */
    char date[11];        /* best "YYYY-MM-DD" so far, or "" */
    int date_rank;        /* TD_HDATE_* of date */
} td_html_meta;

/* Collapses runs of whitespace (and NBSP) to one space, trims, and copies
 * into a; returns an empty view for NULL/empty input or on failure. */
td_str td_html_squash(td_arena *a, const char *s, size_t len);

/* Offers a date string s found with rank; kept when it parses and beats the
 * current one. */
void td_html_meta_date(td_html_meta *m, td_str s, int rank);

/* Feeds one <meta> tag (key = its property/name/itemprop/http-equiv value,
 * lower or mixed case; content = its content attribute). */
void td_html_meta_tag(td_arena *a, td_html_meta *m, td_str key, td_str content);

/* Feeds the text of one <script type="application/ld+json">; bad JSON is
 * ignored. */
void td_html_meta_jsonld(td_arena *a, td_html_meta *m, td_str json);

/* Parses the start of s as a date ("2019-11-19", "2019/11/19", "20191119",
 * "19 November 2019", "Nov 19, 2019", RFC 2822 "Tue, 19 Nov 2019") into
 * out ("YYYY-MM-DD" + NUL). Returns false when s holds no such date. */
bool td_html_parse_date(td_str s, char out[11]);

/* Finds a /YYYY/MM/DD/, /YYYY-MM-DD or /YYYYMMDD date in a URL path. */
bool td_html_url_date(td_str url, char out[11]);

/* Removes a site name from a title: "Story - Site", "Site | Story".
 * A <title> (from_title_tag) also loses a short last part of up to 4 words. */
td_str td_html_strip_site(td_str title, td_str site, bool from_title_tag);

#endif
