/*
 * fuzz.h - shared by the libFuzzer targets tests/fuzz/fuzz_<target>.c.
 *
 * Each target file defines one static entry `fuzz_<target>(data, size)` and
 * wraps it with TD_FUZZ_ENTRY, which becomes LLVMFuzzerTestOneInput in the
 * fuzzer build (make fuzz: clang -fsanitize=fuzzer,address,undefined). The
 * regression suite tests/unit/test_fuzz.c includes every target with
 * TD_FUZZ_NO_ENTRY defined and replays every file of tests/fuzz/regress/<target>/ through
 * the static entries, so the crashers found stay fixed in `make check` (plain
 * and ASan+UBSan) without clang.
 *
 * Invariants: a target never keeps state between inputs except read-only
 * set-up made once (the API target's database); everything it allocates is
 * freed before it returns, so LeakSanitizer reports only the library's leaks.
 * Helper names inside a target are prefixed with the target's name, since the
 * regression suite puts every target in one translation unit.
 */
#ifndef TD_FUZZ_H
#define TD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/str.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef TD_FUZZ_NO_ENTRY
#define TD_FUZZ_ENTRY(fn)
#else
#define TD_FUZZ_ENTRY(fn)                                                                                    \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#endif

/* Copies size bytes into an exact-size heap block (no NUL after them), so an
 * overread of the view is an ASan report even when the caller's buffer is
 * larger. NULL for size 0 or when malloc fails. */
static inline char *td_fuzz_dup(const uint8_t *data, size_t size)
{
    if (size == 0)
        return NULL;
    char *p = td_malloc(size);
    if (p)
        memcpy(p, data, size);
    return p;
}

/* The same, NUL-terminated (for APIs that take C strings). */
static inline char *td_fuzz_dupz(const uint8_t *data, size_t size)
{
    char *p = td_malloc(size + 1);
    if (p) {
        if (size)
            memcpy(p, data, size);
        p[size] = '\0';
    }
    return p;
}

/* The bytes through the UTF-8 gate (td_utf8_sanitize), as every stage after
 * `text` receives them: the extractors may assume valid UTF-8/NFC. The copy
 * lives in arena (red-zoned under ASan). {NULL,0} on allocation failure. */
static inline td_str td_fuzz_text(td_arena *arena, const uint8_t *data, size_t size)
{
    uint32_t bad = 0;
    return td_utf8_sanitize(arena, td_str_make((const char *)data, size), &bad);
}

#endif
