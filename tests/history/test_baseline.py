"""`assess --baseline OLD.json --fail-on SEV`: only findings the baseline did not have fail the run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from history_data import REPO, one_new_high, sample_text

CliRunner = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-22"


def assess(run_cli: CliRunner, inventory: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("assess", str(inventory), "--as-of", AS_OF, "-o", "/dev/null", *extra)


def test_unchanged_sample_passes_the_gate(run_cli: CliRunner, results: dict[str, Path]) -> None:
    sample = REPO / "sample_inventory.yaml"
    assert assess(run_cli, sample, "--fail-on", "high")[0] == 1  # known debt fails without a baseline
    code, _, err = assess(run_cli, sample, "--baseline", str(results["old"]), "--fail-on", "high")
    assert code == 0, err
    assert "no finding at or above high that is not in the baseline" in err


def test_one_new_high_finding_fails_the_gate(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    inventory = tmp_path / "high.yaml"
    inventory.write_text(one_new_high(sample_text()), encoding="utf-8")
    code, _, err = assess(run_cli, inventory, "--baseline", str(results["old"]), "--fail-on", "high")
    assert code == 1
    assert "1 finding(s) at or above high not in the baseline" in err
    assert "SA-SRV-EOL-001 agency:stttt/server:stttt-fs01" in err
    assert assess(run_cli, inventory, "--baseline", str(results["old"]), "--fail-on", "critical")[0] == 0


def test_waived_findings_stay_waived(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    inventory = tmp_path / "high.yaml"
    inventory.write_text(one_new_high(sample_text()), encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - check: SA-SRV-EOL-001\n    entity: agency:stttt/server:stttt-fs01\n"
                       "    reason: Nâng cấp hệ điều hành theo kế hoạch quý I/2027\n"
                       "    approver: Giám đốc Sở\n    expires: 2027-03-31\n", encoding="utf-8")
    code, _, err = assess(run_cli, inventory, "--waivers", str(waivers), "--baseline", str(results["old"]),
                          "--fail-on", "high")
    assert code == 0, err


def test_baseline_needs_fail_on_and_a_valid_file(run_cli: CliRunner, results: dict[str, Path],
                                                 tmp_path: Path) -> None:
    sample = REPO / "sample_inventory.yaml"
    code, _, err = assess(run_cli, sample, "--baseline", str(results["old"]))
    assert code == 2 and "--fail-on" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something else"}', encoding="utf-8")
    code, _, err = assess(run_cli, sample, "--baseline", str(bad), "--fail-on", "high")
    assert code == 2 and "bad.json" in err
