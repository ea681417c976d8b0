"""Three-valued questions about paths: is a zone reached, does every path cross a control?

A link whose controls or devices are not stated may carry anything, and while a link list is not
stated (`NetworkGraph.unstated`) a path the graph does not show may still exist. So each question is
answered twice, once on what is certain and once on what is possible: yes when certain, no when not
even possible, unknown in between. Two traversal modes:

- *any path*: every zone passes traffic on (what an attacker inside the network can do);
- *ingress*: traffic from outside is carried on only by the Internet, edge, WAN and DMZ zones; it
  can end in a server, user or administration zone but does not cross it (that would be a second,
  compromised step). This is the question "what stands in front of this server".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence

from secassess.graph.model import DEVICE, INTERNET, ZONE, NetworkGraph

TRANSIT_KINDS = frozenset({"edge", "wan", "dmz"})
"""Zone kinds that carry traffic from outside on towards other zones (ingress mode)."""

Expand = Callable[[str], bool] | None


def ingress(graph: NetworkGraph) -> Callable[[str], bool]:
    """The ingress-mode expansion: the Internet and transit zones pass traffic on (one function per graph, so
    the answers of queries made with it are kept)."""
    found: Callable[[str], bool] | None = graph.memo.get("ingress")
    if found is None:
        nodes = graph.nodes
        found = graph.memo["ingress"] = lambda node: node == INTERNET or nodes[node].subkind in TRANSIT_KINDS
    return found


def zones_outside(graph: NetworkGraph, owner: str | None) -> list[str]:
    """The Internet and every zone not of agency `owner` (""/None: the province-wide zones' owner), computed once
    per owner: the sources of "from outside this network" questions."""
    owner = owner or ""
    key = ("zones_outside", owner)
    found: list[str] | None = graph.memo.get(key)
    if found is None:
        by_owner: dict[str, list[str]] | None = graph.memo.get("zones_by_owner")
        if by_owner is None:
            by_owner = graph.memo["zones_by_owner"] = {}
            for zone, node in graph.nodes.items():
                if node.kind == ZONE:
                    by_owner.setdefault(node.agency or "", []).append(zone)
        found = graph.memo[key] = [INTERNET, *(z for other, zs in by_owner.items() if other != owner for z in zs)]
    return found


def reached(graph: NetworkGraph, sources: Iterable[str], edges: Collection[tuple[str, str]] | None = None,
            expand: Expand = None) -> set[str]:
    """Zones reached from `sources` over `edges` (all when None); the answer is kept on the graph when `edges`
    and `expand` are ones the graph keeps (`free_edges`, `ingress`), so many systems asking the same costs one
    walk. The caller must not change the returned set."""
    origin = tuple(sorted(sources))
    key = ("reached", origin, id(edges) if edges is not None else None, id(expand) if expand is not None else None)
    kept = edges is None or id(edges) in graph.memo.get("kept_edges", ())
    if kept and (expand is None or expand is graph.memo.get("ingress")):
        found: set[str] | None = graph.memo.get(key)
        if found is None:
            found = graph.memo[key] = _reached(graph, origin, edges, expand)
        return found
    return _reached(graph, origin, edges, expand)


def _reached(graph: NetworkGraph, origin: Sequence[str], edges: Collection[tuple[str, str]] | None,
             expand: Expand) -> set[str]:
    follow = None if edges is None else (lambda u, v: (u, v) in edges)
    dist, _ = graph.zones.bfs(list(origin), follow, expand)
    return set(dist)


def reachable(graph: NetworkGraph, sources: Iterable[str], targets: Collection[str],
              expand: Expand = None) -> bool | None:
    """Some target is reached from the sources: yes; no (only when every link list is stated); unknown."""
    if not targets:
        return False
    if reached(graph, sources, None, expand) & set(targets):
        return True
    return False if graph.complete else None


def crosses_all(graph: NetworkGraph, sources: Iterable[str], targets: Collection[str], kind: str,
                device_only: bool, expand: Expand = None) -> bool | None:
    """Every path from the sources to the targets crosses `kind` (a control or device kind): yes / no / unknown.

    No when some path is certain to avoid it; yes when none can (and every link list is stated).
    """
    origin = sorted(sources)
    certain, maybe = graph.free_edges(kind, device_only)
    wanted = set(targets)
    if reached(graph, origin, certain, expand) & wanted:
        return False
    if not graph.complete or reached(graph, origin, maybe, expand) & wanted:
        return None
    return True


def devices_on_paths(graph: NetworkGraph, sources: Iterable[str], targets: Collection[str], kinds: Collection[str],
                     expand: Expand = None) -> list[str]:
    """Devices of `kinds` (in service, or of unstated status) on the links of some path from sources to targets."""
    origin = set(sources)
    forward = reached(graph, origin, None, expand)
    passes = expand or (lambda node: True)
    back: set[str] = {t for t in targets if t in forward}
    queue = deque(back)
    while queue:
        zone = queue.popleft()
        if zone in origin:
            continue
        for prev in graph.zones.predecessors(zone):
            if prev in forward and prev not in back and (prev in origin or passes(prev)):
                back.add(prev)
                queue.append(prev)
    found: set[str] = set()
    for (u, v), indices in graph.edge_links.items():
        if u in forward and u in back and v in back and v not in origin and (u in origin or passes(u)):
            for i in indices:
                for device in graph.links[i].devices:
                    box = graph.nodes[device]
                    if box.kind == DEVICE and box.subkind in kinds and box.status in ("active", None):
                        found.add(device)
    return sorted(found)
