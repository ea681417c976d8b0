"""Waivers: accepted exceptions to a check on one entity, with an approver and an expiry date.

An active waiver turns a `fail` into `waived` (kept and shown, never dropped). An expired one
leaves the `fail` in place with a note. Waivers do not cover `error` outcomes (an error means the
data could not be judged). A waiver matching no check × entity is reported as a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError

from secassess.assessment.checklist import Waiver, WaiversFile
from secassess.errors import InputError, SourcePos
from secassess.inventory.load import position_of_model, schema_problems
from secassess.yamlsafe import load_file

WAIVER_EXPIRED = "{where}: waiver for {check} on {entity} expired on {expires}; the finding counts as a failure"
WAIVER_UNMATCHED = ("{where}: waiver for {check} on {entity} matches no check × entity in profile {profile}; "
                    "check the id and entity name")
"""The assessment's warnings about waivers (reports read them back by these forms to word them)."""


@dataclass(frozen=True)
class Waivers:
    """Loaded waivers keyed by (check id, entity name)."""

    path: str
    entries: dict[tuple[str, str], Waiver] = field(default_factory=dict)

    def position(self, waiver: Waiver) -> SourcePos:
        return position_of_model(self.path, waiver)


def load_waivers(path: str) -> Waivers:
    """Read a waivers file strictly; a duplicate (check, entity) pair is an error."""
    raw = load_file(path)
    if raw is None or not isinstance(raw, dict):
        raise InputError([(SourcePos(path, 1, 1), "a waivers file is a mapping with a 'waivers' list")])
    try:
        loaded = WaiversFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(schema_problems(exc, raw, path, WaiversFile)) from None
    entries: dict[tuple[str, str], Waiver] = {}
    problems: list[tuple[SourcePos | None, str]] = []
    for waiver in loaded.waivers:
        key = (waiver.check, waiver.entity)
        if key in entries:
            first = position_of_model(path, entries[key])
            problems.append((position_of_model(path, waiver), f"a second waiver for {waiver.check} on "
                                                              f"{waiver.entity} (first at {first}); keep one"))
        entries[key] = waiver
    if problems:
        raise InputError(problems)
    return Waivers(path, entries)


def is_active(waiver: Waiver, as_of: dt.date) -> bool:
    """A waiver holds through its expiry date."""
    return waiver.expires >= as_of
