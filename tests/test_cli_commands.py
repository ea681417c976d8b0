"""The assess, checks, report, graph and blast-radius commands end to end on the sample inventory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import xmlschema
from support import AS_OF, REPO, data_file

Run = Callable[..., tuple[int, str, str]]
SAMPLE = str(REPO / "sample_inventory.yaml")


def test_assess_json_is_the_versioned_document_and_byte_identical(run_cli: Run) -> None:
    code, first, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json")
    _, second, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json")
    document = json.loads(first)
    assert (code, first) == (0, second)
    assert (document["schema"], document["version"], document["as_of"]) == ("secassess/assessment-result", 2, AS_OF)
    ranking = [row["agency"] for row in document["ranking"]]
    assert ranking[0] == "stttt"
    # the ward with next to nothing is last, after the commune that breaks the e-office rule
    assert ranking[-2:] == ["ubnd-dl", "phuong-hl"]


def test_assess_result_validates_against_its_published_schema(run_cli: Run) -> None:
    _, out, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json")
    schema = json.loads((REPO / "docs" / "result-schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(out))


def test_fail_on_sets_exit_code_1_only_at_or_above_the_threshold(run_cli: Run, tmp_path: Path) -> None:
    assert run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json")[0] == 0
    assert run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json", "--fail-on", "critical")[0] == 1
    clean = tmp_path / "clean.yaml"
    clean.write_text("organisation: {name: A, code: a}\nagencies: [{id: a, name: A, kind: department}]\n",
                     "utf-8")
    # an empty agency states almost nothing: what it fails or leaves undecided decides the exit code
    code, out, _ = run_cli("assess", str(clean), "--as-of", AS_OF, "--format", "json", "--fail-on", "critical")
    document = json.loads(out)
    critical = {c["id"] for c in document["checks"] if c["severity"] == "critical"}
    failed_critical = [f for a in [document["province"], *document["agencies"]] for f in a["findings"]
                       if f["outcome"] in ("fail", "insufficient_data") and f["check"] in critical]
    assert code == (1 if failed_critical else 0)


def test_assess_sarif_and_junit_validate(run_cli: Run) -> None:
    sarif_schema = json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    _, sarif, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "sarif")
    log = json.loads(sarif)
    jsonschema.Draft7Validator(sarif_schema).validate(log)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("sample_inventory.yaml")
               for r in log["runs"][0]["results"])
    _, junit, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "junit")
    xmlschema.XMLSchema(str(data_file("schemas", "JUnit.xsd"))).validate(junit)


def test_assess_text_table_names_every_agency(run_cli: Run) -> None:
    code, out, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF)
    assert code == 0
    for agency in ("stttt", "stc", "ubnd-dl", "phuong-hl"):
        assert agency in out
    assert "\x1b[" not in out


def test_unknown_profile_is_a_usage_error(run_cli: Run) -> None:
    code, _, err = run_cli("assess", SAMPLE, "--profile", "nd99")
    assert code == 2
    assert "nd99" in err


def test_checks_lists_both_profiles(run_cli: Run) -> None:
    _, luat, _ = run_cli("checks", "--format", "json")
    _, nd85, _ = run_cli("checks", "--profile", "nd85", "--format", "json")
    assert len(json.loads(luat)) >= 60
    assert len(json.loads(nd85)) >= 60
    assert {c["id"] for c in json.loads(luat)} != {c["id"] for c in json.loads(nd85)}


def test_report_writes_one_page_per_agency_and_the_summary(run_cli: Run, tmp_path: Path) -> None:
    code, _, _ = run_cli("report", SAMPLE, "--out", str(tmp_path / "r"), "--as-of", AS_OF)
    names = sorted(p.name for p in (tmp_path / "r").iterdir())
    assert code == 0
    assert "index.html" in names
    assert {"stc.html", "stc.md", "phuong-hl.html"} <= set(names)


def test_report_from_result_equals_report_from_inventory(run_cli: Run, tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json", "--output", str(result))
    run_cli("report", SAMPLE, "--out", str(tmp_path / "a"), "--as-of", AS_OF, "--format", "html")
    code, _, _ = run_cli("report", SAMPLE, "--from-result", str(result), "--out", str(tmp_path / "b"),
                         "--format", "html")
    assert code == 0
    assert (tmp_path / "a" / "stc.html").read_bytes() == (tmp_path / "b" / "stc.html").read_bytes()


def test_report_needs_an_inventory_or_a_result(run_cli: Run, tmp_path: Path) -> None:
    assert run_cli("report", "--out", str(tmp_path))[0] == 2
    assert run_cli("report", SAMPLE, "--out", str(tmp_path), "--format", "html,docx")[0] == 2


def test_graph_findings_and_exports(run_cli: Run) -> None:
    code, out, _ = run_cli("graph", SAMPLE)
    assert code == 0
    assert "[flat_network] " in out
    for fmt, marker in (("graphml", "<graphml"), ("dot", "digraph"), ("json", '"nodes"')):
        assert marker in run_cli("graph", SAMPLE, "--export", fmt)[1]


def test_blast_radius_text_and_json_and_unknown_host(run_cli: Run) -> None:
    code, out, _ = run_cli("blast-radius", SAMPLE, "stc-db01", "--format", "json")
    assert code == 0
    assert json.loads(out)["host"]
    code, _, err = run_cli("blast-radius", SAMPLE, "stc-db1")
    assert code == 2
    assert "stc-db01" in err


def test_jobs_option(run_cli: Run) -> None:
    one = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json", "-j", "1")
    assert one[0] == 0 and one[1] == run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json")[1]
    assert run_cli("assess", SAMPLE, "-j", "0")[0] == 2
