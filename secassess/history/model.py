"""What changed between two assessment results: frozen records shared by the diff, its formats and the gate.

A finding is the same finding in both results when its key (check id, entity name) is the same, or when its
entity was renamed (see `renames`). Only checks present in both results are compared finding by finding;
checks found in one result only are listed as such (`CheckChange`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from secassess.diagnostics import Outcome, Severity
from secassess.errors import SourcePos


class Change(StrEnum):
    """How one (check, entity) moved between the old and the new result.

    Only findings that count against the agency on at least one side are tracked (`Outcome.counts_against`).
    """

    NEW = "new"
    """Counts against now; before it was absent, not applicable, waived or another non-passing outcome."""
    REGRESSED = "regressed"
    """Passed before, counts against now."""
    STILL_OPEN = "still_open"
    """Counted against in both."""
    FIXED = "fixed"
    """Counted against before, passes now."""
    WAIVED = "waived"
    """Counted against before, waived now (not fixed)."""
    NO_LONGER_APPLICABLE = "no_longer_applicable"
    """Counted against before; the entity is still assessed but the check no longer applies to it."""
    ENTITY_REMOVED = "entity_removed"
    """Counted against before; the entity is no longer in the assessment (removed or decommissioned)."""
    OUTCOME_CHANGED = "outcome_changed"
    """Counted against before; now an outcome that neither passes nor counts against (a transition state...)."""

    @property
    def introduced(self) -> bool:
        """A finding this change brought in: what SARIF shows and the baseline gate fails on."""
        return self in (Change.NEW, Change.REGRESSED)


CHANGES: tuple[Change, ...] = tuple(Change)


@dataclass(frozen=True, slots=True)
class FindingChange:
    """One (check, entity) whose standing changed, or which stayed open."""

    check: str
    entity: str
    """The entity's name in the new result (in the old one for findings whose entity is gone)."""
    kind: str
    change: Change
    old_outcome: Outcome | None
    new_outcome: Outcome | None
    severity: Severity
    """The check's severity in the new result (in the old one when the finding is gone)."""
    message: str
    location: SourcePos | None
    old_entity: str = ""
    """The entity's old name when it was renamed ("" otherwise)."""
    old_severity: Severity | None = None
    """The check's old severity when it changed (None otherwise)."""
    open_since: dt.date | None = None
    """For still-open findings: the date of the earliest assessment of the unbroken run in which it counted
    against (the old result's date, or earlier with history)."""
    assessments_open: int = 0
    """For still-open findings: how many assessments in a row it counted against (2 without history)."""


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """A score (overall or one layer) in the old and new result; None where there was none."""

    key: str
    """"overall" or a layer "1".."4"."""
    old_score: float | None
    new_score: float | None
    old_rating: str | None
    new_rating: str | None

    @property
    def delta(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 1)


@dataclass(frozen=True, slots=True)
class Rename:
    """An entity (or agency) found under a new name; `reason` says which rule matched."""

    kind: str
    old: str
    new: str
    reason: str


class AgencyStatus(StrEnum):
    BOTH = "both"
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"


@dataclass(frozen=True, slots=True)
class AgencyDiff:
    """One agency compared (id "" holds the organisation and province-wide findings)."""

    id: str
    name: str
    status: AgencyStatus
    old_id: str
    """The agency's id in the old result ("" when added)."""
    old_rank: int | None
    new_rank: int | None
    scores: tuple[ScoreChange, ...]
    """Overall first, then layers 1-4 (those scored on either side)."""
    changes: tuple[FindingChange, ...]
    """Sorted by change, then severity (worst first), check and entity."""
    renames: tuple[Rename, ...]
    removed_entities: tuple[str, ...] = ()
    """Entities assessed in the old result and not in the new one (renamed ones excepted)."""
    added_entities: tuple[str, ...] = ()
    """Entities assessed in the new result and not in the old one (renamed ones excepted)."""

    def count(self, change: Change) -> int:
        return sum(1 for c in self.changes if c.change is change)

    @property
    def counts(self) -> Mapping[str, int]:
        return {c.value: self.count(c) for c in CHANGES}


@dataclass(frozen=True, slots=True)
class ResultInfo:
    """The identity of one compared result."""

    path: str
    as_of: dt.date
    profile: str
    profile_title: str
    tool_version: str
    checklists: tuple[str, ...]
    organisation: str
    organisation_name: str
    inventory: str


@dataclass(frozen=True, slots=True)
class CheckChange:
    """A check present in only one result, or whose severity differs between them."""

    check: str
    title_vi: str
    title_en: str
    old_severity: Severity | None
    """None: the check is only in the new result."""
    new_severity: Severity | None
    """None: the check is only in the old result."""
    open_findings: int
    """Findings counting against under this check: in the result that has it (new when in both)."""

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_vi) if lang == "en" else (self.title_vi or self.title_en)


@dataclass(frozen=True, slots=True)
class AgencySummary:
    """The small part of an agency's diff, kept in memory for the whole province (scores, ranks, counts)."""

    id: str
    name: str
    status: AgencyStatus
    old_id: str
    old_rank: int | None
    new_rank: int | None
    scores: tuple[ScoreChange, ...]
    counts: Mapping[str, int]
    """Findings per `Change` value."""

    @property
    def overall(self) -> ScoreChange:
        return self.scores[0]

    @property
    def regressed(self) -> bool:
        """Its score fell, or a check that passed now fails."""
        delta = self.overall.delta
        return (delta is not None and delta < 0) or self.counts.get(Change.REGRESSED, 0) > 0


def summary_of(agency: AgencyDiff) -> AgencySummary:
    return AgencySummary(agency.id, agency.name, agency.status, agency.old_id, agency.old_rank, agency.new_rank,
                         agency.scores, agency.counts)
