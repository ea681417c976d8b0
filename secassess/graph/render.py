"""Blast radius (and graph findings) as a template context, deterministic JSON, and a text table."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

from secassess.assessment.partial import Between, Partial, Unknown
from secassess.errors import SourcePos
from secassess.graph.analysis import GraphAnalysis
from secassess.graph.blast import BlastRadius
from secassess.textsafe import printable


def to_context(blast: BlastRadius) -> dict[str, Any]:
    """Plain JSON-serialisable dict (lists, strings, numbers, None) for Jinja templates and JSON.

    Positions become `file:line:column` strings.
    """
    context: dict[str, Any] = _plain(dataclasses.asdict(blast))
    return context


def analysis_context(analysis: GraphAnalysis) -> dict[str, Any]:
    """Findings (with their paths) and facts as a plain dict, for templates and JSON."""
    return {"findings": [_plain(dataclasses.asdict(f)) for f in analysis.findings],
            "facts": {entity: {k: _fact(v) for k, v in values.items()}
                      for entity, values in sorted(analysis.facts.items())}}


def _fact(value: Any) -> Any:
    """A fact as plain JSON: one known only in part (`Between`, `Partial`) as its text."""
    return str(value) if isinstance(value, (Between, Partial, Unknown)) else value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"file", "line", "column"}:
            return str(SourcePos(value["file"], value["line"], value["column"]))
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def render_json(blast: BlastRadius) -> str:
    """Sorted keys, two-space indent, trailing newline: byte-identical for the same input."""
    return json.dumps(to_context(blast), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


_COLUMNS = ("hops", "asset", "kind", "agency", "level", "systems", "controls crossed")


def _rows(blast: BlastRadius) -> list[tuple[str, ...]]:
    return [tuple(printable(cell) for cell in (
        str(a.hops), a.node, a.kind, a.agency or "-", str(a.level) if a.level else "-",
        " ".join(a.systems) or "-", " ".join(a.controls_crossed) or "-")) for a in blast.assets]


def render_text(blast: BlastRadius, colour: bool = False, width: int = 160) -> str:
    """A readable report; `colour` draws the table with rich (for a terminal only)."""
    mode = "every allowed link" if blast.through_filtering else "unfiltered links only"
    head = [f"Blast radius of {blast.host} ({blast.kind}, zone {blast.zone or 'none'}; through {mode})",
            f"{len(blast.assets)} reachable assets, {len(blast.systems)} systems, "
            f"{len(blast.critical_servers)} critical (level >= 3) servers", ""]
    table = _rich_table(blast, width) if colour else _plain_table(_rows(blast))
    tail = ["", "Systems affected:"]
    tail += [f"  level {s.level}  {s.entity}  {s.name}" for s in blast.systems] or ["  none"]
    tail += ["", "Choke points (isolate these links to cut the spread to critical servers):"]
    tail += [f"  {c.source} -> {c.target}  controls: {' '.join(c.controls)}"
             + (f"  devices: {' '.join(c.devices)}" if c.devices else "") + (f"  ({c.position})" if c.position else "")
             for c in blast.choke_points] or ["  none needed" if not blast.critical_servers else "  none"]
    if blast.inseparable:
        tail.append(f"  in the host's own zone, no link separates: {' '.join(blast.inseparable)}")
    tail += ["", "Contacts:"]
    for agency in blast.contacts:
        tail.append(f"  {agency.agency} ({agency.name})")
        tail += [f"    {p.role}: {p.name}" + "".join(f", {x}" for x in (p.title, p.phone, p.email) if x)
                 for p in agency.people] or ["    no contact declared"]
    return "\n".join(map(printable, head)) + "\n" + table + "\n".join(map(printable, tail)) + "\n"


MAX_PADDED = 48
"""Columns are padded to their widest cell up to this; a longer cell pushes the rest of its row only (at 100k
assets one long list of systems otherwise padded every row, and the text grew to 122 MB)."""


def _plain_table(rows: list[tuple[str, ...]]) -> str:
    widths = [min(MAX_PADDED, max(len(r[i]) for r in (_COLUMNS, *rows))) for i in range(len(_COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in (_COLUMNS, tuple("-" * w for w in widths), *rows)]
    return "\n".join(lines) + "\n"


def _rich_table(blast: BlastRadius, width: int) -> str:
    from rich.console import Console  # only when drawing for a terminal
    from rich.table import Table
    from rich.text import Text

    table = Table(*_COLUMNS, show_lines=False)
    for row in _rows(blast):
        table.add_row(*(Text(cell) for cell in row))  # Text: names are never read as rich markup
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, width=width).print(table)
    return buffer.getvalue()
