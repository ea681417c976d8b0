"""The library API: the same assessment as `secassess assess`, as Python objects.

    >>> import secassess
    >>> result = secassess.assess("inventory.yaml")          # graph facts included, like the CLI
    >>> secassess.to_json(result) == open("result.json").read()   # `assess --format json -o result.json`
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from secassess.assessment.catalog import Catalog, load_catalog
from secassess.assessment.document import read_result, to_json, write_document
from secassess.assessment.export import should_fail, to_diagnostics
from secassess.assessment.facts import FactProvider
from secassess.assessment.render import render_text
from secassess.assessment.result import AgencyResult, AssessmentResult, CheckInfo, Finding, Score
from secassess.assessment.waivers import Waivers
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.pipeline import DEFAULT_PROFILE, AssessmentRequest, assess_inventory

__all__ = ["DEFAULT_PROFILE", "AgencyResult", "AssessmentResult", "CheckInfo", "FactProvider", "Finding", "Score",
           "assess", "list_checks", "load_result", "render_text", "should_fail", "to_diagnostics", "to_json",
           "write_document"]


def assess(inventory: str | Path | LoadedInventory, profile: str = DEFAULT_PROFILE,
           checklist_dirs: Sequence[str | Path] = (), waivers: str | Path | Waivers | None = None,
           as_of: dt.date | None = None, scans: Sequence[str | Path] = (), *,
           include_not_applicable: bool = False, fact_providers: Sequence[FactProvider] | None = None,
           catalog: Catalog | None = None, checks: Sequence[str] = (), skip_checks: Sequence[str] = (),
           jobs: int | None = None) -> AssessmentResult:
    """Assess an inventory under a profile, exactly as `secassess assess` does (`as_of` defaults to today).

    `scans` are nmap XML or `secassess scan` JSON files; `fact_providers` replaces the default providers
    (the network graph, and the scans) for callers that bring their own facts. `checks` and `skip_checks`
    are check ids or globs, as `--check` and `--skip-check` take them (an unknown one is a `UsageError`);
    `jobs` caps the worker processes as `-j` does.
    """
    loaded = inventory if isinstance(inventory, LoadedInventory) else load_inventory(str(inventory))
    request = AssessmentRequest(loaded.path, profile, tuple(str(d) for d in checklist_dirs),
                                str(waivers) if isinstance(waivers, (str, Path)) else None, as_of,
                                tuple(str(s) for s in scans), include_not_applicable=include_not_applicable,
                                checks=tuple(checks), skip_checks=tuple(skip_checks), jobs=jobs)
    loaded_waivers = waivers if isinstance(waivers, Waivers) else None
    return assess_inventory(loaded, request, catalog, loaded_waivers, fact_providers).result


def load_result(path: str | Path) -> AssessmentResult:
    """Read a result document written by `assess --format json` (streams large ones)."""
    return read_result(path)


def list_checks(profile: str = DEFAULT_PROFILE, checklist_dirs: Sequence[str | Path] = ()) -> tuple[CheckInfo, ...]:
    """The checks a profile runs (for `secassess checks`), sorted by id."""
    chosen = load_catalog(checklist_dirs).profile(profile)
    return tuple(sorted((c.info for c in chosen.checks), key=lambda c: c.id))



