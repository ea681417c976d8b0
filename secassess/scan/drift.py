"""Drift: where a scan disagrees with the inventory.

The inventory is seen through `DeclaredHost`, a small view the inventory model can be mapped onto,
so this module does not depend on that model. Rules, per scanned host:
- `host_timed_out`: nmap gave up (or the limit stopped it); nothing else is concluded for it.
- `unmanaged_host`: it answers (an open port, or "up" for a real reason) but the inventory lacks it.
- `decommissioned_host_answers`: declared decommissioned, yet it answers.
- `undeclared_open_port`: an active host has an open port its services do not list.
- `declared_service_not_answering`: an active host's declared service was scanned and is not open.
  Hosts declared `down` (known to be off) get neither of these two; a host with several addresses is
  checked at each address the scan reached.
- `risky_service_exposed`: any open port listed in `risky.RISKY_SERVICES`, declared or not.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from secassess.errors import SourcePos
from secassess.scan.model import HostResult, PortResult, ScanResult
from secassess.scan.risky import risky_service
from secassess.scan.targets import IPNetwork


@dataclass(frozen=True, slots=True)
class DeclaredService:
    """A service the inventory says a host offers."""

    port: int
    protocol: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class DeclaredHost:
    """What drift needs of an inventory server; `status` is active, decommissioned or down."""

    hostname: str
    addresses: tuple[str, ...]
    services: tuple[DeclaredService, ...] = ()
    status: str = "active"
    pos: SourcePos | None = None


class DriftKind(StrEnum):
    """The kinds of disagreement between scan and inventory."""

    UNDECLARED_OPEN_PORT = "undeclared_open_port"
    DECLARED_SERVICE_NOT_ANSWERING = "declared_service_not_answering"
    UNMANAGED_HOST = "unmanaged_host"
    RISKY_SERVICE_EXPOSED = "risky_service_exposed"
    DECOMMISSIONED_HOST_ANSWERS = "decommissioned_host_answers"
    HOST_TIMED_OUT = "host_timed_out"


@dataclass(frozen=True, slots=True)
class DriftFinding:
    """One disagreement; `port` is None for host-level kinds, `scan_time` is Unix seconds."""

    kind: DriftKind
    address: str
    hostname: str
    port: int | None
    protocol: str
    service: str
    scan_time: int
    inventory_pos: SourcePos | None
    detail: str


def compare(scan: ScanResult, declared: Sequence[DeclaredHost],
            scope: Sequence[IPNetwork] = ()) -> tuple[DriftFinding, ...]:
    """Every drift finding, sorted by address, kind and port; `scope` limits `unmanaged_host`."""
    by_address = {_norm(a): host for host in declared for a in host.addresses}
    when = scan.finished or scan.started
    findings: list[DriftFinding] = []
    for host in scan.hosts:
        decl = by_address.get(_norm(host.address))
        checker = _HostCheck(scan, host, decl, when, findings)
        if host.status == "timedout":
            checker.add(DriftKind.HOST_TIMED_OUT, None, f"nmap did not finish this host ({host.reason or 'timeout'}); "
                                                        "its ports are unknown: rescan with a longer limit")
            continue
        if decl is None:
            if host.answers and _in_scope(host.address, scope):
                checker.add(DriftKind.UNMANAGED_HOST, None, "answers but is not in the inventory"
                            + _listing(host.open_ports))
        elif decl.status == "decommissioned":
            if host.answers:
                checker.add(DriftKind.DECOMMISSIONED_HOST_ANSWERS, None, "declared decommissioned but answers"
                            + _listing(host.open_ports))
        elif decl.status != "down":
            checker.services(decl)
        checker.risky()
    return tuple(sorted(findings, key=_order))


class _HostCheck:
    """The per-host checks, sharing the context every finding records."""

    def __init__(self, scan: ScanResult, host: HostResult, decl: DeclaredHost | None, when: int,
                 out: list[DriftFinding]) -> None:
        self.scan, self.host, self.decl, self.when, self.out = scan, host, decl, when, out

    def add(self, kind: DriftKind, port: PortResult | DeclaredService | None, detail: str) -> None:
        name = port.name if isinstance(port, DeclaredService) else port.service if port else ""
        self.out.append(DriftFinding(
            kind, self.host.address, self.decl.hostname if self.decl else next(iter(self.host.hostnames), ""),
            port.port if port else None, port.protocol if port else "", name, self.when,
            self.decl.pos if self.decl else None, detail))

    def services(self, decl: DeclaredHost) -> None:
        declared = {(s.port, s.protocol) for s in decl.services}
        for port in self.host.open_ports:
            if (port.port, port.protocol) not in declared:
                self.add(DriftKind.UNDECLARED_OPEN_PORT, port, f"{port.port}/{port.protocol} is open but "
                         f"{decl.hostname} does not declare it")
        states = {(p.port, p.protocol): p.state for p in self.host.ports}
        for service in decl.services:
            state = states.get((service.port, service.protocol))
            if state == "open" or not self.scan.covers(service.port, service.protocol):
                continue
            seen = "the host is down" if self.host.status == "down" else f"the port is {state or 'closed'}"
            self.add(DriftKind.DECLARED_SERVICE_NOT_ANSWERING, service,
                     f"declared {service.name or 'service'} on {service.port}/{service.protocol} but {seen}")

    def risky(self) -> None:
        for port in self.host.open_ports:
            row = risky_service(port.port, port.protocol)
            if row is not None:
                self.add(DriftKind.RISKY_SERVICE_EXPOSED, port, f"{row.name} exposed on "
                         f"{port.port}/{port.protocol}: {row.why}")


def _listing(ports: tuple[PortResult, ...]) -> str:
    return f" (open: {', '.join(f'{p.port}/{p.protocol}' for p in ports)})" if ports else ""


def _norm(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _in_scope(address: str, scope: Sequence[IPNetwork]) -> bool:
    if not scope:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in scope)


def _order(f: DriftFinding) -> tuple[int, bytes, str, int, str]:
    try:
        ip = ipaddress.ip_address(f.address)
        version: int = ip.version
        packed = ip.packed
    except ValueError:
        version, packed = 9, f.address.encode()
    return version, packed, f.kind.value, f.port if f.port is not None else -1, f.protocol
