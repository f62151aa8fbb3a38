"""The repository layer: list a repository's files and read them boundedly and safely.

Listing comes from git when the root is inside a work tree (`git ls-files`: tracked and staged files
only), from a commit's tree with `ref` (`git ls-tree`, blobs read with `git cat-file`, no checkout),
or else from a bounded `os.scandir` walk. Git runs with a minimal environment and command-line
overrides so that nothing in the repository's own config (fsmonitor, hooks, ssh commands, lazy
fetches) can run code. Reads never exceed their byte limit, never block on FIFOs or devices, and never
follow a symlink out of the repository.
"""

from __future__ import annotations

import codecs
import errno
import os
import posixpath
import re
import selectors
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import MofcheckError
from .model import INFO, WARNING, Finding

MiB = 1024 * 1024
DEFAULT_READ_LIMIT = MiB

# Finding codes this module emits.
SKIPPED = "repo.skipped"
SYMLINK_ESCAPE = "repo.symlink-escape"
TOO_LARGE = "repo.too-large"
UNREADABLE = "repo.unreadable"
CODES = (SKIPPED, SYMLINK_ESCAPE, TOO_LARGE, UNREADABLE)

# Model weight blobs: never read beyond the head needed to recognise a Git LFS pointer.
WEIGHT_EXTENSIONS = frozenset(
    ".safetensors .bin .pt .pth .ckpt .gguf .ggml .ggjt .onnx .h5 .hdf5 .keras .msgpack .npz .npy .tflite"
    " .mlmodel .pb .joblib .pkl .pickle .ot .nemo .mar .pdparams .params .llamafile .engine .plan .trt"
    " .caffemodel .weights .tar .zst".split()
)
WEIGHT_HEAD = 256
REF_BINARY_MAX = 64 * MiB  # open_binary at a ref: git cannot seek in a blob, so it is read whole

# Walk: directories never descended into (caches, environments, build output, other VCS).
SKIP_DIRS = frozenset(
    ".git .hg .svn .bzr .venv venv node_modules __pycache__ build dist .tox .nox .mypy_cache .pytest_cache"
    " .ruff_cache site-packages .eggs .ipynb_checkpoints".split()
)
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")  # a directory holding one of these is an environment
WALK_MAX_FILES = 500_000
WALK_MAX_DEPTH = 64
MAX_SKIP_FINDINGS = 50

GIT_TIMEOUT = 60.0
GIT_MAX_OUTPUT = 512 * MiB
LINK_MAX = 4096  # a symlink blob longer than PATH_MAX is not a real link target
LFS_POINTER_MAX = 1024
LFS_BATCH_MAX = 20_000  # ref listings: pointer-sized blobs fetched in one git run, up to this many
LFS_POINTER_MIN = 100  # version line + "oid sha256:<64 hex>" + "size N" is longer than this  # the LFS spec: pointer files are smaller than 1024 bytes
LFS_HEADERS = (b"version https://git-lfs.github.com/spec/v1", b"version https://hawser.github.com/spec/v1")

MODE_FILE, MODE_EXEC, MODE_LINK, MODE_SUBMODULE = "100644", "100755", "120000", "160000"


# --------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LfsPointer:
    oid: str  # "sha256:<hex>"
    size: int  # size of the real object, as the pointer states it


@dataclass
class ReadResult:
    text: str | None = None
    truncated: bool = False
    encoding: str = ""
    error: str | None = None
    binary: bool = False
    note: str | None = None  # e.g. "not valid UTF-8; decoded as latin-1"
    data: bytes | None = None  # raw bytes, set by read_bytes only
    size: int | None = None  # full size of the file when known

    @property
    def ok(self) -> bool:
        return self.error is None


class RepoFile:
    """One listed file. `size` and `lfs` are computed on first use (no stat per listed file)."""

    __slots__ = ("path", "mode", "oid", "_size", "_lfs", "_repo")

    def __init__(self, path: str, mode: str = MODE_FILE, size: int | None = None, oid: str | None = None, repo=None):
        self.path = path
        self.mode = mode
        self.oid = oid  # blob id (ref listings only)
        self._size = size
        self._lfs: object = _UNSET
        self._repo = repo

    @property
    def is_symlink(self) -> bool:
        return self.mode == MODE_LINK

    @property
    def is_submodule(self) -> bool:
        return self.mode == MODE_SUBMODULE

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self._repo._stat_size(self.path) if self._repo is not None else 0
        return self._size

    @property
    def lfs(self) -> LfsPointer | None:
        if self._lfs is _UNSET:
            self._lfs = self._repo._detect_lfs(self) if self._repo is not None else None
        return self._lfs  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"RepoFile({self.path!r}, mode={self.mode})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RepoFile) and other.path == self.path and other.mode == self.mode

    def __hash__(self) -> int:
        return hash(self.path)


_UNSET = object()


# --------------------------------------------------------------------------------------- globs


def glob_to_regex(pattern: str) -> str:
    """Translate one gitignore-style glob into a regex over repository-relative POSIX paths.

    `*.bin` matches at any depth, `/build` or `a/b` only from the root, `dir/` a directory and all
    below it, `**` any number of directories. A match on a directory covers everything beneath it.
    """
    p = pattern.strip()
    dir_only = p.endswith("/")
    p = p.rstrip("/")
    anchored = "/" in p
    p = p.lstrip("/")
    out = []
    i = 0
    while i < len(p):
        c = p[i]
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("/**", i) and i + 3 == len(p):
            out.append("/.*")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = p.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = p[i + 1 : j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
        elif c == "\\" and i + 1 < len(p):
            out.append(re.escape(p[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if dir_only else "(?:/.*)?"
    return f"{prefix}{body}{suffix}"


class GlobSet:
    """Ordered gitignore-style globs; `!pattern` re-includes. Matches paths or `dir/` prefixes."""

    def __init__(self, patterns: Iterable[str]):
        rules = []
        for raw in patterns:
            p = raw.strip()
            if not p or p.startswith("#"):
                continue
            neg = p.startswith("!")
            rules.append((neg, glob_to_regex(p[1:] if neg else p)))
        self._any_negation = any(neg for neg, _ in rules)
        self._rules = [(neg, re.compile(rx, re.DOTALL)) for neg, rx in rules]
        self._combined = re.compile("|".join(f"(?:{rx})" for _, rx in rules), re.DOTALL) if rules else None

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(self, path: str) -> bool:
        if self._combined is None:
            return False
        if not self._any_negation:
            return self._combined.fullmatch(path) is not None
        hit = False
        for neg, rx in self._rules:
            if rx.fullmatch(path):
                hit = not neg
        return hit


# --------------------------------------------------------------------------------------- git


class GitError(Exception):
    pass


def _git_executable() -> str | None:
    return shutil.which("git")


def _git_env() -> dict[str, str]:
    # Nothing inherited: no GIT_DIR / GIT_INDEX_FILE from a calling hook, no user or system config.
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_SSH_COMMAND": "false",
        "GIT_PROTOCOL_FROM_USER": "0",
    }
    if os.name == "nt":  # git on Windows needs these to start at all
        for key in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE"):
            if key in os.environ:
                env[key] = os.environ[key]
    return env


def _git_overrides(root_real: str) -> list[str]:
    """Command-line config, which beats the repository's own: nothing that can run a command."""
    args = [
        "-c", "core.fsmonitor=false",
        "-c", "core.hooksPath=" + os.devnull,
        "-c", "core.untrackedCache=false",
        "-c", "core.attributesFile=" + os.devnull,
        "-c", "core.sshCommand=false",
        "-c", "core.pager=cat",
        "-c", "core.quotePath=false",
        "-c", "protocol.allow=never",
        "-c", "credential.helper=",
        "-c", "diff.external=",
        "-c", "core.alternateRefsCommand=",
        "--no-replace-objects",
    ]  # fmt: skip
    # safe.directory: trust the work tree the user pointed us at (its top is the root or an ancestor);
    # the overrides above are what makes that safe.
    d = root_real
    while True:
        args += ["-c", f"safe.directory={d}"]
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return args


def run_git(
    git: str,
    root_real: str,
    args: Sequence[str],
    *,
    timeout: float = GIT_TIMEOUT,
    max_bytes: int = GIT_MAX_OUTPUT,
    truncate: bool = False,
    stdin: bytes | None = None,
) -> tuple[bytes, bool]:
    """Run git in `root_real` with a time and an output bound. Returns (stdout, truncated).

    With `truncate`, output beyond `max_bytes` is cut off (the process is killed); otherwise it is an
    error. Raises GitError on failure, timeout or oversize output.
    """
    cmd = [git, *_git_overrides(root_real), *args]
    infile = None
    if stdin is not None:
        infile = tempfile.TemporaryFile()
        infile.write(stdin)
        infile.seek(0)
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=root_real,
            env=_git_env(),
            stdin=infile if infile is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as e:
        raise GitError(f"cannot run git: {e.strerror or e}") from e
    finally:
        if infile is not None:
            infile.close()  # the child has its own descriptor
    if os.name == "nt":  # no select() on pipes: time-limited, output-bounded only after the fact
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            proc.kill()
            proc.communicate()
            raise GitError(f"git {args[0]} timed out after {timeout:g} s") from e
        if proc.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {lines[0] if lines else proc.returncode}")
        if len(out) > max_bytes:
            if not truncate:
                raise GitError(f"git {args[0]} produced more than {max_bytes} bytes")
            return out[:max_bytes], True
        return out, False
    chunks: list[bytes] = []
    errs: list[bytes] = []
    total = 0
    cut = False
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    try:
        assert proc.stdout is not None and proc.stderr is not None
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        open_streams = 2
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise GitError(f"git {args[0]} timed out after {timeout:g} s")
            for key, _ in sel.select(remaining):
                data = os.read(key.fd, 1 << 20)
                if not data:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "err":
                    if sum(map(len, errs)) < 8192:
                        errs.append(data)
                else:
                    total += len(data)
                    if total > max_bytes:
                        if not truncate:
                            raise GitError(f"git {args[0]} produced more than {max_bytes} bytes")
                        chunks.append(data[: len(data) - (total - max_bytes)])
                        cut = True
                        open_streams = 0
                        break
                    chunks.append(data)
        if cut:
            return b"".join(chunks), True
        try:
            rc = proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as e:
            raise GitError(f"git {args[0]} timed out after {timeout:g} s") from e
        if rc != 0:
            msg = b"".join(errs).decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {msg[0] if msg else f'exit status {rc}'}")
        return b"".join(chunks), False
    finally:
        sel.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------- decoding


def decode_text(data: bytes, truncated: bool = False) -> tuple[str | None, str, bool, str | None]:
    """Bytes to text: (text, encoding, binary, note). BOMs first, NUL means binary, UTF-8, else latin-1."""
    enc = None
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8-sig", data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        enc = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    note = None
    if enc in ("utf-16", "utf-32"):
        unit = 2 if enc == "utf-16" else 4
        data = data[: len(data) - len(data) % unit]
        text = data.decode(enc, "replace")
    elif b"\x00" in data[:8192]:
        return None, "binary", True, None
    else:
        try:
            dec = codecs.getincrementaldecoder("utf-8")("strict")
            text = dec.decode(data, final=not truncated)  # a cut multi-byte sequence at the end is fine
            enc = enc or "utf-8"
        except UnicodeDecodeError:
            text, enc, note = data.decode("latin-1"), "latin-1", "not valid UTF-8; decoded as latin-1"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, enc, False, note


def parse_lfs_pointer(head: bytes) -> LfsPointer | None:
    """Recognise a Git LFS pointer file (spec v1) from its first bytes."""
    if len(head) >= LFS_POINTER_MAX or not head.startswith(LFS_HEADERS):
        return None
    oid = size = None
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"oid" and re.fullmatch(rb"sha256:[0-9a-f]{64}", value.strip()):
            oid = value.strip().decode()
        elif key == b"size" and value.strip().isdigit():
            size = int(value.strip())
    if oid is None or size is None:
        return None
    return LfsPointer(oid=oid, size=size)


def _clean_relpath(path: str) -> tuple[str | None, str | None]:
    """A repository-relative POSIX path, or (None, reason) when it is absolute or leaves the root."""
    if not isinstance(path, str) or not path.strip():
        return None, "empty path"
    if "\x00" in path:
        return None, "path contains a NUL byte"
    p = path.replace("\\", "/")
    if p.startswith("/") or re.match(r"^[A-Za-z]:/", p):
        return None, "absolute path"
    norm = posixpath.normpath(p)
    if norm == ".." or norm.startswith("../"):
        return None, "path leaves the repository"
    if norm == ".":
        return "", None
    return norm, None


# --------------------------------------------------------------------------------------- the repo


class Repo:
    """A listed repository. Build with `Repo.open(root)`."""

    def __init__(self, root: Path, mode: str, ref: str | None = None):
        self.root = root
        self.mode = mode  # "git" (work tree via ls-files) | "ref" (a commit via ls-tree) | "walk"
        self.ref = ref
        self.commit: str | None = None  # the commit a ref listing resolved to
        self.files: list[RepoFile] = []
        self.skipped: list[Finding] = []
        self.deleted: list[str] = []  # tracked by git but missing from the work tree
        self._root_real = os.path.realpath(root)
        self._git: str | None = None
        self._by_path: dict[str, RepoFile] | None = None
        self._dirs: set[str] | None = None
        self._lfs_attrs: GlobSet | None | object = _UNSET
        self._seen: set[tuple[str, str | None]] = set()
        self._links: dict[str, str] | None = None
        self._small_blobs: dict[str, bytes] | None = None

    # ---- construction

    @classmethod
    def open(cls, root: str | Path, *, ref: str | None = None, ignore: Sequence[str] = ()) -> Repo:
        root = Path(root)
        if not root.is_dir():
            raise MofcheckError(f"not a directory: {root}")
        ignore_set = GlobSet(ignore)
        git = _git_executable()
        repo = cls(root, "walk", ref)
        repo._git = git
        if ref is not None:
            if git is None:
                raise MofcheckError(f"cannot read ref {ref!r}: git is not installed")
            repo.mode = "ref"
            repo._list_ref(ref, ignore_set)
        else:
            listed, untracked = False, False
            if git is not None and repo._in_work_tree():
                try:
                    listed = repo._list_git(ignore_set)
                    untracked = not listed
                except GitError as e:
                    repo.files, repo.deleted = [], []
                    repo._note(SKIPPED, INFO, f"git listing failed ({e}); listed the directory instead", None)
            elif git is None and _looks_like_git(repo._root_real):
                repo._note(SKIPPED, INFO, "git is not installed; walked the directory (untracked files count)", None)
            repo.mode = "git" if listed else "walk"
            if not listed:
                repo._walk(ignore_set)
                if untracked and repo.files:
                    repo._note(SKIPPED, INFO, "git tracks no files here; listed the directory instead", None)
        repo._check_symlinks()
        return repo

    def _in_work_tree(self) -> bool:
        try:
            out, _ = self._run_git(["rev-parse", "--is-inside-work-tree"], timeout=15)
        except GitError:
            return False
        return out.strip() == b"true"

    def _run_git(self, args: Sequence[str], **kw) -> tuple[bytes, bool]:
        assert self._git is not None
        return run_git(self._git, self._root_real, args, **kw)

    def _list_git(self, ignore: GlobSet) -> bool:
        out, _ = self._run_git(["ls-files", "-z", "--cached", "--stage"])
        files: list[RepoFile] = []
        last = None
        # git writes paths as raw bytes; undecodable ones survive as surrogates, like os.fsdecode
        for rec in out.decode("utf-8", "surrogateescape").split("\0"):
            if not rec:
                continue
            meta, _, path = rec.partition("\t")
            if path == last:  # merge conflicts list a path once per stage
                continue
            last = path
            if ignore and ignore.match(path):
                continue
            files.append(RepoFile(path, meta[:6], repo=self))
        if not files:  # e.g. an untracked directory inside some other work tree
            return False
        deleted_out, _ = self._run_git(["ls-files", "-z", "--deleted"])
        if deleted_out:
            gone = {p for p in deleted_out.decode("utf-8", "surrogateescape").split("\0") if p}
            # a submodule that was never checked out is still a declared submodule
            gone -= {f.path for f in files if f.is_submodule}
            files = [f for f in files if f.path not in gone]
            self.deleted = sorted(gone)
            for p in self.deleted[:MAX_SKIP_FINDINGS]:
                self._note(SKIPPED, INFO, "tracked by git but deleted from the working tree", p)
        self.files = files
        return True

    def _list_ref(self, ref: str, ignore: GlobSet) -> None:
        if not ref or ref.startswith("-") or "\x00" in ref:
            raise MofcheckError(f"not a git ref: {ref!r}")
        if not self._in_work_tree():
            raise MofcheckError(f"cannot read ref {ref!r}: {self.root} is not inside a git work tree")
        try:
            sha, _ = self._run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], timeout=15)
        except GitError:
            raise MofcheckError(f"unknown git ref: {ref!r}") from None
        self.commit = sha.decode().strip()
        try:
            out, _ = self._run_git(["ls-tree", "-r", "-z", "--long", self.commit])
        except GitError as e:
            raise MofcheckError(f"cannot list {ref!r}: {e}") from None
        files = []
        for rec in out.split(b"\0"):
            if not rec:
                continue
            meta, _, raw = rec.partition(b"\t")
            parts = meta.split()
            if len(parts) < 4:
                continue
            mode, _otype, oid, size = (p.decode("ascii") for p in parts[:4])
            path = os.fsdecode(raw)
            if ignore and ignore.match(path):
                continue
            files.append(RepoFile(path, mode, size=int(size) if size.isdigit() else 0, oid=oid, repo=self))
        self.files = files

    def _walk(self, ignore: GlobSet) -> None:
        files: list[RepoFile] = []
        stack: list[tuple[str, str, int]] = [("", str(self.root), 0)]
        skipped = 0
        while stack:
            rel, absdir, depth = stack.pop()
            try:
                with os.scandir(absdir) as it:
                    entries = list(it)
            except OSError as e:
                self._note(UNREADABLE, WARNING, f"cannot list directory: {e.strerror or e}", rel or ".")
                continue
            if rel:
                names = {e.name for e in entries}
                if any(m in names for m in VENV_MARKERS):
                    skipped += 1
                    self._note_skip(skipped, "a Python or conda environment", rel + "/")
                    continue
                if ".git" in names:  # a nested repository or submodule: like git, one entry, not its files
                    files.append(RepoFile(rel, MODE_SUBMODULE, size=0, repo=self))
                    continue
            for e in entries:
                relp = f"{rel}/{e.name}" if rel else e.name
                try:
                    if e.is_symlink():
                        if not (ignore and ignore.match(relp)):
                            files.append(RepoFile(relp, MODE_LINK, repo=self))
                        continue
                    if e.is_dir(follow_symlinks=False):
                        if e.name in SKIP_DIRS or e.name.endswith(".egg-info"):
                            skipped += 1
                            self._note_skip(skipped, "a cache, environment or build directory", relp + "/")
                        elif ignore and ignore.match(relp + "/"):
                            pass
                        elif depth + 1 >= WALK_MAX_DEPTH:
                            self._note(SKIPPED, WARNING, f"deeper than {WALK_MAX_DEPTH} directories", relp + "/")
                        else:
                            stack.append((relp, e.path, depth + 1))
                        continue
                    if e.is_file(follow_symlinks=False):
                        if not (ignore and ignore.match(relp)):
                            files.append(RepoFile(relp, MODE_FILE, repo=self))
                        continue
                except OSError as err:
                    self._note(UNREADABLE, WARNING, f"cannot inspect: {err.strerror or err}", relp)
                    continue
                self._note(SKIPPED, INFO, "not a regular file (FIFO, socket or device)", relp)
            if len(files) > WALK_MAX_FILES:
                self._note(SKIPPED, WARNING, f"stopped listing after {WALK_MAX_FILES} files", None)
                break
        if skipped > MAX_SKIP_FINDINGS:
            self._note(SKIPPED, INFO, f"{skipped - MAX_SKIP_FINDINGS} more directories skipped", None)
        files.sort(key=lambda f: f.path)
        self.files = files

    def _note_skip(self, n: int, why: str, path: str) -> None:
        if n <= MAX_SKIP_FINDINGS:
            self._note(SKIPPED, INFO, f"skipped {why}", path)

    def _note(self, code: str, severity: str, message: str, path: str | None) -> None:
        key = (code, path)
        if path is not None and key in self._seen:
            return
        self._seen.add(key)
        self.skipped.append(Finding(code=code, severity=severity, message=message, path=path))

    def _check_symlinks(self) -> None:
        # Symlinks are rare; resolving each once surfaces `LICENSE -> /etc/passwd` even if nobody reads it.
        bad = 0
        for f in self.files:
            if f.is_symlink:
                target, why = self._follow(f.path)
                if target is None and why is not None and ("outside" in why or "loop" in why):
                    bad += 1
                    if bad <= MAX_SKIP_FINDINGS:
                        self._note(SYMLINK_ESCAPE, WARNING, why, f.path)
        if bad > MAX_SKIP_FINDINGS:
            self._note(SYMLINK_ESCAPE, WARNING, f"{bad - MAX_SKIP_FINDINGS} more symlinks point outside the repository", None)

    def exclude(self, paths: set[str]) -> None:
        """Drop `paths` from the listing (and what the listing said about them)."""
        if not paths:
            return
        self.files = [f for f in self.files if f.path not in paths]
        self.skipped = [f for f in self.skipped if f.path not in paths]
        self._by_path = self._dirs = None

    # ---- lookup

    @property
    def name(self) -> str:
        """The repository's folder name (cards often name their model after it)."""
        return self.root.resolve().name

    def get(self, path: str) -> RepoFile | None:
        if self._by_path is None:
            self._by_path = {f.path: f for f in self.files}
        return self._by_path.get(path)

    def is_dir(self, path: str) -> bool:
        if self._dirs is None:
            dirs: set[str] = set()
            for f in self.files:
                d = f.path
                while "/" in d:
                    d = d.rpartition("/")[0]
                    if d in dirs:
                        break
                    dirs.add(d)
            self._dirs = dirs
        return path in self._dirs

    def exists(self, path: str) -> bool:
        return self.get(path) is not None or self.is_dir(path)

    def resolve(self, path: str, base: str = "") -> str | None:
        """The repository-relative path a manifest path names, or None (see `resolve_reason`)."""
        return self.resolve_reason(path, base)[0]

    def resolve_reason(self, path: str, base: str = "") -> tuple[str | None, str | None]:
        """(path, None) when `path` (relative to the repository directory `base`) stays inside the
        repository and is listed; else (None, why)."""
        if not isinstance(path, str):
            return None, "not a path"
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", path.strip()):
            return None, "a URL, not a repository path"
        first, why = _clean_relpath(path)
        if first is None and base and why == "path leaves the repository":
            first, why = _clean_relpath(posixpath.join(base.replace("\\", "/"), path.replace("\\", "/")))
        elif first is not None and base:
            first, why = _clean_relpath(posixpath.join(base, first) if first else base)
        if first is None:
            return None, why
        if first == "":
            return "", None
        if self.is_dir(first):
            return first, None
        f = self.get(first)
        if f is None:
            # A path through a listed symlink (LICENSES/x with LICENSES a link) is not in the listing.
            return None, "not in the repository listing"
        if f.is_symlink:
            target, why = self._follow(first)
            if target is None:
                return None, why
        return first, None

    # ---- reading

    def read_text(self, path: str, limit: int = DEFAULT_READ_LIMIT, *, head: bool = False) -> ReadResult:
        """Up to `limit` bytes, decoded. `head`: the caller wants only the start (a header), so a cut
        is not reported as something skipped."""
        res = self._read(path, limit, head)
        if res.error is None and res.data is not None:
            res.text, res.encoding, res.binary, res.note = decode_text(res.data, res.truncated)
            res.data = None
        return res

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> ReadResult:
        res = self._read(path, limit)
        if res.error is None:
            res.encoding = "bytes"
        return res

    def open_binary(self, path: str, budget: int):
        """A seekable, read-only view of a regular file that reads at most `budget` bytes in all
        (binfile.BinaryFile, which the caller closes), or (None, why). Same refusals as reads: no
        symlink out, no FIFO or device, no `.git`. At a ref, only blobs up to REF_BINARY_MAX are read."""
        from .binfile import BinaryFile

        rel, why = _clean_relpath(path)
        if rel is None or rel == "" or ".git" in rel.split("/"):
            return None, why or "not a file"
        if self.mode == "ref":
            real_rel, why = self._follow_ref(rel)
            f = self.get(real_rel) if real_rel else None
            if f is None or f.is_submodule or not f.oid:
                self._note_refusal(rel, why)
                return None, why or "not a file"
            if f.size > REF_BINARY_MAX:
                return None, f"{f.size} bytes: too large to read from git at {self.ref}"
            try:
                data, _ = self._run_git(["cat-file", "blob", f.oid], max_bytes=f.size)
            except GitError as e:
                return None, str(e)
            return BinaryFile(None, len(data), budget, data=data), None
        real_rel, why = self._follow(rel)
        if real_rel is None:
            self._note_refusal(rel, why)
            return None, why
        real = os.path.join(self._root_real, real_rel)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            st = os.stat(real)
            if not stat.S_ISREG(st.st_mode):
                return None, f"not a regular file ({_file_kind(st.st_mode)})"
            fd = os.open(real, flags)
        except OSError as e:
            return None, f"cannot read: {e.strerror or e}"
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino):
            os.close(fd)
            return None, "file changed while being read"
        return BinaryFile(fd, fst.st_size, budget), None

    def _read(self, path: str, limit: int, head: bool = False) -> ReadResult:
        rel, why = _clean_relpath(path)
        if rel is None or rel == "":
            return ReadResult(error=why or "not a file")
        if ".git" in rel.split("/"):
            return ReadResult(error="inside a .git directory")  # git's own files are never evidence
        if os.path.splitext(rel)[1].lower() in WEIGHT_EXTENSIONS:
            limit = min(limit, WEIGHT_HEAD)  # weights: the head is all we ever need (LFS pointers)
            quiet = True
        else:
            quiet = head
        limit = max(0, int(limit))
        if self.mode == "ref":
            res = self._read_ref(rel, limit)
        else:
            res = self._read_worktree(rel, limit)
        if res.truncated and not quiet:
            size = f" of {res.size}" if res.size is not None else ""
            self._note(TOO_LARGE, INFO, f"read only the first {limit} bytes{size}", rel)
        return res

    def _follow(self, rel: str) -> tuple[str | None, str | None]:
        """Where a path really points: (real relative path, None) or (None, why). Never leaves the root."""
        if self.mode == "ref":
            return self._follow_ref(rel)
        full = os.path.join(self._root_real, *rel.split("/"))
        real = os.path.realpath(full)
        root = self._root_real
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            return None, "symlink to a path outside the repository"
        try:
            os.stat(real)
        except OSError as e:
            if e.errno == errno.ELOOP:
                return None, "symlink loop"
            if os.path.islink(full):
                return None, "dangling symlink"
            return None, "no such file"
        return os.path.relpath(real, root).replace(os.sep, "/"), None

    def _read_worktree(self, rel: str, limit: int) -> ReadResult:
        real_rel, why = self._follow(rel)
        if real_rel is None:
            self._note_refusal(rel, why)
            return ReadResult(error=why)
        real = os.path.join(self._root_real, real_rel)
        try:
            st = os.stat(real)
        except OSError as e:
            return self._unreadable(rel, e)
        if not stat.S_ISREG(st.st_mode):
            kind = _file_kind(st.st_mode)
            self._note(UNREADABLE, WARNING, f"not a regular file ({kind})", rel)
            return ReadResult(error=f"not a regular file ({kind})")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(real, flags)
        except OSError as e:
            return self._unreadable(rel, e)
        try:
            fst = os.fstat(fd)
            # The file could have been swapped between the checks and the open.
            if not stat.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino):
                self._note(UNREADABLE, WARNING, "file changed while being read", rel)
                return ReadResult(error="file changed while being read")
            chunks, got = [], 0
            while got < limit:
                data = os.read(fd, min(limit - got, 1 << 20))
                if not data:
                    break
                chunks.append(data)
                got += len(data)
            truncated = got >= limit and (fst.st_size > limit or bool(os.read(fd, 1)))
        except OSError as e:
            return self._unreadable(rel, e)
        finally:
            os.close(fd)
        return ReadResult(data=b"".join(chunks), truncated=truncated, size=fst.st_size)

    def _note_refusal(self, rel: str, why: str | None) -> None:
        if why and ("outside" in why or "loop" in why):
            self._note(SYMLINK_ESCAPE, WARNING, why, rel)
        elif why and why != "no such file" and not why.startswith("not in "):
            self._note(UNREADABLE, WARNING, why, rel)  # missing files are the caller's business

    def _unreadable(self, rel: str, e: OSError) -> ReadResult:
        msg = f"cannot read: {e.strerror or e}"
        self._note(UNREADABLE, WARNING, msg, rel)
        return ReadResult(error=msg)

    def _follow_ref(self, rel: str) -> tuple[str | None, str | None]:
        seen = set()
        cur = rel
        while True:
            f = self.get(cur)
            if f is None:
                return None, ("dangling symlink" if cur != rel else f"not in {self.ref}")
            if not f.is_symlink:
                return cur, None
            if cur in seen or len(seen) > 40:
                return None, "symlink loop"
            seen.add(cur)
            target = self._link_targets().get(cur)
            if target is None:
                return None, "unreadable symlink"
            if target.startswith("/"):
                return None, "symlink to a path outside the repository"
            nxt, _ = _clean_relpath(posixpath.join(posixpath.dirname(cur), target))
            if nxt is None or nxt == "":
                return None, "symlink to a path outside the repository"
            cur = nxt

    def _link_targets(self) -> dict[str, str]:
        """Every symlink's target in a ref listing, from one `git cat-file --batch` run."""
        if self._links is None:
            links = [f for f in self.files if f.is_symlink and 0 < f.size <= LINK_MAX]
            blobs = self._batch_blobs(links)
            self._links = {p: b.decode("utf-8", "surrogateescape") for p, b in blobs.items()}
        return self._links

    def _batch_blobs(self, files: list[RepoFile]) -> dict[str, bytes]:
        """Small blobs of a ref listing, by path, from one `git cat-file --batch` run. The caller
        bounds the sizes (known from ls-tree), so the output is bounded too."""
        files = [f for f in files if f.oid]
        if not files:
            return {}
        try:
            out, _ = self._run_git(
                ["cat-file", "--batch"],
                stdin="".join(f"{f.oid}\n" for f in files).encode(),
                max_bytes=sum(f.size for f in files) + 128 * len(files),
            )
        except GitError as e:
            self._note(UNREADABLE, WARNING, f"cannot read blobs: {e}", None)
            return {}
        by_oid: dict[str, bytes] = {}
        pos = 0
        while pos < len(out):
            nl = out.find(b"\n", pos)
            if nl < 0:
                break
            header = out[pos:nl].split()
            if len(header) != 3 or not header[2].isdigit():
                break  # "<oid> missing" or garbage: the rest stay unread
            size = int(header[2])
            by_oid[header[0].decode()] = out[nl + 1 : nl + 1 + size]
            pos = nl + 1 + size + 1
        return {f.path: by_oid[f.oid] for f in files if f.oid in by_oid}

    def _read_ref(self, rel: str, limit: int) -> ReadResult:
        real_rel, why = self._follow_ref(rel)
        if real_rel is None:
            self._note_refusal(rel, why)
            return ReadResult(error=why)
        f = self.get(real_rel)
        assert f is not None
        if f.is_submodule:
            self._note(UNREADABLE, WARNING, "a git submodule, not a file", rel)
            return ReadResult(error="a git submodule, not a file")
        try:
            data, cut = self._run_git(["cat-file", "blob", f.oid or ""], max_bytes=limit, truncate=True)
        except GitError as e:
            self._note(UNREADABLE, WARNING, str(e), rel)
            return ReadResult(error=str(e))
        return ReadResult(data=data, truncated=cut or f.size > len(data), size=f.size)

    # ---- lazy per-file facts

    def _stat_size(self, rel: str) -> int:
        try:
            return os.lstat(os.path.join(self._root_real, *rel.split("/"))).st_size
        except OSError:
            return 0

    def lfs_tracked(self, path: str) -> bool:
        """True when a `.gitattributes` file marks `path` with `filter=lfs`."""
        if self._lfs_attrs is _UNSET:
            self._lfs_attrs = self._load_lfs_attributes()
        attrs = self._lfs_attrs
        return bool(attrs) and attrs.match(path)  # type: ignore[union-attr]

    def _load_lfs_attributes(self) -> GlobSet | None:
        patterns: list[str] = []
        for f in self.files:
            if f.name != ".gitattributes" or f.is_symlink:
                continue
            res = self.read_text(f.path, limit=256 * 1024)
            if res.text is None:
                continue
            base = f.path.rpartition("/")[0]
            for line in res.text.splitlines():
                parts = line.split()
                if not parts or parts[0].startswith("#"):
                    continue
                pat, attrs = parts[0], parts[1:]
                if base:
                    pat = f"{base}/{pat.lstrip('/')}" if "/" in pat.rstrip("/") else f"{base}/**/{pat}"
                if "filter=lfs" in attrs:
                    patterns.append(pat)
                elif any(a in ("-filter", "!filter") or (a.startswith("filter=") and a != "filter=lfs") for a in attrs):
                    patterns.append("!" + pat)
        return GlobSet(patterns) if patterns else None

    def _detect_lfs(self, f: RepoFile) -> LfsPointer | None:
        if f.is_symlink or f.is_submodule:
            return None
        if not _may_be_pointer(f.size):
            return None
        head = None
        if self.mode == "ref":
            if self._small_blobs is None:  # one git run for every pointer-sized blob of the commit
                small = [g for g in self.files if not g.is_symlink and not g.is_submodule and _may_be_pointer(g.size)]
                self._small_blobs = self._batch_blobs(small) if len(small) <= LFS_BATCH_MAX else {}
            head = self._small_blobs.get(f.path)
        if head is None:
            head = self._read(f.path, LFS_POINTER_MAX).data
        return parse_lfs_pointer(head) if head else None


def _may_be_pointer(size: int) -> bool:
    return LFS_POINTER_MIN <= size < LFS_POINTER_MAX


def _looks_like_git(root_real: str) -> bool:
    d = root_real
    for _ in range(64):
        if os.path.lexists(os.path.join(d, ".git")):
            return True
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return False


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a file"
