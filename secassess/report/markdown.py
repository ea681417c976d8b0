"""Escaping text for Markdown, whose renderers pass raw HTML through and read many characters as syntax."""

from __future__ import annotations

import re

from secassess.textsafe import printable

_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]{}()#!|~"} | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_NUMBERED = re.compile(r"\d+(?=[.)])")


class MarkdownText(str):
    """Text already escaped for Markdown (or written as Markdown by a template): printed as is."""

    __slots__ = ()


_URL = re.compile(r"(?i)(?<![\w@.])(?:[a-z][a-z0-9+.-]{0,20}://|www\.)[^\s`|<>]*")
_TRAILING = re.compile(r"[.,:;!?*_~'\")\]]+$")


def _inert(text: str) -> str:
    """Plain text made literal: HTML neutralised, syntax characters backslash-escaped."""
    return text.translate(_ESCAPES)


def _code(url: str) -> str:
    """A URL as a code span: GitHub-flavoured renderers turn bare URLs into links, but never inside code."""
    return f"`{url}`"


def escape_md(value: object) -> MarkdownText:
    """`value` as inert inline Markdown: one line, HTML neutralised, syntax characters backslash-escaped.

    Every character that could start HTML, a link, emphasis, code, a table cell or a heading is made
    literal; a leading list marker (`-`, `+`, `=`, `1.`) too, since the text may start a line. Control
    characters (ESC, NUL, bidi overrides) are shown as escapes. A bare URL (`https://...`, `www....`) is put
    in a code span, so renderers do not make it a link.
    """
    if isinstance(value, MarkdownText):
        return value
    plain = printable(" ".join(str(value).split()))
    parts: list[str] = []
    done = 0
    for match in _URL.finditer(plain):
        url = _TRAILING.sub("", match.group())
        if not url or url.endswith(("://", "www.")):
            continue
        parts += [_inert(plain[done:match.start()]), _code(url)]
        done = match.start() + len(url)
    parts.append(_inert(plain[done:]))
    text = "".join(parts)
    first = text[:1]
    if first in ("-", "+", "="):
        text = "\\" + text
    elif first.isdigit() and (numbered := _NUMBERED.match(text)):
        text = f"{numbered.group(0)}\\{text[numbered.end():]}"
    return MarkdownText(text)
