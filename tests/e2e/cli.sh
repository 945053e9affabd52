# The command line: help for every command, usage errors, articles, show, stats.
. "$(dirname "$0")/lib.sh"
DB="$(dbt t)"
expect_exit 0 "$TIDINGS" --help
cp "$T/out" "$T/help"
for c in ingest articles show stats export; do
    contains "$T/help" "  $c"
    expect_exit 0 "$TIDINGS" "$c" --help
    contains "$T/out" "usage: tidings $c"
done
expect_exit 2 "$TIDINGS"
expect_exit 2 "$TIDINGS" frobnicate
contains "$T/err" "unknown command 'frobnicate'"
expect_exit 2 "$TIDINGS" ingest
expect_exit 2 "$TIDINGS" ingest --bogus x
expect_exit 2 "$TIDINGS" export --format xml
expect_exit 0 "$TIDINGS" --version
# a PostgreSQL server that does not answer: a database failure naming the
# server, password hidden, and no file "postgresql:" made
expect_exit 4 "$TIDINGS" stats --db "postgresql://ana:s3cret@127.0.0.1:1/news"
contains "$T/err" "cannot connect to postgresql://ana:***@127.0.0.1:1/news"
lacks "$T/err" "s3cret"
expect_exit 4 "$TIDINGS" ingest --db "postgres://127.0.0.1:1/news" "$FIX/wire.jsonl"
[ ! -e postgres: ] && [ ! -e postgresql: ] || fail "a file was made for a PostgreSQL URL"

expect_exit 0 "$TIDINGS" ingest --db "$DB" "$FIX/wire.jsonl" "$FIX/floods.txt"
expect_exit 0 "$TIDINGS" articles --db "$DB" --limit 2
[ "$(wc -l < "$T/out")" -eq 3 ] || fail "header + 2 rows expected"
contains "$T/out" "PUBLISHED"
expect_exit 0 "$TIDINGS" show --db "$DB" w1
contains "$T/out" "--- body ---"
contains "$T/out" "Ostrava Bay"
contains "$T/out" "--- removed from the body ---"
contains "$T/out" "newsletter"
expect_exit 0 "$TIDINGS" show --db "$DB" --json w2
python3 -c "import json; d=json.load(open('$T/out')); assert d['id']=='w2' and isinstance(d['removed'], list) and d['removed']" || fail "show --json"
expect_exit 3 "$TIDINGS" show --db "$DB" nosuch
contains "$T/err" "no article 'nosuch'"
expect_exit 0 "$TIDINGS" stats --db "$DB"
contains "$T/out" "articles            4"
echo ok
