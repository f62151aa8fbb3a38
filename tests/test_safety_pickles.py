"""Pickle-based files: every format's streams found and listed, bounded reads, hostile containers, the
import verdicts from data/safety/pickle-imports.yaml, safetensors copies. Files are built by
tests/pickles.py (no binary fixtures); nothing is ever unpickled (tests/test_safety_noexec.py proves it)."""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mofcheck.repo import Repo
from mofcheck.safety import pickles as pk
from mofcheck.safety import scan
from mofcheck.safety.result import NOT_FETCHED, NOT_PICKLE, PARTIAL, SCANNED, UNREAD
from mofcheck.safety.streams import STREAM_MAX

from . import pickles as P

GiB = 1 << 30
TORCH = ["collections.OrderedDict", "torch.HalfStorage", "torch._utils._rebuild_tensor_v2"]


def one(tmp_path: Path, name: str, data: bytes | None = None):
    if data is not None:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return pk.scan_file(Repo.open(tmp_path), name)


def dotted(res) -> list[str]:
    return sorted(i.dotted for i in res.imports)


# --------------------------------------------------------------------------------------- formats


def test_torch_zip_checkpoint_lists_its_data_pkl_only(tmp_path):
    P.torch_zip(tmp_path / "pytorch_model.bin", P.tensors(30, 30 * 64))
    res = one(tmp_path, "pytorch_model.bin")
    assert (res.format, res.status, res.streams) == ("torch-zip", SCANNED, 1)
    assert dotted(res) == TORCH and not res.dangerous and not res.unknown
    assert res.bytes_read < 8000  # the directory and data.pkl, never a storage


def test_legacy_checkpoint_reads_its_five_pickles(tmp_path):
    P.legacy_checkpoint(tmp_path / "model.pt", P.tensors(291, GiB, legacy=True))
    res = one(tmp_path, "model.pt")
    assert (res.format, res.status) == ("torch-legacy", SCANNED)
    assert dotted(res) == TORCH
    assert res.size > GiB and res.bytes_read <= 64 * 1024 + 1024  # the head and one first read, no storage


def test_legacy_checkpoint_whose_pickles_outgrow_the_first_read(tmp_path):
    P.legacy_checkpoint(tmp_path / "model.pt", P.tensors(6000, 6000 * 64, legacy=True))  # ~600 KB of pickle
    res = one(tmp_path, "model.pt")
    assert res.status == SCANNED and dotted(res) == TORCH and res.bytes_read > 64 * 1024


def test_torchscript_constants_and_data(tmp_path):
    with zipfile.ZipFile(tmp_path / "traced.pt", "w") as z:
        z.writestr("traced/data.pkl", P.state_dict_pickle(P.tensors(2, 128)))
        z.writestr("traced/constants.pkl", P.os_system("true"))
        z.writestr("traced/code/__torch__.py", "def forward(self): pass\n")
    res = one(tmp_path, "traced.pt")
    assert res.format == "torchscript" and res.streams == 2
    assert res.dangerous == [f"{os.name}.system"]


@pytest.mark.parametrize("protocol", [0, 1, 2, 3, 4, 5])
def test_raw_pickles_of_every_protocol(tmp_path, protocol):
    res = one(tmp_path, "model.pkl", P.os_system("true", protocol=protocol))
    assert res.status == SCANNED and res.dangerous == [f"{os.name}.system"]


def test_several_pickles_in_one_file(tmp_path):
    res = one(tmp_path, "two.pkl", P.state_dict_pickle(P.tensors(2, 128)) + P.exec_payload("print(1)"))
    assert res.status == SCANNED and res.streams == 1 and res.dangerous == ["__builtin__.exec"]  # protocol 2 names the module as Python 2 did


def test_stack_global_through_the_memo(tmp_path):
    res = one(tmp_path, "m.pkl", P.stack_global("subprocess", "check_output", "id"))
    assert res.dangerous == ["subprocess.check_output"]


def test_npy_object_and_numeric_arrays(tmp_path):
    P.npy(tmp_path / "obj.npy")
    P.npy(tmp_path / "num.npy", numeric=1 << 20)
    P.npy(tmp_path / "evil.npy", payload=P.os_system("true", protocol=3))
    repo = Repo.open(tmp_path)
    obj, num, evil = (pk.scan_file(repo, n) for n in ("obj.npy", "num.npy", "evil.npy"))
    assert obj.status == SCANNED and not obj.dangerous and not obj.unknown
    assert "numpy.core.multiarray._reconstruct" in dotted(obj)
    assert num.status == NOT_PICKLE and num.bytes_read < 4096  # numbers only: nothing to unpickle
    assert evil.dangerous == [f"{os.name}.system"]


def test_npz_members(tmp_path):
    evil = P.npy_header("|O", (2,)) + P.exec_payload("x=1", protocol=3)
    P.npz(tmp_path / "a.npz", {"ok.npy": P.npy_header("<f4", (4,)) + bytes(16), "bad.npy": evil})
    res = one(tmp_path, "a.npz")
    assert res.format == "npz" and res.dangerous == ["builtins.exec"]


def test_gzip_joblib(tmp_path):
    res = one(tmp_path, "clf.joblib", gzip.compress(P.os_system("true")))
    assert res.format == "joblib (gzip)" and res.dangerous == [f"{os.name}.system"]


def test_not_a_pickle_is_no_pickle(tmp_path):
    (tmp_path / "ggml-model.bin").write_bytes(b"ggjt" + bytes(4096))
    res = one(tmp_path, "ggml-model.bin")
    assert res.status == NOT_PICKLE and res.findings() == []


# --------------------------------------------------------------------------------------- hostile


@pytest.fixture
def small_bound(monkeypatch):
    """A 1 MiB stream bound: the same code paths as 4 MiB, four times faster (picklescan lists ~1 MB/s of
    one-byte opcodes; bench/bench_pickle_scanners.py measures the real bound)."""
    from mofcheck.safety import streams

    monkeypatch.setattr(streams, "STREAM_MAX", 1 << 20)
    return 1 << 20


def test_zip_bomb_stops_at_the_bound(tmp_path, small_bound):
    P.zip_bomb_member(tmp_path / "bomb.pt")  # data.pkl inflates to 3 GiB
    res = one(tmp_path, "bomb.pt")
    assert res.status == UNREAD and "longer than 1 MiB" in res.note
    assert res.bytes_read < 1 << 20  # the compressed bytes that inflate to the bound, no more
    assert [f.code for f in res.findings()] == ["security.pickle-unverified"]


def test_payload_after_the_bound_is_unverified_not_silent(tmp_path, small_bound):
    padding = P.proto(2) + b"]" + b"Na" * (small_bound // 2) + b"0"
    res = one(tmp_path, "late.pkl", padding + P.os_system("true")[2:])
    assert res.status in (PARTIAL, UNREAD) and "longer than" in res.note
    assert "security.pickle-unverified" in {f.code for f in res.findings()}


def test_truncated_pickle_keeps_what_it_read(tmp_path):
    full = P.state_dict_pickle(P.tensors(50, 50 * 64), extra=P.inline(P.os_system("true")))
    res = one(tmp_path, "cut.pkl", full[:-3])
    assert res.status == PARTIAL and "truncated at byte" in res.note
    assert res.dangerous == [f"{os.name}.system"]  # loading runs it before it fails


def test_malformed_pickle(tmp_path):
    res = one(tmp_path, "bad.pkl", P.state_dict_pickle(P.tensors(4, 256))[:150] + b"\xff\xfe" * 50)
    assert res.status == PARTIAL and dotted(res) and "malformed" in res.note


def test_deeply_nested_pickle(tmp_path):
    res = one(tmp_path, "deep.pkl", P.nested(200_000))
    assert res.status == SCANNED and res.imports == []


def test_huge_sparse_files_cost_a_head_read(tmp_path):
    with open(tmp_path / "huge.bin", "wb") as f:
        f.truncate(16 * GiB)
    with open(tmp_path / "huge.pkl", "wb") as f:
        f.write(P.proto(2))
        f.truncate(16 * GiB)
    repo = Repo.open(tmp_path)
    b, p = pk.scan_file(repo, "huge.bin"), pk.scan_file(repo, "huge.pkl")
    assert b.status == NOT_PICKLE and b.bytes_read <= 1024
    assert p.status == UNREAD and p.bytes_read <= STREAM_MAX + 1024  # 4 MiB of one pickle stream, no more


def test_central_directory_larger_than_the_bound(tmp_path):
    # an end-of-central-directory record that claims a 2 GiB directory
    data = P.state_dict_pickle(P.tensors(1, 64))
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, 2 * GiB, 0, 0)
    with open(tmp_path / "x.pt", "wb") as f:
        f.write(b"PK\x03\x04" + data)
        f.seek(3 * GiB)
        f.write(eocd)
    res = one(tmp_path, "x.pt")
    assert res.status == UNREAD and res.bytes_read < 16 << 20


def test_too_many_pickle_members(tmp_path):
    with zipfile.ZipFile(tmp_path / "many.pt", "w") as z:
        for i in range(80):
            z.writestr(f"a/{i}.pkl", P.state_dict_pickle(P.tensors(1, 64)))
    res = one(tmp_path, "many.pt")
    assert res.status == PARTIAL and "only the first 64" in res.note and res.streams == 64


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and FIFOs")
def test_symlink_out_and_fifo_are_not_read(tmp_path):
    outside = tmp_path / "outside.pkl"
    outside.write_bytes(P.os_system("true"))
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    (repo_dir / "link.pkl").symlink_to(outside)
    os.mkfifo(repo_dir / "pipe.pkl")
    repo = Repo.open(repo_dir)
    link, fifo = pk.scan_file(repo, "link.pkl"), pk.scan_file(repo, "pipe.pkl")
    assert link.status == UNREAD and "outside" in link.note
    assert fifo.status == UNREAD and "not a regular file" in fifo.note


def test_repository_budget_and_lfs_pointers(tmp_path, monkeypatch):
    oid = "a" * 64
    (tmp_path / "pytorch_model.bin").write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 123456789\n")
    for i in range(3):
        (tmp_path / f"m{i}.pkl").write_bytes(P.state_dict_pickle(P.tensors(2, 128)))
    monkeypatch.setattr(pk, "MAX_FILES", 2)
    res = scan(Repo.open(tmp_path))
    by = {f.path: f for f in res.files}
    assert by["pytorch_model.bin"].status == NOT_FETCHED and by["pytorch_model.bin"].format == "lfs-pointer"
    assert [by[f"m{i}.pkl"].status for i in range(3)] == [SCANNED, SCANNED, UNREAD]
    codes = {(f.code, f.path) for f in res.findings}
    assert ("security.pickle-not-scanned", "pytorch_model.bin") in codes
    assert ("security.pickle-unverified", "m2.pkl") in codes


def test_scanner_missing_is_said_clearly(tmp_path):
    (tmp_path / "m.pkl").write_bytes(P.os_system("true"))
    code = (
        "import sys; sys.modules['picklescan'] = None\n"
        "from mofcheck.repo import Repo; from mofcheck.safety import scan\n"
        f"r = scan(Repo.open({str(tmp_path)!r}))\n"
        "print([(f.code, f.message) for f in r.findings if f.path == 'm.pkl'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "security.pickle-unverified" in out and "picklescan is not installed" in out


# --------------------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    "module,name,want",
    [
        ("os", "system", "dangerous"),
        ("os.path", "join", "dangerous"),  # a "*" module covers its submodules
        ("posix", "system", "dangerous"),
        ("__builtin__", "eval", "dangerous"),
        ("builtins", "getattr", "dangerous"),
        ("builtins", "set", "safe"),
        ("__builtin__", "set", "safe"),
        ("runpy", "_run_code", "dangerous"),
        ("webbrowser", "open", "dangerous"),
        ("torch.hub", "load", "dangerous"),
        ("torch", "load", "dangerous"),
        ("numpy.testing._private.utils", "runstring", "dangerous"),
        ("code", "InteractiveInterpreter.runcode", "dangerous"),
        ("_pickle", "loads", "dangerous"),
        ("marshal", "loads", "dangerous"),
        ("requests.api", "get", "dangerous"),
        ("urllib.request", "urlopen", "dangerous"),
        ("unknown", "unknown", "dangerous"),  # picklescan's name for a STACK_GLOBAL it could not resolve
        ("torch._utils", "_rebuild_tensor_v2", "safe"),
        ("torch", "FloatStorage", "safe"),
        ("collections", "OrderedDict", "safe"),
        ("numpy.core.multiarray", "_reconstruct", "safe"),
        ("_codecs", "encode", "safe"),
        ("argparse", "Namespace", "unknown"),
        ("transformers.training_args", "TrainingArguments", "unknown"),
        ("torch.nn.modules.linear", "Linear", "unknown"),
        ("__torch__.torch.nn.modules.linear", "Linear", "safe"),  # TorchScript's own classes, not Python imports
    ],
)
def test_verdicts(module, name, want):
    assert pk.verdict(module, name) == want


def test_scanner_verdict_is_kept(tmp_path):
    # picklescan calls functools.partial dangerous; so does the list. A module only picklescan knows stays dangerous too.
    assert pk.verdict("somewhere", "thing", scanner_says_dangerous=True) == "dangerous"


def test_unknown_imports_warn(tmp_path):
    body = P.proto(2) + P.glob("argparse", "Namespace") + b")\x81" + P.STOP  # EMPTY_TUPLE, NEWOBJ
    res = one(tmp_path, "args.pkl", body)
    assert res.unknown == ["argparse.Namespace"]
    assert [f.code for f in res.findings()] == ["security.pickle-unknown-import"]


# --------------------------------------------------------------------------------------- copies


@pytest.mark.parametrize(
    "pickle,present,want",
    [
        ("pytorch_model.bin", ["model.safetensors"], "model.safetensors"),
        ("pytorch_model-00001-of-00003.bin", ["model.safetensors.index.json", "model-00001-of-00002.safetensors"], "model-00001-of-00002.safetensors"),
        ("unet/diffusion_pytorch_model.bin", ["unet/diffusion_pytorch_model.safetensors"], "unet/diffusion_pytorch_model.safetensors"),
        ("sd-v1-4.ckpt", ["sd-v1-4.safetensors"], "sd-v1-4.safetensors"),
        ("adapter_model.bin", ["adapter_model.safetensors"], "adapter_model.safetensors"),
        ("pytorch_model.bin", ["other/model.safetensors"], None),  # another folder: other weights
        ("sd-v1-4.ckpt", ["sd-v1-5.safetensors"], None),
        ("consolidated.00.pth", ["consolidated.00.safetensors"], "consolidated.00.safetensors"),
    ],
)
def test_safetensors_copies(pickle, present, want):
    assert pk.safetensors_copy(pickle, {pickle, *present}) == want


def test_pickle_weights_warn_unless_copied(tmp_path):
    P.torch_zip(tmp_path / "pytorch_model.bin", P.tensors(4, 256))
    res = scan(Repo.open(tmp_path))
    assert [f.code for f in res.findings if f.path == "pytorch_model.bin"] == ["security.pickle-weights"]
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    res = scan(Repo.open(tmp_path))
    assert [f.code for f in res.findings if f.path == "pytorch_model.bin"] == []
    assert res.files[0].safetensors_copy == "model.safetensors"


def test_training_args_are_scanned_but_are_not_weights(tmp_path):
    body = P.proto(2) + P.glob("transformers.training_args", "TrainingArguments") + b")\x81" + P.STOP
    (tmp_path / "training_args.bin").write_bytes(body)
    res = scan(Repo.open(tmp_path))
    assert [f.code for f in res.findings if f.path == "training_args.bin"] == ["security.pickle-unknown-import"]


def test_git_ref_reads_blobs(tmp_path):
    from .conftest import git

    git(tmp_path, "init", "-q")
    (tmp_path / "m.pkl").write_bytes(P.os_system("true"))
    git(tmp_path, "add", "m.pkl")
    git(tmp_path, "commit", "-qm", "x")
    (tmp_path / "m.pkl").write_bytes(P.state_dict_pickle(P.tensors(1, 64)))
    res = scan(Repo.open(tmp_path, ref="HEAD"))
    assert res.files[0].dangerous == [f"{os.name}.system"]


@pytest.mark.parametrize("suffix", [".pt", ".pth", ".ckpt", ".bin"])
def test_protocol_0_pickle_in_a_torch_file(tmp_path, suffix):
    # torch.load unpickles whatever a non-zip file starts with: a protocol 0 pickle runs too
    res = one(tmp_path, "m" + suffix, P.os_system("true", protocol=0))
    assert res.dangerous == [f"{os.name}.system"]


def test_bin_that_only_looks_like_protocol_0(tmp_path):
    res = one(tmp_path, "vocab.bin", b"(\x00\x01binary data" + bytes(100))
    assert res.status == NOT_PICKLE and res.findings() == []


def test_tar_format_torch_checkpoint_is_unverified(tmp_path):
    import tarfile

    with tarfile.open(tmp_path / "old.pt", "w") as t:
        data = P.os_system("true")
        info = tarfile.TarInfo("pickle")
        info.size = len(data)
        t.addfile(info, __import__("io").BytesIO(data))
    (tmp_path / "shard-000.tar").write_bytes((tmp_path / "old.pt").read_bytes())  # a webdataset shard
    repo = Repo.open(tmp_path)
    old, shard = pk.scan_file(repo, "old.pt"), pk.scan_file(repo, "shard-000.tar")
    assert old.status == UNREAD and "tar-format" in old.note
    assert shard.status == NOT_PICKLE
