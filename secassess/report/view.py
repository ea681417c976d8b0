"""What the templates show, prepared from the result document: sorted, grouped, capped, charted.

Templates receive only these records (and the locale filters); they make no decisions of their own
beyond layout, so a user's template cannot get the numbers wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from secassess import __version__
from secassess.assessment.result import (
    AgencyDetails,
    AgencyResult,
    AssessmentResult,
    Contact,
    Finding,
    Score,
    SystemSummary,
)
from secassess.diagnostics import Outcome, Severity
from secassess.errors import SourcePos
from secassess.report.charts import BarChart, horizontal_bars, score_tone, vertical_bars

MAX_ENTITIES_PER_CHECK = 10
"""Entities listed under one failed check; the rest are counted ("and K more")."""
MAX_EVIDENCE_PER_ENTITY = 8
MAX_WAIVED = 50
"""Waived findings listed per agency; the rest are counted."""
MAX_VALUE_CHARS = 300
"""Evidence values (nmap banners, free text) are cut here so one value cannot bloat a report."""
INDEX_PAGE_SIZE = 500
LAYERS = ("1", "2", "3", "4")

RATINGS = ("good", "fair", "average", "weak")
_RATING_ALIASES = {
    "tốt": "good", "tot": "good", "good": "good",
    "khá": "fair", "kha": "fair", "fair": "fair",
    "trung bình": "average", "trung_binh": "average", "average": "average",
    "yếu": "weak", "yeu": "weak", "weak": "weak",
}
COVERAGE_FACTS = (("licensed", "facts.anti_malware_licensed_ratio"),
                  ("centrally_managed", "facts.anti_malware_managed_ratio"),
                  ("signatures_current", "facts.anti_malware_current_ratio"))
ENDPOINTS_FACT = "facts.endpoints_networked"


def rating_key(rating: str | None) -> str:
    """The rating as one of `RATINGS` (the document writes it in Vietnamese); "" if none or unknown."""
    return _RATING_ALIASES.get((rating or "").strip().lower(), "")


def short_entity(entity: str, agency_id: str) -> str:
    """`agency:x/server:web01` shown as `server: web01` inside agency x's report ("" for the agency itself)."""
    prefix = f"agency:{agency_id}"
    if entity == prefix:
        return ""
    rest = entity.removeprefix(prefix + "/")
    kind, sep, name = rest.partition(":")
    return f"{kind}: {name}" if sep and "/" not in kind else rest


def show_value(value: object) -> str:
    """An evidence value as compact text, cut at `MAX_VALUE_CHARS`."""
    if value is None:
        text = "—"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ", ".join(map(str, value))
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def place(pos: SourcePos | None, base: str) -> str:
    """`file:line`, the file relative to the inventory's folder `base` when it lies inside it."""
    return "" if pos is None else f"{_shown_file(pos.file, base)}:{pos.line}"


@lru_cache(maxsize=256)
def _shown_file(name: str, base: str) -> str:
    if base and os.path.isabs(name) and os.path.isabs(base) and os.path.commonpath([name, base]) == base:
        return os.path.relpath(name, base)
    return name


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    field: str
    value: str
    expected: str
    met: bool | None
    location: str


@dataclass(frozen=True, slots=True)
class EntityFinding:
    entity: str
    """Short name inside the agency ("" for the agency itself)."""
    message: str
    location: str
    evidence: tuple[EvidenceRow, ...]
    more_evidence: int
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReferenceView:
    source: str
    title: str
    article: str
    verified: bool


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """One check's failures (or errors) over one or more entities."""

    check: str
    title: str
    remediation: str
    severity: str
    layer: int | None
    domain: str
    unverified: bool
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
    ratio: float


@dataclass(frozen=True, slots=True)
class ScoreRow:
    key: str
    score: float | None
    rating: str
    rating_text: str
    failed: int


@dataclass(frozen=True, slots=True)
class MissingFact:
    """A fact the inventory lacks, which stopped checks from reaching a verdict: what to collect next."""

    field: str
    checks: tuple[str, ...]
    entities: int
    """How many entities lack it."""


@dataclass(frozen=True, slots=True)
class AgencyView:
    """Everything `agency_report.*.j2` shows about one agency."""

    id: str
    name: str
    name_other: str
    """The official Vietnamese name in an English report ("" otherwise)."""
    rank: int
    score: float | None
    rating: str
    rating_text: str
    capped: bool
    tone: str
    details: AgencyDetails
    kind: str
    contacts: tuple[Contact, ...]
    systems: tuple[SystemSummary, ...]
    layers: tuple[ScoreRow, ...]
    layers_chart: BarChart
    domains: tuple[ScoreRow, ...]
    endpoints: int | None
    coverage: tuple[Coverage, ...]
    coverage_chart: BarChart
    severity_counts: tuple[tuple[str, int], ...]
    severity_chart: BarChart
    outcome_counts: tuple[tuple[str, int], ...]
    open_findings: int
    findings: tuple[FindingGroup, ...]
    errors: tuple[FindingGroup, ...]
    insufficient: tuple[FindingGroup, ...]
    """Checks with no verdict for lack of data (they count as failures in the score)."""
    facts_to_collect: tuple[MissingFact, ...]
    waived: tuple[WaivedFinding, ...]
    more_waived: int


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int
    id: str
    name: str
    score: float | None
    rating: str
    rating_text: str
    capped: bool
    tone: str
    failed: int
    critical: int
    layers: tuple[float | None, ...]
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
    score: float | None
    rating: str
    rating_text: str
    capped: bool
    tone: str
    rating_counts: tuple[tuple[str, int], ...]
    rating_chart: BarChart
    severity_counts: tuple[tuple[str, int], ...]
    findings: tuple[FindingGroup, ...]
    """Province-wide failures (owned by no agency)."""
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """The header and footer facts shared by every page."""

    as_of: str
    organisation: str
    profile_id: str
    profile_title: str
    tool_version: str
    lang: str
    warnings: tuple[str, ...] = ()
    """What the assessment could not do fully (an interrupted scan...): every report shows it."""


def _names(name: str, name_en: str, lang: str) -> tuple[str, str]:
    """(name to show, official name beside it): English first in an English report, when there is one."""
    return (name_en, name) if lang == "en" and name_en else (name, "")


def meta(result: AssessmentResult, lang: str) -> ReportMeta:
    return ReportMeta(result.as_of.isoformat(),
                      _names(result.organisation_name, result.header.organisation_name_en, lang)[0],
                      result.profile, result.profile_title, __version__, lang, result.warnings)


def _tone(score: Score) -> str:
    return rating_key(score.rating) or ("" if score.score is None else score_tone(score.score))


def _references(check_id: str, result: AssessmentResult) -> tuple[ReferenceView, ...]:
    sources = {s.id: s for s in result.sources}
    return tuple(ReferenceView(source, sources[source].title if source in sources else source, article,
                               sources[source].verified if source in sources else True)
                 for source, article in result.check(check_id).references)


def _entity_finding(item: Finding, agency_id: str, base: str) -> EntityFinding:
    rows = tuple(EvidenceRow(e.field, show_value(e.value), e.expected, e.met, place(e.location, base))
                 for e in item.evidence[:MAX_EVIDENCE_PER_ENTITY])
    return EntityFinding(short_entity(item.entity, agency_id), item.message, place(item.location, base), rows,
                         max(0, len(item.evidence) - MAX_EVIDENCE_PER_ENTITY), item.notes)


def finding_groups(items: Iterable[Finding], agency_id: str, result: AssessmentResult,
                   lang: str) -> tuple[FindingGroup, ...]:
    """`items` grouped by check, worst first; each lists its first `MAX_ENTITIES_PER_CHECK` entities."""
    base = os.path.dirname(result.inventory)
    by_check: dict[str, list[Finding]] = {}
    for item in items:
        by_check.setdefault(item.check, []).append(item)
    groups = []
    for check_id, found in by_check.items():
        check = result.check(check_id)
        severity = max((f.severity for f in found), key=lambda s: s.rank)
        found.sort(key=lambda f: f.entity)
        groups.append(FindingGroup(
            check_id, check.title(lang), check.remediation(lang), severity.value, check.layer,
            check.domain or "", check.unverified, _references(check_id, result), len(found),
            tuple(_entity_finding(f, agency_id, base) for f in found[:MAX_ENTITIES_PER_CHECK]),
            max(0, len(found) - MAX_ENTITIES_PER_CHECK)))
    return tuple(sorted(groups, key=lambda g: (-Severity(g.severity).rank, g.layer or 9, g.check)))


def _waived(items: Sequence[Finding], agency_id: str, result: AssessmentResult, lang: str) -> tuple[WaivedFinding, ...]:
    rows = []
    for item in sorted(items, key=lambda i: (-i.severity.rank, i.check, i.entity)):
        if item.waiver is not None:
            rows.append(WaivedFinding(item.check, result.check(item.check).title(lang), item.severity.value,
                                      short_entity(item.entity, agency_id), item.waiver.reason, item.waiver.approver,
                                      item.waiver.expires.isoformat(), item.waiver.expired))
    return tuple(rows)


def severity_counts(findings: Iterable[Finding]) -> tuple[tuple[str, int], ...]:
    """Open findings (failed, not waived) per severity, worst first, zeros included."""
    counts = dict.fromkeys(Severity, 0)
    for item in findings:
        if item.outcome == Outcome.FAIL:
            counts[item.severity] += 1
    return tuple((s.value, counts[s]) for s in Severity)


def _severity_chart(counts: Sequence[tuple[str, int]]) -> BarChart:
    return horizontal_bars([(s, float(n), s) for s, n in counts], max(max((n for _, n in counts), default=0), 1),
                           width=340, label_width=100)


def _coverage(findings: Iterable[Finding]) -> tuple[int | None, tuple[Coverage, ...]]:
    """Networked endpoints and anti-malware ratios, as the assessment's facts recorded them in evidence."""
    facts: dict[str, object] = {}
    for item in findings:
        if item.kind == "agency":
            for e in item.evidence:
                if e.field.startswith("facts."):
                    facts.setdefault(e.field, e.value)
    endpoints = facts.get(ENDPOINTS_FACT)
    ratios = tuple(Coverage(key, float(value)) for key, fact in COVERAGE_FACTS
                   if isinstance(value := facts.get(fact), int | float) and not isinstance(value, bool))
    return (endpoints if isinstance(endpoints, int) and not isinstance(endpoints, bool) else None), ratios


def facts_to_collect(findings: Iterable[Finding]) -> tuple[MissingFact, ...]:
    """The fields read as missing by checks that lacked data, with the checks that need them, most needed first."""
    checks: dict[str, set[str]] = {}
    entities: dict[str, set[str]] = {}
    for item in findings:
        if item.outcome != Outcome.INSUFFICIENT_DATA:
            continue
        for e in item.evidence:
            if e.value is None and e.met is not True:
                checks.setdefault(e.field, set()).add(item.check)
                entities.setdefault(e.field, set()).add(item.entity)
    rows = [MissingFact(f, tuple(sorted(checks[f])), len(entities[f])) for f in checks]
    return tuple(sorted(rows, key=lambda r: (-len(r.checks), -r.entities, r.field)))


def _score_rows(scores: Mapping[str, Score], keys: Iterable[str]) -> tuple[ScoreRow, ...]:
    rows = []
    for key in keys:
        score = scores.get(key)
        if score is not None:
            rows.append(ScoreRow(key, score.score, rating_key(score.rating), score.rating or "",
                                 score.counts.get("fail", 0)))
    return tuple(rows)


def agency_view(agency: AgencyResult, result: AssessmentResult, lang: str) -> AgencyView:
    """The report of one agency, ready for a template."""
    details = agency.details
    name, other = _names(agency.name, details.name_en, lang)
    failed = [f for f in agency.findings if f.outcome == Outcome.FAIL]
    errored = [f for f in agency.findings if f.outcome == Outcome.ERROR]
    lacking = [f for f in agency.findings if f.outcome == Outcome.INSUFFICIENT_DATA]
    waived = _waived([f for f in agency.findings if f.waiver is not None], agency.id, result, lang)
    layers = _score_rows(agency.layers, LAYERS)
    layer_scores = {row.key: row.score for row in layers}
    endpoints, coverage = _coverage(agency.findings)
    counts = severity_counts(agency.findings)
    overall = agency.overall
    return AgencyView(
        id=agency.id, name=name, name_other=other, rank=agency.rank, score=overall.score,
        rating=rating_key(overall.rating), rating_text=overall.rating or "", capped=overall.capped,
        tone=_tone(overall), details=details, kind=details.kind, contacts=details.contacts, systems=details.systems,
        layers=layers,
        layers_chart=vertical_bars([(key, layer_scores.get(key), score_tone(layer_scores.get(key) or 0.0))
                                    for key in LAYERS]),
        domains=_score_rows(agency.domains, sorted(agency.domains)),
        endpoints=endpoints, coverage=coverage,
        coverage_chart=horizontal_bars([(c.key, round(c.ratio * 100, 1), score_tone(c.ratio * 100))
                                        for c in coverage], 100.0, width=380, label_width=160),
        severity_counts=counts, severity_chart=_severity_chart(counts),
        outcome_counts=tuple((o.value, overall.counts.get(o.value, 0)) for o in Outcome),
        open_findings=len(failed),
        findings=finding_groups(failed, agency.id, result, lang),
        errors=finding_groups(errored, agency.id, result, lang),
        insufficient=finding_groups(lacking, agency.id, result, lang), facts_to_collect=facts_to_collect(lacking),
        waived=waived[:MAX_WAIVED], more_waived=max(0, len(waived) - MAX_WAIVED))


def ranking(result: AssessmentResult, lang: str, links: Mapping[str, str]) -> tuple[RankRow, ...]:
    """Agencies in the result's ranking order; `links` maps an agency id to its report file."""
    rows = []
    for agency in sorted(result.agencies, key=lambda a: (a.rank, a.agency)):
        overall = agency.overall
        rows.append(RankRow(
            agency.rank, agency.agency, _names(agency.name, agency.name_en, lang)[0], overall.score,
            rating_key(overall.rating), overall.rating or "", overall.capped, _tone(overall),
            overall.counts.get("fail", 0), overall.critical_failures,
            tuple(agency.layers[k].score if k in agency.layers else None for k in LAYERS),
            links.get(agency.agency, "")))
    return tuple(rows)


def index_pages(rows: Sequence[RankRow], page_size: int = INDEX_PAGE_SIZE) -> tuple[IndexPage, ...]:
    """The ranking cut into pages; the first is `index.html`."""
    chunks = [rows[i:i + page_size] for i in range(0, len(rows), page_size)] or [[]]
    names = tuple("index.html" if n == 1 else f"index-{n}.html" for n in range(1, len(chunks) + 1))
    return tuple(IndexPage(n, names, tuple(chunk)) for n, chunk in enumerate(chunks, start=1))


def province_view(result: AssessmentResult, lang: str) -> ProvinceView:
    """Province-wide totals and findings for the summary page."""
    name, other = _names(result.organisation_name, result.header.organisation_name_en, lang)
    ratings = dict.fromkeys(RATINGS, 0)
    for agency in result.agencies:
        key = rating_key(agency.overall.rating)
        if key:
            ratings[key] += 1
    rating_counts = tuple((r, ratings[r]) for r in RATINGS)
    failed = result.province.failed
    province_failed = [f for f in result.province_findings if f.outcome in (Outcome.FAIL, Outcome.ERROR)]
    return ProvinceView(
        name, other, len(result.agencies), result.province.score, rating_key(result.province.rating),
        result.province.rating or "", result.province.capped, _tone(result.province), rating_counts,
        horizontal_bars([(r, float(n), r) for r, n in rating_counts], max(max(ratings.values(), default=0), 1),
                        width=340, label_width=100),
        tuple((s.value, failed.get(s.value, 0)) for s in Severity),
        finding_groups(province_failed, "", result, lang), result.warnings)
