#!/usr/bin/env python3
"""api_bench_grow.py DB N - grows a database made from data/demo to about N
articles for bench/api_bench.sh, by copying the whole corpus K = N / size
times: every copy gets new article rowids and ids ("<id>~k"), new story,
event and quote ids, dates shifted by k days, and the rows that point at
them (duplicates, stories, event sources, quotes, summaries, mentions, the
R*Tree of event places) remapped, so the grown database has the shape of
the demo corpus at 100k articles: K times as many stories, events, sources
and quotes, with the same sizes per story. Entities are shared (the same
places, people and organisations recur). The full-text index is filled by
the article insert trigger.

Why not ingest a generated corpus: that measures the pipeline (bench/run
does); this measures the API on a known, realistic shape in seconds.
"""
import sqlite3
import sys


def cols(db, table):
    return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]


def has(db, table):
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None


def copy(db, table, remap, where="1"):
    """INSERT INTO table SELECT <columns with remap expressions> for every k."""
    c = cols(db, table)
    sel = ", ".join(remap.get(x, f'"{x}"') for x in c)
    names = ", ".join(f'"{x}"' for x in c)
    db.execute(f'INSERT INTO "{table}" ({names}) SELECT {sel} FROM "{table}" t, ks WHERE {where}')


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    base = db.execute("SELECT count(*) FROM article").fetchone()[0]
    k = max(0, n // max(base, 1) - 1)
    if k == 0:
        return
    A = db.execute("SELECT max(rowid) + 1 FROM article").fetchone()[0]
    S = (db.execute("SELECT max(id) FROM story").fetchone()[0] or 0) + 1
    E = (db.execute("SELECT max(id) FROM event").fetchone()[0] or 0) + 1 if has(db, "event") else 1
    Q = (db.execute("SELECT max(id) FROM quote").fetchone()[0] or 0) + 1 if has(db, "quote") else 1
    day = lambda c: f"CASE WHEN length(t.{c}) = 10 THEN date(t.{c}, '+' || ks.k || ' days') ELSE t.{c} END"
    db.execute("BEGIN")
    db.execute("CREATE TEMP TABLE ks (k INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO ks VALUES (?)", [(i,) for i in range(1, k + 1)])
    copy(db, "article", {
        "rowid": f"t.rowid + ks.k * {A}", "id": "t.id || '~' || ks.k",
        "url": "CASE WHEN t.url IS NULL THEN NULL ELSE t.url || '#' || ks.k END",
        "duplicate_of": f"t.duplicate_of + ks.k * {A}", "story_id": f"t.story_id + ks.k * {S}",
        "published": day("published")})
    copy(db, "story", {"id": f"t.id + ks.k * {S}", "first_seen": day("first_seen"),
                       "last_seen": day("last_seen")})
    if has(db, "event"):
        copy(db, "event", {"id": f"t.id + ks.k * {E}", "story_id": f"t.story_id + ks.k * {S}",
                           "date": day("date")})
    if has(db, "event_source"):
        copy(db, "event_source", {"event_id": f"t.event_id + ks.k * {E}",
                                  "article_id": f"t.article_id + ks.k * {A}"})
    if has(db, "quote"):
        copy(db, "quote", {"id": f"t.id + ks.k * {Q}", "article_id": f"t.article_id + ks.k * {A}"})
    if has(db, "story_summary"):
        copy(db, "story_summary", {"story_id": f"t.story_id + ks.k * {S}",
                                   "article_id": f"t.article_id + ks.k * {A}"})
    if has(db, "mention"):
        copy(db, "mention", {"article_id": f"t.article_id + ks.k * {A}"})
    if has(db, "event_geo"):
        db.execute(f"INSERT INTO event_geo SELECT t.id + ks.k * {E}, t.min_lat, t.max_lat, t.min_lon, t.max_lon"
                   " FROM event_geo t, ks")
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


if __name__ == "__main__":
    main()
