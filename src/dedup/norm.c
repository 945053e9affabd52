/*
 * norm.c - the normalised word-token stream of dedup.h: tokens are runs of
 * letters, digits and combining marks, lower-cased (utf8proc for non-ASCII),
 * with apostrophes inside a word dropped so that typographic and straight
 * quotes, which differ between copies of one wire story, give one token.
 *
 * Each token is folded into a small stack buffer and hashed with XXH3; a
 * token longer than the buffer is hashed in chunks chained through the seed,
 * so a body that is one long line without spaces costs one pass and no
 * allocation.
 */
#include "dedup/dedup.h"

#include <string.h>
#include <utf8proc.h>
/* Inlined from Debian's libxxhash-dev header: a token hash is a few ns. */
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { TOKBUF = 128 };

typedef struct tok_state {
    char buf[TOKBUF];
    size_t len;           /* bytes in buf */
    uint64_t chain;       /* hash of the chunks already flushed, 0 when none */
    bool open;            /* a token is being read */
} tok_state;

static void tok_flush_chunk(tok_state *t)
{
    t->chain = XXH3_64bits_withSeed(t->buf, t->len, t->chain);
    t->len = 0;
}

static inline void tok_byte(tok_state *t, char c)
{
    if (t->len == TOKBUF)
        tok_flush_chunk(t);
    t->buf[t->len++] = c;
    t->open = true;
}

static void tok_put(tok_state *t, const char *p, size_t len)
{
    if (t->len + len > TOKBUF)
        tok_flush_chunk(t);
    memcpy(t->buf + t->len, p, len);
    t->len += len;
    t->open = true;
}

/* Ends the token being read, if any; returns true and its hash in *h. */
static bool tok_end(tok_state *t, uint64_t *h)
{
    if (!t->open)
        return false;
    *h = XXH3_64bits_withSeed(t->buf, t->len, t->chain);
    t->len = 0;
    t->chain = 0;
    t->open = false;
    return true;
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x2032;
}

uint32_t td_dedup_tokens(td_str s, void (*fn)(void *ud, uint64_t h), void *ud)
{
    tok_state t = { .len = 0, .chain = 0, .open = false };
    uint32_t n = 0;
    uint64_t h;
    size_t i = 0;
    while (i < s.len) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80) { /* ASCII fast path */
            i++;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                tok_byte(&t, (char)c);
            } else if (c >= 'A' && c <= 'Z') {
                tok_byte(&t, (char)(c + 32));
            } else if (c == '\'' && t.open) {
                /* dropped inside a word */
            } else if (tok_end(&t, &h)) {
                fn(ud, h);
                n++;
            }
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t adv = utf8proc_iterate((const utf8proc_uint8_t *)s.p + i, (utf8proc_ssize_t)(s.len - i), &cp);
        if (adv <= 0) { /* invalid byte: a separator */
            i++;
            if (tok_end(&t, &h)) {
                fn(ud, h);
                n++;
            }
            continue;
        }
        i += (size_t)adv;
        utf8proc_category_t cat = utf8proc_category(cp);
        bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
        if (word) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t el = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            tok_put(&t, (const char *)enc, (size_t)el);
        } else if (is_apostrophe((uint32_t)cp) && t.open) {
            /* dropped inside a word */
        } else if (tok_end(&t, &h)) {
            fn(ud, h);
            n++;
        }
    }
    if (tok_end(&t, &h)) {
        fn(ud, h);
        n++;
    }
    return n;
}
