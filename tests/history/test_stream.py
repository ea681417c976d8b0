"""`document.stream_result`, which `diff` reads both results with: the same agencies as `read_result`, at any
chunk size (values cut by a chunk's end are read on, not refused), and errors still placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from secassess.assessment import document
from secassess.assessment.document import read_result, stream_result
from secassess.errors import InputError


def small_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(document._Scanner, "CHUNK", chunk)
    monkeypatch.setattr(document._Scanner._more, "__defaults__", (chunk,))


@pytest.mark.parametrize("chunk", [7, 64, 1000, 4096])
def test_streamed_agencies_equal_the_stored_ones(results: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                 chunk: int) -> None:
    whole = read_result(results["changed"])
    small_chunks(monkeypatch, chunk)
    small, agencies = stream_result(results["changed"])
    assert small.ranking == whole.ranking and small.province_findings == whole.province_findings
    assert list(agencies) == list(whole.iter_agencies())


def test_streamed_errors_name_the_place(results: dict[str, Path], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    small_chunks(monkeypatch, 64)
    lines = results["old"].read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(i for i, line in enumerate(lines) if line.startswith('  {"details"'))
    lines[broken] = lines[broken].replace('"findings":[', '"findings":[tru', 1)
    bad = tmp_path / "bad.json"
    bad.write_text("".join(lines), encoding="utf-8")
    _, agencies = stream_result(bad)
    with pytest.raises(InputError) as caught:
        list(agencies)
    assert f"bad.json:{broken + 1}:" in caught.value.message
