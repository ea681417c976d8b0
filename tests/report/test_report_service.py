"""The report service: atomic output, inputs never overwritten, selection, options, scale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_data import FIXTURE, big_province, fixture, fixture_dict

from secassess.assessment.document import parse_document, read_result
from secassess.errors import EnvironmentFailure, InputError, UsageError
from secassess.report import service
from secassess.report.service import render_reports


def test_interrupted_run_leaves_no_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "syt.html").write_text("previous run", encoding="utf-8")
    calls = 0
    real = service.Renderer.render

    def failing(self: service.Renderer, name: str, context: dict[str, object]) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(self, name, context)

    monkeypatch.setattr(service.Renderer, "render", failing)
    with pytest.raises(KeyboardInterrupt):
        render_reports(fixture(), out, formats=("html",))
    assert sorted(p.name for p in out.iterdir()) == ["syt.html"]
    assert (out / "syt.html").read_text(encoding="utf-8") == "previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "the staging directory was not removed"


def test_writes_only_finished_files_and_returns_them(tmp_path: Path) -> None:
    paths = render_reports(fixture(), tmp_path / "new" / "dir", formats=("md", "html"))
    assert [p.name for p in paths[-2:]] == ["index.html", "index.md"]  # the summaries last
    assert all(p.is_file() and p.stat().st_mode & 0o777 == 0o644 for p in paths)
    assert {p.name for p in (tmp_path / "new").iterdir()} == {"dir"}


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    result_copy = tmp_path / "syt.md"
    result_copy.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to overwrite"):
        render_reports(read_result(result_copy), tmp_path, formats=("md",), inputs=[str(result_copy)])
    assert json.loads(result_copy.read_text(encoding="utf-8"))["schema"] == "secassess/assessment-result"


def test_agency_selection(tmp_path: Path) -> None:
    paths = render_reports(fixture(), tmp_path, formats=("html",), agencies=["stttt"])
    assert [p.name for p in paths] == ["stttt.html"], "no summary when only some agencies are rendered"
    with pytest.raises(UsageError, match="not-there"):
        render_reports(fixture(), tmp_path, formats=("html",), agencies=["not-there"])


@pytest.mark.parametrize("formats", [("docx",), ()])
def test_bad_formats(tmp_path: Path, formats: tuple[str, ...]) -> None:
    with pytest.raises(UsageError, match="--format"):
        render_reports(fixture(), tmp_path, formats=formats)


def test_out_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        render_reports(fixture(), tmp_path / "f", formats=("md",))


def test_unwritable_out_is_environment_failure(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(EnvironmentFailure):
        render_reports(fixture(), tmp_path / "f" / "sub", formats=("md",))


def test_agency_named_like_the_summary_is_refused(tmp_path: Path) -> None:
    doc = fixture_dict()
    doc["ranking"][1]["agency"] = "index"
    next(a for a in doc["agencies"] if a["id"] == "syt")["id"] = "index"
    with pytest.raises(InputError, match="summary page"):
        render_reports(parse_document(doc), tmp_path, formats=("html",))


def test_progress_is_silent_off_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    render_reports(fixture(), tmp_path, formats=("md",), progress=True)
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_large_province_files_stay_small(tmp_path: Path) -> None:
    """1,000 agencies, one with 2,000 failing servers carrying 2,000-character banners: capped and quick."""
    result = big_province(1000, 3)
    heavy = big_province(1, 2000)
    paths = render_reports(result, tmp_path / "many", formats=("html", "md"))
    assert len(paths) == 2004, "1,000 reports in two formats, result.json, two summary pages of 500 and index.md"
    assert [p.name for p in paths[-2:]] == ["index-2.html", "index.md"]
    assert max(p.stat().st_size for p in paths if p.suffix != ".json") < 2_000_000
    heavy_paths = render_reports(heavy, tmp_path / "heavy", formats=("html", "md"))
    page = (tmp_path / "heavy" / "agency-0000.html").read_text(encoding="utf-8")
    assert max(p.stat().st_size for p in heavy_paths if p.suffix != ".json") < 200_000
    assert "1.990" in page, "the entities beyond the first 10 are counted"


def test_index_is_paginated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "index_pages", lambda rows: service_index_pages(rows, 2))
    paths = render_reports(big_province(5, 1), tmp_path, formats=("html",))
    names = [p.name for p in paths]
    assert names[-3:] == ["index.html", "index-2.html", "index-3.html"]
    second = (tmp_path / "index-2.html").read_text(encoding="utf-8")
    assert '<a href="index.html">1</a>' in second and '<a href="index-3.html">3</a>' in second
    assert 'href="agency-0002.html"' in second


def service_index_pages(rows: object, size: int) -> object:
    from secassess.report.view import index_pages

    return index_pages(rows, size)  # type: ignore[arg-type]


def test_forked_workers_write_the_same_files(tmp_path: Path) -> None:
    result = big_province(70, 2)
    render_reports(result, tmp_path / "one", formats=("html", "md"), workers=1)
    render_reports(result, tmp_path / "two", formats=("html", "md"), workers=2)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert len(one) == 143 and one == two  # 70 agencies x 2 formats, result.json, index.html, index.md


def test_error_in_a_worker_is_the_same_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agency_report.md.j2").write_text("{{ agency.__class__ }}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"agency_report\.md\.j2:1: the template tried an unsafe operation"):
        render_reports(big_province(70, 1), tmp_path / "out", formats=("md",), templates_dir=templates, workers=2)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_markdown_run_writes_the_province_summary_as_index_md(tmp_path: Path) -> None:


    written = {p.name for p in render_reports(fixture(), tmp_path, formats=("md",), lang="vi")}
    assert "index.md" in written and "index.html" not in written
    summary = (tmp_path / "index.md").read_text("utf-8")
    links = re.findall(r"\]\(([^)]+)\)", summary)
    assert links and all((tmp_path / link).is_file() for link in links)
    assert summary.startswith("# ") and "Xếp hạng" in summary
    assert render_reports(fixture(), tmp_path / "one", formats=("md",), agencies=["syt"])[-1].name == "syt.md"


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    """A killed worker (out of memory, a signal) must end the run with a clear error, never wait forever."""
    import os
    import signal

    from secassess.parallel import run_all

    def task(index: int) -> None:
        if index == 5:
            os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(EnvironmentFailure, match="worker process died"):
        run_all(task, 40, 2, lambda: None)
