"""Graph analysis on a synthetic 100k-asset province, timed against one BFS of networkx.

    python benchmarks/bench_graph.py [--agencies 500] [--hosts-per-agency 200]
    (from a checkout without the package installed: PYTHONPATH=. python benchmarks/bench_graph.py)

Prints the time of: building the graph (and, separately, the full networkx graph that exports
use), the whole analysis (every rule), one blast radius, and networkx's
`single_source_shortest_path_length` from the internet over the same full graph (it reaches every
node), with the ratio analysis / BFS (the target is at most 5).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from secassess.graph.analysis import analyse
from secassess.graph.blast import blast_radius
from secassess.graph.build import build_graph
from secassess.graph.model import INTERNET
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Inventory

ZONES = (("edge", "edge"), ("dmz", "dmz"), ("users", "user"), ("wifi", "wireless"), ("srv", "internal_servers"),
         ("db", "database"), ("admin", "administration"), ("mgmt", "device_management"))
LINKS = (("edge", "dmz"), ("dmz", "srv"), ("users", "srv"), ("srv", "db"), ("users", "admin"), ("admin", "mgmt"),
         ("admin", "db"), ("wifi", "edge"))


def agency(i: int, hosts: int) -> dict[str, Any]:
    """One agency: eight zones behind a firewall pair, servers, workstations, groups, devices."""
    a = f"ag{i}"
    z = {name: f"{a}-{name}" for name, _ in ZONES}
    servers = max(hosts // 10, 3)
    groups = max(hosts // 40, 1)
    devices = 4
    workstations = max(hosts - servers - groups - devices, 0)
    weak = i % 50 == 0  # every 50th agency has a firewall bypass and users next to the database
    links = [{"from": "internet", "to": z["edge"], "controls": ["none"]}]
    links += [{"from": z[s], "to": z[t], "controls": ["firewall"], "devices": [f"{a}-fw"]} for s, t in LINKS]
    if weak:
        links += [{"from": "internet", "to": z["srv"]}, {"from": z["users"], "to": z["db"], "controls": ["acl"]}]
    return {
        "id": a, "name": f"Agency {i}", "kind": "department",
        "security_officer": {"name": f"Officer {i}"},
        "systems": [{"id": f"{a}-sys{k}", "name": f"System {k}", "level": 1 + (i + k) % 4,
                     "servers": [f"{a}-s{k * 3 + j}" for j in range(3) if k * 3 + j < servers]} for k in range(3)],
        "zones": [{"id": z[name], "name": name, "kind": kind} for name, kind in ZONES],
        "zone_links": links,
        "security_devices": [{"id": f"{a}-fw", "kind": "firewall", "zone": z["edge"],
                              "redundancy": "none" if i % 3 else "hot_standby"},
                             {"id": f"{a}-core", "kind": "core_switch", "zone": z["srv"]},
                             {"id": f"{a}-ips", "kind": "ips", "zone": z["edge"]},
                             {"id": f"{a}-waf", "kind": "waf", "zone": z["dmz"]}][:devices],
        "servers": [{"hostname": f"{a}-s{k}", "os": {"name": "Linux"},
                     "zone": z[("dmz", "srv", "db")[k % 3]]} for k in range(servers)],
        "workstations": [{"hostname": f"{a}-pc{k}", "os": {"name": "Windows"}, "zone": z["users"]}
                         for k in range(workstations)],
        "workstation_groups": [{"id": f"{a}-g{k}", "name": f"Group {k}", "zone": z["users"], "networked": 10}
                               for k in range(groups)],
    }


def province(agencies: int, hosts: int) -> LoadedInventory:
    """The synthetic inventory: agencies joined by a provincial WAN through their firewalls."""
    raw = {"organisation": {"name": "Synthetic province", "code": "syn"},
           "network": {"zones": [{"id": "wan", "name": "Provincial WAN", "kind": "wan"}],
                       "links": [{"from": f"ag{i}-srv", "to": "wan", "controls": ["firewall"] if i % 40 else []}
                                 for i in range(agencies)]},
           "agencies": [agency(i, hosts) for i in range(agencies)]}
    return LoadedInventory("<synthetic>", Inventory.model_validate(raw))


def timed(label: str, fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed * 1000:9.1f} ms")
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--hosts-per-agency", type=int, default=200)
    args = parser.parse_args()
    loaded = province(args.agencies, args.hosts_per_agency)
    _, graph = timed("build graph (zone level, what analysis uses)", lambda: build_graph(loaded))
    timed("build full networkx graph (exports, yardstick)", lambda: graph.full)
    print(f"graph: {graph.full.number_of_nodes():,} nodes, {graph.full.number_of_edges():,} edges, "
          f"{graph.zones.number_of_nodes():,} zone-level nodes")
    bfs = min(timed("networkx single_source_shortest_path_length",
                    lambda: graph.full.shortest_path_lengths(INTERNET))[0] for _ in range(3))
    analysis_time, analysis = min((timed("analysis (every rule)", lambda: analyse(graph)) for _ in range(3)),
                                  key=lambda pair: pair[0])
    blast_time, _ = timed("blast radius of one workstation", lambda: blast_radius(loaded, "ag1-pc0", graph=graph))
    print(f"findings: {len(analysis.findings):,}; facts for {len(analysis.facts):,} entities")
    print(f"analysis / BFS = {analysis_time / bfs:.2f} (target <= 5); blast radius / BFS = {blast_time / bfs:.2f}")


if __name__ == "__main__":
    main()
