"""google-re2 against Python's re on mofcheck's regex inventory (README, design notes).

    .venv/bin/python tests/regex_inventory.py > /tmp/inv.jsonl
    python3 -m venv /tmp/re2venv && /tmp/re2venv/bin/pip install google-re2
    /tmp/re2venv/bin/python bench/bench_regex_engines.py /tmp/inv.jsonl

Counts the patterns RE2 compiles (and why the others fail), times both engines on the repository's own
Markdown and license-variant texts, and on the two shapes that stalled the old patterns.
"""

import glob
import json
import re
import signal
import sys
import time
from pathlib import Path

import re2

ROOT = Path(__file__).resolve().parents[1]

rows = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/inv.jsonl")]
ok, fail, reasons = [], [], {}
for r in rows:
    pat = r["pattern"].encode("latin-1") if r["bytes"] else r["pattern"]
    opts = re2.Options()
    f = r["flags"]
    opts.case_sensitive = not (f & re.I)
    opts.dot_nl = bool(f & re.S)
    opts.never_nl = False
    pp = pat
    if f & re.M:
        pp = ("(?m)" if isinstance(pat, str) else b"(?m)") + pat
    try:
        rx = re2.compile(pp, options=opts)
        ok.append((r, rx))
    except Exception as e:
        fail.append(r)
        key = str(e)[:60]
        reasons[key] = reasons.get(key, 0) + 1
print(f"compile under re2: {len(ok)}/{len(rows)}; fail {len(fail)}")
byfeat = {"lookbehind": 0, "lookahead": 0, "backref": 0, "other": 0}
for r in fail:
    p = r["pattern"]
    if "(?<=" in p or "(?<!" in p:
        byfeat["lookbehind"] += 1
    elif "(?=" in p or "(?!" in p:
        byfeat["lookahead"] += 1
    elif re.search(r"\\[1-9]|\(\?P=", p):
        byfeat["backref"] += 1
    else:
        byfeat["other"] += 1
print("failures by feature:", byfeat)
# typical text: the license variants and fixture cards
texts = [
    open(p, encoding="utf-8", errors="replace").read()
    for p in glob.glob(str(ROOT / "tests/data/license-variants/**/*"), recursive=True)
    if not p.endswith("/") and "." in p.rsplit("/", 1)[-1]
][:60]
texts += [open(p, encoding="utf-8", errors="replace").read() for p in glob.glob(str(ROOT / "fixtures/*/*.md"))]
print(f"typical corpus: {len(texts)} files, {sum(map(len, texts))} chars")


class Stop(Exception):
    pass


def al(*a):
    raise Stop


signal.signal(signal.SIGALRM, al)
t_re = t_re2 = 0.0
diff = skipped = 0
text_ok = [
    (r, rx2)
    for r, rx2 in ok
    if r["module"]
    not in ("mofcheck/evidence/paths.py", "mofcheck/evidence/pathdata.py", "mofcheck/evidence/pathmatch.py", "mofcheck/repo.py", "mofcheck/report/findings.py")
]
print(f"patterns that meet text (not path names) and compile in re2: {len(text_ok)}")
for r, rx2 in text_ok:
    if r["bytes"]:
        continue
    rx = re.compile(r["pattern"], r["flags"])
    a, b = [], []
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        t0 = time.perf_counter()
        for t in texts:
            a.append([m.span() for m in rx.finditer(t)])
        t1 = time.perf_counter()
        for t in texts:
            b.append([m.span() for m in rx2.finditer(t)])
        t2 = time.perf_counter()
    except Stop:
        skipped += 1
        print("slow in re:", r["pattern"][:80])
        continue
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    t_re += t1 - t0
    t_re2 += t2 - t1
    if a != b:
        diff += 1
print(
    f"typical text, {len(text_ok) - skipped} text patterns that compile in both: re {t_re:.3f} s, re2 {t_re2:.3f} s; different matches on {diff} patterns; {skipped} over 5 s in re"
)
# adversarial: the two round-2 shapes at their caps
cases = [
    (r"SPDX-License-Identifier:\s*([^\r\n*]+?)\s*(?:\*/|-->|#}|$)", re.M, "SPDX-License-Identifier: a" + " " * 40000 + "b"),
    (r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)", 0, "[a](" * 8000),
]
for p, f, s in cases:
    rx = re.compile(p, f)
    t0 = time.perf_counter()
    list(rx.finditer(s))
    t1 = time.perf_counter()
    rx2 = re2.compile(("(?m)" if f & re.M else "") + p)
    list(rx2.finditer(s))
    t2 = time.perf_counter()
    print(f"old pattern {p[:30]!r} on {len(s)} chars: re {t1 - t0:.2f} s, re2 {t2 - t1:.4f} s")
