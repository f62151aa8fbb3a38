"""Making untrusted text (file names, license titles, card text) inert for each output channel."""

from __future__ import annotations

import re

# C0 controls except TAB, DEL, C1 controls, and Unicode bidi / zero-width / line-separator characters that
# can reorder or hide text in a terminal or in GitHub's UI.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]")


def _visible(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object, limit: int = 500) -> str:
    """One line, no control characters or escape sequences, bounded in length."""
    s = _CONTROL.sub(_visible, str(text))
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s
