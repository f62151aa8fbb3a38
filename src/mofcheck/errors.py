"""Errors that end a run with exit code 2 and a one-line message, never a traceback."""

from __future__ import annotations


class MofcheckError(Exception):
    """A usage, configuration or input error. `str()` is the whole message for the user."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"


class ManifestError(MofcheckError):
    """A manifest that cannot be used: YAML syntax, schema, unknown or duplicate components."""


class ConfigError(MofcheckError):
    """A broken .mofcheck.toml or [tool.mofcheck] table."""
