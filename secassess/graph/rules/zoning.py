"""Zone layout of each agency's network: flat networks and the zone kinds its level requires.

The zones required by level (Circular 12/2022 Annexes I-IV, REGULATIONS.md) are read as follows:

- level 1: an edge zone, an internal zone (any finer internal zone counts), and a DMZ where the
  network publishes servers outside itself (a server zone reached from the Internet or another
  agency's zones through edge, WAN or DMZ zones): a DMZ is where such servers go; a network that
  publishes nothing has nothing to put in one;
- level 2 adds an internal-server zone and a separate wireless zone (a guest Wi-Fi zone counts) where
  the network offers Wi-Fi (`wireless_network`; unknown when neither stated nor implied by a zone);
- level 3 adds an administration zone, and a database zone where the network holds database servers;
- level 4 (and 5) add a device-management zone.

A network's level is the highest level of the systems running on its servers, and at least 1 when it
has hosts at all (an unclassified network is not exempt). Zone kinds count the zones the agency
declares and the shared zones its hosts sit in.
"""

from __future__ import annotations

from dataclasses import dataclass

from secassess.assessment.partial import Partial, known_list
from secassess.diagnostics import Severity
from secassess.graph import phrases
from secassess.graph.findings import FLAT_NETWORK, MISSING_ZONES_FOR_LEVEL, Finding, Hop, names
from secassess.graph.model import (
    DEVICE,
    INTERNET,
    SERVER,
    WORKSTATION,
    WORKSTATION_GROUP,
    ZONE,
    FilterPolicy,
    NetworkGraph,
    Node,
    agency_entity,
)
from secassess.graph.paths import ingress, reachable, zones_outside
from secassess.graph.rules import Facts, Output

INTERNAL_KINDS = ("internal", "user", "internal_servers", "database", "administration")
"""Any of these is an internal zone."""
ALIASES = {"internal": INTERNAL_KINDS, "wireless": ("wireless", "guest")}
"""A requirement any of several kinds meets."""

TIERS: dict[int, tuple[str, ...]] = {1: ("edge", "internal", "dmz"), 2: ("internal_servers", "wireless"),
                                     3: ("administration", "database"), 4: ("device_management",)}
"""Zone kinds each level adds (level 5 as level 4)."""


@dataclass(frozen=True)
class NetworkZoning:
    """What one agency's network has and needs."""

    agency: str
    kinds: frozenset[str]
    publishes: bool | None
    """It has servers reached from outside it (so it needs a DMZ)."""
    databases: bool | None
    """It holds database servers (so from level 3 it needs a database zone)."""
    wireless: bool | None = True
    """It offers Wi-Fi (so from level 2 it needs a wireless zone)."""

    def missing(self, tier: int) -> list[str] | Partial:
        """The zone kinds of one tier it lacks: certain, or perhaps (when whether it needs them is unknown)."""
        certain, maybe = [], []
        for kind in TIERS[tier]:
            present = (not self.kinds.isdisjoint(ALIASES.get(kind, (kind,))))
            if present:
                continue
            needed = {"dmz": self.publishes, "database": self.databases, "wireless": self.wireless}.get(kind, True)
            if needed:
                certain.append(kind)
            elif needed is None:
                maybe.append(kind)
        return known_list(certain, maybe, (phrases.SERVER_ROLES_ZONES.format(agency=self.agency),))

    def missing_for(self, level: int) -> list[str] | Partial:
        """Every zone kind its level requires that it lacks."""
        certain: list[str] = []
        maybe: list[str] = []
        for tier in range(1, min(level, 4) + 1):
            got = self.missing(tier)
            if isinstance(got, Partial):
                certain += got.known
                maybe += got.maybe
            else:
                certain += got
        return known_list(certain, maybe, (phrases.SERVER_ROLES_ZONES.format(agency=self.agency),))


def network_zoning(graph: NetworkGraph, agency: str) -> NetworkZoning:
    """The zoning of one agency's network (its zones, and the shared zones its hosts sit in)."""
    nodes = graph.by_agency.get(agency, ())
    used = {n.zone for n in nodes if n.kind not in (ZONE, DEVICE, INTERNET) and n.zone}
    kinds = {n.subkind for n in nodes if n.kind == ZONE} | {graph.nodes[z].subkind for z in used}
    servers = [n for n in nodes if n.kind == SERVER and n.status != "decommissioned"]
    placed = {n.zone for n in servers if n.zone}
    outside = zones_outside(graph, agency)
    publishes = reachable(graph, outside, placed, ingress(graph))
    if publishes is False and any(n.zone is None for n in servers):
        publishes = None
    roles = [n.subkind for n in servers]
    databases = True if "database" in roles else (None if None in roles else False)
    declared = next((a.wireless_network for a in graph.loaded.inventory.agencies if a.id == agency), None)
    return NetworkZoning(agency, frozenset(k for k in kinds if k), publishes, databases, declared)


def network_level(graph: NetworkGraph, agency: str) -> int | None:
    """The highest level of the systems on the agency's servers, at least 1 with hosts; None when unknown."""
    if not graph.systems_stated:
        return None
    nodes = graph.by_agency.get(agency, ())
    hosts = [n for n in nodes if n.kind not in (ZONE, DEVICE, INTERNET) and n.status != "decommissioned"]
    level = max((n.level or 0 for n in hosts if n.kind == SERVER), default=0)
    return max(level, 1) if hosts else level


def _flat(graph: NetworkGraph, hosts: list[Node]) -> bool | None:
    """Servers share a zone with the agency's workstations: nothing separates users from servers.

    Unknown when a server or workstation does not state its zone and no zone already mixes them.
    """
    servers = [n for n in hosts if n.kind == SERVER]
    users = [n for n in hosts if n.kind in (WORKSTATION, WORKSTATION_GROUP)]
    mixed = {n.zone for n in servers if n.zone} & {n.zone for n in users if n.zone}
    if mixed:
        return True
    if servers and users and any(n.zone is None for n in servers + users):
        return None
    return False


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Facts `graph.zone_kinds`, `graph.level`, `graph.flat_network`, `graph.missing_zones_for_level`."""
    del policy  # zoning does not depend on filtering
    facts: Facts = {}
    findings: list[Finding] = []
    for agency in graph.loaded.inventory.agencies:
        nodes = graph.by_agency.get(agency.id, ())
        hosts = [n for n in nodes if n.kind not in (ZONE, DEVICE, INTERNET) and n.status != "decommissioned"]
        used = {n.zone for n in hosts}
        zoning = network_zoning(graph, agency.id)
        level = network_level(graph, agency.id)
        missing = zoning.missing_for(level) if level else ([] if level == 0 else None)
        flat = _flat(graph, hosts)
        placed = {z for z in used if z is not None}
        entity = agency_entity(agency.id)
        facts[entity] = {"graph.zone_kinds": sorted(zoning.kinds), "graph.level": level,
                         "graph.flat_network": flat, "graph.missing_zones_for_level": missing}
        here = graph.loaded.position(agency)
        level_n = level or 0
        if flat:
            zone = sorted(z for z in placed if z and any(h.kind == SERVER and h.zone == z for h in hosts))[0]
            together = [h for h in hosts if h.zone == zone]
            findings.append(Finding(FLAT_NETWORK, Severity.HIGH if level_n >= 2 else Severity.MEDIUM, agency.id, entity,
                                    f"flat network: servers and workstations of agency {agency.id} "
                                    f"({names([h.name for h in together])}) sit together in zone {zone}", here,
                                    (Hop(zone, (), graph.position(zone)),)))
        certain = list(missing.known) if isinstance(missing, Partial) else (missing or [])
        if certain:
            findings.append(Finding(MISSING_ZONES_FOR_LEVEL, Severity.HIGH if level_n >= 3 else Severity.MEDIUM,
                                    agency.id, entity, f"agency {agency.id}'s network runs level-{level} systems but "
                                                       f"has no {', '.join(certain)} zone", here))
    return facts, findings
