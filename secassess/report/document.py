"""The assessment result document (`secassess/assessment-result`, version 1), read into the records reports show.

This module is the only place in the report package that knows the JSON shape (`docs/result-schema.json`
on the assess side); reports never re-evaluate checks. A malformed document is an `InputError` naming the
JSON path of the first problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from secassess import strictjson
from secassess.diagnostics import Outcome, Severity
from secassess.errors import InputError, SourcePos

SCHEMA_ID = "secassess/assessment-result"
SUPPORTED_VERSIONS = frozenset({1})
AGENCY_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
"""Agency ids become file names: the inventory's id pattern, checked again since the JSON may be edited."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Localized:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` ("vi" or "en"), the other one when that is empty."""
        return (self.en or self.vi) if lang == "en" else (self.vi or self.en)


@dataclass(frozen=True, slots=True)
class Reference:
    source: str
    article: str


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    verified: bool


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What a check is, in both languages; findings point at it by id."""

    id: str
    title: Localized
    remediation: Localized
    severity: Severity
    layer: int | None
    domain: str | None
    references: tuple[Reference, ...]
    unverified: bool


@dataclass(frozen=True, slots=True)
class Evidence:
    """One value a check looked at, what it expected, and where the value is written."""

    field: str
    value: Any
    expected: str
    met: bool | None
    location: SourcePos | None


@dataclass(frozen=True, slots=True)
class WaiverInfo:
    reason: str
    approver: str
    expires: dt.date
    expired: bool


@dataclass(frozen=True, slots=True)
class Finding:
    """One check on one entity."""

    check: str
    entity: str
    kind: str
    agency: str
    outcome: Outcome
    severity: Severity
    message: str
    location: SourcePos | None
    evidence: tuple[Evidence, ...]
    waiver: WaiverInfo | None
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Score:
    """A 0-100 score and its rating (both None when no check applied)."""

    score: float | None
    rating: str | None
    capped: bool
    """The rating was lowered because a critical check failed."""
    counts: Mapping[str, int]
    critical_failures: int


@dataclass(frozen=True, slots=True)
class AgencyResult:
    id: str
    name: str
    rank: int
    overall: Score
    layers: Mapping[str, Score]
    domains: Mapping[str, Score]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """The whole document: one province, assessed under one profile as of one date."""

    version: int
    as_of: dt.date
    profile_id: str
    profile_title: str
    inventory: str
    organisation_code: str
    organisation_name: str
    sources: tuple[Source, ...]
    checks: Mapping[str, CheckInfo]
    province: Score
    agencies: tuple[AgencyResult, ...]
    """In ranking order."""
    province_findings: tuple[Finding, ...]
    """Findings owned by no agency (the organisation, province-wide network links)."""
    warnings: tuple[str, ...]


class _Bad(Exception):
    """A problem at a JSON path; turned into one InputError at the top."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def _get(obj: Any, key: str, path: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise _Bad(path, "expected an object")
    if obj.get(key) is None:
        if optional:
            return None
        raise _Bad(f"{path}.{key}", "missing")
    value = obj[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        raise _Bad(f"{path}.{key}", f"expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _items(obj: Any, key: str, path: str, read: Callable[[Any, str], T]) -> tuple[T, ...]:
    values = _get(obj, key, path, list, optional=True) or []
    return tuple(read(v, f"{path}.{key}[{i}]") for i, v in enumerate(values))


def _date(obj: Any, key: str, path: str) -> dt.date:
    text = _get(obj, key, path, str)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{path}.{key}", f"{text!r} is not a YYYY-MM-DD date") from None


def _enum(obj: Any, key: str, path: str, enum: type[Severity] | type[Outcome]) -> Any:
    text = _get(obj, key, path, str)
    try:
        return enum(text)
    except ValueError:
        raise _Bad(f"{path}.{key}", f"{text!r} is not one of {', '.join(e.value for e in enum)}") from None


def _localized(obj: Any, key: str, path: str) -> Localized:
    value = _get(obj, key, path, dict)
    return Localized(_get(value, "vi", f"{path}.{key}", str), _get(value, "en", f"{path}.{key}", str))


def _position(obj: Any, key: str, path: str) -> SourcePos | None:
    pos = _get(obj, key, path, dict, optional=True)
    if pos is None:
        return None
    where = f"{path}.{key}"
    return SourcePos(_get(pos, "file", where, str), _get(pos, "line", where, int),
                     _get(pos, "column", where, int, optional=True) or 0)


def _check(obj: Any, path: str) -> CheckInfo:
    return CheckInfo(
        id=_get(obj, "id", path, str), title=_localized(obj, "title", path),
        remediation=_localized(obj, "remediation", path), severity=_enum(obj, "severity", path, Severity),
        layer=_get(obj, "layer", path, int, optional=True), domain=_get(obj, "domain", path, str, optional=True),
        references=_items(obj, "references", path, lambda r, p: Reference(
            _get(r, "source", p, str), _get(r, "article", p, str, optional=True) or "")),
        unverified=bool(_get(obj, "unverified", path, bool, optional=True)))


def _evidence(obj: Any, path: str) -> Evidence:
    return Evidence(_get(obj, "field", path, str), obj.get("value"),
                    _get(obj, "expected", path, str, optional=True) or "",
                    _get(obj, "met", path, bool, optional=True), _position(obj, "location", path))


_OUTCOMES = {o.value: o for o in Outcome}
_SEVERITIES = {s.value: s for s in Severity}


def _position_fast(pos: Any) -> SourcePos | None:
    if pos is None:
        return None
    file, line = pos["file"], pos["line"]
    if type(file) is not str or type(line) is not int:
        raise TypeError
    return SourcePos(file, line, pos.get("column") or 0)


def _finding_fast(obj: Any, checks: Mapping[str, CheckInfo]) -> Finding:
    """A well-formed finding, read without the per-field bookkeeping; raises on anything unexpected."""
    waiver = obj["waiver"]
    evidence = tuple(Evidence(e["field"], e.get("value"), e["expected"] or "", e["met"], _position_fast(e["location"]))
                     for e in obj["evidence"])
    finding = Finding(obj["check"], obj["entity"], obj["kind"], obj["agency"] or "", _OUTCOMES[obj["outcome"]],
                      _SEVERITIES[obj["severity"]], obj["message"] or "", _position_fast(obj["location"]), evidence,
                      None if waiver is None else WaiverInfo(waiver["reason"], waiver["approver"],
                                                             dt.date.fromisoformat(waiver["expires"]),
                                                             waiver["expired"] is True),
                      tuple(obj["notes"]))
    texts = (finding.check, finding.entity, finding.kind, finding.agency, finding.message, *finding.notes,
             *(t for e in evidence for t in (e.field, e.expected)),
             *((waiver["reason"], waiver["approver"]) if waiver is not None else ()))
    if finding.check not in checks or any(type(t) is not str for t in texts) \
            or any(e.met not in (True, False, None) for e in evidence):
        raise TypeError
    return finding


def _finding(obj: Any, path: str, checks: Mapping[str, CheckInfo]) -> Finding:
    """One finding; the fast reader first, and the careful one (naming the bad field) when that fails."""
    try:
        return _finding_fast(obj, checks)
    except (KeyError, TypeError, ValueError, AttributeError):
        return _finding_checked(obj, path, checks)


def _finding_checked(obj: Any, path: str, checks: Mapping[str, CheckInfo]) -> Finding:
    check = _get(obj, "check", path, str)
    if check not in checks:
        raise _Bad(f"{path}.check", f"{check!r} is not in the document's checks")
    waiver = _get(obj, "waiver", path, dict, optional=True)
    wpath = f"{path}.waiver"
    return Finding(
        check=check, entity=_get(obj, "entity", path, str), kind=_get(obj, "kind", path, str),
        agency=_get(obj, "agency", path, str, optional=True) or "", outcome=_enum(obj, "outcome", path, Outcome),
        severity=_enum(obj, "severity", path, Severity), message=_get(obj, "message", path, str, optional=True) or "",
        location=_position(obj, "location", path), evidence=_items(obj, "evidence", path, _evidence),
        waiver=None if waiver is None else WaiverInfo(
            _get(waiver, "reason", wpath, str), _get(waiver, "approver", wpath, str), _date(waiver, "expires", wpath),
            bool(_get(waiver, "expired", wpath, bool, optional=True))),
        notes=_items(obj, "notes", path, lambda n, p: n if isinstance(n, str) else str(n)))


def _score(obj: Any, path: str) -> Score:
    counts = _get(obj, "counts", path, dict, optional=True) or {}
    return Score(_get(obj, "score", path, float, optional=True), _get(obj, "rating", path, str, optional=True),
                 bool(_get(obj, "capped", path, bool, optional=True)),
                 {str(k): _get(counts, k, f"{path}.counts", int) for k in sorted(counts)},
                 _get(obj, "critical_failures", path, int, optional=True) or 0)


def _scores(obj: Any, key: str, path: str) -> dict[str, Score]:
    table = _get(obj, key, path, dict, optional=True) or {}
    return {str(k): _score(v, f"{path}.{key}.{k}") for k, v in sorted(table.items())}


def parse_result(document: Any, name: str = "result") -> AssessmentResult:
    """The records of a decoded result document; `InputError` (exit 2) when it has the wrong shape."""
    try:
        if _get(document, "schema", "$", str) != SCHEMA_ID:
            raise _Bad("$.schema", f"expected {SCHEMA_ID!r}: this is not a secassess assessment result")
        version = _get(document, "version", "$", int)
        if version not in SUPPORTED_VERSIONS:
            raise _Bad("$.version", f"version {version} is not supported (this secassess reads "
                                    f"{', '.join(map(str, sorted(SUPPORTED_VERSIONS)))}); upgrade secassess")
        checks = {c.id: c for c in _items(document, "checks", "$", _check)}
        findings = _items(document, "findings", "$", lambda f, p: _finding(f, p, checks))
        by_agency: dict[str, list[Finding]] = {}
        for finding in findings:
            by_agency.setdefault(finding.agency, []).append(finding)
        scores = _get(document, "scores", "$", dict)

        def agency(obj: Any, path: str) -> AgencyResult:
            agency_id = _get(obj, "agency", path, str)
            if not AGENCY_ID.fullmatch(agency_id):
                raise _Bad(f"{path}.agency", f"{agency_id!r} is not an agency id (lower-case letters, digits, "
                                             "'_', '.', '-')")
            return AgencyResult(agency_id, _get(obj, "name", path, str), _get(obj, "rank", path, int),
                                _score(_get(obj, "overall", path, dict), f"{path}.overall"),
                                _scores(obj, "layers", path), _scores(obj, "domains", path),
                                tuple(by_agency.get(agency_id, ())))

        profile = _get(document, "profile", "$", dict)
        inventory = _get(document, "inventory", "$", dict)
        return AssessmentResult(
            version=version, as_of=_date(document, "as_of", "$"), profile_id=_get(profile, "id", "$.profile", str),
            profile_title=_get(profile, "title", "$.profile", str, optional=True) or "",
            inventory=_get(inventory, "path", "$.inventory", str, optional=True) or "",
            organisation_code=_get(inventory, "organisation", "$.inventory", str),
            organisation_name=_get(inventory, "organisation_name", "$.inventory", str),
            sources=_items(document, "sources", "$", lambda s, p: Source(
                _get(s, "id", p, str), _get(s, "title", p, str), bool(_get(s, "verified", p, bool, optional=True)))),
            checks=checks, province=_score(_get(scores, "province", "$.scores", dict), "$.scores.province"),
            agencies=_items(scores, "agencies", "$.scores", agency),
            province_findings=tuple(by_agency.get("", ())),
            warnings=_items(document, "warnings", "$", lambda w, p: str(w)))
    except _Bad as exc:
        raise InputError([(None, f"{name}: {exc}")], kind="schema") from None


def load_result(path: str | Path) -> AssessmentResult:
    """Read a result JSON file (`--from-result`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([(None, f"{path}: cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([(None, f"{path}: not UTF-8 text")]) from None
    document = strictjson.loads(text, str(path))
    strictjson.check_result_numbers(document, str(path))
    return parse_result(document, str(path))
