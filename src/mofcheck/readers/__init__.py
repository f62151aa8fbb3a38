"""Evidence readers: one module per source of evidence, the same interface, one registry table.

Each reader module defines:

* `NAME`: its key in `REGISTRY` (and in the evidence lock);
* `REMOTE`: whether it needs the network to fetch what it reads;
* `read(source) -> EvidenceSet`: the evidence in what was fetched (a `Repo` for the local tree, a
  `RemoteSource` for a remote one). Reading never uses the network and never raises on bad input: what
  cannot be read becomes a finding.

Remote readers also define `backs()`: the components a link to their kind of source can back. Fetching is
not a reader's job: mofcheck.remote fetches a source (one client per host) and the reader reads what came.
Modules are imported on first use so that an offline `check` never imports a network client.
"""

from __future__ import annotations

import importlib
from types import ModuleType

REGISTRY: dict[str, str] = {
    "local": "mofcheck.readers.local",
    "spdx": "mofcheck.readers.spdx",
    "spdx3": "mofcheck.readers.spdx3",
    "hf-model": "mofcheck.readers.hf_model",
    "hf-dataset": "mofcheck.readers.hf_dataset",
    "arxiv": "mofcheck.readers.arxiv",
    "github": "mofcheck.readers.github",
}


def get(name: str) -> ModuleType:
    """The reader module registered as `name` (KeyError for an unknown reader)."""
    return importlib.import_module(REGISTRY[name])


__all__ = ["REGISTRY", "get"]
