"""The CI gate that does not punish known debt: `assess --baseline OLD.json --fail-on SEVERITY`.

It fails only for findings at or above the severity that count against the agency now and did not in the
baseline: new and regressed findings (as `secassess diff` names them, renamed entities followed), and the
failures of checks the baseline did not have. Waived findings stay waived: they count against nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from secassess.assessment.document import read_result
from secassess.assessment.result import AssessmentResult
from secassess.diagnostics import Severity
from secassess.history.compare import diff_results
from secassess.history.service import introduced_at, same_organisation


@dataclass(frozen=True, slots=True)
class GateResult:
    introduced: tuple[str, ...]
    """One line per new or regressed finding at or above the threshold: severity, check, entity."""
    new_checks: tuple[str, ...]
    """One line per check absent from the baseline that has failures at or above the threshold."""

    @property
    def failed(self) -> bool:
        return bool(self.introduced or self.new_checks)


def gate(baseline_path: str, result: AssessmentResult, fail_on: str | Severity) -> GateResult:
    baseline = read_result(baseline_path)
    same_organisation(baseline, result, baseline_path, result.inventory)
    diff = diff_results(baseline, result, baseline_path, result.inventory)
    threshold = Severity(fail_on).rank
    introduced = tuple(f"{c.severity.value} {c.check} {c.entity} ({c.change.value})"
                       for c in introduced_at(diff, fail_on))
    new_checks = tuple(f"{c.new_severity.value} {c.check}: {c.open_findings} finding(s), check not in the baseline"
                       for c in diff.checks if c.old_severity is None and c.new_severity is not None
                       and c.new_severity.rank >= threshold and c.open_findings)
    return GateResult(introduced, new_checks)


MAX_LISTED = 20


def report_gate(outcome: GateResult, baseline_path: str, fail_on: str) -> int:
    """Tell on standard error what failed the gate; the exit status (1 failed, 0 passed)."""
    import sys

    lines = [*outcome.introduced, *outcome.new_checks]
    if not lines:
        print(f"baseline {baseline_path}: no finding at or above {fail_on} that is not in the baseline",
              file=sys.stderr)
        return 0
    print(f"baseline {baseline_path}: {len(lines)} finding(s) at or above {fail_on} not in the baseline:",
          file=sys.stderr)
    for line in lines[:MAX_LISTED]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > MAX_LISTED:
        print(f"  ... and {len(lines) - MAX_LISTED} more", file=sys.stderr)
    return 1
