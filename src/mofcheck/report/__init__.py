"""Output formats. Each module has `render(report: dict, **options) -> str` over the JSON report dict."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# format name -> module under mofcheck.report (imported only when used)
FORMATS = {
    "text": "text",
    "json": "json",
    "markdown": "markdown",
    "github": "github",
    "sarif": "sarif",
    "lines": "lines",
}


def renderer(fmt: str) -> Callable[..., str]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").render


def render(fmt: str, report: dict[str, Any], **options: Any) -> str:
    return renderer(fmt)(report, **options)
