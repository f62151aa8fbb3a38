"""Regexes that stall: the two quadratic patterns found in round 2, end to end through a real `mofcheck check`
subprocess at the read cap, and the semantics their fixes keep. The sweep over every pattern that meets
untrusted text is in tests/test_hostile_patterns.py."""

from __future__ import annotations

import pytest

from mofcheck.evidence.licensefiles import LICENSE_READ_LIMIT, spdx_header
from mofcheck.licenses.identify import identify_text
from mofcheck.licenses.normalize import normalize

from .hostile_trees import manifest_text, write
from .test_hostile_size import WALL, measured_check
from .test_identify import CORPUS


def test_spdx_header_with_a_long_run_of_spaces_does_not_stall(tmp_path):
    # A REUSE sidecar at the license read cap: a word, 256 KiB of spaces, a word. Quadratic before the fix
    # (40 KB took 26 s, 256 KiB more than 10 minutes).
    root = tmp_path / "repo"
    write(root, "mof.yml", manifest_text())
    write(root, "model.safetensors", b"\x00" * 64)
    filler = LICENSE_READ_LIMIT - 40
    write(root, "model.safetensors.license", "SPDX-License-Identifier: a" + " " * filler + "b\n")
    write(root, "train.py", "# SPDX-License-Identifier: MIT" + " " * 4000 + "x\n")  # a code header at its cap
    m = measured_check(root, timeout=3 * WALL)
    assert m.seconds < WALL, f"took {m.seconds:.1f} s"
    assert m.code == 0


def test_markdown_links_in_a_license_text_do_not_stall(tmp_path):
    root = tmp_path / "repo"
    write(root, "mof.yml", manifest_text())
    write(root, "LICENSE", "[a](" * (LICENSE_READ_LIMIT // 4))
    write(root, "LICENSE.md", "[" * LICENSE_READ_LIMIT)
    m = measured_check(root, timeout=3 * WALL)
    assert m.seconds < WALL, f"took {m.seconds:.1f} s"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# SPDX-License-Identifier: MIT\n", "MIT"),
        ("/* SPDX-License-Identifier: Apache-2.0 OR MIT */\nint x;\n", "Apache-2.0 OR MIT"),
        ("<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n# Card\n", "CC-BY-4.0"),
        ("{# SPDX-License-Identifier: MIT #}\n", "MIT"),
        ("// SPDX-License-Identifier:\tGPL-2.0-only WITH Linux-syscall-note   \r\n", "GPL-2.0-only WITH Linux-syscall-note"),
        ("x\n * SPDX-License-Identifier: BSD-3-Clause\n */\n", "BSD-3-Clause"),
        # an empty header is no header: the next line is not its value (the old pattern took `import os`)
        ("# SPDX-License-Identifier:\nimport os\n# SPDX-License-Identifier: MIT\n", "MIT"),
        ("SPDX-License-Identifier: MIT * not a comment end\n", None),
        ("SPDX-License-Identifier: a" + " " * 100 + "b", "a" + " " * 100 + "b"),
        ("no header here\n", None),
    ],
)
def test_spdx_header_values(text, value):
    found = spdx_header(text)
    assert (found[0] if found else None) == value
    if found:
        assert text[found[1] :].startswith("SPDX-License-Identifier:")


def test_markdown_links_are_still_unwrapped_in_license_texts():
    plain = normalize("Licensed under the [MIT License](https://opensource.org/licenses/MIT).\n").tokens
    linked = normalize("Licensed under the MIT License.\n").tokens
    assert plain == linked
    titled = normalize('See [the terms](https://example.org/terms "Terms") here.\n').tokens
    assert titled == normalize("See the terms here.\n").tokens
    # A link with no text keeps its target: in the compared words when it is in the body ...
    bare = normalize("MIT License\n\nPermission is granted. See [](https://example.org/terms) here.\n").tokens
    assert "http.example.org.terms" in bare
    # ... and in the words cut as the title when the text is one short line (read as a title, still judged)
    short = normalize("See [](https://example.org/terms) here.\n")
    assert "example.org" in " ".join(short.cut + short.tokens)
    # A license written in Markdown, its title a link, is still recognised.
    text = (CORPUS / "generated" / "shape-mit-markdown.md").read_text("utf-8")
    assert text.startswith("# MIT License\n")
    linked = text.replace("# MIT License", "# [MIT License](https://opensource.org/licenses/MIT)", 1)
    assert identify_text(linked).license == "MIT"


def test_a_bold_label_followed_by_spaces_in_a_card_does_not_stall(tmp_path):
    # Found by the pattern sweep: `**` and a run of spaces on one card line backtracked cubically
    # (2,000 spaces took 7 s); a card is read up to 1 MiB.
    root = tmp_path / "repo"
    write(root, "mof.yml", manifest_text())
    write(root, "MODEL_CARD.md", "# Card\n\n## Model details\n\n**" + " " * 200_000 + "x\n\n**License:** MIT\n")
    m = measured_check(root, timeout=3 * WALL)
    assert m.seconds < WALL, f"took {m.seconds:.1f} s"
