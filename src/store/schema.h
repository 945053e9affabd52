/* schema.h - the ordered list of schema migrations (schema.c). */
#ifndef TD_STORE_SCHEMA_H
#define TD_STORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct td_migration {
    int version;          /* 1, 2, ... strictly increasing */
    const char *name;     /* what it adds */
    const char *sql;      /* one or more statements */
    /* Shipped before the schema_migration table existed: a database whose
     * user_version is at least this version has it applied. */
    bool legacy;
} td_migration;

/* Returns the migrations in order and their count in *n. */
const td_migration *td_schema_migrations(size_t *n);

#endif
