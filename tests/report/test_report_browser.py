"""The reports as a browser shows and prints them: headless Chromium screenshots, DOM and PDF.

Skipped locally without Chromium; in CI (CI=true) a missing Chromium fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from pngread import colour_stats
from report_data import AGENCY, fixture, inventory
from support import in_ci, require_tool

from secassess.errors import EnvironmentFailure
from secassess.report.chromium import run_chromium
from secassess.report.service import render_reports

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_tool("chromium")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    render_reports(fixture(), out, formats=("html",), lang="vi", inventory=inventory())
    return out


def test_screenshot_is_not_blank(chromium: str, rendered: Path, tmp_path: Path) -> None:
    shot = tmp_path / f"{AGENCY}.png"
    run_chromium(chromium, [f"--screenshot={shot}", "--window-size=1200,1600",
                            (rendered / f"{AGENCY}.html").as_uri()], timeout=120)
    colours, ink = colour_stats(shot.read_bytes())
    assert colours > 200, f"only {colours} colours: the page looks blank"
    assert ink > 0.05, f"only {ink:.1%} of the pixels are not white"


def test_charts_are_in_the_dom(chromium: str, rendered: Path) -> None:
    dom = run_chromium(chromium, ["--dump-dom", (rendered / f"{AGENCY}.html").as_uri()], timeout=120)
    layers = re.search(r'<svg[^>]*data-chart="layers".*?</svg>', dom, re.S)
    assert layers, "no layer chart in the DOM"
    bars = re.findall(r'<rect class="bar fill-(\w+)" data-key="(\d)" data-value="([\d.]+)"[^>]*height="([\d.]+)"',
                      layers.group(0))
    assert [(key, value) for _, key, value, _ in bars] == [("1", "38.5"), ("2", "42.2"), ("3", "52.9"), ("4", "66.7")]
    assert all(float(height) > 0 for *_, height in bars)
    for chart in ("severity", "anti-malware"):
        assert re.search(rf'data-chart="{chart}".*?<rect class="bar', dom, re.S), chart
    assert "<script" not in dom


def test_vietnamese_font_is_installed() -> None:
    """Diacritics (ở, ế, ạ) need a font covering Vietnamese, or Chromium draws boxes."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        if in_ci():
            pytest.fail("fc-list (fontconfig) is missing")
        pytest.skip("fontconfig is not installed")
    fonts = subprocess.run([fc_list, ":lang=vi", "family"], capture_output=True, text=True, check=True).stdout
    families = {f.strip() for line in fonts.splitlines() for f in line.split(",")}
    assert families & {"Liberation Sans", "DejaVu Sans", "Noto Sans"}, f"no stylesheet font covers vi: {families}"


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


@pytest.mark.parametrize("engine", ["/nonexistent/chromium", "secassess-no-such-browser"])
def test_missing_engine_is_environment_failure(tmp_path: Path, engine: str) -> None:
    with pytest.raises(EnvironmentFailure, match="apt-get install chromium") as caught:
        render_reports(fixture(), tmp_path / "out", formats=("html", "pdf"), pdf_engine=engine)
    assert caught.value.exit_code == 3
    assert not (tmp_path / "out").exists(), "nothing is written when the PDF engine is missing"


def test_hanging_engine_is_killed(tmp_path: Path) -> None:
    """A browser that never finishes is stopped at the timeout, with the children it started."""
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
    with pytest.raises(EnvironmentFailure, match="did not finish"):
        render_reports(fixture(), tmp_path / "out", formats=("pdf",), agencies=[AGENCY], pdf_engine=str(engine),
                       pdf_timeout=1.0)
    assert time.monotonic() - started < 30
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert not (tmp_path / "out" / f"{AGENCY}.pdf").exists()
