"""JUnit XML (the Ant schema), one test case per rule x entity, for CI test-report views."""

from __future__ import annotations

from itertools import groupby
from xml.etree import ElementTree as ET

from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome

_EPOCH = "1970-01-01T00:00:00"


def render(report: DiagnosticReport) -> str:
    """Deterministic JUnit XML: no wall-clock time, no host name (`as_of` is the timestamp if given)."""
    timestamp = report.extra.get("as_of", "")
    timestamp = f"{timestamp}T00:00:00" if len(timestamp) == 10 else _EPOCH
    root = ET.Element("testsuites")
    ordered = sorted(report.diagnostics, key=lambda d: d.group)
    for index, (group, items) in enumerate(groupby(ordered, key=lambda d: d.group)):
        cases = list(items)
        suite = ET.SubElement(root, "testsuite", {
            "name": f"secassess.{report.command}.{group or 'all'}",
            "package": f"secassess.{report.command}",
            "id": str(index),
            "timestamp": timestamp,
            "hostname": "secassess",
            "tests": str(len(cases)),
            "failures": str(sum(d.outcome in (Outcome.FAIL, Outcome.INSUFFICIENT_DATA) for d in cases)),
            "errors": str(sum(d.outcome is Outcome.ERROR for d in cases)),
            "skipped": str(sum(d.outcome in (Outcome.NOT_APPLICABLE, Outcome.WAIVED) for d in cases)),
            "time": "0",
        })
        properties = ET.SubElement(suite, "properties")
        for name, value in sorted(report.extra.items()):
            ET.SubElement(properties, "property", {"name": name, "value": value})
        for diagnostic in cases:
            _testcase(suite, diagnostic)
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
    if not len(root):  # a clean run still reports one (empty) suite so dashboards show it
        suite = ET.SubElement(root, "testsuite", {
            "name": f"secassess.{report.command}", "package": f"secassess.{report.command}", "id": "0",
            "timestamp": timestamp, "hostname": "secassess", "tests": "0", "failures": "0", "errors": "0",
            "skipped": "0", "time": "0"})
        ET.SubElement(suite, "properties")
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
    if report.warnings:  # run-wide notes (an interrupted scan...): on the first suite's standard error
        root[0].find("system-err").text = "".join(f"warning: {w}\n" for w in report.warnings)  # type: ignore[union-attr]
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, diagnostic: Diagnostic) -> None:
    where = str(diagnostic.location) if diagnostic.location else ""
    case = ET.SubElement(suite, "testcase", {
        "name": f"{diagnostic.rule_id} {diagnostic.entity}".strip() if diagnostic.entity else
        f"{diagnostic.rule_id} {where}".strip(),
        "classname": diagnostic.rule_id,
        "time": "0",
    })
    detail = f"{where}: {diagnostic.message}" if where else diagnostic.message
    if diagnostic.outcome is Outcome.FAIL:
        ET.SubElement(case, "failure", {"message": diagnostic.message, "type": diagnostic.severity.value}).text = detail
    elif diagnostic.outcome is Outcome.INSUFFICIENT_DATA:
        ET.SubElement(case, "failure", {"message": diagnostic.message, "type": "insufficient_data"}).text = detail
    elif diagnostic.outcome is Outcome.ERROR:
        ET.SubElement(case, "error", {"message": diagnostic.message, "type": "error"}).text = detail
    elif diagnostic.outcome in (Outcome.NOT_APPLICABLE, Outcome.WAIVED):
        ET.SubElement(case, "skipped", {"message": f"{diagnostic.outcome.value}: {diagnostic.message}"})
