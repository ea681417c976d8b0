"""Golden files: one agency's HTML and Markdown (Vietnamese) are byte-identical across runs.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/report/test_report_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_data import AGENCY, GOLDEN, fixture

from secassess.report.service import render_reports


def _render(out: Path) -> dict[str, bytes]:
    paths = render_reports(fixture(), out, formats=("html", "md"), lang="vi")
    return {p.name: p.read_bytes() for p in paths}


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    first, second = _render(tmp_path / "a"), _render(tmp_path / "b")
    assert first == second
    assert sorted(first) == ["index.html", "index.md", "phuong-hl.html", "phuong-hl.md", "result.json", "stttt.html",
                             "stttt.md", "syt.html", "syt.md"]


@pytest.mark.parametrize("suffix", ["html", "md"])
def test_matches_golden(tmp_path: Path, suffix: str) -> None:
    produced = _render(tmp_path)[f"{AGENCY}.{suffix}"]
    golden = GOLDEN / f"{AGENCY}.vi.{suffix}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert golden.exists(), f"{golden} is missing; create it with UPDATE_GOLDEN=1"
    assert produced == golden.read_bytes(), f"{golden.name} differs; if intended, regenerate with UPDATE_GOLDEN=1"


def test_no_clock_time_in_output(tmp_path: Path) -> None:
    """Only the as-of date appears: a wall-clock time would make runs differ."""
    for name, data in _render(tmp_path).items():
        text = data.decode("utf-8")
        assert "2026" in text, name
        assert not any(marker in text for marker in ("T0", "T1", "T2", "UTC")), name
