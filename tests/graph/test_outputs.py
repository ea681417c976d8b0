"""Exports (GraphML re-read by networkx, DOT, JSON), the SVG picture and the service functions."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from secassess.errors import InputError, UsageError
from secassess.graph.build import build_graph
from secassess.graph.export import export, to_dot, to_graphml, to_json
from secassess.graph.service import blast_radius_command, graph_command
from secassess.graph.svg import agency_svg
from tests.graph.conftest import GOOD_AGENCY, HEAD, inventory

HOSTILE = GOOD_AGENCY.replace("name: DMZ,", "name: '<script>alert(\"x\")</script> & co',")


def test_graphml_round_trip() -> None:
    graph = build_graph(inventory(GOOD_AGENCY))
    reread = nx.read_graphml(io.BytesIO(to_graphml(graph).encode()))
    assert reread.number_of_nodes() == graph.full.number_of_nodes()
    assert reread.number_of_edges() == graph.full.number_of_edges()
    assert reread.edges["internet", "agency:stttt/zone:edge"]["controls"] == "none"
    assert reread.nodes["agency:stttt/server:db01"]["level"] == 3


def test_json_is_node_link() -> None:
    data = json.loads(to_json(build_graph(inventory(GOOD_AGENCY))))
    assert data["directed"] is True
    assert {"source": "agency:stttt/zone:edge", "target": "agency:stttt/zone:dmz"}.items() <= next(
        e for e in data["links"] if e["source"] == "agency:stttt/zone:edge" and e["target"].endswith("dmz")).items()


def test_dot_quotes_names() -> None:
    dot = to_dot(build_graph(inventory(HOSTILE)))
    assert dot.startswith("digraph network {")
    assert 'label="<script>alert(\\"x\\")</script> & co\\ndmz"' in dot
    assert export(build_graph(inventory(GOOD_AGENCY)), "dot") == to_dot(build_graph(inventory(GOOD_AGENCY)))
    with pytest.raises(UsageError):
        export(build_graph(inventory(GOOD_AGENCY)), "png")


def test_svg_escapes_names_and_is_deterministic() -> None:
    graph = build_graph(inventory(HOSTILE))
    svg = agency_svg(graph, "stttt")
    assert "<script" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    ET.fromstring(svg)  # well-formed XML
    assert svg == agency_svg(build_graph(inventory(HOSTILE)), "stttt")
    assert svg.count('class="zone"') == 9  # eight zones and the internet
    with pytest.raises(UsageError):
        agency_svg(graph, "nobody")


def test_service_functions(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD + "agencies:\n" + "".join("  " + line + "\n" for line in GOOD_AGENCY.splitlines()))
    assert graph_command(str(path)) == "no graph findings\n"
    assert graph_command(str(path), "graphml").startswith("<?xml")
    assert json.loads(blast_radius_command(str(path), "pc01", "json"))["host"] == "agency:stttt/workstation:pc01"
    with pytest.raises(UsageError):
        blast_radius_command(str(path), "pc01", "pdf")
    with pytest.raises(InputError):
        graph_command(str(tmp_path / "missing.yaml"))


def test_findings_text_shows_the_path_hop_by_hop(tmp_path: Path) -> None:
    agency = GOOD_AGENCY.replace("  zone_links:\n", "  zone_links:\n    - {from: internet, to: srv, controls: []}\n")
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD + "agencies:\n" + "".join("  " + line + "\n" for line in agency.splitlines()))
    text = graph_command(str(path))
    assert "critical: [internet_unfiltered]" in text
    assert f"-> agency:stttt/zone:srv via none  ({path}:" in text


def test_analysis_context_is_json_serialisable() -> None:
    from secassess.graph.analysis import analyse
    from secassess.graph.render import analysis_context

    agency = GOOD_AGENCY.replace("  zone_links:\n", "  zone_links:\n    - {from: internet, to: srv, controls: []}\n")
    context = analysis_context(analyse(build_graph(inventory(agency))))
    data = json.loads(json.dumps(context, sort_keys=True))
    (finding,) = data["findings"]
    assert finding["severity"] == "critical"
    assert finding["path"][1]["position"].startswith("test.yaml:")
    assert data["facts"]["agency:stttt"]["graph.level"] == 3
