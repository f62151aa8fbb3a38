"""Repository listing: git work trees, a commit via ref, the walk fallback, ignore globs, LFS pointers."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from mofcheck.errors import MofcheckError
from mofcheck.repo import GlobSet, Repo, glob_to_regex, parse_lfs_pointer

from .conftest import GIT_ENV, git  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def write(root: Path, rel: str, text: str | bytes = "x\n") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text)
    return p


def paths(repo: Repo) -> list[str]:
    return [f.path for f in repo.files]


LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345678901\n"


@pytest.fixture
def gitrepo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "LICENSE", "MIT License\n")
    write(root, "README.md", "# model\n")
    write(root, "src/train.py", "print('train')\n")
    write(root, ".gitignore", "ignored.txt\nlogs/\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    return root


def test_git_lists_tracked_and_staged_never_untracked_or_ignored(gitrepo: Path):
    write(gitrepo, "staged.md", "staged\n")
    git(gitrepo, "add", "staged.md")
    write(gitrepo, "untracked.md")
    write(gitrepo, "ignored.txt")
    write(gitrepo, "logs/run.log")
    repo = Repo.open(gitrepo)
    assert repo.mode == "git"
    assert paths(repo) == [".gitignore", "LICENSE", "README.md", "src/train.py", "staged.md"]
    assert repo.skipped == []


def test_git_deleted_but_tracked_is_left_out_and_noted(gitrepo: Path):
    (gitrepo / "README.md").unlink()
    repo = Repo.open(gitrepo)
    assert "README.md" not in paths(repo)
    assert repo.deleted == ["README.md"]
    assert [(f.code, f.path) for f in repo.skipped] == [("repo.skipped", "README.md")]


def test_git_subdirectory_root_lists_relative_paths(gitrepo: Path):
    repo = Repo.open(gitrepo / "src")
    assert repo.mode == "git"
    assert paths(repo) == ["train.py"]
    assert repo.read_text("train.py").text == "print('train')\n"


def test_untracked_directory_inside_a_work_tree_is_walked(gitrepo: Path):
    write(gitrepo, "other/LICENSE")
    repo = Repo.open(gitrepo / "other")
    assert repo.mode == "walk"
    assert paths(repo) == ["LICENSE"]
    assert any("git tracks no files" in f.message for f in repo.skipped)


def test_ref_lists_an_older_commit_without_checkout(gitrepo: Path):
    first = git(gitrepo, "rev-parse", "HEAD").strip()
    write(gitrepo, "LICENSE", "Apache License\n")
    (gitrepo / "src" / "train.py").unlink()
    write(gitrepo, "MODEL_CARD.md", "card\n")
    git(gitrepo, "add", "-A")
    git(gitrepo, "commit", "-qm", "second")
    head_before = git(gitrepo, "rev-parse", "HEAD").strip()

    old = Repo.open(gitrepo, ref=first)
    assert old.mode == "ref" and old.commit == first
    assert paths(old) == [".gitignore", "LICENSE", "README.md", "src/train.py"]
    assert old.read_text("LICENSE").text == "MIT License\n"
    assert old.get("LICENSE").size == len("MIT License\n")
    assert old.read_text("MODEL_CARD.md").error is not None
    # Nothing was checked out: work tree and HEAD are as they were.
    assert (gitrepo / "LICENSE").read_text() == "Apache License\n"
    assert not (gitrepo / "src" / "train.py").exists()
    assert git(gitrepo, "rev-parse", "HEAD").strip() == head_before

    new = Repo.open(gitrepo, ref="HEAD~0")
    assert "MODEL_CARD.md" in paths(new)


def test_ref_read_is_bounded(gitrepo: Path):
    write(gitrepo, "big.md", "a" * 300_000)
    git(gitrepo, "add", "big.md")
    git(gitrepo, "commit", "-qm", "big")
    repo = Repo.open(gitrepo, ref="HEAD")
    res = repo.read_text("big.md", limit=1000)
    assert res.text == "a" * 1000 and res.truncated and res.size == 300_000
    assert any(f.code == "repo.too-large" and f.path == "big.md" for f in repo.skipped)


def test_bad_refs_are_errors(gitrepo: Path, tmp_path: Path):
    with pytest.raises(MofcheckError, match="unknown git ref"):
        Repo.open(gitrepo, ref="no-such-branch")
    with pytest.raises(MofcheckError, match="not a git ref"):
        Repo.open(gitrepo, ref="--output=/tmp/x")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(MofcheckError, match="not inside a git work tree"):
        Repo.open(plain, ref="HEAD")


def test_open_missing_root_is_an_error(tmp_path: Path):
    with pytest.raises(MofcheckError, match="not a directory"):
        Repo.open(tmp_path / "nope")


def test_walk_skips_environments_caches_and_build_output(tmp_path: Path):
    root = tmp_path / "w"
    for rel in [
        "LICENSE",
        "src/model.py",
        "env/agent.py",  # an RL "env" package, not a virtualenv: kept
        ".git/config",
        ".hg/store",
        "venv/lib/x.py",
        ".venv/lib/x.py",
        "myenv/pyvenv.cfg",
        "myenv/lib/site.py",
        "conda/conda-meta/history",
        "node_modules/a/index.js",
        "src/__pycache__/model.cpython-311.pyc",
        "build/lib/x.py",
        "dist/x.whl",
        ".tox/py/x",
        ".mypy_cache/x",
        "lib/site-packages/x.py",
        "pkg.egg-info/PKG-INFO",
        "vendor/sub/.git",
        "vendor/sub/code.py",
        "third_party/big/data.bin",
    ]:
        write(root, rel)
    outside = tmp_path / "outside"
    write(outside, "secret.txt")
    os.symlink(outside, root / "linkdir")
    repo = Repo.open(root, ignore=["third_party/**"])
    assert repo.mode == "walk"
    assert paths(repo) == ["LICENSE", "env/agent.py", "linkdir", "src/model.py", "vendor/sub"]
    assert repo.get("linkdir").is_symlink
    assert repo.get("vendor/sub").is_submodule
    skipped = {f.path for f in repo.skipped if f.code == "repo.skipped"}
    assert {"myenv/", "conda/", "node_modules/", "build/", "pkg.egg-info/", "venv/", "src/__pycache__/"} <= skipped
    # the symlinked directory was never descended into, and reading through it is refused
    assert repo.read_text("linkdir/secret.txt").error == "symlink to a path outside the repository"


def test_walk_when_git_is_missing(gitrepo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(gitrepo, "untracked.md")
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    repo = Repo.open(gitrepo)
    assert repo.mode == "walk"
    assert "untracked.md" in paths(repo) and ".git/config" not in paths(repo)
    assert any(f.code == "repo.skipped" and "git is not installed" in f.message for f in repo.skipped)
    with pytest.raises(MofcheckError, match="git is not installed"):
        Repo.open(gitrepo, ref="HEAD")


def test_walk_when_git_fails(gitrepo: Path):
    (gitrepo / ".git" / "index").write_bytes(b"DIRC garbage")
    repo = Repo.open(gitrepo)
    assert repo.mode == "walk"
    assert "LICENSE" in paths(repo)
    assert any(f.code == "repo.skipped" and "git listing failed" in f.message for f in repo.skipped)


def test_ignore_globs_apply_to_git_listings(gitrepo: Path):
    write(gitrepo, "third_party/x/LICENSE")
    write(gitrepo, "docs/a.ipynb")
    git(gitrepo, "add", ".")
    repo = Repo.open(gitrepo, ignore=["third_party/**", "*.ipynb"])
    assert "third_party/x/LICENSE" not in paths(repo) and "docs/a.ipynb" not in paths(repo)
    assert "LICENSE" in paths(repo)


@pytest.mark.parametrize(
    "pattern, yes, no",
    [
        ("third_party/**", ["third_party/a", "third_party/a/b.py"], ["x/third_party/a", "third_party"]),
        ("*.bin", ["a.bin", "x/y/a.bin"], ["a.bin.txt"]),
        ("/build", ["build", "build/x"], ["src/build"]),
        ("logs/", ["logs/a", "x/logs/a"], ["logs"]),
        ("docs/*.md", ["docs/a.md"], ["docs/x/a.md", "x/docs/a.md"]),
        ("**/test_*.py", ["test_a.py", "a/b/test_a.py"], ["a/b/mytest_a.py"]),
        ("data?.csv", ["data1.csv"], ["data10.csv"]),
        ("[!a]*.txt", ["b.txt"], ["a.txt"]),
    ],
)
def test_glob_to_regex(pattern, yes, no):
    rx = re.compile(glob_to_regex(pattern))
    assert all(rx.fullmatch(p) for p in yes), pattern
    assert not any(rx.fullmatch(p) for p in no), pattern


def test_globset_negation():
    g = GlobSet(["data/**", "!data/README.md", "# comment", ""])
    assert g.match("data/x.jsonl") and not g.match("data/README.md") and not g.match("README.md")


# ------------------------------------------------------------------- LFS pointers


def test_lfs_pointers_are_recognised_without_reading_weights(gitrepo: Path):
    write(gitrepo, "model-00001-of-00002.safetensors", LFS_POINTER)
    write(gitrepo, "tokenizer.model", LFS_POINTER)
    write(gitrepo, "QWEN_TECHNICAL_REPORT.pdf", LFS_POINTER)
    write(gitrepo, "real.bin", b"\x00\x01" * 50_000)
    write(gitrepo, "notes.txt", "version 1\nsize 3\n")
    write(gitrepo, ".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\nsub/*.pdf filter=lfs\n")
    git(gitrepo, "add", ".")
    for repo in (Repo.open(gitrepo),):
        ptr = repo.get("model-00001-of-00002.safetensors").lfs
        assert ptr is not None and ptr.size == 12345678901 and ptr.oid.startswith("sha256:4d7a2146")
        assert repo.get("tokenizer.model").lfs is not None
        assert repo.get("QWEN_TECHNICAL_REPORT.pdf").lfs is not None
        assert repo.get("real.bin").lfs is None
        assert repo.get("notes.txt").lfs is None
        assert repo.lfs_tracked("model-00001-of-00002.safetensors")
        assert repo.lfs_tracked("sub/a.pdf") and not repo.lfs_tracked("a.pdf")
        # a weight file is read no further than its head, whatever limit is asked for
        res = repo.read_bytes("real.bin", limit=10_000_000)
        assert len(res.data) == 256 and res.truncated
        assert not any(f.code == "repo.too-large" for f in repo.skipped)


def test_lfs_pointer_in_a_ref_listing(gitrepo: Path):
    write(gitrepo, "pytorch_model.bin", LFS_POINTER)
    write(gitrepo, "docs/report.pdf", LFS_POINTER.replace(b"size 12345678901", b"size 77"))
    write(gitrepo, "notes.md", "n" * 300)
    git(gitrepo, "add", ".")
    git(gitrepo, "commit", "-qm", "weights")
    repo = Repo.open(gitrepo, ref="HEAD")
    assert repo.get("pytorch_model.bin").lfs.size == 12345678901
    assert repo.get("docs/report.pdf").lfs.size == 77
    assert repo.get("notes.md").lfs is None and repo.get("LICENSE").lfs is None


def test_parse_lfs_pointer_rejects_near_misses():
    assert parse_lfs_pointer(LFS_POINTER) is not None
    assert parse_lfs_pointer(LFS_POINTER.replace(b"sha256:4d", b"sha256:zz")) is None
    assert parse_lfs_pointer(LFS_POINTER.replace(b"size 12345678901", b"size big")) is None
    assert parse_lfs_pointer(b"oid sha256:" + b"0" * 64 + b"\nsize 1\n") is None
    assert parse_lfs_pointer(LFS_POINTER + b"x" * 2000) is None


def test_walk_and_findings_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from mofcheck.repo import git as repo_git
    from mofcheck.repo import listing as repo_mod

    root = tmp_path / "w"
    for d in range(5):
        for i in range(10):
            write(root, f"d{d}/f{i}.txt")
    monkeypatch.setattr(repo_git, "executable", lambda: None)
    monkeypatch.setattr(repo_mod, "WALK_MAX_FILES", 15)
    repo = Repo.open(root)
    assert 15 < len(repo.files) <= 25  # stops after the directory that crossed the limit
    assert any(f.severity == "warning" and "stopped listing" in f.message for f in repo.skipped)

    if os.name == "posix":
        many = tmp_path / "links"
        many.mkdir()
        for i in range(repo_mod.MAX_SKIP_FINDINGS + 7):
            os.symlink("/etc/hostname", many / f"l{i}")
        repo = Repo.open(many)
        escapes = [f for f in repo.skipped if f.code == "repo.symlink-escape"]
        assert len(escapes) == repo_mod.MAX_SKIP_FINDINGS + 1
        assert escapes[-1].message.startswith("7 more symlinks")


def test_a_head_read_is_not_reported_as_skipped(tmp_path):
    (tmp_path / "big.py").write_text("# SPDX-License-Identifier: MIT\n" + "x = 1\n" * 2000)
    repo = Repo.open(tmp_path)
    res = repo.read_text("big.py", limit=100, head=True)
    assert res.truncated and res.text.startswith("# SPDX-License-Identifier: MIT")
    assert not [f for f in repo.skipped if f.code == "repo.too-large"]
    repo.read_text("big.py", limit=100)
    assert [f.path for f in repo.skipped if f.code == "repo.too-large"] == ["big.py"]
