"""Human-readable text: `file:line:column: severity: message [rule]`, coloured only when asked.

Every text from the inputs is shown through `textsafe.printable`, so a name holding a line break, an
escape sequence or a bidi override prints as one visible line (a CI log cannot read it as a command).
"""

from __future__ import annotations

from collections import Counter

from secassess.diagnostics import DiagnosticReport, Severity
from secassess.textsafe import printable

_COLOURS = {Severity.CRITICAL: "\x1b[1;31m", Severity.HIGH: "\x1b[31m", Severity.MEDIUM: "\x1b[33m",
            Severity.LOW: "\x1b[36m", Severity.INFO: "\x1b[2m"}
_RESET = "\x1b[0m"


def render(report: DiagnosticReport, colour: bool = False) -> str:
    """One line per failed or errored diagnostic, the run's warnings, then a one-line summary."""
    lines = []
    for d in report.failures():
        where = f"{printable(str(d.location))}: " if d.location else ""
        severity = f"{_COLOURS[d.severity]}{d.severity.value}{_RESET}" if colour else d.severity.value
        lines.append(f"{where}{severity}: {printable(d.message)} [{d.rule_id}]")
    lines.extend(f"warning: {printable(w)}" for w in report.warnings)
    counts = Counter(d.severity for d in report.failures())
    if counts:
        detail = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
        lines.append(f"{len(report.failures())} problem(s) in {len(report.inputs)} file(s): {detail}")
    else:
        lines.append(f"no problems in {len(report.inputs)} file(s)")
    return "\n".join(lines) + "\n"
