"""`secassess assess INVENTORY`: evaluate the checklists per agency and per layer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from secassess.cli.common import (
    Command,
    add_as_of,
    add_check_filters,
    add_fail_on,
    add_limits,
    add_profile,
    positive_int,
)
from secassess.cli.targets import OutputKinds, add_output_options

if TYPE_CHECKING:
    from secassess.pipeline import AssessmentRequest

KINDS = OutputKinds(("text", "json", "sarif", "junit", "github"),
                    ((".sarif", "sarif"), (".sarif.json", "sarif"), (".json", "json"), (".xml", "junit"),
                     (".txt", "text")))


def add_assessment_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `assess` and `report`: what to assess and under which rules."""
    parser.add_argument("inventory", metavar="INVENTORY", help="inventory YAML file")
    add_profile(parser)
    parser.add_argument("--checklists", action="append", default=[], metavar="DIR",
                        help="add the province's own checks from the YAML files in DIR (repeatable)")
    parser.add_argument("--waivers", metavar="FILE", help="YAML file of approved, dated exceptions")
    parser.add_argument("--scan", action="append", default=[], metavar="FILE",
                        help="nmap XML or `secassess scan` JSON to compare with the inventory (repeatable)")
    parser.add_argument("--include-not-applicable", action="store_true",
                        help="list not-applicable findings in the result (by default they are only counted)")
    add_check_filters(parser)
    add_as_of(parser)
    add_limits(parser)
    parser.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                        help="worker processes for a large province (default: one per core, at most 4; 1: none)")


def request_from(args: argparse.Namespace) -> AssessmentRequest:
    from secassess.cli.common import limits_from
    from secassess.pipeline import AssessmentRequest

    return AssessmentRequest(args.inventory, args.profile, tuple(args.checklists), args.waivers, args.as_of,
                             tuple(args.scan), limits_from(args), args.include_not_applicable,
                             tuple(args.check), tuple(args.skip_check), args.jobs)


def configure(parser: argparse.ArgumentParser) -> None:
    add_assessment_options(parser)
    add_output_options(parser, KINDS, "the result (text: a table per agency and layer; json: the versioned "
                                      "result document, read by `report --from-result`; sarif, junit, github)")
    add_fail_on(parser, None, "exit 1 when a check fails")
    parser.add_argument("--baseline", metavar="OLD.json",
                        help="with --fail-on: exit 1 only for findings not in this earlier result (new or regressed)")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from secassess.assessment.document import write_document
    from secassess.assessment.export import should_fail, to_diagnostics
    from secassess.assessment.render import summary_line, write_text
    from secassess.cli.targets import Content, deliver, plan_outputs
    from secassess.errors import UsageError
    from secassess.formats import OutputFormat, write
    from secassess.pipeline import run_assessment
    from secassess.progress import Steps

    if args.baseline and not args.fail_on:
        raise UsageError("--baseline needs --fail-on: the baseline only decides which findings may fail the run")
    plan = plan_outputs(args.output, args.format, KINDS)
    result = run_assessment(request_from(args), Steps.for_terminal(args.quiet)).result

    def produce(fmt: str, colour: bool) -> Content:
        if fmt == "json":
            return partial(write_document, result)
        if fmt == "text":
            return partial(write_text, result, color=colour)
        return partial(write, to_diagnostics(result), OutputFormat(fmt))

    inputs = [args.inventory, *args.scan, *([args.waivers] if args.waivers else []),
              *([args.baseline] if args.baseline else [])]
    deliver(plan, produce, inputs, quiet=args.quiet, summary=lambda: summary_line(result), kinds=KINDS)
    if args.baseline and args.fail_on:
        from secassess.history.baseline import gate, report_gate
        return report_gate(gate(args.baseline, result, args.fail_on), args.baseline, args.fail_on)
    return 1 if should_fail(result, args.fail_on) else 0


COMMAND = Command("assess", "assess an inventory against the checklists, per agency and per layer", configure, run)
