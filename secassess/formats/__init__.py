"""Output formats: each turns a `DiagnosticReport` into a string (writing is the caller's job)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from secassess.diagnostics import DiagnosticReport
from secassess.formats import github, jsonfmt, junit, sarif, text


class OutputFormat(StrEnum):
    """Every format `lint` and `assess` can write."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"


_RENDERERS: dict[OutputFormat, Callable[[DiagnosticReport, bool], str]] = {
    OutputFormat.TEXT: text.render,
    OutputFormat.JSON: lambda report, _colour: jsonfmt.render(report),
    OutputFormat.SARIF: lambda report, _colour: sarif.render(report),
    OutputFormat.JUNIT: lambda report, _colour: junit.render(report),
    OutputFormat.GITHUB: lambda report, _colour: github.render(report),
}


def render(report: DiagnosticReport, output_format: OutputFormat, colour: bool = False) -> str:
    """The report in `output_format`; `colour` only affects text."""
    return _RENDERERS[output_format](report, colour)
