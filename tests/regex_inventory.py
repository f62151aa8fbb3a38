"""Every regular expression mofcheck compiles, with the module that compiles it: run as a script, it records
each `re` compilation whose caller is mofcheck's own code (patterns written in the modules, and patterns
read from the data files), while it imports every module, calls every cached loader, and checks every
fixture in each mode, every output format, `identify` and `explain`. Prints JSON lines
{"pattern", "bytes", "flags", "module"}. tests/test_hostile_patterns.py adds the literal patterns of the
source (ast) that this run did not reach."""

from __future__ import annotations

import json
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src", "mofcheck")
_seen: dict[tuple, str] = {}
_original = re._compile  # type: ignore[attr-defined]


# Patterns built from the repository's own text compiled by `re` (none now: REUSE.toml and `ignore` globs
# are matched by RE2, `.gitattributes` by git); a (module, function) here is left out of the sweep.
FROM_REPOSITORY: set[tuple[str, str]] = set()


def _caller() -> str | None:
    f = sys._getframe(2)
    while f is not None:
        name = f.f_code.co_filename
        if name.startswith(SRC):
            module = os.path.relpath(name, os.path.dirname(SRC)).replace(os.sep, "/")
            return None if (module, f.f_code.co_name) in FROM_REPOSITORY else module
        if not (name.endswith(("re/__init__.py", "re/_compiler.py", "re/_parser.py", "functools.py")) or "/re/" in name):
            return None  # a library's own pattern (markdown-it, ruamel, ...)
        f = f.f_back
    return None


def _recording(pattern, flags):
    if isinstance(pattern, (str, bytes)):
        key = (pattern, int(flags))
        if key not in _seen:
            where = _caller()
            if where:
                _seen[key] = where
    return _original(pattern, flags)


def main() -> None:
    re._compile = _recording  # type: ignore[attr-defined]
    import functools
    import importlib
    import io
    import pkgutil
    from contextlib import redirect_stderr, redirect_stdout
    from pathlib import Path

    import mofcheck

    modules = []
    for info in pkgutil.walk_packages(mofcheck.__path__, "mofcheck."):
        if info.name.endswith("__main__"):
            continue
        try:
            modules.append(importlib.import_module(info.name))
        except Exception:  # noqa: BLE001 - an optional extra that is not installed
            pass
    for mod in modules:  # cached loaders without arguments: rules(), _pats(), ...
        for value in list(vars(mod).values()):
            if isinstance(value, functools._lru_cache_wrapper) and getattr(value, "__module__", "") == mod.__name__:
                try:
                    value()
                except TypeError:
                    pass
                except Exception:  # noqa: BLE001
                    pass
    from mofcheck.evidence import cards

    for key, value in cards.rules()["weights"].items():  # cards.yaml patterns compiled on first use
        if isinstance(value, str):
            try:
                cards._rx("weights", key)
            except re.error:
                pass
    from mofcheck.evidence import statements

    for _needle, source, _names, _weak in statements._component_words():  # compiled when the needle is seen
        statements._word_rx(source)
    from mofcheck.cli import main as cli

    root = Path(SRC).parents[1]
    fixtures = sorted(p for p in (root / "fixtures").iterdir() if p.is_dir())
    variants = root / "tests" / "data" / "license-variants"
    texts = sorted(p for p in variants.rglob("*") if p.is_file())[:40] if variants.is_dir() else []
    sink = io.StringIO()
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"mofcheck-inventory-{os.getpid()}"
    formats = [a for f in ("json", "markdown", "github", "sarif", "lines") for a in ("--format", f, "--output", str(out / f"r.{f}"))]
    with redirect_stdout(sink), redirect_stderr(sink):
        for fx in fixtures:
            cli(["check", str(fx), "--no-config", *formats, "--format", "text"])
            cli(["check", str(fx), "--no-config", "--mode", "mot", "--format", "json"])
        if texts:
            cli(["identify", *map(str, texts)])
        cli(["explain", "Model card", "--path", str(fixtures[0])])
        cli(["explain", "llama3.1"])
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    for (pattern, flags), where in sorted(_seen.items(), key=lambda kv: (kv[1], str(kv[0][0]))):
        is_bytes = isinstance(pattern, bytes)
        text = pattern.decode("latin-1") if is_bytes else pattern
        print(json.dumps({"pattern": text, "bytes": is_bytes, "flags": flags, "module": where}))


if __name__ == "__main__":
    main()
