"""Every inventory under tests/inventories: valid ones lint clean, invalid ones give exactly their expected messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import AS_OF, INVENTORIES, REPO

VALID = sorted((INVENTORIES / "valid").glob("*.yaml"))
INVALID = sorted((INVENTORIES / "invalid").glob("*.yaml"))


def expected_problems(path: Path) -> list[str]:
    """The `# expect: LINE:COL: message` lines at the top of an invalid inventory."""
    return [line[len("# expect: "):] for line in path.read_text("utf-8").splitlines()
            if line.startswith("# expect: ")]


@pytest.mark.parametrize("path", [*VALID, REPO / "sample_inventory.yaml"], ids=lambda p: p.name)
def test_valid_inventory_lints_clean(path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = run_cli("lint", str(path), "--as-of", AS_OF)
    assert (code, out) == (0, "no problems in 1 file(s)\n")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_inventory_gives_exact_messages(path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    expected = expected_problems(path)
    assert expected, f"{path.name} has no '# expect:' lines"
    code, out, _ = run_cli("lint", str(path), "--as-of", AS_OF, "--format", "json")
    assert code == 2
    got = [f"{d['line']}:{d['column']}: {d['message']}" for d in json.loads(out)["diagnostics"]]
    assert got == expected
    assert all(d["file"] == str(path) for d in json.loads(out)["diagnostics"])


def test_text_output_is_file_line_column_message(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    path = INVENTORIES / "invalid" / "duplicate_key.yaml"
    code, out, _ = run_cli("lint", str(path))
    assert code == 2
    assert out.splitlines()[0] == (f"{path}:6:3: high: duplicate key 'name' (first defined at line 4, column 3); "
                                   "remove one of them [SA-LINT-YAML]")


def test_lint_several_files_reports_each(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    a, b = INVENTORIES / "invalid" / "tabs.yaml", INVENTORIES / "invalid" / "references.yaml"
    code, out, _ = run_cli("lint", str(a), str(b), str(VALID[0]), "--format", "json", "--as-of", AS_OF)
    files = {d["file"] for d in json.loads(out)["diagnostics"]}
    assert (code, files) == (2, {str(a), str(b)})


def test_future_dates_depend_on_as_of(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    path = INVENTORIES / "invalid" / "counts_dates_secrets.yaml"
    _, late, _ = run_cli("lint", str(path), "--as-of", "2027-06-01", "--format", "json")
    _, early, _ = run_cli("lint", str(path), "--as-of", AS_OF, "--format", "json")
    assert sum("after the assessment date" in d["message"] for d in json.loads(late)["diagnostics"]) == 0
    assert sum("after the assessment date" in d["message"] for d in json.loads(early)["diagnostics"]) == 1


@pytest.mark.parametrize("kind", ["district_committee", "city_committee"])
def test_legacy_agency_kind_is_a_notice_at_its_line(tmp_path: Path, kind: str,
                                                    run_cli: Callable[..., tuple[int, str, str]]) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("organisation: {name: T, code: t}\nagencies:\n  - id: a\n    name: A\n"
                    f"    kind: {kind}\n  - {{id: b, name: B, kind: ward_commune}}\n", encoding="utf-8")
    code, out, _ = run_cli("lint", str(path), "--as-of", AS_OF)
    assert code == 0, out  # still accepted: a notice below the default --fail-on
    assert f"{path}:5:5: info: kind '{kind}' is a People's Committee level abolished on 1 July 2025" in out
    assert "SA-LINT-LEGACY-KIND" in out and f"{path}:6:" not in out
    assert run_cli("lint", str(path), "--as-of", AS_OF, "--fail-on", "info")[0] == 2
