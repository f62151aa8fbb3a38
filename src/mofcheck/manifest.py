"""MOT-format manifests: find them in a repository, load them safely with positions, validate them.

A manifest is the YAML of MOT's registry (`models/*.yml`). Loading is bounded (size, node count, depth),
uses ruamel's round-trip parser only for positions (it constructs plain types, never Python objects),
and every error names the file, line and column and says what to write instead.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import data
from .errors import ManifestError
from .framework import Framework

MANIFEST_NAMES = ("mof.yml", "mof.yaml", ".mof.yml", ".github/mof.yml")
MANIFEST_DIR = ".mof"
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
GLOBAL_KEYS = ("distribution", "code", "data", "document")
UNLICENSED = "unlicensed"

Pos = tuple[int, int]  # 1-based line, column


@dataclass
class GlobalLicense:
    category: str
    name: str | None
    path: str | None
    line: int | None


@dataclass
class ManifestComponent:
    name: str
    index: int
    license: str | None  # None: inherit; otherwise as written (`unlicensed` and '' mean no license)
    license_set: bool  # the key is present and non-null
    license_path: str | None
    component_path: str | None
    description: str | None
    line: int | None
    license_line: int | None


@dataclass
class Manifest:
    path: str  # as shown to the user
    data: dict[str, Any]
    positions: dict[tuple, Pos]
    components: list[ManifestComponent] = field(default_factory=list)
    global_licenses: dict[str, GlobalLicense] = field(default_factory=dict)

    @property
    def release(self) -> dict[str, Any]:
        return self.data.get("release") or {}

    @property
    def name(self) -> str:
        return str(self.release.get("name") or "")

    def line_of(self, *keys: Any) -> int | None:
        pos = self.positions.get(tuple(keys))
        return pos[0] if pos else None

    def _release_text(self, key: str) -> str | None:
        value = self.release.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    @property
    def huggingface(self) -> str | None:
        """`release.huggingface`: where the release publishes weights and cards (a URL or `org/name`)."""
        return self._release_text("huggingface")

    @property
    def huggingface_line(self) -> int | None:
        return self.line_of("release", "huggingface")

    @property
    def repository(self) -> str | None:
        """`release.repository`: the release's code repository (a URL)."""
        return self._release_text("repository")

    @property
    def repository_line(self) -> int | None:
        return self.line_of("release", "repository")


# --------------------------------------------------------------------------------------------------
# finding manifests


def find_manifests(root: Path, listed: set[str] | None = None) -> list[str]:
    """Manifest paths (repository-relative, POSIX) in discovery order.

    `listed` is the repository listing (tracked files) when there is one, so an untracked manifest never
    counts; without it the filesystem is consulted (regular files only, never through a symlink).
    """

    def exists(rel: str) -> bool:
        if listed is not None:
            return rel in listed
        p = root / rel
        return p.is_file() and not p.is_symlink()

    found = [n for n in MANIFEST_NAMES if exists(n)]
    if listed is not None:
        found += sorted(p for p in listed if p.startswith(MANIFEST_DIR + "/") and p.count("/") == 1 and p.endswith((".yml", ".yaml")))
    else:
        d = root / MANIFEST_DIR
        if d.is_dir() and not d.is_symlink():
            found += sorted(f"{MANIFEST_DIR}/{p.name}" for p in d.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file() and not p.is_symlink())
    return found


# --------------------------------------------------------------------------------------------------
# loading


@lru_cache(maxsize=1)
def _yaml():
    from ruamel.yaml import YAML

    # typ=safe composes with libyaml (ruamel.yaml.clib) when installed: ~10x faster than the pure parser,
    # and its nodes still carry positions. Scalars are built by the safe constructor only.
    return YAML(typ="safe")


def _plain(node: Any, path: tuple, positions: dict[tuple, Pos], budget: list[int], depth: int = 0, line_offset: int = 0) -> Any:
    """Build plain dict/list/scalars from composed YAML nodes, recording positions, within budgets."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    mark = node.start_mark
    budget[0] -= 1
    if budget[0] < 0:
        raise ManifestError(
            f"more than {MAX_NODES} YAML nodes (an alias bomb?); a manifest is a small file: write it without anchors and aliases",
            line=mark.line + 1,
            column=mark.column + 1,
        )
    if depth > 64:
        raise ManifestError("YAML nested more than 64 levels deep; a manifest is at most 4 levels deep", line=mark.line + 1, column=mark.column + 1)
    if isinstance(node, MappingNode):
        if node.tag not in (MAP_TAG, "tag:yaml.org,2002:omap"):
            raise _tag_error(node)
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            key = _plain(knode, path, {}, budget, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ManifestError("a mapping key must be a plain scalar", line=knode.start_mark.line + 1, column=knode.start_mark.column + 1)
            key = key if isinstance(key, str) else str(key)
            if key in out:
                first = positions.get(path + (key,), (0, 0))[0] + line_offset
                raise ManifestError(
                    f"duplicate key {key!r} (first at line {first}); each key may appear once per mapping",
                    line=knode.start_mark.line + 1,
                    column=knode.start_mark.column + 1,
                )
            positions[path + (key,)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            positions[path + (key, VALUE)] = (vnode.start_mark.line + 1, vnode.start_mark.column + 1)
            out[key] = _plain(vnode, path + (key,), positions, budget, depth + 1, line_offset)
        return out
    if isinstance(node, SequenceNode):
        if node.tag != SEQ_TAG:
            raise _tag_error(node)
        items = []
        for i, v in enumerate(node.value):
            positions[path + (i,)] = (v.start_mark.line + 1, v.start_mark.column + 1)
            items.append(_plain(v, path + (i,), positions, budget, depth + 1, line_offset))
        return items
    if isinstance(node, ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise _tag_error(node)
        if len(node.value) > MAX_MANIFEST_BYTES:
            raise ManifestError("a scalar longer than the manifest size limit", line=mark.line + 1, column=mark.column + 1)
        # An unquoted date stays a date: it is not a string for MOT either (Symfony YAML makes it a
        # timestamp), so the schema rejects it with a hint to quote it.
        return _yaml().constructor.construct_object(node, deep=True)
    raise _tag_error(node)


VALUE = "$value"  # positions[path + (VALUE,)]: where the value of `path` starts
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp"))


def _tag_error(node: Any) -> ManifestError:
    m = node.start_mark
    return ManifestError(
        f"YAML tag {node.tag!r} is not allowed; manifests take plain YAML: remove the tag",
        line=m.line + 1,
        column=m.column + 1,
    )


def load_text(text: str, display_path: str, line_offset: int = 0) -> tuple[Any, dict[tuple, Pos]]:
    """Parse YAML text into plain data plus a (key path -> line, column) map. Raises ManifestError.

    `line_offset`: lines before `text` in its file (YAML front matter in a card), added to every line
    reported, in positions and in messages.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    positions: dict[tuple, Pos] = {}
    try:
        node = _yaml().compose(text)
        data = None if node is None else _plain(node, (), positions, [MAX_NODES], line_offset=line_offset)
        if line_offset:
            positions = {k: (ln + line_offset, col) for k, (ln, col) in positions.items()}
    except ManifestError as exc:
        raise ManifestError(exc.message, display_path, exc.line + line_offset if exc.line else None, exc.column) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problem = " ".join(str(exc.problem or exc.context or "YAML syntax error").split())
        raise ManifestError(f"YAML error: {problem}", display_path, line, col) from None
    except YAMLError as exc:
        raise ManifestError(f"YAML error: {' '.join(str(exc).split())}", display_path) from None
    except RecursionError:
        raise ManifestError("YAML nested too deeply to parse; a manifest is at most 4 levels deep", display_path) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar the constructor rejects
        raise ManifestError(f"YAML error: {exc}", display_path) from None
    return data, positions


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(data.text("schemas/mot-manifest.schema.json"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    # schemacheck implements the schema's few keywords with jsonschema's errors, without jsonschema's
    # import cost (more than the rest of a small check); any other schema gets jsonschema itself
    from .schemacheck import compile_schema

    return compile_schema(schema()) or reference_validator()


def reference_validator() -> Any:
    """jsonschema's Draft 7 validator for the manifest schema (the reference schemacheck is tested against)."""
    import jsonschema

    return jsonschema.Draft7Validator(schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(data: Any) -> list[tuple[tuple, str]]:
    """(JSON path, message) for every way `data` violates the MOT-format schema, sorted by path."""
    out = []
    for err in _validator().iter_errors(data):
        out.append((tuple(err.absolute_path), _schema_message(err)))
    return sorted(out, key=lambda e: [str(p) for p in e[0]])


def _schema_message(err: Any) -> str:
    where = ".".join(str(p) for p in err.absolute_path) or "the document"
    v = err.validator
    inst = err.instance
    if v == "type":
        want = err.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        got = "a date" if isinstance(inst, (_dt.date, _dt.datetime)) else type(inst).__name__.replace("NoneType", "null")
        hint = ""
        if isinstance(inst, (_dt.date, _dt.datetime)):
            hint = f"; quote it: '{inst.isoformat()}'"
        elif want == "string" and isinstance(inst, (int, float, bool)):
            hint = f"; quote it: '{inst}'"
        elif want == "string" and inst is None and where.endswith("license"):
            hint = "; leave the key out to inherit the global license, or write `unlicensed`"
        return f"{where}: must be {want}, not {got}{hint}"
    if v == "required":
        return f"{where}: {err.message}"
    if v == "enum":
        return f"{where}: {inst!r} is not allowed; use one of: " + ", ".join(repr(x) for x in err.validator_value)
    if v == "maxItems":
        return f"{where}: more than {err.validator_value} components (MOF has 17); list each component once"
    if v == "format":
        return f"{where}: {inst!r} is not a date; write YYYY-MM-DD"
    return f"{where}: {err.message}"


def parse(text: str, display_path: str, framework: Framework) -> Manifest:
    """Parse and validate one manifest. Raises ManifestError on the first fatal problem (with position)."""
    data, positions = load_text(text, display_path)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "empty" if data is None else "a scalar"
        raise ManifestError(f"the manifest is {kind}; it must be a mapping with `framework:` and `release:` (MOT format)", display_path, 1, 1)
    errors = schema_errors(data)
    if errors:
        path, msg = errors[0]
        line, col = _nearest(positions, path)
        more = f" (and {len(errors) - 1} more schema errors)" if len(errors) > 1 else ""
        raise ManifestError(f"{msg}{more}", display_path, line, col)

    m = Manifest(path=display_path, data=data, positions=positions)
    release = data["release"]
    for cat in GLOBAL_KEYS:
        g = (release.get("license") or {}).get(cat)
        if isinstance(g, dict):
            m.global_licenses[cat] = GlobalLicense(cat, g.get("name"), g.get("path"), m.line_of("release", "license", cat))

    seen: dict[str, int] = {}
    for i, c in enumerate(release["components"]):
        line, col = positions.get(("release", "components", i), (None, None))
        name = c.get("name")
        if name is None:
            raise ManifestError("component without a `name:`; name it with one of the MOF component names", display_path, line, col)
        if framework.component(name) is None:
            guess = framework.suggest(name)
            hint = f"did you mean {guess.name!r}?" if guess else "use one of: " + ", ".join(framework.names())
            lline = m.line_of("release", "components", i, "name") or line
            raise ManifestError(f"unknown component {name!r} (MOT would silently file it under Datasets); {hint}", display_path, lline, col)
        if name in seen:
            raise ManifestError(f"component {name!r} is listed twice (first at line {seen[name]}); list each component once", display_path, line, col)
        seen[name] = line or 0
        has = "license" in c and c["license"] is not None
        lic = c.get("license") if has else None
        m.components.append(
            ManifestComponent(
                name=name,
                index=i,
                license=lic,
                license_set=has,
                license_path=c.get("license_path"),
                component_path=c.get("component_path"),
                description=c.get("description"),
                line=line,
                license_line=m.line_of("release", "components", i, "license"),
            )
        )
    return m


def _nearest(positions: dict[tuple, Pos], path: tuple) -> Pos:
    if path + (VALUE,) in positions:
        return positions[path + (VALUE,)]
    for n in range(len(path), -1, -1):
        if path[:n] in positions:
            return positions[path[:n]]
    return (1, 1)


def load_file(path: Path, display_path: str, framework: Framework) -> Manifest:
    """Read (bounded) and parse a manifest file."""
    try:
        raw = _read_regular(path, MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ManifestError(f"cannot read the manifest: {exc.strerror or exc}", display_path) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"the manifest is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MiB; a manifest is a small YAML file", display_path)
    return parse(decode(raw, display_path), display_path, framework)


def _read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file. Non-blocking open: a FIFO or device in its place (a tracked
    manifest replaced in the work tree) is refused, never waited on."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file (a FIFO, device or directory)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit)
    finally:
        os.close(fd)


def decode(raw: bytes, display_path: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ManifestError("invalid UTF-16; save the manifest as UTF-8", display_path) from None
    if b"\x00" in raw:
        raise ManifestError("the manifest contains NUL bytes (a binary file?); save it as UTF-8 text", display_path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ManifestError("invalid UTF-8; save the manifest as UTF-8", display_path, line) from None
