"""What protects a system where it runs: devices on the way in, named with the agency that runs them."""

from __future__ import annotations

from typing import Any

from secassess.assessment.partial import Partial, Unknown
from secassess.graph.analysis import analyse
from secassess.graph.build import build_graph
from secassess.graph.facts import GraphFactProvider
from tests.graph.conftest import inventory

DC = """\
- id: dc
  name: Data centre
  kind: shared_centre
  systems: []
  zones:
    - {id: edge, name: Edge, kind: edge}
    - {id: dmz, name: DMZ, kind: dmz}
    - {id: app, name: App, kind: internal_servers}
    - {id: db, name: DB, kind: database}
  security_devices:
    - {id: fw, kind: firewall, ips_enabled: true, status: active, redundancy: hot_standby}
    - {id: waf, kind: waf, status: active, redundancy: hot_standby}
    - {id: ddos, kind: ddos_protection, status: active, redundancy: none}
    - {id: dbfw, kind: db_firewall, status: active, redundancy: hot_standby}
  zone_links:
    - {from: internet, to: edge, controls: [firewall], devices: [ddos, fw]}
    - {from: edge, to: dmz, controls: [firewall, waf], devices: [fw, waf]}
    - {from: dmz, to: app, controls: [firewall], devices: [fw]}
    - {from: app, to: db, controls: [firewall], devices: [fw, dbfw]}
  servers:
    - {hostname: web1, os: {name: Linux}, zone: dmz, role: web, status: active}
    - {hostname: app1, os: {name: Linux}, zone: app, role: application, status: active}
    - {hostname: db1, os: {name: Linux}, zone: db, role: database, status: active}
  workstations: []
  workstation_groups: []
"""

OWNER = """\
- id: so
  name: Department
  kind: department
  systems:
    - {id: portal, name: Portal, level: 3, citizen_facing: true, servers: [web1, app1, db1]}
  servers: []
  workstations: []
  workstation_groups: []
  zones: []
  zone_links: []
"""

PORTAL = "agency:so/system:portal"


def facts(agencies: str, network: str = "network: {links: []}\n") -> dict[str, Any]:
    graph = build_graph(inventory(agencies, network))
    return dict(analyse(graph).facts.get(PORTAL, {}))


def test_a_system_in_another_agencys_data_centre_is_protected_by_its_devices() -> None:
    got = facts(OWNER + DC)
    assert got["graph.hosting_networks"] == ["dc"]
    assert got["graph.internet_reachable"] is True
    assert got["graph.ingress_waf"] is True
    assert got["graph.ingress_waf_devices"] == ["agency:dc/security_device:waf"]
    assert got["graph.ingress_ddos_protection"] is True
    assert got["graph.ingress_ddos_protection_devices"] == ["agency:dc/security_device:ddos"]
    assert got["graph.db_firewall"] is True
    assert got["graph.db_firewall_devices"] == ["agency:dc/security_device:dbfw"]
    assert got["graph.database_servers"] == ["db1"]
    assert got["graph.outside_ips"] is True


def test_a_way_in_that_bypasses_the_waf_fails_it() -> None:
    bypass = DC.replace("  zone_links:\n",
                        "  zone_links:\n    - {from: edge, to: app, controls: [firewall], devices: [fw]}\n")
    got = facts(OWNER + bypass)
    assert got["graph.ingress_waf"] is False
    assert got["graph.ingress_ddos_protection"] is True  # the bypass still enters through the edge


def test_a_user_lan_is_not_a_way_in() -> None:
    """Ingress paths cross edge, WAN and DMZ zones only: a LAN open to the Internet is not a transit zone."""
    lan = DC.replace("    - {id: db, name: DB, kind: database}\n",
                     "    - {id: db, name: DB, kind: database}\n    - {id: lan, name: LAN, kind: user}\n").replace(
        "  zone_links:\n", "  zone_links:\n    - {from: internet, to: lan, controls: [none], devices: []}\n"
                           "    - {from: lan, to: app, controls: [firewall], devices: [fw]}\n")
    assert facts(OWNER + lan)["graph.ingress_waf"] is True


def test_links_whose_devices_are_not_stated_leave_device_controls_open() -> None:
    open_devices = DC.replace("{from: internet, to: edge, controls: [firewall], devices: [ddos, fw]}",
                              "{from: internet, to: edge, controls: [firewall]}").replace(
        "{from: edge, to: dmz, controls: [firewall, waf], devices: [fw, waf]}",
        "{from: edge, to: dmz, controls: [firewall, waf]}")
    got = facts(OWNER + open_devices)
    assert got["graph.ingress_ddos_protection"] is None
    assert got["graph.ingress_waf"] is True  # declared as a control on the link


def test_unstated_link_lists_leave_every_path_open() -> None:
    got = facts(OWNER + DC, network="")
    assert got["graph.ingress_waf"] is None
    assert got["graph.db_firewall"] is None
    loaded = inventory(OWNER + DC, "")
    provided = GraphFactProvider.from_inventory(loaded).facts[PORTAL]
    assert isinstance(provided["ingress_waf"], Unknown)
    assert "network.links" in provided["ingress_waf"].missing


def test_a_device_of_unstated_status_protects_perhaps() -> None:
    got = facts(OWNER + DC.replace("{id: waf, kind: waf, status: active,", "{id: waf, kind: waf,"))
    assert got["graph.ingress_waf"] is True  # the link declares a WAF control
    dbfw = facts(OWNER + DC.replace("{id: dbfw, kind: db_firewall, status: active,", "{id: dbfw, kind: db_firewall,"))
    assert dbfw["graph.db_firewall"] is None


def test_a_router_with_acls_at_the_edge_is_not_a_firewall() -> None:
    agency = """\
- id: xa
  name: Commune
  kind: ward_commune
  systems: []
  zones:
    - {id: users, name: Users, kind: user}
    - {id: srv, name: Servers, kind: internal_servers}
  security_devices:
    - {id: r1, kind: router, status: active}
    - {id: fw1, kind: firewall, status: active}
  zone_links:
    - {from: users, to: srv, controls: [firewall], devices: [fw1]}
    - {from: srv, to: internet, controls: [acl], devices: [r1]}
  servers: [{hostname: fs1, os: {name: Linux}, zone: srv, status: active}]
  workstations: []
  workstation_groups: [{id: g, name: G, zone: users, networked: 5}]
"""
    got = analyse(build_graph(inventory(agency))).facts["agency:xa"]
    assert got["graph.zones_reached_without_firewall"] == ["agency:xa/zone:srv"]
    guarded = agency.replace("{from: srv, to: internet, controls: [acl], devices: [r1]}",
                             "{from: srv, to: internet, controls: [acl], devices: [r1, fw1]}")
    done = analyse(build_graph(inventory(guarded))).facts["agency:xa"]
    assert done["graph.zones_reached_without_firewall"] == []
    assert done["graph.boundary_firewalls"] == ["agency:xa/security_device:fw1"]


def test_a_system_that_does_not_state_its_servers_is_judged_nowhere() -> None:
    owner = OWNER.replace(", servers: [web1, app1, db1]}", "}")
    got = facts(owner + DC)
    assert got["graph.ingress_waf"] is None
    assert got["graph.hosting_networks"] is None
    listed_none = facts(OWNER.replace(", servers: [web1, app1, db1]}", ", servers: []}") + DC)
    assert listed_none["graph.ingress_waf"] is None


def test_zones_by_network_need_a_dmz_only_where_servers_are_published() -> None:
    got = facts(OWNER + DC)
    assert got["graph.missing_zones_tier1"] == []
    missing3 = got["graph.missing_zones_tier3"]
    assert missing3 == ["administration (dc)"]
    tier2 = got["graph.missing_zones_tier2"]
    assert isinstance(tier2, Partial) and tier2.maybe == ("wireless (dc)",)  # Wi-Fi or not: not stated
