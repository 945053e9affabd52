# Limits (docs/reliability.md): each is configurable, enforced and reported
# with the file, line and limit at fault.
#   ingest --max-article-bytes   a larger file is skipped
#   ingest --max-line-bytes      a longer JSON line is skipped, the others kept,
#                                and a 64 MB line costs no 64 MB of memory
#   ingest --max-entities/--max-events  an article keeps the first N
#   serve --max-body             a larger POST gets 413
#   serve --max-conns            beyond N connections the server stops accepting (new
#                                clients wait in the listen queue) until one is free
#                                (one thread here: libmicrohttpd splits N over its threads)
#   serve --timeout              an idle connection is dropped
# and, on the way, that no request path leaves the web root and every answer
# carries the security headers.
# The articles are fictional.
. "$(dirname "$0")/lib.sh"
DB="$(dbt l)"; LINES="$(dbt lines)"; H1="$(dbt h1)"; H2="$(dbt h2)"
REF="$(dbt ref)"; ENT="$(dbt ent)"; EV="$(dbt ev)"

# -- article size
python3 -c "print('Harbour fire in Velmont\n\n' + 'The fire at the Velmont grain pier burned overnight. ' * 400)" >"$T/big.txt"
python3 -c "print('Ferry delayed at Port Amsel\n\nThe morning ferry left Port Amsel two hours late on Monday, the operator said.')" >"$T/small.txt"
expect_exit 1 "$TIDINGS" ingest --db "$DB" --max-article-bytes 4096 "$T/big.txt" "$T/small.txt"
contains "$T/err" "big.txt: file of "
contains "$T/err" "is over the limit of 4096 bytes (--max-article-bytes); skipped"
[ "$(sql "$DB" "select count(*) from article")" -eq 1 ] || fail "the small article was not stored"
expect_exit 2 "$TIDINGS" ingest --db "$DB" --max-article-bytes 0 "$T/small.txt"
contains "$T/err" "--max-article-bytes must be at least 1"

# -- JSON line length: the long line is skipped, its neighbours are not
python3 - "$T/lines.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "l1", "text": "Dock strike in Orlen\n\nDock workers in Orlen stopped work on Tuesday."}) + "\n")
    f.write(json.dumps({"id": "l2", "text": "Long\n\n" + "The Orlen council met again. " * 5000}) + "\n")
    f.write(json.dumps({"id": "l3", "text": "Bridge reopens in Tesk\n\nThe old bridge in Tesk reopened to traffic on Friday."}) + "\n")
EOF
expect_exit 1 "$TIDINGS" ingest --db "$LINES" --max-line-bytes 100000 "$T/lines.jsonl"
contains "$T/err" "lines.jsonl:2: JSON line of "
contains "$T/err" "is over the limit of 100000 bytes (--max-line-bytes); skipped"
[ "$(sql "$LINES" "select id from article order by id" | paste -sd, -)" = "l1,l3" ] ||
    fail "expected l1 and l3 stored"
expect_exit 2 "$TIDINGS" ingest --db "$LINES" --max-line-bytes nine "$T/lines.jsonl"
contains "$T/err" "--max-line-bytes: 'nine' is not a number"

# a 64 MB line with no line break: skipped without holding it (peak RSS is
# compared with a run on a small file, so the models' memory cancels out)
if [ -x /usr/bin/time ]; then
    { printf '{"id": "x", "text": "'; head -c 67108864 /dev/zero | tr '\0' 'a'; printf '"}\n'; } >"$T/huge.jsonl"
    printf '{"id": "y", "text": "Short note from Orlen.\\n\\nAll quiet."}\n' >>"$T/huge.jsonl"
    /usr/bin/time -f '%M' -o "$T/rss_small" "$TIDINGS" ingest -q --db "$H1" "$T/lines.jsonl" --max-line-bytes 1000000 2>/dev/null
    /usr/bin/time -f '%M' -o "$T/rss_huge" "$TIDINGS" ingest --db "$H2" "$T/huge.jsonl" --max-line-bytes 1000000 2>"$T/err"
    contains "$T/err" "huge.jsonl:1: JSON line of 67108888 bytes is over the limit of 1000000 bytes"
    [ "$(sql "$H2" "select count(*) from article where id = 'y'")" -eq 1 ] || fail "the line after the huge one was lost"
    small=$(tail -n 1 "$T/rss_small"); huge=$(tail -n 1 "$T/rss_huge")
    echo "peak RSS: small file $small KB, 64 MB line $huge KB"
    [ "$huge" -lt $((small + 32768)) ] || fail "a 64 MB line took $huge KB (small file: $small KB)"
fi

# -- entities and events per article
python3 - "$T/many.jsonl" <<'EOF'
import json, sys
first = ["Arlo", "Bena", "Cato", "Dara", "Eben", "Fira", "Galen", "Hesper", "Ivo", "Jora", "Kell", "Lusa"]
last = ["Varnell", "Oskarth", "Pellow", "Quarry", "Rendel", "Sorrow", "Thale", "Umber", "Voss", "Wexley", "Yarrow", "Zell"]
names = [f"{f} {l}" for f, l in zip(first, last)]
towns = ["Orlen", "Tesk", "Velmont", "Port Amsel", "Durrow", "Kastel", "Brimholt", "Ashby Cross"]
paras = [f"{n}, a spokesman for the Orlen Harbour Authority, said on Monday that the pier would stay closed." for n in names]
paras += [f"A bomb exploded in a market in {t} on Sunday, killing {i + 3} people, police said." for i, t in enumerate(towns)]
paras += [f"Security forces shelled positions near {t} on Saturday, wounding {i + 2} civilians." for i, t in enumerate(towns)]
text = "Attacks across the Orlen region\n\nORLEN (Wire) - " + "\n\n".join(paras)
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "many", "url": "https://orlen-wire.example/2031/03/02/attacks", "published": "2031-03-02", "text": text}) + "\n")
EOF
expect_exit 0 "$TIDINGS" ingest --db "$REF" "$T/many.jsonl"
ents=$(sql "$REF" "select count(*) from art_entity" 2>/dev/null || echo 0)
evs=$(sql "$REF" "select count(*) from event_mention" 2>/dev/null || echo 0)
if [ "$ents" -gt 5 ]; then
    expect_exit 0 "$TIDINGS" ingest --db "$ENT" --max-entities 5 "$T/many.jsonl"
    contains "$T/err" "many.jsonl:1: $ents entities, over the limit of 5 per article (--max-entities); the first 5 are kept"
    [ "$(sql "$ENT" "select count(*) from art_entity")" -eq 5 ] || fail "--max-entities 5 kept $(sql "$ENT" "select count(*) from art_entity")"
    [ "$(sql "$ENT" "select count(*) from mention m where m.entity_id is not null and m.entity_id not in (select id from entity)")" -eq 0 ] ||
        fail "a mention points at a dropped entity"
else
    echo "skip --max-entities: no entity data in this build ($ents entities)"
fi
if [ "$evs" -gt 3 ]; then
    expect_exit 0 "$TIDINGS" ingest --db "$EV" --max-events 3 "$T/many.jsonl"
    contains "$T/err" "many.jsonl:1: $evs event mentions, over the limit of 3 per article (--max-events); the first 3 are kept"
    [ "$(sql "$EV" "select count(*) from event_mention")" -eq 3 ] || fail "--max-events 3 kept $(sql "$EV" "select count(*) from event_mention")"
else
    echo "skip --max-events: no event mentions ($evs)"
fi
expect_exit 2 "$TIDINGS" ingest --db "$EV" --max-events 0 "$T/many.jsonl"
contains "$T/err" "--max-events must be between 1 and 1000000"

# -- the server
command -v curl >/dev/null 2>&1 || { echo "ok (server limits skipped: no curl)"; exit 0; }
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; e2e_cleanup' EXIT
"$TIDINGS" serve --db "$DB" --port 0 --allow-ingest --max-body 1024 --max-conns 3 --timeout 2 --threads 1 >"$T/serve.log" 2>&1 &
PID=$!
port=""
for i in $(seq 1 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$T/serve.log" >&2; fail "serve did not start"; }
URL="http://127.0.0.1:$port"
head -c 5000 /dev/zero | tr '\0' 'x' >"$T/body"
code=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary "@$T/body" "$URL/api/articles")
[ "$code" = 413 ] || fail "a 5000-byte POST with --max-body 1024 got HTTP $code"
contains "$T/resp" '"status":413'
code=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary '{"id":"p1","text":"Short note from Tesk.\n\nAll calm."}' "$URL/api/articles")
[ "$code" = 200 ] || [ "$code" = 201 ] || fail "a small POST got HTTP $code"

# -- security: no path leaves the web root, every answer has the headers
for p in "/../../../etc/passwd" "/%2e%2e/%2e%2e/%2e%2e/etc/passwd" "/..%2f..%2f..%2fetc/passwd" "/.git/config" \
         "/web/../../etc/passwd" "//etc/passwd"; do
    code=$(curl -s --path-as-is -o "$T/resp" -w '%{http_code}' "$URL$p")
    [ "$code" != 200 ] || fail "GET $p was served"
    lacks "$T/resp" "root:"
done
curl -s -o /dev/null -D "$T/hdr" "$URL/api/stats"
for h in "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" "X-Frame-Options: DENY" \
         "Referrer-Policy: no-referrer"; do
    grep -qiF "$h" "$T/hdr" || fail "missing header $h"
done

python3 - "$port" <<'EOF' || fail "connection limit / idle timeout"
import socket, sys, time, urllib.request
port = int(sys.argv[1])
def status(timeout):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=timeout) as r:
            return r.status
    except Exception as e:
        return repr(e)
held = []
for _ in range(3):                       # fill --max-conns 3 with idle clients
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET /api/stats HTTP/1.1\r\n"); held.append(s)
time.sleep(0.3)
# at the limit the server stops accepting: a 4th client waits in the listen
# queue instead of being served
waited = status(0.8)
assert waited != 200, f"a 4th connection was served beyond --max-conns 3"
held.pop().close()                       # a free slot: served again at once
t = time.time()
assert status(5) == 200, "not served once a connection was free"
print(f"4th connection held back at the limit ({waited}); served {time.time() - t:.2f} s after a slot freed")
t = time.time()                          # --timeout 2 drops idle connections
for s in held:
    s.settimeout(8)
    try:
        data = s.recv(100)
    except ConnectionResetError:
        data = b""
    assert data == b"" or data.startswith(b"HTTP/1.1 408"), f"idle connection got {data!r}"
idle = time.time() - t
assert idle < 6, f"idle connections were dropped only after {idle:.1f} s"
print(f"idle connections dropped after {idle:.1f} s")
EOF
echo ok
