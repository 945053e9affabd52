/*
 * warc.c - streaming WARC reader (see warc.h for the contract).
 *
 * Data structure: a wsrc is a two-stage byte source over a FILE*:
 *   raw bytes   in[in_pos..in_len)    (gzip only; 64 KB, refilled by fread)
 *   stream      out[out_pos..out_len) (plain: the file's bytes; gzip: inflated)
 * The probe's prefix (head) is served before the FILE's own bytes. In gzip
 * mode inflate stops at the end of each member (member_end), so a record can
 * never run into the next member: a record cut short inside its member is
 * reported as truncated and the next member starts afresh. Records in one
 * member (a whole-file gzip) are read one after the other as usual.
 *
 * Invariants: out_off is the stream offset of out[0]; raw_off is the file
 * offset just past in[in_len - 1]; at most OUT_CAP stream bytes and IN_CAP
 * raw bytes are buffered; a record block kept for emit is at most
 * max_article_bytes + HTTP_PEEK bytes. Nothing here allocates per byte.
 *
 * Resynchronisation: after a broken record, plain streams are scanned for the
 * next line starting "WARC/1." (from the start of the bad block when the file
 * is seekable, so a truncated record does not swallow the next one); gzip
 * streams skip to the next member (inflating what is left of a sound member,
 * or scanning raw bytes for the magic 1f 8b 08 after a corrupt one). Members
 * found by a scan that fail again are skipped silently, so one bad stretch
 * gives one message.
 */
#include "read/warc.h"
#include "read/html.h"
#include "read/warc_par.h"
#include "base/alloc.h"
#include "base/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <zlib.h>

#define IN_CAP (1u << 16)
#define OUT_CAP (1u << 17)
#define MAX_HEADER (1u << 16)   /* a WARC header block longer than this is broken */
#define HTTP_PEEK (1u << 16)    /* HTTP headers must fit in this many bytes */

typedef struct wsrc {
    FILE *f;
    bool gz;
    const unsigned char *head;  /* bytes the probe consumed, served first */
    size_t head_len, head_pos;
    unsigned char *in;          /* gzip: raw bytes */
    size_t in_pos, in_len;
    uint64_t raw_off;           /* file offset just past in[in_len - 1] */
    unsigned char *out;         /* stream bytes */
    size_t out_pos, out_len;
    uint64_t out_off;           /* stream offset of out[0] */
    uint64_t bytes;             /* raw bytes read from head and f */
    z_stream z;
    bool z_ready;
    /* gzip: a member that lies whole in `in` is inflated in one call by
     * libdeflate (about twice zlib's speed); one that does not (a whole-file
     * gzip, a member cut by the buffer's end, a corrupt one) goes through
     * zlib's streaming inflate from its start, which also reports errors */
    struct libdeflate_decompressor *ld;
    /* gzip from a regular file with cores to spare: members are inflated
     * ahead by warc_par.c, which then also reads the file */
    td_warc_par *par;
    bool fresh;                 /* gzip: the member has not been inflated from yet */
    bool member_end;            /* gzip: inflate reached the end of the member */
    bool broken;                /* gzip: the member is corrupt or cut short */
    bool cut;                   /* gzip: ... because the input ended inside it */
    bool eof, ioerr;
    bool nomem;                 /* the read-ahead thread ran out of memory */
    bool seekable;              /* plain: fseeko works (regular file) */
    uint64_t member_off;        /* gzip: file offset of the current member */
} wsrc;

/* ---- the byte source ---- */

/* Reads up to cap raw bytes: the probe's prefix first, then the file. */
static size_t raw_read(wsrc *s, unsigned char *dst, size_t cap)
{
    size_t n;
    if (s->head_pos < s->head_len) {
        n = s->head_len - s->head_pos;
        if (n > cap)
            n = cap;
        memcpy(dst, s->head + s->head_pos, n);
        s->head_pos += n;
        s->bytes += n;
        return n;
    }
    if (s->eof)
        return 0;
    if (s->par) {
        n = td_warc_par_read(s->par, dst, cap);
        if (n == 0) {
            s->eof = true;
            int err = td_warc_par_error(s->par);
            s->nomem = err == ENOMEM;
            s->ioerr = err && !s->nomem;
        }
        s->bytes += n;
        return n;
    }
    n = fread(dst, 1, cap, s->f);
    if (n == 0) {
        s->eof = true;
        if (ferror(s->f))
            s->ioerr = true;
    }
    s->bytes += n;
    return n;
}

/* Makes at least n (<= IN_CAP) raw bytes available at in[in_pos] unless the
 * input ends first; returns how many are. */
static size_t raw_ensure(wsrc *s, size_t n)
{
    while (s->in_len - s->in_pos < n) {
        if (s->in_pos) {
            memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
            s->in_len -= s->in_pos;
            s->in_pos = 0;
        }
        size_t got = raw_read(s, s->in + s->in_len, IN_CAP - s->in_len);
        if (!got)
            break;
        s->in_len += got;
        s->raw_off += got;
    }
    return s->in_len - s->in_pos;
}

static uint64_t raw_pos(const wsrc *s) { return s->raw_off - (s->in_len - s->in_pos); }

/* Consumes n raw bytes (a member inflated ahead), fewer when the input ends. */
static void raw_skip(wsrc *s, size_t n)
{
    while (n) {
        if (s->in_pos == s->in_len && raw_ensure(s, 1) == 0)
            return;
        size_t k = s->in_len - s->in_pos < n ? s->in_len - s->in_pos : n;
        s->in_pos += k;
        n -= k;
    }
}

/* Moves unread stream bytes to the front of out. */
static void compact(wsrc *s)
{
    if (!s->out_pos)
        return;
    memmove(s->out, s->out + s->out_pos, s->out_len - s->out_pos);
    s->out_off += s->out_pos;
    s->out_len -= s->out_pos;
    s->out_pos = 0;
}

/*
 * Adds stream bytes to out. Returns how many were added; 0 at the end of the
 * member (gzip) or of the input; -1 when the member is broken (s->broken).
 */
static long more(wsrc *s)
{
    compact(s);
    if (s->out_len == OUT_CAP)
        return 0; /* callers never ask for more than OUT_CAP / 2 at once */
    if (!s->gz) {
        size_t got = raw_read(s, s->out + s->out_len, OUT_CAP - s->out_len);
        s->out_len += got;
        return (long)got;
    }
    if (s->member_end)
        return 0;
    if (s->broken)
        return -1;
    if (s->fresh && s->par) {
        size_t made = 0, used = 0;
        if (td_warc_par_take(s->par, s->member_off, s->out + s->out_len, OUT_CAP - s->out_len, &made, &used)) {
            s->fresh = false;
            raw_skip(s, used);
            s->out_len += made;
            s->member_end = true;
            return (long)made;
        }
    }
    if (s->fresh && s->ld) {
        s->fresh = false;
        /* keep at least half a buffer ahead so most members lie whole in it */
        if (s->in_len - s->in_pos < IN_CAP / 2)
            raw_ensure(s, IN_CAP);
        size_t used = 0, made = 0;
        if (libdeflate_gzip_decompress_ex(s->ld, s->in + s->in_pos, s->in_len - s->in_pos, s->out + s->out_len,
                                          OUT_CAP - s->out_len, &used, &made) == LIBDEFLATE_SUCCESS) {
            s->in_pos += used;
            s->out_len += made;
            s->member_end = true;
            return (long)made;
        }
    }
    for (;;) {
        if (s->in_pos == s->in_len && raw_ensure(s, 1) == 0) {
            s->broken = s->cut = true; /* the input ends inside the member */
            s->out_len = s->out_pos;   /* what is left of it is not a whole record */
            return -1;
        }
        size_t in_avail = s->in_len - s->in_pos, out_room = OUT_CAP - s->out_len;
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)in_avail;
        s->z.next_out = s->out + s->out_len;
        s->z.avail_out = (uInt)out_room;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        size_t used = in_avail - s->z.avail_in, made = out_room - s->z.avail_out;
        s->in_pos += used;
        s->out_len += made;
        if (rc == Z_STREAM_END) {
            s->member_end = true;
            return (long)made;
        }
        if (rc == Z_OK && made)
            return (long)made;
        if (rc == Z_OK || (rc == Z_BUF_ERROR && s->in_pos == s->in_len))
            continue; /* needs more input */
        /* Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR; a bad CRC shows only at the
         * end, so nothing still buffered of this member can be trusted */
        s->broken = true;
        s->out_len = s->out_pos;
        return -1;
    }
}

/* Makes at least n stream bytes available unless the member/input ends;
 * returns how many are (may be fewer than n). */
static size_t ensure(wsrc *s, size_t n)
{
    while (s->out_len - s->out_pos < n && more(s) > 0)
        ;
    return s->out_len - s->out_pos;
}

/* Starts inflating a member at the raw position (which holds 1f 8b). */
static void start_member(wsrc *s)
{
    inflateReset(&s->z);
    s->member_off = raw_pos(s);
    s->member_end = s->broken = s->cut = false;
    s->fresh = true;
    s->out_off += s->out_len;
    s->out_pos = s->out_len = 0;
}

static bool at_magic(wsrc *s)
{
    return raw_ensure(s, 3) >= 3 && s->in[s->in_pos] == 0x1f && s->in[s->in_pos + 1] == 0x8b &&
           s->in[s->in_pos + 2] == 8;
}

/* Scans raw bytes, from one past the current one, for the next gzip magic;
 * true when positioned on one. Bounded by the input: each byte looked at once. */
static bool scan_magic(wsrc *s)
{
    if (s->in_pos < s->in_len)
        s->in_pos++;
    for (;;) {
        if (raw_ensure(s, 3) < 3) {
            s->in_pos = s->in_len;
            return false;
        }
        unsigned char *p = s->in + s->in_pos, *end = s->in + s->in_len - 2;
        unsigned char *hit = memchr(p, 0x1f, (size_t)(end - p));
        if (!hit) {
            s->in_pos = s->in_len - 2;
            if (s->eof && s->head_pos == s->head_len) {
                s->in_pos = s->in_len;
                return false;
            }
            continue;
        }
        s->in_pos = (size_t)(hit - s->in);
        if (hit[1] == 0x8b && hit[2] == 8)
            return true;
        s->in_pos++;
    }
}

/* Plain: scans for the next line starting "WARC/1."; bol says whether the
 * current position starts a line. True when positioned on one. */
static bool scan_record(wsrc *s, bool bol)
{
    for (;;) {
        size_t n = ensure(s, 7);
        if (n == 0)
            return false;
        if (bol && n >= 7 && memcmp(s->out + s->out_pos, "WARC/1.", 7) == 0)
            return true;
        if (n < 7 && (s->eof && s->head_pos == s->head_len)) {
            s->out_pos = s->out_len;
            return false;
        }
        unsigned char *p = s->out + s->out_pos;
        unsigned char *nl = memchr(p + (bol ? 1 : 0), '\n', n - (bol ? 1 : 0));
        if (nl) {
            s->out_pos = (size_t)(nl - s->out) + 1;
            bol = true;
        } else {
            s->out_pos = s->out_len;
            bol = false;
        }
    }
}

/* Plain: rewinds a seekable file to stream offset off. */
static bool seek_to(wsrc *s, uint64_t off)
{
    if (!s->seekable || fseeko(s->f, (off_t)off, SEEK_SET) != 0)
        return false;
    clearerr(s->f);
    s->head_pos = s->head_len; /* the prefix is in the file too */
    s->eof = false;
    s->out_off = off;
    s->out_pos = s->out_len = 0;
    return true;
}

/*
 * Reads one line (through '\n') into line. Returns 1 (the last line of a
 * stream may lack its '\n'), 0 when nothing is left, -1 when the member is
 * broken, -2 when the line is longer than max.
 */
static int read_line(wsrc *s, td_buf *line, size_t max)
{
    size_t start = line->len;
    for (;;) {
        if (s->out_pos == s->out_len) {
            long m = more(s);
            if (m < 0)
                return -1;
            if (m == 0)
                return line->len > start ? 1 : 0;
        }
        unsigned char *p = s->out + s->out_pos;
        size_t n = s->out_len - s->out_pos;
        unsigned char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) + 1 : n;
        if (line->len - start + take > max)
            return -2;
        td_buf_append(line, p, take);
        s->out_pos += take;
        if (nl)
            return 1;
    }
}

/* Moves up to n stream bytes into b (NULL: drops them). Returns how many
 * moved; fewer than n means the member or the input ended (or broke). */
static uint64_t take(wsrc *s, td_buf *b, uint64_t n)
{
    uint64_t done = 0;
    if (b && n && !td_buf_reserve(b, (size_t)n))
        return 0;
    while (done < n) {
        if (s->out_pos == s->out_len && more(s) <= 0)
            break;
        size_t k = s->out_len - s->out_pos;
        if (k > n - done)
            k = (size_t)(n - done);
        if (b)
            td_buf_append(b, s->out + s->out_pos, k);
        s->out_pos += k;
        done += k;
    }
    return done;
}

/* ---- records ---- */

typedef struct wctx {
    td_reader *r;
    const char *name;
    wsrc s;
    td_warc_stats st;
    td_buf hdr, blk, dec, uri, id;
    bool quiet;        /* resynchronising: failures are part of the bad stretch */
} wctx;

static void warnf(wctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(wctx *c, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->r->warn)
        c->r->warn(c->r->ud, c->name, msg);
}

/* Where a record starts, for messages: its member in gzip, its byte in plain. */
static const char *where_str(wctx *c, uint64_t rec_off, char *buf, size_t cap)
{
    if (c->s.gz)
        snprintf(buf, cap, "gzip member at byte %llu", (unsigned long long)c->s.member_off);
    else
        snprintf(buf, cap, "record at byte %llu", (unsigned long long)rec_off);
    return buf;
}

static td_str trim(td_str v) { return td_str_trim(v); }

/* Finds header name (case-insensitive) in the lines of h; empty if absent. */
static td_str header(td_str h, const char *name)
{
    size_t nl = strlen(name);
    const char *p = h.p, *end = h.p + h.len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        td_str line = td_str_make(p, (size_t)(eol - p));
        if (line.len > nl && line.p[nl] == ':' && td_str_ieq(td_str_make(line.p, nl), td_str_make(name, nl)))
            return trim(td_str_make(line.p + nl + 1, line.len - nl - 1));
        p = eol + 1;
    }
    return td_str_make(NULL, 0);
}

/* Copies v into b without surrounding <>, and without "urn:uuid:" when strip_urn. */
static const char *copy_value(td_buf *b, td_str v, bool strip_urn)
{
    if (v.len >= 2 && v.p[0] == '<' && v.p[v.len - 1] == '>')
        v = td_str_make(v.p + 1, v.len - 2);
    if (strip_urn && td_str_istarts(v, td_str_cstr("urn:uuid:")))
        v = td_str_make(v.p + 9, v.len - 9);
    td_buf_clear(b);
    if (!v.len)
        return NULL;
    td_buf_append(b, v.p, v.len);
    return b->failed ? NULL : b->p;
}

static bool parse_u64(td_str v, uint64_t *out)
{
    uint64_t x = 0;
    if (!v.len)
        return false;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9' || x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(v.p[i] - '0');
    }
    *out = x;
    return true;
}

/* Undoes chunked transfer coding in place. Returns the decoded length; a
 * framing error keeps what was decoded before it (crawls cut payloads). */
static size_t dechunk(char *p, size_t len)
{
    size_t in = 0, out = 0;
    while (in < len) {
        uint64_t n = 0;
        size_t digits = 0;
        for (; in < len; in++, digits++) {
            int c = (unsigned char)p[in], v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
            else break;
            if (n > (UINT64_MAX >> 4))
                return out;
            n = n * 16 + (uint64_t)v;
        }
        const char *eol = memchr(p + in, '\n', len - in);
        if (!digits || !eol)
            break;
        in = (size_t)(eol - p) + 1; /* chunk extensions are ignored */
        if (n == 0)
            break;
        size_t k = n > len - in ? len - in : (size_t)n;
        memmove(p + out, p + in, k);
        out += k;
        in += k;
        if (k < n)
            break;
        if (in < len && p[in] == '\r')
            in++;
        if (in < len && p[in] == '\n')
            in++;
    }
    return out;
}

/* Inflates gzip, zlib or raw deflate data into out, at most max bytes.
 * Returns TD_OK, TD_EPARSE, TD_ELIMIT or TD_ENOMEM. */
static td_status inflate_payload(const char *p, size_t len, size_t max, td_buf *out)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        z_stream z = { 0 };
        /* 32+15: gzip or zlib header, detected; then raw deflate ("deflate" servers) */
        if (inflateInit2(&z, attempt == 0 ? 32 + MAX_WBITS : -MAX_WBITS) != Z_OK)
            return TD_ENOMEM;
        td_buf_clear(out);
        z.next_in = (Bytef *)(uintptr_t)p;
        z.avail_in = (uInt)len;
        int rc = Z_OK;
        td_status st = TD_OK;
        while (rc == Z_OK) {
            if (!td_buf_reserve(out, 65536)) {
                st = TD_ENOMEM;
                break;
            }
            size_t room = out->cap - out->len - 1;
            z.next_out = (Bytef *)out->p + out->len;
            z.avail_out = (uInt)room;
            rc = inflate(&z, Z_NO_FLUSH);
            out->len += room - z.avail_out;
            out->p[out->len] = '\0';
            if (out->len > max) {
                st = TD_ELIMIT;
                break;
            }
            if (rc == Z_BUF_ERROR && z.avail_in == 0) {
                rc = Z_STREAM_END; /* a cut stream: keep what came out */
                break;
            }
        }
        inflateEnd(&z);
        if (st != TD_OK)
            return st;
        if (rc == Z_STREAM_END && out->len)
            return TD_OK;
    }
    return TD_EPARSE;
}

static bool fatal(td_status st)
{
    return st == TD_EDB || st == TD_EBUSY || st == TD_EREADONLY || st == TD_ENOMEM;
}

static bool is_html_type(td_str ct)
{
    return td_str_istarts(ct, td_str_cstr("text/html")) || td_str_istarts(ct, td_str_cstr("application/xhtml+xml"));
}

/*
 * Turns a complete response block (in c->blk) into an article and emits it,
 * or counts why not. Returns the status of emit (fatal ones stop the read).
 */
static td_status emit_response(wctx *c, const char *where, const char *url, const char *id, size_t hlen,
                               td_str http)
{
    td_reader *r = c->r;
    char *payload = c->blk.p + hlen;
    size_t plen = c->blk.len - hlen;
    if (td_str_icontains(header(http, "Transfer-Encoding"), td_str_cstr("chunked")))
        plen = dechunk(payload, plen);
    td_str enc = header(http, "Content-Encoding");
    if ((td_str_icontains(enc, td_str_cstr("gzip")) || td_str_icontains(enc, td_str_cstr("deflate"))) &&
        !(plen > 0 && payload[0] == '<')) { /* some crawlers store it decoded but keep the header */
        td_status ds = inflate_payload(payload, plen, r->max_article_bytes, &c->dec);
        if (ds == TD_ENOMEM)
            return TD_ENOMEM;
        if (ds == TD_ELIMIT) {
            c->st.too_large++;
            r->skipped++;
            warnf(c, "%s (%s): page over the limit of %llu bytes once inflated (--max-article-bytes); skipped",
                  where, url ? url : "no URL", (unsigned long long)r->max_article_bytes);
            return TD_OK;
        }
        if (ds != TD_OK) {
            c->st.broken++;
            r->skipped++;
            warnf(c, "%s (%s): Content-Encoding %.*s does not decode; skipped", where, url ? url : "no URL",
                  (int)enc.len, enc.p);
            return TD_OK;
        }
        payload = c->dec.p;
        plen = c->dec.len;
    }
    if (plen > r->max_article_bytes) {
        c->st.too_large++;
        r->skipped++;
        warnf(c, "%s (%s): page of %zu bytes is over the limit of %llu bytes (--max-article-bytes); skipped", where,
              url ? url : "no URL", plen, (unsigned long long)r->max_article_bytes);
        return TD_OK;
    }
    if (td_str_trim(td_str_make(payload, plen)).len == 0) {
        c->st.not_html++; /* an empty 200: nothing to read */
        return TD_OK;
    }
    payload[plen] = '\0';
    td_input in = { 0 };
    in.id = id;
    in.url = url;
    in.text = payload;
    in.text_len = plen;
    in.source = c->name;
    in.html = 1;
    c->st.pages++;
    td_status st = r->emit(r->ud, &in);
    return fatal(st) ? st : TD_OK;
}

/* Checks what follows a record's block: CRLF CRLF, the end of the member or
 * input, or (leniently) the next record. Consumes the CR/LF bytes. */
static bool trailer_ok(wsrc *s)
{
    int k = 0;
    while (k < 4 && ensure(s, 1) >= 1 && (s->out[s->out_pos] == '\r' || s->out[s->out_pos] == '\n')) {
        s->out_pos++;
        k++;
    }
    if (k == 4)
        return true;
    size_t n = ensure(s, 7);
    if (n == 0)
        return !s->broken;
    return n >= 7 && memcmp(s->out + s->out_pos, "WARC/1.", 7) == 0;
}

/*
 * After a bad record: moves to where the next record may start, the next line
 * "WARC/1." (in the member, for a whole-file gzip) or else the next member.
 * Returns 1 when a corrupt gzip member was met on the way (its CRC may only
 * fail at its end, after it inflated to nonsense), 2 when the input ended
 * inside a member, 0 otherwise.
 */
static int resync(wctx *c, uint64_t block_off)
{
    wsrc *s = &c->s;
    c->quiet = true;
    if (!s->gz && block_off != UINT64_MAX)
        seek_to(s, block_off); /* not seekable: go on from here */
    /* a line start either way: after a whole line, or at a block start */
    if (scan_record(s, true) || !s->gz || !s->broken)
        return 0;
    int why = s->cut ? 2 : 1;
    if (scan_magic(s))
        start_member(s);
    else
        s->member_end = true, s->broken = false, s->out_pos = s->out_len;
    return why;
}

/* Reports a skipped record: as a broken gzip member when resync says so. */
static void report(wctx *c, const char *where, const char *url, int rs, uint64_t *counter, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void report(wctx *c, const char *where, const char *url, int rs, uint64_t *counter, const char *fmt, ...)
{
    char why[400];
    if (rs == 1) {
        snprintf(why, sizeof why, "broken gzip data; skipped up to the next member");
        counter = &c->st.bad_gzip;
    } else {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, sizeof why, fmt, ap);
        va_end(ap);
    }
    (*counter)++;
    c->r->skipped++;
    warnf(c, "%s%s%s%s: %s", where, url ? " (" : "", url ? url : "", url ? ")" : "", why);
}

/*
 * Reads one record at the current position. Returns TD_OK (also for skipped
 * records), TD_ENOTFOUND at the end of the stream, or a fatal status.
 */
static td_status read_record(wctx *c)
{
    wsrc *s = &c->s;
    td_reader *r = c->r;
    char wb[96];
    /* gzip: the next member once this one is used up */
    if (s->gz && s->member_end && s->out_pos == s->out_len) {
        if (raw_ensure(s, 1) == 0)
            return TD_ENOTFOUND;
        if (!at_magic(s)) {
            uint64_t off = raw_pos(s);
            if (!c->quiet) {
                c->st.garbage++;
                r->skipped++;
                warnf(c, "byte %llu: data that is not a gzip member; skipped up to the next member",
                      (unsigned long long)off);
            }
            c->quiet = true;
            if (!scan_magic(s))
                return TD_ENOTFOUND;
        }
        start_member(s);
    }
    /* blank lines between records */
    for (;;) {
        size_t n = ensure(s, 1);
        if (n == 0)
            break;
        unsigned char ch = s->out[s->out_pos];
        if (ch != '\r' && ch != '\n')
            break;
        s->out_pos++;
    }
    uint64_t rec_off = s->out_off + s->out_pos;
    if (s->out_pos == s->out_len && ensure(s, 1) == 0) {
        if (s->broken) {
            bool quiet = c->quiet;
            where_str(c, rec_off, wb, sizeof wb);
            resync(c, UINT64_MAX);
            if (!quiet)
                report(c, wb, NULL, 0, &c->st.bad_gzip, "%s; skipped up to the next member",
                       s->cut ? "gzip data cut short" : "broken gzip data");
            return TD_OK;
        }
        if (s->gz && s->member_end)
            return TD_OK; /* an empty member, or the tail of one: next */
        return TD_ENOTFOUND;
    }
    /* the version line */
    td_buf_clear(&c->hdr);
    int lr = read_line(s, &c->hdr, 64);
    if (c->hdr.failed)
        return TD_ENOMEM;
    if (lr == 1 && !(c->hdr.len >= 7 && memcmp(c->hdr.p, "WARC/1.", 7) == 0))
        lr = -3;
    if (lr != 1) {
        bool quiet = c->quiet && lr != -3;
        where_str(c, rec_off, wb, sizeof wb);
        bool cut = s->cut;
        /* an over-long line is left unread: step into it, or the scan below
         * would stop right here on its "WARC/1." and never move on (a hang
         * found by fuzz_jsonl, tests/fuzz/regress/warc/) */
        if (lr == -2 && s->out_pos < s->out_len)
            s->out_pos++;
        int rs = resync(c, UINT64_MAX);
        if (quiet)
            return TD_OK;
        if (lr == -1)
            report(c, wb, NULL, 0, &c->st.bad_gzip, "%s; skipped up to the next member",
                   cut ? "gzip data cut short" : "broken gzip data");
        else if (rs == 1)
            report(c, wb, NULL, 1, &c->st.bad_gzip, "-");
        else {
            snprintf(wb, sizeof wb, "byte %llu%s", (unsigned long long)rec_off, s->gz ? " (inflated)" : "");
            report(c, wb, NULL, 0, &c->st.garbage, "data that is not a WARC record; skipped up to the next record");
        }
        return TD_OK;
    }
    c->quiet = false;
    c->st.records++;
    /* the named fields, up to a blank line */
    const char *why = NULL;
    for (;;) {
        size_t before = c->hdr.len;
        lr = read_line(s, &c->hdr, MAX_HEADER);
        if (lr != 1 || c->hdr.len > MAX_HEADER) {
            why = lr == -1 ? (s->cut ? "truncated (gzip data cut short)" : "broken gzip data")
                           : lr == -2 || c->hdr.len > MAX_HEADER ? "WARC header over 64 KB" : "truncated in its header";
            break;
        }
        td_str line = td_str_make(c->hdr.p + before, c->hdr.len - before);
        if (line.p[line.len - 1] != '\n') {
            why = "truncated in its header";
            break;
        }
        if (td_str_trim(line).len == 0)
            break;
    }
    if (c->hdr.failed)
        return TD_ENOMEM;
    td_str h = td_buf_str(&c->hdr);
    uint64_t clen = 0;
    if (!why && !parse_u64(header(h, "Content-Length"), &clen))
        why = "no valid Content-Length";
    td_str type = header(h, "WARC-Type");
    const char *url = copy_value(&c->uri, header(h, "WARC-Target-URI"), false);
    const char *id = copy_value(&c->id, header(h, "WARC-Record-ID"), true);
    if (c->uri.failed || c->id.failed)
        return TD_ENOMEM;
    if (why) {
        where_str(c, rec_off, wb, sizeof wb);
        int rs = resync(c, UINT64_MAX);
        report(c, wb, url, rs, lr == -1 ? &c->st.bad_gzip : &c->st.broken, "%s; skipped", why);
        return TD_OK;
    }
    uint64_t block_off = s->out_off + s->out_pos;
    bool response = td_str_ieq(type, td_str_cstr("response"));
    td_buf_clear(&c->blk);
    uint64_t got = 0;
    enum { KEEP, NOT_RESPONSE, NOT_200, NOT_HTML, TOO_LARGE, BAD_HTTP } fate = KEEP;
    size_t hlen = 0;
    td_str http = { 0 };
    if (!response) {
        fate = NOT_RESPONSE;
        got = take(s, NULL, clen);
    } else {
        uint64_t peek = clen < HTTP_PEEK ? clen : HTTP_PEEK;
        got = take(s, &c->blk, peek);
        if (c->blk.failed)
            return TD_ENOMEM;
        td_str b = td_buf_str(&c->blk);
        /* the headers end at the first blank line, CRLF or bare LF
         * (td_str_find answers (size_t)-1 when it finds nothing) */
        size_t e = td_str_find(b, td_str_cstr("\r\n\r\n"));
        size_t e2 = td_str_find(e == (size_t)-1 ? b : td_str_make(b.p, e), td_str_cstr("\n\n"));
        if (e2 != (size_t)-1)
            hlen = e2 + 2;
        else if (e != (size_t)-1)
            hlen = e + 4;
        if (hlen == 0) { /* no blank line ends the headers */
            fate = BAD_HTTP;
        } else {
            http = td_str_make(b.p, hlen);
            uint64_t code = 0;
            const char *sp = memchr(b.p, ' ', hlen);
            size_t k = sp ? (size_t)(sp - b.p) + 1 : hlen;
            while (k < hlen && b.p[k] >= '0' && b.p[k] <= '9' && code < 1000)
                code = code * 10 + (uint64_t)(b.p[k++] - '0');
            td_str ct = header(http, "Content-Type");
            if (!td_str_istarts(b, td_str_cstr("HTTP/")) || code < 100 || code > 999)
                fate = BAD_HTTP;
            else if (code != 200)
                fate = NOT_200;
            else if (ct.len ? !is_html_type(ct) : !td_html_sniff(td_str_make(b.p + hlen, b.len - hlen)))
                fate = NOT_HTML;
            else if (clen - hlen > r->max_article_bytes)
                fate = TOO_LARGE;
        }
        if (got == peek && peek < clen) {
            if (fate == KEEP)
                got += take(s, &c->blk, clen - peek);
            else
                got += take(s, NULL, clen - peek);
            if (c->blk.failed)
                return TD_ENOMEM;
            if (http.p) /* the block may have moved as it grew */
                http = td_str_make(c->blk.p, http.len);
        }
    }
    if (got < clen || !trailer_ok(s)) {
        where_str(c, rec_off, wb, sizeof wb);
        int rs = s->broken && !s->cut ? 1 : 0;
        if (!(s->gz && s->member_end && !s->broken && s->out_pos == s->out_len)) {
            int rs2 = resync(c, s->gz ? UINT64_MAX : block_off);
            rs = rs ? rs : rs2;
        } /* else the member ended with the record: the next one is sound */
        if (got < clen)
            report(c, wb, url, rs, &c->st.broken, "truncated (%llu of %llu content bytes); skipped",
                   (unsigned long long)got, (unsigned long long)clen);
        else
            report(c, wb, url, rs, &c->st.broken,
                   "content does not end where Content-Length says (truncated?); skipped");
        return TD_OK;
    }
    switch (fate) {
    case NOT_RESPONSE: c->st.not_response++; return TD_OK;
    case NOT_200: c->st.not_200++; return TD_OK;
    case NOT_HTML: c->st.not_html++; return TD_OK;
    case TOO_LARGE:
        c->st.too_large++;
        r->skipped++;
        warnf(c, "%s (%s): page of %llu bytes is over the limit of %llu bytes (--max-article-bytes); skipped",
              where_str(c, rec_off, wb, sizeof wb), url ? url : "no URL", (unsigned long long)(clen - hlen),
              (unsigned long long)r->max_article_bytes);
        return TD_OK;
    case BAD_HTTP:
        c->st.broken++;
        r->skipped++;
        warnf(c, "%s (%s): response without a valid HTTP header; skipped", where_str(c, rec_off, wb, sizeof wb),
              url ? url : "no URL");
        return TD_OK;
    case KEEP: break;
    }
    return emit_response(c, where_str(c, rec_off, wb, sizeof wb), url, id, hlen, http);
}

/* ---- API implementation ---- */

bool td_warc_sniff(const void *head, size_t len)
{
    return len >= 7 && memcmp(head, "WARC/1.", 7) == 0;
}

bool td_warc_probe(FILE *f, int first, unsigned char *head, size_t cap, size_t *head_len)
{
    static const char magic[] = "WARC/1.";
    size_t n = 0;
    *head_len = 0;
    if (first == EOF || cap < 8)
        return false;
    head[n++] = (unsigned char)first;
    *head_len = n;
    if (first == 'W') {
        /* one byte at a time, and no further than the first mismatch */
        while (n < 7 && head[n - 1] == (unsigned char)magic[n - 1]) {
            int ch = getc(f);
            if (ch == EOF)
                break;
            head[n++] = (unsigned char)ch;
        }
        *head_len = n;
        return td_warc_sniff(head, n);
    }
    if (first != 0x1f)
        return false;
    int ch = getc(f);
    if (ch == EOF)
        return false;
    head[n++] = (unsigned char)ch;
    *head_len = n;
    if (ch != 0x8b)
        return false;
    z_stream z = { 0 };
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return false;
    unsigned char out[8];
    size_t got = 0;
    z.next_in = head;
    z.avail_in = 2;
    for (;;) {
        z.next_out = out + got;
        z.avail_out = (uInt)(7 - got);
        int rc = inflate(&z, Z_NO_FLUSH);
        got = 7 - z.avail_out;
        if (got == 7 || rc == Z_STREAM_END || (rc != Z_OK && rc != Z_BUF_ERROR))
            break;
        if (z.avail_in == 0) {
            if (n == cap || (ch = getc(f)) == EOF)
                break;
            head[n++] = (unsigned char)ch;
            z.next_in = head + n - 1;
            z.avail_in = 1;
        }
    }
    inflateEnd(&z);
    *head_len = n;
    return got == 7 && memcmp(out, magic, 7) == 0;
}

/* Formats v with thousands separators ("1,204"). */
static const char *commas(uint64_t v, char *buf, size_t cap)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

static void summary(wctx *c)
{
    const td_warc_stats *t = &c->st;
    if (t->records == t->pages && !t->garbage && !t->bad_gzip)
        return;
    td_buf m = TD_BUF_INIT;
    char a[32], b[32];
    td_buf_printf(&m, "%s records: %s page%s", commas(t->records, a, sizeof a), commas(t->pages, b, sizeof b),
                  t->pages == 1 ? "" : "s");
    struct { uint64_t n; const char *what; } parts[] = {
        { t->not_html, "skipped (not HTML)" },
        { t->not_200, "skipped (status not 200)" },
        { t->not_response, "skipped (not a response: warcinfo, request, metadata...)" },
        { t->too_large, "skipped (too large)" },
        { t->broken, "skipped (truncated or malformed)" },
        { t->bad_gzip, "skipped (broken gzip member)" },
        { t->garbage, "skipped (stretches of bytes that are not records)" },
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i].n)
            td_buf_printf(&m, ", %s %s", commas(parts[i].n, a, sizeof a), parts[i].what);
    if (!m.failed && c->r->warn)
        c->r->warn(c->r->ud, c->name, m.p);
    td_buf_free(&m);
}

td_status td_warc_read(td_reader *r, FILE *f, const char *name, const unsigned char *head, size_t head_len,
                       td_warc_stats *stats)
{
    wctx c = { 0 };
    c.r = r;
    c.name = name;
    wsrc *s = &c.s;
    s->f = f;
    s->head = head;
    s->head_len = head_len;
    s->gz = head_len >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    struct stat sb;
    s->seekable = !s->gz && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
    s->out = td_malloc(OUT_CAP);
    s->in = s->gz ? td_malloc(IN_CAP) : NULL;
    td_status st = TD_OK;
    if (!s->out || (s->gz && !s->in)) {
        st = TD_ENOMEM;
        goto done;
    }
    if (s->gz) {
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
            st = TD_ENOMEM;
            goto done;
        }
        s->z_ready = true;
        s->ld = libdeflate_alloc_decompressor(); /* NULL: zlib alone */
        if (s->ld && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
            /* pipes stay sequential: blocks would hold back records as they arrive */
            s->par = td_warc_par_start(f, head, head_len, td_warc_par_threads(), OUT_CAP);
            if (s->par)
                s->head_pos = s->head_len; /* the reader thread serves the prefix */
        }
        s->member_end = true; /* read_record starts the first member */
    }
    while ((st = read_record(&c)) == TD_OK && !s->ioerr && !s->nomem)
        ;
    if (st == TD_ENOTFOUND)
        st = TD_OK;
    if (st == TD_OK && s->nomem)
        st = TD_ENOMEM;
    if (st == TD_OK && s->ioerr) {
        warnf(&c, "read error: %s", strerror(errno));
        st = TD_EIO;
    }
    summary(&c);
done:
    td_warc_par_stop(s->par);
    r->bytes += s->bytes;
    if (stats)
        *stats = c.st;
    if (s->z_ready)
        inflateEnd(&s->z);
    if (s->ld)
        libdeflate_free_decompressor(s->ld);
    td_free(s->out);
    td_free(s->in);
    td_buf_free(&c.hdr);
    td_buf_free(&c.blk);
    td_buf_free(&c.dec);
    td_buf_free(&c.uri);
    td_buf_free(&c.id);
    return st;
}
