# One store, two backends (issue 10): the demo corpus ingested into SQLite
# and into a fresh PostgreSQL schema gives the same export (jsonl and csv)
# and the same output from every read command (stats, articles, show,
# entities, entity, stories, story, events in every format, event, quotes,
# search, follow, alerts with their payloads), byte for byte. What differs by design is left
# out: the stats line naming the database, the merge times events carry
# (created_at/updated_at), and search's ranking and snippets (FTS5's bm25 and
# snippet() against ts_rank_cd and ts_headline: the matching articles are
# compared as a set). Needs the throwaway server of tests/pg.sh
# (TIDINGS_TEST_PG); skipped without one, except under CI.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"

if [ -z "${TIDINGS_TEST_PG:-}" ]; then
    [ "${CI:-}" = true ] && fail "TIDINGS_TEST_PG is not set under CI (tests/pg.sh starts the server)"
    echo "skipped: no PostgreSQL server (TIDINGS_TEST_PG)"
    exit 0
fi
command -v psql >/dev/null || fail "psql not found (apt-get install postgresql-client)"

# a fresh schema on the test server and a URL whose sessions use it
S="b$$_demo"
psql "$TIDINGS_TEST_PG" -qc "DROP SCHEMA IF EXISTS $S CASCADE; CREATE SCHEMA $S" >/dev/null || fail "creating schema $S"
trap 'psql "$TIDINGS_TEST_PG" -qc "DROP SCHEMA IF EXISTS $S CASCADE" >/dev/null 2>&1; e2e_cleanup' EXIT
case $TIDINGS_TEST_PG in
*\?*) PGDB="$TIDINGS_TEST_PG&options=-csearch_path%3D$S" ;;
*) PGDB="$TIDINGS_TEST_PG?options=-csearch_path%3D$S" ;;
esac
LITE="$T/lite.db"

expect_exit 0 "$TIDINGS" ingest -q --db "$LITE" "$DEMO/scraped" "$DEMO/feed.jsonl"
expect_exit 0 "$TIDINGS" ingest -q --db "$PGDB" "$DEMO/scraped" "$DEMO/feed.jsonl"

for f in jsonl csv; do
    expect_exit 0 "$TIDINGS" export --db "$LITE" --format $f
    mv "$T/out" "$T/lite.$f"
    expect_exit 0 "$TIDINGS" export --db "$PGDB" --format $f
    mv "$T/out" "$T/pg.$f"
    [ -s "$T/lite.$f" ] || fail "empty $f export"
    cmp -s "$T/lite.$f" "$T/pg.$f" || { diff "$T/lite.$f" "$T/pg.$f" | head -10 >&2; fail "export $f differs"; }
done
grep -q '"kind":"event"' "$T/lite.jsonl" || fail "the demo corpus gives events"

# run NAME ARGS...: the command on both backends; outputs and exit codes kept
n=0
run() {
    n=$((n + 1))
    "$TIDINGS" "$@" --db "$LITE" >"$T/l.$n" 2>"$T/le.$n"; echo $? >"$T/lrc.$n"
    "$TIDINGS" "$@" --db "$PGDB" >"$T/p.$n" 2>"$T/pe.$n"; echo $? >"$T/prc.$n"
    echo "$*" >"$T/cmd.$n"
}
# times of the merge are the run's own
untimed() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' "$1"; }
check() { # N: outputs equal
    [ "$(cat "$T/lrc.$1")" = "$(cat "$T/prc.$1")" ] ||
        { cat "$T/pe.$1" >&2; fail "'$(cat "$T/cmd.$1")' exits $(cat "$T/lrc.$1") on SQLite, $(cat "$T/prc.$1") on PostgreSQL"; }
    untimed "$T/l.$1" >"$T/l.t"
    untimed "$T/p.$1" >"$T/p.t"
    cmp -s "$T/l.t" "$T/p.t" || { diff "$T/l.t" "$T/p.t" | head -10 >&2; fail "'$(cat "$T/cmd.$1")' differs between SQLite and PostgreSQL"; }
}

run stats
# the first line names the database
tail -n +2 "$T/l.1" >"$T/l.x"; tail -n +2 "$T/p.1" >"$T/p.x"; mv "$T/l.x" "$T/l.1"; mv "$T/p.x" "$T/p.1"
run articles --limit 0
run articles --outlet 'Kestrel Herald'
run articles --offset 5 --limit 5
for a in $(sql "$LITE" "SELECT id FROM article ORDER BY rowid"); do run show "$a"; done
for a in $(sql "$LITE" "SELECT id FROM article ORDER BY rowid LIMIT 4"); do run show --json "$a"; done
run show no-such-article
run entities --limit 0
run entities --type person
run entities --type place --limit 7
# the most mentioned (the commands cost a process each)
for i in $(sql "$LITE" "SELECT id FROM entity_info ORDER BY n_mentions DESC, id LIMIT 25"); do run entity "n$i"; done
run entity 'crimson dawn front'
run entity CDF
run entity 'qasr tamun'
run entity nobody-of-that-name
run stories --limit 0
run stories --since 2025-03-01
for s in $(sql "$LITE" "SELECT id FROM story ORDER BY id"); do
    run story "s$s"
    run story --passages 3 "$s"
done
for f in table csv json geojson; do run events --format $f; done
for t in airstrike protest statement raid_or_arrest; do run events --type $t; done
run events --actor crimson
run events --actor cdf --format csv
run events --place sahrat --format json
run events --place xv
run events --from 2025-03 --to 2025-04
run events --story s3 --format geojson
for e in $(sql "$LITE" "SELECT id FROM event ORDER BY id"); do run event "e$e"; done
run event e99999
run quotes --limit 0
run quotes --json --limit 0
run quotes --speaker tessaly
run quotes --speaker 'crimson dawn front' --json
run quotes --story s2
run quotes --article d03
# follows: matching, the alerts made and their payloads
run follow add --entity cdf --backlog --to feed
run follow add --place sahrat --type airstrike --backlog --to feed
run follow add --near -20.55,-16.9 --km 80 --min-killed 3 --backlog --to feed
run follow add --query ceasefire --backlog --to feed
run alerts --send
run alerts --json
run follow list
i=1
while [ $i -le $n ]; do
    check $i
    i=$((i + 1))
done

# search: the same articles match (ranking and snippets differ by engine)
for q in ceasefire 'air strike' police; do
    expect_exit 0 "$TIDINGS" search --db "$LITE" --json --limit 100 "$q"
    grep -o '"id":"[^"]*"' "$T/out" | sort >"$T/sl"
    expect_exit 0 "$TIDINGS" search --db "$PGDB" --json --limit 100 "$q"
    grep -o '"id":"[^"]*"' "$T/out" | sort >"$T/sp"
    [ -s "$T/sl" ] || fail "search '$q' finds nothing"
    cmp -s "$T/sl" "$T/sp" || { diff "$T/sl" "$T/sp" >&2; fail "search '$q' matches other articles on PostgreSQL"; }
done
echo "ok: $n commands and the export identical on SQLite and PostgreSQL"
