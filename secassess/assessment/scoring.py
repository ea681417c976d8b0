"""Scores and ratings.

Formula: for each check, its pass ratio over the entities it applied to (pass / (pass + fail +
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

The thresholds and weights are the province's defaults: the rules name the four ratings (provincial
practice) but no thresholds or weights (docs/scoring.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from secassess.assessment.result import AgencyScore, Finding, Score
from secassess.diagnostics import Outcome, Severity

WEIGHTS: dict[Severity, int] = {Severity.CRITICAL: 10, Severity.HIGH: 5, Severity.MEDIUM: 3, Severity.LOW: 1,
                                Severity.INFO: 0}
RATINGS: tuple[tuple[float, str], ...] = ((85.0, "tốt"), (70.0, "khá"), (50.0, "trung bình"), (0.0, "yếu"))
"""(lowest score, rating), best first."""
RATING_EN: dict[str, str] = {"tốt": "good", "khá": "fair", "trung bình": "average", "yếu": "weak"}
CRITICAL_CAP = "trung bình"


def rating_of(score: float, critical_failures: int) -> tuple[str, bool]:
    """The rating for a score, and whether a failed critical check lowered it."""
    rating = next(name for floor, name in RATINGS if score >= floor)
    names = [name for _, name in RATINGS]
    if critical_failures and names.index(rating) < names.index(CRITICAL_CAP):
        return CRITICAL_CAP, True
    return rating, False


def score(findings: Iterable[Finding]) -> Score:
    """Score a set of findings (see the module docstring)."""
    counts = dict.fromkeys((o.value for o in Outcome), 0)
    per_check: dict[str, list[int]] = {}
    severity: dict[str, Severity] = {}
    critical = 0
    for f in findings:
        counts[f.outcome.value] += 1
        if f.outcome in (Outcome.NOT_APPLICABLE, Outcome.WAIVED):
            continue
        tally = per_check.setdefault(f.check, [0, 0])
        severity[f.check] = f.severity
        tally[1] += 1
        if f.outcome is Outcome.PASS:
            tally[0] += 1
        elif f.severity is Severity.CRITICAL:
            critical += 1
    total = sum(WEIGHTS[severity[c]] for c in per_check)
    if not total:
        return Score(None, None, False, counts, critical)
    value = round(100 * sum(WEIGHTS[severity[c]] * p / n for c, (p, n) in per_check.items()) / total, 1)
    rating, capped = rating_of(value, critical)
    return Score(value, rating, capped, counts, critical)


RATING_ORDER: dict[str, int] = {name: i for i, (_, name) in enumerate(RATINGS)}
"""tốt 0, khá 1, trung bình 2, yếu 3."""


def rank(agencies: Sequence[tuple[str, str, Score, dict[str, Score], dict[str, Score]]]) -> tuple[AgencyScore, ...]:
    """Agency scores in ranking order with their rank (1 = best): by (capped) rating, then score; ties by id."""
    def key(a: tuple[str, str, Score, dict[str, Score], dict[str, Score]]) -> tuple[bool, int, float, int, str]:
        s = a[2]
        return (s.score is None, RATING_ORDER.get(s.rating or "", len(RATINGS)), -(s.score or 0.0),
                s.critical_failures, a[0])
    ordered = sorted(agencies, key=key)
    return tuple(AgencyScore(a[0], a[1], a[2], a[3], a[4], i) for i, a in enumerate(ordered, 1))
