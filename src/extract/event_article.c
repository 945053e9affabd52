/*
 * event_article.c - events and quotes of one stored article: the glue between
 * the entities stage (td_entities) and the extractors (event.h, quote.h).
 *
 * Text: the headline and the body joined by a blank line, the leading part of
 * the text td_entities_extract_article worked on ("title\n\nbody\n\ncaptions"),
 * so entity mention offsets are valid here unchanged; mentions in the
 * captions are dropped (a caption describes a photo, often of another day).
 * The headline is sentence 0: it names the article's main event most often,
 * and event.c weighs lead sentences more.
 *
 * Names: every non-evidence, non-dateline mention with an entity, typed
 * person/org/place, with the entity index as its id and, for places, the
 * level of its gazetteer record (country 1, province 2, anything else 3),
 * or 4 for a place the gazetteer lacks that the text puts inside a placed
 * one ("the Tallin market in Marr province", "Orsk, a village in Marr
 * district", "Hennig Road, Port Hallam"): the most specific place named.
 *
 * Invariants: names are sorted by offset and lie inside text; everything is
 * allocated from the article's arena.
 */
#include "extract/event.h"

#include "extract/gazetteer.h"
#include "extract/names.h"
#include "extract/extract_int.h"
#include "text/text.h"

#include <string.h>

/* The gazetteer level of a place record: 1 country, 2 region, 3 locality. */
static uint8_t place_level(const td_entity_models *md, int32_t place)
{
    if (!md || !md->gaz || place < 0)
        return 3;
    td_place p;
    td_gazetteer_place(md->gaz, (uint32_t)place, &p);
    return p.kind == TD_PLACE_COUNTRY ? 1 : p.kind == TD_PLACE_ADMIN1 ? 2 : 3;
}

/* End (offset into text) of a dateline opening the body ("DORVANI, Veloria
 * (MP) —", "KATHMANDU:"), else 0: the first line's prefix before a dash,
 * bracket or colon within 80 bytes, when it is written in capitals or the
 * cleaner found a dateline. */
static uint32_t dateline_end(const td_article *a, const td_event_article *out)
{
    td_str b = { out->text.p + out->body_off, out->text.len - out->body_off };
    size_t lim = b.len < 80 ? b.len : 80;
    for (size_t i = 1; i < lim; i++) {
        unsigned char c = (unsigned char)b.p[i];
        if (c == '\n')
            return 0;
        bool sep = c == '(' || c == ':' || (c == '-' && b.p[i - 1] == ' ') ||
                   (c == 0xE2 && i + 2 < b.len && (unsigned char)b.p[i + 1] == 0x80 &&
                    ((unsigned char)b.p[i + 2] == 0x94 || (unsigned char)b.p[i + 2] == 0x93));
        if (!sep)
            continue;
        size_t upper = 0, lower = 0;
        for (size_t k = 0; k < i; k++) {
            upper += b.p[k] >= 'A' && b.p[k] <= 'Z';
            lower += b.p[k] >= 'a' && b.p[k] <= 'z';
        }
        if (a->dateline.len || upper > lower)
            return out->body_off + (uint32_t)i;
        return 0;
    }
    return 0;
}

static td_status names_of(const td_entity_models *md, const td_entities *en, td_article *a,
                          td_event_article *out)
{
    if (!en || !en->n)
        return TD_OK;
    td_name_span *v = td_arena_alloc(a->arena, en->n * sizeof *v);
    if (!v)
        return TD_ENOMEM;
    uint32_t n = 0, dl = dateline_end(a, out);
    for (uint32_t i = 0; i < en->n; i++) {
        const td_mention *m = &en->m[i];
        /* the dateline says where the reporter files from: a place of last
         * resort, ranked like a country (any other place wins) */
        bool in_dl = dl && m->off >= out->body_off && m->off < dl;
        if (m->ent == TD_NO_ENT || (m->flags & (TD_MF_EVIDENCE | TD_MF_DATELINE | TD_MF_NESTED)))
            continue;
        if (m->off + m->len > out->text.len)
            continue; /* in the captions */
        const td_art_entity *e = &en->e[m->ent];
        uint8_t type = e->type == TD_ENT_PERSON ? TD_NAME_PERSON
                       : e->type == TD_ENT_ORG  ? TD_NAME_ORG
                       : e->type == TD_ENT_PLACE ? TD_NAME_PLACE
                                                 : TD_NAME_NONE;
        if (type == TD_NAME_NONE)
            continue;
        v[n++] = (td_name_span){ { m->off, m->len },
                                 type,
                                 (int64_t)m->ent,
                                 type == TD_NAME_PLACE ? (in_dl ? 1 : place_level(md, e->place)) : 0 };
        if (in_dl && type != TD_NAME_PLACE)
            n--;
    }
    /* a place the gazetteer lacks, inside the placed province or town named
     * right after it, is more specific than that place */
    for (uint32_t i = 0; i + 1 < n; i++) {
        if (v[i].type != TD_NAME_PLACE || en->e[v[i].entity].place >= 0)
            continue;
        for (uint32_t j = i + 1; j < n && v[j].span.off < v[i].span.off + v[i].span.len + 64; j++) {
            if (v[j].type != TD_NAME_PLACE)
                continue;
            if (en->e[v[j].entity].place >= 0 && v[j].level >= 2 &&
                td_place_inside_gap(out->text, v[i].span.off + v[i].span.len, v[j].span.off))
                v[i].level = 4;
            break;
        }
    }
    out->names = v;
    out->n_names = n;
    return TD_OK;
}

/* A statement is made where its speaker is, not where what it reports
 * happened: "110 girls are missing after an attack on a school in northeast
 * Nigeria, the information ministry said" filed from ABUJA was said in the
 * capital. A statement, meeting or agreement the sentence places only in a
 * country or region (or not at all) takes the dateline's town when the
 * dateline opens the body and that town lies in the same country. A town the
 * sentence names stays: it is a finer reading than the dateline's. */
static void statements_at_dateline(const td_entity_models *md, const td_entities *en, const td_article *a,
                                   td_event_article *out)
{
    uint32_t dl = en ? dateline_end(a, out) : 0;
    const td_name_span *town = NULL;
    for (uint32_t i = 0; dl && i < out->n_names && out->names[i].span.off < dl && !town; i++) {
        const td_name_span *nm = &out->names[i];
        if (nm->type == TD_NAME_PLACE && nm->span.off >= out->body_off && nm->entity >= 0 &&
            place_level(md, en->e[nm->entity].place) == 3 && en->e[nm->entity].place >= 0)
            town = nm;
    }
    if (!town)
        return;
    const td_art_entity *te = &en->e[town->entity];
    for (uint32_t k = 0; k < out->n; k++) {
        td_event_mention *x = &out->m[k];
        if (x->type != TD_EV_STATEMENT && x->type != TD_EV_MEETING && x->type != TD_EV_AGREEMENT)
            continue;
        if (x->place.len && (x->place_level == 0 || x->place_level >= 3))
            continue;
        if (x->place.len && x->place_id >= 0 && (uint64_t)x->place_id < en->n_entities &&
            memcmp(en->e[x->place_id].cc, te->cc, 2) != 0)
            continue;
        x->place = town->span;
        x->place_id = town->entity;
        x->place_level = 3;
    }
}

td_status td_event_article_extract(const td_entity_models *md, const td_entities *en, td_article *a,
                                   td_event_article *out)
{
    if (!a || !a->arena || !out)
        return TD_EINVAL;
    memset(out, 0, sizeof *out);
    if (!a->body.len)
        return TD_OK;
    size_t tl = a->title.len, bl = a->body.len;
    if (tl) {
        char *p = td_arena_alloc(a->arena, tl + bl + 3);
        if (!p)
            return TD_ENOMEM;
        memcpy(p, a->title.p, tl);
        memcpy(p + tl, "\n\n", 2);
        memcpy(p + tl + 2, a->body.p, bl);
        p[tl + 2 + bl] = '\0';
        out->text = td_str_make(p, tl + 2 + bl);
        out->body_off = (uint32_t)(tl + 2);
    } else {
        out->text = a->body;
    }
    out->n_sentences = td_sentences(a->arena, out->text, &out->sentences);
    if (!out->sentences && out->n_sentences)
        return TD_ENOMEM;
    td_status st = names_of(md, en, a, out);
    if (st != TD_OK)
        return st;
    td_event_input in = { out->text, out->sentences, out->n_sentences, a->published, 0,
                          out->names, out->n_names, dateline_end(a, out) };
    if (a->published.prec != TD_PREC_DAY)
        in.published = (td_date){ 0, 0, 0, TD_PREC_NONE }; /* relative dates need a day */
    st = td_event_extract(a->arena, &in, &out->m, &out->n);
    if (st != TD_OK)
        return st;
    statements_at_dateline(md, en, a, out);
    /* quotes: on the body only (a headline quote has no speaker) */
    if (a->arena->failed)
        return TD_ENOMEM;
    st = td_quote_find(a->arena, out->text, out->sentences, out->n_sentences, out->names,
                       out->n_names, &out->q, &out->n_quotes);
    /* reported speech opening the body starts after its dateline */
    uint32_t dl = st == TD_OK ? dateline_end(a, out) : 0;
    for (uint32_t i = 0; dl && i < out->n_quotes; i++) {
        td_span *t = &out->q[i].text;
        if (t->off < dl && t->off + t->len > dl + 2) {
            uint32_t skip = dl - t->off;
            while (skip < t->len && (out->text.p[t->off + skip] == ' ' || out->text.p[t->off + skip] == '-' ||
                                     (unsigned char)out->text.p[t->off + skip] >= 0x80 ||
                                     out->text.p[t->off + skip] == ':' || out->text.p[t->off + skip] == ')'))
                skip++;
            t->off += skip;
            t->len -= skip;
        }
    }
    return st;
}
