"""The remote layer: what a release publishes on the Hugging Face Hub, arXiv and GitHub, as plain data.

Used only by `resolve`, `check --online`, `audit` and the GitHub front; `mofcheck check` never imports it.
Each client (hf, arxiv, github) goes through the host's real client library, bounded by one Budget per
run, and returns RemoteSource records (types) that never raise for a remote failure. docs/remote.md
gives the endpoints, the bounds and the trust model.
"""

from __future__ import annotations

from .budget import Budget, BudgetSpent
from .types import ERROR_KINDS, KINDS, RemoteFile, RemoteSource, RemoteText

__all__ = ["Budget", "BudgetSpent", "ERROR_KINDS", "KINDS", "RemoteFile", "RemoteSource", "RemoteText"]
