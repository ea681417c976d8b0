"""Real nmap against loopback lab hosts built by the tests (127.0.0.x listeners only)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import pytest

from secassess.scan.drift import DeclaredHost, DeclaredService, compare
from secassess.scan.lab import DEMO_DECLARED, DEMO_LAB, Lab
from secassess.scan.load import load_scan_file
from secassess.scan.model import LIMIT_REASON
from secassess.scan.runner import run_scan
from secassess.scan.service import scan
from secassess.scan.targets import parse_targets

pytestmark = pytest.mark.nmap

SCOPE = (ipaddress.ip_network("127.0.0.16/28"),)
SPEC = (("127.0.0.21", 2222), ("127.0.0.21", 8080), ("127.0.0.22", 3306))
DECLARED = (
    DeclaredHost("web-01", ("127.0.0.21",),
                 (DeclaredService(2222, "tcp", "ssh"), DeclaredService(8443, "tcp", "https"))),
    DeclaredHost("db-01", ("127.0.0.22",), (DeclaredService(3306, "tcp", "mysql"),)),
)


def open_ports(result: object) -> dict[str, list[int]]:
    return {h.address: [p.port for p in h.open_ports] for h in result.hosts}  # type: ignore[attr-defined]


def test_lab_scan_exact_ports_and_drift(real_nmap: str, lab: Callable[..., Lab], no_nmap_left: None,
                                        tmp_path: Path) -> None:
    lab(SPEC)
    result, raw = scan(["127.0.0.21", "127.0.0.22", "127.0.0.23"], SCOPE, ports="2222,3306,8080,8443", limit=60)
    assert open_ports(result) == {"127.0.0.21": [2222, 8080], "127.0.0.22": [3306], "127.0.0.23": []}
    assert {h.status for h in result.hosts} == {"up"}
    assert result.warnings == ()
    assert result.nmap_version
    assert "-sT" in result.args
    findings = compare(result, DECLARED, SCOPE)
    assert [(f.kind.value, f.address, f.port) for f in findings] == [
        ("declared_service_not_answering", "127.0.0.21", 8443),
        ("risky_service_exposed", "127.0.0.21", 8080),
        ("undeclared_open_port", "127.0.0.21", 8080),
        ("risky_service_exposed", "127.0.0.22", 3306),
    ]
    assert all(f.scan_time == result.finished > 0 for f in findings)
    # the raw XML saved with --xml re-imports to the same result through the same parser
    saved = tmp_path / "raw.xml"
    saved.write_text(raw)
    assert load_scan_file(str(saved)) == result


def test_unmanaged_host_and_cidr_target(real_nmap: str, lab: Callable[..., Lab], no_nmap_left: None) -> None:
    lab((("127.0.0.29", 2222),))
    result, _ = scan(["127.0.0.28/30"], SCOPE, ports="2222", limit=60)
    assert open_ports(result) == {"127.0.0.28": [], "127.0.0.29": [2222], "127.0.0.30": [], "127.0.0.31": []}
    findings = compare(result, DECLARED, SCOPE)
    assert [(f.kind.value, f.address) for f in findings] == [("unmanaged_host", "127.0.0.29")]


def test_demo_lab_shows_every_kind_but_timeout(real_nmap: str, no_nmap_left: None) -> None:
    with Lab(DEMO_LAB):
        ports = ",".join(str(p) for p in sorted({item.port for item in DEMO_LAB} | {5432, 8443}))
        result, _ = scan(["127.0.0.16/28"], SCOPE, ports=ports, limit=60)
    kinds = {f.kind.value for f in compare(result, DEMO_DECLARED, SCOPE)}
    assert kinds == {"undeclared_open_port", "declared_service_not_answering", "unmanaged_host",
                     "risky_service_exposed", "decommissioned_host_answers"}


def test_version_mode_reads_banner(real_nmap: str, no_nmap_left: None) -> None:
    with Lab(DEMO_LAB[:1]):
        result, _ = scan(["127.0.0.21"], SCOPE, mode="version", ports="2222", limit=120)
    (port,) = result.hosts[0].open_ports
    assert port.service == "ssh"  # named from the banner (-sV): the port-table name of 2222 is EtherNetIP-1
    assert port.extrainfo == "protocol 2.0"


def test_wall_clock_limit_kills_nmap(real_nmap: str, lab: Callable[..., Lab], no_nmap_left: None) -> None:
    """All 65535 ports of 16 hosts cannot finish in 0.3 s: nmap is killed, reaped, hosts listed unfinished."""
    lab(SPEC)
    addresses = parse_targets(["127.0.0.16/28"], SCOPE)
    result, raw = run_scan(addresses, ports=tuple(range(1, 65536)), limit=0.3)
    unfinished = [h.address for h in result.hosts if h.status == "timedout"]
    assert unfinished
    assert all(h.reason == LIMIT_REASON for h in result.hosts if h.status == "timedout")
    assert {h.address for h in result.hosts} == {str(a) for a in addresses}
    assert any("time limit" in w and unfinished[0] in w for w in result.warnings)
    assert raw.startswith("<?xml")  # what nmap wrote before the kill is kept for --xml
    findings = compare(result, DECLARED, SCOPE)
    assert {f.kind.value for f in findings} == {"host_timed_out"}


def test_host_timeout_reported_as_timedout(real_nmap: str, lab: Callable[..., Lab], no_nmap_left: None) -> None:
    """8 hosts x 65535 ports take ~9 s in parallel here; nmap's 1 s --host-timeout gives up on each."""
    lab(SPEC)
    addresses = parse_targets(["127.0.0.16/29"], SCOPE)
    result, _ = run_scan(addresses, ports=tuple(range(1, 65536)), host_timeout=1, limit=60)
    assert [(h.status, h.ports) for h in result.hosts] == [("timedout", ())] * 8
    assert all(h.reason != LIMIT_REASON for h in result.hosts)  # nmap's verdict, not our wall-clock limit
