"""The shipped sample inventory loads, lints clean and is internally consistent.

The sample is what demos, docs and the assessment tests argue about, so its deliberate weaknesses
must stay where the comments say they are, and nothing else may be accidentally wrong with it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest

from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.inventory.model import CURRENT_KINDS, INTERNET_ZONE, AgencyKind, AssetStatus, stated
from secassess.lint.referential import lint_inventory

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def loaded() -> LoadedInventory:
    return load_inventory(str(SAMPLE))


def test_lints_clean(loaded: LoadedInventory) -> None:
    assert lint_inventory(loaded, AS_OF) == []


def test_shape(loaded: LoadedInventory) -> None:
    inv = loaded.inventory
    assert len(inv.agencies) >= 12
    # 2026: no district level (since 2025-07-01); the legacy kinds stay accepted but the sample uses none
    assert {a.kind for a in inv.agencies} == CURRENT_KINDS
    assert set(AgencyKind) > CURRENT_KINDS
    assert {a.id: a.name for a in inv.agencies}["stttt"] == "Sở Khoa học và Công nghệ tỉnh Sông Lam"
    levels = {s.level for a in inv.agencies for s in a.systems}
    assert {1, 2, 3, 4} <= levels
    workstations = sum(g.networked for a in inv.agencies for g in a.workstation_groups)
    assert workstations >= 500
    lab = [s for a in inv.agencies for s in a.servers if s.lab]
    assert 5 <= len(lab) <= 8
    assert all(s.services for s in lab)


def test_addresses_lie_in_their_zones(loaded: LoadedInventory) -> None:
    inv = loaded.inventory
    zones = {z.id: z for z in inv.network.zones}
    zones.update({z.id: z for a in inv.agencies for z in a.zones})

    def inside(address: ipaddress.IPv4Address | ipaddress.IPv6Address, zone_id: str | None) -> bool:
        return zone_id is not None and any(address in net for net in zones[zone_id].cidrs)

    for agency in inv.agencies:
        for server in agency.servers:
            assert server.addresses, server.hostname
            assert all(inside(a, server.zone) for a in server.addresses), server.hostname
        for ws in agency.workstations:
            assert ws.address is None or inside(ws.address, ws.zone), ws.hostname
        for device in agency.security_devices:
            assert device.address is None or inside(device.address, device.zone), device.id


def test_zone_networks_do_not_overlap(loaded: LoadedInventory) -> None:
    inv = loaded.inventory
    nets = [(z.id, n) for z in (*inv.network.zones, *(z for a in inv.agencies for z in a.zones)) for n in z.cidrs]
    for i, (zone_a, net_a) in enumerate(nets):
        for zone_b, net_b in nets[i + 1:]:
            assert not net_a.overlaps(net_b), (zone_a, zone_b)


def test_management_addresses_unique(loaded: LoadedInventory) -> None:
    inv = loaded.inventory
    seen: set[str] = set()
    for agency in inv.agencies:
        addresses = [*(str(a) for s in agency.servers for a in s.addresses),
                     *(str(w.address) for w in agency.workstations if w.address),
                     *(str(d.address) for d in agency.security_devices if d.address),
                     *(str(d.management_address) for d in agency.security_devices if d.management_address)]
        for address in addresses:
            assert address not in seen, address
            seen.add(address)


def test_counts_are_coherent(loaded: LoadedInventory) -> None:
    for agency in loaded.inventory.agencies:
        for group in agency.workstation_groups:
            assert group.anti_malware_centrally_managed <= group.anti_malware_licensed, group.id
            assert sum(o.count for o in group.os) == group.networked, group.id


def test_links_reference_declared_zones(loaded: LoadedInventory) -> None:
    inv = loaded.inventory
    zone_ids = {z.id for z in inv.network.zones} | {z.id for a in inv.agencies for z in a.zones} | {INTERNET_ZONE}
    for link in (*inv.network.links, *(link for a in inv.agencies for link in a.zone_links)):
        assert link.from_zone in zone_ids
        assert link.to_zone in zone_ids


def test_deliberate_weaknesses_are_present(loaded: LoadedInventory) -> None:
    agencies = {a.id: a for a in loaded.inventory.agencies}
    strong = agencies["stttt"]
    assert all(g.anti_malware_centrally_managed == g.anti_malware_licensed == g.networked
               for g in strong.workstation_groups)

    district = agencies["ubnd-dl"]
    networked = sum(g.networked for g in district.workstation_groups) + len(district.workstations)
    licensed = sum(g.anti_malware_licensed or 0 for g in district.workstation_groups) + sum(
        bool(w.anti_malware.licensed) for w in district.workstations)
    assert 0.35 <= licensed / networked <= 0.45
    assert not district.digital_signature
    assert district.e_office_network_member

    overdue = agencies["stp"].layers.assessment.last_independent_assessment
    assert overdue is not None
    assert (AS_OF - overdue.date).days > 2 * 365
    assert any(s.level == 3 for s in agencies["stp"].systems)

    assert len(agencies["stc"].zones) == 1
    assert not any(d.kind == "firewall" for d in agencies["stc"].security_devices)

    unapproved = [s for a in agencies.values() for s in a.systems
                  if s.level == 3 and s.go_live and not s.approval.approved]
    assert [s.id for s in unapproved] == ["his"]

    in_service = [s for a in agencies.values() for s in a.servers if s.status is AssetStatus.ACTIVE]
    assert all(s.status is not None for a in agencies.values() for s in a.servers), "every server states its status"
    eol = {s.os.name + " " + (s.os.version or "") for s in in_service
           if s.os.end_of_life and s.os.end_of_life < AS_OF}
    assert eol == {"Windows Server 2012 R2", "CentOS Linux 7.9"}

    # The nmap demo's "decommissioned host answers" drift needs exactly one retired lab server.
    retired = [s.hostname for a in agencies.values() for s in a.servers
               if s.lab and s.status is AssetStatus.DECOMMISSIONED]
    assert retired == ["dl-web-old01"]


def test_states_every_entity_list(loaded: LoadedInventory) -> None:
    """An unwritten list is "not stated" (every check of that kind lacks data); the sample writes [] instead."""
    for agency in loaded.inventory.agencies:
        for attr in ("systems", "servers", "workstation_groups", "workstations", "security_devices", "zone_links"):
            assert stated(agency, attr), f"{agency.id} does not state {attr}"


def test_no_secrets_in_text() -> None:
    text = SAMPLE.read_text(encoding="utf-8").lower()
    for word in ("password", "passwd", "mật khẩu", "community", "private key", "secret"):
        assert word not in text, word


def test_run_sample_assesses_the_sample_as_of_its_own_date() -> None:
    """scripts/run-sample.sh must not depend on the calendar: its --as-of is the sample's assessment date."""
    from support import REPO

    from secassess.yamlsafe import load_file

    script = (REPO / "scripts" / "run-sample.sh").read_text("utf-8")
    period_end = load_file(str(REPO / "sample_inventory.yaml"))["assessment"]["period_end"]
    assert f"AS_OF={period_end.isoformat()}" in script
    commands = [line for line in script.splitlines() if "secassess " in line and "bin/secassess" in line]
    assert len(commands) == 3 and all('--as-of "$AS_OF"' in line for line in commands)
