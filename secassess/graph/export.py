"""The network graph as GraphML, Graphviz DOT (written here: no pydot/pygraphviz) or node-link JSON.

Names come from the inventory and may hold control characters that XML 1.0 cannot carry (ESC, NUL) or
that reorder text (bidi overrides): GraphML and DOT show them as visible escapes (`textsafe.printable`), so
`networkx.read_graphml` and Graphviz read the files. JSON escapes them itself.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from typing import Any

from secassess.errors import UsageError
from secassess.graph.model import NetworkGraph
from secassess.graph.nxgraph import NetGraph
from secassess.textsafe import printable

_SHAPES = {"internet": "doublecircle", "zone": "box", "server": "component", "workstation": "ellipse",
           "workstation_group": "folder", "device": "hexagon"}


def _shown(value: Any) -> Any:
    return printable(value, keep="\n") if isinstance(value, str) else value


def _printable_graph(graph: NetGraph) -> NetGraph:
    """A copy whose node ids and text attributes hold no control character."""
    clean = NetGraph()
    clean.add_nodes((printable(node), {k: _shown(v) for k, v in data.items()}) for node, data in graph.nodes())
    clean.add_edges((printable(u), printable(v), {k: _shown(x) for k, x in data.items()})
                    for u, v, data in graph.edges())
    return clean


def to_graphml(graph: NetworkGraph) -> str:
    """GraphML of the full graph; `networkx.read_graphml` reads it back."""
    buffer = io.BytesIO()
    _printable_graph(graph.full).write_graphml(buffer)
    return buffer.getvalue().decode("utf-8")


def to_json(graph: NetworkGraph) -> str:
    """Node-link JSON (nodes, links), keys sorted."""
    return json.dumps(graph.full.node_link(), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def dot_quote(text: object) -> str:
    """A DOT double-quoted string: backslashes, quotes and line breaks escaped."""
    shown = printable(str(text), keep="\r\n")
    escaped = shown.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def _attrs(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={dot_quote(v)}" for k, v in sorted(values.items()))


def to_dot(graph: NetworkGraph) -> str:
    """DOT text, nodes and edges sorted: the same inventory gives the same bytes."""
    lines = ["digraph network {", '  graph [rankdir="LR"];', '  node [fontname="sans-serif"];']
    for node, data in sorted(graph.full.nodes()):
        kind = str(data.get("kind", ""))
        label = str(data.get("label", data.get("name", node))) + (f"\n{data['subkind']}" if "subkind" in data else "")
        lines.append(f"  {dot_quote(node)} [{_attrs({'label': label, 'shape': _SHAPES.get(kind, 'ellipse')})}];")
    for u, v, data in sorted(graph.full.edges(), key=lambda e: (e[0], e[1])):
        if data.get("kind") == "member":
            attrs = {"style": "dotted", "arrowhead": "none"}
            if u > v:  # membership runs both ways: draw it once
                continue
        else:
            attrs = {"label": data.get("controls", "none")}
            if data.get("devices"):
                attrs["label"] += f"\n{data['devices']}"
        lines.append(f"  {dot_quote(u)} -> {dot_quote(v)} [{_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


EXPORTERS: dict[str, Callable[[NetworkGraph], str]] = {"graphml": to_graphml, "dot": to_dot, "json": to_json}


def export(graph: NetworkGraph, fmt: str) -> str:
    """The graph in `fmt` (graphml, dot or json)."""
    try:
        return EXPORTERS[fmt](graph)
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}") from None
