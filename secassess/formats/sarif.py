"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome, Severity

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://example.invalid/secassess"  # no public home yet; SARIF wants a URI

_LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
           Severity.LOW: "note", Severity.INFO: "note"}
# GitHub's `security-severity` scale: critical >= 9, high >= 7, medium >= 4, low > 0
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                      Severity.LOW: "2.0", Severity.INFO: "0.5"}
_REPORTED = (Outcome.FAIL, Outcome.ERROR, Outcome.INSUFFICIENT_DATA, Outcome.WAIVED)


def artifact_uri(path: str) -> str:
    """A URI-reference for a file: relative paths stay relative (with `/`), absolute become file://."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return urllib.parse.quote(path.replace(os.sep, "/"))


def render(report: DiagnosticReport) -> str:
    """The report as a SARIF log; passes and not-applicable results are left out, waivers are suppressions."""
    rule_index = {rule.id: i for i, rule in enumerate(report.rules)}
    results = [_result(d, rule_index) for d in report.diagnostics if d.outcome in _REPORTED]
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "secassess",
                "version": report.tool_version or "0",
                "informationUri": INFORMATION_URI,
                "rules": [{
                    "id": rule.id,
                    "name": rule.id,
                    "shortDescription": {"text": rule.title or rule.id},
                    "fullDescription": {"text": rule.description or rule.title or rule.id},
                    "help": {"text": rule.remediation or rule.description or rule.title or rule.id},
                    "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                    "properties": {"tags": ["security", *rule.tags],
                                   "security-severity": _SECURITY_SEVERITY[rule.severity]},
                    **({"helpUri": rule.help_uri} if rule.help_uri else {}),
                } for rule in report.rules],
            }},
            "automationDetails": {"id": f"secassess/{report.command}/"},
            **({"invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": w}} for w in report.warnings]}]} if report.warnings else {}),
            "artifacts": [{"location": {"uri": artifact_uri(path)}} for path in report.inputs],
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _result(diagnostic: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.rule_id,
        "level": _LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
    }
    if diagnostic.rule_id in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.rule_id]
    if diagnostic.location is not None:
        result["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(diagnostic.location.file)},
            "region": {"startLine": diagnostic.location.line, "startColumn": diagnostic.location.column},
        }}]
    if diagnostic.entity:
        result["partialFingerprints"] = {"secassessEntity/v1": f"{diagnostic.rule_id}|{diagnostic.entity}"}
    properties = dict(diagnostic.properties)
    if diagnostic.entity:
        properties["entity"] = diagnostic.entity
    properties["severity"] = diagnostic.severity.value
    properties["outcome"] = diagnostic.outcome.value
    result["properties"] = properties
    if diagnostic.outcome is Outcome.WAIVED:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": properties.get("waiver_reason", "waived")}]
    return result
