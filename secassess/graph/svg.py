"""An inline SVG picture of one agency's network: zones as boxes, links labelled with their controls.

Pure string building, deterministic (columns by hop distance from the internet, rows by id), and
every piece of text XML-escaped: zone names come from the inventory and are attacker-controlled.
"""

from __future__ import annotations

from html import escape

from secassess.errors import UsageError
from secassess.graph.model import INTERNET, ZONE, Link, NetworkGraph

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 170, 54, 90, 36, 20


def _x(text: object) -> str:
    """Text or attribute value, XML-escaped (quotes included)."""
    return escape(str(text), quote=True)


_WORDS = {"en": ("Network of {agency}", "{kind} · {hosts} hosts"),
          "vi": ("Mạng của {agency}", "{kind} · {hosts} máy")}


def agency_svg(graph: NetworkGraph, agency: str, lang: str = "en") -> str:
    """The SVG of `agency`'s zones, the internet and the province-wide zones its links touch; its words in
    `lang` (vi or en), zone kinds by their labels."""
    from secassess.labels import value_label

    title, detail_form = _WORDS["vi" if lang == "vi" else "en"]
    agency_ids = {a.id for a in graph.loaded.inventory.agencies}
    if agency not in agency_ids:
        raise UsageError(f"no agency {agency!r} in the inventory")
    own = {n.id for n in graph.by_agency.get(agency, ()) if n.kind == ZONE}
    pairs: dict[tuple[str, str], list[Link]] = {}
    for link in graph.links:
        if link.source in own or link.target in own:
            pairs.setdefault((link.source, link.target), []).append(link)
    shown = own | {e for pair in pairs for e in pair}
    inside = set(shown)
    dist, _ = graph.zones.bfs([INTERNET] if INTERNET in shown else [], expand=inside.__contains__)
    last = max(dist.values(), default=0) + 1
    columns: dict[int, list[str]] = {}
    for zone in sorted(shown):
        columns.setdefault(dist.get(zone, last), []).append(zone)
    place: dict[str, tuple[int, int]] = {}
    for col, (_, zones) in enumerate(sorted(columns.items())):
        for row, zone in enumerate(zones):
            place[zone] = (MARGIN + col * (BOX_W + GAP_X), MARGIN + 30 + row * (BOX_H + GAP_Y))
    width = MARGIN * 2 + len(columns) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + 30 + max((len(z) for z in columns.values()), default=1) * (BOX_H + GAP_Y) - GAP_Y
    marker = f"arrow-{agency}"  # ids stay unique when several pictures share one page
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="secassess-network" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_x(title.format(agency=agency))}">',
           f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
           f'<text x="{MARGIN}" y="{MARGIN + 10}" font-weight="bold">{_x(title.format(agency=agency))}</text>']
    for (source, target), parallel in sorted(pairs.items()):
        (x1, y1), (x2, y2) = place[source], place[target]
        ax, ay, bx, by = x1 + BOX_W // 2, y1 + BOX_H // 2, x2 + BOX_W // 2, y2 + BOX_H // 2
        both = all(x.bidirectional for x in parallel)
        ends = f'marker-end="url(#{marker})"' + (f' marker-start="url(#{marker})"' if both else "")
        dash = ' stroke-dasharray="6 4"' if any(x.control_names == ("none",) for x in parallel) else ""
        label = " | ".join(dict.fromkeys(" ".join(x.control_names) for x in parallel))
        out.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="#555"{dash} {ends}/>')
        out.append(f'<text x="{(ax + bx) // 2}" y="{(ay + by) // 2 - 4}" font-size="11" text-anchor="middle">'
                   f'{_x(label)}</text>')
    for zone in sorted(shown):
        x, y = place[zone]
        node = graph.nodes[zone]
        hosts = len(graph.members.get(zone, ()))
        fill = "#fde2e2" if zone == INTERNET else ("#e8f0fe" if zone in own else "#eeeeee")
        out.append(f'<g class="zone" data-node="{_x(zone)}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" '
                   f'rx="{BOX_H // 2 if zone == INTERNET else 6}" fill="{fill}" stroke="#333"/>')
        out.append(f'<text x="{x + 8}" y="{y + 20}" font-size="13">{_x(node.label or node.name)}</text>')
        detail = "Internet" if zone == INTERNET else \
            detail_form.format(kind=value_label("ZoneKind", node.subkind or "", lang) if lang == "vi" else node.subkind,
                               hosts=hosts)
        out.append(f'<text x="{x + 8}" y="{y + 40}" font-size="11" fill="#555">{_x(detail)}</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
