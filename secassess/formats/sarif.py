"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome, Severity

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_HOME_PAGE_LABELS = ("homepage", "repository", "source", "sourcecode")
"""`[project.urls]` labels (normalised) that name the project's home, best first."""

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


def project_url() -> str | None:
    """The project's home page from its package metadata (`[project.urls]`), or None: never a placeholder."""
    try:
        metadata = importlib.metadata.metadata("secassess")
    except importlib.metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault("".join(c for c in label.lower() if c.isalnum()), url.strip())
    found = next((urls[label] for label in _HOME_PAGE_LABELS if label in urls), "")
    return found if urllib.parse.urlsplit(found).scheme in ("http", "https") else None


def render(report: DiagnosticReport) -> str:
    """The report as a SARIF log; passes and not-applicable results are left out, waivers are suppressions."""
    rule_index = {rule.id: i for i, rule in enumerate(report.rules)}
    occurrences: Counter[tuple[str, str, str]] = Counter()
    results = [_result(d, rule_index, _lint_fingerprint(d, occurrences) if report.command == "lint"
                       else _entity_fingerprint(d))
               for d in report.diagnostics if d.outcome in _REPORTED]
    home = project_url()
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "secassess",
                "version": report.tool_version or "0",
                **({"informationUri": home} if home else {}),
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


def _lint_fingerprint(diagnostic: Diagnostic, occurrences: Counter[tuple[str, str, str]]) -> dict[str, str]:
    """Rule + file + path of the offending value (`entity`), never the line: moving lines keeps the alert.

    Shaped like GitHub's own `primaryLocationLineHash` (`hash:ordinal`); the ordinal tells apart results of
    one rule at one path (a list with two secrets).
    """
    where = artifact_uri(diagnostic.location.file) if diagnostic.location else ""
    identity = (diagnostic.rule_id, where, diagnostic.entity)
    occurrences[identity] += 1
    digest = hashlib.sha256("\0".join(identity).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return {"secassessLint/v1": f"{digest}:{occurrences[identity]}"}


def _entity_fingerprint(diagnostic: Diagnostic) -> dict[str, str]:
    """A check's result on one entity (`agency:stp/server:web01`) is the same alert from run to run."""
    return {"secassessEntity/v1": f"{diagnostic.rule_id}|{diagnostic.entity}"} if diagnostic.entity else {}


def _result(diagnostic: Diagnostic, rule_index: dict[str, int], fingerprints: dict[str, str]) -> dict[str, Any]:
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
    if fingerprints:
        result["partialFingerprints"] = fingerprints
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
