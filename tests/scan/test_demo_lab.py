"""The one-machine demo: the lab derived from sample_inventory.yaml, a real scan, and the drift assessed.

`python -m secassess.scan.lab --inventory sample_inventory.yaml` must produce exactly the drift it
documents (see `plan_from_inventory`), so a newcomer running scripts/demo-scan.sh sees real findings.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import secassess.scan.lab as lab_module
from secassess.assessment.document import read_result
from secassess.cli import main
from secassess.diagnostics import Outcome
from secassess.errors import EnvironmentFailure
from secassess.inventory.load import load_inventory
from secassess.scan.lab import Lab, Listener, Role, plan_from_inventory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_inventory.yaml"

DRIFT_FAILS = {
    ("SA-SCAN-SVC-001", "agency:tttich-hop/server:dc-dvc-web01"),    # 443 declared, left closed
    ("SA-SCAN-PORT-001", "agency:tttich-hop/server:dc-lgsp-gw01"),   # 3306 opened, undeclared
    ("SA-SCAN-RISKY-001", "agency:tttich-hop/server:dc-lgsp-gw01"),  # ... and a database port
    ("SA-SCAN-UNMANAGED-001", "organisation:song-lam"),              # 127.0.10.99: telnet, vnc
    ("SA-SCAN-DECOM-001", "agency:ubnd-dl"),                         # dl-web-old01 answers
}
"""The deliberate drift of the inventory-derived lab."""

DECLARED_RISKY_FAILS = {
    ("SA-SCAN-RISKY-001", "agency:tttich-hop/server:dc-dvc-app01"),  # 8080 declared, admin port
    ("SA-SCAN-RISKY-001", "agency:tttich-hop/server:dc-egov-app01"),  # 8443 declared, admin port
    ("SA-SCAN-RISKY-001", "agency:tttich-hop/server:dc-dvc-db01"),   # 5432 declared, database
    ("SA-SCAN-RISKY-001", "agency:ubnd-dl/server:dl-fs01"),          # 139, 445, 3389 declared
}
"""Declared services the sample's lab servers run that are risky anyway."""


def test_plan_from_sample_inventory() -> None:
    plan = plan_from_inventory(load_inventory(str(SAMPLE)))
    drift = {(p.role, p.listener.address, p.listener.port) for p in plan.planned if p.role is not Role.DECLARED}
    assert drift == {(Role.UNDECLARED, "127.0.10.12", 3306), (Role.UNMANAGED, "127.0.10.99", 23),
                     (Role.UNMANAGED, "127.0.10.99", 5900), (Role.DECOMMISSIONED, "127.0.10.36", 80),
                     (Role.DECOMMISSIONED, "127.0.10.36", 8443)}
    declared = {(p.listener.address, p.listener.port) for p in plan.planned if p.role is Role.DECLARED}
    assert ("127.0.10.11", 80) in declared
    assert ("127.0.10.11", 443) not in declared  # the declared service left closed
    assert {a for a, _ in declared} == {"127.0.10.11", "127.0.10.12", "127.0.10.19", "127.0.10.20",
                                        "127.0.10.27", "127.0.10.35"}
    assert len(plan.listeners) == len(set(plan.listeners))
    assert not plan.notes
    assert any("127.0.10.11:443/tcp" in line and "SA-SCAN-SVC-001" in line for line in plan.expected)


SMALL = """\
organisation: {name: Tinh Lab, code: lab}
lab_scope: {cidrs: [127.0.0.32/28]}
agencies:
  - id: a1
    name: Agency
    kind: department
    servers:
      - {hostname: one, addresses: [127.0.0.33], os: {name: Linux}, lab: true, services: [{port: 3306, name: mysql}]}
      - {hostname: halted, addresses: [127.0.0.34], os: {name: Linux}, lab: true, status: down,
         services: [{port: 2222, name: ssh}]}
      - {hostname: gone, addresses: [127.0.0.35], os: {name: Linux}, lab: true, status: decommissioned}
"""


def test_plan_rules_on_a_small_inventory(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(SMALL)
    plan = plan_from_inventory(load_inventory(str(path)))
    got = {(p.role, p.hostname, p.listener.address, p.listener.port) for p in plan.planned}
    assert got == {
        (Role.DECLARED, "one", "127.0.0.33", 3306),  # a single service is never the one left closed
        (Role.UNDECLARED, "one", "127.0.0.33", 6379),  # alone, so it also gets the extra port (3306 is taken)
        (Role.UNMANAGED, "", "127.0.0.40", 23),  # a /28 has no .99: from the middle, first free address
        (Role.UNMANAGED, "", "127.0.0.40", 5900),
        (Role.DECOMMISSIONED, "gone", "127.0.0.35", 22),  # declares nothing: answers on ssh
    }  # "halted" is down: silent


class _Unprivileged(socket.socket):
    """A socket refusing ports below 1024 with EACCES, as Linux does without root."""

    def bind(self, address: object) -> None:
        if isinstance(address, tuple) and address[1] < 1024:
            raise PermissionError(errno.EACCES, "Permission denied")
        super().bind(address)  # type: ignore[arg-type]


def test_low_ports_without_root_are_skipped_with_a_message(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(lab_module.socket, "socket", _Unprivileged)
    with Lab([Listener("127.0.0.51", 80), Listener("127.0.0.51", 2080)], skip_denied=True) as lab:
        assert lab.skipped == (Listener("127.0.0.51", 80),)
        assert lab.opened == (Listener("127.0.0.51", 2080),)
    with pytest.raises(EnvironmentFailure, match=r"127\.0\.0\.51:80"), Lab([Listener("127.0.0.51", 80)]):
        pass  # without skip_denied a refused port is still an EnvironmentFailure
    assert lab_module.main(["--inventory", str(SAMPLE), "--seconds", "0.2"]) == 0
    err = capsys.readouterr().err
    assert ("cannot listen on 127.0.10.11:80: permission denied (ports below 1024 need root); skipped, so the "
            "scan will report dc-dvc-web01's http as declared_service_not_answering") in err
    assert "cannot listen on 127.0.10.99:23" in err
    assert "listening on 127.0.10.99:5900" in err
    assert "expected drift" in err


def _start_lab(tmp_path: Path) -> tuple[subprocess.Popen[str], set[tuple[str, int]]]:
    """The documented command, in the background; returns it and the listeners it opened."""
    ready = tmp_path / "lab.ready"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "secassess.scan.lab", "--inventory", str(SAMPLE),
                             "--seconds", "300", "--ready-file", str(ready)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"the lab did not come up (exit {proc.returncode}): {err}")
        time.sleep(0.05)
    opened = {(a, int(p)) for a, _, p in (line.rpartition(":") for line in ready.read_text().split())}
    return proc, opened


def test_demo_lab_scan_and_assess_fail_exactly_the_documented_drift(real_nmap: str, no_nmap_left: None,
                                                                    tmp_path: Path) -> None:
    plan = plan_from_inventory(load_inventory(str(SAMPLE)))
    proc, opened = _start_lab(tmp_path)
    try:
        scan_json = tmp_path / "scan.json"
        assert main(["scan", str(SAMPLE), "--out", str(scan_json), "--xml", str(tmp_path / "scan.xml")]) == 0
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert not (tmp_path / "lab.ready").exists()
    result = tmp_path / "result.json"
    assert main(["assess", str(SAMPLE), "--scan", str(scan_json), "--as-of", "2026-11-22",
                 "--format", "json", "-o", str(result)]) == 0
    findings = [f for f in read_result(result).findings if f.check.startswith("SA-SCAN-")]
    failed = {(f.check, f.entity) for f in findings if f.outcome is Outcome.FAIL}

    # Without root the lab skips ports below 1024 (and says so): each lab server missing a declared
    # port then also fails SA-SCAN-SVC-001. As root (CI) nothing is skipped.
    skipped = [p for p in plan.planned if (p.listener.address, p.listener.port) not in opened]
    assert all(p.listener.port < 1024 for p in skipped), skipped
    entities = {f.entity.rpartition(":")[2]: f.entity for f in findings if "/server:" in f.entity}
    not_answering = {("SA-SCAN-SVC-001", entities[p.hostname]) for p in skipped if p.role is Role.DECLARED}
    assert failed == DRIFT_FAILS | DECLARED_RISKY_FAILS | not_answering
    assert not [f for f in findings if f.outcome is Outcome.ERROR]

    messages = {(f.check, f.entity): f.message for f in findings}
    assert "'443/tcp https'" in messages["SA-SCAN-SVC-001", "agency:tttich-hop/server:dc-dvc-web01"]
    assert "'3306/tcp mysql'" in messages["SA-SCAN-PORT-001", "agency:tttich-hop/server:dc-lgsp-gw01"]
    assert "['127.0.10.99']" in messages["SA-SCAN-UNMANAGED-001", "organisation:song-lam"]
    assert "['dl-web-old01']" in messages["SA-SCAN-DECOM-001", "agency:ubnd-dl"]
