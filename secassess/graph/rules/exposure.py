"""Hosts the internet reaches with no filtering control on the way (one BFS per edge subset)."""

from __future__ import annotations

from collections import defaultdict

from secassess.diagnostics import Severity
from secassess.graph.findings import INTERNET_UNFILTERED, Finding, hops, names, trace
from secassess.graph.model import DEVICE, INTERNET, FilterPolicy, NetworkGraph, Node
from secassess.graph.rules import Facts, Output


def run(graph: NetworkGraph, policy: FilterPolicy) -> Output:
    """Per host `graph.internet_reachable` (any path) and `graph.internet_reachable_without_filter`.

    Hosts inherit the reachability of their zone: two BFS from the internet over zones, one over
    every link and one over the links `policy` leaves open, and no per-host query.
    """
    reachable, _ = graph.zones.bfs([INTERNET])
    open_ = graph.open_edges(policy)
    exposed, parent = graph.zones.bfs([INTERNET], follow=lambda u, v: (u, v) in open_)
    facts: Facts = {}
    findings: list[Finding] = []
    for zone, members in graph.members.items():
        hit = zone in exposed
        any_path = zone in reachable
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
    for node in graph.nodes.values():  # hosts without a zone: reachable from nowhere
        if node.zone is None and node.id not in facts and node.kind not in ("zone", INTERNET):
            facts[node.id] = {"graph.internet_reachable": False, "graph.internet_reachable_without_filter": False}
    return facts, findings
