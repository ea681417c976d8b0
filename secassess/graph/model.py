"""What the network graph is made of: node and link records, node ids, and the filtering policy.

Node ids follow the entity names used across secassess: `internet`, `zone:<id>` for province-wide
zones (the provincial WAN, a shared DMZ), and `agency:<a>/zone:<z>`, `agency:<a>/server:<host>`,
`agency:<a>/workstation:<host>`, `agency:<a>/workstation_group:<id>`, `agency:<a>/device:<id>`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from secassess.errors import SourcePos
from secassess.graph.nxgraph import NetGraph
from secassess.inventory.load import LoadedInventory

INTERNET = "internet"

ZONE = "zone"
SERVER = "server"
WORKSTATION = "workstation"
WORKSTATION_GROUP = "workstation_group"
DEVICE = "device"

FILTERING_CONTROLS = frozenset(("firewall", "ips", "waf"))
"""Link controls that filter traffic. A VPN only encrypts, NAC only admits devices: neither filters."""

DEVICE_CONTROLS = {"firewall": "firewall", "db_firewall": "firewall", "ips": "ips", "waf": "waf",
                   "nac": "nac", "vpn_gateway": "vpn"}
"""The control an active security device applies to the traffic of a link that crosses it."""


def agency_entity(agency: str) -> str:
    return f"agency:{agency}"


def node_id(kind: str, name: str, agency: str | None) -> str:
    """The node id (entity name) of a zone or host; `agency` None means province-wide."""
    return f"{kind}:{name}" if agency is None else f"agency:{agency}/{kind}:{name}"


@dataclass(frozen=True, slots=True)
class FilterPolicy:
    """Which link controls count as filtering ("without control" means: none of these on the link).

    Firewall, IPS and WAF always filter. An ACL is a weak, stateless filter: it counts only when
    `acl_filters` is set. VPN, NAC and `none` never filter.
    """

    acl_filters: bool = False

    @property
    def controls(self) -> frozenset[str]:
        return FILTERING_CONTROLS | {"acl"} if self.acl_filters else FILTERING_CONTROLS

    def filters(self, controls: frozenset[str]) -> bool:
        return not controls.isdisjoint(self.controls)

    def may_filter(self, link: Link) -> bool:
        """Whether the link might filter (it does for certain, or what it carries is not all stated)."""
        return not link.may.isdisjoint(self.controls) or link.open_controls


DEFAULT_POLICY = FilterPolicy()


@dataclass(frozen=True, slots=True)
class Link:
    """One allowed traffic path between two zones, as declared (or added by an extension)."""

    index: int
    source: str
    target: str
    controls: frozenset[str]
    """Declared controls plus those applied by the devices in service crossed; empty means none."""
    devices: tuple[str, ...]
    bidirectional: bool
    ports: tuple[int, ...]
    agency: str | None
    position: SourcePos | None
    have: frozenset[str] = frozenset()
    """Controls and device kinds the link carries for certain (`controls` plus the kinds of its devices in service)."""
    may: frozenset[str] = frozenset()
    """`have` plus what its devices of unstated status (or unstated IPS setting) would add."""
    open_controls: bool = False
    """Its `controls` are not stated: it may carry any control (declared controls are the link's own word)."""
    open_devices: bool = False
    """Its `devices` are not stated: it may cross any device (a DDoS box, a sandbox... only devices tell)."""

    @property
    def control_names(self) -> tuple[str, ...]:
        """Sorted control names, `("none",)` when uncontrolled."""
        return tuple(sorted(self.controls)) or ("none",)

    def carries(self, kind: str, device_only: bool) -> bool | None:
        """Whether traffic over the link crosses `kind` (a control or a device kind): yes, no, or unknown."""
        if kind in self.have:
            return True
        if kind in self.may or (self.open_devices if device_only else self.open_controls):
            return None
        return False


@dataclass(frozen=True, slots=True)
class Node:
    """A zone, host or the internet, with what the analyses need to know about it."""

    id: str
    kind: str
    name: str
    agency: str | None
    source: BaseModel | None = field(default=None, compare=False, repr=False)
    """The inventory model it comes from (positions are looked up only when a finding needs one)."""
    zone: str | None = None
    """For hosts: the node id of their zone (None when the inventory gives none, or decommissioned)."""
    subkind: str | None = None
    """Zone kind for zones, device kind for devices, role for servers."""
    level: int | None = None
    """For hosts: the highest level of the systems running on them."""
    systems: tuple[str, ...] = ()
    """For hosts: entity names of the systems running on them."""
    addresses: tuple[str, ...] = ()
    redundancy: str | None = None
    """For devices: the redundancy stated (None: not stated)."""
    management_address: str | None = None
    status: str | None = "active"
    """active, down, decommissioned, or None when the inventory does not state it."""
    ips_enabled: bool | None = None
    """For firewalls: intrusion prevention on (None: not stated)."""
    label: str = ""
    """Human name for zones (inventory text: escape it wherever it is rendered)."""


@dataclass(frozen=True)
class NetworkGraph:
    """The built graph: records, the full networkx graph and its zone-level part."""

    loaded: LoadedInventory
    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    edge_links: Mapping[tuple[str, str], tuple[int, ...]]
    """Zone edge (u, v) -> indices of the links behind it (several when declared in parallel)."""
    zones: NetGraph
    """Internet and zones, link edges only: what reachability is computed on."""
    members: Mapping[str, tuple[str, ...]]
    """Zone node id -> the host node ids in it."""
    agency_levels: Mapping[str, int]
    """Agency id -> its highest system level (agencies without systems are absent)."""
    node_attributes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Extra scalar attributes per node id for the networkx graph (the extension point)."""
    systems_stated: bool = True
    """Every agency writes its `systems:` list and every system its `servers` (else a server may run a
    system the graph does not see)."""
    unstated: tuple[str, ...] = ()
    """Link lists the inventory does not write (`network.links`, `agencies[a].zone_links`): while any is
    missing, no path can be ruled out, so facts that rest on the absence of a path are unknown."""

    @property
    def complete(self) -> bool:
        """Every link list is stated: a path the graph does not show does not exist."""
        return not self.unstated

    @cached_property
    def full(self) -> NetGraph:
        """Every node; link edges zone -> zone and membership edges host <-> zone, scalar attributes only.

        Built on first use (exports): the analyses need only `zones`.
        """
        graph = NetGraph()
        graph.add_nodes((n.id, node_attributes_of(n, self.node_attributes)) for n in self.nodes.values())
        member = {"kind": "member"}
        graph.add_edges(edge for zone, hosts in self.members.items() for host in hosts
                        for edge in ((host, zone, member), (zone, host, member)))
        graph.add_edges((u, v, dict(self.zones.edge(u, v) or {})) for u, v in self.edge_links)
        return graph

    def position(self, node: str) -> SourcePos | None:
        """Where a node is written in the inventory (None for the internet)."""
        source = self.nodes[node].source
        return None if source is None else self.loaded.position(source)

    def links_of(self, u: str, v: str) -> tuple[Link, ...]:
        """The links behind the zone edge u -> v."""
        return tuple(self.links[i] for i in self.edge_links.get((u, v), ()))

    def open_edges(self, policy: FilterPolicy) -> frozenset[tuple[str, str]]:
        """Zone edges with at least one link that `policy` does not count as filtering, for certain."""
        return frozenset(edge for edge, indices in self.edge_links.items()
                         if any(not policy.may_filter(self.links[i]) for i in indices))

    def maybe_open_edges(self, policy: FilterPolicy) -> frozenset[tuple[str, str]]:
        """Zone edges with at least one link that does not filter for certain (what it carries may be unstated)."""
        return frozenset(edge for edge, indices in self.edge_links.items()
                         if any(not policy.filters(self.links[i].controls) for i in indices))

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Answers of path queries on this graph, kept for the graph's life (systems ask the same ones)."""
        return {}

    def free_edges(self, kind: str, device_only: bool) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
        """Zone edges traffic may take without crossing `kind`: (for certain, perhaps). Computed once per kind."""
        key = ("free_edges", kind, device_only)
        found: tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]] | None = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._free_edges(kind, device_only)
            self.memo.setdefault("kept_edges", set()).update(id(edges) for edges in found)
        return found

    def _free_edges(self, kind: str, device_only: bool) -> tuple[frozenset[tuple[str, str]],
                                                                  frozenset[tuple[str, str]]]:
        certain, maybe = set(), set()
        for edge, indices in self.edge_links.items():
            verdicts = [self.links[i].carries(kind, device_only) for i in indices]
            if False in verdicts:
                certain.add(edge)
            if False in verdicts or None in verdicts:
                maybe.add(edge)
        return frozenset(certain), frozenset(maybe)

    @cached_property
    def by_agency(self) -> Mapping[str | None, tuple[Node, ...]]:
        """Agency id (None: province-wide) -> its zones and hosts, in inventory order."""
        grouped: dict[str | None, list[Node]] = defaultdict(list)
        for node in self.nodes.values():
            grouped[node.agency].append(node)
        return {k: tuple(v) for k, v in grouped.items()}


def node_attributes_of(node: Node, extra: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The scalar attributes a node carries in the networkx graph (GraphML needs scalars)."""
    attrs: dict[str, Any] = {"kind": node.kind, "name": node.name}
    for key, value in (("agency", node.agency), ("subkind", node.subkind), ("level", node.level),
                       ("label", node.label or None)):
        if value is not None:
            attrs[key] = value
    attrs.update(extra.get(node.id, {}))
    return attrs


def link_attributes(links: list[Link]) -> dict[str, Any]:
    """The attributes of one zone edge standing for one or more parallel links."""
    return {"kind": "link", "capacity": len(links),
            "controls": " ".join(sorted({c for x in links for c in x.control_names})),
            "devices": " ".join(sorted({d for x in links for d in x.devices})),
            "direction": "both" if all(x.bidirectional for x in links) else "one-way"}
