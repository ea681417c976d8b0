"""`secassess blast-radius --format html|md`: the blast radius as an incident report through the report templates.

Golden files: regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/report/test_blast_report.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from report_data import GOLDEN, XSS
from support import AS_OF, REPO
from vnu import vnu_problems

from secassess.cli import main
from secassess.errors import UsageError
from secassess.graph.blast import blast_radius
from secassess.graph.build import build_graph
from secassess.graph.service import blast_radius_command
from secassess.report.incident import render_incident
from tests.graph.conftest import GOOD_AGENCY, HEAD, inventory

SAMPLE = "sample_inventory.yaml"
STC_WAN_LINK_LINE = next(n for n, line in enumerate((REPO / "sample_inventory.yaml").read_text("utf-8").splitlines(), 1)
                         if "{from: stc-lan, to: slam-wan" in line)
"""Where the choke point the reports must cite is declared."""
HOST = "stc-ws"
"""Sở Tài chính's workstations: a flat network whose router leads to the provincial WAN (and beyond)."""
MAX_HTML = 2_000_000


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inventory positions print as given: run from the checkout so they read `sample_inventory.yaml:L:C`."""
    monkeypatch.chdir(REPO)


def _report(fmt: str, lang: str = "vi", as_of: dt.date | None = None, host: str = HOST) -> str:
    return blast_radius_command(SAMPLE, host, fmt, lang=lang, as_of=as_of)


def test_html_incident_report_of_a_workstation() -> None:
    html = _report("html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html
    assert "Báo cáo sự cố" in html and "Sở Tài chính tỉnh Sông Lam" in html
    # whom to call comes first, the host's own agency at the top, then the owners of reached level >= 3 systems
    contacts, host, reach = html.index('id="contacts"'), html.index('id="host"'), html.index('id="reach"')
    assert contacts < host < reach
    assert html.index("Lý Thị Thu Hà") < html.index("Trần Minh Khoa") < host  # stc officer, then stttt
    assert "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Sông Lam" in html[contacts:host]
    assert "Đầu mối báo cáo sự cố" in html  # the incident reporting contact, labelled
    # the compromised host and the summary
    assert "Mạng LAN của Sở (phẳng)" in html and "agency:stc/workstation_group:stc-ws" in html
    assert re.search(r"Máy chủ cấp độ 3 trở lên bị tiếp cận</th><td class=\"num\">31<", html)
    # choke points with zones, controls and where they are declared
    assert "zone:slam-wan" in html and f"sample_inventory.yaml:{STC_WAN_LINK_LINE}:7" in html
    # reach grouped by hops, with systems and controls crossed
    assert "2 bước · 4 tài sản" in html and "Phần mềm quản lý tài sản công tỉnh Sông Lam" in html
    assert "acl, firewall, ips" in html
    # the agency network, inline
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="secassess-network"' in html
    assert "<script" not in html
    assert "tháng" not in html  # no --as-of: no date at all


def test_markdown_incident_report() -> None:
    md = _report("md", as_of=dt.date(2026, 11, 22))
    assert md.startswith("# Báo cáo sự cố: phạm vi ảnh hưởng của máy bị xâm nhập\n")
    assert "Số liệu tính đến ngày 22 tháng 11 năm 2026" in md
    assert md.index("## Liên hệ ngay") < md.index("## Máy bị xâm nhập") < md.index("## Tài sản tiếp cận được theo")
    assert "| Cán bộ phụ trách an toàn thông tin | **Lý Thị Thu Hà** |" in md
    assert f"sample\\_inventory.yaml:{STC_WAN_LINK_LINE}:7" in md  # Markdown-escaped
    assert "<svg" not in md


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_vietnamese_and_english_differ(fmt: str) -> None:
    vi, en = _report(fmt, "vi"), _report(fmt, "en")
    assert vi != en
    assert "Whom to call now" in en and "Whom to call now" not in vi
    assert "Department of Finance" in en  # the English agency name in an English report
    assert "Public-asset management system" in en and "Phần mềm quản lý tài sản công" in vi


def test_two_runs_are_byte_identical_and_read_no_clock() -> None:
    for fmt in ("html", "md"):
        assert _report(fmt) == _report(fmt)
        assert not any(str(year) in _report(fmt) for year in (dt.date.today().year, 2026))


@pytest.mark.parametrize("suffix", ["html", "md"])
def test_matches_golden(suffix: str) -> None:
    produced = _report(suffix, as_of=dt.date.fromisoformat(AS_OF)).encode("utf-8")
    golden = GOLDEN / f"blast-{HOST}.vi.{suffix}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert golden.exists(), f"{golden} is missing; create it with UPDATE_GOLDEN=1"
    assert produced == golden.read_bytes(), f"{golden.name} differs; if intended, regenerate with UPDATE_GOLDEN=1"


def _hostile_agency() -> str:
    script, img = XSS
    return (GOOD_AGENCY.replace("Department of Information and Communications", f"'{script}'")
            .replace("Officer One", f"'{img}'").replace("{name: Users,", f"{{name: '{script}',")
            .replace("name: Portal", f"name: '{script}'").replace("name: Floor 1", f"name: '{img}'")
            .replace("Duty Desk", f"'{script}'"))


def _hostile_reports(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "hostile.yaml"
    path.write_text(HEAD.replace("Test province", f"'{XSS[0]}'") + "agencies:\n"
                    + "".join("  " + line + "\n" for line in _hostile_agency().splitlines()), encoding="utf-8")
    return {f"{lang}.{fmt}": blast_radius_command(str(path), "pc01", fmt, lang=lang)
            for lang in ("vi", "en") for fmt in ("html", "md")}


def test_attacker_text_is_never_printed_raw(tmp_path: Path) -> None:
    for name, text in _hostile_reports(tmp_path).items():
        for payload in XSS:
            assert payload not in text, name
        assert "<script" not in text and "<img" not in text, name
        shown = "&lt;script&gt;alert(1)&lt;/script&gt;"
        if name.endswith(".md"):
            shown = shown.replace("(1)", "\\(1\\)")  # Markdown escapes the parentheses too
        assert shown in text, name  # shown, as text


def test_long_lists_are_capped() -> None:
    """A host on a flat network of thousands of servers: the first N per hop distance, then "and K more"."""
    servers = "".join(f"    - {{hostname: srv{i:05d}-{'x' * 40}, os: {{name: Linux}}, zone: users}}\n"
                      for i in range(6000))
    loaded = inventory(GOOD_AGENCY.replace("  workstations:\n", servers + "  workstations:\n"))
    graph = build_graph(loaded)
    blast = blast_radius(loaded, "pc01", graph=graph)
    assert len(blast.assets) > 6000
    html = render_incident(blast, graph, "html", "en")
    assert len(html.encode("utf-8")) < MAX_HTML
    assert "and 5,961 more assets at this distance (see --format json)" in html
    md = render_incident(blast, graph, "md", "en", per_hop=5)
    assert "and 5,996 more assets at this distance" in md


def test_cli(tmp_path: Path) -> None:
    out = tmp_path / "incident.html"
    assert main(["blast-radius", SAMPLE, HOST, "--format", "html", "--lang", "en", "--as-of", AS_OF,
                 "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Situation as of November 22, 2026" in html
    assert main(["blast-radius", SAMPLE, HOST, "--format", "md", "--out", str(tmp_path / "incident.md")]) == 0
    assert (tmp_path / "incident.md").read_text(encoding="utf-8") == _report("md")
    with pytest.raises(SystemExit) as exc:
        main(["blast-radius", SAMPLE, HOST, "--format", "html", "--lang", "fr"])
    assert exc.value.code == 2
    with pytest.raises(UsageError, match="vi or en"):
        _report("html", lang="fr")


@pytest.mark.slow
def test_html_is_valid(tmp_path: Path) -> None:
    pages = []
    for lang in ("vi", "en"):
        page = tmp_path / f"{HOST}.{lang}.html"
        page.write_text(_report("html", lang, dt.date.fromisoformat(AS_OF)), encoding="utf-8")
        pages.append(page)
    for name, text in _hostile_reports(tmp_path).items():
        if name.endswith(".html"):
            (tmp_path / f"hostile-{name}").write_text(text, encoding="utf-8")
            pages.append(tmp_path / f"hostile-{name}")
    code, problems = vnu_problems(pages)
    assert code == 0 and not problems, problems
