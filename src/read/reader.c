/*
 * reader.c - files, directories and streams to td_input (see read.h).
 *
 * Files are read whole (bounded by max_article_bytes) except JSON lines,
 * which are read a line at a time so a multi-GB feed runs in constant memory
 * and standard input is ingested as lines arrive. No line is ever held whole
 * beyond max_line_bytes: the rest of a longer one is read and dropped, so a
 * file without line breaks cannot exhaust memory.
 */
#include "read/read.h"
#include "read/warc.h"
#include "base/alloc.h"
#include "base/buf.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if __has_include("read/html.h")
#include "read/html.h"
#define HAVE_HTML 1
#else
#define HAVE_HTML 0
#endif

const char *td_format_name(td_format f)
{
    switch (f) {
    case TD_FMT_TEXT: return "text";
    case TD_FMT_JSONL: return "jsonl";
    case TD_FMT_HTML: return "html";
    case TD_FMT_BINARY: return "binary";
    case TD_FMT_WARC: return "warc";
    default: return "unknown";
    }
}

td_format td_read_sniff(td_str head)
{
    size_t n = head.len < 4096 ? head.len : 4096;
    const unsigned char *p = (const unsigned char *)head.p;
    size_t ctrl = 0;
    if (td_warc_sniff(p, n))
        return TD_FMT_WARC;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0)
            return TD_FMT_BINARY;
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f')
            ctrl++;
    }
    if (n && ctrl * 10 > n)
        return TD_FMT_BINARY;
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i < n && p[i] == '{')
        return TD_FMT_JSONL;
#if HAVE_HTML
    if (td_html_sniff(head))
        return TD_FMT_HTML;
#endif
    return TD_FMT_TEXT;
}

static void warnf(td_reader *r, const char *where, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warnf(td_reader *r, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->warn)
        r->warn(r->ud, where, msg);
}

static bool fatal(td_status st)
{
    return st == TD_EDB || st == TD_EBUSY || st == TD_EREADONLY || st == TD_ENOMEM || st == TD_EIO;
}

/* The file name without folders and without its last extension. */
static void base_id(const char *name, char *out, size_t cap)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    snprintf(out, cap, "%s", b);
    size_t len = strlen(out);
    if (len > 3 && strcmp(out + len - 3, ".gz") == 0)
        out[len - 3] = '\0';
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

/* The JSON-line limit of r (read.h: max_line_bytes, or its default). */
static uint64_t line_limit(const td_reader *r)
{
    return r->max_line_bytes ? r->max_line_bytes : r->max_article_bytes * 2 + 4096; /* escapes grow the text */
}

/*
 * Reads one line (through its '\n') like getline into *line (malloc'd,
 * grown as needed, NUL-terminated) but keeps at most max bytes of it: the rest
 * of a longer line is read and dropped. *full gets the line's whole length.
 * Returns the bytes kept, -1 at the end of the stream, -2 when memory ran out.
 */
static ssize_t read_line_max(FILE *f, char **line, size_t *cap, uint64_t max, uint64_t *full)
{
    size_t len = 0;
    uint64_t total = 0;
    int ch;
    ssize_t res = 0;
    flockfile(f);
    while ((ch = getc_unlocked(f)) != EOF) {
        total++;
        if (len < max) {
            if (len + 2 > *cap) {
                size_t nc = *cap ? *cap * 2 : 4096;
                if (nc > max + 2)
                    nc = (size_t)max + 2;
                char *p = realloc(*line, nc);
                if (!p) {
                    res = -2;
                    break;
                }
                *line = p;
                *cap = nc;
            }
            (*line)[len++] = (char)ch;
        }
        if (ch == '\n')
            break;
    }
    funlockfile(f);
    if (res < 0)
        return res;
    if (total == 0)
        return -1;
    (*line)[len] = '\0';
    *full = total;
    return (ssize_t)len;
}

/* Emits the JSON lines of f; line holds the first one (first bytes kept of
 * first_full), already read. */
static td_status read_jsonl(td_reader *r, FILE *f, const char *name, char *line, size_t cap, size_t first,
                            uint64_t first_full)
{
    uint64_t lineno = 0;
    ssize_t got = 0;
    td_status st = TD_OK;
    uint64_t max_line = line_limit(r);
    bool have = first > 0;
    uint64_t full = first_full;
    char where[1100];
    while (have || (got = read_line_max(f, &line, &cap, max_line + 1, &full)) >= 0) {
        size_t len = have ? first : (size_t)got;
        bool cut = full > len; /* only the first max_line + 1 bytes were kept */
        have = false;
        lineno++;
        r->bytes += full;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t s = 0;
        while (s < len && (line[s] == ' ' || line[s] == '\t'))
            s++;
        if (s == len)
            continue; /* blank line */
        snprintf(where, sizeof where, "%s:%llu", name, (unsigned long long)lineno);
        if (cut || len > max_line) {
            r->skipped++;
            warnf(r, where, "JSON line of %llu bytes is over the limit of %llu bytes (--max-line-bytes); skipped",
                  (unsigned long long)full, (unsigned long long)max_line);
            continue;
        }
        td_input in;
        void *keep = NULL;
        char err[256];
        if (td_read_jsonl_line(line + s, len - s, &in, &keep, err, sizeof err) != TD_OK) {
            r->skipped++;
            warnf(r, where, "%s; skipped", err);
            continue;
        }
        in.source = name;
        in.source_line = lineno;
        st = r->emit(r->ud, &in);
        td_read_jsonl_release(keep);
        if (fatal(st))
            break;
        st = TD_OK;
    }
    free(line);
    if (got == -2)
        return TD_ENOMEM;
    if (st == TD_OK && ferror(f)) {
        warnf(r, name, "read error: %s", strerror(errno));
        return TD_EIO;
    }
    return st;
}

td_status td_read_stream(td_reader *r, FILE *f, const char *name)
{
    r->files++;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = 0;
    td_buf all = TD_BUF_INIT;
    /* WARC is recognised from the first bytes, before any line is read (a
     * .warc.gz has no lines); bytes the probe consumed start the buffer */
    bool whole = false;
    int c0 = getc(f);
    if (c0 == 'W' || c0 == 0x1f) {
        unsigned char head[TD_WARC_PROBE_MAX];
        size_t hn = 0;
        if (td_warc_probe(f, c0, head, sizeof head, &hn))
            return td_warc_read(r, f, name, head, hn, NULL);
        td_buf_append(&all, head, hn);
        whole = true; /* starts with W or 0x1f: not JSON lines */
    } else if (c0 != EOF) {
        ungetc(c0, f);
    }
    /* skip leading blank lines, then decide on the first non-blank one; a
     * line is kept up to the larger limit (the rest is counted, not held) */
    uint64_t first_full = 0, dropped = 0;
    uint64_t keep = line_limit(r) > r->max_article_bytes ? line_limit(r) : r->max_article_bytes;
    while (!whole && (got = read_line_max(f, &line, &cap, keep + 1, &first_full)) >= 0) {
        td_buf_append(&all, line, (size_t)got);
        dropped += first_full - (uint64_t)got;
        if (all.len + dropped > r->max_article_bytes)
            break; /* over the article limit whatever it is */
        size_t i = 0;
        if (all.len == (size_t)got && got >= 3 && (unsigned char)line[0] == 0xEF &&
            (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
            i = 3;
        while (i < (size_t)got && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
            i++;
        if (i < (size_t)got)
            break;
    }
    if (all.failed || got == -2) {
        free(line);
        td_buf_free(&all);
        return TD_ENOMEM;
    }
    if (!whole && all.len && td_read_sniff(td_buf_str(&all)) == TD_FMT_JSONL) {
        /* lines before were blank; hand the current line to the JSONL loop */
        r->bytes += all.len - (size_t)got;
        td_buf_free(&all);
        return read_jsonl(r, f, name, line, cap, (size_t)got, first_full);
    }
    /* a whole-file article: read the rest, bounded */
    char chunk[65536];
    size_t n;
    bool over = all.len + dropped > r->max_article_bytes;
    if (over)
        all.len += dropped; /* counted, not stored: only the "over" message reads it */
    while (!over && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (all.len + n > r->max_article_bytes) {
            over = true;
            all.len += n; /* keep counting, stop storing */
            break;
        }
        td_buf_append(&all, chunk, n);
    }
    if (over)
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            all.len += n;
    free(line);
    r->bytes += all.len;
    td_status st = TD_OK;
    if (ferror(f)) {
        warnf(r, name, "read error: %s; skipped", strerror(errno));
        r->skipped++;
        st = TD_OK;
    } else if (over) {
        r->skipped++;
        warnf(r, name, "file of %zu bytes is over the limit of %llu bytes (--max-article-bytes); skipped",
              all.len, (unsigned long long)r->max_article_bytes);
    } else if (all.failed) {
        st = TD_ENOMEM;
    } else {
        td_str s = td_buf_str(&all);
#if HAVE_HTML
        td_arena gz;
        td_arena_init(&gz, 1 << 16);
        if (td_html_is_gzip(s)) { /* .html.gz: a compressed page */
            td_str plain;
            if (td_html_gunzip(&gz, s, r->max_article_bytes, &plain) == TD_OK)
                s = plain;
            else
                s = td_str_make(NULL, 0);
        }
#endif
        td_format fmt = s.p ? td_read_sniff(s) : TD_FMT_BINARY;
        td_str trimmed = td_str_trim(s);
        if (trimmed.len == 0) {
            r->skipped++;
            warnf(r, name, "empty file; skipped");
        } else if (!s.p) {
            r->skipped++;
            warnf(r, name, "broken or oversized gzip data; skipped");
        } else if (fmt == TD_FMT_BINARY) {
            r->skipped++;
            warnf(r, name, "binary file (NUL or control bytes), not an article; skipped");
        } else {
            char id[512];
            base_id(name, id, sizeof id);
            td_input in = { 0 };
            in.id = strcmp(name, "-") == 0 ? NULL : id;
            in.text = s.p;
            in.text_len = s.len;
            in.source = name;
            in.html = fmt == TD_FMT_HTML;
            st = r->emit(r->ud, &in);
            if (!fatal(st))
                st = TD_OK;
        }
#if HAVE_HTML
        td_arena_free(&gz);
#endif
    }
    td_buf_free(&all);
    return st;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks a directory in sorted order; hidden entries are skipped. */
static td_status read_dir(td_reader *r, const char *path, int depth)
{
    if (depth > 64) {
        warnf(r, path, "folders nested too deep; skipped");
        return TD_OK;
    }
    DIR *d = opendir(path);
    if (!d) {
        warnf(r, path, "cannot open folder: %s", strerror(errno));
        r->skipped++;
        return TD_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    td_status st = TD_OK;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = td_realloc(names, cap * sizeof *names);
            if (!nn) { st = TD_ENOMEM; break; }
            names = nn;
        }
        if (!(names[n] = td_strdup(e->d_name))) { st = TD_ENOMEM; break; }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && st == TD_OK; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = td_malloc(len);
        if (!full) { st = TD_ENOMEM; break; }
        snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        struct stat sb;
        if (stat(full, &sb) != 0) {
            warnf(r, full, "cannot read: %s; skipped", strerror(errno));
            r->skipped++;
        } else if (S_ISDIR(sb.st_mode)) {
            st = read_dir(r, full, depth + 1);
        } else if (S_ISREG(sb.st_mode)) {
            st = td_read_path(r, full);
            if (st == TD_ENOTFOUND || st == TD_EIO)
                st = TD_OK; /* already warned and counted */
        }
        td_free(full);
    }
    for (size_t i = 0; i < n; i++)
        td_free(names[i]);
    td_free(names);
    return st;
}

td_status td_read_path(td_reader *r, const char *path)
{
    if (strcmp(path, "-") == 0)
        return td_read_stream(r, stdin, "-");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        warnf(r, path, "%s", errno == ENOENT ? "no such file or folder" : strerror(errno));
        r->skipped++;
        return TD_ENOTFOUND;
    }
    if (S_ISDIR(sb.st_mode))
        return read_dir(r, path, 0);
    FILE *f = fopen(path, "rb");
    if (!f) {
        warnf(r, path, "cannot open: %s", strerror(errno));
        r->skipped++;
        return TD_EIO;
    }
    td_status st = td_read_stream(r, f, path);
    fclose(f);
    return st;
}
