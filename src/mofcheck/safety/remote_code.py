"""Remote code: what loading the model makes a user run (`trust_remote_code=True`).

Two signs, read from the repository only (rules in data/safety/rules.yaml):
* a Hugging Face configuration file (config.json, tokenizer_config.json, ...) whose `auto_map` (or
  `custom_pipelines`) names classes in the repository's modules ("modeling_x.XModel" -> modeling_x.py
  beside it) or in another Hub repository ("org/repo--modeling_x.XModel");
* a card or README whose usage snippet passes `trust_remote_code=True`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..repo import Repo
from .pickles import rules
from .result import RemoteCode

CONFIG_READ_LIMIT = 1 << 20
MAX_CONFIGS = 200
_MODULE = re.compile(r"^(?:(?P<repo>[\w.-]+/[\w.-]+)--)?(?P<module>[A-Za-z_][\w.]*)\.(?P<cls>[A-Za-z_]\w*)$")


@lru_cache(maxsize=1)
def _rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    r = rules()["remote_code"]
    return (re.compile(r["code_files"], re.I), re.compile(r["trust_remote_code"]), re.compile(r["from_pretrained_repo"]))


def _references(value: Any) -> Iterable[str]:
    """Class references in an auto_map value: a string, a [slow, fast] list, or nested mappings."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value[:16]:
            yield from _references(v)
    elif isinstance(value, dict):
        for v in list(value.values())[:64]:
            yield from _references(v)


def _line_of(text: str, key: str) -> int | None:
    i = text.find(f'"{key}"')
    return text.count("\n", 0, i) + 1 if i >= 0 else None


def from_configs(repo: Repo, index) -> list[RemoteCode]:
    r = rules()["remote_code"]
    names = set(r["config_files"])
    keys = r["keys"]
    listed: set[str] | None = None
    out: list[RemoteCode] = []
    configs = [f for f in repo.files if f.path.endswith(".json") and f.name in names and not f.is_submodule and not f.lfs and not index.is_vendored(f.path)]
    for f in configs[:MAX_CONFIGS]:
        res = repo.read_text(f.path, limit=CONFIG_READ_LIMIT)
        if not res.ok or not res.text or ("auto_map" not in res.text and "custom_pipelines" not in res.text):
            continue
        try:
            data = json.loads(res.text)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than the interpreter allows
            continue
        if not isinstance(data, dict):
            continue
        folder = f.path.rpartition("/")[0]
        prefix = folder + "/" if folder else ""
        if listed is None:
            listed = {g.path for g in repo.files}
        for key in keys:
            value = data.get(key)
            if not value:
                continue
            item = RemoteCode(f.path, _line_of(res.text, key), key)
            refs = list(
                _references(
                    value if key == "auto_map" else [v.get("impl") if isinstance(v, dict) else v for v in (value.values() if isinstance(value, dict) else [])]
                )
            )
            for ref in refs:
                m = _MODULE.match(ref.strip()) if isinstance(ref, str) else None
                if m is None:
                    continue
                if m.group("repo"):
                    if m.group("repo") not in item.repos:
                        item.repos.append(m.group("repo"))
                    continue
                module = m.group("module")
                file = prefix + module.replace(".", "/") + ".py"
                if file in listed:
                    if file not in item.files:
                        item.files.append(file)
                elif module not in item.missing:
                    item.missing.append(module)
            if item.files or item.missing or item.repos:
                out.append(item)
    return out


def from_cards(repo: Repo, cards: Iterable[Any], covered: list[RemoteCode]) -> list[RemoteCode]:
    """`trust_remote_code=True` in a card's text (code blocks included; HTML comments blanked)."""
    code_rx, trust_rx, repo_rx = _rx()
    own: list[str] | None = None
    out: list[RemoteCode] = []
    for card in cards:
        text = card.text
        m = trust_rx.search(text)
        if m is None:
            continue
        line = text.count("\n", 0, m.start()) + 1 + card.line_offset
        item = RemoteCode(card.path, line, "usage")
        for rm in repo_rx.finditer(text):
            nxt = repo_rx.search(text, rm.end())
            if trust_rx.search(text[rm.end() : min(rm.end() + 400, nxt.start() if nxt else len(text))]) and rm.group(1) not in item.repos:
                item.repos.append(rm.group(1))
        if own is None:
            own = sorted(f.path for f in repo.files if f.path.endswith(".py") and code_rx.fullmatch(f.name) and f.path.count("/") <= 2)
        covered_files = {p for c in covered for p in c.files}
        item.files = [p for p in own if p not in covered_files]
        if covered and not item.repos and not item.files:
            continue  # the configuration's finding already names what runs
        if any(o.repos == item.repos and o.files == item.files for o in out):
            continue  # README.md and README_en.md say the same
        out.append(item)
    return out
