/*
 * alert.c - the scan (which events deserve an alert for which follow) and
 * delivery (each pending alert to its sink). Rules in alert.h and
 * docs/follows.md.
 *
 * Scan: per follow, the ids of matching events whose revision is above
 * follow_seen's are collected first (no write while the SELECT runs), then
 * each is loaded, compared with what the follow saw, and an alert row plus
 * the new follow_seen row are written, all in one transaction.
 *
 * Delivery: per follow, the pending alerts are read oldest first. A JSON-lines
 * sink gets all of them in one append + fsync. A webhook gets one POST each,
 * up to opts.tries attempts with waits of backoff_ms, 2x, 4x...; on failure
 * the alert keeps sent_at NULL, records the error and a next_try time that
 * doubles with its attempts (capped at max_backoff_s), and the follow's later
 * alerts wait too so a receiver sees them in order. Delivery is at least
 * once: a crash between the write and the UPDATE resends; receivers dedupe
 * on the alert id.
 */
#include "alert/alert.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"

static unsigned env_uint(const char *name, unsigned def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end = NULL;
    unsigned long n = strtoul(v, &end, 10);
    return *end || n > 86400000UL ? def : (unsigned)n;
}

void td_alert_opts_default(td_alert_opts *o)
{
    memset(o, 0, sizeof *o);
    o->tries = env_uint("TIDINGS_WEBHOOK_TRIES", 3);
    o->backoff_ms = env_uint("TIDINGS_WEBHOOK_BACKOFF_MS", 500);
    o->timeout_ms = env_uint("TIDINGS_WEBHOOK_TIMEOUT_MS", 10000);
    o->max_backoff_s = 3600;
    if (o->tries == 0)
        o->tries = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* ---- when an event is worth an alert ---- */

const char *td_alert_reason(const td_follow_seen *before, const td_follow_seen *now)
{
    if (!before)
        return "new";
    if (now->killed_max > before->killed_max)
        return "toll";
    /* a date found, corrected or made more precise ("2025-03" -> "2025-03-02") */
    if (now->date[0] && strcmp(now->date, before->date) != 0)
        return "date";
    if (now->date[0] && strcmp(now->date_precision, before->date_precision) != 0)
        return "date";
    if (now->n_sources > before->n_sources)
        return "source";
    return NULL;
}

/* ---- scan ---- */

typedef struct ids {
    int64_t *v;        /* pairs: event id, revision */
    size_t n, cap;
} ids;

static td_status collect(void *ud, int64_t event_id, int64_t revision)
{
    ids *l = ud;
    if (l->n + 2 > l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        int64_t *nv = td_realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return TD_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = event_id;
    l->v[l->n++] = revision;
    return TD_OK;
}

typedef struct scan_ctx {
    td_db *db;
    bool baseline;
    td_alert_stats *st;
    td_buf *err;
    td_follow_stmts stmts;   /* prepared once per scan */
    td_alert_loader loader;
} scan_ctx;

/* Orders (event id, revision) pairs by event id. */
static int cmp_pair(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static td_status scan_follow(void *ud, const td_follow *f)
{
    scan_ctx *c = ud;
    ids l = { 0 };
    td_status s = td_alert_match(c->db, f, true, 0, collect, &l, c->err);
    if (l.n)
        qsort(l.v, l.n / 2, 2 * sizeof *l.v, cmp_pair);  /* alerts in the order events were made */
    td_buf payload = TD_BUF_INIT;
    for (size_t i = 0; s == TD_OK && i < l.n; i += 2) {
        td_alert_event ev;
        s = td_alert_loader_load(&c->loader, l.v[i], &ev);
        if (s == TD_ENOTFOUND) {
            s = TD_OK;
            continue;
        }
        if (s != TD_OK)
            break;
        td_follow_seen now = { .revision = l.v[i + 1], .n_sources = ev.n_sources, .killed_max = ev.killed_max };
        snprintf(now.date, sizeof now.date, "%s", ev.date ? ev.date : "");
        snprintf(now.date_precision, sizeof now.date_precision, "%s", ev.date_precision ? ev.date_precision : "");
        snprintf(now.created, sizeof now.created, "%s", ev.created_at ? ev.created_at : "");
        td_follow_seen before;
        td_status g = td_store_follow_seen_get(&c->stmts, f->id, ev.id, &before);
        if (g != TD_OK && g != TD_ENOTFOUND)
            s = g;
        if (g == TD_OK && before.created[0] && strcmp(before.created, now.created) != 0)
            g = TD_ENOTFOUND;  /* merging gave a gone event's id to a new one (unknown: same event) */
        const char *reason = c->baseline || s != TD_OK ? NULL : td_alert_reason(g == TD_OK ? &before : NULL, &now);
        if (reason) {
            td_buf_clear(&payload);
            td_alert_event_json(&ev, &payload);
            int64_t id = 0;
            s = payload.failed ? TD_ENOMEM
                               : td_store_alert_add(&c->stmts, f->id, ev.id, now.revision, now.created, reason,
                                                    td_buf_str(&payload), &id);
            if (s == TD_OK && id)
                c->st->created++;
        }
        if (s == TD_OK)
            s = td_store_follow_seen_put(&c->stmts, f->id, ev.id, &now);
        td_alert_event_clear(&ev);
    }
    if (s == TD_EDB && c->err->len == 0)
        td_buf_printf(c->err, "follow %lld: %s", (long long)f->id, td_db_errmsg(c->db));
    if (s == TD_OK)
        s = td_store_follow_ran(c->db, f->id);
    c->st->follows++;
    td_free(l.v);
    td_buf_free(&payload);
    return s;
}

static td_status one_follow(td_db *db, int64_t id, td_status (*fn)(void *, const td_follow *), void *ud,
                            td_buf *err)
{
    td_follow f;
    td_status s = td_store_follow_get(db, id, &f, err);
    if (s != TD_OK)
        return s;
    s = fn(ud, &f);
    td_store_follow_clear(&f);
    return s;
}

td_status td_alert_scan(td_db *db, int64_t follow_id, bool baseline, td_alert_stats *st, td_buf *err)
{
    td_alert_stats local = { 0 };
    scan_ctx c = { db, baseline, st ? st : &local, err, { .db = db }, { 0 } };
    int ready = td_alert_have_events(db);
    if (ready <= 0)
        return ready < 0 ? (td_status)-ready : TD_OK;
    td_status es = td_store_follow_ensure(db, err);
    if (es != TD_OK)
        return es;
    if (td_alert_loader_init(&c.loader, db) != TD_OK) {
        td_buf_printf(err, "alerts: reading events: %s", td_db_errmsg(db));
        return TD_EDB;
    }
    bool own = !td_db_in_transaction(db);
    if (own && td_db_begin(db, true, NULL) != TD_OK) {
        td_buf_printf(err, "alerts: %s", td_db_errmsg(db));
        return TD_EDB;
    }
    td_status s = follow_id ? one_follow(db, follow_id, scan_follow, &c, err)
                            : td_store_follow_each(db, scan_follow, &c, err);
    if (own) {
        if (s == TD_OK && td_db_commit(db, NULL) != TD_OK) {
            td_buf_printf(err, "alerts: %s", td_db_errmsg(db));
            s = TD_EDB;
        }
        if (s != TD_OK)
            td_db_rollback(db);
    }
    td_store_follow_stmts_free(&c.stmts);
    td_alert_loader_free(&c.loader);
    return s;
}

/* ---- delivery ---- */

void td_alert_line(const td_alert_row *a, td_buf *out)
{
    td_buf_printf(out, "{\"kind\":\"alert\",\"id\":%lld,\"follow\":%lld,\"event_id\":%lld,\"revision\":%lld,"
                       "\"reason\":",
                  (long long)a->id, (long long)a->follow_id, (long long)a->event_id, (long long)a->revision);
    td_buf_json_str(out, td_str_cstr(a->reason));
    td_buf_puts(out, ",\"created_at\":");
    td_buf_json_str(out, td_str_cstr(a->created_at));
    td_buf_puts(out, ",\"event\":");
    td_buf_puts(out, a->payload);
    td_buf_putc(out, '}');
}

typedef struct pending {
    int64_t id, attempts;
    double next_try;
    char *line;
} pending;

typedef struct pend_list {
    pending *v;
    size_t n, cap;
    td_buf tmp;
} pend_list;

static td_status add_pending(void *ud, const td_alert_row *a)
{
    pend_list *l = ud;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        pending *nv = td_realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return TD_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    td_buf_clear(&l->tmp);
    td_alert_line(a, &l->tmp);
    char *line = l->tmp.failed ? NULL : td_strndup(l->tmp.p, l->tmp.len);
    if (!line)
        return TD_ENOMEM;
    l->v[l->n++] = (pending){ a->id, a->attempts, a->next_try, line };
    return TD_OK;
}

static void pend_free(pend_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        td_free(l->v[i].line);
    td_free(l->v);
    td_buf_free(&l->tmp);
    memset(l, 0, sizeof *l);
}

typedef struct deliver_ctx {
    td_db *db;
    const td_alert_opts *o;
    td_alert_stats *st;
    td_buf *err;
    td_follow_stmts stmts;
} deliver_ctx;

/* Marks many alerts in one transaction (one WAL commit, not one per alert)
 * when the caller has none open. */
static bool batch_begin(td_db *db)
{
    return !td_db_in_transaction(db) && td_db_begin(db, true, NULL) == TD_OK;
}

static td_status batch_end(td_db *db, bool own, td_status s)
{
    if (!own)
        return s;
    if (s == TD_OK && td_db_commit(db, NULL) == TD_OK)
        return TD_OK;
    td_db_rollback(db);
    return s == TD_OK ? TD_EDB : s;
}

static void warn(const deliver_ctx *c, const td_follow *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(const deliver_ctx *c, const td_follow *f, const char *fmt, ...)
{
    if (!c->o->warn)
        return;
    char where[64], msg[1024];
    snprintf(where, sizeof where, "follow %lld", (long long)f->id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->o->warn(c->o->ud, where, msg);
}

/* The wait before the next run may try an alert that failed `attempts`
 * times in all: backoff doubled per attempt, capped. */
static double next_wait_s(const td_alert_opts *o, int64_t attempts)
{
    double w = o->backoff_ms / 1000.0;
    for (int64_t i = 1; i < attempts && w < o->max_backoff_s; i++)
        w *= 2;
    return w < o->max_backoff_s ? w : o->max_backoff_s;
}

static td_status deliver_file(deliver_ctx *c, const td_follow *f, pend_list *l)
{
    td_buf all = TD_BUF_INIT, err = TD_BUF_INIT;
    for (size_t i = 0; i < l->n; i++) {
        td_buf_puts(&all, l->v[i].line);
        td_buf_putc(&all, '\n');
    }
    if (all.failed) {
        td_buf_free(&all);
        return TD_ENOMEM;
    }
    td_status w = td_alert_sink_file(f->target, all.p, all.len, &err);
    td_status s = TD_OK;
    bool own = batch_begin(c->db);
    for (size_t i = 0; i < l->n && s == TD_OK; i++) {
        if (w == TD_OK) {
            s = td_store_alert_sent(&c->stmts, l->v[i].id, 1);
            c->st->sent++;
        } else {
            s = td_store_alert_failed(&c->stmts, l->v[i].id, 1, err.p, now_s());
            c->st->failed++;
        }
    }
    s = batch_end(c->db, own, s);
    if (w != TD_OK)
        warn(c, f, "%s; %zu alert%s kept for the next run", err.p, l->n, l->n == 1 ? "" : "s");
    td_buf_free(&all);
    td_buf_free(&err);
    return s;
}

static td_status deliver_webhook(deliver_ctx *c, const td_follow *f, pend_list *l)
{
    td_status s = TD_OK;
    double t = now_s();
    for (size_t i = 0; i < l->n && s == TD_OK; i++) {
        pending *p = &l->v[i];
        if (p->next_try > t) {
            c->st->waiting += l->n - i;  /* in order: the later ones wait too */
            break;
        }
        td_buf err = TD_BUF_INIT;
        td_status w = TD_EIO;
        unsigned tries = 0, wait = c->o->backoff_ms;
        while (tries < c->o->tries) {
            if (tries) {
                sleep_ms(wait);
                wait = wait > UINT32_MAX / 2 ? wait : wait * 2;
            }
            td_buf_clear(&err);
            tries++;
            if ((w = td_alert_sink_post(f->target, p->line, strlen(p->line), c->o->timeout_ms, &err)) == TD_OK)
                break;
            if (w == TD_ENOMEM)
                break;
        }
        if (w == TD_OK) {
            s = td_store_alert_sent(&c->stmts, p->id, tries);
            c->st->sent++;
        } else {
            double next = now_s() + next_wait_s(c->o, p->attempts + tries);
            s = td_store_alert_failed(&c->stmts, p->id, tries, err.len ? err.p : "out of memory", next);
            c->st->failed++;
            warn(c, f, "POST %s failed %u time%s (%s); alert %lld and %zu later kept for the next run",
                 f->target, tries, tries == 1 ? "" : "s", err.len ? err.p : "out of memory", (long long)p->id,
                 l->n - i - 1);
            td_buf_free(&err);
            break;
        }
        td_buf_free(&err);
    }
    return s;
}

static td_status deliver_follow(void *ud, const td_follow *f)
{
    deliver_ctx *c = ud;
    pend_list l = { 0 };
    td_status s = td_store_alert_each(c->db, f->id, NULL, true, add_pending, &l, c->err);
    if (s == TD_OK && l.n) {
        switch (f->sink) {
        case TD_SINK_JSONL:
            s = deliver_file(c, f, &l);
            break;
        case TD_SINK_WEBHOOK:
            s = deliver_webhook(c, f, &l);
            break;
        default: { /* feed: readers fetch /feeds/ID.atom; nothing to push */
            bool own = batch_begin(c->db);
            for (size_t i = 0; i < l.n && s == TD_OK; i++)
                s = td_store_alert_sent(&c->stmts, l.v[i].id, 0);
            s = batch_end(c->db, own, s);
            break;
        }
        }
    }
    pend_free(&l);
    if (s == TD_EDB && c->err->len == 0)
        td_buf_printf(c->err, "follow %lld: recording delivery: %s", (long long)f->id, td_db_errmsg(c->db));
    return s;
}

td_status td_alert_deliver(td_db *db, const td_alert_opts *o, td_alert_stats *st, td_buf *err)
{
    td_alert_opts def;
    if (!o) {
        td_alert_opts_default(&def);
        o = &def;
    }
    td_alert_stats local = { 0 };
    deliver_ctx c = { db, o, st ? st : &local, err, { .db = db } };
    td_status s = td_store_follow_each(db, deliver_follow, &c, err);
    td_store_follow_stmts_free(&c.stmts);
    return s;
}

td_status td_alert_run(td_db *db, const td_alert_opts *o, td_alert_stats *st, td_buf *err)
{
    if (!td_store_follow_any(db))
        return TD_OK;
    td_status s = td_alert_scan(db, 0, false, st, err);
    if (s == TD_OK)
        s = td_alert_deliver(db, o, st, err);
    return s;
}
