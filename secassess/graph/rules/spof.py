"""Single points of failure where the level requires redundancy.

What the rules ask to be redundant (REGULATIONS.md, Circular 12/2022 Annexes II-V): at level 2 the
core switch and the central firewall (any standby); at levels 3-4 the core switch, central firewall,
WAF, central storage and database firewall, in hot standby or load balancing; at level 5 every
network device. Only those kinds are reported, at the level of the servers they serve:

1. Devices every path from the internet to a level >= 3 server crosses (dominators of the
   server's zone in a graph where each link runs through the devices it lists), when the device's
   redundancy is below what that level requires.
2. An agency whose network runs systems of level >= 2 and whose only device in service of a kind
   that level lists lacks the required redundancy.
Zones that every path crosses are not reported: a zone is a segment, not a box that fails. A device
whose redundancy (or status) is not stated, or a dominator found while a link list is not stated, is
only perhaps a single point of failure.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from secassess.assessment.partial import known_list
from secassess.diagnostics import Severity
from secassess.graph import phrases
from secassess.graph.findings import SINGLE_POINT_OF_FAILURE, Finding, hops, trace
from secassess.graph.model import DEVICE, INTERNET, FilterPolicy, NetworkGraph, agency_entity
from secassess.graph.nxgraph import NetGraph
from secassess.graph.rules import Facts, Output
from secassess.graph.rules.zoning import network_level

CRITICAL_LEVEL = 3
"""Servers from this level on are the targets of the path analysis."""

CENTRAL_KINDS = ("firewall", "core_switch")
"""What level 2 asks to be redundant."""

LISTED_KINDS = ("core_switch", "firewall", "waf", "central_storage", "db_firewall")
"""What levels 3-4 ask to be redundant (level 5: every device)."""


def listed_kinds(level: int) -> tuple[str, ...] | None:
    """The device kinds a level asks to be redundant; None for every kind (level 5)."""
    if level >= 5:
        return None
    return LISTED_KINDS if level >= 3 else (CENTRAL_KINDS if level == 2 else ())


def _listed(kind: str | None, level: int) -> bool:
    kinds = listed_kinds(level)
    return kinds is None or kind in kinds


def required_redundancy(level: int) -> frozenset[str]:
    """Redundancy kinds that satisfy a level: any from 2, hot standby or load balancing from 3."""
    if level >= 3:
        return frozenset(("hot_standby", "load_balanced"))
    if level == 2:
        return frozenset(("cold_standby", "hot_standby", "load_balanced"))
    return frozenset(("none", "cold_standby", "hot_standby", "load_balanced"))


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Per agency `graph.single_points_of_failure` (device entity names); per device `graph.single_point_of_failure`."""
    del policy  # failure is about every path, filtered or not
    reach, parent = graph.zones.bfs([INTERNET])
    spof: dict[str, tuple[int, str]] = {}  # device -> (level required, zone it cuts off)
    maybe: set[str] = set()
    for device, (level, zone) in _dominating_devices(graph).items():
        node = graph.nodes[device]
        if not _listed(node.subkind, level) or node.status not in ("active", None):
            continue
        if node.redundancy is None or node.status is None or not graph.complete:
            if node.redundancy not in required_redundancy(level):
                maybe.add(device)
        elif node.redundancy not in required_redundancy(level):
            spof[device] = (level, zone)
    findings: list[Finding] = []
    for device, (level, zone) in sorted(spof.items()):
        node = graph.nodes[device]
        findings.append(Finding(
            SINGLE_POINT_OF_FAILURE, Severity.HIGH, node.agency, device,
            f"every path from the internet to the level-{level} servers in zone {zone} crosses {device} "
            f"(redundancy {node.redundancy}; level {level} needs {_needs(level)})",
            graph.position(device), hops(graph, trace(parent, zone))))
    for member in graph.loaded.inventory.agencies:
        agency, level = member.id, network_level(graph, member.id) or 0
        if level < 2:
            continue
        devices = [n for n in graph.by_agency.get(agency, ()) if n.kind == DEVICE]
        for kind in sorted({n.subkind for n in devices if n.subkind and _listed(n.subkind, level)}):
            found = [n for n in devices if n.subkind == kind and n.status == "active"]
            unsure = [n for n in devices if n.subkind == kind and n.status is None]
            needed = required_redundancy(level)
            if len(found) >= 2 or not found + unsure:
                continue
            if len(found) + len(unsure) >= 2 or unsure or found[0].redundancy is None:
                maybe.update(n.id for n in found + unsure if n.redundancy not in needed)
                continue
            if found[0].redundancy not in needed and found[0].id not in spof:
                node = found[0]
                spof[node.id] = (level, node.zone or "")
                path = hops(graph, [*trace(parent, node.zone), node.id]) if node.zone and node.zone in reach else ()
                findings.append(Finding(
                    SINGLE_POINT_OF_FAILURE, Severity.HIGH if level >= 3 else Severity.MEDIUM, agency, node.id,
                    f"{node.id} is the only {kind.replace('_', ' ')} of agency {agency} (redundancy "
                    f"{node.redundancy}; level {level} needs {_needs(level)})", graph.position(node.id), path))
    per_agency: dict[str | None, list[str]] = defaultdict(list)
    perhaps: dict[str | None, list[str]] = defaultdict(list)
    for device in sorted(spof):
        per_agency[graph.nodes[device].agency].append(device)
    for device in sorted(maybe - set(spof)):
        perhaps[graph.nodes[device].agency].append(device)
    facts: Facts = {agency_entity(a.id): {"graph.single_points_of_failure": known_list(
        per_agency.get(a.id, []), perhaps.get(a.id, []),
        [phrases.REDUNDANCY_OR_STATUS.format(entity=d) for d in perhaps.get(a.id, [])] + list(graph.unstated))}
        for a in graph.loaded.inventory.agencies}
    for node in graph.nodes.values():
        if node.kind == DEVICE:
            facts[node.id] = {"graph.single_point_of_failure": True if node.id in spof else (
                None if node.id in maybe else False)}
    return facts, findings


def _needs(level: int) -> str:
    return "hot standby or load balancing" if level >= 3 else "a standby unit"


def _dominating_devices(graph: NetworkGraph) -> dict[str, tuple[int, str]]:
    """Device -> (highest target level, a target zone) for devices on every internet path to a target."""
    targets: dict[str, int] = {}
    for node in graph.nodes.values():
        if node.kind == "server" and node.zone is not None and (node.level or 0) >= CRITICAL_LEVEL:
            targets[node.zone] = max(targets.get(node.zone, 0), node.level or 0)
    if not targets:
        return {}
    expanded = NetGraph()
    expanded.add_node(INTERNET)
    for link in graph.links:
        for u, v in ((link.source, link.target), (link.target, link.source))[: 2 if link.bidirectional else 1]:
            chain = [u, *(link.devices if u == link.source else reversed(link.devices)), v]
            for a, b in pairwise(chain):
                expanded.add_edge(a, b)
    if not expanded.has_node(INTERNET):
        return {}
    idom = expanded.immediate_dominators(INTERNET)
    found: dict[str, tuple[int, str]] = {}
    for zone, level in sorted(targets.items()):
        if zone not in idom:
            continue
        step = idom[zone]
        while step != INTERNET:
            if graph.nodes[step].kind == DEVICE and found.get(step, (0, ""))[0] < level:
                found[step] = (level, zone)
            step = idom[step]
    return found
