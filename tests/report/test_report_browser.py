"""The reports as a browser shows them: headless Chromium screenshots and DOM (PDF: test_report_pdf*.py).

Skipped locally without Chromium; in CI (CI=true) a missing Chromium fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from chromium_cli import run_chromium
from pngread import colour_stats
from report_data import AGENCY, fixture
from support import in_ci, require_tool

from secassess.report.service import render_reports

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_tool("chromium")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    render_reports(fixture(), out, formats=("html",), lang="vi")
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
    assert [(key, value) for _, key, value, _ in bars] == [("1", "38.5"), ("2", "43.5"), ("3", "52.9"), ("4", "66.7")]
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
