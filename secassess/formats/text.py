"""Human-readable text: `file:line:column: severity: message [rule]`, coloured only when asked."""

from __future__ import annotations

from collections import Counter

from secassess.diagnostics import DiagnosticReport, Severity

_COLOURS = {Severity.CRITICAL: "\x1b[1;31m", Severity.HIGH: "\x1b[31m", Severity.MEDIUM: "\x1b[33m",
            Severity.LOW: "\x1b[36m", Severity.INFO: "\x1b[2m"}
_RESET = "\x1b[0m"


def render(report: DiagnosticReport, colour: bool = False) -> str:
    """One line per failed or errored diagnostic, then a one-line summary."""
    lines = []
    for d in report.failures():
        where = f"{d.location}: " if d.location else ""
        severity = f"{_COLOURS[d.severity]}{d.severity.value}{_RESET}" if colour else d.severity.value
        lines.append(f"{where}{severity}: {d.message} [{d.rule_id}]")
    counts = Counter(d.severity for d in report.failures())
    if counts:
        detail = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
        lines.append(f"{len(report.failures())} problem(s) in {len(report.inputs)} file(s): {detail}")
    else:
        lines.append(f"no problems in {len(report.inputs)} file(s)")
    return "\n".join(lines) + "\n"
