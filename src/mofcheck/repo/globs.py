"""Globs from a repository, matched by RE2 in linear time whatever their wildcards (`**a**a**a**b`
backtracks polynomially under `re`): gitignore-style globs (the `ignore` setting, `--ignore`) through
pathspec, and REUSE.toml `path` globs as reuse-tool reads them (also when they come back from a lock)."""

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


# REUSE.toml globs: at most this much regex (RE2 refuses programs over its memory budget anyway).
MAX_REUSE_REGEX = 64 * 1024


def reuse_regex(glob: str) -> str:
    """One REUSE.toml `path` glob as a regex for `fullmatch`, read as reuse-tool (the reference
    implementation) reads it: `*` stays within a folder; `**` crosses folders, swallows a `/` right after
    it and the `*` that follows (`**/*.bin` is `.*\\.bin`: it matches `c.bin` at the root), and further
    stars add nothing; `\\*` is a literal star and `\\\\` a backslash, any other backslash is dropped;
    everything else is literal (`?` and `[` are no wildcards in REUSE)."""
    import re2

    out: list[str] = []
    globstar = escaping = False
    prev = ""
    for c in glob:
        if c == "\\":
            if prev == "\\" and escaping:
                out.append(re2.escape("\\"))
                escaping = False
            else:
                escaping = True
        elif c == "*":
            if escaping:
                out.append(re2.escape("*"))
                escaping = False
            elif prev == "*" and not globstar:
                out.append(".*")
                globstar = True
        elif c == "/":
            if not globstar:
                out.append("[^/]*/" if prev == "*" else "/")
            escaping = False
        else:
            if prev == "*" and not globstar:
                out.append("[^/]*")
            out.append(re2.escape(c))
            globstar = escaping = False
        prev = c
    if prev == "*" and not globstar:
        out.append("[^/]*")
    return "".join(out)


def linear_regex(source: str):
    """`source` compiled by RE2 (its `fullmatch`, `search` and `pattern` as `re` has them): for regexes
    built from a repository's text, whose match time must stay linear in the path. Raises ValueError for
    a regex RE2 cannot hold (too large)."""
    import re2

    if len(source) > MAX_REUSE_REGEX:
        raise ValueError(f"regex of {len(source)} characters (at most {MAX_REUSE_REGEX})")
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own parse errors to stderr
    try:
        return re2.compile(source, options)
    except re2.error as e:
        why = e.args[0] if e.args else e
        raise ValueError(why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)) from None


def reuse_paths(globs: Iterable[str]):
    """The paths a REUSE.toml annotation's `path` globs name, as one linear-time RE2 regex."""
    return linear_regex("|".join(f"(?:{reuse_regex(g)})" for g in globs))


def under(folder: str, rx):
    """`rx` (from `reuse_paths`) for the same paths below `folder` (a remote tree's files, prefixed)."""
    import re2

    return linear_regex(re2.escape(folder.rstrip("/") + "/") + f"(?:{rx.pattern})")
