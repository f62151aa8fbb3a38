"""Gitignore-style globs (the `ignore` setting, `--ignore`) through pathspec, matched by RE2: a glob
comes from a repository's configuration, and RE2 matches in linear time whatever its wildcards
(`**a**a**a**b` backtracks polynomially under `re`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import MofcheckError


class GlobSet:
    """Ordered gitignore-style globs; `!pattern` re-includes, the last match wins. Matches a file path,
    or a directory as `dir/`. `*.bin` matches at any depth, `/build` or `a/b` only from the root, `dir/`
    a directory and all below it, `**` any number of directories."""

    def __init__(self, patterns: Iterable[str]):
        lines = [p.strip() for p in patterns]
        lines = [p for p in lines if p and not p.startswith("#")]
        self.negates = any(p.startswith("!") for p in lines)
        self._spec = None
        if lines:
            import pathspec  # only a check with globs pays for it

            try:
                self._spec = pathspec.GitIgnoreSpec.from_lines(lines, backend="re2")
            except Exception as e:  # GitIgnorePatternError, or RE2's error for a bad range
                bad = next((p for p in lines if not _valid(p)), None)
                raise MofcheckError(f"not a valid glob: {bad or lines!r} ({e})") from None

    def __bool__(self) -> bool:
        return self._spec is not None

    def match(self, path: str) -> bool:
        if self._spec is None:
            return False
        try:
            return self._spec.match_file(path)
        except UnicodeEncodeError:  # a name that is not UTF-8 (surrogate escapes): one character each
            return self._spec.match_file(path.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _valid(pattern: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([pattern], backend="re2")
    except Exception:
        return False
    return True


def glob_to_regex(pattern: str) -> str:
    """One gitignore-style glob as a regex (Python `re` syntax) for `fullmatch` on a repository-relative
    path; a match on a directory covers everything beneath it. For packaged patterns (the path rules),
    not for globs from a repository: those go through GlobSet."""
    from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

    p = pattern.strip()
    rx, include = GitIgnoreBasicPattern.pattern_to_regex(p)
    if rx is None or not include:
        raise ValueError(f"not a positive glob: {pattern!r}")
    # pathspec's regexes are for `match`: anchored at the start, open, `$`-closed or `(?:/|$)` at the end
    rx = rx.removeprefix("^")
    if rx.endswith("(?:/|$)"):
        return rx[: -len("(?:/|$)")] + "(?:/(?s:.*))?"
    if rx.endswith("$") and not rx.endswith("\\$"):
        return rx[:-1]
    return rx + "(?s:.*)"
