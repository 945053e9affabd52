# Events on the demo corpus (data/demo, fictional; answer key in its
# README): one event per happening however many outlets reported it, with
# every source attached; threats kept out; claims that disagree shown;
# ACLED CSV, GeoJSON and JSON listings; quotes with their speakers; a second
# ingest changes nothing; bad arguments named.
. "$(dirname "$0")/lib.sh"
DB="$(dbt demo)"
DEMO="$ROOT/data/demo"
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$DEMO/scraped" "$DEMO/feed.jsonl"
expect_exit 0 "$TIDINGS" export --db "$DB" --format jsonl
cp "$T/out" "$T/export.jsonl"
python3 - "$T/export.jsonl" <<'PY' || fail "merged events in the export"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
events = [r for r in rows if r["kind"] == "event"]
quotes = [r for r in rows if r["kind"] == "quote"]
assert events and quotes, (len(events), len(quotes))
for e in events:
    for k in ("id", "type", "date", "actor", "target", "location", "killed", "articles", "story"):
        assert k in e, (k, e)
    assert e["articles"], e
def find(type_, date, place):
    return [e for e in events if e["type"] == type_ and e["date"] == date
            and place.lower() in ((e["location"] or {}).get("name") or "").lower()]
# E1: the Dar el-Mirah air strike of 3 March, reported by three outlets: one record
e1 = find("airstrike", "2025-03-03", "Dar el-Mirah")
assert len(e1) == 1, e1
assert {"f05", "d09", "d10"} <= set(e1[0]["articles"]), e1[0]["articles"]
assert e1[0]["killed"] == 12, e1[0]
# E3: the 14 March strikes on Beit Narun: the wire and its copies in one record
e3 = find("airstrike", "2025-03-14", "Beit Narun")
assert len(e3) == 1, e3
assert {"f01", "d12", "d13", "d14", "d15"} <= set(e3[0]["articles"]), e3[0]["articles"]
assert e3[0]["killed_min"] < e3[0]["killed_max"], e3[0]  # sources disagree: the range is kept
# M1, in another country on the same day, stays apart from E3
assert not set(e3[0]["articles"]) & {"d18", "f06"}, e3[0]["articles"]
# threats only: nothing happened at Port Almas
assert not [e for e in events if "almas" in ((e["location"] or {}).get("name") or "").lower()]
# the earthquake of 9 April at Tell Avrin
assert find("disaster", "2025-04-09", "Tell Avrin"), [e for e in events if e["type"] == "disaster"]
# every quote names its article
assert all(q["article"] and q["text"] for q in quotes)
print(f"{len(events)} events, {len(quotes)} quotes")
PY

# listings: ACLED CSV header, GeoJSON points, JSON array, filters
expect_exit 0 "$TIDINGS" events --db "$DB" --format csv
head -1 "$T/out" | tr -d '\r' > "$T/head"
contains "$T/head" "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,time_precision,fatalities,source,notes"
contains "$T/out" "Explosions/Remote violence,Air/drone strike"
expect_exit 0 "$TIDINGS" events --db "$DB" --format geojson --type airstrike
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['type']=='FeatureCollection' and d['features']; assert all(f['geometry']['type']=='Point' and f['properties']['type']=='airstrike' for f in d['features'])" "$T/out" \
    || fail "geojson"
expect_exit 0 "$TIDINGS" events --db "$DB" --format json --from 2025-03-01 --to 2025-03-31 --place "Beit Narun"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d and all('2025-03' <= e['date'] <= '2025-03-31' for e in d), d" "$T/out" \
    || fail "json with date and place filters"
expect_exit 0 "$TIDINGS" events --db "$DB" --type disaster
contains "$T/out" "disaster"
lacks "$T/out" "airstrike"

# one event: its fields with the sentences and outlets behind them
E3=$(sql "$DB" "select id from event where type = 'airstrike' and date = '2025-03-14' and lower(place) like '%beit narun%' limit 1")
[ -n "$E3" ] || fail "no E3 row"
expect_exit 0 "$TIDINGS" event --db "$DB" "e$E3"
contains "$T/out" "killed  (sources disagree)"
contains "$T/out" "Meridian Press"
contains "$T/out" "air strikes on two villages"

# quotes: by speaker, through an alias or the name as written
expect_exit 0 "$TIDINGS" quotes --db "$DB" --speaker "Elske Brandvik"
[ "$(grep -c Brandvik "$T/out")" -ge 2 ] || fail "quotes of Elske Brandvik"
expect_exit 0 "$TIDINGS" quotes --db "$DB" --json --article d03
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d and all(q['article']=='d03' for q in d)" "$T/out" || fail "quotes --json"

# a second ingest of the same input changes no event, id or revision
sql "$DB" "select id, type, date, revision, created_at, updated_at from event order by id" > "$T/ev1"
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$DEMO/scraped" "$DEMO/feed.jsonl"
sql "$DB" "select id, type, date, revision, created_at, updated_at from event order by id" > "$T/ev2"
cmp "$T/ev1" "$T/ev2" || fail "re-ingest changed the events"

# bad arguments
expect_exit 2 "$TIDINGS" events --db "$DB" --type parade
contains "$T/err" "not an event type"
expect_exit 2 "$TIDINGS" events --db "$DB" --from 2025-3-1
contains "$T/err" "--from"
expect_exit 2 "$TIDINGS" events --db "$DB" --format xml
expect_exit 3 "$TIDINGS" event --db "$DB" e99999
contains "$T/err" "no event e99999"
expect_exit 2 "$TIDINGS" quotes --db "$DB" --story abc
echo ok
