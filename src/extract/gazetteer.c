/*
 * gazetteer.c - loading and querying places.bin (layout in gazetteer.h).
 *
 * The file is mapped read-only and never copied: a td_gazetteer is a set of
 * pointers into the mapping plus the opened automaton view, so loading costs
 * the header checks and one mmap, whatever the file size. The mapping is
 * immutable and may be shared by every thread.
 */
#include "extract/gazetteer.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"

struct td_gazetteer {
    const uint8_t *base;
    size_t len;
    bool mapped;            /* munmap at free, else td_free */
    uint32_t n_places, n_names, n_post, sk_slots, str_len;
    const uint8_t *places, *names, *post, *sk, *cc, *str;
    td_matcher ac;
};

static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Checks the header and sets the section pointers. TD_EPARSE when any
 * section does not fit. */
static td_status attach(td_gazetteer *g)
{
    const uint8_t *h = g->base;
    if (g->len < 64 || memcmp(h, "TDGZ", 4) != 0 || rd32(h + 4) != TD_GAZ_VERSION)
        return TD_EPARSE;
    g->n_places = rd32(h + 8);
    g->n_names = rd32(h + 12);
    g->n_post = rd32(h + 16);
    g->sk_slots = rd32(h + 20);
    uint32_t off_pl = rd32(h + 24), off_nm = rd32(h + 28), off_po = rd32(h + 32);
    uint32_t off_sk = rd32(h + 36), off_cc = rd32(h + 40), off_st = rd32(h + 44);
    g->str_len = rd32(h + 48);
    uint32_t off_ac = rd32(h + 52), ac_len = rd32(h + 56);
    size_t L = g->len;
    if ((uint64_t)off_pl + (uint64_t)g->n_places * 32 > L ||
        (uint64_t)off_nm + (uint64_t)g->n_names * 12 > L ||
        (uint64_t)off_po + (uint64_t)g->n_post * 4 > L ||
        (uint64_t)off_sk + (uint64_t)g->sk_slots * 16 > L || (uint64_t)off_cc + 676 * 4 > L ||
        (uint64_t)off_st + g->str_len > L || (uint64_t)off_ac + ac_len > L || g->str_len == 0 ||
        (g->sk_slots & (g->sk_slots - 1)) || g->sk_slots == 0 || (off_ac & 7))
        return TD_EPARSE;
    g->places = h + off_pl;
    g->names = h + off_nm;
    g->post = h + off_po;
    g->sk = h + off_sk;
    g->cc = h + off_cc;
    g->str = h + off_st;
    if (g->str[g->str_len - 1] != '\0')
        return TD_EPARSE;
    if (td_match_open(&g->ac, h + off_ac, ac_len) != TD_OK || g->ac.n_patterns != g->n_names)
        return TD_EPARSE;
    return TD_OK;
}

td_status td_gazetteer_load(const char *path, td_gazetteer **out, td_buf *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (err)
            td_buf_printf(err, "%s: %s%s", path, strerror(e),
                          e == ENOENT ? " (build it with: make gazetteer, or "
                                        "scripts/build-gazetteer build/data; set TIDINGS_DATA "
                                        "to the folder holding places.bin)"
                                      : "");
        return e == ENOENT ? TD_ENOTFOUND : TD_EIO;
    }
    struct stat stt;
    if (fstat(fd, &stt) != 0 || stt.st_size < 64) {
        close(fd);
        if (err)
            td_buf_printf(err, "%s: too short to be a gazetteer", path);
        return TD_EPARSE;
    }
    void *p = mmap(NULL, (size_t)stt.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        if (err)
            td_buf_printf(err, "%s: mmap: %s", path, strerror(errno));
        return TD_EIO;
    }
    td_gazetteer *g = td_calloc(1, sizeof *g);
    if (!g) {
        munmap(p, (size_t)stt.st_size);
        return TD_ENOMEM;
    }
    g->base = p;
    g->len = (size_t)stt.st_size;
    g->mapped = true;
    td_status st = attach(g);
    if (st != TD_OK) {
        if (err)
            td_buf_printf(err, "%s: not a tidings gazetteer of version %d (rebuild it with "
                               "scripts/build-gazetteer)", path, TD_GAZ_VERSION);
        td_gazetteer_free(g);
        return st;
    }
    *out = g;
    return TD_OK;
}

td_status td_gazetteer_open_mem(const void *p, size_t len, td_gazetteer **out)
{
    td_gazetteer *g = td_calloc(1, sizeof *g);
    uint8_t *copy = td_malloc(len ? len : 1);
    if (!g || !copy) {
        td_free(g);
        td_free(copy);
        return TD_ENOMEM;
    }
    memcpy(copy, p, len);
    g->base = copy;
    g->len = len;
    td_status st = attach(g);
    if (st != TD_OK) {
        td_gazetteer_free(g);
        return st;
    }
    *out = g;
    return TD_OK;
}

void td_gazetteer_free(td_gazetteer *g)
{
    if (!g)
        return;
    if (g->mapped)
        munmap((void *)g->base, g->len);
    else
        td_free((void *)g->base);
    td_free(g);
}

uint32_t td_gazetteer_count(const td_gazetteer *g)
{
    return g->n_places;
}

const td_matcher *td_gazetteer_matcher(const td_gazetteer *g)
{
    return &g->ac;
}

void td_gazetteer_place(const td_gazetteer *g, uint32_t idx, td_place *out)
{
    memset(out, 0, sizeof *out);
    if (idx >= g->n_places) {
        out->name = "";
        out->lat = out->lon = NAN;
        return;
    }
    const uint8_t *r = g->places + (size_t)idx * 32;
    out->idx = idx;
    out->geonameid = rd32(r);
    int32_t lat = (int32_t)rd32(r + 4), lon = (int32_t)rd32(r + 8);
    out->lat = lat == TD_GAZ_NOCOORD ? NAN : lat / 1e5;
    out->lon = lon == TD_GAZ_NOCOORD ? NAN : lon / 1e5;
    out->population = rd32(r + 12);
    uint32_t no = rd32(r + 16);
    out->name = no < g->str_len ? (const char *)g->str + no : "";
    out->country[0] = (char)r[20];
    out->country[1] = (char)r[21];
    out->kind = (td_place_kind)r[22];
    memcpy(out->admin1, r + 24, 8);
}

uint32_t td_gazetteer_name(const td_gazetteer *g, uint32_t id, const uint8_t **post,
                           uint32_t *flags)
{
    *post = NULL;
    if (flags)
        *flags = 0;
    if (id >= g->n_names)
        return 0;
    const uint8_t *r = g->names + (size_t)id * 12;
    uint32_t first = rd32(r), n = rd32(r + 4);
    if ((uint64_t)first + n > g->n_post)
        return 0;
    *post = g->post + (size_t)first * 4;
    if (flags)
        *flags = rd32(r + 8);
    return n;
}

uint32_t td_gazetteer_posting(const uint8_t *post, uint32_t i)
{
    return rd32(post + (size_t)i * 4);
}

int64_t td_gazetteer_lookup(const td_gazetteer *g, td_str name)
{
    uint64_t keys[TD_MATCH_MAX_DEPTH];
    uint32_t n = td_match_phrase_keys(name, keys, TD_MATCH_MAX_DEPTH);
    if (n == 0 || n == TD_MATCH_MAX_DEPTH)
        return -1;
    return td_match_lookup(&g->ac, keys, n);
}

uint32_t td_gazetteer_skeleton(const td_gazetteer *g, td_str name, const uint8_t **post)
{
    char fb[256], sk[128];
    td_buf f = TD_BUF_INIT;
    *post = NULL;
    size_t fl = td_match_fold(name, &f);
    if (f.failed || fl < 4 || fl >= sizeof fb) {
        td_buf_free(&f);
        return 0;
    }
    memcpy(fb, f.p, fl);
    td_buf_free(&f);
    size_t sl = td_match_skeleton(td_str_make(fb, fl), sk, sizeof sk);
    if (sl < 3)
        return 0;
    uint64_t key = td_match_key(sk, sl);
    uint32_t mask = g->sk_slots - 1, i = (uint32_t)key & mask;
    for (uint32_t probes = 0; probes < g->sk_slots; probes++, i = (i + 1) & mask) {
        const uint8_t *s = g->sk + (size_t)i * 16;
        uint32_t n = rd32(s + 12);
        if (n == 0)
            return 0;
        if (rd64(s) == key) {
            uint32_t first = rd32(s + 8);
            if ((uint64_t)first + n > g->n_post)
                return 0;
            *post = g->post + (size_t)first * 4;
            return n;
        }
    }
    return 0;
}

int64_t td_gazetteer_country(const td_gazetteer *g, const char *cc)
{
    if (!cc || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    uint32_t v = rd32(g->cc + (size_t)((cc[0] - 'A') * 26 + (cc[1] - 'A')) * 4);
    return v == 0 || v > g->n_places ? -1 : (int64_t)v - 1;
}

const char *td_gazetteer_approx_name(td_place_kind k)
{
    return k == TD_PLACE_COUNTRY ? "country" : k == TD_PLACE_ADMIN1 ? "admin1" : "city";
}
