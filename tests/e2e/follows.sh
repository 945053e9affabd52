#!/bin/sh
# follows.sh - follows and alerts end to end on the demo corpus (data/demo,
# fictional), ingested in two batches: the first batch alerts on every
# matching event once; re-ingesting alerts nobody; the second batch alerts
# only on new events and on events it materially changed (a source, a toll,
# a date), once each. Sinks: a JSON-lines file, a webhook on a loopback
# listener that fails and then recovers (failures recorded, retried at the
# next run, nothing lost or doubled), and the Atom feed at /feeds/ID.atom
# parsed by a real XML parser. Plus usage errors and follow rm.
. "$(dirname "$0")/lib.sh"

DEMO="$ROOT/data/demo"
DB="$(dbt f)"
mkdir -p "$T/b1" "$T/b2"
for f in "$DEMO"/scraped/d0*.txt "$DEMO"/scraped/d1[0-3].txt; do cp "$f" "$T/b1/"; done
for f in "$DEMO"/scraped/d1[4-9].txt "$DEMO"/scraped/d2*.txt; do cp "$f" "$T/b2/"; done
cp "$DEMO/feed.jsonl" "$T/b2/"
export TIDINGS_WEBHOOK_TRIES=2 TIDINGS_WEBHOOK_BACKOFF_MS=20 TIDINGS_WEBHOOK_TIMEOUT_MS=3000

# -- a loopback webhook receiver: answers 500 to the first FAIL requests,
# then 200; logs every accepted body, one per line
cat >"$T/hook.py" <<'EOF'
import http.server, sys, os
fail_first = int(sys.argv[1]); out = sys.argv[2]; portfile = sys.argv[3]
seen = {"n": 0}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        seen["n"] += 1
        if seen["n"] <= fail_first or os.path.exists(out + ".down"):
            self.send_response(500); self.end_headers(); self.wfile.write(b"receiver busy"); return
        assert self.headers.get("Content-Type") == "application/json"
        with open(out, "ab") as f:
            f.write(body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile + ".tmp", "w").write(str(s.server_port)); os.rename(portfile + ".tmp", portfile)
s.serve_forever()
EOF
python3 "$T/hook.py" 3 "$T/hook.log" "$T/hook.port" &
HOOK=$!
SERVE=
trap 'kill $HOOK 2>/dev/null; [ -n "$SERVE" ] && kill $SERVE 2>/dev/null; e2e_cleanup' EXIT
i=0; while [ ! -s "$T/hook.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/hook.port" ] || fail "webhook listener did not start"
HOOKURL="http://127.0.0.1:$(cat "$T/hook.port")/alerts"

# -- usage errors name the field at fault
expect_exit 2 "$TIDINGS" --db "$DB" follow add --entity X
contains "$T/err" "--to"
expect_exit 2 "$TIDINGS" --db "$DB" follow add --to alerts.txt
contains "$T/err" "alerts.txt"
expect_exit 2 "$TIDINGS" --db "$DB" follow add --type picnic --to feed
contains "$T/err" "picnic"
expect_exit 2 "$TIDINGS" --db "$DB" follow add --near 95,10 --to feed
contains "$T/err" "latitude"
expect_exit 2 "$TIDINGS" --db "$DB" follow add --km 5 --to feed
contains "$T/err" "--near"
expect_exit 2 "$TIDINGS" --db "$DB" follow add --place Dorvani --near -18,-17 --to feed
expect_exit 2 "$TIDINGS" --db "$DB" follow add --to "$T/no/such/dir/a.jsonl"
contains "$T/err" "no/such/dir"
expect_exit 2 "$TIDINGS" --db "$DB" alerts --since yesterday
contains "$T/err" "--since"

# -- follows on an empty database
expect_exit 0 "$TIDINGS" --db "$DB" follow add --to "$T/all.jsonl"
contains "$T/out" "follow 1: every event"
expect_exit 0 "$TIDINGS" --db "$DB" follow add --type airstrike --to feed
expect_exit 0 "$TIDINGS" --db "$DB" follow add --near -20.55,-16.90 --km 120 --min-killed 5 --to "$HOOKURL"
expect_exit 0 "$TIDINGS" --db "$DB" follow add --place Varnholm --to "$T/varnholm.jsonl"
expect_exit 0 "$TIDINGS" --db "$DB" follow list
contains "$T/out" "type airstrike -> feed"
contains "$T/out" "within 120 km of -20.5500,-16.9000, killed >= 5 -> $HOOKURL"

# pairs "event revision" of a JSON-lines alert file, and their reasons
pairs() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    a = json.loads(line)
    assert a["kind"] == "alert" and a["event"]["id"] == a["event_id"], line
    print(a["event_id"], a["revision"], a["reason"])' "$1"; }
events() { sql "$DB" "SELECT count(*) FROM event${1:+ WHERE $1}"; }

# -- batch 1: one alert per matching event, all new
expect_exit 0 "$TIDINGS" --db "$DB" ingest "$T/b1"
n1=$(wc -l <"$T/all.jsonl")
[ "$n1" -gt 5 ] || fail "batch 1 made $n1 alerts"
[ "$n1" -eq "$(events)" ] || fail "batch 1: $n1 alerts for $(events) events"
pairs "$T/all.jsonl" >"$T/p1"
[ "$(cut -d' ' -f3 "$T/p1" | sort -u)" = "new" ] || fail "batch 1 alerts are not all new"
[ "$(cut -d' ' -f1 "$T/p1" | sort | uniq -d)" = "" ] || fail "an event alerted twice in batch 1"
[ "$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 2")" -eq "$(events "type = 'airstrike'")" ] ||
    fail "the airstrike follow does not have one alert per airstrike"
[ "$(sql "$DB" "SELECT count(*) FROM alert a JOIN event e ON e.id = a.event_id WHERE a.follow_id = 2 AND e.type <> 'airstrike'")" -eq 0 ] ||
    fail "the airstrike follow alerted on another type"
[ "$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 4")" -eq 0 ] || fail "nothing in batch 1 is in Varnholm"

# the webhook: the listener failed 3 requests (2 tries for the first alert,
# then 1 more on retry below); alerts are kept, with the error
nhook=$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 3")
[ "$nhook" -ge 1 ] || fail "no alert for the webhook follow in batch 1"
[ ! -s "$T/hook.log" ] || fail "the failing listener logged an accepted alert"
expect_exit 0 "$TIDINGS" --db "$DB" alerts --follow 3 --pending
contains "$T/out" "HTTP 500: receiver busy"
[ "$(sql "$DB" "SELECT attempts FROM alert WHERE follow_id = 3 ORDER BY id LIMIT 1")" -eq 2 ] ||
    fail "the first webhook alert was not tried twice"

# -- batch 1 again: unchanged, nothing new; the next run retries the webhook
sleep 0.3  # the first alert's backoff (20 ms, doubled per attempt) has passed
expect_exit 0 "$TIDINGS" --db "$DB" ingest "$T/b1"
[ "$(wc -l <"$T/all.jsonl")" -eq "$n1" ] || fail "re-ingesting batch 1 alerted again"
[ "$(wc -l <"$T/hook.log")" -eq "$nhook" ] || fail "the recovered listener got $(wc -l <"$T/hook.log") of $nhook alerts"
[ "$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 3 AND sent_at IS NULL")" -eq 0 ] ||
    fail "webhook alerts still pending after the listener recovered"
[ "$(sql "$DB" "SELECT attempts FROM alert WHERE follow_id = 3 ORDER BY id LIMIT 1")" -eq 4 ] ||
    fail "the first webhook alert should have taken 4 attempts (500, 500 | 500, 204)"

# -- batch 2: only what is new or materially changed, once each
expect_exit 0 "$TIDINGS" --db "$DB" ingest "$T/b2"
pairs "$T/all.jsonl" >"$T/p2"
n2=$(wc -l <"$T/p2")
[ "$n2" -gt "$n1" ] || fail "batch 2 made no alert"
tail -n +"$((n1 + 1))" "$T/p2" >"$T/new"
[ "$(cut -d' ' -f1,2 "$T/p2" | sort | uniq -d)" = "" ] || fail "an (event, revision) alerted twice"
sql "$DB" "SELECT id, revision FROM event" >"$T/revs"
python3 - "$T/p1" "$T/new" "$T/revs" <<'EOF' || fail "batch 2 alerts"
import sys
first = {int(l.split()[0]): int(l.split()[1]) for l in open(sys.argv[1])}
rev = {int(l.split("|")[0]): int(l.split("|")[1]) for l in open(sys.argv[3])}
created_new = 0
for l in open(sys.argv[2]):
    ev, r, why = l.split(); ev = int(ev); r = int(r)
    if ev in first:
        # a known event alerts again only for a material change
        assert why in ("source", "toll", "date"), l
        assert r > first[ev], l
    else:
        assert why == "new", l
        created_new += 1
    assert rev[ev] == r, l
# every event batch 2 created or changed is in it; unchanged ones are not
changed = {i for i, r in rev.items() if i not in first or r > first[i]}
alerted = {int(l.split()[0]) for l in open(sys.argv[2])}
assert alerted <= changed, (alerted - changed)
assert created_new == len([i for i in rev if i not in first]), created_new
EOF
[ "$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 4")" -ge 1 ] || fail "no Varnholm alert in batch 2"
pairs "$T/varnholm.jsonl" >/dev/null || fail "varnholm.jsonl"
[ "$(sql "$DB" "SELECT count(*) FROM alert a JOIN event e ON e.id = a.event_id WHERE a.follow_id = 4 AND coalesce((SELECT name FROM entity WHERE id = e.place_id), e.place) <> 'Varnholm'")" -eq 0 ] ||
    fail "the Varnholm follow alerted elsewhere"

# -- batch 2 again: nothing
expect_exit 0 "$TIDINGS" --db "$DB" ingest "$T/b2"
[ "$(wc -l <"$T/all.jsonl")" -eq "$n2" ] || fail "re-ingesting batch 2 alerted again"

# -- tidings alerts: listing, filters, JSON lines identical to the sink's
expect_exit 0 "$TIDINGS" --db "$DB" alerts --follow 1 --json
[ "$(wc -l <"$T/out")" -eq "$n2" ] || fail "alerts --follow 1 --json"
cmp -s "$T/out" "$T/all.jsonl" || fail "alerts --json differs from what the sink received"
expect_exit 0 "$TIDINGS" --db "$DB" alerts --since 2999-01-01
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "alerts --since in the future lists alerts"
expect_exit 3 "$TIDINGS" --db "$DB" alerts --follow 99
contains "$T/err" "no follow 99"

# -- a listener that is down: the failure is recorded and delivery resumes
# in order once it is back (alerts --send is what ingest does at its end)
touch "$T/hook.log.down"
sql "$DB" "UPDATE alert SET sent_at = NULL WHERE follow_id = 3 AND id = (SELECT max(id) FROM alert WHERE follow_id = 3)"
before=$(wc -l <"$T/hook.log")
expect_exit 0 "$TIDINGS" --db "$DB" alerts --send --pending
contains "$T/err" "follow 3: POST $HOOKURL failed 2 times (HTTP 500"
contains "$T/out" "last error: HTTP 500"
rm "$T/hook.log.down"
sleep 0.5
expect_exit 0 "$TIDINGS" --db "$DB" alerts --send --pending
[ "$(wc -l <"$T/hook.log")" -eq "$((before + 1))" ] || fail "the resent alert did not arrive once"

# -- the Atom feed, through tidings serve, parsed by libxml2 (xmllint) or python
"$TIDINGS" --db "$DB" serve --port 0 >"$T/serve.log" 2>&1 &
SERVE=$!
for i in $(seq 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve.log" >&2; fail "serve did not start"; }
python3 - "http://127.0.0.1:$port" "$(events "type = 'airstrike'")" <<'EOF' || fail "feed"
import sys, urllib.request, urllib.error
import xml.etree.ElementTree as ET
base, n_airstrikes = sys.argv[1], int(sys.argv[2])
A = "{http://www.w3.org/2005/Atom}"
with urllib.request.urlopen(base + "/feeds/2.atom", timeout=10) as r:
    assert r.headers["Content-Type"].startswith("application/atom+xml"), r.headers["Content-Type"]
    root = ET.fromstring(r.read())
assert root.tag == A + "feed"
for req in ("id", "title", "updated", "author"):
    assert root.find(A + req) is not None, req
entries = root.findall(A + "entry")
assert len(entries) == n_airstrikes, (len(entries), n_airstrikes)
for e in entries:
    for req in ("id", "title", "updated", "summary", "content"):
        assert e.find(A + req) is not None, req
    assert len([l for l in e.findall(A + "link") if l.get("rel") == "alternate"]) <= 1
    content = e.find(A + "content").text
    assert "Place: " in content and "Date: " in content and "Killed: " in content and "Sources:" in content
    assert e.find(A + "category").get("term") == "airstrike"
try:
    urllib.request.urlopen(base + "/feeds/99.atom", timeout=10)
    raise SystemExit("feed 99 exists")
except urllib.error.HTTPError as err:
    assert err.code == 404
EOF
if command -v xmllint >/dev/null 2>&1; then
    curl -sf "http://127.0.0.1:$port/feeds/1.atom" -o "$T/feed.xml" 2>/dev/null ||
        python3 -c "import urllib.request,sys; open(sys.argv[2],'wb').write(urllib.request.urlopen(sys.argv[1]).read())" \
            "http://127.0.0.1:$port/feeds/1.atom" "$T/feed.xml"
    xmllint --noout "$T/feed.xml" || fail "xmllint rejects the feed"
fi
python3 - "http://127.0.0.1:$port" <<'EOF' || fail "read-only server and follows"
import json, sys, urllib.request, urllib.error
base = sys.argv[1]
listing = json.load(urllib.request.urlopen(base + "/api/follows", timeout=10))
assert listing["writable"] is False, listing                  # the page hides its form
items = listing["items"]
assert [f["id"] for f in items] == [1, 2, 3, 4], items
hook = [f for f in items if f["sink"] == "webhook"][0]
assert "/alerts" not in hook["to"] and hook["to"].startswith("http://127.0.0.1:"), hook  # host only
assert items[0]["to"] == "all.jsonl"                                                  # file name only
req = urllib.request.Request(base + "/api/follows", data=b'{"to":"feed"}', method="POST")
try:
    urllib.request.urlopen(req, timeout=10)
    raise SystemExit("a read-only server added a follow")
except urllib.error.HTTPError as err:
    assert err.code == 403, err.code
EOF
kill $SERVE; wait $SERVE 2>/dev/null; SERVE=

# -- the web page's endpoints on a server that allows writes
"$TIDINGS" --db "$DB" serve --port 0 --allow-ingest >"$T/serve2.log" 2>&1 &
SERVE=$!
port=
for i in $(seq 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve2.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve2.log" >&2; fail "serve --allow-ingest did not start"; }
python3 - "http://127.0.0.1:$port" <<'EOF' || fail "POST/DELETE /api/follows"
import json, sys, urllib.request, urllib.error
base = sys.argv[1]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, data=body and json.dumps(body).encode(), method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)
assert call("GET", "/api/follows")[1]["writable"] is True
st, f = call("POST", "/api/follows", {"type": "protest", "place": "Dorvani", "to": "feed"})
assert st == 201 and f["type"] == "protest" and f["feed"] == "/feeds/%d.atom" % f["id"], (st, f)
st, e = call("POST", "/api/follows", {"to": "/tmp/x.jsonl"})
assert st == 400 and e["field"] == "to", (st, e)
st, e = call("POST", "/api/follows", {"near": [95, 1], "to": "feed"})
assert st == 400 and "latitude" in e["error"], (st, e)
st, e = call("POST", "/api/follows", {"min_killed": -2})
assert st == 400 and e["field"] == "min_killed", (st, e)
with urllib.request.urlopen(base + "/feeds/%d.atom" % f["id"], timeout=10) as r:
    assert b"<feed" in r.read()
assert call("DELETE", "/api/follows/%d" % f["id"]) == (200, {"removed": f["id"]})
assert call("DELETE", "/api/follows/%d" % f["id"])[0] == 404
EOF
kill $SERVE; wait $SERVE 2>/dev/null; SERVE=

# -- follow rm
expect_exit 0 "$TIDINGS" --db "$DB" follow rm 4
[ "$(sql "$DB" "SELECT count(*) FROM alert WHERE follow_id = 4")" -eq 0 ] || fail "rm left alerts"
expect_exit 3 "$TIDINGS" --db "$DB" follow rm 4
contains "$T/err" "no follow 4"

# -- a new follow starts from now unless --backlog
expect_exit 0 "$TIDINGS" --db "$DB" follow add --type protest --to "$T/protest.jsonl"
contains "$T/out" "alerts start with the next new or changed one"
expect_exit 0 "$TIDINGS" --db "$DB" follow add --type protest --backlog --to "$T/protest-all.jsonl"
expect_exit 0 "$TIDINGS" --db "$DB" alerts --send
[ ! -s "$T/protest.jsonl" ] || fail "a new follow alerted on old events"
[ "$(wc -l <"$T/protest-all.jsonl")" -eq "$(events "type = 'protest'")" ] || fail "--backlog"

kill $HOOK 2>/dev/null
echo "follows: all checks passed"
