/*
 * warc_par.h - gzip members of a .warc.gz inflated ahead, on several cores
 * (private to read/warc.c; docs/warc.md "Parallel inflate").
 *
 * A .warc.gz is one gzip member per record, so members can be inflated
 * independently. td_warc_par takes over reading the file: the caller's reads
 * pull it in blocks a few ahead (the probe's prefix first) and find candidate
 * member starts in each (the gzip magic 1f 8b 08 with sane flags); a small
 * pool inflates each candidate whole with libdeflate, which checks CRC-32 and
 * length, so a candidate that was only bytes inside another member fails and
 * is dropped.
 *
 * The WARC reader stays sequential and in charge: it takes the raw bytes in
 * order from td_warc_par_read, and at the start of each member asks
 * td_warc_par_take for that file offset; a verified result (the same bytes
 * libdeflate would have produced inline) replaces the inline inflate, and
 * anything else (no candidate there, a member across a block's end, larger
 * than the room given, corrupt) falls back to the sequential path with its
 * messages. So output and error reports do not depend on the threads.
 *
 * Memory is bounded: TD_WARC_PAR_BLOCKS blocks of TD_WARC_PAR_BLOCK raw bytes
 * (plus an overlap) ahead of the caller and one behind, with their inflated
 * members: under 30 MB.
 */
#ifndef TD_READ_WARC_PAR_H
#define TD_READ_WARC_PAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TD_WARC_PAR_BLOCK ((size_t)1 << 20)
#define TD_WARC_PAR_BLOCKS 4

typedef struct td_warc_par td_warc_par;

/* Worker threads for a file (0: read sequentially): TIDINGS_WARC_THREADS
 * when set, else the cores the last minute's load average leaves idle (none
 * on one core); at most 4. */
int td_warc_par_threads(void);

/* Starts reading f (after the probe's prefix head[0..head_len), served
 * first) with `threads` inflating workers. NULL when threads < 1 or on
 * failure (the caller then reads sequentially). max_out is the most inflated
 * bytes one member may give to be kept. */
td_warc_par *td_warc_par_start(FILE *f, const unsigned char *head, size_t head_len, int threads, size_t max_out);

/* Copies up to cap raw bytes, in file order, into dst; 0 at the end of the
 * input (or on an error: see td_warc_par_error). */
size_t td_warc_par_read(td_warc_par *p, unsigned char *dst, size_t cap);

/* For the member starting at raw offset off: when a worker has inflated it,
 * returns true with its inflated bytes copied into dst
 * (room cap) and *made, and *used the member's raw length; false otherwise. */
bool td_warc_par_take(td_warc_par *p, uint64_t off, unsigned char *dst, size_t cap, size_t *made, size_t *used);

/* After td_warc_par_read returned 0: the errno that ended reading (ENOMEM
 * when a block could not be allocated), 0 at a clean end of input. */
int td_warc_par_error(const td_warc_par *p);

/* Stops the threads and frees everything; NULL is fine. */
void td_warc_par_stop(td_warc_par *p);

#endif
