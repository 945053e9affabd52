/*
 * warc_par.c - gzip members of a .warc.gz inflated ahead on several cores
 * (see warc_par.h for the contract; docs/warc.md "Parallel inflate").
 *
 * Data structure: a list of blocks in file order, oldest first. A block holds
 * `own` raw bytes starting at file offset `start` plus up to OVERLAP bytes of
 * the next block (so a member that starts near the end still lies whole in
 * one buffer), and the candidate members found in its own bytes, sorted by
 * offset. One mutex guards it all; idle workers sleep on one condition
 * variable, woken when a block with candidates is queued and at stop.
 *
 * Threads: the caller (the WARC reader) reads the file itself, a few blocks
 * ahead of where it parses (TD_WARC_PAR_BLOCKS), and finds the candidates of
 * each block it queues; workers claim the oldest unclaimed candidate past the
 * caller's position (`low`), inflate it with their own libdeflate
 * decompressor into a scratch buffer and keep an exact-size copy. The caller
 * takes results that are ready and never waits for another thread (a member
 * not inflated yet is inflated inline and the worker's copy dropped): on a
 * machine busy with other work a descheduled thread costs no more than
 * reading sequentially. (A separate reader thread was tried: the caller then
 * waited on it for tens of milliseconds at a time on a loaded machine.)
 *
 * Invariants: only the caller adds or frees blocks (under the mutex, as
 * workers walk the list); a block is freed only when the caller has read all
 * its own bytes, no worker is on it, and its end lies at least LAG bytes behind the
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
    pthread_cond_t cv_work;   /* workers: a block came, stop */
    uint64_t n_ok, n_inline, n_none, n_failed; /* takes, for TIDINGS_WARC_DEBUG */
    block *first, *last;
    int nblocks;
    bool done;           /* the last block is queued */
    bool stop;
    int err;             /* errno of a read error, 0 when none */
    uint64_t low;        /* the caller's latest member offset */
    block *rd;           /* the block the caller reads from */
    size_t rd_pos;
    uint64_t rd_off;     /* file offset of the caller's next raw byte */
    /* the caller's reading state (no lock needed) */
    unsigned char *tail; /* bytes read past the last block's own part */
    size_t carry, head_pos;
    uint64_t next_start; /* file offset of the next block */
    pthread_t workers[MAX_THREADS];
    int nworkers;
};

int td_warc_par_threads(void)
{
    const char *e = getenv("TIDINGS_WARC_THREADS");
    long n;
    if (e && *e) {
        n = strtol(e, NULL, 10);
    } else {
        /* cores left idle by the load of the last minute: on a machine that
         * is already full, more threads only take time from the parser */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        double load[1];
        n = cores >= 2 ? cores : 0; /* one core: inflating inline is as fast */
        if (n && getloadavg(load, 1) == 1)
            n = (long)((double)cores - load[0] + 0.5);
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

/* Reads the next block (the probe's prefix first) and queues it; sets done
 * at the end of the input or on an error. Called by the caller only. */
static void read_block(td_warc_par *p)
{
    size_t cap = TD_WARC_PAR_BLOCK + OVERLAP;
    block *b = td_calloc(1, sizeof *b);
    if (b)
        b->data = td_malloc(cap);
    int err = 0;
    bool eof = false;
    if (!b || !b->data || !p->tail) {
        if (b)
            td_free(b->data);
        td_free(b);
        b = NULL;
        err = ENOMEM;
    } else {
        size_t n = p->carry;
        memcpy(b->data, p->tail, n);
        if (p->head_pos < p->head_len) {
            size_t k = p->head_len - p->head_pos < cap - n ? p->head_len - p->head_pos : cap - n;
            memcpy(b->data + n, p->head + p->head_pos, k);
            p->head_pos += k;
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
        b->start = p->next_start;
        b->len = n;
        b->own = eof ? n : TD_WARC_PAR_BLOCK;
        p->carry = n - b->own;
        memcpy(p->tail, b->data + b->own, p->carry);
        p->next_start += b->own;
        if (!find_members(b)) {
            free_block(b);
            b = NULL;
            err = ENOMEM;
        }
    }
    pthread_mutex_lock(&p->mu);
    if (b) {
        if (p->last)
            p->last->next = b;
        else
            p->first = b;
        p->last = b;
        p->nblocks++;
        if (!p->rd)
            p->rd = b;
        if (b->nm)
            pthread_cond_broadcast(&p->cv_work);
    }
    if (err || eof) {
        p->done = true;
        p->err = err;
    }
    pthread_mutex_unlock(&p->mu);
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
            if (!(ld && scratch))
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
    p->tail = td_malloc(OVERLAP);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_work, NULL);
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
    }
}

/* Blocks queued from the one the caller reads on; mutex held. */
static int ahead(const td_warc_par *p)
{
    int k = 0;
    for (const block *b = p->rd; b; b = b->next)
        k += b != p->rd || p->rd_pos < b->own;
    return k;
}

size_t td_warc_par_read(td_warc_par *p, unsigned char *dst, size_t cap)
{
    size_t n = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        bool more = !p->done && ahead(p) < TD_WARC_PAR_BLOCKS;
        pthread_mutex_unlock(&p->mu);
        if (!more)
            break;
        read_block(p); /* outside the lock: workers go on meanwhile */
    }
    pthread_mutex_lock(&p->mu);
    while (n < cap && p->rd) {
        block *b = p->rd;
        if (p->rd_pos == b->own) {
            if (!b->next)
                break;
            p->rd = b->next;
            p->rd_pos = 0;
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
    pthread_mutex_unlock(&p->mu);
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
    td_free(p->tail);
    pthread_cond_destroy(&p->cv_work);
    pthread_mutex_destroy(&p->mu);
    td_free(p);
}
