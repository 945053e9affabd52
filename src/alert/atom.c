/*
 * atom.c - the Atom feed (RFC 4287) of a follow, served at /feeds/ID.atom.
 *
 * The feed is a live view: one entry per event the follow matches now (the
 * 100 most recently updated), not a log of alerts, so a reader that
 * subscribes late still sees the current picture and an event updated by a
 * new source moves up with a new <updated>.
 *
 * What RFC 4287 requires and this writes: feed id/title/updated/author and a
 * self link; entry id/title/updated, a summary, a text content (so no
 * alternate link is required), at most one rel="alternate" link (the oldest
 * source with a URL) and rel="related" for the other sources. Timestamps are
 * RFC 3339 UTC. Text is XML-escaped and characters XML 1.0 forbids are
 * dropped. The place is also given as a GeoRSS point.
 */
#include "alert/alert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"

/* Appends z escaped for XML text and attribute values. */
static void xml_text(td_buf *b, const char *z)
{
    for (const unsigned char *p = (const unsigned char *)z; p && *p; p++) {
        switch (*p) {
        case '&': td_buf_puts(b, "&amp;"); break;
        case '<': td_buf_puts(b, "&lt;"); break;
        case '>': td_buf_puts(b, "&gt;"); break;
        case '"': td_buf_puts(b, "&quot;"); break;
        case '\t': case '\n': case '\r': td_buf_putc(b, (char)*p); break;
        default:
            if (*p >= 0x20)
                td_buf_putc(b, (char)*p);  /* other controls are not XML characters */
        }
    }
}

/* Writes an RFC 3339 UTC timestamp for z ("YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS",
 * "...THH:MM:SSZ", or unix seconds) into out; false when z is none of these. */
static bool rfc3339(const char *z, char out[32])
{
    if (!z || !*z)
        return false;
    size_t n = strspn(z, "0123456789");
    if (n == strlen(z) && n >= 9) {
        time_t t = (time_t)strtoll(z, NULL, 10);
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            return false;
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return true;
    }
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (sscanf(z, "%4d-%2d-%2d", &y, &mo, &d) != 3)
        return false;
    if (strlen(z) >= 19 && (z[10] == 'T' || z[10] == ' '))
        if (sscanf(z + 11, "%2d:%2d:%2d", &h, &mi, &s) != 3)
            h = mi = s = 0;
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    /* unsigned and bounded: the compiler then knows 20 bytes suffice */
    snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u, (unsigned)h % 100u, (unsigned)mi % 100u, (unsigned)s % 100u);
    return true;
}

/* The entry's <updated>: when merging last changed the event, else its date. */
static void entry_updated(const td_alert_event *ev, const char *fallback, char out[32])
{
    if (!rfc3339(ev->updated_at, out) && !rfc3339(ev->date, out))
        snprintf(out, 32, "%s", fallback);
}

typedef struct feed_ctx {
    td_db *db;
    const char *base;
    td_buf *out;
    char fallback[32];
    char newest[32];        /* max <updated> of the entries */
    td_buf entries;
} feed_ctx;

static void entry_id(td_buf *b, const char *base, int64_t id)
{
    if (base)
        td_buf_printf(b, "%s/api/events/%lld", base, (long long)id);
    else
        td_buf_printf(b, "urn:tidings:event:%lld", (long long)id);
}

static td_status put_entry(void *ud, int64_t event_id, int64_t revision)
{
    (void)revision;
    feed_ctx *c = ud;
    td_alert_event ev;
    td_status s = td_alert_event_load(c->db, event_id, &ev);
    if (s == TD_ENOTFOUND)
        return TD_OK;
    if (s != TD_OK)
        return s;
    td_buf *b = &c->entries;
    char upd[32];
    entry_updated(&ev, c->fallback, upd);
    if (strcmp(upd, c->newest) > 0)
        snprintf(c->newest, sizeof c->newest, "%s", upd);
    td_buf sum = TD_BUF_INIT;
    td_alert_event_summary(&ev, &sum);

    td_buf_puts(b, "  <entry>\n    <id>");
    td_buf tmp = TD_BUF_INIT;
    entry_id(&tmp, c->base, ev.id);
    xml_text(b, tmp.p);
    td_buf_free(&tmp);
    td_buf_puts(b, "</id>\n    <title>");
    /* the title is the summary up to its first ';' or ':' (type, place, date) */
    size_t tl = strcspn(sum.p ? sum.p : "", ":;");
    char *title = td_strndup(sum.p ? sum.p : "", tl);
    xml_text(b, title ? title : "");
    td_free(title);
    td_buf_printf(b, "</title>\n    <updated>%s</updated>\n", upd);
    if (ev.type) {
        td_buf_puts(b, "    <category term=\"");
        xml_text(b, ev.type);
        td_buf_puts(b, "\"/>\n");
    }
    td_buf_puts(b, "    <summary type=\"text\">");
    xml_text(b, sum.p);
    td_buf_puts(b, "</summary>\n");
    bool alternate = false;
    for (uint32_t i = 0; i < ev.n_sources; i++) {
        const td_alert_source *src = &ev.sources[i];
        if (!src->url || !td_alert_url_ok(src->url))
            continue;
        td_buf_printf(b, "    <link rel=\"%s\" type=\"text/html\" href=\"", alternate ? "related" : "alternate");
        xml_text(b, src->url);
        td_buf_puts(b, "\" title=\"");
        xml_text(b, src->title ? src->title : src->article);
        td_buf_puts(b, "\"/>\n");
        alternate = true;
    }
    if (!isnan(ev.lat) && !isnan(ev.lon))
        td_buf_printf(b, "    <georss:point>%.5f %.5f</georss:point>\n", ev.lat, ev.lon);
    /* the content: every field a reader wants without following links */
    td_buf_puts(b, "    <content type=\"text\">");
    xml_text(b, sum.p);
    td_buf_puts(b, "\nPlace: ");
    xml_text(b, ev.place ? ev.place : "unknown");
    if (ev.country) {
        td_buf_puts(b, " (");
        xml_text(b, ev.country);
        td_buf_puts(b, ")");
    }
    td_buf_puts(b, "\nDate: ");
    xml_text(b, ev.date ? ev.date : "unknown");
    if (ev.killed_max >= 0)
        td_buf_printf(b, "\nKilled: %lld", (long long)ev.killed);
    else
        td_buf_puts(b, "\nKilled: no figure reported");
    if (ev.killed_max >= 0 && ev.killed_min != ev.killed_max)
        td_buf_printf(b, " (sources say %lld to %lld)", (long long)ev.killed_min, (long long)ev.killed_max);
    td_buf_puts(b, "\nSources:");
    for (uint32_t i = 0; i < ev.n_sources; i++) {
        const td_alert_source *src = &ev.sources[i];
        td_buf_puts(b, "\n- ");
        xml_text(b, src->outlet ? src->outlet : "unknown outlet");
        td_buf_puts(b, ", ");
        xml_text(b, src->published ? src->published : "undated");
        td_buf_puts(b, ": ");
        xml_text(b, src->title ? src->title : src->article);
        if (src->url) {
            td_buf_puts(b, " &lt;");
            xml_text(b, src->url);
            td_buf_puts(b, "&gt;");
        }
    }
    td_buf_puts(b, "</content>\n  </entry>\n");
    td_buf_free(&sum);
    td_alert_event_clear(&ev);
    return b->failed ? TD_ENOMEM : TD_OK;
}

td_status td_alert_feed_atom(td_db *db, int64_t follow_id, const char *base_url, td_buf *out, td_buf *err)
{
    td_follow f;
    td_status s = td_store_follow_get(db, follow_id, &f, err);
    if (s != TD_OK)
        return s;
    feed_ctx c = { .db = db, .base = base_url, .out = out, .entries = TD_BUF_INIT };
    if (!rfc3339(f.created_at, c.fallback)) {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(c.fallback, sizeof c.fallback, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    snprintf(c.newest, sizeof c.newest, "%s", c.fallback);
    s = td_alert_match(db, &f, false, 100, put_entry, &c, err);
    if (s == TD_OK) {
        td_buf what = TD_BUF_INIT;
        td_alert_follow_describe(&f, &what);
        td_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                         "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:georss=\"http://www.georss.org/georss\">\n"
                         "  <id>");
        td_buf self = TD_BUF_INIT;
        if (base_url)
            td_buf_printf(&self, "%s/feeds/%lld.atom", base_url, (long long)f.id);
        else
            td_buf_printf(&self, "urn:tidings:follow:%lld", (long long)f.id);
        xml_text(out, self.p);
        td_buf_printf(out, "</id>\n  <title>tidings follow %lld: ", (long long)f.id);
        xml_text(out, what.p);
        td_buf_printf(out, "</title>\n  <updated>%s</updated>\n  <author><name>tidings</name></author>\n"
                           "  <generator version=\"%s\">tidings</generator>\n", c.newest, TD_VERSION);
        if (base_url) {
            td_buf_puts(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
            xml_text(out, self.p);
            td_buf_puts(out, "\"/>\n");
        }
        td_buf_free(&self);
        td_buf_append(out, c.entries.p, c.entries.len);
        td_buf_puts(out, "</feed>\n");
        td_buf_free(&what);
        if (out->failed || c.entries.failed)
            s = TD_ENOMEM;
    }
    td_buf_free(&c.entries);
    td_store_follow_clear(&f);
    return s;
}
