/*
 * names.h - entity mentions in one article: people, organisations and places,
 * from the lexicons (data/lexicons), the places gazetteer and, for names in
 * no list, from their context (titles, "X said", "X, the Y of Z", "Mr X",
 * organisation heads, "in/near X").
 *
 * Models: td_entity_models holds the gazetteer and the lexicons. It is built
 * once by td_entity_models_load(), immutable after that, and shared read-only
 * by every thread; it is passed explicitly (no globals).
 *
 * Per article: td_entities_extract() tokenizes the body (match.h), runs both
 * automata, filters matches by case (acronyms only in capitals, places and
 * actors capitalised), reads capitalised runs for names in no list, then
 * resolves aliases inside the article (alias.h) and geocodes places
 * (geocode.h). Everything it returns comes from the article's arena.
 *
 * Invariants: mentions are sorted by offset; those not flagged
 * TD_MF_EVIDENCE do not overlap; a mention's ent is < n_entities, or
 * TD_NO_ENT for evidence and for capitalised words nothing explained; spans
 * are byte ranges of the text given.
 */
#ifndef TD_EXTRACT_NAMES_H
#define TD_EXTRACT_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "base/str.h"
#include "extract/gazetteer.h"
#include "extract/match.h"
#include "types.h"

#define TD_NO_ENT UINT32_MAX

typedef enum td_ent_type {
    TD_ENT_NONE = 0,
    TD_ENT_PERSON = 1,
    TD_ENT_ORG = 2,
    TD_ENT_PLACE = 3
} td_ent_type;

/* Kinds of organisation (lexicon "kind" column, or from the head word). */
typedef enum td_org_kind {
    TD_ORG_OTHER = 0,
    TD_ORG_GROUP,      /* armed or militant group */
    TD_ORG_MIL,        /* armed forces, police, security body */
    TD_ORG_GOV,        /* government body */
    TD_ORG_PARTY,
    TD_ORG_IGO,
    TD_ORG_NGO,
    TD_ORG_MEDIA
} td_org_kind;

/* How a mention was found; also a rough order of reliability. */
typedef enum td_how {
    TD_HOW_LEXICON = 1,   /* an actor of actors.tsv */
    TD_HOW_GAZETTEER,     /* a place of places.bin */
    TD_HOW_HONORIFIC,     /* Mr/Ms/Dr X */
    TD_HOW_TITLE,         /* Prime Minister X, spokesman X */
    TD_HOW_APPOS,         /* X, the Y of Z */
    TD_HOW_SAID,          /* X said */
    TD_HOW_ORGHEAD,       /* ... Ministry / Front / Brigade */
    TD_HOW_PLACECUE,      /* in / near / outside X */
    TD_HOW_DEMONYM,       /* Iraqi -> Iraq (place evidence, not a location) */
    TD_HOW_ACTORHEAD,     /* Iraqi forces, Nigerian police */
    TD_HOW_ALIASDEF,      /* an alias defined in brackets: (IS, formerly ISIS) */
    TD_HOW_ANAPHOR,       /* the group, the Front */
    TD_HOW_PARTIAL,       /* surname alone, name prefix, acronym of a name */
    TD_HOW_CAPS,          /* a capitalised run, type from other evidence */
    TD_HOW_SKELETON       /* a place found by its transliteration skeleton */
} td_how;

enum {
    TD_MF_EVIDENCE = 1,   /* place evidence only (demonym, place inside a name) */
    TD_MF_ALLCAPS_CTX = 2,/* found in an all-capitals sentence */
    TD_MF_DATELINE = 4,   /* the article's dateline */
    TD_MF_NESTED = 8      /* lies inside another mention */
};

/* Geo precision of a place, as ACLED's geo_precision. */
enum { TD_GEO_EXACT = 1, TD_GEO_NEAR = 2, TD_GEO_REGION = 3 };

typedef struct td_mention {
    uint32_t off, len;     /* bytes of the text */
    uint32_t sent;         /* sentence index */
    uint32_t tok;          /* first token */
    uint8_t type;          /* td_ent_type */
    uint8_t kind;          /* td_org_kind for orgs, td_place_kind for places */
    uint8_t how;           /* td_how */
    uint8_t flags;         /* TD_MF_* */
    float conf;            /* 0..1 */
    int32_t actor;         /* lexicon actor, or -1 */
    int32_t place;         /* gazetteer place (after geocoding), or -1 */
    int32_t name_id;       /* gazetteer name id of the surface, or -1 */
    char cc[3];            /* country this mention is evidence for, "" if none */
    uint8_t precision;     /* places: TD_GEO_*, 0 when not geocoded */
    uint32_t within;       /* places with no record of their own: the gazetteer
                            * place (+1; 0 none) that contains them and lends
                            * its point (geocode.c, containment) */
    td_str title;          /* people: the title before the name, may be empty */
    td_str surface;        /* the span as written */
    uint32_t ent;          /* article entity (td_art_entity index) */
} td_mention;

/* One entity of one article. Type TD_ENT_NONE marks a capitalised name the
 * article does not explain ("the Bokoharam"): the registry attaches it to a
 * known entity of the same spelling or drops it; other consumers skip it. */
typedef struct td_art_entity {
    uint8_t type;          /* td_ent_type */
    uint8_t kind;
    td_str name;           /* canonical: lexicon name, else the longest form */
    int32_t actor;         /* lexicon actor, or -1 */
    int32_t place;         /* gazetteer place, or -1 */
    uint8_t precision;
    uint32_t within;       /* place < 0: container place + 1 lending its point, 0 none */
    char cc[3];
    uint32_t n_mentions;
    uint32_t first;        /* first mention index */
    float conf;            /* best mention confidence */
    td_str *aliases;       /* distinct surfaces other than name (arena) */
    uint32_t *alias_n;     /* how often each was written */
    uint32_t n_aliases;
} td_art_entity;

typedef struct td_entities {
    td_mention *m;
    uint32_t n;
    td_art_entity *e;
    uint32_t n_entities;
    char country[3];       /* the article's main country ("" if unclear) */
} td_entities;

/* ---- lexicons ---- */

typedef struct td_lexicon td_lexicon;

/* One actor of actors.tsv. */
typedef struct td_actor {
    const char *name;      /* canonical name, NUL-terminated */
    td_org_kind kind;
    char cc[3];
} td_actor;

/*
 * Loads the lexicons from dir (actors.tsv, demonyms.tsv, titles.tsv,
 * org-heads.tsv, common-words.txt; format in each file's header). err gets
 * the file and line of a failure. @return TD_OK, TD_ENOTFOUND, TD_EPARSE,
 * TD_ENOMEM.
 */
td_status td_lexicon_load(const char *dir, td_lexicon **out, td_buf *err);
void td_lexicon_free(td_lexicon *lx);
uint32_t td_lexicon_actor_count(const td_lexicon *lx);
const td_actor *td_lexicon_actor(const td_lexicon *lx, uint32_t i);
/* True when the folded word is in common-words.txt. */
bool td_lexicon_is_common(const td_lexicon *lx, uint64_t key);

/* ---- models ---- */

typedef struct td_entity_models {
    td_gazetteer *gaz;     /* may be NULL: no gazetteer places */
    td_lexicon *lex;
} td_entity_models;

/*
 * Loads the models from a data dir: dir/places.bin and dir/lexicons/ (as
 * scripts/build-gazetteer lays them out). dir NULL means $TIDINGS_DATA, else
 * "data" next to the executable, else "build/data". A missing places.bin is
 * no error: (*out)->gaz is NULL (no places) and err holds the message naming
 * the command that builds it. @return TD_OK, or as td_gazetteer_load and
 * td_lexicon_load when the lexicons cannot be read or places.bin is bad.
 */
td_status td_entity_models_load(const char *dir, td_entity_models **out, td_buf *err);
void td_entity_models_free(td_entity_models *m);

/* ---- extraction ---- */

/*
 * Finds the entity mentions of text (the article body; sentences may be
 * NULL), resolves aliases within the article and geocodes its places.
 * dateline (may be empty) is the article's dateline, "BAGHDAD, Iraq".
 * Everything is allocated from a. @return TD_OK, or TD_ENOMEM (a->failed).
 */
td_status td_entities_extract(const td_entity_models *m, td_str text, const td_span *sentences,
                              uint32_t n_sentences, td_str dateline, td_arena *a,
                              td_entities *out);

/* As above, for a td_article after the clean stage: the text is its title,
 * body and captions joined by blank lines ("title\n\nbody\n\ncaptions"; a
 * missing part is left out with its separator), so mention offsets are into
 * that text; a Title Case headline gives no case information. */
td_status td_entities_extract_article(const td_entity_models *m, td_article *art,
                                      td_entities *out);

/* "person", "org", "place". */
const char *td_ent_type_name(td_ent_type t);
/* "group", "mil", "gov", "party", "igo", "ngo", "media", "org". */
const char *td_org_kind_name(td_org_kind k);

#endif
