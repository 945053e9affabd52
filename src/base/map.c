/* map.c - see map.h. Growth doubles and rehashes: amortised O(1) inserts. */
#include "base/map.h"
#include "base/alloc.h"

#include <string.h>

static inline uint64_t fix(uint64_t k) { return k ? k : 1; }

/* Mixes the key so that sequential keys spread (splitmix64 finaliser). */
static inline size_t slot(uint64_t k, size_t cap)
{
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return (size_t)k & (cap - 1);
}

uint64_t *td_map_get(const td_map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    key = fix(key);
    for (size_t i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key)
            return &m->vals[i];
        if (m->keys[i] == 0)
            return NULL;
    }
}

static bool grow(td_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *keys = td_calloc(cap, sizeof *keys);
    uint64_t *vals = td_calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        td_free(keys);
        td_free(vals);
        return false;
    }
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->keys[j])
            continue;
        size_t i = slot(m->keys[j], cap);
        while (keys[i])
            i = (i + 1) & (cap - 1);
        keys[i] = m->keys[j];
        vals[i] = m->vals[j];
    }
    td_free(m->keys);
    td_free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

uint64_t *td_map_upsert(td_map *m, uint64_t key)
{
    if ((m->n + 1) * 10 > m->cap * 7 && !grow(m))
        return NULL;
    key = fix(key);
    size_t i = slot(key, m->cap);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->n++;
    }
    return &m->vals[i];
}

void td_map_clear(td_map *m)
{
    if (m->cap) {
        memset(m->keys, 0, m->cap * sizeof *m->keys);
        memset(m->vals, 0, m->cap * sizeof *m->vals);
    }
    m->n = 0;
}

void td_map_free(td_map *m)
{
    td_free(m->keys);
    td_free(m->vals);
    memset(m, 0, sizeof *m);
}
