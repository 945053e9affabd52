/*
 * warc_par.c - gzip members of a .warc.gz inflated ahead on several cores
 * (see warc_par.h for the contract; docs/warc.md "Parallel inflate").
 *
 * Data structure: a list of blocks in file order, oldest first. A block holds
 * `own` raw bytes starting at file offset `start` plus up to OVERLAP bytes of
 * the next block (so a member that starts near the end still lies whole in
 * one buffer), and the candidate members found in its own bytes, sorted by
 * offset. One mutex and one condition variable guard it all; every change of
 * state is broadcast (a handful of threads).
 *
 * Threads: one reader fills blocks (waiting while TD_WARC_PAR_BLOCKS are in
 * the list); workers claim the oldest unclaimed candidate past the WARC
 * reader's position (`low`), inflate it with their own libdeflate
 * decompressor into a scratch buffer and keep an exact-size copy; the WARC
 * reader (the caller's thread) reads raw bytes in order and takes results
 * that are ready; it never waits for a worker (one not done yet is inflated
 * inline and the worker's copy dropped), so a loaded machine that deschedules
 * a worker costs no more than reading sequentially.
 *
 * Invariants: a block is freed only when the caller has read all its own
 * bytes, no worker is on it, and its end lies at least LAG bytes behind the
 * caller's read position (the caller buffers at most that much raw input, so
 * no member start it still asks about can lie there). Member offsets the
 * caller asks about only grow.
 */
#include "read/warc_par.h"

#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"

#define OVERLAP ((size_t)256 << 10)
#define LAG ((uint64_t)1 << 17) /* more than warc.c's raw buffer */
#define MAX_THREADS 4

enum { M_FREE = 0, M_RUNNING, M_OK, M_FAILED, M_ABANDONED /* running, but the caller went on */ };

typedef struct member {
    uint32_t off;        /* in the block */
    uint8_t state;       /* M_* */
    uint32_t used, made; /* M_OK: raw and inflated lengths */
    unsigned char *out;  /* M_OK: the inflated bytes (td_malloc) */
} member;

typedef struct block {
    struct block *next;
    uint64_t start;      /* file offset of data[0] */
    size_t own, len;     /* bytes of this block; with the overlap */
    unsigned char *data;
    member *m;
    uint32_t nm, next_task;
    uint32_t busy;       /* workers on it */
} block;

struct td_warc_par {
    FILE *f;
    const unsigned char *head;
    size_t head_len;
    size_t max_out;
    pthread_mutex_t mu;
    pthread_cond_t cv_main;   /* the caller: a block came, a member is done, the end */
    pthread_cond_t cv_work;   /* workers: a block came, stop */
    pthread_cond_t cv_space;  /* the reader: a block was freed, stop */
    bool main_waits;
    uint64_t n_ok, n_inline, n_none, n_failed; /* takes, for TIDINGS_WARC_DEBUG */
    block *first, *last;
    int nblocks;
    bool done;           /* the reader has queued its last block */
    bool stop;
    int err;             /* errno of a read error, 0 when none */
    uint64_t low;        /* the caller's latest member offset */
    block *rd;           /* the block the caller reads from */
    size_t rd_pos;
    uint64_t rd_off;     /* file offset of the caller's next raw byte */
    pthread_t reader;
    pthread_t workers[MAX_THREADS];
    int nworkers;
    bool reader_started;
};

int td_warc_par_threads(void)
{
    const char *e = getenv("TIDINGS_WARC_THREADS");
    long n;
    if (e && *e) {
        n = strtol(e, NULL, 10);
    } else {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        if (n < 2)
            n = 0; /* one core: inflating inline is as fast */
    }
    if (n < 0)
        n = 0;
    return (int)(n > MAX_THREADS ? MAX_THREADS : n);
}

static void free_block(block *b)
{
    for (uint32_t i = 0; i < b->nm; i++)
        td_free(b->m[i].out);
    td_free(b->m);
    td_free(b->data);
    td_free(b);
}

/* Candidate member starts in b's own bytes: 1f 8b 08 and no reserved flag. */
static bool find_members(block *b)
{
    uint32_t cap = 0;
    const unsigned char *p = b->data, *end = b->data + b->own;
    while (p < end) {
        const unsigned char *hit = memchr(p, 0x1f, (size_t)(end - p));
        if (!hit)
            break;
        size_t k = (size_t)(hit - b->data);
        p = hit + 1;
        if (k + 4 > b->len || hit[1] != 0x8b || hit[2] != 8 || (hit[3] & 0xe0))
            continue;
        if (b->nm == cap) {
            cap = cap ? cap * 2 : 64;
            member *m = td_realloc(b->m, (size_t)cap * sizeof *m);
            if (!m)
                return false;
            b->m = m;
        }
        memset(&b->m[b->nm], 0, sizeof *b->m);
        b->m[b->nm++].off = (uint32_t)k;
    }
    return true;
}

/* The reader thread: blocks in file order, the probe's prefix first. */
static void *reader_main(void *arg)
{
    td_warc_par *p = arg;
    unsigned char *tail = td_malloc(OVERLAP);
    size_t carry = 0, head_pos = 0;
    uint64_t start = 0;
    bool eof = tail == NULL;
    int err = tail ? 0 : ENOMEM;
    while (!eof) {
        pthread_mutex_lock(&p->mu);
        while (p->nblocks >= TD_WARC_PAR_BLOCKS && !p->stop)
            pthread_cond_wait(&p->cv_space, &p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        size_t cap = TD_WARC_PAR_BLOCK + OVERLAP;
        block *b = td_calloc(1, sizeof *b);
        if (b)
            b->data = td_malloc(cap);
        if (!b || !b->data) {
            td_free(b);
            err = ENOMEM;
            break;
        }
        size_t n = carry;
        memcpy(b->data, tail, carry);
        if (head_pos < p->head_len) {
            size_t k = p->head_len - head_pos < cap - n ? p->head_len - head_pos : cap - n;
            memcpy(b->data + n, p->head + head_pos, k);
            head_pos += k;
            n += k;
        }
        while (n < cap) {
            size_t got = fread(b->data + n, 1, cap - n, p->f);
            n += got;
            if (got == 0) {
                if (ferror(p->f))
                    err = errno ? errno : EIO;
                eof = true;
                break;
            }
        }
        b->start = start;
        b->len = n;
        b->own = eof ? n : TD_WARC_PAR_BLOCK;
        carry = n - b->own;
        memcpy(tail, b->data + b->own, carry);
        start += b->own;
        if (!find_members(b)) {
            free_block(b);
            err = ENOMEM;
            break;
        }
        pthread_mutex_lock(&p->mu);
        if (p->last)
            p->last->next = b;
        else
            p->first = b;
        p->last = b;
        p->nblocks++;
        if (!p->rd)
            p->rd = b;
        pthread_cond_broadcast(&p->cv_work);
        pthread_cond_signal(&p->cv_main);
        pthread_mutex_unlock(&p->mu);
    }
    td_free(tail);
    pthread_mutex_lock(&p->mu);
    p->done = true;
    p->err = err;
    pthread_cond_broadcast(&p->cv_work);
    pthread_cond_signal(&p->cv_main);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Claims the oldest candidate worth inflating; NULL when none (mutex held). */
static member *claim(td_warc_par *p, block **bp)
{
    for (block *b = p->first; b; b = b->next) {
        while (b->next_task < b->nm) {
            member *m = &b->m[b->next_task++];
            if (m->state != M_FREE)
                continue;
            if (b->start + m->off <= p->low && p->low) {
                m->state = M_FAILED; /* the caller is past it already */
                continue;
            }
            m->state = M_RUNNING;
            b->busy++;
            *bp = b;
            return m;
        }
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    td_warc_par *p = arg;
    struct libdeflate_decompressor *ld = libdeflate_alloc_decompressor();
    unsigned char *scratch = td_malloc(p->max_out);
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        block *b = NULL;
        member *m = (ld && scratch) ? claim(p, &b) : NULL;
        if (!m) {
            if (p->done && !(ld && scratch))
                break;
            pthread_cond_wait(&p->cv_work, &p->mu);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        size_t used = 0, made = 0;
        unsigned char *out = NULL;
        bool ok = libdeflate_gzip_decompress_ex(ld, b->data + m->off, b->len - m->off, scratch, p->max_out, &used,
                                                &made) == LIBDEFLATE_SUCCESS;
        if (ok && (out = td_malloc(made ? made : 1)) != NULL)
            memcpy(out, scratch, made);
        pthread_mutex_lock(&p->mu);
        if (m->state == M_ABANDONED) {
            td_free(out);
            out = NULL;
        }
        m->state = out ? M_OK : M_FAILED;
        m->out = out;
        m->used = (uint32_t)used;
        m->made = (uint32_t)made;
        b->busy--;
        if (p->main_waits)
            pthread_cond_signal(&p->cv_main);
    }
    pthread_mutex_unlock(&p->mu);
    td_free(scratch);
    if (ld)
        libdeflate_free_decompressor(ld);
    return NULL;
}

td_warc_par *td_warc_par_start(FILE *f, const unsigned char *head, size_t head_len, int threads, size_t max_out)
{
    if (threads < 1 || !f)
        return NULL;
    td_warc_par *p = td_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->f = f;
    p->head = head;
    p->head_len = head_len;
    p->max_out = max_out;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_main, NULL);
    pthread_cond_init(&p->cv_work, NULL);
    pthread_cond_init(&p->cv_space, NULL);
    if (pthread_create(&p->reader, NULL, reader_main, p) != 0) {
        td_warc_par_stop(p);
        return NULL;
    }
    p->reader_started = true;
    for (int i = 0; i < threads && i < MAX_THREADS; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0)
            break;
        p->nworkers++;
    }
    return p;
}

/* Frees blocks the caller can no longer ask about (mutex held). */
static void release(td_warc_par *p)
{
    while (p->first && p->first != p->rd && p->first->busy == 0 &&
           p->first->start + p->first->own + LAG <= p->rd_off) {
        block *b = p->first;
        p->first = b->next;
        if (!p->first)
            p->last = NULL;
        p->nblocks--;
        free_block(b);
        pthread_cond_signal(&p->cv_space);
    }
}

size_t td_warc_par_read(td_warc_par *p, unsigned char *dst, size_t cap)
{
    size_t n = 0;
    pthread_mutex_lock(&p->mu);
    while (n < cap) {
        block *b = p->rd;
        if (b && p->rd_pos == b->own && b->next) {
            p->rd = b->next;
            p->rd_pos = 0;
            continue;
        }
        if (!b || p->rd_pos == b->own) {
            if (n || p->done)
                break; /* hand over what there is; or the end */
            p->main_waits = true;
            pthread_cond_wait(&p->cv_main, &p->mu);
            p->main_waits = false;
            continue;
        }
        size_t k = b->own - p->rd_pos < cap - n ? b->own - p->rd_pos : cap - n;
        memcpy(dst + n, b->data + p->rd_pos, k);
        p->rd_pos += k;
        p->rd_off += k;
        n += k;
    }
    release(p);
    if (!n && p->err)
        errno = p->err;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static member *find(td_warc_par *p, uint64_t off)
{
    for (block *b = p->first; b; b = b->next) {
        if (off < b->start || off >= b->start + b->own)
            continue;
        uint32_t lo = 0, hi = b->nm;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (b->start + b->m[mid].off < off)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < b->nm && b->start + b->m[lo].off == off ? &b->m[lo] : NULL;
    }
    return NULL;
}

bool td_warc_par_take(td_warc_par *p, uint64_t off, unsigned char *dst, size_t cap, size_t *made, size_t *used)
{
    bool ok = false;
    pthread_mutex_lock(&p->mu);
    if (off > p->low)
        p->low = off;
    member *m = find(p, off);
    if (!m)
        p->n_none++;
    else if (m->state == M_FREE || m->state == M_RUNNING)
        p->n_inline++;
    /* Not done yet: inline is as quick as waiting, and a busy machine may
     * have descheduled the worker. */
    if (m && m->state == M_FREE)
        m->state = M_FAILED;
    else if (m && m->state == M_RUNNING)
        m->state = M_ABANDONED;
    if (m && m->state == M_OK && m->made <= cap)
        p->n_ok++;
    else if (m && m->state != M_FAILED)
        p->n_failed++;
    if (m && m->state == M_OK && m->made <= cap) {
        memcpy(dst, m->out, m->made);
        *made = m->made;
        *used = m->used;
        ok = true;
    }
    if (m && m->out) {
        td_free(m->out);
        m->out = NULL;
        m->state = M_FAILED; /* taken */
    }
    pthread_mutex_unlock(&p->mu);
    return ok;
}

int td_warc_par_error(const td_warc_par *p)
{
    return p->err;
}

void td_warc_par_stop(td_warc_par *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv_work);
    pthread_cond_broadcast(&p->cv_space);
    pthread_mutex_unlock(&p->mu);
    if (p->reader_started)
        pthread_join(p->reader, NULL);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i], NULL);
    while (p->first) {
        block *b = p->first;
        p->first = b->next;
        free_block(b);
    }
    if (getenv("TIDINGS_WARC_DEBUG"))
        fprintf(stderr, "warc_par: %d workers; members inflated ahead %llu, inline %llu, not found %llu, failed %llu\n",
                p->nworkers, (unsigned long long)p->n_ok, (unsigned long long)p->n_inline,
                (unsigned long long)p->n_none, (unsigned long long)p->n_failed);
    pthread_cond_destroy(&p->cv_main);
    pthread_cond_destroy(&p->cv_work);
    pthread_cond_destroy(&p->cv_space);
    pthread_mutex_destroy(&p->mu);
    td_free(p);
}
