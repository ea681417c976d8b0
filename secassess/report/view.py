"""What the templates show, prepared from the result document: sorted, grouped, capped, charted.

Templates receive only these records (and the locale formatters); they make no decisions of their own
beyond layout, so a user's template cannot get the numbers wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from secassess.diagnostics import Outcome, Severity
from secassess.report.charts import BarChart, horizontal_bars, score_tone, vertical_bars
from secassess.report.document import (
    AgencyResult,
    AssessmentResult,
    CheckInfo,
    CheckResult,
    Contact,
    SystemInfo,
    WaiverInfo,
)

MAX_ENTITIES_PER_CHECK = 10
"""Entities listed under one failed check; the rest are counted ("and K more")."""
MAX_EVIDENCE_PER_ENTITY = 8
MAX_WAIVED = 50
"""Waived findings listed per agency; the rest are counted."""
MAX_VALUE_CHARS = 300
"""Evidence values (nmap banners, free text) are cut here so one value cannot bloat a report."""
INDEX_PAGE_SIZE = 500

RATINGS = ("good", "fair", "average", "weak")
_RATING_ALIASES = {
    "tot": "good", "tốt": "good", "good": "good",
    "kha": "fair", "khá": "fair", "fair": "fair",
    "trung_binh": "average", "trung bình": "average", "trung-binh": "average", "average": "average",
    "yeu": "weak", "yếu": "weak", "weak": "weak",
}
SEVERITIES = tuple(Severity)


def rating_key(rating: str) -> str:
    """The rating as one of `RATINGS` (the document may spell it in Vietnamese or English); "" if unknown."""
    return _RATING_ALIASES.get(rating.strip().lower(), "")


def short_entity(entity: str, agency_id: str) -> str:
    """`agency:x/server:web01` shown as `server: web01` inside agency x's report."""
    prefix = f"agency:{agency_id}"
    if entity == prefix:
        return ""
    rest = entity.removeprefix(prefix + "/")
    kind, sep, name = rest.partition(":")
    return f"{kind}: {name}" if sep else rest


def show_value(value: object) -> str:
    """An evidence value as compact text, cut at `MAX_VALUE_CHARS`."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ", ".join(map(str, value))
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    field: str
    value: str
    location: str
    """`file:line`, `file`, or "" when the value was derived."""


@dataclass(frozen=True, slots=True)
class EntityFinding:
    entity: str
    message: str
    evidence: tuple[EvidenceRow, ...]
    more_evidence: int


@dataclass(frozen=True, slots=True)
class ReferenceView:
    source: str
    title: str
    article: str
    verified: bool


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """One check's failures (or errors) over one or more entities of the agency."""

    check: str
    title: str
    remediation: str
    severity: str
    layer: int | None
    domain: str
    references: tuple[ReferenceView, ...]
    count: int
    entities: tuple[EntityFinding, ...]
    more: int


@dataclass(frozen=True, slots=True)
class WaivedFinding:
    check: str
    title: str
    severity: str
    entity: str
    reason: str
    approver: str
    expires: str
    """ISO date; templates format it with the `date` filter."""
    expired: bool


@dataclass(frozen=True, slots=True)
class Coverage:
    key: str
    count: int
    ratio: float


@dataclass(frozen=True, slots=True)
class AgencyView:
    """Everything `agency_report.*.j2` shows about one agency."""

    id: str
    name: str
    name_other: str
    """The name in the other language, if any (English name in a Vietnamese report and vice versa)."""
    kind: str
    contacts: tuple[Contact, ...]
    score: float
    rating: str
    rating_text: str
    tone: str
    layers_chart: BarChart
    endpoints: int
    coverage: tuple[Coverage, ...]
    coverage_chart: BarChart
    severity_counts: tuple[tuple[str, int], ...]
    severity_chart: BarChart
    open_findings: int
    findings: tuple[FindingGroup, ...]
    errors: tuple[FindingGroup, ...]
    waived: tuple[WaivedFinding, ...]
    more_waived: int
    systems: tuple[SystemInfo, ...]
    outcome_counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int
    id: str
    name: str
    score: float
    rating: str
    rating_text: str
    tone: str
    open_findings: int
    critical: int
    link: str


@dataclass(frozen=True, slots=True)
class IndexPage:
    """One page of the province summary (`index.html`, `index-2.html`, ...)."""

    number: int
    pages: tuple[str, ...]
    """File names of every page, in order."""
    rows: tuple[RankRow, ...]


@dataclass(frozen=True, slots=True)
class ProvinceView:
    organisation: str
    organisation_other: str
    agency_count: int
    mean_score: float
    rating_counts: tuple[tuple[str, int], ...]
    rating_chart: BarChart
    severity_counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """The footer and header facts shared by every page."""

    as_of: str
    organisation: str
    profile_id: str
    profile_title: str
    tool_version: str
    lang: str


def meta(result: AssessmentResult, lang: str) -> ReportMeta:
    return ReportMeta(result.as_of.isoformat(),
                      _names(result.organisation.name, result.organisation.name_en, lang)[0],
                      result.profile_id, result.profile_title.get(lang), result.tool_version, lang)


def _names(name: str, name_en: str | None, lang: str) -> tuple[str, str]:
    if lang == "en" and name_en:
        return name_en, name
    return name, ""


def _references(check: CheckInfo, result: AssessmentResult) -> tuple[ReferenceView, ...]:
    sources = {s.id: s for s in result.sources}
    return tuple(ReferenceView(r.source, sources[r.source].title if r.source in sources else r.source,
                               r.article or "", sources[r.source].verified if r.source in sources else True)
                 for r in check.references)


def _entity_finding(item: CheckResult, agency_id: str) -> EntityFinding:
    rows = tuple(EvidenceRow(e.field, show_value(e.value),
                             f"{e.file}:{e.line}" if e.file and e.line else (e.file or ""))
                 for e in item.evidence[:MAX_EVIDENCE_PER_ENTITY])
    return EntityFinding(short_entity(item.entity, agency_id), item.message, rows,
                         max(0, len(item.evidence) - MAX_EVIDENCE_PER_ENTITY))


def _groups(items: Iterable[CheckResult], agency_id: str, result: AssessmentResult,
            lang: str) -> tuple[FindingGroup, ...]:
    by_check: dict[str, list[CheckResult]] = {}
    for item in items:
        by_check.setdefault(item.check, []).append(item)
    groups = []
    for check_id, found in by_check.items():
        check = result.checks[check_id]
        severity = max((f.severity for f in found), key=lambda s: s.rank)
        found.sort(key=lambda f: f.entity)
        groups.append(FindingGroup(
            check_id, check.title.get(lang), check.remediation.get(lang), severity.value, check.layer,
            check.domain or "", _references(check, result), len(found),
            tuple(_entity_finding(f, agency_id) for f in found[:MAX_ENTITIES_PER_CHECK]),
            max(0, len(found) - MAX_ENTITIES_PER_CHECK)))
    return tuple(sorted(groups, key=lambda g: (-Severity(g.severity).rank, g.layer or 9, g.check)))


def _waived(items: Sequence[CheckResult], agency_id: str, result: AssessmentResult,
            lang: str) -> tuple[WaivedFinding, ...]:
    rows = []
    for item in sorted(items, key=lambda i: (-i.severity.rank, i.check, i.entity)):
        waiver = item.waiver or WaiverInfo("", "", result.as_of)
        rows.append(WaivedFinding(item.check, result.checks[item.check].title.get(lang), item.severity.value,
                                  short_entity(item.entity, agency_id), waiver.reason, waiver.approver,
                                  waiver.expires.isoformat(), waiver.expires < result.as_of))
    return tuple(rows)


def severity_counts(results: Iterable[CheckResult]) -> tuple[tuple[str, int], ...]:
    """Open findings (failed, not waived) per severity, worst first, zeros included."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for item in results:
        if item.outcome == Outcome.FAIL:
            counts[item.severity] += 1
    return tuple((s.value, counts[s]) for s in SEVERITIES)


def _severity_chart(counts: Sequence[tuple[str, int]]) -> BarChart:
    return horizontal_bars([(s, float(n), s) for s, n in counts], max(max((n for _, n in counts), default=0), 1),
                           width=340, label_width=100)


def agency_view(agency: AgencyResult, result: AssessmentResult, lang: str) -> AgencyView:
    """The report of one agency, ready for a template."""
    name, other = _names(agency.name, agency.name_en, lang)
    failed = [r for r in agency.results if r.outcome == Outcome.FAIL]
    errored = [r for r in agency.results if r.outcome == Outcome.ERROR]
    waived = [r for r in agency.results if r.outcome == Outcome.WAIVED]
    layers = {s.layer: s.score for s in agency.layers}
    am = agency.anti_malware
    coverage = tuple(Coverage(key, count, count / am.endpoints if am.endpoints else 0.0) for key, count in (
        ("licensed", am.licensed), ("centrally_managed", am.centrally_managed),
        ("signatures_current", am.signatures_current)))
    counts = severity_counts(agency.results)
    waived_rows = _waived(waived, agency.id, result, lang)
    outcomes = dict.fromkeys(Outcome, 0)
    for item in agency.results:
        outcomes[item.outcome] += 1
    key = rating_key(agency.rating)
    return AgencyView(
        id=agency.id, name=name, name_other=other, kind=agency.kind, contacts=agency.contacts,
        score=agency.score, rating=key, rating_text=agency.rating, tone=key or score_tone(agency.score),
        layers_chart=vertical_bars([(str(n), layers.get(n, 0.0), score_tone(layers.get(n, 0.0)))
                                    for n in (1, 2, 3, 4)]),
        endpoints=am.endpoints, coverage=coverage,
        coverage_chart=horizontal_bars([(c.key, round(c.ratio * 100, 1), score_tone(c.ratio * 100))
                                        for c in coverage], 100.0),
        severity_counts=counts, severity_chart=_severity_chart(counts), open_findings=len(failed),
        findings=_groups(failed, agency.id, result, lang), errors=_groups(errored, agency.id, result, lang),
        waived=waived_rows[:MAX_WAIVED], more_waived=max(0, len(waived_rows) - MAX_WAIVED),
        systems=tuple(sorted(agency.systems, key=lambda s: (-s.level, s.id))),
        outcome_counts=tuple((o.value, outcomes[o]) for o in Outcome))


def ranking(result: AssessmentResult, lang: str, links: Mapping[str, str]) -> tuple[RankRow, ...]:
    """Agencies by score, best first (ties share a rank, then sorted by id); `links` maps id to report file."""
    ordered = sorted(result.agencies, key=lambda a: (-a.score, a.id))
    rows: list[RankRow] = []
    for position, agency in enumerate(ordered, start=1):
        rank = rows[-1].rank if rows and rows[-1].score == agency.score else position
        counts = dict(severity_counts(agency.results))
        key = rating_key(agency.rating)
        rows.append(RankRow(rank, agency.id, _names(agency.name, agency.name_en, lang)[0], agency.score, key,
                            agency.rating, key or score_tone(agency.score), sum(counts.values()), counts["critical"],
                            links.get(agency.id, "")))
    return tuple(rows)


def index_pages(rows: Sequence[RankRow], page_size: int = INDEX_PAGE_SIZE) -> tuple[IndexPage, ...]:
    """The ranking cut into pages; the first is `index.html`."""
    chunks = [rows[i:i + page_size] for i in range(0, len(rows), page_size)] or [[]]
    names = tuple("index.html" if n == 1 else f"index-{n}.html" for n in range(1, len(chunks) + 1))
    return tuple(IndexPage(n, names, tuple(chunk)) for n, chunk in enumerate(chunks, start=1))


def province_view(result: AssessmentResult, lang: str) -> ProvinceView:
    """Province-wide totals for the summary page."""
    name, other = _names(result.organisation.name, result.organisation.name_en, lang)
    ratings = dict.fromkeys(RATINGS, 0)
    for agency in result.agencies:
        key = rating_key(agency.rating)
        if key:
            ratings[key] += 1
    rating_counts = tuple((r, ratings[r]) for r in RATINGS)
    all_results = (r for a in result.agencies for r in a.results)
    scores = [a.score for a in result.agencies]
    return ProvinceView(name, other, len(result.agencies), sum(scores) / len(scores) if scores else 0.0,
                        rating_counts,
                        horizontal_bars([(r, float(n), r) for r, n in rating_counts],
                                        max(max(ratings.values(), default=0), 1), width=340, label_width=100),
                        severity_counts(all_results))
