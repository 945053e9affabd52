/*
 * summary.c - choosing a story's summary sentences (see summary.h).
 *
 * Data structure: one `cand` per candidate sentence (at most
 * max_candidates), holding its TF-IDF vector as parallel arrays of term
 * hashes (sorted) and weights (L2-normalised), so a cosine is one merge of
 * two sorted lists. The similarity graph is a dense float matrix n*n in the
 * caller's arena (n <= max_candidates, 240 by default: ~230 KB).
 *
 * Centrality is continuous LexRank (Erkan & Radev 2004): the row-normalised
 * cosine graph (edges under 0.05 dropped) with damping 0.85, 40 power
 * iterations; a sentence that many other sentences, from several outlets,
 * echo is central. Priors: the first sentences of an article (news is
 * written lead first) and the earliest articles (first reporting) weigh up
 * to 30% and 20% more. MMR (Carbonell & Goldstein 1998) then takes the best
 * lambda*score - (1-lambda)*max_similarity_to_chosen, never a sentence over
 * 0.5 cosine to one already chosen. The first sentence of the earliest
 * article's lead (when one of its first three passes the filter) is always
 * chosen first: news is written lead first.
 *
 * Invariants: term weights are finite; every chosen span lies inside its
 * doc's body; ties are broken by candidate order (document order), so the
 * result does not depend on hash values.
 */
#include "summary/summary.h"

#include <ctype.h>
#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/alloc.h"
#include "base/map.h"
#include "text/text.h"

#define DAMPING 0.85
#define EDGE_MIN 0.05f
#define ITERATIONS 40
#define MAX_REDUNDANCY 0.5
#define MAX_WORD 64

struct td_summarizer {
    struct sb_stemmer *stem;
    td_map stop;               /* hash of a stop word -> 1 */
    td_map df;                 /* term hash -> candidate sentences holding it */
};

typedef struct cand {
    size_t doc;
    uint32_t off, len;         /* in docs[doc].body */
    uint32_t pos;              /* sentence index in its article */
    uint32_t nt;               /* distinct terms */
    uint64_t *th;              /* term hashes, ascending */
    float *tw;                 /* tf, then tf-idf normalised */
    double cent, score;
    bool taken;
} cand;

/* Function words and reporting verbs: they carry no topic. */
static const char *const STOP[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not",
    "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
    "said", "same", "says", "say", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "told", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "according", "added",
    "mr", "mrs", "ms", "one", "two", "new", "year", "years", "week", "day", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "yesterday", "today",
};

/* Lower-case cues of text that is about the page or the outlet, not the news. */
static const char *const BOILER[] = {
    "click here", "subscribe", "sign up", "newsletter", "all rights reserved", "copyright", "\xc2\xa9",
    "follow us", "read more", "read also", "related:", "advertisement", "cookie", "contributed to this report",
    "reporting by", "editing by", "writing by", "additional reporting", "http://", "https://", "www.",
    "photo:", "image:", "file photo", "getty images", "ap photo", "afp photo", "pictured", "(photo",
    "this article", "this story", "our journalism", "share this", "download our app",
    "@", "terms of use", "privacy policy",
};

static uint64_t word_hash(const char *p, size_t len)
{
    return XXH3_64bits(p, len) | 1;  /* never 0: the map's empty key */
}

td_summarizer *td_summarizer_new(void)
{
    td_summarizer *sz = td_calloc(1, sizeof *sz);
    if (!sz)
        return NULL;
    sz->stem = sb_stemmer_new("english", NULL);
    if (!sz->stem) {
        td_summarizer_free(sz);
        return NULL;
    }
    for (size_t i = 0; i < sizeof STOP / sizeof STOP[0]; i++) {
        uint64_t *v = td_map_upsert(&sz->stop, word_hash(STOP[i], strlen(STOP[i])));
        if (!v) {
            td_summarizer_free(sz);
            return NULL;
        }
        *v = 1;
    }
    return sz;
}

void td_summarizer_free(td_summarizer *sz)
{
    if (!sz)
        return;
    if (sz->stem)
        sb_stemmer_delete(sz->stem);
    td_map_free(&sz->stop);
    td_map_free(&sz->df);
    td_free(sz);
}

/* ---- the sentence filter ---- */

static size_t count_words(td_str s)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < s.len; i++) {
        bool sp = isspace((unsigned char)s.p[i]);
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* True for the bytes of a closing quote or bracket after the full stop. */
static size_t closer_len(td_str s)
{
    if (s.len >= 1 && (s.p[s.len - 1] == '"' || s.p[s.len - 1] == '\'' || s.p[s.len - 1] == ')'))
        return 1;
    /* ” U+201D and ’ U+2019 */
    if (s.len >= 3 && (unsigned char)s.p[s.len - 3] == 0xE2 && (unsigned char)s.p[s.len - 2] == 0x80 &&
        ((unsigned char)s.p[s.len - 1] == 0x9D || (unsigned char)s.p[s.len - 1] == 0x99))
        return 3;
    return 0;
}

bool td_summary_sentence_ok(td_str s, td_str captions)
{
    s = td_str_trim(s);
    if (s.len < 30 || s.len > 600)
        return false;
    size_t words = count_words(s);
    if (words < 6 || words > 60)
        return false;
    unsigned char c0 = (unsigned char)s.p[0];
    bool starts = (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') || c0 == '"' || c0 == '\'' || c0 >= 0x80;
    if (!starts)
        return false;
    td_str body = s;
    body.len -= closer_len(body);
    char last = body.len ? body.p[body.len - 1] : 0;
    if (last != '.' && last != '!')
        return false;  /* headlines, bylines, list items, questions */
    /* tables, scores and figures lists: mostly letters in prose */
    size_t letters = 0, visible = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        if (isspace(ch))
            continue;
        visible++;
        letters += isalpha(ch) || ch >= 0x80;
    }
    if (letters * 10 < visible * 7)
        return false;
    for (size_t i = 0; i < sizeof BOILER / sizeof BOILER[0]; i++)
        if (td_str_icontains(s, td_str_cstr(BOILER[i])))
            return false;
    if (captions.len) {
        /* a caption repeated in the body, whole or its opening */
        td_str head = td_str_make(s.p, s.len < 48 ? s.len : 48);
        if (td_str_find(captions, s) != (size_t)-1 || td_str_find(captions, head) != (size_t)-1)
            return false;
    }
    return true;
}

/* Skips a dateline that opens a sentence ("PORT ALDER, Norvia — ",
 * "ALDER (KH) -- ", "Alder, Jan. 29 (NNA) – "): a dash within the first 80
 * bytes after at most 8 words that start with an all-capital word or hold a
 * bracket or a digit. The sentence after it stands alone. */
static td_str skip_dateline(td_str s)
{
    static const char *const DASH[] = { " \xe2\x80\x94 ", " \xe2\x80\x93 ", " -- ", " - " };
    size_t lim = s.len < 80 ? s.len : 80;
    for (size_t d = 0; d < sizeof DASH / sizeof DASH[0]; d++) {
        size_t dl = strlen(DASH[d]);
        size_t at = td_str_find(td_str_make(s.p, lim), td_str_cstr(DASH[d]));
        if (at == (size_t)-1 || at == 0)
            continue;
        td_str pre = td_str_make(s.p, at);
        if (count_words(pre) > 8)
            return s;
        bool caps = true, mark = false;
        for (size_t i = 0; i < pre.len && !isspace((unsigned char)pre.p[i]) && pre.p[i] != ','; i++)
            caps &= !islower((unsigned char)pre.p[i]);
        for (size_t i = 0; i < pre.len; i++)
            mark |= pre.p[i] == '(' || isdigit((unsigned char)pre.p[i]);
        if (!caps && !mark)
            return s;
        td_str rest = td_str_trim(td_str_make(s.p + at + dl, s.len - at - dl));
        unsigned char c0 = rest.len ? (unsigned char)rest.p[0] : 0;
        return (c0 >= 'A' && c0 <= 'Z') || c0 == '"' || c0 >= 0x80 ? rest : s;
    }
    return s;
}

/* ---- features ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Fills c's sorted term list (tf in tw) from its sentence. */
static td_status featurize(td_summarizer *sz, td_arena *a, cand *c, td_str s)
{
    td_token *tok = NULL;
    uint32_t nt = td_tokenize(a, s, &tok);
    if (a->failed)
        return TD_ENOMEM;
    uint64_t *h = td_arena_alloc(a, (nt ? nt : 1) * sizeof *h);
    if (!h)
        return TD_ENOMEM;
    uint32_t n = 0;
    char w[MAX_WORD];
    for (uint32_t i = 0; i < nt; i++) {
        if (tok[i].type != TD_TOK_WORD && tok[i].type != TD_TOK_NUM)
            continue;
        if (tok[i].len < 2 || tok[i].len >= MAX_WORD)
            continue;
        for (uint32_t k = 0; k < tok[i].len; k++)
            w[k] = (char)tolower((unsigned char)s.p[tok[i].off + k]);
        size_t wl = tok[i].len;
        if (tok[i].type == TD_TOK_NUM) {
            h[n++] = word_hash(w, wl) ^ 0x5bd1e995u;  /* numbers apart from words */
            continue;
        }
        if (td_map_get(&sz->stop, word_hash(w, wl)))
            continue;
        const sb_symbol *st = sb_stemmer_stem(sz->stem, (const sb_symbol *)w, (int)wl);
        if (st) {
            int sl = sb_stemmer_length(sz->stem);
            h[n++] = word_hash((const char *)st, (size_t)sl);
        } else {
            h[n++] = word_hash(w, wl);
        }
    }
    qsort(h, n, sizeof *h, cmp_u64);
    float *tw = td_arena_alloc(a, (n ? n : 1) * sizeof *tw);
    if (!tw)
        return TD_ENOMEM;
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m && h[m - 1] == h[i]) {
            tw[m - 1] += 1.0f;
            continue;
        }
        h[m] = h[i];
        tw[m++] = 1.0f;
    }
    c->th = h;
    c->tw = tw;
    c->nt = m;
    return TD_OK;
}

static float cosine(const cand *x, const cand *y)
{
    double dot = 0;
    uint32_t i = 0, j = 0;
    while (i < x->nt && j < y->nt) {
        if (x->th[i] < y->th[j])
            i++;
        else if (x->th[i] > y->th[j])
            j++;
        else
            dot += (double)x->tw[i++] * y->tw[j++];
    }
    return (float)dot;
}

static int cmp_reading(const void *a, const void *b)
{
    const td_summary_sent *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* ---- API implementation ---- */

td_status td_summary_pick(td_summarizer *sz, const td_summary_doc *docs, size_t n_docs,
                          const td_summary_opts *o, td_arena *a, td_summary_sent **out, size_t *n_out)
{
    td_summary_opts opt = o ? *o : (td_summary_opts){ 0 };
    unsigned min_s = opt.min_sentences ? opt.min_sentences : 3;
    unsigned max_s = opt.max_sentences ? opt.max_sentences : 5;
    unsigned max_c = opt.max_candidates ? opt.max_candidates : 240;
    unsigned per_doc = opt.per_doc ? opt.per_doc : 14;
    double lambda = opt.lambda > 0 ? opt.lambda : 0.7;
    if (min_s > max_s)
        min_s = max_s;
    *out = NULL;
    *n_out = 0;

    /* candidates: the opening sentences of each article, earliest first */
    cand *c = td_arena_calloc(a, max_c, sizeof *c);
    if (!c)
        return TD_ENOMEM;
    size_t n = 0;
    for (size_t d = 0; d < n_docs && n < max_c; d++) {
        td_str body = docs[d].body;
        if (!body.p || !body.len)
            continue;
        td_span *sp = NULL;
        uint32_t ns = td_sentences(a, body, &sp);
        if (a->failed)
            return TD_ENOMEM;
        uint32_t taken = 0;
        for (uint32_t i = 0; i < ns && taken < per_doc && n < max_c; i++) {
            td_str s = td_str_make(body.p + sp[i].off, sp[i].len);
            if (!td_summary_sentence_ok(s, docs[d].captions))
                continue;
            /* trim, keeping the span inside the body */
            td_str t = skip_dateline(td_str_trim(s));
            c[n] = (cand){ .doc = d, .off = (uint32_t)(t.p - body.p), .len = (uint32_t)t.len, .pos = i };
            td_status st = featurize(sz, a, &c[n], t);
            if (st != TD_OK)
                return st;
            if (c[n].nt < 3)
                continue;  /* nothing to compare it by */
            n++;
            taken++;
        }
    }
    if (n == 0)
        return TD_OK;

    /* idf over the candidate sentences, then L2-normalised tf-idf */
    td_map_clear(&sz->df);
    for (size_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < c[i].nt; k++) {
            uint64_t *v = td_map_upsert(&sz->df, c[i].th[k]);
            if (!v)
                return TD_ENOMEM;
            (*v)++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double norm = 0;
        for (uint32_t k = 0; k < c[i].nt; k++) {
            double df = (double)*td_map_get(&sz->df, c[i].th[k]);
            double w = (1.0 + log(c[i].tw[k])) * log(1.0 + (double)n / df);
            c[i].tw[k] = (float)w;
            norm += w * w;
        }
        norm = sqrt(norm);
        for (uint32_t k = 0; k < c[i].nt; k++)
            c[i].tw[k] = norm > 0 ? (float)(c[i].tw[k] / norm) : 0.0f;
    }

    /* the similarity graph */
    float *sim = td_arena_alloc(a, n * n * sizeof *sim);
    double *p = td_arena_alloc(a, n * sizeof *p), *q = td_arena_alloc(a, n * sizeof *q);
    double *row = td_arena_alloc(a, n * sizeof *row);
    if (!sim || !p || !q || !row)
        return TD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        sim[i * n + i] = 1.0f;
        for (size_t j = i + 1; j < n; j++)
            sim[i * n + j] = sim[j * n + i] = cosine(&c[i], &c[j]);
    }
    for (size_t i = 0; i < n; i++) {
        row[i] = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i && sim[i * n + j] >= EDGE_MIN)
                row[i] += sim[i * n + j];
        p[i] = 1.0 / (double)n;
    }
    /* LexRank: p = (1-d)/n + d * M^T p, isolated sentences spread evenly */
    for (int it = 0; it < ITERATIONS; it++) {
        double spread = 0;
        for (size_t i = 0; i < n; i++)
            if (row[i] <= 0)
                spread += p[i] / (double)n;
        for (size_t j = 0; j < n; j++)
            q[j] = (1.0 - DAMPING) / (double)n + DAMPING * spread;
        for (size_t i = 0; i < n; i++) {
            if (row[i] <= 0)
                continue;
            double share = DAMPING * p[i] / row[i];
            for (size_t j = 0; j < n; j++)
                if (j != i && sim[i * n + j] >= EDGE_MIN)
                    q[j] += share * sim[i * n + j];
        }
        memcpy(p, q, n * sizeof *p);
    }
    double maxc = 0, maxs = 0;
    for (size_t i = 0; i < n; i++)
        maxc = fmax(maxc, p[i]);
    for (size_t i = 0; i < n; i++) {
        double lead = fmax(0.0, 1.0 - 0.2 * c[i].pos);
        double early = n_docs > 1 ? 1.0 - (double)c[i].doc / (double)(n_docs - 1) : 1.0;
        c[i].cent = maxc > 0 ? p[i] / maxc : 0;
        c[i].score = c[i].cent * (1.0 + 0.3 * lead) * (1.0 + 0.2 * early);
        maxs = fmax(maxs, c[i].score);
    }
    for (size_t i = 0; i < n; i++)
        c[i].score = maxs > 0 ? c[i].score / maxs : 0;

    /* MMR */
    td_summary_sent *res = td_arena_calloc(a, max_s, sizeof *res);
    size_t *chosen = td_arena_alloc(a, max_s * sizeof *chosen);
    if (!res || !chosen)
        return TD_ENOMEM;
    size_t k = 0;
    /* The lead of the earliest report opens the summary: it is what the
     * story is (who, what, where, when) as first told, whatever its
     * centrality among later angles. c[0] is the earliest article's first
     * qualifying sentence (candidates come in document order). */
    if (c[0].doc == 0 && c[0].pos <= 2) {
        c[0].taken = true;
        chosen[k] = 0;
        res[k++] = (td_summary_sent){ .doc = c[0].doc, .article = docs[c[0].doc].article, .off = c[0].off,
                                      .len = c[0].len, .score = c[0].score };
    }
    while (k < max_s) {
        size_t best = n;
        double best_v = -1e9;
        for (size_t i = 0; i < n; i++) {
            if (c[i].taken)
                continue;
            double red = 0;
            for (size_t s = 0; s < k; s++)
                red = fmax(red, sim[i * n + chosen[s]]);
            if (red > MAX_REDUNDANCY)
                continue;
            double v = lambda * c[i].score - (1.0 - lambda) * red;
            if (v > best_v) {
                best_v = v;
                best = i;
            }
        }
        if (best == n)
            break;
        /* past the minimum, stop at sentences far less central than the best */
        if (k >= min_s && c[best].score < 0.25)
            break;
        c[best].taken = true;
        chosen[k] = best;
        res[k] = (td_summary_sent){ .doc = c[best].doc, .article = docs[c[best].doc].article,
                                    .off = c[best].off, .len = c[best].len, .score = c[best].score };
        k++;
    }
    qsort(res, k, sizeof *res, cmp_reading);
    *out = res;
    *n_out = k;
    return TD_OK;
}
