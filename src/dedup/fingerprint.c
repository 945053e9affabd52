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

typedef struct fp_state {
    uint64_t ring[TD_DEDUP_SHINGLE]; /* last token hashes */
    uint32_t n;                       /* tokens seen */
    uint64_t mins[TD_DEDUP_K];
    uint32_t n_shingles;
    uint64_t pending[64];             /* token hashes not yet fed to `exact` */
    uint32_t n_pending;
    XXH3_state_t exact;
} fp_state;

static void add_shingle(fp_state *s, uint64_t h)
{
    uint32_t bin = (uint32_t)(h & (TD_DEDUP_K - 1));
    uint64_t v = h >> 8;
    if (v < s->mins[bin])
        s->mins[bin] = v;
    s->n_shingles++;
}

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* Hashes the shingle ending at the newest token: the tokens in order, each
 * rotated by its position and combined, then one 64-bit finaliser. The
 * token hashes are already XXH3 outputs, so this mix is enough for MinHash
 * (bins from the low bits, minima from the high bits) at a third of the
 * cost of hashing the 24 bytes again, which was a fifth of fingerprinting. */
static inline __attribute__((always_inline)) uint64_t shingle_hash(const fp_state *s)
{
    uint64_t h = 0x2545F4914F6CDD1DULL;
    uint32_t at = s->n % TD_DEDUP_SHINGLE;
    for (uint32_t k = 0; k < TD_DEDUP_SHINGLE; k++) {
        h = (h ^ rotl64(s->ring[at], 17 * k + 5)) * 0x9E3779B97F4A7C15ULL;
        at = at + 1 == TD_DEDUP_SHINGLE ? 0 : at + 1;
    }
    return mix64(h);
}

static void on_token(void *ud, uint64_t h)
{
    fp_state *s = ud;
    s->pending[s->n_pending++] = h; /* fed to XXH3 in blocks: one update call per 64 tokens */
    if (s->n_pending == 64) {
        XXH3_64bits_update(&s->exact, s->pending, sizeof s->pending);
        s->n_pending = 0;
    }
    s->ring[s->n % TD_DEDUP_SHINGLE] = h;
    s->n++;
    if (s->n >= TD_DEDUP_SHINGLE)
        add_shingle(s, shingle_hash(s));
}

void td_dedup_fingerprint(td_str body, td_dedup_fp *fp)
{
    fp_state s;
    s.n = 0;
    s.n_shingles = 0;
    s.n_pending = 0;
    for (uint32_t i = 0; i < TD_DEDUP_K; i++)
        s.mins[i] = UINT64_MAX;
    XXH3_64bits_reset(&s.exact);
    td_dedup_tokens(body, on_token, &s);
    XXH3_64bits_update(&s.exact, s.pending, s.n_pending * sizeof s.pending[0]);

    memset(fp, 0, sizeof *fp);
    fp->n_tokens = s.n;
    if (s.n == 0)
        return;
    if (s.n < TD_DEDUP_SHINGLE) { /* the whole short text is one shingle */
        uint64_t w[TD_DEDUP_SHINGLE] = { 0 };
        for (uint32_t k = 0; k < s.n; k++)
            w[k] = s.ring[k];
        add_shingle(&s, XXH3_64bits(w, s.n * sizeof w[0]));
    }
    fp->exact = XXH3_64bits_digest(&s.exact);
    if (fp->exact == 0)
        fp->exact = 1;
    fp->n_shingles = s.n_shingles;
    /* next filled bin to the right (circular) of each bin, in one backward
     * pass over two turns: O(K) however few bins are filled (>= 1 is) */
    uint32_t nxt[TD_DEDUP_K], last = 0;
    for (uint32_t t = 2 * TD_DEDUP_K; t-- > 0;) {
        if (s.mins[t % TD_DEDUP_K] != UINT64_MAX)
            last = t;
        if (t < TD_DEDUP_K)
            nxt[t] = last;
    }
    for (uint32_t i = 0; i < TD_DEDUP_K; i++) {
        uint32_t dist = nxt[i] - i, j = nxt[i] % TD_DEDUP_K;
        uint64_t v = mix64(s.mins[j] + dist * 0x9E3779B97F4A7C15ULL + (dist ? i : 0));
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

typedef struct set_state {
    uint64_t ring[TD_DEDUP_SHINGLE];
    uint32_t n;
    uint64_t *out;
    uint32_t len, cap;
    bool failed;
} set_state;

static void on_set_token(void *ud, uint64_t h)
{
    set_state *s = ud;
    s->ring[s->n % TD_DEDUP_SHINGLE] = h;
    s->n++;
    if (s->n < TD_DEDUP_SHINGLE || s->failed)
        return;
    if (s->len == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *o = td_realloc(s->out, (size_t)cap * sizeof *o);
        if (!o) {
            s->failed = true;
            return;
        }
        s->out = o;
        s->cap = cap;
    }
    fp_state tmp; /* shingle_hash reads ring and n only */
    memcpy(tmp.ring, s->ring, sizeof tmp.ring);
    tmp.n = s->n;
    s->out[s->len++] = shingle_hash(&tmp);
}

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
    set_state s = { .n = 0, .out = *out, .len = 0, .cap = *cap, .failed = false };
    td_dedup_tokens(body, on_set_token, &s);
    *out = s.out;
    *cap = s.cap;
    if (s.failed)
        return UINT32_MAX;
    if (s.len > 1) {
        uint64_t *tmp = td_malloc((size_t)s.len * sizeof *tmp);
        if (!tmp)
            return UINT32_MAX;
        radix_sort(s.out, tmp, s.len);
        td_free(tmp);
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < s.len; i++)
        if (!k || s.out[k - 1] != s.out[i])
            s.out[k++] = s.out[i];
    return k;
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
