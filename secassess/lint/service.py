"""Lint one or more inventory files into a `DiagnosticReport`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from secassess import __version__
from secassess.diagnostics import Diagnostic, DiagnosticReport, Outcome, Rule
from secassess.errors import InputError, SourcePos
from secassess.inventory.load import LoadedInventory, validate_inventory
from secassess.lint.paths import paths_at
from secassess.lint.referential import LINT_RULES, lint_inventory
from secassess.yamlsafe import LoadLimits, load_file

_RULE_OF_KIND = {"yaml": "SA-LINT-YAML", "schema": "SA-LINT-SCHEMA", "input": "SA-LINT-YAML"}


def lint_paths(paths: Sequence[str], as_of: dt.date, limits: LoadLimits = LoadLimits()) -> DiagnosticReport:
    """Lint each file; a file that does not load still yields its (placed) problems.

    Each diagnostic's `entity` is the path of keys to the offending value (empty where the file does not
    parse), which names it independently of its line.
    """
    diagnostics: list[Diagnostic] = []
    for path in paths:
        diagnostics.extend(_lint_file(path, as_of, limits))
    rules = tuple(Rule(rule_id, title, severity) for rule_id, (title, severity) in LINT_RULES.items())
    return DiagnosticReport("lint", tuple(paths), rules, tuple(diagnostics), __version__,
                            {"as_of": as_of.isoformat()})


def _lint_file(path: str, as_of: dt.date, limits: LoadLimits) -> list[Diagnostic]:
    raw: Any = None
    try:
        raw = load_file(path, limits)
        loaded = LoadedInventory(path, validate_inventory(raw, path))
    except InputError as exc:
        rule_id = _RULE_OF_KIND.get(exc.kind, "SA-LINT-YAML")
        placed = [(position or SourcePos(path, 1, 1), message) for position, message in exc.problems]
        names = paths_at(raw, (position for position, _ in placed))
        return [Diagnostic(rule_id, LINT_RULES[rule_id][1], Outcome.FAIL, message, position,
                           names.get((position.line, position.column), ""), group=path)
                for position, message in placed]
    del raw  # only the models are needed from here on (memory at province scale)
    problems = lint_inventory(loaded, as_of)
    names = paths_at(loaded.inventory, (problem.location for problem in problems))
    return [Diagnostic(problem.rule_id, problem.severity, Outcome.FAIL, problem.message, problem.location,
                       names.get((problem.location.line, problem.location.column), ""), group=path)
            for problem in problems]
