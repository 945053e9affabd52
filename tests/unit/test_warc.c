/*
 * test_warc.c - the WARC reader on archives the tests build themselves:
 * plain and gzip-per-record, HTTP decoding (chunked, gzip), records that are
 * not pages (counted, not emitted), and damage (a truncated record, a broken
 * gzip member, garbage between records, a file cut short), which is skipped
 * with a message naming the byte offset while the good pages still come out;
 * and a multi-MB .warc.gz read with inflating workers gives exactly what the
 * sequential read gives. Pages are short fictional wire stories.
 */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "read/read.h"
#include "read/warc.h"

/* ---- what the reader hands over ---- */

typedef struct got {
    int n;
    char url[64][160];
    char id[64][80];
    char text[64][600];
    size_t len[64];
    int html[64];
    td_buf warn;
    int warnings;
} got;

static td_status on_emit(void *ud, const td_input *in)
{
    got *g = ud;
    if (g->n < 64) {
        snprintf(g->url[g->n], sizeof g->url[0], "%s", in->url ? in->url : "");
        snprintf(g->id[g->n], sizeof g->id[0], "%s", in->id ? in->id : "");
        snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)in->text_len, in->text);
        g->len[g->n] = in->text_len;
        g->html[g->n] = in->html;
        assert_null(in->published); /* the page's own date wins, later */
    }
    g->n++;
    return TD_OK;
}

static void on_warn(void *ud, const char *where, const char *msg)
{
    got *g = ud;
    g->warnings++;
    td_buf_printf(&g->warn, "%s: %s\n", where, msg);
}

static td_reader reader_for(got *g)
{
    td_reader r = { 0 };
    r.emit = on_emit;
    r.warn = on_warn;
    r.ud = g;
    r.max_article_bytes = 1 << 20;
    return r;
}

static bool warned(const got *g, const char *s)
{
    bool ok = g->warn.p && strstr(g->warn.p, s);
    if (!ok)
        print_message("no '%s' in the messages:\n%s", s, g->warn.p ? g->warn.p : "(none)\n");
    return ok;
}

/* ---- building archives ---- */

static const char PAGE_A[] =
    "<!DOCTYPE html><html><head><title>Floods close the port of Veloria - Coastal Courier</title></head>"
    "<body><article><h1>Floods close the port of Veloria</h1>"
    "<p>VELORIA, April 3 - Floodwater closed the port of Veloria on Thursday, harbour officials said.</p>"
    "</article></body></html>";
static const char PAGE_B[] =
    "<html><head><title>Talks resume in Marrenhold</title></head><body>"
    "<p>MARRENHOLD, April 4 - Negotiators from both provinces returned to the table on Friday.</p></body></html>";
static const char PAGE_C[] =
    "<html><body><p>TESSARA, April 5 - The mayor of Tessara, Ilse Varnow, opened the new bridge.</p></body></html>";

/* Appends one WARC record (header + block + CRLF CRLF); declared_len < 0
 * means the true length. */
static void record(td_buf *b, const char *type, const char *uri, const char *uuid, const char *block, size_t len,
                   long declared_len)
{
    td_buf_printf(b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Date: 2025-04-03T10:00:00Z\r\n", type);
    if (uuid)
        td_buf_printf(b, "WARC-Record-ID: <urn:uuid:%s>\r\n", uuid);
    if (uri)
        td_buf_printf(b, "WARC-Target-URI: %s\r\n", uri);
    td_buf_printf(b, "Content-Type: application/http; msgtype=%s\r\nContent-Length: %ld\r\n\r\n", type,
                  declared_len < 0 ? (long)len : declared_len);
    td_buf_append(b, block, len);
    td_buf_puts(b, "\r\n\r\n");
}

/* An HTTP response block: status, content type (NULL: none), extra headers, body. */
static void http(td_buf *out, int status, const char *ctype, const char *extra, const char *body, size_t len)
{
    td_buf_clear(out);
    td_buf_printf(out, "HTTP/1.1 %d %s\r\n", status, status == 200 ? "OK" : "Not Found");
    if (ctype)
        td_buf_printf(out, "Content-Type: %s\r\n", ctype);
    td_buf_printf(out, "%s\r\n", extra ? extra : "");
    td_buf_append(out, body, len);
}

static void response(td_buf *b, int status, const char *ctype, const char *uri, const char *uuid, const char *body)
{
    td_buf h = TD_BUF_INIT;
    http(&h, status, ctype, NULL, body, strlen(body));
    record(b, "response", uri, uuid, h.p, h.len, -1);
    td_buf_free(&h);
}

/* gzip of data as one member, appended to out. */
static void gzip_member(td_buf *out, const void *data, size_t len)
{
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&z, (uLong)len) + 32;
    assert_true(td_buf_reserve(out, bound));
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->p + out->len;
    z.avail_out = (uInt)bound;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len += bound - z.avail_out;
    deflateEnd(&z);
}

/* The standard little archive, one record per entry of recs[] (split so
 * gzip versions can compress each record on its own). */
typedef struct recs { td_buf r[12]; int n; } recs;

static void standard(recs *rs)
{
    memset(rs, 0, sizeof *rs);
    td_buf *r = rs->r;
    const char info[] = "software: test-writer\r\nformat: WARC File Format 1.1\r\n";
    record(&r[0], "warcinfo", NULL, "00000000-0000-4000-8000-000000000000", info, strlen(info), -1);
    const char req[] = "GET /veloria-floods HTTP/1.1\r\nHost: courier.example\r\n\r\n";
    record(&r[1], "request", "https://courier.example/veloria-floods", "00000000-0000-4000-8000-000000000001", req,
           strlen(req), -1);
    response(&r[2], 200, "text/html; charset=utf-8", "https://courier.example/veloria-floods",
             "6f1c2a10-0000-4000-8000-00000000000a", PAGE_A);
    response(&r[3], 200, "image/png", "https://courier.example/logo.png", "00000000-0000-4000-8000-000000000003",
             "\x89PNG\r\n\x1a\n....");
    response(&r[4], 404, "text/html", "https://courier.example/missing", "00000000-0000-4000-8000-000000000004",
             "<html><body>gone</body></html>");
    /* chunked and gzip-encoded, as a raw crawler stores it */
    td_buf gz = TD_BUF_INIT, ch = TD_BUF_INIT, h = TD_BUF_INIT;
    gzip_member(&gz, PAGE_B, strlen(PAGE_B));
    size_t half = gz.len / 2;
    td_buf_printf(&ch, "%zx;ext=1\r\n", half);
    td_buf_append(&ch, gz.p, half);
    td_buf_printf(&ch, "\r\n%zX\r\n", gz.len - half);
    td_buf_append(&ch, gz.p + half, gz.len - half);
    td_buf_puts(&ch, "\r\n0\r\n\r\n");
    http(&h, 200, "text/html", "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", ch.p, ch.len);
    record(&r[5], "response", "<https://herald.example/marrenhold-talks>", "6f1c2a10-0000-4000-8000-00000000000b",
           h.p, h.len, -1);
    /* no Content-Type: sniffed */
    response(&r[6], 200, NULL, "https://gazette.example/tessara-bridge", NULL, PAGE_C);
    const char meta[] = "fetchTimeMs: 120\r\n";
    record(&r[7], "metadata", "https://gazette.example/tessara-bridge", "00000000-0000-4000-8000-000000000007", meta,
           strlen(meta), -1);
    rs->n = 8;
    td_buf_free(&gz);
    td_buf_free(&ch);
    td_buf_free(&h);
}

static void recs_free(recs *rs)
{
    for (int i = 0; i < 12; i++)
        td_buf_free(&rs->r[i]);
}

static void join(const recs *rs, bool gz, td_buf *out)
{
    for (int i = 0; i < rs->n; i++) {
        if (gz)
            gzip_member(out, rs->r[i].p, rs->r[i].len);
        else
            td_buf_append(out, rs->r[i].p, rs->r[i].len);
    }
}

/* Writes data to a temporary file and reads it back through td_read_stream. */
static td_status read_bytes(got *g, const void *data, size_t len, td_reader *r)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    rewind(f);
    td_status st = td_read_stream(r, f, "crawl.warc");
    fclose(f);
    (void)g;
    return st;
}

static void check_standard(const got *g)
{
    assert_int_equal(g->n, 3);
    assert_string_equal(g->url[0], "https://courier.example/veloria-floods");
    assert_string_equal(g->id[0], "6f1c2a10-0000-4000-8000-00000000000a");
    assert_string_equal(g->text[0], PAGE_A);
    assert_int_equal(g->len[0], strlen(PAGE_A));
    assert_string_equal(g->url[1], "https://herald.example/marrenhold-talks");
    assert_string_equal(g->text[1], PAGE_B); /* de-chunked and inflated */
    assert_string_equal(g->url[2], "https://gazette.example/tessara-bridge");
    assert_string_equal(g->id[2], ""); /* no record id: the engine hashes */
    assert_string_equal(g->text[2], PAGE_C);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g->html[i], 1);
}

/* ---- tests ---- */

static void sniffs_and_probes(void **state)
{
    (void)state;
    assert_true(td_warc_sniff("WARC/1.0\r\n", 10));
    assert_false(td_warc_sniff("WARC/2.0\r\n", 10));
    assert_false(td_warc_sniff("WAR", 3));
    assert_int_equal(td_read_sniff(TD_STR_LIT("WARC/1.1\r\nWARC-Type: warcinfo\r\n")), TD_FMT_WARC);
    assert_string_equal(td_format_name(TD_FMT_WARC), "warc");

    /* a text article starting with W: the probe stops at the first mismatch */
    FILE *f = tmpfile();
    fputs("Weather warning for the coast of Veloria", f);
    rewind(f);
    unsigned char head[TD_WARC_PROBE_MAX];
    size_t hn = 0;
    assert_false(td_warc_probe(f, getc(f), head, sizeof head, &hn));
    assert_int_equal(hn, 2); /* "We" */
    fclose(f);

    /* a gzip page that is not a WARC */
    td_buf gz = TD_BUF_INIT;
    gzip_member(&gz, PAGE_A, strlen(PAGE_A));
    f = tmpfile();
    fwrite(gz.p, 1, gz.len, f);
    rewind(f);
    assert_false(td_warc_probe(f, getc(f), head, sizeof head, &hn));
    assert_true(hn > 2 && hn <= gz.len);
    fclose(f);
    td_buf_free(&gz);
}

static void reads_plain_warc(void **state)
{
    (void)state;
    recs rs;
    standard(&rs);
    td_buf w = TD_BUF_INIT;
    join(&rs, false, &w);
    got g = { 0 };
    td_reader r = reader_for(&g);
    assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
    check_standard(&g);
    assert_int_equal(r.skipped, 0);
    assert_int_equal(r.files, 1);
    assert_int_equal(r.bytes, w.len);
    /* one summary line with every count */
    assert_int_equal(g.warnings, 1);
    assert_true(warned(&g, "crawl.warc: 8 records: 3 pages, 1 skipped (not HTML), 1 skipped (status not 200), "
                           "3 skipped (not a response"));
    td_buf_free(&g.warn);
    td_buf_free(&w);
    recs_free(&rs);
}

static void reads_gzip_per_record(void **state)
{
    (void)state;
    recs rs;
    standard(&rs);
    td_buf w = TD_BUF_INIT;
    join(&rs, true, &w);
    got g = { 0 };
    td_reader r = reader_for(&g);
    assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
    check_standard(&g);
    assert_int_equal(r.skipped, 0);
    assert_int_equal(r.bytes, w.len);
    assert_true(warned(&g, "8 records: 3 pages"));

    /* the whole archive as one gzip member (gzip crawl.warc) reads the same */
    td_buf plain = TD_BUF_INIT, one = TD_BUF_INIT;
    join(&rs, false, &plain);
    gzip_member(&one, plain.p, plain.len);
    got g2 = { 0 };
    td_reader r2 = reader_for(&g2);
    assert_int_equal(read_bytes(&g2, one.p, one.len, &r2), TD_OK);
    check_standard(&g2);
    assert_int_equal(r2.skipped, 0);
    td_buf_free(&g.warn);
    td_buf_free(&g2.warn);
    td_buf_free(&w);
    td_buf_free(&plain);
    td_buf_free(&one);
    recs_free(&rs);
}

/* An HTTP block whose headers never end (no blank line) is no page, in a
 * plain file and in gzip members read by either inflater; the records
 * around it are read. */
static void http_headers_without_end(void **state)
{
    (void)state;
    for (int gz = 0; gz < 2; gz++) {
        td_buf w = TD_BUF_INIT, rec = TD_BUF_INIT;
        const char bad[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n<html><body><p>NOVA PORTA - "
                           "Headers that never end.</p></body></html>";
        response(&rec, 200, "text/html", "http://a.example/1", "00000000-0000-4000-8000-000000000001", PAGE_A);
        record(&rec, "response", "http://a.example/2", "00000000-0000-4000-8000-000000000002", bad,
               sizeof bad - 1, -1);
        response(&rec, 200, "text/html", "http://a.example/3", "00000000-0000-4000-8000-000000000003", PAGE_B);
        if (gz) { /* one member per record, as crawlers write them */
            td_buf one = TD_BUF_INIT;
            const char *p = rec.p, *end = rec.p + rec.len;
            while (p < end) {
                const char *next = strstr(p + 1, "WARC/1.1\r\n");
                size_t n = next ? (size_t)(next - p) : (size_t)(end - p);
                gzip_member(&one, p, n);
                p += n;
            }
            td_buf_append(&w, one.p, one.len);
            td_buf_free(&one);
        } else {
            td_buf_append(&w, rec.p, rec.len);
        }
        got g = { 0 };
        td_reader r = reader_for(&g);
        assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
        assert_int_equal(g.n, 2);
        assert_string_equal(g.url[0], "http://a.example/1");
        assert_string_equal(g.url[1], "http://a.example/3");
        assert_int_equal(r.skipped, 1);
        assert_true(warned(&g, "without a valid HTTP header"));
        td_buf_free(&g.warn);
        td_buf_free(&w);
        td_buf_free(&rec);
    }
}

/* Record 2 claims 400 more bytes than it has: it must not swallow the pages after it. */
static void truncated_record_is_skipped(void **state)
{
    (void)state;
    for (int gz = 0; gz < 2; gz++) {
        recs rs;
        standard(&rs);
        td_buf h = TD_BUF_INIT;
        http(&h, 200, "text/html", NULL, PAGE_B, strlen(PAGE_B) - 40); /* page cut */
        td_buf_clear(&rs.r[4]);
        record(&rs.r[4], "response", "https://herald.example/cut", "00000000-0000-4000-8000-0000000000cc", h.p, h.len,
               (long)h.len + 400);
        td_buf w = TD_BUF_INIT;
        join(&rs, gz, &w);
        got g = { 0 };
        td_reader r = reader_for(&g);
        assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
        check_standard(&g);
        assert_int_equal(r.skipped, 1);
        assert_true(warned(&g, "https://herald.example/cut"));
        if (gz) {
            assert_true(warned(&g, "truncated (")); /* the member ends first */
        } else {
            assert_true(warned(&g, "content does not end where Content-Length says"));
            /* the record starts after records 0..3 */
            size_t off = rs.r[0].len + rs.r[1].len + rs.r[2].len + rs.r[3].len;
            char want[64];
            snprintf(want, sizeof want, "record at byte %zu", off);
            assert_true(warned(&g, want));
        }
        assert_true(warned(&g, "1 skipped (truncated or malformed)"));
        td_buf_free(&g.warn);
        td_buf_free(&h);
        td_buf_free(&w);
        recs_free(&rs);
    }
}

static void broken_gzip_member_is_skipped(void **state)
{
    (void)state;
    recs rs;
    standard(&rs);
    td_buf w = TD_BUF_INIT;
    size_t start[8];
    for (int i = 0; i < rs.n; i++) {
        start[i] = w.len;
        gzip_member(&w, rs.r[i].p, rs.r[i].len);
    }
    /* flip bytes in the middle of the deflate data of member 2 (page A) */
    size_t mid = start[2] + (start[3] - start[2]) / 2;
    for (size_t i = mid; i < mid + 8; i++)
        w.p[i] ^= 0x5a;
    got g = { 0 };
    td_reader r = reader_for(&g);
    assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
    assert_int_equal(g.n, 2); /* B and C */
    assert_string_equal(g.text[0], PAGE_B);
    assert_string_equal(g.text[1], PAGE_C);
    assert_int_equal(r.skipped, 1);
    char want[64];
    snprintf(want, sizeof want, "gzip member at byte %zu", start[2]);
    assert_true(warned(&g, want));
    assert_true(warned(&g, "broken gzip data"));
    assert_true(warned(&g, "1 skipped (broken gzip member)"));
    td_buf_free(&g.warn);
    td_buf_free(&w);
    recs_free(&rs);
}

static void garbage_between_records(void **state)
{
    (void)state;
    static const char junk[] = "</html>\nstray bytes left by a broken writer\n\x01\x02\x03";
    for (int gz = 0; gz < 2; gz++) {
        recs rs;
        standard(&rs);
        td_buf w = TD_BUF_INIT;
        size_t at = 0;
        for (int i = 0; i < rs.n; i++) {
            if (i == 3) {
                at = w.len;
                td_buf_append(&w, junk, sizeof junk - 1);
            }
            if (gz)
                gzip_member(&w, rs.r[i].p, rs.r[i].len);
            else
                td_buf_append(&w, rs.r[i].p, rs.r[i].len);
        }
        got g = { 0 };
        td_reader r = reader_for(&g);
        assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
        check_standard(&g);
        assert_int_equal(r.skipped, 1);
        char want[96];
        snprintf(want, sizeof want, "byte %zu: data that is not a %s", at, gz ? "gzip member" : "WARC record");
        assert_true(warned(&g, want));
        td_buf_free(&g.warn);
        td_buf_free(&w);
        recs_free(&rs);
    }
}

static void file_cut_short(void **state)
{
    (void)state;
    for (int gz = 0; gz < 2; gz++) {
        recs rs;
        standard(&rs);
        rs.n = 7; /* ends with page C, then cut inside it */
        td_buf w = TD_BUF_INIT;
        join(&rs, gz, &w);
        w.len -= gz ? 30 : 50;
        got g = { 0 };
        td_reader r = reader_for(&g);
        assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
        assert_int_equal(g.n, 2);
        assert_string_equal(g.text[1], PAGE_B);
        assert_int_equal(r.skipped, 1);
        assert_true(warned(&g, "truncated ("));
        td_buf_free(&g.warn);
        td_buf_free(&w);
        recs_free(&rs);
    }
}

/* Not seekable (a pipe or memory stream): still resyncs, never crashes. */
static void reads_unseekable_stream(void **state)
{
    (void)state;
    recs rs;
    standard(&rs);
    td_buf w = TD_BUF_INIT;
    join(&rs, false, &w);
    FILE *f = fmemopen(w.p, w.len, "rb");
    assert_non_null(f);
    got g = { 0 };
    td_reader r = reader_for(&g);
    assert_int_equal(td_read_stream(&r, f, "-"), TD_OK);
    fclose(f);
    check_standard(&g);
    td_buf_free(&g.warn);

    /* a pipe, gzip: what `tidings ingest - < crawl.warc.gz` sees */
    td_buf z = TD_BUF_INIT;
    join(&rs, true, &z);
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    assert_true(z.len < 60000); /* fits in the pipe buffer */
    assert_int_equal(write(fd[1], z.p, z.len), (ssize_t)z.len);
    close(fd[1]);
    f = fdopen(fd[0], "rb");
    got g2 = { 0 };
    td_reader r2 = reader_for(&g2);
    assert_int_equal(td_read_stream(&r2, f, "-"), TD_OK);
    fclose(f);
    check_standard(&g2);
    td_buf_free(&g2.warn);
    td_buf_free(&z);
    td_buf_free(&w);
    recs_free(&rs);
}

static void over_limit_and_many_records(void **state)
{
    (void)state;
    /* a page bigger than max_article_bytes: skipped, counted */
    td_buf w = TD_BUF_INIT, big = TD_BUF_INIT;
    td_buf_puts(&big, "<html><body>");
    for (int i = 0; i < 200; i++)
        td_buf_puts(&big, "<p>The council of Veloria met again on Tuesday to discuss the harbour.</p>");
    td_buf_puts(&big, "</body></html>");
    response(&w, 200, "text/html", "https://courier.example/long", NULL, big.p);
    response(&w, 200, "text/html", "https://courier.example/short", NULL, PAGE_C);
    got g = { 0 };
    td_reader r = reader_for(&g);
    r.max_article_bytes = 4096;
    assert_int_equal(read_bytes(&g, w.p, w.len, &r), TD_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.url[0], "https://courier.example/short");
    assert_true(warned(&g, "over the limit of 4096 bytes"));
    assert_int_equal(r.skipped, 1);
    td_buf_free(&g.warn);

    /* 3,000 gzip records streamed: counts add up, separators in the summary */
    td_buf z = TD_BUF_INIT, one = TD_BUF_INIT;
    for (int i = 0; i < 3000; i++) {
        char uri[80];
        snprintf(uri, sizeof uri, "https://courier.example/item/%d", i);
        td_buf_clear(&one);
        response(&one, i % 3 ? 200 : 301, "text/html", uri, NULL, PAGE_A);
        gzip_member(&z, one.p, one.len);
    }
    got g2 = { 0 };
    td_reader r2 = reader_for(&g2);
    td_warc_stats ws;
    FILE *f = tmpfile();
    fwrite(z.p, 1, z.len, f);
    rewind(f);
    int c0 = getc(f);
    unsigned char head[TD_WARC_PROBE_MAX];
    size_t hn;
    assert_true(td_warc_probe(f, c0, head, sizeof head, &hn));
    assert_int_equal(td_warc_read(&r2, f, "big.warc.gz", head, hn, &ws), TD_OK);
    fclose(f);
    assert_int_equal(ws.records, 3000);
    assert_int_equal(ws.pages, 2000);
    assert_int_equal(ws.not_200, 1000);
    assert_int_equal(g2.n, 2000);
    assert_string_equal(g2.url[1], "https://courier.example/item/2");
    assert_true(warned(&g2, "big.warc.gz: 3,000 records: 2,000 pages, 1,000 skipped (status not 200)"));
    td_buf_free(&g2.warn);
    td_buf_free(&z);
    td_buf_free(&one);
    td_buf_free(&w);
    td_buf_free(&big);
}

/* Every allocation failing in turn: ENOMEM or OK, nothing leaks (ASan). */
static void allocation_failures(void **state)
{
    (void)state;
    recs rs;
    standard(&rs);
    td_buf w = TD_BUF_INIT;
    join(&rs, true, &w);
    rs.n = 0;
    bool ok_seen = false;
    for (long n = 0; n < 200 && !ok_seen; n++) {
        got g = { 0 };
        td_reader r = reader_for(&g);
        FILE *f = tmpfile();
        fwrite(w.p, 1, w.len, f);
        rewind(f);
        td_alloc_fail_after(n);
        td_status st = td_read_stream(&r, f, "x.warc.gz");
        td_alloc_fail_after(-1);
        fclose(f);
        assert_true(st == TD_OK || st == TD_ENOMEM);
        if (st == TD_OK && g.n == 3)
            ok_seen = true;
        td_buf_free(&g.warn);
    }
    assert_true(ok_seen);
    td_buf_free(&w);
    recs_free(&rs);
}

/* ---- parallel inflate (read/warc_par.c) ---- */

/* What a whole read gave: pages, a digest of their URLs and text, messages. */
typedef struct digest {
    int pages;
    uint64_t hash;
    td_buf warn;
} digest;

static td_status digest_emit(void *ud, const td_input *in)
{
    digest *d = ud;
    d->pages++;
    const unsigned char *parts[2] = { (const unsigned char *)(in->url ? in->url : ""),
                                      (const unsigned char *)in->text };
    size_t lens[2] = { in->url ? strlen(in->url) : 0, in->text_len };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lens[k]; i++)
            d->hash = (d->hash ^ parts[k][i]) * 1099511628211ull; /* FNV-1a */
    d->hash = (d->hash ^ 0xff) * 1099511628211ull;
    return TD_OK;
}

static void digest_warn(void *ud, const char *where, const char *msg)
{
    td_buf_printf(&((digest *)ud)->warn, "%s: %s\n", where, msg);
}

static td_status read_with_threads(const char *threads, const td_buf *w, digest *d, td_reader *r)
{
    setenv("TIDINGS_WARC_THREADS", threads, 1);
    memset(d, 0, sizeof *d);
    d->hash = 14695981039346656037ull;
    memset(r, 0, sizeof *r);
    r->emit = digest_emit;
    r->warn = digest_warn;
    r->ud = d;
    r->max_article_bytes = 1 << 20;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(w->p, 1, w->len, f), w->len);
    rewind(f);
    td_status st = td_read_stream(r, f, "crawl.warc.gz");
    fclose(f);
    unsetenv("TIDINGS_WARC_THREADS");
    return st;
}

/* A few MB of gzip members across several read-ahead blocks, with the cases
 * the workers must leave to the sequential path: a broken member, a stored
 * member whose bytes hold a false gzip magic, a member inflating to more than
 * the reader's buffer, and a file cut inside its last member. Reading with
 * workers must give exactly what reading sequentially gives. */
static void parallel_inflate_matches_sequential(void **state)
{
    (void)state;
    static const char *const words[] = { "harbour", "council", "Veloria", "minister", "flood", "talks",
                                          "Marrenhold", "bridge", "said", "on", "Tuesday", "the", "port",
                                          "officials", "province", "budget", "vote", "rail", "strike", "Tessara" };
    uint32_t seed = 12345;
    td_buf w = TD_BUF_INIT, one = TD_BUF_INIT, page = TD_BUF_INIT;
    size_t broken_at = 0;
    int n = 900, expect = 0;
    for (int i = 0; i < n; i++) {
        td_buf_clear(&page);
        td_buf_printf(&page, "<html><body><h1>Story %d</h1><p>", i);
        int nw = i == 350 ? 30000 : 600 + i % 400; /* story 350 inflates past 128 KB */
        for (int k = 0; k < nw; k++) {
            seed = seed * 1103515245u + 12345u;
            td_buf_printf(&page, "%s %u%s", words[(seed >> 16) % 20], (seed >> 4) % 100000,
                          (seed >> 8) % 13 ? " " : ". "); /* numbers: compresses like real text, not better */
        }
        if (i == 500) /* bytes that look like a gzip member start */
            td_buf_append(&page, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
        td_buf_puts(&page, "</p></body></html>");
        char uri[80];
        snprintf(uri, sizeof uri, "https://courier.example/story/%d", i);
        td_buf_clear(&one);
        response(&one, 200, "text/html", uri, NULL, page.p);
        size_t start = w.len;
        if (i == 500) { /* stored, so the magic shows in the compressed bytes */
            z_stream z = { 0 };
            assert_int_equal(deflateInit2(&z, 0, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
            size_t bound = deflateBound(&z, (uLong)one.len) + 32;
            assert_true(td_buf_reserve(&w, bound));
            z.next_in = (Bytef *)one.p;
            z.avail_in = (uInt)one.len;
            z.next_out = (Bytef *)w.p + w.len;
            z.avail_out = (uInt)bound;
            assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
            w.len += bound - z.avail_out;
            deflateEnd(&z);
        } else {
            gzip_member(&w, one.p, one.len);
        }
        if (i == 200) {
            broken_at = start;
            for (size_t k = start + (w.len - start) / 2; k < start + (w.len - start) / 2 + 8; k++)
                w.p[k] ^= 0x5a;
        }
        expect += i != 200 && i != n - 1;
    }
    w.len -= 40; /* cut inside the last member */
    assert_true(w.len > 3 * ((size_t)1 << 20)); /* several read-ahead blocks */

    digest seq, par;
    td_reader rs, rp;
    assert_int_equal(read_with_threads("0", &w, &seq, &rs), TD_OK);
    assert_int_equal(read_with_threads("3", &w, &par, &rp), TD_OK);
    assert_int_equal(seq.pages, expect);
    assert_int_equal(par.pages, seq.pages);
    assert_true(par.hash == seq.hash);
    assert_int_equal(rp.skipped, rs.skipped);
    assert_int_equal(rp.bytes, rs.bytes);
    assert_non_null(seq.warn.p);
    assert_non_null(par.warn.p);
    assert_string_equal(par.warn.p, seq.warn.p);
    char want[64];
    snprintf(want, sizeof want, "gzip member at byte %zu", broken_at);
    assert_non_null(strstr(par.warn.p, want));
    td_buf_free(&seq.warn);
    td_buf_free(&par.warn);
    td_buf_free(&w);
    td_buf_free(&one);
    td_buf_free(&page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sniffs_and_probes),
        cmocka_unit_test(reads_plain_warc),
        cmocka_unit_test(reads_gzip_per_record),
        cmocka_unit_test(truncated_record_is_skipped),
        cmocka_unit_test(http_headers_without_end),
        cmocka_unit_test(broken_gzip_member_is_skipped),
        cmocka_unit_test(garbage_between_records),
        cmocka_unit_test(file_cut_short),
        cmocka_unit_test(reads_unseekable_stream),
        cmocka_unit_test(over_limit_and_many_records),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(parallel_inflate_matches_sequential),
    };
    return cmocka_run_group_tests_name("warc", tests, NULL, NULL);
}
