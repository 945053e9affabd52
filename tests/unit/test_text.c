/* test_text.c - the text stage: UTF-8 gate, punctuation unification and
 * folding, tokenizer, sentence splitter. All text is made up (fictional
 * places and people) in the style of wire copy. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "text/text.h"

static int setup(void **state)
{
    td_arena *a = malloc(sizeof *a);
    if (!a)
        return -1;
    td_arena_init(a, 4096);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    td_arena_free(*state);
    free(*state);
    return 0;
}

static td_str S(const char *z)
{
    return td_str_cstr(z);
}

/* ---- utf8 ---- */

static void sanitize_keeps_clean_ascii(void **state)
{
    td_arena *a = *state;
    const char *z = "Officials in Velmora said on Monday that 12 people were hurt.\n\tMore follows.";
    uint32_t bad = 99;
    td_str r = td_utf8_sanitize(a, S(z), &bad);
    assert_str_view(r, z);
    assert_int_equal(bad, 0);
    assert_ptr_not_equal(r.p, z); /* an arena copy */
    assert_int_equal(r.p[r.len], '\0');
    r = td_utf8_sanitize(a, (td_str){ NULL, 0 }, NULL);
    assert_non_null(r.p);
    assert_int_equal(r.len, 0);
}

static void sanitize_replaces_bad_bytes(void **state)
{
    td_arena *a = *state;
    uint32_t bad;
    td_str r = td_utf8_sanitize(a, S("Tarsen\xFF port"), &bad);
    assert_str_view(r, "Tarsen\xEF\xBF\xBD port");
    assert_int_equal(bad, 1);
    /* a truncated sequence is one maximal subpart: one replacement */
    r = td_utf8_sanitize(a, S("cost \xE2\x82 more"), &bad);
    assert_str_view(r, "cost \xEF\xBF\xBD more");
    assert_int_equal(bad, 1);
    r = td_utf8_sanitize(a, S("end \xF0\x9F\x98"), &bad);
    assert_str_view(r, "end \xEF\xBF\xBD");
    assert_int_equal(bad, 1);
    /* overlong '/' (C0 AF) and overlong 3-byte form: every byte is bad */
    r = td_utf8_sanitize(a, S("a\xC0\xAF" "b"), &bad);
    assert_str_view(r, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
    assert_int_equal(bad, 2);
    r = td_utf8_sanitize(a, S("\xE0\x80\xAF"), &bad);
    assert_int_equal(bad, 3);
    /* UTF-16 surrogate encoded in UTF-8, and a code point above U+10FFFF */
    r = td_utf8_sanitize(a, S("\xED\xA0\x80"), &bad);
    assert_int_equal(bad, 3);
    r = td_utf8_sanitize(a, S("\xF4\x90\x80\x80"), &bad);
    assert_int_equal(bad, 4);
    assert_true(td_utf8_valid(r));
    /* a real U+FFFD is not counted */
    r = td_utf8_sanitize(a, S("x\xEF\xBF\xBDy"), &bad);
    assert_str_view(r, "x\xEF\xBF\xBDy");
    assert_int_equal(bad, 0);
}

static void sanitize_fixes_lines_and_controls(void **state)
{
    td_arena *a = *state;
    uint32_t bad;
    td_str r = td_utf8_sanitize(a, td_str_make("one\r\ntwo\rthree\x00 four\x01\x7F\tfive", 27),
                                &bad);
    assert_str_view(r, "one\ntwo\nthree four\tfive");
    assert_int_equal(bad, 0);
    r = td_utf8_sanitize(a, S("page\x0C" "break\x0Bhere"), NULL);
    assert_str_view(r, "page\nbreak\nhere");
    /* C1 controls are read as cp1252: U+0092 is a right single quote */
    r = td_utf8_sanitize(a, S("Velmora\xC2\x92s mayor \xC2\x93won\xC2\x94 \xC2\x81"), NULL);
    assert_str_view(r, "Velmora\xE2\x80\x99s mayor \xE2\x80\x9Cwon\xE2\x80\x9D ");
    /* BOM, soft hyphen and zero-width space vanish; U+2029 is a blank line */
    r = td_utf8_sanitize(a, S("\xEF\xBB\xBFinter\xC2\xADnational\xE2\x80\x8B" "aid\xE2\x80\xA9Next"),
                         NULL);
    assert_str_view(r, "internationalaid\n\nNext");
}

static void sanitize_composes_nfc(void **state)
{
    td_arena *a = *state;
    uint32_t bad;
    /* u + combining diaeresis -> ü */
    td_str r = td_utf8_sanitize(a, S("Zu\xCC\x88rich and Zu\xCC\x88rich"), &bad);
    assert_str_view(r, "Z\xC3\xBCrich and Z\xC3\xBCrich");
    assert_int_equal(bad, 0);
    /* OHM SIGN is canonically Ω; precomposed text stays as it is */
    r = td_utf8_sanitize(a, S("5 \xE2\x84\xA6 in S\xC3\xA3o Tom\xC3\xA9"), NULL);
    assert_str_view(r, "5 \xCE\xA9 in S\xC3\xA3o Tom\xC3\xA9");
    /* Hangul jamo compose into a syllable (U+1112 U+1161 -> U+D558) */
    r = td_utf8_sanitize(a, S("\xE1\x84\x92\xE1\x85\xA1"), NULL);
    assert_str_view(r, "\xED\x95\x98");
    /* NFC after a rewrite: CR and a decomposed é in one text */
    r = td_utf8_sanitize(a, S("caf" "e\xCC\x81\r\n\xFF"), &bad);
    assert_str_view(r, "caf\xC3\xA9\n\xEF\xBF\xBD");
    assert_int_equal(bad, 1);
    /* curly quotes and dashes are NFC already and stay */
    r = td_utf8_sanitize(a, S("\xE2\x80\x9CYes\xE2\x80\x9D \xE2\x80\x94 no"), NULL);
    assert_str_view(r, "\xE2\x80\x9CYes\xE2\x80\x9D \xE2\x80\x94 no");
}

static void sanitize_reports_oom(void **state)
{
    (void)state;
    td_arena a;
    td_arena_init(&a, 256);
    td_alloc_fail_after(0);
    td_str r = td_utf8_sanitize(&a, S("Storm in Tarsen"), NULL);
    td_alloc_fail_after(-1);
    assert_null(r.p);
    assert_true(a.failed);
    td_arena_free(&a);
}

static void utf8_valid_and_next(void **state)
{
    (void)state;
    assert_true(td_utf8_valid(S("plain ASCII text, long enough for words")));
    assert_true(td_utf8_valid(S("Z\xC3\xBCrich \xE2\x80\x94 \xF0\x9F\x8C\x8D")));
    assert_true(td_utf8_valid((td_str){ NULL, 0 }));
    assert_false(td_utf8_valid(S("bad \xC0\xAF")));
    assert_false(td_utf8_valid(S("surrogate \xED\xA0\x80")));
    assert_false(td_utf8_valid(S("cut \xE2\x80")));
    assert_false(td_utf8_valid(S("lone \x80 continuation in a longer line")));
    size_t adv;
    assert_int_equal(td_utf8_next("A", 1, &adv), 'A');
    assert_int_equal(adv, 1);
    assert_int_equal(td_utf8_next("\xC3\xBC", 2, &adv), 0xFC);
    assert_int_equal(adv, 2);
    assert_int_equal(td_utf8_next("\xE2\x80\x94", 3, &adv), 0x2014);
    assert_int_equal(adv, 3);
    assert_int_equal(td_utf8_next("\xF0\x9F\x8C\x8D", 4, &adv), 0x1F30D);
    assert_int_equal(adv, 4);
    assert_int_equal(td_utf8_next("\xE2\x80\x94", 2, &adv), 0xFFFD); /* truncated */
    assert_int_equal(adv, 2);
    assert_int_equal(td_utf8_next("\xC1\xBF", 2, &adv), 0xFFFD); /* overlong */
    assert_int_equal(adv, 1);
    assert_int_equal(td_utf8_next("\xFF", 1, &adv), 0xFFFD);
    assert_int_equal(adv, 1);
}

/* ---- normalize ---- */

static void unify_punct_to_ascii(void **state)
{
    td_arena *a = *state;
    td_str r = td_text_unify_punct(
        a, S("\xE2\x80\x9CWe stay,\xE2\x80\x9D said O\xE2\x80\x99Hara \xE2\x80\x94 "
             "\xC2\xAB" "calm\xC2\xBB\xC2\xA0" "and \xE2\x80\x98ready\xE2\x80\x99\xE2\x80\xA6 "
             "1990\xE2\x80\x93" "95, \xE2\x88\x92" "3\xE2\x80\xAF" "km"));
    assert_str_view(r, "\"We stay,\" said O'Hara - \"calm\" and 'ready'... 1990-95, -3 km");
    /* other non-ASCII text passes untouched */
    r = td_text_unify_punct(a, S("Z\xC3\xBCrich \xE2\x82\xAC" "5"));
    assert_str_view(r, "Z\xC3\xBCrich \xE2\x82\xAC" "5");
}

static void fold_for_matching(void **state)
{
    td_arena *a = *state;
    td_str z1 = td_text_fold(a, S("Z\xC3\xBCrich"));
    td_str z2 = td_text_fold(a, S("ZURICH"));
    td_str z3 = td_text_fold(a, S("Zu\xCC\x88rich")); /* decomposed input */
    assert_str_view(z1, "zurich");
    assert_true(td_str_eq(z1, z2));
    assert_true(td_str_eq(z1, z3));
    assert_str_view(td_text_fold(a, S("S\xC3\xA3o Tom\xC3\xA9 STRA\xC3\x9F" "E")), "sao tome strasse");
    assert_str_view(td_text_fold(a, S("\xEF\xAC\x81nance O\xE2\x80\x99Hara")), "finance o'hara");
    assert_str_view(td_text_fold(a, S("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1")),
                    "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1"); /* Αθήνα -> αθηνα */
    assert_str_view(td_text_fold(a, S("")), "");
}

/* ---- tokenizer ---- */

typedef struct want_tok {
    const char *text;
    uint16_t type;
    uint16_t flags;
} want_tok;

/* Tokenizes z and checks each token's text, type and flags against w. */
static void check_tokens(td_arena *a, const char *z, const want_tok *w, size_t n)
{
    td_token *t;
    uint32_t k = td_tokenize(a, S(z), &t);
    for (uint32_t i = 0; i < k && i < n; i++) {
        td_str got = td_str_make(z + t[i].off, t[i].len);
        if (!td_str_eq(got, S(w[i].text)) || t[i].type != w[i].type || t[i].flags != w[i].flags)
            fail_msg("token %u: want \"%s\" %u/%u, got \"%.*s\" %u/%u", i, w[i].text,
                     w[i].type, w[i].flags, (int)got.len, got.p, t[i].type, t[i].flags);
    }
    assert_int_equal(k, n);
}

enum { W = TD_TOK_WORD, N = TD_TOK_NUM, P = TD_TOK_PUNCT, Y = TD_TOK_SYM };
enum { C = TD_TOKF_CAP, A = TD_TOKF_ALLCAPS, B = TD_TOKF_SPACE_BEFORE };

static void tokenize_words(void **state)
{
    const want_tok w[] = {
        { "O'Neill", W, C }, { "and", W, B }, { "al-Abadi", W, B }, { "met", W, B },
        { "U.S.", W, B | C | A }, { "envoys", W, B }, { "by", W, B }, { "e-mail", W, B },
        { ",", P, 0 }, { "U.S.-backed", W, B | C }, { "NATO", W, B | C | A },
        { "F-16", W, B | C }, { "G7", W, B | C }, { "don\xE2\x80\x99t", W, B },
        { "AT&T", W, B | C | A }, { "(", P, B }, { "Z\xC3\xBCrich", W, C }, { ")", P, 0 },
        { "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", W, B | C },
        { "\xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF", W, B }, { "workers", W, B },
        { "'", P, 0 }, { "a.m.", W, B }, { ".", P, 0 },
    };
    check_tokens(*state,
                 "O'Neill and al-Abadi met U.S. envoys by e-mail, U.S.-backed NATO F-16 G7 "
                 "don\xE2\x80\x99t AT&T (Z\xC3\xBCrich) \xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 "
                 "\xD8\xA8\xD8\xBA\xD8\xAF\xD8\xA7\xD8\xAF workers' a.m..",
                 w, sizeof w / sizeof *w);
}

static void tokenize_numbers(void **state)
{
    const want_tok w[] = {
        { "2,000", N, 0 }, { "troops", W, B }, { ",", P, 0 }, { "3.5", N, B }, { "million", W, B },
        { ",", P, 0 }, { "1990s", N, B }, { ",", P, 0 }, { "24th", N, B }, { ",", P, 0 },
        { "10:30", N, B }, { ",", P, 0 }, { "1,234.5", N, B }, { "45", N, B }, { "%", Y, 0 },
        { "$", Y, B }, { "12", N, 0 }, { "10", N, B }, { "km", W, 0 }, { "3rd", N, B },
        { "2025", N, B }, { "-", P, 0 }, { "02", N, 0 }, { "1", N, B }, { ",", P, 0 },
        { "5", N, 0 }, { ",", P, 0 }, { "6", N, 0 },
    };
    /* "1,5": a comma followed by one digit is not a thousands group */
    check_tokens(*state,
                 "2,000 troops, 3.5 million, 1990s, 24th, 10:30, 1,234.5 45% $12 10km 3rd "
                 "2025-02 1,5,6",
                 w, sizeof w / sizeof *w);
}

static void tokenize_punct_and_symbols(void **state)
{
    const want_tok w[] = {
        { "\"", P, 0 }, { "Wait", W, C }, { "...", P, 0 }, { "\"", P, 0 }, { "--", P, B },
        { "see", W, B }, { "https://news.example.org/a?b=1", Y, B }, { "or", W, B },
        { "desk@velmora-post.example", Y, B }, { ".", P, 0 },
        { "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", Y, B }, { "\xE2\x80\x94", P, B }, { "#", Y, B },
        { "&", Y, B }, { "/", Y, B }, { "?", P, 0 },
    };
    check_tokens(*state,
                 "\"Wait...\" -- see https://news.example.org/a?b=1 or "
                 "desk@velmora-post.example. \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xE2\x80\x94 # & /?",
                 w, sizeof w / sizeof *w);
}

static void tokenize_offsets_and_growth(void **state)
{
    td_arena *a = *state;
    td_token *t;
    assert_int_equal(td_tokenize(a, S(""), &t), 0);
    assert_int_equal(td_tokenize(a, S("  \n\t "), &t), 0);
    /* one token per byte: far more than the initial guess, so the array grows */
    static char many[5000];
    memset(many, ',', sizeof many);
    uint32_t k = td_tokenize(a, td_str_make(many, sizeof many), &t);
    assert_int_equal(k, sizeof many);
    for (uint32_t i = 0; i < k; i++) {
        assert_int_equal(t[i].off, i);
        assert_int_equal(t[i].len, 1);
    }
    /* offsets cover the text: tokens plus white space rebuild it */
    const char *z = "Ms. Lind, 54, told the Tarsen Herald: \"We left at 6:15.\"";
    k = td_tokenize(a, S(z), &t);
    size_t pos = 0;
    for (uint32_t i = 0; i < k; i++) {
        bool sp = false;
        while (pos < t[i].off) {
            assert_int_equal(z[pos], ' ');
            pos++;
            sp = true;
        }
        assert_int_equal(!!(t[i].flags & TD_TOKF_SPACE_BEFORE), sp);
        pos += t[i].len;
    }
    assert_int_equal(pos, strlen(z));
}

/* ---- sentences ---- */

/* Splits z and checks the sentences against the NULL-terminated list. */
static void check_sents(td_arena *a, const char *z, const char *const *want)
{
    td_span *sp;
    uint32_t k = td_sentences(a, S(z), &sp);
    uint32_t n = 0;
    while (want[n])
        n++;
    for (uint32_t i = 0; i < k && i < n; i++) {
        td_str got = td_str_make(z + sp[i].off, sp[i].len);
        if (!td_str_eq(got, S(want[i])))
            fail_msg("sentence %u of \"%s\": want <%s>, got <%.*s>", i, z, want[i],
                     (int)got.len, got.p);
    }
    if (k != n) {
        for (uint32_t i = 0; i < k; i++)
            fprintf(stderr, "  <%.*s>\n", (int)sp[i].len, z + sp[i].off);
        fail_msg("\"%s\": want %u sentences, got %u", z, n, k);
    }
}

#define SENTS(z, ...) check_sents(*state, z, (const char *const[]){ __VA_ARGS__, NULL })

static void sentences_basic(void **state)
{
    td_arena *a = *state;
    td_span *sp;
    assert_int_equal(td_sentences(a, S(""), &sp), 0);
    assert_int_equal(td_sentences(a, S(" \n\n "), &sp), 0);
    SENTS("  Floods hit Tarsen. Roads closed!  Who pays? Nobody knows  ",
          "Floods hit Tarsen.", "Roads closed!", "Who pays?", "Nobody knows");
    SENTS("It grew 3.5 million tonnes, up 2.1% on 2024. Prices fell.",
          "It grew 3.5 million tonnes, up 2.1% on 2024.", "Prices fell.");
    SENTS("Is it over?! Not yet.", "Is it over?!", "Not yet.");
    /* a lower-case word after a period: an abbreviation we do not know */
    SENTS("The dam holds approx. four billion litres. It is old.",
          "The dam holds approx. four billion litres.", "It is old.");
}

static void sentences_titles(void **state)
{
    static const char *const titles[] = {
        "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Brig", "Maj", "Capt", "Sgt",
        "Gov", "Sen", "Rep", "Rev", "St", "Prof", NULL
    };
    char buf[128], first[96];
    for (const char *const *t = titles; *t; t++) {
        snprintf(buf, sizeof buf, "Later %s. Halvorsen arrived in Velmora. He spoke briefly.", *t);
        snprintf(first, sizeof first, "Later %s. Halvorsen arrived in Velmora.", *t);
        SENTS(buf, first, "He spoke briefly.");
    }
    SENTS("Lt. Gen. Omar Vance and Brig. Gen. Ada Roe met Maj. Teo. They agreed.",
          "Lt. Gen. Omar Vance and Brig. Gen. Ada Roe met Maj. Teo.", "They agreed.");
}

static void sentences_months_and_numbers(void **state)
{
    static const char *const months[] = {
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", NULL
    };
    char buf[128], first[96];
    for (const char *const *m = months; *m; m++) {
        snprintf(buf, sizeof buf, "The vote is on %s. 24, 2025, in Tarsen. It may slip.", *m);
        snprintf(first, sizeof first, "The vote is on %s. 24, 2025, in Tarsen.", *m);
        SENTS(buf, first, "It may slip.");
    }
    SENTS("They met at No. 10 on Feb. 24, 2025. Talks failed.",
          "They met at No. 10 on Feb. 24, 2025.", "Talks failed.");
    SENTS("Asked if he would stay, he said no. Then he left.",
          "Asked if he would stay, he said no.", "Then he left.");
    SENTS("The plan was set for Sept. The council balked.",
          "The plan was set for Sept.", "The council balked.");
}

static void sentences_companies_and_places(void **state)
{
    SENTS("Orlen Co. and Vasto Corp. said Tuesday they would merge. Shares rose.",
          "Orlen Co. and Vasto Corp. said Tuesday they would merge.", "Shares rose.");
    SENTS("He joined Halden Ltd. The firm makes pumps.", "He joined Halden Ltd.",
          "The firm makes pumps.");
    SENTS("Bram Kessel Jr. said he would run. He is 41.", "Bram Kessel Jr. said he would run.",
          "He is 41.");
    SENTS("The U.S. Army and the U.N. Security Council met. So did E.U. envoys.",
          "The U.S. Army and the U.N. Security Council met.", "So did E.U. envoys.");
    SENTS("She moved to the U.K. In 2019 she returned.", "She moved to the U.K.",
          "In 2019 she returned.");
    SENTS("He flew back to the U.S. He declined to comment.", "He flew back to the U.S.",
          "He declined to comment.");
    SENTS("The blast came at 10 a.m. Monday near the port. The fire burned until 9 p.m. "
          "The port reopened.",
          "The blast came at 10 a.m. Monday near the port.", "The fire burned until 9 p.m.",
          "The port reopened.");
    SENTS("The report by J. R. Holloway and Anna K. Berg was read, e.g. in Tarsen. It was long.",
          "The report by J. R. Holloway and Anna K. Berg was read, e.g. in Tarsen.",
          "It was long.");
}

static void sentences_ellipses(void **state)
{
    SENTS("He paused... and went on. Then... Silence.", "He paused... and went on.",
          "Then...", "Silence.");
    SENTS("We waited\xE2\x80\xA6 Nobody came.", "We waited\xE2\x80\xA6", "Nobody came.");
}

static void sentences_quotes(void **state)
{
    SENTS("\"We will not retreat. We will win,\" he said. The crowd cheered.",
          "\"We will not retreat. We will win,\" he said.", "The crowd cheered.");
    SENTS("\xE2\x80\x9CWe will not retreat. We will win,\xE2\x80\x9D Vance said.",
          "\xE2\x80\x9CWe will not retreat. We will win,\xE2\x80\x9D Vance said.");
    SENTS("\"Why now? Why here?\" Mara Lind asked. Nobody answered.",
          "\"Why now? Why here?\" Mara Lind asked.", "Nobody answered.");
    SENTS("\"Stop! Go back!\" shouted a guard.", "\"Stop! Go back!\" shouted a guard.");
    /* the quote ends the sentence: inner sentences split, the closing quote
     * belongs to the last one */
    SENTS("She said: \"We are safe. We will rebuild.\" Then she left.",
          "She said: \"We are safe.", "We will rebuild.\"", "Then she left.");
    SENTS("He called it (a \"setback.\") Talks resume Friday.",
          "He called it (a \"setback.\")", "Talks resume Friday.");
    /* a quote without a closing mark in its paragraph splits as usual */
    SENTS("\"We stay. We fight.\n\n\"We will not leave,\" he said.", "\"We stay.", "We fight.",
          "\"We will not leave,\" he said.");
}

static void sentences_lines_and_paragraphs(void **state)
{
    SENTS("Storm hits Tarsen coast\nHeavy rain fell on Monday. Roads flooded.\n\nMore soon",
          "Storm hits Tarsen coast", "Heavy rain fell on Monday.", "Roads flooded.",
          "More soon");
    /* hard-wrapped prose continues in lower case, or after "the" */
    SENTS("The minister said the\nreport was late. It was\nnot the first time.",
          "The minister said the\nreport was late.", "It was\nnot the first time.");
    SENTS("Crews worked through the\n\nNight in Velmora.", "Crews worked through the\n\nNight in Velmora.");
    /* a paragraph break after a sentence end always splits */
    SENTS("It rained.\n\nthen it stopped", "It rained.", "then it stopped");
    SENTS("No stop here\n\nor here", "No stop here\n\nor here");
    SENTS("Dateline Tarsen\r\n\r\nA quake struck.", "Dateline Tarsen", "A quake struck.");
    /* CJK full stops need no space */
    SENTS("\xE9\x9B\xA8\xE3\x81\x8C\xE9\x99\x8D\xE3\x81\xA3\xE3\x81\x9F\xE3\x80\x82"
          "\xE9\xA2\xA8\xE3\x82\x82\xE5\xBC\xB7\xE3\x81\x84\xE3\x80\x82",
          "\xE9\x9B\xA8\xE3\x81\x8C\xE9\x99\x8D\xE3\x81\xA3\xE3\x81\x9F\xE3\x80\x82",
          "\xE9\xA2\xA8\xE3\x82\x82\xE5\xBC\xB7\xE3\x81\x84\xE3\x80\x82");
}

static void sentences_many_and_oom(void **state)
{
    td_arena *a = *state;
    /* more sentences than the first guess: the array grows */
    static char buf[4000];
    size_t len = 0;
    for (int i = 0; len + 8 < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "Go %d. ", i % 10);
    td_span *sp;
    uint32_t k = td_sentences(a, td_str_make(buf, len), &sp);
    assert_int_equal(k, len / 6);
    for (uint32_t i = 0; i < k; i++) {
        assert_int_equal(sp[i].off, i * 6);
        assert_int_equal(sp[i].len, 5);
    }
    td_arena b;
    td_arena_init(&b, 256);
    td_alloc_fail_after(0);
    k = td_sentences(&b, S("One. Two."), &sp);
    td_alloc_fail_after(-1);
    assert_int_equal(k, 0);
    assert_true(b.failed);
    td_arena_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sanitize_keeps_clean_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(sanitize_replaces_bad_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(sanitize_fixes_lines_and_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(sanitize_composes_nfc, setup, teardown),
        cmocka_unit_test(sanitize_reports_oom),
        cmocka_unit_test(utf8_valid_and_next),
        cmocka_unit_test_setup_teardown(unify_punct_to_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(fold_for_matching, setup, teardown),
        cmocka_unit_test_setup_teardown(tokenize_words, setup, teardown),
        cmocka_unit_test_setup_teardown(tokenize_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(tokenize_punct_and_symbols, setup, teardown),
        cmocka_unit_test_setup_teardown(tokenize_offsets_and_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_titles, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_months_and_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_companies_and_places, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_ellipses, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_lines_and_paragraphs, setup, teardown),
        cmocka_unit_test_setup_teardown(sentences_many_and_oom, setup, teardown),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
