#!/bin/sh
# run.sh [TIDINGS] - the web page in headless Chromium (Debian's chromium,
# started with the flags for a closed network) against the demo corpus: the
# story page must list the story's events in its timeline and draw one map
# point per event with coordinates; markup in article titles must come out as
# text. Screenshots of the story and events pages are kept in $ARTIFACTS
# (default build/artifacts). Skips (exit 0) when chromium is not installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TIDINGS=${1:-${TIDINGS:-$ROOT/build/tidings}}
ARTIFACTS=${ARTIFACTS:-$ROOT/build/artifacts}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "SKIP: chromium is not installed (apt-get install chromium); browser test not run"
    exit 0
fi
for tool in curl python3 sqlite3; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/tidings-browser.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$ARTIFACTS"

# The map's libraries (from npm); without them the page draws an SVG grid.
"$ROOT/scripts/fetch-web-assets" >/dev/null 2>&1 || echo "note: web assets not fetched; testing the fallback map"

DB="$T/demo.db"
"$TIDINGS" ingest --quiet --db "$DB" "$ROOT/data/demo/scraped" "$ROOT/data/demo/feed.jsonl" >/dev/null 2>&1
[ $? -le 1 ] || fail "ingest of data/demo failed"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'event'")" = 1 ] ||
    sqlite3 "$DB" ".read $ROOT/tests/browser/fixture.sql" || fail "fixture"
SID=$(sqlite3 "$DB" "SELECT e.story_id FROM event e JOIN entity p ON p.id = e.place_id WHERE p.lat IS NOT NULL
                     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
[ -n "$SID" ] || fail "no story with mapped events"
# markup in stored text must be shown as text, never run
sqlite3 "$DB" "UPDATE article SET title = 'Harbour notes <img src=x id=injected onerror=alert(1)>'
               WHERE rowid = (SELECT min(rowid) FROM article WHERE story_id = $SID)"

"$TIDINGS" serve --db "$DB" --port 0 >"$T/serve.log" 2>&1 &
PID=$!
port=""
for i in $(seq 1 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve.log" >&2; fail "server did not start"; }
URL="http://127.0.0.1:$port"
N_EVENTS=$(curl -s "$URL/api/stories/$SID" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["timeline"]))')
N_POINTS=$(curl -s "$URL/api/stories/$SID" | python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin)["timeline"] if e["lat"] is not None))')

FLAGS="--no-sandbox --headless --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --disable-default-apps --disable-extensions --disable-dev-shm-usage
       --user-data-dir=$T/profile --virtual-time-budget=5000 --window-size=1280,1000"
# page NAME HASH : the DOM after the scripts ran, and a screenshot
page() {
    # shellcheck disable=SC2086
    timeout 90 "$CHROME" $FLAGS --dump-dom "$URL/#$2" >"$T/$1.html" 2>"$T/$1.err" || fail "chromium failed on #$2"
    # shellcheck disable=SC2086
    timeout 90 "$CHROME" $FLAGS --screenshot="$ARTIFACTS/$1.png" "$URL/#$2" >/dev/null 2>&1 ||
        fail "chromium screenshot of #$2 failed"
}
count() { grep -o "$2" "$T/$1.html" | wc -l; }

page story "/story/$SID"
got=$(count story 'class="tl-event"')
[ "$got" -eq "$N_EVENTS" ] || fail "timeline lists $got events, the story has $N_EVENTS"
pts=$(count story 'event-point')
[ "$pts" -ge "$N_POINTS" ] && [ "$pts" -gt 0 ] || fail "map drew $pts points, expected $N_POINTS"
grep -q "data-points=\"$N_POINTS\"" "$T/story.html" || fail "map reports another number of points"
grep -q 'id="injected"' "$T/story.html" && fail "markup from the database was rendered as HTML"
grep -q 'Harbour notes &lt;img' "$T/story.html" || fail "the title with markup is not shown as text"
lands=$(count story 'class="land')
echo "story $SID: $got timeline events, $pts map points, $lands country shapes"

page home "/"
[ "$(count home 'class="story-item"')" -gt 0 ] || fail "the story list is empty"
page events "/events"
[ "$(count events 'class="tl-event"')" -gt 0 ] || fail "the events page lists no event"
[ "$(count events 'event-point')" -gt 0 ] || fail "the events map has no point"
page search "/search?q=ministry"
[ "$(count search '<mark>')" -gt 0 ] || fail "search results show no highlighted match"
ls "$ARTIFACTS"/*.png >/dev/null || fail "no screenshots"
echo "browser: all checks passed; screenshots in $ARTIFACTS"
