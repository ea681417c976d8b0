"""Graph findings: what is wrong, where, and the path that shows it hop by hop."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from secassess.diagnostics import Severity
from secassess.errors import SourcePos
from secassess.graph.model import FilterPolicy, NetworkGraph

INTERNET_UNFILTERED = "internet_unfiltered"
USER_TO_DATABASE_DIRECT = "user_to_database_direct"
FLAT_NETWORK = "flat_network"
MISSING_ZONES_FOR_LEVEL = "missing_zones_for_level"
SINGLE_POINT_OF_FAILURE = "single_point_of_failure"
MANAGEMENT_REACHABLE_FROM_USERS = "management_reachable_from_users"
CROSS_AGENCY_UNCONTROLLED = "cross_agency_uncontrolled"

SHOWN_NAMES = 5
"""How many names a finding's message lists before "and N more"."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: the node reached and the controls on the edge that led to it.

    `position` is where that edge's link is written; for the first hop (no edge) and membership
    edges it is where the node itself is written. None when neither is known.
    """

    node: str
    controls: tuple[str, ...]
    position: SourcePos | None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the graph shows."""

    kind: str
    severity: Severity
    agency: str | None
    entity: str
    message: str
    position: SourcePos | None = None
    """Where the entity is written in the inventory."""
    path: tuple[Hop, ...] = ()


def trace(parent: Mapping[str, str], node: str) -> list[str]:
    """The BFS path from a source to `node`, following parent pointers."""
    path = [node]
    while path[-1] in parent:
        path.append(parent[path[-1]])
    path.reverse()
    return path


def hops(graph: NetworkGraph, path: Sequence[str], policy: FilterPolicy | None = None) -> tuple[Hop, ...]:
    """The hops of a node path; with `policy`, each edge shows a link that policy leaves open."""
    out = [Hop(path[0], (), graph.position(path[0]))]
    for u, v in pairwise(path):
        links = graph.links_of(u, v)
        if policy is not None:
            links = tuple(x for x in links if not policy.filters(x.controls)) or links
        if links:
            out.append(Hop(v, links[0].control_names, links[0].position))
        else:  # membership edge host <-> zone
            out.append(Hop(v, (), graph.position(v)))
    return tuple(out)


def names(items: Collection[str]) -> str:
    """`a, b, c` or `a, b, c, d, e and 7 more`, sorted."""
    ordered = sorted(items)
    shown = ", ".join(ordered[:SHOWN_NAMES])
    return f"{shown} and {len(ordered) - SHOWN_NAMES} more" if len(ordered) > SHOWN_NAMES else shown
