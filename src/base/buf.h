/*
 * buf.h - growable byte buffer, heap-owned, always NUL-terminated yet
 * binary-safe (the pattern of redis' sds, without the header trick).
 * A failed growth sets the sticky `failed` flag; later appends are no-ops, so a
 * caller checks once at the end.
 */
#ifndef TD_BASE_BUF_H
#define TD_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

typedef struct td_buf {
    char *p;       /* NUL-terminated when cap > 0 */
    size_t len;    /* bytes used, excluding the NUL */
    size_t cap;    /* bytes allocated */
    bool failed;   /* sticky: an allocation failed */
} td_buf;

#define TD_BUF_INIT { NULL, 0, 0, false }

bool td_buf_reserve(td_buf *b, size_t extra);
void td_buf_append(td_buf *b, const void *p, size_t len);
static inline void td_buf_append_str(td_buf *b, td_str s) { td_buf_append(b, s.p, s.len); }
void td_buf_puts(td_buf *b, const char *z);
void td_buf_putc(td_buf *b, char c);
void td_buf_printf(td_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void td_buf_vprintf(td_buf *b, const char *fmt, va_list ap);
/* Appends s as the body of a JSON string (no surrounding quotes); bytes
 * that are not well-formed UTF-8 become \ufffd, so the output is always valid
 * JSON whatever s holds. */
void td_buf_json_escape(td_buf *b, td_str s);
/* Appends s as a quoted JSON string, or null when s.p is NULL. */
void td_buf_json_str(td_buf *b, td_str s);
static inline void td_buf_clear(td_buf *b) { b->len = 0; if (b->p) b->p[0] = '\0'; }
static inline td_str td_buf_str(const td_buf *b) { return (td_str){ b->p ? b->p : "", b->len }; }
void td_buf_free(td_buf *b);

#endif
