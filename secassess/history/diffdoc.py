"""The diff document (`secassess/assessment-diff`, version 1, `docs/diff-schema.json`): its only writer.

Layout like the result document: a header (tool, both results' identities, the earlier results used for
"open since", whether the two are comparable, totals per change, the province score, the checks found in
one result only or with a changed severity), then `agencies`, one line per agency. Keys are sorted, the
same inputs give the same bytes. Agency lines are encoded once, into the diff's store, and copied out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import IO, Any

from secassess import __version__
from secassess.diagnostics import Outcome, Severity
from secassess.errors import SourcePos
from secassess.history.compare import AssessmentDiff
from secassess.history.model import (
    AgencyDiff,
    AgencyStatus,
    Change,
    CheckChange,
    FindingChange,
    Rename,
    ResultInfo,
    ScoreChange,
)

SCHEMA = "secassess/assessment-diff"
VERSION = 1
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _score(s: ScoreChange) -> dict[str, Any]:
    return {"key": s.key, "old": s.old_score, "new": s.new_score, "old_rating": s.old_rating,
            "new_rating": s.new_rating, "delta": s.delta}


def _where(pos: SourcePos | None) -> dict[str, Any] | None:
    return None if pos is None else {"file": pos.file, "line": pos.line, "column": pos.column}


def _finding(c: FindingChange) -> dict[str, Any]:
    item: dict[str, Any] = {
        "check": c.check, "entity": c.entity, "kind": c.kind, "change": c.change.value,
        "old_outcome": c.old_outcome.value if c.old_outcome else None,
        "new_outcome": c.new_outcome.value if c.new_outcome else None,
        "severity": c.severity.value, "message": c.message, "location": _where(c.location)}
    if c.old_entity:
        item["old_entity"] = c.old_entity
    if c.old_severity is not None:
        item["old_severity"] = c.old_severity.value
    if c.open_since is not None:
        item["open_since"] = c.open_since.isoformat()
        item["assessments_open"] = c.assessments_open
    return item


def encode_agency_diff(a: AgencyDiff) -> str:
    """One agency's line of the diff document."""
    return _ENCODER.encode({
        "id": a.id, "name": a.name, "status": a.status.value, "old_id": a.old_id, "old_rank": a.old_rank,
        "new_rank": a.new_rank, "scores": [_score(s) for s in a.scores], "counts": dict(a.counts),
        "renames": [{"kind": r.kind, "old": r.old, "new": r.new, "reason": r.reason} for r in a.renames],
        "removed_entities": list(a.removed_entities), "added_entities": list(a.added_entities),
        "changes": [_finding(c) for c in a.changes]})


def _read_pos(obj: dict[str, Any] | None) -> SourcePos | None:
    return None if obj is None else SourcePos(obj["file"], obj["line"], obj["column"])


def _read_change(obj: dict[str, Any]) -> FindingChange:
    since = obj.get("open_since")
    return FindingChange(
        obj["check"], obj["entity"], obj["kind"], Change(obj["change"]),
        Outcome(obj["old_outcome"]) if obj["old_outcome"] else None,
        Outcome(obj["new_outcome"]) if obj["new_outcome"] else None, Severity(obj["severity"]), obj["message"],
        _read_pos(obj["location"]), obj.get("old_entity", ""),
        Severity(obj["old_severity"]) if obj.get("old_severity") else None,
        dt.date.fromisoformat(since) if since else None, int(obj.get("assessments_open", 0)))


def decode_agency_diff(line: str) -> AgencyDiff:
    """An agency line (written by `encode_agency_diff`) as records."""
    obj = json.loads(line)
    return AgencyDiff(
        obj["id"], obj["name"], AgencyStatus(obj["status"]), obj["old_id"], obj["old_rank"], obj["new_rank"],
        tuple(ScoreChange(s["key"], s["old"], s["new"], s["old_rating"], s["new_rating"]) for s in obj["scores"]),
        tuple(_read_change(c) for c in obj["changes"]),
        tuple(Rename(r["kind"], r["old"], r["new"], r["reason"]) for r in obj["renames"]),
        tuple(obj["removed_entities"]), tuple(obj["added_entities"]))


def _info(r: ResultInfo) -> dict[str, Any]:
    return {"path": r.path, "as_of": r.as_of.isoformat(), "profile": r.profile, "profile_title": r.profile_title,
            "tool_version": r.tool_version, "checklists": list(r.checklists), "organisation": r.organisation,
            "organisation_name": r.organisation_name, "inventory": r.inventory}


def _check(c: CheckChange) -> dict[str, Any]:
    return {"check": c.check, "title": {"vi": c.title_vi, "en": c.title_en},
            "old_severity": c.old_severity.value if c.old_severity else None,
            "new_severity": c.new_severity.value if c.new_severity else None, "open_findings": c.open_findings,
            "change": "only_old" if c.new_severity is None else "only_new" if c.old_severity is None
            else "severity_changed"}


def write_diff(diff: AssessmentDiff, out: IO[str]) -> None:
    """Write the diff document to `out`, agency lines copied from the store."""
    header: list[tuple[str, Any]] = [
        ("schema", SCHEMA), ("version", VERSION), ("tool", {"name": "secassess", "version": __version__}),
        ("old", _info(diff.old)), ("new", _info(diff.new)),
        ("history", [{"path": h.path, "as_of": h.as_of.isoformat(), "profile": h.profile} for h in diff.history]),
        ("comparable", diff.comparable), ("summary", dict(diff.counts)),
        ("province", [_score(s) for s in diff.province]), ("checks", [_check(c) for c in diff.checks]),
    ]
    out.write("{\n")
    for key, value in header:
        out.write(f" {_ENCODER.encode(key)}: {_ENCODER.encode(value)},\n")
    out.write(' "agencies": [')
    for i, (_, line) in enumerate(diff.store.lines()):
        out.write(("\n  " if i == 0 else ",\n  ") + line)
    out.write("\n ]\n}\n" if len(diff.store) else "]\n}\n")


def diff_json(diff: AssessmentDiff) -> str:
    buffer = io.StringIO()
    write_diff(diff, buffer)
    return buffer.getvalue()
