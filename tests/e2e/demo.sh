# The demo corpus (data/demo, fictional) end to end: every article stored with
# a title and an outlet, publication dates as the answer key says, boilerplate
# gone from the bodies, captions kept apart.
. "$(dirname "$0")/lib.sh"
DB="$(dbt demo)"
DEMO="$ROOT/data/demo"
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$DEMO/scraped" "$DEMO/feed.jsonl"
expect_exit 0 "$TIDINGS" export --db "$DB" --format jsonl
cp "$T/out" "$T/export.jsonl"
python3 - "$T/export.jsonl" "$DEMO/labels.jsonl" <<'PY' || fail "demo corpus"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
arts = {r["id"]: r for r in rows if r["kind"] == "article"}
labels = [json.loads(l) for l in open(sys.argv[2])]
assert len(arts) == len(labels), (len(arts), len(labels))
dated = [l for l in labels if l.get("published")]
ok = sum(arts[l["id"]]["published"] == l["published"] for l in dated)
print(f"published dates: {ok}/{len(dated)}")
assert ok >= 0.9 * len(dated), [(l["id"], arts[l["id"]]["published"], l["published"]) for l in dated if arts[l["id"]]["published"] != l["published"]]
for a in arts.values():
    assert a["title"], a["id"]
    assert a["outlet"], a["id"]
    body = a["body"]
    for junk in ("Share on Facebook", "Skip to main content", "Subscribe", "All rights reserved", "Advertisement"):
        assert junk not in body, (a["id"], junk)
    assert len(body) > 400, (a["id"], len(body))
PY
echo ok
