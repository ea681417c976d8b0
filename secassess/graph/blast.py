"""Blast radius: what a compromised host can reach, whom to call, and where to cut the spread.

An attacker on a host reaches what the links allow. Links exist only where traffic is allowed, so
by default every link is traversed (a firewall lets through what its rules allow) and the controls
crossed are recorded; with `through_filtering=False` only links the policy leaves open are followed.
All reachability comes from one BFS over zones from the host's zone; hosts inherit their zone's
distance (host -> zone is 1 hop, a host in a zone at distance d is d + 2 hops away).
Choke points: a minimum edge cut between the host's zone and the zones of level >= 3 servers
(joined to one super-sink); level >= 3 servers in the host's own zone cannot be cut off by links.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from secassess.errors import SourcePos, UsageError
from secassess.graph.build import build_graph
from secassess.graph.model import (
    DEFAULT_POLICY,
    INTERNET,
    SERVER,
    ZONE,
    FilterPolicy,
    Link,
    NetworkGraph,
    Node,
)
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Contact

CRITICAL_LEVEL = 3
SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Asset:
    """One asset the compromised host can reach."""

    node: str
    kind: str
    name: str
    agency: str | None
    zone: str | None
    hops: int
    level: int | None
    systems: tuple[str, ...]
    controls_crossed: tuple[str, ...]
    """Controls on the links of the path found (filtering or not); empty in the host's own zone."""


@dataclass(frozen=True, slots=True)
class System:
    entity: str
    name: str
    agency: str
    level: int


@dataclass(frozen=True, slots=True)
class Person:
    role: str
    """`security_officer`, `leader` or `incident_reporting_contact`."""
    name: str
    title: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class AgencyContacts:
    agency: str
    name: str
    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class CutEdge:
    """A zone link whose isolation is part of the minimum cut."""

    source: str
    target: str
    controls: tuple[str, ...]
    devices: tuple[str, ...]
    position: SourcePos | None


@dataclass(frozen=True)
class BlastRadius:
    host: str
    kind: str
    agency: str | None
    zone: str | None
    through_filtering: bool
    assets: tuple[Asset, ...]
    """Ordered by hops, then node id."""
    systems: tuple[System, ...]
    contacts: tuple[AgencyContacts, ...]
    critical_servers: tuple[str, ...]
    """Reachable servers running level >= 3 systems."""
    choke_points: tuple[CutEdge, ...]
    """Minimum set of links whose isolation cuts the host off from every separable critical server."""
    inseparable: tuple[str, ...]
    """Critical servers in the host's own zone: no link isolation separates them."""


def blast_radius(loaded: LoadedInventory, host: str, *, through_filtering: bool = True,
                 policy: FilterPolicy = DEFAULT_POLICY, graph: NetworkGraph | None = None) -> BlastRadius:
    """Everything a compromise of `host` (hostname, address, group or device id, or node id) reaches."""
    graph = graph or build_graph(loaded)
    start = graph.nodes[resolve_host(graph, host)]
    open_ = graph.open_edges(policy)
    follow = None if through_filtering else (lambda u, v: (u, v) in open_)
    dist, parent = graph.zones.bfs([start.zone], follow) if start.zone else ({}, {})
    crossed = _controls_crossed(graph, dist, parent, policy)
    assets = []
    for zone in dist:
        for member in graph.members.get(zone, ()):
            if member != start.id:
                node = graph.nodes[member]
                assets.append(Asset(member, node.kind, node.name, node.agency, zone, dist[zone] + 2, node.level,
                                    node.systems, crossed[zone]))
    assets.sort(key=lambda a: (a.hops, a.node))
    critical = sorted(a.node for a in assets if a.kind == SERVER and (a.level or 0) >= CRITICAL_LEVEL)
    if start.kind == SERVER and (start.level or 0) >= CRITICAL_LEVEL:
        critical.insert(0, start.id)
    inseparable = tuple(s for s in critical if graph.nodes[s].zone == start.zone)
    sinks = sorted({graph.nodes[s].zone or "" for s in critical} - {start.zone})
    cut: list[tuple[str, str]] = []
    if start.zone and sinks:
        _, cut = graph.zones.min_edge_cut(start.zone, sinks, follow=lambda u, v: u in dist and v in dist and (
            follow is None or follow(u, v)))
    return BlastRadius(start.id, start.kind, start.agency, start.zone, through_filtering, tuple(assets),
                       _systems(loaded, [start, *(graph.nodes[a.node] for a in assets)]),
                       _contacts(loaded, {start.agency, *(a.agency for a in assets)}), tuple(critical),
                       tuple(_cut_edge(graph, u, v, policy) for u, v in cut), inseparable)


def resolve_host(graph: NetworkGraph, text: str) -> str:
    """The node id of a host named by node id, hostname, group or device id, or address."""
    if text in graph.nodes and graph.nodes[text].kind not in (ZONE, INTERNET):
        return text
    wanted = text.strip().lower()
    hosts = [n for n in graph.nodes.values() if n.kind not in (ZONE, INTERNET)]
    found = sorted(n.id for n in hosts if n.name.lower() == wanted or wanted in n.addresses)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"host {text!r} is ambiguous: it names {', '.join(found)}; give one of these")
    names = sorted({name for n in hosts for name in (n.name.lower(), *n.addresses)})
    close = difflib.get_close_matches(wanted, names, n=SUGGESTIONS)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        "give a server or workstation hostname, an address, a workstation-group id or a device id"
    raise UsageError(f"no host {text!r} in the inventory; {hint}")


def _open_first(links: tuple[Link, ...], policy: FilterPolicy) -> Link:
    """The link an attacker would take among parallel ones: an unfiltered one if there is one."""
    return next((x for x in links if not policy.filters(x.controls)), links[0])


def _controls_crossed(graph: NetworkGraph, dist: dict[str, int], parent: dict[str, str],
                      policy: FilterPolicy) -> dict[str, tuple[str, ...]]:
    crossed: dict[str, frozenset[str]] = {}
    for zone in sorted(dist, key=dist.__getitem__):
        if zone not in parent:
            crossed[zone] = frozenset()
            continue
        link = _open_first(graph.links_of(parent[zone], zone), policy)
        crossed[zone] = crossed[parent[zone]] | set(link.control_names)
    return {zone: tuple(sorted(controls)) for zone, controls in crossed.items()}


def _cut_edge(graph: NetworkGraph, u: str, v: str, policy: FilterPolicy) -> CutEdge:
    links = graph.links_of(u, v)
    return CutEdge(u, v, tuple(sorted({c for x in links for c in x.control_names})),
                   tuple(sorted({d for x in links for d in x.devices})), _open_first(links, policy).position)


def _systems(loaded: LoadedInventory, nodes: list[Node]) -> tuple[System, ...]:
    wanted = {s for n in nodes for s in n.systems}
    out = [System(entity, system.name, agency.id, system.level)
           for agency in loaded.inventory.agencies for system in agency.systems
           if (entity := f"agency:{agency.id}/system:{system.id}") in wanted]
    return tuple(sorted(out, key=lambda s: (-s.level, s.entity)))


def _contacts(loaded: LoadedInventory, agencies: set[str | None]) -> tuple[AgencyContacts, ...]:
    out = []
    for agency in loaded.inventory.agencies:
        if agency.id in agencies:
            people = [_person(role, c) for role, c in (
                ("security_officer", agency.security_officer), ("leader", agency.leader),
                ("incident_reporting_contact", agency.layers.on_site.incident_reporting_contact)) if c is not None]
            out.append(AgencyContacts(agency.id, agency.name, tuple(people)))
    return tuple(sorted(out, key=lambda c: c.agency))


def _person(role: str, contact: Contact) -> Person:
    return Person(role, contact.name, contact.title, contact.email, contact.phone)
