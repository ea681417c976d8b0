"""The things checks apply to: every agency, system, server... with a stable name and its owner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from secassess.inventory.model import Agency, AssetStatus, Inventory, ZoneLink

ENTITY_MODELS: dict[str, str] = {
    "system": "systems", "server": "servers", "workstation_group": "workstation_groups",
    "workstation": "workstations", "security_device": "security_devices", "zone_link": "zone_links",
}
"""Agency list field holding each kind of per-agency entity."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One checkable thing: `name` is stable across runs (waivers and diffs key on it)."""

    name: str
    kind: str
    model: BaseModel
    agency: Agency | None
    retired: bool = False
    """Decommissioned asset: every check on it is not applicable."""

    @property
    def group(self) -> str:
        """The owning agency id ("" for the organisation and province-wide links)."""
        return self.agency.id if self.agency is not None else ""


def _key(kind: str, model: BaseModel) -> str:
    if isinstance(model, ZoneLink):
        return f"{model.from_zone}->{model.to_zone}"
    return str(getattr(model, "hostname", None) or getattr(model, "id"))  # noqa: B009


def organisation_entity(inventory: Inventory) -> Entity:
    return Entity(f"organisation:{inventory.organisation.code}", "organisation", inventory.organisation, None)


def agency_entities(agency: Agency) -> Iterator[Entity]:
    """The agency itself, then its assets, in inventory order."""
    prefix = f"agency:{agency.id}"
    yield Entity(prefix, "agency", agency, agency)
    for kind, attr in ENTITY_MODELS.items():
        seen: dict[str, int] = {}
        for model in getattr(agency, attr):
            key = _key(kind, model)
            seen[key] = seen.get(key, 0) + 1
            suffix = f"#{seen[key]}" if seen[key] > 1 else ""
            yield Entity(f"{prefix}/{kind}:{key}{suffix}", kind, model, agency,
                         getattr(model, "status", None) == AssetStatus.DECOMMISSIONED)


def link_entities(inventory: Inventory) -> Iterator[Entity]:
    """The province-wide network links (owned by no agency)."""
    seen_links: dict[str, int] = {}
    for link in inventory.network.links:
        key = _key("zone_link", link)
        seen_links[key] = seen_links.get(key, 0) + 1
        suffix = f"#{seen_links[key]}" if seen_links[key] > 1 else ""
        yield Entity(f"network/zone_link:{key}{suffix}", "zone_link", link, None)


def iter_entities(inventory: Inventory) -> Iterator[Entity]:
    """Every entity in inventory order: organisation, then each agency and its assets, then network links."""
    yield organisation_entity(inventory)
    for agency in inventory.agencies:
        yield from agency_entities(agency)
    yield from link_entities(inventory)
