"""Run one check on a minimal inventory built from an example fragment.

A fragment gives the target entity under its kind (`server: {...}`), and optionally `agency:`,
`organisation:`, `network:` and `lab_scope:` fragments, and `other_agencies:` (whole agencies after
the example's own). The example province has no province-wide links unless the fragment gives
`network:` (write `network: {}` to leave them unstated); the agency states only what the fragment
writes. A target host (server, workstation, security device) is in service (`status: active`) unless
the fragment says otherwise or lists `unstated: [status]`. Graph facts are always computed by the real
`GraphFactProvider` from the example inventory (give zones and links in `agency:`); scan facts only
when the fragment has `scan:`, a list of hosts turned into one `ScanResult`:

    scan: [{address: 10.0.0.5, ports: [22, 8080/tcp, {port: 443, state: closed}]},
           {address: 10.0.0.9, status: timedout}]

A port is a number (tcp, open), `port/proto` (open), or a mapping of `PortResult` fields. The scan
covers every tcp port (1-65535) unless `scan_ports:` narrows it (nmap's `services` syntax).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from secassess.assessment.catalog import Catalog, load_catalog
from secassess.assessment.engine import Evaluator
from secassess.assessment.entities import ENTITY_MODELS, iter_entities
from secassess.assessment.facts import FactProvider
from secassess.assessment.result import Finding
from secassess.errors import InputError
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import LoadedInventory, validate_inventory
from secassess.scan.facts import ScanFactProvider
from secassess.scan.model import HostResult, PortResult, ScanInfo, ScanResult
from secassess.yamlsafe import load_file, strip_positions

EXAMPLES = Path(__file__).parent / "examples"
AS_OF = dt.date(2026, 11, 22)
SCAN_TIME = int(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC).timestamp())
_CATALOG: dict[str, Catalog] = {}


def catalog() -> Catalog:
    """The shipped catalog plus the example province checklist, loaded once."""
    if "c" not in _CATALOG:
        _CATALOG["c"] = load_catalog([Path(__file__).parents[2] / "checklists" / "province"])
    return _CATALOG["c"]


def all_examples() -> dict[str, dict[str, Any]]:
    """Check id → its example entry, from every example file."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        for key, value in strip_positions(load_file(str(path))).items():
            if key != "defs":
                assert key not in found, f"{key} has examples in two files"
                found[key] = value
    return found


HOSTS = ("server", "workstation", "security_device")


def build(fragment: dict[str, Any]) -> dict[str, Any]:
    """A whole inventory: the fragment's organisation and agency, the entity first in its list."""
    agency = {"id": "a1", "name": "Agency", "kind": "department", **fragment.get("agency", {})}
    for kind, attr in ENTITY_MODELS.items():
        if kind in fragment:
            entity = dict(fragment[kind])
            if kind in HOSTS and "status" not in fragment.get("unstated", ()):
                entity.setdefault("status", "active")
            agency[attr] = [entity, *agency.get(attr, [])]
    return {"organisation": {"name": "Tinh", "code": "t", **fragment.get("organisation", {})},
            "network": fragment.get("network", {"links": []}), "lab_scope": fragment.get("lab_scope", {}),
            "agencies": [agency, *fragment.get("other_agencies", [])]}


def _port(item: int | str | dict[str, Any]) -> PortResult:
    if isinstance(item, dict):
        return PortResult(**{"protocol": "tcp", "state": "open", "reason": "syn-ack", **item})
    port, _, protocol = str(item).partition("/")
    return PortResult(int(port), protocol or "tcp", "open", "syn-ack")


def scan_result(hosts: list[dict[str, Any]], ports: str = "1-65535") -> ScanResult:
    """A `ScanResult` of the example's `scan:` host list."""
    return ScanResult("nmap", "7.93", "nmap -sT", SCAN_TIME - 60, SCAN_TIME, tuple(
        HostResult(str(h["address"]), h.get("status", "up"), h.get("reason", "syn-ack"),
                   ports=tuple(_port(p) for p in h.get("ports", []))) for h in hosts),
        (ScanInfo("connect", "tcp", ports),))


def providers(fragment: dict[str, Any], loaded: LoadedInventory) -> list[FactProvider]:
    """The graph provider (unless the example inventory has no valid graph), and scan facts if given."""
    found: list[FactProvider] = []
    # An example of a non-graph check may name things loosely (a system's server nobody declares); a
    # graph example with such an inventory would come out not_applicable, so nothing is hidden.
    with contextlib.suppress(InputError):
        found.append(GraphFactProvider.from_inventory(loaded))
    if "scan" in fragment:
        found.append(ScanFactProvider([scan_result(fragment["scan"], fragment.get("scan_ports", "1-65535"))],
                                      loaded))
    return found


def run(check_id: str, fragment: dict[str, Any], profile: str = "luat116") -> Finding:
    """The finding of one check on the fragment's target entity."""
    chosen = catalog().profile(profile)
    check = next(c for c in chosen.checks if c.info.id == check_id)
    kind = check.info.entity
    loaded = LoadedInventory("example.yaml", validate_inventory(build(fragment), "example.yaml"))
    target = next(e.name for e in iter_entities(loaded.inventory) if e.kind == kind
                  and (kind in ("agency", "organisation") or kind in fragment or e.name.startswith("network/")))
    only = dataclasses.replace(chosen, checks=(check,))
    findings, _ = Evaluator(loaded, only, AS_OF, providers=providers(fragment, loaded)).run()
    return next(f for f in findings if f.entity == target)
