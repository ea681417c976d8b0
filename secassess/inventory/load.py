"""Load an inventory file: strict YAML, then schema validation with every error placed in the file."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from secassess.errors import InputError, SourcePos
from secassess.inventory.model import Inventory
from secassess.yamlsafe import POS_KEY, LoadLimits, load_file, locate, unpack

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
    return LoadedInventory(path, validate_inventory(raw, path))


def validate_inventory(raw: Any, path: str) -> Inventory:
    """Validate a loaded YAML tree against the model, translating errors to file positions."""
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a single value ({type(raw).__name__})"
        raise InputError([(SourcePos(path, 1, 1), f"the top level is {kind}; an inventory is a mapping "
                                                  "with 'organisation' and 'agencies' keys")], "schema")
    try:
        return Inventory.model_validate(raw)
    except ValidationError as exc:
        raise InputError(schema_problems(exc, raw, path, Inventory), "schema") from None


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
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(top level)"


def _message(loc: tuple[Any, ...], errors: list[dict[str, Any]], root_model: type[BaseModel]) -> str:
    first = errors[0]
    where = dotted(loc)
    if first["type"] == "extra_forbidden":
        if SECRET_KEY.search(str(loc[-1])):
            return (f"{where}: '{loc[-1]}' looks like a secret; secrets never belong in the inventory: "
                    "remove it and keep it in a password vault")
        allowed = _allowed_keys(root_model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"allowed keys here: {', '.join(allowed)}"
        return f"{where}: unknown key '{loc[-1]}'; {hint}"
    if first["type"] == "missing":
        return f"{where}: required key '{loc[-1]}' is missing; add it"
    got = first.get("input")
    shown = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
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
