# lib.sh - shared by the end-to-end tests: a scratch folder, assertions.
# Each test is a POSIX sh script run with TIDINGS set to the binary.
set -u
: "${TIDINGS:?set TIDINGS to the tidings binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures/e2e"
T=$(mktemp -d "${TMPDIR:-/tmp}/tidings-e2e.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
export TIDINGS_DB="$T/default.db"

fail() { echo "FAIL: $*" >&2; exit 1; }
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
sql() { sqlite3 "$1" "$2"; }
