/*
 * features.c - the raw terms of an article for story clustering.
 *
 * Words are runs of letters (Unicode aware, apostrophes inside dropped),
 * lower-cased; words with digits, one-letter words and stopwords (function
 * words, weekdays, months, attribution verbs that every report shares) are
 * skipped. Each word gives its Snowball English stem as a term. A word that
 * starts with a capital letter and does not open a sentence also gives a
 * name term (the unstemmed word in another hash space), weighted by
 * name_weight: places and people are what keep a strike in one country apart
 * from a strike elsewhere. Title words count title_weight times (no name
 * terms: headlines are often in title case).
 *
 * Bounds: only the first MAX_BODY_WORDS words of the body are read (news puts
 * what matters first; a pathological text costs no more); at most
 * TD_STORY_MAX_TERMS - 256 distinct terms are kept (the rest of the output
 * array is room for the caller's feature ids).
 */
#include "story/story.h"
#include "base/alloc.h"
#include "base/map.h"

#include <libstemmer.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

enum { SCRATCH = 4096, MAX_BODY_WORDS = 800, MAX_WORD = 64 };

static const uint64_t NAME_SALT = 0x6e616d6500000000ULL; /* "name" */

struct td_story_feat {
    struct sb_stemmer *stem;
    td_map stop;                     /* xxh3(word) -> 1 */
    td_story_term tab[SCRATCH];      /* open addressing on id; tf 0 = empty */
    uint32_t used[SCRATCH / 2];      /* slots in use, in insertion order */
    uint32_t n_used;
    td_story_term out[TD_STORY_MAX_TERMS];
};

/* Our own list: English function words, calendar words and the verbs of
 * attribution found in any report, which say nothing about the story. */
static const char *const STOPWORDS[] = {
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "also", "although", "am",
    "among", "an", "and", "another", "any", "are", "around", "as", "at", "back", "be", "became", "because",
    "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself",
    "his", "how", "however", "i", "if", "in", "including", "into", "is", "it", "its", "itself", "just",
    "last", "least", "less", "like", "many", "may", "me", "might", "more", "most", "much", "must", "my",
    "near", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or",
    "other", "others", "our", "ours", "out", "over", "own", "per", "perhaps", "same", "she", "should",
    "since", "so", "some", "still", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "toward",
    "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
    "you", "your", "yours", "mr", "mrs", "ms", "dr", "st", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "first", "second", "third", "new", "year", "years", "day", "days", "week",
    "weeks", "month", "months", "time", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "said", "says", "say", "saying", "told", "tell", "according",
    "added", "asked", "reported", "report", "reports", "news", "statement", "spokesman", "spokeswoman",
    "official", "officials", "people", "made", "make", "get", "got", "go", "going", "went", "take", "took",
    "came", "come", "well", "told", "later", "earlier", "early", "late", "next", "several", "part", "way",
    "copyright", "reserved", "rights", "photo", "image", "video", "read", "click", "share", "email",
};

td_story_feat *td_story_feat_new(void)
{
    td_story_feat *f = td_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->stem = sb_stemmer_new("english", NULL);
    if (!f->stem) {
        td_free(f);
        return NULL;
    }
    for (size_t i = 0; i < sizeof STOPWORDS / sizeof STOPWORDS[0]; i++) {
        uint64_t *v = td_map_upsert(&f->stop, XXH3_64bits(STOPWORDS[i], strlen(STOPWORDS[i])));
        if (!v) {
            td_story_feat_free(f);
            return NULL;
        }
        *v = 1;
    }
    return f;
}

void td_story_feat_free(td_story_feat *f)
{
    if (!f)
        return;
    if (f->stem)
        sb_stemmer_delete(f->stem);
    td_map_free(&f->stop);
    td_free(f);
}

static void add_term(td_story_feat *f, uint64_t id, float w)
{
    if (id < 2)
        id += 2; /* 0 marks nothing, but keep the name bit */
    uint32_t i = (uint32_t)(id ^ (id >> 29)) & (SCRATCH - 1);
    while (f->tab[i].tf > 0 && f->tab[i].id != id)
        i = (i + 1) & (SCRATCH - 1);
    if (f->tab[i].tf > 0) {
        f->tab[i].tf += w;
        return;
    }
    if (f->n_used >= TD_STORY_MAX_TERMS - 256)
        return; /* table at its bound: drop further new terms */
    f->tab[i] = (td_story_term){ id, w };
    f->used[f->n_used++] = i;
}

/* Handles one word (lower-cased in w, wl bytes). */
static void word(td_story_feat *f, const char *w, size_t wl, bool cap, bool sent_start, bool digit, float weight,
                 float name_weight, bool names)
{
    if (digit || wl < 2)
        return;
    uint64_t h = XXH3_64bits(w, wl);
    if (td_map_get(&f->stop, h))
        return;
    const sb_symbol *st = sb_stemmer_stem(f->stem, (const sb_symbol *)w, (int)wl);
    if (st) {
        int sl = sb_stemmer_length(f->stem);
        add_term(f, XXH3_64bits(st, (size_t)sl) & ~(uint64_t)TD_STORY_NAME_BIT, weight);
    }
    if (names && cap && !sent_start)
        add_term(f, (h ^ NAME_SALT) | TD_STORY_NAME_BIT, name_weight);
}

/* Reads the words of s; returns the number read (at most max_words). */
static uint32_t scan(td_story_feat *f, td_str s, uint32_t max_words, float weight, float name_weight, bool names)
{
    char w[MAX_WORD + 4];
    size_t wl = 0;
    bool in = false, cap = false, digit = false, sent_start = true;
    uint32_t n = 0;
    size_t i = 0;
    while (i <= s.len && n < max_words) {
        int32_t cp = ' ';
        size_t adv = 1;
        if (i < s.len) {
            unsigned char c = (unsigned char)s.p[i];
            if (c < 0x80) {
                cp = c;
            } else {
                utf8proc_int32_t u;
                utf8proc_ssize_t a = utf8proc_iterate((const utf8proc_uint8_t *)s.p + i, (utf8proc_ssize_t)(s.len - i), &u);
                if (a > 0) {
                    cp = u;
                    adv = (size_t)a;
                }
            }
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
        bool num = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
        bool apos = cp == '\'' || cp == 0x2019;
        if (letter || num) {
            if (!in) {
                in = true;
                wl = 0;
                cap = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
                digit = false;
            }
            digit |= num;
            if (wl + 4 <= MAX_WORD) {
                utf8proc_ssize_t el = utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)w + wl);
                wl += (size_t)el;
            }
        } else if (apos && in) {
            /* "Yemen's" -> "yemens" -> stem "yemen" */
        } else {
            if (in) {
                /* drop a possessive s left by a dropped apostrophe */
                if (i > 1 && wl > 2 && w[wl - 1] == 's' && (s.p[i - 2] == '\'' || (i > 3 && (unsigned char)s.p[i - 2] == 0x99)))
                    wl--;
                word(f, w, wl, cap, sent_start, digit, weight, name_weight, names);
                n++;
                in = false;
                sent_start = false;
            }
            if (cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == ':' || cp == '"' || cp == 0x201C)
                sent_start = true;
        }
        i += adv;
    }
    return n;
}

uint32_t td_story_feat_extract(td_story_feat *f, td_str title, td_str body, float title_weight, float name_weight,
                               td_story_term **out)
{
    for (uint32_t i = 0; i < f->n_used; i++)
        f->tab[f->used[i]].tf = 0;
    f->n_used = 0;
    scan(f, title, 64, title_weight, 0, false);
    scan(f, body, MAX_BODY_WORDS, 1.0f, name_weight, true);
    for (uint32_t i = 0; i < f->n_used; i++)
        f->out[i] = f->tab[f->used[i]];
    *out = f->out;
    return f->n_used;
}
