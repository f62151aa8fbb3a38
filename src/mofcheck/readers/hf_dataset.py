"""A Hugging Face dataset repository: the data and its dataset card (which documents it)."""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet
from ..evidence.rules import source_rules
from ..framework import role
from ..model import Evidence
from .hub import read_hub_repo
from .remotetree import source_root

NAME = "hf-dataset"
REMOTE = True
# Files that are a dataset's data, not its documentation or loading code.
_DATA_SUFFIXES = (
    ".parquet",
    ".arrow",
    ".jsonl",
    ".json",
    ".json.gz",
    ".jsonl.gz",
    ".jsonl.zst",
    ".csv",
    ".tsv",
    ".txt",
    ".zst",
    ".gz",
    ".tar",
    ".zip",
    ".npy",
    ".npz",
    ".wav",
    ".flac",
    ".mp3",
    ".jpg",
    ".png",
    ".tfrecord",
)


def backs() -> frozenset[str]:
    return source_rules()["readers"][NAME]["backs"]


def read(source: Any) -> EvidenceSet:
    ev = read_hub_repo(source, NAME)
    data = [f for f in source.files if f.path.lower().endswith(_DATA_SUFFIXES) and not f.path.lower().startswith(("readme", "license"))]
    if data:
        base = source_root(source)
        for component in (role("datasets"), role("evaluation-data")):  # the link decides which one it is
            ev.found_for(component).add(
                Evidence(
                    "data",
                    "hub.dataset-files",
                    f"{len(data)} data files in the dataset repository (e.g. {data[0].path})",
                    base,
                    None,
                    0.9,
                    NAME,
                    source.revision,
                    source.fetched_at,
                ),
                remote=base,
            )
    return ev


__all__ = ["NAME", "REMOTE", "backs", "read"]
