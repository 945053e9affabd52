/*
 * extract_int.h - structures shared by the entity files of src/extract
 * (names*.c, alias.c, geocode.c) and by nobody else.
 *
 * The lexicon is one automaton over every lexicon phrase (actor names and
 * aliases, demonyms, titles) whose pattern ids index lists of entries, plus
 * maps for single words (organisation heads, common words).
 */
#ifndef TD_EXTRACT_INT_H
#define TD_EXTRACT_INT_H

#include "extract/names.h"

enum lex_kind { LX_ACTOR = 1, LX_DEMONYM, LX_TITLE };

/* Title classes of titles.tsv. */
enum title_class {
    TC_HONORIFIC = 1, TC_HEAD, TC_MINISTER, TC_OFFICIAL, TC_MILITARY, TC_POLICE,
    TC_LEGISLATOR, TC_JUDICIAL, TC_DIPLOMAT, TC_RELIGIOUS, TC_ROYAL, TC_SPOKES, TC_OTHER
};

/* Head kinds of org-heads.tsv (values stored in lexicon->heads, +1). */
enum head_kind { HK_GOV = 1, HK_MIL, HK_ORG, HK_MEDIA, HK_PLACE, HK_MISC };

/* Small closed word classes the name rules use, by key ("said", "near"). */
enum { WS_SAID, WS_CUE, WS_STRONG_CUE, WS_ACTOR_HEAD, WS_ANAPHOR, WS_ARTICLE, WS_PORTFOLIO,
       WS_LED, WS_MODIFIER, WS_REGION, WS_COUNT };
#define WS_MAX 48

typedef struct lex_wordset {
    uint64_t keys[WS_MAX];
    uint32_t n;
} lex_wordset;

/* Fills the word classes of names.c (called once by td_lexicon_load). */
void td_names_wordsets(lex_wordset ws[WS_COUNT]);

typedef struct lex_entry {
    uint8_t kind;          /* lex_kind */
    uint8_t sub;           /* actor: td_org_kind; title: title_class */
    uint8_t upper;         /* written in capitals: match only in capitals */
    uint8_t lower;         /* written all lower case (titles "spokesman") */
    int32_t ref;           /* actor index */
    char cc[3];            /* demonym / actor country */
} lex_entry;

struct td_lexicon {
    td_buf blob;           /* the automaton image */
    td_matcher ac;
    uint32_t *pat_first;   /* per pattern: first entry in ent_of */
    uint32_t *pat_n;
    uint32_t *ent_of;      /* entry indexes grouped by pattern */
    lex_entry *ent;
    uint32_t n_ent;
    td_actor *actors;
    uint32_t n_actors;
    char *strings;         /* actor names */
    td_map common;         /* word key -> 1 */
    td_map heads;          /* word key -> head_kind */
    td_map connectors;     /* lower-case words allowed inside names (of, al, bin) */
    lex_wordset ws[WS_COUNT];
    td_map actor_words;    /* mix(country, word key) -> state actor + 1, or
                              UINT64_MAX when two share it ("Nigerian police") */
};

/* The state actor (mil/gov) of country cc whose canonical name has the word
 * with this key, when exactly one has: "police" of NG is the Nigeria Police
 * Force. Returns -1 otherwise. */
int32_t td_lexicon_actor_by_word(const td_lexicon *lx, const char *cc, uint64_t key);

/* Entries of lexicon pattern p. */
static inline const lex_entry *lex_entries(const td_lexicon *lx, uint32_t p, uint32_t i)
{
    return &lx->ent[lx->ent_of[lx->pat_first[p] + i]];
}

/* ---- alias.c: within-article resolution ---- */

/*
 * Groups the mentions of one article into entities: full names with their
 * surnames, acronyms with their expansions (defined in brackets or by
 * initials), name prefixes ("Crimson Dawn" for "Crimson Dawn Front"),
 * "the Front"/"the group" to the last fitting organisation. Sets m->ent and
 * fills ents. Returns false when the arena failed.
 */
bool td_alias_resolve_article(const td_entity_models *md, td_str text, const td_mtok *toks,
                              uint32_t n_toks, td_mention *m, uint32_t n, td_arena *a,
                              td_art_entity **ents, uint32_t *n_ents);

/* ---- geocode.c ---- */

/*
 * Gives every place mention a gazetteer record, a precision and a country,
 * using the article's country evidence (demonyms, actors' countries, places
 * named, the dateline), population and nearby places. Writes the article's
 * main country into country ("" when unclear). Runs before alias resolution.
 */
void td_geocode_mentions(const td_entity_models *md, td_str text, td_str dateline,
                         td_mention *m, uint32_t n, char country[3]);

/* True when text[from, to), the words between two place names, says the
 * first lies in the second: a comma, or "in"/"of" among a few lower-case
 * words ("market in the northern province of"). */
bool td_place_inside_gap(td_str text, uint32_t from, uint32_t to);

/* True when the last word of name is a street, square, building or site
 * head (Road, Square, Hall, Market...): a place inside a town. */
bool td_place_site_name(td_str name);

#endif
