"""Escaping text for Markdown, whose renderers pass raw HTML through and read many characters as syntax."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]{}()#!|~])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


class MarkdownText(str):
    """Text already escaped for Markdown (or written as Markdown by a template): printed as is."""

    __slots__ = ()


def escape_md(value: object) -> MarkdownText:
    """`value` as inert inline Markdown: one line, HTML neutralised, syntax characters backslash-escaped."""
    if isinstance(value, MarkdownText):
        return value
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return MarkdownText(_LINE_START.sub(_protect_start, text, count=1))


def _protect_start(match: re.Match[str]) -> str:
    """A leading list, heading-underline or numbered-list marker, made literal."""
    lead, mark = match.groups()
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"
