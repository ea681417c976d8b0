"""The diff of two assessment results, agency by agency: never more than one agency of each in memory.

Agencies are matched by id, or by a rename (`renames`); within an agency findings are matched by
(check, entity), entities across renames. Only checks in both results are compared finding by finding.
Each agency's diff is encoded at once into the diff's store (`diffdoc`), so a province of any size is held
as its small summary plus one agency.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from secassess.assessment.result import AgencyResult, AgencyScore, AssessmentResult, Finding, Score
from secassess.assessment.store import AgencyStore
from secassess.diagnostics import Outcome, Severity
from secassess.heap import collector_paused
from secassess.history.model import (
    CHANGES,
    AgencyDiff,
    AgencyStatus,
    AgencySummary,
    Change,
    CheckChange,
    FindingChange,
    Rename,
    ResultInfo,
    ScoreChange,
    summary_of,
)
from secassess.history.renames import agency_renames, entity_renames

LAYERS = ("1", "2", "3", "4")
PROVINCE = ""
"""The id of the pseudo-agency holding findings owned by no agency (the organisation, province-wide links)."""
_ORDER = {c: i for i, c in enumerate(CHANGES)}
Severities = dict[str, tuple[Severity, Severity]]
"""Check id -> (old severity, new severity), for the checks in both results."""

OpenSince = Callable[[str, Sequence[FindingChange]], Sequence[FindingChange]]
"""Given an agency id (of the old result) and its still-open findings, the same findings with `open_since`
and `assessments_open` pushed back through earlier results (see `timeline.open_since`)."""


def result_info(result: AssessmentResult, path: str) -> ResultInfo:
    h = result.header
    return ResultInfo(path, h.as_of, h.profile, h.profile_title, h.tool_version, h.checklists, h.organisation,
                      h.organisation_name, h.inventory)


def classify(old: Finding | None, new: Finding | None, entity_still_assessed: bool) -> Change | None:
    """The change of one (check, entity); None when it counts against neither before nor now."""
    was_against = old is not None and old.outcome.counts_against
    if new is not None and new.outcome.counts_against:
        if was_against:
            return Change.STILL_OPEN
        return Change.REGRESSED if old is not None and old.outcome is Outcome.PASS else Change.NEW
    if not was_against:
        return None
    if new is None:
        return Change.NO_LONGER_APPLICABLE if entity_still_assessed else Change.ENTITY_REMOVED
    if new.outcome is Outcome.PASS:
        return Change.FIXED
    if new.outcome is Outcome.WAIVED:
        return Change.WAIVED
    if new.outcome is Outcome.NOT_APPLICABLE:
        return Change.NO_LONGER_APPLICABLE
    return Change.OUTCOME_CHANGED


def _assessed(agency: AgencyResult | None, findings: Iterable[Finding]) -> set[str]:
    """Entities the result still assesses: those with a listed finding, the agency, its systems."""
    names = {f.entity for f in findings}
    if agency is not None:
        names.add(f"agency:{agency.id}")
        names.update(f"agency:{agency.id}/system:{s.id}" for s in agency.details.systems)
    return names


def _score_changes(old: AgencyScore | None, new: AgencyScore | None) -> tuple[ScoreChange, ...]:
    def pick(score: AgencyScore | None, key: str) -> Score | None:
        if score is None:
            return None
        return score.overall if key == "overall" else score.layers.get(key)

    rows = []
    for key in ("overall", *LAYERS):
        before, after = pick(old, key), pick(new, key)
        if key == "overall" or before is not None or after is not None:
            rows.append(ScoreChange(key, before.score if before else None, after.score if after else None,
                                    before.rating if before else None, after.rating if after else None))
    return tuple(rows)


class _Tally:
    """Findings counting against, per check and side, counted while agencies stream past."""

    def __init__(self) -> None:
        self.old: dict[str, int] = {}
        self.new: dict[str, int] = {}

    @staticmethod
    def add(findings: Iterable[Finding], into: dict[str, int]) -> None:
        for f in findings:
            if f.outcome.counts_against:
                into[f.check] = into.get(f.check, 0) + 1


def compare_agency(agency_id: str, name: str, status: AgencyStatus, old: AgencyResult | None,
                   new: AgencyResult | None, old_findings: Sequence[Finding], new_findings: Sequence[Finding],
                   old_score: AgencyScore | None, new_score: AgencyScore | None, common: set[str],
                   severities: Severities, open_since: OpenSince | None, old_as_of: dt.date,
                   inventories: tuple[str, str] = ("", "")) -> AgencyDiff:
    """One agency's diff (old or new may be missing: an agency added or removed).

    Old entity names are first carried into the new agency id (`agency:old/...` -> `agency:new/...` for a
    renamed agency), then across entity renames; `old_entity` keeps the name the old result used.
    """
    carry, uncarry = _carriers(old, new)
    old_entities = {carry(e) for e in _assessed(old, old_findings)}
    new_entities = _assessed(new, new_findings)
    renames: list[Rename] = entity_renames(old, new, old_entities - new_entities, new_entities - old_entities,
                                           inventories, carry)
    to_new = {r.old: r.new for r in renames}
    to_old = {r.new: r.old for r in renames}
    before = {(f.check, to_new.get(carry(f.entity), carry(f.entity))): f for f in old_findings
              if f.check in common}
    changes: list[FindingChange] = []
    seen: set[tuple[str, str]] = set()
    for f in new_findings:
        if f.check not in common:
            continue
        key = (f.check, f.entity)
        seen.add(key)
        previous = before.get(key)
        change = classify(previous, f, True)
        if change is None:
            continue
        was = previous.entity if previous is not None else ""
        changes.append(_change(change, previous, f, was if was != f.entity else "", severities, old_as_of))
    for key, previous in before.items():
        if key in seen:
            continue
        change = classify(previous, None, key[1] in new_entities)
        if change is not None:
            changes.append(_change(change, previous, None, "", severities, old_as_of))
    history_id = old.id if old is not None else PROVINCE if agency_id == PROVINCE else None
    if open_since is not None and history_id is not None:
        still = [c for c in changes if c.change is Change.STILL_OPEN]
        if still:
            updated = {(c.check, c.entity): c for c in open_since(history_id, still)}
            changes = [updated.get((c.check, c.entity), c) for c in changes]
    changes.sort(key=lambda c: (_ORDER[c.change], -c.severity.rank, c.check, c.entity))
    both = status in (AgencyStatus.BOTH, AgencyStatus.RENAMED)
    removed = sorted(uncarry(e) for e in old_entities - new_entities - set(to_new)) if both else []
    added = sorted(new_entities - old_entities - set(to_old)) if both else []
    renames = [Rename(r.kind, uncarry(r.old), r.new, r.reason) for r in renames]
    return AgencyDiff(agency_id, name, status, old.id if old is not None else "",
                      old_score.rank if old_score else None, new_score.rank if new_score else None,
                      _score_changes(old_score, new_score), tuple(changes), tuple(renames), tuple(removed),
                      tuple(added))


def _carriers(old: AgencyResult | None, new: AgencyResult | None) -> tuple[Callable[[str], str],
                                                                          Callable[[str], str]]:
    """Functions moving an entity name from the old agency id to the new one and back (identity unless the
    agency was renamed)."""
    if old is None or new is None or old.id == new.id:
        return (lambda name: name), (lambda name: name)

    def move(name: str, source: str, target: str) -> str:
        if name == source or name.startswith(source + "/"):
            return target + name[len(source):]
        return name

    before, after = f"agency:{old.id}", f"agency:{new.id}"
    return (lambda name: move(name, before, after)), (lambda name: move(name, after, before))


def _change(change: Change, old: Finding | None, new: Finding | None, old_entity: str, severities: Severities,
            old_as_of: dt.date) -> FindingChange:
    shown = new if new is not None else old
    assert shown is not None
    old_severity, new_severity = severities[shown.check]
    still_open = change is Change.STILL_OPEN
    return FindingChange(shown.check, shown.entity, shown.kind, change, old.outcome if old else None,
                         new.outcome if new else None, shown.severity, shown.message, shown.location, old_entity,
                         old_severity if old_severity != new_severity else None,
                         old_as_of if still_open else None, 2 if still_open else 0)


class AssessmentDiff:
    """Two results compared: what is small (identities, check changes, agency summaries, totals) in memory,
    each agency's findings in a store of encoded lines (`iter_agencies()` decodes them one at a time)."""

    __slots__ = ("agencies", "checks", "counts", "history", "new", "old", "province", "store", "titles")

    def __init__(self, old: ResultInfo, new: ResultInfo, checks: Sequence[CheckChange],
                 province: Sequence[ScoreChange], agencies: Sequence[AgencySummary], store: AgencyStore,
                 history: Sequence[ResultInfo] = (), titles: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.old, self.new = old, new
        self.titles = dict(titles or {})
        """Check id -> (Vietnamese title, English title), of every check of either result (the new one's first)."""
        self.checks = tuple(checks)
        self.province = tuple(province)
        """The province score (overall) before and after."""
        self.agencies = tuple(agencies)
        """Province-wide findings first (id ""), then agencies in the new ranking, then removed ones."""
        self.store = store
        self.history = tuple(history)
        """Earlier results used to date still-open findings (oldest first)."""
        counts = dict.fromkeys((c.value for c in CHANGES), 0)
        for a in self.agencies:
            for key, n in a.counts.items():
                counts[key] += n
        self.counts = counts

    @property
    def comparable(self) -> bool:
        """Same profile and the same checks with the same severities."""
        return self.old.profile == self.new.profile and not self.checks

    def title(self, check: str, lang: str) -> str:
        vi, en = self.titles.get(check, ("", ""))
        return ((en or vi) if lang == "en" else (vi or en)) or check

    def agency(self, agency_id: str) -> AgencyDiff:
        from secassess.history.diffdoc import decode_agency_diff
        return decode_agency_diff(self.store.line(agency_id or "-"))

    def iter_agencies(self) -> Iterator[AgencyDiff]:
        for summary in self.agencies:
            yield self.agency(summary.id)

    def introduced(self) -> Iterator[FindingChange]:
        """Every new or regressed finding, agency by agency."""
        for agency in self.iter_agencies():
            yield from (c for c in agency.changes if c.change.introduced)


def diff_results(old: AssessmentResult, new: AssessmentResult, old_path: str = "OLD", new_path: str = "NEW",
                 open_since: OpenSince | None = None, history: Sequence[ResultInfo] = (), *,
                 old_agencies: Iterable[AgencyResult] | None = None,
                 new_agencies: Iterable[AgencyResult] | None = None) -> AssessmentDiff:
    """Compare `old` with `new`, one agency of each at a time.

    `old_agencies` and `new_agencies` (default: each result's `iter_agencies()`) may be one-pass streams
    (`document.stream_result`): the new one is followed in its order, the old one read ahead only until the
    matching agency comes (results of one inventory list agencies in the same order, so little is held).
    """
    from secassess.history.diffdoc import encode_agency_diff

    old_checks = {c.id: c for c in old.checks}
    new_checks = {c.id: c for c in new.checks}
    common = set(old_checks) & set(new_checks)
    severities: Severities = {c: (old_checks[c].severity, new_checks[c].severity) for c in common}
    tally = _Tally()
    old_scores = {a.agency: a for a in old.ranking}
    new_scores = {a.agency: a for a in new.ranking}
    gone = {a: (s.name, s.name_en) for a, s in old_scores.items() if a not in new_scores}
    added = {a: (s.name, s.name_en) for a, s in new_scores.items() if a not in old_scores}
    renamed = {r.new: r.old for r in agency_renames(gone, added)}
    store = AgencyStore()
    summaries: list[AgencySummary] = []
    ahead: dict[str, AgencyResult] = {}
    old_stream = iter(old.iter_agencies() if old_agencies is None else old_agencies)

    def keep(diff: AgencyDiff) -> None:
        store.append(diff.id or "-", encode_agency_diff(diff))
        summaries.append(summary_of(diff))

    def old_agency(agency_id: str) -> AgencyResult | None:
        while agency_id not in ahead:
            following = next(old_stream, None)
            if following is None:
                return None
            ahead[following.id] = following
        return ahead.pop(agency_id)

    tally.add(old.province_findings, tally.old)
    tally.add(new.province_findings, tally.new)
    keep(compare_agency(PROVINCE, new.organisation_name, AgencyStatus.BOTH, None, None, old.province_findings,
                        new.province_findings, None, None, common, severities, open_since, old.as_of))
    for after in (new.iter_agencies() if new_agencies is None else new_agencies):
        old_id = renamed.get(after.id, after.id)
        before = old_agency(old_id) if old_id in old_scores else None
        status = AgencyStatus.ADDED if before is None else \
            AgencyStatus.RENAMED if old_id != after.id else AgencyStatus.BOTH
        tally.add(after.findings, tally.new)
        if before is not None:
            tally.add(before.findings, tally.old)
        with collector_paused():  # comparing builds acyclic records while both agencies are held: no traversal
            keep(compare_agency(after.id, after.name, status, before, after, before.findings if before else (),
                                after.findings, old_scores.get(old_id), new_scores[after.id], common, severities,
                                open_since, old.as_of, (old.inventory, new.inventory)))
    for before in itertools.chain(list(ahead.values()), old_stream):
        tally.add(before.findings, tally.old)
        keep(compare_agency(before.id, before.name, AgencyStatus.REMOVED, before, None, before.findings, (),
                            old_scores[before.id], None, common, severities, None, old.as_of))
    checks = [CheckChange(c, old_checks[c].title_vi, old_checks[c].title_en, old_checks[c].severity, None,
                          tally.old.get(c, 0)) for c in set(old_checks) - common]
    checks += [CheckChange(c, new_checks[c].title_vi, new_checks[c].title_en, old_checks[c].severity if c in common
                           else None, new_checks[c].severity, tally.new.get(c, 0))
               for c in new_checks if c not in common or severities[c][0] != severities[c][1]]
    checks.sort(key=lambda c: c.check)
    province = (ScoreChange("overall", old.province.score, new.province.score, old.province.rating,
                            new.province.rating),)
    titles = {c.id: (c.title_vi, c.title_en) for c in (*old.checks, *new.checks)}
    return AssessmentDiff(result_info(old, old_path), result_info(new, new_path), checks, province, summaries, store,
                          history, titles)


