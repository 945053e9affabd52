#!/bin/sh
# serve.sh - `tidings serve` over real HTTP on loopback, against a database
# built from data/demo: every endpoint, status codes, JSON validity,
# pagination, 400/403/404/405/413, path traversal, security headers,
# read-only guarantee, POST ingest, a slow client and 1,000 concurrent
# connections. Stages that have not written their tables yet (events,
# entities, quotes, stories) are stood in for by tests/browser/fixture.sql.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 0; }
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; e2e_cleanup' EXIT

DB="$T/demo.db"
"$TIDINGS" ingest --quiet --db "$DB" "$ROOT/data/demo/scraped" "$ROOT/data/demo/feed.jsonl" >/dev/null 2>&1
[ $? -le 1 ] || fail "ingest of data/demo failed"
have_table() { [ "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = '$1'")" = 1 ]; }
have_table event || sql "$DB" ".read $ROOT/tests/browser/fixture.sql" || fail "fixture"
[ "$(sql "$DB" "SELECT count(*) FROM story")" -gt 0 ] || sql "$DB" ".read $ROOT/tests/browser/fixture.sql"

# start NAME ARGS... : starts a server on a free port, sets $URL
start() {
    name=$1; shift
    "$TIDINGS" serve --port 0 "$@" >"$T/$name.log" 2>&1 &
    PIDS="$PIDS $!"
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/$name.log" | head -1)
        [ -n "$port" ] && break
        sleep 0.1; i=$((i + 1))
    done
    [ -n "$port" ] || { cat "$T/$name.log" >&2; fail "$name did not start"; }
    URL="http://127.0.0.1:$port"
}

# get CODE PATH [curl args...] : checks the status; the body is in $T/body
get() {
    want=$1; path=$2; shift 2
    code=$(curl -s --path-as-is -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$URL$path") || fail "curl $path"
    [ "$code" = "$want" ] || { head -c 400 "$T/body" >&2; fail "$path: HTTP $code, expected $want"; }
}
# json EXPR : evaluates a Python expression on the last body (as j); must be true
json() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
        "$T/body" "$1" || { head -c 600 "$T/body" >&2; echo >&2; fail "$path: not true: $1"; }
}
jval() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/body" "$1"; }

before=$(sha256sum "$DB" | cut -d' ' -f1)
start ro --db "$DB" --max-body 65536 --timeout 2

# -- the API, read-only
get 200 /api; json 'len(j["endpoints"]) >= 12'
grep -qi '^content-security-policy: default-src' "$T/headers" || fail "no CSP header"
grep -qi '^x-content-type-options: nosniff' "$T/headers" || fail "no nosniff"
grep -qi '^x-frame-options: DENY' "$T/headers" || fail "no X-Frame-Options"
grep -qi '^referrer-policy:' "$T/headers" || fail "no Referrer-Policy"
grep -qi '^content-type: application/json' "$T/headers" || fail "API is not JSON"
get 200 /api/stats; json 'j["articles"] == 34 and j["ingest"] is False'

get 200 "/api/articles?limit=10"; json 'len(j["items"]) == 10 and j["total"] == 34 and j["next_cursor"]'
p1=$(jval '",".join(a["id"] for a in j["items"])'); cur=$(jval 'j["next_cursor"]')
get 200 "/api/articles?limit=10&cursor=$cur"; p2=$(jval '",".join(a["id"] for a in j["items"])')
get 200 "/api/articles?limit=10&offset=10"; p2o=$(jval '",".join(a["id"] for a in j["items"])')
[ "$p2" = "$p2o" ] || fail "cursor page ($p2) differs from offset page ($p2o)"
for id in $(echo "$p1" | tr ',' ' '); do case ",$p2," in *",$id,"*) fail "pages overlap on $id";; esac; done
get 200 "/api/articles?limit=500"; json 'len(j["items"]) == 34 and j["next_cursor"] is None'
json 'all(a["published"] is None or b["published"] is None or a["published"] >= b["published"] for a, b in zip(j["items"], j["items"][1:]))'
first=$(jval 'j["items"][0]["id"]')
get 200 "/api/articles/$first"; json 'j["id"] == "'"$first"'" and len(j["body"]) > 100 and "copies" in j'
get 404 /api/articles/no-such-article; json 'j["status"] == 404 and j["error"]'
get 200 "/api/articles?from=2025-03&to=2025-03"; json 'j["total"] > 0 and all(a["published"].startswith("2025-03") for a in j["items"])'

get 200 "/api/search?q=ceasefire"; json 'j["total"] > 0 and j["items"][0]["snippet"]'
json 'any(p["match"] for p in j["items"][0]["snippet"])'
n_all=$(jval 'j["total"]')
get 200 "/api/search?q=ceasefire&to=2025-04-30"; json 'j["total"] < '"$n_all"
get 200 "/api/search?q=%22NEAR(%22%20AND%20OR"
get 400 /api/search; json '"q" in j["error"]'

sid=$(sql "$DB" "SELECT story_id FROM event GROUP BY story_id ORDER BY count(*) DESC LIMIT 1")
get 200 /api/stories; json 'j["total"] > 0 and all("title" in s for s in j["items"])'
get 200 "/api/stories/$sid"; json 'len(j["timeline"]) > 0 and len(j["articles"]) > 0'
json 'all(e["date"] is None or f["date"] is None or e["date"] <= f["date"] for e, f in zip(j["timeline"], j["timeline"][1:]))'
json 'all("sources" in e and "best" in e for e in j["timeline"])'
get 404 /api/stories/987654321; json 'j["status"] == 404'

get 200 /api/events; json 'j["total"] > 0'
eid=$(jval 'j["items"][0]["id"]'); etype=$(jval 'j["items"][0]["type"]')
get 200 "/api/events?type=$etype"; json 'all(e["type"] == "'"$etype"'" for e in j["items"])'
get 200 "/api/events?story=$sid&from=2000&to=2100-12-31"; json 'j["total"] > 0'
get 200 "/api/events?format=geojson"; json 'j["type"] == "FeatureCollection"'
grep -qi '^content-type: application/geo+json' "$T/headers" || fail "geojson content type"
pt=$(jval '",".join(str(c) for c in reversed(j["features"][0]["geometry"]["coordinates"]))')
get 200 "/api/events?near=$pt&km=1"; json 'j["total"] >= 1'
get 200 "/api/events/$eid"; json 'j["id"] == '"$eid"' and len(j["sources"]) > 0'
get 404 /api/events/987654321
get 400 "/api/events?type=parade"; json 'j["error"].startswith("type")'
get 400 "/api/events?near=95,10"; json 'j["error"].startswith("near")'
get 400 "/api/events?km=10"; json 'j["error"].startswith("km")'
get 400 "/api/events?from=2025-02-30"; json 'j["error"].startswith("from")'
get 400 "/api/events?limit=100000"; json 'j["error"].startswith("limit")'
# search near a point (R*Tree) agrees with `tidings search --near`
get 400 "/api/search?q=said&near=abc"; json 'j["error"].startswith("near")'
get 400 "/api/search?q=said&km=5"; json 'j["error"].startswith("km")'
if have_table event_geo; then
    pt=$(sql "$DB" "SELECT p.lat || ',' || p.lon FROM event e JOIN entity p ON p.id = e.place_id WHERE p.lat IS NOT NULL GROUP BY p.id ORDER BY count(*) DESC LIMIT 1")
    cli=$("$TIDINGS" search --db "$DB" said --near "$pt" --km 1 --json --limit 500 | wc -l)
    get 200 "/api/search?q=said&near=$pt&km=1&limit=500"; json "j['total'] == $cli and $cli > 0"
fi
get 400 "/api/events?story=abc"; json 'j["error"].startswith("story")'

get 200 /api/entities; json 'j["total"] > 0'
entid=$(jval 'j["items"][0]["id"]')
get 200 "/api/entities/$entid"; json '"aliases" in j'
get 404 /api/entities/987654321
get 200 /api/quotes; json 'isinstance(j["items"], list)'
get 404 /api/nothing-here

# -- writes refused, methods, sizes
get 403 /api/articles -X POST --data-binary '{"text":"A fictional note."}'
get 405 /api/stats -X DELETE
grep -qi '^allow: GET' "$T/headers" || fail "405 without Allow"
get 405 /index.html -X PUT --data-binary 'x'
head -c 100000 /dev/zero | tr '\0' 'a' >"$T/big"
get 413 /api/articles -X POST --data-binary "@$T/big"
[ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$before" ] || fail "the read-only server changed the database"

# -- static files and traversal
get 200 /; grep -qi '^content-type: text/html' "$T/headers" || fail "index not HTML"
contains "$T/body" '<script src="/app.js">'
get 200 /app.js; get 200 /style.css
for p in /../Makefile /web/../Makefile /%2e%2e/Makefile /..%2fMakefile /%2e%2e%2f%2e%2e%2fetc/passwd \
         /.git/config /..%5cMakefile /app.js/..; do
    code=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$URL$p")
    case $code in 400|403|404) ;; *) fail "traversal $p: HTTP $code";; esac
    lacks "$T/body" "CC      ?="
    lacks "$T/body" "root:"
done

# -- a slow client is dropped after --timeout; others are served meanwhile
python3 - "$port" <<'EOF' || fail "slow client"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /api/stats HTTP/1.1\r\nHo")           # and then nothing
t = time.time()
with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as r:
    assert r.status == 200
assert time.time() - t < 2, "a slow client held up another one"
s.settimeout(10)
try:
    d = s.recv(100)
except (ConnectionResetError, socket.timeout):
    d = b""
assert d == b"" or d.startswith(b"HTTP/1.1 4"), d       # closed, or told off
assert time.time() - t < 8, "slow client not dropped"
EOF

# -- 1,000 concurrent connections, all answered
python3 - "$port" <<'EOF' || fail "1000 concurrent connections"
import asyncio, sys
port = int(sys.argv[1])
async def one(i):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.5)  # hold every connection open at once
    w.write(f"GET /api/events?limit=5&offset={i % 3} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    await w.drain()
    data = await r.read()
    w.close()
    return data.startswith(b"HTTP/1.1 200")
async def main():
    res = await asyncio.gather(*(one(i) for i in range(1000)), return_exceptions=True)
    ok = sum(1 for x in res if x is True)
    print(f"{ok}/1000 answered 200")
    sys.exit(0 if ok == 1000 else 1)
asyncio.run(main())
EOF

# -- ingest over POST, only with --allow-ingest
cp "$DB" "$T/rw.db"
start rw --db "$T/rw.db" --allow-ingest --max-body 65536
cat >"$T/new.jsonl" <<'EOF'
{"id": "post-1", "url": "https://harbour-gazette.example/2031/05/02/ferry", "title": "Ferry sinks off Calloway Point", "published": "2031-05-02", "text": "CALLOWAY POINT, May 2 - A passenger ferry sank off Calloway Point on Friday, the coast guard said, and nine people were pulled from the water.\n\nThe vessel, carrying 40 people, went down in rough seas about two miles from the harbour, a spokeswoman for the coast guard said. Rescue boats searched the area through the afternoon."}

{"id": "post-2", "title": "Dock workers strike in Dunmore", "published": "2031-05-04", "text": "DUNMORE, May 4 - Dock workers in Dunmore walked out on Sunday over pay, halting cargo traffic at the port, union leaders said.\n\nThe strike is the first at the port in a decade."}
not json at all
EOF
# answers are cached while the database is unchanged: read them first
get 200 "/api/articles?limit=1"; total0=$(jval 'j["total"]')
get 200 "/api/search?q=ferry+calloway"; found0=$(jval 'j["total"]')
get 200 /api/articles -X POST -H 'Content-Type: application/x-ndjson' --data-binary "@$T/new.jsonl"
json 'j["lines"] == 3 and j["stored"] == 2 and len(j["errors"]) == 1 and j["errors"][0]["line"] == 4'
get 200 /api/articles/post-1; json 'j["title"] == "Ferry sinks off Calloway Point"'
get 200 /api/stats; json 'j["articles"] == 36 and j["ingest"] is True'
# ... and not served stale after a write (here through POST)
get 200 "/api/articles?limit=1"; json "j['total'] == $total0 + 2"
get 200 "/api/search?q=ferry+calloway"; json "j['total'] > $found0"
# ... nor after a write by another process (an ingest beside the server)
printf '{"id":"side-1","title":"Tide tables printed","published":"2031-05-06","text":"DUNMORE, May 6 - The harbour office printed new tide tables on Tuesday after the spring storms, the office said.\\n\\nThe tables cover the next six months."}\n' >"$T/side.jsonl"
"$TIDINGS" ingest --quiet --db "$T/rw.db" "$T/side.jsonl" >/dev/null 2>&1 || fail "ingest beside the server"
get 200 "/api/articles?limit=1"; json "j['total'] == $total0 + 3"
get 200 /api/articles/side-1
get 400 /api/articles -X POST --data-binary 'nothing here'; json 'j["status"] == 400 and len(j["errors"]) == 1'
get 400 /api/articles -X POST --data-binary ''
get 413 /api/articles -X POST --data-binary "@$T/big"

# -- the same API on PostgreSQL (TIDINGS_E2E_PG; docs/api.md "On PostgreSQL"):
# the demo ingested there, every endpoint answers, paging, search and near
if on_pg; then
    PGDB="$(dbt serve)"
    "$TIDINGS" ingest --quiet --db "$PGDB" "$ROOT/data/demo/scraped" "$ROOT/data/demo/feed.jsonl" >/dev/null 2>&1
    [ $? -le 1 ] || fail "ingest of data/demo into PostgreSQL"
    start pg --db "$PGDB" --query-ms 5000
    get 200 /api/stats; json 'j["articles"] == 34 and j["ingest"] is False and j["schema"] > 0'
    get 200 "/api/articles?limit=10"; cur=$(jval 'j["next_cursor"]'); p1=$(jval '",".join(a["id"] for a in j["items"])')
    get 200 "/api/articles?limit=10&cursor=$cur"; p2=$(jval '",".join(a["id"] for a in j["items"])')
    get 200 "/api/articles?limit=10&offset=10"; [ "$(jval '",".join(a["id"] for a in j["items"])')" = "$p2" ] || fail "pg: cursor and offset pages differ"
    get 200 "/api/articles/$(echo "$p1" | cut -d, -f1)"; json '"copies" in j and len(j["body"]) > 100'
    get 200 "/api/search?q=ceasefire"; json 'j["total"] > 0 and any(p["match"] for p in j["items"][0]["snippet"])'
    json 'j["items"] == sorted(j["items"], key=lambda a: a["score"])'
    get 400 "/api/search?q=!!!"
    for p in /api/stories /api/events "/api/events?format=geojson" /api/entities /api/quotes /api/follows; do
        get 200 "$p"
    done
    get 200 /api/stories; sid=$(jval 'j["items"][0]["id"]')
    get 200 "/api/stories/$sid"; json 'len(j["articles"]) > 0 and isinstance(j["timeline"], list)'
    get 200 "/api/events?format=geojson"; json 'len(j["features"]) > 0'
    pt=$(jval '"%s,%s" % (j["features"][0]["geometry"]["coordinates"][1], j["features"][0]["geometry"]["coordinates"][0])')
    get 200 "/api/events?near=$pt&km=5"; json 'j["total"] > 0'
    get 200 "/api/events/$(jval 'j["items"][0]["id"]')"; json '"sources" in j'
    get 200 /api/entities; eid=$(jval 'j["items"][0]["id"]'); ename=$(jval 'j["items"][0]["name"]')
    get 200 "/api/entities/$eid"; json '"aliases" in j'
    get 200 "/api/quotes?limit=5"
    get 404 /api/stories/999999
    get 403 /api/articles -X POST --data-binary '{"text":"x"}'
fi
echo "serve: all checks passed"
