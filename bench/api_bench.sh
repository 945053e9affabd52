#!/bin/sh
# api_bench.sh [N] - the HTTP API under load on loopback (bench/run calls it;
# docs/api.md holds the figures).
#
# 1. Builds (once, cached in bench/.cache by N and tidings version) a database
#    of the demo corpus (data/demo, ingested) grown to about N articles
#    (default 100000) by bench/api_bench_grow.py: the corpus copied with new
#    ids and shifted dates, so stories, events, sources, quotes and summaries
#    grow with it in the demo's proportions.
# 2. Starts `tidings serve` on a free loopback port, warms it, then runs
#    wrk (Debian package) with 200 concurrent connections, 2 threads, for
#    BENCH_SECONDS (default 10) against: a typical story (median article
#    count), the largest story, the events list, events filtered by type,
#    the story list and a search.
# 3. Prints one line per endpoint: "<name> | p50 ms | p99 ms | req/s, server
#    CPU per request | errors" (bench/run's table columns), and on stderr the
#    load average before the runs:
#    wrk runs on the same cores as the server (and as anything else running),
#    so its latencies include the client's own scheduling; the server's CPU
#    time per request (from /proc) does not depend on the load.
# Environment: TIDINGS (binary), CONNS (200), BENCH_SECONDS, SERVE_THREADS (4),
# WRK_THREADS (2), API_BENCH_DB (measure that database instead of building
# one), CACHE_MB (the server's --cache-mb; 0 measures every answer computed
# afresh).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIDINGS=${TIDINGS:-build/tidings}
CONNS=${CONNS:-200}
SECS=${BENCH_SECONDS:-10}
[ "${BENCH_QUICK:-0}" = 1 ] && SECS=3
N=${1:-100000}
case $N in ''|*[!0-9]*) echo "api_bench: N must be a number of articles, not '$N'" >&2; exit 2 ;; esac
command -v wrk >/dev/null 2>&1 || { echo "api_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "api_bench: sqlite3 is missing" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "api_bench: python3 is missing" >&2; exit 1; }
CACHE=$ROOT/bench/.cache
mkdir -p "$CACHE"
# the database is rebuilt when N or the binary changes (its schema may be newer)
key=$( (cat "$TIDINGS"; echo "$N"; cat bench/api_bench_grow.py) | cksum | cut -d' ' -f1)
DB=${API_BENCH_DB:-$CACHE/api-$key.db}  # API_BENCH_DB: measure an existing database
if [ ! -s "$DB" ]; then
    rm -f "$CACHE"/api-*.db "$CACHE"/api-*.db-wal "$CACHE"/api-*.db-shm
    echo "api_bench: ingesting data/demo and growing it to $N articles into $DB" >&2
    rm -f "$DB.part" "$DB.part-wal" "$DB.part-shm"
    "$TIDINGS" ingest --quiet --db "$DB.part" data/demo/scraped data/demo/feed.jsonl >&2 ||
        [ $? -eq 1 ] || { echo "api_bench: ingest failed" >&2; exit 1; }
    python3 bench/api_bench_grow.py "$DB.part" "$N" || { echo "api_bench: growing the database failed" >&2; exit 1; }
    sqlite3 "$DB.part" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$DB.part" "$DB"
    rm -f "$DB.part-wal" "$DB.part-shm"
fi
articles=$(sqlite3 "$DB" "SELECT count(*) FROM article")
story_mid=$(sqlite3 "$DB" "SELECT story_id FROM (SELECT story_id, count(*) n FROM article WHERE story_id IS NOT NULL
    GROUP BY 1 ORDER BY n, 1) LIMIT 1 OFFSET (SELECT count(DISTINCT story_id) / 2 FROM article)")
story_max=$(sqlite3 "$DB" "SELECT story_id FROM article WHERE story_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
n_mid=$(sqlite3 "$DB" "SELECT count(*) FROM article WHERE story_id = $story_mid")
n_max=$(sqlite3 "$DB" "SELECT count(*) FROM article WHERE story_id = $story_max")
type=$(sqlite3 "$DB" "SELECT type FROM event GROUP BY 1 ORDER BY count(*) DESC LIMIT 1" 2>/dev/null || echo other)

T=$(mktemp -d "${TMPDIR:-/tmp}/tidings-api-bench.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
# a signal ends the script through the EXIT trap (a closed pipe too: `| head`
# used to leave the server running)
trap 'exit 1' INT TERM HUP PIPE
"$TIDINGS" serve --db "$DB" --port 0 --threads "${SERVE_THREADS:-4}" --cache-mb "${CACHE_MB:-64}" >"$T/serve.log" 2>&1 &
PID=$!
port=""
for i in $(seq 1 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve.log" >&2; echo "api_bench: server did not start" >&2; exit 1; }
URL=http://127.0.0.1:$port
WT=${WRK_THREADS:-2}
echo "api_bench: $articles articles; story $story_mid ($n_mid articles), story $story_max ($n_max articles);" \
     "$CONNS connections, $WT wrk threads, ${SECS}s each; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2

# the server's CPU time so far in clock ticks (utime + stime), empty if unknown
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat" 2>/dev/null || true; }
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ms VALUE: wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

run() { # name path
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$2")
    [ "$code" = 200 ] || { echo "api_bench: $2 answered $code" >&2; return 1; }
    wrk -t"$WT" -c"$CONNS" -d1s "$URL$2" >/dev/null 2>&1 || true # warm caches
    t0=$(cpu_ticks)
    wrk -t"$WT" -c"$CONNS" -d"${SECS}s" --latency --timeout 5s "$URL$2" >"$T/wrk.txt" 2>&1 || true
    t1=$(cpu_ticks)
    p50=$(awk '$1 == "50%" { print $2 }' "$T/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$T/wrk.txt")
    rps=$(awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$T/wrk.txt")
    errs=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$T/wrk.txt")
    [ -n "$p50" ] || { cat "$T/wrk.txt" >&2; return 1; }
    n=$(awk '/requests in/ { print $1 }' "$T/wrk.txt")
    cpu=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$HZ" \
          'BEGIN { if (a == "" || b == "" || n + 0 == 0) print "?"; else printf "%.1f", (b - a) * 1e6 / hz / n }')
    echo "$1 | $articles articles, $CONNS conns, cache ${CACHE_MB:-64} MB | p50 $(ms "$p50") ms | p99 $(ms "$p99") ms | $rps req/s, server $cpu us CPU/req | $errs errors"
}
run "GET /api/stories/$story_mid (median story, $n_mid articles)" "/api/stories/$story_mid"
run "GET /api/stories/$story_max (largest story, $n_max articles)" "/api/stories/$story_max"
run "GET /api/events" "/api/events"
run "GET /api/events?type=$type" "/api/events?type=$type"
run "GET /api/stories" "/api/stories"
run "GET /api/search?q=ministry" "/api/search?q=ministry"
