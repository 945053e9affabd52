# Places the gazetteer lacks, end to end on the fictional demo world
# (data/demo/gazetteer.tsv, compiled into build/data by make): a street in
# Port Almas gets the city's point marked "city", a village named only with
# its country gets the country's point marked "country", and places the
# gazetteer has keep "exact"; the event at the street is exported with the
# street's name and the city's point, marked the same way.
. "$(dirname "$0")/lib.sh"
DATA=${TIDINGS_DATA:-$(dirname "$TIDINGS")/data}
[ -f "$DATA/places.bin" ] || { echo "SKIP: no gazetteer at $DATA (make builds it)"; exit 0; }
export TIDINGS_DATA="$DATA"
DB="$(dbt places)"
cat >"$T/street.txt" <<'EOF'
Dockworkers block Tanner Quay Road in Port Almas

PORT ALMAS, Veloria (Meridian Press) - Several hundred dockworkers blocked Tanner Quay Road in Port Almas on Tuesday, demanding back pay from the harbour authority, police said.

The protest on Tanner Quay Road lasted six hours before the crowd dispersed peacefully, a police spokesman said.
EOF
cat >"$T/village.txt" <<'EOF'
Floods cut off Veloria hill village

DORVANI, Veloria (Meridian Press) - Floods cut off the hill village of Marrowfen in Veloria on Wednesday, the national disaster agency said. Rescue teams reached Marrowfen by helicopter on Thursday.
EOF
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$T/street.txt" "$T/village.txt"
expect_exit 0 "$TIDINGS" export --db "$DB" --format jsonl
cp "$T/out" "$T/export.jsonl"
python3 - "$T/export.jsonl" <<'PY' || fail "places the gazetteer lacks"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
places = {r["name"]: r for r in rows if r["kind"] == "entity" and r["type"] == "place"}
def check(name, cc, prec, lat=None, lon=None):
    p = places.get(name)
    assert p, (name, sorted(places))
    assert p["country"] == cc, p
    assert p["coord_precision"] == prec, p
    if lat is not None:
        assert abs(p["lat"] - lat) < 0.01 and abs(p["lon"] - lon) < 0.01, p
    if prec != "exact":
        assert p.get("within"), p
check("Port Almas", "XV", "exact", -18.1, -19.6)
check("Tanner Quay Road", "XV", "city", -18.1, -19.6)
assert places["Tanner Quay Road"]["within"] == "Port Almas", places["Tanner Quay Road"]
check("Marrowfen", "XV", "country")
assert places["Marrowfen"]["lat"] is not None
events = [r for r in rows if r["kind"] == "event"]
loc = [e["location"] for e in events if (e.get("location") or {}).get("name") == "Tanner Quay Road"]
assert loc, events
assert loc[0]["coord_precision"] == "city" and loc[0]["within"] == "Port Almas", loc
assert abs(loc[0]["lat"] - -18.1) < 0.01, loc
print("ok")
PY
# the table behind it
[ "$(sql "$DB" "SELECT approx FROM entity_approx x JOIN entity e ON e.id = x.id WHERE e.name = 'Tanner Quay Road'")" = city ] ||
    fail "entity_approx lacks the street"
expect_exit 0 "$TIDINGS" entity --db "$DB" "Tanner Quay Road"
contains "$T/out" "approx.  city level: the point of Port Almas"
# the API marks the point as approximate too (the web page shows it)
if command -v curl >/dev/null 2>&1; then
    "$TIDINGS" serve --port 0 --db "$DB" >"$T/serve.log" 2>&1 &
    SPID=$!
    trap 'kill $SPID 2>/dev/null; e2e_cleanup' EXIT
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log" | head -1)
        [ -n "$port" ] && break
        sleep 0.1; i=$((i + 1))
    done
    [ -n "$port" ] || { cat "$T/serve.log" >&2; fail "serve did not start"; }
    curl -s "http://127.0.0.1:$port/api/entities?type=place" >"$T/ents.json" || fail "GET /api/entities"
    curl -s "http://127.0.0.1:$port/api/events" >"$T/events.json" || fail "GET /api/events"
    python3 - "$T/ents.json" "$T/events.json" <<'PY' || fail "API coord_precision"
import json, sys
ents = {e["name"]: e for e in json.load(open(sys.argv[1]))["items"]}
assert ents["Tanner Quay Road"]["coord_precision"] == "city", ents
assert ents["Port Almas"]["coord_precision"] == "exact", ents
evs = json.load(open(sys.argv[2]))["items"]
assert any(e["place"] == "Tanner Quay Road" and e["coord_precision"] == "city" for e in evs), evs
PY
fi
# A short update that names no country of its own: its small place abroad
# (Karsk, a Marenthian village) and the road in it are read in the country
# of the reports that share its story and its people (extract/place_story.c)
DB2="$T/context.db"
mkdir -p "$T/ctx"
cat >"$T/ctx/a1.txt" <<'EOF'
Port Almas dockworkers strike over back pay

PORT ALMAS, Veloria (Meridian Press) - Dockworkers in Port Almas walked off the job on Monday over months of unpaid wages, the Harbour Workers Union said. Union leader Tomas Brennick said the strike would go on until the harbour authority paid.
EOF
cat >"$T/ctx/a2.txt" <<'EOF'
Veloria strike spreads along Port Almas docks

PORT ALMAS, Veloria (Meridian Press) - The dockworkers' strike spread to every berth of Port Almas on Tuesday. Tomas Brennick, who leads the Harbour Workers Union, told reporters in Port Almas that the workers wanted their back pay.
EOF
cat >"$T/ctx/a3.txt" <<'EOF'
Veloria government offers talks to striking dockworkers

DORVANI, Veloria (Meridian Press) - The labour ministry offered talks to the striking dockworkers of Port Almas on Wednesday. Tomas Brennick of the Harbour Workers Union said the union would attend.
EOF
cat >"$T/ctx/a4.txt" <<'EOF'
Dockworkers march

Union leader Tomas Brennick led hundreds of dockworkers along Tanner Quay Road in Karsk on Thursday, the Harbour Workers Union said.
EOF
expect_exit 0 "$TIDINGS" ingest --db "$DB2" "$T/ctx"
for n in Karsk "Tanner Quay Road"; do
    [ "$(sql "$DB2" "SELECT e.country FROM art_entity e JOIN article a ON a.rowid = e.article WHERE a.id = 'a4' AND e.name = '$n'")" = XV ] ||
        fail "$n not read in Veloria: $(sql "$DB2" "SELECT name, country, place FROM art_entity WHERE type = 3")"
done
[ "$(sql "$DB2" "SELECT count(*) FROM art_entity e JOIN article a ON a.rowid = e.article WHERE a.id = 'a4' AND e.country = 'XM'")" = 0 ] ||
    fail "a place of a4 stayed in Marenthia"
expect_exit 0 "$TIDINGS" export --db "$DB2" --format jsonl
python3 - "$T/out" <<'PY' || fail "context places exported"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
places = {r["name"]: r for r in rows if r["kind"] == "entity" and r["type"] == "place"}
k = places["Karsk"]
assert k["country"] == "XV" and k["coord_precision"] == "country" and k["within"] == "Veloria", k
PY
# A statement is placed where it was made: the dateline's town, not the
# country the reported attack happened in (extract/event_article.c)
DB3="$T/said.db"
cat >"$T/said.txt" <<'EOF'
Veloria says 14 miners missing after flood

DORVANI, Veloria (Meridian Press) - Fourteen miners are missing after floodwater swept through a mine in southern Veloria on Monday, the interior ministry said on Tuesday.
EOF
expect_exit 0 "$TIDINGS" ingest --db "$DB3" "$T/said.txt"
[ "$(sql "$DB3" "SELECT m.place FROM event_mention m WHERE m.type = 'statement' AND m.modality = 'asserted' LIMIT 1")" = DORVANI ] ||
    fail "statement not placed at its dateline: $(sql "$DB3" "SELECT type, place, place_level FROM event_mention")"
echo ok
