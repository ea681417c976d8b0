"""`secassess graph` and `secassess blast-radius`: the network as a graph."""

from __future__ import annotations

import argparse
import sys

from secassess.cli.common import Command, add_limits, iso_date, limits_from, use_colour
from secassess.errors import UsageError
from secassess.graph.service import BLAST_FORMATS, blast_radius_command, graph_command
from secassess.outputs import emit, refuse_overwriting_inputs, write_atomic

PDF = "pdf"
"""blast-radius: the html incident report, printed."""


def configure_graph(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY")
    parser.add_argument("--export", choices=["graphml", "dot", "json"],
                        help="export the graph instead of listing its findings")
    parser.add_argument("--out", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--acl-filters", action="store_true",
                        help="count ACLs as filtering (by default only firewall, IPS and WAF do)")
    add_limits(parser)


def run_graph(args: argparse.Namespace) -> int:
    text = graph_command(args.inventory, args.export, acl_filters=args.acl_filters, limits=limits_from(args))
    emit(text, args.out, [args.inventory])
    return 0


def configure_blast(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY")
    parser.add_argument("host", metavar="HOST", help="the compromised host: hostname, address, group or device id")
    parser.add_argument("--format", choices=(*BLAST_FORMATS, PDF), default="text",
                        help="text or json, or an incident report as html, md or pdf (pdf needs Chromium; "
                             "default text)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of the html, md and pdf incident report (default vi)")
    parser.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                        help="date printed on the incident report (none without it: the output never reads the clock)")
    parser.add_argument("--out", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--no-through-filtering", dest="through_filtering", action="store_false",
                        help="stop the spread at links guarded by a firewall, IPS or WAF")
    parser.add_argument("--acl-filters", action="store_true", help="count ACLs as filtering")
    add_limits(parser)


def run_blast(args: argparse.Namespace) -> int:
    to_terminal = args.out in (None, "-") and sys.stdout.isatty()
    if args.format == PDF and to_terminal:
        raise UsageError("--format pdf writes a binary file: give --out FILE (or redirect the output)")
    text = blast_radius_command(args.inventory, args.host, "html" if args.format == PDF else args.format,
                                colour=use_colour(output=args.out), through_filtering=args.through_filtering,
                                acl_filters=args.acl_filters, limits=limits_from(args), lang=args.lang,
                                as_of=args.as_of)
    if args.format != PDF:
        emit(text, args.out, [args.inventory])
        return 0
    from secassess.report.incident import incident_pdf

    pdf = incident_pdf(text, args.as_of)
    if args.out in (None, "-"):
        sys.stdout.buffer.write(pdf)
        sys.stdout.flush()
    else:
        refuse_overwriting_inputs(args.out, [args.inventory])
        write_atomic(args.out, pdf)
    return 0


GRAPH = Command("graph", "analyse the network graph (exposure, segmentation) or export it", configure_graph,
                run_graph)
BLAST = Command("blast-radius", "what a compromised host can reach, whom to call, and where to cut",
                configure_blast, run_blast)
