# A kill -9 during ingest loses nothing committed before it; running the same
# ingest again completes it, with every article exactly once and the database
# consistent (integrity_check on SQLite; on PostgreSQL the transactions are
# the server's, and the full-text column is checked against the table).
. "$(dirname "$0")/lib.sh"
# the database is sound: SQLite's integrity_check (PostgreSQL: the server's own)
sound() { on_pg || [ "$(sql "$DB" 'pragma integrity_check')" = ok ]; }
# articles whose full-text entry holds WORD: FTS5 on SQLite, the tsvector column on PostgreSQL
fts_count() {
    if on_sqlite; then
        sql "$DB" "select count(*) from article_fts where article_fts match '$1'"
    else
        sql "$DB" "select count(*) from article where fts @@ to_tsquery('simple', '$1')"
    fi
}
DB="$(dbt t)"
python3 - "$T/big.jsonl" <<'PY'
import json, sys, random
random.seed(7)
towns = ["Delva", "Port Linden", "Veyra", "Marren", "Orsk Hollow", "Tallis"]
with open(sys.argv[1], "w") as f:
    for i in range(4000):
        t = random.choice(towns)
        body = "\n\n".join(
            f"{t} council member {i} said on Tuesday that the {k}th road repair would begin in May, "
            f"after {random.randint(2, 90)} residents signed a petition." for k in range(random.randint(3, 12)))
        f.write(json.dumps({"id": f"a{i}", "url": f"https://www.{t.lower().replace(' ', '')}-news.example/2025/05/{i % 28 + 1:02d}/story-{i}",
                            "text": f"Road repairs in {t}, item {i}\n\n" + body}) + "\n")
PY
for round in 1 2 3; do
    "$TIDINGS" ingest --quiet --batch 50 --db "$DB" "$T/big.jsonl" 2>/dev/null &
    pid=$!
    sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    sound || fail "integrity_check after kill $round"
done
expect_exit 0 "$TIDINGS" ingest --batch 50 --db "$DB" "$T/big.jsonl"
[ "$(sql "$DB" 'select count(*) from article')" -eq 4000 ] || fail "expected 4000 articles"
[ "$(sql "$DB" 'select count(distinct id) from article')" -eq 4000 ] || fail "duplicates"
sound || fail "integrity_check"
[ "$(fts_count petition)" -eq 4000 ] || fail "FTS index out of step"
echo ok
