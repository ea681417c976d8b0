"""Lint beyond the schema: unique names, references that resolve, consistent counts, dates, secrets."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from secassess.diagnostics import Severity
from secassess.errors import SourcePos
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import CURRENT_KINDS, INTERNET_ZONE, Agency, Inventory, WorkstationGroup
from secassess.scan.targets import is_private_network
from secassess.textsafe import control_characters

FUTURE_ALLOWED_FIELDS = frozenset({"end_of_life", "contract_until"})
"""Date fields that legitimately lie in the future."""

_SECRET_VALUE = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|\b(?:password|passwd|pwd|mật khẩu|secret|community|api[_-]?key|token)\s*[:=]\s*\S{3,}",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One problem found in an inventory."""

    rule_id: str
    severity: Severity
    message: str
    location: SourcePos


LINT_RULES: dict[str, tuple[str, Severity]] = {
    "SA-LINT-YAML": ("The file is valid, safe YAML", Severity.HIGH),
    "SA-LINT-SCHEMA": ("The inventory matches the schema", Severity.HIGH),
    "SA-LINT-DUPLICATE": ("Identifiers, hostnames and addresses are unique", Severity.HIGH),
    "SA-LINT-REFERENCE": ("Every reference resolves", Severity.HIGH),
    "SA-LINT-COUNT": ("Workstation counts are consistent", Severity.HIGH),
    "SA-LINT-FUTURE-DATE": ("Dates of past events are not in the future", Severity.HIGH),
    "SA-LINT-SECRET": ("No secrets are kept in the inventory", Severity.CRITICAL),
    "SA-LINT-SCOPE": ("Lab hosts lie inside the lab scan scope", Severity.HIGH),
    "SA-LINT-SCOPE-PUBLIC": ("The lab scan scope lies in private or loopback ranges", Severity.MEDIUM),
    "SA-LINT-CONTROL-CHAR": ("Text holds no control characters (escape sequences, NUL, bidi overrides)",
                             Severity.HIGH),
    "SA-LINT-RESERVED-ID": ("Agency ids do not collide with the report's own file names", Severity.HIGH),
    "SA-LINT-LEGACY-KIND": ("Agency kinds are those of local government since 1 July 2025", Severity.INFO),
}

RESERVED_AGENCY_ID = re.compile(r"index(?:-[0-9]+)?\Z")
"""The province summary's pages (`index.html`, `index-2.html`, ...) share the report folder with `<agency>.html`."""


class _Linter:
    def __init__(self, loaded: LoadedInventory, as_of: dt.date) -> None:
        self.loaded = loaded
        self.as_of = as_of
        self.problems: list[LintProblem] = []

    def add(self, rule_id: str, message: str, model: BaseModel, field: str | None = None,
            index: int | None = None) -> None:
        self.problems.append(LintProblem(rule_id, LINT_RULES[rule_id][1], message,
                                         self.loaded.position(model, field, index)))

    def unique(self, kind: str, items: Iterator[tuple[str, BaseModel, str]]) -> set[str]:
        """Report repeats of a name; return the set of names."""
        seen: dict[str, BaseModel] = {}
        for name, model, field in items:
            first = seen.get(name)
            if first is None:
                seen[name] = model
            else:
                where = self.loaded.position(first, field)
                self.add("SA-LINT-DUPLICATE", f"{kind} '{name}' is declared twice (first at line {where.line}); "
                                              "give each its own", model, field)
        return set(seen)

    def resolve(self, kind: str, name: str | None, known: set[str], model: BaseModel, field: str) -> None:
        if name is not None and name not in known:
            guess = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"declare the {kind} or fix the name"
            key = type(model).model_fields[field].alias or field
            self.add("SA-LINT-REFERENCE", f"{key} names {kind} '{name}', which is not declared; {hint}",
                     model, field)


def lint_inventory(loaded: LoadedInventory, as_of: dt.date) -> list[LintProblem]:
    """Every referential, consistency, date and secret problem, in file order."""
    linter = _Linter(loaded, as_of)
    inventory = loaded.inventory
    agencies = inventory.agencies
    agency_ids = linter.unique("agency id", ((a.id, a, "id") for a in agencies))
    for agency in agencies:
        if agency.kind not in CURRENT_KINDS:
            linter.add("SA-LINT-LEGACY-KIND", f"kind '{agency.kind.value}' is a People's Committee level abolished on "
                                              "1 July 2025 (two-level local government); still accepted, but use "
                                              "'ward_commune' for the commune or ward that took over its area, or "
                                              "'department' / 'shared_centre'", agency, "kind")
        if RESERVED_AGENCY_ID.match(agency.id):
            linter.add("SA-LINT-RESERVED-ID", f"agency id '{agency.id}' is the name of a province summary page "
                                              f"({agency.id}.html) in the reports; choose another id", agency, "id")
    linter.unique("system id", ((s.id, s, "id") for a in agencies for s in a.systems))
    linter.unique("hostname", _hostnames(agencies))
    linter.unique("address", _addresses(agencies))
    zone_ids = linter.unique("zone id", ((z.id, z, "id") for z in _zones(inventory)))
    zone_ids.add(INTERNET_ZONE)
    device_ids = linter.unique("security device id", ((d.id, d, "id") for a in agencies for d in a.security_devices))
    linter.unique("workstation group id", ((g.id, g, "id") for a in agencies for g in a.workstation_groups))
    centre_ids = linter.unique("data centre id", ((c.id, c, "id") for a in agencies for c in a.data_centres))
    server_hostnames = {s.hostname.lower() for a in agencies for s in a.servers}
    for agency in agencies:
        linter.resolve("agency", agency.parent, agency_ids, agency, "parent")
        for system in agency.systems:
            for hostname in system.servers:
                linter.resolve("server", hostname.lower(), server_hostnames, system, "servers")
        for server in agency.servers:
            linter.resolve("zone", server.zone, zone_ids, server, "zone")
            linter.resolve("data centre", server.data_centre, centre_ids, server, "data_centre")
        for group in agency.workstation_groups:
            linter.resolve("zone", group.zone, zone_ids, group, "zone")
            _check_counts(linter, group)
        for workstation in agency.workstations:
            linter.resolve("zone", workstation.zone, zone_ids, workstation, "zone")
        for device in agency.security_devices:
            linter.resolve("zone", device.zone, zone_ids, device, "zone")
    for link in (*inventory.network.links, *(link for a in agencies for link in a.zone_links)):
        linter.resolve("zone", link.from_zone, zone_ids, link, "from_zone")
        linter.resolve("zone", link.to_zone, zone_ids, link, "to_zone")
        for device_id in link.devices:
            linter.resolve("security device", device_id, device_ids, link, "devices")
    _check_lab_scope(linter, inventory)
    _walk_values(linter, inventory)
    return sorted(linter.problems, key=lambda p: (p.location.line, p.location.column, p.rule_id))


def _hostnames(agencies: list[Agency]) -> Iterator[tuple[str, BaseModel, str]]:
    for agency in agencies:
        for server in agency.servers:
            yield server.hostname.lower(), server, "hostname"
        for workstation in agency.workstations:
            yield workstation.hostname.lower(), workstation, "hostname"


def _addresses(agencies: list[Agency]) -> Iterator[tuple[str, BaseModel, str]]:
    for agency in agencies:
        for server in agency.servers:
            for address in server.addresses:
                yield str(address), server, "addresses"
        for workstation in agency.workstations:
            if workstation.address is not None:
                yield str(workstation.address), workstation, "address"
        for device in agency.security_devices:
            if device.address is not None:
                yield str(device.address), device, "address"


def _zones(inventory: Inventory) -> Iterator[Any]:
    yield from inventory.network.zones
    for agency in inventory.agencies:
        yield from agency.zones


def _check_counts(linter: _Linter, group: WorkstationGroup) -> None:
    for field in ("anti_malware_licensed", "anti_malware_centrally_managed", "signatures_current",
                  "patched_last_30_days", "edr"):
        value = getattr(group, field)
        if value is not None and value > group.networked:
            linter.add("SA-LINT-COUNT", f"{field} ({value}) is more than networked ({group.networked}); "
                                        "a count cannot exceed the computers in the group", group, field)
    total = sum(item.count for item in group.os)
    if group.os and total != group.networked:
        linter.add("SA-LINT-COUNT", f"os counts add up to {total}, but networked is {group.networked}; "
                                    "make them agree", group, "os")


def _check_lab_scope(linter: _Linter, inventory: Inventory) -> None:
    scope = inventory.lab_scope.cidrs
    for index, network in enumerate(scope):
        if not is_private_network(network):
            linter.add("SA-LINT-SCOPE-PUBLIC", f"lab_scope network {network} reaches outside the private and "
                                               "loopback ranges; a scan of it would probe other people's hosts: "
                                               "narrow it to the lab's private networks (scanning public addresses "
                                               "needs `scan --allow-public-scope` on the command line)",
                       inventory.lab_scope, "cidrs", index)
    for agency in inventory.agencies:
        for server in agency.servers:
            if not server.lab:
                continue
            for address in server.addresses:
                if not any(address.version == net.version and address in net for net in scope):
                    linter.add("SA-LINT-SCOPE", f"lab server address {address} is outside lab_scope.cidrs; "
                                                "add its network to lab_scope or unmark `lab`", server, "addresses")


def _walk_values(linter: _Linter, root: BaseModel) -> None:
    """One pass over every field: future dates and secret-looking text."""
    as_of = linter.as_of
    todo: list[BaseModel] = [root]
    while todo:
        model = todo.pop()
        for name in type(model).model_fields:
            value = getattr(model, name)
            kind = type(value)
            if kind is dt.date:
                if value > as_of and name not in FUTURE_ALLOWED_FIELDS:
                    linter.add("SA-LINT-FUTURE-DATE", f"{name} {value} is after the assessment date {as_of}; "
                                                      "record only events that happened", model, name)
            elif kind is str:
                _check_text(linter, model, name, value)
                if _SECRET_VALUE.search(value):
                    linter.add("SA-LINT-SECRET", f"{name} looks like it holds a secret (password, key or community "
                                                 "string); remove it and keep secrets in a vault", model, name)
            elif isinstance(value, BaseModel):
                todo.append(value)
            elif kind is list:
                for item in value:
                    if isinstance(item, BaseModel):
                        todo.append(item)
                    elif type(item) is str:
                        _check_text(linter, model, name, item)
                        if _SECRET_VALUE.search(item):
                            linter.add("SA-LINT-SECRET", f"{name} looks like it holds a secret; remove it",
                                       model, name)


def _check_text(linter: _Linter, model: BaseModel, name: str, value: str) -> None:
    """Control characters hide or fake text on terminals, in CI logs and in reports (a line break is allowed)."""
    found = control_characters(value)
    if found:
        linter.add("SA-LINT-CONTROL-CHAR", f"{name} holds the control character(s) {', '.join(found)} (terminal "
                                           "escape sequences, NUL or bidirectional overrides make text show "
                                           "differently from what it is); remove them", model, name)
