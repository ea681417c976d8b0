"""Scores and ratings.

Formula (default scale): for each check, its pass ratio over the entities it applied to (pass / (pass + fail +
error + insufficient_data); `waived` and `not_applicable` are left out). A score is 100 × the severity-weighted mean of
those ratios, weights critical 10, high 5, medium 3, low 1, info 0, rounded to 0.1. So a check
failing on one server of a thousand costs little; one failing on the agency itself costs its full
weight. Missing data scores exactly like a failure, so deleting facts can never raise a score.

Rating: tốt (good) ≥ 85, khá (fair) ≥ 70, trung bình (average) ≥ 50, yếu (weak) below. Any
critical check that fails, errors or lacks its data (unwaived) caps the rating at trung bình. No applicable
weighted check: no score and no rating.

Ranking: rating first (the rating after the critical cap: a capped trung bình ranks with the other
trung bình, below every khá, whatever its score), then score (high first), then fewer critical
failures, then the agency id; agencies without a score come last.

These are the shipped profiles' numbers (`scoring:` in checklists/profiles/*.yaml): the rules name the
four ratings (provincial practice) but no thresholds or weights, so they are a province default, and
every report says so next to the ratings (docs/scoring.md). A profile may set its own scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from secassess.assessment.result import (
    DEFAULT_SCORING,
    RATING_IDS,
    RATING_VI,
    AgencyScore,
    Finding,
    Score,
    ScoringPolicy,
)
from secassess.diagnostics import Outcome, Severity

RATING_EN: dict[str, str] = {vi: en for en, vi in RATING_VI.items()}


def rating_of(score: float, critical_failures: int, policy: ScoringPolicy = DEFAULT_SCORING) -> tuple[str, bool]:
    """The rating for a score, and whether a failed critical check lowered it."""
    rating = next((r for r, floor in policy.floors if score >= floor), "weak")
    cap = policy.critical_cap
    if critical_failures and cap is not None and RATING_IDS.index(rating) < RATING_IDS.index(cap):
        return RATING_VI[cap], True
    return RATING_VI[rating], False


_ZERO_COUNTS: dict[str, int] = {o.value: 0 for o in Outcome}


class Tally:
    """Outcome counts and per-check pass tallies, added to one finding (or one count) at a time.

    Scores of an agency, its layers and domains, and the whole province are each one Tally filled in a
    single pass; tallies merge, so the province total never rescans findings.
    """

    __slots__ = ("counts", "critical", "failed", "per_check", "severity")

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict(_ZERO_COUNTS)
        self.per_check: dict[str, list[int]] = {}
        self.severity: dict[str, Severity] = {}
        self.critical = 0
        self.failed: dict[str, int] = {}

    def add(self, check: str, severity: Severity, outcome: Outcome, n: int = 1) -> None:
        """Count `n` findings of `check` with this outcome."""
        self.counts[outcome] += n  # a StrEnum member hashes and compares as its value
        if outcome is Outcome.NOT_APPLICABLE or outcome is Outcome.WAIVED:
            return
        tally = self.per_check.get(check)
        if tally is None:
            tally = self.per_check[check] = [0, 0]
            self.severity[check] = severity
        tally[1] += n
        if outcome is Outcome.PASS:
            tally[0] += n
            return
        if outcome is Outcome.FAIL:
            self.failed[severity] = self.failed.get(severity, 0) + n
        if severity is Severity.CRITICAL:
            self.critical += n

    def merge(self, other: Tally) -> None:
        for key, n in other.counts.items():
            self.counts[key] += n
        for check, (passed, total) in other.per_check.items():
            tally = self.per_check.get(check)
            if tally is None:
                self.per_check[check] = [passed, total]
                self.severity[check] = other.severity[check]
            else:
                tally[0] += passed
                tally[1] += total
        self.critical += other.critical
        for severity, n in other.failed.items():
            self.failed[severity] = self.failed.get(severity, 0) + n

    def score(self, policy: ScoringPolicy = DEFAULT_SCORING) -> Score:
        """The score of everything added (see the module docstring), on the profile's scale."""
        weights = dict(policy.weights)
        total = sum(weights[self.severity[c]] for c in self.per_check)
        counts = dict(self.counts)
        failed = {str(s): self.failed[s] for s in Severity if s in self.failed}
        if not total:
            return Score(None, None, False, counts, self.critical, failed)
        value = round(100 * sum(weights[self.severity[c]] * p / n for c, (p, n) in self.per_check.items()) / total, 1)
        rating, capped = rating_of(value, self.critical, policy)
        return Score(value, rating, capped, counts, self.critical, failed)


def score(findings: Iterable[Finding], policy: ScoringPolicy = DEFAULT_SCORING) -> Score:
    """Score a set of findings (see the module docstring)."""
    tally = Tally()
    for f in findings:
        tally.add(f.check, f.severity, f.outcome)
    return tally.score(policy)


RATING_ORDER: dict[str, int] = {RATING_VI[r]: i for i, r in enumerate(RATING_IDS)}
"""tốt 0, khá 1, trung bình 2, yếu 3."""


def rank(agencies: Sequence[tuple[str, str, Score, dict[str, Score], dict[str, Score]]]) -> tuple[AgencyScore, ...]:
    """Agency scores in ranking order with their rank (1 = best): by (capped) rating, then score; ties by id."""
    def key(a: tuple[str, str, Score, dict[str, Score], dict[str, Score]]) -> tuple[bool, int, float, int, str]:
        s = a[2]
        return (s.score is None, RATING_ORDER.get(s.rating or "", len(RATING_ORDER)), -(s.score or 0.0),
                s.critical_failures, a[0])
    ordered = sorted(agencies, key=key)
    return tuple(AgencyScore(a[0], a[1], a[2], a[3], a[4], i) for i, a in enumerate(ordered, 1))
