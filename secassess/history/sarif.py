"""SARIF of a diff: only the findings it introduced (new and regressed), so code scanning shows what the
change brought in; fingerprinted on check + entity like `assess --format sarif`, so alerts track across runs."""

from __future__ import annotations

from collections.abc import Sequence

from secassess import __version__
from secassess.assessment.export import rules_of
from secassess.assessment.result import CheckInfo
from secassess.diagnostics import Diagnostic, DiagnosticReport
from secassess.formats import OutputFormat, render
from secassess.history.compare import AssessmentDiff


def render_sarif(diff: AssessmentDiff, checks: Sequence[CheckInfo]) -> str:
    """`checks`: the new result's checks (the rules)."""
    diagnostics = tuple(
        Diagnostic(c.check, c.severity, c.new_outcome, c.message, c.location, c.entity, c.entity.split("/")[0],
                   (("change", c.change.value), ("kind", c.kind)))
        for c in diff.introduced() if c.new_outcome is not None)
    return render(DiagnosticReport("diff", (diff.new.inventory or diff.new.path,), rules_of(checks), diagnostics,
                                   __version__, {"old": diff.old.path, "new": diff.new.path}), OutputFormat.SARIF)
