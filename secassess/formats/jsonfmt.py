"""Plain JSON of a diagnostic report (lint's machine-readable output)."""

from __future__ import annotations

import json
from typing import IO, Any

from secassess.diagnostics import DiagnosticReport

SCHEMA_ID = "secassess/diagnostics"
SCHEMA_VERSION = 1


def write(report: DiagnosticReport, out: IO[str]) -> None:
    """Deterministic JSON: sorted keys, diagnostics in report order (lint's reports are small: built whole)."""
    document: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "command": report.command,
        "tool_version": report.tool_version,
        "inputs": list(report.inputs),
        "extra": report.extra,
        "summary": {outcome: sum(d.outcome.value == outcome for d in report.diagnostics)
                    for outcome in sorted({d.outcome.value for d in report.diagnostics})},
        "diagnostics": [{
            "rule_id": d.rule_id,
            "severity": d.severity.value,
            "outcome": d.outcome.value,
            "message": d.message,
            "entity": d.entity,
            "file": d.location.file if d.location else None,
            "line": d.location.line if d.location else None,
            "column": d.location.column if d.location else None,
            "properties": dict(d.properties),
        } for d in report.diagnostics],
    }
    out.write(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
