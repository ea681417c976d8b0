"""The things checks apply to: every agency, system, server... with a stable name and its owner.

A province-wide link (`network.links`) that touches an agency's zone belongs to that agency (the
`from` end's owner first), so its findings count for the agency whose network it opens; links
between province-wide zones and the Internet stay the province's. A list of entities an agency does
not write at all (`servers:` absent, as opposed to `servers: []`) is *not stated*: `unstated_lists`
names them, and the engine reports every check of that kind as lacking data on a stand-in entity
`agency:<id>/<kind>:*`, so leaving a list out can never score better than declaring it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from secassess.inventory.model import INTERNET_ZONE, Agency, AssetStatus, Inventory, ZoneLink, stated

ENTITY_MODELS: dict[str, str] = {
    "system": "systems", "server": "servers", "workstation_group": "workstation_groups",
    "workstation": "workstations", "security_device": "security_devices", "zone_link": "zone_links",
}
"""Agency list field holding each kind of per-agency entity."""

UNSTATED = "*"
"""The key of the stand-in entity for a list the inventory does not write (`agency:a/server:*`)."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One checkable thing: `name` is stable across runs (waivers and diffs key on it)."""

    name: str
    kind: str
    model: BaseModel
    agency: Agency | None
    retired: bool | None = False
    """Decommissioned asset: every check on it is not applicable (None: its status is not stated, so
    whether checks apply is unknown)."""

    @property
    def group(self) -> str:
        """The owning agency id ("" for the organisation and links between province-wide zones)."""
        return self.agency.id if self.agency is not None else ""


def _key(kind: str, model: BaseModel) -> str:
    if isinstance(model, ZoneLink):
        return f"{model.from_zone}->{model.to_zone}"
    return str(getattr(model, "hostname", None) or getattr(model, "id"))  # noqa: B009


def zone_owners(inventory: Inventory) -> dict[str, Agency | None]:
    """Zone name -> owning agency, as a province-wide link names it: a province-wide zone (None), a zone
    id only one agency declares, or `<agency>.<zone>`. Ambiguous ids are left out."""
    owners: dict[str, Agency | None] = {z.id: None for z in inventory.network.zones}
    seen: dict[str, list[Agency]] = {}
    for agency in inventory.agencies:
        for zone in agency.zones:
            seen.setdefault(zone.id, []).append(agency)
            owners[f"{agency.id}.{zone.id}"] = agency
    for zone_id, agencies in seen.items():
        if zone_id not in owners and len(agencies) == 1:
            owners[zone_id] = agencies[0]
    return owners


def link_owner(link: ZoneLink, owners: Mapping[str, Agency | None]) -> Agency | None:
    """The agency a province-wide link belongs to: the owner of its `from` zone, else of its `to` zone."""
    for name in (link.from_zone, link.to_zone):
        if name != INTERNET_ZONE and owners.get(name) is not None:
            return owners[name]
    return None


def _retired(model: BaseModel) -> bool | None:
    if "status" not in type(model).model_fields:
        return False
    status = getattr(model, "status")  # noqa: B009
    return None if status is None else status is AssetStatus.DECOMMISSIONED


def organisation_entity(inventory: Inventory) -> Entity:
    return Entity(f"organisation:{inventory.organisation.code}", "organisation", inventory.organisation, None)


def agency_entities(agency: Agency) -> Iterator[Entity]:
    """The agency itself, then its assets, in inventory order (province-wide links it owns: `link_entities`)."""
    prefix = f"agency:{agency.id}"
    yield Entity(prefix, "agency", agency, agency)
    for kind, attr in ENTITY_MODELS.items():
        seen: dict[str, int] = {}
        for model in getattr(agency, attr):
            key = _key(kind, model)
            seen[key] = seen.get(key, 0) + 1
            suffix = f"#{seen[key]}" if seen[key] > 1 else ""
            yield Entity(f"{prefix}/{kind}:{key}{suffix}", kind, model, agency, _retired(model))


def link_entities(inventory: Inventory) -> Iterator[Entity]:
    """The province-wide network links, each with the agency that owns it (None: the province's)."""
    owners = zone_owners(inventory) if inventory.network.links else {}
    seen_links: dict[str, int] = {}
    for link in inventory.network.links:
        key = _key("zone_link", link)
        seen_links[key] = seen_links.get(key, 0) + 1
        suffix = f"#{seen_links[key]}" if seen_links[key] > 1 else ""
        yield Entity(f"network/zone_link:{key}{suffix}", "zone_link", link, link_owner(link, owners))


def iter_entities(inventory: Inventory) -> Iterator[Entity]:
    """Every entity in inventory order: organisation, then each agency and its assets, then network links."""
    yield organisation_entity(inventory)
    for agency in inventory.agencies:
        yield from agency_entities(agency)
    yield from link_entities(inventory)


def unstated_lists(inventory: Inventory) -> Iterator[tuple[str, str, Agency | None, BaseModel, str]]:
    """(stand-in entity name, kind, agency, the model that should write the list, its key) per list not written."""
    for agency in inventory.agencies:
        for kind, attr in ENTITY_MODELS.items():
            if not stated(agency, attr):
                yield f"agency:{agency.id}/{kind}:{UNSTATED}", kind, agency, agency, attr
    if not stated(inventory.network, "links") or not stated(inventory, "network"):
        yield f"network/zone_link:{UNSTATED}", "zone_link", None, inventory, "network.links"
        for agency in inventory.agencies:  # province-wide links may open any agency's zones
            if agency.zones:
                yield f"network/zone_link:{UNSTATED}@{agency.id}", "zone_link", agency, inventory, "network.links"
