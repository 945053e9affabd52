# pg.sh - sourced by tests/run-unit and tests/run-all: gives the suites a
# throwaway PostgreSQL server (scripts/pg-test-cluster) and exports its URL
# as TIDINGS_TEST_PG, which the PostgreSQL runs of the tests read. A URL
# already in TIDINGS_TEST_PG is used as it is (and left running);
# TIDINGS_NO_PG=1 skips PostgreSQL. Without a server installed the
# PostgreSQL runs are skipped with a message, except under CI (CI=true),
# where that is a failure: CI must test both backends (docs/postgres.md).
#
# The end-to-end tests run a second time on that server (tests/run-all,
# tests/run-e2e): TIDINGS_E2E_PG=$TIDINGS_TEST_PG makes tests/e2e/lib.sh give
# each test database a fresh schema there. PG_E2E_SKIP lists, "name: reason"
# a line, the tests that mean nothing on PostgreSQL; the runners print the
# reason instead of running them. Keep it short: a test with a SQLite-only
# step guards that step with on_sqlite instead.
PG_E2E_SKIP="workers: it runs on PostgreSQL in the first pass already (3 workers against one SQLite ingest)
backends: it runs on PostgreSQL in the first pass already (SQLite and PostgreSQL compared)"
# pg_e2e_skip NAME: the reason test NAME is not run on PostgreSQL, or nothing
pg_e2e_skip() { printf '%s\n' "$PG_E2E_SKIP" | sed -n "s/^$1: //p"; }
pg_dir=""
pg_start() {
    [ -n "${TIDINGS_TEST_PG:-}" ] && return 0
    [ "${TIDINGS_NO_PG:-0}" = 1 ] && { echo "pg: TIDINGS_NO_PG=1, PostgreSQL runs skipped"; return 0; }
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/tidings-pg.XXXXXX")
    if TIDINGS_TEST_PG=$(scripts/pg-test-cluster start "$pg_dir"); then
        export TIDINGS_TEST_PG
        echo "pg: throwaway PostgreSQL at $TIDINGS_TEST_PG"
    else
        rm -rf "$pg_dir"; pg_dir=""
        if [ "${CI:-}" = true ]; then
            echo "pg: could not start PostgreSQL for the tests (see above); CI tests both backends" >&2
            return 1
        fi
        echo "pg: no PostgreSQL server; PostgreSQL runs skipped (apt-get install postgresql)"
    fi
    return 0
}
pg_stop() {
    [ -n "$pg_dir" ] && scripts/pg-test-cluster stop "$pg_dir"
    pg_dir=""
}
