#!/usr/bin/env python3
"""eval-places.py LABELS DB - checks that every event location named in a
labels file (FORMAT.md) resolved, in the database tidings built from that
corpus, to a place entity with coordinates: within KM (default 25) of the
labelled coordinates when the label has them, else in the labelled country.
A label is an object {name, country, lat, lon} or a string "Place, Region,
Country" (its first part is the place, its last the country). The names are read from the labels at run
time, never stored in the project. Prints each miss and a total; exits 1
when any labelled location is missed."""
import json, math, re, sqlite3, sys

KM = float(sys.argv[3]) if len(sys.argv) > 3 else 25.0


def km(a, b, c, d):
    r = math.pi / 180
    h = math.sin((c - a) * r / 2) ** 2 + math.cos(a * r) * math.cos(c * r) * math.sin((d - b) * r / 2) ** 2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))


def locations(labels):
    seen = {}
    for line in open(labels, encoding="utf-8"):
        if not line.strip():
            continue
        for ev in json.loads(line).get("events") or []:
            locs = ev.get("location")
            if not locs:
                continue
            for loc in locs if isinstance(locs, list) else [locs]:
                if isinstance(loc, str):
                    parts = [x.strip() for x in loc.split(",") if x.strip()]
                    if not parts:
                        continue
                    loc = {"name": parts[0], "country_name": parts[-1] if len(parts) > 1 else None}
                if isinstance(loc, dict) and loc.get("name"):
                    seen.setdefault(loc["name"], loc)
    return seen


def variants(name):
    """"near X" is X; "X / Y" is either."""
    name = re.sub(r"^(near|outside|north of|south of|east of|west of) ", "", name.strip(), flags=re.I)
    return [v.strip() for v in name.split("/") if v.strip()]


def main():
    labels, dbpath = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{dbpath}?mode=ro", uri=True)
    q = ("SELECT e.name, e.lat, e.lon, e.country FROM entity e WHERE e.type = 'place' AND"
         " (e.name = ?1 COLLATE NOCASE OR e.id IN (SELECT entity_id FROM alias WHERE surface = ?1 COLLATE NOCASE))")
    ok = miss = 0
    for name, loc in sorted(locations(labels).items()):
        rows = [r for v in variants(name) for r in db.execute(q, (v,)).fetchall()]
        lat, lon, cc = loc.get("lat"), loc.get("lon"), loc.get("country")
        if not cc and loc.get("country_name"):
            c = db.execute(q, (loc["country_name"],)).fetchone()
            cc = c[3] if c else None
        good = None
        for r in rows:
            if r[1] is None:
                continue
            if lat is not None and lon is not None:
                if km(lat, lon, r[1], r[2]) <= KM:
                    good = r
            elif r[3] and (cc is None or r[3] == cc):
                good = r
        if good:
            ok += 1
        else:
            miss += 1
            got = ", ".join(f"{r[0]} ({r[3]} {r[1]},{r[2]})" for r in rows) or "no place entity"
            print(f"  miss: {name} [{cc} {lat},{lon}] -> {got}")
    total = ok + miss
    print(f"event locations resolved: {ok}/{total}" + (f" ({ok / total:.3f})" if total else ""))
    return 1 if miss else 0


if __name__ == "__main__":
    sys.exit(main())
