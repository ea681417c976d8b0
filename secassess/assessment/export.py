"""Hand a result to the common output formats, and decide the exit status."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from secassess import __version__
from secassess.assessment.result import AssessmentResult, CheckInfo, Finding
from secassess.diagnostics import Diagnostic, DiagnosticReport, Rule, Severity

FAIL_ON = ("critical", "high", "medium", "low")
PROVINCE_GROUP = "organisation"
"""The group (JUnit test suite) of findings owned by no agency."""


def _diagnostic(f: Finding) -> Diagnostic:
    return Diagnostic(f.check, f.severity, f.outcome, f.message, f.location, f.entity, f.agency or PROVINCE_GROUP,
                      tuple(sorted({"kind": f.kind, **({"waiver_expires": f.waiver.expires.isoformat()}
                                                       if f.waiver else {})}.items())))


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.entity, f.check))


class ResultDiagnostics:
    """The findings of a result as diagnostics, read one agency at a time each time it is iterated.

    Order: province-wide findings, then agencies by id, each by (entity, check): the order of
    `AssessmentResult.findings`, without holding the province.
    """

    def __init__(self, result: AssessmentResult) -> None:
        self._result = result

    def _agency_ids(self) -> list[str]:
        """"" (the province) then the agency ids, sorted."""
        return ["", *sorted(self._result.store.ids())]

    def _findings(self, agency_id: str) -> list[Finding]:
        if not agency_id:
            return _sorted(self._result.province_findings)
        return _sorted(self._result.agency(agency_id).findings)

    def __iter__(self) -> Iterator[Diagnostic]:
        for agency_id in self._agency_ids():
            for f in self._findings(agency_id):
                yield _diagnostic(f)

    def by_group(self) -> Iterator[tuple[str, Sequence[Diagnostic]]]:
        """(group, its diagnostics) in group-name order, for formats that write one block per group."""
        names = sorted((agency_id or PROVINCE_GROUP, agency_id) for agency_id in self._agency_ids())
        for name, agency_id in names:
            found = self._findings(agency_id)
            if found:
                yield name, [_diagnostic(f) for f in found]


def rules_of(checks: Iterable[CheckInfo]) -> tuple[Rule, ...]:
    """The checks as the rules SARIF and JUnit describe (tags: layer, domain, unverified, references)."""
    return tuple(Rule(c.id, c.title_en, c.severity, c.rationale, c.remediation_en,
                      tags=tuple(t for t in (f"layer-{c.layer}" if c.layer else "", c.domain or "",
                                             "unverified" if c.unverified else "") if t)
                      + tuple(f"{s}:{a}" if a else s for s, a in c.references))
                 for c in checks)


def to_diagnostics(result: AssessmentResult) -> DiagnosticReport:
    """One Diagnostic per check × entity (location: the entity's inventory line; group: the agency id).

    The diagnostics are a lazy view (`ResultDiagnostics`): formats stream them agency by agency.
    """
    return DiagnosticReport("assess", (result.inventory,), rules_of(result.checks), ResultDiagnostics(result),
                            __version__,
                            {"profile": result.profile, "as_of": result.as_of.isoformat()}, result.warnings)


def should_fail(result: AssessmentResult, fail_on: str | Severity | None) -> bool:
    """True when a finding that counts against the agency (failed, errored, not enough data) is at least as
    severe as `fail_on` (None: never). Reads one agency at a time."""
    if fail_on is None:
        return False
    threshold = Severity(fail_on).rank
    findings = (f for agency in [None, *result.iter_agencies()]
                for f in (result.province_findings if agency is None else agency.findings))
    return any(f.outcome.counts_against and f.severity.rank >= threshold for f in findings)
