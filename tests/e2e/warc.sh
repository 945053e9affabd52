# WARC ingest: a generated .warc.gz of fictional pages (gzip per record), a
# damaged one (truncated record, garbage, broken gzip member) and a plain WARC
# on standard input. Pages come out with their URLs; the rest is counted.
. "$(dirname "$0")/lib.sh"
DB="$(dbt t)"
GEN="$ROOT/tests/fixtures/warc/make_warc.py"
python3 "$GEN" "$T/good.warc.gz" --gz --pages 6 || fail "generator"
python3 "$GEN" "$T/bad.warc.gz" --gz --bad --pages 6 --start 10 || fail "generator"
python3 "$GEN" "$T/plain.warc" --bad --pages 6 --start 20 || fail "generator"

expect_exit 0 "$TIDINGS" ingest --db "$DB" "$T/good.warc.gz"
contains "$T/err" "good.warc.gz: 21 records: 6 pages, 1 skipped (not HTML), 1 skipped (status not 200)"
contains "$T/err" "ingested 6 articles"
[ "$(sql "$DB" "select count(*) from article")" -eq 6 ] || fail "6 pages expected"
[ "$(sql "$DB" "select count(*) from article where url like 'https://%.example/news/story-%'")" -eq 6 ] || fail "urls"
[ "$(sql "$DB" "select title from article where url='https://herald.example/news/story-1'")" = \
  "Council of Marrenhold approves new harbour wall" ] || fail "title from the HTML"
[ "$(sql "$DB" "select published from article where url='https://courier.example/news/story-3'")" = "2025-03-04" ] ||
    fail "published comes from the page (JSON-LD), not WARC-Date"
sql "$DB" "select body from article where url='https://gazette.example/news/story-2'" | grep -q "harbour wall" || fail "body"
! sql "$DB" "select body from article" | grep -q "All rights reserved" || fail "footer not removed"
[ "$(sql "$DB" "select count(*) from article where url like '%logo.png' or url like '%gone'")" -eq 0 ] || fail "non-pages stored"
# ids are the record uuids
[ "$(sql "$DB" "select count(*) from article where length(id)=36 and id like '%-%-%-%-%'")" -eq 6 ] || fail "ids"

# damaged: every bad spot is named with its byte offset, the rest comes in
expect_exit 1 "$TIDINGS" ingest --db "$DB" "$T/bad.warc.gz"
contains "$T/err" "bad.warc.gz: byte "
contains "$T/err" "data that is not a gzip member"
contains "$T/err" "(https://gazette.example/news/story-11): truncated"
contains "$T/err" "broken gzip data"
contains "$T/err" "ingested 4 articles"
[ "$(sql "$DB" "select count(*) from article where url like '%/story-1_'")" -eq 4 ] || fail "pages 10,13,14,15 expected"
[ "$(sql "$DB" "select count(*) from article where url like '%/story-11' or url like '%/story-12'")" -eq 0 ] ||
    fail "the truncated and the corrupt page must not be stored"

# plain WARC on standard input (a pipe: no seeking back)
cat "$T/plain.warc" | "$TIDINGS" ingest --db "$DB" - >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "stdin WARC with damage should exit 1"
contains "$T/err" "-: byte "
contains "$T/err" "content does not end where Content-Length says"
[ "$(sql "$DB" "select count(*) from article where url like '%/story-2_'")" -ge 4 ] || fail "stdin pages"

# the same file again: nothing new
expect_exit 0 "$TIDINGS" ingest --db "$DB" "$T/good.warc.gz"
contains "$T/err" "0 new or changed, 6 unchanged"
echo "warc.sh: ok"
