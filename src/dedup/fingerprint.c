/*
 * fingerprint.c - body -> td_dedup_fp: exact hash, shingle count and a
 * one-permutation MinHash (Li, Owen, Zhang 2012) with rotation densification
 * (Shrivastava, Li 2014), plus the fixed-endian blob.
 *
 * One-permutation hashing: each shingle hash h picks its bin from its low
 * bits and competes with its top 56 bits for that bin's minimum, so a
 * fingerprint costs one hash per shingle instead of K. Empty bins (texts
 * shorter than ~K shingles) borrow the next non-empty bin's value salted with
 * the distance, so two equal sets still give equal signatures. Each bin is
 * then kept as 16 bits of a mix of its minimum: equal minima stay equal,
 * unequal ones collide with probability 2^-16, which the estimate ignores.
 */
#include "dedup/dedup.h"

#include <string.h>
#include "base/alloc.h"
#define XXH_INLINE_ALL
#include <xxhash.h>

_Static_assert(TD_DEDUP_K <= 256 && (TD_DEDUP_K & (TD_DEDUP_K - 1)) == 0, "K: a power of two <= 256");
_Static_assert(TD_DEDUP_BANDS * TD_DEDUP_BAND_ROWS <= TD_DEDUP_K, "bands fit in the signature");

static inline uint64_t mix64(uint64_t k)
{
    k ^= k >> 31;
    k *= 0x7fb5d329728ea185ULL;
    k ^= k >> 27;
    k *= 0x81dadef4bc2663d5ULL;
    k ^= k >> 33;
    return k;
}

_Static_assert(TD_DEDUP_SHINGLE == 3, "shingle3 and the token blocks hold three tokens");

enum { BLOCK = 256 }; /* token hashes per td_dedup_token_block call */

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* Hashes the shingle of tokens a, b, c (oldest first): each rotated by its
 * position and combined, then one 64-bit finaliser. The token hashes are
 * already XXH3 outputs, so this mix is enough for MinHash (bins from the
 * low bits, minima from the high bits) at a third of the cost of hashing the
 * 24 bytes again. */
static inline uint64_t shingle3(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t h = 0x2545F4914F6CDD1DULL;
    h = (h ^ rotl64(a, 5)) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ rotl64(b, 22)) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ rotl64(c, 39)) * 0x9E3779B97F4A7C15ULL;
    return mix64(h);
}

/*
 * The token stream of body in blocks: tok[2..2+k) holds the block's k token
 * hashes and tok[0], tok[1] the two tokens before them, so the shingles
 * ending in the block are shingle3(tok[i], tok[i+1], tok[i+2]) for i from
 * *from. Returns k (0 at the end); *n counts the tokens before the block.
 */
typedef struct tok_walk {
    td_str body;
    size_t pos;
    uint32_t n;               /* tokens before the current block */
    uint32_t k;               /* tokens in the current block */
    uint64_t tok[2 + BLOCK];
} tok_walk;

static uint32_t walk_next(tok_walk *w, uint32_t *from)
{
    if (w->k) { /* carry the block's last two tokens */
        w->tok[0] = w->tok[w->k];
        w->tok[1] = w->tok[w->k + 1];
        w->n += w->k;
    }
    w->k = td_dedup_token_block(w->body, &w->pos, w->tok + 2, BLOCK);
    *from = w->n >= 2 ? 0 : 2 - w->n;
    return w->k;
}

void td_dedup_fingerprint(td_str body, td_dedup_fp *fp)
{
    uint64_t mins[TD_DEDUP_K];
    for (uint32_t i = 0; i < TD_DEDUP_K; i++)
        mins[i] = UINT64_MAX;
    XXH3_state_t exact;
    XXH3_64bits_reset(&exact);
    tok_walk w = { .body = body, .pos = 0, .n = 0, .k = 0, .tok = { 0 } };
    uint32_t n_shingles = 0, from, k;
    /* one-permutation MinHash: a shingle's low bits pick its bin, its high
     * 56 bits compete for the bin's minimum */
    while ((k = walk_next(&w, &from)) > 0) {
        XXH3_64bits_update(&exact, w.tok + 2, k * sizeof w.tok[0]);
        for (uint32_t i = from; i < k; i++) {
            uint64_t h = shingle3(w.tok[i], w.tok[i + 1], w.tok[i + 2]);
            uint32_t bin = (uint32_t)(h & (TD_DEDUP_K - 1));
            uint64_t v = h >> 8;
            mins[bin] = v < mins[bin] ? v : mins[bin];
        }
        n_shingles += k > from ? k - from : 0;
    }
    uint32_t n = w.n + w.k;

    memset(fp, 0, sizeof *fp);
    fp->n_tokens = n;
    if (n == 0)
        return;
    if (n < TD_DEDUP_SHINGLE) { /* the whole short text is one shingle */
        uint64_t h = XXH3_64bits(w.tok + 2 - n, n * sizeof w.tok[0]); /* carried by the last walk_next */
        uint32_t bin = (uint32_t)(h & (TD_DEDUP_K - 1));
        mins[bin] = h >> 8;
        n_shingles = 1;
    }
    fp->exact = XXH3_64bits_digest(&exact);
    if (fp->exact == 0)
        fp->exact = 1;
    fp->n_shingles = n_shingles;
    /* next filled bin to the right (circular) of each bin, in one backward
     * pass over two turns: O(K) however few bins are filled (>= 1 is).
     * Empty bins borrow its minimum salted with the distance. */
    uint32_t nxt[TD_DEDUP_K], last = 0;
    for (uint32_t t = 2 * TD_DEDUP_K; t-- > 0;) {
        if (mins[t % TD_DEDUP_K] != UINT64_MAX)
            last = t;
        if (t < TD_DEDUP_K)
            nxt[t] = last;
    }
    for (uint32_t i = 0; i < TD_DEDUP_K; i++) {
        uint32_t dist = nxt[i] - i, j = nxt[i] % TD_DEDUP_K;
        uint64_t v = mix64(mins[j] + dist * 0x9E3779B97F4A7C15ULL + (dist ? i : 0));
        fp->sig[i] = (uint16_t)(v >> 48);
    }
}

float td_dedup_jaccard(const td_dedup_fp *a, const td_dedup_fp *b)
{
    if (!a->n_shingles || !b->n_shingles)
        return 0.0f;
    uint32_t eq = 0;
    for (uint32_t i = 0; i < TD_DEDUP_K; i++)
        eq += a->sig[i] == b->sig[i];
    return (float)eq / (float)TD_DEDUP_K;
}

/* ---- exact shingle sets (verification of grey-zone estimates) ---- */

/* Sorts a[0..n) with an LSD radix sort over bytes through tmp (n
 * elements): eight passes of n + 256 steps, no comparisons (qsort was half
 * the cost of a verification). */
static void radix_sort(uint64_t *a, uint64_t *tmp, uint32_t n)
{
    uint32_t count[256];
    uint64_t *src = a, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        memset(count, 0, sizeof count);
        for (uint32_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xff]++;
        uint32_t sum = 0;
        for (uint32_t d = 0; d < 256; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* an even number of passes: the result is back in a */
}

uint32_t td_dedup_shingle_set(td_str body, uint64_t **out, uint32_t *cap)
{
    tok_walk w = { .body = body, .pos = 0, .n = 0, .k = 0, .tok = { 0 } };
    uint64_t *o = *out;
    uint32_t len = 0, c = *cap, from, k;
    while ((k = walk_next(&w, &from)) > 0) {
        if (len + k > c) {
            uint32_t nc = c ? c : 1024;
            while (nc < len + k)
                nc *= 2;
            uint64_t *g = td_realloc(o, (size_t)nc * sizeof *g);
            if (!g) {
                *out = o;
                *cap = c;
                return UINT32_MAX;
            }
            o = g;
            c = nc;
        }
        for (uint32_t i = from; i < k; i++)
            o[len++] = shingle3(w.tok[i], w.tok[i + 1], w.tok[i + 2]);
    }
    *out = o;
    *cap = c;
    if (len > 1) {
        uint64_t *tmp = td_malloc((size_t)len * sizeof *tmp);
        if (!tmp)
            return UINT32_MAX;
        radix_sort(o, tmp, len);
        td_free(tmp);
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < len; i++)
        if (!n || o[n - 1] != o[i])
            o[n++] = o[i];
    return n;
}

void td_dedup_compare(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb, float *jaccard,
                      float *containment)
{
    uint32_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    uint32_t uni = na + nb - both, small = na < nb ? na : nb;
    *jaccard = uni ? (float)both / (float)uni : 0.0f;
    *containment = small ? (float)both / (float)small : 0.0f;
}

/* ---- blob ---- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* TDF2: shingles hashed by shingle_hash's mix (TDF1 hashed them with XXH3;
 * such blobs are refused rather than compared with incompatible bins). */
static const uint8_t MAGIC[4] = { 'T', 'D', 'F', '2' };

void td_dedup_fp_save(const td_dedup_fp *fp, uint8_t out[TD_DEDUP_BLOB_LEN])
{
    memcpy(out, MAGIC, 4);
    put32(out + 4, fp->n_tokens);
    put32(out + 8, fp->n_shingles);
    put32(out + 12, (uint32_t)fp->exact);
    put32(out + 16, (uint32_t)(fp->exact >> 32));
    for (uint32_t i = 0; i < TD_DEDUP_K; i++) {
        out[20 + 2 * i] = (uint8_t)fp->sig[i];
        out[21 + 2 * i] = (uint8_t)(fp->sig[i] >> 8);
    }
}

td_status td_dedup_fp_load(const void *blob, size_t len, td_dedup_fp *fp)
{
    const uint8_t *p = blob;
    if (!p || len != TD_DEDUP_BLOB_LEN || memcmp(p, MAGIC, 4) != 0)
        return TD_EPARSE;
    fp->n_tokens = get32(p + 4);
    fp->n_shingles = get32(p + 8);
    fp->exact = (uint64_t)get32(p + 12) | (uint64_t)get32(p + 16) << 32;
    for (uint32_t i = 0; i < TD_DEDUP_K; i++)
        fp->sig[i] = (uint16_t)(p[20 + 2 * i] | p[21 + 2 * i] << 8);
    return TD_OK;
}
