"""Each graph finding kind: a topology that has it and one that does not."""

from __future__ import annotations

import pytest

from secassess.assessment.partial import Partial
from secassess.errors import InputError
from secassess.graph.analysis import GraphAnalysis, analyse
from secassess.graph.build import build_graph
from secassess.graph.findings import (
    CROSS_AGENCY_UNCONTROLLED,
    FLAT_NETWORK,
    INTERNET_UNFILTERED,
    MANAGEMENT_REACHABLE_FROM_USERS,
    MISSING_ZONES_FOR_LEVEL,
    SINGLE_POINT_OF_FAILURE,
    USER_TO_DATABASE_DIRECT,
    Finding,
)
from secassess.graph.model import DEFAULT_POLICY, FilterPolicy
from tests.graph.conftest import GOOD_AGENCY, NO_NETWORK, inventory

STTTT = "agency:stttt"
ADDED_LINK_LINE = GOOD_AGENCY.splitlines().index("  zone_links:") + 4
"""File line of the link `with_link` adds (line 1 is `organisation`, line 2 `agencies:`)."""


def run(agencies: str, network: str = NO_NETWORK, policy: FilterPolicy = DEFAULT_POLICY) -> GraphAnalysis:
    return analyse(build_graph(inventory(agencies, network)), policy)


def of_kind(analysis: GraphAnalysis, kind: str) -> list[Finding]:
    return [f for f in analysis.findings if f.kind == kind]


def with_link(link: str, agency: str = GOOD_AGENCY) -> str:
    """The agency with one more zone link."""
    return agency.replace("  zone_links:\n", f"  zone_links:\n    - {link}\n")


def test_good_topology_has_no_findings() -> None:
    analysis = run(GOOD_AGENCY)
    assert analysis.findings == ()
    facts = analysis.facts[STTTT]
    assert facts["graph.flat_network"] is False
    assert facts["graph.missing_zones_for_level"] == []
    assert facts["graph.level"] == 3
    assert facts["graph.user_to_database_direct"] is False
    assert facts["graph.single_points_of_failure"] == []
    assert facts["graph.management_reachable_from_users"] == []
    assert facts["graph.cross_agency_uncontrolled"] == []
    assert analysis.facts["agency:stttt/server:db01"]["graph.internet_reachable_without_filter"] is False


def test_firewall_bypass_exposes_the_internal_servers() -> None:
    analysis = run(with_link("{from: internet, to: srv, controls: [none]}"))
    (finding,) = of_kind(analysis, INTERNET_UNFILTERED)
    assert finding.entity == "agency:stttt/zone:srv"
    assert finding.severity == "critical"  # app01 runs a level-3 system
    assert "app01" in finding.message
    assert [(h.node, h.controls) for h in finding.path] == [("internet", ()), ("agency:stttt/zone:srv", ("none",))]
    assert finding.path[1].position is not None
    assert finding.path[1].position.line == ADDED_LINK_LINE
    assert analysis.facts["agency:stttt/server:app01"]["graph.internet_reachable_without_filter"] is True
    assert analysis.facts["agency:stttt/server:web01"]["graph.internet_reachable_without_filter"] is False


@pytest.mark.parametrize("controls", ["[vpn]", "[nac]", "[]", "[acl]"])
def test_controls_that_do_not_filter(controls: str) -> None:
    assert of_kind(run(with_link(f"{{from: internet, to: srv, controls: {controls}}}")), INTERNET_UNFILTERED)


def test_acl_filters_only_when_the_policy_says_so() -> None:
    agency = with_link("{from: internet, to: srv, controls: [acl]}")
    assert not of_kind(run(agency, policy=FilterPolicy(acl_filters=True)), INTERNET_UNFILTERED)


def test_a_link_through_an_active_firewall_filters_even_without_declared_controls() -> None:
    assert not of_kind(run(with_link("{from: internet, to: srv, devices: [fw1]}")), INTERNET_UNFILTERED)


def test_one_way_link_is_not_crossed_backwards() -> None:
    agency = with_link("{from: srv, to: internet, controls: [none], bidirectional: false}")
    assert not of_kind(run(agency), INTERNET_UNFILTERED)


FLAT = """\
- id: ubnd-xa
  name: Ward committee
  kind: ward_commune
  systems:
    - {id: office, name: E-office, level: 2, servers: [srv1]}
  zones:
    - {id: lan, name: LAN, kind: internal}
  wireless_network: true
  zone_links:
    - {from: internet, to: lan, controls: [firewall]}
  servers:
    - {hostname: srv1, os: {name: Linux}, zone: lan}
  workstation_groups:
    - {id: office-pcs, name: Office, zone: lan, networked: 12}
"""


def test_flat_network() -> None:
    analysis = run(FLAT)
    (finding,) = of_kind(analysis, FLAT_NETWORK)
    assert finding.agency == "ubnd-xa"
    assert finding.severity == "high"
    assert [h.node for h in finding.path] == ["agency:ubnd-xa/zone:lan"]
    assert analysis.facts["agency:ubnd-xa"]["graph.flat_network"] is True
    assert not of_kind(run(GOOD_AGENCY), FLAT_NETWORK)


def test_missing_zones_for_level() -> None:
    analysis = run(FLAT)
    (finding,) = of_kind(analysis, MISSING_ZONES_FOR_LEVEL)
    assert analysis.facts["agency:ubnd-xa"]["graph.missing_zones_for_level"] == [
        "dmz", "edge", "internal_servers", "wireless"]
    # whether a level-2 network needs a wireless zone depends on whether it has Wi-Fi: not stated, unknown
    unknown = run(FLAT.replace("  wireless_network: true\n", "")).facts["agency:ubnd-xa"]
    assert isinstance(unknown["graph.missing_zones_for_level"], Partial)
    assert unknown["graph.missing_zones_for_level"].maybe == ("wireless",)
    assert run(FLAT.replace("wireless_network: true", "wireless_network: false")).facts["agency:ubnd-xa"][
        "graph.missing_zones_for_level"] == ["dmz", "edge", "internal_servers"]
    assert finding.position is not None
    assert finding.position.line == 3
    level4 = GOOD_AGENCY.replace("level: 3", "level: 4").replace(
        "    - {id: mgmt, name: Device management, kind: device_management, cidrs: [10.9.0.0/24]}\n", "").replace(
        "    - {from: admin, to: mgmt, controls: [acl]}\n", "")
    assert run(level4).facts[STTTT]["graph.missing_zones_for_level"] == ["device_management"]
    assert not of_kind(run(GOOD_AGENCY), MISSING_ZONES_FOR_LEVEL)


def test_single_non_redundant_firewall_on_every_path_is_a_spof() -> None:
    analysis = run(GOOD_AGENCY.replace("zone: edge, redundancy: hot_standby", "zone: edge, redundancy: none"))
    (finding,) = of_kind(analysis, SINGLE_POINT_OF_FAILURE)
    assert finding.entity == "agency:stttt/device:fw1"
    assert "level-3" in finding.message
    assert finding.path[0].node == "internet"
    assert analysis.facts[STTTT]["graph.single_points_of_failure"] == ["agency:stttt/device:fw1"]
    assert analysis.facts["agency:stttt/device:fw1"]["graph.single_point_of_failure"] is True


def test_cold_standby_is_not_enough_at_level_3() -> None:
    analysis = run(GOOD_AGENCY.replace("zone: srv, redundancy: hot_standby", "zone: srv, redundancy: cold_standby"))
    assert [f.entity for f in of_kind(analysis, SINGLE_POINT_OF_FAILURE)] == ["agency:stttt/device:core1"]


def test_redundant_firewall_pair_on_parallel_links_is_not_a_spof() -> None:
    pair = GOOD_AGENCY.replace(
        "    - {id: fw1, kind: firewall, zone: edge, redundancy: hot_standby, management_address: 10.9.0.1, "
        "status: active}\n",
        "    - {id: fw1, kind: firewall, zone: edge, status: active, redundancy: none}\n"
        "    - {id: fw2, kind: firewall, zone: edge, status: active, redundancy: none}\n")
    single = with_link("{from: srv, to: db, devices: [fw2]}", with_link("{from: dmz, to: srv, devices: [fw2]}", pair))
    pair = with_link("{from: edge, to: dmz, devices: [fw2]}", single)
    assert not of_kind(run(pair), SINGLE_POINT_OF_FAILURE)
    # edge -> dmz only through fw1: every path to web01 (level 3, in the DMZ) crosses it
    assert [f.entity for f in of_kind(run(single), SINGLE_POINT_OF_FAILURE)] == ["agency:stttt/device:fw1"]


def test_user_zone_reaching_the_database_directly() -> None:
    analysis = run(with_link("{from: users, to: db, controls: [acl]}"))
    (finding,) = of_kind(analysis, USER_TO_DATABASE_DIRECT)
    assert [(h.node, h.controls) for h in finding.path] == [
        ("agency:stttt/zone:users", ()), ("agency:stttt/zone:db", ("acl",))]
    assert analysis.facts[STTTT]["graph.user_to_database_direct"] is True
    assert not of_kind(run(with_link("{from: users, to: db, controls: [acl, firewall]}")), USER_TO_DATABASE_DIRECT)


def test_management_reachable_from_users() -> None:
    analysis = run(with_link("{from: wifi, to: mgmt, controls: [vpn]}"))
    entities = sorted(f.entity for f in of_kind(analysis, MANAGEMENT_REACHABLE_FROM_USERS))
    assert entities == ["agency:stttt/device:core1", "agency:stttt/device:fw1", "agency:stttt/zone:mgmt"]
    assert analysis.facts[STTTT]["graph.management_reachable_from_users"] == entities
    device = next(f for f in analysis.findings if f.entity == "agency:stttt/device:fw1")
    assert [h.node for h in device.path] == ["agency:stttt/zone:wifi", "agency:stttt/zone:mgmt",
                                             "agency:stttt/device:fw1"]
    assert not of_kind(run(GOOD_AGENCY), MANAGEMENT_REACHABLE_FROM_USERS)


OTHER = """\
- id: sxd
  name: Department of Construction
  kind: department
  systems:
    - {id: permits, name: Permits, level: 2, servers: [permits01]}
  zones:
    - {id: sxd-srv, name: Servers, kind: internal_servers}
  servers:
    - {hostname: permits01, os: {name: Linux}, zone: sxd-srv}
"""

WAN = """\
network:
  zones:
    - {id: wan, name: Provincial WAN, kind: wan}
  links:
    - {from: srv, to: wan, controls: [%s]}
    - {from: wan, to: sxd-srv, controls: [none]}
"""


def test_cross_agency_uncontrolled() -> None:
    analysis = run(GOOD_AGENCY + OTHER, WAN % "none")
    (finding,) = of_kind(analysis, CROSS_AGENCY_UNCONTROLLED)
    assert [h.node for h in finding.path] == ["agency:stttt/zone:srv", "zone:wan", "agency:sxd/zone:sxd-srv"]
    assert analysis.facts[STTTT]["graph.cross_agency_uncontrolled"] == ["sxd"]
    assert analysis.facts["agency:sxd"]["graph.cross_agency_uncontrolled"] == ["stttt"]
    assert not of_kind(run(GOOD_AGENCY + OTHER, WAN % "firewall"), CROSS_AGENCY_UNCONTROLLED)


def test_dangling_references_are_input_errors_with_places() -> None:
    with pytest.raises(InputError) as caught:
        run(with_link("{from: nowhere, to: srv, devices: [fw9]}"))
    lines = {pos.line for pos, _ in caught.value.problems if pos}
    assert lines == {ADDED_LINK_LINE}
    assert "nowhere" in caught.value.message
    assert "fw9" in caught.value.message
