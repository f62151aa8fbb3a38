"""Link discovery: which URLs a reader can follow, and what each link can back."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofcheck import framework
from mofcheck.evidence import links
from mofcheck.manifest import parse as parse_manifest
from mofcheck.readers import local
from mofcheck.repo import Repo
from mofcheck.resolve import followed, release_links

FINAL, CARD, DATASETS, DATA_CARD, PAPER = "Model parameters (Final)", "Model card", "Datasets", "Data card", "Research paper"


@pytest.mark.parametrize(
    "url, want",
    [
        ("https://huggingface.co/allenai/OLMo-7B", ("hf-model", "allenai/OLMo-7B", None, None)),
        ("https://hf.co/allenai/OLMo-7B/tree/step1000-tokens4B", ("hf-model", "allenai/OLMo-7B", "step1000-tokens4B", None)),
        ("https://huggingface.co/datasets/allenai/dolma/tree/v1_6/data", ("hf-dataset", "allenai/dolma", "v1_6", "data")),
        ("https://huggingface.co/spaces/org/demo", None),
        ("https://huggingface.co/papers/2402.00838", None),
        ("https://github.com/allenai/OLMo.git", ("github", "allenai/OLMo", None, None)),
        ("https://github.com/org/repo/tree/main/Evaluation", ("github", "org/repo", "main", "Evaluation")),
        ("https://github.com/orgs/allenai", None),
        ("https://arxiv.org/abs/2402.00838v3", ("arxiv", "2402.00838", "v3", None)),
        ("https://arxiv.org/pdf/2402.00838.pdf", ("arxiv", "2402.00838", None, None)),
        ("arXiv:2402.00838", ("arxiv", "2402.00838", None, None)),
        ("https://doi.org/10.48550/arXiv.2402.00838", ("arxiv", "2402.00838", None, None)),
        ("https://arxiv.org/abs/hep-th/9901001", ("arxiv", "hep-th/9901001", None, None)),
        ("https://example.org/model.bin", None),
        ("ODC-BY", None),
    ],
)
def test_parse(url, want):
    assert links.parse(url) == want


def test_bare_ids_only_where_the_field_means_a_hub_id():
    assert links.parse("meta-llama/Llama-3-8B") is None
    assert links.parse("meta-llama/Llama-3-8B", bare_hf="hf-model") == ("hf-model", "meta-llama/Llama-3-8B", None, None)
    assert links.parse("./checkpoints/final", bare_hf="hf-model") is None


MANIFEST = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: Tern-1B
  producer: Example Lab
  huggingface: https://huggingface.co/example/tern-1b
  repository: https://github.com/example/tern
  license:
    distribution: {name: Apache-2.0}
  components:
    - {name: Datasets, component_path: 'https://huggingface.co/datasets/example/tern-corpus'}
    - {name: Research paper, component_path: 'https://arxiv.org/abs/2401.00001'}
    - {name: Evaluation code, component_path: 'https://github.com/example/tern-evals/tree/main/harness'}
    - {name: Training code, component_path: 'train/'}
"""


def test_manifest_links_back_their_components():
    m = parse_manifest(MANIFEST, "mof.yml", framework.load())
    by = {(l.reader, l.id): l for l in links.from_manifest(m)}
    hub = by[("hf-model", "example/tern-1b")]
    assert {FINAL, CARD, "Model parameters (Intermediate)", "Evaluation results"} <= hub.backs
    assert hub.origin == "mof.yml" and hub.line == 5
    assert by[("github", "example/tern")].backs >= {"Training code", "Inference code", "Model architecture"}
    assert by[("hf-dataset", "example/tern-corpus")].backs == {DATASETS, DATA_CARD}
    assert by[("arxiv", "2401.00001")].backs == {PAPER}
    evals = by[("github", "example/tern-evals")]
    assert evals.backs == {"Evaluation code"} and evals.subpath == "harness"
    assert len(by) == 5  # train/ is a repository path, not a link


def _tree(tmp_path: Path, files: dict[str, str]) -> Repo:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return Repo.open(tmp_path)


CARD_TEXT = """---
license: apache-2.0
datasets:
  - example/tern-corpus
base_model: example/tern-base
---
# Tern-1B

Tern-1B is a language model. Download it with `AutoModel.from_pretrained("example/tern-1b")`.
Compare with [a baseline](https://huggingface.co/other/baseline-7b).

## Citation

```bibtex
@article{tern2024, title={Tern}, eprint={2401.00001}, archivePrefix={arXiv}}
```
"""


def test_card_links(tmp_path):
    ev = local.read(_tree(tmp_path, {"README.md": CARD_TEXT}))
    by = {(l.reader, l.id): l for l in ev.links}
    assert by[("hf-dataset", "example/tern-corpus")].backs == {DATASETS, DATA_CARD}
    assert FINAL in by[("hf-model", "example/tern-1b")].backs
    base = by[("hf-model", "example/tern-base")]
    assert base.rule == "card.ref.base_model" and not base.backs and followed(base)
    assert by[("arxiv", "2401.00001")].backs == {PAPER}


def test_manifest_hub_repo_wins_over_hub_links_in_cards(tmp_path):
    ev = local.read(_tree(tmp_path, {"README.md": CARD_TEXT}))
    m = parse_manifest(MANIFEST, "mof.yml", framework.load())
    got = {(l.reader, l.id) for l in release_links(m, ev)}
    assert ("hf-model", "other/baseline-7b") not in got  # another model: never this release's weights
    assert ("hf-model", "example/tern-base") in got  # the base model: its license binds
    assert ("hf-model", "example/tern-1b") in got and ("hf-dataset", "example/tern-corpus") in got


def test_without_a_manifest_hub_links_must_name_the_release(tmp_path):
    ev = local.read(_tree(tmp_path, {"README.md": CARD_TEXT}))
    got = {(l.reader, l.id) for l in release_links(None, ev, ("tern",))}
    assert ("hf-model", "example/tern-1b") in got
    assert ("hf-model", "other/baseline-7b") not in got


def test_one_url_test_for_manifests_cards_reports_and_the_repository(tmp_path):
    from mofcheck.repo import Repo
    from mofcheck.urls import is_url

    for url in ("https://huggingface.co/a/b", " HF://a/b", "s3://bucket/w", "ftp://host/x", "magnet:?xt=urn:btih:x", "doi:10.48550/arXiv.1"):
        assert is_url(url), url
    for path in ("weights/", "model.safetensors", "C:/weights", "doi.txt", "", None, 3):
        assert not is_url(path), path
    # the repository layer asks the same test: a magnet or doi link is no path to look up
    (tmp_path / "LICENSE").write_text("x")
    repo = Repo.open(tmp_path)
    for url in ("https://example.org/LICENSE", "magnet:?xt=urn:btih:x", "doi:10.48550/arXiv.1"):
        assert repo.resolve_reason(url) == (None, "a URL, not a repository path"), url
    assert repo.resolve_reason("LICENSE") == ("LICENSE", None)
