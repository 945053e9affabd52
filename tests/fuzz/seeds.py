#!/usr/bin/env python3
"""seeds.py OUT - seed corpora for the libFuzzer targets (make fuzz).

Writes OUT/<target>/<name> files built from the team's own fictional fixtures
(data/demo, tests/fixtures, the WARC generator of tests/fixtures/warc) and a
few hand-written API requests. Nothing comes from the evaluation data. The
corpora are regenerated on every `make fuzz-build` (cheap: a few hundred
small files); what libFuzzer learns goes to build/fuzz/work/<target>, not
here.

Per target:
  clean    scraped texts (whole), with a mode byte in front where it matters
  jsonl    JSON-lines files whole and line by line
  html     the HTML fixtures (plain and .gz)
  warc     generated WARC files: plain, gzip per record, damaged
  date     lines holding a date, behind a flags byte
  timex, toll, quote, event   paragraphs of the article texts, with a
           leading option byte (timex: three) where the target reads one
  api      requests "METHOD /path" + "name=value" lines (+ blank line, body)
"""
import glob
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def write(out, target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def texts():
    """Article texts of the fixtures: scraped files and JSON-lines "text"."""
    out = []
    for p in sorted(glob.glob(os.path.join(ROOT, "data/demo/scraped/*"))) + \
            [os.path.join(ROOT, "tests/fixtures/e2e/floods.txt")]:
        with open(p, encoding="utf-8", errors="replace") as f:
            out.append(f.read())
    for p in [os.path.join(ROOT, "data/demo/feed.jsonl"), os.path.join(ROOT, "tests/fixtures/e2e/wire.jsonl")]:
        with open(p, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line)["text"])
                    except (ValueError, KeyError):
                        pass
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seeds.py OUT")
    out = sys.argv[1]
    arts = texts()
    paras = []
    for t in arts:
        paras += [p.strip() for p in re.split(r"\n\s*\n", t) if len(p.strip()) > 30]
    paras = paras[:400]

    for i, t in enumerate(arts):
        write(out, "clean", bytes([i % 16]) + t.encode("utf-8"))
        write(out, "event", bytes([2 + 4 * (i % 40)]) + t.encode("utf-8")[:8000])
        write(out, "quote", t.encode("utf-8")[:8000])
    for i, p in enumerate(paras):
        b = p.encode("utf-8")
        write(out, "toll", b)
        write(out, "timex", bytes([2 + 4 * (i % 40) + (i & 1), i % 12, i % 28]) + b)
        if re.search(r"\d{4}|January|February|March|April|May|June|July|August|September|October|November|December", p):
            write(out, "date", bytes([i & 3]) + b[:300])
    for d in ["24 February 2017", "Feb. 24, 2017", "2017-02-24T10:00Z", "6/7/2018", "Friday, February 24, 2017",
              "10, Jun. 2019", "February 2017", "Feb 25", "https://x.example/2018/may/06/story"]:
        write(out, "date", bytes([3]) + d.encode())

    for p in [os.path.join(ROOT, "data/demo/feed.jsonl"), os.path.join(ROOT, "tests/fixtures/e2e/wire.jsonl")]:
        with open(p, "rb") as f:
            whole = f.read()
        write(out, "jsonl", whole)
        for line in whole.splitlines()[:12]:
            write(out, "jsonl", line)
    write(out, "jsonl", b'\n\n{"id": 7, "text": "x", "url": null}\n{"text": 3}\nnot json\n')

    for p in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/html/*"))):
        with open(p, "rb") as f:
            write(out, "html", f.read())

    gen = os.path.join(ROOT, "tests/fixtures/warc/make_warc.py")
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in [("a.warc", ["--pages", "2"]), ("b.warc.gz", ["--gz", "--pages", "2"]),
                           ("c.warc", ["--bad", "--pages", "2"]), ("d.warc.gz", ["--gz", "--bad", "--pages", "2"])]:
            p = os.path.join(tmp, name)
            subprocess.run([sys.executable, gen, p] + args, check=True, stdout=subprocess.DEVNULL)
            with open(p, "rb") as f:
                data = f.read()
            write(out, "warc", data)
            if not name.endswith(".gz"):
                write(out, "warc", gzip.compress(data[:4000]))

    reqs = [
        "GET /api", "GET /api/stats", "GET /api/articles\nlimit=2\noffset=1",
        "GET /api/articles\noutlet=gazette.example\nfrom=2031-05\nto=2031-05-31",
        "GET /api/articles\ncursor=3\nlimit=1", "GET /api/articles/f1", "GET /api/articles/999",
        "GET /api/search\nq=ferry OR strike", "GET /api/search\nq=\"coast guard\" port*",
        "GET /api/stories", "GET /api/stories/1", "GET /api/events\ntype=shelling\nnear=42,24.5\nkm=100",
        "GET /api/events\nformat=geojson\ntype=meeting", "GET /api/events\nkm=10", "GET /api/events/1",
        "GET /api/entities\ntype=place\nlimit=1", "GET /api/entities\nq=Cal", "GET /api/entities/1",
        "GET /api/quotes\nspeaker=Mira Oduya", "GET /api/quotes\nq=searching\narticle=f0",
        "POST /api/articles\n\n{\"text\":\"x\"}\n", "DELETE /api/articles", "HEAD /api/stats",
        "GET /", "GET /app.js", "GET /../secret.txt", "GET /%2e%2e/secret.txt", "GET //etc/passwd",
    ]
    for r in reqs:
        write(out, "api", r)


if __name__ == "__main__":
    main()
