/*
 * arena.h - bump allocator for everything derived from one article.
 *
 * Data structure: a singly linked list of blocks; allocation bumps a pointer in
 * the newest block and opens a new block (at least twice the request) when it
 * is full. td_arena_reset() keeps the first block so a worker reuses its memory
 * article after article without touching malloc in the steady state.
 *
 * Invariants: every pointer returned is aligned to 16 bytes; nothing allocated
 * from an arena outlives the next reset/free. Allocation failure sets the sticky
 * `failed` flag and returns NULL, so a stage may check once at its end
 * (the pattern of sqlite's mallocFailed).
 */
#ifndef TD_BASE_ARENA_H
#define TD_BASE_ARENA_H

#include <stddef.h>
#include <stdbool.h>

typedef struct td_arena_block td_arena_block;

typedef struct td_arena {
    td_arena_block *head;   /* newest block, where allocation happens */
    size_t block_size;      /* default size of a new block */
    size_t used_total;      /* bytes handed out since the last reset */
    bool failed;            /* sticky: an allocation failed since the last reset */
} td_arena;

/* Initialises an empty arena whose blocks are at least block_size bytes. */
void td_arena_init(td_arena *a, size_t block_size);
/* Returns len bytes aligned to 16, or NULL (and sets a->failed) on failure. */
void *td_arena_alloc(td_arena *a, size_t len);
/* As td_arena_alloc, zeroed. */
void *td_arena_calloc(td_arena *a, size_t n, size_t size);
/* Copies len bytes and adds a NUL; NULL on failure. */
char *td_arena_strndup(td_arena *a, const char *s, size_t len);
/* Grows the allocation p (old_len bytes) to new_len; copies. NULL on failure. */
void *td_arena_realloc(td_arena *a, void *p, size_t old_len, size_t new_len);
/* Frees every block but the first and clears `failed`. */
void td_arena_reset(td_arena *a);
/* Frees every block; the arena may be initialised again. */
void td_arena_free(td_arena *a);

#endif
