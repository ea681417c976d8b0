"""Blast radius: reach in hop order, systems, contacts, the minimum cut, host lookup."""

from __future__ import annotations

import json

import pytest

from secassess.errors import UsageError
from secassess.graph.blast import blast_radius
from secassess.graph.render import render_json, render_text, to_context
from tests.graph.conftest import GOOD_AGENCY, inventory

A = "agency:stttt/"


def test_workstation_reaches_everything_the_links_allow_in_hop_order() -> None:
    blast = blast_radius(inventory(GOOD_AGENCY), "pc01")
    assert blast.host == A + "workstation:pc01"
    assert [(a.hops, a.node) for a in blast.assets] == [
        (2, A + "workstation_group:floor1"),
        (3, A + "device:core1"), (3, A + "server:app01"),
        (4, A + "server:db01"), (4, A + "server:web01"),
        (5, A + "device:fw1"),
    ]
    web = next(a for a in blast.assets if a.name == "web01")
    assert web.level == 3
    assert web.systems == (A + "system:portal",)
    assert web.controls_crossed == ("firewall",)
    assert [(s.entity, s.level) for s in blast.systems] == [(A + "system:portal", 3)]
    assert blast.critical_servers == (A + "server:app01", A + "server:db01", A + "server:web01")
    (contacts,) = blast.contacts
    assert [(p.role, p.name) for p in contacts.people] == [
        ("security_officer", "Officer One"), ("leader", "Director One"), ("incident_reporting_contact", "Duty Desk")]


def test_min_cut_of_two_links() -> None:
    blast = blast_radius(inventory(GOOD_AGENCY), "pc01")
    assert [(c.source, c.target) for c in blast.choke_points] == [
        (A + "zone:admin", A + "zone:db"), (A + "zone:users", A + "zone:srv")]


def test_single_choke_point() -> None:
    agency = GOOD_AGENCY.replace("    - {from: users, to: admin, controls: [firewall]}\n", "")
    blast = blast_radius(inventory(agency), "floor1")
    (cut,) = blast.choke_points
    assert (cut.source, cut.target, cut.controls) == (A + "zone:users", A + "zone:srv", ("firewall",))
    assert cut.position is not None
    assert cut.position.line == 3 + GOOD_AGENCY.splitlines().index("    - {from: users, to: srv, controls: [firewall]}")
    assert blast.inseparable == ()


def test_critical_server_in_the_hosts_own_zone_cannot_be_cut_off() -> None:
    blast = blast_radius(inventory(GOOD_AGENCY), "app01")
    assert blast.inseparable == (A + "server:app01",)
    assert A + "server:app01" not in [a.node for a in blast.assets]


def test_without_crossing_filters_only_the_own_zone_is_reached() -> None:
    blast = blast_radius(inventory(GOOD_AGENCY), "pc01", through_filtering=False)
    assert [a.node for a in blast.assets] == [A + "workstation_group:floor1"]
    assert blast.choke_points == ()


@pytest.mark.parametrize(("name", "expected"), [
    ("203.0.113.10", A + "server:web01"), ("WEB01", A + "server:web01"), ("floor1", A + "workstation_group:floor1"),
    ("fw1", A + "device:fw1"), ("10.9.0.1", A + "device:fw1"), (A + "server:db01", A + "server:db01")])
def test_host_named_every_way(name: str, expected: str) -> None:
    assert blast_radius(inventory(GOOD_AGENCY), name).host == expected


def test_unknown_host_suggests_close_names() -> None:
    with pytest.raises(UsageError) as caught:
        blast_radius(inventory(GOOD_AGENCY), "pc0l")
    assert "'pc01'" in caught.value.message
    with pytest.raises(UsageError):
        blast_radius(inventory(GOOD_AGENCY), A + "zone:users")  # a zone is not a host


def test_json_is_deterministic_and_matches_the_context() -> None:
    blast = blast_radius(inventory(GOOD_AGENCY), "pc01")
    text = render_json(blast)
    assert text == render_json(blast_radius(inventory(GOOD_AGENCY), "pc01"))
    assert json.loads(text) == to_context(blast)
    assert json.loads(text)["choke_points"][0]["position"].startswith("test.yaml:")


def test_text_table_lists_assets_and_contacts() -> None:
    text = render_text(blast_radius(inventory(GOOD_AGENCY), "pc01"))
    assert "agency:stttt/server:db01" in text
    assert "incident_reporting_contact: Duty Desk" in text
    assert "\x1b[" not in text
    assert "\x1b[" in render_text(blast_radius(inventory(GOOD_AGENCY), "pc01"), colour=True)


def test_text_table_pads_no_row_to_one_long_cell() -> None:
    """One asset with a very long systems list must not widen every other row (the 100k text grew to 122 MB)."""
    from secassess.graph.render import MAX_PADDED, _plain_table

    rows = [("1", "agency:a/server:web1", "server", "a", "3", "s" * 500, "-")] + \
        [("1", f"agency:a/workstation:pc{i}", "workstation", "a", "-", "-", "-") for i in range(100)]
    lines = _plain_table(rows).splitlines()
    assert max(len(line) for line in lines[2 + 1:]) < 7 * (MAX_PADDED + 2)
    assert "s" * 500 in lines[2]
