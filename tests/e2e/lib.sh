# lib.sh - shared by the end-to-end tests: a scratch folder, assertions, and
# the database each test writes to, on either backend.
# Each test is a POSIX sh script run with TIDINGS set to the binary.
#
# Backends: a test names its databases with `dbt NAME`, which prints
# "$T/NAME.db" (SQLite) or, when TIDINGS_E2E_PG holds a PostgreSQL server URL,
# the URL of a fresh schema e2e_<pid>_<name> on that server (search_path set
# through the URL's options, as td_test_pg_schema in tests/unit/test_util.h
# does). `sql TARGET QUERY` queries either with the same output format
# (fields joined by '|', NULL as nothing, one row a line). Steps that only
# make sense on a SQLite file (permissions, integrity_check, FTS5, a path
# that does not exist) are guarded with `on_sqlite`. The EXIT trap (e2e_cleanup;
# a test that sets its own trap calls it) drops the schemas and the folder.
set -u
: "${TIDINGS:?set TIDINGS to the tidings binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures/e2e"
T=$(mktemp -d "${TMPDIR:-/tmp}/tidings-e2e.XXXXXX")
PG=${TIDINGS_E2E_PG:-}

fail() { echo "FAIL: $*" >&2; exit 1; }
# on_sqlite / on_pg: which backend this run tests
on_sqlite() { [ -z "$PG" ]; }
on_pg() { [ -n "$PG" ]; }
# pgq URL SQL: psql with sqlite3's output shape; no ~/.psqlrc
pgq() { psql "$1" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -c "$2"; }

e2e_cleanup() {
    if on_pg && [ -s "$T/.pg_schemas" ]; then
        # a server a test left running would hold locks: do not wait forever
        pgq "$PG" "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS $(paste -sd, "$T/.pg_schemas") CASCADE" \
            >/dev/null 2>&1 || echo "e2e: could not drop the schemas $(paste -sd' ' "$T/.pg_schemas") on $PG" >&2
    fi
    chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"
}
trap e2e_cleanup EXIT
# a stopped test (kill, Ctrl-C, a failed dbt) still cleans up
trap 'exit 143' TERM INT

# dbt NAME: a database target for this test (see above). Called as
# DB="$(dbt NAME)": a failure cannot exit the test from the command
# substitution's subshell, so it stops the test's shell instead.
dbt() {
    if on_sqlite; then
        echo "$T/$1.db"
        return 0
    fi
    s=$(printf 'e2e_%s_%s' "$$" "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_\n' '_' | cut -c1-63)
    if ! pgq "$PG" "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null 2>"$T/.dbt.err"; then
        cat "$T/.dbt.err" >&2
        echo "FAIL: dbt $1: cannot create the schema $s on $PG" >&2
        kill -TERM $$
        exit 1
    fi
    echo "$s" >>"$T/.pg_schemas"
    case $PG in
    *\?*) echo "$PG&options=-csearch_path%3D$s" ;;
    *) echo "$PG?options=-csearch_path%3D$s" ;;
    esac
}

if on_pg; then
    command -v psql >/dev/null 2>&1 || fail "TIDINGS_E2E_PG is set but psql is not installed"
    pgq "$PG" "SELECT 1" >/dev/null 2>"$T/.dbt.err" || { cat "$T/.dbt.err" >&2; fail "TIDINGS_E2E_PG: no PostgreSQL server answers at $PG"; }
fi
TIDINGS_DB=$(dbt default)
export TIDINGS_DB

# expect_exit CODE CMD... : runs CMD, checks its exit status
expect_exit() {
    want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; got=$?
    [ "$got" -eq "$want" ] || { cat "$T/err" >&2; fail "'$*' exited $got, expected $want"; }
}
# contains FILE TEXT : FILE has a line containing TEXT
contains() { grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; head -50 "$1" >&2; fail "$1 lacks '$2'"; }; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$1 has '$2'"; }
count_kind() { grep -c "\"kind\":\"$2\"" "$1" || true; }
# sql TARGET QUERY : runs QUERY on a database target from dbt (a SQLite file
# or a PostgreSQL URL); rows one a line, fields joined by '|', NULL empty
sql() {
    case $1 in
    postgres://* | postgresql://*) pgq "$1" "$2" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}
