"""What a card's links and files back, judged from where they sit (evidence/refjudge.py, papers.py, cardtext.py).

Each case is a trap seen in a real repository (docs/real-repositories.md): the link or file looks like a
component and is not the release's own, so it must be "possible" at most (under possible_below) or go to
the component it really is.
"""

from __future__ import annotations

import pytest

from mofcheck.evidence.cards import README, parse_card
from mofcheck.evidence.papers import find_papers
from mofcheck.evidence.refjudge import INTERMEDIATE, METADATA, CardRefs, weights_url
from mofcheck.readers import local
from mofcheck.repo import Repo

FLOOR = 0.5  # components.yaml possible_below


def judged_weights(text: str, path: str = "README.md", names: tuple[str, ...] = ()) -> dict[str, tuple[str | None, float]]:
    card = parse_card(text, path)
    refs = card.weights_refs()
    judge = CardRefs(card, refs, names)
    out = {}
    for r in refs:
        j = judge.weights(r, INTERMEDIATE if r.kind.startswith("intermediate") else "Model parameters (Final)")
        out[r.target] = (j.component, j.confidence)
    return out


def judged_datasets(text: str, path: str = "README.md") -> dict[str, float]:
    card = parse_card(text, path)
    refs = card.dataset_refs()
    judge = CardRefs(card, refs)
    return {r.target: judge.dataset(r, False).confidence for r in refs}


def test_the_base_model_in_front_matter_is_not_the_release():
    got = judged_weights(
        "---\nbase_model: example-speech/base-small\nlicense: mit\n---\n# Petrel ASR\n\n"
        "Fine-tuned from [base-small](https://huggingface.co/example-speech/base-small).\n"
        "Weights: [petrel-asr](https://huggingface.co/example-petrel/petrel-asr).\n"
    )
    assert got["example-speech/base-small"][1] < FLOOR
    assert got["example-petrel/petrel-asr"] == ("Model parameters (Final)", 0.8)


def test_community_builds_and_quantisations_are_someone_elses():
    got = judged_weights(
        "# Razorbill\n\nWeights: [Razorbill-7B](https://huggingface.co/example-razorbill/Razorbill-7B).\n"
        "A community speed-up build is [fastRazorbill](https://huggingface.co/example-community/fastRazorbill).\n"
        "Or [a GGUF](https://huggingface.co/TheBloke/Razorbill-7B-GGUF).\n"
    )
    assert got["example-razorbill/Razorbill-7B"][1] >= FLOOR
    assert got["example-community/fastRazorbill"][1] < FLOOR
    assert got["TheBloke/Razorbill-7B-GGUF"][1] < FLOOR


def test_repository_names_route_links_to_the_right_component():
    got = judged_weights(
        "# Gull\n\n- [weights](https://huggingface.co/example-gull/gull-176b)\n"
        "- [intermediate checkpoints](https://huggingface.co/example-gull/gull-176b-intermediate)\n"
        "- [optimizer states](https://huggingface.co/example-gull/gull-optimizer-states)\n"
        "- [training logs](https://huggingface.co/example-gull/tr11-gull-logs)\n"
        "- [tokenizer](https://huggingface.co/example-gull/tokenizer)\n"
    )
    assert got["example-gull/gull-176b"] == ("Model parameters (Final)", 0.8)
    assert got["example-gull/gull-176b-intermediate"][0] == INTERMEDIATE
    assert got["example-gull/gull-optimizer-states"][0] == METADATA
    assert got["example-gull/tr11-gull-logs"][0] == METADATA
    assert got["example-gull/tokenizer"][1] < FLOOR


def test_placeholders_are_no_links():
    got = judged_weights(
        '# Lark\n\n```python\nAutoModel.from_pretrained("/path/to/your/model")\nAutoModel.from_pretrained("./")\n'
        'AutoModel.from_pretrained("example-lark/lark-6b")\n```\n'
    )
    assert got["/path/to/your/model"][0] is None and got["./"][0] is None
    assert got["example-lark/lark-6b"][1] >= FLOOR


def test_models_listed_among_others_work_are_not_the_release():
    got = judged_weights(
        "# Shearwater\n\nWeights: [shearwater-20b](https://huggingface.co/example-shearwater/shearwater-20b).\n\n"
        "## Adoption\n\nModels trained by others:\n- [a](https://huggingface.co/lab-a/chat-3b)\n"
        "- [b](https://huggingface.co/lab-b/code-13b)\n- [c](https://huggingface.co/lab-c/science-7b)\n",
        names=("shearwater",),
    )
    assert got["example-shearwater/shearwater-20b"][1] >= FLOOR
    assert all(got[k][1] < FLOOR for k in ("lab-a/chat-3b", "lab-b/code-13b", "lab-c/science-7b"))


def test_links_in_examples_for_users_are_possible_only():
    got = judged_weights(
        "# Mixtral example\n\nDownload [the checkpoint](https://huggingface.co/example-org/mixtral-8x7b).\n", path="examples/mixtral/README.md"
    )
    assert got["example-org/mixtral-8x7b"][1] < FLOOR


@pytest.mark.parametrize(
    ("url", "weights"),
    [
        ("https://cdn.example.org/dunlin/models/1f2e/base.pt", True),
        ("https://models.example-cdn.ai/fulmar-7b/fulmar-7B-v0.3.tar", True),
        ("https://storage.example.org/hf-cache/datasets_cache_v2.tar.gz", False),  # OLMo's cache tarball
        ("https://people.example.edu/~bench/MATH.tar", False),  # a benchmark archive
        ("https://huggingface.co/datasets/example/minipile/resolve/main/minipile.bin", False),
        ("https://files.example.org/public/pile_components/books.tar.gz", False),
    ],
)
def test_weights_urls(url, weights):
    c = weights_url(url)
    assert (c is not None and c >= FLOOR) == weights


def test_dataset_links_are_training_data_only_when_the_sentence_says_so():
    got = judged_datasets(
        "# Model\n\nWe pretrain on [the Mix](https://huggingface.co/datasets/example/mix).\n\n"
        "Evaluated on [the benchmark](https://huggingface.co/datasets/example/bench) test set.\n\n"
        "The license list comes from [choosealicense](https://huggingface.co/datasets/choosealicense/licenses).\n\n"
        "See also [something](https://huggingface.co/datasets/example/other).\n"
    )
    assert got["example/mix"] >= FLOOR
    assert got["example/bench"] < FLOOR
    assert got["choosealicense/licenses"] < FLOOR
    assert got["example/other"] < FLOOR


def test_a_dataset_file_in_a_snippet_and_an_illustration_are_not_training_data():
    got = judged_datasets(
        '# Model\n\n```python\nurl = "https://huggingface.co/datasets/someone/random_img/resolve/main/park.png"\n```\n\n'
        "For this example, we fine-tune on [the-stack-mini](https://huggingface.co/datasets/example/the-stack-mini).\n"
    )
    assert got["someone/random_img"] < FLOOR
    assert got["example/the-stack-mini"] < FLOOR


def paper_confidences(text: str) -> dict[str, float]:
    return {p.arxiv_id or p.url or p.text: p.confidence for p in find_papers(text, "README.md")}


def test_the_paper_behind_a_technique_is_cited_work():
    got = paper_confidences(
        "# Gull\n\n* Layer norm on embeddings (see [code](https://github.com/x/y), [paper](https://arxiv.org/abs/2110.02861))\n"
        "* ALiBi positions (see [paper](https://arxiv.org/abs/2108.12409))\n\n"
        "The Pythia number comes from their [paper](https://arxiv.org/abs/2304.01373).\n\n"
        "We built on the [Self-Instruct paper](https://arxiv.org/abs/2212.10560).\n\n"
        "Read our [paper](https://arxiv.org/abs/2607.00001).\n"
    )
    assert got["2110.02861"] < FLOOR and got["2108.12409"] < FLOOR
    assert got["2304.01373"] < FLOOR and got["2212.10560"] < FLOOR
    assert got["2607.00001"] >= FLOOR


def test_bibliographies_and_software_citations_are_not_the_release_paper():
    items = "\n".join(f'- Author {i}. "[Study {i}](https://arxiv.org/abs/2501.{i:05d})" preprint.' for i in range(1, 10))
    got = paper_confidences(
        "# Shearwater\n\nPaper: [Shearwater-20B](https://arxiv.org/abs/2613.06666)\n\n## Publications\n\n"
        + items
        + "\n\n## Citing\n\n```bibtex\n@software{sw, title = {Shearwater}, url = {https://github.com/example/shearwater}}\n```\n"
    )
    assert got["2613.06666"] >= FLOOR
    assert all(got[f"2501.{i:05d}"] < FLOOR for i in range(1, 10))
    assert got["https://github.com/example/shearwater"] < FLOOR


def test_a_dataset_paper_is_not_the_model_paper():
    got = paper_confidences(
        "# Plover\n\n## Citation\n\n```bibtex\n@article{plover, title = {Plover: A Suite of Models}, eprint = {2601.11111}, archivePrefix = {arXiv}}\n"
        "@article{pile, title = {The Heap: An 800GB Dataset of Diverse Text}, eprint = {2101.00027}, archivePrefix = {arXiv}}\n```\n"
    )
    assert got["2601.11111"] >= FLOOR
    assert got["2101.00027"] < FLOOR


def test_a_repository_readme_with_evaluation_and_datasets_sections_is_not_a_model_card():
    card = parse_card("# Skua\n\n## Quickstart\n\nrun it\n\n## Fine-tuning\n\nsteps\n\n## Datasets\n\nthe SE data\n\n## Evaluation\n\nharness\n")
    assert card.kind == README


def _tree(tmp_path, files: dict[str, str]):
    for p, t in files.items():
        f = tmp_path / p
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(t)
    return local.read(Repo.open(tmp_path))


def _data_card(ev) -> dict[str, float]:
    return {e.path: e.confidence for e in [*ev.found_for("Data card").evidence, *ev.found_for("Data card").possible]}


def test_data_readmes_are_judged_by_their_content(tmp_path):
    ev = _tree(
        tmp_path,
        {
            "README.md": "# Dunlin\n",
            "data/README.md": "This directory documents the datasets we used for evaluation.\n\n## Clean speech\n\nthe test split\n",
            "datasheet.md": "# Dunlin Instructions\n\n## Motivation\n\nTo train Dunlin.\n\n## Composition\n\n52K instructions.\n",
            "pkg/data/README.md": "# Data pipelines\n\nThis package contains all data loading code.\n\n## Dataset description\n\nx\n",
            "pkg/data/__init__.py": "",
            "cache/hf_datasets/boolq/validation/dataset_info.json": "{}\n",
        },
    )
    got = _data_card(ev)
    assert got["datasheet.md"] >= FLOOR
    assert got["data/README.md"] < FLOOR
    assert got.get("pkg/data/README.md", 0) < FLOOR
    assert "cache/hf_datasets/boolq/validation/dataset_info.json" not in got


def test_tokenizers_fixtures_and_assets_are_not_their_look_alikes(tmp_path):
    ev = _tree(
        tmp_path,
        {
            "README.md": "# Whimbrel\n",
            "whimbrel/tokenizer.py": "x = 1\n",
            "scripts/prepare_corpus.py": "x = 1\n",
            "test_fixtures/tiny/model.pt": "x\n",
            "whimbrel/assets/prompts/en_0.npz": "x\n",
            "checkpoints/step-1000/model.safetensors": "x\n",
            "model.safetensors": "x\n",
        },
    )
    assert ev.found_for("Data preprocessing code").paths == ["scripts/prepare_corpus.py"]
    assert ev.found_for("Model parameters (Final)").paths == ["model.safetensors"]
    assert ev.found_for("Model parameters (Intermediate)").paths == ["checkpoints/step-1000/model.safetensors"]
