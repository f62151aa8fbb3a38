"""Hostile repositories: symlink escapes, loops, FIFOs, huge sparse files, odd encodings, git config
that would run commands, and manifest paths that try to leave the repository."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mofcheck.repo import Repo, run_git

from .conftest import GIT_ENV, git  # noqa: F401


def write(root: Path, rel: str, text: str | bytes = "x\n") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text)
    return p


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX symlinks and FIFOs")


@pytest.fixture
def alarm():
    """Fail instead of hanging if a read ever blocks."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def boom(*_):
        raise TimeoutError("read blocked")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def codes(repo: Repo) -> set[tuple[str, str | None]]:
    return {(f.code, f.path) for f in repo.skipped}


# ------------------------------------------------------------------- symlinks


def _symlink_zoo(root: Path, outside: Path) -> None:
    write(outside, "secret.txt", "secret\n")
    write(outside, "MIT.txt", "MIT\n")
    write(root, "README.md", "readme\n")
    write(root, "docs/real.md", "real\n")
    os.symlink("/etc/passwd", root / "LICENSE")
    os.symlink(outside / "secret.txt", root / "NOTICE")
    os.symlink("../" * 12 + "etc/hostname", root / "COPYING")
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink(outside, root / "LICENSES")
    os.symlink("docs/real.md", root / "MODEL_CARD.md")  # inside: fine
    os.symlink("missing.md", root / "dangling.md")


@posix_only
@pytest.mark.parametrize("use_git", [True, False])
def test_symlink_escapes_are_refused(tmp_path: Path, use_git: bool):
    if use_git and shutil.which("git") is None:
        pytest.skip("git is not installed")
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    _symlink_zoo(root, outside)
    if use_git:
        git(root, "init", "-q")
        git(root, "add", ".")
    repo = Repo.open(root)
    assert repo.mode == ("git" if use_git else "walk")
    for p in ("LICENSE", "NOTICE", "COPYING", "LICENSES"):
        assert repo.get(p).is_symlink
        res = repo.read_text(p)
        assert res.text is None and res.error == "symlink to a path outside the repository", p
    assert repo.read_text("LICENSES/MIT.txt").error == "symlink to a path outside the repository"
    assert repo.read_text("loop_a").error == "symlink loop"
    assert repo.read_text("dangling.md").error == "dangling symlink"
    assert repo.read_text("MODEL_CARD.md").text == "real\n"
    assert {("repo.symlink-escape", p) for p in ("LICENSE", "NOTICE", "COPYING", "LICENSES", "loop_a")} <= codes(repo)
    # the same through read_bytes
    assert repo.read_bytes("LICENSE").data is None


@posix_only
@needs_git
def test_symlink_escapes_in_a_ref_listing(tmp_path: Path):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    _symlink_zoo(root, outside)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "links")
    repo = Repo.open(root, ref="HEAD")
    for p in ("LICENSE", "NOTICE", "COPYING"):
        assert repo.read_text(p).error == "symlink to a path outside the repository", p
    assert repo.read_text("LICENSES/MIT.txt").text is None
    assert repo.read_text("loop_a").error == "symlink loop"
    assert repo.read_text("MODEL_CARD.md").text == "real\n"
    assert ("repo.symlink-escape", "LICENSE") in codes(repo)


@posix_only
def test_root_itself_may_be_a_symlink(tmp_path: Path):
    real = tmp_path / "real"
    write(real, "LICENSE", "MIT\n")
    os.symlink(real, tmp_path / "alias")
    repo = Repo.open(tmp_path / "alias")
    assert repo.read_text("LICENSE").text == "MIT\n"


# ------------------------------------------------------------------- special files


@posix_only
def test_fifo_named_license_never_blocks(tmp_path: Path, alarm):
    root = tmp_path / "repo"
    root.mkdir()
    os.mkfifo(root / "LICENSE")
    write(root, "README.md")
    repo = Repo.open(root)
    assert [f.path for f in repo.files] == ["README.md"]
    assert ("repo.skipped", "LICENSE") in codes(repo)
    res = repo.read_text("LICENSE")
    assert res.error == "not a regular file (a FIFO)"


@posix_only
@needs_git
def test_tracked_file_replaced_by_a_fifo_never_blocks(tmp_path: Path, alarm):
    root = tmp_path / "repo"
    write(root, "LICENSE", "MIT\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "x")
    (root / "LICENSE").unlink()
    os.mkfifo(root / "LICENSE")
    repo = Repo.open(root)
    assert repo.get("LICENSE") is not None
    assert repo.read_text("LICENSE").error == "not a regular file (a FIFO)"
    assert repo.get("LICENSE").lfs is None
    assert ("repo.unreadable", "LICENSE") in codes(repo)


@posix_only
def test_device_and_directory_are_refused(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "docs/x.md")
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", root / "zero")  # outside anyway
    repo = Repo.open(root)
    assert repo.read_text("docs").error == "not a regular file (a directory)"
    assert repo.read_text("zero").error == "symlink to a path outside the repository"


def test_sparse_4gb_readme_costs_nothing(tmp_path: Path):
    root = tmp_path / "repo"
    p = write(root, "README.md", "# Model\n")
    try:
        os.truncate(p, 4 * 1024**3)
    except OSError as e:  # a filesystem without sparse files
        pytest.skip(f"cannot make a sparse file: {e}")
    repo = Repo.open(root)
    t0 = time.perf_counter()
    res = repo.read_text("README.md")
    res2 = repo.read_bytes("README.md", limit=100)
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0
    assert res.truncated and res.size == 4 * 1024**3 and res.binary and res.text is None
    assert res2.data == b"# Model\n" + b"\x00" * 92 and res2.truncated
    assert ("repo.too-large", "README.md") in codes(repo)
    assert repo.get("README.md").size == 4 * 1024**3
    assert repo.get("README.md").lfs is None


def test_large_text_is_cut_at_the_limit(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "README.md", "é" * 1_000_000)  # 2 MB of two-byte characters
    repo = Repo.open(root)
    res = repo.read_text("README.md", limit=1001)  # cuts a character in half
    assert res.truncated and res.encoding == "utf-8" and res.note is None
    assert res.text == "é" * 500
    exact = repo.read_text("README.md", limit=2_000_000)
    assert not exact.truncated and len(exact.text) == 1_000_000


# ------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "raw, text, encoding, note",
    [
        (b"line1\r\nline2\rline3\n", "line1\nline2\nline3\n", "utf-8", None),
        ("\ufeffBOM here\r\n".encode(), "BOM here\n", "utf-8-sig", None),
        ("MIT Lizenz ü\r\n".encode("utf-16"), "MIT Lizenz ü\n", "utf-16", None),
        ("\ufeffbig endian".encode("utf-16-be"), "big endian", "utf-16", None),
        (b"caf\xe9 \xff\n", "caf\xe9 \xff\n", "latin-1", "not valid UTF-8; decoded as latin-1"),
        ("模型许可证\n".encode(), "模型许可证\n", "utf-8", None),
    ],
)
def test_decoding(tmp_path: Path, raw: bytes, text: str, encoding: str, note: str | None):
    root = tmp_path / "repo"
    write(root, "f.txt", raw)
    res = Repo.open(root).read_text("f.txt")
    assert (res.text, res.encoding, res.note, res.binary) == (text, encoding, note, False)


def test_nul_bytes_mean_binary(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "LICENSE", b"MIT\x00\x01\x02")
    res = Repo.open(root).read_text("LICENSE")
    assert res.binary and res.text is None and res.error is None
    raw = Repo.open(root).read_bytes("LICENSE")
    assert raw.data == b"MIT\x00\x01\x02" and not raw.truncated


def test_read_refuses_paths_that_leave_the_root(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "a.md")
    write(tmp_path, "secret.txt", "secret")
    repo = Repo.open(root)
    assert repo.read_text("../secret.txt").error == "path leaves the repository"
    assert repo.read_text(str(tmp_path / "secret.txt")).error == "absolute path"
    assert repo.read_text("a.md\x00.txt").error == "path contains a NUL byte"
    assert repo.read_text("missing.md").error == "no such file"
    write(root, ".git/config", "[core]\n")
    assert repo.read_text(".git/config").error == "inside a .git directory"
    assert not any(f.path == "missing.md" for f in repo.skipped)  # probing is not a finding


# ------------------------------------------------------------------- manifest paths


@posix_only
def test_resolve_manifest_paths(tmp_path: Path):
    root, outside = tmp_path / "repo", tmp_path / "outside"
    write(root, "LICENSE")
    write(root, "models/m1/card.md")
    write(root, "src/train.py")
    write(outside, "x.txt")
    os.symlink(outside / "x.txt", root / "escape.txt")
    repo = Repo.open(root)
    ok = {
        "LICENSE": "LICENSE",
        "./LICENSE": "LICENSE",
        "src/../LICENSE": "LICENSE",
        "src": "src",
        "src/": "src",
        "models\\m1\\card.md": "models/m1/card.md",
    }
    for given, want in ok.items():
        assert repo.resolve(given) == want, given
    assert repo.resolve("card.md", base="models/m1") == "models/m1/card.md"
    assert repo.resolve("../../LICENSE", base="models/m1") == "LICENSE"
    bad = {
        "../../etc/shadow": "path leaves the repository",
        "/etc/shadow": "absolute path",
        "C:\\Windows\\win.ini": "absolute path",
        "https://huggingface.co/x/y": "a URL, not a repository path",
        "missing.md": "not in the repository listing",
        "escape.txt": "symlink to a path outside the repository",
        "": "empty path",
    }
    for given, why in bad.items():
        assert repo.resolve_reason(given) == (None, why), given
    assert repo.resolve_reason("../../../x", base="models/m1") == (None, "path leaves the repository")


# ------------------------------------------------------------------- git config that runs commands


@posix_only
@needs_git
def test_repository_git_config_never_runs_commands(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "LICENSE", "MIT\n")
    write(root, "model.safetensors", b"x" * 10)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "x")
    marker = tmp_path / "pwned"
    hook = write(tmp_path, "evil.sh", f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    hook.chmod(0o755)
    hooks = root / "evilhooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-index-change", "reference-transaction", "pre-commit"):
        shutil.copy(hook, hooks / name)
    for key, value in [
        ("core.fsmonitor", str(hook)),
        ("core.hooksPath", str(hooks)),
        ("core.sshCommand", str(hook)),
        ("core.pager", str(hook)),
        ("filter.evil.clean", str(hook)),
        ("filter.evil.smudge", str(hook)),
        ("filter.evil.process", str(hook)),
        ("diff.external", str(hook)),
        ("core.untrackedCache", "true"),
    ]:
        git(root, "config", key, value)
    write(root, ".gitattributes", "* filter=evil\n")

    # The control: plain git in this repository does run the command.
    subprocess.run(["git", "ls-files"], cwd=root, env={"PATH": os.environ["PATH"]}, capture_output=True)
    assert marker.exists(), "the control failed: this git does not run core.fsmonitor"
    marker.unlink()

    repo = Repo.open(root)
    repo.read_text("LICENSE")
    _ = [(f.size, f.lfs) for f in repo.files]
    repo.lfs_tracked("x.bin")
    old = Repo.open(root, ref="HEAD")
    old.read_text("LICENSE")
    _ = [f.lfs for f in old.files]
    assert repo.mode == "git" and old.mode == "ref"
    assert not marker.exists()


@needs_git
def test_git_output_and_time_are_bounded(tmp_path: Path):
    root = tmp_path / "repo"
    for i in range(50):
        write(root, f"f{i:03}.txt")
    git(root, "init", "-q")
    git(root, "add", ".")
    real = os.path.realpath(root)
    out, cut = run_git(shutil.which("git"), real, ["ls-files", "-z"], max_bytes=20, truncate=True)
    assert cut and len(out) == 20
    from mofcheck.repo import GitError

    with pytest.raises(GitError, match="more than 20 bytes"):
        run_git(shutil.which("git"), real, ["ls-files", "-z"], max_bytes=20)
    # a git that never finishes: hash-object reading a FIFO that nobody writes to
    if os.name == "posix":
        os.mkfifo(root / "never")
        t0 = time.perf_counter()
        with pytest.raises(GitError, match="timed out"):
            run_git(shutil.which("git"), real, ["hash-object", "never"], timeout=0.5)
        assert time.perf_counter() - t0 < 5


@needs_git
def test_inherited_git_environment_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A calling hook's GIT_DIR / GIT_INDEX_FILE must not redirect the listing."""
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "A.md")
    write(b, "B.md")
    for r in (a, b):
        git(r, "init", "-q")
        git(r, "add", ".")
    monkeypatch.setenv("GIT_DIR", str(b / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(b / ".git" / "index"))
    repo = Repo.open(a)
    assert [f.path for f in repo.files] == ["A.md"]


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="POSIX semantics")


@posix_only
@needs_git
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_repository_owned_by_someone_else_is_listed_with_the_lockdown(tmp_path: Path):
    root = tmp_path / "repo"
    write(root, "LICENSE", "MIT\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    for dirpath, dirnames, filenames in os.walk(tmp_path):
        for n in [*dirnames, *filenames]:
            os.lchown(os.path.join(dirpath, n), 54321, 54321)
    os.lchown(tmp_path, 54321, 54321)
    # The control: git itself refuses the repository ("dubious ownership").
    env = {"PATH": os.environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    control = subprocess.run(["git", "ls-files"], cwd=root, env=env, capture_output=True, text=True)
    assert control.returncode != 0 and "dubious ownership" in control.stderr
    repo = Repo.open(root)
    assert repo.mode == "git" and [f.path for f in repo.files] == ["LICENSE"]


# ------------------------------------------------------------------- globs and attributes


def test_ignore_glob_with_many_wildcards_matches_in_linear_time():
    """A configuration's `ignore` glob like `**a**a**a**b` backtracks polynomially under `re` (hours
    on a 4 KiB path); GlobSet matches it with RE2. Run in a child so that a regression fails, not hangs."""
    probe = (
        "from mofcheck.repo import GlobSet\n"
        "g = GlobSet(['**a**a**a**a**a**a**a**b', '!x*x*x*x*x*x*x*y'])\n"
        "print(g.match('a' * 4000), g.match('d/' + 'a' * 4000 + 'b'), g.match('x' * 4000))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "False"]


def test_reuse_toml_glob_with_many_wildcards_matches_in_linear_time():
    """REUSE.toml `path` globs are the repository's text: `**a**a**a...b` against a long path backtracked
    polynomially as an `re` regex; they are matched by RE2. A child, so a regression fails, not hangs."""
    probe = (
        "from mofcheck.repo.globs import reuse_paths, under\n"
        "rx = reuse_paths(['**a' * 200 + 'b', 'x*' * 300 + 'y'])\n"
        "print(bool(rx.fullmatch('a' * 4000)), bool(rx.fullmatch('d/' + 'a' * 4000 + 'b')), bool(rx.fullmatch('x' * 4000)))\n"
        "print(bool(under('https://hub.example/m/tree/r', rx).fullmatch('https://hub.example/m/tree/r/' + 'a' * 4000)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "False", "False"]
    assert out.stderr == ""  # RE2 logs nothing


def test_reuse_toml_globs_too_large_for_re2_are_a_finding_not_a_crash(tmp_path: Path):
    from mofcheck.readers import local
    from mofcheck.repo import Repo

    globs = ", ".join(f'"{"x*" * 400}{i}"' for i in range(200))
    (tmp_path / "REUSE.toml").write_text(f'version = 1\n[[annotations]]\npath = [{globs}]\nSPDX-License-Identifier = "MIT"\n')
    ev = local.read(Repo.open(tmp_path))
    assert any(f.code == "license.unreadable" and "globs not usable" in f.message for f in ev.findings)
    assert not any(s.path == "REUSE.toml" for s in ev.licenses)


def test_glob_on_a_name_that_is_not_utf8():
    from mofcheck.repo import GlobSet

    g = GlobSet(["*.bin", "data/?x"])
    assert g.match("w\udcff.bin") and g.match("data/\udcffx") and not g.match("\udcff.txt")


def test_bad_glob_is_said_not_raised_from_deep_inside():
    from mofcheck.errors import MofcheckError
    from mofcheck.repo import GlobSet

    with pytest.raises(MofcheckError, match="not a valid glob"):
        GlobSet(["ok/*", "trailing\\"])


@needs_git
def test_lfs_attributes_come_from_git_at_the_listed_state(tmp_path: Path):
    """`.gitattributes` as git reads it: nested files, later lines win, `-filter` unsets; at a ref, the
    commit's attributes, not the work tree's."""
    root = tmp_path / "repo"
    write(root, ".gitattributes", "*.bin filter=lfs\n*.safetensors filter=lfs\nold/* filter=evil\n")
    write(root, "sub/.gitattributes", "*.bin -filter\n")
    for rel in ("a.bin", "sub/b.bin", "m.safetensors", "old/c.bin"):
        write(root, rel)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "attrs")
    write(root, ".gitattributes", "*.txt filter=lfs\n")  # changed after the commit, not staged
    now = Repo.open(root)
    assert now.lfs_tracked("x.txt") and not now.lfs_tracked("a.bin")
    old = Repo.open(root, ref="HEAD")
    assert old.lfs_tracked("a.bin") and old.lfs_tracked("m.safetensors")
    assert not old.lfs_tracked("sub/b.bin") and not old.lfs_tracked("old/c.bin") and not old.lfs_tracked("x.txt")
    assert old.lfs_tracked("new/z.bin")  # a path the commit does not list is still answered
    assert not any(f.code == "repo.unreadable" for f in old.skipped)


def test_plain_folder_has_no_lfs_attributes(tmp_path: Path):
    write(tmp_path, ".gitattributes", "*.bin filter=lfs\n")
    write(tmp_path, "a.bin")
    repo = Repo.open(tmp_path)
    assert repo.mode == "walk" and not repo.lfs_tracked("a.bin")
