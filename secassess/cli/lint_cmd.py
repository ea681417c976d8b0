"""`secassess lint INVENTORY...`: schema, references and bad data, for CI on every change."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_as_of, add_limits, as_of_from, limits_from, use_colour
from secassess.formats import OutputFormat, render
from secassess.lint.service import lint_paths
from secassess.outputs import emit


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventories", nargs="+", metavar="INVENTORY", help="inventory YAML file(s)")
    parser.add_argument("--format", type=OutputFormat, choices=list(OutputFormat), default=OutputFormat.TEXT,
                        help="output format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    add_as_of(parser)
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    report = lint_paths(args.inventories, as_of_from(args), limits_from(args))
    emit(render(report, args.format, use_colour(output=args.output)), args.output, args.inventories)
    return 2 if report.failures() else 0


COMMAND = Command("lint", "check inventories: YAML safety, schema, references, counts, dates, secrets",
                  configure, run)
