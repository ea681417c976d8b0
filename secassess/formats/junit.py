"""JUnit XML (the Ant schema), one test case per rule x entity, for CI test-report views."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import IO
from xml.etree import ElementTree as ET

from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome

_EPOCH = "1970-01-01T00:00:00"


def _groups(report: DiagnosticReport) -> Iterator[tuple[str, Sequence[Diagnostic]]]:
    """(group, its diagnostics) sorted by group: from a lazy view's `by_group()`, else sorted in memory."""
    by_group = getattr(report.diagnostics, "by_group", None)
    if by_group is not None:
        yield from by_group()
        return
    ordered = sorted(report.diagnostics, key=lambda d: d.group)
    for group, items in groupby(ordered, key=lambda d: d.group):
        yield group, list(items)


def write(report: DiagnosticReport, out: IO[str]) -> None:
    """Deterministic JUnit XML: no wall-clock time, no host name (`as_of` is the timestamp if given).

    One test suite per group (an agency), each built and written before the next is read.
    """
    timestamp = report.extra.get("as_of", "")
    timestamp = f"{timestamp}T00:00:00" if len(timestamp) == 10 else _EPOCH
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')
    written = 0
    for index, (group, cases) in enumerate(_groups(report)):
        suite = _suite(report, f"secassess.{report.command}.{group or 'all'}", index, timestamp, cases)
        out.write("\n  " + ET.tostring(suite, encoding="unicode"))
        written += 1
    if not written:  # a clean run still reports one (empty) suite so dashboards show it
        out.write("\n  " + ET.tostring(_suite(report, f"secassess.{report.command}", 0, timestamp, ()),
                                       encoding="unicode"))
    out.write("\n</testsuites>\n")


def _suite(report: DiagnosticReport, name: str, index: int, timestamp: str,
           cases: Iterable[Diagnostic]) -> ET.Element:
    cases = list(cases)
    suite = ET.Element("testsuite", {
        "name": name,
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
    if cases:
        for key, value in sorted(report.extra.items()):
            ET.SubElement(properties, "property", {"name": key, "value": value})
    for diagnostic in cases:
        _testcase(suite, diagnostic)
    ET.SubElement(suite, "system-out")
    errors = ET.SubElement(suite, "system-err")
    if index == 0 and report.warnings:  # run-wide notes (an interrupted scan...): on the first suite
        errors.text = "".join(f"warning: {w}\n" for w in report.warnings)
    ET.indent(suite, level=1)
    suite.tail = None
    return suite


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
