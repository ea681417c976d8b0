"""Inventory -> `NetworkGraph`: zones, hosts and links, every reference resolved or reported.

Zone names in links and hosts resolve, in order, to: the agency's own zone, a province-wide zone,
`internet` (links only), `<agency>.<zone>`, or a zone id that only one agency uses (a server may sit
in the shared data centre's zone). Devices on links resolve the same way. A name that resolves to
nothing (or to several things) is an input error placed at its line. The extension point
`extra_links` / `node_attributes` lets later stages (scan facts) add zone-to-zone links and node
attributes without touching the inventory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from secassess.errors import InputError, SourcePos
from secassess.graph.model import (
    DEVICE,
    DEVICE_CONTROLS,
    INTERNET,
    SERVER,
    WORKSTATION,
    WORKSTATION_GROUP,
    ZONE,
    Link,
    NetworkGraph,
    Node,
    link_attributes,
    node_attributes_of,
    node_id,
)
from secassess.graph.nxgraph import NetGraph
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Agency, AssetStatus, SecurityDevice, ZoneLink, stated


@dataclass(frozen=True, slots=True)
class ExtraLink:
    """A zone-to-zone link learnt outside the inventory (e.g. from a scan); node ids, not names."""

    source: str
    target: str
    controls: frozenset[str] = frozenset()
    bidirectional: bool = False


class _Names:
    """Resolves a name written in a link to a node id: local, province, internet, qualified, unique."""

    def __init__(self) -> None:
        self.local: dict[str | None, dict[str, str]] = defaultdict(dict)
        self.qualified: dict[str, str] = {}
        self.anywhere: dict[str, list[str]] = defaultdict(list)

    def add(self, name: str, node: str, agency: str | None) -> None:
        self.local[agency][name] = node
        if agency is not None:
            self.qualified[f"{agency}.{name}"] = node
            self.anywhere[name].append(node)

    def resolve(self, name: str, agency: str | None) -> tuple[str | None, str]:
        """(node id, "") or (None, why not)."""
        for scope in (agency, None):
            found = self.local.get(scope, {}).get(name)
            if found is not None:
                return found, ""
        if name in self.qualified:
            return self.qualified[name], ""
        choices = self.anywhere.get(name, [])
        if len(choices) == 1:
            return choices[0], ""
        if choices:
            return None, f"is ambiguous ({', '.join(sorted(choices))}); write it as <agency>.{name}"
        return None, "names nothing declared"


CONTROL_NAMES = frozenset(DEVICE_CONTROLS.values()) | {"acl"}


def _value(member: Any) -> Any:
    """An enum member's value; None stays None (not stated)."""
    return None if member is None else member.value


class _Builder:
    def __init__(self, loaded: LoadedInventory) -> None:
        self.loaded = loaded
        self.nodes: dict[str, Node] = {INTERNET: Node(INTERNET, INTERNET, INTERNET, None)}
        self.zone_names = _Names()
        self.zone_names.add(INTERNET, INTERNET, None)
        self.device_names = _Names()
        self.devices: dict[str, SecurityDevice] = {}
        self.problems: list[tuple[SourcePos | None, str]] = []
        self.links: list[Link] = []

    def pos(self, model: BaseModel, field: str | None = None) -> SourcePos:
        return self.loaded.position(model, field)

    def add_node(self, node: Node) -> None:
        if node.id in self.nodes:
            self.problems.append((self.pos(node.source) if node.source else None, f"{node.id} is declared twice"))
        self.nodes[node.id] = node

    def zones(self) -> None:
        inventory = self.loaded.inventory
        for zone in inventory.network.zones:
            if zone.id != INTERNET:
                node = Node(node_id(ZONE, zone.id, None), ZONE, zone.id, None, zone, subkind=zone.kind.value,
                            label=zone.name)
                self.add_node(node)
                self.zone_names.add(zone.id, node.id, None)
        for agency in inventory.agencies:
            for zone in agency.zones:
                if zone.id != INTERNET:
                    node = Node(node_id(ZONE, zone.id, agency.id), ZONE, zone.id, agency.id, zone,
                                subkind=zone.kind.value, label=zone.name)
                    self.add_node(node)
                    self.zone_names.add(zone.id, node.id, agency.id)
            for device in agency.security_devices:
                self.device_names.add(device.id, node_id(DEVICE, device.id, agency.id), agency.id)
                self.devices[node_id(DEVICE, device.id, agency.id)] = device

    def host_zone(self, agency: Agency, model: BaseModel, zone: str | None,
                  status: AssetStatus | None = AssetStatus.ACTIVE) -> str | None:
        """The zone node a host sits in; a decommissioned host is kept as a node but sits nowhere."""
        if zone is None:
            return None
        found, why = self.zone_names.resolve(zone, agency.id)
        if found == INTERNET:
            found, why = None, "is the internet, which holds no hosts; name the zone the host sits in"
        if found is None:
            self.problems.append((self.pos(model, "zone"), f"zone {zone!r} {why}"))
        return None if status is AssetStatus.DECOMMISSIONED else found

    def hosts(self, levels: Mapping[str, tuple[int, tuple[str, ...]]]) -> None:
        for agency in self.loaded.inventory.agencies:
            a = agency.id
            for server in agency.servers:
                level, systems = levels.get(server.hostname.lower(), (None, ()))
                self.add_node(Node(node_id(SERVER, server.hostname, a), SERVER, server.hostname, a, server,
                                   zone=self.host_zone(agency, server, server.zone, server.status),
                                   subkind=_value(server.role), level=level, systems=systems,
                                   addresses=tuple(str(x) for x in server.addresses), status=_value(server.status)))
            for ws in agency.workstations:
                self.add_node(Node(node_id(WORKSTATION, ws.hostname, a), WORKSTATION, ws.hostname, a, ws,
                                   zone=self.host_zone(agency, ws, ws.zone, ws.status),
                                   addresses=(str(ws.address),) if ws.address else (), status=_value(ws.status)))
            for group in agency.workstation_groups:
                self.add_node(Node(node_id(WORKSTATION_GROUP, group.id, a), WORKSTATION_GROUP, group.id, a,
                                   group, zone=self.host_zone(agency, group, group.zone)))
            for dev in agency.security_devices:
                addresses = tuple(str(x) for x in (dev.address, dev.management_address) if x is not None)
                self.add_node(Node(node_id(DEVICE, dev.id, a), DEVICE, dev.id, a, dev,
                                   zone=self.host_zone(agency, dev, dev.zone, dev.status), subkind=dev.kind.value,
                                   addresses=addresses, redundancy=_value(dev.redundancy),
                                   management_address=str(dev.management_address) if dev.management_address else None,
                                   status=_value(dev.status), ips_enabled=dev.ips_enabled))

    def system_levels(self) -> tuple[dict[str, tuple[int, tuple[str, ...]]], dict[str, int]]:
        """Hostname -> (highest level, systems) and agency -> highest level."""
        inventory = self.loaded.inventory
        hostnames = {s.hostname.lower() for agency in inventory.agencies for s in agency.servers}
        by_host: dict[str, tuple[int, tuple[str, ...]]] = {}
        agency_levels: dict[str, int] = {}
        for agency in inventory.agencies:
            for system in agency.systems:
                agency_levels[agency.id] = max(agency_levels.get(agency.id, 0), system.level)
                entity = f"agency:{agency.id}/system:{system.id}"
                for i, written in enumerate(system.servers):
                    host = written.lower()
                    if host not in hostnames:
                        self.problems.append((self.loaded.position(system, "servers"),
                                              f"system {system.id!r}: server {written!r} (item {i + 1}) is not "
                                              "declared by any agency"))
                        continue
                    level, systems = by_host.get(host, (0, ()))
                    by_host[host] = (max(level, system.level), (*systems, entity))
        return by_host, agency_levels

    def link(self, link: ZoneLink, agency: str | None) -> None:
        ends: list[str] = []
        for field, name in (("from_zone", link.from_zone), ("to_zone", link.to_zone)):
            found, why = self.zone_names.resolve(name, agency)
            if found is None:
                self.problems.append((self.pos(link, field), f"zone {name!r} in '{field[:-5]}' {why}"))
            else:
                ends.append(found)
        devices: list[str] = []
        controls = {c.value for c in link.controls} - {"none"}
        have: set[str] = set()
        may: set[str] = set()
        for name in link.devices:
            found, why = self.device_names.resolve(name, agency)
            if found is None:
                self.problems.append((self.pos(link, "devices"), f"device {name!r} {why}"))
                continue
            devices.append(found)
            device = self.devices[found]
            adds = {c for c in (device.kind.value, DEVICE_CONTROLS.get(device.kind.value)) if c}
            ips = "ips" if device.kind.value == "firewall" else None
            if device.status is AssetStatus.ACTIVE:
                have.update(adds)
                may.update(adds)
                if ips and device.ips_enabled:
                    have.add(ips)
                if ips and device.ips_enabled is not False:
                    may.add(ips)
            elif device.status is None:
                may.update(adds | ({ips} if ips and device.ips_enabled is not False else set()))
        certain = controls | (have & CONTROL_NAMES)
        if len(ends) == 2:
            open_devices = not stated(link, "devices")
            self.links.append(Link(len(self.links), ends[0], ends[1], frozenset(certain), tuple(devices),
                                   link.bidirectional, tuple(link.ports), agency, self.pos(link),
                                   frozenset(certain | have), frozenset(certain | have | may),
                                   open_controls=not stated(link, "controls"), open_devices=open_devices))

    def add_extra(self, extra: ExtraLink) -> None:
        for end in (extra.source, extra.target):
            if end not in self.nodes or self.nodes[end].kind not in (ZONE, INTERNET):
                self.problems.append((None, f"extra link: {end!r} is not a zone node id"))
                return
        controls = frozenset(extra.controls) - {"none"}
        self.links.append(Link(len(self.links), extra.source, extra.target, controls, (), extra.bidirectional, (),
                               None, None, controls, controls))


def build_graph(loaded: LoadedInventory, extra_links: Iterable[ExtraLink] = (),
                node_attributes: Mapping[str, Mapping[str, Any]] | None = None) -> NetworkGraph:
    """Build the graph of an inventory; raise `InputError` listing every dangling reference.

    `extra_links` adds zone-to-zone links (node ids); `node_attributes` adds scalar attributes to
    nodes of the networkx graph (both are the extension point for scan facts).
    """
    b = _Builder(loaded)
    b.zones()
    levels, agency_levels = b.system_levels()
    b.hosts(levels)
    inventory = loaded.inventory
    for link in inventory.network.links:
        b.link(link, None)
    for agency in inventory.agencies:
        for link in agency.zone_links:
            b.link(link, agency.id)
    for extra in extra_links:
        b.add_extra(extra)
    if b.problems:
        raise InputError(b.problems)
    unstated = [] if stated(inventory, "network") and stated(inventory.network, "links") else ["network.links"]
    unstated += [f"agencies[{a.id}].zone_links" for a in inventory.agencies if a.zones and not stated(a, "zone_links")]
    return _assemble(b, agency_levels, node_attributes or {}, tuple(unstated))


def _assemble(b: _Builder, agency_levels: dict[str, int],
              node_attributes: Mapping[str, Mapping[str, Any]], unstated: tuple[str, ...] = ()) -> NetworkGraph:
    members: dict[str, list[str]] = defaultdict(list)
    for node in b.nodes.values():
        if node.zone is not None:
            members[node.zone].append(node.id)
    edge_links: dict[tuple[str, str], list[int]] = defaultdict(list)
    for link in b.links:
        edge_links[(link.source, link.target)].append(link.index)
        if link.bidirectional:
            edge_links[(link.target, link.source)].append(link.index)
    zones = NetGraph()
    zones.add_nodes((n.id, node_attributes_of(n, node_attributes)) for n in b.nodes.values()
                    if n.kind in (ZONE, INTERNET))
    zones.add_edges((u, v, link_attributes([b.links[i] for i in indices])) for (u, v), indices in edge_links.items())
    return NetworkGraph(b.loaded, b.nodes, tuple(b.links), {k: tuple(v) for k, v in edge_links.items()},
                        zones, {k: tuple(v) for k, v in members.items()}, agency_levels, node_attributes,
                        all(stated(a, "systems") and all(s.servers for s in a.systems)
                            for a in b.loaded.inventory.agencies), unstated)
