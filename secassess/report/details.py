"""What a report shows about an agency that the result document does not carry: names, contacts, systems.

Read from the inventory when the caller has it (display only: nothing here is checked or scored).
"""

from __future__ import annotations

from dataclasses import dataclass

from secassess.inventory.model import Agency, Contact, Inventory


@dataclass(frozen=True, slots=True)
class ContactInfo:
    role: str
    """`security_officer`, `leader` or `incident_reporting`."""
    name: str
    title: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class SystemInfo:
    id: str
    name: str
    name_en: str
    level: int
    approved: bool


@dataclass(frozen=True, slots=True)
class AgencyDetails:
    name_en: str
    kind: str
    contacts: tuple[ContactInfo, ...]
    systems: tuple[SystemInfo, ...]
    """Highest level first."""


@dataclass(frozen=True, slots=True)
class InventoryDetails:
    organisation_name_en: str
    agencies: dict[str, AgencyDetails]


def _contact(role: str, contact: Contact | None) -> tuple[ContactInfo, ...]:
    if contact is None:
        return ()
    return (ContactInfo(role, contact.name, contact.title or "", contact.email or "", contact.phone or ""),)


def _agency(agency: Agency) -> AgencyDetails:
    contacts = (_contact("security_officer", agency.security_officer) + _contact("leader", agency.leader)
                + _contact("incident_reporting", agency.layers.on_site.incident_reporting_contact))
    systems = sorted(agency.systems, key=lambda s: (-s.level, s.id))
    return AgencyDetails(agency.name_en or "", agency.kind.value, contacts,
                         tuple(SystemInfo(s.id, s.name, s.name_en or "", s.level, s.approval.approved is True)
                               for s in systems))


def inventory_details(inventory: Inventory) -> InventoryDetails:
    """Names, contacts and systems of every agency, by agency id."""
    return InventoryDetails(inventory.organisation.name_en or "", {a.id: _agency(a) for a in inventory.agencies})
