"""The JSON report: Report.to_dict() as is, versioned by `schema_version` (data/schemas/report.schema.json)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from .. import data


def render(report: dict[str, Any], **_: Any) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(data.text("schemas/report.schema.json"))
