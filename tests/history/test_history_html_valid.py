"""The diff, the history sections and the annual report validated by the Nu HTML Checker (needs Java)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from history_data import REPO, sample_text, write_result
from support import AS_OF

sys.path.insert(0, str(REPO / "tests" / "report"))
from vnu import vnu_problems

CliRunner = Callable[..., tuple[int, str, str]]


@pytest.mark.slow
def test_pages_are_valid_html(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    pages = []
    for lang in ("vi", "en"):
        page = tmp_path / f"diff-{lang}.html"
        assert run_cli("diff", str(results["old"]), str(results["changed"]), "--format", "html", "--lang", lang,
                       "-o", str(page))[0] == 0
        pages.append(page)
    history = tmp_path / "history"
    write_result(sample_text(), history, "earlier", as_of=dt.date(2025, 11, 22))
    out = tmp_path / "reports"
    code, _, err = run_cli("report", str(REPO / "sample_inventory.yaml"), "--as-of", AS_OF, "--history",
                           str(history), "-o", str(out), "--agency", "stttt", "--format", "html")
    assert code == 0, err
    code, _, err = run_cli("report", str(REPO / "sample_inventory.yaml"), "--as-of", AS_OF, "--history",
                           str(history), "-o", str(out / "all"), "--format", "html")
    assert code == 0, err
    code, _, err = run_cli("report", str(REPO / "sample_inventory.yaml"), "--as-of", AS_OF, "--annual",
                           "--history", str(history), "-o", str(out / "annual"))
    assert code == 0, err
    pages += [out / "stttt.html", out / "all" / "index.html", out / "annual" / "bao-cao-nam-2026.html"]
    code, problems = vnu_problems(pages)
    assert code == 0 and not problems, problems
