"""What protects each information system where it runs: judged on its servers' zones, not its owner's devices.

Most systems of a province run in the provincial data centre, behind the data centre's devices; an
agency that owns such a system has no WAF of its own, and needs none. So the per-system controls
are read off the network graph around the system's servers:

- *in front of it from the Internet* (ingress paths, see `paths`): WAF, DDoS protection, network
  malware filtering, and email security in front of its mail servers: `graph.ingress_<kind>` is true
  when every such path crosses a device of that kind, and `graph.ingress_<kind>_devices` names them;
- *from outside its network* (any path from the Internet or another agency's zones to its server
  zones): intrusion prevention, `graph.outside_ips`;
- *in front of its databases*: every link entering a database server's zone crosses a database
  firewall and no workstation shares the zone, `graph.db_firewall`;
- *in the networks it runs in* (the agencies owning its server zones, each judged on its own zones
  and devices): the zones its level requires (`graph.missing_zones_tier<N>`), VPN, NAC, PAM and an
  intrusion sensor in each (`graph.networks_without_<kind>`), redundancy (`graph.redundancy_gaps`),
  and central storage, backup and SIEM in any of them (`graph.hosting_<kind>`).

For each agency, `graph.zones_reached_without_firewall` lists the zones holding its own hosts that a
path from the Internet, the WAN or another agency reaches without crossing a firewall (a router with
ACLs is not one), and `graph.boundary_firewalls` the firewalls on the way in.

Every device is named as its entity (`agency:<owner>/security_device:<id>`), so a finding says which
agency provides the control. Unknown (None, or a `Partial` list) wherever a server's zone, a device's
status or redundancy, or a link list is not stated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from secassess.assessment.partial import Partial, Unknown, known_list
from secassess.graph import phrases
from secassess.graph.model import (
    DEVICE,
    INTERNET,
    SERVER,
    WORKSTATION,
    WORKSTATION_GROUP,
    FilterPolicy,
    NetworkGraph,
    Node,
)
from secassess.graph.paths import crosses_all, devices_on_paths, ingress, reachable, reached, zones_outside
from secassess.graph.rules import Facts, Output
from secassess.graph.rules.spof import required_redundancy
from secassess.graph.rules.zoning import TIERS, NetworkZoning, network_zoning

INGRESS_KINDS = ("waf", "ddos_protection", "network_malware_filter")
NETWORK_KINDS = {"vpn_gateway": ("vpn_gateway",), "nac": ("nac",), "pam": ("pam",), "ids": ("ids", "ips")}
"""Fact suffix -> device kinds, one of which each network the system runs in must have in service."""
ANYWHERE_KINDS = ("central_storage", "backup_system", "siem")
REDUNDANT_AT_3 = ("core_switch", "firewall", "waf", "central_storage", "db_firewall")
UNPLACED = phrases.UNPLACED_SERVERS
SYSTEM_FACTS = ("graph.server_zones", "graph.hosting_networks", "graph.internet_reachable", "graph.mail_servers",
                "graph.ingress_email_security", "graph.ingress_email_security_devices", "graph.outside_ips",
                "graph.outside_ips_devices", "graph.database_servers", "graph.db_firewall",
                "graph.db_firewall_devices", "graph.redundancy_gaps", "graph.hosting_devices",
                *(f"graph.ingress_{k}{s}" for k in INGRESS_KINDS for s in ("", "_devices")),
                *(f"graph.missing_zones_tier{t}" for t in TIERS),
                *(f"graph.networks_without_{k}" for k in NETWORK_KINDS),
                *(f"graph.hosting_{k}" for k in ANYWHERE_KINDS))
"""Every per-system fact (all unknown when the system does not state its servers)."""


def device_entity(node_id: str) -> str:
    """The assessment entity name of a device node (`agency:a/device:x` -> `agency:a/security_device:x`)."""
    head, _, last = node_id.rpartition("/")
    return f"{head}/security_{last}"


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    del policy  # protection is about devices and controls crossed, whatever filters
    hosts = {n.name.lower(): n for n in graph.nodes.values() if n.kind == SERVER}
    zoning: dict[str, NetworkZoning] = {}
    facts: Facts = {}
    for agency in graph.loaded.inventory.agencies:
        facts[f"agency:{agency.id}"] = _boundary(graph, agency.id)
        for system in agency.systems:
            entity = f"agency:{agency.id}/system:{system.id}"
            if not system.servers:  # where it runs is not stated (or no server is listed): nothing to judge
                facts[entity] = dict.fromkeys(SYSTEM_FACTS)
                continue
            servers = [hosts[h.lower()] for h in system.servers if h.lower() in hosts]
            servers = [s for s in servers if s.status != "decommissioned"]
            facts[entity] = _system(graph, servers, system.level, zoning)
    return facts, []


def _system(graph: NetworkGraph, servers: Sequence[Node], level: int,
            zoning: dict[str, NetworkZoning]) -> dict[str, Any]:
    unplaced = any(s.zone is None for s in servers)
    zones = sorted({s.zone for s in servers if s.zone})
    networks = sorted({owner for z in zones if (owner := graph.nodes[z].agency) is not None})
    for network in networks:
        if network not in zoning:
            zoning[network] = network_zoning(graph, network)
    out: dict[str, Any] = {"graph.server_zones": zones, "graph.hosting_networks": networks}
    out.update(_ingress(graph, servers, zones, unplaced))
    out.update(_outside(graph, zones, unplaced))
    out.update(_databases(graph, servers))
    for tier in TIERS:
        out[f"graph.missing_zones_tier{tier}"] = _merge(
            ([f"{kind} ({n})" for kind in _items(zoning[n].missing(tier))],
             [f"{kind} ({n})" for kind in _maybe(zoning[n].missing(tier))]) for n in networks) \
            if not unplaced else _unplaced(
            [f"{kind} ({n})" for n in networks for kind in _items(zoning[n].missing(tier))])
    for name, kinds in NETWORK_KINDS.items():
        out[f"graph.networks_without_{name}"] = _merge_unplaced(
            (_network_lacks(graph, n, kinds) for n in networks), unplaced)
    for kind in ANYWHERE_KINDS:
        found = [_in_service(graph, n, (kind,)) for n in networks]
        known = [d for certain, _ in found for d in certain]
        maybe = [d for _, unsure in found for d in unsure]
        out[f"graph.hosting_{kind}"] = known_list(known, maybe if not known else [],
                                                  [phrases.DEVICE_STATUS.format(entity=d) for d in maybe])
    out["graph.redundancy_gaps"] = _merge_unplaced((_redundancy(graph, n, level) for n in networks), unplaced)
    out["graph.hosting_devices"] = sorted(device_entity(n.id) for network in networks
                                          for n in graph.by_agency.get(network, ())
                                          if n.kind == DEVICE and n.status in ("active", None))
    return out


def _boundary(graph: NetworkGraph, agency: str) -> dict[str, Any]:
    """The zones of the agency's own hosts reached from outside their network without a firewall."""
    hosts = [n for n in graph.by_agency.get(agency, ()) if n.kind in (SERVER, WORKSTATION, WORKSTATION_GROUP)
             and n.status != "decommissioned"]
    zones = sorted({n.zone for n in hosts if n.zone})
    certain: list[str] = []
    maybe: list[str] = [UNPLACED] if any(n.zone is None for n in hosts) else []
    named: set[str] = set()
    for owner in sorted({graph.nodes[z].agency or "" for z in zones}):
        targets = [z for z in zones if (graph.nodes[z].agency or "") == owner]
        sources = zones_outside(graph, owner)
        free, perhaps = graph.free_edges("firewall", False)
        hit = reached(graph, sources, free)
        near = reached(graph, sources, perhaps)
        for zone in targets:
            if zone in hit:
                certain.append(zone)
            elif zone in near or not graph.complete:
                maybe.append(zone)
        named.update(devices_on_paths(graph, sources, targets, ("firewall",)))
    return {"graph.zones_reached_without_firewall": known_list(certain, maybe, [phrases.HOST_ZONES, *graph.unstated]),
            "graph.boundary_firewalls": sorted(device_entity(d) for d in named)}


def _items(value: list[str] | Partial) -> list[str]:
    return list(value.known) if isinstance(value, Partial) else list(value)


def _maybe(value: list[str] | Partial) -> list[str]:
    return list(value.maybe) if isinstance(value, Partial) else []


def _merge(parts: Iterable[tuple[list[str], list[str]]], missing: Sequence[str] = ()) -> list[str] | Partial:
    known: list[str] = []
    maybe: list[str] = []
    for certain, unsure in parts:
        known += certain
        maybe += unsure
    return known_list(known, maybe, missing)


def _unplaced(known: list[str]) -> Partial:
    """Certain gaps, and perhaps more in the networks of the servers whose zone is not stated."""
    return Partial(tuple(sorted(set(known))), (UNPLACED,), (phrases.SYSTEM_SERVER_ZONES,))


def _merge_unplaced(parts: Iterable[tuple[list[str], list[str]]], unplaced: bool) -> list[str] | Partial:
    merged = _merge(parts)
    if not unplaced:
        return merged
    return _unplaced(_items(merged))


def _ingress(graph: NetworkGraph, servers: Sequence[Node], zones: list[str], unplaced: bool) -> dict[str, Any]:
    expand = ingress(graph)
    reach = reachable(graph, [INTERNET], zones, expand)
    if reach is False and unplaced:
        reach = None
    out: dict[str, Any] = {"graph.internet_reachable": reach}
    for kind in INGRESS_KINDS:
        out[f"graph.ingress_{kind}"] = _guarded(crosses_all(graph, [INTERNET], zones, kind, True, expand), reach,
                                                unplaced)
        out[f"graph.ingress_{kind}_devices"] = [device_entity(d) for d in devices_on_paths(
            graph, [INTERNET], zones, (kind,), expand)]
    mail = [s for s in servers if s.subkind == "mail"]
    roles_open = any(s.subkind is None for s in servers)
    out["graph.mail_servers"] = known_list((s.name for s in mail), (s.name for s in servers if s.subkind is None),
                                           (phrases.ROLE_OF.format(entity=s.name) for s in servers
                                            if s.subkind is None))
    mail_zones = sorted({s.zone for s in mail if s.zone})
    mail_reach = reachable(graph, [INTERNET], mail_zones, expand)
    verdict = crosses_all(graph, [INTERNET], mail_zones, "email_security", True, expand)
    out["graph.ingress_email_security"] = _guarded(verdict, mail_reach, roles_open or any(
        s.zone is None for s in mail))
    out["graph.ingress_email_security_devices"] = [device_entity(d) for d in devices_on_paths(
        graph, [INTERNET], mail_zones, ("email_security",), expand)]
    return out


def _guarded(verdict: bool | None, reach: bool | None, unplaced: bool) -> bool | Unknown | None:
    """A path verdict that only stands when the servers are reached and all placed.

    Servers the Internet does not reach leave nothing in front of them to judge: the inventory states
    no way in (a citizen-facing system with none is a gap in the inventory, not a pass).
    """
    if reach is False:
        return Unknown((phrases.INTERNET_LINK,))
    if reach is None:
        return None
    if verdict is True and unplaced:
        return None
    return verdict


def _outside(graph: NetworkGraph, zones: list[str], unplaced: bool) -> dict[str, Any]:
    """Intrusion prevention on every path from outside the network a server zone belongs to."""
    verdicts: list[bool | None] = []
    named: set[str] = set()
    for owner in sorted({graph.nodes[z].agency or "" for z in zones}):
        targets = [z for z in zones if (graph.nodes[z].agency or "") == owner]
        sources = zones_outside(graph, owner)
        verdicts.append(crosses_all(graph, sources, targets, "ips", False))
        named.update(d for d in devices_on_paths(graph, sources, targets, ("ips", "firewall"))
                     if graph.nodes[d].subkind == "ips" or graph.nodes[d].ips_enabled is not False)
    verdict = False if False in verdicts else (None if None in verdicts or unplaced or not zones else True)
    return {"graph.outside_ips": verdict, "graph.outside_ips_devices": sorted(device_entity(d) for d in named)}


def _databases(graph: NetworkGraph, servers: Sequence[Node]) -> dict[str, Any]:
    """Database servers of the system, and whether a database firewall stands in front of each."""
    def is_db(server: Node) -> bool | None:
        in_db_zone = server.zone is not None and graph.nodes[server.zone].subkind == "database"
        if server.subkind == "database" or in_db_zone:
            return True
        return None if server.subkind is None or server.zone is None else False
    kinds = [(s, is_db(s)) for s in servers]
    databases = [s for s, db in kinds if db]
    out: dict[str, Any] = {"graph.database_servers": known_list(
        (s.name for s in databases), (s.name for s, db in kinds if db is None),
        (phrases.ROLE_OR_ZONE_OF.format(entity=s.name) for s, db in kinds if db is None))}
    verdicts: list[bool | None] = []
    named: set[str] = set()
    for zone in sorted({s.zone for s in databases if s.zone}):
        members = [graph.nodes[m] for m in graph.members.get(zone, ())]
        if any(m.kind in (WORKSTATION, WORKSTATION_GROUP) for m in members):
            verdicts.append(False)
        for (u, v), indices in graph.edge_links.items():
            if v != zone or u == zone:
                continue
            carried = [graph.links[i].carries("db_firewall", True) for i in indices]
            verdicts.append(False if False in carried else (None if None in carried else True))
            named.update(d for i in indices for d in graph.links[i].devices if graph.nodes[d].subkind == "db_firewall")
    unplaced = any(s.zone is None for s in databases)
    verdict = False if False in verdicts else (None if None in verdicts or unplaced or not graph.complete else True)
    out["graph.db_firewall"] = verdict if databases else None
    out["graph.db_firewall_devices"] = sorted(device_entity(d) for d in named)
    return out


def _in_service(graph: NetworkGraph, network: str, kinds: Sequence[str]) -> tuple[list[str], list[str]]:
    """Devices of a network of one of `kinds` (a firewall with IPS counts for "ips"): in service, of unstated status."""
    certain, unsure = [], []
    for node in graph.by_agency.get(network, ()):
        if node.kind != DEVICE:
            continue
        match = node.subkind in kinds
        if not match and "ips" in kinds and node.subkind == "firewall" and node.ips_enabled is not False:
            match = True
            if node.ips_enabled is None:
                unsure.append(device_entity(node.id))
                continue
        if not match:
            continue
        if node.status == "active":
            certain.append(device_entity(node.id))
        elif node.status is None:
            unsure.append(device_entity(node.id))
    return certain, unsure


def _network_lacks(graph: NetworkGraph, network: str, kinds: Sequence[str]) -> tuple[list[str], list[str]]:
    certain, unsure = _in_service(graph, network, kinds)
    if certain:
        return [], []
    return ([], [network]) if unsure else ([network], [])


def _redundancy(graph: NetworkGraph, network: str, level: int) -> tuple[list[str], list[str]]:
    """Gaps in the redundancy a level asks of a network: (certain, perhaps)."""
    if level < 2:
        return [], []
    devices = [n for n in graph.by_agency.get(network, ()) if n.kind == DEVICE and n.status != "decommissioned"
               and n.status != "down"]
    listed = None if level >= 5 else (REDUNDANT_AT_3 if level >= 3 else ("core_switch", "firewall"))
    needed = required_redundancy(level)
    certain: list[str] = []
    maybe: list[str] = []
    for kind in ("core_switch", "firewall"):
        if not any(n.subkind == kind for n in devices):
            certain.append(f"no {kind} ({network})")
    for kind in sorted({n.subkind for n in devices if n.subkind and (listed is None or n.subkind in listed)}):
        same = [n for n in devices if n.subkind == kind]
        active = [n for n in same if n.status == "active"]
        if len(active) >= 2:
            continue
        for node in same:
            if node.redundancy in needed and node.status == "active":
                break
        else:
            unsure = len(same) >= 2 or any(n.status is None or n.redundancy is None for n in same)
            gaps = [f"{device_entity(n.id)} (redundancy {n.redundancy or 'not stated'})" for n in same
                    if n.redundancy not in needed]
            (maybe if unsure else certain).extend(gaps)
    return certain, maybe
