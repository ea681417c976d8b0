"""`report --history DIR`: scores over three assessments, findings open for more than one, ranking change."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from history_data import sample_text, three_changes, write_result

from secassess.report.svgsafe import checked_svg

CliRunner = Callable[..., tuple[int, str, str]]
DATES = (dt.date(2024, 11, 22), dt.date(2025, 11, 22), dt.date(2026, 11, 22))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Earlier results in DIR (nested, any names, beside a JSON file that is not a result); the latest inventory."""
    root = tmp_path_factory.mktemp("history")
    folder = root / "history"
    write_result(sample_text(), folder / "2024", "result", DATES[0])
    write_result(sample_text(), folder / "2025" / "deeper", "danh-gia", DATES[1])
    (folder / "scan.json").write_text('{"schema": "secassess/scan", "hosts": []}', encoding="utf-8")
    latest = root / "latest.yaml"
    latest.write_text(three_changes(sample_text()), encoding="utf-8")
    return folder, latest


def report(run_cli: CliRunner, history: tuple[Path, Path], out: Path, *extra: str) -> None:
    folder, latest = history
    code, _, err = run_cli("report", str(latest), "--as-of", DATES[2].isoformat(), "--history", str(folder),
                           "-o", str(out), *extra)
    assert code == 0, err


def _chart(html: str, name: str) -> str:
    found = re.search(rf'<svg class="chart trend" data-chart="{name}".*?</svg>', html, re.S)
    assert found, name
    return found.group(0)


def test_chart_shows_three_assessments(run_cli: CliRunner, history: tuple[Path, Path], tmp_path: Path) -> None:
    report(run_cli, history, tmp_path / "out")
    html = (tmp_path / "out" / "stttt.html").read_text(encoding="utf-8")
    svg = _chart(html, "score-over-time")
    checked_svg(svg, "trend chart")  # inline SVG with nothing active in it
    overall = re.findall(r'data-series="overall" data-date="([0-9-]+)" data-value="([0-9.]+)"', svg)
    assert [d for d, _ in overall] == [d.isoformat() for d in DATES]
    result = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    stttt = next(r for r in result["ranking"] if r["agency"] == "stttt")
    assert float(overall[-1][1]) == stttt["overall"]["score"]
    for layer, score in stttt["layers"].items():
        points = re.findall(rf'data-series="{layer}" data-date="([0-9-]+)" data-value="([0-9.]+)"', svg)
        assert len(points) == 3 and float(points[-1][1]) == score["score"]
    assert "script" not in svg.lower()


def test_long_open_findings_and_their_age(run_cli: CliRunner, history: tuple[Path, Path], tmp_path: Path) -> None:
    report(run_cli, history, tmp_path / "out", "--lang", "en")
    html = (tmp_path / "out" / "stttt.html").read_text(encoding="utf-8")
    section = html[html.index('id="long-open"'):]
    section = section[:section.index("</section>")]
    assert "SA-SRV-ADMINMFA-001" not in section  # regressed this year: open for one assessment only
    html = (tmp_path / "out" / "syt.html").read_text(encoding="utf-8")  # weak all three years
    section = html[html.index('id="long-open"'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r"<code>([A-Z0-9-]+)</code>.*?<td class=\"nowrap\">([^<]+)</td><td class=\"num\">(\d+)</td>",
                      section)
    assert rows and all(count == "3" and "2024" in since for _, since, count in rows)
    md = (tmp_path / "out" / "syt.md").read_text(encoding="utf-8")
    assert "Findings open for more than one assessment" in md


def test_province_summary_has_ranking_change_and_regressed(run_cli: CliRunner, history: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    report(run_cli, history, tmp_path / "out", "--lang", "en")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="ranking-change"' in html
    regressed = html[html.index("Agencies that regressed"):html.index('id="ranking-change"')]
    assert 'href="stttt.html"' in regressed  # the admin-MFA regression
    points = re.findall(r'data-series="overall" data-date="([0-9-]+)"', _chart(html, "province-score-over-time"))
    assert points == [d.isoformat() for d in DATES]


def test_history_output_is_byte_identical(run_cli: CliRunner, history: tuple[Path, Path], tmp_path: Path) -> None:
    report(run_cli, history, tmp_path / "a")
    report(run_cli, history, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_history_of_another_organisation_is_refused(run_cli: CliRunner, history: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    other = write_result(sample_text().replace("code: song-lam", "code: song-khac", 1), tmp_path, "other", DATES[0])
    (folder / "other.json").write_bytes(other.read_bytes())
    code, _, err = run_cli("report", str(history[1]), "--as-of", DATES[2].isoformat(), "--history", str(folder),
                           "-o", str(tmp_path / "out"))
    assert code == 2 and "song-khac" in err
