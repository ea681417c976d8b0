"""secassess: information-security posture assessment of a province's agencies.

The library API (the same results as the command line):

- `assess(inventory, profile="luat116", ...)` → an `AssessmentResult`;
- `to_json(result)` → the result document (`secassess assess --format json`), `load_result(path)` reads one;
- `to_diagnostics`, `should_fail`, `render_text`, `list_checks`.

These are thin wrappers, so `import secassess` (and the command line's start) stays fast: the
assessment machinery is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `import secassess` loads nothing else (the command line starts fast)
    import datetime as _dt
    from collections.abc import Sequence as _Sequence
    from pathlib import Path as _Path

    from secassess.assessment.catalog import Catalog
    from secassess.assessment.facts import FactProvider
    from secassess.assessment.result import AssessmentResult, CheckInfo
    from secassess.assessment.waivers import Waivers
    from secassess.diagnostics import DiagnosticReport, Severity
    from secassess.inventory.load import LoadedInventory

__version__ = "0.1.0"
__all__ = ["__version__", "assess", "list_checks", "load_result", "render_text", "should_fail", "to_diagnostics",
           "to_json"]


def assess(inventory: str | _Path | LoadedInventory, profile: str = "luat116",
           checklist_dirs: _Sequence[str | _Path] = (), waivers: str | _Path | Waivers | None = None,
           as_of: _dt.date | None = None, scans: _Sequence[str | _Path] = (), *,
           include_not_applicable: bool = False, fact_providers: _Sequence[FactProvider] | None = None,
           catalog: Catalog | None = None, checks: _Sequence[str] = (), skip_checks: _Sequence[str] = (),
           jobs: int | None = None) -> AssessmentResult:
    """Assess an inventory exactly as `secassess assess` does; see `secassess.api.assess` (`checks` and
    `skip_checks` are `--check` and `--skip-check`, `jobs` is `-j`)."""
    from secassess import api
    return api.assess(inventory, profile, checklist_dirs, waivers, as_of, scans,
                      include_not_applicable=include_not_applicable, fact_providers=fact_providers, catalog=catalog,
                      checks=checks, skip_checks=skip_checks, jobs=jobs)


def to_json(result: AssessmentResult) -> str:
    """The result document as text, byte-identical to `secassess assess --format json`."""
    from secassess.assessment.document import to_json as _to_json
    return _to_json(result)


def load_result(path: str | _Path) -> AssessmentResult:
    """Read a result document (`assess --format json`); an `InputError` names the place of any problem."""
    from secassess.assessment.document import read_result
    return read_result(path)


def to_diagnostics(result: AssessmentResult) -> DiagnosticReport:
    """The result as diagnostics, the input of the SARIF, JUnit, GitHub and text formats."""
    from secassess.assessment.export import to_diagnostics as _to_diagnostics
    return _to_diagnostics(result)


def should_fail(result: AssessmentResult, fail_on: str | Severity | None) -> bool:
    """True when a finding counting against an agency is at least as severe as `fail_on`."""
    from secassess.assessment.export import should_fail as _should_fail
    return _should_fail(result, fail_on)


def render_text(result: AssessmentResult, color: bool = False, width: int = 120) -> str:
    """The result as the terminal table `secassess assess` prints."""
    from secassess.assessment.render import render_text as _render_text
    return _render_text(result, color, width)


def list_checks(profile: str = "luat116", checklist_dirs: _Sequence[str | _Path] = ()) -> tuple[CheckInfo, ...]:
    """The checks a profile runs, sorted by id."""
    from secassess import api
    return api.list_checks(profile, checklist_dirs)
