"""Derived facts (`facts.*`), computed once per entity, and the `FactProvider` plug-in point.

Built-in facts depend on the entity, its agency, the as-of date and the active profile's parameters.
A fact whose inputs the inventory does not state is None (unknown), or bounded (`partial.Between`,
`partial.Partial`) when the stated part still tells something; never a guess. Other sources of facts
(a scan's drift: `scan.*`; the network graph: `graph.*`) plug in as `FactProvider`s. A rule reading a
namespace whose provider did not run is `not_applicable` with a note saying so; a provider that ran
but said nothing about an entity makes the rule an `error`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from secassess.assessment.entities import Entity, link_owner, zone_owners
from secassess.assessment.partial import Between, Partial, Tally, Unknown, known_list
from secassess.inventory.model import (
    INTERNET_ZONE,
    Agency,
    AssetStatus,
    InformationSystem,
    Inventory,
    OperatingSystem,
    Organisation,
    Redundancy,
    SecurityDevice,
    Server,
    Workstation,
    WorkstationGroup,
    ZoneLink,
    stated,
)

PROVIDER_NAMESPACES: frozenset[str] = frozenset({"scan", "graph"})
"""Namespaces other components provide facts in; rules may name `scan.<fact>` or `graph.<fact>`."""

DEVICE_CONTROLS = {"firewall": "firewall", "db_firewall": "firewall", "ips": "ips", "waf": "waf", "nac": "nac",
                   "vpn_gateway": "vpn"}
"""The link control an active security device applies to the traffic crossing it."""

REDUNDANT = frozenset({Redundancy.HOT_STANDBY, Redundancy.LOAD_BALANCED})


class FactProvider(Protocol):
    """A source of extra facts about entities, e.g. scan results or the network graph."""

    @property
    def namespace(self) -> str:
        """The prefix its facts are read under (`scan`, `graph`, ...)."""
        ...

    def provide(self, inventory: Inventory, entities: Sequence[Entity],
                as_of: dt.date) -> Mapping[str, Mapping[str, Any]]:
        """Facts per entity name (`Entity.name`), each a mapping of fact name to value."""
        ...


@dataclass(frozen=True)
class FactSpec:
    """A built-in fact: its value kind (for load-time checks of rules), meaning, and the profile
    parameters it reads (names, or stems of per-level families such as `assessment_max_days`)."""

    kind: str
    description: str
    params: tuple[str, ...] = ()


FACTS: dict[str, dict[str, FactSpec]] = {
    "organisation": {
        "agency_count": FactSpec("number", "agencies in the inventory"),
        "max_system_level": FactSpec("number", "highest security level of any system (0: none)"),
    },
    "agency": {
        "max_system_level": FactSpec("number", "highest level of the systems it owns; 1 when it owns none but "
                                               "has hosts (an unclassified network is at least level 1); 0 when "
                                               "it has neither"),
        "network_level": FactSpec("number", "highest level of the systems running on its own servers; at least 1 "
                                            "when it has hosts; 0 when it has none"),
        "own_hosts": FactSpec("number", "servers, listed workstations and workstation groups it declares (not "
                                        "decommissioned)"),
        "own_servers": FactSpec("number", "servers it declares (not decommissioned)"),
        "own_workstations": FactSpec("number", "listed workstations and workstation groups it declares (not "
                                               "decommissioned)"),
        "system_count": FactSpec("number", "systems the agency owns"),
        "has_citizen_facing_system": FactSpec("bool", "a system serves citizens or businesses"),
        "endpoints_networked": FactSpec("number", "networked workstations (groups + listed) and servers in service"),
        "anti_malware_licensed_ratio": FactSpec("number", "share of those endpoints with licensed anti-malware"),
        "anti_malware_managed_ratio": FactSpec("number", "share with centrally managed anti-malware"),
        "anti_malware_current_ratio": FactSpec("number", "share with signatures at most `signature_max_days` old",
                                               ("signature_max_days",)),
        "eol_os_count": FactSpec("number", "servers/workstations in service (and group counts) on an end-of-life OS"),
        "budget_share_percent": FactSpec("number", "security budget as a percent of the IT budget"),
        "days_since_assessment": FactSpec("number", "days since the last independent assessment"),
        "assessment_max_days": FactSpec("number", "longest interval between assessments the profile allows "
                                                  "for the agency's highest level", ("assessment_max_days",)),
        "pentest_required": FactSpec("bool", "the profile requires penetration tests at the highest level",
                                     ("pentest_max_days",)),
        "pentest_max_days": FactSpec("number", "longest penetration-test interval for the highest level",
                                     ("pentest_max_days",)),
        "vulnerability_scan_required": FactSpec("bool", "the profile requires vulnerability scans at the highest "
                                                        "level", ("vulnerability_scan_max_days",)),
        "vulnerability_scan_max_days": FactSpec("number", "longest vulnerability-scan interval for the highest level",
                                                ("vulnerability_scan_max_days",)),
        "log_retention_required_days": FactSpec("number", "log retention the profile requires at the highest level "
                                                          "(0: none)", ("log_retention_days",)),
        "device_kinds": FactSpec("list", "kinds of the agency's security devices in service"),
        "redundant_device_kinds": FactSpec("list", "kinds with hot standby, load balancing or two devices in service"),
        "firewall_ips": FactSpec("bool", "an IPS, or a firewall with IPS enabled, in service"),
        "zone_kinds": FactSpec("list", "kinds of the agency's network zones"),
        "internet_facing_servers": FactSpec("number", "Internet-facing servers in service"),
        "annual_report_due": FactSpec("date", "the latest due date (`annual_report_due`, 20 December) on or before "
                                              "as-of", ("annual_report_due",)),
        "annual_report_window_start": FactSpec("date", "the earliest on-time submission for that year "
                                                       "(`annual_report_window_start`, 1 November)",
                                               ("annual_report_window_start",)),
    },
    "system": {
        "server_count": FactSpec("number", "servers the system runs on"),
        "hosting_agencies": FactSpec("list", "agencies that run its servers (whose monitoring watches it)"),
        "monitoring_kinds": FactSpec("list", "kinds of monitoring of those agencies"),
        "monitoring_log_sources": FactSpec("list", "log sources every one of those agencies' monitoring collects"),
        "monitoring_continuous": FactSpec("bool", "every one of them is watched continuously"),
        "monitoring_daily_report": FactSpec("bool", "every one of them reports daily"),
        "monitoring_weekly_report": FactSpec("bool", "every one of them reports weekly to the owner"),
        "monitoring_twenty_four_seven": FactSpec("bool", "every one of them is watched 24/7"),
        "monitoring_data_retention_days": FactSpec("number", "the shortest monitoring-data retention among them"),
        "log_retention_days": FactSpec("number", "the shortest log retention among them"),
        "monitoring_last_report": FactSpec("date", "the oldest latest half-yearly monitoring report among them "
                                                   "(none: one has none)"),
        "log_retention_required_days": FactSpec("number", "log retention the profile requires at its level (0: none)",
                                                ("log_retention_days",)),
        "live": FactSpec("bool", "it went live on or before as-of"),
        "restore_test_required": FactSpec("bool", "the profile requires restore tests at its level",
                                          ("restore_test_max_days",)),
        "restore_test_max_days": FactSpec("number", "longest restore-test interval for the level",
                                          ("restore_test_max_days",)),
        "vulnerability_scan_max_days": FactSpec("number", "longest vulnerability-scan interval for the level",
                                                ("vulnerability_scan_max_days",)),
    },
    "server": {
        "system_level": FactSpec("number", "highest level of the systems running on it (0: none)"),
        "os_eol_passed": FactSpec("bool", "its OS reached end of life on or before as-of"),
        "days_since_patch": FactSpec("number", "days since last patched"),
        "signature_age_days": FactSpec("number", "age of the anti-malware signatures"),
    },
    "workstation": {
        "os_eol_passed": FactSpec("bool", "its OS reached end of life on or before as-of"),
        "days_since_patch": FactSpec("number", "days since last patched"),
        "signature_age_days": FactSpec("number", "age of the anti-malware signatures"),
    },
    "workstation_group": {
        "licensed_ratio": FactSpec("number", "licensed anti-malware / networked"),
        "managed_ratio": FactSpec("number", "centrally managed anti-malware / networked"),
        "signatures_current_ratio": FactSpec("number", "current signatures / networked"),
        "patched_ratio": FactSpec("number", "patched in the last 30 days / networked"),
        "eol_os_count": FactSpec("number", "computers on an OS past its end of life"),
    },
    "security_device": {},
    "zone_link": {
        "from_kind": FactSpec("str", "kind of the source zone ('internet' for the Internet)"),
        "to_kind": FactSpec("str", "kind of the target zone"),
        "touches_internet": FactSpec("bool", "one end is the Internet"),
        "inbound_from_internet": FactSpec("bool", "traffic may come in from the Internet over it (from the "
                                                  "Internet, or two-way to it)"),
        "firewall": FactSpec("bool", "a firewall controls it (declared, or a firewall in service among its devices)"),
        "enters_database": FactSpec("bool", "traffic may enter a database zone over it (either end if two-way)"),
        "database_peer_kind": FactSpec("str", "kind of the zone that traffic into the database zone comes from"),
    },
}


@dataclass(frozen=True)
class FactEnv:
    """What facts are computed from besides the entity: date, profile parameters, inventory indexes."""

    as_of: dt.date
    params: Mapping[str, Any]
    server_levels: Mapping[str, int]
    """Hostname -> highest level of the stated systems running on it."""
    network_zone_kinds: Mapping[str, str]
    level_ceiling: int = 0
    """The highest level a server may run without it showing: that of a system whose `servers` are not
    stated (it may run anywhere), 5 when an agency does not state its `systems`; 0 when all are stated."""
    zone_owners: Mapping[str, Agency | None] = field(default_factory=dict)
    devices: Mapping[str, list[tuple[Agency, SecurityDevice]]] = field(default_factory=dict)
    """Device id (and `<agency>.<id>`) -> the devices of that name."""
    server_owners: Mapping[str, Agency] = field(default_factory=dict)
    """Hostname (lower case) -> the agency that declares the server."""

    @classmethod
    def build(cls, inventory: Inventory, as_of: dt.date, params: Mapping[str, Any]) -> FactEnv:
        levels: dict[str, int] = {}
        for agency in inventory.agencies:
            for system in agency.systems:
                for host in system.servers:
                    levels[host.lower()] = max(levels.get(host.lower(), 0), system.level)
        zones = {z.id: z.kind.value for z in inventory.network.zones}
        devices: dict[str, list[tuple[Agency, SecurityDevice]]] = {}
        for agency in inventory.agencies:
            for device in agency.security_devices:
                devices.setdefault(device.id, []).append((agency, device))
                devices.setdefault(f"{agency.id}.{device.id}", []).append((agency, device))
        owners = {s.hostname.lower(): a for a in inventory.agencies for s in a.servers}
        ceiling = 5 if not all(stated(a, "systems") for a in inventory.agencies) else max(
            (s.level for a in inventory.agencies for s in a.systems if not s.servers), default=0)
        return cls(as_of, params, levels, zones, ceiling, zone_owners(inventory), devices, owners)

    def level_param(self, stem: str, level: int) -> Any:
        """`<stem>_level<N>` for the level, or None when the profile sets none for it."""
        return self.params.get(f"{stem}_level{level}") if level > 0 else None

    def server_level(self, hostname: str) -> int | Between:
        """The highest level of the systems on a server (bounded by `level_ceiling` when some are not placed)."""
        level = self.server_levels.get(hostname.lower(), 0)
        return level if self.level_ceiling <= level else Between(level, self.level_ceiling,
                                                                  ("systems[].servers",))


# --- small helpers -----------------------------------------------------------------------------


def _days(as_of: dt.date, when: dt.date | None) -> int | None:
    return (as_of - when).days if when is not None else None


def _eol(as_of: dt.date, end: dt.date | None) -> bool | None:
    return end <= as_of if end is not None else None


def _in_service(status: AssetStatus | None) -> bool | None:
    """In service: yes (active), no (down, decommissioned), unknown (not stated)."""
    return None if status is None else status is AssetStatus.ACTIVE


def _listed(model: BaseModel, attr: str) -> list[Any] | None:
    """The list as the inventory states it: None when it does not write it."""
    return list(getattr(model, attr)) if stated(model, attr) else None


def _max_level(levels: Iterable[int | Between], floor: int) -> int | Between:
    low = max([floor, *(v.low if isinstance(v, Between) else v for v in levels)])
    high = max([floor, *(v.high if isinstance(v, Between) else v for v in levels)])
    return int(low) if low == high else Between(low, high, ("systems",))


def _level_value(level: int | Between | Unknown, value: Callable[[int], Any]) -> Any:
    """A per-level figure: decided when the level is, or when every possible level gives the same."""
    if isinstance(level, Unknown):
        return level
    if isinstance(level, int):
        return value(level)
    options = {value(n) for n in range(int(level.low), int(level.high) + 1)}
    return options.pop() if len(options) == 1 else Unknown(level.missing)


def _or_unknown(value: Any, *inputs: str) -> Any:
    """The value, or `Unknown(inputs)` when it is None because those inputs are not stated."""
    return Unknown(inputs) if value is None else value


# --- organisation and agency -------------------------------------------------------------------


def organisation_facts(org: Organisation, inventory: Inventory, env: FactEnv) -> dict[str, Any]:
    """Facts of the organisation (the province)."""
    levels = [s.level for a in inventory.agencies for s in a.systems]
    highest = max(levels, default=0)
    unstated = not all(stated(a, "systems") for a in inventory.agencies)
    return {"agency_count": len(inventory.agencies),
            "max_system_level": Between(highest, 5, ("systems",)) if unstated and highest < 5 else highest}


HOST_LISTS = ("servers", "workstations", "workstation_groups")


def own_hosts(agency: Agency, lists: tuple[str, ...] = HOST_LISTS) -> int | Between:
    """Hosts the agency declares in `lists`: any not decommissioned."""
    count, missing = 0, []
    for attr in lists:
        items = _listed(agency, attr)
        if items is None:
            missing.append(attr)
            continue
        count += sum(1 for item in items if getattr(item, "status", None) is not AssetStatus.DECOMMISSIONED)
    return Between(count, float("inf"), tuple(missing)) if missing else count


def _agency_level(agency: Agency, env: FactEnv, hosts: int | Between) -> int | Between | Unknown:
    systems = _listed(agency, "systems")
    if systems is None:
        return Unknown(("systems",))
    floor = 1 if (isinstance(hosts, int) and hosts > 0) or (isinstance(hosts, Between) and hosts.low > 0) else 0
    highest = max((s.level for s in systems), default=0)
    if highest or floor:
        return max(highest, floor)
    return Between(0, 1, hosts.missing) if isinstance(hosts, Between) else 0


def _network_level(agency: Agency, env: FactEnv, hosts: int | Between) -> int | Between | Unknown:
    servers = _listed(agency, "servers")
    if servers is None:
        return Unknown(("servers",))
    floor = 1 if (isinstance(hosts, int) and hosts > 0) or (isinstance(hosts, Between) and hosts.low > 0) else 0
    levels = [env.server_level(s.hostname) for s in servers if s.status is not AssetStatus.DECOMMISSIONED]
    level = _max_level(levels, floor)
    if level == 0 and isinstance(hosts, Between):
        return Between(0, 1, hosts.missing)
    return level


def _os_eol(os: OperatingSystem, as_of: dt.date) -> bool | None:
    return _eol(as_of, os.end_of_life)


def _coverage(agency: Agency, env: FactEnv) -> tuple[Tally, Tally, Tally, int | Between]:
    """Licensed, managed and current-signature tallies over the agency's endpoints, and its EOL count."""
    sig_max = int(env.params.get("signature_max_days", 7))
    licensed, managed, current = Tally(), Tally(), Tally()
    eol_low = eol_high = 0
    eol_missing: list[str] = []
    groups = _listed(agency, "workstation_groups")
    hosts: list[Server | Workstation] = []
    lists_missing = [a for a in ("workstation_groups", "servers", "workstations") if not stated(agency, a)]
    for group in groups or []:
        n = group.networked
        where = f"workstation_groups[{group.id}]"
        for tally, value, name in ((licensed, group.anti_malware_licensed, "anti_malware_licensed"),
                                   (managed, group.anti_malware_centrally_managed, "anti_malware_centrally_managed"),
                                   (current, group.signatures_current, "signatures_current")):
            if value is None:
                tally.add(True, None, n, (f"{where}.{name}",))
            else:
                tally.add(True, True, min(value, n))
                tally.add(True, False, max(0, n - value))
        low, high, miss = _group_eol(group, env.as_of)
        eol_low, eol_high = eol_low + low, eol_high + high
        eol_missing += miss
    for attr in ("servers", "workstations"):
        hosts.extend(_listed(agency, attr) or [])
    for host in hosts:
        active = _in_service(host.status)
        if active is False:
            continue
        name = getattr(host, "hostname", "")
        where = f"{'servers' if isinstance(host, Server) else 'workstations'}[{name}]"
        status_missing = [f"{where}.status"] if active is None else []
        malware = host.anti_malware
        installed = malware.installed
        for tally, flag, attr in ((licensed, malware.licensed, "licensed"),
                                  (managed, malware.centrally_managed, "centrally_managed")):
            has = False if installed is False else (None if installed is None or flag is None else bool(flag))
            miss = status_missing + ([f"{where}.anti_malware.{'installed' if installed is None else attr}"]
                                     if has is None else [])
            tally.add(active, has, 1, miss)
        age = _days(env.as_of, malware.signature_date)
        fresh = False if installed is False else (None if installed is None or age is None else age <= sig_max)
        current.add(active, fresh, 1, status_missing + ([f"{where}.anti_malware.signature_date"]
                                                        if fresh is None else []))
        eol = _os_eol(host.os, env.as_of)
        if eol is not False:
            if eol and active:
                eol_low += 1
            eol_high += 1
            if eol is None or active is None:
                eol_missing += status_missing + ([f"{where}.os.end_of_life"] if eol is None else [])
    if lists_missing:
        return licensed, managed, current, Between(eol_low, float("inf"), tuple(lists_missing))
    eol_count: int | Between = eol_low if eol_low == eol_high else Between(eol_low, eol_high, tuple(eol_missing))
    return licensed, managed, current, eol_count


def _group_eol(group: WorkstationGroup, as_of: dt.date) -> tuple[int, int, list[str]]:
    """(certain, possible, missing fields) count of a group's computers on an end-of-life OS."""
    where = f"workstation_groups[{group.id}]"
    if not stated(group, "os"):
        return 0, group.networked, [f"{where}.os"]
    low = high = 0
    missing: list[str] = []
    for item in group.os:
        eol = _eol(as_of, item.end_of_life)
        if eol:
            low += item.count
        if eol is not False:
            high += item.count
        if eol is None:
            missing.append(f"{where}.os[{item.name}].end_of_life")
    rest = group.networked - sum(o.count for o in group.os)
    if rest > 0:
        high += rest
        missing.append(f"{where}.os")
    return low, high, missing


def device_kinds(devices: Iterable[SecurityDevice], where: str = "security_devices") -> list[str] | Partial:
    """Kinds of devices in service; those of devices with no stated status only perhaps."""
    found = list(devices)
    return known_list((d.kind.value for d in found if d.status is AssetStatus.ACTIVE),
                      (d.kind.value for d in found if d.status is None),
                      (f"{where}[{d.id}].status" for d in found if d.status is None))


def _redundant_kinds(devices: list[SecurityDevice]) -> list[str] | Partial:
    certain: set[str] = set()
    maybe: set[str] = set()
    missing: list[str] = []
    counts: dict[str, list[int]] = {}
    for d in devices:
        active = _in_service(d.status)
        if active is False:
            continue
        tally = counts.setdefault(d.kind.value, [0, 0])
        tally[1] += 1
        if active:
            tally[0] += 1
        if active and d.redundancy in REDUNDANT:
            certain.add(d.kind.value)
        elif d.redundancy is None or d.redundancy in REDUNDANT:
            maybe.add(d.kind.value)
            missing += [f"security_devices[{d.id}].{'status' if active is None else 'redundancy'}"]
    for kind, (sure, possible) in counts.items():
        if sure >= 2:
            certain.add(kind)
        elif possible >= 2:
            maybe.add(kind)
    return known_list(certain, maybe, missing)


def _firewall_ips(devices: list[SecurityDevice]) -> bool | None:
    verdicts = []
    for d in devices:
        if d.kind.value == "ips":
            verdicts.append(_in_service(d.status))
        elif d.kind.value == "firewall":
            active = _in_service(d.status)
            ips = d.ips_enabled
            verdicts.append(False if active is False or ips is False else (None if active is None or ips is None
                                                                             else True))
    return True if True in verdicts else (None if None in verdicts else False)


def agency_facts(agency: Agency, env: FactEnv) -> dict[str, Any]:
    """Facts of one agency: levels, coverage, budget, intervals required under the profile."""
    as_of, params = env.as_of, env.params
    hosts = own_hosts(agency)
    level = _agency_level(agency, env, hosts)
    licensed, managed, current, eol = _coverage(agency, env)
    devices = _listed(agency, "security_devices")
    record = agency.layers.assessment.last_independent_assessment
    due_month, due_day = _month_day(params.get("annual_report_due", "12-20"))
    start_month, start_day = _month_day(params.get("annual_report_window_start", "11-01"))
    due_year = as_of.year if (as_of.month, as_of.day) >= (due_month, due_day) else as_of.year - 1
    systems = _listed(agency, "systems")
    servers = _listed(agency, "servers")
    it, security = agency.it_budget_million_vnd, agency.security_budget_million_vnd
    citizen = None if systems is None else _any(_faces_public(s) for s in systems)
    unlisted = tuple(a for a in ("workstation_groups", "servers", "workstations") if not stated(agency, a))
    open_share = Between(0.0, 1.0, unlisted)
    return {
        "max_system_level": level,
        "network_level": _network_level(agency, env, hosts),
        "own_hosts": hosts,
        "own_servers": own_hosts(agency, ("servers",)),
        "own_workstations": own_hosts(agency, ("workstations", "workstation_groups")),
        "system_count": Unknown(("systems",)) if systems is None else len(systems),
        "has_citizen_facing_system": _or_unknown(citizen, "systems[].citizen_facing", "systems[].business_facing"),
        "endpoints_networked": Between(0, float("inf"), unlisted) if unlisted else licensed.whole,
        "anti_malware_licensed_ratio": open_share if unlisted else licensed.share(),
        "anti_malware_managed_ratio": open_share if unlisted else managed.share(),
        "anti_malware_current_ratio": open_share if unlisted else current.share(),
        "eol_os_count": eol,
        "budget_share_percent": (round(100 * security / it, 2) if it and security is not None else
                                 Unknown(("security_budget_million_vnd",)) if it else
                                 (None if it == 0 else Unknown(("it_budget_million_vnd",)))),
        "days_since_assessment": _days(as_of, record.date if record else None),
        "assessment_max_days": _level_value(level, lambda n: env.level_param("assessment_max_days", n if n >= 3
                                                                              else 0)
                                            or params.get("assessment_max_days_organisation")),
        "pentest_required": _level_value(level, lambda n: env.level_param("pentest_max_days", n) is not None),
        "pentest_max_days": _level_value(level, lambda n: env.level_param("pentest_max_days", n)),
        "vulnerability_scan_required": _level_value(
            level, lambda n: env.level_param("vulnerability_scan_max_days", n) is not None),
        "vulnerability_scan_max_days": _level_value(level, lambda n: env.level_param("vulnerability_scan_max_days",
                                                                                     n)),
        "log_retention_required_days": _level_value(level, lambda n: env.level_param("log_retention_days", n) or 0),
        "device_kinds": Unknown(("security_devices",)) if devices is None else device_kinds(devices),
        "redundant_device_kinds": Unknown(("security_devices",)) if devices is None else _redundant_kinds(devices),
        "firewall_ips": Unknown(("security_devices",)) if devices is None else _or_unknown(
            _firewall_ips(devices), "security_devices[].status", "security_devices[].ips_enabled"),
        "zone_kinds": (Unknown(("zones",)) if not stated(agency, "zones")
                       else sorted({z.kind.value for z in agency.zones})),
        "internet_facing_servers": Unknown(("servers",)) if servers is None else _count(
            s.internet_facing if _in_service(s.status) is not False else False for s in servers),
        "annual_report_due": dt.date(due_year, due_month, due_day),
        "annual_report_window_start": dt.date(due_year, start_month, start_day),
    }


def _faces_public(system: InformationSystem) -> bool | None:
    """Serves citizens or businesses: yes if either is stated true, no if both are stated false."""
    flags = (system.citizen_facing, system.business_facing)
    return True if True in flags else (None if None in flags else False)


def _month_day(text: Any) -> tuple[int, int]:
    """`MM-DD` (a profile parameter) as (month, day)."""
    month, day = str(text).split("-")
    return int(month), int(day)


def _any(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value:
            return True
        if value is None:
            result = None
    return result


def _count(values: Iterable[bool | None]) -> int | Between:
    items = list(values)
    low, high = items.count(True), items.count(True) + items.count(None)
    return low if low == high else Between(low, high)


# --- systems, hosts, groups, links -------------------------------------------------------------


def _hosting_agencies(system: InformationSystem, env: FactEnv) -> list[Agency] | None:
    """The agencies that run the system's servers; None when its servers are not stated (or none is listed)."""
    if not system.servers:
        return None
    found: dict[str, Agency] = {}
    for host in system.servers:
        owner = env.server_owners.get(host.lower())
        if owner is None:
            return None
        found[owner.id] = owner
    return [found[k] for k in sorted(found)]


def _all(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _monitoring_facts(hosts: list[Agency] | None) -> dict[str, Any]:
    """The monitoring that watches a system: that of every agency running its servers (the weakest counts)."""
    names = ("monitoring_kinds", "monitoring_log_sources", "monitoring_continuous", "monitoring_daily_report",
             "monitoring_weekly_report", "monitoring_twenty_four_seven", "monitoring_data_retention_days",
             "log_retention_days", "monitoring_last_report")
    if not hosts:
        return dict.fromkeys(names, Unknown(("servers",)))
    watch = [a.layers.monitoring for a in hosts]
    stated_sources = [set(m.log_sources) for m in watch if stated(m, "log_sources")]
    unstated = [f"agencies[{a.id}].layers.monitoring.log_sources" for a, m in zip(hosts, watch, strict=True)
                if not stated(m, "log_sources")]
    common = set.intersection(*stated_sources) if stated_sources else set()
    # a source missing from a stated list is missing for certain; one in every stated list only perhaps there
    sources: list[str] | Partial | None = (sorted(common) if not unstated else
                                            (known_list([], common, unstated) if stated_sources else None))

    def least(values: list[int | None], path: str) -> int | Between | Unknown:
        known = [v for v in values if v is not None]
        if len(known) == len(values):
            return min(known)
        missing = tuple(f"agencies[{a.id}].layers.monitoring.{path}" for a, v in zip(hosts, values, strict=True)
                        if v is None)
        return Between(0, min(known), missing) if known else Unknown(missing)
    reports = [m.last_half_year_report for m in watch]
    def every(attr: str) -> bool | Unknown:
        values = [getattr(m, attr) for m in watch]
        verdict = _all(values)
        if verdict is None:
            return Unknown(tuple(f"agencies[{a.id}].layers.monitoring.{attr}"
                                 for a, v in zip(hosts, values, strict=True) if v is None))
        return verdict
    return {
        "monitoring_kinds": [m.kind.value if m.kind else None for m in watch] if all(m.kind for m in watch) else
        Unknown(tuple(f"agencies[{a.id}].layers.monitoring.kind" for a in hosts if not a.layers.monitoring.kind)),
        "monitoring_log_sources": _or_unknown(sources, *unstated),
        "monitoring_continuous": every("continuous"),
        "monitoring_daily_report": every("daily_report"),
        "monitoring_weekly_report": every("weekly_report_to_owner"),
        "monitoring_twenty_four_seven": every("twenty_four_seven"),
        "monitoring_data_retention_days": least([m.monitoring_data_retention_days for m in watch],
                                                "monitoring_data_retention_days"),
        "log_retention_days": least([m.log_retention_days for m in watch], "log_retention_days"),
        "monitoring_last_report": None if None in reports else min(r for r in reports if r is not None),
    }


def _system_facts(system: InformationSystem, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    live = None if system.go_live is None else system.go_live <= env.as_of
    hosts = _hosting_agencies(system, env)
    return {"server_count": Unknown(("servers",)) if not stated(system, "servers") else len(system.servers),
            "hosting_agencies": Unknown(("servers",)) if hosts is None else [a.id for a in hosts],
            **_monitoring_facts(hosts),
            "log_retention_required_days": env.level_param("log_retention_days", system.level) or 0,
            "live": _or_unknown(live, "go_live"),
            "restore_test_required": env.level_param("restore_test_max_days", system.level) is not None,
            "restore_test_max_days": env.level_param("restore_test_max_days", system.level),
            "vulnerability_scan_max_days": env.level_param("vulnerability_scan_max_days", system.level)}


def _host_facts(host: Server | Workstation, env: FactEnv) -> dict[str, Any]:
    return {"os_eol_passed": _or_unknown(_eol(env.as_of, host.os.end_of_life), "os.end_of_life"),
            "days_since_patch": _or_unknown(_days(env.as_of, host.last_patched), "last_patched"),
            "signature_age_days": _or_unknown(_days(env.as_of, host.anti_malware.signature_date),
                                              "anti_malware.signature_date")}


def _server_facts(server: Server, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    facts = _host_facts(server, env)
    facts["system_level"] = env.server_level(server.hostname)
    return facts


def _workstation_facts(host: Workstation, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    return _host_facts(host, env)


def _group_facts(group: WorkstationGroup, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    n = group.networked

    def share(part: int | None) -> float | None:
        return None if part is None or not n else round(part / n, 4)
    low, high, missing = _group_eol(group, env.as_of)
    return {"licensed_ratio": share(group.anti_malware_licensed),
            "managed_ratio": share(group.anti_malware_centrally_managed),
            "signatures_current_ratio": share(group.signatures_current),
            "patched_ratio": share(group.patched_last_30_days),
            "eol_os_count": low if low == high else Between(low, high, tuple(missing))}


def _zone_kind(zone_id: str, agency: Agency | None, env: FactEnv) -> str | None:
    if zone_id == INTERNET_ZONE:
        return INTERNET_ZONE
    if agency is not None:
        for zone in agency.zones:
            if zone.id == zone_id:
                return zone.kind.value
    if zone_id in env.network_zone_kinds:
        return env.network_zone_kinds[zone_id]
    owner = env.zone_owners.get(zone_id)
    if owner is not None:
        local = zone_id.split(".", 1)[1] if zone_id.startswith(f"{owner.id}.") else zone_id
        return next((z.kind.value for z in owner.zones if z.id == local), None)
    return None


def _link_devices(link: ZoneLink, agency: Agency | None, env: FactEnv) -> list[SecurityDevice]:
    found = []
    for name in link.devices:
        candidates = env.devices.get(name, [])
        own = [d for a, d in candidates if agency is not None and a.id == agency.id]
        chosen = own or ([d for _, d in candidates] if len(candidates) == 1 else [])
        found.extend(chosen[:1])
    return found


def _link_firewall(link: ZoneLink, agency: Agency | None, env: FactEnv) -> bool | None:
    """A firewall controls the link: declared, or a firewall in service among its devices."""
    if stated(link, "controls") and any(c.value == "firewall" for c in link.controls):
        return True
    devices = _link_devices(link, agency, env)
    verdicts = [_in_service(d.status) for d in devices if DEVICE_CONTROLS.get(d.kind.value) == "firewall"]
    if True in verdicts:
        return True
    if None in verdicts or not stated(link, "controls"):
        return None
    return False


def _link_facts(link: ZoneLink, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    owner = agency if agency is not None else link_owner(link, env.zone_owners)
    source, target = _zone_kind(link.from_zone, owner, env), _zone_kind(link.to_zone, owner, env)
    touches = INTERNET_ZONE in (link.from_zone, link.to_zone)
    inbound = link.from_zone == INTERNET_ZONE or (link.to_zone == INTERNET_ZONE and link.bidirectional)
    enters = target == "database" or (link.bidirectional and source == "database")
    peer = source if target == "database" else (target if enters else None)
    return {"from_kind": source, "to_kind": target, "touches_internet": touches, "inbound_from_internet": inbound,
            "firewall": _or_unknown(_link_firewall(link, owner, env), "controls", "devices[].status"),
            "enters_database": Unknown(("from", "to")) if None in (source, target) else enters,
            "database_peer_kind": peer}


def _no_facts(model: Any, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    return {}


ENTITY_FACTS: dict[str, Callable[[Any, Agency | None, FactEnv], dict[str, Any]]] = {
    "system": _system_facts, "server": _server_facts, "workstation": _workstation_facts,
    "workstation_group": _group_facts, "zone_link": _link_facts, "security_device": _no_facts,
}
"""Fact functions for per-agency entities (organisation and agency facts are computed separately)."""


def entity_facts(kind: str, model: BaseModel, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    """Built-in facts of one per-agency entity."""
    return ENTITY_FACTS[kind](model, agency, env)
