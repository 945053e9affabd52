/*
 * cues.c - compiled-in boilerplate cues for the text cleaner (see clean_int.h).
 *
 * Four tables, each scanned linearly (a length test rejects most entries
 * before any memcmp, so a line costs a few hundred byte compares):
 *   exact_core  - the whole line, reduced to letters, is a known label
 *                 ("Share", "Comments (12)", "Skip to main content");
 *   prefix_low  - a short line starts with a known phrase ("Sign up for ...");
 *   contains_low- a short line contains a phrase ("all rights reserved");
 *   caption cues- photo captions and credits, kept apart from the body.
 * Every phrase is general knowledge of news web pages in English.
 */
#include "clean/clean_int.h"

#include <string.h>

/* ---- normalised forms ---- */

static inline bool is_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static inline bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_space(unsigned char c) { return c == ' ' || c == '\t'; }

void td_cue_line_init(td_cue_line *l, td_str raw)
{
    l->raw = raw;
    l->low_len = 0;
    l->core_len = 0;
    l->words = 0;
    bool in_word = false, sp = false;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.p[i];
        bool ws = is_space(c) || (c == 0xC2 && i + 1 < raw.len && (unsigned char)raw.p[i + 1] == 0xA0);
        if (!ws && !in_word)
            l->words++;
        in_word = !ws;
        if (l->low_len < TD_CLEAN_NORM_MAX - 1) {
            if (ws) {
                if (l->low_len && l->low[l->low_len - 1] != ' ')
                    l->low[l->low_len++] = ' ';
            } else {
                l->low[l->low_len++] = (char)(is_upper(c) ? c + 32 : c);
            }
        }
        if (l->core_len < TD_CLEAN_NORM_MAX - 2) {
            if (is_alpha(c)) {
                /* a lower->upper step inside a word marks two glued labels */
                if (is_upper(c) && i > 0 && is_lower((unsigned char)raw.p[i - 1]))
                    sp = true;
                if (sp && l->core_len)
                    l->core[l->core_len++] = ' ';
                sp = false;
                l->core[l->core_len++] = (char)(is_upper(c) ? c + 32 : c);
            } else if (c == '\'' || (c == 0xE2 && i + 2 < raw.len && (unsigned char)raw.p[i + 1] == 0x80 &&
                                     (unsigned char)raw.p[i + 2] == 0x99)) {
                /* apostrophes vanish: "editor's" -> "editors" */
                if (c == 0xE2)
                    i += 2;
            } else if (c < 0x80 || c >= 0xC0) {
                sp = true;
            }
        }
    }
    while (l->low_len && l->low[l->low_len - 1] == ' ')
        l->low_len--;
    l->low[l->low_len] = '\0';
    l->core[l->core_len] = '\0';
}

/* ---- tables ---- */

typedef struct cue {
    const char *s;
    unsigned char kind;
    unsigned char flags;
    unsigned char max_words; /* prefix/contains: only lines this short; 0 = 14 */
    const char *why;
} cue;

#define K(k) ((unsigned char)TD_LINE_##k)

/* Whole-line labels, in core form (letters and single spaces). */
static const cue exact_core[] = {
    /* navigation */
    { "skip to main content", K(NAV), 0, 0, "cue: skip link" },
    { "skip to content", K(NAV), 0, 0, "cue: skip link" },
    { "skip to navigation", K(NAV), 0, 0, "cue: skip link" },
    { "skip navigation", K(NAV), 0, 0, "cue: skip link" },
    { "jump to content", K(NAV), 0, 0, "cue: skip link" },
    { "toggle navigation", K(NAV), 0, 0, "cue: menu" },
    { "main menu", K(NAV), 0, 0, "cue: menu" },
    { "menu", K(NAV), 0, 0, "cue: menu" },
    { "navigation", K(NAV), 0, 0, "cue: menu" },
    { "search", K(NAV), 0, 0, "cue: menu" },
    { "home", K(NAV), 0, 0, "cue: menu" },
    { "close", K(NAV), 0, 0, "cue: menu" },
    { "sections", K(NAV), 0, 0, "cue: menu" },
    { "you are here", K(NAV), 0, 0, "cue: breadcrumb" },
    { "back to top", K(NAV), 0, 0, "cue: menu" },
    { "back to main page", K(NAV), 0, 0, "cue: menu" },
    { "back to home", K(NAV), 0, 0, "cue: menu" },
    { "next", K(NAV), 0, 0, "cue: pager" },
    { "previous", K(NAV), 0, 0, "cue: pager" },
    { "next article", K(NAV), 0, 0, "cue: pager" },
    { "previous article", K(NAV), 0, 0, "cue: pager" },
    { "next story", K(NAV), 0, 0, "cue: pager" },
    { "previous story", K(NAV), 0, 0, "cue: pager" },
    { "log in", K(NAV), 0, 0, "cue: account" },
    { "login", K(NAV), 0, 0, "cue: account" },
    { "sign in", K(NAV), 0, 0, "cue: account" },
    { "log out", K(NAV), 0, 0, "cue: account" },
    { "register", K(NAV), 0, 0, "cue: account" },
    { "my account", K(NAV), 0, 0, "cue: account" },
    { "top stories", K(NAV), 0, 0, "cue: section label" },
    { "top news", K(NAV), 0, 0, "cue: section label" },
    { "latest news", K(NAV), 0, 0, "cue: section label" },
    { "latest", K(NAV), 0, 0, "cue: section label" },
    { "breaking news", K(NAV), 0, 0, "cue: section label" },
    { "news", K(NAV), 0, 0, "cue: section label" },
    { "world", K(NAV), 0, 0, "cue: section label" },
    { "world news", K(NAV), 0, 0, "cue: section label" },
    { "international", K(NAV), 0, 0, "cue: section label" },
    { "politics", K(NAV), 0, 0, "cue: section label" },
    { "business", K(NAV), 0, 0, "cue: section label" },
    { "sport", K(NAV), 0, 0, "cue: section label" },
    { "sports", K(NAV), 0, 0, "cue: section label" },
    { "opinion", K(NAV), 0, 0, "cue: section label" },
    { "video", K(NAV), 0, 0, "cue: media label" },
    { "videos", K(NAV), 0, 0, "cue: media label" },
    { "photos", K(NAV), 0, 0, "cue: media label" },
    { "photo", K(NAV), 0, 0, "cue: media label" },
    { "gallery", K(NAV), 0, 0, "cue: media label" },
    { "photo gallery", K(NAV), 0, 0, "cue: media label" },
    { "see gallery", K(NAV), 0, 0, "cue: media label" },
    { "view gallery", K(NAV), 0, 0, "cue: media label" },
    { "play", K(NAV), 0, 0, "cue: media label" },
    { "play video", K(NAV), 0, 0, "cue: media label" },
    { "watch", K(NAV), 0, 0, "cue: media label" },
    { "listen", K(NAV), 0, 0, "cue: media label" },
    { "live", K(NAV), 0, 0, "cue: media label" },
    { "loading", K(NAV), 0, 0, "cue: widget" },
    { "show more", K(NAV), 0, 0, "cue: widget" },
    { "load more", K(NAV), 0, 0, "cue: widget" },
    { "more", K(NAV), 0, 0, "cue: widget" },
    { "expand", K(NAV), 0, 0, "cue: widget" },
    { "categories", K(NAV), 0, 0, "cue: taxonomy" },
    { "archives", K(NAV), 0, 0, "cue: taxonomy" },
    { "featured", K(NAV), 0, 0, "cue: section label" },
    { "featured post", K(PROMO), TD_CUE_TAILHDR, 0, "cue: featured" },
    { "trending", K(PROMO), TD_CUE_TAILHDR, 0, "cue: trending" },
    { "trending now", K(PROMO), TD_CUE_TAILHDR, 0, "cue: trending" },
    { "most popular", K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { "most read", K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { "most viewed", K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { "most shared", K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { "editors picks", K(PROMO), TD_CUE_TAILHDR, 0, "cue: picks" },
    { "tags", K(NAV), TD_CUE_TAILHDR, 0, "cue: taxonomy" },
    { "topics", K(NAV), TD_CUE_TAILHDR, 0, "cue: taxonomy" },
    /* share buttons */
    { "share", K(SHARE), 0, 0, "cue: share" },
    { "share this", K(SHARE), 0, 0, "cue: share" },
    { "share this article", K(SHARE), TD_CUE_TAILHDR, 0, "cue: share" },
    { "share this story", K(SHARE), TD_CUE_TAILHDR, 0, "cue: share" },
    { "share article", K(SHARE), 0, 0, "cue: share" },
    { "share on facebook", K(SHARE), 0, 0, "cue: share" },
    { "share on twitter", K(SHARE), 0, 0, "cue: share" },
    { "share via email", K(SHARE), 0, 0, "cue: share" },
    { "tweet", K(SHARE), 0, 0, "cue: share" },
    { "email", K(SHARE), 0, 0, "cue: e-mail" },
    { "e mail", K(SHARE), 0, 0, "cue: e-mail" },
    { "print", K(SHARE), 0, 0, "cue: print" },
    { "copy link", K(SHARE), 0, 0, "cue: share" },
    { "link copied", K(SHARE), 0, 0, "cue: share" },
    { "gift this article", K(SHARE), 0, 0, "cue: share" },
    { "save", K(SHARE), 0, 0, "cue: share" },
    /* promotion */
    { "read more", K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { "read also", K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { "also read", K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { "see also", K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { "related", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related articles", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related stories", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related news", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related content", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related coverage", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related posts", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "related topics", K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { "more stories", K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { "more news", K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { "more on this story", K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { "more on this", K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { "recommended", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "recommended for you", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "you may also like", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "you might also like", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "we recommend", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "dont miss", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "must read", K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { "about the author", K(PROMO), TD_CUE_TAILHDR, 0, "cue: author box" },
    { "newsletter", K(PROMO), TD_CUE_TAILHDR, 0, "cue: newsletter" },
    { "subscribe", K(PROMO), 0, 0, "cue: subscribe" },
    { "sponsored", K(AD), 0, 0, "cue: advertising" },
    { "sponsored content", K(AD), 0, 0, "cue: advertising" },
    { "promoted", K(AD), 0, 0, "cue: advertising" },
    { "promoted content", K(AD), 0, 0, "cue: advertising" },
    { "paid content", K(AD), 0, 0, "cue: advertising" },
    { "advertisement", K(AD), 0, 0, "cue: advertising" },
    { "advertising", K(AD), 0, 0, "cue: advertising" },
    { "ad", K(AD), 0, 0, "cue: advertising" },
    { "ads", K(AD), 0, 0, "cue: advertising" },
    { "report this ad", K(AD), 0, 0, "cue: advertising" },
    { "story continues below advertisement", K(AD), 0, 0, "cue: advertising" },
    { "article continues below advertisement", K(AD), 0, 0, "cue: advertising" },
    { "continue reading", K(PROMO), 0, 0, "cue: continue reading" },
    { "continue reading below", K(AD), 0, 0, "cue: advertising" },
    { "story continues below", K(AD), 0, 0, "cue: advertising" },
    { "article continues below", K(AD), 0, 0, "cue: advertising" },
    /* comments */
    { "comment", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "comments", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "post a comment", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "leave a comment", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "add a comment", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "leave a reply", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "view comments", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "show comments", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "join the conversation", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "join the discussion", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "comments are closed", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "no comments", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "be the first to comment", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "conversation", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "responses", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { "reader comments", K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    /* legal */
    { "all rights reserved", K(LEGAL), 0, 0, "cue: copyright" },
    { "privacy policy", K(LEGAL), 0, 0, "cue: terms" },
    { "terms of use", K(LEGAL), 0, 0, "cue: terms" },
    { "terms of service", K(LEGAL), 0, 0, "cue: terms" },
    { "terms and conditions", K(LEGAL), 0, 0, "cue: terms" },
    { "cookie policy", K(LEGAL), 0, 0, "cue: cookies" },
    { "accept cookies", K(LEGAL), 0, 0, "cue: cookies" },
    { "accept", K(LEGAL), 0, 0, "cue: cookies" },
    { "contact us", K(NAV), 0, 0, "cue: footer" },
    { "about us", K(NAV), 0, 0, "cue: footer" },
};

/* Prefixes of short lines, in low form (lower case, single spaces). */
static const cue prefix_low[] = {
    { "skip to ", K(NAV), 0, 8, "cue: skip link" },
    { "you are here", K(NAV), 0, 0, "cue: breadcrumb" },
    { "read more:", K(PROMO), 0, 20, "cue: read more" },
    { "read more", K(PROMO), 0, 12, "cue: read more" },
    { "read the full", K(PROMO), 0, 0, "cue: read more" },
    { "read full", K(PROMO), 0, 0, "cue: read more" },
    { "read also", K(PROMO), 0, 20, "cue: read more" },
    { "also read", K(PROMO), 0, 20, "cue: read more" },
    { "read:", K(PROMO), 0, 20, "cue: read more" },
    { "read |", K(PROMO), 0, 20, "cue: read more" },
    { "read next", K(PROMO), 0, 20, "cue: read more" },
    { "see also", K(PROMO), 0, 20, "cue: read more" },
    { "related:", K(PROMO), 0, 20, "cue: related" },
    { "related articles", K(PROMO), TD_CUE_TAILHDR, 6, "cue: related" },
    { "related stories", K(PROMO), TD_CUE_TAILHDR, 6, "cue: related" },
    { "more from ", K(PROMO), TD_CUE_TAILHDR, 8, "cue: more from" },
    { "more stories from", K(PROMO), TD_CUE_TAILHDR, 8, "cue: more from" },
    { "more on ", K(PROMO), 0, 6, "cue: more from" },
    { "more:", K(PROMO), 0, 20, "cue: more from" },
    { "watch:", K(PROMO), 0, 20, "cue: video link" },
    { "watch video", K(PROMO), 0, 0, "cue: video link" },
    { "watch the video", K(PROMO), 0, 0, "cue: video link" },
    { "watch live", K(PROMO), 0, 0, "cue: video link" },
    { "listen:", K(PROMO), 0, 20, "cue: audio link" },
    { "listen to ", K(PROMO), 0, 10, "cue: audio link" },
    { "video:", K(PROMO), 0, 20, "cue: video link" },
    { "gallery:", K(PROMO), 0, 20, "cue: gallery link" },
    { "in pictures:", K(PROMO), 0, 20, "cue: gallery link" },
    { "sign up", K(PROMO), TD_CUE_TAILHDR, 0, "cue: sign up" },
    { "signup", K(PROMO), 0, 0, "cue: sign up" },
    { "subscribe", K(PROMO), 0, 0, "cue: subscribe" },
    { "get the latest", K(PROMO), 0, 0, "cue: newsletter" },
    { "get our ", K(PROMO), 0, 0, "cue: newsletter" },
    { "get breaking news", K(PROMO), 0, 0, "cue: newsletter" },
    { "stay informed", K(PROMO), TD_CUE_TAILHDR, 0, "cue: newsletter" },
    { "stay up to date", K(PROMO), 0, 0, "cue: newsletter" },
    { "stay up-to-date", K(PROMO), 0, 0, "cue: newsletter" },
    { "join our", K(PROMO), 0, 0, "cue: newsletter" },
    { "follow us", K(PROMO), 0, 0, "cue: follow us" },
    { "follow @", K(PROMO), 0, 0, "cue: follow us" },
    { "like us on", K(PROMO), 0, 0, "cue: follow us" },
    { "find us on", K(PROMO), 0, 0, "cue: follow us" },
    { "connect with us", K(PROMO), 0, 0, "cue: follow us" },
    { "download the ", K(PROMO), 0, 0, "cue: app" },
    { "download our", K(PROMO), 0, 0, "cue: app" },
    { "click here", K(PROMO), 0, 0, "cue: click here" },
    { "click the ", K(PROMO), 0, 0, "cue: click here" },
    { "tap here", K(PROMO), 0, 0, "cue: click here" },
    { "this story is over", K(PROMO), 0, 0, "cue: archive notice" },
    { "this article is more than", K(PROMO), 0, 0, "cue: archive notice" },
    { "this article was originally published", K(PROMO), 0, 20, "cue: archive notice" },
    { "support our journalism", K(PROMO), 0, 0, "cue: donate" },
    { "support independent", K(PROMO), 0, 0, "cue: donate" },
    { "become a member", K(PROMO), 0, 0, "cue: donate" },
    { "become a subscriber", K(PROMO), 0, 0, "cue: subscribe" },
    { "already a subscriber", K(PROMO), 0, 0, "cue: subscribe" },
    { "already have an account", K(PROMO), 0, 0, "cue: subscribe" },
    { "create an account", K(PROMO), 0, 0, "cue: subscribe" },
    { "start the day smarter", K(PROMO), 0, 40, "cue: newsletter" },
    { "powered by", K(PROMO), 0, 8, "cue: powered by" },
    { "sponsored by", K(AD), 0, 0, "cue: advertising" },
    { "advertisement", K(AD), 0, 6, "cue: advertising" },
    { "scroll to continue", K(AD), 0, 0, "cue: advertising" },
    { "share this", K(SHARE), 0, 8, "cue: share" },
    { "share on ", K(SHARE), 0, 6, "cue: share" },
    { "share via", K(SHARE), 0, 6, "cue: share" },
    { "send in e-mail", K(SHARE), 0, 8, "cue: e-mail" },
    { "email this", K(SHARE), 0, 6, "cue: e-mail" },
    { "e-mail this", K(SHARE), 0, 6, "cue: e-mail" },
    { "print this", K(SHARE), 0, 6, "cue: print" },
    { "comments (", K(COMMENTS), TD_CUE_COMMENTS, 4, "cue: comments" },
    { "have your say", K(COMMENTS), 0, 0, "cue: comments" },
    { "comment on this", K(COMMENTS), 0, 0, "cue: comments" },
    { "comments are ", K(COMMENTS), 0, 0, "cue: comments" },
    { "\xc2\xa9", K(LEGAL), 0, 8, "cue: copyright" },
    { "(c) ", K(LEGAL), 0, 20, "cue: copyright" },
    { "copyright", K(LEGAL), 0, 40, "cue: copyright" },
    { "we use cookies", K(LEGAL), 0, 60, "cue: cookies" },
    { "this website uses cookies", K(LEGAL), 0, 60, "cue: cookies" },
    { "this site uses cookies", K(LEGAL), 0, 60, "cue: cookies" },
    { "by continuing to", K(LEGAL), 0, 40, "cue: cookies" },
    { "by using this", K(LEGAL), 0, 40, "cue: cookies" },
    { "tags:", K(NAV), 0, 30, "cue: taxonomy" },
    { "topics:", K(NAV), 0, 30, "cue: taxonomy" },
    { "filed under", K(NAV), 0, 30, "cue: taxonomy" },
    { "posted in:", K(NAV), 0, 30, "cue: taxonomy" },
    { "categories:", K(NAV), 0, 30, "cue: taxonomy" },
    { "image source", K(CAPTION), 0, 30, "cue: image credit" },
    { "image copyright", K(CAPTION), 0, 30, "cue: image credit" },
    { "image caption", K(CAPTION), 0, 60, "cue: caption" },
    { "media caption", K(CAPTION), 0, 60, "cue: caption" },
    { "caption:", K(CAPTION), 0, 60, "cue: caption" },
    { "photo:", K(CAPTION), 0, 60, "cue: caption" },
    { "photos:", K(CAPTION), 0, 60, "cue: caption" },
    { "picture:", K(CAPTION), 0, 60, "cue: caption" },
    { "image:", K(CAPTION), 0, 60, "cue: caption" },
    { "file photo", K(CAPTION), 0, 60, "cue: caption" },
    { "file picture", K(CAPTION), 0, 60, "cue: caption" },
    { "pictured:", K(CAPTION), 0, 60, "cue: caption" },
    /* the way agency captions open */
    { "an image grab", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a video grab", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a picture taken", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a photo taken", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a photograph taken", K(CAPTION), 0, 90, "cue: caption opener" },
    { "an image taken", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a handout picture", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a handout photo", K(CAPTION), 0, 90, "cue: caption opener" },
    { "this handout", K(CAPTION), 0, 90, "cue: caption opener" },
    { "in this photo", K(CAPTION), 0, 90, "cue: caption opener" },
    { "in this image", K(CAPTION), 0, 90, "cue: caption opener" },
    { "in this file photo", K(CAPTION), 0, 90, "cue: caption opener" },
    { "this photo ", K(CAPTION), 0, 90, "cue: caption opener" },
    { "this picture ", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a screenshot", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a screen grab", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a still image", K(CAPTION), 0, 90, "cue: caption opener" },
    { "a general view", K(CAPTION), 0, 90, "cue: caption opener" },
    { "an aerial view", K(CAPTION), 0, 90, "cue: caption opener" },
};

/* Phrases anywhere in a short line, in low form. */
static const cue contains_low[] = {
    { "all rights reserved", K(LEGAL), 0, 40, "cue: copyright" },
    { "privacy policy", K(LEGAL), 0, 20, "cue: terms" },
    { "terms of use", K(LEGAL), 0, 20, "cue: terms" },
    { "terms of service", K(LEGAL), 0, 20, "cue: terms" },
    { "cookie policy", K(LEGAL), 0, 30, "cue: cookies" },
    { "uses cookies", K(LEGAL), 0, 40, "cue: cookies" },
    { "use of cookies", K(LEGAL), 0, 40, "cue: cookies" },
    { "republish", K(LEGAL), 0, 60, "cue: republishing" },
    { "may not be published, broadcast", K(LEGAL), 0, 40, "cue: copyright" },
    { "may not be reproduced", K(LEGAL), 0, 40, "cue: copyright" },
    { "newsletter", K(PROMO), TD_CUE_TAILHDR, 16, "cue: newsletter" },
    { "sign up for", K(PROMO), 0, 24, "cue: sign up" },
    { "sign up to", K(PROMO), 0, 24, "cue: sign up" },
    { "subscribe to", K(PROMO), 0, 16, "cue: subscribe" },
    { "subscribe now", K(PROMO), 0, 16, "cue: subscribe" },
    { "in your inbox", K(PROMO), 0, 24, "cue: newsletter" },
    { "follow us on", K(PROMO), 0, 16, "cue: follow us" },
    { "on facebook and twitter", K(PROMO), 0, 16, "cue: follow us" },
    { "download our app", K(PROMO), 0, 16, "cue: app" },
    { "click here", K(PROMO), 0, 16, "cue: click here" },
    { "story continues below", K(AD), 0, 10, "cue: advertising" },
    { "continue reading", K(PROMO), 0, 8, "cue: continue reading" },
    { "read the full article", K(PROMO), 0, 12, "cue: read more" },
    { "read the full story", K(PROMO), 0, 12, "cue: read more" },
};

/* ---- matching ---- */

static bool low_has(const td_cue_line *l, const char *needle, size_t n)
{
    if (n > l->low_len)
        return false;
    return memmem(l->low, l->low_len, needle, n) != NULL;
}

static unsigned max_words(const cue *c) { return c->max_words ? c->max_words : 14; }

static void set_hit(td_cue_hit *hit, const cue *c)
{
    hit->kind = (td_line_kind)c->kind;
    hit->why = c->why;
    hit->flags = c->flags;
}

bool td_cue_match(const td_cue_line *l, td_cue_hit *hit)
{
    if (l->words <= 8 && l->core_len > 0) {
        for (size_t i = 0; i < sizeof exact_core / sizeof exact_core[0]; i++) {
            const cue *c = &exact_core[i];
            size_t n = strlen(c->s);
            if (n == l->core_len && memcmp(c->s, l->core, n) == 0) {
                set_hit(hit, c);
                return true;
            }
        }
    }
    for (size_t i = 0; i < sizeof prefix_low / sizeof prefix_low[0]; i++) {
        const cue *c = &prefix_low[i];
        if (l->words > max_words(c) || l->low[0] != c->s[0])
            continue;
        size_t n = strlen(c->s);
        if (n <= l->low_len && memcmp(c->s, l->low, n) == 0) {
            set_hit(hit, c);
            return true;
        }
    }
    if (l->words <= 60) {
        for (size_t i = 0; i < sizeof contains_low / sizeof contains_low[0]; i++) {
            const cue *c = &contains_low[i];
            if (l->words > max_words(c))
                continue;
            if (low_has(l, c->s, strlen(c->s))) {
                set_hit(hit, c);
                return true;
            }
        }
    }
    return false;
}

/* ---- captions and credits ---- */

/* Case-sensitive credit marks inside a line (photo agencies write them so). */
static const char *const credit_marks[] = {
    "Credit:", "CREDIT:", "Photo:", "PHOTO:", "Photos:", "Picture:", "Pictures:", "Photograph:",
    "Image:", "Images:", "Photo by ", "Photo credit", "(Photo", "(AP Photo", "AP Photo/", "AFP PHOTO",
    "AFP Photo", "Getty Images", "REUTERS/", "Reuters/", "/Reuters", "/REUTERS", "/AFP", "AFP/",
    "/AP", "/EPA", "EPA/", "EPA-EFE", "Pics/", "/Shutterstock", "Shutterstock", "Screen grab",
    "Screengrab", "screen grab", "(File photo", "File photo", "Media caption", "Image caption",
    "Image copyright", "/Xinhua", "/Anadolu", "/ANI", "/PTI", "(Courtesy", "Courtesy of ",
};

/* Endings that mark a caption credit: "... (AFP)", "... | Reuters". */
static const char *const credit_ends[] = {
    "(AFP)", "(Reuters)", "(AP)", "(EPA)", "(File)", "(file)", "| Reuters", "| AFP", "| AP",
    "/AP", "/AFP", "/Reuters", "/Getty Images", "(Getty Images)",
    /* from here on: dash forms, which also sign off a wire story's last paragraph */
    "\xe2\x80\x94 Reuters", "\xe2\x80\x94 AFP", "\xe2\x80\x94 AP", "- Reuters", "- AFP", "- AP",
    "\xe2\x80\x93 Reuters", "\xe2\x80\x93 AFP",
};
#define FIRST_DASH_END 14

bool td_cue_caption(const td_cue_line *l, const char **why)
{
    if (l->words > 70)
        return false;
    /* "... (AFP photo)", "(Photo: ...)" endings, any case */
    if (l->low_len > 8 && l->low[l->low_len - 1] == ')') {
        const char *open = memrchr(l->low, '(', l->low_len);
        if (open && memmem(open, (size_t)(l->low + l->low_len - open), "photo", 5)) {
            *why = "caption: credit at end";
            return true;
        }
    }
    td_str r = l->raw;
    for (size_t i = 0; i < sizeof credit_ends / sizeof credit_ends[0]; i++) {
        size_t n = strlen(credit_ends[i]);
        size_t len = r.len;
        while (len && (r.p[len - 1] == '.' || r.p[len - 1] == ' '))
            len--;
        if (n <= len && memcmp(r.p + len - n, credit_ends[i], n) == 0) {
            *why = i >= FIRST_DASH_END ? TD_CUE_WHY_SIGNOFF : "caption: credit at end";
            return true;
        }
    }
    for (size_t i = 0; i < sizeof credit_marks / sizeof credit_marks[0]; i++) {
        size_t n = strlen(credit_marks[i]);
        const char *hitp = memmem(r.p, r.len, credit_marks[i], n);
        if (!hitp)
            continue;
        /* "/AP" and friends must end a word: "/APPLE" is not a credit */
        size_t end = (size_t)(hitp - r.p) + n;
        char last = credit_marks[i][n - 1];
        if (end < r.len && ((last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z')) &&
            is_alpha((unsigned char)r.p[end]))
            continue;
        *why = "caption: credit";
        return true;
    }
    return false;
}

bool td_cue_credit_only(const td_cue_line *l)
{
    if (l->words == 0 || l->words > 7 || l->raw.len > 80)
        return false;
    td_str r = l->raw;
    const char *slash = memchr(r.p, '/', r.len);
    if (!slash)
        return false;
    /* "Jane Roe/AP", "John Doe/HK01 via AP": a name, a slash, an agency */
    static const char *const agencies[] = { "AP", "AFP", "Reuters", "REUTERS", "Getty", "EPA",
                                            "Xinhua", "Anadolu", "ANI", "PTI", "Bloomberg",
                                            "Shutterstock", "iStock", "Sipa", "NurPhoto" };
    for (size_t i = 0; i < sizeof agencies / sizeof agencies[0]; i++) {
        size_t n = strlen(agencies[i]);
        for (const char *p = slash; p && (size_t)(p - r.p) < r.len;
             p = memchr(p + 1, '/', r.len - (size_t)(p + 1 - r.p))) {
            size_t at = (size_t)(p - r.p) + 1;
            if (at + n <= r.len && memcmp(r.p + at, agencies[i], n) == 0 &&
                (at + n == r.len || !is_alpha((unsigned char)r.p[at + n])))
                return true;
        }
        if (memmem(r.p, r.len, " via ", 5) && memmem(r.p, r.len, agencies[i], n))
            return true;
    }
    return false;
}

bool td_cue_buttons(const td_cue_line *l)
{
    static const char *const labels[] = {
        "share", "tweet", "email", "e", "mail", "print", "comment", "comments", "facebook",
        "twitter", "whatsapp", "linkedin", "pinterest", "reddit", "telegram", "messenger",
        "save", "copy", "link", "send", "in", "adjust", "font", "size", "text", "a", "this",
        "article", "story", "flipboard", "pocket", "sms", "x", "on", "via", "gift", "bookmark",
        "listen", "reply", "more",
    };
    if (l->core_len == 0 || l->words > 12)
        return false;
    const char *p = l->core, *end = l->core + l->core_len;
    unsigned n = 0, strong = 0;
    while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        size_t wl = sp ? (size_t)(sp - p) : (size_t)(end - p);
        bool ok = false;
        for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
            if (strlen(labels[i]) == wl && memcmp(labels[i], p, wl) == 0) {
                ok = true;
                if (i < 10 || (i >= 10 && i < 16))
                    strong++;
                break;
            }
        }
        if (!ok)
            return false;
        n++;
        p = sp ? sp + 1 : end;
    }
    return n >= 2 && strong >= 1;
}
