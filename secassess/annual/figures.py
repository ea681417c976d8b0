"""The annual report's figures, from the assessment result (scores, ratings, systems, findings) and, where
given, the inventory (assessments done in the period, units' reports) and earlier results (last year).

The structure follows the periodic-reporting rule (Circular 12/2022 Art. 13; Decree 331/2026 Art. 35):
the year runs from 15 December to 14 December; units report to the owner by 20 December, the owner to the
ministry by 25 December; the report covers levels and their approval, the 4 layers, incidents, the
assessments done and what is planned. What neither the result nor the inventory records (incidents, the
units' own plans) is reported as missing, never as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from secassess.assessment.result import AssessmentResult, Finding, Score
from secassess.diagnostics import Severity
from secassess.history.timeline import Timeline
from secassess.inventory.model import Inventory
from secassess.report.view import RATINGS, rating_key

LAYERS = ("1", "2", "3", "4")
LEVELS = (1, 2, 3, 4, 5)
TOP_CHECKS = 10


def report_period(as_of: dt.date) -> tuple[int, dt.date, dt.date]:
    """(year, first day, last day) of the reporting year holding `as_of`: 15 December to 14 December."""
    year = as_of.year if (as_of.month, as_of.day) <= (12, 14) else as_of.year + 1
    return year, dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


@dataclass(frozen=True, slots=True)
class LevelRow:
    level: int
    systems: int
    approved: int

    @property
    def not_approved(self) -> int:
        return self.systems - self.approved


@dataclass(frozen=True, slots=True)
class UnapprovedSystem:
    agency: str
    system: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class LayerRow:
    layer: str
    ratings: tuple[tuple[str, int], ...]
    """Agencies per rating of this layer (good, fair, average, weak), then "none" (not scored)."""


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: str
    name: str
    rank: int
    score: float | None
    rating: str
    rating_text: str
    layers: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class CheckRow:
    check: str
    title: str
    severity: str
    agencies: int
    """Agencies (or the province) where it counts against."""
    findings: int
    remediation: str


@dataclass(frozen=True, slots=True)
class AssessmentsRow:
    """One agency's assessments during the period, from the inventory (ISO dates, "" when none in the period)."""

    agency: str
    independent: str
    independent_assessor: str
    penetration_test: str
    vulnerability_scan: str
    malware_scan: str
    annual_report_submitted: str
    """The unit's last annual report to the owner as the inventory records it ("" when not recorded)."""


@dataclass(frozen=True, slots=True)
class AnnualView:
    """Everything `annual_report.html.j2` (and so the .docx made from it) shows."""

    year: int
    period_start: dt.date
    period_end: dt.date
    units_deadline: dt.date
    owner_deadline: dt.date
    as_of: dt.date
    organisation: str
    competent_authority: str
    assessment_title: str
    assessor: str
    profile: str
    profile_title: str
    agency_count: int
    score: float | None
    rating: str
    rating_text: str
    rating_counts: tuple[tuple[str, int], ...]
    previous_as_of: dt.date | None
    previous_score: float | None
    levels: tuple[LevelRow, ...]
    systems_total: int
    systems_approved: int
    unapproved: tuple[UnapprovedSystem, ...]
    layers: tuple[LayerRow, ...]
    agencies: tuple[AgencyRow, ...]
    open_by_severity: tuple[tuple[str, int], ...]
    open_total: int
    top_checks: tuple[CheckRow, ...]
    priorities: tuple[CheckRow, ...]
    """Critical and high checks counting against, by the number of agencies: the recommended plan."""
    has_inventory: bool
    assessments: tuple[AssessmentsRow, ...]
    independent_in_period: int
    pentests_in_period: int


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> str:
    return day.isoformat() if day is not None and start <= day <= end else ""


def _assessments(inventory: Inventory, start: dt.date, end: dt.date) -> tuple[AssessmentsRow, ...]:
    rows = []
    for agency in inventory.agencies:
        layer = agency.layers.assessment
        record = layer.last_independent_assessment
        test = layer.last_penetration_test
        independent = _in(record.date if record else None, start, end)
        rows.append(AssessmentsRow(
            agency.id, independent, record.assessor if record and independent else "",
            _in(test.date if test else None, start, end), _in(layer.last_vulnerability_scan, start, end),
            _in(layer.last_malware_scan, start, end),
            agency.annual_report_submitted.isoformat() if agency.annual_report_submitted else ""))
    return tuple(rows)


def _layer_rows(result: AssessmentResult) -> tuple[LayerRow, ...]:
    rows = []
    for layer in LAYERS:
        counts = dict.fromkeys((*RATINGS, "none"), 0)
        for agency in result.ranking:
            score: Score | None = agency.layers.get(layer)
            counts[rating_key(score.rating) if score is not None and rating_key(score.rating) else "none"] += 1
        rows.append(LayerRow(layer, tuple(counts.items())))
    return tuple(rows)


def annual_view(result: AssessmentResult, lang: str, inventory: Inventory | None = None,
                timeline: Timeline | None = None) -> AnnualView:
    """The annual report of `result` (agencies read one at a time)."""
    year, start, end = report_period(result.as_of)
    levels = {level: [0, 0] for level in LEVELS}
    unapproved: list[UnapprovedSystem] = []
    open_by_severity = dict.fromkeys(Severity, 0)
    check_agencies: dict[str, set[str]] = {}
    check_findings: dict[str, int] = {}

    def count(findings: Iterable[Finding], owner: str) -> None:
        for f in findings:
            if f.outcome.counts_against:
                open_by_severity[f.severity] += 1
                check_agencies.setdefault(f.check, set()).add(owner)
                check_findings[f.check] = check_findings.get(f.check, 0) + 1

    count(result.province_findings, "")
    for agency in result.iter_agencies():
        count(agency.findings, agency.id)
        for system in agency.details.systems:
            levels[system.level][0] += 1
            levels[system.level][1] += system.approved is True
            if system.approved is not True:  # not approved, or the inventory does not say
                unapproved.append(UnapprovedSystem(agency.id, system.id, system.name_en if lang == "en" and
                                                   system.name_en else system.name, system.level))

    def check_row(check_id: str) -> CheckRow:
        info = result.check(check_id)
        return CheckRow(check_id, info.title(lang), info.severity.value, len(check_agencies[check_id]),
                        check_findings[check_id], info.remediation(lang))

    by_reach = sorted(check_agencies, key=lambda c: (-len(check_agencies[c]), -result.check(c).severity.rank, c))
    priorities = [c for c in by_reach if result.check(c).severity.rank >= Severity.HIGH.rank]
    ratings = dict.fromkeys(RATINGS, 0)
    for agency_score in result.ranking:
        key = rating_key(agency_score.overall.rating)
        if key:
            ratings[key] += 1
    previous = timeline.previous() if timeline is not None else None
    organisation = inventory.organisation if inventory is not None else None
    assessment = inventory.assessment if inventory is not None else None
    assessments = _assessments(inventory, start, end) if inventory is not None else ()
    names = {a.agency: (a.name_en if lang == "en" and a.name_en else a.name) for a in result.ranking}
    return AnnualView(
        year=year, period_start=start, period_end=end, units_deadline=dt.date(year, 12, 20),
        owner_deadline=dt.date(year, 12, 25), as_of=result.as_of,
        organisation=result.header.organisation_name_en if lang == "en" and result.header.organisation_name_en
        else result.organisation_name,
        competent_authority=(organisation.competent_authority or "") if organisation else "",
        assessment_title=(assessment.title or "") if assessment else "",
        assessor=assessment.assessor if assessment else "", profile=result.profile,
        profile_title=result.profile_title, agency_count=len(result.ranking), score=result.province.score,
        rating=rating_key(result.province.rating), rating_text=result.province.rating or "",
        rating_counts=tuple(ratings.items()),
        previous_as_of=previous.as_of if previous else None,
        previous_score=previous.province.score if previous else None,
        levels=tuple(LevelRow(level, n, approved) for level, (n, approved) in levels.items()),
        systems_total=sum(n for n, _ in levels.values()), systems_approved=sum(a for _, a in levels.values()),
        unapproved=tuple(sorted(unapproved, key=lambda s: (-s.level, s.agency, s.system))),
        layers=_layer_rows(result),
        agencies=tuple(AgencyRow(a.agency, names[a.agency], a.rank, a.overall.score, rating_key(a.overall.rating),
                                 a.overall.rating or "",
                                 tuple(a.layers[k].score if k in a.layers else None for k in LAYERS))
                       for a in result.ranking),
        open_by_severity=tuple((s.value, open_by_severity[s]) for s in Severity),
        open_total=sum(open_by_severity.values()),
        top_checks=tuple(check_row(c) for c in by_reach[:TOP_CHECKS]),
        priorities=tuple(check_row(c) for c in priorities[:TOP_CHECKS]),
        has_inventory=inventory is not None, assessments=assessments,
        independent_in_period=sum(1 for r in assessments if r.independent),
        pentests_in_period=sum(1 for r in assessments if r.penetration_test))
