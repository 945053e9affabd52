# Duplicates, wire copies, shared passages and stories, end to end, on
# fictional wire copy: copies with an edited headline, reordered and dropped
# paragraphs and another site's boilerplate; a copy dated earlier than the
# one ingested first; a follow-up days later; two same-kind strikes in two
# countries on one day; a second ingest that continues the first; and the
# bad inputs (empty and one-word bodies, no date, identical text under
# other ids, one long line, thousands of copies of one story).
. "$(dirname "$0")/lib.sh"
DB="$(dbt s)"; C300="$(dbt c300)"; C3000="$(dbt c3000)"
python3 - "$T" <<'PY'
import json, sys, os
T = sys.argv[1]
flood = [
    "BELTRAVA, Korvania (Northwire) - Flash floods swept through the river town of Beltrava in northern Korvania on Tuesday, killing at least 14 people and forcing thousands from their homes, the regional emergency office said.",
    "Days of heavy rain sent the Mesk river over its banks before dawn, and rescue teams in boats pulled residents from the roofs of houses in the lower town, the office said in a statement.",
    "\"The water came in minutes, we had no time to take anything,\" said Irena Voss, a schoolteacher who spent the night with her two children on the upper floor of the town library.",
    "Governor Anton Derelka said 38 people were missing and that the army had been asked to send helicopters to reach villages cut off by landslides along the valley road to Sorn.",
    "The national weather service warned that more rain was expected over the northern highlands until Thursday and urged people living near the Mesk and its tributaries to move to higher ground.",
    "Korvania's prime minister, Elsa Marven, cancelled a planned trip abroad and was due to visit Beltrava on Wednesday, her office said.",
    "The floods are the worst to hit the region since 2009, when the Mesk burst its banks twice in one autumn and destroyed the old bridge at Beltrava.",
    "Aid groups said clean water and blankets were the most urgent needs, with power cut across much of the lower town and the main road to the regional capital closed.",
]
followup = [
    "BELTRAVA, Korvania - The death toll from last week's floods in the Korvanian town of Beltrava rose to 31 on Friday as rescue teams reached villages along the Mesk valley that had been cut off for days, officials said.",
    "Governor Anton Derelka told reporters that army helicopters had evacuated more than 600 people from Sorn and two smaller villages, where landslides had buried the only road.",
    "Prime Minister Elsa Marven announced an emergency fund for rebuilding homes in Beltrava and promised that a new flood wall along the Mesk would be built before next winter.",
    "Residents returning to the lower town found streets covered in mud and debris. Irena Voss, whose house stood a few metres from the river, said the ground floor had been destroyed.",
    "The regional emergency office said nine people were still missing and that search teams would keep working along the river banks through the weekend.",
]
def strike(town, country, actor, victims, official):
    return [
        f"{town.upper()}, {country} - An air strike hit a crowded market in the town of {town} on Monday, killing at least {victims} people and wounding dozens more, local officials said.",
        f"Witnesses said a warplane fired two missiles at the market shortly after noon, when stalls were full of shoppers buying food. Ambulances carried the wounded to the hospital in {town}.",
        f"{official}, the head of the local council, blamed {actor} for the attack and called on the United Nations to open an inquiry.",
        f"{actor} did not comment on the strike. The town has been the scene of heavy fighting for months.",
        f"Hospital staff in {town} said they were running short of blood and medicine and appealed for donations.",
    ]
estemar = strike("Qaral", "Estemar", "the Tarvic air force", 21, "Samir Oudeh")
# the same kind of event on the same day elsewhere, in the same vocabulary
durvia = [
    "SENNET, Durvia - Warplanes bombed the main market in the Durvian town of Sennet on Monday, killing at least 17 people, officials and witnesses said.",
    "The strike hit shortly after noon as the market was crowded with shoppers, and several stalls caught fire. The wounded were taken to the town hospital, where doctors said many were in serious condition.",
    "Pavel Ristan, who heads Sennet's council, said the Northern Coalition had carried out the air strike and demanded an independent inquiry into an attack on civilians.",
    "The Northern Coalition said in a statement that its aircraft had struck a weapons depot near Sennet and denied targeting the market.",
    "Sennet lies on the main road to the coast and has changed hands twice since the fighting began last year.",
]
# the same kind of event told in other words by a second outlet each
estemar2 = ["An airstrike on a busy market in Qaral killed 21 civilians on Monday, Estemar's health ministry said, the deadliest attack on the town this year.",
            "Council head Samir Oudeh said the Tarvic air force had targeted shoppers and demanded an international investigation of the strike on Qaral.",
            "Residents of Qaral described scenes of panic as stalls burned and families searched the hospital for relatives."]
durvia2 = ["Seventeen people were killed when warplanes struck the main market of Sennet in Durvia on Monday, officials said.",
           "Pavel Ristan, who leads Sennet's council, accused the Northern Coalition of bombing civilians and asked for an inquiry.",
           "Doctors at Sennet hospital said many of the wounded were children and that supplies of blood were running out."]
boiler_top = ["HARBOR LEDGER | Home | World | Business | Sport", "Sign up for our morning newsletter"]
boiler_end = ["Related: Storm warnings across the north", "Share this article", "© 2025 Harbor Ledger. All rights reserved."]
def art(id, outlet, title, paras, published=None, top=(), end=()):
    d = {"id": id, "url": f"https://www.{outlet}.example/news/{id}", "text": "\n\n".join(list(top) + [title] + paras + list(end))}
    if published:
        d["published"] = published
    return d
run1 = [
    art("kv1", "northwire", "Flash floods kill 14 in northern Korvanian town", flood, "2025-03-04"),
]
run2 = [
    # a copy ingested before a copy dated earlier: duplicate_of follows the date
    art("kv3", "valmont-post", "Floods in Beltrava: at least 14 dead", flood[:6] + ["Local officials in Valmont said a collection for the victims would be held on Sunday."], "2025-03-05"),
    # edited headline, two paragraphs swapped, last two dropped, other boilerplate
    art("kv2", "harbor-ledger", "Korvania floods: 14 killed as river bursts its banks", [flood[0], flood[2], flood[1]] + flood[3:6], "2025-03-04", boiler_top, boiler_end),
    art("kv4", "delva-courier", "Korvania flood toll rises to 31 as rescuers reach cut-off villages", followup, "2025-03-07"),
    art("es1", "northwire", "Air strike on Qaral market kills 21", estemar, "2025-03-10"),
    art("du1", "harbor-ledger", "Air strike on Sennet market kills 17", durvia, "2025-03-10"),
    art("es2", "valmont-post", "Deadliest strike this year hits Qaral market", estemar2, "2025-03-10"),
    art("du2", "delva-courier", "Warplanes strike Sennet market, 17 dead", durvia2, "2025-03-10"),
    # bad inputs
    art("w1", "valmont-post", "Breaking", ["Breaking"], "2025-03-10"),
    art("w2", "delva-courier", "Breaking", ["Breaking"], "2025-03-10"),
    art("nd1", "nodate", "Beltrava floods: what we know", flood[:5]),   # no date anywhere: a copy
    art("id1", "tower-news", "Council approves new bridge at Sorn", ["The district council of Sorn approved plans for a new bridge over the Mesk on Thursday after a vote of nine to two, the council said in a statement published on its website."] * 1 + ["Work on the bridge is expected to start in the spring and to take two years, the council said, at a cost of about 40 million crowns paid by the national government."], "2025-03-12"),
]
same = dict(run2[-1]); same["id"] = "id2"; same["url"] = "https://www.tower-news.example/news/id2"
run2.append(same)
# one line of ~90 KB: gauge readings along the river, no line break
longline = " ".join(f"Gauge {i} on the Mesk at kilometre {i * 7 % 311} read {i * 37 % 900} centimetres at {i % 24} hours, station keeper {['Orlo', 'Vesna', 'Tamir', 'Ludek'][i % 4]} reported." for i in range(900))
run2.append({"id": "ll1", "text": "Long river report\n\n" + longline, "published": "2025-03-13"})
run2.append({"id": "ll2", "text": "Long river report, again\n\n" + longline, "published": "2025-03-13"})
with open(os.path.join(T, "run1.jsonl"), "w") as f:
    for a in run1: f.write(json.dumps(a) + "\n")
with open(os.path.join(T, "run2.jsonl"), "w") as f:
    for a in run2: f.write(json.dumps(a) + "\n")
    f.write(json.dumps({"id": "empty1", "text": "   "}) + "\n")
# thousands of copies of one wire story, each with its site's furniture
def copies(path, n):
    with open(path, "w") as f:
        for i in range(n):
            d = art(f"c{i}", f"site{i}", f"Strike on Qaral market kills 21 ({i})", estemar[:4], "2025-03-10",
                    [f"SITE {i} NEWS | Home | World"], [f"© 2025 Site {i}"])
            f.write(json.dumps(d) + "\n")
copies(os.path.join(T, "copies300.jsonl"), 300)
copies(os.path.join(T, "copies3000.jsonl"), 3000)
PY

# ---- run 1, then run 2 continues it ----
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$T/run1.jsonl"
expect_exit 1 "$TIDINGS" ingest --db "$DB" "$T/run2.jsonl"
contains "$T/err" "empty text; skipped"
q() { sql "$DB" "$1"; }
dup() { q "select coalesce(d.id, '-') from article a left join article d on d.rowid = a.duplicate_of where a.id = '$1'"; }
story() { q "select coalesce(story_id, 0) from article where id = '$1'"; }
[ "$(dup kv1)" = "-" ] || fail "the original is no copy (got $(dup kv1))"
[ "$(dup kv2)" = kv1 ] || fail "kv2 (edited headline, reordered, dropped, boilerplate) must be a copy of kv1, got $(dup kv2)"
[ "$(dup kv3)" = kv1 ] || fail "kv3 (ingested first in its run, dated later) must point at kv1, got $(dup kv3)"
[ "$(dup nd1)" = kv1 ] || fail "undated nd1 must point at the dated original kv1, got $(dup nd1)"
[ "$(dup kv4)" = "-" ] || fail "the follow-up is a new report, not a copy"
[ "$(dup id2)" = id1 ] || fail "identical text under another id: id2 must point at id1, got $(dup id2)"
[ "$(dup ll2)" = ll1 ] || fail "one long line: ll2 must be a copy of ll1, got $(dup ll2)"
[ "$(dup w1)" = "-" ] && [ "$(dup w2)" = "-" ] || fail "one-word bodies are never copies"
[ "$(q "select count(*) from article where duplicate_of is not null and duplicate_of in (select rowid from article where duplicate_of is not null)")" -eq 0 ] \
    || fail "duplicate_of must name a root, never another copy"
sim=$(q "select dup_similarity from article where id = 'kv2'")
awk -v s="$sim" 'BEGIN { exit !(s > 0.3 && s <= 1) }' || fail "kv2's similarity $sim out of range"
# the story of run 1 continues: copies and the follow-up join it
s1=$(story kv1)
[ "$s1" -gt 0 ] || fail "kv1 has no story"
for a in kv2 kv3 kv4 nd1; do [ "$(story $a)" = "$s1" ] || fail "$a must be in kv1's story s$s1, got s$(story $a)"; done
# same-kind strikes on one day in two countries stay apart; each joins its own report
[ "$(story es1)" = "$(story es2)" ] || fail "the two Qaral reports must share a story"
[ "$(story du1)" = "$(story du2)" ] || fail "the two Sennet reports must share a story"
[ "$(story es1)" != "$(story du1)" ] || fail "strikes in Estemar and Durvia on one day must be different stories"
[ "$(story es1)" != "$s1" ] || fail "the strike joined the flood story"
# story rows: count, dates, title
row=$(q "select n_articles || '|' || first_seen || '|' || last_seen from story where id = $s1")
[ "$row" = "5|2025-03-04|2025-03-07" ] || fail "story s$s1: count|first|last = $row, expected 5|2025-03-04|2025-03-07"
[ -n "$(q "select title from story where id = $s1")" ] || fail "story without title"
[ "$(q "select count(*) from story s where n_articles != (select count(*) from article where story_id = s.id)")" -eq 0 ] \
    || fail "story counts disagree with their articles"
# shared passages: Irena Voss's quote carried by three outlets, kv1 first
pid=$(q "select id from passage where text like '%we had no time to take anything%'")
[ -n "$pid" ] || fail "the shared quote is not a passage"
[ "$(q "select count(*) from passage_article where passage_id = $pid")" -ge 3 ] || fail "the quote's carriers are missing"

# ---- export (FORMAT.md): story, duplicate_of, kind: story ----
expect_exit 0 "$TIDINGS" export --db "$DB"
cp "$T/out" "$T/export.jsonl"
python3 - "$T/export.jsonl" "$s1" <<'PY' || fail "export does not follow FORMAT.md"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
arts = {r["id"]: r for r in recs if r["kind"] == "article"}
stories = {r["id"]: r for r in recs if r["kind"] == "story"}
sid = "s" + sys.argv[2]
assert arts["kv2"]["duplicate_of"] == "kv1" and arts["kv1"]["duplicate_of"] is None
assert arts["kv2"]["story"] == sid, arts["kv2"]["story"]
st = stories[sid]
assert set(st) >= {"id", "title", "first_seen", "last_seen", "articles"}
assert st["first_seen"] == "2025-03-04" and st["last_seen"] == "2025-03-07"
assert sorted(st["articles"]) == ["kv1", "kv2", "kv3", "kv4", "nd1"], st["articles"]
for a in arts.values():
    assert a["story"] is None or a["story"] in stories, a["id"]
PY

# ---- CLI ----
expect_exit 0 "$TIDINGS" stories --db "$DB"
contains "$T/out" "s$s1 "
expect_exit 0 "$TIDINGS" stories --db "$DB" --since 2025-03-09 --limit 10
lacks "$T/out" "s$s1 "
expect_exit 2 "$TIDINGS" stories --db "$DB" --since yesterday
contains "$T/err" "--since wants a date YYYY-MM-DD"
expect_exit 0 "$TIDINGS" story --db "$DB" "s$s1"
contains "$T/out" "== Articles =="
contains "$T/out" "== Shared passages =="
grep -E "^ +copy  2025-03-04 .* kv2 " "$T/out" >/dev/null || fail "kv2 is not folded under kv1"
contains "$T/out" "we had no time to take anything"
contains "$T/out" "first: northwire.example kv1"
expect_exit 3 "$TIDINGS" story --db "$DB" s99999
contains "$T/err" "no story s99999"
expect_exit 2 "$TIDINGS" story --db "$DB" banana

# ---- window options: checked, bounded ----
expect_exit 2 "$TIDINGS" ingest --db "$DB" --dedup-window 0 "$T/run1.jsonl"
contains "$T/err" "--dedup-window must be between 1 and"
expect_exit 2 "$TIDINGS" ingest --db "$DB" --story-horizon x "$T/run1.jsonl"

# ---- re-ingest: nothing changes ----
before=$(q "select id || ':' || coalesce(CAST(duplicate_of AS TEXT), '') || ':' || coalesce(CAST(story_id AS TEXT), '') from article order by id")
expect_exit 1 "$TIDINGS" ingest --db "$DB" --dedup-window 7 --story-horizon 60 "$T/run1.jsonl" "$T/run2.jsonl"
after=$(q "select id || ':' || coalesce(CAST(duplicate_of AS TEXT), '') || ':' || coalesce(CAST(story_id AS TEXT), '') from article order by id")
[ "$before" = "$after" ] || fail "re-ingesting the same input changed duplicates or stories"

# ---- a run stopped before its end (its articles still marked pending) is
# consolidated by the next run, even one that brings no new article ----
sql "$DB" "insert into story_pending select rowid from article where id in ('kv3', 'kv4', 'es2')"
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$T/run1.jsonl"
contains "$T/err" "stories consolidated now"
[ "$(sql "$DB" "select count(*) from story_pending")" -eq 0 ] || fail "pending stories left after a run"
after2=$(q "select id || ':' || coalesce(CAST(duplicate_of AS TEXT), '') || ':' || coalesce(CAST(story_id AS TEXT), '') from article order by id")
[ "$after2" = "$after" ] || fail "consolidating a consolidated run changed stories"

# ---- thousands of copies: one story, one root, cost per article flat ----
t0=$(date +%s%N)
expect_exit 0 "$TIDINGS" ingest --db "$C300" "$T/copies300.jsonl"
t1=$(date +%s%N)
expect_exit 0 "$TIDINGS" ingest --db "$C3000" "$T/copies3000.jsonl"
t2=$(date +%s%N)
[ "$(sql "$C3000" "select count(distinct story_id) from article")" -eq 1 ] || fail "3000 copies must be one story"
[ "$(sql "$C3000" "select count(*) from article where duplicate_of = (select rowid from article where id = 'c0')")" -eq 2999 ] \
    || fail "every copy must point at the first"
[ "$(sql "$C3000" "select n_articles from story")" -eq 3000 ] || fail "story count of 3000 copies"
# 10x the copies may not cost more than 4x per article (quadratic would be 10x)
awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN { exit !(b / 3000 < 4 * a / 300 + 2e6) }' \
    || fail "per-article time grows with the number of copies: 300 in $((t1 - t0)) ns, 3000 in $((t2 - t1)) ns"
echo ok
