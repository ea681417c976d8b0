"""Derived facts (`facts.*`), computed once per entity, and the `FactProvider` plug-in point.

Built-in facts depend on the entity, its agency, the as-of date and the active profile's parameters.
Other sources of facts (a scan's drift: `scan.*`; the network graph: `graph.*`) plug in as
`FactProvider`s. A rule reading a namespace whose provider did not run is `not_applicable` with a
note saying so; a provider that ran but said nothing about an entity makes the rule an `error`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from secassess.assessment.entities import Entity
from secassess.inventory.model import (
    Agency,
    AssetStatus,
    InformationSystem,
    Inventory,
    Organisation,
    Redundancy,
    Server,
    Workstation,
    WorkstationGroup,
    ZoneLink,
)

PROVIDER_NAMESPACES: frozenset[str] = frozenset({"scan", "graph"})
"""Namespaces other components provide facts in; rules may name `scan.<fact>` or `graph.<fact>`."""


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
    """A built-in fact: its value kind (for load-time checks of rules) and meaning."""

    kind: str
    description: str


FACTS: dict[str, dict[str, FactSpec]] = {
    "organisation": {
        "agency_count": FactSpec("number", "agencies in the inventory"),
        "max_system_level": FactSpec("number", "highest security level of any system (0: none)"),
    },
    "agency": {
        "max_system_level": FactSpec("number", "highest level of the agency's systems (0: none)"),
        "system_count": FactSpec("number", "systems the agency owns"),
        "has_citizen_facing_system": FactSpec("bool", "a system serves citizens or businesses"),
        "endpoints_networked": FactSpec("number", "networked workstations (groups + listed) and active servers"),
        "anti_malware_licensed_ratio": FactSpec("number", "share of those endpoints with licensed anti-malware"),
        "anti_malware_managed_ratio": FactSpec("number", "share with centrally managed anti-malware"),
        "anti_malware_current_ratio": FactSpec("number", "share with signatures at most `signature_max_days` old"),
        "eol_os_count": FactSpec("number", "active servers/workstations (and group counts) on an end-of-life OS"),
        "budget_share_percent": FactSpec("number", "security budget as a percent of the IT budget (none if 0)"),
        "days_since_assessment": FactSpec("number", "days since the last independent assessment"),
        "assessment_max_days": FactSpec("number", "longest interval between assessments the profile allows "
                                                  "for the agency's highest level"),
        "pentest_max_days": FactSpec("number", "longest penetration-test interval for the highest level (none: "
                                               "not required)"),
        "vulnerability_scan_max_days": FactSpec("number", "longest vulnerability-scan interval for the highest level"),
        "log_retention_required_days": FactSpec("number", "log retention the profile requires at the highest level"),
        "device_kinds": FactSpec("list", "kinds of the agency's active security devices"),
        "redundant_device_kinds": FactSpec("list", "kinds with hot standby, load balancing or two active devices"),
        "firewall_ips": FactSpec("bool", "an active IPS, or an active firewall with IPS enabled"),
        "zone_kinds": FactSpec("list", "kinds of the agency's network zones"),
        "internet_facing_servers": FactSpec("number", "active Internet-facing servers"),
        "annual_report_due": FactSpec("date", "the latest 20 December on or before as-of"),
        "annual_report_window_start": FactSpec("date", "1 November of that year: earliest on-time submission"),
    },
    "system": {
        "server_count": FactSpec("number", "servers the system runs on"),
        "restore_test_max_days": FactSpec("number", "longest restore-test interval for the level (none: not "
                                                    "required)"),
        "vulnerability_scan_max_days": FactSpec("number", "longest vulnerability-scan interval for the level"),
    },
    "server": {
        "system_level": FactSpec("number", "highest level of the systems running on it (0: none)"),
        "os_eol_passed": FactSpec("bool", "its OS reached end of life on or before as-of (none: unknown)"),
        "days_since_patch": FactSpec("number", "days since last patched (none: never)"),
        "signature_age_days": FactSpec("number", "age of the anti-malware signatures (none: unknown)"),
    },
    "workstation": {
        "os_eol_passed": FactSpec("bool", "its OS reached end of life on or before as-of (none: unknown)"),
        "days_since_patch": FactSpec("number", "days since last patched (none: never)"),
        "signature_age_days": FactSpec("number", "age of the anti-malware signatures (none: unknown)"),
    },
    "workstation_group": {
        "licensed_ratio": FactSpec("number", "licensed anti-malware / networked (none if 0 networked)"),
        "managed_ratio": FactSpec("number", "centrally managed anti-malware / networked"),
        "signatures_current_ratio": FactSpec("number", "current signatures / networked"),
        "patched_ratio": FactSpec("number", "patched in the last 30 days / networked"),
        "eol_os_count": FactSpec("number", "computers on an OS past its end of life"),
    },
    "security_device": {},
    "zone_link": {
        "from_kind": FactSpec("str", "kind of the source zone ('internet' for the Internet; none if unknown)"),
        "to_kind": FactSpec("str", "kind of the target zone"),
    },
}


@dataclass(frozen=True)
class FactEnv:
    """What facts are computed from besides the entity: date, profile parameters, inventory indexes."""

    as_of: dt.date
    params: Mapping[str, Any]
    server_levels: Mapping[str, int]
    network_zone_kinds: Mapping[str, str]

    @classmethod
    def build(cls, inventory: Inventory, as_of: dt.date, params: Mapping[str, Any]) -> FactEnv:
        levels: dict[str, int] = {}
        for agency in inventory.agencies:
            for system in agency.systems:
                for host in system.servers:
                    levels[host] = max(levels.get(host, 0), system.level)
        zones = {z.id: z.kind.value for z in inventory.network.zones}
        return cls(as_of, params, levels, zones)

    def level_param(self, stem: str, level: int) -> Any:
        """`<stem>_level<N>` for the level, or None when the profile sets none for it."""
        return self.params.get(f"{stem}_level{level}") if level > 0 else None


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _days(as_of: dt.date, when: dt.date | None) -> int | None:
    return (as_of - when).days if when is not None else None


def _eol(as_of: dt.date, end: dt.date | None) -> bool | None:
    return end <= as_of if end is not None else None


def organisation_facts(org: Organisation, inventory: Inventory, env: FactEnv) -> dict[str, Any]:
    """Facts of the organisation (the province)."""
    levels = [s.level for a in inventory.agencies for s in a.systems]
    return {"agency_count": len(inventory.agencies), "max_system_level": max(levels, default=0)}


def agency_facts(agency: Agency, env: FactEnv) -> dict[str, Any]:
    """Facts of one agency: levels, coverage, budget, intervals required under the profile."""
    as_of, params = env.as_of, env.params
    level = max((s.level for s in agency.systems), default=0)
    sig_max = int(params.get("signature_max_days", 7))
    networked = licensed = managed = current = eol = 0
    for group in agency.workstation_groups:
        networked += group.networked
        licensed += group.anti_malware_licensed
        managed += group.anti_malware_centrally_managed
        current += group.signatures_current
        eol += sum(o.count for o in group.os if o.end_of_life is not None and o.end_of_life <= as_of)
    hosts: list[Server | Workstation] = [*agency.servers, *agency.workstations]
    for host in hosts:
        if host.status != AssetStatus.ACTIVE:
            continue
        networked += 1
        malware = host.anti_malware
        licensed += malware.installed and malware.licensed
        managed += malware.installed and malware.centrally_managed
        current += malware.installed and malware.signature_date is not None \
            and (as_of - malware.signature_date).days <= sig_max
        eol += host.os.end_of_life is not None and host.os.end_of_life <= as_of
    devices = [d for d in agency.security_devices if d.status == AssetStatus.ACTIVE]
    kinds: dict[str, int] = {}
    for device in devices:
        kinds[device.kind.value] = kinds.get(device.kind.value, 0) + 1
    redundant = {d.kind.value for d in devices if d.redundancy in (Redundancy.HOT_STANDBY, Redundancy.LOAD_BALANCED)}
    redundant.update(k for k, n in kinds.items() if n >= 2)
    record = agency.layers.assessment.last_independent_assessment
    due_year = as_of.year if (as_of.month, as_of.day) >= (12, 20) else as_of.year - 1
    stem_level = level if level >= 3 else 0
    return {
        "max_system_level": level,
        "system_count": len(agency.systems),
        "has_citizen_facing_system": any(s.citizen_facing or s.business_facing for s in agency.systems),
        "endpoints_networked": networked,
        "anti_malware_licensed_ratio": _ratio(licensed, networked),
        "anti_malware_managed_ratio": _ratio(managed, networked),
        "anti_malware_current_ratio": _ratio(current, networked),
        "eol_os_count": eol,
        "budget_share_percent": (round(100 * agency.security_budget_million_vnd / agency.it_budget_million_vnd, 2)
                                 if agency.it_budget_million_vnd else None),
        "days_since_assessment": _days(as_of, record.date if record else None),
        "assessment_max_days": (env.level_param("assessment_max_days", stem_level)
                                or params.get("assessment_max_days_organisation")),
        "pentest_max_days": env.level_param("pentest_max_days", level),
        "vulnerability_scan_max_days": env.level_param("vulnerability_scan_max_days", level),
        "log_retention_required_days": env.level_param("log_retention_days", level) or 0,
        "device_kinds": sorted(kinds),
        "redundant_device_kinds": sorted(redundant),
        "firewall_ips": "ips" in kinds or any(d.kind.value == "firewall" and d.ips_enabled for d in devices),
        "zone_kinds": sorted({z.kind.value for z in agency.zones}),
        "internet_facing_servers": sum(1 for s in agency.servers
                                       if s.internet_facing and s.status == AssetStatus.ACTIVE),
        "annual_report_due": dt.date(due_year, 12, 20),
        "annual_report_window_start": dt.date(due_year, 11, 1),
    }


def _system_facts(system: InformationSystem, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    return {"server_count": len(system.servers),
            "restore_test_max_days": env.level_param("restore_test_max_days", system.level),
            "vulnerability_scan_max_days": env.level_param("vulnerability_scan_max_days", system.level)}


def _host_facts(host: Server | Workstation, env: FactEnv) -> dict[str, Any]:
    return {"os_eol_passed": _eol(env.as_of, host.os.end_of_life),
            "days_since_patch": _days(env.as_of, host.last_patched),
            "signature_age_days": _days(env.as_of, host.anti_malware.signature_date)}


def _server_facts(server: Server, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    facts = _host_facts(server, env)
    facts["system_level"] = env.server_levels.get(server.hostname, 0)
    return facts


def _workstation_facts(host: Workstation, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    return _host_facts(host, env)


def _group_facts(group: WorkstationGroup, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    n = group.networked
    return {"licensed_ratio": _ratio(group.anti_malware_licensed, n),
            "managed_ratio": _ratio(group.anti_malware_centrally_managed, n),
            "signatures_current_ratio": _ratio(group.signatures_current, n),
            "patched_ratio": _ratio(group.patched_last_30_days, n),
            "eol_os_count": sum(o.count for o in group.os if o.end_of_life is not None and o.end_of_life <= env.as_of)}


def _zone_kind(zone_id: str, agency: Agency | None, env: FactEnv) -> str | None:
    if zone_id == "internet":
        return "internet"
    if agency is not None:
        for zone in agency.zones:
            if zone.id == zone_id:
                return zone.kind.value
    return env.network_zone_kinds.get(zone_id)


def _link_facts(link: ZoneLink, agency: Agency | None, env: FactEnv) -> dict[str, Any]:
    return {"from_kind": _zone_kind(link.from_zone, agency, env), "to_kind": _zone_kind(link.to_zone, agency, env)}


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
