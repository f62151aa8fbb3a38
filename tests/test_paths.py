"""Path classification: candidate kinds for the file names seen in real model repositories, vendored
code, the pattern data format, and the speed-ups (needles, digit-blind cache) agreeing with brute force."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mofcheck.errors import ConfigError
from mofcheck.evidence.paths import (
    _name_hits,
    classify_paths,
    load_patterns,
    parse_patterns,
)
from mofcheck.repo import MODE_SUBMODULE, Repo, RepoFile

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from pattern_needles import needles, with_needles  # noqa: E402  (build time only: not in src/)


def files(*paths: str) -> list[RepoFile]:
    return [RepoFile(p) for p in paths]


# From /work/shared/reference/real-model-repos.md: (path, kind it must be a candidate for).
OBSERVED = [
    ("LICENSE", "license_file"),
    ("LICENSE.txt", "license_file"),  # grok-1, Llama-2 mirror
    ("LICENSE-CODE", "license_file"),  # DeepSeek-V3
    ("LICENSE-MODEL", "license_file"),
    ("MODEL_LICENSE", "license_file"),  # ChatGLM-6B, CodeGeeX2
    ("DATA_LICENSE", "license_file"),  # Alpaca
    ("WEIGHT_DIFF_LICENSE", "license_file"),
    ("Tongyi Qianwen LICENSE AGREEMENT", "license_file"),  # Qwen
    ("Tongyi Qianwen RESEARCH LICENSE AGREEMENT", "license_file"),
    ("COPYING", "license_file"),
    ("LICENSE.md", "license_file"),
    ("LICENCE", "license_file"),
    ("LICENSES/Apache-2.0.txt", "license_file"),  # REUSE
    ("USE_POLICY.md", "use_policy"),  # Llama
    ("USAGE_POLICY", "use_policy"),  # gpt-oss
    ("NOTICE", "notice"),  # Qwen, dolly, dbrx
    ("ACKNOWLEDGEMENTS", "notice"),  # corenet
    ("README.md", "readme"),
    ("README_CN.md", "readme"),
    ("MODEL_CARD.md", "model_card"),  # llama
    ("model-card.md", "model_card"),  # whisper, CLIP
    ("model_card.md", "model_card"),  # gpt-2, alpaca
    ("modelcard.md", "model_card"),  # Stability SD2
    ("Stable_Diffusion_v1_Model_Card.md", "model_card"),  # CompVis
    ("MODEL_CARD_dbrx_base.md", "model_card"),
    ("MODEL_CARD_dbrx_instruct.md", "model_card"),
    ("datasheet.md", "data_card"),  # alpaca
    ("data/README.md", "data_card"),  # whisper
    ("data/yfcc100m.md", "data_card"),  # CLIP
    ("text/data/smollm-corpus/README.md", "data_card"),  # smollm
    ("croissant.json", "croissant"),
    ("model-00001-of-00002.safetensors", "weights"),
    ("pytorch_model-00001-of-00003.bin", "weights"),
    ("consolidated.00.pth", "weights"),
    ("model.safetensors.index.json", "weights"),
    ("ggml-model-q4_0.gguf", "weights"),
    ("step1000/model.pt", "checkpoint"),
    ("checkpoint-500/config.json", "checkpoint"),
    ("ckpt_356.pt", "checkpoint"),
    ("config.json", "config"),
    ("generation_config.json", "config"),
    ("params.json", "config"),
    ("tokenizer.model", "tokenizer"),
    ("train.py", "training_code"),  # nanoGPT
    ("pretrain_gpt.py", "training_code"),  # Megatron
    ("finetune.py", "training_code"),
    ("finetune/finetune_ds.sh", "training_code"),  # Qwen (weak: a fine-tuning script for users)
    ("corenet/cli/main_train.py", "training_code"),
    ("configs/pythia-160m.yml", "training_code"),  # GPT-NeoX YAMLs
    ("generate.py", "inference_code"),
    ("sample.py", "inference_code"),
    ("scripts/txt2img.py", "inference_code"),  # CompVis
    ("whisper/transcribe.py", "inference_code"),
    ("cli_demo.py", "inference_code"),  # ChatGLM
    ("chat.py", "inference_code"),
    ("eval.py", "eval_code"),
    ("evals/run.py", "eval_code"),
    ("eval_utils/harness.py", "eval_code"),
    ("config/eval_gpt2.py", "eval_code"),  # nanoGPT
    ("notebooks/zero_shot_eval.ipynb", "eval_code"),
    ("EVAL.md", "eval_results"),  # TinyLlama
    ("evals/pythia-160m/zero-shot.json", "eval_results"),  # pythia
    ("results.json", "eval_results"),
    (".eval_results/mmlu.yaml", "eval_results"),
    ("olmo_data/hellaswag/val.jsonl", "eval_data"),  # OLMo
    ("scripts/eval/local_data/mmlu.jsonl", "eval_data"),  # llm-foundry
    ("prepare.py", "preprocessing_code"),
    ("data/shakespeare/prepare.py", "preprocessing_code"),
    ("make_data.py", "preprocessing_code"),
    ("tools/preprocess_data.py", "preprocessing_code"),
    ("generate_instruction.py", "preprocessing_code"),  # alpaca synthetic data
    ("tools/datasets/preprocess_data.py", "preprocessing_code"),  # GPT-NeoX
    ("text/pretraining/finemath-tokenize.py", "preprocessing_code"),  # smollm: tokenizing a corpus
    ("dedup/minhash.py", "preprocessing_code"),
    ("model.py", "architecture_code"),
    ("modeling_chatglm.py", "architecture_code"),
    ("models/llama/layers.py", "architecture_code"),
    ("mamba_ssm/modules/mamba_simple.py", "architecture_code"),
    ("requirements.txt", "requirements"),
    ("requirements-dev.txt", "requirements"),
    ("pyproject.toml", "requirements"),
    ("pyproject.toml", "pyproject"),
    ("setup.py", "requirements"),
    ("environment.yml", "requirements"),
    ("package.json", "package_json"),
    ("QWEN_TECHNICAL_REPORT.pdf", "paper"),
    ("CITATION.cff", "paper"),
    ("paper/main.tex", "paper"),
    ("refs.bib", "paper"),
    ("data/train.jsonl", "dataset"),
    ("datasets/wiki/part-00000.parquet", "dataset"),
    ("samples/cat.png", "sample_outputs"),
    ("outputs/generation.txt", "sample_outputs"),
    ("training_args.bin", "metadata"),
    ("optimizer.pt", "metadata"),
    ("sbom.spdx.json", "spdx_document"),
    ("model.spdx", "spdx_document"),
]

# (path, kind it must NOT be a candidate for)
NOT = [
    ("license_check.py", "license_file"),
    ("src/licenses.yaml", "license_file"),
    ("tests/fixtures/LICENSE", "license_file"),
    ("tests/test_train.py", "training_code"),
    ("src/trainable.py", "training_code"),
    ("generate_instruction.py", "inference_code"),
    ("generation_config.json", "sample_outputs"),
    ("eval.py", "training_code"),
    ("optimizer.pt", "weights"),
    ("model_card.py", "model_card"),
    ("src/utils.py", "architecture_code"),
    (".github/workflows/eval.yml", "eval_code"),
    ("README.md", "license_file"),
    ("notes.txt", "paper"),
    ("docs/usage.md", "use_policy"),
    # the traps of the labelled real repositories (docs/real-repositories.md)
    ("ptuning/main.py", "training_code"),  # ChatGLM: P-tuning for users
    ("ptuning/train.sh", "training_code"),
    ("examples/dpo.py", "training_code"),  # gemma: an example for users
    ("text/data/fineweb-edu/train_edu_bert.py", "training_code"),  # smollm: trains a data filter
    ("olmo_data/hf_datasets/boolq/none/validation/dataset_info.json", "data_card"),  # OLMo's benchmark cache
    ("olmo_data/hf_datasets/boolq/none/validation/data-00000-of-00001.arrow", "dataset"),
    ("RWKV-v7/mmlu_test_dataset/data-00000-of-00001.arrow", "dataset"),
    ("scripts/eval/local_data/world_knowledge/arc_easy.jsonl", "dataset"),  # llm-foundry
    ("olmo_data/tokenizers/allenai_dolma2.json", "eval_data"),
    ("whisper/normalizers/english.py", "preprocessing_code"),  # scores transcripts, prepares no training data
    ("whisper/tokenizer.py", "preprocessing_code"),
    ("hf_olmo/tokenization_olmo_fast.py", "preprocessing_code"),
    ("scripts/prepare_changelog.py", "preprocessing_code"),
    ("vision/data/create_evaluation_datasets/create_coco.py", "preprocessing_code"),
    ("test_fixtures/test-olmo-model/model.pt", "weights"),
    ("bark/assets/prompts/en_speaker_0.npz", "weights"),  # voice presets
    ("docker/Dockerfile.ci.nemo", "weights"),
    ("checkpoints/checkpoints.txt", "checkpoint"),
    ("ldm/models/diffusion/ddim.py", "architecture_code"),  # a sampler
    ("ldm/modules/losses/vqperceptual.py", "architecture_code"),
    ("dinov2/eval/segmentation/models/backbones/vision_transformer.py", "architecture_code"),
    ("gpt_oss/evals/chat_completions_sampler.py", "inference_code"),
    ("demo/configs/webpack/common.js", "inference_code"),
    ("skills/mcore-cicd/evals/evals.json", "eval_results"),
    ("gpt_oss/metal/benchmark/f32-random.cc", "eval_code"),
]


def test_observed_names_are_candidates():
    index = classify_paths(files(*dict.fromkeys(p for p, _ in OBSERVED + NOT)))
    missing = [(p, k, index.kinds_of(p)) for p, k in OBSERVED if k not in index.kinds_of(p)]
    assert missing == []
    wrong = [(p, k) for p, k in NOT if k in index.kinds_of(p)]
    assert wrong == []


def test_by_kind_orders_best_first_and_records_rules():
    index = classify_paths(files("docs/LICENSE-old.txt", "MODEL_LICENSE", "LICENSE", "src/LICENSE"))
    assert [f.path for f in index.by_kind("license_file")] == ["LICENSE", "docs/LICENSE-old.txt", "src/LICENSE", "MODEL_LICENSE"]
    first = index.matches("license_file")[0]
    assert (first.path, first.weight, first.rule) == ("LICENSE", 1.0, "license.name")
    assert index.by_kind("no-such-kind") == []


def test_vendored_directories_and_nested_projects():
    index = classify_paths(
        files(
            "LICENSE",
            "README.md",
            "train.py",
            "third_party/AutoGPTQ/LICENSE",
            "third_party/AutoGPTQ/train.py",
            "src/vendor/lib/x.py",
            "efficiency-pentathlon/LICENSE",  # OLMo: a nested project, no vendor/ dir name
            "efficiency-pentathlon/README.md",
            "efficiency-pentathlon/eval.py",
            "efficiency-pentathlon/sub/LICENSE",
            "efficiency-pentathlon/sub/README.md",
            "data/LICENSE",  # the release's own data license, not a nested project
            "data/README.md",
            "LICENSES/MIT.txt",
            "docs/README.md",
            "examples/LICENSE",  # a license without a README: not a project
        )
    )
    assert index.vendored_roots == ["efficiency-pentathlon", "src/vendor", "third_party"]
    assert index.is_vendored("third_party/AutoGPTQ/train.py")
    assert index.is_vendored("efficiency-pentathlon/sub/README.md")
    assert not index.is_vendored("data/LICENSE") and not index.is_vendored("third_party_notes.md")
    own = [f.path for f in index.by_kind("license_file")]
    assert own == ["LICENSE", "data/LICENSE", "examples/LICENSE", "LICENSES/MIT.txt"]
    assert "third_party/AutoGPTQ/LICENSE" in [f.path for f in index.by_kind("license_file", vendored=True)]
    assert [f.path for f in index.by_kind("training_code")] == ["train.py"]
    assert [f.path for f in index.by_kind("eval_code")] == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_submodules_are_vendored(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    (root / "LICENSE").write_text("MIT\n")
    subprocess.run(["git", "init", "-q"], cwd=root, env=env, check=True)
    subprocess.run(["git", "add", "LICENSE"], cwd=root, env=env, check=True)
    sha = "1234567890abcdef1234567890abcdef12345678"
    subprocess.run(["git", "update-index", "--add", "--cacheinfo", f"160000,{sha},external-lib"], cwd=root, env=env, check=True)
    repo = Repo.open(root)
    assert repo.get("external-lib").mode == MODE_SUBMODULE
    index = classify_paths(repo.files)
    assert index.vendored_roots == ["external-lib"]
    assert repo.read_text("external-lib").error is not None


def test_gitmodules_paths_are_vendored_in_a_walk(tmp_path: Path):
    root = tmp_path / "r"
    for p in ("LICENSE", "libs/megatron/LICENSE", "libs/megatron/train.py", "train.py"):
        (root / p).parent.mkdir(parents=True, exist_ok=True)
        (root / p).write_text("x\n")
    (root / ".gitmodules").write_text('[submodule "megatron"]\n\tpath = libs/megatron\n\turl = https://x/y.git\n[submodule "evil"]\n\tpath = ../outside\n')
    index = classify_paths(Repo.open(root).files)
    assert index.vendored_roots == ["libs/megatron"]
    assert [f.path for f in index.by_kind("training_code")] == ["train.py"]


def test_real_listing_end_to_end(tmp_path: Path):
    root = tmp_path / "r"
    for p in ("LICENSE", "MODEL_CARD.md", "train.py", "node_modules/x/LICENSE", "third_party/y/LICENSE"):
        (root / p).parent.mkdir(parents=True, exist_ok=True)
        (root / p).write_text("x\n")
    index = classify_paths(Repo.open(root).files)
    assert [f.path for f in index.by_kind("license_file")] == ["LICENSE"]
    assert [f.path for f in index.by_kind("model_card")] == ["MODEL_CARD.md"]


# ------------------------------------------------------------------- the data format


def test_custom_patterns_macros_globs_excludes_and_errors(tmp_path: Path):
    doc = {
        "macros": {"ext": "md|txt"},
        "vendored": {"dir_names": "deps"},
        "kinds": {
            "notes": {
                "rules": [
                    {"id": "notes.name", "name": "notes?\\.(${ext})", "weight": 0.7},
                    {"glob": "docs/**/*.rst", "weight": 0.4},
                    {"dir": "(.*/)?journal(/.*)?"},
                ],
                "exclude": [{"name": "draft.*"}],
            },
            "Case": {"rules": [{"name": "ABC", "case": True}]},
        },
    }
    pat = parse_patterns(doc)
    index = classify_paths(
        files("notes.md", "a/NOTE.txt", "docs/x/y.rst", "journal/draft-1.md", "journal/day.bin", "deps/notes.md", "ABC", "abc"),
        pat,
    )
    assert index.kinds_of("notes.md") == {"notes": 0.7}
    assert index.kinds_of("a/NOTE.txt") == {"notes": 0.7}
    assert index.kinds_of("docs/x/y.rst") == {"notes": 0.4}
    assert index.kinds_of("journal/day.bin") == {"notes": 1.0}
    assert index.kinds_of("journal/draft-1.md") == {}
    assert index.is_vendored("deps/notes.md") and index.by_kind("notes") == index.by_kind("notes", vendored=False)
    assert index.kinds_of("ABC") == {"Case": 1.0} and index.kinds_of("abc") == {}

    with pytest.raises(ConfigError, match="bad regex"):
        parse_patterns({"kinds": {"k": {"rules": [{"name": "("}]}}})
    with pytest.raises(ConfigError, match="unknown macro"):
        parse_patterns({"kinds": {"k": {"rules": [{"name": "${nope}"}]}}})
    with pytest.raises(ConfigError, match="needs name, dir, path or glob"):
        parse_patterns({"kinds": {"k": {"rules": [{"weight": 1}]}}})
    with pytest.raises(ConfigError, match="weight"):
        parse_patterns({"kinds": {"k": {"rules": [{"name": "x", "weight": 2}]}}})

    tuned = tmp_path / "patterns.yaml"
    tuned.write_text("kinds:\n  k:\n    rules:\n      - name: 'x\\.md'\n")
    assert load_patterns(tuned) is load_patterns(tuned)
    assert classify_paths(files("x.md"), tuned).kinds_of("x.md") == {"k": 1.0}
    assert load_patterns() is load_patterns()


# ------------------------------------------------------------------- the speed-ups agree with brute force


def _corpus() -> list[str]:
    rng = random.Random(7)
    words = sorted(
        {w for p, _ in OBSERVED + NOT for w in p.replace("/", " ").replace(".", " ").replace("_", " ").replace("-", " ").split()}
        | {"pretraining", "finetuning", "evaluation", "step", "epoch", "shard", "mp3", "img", "txt2img", "croissant"}
    )
    exts = ["", ".py", ".md", ".txt", ".json", ".jsonl", ".yaml", ".pdf", ".bin", ".safetensors", ".gz", ".mp3", ".ipynb"]
    seps = ["", "_", "-", ".", " "]
    names = [p.rpartition("/")[2] for p, _ in OBSERVED + NOT]
    for _ in range(3000):
        k = rng.randint(1, 3)
        parts = [rng.choice(words) for _ in range(k)]
        if rng.random() < 0.3:
            parts.append(str(rng.randint(0, 99999)).zfill(rng.choice([1, 5])))
        name = rng.choice(seps).join(parts) + rng.choice(exts)
        names.append(name.upper() if rng.random() < 0.1 else name)
    return names


def test_needle_gating_matches_brute_force():
    pat = load_patterns()
    for name in _corpus():
        brute = tuple(i for i, r in enumerate(pat.name_rules) if r.name.fullmatch(name))
        assert _name_hits(pat, name)[0] == brute, name


def test_needles_are_literals_every_match_contains():
    pat = load_patterns()
    for r in pat.name_rules:
        ns = needles(r.name)
        assert ns is None or all(len(n) >= 2 for n in ns), r.id
    import re

    assert needles(re.compile("(un)?licen[cs]e", re.I)) == {"licence", "license"}
    assert needles(re.compile(r".*\.(pt|pth)")) == {".pt", ".pth"}
    assert needles(re.compile(r"[^/]+")) is None


def test_digit_blind_cache_changes_nothing():
    blind = load_patterns()
    exact = parse_patterns_copy(digit_blind=False)
    paths = [f"d{i % 3}/{name}" for i, name in enumerate(_corpus())]
    paths += ["txt2img.py", "model-00001-of-00002.safetensors", "step1000.pt", "song.mp3", "x.spdx3.json", "h5/a.h5"]
    a = classify_paths(files(*paths), blind)
    b = classify_paths(files(*paths), exact)
    for p in paths:
        assert a.kinds_of(p) == b.kinds_of(p), p


def parse_patterns_copy(needled=True, **overrides):
    """A private copy of the packaged patterns, with the needles the build adds (or, with `needled`
    false, without: a tuned patterns file)."""
    from importlib import resources

    from ruamel.yaml import YAML

    from mofcheck.evidence.pathdata import expand_patterns
    from mofcheck.evidence.pathmatch import build_patterns

    text = resources.files("mofcheck.data").joinpath("evidence").joinpath("patterns.yaml").read_text("utf-8")
    data = YAML(typ="safe").load(text)
    data.update(overrides)
    if not needled:
        return parse_patterns(data)
    return build_patterns(with_needles(expand_patterns(data)))


def test_every_kind_in_the_brief_is_defined():
    kinds = set(load_patterns().kinds)
    wanted = set(
        "license_file use_policy notice readme model_card data_card croissant weights checkpoint config"
        " training_code inference_code eval_code preprocessing_code architecture_code requirements paper"
        " eval_results eval_data dataset sample_outputs metadata spdx_document pyproject package_json".split()
    )
    assert wanted <= kinds


def test_large_listing_in_one_pass():
    # Not a timing assertion (shared CI machines vary); bench/bench_listing.py measures.
    words = ["attention", "router", "train", "eval", "data", "model", "utils", "prepare"]
    paths = [f"src/{a}/{b}_{c}_{i}.py" for i, (a, b, c) in enumerate(itertools.product(words, words, words))]
    paths += [f"data/shard/part-{i:05d}.jsonl" for i in range(5000)]
    index = classify_paths(files(*paths))
    assert len(index.by_kind("dataset")) == 5000
    assert all(f.path.startswith("src/") for f in index.by_kind("training_code"))


# ------------------------------------------------------------------- the packaged patterns in the data cache


def test_cached_patterns_are_the_expanded_yaml_with_needles():
    """The `evidence/patterns` entry of data/yaml-cache.tsv is patterns.yaml expanded, plus the needles the
    build adds; after editing the YAML run scripts/build_data_cache.py."""
    from mofcheck import datacache
    from mofcheck.evidence.pathdata import KEY, expand_patterns, load_yaml

    current, shipped = datacache.stored(KEY)
    assert current, "stale: run scripts/build_data_cache.py"
    text = (ROOT / "src" / "mofcheck" / "data" / "evidence" / "patterns.yaml").read_text("utf-8")
    assert shipped == with_needles(expand_patterns(load_yaml(text))), "stale: run scripts/build_data_cache.py"
    license_rx = next(r["name"][0] for r in shipped["rules"] if r["kind"] == "license_file" and r["name"])
    assert shipped["needles"][license_rx] == ["licence", "license"]
    assert sum(bool(ns) for ns in shipped["needles"].values()) > len(shipped["needles"]) // 2  # most have needles
    assert any(shipped["dir_needles"].values())


def test_a_stale_patterns_entry_is_ignored_and_the_yaml_used(monkeypatch):
    """patterns.yaml edited since the cache was built: its entry is not used; the YAML is expanded at
    runtime, without needles (every regex tried), and classifies every path the same."""
    from mofcheck import datacache
    from mofcheck.evidence import pathdata

    cached = load_patterns()
    assert cached.name_gate.keyed  # the cache's needles are in use
    real = datacache.checksum
    monkeypatch.setattr(datacache, "checksum", lambda raw: real(raw) + 1)  # as if patterns.yaml had been edited
    parsed = []
    yaml = pathdata.load_yaml
    monkeypatch.setattr(pathdata, "load_yaml", lambda text: parsed.append(1) or yaml(text))
    pathdata._load_cached.cache_clear()
    try:
        stale = load_patterns()
        assert parsed  # the YAML was read, not the cache
        assert stale is not cached and not stale.name_gate.keyed and not stale.dir_gate.keyed  # no needles
        paths = [f"d{i % 3}/{name}" for i, name in enumerate(_corpus())] + [p for p, _ in OBSERVED + NOT]
        a, b = classify_paths(files(*paths), cached), classify_paths(files(*paths), stale)
        assert [a.kinds_of(p) for p in paths] == [b.kinds_of(p) for p in paths]
    finally:
        pathdata._load_cached.cache_clear()  # the next test loads the cached patterns again


def test_cached_patterns_equal_the_yaml_compiled_ones():
    cached = load_patterns()
    fresh = parse_patterns_copy()
    assert [(r.kind, r.id, r.weight, r.name, r.dir, r.path) for r in cached.rules] == [(r.kind, r.id, r.weight, r.name, r.dir, r.path) for r in fresh.rules]
    assert cached.name_gate.always == fresh.name_gate.always and cached.name_gate.keyed == fresh.name_gate.keyed
    assert cached.dir_gate.keyed == fresh.dir_gate.keyed and cached.dir_tests == fresh.dir_tests
    paths = [f"d{i % 3}/{name}" for i, name in enumerate(_corpus())] + [p for p, _ in OBSERVED + NOT]
    a, b = classify_paths(files(*paths), cached), classify_paths(files(*paths), fresh)
    for p in paths:
        assert a.kinds_of(p) == b.kinds_of(p), p


def test_regexes_compile_only_when_used():
    pat = parse_patterns_copy()  # a private copy: nothing run yet
    assert not any("fullmatch" in vars(rx) for rx in pat.name_tests + pat.dir_tests)
    classify_paths(files("LICENSE"), pat)
    used = sum("fullmatch" in vars(rx) for rx in pat.name_tests)
    assert 0 < used < len(pat.name_tests) // 2
    assert classify_paths(files("LICENSE"), pat).kinds_of("LICENSE") == {"license_file": 1.0}


def test_compile_all_compiles_every_regex_once():
    pat = parse_patterns_copy()
    assert pat.compile_all() > 100
    assert pat.compile_all() == 0
    assert all("fullmatch" in vars(rx) for rx in pat.name_tests + pat.dir_tests)


def test_needle_gate_and_no_needles_agree_with_brute_force():
    gated, plain = parse_patterns_copy(), parse_patterns_copy(needled=False)
    assert plain.name_gate.always == frozenset(range(len(plain.name_tests)))  # a tuned file: every regex tried
    for name in _corpus():
        brute = tuple(i for i, r in enumerate(gated.name_rules) if r.name.fullmatch(name))
        assert _name_hits(gated, name)[0] == brute == _name_hits(plain, name)[0], name


def test_dir_needle_gating_matches_brute_force():
    from mofcheck.evidence.paths import _dir_facts

    pat = parse_patterns_copy()  # every directory below goes through the needle gate
    assert pat.dir_gate.keyed and pat.dir_gate.always and len(pat.dir_gate.always) < len(pat.dir_tests)
    dirs = {p.rpartition("/")[0] for p, _ in OBSERVED + NOT} | {"", "Data", "EVAL/local_data", "a/.GitHub/x", "tests", "x/Checkpoints/step-10"}
    rng = random.Random(3)
    words = sorted({w for d in dirs for w in d.split("/") if w})
    dirs |= {"/".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(2000)}
    for d in sorted(dirs):
        facts = _dir_facts(d, pat)
        hit = [rx.fullmatch(d) is not None for rx in pat.dir_tests]
        assert facts.ignored == any(hit[t] for t in pat.ignore_dir_tests), d
        if not facts.ignored:
            assert facts.dir_ok == frozenset(i for i, t in pat.name_rule_dirs if hit[t]), d
            assert facts.dir_only == [r for r, t in pat.dir_only_rules if hit[t]], d
            assert facts.excluded == frozenset(k for k, t in pat.dir_excludes if hit[t]), d


def test_vendored_is_decided_per_folder_like_walking_every_ancestor():
    """PathIndex.is_vendored caches each folder's answer; it must answer as a walk up every ancestor does,
    in any order of asking, and without recursion on a path thousands of folders deep."""
    import random

    from mofcheck.evidence.paths import PathIndex

    roots = ["vendor/lib", "a/b", "third_party"]

    def walk(path):
        p = path.rstrip("/")
        while p:
            if p in roots:
                return True
            p = p.rpartition("/")[0]
        return False

    rnd = random.Random(3)
    parts = ["vendor", "lib", "a", "b", "third_party", "x", "libx"]
    paths = ["/".join(rnd.choice(parts) for _ in range(rnd.randint(1, 6))) + rnd.choice(["", "/", "/f.py"]) for _ in range(2000)]
    paths += ["/".join(["x"] * 5000) + "/f.py", "vendor/lib/" + "/".join(["y"] * 5000), "vendor/lib/"]
    idx = PathIndex([], {}, roots)
    assert [idx.is_vendored(p) for p in paths] == [walk(p) for p in paths]
