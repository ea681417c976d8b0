"""Building the graph: name resolution, the extension point, errors placed in the file."""

from __future__ import annotations

import pytest

from secassess.errors import InputError
from secassess.graph.analysis import analyse
from secassess.graph.build import ExtraLink, build_graph
from secassess.graph.findings import INTERNET_UNFILTERED
from tests.graph.conftest import GOOD_AGENCY, inventory

HOSTED = """\
- id: sxd
  name: Department of Construction
  kind: department
  systems:
    - {id: permits, name: Permits, level: 1, servers: [permits01]}
  servers:
    - {hostname: permits01, os: {name: Linux}, zone: dmz}
"""


def test_a_server_may_sit_in_another_agencys_zone() -> None:
    graph = build_graph(inventory(GOOD_AGENCY + HOSTED))
    assert graph.nodes["agency:sxd/server:permits01"].zone == "agency:stttt/zone:dmz"
    assert "agency:sxd/server:permits01" in graph.members["agency:stttt/zone:dmz"]
    assert analyse(graph).facts["agency:sxd"]["graph.zone_kinds"] == ["dmz"]


def test_parallel_links_make_one_edge_with_both() -> None:
    agency = GOOD_AGENCY.replace("  zone_links:\n", "  zone_links:\n    - {from: edge, to: dmz, controls: [acl]}\n")
    graph = build_graph(inventory(agency))
    edge = graph.full.edge("agency:stttt/zone:edge", "agency:stttt/zone:dmz")
    assert edge is not None
    assert (edge["capacity"], edge["controls"]) == (2, "acl firewall")
    assert len(graph.links_of("agency:stttt/zone:dmz", "agency:stttt/zone:edge")) == 2


def test_extension_point_adds_links_and_attributes() -> None:
    loaded = inventory(GOOD_AGENCY)
    extra = ExtraLink("internet", "agency:stttt/zone:db", frozenset({"none"}))
    graph = build_graph(loaded, [extra], {"agency:stttt/server:db01": {"open_ports": "5432"}})
    assert graph.full.node("agency:stttt/server:db01")["open_ports"] == "5432"
    (finding,) = [f for f in analyse(graph).findings if f.kind == INTERNET_UNFILTERED]
    assert finding.entity == "agency:stttt/zone:db"
    assert finding.path[1].position is None  # learnt from a scan, not written in the inventory
    with pytest.raises(InputError, match="not a zone node id"):
        build_graph(loaded, [ExtraLink("internet", "agency:stttt/server:db01")])


def test_a_host_cannot_sit_in_the_internet() -> None:
    with pytest.raises(InputError, match="holds no hosts") as caught:
        build_graph(inventory(GOOD_AGENCY.replace("zone: dmz, role: web", "zone: internet, role: web")))
    (pos, _), = caught.value.problems
    assert pos is not None
    assert pos.line == 3 + GOOD_AGENCY.splitlines().index(
        "    - {hostname: web01, os: {name: Linux}, zone: internet, role: web, addresses: [203.0.113.10]}"
        .replace("zone: internet", "zone: dmz"))


def test_a_decommissioned_server_is_reached_by_nobody() -> None:
    agency = GOOD_AGENCY.replace("zone: db, role: database}", "zone: db, role: database, status: decommissioned}")
    graph = build_graph(inventory(agency))
    assert graph.nodes["agency:stttt/server:db01"].zone is None
    assert "agency:stttt/server:db01" not in graph.members.get("agency:stttt/zone:db", ())
    facts = analyse(graph).facts["agency:stttt/server:db01"]
    assert facts["graph.internet_reachable"] is False
