#!/usr/bin/env python3
"""compare.py - other tools side by side with tidings, on the same input in
the same run (bench/tools/<job> calls it; docs/bench.md).

    compare.py html|dates|names|dedup CORPUS.jsonl

For each job, tidings' side (bench/side/td_side.c, built against
build/libtidings.a) and each other tool (bench/side/other.cjs for npm
packages, bench/side/other.py for Debian's Python packages) run on the same
articles; every one writes its answers, which are scored the same way. One
line per other tool on stdout:

    <tool>: <job> on <input>: <speed> (<quality>); tidings <speed> (<quality>); tidings/other <r>x

Inputs and quality, per job:
  html   the evaluation's HTML pages (../shared/eval/html): F1 of score_html.py;
  dates  the first N corpus articles: publication date accuracy against the
         generator's truth (bench/.cache/gen_corpus --truth); and the
         evaluation's dev articles against their gold dates;
  names  the first N corpus articles for speed; recall of the dev articles'
         gold names (people, organisations, places, untyped) for quality;
  dedup  the first N corpus articles: near-copy pairs against the generator's
         truth (precision, recall, F1 of "copy of an article of its cluster").
Evaluation data is read where it is (TIDINGS_EVAL, default ../shared/eval
next to the repository) and skipped when absent; nothing from it is copied.
npm packages are installed into bench/.cache/npm on first use (never
committed); a tool that is missing is reported on stderr and left out.
N: 1000 articles (300 for the slow Python tools), BENCH_QUICK=1: 200 / 60.
tidings' side runs three times and its best time counts (its runs last
milliseconds); the other tools run once (theirs last seconds).
Exit 0 when at least one comparison ran, 1 otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CACHE = os.path.join(ROOT, "bench", ".cache")
SIDE = os.path.join(ROOT, "bench", "side")
EVAL = os.environ.get("TIDINGS_EVAL", os.path.join(ROOT, "..", "shared", "eval"))
QUICK = bool(os.environ.get("BENCH_QUICK"))
N_FAST, N_SLOW = (200, 60) if QUICK else (1000, 300)
NPM_PKGS = ["@mozilla/readability", "linkedom", "jsdom", "chrono-node", "wink-nlp", "wink-eng-lite-web-model",
            "compromise"]
DEB_PY = "/usr/bin/python3"  # python3-readability and python3-dateparser are Debian's
PKGS = "sqlite3 jansson libutf8proc libxxhash zlib libdeflate libxml-2.0"


def log(msg):
    print(f"compare: {msg}", file=sys.stderr)


def td_side():
    """Builds bench/.cache/td_side when missing or older than its inputs."""
    out = os.path.join(CACHE, "td_side")
    src = os.path.join(SIDE, "td_side.c")
    lib = os.path.join(ROOT, "build", "libtidings.a")
    if not os.path.exists(lib):
        raise SystemExit("compare: build/libtidings.a is missing (make all)")
    if os.path.exists(out) and os.path.getmtime(out) > max(os.path.getmtime(src), os.path.getmtime(lib)):
        return out
    flags = subprocess.run(["pkg-config", "--cflags", "--libs"] + PKGS.split(), capture_output=True,
                           text=True, check=True).stdout.split()
    cc = os.environ.get("CC", "cc")
    cmd = [cc, "-std=c17", "-O2", "-g", "-D_GNU_SOURCE", "-I" + os.path.join(ROOT, "include"),
           "-I" + os.path.join(ROOT, "src"), "-o", out, src, lib] + flags + ["-lstemmer", "-lm", "-lpthread"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit("compare: td_side.c does not build:\n" + r.stderr[-2000:])
    return out


def npm_ready():
    """NODE_PATH for the npm tools, installing them on first use; None when unavailable."""
    prefix = os.path.join(CACHE, "npm")
    mods = os.path.join(prefix, "node_modules")
    if all(os.path.isdir(os.path.join(mods, p)) for p in NPM_PKGS):
        return mods
    if not shutil.which("node") or not shutil.which("npm"):
        log("node/npm not installed: the npm tools are left out")
        return None
    os.makedirs(prefix, exist_ok=True)
    log("installing " + " ".join(NPM_PKGS) + " into bench/.cache/npm")
    r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save"] + NPM_PKGS,
                       capture_output=True, text=True)
    if r.returncode:
        log("npm install failed (offline?): the npm tools are left out\n" + r.stderr[-800:])
        return None
    return mods


def run(cmd, env=None):
    """Runs one side; returns (seconds, items, bytes) or None when it failed."""
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    m = re.search(r"seconds=([\d.]+) items=(\d+) bytes=(\d+)(?: cpu=([\d.]+))?", r.stdout)
    if r.returncode or not m:
        log(f"{os.path.basename(cmd[0])} {cmd[1] if len(cmd) > 1 else ''} failed: {r.stderr.strip()[-600:]}")
        return None
    # (seconds, items, bytes[, CPU seconds]): the html sides also give CPU time,
    # which a shared machine's load distorts far less than wall time
    t = (float(m.group(1)), int(m.group(2)), int(m.group(3)))
    return t + (float(m.group(4)),) if m.group(4) else t


def run_best(cmd, reps=3):
    """tidings' side, best of reps: its runs are short, so one busy moment of a
    shared machine would otherwise decide the ratio."""
    best = None
    for _ in range(reps):
        t = run(cmd)
        if not t:
            return None
        cpu = min(t[3], best[3]) if best and len(t) > 3 and len(best) > 3 else None
        if best is None or t[0] < best[0]:
            best = t
        if cpu is not None:
            best = best[:3] + (cpu,)
    return best


def node(job, out, inputs, mods):
    if not mods:
        return None
    env = dict(os.environ, NODE_PATH=mods)
    return run(["node", os.path.join(SIDE, "other.cjs"), job, out] + inputs, env)


def python_deb(job, out, inputs, module):
    if not os.path.exists(DEB_PY) or subprocess.run([DEB_PY, "-c", f"import {module}"],
                                                    capture_output=True).returncode:
        log(f"{DEB_PY} lacks {module} (scripts/install-deps --bench): left out")
        return None
    return run([DEB_PY, os.path.join(SIDE, "other.py"), job, out] + inputs)


def speed(t, unit):
    s, n, b = t[:3]
    rate = n / s if s > 0 else float("inf")
    return f"{rate:,.0f} {unit}/s, {b / 1e6 / s if s > 0 else 0:.2f} MB/s"


def ratio(ours, theirs):
    return (theirs[0] / theirs[1]) / (ours[0] / ours[1]) if ours[0] > 0 and ours[1] and theirs[1] else float("inf")


def row(tool, job, what, unit, ours, q_ours, theirs, q_theirs):
    cpu = ""
    if len(ours) > 3 and len(theirs) > 3 and ours[3] > 0 and theirs[3] > 0:
        cpu = (f"; CPU: {theirs[2] / 1e6 / theirs[3]:.2f} MB/s against {ours[2] / 1e6 / ours[3]:.1f} MB/s, "
               f"tidings/other {ratio((ours[3],) + ours[1:3], (theirs[3],) + theirs[1:3]):,.0f}x")
    print(f"{tool}: {job} on {what}: {speed(theirs, unit)} ({q_theirs}); "
          f"tidings {speed(ours, unit)} ({q_ours}); tidings/other {ratio(ours, theirs):,.0f}x{cpu}", flush=True)


def head(corpus, n, tmp):
    path = os.path.join(tmp, f"head{n}.jsonl")
    with open(corpus, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as w:
        for i, line in enumerate(f):
            if i >= n:
                break
            w.write(line)
    return path


def gen_truth(corpus, tmp):
    """The generator's truth for a bench/.cache corpus, by id; {} when unknown."""
    m = re.search(r"corpus-(\d+)-s(\d+)-g\d+\.jsonl$", corpus)
    gen = os.path.join(CACHE, "gen_corpus")
    if not m or not os.path.exists(gen):
        return {}
    out = os.path.join(tmp, "truth.jsonl")
    r = subprocess.run([gen, "--n", m.group(1), "--seed", m.group(2), "--out", os.devnull, "--truth", out,
                        "--quiet"], capture_output=True)
    if r.returncode:
        return {}
    with open(out, encoding="utf-8") as f:
        return {t["id"]: t for t in map(json.loads, f)}


def tsv(path):
    with open(path, encoding="utf-8") as f:
        return dict(l.rstrip("\n").split("\t", 1) for l in f if "\t" in l)


def date_accuracy(pred, gold):
    ids = [i for i, d in gold.items() if d]
    ok = sum(1 for i in ids if pred.get(i, "") == gold[i])
    return f"date right {ok}/{len(ids)} = {ok / len(ids):.0%}" if ids else "no gold dates"


# ---- jobs ----

def job_html(corpus, tmp):
    pages_dir = os.path.join(EVAL, "html", "pages")
    truth = os.path.join(EVAL, "html", "ground-truth.json")
    if not os.path.isdir(pages_dir):
        log(f"{pages_dir} is absent: no HTML pages to compare on")
        return 0
    pages = sorted(os.path.join(pages_dir, p) for p in os.listdir(pages_dir) if p.endswith(".html"))

    def f1(out):
        r = subprocess.run([sys.executable, os.path.join(EVAL, "score_html.py"), "--truth", truth,
                            "--export", out, "--json"], capture_output=True, text=True)
        return f"F1 {json.loads(r.stdout)['f1']:.3f}" if r.returncode == 0 else "F1 ?"

    ours_out = os.path.join(tmp, "td_html.jsonl")
    ours = run_best([td_side(), "html", ours_out] + pages)
    if not ours:
        return 0
    q_ours, n = f1(ours_out), 0
    what = f"{len(pages)} evaluation pages"
    mods = npm_ready()
    for tool, t, out in (
            ("readability.js+linkedom", node("readability", os.path.join(tmp, "rjs.jsonl"), pages, mods), "rjs"),
            ("readability.js+jsdom", node("readability-jsdom", os.path.join(tmp, "rjd.jsonl"), pages, mods), "rjd"),
            ("readability-lxml", python_deb("readability_lxml", os.path.join(tmp, "rlx.jsonl"), pages,
                                            "readability"), "rlx")):
        if t:
            row(tool, "html main text", what, "pages", ours, q_ours, t, f1(os.path.join(tmp, out + ".jsonl")))
            n += 1
    return n


def job_dates(corpus, tmp):
    truth = gen_truth(corpus, tmp)
    n = 0
    dev = os.path.join(EVAL, "dev")
    dev_gold = {}
    if os.path.exists(os.path.join(dev, "labels.jsonl")):
        with open(os.path.join(dev, "labels.jsonl"), encoding="utf-8") as f:
            dev_gold = {str(l["id"]): l.get("published") for l in map(json.loads, f)}
    mods = npm_ready()
    for tool, size in (("chrono-node", N_FAST), ("dateparser", N_SLOW)):
        sub = head(corpus, size, tmp)
        gold = {i: t.get("published") for i, t in truth.items()}

        def side(name, input_path, tag):
            out = os.path.join(tmp, f"{tag}-{name}.tsv")
            if name == "tidings":
                t = run_best([td_side(), "dates", out, input_path])
            elif name == "chrono-node":
                t = node("chrono", out, [input_path], mods)
            else:
                t = python_deb("dateparser", out, [input_path], "dateparser")
            return t, (tsv(out) if t else {})

        theirs, p_theirs = side(tool, sub, "gen")
        if not theirs:
            continue
        ours, p_ours = side("tidings", sub, "gen")
        g = {i: gold.get(i) for i in p_ours} if truth else {}
        q_o = date_accuracy(p_ours, g) if g else "no truth"
        q_t = date_accuracy(p_theirs, g) if g else "no truth"
        if dev_gold:
            dv = os.path.join(dev, "docs.jsonl")
            _, d_o = side("tidings", dv, "dev")
            _, d_t = side(tool, dv, "dev")
            q_o += "; dev " + date_accuracy(d_o, dev_gold)
            q_t += "; dev " + date_accuracy(d_t, dev_gold)
        row(tool, "publication date", f"{size} generated articles", "articles", ours, q_o, theirs, q_t)
        n += 1
    return n


def names_recall(pred_file, gold, keys):
    """Share of the gold names (any type) a tool wrote for their article."""
    pred = {}
    with open(pred_file, encoding="utf-8") as f:
        for r in map(json.loads, f):
            pred[str(r["id"])] = {x.lower().strip(" .,'’") for k in keys for x in r.get(k, [])}
    total = hit = found = 0
    for i, names in gold.items():
        found += len(pred.get(i, ()))
        for g in names:
            total += 1
            hit += g.lower() in pred.get(i, ())
    return f"dev recall {hit}/{total} = {hit / total:.0%}, {found / max(1, len(gold)):.0f} names/article" \
        if total else "no gold names"


def job_names(corpus, tmp):
    sub = head(corpus, N_FAST, tmp)
    dev = os.path.join(EVAL, "dev")
    gold = {}
    if os.path.exists(os.path.join(dev, "labels.jsonl")):
        with open(os.path.join(dev, "labels.jsonl"), encoding="utf-8") as f:
            for l in map(json.loads, f):
                m = l.get("mentions") or {}
                gold[str(l["id"])] = [x for k in ("people", "orgs", "places") for x in m.get(k, [])]
    ours = run_best([td_side(), "names", os.path.join(tmp, "td_names.jsonl"), sub])
    if not ours:
        return 0
    typed = ("people", "orgs", "places")
    q_ours = "no gold names"
    if gold:
        run([td_side(), "names", os.path.join(tmp, "td_dev.jsonl"), os.path.join(dev, "docs.jsonl")])
        q_ours = names_recall(os.path.join(tmp, "td_dev.jsonl"), gold, typed)
    mods = npm_ready()
    n = 0
    for tool, job, keys in (("wink-nlp+lite-web-model", "wink", ("names",)), ("compromise", "compromise", typed)):
        t = node(job, os.path.join(tmp, f"{job}.jsonl"), [sub], mods)
        if not t:
            continue
        q = "no gold names"
        if gold and node(job, os.path.join(tmp, f"{job}_dev.jsonl"), [os.path.join(dev, "docs.jsonl")], mods):
            q = names_recall(os.path.join(tmp, f"{job}_dev.jsonl"), gold, keys)
        row(tool, "names", f"{N_FAST} generated articles", "articles", ours, q_ours, t, q)
        n += 1
    return n


def dedup_quality(pred, truth):
    root = {}

    def r(i):
        seen = 0
        while truth.get(i, {}).get("duplicate_of") and seen < 100:
            i, seen = truth[i]["duplicate_of"], seen + 1
        return i
    ids = list(pred)
    idset = set(ids)
    for i in ids:
        root[i] = r(i)
    want = [i for i in ids if truth.get(i, {}).get("duplicate_of") and
            any(root[j] == root[i] for j in ids[:ids.index(i)])]
    got = [i for i in ids if pred[i]]
    right = [i for i in got if pred[i] in idset and root.get(pred[i]) == root[i]]
    p = len(right) / len(got) if got else 0.0
    rc = len([i for i in right if i in set(want)]) / len(want) if want else 0.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    return f"copies P {p:.2f} R {rc:.2f} F1 {f:.2f}"


def job_dedup(corpus, tmp):
    sub = head(corpus, N_SLOW, tmp)
    truth = gen_truth(corpus, tmp)
    ours_out, theirs_out = os.path.join(tmp, "td_dedup.tsv"), os.path.join(tmp, "mh_dedup.tsv")
    ours = run_best([td_side(), "dedup", ours_out, sub])
    theirs = run([sys.executable, os.path.join(SIDE, "other.py"), "minhash", theirs_out, sub])
    if not ours or not theirs:
        return 0
    q_o = dedup_quality(tsv(ours_out), truth) if truth else "no truth"
    q_t = dedup_quality(tsv(theirs_out), truth) if truth else "no truth"
    row("python MinHash (bench/side/other.py)", "near-duplicates", f"{N_SLOW} generated articles", "articles",
        ours, q_o, theirs, q_t)
    return 1


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("html", "dates", "names", "dedup"):
        print(__doc__, file=sys.stderr)
        return 2
    job, corpus = sys.argv[1], os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="tidings-compare.") as tmp:
        n = globals()["job_" + job](corpus, tmp)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
