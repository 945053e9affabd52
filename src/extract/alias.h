/*
 * alias.h - one entity for every way it is written.
 *
 * Within an article, td_entities_extract (names.h) already groups mentions
 * (alias.c). Across the corpus, a td_entity_registry merges the entities of
 * every article: by lexicon actor, by gazetteer place, by exact name or
 * alias, and by transliteration variant (doubled letters, vowel changes,
 * al-/el-/ad- prefixes, hyphens, diacritics: td_alias_person_eq), acronym
 * to expansion, a surname alone to the one person of that surname. People
 * who share only a surname or only a given name are never merged.
 *
 * Data structure: entities in one growable array, merged entities through
 * union-find (a merged entity's id resolves to its root with
 * td_entity_registry_root); aliases with counts and the articles they came
 * from; hash maps from actor, place, folded name, folded alias, surname
 * skeleton and acronym to ids. Everything is heap memory owned by the
 * registry (td_malloc), copied from the articles, so arenas may be reset.
 *
 * Thread safety: the registry is used by the one writer thread (merge/store).
 */
#ifndef TD_EXTRACT_ALIAS_H
#define TD_EXTRACT_ALIAS_H

#include <stdbool.h>
#include <stdint.h>

#include "tidings.h"
#include "base/str.h"
#include "extract/names.h"

/* ---- name comparison (folded names, as td_match_fold gives them) ---- */

/* True when two folded words are spellings of one name: equal, or the same
 * skeleton and at most one edit apart (two from 8 letters) after doubled
 * letters collapse ("abadi"/"abbadi", "rasool"/"rassoul", "tariq"/"tarek"). */
bool td_alias_word_eq(td_str a, td_str b);
/* Splits a folded name into words without article tokens ("al", "el"), except
 * a last one. Returns the count (<= cap). */
uint32_t td_alias_words(td_str folded, td_str *out, uint32_t cap);
/* True when two folded person names are one person: same number of words,
 * each td_alias_word_eq, or the shorter's words in order in the longer with
 * the same first word ("laxmi dhakal" / "laxmi prasad dhakal"). */
bool td_alias_person_eq(td_str a, td_str b);
/* True when two folded names of places or organisations are one: the same
 * words by td_alias_word_eq, articles aside, or the same letters written
 * together or apart ("almasirah" / "al masirah", "boko haram"/"bokoharam"). */
bool td_alias_name_eq(td_str a, td_str b);
/* True when acr ("CDF", "U.S.G.S.") is the initials of the folded name,
 * skipping of/the/and/for. */
bool td_alias_is_acronym_of(td_str acr, td_str folded_name);

/* ---- the corpus registry ---- */

typedef struct td_entity_registry td_entity_registry;

/* A snapshot of one entity; pointers stay valid until the next add/free. */
typedef struct td_entity_info {
    uint32_t id;           /* its root id */
    td_ent_type type;
    uint8_t kind;          /* td_org_kind or td_place_kind */
    const char *name;      /* canonical name, NUL-terminated */
    int32_t actor;         /* lexicon actor or -1 */
    int32_t place;         /* gazetteer place or -1 */
    char country[3];       /* ISO alpha-2, "" if unknown */
    double lat, lon;       /* NAN unless a place with a point */
    uint32_t geonameid;    /* 0 if none */
    uint8_t precision;     /* places: TD_GEO_* */
    uint32_t within;       /* place < 0: the container place + 1 whose point lat/lon
                            * are (approximate), 0 none */
    uint32_t n_mentions;
    uint32_t n_aliases;    /* forms other than the name */
    uint32_t n_articles;
} td_entity_info;

/* A new registry using md (borrowed, may be NULL: no lexicon names nor
 * places), or NULL when out of memory. */
td_entity_registry *td_entity_registry_new(const td_entity_models *md);
void td_entity_registry_free(td_entity_registry *r);

/*
 * Adds the entities of one article and resolves each to a registry entity.
 * ids (may be NULL) gets one id per ents->e[i] (a root at the time of the
 * call). An untyped name no known entity matches is kept as a hidden entity
 * of type TD_ENT_NONE, which a later entity spelled the same absorbs;
 * consumers skip entities of that type. Strings are copied. @return TD_OK or TD_ENOMEM (the registry then
 * holds part of the article; it stays consistent).
 */
td_status td_entity_registry_add(td_entity_registry *r, td_str article_id,
                                 const td_entities *ents, uint32_t *ids);

/* Number of ids handed out (roots and merged ones). */
uint32_t td_entity_registry_count(const td_entity_registry *r);
/* The root of id (itself when never merged). */
uint32_t td_entity_registry_root(const td_entity_registry *r, uint32_t id);
/* Fills *out for the root of id; false when id is out of range. */
bool td_entity_registry_get(const td_entity_registry *r, uint32_t id, td_entity_info *out);
/* Alias k (< n_aliases) of root id: its surface and count. */
td_str td_entity_registry_alias(const td_entity_registry *r, uint32_t id, uint32_t k,
                                uint32_t *count);
/* Article k (< n_articles) of root id. */
td_str td_entity_registry_article(const td_entity_registry *r, uint32_t id, uint32_t k);
/* The root id whose name or alias folds to name (type 0: any), or -1. */
int64_t td_entity_registry_find(const td_entity_registry *r, td_str name, td_ent_type type);

#endif
