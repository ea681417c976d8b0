"""Real nmap against loopback listeners matching a small inventory with deliberate drift, then assessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from secassess.api import assess
from secassess.diagnostics import Outcome
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import load_inventory
from secassess.scan.facts import ScanFactProvider
from secassess.scan.lab import Lab
from secassess.scan.service import scan

pytestmark = pytest.mark.nmap

INVENTORY = """\
organisation: {name: Tinh Lab, code: lab}
lab_scope: {cidrs: [127.0.0.32/28]}
agencies:
  - id: a1
    name: Agency
    kind: department
    servers:
      - {hostname: web1, addresses: [127.0.0.41], os: {name: Linux}, lab: true, status: active,
         services: [{port: 2222, name: ssh}, {port: 8443, name: https}]}
      - {hostname: app1, addresses: [127.0.0.42], os: {name: Linux}, lab: true, status: active,
         services: [{port: 9000, name: app}]}
      - {hostname: old1, addresses: [127.0.0.44], os: {name: Linux}, lab: true, status: decommissioned}
    workstations:
      - {hostname: ws1, address: 127.0.0.43, os: {name: Windows}, status: active}
    security_devices:
      - {id: fw1, kind: firewall, address: 127.0.0.46, status: active}
"""

LISTENERS = (
    ("127.0.0.41", 2222),  # declared
    ("127.0.0.41", 8080),  # undeclared and risky (admin panel); 8443 declared but silent
    ("127.0.0.42", 9000),  # declared: app1 is clean
    ("127.0.0.43", 3389),  # a workstation with remote desktop open
    ("127.0.0.44", 2121),  # decommissioned, still answering
    ("127.0.0.45", 6379),  # unmanaged, inside the lab scope
)
PORTS = "2121,2222,3389,6379,8080,8443,9000"


def test_scan_drift_fails_exactly_the_expected_checks(real_nmap: str, lab: Callable[..., Lab], no_nmap_left: None,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY)
    loaded = load_inventory(str(path))
    lab(LISTENERS)
    result, _ = scan(["127.0.0.40/29"], loaded.inventory.lab_scope.cidrs, ports=PORTS, limit=60)
    providers = [ScanFactProvider([result], loaded), GraphFactProvider.from_inventory(loaded)]
    assessed = assess(loaded, as_of=dt.date(2026, 11, 22), fact_providers=providers)
    scan_findings = [f for f in assessed.findings if f.check.startswith("SA-SCAN-")]
    failed = sorted((f.check, f.entity) for f in scan_findings if f.outcome is Outcome.FAIL)
    assert failed == [
        ("SA-SCAN-DECOM-001", "agency:a1"),
        ("SA-SCAN-PORT-001", "agency:a1/server:web1"),
        ("SA-SCAN-PORT-002", "agency:a1/workstation:ws1"),
        ("SA-SCAN-RISKY-001", "agency:a1/server:web1"),
        ("SA-SCAN-RISKY-002", "agency:a1/workstation:ws1"),
        ("SA-SCAN-SVC-001", "agency:a1/server:web1"),
        ("SA-SCAN-UNMANAGED-001", "organisation:lab"),
    ]
    assert not [f for f in scan_findings if f.outcome is Outcome.ERROR]
    passed = {(f.check, f.entity) for f in scan_findings if f.outcome is Outcome.PASS}
    assert {("SA-SCAN-PORT-001", "agency:a1/server:app1"), ("SA-SCAN-SVC-001", "agency:a1/server:app1"),
            ("SA-SCAN-RISKY-003", "agency:a1/security_device:fw1"),
            ("SA-SCAN-TIMEOUT-003", "agency:a1/security_device:fw1")} <= passed
    messages = {(f.check, f.entity): f.message for f in scan_findings}
    assert "scan.declared_not_answering = ['8443/tcp https']" in messages["SA-SCAN-SVC-001", "agency:a1/server:web1"]
    assert "scan.risky_services = ['8080/tcp http-alt/admin']" in messages["SA-SCAN-RISKY-001",
                                                                           "agency:a1/server:web1"]
    assert "scan.decommissioned_answering = ['old1']" in messages["SA-SCAN-DECOM-001", "agency:a1"]
    assert "scan.unmanaged_hosts = ['127.0.0.45']" in messages["SA-SCAN-UNMANAGED-001", "organisation:lab"]
