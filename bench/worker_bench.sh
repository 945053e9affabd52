#!/bin/sh
# bench/worker_bench.sh CORPUS [WORKERS...] - throughput of `tidings worker`
# on one PostgreSQL server on this machine (issue 10, docs/postgres.md).
#
# Starts a throwaway server (scripts/pg-test-cluster), then for reference
# times one `tidings ingest` into SQLite and one into PostgreSQL, and for
# each worker count (default 1 2 4) queues CORPUS into a fresh schema and
# times that many `tidings worker --once` processes draining it (batches of
# $BATCH, default 256; $THREADS pipeline threads each, default 1, so N
# workers use N cores). Prints one line per run: articles/s, wall seconds,
# PostgreSQL round trips per article (td_db_pg_round_trips, summed over the
# workers), and the time the workers spent waiting for their turn.
set -eu
cd "$(dirname "$0")/.."
TIDINGS=${TIDINGS:-build/tidings}
CORPUS=${1:?usage: bench/worker_bench.sh CORPUS [WORKERS...]}
shift
COUNTS=${*:-1 2 4}
BATCH=${BATCH:-256}
THREADS=${THREADS:-1}
n=$(wc -l <"$CORPUS" | tr -d ' ')
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tidings-wbench.XXXXXX")
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/tidings-wbench-pg.XXXXXX") # its own: the server's user must reach it
url=$(scripts/pg-test-cluster start "$PGDIR") || { echo "worker_bench: no PostgreSQL server" >&2; exit 2; }
trap 'scripts/pg-test-cluster stop "$PGDIR" >/dev/null 2>&1; rm -rf "$TMP" "$PGDIR"' EXIT

schema_url() { # NAME: a fresh schema and a URL using it
    PGOPTIONS='-c client_min_messages=warning' psql "$url" -qc "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1" >/dev/null
    echo "$url&options=-csearch_path%3D$1"
}
now() { date +%s.%N; }
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

t0=$(now)
"$TIDINGS" ingest -q --threads "$THREADS" --db "$TMP/ref.db" "$CORPUS"
t1=$(now)
s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "1 process, SQLite, $THREADS thread(s): $n articles in $s s, $(rate "$s") articles/s"

u=$(schema_url direct)
t0=$(now)
"$TIDINGS" ingest -q --threads "$THREADS" --db "$u" "$CORPUS"
t1=$(now)
s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "1 process, PostgreSQL (no queue), $THREADS thread(s): $n articles in $s s, $(rate "$s") articles/s"

for w in $COUNTS; do
    u=$(schema_url "w$w")
    "$TIDINGS" ingest -q --enqueue --db "$u" "$CORPUS"
    t0=$(now)
    i=0
    pids=""
    while [ $i -lt "$w" ]; do
        "$TIDINGS" worker --once --db "$u" --batch "$BATCH" --threads "$THREADS" --poll-ms 20 \
            --name "b$i" >"$TMP/w$i.log" 2>&1 &
        pids="$pids $!"
        i=$((i + 1))
    done
    for p in $pids; do wait "$p" || { cat "$TMP"/w*.log >&2; exit 1; }; done
    t1=$(now)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    trips=$(sed -n 's/.* \([0-9]*\) PostgreSQL round trips.*/\1/p' "$TMP"/w*.log | awk '{ t += $1 } END { print t + 0 }')
    waits=$(sed -n 's/.* \([0-9.]*\) s waiting for turns.*/\1/p' "$TMP"/w*.log | awk '{ t += $1 } END { printf "%.1f", t }')
    per=$(awk -v t="$trips" -v n="$n" 'BEGIN { printf "%.1f", n ? t / n : 0 }')
    echo "$w worker(s) x $THREADS thread(s), PostgreSQL, batches of $BATCH: $n articles in $s s, $(rate "$s") articles/s, $per round trips/article, $waits s waiting for turns (summed)"
    rm -f "$TMP"/w*.log
done
