"""Load the checklists: sources, checks and profiles; validate them together; compile per profile.

Layout of a checklist directory: `sources.yaml` (the closed vocabulary of documents), `*.yaml` check
files, `profiles/*.yaml` (requirements → checks, parameters). Extra directories given by the user
(`--checklists DIR`) hold check files only; their checks run in every profile unless the file lists
`profiles:`. Shipped checks run in a profile only when one of its requirements names them.
Every problem found is reported at once, each at its file:line:column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from secassess.assessment.checklist import (
    Check,
    ChecklistFile,
    Parameter,
    ProfileFile,
    Scoring,
    Source,
    SourcesFile,
)
from secassess.assessment.facts import PROVIDER_NAMESPACES
from secassess.assessment.result import DEFAULT_SCORING, PROVINCE_DEFAULT, CheckInfo, DefaultNote, ScoringPolicy
from secassess.assessment.rules import CheckProblem, Compiled, Compiler, Getter, getter
from secassess.diagnostics import Severity
from secassess.errors import InputError, SourcePos, UsageError
from secassess.inventory.load import position_of_model, schema_problems
from secassess.resources import checklists_dir
from secassess.yamlsafe import load_file, unpack

Problems = list[tuple[SourcePos | None, str]]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CompiledCheck:
    info: CheckInfo
    when: Compiled | None
    condition: Compiled
    evidence: tuple[tuple[str, Getter], ...] = ()
    """(path, reader) of the check's extra `evidence` fields, read after the condition."""
    parameters: tuple[str, ...] = ()
    """Profile parameters it uses (in its rules, or through the facts it reads)."""

    @cached_property
    def notes(self) -> tuple[str, ...]:
        """Said on each of its findings: the parameters it uses that no rule sets (province defaults)."""
        return tuple(note.text() for note in self.info.province_defaults)


@dataclass(frozen=True)
class TransitionRule:
    """A profile's grace period for systems approved under an older profile (see `checklist.Transition`)."""

    legacy: Profile
    """The older profile, compiled: a failing check that passes there is only due."""
    approved_before: dt.date
    due: dt.date
    citation: str
    checks: frozenset[str]
    source: str = ""
    article: str = ""


@dataclass(frozen=True)
class Profile:
    """One profile ready to run: its checks compiled with its parameters."""

    id: str
    title_vi: str
    title_en: str
    parameters: dict[str, Any]
    checks: tuple[CompiledCheck, ...]
    requirements: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    """(requirement id, title (en), citation, check ids)."""
    parameter_origins: dict[str, str] = field(default_factory=dict)
    """Parameter -> its rule ("source article"), or "province default, no rule: why"."""
    transition: TransitionRule | None = None
    scoring: ScoringPolicy = DEFAULT_SCORING


@dataclass(frozen=True)
class Catalog:
    sources: dict[str, Source]
    profiles: dict[str, Profile]
    files: tuple[str, ...] = field(default=())

    def profile(self, profile_id: str) -> Profile:
        """The compiled profile, or a usage error naming the known ones."""
        if profile_id not in self.profiles:
            raise UsageError(f"unknown profile '{profile_id}'; choose one of: {', '.join(sorted(self.profiles))}")
        return self.profiles[profile_id]


def _validate(model: type[M], path: str, problems: Problems) -> M | None:
    try:
        raw = load_file(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(raw, dict):
        problems.append((SourcePos(path, 1, 1), f"expected a mapping at the top level of a {model.__name__}"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(schema_problems(exc, raw, path, model))
        return None


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_catalog(extra_dirs: Sequence[str | Path] = (), namespaces: Iterable[str] = (),
                 base: str | Path | None = None) -> Catalog:
    """Load shipped (or `base`) checklists plus the user's directories; raise `InputError` on any problem."""
    root = Path(base) if base is not None else checklists_dir()
    problems: Problems = []
    sources_file = _validate(SourcesFile, str(root / "sources.yaml"), problems)
    sources = {s.id: s for s in sources_file.sources} if sources_file else {}
    check_files: list[tuple[str, ChecklistFile, bool]] = []
    for path in _yaml_files(root):
        if path.name != "sources.yaml":
            loaded = _validate(ChecklistFile, str(path), problems)
            if loaded is not None:
                check_files.append((str(path), loaded, True))
    for directory in extra_dirs:
        where = Path(directory)
        if not where.is_dir():
            raise UsageError(f"--checklists {directory}: not a directory")
        for path in _yaml_files(where):
            loaded = _validate(ChecklistFile, str(path), problems)
            if loaded is not None:
                check_files.append((str(path), loaded, False))
    profile_files: list[tuple[str, ProfileFile]] = []
    profile_dir = root / "profiles"
    for path in _yaml_files(profile_dir) if profile_dir.is_dir() else []:
        loaded_profile = _validate(ProfileFile, str(path), problems)
        if loaded_profile is not None:
            profile_files.append((str(path), loaded_profile))
    if problems:
        raise InputError(problems)
    catalog = _link(sources, check_files, profile_files, PROVIDER_NAMESPACES | frozenset(namespaces), problems)
    if problems:
        raise InputError(sorted(set(problems), key=lambda p: (str(p[0]), p[1])))
    return catalog


def _pos(path: str, model: BaseModel, key: str | None = None) -> SourcePos:
    return position_of_model(path, model, key)


def _link(sources: dict[str, Source], check_files: list[tuple[str, ChecklistFile, bool]],
          profile_files: list[tuple[str, ProfileFile]], namespaces: frozenset[str], problems: Problems) -> Catalog:
    checks: dict[str, tuple[str, Check, bool, list[str] | None]] = {}
    origins = {path: (f"shipped:{Path(path).name}" if shipped else path) for path, _, shipped in check_files}
    profile_ids = {p.profile for _, p in profile_files}
    for path, checklist, shipped in check_files:
        for pid in checklist.profiles or []:
            if pid not in profile_ids:
                problems.append((_pos(path, checklist, "profiles"),
                                 f"unknown profile '{pid}' (profiles: {', '.join(sorted(profile_ids))})"))
        for check in checklist.checks:
            if check.id in checks:
                first = _pos(checks[check.id][0], checks[check.id][1], "id")
                problems.append((_pos(path, check, "id"), f"duplicate check id '{check.id}' (first defined at "
                                                          f"{first}); give each check its own id"))
                continue
            for ref in check.references:
                if ref.document not in sources:
                    problems.append((_pos(path, ref, "source"), f"unknown source '{ref.document}'; known sources: "
                                                                f"{', '.join(sorted(sources))}"))
            checks[check.id] = (path, check, shipped, checklist.profiles)
    profiles: dict[str, Profile] = {}
    transitions: dict[str, tuple[str, ProfileFile]] = {}
    for path, profile in profile_files:
        for name, param in profile.parameters.items():
            if param.document is not None and param.document not in sources:
                problems.append((_pos(path, param, "source"), f"parameter '{name}': unknown source "
                                                              f"'{param.document}'"))
        if profile.transition is not None:
            transitions[profile.profile] = (path, profile)
        if profile.scoring is not None and profile.scoring.document is not None \
                and profile.scoring.document not in sources:
            problems.append((_pos(path, profile.scoring, "source"), f"scoring: unknown source "
                                                                    f"'{profile.scoring.document}'"))
        mapped: dict[str, list[str]] = {}
        requirements = []
        for req in profile.requirements:
            if req.citation.document not in sources:
                problems.append((_pos(path, req.citation, "source"), f"unknown source '{req.citation.document}'"))
            for index, check_id in enumerate(req.checks):
                if check_id not in checks:
                    at = position_of_model(path, req, "checks")
                    problems.append((_item_pos(path, req, index, at), f"requirement '{req.id}' names unknown check "
                                                                      f"'{check_id}'"))
                    continue
                mapped.setdefault(check_id, []).append(req.id)
            citation = f"{req.citation.document} {req.citation.article or ''}".strip()
            requirements.append((req.id, req.title.en, citation, tuple(req.checks)))
        selected = [cid for cid, (_, _, shipped, only) in checks.items()
                    if _runs_in(profile.profile, cid in mapped, shipped, only)]
        compiled = []
        for check_id in sorted(selected):
            check_path, check, _, _ = checks[check_id]
            item = _compile(check_path, origins[check_path], check, profile, namespaces, sources,
                            tuple(mapped.get(check_id, ())), problems)
            if item is not None:
                compiled.append(item)
        profiles[profile.profile] = Profile(profile.profile, profile.title.vi, profile.title.en,
                                            {k: v.value for k, v in profile.parameters.items()}, tuple(compiled),
                                            tuple(requirements), {k: _origin(v) for k, v in profile.parameters.items()},
                                            scoring=_scoring(profile.scoring))
    for profile_id, (path, profile) in transitions.items():
        rule = _transition(path, profile, profiles, problems)
        if rule is not None:
            profiles[profile_id] = dataclasses.replace(profiles[profile_id], transition=rule)
    return Catalog({k: sources[k] for k in sorted(sources)}, profiles,
                   tuple(origins[p] for p, _, _ in check_files))


def _scoring(spec: Scoring | None) -> ScoringPolicy:
    """The profile's scale as results carry it (the built-in one when the profile gives none)."""
    if spec is None:
        return DEFAULT_SCORING
    w, r = spec.weights, spec.ratings
    reason = spec.province_default
    return ScoringPolicy(((Severity.CRITICAL, w.critical), (Severity.HIGH, w.high), (Severity.MEDIUM, w.medium),
                          (Severity.LOW, w.low), (Severity.INFO, w.info)),
                         (("good", r.good), ("fair", r.fair), ("average", r.average)), spec.critical_cap,
                         spec.document or "", spec.article or "", reason.en if reason else "",
                         reason.vi if reason else "")


def _origin(param: Parameter) -> str:
    if param.document is not None:
        return f"{param.document} {param.article or ''}".strip()
    reason = param.default_reason()
    return f"{PROVINCE_DEFAULT} {reason[0] if reason else ''}"


def _transition(path: str, profile: ProfileFile, profiles: dict[str, Profile],
                problems: Problems) -> TransitionRule | None:
    spec = profile.transition
    assert spec is not None
    if spec.from_profile not in profiles or spec.from_profile == profile.profile:
        problems.append((_pos(path, spec, "from_profile"), f"transition: 'from_profile' must name another profile "
                                                           f"({', '.join(sorted(set(profiles) - {profile.profile}))})"))
        return None
    known = {req.id: req.checks for req in profile.requirements}
    checks: set[str] = set()
    for req_id in spec.requirements:
        if req_id not in known:
            problems.append((_pos(path, spec, "requirements"), f"transition names unknown requirement '{req_id}'"))
            continue
        checks.update(known[req_id])
    citation = f"{spec.citation.document} {spec.citation.article or ''}".strip()
    return TransitionRule(profiles[spec.from_profile], spec.approved_before, spec.due, citation, frozenset(checks),
                          spec.citation.document, spec.citation.article or "")


def _runs_in(profile_id: str, mapped: bool, shipped: bool, only: list[str] | None) -> bool:
    """Shipped checks run where a requirement maps them; user checks where the file says (default: all)."""
    if only is not None:
        return profile_id in only
    return mapped or not shipped


def _item_pos(path: str, model: BaseModel, index: int, default: SourcePos) -> SourcePos:
    positions = getattr(model, "source_positions", None)
    packed = positions.keys.get(("checks", index)) if positions is not None else None
    if packed is None:
        return default
    line, column = unpack(packed)
    return SourcePos(path, line, column)


def _compile(path: str, origin: str, check: Check, profile: ProfileFile, namespaces: frozenset[str],
             sources: dict[str, Source], requirements: tuple[str, ...], problems: Problems) -> CompiledCheck | None:
    compiler = Compiler(check.entity, {k: v.value for k, v in profile.parameters.items()}, namespaces)
    try:
        when = compiler.condition(check.when) if check.when is not None else None
        condition = compiler.condition(check.condition)
        evidence = tuple((text, getter(compiler.path(check, "evidence", text, None))) for text in check.evidence)
    except CheckProblem as exc:
        problems.append((_pos(path, exc.model, exc.key), f"check {check.id} (profile {profile.profile}): "
                                                         f"{exc.message}"))
        return None
    used = tuple(sorted(compiler.used))
    params = [profile.parameters[name] for name in used]
    unverified = any(not sources[r.document].verified for r in check.references if r.document in sources) or any(
        p.document is not None and p.document in sources and not sources[p.document].verified for p in params)
    info = CheckInfo(check.id, check.title.vi, check.title.en, check.rationale, check.remediation.vi,
                     check.remediation.en, check.severity, check.layer, check.domain, check.entity,
                     tuple((r.document, r.article or "") for r in check.references), unverified, origin, requirements,
                     _default_notes(profile, used))
    return CompiledCheck(info, when, condition, evidence, used)


def _default_notes(profile: ProfileFile, used: tuple[str, ...]) -> tuple[DefaultNote, ...]:
    """One note per reason: the parameters a check uses that come from no rule, and why the province chose them."""
    by_reason: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name in used:
        param = profile.parameters[name]
        reason = param.default_reason()
        if reason is not None:
            by_reason.setdefault(reason, []).append((name, str(param.value)))
    return tuple(DefaultNote(tuple(names), en, vi) for (en, vi), names in by_reason.items())
