"""Hosts the internet reaches with no filtering control on the way (one BFS per edge subset).

Three-valued: a host is exposed for certain when a path of links that surely do not filter reaches
its zone; not exposed when no path of links that might not filter does (and every link list is
stated); unknown otherwise, and for a host whose zone the inventory does not state.
"""

from __future__ import annotations

from collections import defaultdict

from secassess.diagnostics import Severity
from secassess.graph.findings import INTERNET_UNFILTERED, Finding, hops, names, trace
from secassess.graph.model import DEVICE, INTERNET, FilterPolicy, NetworkGraph, Node
from secassess.graph.rules import Facts, Output


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Per host `graph.internet_reachable` (any path) and `graph.internet_reachable_without_filter`.

    Hosts inherit the reachability of their zone: BFS from the internet over zones (over every
    link, over the links surely open, over those perhaps open), and no per-host query.
    """
    reachable, _ = graph.zones.bfs([INTERNET])
    open_ = graph.open_edges(policy)
    exposed, parent = graph.zones.bfs([INTERNET], follow=lambda u, v: (u, v) in open_)
    maybe_open = graph.maybe_open_edges(policy)
    perhaps, _ = graph.zones.bfs([INTERNET], follow=lambda u, v: (u, v) in maybe_open)
    complete = graph.complete
    facts: Facts = {}
    findings: list[Finding] = []
    for zone, members in graph.members.items():
        hit = True if zone in exposed else (None if zone in perhaps or not complete else False)
        any_path = True if zone in reachable else (False if complete else None)
        victims: dict[str | None, list[Node]] = defaultdict(list)
        for host in members:
            facts[host] = {"graph.internet_reachable": any_path, "graph.internet_reachable_without_filter": hit}
            node = graph.nodes[host]
            if hit and node.kind != DEVICE:
                victims[node.agency].append(node)
        path = hops(graph, trace(parent, zone), policy) if victims else ()
        for agency, hosts in sorted(victims.items(), key=lambda kv: kv[0] or ""):
            level = max((h.level or 0 for h in hosts), default=0)
            findings.append(Finding(
                INTERNET_UNFILTERED, Severity.CRITICAL if level >= 3 else Severity.HIGH, agency, zone,
                f"{len(hosts)} host(s) in zone {zone} are reachable from the internet with no "
                f"{'/'.join(sorted(policy.controls))} on the way: {names([h.name for h in hosts])}",
                graph.position(zone), path))
    for node in graph.nodes.values():  # hosts without a zone: decommissioned (nowhere), or not stated
        if node.zone is None and node.id not in facts and node.kind not in ("zone", INTERNET):
            where = False if node.status == "decommissioned" else None
            facts[node.id] = {"graph.internet_reachable": where, "graph.internet_reachable_without_filter": where}
    return facts, findings
