# pg.sh - sourced by tests/run-unit and tests/run-all: gives the suites a
# throwaway PostgreSQL server (scripts/pg-test-cluster) and exports its URL
# as TIDINGS_TEST_PG, which the PostgreSQL runs of the tests read. A URL
# already in TIDINGS_TEST_PG is used as it is (and left running);
# TIDINGS_NO_PG=1 skips PostgreSQL. Without a server installed the
# PostgreSQL runs are skipped with a message, except under CI (CI=true),
# where that is a failure: CI must test both backends (docs/postgres.md).
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
