"""Human-readable text: `file:line:column: severity: message [rule]`, coloured only when asked.

Every text from the inputs is shown through `textsafe.printable`, so a name holding a line break, an
escape sequence or a bidi override prints as one visible line (a CI log cannot read it as a command).
"""

from __future__ import annotations

from collections import Counter
from typing import IO

from secassess.diagnostics import DiagnosticReport, Severity
from secassess.textsafe import printable

_COLOURS = {Severity.CRITICAL: "\x1b[1;31m", Severity.HIGH: "\x1b[31m", Severity.MEDIUM: "\x1b[33m",
            Severity.LOW: "\x1b[36m", Severity.INFO: "\x1b[2m"}
_RESET = "\x1b[0m"


def write(report: DiagnosticReport, out: IO[str], colour: bool = False) -> None:
    """One line per failed or errored diagnostic, the run's warnings, then the one-line summary (`summary_line`)."""
    counts: Counter[Severity] = Counter()
    for d in report.diagnostics:
        if not d.outcome.counts_against:
            continue
        counts[d.severity] += 1
        where = f"{printable(str(d.location))}: " if d.location else ""
        severity = f"{_COLOURS[d.severity]}{d.severity.value}{_RESET}" if colour else d.severity.value
        out.write(f"{where}{severity}: {printable(d.message)} [{d.rule_id}]\n")
    for warning in report.warnings:
        out.write(f"warning: {printable(warning)}\n")
    out.write(summary_line(counts, len(report.inputs)) + "\n")


def summary_line(counts: Counter[Severity], files: int) -> str:
    """`3 problem(s) in 1 file(s): 1 critical, 2 high`, or `no problems in 1 file(s)`."""
    total = sum(counts.values())
    if not total:
        return f"no problems in {files} file(s)"
    detail = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
    return f"{total} problem(s) in {files} file(s): {detail}"
