"""`report --annual`: the yearly report's figures equal the result's; its .docx opens in LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from history_data import REPO, sample_text, write_result
from office import docx_to_pdf, pdf_text

from secassess.annual.figures import report_period

CliRunner = Callable[..., tuple[int, str, str]]
AGAINST = ("fail", "error", "insufficient_data")
RATINGS = {"tốt": "good", "khá": "fair", "trung bình": "average", "yếu": "weak"}


def annual(run_cli: CliRunner, out: Path, *extra: str) -> None:
    code, _, err = run_cli("report", str(REPO / "sample_inventory.yaml"), "--as-of", "2026-11-22", "--annual",
                           "-o", str(out), *extra)
    assert code == 0, err


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="([a-z0-9_.-]+)">([^<]*)<', html))


def one_decimal(value: float) -> str:
    """A score as the reports print it: always one decimal ("76.0")."""
    return f"{value:.1f}"


def expected(result: dict[str, Any]) -> dict[str, str]:
    """The figures, computed here from the result document itself."""
    checks = {c["id"]: c for c in result["checks"]}
    found: dict[str, str] = {"agency_count": str(len(result["ranking"])),
                             "score": one_decimal(result["province"]["score"]["score"])}
    ratings = Counter(RATINGS[a["overall"]["rating"]] for a in result["ranking"])
    found.update({f"rating_{k}": str(ratings[k]) for k in RATINGS.values()})
    systems = [s for a in result["agencies"] for s in a["details"]["systems"]]
    for level in range(1, 6):
        found[f"level_{level}_systems"] = str(sum(1 for s in systems if s["level"] == level))
        found[f"level_{level}_approved"] = str(sum(1 for s in systems if s["level"] == level and s["approved"]))
    found["systems_total"] = str(len(systems))
    found["systems_approved"] = str(sum(1 for s in systems if s["approved"]))
    findings = [f for a in result["agencies"] for f in a["findings"]] + result["province"]["findings"]
    severities = Counter(checks[f["check"]]["severity"] for f in findings if f["outcome"] in AGAINST)
    found.update({f"open_{s}": str(severities[s]) for s in ("critical", "high", "medium", "low", "info")})
    found["open_total"] = str(sum(severities.values()))
    for layer in "1234":
        layer_ratings = Counter(RATINGS.get(a["layers"].get(layer, {}).get("rating") or "", "none")
                                for a in result["ranking"])
        found.update({f"layer_{layer}_{k}": str(layer_ratings[k]) for k in (*RATINGS.values(), "none")})
    for a in result["ranking"]:
        found[f"agency_{a['agency']}_score"] = one_decimal(a["overall"]["score"])
    return found


def test_figures_equal_the_result(run_cli: CliRunner, tmp_path: Path) -> None:
    annual(run_cli, tmp_path, "--lang", "en")
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    shown = figures((tmp_path / "annual-report-2026.html").read_text(encoding="utf-8"))
    assert shown == expected(result)


def test_period_and_deadlines() -> None:
    assert report_period(dt.date(2026, 11, 22)) == (2026, dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert report_period(dt.date(2026, 12, 14))[0] == 2026
    assert report_period(dt.date(2026, 12, 15)) == (2027, dt.date(2026, 12, 15), dt.date(2027, 12, 14))


def test_missing_facts_are_not_reported_never_zero(run_cli: CliRunner, tmp_path: Path) -> None:
    result = write_result(sample_text(), tmp_path / "in", "result")
    code, _, err = run_cli("report", "--from-result", str(result), "--annual", "-o", str(tmp_path / "out"))
    assert code == 0, err
    html = (tmp_path / "out" / "bao-cao-nam-2026.html").read_text(encoding="utf-8")
    incidents = html[html.index('id="incidents"'):html.index('id="assessments"')]
    assert "Chưa báo cáo" in incidents and not re.search(r">\s*0\s*<", incidents)
    assessments = html[html.index('id="assessments"'):html.index('id="plans"')]
    assert "Chưa báo cáo" in assessments  # no inventory given: the assessments done are not known
    plans = html[html.index('id="plans"'):]
    assert "Chưa báo cáo" in plans


@pytest.mark.slow
def test_docx_opens_in_libreoffice_with_the_same_figures(run_cli: CliRunner, tmp_path: Path) -> None:
    annual(run_cli, tmp_path)
    docx = tmp_path / "bao-cao-nam-2026.docx"
    with zipfile.ZipFile(docx) as package:
        assert "word/document.xml" in package.namelist()
    text = " ".join(pdf_text(docx_to_pdf(docx, tmp_path)).split())
    assert "Báo cáo tình hình bảo đảm an toàn thông tin năm 2026" in text
    assert "Kỳ báo cáo: từ ngày 15 tháng 12 năm 2025 đến ngày 14 tháng 12 năm 2026" in text
    assert "4. Sự cố an toàn thông tin mạng Chưa báo cáo" in text
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    wanted = expected(result)
    score = wanted["score"].replace(".", ",")
    assert f"Điểm toàn tỉnh {score}" in text
    for level in range(1, 6):
        row = f"Cấp độ {level} {wanted[f'level_{level}_systems']} {wanted[f'level_{level}_approved']}"
        assert row in text, row
    assert f"Tổng cộng {wanted['systems_total']} {wanted['systems_approved']}" in text


def test_annual_report_is_reproducible(run_cli: CliRunner, tmp_path: Path) -> None:
    annual(run_cli, tmp_path / "a")
    annual(run_cli, tmp_path / "b")
    for name in ("bao-cao-nam-2026.docx", "bao-cao-nam-2026.html", "result.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
