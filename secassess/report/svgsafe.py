"""Admitting an SVG picture (the network graph) into an HTML report only after checking it is inert."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import defusedxml.ElementTree as SafeET

from secassess.errors import InputError
from secassess.textsafe import printable

ALLOWED_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path",
    "text", "tspan", "marker", "symbol", "use", "style", "linearGradient", "radialGradient", "stop", "clipPath",
})
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)|@import|javascript:|expression\(", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SafeSvg:
    """SVG text that passed `checked_svg`; templates print it unescaped through the `__html__` protocol."""

    text: str

    def __html__(self) -> str:
        return self.text


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _check_element(element: Any) -> None:
    name = _local(element.tag)
    if name not in ALLOWED_ELEMENTS:
        raise ValueError(f"element <{name}> is not allowed")
    for attr, value in element.attrib.items():
        attr_name = _local(attr)
        if attr_name.lower().startswith("on"):
            raise ValueError(f"event attribute {attr_name!r} is not allowed")
        if attr_name == "href" and not value.startswith("#"):
            raise ValueError("only in-document links (href=\"#...\") are allowed")
        if _EXTERNAL_URL.search(value):
            raise ValueError(f"attribute {attr_name!r} refers outside the document")
    if name == "style" and _EXTERNAL_URL.search(element.text or ""):
        raise ValueError("<style> refers outside the document")
    for child in element:
        _check_element(child)


def checked_svg(text: str, what: str = "network picture") -> SafeSvg:
    """`text` as trusted markup if it is one plain <svg> element of drawing elements; else `InputError`.

    No scripts, event handlers, foreign objects, external links, comments, CDATA or processing instructions:
    the HTML parser must see exactly what the XML parser saw. Control characters (which XML cannot hold, and
    which only names from the inventory can bring) are first written out as visible escapes.
    """
    body = printable(text.strip(), keep="\r\n")
    try:
        if not body.startswith("<svg") or "<!" in body or "<?" in body:
            raise ValueError("expected a bare <svg> element without comments, CDATA or a prolog")
        root = SafeET.fromstring(body)
        if _local(root.tag) != "svg":
            raise ValueError("the root element is not <svg>")
        _check_element(root)
    except (ValueError, SafeET.ParseError) as exc:
        raise InputError([(None, f"{what}: refused to embed the SVG: {exc}")]) from None
    return SafeSvg(body)
