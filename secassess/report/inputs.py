"""Turning the assessment's own records and the inventory's network into what `render_reports` takes."""

from __future__ import annotations

from collections.abc import Iterable

from secassess.assessment import result as engine
from secassess.graph.build import build_graph
from secassess.graph.svg import agency_svg
from secassess.inventory.load import LoadedInventory
from secassess.report.document import (
    AgencyResult,
    AssessmentResult,
    CheckInfo,
    Evidence,
    Finding,
    Localized,
    Reference,
    Score,
    Source,
    WaiverInfo,
)


def _score(score: engine.Score) -> Score:
    return Score(score.score, score.rating, score.capped, {k: score.counts[k] for k in sorted(score.counts)},
                 score.critical_failures)


def _finding(f: engine.Finding) -> Finding:
    waiver = None if f.waiver is None else WaiverInfo(f.waiver.reason, f.waiver.approver, f.waiver.expires,
                                                      f.waiver.expired)
    return Finding(f.check, f.entity, f.kind, f.agency, f.outcome, f.severity, f.message, f.location,
                   tuple(Evidence(e.field, engine.jsonable(e.value), e.expected, e.met, e.location)
                         for e in f.evidence), waiver, f.notes)


def from_engine(result: engine.AssessmentResult) -> AssessmentResult:
    """The report's view of an in-memory assessment: the records `--from-result` reads from its JSON.

    A direct copy (no JSON round trip), several times faster on a large province; a test checks that
    both paths give equal records.
    """
    checks = {c.id: CheckInfo(c.id, Localized(c.title_vi, c.title_en), Localized(c.remediation_vi, c.remediation_en),
                              c.severity, c.layer, c.domain, tuple(Reference(s, a or "") for s, a in c.references),
                              c.unverified) for c in result.checks}
    by_agency: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_agency.setdefault(f.agency, []).append(_finding(f))
    agencies = tuple(AgencyResult(a.agency, a.name, a.rank, _score(a.overall),
                                  {k: _score(v) for k, v in sorted(a.layers.items())},
                                  {k: _score(v) for k, v in sorted(a.domains.items())},
                                  tuple(by_agency.get(a.agency, ()))) for a in result.agencies)
    return AssessmentResult(
        version=1, as_of=result.as_of, profile_id=result.profile, profile_title=result.profile_title,
        inventory=result.inventory, organisation_code=result.organisation, organisation_name=result.organisation_name,
        sources=tuple(Source(s.id, s.title, s.verified) for s in result.sources), checks=checks,
        province=_score(result.province), agencies=agencies, province_findings=tuple(by_agency.get("", ())),
        warnings=result.warnings)


def network_pictures(loaded: LoadedInventory, agencies: Iterable[str] | None = None) -> dict[str, str]:
    """The SVG network picture of each agency (all, or those in `agencies`), from one graph of the inventory."""
    graph = build_graph(loaded)
    wanted = set(agencies) if agencies is not None else None
    return {a.id: agency_svg(graph, a.id) for a in loaded.inventory.agencies if wanted is None or a.id in wanted}
