"""Service functions behind `secassess graph` and `secassess blast-radius` (the CLI only parses and emits).

    secassess graph INVENTORY [--export graphml|dot|json] [--out FILE]
        -> graph_command(path, export_format) -> str, then outputs.emit(text, out, [path])
    secassess blast-radius INVENTORY HOST [--format text|json|html|md] [--lang vi|en] [--as-of DATE] [--out FILE]
        -> blast_radius_command(path, host, fmt, colour=use_colour(output=out), lang=..., as_of=...) -> str
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from secassess.errors import UsageError
from secassess.graph.analysis import GraphAnalysis, analyse
from secassess.graph.blast import BlastRadius, blast_radius
from secassess.graph.build import build_graph
from secassess.graph.export import export
from secassess.graph.model import DEFAULT_POLICY, FilterPolicy, NetworkGraph
from secassess.graph.render import render_json, render_text
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.textsafe import printable
from secassess.yamlsafe import LoadLimits

DEFAULT_LIMITS = LoadLimits()

PLAIN_FORMATS: dict[str, Callable[[BlastRadius, bool], str]] = {
    "text": lambda blast, colour: render_text(blast, colour=colour),
    "json": lambda blast, colour: render_json(blast),
}
REPORT_FORMATS = ("html", "md")
"""Rendered as an incident report through the report templates, in --lang."""
BLAST_FORMATS = (*PLAIN_FORMATS, *REPORT_FORMATS)


def analyse_inventory(loaded: LoadedInventory, policy: FilterPolicy = DEFAULT_POLICY) -> tuple[NetworkGraph,
                                                                                              GraphAnalysis]:
    """Build the graph and run every graph rule (what `assess` calls to get the `graph.*` facts)."""
    graph = build_graph(loaded)
    return graph, analyse(graph, policy)


def findings_text(analysis: GraphAnalysis) -> str:
    """The findings, one block each with the offending path hop by hop."""
    if not analysis.findings:
        return "no graph findings\n"
    lines = []
    for f in analysis.findings:
        where = f"{f.position}: " if f.position else ""
        lines.append(f"{where}{f.severity}: [{f.kind}] {f.message}")
        for i, hop in enumerate(f.path):
            via = f" via {' '.join(hop.controls)}" if hop.controls else ""
            at = f"  ({hop.position})" if hop.position else ""
            lines.append(f"    {'->' if i else '  '} {hop.node}{via}{at}")
    lines.append(f"{len(analysis.findings)} graph finding(s)")
    return "\n".join(map(printable, lines)) + "\n"


def graph_command(path: str, export_format: str | None = None, *, acl_filters: bool = False,
                  limits: LoadLimits = DEFAULT_LIMITS) -> str:
    """The graph exported as graphml/dot/json, or without `export_format` the findings as text."""
    loaded = load_inventory(path, limits)
    if export_format is not None:
        return export(build_graph(loaded), export_format)
    return findings_text(analyse_inventory(loaded, FilterPolicy(acl_filters=acl_filters))[1])


def blast_radius_command(path: str, host: str, fmt: str = "text", *, colour: bool = False,
                         through_filtering: bool = True, acl_filters: bool = False,
                         limits: LoadLimits = DEFAULT_LIMITS, lang: str = "vi", as_of: dt.date | None = None) -> str:
    """The blast radius of `host` rendered as `fmt`; unknown host, format or language -> UsageError (exit 2).

    `lang` and `as_of` (the date printed; none without it) apply to the html and md incident reports.
    """
    if fmt not in BLAST_FORMATS:
        raise UsageError(f"blast-radius format {fmt!r} is not available; choose one of {', '.join(BLAST_FORMATS)}")
    loaded = load_inventory(path, limits)
    graph = build_graph(loaded)
    blast = blast_radius(loaded, host, through_filtering=through_filtering,
                         policy=FilterPolicy(acl_filters=acl_filters), graph=graph)
    if fmt in PLAIN_FORMATS:
        return PLAIN_FORMATS[fmt](blast, colour)
    # Jinja and Babel load only for a report: `assess` imports this module for the graph facts.
    from secassess.report.incident import render_incident

    return render_incident(blast, graph, fmt, lang, as_of)
