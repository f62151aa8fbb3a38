"""No regular expression may stall a check: every pattern mofcheck compiles (in its modules and from its
data files) runs over adversarial text at the read cap that applies to it within a time bound.

The patterns come from two places, so a new one is covered without touching this file:
* tests/regex_inventory.py, run once per session in a child process: every `re` compilation whose caller
  is mofcheck's code while it imports every module, calls every cached loader (the data files' patterns)
  and checks every fixture in every format;
* the literal patterns written in the source (`re.compile("...")`, `re.search(r"...", ...)`), read
  with `ast`, for code paths the fixtures do not reach.

The shapes: long runs of one character (spaces, tabs, newlines, brackets, parentheses, `<`, `*`, `#`,
`-`, `.`, letters, digits), alternating pairs (`a `, `ab`, `a\\n`), a word, a run of spaces and a word,
repeated Markdown link openings (`[a](`), and each literal token of the pattern itself repeated, spaced
and followed by a long run of spaces. Each is searched with `finditer` (every start position) and tried
with `fullmatch`. A quadratic pattern takes minutes at these sizes; a linear one milliseconds.
"""

from __future__ import annotations

import ast
import json
import re
import signal
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "mofcheck"
BOUND = 10.0  # seconds per pattern and shape, for a loaded machine: linear patterns take ms to 6 s (the big
# alternations of statements at 1 MiB), a quadratic one minutes to hours at these sizes

KiB, MiB = 1024, 1024 * 1024
# The read cap that applies to the text each module's patterns meet (SECURITY.md, "Its reads are bounded").
CAPS = {
    "mofcheck/evidence/paths.py": 4 * KiB,  # paths and file names (PATH_MAX)
    "mofcheck/evidence/pathdata.py": 4 * KiB,  # the path patterns, checked when loaded
    "mofcheck/evidence/pathmatch.py": 4 * KiB,  # the path patterns, compiled on first use
    "mofcheck/repo/": 4 * KiB,  # paths; LFS pointers (< 1 KiB)
    "mofcheck/report/findings.py": 4 * KiB,  # finding paths
    "mofcheck/evidence/collect.py": 256 * KiB,  # license files and REUSE sidecars (code heads are 4-16 KiB)
    "mofcheck/licenses/": 256 * KiB,  # license texts (normalize.MAX_CHARS), expressions (1000 chars)
    "mofcheck/export/": 64 * KiB,  # license expressions and manifest values
}
DEFAULT_CAP = MiB  # cards and READMEs (1 MiB), and anything else: the largest text read


# Modules whose patterns are matched against a whole path or name (fullmatch / match), never searched.
ANCHORED = {
    "mofcheck/evidence/paths.py",
    "mofcheck/evidence/pathdata.py",
    "mofcheck/evidence/pathmatch.py",
    "mofcheck/repo/files.py",
    "mofcheck/report/findings.py",
}


@lru_cache(maxsize=1)
def overrides() -> dict[str | tuple[str, str], tuple[int, bool]]:
    """pattern (or (module, pattern)) -> (cap, anchored) for patterns that meet a name or a short value, not a
    file's text."""
    from mofcheck.evidence import licensefiles, pathevidence
    from mofcheck.evidence.rules import component_rules
    from mofcheck.evidence.statements import rules as statement_rules

    r = component_rules()
    out = {rx.pattern: (255, True) for rx, _ in r["_file_scopes"]}  # fullmatch on a file name (NAME_MAX)
    out[r["_model_licenses"].pattern] = (1000, True)  # fullmatch on a license expression (at most 1000)
    out[r["_model_license_title"].pattern] = (200, False)  # a license's title line (normalize: 200)
    out[pathevidence._SOURCE_FILE.pattern] = (255, True)  # fullmatch on a file name
    out[licensefiles._ABOUT_LICENSES.pattern] = (255, True)
    out[pathevidence._TESTS_DIR.pattern] = (4 * KiB, False)  # searched in a path
    from mofcheck.evidence import statements

    st = statement_rules()["statements"]
    out[st["stop"]] = (st["max_license_chars"] + 40, False)  # the text after "under" (statements._capture_license)
    # searched only in a window before the word they need (statements._subject, _mentions)
    out[st["named_model"]] = (statements.NAMED_MODEL_WINDOW + 20, False)
    out[st["applies"]] = (statements.APPLIES_WINDOW + 80, False)
    # only ever fullmatched on a file name: a card's name (no cap in the code: held at the largest read) and
    # a remote file's name (remote.texts.rule_for reads none longer than NAME_MAX)
    from mofcheck.evidence import cardtext
    from mofcheck.remote import texts

    out["mofcheck/evidence/cardtext.py", cardtext._TEXT_NAME.pattern] = (DEFAULT_CAP, True)
    table, exclude = texts.rules()
    for rx in [*(rule.name for rule in table), exclude]:  # (module, pattern): paths.py has one of them too
        out["mofcheck/remote/texts.py", rx.pattern] = (texts.NAME_MAX, True)
    return out


def _override(module: str, pattern: str) -> tuple[int, bool] | None:
    return overrides().get((module, pattern)) or overrides().get(pattern)


def anchored(module: str, pattern: str) -> bool:
    if _override(module, pattern):
        return _override(module, pattern)[1]
    return module in ANCHORED or pattern in whole_only()


def cap_for(module: str, pattern: str = "") -> int:
    if _override(module, pattern):
        return _override(module, pattern)[0]
    for prefix, cap in CAPS.items():
        if module == prefix or (prefix.endswith("/") and module.startswith(prefix)):
            return cap
    return DEFAULT_CAP


_FLAG_NAMES = {n: getattr(re, n) for n in ("I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "A", "ASCII", "U", "UNICODE", "L", "LOCALE")}
_RE_FUNCS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _flags(node: ast.AST) -> int:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(_FLAG_NAMES.get(node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    return 0


def literal_patterns() -> set[tuple[str, bool, int, str]]:
    """(pattern, is_bytes, flags, module) for every `re.<fn>("literal", ...)` in the source."""
    return {r[:4] for r in _literal_calls()}


@lru_cache(maxsize=1)
def whole_only() -> frozenset[str]:
    """Literal patterns the source only ever uses with `re.fullmatch` / `re.match` (never searched)."""
    calls = _literal_calls()
    anchored_ = {r[0] for r in calls if r[4] in ("fullmatch", "match")}
    return frozenset(anchored_ - {r[0] for r in calls if r[4] not in ("fullmatch", "match")})


@lru_cache(maxsize=1)
def _literal_calls() -> frozenset[tuple[str, bool, int, str, str]]:
    out = set()
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RE_FUNCS):
                continue
            if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "re") or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, (str, bytes)):
                flags = 0
                for extra in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]:
                    flags |= _flags(extra)
                value = first.value
                is_bytes = isinstance(value, bytes)
                out.add((value.decode("latin-1") if is_bytes else value, is_bytes, flags, module, node.func.attr))
    return frozenset(out)


@lru_cache(maxsize=1)
def inventory() -> list[tuple[str, bool, int, str]]:
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "regex_inventory.py")], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {(r["pattern"], r["bytes"], r["flags"], r["module"]) for r in map(json.loads, proc.stdout.splitlines())}
    seen = {(p, b) for p, b, _, _ in rows}
    rows |= {r for r in literal_patterns() if (r[0], r[1]) not in seen}
    return sorted(rows, key=lambda r: (r[3], r[0]))


def _tokens(pattern: str, flags: int) -> list[str]:
    """Literal runs of the pattern (what it looks for), longest first, at most four."""
    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return []
    runs: list[str] = []

    def walk(items) -> None:
        cur: list[str] = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                cur.append(chr(av))
                continue
            if len(cur) >= 2:
                runs.append("".join(cur))
            cur = []
            if name in ("SUBPATTERN",):
                walk(av[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2])
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1])
        if len(cur) >= 2:
            runs.append("".join(cur))

    walk(parsed)
    return sorted(set(runs), key=lambda t: (-len(t), t))[:4]


def shapes(pattern: str, flags: int, n: int) -> list[tuple[str, str]]:
    def fill(unit: str) -> str:
        return (unit * (n // max(1, len(unit)) + 1))[:n]

    out = [(f"run {c!r}", fill(c)) for c in (" ", "\t", "\n", "[", "(", "<", "*", "#", "-", ".", "a", "A", "0")]
    out += [(f"alternating {u!r}", fill(u)) for u in ("a ", "ab", "a\n", "[a](", "a.", "A.", "<a ")]
    out.append(("word, spaces, word", "a" + " " * (n - 2) + "b"))
    for t in _tokens(pattern, flags):
        out.append((f"token {t[:20]!r} repeated", fill(t)))
        out.append((f"token {t[:20]!r} spaced", fill(t + " ")))
        out.append((f"token {t[:20]!r} then spaces", (t + " " * n)[:n] + "x"))
    return out


class Stalled(Exception):
    pass


def _alarm(*_):
    raise Stalled


@lru_cache(maxsize=1)
def cases() -> list[tuple[str, bool, int, str, int, bool]]:
    """(pattern, is_bytes, flags, module, cap, whole), one per distinct (pattern, is_bytes, flags, cap, whole):
    the same pattern compiled in two places is swept once."""
    out: dict[tuple, str] = {}
    for pattern, is_bytes, flags, module in inventory():
        out.setdefault((pattern, is_bytes, flags, cap_for(module, pattern), anchored(module, pattern)), module)
    return [(p, b, f, m, n, w) for (p, b, f, n, w), m in out.items()]


def _ids() -> list[str]:
    return [f"{c[3]}:{i}" for i, c in enumerate(cases())]


# A shape at an eighth of the cap is timed again at the cap when its growth could take it past the bound:
# up to cubic (512 times) for small caps; from an eighth of 16 KiB up, a cubic shape makes (16 Ki)^3 / 6,
# some 7e11, steps there and stalls at the eighth already, so only quadratic growth (64 times) is left.
# Exponential shapes stall at the eighth.
RECHECKED = 3  # at most this many shapes (the slowest) are timed at the cap


def growth(eighth: int) -> int:
    return 64 if eighth >= 16 * KiB else 512


def sweep(rx: re.Pattern, pattern: str, flags: int, is_bytes: bool, n: int, whole: bool, bound: float = BOUND) -> list[str]:
    """The shapes over `bound` seconds: every shape at an eighth of the cap `n`, then the slowest at the cap.
    Stops at the first one over: a stalling pattern fails within about `bound` seconds (or twice that when
    it shows at the cap only)."""
    eighth = max(1, n // 8)
    timed = []
    for name, text in shapes(pattern, flags, eighth):
        took = _time(rx, text, is_bytes, bound, whole)
        if took > bound:
            return [f"{name} at {eighth}: over {bound:.0f} s"]
        timed.append((took, name))
    slowest = [name for took, name in sorted(timed, reverse=True)[:RECHECKED] if took * growth(eighth) > bound]
    if slowest and n > eighth:
        for name, text in shapes(pattern, flags, n):
            if name in slowest and _time(rx, text, is_bytes, bound, whole) > bound:
                return [f"{name} at {n}: over {bound:.0f} s"]
    return []


def test_the_inventory_covers_code_and_data():
    rows = inventory()
    modules = {m for _, _, _, m in rows}
    assert len(rows) > 200
    # data-file patterns (paths.yaml kinds, cards.yaml, components.yaml) and the two patterns of round 2
    assert {"mofcheck/evidence/pathmatch.py", "mofcheck/evidence/cards.py", "mofcheck/evidence/statements.py"} <= modules
    patterns = {p for p, _, _, _ in rows}
    from mofcheck.evidence.licensefiles import _SPDX_HEADER
    from mofcheck.licenses.normalize import _MD_LINK

    assert _SPDX_HEADER.pattern in patterns and _MD_LINK.pattern in patterns
    assert literal_patterns() - set(rows) <= {r for r in literal_patterns() if (r[0], r[1]) in {(p, b) for p, b, _, _ in rows}}
    # every pattern is swept: deduplication only drops a repeat of the same pattern, flags and cap
    assert {(p, b, f) for p, b, f, _ in rows} == {(p, b, f) for p, b, f, *_ in cases()}


def _quadratic_cap(rx: re.Pattern, text: str, bound: float) -> int:
    """The cap at which a quadratic pattern takes about bound/16 at an eighth of it (so 4 x bound at the cap)."""
    m = 4096
    took = min(_time(rx, text[:m], False, bound) for _ in range(3))
    per = max(took, 1e-6) / (m * m)
    return 8 * max(m, int((bound / 16 / per) ** 0.5))


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM to bound a stalled match")
def test_the_sweep_flags_quadratic_and_exponential_patterns():
    # exponential: stalls on the first shape, at an eighth of the cap
    found = sweep(re.compile(r"(a|a)*b"), r"(a|a)*b", 0, False, MiB, False, bound=1.0)
    assert found and "at 131072" in found[0], found
    # quadratic (searched from every start over a run of spaces), calibrated on this machine so that it stays
    # under the bound at an eighth of the cap and goes over it only at the cap
    rx = re.compile(r"\s*x")
    n = _quadratic_cap(rx, " " * MiB, bound=1.0)
    t0 = time.perf_counter()
    found = sweep(rx, rx.pattern, 0, False, n, False, bound=1.0)
    assert found and f"at {n}:" in found[0], (n, found)
    assert time.perf_counter() - t0 < 30
    # the same pattern matched only at the start is linear; so is a literal-led one over every shape
    assert sweep(rx, rx.pattern, 0, False, n, True, bound=1.0) == []
    assert sweep(re.compile(r"\bpaper\b", re.I), r"\bpaper\b", re.I, False, MiB, False) == []


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM to bound a stalled match")
@pytest.mark.parametrize("index", range(len(cases())), ids=_ids())
def test_no_pattern_stalls_at_its_read_cap(index):
    pattern, is_bytes, flags, module, n, whole = cases()[index]
    rx = re.compile(pattern.encode("latin-1") if is_bytes else pattern, flags)
    slow = sweep(rx, pattern, flags, is_bytes, n, whole)
    assert not slow, f"{module}: {pattern!r}: " + "; ".join(slow)


def _time(rx: re.Pattern, text: str, is_bytes: bool, bound: float, whole: bool = False) -> float:
    """Seconds to search `text` at every position (unless the pattern only ever meets a whole path or
    name: `whole`) and to try a match and a full match; cut off just past `bound`."""
    subject = text.encode("latin-1", "replace") if is_bytes else text
    old = signal.signal(signal.SIGALRM, _alarm)
    t0 = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, bound + 0.5)
    try:
        if not whole:
            for _ in rx.finditer(subject):
                pass
        rx.match(subject)
        rx.fullmatch(subject)
    except Stalled:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return time.perf_counter() - t0
