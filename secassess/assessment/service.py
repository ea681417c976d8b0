"""Assess a loaded inventory one agency at a time, into an `AssessmentResult`.

The province-wide facts (graph, scans) are computed once by the evaluator's providers; then each agency is
evaluated, scored and encoded into the result's store before the next one starts, so memory holds one
agency's findings, the scores, and the store (which moves to disk for a large province).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from secassess import __version__
from secassess.assessment.catalog import Catalog, Profile
from secassess.assessment.document import FileTable, encode_agency
from secassess.assessment.engine import Evaluator
from secassess.assessment.facts import FactProvider
from secassess.assessment.result import (
    AgencyDetails,
    AssessmentResult,
    CheckInfo,
    Contact,
    Finding,
    Header,
    SourceInfo,
    SystemSummary,
    TransitionInfo,
)
from secassess.assessment.scoring import Tally, rank
from secassess.assessment.store import AgencyStore
from secassess.assessment.waivers import Waivers
from secassess.diagnostics import Outcome
from secassess.heap import long_lived
from secassess.inventory.load import LoadedInventory
from secassess.inventory.model import Agency
from secassess.inventory.model import Contact as ContactModel
from secassess.parallel import MAX_WORKERS, available_cores, map_ordered


def agency_details(agency: Agency) -> AgencyDetails:
    """Names, kind, contacts and systems of an agency, as reports show them."""
    def contact(role: str, person: ContactModel | None) -> tuple[Contact, ...]:
        if person is None:
            return ()
        return (Contact(role, person.name, person.title or "", person.email or "", person.phone or ""),)

    contacts = (contact("security_officer", agency.security_officer) + contact("leader", agency.leader)
                + contact("incident_reporting", agency.layers.on_site.incident_reporting_contact))
    systems = sorted(agency.systems, key=lambda s: (-s.level, s.id))
    return AgencyDetails(agency.name_en or "", agency.kind.value, contacts,
                         tuple(SystemSummary(s.id, s.name, s.name_en or "", s.level, s.approval.approved)
                               for s in systems))


class _Scorer:
    """Tallies of one agency: overall, per layer, per domain."""

    def __init__(self, infos: dict[str, CheckInfo]) -> None:
        self.infos = infos
        self.overall = Tally()
        self.layers: dict[str, Tally] = {}
        self.domains: dict[str, Tally] = {}

    def add(self, check: str, outcome: Outcome, n: int = 1) -> None:
        info = self.infos[check]
        severity = info.severity
        self.overall.add(check, severity, outcome, n)
        if info.layer:
            layer = self.layers.get(str(info.layer))
            if layer is None:
                layer = self.layers[str(info.layer)] = Tally()
            layer.add(check, severity, outcome, n)
        if info.domain:
            domain = self.domains.get(info.domain)
            if domain is None:
                domain = self.domains[info.domain] = Tally()
            domain.add(check, severity, outcome, n)


def _listed(findings: Iterable[Finding], scorer: _Scorer, include_not_applicable: bool) -> tuple[list[Finding],
                                                                                                  dict[str, int]]:
    """Score every finding; keep the ones the result lists, count the not-applicable ones it does not."""
    listed: list[Finding] = []
    counted: dict[str, int] = {}
    for f in findings:
        scorer.add(f.check, f.outcome)
        if f.outcome is Outcome.NOT_APPLICABLE and not include_not_applicable:
            counted[f.check] = counted.get(f.check, 0) + 1
        else:
            listed.append(f)
    listed.sort(key=lambda f: (f.entity, f.check))
    return listed, counted


class _AgencyOutcome(NamedTuple):
    """What evaluating one agency gives back (from a worker process, or this one)."""

    line: str
    overall: Tally
    layers: dict[str, Tally]
    domains: dict[str, Tally]
    files: tuple[str, ...]
    matched: frozenset[tuple[str, str]]
    """Waivers it matched."""
    warnings: list[str]


PARALLEL_MIN_ENTITIES = 5000
"""Below this many assets, evaluating agencies in forked workers costs more than it saves."""


def _workers(loaded: LoadedInventory, agencies: Sequence[Agency], jobs: int | None = None) -> int:
    """Worker processes for the agencies of this inventory (1: evaluate them in this process); `jobs` caps them."""
    size = sum(len(a.servers) + len(a.workstations) + len(a.workstation_groups) + len(a.security_devices)
               for a in agencies)
    if size < PARALLEL_MIN_ENTITIES or len(agencies) < 2:
        return 1
    limit = jobs if jobs is not None else min(available_cores(), MAX_WORKERS)
    return max(1, min(limit, len(agencies)))


def assess_loaded(loaded: LoadedInventory, profile: Profile, catalog: Catalog, as_of: dt.date,
                  waivers: Waivers | None = None, providers: Sequence[FactProvider] = (),
                  include_not_applicable: bool = False,
                  advance: Callable[[int], None] | None = None, jobs: int | None = None) -> AssessmentResult:
    """Evaluate `profile` over the inventory, agency by agency; the whole result with its store.
    `advance(1)` is called after each agency (progress)."""
    infos = {c.info.id: c.info for c in profile.checks}
    inventory = loaded.inventory
    evaluator = Evaluator(loaded, profile, as_of, waivers, providers)
    evaluator.prepare()
    with long_lived():  # the inventory, graph and facts live to the end: the collector need not scan them again
        files = FileTable(loaded.path)
        if waivers is not None:
            files.index(waivers.path)  # known before any worker starts: every worker numbers files alike
        store = AgencyStore()
        province = _Scorer(infos)
        scores = []
        agencies = inventory.agencies

        def one_agency(index: int) -> _AgencyOutcome:
            agency = agencies[index]
            scorer = _Scorer(infos)
            matched, warned = len(evaluator.matched), len(evaluator.warnings)
            listed, counted = _listed(evaluator.agency(agency), scorer, include_not_applicable)
            line = encode_agency(agency.id, agency.name, agency_details(agency), listed, counted, files, infos)
            return _AgencyOutcome(line, scorer.overall, scorer.layers, scorer.domains, files.names(),
                                  frozenset(evaluator.matched) if
                                  len(evaluator.matched) != matched else frozenset(), evaluator.warnings[warned:])

        known_files = files.names()
        scale = profile.scoring
        for index, outcome in enumerate(map_ordered(one_agency, len(agencies), _workers(loaded, agencies, jobs))):
            agency = agencies[index]
            if outcome.files != known_files:  # a worker met a file the others may number differently: redo here
                outcome = one_agency(index)
                known_files = files.names()
            else:
                evaluator.matched.update(outcome.matched)
                evaluator.warnings.extend(w for w in outcome.warnings if w not in evaluator.warnings)
            store.append(agency.id, outcome.line)
            province.overall.merge(outcome.overall)
            scores.append((agency.id, agency.name, outcome.overall.score(scale),
                           {k: t.score(scale) for k, t in sorted(outcome.layers.items())},
                           {k: t.score(scale) for k, t in sorted(outcome.domains.items())}))
            if advance is not None:
                advance(1)
        own = evaluator.province()
        province_listed, _ = _listed(own, province, True)
        for f in province_listed:
            for pos in (f.location, *(e.location for e in f.evidence), f.waiver.location if f.waiver else None):
                if pos is not None:
                    files.index(pos.file)
        evaluator.unmatched()
    org = inventory.organisation
    header = Header(as_of, __version__, profile.id, profile.title_en, dict(sorted(profile.parameters.items())),
                    loaded.path, org.code, org.name, org.name_en or "", catalog.files,
                    tuple(SourceInfo(s.id, s.title, s.verified, s.title_vi or "") for s in catalog.sources.values()),
                    tuple(infos[k] for k in sorted(infos)), include_not_applicable, profile.title_vi,
                    _transition(profile), profile.scoring)
    province_listed.sort(key=lambda f: (f.entity, f.check))
    names_en = {a.id: a.name_en or "" for a in inventory.agencies}
    ranking = tuple(dataclasses.replace(a, name_en=names_en[a.agency]) for a in rank(scores))
    # a fact provider may warn of its source's limits (an interrupted scan): the result carries those too
    warnings = [*(w for p in providers for w in getattr(p, "warnings", ())), *evaluator.warnings]
    return AssessmentResult(header, province.overall.score(profile.scoring), ranking, province_listed, warnings,
                            store, files.names())


def _transition(profile: Profile) -> TransitionInfo | None:
    rule = profile.transition
    if rule is None:
        return None
    return TransitionInfo(rule.legacy.id, rule.approved_before, rule.due, rule.source, rule.article)
