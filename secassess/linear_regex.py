"""Regular expressions written by users (province checklists), matched in linear time: the only module that
imports google-re2.

Python's `re` backtracks, so a pattern such as `^(a|a)+$` or `^(\\w+\\s?)+$` runs for hours on a 45-character
name, and no static test recognises every such pattern. RE2 matches in time linear in the text, whatever the
pattern. Its syntax is Python's without back-references and look-around. To keep Python's meaning on
Vietnamese text, the Perl classes `\\w \\d \\s` (ASCII-only in RE2) are rewritten to their Unicode forms and
`\\Z` to `\\z`; `\\b` and `\\B` (ASCII-only in RE2, with no Unicode form) are refused with a way round them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2

_SPACE = r"\t\n\x0b\f\r\x1c-\x1f\x{85}\p{Z}"
_WORD = r"\p{L}\p{N}_"
_IN_CLASS = {"w": _WORD, "d": r"\p{Nd}", "D": r"\P{Nd}", "s": _SPACE}
_OUTSIDE = {"w": f"[{_WORD}]", "W": f"[^{_WORD}]", "d": r"\p{Nd}", "D": r"\P{Nd}", "s": f"[{_SPACE}]",
            "S": f"[^{_SPACE}]", "Z": r"\z"}


class RegexError(ValueError):
    """A pattern RE2 cannot take, with what to write instead."""


@dataclass(frozen=True, slots=True)
class LinearRegex:
    """A compiled pattern; `search` takes time linear in the text."""

    pattern: str
    _compiled: Any

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in `text` (like `re.search`)."""
        return self._compiled.search(text) is not None


def _translate(pattern: str) -> str:
    """The pattern with Python's Unicode meaning of the Perl classes spelled out for RE2."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            letter = pattern[i + 1]
            i += 2
            if letter in "bB":
                raise RegexError(f"\\{letter} (word boundary) is not supported; write (^|[^\\w]) or ($|[^\\w]) "
                                 "around the word instead")
            if in_class and letter in "WSZ":
                raise RegexError(f"\\{letter} inside [...] is not supported; write a negated class [^...] instead")
            if in_class and letter in _IN_CLASS:
                out.append(_IN_CLASS[letter])
            elif not in_class and letter in _OUTSIDE:
                out.append(_OUTSIDE[letter])
            else:
                out.append("\\" + letter)
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":  # a leading ']' is a literal member
                out.append("\\]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def compile_linear(pattern: str, max_memory: int = 8 << 20) -> LinearRegex:
    """Compile `pattern` for RE2; `RegexError` saying why when it cannot be matched in linear time."""
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own message on stderr
    options.max_mem = max_memory
    try:
        compiled = re2.compile(_translate(pattern), options)
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RegexError(f"{detail} (patterns are matched by RE2, in linear time: no back-references or "
                         "look-around)") from None
    return LinearRegex(pattern, compiled)
