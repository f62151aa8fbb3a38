"""Named releases spread across the three stand-ins, for tests that build releases from them.

Each scenario lists where its parts live, what a manifest of it would declare (`manifest`) and what each
host states (`stated`: source -> license as the host says it), so a test can hold the tool's verdict
against both. All organisations, ids and papers are fictional: the arXiv ids (2401.99901, ...) are
numbers no real paper has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mofcheck.remote.fetch import Target

HF_TOKEN_GRANTED = "hf_granted_0123456789abcdef"  # the Hub stand-in grants it the gated and private repos


@dataclass(frozen=True)
class Scenario:
    name: str
    about: str
    github: tuple[str, ...] = ()
    hf_models: tuple[str, ...] = ()
    hf_datasets: tuple[str, ...] = ()
    arxiv: tuple[str, ...] = ()
    manifest: dict[str, Any] = field(default_factory=dict)
    stated: dict[str, Any] = field(default_factory=dict)

    def targets(self) -> list[Target]:
        return (
            [Target("github", g) for g in self.github]
            + [Target("hf-model", m) for m in self.hf_models]
            + [Target("hf-dataset", d) for d in self.hf_datasets]
            + [Target("arxiv", a) for a in self.arxiv]
        )

    def urls(self) -> list[str]:
        """The links as a card or manifest would write them."""
        return (
            [f"https://github.com/{g}" for g in self.github]
            + [f"https://huggingface.co/{m}" for m in self.hf_models]
            + [f"https://huggingface.co/datasets/{d}" for d in self.hf_datasets]
            + [f"https://arxiv.org/abs/{a}" for a in self.arxiv]
        )


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "open",
            "A fully open release: Apache-2.0 code and weights with step-named checkpoint branches and a "
            "model-index, a CC-BY-4.0 dataset with its card, a CC-BY-4.0 paper (two versions).",
            github=("open-lab/openlm",),
            hf_models=("open-lab/OpenLM-7B",),
            hf_datasets=("open-lab/open-corpus",),
            arxiv=("2401.99901",),
            manifest={
                "release.repository": "https://github.com/open-lab/openlm",
                "release.huggingface": "https://huggingface.co/open-lab/OpenLM-7B",
                "weights": "Apache-2.0",
                "code": "Apache-2.0",
                "data": "CC-BY-4.0",
                "paper": "CC-BY-4.0",
            },
            stated={
                "github:open-lab/openlm": "Apache-2.0",
                "hf-model:open-lab/OpenLM-7B": "apache-2.0",
                "hf-dataset:open-lab/open-corpus": "cc-by-4.0",
                "arxiv:2401.99901": "http://creativecommons.org/licenses/by/4.0/",
            },
        ),
        Scenario(
            "llama-style",
            "A community-licensed release: HF card `license: llama3.1`, gated (manual); the LICENSE "
            "and USE_POLICY.md of the HF repo are behind the gate; GitHub detects no known license (NOASSERTION); "
            "the report is under arXiv's non-exclusive license.",
            github=("llamalike/llamalike-models",),
            hf_models=("llamalike/Llamalike-3.1-8B",),
            arxiv=("2407.99902",),
            manifest={"weights": "LicenseRef-Llama-3.1-Community"},
            stated={
                "github:llamalike/llamalike-models": "NOASSERTION",
                "hf-model:llamalike/Llamalike-3.1-8B": "llama3.1",
                "arxiv:2407.99902": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            },
        ),
        Scenario(
            "openwashing",
            "A manifest would say CC-BY-4.0 weights and MIT code; the HF card says llama3.1 and its "
            "LICENSE is a community license: a conflict. The paper is CC-BY-4.0 (stated as an href attribute).",
            github=("washco/openwash",),
            hf_models=("washco/OpenWash-7B",),
            arxiv=("2409.99903",),
            manifest={"weights": "CC-BY-4.0", "code": "MIT"},
            stated={
                "github:washco/openwash": "MIT",
                "hf-model:washco/OpenWash-7B": "llama3.1",
                "arxiv:2409.99903": "https://creativecommons.org/licenses/by/4.0",
            },
        ),
        Scenario(
            "gated",
            "An Apache-2.0 model behind an automatic gate (README readable, LICENSE gated unless HF_TOKEN "
            "is HF_TOKEN_GRANTED) and a dataset whose every file, card included, is gated (manual).",
            hf_models=("gatedco/Gated-2B",),
            hf_datasets=("gatedco/gated-data",),
            manifest={"weights": "Apache-2.0"},
            stated={"hf-model:gatedco/Gated-2B": "apache-2.0", "hf-dataset:gatedco/gated-data": "cc-by-nc-4.0"},
        ),
        Scenario(
            "moving",
            "Repositories whose head moves between two fetches (`standins.move('moving')`): the HF model "
            "goes from apache-2.0 to cc-by-nc-4.0, the GitHub repository from Apache-2.0 to MIT.",
            github=("movingco/moving",),
            hf_models=("movingco/Moving-1B",),
            stated={"hf-model:movingco/Moving-1B": "apache-2.0", "github:movingco/moving": "Apache-2.0"},
        ),
        Scenario(
            "lying",
            "Hosts that disagree with themselves: the HF card says apache-2.0 while its LICENSE is a "
            "community license, and a NOTICE it lists is not there; GitHub's API says MIT while the LICENSE file is "
            "a community license, and a MODEL_CARD.md in its tree is not there.",
            github=("liarco/liar",),
            hf_models=("liarco/Liar-3B",),
            stated={"github:liarco/liar": "MIT", "hf-model:liarco/Liar-3B": "apache-2.0"},
        ),
    )
}

# Repositories for fault tests (see tests/standins/__init__.py for the fault scripting).
FAULT_REPOS = {
    "huge-card": "faultco/Huge-Card",  # a 3 MiB README: read cut at max_text_bytes
    "many-files": "faultco/Many-Files",  # 12,000 files and 301 branches: listings cut at the bounds
    "disabled": "faultco/Disabled",
    "private": "faultco/Private",  # readable with HF_TOKEN_GRANTED only
    "big-tree": "faultco/big-tree",  # GitHub: a truncated tree, a 2 MiB model card, a 900 kB README
}
