#!/bin/sh
# bench/soak.sh - a long ingest-and-query run that reports memory over time
# (docs/reliability.md). POSIX sh + python3.
#
#   SOAK_SECONDS=600 bench/soak.sh        (default 180 s; bench/run passes 60)
#
# `tidings watch DIR` ingests a generated fictional corpus (bench/gen_corpus.c)
# dropped into DIR as one JSON-lines file of SOAK_RATE articles (default 40)
# per second, while `tidings serve` answers a steady stream of API requests
# (stats, article pages, search, stories, events, entities, article details)
# on the same database. Every SOAK_EVERY seconds (default 10) a row gives the
# elapsed time, the articles stored, the requests answered and the resident
# memory of both processes: anonymous (RssAnon: heap and stacks, where a leak
# shows) and total (VmRSS, which also counts the database pages serve maps
# with mmap and so follows the database's size). The last line sums up: articles,
# requests, errors, RSS first -> last (peak) and the growth over the second
# half of the run, where a leak shows as steady growth once caches are warm.
# Exits 1 when a process died or a request failed (5xx, refused); memory is
# reported, not judged (bench/ holds no timed assertions).
# Environment: TIDINGS (default build/tidings), SOAK_SECONDS, SOAK_RATE, SOAK_EVERY.
set -eu
cd "$(dirname "$0")/.."
TIDINGS=${TIDINGS:-build/tidings}
SECS=${SOAK_SECONDS:-180}
RATE=${SOAK_RATE:-40}
EVERY=${SOAK_EVERY:-10}
[ -x "$TIDINGS" ] || { echo "bench/soak.sh: $TIDINGS is missing (make all)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "bench/soak.sh: python3 is needed" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/tidings-soak.XXXXXX")
WPID=""; SPID=""
cleanup() {
    for p in $WPID $SPID; do kill "$p" 2>/dev/null || true; done
    for p in $WPID $SPID; do wait "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

gen=bench/.cache/gen_corpus
if [ ! -x "$gen" ] || [ bench/gen_corpus.c -nt "$gen" ]; then
    gen=$T/gen_corpus
    ${CC:-cc} -O2 -o "$gen" bench/gen_corpus.c -lm
fi
n=$((SECS * RATE + RATE * 10))
"$gen" --n "$n" --seed 5 --out "$T/corpus.jsonl" --quiet
mkdir -p "$T/chunks" "$T/in"
split -l "$RATE" -a 5 "$T/corpus.jsonl" "$T/chunks/c"
# the first chunk creates the database both processes open
first=$(ls "$T/chunks" | head -n 1)
"$TIDINGS" ingest -q --db "$T/soak.db" "$T/chunks/$first" >/dev/null 2>&1 || true
rm -f "$T/chunks/$first"

"$TIDINGS" watch -q --db "$T/soak.db" "$T/in" >"$T/watch.log" 2>&1 &
WPID=$!
"$TIDINGS" serve --db "$T/soak.db" --port 0 --threads 2 >"$T/serve.log" 2>&1 &
SPID=$!
port=""
for _ in $(seq 1 300); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve.log" >&2; echo "bench/soak.sh: serve did not start" >&2; exit 1; }

python3 - "$T" "$port" "$WPID" "$SPID" "$SECS" "$EVERY" <<'EOF'
import json, os, random, sys, time, urllib.error, urllib.request
tmp, port, wpid, spid, secs, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
chunks = sorted(os.listdir(os.path.join(tmp, "chunks")))
base = f"http://127.0.0.1:{port}"
random.seed(1)
WORDS = ["killed", "protest", "minister", "police", "ceasefire", "border", "talks", "strike", "army", "election"]

def rss_mb(pid):
    """Anonymous resident memory (heap, stacks: where a leak shows) and the
    whole VmRSS, which also counts the database pages serve maps (mmap)."""
    anon = total = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    anon = int(line.split()[1]) / 1024.0
                elif line.startswith("VmRSS:"):
                    total = int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None if anon is None else (anon, total)

def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            body = r.read()
            return r.status, body
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception as e:
        return 0, repr(e).encode()

def query():
    k = random.randrange(8)
    if k == 0:
        return get("/api/stats")
    if k == 1:
        return get(f"/api/articles?limit=20&offset={random.randrange(0, 500)}")
    if k == 2:
        return get("/api/search?q=" + random.choice(WORDS))
    if k == 3:
        return get("/api/stories?limit=20")
    if k == 4:
        return get("/api/events?limit=20")
    if k == 5:
        return get("/api/entities?limit=20")
    if k == 6:
        st, body = get("/api/articles?limit=1&offset=" + str(random.randrange(0, 200)))
        try:
            items = json.loads(body).get("items", [])
        except ValueError:
            items = []
        if st == 200 and items:
            return get("/api/articles/" + urllib.request.quote(str(items[0]["id"])))
        return st, body
    return get("/api/quotes?limit=20")

start = time.time()
next_feed, next_sample, fed, reqs, errors, not_found = start, start, 0, 0, 0, 0
samples = []
print(f"{'t (s)':>6} {'articles':>9} {'requests':>9} {'watch anon/RSS MB':>18} {'serve anon/RSS MB':>18}", flush=True)
while True:
    now = time.time()
    if now - start >= secs:
        break
    if now >= next_feed and fed < len(chunks):
        src = os.path.join(tmp, "chunks", chunks[fed])
        tmpname = os.path.join(tmp, "in", f"c{fed:06d}.jsonl.tmp")
        os.replace(src, tmpname)
        os.replace(tmpname, os.path.join(tmp, "in", f"c{fed:06d}.jsonl"))
        fed += 1
        next_feed += 1.0
    if now >= next_sample:
        st, body = get("/api/stats")
        try:
            arts = json.loads(body).get("articles", 0)
        except ValueError:
            arts = -1
        w, s = rss_mb(wpid), rss_mb(spid)
        if w is None or s is None:
            print("a process died: " + ("watch" if w is None else "serve"), file=sys.stderr)
            sys.exit(1)
        samples.append((now - start, arts, reqs, w[0], s[0], w[1], s[1]))
        print(f"{now - start:6.0f} {arts:9d} {reqs:9d} {w[0]:9.1f}/{w[1]:<8.1f} {s[0]:9.1f}/{s[1]:<8.1f}", flush=True)
        next_sample += every
    st, _ = query()
    reqs += 1
    if st == 404:
        not_found += 1       # a stage's table may not exist yet: counted apart
    elif st != 200:
        errors += 1
        if errors <= 5:
            print(f"request failed: HTTP {st}", file=sys.stderr)
# let watch finish what it was given, then the last sample
time.sleep(2)
st, body = get("/api/stats")
try:
    arts = json.loads(body).get("articles", 0)
except ValueError:
    arts = -1
w, s = rss_mb(wpid), rss_mb(spid)
if w is None or s is None:
    print("a process died at the end", file=sys.stderr)
    sys.exit(1)
samples.append((time.time() - start, arts, reqs, w[0], s[0], w[1], s[1]))
print(f"{time.time() - start:6.0f} {arts:9d} {reqs:9d} {w[0]:9.1f}/{w[1]:<8.1f} {s[0]:9.1f}/{s[1]:<8.1f}")
half = [x for x in samples if x[0] >= secs / 2] or samples[-1:]
gw, gs = samples[-1][3] - half[0][3], samples[-1][4] - half[0][4]
peak_w, peak_s = max(x[3] for x in samples), max(x[4] for x in samples)
print(f"soak {secs:.0f} s: {arts} articles stored, {reqs} requests ({reqs / secs:.0f}/s, {errors} errors, {not_found} 404), "
      f"watch anon RSS {samples[0][3]:.0f} -> {samples[-1][3]:.0f} MB (peak {peak_w:.0f}, second half {gw:+.1f}), "
      f"serve anon RSS {samples[0][4]:.0f} -> {samples[-1][4]:.0f} MB (peak {peak_s:.0f}, second half {gs:+.1f}; "
      f"with mapped db pages {samples[-1][6]:.0f} MB)")
sys.exit(1 if errors else 0)
EOF
