/*
 * jsonl.c - one article per JSON line, parsed with jansson:
 *   {"id": "017", "url": "...", "text": "...", "published": "...", "outlet": "...", "title": "..."}
 * Only `text` is required. `id` may be a string or an integer; `url` and the
 * optional fields may be null. Unknown fields are ignored.
 */
#include "read/read.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Returns the string value of key, NULL when absent or null; sets *bad when
 * the value has another type. */
static const char *opt_string(json_t *o, const char *key, bool *bad)
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

td_status td_read_jsonl_line(const char *line, size_t len, td_input *in, void **keep, char *errbuf, size_t errlen)
{
    json_error_t jerr;
    memset(in, 0, sizeof *in);
    *keep = NULL;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!o) {
        snprintf(errbuf, errlen, "not valid JSON: %s (column %d)", jerr.text, jerr.column);
        return TD_EPARSE;
    }
    if (!json_is_object(o)) {
        snprintf(errbuf, errlen, "a JSON line must be an object with a \"text\" field");
        json_decref(o);
        return TD_EPARSE;
    }
    json_t *text = json_object_get(o, "text");
    if (!text || !json_is_string(text)) {
        snprintf(errbuf, errlen, text ? "field \"text\" is not a string" : "missing field \"text\"");
        json_decref(o);
        return TD_EPARSE;
    }
    in->text = json_string_value(text);
    in->text_len = json_string_length(text);

    json_t *id = json_object_get(o, "id");
    static __thread char idbuf[32];
    if (id && json_is_string(id)) {
        in->id = json_string_value(id);
    } else if (id && json_is_integer(id)) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id));
        in->id = idbuf;
    } else if (id && !json_is_null(id)) {
        snprintf(errbuf, errlen, "field \"id\" must be a string or an integer");
        json_decref(o);
        return TD_EPARSE;
    }
    if (in->id && !*in->id) {
        snprintf(errbuf, errlen, "field \"id\" is empty");
        json_decref(o);
        return TD_EPARSE;
    }
    bool bad = false;
    const char *which = NULL;
    in->url = opt_string(o, "url", &bad);
    if (bad && !which) which = "url";
    in->published = opt_string(o, "published", &bad);
    if (bad && !which) which = "published";
    in->outlet = opt_string(o, "outlet", &bad);
    if (bad && !which) which = "outlet";
    in->title = opt_string(o, "title", &bad);
    if (bad && !which) which = "title";
    if (which) {
        snprintf(errbuf, errlen, "field \"%s\" must be a string or null", which);
        json_decref(o);
        return TD_EPARSE;
    }
    *keep = o;
    return TD_OK;
}

void td_read_jsonl_release(void *keep)
{
    if (keep)
        json_decref((json_t *)keep);
}
