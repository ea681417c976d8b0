"""`secassess graph` and `secassess blast-radius`: the network as a graph."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_limits, iso_date
from secassess.cli.targets import OutputKinds, add_output_options

GRAPH_KINDS = OutputKinds(("text", "graphml", "dot", "json"),
                          ((".graphml", "graphml"), (".dot", "dot"), (".gv", "dot"), (".json", "json"),
                           (".txt", "text")))
"""text: the findings; graphml, dot, json: the graph exported (`secassess.graph.service.GRAPH_FORMATS`)."""
PDF = "pdf"
"""blast-radius: the html incident report, printed."""
BLAST_KINDS = OutputKinds(("text", "json", "html", "md", PDF),
                          ((".json", "json"), (".html", "html"), (".htm", "html"), (".md", "md"), (".txt", "text"),
                           (".pdf", PDF)), binary=frozenset({PDF}))
"""`secassess.graph.service.BLAST_FORMATS` and pdf (a test keeps them equal)."""


def configure_graph(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY")
    add_output_options(parser, GRAPH_KINDS, "the graph (text: its findings; graphml, dot, json: the graph itself)")
    parser.add_argument("--export", dest="format", choices=GRAPH_KINDS.formats[1:], help=argparse.SUPPRESS)
    parser.add_argument("--acl-filters", action="store_true",
                        help="count ACLs as filtering (by default only firewall, IPS and WAF do)")
    add_limits(parser)


def run_graph(args: argparse.Namespace) -> int:
    from secassess.cli.common import limits_from
    from secassess.cli.targets import deliver, plan_outputs
    from secassess.graph.build import build_graph
    from secassess.graph.service import graph_output
    from secassess.inventory.load import load_inventory

    plan = plan_outputs(args.output, args.format, GRAPH_KINDS)
    loaded = load_inventory(args.inventory, limits_from(args))
    graph = build_graph(loaded)
    outputs: dict[str, str] = {}

    def produce(fmt: str, colour: bool) -> str:
        if fmt not in outputs:
            outputs[fmt] = graph_output(loaded, graph, fmt, acl_filters=args.acl_filters)
        return outputs[fmt]

    deliver(plan, produce, [args.inventory], quiet=args.quiet, kinds=GRAPH_KINDS,
            summary=lambda: produce("text", False).rstrip("\n").rsplit("\n", 1)[-1])
    return 0


def configure_blast(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY")
    parser.add_argument("host", metavar="HOST", help="the compromised host: hostname, address, group or device id")
    add_output_options(parser, BLAST_KINDS, "the blast radius (text or json, or an incident report as html, md "
                                            "or pdf; pdf needs Chromium)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of the html, md and pdf incident report (default vi)")
    parser.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                        help="date printed on the incident report (none without it: the output never reads the clock)")
    parser.add_argument("--no-through-filtering", dest="through_filtering", action="store_false",
                        help="stop the spread at links guarded by a firewall, IPS or WAF")
    parser.add_argument("--acl-filters", action="store_true", help="count ACLs as filtering")
    add_limits(parser)


def run_blast(args: argparse.Namespace) -> int:
    from secassess.cli.common import limits_from
    from secassess.cli.targets import Content, deliver, plan_outputs
    from secassess.graph.build import build_graph
    from secassess.graph.service import blast_of, blast_output
    from secassess.inventory.load import load_inventory

    plan = plan_outputs(args.output, args.format, BLAST_KINDS)
    loaded = load_inventory(args.inventory, limits_from(args))
    graph = build_graph(loaded)
    blast = blast_of(loaded, graph, args.host, through_filtering=args.through_filtering, acl_filters=args.acl_filters)

    def produce(fmt: str, colour: bool) -> Content:
        if fmt == PDF:
            from secassess.report.incident import incident_pdf

            return incident_pdf(blast_output(blast, graph, "html", lang=args.lang, as_of=args.as_of), args.as_of)
        text = blast_output(blast, graph, fmt, colour=colour, lang=args.lang, as_of=args.as_of)
        return text + summary() + "\n" if fmt == "text" else text

    def summary() -> str:
        return (f"blast radius of {blast.host}: {len(blast.assets)} reachable asset(s), {len(blast.systems)} "
                f"system(s), {len(blast.critical_servers)} critical server(s), {len(blast.choke_points)} choke "
                f"point(s)")

    deliver(plan, produce, [args.inventory], quiet=args.quiet, summary=summary, kinds=BLAST_KINDS)
    return 0


GRAPH = Command("graph", "analyse the network graph (exposure, segmentation) or export it", configure_graph,
                run_graph)
BLAST = Command("blast-radius", "what a compromised host can reach, whom to call, and where to cut",
                configure_blast, run_blast)
