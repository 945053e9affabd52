# Many workers on one PostgreSQL database (issue 10, docs/postgres.md): the
# demo corpus queued and processed by 3 `tidings worker` processes, one of
# them killed with SIGKILL mid-run, gives the same articles, duplicates,
# stories, entities, events and quotes as one `tidings ingest` into SQLite
# (ids that each database numbers itself are compared by content). Needs the
# throwaway server of tests/pg.sh (TIDINGS_TEST_PG); without one the test is
# skipped, except under CI, where the server is required.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"

expect_exit 2 "$TIDINGS" worker --db "$T/file.db" --once
contains "$T/err" "is not a PostgreSQL URL"
expect_exit 2 "$TIDINGS" queue --db "$T/file.db"
expect_exit 2 "$TIDINGS" ingest --db "$T/file.db" --enqueue "$DEMO/feed.jsonl"
contains "$T/err" "need a PostgreSQL database"

if [ -z "${TIDINGS_TEST_PG:-}" ]; then
    [ "${CI:-}" = true ] && fail "TIDINGS_TEST_PG is not set under CI (tests/pg.sh starts the server)"
    echo "skipped: no PostgreSQL server (TIDINGS_TEST_PG)"
    exit 0
fi
command -v psql >/dev/null || fail "psql not found (apt-get install postgresql-client)"

# pg_url NAME: a fresh schema w<pid>_NAME on the test server and a URL whose
# sessions use it (called in $(...): the schemas are found by prefix at exit)
export PGOPTIONS='-c client_min_messages=warning'
pg_url() {
    s="w$$_$1"
    psql "$TIDINGS_TEST_PG" -qc "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null || fail "creating schema $s"
    case $TIDINGS_TEST_PG in *\?*) echo "$TIDINGS_TEST_PG&options=-csearch_path%3D$s" ;; *) echo "$TIDINGS_TEST_PG?options=-csearch_path%3D$s" ;; esac
}
drop_schemas() {
    for s in $(psql "$TIDINGS_TEST_PG" -Atc "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'w$$\_%'" 2>/dev/null); do
        psql "$TIDINGS_TEST_PG" -qc "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1
    done
}
trap 'drop_schemas; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

# the export with database-numbered ids replaced by what they stand for
normalise() {
    python3 - "$1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
story = {r["id"]: "story:" + ",".join(sorted(r["articles"])) for r in rows if r["kind"] == "story"}
out = []
for r in rows:
    if r["kind"] in ("story", "entity", "event", "quote"):
        r.pop("id", None)
    if r.get("story") in story:
        r["story"] = story[r["story"]]
    for k in ("articles", "aliases"):
        if isinstance(r.get(k), list):
            r[k] = sorted(r[k], key=str)
    out.append(json.dumps(r, sort_keys=True))
print("\n".join(sorted(out)))
PY
}
export_norm() { # DB OUT
    expect_exit 0 "$TIDINGS" export --db "$1" --format jsonl
    normalise "$T/out" >"$2"
    [ -s "$2" ] || fail "empty export of $1"
}
same() { # A B WHAT
    cmp -s "$1" "$2" && return 0
    diff "$1" "$2" | head -20 >&2
    fail "$3: differs from the SQLite run"
}

# the reference: one process, SQLite, batches of 4
expect_exit 0 "$TIDINGS" ingest -q --batch 4 --db "$T/ref.db" "$DEMO/scraped" "$DEMO/feed.jsonl"
export_norm "$T/ref.db" "$T/ref.n"
grep -q '"kind": "event"' "$T/ref.n" || fail "the demo corpus gives events"

# 1. one process on PostgreSQL, no workers: ingested directly
P1=$(pg_url direct)
expect_exit 0 "$TIDINGS" ingest -q --batch 4 --db "$P1" "$DEMO/scraped" "$DEMO/feed.jsonl"
export_norm "$P1" "$T/direct.n"
same "$T/ref.n" "$T/direct.n" "ingest into PostgreSQL"

# 2. queued, then 3 workers; one of them is killed mid-run and its batch
#    goes back to the queue when its 2-second lease runs out
P2=$(pg_url workers)
expect_exit 0 "$TIDINGS" ingest --enqueue --db "$P2" "$DEMO/scraped" "$DEMO/feed.jsonl"
contains "$T/err" "queued 34 articles"
expect_exit 0 "$TIDINGS" queue --db "$P2"
contains "$T/out" "new 34"
"$TIDINGS" worker --db "$P2" --batch 4 --threads 1 --lease 2 --poll-ms 50 --name doomed >"$T/w0.log" 2>&1 &
doomed=$!
sleep 0.3
kill -9 "$doomed" 2>/dev/null
wait "$doomed" 2>/dev/null
for w in 1 2 3; do
    "$TIDINGS" worker --db "$P2" --once --batch 4 --threads 1 --poll-ms 50 --name "w$w" >"$T/w$w.log" 2>&1 &
    eval "pid$w=\$!"
done
for w in 1 2 3; do
    eval "wait \$pid$w" || { cat "$T/w$w.log" >&2; fail "worker w$w failed"; }
done
expect_exit 0 "$TIDINGS" queue --db "$P2"
contains "$T/out" "new 0"
contains "$T/out" "claimed 0"
contains "$T/out" "done 34"
contains "$T/out" "finish_pending 0"
cat "$T"/w[123].log | grep -c "merged" >"$T/n_merged"
[ "$(cat "$T/n_merged")" -ge 2 ] || { cat "$T"/w[123].log >&2; fail "the batches were not shared"; }
export_norm "$P2" "$T/workers.n"
same "$T/ref.n" "$T/workers.n" "3 workers (one killed)"

# 3. more articles later: queued while a worker runs, processed, and the
#    corpus stages run again (a second ingest, as on SQLite)
expect_exit 0 "$TIDINGS" ingest -q --batch 4 --db "$T/ref.db" "$FIX/wire.jsonl"
export_norm "$T/ref.db" "$T/ref2.n"
"$TIDINGS" worker --db "$P2" --batch 4 --threads 1 --poll-ms 50 --name late >"$T/late.log" 2>&1 &
late=$!
sleep 0.5
expect_exit 0 "$TIDINGS" ingest --wait --db "$P2" "$FIX/wire.jsonl"
contains "$T/err" "queued 3 articles"
kill -TERM "$late"
wait "$late" || { cat "$T/late.log" >&2; fail "the worker did not stop cleanly on SIGTERM"; }
export_norm "$P2" "$T/workers2.n"
same "$T/ref2.n" "$T/workers2.n" "a second ingest through the workers"
echo ok
