"""What user (workstation) zones reach with no filtering: database, administration, management.

Per agency, one BFS from all its user zones over the links the policy leaves open, staying inside
the agency's own zones (a path out through another agency is the cross-agency rule's business).
User zones: zones of kind user, wireless or guest, and any zone holding workstations except an
administration or device-management zone (the workstations there are the administrators'). A device's
management interface is at its `management_address`, or at its `address` when it declares no
separate one, in the zone whose CIDRs hold it; a device with neither address, or one no declared
zone holds, sits somewhere the inventory does not say (unknown, not the device's own zone).
Three-valued: reached for certain over links that surely do not filter; perhaps over links whose
controls or devices are not all stated, from workstations whose zone is not stated, or while the
agency's (or the province's) link list is not stated.
"""

from __future__ import annotations

from collections.abc import Callable

from secassess.assessment.partial import known_list
from secassess.diagnostics import Severity
from secassess.graph import phrases
from secassess.graph.findings import (
    MANAGEMENT_REACHABLE_FROM_USERS,
    USER_TO_DATABASE_DIRECT,
    Finding,
    hops,
    trace,
)
from secassess.graph.model import (
    DEVICE,
    WORKSTATION,
    WORKSTATION_GROUP,
    ZONE,
    FilterPolicy,
    NetworkGraph,
    agency_entity,
    node_id,
)
from secassess.graph.rules import Facts, Output
from secassess.inventory.model import Agency, AssetStatus, stated

USER_ZONE_KINDS = frozenset(("user", "wireless", "guest"))
SENSITIVE_ZONE_KINDS = frozenset(("database", "administration"))
MANAGEMENT_ZONE_KINDS = frozenset(("device_management",))
ADMIN_ZONE_KINDS = frozenset(("administration", "device_management"))
"""Workstations in these zones are the administrators' own: their zone is not a user zone."""


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Per agency `graph.user_zones`, `graph.user_to_database_direct`, `graph.management_reachable_from_users`,
    `graph.management_interfaces`; per device `graph.management_reachable_from_users`."""
    open_ = graph.open_edges(policy)
    maybe_open = graph.maybe_open_edges(policy)
    facts: Facts = {}
    findings: list[Finding] = []
    for agency in graph.loaded.inventory.agencies:
        a = agency.id
        nodes = graph.by_agency.get(a, ())
        sources = sorted({n.id for n in nodes if n.kind == ZONE and n.subkind in USER_ZONE_KINDS}
                         | {n.zone for n in nodes if n.kind in (WORKSTATION, WORKSTATION_GROUP) and n.zone
                            and graph.nodes[n.zone].subkind not in ADMIN_ZONE_KINDS})
        unplaced = any(n.kind in (WORKSTATION, WORKSTATION_GROUP) and n.zone is None and n.status != "decommissioned"
                       for n in nodes)
        unlisted = not stated(agency, "workstations") or not stated(agency, "workstation_groups")
        settled = not unplaced and not unlisted and not {"network.links", f"agencies[{a}].zone_links"} & set(
            graph.unstated)
        dist, parent = graph.zones.bfs(sources, follow=lambda u, v: (u, v) in open_, expand=_inside(graph, a))
        perhaps, _ = graph.zones.bfs(sources, follow=lambda u, v: (u, v) in maybe_open, expand=_inside(graph, a))
        own = [z for z in dist if graph.nodes[z].agency == a]
        own_perhaps = [z for z in perhaps if graph.nodes[z].agency == a] if settled else \
            [n.id for n in nodes if n.kind == ZONE]
        sensitive = sorted(z for z in own if graph.nodes[z].subkind in SENSITIVE_ZONE_KINDS)
        for zone in sensitive:
            findings.append(Finding(
                USER_TO_DATABASE_DIRECT, Severity.HIGH, a, zone,
                f"user zone {trace(parent, zone)[0]} reaches {graph.nodes[zone].subkind} zone {zone} "
                "with no firewall on the way", graph.position(zone), hops(graph, trace(parent, zone), policy)))
        management = sorted(z for z in own if graph.nodes[z].subkind in MANAGEMENT_ZONE_KINDS)
        maybe_management = [z for z in own_perhaps if graph.nodes[z].subkind in MANAGEMENT_ZONE_KINDS]
        devices, maybe_devices = [], []
        interfaces = _management_zones(graph, agency)
        for device_id, zone in interfaces:
            reached = True if zone in dist else (None if not zone or zone in own_perhaps or zone in perhaps
                                                 or not settled else False)
            facts[device_id] = {"graph.management_reachable_from_users": reached}
            if reached is None:
                maybe_devices.append(device_id)
            if reached:
                devices.append(device_id)
                findings.append(Finding(
                    MANAGEMENT_REACHABLE_FROM_USERS, Severity.HIGH, a, device_id,
                    f"the management interface of {device_id} ({graph.nodes[device_id].management_address}, zone "
                    f"{zone}) is reachable from user zone {trace(parent, zone)[0]} with no firewall on the way",
                    graph.position(device_id), hops(graph, [*trace(parent, zone), device_id], policy)))
        for zone in management:
            findings.append(Finding(
                MANAGEMENT_REACHABLE_FROM_USERS, Severity.HIGH, a, zone,
                f"device-management zone {zone} is reachable from user zone {trace(parent, zone)[0]} "
                "with no firewall on the way", graph.position(zone), hops(graph, trace(parent, zone), policy)))
        maybe_sensitive = [z for z in own_perhaps if graph.nodes[z].subkind in SENSITIVE_ZONE_KINDS]
        direct = True if sensitive else (None if maybe_sensitive else False)
        facts[agency_entity(a)] = {
            "graph.user_zones": sources, "graph.user_to_database_direct": direct,
            "graph.management_reachable_from_users": known_list(
                management + devices, maybe_management + maybe_devices,
                [*(graph.unstated if not settled else ()),
                 *((f"agencies[{a}].workstations", f"agencies[{a}].workstation_groups") if unlisted else ()),
                 *(phrases.MANAGEMENT_ADDRESS.format(entity=d) for d, z in interfaces if not z)]),
            "graph.management_interfaces": len(interfaces) + sum(
                1 for n in nodes if n.kind == ZONE and n.subkind in MANAGEMENT_ZONE_KINDS)}
    return facts, findings


def _inside(graph: NetworkGraph, agency: str) -> Callable[[str], bool]:
    return lambda node: graph.nodes[node].agency == agency


def _management_zones(graph: NetworkGraph, agency: Agency) -> list[tuple[str, str]]:
    """(device node id, zone node id holding its management interface, "" when unknown) for every device
    not decommissioned."""
    province = graph.loaded.inventory.network.zones
    cidrs = [(node_id(ZONE, z.id, agency.id), net) for z in agency.zones for net in z.cidrs]
    cidrs += [(node_id(ZONE, z.id, None), net) for z in province for net in z.cidrs]
    out = []
    for device in agency.security_devices:
        if device.status is AssetStatus.DECOMMISSIONED:
            continue
        address = device.management_address or device.address
        zone = "" if address is None else next(
            (z for z, net in cidrs if address.version == net.version and address in net), "")
        out.append((node_id(DEVICE, device.id, agency.id), zone))
    return out
