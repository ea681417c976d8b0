"""Trends for the reports (`report --history DIR`): each agency's scores over the assessments, the findings
open for more than one assessment, and for the province summary the ranking change and the agencies that
regressed since the previous assessment.

Agencies and entities are followed by id across the earlier results (renames are not: see `secassess diff`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from secassess.assessment.result import AgencyResult, AgencyScore, AssessmentResult, Score
from secassess.diagnostics import Outcome
from secassess.history.chart import LineChart, line_chart
from secassess.history.timeline import Timeline, agency_findings, walk_back
from secassess.report.view import short_entity

LAYERS = ("1", "2", "3", "4")
MAX_LONG_OPEN = 50
"""Findings open for more than one assessment listed per agency; the rest are counted."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    as_of: str
    """ISO date."""
    profile: str
    score: float | None
    rating: str
    layers: tuple[float | None, ...]
    rank: int | None


@dataclass(frozen=True, slots=True)
class LongOpen:
    """A finding that counted against the agency in this assessment and the ones before it, without a break."""

    check: str
    title: str
    severity: str
    entity: str
    open_since: str
    """ISO date of the first assessment of the run."""
    assessments: int


@dataclass(frozen=True, slots=True)
class AgencyTrend:
    points: tuple[TrendPoint, ...]
    """Oldest first; the last is this assessment."""
    chart: LineChart
    profiles_differ: bool
    long_open: tuple[LongOpen, ...]
    more_long_open: int
    previous_rank: int | None
    rank: int
    previous_score: float | None
    regressed_checks: int
    """Findings that passed in the previous assessment and count against now."""

    @property
    def delta(self) -> float | None:
        score = self.points[-1].score
        if score is None or self.previous_score is None:
            return None
        return round(score - self.previous_score, 1)


@dataclass(frozen=True, slots=True)
class RankMove:
    agency: str
    name: str
    link: str
    previous_rank: int | None
    rank: int
    previous_score: float | None
    score: float | None
    delta: float | None
    regressed_checks: int


@dataclass(frozen=True, slots=True)
class ProvinceTrend:
    points: tuple[TrendPoint, ...]
    chart: LineChart
    previous_as_of: str
    """ISO date of the previous assessment."""
    moves: tuple[RankMove, ...]
    """Every agency in the current ranking, with its previous rank (None: not in the previous assessment)."""
    regressed: tuple[RankMove, ...]
    """Agencies whose score fell or with a check that passed before and fails now, worst first."""


def _point(as_of: dt.date, profile: str, score: AgencyScore) -> TrendPoint:
    return TrendPoint(as_of.isoformat(), profile, score.overall.score, score.overall.rating or "",
                      tuple(score.layers[k].score if k in score.layers else None for k in LAYERS), score.rank)


def _chart(points: Sequence[TrendPoint]) -> LineChart:
    series = [("overall", [p.score for p in points])]
    series += [(key, [p.layers[i] for p in points]) for i, key in enumerate(LAYERS)
               if any(p.layers[i] is not None for p in points)]
    return line_chart([p.as_of for p in points], series)


def _scores(result: AssessmentResult) -> dict[str, AgencyScore]:
    return {a.agency: a for a in result.ranking}


class TrendBuilder:
    """Trends of one result against its timeline, agency by agency (each agency read once per result)."""

    def __init__(self, result: AssessmentResult, timeline: Timeline, lang: str) -> None:
        self.result, self.timeline, self.lang = result, timeline, lang
        self.earlier = [(r, _scores(r)) for _, r in timeline.results]
        self.previous = timeline.previous()
        self.previous_scores = self.earlier[-1][1] if self.earlier else {}

    def agency(self, agency: AgencyResult, score: AgencyScore) -> AgencyTrend:
        points = [_point(r.as_of, r.profile, s[agency.id]) for r, s in self.earlier if agency.id in s]
        points.append(_point(self.result.as_of, self.result.profile, score))
        open_now = {(f.check, f.entity): f for f in agency.findings if f.outcome.counts_against}
        found = walk_back(self.timeline, agency.id, set(open_now))
        long_open = sorted(((since, -open_now[k].severity.rank, k[0], k[1], n + 1) for k, (since, n) in found.items()))
        rows = tuple(LongOpen(check, self.result.check(check).title(self.lang),
                              open_now[(check, entity)].severity.value, short_entity(entity, agency.id),
                              since.isoformat(), n)
                     for since, _, check, entity, n in long_open[:MAX_LONG_OPEN])
        previous_score = self.previous_scores.get(agency.id)
        regressed = 0
        before = agency_findings(self.previous, agency.id) if self.previous is not None else None
        if before:
            passed = {(f.check, f.entity) for f in before if f.outcome is Outcome.PASS}
            regressed = sum(1 for key in open_now if key in passed)
        return AgencyTrend(tuple(points), _chart(points), len({p.profile for p in points}) > 1, rows,
                           max(0, len(long_open) - MAX_LONG_OPEN), previous_score.rank if previous_score else None,
                           score.rank, previous_score.overall.score if previous_score else None, regressed)


@dataclass(frozen=True)
class ReportTrends:
    """What `render_reports` adds with --history: a trend per agency and one for the province."""

    agencies: Mapping[str, AgencyTrend]
    province: ProvinceTrend

    def agency(self, agency_id: str) -> AgencyTrend | None:
        return self.agencies.get(agency_id)


def _province_point(as_of: dt.date, profile: str, score: Score) -> TrendPoint:
    return TrendPoint(as_of.isoformat(), profile, score.score, score.rating or "", (None,) * len(LAYERS), None)


def build_trends(result: AssessmentResult, timeline: Timeline, lang: str, links: Mapping[str, str],
                 agencies: Sequence[str] | None = None) -> ReportTrends:
    """Trends of the `agencies` asked for (all by default), reading each agency once."""
    builder = TrendBuilder(result, timeline, lang)
    wanted = set(agencies) if agencies else None
    trends: dict[str, AgencyTrend] = {}
    moves = []
    scores = _scores(result)
    for agency in result.iter_agencies():
        if wanted is not None and agency.id not in wanted:
            continue
        trend = builder.agency(agency, scores[agency.id])
        trends[agency.id] = trend
        moves.append(RankMove(agency.id, agency.details.name_en if lang == "en" and agency.details.name_en
                              else agency.name, links.get(agency.id, ""), trend.previous_rank, trend.rank,
                              trend.previous_score, trend.points[-1].score, trend.delta, trend.regressed_checks))
    moves.sort(key=lambda m: (m.rank, m.agency))
    regressed = sorted((m for m in moves if (m.delta is not None and m.delta < 0) or m.regressed_checks),
                       key=lambda m: (m.delta if m.delta is not None else 0.0, -m.regressed_checks, m.agency))
    points = [_province_point(r.as_of, r.profile, r.province) for _, r in timeline.results]
    points.append(_province_point(result.as_of, result.profile, result.province))
    previous = timeline.previous()
    chart = line_chart([p.as_of for p in points], [("overall", [p.score for p in points])])
    return ReportTrends(trends, ProvinceTrend(tuple(points), chart, previous.as_of.isoformat() if previous else "",
                                              tuple(moves), tuple(regressed)))
