"""Items 13.6 and 13.8: numbers that cannot be represented, YAML 1.1 forms that change meaning, dates written
as numbers, long quoted values, NUL bytes and report-name collisions are input errors (exit 2) at their line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPORT = Path(__file__).resolve().parent.parent / "report"
sys.path.insert(0, str(REPORT))
from report_data import FIXTURE  # noqa: E402

SERVICE = "    servers: [{{hostname: h, os: {{name: L}}, services: [{{port: {}, name: x}}]}}]"
HEAD = "organisation: {name: T, code: t}\nagencies:\n  - id: a\n    name: A\n    kind: department\n"


def _lint(run_cli: Any, tmp_path: Path, body: str) -> tuple[int, str, str]:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    code, out, _err = run_cli("lint", str(path))
    return int(code), str(out), f"{path}:"


@pytest.mark.parametrize(("line", "message"), [
    ("    it_budget_million_vnd: .inf", "'.inf' is not a finite number"),
    ("    it_budget_million_vnd: -.inf", "'-.inf' is not a finite number"),
    ("    it_budget_million_vnd: .nan", "'.nan' is not a finite number"),
    ("    it_budget_million_vnd: 1e400", "'1e400' is not a finite number"),
    ("    it_budget_million_vnd: 1.0e+400", "'1.0e+400' is not a finite number"),
    ("    it_budget_million_vnd: '1e400'", "'1e400' is not a finite number"),
    ("    it_budget_million_vnd: " + "9" * 5000, "an integer of 5,000 digits is too large"),
    ("    it_budget_million_vnd: '" + "9" * 5000 + "'", "a number of 5,000 characters is too long"),
    (SERVICE.format("1:20"), "sexagesimal (base 60)"),
    (SERVICE.format("017"), "octal number (15)"),
    (SERVICE.format("0x1BB"), "hexadecimal number (443)"),
    (SERVICE.format("4_43"), "digit-grouped number (443)"),
    ("    security_regulation_issued: 20261122", "20261122 is a number, not a date (2026-11-22?)"),
    ("    security_regulation_issued: 86400", "86400 is a number, not a date"),
    ("    security_regulation_issued: '22/11/2026'", "'22/11/2026' is not a date"),
])
def test_unrepresentable_number_is_an_error_at_its_line(run_cli: Any, tmp_path: Path, line: str,
                                                        message: str) -> None:
    code, out, where = _lint(run_cli, tmp_path, line + "\n")
    assert code == 2
    assert f"{where}6:" in out and message in out, out
    assert "internal error" not in out and "Datetimes" not in out and "datetimes provided" not in out


def test_assess_refuses_too(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD + "    it_budget_million_vnd: .nan\n", encoding="utf-8")
    code, out, err = run_cli("assess", str(path), "--format", "json")
    assert code == 2 and not out and f"{path}:6:" in err
    assert "NaN" not in out and "Infinity" not in out


@pytest.mark.parametrize("key", ["name_en", "parent"])
def test_long_value_is_quoted_in_80_characters(run_cli: Any, tmp_path: Path, key: str) -> None:
    code, out, where = _lint(run_cli, tmp_path, f"    {key}: " + "x" * 1_000_000 + "\n")
    assert code == 2
    assert f"{where}6:" in out and len(out) < 1000, len(out)
    assert "'" + "x" * 80 + "'... (1,000,000 characters)" in out


def test_long_wrong_value_is_capped(run_cli: Any, tmp_path: Path) -> None:
    code, out, _where = _lint(run_cli, tmp_path, "    digital_signature: " + "y" * 1_000_000 + "\n")
    assert code == 2 and len(out) < 1000 and "(1,000,000 characters)" in out


def test_nul_byte_at_its_real_line(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_bytes((HEAD + "    name_en: B\x00C\n").encode())
    code, out, _err = run_cli("lint", str(path))
    assert code == 2
    assert f"{path}:6:15: high: the control character U+0000 is not allowed in YAML" in out


@pytest.mark.parametrize("agency_id", ["index", "index-2", "index-17"])
def test_agency_id_colliding_with_a_report_page(run_cli: Any, tmp_path: Path, agency_id: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD.replace("id: a", f"id: {agency_id}"), encoding="utf-8")
    code, out, _err = run_cli("lint", str(path))
    assert code == 2
    assert f"{path}:3:5: high: agency id '{agency_id}'" in out and "SA-LINT-RESERVED-ID" in out


def test_agency_id_like_index_but_not_a_page_is_fine(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD.replace("id: a", "id: index-x"), encoding="utf-8")
    assert run_cli("lint", str(path))[0] == 0


# --- JSON inputs: scan.json and result.json --------------------------------------------------------------


SCAN = {"format": "secassess-scan", "format_version": 1, "scanner": "nmap", "nmap_version": "7.93", "args": "",
        "started": 1700000000, "finished": 1700000001, "scaninfo": [], "warnings": [], "hosts": []}


@pytest.mark.parametrize(("replace", "message"), [
    (("1700000001", "NaN"), "NaN is not a JSON number"),
    (("1700000001", "Infinity"), "Infinity is not a JSON number"),
    (("1700000001", "1e400"), "1e400 is too large"),
    (("1700000001", "9" * 5000), "an integer of 5,000 digits"),
    (("1700000001", "-5"), "out of range"),
    (("1700000001", "1000000000000000000"), "out of range"),
])
def test_scan_json_numbers(run_cli: Any, tmp_path: Path, replace: tuple[str, str], message: str) -> None:
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(HEAD, encoding="utf-8")
    scan = tmp_path / "scan.json"
    scan.write_text(json.dumps(SCAN, indent=2).replace(*replace), encoding="utf-8")
    code, _out, err = run_cli("assess", str(inventory), "--scan", str(scan))
    assert code == 2, err
    assert message in err and "internal error" not in err
    if "JSON number" in message or "large" in message or "digits" in message:
        assert f"{scan}:8:" in err  # "finished" is on line 8


def _result_with(tmp_path: Path, change: Any) -> Path:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
    return path


def _set_score(value: Any) -> Any:
    return lambda d: d["ranking"][0]["overall"].__setitem__("score", value)


@pytest.mark.parametrize(("change", "message"), [
    (_set_score(float("nan")), "NaN"),
    (_set_score(float("inf")), "Infinity"),
    (_set_score(-1), "$.ranking[0].overall.score"),
    (_set_score(250), "$.ranking[0].overall.score"),
    (lambda d: d["ranking"][0].__setitem__("rank", 10**18), "$.ranking[0].rank"),
    (lambda d: d["ranking"][0].__setitem__("rank", 0), "$.ranking[0].rank"),
    (lambda d: d["province"]["score"]["counts"].__setitem__("fail", -3), "$.province.score.counts.fail"),
    (lambda d: d["ranking"][1]["layers"]["1"].__setitem__("score", 100.5), "$.ranking[1].layers.1.score"),
])
def test_result_json_numbers(run_cli: Any, tmp_path: Path, change: Any, message: str) -> None:
    path = _result_with(tmp_path, change)
    code, _out, err = run_cli("report", "--from-result", str(path), "--out", str(tmp_path / "out"), "--format", "md")
    assert code == 2, err
    assert message in err and "internal error" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_library_result_reader_is_strict_too(tmp_path: Path) -> None:
    from secassess.api import load_result
    from secassess.errors import InputError
    with pytest.raises(InputError, match="NaN"):
        load_result(_result_with(tmp_path, _set_score(float("nan"))))
