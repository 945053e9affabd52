/*
 * names_lex.c - loading the team's lexicons (data/lexicons, formats in each
 * file's header) into a td_lexicon (extract_int.h) and the models bundle.
 *
 * Every phrase becomes a pattern of one automaton (match.h) built in memory
 * at load; a few thousand lines load in a few milliseconds. Entries are
 * grouped by pattern, since one phrase may be, say, both a title and part of
 * an actor name.
 */
#include "extract/extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"

typedef struct lexb {
    td_match_builder *mb;
    lex_entry *ent;
    uint32_t n_ent, cap_ent;
    uint32_t *pat;         /* pattern of each entry */
    td_actor *actors;
    uint32_t n_actors, cap_actors;
    td_buf names;          /* actor names, offsets in actors[].name until the end */
} lexb;

/* Reads a whole file into a NUL-terminated heap buffer; NULL on error. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    td_buf b = TD_BUF_INIT;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        td_buf_append(&b, tmp, n);
    bool err = ferror(fp) != 0;
    fclose(fp);
    if (err || b.failed) {
        td_buf_free(&b);
        return NULL;
    }
    if (!b.p)
        td_buf_putc(&b, '\0'), b.len = 0;
    return b.p;
}

/* True when s has letters and none of them is lower case. */
static bool all_upper(td_str s)
{
    size_t letters = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c >= 'a' && c <= 'z')
            return false;
        letters += c >= 'A' && c <= 'Z';
    }
    return letters >= 1 && s.len >= 2;
}

static bool all_lower(td_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] >= 'A' && s.p[i] <= 'Z')
            return false;
    return true;
}

/* Adds one phrase with its entry. false when out of memory; phrases with no
 * word or too many words are ignored. */
static bool add_phrase(lexb *b, td_str phrase, const lex_entry *e)
{
    phrase = td_str_trim(phrase);
    uint64_t keys[TD_MATCH_MAX_DEPTH];
    uint32_t n = td_match_phrase_keys(phrase, keys, TD_MATCH_MAX_DEPTH);
    if (n == 0 || n == TD_MATCH_MAX_DEPTH)
        return true;
    uint32_t id;
    if (td_match_builder_add(b->mb, keys, n, &id) != TD_OK)
        return false;
    if (b->n_ent == b->cap_ent) {
        uint32_t nc = b->cap_ent ? b->cap_ent * 2 : 1024;
        lex_entry *ne = td_realloc(b->ent, (size_t)nc * sizeof *ne);
        if (!ne)
            return false;
        b->ent = ne;
        uint32_t *np = td_realloc(b->pat, (size_t)nc * sizeof *np);
        if (!np)
            return false;
        b->pat = np;
        b->cap_ent = nc;
    }
    lex_entry x = *e;
    x.upper = all_upper(phrase);
    x.lower = all_lower(phrase);
    b->ent[b->n_ent] = x;
    b->pat[b->n_ent] = id;
    b->n_ent++;
    return true;
}

static td_org_kind org_kind_of(td_str k)
{
    static const char *const names[] = { "org", "group", "mil", "gov", "party", "igo", "ngo",
                                         "media", NULL };
    for (int i = 0; names[i]; i++)
        if (td_str_eq(k, td_str_cstr(names[i])))
            return (td_org_kind)i;
    return TD_ORG_OTHER;
}

static int title_class_of(td_str k)
{
    static const char *const names[] = { "", "honorific", "head", "minister", "official",
                                         "military", "police", "legislator", "judicial",
                                         "diplomat", "religious", "royal", "spokes", "other",
                                         NULL };
    for (int i = 1; names[i]; i++)
        if (td_str_eq(k, td_str_cstr(names[i])))
            return i;
    return -1;
}

static int head_kind_of(td_str k)
{
    static const char *const names[] = { "", "gov", "mil", "org", "media", "place", "misc", NULL };
    for (int i = 1; names[i]; i++)
        if (td_str_eq(k, td_str_cstr(names[i])))
            return i;
    return -1;
}

/* Splits s at the first c: *head before, returns the rest (or {NULL,0}). */
static td_str split(td_str s, char c, td_str *head)
{
    const char *q = memchr(s.p, c, s.len);
    if (!q) {
        *head = s;
        return (td_str){ NULL, 0 };
    }
    *head = td_str_make(s.p, (size_t)(q - s.p));
    return td_str_make(q + 1, s.len - (size_t)(q - s.p) - 1);
}

typedef bool (*line_fn)(void *ud, td_str line);

/* Calls fn on every non-comment, non-empty line of dir/name. */
static td_status each_line(const char *dir, const char *name, line_fn fn, void *ud, td_buf *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = slurp(path);
    if (!text) {
        if (err)
            td_buf_printf(err, "%s: cannot read the lexicon", path);
        return TD_ENOTFOUND;
    }
    td_status st = TD_OK;
    uint32_t lineno = 0;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        td_str line = td_str_make(p, len);
        while (line.len && (line.p[line.len - 1] == '\r' || line.p[line.len - 1] == ' '))
            line.len--;
        if (line.len && line.p[0] != '#' && !fn(ud, line)) {
            if (err)
                td_buf_printf(err, "%s:%u: bad line or out of memory", path, lineno);
            st = TD_EPARSE;
            break;
        }
        p = nl ? nl + 1 : p + len;
    }
    td_free(text);
    return st;
}

static bool actor_line(void *ud, td_str line)
{
    lexb *b = ud;
    td_str kind, cc, names;
    td_str rest = split(line, '\t', &kind);
    names = split(rest, '\t', &cc);
    if (!names.p || !names.len)
        return false;
    if (b->n_actors == b->cap_actors) {
        uint32_t nc = b->cap_actors ? b->cap_actors * 2 : 256;
        td_actor *na = td_realloc(b->actors, (size_t)nc * sizeof *na);
        if (!na)
            return false;
        b->actors = na;
        b->cap_actors = nc;
    }
    td_actor *ac = &b->actors[b->n_actors];
    memset(ac, 0, sizeof *ac);
    ac->kind = org_kind_of(kind);
    if (cc.len == 2)
        memcpy(ac->cc, cc.p, 2);
    td_str first;
    split(names, '|', &first);
    ac->name = (const char *)(uintptr_t)b->names.len; /* fixed up at the end */
    td_buf_append_str(&b->names, td_str_trim(first));
    td_buf_putc(&b->names, '\0');
    lex_entry e = { LX_ACTOR, (uint8_t)ac->kind, 0, 0, (int32_t)b->n_actors, { 0 } };
    memcpy(e.cc, ac->cc, 3);
    b->n_actors++;
    while (names.p) {
        td_str one;
        names = split(names, '|', &one);
        if (one.len && !add_phrase(b, one, &e))
            return false;
    }
    return !b->names.failed;
}

static bool demonym_line(void *ud, td_str line)
{
    lexb *b = ud;
    td_str word, cc;
    cc = split(line, '\t', &word);
    if (cc.len != 2)
        return false;
    lex_entry e = { LX_DEMONYM, 0, 0, 0, -1, { cc.p[0], cc.p[1], 0 } };
    return add_phrase(b, word, &e);
}

static bool title_line(void *ud, td_str line)
{
    lexb *b = ud;
    td_str cls, names = split(line, '\t', &cls);
    int c = title_class_of(cls);
    if (c < 0 || !names.p)
        return false;
    lex_entry e = { LX_TITLE, (uint8_t)c, 0, 0, -1, { 0 } };
    while (names.p) {
        td_str one;
        names = split(names, '|', &one);
        if (one.len && !add_phrase(b, one, &e))
            return false;
    }
    return true;
}

static bool head_line(void *ud, td_str line)
{
    td_lexicon *lx = ud;
    td_str kind, names = split(line, '\t', &kind);
    int k = head_kind_of(kind);
    if (k < 0 || !names.p)
        return false;
    while (names.p) {
        td_str one;
        names = split(names, '|', &one);
        uint64_t keys[TD_MATCH_MAX_DEPTH];
        uint32_t n = td_match_phrase_keys(one, keys, TD_MATCH_MAX_DEPTH);
        if (n == 0)
            continue;
        /* a multi-word head counts by its last word: Air Force -> Force */
        uint64_t *v = td_map_upsert(&lx->heads, keys[n - 1]);
        if (!v)
            return false;
        if (!*v)
            *v = (uint64_t)k;
    }
    return true;
}

static bool common_line(void *ud, td_str line)
{
    td_lexicon *lx = ud;
    uint64_t keys[2];
    if (td_match_phrase_keys(line, keys, 2) != 1)
        return true;
    uint64_t *v = td_map_upsert(&lx->common, keys[0]);
    if (!v)
        return false;
    *v = 1;
    return true;
}

static uint64_t actor_word_key(const char *cc, uint64_t key)
{
    return key ^ ((uint64_t)(uint8_t)cc[0] << 40) ^ ((uint64_t)(uint8_t)cc[1] << 48) ^
           0x5bd1e9955bd1e995ull;
}

int32_t td_lexicon_actor_by_word(const td_lexicon *lx, const char *cc, uint64_t key)
{
    if (!cc[0])
        return -1;
    const uint64_t *v = td_map_get(&lx->actor_words, actor_word_key(cc, key));
    if (!v || *v == UINT64_MAX || !*v)
        return -1;
    /* the state bodies only: a group's name ("Free Syrian Army") is no
     * generic "army" */
    const td_actor *ac = &lx->actors[*v - 1];
    return ac->kind == TD_ORG_GROUP ? -1 : (int32_t)(*v - 1);
}

void td_lexicon_free(td_lexicon *lx)
{
    if (!lx)
        return;
    td_buf_free(&lx->blob);
    td_free(lx->pat_first);
    td_free(lx->pat_n);
    td_free(lx->ent_of);
    td_free(lx->ent);
    td_free(lx->actors);
    td_free(lx->strings);
    td_map_free(&lx->common);
    td_map_free(&lx->heads);
    td_map_free(&lx->connectors);
    td_map_free(&lx->actor_words);
    td_free(lx);
}

td_status td_lexicon_load(const char *dir, td_lexicon **out, td_buf *err)
{
    td_lexicon *lx = td_calloc(1, sizeof *lx);
    lexb b;
    memset(&b, 0, sizeof b);
    b.mb = td_match_builder_new();
    td_status st = TD_ENOMEM;
    if (!lx || !b.mb)
        goto fail;
    if ((st = each_line(dir, "actors.tsv", actor_line, &b, err)) != TD_OK ||
        (st = each_line(dir, "demonyms.tsv", demonym_line, &b, err)) != TD_OK ||
        (st = each_line(dir, "titles.tsv", title_line, &b, err)) != TD_OK ||
        (st = each_line(dir, "org-heads.tsv", head_line, lx, err)) != TD_OK ||
        (st = each_line(dir, "common-words.txt", common_line, lx, err)) != TD_OK)
        goto fail;
    st = TD_ENOMEM;
    td_names_wordsets(lx->ws);
    /* "as", "an", "at", "ad": Arabic articles too, but English words: only
     * hyphen-joined ("as-Sadr"), see names.c is_connector */
    static const char *const conn[] = { "of", "the", "and", "for", "al", "el", "ash",
                                        "ar", "az", "bin", "ibn", "bint", "abu", "de",
                                        "del", "della", "di", "da", "du", "dos", "das", "van",
                                        "von", "der", "den", "la", "le", "les", "y", "ez", "es",
                                        "ul", "ud", "ben", NULL };
    for (int i = 0; conn[i]; i++) {
        uint64_t *v = td_map_upsert(&lx->connectors, td_match_key(conn[i], strlen(conn[i])));
        if (!v)
            goto fail;
        *v = 1;
    }
    if (td_match_builder_finish(b.mb, &lx->blob) != TD_OK ||
        td_match_open(&lx->ac, lx->blob.p, lx->blob.len) != TD_OK)
        goto fail;
    uint32_t np = lx->ac.n_patterns;
    lx->pat_first = td_calloc((size_t)np + 1, sizeof *lx->pat_first);
    lx->pat_n = td_calloc((size_t)np + 1, sizeof *lx->pat_n);
    lx->ent_of = td_calloc((size_t)b.n_ent + 1, sizeof *lx->ent_of);
    if (!lx->pat_first || !lx->pat_n || !lx->ent_of)
        goto fail;
    for (uint32_t i = 0; i < b.n_ent; i++)
        lx->pat_n[b.pat[i]]++;
    for (uint32_t p = 1; p < np; p++)
        lx->pat_first[p] = lx->pat_first[p - 1] + lx->pat_n[p - 1];
    uint32_t *fill = td_calloc((size_t)np + 1, sizeof *fill);
    if (!fill)
        goto fail;
    for (uint32_t i = 0; i < b.n_ent; i++) {
        uint32_t p = b.pat[i];
        lx->ent_of[lx->pat_first[p] + fill[p]++] = i;
    }
    td_free(fill);
    lx->ent = b.ent;
    lx->n_ent = b.n_ent;
    b.ent = NULL;
    if (b.names.failed)
        goto fail;
    lx->strings = b.names.p ? b.names.p : td_strdup("");
    b.names.p = NULL;
    lx->actors = b.actors;
    lx->n_actors = b.n_actors;
    b.actors = NULL;
    for (uint32_t i = 0; i < lx->n_actors; i++)
        lx->actors[i].name = lx->strings + (uintptr_t)lx->actors[i].name;
    for (uint32_t i = 0; i < lx->n_actors; i++) {
        const td_actor *ac = &lx->actors[i];
        if (!ac->cc[0] || (ac->kind != TD_ORG_MIL && ac->kind != TD_ORG_GOV &&
                           ac->kind != TD_ORG_GROUP))
            continue;
        uint64_t keys[TD_MATCH_MAX_DEPTH];
        uint32_t nk = td_match_phrase_keys(td_str_cstr(ac->name), keys, TD_MATCH_MAX_DEPTH);
        for (uint32_t k = 0; k < nk; k++) {
            uint64_t *v = td_map_upsert(&lx->actor_words, actor_word_key(ac->cc, keys[k]));
            if (!v)
                goto fail;
            *v = *v && *v != (uint64_t)i + 1 ? UINT64_MAX : (uint64_t)i + 1;
        }
    }
    td_match_builder_free(b.mb);
    td_free(b.pat);
    *out = lx;
    return TD_OK;
fail:
    td_match_builder_free(b.mb);
    td_free(b.ent);
    td_free(b.pat);
    td_free(b.actors);
    td_buf_free(&b.names);
    td_lexicon_free(lx);
    return st;
}

uint32_t td_lexicon_actor_count(const td_lexicon *lx)
{
    return lx->n_actors;
}

const td_actor *td_lexicon_actor(const td_lexicon *lx, uint32_t i)
{
    return i < lx->n_actors ? &lx->actors[i] : NULL;
}

bool td_lexicon_is_common(const td_lexicon *lx, uint64_t key)
{
    return td_map_get(&lx->common, key) != NULL;
}

/* The default data dir: $TIDINGS_DATA, else "data" next to the running
 * executable (build/tidings -> build/data) when it holds places.bin, else
 * "build/data". Writes into buf. */
static const char *default_dir(char *buf, size_t cap)
{
    const char *env = getenv("TIDINGS_DATA");
    if (env && *env)
        return env;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            size_t l = strlen(exe);
            if (l + sizeof "/data/" TD_GAZ_FILE <= cap) {
                memcpy(buf, exe, l);
                memcpy(buf + l, "/data/" TD_GAZ_FILE, sizeof "/data/" TD_GAZ_FILE);
                if (access(buf, R_OK) == 0) {
                    buf[l + 5] = '\0'; /* keep ".../data" */
                    return buf;
                }
            }
        }
    }
    return "build/data";
}

td_status td_entity_models_load(const char *dir, td_entity_models **out, td_buf *err)
{
    char dbuf[4096];
    if (!dir)
        dir = default_dir(dbuf, sizeof dbuf);
    td_entity_models *m = td_calloc(1, sizeof *m);
    if (!m)
        return TD_ENOMEM;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, TD_GAZ_FILE);
    td_status gst = td_gazetteer_load(path, &m->gaz, err);
    if (gst != TD_OK && gst != TD_ENOTFOUND) {
        td_entity_models_free(m);
        return gst;
    }
    /* without places.bin the lexicons still find people and organisations */
    snprintf(path, sizeof path, "%s/lexicons", dir);
    td_status st = td_lexicon_load(path, &m->lex, err);
    if (st != TD_OK) {
        td_entity_models_free(m);
        return st;
    }
    *out = m;
    return TD_OK;
}

void td_entity_models_free(td_entity_models *m)
{
    if (!m)
        return;
    td_gazetteer_free(m->gaz);
    td_lexicon_free(m->lex);
    td_free(m);
}
