"""Output formats of `lint` and `assess`: each writes a `DiagnosticReport` to a text stream.

Writers take the stream so that a large result is written as it is read, agency by agency
(`report.diagnostics` may be a lazy, re-iterable view); `render` returns the same text as a string.
This module imports no format until one is used, so the command line starts fast.
"""

from __future__ import annotations

import importlib
import io
from enum import StrEnum
from typing import IO

from secassess.diagnostics import DiagnosticReport


class OutputFormat(StrEnum):
    """Every format `lint` and `assess` can write."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"


_MODULES = {OutputFormat.TEXT: "text", OutputFormat.JSON: "jsonfmt", OutputFormat.SARIF: "sarif",
            OutputFormat.JUNIT: "junit", OutputFormat.GITHUB: "github"}


def write(report: DiagnosticReport, output_format: OutputFormat, out: IO[str], colour: bool = False) -> None:
    """Write the report in `output_format` to `out`; `colour` only affects text."""
    module = importlib.import_module(f"secassess.formats.{_MODULES[OutputFormat(output_format)]}")
    if output_format is OutputFormat.TEXT:
        module.write(report, out, colour)
    else:
        module.write(report, out)


def render(report: DiagnosticReport, output_format: OutputFormat, colour: bool = False) -> str:
    """The report in `output_format` as one string (small reports and tests)."""
    buffer = io.StringIO()
    write(report, output_format, buffer, colour)
    return buffer.getvalue()
