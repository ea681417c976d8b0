"""`secassess report`: one compliance report per agency plus the province summary."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from secassess.cli.assess_cmd import add_assessment_options
from secassess.cli.common import Command
from secassess.cli.targets import FORMAT_NAMES, add_quiet

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
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="directory for the reports (and result.json, the assessment they show); required")
    parser.add_argument("--out", dest="output", help=argparse.SUPPRESS)
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language (default vi)")
    parser.add_argument("--format", type=formats, default=("html", "md"), metavar="html,md,pdf",
                        help="formats to write, each with its province summary (default html,md; pdf needs "
                             "Chromium)")
    parser.add_argument("--templates", metavar="DIR",
                        help="your own templates (sandboxed; missing ones fall back to the shipped templates)")
    parser.add_argument("--agency", action="append", metavar="ID", help="only this agency (repeatable)")
    add_quiet(parser)
    parser.add_argument("--history", metavar="DIR",
                        help="earlier results (any *.json result under DIR): adds scores over time, findings open "
                             "for more than one assessment, the ranking change and the agencies that regressed")
    parser.add_argument("--annual", action="store_true",
                        help="write the province's annual report instead (HTML and an editable .docx, with "
                             "result.json), from the result and the inventory (and --history for last year)")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from secassess.cli.assess_cmd import request_from
    from secassess.errors import UsageError

    if args.output is None:
        raise UsageError("report needs -o DIR, the folder to write the reports in (or `output` in the config file)")
    if args.output.lower() in FORMAT_NAMES:
        raise UsageError(f"-o {args.output}: that is a format name; -o takes the folder for the reports "
                         f"(formats: --format {args.output}); for a folder really called {args.output!r}, "
                         f"write -o ./{args.output}")
    if args.from_result is None and args.inventory is None:
        raise UsageError("report needs an INVENTORY to assess, or --from-result RESULT.json")
    if args.from_result and (args.check or args.skip_check):
        raise UsageError("--check and --skip-check choose what an assessment runs; with --from-result nothing "
                         "is assessed (filter when running `assess`)")

    from secassess.graph.facts import GraphFactProvider
    from secassess.graph.svg import agency_svg
    from secassess.inventory.load import load_inventory
    from secassess.pipeline import run_assessment
    from secassess.progress import Steps
    from secassess.report.service import render_reports

    steps = Steps.for_terminal(args.quiet)
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
    picture = None if graph is None else partial(agency_svg, graph, lang=args.lang)
    history = None
    if args.history:
        from secassess.history.timeline import load_timeline
        history = load_timeline(args.history, result.organisation, result.as_of)
    if args.annual:
        return _annual(args, result, inventory, history, inputs)
    written = render_reports(result, args.output, args.format, args.lang, args.templates, args.agency,
                             progress=steps, inputs=inputs, network_picture=picture, history=history,
                             workers=args.jobs)
    print(written_line(written, args.output))
    return 0


def written_line(written: Sequence[str | os.PathLike[str]], folder: str) -> str:
    """`12 reports written to out/: open out/index.html` (the summary first, in the first format that has one)."""
    names = [os.path.basename(str(p)) for p in written]
    first = next((n for n in ("index.html", "index.md", "index.pdf") if n in names), None)
    where = f": open {os.path.join(folder, first)}" if first else ""
    return f"{len(names)} file(s) written to {folder}{where}"


def _annual(args: argparse.Namespace, result: AssessmentResult, inventory: Inventory | None,
            history: Timeline | None, inputs: list[str]) -> int:
    from functools import partial

    from secassess.annual.service import render_annual
    from secassess.assessment.document import write_document
    from secassess.outputs import refuse_overwriting_inputs, write_atomic
    from secassess.report.service import RESULT_JSON

    written = [*render_annual(result, args.output, args.lang, inventory, history, args.templates, inputs)]
    result_path = os.path.join(args.output, RESULT_JSON)
    refuse_overwriting_inputs(result_path, inputs)
    write_atomic(result_path, partial(write_document, result))
    print(written_line([*written, result_path], args.output))
    return 0


COMMAND = Command("report", "write a compliance report per agency (HTML, Markdown, PDF) and a province summary",
                  configure, run)
