"""`secassess assess INVENTORY`: evaluate the checklists per agency and per layer."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_as_of, add_limits, limits_from, use_colour
from secassess.diagnostics import Severity
from secassess.errors import UsageError
from secassess.formats import OutputFormat
from secassess.pipeline import DEFAULT_PROFILE, AssessmentRequest

FAIL_ON = [s.value for s in Severity if s is not Severity.INFO]


def add_assessment_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `assess` and `report`: what to assess and under which rules."""
    parser.add_argument("inventory", metavar="INVENTORY", help="inventory YAML file")
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="luat116|nd85",
                        help=f"rule profile (default {DEFAULT_PROFILE}; nd85 is the legacy Decree 85 set)")
    parser.add_argument("--checklists", action="append", default=[], metavar="DIR",
                        help="add the province's own checks from the YAML files in DIR (repeatable)")
    parser.add_argument("--waivers", metavar="FILE", help="YAML file of approved, dated exceptions")
    parser.add_argument("--scan", action="append", default=[], metavar="FILE",
                        help="nmap XML or `secassess scan` JSON to compare with the inventory (repeatable)")
    parser.add_argument("--include-not-applicable", action="store_true",
                        help="list not-applicable findings in the result (by default they are only counted)")
    add_as_of(parser)
    add_limits(parser)


def request_from(args: argparse.Namespace) -> AssessmentRequest:
    return AssessmentRequest(args.inventory, args.profile, tuple(args.checklists), args.waivers, args.as_of,
                             tuple(args.scan), limits_from(args), args.include_not_applicable)


def configure(parser: argparse.ArgumentParser) -> None:
    add_assessment_options(parser)
    parser.add_argument("--format", type=OutputFormat, choices=list(OutputFormat), default=OutputFormat.TEXT,
                        help="text (a table per agency and layer), json (the versioned result document, "
                             "read by `report --from-result`), sarif, junit or github")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--fail-on", choices=FAIL_ON, metavar="|".join(FAIL_ON),
                        help="exit 1 when a check fails at or above this severity (default: never)")
    parser.add_argument("--baseline", metavar="OLD.json",
                        help="with --fail-on: exit 1 only for findings not in this earlier result (new or regressed)")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from secassess.assessment.document import write_document
    from secassess.assessment.export import should_fail, to_diagnostics
    from secassess.assessment.render import render_text
    from secassess.formats import render
    from secassess.outputs import Writer, emit
    from secassess.pipeline import run_assessment
    from secassess.progress import Steps

    if args.baseline and not args.fail_on:
        raise UsageError("--baseline needs --fail-on: the baseline only decides which findings may fail the run")
    result = run_assessment(request_from(args), Steps.for_terminal()).result
    text: str | Writer
    if args.format is OutputFormat.JSON:
        text = partial(write_document, result)
    elif args.format is OutputFormat.TEXT:
        text = render_text(result, color=use_colour(output=args.output))
    else:
        text = render(to_diagnostics(result), args.format)
    inputs = [args.inventory, *args.scan, *([args.waivers] if args.waivers else []),
              *([args.baseline] if args.baseline else [])]
    emit(text, args.output, inputs)
    if args.baseline and args.fail_on:
        from secassess.history.baseline import gate, report_gate
        return report_gate(gate(args.baseline, result, args.fail_on), args.baseline, args.fail_on)
    return 1 if should_fail(result, args.fail_on) else 0


COMMAND = Command("assess", "assess an inventory against the checklists, per agency and per layer", configure, run)
