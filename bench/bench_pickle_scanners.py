"""Benchmark: which pickle scanner to build on (picklescan, fickling, modelscan), on real-shaped and
hostile weight files. The measurement behind the choice in the README's design notes.

    # one scratch venv per scanner, outside the repository:
    python3 -m venv /tmp/venv-picklescan && /tmp/venv-picklescan/bin/pip install picklescan
    python3 -m venv /tmp/venv-fickling && /tmp/venv-fickling/bin/pip install fickling
    python3 -m venv /tmp/venv-modelscan && /tmp/venv-modelscan/bin/pip install modelscan
    .venv/bin/python bench/bench_pickle_scanners.py \\
        picklescan=/tmp/venv-picklescan/bin/python fickling=/tmp/venv-fickling/bin/python \\
        modelscan=/tmp/venv-modelscan/bin/python mofcheck=.venv/bin/python

Every case runs in a child process with a 4 GiB address-space limit and a 120 s timeout; the child's
wall time, CPU time and peak RSS are reported, with what the scanner said. The files are built by
tests/pickles.py (storage bytes are holes: nothing large is written to disk).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests import pickles as P  # noqa: E402

GiB = 1 << 30
LIMIT_AS = 4 * GiB
TIMEOUT = 120

DRIVERS = {
    "picklescan": """
import json, sys
from picklescan.scanner import scan_file_path
out = []
for path in sys.argv[1:]:
    r = scan_file_path(path)
    out.append({"globals": sorted({f"{g.module}.{g.name}:{g.safety.value}" for g in r.globals}), "issues": r.issues_count, "error": r.scan_err})
print(json.dumps(out))
""",
    "fickling": """
import json, sys, zipfile
from fickling import scan_file, scan_zip_archive
out = []
for path in sys.argv[1:]:
    if zipfile.is_zipfile(path):
        rs = list(scan_zip_archive(path, graceful=True).values())
    else:
        rs = [scan_file(path, graceful=True)]
    out.append({"severity": max((r.severity.name for r in rs), default="none"), "errors": [e[:80] for r in rs for e in r.errors]})
print(json.dumps(out))
""",
    "modelscan": """
import json, sys
from modelscan.modelscan import ModelScan
out = []
for path in sys.argv[1:]:
    r = ModelScan().scan(path)
    issues = r.get("issues", [])
    out.append({"issues": sorted({f"{i.get('operator')}:{i.get('severity')}" for i in issues}) if isinstance(issues, list) else issues,
                "errors": [str(e.get("description", e))[:80] for e in r.get("errors", [])],
                "skipped": len(r.get("summary", {}).get("skipped", {}).get("skipped_files", []))})
print(json.dumps(out))
""",
    "mofcheck": """
import json, sys, os
from mofcheck.repo import Repo
from mofcheck.safety.pickles import scan_file
out = []
for path in sys.argv[1:]:
    repo = Repo.open(os.path.dirname(path))
    s = scan_file(repo, os.path.basename(path))
    out.append({"status": s.status, "dangerous": s.dangerous, "unknown": s.unknown[:5], "note": s.note, "bytes_read": s.bytes_read})
print(json.dumps(out))
""",
}


def build_corpus(d: Path) -> dict[str, list[Path]]:
    cases: dict[str, list[Path]] = {}
    legacy = d / "legacy"
    legacy.mkdir()
    cases["1 GB sparse legacy checkpoint"] = [P.legacy_checkpoint(legacy / "pytorch_model.bin", P.tensors(291, GiB, legacy=True))]
    zips = d / "zips"
    zips.mkdir()
    cases["ten 2 GB zip checkpoints (291 tensors each)"] = [
        P.torch_zip(zips / f"pytorch_model-{i + 1:05d}-of-00010.bin", P.tensors(291, 2 * GiB), archive=f"pytorch_model-{i + 1:05d}-of-00010") for i in range(10)
    ]
    one = d / "cases"
    one.mkdir()

    def case(name: str, fname: str, data: bytes) -> None:
        p = one / fname
        p.write_bytes(data)
        cases[name] = [p]

    cases["zip bomb: data.pkl inflating to 3 GiB"] = [P.zip_bomb_member(one / "bomb.pt")]
    sd = P.state_dict_pickle(P.tensors(291, 1 << 20))
    case("truncated pickle (cut in half)", "truncated.pkl", sd[: len(sd) // 2])
    case("malformed pickle (garbage after a valid start)", "malformed.pkl", sd[:200] + b"\xff\xfe" * 100)
    case("deeply nested pickle (1,000,000 lists)", "nested.pkl", P.nested(1_000_000))
    case("64 MiB of one-byte opcodes", "long.pkl", P.proto(2) + b"]" + b"Na" * (32 << 20) + b".")
    sparse = one / "huge.bin"
    with open(sparse, "wb") as f:
        f.truncate(8 * GiB)
    cases["8 GiB sparse file of zeros (.bin)"] = [sparse]
    evil = one / "evil"
    evil.mkdir()
    cases["os.system payload inside a zip checkpoint"] = [
        P.torch_zip(evil / "pytorch_model.bin", P.tensors(4, 256), pkl=P.state_dict_pickle(P.tensors(4, 256), extra=P.inline(P.os_system("true"))))
    ]
    case("STACK_GLOBAL through the memo (protocol 4)", "stack.pkl", P.stack_global("os", "system", "true"))
    return cases


def run(python: str, driver: str, paths: list[Path]) -> dict:
    """One child: (status, wall s, CPU s, peak RSS MB, stdout tail, last stderr line); its own rusage (wait4)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([python, "-c", driver, *map(str, paths)], stdout=out, stderr=err, preexec_fn=limit, cwd=ROOT)
        status = "timeout"
        while time.perf_counter() - t0 < TIMEOUT:
            pid, code, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = "ok" if os.waitstatus_to_exitcode(code) == 0 else "crash"
                break
            time.sleep(0.01)
        else:
            proc.kill()
            _, _, ru = os.wait4(proc.pid, 0)
        proc.returncode = 0  # reaped above
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace").strip()
        last = err.read().decode(errors="replace").strip().splitlines()[-1:]
    return {
        "status": status,
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "rss": ru.ru_maxrss / 1024,
        "said": text[-400:] if status == "ok" else "; ".join(last)[-300:],
    }


def main(argv: list[str]) -> None:
    scanners = dict(a.split("=", 1) for a in argv) or {"mofcheck": sys.executable}
    with tempfile.TemporaryDirectory() as tmp:
        cases = build_corpus(Path(tmp))
        for name, python in scanners.items():
            version = subprocess.run(
                [python, "-c", f"import importlib.metadata as m; print(m.version({name!r}))"], capture_output=True, text=True
            ).stdout.strip()
            print(f"\n## {name} {version}")
            for case, paths in cases.items():
                r = run(python, DRIVERS[name], paths)
                print(f"- {case}: {r['status']}, wall {r['wall']:.2f} s, CPU {r['cpu']:.2f} s, peak RSS {r['rss']:.0f} MB")
                print(f"    {r['said']}")


if __name__ == "__main__":
    main(sys.argv[1:])
