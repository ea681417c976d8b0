"""`secassess report`: one compliance report per agency plus the province summary."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from secassess.cli.assess_cmd import add_assessment_options, request_from
from secassess.cli.common import Command
from secassess.errors import UsageError

if TYPE_CHECKING:
    from secassess.assessment.result import AssessmentResult
    from secassess.history.timeline import Timeline
    from secassess.inventory.model import Inventory

FORMATS = ("html", "md", "pdf")


def formats(text: str) -> tuple[str, ...]:
    """argparse type for `html,md,pdf`."""
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"{text!r}: choose among {', '.join(FORMATS)} (comma-separated)")
    return chosen


def configure(parser: argparse.ArgumentParser) -> None:
    add_assessment_options(parser)
    parser.set_defaults(inventory=None)
    for action in parser._actions:  # the inventory is optional with --from-result
        if action.dest == "inventory":
            action.nargs = "?"
    parser.add_argument("--from-result", metavar="RESULT.json",
                        help="render an `assess --format json` result instead of assessing again "
                             "(give INVENTORY too for the network pictures)")
    parser.add_argument("-o", "--output", "--out", dest="out", required=True, metavar="DIR",
                        help="directory for the reports (and result.json, the assessment they show)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language (default vi)")
    parser.add_argument("--format", type=formats, default=("html", "md"), metavar="html,md,pdf",
                        help="formats to write (default html,md; pdf needs Chromium)")
    parser.add_argument("--templates", metavar="DIR",
                        help="your own templates (sandboxed; missing ones fall back to the shipped templates)")
    parser.add_argument("--agency", action="append", metavar="ID", help="only this agency (repeatable)")
    parser.add_argument("--history", metavar="DIR",
                        help="earlier results (any *.json result under DIR): adds scores over time, findings open "
                             "for more than one assessment, the ranking change and the agencies that regressed")
    parser.add_argument("--annual", action="store_true",
                        help="write the province's annual report instead (HTML and an editable .docx, with "
                             "result.json), from the result and the inventory (and --history for last year)")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from secassess.graph.facts import GraphFactProvider
    from secassess.graph.svg import agency_svg
    from secassess.inventory.load import load_inventory
    from secassess.pipeline import run_assessment
    from secassess.progress import Steps
    from secassess.report.service import render_reports

    if args.from_result is None and args.inventory is None:
        raise UsageError("report needs an INVENTORY to assess, or --from-result RESULT.json")
    steps = Steps.for_terminal()
    inventory = None
    if args.from_result:
        from secassess.assessment.document import read_result
        with steps.step(f"read {args.from_result}"):
            result = read_result(args.from_result)
        loaded = load_inventory(args.inventory) if args.inventory else None
        graph = GraphFactProvider.from_inventory(loaded).graph if loaded and not args.annual else None
        inventory = loaded.inventory if loaded else None
    else:
        assessment = run_assessment(request_from(args), steps)
        result, graph, inventory = assessment.result, assessment.graph, assessment.loaded.inventory
    inputs = [p for p in (args.inventory, args.from_result, args.waivers, *args.scan) if p]
    picture = None if graph is None else partial(agency_svg, graph)
    history = None
    if args.history:
        from secassess.history.timeline import load_timeline
        history = load_timeline(args.history, result.organisation, result.as_of)
    if args.annual:
        return _annual(args, result, inventory, history, inputs)
    written = render_reports(result, args.out, args.format, args.lang, args.templates, args.agency,
                             progress=steps, inputs=inputs, network_picture=picture, history=history)
    print(f"{len(written)} file(s) written to {args.out}", file=sys.stderr)
    return 0


def _annual(args: argparse.Namespace, result: AssessmentResult, inventory: Inventory | None,
            history: Timeline | None, inputs: list[str]) -> int:
    from functools import partial

    from secassess.annual.service import render_annual
    from secassess.assessment.document import write_document
    from secassess.outputs import refuse_overwriting_inputs, write_atomic
    from secassess.report.service import RESULT_JSON

    written = render_annual(result, args.out, args.lang, inventory, history, args.templates, inputs)
    result_path = os.path.join(args.out, RESULT_JSON)
    refuse_overwriting_inputs(result_path, inputs)
    write_atomic(result_path, partial(write_document, result))
    print(f"{len(written) + 1} file(s) written to {args.out}", file=sys.stderr)
    return 0


COMMAND = Command("report", "write a compliance report per agency (HTML, Markdown, PDF) and a province summary",
                  configure, run)
