"""The network graph as a `FactProvider`: `graph.*` facts for the checklists, with the offending paths.

The graph names entities as the assessment does, except devices (`agency:a/device:x` here,
`agency:a/security_device:x` there); facts come without the `graph.` prefix the rules write, since the
engine adds the namespace itself. Besides the rules' facts (see `secassess.graph.rules`), findings
that carry a path become path facts, so a failed check can show the way traffic goes, hop by hop
("internet → agency:a/zone:dmz [none] → agency:a/server:web01"; a hop's `[controls]` are those of the
link that reached it):

- every zoned host: `internet_unfiltered_path` (str, None when not reachable unfiltered);
- every agency: `user_to_database_paths`, `management_from_users_paths`, `cross_agency_paths`,
  `single_point_of_failure_paths` (lists of path strings, empty when none).

A fact the graph cannot decide (None from a rule) is given as `partial.Unknown`, naming what the
inventory leaves open across the graph (link lists, link controls or devices, device status, host
zones), so a finding without a verdict says what to collect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from secassess.assessment.entities import Entity
from secassess.assessment.partial import Unknown
from secassess.graph import phrases
from secassess.graph.analysis import GraphAnalysis
from secassess.graph.findings import (
    CROSS_AGENCY_UNCONTROLLED,
    INTERNET_UNFILTERED,
    MANAGEMENT_REACHABLE_FROM_USERS,
    SINGLE_POINT_OF_FAILURE,
    USER_TO_DATABASE_DIRECT,
    Finding,
    Hop,
)
from secassess.graph.model import DEFAULT_POLICY, DEVICE, FilterPolicy, NetworkGraph, agency_entity
from secassess.graph.service import analyse_inventory
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Inventory

PREFIX = "graph."

AGENCY_PATH_FACTS: dict[str, str] = {
    USER_TO_DATABASE_DIRECT: "user_to_database_paths",
    MANAGEMENT_REACHABLE_FROM_USERS: "management_from_users_paths",
    CROSS_AGENCY_UNCONTROLLED: "cross_agency_paths",
    SINGLE_POINT_OF_FAILURE: "single_point_of_failure_paths",
}
"""Finding kind -> the agency fact listing the paths of its findings."""

HOST_PATH_FACT = "internet_unfiltered_path"


def entity_name(node: str) -> str:
    """The assessment entity name of a graph node id (`device:` becomes `security_device:`)."""
    head, sep, last = node.rpartition("/")
    if last.startswith(f"{DEVICE}:"):
        return f"{head}{sep}security_device:{last[len(DEVICE) + 1:]}"
    return node


def path_text(path: Sequence[Hop]) -> str:
    """`a → b [firewall] → c`: each hop's node, with the controls of the link that reached it."""
    return phrases.HOP_ARROW.join(f"{hop.node} [{', '.join(hop.controls)}]" if hop.controls else hop.node
                                  for hop in path)


MAX_OPEN_INPUTS = 12


def open_inputs(graph: NetworkGraph) -> tuple[str, ...]:
    """What the inventory leaves open across the graph, most general first (at most MAX_OPEN_INPUTS)."""
    found = list(graph.unstated)
    for link in graph.links:
        where = f"{link.source} -> {link.target}" + (f" ({link.position})" if link.position else "")
        if link.open_controls:
            found.append(phrases.LINK_CONTROLS.format(link=where))
        if link.open_devices:
            found.append(phrases.LINK_DEVICES.format(link=where))
    for node in graph.nodes.values():
        if node.kind == DEVICE and node.status is None:
            found.append(phrases.STATUS_OF.format(entity=entity_name(node.id)))
        elif node.kind not in ("zone", "internet", DEVICE) and node.zone is None and node.status != "decommissioned":
            found.append(phrases.ZONE_OF.format(entity=node.id))
    return tuple(found[:MAX_OPEN_INPUTS]) + ((phrases.MORE.format(count=len(found) - MAX_OPEN_INPUTS),)
                                             if len(found) > MAX_OPEN_INPUTS else ())


class GraphFactProvider:
    """`graph.*` facts from one graph analysis (namespace "graph")."""

    namespace = "graph"

    def __init__(self, analysis: GraphAnalysis, graph: NetworkGraph) -> None:
        """`graph` is the one analysed: it tells which hosts sit in a zone an exposure finding names."""
        self.graph = graph
        facts: dict[str, dict[str, Any]] = {}
        for node, values in analysis.facts.items():
            facts.setdefault(entity_name(node), {}).update(
                {k.removeprefix(PREFIX): v for k, v in values.items()})
        for agency in graph.loaded.inventory.agencies:
            own = facts.setdefault(agency_entity(agency.id), {})
            for name in AGENCY_PATH_FACTS.values():
                own.setdefault(name, [])
        for values in facts.values():
            if "internet_reachable_without_filter" in values:
                values.setdefault(HOST_PATH_FACT, None)
        for finding in analysis.findings:
            self._add_path(facts, finding, graph)
        unknown = Unknown(open_inputs(graph))
        for values in facts.values():
            for key, value in values.items():
                if value is None and key != HOST_PATH_FACT:
                    values[key] = unknown
        self.facts: Mapping[str, Mapping[str, Any]] = facts

    @staticmethod
    def _add_path(facts: dict[str, dict[str, Any]], finding: Finding, graph: NetworkGraph) -> None:
        if not finding.path:
            return
        text = path_text(finding.path)
        if finding.kind == INTERNET_UNFILTERED:
            for host in graph.members.get(finding.entity, ()):
                facts[entity_name(host)][HOST_PATH_FACT] = f"{text} → {host}"
            return
        name = AGENCY_PATH_FACTS.get(finding.kind)
        if name is None or finding.agency is None:
            return
        if finding.kind == SINGLE_POINT_OF_FAILURE:
            text = phrases.ON_PATH.format(entity=finding.entity, path=text)
        owners = {finding.agency}
        if finding.kind == CROSS_AGENCY_UNCONTROLLED:  # reported once per pair: both agencies see it
            owners |= {a for a in (graph.nodes[finding.path[-1].node].agency,) if a is not None}
        for owner in owners:
            facts[agency_entity(owner)][name].append(text)

    @classmethod
    def from_inventory(cls, loaded: LoadedInventory, policy: FilterPolicy = DEFAULT_POLICY) -> GraphFactProvider:
        """Build the graph of an inventory, analyse it and provide its facts."""
        graph, analysis = analyse_inventory(loaded, policy)
        return cls(analysis, graph)

    def provide(self, inventory: Inventory, entities: Sequence[Entity],
                as_of: dt.date) -> Mapping[str, Mapping[str, Any]]:
        """The facts of every entity the graph knows (the same for any date)."""
        return self.facts
