"""The one module that imports networkx: a directed graph and the few operations secassess needs.

Everything else in `secassess.graph` talks to `NetGraph`, so the dependency (and its untyped API)
stays behind this wall.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import networkx as nx

EdgeFilter = Callable[[str, str], bool]
"""Whether a traversal may follow the edge u -> v."""

_SUPER_SINK = "\x00sink"


class NetGraph:
    """A directed graph of string node ids with attribute dicts on nodes and edges."""

    __slots__ = ("_g",)

    def __init__(self) -> None:
        self._g = nx.DiGraph()

    def add_node(self, node: str, **attrs: Any) -> None:
        """Add a node (or update its attributes)."""
        self._g.add_node(node, **attrs)

    def add_edge(self, u: str, v: str, **attrs: Any) -> None:
        """Add the edge u -> v (or update its attributes)."""
        self._g.add_edge(u, v, **attrs)

    def add_nodes(self, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Add many (node, attributes) at once (networkx's per-call overhead dominates at 100k nodes)."""
        self._g.add_nodes_from(nodes)

    def add_edges(self, edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Add many (u, v, attributes) at once."""
        self._g.add_edges_from(edges)

    def has_node(self, node: str) -> bool:
        return bool(self._g.has_node(node))

    def node(self, node: str) -> Mapping[str, Any]:
        """The attributes of one node."""
        return self._g.nodes[node]  # type: ignore[no-any-return]

    def edge(self, u: str, v: str) -> Mapping[str, Any] | None:
        """The attributes of u -> v, or None when there is no such edge."""
        return self._g.get_edge_data(u, v)  # type: ignore[no-any-return]

    def nodes(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        return iter(self._g.nodes(data=True))

    def edges(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        return iter(self._g.edges(data=True))

    def successors(self, node: str) -> Iterable[str]:
        return self._g.successors(node)  # type: ignore[no-any-return]

    def predecessors(self, node: str) -> Iterable[str]:
        return self._g.predecessors(node)  # type: ignore[no-any-return]

    def number_of_nodes(self) -> int:
        return int(self._g.number_of_nodes())

    def number_of_edges(self) -> int:
        return int(self._g.number_of_edges())

    def bfs(self, sources: Iterable[str], follow: EdgeFilter | None = None,
            expand: Callable[[str], bool] | None = None) -> tuple[dict[str, int], dict[str, str]]:
        """One breadth-first traversal from all `sources` at once: hop counts and BFS parents.

        `follow(u, v)` restricts the edges taken; `expand(n)` says whether to go on from a reached
        node (it is still recorded). Sources are at hop 0 and have no parent.
        """
        succ = self._g._succ  # the plain adjacency dict: this is the hot loop
        dist: dict[str, int] = {}
        parent: dict[str, str] = {}
        queue: deque[str] = deque()
        for s in sources:
            if s in succ and s not in dist:
                dist[s] = 0
                queue.append(s)
        while queue:
            u = queue.popleft()
            if expand is not None and dist[u] > 0 and not expand(u):
                continue
            d = dist[u] + 1
            for v in succ[u]:
                if v not in dist and (follow is None or follow(u, v)):
                    dist[v] = d
                    parent[v] = u
                    queue.append(v)
        return dist, parent

    def immediate_dominators(self, start: str) -> dict[str, str]:
        """Immediate dominator of every node reachable from `start` (`start` maps to itself)."""
        return dict(nx.immediate_dominators(self._g, start))

    def min_edge_cut(self, source: str, sinks: Iterable[str], capacity: str = "capacity",
                     follow: EdgeFilter | None = None) -> tuple[int, list[tuple[str, str]]]:
        """A minimum set of edges whose removal separates `source` from every sink.

        Sinks join a super-sink by uncuttable edges; edge weights are read from `capacity` (1 when
        absent). Returns (cut value, cut edges sorted); (0, []) when no sink is reachable.
        """
        flow = nx.DiGraph()
        flow.add_edges_from((u, v, {"capacity": data.get(capacity, 1)}) for u, v, data in self._g.edges(data=True)
                            if follow is None or follow(u, v))
        sinks = [t for t in sinks if t != source and flow.has_node(t)]
        if not sinks or not flow.has_node(source):
            return 0, []
        for t in sinks:
            flow.add_edge(t, _SUPER_SINK)  # no capacity attribute: infinite
        # Edmonds-Karp costs O(cut value x edges); a zone's cut is small, so it beats preflow-push here
        value, (reachable, _) = nx.minimum_cut(flow, source, _SUPER_SINK,
                                               flow_func=nx.algorithms.flow.edmonds_karp)
        cut = sorted((u, v) for u in reachable for v in flow.successors(u)
                     if v not in reachable and v != _SUPER_SINK)
        return int(value), cut

    def shortest_path_lengths(self, source: str) -> dict[str, int]:
        """networkx's `single_source_shortest_path_length` (the benchmarks' yardstick)."""
        return dict(nx.single_source_shortest_path_length(self._g, source))

    def write_graphml(self, stream: IO[bytes]) -> None:
        """GraphML that `networkx.read_graphml` reads back (attribute values must be scalars)."""
        nx.write_graphml(self._g, stream)

    def node_link(self) -> dict[str, Any]:
        """The node-link JSON form (`networkx.node_link_data`, edges under "links")."""
        return dict(nx.node_link_data(self._g, edges="links"))
