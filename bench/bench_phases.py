"""CPU and wall time of each phase of `mofcheck check`, in one fresh interpreter (where the time goes).

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_phases.py [fixtures/class1-open-science]

Phases run in pipeline order, so each line includes the imports it triggers first (e.g. "import cli" is
mostly cyclopts, "render text" mostly rich). `check.run` then repeats the pipeline with everything loaded:
that line is the work alone. Run it a few times: the first run after an edit also writes bytecode.
"""

from __future__ import annotations

import os
import sys
import time

marks: list[tuple[str, float, float]] = []


def mark(name: str) -> None:
    marks.append((name, time.process_time(), time.perf_counter()))


def main() -> None:
    fixture = sys.argv[1] if len(sys.argv) > 1 else "fixtures/class1-open-science"
    mark("start")
    import mofcheck.cli  # noqa: F401

    mark("import mofcheck.cli")
    from pathlib import Path

    from mofcheck import framework

    fw = framework.load()
    mark("framework.load")
    from mofcheck.repo import Repo

    repo = Repo.open(Path(fixture))
    mark("Repo.open")
    from mofcheck.evidence import paths

    paths.load_patterns()
    mark("load_patterns")
    index = paths.classify_paths(repo.files)
    mark("classify_paths")
    from mofcheck.evidence import cards

    cards.rules()
    mark("cards.rules")
    from mofcheck.licenses import identify

    identify.load()
    mark("identify import + load")
    from mofcheck.readers import local

    local.read(repo, index)
    mark("read (local)")
    from mofcheck import manifest

    listed = {f.path for f in repo.files}
    for rel in manifest.find_manifests(Path(fixture), listed):
        manifest.load_file(Path(fixture) / rel, rel, fw)
    mark("manifests")
    from mofcheck.check import CheckOptions, run

    report = run(CheckOptions(path=Path(fixture), use_config=False)).to_dict()
    mark("check.run (all loaded)")
    from mofcheck.report import render

    render("text", report, color=False)
    mark("render text")
    render("json", report)
    mark("render json")
    prev = marks[0]
    print(f"{fixture}, load average {os.getloadavg()[0]:.2f}")
    for name, cpu, wall in marks[1:]:
        print(f"{name:<26} cpu {1000 * (cpu - prev[1]):7.1f} ms   wall {1000 * (wall - prev[2]):7.1f} ms")
        prev = (name, cpu, wall)
    print(f"{'total':<26} cpu {1000 * (marks[-1][1] - marks[0][1]):7.1f} ms   wall {1000 * (marks[-1][2] - marks[0][2]):7.1f} ms")


if __name__ == "__main__":
    main()
