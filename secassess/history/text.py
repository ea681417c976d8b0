"""The diff as plain text for a terminal or a CI log (English, like `assess`'s text)."""

from __future__ import annotations

from collections.abc import Iterator

from secassess.history.compare import PROVINCE, AssessmentDiff
from secassess.history.model import CHANGES, AgencyDiff, AgencyStatus, Change, FindingChange, ScoreChange

LABELS = {
    Change.NEW: "new", Change.REGRESSED: "regressed (pass -> fail)", Change.STILL_OPEN: "still open",
    Change.FIXED: "fixed", Change.WAIVED: "now waived", Change.NO_LONGER_APPLICABLE: "no longer applicable",
    Change.ENTITY_REMOVED: "entity removed", Change.OUTCOME_CHANGED: "outcome changed",
}


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def score_line(s: ScoreChange) -> str:
    delta = s.delta
    shown = "" if delta is None else " (no change)" if delta == 0 else f" ({delta:+.1f})"
    rating = "" if s.old_rating == s.new_rating else f", rating {s.old_rating or '-'} -> {s.new_rating or '-'}"
    return f"{_score(s.old_score)} -> {_score(s.new_score)}{shown}{rating}"


def _short(entity: str, agency_id: str) -> str:
    return entity.removeprefix(f"agency:{agency_id}/") if agency_id else entity


def _finding(c: FindingChange, agency_id: str) -> str:
    entity = _short(c.entity, agency_id)
    renamed = f" (was {_short(c.old_entity, agency_id)})" if c.old_entity else ""
    before = c.old_outcome.value if c.old_outcome else "absent"
    after = c.new_outcome.value if c.new_outcome else "absent"
    if c.open_since is not None:
        shown = f"open since {c.open_since.isoformat()} ({c.assessments_open} assessments)" + \
            ("" if before == after else f", {before} -> {after}")
    else:
        shown = f"{before} -> {after}"
    severity = f"{c.old_severity.value}->{c.severity.value}" if c.old_severity else c.severity.value
    return f"    {severity:<8} {c.check:<22} {entity}{renamed}: {shown}"


def _agency(a: AgencyDiff) -> Iterator[str]:
    title = "province-wide (organisation and network links)" if a.id == PROVINCE else f"{a.id} {a.name}"
    status = {AgencyStatus.ADDED: " [agency added]", AgencyStatus.REMOVED: " [agency removed]",
              AgencyStatus.RENAMED: f" [renamed from {a.old_id}]"}.get(a.status, "")
    yield f"== {title}{status}"
    if a.id != PROVINCE:
        ranks = f"rank {a.old_rank or '-'} -> {a.new_rank or '-'}"
        yield f"  score {score_line(a.scores[0])}; {ranks}"
        for s in a.scores[1:]:
            if s.delta or s.old_rating != s.new_rating:
                yield f"  layer {s.key}: {score_line(s)}"
    for r in a.renames:
        yield f"  renamed {r.kind}: {_short(r.old, a.id)} -> {_short(r.new, a.id)} ({r.reason})"
    for e in a.removed_entities:
        yield f"  entity removed: {_short(e, a.id)}"
    for e in a.added_entities:
        yield f"  entity added: {_short(e, a.id)}"
    for change in CHANGES:
        items = [c for c in a.changes if c.change is change]
        if items:
            yield f"  {LABELS[change]} ({len(items)}):"
            yield from (_finding(c, a.id) for c in items)


def _interesting(a: AgencyDiff) -> bool:
    return bool(a.changes or a.renames or a.removed_entities or a.added_entities or a.status is not AgencyStatus.BOTH
                or any(s.delta for s in a.scores))


def render_text(diff: AssessmentDiff) -> str:
    """Header, totals, check changes, then each agency that changed (unchanged ones are counted)."""
    o, n = diff.old, diff.new
    lines = [f"secassess diff: {o.path} (as of {o.as_of}, profile {o.profile}) -> "
             f"{n.path} (as of {n.as_of}, profile {n.profile})"]
    if diff.history:
        lines.append("open since: dated through " + ", ".join(f"{h.as_of}" for h in diff.history))
    lines.append(f"province score: {score_line(diff.province[0])}")
    lines.append("findings: " + ", ".join(f"{diff.counts[c.value]} {LABELS[c]}" for c in CHANGES))
    if not diff.comparable:
        lines.append("not fully comparable: " + (f"profile {o.profile} -> {n.profile}; " if o.profile != n.profile
                                                 else "") + "only the checks in both results are compared")
    for c in diff.checks:
        if c.new_severity is None:
            lines.append(f"  check only in OLD: {c.check} {c.title_en} ({c.open_findings} open there)")
        elif c.old_severity is None:
            lines.append(f"  check only in NEW: {c.check} {c.title_en} ({c.open_findings} open)")
        else:
            lines.append(f"  severity changed: {c.check} {c.old_severity.value} -> {c.new_severity.value} "
                         f"({c.open_findings} open)")
    unchanged = 0
    for agency in diff.iter_agencies():
        if _interesting(agency):
            lines.append("")
            lines.extend(_agency(agency))
        elif agency.id != PROVINCE:
            unchanged += 1
    if unchanged:
        lines.append("")
        lines.append(f"{unchanged} agenc{'y' if unchanged == 1 else 'ies'} unchanged")
    lines.append("")
    lines.append(summary_line(diff))
    return "\n".join(lines) + "\n"


def summary_line(diff: AssessmentDiff) -> str:
    """The last line of the text view (alone with --quiet): the totals and the province score change."""
    totals = ", ".join(f"{diff.counts[c.value]} {LABELS[c]}" for c in CHANGES)
    return f"diff {diff.old.as_of} -> {diff.new.as_of}: {totals}; province score {score_line(diff.province[0])}"
