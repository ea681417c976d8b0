"""The assessment result: the one model that assess, report, diff, the formats and the library share.

Frozen records. The result holds no wall-clock time: the only date is `as_of`. Per-agency findings live
in an `AgencyStore` (in memory for a small province, spilled to a temporary file for a large one), so a
province of 100k assets is held one agency at a time; everything else (checks, scores, ranking) is small.
Its JSON document (`docs/result-schema.json`) is written and read by `secassess.assessment.document` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from secassess.diagnostics import Outcome, Severity
from secassess.errors import SourcePos

if TYPE_CHECKING:
    from secassess.assessment.store import AgencyStore


@dataclass(frozen=True, slots=True)
class DefaultNote:
    """Profile parameters a check uses that no rule sets, all chosen by the province for one reason.

    Each finding of the check (but a not-applicable one) carries `text()` among its notes, so a reader
    knows which numbers of the verdict are the province's own.
    """

    parameters: tuple[tuple[str, str], ...]
    """(parameter name, its value as the profile writes it)."""
    reason_en: str
    reason_vi: str = ""
    """"" when the profile gives the reason in English only."""

    def text(self) -> str:
        """The note as findings carry it (English)."""
        names = ", ".join(f"{name} = {value}" for name, value in self.parameters)
        return f"{PROVINCE_DEFAULT} {names} ({self.reason_en})"


PROVINCE_DEFAULT = "province default, no rule:"
"""How a province-default note begins."""


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What a check is, as results and listings show it."""

    id: str
    title_vi: str
    title_en: str
    rationale: str
    remediation_vi: str
    remediation_en: str
    severity: Severity
    layer: int | None
    domain: str | None
    entity: str
    references: tuple[tuple[str, str], ...]
    """(source id, article) pairs."""
    unverified: bool
    """Built on a source REGULATIONS.md marks unverified."""
    origin: str
    """The checklist file it came from (`shipped:<name>` for the shipped ones)."""
    requirements: tuple[str, ...] = ()
    """Requirement ids of the active profile that it serves."""
    province_defaults: tuple[DefaultNote, ...] = ()
    """The parameters it uses that no rule sets (province defaults), grouped by the province's reason."""

    def title(self, lang: str) -> str:
        """The title in `lang` ("vi" or "en"), the other one when that is empty."""
        return (self.title_en or self.title_vi) if lang == "en" else (self.title_vi or self.title_en)

    def remediation(self, lang: str) -> str:
        return (self.remediation_en or self.remediation_vi) if lang == "en" else \
            (self.remediation_vi or self.remediation_en)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One value a check looked at: the path read, its value (JSON-ready), where it is written."""

    field: str
    value: Any
    expected: str
    met: bool | None
    """Whether this rule held (None for a reference value or a denominator)."""
    location: SourcePos | None


@dataclass(frozen=True, slots=True)
class AppliedWaiver:
    reason: str
    approver: str
    expires: dt.date
    expired: bool
    location: SourcePos | None
    transition: bool = False
    """Granted by the profile's transition (see `TransitionInfo`), not by a waiver file: the failure is due by
    `expires`; `approver` is the rule's citation."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One check on one entity."""

    check: str
    entity: str
    kind: str
    agency: str
    """Owning agency id ("" for the organisation and province-wide links)."""
    outcome: Outcome
    severity: Severity
    message: str
    location: SourcePos | None
    evidence: tuple[Evidence, ...] = ()
    waiver: AppliedWaiver | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Score:
    """A severity-weighted pass ratio (0-100) and its rating; None when no check applied."""

    score: float | None
    rating: str | None
    capped: bool
    """The rating was lowered because a critical check failed."""
    counts: Mapping[str, int]
    critical_failures: int
    failed: Mapping[str, int] = field(default_factory=dict)
    """Failed findings (open, not waived) per severity; severities with none are left out."""


RATING_IDS: tuple[str, ...] = ("good", "fair", "average", "weak")
"""The four ratings of provincial practice, best first (the result writes them in Vietnamese)."""
RATING_VI: dict[str, str] = {"good": "tốt", "fair": "khá", "average": "trung bình", "weak": "yếu"}


MAX_WEIGHT = 1000
"""The heaviest a severity may weigh in a scale."""


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    """How a profile turns findings into scores and ratings (docs/scoring.md), and where its numbers come from.

    The rules name the four ratings but no thresholds or weights: the shipped profiles give them as a
    province default with the reason, which each report shows next to the ratings.
    """

    weights: tuple[tuple[Severity, int], ...] = ((Severity.CRITICAL, 10), (Severity.HIGH, 5), (Severity.MEDIUM, 3),
                                                 (Severity.LOW, 1), (Severity.INFO, 0))
    floors: tuple[tuple[str, float], ...] = (("good", 85.0), ("fair", 70.0), ("average", 50.0))
    """(rating id, lowest score), best first; below the last one: weak."""
    critical_cap: str | None = "average"
    """The best rating an agency with an open critical finding can have (None: no cap)."""
    source: str = ""
    article: str = ""
    reason_en: str = ("the rules name the four ratings good, fair, average, weak (provincial practice) but no "
                      "thresholds, weights or cap")
    reason_vi: str = ("quy định chỉ nêu bốn mức xếp loại tốt, khá, trung bình, yếu (thực tiễn của tỉnh), "
                      "không quy định ngưỡng điểm, trọng số hay mức giới hạn")
    """Empty reasons with a `source`: a rule sets the scale."""


DEFAULT_SCORING = ScoringPolicy()


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: str
    title: str
    """The English title."""
    verified: bool
    title_vi: str = ""
    """The Vietnamese title ("" when the source has none)."""

    def shown_title(self, lang: str) -> str:
        return self.title_vi or self.title if lang == "vi" else self.title


@dataclass(frozen=True, slots=True)
class Contact:
    role: str
    """`security_officer`, `leader` or `incident_reporting`."""
    name: str
    title: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class SystemSummary:
    id: str
    name: str
    name_en: str
    level: int
    approved: bool | None
    """None: the inventory does not say."""


@dataclass(frozen=True, slots=True)
class AgencyDetails:
    """What reports show of an agency besides its findings (from the inventory, carried in the result)."""

    name_en: str = ""
    kind: str = ""
    contacts: tuple[Contact, ...] = ()
    systems: tuple[SystemSummary, ...] = ()
    """Highest level first."""


@dataclass(frozen=True, slots=True)
class AgencyScore:
    """An agency's scores and rank: the small part of its result, kept in memory for the whole province."""

    agency: str
    name: str
    overall: Score
    layers: Mapping[str, Score]
    domains: Mapping[str, Score]
    rank: int
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class AgencyResult:
    """One agency's full result: scores, its findings (not-applicable ones counted unless listed), details."""

    id: str
    name: str
    rank: int
    overall: Score
    layers: Mapping[str, Score]
    domains: Mapping[str, Score]
    findings: tuple[Finding, ...]
    not_applicable: Mapping[str, int]
    """Not-applicable findings per check id that are counted rather than listed."""
    details: AgencyDetails = field(default_factory=AgencyDetails)

    @property
    def agency(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class TransitionInfo:
    """A profile's grace period (Law 116 Art. 45.1): a failure on systems approved under `from_profile`
    before `approved_before`, of a measure only the new rules add, is due by `due` rather than failed."""

    from_profile: str
    approved_before: dt.date
    due: dt.date
    source: str
    article: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source} {self.article}".strip()


@dataclass(frozen=True, slots=True)
class Header:
    """Everything about a result that is not a finding or a score: what was assessed, when, under which rules."""

    as_of: dt.date
    tool_version: str
    profile: str
    profile_title: str
    parameters: Mapping[str, Any]
    inventory: str
    """The inventory path as given on the command line (relative stays relative)."""
    organisation: str
    organisation_name: str
    organisation_name_en: str
    checklists: tuple[str, ...]
    sources: tuple[SourceInfo, ...]
    checks: tuple[CheckInfo, ...]
    """Sorted by id."""
    include_not_applicable: bool = False
    """Whether not-applicable findings are listed (else only counted per check)."""
    profile_title_vi: str = ""
    """The profile's Vietnamese title (`profile_title` is the English one)."""
    transition: TransitionInfo | None = None
    """The profile's transition for systems approved under older rules, if it has one."""
    scoring: ScoringPolicy = DEFAULT_SCORING
    """The profile's scale: weights, rating floors, critical cap, and their origin."""


class AssessmentResult:
    """One province assessed under one profile as of one date.

    Small parts (header, scores, ranking, province-wide findings, warnings) are attributes; each agency's
    findings are read from the store when asked for (`agencies`, `agency(id)`, `findings`), so a large
    province is never held whole in memory.
    """

    __slots__ = ("_by_id", "_check_index", "files", "header", "province", "province_findings", "ranking", "store",
                 "warnings")

    def __init__(self, header: Header, province: Score, ranking: Sequence[AgencyScore],
                 province_findings: Sequence[Finding], warnings: Sequence[str], store: AgencyStore,
                 files: Sequence[str]) -> None:
        self.header = header
        self.files = tuple(files)
        """The files locations point into (the inventory first); encoded locations refer to them by index."""
        self.province = province
        self.ranking = tuple(ranking)
        """Agency scores in ranking order (rank 1 first)."""
        self.province_findings = tuple(province_findings)
        """Findings owned by no agency: the organisation and province-wide network links."""
        self.warnings = tuple(warnings)
        self.store = store
        self._by_id = {a.agency: a for a in self.ranking}
        self._check_index = {c.id: c for c in header.checks}

    def __repr__(self) -> str:
        h = self.header
        return (f"<AssessmentResult {h.organisation} as of {h.as_of} profile {h.profile}: "
                f"{len(self.ranking)} agencies, score {self.province.score}>")

    # --- header shortcuts ---------------------------------------------------------------------

    @property
    def as_of(self) -> dt.date:
        return self.header.as_of

    @property
    def profile(self) -> str:
        return self.header.profile

    @property
    def profile_title(self) -> str:
        return self.header.profile_title

    @property
    def parameters(self) -> Mapping[str, Any]:
        return self.header.parameters

    @property
    def inventory(self) -> str:
        return self.header.inventory

    @property
    def organisation(self) -> str:
        return self.header.organisation

    @property
    def organisation_name(self) -> str:
        return self.header.organisation_name

    @property
    def checks(self) -> tuple[CheckInfo, ...]:
        return self.header.checks

    @property
    def sources(self) -> tuple[SourceInfo, ...]:
        return self.header.sources

    def check(self, check_id: str) -> CheckInfo:
        """The check with this id (KeyError if the result has none)."""
        return self._check_index[check_id]

    # --- agencies -------------------------------------------------------------------------------

    def agency(self, agency_id: str, *, lean: bool = False) -> AgencyResult:
        """One agency's full result (KeyError if unknown); `lean` leaves out the passes on its assets, which
        reports do not list (the agency's own findings are kept whatever their outcome)."""
        score = self._by_id[agency_id]
        return self.store.get(agency_id, score, self, lean)

    @property
    def agencies(self) -> tuple[AgencyScore, ...]:
        """Agency scores in ranking order (the full results: `agency(id)` or `iter_agencies()`)."""
        return self.ranking

    def iter_agencies(self, ranked: bool = False) -> Iterator[AgencyResult]:
        """Every agency's full result, one at a time: in inventory order, or ranking order when `ranked`."""
        if ranked:
            for score in self.ranking:
                yield self.store.get(score.agency, score, self)
            return
        for agency_id in self.store.ids():
            yield self.store.get(agency_id, self._by_id[agency_id], self)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every listed finding, sorted by (agency, entity, check); materialises the whole province."""
        found = [*self.province_findings]
        for agency in self.iter_agencies():
            found.extend(agency.findings)
        found.sort(key=lambda f: (f.agency, f.entity, f.check))
        return tuple(found)

    def counts(self) -> dict[str, int]:
        """Findings per outcome over the whole province (not-applicable ones included, listed or not)."""
        return dict(self.province.counts)


def jsonable(value: Any) -> Any:
    """A plain JSON value for anything found in an inventory (dates as ISO text, enums as values)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, BaseModel):  # a record: named, not dumped
        return f"<{type(value).__name__}>"
    return str(value)
