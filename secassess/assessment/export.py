"""Hand a result to the common output formats, and decide the exit status."""

from __future__ import annotations

from collections.abc import Iterable

from secassess import __version__
from secassess.assessment.result import AssessmentResult, CheckInfo
from secassess.diagnostics import Diagnostic, DiagnosticReport, Rule, Severity

FAIL_ON = ("critical", "high", "medium", "low")


def rules_of(checks: Iterable[CheckInfo]) -> tuple[Rule, ...]:
    """The checks as the rules SARIF and JUnit describe (tags: layer, domain, unverified, references)."""
    return tuple(Rule(c.id, c.title_en, c.severity, c.rationale, c.remediation_en,
                      tags=tuple(t for t in (f"layer-{c.layer}" if c.layer else "", c.domain or "",
                                             "unverified" if c.unverified else "") if t)
                      + tuple(f"{s}:{a}" if a else s for s, a in c.references))
                 for c in checks)


def to_diagnostics(result: AssessmentResult) -> DiagnosticReport:
    """One Diagnostic per check × entity (location: the entity's inventory line; group: the agency id)."""
    rules = rules_of(result.checks)
    diagnostics = tuple(
        Diagnostic(f.check, f.severity, f.outcome, f.message, f.location, f.entity, f.agency or "organisation",
                   tuple(sorted({"kind": f.kind, **({"waiver_expires": f.waiver.expires.isoformat()}
                                                    if f.waiver else {})}.items())))
        for f in result.findings)
    return DiagnosticReport("assess", (result.inventory,), rules, diagnostics, __version__,
                            {"profile": result.profile, "as_of": result.as_of.isoformat()}, result.warnings)


def should_fail(result: AssessmentResult, fail_on: str | Severity | None) -> bool:
    """True when a finding that counts against the agency (failed, errored, not enough data) is at least as
    severe as `fail_on` (None: never)."""
    if fail_on is None:
        return False
    threshold = Severity(fail_on).rank
    return any(f.outcome.counts_against and f.severity.rank >= threshold for f in result.findings)
