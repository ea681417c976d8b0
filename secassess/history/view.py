"""What the diff templates show (`diff.html.j2`, `diff.md.j2`): records prepared from the diff, lists capped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from secassess.history.compare import PROVINCE, AssessmentDiff
from secassess.history.model import CHANGES, AgencyDiff, FindingChange, Rename, ResultInfo, ScoreChange
from secassess.report.view import rating_key, short_entity

MAX_PER_CHANGE = 200
"""Findings listed per agency and kind of change in HTML and Markdown; the rest are counted (JSON has all)."""


@dataclass(frozen=True, slots=True)
class ScoreRow:
    key: str
    old: float | None
    new: float | None
    delta: float | None
    old_rating: str
    """`good`/`fair`/`average`/`weak` or ""."""
    new_rating: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    check: str
    title: str
    severity: str
    old_severity: str
    entity: str
    old_entity: str
    old_outcome: str
    new_outcome: str
    open_since: str
    """ISO date or ""."""
    assessments_open: int
    message: str


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    change: str
    count: int
    rows: tuple[ChangeRow, ...]
    more: int


@dataclass(frozen=True, slots=True)
class AgencyDiffView:
    id: str
    """"" for the province-wide findings."""
    name: str
    status: str
    old_id: str
    old_rank: int | None
    new_rank: int | None
    scores: tuple[ScoreRow, ...]
    renames: tuple[Rename, ...]
    removed_entities: tuple[str, ...]
    added_entities: tuple[str, ...]
    groups: tuple[ChangeGroup, ...]


@dataclass(frozen=True, slots=True)
class CheckRow:
    check: str
    title: str
    change: str
    """`only_old`, `only_new` or `severity_changed`."""
    old_severity: str
    new_severity: str
    open_findings: int


@dataclass(frozen=True, slots=True)
class DiffView:
    old: ResultInfo
    new: ResultInfo
    history: tuple[ResultInfo, ...]
    comparable: bool
    counts: tuple[tuple[str, int], ...]
    province: ScoreRow
    checks: tuple[CheckRow, ...]
    agencies: tuple[AgencyDiffView, ...]
    """Agencies with something to show; the others are counted in `unchanged`."""
    unchanged: int


def score_row(s: ScoreChange) -> ScoreRow:
    return ScoreRow(s.key, s.old_score, s.new_score, s.delta, rating_key(s.old_rating), rating_key(s.new_rating))


def _row(c: FindingChange, agency_id: str, diff: AssessmentDiff, lang: str) -> ChangeRow:
    return ChangeRow(c.check, diff.title(c.check, lang), c.severity.value,
                     c.old_severity.value if c.old_severity else "", short_entity(c.entity, agency_id),
                     short_entity(c.old_entity, agency_id) if c.old_entity else "",
                     c.old_outcome.value if c.old_outcome else "", c.new_outcome.value if c.new_outcome else "",
                     c.open_since.isoformat() if c.open_since else "", c.assessments_open, c.message)


def _groups(agency: AgencyDiff, diff: AssessmentDiff, lang: str) -> Iterator[ChangeGroup]:
    for change in CHANGES:
        items = [c for c in agency.changes if c.change is change]
        if items:
            yield ChangeGroup(change.value, len(items),
                              tuple(_row(c, agency.id, diff, lang) for c in items[:MAX_PER_CHANGE]),
                              max(0, len(items) - MAX_PER_CHANGE))


def _shown(agency: AgencyDiff) -> bool:
    return bool(agency.changes or agency.renames or agency.removed_entities or agency.added_entities
                or agency.status != "both" or any(s.delta for s in agency.scores))


def diff_view(diff: AssessmentDiff, lang: str) -> DiffView:
    agencies = []
    unchanged = 0
    for agency in diff.iter_agencies():
        if not _shown(agency):
            unchanged += agency.id != PROVINCE
            continue
        agencies.append(AgencyDiffView(
            agency.id, agency.name, agency.status.value, agency.old_id, agency.old_rank, agency.new_rank,
            tuple(score_row(s) for s in agency.scores), agency.renames,
            tuple(short_entity(e, agency.id) for e in agency.removed_entities),
            tuple(short_entity(e, agency.id) for e in agency.added_entities), tuple(_groups(agency, diff, lang))))
    checks = tuple(CheckRow(c.check, c.title(lang),
                            "only_old" if c.new_severity is None else "only_new" if c.old_severity is None
                            else "severity_changed", c.old_severity.value if c.old_severity else "",
                            c.new_severity.value if c.new_severity else "", c.open_findings) for c in diff.checks)
    return DiffView(diff.old, diff.new, diff.history, diff.comparable,
                    tuple((c.value, diff.counts[c.value]) for c in CHANGES), score_row(diff.province[0]), checks,
                    tuple(agencies), unchanged)

