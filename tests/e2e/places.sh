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
DB="$T/places.db"
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
echo ok
