"""The whole flow behind `assess` and `report`: load → validate → facts (graph, scans) → evaluate.

The CLI and the report command call this; `secassess.assess` stays the plain library entry point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from secassess.api import DEFAULT_PROFILE, assess
from secassess.assessment.facts import FactProvider
from secassess.assessment.result import AssessmentResult
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.scan.facts import ScanFactProvider
from secassess.scan.load import load_scan_file
from secassess.yamlsafe import LoadLimits


@dataclass(frozen=True)
class AssessmentRequest:
    """What the user asked for, as validated values."""

    inventory: str
    profile: str = DEFAULT_PROFILE
    checklist_dirs: tuple[str, ...] = ()
    waivers: str | None = None
    as_of: dt.date | None = None
    scan_files: tuple[str, ...] = ()
    limits: LoadLimits = field(default_factory=LoadLimits)


def fact_providers(loaded: LoadedInventory, scan_files: Sequence[str]) -> list[FactProvider]:
    """Graph facts always (they come from the inventory itself); scan facts when scans are given."""
    providers: list[FactProvider] = [GraphFactProvider.from_inventory(loaded)]
    if scan_files:
        providers.append(ScanFactProvider([load_scan_file(path) for path in scan_files], loaded))
    return providers


def run_assessment(request: AssessmentRequest) -> AssessmentResult:
    """Load, gather facts and assess, as one call."""
    loaded = load_inventory(request.inventory, request.limits)
    return assess(loaded, request.profile, request.checklist_dirs, request.waivers, request.as_of,
                  fact_providers(loaded, request.scan_files))
