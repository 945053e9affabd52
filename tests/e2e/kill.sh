# Crash safety under SIGKILL (docs/reliability.md): a generated corpus of
# fictional articles (bench/gen_corpus.c) is ingested with `kill -9` at random
# moments -- during the batches and during the corpus stages at the end --
# each time resuming with the same command. After every kill the database
# must pass PRAGMA integrity_check and hold a prefix of the input (whole
# batches). The reference is the same history without the kills: a database
# that ingests, in turn, the prefixes the killed runs had committed, then the
# whole corpus (an interrupted run must leave what an uninterrupted run over
# the articles it committed leaves). At the end both must hold every article
# exactly once and the same rows in every table the schema has (entities,
# aliases, mentions, stories, events, quotes, ...: whichever exist), with the
# same article titles, datelines, dates and bodies, entity names, mentions and
# events. On PostgreSQL the same, with the server's transactions in place of
# integrity_check and the tsvector column in place of FTS5.
# KILL_N articles (default 800; 200 in a sanitizer build or on PostgreSQL),
# KILL_ROUNDS kills (default 4; 3 in a sanitizer build or on PostgreSQL).
. "$(dirname "$0")/lib.sh"
case "${BUILD:-}" in
*asan*|*san*) N=${KILL_N:-200}; ROUNDS=${KILL_ROUNDS:-3} ;; # sanitizers: ~10x slower
*) N=${KILL_N:-800}; ROUNDS=${KILL_ROUNDS:-4} ;;
esac
# PostgreSQL: a round trip per statement, ~10x slower per article here
if on_pg; then N=${KILL_N:-200}; ROUNDS=${KILL_ROUNDS:-3}; fi
command -v cc >/dev/null 2>&1 || { echo "skip: no C compiler for bench/gen_corpus.c"; exit 0; }
cc -O1 -o "$T/gen_corpus" "$ROOT/bench/gen_corpus.c" -lm || fail "cannot build bench/gen_corpus.c"
"$T/gen_corpus" --n "$N" --seed 11 --out "$T/corpus.jsonl" --quiet || fail "gen_corpus"

REF="$(dbt ref)"; DB="$(dbt kill)"; ONCE="$(dbt once)"
# the database is sound: SQLite's integrity_check (PostgreSQL: the server's own)
sound() { on_pg || [ "$(sql "$1" 'pragma integrity_check' 2>&1)" = ok ]; }
# articles whose full-text entry holds WORD: FTS5 on SQLite, the tsvector column on PostgreSQL
fts_count() {
    if on_sqlite; then
        sql "$1" "select count(*) from article_fts where article_fts match '$2'"
    else
        sql "$1" "select count(*) from article where fts @@ to_tsquery('simple', '$2')"
    fi
}
# an uninterrupted run, to time the kills (and to check the count below)
start=$(date +%s%N)
expect_exit 0 "$TIDINGS" ingest --quiet --batch 64 --db "$ONCE" "$T/corpus.jsonl"
ref_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ref_ms" -gt 0 ] || ref_ms=1

# a random delay in [0, max_ms) milliseconds, as "S.mmm"
rand_delay() {
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    ms=$(( r % $1 ))
    printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
kills=0
prefixes=""
k=0
for round in $(seq 1 "$ROUNDS"); do
    "$TIDINGS" ingest --quiet --batch 64 --db "$DB" "$T/corpus.jsonl" >/dev/null 2>"$T/kill.err" &
    pid=$!
    # within the part of the run still to do (a resumed run skips what is
    # stored; a warm run is faster than the timed one): 80% of the reference
    # time scaled by the share of articles left, at least 50 ms
    left_ms=$(( ref_ms * 8 * (N - k) / (N * 10) ))
    [ "$left_ms" -ge 50 ] || left_ms=50
    d=$(rand_delay "$left_ms")
    sleep "$d"
    if kill -9 "$pid" 2>/dev/null; then
        kills=$((kills + 1))
    fi
    wait "$pid" 2>/dev/null
    echo "round $round: kill -9 after ${d}s (reference run: ${ref_ms} ms)"
    if on_sqlite; then [ -f "$DB" ] || continue; fi
    sound "$DB" || fail "integrity_check after kill $round: $(sql "$DB" 'pragma integrity_check' 2>&1)"
    k=$(sql "$DB" 'select count(*) from article' 2>/dev/null || echo 0)
    # what was committed is the first k articles of the input
    if [ "$k" -gt 0 ]; then
        last=$(sql "$DB" 'select id from article order by rowid desc limit 1')
        want=$(sed -n "${k}p" "$T/corpus.jsonl" | grep -c "\"id\": *\"$last\"")
        [ "$want" -eq 1 ] || fail "after kill $round the $k stored articles are not the first $k of the input"
    fi
    prefixes="$prefixes $k"
done
[ "$kills" -gt 0 ] || fail "no ingest was still running when killed (the corpus is too small for this machine)"
expect_exit 0 "$TIDINGS" ingest --quiet --batch 64 --db "$DB" "$T/corpus.jsonl"
sound "$DB" || fail "integrity_check after the final run"

# the reference: the same history without the kills
for k in $prefixes; do
    [ "$k" -gt 0 ] || continue
    head -n "$k" "$T/corpus.jsonl" >"$T/prefix.jsonl"
    expect_exit 0 "$TIDINGS" ingest --quiet --batch 64 --db "$REF" "$T/prefix.jsonl"
done
expect_exit 0 "$TIDINGS" ingest --quiet --batch 64 --db "$REF" "$T/corpus.jsonl"
echo "committed before each kill:$prefixes"

# every article exactly once
n_ref=$(sql "$ONCE" 'select count(*) from article')
[ "$(sql "$REF" 'select count(*) from article')" -eq "$n_ref" ] || fail "the reference run lost articles"
[ "$n_ref" -gt $((N * 9 / 10)) ] || fail "the reference holds only $n_ref of $N articles"
[ "$(sql "$DB" 'select count(*) from article')" -eq "$n_ref" ] || fail "article count $(sql "$DB" 'select count(*) from article') != $n_ref"
[ "$(sql "$DB" 'select count(distinct id) from article')" -eq "$n_ref" ] || fail "an article is stored twice"
# the full-text index follows the table
w=$(fts_count "$REF" said)
[ "$(fts_count "$DB" said)" -eq "$w" ] || fail "FTS index out of step"

# the same rows in every table of the schema (virtual tables' shadow tables,
# whose layout depends on insertion history, and bookkeeping are left out)
if on_sqlite; then
    tables=$(sql "$REF" "select name from sqlite_master where type = 'table' and sql not like 'CREATE VIRTUAL%'
        and name not like 'article_fts%' and name not like '%_geo_%' and name not like 'sqlite_%'
        and name not in ('schema_migration', 'watch_file') order by name")
else
    tables=$(sql "$REF" "select table_name from information_schema.tables where table_schema = current_schema()
        and table_type = 'BASE TABLE' and table_name not in ('schema_migration', 'watch_file') order by 1")
fi
checked=""; differ=""
for t in $tables; do
    a=$(sql "$REF" "select count(*) from \"$t\"")
    b=$(sql "$DB" "select count(*) from \"$t\"" 2>&1)
    if [ "$a" = "$b" ]; then
        checked="$checked $t=$a"
    else
        differ="$differ $t=$b(reference $a)"
    fi
done
echo "rows equal to the reference:$checked"
[ -z "$differ" ] || fail "rows differ from the reference:$differ"
# every article cleaned the same: a run killed before its end must still get
# the end-of-run re-cleaning (outlet templates) its articles would have had
q="select id, title, dateline, published, body_hash from article order by id"
[ "$(sql "$REF" "$q" | md5sum)" = "$(sql "$DB" "$q" | md5sum)" ] ||
    fail "articles differ from the reference (title, dateline, published or body): $(sql "$REF" "$q" >"$T/a.ref"; sql "$DB" "$q" >"$T/a.db"; diff "$T/a.ref" "$T/a.db" | grep -c '^<') rows"
# no entity lost or doubled, no mention moved (compared by content, not ids)
if on_sqlite; then
    has() { [ -n "$(sql "$REF" "select name from sqlite_master where name = '$1'")" ]; }
else
    has() { [ -n "$(sql "$REF" "select table_name from information_schema.tables where table_schema = current_schema() and table_name = '$1'")" ]; }
fi
digest() { sql "$1" "$2" | md5sum; }
if has entity; then
    q="select type, name from entity order by type, name"
    [ "$(digest "$REF" "$q")" = "$(digest "$DB" "$q")" ] || fail "entities differ from the reference"
fi
if has mention; then
    q="select a.id, e.type, e.name, m.sentence, m.offset from mention m join article a on a.rowid = m.article_id
       left join entity e on e.id = m.entity_id order by 1, 4, 5, 2, 3"
    [ "$(digest "$REF" "$q")" = "$(digest "$DB" "$q")" ] || fail "mentions differ from the reference"
fi
if has event; then
    q="select type, date, killed_min, killed_max from event order by 1, 2, 3, 4"
    [ "$(digest "$REF" "$q")" = "$(digest "$DB" "$q")" ] || fail "events differ from the reference"
fi
echo "ok: $kills kills, $n_ref articles once each"
