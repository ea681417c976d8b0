"""Load an inventory file: strict YAML, then schema validation with every error placed in the file."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from secassess.errors import InputError, SourcePos
from secassess.heap import collector_paused, keep
from secassess.inventory.model import Inventory
from secassess.textsafe import quoted
from secassess.yamlsafe import POS_KEY, LoadLimits, load_file, locate, position_of, unpack

MAX_SCHEMA_ERRORS = 200
SECRET_KEY = re.compile(r"pass(word|wd)?|pwd|secret|community|private[_-]?key|api[_-]?key|token|credential",
                        re.IGNORECASE)


@dataclass(frozen=True)
class LoadedInventory:
    """An inventory and the file it came from."""

    path: str
    inventory: Inventory

    def position(self, model: BaseModel, field: str | None = None, index: int | None = None) -> SourcePos:
        """Where a model (or one of its fields, or item `index` of a list field) is written; line 1 when built
        in code."""
        return position_of_model(self.path, model, field, index)


def position_of_model(path: str, model: BaseModel, field: str | None = None, index: int | None = None) -> SourcePos:
    """The file position of a loaded model, of one of its keys, or of one scalar item of a list key."""
    positions = getattr(model, "source_positions", None)
    if positions is None:
        return SourcePos(path, 1, 1)
    packed = positions.start
    if field is not None:
        info = type(model).model_fields.get(field)
        key = info.alias if info is not None and info.alias and info.alias != POS_KEY else field
        packed = positions.keys.get(key, packed)
        if index is not None:
            packed = positions.keys.get((key, index), packed)
    line, column = unpack(packed)
    return SourcePos(path, line, column)


def load_inventory(path: str, limits: LoadLimits = LoadLimits()) -> LoadedInventory:
    """Read, parse and validate one inventory file; raise `InputError` listing every problem."""
    raw = load_file(path, limits)
    with collector_paused():  # validation builds the models: acyclic, and kept
        inventory = validate_inventory(raw, path)
    del raw
    keep()  # the inventory lives to the end of the command
    return LoadedInventory(path, inventory)


def validate_inventory(raw: Any, path: str) -> Inventory:
    """Validate a loaded YAML tree against the model, translating errors to file positions."""
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a single value ({type(raw).__name__})"
        raise InputError([(SourcePos(path, 1, 1), f"the top level is {kind}; an inventory is a mapping "
                                                  "with 'organisation' and 'agencies' keys")], "schema")
    _require_an_inventory(raw, path)
    unrepresentable = value_problems(raw, Inventory, path)
    try:
        inventory = Inventory.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_merge(unrepresentable, schema_problems(exc, raw, path, Inventory)), "schema") from None
    if unrepresentable:
        raise InputError(list(unrepresentable), "schema")
    return inventory


def _merge(first: list[tuple[SourcePos, str]],
           then: list[tuple[SourcePos | None, str]]) -> list[tuple[SourcePos | None, str]]:
    """`first`, then the problems of `then` at other places, in file order."""
    taken = {pos for pos, _ in first}
    merged: list[tuple[SourcePos | None, str]] = [*first, *(p for p in then if p[0] not in taken)]
    return sorted(merged, key=lambda item: (item[0].line, item[0].column) if item[0] else (1 << 30, 0))


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def value_problems(raw: Any, model: type[BaseModel], path: str) -> list[tuple[SourcePos, str]]:
    """Values the schema would accept with a meaning the file does not show, each at its place.

    A date written as a number (`20261122`, or `86400` that the validation library would read as Unix time),
    a date in another text form, and a number field given text that reads as infinity or NaN (`1e400`, `nan`),
    or as an integer too long to convert.
    """
    problems: list[tuple[SourcePos, str]] = []
    todo: list[tuple[Any, type[BaseModel], tuple[Any, ...]]] = [(raw, model, ())]
    while todo:
        node, current, where = todo.pop()
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            kinds, inner = _field_kinds(current, key)
            if inner is None and (not kinds or type(value) is dt.date):
                continue
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                place = (*where, key) if index is None else (*where, key, index)
                if isinstance(item, dict) and inner is not None:
                    todo.append((item, inner, place))
                elif item is not None:
                    message = _value_problem(item, kinds)
                    if message:
                        problems.append((locate(raw, place, path), f"{dotted(place)}: {message}"))
    return sorted(problems, key=lambda p: (p[0].line, p[0].column))


_FIELD_KINDS: dict[tuple[type[BaseModel], Any], tuple[frozenset[str], type[BaseModel] | None]] = {}


def _field_kinds(model: type[BaseModel], key: Any) -> tuple[frozenset[str], type[BaseModel] | None]:
    """What a key of `model` holds (date/number kinds, nested model), cached: inventories repeat keys a lot."""
    found = _FIELD_KINDS.get((model, key))
    if found is None:
        field = _field_by_key(model, key) if isinstance(key, str) and key != POS_KEY else None
        if field is None:
            return frozenset(), None  # an unknown key (the schema reports it): not cached, a file can hold millions
        found = _leaf_kinds(field.annotation), _model_in(field.annotation)
        _FIELD_KINDS[(model, key)] = found
    return found


def _value_problem(value: Any, kinds: frozenset[str]) -> str:
    if "date" in kinds and not isinstance(value, dt.date):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            digits = str(value)
            hint = f" ({digits[:4]}-{digits[4:6]}-{digits[6:8]}?)" if len(digits) == 8 and digits.isdigit() else ""
            return f"{quoted(value)} is a number, not a date{hint}; write dates as YYYY-MM-DD"
        if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
            return f"{quoted(value)} is not a date; write dates as YYYY-MM-DD"
    if "number" in kinds and isinstance(value, str):
        text = value.strip()
        if len(text) > 4300:
            return f"a number of {len(text):,} characters is too long; write a real value"
        try:
            number = float(text)
        except ValueError:
            return ""
        if not math.isfinite(number):
            return f"{quoted(value)} is not a finite number; write a real value"
    return ""


def _leaf_kinds(annotation: Any) -> frozenset[str]:
    """"date" and/or "number" when a field (or its list items) holds dates or numbers."""
    if annotation is dt.date:
        return frozenset({"date"})
    if annotation in (int, float):
        return frozenset({"number"})
    kinds: frozenset[str] = frozenset()
    if typing.get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            if isinstance(arg, (type, types.UnionType)) or typing.get_origin(arg) is not None:
                kinds |= _leaf_kinds(arg)
    return kinds


_REQUIRED_TOP_KEYS = ("organisation", "agencies")


def _require_an_inventory(raw: dict[Any, Any], path: str) -> None:
    """One clear error, not a schema error per key, for YAML that is some other tool's file."""
    allowed = _allowed_keys(Inventory, ())
    keys = [str(key) for key in raw if key != POS_KEY]
    if any(key in allowed or difflib.get_close_matches(key, _REQUIRED_TOP_KEYS, n=1, cutoff=0.8) for key in keys):
        return  # meant as an inventory, maybe misspelt: the schema errors say what to fix
    line, column = position_of(raw) or (1, 1)
    shown = ", ".join(f"'{key[:40]}'" for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
    found = f"its top-level keys are {shown}" if keys else "it is an empty mapping"
    raise InputError([(SourcePos(path, line, column),
                       f"not a secassess inventory: {found}, but an inventory has 'organisation' and 'agencies'; "
                       "lint only inventory files (with pre-commit, make the hook's `files:` match only them)")],
                     "schema")


def schema_problems(exc: ValidationError, raw: Any, path: str,
                    root_model: type[BaseModel]) -> list[tuple[SourcePos | None, str]]:
    """One clear, placed message per invalid value (union alternatives merged)."""
    merged: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for details in exc.errors(include_url=False):
        error: dict[str, Any] = dict(details)
        real = _real_path(raw, error["loc"])
        missing = error["type"] == "missing" and len(error["loc"]) > len(real)
        key = (*real, error["loc"][len(real)]) if missing else real
        merged.setdefault(key, []).append(error)
    placed = sorted(((locate(raw, loc, path), _message(loc, errors, root_model))
                     for loc, errors in list(merged.items())[:MAX_SCHEMA_ERRORS]),
                    key=lambda item: (item[0].line, item[0].column))
    problems: list[tuple[SourcePos | None, str]] = list(placed)
    if len(merged) > MAX_SCHEMA_ERRORS:
        problems.append((None, f"... and {len(merged) - MAX_SCHEMA_ERRORS} more schema errors"))
    return problems


def _real_path(raw: Any, loc: Sequence[Any]) -> tuple[Any, ...]:
    """The longest prefix of a pydantic location that exists in the YAML tree."""
    node, real = raw, []
    for step in loc:
        in_mapping = isinstance(node, dict) and step in node and step != POS_KEY
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_mapping or in_list:
            node = node[step]
        else:
            break
        real.append(step)
    return tuple(real)


def dotted(loc: Sequence[Any]) -> str:
    """`agencies[2].servers[0].os` from a location tuple."""
    text = ""
    for step in loc:
        name = str(step) if len(str(step)) <= 80 else f"{str(step)[:80]}...({len(str(step)):,} characters)"
        text += f"[{step}]" if isinstance(step, int) else (f".{name}" if text else name)
    return text or "(top level)"


def _message(loc: tuple[Any, ...], errors: list[dict[str, Any]], root_model: type[BaseModel]) -> str:
    first = errors[0]
    where = dotted(loc)
    if first["type"] == "extra_forbidden":
        if SECRET_KEY.search(str(loc[-1])):
            return (f"{where}: {quoted(str(loc[-1]))} looks like a secret; secrets never belong in the inventory: "
                    "remove it and keep it in a password vault")
        allowed = _allowed_keys(root_model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"allowed keys here: {', '.join(allowed)}"
        return f"{where}: unknown key {quoted(str(loc[-1]))}; {hint}"
    if first["type"] == "missing":
        return f"{where}: required key '{loc[-1]}' is missing; add it"
    got = first.get("input")
    shown = "" if isinstance(got, (dict, list)) else f" (got {quoted(got)})"
    reasons = " or ".join(dict.fromkeys(_reason(e) for e in errors))
    return f"{where}: {reasons}{shown}"


def _reason(error: dict[str, Any]) -> str:
    msg: str = error["msg"]
    if error["type"] == "string_pattern_mismatch":
        field = str(error["loc"][-1]) if error["loc"] else "value"
        return f"not a valid {field.replace('_', ' ')} (expected {error.get('ctx', {}).get('pattern', '')})"
    if msg.startswith("Input should be "):
        return "expected " + msg[len("Input should be "):]
    return msg[0].lower() + msg[1:] if msg else "invalid value"


def _allowed_keys(root_model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    model: Any = root_model
    for step in loc:
        if isinstance(step, int):
            continue
        field = _field_by_key(model, step)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return sorted(info.alias or name for name, info in model.model_fields.items() if name != "source_positions")


def _field_by_key(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
