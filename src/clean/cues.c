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
        if (raw.len <= 200 && l->core_len < TD_CLEAN_NORM_MAX - 2) {
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
    unsigned char len;       /* strlen(s) */
    unsigned char kind;
    unsigned char flags;
    unsigned char max_words; /* prefix/contains: only lines this short; 0 = 14 */
    const char *why;
} cue;

#define K(k) ((unsigned char)TD_LINE_##k)
#define S(x) x, (unsigned char)(sizeof(x) - 1)

/* Whole-line labels, in core form (letters and single spaces). */
static const cue exact_core[] = {
    /* navigation */
    { S("skip to main content"), K(NAV), 0, 0, "cue: skip link" },
    { S("skip to content"), K(NAV), 0, 0, "cue: skip link" },
    { S("skip to navigation"), K(NAV), 0, 0, "cue: skip link" },
    { S("skip navigation"), K(NAV), 0, 0, "cue: skip link" },
    { S("jump to content"), K(NAV), 0, 0, "cue: skip link" },
    { S("toggle navigation"), K(NAV), 0, 0, "cue: menu" },
    { S("main menu"), K(NAV), 0, 0, "cue: menu" },
    { S("menu"), K(NAV), 0, 0, "cue: menu" },
    { S("navigation"), K(NAV), 0, 0, "cue: menu" },
    { S("search"), K(NAV), 0, 0, "cue: menu" },
    { S("home"), K(NAV), 0, 0, "cue: menu" },
    { S("close"), K(NAV), 0, 0, "cue: menu" },
    { S("sections"), K(NAV), 0, 0, "cue: menu" },
    { S("you are here"), K(NAV), 0, 0, "cue: breadcrumb" },
    { S("back to top"), K(NAV), 0, 0, "cue: menu" },
    { S("back to main page"), K(NAV), 0, 0, "cue: menu" },
    { S("back to home"), K(NAV), 0, 0, "cue: menu" },
    { S("next"), K(NAV), 0, 0, "cue: pager" },
    { S("previous"), K(NAV), 0, 0, "cue: pager" },
    { S("next article"), K(NAV), 0, 0, "cue: pager" },
    { S("previous article"), K(NAV), 0, 0, "cue: pager" },
    { S("next story"), K(NAV), 0, 0, "cue: pager" },
    { S("previous story"), K(NAV), 0, 0, "cue: pager" },
    { S("log in"), K(NAV), 0, 0, "cue: account" },
    { S("login"), K(NAV), 0, 0, "cue: account" },
    { S("sign in"), K(NAV), 0, 0, "cue: account" },
    { S("log out"), K(NAV), 0, 0, "cue: account" },
    { S("register"), K(NAV), 0, 0, "cue: account" },
    { S("my account"), K(NAV), 0, 0, "cue: account" },
    { S("top stories"), K(NAV), 0, 0, "cue: section label" },
    { S("top news"), K(NAV), 0, 0, "cue: section label" },
    { S("latest news"), K(NAV), 0, 0, "cue: section label" },
    { S("latest"), K(NAV), 0, 0, "cue: section label" },
    { S("breaking news"), K(NAV), 0, 0, "cue: section label" },
    { S("news"), K(NAV), 0, 0, "cue: section label" },
    { S("world"), K(NAV), 0, 0, "cue: section label" },
    { S("world news"), K(NAV), 0, 0, "cue: section label" },
    { S("international"), K(NAV), 0, 0, "cue: section label" },
    { S("politics"), K(NAV), 0, 0, "cue: section label" },
    { S("business"), K(NAV), 0, 0, "cue: section label" },
    { S("sport"), K(NAV), 0, 0, "cue: section label" },
    { S("sports"), K(NAV), 0, 0, "cue: section label" },
    { S("opinion"), K(NAV), 0, 0, "cue: section label" },
    { S("video"), K(NAV), 0, 0, "cue: media label" },
    { S("videos"), K(NAV), 0, 0, "cue: media label" },
    { S("photos"), K(NAV), 0, 0, "cue: media label" },
    { S("photo"), K(NAV), 0, 0, "cue: media label" },
    { S("gallery"), K(NAV), 0, 0, "cue: media label" },
    { S("photo gallery"), K(NAV), 0, 0, "cue: media label" },
    { S("see gallery"), K(NAV), 0, 0, "cue: media label" },
    { S("view gallery"), K(NAV), 0, 0, "cue: media label" },
    { S("play"), K(NAV), 0, 0, "cue: media label" },
    { S("play video"), K(NAV), 0, 0, "cue: media label" },
    { S("watch"), K(NAV), 0, 0, "cue: media label" },
    { S("listen"), K(NAV), 0, 0, "cue: media label" },
    { S("live"), K(NAV), 0, 0, "cue: media label" },
    { S("loading"), K(NAV), 0, 0, "cue: widget" },
    { S("show more"), K(NAV), 0, 0, "cue: widget" },
    { S("load more"), K(NAV), 0, 0, "cue: widget" },
    { S("more"), K(NAV), 0, 0, "cue: widget" },
    { S("expand"), K(NAV), 0, 0, "cue: widget" },
    { S("categories"), K(NAV), 0, 0, "cue: taxonomy" },
    { S("archives"), K(NAV), 0, 0, "cue: taxonomy" },
    { S("featured"), K(NAV), 0, 0, "cue: section label" },
    { S("featured post"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: featured" },
    { S("trending"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: trending" },
    { S("trending now"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: trending" },
    { S("most popular"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { S("most read"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { S("most viewed"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { S("most shared"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: most read" },
    { S("editors picks"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: picks" },
    { S("tags"), K(NAV), TD_CUE_TAILHDR, 0, "cue: taxonomy" },
    { S("topics"), K(NAV), TD_CUE_TAILHDR, 0, "cue: taxonomy" },
    /* share buttons */
    { S("share"), K(SHARE), 0, 0, "cue: share" },
    { S("share this"), K(SHARE), 0, 0, "cue: share" },
    { S("share this article"), K(SHARE), TD_CUE_TAILHDR, 0, "cue: share" },
    { S("share this story"), K(SHARE), TD_CUE_TAILHDR, 0, "cue: share" },
    { S("share article"), K(SHARE), 0, 0, "cue: share" },
    { S("share on facebook"), K(SHARE), 0, 0, "cue: share" },
    { S("share on twitter"), K(SHARE), 0, 0, "cue: share" },
    { S("share via email"), K(SHARE), 0, 0, "cue: share" },
    { S("tweet"), K(SHARE), 0, 0, "cue: share" },
    { S("email"), K(SHARE), 0, 0, "cue: e-mail" },
    { S("e mail"), K(SHARE), 0, 0, "cue: e-mail" },
    { S("print"), K(SHARE), 0, 0, "cue: print" },
    { S("copy link"), K(SHARE), 0, 0, "cue: share" },
    { S("link copied"), K(SHARE), 0, 0, "cue: share" },
    { S("gift this article"), K(SHARE), 0, 0, "cue: share" },
    { S("save"), K(SHARE), 0, 0, "cue: share" },
    /* promotion */
    { S("read more"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { S("read also"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { S("also read"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { S("see also"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: read more" },
    { S("related"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related articles"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related stories"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related news"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related content"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related coverage"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related posts"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("related topics"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: related" },
    { S("more stories"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { S("more news"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { S("more on this story"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { S("more on this"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: more from" },
    { S("recommended"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("recommended for you"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("you may also like"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("you might also like"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("we recommend"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("dont miss"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("must read"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: recommended" },
    { S("about the author"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: author box" },
    { S("newsletter"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: newsletter" },
    { S("subscribe"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("sponsored"), K(AD), 0, 0, "cue: advertising" },
    { S("sponsored content"), K(AD), 0, 0, "cue: advertising" },
    { S("promoted"), K(AD), 0, 0, "cue: advertising" },
    { S("promoted content"), K(AD), 0, 0, "cue: advertising" },
    { S("paid content"), K(AD), 0, 0, "cue: advertising" },
    { S("advertisement"), K(AD), 0, 0, "cue: advertising" },
    { S("advertising"), K(AD), 0, 0, "cue: advertising" },
    { S("ad"), K(AD), 0, 0, "cue: advertising" },
    { S("ads"), K(AD), 0, 0, "cue: advertising" },
    { S("report this ad"), K(AD), 0, 0, "cue: advertising" },
    { S("story continues below advertisement"), K(AD), 0, 0, "cue: advertising" },
    { S("article continues below advertisement"), K(AD), 0, 0, "cue: advertising" },
    { S("continue reading"), K(PROMO), 0, 0, "cue: continue reading" },
    { S("continue reading below"), K(AD), 0, 0, "cue: advertising" },
    { S("story continues below"), K(AD), 0, 0, "cue: advertising" },
    { S("article continues below"), K(AD), 0, 0, "cue: advertising" },
    /* comments */
    { S("comment"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("comments"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("post a comment"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("leave a comment"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("add a comment"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("leave a reply"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("view comments"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("show comments"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("join the conversation"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("join the discussion"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("comments are closed"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("no comments"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("be the first to comment"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("conversation"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("responses"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    { S("reader comments"), K(COMMENTS), TD_CUE_COMMENTS, 0, "cue: comments" },
    /* legal */
    { S("all rights reserved"), K(LEGAL), 0, 0, "cue: copyright" },
    { S("privacy policy"), K(LEGAL), 0, 0, "cue: terms" },
    { S("terms of use"), K(LEGAL), 0, 0, "cue: terms" },
    { S("terms of service"), K(LEGAL), 0, 0, "cue: terms" },
    { S("terms and conditions"), K(LEGAL), 0, 0, "cue: terms" },
    { S("cookie policy"), K(LEGAL), 0, 0, "cue: cookies" },
    { S("accept cookies"), K(LEGAL), 0, 0, "cue: cookies" },
    { S("accept"), K(LEGAL), 0, 0, "cue: cookies" },
    { S("contact us"), K(NAV), 0, 0, "cue: footer" },
    { S("about us"), K(NAV), 0, 0, "cue: footer" },
};

/* Prefixes of short lines, in low form (lower case, single spaces). */
static const cue prefix_low[] = {
    { S("skip to "), K(NAV), 0, 8, "cue: skip link" },
    { S("you are here"), K(NAV), 0, 0, "cue: breadcrumb" },
    { S("read more:"), K(PROMO), 0, 20, "cue: read more" },
    { S("read more"), K(PROMO), 0, 12, "cue: read more" },
    { S("read the full"), K(PROMO), 0, 0, "cue: read more" },
    { S("read full"), K(PROMO), 0, 0, "cue: read more" },
    { S("read also"), K(PROMO), 0, 20, "cue: read more" },
    { S("also read"), K(PROMO), 0, 20, "cue: read more" },
    { S("read:"), K(PROMO), 0, 20, "cue: read more" },
    { S("read |"), K(PROMO), 0, 20, "cue: read more" },
    { S("read next"), K(PROMO), 0, 20, "cue: read more" },
    { S("see also"), K(PROMO), 0, 20, "cue: read more" },
    { S("related:"), K(PROMO), 0, 20, "cue: related" },
    { S("related articles"), K(PROMO), TD_CUE_TAILHDR, 6, "cue: related" },
    { S("related stories"), K(PROMO), TD_CUE_TAILHDR, 6, "cue: related" },
    { S("more from "), K(PROMO), TD_CUE_TAILHDR, 8, "cue: more from" },
    { S("more stories from"), K(PROMO), TD_CUE_TAILHDR, 8, "cue: more from" },
    { S("more on "), K(PROMO), 0, 6, "cue: more from" },
    { S("more:"), K(PROMO), 0, 20, "cue: more from" },
    { S("watch:"), K(PROMO), 0, 20, "cue: video link" },
    { S("watch video"), K(PROMO), 0, 0, "cue: video link" },
    { S("watch the video"), K(PROMO), 0, 0, "cue: video link" },
    { S("watch live"), K(PROMO), 0, 0, "cue: video link" },
    { S("listen:"), K(PROMO), 0, 20, "cue: audio link" },
    { S("listen to "), K(PROMO), 0, 10, "cue: audio link" },
    { S("video:"), K(PROMO), 0, 20, "cue: video link" },
    { S("gallery:"), K(PROMO), 0, 20, "cue: gallery link" },
    { S("in pictures:"), K(PROMO), 0, 20, "cue: gallery link" },
    { S("sign up"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: sign up" },
    { S("signup"), K(PROMO), 0, 0, "cue: sign up" },
    { S("subscribe"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("get the latest"), K(PROMO), 0, 0, "cue: newsletter" },
    { S("get our "), K(PROMO), 0, 0, "cue: newsletter" },
    { S("get breaking news"), K(PROMO), 0, 0, "cue: newsletter" },
    { S("stay informed"), K(PROMO), TD_CUE_TAILHDR, 0, "cue: newsletter" },
    { S("stay up to date"), K(PROMO), 0, 0, "cue: newsletter" },
    { S("stay up-to-date"), K(PROMO), 0, 0, "cue: newsletter" },
    { S("join our"), K(PROMO), 0, 0, "cue: newsletter" },
    { S("follow us"), K(PROMO), 0, 0, "cue: follow us" },
    { S("follow @"), K(PROMO), 0, 0, "cue: follow us" },
    { S("like us on"), K(PROMO), 0, 0, "cue: follow us" },
    { S("find us on"), K(PROMO), 0, 0, "cue: follow us" },
    { S("connect with us"), K(PROMO), 0, 0, "cue: follow us" },
    { S("download the "), K(PROMO), 0, 0, "cue: app" },
    { S("download our"), K(PROMO), 0, 0, "cue: app" },
    { S("click here"), K(PROMO), 0, 0, "cue: click here" },
    { S("click the "), K(PROMO), 0, 0, "cue: click here" },
    { S("tap here"), K(PROMO), 0, 0, "cue: click here" },
    { S("this story is over"), K(PROMO), 0, 0, "cue: archive notice" },
    { S("this article is more than"), K(PROMO), 0, 0, "cue: archive notice" },
    { S("this article was originally published"), K(PROMO), 0, 20, "cue: archive notice" },
    { S("support our journalism"), K(PROMO), 0, 0, "cue: donate" },
    { S("support independent"), K(PROMO), 0, 0, "cue: donate" },
    { S("become a member"), K(PROMO), 0, 0, "cue: donate" },
    { S("become a subscriber"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("already a subscriber"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("already have an account"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("create an account"), K(PROMO), 0, 0, "cue: subscribe" },
    { S("start the day smarter"), K(PROMO), 0, 40, "cue: newsletter" },
    { S("powered by"), K(PROMO), 0, 8, "cue: powered by" },
    { S("sponsored by"), K(AD), 0, 0, "cue: advertising" },
    { S("advertisement"), K(AD), 0, 6, "cue: advertising" },
    { S("scroll to continue"), K(AD), 0, 0, "cue: advertising" },
    { S("share this"), K(SHARE), 0, 8, "cue: share" },
    { S("share on "), K(SHARE), 0, 6, "cue: share" },
    { S("share via"), K(SHARE), 0, 6, "cue: share" },
    { S("send in e-mail"), K(SHARE), 0, 8, "cue: e-mail" },
    { S("email this"), K(SHARE), 0, 6, "cue: e-mail" },
    { S("e-mail this"), K(SHARE), 0, 6, "cue: e-mail" },
    { S("print this"), K(SHARE), 0, 6, "cue: print" },
    { S("comments ("), K(COMMENTS), TD_CUE_COMMENTS, 4, "cue: comments" },
    { S("have your say"), K(COMMENTS), 0, 0, "cue: comments" },
    { S("comment on this"), K(COMMENTS), 0, 0, "cue: comments" },
    { S("comments are "), K(COMMENTS), 0, 0, "cue: comments" },
    { S("\xc2\xa9"), K(LEGAL), 0, 8, "cue: copyright" },
    { S("(c) "), K(LEGAL), 0, 20, "cue: copyright" },
    { S("copyright"), K(LEGAL), 0, 40, "cue: copyright" },
    { S("we use cookies"), K(LEGAL), 0, 60, "cue: cookies" },
    { S("this website uses cookies"), K(LEGAL), 0, 60, "cue: cookies" },
    { S("this site uses cookies"), K(LEGAL), 0, 60, "cue: cookies" },
    { S("by continuing to"), K(LEGAL), 0, 40, "cue: cookies" },
    { S("by using this"), K(LEGAL), 0, 40, "cue: cookies" },
    { S("tags:"), K(NAV), 0, 30, "cue: taxonomy" },
    { S("topics:"), K(NAV), 0, 30, "cue: taxonomy" },
    { S("filed under"), K(NAV), 0, 30, "cue: taxonomy" },
    { S("posted in:"), K(NAV), 0, 30, "cue: taxonomy" },
    { S("categories:"), K(NAV), 0, 30, "cue: taxonomy" },
    { S("image source"), K(CAPTION), 0, 30, "cue: image credit" },
    { S("image copyright"), K(CAPTION), 0, 30, "cue: image credit" },
    { S("image caption"), K(CAPTION), 0, 60, "cue: caption" },
    { S("media caption"), K(CAPTION), 0, 60, "cue: caption" },
    { S("caption:"), K(CAPTION), 0, 60, "cue: caption" },
    { S("photo:"), K(CAPTION), 0, 60, "cue: caption" },
    { S("photos:"), K(CAPTION), 0, 60, "cue: caption" },
    { S("picture:"), K(CAPTION), 0, 60, "cue: caption" },
    { S("image:"), K(CAPTION), 0, 60, "cue: caption" },
    { S("file photo"), K(CAPTION), 0, 60, "cue: caption" },
    { S("file picture"), K(CAPTION), 0, 60, "cue: caption" },
    { S("pictured:"), K(CAPTION), 0, 60, "cue: caption" },
    /* the way agency captions open */
    { S("an image grab"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a video grab"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a picture taken"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a photo taken"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a photograph taken"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("an image taken"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a handout picture"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a handout photo"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("this handout"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("in this photo"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("in this image"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("in this file photo"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("this photo "), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("this picture "), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a screenshot"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a screen grab"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a still image"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("a general view"), K(CAPTION), 0, 90, "cue: caption opener" },
    { S("an aerial view"), K(CAPTION), 0, 90, "cue: caption opener" },
};

/* Phrases anywhere in a short line, in low form. */
static const cue contains_low[] = {
    { S("all rights reserved"), K(LEGAL), 0, 40, "cue: copyright" },
    { S("privacy policy"), K(LEGAL), 0, 20, "cue: terms" },
    { S("terms of use"), K(LEGAL), 0, 20, "cue: terms" },
    { S("terms of service"), K(LEGAL), 0, 20, "cue: terms" },
    { S("cookie policy"), K(LEGAL), 0, 30, "cue: cookies" },
    { S("uses cookies"), K(LEGAL), 0, 40, "cue: cookies" },
    { S("use of cookies"), K(LEGAL), 0, 40, "cue: cookies" },
    { S("republish"), K(LEGAL), 0, 60, "cue: republishing" },
    { S("may not be published, broadcast"), K(LEGAL), 0, 40, "cue: copyright" },
    { S("may not be reproduced"), K(LEGAL), 0, 40, "cue: copyright" },
    { S("newsletter"), K(PROMO), TD_CUE_TAILHDR, 16, "cue: newsletter" },
    { S("sign up for"), K(PROMO), 0, 24, "cue: sign up" },
    { S("sign up to"), K(PROMO), 0, 24, "cue: sign up" },
    { S("subscribe to"), K(PROMO), 0, 16, "cue: subscribe" },
    { S("subscribe now"), K(PROMO), 0, 16, "cue: subscribe" },
    { S("in your inbox"), K(PROMO), 0, 24, "cue: newsletter" },
    { S("follow us on"), K(PROMO), 0, 16, "cue: follow us" },
    { S("on facebook and twitter"), K(PROMO), 0, 16, "cue: follow us" },
    { S("download our app"), K(PROMO), 0, 16, "cue: app" },
    { S("click here"), K(PROMO), 0, 16, "cue: click here" },
    { S("story continues below"), K(AD), 0, 10, "cue: advertising" },
    { S("continue reading"), K(PROMO), 0, 8, "cue: continue reading" },
    { S("read the full article"), K(PROMO), 0, 12, "cue: read more" },
    { S("read the full story"), K(PROMO), 0, 12, "cue: read more" },
};

/* ---- matching ---- */

static unsigned max_words(const cue *c) { return c->max_words ? c->max_words : 14; }

static void set_hit(td_cue_hit *hit, const cue *c)
{
    hit->kind = (td_line_kind)c->kind;
    hit->why = c->why;
    hit->flags = c->flags;
}

/* "Follow the Example Post on Facebook and X", "Follow Jane Roe on Twitter":
 * a follow line that names a social network. */
static bool follow_line(const td_cue_line *l)
{
    if (l->words > 20 || l->low_len < 12 || memcmp(l->low, "follow ", 7) != 0)
        return false;
    static const char *const nets[] = { "facebook", "twitter", "instagram", "whatsapp", "telegram", "tiktok",
                                        "youtube", "linkedin", "threads", "bluesky", "google news", "mastodon" };
    td_str low = td_str_make(l->low, l->low_len);
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
        if (td_str_find(low, td_str_cstr(nets[i])) != (size_t)-1)
            return true;
    return td_str_find(low, TD_STR_LIT(" on x")) != (size_t)-1;
}

/* "Do you have a story? Write to tips@example.com", "Contact: desk@example.org":
 * a short line with an e-mail address that asks readers to write. */
static bool contact_line(const td_cue_line *l)
{
    if (l->words > 16 || !memchr(l->low, '@', l->low_len))
        return false;
    const char *at = memchr(l->low, '@', l->low_len);
    size_t i = (size_t)(at - l->low);
    if (i == 0 || l->low[i - 1] == ' ' || i + 3 >= l->low_len || !memchr(at, '.', l->low_len - i))
        return false; /* "@handle" or no domain: not an address */
    static const char *const asks[] = { "write to", "contact", "email us", "e-mail us", "send us", "tips",
                                        "tip off", "story?", "get in touch", "reach us", "letters to" };
    td_str low = td_str_make(l->low, l->low_len);
    for (size_t k = 0; k < sizeof asks / sizeof asks[0]; k++)
        if (td_str_find(low, td_str_cstr(asks[k])) != (size_t)-1)
            return true;
    return false;
}

bool td_cue_match(const td_cue_line *l, td_cue_hit *hit)
{
    if (follow_line(l) || contact_line(l)) {
        hit->kind = TD_LINE_PROMO;
        hit->why = follow_line(l) ? "cue: follow us" : "cue: contact address";
        hit->flags = 0;
        return true;
    }
    if (l->words <= 8 && l->core_len > 0) {
        for (size_t i = 0; i < sizeof exact_core / sizeof exact_core[0]; i++) {
            const cue *c = &exact_core[i];
            size_t n = c->len;
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
        size_t n = c->len;
        if (n <= l->low_len && memcmp(c->s, l->low, n) == 0) {
            set_hit(hit, c);
            return true;
        }
    }
    if (l->words <= 60) {
        /* compare only at word starts, and only needles with that first byte */
        for (size_t p = 0; p < l->low_len; p++) {
            if (p > 0 && l->low[p - 1] != ' ')
                continue;
            char ch = l->low[p];
            for (size_t i = 0; i < sizeof contains_low / sizeof contains_low[0]; i++) {
                const cue *c = &contains_low[i];
                if (c->s[0] != ch || l->words > max_words(c) || p + c->len > l->low_len)
                    continue;
                if (memcmp(l->low + p, c->s, c->len) == 0) {
                    set_hit(hit, c);
                    return true;
                }
            }
        }
    }
    return false;
}

/* ---- captions and credits ---- */

/* Credit marks inside a line, grouped by a byte they must contain so that a
 * paragraph without '/', ':' or '(' is rejected in one memchr per group.
 * Case-sensitive: agencies write them so. */
static const char *const marks_slash[] = {
    "AP Photo/", "REUTERS/", "Reuters/", "/Reuters", "/REUTERS", "/AFP", "AFP/", "/AP", "/EPA", "EPA/",
    "Pics/", "/Shutterstock", "/Xinhua", "/Anadolu", "/ANI", "/PTI",
};
static const char *const marks_colon[] = {
    "Credit:", "CREDIT:", "Photo:", "PHOTO:", "Photos:", "Picture:", "Pictures:", "Photograph:", "Image:", "Images:",
};
static const char *const marks_paren[] = { "(Photo", "(AP Photo", "(File photo", "(Courtesy" };
/* found in the low form (lower case) */
static const char *const marks_low[] = {
    "photo by ", "photo credit", "afp photo", "getty images", "shutterstock", "screen grab", "screengrab",
    "file photo", "media caption", "image caption", "image copyright", "courtesy of ", "epa-efe",
};

/* A marks_low entry starting at a word start of the low form. */
static bool low_word_mark(const td_cue_line *l)
{
    for (size_t p = 0; p < l->low_len; p++) {
        if (p > 0 && l->low[p - 1] != ' ' && l->low[p - 1] != '(')
            continue;
        char ch = l->low[p];
        if (ch != 'p' && ch != 'a' && ch != 'g' && ch != 's' && ch != 'f' && ch != 'm' && ch != 'i' &&
            ch != 'c' && ch != 'e')
            continue;
        for (size_t i = 0; i < sizeof marks_low / sizeof marks_low[0]; i++) {
            if (marks_low[i][0] != ch || l->low[p + 1] != marks_low[i][1])
                continue;
            size_t n = strlen(marks_low[i]);
            if (p + n <= l->low_len && memcmp(l->low + p, marks_low[i], n) == 0)
                return true;
        }
    }
    return false;
}

static bool mark_in(td_str r, const char *const *marks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(marks[i]);
        const char *hitp = memmem(r.p, r.len, marks[i], len);
        if (!hitp)
            continue;
        /* "/AP" and friends must end a word: "/APPLE" is not a credit */
        size_t end = (size_t)(hitp - r.p) + len;
        if (end < r.len && is_alpha((unsigned char)marks[i][len - 1]) && is_alpha((unsigned char)r.p[end]))
            continue;
        return true;
    }
    return false;
}

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
    size_t len = r.len;
    while (len && (r.p[len - 1] == '.' || r.p[len - 1] == ' '))
        len--;
    char last = len ? r.p[len - 1] : 0;
    for (size_t i = 0; len && i < sizeof credit_ends / sizeof credit_ends[0]; i++) {
        size_t n = strlen(credit_ends[i]);
        if (credit_ends[i][n - 1] != last)
            continue;
        if (n <= len && memcmp(r.p + len - n, credit_ends[i], n) == 0) {
            *why = i >= FIRST_DASH_END ? TD_CUE_WHY_SIGNOFF : "caption: credit at end";
            return true;
        }
    }
#define N(a) (sizeof a / sizeof a[0])
    bool hit = (memchr(r.p, '/', r.len) && mark_in(r, marks_slash, N(marks_slash))) ||
               (memchr(r.p, ':', r.len) && mark_in(r, marks_colon, N(marks_colon))) ||
               (memchr(r.p, '(', r.len) && mark_in(r, marks_paren, N(marks_paren)));
    if (!hit)
        hit = low_word_mark(l);
#undef N
    if (hit) {
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
