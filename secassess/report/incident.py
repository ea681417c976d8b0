"""The blast radius of a compromised host as an incident report (HTML, Markdown, PDF) through the report templates.

`incident_view` turns a `BlastRadius` and its graph into read-only records in the report's language (names
from the inventory, English ones in an English report); `render_incident` prints them with
`blast_radius.html.j2` or `blast_radius.md.j2`. Long lists are cut (the first `ASSETS_PER_HOP` assets of each
hop distance, then "and K more") so that a host reaching a whole province still gives a page a browser opens;
the JSON output keeps everything. No clock is read: the date appears only when the caller gives one.
`incident_pdf` prints the HTML report through the sandboxed printer of report/pdf.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from secassess import __version__
from secassess.assessment.result import Contact
from secassess.graph.blast import CRITICAL_LEVEL, BlastRadius
from secassess.graph.model import DEVICE, SERVER, NetworkGraph
from secassess.graph.svg import agency_svg
from secassess.inventory.model import Agency
from secassess.report.i18n import check_language
from secassess.report.jinja_env import Renderer
from secassess.report.svgsafe import SafeSvg, checked_svg
from secassess.report.templates import shipped_templates_dir

TEMPLATES = {"html": "blast_radius.html.j2", "md": "blast_radius.md.j2"}
ASSETS_PER_HOP = 40
"""Assets listed per hop distance; the rest are counted ("and K more")."""
SYSTEMS_PER_ASSET = 4
SYSTEMS_SHOWN = 60
CONTACT_AGENCIES = 25
CHOKE_POINTS_SHOWN = 60
ROLES = {"incident_reporting_contact": "incident_reporting"}
"""Blast-radius role names -> the keys of the report's ROLE labels (macros.html.j2)."""


@dataclass(frozen=True, slots=True)
class IncidentMeta:
    lang: str
    organisation: str
    as_of: str | None
    """ISO date given by the caller, or None (then no date is printed)."""
    tool_version: str


@dataclass(frozen=True, slots=True)
class SystemView:
    entity: str
    name: str
    agency: str
    level: int


@dataclass(frozen=True, slots=True)
class HostView:
    id: str
    name: str
    kind: str
    agency: str
    agency_name: str
    zone: str
    zone_name: str
    level: int | None
    systems: tuple[SystemView, ...]


@dataclass(frozen=True, slots=True)
class AssetView:
    id: str
    name: str
    kind: str
    agency: str
    zone: str
    zone_name: str
    level: int | None
    critical: bool
    systems: tuple[str, ...]
    more_systems: int
    controls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HopGroup:
    hops: int
    count: int
    assets: tuple[AssetView, ...]
    more: int


@dataclass(frozen=True, slots=True)
class ContactsView:
    agency: str
    name: str
    own: bool
    """The compromised host's own agency."""
    critical: bool
    """The agency owns a reachable system of level >= 3."""
    people: tuple[Contact, ...]


@dataclass(frozen=True, slots=True)
class CutView:
    source: str
    source_name: str
    target: str
    target_name: str
    controls: tuple[str, ...]
    devices: tuple[str, ...]
    position: str


@dataclass(frozen=True, slots=True)
class Summary:
    assets: int
    servers: int
    workstations: int
    devices: int
    agencies: int
    systems: int
    critical_systems: int
    critical_servers: int
    max_hops: int


@dataclass(frozen=True, slots=True)
class IncidentView:
    meta: IncidentMeta
    through_filtering: bool
    host: HostView
    summary: Summary
    contacts: tuple[ContactsView, ...]
    more_contacts: int
    groups: tuple[HopGroup, ...]
    systems: tuple[SystemView, ...]
    more_systems: int
    choke_points: tuple[CutView, ...]
    more_choke_points: int
    inseparable: tuple[str, ...]

    def context(self, network_svg: SafeSvg | None) -> dict[str, Any]:
        return {"meta": self.meta, "incident": self, "network_svg": network_svg}


def _named(name: str, name_en: str | None, lang: str) -> str:
    return name_en if lang == "en" and name_en else name


def _system_names(agencies: Sequence[Agency], lang: str) -> dict[str, SystemView]:
    return {f"agency:{a.id}/system:{s.id}": SystemView(f"agency:{a.id}/system:{s.id}", _named(s.name, s.name_en, lang),
                                                         a.id, s.level)
            for a in agencies for s in a.systems}


def _zone(graph: NetworkGraph, zone: str | None) -> tuple[str, str]:
    if zone is None or zone not in graph.nodes:
        return "", ""
    node = graph.nodes[zone]
    return zone, node.label or node.name


def _groups(blast: BlastRadius, graph: NetworkGraph, systems: dict[str, SystemView],
            per_hop: int) -> tuple[HopGroup, ...]:
    by_hops: dict[int, list[AssetView]] = {}
    counts = Counter(a.hops for a in blast.assets)
    for a in blast.assets:
        shown = by_hops.setdefault(a.hops, [])
        if len(shown) >= per_hop:
            continue
        names = [systems[s].name if s in systems else s for s in a.systems]
        zone, zone_name = _zone(graph, a.zone)
        shown.append(AssetView(a.node, a.name, a.kind, a.agency or "", zone, zone_name, a.level,
                               a.kind == SERVER and (a.level or 0) >= CRITICAL_LEVEL,
                               tuple(names[:SYSTEMS_PER_ASSET]), max(0, len(names) - SYSTEMS_PER_ASSET),
                               a.controls_crossed))
    return tuple(HopGroup(h, counts[h], tuple(shown), counts[h] - len(shown)) for h, shown in sorted(by_hops.items()))


def _contacts(blast: BlastRadius, lang: str, names: dict[str, str],
              critical_agencies: set[str]) -> list[ContactsView]:
    """The host's agency first, then the agencies whose level >= 3 systems are reached, then the rest."""
    out = [ContactsView(c.agency, names.get(c.agency, c.name), c.agency == blast.agency, c.agency in critical_agencies,
                        tuple(Contact(ROLES.get(p.role, p.role), p.name, p.title or "", p.email or "",
                                         p.phone or "") for p in c.people))
           for c in blast.contacts]
    return sorted(out, key=lambda c: (not c.own, not c.critical, c.agency))


def incident_view(blast: BlastRadius, graph: NetworkGraph, lang: str = "vi", as_of: dt.date | None = None,
                  per_hop: int = ASSETS_PER_HOP) -> IncidentView:
    """The records the incident-report templates print, in `lang` ("vi" or "en")."""
    lang = check_language(lang)
    inventory = graph.loaded.inventory
    agency_names = {a.id: _named(a.name, a.name_en, lang) for a in inventory.agencies}
    systems = _system_names(inventory.agencies, lang)
    node = graph.nodes[blast.host]
    zone, zone_name = _zone(graph, blast.zone)
    host = HostView(blast.host, node.name, blast.kind, blast.agency or "",
                    agency_names.get(blast.agency or "", ""), zone, zone_name, node.level,
                    tuple(systems[s] for s in node.systems if s in systems))
    affected = tuple(systems.get(s.entity, SystemView(s.entity, s.name, s.agency, s.level)) for s in blast.systems)
    critical_agencies = {s.agency for s in affected if s.level >= CRITICAL_LEVEL}
    contacts = _contacts(blast, lang, agency_names, critical_agencies)
    kinds = Counter(a.kind for a in blast.assets)
    summary = Summary(len(blast.assets), kinds[SERVER], sum(n for k, n in kinds.items() if k.startswith("workstation")),
                      kinds[DEVICE], len({a.agency for a in blast.assets if a.agency} - {blast.agency}),
                      len(affected), sum(1 for s in affected if s.level >= CRITICAL_LEVEL),
                      len(blast.critical_servers), max((a.hops for a in blast.assets), default=0))
    cuts = [CutView(c.source, _zone(graph, c.source)[1], c.target, _zone(graph, c.target)[1], c.controls, c.devices,
                    str(c.position) if c.position else "") for c in blast.choke_points]
    org = _named(inventory.organisation.name, inventory.organisation.name_en, lang)
    return IncidentView(IncidentMeta(lang, org, as_of.isoformat() if as_of else None, __version__),
                        blast.through_filtering, host, summary, tuple(contacts[:CONTACT_AGENCIES]),
                        max(0, len(contacts) - CONTACT_AGENCIES), _groups(blast, graph, systems, per_hop),
                        affected[:SYSTEMS_SHOWN], max(0, len(affected) - SYSTEMS_SHOWN),
                        tuple(cuts[:CHOKE_POINTS_SHOWN]), max(0, len(cuts) - CHOKE_POINTS_SHOWN), blast.inseparable)


def network_picture(blast: BlastRadius, graph: NetworkGraph) -> SafeSvg | None:
    """The compromised host's agency network as checked SVG; None for a host outside any agency."""
    if not blast.agency:
        return None
    return checked_svg(agency_svg(graph, blast.agency), f"network picture of {blast.agency}")


def render_incident(blast: BlastRadius, graph: NetworkGraph, fmt: str, lang: str = "vi",
                    as_of: dt.date | None = None, per_hop: int = ASSETS_PER_HOP) -> str:
    """The incident report as `fmt` ("html" with the agency's network picture, or "md")."""
    view = incident_view(blast, graph, lang, as_of, per_hop)
    picture = network_picture(blast, graph) if fmt == "html" else None
    return Renderer(view.meta.lang, shipped_templates_dir()).render(TEMPLATES[fmt], view.context(picture))


def incident_pdf(html: str, as_of: dt.date | None = None, engine: str | None = None) -> bytes:
    """The HTML incident report printed to PDF (dated by `as_of`, undated without); needs Chromium (exit 3)."""
    from secassess.report.pdf import PdfPrinter  # the browser driver loads only for a PDF

    with PdfPrinter(engine, as_of) as printer:
        return printer.print_html(html, "blast-radius.html")
