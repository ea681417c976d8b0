"""Making text from inputs safe to show: control characters written out as visible escapes.

Names in an inventory (or an nmap file, or an error message quoting them) can hold terminal escape
sequences (ESC), NUL, line breaks that fake a new log line (`\n::error ...` in a CI log), or bidirectional
overrides (U+202E) that make text read differently from what it is. Every output shows them as `\x1b`,
`\n`, `\u202e` instead; tab stays. XML and SVG outputs use the same escapes, so the files stay well-formed.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
"""C0 and C1 controls (not tab), DEL, bidirectional marks and overrides, line/paragraph separators, BOM."""

_NAMED = {"\n": "\\n", "\r": "\\r"}


def _visible(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str, keep: str = "") -> str:
    """`text` with every control character (except tab and those in `keep`) written as a visible escape."""
    if not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub(lambda m: m.group() if m.group() in keep else _visible(m.group()), text)


def control_characters(text: str, allowed: str = "\n") -> list[str]:
    """The control characters of `text` (besides tab and `allowed`), as visible escapes, in order, once each."""
    return list(dict.fromkeys(_visible(c) for c in CONTROL_CHARACTERS.findall(text) if c not in allowed))


MAX_QUOTED = 80
"""Characters of an input value quoted in a message; longer values are cut and their length given."""


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """`value` as quoted in messages: `repr` of at most `limit` characters, with the full length when cut."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(value) if isinstance(value, str) else text
    return f"{text[:limit]!r}... ({len(text):,} characters)"
