/*
 * map.h - open-addressing hash map from uint64 keys to uint64 values.
 *
 * Linear probing over a power-of-two table kept at most 70% full; key 0 is
 * reserved as "empty" (callers hash into it; a real 0 key is remapped to 1,
 * which is harmless for hashed keys). No deletion: the maps of the engine grow
 * or are cleared whole.
 */
#ifndef TD_BASE_MAP_H
#define TD_BASE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct td_map {
    uint64_t *keys;
    uint64_t *vals;
    size_t cap;      /* slots, a power of two (0 before the first put) */
    size_t n;        /* keys stored */
} td_map;

#define TD_MAP_INIT { NULL, NULL, 0, 0 }

/* Returns a pointer to the value of key, or NULL when absent. */
uint64_t *td_map_get(const td_map *m, uint64_t key);
/* Returns a pointer to the value of key, inserting 0 if absent; NULL on ENOMEM. */
uint64_t *td_map_upsert(td_map *m, uint64_t key);
void td_map_clear(td_map *m);
void td_map_free(td_map *m);

#endif
