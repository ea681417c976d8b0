"""Run a compiled profile over every entity: one finding per check × entity, none dropped.

Facts are computed once per entity (agency facts once per agency), provider facts merged in under
their namespace, then each check of the entity's kind runs: `when` false → not_applicable, the
condition → pass/fail, a `RuleError` → error, `NotApplicable` → not_applicable. Waivers apply last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from secassess.assessment.catalog import CompiledCheck, Profile
from secassess.assessment.entities import Entity, iter_entities
from secassess.assessment.facts import FactEnv, FactProvider, agency_facts, entity_facts, organisation_facts
from secassess.assessment.result import AppliedWaiver, Evidence, Finding, jsonable
from secassess.assessment.rules import Ctx, NotApplicable, Record, RuleError
from secassess.assessment.waivers import Waivers, is_active
from secassess.diagnostics import Outcome
from secassess.errors import SourcePos
from secassess.inventory.load import LoadedInventory, position_of_model
from secassess.yamlsafe import Positions


def _position(path: str, model: Any, attr: str | None, fallback: SourcePos | None) -> SourcePos:
    """Where a model (or its key) is written; `fallback` (the entity) for a record the inventory leaves out
    (built from defaults, so it has no place of its own), line 1 when there is no fallback."""
    if not isinstance(getattr(model, "source_positions", None), Positions):
        return fallback or SourcePos(path, 1, 1)
    return position_of_model(path, model, attr)


def _show(value: Any) -> str:
    shown = jsonable(value)
    return "none" if shown is None else str(shown).replace("True", "true").replace("False", "false")


def _describe(records: Sequence[Record], met: bool | None) -> str:
    picked = [r for r in records if r[4] is met] or list(records)
    return "; ".join(f"{r[0]} = {_show(r[1])} (expected {r[5]})" for r in picked)


def _evidence(check: CompiledCheck, ctx: Ctx, records: list[Record]) -> str:
    """Read the check's extra `evidence` fields into `records`; the non-empty ones, for a failure's message.

    A field that cannot be read here (no owning agency, a provider fact absent) is left out: evidence
    only explains an outcome the condition already decided.
    """
    shown = []
    for text, get in check.evidence:
        try:
            value, owner, attr = get(ctx)
        except (NotApplicable, RuleError):
            continue
        records.append((text, value, owner, attr, None, "evidence"))
        if value not in (None, "", [], ()):
            shown.append(f"{text} = {_show(value)}")
    return f"; evidence: {'; '.join(shown)}" if shown else ""


class Evaluator:
    """Evaluates a profile's checks over one inventory."""

    def __init__(self, loaded: LoadedInventory, profile: Profile, as_of: dt.date,
                 waivers: Waivers | None = None, providers: Sequence[FactProvider] = ()) -> None:
        self.loaded, self.path, self.profile, self.as_of = loaded, loaded.path, profile, as_of
        self.waivers = waivers.entries if waivers is not None and waivers.entries else None
        self.waiver_file = waivers
        self.providers = providers
        self.matched: set[tuple[str, str]] = set()
        self.warnings: list[str] = []
        self.prepared = False
        self.by_kind: dict[str, list[CompiledCheck]] = {}
        for check in profile.checks:
            self.by_kind.setdefault(check.info.entity, []).append(check)

    def prepare(self) -> None:
        """Compute what every entity shares: the fact environment, provider facts, organisation facts."""
        inventory = self.loaded.inventory
        self.env = FactEnv.build(inventory, self.as_of, self.profile.parameters)
        entities = list(iter_entities(inventory))
        self.provided: dict[str, dict[str, Any]] = {}
        for provider in self.providers:
            namespace = provider.namespace
            for name, facts in provider.provide(inventory, entities, self.as_of).items():
                self.provided.setdefault(name, {}).update({f"{namespace}.{k}": v for k, v in facts.items()})
        self.ran = frozenset(p.namespace for p in self.providers)
        self.org_facts = organisation_facts(inventory.organisation, inventory, self.env)
        self.prepared = True

    def run(self) -> tuple[list[Finding], list[str]]:
        """All findings, sorted by (agency, entity, check), and the warnings."""
        findings = self.evaluate(iter_entities(self.loaded.inventory))
        self.unmatched()
        findings.sort(key=lambda f: (f.agency, f.entity, f.check))
        return findings, self.warnings

    def evaluate(self, entities: Iterable[Entity]) -> list[Finding]:
        """The findings of these entities (one agency's, or the province-wide ones), in entity order."""
        if not self.prepared:
            self.prepare()
        org = self.loaded.inventory.organisation
        findings: list[Finding] = []
        agency_id, a_facts = None, {}
        for entity in entities:
            checks = self.by_kind.get(entity.kind)
            if not checks:
                continue
            agency = entity.agency
            if agency is not None and agency.id != agency_id:
                agency_id, a_facts = agency.id, agency_facts(agency, self.env)
            if entity.kind == "organisation":
                facts = self.org_facts
            elif entity.kind == "agency":
                facts = a_facts
            else:
                facts = entity_facts(entity.kind, entity.model, agency, self.env)
            extra = self.provided.get(entity.name)
            if extra:
                facts = {**facts, **extra}
            ctx = Ctx(entity.model, agency, org, facts, a_facts if agency is not None else {}, self.org_facts,
                      self.as_of, self.ran)
            location = _position(self.path, entity.model, None, None)
            places: dict[tuple[int, str | None], SourcePos] = {}
            for check in checks:
                findings.append(self.one(check, entity, ctx, location, places))
        return findings

    def one(self, check: CompiledCheck, entity: Entity, ctx: Ctx, location: SourcePos,
            places: dict[tuple[int, str | None], SourcePos] | None = None) -> Finding:
        info = check.info
        records: list[Record] = []
        notes: tuple[str, ...] = ()
        if entity.retired:
            outcome, message = Outcome.NOT_APPLICABLE, "decommissioned: checks do not apply"
        else:
            try:
                if check.when is not None and not check.when(ctx, records):
                    outcome = Outcome.NOT_APPLICABLE
                    message = "does not apply: " + _describe(records, False)
                else:
                    start = len(records)
                    if check.condition(ctx, records):
                        outcome, message = Outcome.PASS, f"{info.title_en}: met"
                    else:
                        outcome = Outcome.FAIL
                        message = f"{info.title_en}: not met: {_describe(records[start:], False)}"
                    shown = _evidence(check, ctx, records)
                    if outcome is Outcome.FAIL:
                        message += shown
            except NotApplicable as exc:
                outcome, message = Outcome.NOT_APPLICABLE, f"does not apply: {exc}"
            except RuleError as exc:
                outcome, message = Outcome.ERROR, f"cannot evaluate: {exc}"
        waiver = None
        if self.waivers is not None:
            outcome, message, waiver, notes = self.waive(info.id, entity.name, outcome, message)
        places = {} if places is None else places
        evidence = tuple(Evidence(r[0], jsonable(r[1]), r[5], r[4], self.place(r[2], r[3], location, places))
                         for r in records)
        return Finding(info.id, entity.name, entity.kind, entity.group, outcome, info.severity, message, location,
                       evidence, waiver, notes)

    def place(self, model: Any, attr: str | None, entity_location: SourcePos,
              places: dict[tuple[int, str | None], SourcePos]) -> SourcePos | None:
        """Where an evidence value is written; a value the inventory leaves out points at its entity."""
        if model is None:
            return None
        key = (id(model), attr)
        found = places.get(key)
        if found is None:
            found = places[key] = _position(self.path, model, attr, entity_location)
        return found

    def waive(self, check_id: str, name: str, outcome: Outcome,
              message: str) -> tuple[Outcome, str, AppliedWaiver | None, tuple[str, ...]]:
        assert self.waivers is not None
        assert self.waiver_file is not None
        entry = self.waivers.get((check_id, name))
        if entry is None:
            return outcome, message, None, ()
        self.matched.add((check_id, name))
        active = is_active(entry, self.as_of)
        applied = AppliedWaiver(entry.reason, entry.approver, entry.expires, not active,
                                self.waiver_file.position(entry))
        if outcome is Outcome.FAIL and active:
            return Outcome.WAIVED, f"waived until {entry.expires} by {entry.approver}: {message}", applied, ()
        if outcome is Outcome.FAIL:
            note = f"waiver expired on {entry.expires} ({self.waiver_file.position(entry)}); counted as a failure"
            self.warnings.append(f"{self.waiver_file.position(entry)}: waiver for {check_id} on {name} expired on "
                                 f"{entry.expires}; the finding counts as a failure")
            return outcome, message, applied, (note,)
        if outcome is Outcome.ERROR:
            return outcome, message, applied, ("waivers do not cover errors: fix the data so the check can run",)
        return outcome, message, applied, (f"waiver not needed: the check's outcome is {outcome.value}",)

    def unmatched(self) -> None:
        if self.waivers is None or self.waiver_file is None:
            return
        for key, entry in self.waivers.items():
            if key not in self.matched:
                self.warnings.append(f"{self.waiver_file.position(entry)}: waiver for {key[0]} on {key[1]} matches "
                                     f"no check × entity in profile {self.profile.id}; check the id and entity name")

