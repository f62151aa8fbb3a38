"""Proof that scanning never runs a pickle: payloads that run code when loaded (os.system, exec, eval,
subprocess.Popen, open, webbrowser), in every container mofcheck reads (raw .pkl, torch zip, legacy torch,
.npy, .npz, gzip joblib). A control loads each payload with `pickle.load` under the same audit hook and
sees it run (the canary file appears, the hook records the call); `mofcheck check` on a repository of
them, in a fresh interpreter with the hook installed before mofcheck is imported, creates no canary,
runs no process but git, compiles no payload code, imports none of the payloads' modules, and reports
every file as security.unsafe-pickle."""

from __future__ import annotations

import builtins
import gzip
import json
import os
import subprocess
import sys
import uuid
import webbrowser
from pathlib import Path

import pytest

from . import pickles as P
from .conftest import ROOT

PROBE = ROOT / "tests" / "audit_probe.py"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="the payloads use POSIX commands")


def payloads(canaries: Path, marker: str) -> dict[str, bytes]:
    """name -> a pickle that, when loaded, leaves a canary file named after it (or calls out)."""
    c = lambda n: str(canaries / f"canary-{marker}-{n}")  # noqa: E731
    return {
        "system": P.os_system(f"touch {c('system')}"),
        "exec": P.exec_payload(f"open({c('exec')!r}, 'w').write('ran')"),
        "eval": P.pickle_call(builtins.eval, f"open({c('eval')!r}, 'w').write('ran')"),
        "popen": P.pickle_call(subprocess.Popen, ["touch", c("popen")]),
        "open": P.pickle_call(builtins.open, c("open"), "w"),
        "webbrowser": P.pickle_call(webbrowser.open, f"http://127.0.0.1:9/{marker}"),
        "stack-global": P.stack_global("os", "system", f"touch {c('stack')}"),
    }


def probe(tmp: Path, marker: str, *args: str, env: dict | None = None) -> dict:
    out = tmp / f"probe-{uuid.uuid4().hex}.json"
    proc = subprocess.run([sys.executable, str(PROBE), str(out), marker, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)
    assert out.exists(), proc.stderr
    data = json.loads(out.read_text())
    data["stdout"], data["stderr"] = proc.stdout, proc.stderr
    return data


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("noexec")
    marker = uuid.uuid4().hex[:12]
    canaries = base / "canaries"
    canaries.mkdir()
    repo = base / "repo"
    repo.mkdir()
    raw = payloads(canaries, marker)
    for name, data in raw.items():
        (repo / f"{name}.pkl").write_bytes(data)
    ts = P.tensors(3, 192)
    P.torch_zip(repo / "pytorch_model.bin", ts, pkl=P.state_dict_pickle(ts, extra=P.inline(raw["system"])))
    P.legacy_checkpoint(repo / "legacy.pt", ts, pkl=P.state_dict_pickle(ts, legacy=True, extra=P.inline(raw["popen"])))
    P.npy(repo / "objects.npy", payload=P.exec_payload(f"open({str(canaries / f'canary-{marker}-npy')!r}, 'w')", protocol=3))
    P.npz(repo / "arrays.npz", {"a.npy": P.npy_header("|O", (1,)) + raw["eval"]})
    (repo / "model.joblib").write_bytes(gzip.compress(raw["open"]))
    return base, repo, canaries, marker, raw


def test_control_each_payload_really_runs_when_loaded(hostile):
    base, _repo, canaries, marker, raw = hostile
    control = base / "control"
    control.mkdir(exist_ok=True)
    for name, data in raw.items():
        f = control / f"{name}.pkl"
        f.write_bytes(data)
        got = probe(base, marker, "load", str(f), env={"BROWSER": "true"})
        kinds = {e[0] for e in got["events"]}
        assert kinds - {"load-error"}, (name, got)  # the hook sees the payload run
    made = sorted(p.name.rsplit("-", 1)[1] for p in canaries.iterdir())
    assert made == ["eval", "exec", "open", "popen", "stack", "system"]
    for p in canaries.iterdir():
        p.unlink()


def test_check_never_runs_a_payload(hostile):
    base, repo, canaries, marker, _raw = hostile
    got = probe(base, marker, "check", str(repo), "--no-config", "--format", "json")
    assert not list(canaries.iterdir())
    assert got["stderr"] == ""  # picklescan's own warnings name repository files: never printed
    for event, detail in got["events"]:
        assert event == "subprocess.Popen" and "git" in detail.split(",")[0], (event, detail)
    report = json.loads(got["stdout"])
    unsafe = {f["path"] for f in report["findings"] if f["code"] == "security.unsafe-pickle"}
    assert unsafe == {p.name for p in repo.iterdir()}, unsafe
    assert got["code"] == 1  # security.unsafe-pickle is an error: the default gate fails on it ...


def test_fail_on_gates_on_it(hostile):
    base, repo, canaries, marker, _raw = hostile
    got = probe(base, marker, "check", str(repo), "--no-config", "--format", "json", "--fail-on", "security.unsafe-pickle")
    assert got["code"] == 1 and not list(canaries.iterdir())  # ... --fail-on makes it one
