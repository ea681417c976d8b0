"""YAML that is plainly some other tool's file gets one clear error instead of a schema error per key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import AS_OF

PRE_COMMIT_CONFIG = ("repos:\n  - repo: https://git.example.org/secassess\n    rev: v0.1.0\n"
                     "    hooks: [{id: secassess-lint}]\n")


@pytest.mark.parametrize(("text", "keys"), [
    (PRE_COMMIT_CONFIG, "its top-level keys are 'repos',"),
    ("services:\n  web: {image: nginx}\nvolumes: {}\nnetworks: {}\n",
     "its top-level keys are 'services', 'volumes', 'networks',"),
    ("{}\n", "it is an empty mapping,"),
], ids=["pre-commit-config", "compose", "empty"])
@pytest.mark.parametrize("command", ["lint", "assess"])
def test_other_yaml_is_named_as_such(text: str, keys: str, command: str, tmp_path: Path,
                                     run_cli: Callable[..., tuple[int, str, str]]) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(text, "utf-8")
    code, out, err = run_cli(command, str(path), "--as-of", AS_OF)
    lines = [line.removeprefix("secassess: ") for line in (out + err).splitlines() if str(path) in line]
    assert code == 2
    assert len(lines) == 1, out + err
    assert lines[0].startswith(f"{path}:1:1: ")
    assert f"not a secassess inventory: {keys} but an inventory has 'organisation' and 'agencies'" in lines[0]
    assert "`files:`" in lines[0]


@pytest.mark.parametrize("text", ["organization: {name: A, code: a}\n", "agencys: []\n", "network: {}\n"])
def test_a_misspelt_or_partial_inventory_still_gets_its_schema_errors(
        text: str, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(text, "utf-8")
    code, out, _ = run_cli("lint", str(path), "--as-of", AS_OF)
    assert code == 2
    assert "not a secassess inventory" not in out
    assert "required key 'organisation' is missing" in out
    if text.startswith("organization"):
        assert "did you mean 'organisation'?" in out
