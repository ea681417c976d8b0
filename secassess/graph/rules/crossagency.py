"""Systems of different agencies that reach each other with no filtering control on the way.

The endpoints of an agency are its own zones holding servers that run information systems.
Per agency, one BFS from all its endpoints over the links the policy leaves open (through
province-wide zones and other agencies alike). Each unordered pair of agencies is reported once.
Three-valued as the other rules: partners reached over links that surely do not filter are certain;
those reached only over links whose controls are not all stated (or any, while a link list is not
stated) are perhaps partners.
"""

from __future__ import annotations

from collections import defaultdict

from secassess.assessment.partial import known_list
from secassess.diagnostics import Severity
from secassess.graph import phrases
from secassess.graph.findings import CROSS_AGENCY_UNCONTROLLED, Finding, hops, trace
from secassess.graph.model import SERVER, FilterPolicy, NetworkGraph, agency_entity
from secassess.graph.rules import Facts, Output


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Per agency `graph.cross_agency_uncontrolled`: the other agencies linked to it without control."""
    endpoints: dict[str, set[str]] = defaultdict(set)
    for node in graph.nodes.values():
        if node.kind == SERVER and node.systems and node.zone is not None:
            owner = graph.nodes[node.zone].agency
            if owner is not None:
                endpoints[owner].add(node.zone)
    owner_of = {zone: agency for agency, zones in endpoints.items() for zone in zones}
    open_ = graph.open_edges(policy)
    maybe_open = graph.maybe_open_edges(policy)
    maybe: dict[str, set[str]] = defaultdict(set)
    for agency in sorted(endpoints):
        perhaps, _ = graph.zones.bfs(sorted(endpoints[agency]), follow=lambda u, v: (u, v) in maybe_open)
        others = set(endpoints) if not graph.complete else {owner_of[z] for z in perhaps if z in owner_of}
        for peer in others - {agency}:
            maybe[agency].add(peer)
            maybe[peer].add(agency)
    partners: dict[str, set[str]] = defaultdict(set)
    findings: list[Finding] = []
    for agency in sorted(endpoints):
        dist, parent = graph.zones.bfs(sorted(endpoints[agency]), follow=lambda u, v: (u, v) in open_)
        first: dict[str, str] = {}
        for zone in sorted(dist, key=lambda z: (dist[z], z)):
            other = owner_of.get(zone)
            if other is not None and other != agency:
                first.setdefault(other, zone)
        for other, zone in sorted(first.items()):
            if agency in partners[other]:
                partners[agency].add(other)
                continue  # the pair was reported from the other side
            partners[agency].add(other)
            partners[other].add(agency)
            path = trace(parent, zone)
            findings.append(Finding(
                CROSS_AGENCY_UNCONTROLLED, Severity.HIGH, agency, agency_entity(agency),
                f"systems of agency {agency} (zone {path[0]}) reach systems of agency {other} (zone {zone}) "
                "with no filtering control on the way", graph.position(path[0]), hops(graph, path, policy)))
    # servers of systems whose zone is not stated, or systems the graph cannot place: perhaps more endpoints
    unplaced: set[str | None] = {n.agency for n in graph.nodes.values() if n.kind == SERVER and n.systems
                                 and n.zone is None and n.status != "decommissioned" and n.agency is not None}
    everyone = {a.id for a in graph.loaded.inventory.agencies}
    unsure: set[str | None] = set(everyone) if not graph.systems_stated else unplaced
    missing = [*graph.unstated, *(() if graph.systems_stated else ("systems[].servers",)),
               *(phrases.SERVER_ZONES_OF.format(agency=a) for a in sorted(a for a in unplaced if a))]
    facts: Facts = {agency_entity(a.id): {
        "graph.cross_agency_uncontrolled": known_list(
            partners.get(a.id, ()), (everyone - {a.id}) if a.id in unsure else maybe.get(a.id, ()), missing),
        "graph.system_zones": known_list(endpoints.get(a.id, ()), [phrases.NOT_PLACED] if a.id in unsure else (),
                                         missing)} for a in graph.loaded.inventory.agencies}
    return facts, findings
