"""The assessment result: frozen records and their versioned, deterministic JSON document.

Every report, diff and output format reads this document (`docs/result-schema.json` describes it).
It holds no wall-clock time: the only date is `as_of`. Keys are sorted; findings are ordered by
(agency, entity, check); the same inputs give byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from secassess import strictjson
from secassess.diagnostics import Outcome, Severity
from secassess.errors import InputError, SourcePos

SCHEMA = "secassess/assessment-result"
VERSION = 1


@dataclass(frozen=True)
class CheckInfo:
    """What a check is, as results and listings show it."""

    id: str
    title_vi: str
    title_en: str
    rationale: str
    remediation_vi: str
    remediation_en: str
    severity: Severity
    layer: int | None
    domain: str | None
    entity: str
    references: tuple[tuple[str, str], ...]
    """(source id, article) pairs."""
    unverified: bool
    """Built on a source REGULATIONS.md marks unverified."""
    origin: str
    """The checklist file it came from (`shipped:<name>` for the shipped ones)."""
    requirements: tuple[str, ...] = ()
    """Requirement ids of the active profile that it serves."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One value a check looked at: the path read, its value (JSON-ready), where it is written."""

    field: str
    value: Any
    expected: str
    met: bool | None
    """Whether this rule held (None for a reference value or a denominator)."""
    location: SourcePos | None


@dataclass(frozen=True, slots=True)
class AppliedWaiver:
    reason: str
    approver: str
    expires: dt.date
    expired: bool
    location: SourcePos | None


@dataclass(frozen=True, slots=True)
class Finding:
    """One check on one entity."""

    check: str
    entity: str
    kind: str
    agency: str
    """Owning agency id ("" for the organisation and province-wide links)."""
    outcome: Outcome
    severity: Severity
    message: str
    location: SourcePos | None
    evidence: tuple[Evidence, ...] = ()
    waiver: AppliedWaiver | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    """A severity-weighted pass ratio (0-100) and its rating; None when no check applied."""

    score: float | None
    rating: str | None
    capped: bool
    """The rating was lowered because a critical check failed."""
    counts: dict[str, int]
    critical_failures: int


@dataclass(frozen=True)
class AgencyScore:
    agency: str
    name: str
    overall: Score
    layers: dict[str, Score]
    domains: dict[str, Score]
    rank: int


@dataclass(frozen=True)
class SourceInfo:
    id: str
    title: str
    verified: bool


@dataclass(frozen=True)
class AssessmentResult:
    as_of: dt.date
    profile: str
    profile_title: str
    parameters: dict[str, Any]
    inventory: str
    organisation: str
    organisation_name: str
    checklists: tuple[str, ...]
    sources: tuple[SourceInfo, ...]
    checks: tuple[CheckInfo, ...]
    findings: tuple[Finding, ...]
    province: Score
    agencies: tuple[AgencyScore, ...]
    """In ranking order (rank 1 first)."""
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Findings per outcome."""
        counts = dict.fromkeys((o.value for o in Outcome), 0)
        for finding in self.findings:
            counts[finding.outcome.value] += 1
        return counts


# --- to JSON -----------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A plain JSON value for anything found in an inventory (dates as ISO text, enums as values)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, BaseModel):
        return f"<{type(value).__name__}>"
    return str(value)


def _pos(pos: SourcePos | None) -> dict[str, Any] | None:
    return None if pos is None else {"file": pos.file, "line": pos.line, "column": pos.column}


def _score(score: Score) -> dict[str, Any]:
    return {"score": score.score, "rating": score.rating, "capped": score.capped, "counts": score.counts,
            "critical_failures": score.critical_failures}


def _check(info: CheckInfo) -> dict[str, Any]:
    return {"id": info.id, "title": {"vi": info.title_vi, "en": info.title_en}, "rationale": info.rationale,
            "remediation": {"vi": info.remediation_vi, "en": info.remediation_en},
            "severity": info.severity.value, "layer": info.layer, "domain": info.domain, "entity": info.entity,
            "references": [{"source": s, "article": a} for s, a in info.references],
            "unverified": info.unverified, "origin": info.origin, "requirements": list(info.requirements)}


def _finding(f: Finding) -> dict[str, Any]:
    waiver = None if f.waiver is None else {
        "reason": f.waiver.reason, "approver": f.waiver.approver, "expires": f.waiver.expires.isoformat(),
        "expired": f.waiver.expired, "location": _pos(f.waiver.location)}
    return {"check": f.check, "entity": f.entity, "kind": f.kind, "agency": f.agency, "outcome": f.outcome.value,
            "severity": f.severity.value, "message": f.message, "location": _pos(f.location),
            "evidence": [{"field": e.field, "value": e.value, "expected": e.expected, "met": e.met,
                          "location": _pos(e.location)} for e in f.evidence],
            "waiver": waiver, "notes": list(f.notes)}


def to_document(result: AssessmentResult) -> dict[str, Any]:
    """The result as a JSON-ready mapping (schema `secassess/assessment-result`, version 1)."""
    return {
        "schema": SCHEMA, "version": VERSION, "as_of": result.as_of.isoformat(),
        "profile": {"id": result.profile, "title": result.profile_title,
                    "parameters": {k: jsonable(v) for k, v in result.parameters.items()}},
        "inventory": {"path": result.inventory, "organisation": result.organisation,
                      "organisation_name": result.organisation_name},
        "checklists": list(result.checklists),
        "sources": [{"id": s.id, "title": s.title, "verified": s.verified} for s in result.sources],
        "checks": [_check(c) for c in result.checks],
        "findings": [_finding(f) for f in result.findings],
        "summary": result.counts(),
        "scores": {
            "province": _score(result.province),
            "agencies": [{"agency": a.agency, "name": a.name, "rank": a.rank, "overall": _score(a.overall),
                          "layers": {k: _score(v) for k, v in a.layers.items()},
                          "domains": {k: _score(v) for k, v in a.domains.items()}} for a in result.agencies],
            "ranking": [a.agency for a in result.agencies],
        },
        "warnings": list(result.warnings),
    }


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def to_json(result: AssessmentResult) -> str:
    """The deterministic JSON text of a result (sorted keys, UTF-8, trailing newline).

    Each top-level key, and each item of a top-level list (one finding, one check), is on its own
    line: readable and diff-friendly, yet every piece goes through the C encoder (`indent=`
    would force the pure-Python one, ten times slower on 100k-asset results).
    """
    document = to_document(result)
    parts = []
    for key in sorted(document):
        value = document[key]
        if isinstance(value, list) and value:
            items = ",\n  ".join(_ENCODER.encode(item) for item in value)
            parts.append(f" {_ENCODER.encode(key)}: [\n  {items}\n ]")
        else:
            parts.append(f" {_ENCODER.encode(key)}: {_ENCODER.encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# --- from JSON ---------------------------------------------------------------------------------


def _from_pos(data: dict[str, Any] | None) -> SourcePos | None:
    return None if data is None else SourcePos(data["file"], data["line"], data["column"])


def _from_score(data: dict[str, Any]) -> Score:
    return Score(data["score"], data["rating"], data["capped"], dict(data["counts"]), data["critical_failures"])


def _from_finding(d: dict[str, Any]) -> Finding:
    w = d["waiver"]
    waiver = None if w is None else AppliedWaiver(w["reason"], w["approver"], dt.date.fromisoformat(w["expires"]),
                                                  w["expired"], _from_pos(w["location"]))
    return Finding(d["check"], d["entity"], d["kind"], d["agency"], Outcome(d["outcome"]), Severity(d["severity"]),
                   d["message"], _from_pos(d["location"]),
                   tuple(Evidence(e["field"], e["value"], e["expected"], e["met"], _from_pos(e["location"]))
                         for e in d["evidence"]), waiver, tuple(d["notes"]))


def from_document(doc: dict[str, Any]) -> AssessmentResult:
    """Rebuild a result from its JSON mapping (version 1)."""
    checks = tuple(CheckInfo(c["id"], c["title"]["vi"], c["title"]["en"], c["rationale"], c["remediation"]["vi"],
                             c["remediation"]["en"], Severity(c["severity"]), c["layer"], c["domain"], c["entity"],
                             tuple((r["source"], r["article"]) for r in c["references"]), c["unverified"],
                             c["origin"], tuple(c["requirements"])) for c in doc["checks"])
    scores = doc["scores"]
    agencies = tuple(AgencyScore(a["agency"], a["name"], _from_score(a["overall"]),
                                 {k: _from_score(v) for k, v in a["layers"].items()},
                                 {k: _from_score(v) for k, v in a["domains"].items()}, a["rank"])
                     for a in scores["agencies"])
    return AssessmentResult(
        dt.date.fromisoformat(doc["as_of"]), doc["profile"]["id"], doc["profile"]["title"],
        dict(doc["profile"]["parameters"]), doc["inventory"]["path"], doc["inventory"]["organisation"],
        doc["inventory"]["organisation_name"], tuple(doc["checklists"]),
        tuple(SourceInfo(s["id"], s["title"], s["verified"]) for s in doc["sources"]), checks,
        tuple(_from_finding(f) for f in doc["findings"]), _from_score(scores["province"]), agencies,
        tuple(doc["warnings"]))


def load_result(path: str | Path) -> AssessmentResult:
    """Read a result JSON written by `to_json` (for `report --from-result`); `InputError` if it is not one."""
    name = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise InputError([(None, f"{name}: no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([(SourcePos(name, 1, 1), f"not a JSON assessment result: {exc}")]) from None
    doc = strictjson.loads(text, name)  # strict numbers: no NaN, Infinity, 1e400 or 5,000-digit integers
    strictjson.check_result_numbers(doc, name)
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise InputError([(SourcePos(name, 1, 1), f"not an assessment result (expected \"schema\": \"{SCHEMA}\")")])
    if doc.get("version") != VERSION:
        raise InputError([(SourcePos(name, 1, 1), f"result version {doc.get('version')!r} is not supported "
                                                  f"(this secassess reads version {VERSION})")])
    try:
        return from_document(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([(SourcePos(name, 1, 1), f"malformed assessment result: {exc!r}")]) from None
