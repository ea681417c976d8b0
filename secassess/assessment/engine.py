"""Run a compiled profile over every entity: one finding per check × entity, none dropped.

Facts are computed once per entity (agency facts once per agency), provider facts merged in under
their namespace, then each check of the entity's kind runs. Rules are three-valued (see `rules`):

- `when` false → not_applicable; `when` unknown → insufficient_data (whether it applies depends on a
  fact the inventory does not state);
- the condition true → pass, false → fail, unknown → insufficient_data, each unstated field it read
  recorded as evidence with value None (the report lists them as facts to collect);
- a `RuleError` → error, `NotApplicable` → not_applicable;
- on an asset whose status is not stated (it may be decommissioned), a pass or a fail is no verdict:
  insufficient_data.

A list of entities the inventory does not write (see `entities.unstated_lists`) gives, for every
check of that kind, one insufficient_data finding on a stand-in entity. A failure that the profile's
transition covers (Law 116 Art. 45.1: systems approved under the old rules have until a date to meet
the new measures) becomes `waived` by that law, "due by <date>", while the old profile would not fail
it and the date is ahead. User waivers apply last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from secassess.assessment.catalog import CompiledCheck, Profile, TransitionRule
from secassess.assessment.entities import (
    Entity,
    agency_entities,
    iter_entities,
    link_entities,
    organisation_entity,
    unstated_lists,
)
from secassess.assessment.facts import FactEnv, FactProvider, agency_facts, entity_facts, organisation_facts
from secassess.assessment.partial import Between, Partial, Unknown
from secassess.assessment.result import AppliedWaiver, Evidence, Finding, jsonable
from secassess.assessment.rules import CANNOT_EVALUATE, NOT_STATED, Ctx, NotApplicable, Record, RuleError
from secassess.assessment.waivers import WAIVER_EXPIRED, WAIVER_UNMATCHED, Waivers, is_active
from secassess.diagnostics import Outcome
from secassess.errors import SourcePos
from secassess.inventory.load import LoadedInventory, position_of_model
from secassess.inventory.model import Agency, InformationSystem, Inventory, Server
from secassess.yamlsafe import Positions


def _position(path: str, model: Any, attr: str | None, fallback: SourcePos | None = None) -> SourcePos:
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


def _lacking(records: Sequence[Record]) -> str:
    """The unstated (or only partly known) values that left a rule undecided."""
    missing = list(dict.fromkeys(r[0] for r in records if r[4] is None and r[1] is None))
    partial = [f"{r[0]} = {r[1]}" for r in records if r[4] is None and isinstance(r[1], (Between, Partial))]
    if not missing and not partial:
        missing = [f"{r[0]} ({r[1]})" for r in records if r[4] is None and isinstance(r[1], Unknown)]
    return "; ".join([*partial, *(f"{path} not stated" for path in missing)]) or _describe(records, None)


def _evidence(check: CompiledCheck, ctx: Ctx, records: list[Record], outcome: Outcome) -> str:
    """Read the check's extra `evidence` fields into `records`; the non-empty ones, for a failure's message.

    A field that cannot be read here (no owning agency, a provider fact absent) is left out: evidence
    only explains an outcome the condition already decided. An empty value is left out of a finding
    that lacks data, where it would read as one more fact to collect.
    """
    shown = []
    for text, get in check.evidence:
        try:
            value, owner, attr = get(ctx)
        except (NotApplicable, RuleError):
            continue
        derived = text.startswith(("facts.", "agency.facts.")) or ("." in text and text.split(".")[0] in ctx.providers)
        if ((value is None and derived) or isinstance(value, Unknown)) and outcome is Outcome.INSUFFICIENT_DATA:
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
        self.by_kind: dict[str, list[CompiledCheck]] = {}
        for check in profile.checks:
            self.by_kind.setdefault(check.info.entity, []).append(check)
        transition = profile.transition
        self.transition = transition if transition is not None and as_of < transition.due else None
        self.grace = _Grace(loaded.inventory, as_of, self.transition) if self.transition is not None else None
        self.prepared = False

    def prepare(self) -> None:
        """Compute what every entity shares: the fact environment, provider facts, organisation facts, and which
        agency each province-wide link and each unwritten list belongs to."""
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
        self.links: dict[str, list[Entity]] = {}
        for entity in link_entities(inventory):
            self.links.setdefault(entity.group, []).append(entity)
        self.unwritten: dict[str, list[tuple[str, str, Agency | None, BaseModel, str]]] = {}
        for item in unstated_lists(inventory):
            self.unwritten.setdefault(item[2].id if item[2] is not None else "", []).append(item)
        self.prepared = True

    def run(self) -> tuple[list[Finding], list[str]]:
        """All findings, sorted by (agency, entity, check), and the warnings."""
        inventory = self.loaded.inventory
        findings = self.province()
        for agency in inventory.agencies:
            findings.extend(self.agency(agency))
        self.unmatched()
        findings.sort(key=lambda f: (f.agency, f.entity, f.check))
        return findings, self.warnings

    def agency(self, agency: Agency) -> list[Finding]:
        """Every finding of one agency: its own entities, the province-wide links it owns, unwritten lists."""
        if not self.prepared:
            self.prepare()
        found = self.evaluate([*agency_entities(agency), *self.links.get(agency.id, ())])
        found.extend(self.unstated(self.unwritten.get(agency.id, ())))
        return found

    def province(self) -> list[Finding]:
        """The findings owned by no agency: the organisation, links between province-wide zones."""
        if not self.prepared:
            self.prepare()
        found = self.evaluate([organisation_entity(self.loaded.inventory), *self.links.get("", ())])
        found.extend(self.unstated(self.unwritten.get("", ())))
        return found

    def evaluate(self, entities: Iterable[Entity]) -> list[Finding]:
        """The findings of these entities, in entity order."""
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
            location = _position(self.path, entity.model, None)
            places: dict[tuple[int, str | None], SourcePos] = {}
            for check in checks:
                findings.append(self.one(check, entity, ctx, location, places))
        return findings

    def unstated(self, unwritten: Iterable[tuple[str, str, Agency | None, BaseModel, str]]) -> list[Finding]:
        """One insufficient_data finding per check of a kind whose list the inventory does not write."""
        out = []
        for name, kind, agency, model, key in unwritten:
            where = _position(self.path, model, None)
            for check in self.by_kind.get(kind, ()):
                info = check.info
                evidence = (Evidence(key, None, "declared (write an empty list if there are none)", None, where),)
                message = f"{info.title_en}: not enough data: {key} not stated (write an empty list if there are none)"
                outcome, text, waiver, notes = Outcome.INSUFFICIENT_DATA, message, None, check.notes
                if self.waivers is not None:
                    outcome, text, waiver, extra = self.waive(info.id, name, outcome, text)
                    notes = (*notes, *extra)
                out.append(Finding(info.id, name, kind, agency.id if agency else "", outcome, info.severity, text,
                                   where, evidence, waiver, notes))
        return out

    def one(self, check: CompiledCheck, entity: Entity, ctx: Ctx, location: SourcePos,
            places: dict[tuple[int, str | None], SourcePos] | None = None) -> Finding:
        info = check.info
        records: list[Record] = []
        notes: tuple[str, ...] = ()
        waiver = None
        if entity.retired:
            outcome, message = Outcome.NOT_APPLICABLE, "decommissioned: checks do not apply"
        else:
            try:
                applies = True if check.when is None else check.when(ctx, records)
                if applies is False:
                    outcome = Outcome.NOT_APPLICABLE
                    message = "does not apply: " + _describe(records, False)
                elif applies is None:
                    outcome = Outcome.INSUFFICIENT_DATA
                    message = f"{info.title_en}: not enough data to tell whether it applies: {_lacking(records)}"
                else:
                    start = len(records)
                    verdict = check.condition(ctx, records)
                    if verdict:
                        outcome, message = Outcome.PASS, f"{info.title_en}: met"
                    elif verdict is False:
                        outcome = Outcome.FAIL
                        message = f"{info.title_en}: not met: {_describe(records[start:], False)}"
                    else:
                        outcome = Outcome.INSUFFICIENT_DATA
                        message = f"{info.title_en}: not enough data: {_lacking(records[start:])}"
                    shown = _evidence(check, ctx, records, outcome)
                    if outcome is Outcome.FAIL:
                        message += shown
            except NotApplicable as exc:
                outcome, message = Outcome.NOT_APPLICABLE, f"does not apply: {exc}"
            except RuleError as exc:
                outcome, message = Outcome.ERROR, f"{CANNOT_EVALUATE}{exc}"
        if entity.retired is None and outcome in (Outcome.PASS, Outcome.FAIL):
            outcome = Outcome.INSUFFICIENT_DATA
            message = (f"{info.title_en}: not enough data to tell whether it applies: status not stated "
                       f"(a decommissioned asset is not checked); had it applied: {message}")
            records.append(("status", None, entity.model, "status", None, NOT_STATED))
        if outcome is not Outcome.NOT_APPLICABLE:
            notes = check.notes
        if outcome is Outcome.FAIL and self.grace is not None:
            outcome, message, waiver = self.grace.apply(check, entity, ctx, message)
        if self.waivers is not None and waiver is None:
            outcome, message, waiver, extra = self.waive(info.id, entity.name, outcome, message)
            notes = (*notes, *extra)
        places = {} if places is None else places
        evidence = tuple(Evidence(r[0], jsonable(r[1]), r[5], r[4], self.place(r[2], r[3], location, places))
                         for r in records)
        return Finding(info.id, entity.name, entity.kind, entity.group, outcome, info.severity, message, location,
                       evidence, waiver, notes)

    def place(self, model: Any, attr: str | None, entity_location: SourcePos,
              places: dict[tuple[int, str | None], SourcePos]) -> SourcePos | None:
        """Where an evidence value is written; a value the inventory leaves out points at its entity."""
        if not isinstance(model, BaseModel):
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
            self.warnings.append(WAIVER_EXPIRED.format(where=self.waiver_file.position(entry), check=check_id,
                                                       entity=name, expires=entry.expires))
            return outcome, message, applied, (note,)
        if outcome is Outcome.ERROR:
            return outcome, message, applied, ("waivers do not cover errors: fix the data so the check can run",)
        if outcome is Outcome.INSUFFICIENT_DATA:
            return outcome, message, applied, ("waivers do not cover missing data: state the facts so the check "
                                               "can reach a verdict",)
        return outcome, message, applied, (f"waiver not needed: the check's outcome is {outcome.value}",)

    def unmatched(self) -> None:
        if self.waivers is None or self.waiver_file is None:
            return
        for key, entry in self.waivers.items():
            if key not in self.matched:
                self.warnings.append(WAIVER_UNMATCHED.format(where=self.waiver_file.position(entry), check=key[0],
                                                             entity=key[1], profile=self.profile.id))


class _Grace:
    """The transition of a profile (Law 116 Art. 45.1) as applied to failures on one inventory."""

    def __init__(self, inventory: Inventory, as_of: dt.date, rule: TransitionRule) -> None:
        self.rule, self.as_of = rule, as_of
        self.on_server: dict[str, list[InformationSystem]] = {}
        for agency in inventory.agencies:
            for system in agency.systems:
                for host in system.servers:
                    self.on_server.setdefault(host.lower(), []).append(system)
        self.legacy_env = FactEnv.build(inventory, as_of, rule.legacy.parameters)
        self.legacy_checks = {c.info.id: c for c in rule.legacy.checks}
        self.agency_cache: dict[str, dict[str, Any]] = {}

    def legacy_systems(self, entity: Entity) -> list[InformationSystem]:
        """The systems whose approval decides the grace of this entity's failure."""
        model = entity.model
        if isinstance(model, InformationSystem):
            return [model]
        if isinstance(model, Server):
            return self.on_server.get(model.hostname.lower(), [])
        return list(entity.agency.systems) if entity.agency is not None else []

    def eligible(self, entity: Entity) -> bool:
        systems = self.legacy_systems(entity)
        return bool(systems) and all(s.approval.approved is True and s.approval.date is not None
                                     and s.approval.date < self.rule.approved_before for s in systems)

    def old_rules_fail(self, check: CompiledCheck, entity: Entity, ctx: Ctx) -> bool:
        """Whether the same check under the old profile fails too (or cannot be judged there)."""
        old = self.legacy_checks.get(check.info.id)
        if old is None:
            return False
        agency = entity.agency
        a_facts: dict[str, Any] = {}
        if agency is not None:
            a_facts = self.agency_cache.get(agency.id) or self.agency_cache.setdefault(
                agency.id, agency_facts(agency, self.legacy_env))
        if entity.kind == "agency":
            facts = a_facts
        elif entity.kind == "organisation":
            return True
        else:
            facts = entity_facts(entity.kind, entity.model, agency, self.legacy_env)
        provided = {k: v for k, v in ctx.facts.items() if "." in k}
        legacy = Ctx(ctx.entity, agency, ctx.organisation, {**facts, **provided}, a_facts, ctx.organisation_facts,
                     self.as_of, ctx.providers)
        try:
            scratch: list[Record] = []
            if old.when is not None and old.when(legacy, scratch) is False:
                return False
            return old.condition(legacy, scratch) is not True
        except NotApplicable:
            return False
        except RuleError:
            return True

    def apply(self, check: CompiledCheck, entity: Entity, ctx: Ctx,
              message: str) -> tuple[Outcome, str, AppliedWaiver | None]:
        rule = self.rule
        if check.info.id not in rule.checks or not self.eligible(entity) or self.old_rules_fail(check, entity, ctx):
            return Outcome.FAIL, message, None
        reason = (f"transition ({rule.citation}): systems approved under the old rules before "
                  f"{rule.approved_before} have until {rule.due} to meet measures only the new rules add")
        waiver = AppliedWaiver(reason, rule.citation, rule.due, False, None, transition=True)
        return Outcome.WAIVED, f"due by {rule.due} ({rule.citation}): {message}", waiver

