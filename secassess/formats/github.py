"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per problem."""

from __future__ import annotations

from secassess.diagnostics import DiagnosticReport, Severity
from secassess.textsafe import printable

_COMMANDS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
             Severity.LOW: "notice", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    """GitHub's escapes for line breaks; every other control character (ESC, bidi...) written out visibly."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: DiagnosticReport) -> str:
    """Annotations for failed and errored results (escaped as GitHub requires)."""
    lines = []
    for diagnostic in report.failures():
        props = []
        if diagnostic.location is not None:
            props += [f"file={_escape_property(diagnostic.location.file)}",
                      f"line={diagnostic.location.line}", f"col={diagnostic.location.column}"]
        props.append(f"title={_escape_property(f'{diagnostic.rule_id} ({diagnostic.severity.value})')}")
        lines.append(f"::{_COMMANDS[diagnostic.severity]} {','.join(props)}::{_escape_data(diagnostic.message)}")
    lines.extend(f"::warning title=secassess::{_escape_data(warning)}" for warning in report.warnings)
    return "".join(line + "\n" for line in lines)
