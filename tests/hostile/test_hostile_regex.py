"""Item 13.2 (checklists): a province's regex runs in linear time, whatever the pattern."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from secassess.linear_regex import RegexError, compile_linear

CATASTROPHIC = (r"^(\w+\s?)+$", r"^(a|a)+$", r"^((a+))+$", r"(a+)+$", r"^(a|aa)+$")
NAME = "a" * 45 + "!"
"""45 characters then a mismatch: Python's backtracking `re` runs for hours on each pattern above."""


def _checklist(directory: Path, pattern: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / "names.yaml"
    path.write_text(textwrap.dedent(f"""\
        checklist: province-names
        title: {{vi: "Tên", en: "Names"}}
        checks:
          - id: PROV-NAME-001
            title: {{vi: "Tên hợp lệ", en: "Valid name"}}
            rationale: Test.
            remediation: {{vi: "Sửa tên.", en: "Fix the name."}}
            severity: low
            domain: governance
            entity: agency
            references: [{{source: province-practice}}]
            condition: {{field: name, op: regex, value: '{pattern}'}}
        """), encoding="utf-8")
    return path


def _inventory(path: Path, name: str) -> Path:
    path.write_text(f"organisation: {{name: T, code: t}}\nagencies:\n  - {{id: a, name: '{name}', kind: department}}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_pattern_finishes(tmp_path: Path, pattern: str) -> None:
    _checklist(tmp_path / "province", pattern)
    inventory = _inventory(tmp_path / "inv.yaml", NAME)
    # A guard against a hang, not a timing: backtracking would take hours, linear matching microseconds.
    done = subprocess.run([sys.executable, "-m", "secassess", "assess", str(inventory), "--checklists",
                           str(tmp_path / "province"), "--format", "json", "--as-of", "2026-11-22"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert '"PROV-NAME-001"' in done.stdout
    assert "internal error" not in done.stderr


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_linear_engine_gives_pythons_answer(pattern: str) -> None:
    import re
    compiled = compile_linear(pattern)
    for text in ("aaaa", "a a a", "Sở Thông tin", ""):
        assert compiled.search(text) == (re.search(pattern, text) is not None), text
    assert compiled.search(NAME) is False


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    (r"^\w+$", "Đà_Nẵng", True),  # \w keeps Python's Unicode meaning (RE2's own is ASCII)
    (r"^\d+$", "١٢٣", True),
    (r"^\s$", "\u00a0", True),
    (r"^[\w\s]+$", "Sở Thông tin", True),
    (r"^\W$", "đ", False),
    (r"^\S+$", "a b", False),
    (r"x\Z", "ax", True),
    (r"^[]a]+$", "]a", True),
    (r"(?i)^SỞ", "sở y tế", True),
])
def test_unicode_meaning_is_kept(pattern: str, text: str, expected: bool) -> None:
    import re
    assert (re.search(pattern, text) is not None) is expected
    assert compile_linear(pattern).search(text) is expected


@pytest.mark.parametrize(("pattern", "message"), [
    (r"(a)\1", "no back-references"),
    (r"a(?=b)", "look-around"),
    (r"\bweb\b", "word boundary"),
    (r"[\W]", "negated class"),
])
def test_unsupported_pattern_is_refused(pattern: str, message: str) -> None:
    with pytest.raises(RegexError, match=message):
        compile_linear(pattern)


def test_refused_pattern_names_the_check_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    checklist = _checklist(tmp_path / "province", r"(a)\1")
    inventory = _inventory(tmp_path / "inv.yaml", "x")
    code, _out, err = run_cli("assess", str(inventory), "--checklists", str(tmp_path / "province"))
    assert code == 2
    assert f"{checklist}:" in err and "no back-references" in err
    line = int(err.split(f"{checklist}:", 1)[1].split(":", 1)[0])
    assert "op: regex" in checklist.read_text(encoding="utf-8").splitlines()[line - 1]
