"""Scan results as a `FactProvider`: `scan.*` facts from the drift between scans and the inventory.

The inventory is mapped onto `drift.DeclaredHost` (servers, listed workstations and security devices
that have addresses), each scan is compared with it once, and the findings become facts:

- per server, workstation and security device: `scanned` (one of its addresses is in a scan),
  `undeclared_open_ports`, `declared_not_answering`, `risky_services` (lists of "port/proto name" in
  port order, the same port at several addresses once; the name is nmap's for undeclared ports, the
  inventory's for declared ones, the risky-service table's for risky ones), `timed_out` (at any of
  its addresses: the port checks then do not apply), `scan_time` (ISO 8601 UTC of the latest scan
  that saw it; None when not scanned or the scan time is unknown);
- per agency: `scanned` (any of its hosts' addresses), `decommissioned_scanned` and
  `decommissioned_answering` (hostnames; decommissioned entities are retired, so their checks never
  run and the agency carries this);
- per organisation: `scanned` (any scan host at all) and `unmanaged_hosts` (addresses in the lab scope
  that answer and the inventory lacks).

Several scans merge per address: the scans are taken in order of their time (finished, else started;
equal times keep the given order) and a later scan's view of an address replaces an earlier one's,
findings included. Each scan is compared with its own port coverage, so a narrow rescan does not
turn the ports it skipped into "not answering".
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from secassess.assessment.entities import Entity, iter_entities
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Inventory, SecurityDevice, Server, Service, Workstation
from secassess.scan.drift import DeclaredHost, DeclaredService, DriftFinding, DriftKind, compare
from secassess.scan.model import ScanResult
from secassess.scan.risky import risky_service
from secassess.scan.targets import IPNetwork

HOST_KINDS = ("server", "workstation", "security_device")


def _norm(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _declare(entity: Entity, loaded: LoadedInventory) -> DeclaredHost | None:
    model = entity.model
    services: list[Service] = []
    if isinstance(model, Server):
        name, addresses, services = model.hostname, list(model.addresses), model.services
    elif isinstance(model, Workstation):
        name, addresses = model.hostname, [model.address] if model.address else []
    elif isinstance(model, SecurityDevice):
        name, addresses = model.id, [a for a in (model.address, model.management_address) if a is not None]
    else:
        return None
    if not addresses:
        return None
    return DeclaredHost(name, tuple(dict.fromkeys(str(a) for a in addresses)),
                        tuple(DeclaredService(s.port, s.protocol.value, s.name) for s in services),
                        model.status.value, loaded.position(model))


def _declared(loaded: LoadedInventory) -> list[tuple[Entity, DeclaredHost]]:
    pairs = []
    for entity in iter_entities(loaded.inventory):
        if entity.kind in HOST_KINDS:
            host = _declare(entity, loaded)
            if host is not None:
                pairs.append((entity, host))
    return pairs


def declared_hosts(loaded: LoadedInventory) -> tuple[DeclaredHost, ...]:
    """The inventory as drift sees it: servers, listed workstations and security devices with addresses.

    A device declares its address and management address and no services (the inventory lists none),
    so any open port on it is undeclared.
    """
    return tuple(host for _, host in _declared(loaded))


@dataclass(frozen=True, slots=True)
class _Seen:
    """What the latest scan holding an address says about it."""

    scan_time: int
    findings: tuple[DriftFinding, ...]


def _iso(seconds: int) -> str | None:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat() if seconds else None


def _port(finding: DriftFinding) -> str:
    name = finding.service
    if finding.kind is DriftKind.RISKY_SERVICE_EXPOSED and finding.port is not None:
        row = risky_service(finding.port, finding.protocol)
        name = row.name if row is not None else name
    return f"{finding.port}/{finding.protocol} {name}".rstrip()


_HOST_LISTS = {DriftKind.UNDECLARED_OPEN_PORT: "undeclared_open_ports",
               DriftKind.DECLARED_SERVICE_NOT_ANSWERING: "declared_not_answering",
               DriftKind.RISKY_SERVICE_EXPOSED: "risky_services"}


class ScanFactProvider:
    """`scan.*` facts from one or more scans of an inventory's hosts (namespace "scan")."""

    namespace = "scan"

    def __init__(self, scans: Sequence[ScanResult], loaded: LoadedInventory,
                 scope: Sequence[IPNetwork] | None = None) -> None:
        """`scope` limits unmanaged hosts; default: the inventory's `lab_scope.cidrs` (empty: everywhere)."""
        pairs = _declared(loaded)
        declared = tuple(host for _, host in pairs)
        chosen = tuple(loaded.inventory.lab_scope.cidrs) if scope is None else tuple(scope)
        seen: dict[str, _Seen] = {}
        for scan in sorted(scans, key=lambda s: s.finished or s.started):
            by_address: dict[str, list[DriftFinding]] = defaultdict(list)
            for finding in compare(scan, declared, chosen):
                by_address[_norm(finding.address)].append(finding)
            for host in scan.hosts:
                address = _norm(host.address)
                seen[address] = _Seen(scan.finished or scan.started, tuple(by_address.get(address, ())))
        self.seen: Mapping[str, _Seen] = seen
        self.facts = self._facts(loaded.inventory, pairs)
        self.warnings: tuple[str, ...] = tuple(dict.fromkeys(w for scan in scans for w in scan.warnings))
        """What the scans warn of (an interrupted scan...): the assessment reports them."""

    def _facts(self, inventory: Inventory, pairs: list[tuple[Entity, DeclaredHost]]) -> dict[str, dict[str, Any]]:
        facts: dict[str, dict[str, Any]] = {}
        agencies: dict[str, dict[str, Any]] = {}
        for agency in inventory.agencies:
            agencies[agency.id] = facts[f"agency:{agency.id}"] = {
                "scanned": False, "decommissioned_scanned": [], "decommissioned_answering": []}
        hosts = {entity.name: host for entity, host in pairs}
        for entity in iter_entities(inventory):
            if entity.kind not in HOST_KINDS:
                continue
            host = hosts.get(entity.name)
            views = [self.seen[a] for a in map(_norm, host.addresses if host else ()) if a in self.seen]
            found = [f for view in views for f in view.findings if host is not None and f.hostname == host.hostname]
            values: dict[str, Any] = {"scanned": bool(views), "timed_out": any(
                f.kind is DriftKind.HOST_TIMED_OUT for f in found), "scan_time": _iso(max(
                    (v.scan_time for v in views), default=0))}
            for kind, name in _HOST_LISTS.items():
                ports = {(f.port or 0, f.protocol, _port(f)) for f in found if f.kind is kind}
                values[name] = [text for _, _, text in sorted(ports)]
            facts[entity.name] = values
            if views and host is not None and entity.agency is not None:
                own = agencies[entity.agency.id]
                own["scanned"] = True
                if host.status == "decommissioned":
                    own["decommissioned_scanned"].append(host.hostname)
                    if any(f.kind is DriftKind.DECOMMISSIONED_HOST_ANSWERS for f in found):
                        own["decommissioned_answering"].append(host.hostname)
        unmanaged = sorted({address for address, view in self.seen.items()
                            if any(f.kind is DriftKind.UNMANAGED_HOST for f in view.findings)},
                           key=_address_key)
        facts[f"organisation:{inventory.organisation.code}"] = {"scanned": bool(self.seen),
                                                                 "unmanaged_hosts": unmanaged}
        return facts

    def provide(self, inventory: Inventory, entities: Sequence[Entity],
                as_of: dt.date) -> Mapping[str, Mapping[str, Any]]:
        """The facts of every host, agency and the organisation (the same for any date)."""
        return self.facts


def _address_key(address: str) -> tuple[int, bytes]:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return 9, address.encode()
    return ip.version, ip.packed
