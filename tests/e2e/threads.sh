# The per-article stages on worker threads give exactly the result of the
# single-threaded run: same articles, bodies, dates, removed lines, copies,
# stories (the export and the removed-line verdicts compared byte for byte).
. "$(dirname "$0")/lib.sh"
python3 - "$T/in.jsonl" <<'PY'
import json, sys, random
random.seed(11)
outlets = ["harbor-ledger", "valmont-post", "delva-courier"]
with open(sys.argv[1], "w") as f:
    for i in range(600):
        o = outlets[i % 3]
        head = [f"{o.title()} | Home | World | Sport", "Sign up for the morning briefing"]
        body = [f"Council item {i}: the works on road {random.randint(1, 90)} start in May, the mayor said on Tuesday."
                for _ in range(random.randint(2, 6))]
        foot = [f"Tip line for {o}: write to the desk", "© 2025 " + o]
        f.write(json.dumps({"id": f"t{i}", "url": f"https://www.{o}.example/2025/05/{i % 28 + 1:02d}/item-{i}",
                            "text": "\n\n".join(head + [f"Road works item {i}"] + body + foot)}) + "\n")
PY
for n in 1 4; do
    D="$(dbt "t$n")"
    expect_exit 0 "$TIDINGS" ingest --threads "$n" --batch 64 --db "$D" "$T/in.jsonl" "$ROOT/data/demo/scraped" "$ROOT/data/demo/feed.jsonl"
    expect_exit 0 "$TIDINGS" export --db "$D" --format jsonl
    cp "$T/out" "$T/e$n.jsonl"
    sql "$D" "select id, removed from article order by id" > "$T/r$n.txt"
done
cmp "$T/e1.jsonl" "$T/e4.jsonl" || fail "threaded export differs from the single-threaded one"
cmp "$T/r1.txt" "$T/r4.txt" || fail "threaded cleaning verdicts differ"
grep -q '"template"' "$T/r1.txt" || fail "no outlet template line was learnt"
echo ok
