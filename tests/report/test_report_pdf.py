"""PDF output: one browser per run, reproducible bytes, links between the PDFs, and a browser always reaped.

Real headless Chromium (marked `browser`; skipped locally without it, a failure in CI). The sandbox itself
is tested in test_report_pdf_sandbox.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pdftext import pdf_text
from report_data import AGENCY, FIXTURES, fixture
from support import REPO, require_tool

from secassess.errors import EnvironmentFailure
from secassess.report.pdf import ORIGIN, PdfPrinter, relative_links, stamp_dates
from secassess.report.service import render_reports

AS_OF = dt.date(2026, 11, 22)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_tool("chromium")


def _page(text: str, extra: str = "") -> str:
    return f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{text}</title></head>' \
           f"<body><p>{text}</p>{extra}</body></html>"


def _groups_of_children(parent: int) -> set[int]:
    """Process groups led by children of `parent` (the browser runs in a session of its own)."""
    groups = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if int(fields[1]) == parent and int(fields[2]) == pid:
            groups.add(pid)
    return groups


def _alive_in_group(group: int) -> list[int]:
    """Processes (not zombies) still in process group `group`."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _wait_gone(group: int, seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := _alive_in_group(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.browser
def test_pdf_is_written_and_reproducible(chromium: str, tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        paths = render_reports(fixture(), tmp_path / name, formats=("pdf",), agencies=[AGENCY], pdf_engine=chromium)
        assert [p.name for p in paths] == [f"{AGENCY}.pdf"]
        runs.append(paths[0].read_bytes())
    assert runs[0].startswith(b"%PDF-")
    assert runs[0] == runs[1], "PDFs differ between two runs"
    assert b"/CreationDate (D:20261122000000" in runs[0]
    assert not (tmp_path / "a" / f"{AGENCY}.html").exists(), "the HTML printed for the PDF was not asked for"
    assert "Sở Y tế tỉnh Sông Lam" in pdf_text(runs[0])


@pytest.mark.browser
def test_every_agency_and_the_summary_are_linked_pdfs(chromium: str, tmp_path: Path) -> None:
    """pdf alone also writes index.pdf (the whole ranking); the PDFs link to one another, not to the browser's
    made-up origin or to the staging folder."""
    result = fixture()
    paths = render_reports(result, tmp_path, formats=("pdf",), pdf_engine=chromium)
    names = sorted(p.name for p in paths)
    assert names == sorted([f"{a.agency}.pdf" for a in result.agencies] + ["index.pdf", "result.json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == names, "only the PDFs (and result.json) are left"
    summary = (tmp_path / "index.pdf").read_bytes()
    text = " ".join(pdf_text(summary).split())
    for agency in result.agencies:
        assert f"({agency.agency})" in text, agency.agency
    links = set(re.findall(rb"/URI \(([^)]*)\)", summary))
    assert links == {f"{a.agency}.pdf".encode() for a in result.agencies}
    agency_links = set(re.findall(rb"/URI \(([^)]*)\)", (tmp_path / f"{AGENCY}.pdf").read_bytes()))
    assert agency_links == {b"index.pdf"}
    for path in paths:
        data = path.read_bytes()
        assert ORIGIN.encode() not in data and b"file://" not in data, path.name


@pytest.mark.browser
def test_html_and_pdf_together(chromium: str, tmp_path: Path) -> None:
    paths = render_reports(fixture(), tmp_path, formats=("html", "pdf"), agencies=[AGENCY], pdf_engine=chromium)
    assert sorted(p.name for p in paths) == [f"{AGENCY}.html", f"{AGENCY}.pdf"]


@pytest.mark.browser
def test_tabs_print_their_own_page(chromium: str, tmp_path: Path) -> None:
    """Seven pages through three tabs at once: each PDF holds its own page, none another's."""
    jobs = []
    for n in range(7):
        html = tmp_path / f"page-{n}.html"
        html.write_text(_page(f"Trang số {n} — Việt Nam", "<p>x</p>" * 400 * n), encoding="utf-8")
        jobs.append((html, tmp_path / f"page-{n}.pdf"))
    advanced = []
    with PdfPrinter(chromium, AS_OF, tabs=3) as printer:
        printer.print_files(jobs, lambda: advanced.append(1))
    assert len(advanced) == 7
    for n, (_, pdf) in enumerate(jobs):
        found = re.findall(r"Trang số (\d) — Việt Nam", pdf_text(pdf))
        assert found and set(found) == {str(n)}, (n, found)


@pytest.mark.browser
def test_no_date_without_as_of(chromium: str) -> None:
    """Without --as-of (blast-radius) the PDF carries no date at all, so it never reads the clock."""
    with PdfPrinter(chromium) as printer:
        first = printer.print_html(_page("Không ngày"))
        second = printer.print_html(_page("Không ngày"))
    assert first == second
    assert b"/CreationDate" not in first and b"/ModDate" not in first
    assert "Không ngày" in pdf_text(first)


@pytest.mark.browser
def test_a_pdf_too_slow_is_stopped_and_the_browser_reaped(chromium: str) -> None:
    heavy = _page("nặng", "<table>" + "<tr><td>ô</td><td>ô</td><td>ô</td></tr>" * 200_000 + "</table>")
    with PdfPrinter(chromium, AS_OF, timeout=0.5, start_timeout=60) as printer:
        (group,) = _groups_of_children(os.getpid())
        started = time.monotonic()
        with pytest.raises(EnvironmentFailure, match=r"heavy\.html to PDF did not finish within 0\.5 s") as caught:
            printer.print_html(heavy, "heavy.html")
    assert caught.value.exit_code == 3
    assert time.monotonic() - started < 30
    assert _wait_gone(group) == []


@pytest.mark.browser
def test_browser_dying_mid_run_is_a_clear_failure(chromium: str) -> None:
    with PdfPrinter(chromium, AS_OF) as printer:
        printer.print_html(_page("trước"))
        (group,) = _groups_of_children(os.getpid())
        os.killpg(group, signal.SIGKILL)
        time.sleep(0.5)
        with pytest.raises(EnvironmentFailure, match="Chromium stopped") as caught:
            printer.print_html(_page("sau"))
    assert caught.value.exit_code == 3


def test_engine_exiting_at_start_says_why(tmp_path: Path) -> None:
    engine = tmp_path / "broken-chromium"
    engine.write_text("#!/bin/sh\necho 'cannot open display: boom' >&2\nexit 7\n", encoding="utf-8")
    engine.chmod(0o755)
    with pytest.raises(EnvironmentFailure, match=r"exited with code 7 while starting: cannot open display: boom") \
            as caught, PdfPrinter(str(engine), AS_OF, timeout=10):
        pass
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("engine", ["/nonexistent/chromium", "secassess-no-such-browser"])
def test_missing_engine_is_environment_failure(tmp_path: Path, engine: str) -> None:
    with pytest.raises(EnvironmentFailure, match="apt-get install chromium") as caught:
        render_reports(fixture(), tmp_path / "out", formats=("html", "pdf"), pdf_engine=engine)
    assert caught.value.exit_code == 3
    assert not (tmp_path / "out").exists(), "nothing is written when the PDF engine is missing"


def test_report_without_chromium_exits_3(tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium there
    code, _, err = run_cli("report", str(FIXTURES / "inventory.yaml"), "--as-of", "2026-11-22", "--format", "pdf",
                           "--out", str(tmp_path / "out"))
    assert code == 3
    assert "apt-get install chromium" in err and "Traceback" not in err


def test_hanging_engine_is_killed(tmp_path: Path) -> None:
    """A browser that never answers is stopped at the timeout, with the children it started."""
    marker = tmp_path / "child.pid"
    engine = tmp_path / "hang.sh"
    engine.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        sleep 300 &
        echo $! > {marker}
        sleep 300
        """))
    engine.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(EnvironmentFailure, match="did not answer within 1 s of starting"):
        render_reports(fixture(), tmp_path / "out", formats=("pdf",), agencies=[AGENCY], pdf_engine=str(engine),
                       pdf_timeout=1.0)
    assert time.monotonic() - started < 30
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert not (tmp_path / "out" / f"{AGENCY}.pdf").exists()


PRINTING_FOREVER = """\
import sys
from secassess.report.pdf import PdfPrinter
with PdfPrinter(sys.argv[1], timeout=600) as printer:
    printer.print_html("<p>ready</p>")
    print("ready", flush=True)
    printer.print_html("<table>" + "<tr><td>ô</td><td>ô</td></tr>" * 3_000_000 + "</table>")
"""


@pytest.mark.browser
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_browser_is_reaped_when_we_are_stopped(chromium: str, signum: signal.Signals) -> None:
    """Ctrl-C, `kill` or `kill -9` in the middle of a PDF: the browser and everything it started go too."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", PRINTING_FOREVER, chromium], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n", process.stderr.read() if process.stderr else ""
        (group,) = _groups_of_children(process.pid)
        time.sleep(0.5)  # well into the long PDF
        process.send_signal(signum)
        process.wait(timeout=30)
        assert _wait_gone(group) == [], f"browser processes left after {signum.name}"
    finally:
        process.kill()
        process.communicate()


def test_stamp_dates_keeps_offsets() -> None:
    pdf = b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20991231235959+07'00')\n/ModDate (D:20991231235959Z)>>\nendobj\n"
    stamped = stamp_dates(pdf, AS_OF)
    assert len(stamped) == len(pdf)
    assert b"/CreationDate (D:20261122000000+00'00')" in stamped and b"/ModDate (D:20261122000000Z)" in stamped
    undated = stamp_dates(pdf, None)
    assert len(undated) == len(pdf) and b"Date" not in undated and b"<<" in undated


def test_relative_links_keep_offsets_and_other_sites() -> None:
    pdf = (b"<</URI (" + ORIGIN.encode() + b"/syt.html)>>\n<</URI (" + ORIGIN.encode() + b"/x%20y.html#top)>>\n"
           b"<</URI (https://example.org/a.html)>>\n")
    rewritten = relative_links(pdf, {"syt.html": "syt.pdf"})
    assert len(rewritten) == len(pdf)
    assert re.findall(rb"/URI \(([^)]*)\)", rewritten) == [b"syt.pdf", b"x%20y.html#top", b"https://example.org/a.html"]


@pytest.mark.browser
def test_blast_radius_incident_report_as_pdf(chromium: str, tmp_path: Path, run_cli: Run,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    runs = []
    for name in ("a.pdf", "b.pdf"):
        code, out, err = run_cli("blast-radius", "sample_inventory.yaml", "stc-ws", "--format", "pdf",
                                 "--as-of", "2026-11-22", "-o", str(tmp_path / name))
        assert (code, out) == (0, ""), err
        runs.append((tmp_path / name).read_bytes())
    assert runs[0] == runs[1], "the incident PDF differs between two runs"
    assert b"/CreationDate (D:20261122000000" in runs[0]
    text = " ".join(pdf_text(runs[0]).split())
    assert "Báo cáo sự cố" in text and "Sở Tài chính tỉnh Sông Lam" in text and "stc-ws" in text


def test_blast_radius_pdf_is_not_written_to_a_terminal(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run_cli("blast-radius", "sample_inventory.yaml", "stc-ws", "--format", "pdf")
    assert code == 2 and out == ""
    assert "give --out FILE" in err
