# Every kind of bad input gets one clear message naming the file (and line),
# is skipped and counted, the run goes on, and the exit status says so.
. "$(dirname "$0")/lib.sh"
DB="$(dbt t)"
mkdir -p "$T/in"
head -c 3000 /dev/urandom > "$T/in/binary.bin"
printf 'Good headline\n\nA paragraph with a bad byte \377 here and \300\257 an overlong slash.\n' > "$T/in/badutf8.txt"
: > "$T/in/empty.txt"
printf '{"id":"ok1","text":"Fine article about the Delva bridge reopening on Monday."}\n{not json}\n{"id":"nt","url":"x"}\n{"id":"num","text":42}\n\n{"id":"ok2","text":"Second fine article."}\n' > "$T/in/mixed.jsonl"
# a 50 MB file: over the default 16 MiB limit
python3 -c "
import sys
line = 'The council of Delva met again on Tuesday to discuss the flood barrier. ' * 20 + '\n'
with open('$T/in/huge.txt', 'w') as f:
    for _ in range(50 * 1024 * 1024 // len(line) + 1): f.write(line)
"
expect_exit 1 "$TIDINGS" ingest --db "$DB" "$T/in" "$T/missing.txt"
contains "$T/err" "binary.bin: binary file"
contains "$T/err" "empty.txt: empty file"
contains "$T/err" "huge.txt: file of"
contains "$T/err" "over the limit"
contains "$T/err" "mixed.jsonl:2: not valid JSON"
contains "$T/err" "mixed.jsonl:3: missing field \"text\""
contains "$T/err" "mixed.jsonl:4: field \"text\" is not a string"
contains "$T/err" "missing.txt: no such file or folder"
contains "$T/err" "7 skipped"
[ "$(sql "$DB" "select count(*) from article")" -eq 3 ] || fail "the good articles must be stored"
[ "$(sql "$DB" "select bad_utf8 from article where id='badutf8'")" -ge 2 ] || fail "bad UTF-8 not counted"
sql "$DB" "select body from article where id='badutf8'" | grep -q "$(printf '\357\277\275')" || fail "U+FFFD expected"
expect_exit 0 python3 -c "open('$T/err','rb').read().decode('utf-8')"

# the rest is about database files (permissions, a missing folder, SQLite's
# lock, a file that is no database): SQLite only. On PostgreSQL the
# counterpart is a database the server does not have: named, exit 4
if on_pg; then
    nodb=$(python3 -c "import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/tidings_no_such_db')))" "$PG")
    expect_exit 4 "$TIDINGS" show --db "$nodb" x
    contains "$T/err" "tidings_no_such_db"
    contains "$T/err" "does not exist"
    echo ok
    exit 0
fi

# a read-only database file: a clear message, exit 4, nothing lost
cp "$DB" "$T/ro.db"; chmod 444 "$T/ro.db"
if [ "$(id -u)" -ne 0 ]; then
    expect_exit 4 "$TIDINGS" ingest --db "$T/ro.db" "$FIX/floods.txt"
    contains "$T/err" "read-only"
fi
# a database in a read-only folder (root ignores permissions: use a missing folder instead)
expect_exit 4 "$TIDINGS" ingest --db "$T/no/such/dir/x.db" "$FIX/floods.txt"
contains "$T/err" "x.db"

# a locked database: another process holds a write transaction
python3 - "$DB" "$TIDINGS" "$FIX/floods.txt" "$T" <<'PY' || fail "locked database"
import sqlite3, subprocess, sys
db, exe, src, tmp = sys.argv[1:]
c = sqlite3.connect(db, isolation_level=None, timeout=0)
c.execute("BEGIN IMMEDIATE")
p = subprocess.run([exe, "ingest", "--db", db, src], capture_output=True, text=True, timeout=60)
c.execute("ROLLBACK")
assert p.returncode == 4, (p.returncode, p.stderr)
assert "locked" in p.stderr and db in p.stderr, p.stderr
PY
# not a database at all
printf 'hello' > "$T/notdb.db"
expect_exit 4 "$TIDINGS" stats --db "$T/notdb.db"
contains "$T/err" "notdb.db"
# show/export on a missing database: exit 3, message names it
expect_exit 3 "$TIDINGS" show --db "$T/none.db" x
contains "$T/err" "none.db"
echo ok
