"""`secassess lint INVENTORY...`: schema, references and bad data, for CI on every change."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_as_of, add_check_filters, add_fail_on, add_limits
from secassess.cli.targets import OutputKinds, add_output_options

KINDS = OutputKinds(("text", "json", "sarif", "junit", "github"),
                    ((".sarif", "sarif"), (".sarif.json", "sarif"), (".json", "json"), (".xml", "junit"),
                     (".txt", "text")))
UNREADABLE_RULES = frozenset({"SA-LINT-YAML", "SA-LINT-SCHEMA"})
"""A file that fails these cannot be read at all: always reported, always failing, whatever the filters."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventories", nargs="+", metavar="INVENTORY", help="inventory YAML file(s)")
    add_output_options(parser, KINDS, "the problems")
    add_fail_on(parser, "low", "exit 2 when the inventory has problems")
    add_check_filters(parser, "lint rules")
    add_as_of(parser)
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    from collections import Counter
    from dataclasses import replace

    from secassess.cli.common import as_of_from, limits_from
    from secassess.cli.targets import deliver, plan_outputs
    from secassess.diagnostics import Severity
    from secassess.formats import OutputFormat, render
    from secassess.formats.text import summary_line
    from secassess.lint.referential import LINT_RULES
    from secassess.lint.service import lint_paths
    from secassess.selection import select_ids

    plan = plan_outputs(args.output, args.format, KINDS)
    kept = select_ids(LINT_RULES, args.check, args.skip_check, "lint rule") | UNREADABLE_RULES
    report = lint_paths(args.inventories, as_of_from(args), limits_from(args))
    report = replace(report, diagnostics=tuple(d for d in report.diagnostics if d.rule_id in kept))
    threshold = Severity(args.fail_on).rank
    failing = [d for d in report.failures() if d.rule_id in UNREADABLE_RULES or d.severity.rank >= threshold]
    deliver(plan, lambda fmt, colour: render(report, OutputFormat(fmt), colour), args.inventories,
            quiet=args.quiet, kinds=KINDS,
            summary=lambda: summary_line(Counter(d.severity for d in report.failures()), len(report.inputs)))
    return 2 if failing else 0


COMMAND = Command("lint", "check inventories: YAML safety, schema, references, counts, dates, secrets",
                  configure, run)
