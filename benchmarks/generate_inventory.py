"""Generate a large, valid, deterministic inventory for benchmarks.

    python benchmarks/generate_inventory.py --assets 100000 --out /tmp/inv-100k.yaml

Assets are counted as: agencies + servers + listed workstations + workstation groups + security
devices; the file holds exactly the number asked for. The shape follows a real province: agencies
of about 200-1,000 assets, each with zones (edge, DMZ, servers, database, administration, users,
Wi-Fi) and links, a firewall and a few other devices, servers with 2-4 services, an OS, anti-malware
and backups, workstation groups (counted PCs) and workstations listed one by one, and information
systems that run on the agency's own servers.

Everything comes from one seeded `random.Random`, so a seed and a size always give the same bytes.
The YAML is written directly as text (block style, strings JSON-quoted, which YAML reads as
double-quoted scalars): the 100k file is tens of megabytes and takes seconds, where building a tree
and dumping it would take minutes. Addresses are handed out sequentially from 10.0.0.0/8 and are
never scanned; no date lies after the assessment date (end-of-life dates aside).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

AS_OF = dt.date(2026, 11, 22)
DEFAULT_SEED = 20261122
MIN_AGENCY, MAX_AGENCY = 200, 1000

# --- vocabularies -----------------------------------------------------------------------------

PLACES = ("An", "Bình", "Cẩm", "Diễn", "Đông", "Giang", "Hà", "Hòa", "Hồng", "Hưng", "Kỳ", "Lam", "Long",
          "Minh", "Nam", "Nghĩa", "Phú", "Phúc", "Quang", "Quỳnh", "Sơn", "Tân", "Thanh", "Thạch", "Thượng",
          "Tiên", "Trung", "Tường", "Vân", "Vĩnh", "Xuân", "Yên")
DEPARTMENTS = (("Sở Tư pháp", "Department of Justice"), ("Sở Y tế", "Department of Health"),
               ("Sở Tài chính", "Department of Finance"), ("Sở Nội vụ", "Department of Home Affairs"),
               ("Sở Giáo dục và Đào tạo", "Department of Education and Training"),
               ("Sở Xây dựng", "Department of Construction"), ("Sở Công Thương", "Department of Industry and Trade"),
               ("Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
               ("Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
               ("Sở Khoa học và Công nghệ", "Department of Science and Technology"),
               ("Ban Quản lý các khu công nghiệp", "Industrial Zones Authority"))
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thu", "Đức", "Thanh", "Hữu", "Ngọc")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khoa", "Lan", "Long", "Mai", "Nam",
         "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Việt")

# (name, version, end_of_life)
SERVER_OS = (("Windows Server", "2022", "2031-10-14"), ("Windows Server", "2019", "2029-01-09"),
             ("Windows Server", "2016", "2027-01-12"), ("Windows Server", "2012 R2", "2023-10-10"),
             ("Ubuntu Server", "22.04 LTS", "2027-04-30"), ("Ubuntu Server", "24.04 LTS", "2029-05-31"),
             ("Red Hat Enterprise Linux", "8.10", "2029-05-31"), ("Rocky Linux", "9.4", "2032-05-31"),
             ("CentOS Linux", "7.9", "2024-06-30"))
SERVER_OS_WEIGHTS = (22, 20, 10, 4, 18, 10, 8, 5, 3)
DESKTOP_OS = (("Windows 11 Pro", "24H2", "2027-10-12"), ("Windows 10 Pro", "22H2", "2025-10-14"),
              ("Windows 7 Professional", "SP1", "2020-01-14"), ("Ubuntu Desktop", "24.04", "2029-05-31"))
DESKTOP_OS_WEIGHTS = (50, 42, 3, 5)
AV_PRODUCTS = ("Kaspersky Endpoint Security", "Bkav Endpoint", "Trend Micro Apex One", "ESET Endpoint Security")

# role -> (zone key, candidate services (port, protocol, name, exposure))
ROLES: dict[str, tuple[str, tuple[tuple[int, str, str, str], ...]]] = {
    "web": ("dmz", ((80, "tcp", "http", "internet"), (443, "tcp", "https", "internet"),
                    (22, "tcp", "ssh", "internal"), (8080, "tcp", "http-alt", "internal"))),
    "application": ("srv", ((8080, "tcp", "http-alt", "internal"), (8443, "tcp", "https-alt", "wan"),
                            (22, "tcp", "ssh", "internal"), (443, "tcp", "https", "wan"),
                            (3389, "tcp", "ms-wbt-server", "internal"))),
    "database": ("db", ((5432, "tcp", "postgresql", "internal"), (1433, "tcp", "ms-sql-s", "internal"),
                        (3306, "tcp", "mysql", "internal"), (22, "tcp", "ssh", "internal"),
                        (1521, "tcp", "oracle", "internal"))),
    "file": ("srv", ((445, "tcp", "microsoft-ds", "internal"), (139, "tcp", "netbios-ssn", "internal"),
                     (3389, "tcp", "ms-wbt-server", "internal"), (2049, "tcp", "nfs", "internal"))),
    "mail": ("dmz", ((25, "tcp", "smtp", "internet"), (587, "tcp", "submission", "internet"),
                     (993, "tcp", "imaps", "internet"), (443, "tcp", "https", "internet"))),
    "dns": ("dmz", ((53, "tcp", "domain", "wan"), (53, "udp", "domain", "wan"), (22, "tcp", "ssh", "internal"),
                    (953, "tcp", "rndc", "internal"))),
    "directory": ("srv", ((389, "tcp", "ldap", "internal"), (636, "tcp", "ldaps", "internal"),
                          (88, "tcp", "kerberos", "internal"), (53, "tcp", "domain", "internal"))),
    "backup": ("adm", ((9392, "tcp", "veeam", "internal"), (443, "tcp", "https", "internal"),
                       (22, "tcp", "ssh", "internal"))),
    "monitoring": ("adm", ((514, "udp", "syslog", "internal"), (443, "tcp", "https", "internal"),
                           (9200, "tcp", "elasticsearch", "internal"), (22, "tcp", "ssh", "internal"))),
}
ROLE_NAMES = tuple(ROLES)
ROLE_WEIGHTS = (20, 30, 15, 12, 3, 4, 6, 5, 5)

ZONES = (("edge", "Vùng biên", "edge"), ("dmz", "Vùng DMZ", "dmz"), ("srv", "Vùng máy chủ", "internal_servers"),
         ("db", "Vùng cơ sở dữ liệu", "database"), ("adm", "Vùng quản trị", "administration"),
         ("usr", "Vùng người dùng", "user"), ("wifi", "Mạng không dây", "wireless"))

# (kind, product, zone key, ips_enabled capable)
DEVICES = (("firewall", "FortiGate 200F", "edge"), ("core_switch", "Cisco Catalyst 9300", "adm"),
           ("waf", "FortiWeb 400E", "dmz"), ("nac", "FortiNAC", "usr"), ("ids", "Cảm biến IDS", "edge"),
           ("email_security", "FortiMail 400F", "dmz"), ("db_firewall", "Imperva DSG", "db"),
           ("backup_system", "Veeam Backup & Replication", "adm"), ("siem", "Wazuh SIEM", "adm"),
           ("vpn_gateway", "FortiGate VPN", "edge"), ("anti_malware_console", "Kaspersky Security Center", "adm"),
           ("central_storage", "Dell PowerVault ME5", "adm"))

LEVEL_WEIGHTS = (46, 40, 13, 1)

Write = Callable[[str], object]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def day(rng: random.Random, start: dt.date, end: dt.date = AS_OF) -> str:
    return (start + dt.timedelta(days=rng.randint(0, (end - start).days))).isoformat()


class Addresses:
    """Sequential IPv4 addresses and aligned zone networks from 10.0.0.0/8."""

    def __init__(self) -> None:
        self.base = int(ipaddress.IPv4Address("10.0.0.0"))
        self.cursor = 1 << 16  # keep 10.0.0.0/16 for the provincial WAN
        self.end = self.base + (1 << 24)

    def network(self, hosts: int) -> tuple[str, Iterator[str]]:
        """An aligned network with room for `hosts` (plus network/broadcast), and its host addresses."""
        size = 16
        while size - 2 < hosts:
            size *= 2
        self.cursor = (self.cursor + size - 1) // size * size
        start = self.base + self.cursor
        self.cursor += size
        if start + size > self.end:
            raise SystemExit("out of 10.0.0.0/8 addresses; ask for fewer assets")
        prefix = 32 - (size.bit_length() - 1)
        net = f"{ipaddress.IPv4Address(start)}/{prefix}"
        return net, (str(ipaddress.IPv4Address(start + i)) for i in range(1, size - 1))


@dataclass
class Plan:
    """How one agency's asset budget is split."""

    devices: int
    servers: int
    groups: int
    workstations: int


def split(size: int, rng: random.Random) -> Plan:
    """Split an agency's budget (the agency itself counts as one) into asset kinds."""
    rest = size - 1
    devices = min(rest, max(1, min(len(DEVICES), size // 80 + rng.randint(0, 2))))
    rest -= devices
    servers = min(rest, round(size * rng.uniform(0.07, 0.13)))
    rest -= servers
    groups = min(rest, max(1, round(size * rng.uniform(0.03, 0.06))))
    rest -= groups
    return Plan(devices, servers, groups, rest)


def agency_sizes(total: int, rng: random.Random, fixed: int | None = None) -> list[int]:
    """Assets per agency: random sizes between MIN_AGENCY and MAX_AGENCY, or `fixed` each (the last one takes
    what is left, at least 2: itself and its firewall)."""
    if fixed is not None:
        count = max(1, total // fixed)
        return [fixed] * (count - 1) + [total - fixed * (count - 1)]
    sizes: list[int] = []
    remaining = total
    while remaining > 0:
        size = rng.randint(MIN_AGENCY, MAX_AGENCY)
        if remaining - size < MIN_AGENCY:
            size = remaining if remaining <= MAX_AGENCY or remaining - MAX_AGENCY < MIN_AGENCY else MAX_AGENCY
        sizes.append(size)
        remaining -= size
    return sizes


@dataclass
class Agency:
    index: int
    id: str
    kind: str
    name: str
    name_en: str
    plan: Plan
    zones: dict[str, str] = field(default_factory=dict)
    """zone key -> zone id"""


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def describe(index: int, plan: Plan, rng: random.Random) -> Agency:
    ident = f"ag{index:04d}"
    place = f"{rng.choice(PLACES)} {rng.choice(PLACES)}"
    roll = index % 10
    if index == 0:
        kind, name, name_en = "shared_centre", "Trung tâm Tích hợp dữ liệu", "Data Integration Centre"
    elif roll in (1, 4, 7):
        dept, dept_en = DEPARTMENTS[index % len(DEPARTMENTS)]
        kind, name, name_en = "department", f"{dept} (đơn vị {index})", f"{dept_en} (unit {index})"
    elif roll in (2, 5, 8):
        kind, name, name_en = "district_committee", f"Ủy ban nhân dân huyện {place}", f"{place} District"
    elif roll in (3, 6):
        kind, name, name_en = "ward_commune", f"Ủy ban nhân dân xã {place}", f"{place} Commune"
    elif roll == 9:
        kind, name, name_en = "city_committee", f"Ủy ban nhân dân thị xã {place}", f"{place} Town"
    else:
        kind, name, name_en = "shared_centre", f"Trung tâm dịch vụ số {place}", f"{place} Digital Service Centre"
    return Agency(index, ident, kind, f"{name} - {ident}", f"{name_en} - {ident}", plan)


def write_inventory(out: TextIO, total: int, seed: int, agency_assets: int | None = None) -> dict[str, int]:
    """Write an inventory with exactly `total` assets (`agency_assets` per agency if given); return counts by kind."""
    rng = random.Random(seed)
    addresses = Addresses()
    sizes = agency_sizes(total, rng, agency_assets)
    agencies = [describe(i, split(size, rng), rng) for i, size in enumerate(sizes)]
    counts = {"agencies": len(agencies), "servers": 0, "workstation_groups": 0, "workstations": 0, "devices": 0}
    w = out.write
    w(f"# Generated by benchmarks/generate_inventory.py --assets {total} (seed {seed}). Not real data.\n")
    w("schema_version: 1\n")
    w("organisation:\n  name: \"Tỉnh Thử Nghiệm\"\n  name_en: \"Benchmark Province\"\n  code: bench\n"
      "  central_anti_malware_system: true\n  ipv6_plan: false\n  data_centre_ddos_detection: true\n")
    w(f"assessment:\n  assessor: \"Sở Thông tin và Truyền thông\"\n  period_start: 2025-12-15\n"
      f"  period_end: {AS_OF.isoformat()}\n")
    w("lab_scope:\n  cidrs: []\n")
    w("network:\n  zones:\n    - id: wan\n      name: \"Mạng WAN tỉnh\"\n      kind: wan\n      cidrs: [10.0.0.0/16]\n")
    w("  links:\n    - from: wan\n      to: internet\n      controls: [firewall, ips]\n"
      f"      devices: [{agencies[0].id}-dev01]\n      bidirectional: false\n")
    for agency in agencies:
        w(f"    - from: {agency.id}-edge\n      to: wan\n      controls: [firewall]\n"
          f"      devices: [{agency.id}-dev01]\n")
    w("agencies:\n")
    for agency in agencies:
        _write_agency(w, agency, rng, addresses, counts)
    return counts


def _write_agency(w: Write, agency: Agency, rng: random.Random, addresses: Addresses,
                  counts: dict[str, int]) -> None:
    a, plan = agency.id, agency.plan
    strength = rng.random()  # 0 weak .. 1 strong: drives coverage, patching, monitoring
    w(f"  - id: {a}\n    name: {q(agency.name)}\n    name_en: {q(agency.name_en)}\n    kind: {agency.kind}\n")
    if agency.index > 0 and agency.kind == "ward_commune":
        w(f"    parent: ag{max(0, agency.index - 1):04d}\n")
    w(f"    security_officer:\n      name: {q(person(rng))}\n      email: {q(f'attt@{a}.bench.gov.vn')}\n")
    w(f"    digital_signature: {str(strength > 0.2).lower()}\n"
      f"    e_office_network_member: {str(strength > 0.15).lower()}\n")
    it_budget = rng.randint(500, 20000)
    w(f"    it_budget_million_vnd: {it_budget}\n"
      f"    security_budget_million_vnd: {round(it_budget * strength * 0.2)}\n")
    if strength > 0.3:
        w(f"    security_regulation_issued: {day(rng, dt.date(2019, 1, 1), dt.date(2025, 12, 31))}\n"
          f"    annual_report_submitted: {day(rng, dt.date(2025, 12, 15), dt.date(2025, 12, 31))}\n")
    _write_layers(w, rng, strength)

    # Place every addressed asset in a zone sized for it.
    servers_by_zone: dict[str, list[str]] = {key: [] for key, _, _ in ZONES}
    roles = rng.choices(ROLE_NAMES, ROLE_WEIGHTS, k=plan.servers)
    for role in roles:
        servers_by_zone[ROLES[role][0]].append(role)
    devices = [DEVICES[i] for i in range(plan.devices)]
    device_zone_counts: dict[str, int] = {}
    for _, _, zone_key in devices:
        device_zone_counts[zone_key] = device_zone_counts.get(zone_key, 0) + 1
    need = {key: len(servers_by_zone[key]) + device_zone_counts.get(key, 0) for key, _, _ in ZONES}
    need["usr"] += plan.workstations
    zone_nets: dict[str, tuple[str, Iterator[str]]] = {key: addresses.network(need[key]) for key, _, _ in ZONES}

    w("    zones:\n")
    for key, name, kind in ZONES:
        agency.zones[key] = f"{a}-{key}"
        w(f"      - id: {a}-{key}\n        name: {q(name)}\n        kind: {kind}\n"
          f"        cidrs: [{zone_nets[key][0]}]\n")
    fw = f"{a}-dev01"
    w("    zone_links:\n")
    for src, dst, controls, ports in (("edge", "dmz", "[firewall, ips]", "[80, 443]"),
                                      ("dmz", "srv", "[firewall]", "[443, 8080, 8443]"),
                                      ("srv", "db", "[firewall]", "[1433, 3306, 5432]"),
                                      ("adm", "srv", "[firewall]", "[22, 3389]"),
                                      ("usr", "srv", "[firewall]", "[53, 88, 389, 443, 445]"),
                                      ("usr", "edge", "[firewall, ips]", "[]"),
                                      ("wifi", "edge", "[firewall]", "[]")):
        w(f"      - from: {a}-{src}\n        to: {a}-{dst}\n        controls: {controls}\n"
          f"        devices: [{fw}]\n        ports: {ports}\n")

    w("    security_devices:\n")
    for i, (kind, product, zone_key) in enumerate(devices, 1):
        w(f"      - id: {a}-dev{i:02d}\n        kind: {kind}\n        status: active\n        product: {q(product)}\n"
          f"        zone: {a}-{zone_key}\n        address: {next(zone_nets[zone_key][1])}\n")
        if kind == "firewall":
            w(f"        ips_enabled: {str(strength > 0.4).lower()}\n"
              f"        redundancy: {'hot_standby' if strength > 0.6 else 'none'}\n")
    counts["devices"] += len(devices)

    hostnames: list[str] = []
    if plan.servers:
        w("    servers:\n")
    serial = 0
    for key, _, _ in ZONES:
        for role in servers_by_zone[key]:
            serial += 1
            hostname = f"{a}-srv{serial:04d}"
            hostnames.append(hostname)
            _write_server(w, rng, hostname, role, f"{a}-{key}", next(zone_nets[key][1]), strength)
    counts["servers"] += plan.servers

    if hostnames:
        w("    systems:\n")
        for i in range(1, max(1, len(hostnames) // 6) + 1):
            level = rng.choices((1, 2, 3, 4), LEVEL_WEIGHTS)[0]
            runs_on = rng.sample(hostnames, k=min(len(hostnames), rng.randint(1, 4)))
            approved = rng.random() < 0.5 + strength / 2
            w(f"      - id: {a}-sys{i:02d}\n        name: {q(f'Hệ thống thông tin số {i} - {a}')}\n"
              f"        level: {level}\n        approval:\n          approved: {str(approved).lower()}\n")
            if approved:
                w(f"          date: {day(rng, dt.date(2020, 1, 1), dt.date(2026, 6, 30))}\n")
            w(f"        go_live: {day(rng, dt.date(2015, 1, 1), dt.date(2026, 6, 30))}\n"
              f"        protection_plan_deployed: {str(approved and strength > 0.3).lower()}\n"
              f"        users: {rng.randint(10, 200000)}\n"
              f"        citizen_facing: {str(rng.random() < 0.3).lower()}\n"
              f"        business_facing: {str(rng.random() < 0.2).lower()}\n"
              f"        administrative_procedures: {str(level >= 3 and rng.random() < 0.5).lower()}\n"
              f"        data_types: [{'internal, personal' if level >= 2 else 'public'}]\n"
              f"        personal_data_subjects: {rng.randint(0, 50000) if level >= 2 else 0}\n"
              f"        hosting: own_data_centre\n"
              f"        redundant_internet_link: {str(strength > 0.5).lower()}\n"
              f"        mfa_for_admins: {str(rng.random() < strength).lower()}\n"
              f"        central_backup: {str(strength > 0.5).lower()}\n"
              f"        servers: [{', '.join(runs_on)}]\n")

    if plan.groups:
        w("    workstation_groups:\n")
    for i in range(1, plan.groups + 1):
        networked = rng.randint(5, 80)
        licensed = round(networked * min(1.0, strength + rng.uniform(0, 0.3)))
        managed = round(licensed * rng.uniform(0.6, 1.0))
        os_counts = _split_count(networked, rng)
        w(f"      - id: {a}-grp{i:03d}\n        name: {q(f'Phòng chuyên môn {i}')}\n        zone: {a}-usr\n"
          f"        networked: {networked}\n        anti_malware_licensed: {licensed}\n"
          f"        anti_malware_centrally_managed: {managed}\n"
          f"        signatures_current: {round(licensed * rng.uniform(0.8, 1.0))}\n"
          f"        patched_last_30_days: {round(networked * rng.uniform(0.3, 1.0))}\n"
          f"        edr: {round(managed * strength * 0.5)}\n        os:\n")
        for (name, _, eol), count in zip(DESKTOP_OS, os_counts, strict=True):
            if count:
                w(f"          - name: {q(name)}\n            count: {count}\n            end_of_life: {eol}\n")
    counts["workstation_groups"] += plan.groups

    if plan.workstations:
        w("    workstations:\n")
    usr = zone_nets["usr"][1]
    for i in range(1, plan.workstations + 1):
        name, version, eol = rng.choices(DESKTOP_OS, DESKTOP_OS_WEIGHTS)[0]
        w(f"      - hostname: {a}-ws{i:05d}\n        status: active\n        address: {next(usr)}\n"
          f"        zone: {a}-usr\n        os:\n          name: {q(name)}\n          version: {q(version)}\n"
          f"          end_of_life: {eol}\n")
        _write_anti_malware(w, rng, strength, "        ")
        w(f"        last_patched: {day(rng, dt.date(2024, 1, 1))}\n")
    counts["workstations"] += plan.workstations


def _write_layers(w: Write, rng: random.Random, strength: float) -> None:
    w("    layers:\n      on_site:\n"
      f"        dedicated_staff: {int(strength * 4)}\n        part_time_staff: {rng.randint(0, 3)}\n"
      f"        trained_staff: {int(strength * 5)}\n"
      f"        incident_response_team_member: {str(strength > 0.3).lower()}\n"
      f"        incident_response_plan: {str(strength > 0.4).lower()}\n")
    if strength > 0.3:
        w(f"        last_training: {day(rng, dt.date(2024, 1, 1))}\n")
    kind = "provincial_soc" if strength > 0.5 else ("provider" if strength > 0.35 else "none")
    w(f"      monitoring:\n        kind: {kind}\n")
    if kind != "none":
        w("        log_sources: [firewall, server, web_server, ids]\n"
          f"        coverage_percent: {round(strength * 100)}\n        continuous: true\n"
          f"        log_retention_days: {rng.choice((30, 90, 180, 365))}\n"
          f"        monitoring_data_retention_days: {rng.choice((30, 60, 90))}\n")
    w("      assessment:\n")
    if strength > 0.25:
        w(f"        last_independent_assessment:\n          date: {day(rng, dt.date(2023, 1, 1))}\n"
          f"          assessor: {q('Sở Thông tin và Truyền thông')}\n          assessor_kind: state_unit\n"
          f"          open_findings: {rng.randint(0, 12)}\n          open_critical_findings: {rng.randint(0, 2)}\n")
    w(f"        last_vulnerability_scan: {day(rng, dt.date(2024, 1, 1))}\n"
      f"        last_malware_scan: {day(rng, dt.date(2025, 6, 1))}\n")
    w(f"      national_connection:\n        connected_to: {'provincial' if strength > 0.5 else 'none'}\n"
      f"        anti_malware_connected: {str(strength > 0.5).lower()}\n"
      f"        monitoring_sensors_connected: {str(strength > 0.5).lower()}\n"
      f"        malware_information_shared: {str(strength > 0.6).lower()}\n")


def _write_anti_malware(w: Write, rng: random.Random, strength: float, indent: str) -> None:
    installed = rng.random() < 0.5 + strength / 2
    if not installed:
        w(f"{indent}anti_malware:\n{indent}  installed: false\n")
        return
    licensed = rng.random() < 0.4 + strength * 0.6
    managed = licensed and rng.random() < 0.3 + strength * 0.7
    w(f"{indent}anti_malware:\n{indent}  installed: true\n{indent}  licensed: {str(licensed).lower()}\n"
      f"{indent}  centrally_managed: {str(managed).lower()}\n{indent}  product: {q(rng.choice(AV_PRODUCTS))}\n"
      f"{indent}  signature_date: {day(rng, dt.date(2026, 6, 1))}\n")


def _write_server(w: Write, rng: random.Random, hostname: str, role: str, zone: str,
                  address: str, strength: float) -> None:
    name, version, eol = rng.choices(SERVER_OS, SERVER_OS_WEIGHTS)[0]
    candidates = ROLES[role][1]
    services = rng.sample(candidates, k=rng.randint(2, min(4, len(candidates))))
    internet = any(exposure == "internet" for *_, exposure in services)
    w(f"      - hostname: {hostname}\n        status: active\n        addresses: [{address}]\n        role: {role}\n"
      f"        os:\n          name: {q(name)}\n          version: {q(version)}\n          end_of_life: {eol}\n"
      f"        zone: {zone}\n        virtual: {str(rng.random() < 0.7).lower()}\n"
      f"        internet_facing: {str(internet).lower()}\n        services:\n")
    for port, protocol, service, exposure in sorted(services):
        w(f"          - port: {port}\n            protocol: {protocol}\n            name: {service}\n"
          f"            exposure: {exposure}\n")
    w(f"        last_patched: {day(rng, dt.date(2023, 6, 1))}\n")
    backup = rng.random() < 0.4 + strength * 0.6
    w(f"        backup:\n          enabled: {str(backup).lower()}\n")
    if backup:
        w(f"          central: {str(strength > 0.5).lower()}\n          last_backup: {day(rng, dt.date(2026, 10, 1))}\n"
          f"          offsite: {str(rng.random() < strength).lower()}\n")
    _write_anti_malware(w, rng, strength, "        ")
    w(f"        admin_mfa: {str(rng.random() < strength).lower()}\n"
      f"        logs_to_monitoring: {str(rng.random() < strength).lower()}\n")


def _split_count(total: int, rng: random.Random) -> list[int]:
    """Split a group's PCs among the desktop OSes (sums to `total`)."""
    weights = [rng.random() * w for w in DESKTOP_OS_WEIGHTS]
    scale = sum(weights)
    parts = [int(total * x / scale) for x in weights]
    parts[0] += total - sum(parts)
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--assets", type=int, required=True,
                        help="assets to generate (agencies + servers + workstations + groups + devices)")
    parser.add_argument("--out", required=True, help="the YAML file to write ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--agency-assets", type=int, metavar="N",
                        help=f"assets per agency (default: random, {MIN_AGENCY}-{MAX_AGENCY}); small agencies "
                             "give many agencies in a small file, e.g. for the PDF benchmark")
    args = parser.parse_args(argv)
    if args.assets < 2:
        parser.error("--assets must be at least 2 (an agency and its firewall)")
    if args.agency_assets is not None and not 2 <= args.agency_assets <= args.assets:
        parser.error("--agency-assets must be between 2 and --assets")
    if args.out == "-":
        counts = write_inventory(sys.stdout, args.assets, args.seed, args.agency_assets)
    else:
        with open(args.out, "w", encoding="utf-8", buffering=1 << 20) as handle:
            counts = write_inventory(handle, args.assets, args.seed, args.agency_assets)
    print(" ".join(f"{k}={v}" for k, v in counts.items()), f"total={sum(counts.values())}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
