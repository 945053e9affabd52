/*
 * follow_api.c - the follows part of the HTTP API, for the web page:
 *   GET    /api/follows       every follow with its alert counts and feed path
 *                             (a webhook shows only its host, a file its name)
 *   POST   /api/follows       {"entity","place","near":[lat,lon],"km","type",
 *                             "query","min_killed","to"} -> 201 + the follow
 *   DELETE /api/follows/ID    -> 200, 404 when there is no such follow
 * api.c routes the requests here; writes need a server started with
 * --allow-ingest and go through its engine's connection under its lock.
 *
 * "to" is "feed" or an http(s):// URL. A file sink is refused over HTTP: it
 * would let a web client append to files of the server's choosing, so files
 * are only added with `tidings follow add`.
 */
#include "alert/alert.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int fail(td_buf *out, int status, const char *field, const char *msg)
{
    td_buf_clear(out);
    td_buf_puts(out, "{\"error\":");
    td_buf sb = TD_BUF_INIT;
    if (field)
        td_buf_printf(&sb, "%s: %s", field, msg);
    else
        td_buf_puts(&sb, msg);
    td_buf_json_str(out, td_buf_str(&sb));
    td_buf_free(&sb);
    if (field) {
        td_buf_puts(out, ",\"field\":");
        td_buf_json_str(out, td_str_cstr(field));
    }
    td_buf_printf(out, ",\"status\":%d}\n", status);
    return status;
}

/* Appends one follow as a JSON object. */
static void follow_json(td_db *db, const td_follow *f, td_buf *out)
{
    td_buf_printf(out, "{\"id\":%lld,\"sink\":\"%s\",\"to\":", (long long)f->id, td_sink_name(f->sink));
    /* anyone who can read the server sees this: a webhook URL often holds a
     * token and a file path says where the server writes, so only the URL's
     * host and the file's name are shown */
    td_str to = TD_STR_LIT("feed");
    if (f->sink == TD_SINK_WEBHOOK && f->target) {
        const char *host = strstr(f->target, "://");
        host = host ? host + 3 : f->target;
        to = td_str_make(f->target, (size_t)(host - f->target) + strcspn(host, "/?#"));
    } else if (f->sink == TD_SINK_JSONL && f->target) {
        const char *slash = strrchr(f->target, '/');
        to = td_str_cstr(slash ? slash + 1 : f->target);
    }
    td_buf_json_str(out, to);
    const char *keys[] = { "entity", "place", "type", "query" };
    const char *vals[] = { f->entity, f->place, f->type, f->query };
    for (int i = 0; i < 4; i++) {
        td_buf_printf(out, ",\"%s\":", keys[i]);
        td_buf_json_str(out, vals[i] ? td_str_cstr(vals[i]) : (td_str){ NULL, 0 });
    }
    if (f->near)
        td_buf_printf(out, ",\"near\":[%.6f,%.6f],\"km\":%g", f->near_lat, f->near_lon, f->near_km);
    else
        td_buf_puts(out, ",\"near\":null,\"km\":null");
    if (f->min_killed >= 0)
        td_buf_printf(out, ",\"min_killed\":%lld", (long long)f->min_killed);
    else
        td_buf_puts(out, ",\"min_killed\":null");
    td_buf what = TD_BUF_INIT;
    td_alert_follow_describe(f, &what);
    td_buf_puts(out, ",\"describe\":");
    td_buf_json_str(out, td_buf_str(&what));
    td_buf_free(&what);
    td_buf_puts(out, ",\"created_at\":");
    td_buf_json_str(out, f->created_at ? td_str_cstr(f->created_at) : (td_str){ NULL, 0 });
    int64_t n[3];
    td_store_follow_counts(db, f->id, n);
    td_buf_printf(out, ",\"alerts\":%lld,\"pending\":%lld,\"failing\":%lld,\"feed\":\"/feeds/%lld.atom\"}",
                  (long long)n[0], (long long)n[1], (long long)n[2], (long long)f->id);
}

typedef struct list_ctx {
    td_db *db;
    td_buf *out;
    int n;
} list_ctx;

static td_status list_one(void *ud, const td_follow *f)
{
    list_ctx *c = ud;
    if (c->n++)
        td_buf_putc(c->out, ',');
    follow_json(c->db, f, c->out);
    return c->out->failed ? TD_ENOMEM : TD_OK;
}

int td_alert_api_list(td_db *db, bool writable, td_buf *out)
{
    list_ctx c = { db, out, 0 };
    td_buf err = TD_BUF_INIT;
    td_buf_puts(out, "{\"items\":[");
    td_status st = td_store_follow_any(db) ? td_store_follow_each(db, list_one, &c, &err) : TD_OK;
    td_buf_printf(out, "],\"total\":%d,\"writable\":%s}\n", c.n, writable ? "true" : "false");
    int status = st == TD_OK && !out->failed ? 200 : fail(out, 500, NULL, err.len ? err.p : "out of memory");
    td_buf_free(&err);
    return status;
}

/* A string member, or NULL; *bad set when present but not a string. */
static const char *str_member(json_t *o, const char *key, bool *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

int td_alert_api_add(td_db *db, const char *body, size_t len, td_buf *out)
{
    json_error_t je;
    json_t *o = body && len ? json_loadb(body, len, 0, &je) : NULL;
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return fail(out, 400, "body", "expected a JSON object {\"to\": \"feed\" or URL, filters...}");
    }
    td_follow f = { .min_killed = -1 };
    bool bad = false;
    int status = 0;
    const char *to = str_member(o, "to", &bad);
    f.entity = (char *)str_member(o, "entity", &bad);
    f.place = (char *)str_member(o, "place", &bad);
    f.type = (char *)str_member(o, "type", &bad);
    f.query = (char *)str_member(o, "query", &bad);
    if (bad) {
        status = fail(out, 400, "body", "to, entity, place, type and query are strings");
        goto done;
    }
    if (!to || strcmp(to, "feed") == 0) {
        f.sink = TD_SINK_FEED;
    } else if (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0) {
        f.sink = TD_SINK_WEBHOOK;
        f.target = (char *)to;
    } else {
        status = fail(out, 400, "to", "\"feed\" or an http(s):// URL (files only with `tidings follow add`)");
        goto done;
    }
    json_t *near = json_object_get(o, "near");
    if (near && !json_is_null(near)) {
        if (!json_is_array(near) || json_array_size(near) != 2 || !json_is_number(json_array_get(near, 0)) ||
            !json_is_number(json_array_get(near, 1))) {
            status = fail(out, 400, "near", "expected [lat, lon] in degrees");
            goto done;
        }
        f.near = true;
        f.near_lat = json_number_value(json_array_get(near, 0));
        f.near_lon = json_number_value(json_array_get(near, 1));
        json_t *km = json_object_get(o, "km");
        f.near_km = km && json_is_number(km) ? json_number_value(km) : 50;
    }
    if (f.near && f.place) {
        status = fail(out, 400, "near", "give place or near, not both");
        goto done;
    }
    json_t *mk = json_object_get(o, "min_killed");
    if (mk && !json_is_null(mk)) {
        if (!json_is_integer(mk) || json_integer_value(mk) < 0) {
            status = fail(out, 400, "min_killed", "expected a non-negative integer");
            goto done;
        }
        f.min_killed = json_integer_value(mk) > INT32_MAX ? INT32_MAX : json_integer_value(mk);
    }
    td_buf err = TD_BUF_INIT;
    if (td_alert_follow_check(&f, &err) != TD_OK) {
        status = fail(out, 400, NULL, err.p);
        td_buf_free(&err);
        goto done;
    }
    int64_t id = 0;
    td_status st = td_store_follow_ensure(db, &err);
    if (st == TD_OK)
        st = td_store_follow_add(db, &f, &id, &err);
    if (st == TD_OK)
        st = td_alert_scan(db, id, true, NULL, &err);  /* starts from now, as the CLI */
    td_follow back;
    if (st == TD_OK)
        st = td_store_follow_get(db, id, &back, &err);
    if (st != TD_OK) {
        status = fail(out, 500, NULL, err.len ? err.p : td_status_str(st));
    } else {
        follow_json(db, &back, out);
        td_buf_putc(out, '\n');
        td_store_follow_clear(&back);
        status = 201;
    }
    td_buf_free(&err);
done:
    json_decref(o);
    return status;
}

int td_alert_api_rm(td_db *db, const char *id_text, td_buf *out)
{
    char *end = NULL;
    long long id = id_text ? strtoll(id_text, &end, 10) : 0;
    if (id <= 0 || *end)
        return fail(out, 404, NULL, "no such follow");
    td_buf err = TD_BUF_INIT;
    td_status st = td_store_follow_ensure(db, &err);
    if (st == TD_OK)
        st = td_store_follow_rm(db, id, &err);
    int status;
    if (st == TD_OK) {
        td_buf_printf(out, "{\"removed\":%lld}\n", id);
        status = 200;
    } else if (st == TD_ENOTFOUND) {
        status = fail(out, 404, NULL, "no such follow");
    } else {
        status = fail(out, 500, NULL, err.len ? err.p : td_status_str(st));
    }
    td_buf_free(&err);
    return status;
}
