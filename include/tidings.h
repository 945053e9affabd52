/*
 * tidings.h - the public C API of tidings, a news-event engine.
 *
 * A td_engine owns one store (a SQLite file) and runs the pipeline
 *   read -> clean -> text -> dedup -> extract -> merge -> story -> store
 * over the articles it is given. Handles are opaque; every fallible call
 * returns a td_status and writes its result only on success.
 * Details of the last failure are in td_engine_errmsg().
 *
 * Thread safety: one engine is used from one thread at a time.
 */
#ifndef TIDINGS_H
#define TIDINGS_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TD_API __attribute__((visibility("default")))
#else
#define TD_API
#endif

#define TD_VERSION "0.1.0"

typedef enum td_status {
    TD_OK = 0,
    TD_ENOMEM,     /* out of memory */
    TD_EINVAL,     /* bad argument */
    TD_EIO,        /* a file could not be read or written */
    TD_EPARSE,     /* input did not parse */
    TD_ENOTFOUND,  /* no such article, file or record */
    TD_EDB,        /* the database failed */
    TD_EBUSY,      /* the database is locked by another process */
    TD_EREADONLY,  /* the database is read-only */
    TD_ELIMIT      /* input over a configured limit */
} td_status;

typedef struct td_engine td_engine;

/* Counters of one ingest run, also passed to the progress callback. */
#define TD_MAX_STAGES 32

typedef struct td_ingest_stats {
    uint64_t files;      /* files opened */
    uint64_t seen;       /* articles read */
    uint64_t stored;     /* articles new or changed, now stored */
    uint64_t unchanged;  /* articles already stored with the same content */
    uint64_t skipped;    /* articles or files skipped because of an error */
    uint64_t bytes;      /* input bytes read */
    uint64_t bad_utf8;   /* invalid UTF-8 sequences replaced by U+FFFD */
    double seconds;      /* wall time so far */
    /* Time spent in each stage, summed over threads (per-article stages in
     * pipeline order, then the end-of-run stages as "finish:NAME"). */
    struct td_stage_time {
        const char *name;
        double seconds;
    } stage[TD_MAX_STAGES];
    uint32_t n_stage;
} td_ingest_stats;

/* Called for every skipped input: where is "file" or "file:line". */
typedef void (*td_warn_fn)(void *ud, const char *where, const char *msg);
/* Called now and then during ingest (at most every ~100 ms). */
typedef void (*td_progress_fn)(void *ud, const td_ingest_stats *st);

typedef struct td_options {
    const char *db_path;          /* SQLite file; NULL means "./tidings.db" */
    int read_only;                /* open the store read-only */
    uint32_t batch_size;          /* articles per transaction; 0 = 512 */
    uint32_t threads;             /* worker threads for the per-article stages; 0 = one per
                                     core, 1 = none (everything on the caller's thread);
                                     the result is the same whatever the number */
    uint64_t max_article_bytes;   /* larger articles are skipped; 0 = 16 MiB */
    uint64_t max_line_bytes;      /* longer JSON lines are skipped without being held in
                                     memory; 0 = 2 * max_article_bytes + 4 KiB (escapes) */
    uint32_t max_entities;        /* entities kept per article (the first ones); 0 = 1000 */
    uint32_t max_events;          /* event mentions kept per article; 0 = 500 */
    uint32_t dedup_window_days;   /* copies are found among articles dated within this many
                                     days of the newest; bounds the index's memory; 0 = 30 */
    uint32_t dedup_max_entries;   /* hard bound on articles in the copy index; 0 = 4,000,000 */
    uint32_t story_horizon_days;  /* stories idle longer than this take no new articles; 0 = 120 */
    td_warn_fn warn;              /* NULL: warnings are only counted */
    td_progress_fn progress;      /* NULL: no progress */
    void *ud;                     /* passed to warn and progress */
} td_options;

/* One article handed over in memory. Only text is required. */
typedef struct td_input {
    const char *id;         /* NULL: derived from the content hash */
    const char *url;        /* may be NULL */
    const char *text;       /* raw scraped text, UTF-8 expected */
    size_t text_len;
    const char *published;  /* "YYYY-MM-DD..." or NULL */
    const char *outlet;     /* NULL: derived from url */
    const char *title;      /* NULL: found in the text */
    const char *source;     /* file name (for messages), may be NULL */
    uint64_t source_line;   /* line in that file, 0 if none */
    int html;               /* nonzero: text is an HTML page, not scraped text */
} td_input;

typedef enum td_export_format { TD_EXPORT_JSONL = 0, TD_EXPORT_CSV } td_export_format;

/*
 * Opens (creating and migrating if needed) the store named by opt->db_path.
 * @return TD_OK and *out, or TD_EDB/TD_EBUSY/TD_EREADONLY/TD_ENOMEM.
 */
TD_API td_status td_engine_open(const td_options *opt, td_engine **out);
/* Commits pending work and frees the engine. NULL is a no-op. */
TD_API void td_engine_close(td_engine *e);
/* The message of the last failure, never NULL; with e == NULL, that of the
 * last failed td_engine_open in this thread. */
TD_API const char *td_engine_errmsg(const td_engine *e);
TD_API const char *td_status_str(td_status st);

/*
 * Ingests a file, a directory (recursively) or "-" (standard input); the
 * format (JSON lines or scraped text) is found from the content. Bad articles
 * are skipped, counted in st->skipped and reported through opt->warn.
 * @return TD_OK when the path could be read (even with skipped articles),
 *         TD_ENOTFOUND/TD_EIO when it could not, TD_EDB when the store failed.
 */
TD_API td_status td_ingest_path(td_engine *e, const char *path, td_ingest_stats *st);
/* Ingests one article from memory. TD_EPARSE/TD_ELIMIT when it is skipped. */
TD_API td_status td_ingest_input(td_engine *e, const td_input *in, td_ingest_stats *st);
/* Commits what has been ingested so far, without the corpus-wide stages
 * (stories, events merged across sources, ...): for callers that feed many
 * batches and finish once, like `tidings worker`. td_ingest_finish later runs
 * the corpus stages over everything committed since the last finish. */
TD_API td_status td_ingest_commit(td_engine *e, td_ingest_stats *st);
/* Commits what has been ingested so far and runs the corpus-wide stages. */
TD_API td_status td_ingest_finish(td_engine *e, td_ingest_stats *st);

/* Writes every record of the store to out, as FORMAT.md says for jsonl. */
TD_API td_status td_export(td_engine *e, FILE *out, td_export_format fmt);

#ifdef __cplusplus
}
#endif
#endif
