/*
 * text_int.h - helpers shared by the files of the text stage (not part of
 * its API): a coarse character class per code point and a decoder that tells
 * an invalid sequence apart from a real U+FFFD.
 *
 * Classes: ASCII is decided by ranges; everything else by the Unicode general
 * category from utf8proc, so letters of any script form words. The class is
 * what the tokenizer and the sentence splitter need, nothing finer.
 */
#ifndef TD_TEXT_INT_H
#define TD_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

enum {
    CC_SPACE = 0,  /* ASCII white space, Zs/Zl/Zp, controls */
    CC_UPPER,      /* Lu, Lt */
    CC_LOWER,      /* Ll */
    CC_LETTER,     /* Lm, Lo, Nl: letters without case */
    CC_MARK,       /* Mn, Mc, Me: continue the letter before */
    CC_DIGIT,      /* Nd */
    CC_PUNCT,      /* P* */
    CC_SYM,        /* S*, No, private use, unassigned */
    CC_FORMAT      /* Cf: ZWJ, ZWNJ, bidi marks */
};

/* CC_* class of each ASCII byte. */
#define SP CC_SPACE
#define UP CC_UPPER
#define LO CC_LOWER
#define DI CC_DIGIT
#define PU CC_PUNCT
#define SY CC_SYM
static const uint8_t td_text_ascii_class[128] = {
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP,
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP,
    SP, PU, PU, SY, SY, SY, SY, PU, PU, PU, SY, SY, PU, PU, PU, SY,
    DI, DI, DI, DI, DI, DI, DI, DI, DI, DI, PU, PU, SY, SY, SY, PU,
    SY, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP,
    UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, PU, SY, PU, SY, SY,
    SY, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO,
    LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, PU, SY, PU, SY, SP,
};
#undef SP
#undef UP
#undef LO
#undef DI
#undef PU
#undef SY

/* Returns the CC_* class of code point cp. */
static inline int td_text_class(uint32_t cp)
{
    if (cp < 0x80)
        return td_text_ascii_class[cp];
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
        return CC_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return CC_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
        return CC_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return CC_MARK;
    case UTF8PROC_CATEGORY_ND:
        return CC_DIGIT;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return CC_PUNCT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
        return CC_SPACE;
    case UTF8PROC_CATEGORY_CF:
        return CC_FORMAT;
    default:
        return CC_SYM;
    }
}

/* Decodes one code point of well-formed UTF-8 at s (len > 0 bytes left) into
 * *cp and returns its length; an invalid or truncated sequence yields the
 * length of its maximal valid prefix (>= 1, Unicode's "maximal subpart"
 * practice) and *cp = -1. */
static inline size_t td_text_decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;
    if (c < 0xC2 || c > 0xF4) {
        *cp = -1;
        return 1;
    } else if (c < 0xE0) {
        need = 1;
        v = c & 0x1F;
    } else if (c < 0xF0) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = -1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    *cp = (int32_t)v;
    return need + 1;
}

/* Code point at s (len > 0) for classification: invalid bytes read as U+FFFD. */
static inline uint32_t td_text_peek(const char *s, size_t len, size_t *adv)
{
    int32_t cp;
    *adv = td_text_decode((const unsigned char *)s, len, &cp);
    return cp < 0 ? 0xFFFDu : (uint32_t)cp;
}

#endif
