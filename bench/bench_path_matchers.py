"""Three ways to find which name regexes of the path patterns match each file name (evidence/pathmatch.py).

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_path_matchers.py
    (google-re2 is optional: `pip install google-re2` adds the third row)

Each way runs in a fresh interpreter (compiling is part of the cost) over three sets of names: the Class I
fixture's, an OLMo-shaped repository's (bench_olmo.SHAPE) and 100k generated model-repository paths
(bench_listing). Every way must give the same hits as trying every regex; CPU time is reported.

* needles: pathmatch's NeedleGate (pyahocorasick over the build-time needles), then the regexes it
  points to, compiled on first use (what mofcheck does);
* alternation per kind: one regex per kind (its name regexes joined with |) compiled up front; a name that
  matches a kind's alternation is then tried against that kind's own regexes;
* re2 set: one google-re2 FullMatchSet of every name regex RE2 accepts (the rest, with lookarounds,
  are always tried with `re`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

CHILD = r"""
import json, re, sys, time
names = json.load(open(sys.argv[2]))
how = sys.argv[1]
t0 = time.process_time()
from mofcheck.evidence.pathdata import load_patterns
pat = load_patterns()
tests = pat.name_tests
hits = {}
if how == "needles":
    for n in names:
        hits[n] = sorted(t for t in pat.name_gate.candidates(n.lower()) if tests[t].fullmatch(n))
elif how == "alternation":
    kinds = {}
    for t, rules in enumerate(pat.rules_of_test):
        for k in {pat.name_rules[i].kind for i in rules}:
            kinds.setdefault(k, []).append(t)
    alts = [(re.compile("|".join(f"(?:{tests[t].pattern})" for t in ts), tests[ts[0]].flags), ts) for ts in kinds.values()]
    for n in names:
        hits[n] = sorted({t for rx, ts in alts if rx.fullmatch(n) for t in ts if tests[t].fullmatch(n)})
else:
    import re2
    opts = re2.Options()
    opts.case_sensitive = False
    s = re2.Set.FullMatchSet(opts)
    always, of = [], []
    for t, rx in enumerate(tests):
        if "(?=" in rx.pattern or "(?!" in rx.pattern or "(?<" in rx.pattern:
            always.append(t)
            continue
        s.Add(rx.pattern)
        of.append(t)
    s.Compile()
    for n in names:
        got = s.Match(n) or []
        hits[n] = sorted({of[i] for i in got} | {t for t in always if tests[t].fullmatch(n)})
cpu = time.process_time() - t0
print(json.dumps({"cpu": cpu, "hits": hits}))
"""


def name_sets(tmp: Path) -> dict[str, Path]:
    import bench_listing
    import bench_olmo

    fixture = [p.name for p in (ROOT / "fixtures" / "class1-open-science").rglob("*") if p.is_file()]
    olmo = [p.rpartition("/")[2] for p, _ in bench_olmo.listing_from_shape()]
    big, nw = [], len(bench_listing.WORDS)
    for i in range(100_000):  # bench_listing.make_repo's names, without writing the files
        t = bench_listing.TEMPLATES[i % len(bench_listing.TEMPLATES)]
        k = i // len(bench_listing.TEMPLATES)
        w = [bench_listing.WORDS[x] for x in (k % nw, (k // nw) % nw, (k // nw // nw) % nw, (k * 7) % nw)]
        big.append(t.format(w1=w[0], w2=w[1], w3=w[2], w4=w[3], i=i).rpartition("/")[2])
    out = {}
    for label, names in (("class1 fixture", fixture), ("OLMo shape", olmo), ("100k paths", big)):
        if names is None:
            continue
        f = tmp / f"{label.replace(' ', '_')}.json"
        f.write_text(json.dumps(names))
        out[f"{label} ({len(names)} names, {len(set(names))} distinct)"] = f
    return out


def main() -> int:
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        import re2  # noqa: F401

        ways = ["needles", "alternation", "re2"]
    except ImportError:
        ways = ["needles", "alternation"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, f in name_sets(Path(tmp)).items():
            ref = None
            row = []
            for how in ways:
                cpus = []
                for _ in range(3):
                    out = subprocess.run([sys.executable, "-c", CHILD, how, str(f)], env=env, capture_output=True, text=True, check=True)
                    got = json.loads(out.stdout)
                    cpus.append(got["cpu"])
                if ref is None:
                    ref = got["hits"]
                same = got["hits"] == ref
                row.append(f"{how} {min(cpus) * 1000:.0f} ms{'' if same else ' (DIFFERENT HITS)'}")
            print(f"{label}: " + "; ".join(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
