"""The whole flow behind `assess`, `report` and the library: load → validate → facts (graph, scans) → evaluate.

The CLI commands and `secassess.assess` all come through `run_assessment`, so the library and the CLI
give the same result for the same inputs (graph facts included). Each input is loaded once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from secassess.assessment.catalog import Catalog, load_catalog
from secassess.assessment.facts import FactProvider
from secassess.assessment.result import AssessmentResult
from secassess.assessment.service import assess_loaded
from secassess.assessment.waivers import Waivers, load_waivers
from secassess.graph.facts import GraphFactProvider
from secassess.graph.model import NetworkGraph
from secassess.heap import keep
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.progress import Steps
from secassess.scan.facts import ScanFactProvider
from secassess.scan.load import load_scan_file
from secassess.selection import select_ids
from secassess.yamlsafe import LoadLimits

DEFAULT_PROFILE = "luat116"


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
    include_not_applicable: bool = False
    checks: tuple[str, ...] = ()
    """Only the checks with these ids or globs (`--check`); all when empty."""
    skip_checks: tuple[str, ...] = ()
    """Not the checks with these ids or globs (`--skip-check`)."""
    jobs: int | None = None
    """Worker processes for a large province (None: one per core, at most 4; 1: none)."""


@dataclass(frozen=True)
class Assessment:
    """A finished assessment and what it was made from (reports draw the network from the same graph)."""

    loaded: LoadedInventory
    graph: NetworkGraph
    result: AssessmentResult


def fact_providers(loaded: LoadedInventory, scan_files: Sequence[str]) -> list[FactProvider]:
    """Graph facts always (they come from the inventory itself); scan facts when scans are given."""
    providers: list[FactProvider] = [GraphFactProvider.from_inventory(loaded)]
    if scan_files:
        providers.append(ScanFactProvider([load_scan_file(path) for path in scan_files], loaded))
    keep()  # the graph and the scans live to the end of the command
    return providers


def assess_inventory(loaded: LoadedInventory, request: AssessmentRequest, catalog: Catalog | None = None,
                     waivers: Waivers | None = None, providers: Sequence[FactProvider] | None = None,
                     steps: Steps | None = None) -> Assessment:
    """Assess an already loaded inventory (the graph and scan providers built unless `providers` is given)."""
    steps = steps or Steps.none()
    with steps.step("network graph and scans"):
        chosen = fact_providers(loaded, request.scan_files) if providers is None else list(providers)
    if catalog is None:
        catalog = load_catalog(request.checklist_dirs, (p.namespace for p in chosen))
    profile = catalog.profile(request.profile)
    if request.checks or request.skip_checks:
        kept = select_ids((c.info.id for c in profile.checks), request.checks, request.skip_checks)
        profile = replace(profile, checks=tuple(c for c in profile.checks if c.info.id in kept))
    if waivers is None and request.waivers is not None:
        waivers = load_waivers(request.waivers)
    graph = next((p.graph for p in chosen if isinstance(p, GraphFactProvider)), None)
    if graph is None:
        graph = GraphFactProvider.from_inventory(loaded).graph
    with steps.step("assess", len(loaded.inventory.agencies)) as advance:
        result = assess_loaded(loaded, profile, catalog, request.as_of or dt.date.today(), waivers, chosen,
                               request.include_not_applicable, advance, request.jobs)
    return Assessment(loaded, graph, result)


def run_assessment(request: AssessmentRequest, steps: Steps | None = None) -> Assessment:
    """Load the inventory once, gather facts and assess."""
    steps = steps or Steps.none()
    with steps.step(f"load {request.inventory}"):
        loaded = load_inventory(request.inventory, request.limits)
    return assess_inventory(loaded, request, steps=steps)
