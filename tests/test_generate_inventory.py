"""The benchmark generator writes valid, lint-clean, deterministic inventories of the asked size."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.inventory.model import Inventory
from secassess.lint.referential import LintProblem, lint_inventory

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate_inventory.py"


def generate(assets: int, out: Path, seed: int | None = None, agency_assets: int | None = None) -> None:
    command = [sys.executable, str(GENERATOR), "--assets", str(assets), "--out", str(out)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if agency_assets is not None:
        command += ["--agency-assets", str(agency_assets)]
    subprocess.run(command, check=True, capture_output=True)


def asset_count(inventory: Inventory) -> int:
    return len(inventory.agencies) + sum(
        len(a.servers) + len(a.workstations) + len(a.workstation_groups) + len(a.security_devices)
        for a in inventory.agencies)


@pytest.mark.parametrize("assets", [pytest.param(3, id="tiny"), pytest.param(1_000, id="1k"),
                                    pytest.param(10_000, id="10k", marks=pytest.mark.slow)])
def test_generated_inventory_loads_with_exact_asset_count(tmp_path: Path, assets: int) -> None:
    out = tmp_path / "inventory.yaml"
    generate(assets, out)
    loaded = load_inventory(str(out))
    assert asset_count(loaded.inventory) == assets
    assert problems_but_legacy_kinds(loaded) == []


def test_shape_is_realistic(tmp_path: Path) -> None:
    out = tmp_path / "inventory.yaml"
    generate(3_000, out)
    inventory = load_inventory(str(out)).inventory
    for agency in inventory.agencies:
        size = 1 + len(agency.servers) + len(agency.workstations) + len(agency.workstation_groups) + len(
            agency.security_devices)
        assert 200 <= size <= 1_200
        assert agency.security_devices[0].kind == "firewall"
        assert all(2 <= len(s.services) <= 4 for s in agency.servers)
        hostnames = {s.hostname for s in agency.servers}
        assert all(set(system.servers) <= hostnames for system in agency.systems)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    generate(500, first)
    generate(500, second)
    generate(500, other, seed=7)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert asset_count(load_inventory(str(other)).inventory) == 500


def test_small_agencies_give_many_agencies(tmp_path: Path) -> None:
    """--agency-assets (the PDF benchmark's 1,000 agencies): every agency that size, the last takes the rest."""
    out = tmp_path / "inventory.yaml"
    generate(1_030, out, agency_assets=50)
    loaded = load_inventory(str(out))
    assert len(loaded.inventory.agencies) == 20
    assert asset_count(loaded.inventory) == 1_030
    assert problems_but_legacy_kinds(loaded) == []


def problems_but_legacy_kinds(loaded: LoadedInventory) -> list[LintProblem]:
    """Lint problems of a generated inventory, but the notices on legacy agency kinds: the generator keeps
    writing district and provincial-city committees so that benchmark figures stay comparable over time."""
    return [p for p in lint_inventory(loaded, dt.date(2026, 11, 22)) if p.rule_id != "SA-LINT-LEGACY-KIND"]
