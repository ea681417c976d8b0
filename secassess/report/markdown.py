"""Escaping text for Markdown, whose renderers pass raw HTML through and read many characters as syntax."""

from __future__ import annotations

import re

from secassess.textsafe import printable

_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]{}()#!|~"} | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_NUMBERED = re.compile(r"\d+(?=[.)])")


class MarkdownText(str):
    """Text already escaped for Markdown (or written as Markdown by a template): printed as is."""

    __slots__ = ()


def escape_md(value: object) -> MarkdownText:
    """`value` as inert inline Markdown: one line, HTML neutralised, syntax characters backslash-escaped.

    Every character that could start HTML, a link, emphasis, code, a table cell or a heading is made
    literal; a leading list marker (`-`, `+`, `=`, `1.`) too, since the text may start a line. Control
    characters (ESC, NUL, bidi overrides) are shown as escapes.
    """
    if isinstance(value, MarkdownText):
        return value
    text = printable(" ".join(str(value).split())).translate(_ESCAPES)
    first = text[:1]
    if first in ("-", "+", "="):
        text = "\\" + text
    elif first.isdigit() and (numbered := _NUMBERED.match(text)):
        text = f"{numbered.group(0)}\\{text[numbered.end():]}"
    return MarkdownText(text)
