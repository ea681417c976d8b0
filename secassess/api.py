"""The library API of assessment: `assess`, `list_checks`, `to_diagnostics`, `should_fail`, `render_text`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from secassess.assessment.catalog import Catalog, load_catalog
from secassess.assessment.engine import Evaluator
from secassess.assessment.export import should_fail, to_diagnostics
from secassess.assessment.facts import FactProvider
from secassess.assessment.render import render_text
from secassess.assessment.result import AssessmentResult, CheckInfo, Finding, Score, SourceInfo, load_result, to_json
from secassess.assessment.scoring import rank, score
from secassess.assessment.waivers import Waivers, load_waivers
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import LoadedInventory, load_inventory

DEFAULT_PROFILE = "luat116"

__all__ = ["DEFAULT_PROFILE", "AssessmentResult", "FactProvider", "assess", "list_checks", "load_result",
           "render_text", "should_fail", "to_diagnostics", "to_json"]


def assess(inventory: str | Path | LoadedInventory, profile: str = DEFAULT_PROFILE,
           checklist_dirs: Sequence[str | Path] = (), waivers: str | Path | Waivers | None = None,
           as_of: dt.date | None = None, fact_providers: Sequence[FactProvider] = (),
           catalog: Catalog | None = None) -> AssessmentResult:
    """Assess an inventory under a profile; `as_of` defaults to today (the only date in the result).

    Graph facts come from the inventory itself, so they are always gathered: without them every control
    judged on the network (WAF, DDoS, zones...) would not apply, which reads like a pass.
    """
    loaded = inventory if isinstance(inventory, LoadedInventory) else load_inventory(str(inventory))
    if not any(p.namespace == "graph" for p in fact_providers):
        fact_providers = (GraphFactProvider.from_inventory(loaded), *fact_providers)
    if catalog is None:
        catalog = load_catalog(checklist_dirs, (p.namespace for p in fact_providers))
    chosen = catalog.profile(profile)
    day = as_of or dt.date.today()
    loaded_waivers = load_waivers(str(waivers)) if isinstance(waivers, (str, Path)) else waivers
    findings, warnings = Evaluator(loaded, chosen, day, loaded_waivers, fact_providers).run()
    infos = {c.info.id: c.info for c in chosen.checks}
    by_agency: dict[str, list[Finding]] = {}
    for f in findings:
        by_agency.setdefault(f.agency, []).append(f)
    agencies = []
    for agency in loaded.inventory.agencies:
        own = by_agency.get(agency.id, [])
        layers = _split(own, infos, lambda c: str(c.layer) if c.layer else None)
        domains = _split(own, infos, lambda c: c.domain)
        agencies.append((agency.id, agency.name, score(own), layers, domains))
    org = loaded.inventory.organisation
    sources = tuple(SourceInfo(s.id, s.title, s.verified) for s in catalog.sources.values())
    return AssessmentResult(day, chosen.id, chosen.title_en, dict(sorted(chosen.parameters.items())), loaded.path,
                            org.code, org.name, catalog.files, sources, tuple(infos[k] for k in sorted(infos)),
                            tuple(findings), score(findings), rank(agencies), tuple(warnings))


def _split(findings: list[Finding], infos: dict[str, CheckInfo],
           key: object) -> dict[str, Score]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        name = key(infos[f.check])  # type: ignore[operator]
        if name is not None:
            groups.setdefault(name, []).append(f)
    return {k: score(v) for k, v in sorted(groups.items())}


def list_checks(profile: str = DEFAULT_PROFILE, checklist_dirs: Sequence[str | Path] = ()) -> tuple[CheckInfo, ...]:
    """The checks a profile runs (for `secassess checks`), sorted by id."""
    chosen = load_catalog(checklist_dirs).profile(profile)
    return tuple(sorted((c.info for c in chosen.checks), key=lambda c: c.id))
