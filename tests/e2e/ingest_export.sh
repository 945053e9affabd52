# Ingest of JSON lines and a scraped text file, export as FORMAT.md says,
# idempotent re-ingest.
. "$(dirname "$0")/lib.sh"
DB="$(dbt t)"
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$FIX/wire.jsonl" "$FIX/floods.txt"
contains "$T/err" "ingested 4 articles from 2 files"
contains "$T/err" "4 new or changed, 0 unchanged, 0 skipped"

expect_exit 0 "$TIDINGS" export --db "$DB" --format jsonl
cp "$T/out" "$T/export.jsonl"
[ "$(count_kind "$T/export.jsonl" article)" -eq 4 ] || fail "4 article records expected"
python3 - "$T/export.jsonl" <<'PY' || fail "export records do not follow FORMAT.md"
import json, sys, re
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["id"]: r for r in rows if r["kind"] == "article"}
assert set(by) == {"w1", "w2", "3", "floods"}, by.keys()
for r in by.values():
    for k in ("id", "url", "title", "published", "story", "duplicate_of", "body"):
        assert k in r, (k, r)
    assert r["published"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", r["published"]), r["published"]
assert by["3"]["url"] is None
assert "Ostrava Bay" in by["w1"]["body"]
assert "newsletter" not in by["w1"]["body"], by["w1"]["body"]
assert "All rights reserved" not in by["w1"]["body"]
assert "Comments (12)" not in by["w2"]["body"]
assert "Heavy rain closed" in by["floods"]["body"]
PY

# the same input again changes nothing
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$FIX/wire.jsonl" "$FIX/floods.txt"
contains "$T/err" "0 new or changed, 4 unchanged"
[ "$(sql "$DB" 'select count(*) from article')" -eq 4 ] || fail "re-ingest duplicated articles"

# CSV has a header and one row per article (bodies hold newlines: count with python)
expect_exit 0 "$TIDINGS" export --db "$DB" --format csv
python3 -c "import csv,sys; r=list(csv.reader(open('$T/out'))); assert r[0][:3]==['kind','id','url'], r[0]; assert len(r)==5, len(r)" \
    || fail "CSV export"

# the default database comes from TIDINGS_DB
expect_exit 0 "$TIDINGS" ingest "$FIX/floods.txt"
if on_sqlite; then [ -f "$TIDINGS_DB" ] || fail "TIDINGS_DB not used"; fi
[ "$(sql "$TIDINGS_DB" "select count(*) from article where id = 'floods'")" -eq 1 ] || fail "TIDINGS_DB not used"

# stdin
SDB="$(dbt stdin)"
expect_exit 0 sh -c "cat '$FIX/wire.jsonl' | '$TIDINGS' ingest --db '$SDB' -"
[ "$(sql "$SDB" 'select count(*) from article')" -eq 3 ] || fail "stdin ingest"
echo ok
