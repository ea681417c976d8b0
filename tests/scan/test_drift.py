"""Drift rules on hand-built scan results (the real-nmap version is in test_scan_nmap.py)."""

from __future__ import annotations

import ipaddress

from secassess.errors import SourcePos
from secassess.scan.drift import DeclaredHost, DeclaredService, DriftKind, compare
from secassess.scan.model import HostResult, PortResult, ScanInfo, ScanResult
from secassess.scan.risky import RISKY_SERVICES, risky_service

K = DriftKind
POS = SourcePos("inv.yaml", 12, 3)


def tcp(port: int, state: str = "open") -> PortResult:
    return PortResult(port, "tcp", state, "syn-ack" if state == "open" else "conn-refused")


def result(*hosts: HostResult, services: str = "1-65535") -> ScanResult:
    return ScanResult("nmap", "7.93", "nmap ...", 1700000000, 1700000042, hosts,
                      (ScanInfo("connect", "tcp", services),))


def kinds(findings: tuple[object, ...]) -> list[tuple[str, str, int | None]]:
    return [(f.kind.value, f.address, f.port) for f in findings]  # type: ignore[attr-defined]


def test_each_drift_kind() -> None:
    declared = [
        DeclaredHost("web", ("127.0.0.21",), (DeclaredService(22, "tcp", "ssh"), DeclaredService(443, "tcp")), pos=POS),
        DeclaredHost("old", ("127.0.0.24",), (), status="decommissioned"),
        DeclaredHost("gone", ("127.0.0.25",), (), status="decommissioned"),
        DeclaredHost("slow", ("127.0.0.26",), (DeclaredService(22, "tcp"),)),
    ]
    scan = result(
        HostResult("127.0.0.21", "up", "user-set", ports=(tcp(22), tcp(443, "closed"), tcp(8080))),
        HostResult("127.0.0.23", "up", "user-set", ports=(tcp(6379),)),
        HostResult("127.0.0.24", "up", "user-set", ports=(tcp(2121),)),
        HostResult("127.0.0.25", "up", "user-set", ports=(tcp(2121, "closed"),)),
        HostResult("127.0.0.26", "timedout", "scan-limit"),
        HostResult("127.0.0.27", "up", "user-set", ports=(tcp(80, "closed"),)),
    )
    findings = compare(scan, declared)
    assert kinds(findings) == [
        ("declared_service_not_answering", "127.0.0.21", 443),
        ("risky_service_exposed", "127.0.0.21", 8080),
        ("undeclared_open_port", "127.0.0.21", 8080),
        ("risky_service_exposed", "127.0.0.23", 6379),
        ("unmanaged_host", "127.0.0.23", None),
        ("decommissioned_host_answers", "127.0.0.24", None),
        ("host_timed_out", "127.0.0.26", None),
    ]
    first = findings[0]
    assert (first.hostname, first.scan_time, first.inventory_pos, first.service) == ("web", 1700000042, POS, "")
    assert "closed" in first.detail
    assert findings[3].inventory_pos is None


def test_not_answering_only_for_scanned_ports() -> None:
    declared = [DeclaredHost("web", ("127.0.0.21",), (DeclaredService(22, "tcp"), DeclaredService(161, "udp")))]
    scan = result(HostResult("127.0.0.21", "up", "user-set", ports=()), services="80-100")
    assert compare(scan, declared) == ()
    scan = result(HostResult("127.0.0.21", "up", "user-set", ports=()), services="22")
    assert kinds(compare(scan, declared)) == [("declared_service_not_answering", "127.0.0.21", 22)]


def test_declared_host_down_and_down_status() -> None:
    declared = [DeclaredHost("web", ("127.0.0.21",), (DeclaredService(22, "tcp"),)),
                DeclaredHost("maint", ("127.0.0.22",), (DeclaredService(22, "tcp"),), status="down")]
    scan = result(HostResult("127.0.0.21", "down", "no-response"), HostResult("127.0.0.22", "down", "no-response"))
    findings = compare(scan, declared)
    assert kinds(findings) == [("declared_service_not_answering", "127.0.0.21", 22)]
    assert "host is down" in findings[0].detail


def test_unmanaged_only_inside_scope_and_only_if_alive() -> None:
    scan = result(HostResult("127.0.0.30", "up", "user-set", ports=(tcp(2222),)),
                  HostResult("127.0.0.99", "up", "user-set", ports=(tcp(2222),)),
                  HostResult("127.0.0.31", "up", "user-set", ports=(tcp(2222, "closed"),)),
                  HostResult("127.0.0.32", "up", "syn-ack"),
                  HostResult("127.0.0.33", "up", "localhost-response"))
    scope = (ipaddress.ip_network("127.0.0.0/26"),)
    assert kinds(compare(scan, [], scope)) == [("unmanaged_host", "127.0.0.30", None),
                                               ("unmanaged_host", "127.0.0.32", None)]


def test_addresses_compare_normalised() -> None:
    declared = [DeclaredHost("v6", ("0:0:0:0:0:0:0:1",), (DeclaredService(22, "tcp"),))]
    scan = result(HostResult("::1", "up", "user-set", ports=(tcp(22),)))
    assert compare(scan, declared) == ()


def test_risky_table_is_data() -> None:
    assert risky_service(23, "tcp").name == "telnet"  # type: ignore[union-attr]
    assert risky_service(5902, "tcp").name == "vnc"  # type: ignore[union-attr]
    assert risky_service(161, "udp").name == "snmp"  # type: ignore[union-attr]
    assert risky_service(161, "tcp") is None
    assert risky_service(22, "tcp") is None
    for port in (21, 23, 139, 445, 3389, 5900, 5903, 1433, 1521, 3306, 5432, 6379, 9200, 27017, 8080, 8443, 10000):
        assert risky_service(port, "tcp") is not None, port
    assert all(r.low <= r.high and r.why for r in RISKY_SERVICES)
