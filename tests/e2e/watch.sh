# tidings watch: files already in the folder and files arriving later are
# ingested once each, also across a restart; SIGTERM stops it cleanly.
. "$(dirname "$0")/lib.sh"
DB="$(dbt t)"
IN="$T/in"
mkdir -p "$IN/sub"
PID=

stop_watch() {
    [ -n "$PID" ] || return 0
    kill -TERM "$PID" 2>/dev/null
    wait "$PID"; rc=$?
    PID=
    [ "$rc" -eq 0 ] || fail "watch exited $rc after SIGTERM"
}
# (not stop_watch: its fail would exit the trap before the cleanup)
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID"; e2e_cleanup' EXIT

# wait_for SQL VALUE: polls the database (bounded: 20 s)
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        v=$(sql "$DB" "$1" 2>/dev/null)
        [ "$v" = "$2" ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    cat "$T/log"* >&2
    fail "timed out waiting for '$1' = $2 (last: $v)"
}

printf '{"id":"a1","text":"VELORIA, May 2 - The ferry to Veloria resumed service on Friday after repairs, the operator said."}\n{"id":"a2","text":"TESSARA, May 2 - Teachers in Tessara held a one-day strike over pay on Friday, their union said."}\n' > "$IN/a.jsonl"

"$TIDINGS" watch --db "$DB" "$IN" 2>"$T/log1" &
PID=$!
wait_for "select count(*) from article" 2

# a file renamed into place, one written directly, one in a sub-folder
printf 'Bridge reopens in Marrenhold\n\nMARRENHOLD, May 3 - The old stone bridge in Marrenhold reopened to traffic on Saturday after a year of repairs, the mayor said.\n' > "$IN/.b.txt.tmp"
mv "$IN/.b.txt.tmp" "$IN/b.txt"
printf '{"id":"c1","text":"QUILLON, May 3 - Fire crews in Quillon put out a warehouse blaze on Saturday, officials said."}\n' > "$IN/c.jsonl"
printf 'Harvest begins early in Brask\n\nBRASK, May 4 - Farmers near Brask began the grain harvest two weeks early this year, growers said.\n' > "$IN/sub/s.txt"
wait_for "select count(*) from article" 5
wait_for "select count(*) from watch_file" 4
stop_watch
contains "$T/log1" "watch stopped: 4 files, 5 articles"

# while it is down, a WARC arrives; after the restart only that file is read
python3 "$ROOT/tests/fixtures/warc/make_warc.py" "$IN/crawl.warc.gz" --gz --pages 2 || fail "generator"
"$TIDINGS" watch --db "$DB" "$IN" 2>"$T/log2" &
PID=$!
wait_for "select count(*) from article" 7
printf '{"id":"e1","text":"OSTERVANE, May 5 - The Ostervane lighthouse will reopen to visitors in June, the council said."}\n' > "$IN/e.jsonl"
wait_for "select count(*) from article" 8
wait_for "select count(*) from watch_file" 6
stop_watch
contains "$T/log2" "watch stopped: 2 files, 3 articles"
for f in a.jsonl b.txt c.jsonl sub/s.txt; do
    lacks "$T/log2" "$IN/$f:"
done
contains "$T/log2" "crawl.warc.gz: 2 articles"

# each file once, and the temporary name never
[ "$(sql "$DB" "select count(distinct path) from watch_file")" -eq 6 ] || fail "6 files recorded"
[ "$(sql "$DB" "select count(*) from watch_file where path like '%.tmp' or path like '%/.%'")" -eq 0 ] || fail "temporary file recorded"
[ "$(sql "$DB" "select articles from watch_file where path like '%a.jsonl'")" -eq 2 ] || fail "a.jsonl: 2 articles"
for f in a.jsonl b.txt c.jsonl sub/s.txt crawl.warc.gz e.jsonl; do
    n=$(cat "$T/log1" "$T/log2" | grep -c "watch: $IN/$f:")
    [ "$n" -eq 1 ] || fail "$f ingested $n times"
done

# a file rewritten in place is a new file: read again (its articles replaced, not doubled)
"$TIDINGS" watch --db "$DB" "$IN" 2>"$T/log3" &
PID=$!
sleep 0.5
printf '{"id":"e1","text":"OSTERVANE, May 5 - The Ostervane lighthouse will reopen to visitors in July, the council said."}\n' > "$IN/e.jsonl"
wait_for "select count(*) from article where body like '%in July%'" 1
stop_watch
[ "$(sql "$DB" "select count(*) from article")" -eq 8 ] || fail "rewritten file doubled its articles"

expect_exit 2 "$TIDINGS" watch --db "$DB"
expect_exit 3 "$TIDINGS" watch --db "$DB" "$T/nope"
echo "watch.sh: ok"
