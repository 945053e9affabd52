/*
 * arena.c - see arena.h. Blocks carry their capacity; the first block is kept
 * across resets so the steady state allocates nothing.
 */
#include "base/arena.h"
#include "base/alloc.h"

#include <stdint.h>
#include <string.h>

/* Under AddressSanitizer the unused part of every block is poisoned and each
 * allocation is followed by a 16-byte red zone, so reading or writing past an
 * arena allocation is reported like a heap overflow (the fuzzers rely on it;
 * docs/reliability.md). Without ASan the macros are no-ops. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TD_ARENA_ASAN 1
#endif
#endif
#if !defined(TD_ARENA_ASAN) && defined(__SANITIZE_ADDRESS__)
#define TD_ARENA_ASAN 1
#endif
#ifdef TD_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define REDZONE 16u
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#define REDZONE 0u
#endif

struct td_arena_block {
    td_arena_block *next;   /* older block */
    size_t cap;             /* usable bytes after the header */
    size_t used;            /* bytes handed out */
    _Alignas(16) unsigned char data[];
};

#define ALIGN16(x) (((x) + 15u) & ~(size_t)15u)

void td_arena_init(td_arena *a, size_t block_size)
{
    memset(a, 0, sizeof *a);
    a->block_size = block_size ? block_size : 64 * 1024;
}

/* Opens a block able to hold len bytes; returns false if malloc fails. */
static bool grow(td_arena *a, size_t len)
{
    size_t cap = a->block_size;
    if (cap < len * 2)
        cap = len * 2;
    if (cap < len) /* overflow */
        return false;
    td_arena_block *b = td_malloc(sizeof *b + cap);
    if (!b)
        return false;
    b->next = a->head;
    b->cap = cap;
    b->used = 0;
    a->head = b;
    POISON(b->data, cap);
    return true;
}

void *td_arena_alloc(td_arena *a, size_t len)
{
    if (len == 0)
        len = 1;
    if (len > SIZE_MAX / 4) {
        a->failed = true;
        return NULL;
    }
    size_t need = ALIGN16(len) + REDZONE;
    td_arena_block *b = a->head;
    if (!b || b->cap - b->used < need) {
        if (!grow(a, need)) {
            a->failed = true;
            return NULL;
        }
        b = a->head;
    }
    void *p = b->data + b->used;
    UNPOISON(p, len);
    b->used += need;
    a->used_total += need;
    return p;
}

void *td_arena_calloc(td_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        a->failed = true;
        return NULL;
    }
    void *p = td_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *td_arena_strndup(td_arena *a, const char *s, size_t len)
{
    char *p = td_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *td_arena_realloc(td_arena *a, void *p, size_t old_len, size_t new_len)
{
    if (new_len <= old_len)
        return p;
    void *q = td_arena_alloc(a, new_len);
    if (q && p && old_len)
        memcpy(q, p, old_len);
    return q;
}

void td_arena_reset(td_arena *a)
{
    td_arena_block *b = a->head;
    if (!b)
        return;
    /* keep the oldest block: it is the one sized by block_size in most cases */
    while (b->next) {
        td_arena_block *next = b->next;
        UNPOISON(b->data, b->cap);
        td_free(b);
        b = next;
    }
    b->used = 0;
    POISON(b->data, b->cap);
    a->head = b;
    a->used_total = 0;
    a->failed = false;
}

void td_arena_free(td_arena *a)
{
    td_arena_block *b = a->head;
    while (b) {
        td_arena_block *next = b->next;
        UNPOISON(b->data, b->cap);
        td_free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
    a->failed = false;
}
