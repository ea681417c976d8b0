"""Lint one or more inventory files into a `DiagnosticReport`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from secassess import __version__
from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome, Rule
from secassess.errors import InputError, SourcePos
from secassess.inventory.load import load_inventory
from secassess.lint.referential import LINT_RULES, lint_inventory
from secassess.yamlsafe import LoadLimits

_RULE_OF_KIND = {"yaml": "SA-LINT-YAML", "schema": "SA-LINT-SCHEMA", "input": "SA-LINT-YAML"}


def lint_paths(paths: Sequence[str], as_of: dt.date, limits: LoadLimits = LoadLimits()) -> DiagnosticReport:
    """Lint each file; a file that does not load still yields its (placed) problems."""
    diagnostics: list[Diagnostic] = []
    for path in paths:
        try:
            loaded = load_inventory(path, limits)
        except InputError as exc:
            rule_id = _RULE_OF_KIND.get(exc.kind, "SA-LINT-YAML")
            for position, message in exc.problems:
                diagnostics.append(Diagnostic(rule_id, LINT_RULES[rule_id][1], Outcome.FAIL, message,
                                              position or SourcePos(path, 1, 1), group=path))
            continue
        for problem in lint_inventory(loaded, as_of):
            diagnostics.append(Diagnostic(problem.rule_id, problem.severity, Outcome.FAIL, problem.message,
                                          problem.location, group=path))
    rules = tuple(Rule(rule_id, title, severity) for rule_id, (title, severity) in LINT_RULES.items())
    return DiagnosticReport("lint", tuple(paths), rules, tuple(diagnostics), __version__,
                            {"as_of": as_of.isoformat()})
