"""Remote code, privacy documentation, the Hub's scan status, and the release-safety section in every
report format (JSON against its schema, text, Markdown, SARIF rules and results, GitHub annotations,
--fail-on)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mofcheck.evidence.cards import parse_card
from mofcheck.repo import Repo
from mofcheck.report.json import schema as report_schema
from mofcheck.safety import from_hub, scan
from mofcheck.safety import privacy as privacy_mod

from . import pickles as P
from .conftest import MIT_TEXT

VALIDATOR = jsonschema.Draft202012Validator(report_schema())


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, body in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body if isinstance(body, bytes) else body.encode())
    return root


def cards_of(root: Path, *paths: str):
    return [parse_card((root / p).read_text(), p) for p in paths]


# --------------------------------------------------------------------------------------- remote code

AUTO_MAP = json.dumps(
    {
        "architectures": ["TernForCausalLM"],
        "auto_map": {
            "AutoConfig": "configuration_tern.TernConfig",
            "AutoModelForCausalLM": "modeling_tern.TernForCausalLM",
            "AutoTokenizer": ["other-org/tern-tokenizer--tokenization_tern.TernTokenizer", None],
        },
    },
    indent=2,
)


def test_auto_map_names_the_files_and_repositories(tmp_path):
    write(tmp_path, {"config.json": AUTO_MAP, "configuration_tern.py": "x = 1\n", "modeling_tern.py": "x = 1\n"})
    res = scan(Repo.open(tmp_path))
    (rc,) = res.remote_code
    assert (rc.path, rc.line, rc.via) == ("config.json", 5, "auto_map")
    assert rc.files == ["configuration_tern.py", "modeling_tern.py"] and rc.repos == ["other-org/tern-tokenizer"]
    (f,) = [f for f in res.findings if f.code == "security.remote-code"]
    assert f.severity == "warning" and "modeling_tern.py" in f.message and "other-org/tern-tokenizer" in f.message


def test_auto_map_module_missing_from_the_repository(tmp_path):
    write(tmp_path, {"sub/config.json": json.dumps({"auto_map": {"AutoModel": "modeling_gone.M"}})})
    (rc,) = scan(Repo.open(tmp_path)).remote_code
    assert rc.missing == ["modeling_gone"] and rc.files == []


def test_readme_usage_with_trust_remote_code(tmp_path):
    readme = '# Lark\n\n```python\nmodel = AutoModel.from_pretrained(\n    "org/lark-6b",\n    trust_remote_code=True,\n)\n```\n'
    write(tmp_path, {"README.md": readme, "modeling_lark.py": "x = 1\n"})
    res = scan(Repo.open(tmp_path), cards=cards_of(tmp_path, "README.md"))
    (rc,) = res.remote_code
    assert (rc.path, rc.line, rc.via, rc.repos, rc.files) == ("README.md", 6, "usage", ["org/lark-6b"], ["modeling_lark.py"])


def test_no_remote_code(tmp_path):
    write(tmp_path, {"config.json": json.dumps({"architectures": ["LlamaForCausalLM"]}), "README.md": "# x\n\ntrust_remote_code=False\n"})
    assert scan(Repo.open(tmp_path), cards=cards_of(tmp_path, "README.md")).remote_code == []


def test_hostile_config_json(tmp_path):
    write(tmp_path, {"config.json": '{"auto_map": ' * 5000 + "1" + "}" * 5000, "a/config.json": '{"auto_map": {"A": ["x" , {"y": 3}]}}'})
    assert scan(Repo.open(tmp_path)).remote_code == []  # too deep for json, or no module names: nothing, no crash


# --------------------------------------------------------------------------------------- privacy

DATA_CARD_STUB = """---
pretty_name: Web corpus
task_categories: [text-generation]
---
# Web corpus

## Dataset Description

Text crawled from the web in 2024.

### Personal and Sensitive Information

[More Information Needed]
"""


def test_data_card_stub_section_does_not_count(tmp_path):
    write(tmp_path, {"DATA_CARD.md": DATA_CARD_STUB})
    p = privacy_mod.check(cards_of(tmp_path, "DATA_CARD.md"))
    assert p.status == "undocumented" and p.documents[0]["path"] == "DATA_CARD.md"
    (f,) = p.findings()
    assert f.code == "privacy.undocumented" and f.path == "DATA_CARD.md"


def test_data_card_that_documents_pii(tmp_path):
    text = DATA_CARD_STUB.replace("[More Information Needed]", "Emails and phone numbers were removed with regexes; site owners can opt out.")
    write(tmp_path, {"DATA_CARD.md": text})
    p = privacy_mod.check(cards_of(tmp_path, "DATA_CARD.md"))
    assert p.status == "documented" and "opt out" in p.documents[0]["terms"] and p.findings() == []


def test_model_card_training_data_section(tmp_path):
    card = "---\nlicense: mit\n---\n# M\n\n## Training Data\n\nPublic web text. PII was filtered before training.\n\n## Limitations\n\nPrivacy is not discussed here.\n"
    write(tmp_path, {"README.md": card})
    p = privacy_mod.check(cards_of(tmp_path, "README.md"))
    assert p.status == "documented" and p.documents[0]["line"] == 8 and p.documents[0]["terms"] == ["pii"]
    # only the training-data section counts in a model card: the word in Limitations alone is not enough
    write(tmp_path, {"README.md": card.replace("PII was filtered before training.", "")})
    assert privacy_mod.check(cards_of(tmp_path, "README.md")).status == "undocumented"


def test_no_data_documentation_is_said_once(tmp_path):
    write(tmp_path, {"README.md": "# Tool\n\nA library.\n", "LICENSE": "MIT License\n\n" + MIT_TEXT})
    res = scan(Repo.open(tmp_path), cards=cards_of(tmp_path, "README.md"))
    assert [f.code for f in res.findings] == ["privacy.not-checked"]


# --------------------------------------------------------------------------------------- the Hub


def test_from_hub_statuses():
    entries = [
        (
            "pytorch_model.bin",
            {
                "status": "unsafe",
                "pickleImportScan": {
                    "highestSafetyLevel": "dangerous",
                    "imports": [{"module": "os", "name": "system", "safety": "dangerous"}, {"module": "torch", "name": "FloatStorage", "safety": "innocuous"}],
                },
            },
        ),
        (
            "training_args.bin",
            {
                "status": "caution",
                "pickle_import_scan": {"imports": [{"module": "transformers.training_args", "name": "TrainingArguments", "safety": "suspicious"}]},
            },
        ),
        ("adapter_model.bin", "safe"),
        ("model-00001-of-00002.bin", None),
        ("model.safetensors", None),
        ("diffusion_pytorch_model.bin", "safe"),
        ("diffusion_pytorch_model.safetensors", None),
        ("evil.onnx", {"status": "unsafe"}),
        ("README.md", None),
    ]
    res = from_hub(entries)
    codes = sorted((f.code, f.path, f.severity) for f in res.findings)
    assert codes == sorted(
        [
            ("security.unsafe-pickle", "pytorch_model.bin", "error"),
            ("security.pickle-unknown-import", "training_args.bin", "warning"),
            ("security.pickle-weights", "adapter_model.bin", "warning"),
            ("security.pickle-not-scanned", "model-00001-of-00002.bin", "info"),
            ("security.hub-unsafe", "evil.onnx", "error"),
        ]
    )
    by = {f.path: f for f in res.files}
    assert by["pytorch_model.bin"].dangerous == ["os.system"] and by["pytorch_model.bin"].source == "hub"
    assert by["diffusion_pytorch_model.bin"].safetensors_copy == "diffusion_pytorch_model.safetensors"


def test_from_hub_accepts_the_client_objects():
    from dataclasses import dataclass

    @dataclass
    class BlobSecurityInfo:  # the shape of huggingface_hub.hf_api.BlobSecurityInfo
        safe: bool
        status: str
        av_scan: dict | None
        pickle_import_scan: dict | None

    res = from_hub(
        [
            (
                "m.pt",
                BlobSecurityInfo(
                    False, "unsafe", None, {"highest_safety_level": "dangerous", "imports": [{"module": "builtins", "name": "exec", "safety": "dangerous"}]}
                ),
            )
        ]
    )
    assert [(f.code, f.path) for f in res.findings] == [("security.unsafe-pickle", "m.pt")]


# --------------------------------------------------------------------------------------- reports


@pytest.fixture
def release(tmp_path):
    ts = P.tensors(3, 192)
    write(
        tmp_path,
        {
            "LICENSE": "MIT License\n\n" + MIT_TEXT,
            "README.md": "---\nlicense: mit\n---\n# Tern\n\n## Training Data\n\nWeb text.\n\n## Uses\n\nChat.\n\n## Limitations\n\nMany.\n",
            "config.json": AUTO_MAP,
            "modeling_tern.py": "x = 1\n",
            "configuration_tern.py": "x = 1\n",
        },
    )
    P.torch_zip(tmp_path / "pytorch_model.bin", ts, pkl=P.state_dict_pickle(ts, extra=P.inline(P.os_system("true"))))
    (tmp_path / "clean").mkdir()
    P.torch_zip(tmp_path / "clean" / "pytorch_model.bin", ts)
    return tmp_path


def test_json_report_carries_the_safety_results(cli, release):
    run = cli("check", str(release), "--no-config", "--format", "json")
    report = json.loads(run.out)
    errors = sorted(VALIDATOR.iter_errors(report), key=str)
    assert not errors, errors[0]
    s = report["safety"]
    assert s["summary"] == {"pickle_files": 2, "unsafe": 1, "unverified": 0, "not_scanned": 0, "remote_code": 1, "privacy": "undocumented"}
    assert s["scanner"]["name"] == "picklescan"
    evil = next(f for f in s["pickle_files"] if f["path"] == "pytorch_model.bin")
    assert {"module": "posix" if __import__("os").name == "posix" else "nt", "name": "system", "verdict": "dangerous"} in evil["imports"]
    codes = {(f["code"], f["path"]) for f in report["findings"]}
    assert {
        ("security.unsafe-pickle", "pytorch_model.bin"),
        ("security.pickle-weights", "clean/pytorch_model.bin"),
        ("security.remote-code", "config.json"),
        ("privacy.undocumented", "README.md"),
    } <= codes


def test_text_and_markdown_sections(cli, release):
    text = cli("check", str(release), "--no-config", "--format", "text").out
    assert "release safety: 2 pickle files: 1 unsafe" in text and "UNSAFE: imports" in text and "remote code: config.json" in text
    md = cli("check", str(release), "--no-config", "--format", "markdown").out
    assert "### Release safety" in md and "| ❌ | pytorch\\_model.bin | torch-zip | UNSAFE: imports" in md
    assert "**Privacy:** not documented" in md


def test_sarif_rule_and_github_annotation_at_the_file(cli, release):
    sarif = json.loads(cli("check", str(release), "--no-config", "--format", "sarif").out)
    run = sarif["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "security.unsafe-pickle")
    assert rule["defaultConfiguration"]["level"] == "error"
    res = next(r for r in run["results"] if r["ruleId"] == "security.unsafe-pickle")
    assert res["level"] == "error" and res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("pytorch_model.bin")
    gh = cli("check", str(release), "--no-config", "--format", "github").out
    assert any(line.startswith("::error file=") and "pytorch_model.bin" in line and "security.unsafe-pickle" in line for line in gh.splitlines())


def test_fail_on_selectors(cli, release):
    assert cli("check", str(release), "--no-config", "--format", "json").code == 1  # default: errors fail
    assert cli("check", str(release), "--no-config", "--format", "json", "--fail-on", "none").code == 0
    assert cli("check", str(release), "--no-config", "--format", "json", "--fail-on", "security.unsafe-pickle").code == 1
    assert cli("check", str(release), "--no-config", "--format", "json", "--fail-on", "security").code == 1
    (release / "pytorch_model.bin").unlink()
    assert cli("check", str(release), "--no-config", "--format", "json", "--fail-on", "security.unsafe-pickle").code == 0


def test_mot_mode_reads_no_repository(cli, release):
    report = json.loads(cli("check", str(release), "--no-config", "--format", "json", "--mode", "mot").out)
    assert "safety" not in report
