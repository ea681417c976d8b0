"""Every output format, for lint: SARIF and JUnit validated against the official schemas in tests/data/schemas."""

from __future__ import annotations

import json
from collections.abc import Callable

import jsonschema
import pytest
import xmlschema
from support import INVENTORIES, data_file

from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome, Rule, Severity
from secassess.errors import SourcePos
from secassess.formats import OutputFormat, render

BAD = INVENTORIES / "invalid" / "references.yaml"

REPORT = DiagnosticReport(
    command="assess",
    inputs=("inv entory/é.yaml",),
    rules=(Rule("R-1", "Rule one", Severity.HIGH, "desc", "fix it"), Rule("R-2", "Rule two", Severity.LOW)),
    diagnostics=(
        Diagnostic("R-1", Severity.HIGH, Outcome.FAIL, "bad: 50%, a,b\nnext", SourcePos("inv entory/é.yaml", 3, 5),
                   "agency:a/server:web01", "a"),
        Diagnostic("R-2", Severity.LOW, Outcome.PASS, "fine", SourcePos("inv entory/é.yaml", 4, 1), "agency:a", "a"),
        Diagnostic("R-2", Severity.LOW, Outcome.WAIVED, "waived", SourcePos("inv entory/é.yaml", 9, 1), "agency:b",
                   "b", (("waiver_reason", "accepted risk"),)),
        Diagnostic("R-1", Severity.HIGH, Outcome.ERROR, "could not evaluate", None, "agency:b", "b"),
        Diagnostic("R-1", Severity.HIGH, Outcome.NOT_APPLICABLE, "n/a", None, "agency:c", "c"),
    ),
    tool_version="0.1.0",
    extra={"as_of": "2026-11-22", "profile": "luat116"},
)


@pytest.mark.parametrize("output_format", list(OutputFormat))
def test_every_format_renders_a_string_deterministically(output_format: OutputFormat) -> None:
    first = render(REPORT, output_format)
    assert isinstance(first, str) and first.endswith("\n")
    assert render(REPORT, output_format) == first


def test_sarif_validates_against_the_official_schema() -> None:
    schema = json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    log = json.loads(render(REPORT, OutputFormat.SARIF))
    jsonschema.Draft7Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["R-1", "R-2", "R-1"]  # passes and n/a are not results
    location = results[0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "inv%20entory/%C3%A9.yaml"},
                        "region": {"startLine": 3, "startColumn": 5}}
    assert results[1]["suppressions"][0]["justification"] == "accepted risk"


def test_sarif_of_a_real_lint_run_validates(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    schema = json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    code, out, _ = run_cli("lint", str(BAD), "--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft7Validator(schema).validate(log)
    assert code == 2
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] > 1 for r in log["runs"][0]["results"])


def test_junit_validates_against_the_xsd() -> None:
    schema = xmlschema.XMLSchema(str(data_file("schemas", "JUnit.xsd")))
    text = render(REPORT, OutputFormat.JUNIT)
    schema.validate(text)
    assert 'failures="1"' in text and 'errors="1"' in text and "<skipped" in text


def test_junit_of_clean_and_failing_lint_validates(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    schema = xmlschema.XMLSchema(str(data_file("schemas", "JUnit.xsd")))
    for path in (BAD, INVENTORIES / "valid" / "minimal.yaml"):
        _, out, _ = run_cli("lint", str(path), "--format", "junit", "--as-of", "2026-11-22")
        schema.validate(out)


def test_github_annotations_escape_data_and_properties() -> None:
    lines = render(REPORT, OutputFormat.GITHUB).splitlines()
    assert lines[0] == ("::error file=inv entory/é.yaml,line=3,col=5,title=R-1 (high)::bad: 50%25, a,b%0Anext")
    assert len(lines) == 2  # the failure and the error; passes and waivers are not annotated


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render(REPORT, OutputFormat.TEXT)
    assert "\x1b[31m" in render(REPORT, OutputFormat.TEXT, colour=True)


def test_sarif_is_streamed_in_the_layout_of_one_json_dump() -> None:
    """Results are written one at a time; the bytes must still be those of `json.dumps(log, indent=2)`."""
    for report in (REPORT, DiagnosticReport("lint", (), (), ())):
        text = render(report, OutputFormat.SARIF)
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_junit_is_streamed_suite_by_suite_in_the_layout_of_one_tree() -> None:
    import xml.etree.ElementTree as ET

    text = render(REPORT, OutputFormat.JUNIT)
    root = ET.fromstring(text.split("\n", 1)[1])
    ET.indent(root)
    assert text == '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
