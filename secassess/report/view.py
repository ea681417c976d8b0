"""What the templates show, prepared from the result document: sorted, grouped, capped, charted.

Templates receive only these records (and the locale filters); they make no decisions of their own
beyond layout, so a user's template cannot get the numbers wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from secassess import __version__
from secassess.assessment.result import (
    RATING_IDS,
    AgencyDetails,
    AgencyResult,
    AppliedWaiver,
    AssessmentResult,
    CheckInfo,
    Contact,
    Finding,
    Score,
    SystemSummary,
    TransitionInfo,
)
from secassess.assessment.rules import CANNOT_EVALUATE
from secassess.diagnostics import Outcome, Severity
from secassess.errors import SourcePos
from secassess.labels import entity_label, parameter_label
from secassess.report.charts import BarChart, horizontal_bars, score_tone, vertical_bars
from secassess.report.expectations import Wording
from secassess.report.i18n import LocaleFormat
from secassess.report.phrases import Phrases

MAX_ENTITIES_PER_CHECK = 10
"""Entities listed under one failed check; the rest are counted ("and K more")."""
MAX_EVIDENCE_PER_ENTITY = 8
MAX_WAIVED = 50
"""Waived findings listed per agency; the rest are counted."""
MAX_VALUE_CHARS = 300
"""Evidence values (nmap banners, free text) are cut here so one value cannot bloat a report."""
INDEX_PAGE_SIZE = 500
LAYERS = ("1", "2", "3", "4")

RATINGS = RATING_IDS
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


def short_entity(entity: str, agency_id: str, lang: str = "en") -> str:
    """`agency:x/server:web01` shown as `server: web01` (`máy chủ: web01` in Vietnamese) inside agency x's
    report ("" for the agency itself)."""
    prefix = f"agency:{agency_id}"
    if entity == prefix:
        return ""
    rest = entity.removeprefix(prefix + "/")
    kind, sep, name = rest.partition(":")
    return f"{entity_label(kind, lang)}: {name}" if sep and "/" not in kind else rest


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
    """The path the check read (`layers.on_site.dedicated_staff`)."""
    value: str
    """The value in words (yes/no, dates, percentages, codes by their labels)."""
    expected: str
    """What the check expected, in the report's language."""
    met: bool | None
    location: str
    label: str = ""
    """The field's label in the report's language (the path when it has none)."""


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
    label: str = ""
    """The field's label in the report's language (the path when it has none)."""


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
class ScaleView:
    """The profile's rating scale as reports state it next to the ratings (macros.html.j2 `scale_note`)."""

    floors: tuple[tuple[str, float], ...]
    """(rating key, lowest score), best first; below the last: weak."""
    weights: tuple[tuple[str, int], ...]
    """(severity, weight)."""
    cap: str
    """The rating an open critical finding caps at ("" when none)."""
    source: str
    """The rule that sets the scale, by its title in the report's language and article ("" for a province default)."""
    reason: str
    """Why the province chose it (a province default), in the report's language."""


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
    scale: ScaleView | None = None
    """How scores become ratings (pages that show ratings state it)."""


def _names(name: str, name_en: str, lang: str) -> tuple[str, str]:
    """(name to show, official name beside it): English first in an English report, when there is one."""
    return (name_en, name) if lang == "en" and name_en else (name, "")


def meta(result: AssessmentResult, lang: str) -> ReportMeta:
    title = (result.header.profile_title_vi or result.profile_title) if lang == "vi" else result.profile_title
    return ReportMeta(result.as_of.isoformat(),
                      _names(result.organisation_name, result.header.organisation_name_en, lang)[0],
                      result.profile, title, __version__, lang, warnings(result, lang), scale(result, lang))


def scale(result: AssessmentResult, lang: str) -> ScaleView:
    """The result's rating scale and its origin, in the report's language."""
    policy = result.header.scoring
    source = ""
    if policy.source:
        known = {s.id: s for s in result.sources}
        title = known[policy.source].shown_title(lang) if policy.source in known else policy.source
        source = f"{title}, {_article(policy.article, lang)}" if policy.article else title
    reason = (policy.reason_vi or policy.reason_en) if lang == "vi" else policy.reason_en
    return ScaleView(policy.floors, tuple((str(s), w) for s, w in policy.weights), policy.critical_cap or "",
                     source, "" if policy.source else reason)


def warnings(result: AssessmentResult, lang: str) -> tuple[str, ...]:
    """What the assessment could not do fully, in the report's language."""
    phrases = Phrases(lang)
    return tuple(phrases.warning(w) for w in result.warnings)


def _tone(score: Score) -> str:
    return rating_key(score.rating) or ("" if score.score is None else score_tone(score.score))


def _references(check_id: str, result: AssessmentResult, lang: str) -> tuple[ReferenceView, ...]:
    sources = {s.id: s for s in result.sources}
    return tuple(ReferenceView(source, sources[source].shown_title(lang) if source in sources else source,
                               _article(article, lang), sources[source].verified if source in sources else True)
                 for source, article in result.check(check_id).references)


_ARTICLE_VI = (("Art. ", "Điều "), ("Annex ", "Phụ lục "), ("Clause ", "Khoản "), ("Section ", "Mục "))


def _article(article: str, lang: str) -> str:
    """`Art. 20.1` is `Điều 20.1` in a Vietnamese report."""
    if lang == "vi":
        for english, vietnamese in _ARTICLE_VI:
            article = article.replace(english, vietnamese)
    return article


_MESSAGES_VI = {Outcome.FAIL: "Không đạt yêu cầu.", Outcome.ERROR: "Không đánh giá được: {detail}.",
                Outcome.INSUFFICIENT_DATA: "Thiếu dữ liệu: {fields}.", Outcome.WAIVED: "Được miễn trừ."}
UNDECIDED_VI = "Chưa xác định được: {fields}."
"""A finding that lacks data without naming an unstated field (a derived fact the inventory leaves open)."""
SHOWN_ONLY = frozenset({"reference", "denominator", "evidence"})
"""Expectations of evidence rows that decide nothing."""


def _message(item: Finding, wording: Wording) -> str:
    """The finding's message; in Vietnamese rebuilt from its parts (the engine writes English)."""
    if wording.lang != "vi":
        return item.message
    if item.outcome is Outcome.INSUFFICIENT_DATA:
        missing = [wording.label(e.field) for e in item.evidence if e.value is None and e.met is not True]
        if missing:
            return _MESSAGES_VI[item.outcome].format(fields="; ".join(dict.fromkeys(missing)))
        open_ = [wording.label(e.field) for e in item.evidence if e.met is None and e.expected not in SHOWN_ONLY]
        return UNDECIDED_VI.format(fields="; ".join(dict.fromkeys(open_)) or "—")
    if item.outcome is Outcome.ERROR:
        return _MESSAGES_VI[item.outcome].format(detail=wording.phrases.rule_error(
            item.message.removeprefix(CANNOT_EVALUATE)))
    return _MESSAGES_VI.get(item.outcome, "")


def _notes(item: Finding, check: CheckInfo, parameters: Mapping[str, object], wording: Wording) -> tuple[str, ...]:
    """The finding's notes: in Vietnamese, its check's province-default notes from their Vietnamese reasons, and
    the engine's note about a waiver rebuilt from the waiver it concerns."""
    if wording.lang != "vi" or not item.notes:
        return item.notes
    defaults = {note.text(): note for note in check.province_defaults}
    shown = []
    for text in item.notes:
        default = defaults.get(text)
        if default is not None:
            values = ", ".join(f"{parameter_label(name, 'vi')} = {wording.value(parameters.get(name, value))}"
                               for name, value in default.parameters)
            shown.append(f"Mức do tỉnh tự đặt, chưa có văn bản quy định: {values} "
                         f"({default.reason_vi or default.reason_en}).")
        elif item.waiver is not None:
            shown.append(_waiver_note_vi(item, item.waiver))
        else:
            shown.append(text)
    return tuple(shown)


def _waiver_note_vi(item: Finding, waiver: AppliedWaiver) -> str:
    """The engine's note on a waiver that did not turn a failure into `waived`, in Vietnamese."""
    if item.outcome is Outcome.FAIL and waiver.expired:
        return (f"Miễn trừ đã hết hạn {LocaleFormat('vi').date(waiver.expires)}: "
                "phát hiện được tính là không đạt.")
    if item.outcome is Outcome.ERROR:
        return "Miễn trừ không áp dụng cho lỗi đánh giá: cần sửa dữ liệu để kiểm tra chạy được."
    if item.outcome is Outcome.INSUFFICIENT_DATA:
        return "Miễn trừ không áp dụng khi thiếu dữ liệu: cần khai báo đủ thông tin để kiểm tra có kết luận."
    return "Miễn trừ không cần thiết: kiểm tra không phát hiện vi phạm."


def _entity_finding(item: Finding, agency_id: str, base: str, lang: str, check: CheckInfo,
                    parameters: Mapping[str, object]) -> EntityFinding:
    wording = Wording(lang, item.kind)
    rows = tuple(EvidenceRow(e.field, wording.value(e.value, e.field, MAX_VALUE_CHARS),
                             wording.expected(e.expected, e.field), e.met, place(e.location, base),
                             wording.label(e.field))
                 for e in item.evidence[:MAX_EVIDENCE_PER_ENTITY])
    return EntityFinding(short_entity(item.entity, agency_id, lang), _message(item, wording),
                         place(item.location, base), rows, max(0, len(item.evidence) - MAX_EVIDENCE_PER_ENTITY),
                         _notes(item, check, parameters, wording))


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
            check.domain or "", check.unverified, _references(check_id, result, lang), len(found),
            tuple(_entity_finding(f, agency_id, base, lang, check, result.parameters)
                  for f in found[:MAX_ENTITIES_PER_CHECK]),
            max(0, len(found) - MAX_ENTITIES_PER_CHECK)))
    return tuple(sorted(groups, key=lambda g: (-Severity(g.severity).rank, g.layer or 9, g.check)))


def _waived(items: Sequence[Finding], agency_id: str, result: AssessmentResult, lang: str) -> tuple[WaivedFinding, ...]:
    rows = []
    for item in sorted(items, key=lambda i: (-i.severity.rank, i.check, i.entity)):
        if item.waiver is not None:
            reason, approver = item.waiver.reason, item.waiver.approver
            rule = result.header.transition
            if item.waiver.transition and rule is not None and lang == "vi":
                reason, approver = _transition_vi(rule, result)
            rows.append(WaivedFinding(item.check, result.check(item.check).title(lang), item.severity.value,
                                      short_entity(item.entity, agency_id, lang), reason, approver,
                                      item.waiver.expires.isoformat(), item.waiver.expired))
    return tuple(rows)


def _transition_vi(rule: TransitionInfo, result: AssessmentResult) -> tuple[str, str]:
    """(reason, approver) of a failure the profile's transition makes due later, in Vietnamese: the rule, by its
    Vietnamese citation, stands where a waiver's approver would."""
    source = next((s for s in result.sources if s.id == rule.source), None)
    citation = ", ".join(part for part in (source.shown_title("vi") if source else rule.source,
                                           _article(rule.article, "vi")) if part)
    day = LocaleFormat("vi").date
    return (f"Thời gian chuyển tiếp: hệ thống được phê duyệt cấp độ theo quy định cũ trước {day(rule.approved_before)} "
            f"có thời hạn đến {day(rule.due)} để đáp ứng các biện pháp mà quy định mới bổ sung", citation)


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


def facts_to_collect(findings: Iterable[Finding], lang: str = "en") -> tuple[MissingFact, ...]:
    """The fields read as missing by checks that lacked data, with the checks that need them, most needed first."""
    checks: dict[str, set[str]] = {}
    entities: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for item in findings:
        if item.outcome != Outcome.INSUFFICIENT_DATA:
            continue
        for e in item.evidence:
            if e.value is None and e.met is not True:
                checks.setdefault(e.field, set()).add(item.check)
                entities.setdefault(e.field, set()).add(item.entity)
                if e.field not in labels:
                    labels[e.field] = Wording(lang, item.kind).label(e.field)
    rows = [MissingFact(f, tuple(sorted(checks[f])), len(entities[f]), labels[f]) for f in checks]
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
        insufficient=finding_groups(lacking, agency.id, result, lang), facts_to_collect=facts_to_collect(lacking, lang),
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
        finding_groups(province_failed, "", result, lang), warnings(result, lang))
