"""Run one action under a Python audit hook and write what it saw as JSON (tests/test_safety_noexec.py).

    python tests/audit_probe.py OUT.json MARKER check ROOT [mofcheck args...]   # the real `mofcheck check`
    python tests/audit_probe.py OUT.json MARKER load FILE                        # control: pickle.load it

Recorded: every `exec` and `compile` whose code or source mentions MARKER, `os.system`, `os.exec*`,
`os.spawn*`, `os.posix_spawn`, `subprocess.Popen` (with its argv), `socket.connect`, `webbrowser.open`,
`open` of any path containing MARKER, and `import` of modules mofcheck never needs (the payloads' own).
The hook is installed before mofcheck is imported, so nothing slips in first.
"""

from __future__ import annotations

import json
import sys

OUT, MARKER, ACTION, *ARGS = sys.argv[1:]
WATCHED_IMPORTS = {"webbrowser", "pty", "runpy", "ctypes", "code", "codeop", "pdb", "timeit", "cProfile", "profile", "ensurepip", "venv"}
events: list[list[str]] = []


def _text(obj) -> str:
    try:
        if hasattr(obj, "co_consts"):
            return repr(obj.co_consts) + repr(getattr(obj, "co_names", ()))
        return obj.decode("latin-1") if isinstance(obj, (bytes, bytearray)) else str(obj)
    except Exception:  # noqa: BLE001
        return ""


def hook(event: str, args: tuple) -> None:
    if event in ("exec", "compile"):
        if args and MARKER in _text(args[0]):
            events.append([event, _text(args[0])[:200]])
    elif event in ("os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty"):
        events.append([event, repr(args)[:200]])
    elif event == "subprocess.Popen":
        events.append([event, repr(args[1])[:300]])
    elif event in ("socket.connect", "socket.getaddrinfo", "webbrowser.open", "urllib.Request"):
        events.append([event, repr(args)[:200]])
    elif event == "open":
        if args and MARKER in str(args[0]):
            events.append([event, str(args[0])])
    elif event == "import":
        if args and str(args[0]).split(".")[0] in WATCHED_IMPORTS:
            events.append([event, str(args[0])])


sys.addaudithook(hook)
code = 0
try:
    if ACTION == "check":
        from mofcheck.cli import main

        code = main(["check", *ARGS])
    elif ACTION == "load":
        import pickle

        with open(ARGS[0], "rb") as f:
            try:
                pickle.load(f)
            except Exception as e:  # noqa: BLE001 - a payload's call may fail after it ran
                events.append(["load-error", repr(e)[:200]])
    else:
        raise SystemExit(f"unknown action {ACTION}")
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else 0
finally:
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"code": code, "events": events}, f)
