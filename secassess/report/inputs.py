"""Turning the assessment's own records and the inventory's network into what `render_reports` takes."""

from __future__ import annotations

from collections.abc import Iterable

from secassess.assessment.result import AssessmentResult as EngineResult
from secassess.assessment.result import to_document
from secassess.graph.build import build_graph
from secassess.graph.svg import agency_svg
from secassess.inventory.load import LoadedInventory
from secassess.report.document import AssessmentResult, parse_result


def from_engine(result: EngineResult) -> AssessmentResult:
    """The report's view of an in-memory assessment (the same records `--from-result` reads from JSON)."""
    return parse_result(to_document(result), "assessment")


def network_pictures(loaded: LoadedInventory, agencies: Iterable[str] | None = None) -> dict[str, str]:
    """The SVG network picture of each agency (all, or those in `agencies`), from one graph of the inventory."""
    graph = build_graph(loaded)
    wanted = set(agencies) if agencies is not None else None
    return {a.id: agency_svg(graph, a.id) for a in loaded.inventory.agencies if wanted is None or a.id in wanted}
