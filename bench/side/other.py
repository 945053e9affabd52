#!/usr/bin/python3
"""other.py - the Python tools' side of bench/tools/ (same contract as td_side.c).

    other.py readability_lxml OUT.jsonl PAGE.html...  Debian python3-readability: {"id","body"}
    other.py dateparser       OUT.tsv   CORPUS.jsonl  python3-dateparser search_dates on the page head
    other.py minhash          OUT.tsv   CORPUS.jsonl  a plain MinHash + LSH written here

Last stdout line: "seconds=S items=N bytes=B", the timed job only. Run it with
Debian's /usr/bin/python3, where python3-readability and python3-dateparser live.
"""
import json
import os
import re
import sys
import time


def corpus(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def readability_lxml(out, pages):
    from readability import Document
    import lxml.html
    t = 0.0
    n = nbytes = 0
    with open(out, "w", encoding="utf-8") as w:
        for p in pages:
            with open(p, "rb") as f:
                html = f.read()
            t0 = time.perf_counter()
            try:
                summary = Document(html).summary(html_partial=True)
                body = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
            except Exception:  # a page it cannot read scores as empty
                body = ""
            t += time.perf_counter() - t0
            n += 1
            nbytes += len(html)
            pid = os.path.splitext(os.path.basename(p))[0]
            w.write(json.dumps({"kind": "article", "id": pid, "body": body}) + "\n")
    return t, n, nbytes


HEAD = 600  # characters: date lines sit in the page head; the whole text takes seconds per page


def dateparser_job(out, path):
    from dateparser.search import search_dates
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}
    t = 0.0
    n = nbytes = 0
    with open(out, "w", encoding="utf-8") as w:
        for a in corpus(path):
            text = a.get("text") or ""
            t0 = time.perf_counter()
            try:
                found = search_dates(text[:HEAD], languages=["en"], settings=settings) or []
            except Exception:
                found = []
            date = found[0][1].strftime("%Y-%m-%d") if found else ""
            t += time.perf_counter() - t0
            n += 1
            nbytes += len(text.encode("utf-8"))
            w.write(f"{a['id']}\t{date}\n")
    return t, n, nbytes


K, BANDS, ROWS, SHINGLE, JACCARD = 128, 32, 4, 3, 0.5
P = (1 << 61) - 1


def minhash_job(out, path):
    import random
    rng = random.Random(1)
    perms = [(rng.randrange(1, P), rng.randrange(0, P)) for _ in range(K)]
    buckets = {}
    sigs = []
    ids = []
    t = 0.0
    nbytes = 0
    with open(out, "w", encoding="utf-8") as w:
        for a in corpus(path):
            text = a.get("text") or ""
            t0 = time.perf_counter()
            words = re.findall(r"\w+", text.lower())
            sh = {hash(" ".join(words[i:i + SHINGLE])) & 0xFFFFFFFFFFFFFFF
                  for i in range(max(1, len(words) - SHINGLE + 1))}
            sig = [min((x * s + y) % P for s in sh) for x, y in perms]
            best, best_j = None, 0.0
            seen = set()
            for b in range(BANDS):
                key = (b, tuple(sig[b * ROWS:(b + 1) * ROWS]))
                for j in buckets.get(key, ()):
                    if j in seen:
                        continue
                    seen.add(j)
                    est = sum(1 for u, v in zip(sig, sigs[j]) if u == v) / K
                    if est >= JACCARD and (best is None or est > best_j or (est == best_j and j < best)):
                        best, best_j = j, est
                buckets.setdefault(key, []).append(len(sigs))
            sigs.append(sig)
            ids.append(a["id"])
            t += time.perf_counter() - t0
            nbytes += len(text.encode("utf-8"))
            w.write(f"{a['id']}\t{ids[best] if best is not None else ''}\n")
    return t, len(ids), nbytes


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    job, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    if job == "readability_lxml":
        r = readability_lxml(out, inputs)
    elif job == "dateparser":
        r = dateparser_job(out, inputs[0])
    elif job == "minhash":
        r = minhash_job(out, inputs[0])
    else:
        print(f"other.py: unknown job {job}", file=sys.stderr)
        return 2
    print("seconds=%.6f items=%d bytes=%d" % r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
