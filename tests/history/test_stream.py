"""`document.stream_result`, which `diff` reads both results with: the same agencies as `read_result`, at any
chunk size (values cut by a chunk's end are read on, not refused), and errors still placed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from secassess.assessment import document
from secassess.assessment.document import read_result, stream_result
from secassess.errors import EnvironmentFailure, InputError
from secassess.history.earlier import earlier_agencies
from secassess.parallel import forked_stream


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


def test_a_broken_earlier_result_is_placed_though_read_in_a_child(results: dict[str, Path], tmp_path: Path,
                                                                  run_cli: Any) -> None:
    """`diff` decodes the earlier result in a forked process: its errors still name the file and line, exit 2."""
    lines = results["old"].read_text(encoding="utf-8").splitlines(keepends=True)
    broken = [i for i, line in enumerate(lines) if line.startswith('  {"details"')][-1]
    lines[broken] = lines[broken].replace('"findings":[', '"findings":[tru', 1)
    bad = tmp_path / "bad.json"
    bad.write_text("".join(lines), encoding="utf-8")
    code, _, err = run_cli("diff", str(bad), str(results["changed"]))
    assert code == 2 and f"bad.json:{broken + 1}:" in err and "Traceback" not in err


def test_earlier_agencies_equal_the_streamed_ones_but_for_what_a_comparison_skips(results: dict[str, Path]) -> None:
    whole = read_result(results["old"])
    small, agencies = stream_result(results["old"])
    earlier = list(earlier_agencies(small, agencies))
    plain = [replace(a, findings=tuple(replace(f, evidence=(), notes=(), waiver=None) for f in a.findings))
             for a in whole.iter_agencies()]
    assert earlier == plain and sum(len(a.findings) for a in earlier) > 100


def _produce_then(failure: str) -> Iterator[int]:
    yield 1
    if failure == "dies":
        os._exit(9)
    if failure == "input":
        raise InputError([(None, "x.json:3:4: not a valid assessment result")])
    raise KeyError("a bug")


@pytest.mark.parametrize(("failure", "error", "message"), [
    ("dies", EnvironmentFailure, "reader process died"),
    ("input", InputError, "x.json:3:4: not a valid assessment result"),
    ("bug", RuntimeError, "KeyError"),
])
def test_a_forked_stream_reports_its_child_failing(failure: str, error: type[Exception], message: str) -> None:
    stream = forked_stream(lambda: _produce_then(failure))
    assert next(stream) == 1
    with pytest.raises(error, match=message):
        next(stream)
