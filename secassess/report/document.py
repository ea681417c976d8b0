"""The assessment result document, read from JSON into frozen records the report renders.

This module is the only place that knows the JSON shape; reports never re-evaluate checks.
A malformed document is an `InputError` naming the JSON path of the first problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secassess.diagnostics import Outcome, Severity
from secassess.errors import InputError

SCHEMA_ID = "secassess/assessment-result"
SUPPORTED_VERSIONS = frozenset({1})
AGENCY_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
"""Agency ids become file names: the inventory's id pattern, checked again since the JSON may be edited."""


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
    article: str | None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    verified: bool


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What a check is, in both languages; results point at it by id."""

    id: str
    title: Localized
    remediation: Localized
    severity: Severity
    layer: int | None
    domain: str | None
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One field value behind a result, and where it was written (file and line, when known)."""

    field: str
    value: Any
    file: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class WaiverInfo:
    reason: str
    approver: str
    expires: dt.date


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: str
    entity: str
    outcome: Outcome
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...]
    waiver: WaiverInfo | None


@dataclass(frozen=True, slots=True)
class LayerScore:
    layer: int
    score: float
    passed: int
    failed: int
    not_applicable: int
    errors: int
    waived: int


@dataclass(frozen=True, slots=True)
class Contact:
    role: str
    name: str
    title: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class AntiMalwareCoverage:
    """Endpoints counted, and how many have licensed, centrally managed, current anti-malware."""

    endpoints: int
    licensed: int
    centrally_managed: int
    signatures_current: int


@dataclass(frozen=True, slots=True)
class SystemInfo:
    id: str
    name: str
    name_en: str | None
    level: int
    approved: bool


@dataclass(frozen=True, slots=True)
class AgencyResult:
    id: str
    name: str
    name_en: str | None
    kind: str
    contacts: tuple[Contact, ...]
    score: float
    rating: str
    layers: tuple[LayerScore, ...]
    anti_malware: AntiMalwareCoverage
    systems: tuple[SystemInfo, ...]
    results: tuple[CheckResult, ...]


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    name: str
    name_en: str | None


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """The whole document: one province, assessed under one profile as of one date."""

    version: int
    tool_version: str
    as_of: dt.date
    profile_id: str
    profile_title: Localized
    organisation: Organisation
    sources: tuple[Source, ...]
    checks: Mapping[str, CheckInfo]
    agencies: tuple[AgencyResult, ...]


class _Bad(Exception):
    """A problem at a JSON path; turned into one InputError at the top."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def _get(obj: Any, key: str, path: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise _Bad(path, "expected an object")
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise _Bad(f"{path}.{key}", "missing")
    value = obj[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        raise _Bad(f"{path}.{key}", f"expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _items(obj: Any, key: str, path: str) -> list[tuple[str, Any]]:
    values = _get(obj, key, path, list, optional=True) or []
    return [(f"{path}.{key}[{i}]", v) for i, v in enumerate(values)]


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


def _check(obj: Any, path: str) -> CheckInfo:
    return CheckInfo(
        id=_get(obj, "id", path, str), title=_localized(obj, "title", path),
        remediation=_localized(obj, "remediation", path), severity=_enum(obj, "severity", path, Severity),
        layer=_get(obj, "layer", path, int, optional=True), domain=_get(obj, "domain", path, str, optional=True),
        references=tuple(Reference(_get(r, "source", p, str), _get(r, "article", p, str, optional=True))
                         for p, r in _items(obj, "references", path)))


def _result(obj: Any, path: str, checks: Mapping[str, CheckInfo]) -> CheckResult:
    check = _get(obj, "check", path, str)
    if check not in checks:
        raise _Bad(f"{path}.check", f"{check!r} is not in the document's checks")
    waiver = _get(obj, "waiver", path, dict, optional=True)
    return CheckResult(
        check=check, entity=_get(obj, "entity", path, str), outcome=_enum(obj, "outcome", path, Outcome),
        severity=(_enum(obj, "severity", path, Severity) if obj.get("severity") is not None
                  else checks[check].severity),
        message=_get(obj, "message", path, str, optional=True) or "",
        evidence=tuple(Evidence(_get(e, "field", p, str), e.get("value"), _get(e, "file", p, str, optional=True),
                                _get(e, "line", p, int, optional=True)) for p, e in _items(obj, "evidence", path)),
        waiver=None if waiver is None else WaiverInfo(
            _get(waiver, "reason", f"{path}.waiver", str), _get(waiver, "approver", f"{path}.waiver", str),
            _date(waiver, "expires", f"{path}.waiver")))


def _agency(obj: Any, path: str, checks: Mapping[str, CheckInfo]) -> AgencyResult:
    if not AGENCY_ID.fullmatch(_get(obj, "id", path, str)):
        raise _Bad(f"{path}.id", f"{obj['id']!r} is not an agency id (lower-case letters, digits, '_', '.', '-')")
    coverage = _get(obj, "anti_malware", path, dict, optional=True) or {}
    cpath = f"{path}.anti_malware"
    return AgencyResult(
        id=_get(obj, "id", path, str), name=_get(obj, "name", path, str),
        name_en=_get(obj, "name_en", path, str, optional=True), kind=_get(obj, "kind", path, str),
        contacts=tuple(Contact(_get(c, "role", p, str), _get(c, "name", p, str),
                               *(_get(c, k, p, str, optional=True) for k in ("title", "email", "phone")))
                       for p, c in _items(obj, "contacts", path)),
        score=_get(obj, "score", path, float), rating=_get(obj, "rating", path, str),
        layers=tuple(LayerScore(_get(s, "layer", p, int), _get(s, "score", p, float),
                                *(_get(s, k, p, int, optional=True) or 0
                                  for k in ("passed", "failed", "not_applicable", "errors", "waived")))
                     for p, s in _items(obj, "layers", path)),
        anti_malware=AntiMalwareCoverage(*(_get(coverage, k, cpath, int, optional=True) or 0
                                           for k in ("endpoints", "licensed", "centrally_managed",
                                                     "signatures_current"))),
        systems=tuple(SystemInfo(_get(s, "id", p, str), _get(s, "name", p, str),
                                 _get(s, "name_en", p, str, optional=True), _get(s, "level", p, int),
                                 bool(_get(s, "approved", p, bool, optional=True)))
                      for p, s in _items(obj, "systems", path)),
        results=tuple(_result(r, p, checks) for p, r in _items(obj, "results", path)))


def parse_result(document: Any, name: str = "result") -> AssessmentResult:
    """The records of a decoded result document; `InputError` (exit 2) when it has the wrong shape."""
    try:
        if _get(document, "schema", "$", str) != SCHEMA_ID:
            raise _Bad("$.schema", f"expected {SCHEMA_ID!r}: this is not a secassess assessment result")
        version = _get(document, "version", "$", int)
        if version not in SUPPORTED_VERSIONS:
            raise _Bad("$.version", f"version {version} is not supported (this secassess reads "
                                    f"{', '.join(map(str, sorted(SUPPORTED_VERSIONS)))}); upgrade secassess")
        checks = {c.id: c for c in (_check(c, p) for p, c in _items(document, "checks", "$"))}
        org = _get(document, "organisation", "$", dict)
        profile = _get(document, "profile", "$", dict)
        return AssessmentResult(
            version=version, tool_version=_get(document, "tool_version", "$", str, optional=True) or "",
            as_of=_date(document, "as_of", "$"), profile_id=_get(profile, "id", "$.profile", str),
            profile_title=_localized(profile, "title", "$.profile"),
            organisation=Organisation(_get(org, "code", "$.organisation", str),
                                      _get(org, "name", "$.organisation", str),
                                      _get(org, "name_en", "$.organisation", str, optional=True)),
            sources=tuple(Source(_get(s, "id", p, str), _get(s, "title", p, str),
                                 bool(_get(s, "verified", p, bool, optional=True)))
                          for p, s in _items(document, "sources", "$")),
            checks=checks,
            agencies=tuple(_agency(a, p, checks) for p, a in _items(document, "agencies", "$")))
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
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([(None, f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}")]) from None
    return parse_result(document, str(path))
