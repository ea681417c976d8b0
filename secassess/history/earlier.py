"""The earlier result's agencies, read in a forked process while this one compares.

A diff reads two results; decoding them is most of its work. The earlier one is decoded in a child
process and each agency crosses the pipe as plain tuples of what a comparison reads of a finding
(check, entity, outcome, message, place), not its evidence, so reading both results costs about the
time of reading one. Findings rebuilt here take their kind and severity from the result's checks,
as the document reader does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from secassess.assessment.result import AgencyResult, AssessmentResult, CheckInfo, Finding
from secassess.diagnostics import Outcome
from secassess.errors import SourcePos
from secassess.heap import collector_paused
from secassess.parallel import forked_stream

_Place = tuple[str, int, int] | None
_Slim = tuple[str, str, int, Any, Any, Any, Any, Any, tuple[tuple[str, str, str, str, _Place], ...]]


def _slim(agency: AgencyResult) -> _Slim:
    def place(pos: SourcePos | None) -> _Place:
        return None if pos is None else (pos.file, pos.line, pos.column)

    return (agency.id, agency.name, agency.rank, agency.overall, agency.layers, agency.domains, agency.not_applicable,
            agency.details, tuple((f.check, f.entity, f.outcome.value, f.message, place(f.location))
                                  for f in agency.findings))


def _restore(slim: _Slim, checks: Mapping[str, CheckInfo], places: dict[tuple[str, int, int], SourcePos]) -> \
        AgencyResult:
    agency_id, name, rank, overall, layers, domains, not_applicable, details, rows = slim
    findings = []
    for check_id, entity, outcome, message, where in rows:
        check = checks[check_id]
        pos = None
        if where is not None:
            pos = places.get(where)
            if pos is None:
                pos = places[where] = SourcePos(*where)
        findings.append(Finding(check_id, entity, check.entity, agency_id, Outcome(outcome), check.severity, message,
                                pos))
    return AgencyResult(agency_id, name, rank, overall, layers, domains, tuple(findings), not_applicable, details)


def earlier_agencies(result: AssessmentResult, agencies: Iterator[AgencyResult]) -> Iterator[AgencyResult]:
    """`agencies` (a one-pass stream of `result`'s agencies), decoded in a forked process; their findings carry
    no evidence, notes or waiver (a comparison does not read them)."""
    checks = {c.id: c for c in result.checks}
    places: dict[tuple[str, int, int], SourcePos] = {}
    for slim in forked_stream(lambda: (_slim(a) for a in agencies)):
        with collector_paused():
            agency = _restore(slim, checks, places)
        yield agency
