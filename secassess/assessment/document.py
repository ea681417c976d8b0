"""The result document (`secassess/assessment-result`, version 2): its only writer and its only reader.

Layout (`docs/result-schema.json`): a header (tool, date, profile, inventory, checks, sources, the file
table, summary, province score and findings, ranking with every agency's scores, warnings), then
`agencies`, one line per agency with its details and listed findings. Keys are sorted inside objects;
the same inputs give the same bytes. Locations are `[file index, line, column]` into `files`. Each
finding names its check, entity and outcome; its kind and severity are the check's (not repeated), and
a pass's message is left out when it is the standard "<title>: met".

Reading validates everything (types, ranges, references to checks and files; NaN, infinities and
oversized numbers are refused) and streams: a large document is read one agency at a time, so
`report --from-result` and `diff` hold one agency, not the province.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from secassess.assessment.result import (
    DEFAULT_SCORING,
    MAX_WEIGHT,
    RATING_IDS,
    AgencyDetails,
    AgencyResult,
    AgencyScore,
    AppliedWaiver,
    AssessmentResult,
    CheckInfo,
    Contact,
    DefaultNote,
    Evidence,
    Finding,
    Header,
    Score,
    ScoringPolicy,
    SourceInfo,
    SystemSummary,
    TransitionInfo,
    jsonable,
)
from secassess.assessment.store import AgencyStore
from secassess.diagnostics import Outcome, Severity
from secassess.errors import InputError, SourcePos
from secassess.heap import collector_paused

SCHEMA = "secassess/assessment-result"
VERSION = 2
AGENCY_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
"""Agency ids become report file names: the inventory's id pattern, checked again since a result may be edited."""
WHOLE_READ_BYTES = 64 * 1024 * 1024
"""Documents up to this size are parsed in one go; larger ones are streamed agency by agency."""

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_OUTCOMES = {o.value: o for o in Outcome}
_SEVERITIES = {s.value: s for s in Severity}
T = TypeVar("T")


# --- writing -------------------------------------------------------------------------------------


class FileTable:
    """The files that locations point into, numbered in the order first met (the inventory is 0)."""

    def __init__(self, first: str) -> None:
        self._index: dict[str, int] = {first: 0}

    def index(self, name: str) -> int:
        found = self._index.get(name)
        if found is None:
            found = self._index[name] = len(self._index)
        return found

    def names(self) -> tuple[str, ...]:
        return tuple(self._index)


def _at(pos: SourcePos | None, files: FileTable) -> list[int] | None:
    return None if pos is None else [files.index(pos.file), pos.line, pos.column]


def _show(value: Any) -> str:
    return "none" if value is None else str(value).replace("True", "true").replace("False", "false")


def standard_message(title_en: str, outcome: Outcome, evidence: Sequence[Evidence], when: int) -> str | None:
    """The message the engine writes for a plain pass or failure, rebuilt from the finding's evidence.

    A failure names the failed rules of its condition (`evidence[when:]`, before the check's extra
    `evidence` rows), then the extra rows that hold a value. The document stores a message only when it
    differs from this, and `when` (rows read by the check's `when:`) when it is not 0; so no finding
    repeats its check's title, and messages cost nothing in a large result.
    """
    if outcome is Outcome.PASS:
        return f"{title_en}: met"
    if outcome is not Outcome.FAIL:
        return None
    end = len(evidence)
    while end > when and evidence[end - 1].expected == "evidence":
        end -= 1
    condition = evidence[when:end]
    picked = [e for e in condition if e.met is False] or condition
    text = f"{title_en}: not met: " + "; ".join(f"{e.field} = {_show(e.value)} (expected {e.expected})"
                                                for e in picked)
    shown = [f"{e.field} = {_show(e.value)}" for e in evidence[end:] if e.value not in (None, "", [], ())]
    return f"{text}; evidence: {'; '.join(shown)}" if shown else text


def _message_fields(f: Finding, title_en: str) -> dict[str, Any]:
    """`message` only when the standard one does not rebuild it; `when` when that is not 0."""
    for when in range(len(f.evidence) + 1 if f.outcome is Outcome.FAIL else 1):
        if standard_message(title_en, f.outcome, f.evidence, when) == f.message:
            return {"when": when} if when else {}
    return {"message": f.message}


def default_notes(check: CheckInfo) -> tuple[str, ...]:
    """The notes every finding of `check` carries unless it is not applicable (its province defaults)."""
    return tuple(note.text() for note in check.province_defaults)


def encode_finding(f: Finding, files: FileTable, check: CheckInfo,
                   check_notes: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One finding as the document writes it: kind, severity, agency and the check's default notes are
    implied; an evidence row written at the finding's own place leaves its location out (null: none).
    `check_notes` are `default_notes(check)` when the caller has them already."""
    item: dict[str, Any] = {"check": f.check, "entity": f.entity, "outcome": f.outcome.value}
    if f.location is not None:
        item["location"] = _at(f.location, files)
    item.update(_message_fields(f, check.title_en))
    if f.evidence:
        rows = []
        for e in f.evidence:
            row: dict[str, Any] = {"field": e.field, "value": e.value, "expected": e.expected}
            if e.met is not None:
                row["met"] = e.met
            if e.location != f.location:
                row["location"] = _at(e.location, files)
            rows.append(row)
        item["evidence"] = rows
    if f.waiver is not None:
        w = f.waiver
        item["waiver"] = {"reason": w.reason, "approver": w.approver, "expires": w.expires.isoformat(),
                          "expired": w.expired, "location": _at(w.location, files),
                          **({"transition": True} if w.transition else {})}
    notes = f.notes
    defaults = () if f.outcome is Outcome.NOT_APPLICABLE else \
        default_notes(check) if check_notes is None else check_notes
    if defaults:
        if notes[:len(defaults)] == defaults:
            notes = notes[len(defaults):]
        else:
            item["default_notes"] = False
    if notes:
        item["notes"] = list(notes)
    return item


def _details(details: AgencyDetails) -> dict[str, Any]:
    return {"name_en": details.name_en, "kind": details.kind,
            "contacts": [{"role": c.role, "name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
                         for c in details.contacts],
            "systems": [{"id": s.id, "name": s.name, "name_en": s.name_en, "level": s.level, "approved": s.approved}
                        for s in details.systems]}


def encode_agency(agency_id: str, name: str, details: AgencyDetails, findings: Sequence[Finding],
                  not_applicable: Mapping[str, int], files: FileTable, checks: Mapping[str, CheckInfo]) -> str:
    """One agency's line of the document: details, listed findings, counted not-applicable findings."""
    notes = {check: default_notes(checks[check]) for check in {f.check for f in findings}}  # once per check
    return _ENCODER.encode({
        "id": agency_id, "name": name, "details": _details(details),
        "findings": [encode_finding(f, files, checks[f.check], notes[f.check]) for f in findings],
        "not_applicable": dict(sorted(not_applicable.items())),
    })


def _score(score: Score) -> dict[str, Any]:
    return {"score": score.score, "rating": score.rating, "capped": score.capped, "counts": dict(score.counts),
            "critical_failures": score.critical_failures, "failed": dict(score.failed)}


def _check(info: CheckInfo) -> dict[str, Any]:
    return {"id": info.id, "title": {"vi": info.title_vi, "en": info.title_en}, "rationale": info.rationale,
            "remediation": {"vi": info.remediation_vi, "en": info.remediation_en},
            "severity": info.severity.value, "layer": info.layer, "domain": info.domain, "entity": info.entity,
            "references": [{"source": s, "article": a} for s, a in info.references],
            "unverified": info.unverified, "origin": info.origin, "requirements": list(info.requirements),
            **({"province_defaults": [_default_note(n) for n in info.province_defaults]}
               if info.province_defaults else {})}


def _default_note(note: DefaultNote) -> dict[str, Any]:
    """A province-default note: parameter names (their values are the profile's) and the reason in each language."""
    return {"parameters": [name for name, _ in note.parameters],
            "reason": {"en": note.reason_en, **({"vi": note.reason_vi} if note.reason_vi else {})}}


def _transition(rule: TransitionInfo) -> dict[str, Any]:
    return {"from_profile": rule.from_profile, "approved_before": rule.approved_before.isoformat(),
            "due": rule.due.isoformat(), "citation": {"source": rule.source, "article": rule.article}}


def _read_transition(obj: Any, path: str) -> TransitionInfo | None:
    if obj is None:
        return None
    citation = _get(obj, "citation", path, dict)
    return TransitionInfo(_get(obj, "from_profile", path, str), _date(obj, "approved_before", path),
                          _date(obj, "due", path), _get(citation, "source", f"{path}.citation", str),
                          _get(citation, "article", f"{path}.citation", str, optional=True) or "")


def _scoring(policy: ScoringPolicy) -> dict[str, Any]:
    reason = {"vi": policy.reason_vi or policy.reason_en, "en": policy.reason_en}
    origin: dict[str, Any] = ({"source": policy.source, **({"article": policy.article} if policy.article else {})}
                              if policy.source else {"province_default": reason})
    return {"weights": {str(s): w for s, w in policy.weights}, "ratings": dict(policy.floors),
            "critical_cap": policy.critical_cap, **origin}


_SEVERITY_KEYS = tuple(str(s) for s in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO))
_SCORING_KEYS = frozenset({"weights", "ratings", "critical_cap", "source", "article", "province_default"})


def _read_scoring(obj: Any, path: str) -> ScoringPolicy:
    """The result's scale; a result written before scales were recorded used the built-in one."""
    if obj is None:
        return DEFAULT_SCORING
    _unknown_keys(obj, _SCORING_KEYS, path)
    weights = _get(obj, "weights", path, dict)
    _unknown_keys(weights, frozenset(_SEVERITY_KEYS), f"{path}.weights")
    ratings = _get(obj, "ratings", path, dict)
    _unknown_keys(ratings, frozenset(RATING_IDS[:3]), f"{path}.ratings")
    floors: list[tuple[str, float]] = []
    for rating in RATING_IDS[:3]:
        floor = _get(ratings, rating, f"{path}.ratings", float)
        if not 0 < floor <= 100 or (floors and floor >= floors[-1][1]):
            raise _Bad(f"{path}.ratings.{rating}", f"{floor} is not a floor between 0 and 100 below the one above")
        floors.append((rating, floor))
    cap = obj.get("critical_cap")
    if cap is not None and cap not in RATING_IDS:
        raise _Bad(f"{path}.critical_cap", f"expected one of {', '.join(RATING_IDS)} or null")
    reason = _get(obj, "province_default", path, dict, optional=True) or {}
    source = _get(obj, "source", path, str, optional=True) or ""
    if not source and not reason:
        raise _Bad(path, "expected a 'source' or a 'province_default'")
    weighed = tuple((Severity(k), _count(weights, k, f"{path}.weights")) for k in _SEVERITY_KEYS)
    for severity, weight in weighed:
        if weight > MAX_WEIGHT:
            raise _Bad(f"{path}.weights.{severity}", f"{weight} is over {MAX_WEIGHT}")
    return ScoringPolicy(
        weighed, tuple(floors), cap,
        source, _get(obj, "article", path, str, optional=True) or "",
        _get(reason, "en", f"{path}.province_default", str) if reason else "",
        _get(reason, "vi", f"{path}.province_default", str) if reason else "")


def _header_items(result: AssessmentResult) -> list[tuple[str, Any]]:
    h = result.header
    checks = {c.id: c for c in h.checks}
    return [
        ("schema", SCHEMA), ("version", VERSION), ("tool", {"name": "secassess", "version": h.tool_version}),
        ("as_of", h.as_of.isoformat()),
        ("profile", {"id": h.profile, "title": h.profile_title,
                     "parameters": {k: jsonable(v) for k, v in h.parameters.items()},
                     **({"title_vi": h.profile_title_vi} if h.profile_title_vi else {}),
                     **({"transition": _transition(h.transition)} if h.transition is not None else {}),
                     "scoring": _scoring(h.scoring)}),
        ("inventory", {"path": h.inventory, "organisation": h.organisation,
                       "organisation_name": h.organisation_name, "organisation_name_en": h.organisation_name_en}),
        ("checklists", list(h.checklists)), ("include_not_applicable", h.include_not_applicable),
        ("sources", [{"id": s.id, "title": s.title, "verified": s.verified,
                      **({"title_vi": s.title_vi} if s.title_vi else {})} for s in h.sources]),
        ("checks", [_check(c) for c in h.checks]),
        ("files", list(result.files)),
        ("summary", dict(result.province.counts)),
        ("province", {"score": _score(result.province),
                      "findings": [encode_finding(f, _FrozenFiles(result.files), checks[f.check])
                                   for f in result.province_findings]}),
        ("ranking", [{"agency": a.agency, "name": a.name, "name_en": a.name_en, "rank": a.rank,
                      "overall": _score(a.overall),
                      "layers": {k: _score(v) for k, v in sorted(a.layers.items())},
                      "domains": {k: _score(v) for k, v in sorted(a.domains.items())}} for a in result.ranking]),
        ("warnings", list(result.warnings)),
    ]


class _FrozenFiles(FileTable):
    """The finished file table of a result (every location already has its index)."""

    def __init__(self, names: Sequence[str]) -> None:
        self._index = {name: i for i, name in enumerate(names)}

    def index(self, name: str) -> int:
        return self._index[name]


def write_document(result: AssessmentResult, out: IO[str]) -> None:
    """Write the document to `out`, agency lines copied from the store (never all held at once)."""
    out.write("{\n")
    for key, value in _header_items(result):
        if isinstance(value, list) and value and key not in ("checklists", "files"):
            items = ",\n  ".join(_ENCODER.encode(item) for item in value)
            out.write(f" {_ENCODER.encode(key)}: [\n  {items}\n ],\n")
        else:
            out.write(f" {_ENCODER.encode(key)}: {_ENCODER.encode(value)},\n")
    out.write(' "agencies": [')
    first = True
    for _, line in result.store.lines():
        out.write("\n  " if first else ",\n  ")
        out.write(line)
        first = False
    out.write("\n ]\n}\n" if not first else "]\n}\n")


def to_json(result: AssessmentResult) -> str:
    """The whole document as text (for small results and tests; large ones: `write_document`)."""
    buffer = io.StringIO()
    write_document(result, buffer)
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------------


class _Bad(Exception):
    """A problem at a JSON path inside the document; becomes one InputError."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large a number")
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float)
"""Integers are Python's own (which refuses more than 4,300 digits); each field checks its range."""


def _get(obj: Any, key: str, path: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise _Bad(path, "expected an object")
    value = obj.get(key)
    if value is None:
        if optional:
            return None
        raise _Bad(f"{path}.{key}", "missing")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        raise _Bad(f"{path}.{key}", f"expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _count(obj: Any, key: str, path: str, *, optional: bool = False, minimum: int = 0) -> int:
    value = _get(obj, key, path, int, optional=optional)
    if value is None:
        return 0
    if value < minimum:
        raise _Bad(f"{path}.{key}", f"{value} is below {minimum}")
    return int(value)


def _items(obj: Any, key: str, path: str, read: Callable[[Any, str], T]) -> tuple[T, ...]:
    values = _get(obj, key, path, list, optional=True) or []
    return tuple(read(v, f"{path}.{key}[{i}]") for i, v in enumerate(values))


def _enum(obj: Any, key: str, path: str, table: Mapping[str, T]) -> T:
    text = _get(obj, key, path, str)
    if text not in table:
        raise _Bad(f"{path}.{key}", f"{text[:40]!r} is not one of {', '.join(table)}")
    return table[text]


def _date(obj: Any, key: str, path: str) -> dt.date:
    text = _get(obj, key, path, str)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{path}.{key}", f"{text[:40]!r} is not a YYYY-MM-DD date") from None


def _read_score(obj: Any, path: str) -> Score:
    counts = _get(obj, "counts", path, dict, optional=True) or {}
    value = _get(obj, "score", path, float, optional=True)
    if value is not None and not 0.0 <= value <= 100.0:
        raise _Bad(f"{path}.score", f"{value} is not a score from 0 to 100")
    rating = _get(obj, "rating", path, str, optional=True)
    failed = _get(obj, "failed", path, dict, optional=True) or {}
    for key in failed:
        if key not in _SEVERITIES:
            raise _Bad(f"{path}.failed", f"{key[:40]!r} is not a severity")
    return Score(value, rating, bool(_get(obj, "capped", path, bool, optional=True)),
                 {str(k): _count(counts, k, f"{path}.counts") for k in counts},
                 _count(obj, "critical_failures", path, optional=True),
                 {k: _count(failed, k, f"{path}.failed") for k in _SEVERITIES if k in failed})


def _scores(obj: Any, key: str, path: str) -> dict[str, Score]:
    table = _get(obj, key, path, dict, optional=True) or {}
    return {str(k): _read_score(v, f"{path}.{key}.{k}") for k, v in sorted(table.items())}


def _read_default_note(obj: Any, path: str, parameters: Mapping[str, Any]) -> DefaultNote:
    reason = _get(obj, "reason", path, dict)

    def parameter(name: Any, p: str) -> tuple[str, str]:
        if not isinstance(name, str) or name not in parameters:
            raise _Bad(p, f"{str(name)[:80]!r} is not a parameter of the document's profile")
        return name, str(parameters[name])

    return DefaultNote(_items(obj, "parameters", path, parameter), _get(reason, "en", f"{path}.reason", str),
                       _get(reason, "vi", f"{path}.reason", str, optional=True) or "")


def _read_check(obj: Any, path: str, parameters: Mapping[str, Any]) -> CheckInfo:
    title = _get(obj, "title", path, dict)
    remediation = _get(obj, "remediation", path, dict)
    layer = _get(obj, "layer", path, int, optional=True)
    if layer is not None and not 1 <= layer <= 4:
        raise _Bad(f"{path}.layer", f"{layer} is not a layer from 1 to 4")
    return CheckInfo(
        _get(obj, "id", path, str), _get(title, "vi", f"{path}.title", str), _get(title, "en", f"{path}.title", str),
        _get(obj, "rationale", path, str, optional=True) or "",
        _get(remediation, "vi", f"{path}.remediation", str), _get(remediation, "en", f"{path}.remediation", str),
        _enum(obj, "severity", path, _SEVERITIES), layer, _get(obj, "domain", path, str, optional=True),
        _get(obj, "entity", path, str),
        _items(obj, "references", path, lambda r, p: (_get(r, "source", p, str),
                                                      _get(r, "article", p, str, optional=True) or "")),
        bool(_get(obj, "unverified", path, bool, optional=True)), _get(obj, "origin", path, str, optional=True) or "",
        _items(obj, "requirements", path, lambda r, p: r if isinstance(r, str) else str(r)),
        _items(obj, "province_defaults", path, lambda n, p: _read_default_note(n, p, parameters)))


class _Context:
    """What decoding a finding needs: the checks and the file table."""

    __slots__ = ("checks", "defaults", "files")

    def __init__(self, checks: Mapping[str, CheckInfo], files: Sequence[str]) -> None:
        self.checks, self.files = checks, tuple(files)
        self.defaults = {k: default_notes(c) for k, c in checks.items()}


def _pos(value: Any, path: str, ctx: _Context) -> SourcePos | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 3 and all(type(v) is int and v >= 0 for v in value)):
        raise _Bad(path, "expected [file index, line, column]")
    if value[0] >= len(ctx.files):
        raise _Bad(path, f"file index {value[0]} is not in `files`")
    return SourcePos(ctx.files[value[0]], value[1], value[2])


_FINDING_KEYS = frozenset({"check", "entity", "outcome", "location", "message", "when", "evidence", "waiver", "notes",
                           "default_notes"})
_EVIDENCE_KEYS = frozenset({"field", "value", "expected", "met", "location"})
_AGENCY_KEYS = frozenset({"id", "name", "details", "findings", "not_applicable"})


def _fast_pos(value: Any, ctx: _Context, places: dict[tuple[int, int, int], SourcePos]) -> SourcePos | None:
    if value is None:
        return None
    file, line, column = value
    key = (file, line, column)
    found = places.get(key)
    if found is None:
        if type(file) is not int or type(line) is not int or type(column) is not int or min(key) < 0:
            raise TypeError(value)
        found = places[key] = SourcePos(ctx.files[file], line, column)
    return found


def _read_finding_fast(obj: dict[str, Any], agency: str, ctx: _Context,
                       places: dict[tuple[int, int, int], SourcePos]) -> Finding:
    """A well-formed finding, read without naming JSON paths; raises on anything unexpected (then the careful
    reader runs to say what is wrong)."""
    if not obj.keys() <= _FINDING_KEYS or "waiver" in obj:
        raise KeyError("careful")
    check = ctx.checks[obj["check"]]
    outcome = _OUTCOMES[obj["outcome"]]
    location = _fast_pos(obj.get("location"), ctx, places)
    rows = []
    for e in obj.get("evidence", ()):
        if not e.keys() <= _EVIDENCE_KEYS:
            raise KeyError(e)
        met, field, expected = e.get("met"), e["field"], e["expected"]
        if type(field) is not str or type(expected) is not str or met not in (None, True, False):
            raise TypeError(e)
        rows.append(Evidence(field, e["value"], expected, met,
                             _fast_pos(e["location"], ctx, places) if "location" in e else location))
    entity, message, notes = obj["entity"], obj.get("message"), tuple(obj.get("notes", ()))
    if type(entity) is not str or any(type(n) is not str for n in notes):
        raise TypeError(entity)
    notes = _with_default_notes(obj, check, outcome, notes, ctx)
    if message is None:
        when = obj.get("when", 0)
        if type(when) is not int or not 0 <= when <= len(rows):
            raise ValueError(when)
        message = standard_message(check.title_en, outcome, rows, when) or ""
    elif type(message) is not str:
        raise TypeError(message)
    return Finding(check.id, entity, check.entity, agency, outcome, check.severity, message, location, tuple(rows),
                   None, notes)


def _with_default_notes(obj: Mapping[str, Any], check: CheckInfo, outcome: Outcome, notes: tuple[str, ...],
                        ctx: _Context) -> tuple[str, ...]:
    """The notes of a finding: the check's default notes (implied unless `default_notes` is false; never on a
    not-applicable finding), then its own."""
    flag = obj.get("default_notes", True)
    if type(flag) is not bool:
        raise TypeError(flag)
    if flag and outcome is not Outcome.NOT_APPLICABLE:
        return ctx.defaults[check.id] + notes
    return notes


def _read_finding(obj: Any, path: str, agency: str, ctx: _Context,
                  places: dict[tuple[int, int, int], SourcePos] | None = None) -> Finding:
    """One finding: the fast reader first, the careful one (naming the bad field) when that fails."""
    try:
        return _read_finding_fast(obj, agency, ctx, {} if places is None else places)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return _read_finding_careful(obj, path, agency, ctx)


def _unknown_keys(obj: Any, allowed: frozenset[str], path: str) -> None:
    if isinstance(obj, dict):
        extra = sorted(k for k in obj if k not in allowed)
        if extra:
            raise _Bad(f"{path}.{extra[0][:40]}", "is not a key this document version has")


def _read_finding_careful(obj: Any, path: str, agency: str, ctx: _Context) -> Finding:
    _unknown_keys(obj, _FINDING_KEYS, path)
    check_id = _get(obj, "check", path, str)
    check = ctx.checks.get(check_id)
    if check is None:
        raise _Bad(f"{path}.check", f"{check_id[:80]!r} is not in the document's checks")
    outcome = _enum(obj, "outcome", path, _OUTCOMES)
    waiver = _get(obj, "waiver", path, dict, optional=True)
    wpath = f"{path}.waiver"
    location = _pos(obj.get("location"), f"{path}.location", ctx)

    def evidence(e: Any, p: str) -> Evidence:
        if not isinstance(e, dict) or "field" not in e:
            raise _Bad(p, "expected an evidence object with a field")
        _unknown_keys(e, _EVIDENCE_KEYS, p)
        return Evidence(_get(e, "field", p, str), e.get("value"), _get(e, "expected", p, str, optional=True) or "",
                        _get(e, "met", p, bool, optional=True),
                        _pos(e["location"], f"{p}.location", ctx) if "location" in e else location)

    rows = _items(obj, "evidence", path, evidence)
    message = _get(obj, "message", path, str, optional=True)
    if message is None:
        when = _count(obj, "when", path, optional=True)
        if when > len(rows):
            raise _Bad(f"{path}.when", f"{when} is more than the {len(rows)} evidence rows")
        message = standard_message(check.title_en, outcome, rows, when) or ""
    return Finding(
        check_id, _get(obj, "entity", path, str), check.entity, agency, outcome, check.severity, message,
        location, rows,
        None if waiver is None else AppliedWaiver(
            _get(waiver, "reason", wpath, str), _get(waiver, "approver", wpath, str), _date(waiver, "expires", wpath),
            bool(_get(waiver, "expired", wpath, bool, optional=True)), _pos(waiver.get("location"),
                                                                            f"{wpath}.location", ctx),
            bool(_get(waiver, "transition", wpath, bool, optional=True))),
        _with_default_notes_checked(obj, path, check, outcome,
                                    _items(obj, "notes", path, lambda n, p: n if isinstance(n, str) else str(n)), ctx))


def _with_default_notes_checked(obj: Mapping[str, Any], path: str, check: CheckInfo, outcome: Outcome,
                                notes: tuple[str, ...], ctx: _Context) -> tuple[str, ...]:
    if not isinstance(obj.get("default_notes", True), bool):
        raise _Bad(f"{path}.default_notes", "expected true or false")
    return _with_default_notes(obj, check, outcome, notes, ctx)


def _read_details(obj: Any, path: str) -> AgencyDetails:
    if obj is None:
        return AgencyDetails()

    def contact(c: Any, p: str) -> Contact:
        return Contact(_get(c, "role", p, str), _get(c, "name", p, str), _get(c, "title", p, str, optional=True) or "",
                       _get(c, "email", p, str, optional=True) or "", _get(c, "phone", p, str, optional=True) or "")

    def system(s: Any, p: str) -> SystemSummary:
        level = _get(s, "level", p, int)
        if not 1 <= level <= 5:
            raise _Bad(f"{p}.level", f"{level} is not a security level from 1 to 5")
        return SystemSummary(_get(s, "id", p, str), _get(s, "name", p, str),
                             _get(s, "name_en", p, str, optional=True) or "", level,
                             _get(s, "approved", p, bool, optional=True))

    return AgencyDetails(_get(obj, "name_en", path, str, optional=True) or "",
                         _get(obj, "kind", path, str, optional=True) or "",
                         _items(obj, "contacts", path, contact), _items(obj, "systems", path, system))


def _agency_fields(obj: Any, path: str, ctx: _Context, lean: bool = False) -> tuple[
        str, str, AgencyDetails, tuple[Finding, ...], dict[str, int]]:
    _unknown_keys(obj, _AGENCY_KEYS, path)
    agency_id = _get(obj, "id", path, str)
    if not AGENCY_ID.fullmatch(agency_id):
        raise _Bad(f"{path}.id", f"{agency_id[:80]!r} is not an agency id (lower-case letters, digits, '_', '.', '-')")
    counted = _get(obj, "not_applicable", path, dict, optional=True) or {}
    for check_id in counted:
        if check_id not in ctx.checks:
            raise _Bad(f"{path}.not_applicable", f"{check_id[:80]!r} is not in the document's checks")
    places: dict[tuple[int, int, int], SourcePos] = {}
    own = f"agency:{agency_id}"
    findings = _get(obj, "findings", path, list, optional=True) or []
    if lean:  # passes on assets are left out; the agency's own findings are kept whatever their outcome
        findings = [f for f in findings if not isinstance(f, dict) or f.get("outcome") != "pass"
                    or f.get("entity") == own]
    return (agency_id, _get(obj, "name", path, str), _read_details(obj.get("details"), f"{path}.details"),
            tuple(_read_finding(f, f"{path}.findings[{i}]", agency_id, ctx, places) for i, f in enumerate(findings)),
            {k: _count(counted, k, f"{path}.not_applicable") for k in sorted(counted)})


def decode_agency(line: str, score: AgencyScore, header: Header, files: Sequence[str],
                  lean: bool = False) -> AgencyResult:
    """An agency line of a document (already validated when it was stored) as records; `lean` leaves out
    passes on the agency's assets (what reports do not show), keeping the agency's own findings."""
    ctx = _context_cache(header, files)
    agency_id, name, details, findings, counted = _agency_fields(_DECODER.decode(line), "agency", ctx, lean)
    return AgencyResult(agency_id, name, score.rank, score.overall, score.layers, score.domains, findings, counted,
                        details)


_CONTEXTS: dict[int, tuple[Header, tuple[str, ...], _Context]] = {}


def _context_cache(header: Header, files: Sequence[str]) -> _Context:
    cached = _CONTEXTS.get(id(header))
    if cached is not None and cached[0] is header and cached[1] == tuple(files):
        return cached[2]
    ctx = _Context({c.id: c for c in header.checks}, files)
    _CONTEXTS.clear()
    _CONTEXTS[id(header)] = (header, tuple(files), ctx)
    return ctx


def _read_header(doc: Mapping[str, Any], tool_version_default: str = "") -> tuple[Header, tuple[str, ...]]:
    if doc.get("schema") != SCHEMA:
        raise _Bad("$.schema", f"not an assessment result (expected \"schema\": \"{SCHEMA}\")")
    version = _get(doc, "version", "$", int)
    if version != VERSION:
        raise _Bad("$.version", f"version {version} is not supported (this secassess reads version {VERSION}); "
                                "assess the inventory again with this secassess")
    profile = _get(doc, "profile", "$", dict)
    inventory = _get(doc, "inventory", "$", dict)
    tool = _get(doc, "tool", "$", dict, optional=True) or {}
    parameters = dict(_get(profile, "parameters", "$.profile", dict, optional=True) or {})
    checks = tuple(sorted(_items(doc, "checks", "$", lambda c, p: _read_check(c, p, parameters)), key=lambda c: c.id))
    files = _items(doc, "files", "$", lambda f, p: f if isinstance(f, str) else _fail(p, "expected a file name"))
    header = Header(
        _date(doc, "as_of", "$"), _get(tool, "version", "$.tool", str, optional=True) or tool_version_default,
        _get(profile, "id", "$.profile", str), _get(profile, "title", "$.profile", str, optional=True) or "",
        parameters,
        _get(inventory, "path", "$.inventory", str, optional=True) or "",
        _get(inventory, "organisation", "$.inventory", str), _get(inventory, "organisation_name", "$.inventory", str),
        _get(inventory, "organisation_name_en", "$.inventory", str, optional=True) or "",
        _items(doc, "checklists", "$", lambda c, p: c if isinstance(c, str) else _fail(p, "expected text")),
        _items(doc, "sources", "$", lambda s, p: SourceInfo(_get(s, "id", p, str), _get(s, "title", p, str),
                                                             bool(_get(s, "verified", p, bool, optional=True)),
                                                             _get(s, "title_vi", p, str, optional=True) or "")),
        checks, bool(_get(doc, "include_not_applicable", "$", bool, optional=True)),
        _get(profile, "title_vi", "$.profile", str, optional=True) or "",
        _read_transition(_get(profile, "transition", "$.profile", dict, optional=True), "$.profile.transition"),
        _read_scoring(_get(profile, "scoring", "$.profile", dict, optional=True), "$.profile.scoring"))
    return header, files


def _fail(path: str, message: str) -> Any:
    raise _Bad(path, message)


def _read_ranking(doc: Mapping[str, Any]) -> tuple[AgencyScore, ...]:
    rows = _get(doc, "ranking", "$", list, optional=True) or []
    ranking = []
    for i, row in enumerate(rows):
        path = f"$.ranking[{i}]"
        rank = _count(row, "rank", path, minimum=1)
        if rank > len(rows):
            raise _Bad(f"{path}.rank", f"{rank} is more than the {len(rows)} agencies ranked")
        ranking.append(AgencyScore(_get(row, "agency", path, str), _get(row, "name", path, str),
                                   _read_score(_get(row, "overall", path, dict), f"{path}.overall"),
                                   _scores(row, "layers", path), _scores(row, "domains", path), rank,
                                   _get(row, "name_en", path, str, optional=True) or ""))
    return tuple(sorted(ranking, key=lambda a: (a.rank, a.agency)))


_Parts = tuple[Header, tuple[str, ...], _Context, tuple[AgencyScore, ...], tuple[Finding, ...], Score, tuple[str, ...]]


def _header_parts(name: str, header_doc: Mapping[str, Any]) -> _Parts:
    """Everything before `agencies`, validated: header, files, decoding context, ranking, province, warnings."""
    try:
        header, files = _read_header(header_doc)
        ctx = _Context({c.id: c for c in header.checks}, files)
        ranking = _read_ranking(header_doc)
        province = _get(header_doc, "province", "$", dict)
        province_findings = _items(province, "findings", "$.province", lambda f, p: _read_finding(f, p, "", ctx))
        province_score = _read_score(_get(province, "score", "$.province", dict), "$.province.score")
        warnings = _items(header_doc, "warnings", "$", lambda w, p: w if isinstance(w, str) else str(w))
    except _Bad as exc:
        raise InputError([(SourcePos(name, 1, 1), f"not a valid assessment result: {exc}")], kind="schema") from None
    return header, files, ctx, ranking, province_findings, province_score, warnings


_Fields = tuple[str, str, AgencyDetails, tuple[Finding, ...], dict[str, int]]


def _checked_agencies(name: str, agencies: Iterator[tuple[Any, int]], ctx: _Context, ranked: set[str],
                      where: Callable[[int], SourcePos]) -> Iterator[tuple[_Fields, Any]]:
    """Each agency validated (ranked, not repeated) and decoded, with its JSON object; at the end, every ranked
    agency must have been seen."""
    seen: set[str] = set()
    items = enumerate(agencies)
    while True:
        # decoding an agency builds thousands of acyclic objects that all live on: a collection in the middle
        # would only traverse them (a third of a diff's time went to that)
        with collector_paused():
            item = next(items, None)
            if item is None:
                break
            index, (obj, offset) = item
            try:
                fields = _agency_fields(obj, f"$.agencies[{index}]", ctx)
                if fields[0] not in ranked:
                    raise _Bad(f"$.agencies[{index}].id", f"{fields[0]!r} is not in the ranking")
                if fields[0] in seen:
                    raise _Bad(f"$.agencies[{index}].id", f"{fields[0]!r} appears twice")
            except _Bad as exc:
                raise InputError([(where(offset), f"not a valid assessment result: {exc}")],
                                 kind="schema") from None
        seen.add(fields[0])
        yield fields, obj
    missing = ranked - seen
    if missing:
        raise InputError([(SourcePos(name, 1, 1), f"not a valid assessment result: $.ranking names "
                                                  f"{sorted(missing)[0]!r}, which has no entry in $.agencies")],
                         kind="schema")


def _assemble(name: str, header_doc: Mapping[str, Any], agencies: Iterator[tuple[Any, int]],
              where: Callable[[int], SourcePos]) -> AssessmentResult:
    """Build the result: header parts first, then each agency validated and stored as a canonical line."""
    header, files, ctx, ranking, province_findings, province_score, warnings = _header_parts(name, header_doc)
    store = AgencyStore()
    for fields, obj in _checked_agencies(name, agencies, ctx, {a.agency for a in ranking}, where):
        store.append(fields[0], _ENCODER.encode(obj))  # validated: its own keys, re-encoded canonically
    return AssessmentResult(header, province_score, ranking, province_findings, warnings, store, files)


def stream_result(path: str | Path) -> tuple[AssessmentResult, Iterator[AgencyResult]]:
    """A result document read once, in order: its small parts (with an empty store, so `agency(id)` is not
    available) and an iterator decoding and validating its agencies one at a time (`diff` compares two
    results this way, never holding either). Problems surface as `InputError` while iterating."""
    name = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed when the agencies are exhausted, or by the collector)
    except FileNotFoundError:
        raise InputError([(None, f"{name}: no such file")]) from None
    except OSError as exc:
        raise InputError([(None, f"{name}: cannot read: {exc.strerror}")]) from None
    try:
        scanner = _Scanner(handle, name)
        header, files, ctx, ranking, province_findings, province_score, warnings = \
            _header_parts(name, scanner.header())
    except BaseException:
        handle.close()
        raise
    result = AssessmentResult(header, province_score, ranking, province_findings, warnings, AgencyStore(), files)
    scores = {a.agency: a for a in ranking}

    def agencies() -> Iterator[AgencyResult]:
        with handle:
            for (agency_id, agency_name, details, findings, counted), _ in _checked_agencies(
                    name, scanner.agencies(), ctx, set(scores), scanner.position):
                score = scores[agency_id]
                yield AgencyResult(agency_id, agency_name, score.rank, score.overall, score.layers, score.domains,
                                   findings, counted, details)

    return result, agencies()


def parse_document(doc: Any, name: str = "result") -> AssessmentResult:
    """A result from its decoded JSON document (for tests and callers that already hold it)."""
    if not isinstance(doc, dict):
        raise InputError([(SourcePos(name, 1, 1), "not an assessment result (expected a JSON object)")])
    agencies = doc.get("agencies") or []
    if not isinstance(agencies, list):
        raise InputError([(SourcePos(name, 1, 1), "not a valid assessment result: $.agencies: expected a list")],
                         kind="schema")
    return _assemble(name, doc, ((a, 0) for a in agencies), lambda _offset: SourcePos(name, 1, 1))


def read_result(path: str | Path) -> AssessmentResult:
    """Read a result document (`report --from-result`, `diff`); `InputError` (exit 2) naming the place of a problem."""
    name = str(path)
    try:
        size = os.path.getsize(path)
        handle = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise InputError([(None, f"{name}: no such file")]) from None
    except OSError as exc:
        raise InputError([(None, f"{name}: cannot read: {exc.strerror}")]) from None
    with handle:
        if size <= WHOLE_READ_BYTES:
            data = handle.read()
            text = _utf8(data, name)
            try:
                with collector_paused():
                    doc = _DECODER.decode(text)
            except (json.JSONDecodeError, ValueError) as exc:
                raise InputError([(_json_pos(name, exc, text), f"not a valid JSON assessment result: "
                                                                f"{_json_reason(exc)}")]) from None
            return parse_document(doc, name)
        scanner = _Scanner(handle, name)
        header_doc = scanner.header()
        return _assemble(name, header_doc, scanner.agencies(), scanner.position)


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([(SourcePos(name, line, 1), "not UTF-8 text")]) from None


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if "integer string conversion" in str(exc):
        return "a number of more than 4,300 digits is out of range"
    return str(exc)


def _json_pos(name: str, exc: Exception, text: str) -> SourcePos:
    if isinstance(exc, json.JSONDecodeError):
        return SourcePos(name, exc.lineno, exc.colno)
    return SourcePos(name, 1, 1)


class _Scanner:
    """Reads a large document's top-level object key by key, and its `agencies` one element at a time."""

    CHUNK = 1 << 20

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self.handle, self.name = handle, name
        self.buf = ""
        self.pos = 0
        self.lines_before = 0
        """Newlines in the text already dropped from the buffer."""
        self.dropped = 0
        """Characters already dropped from the buffer."""
        self.eof = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")

    def _more(self, at_least: int = CHUNK) -> bool:
        """Read more text into the buffer (dropping what is consumed); False at the end of the file."""
        if self.eof:
            return False
        data = self.handle.read(max(at_least, self.CHUNK))
        self.eof = not data
        try:
            text = self._utf8.decode(data, final=self.eof)
        except UnicodeDecodeError:
            raise InputError([(self.position(self.dropped + len(self.buf)), "not UTF-8 text")]) from None
        if not data:  # nothing read: the buffer stays as it is, so a failed value is still placed where it is
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.dropped += self.pos
        self.buf = self.buf[self.pos:] + text
        self.pos = 0
        return True

    def position(self, absolute: int | None = None) -> SourcePos:
        """The line and column of character `absolute` of the file (default: where reading is)."""
        at = self.pos if absolute is None else absolute - self.dropped
        line = self.lines_before + self.buf.count("\n", 0, at) + 1
        return SourcePos(self.name, line, at - self.buf.rfind("\n", 0, at))

    def _skip(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                raise InputError([(self.position(), "not a valid JSON assessment result: unexpected end of file")])

    def _expect(self, char: str) -> None:
        if self._skip() != char:
            raise InputError([(self.position(), f"not a valid JSON assessment result: expected '{char}'")])
        self.pos += 1

    def _value(self) -> Any:
        """The next JSON value; a value the buffer cuts short is retried with more text (doubling the read, so
        a long value costs a few retries), and only a value still broken at the end of the file is an error."""
        self._skip()
        grow = self.CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except (json.JSONDecodeError, ValueError) as exc:
                if self._more(grow):
                    grow *= 2
                    continue
                if isinstance(exc, json.JSONDecodeError):
                    self.pos = min(exc.pos, len(self.buf))
                raise InputError([(self.position(), f"not a valid JSON assessment result: "
                                                    f"{_json_reason(exc)}")]) from None
            if end >= len(self.buf) and self._more(grow):  # a number may go on past the buffer
                grow *= 2
                continue
            self.pos = end
            return value

    def header(self) -> dict[str, Any]:
        """Every top-level key before `agencies` (which must come last in a streamed document)."""
        self._expect("{")
        doc: dict[str, Any] = {}
        while True:
            if self._skip() == "}":
                self.pos += 1
                return doc
            key = self._value()
            if not isinstance(key, str):
                raise InputError([(self.position(), "not a valid JSON assessment result: expected a key")])
            self._expect(":")
            if key == "agencies":
                self._expect("[")
                return doc
            doc[key] = self._value()
            if self._skip() == ",":
                self.pos += 1

    def agencies(self) -> Iterator[tuple[Any, int]]:
        if self._skip() == "]":
            self.pos += 1
            return
        while True:
            self._skip()
            start = self.dropped + self.pos
            yield self._value(), start
            char = self._skip()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                self.pos -= 1
                raise InputError([(self.position(), "not a valid JSON assessment result: expected ',' or ']'")])
