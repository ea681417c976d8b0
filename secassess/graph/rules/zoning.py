"""Zone layout per agency: flat networks and the zone kinds its level requires (REGULATIONS.md)."""

from __future__ import annotations

from secassess.diagnostics import Severity
from secassess.graph.findings import FLAT_NETWORK, MISSING_ZONES_FOR_LEVEL, Finding, Hop, names
from secassess.graph.model import DEVICE, INTERNET, ZONE, FilterPolicy, NetworkGraph, agency_entity
from secassess.graph.rules import Facts, Output

REQUIRED_ZONES: dict[int, tuple[str, ...]] = {
    1: ("edge", "dmz", "internal"),
    2: ("edge", "dmz", "internal", "internal_servers", "wireless"),
    3: ("edge", "dmz", "internal", "internal_servers", "wireless", "database", "administration"),
    4: ("edge", "dmz", "internal", "internal_servers", "wireless", "database", "administration",
        "device_management"),
}
"""Zone kinds required by level (Circular 12/2022 Annexes; level 5 as level 4)."""

SATISFIED_BY = {"internal": ("internal", "user")}
"""A requirement met by any of several kinds: a user (workstation) zone is an internal zone."""


def required_zones(level: int) -> tuple[str, ...]:
    return REQUIRED_ZONES[min(level, 4)]


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Facts `graph.zone_kinds`, `graph.level`, `graph.flat_network`, `graph.missing_zones_for_level`."""
    del policy  # zoning does not depend on filtering
    facts: Facts = {}
    findings: list[Finding] = []
    for agency in graph.loaded.inventory.agencies:
        nodes = graph.by_agency.get(agency.id, ())
        hosts = [n for n in nodes if n.kind not in (ZONE, DEVICE, INTERNET)]
        used = {n.zone for n in hosts}
        kinds = {n.subkind for n in nodes if n.kind == ZONE}
        kinds |= {graph.nodes[z].subkind for z in used if z is not None}  # shared zones its hosts sit in count
        kinds.discard(None)
        level = graph.agency_levels.get(agency.id)
        missing = [k for k in required_zones(level) if kinds.isdisjoint(SATISFIED_BY.get(k, (k,)))] if level else []
        flat = bool(hosts) and len(used) <= 1
        entity = agency_entity(agency.id)
        facts[entity] = {"graph.zone_kinds": sorted(k for k in kinds if k), "graph.level": level,
                         "graph.flat_network": flat, "graph.missing_zones_for_level": missing}
        here = graph.loaded.position(agency)
        level_n = level or 0
        if flat:
            (zone,) = used
            where = f"zone {zone}" if zone else "no zone at all"
            findings.append(Finding(FLAT_NETWORK, Severity.HIGH if level_n >= 2 else Severity.MEDIUM, agency.id, entity,
                                    f"flat network: all {len(hosts)} hosts of agency {agency.id} "
                                    f"({names([h.name for h in hosts])}) sit in {where}", here,
                                    (Hop(zone, (), graph.position(zone)),) if zone else ()))
        if missing:
            findings.append(Finding(MISSING_ZONES_FOR_LEVEL, Severity.HIGH if level_n >= 3 else Severity.MEDIUM,
                                    agency.id, entity, f"agency {agency.id} runs a level-{level} system but has no "
                                            f"{', '.join(missing)} zone (level {level} requires "
                                            f"{', '.join(required_zones(level_n))})", here))
    return facts, findings
