/* schema.h - the ordered list of schema migrations (schema.c). */
#ifndef TD_STORE_SCHEMA_H
#define TD_STORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct td_migration {
    int version;          /* 1, 2, ... strictly increasing */
    const char *name;     /* what it adds */
    const char *sql;      /* one or more statements (SQLite) */
    /* Shipped before the schema_migration table existed: a database whose
     * user_version is at least this version has it applied. */
    bool legacy;
    /* The same tables in PostgreSQL's dialect (docs/postgres.md): identity
     * keys, tsvector instead of FTS5, btree instead of R*Tree. NULL: the
     * migration has nothing to do on PostgreSQL (a SQLite-only trigger);
     * "" marks one not written yet (opening PostgreSQL fails naming it). */
    const char *sql_pg;
} td_migration;

/* A column default of the current UTC time in PostgreSQL's dialect, in the
 * form SQLite's strftime('%Y-%m-%dT%H:%M:%SZ','now') gives. */
#define TD_PG_NOW "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

/* Returns the migrations in order and their count in *n. */
const td_migration *td_schema_migrations(size_t *n);

#endif
