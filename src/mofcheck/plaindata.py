"""Parsed YAML / TOML as plain JSON data (what the JSON Schemas and the reports take)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def jsonable(value: Any) -> Any:
    """Dates and datetimes become ISO strings; dicts and lists are copied; the rest is kept."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
