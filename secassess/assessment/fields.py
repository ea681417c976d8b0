"""Field paths of rules, checked against the inventory model (and the fact registry) at load time.

A path is dotted over the entity (`layers.monitoring.log_retention_days`), or starts with
`facts.` (a derived fact of the entity), `agency.` (the owning agency, itself allowing `facts.`),
`organisation.` (the province record), or a provider namespace (`scan.`, `graph.`).
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from secassess.assessment.facts import FACTS
from secassess.inventory import model as inv

ENTITY_CLASSES: dict[str, type[BaseModel]] = {
    "organisation": inv.Organisation, "agency": inv.Agency, "system": inv.InformationSystem,
    "server": inv.Server, "workstation_group": inv.WorkstationGroup, "workstation": inv.Workstation,
    "security_device": inv.SecurityDevice, "zone_link": inv.ZoneLink,
}


@dataclass(frozen=True)
class FieldSpec:
    """What kind of value a path holds: bool, number, date, str, enum, list, model or any."""

    kind: str
    values: frozenset[str] = frozenset()
    """Allowed values of an enum."""
    item: FieldSpec | None = None
    """Kind of a list's items."""
    model: type[BaseModel] | None = None
    """The record class of a model (or of a list's items)."""


ANY = FieldSpec("any")


@dataclass(frozen=True)
class Resolved:
    """A checked path: where reading starts (`root`), the attributes to follow, the kind found."""

    root: str
    """entity, agency, organisation, facts, agency_facts, organisation_facts or provider."""
    attrs: tuple[str, ...]
    spec: FieldSpec
    text: str


class PathError(ValueError):
    """A path that names nothing in the model."""


def spec_of(annotation: Any) -> FieldSpec:
    """The FieldSpec of a pydantic field annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return spec_of(typing.get_args(annotation)[0])
    if origin is types.UnionType or origin is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        specs = {spec_of(a) for a in args}
        return specs.pop() if len(specs) == 1 else (FieldSpec("str") if all(s.kind == "str" for s in specs) else ANY)
    if origin is list:
        item = spec_of(typing.get_args(annotation)[0])
        return FieldSpec("list", item=item, model=item.model)
    if origin is typing.Literal:
        return FieldSpec("enum", frozenset(str(a) for a in typing.get_args(annotation)))
    if annotation is bool:
        return FieldSpec("bool")
    if annotation in (int, float):
        return FieldSpec("number")
    if annotation is dt.date:
        return FieldSpec("date")
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return FieldSpec("enum", frozenset(str(m.value) for m in annotation))
        if issubclass(annotation, BaseModel):
            return FieldSpec("model", model=annotation)
        if issubclass(annotation, (str, ipaddress.IPv4Address, ipaddress.IPv6Address,
                                   ipaddress.IPv4Network, ipaddress.IPv6Network)):
            return FieldSpec("str")
    return ANY


def _keys(model: type[BaseModel]) -> dict[str, str]:
    """YAML key (alias or name) and attribute name -> attribute name."""
    keys: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if name == "source_positions":
            continue
        keys[name] = name
        if info.alias:
            keys[info.alias] = name
    return keys


def resolve_model_path(model: type[BaseModel], parts: Iterable[str], text: str) -> tuple[tuple[str, ...], FieldSpec]:
    """Follow attribute names through nested records; lists may only end a path."""
    attrs: list[str] = []
    spec = FieldSpec("model", model=model)
    for part in parts:
        if spec.kind != "model" or spec.model is None:
            where = "a list (use count_at_least with 'where')" if spec.kind == "list" else f"a {spec.kind}"
            raise PathError(f"'{text}': '{'.'.join(attrs)}' is {where}; it has no '{part}'")
        keys = _keys(spec.model)
        if part not in keys:
            allowed = ", ".join(sorted(k for k in keys if k == keys[k] or k not in keys.values()))
            raise PathError(f"'{text}': {spec.model.__name__} has no field '{part}' (fields: {allowed})")
        attrs.append(keys[part])
        spec = spec_of(spec.model.model_fields[keys[part]].annotation)
    return tuple(attrs), spec


def _fact(kind: str, name: str, text: str) -> FieldSpec:
    facts = FACTS.get(kind, {})
    if name not in facts:
        known = ", ".join(sorted(facts)) or "none"
        raise PathError(f"'{text}': no fact '{name}' for a {kind} (facts: {known})")
    return FieldSpec(facts[name].kind) if facts[name].kind != "list" else FieldSpec("list", item=FieldSpec("str"))


def fact_params(kind: str, res: Resolved) -> tuple[str, ...]:
    """The profile parameters (names, or stems of per-level families) a resolved built-in fact reads."""
    if res.root == "facts":
        return FACTS.get(kind, {})[res.attrs[0]].params
    if res.root == "agency_facts":
        return FACTS["agency"][res.attrs[0]].params
    if res.root == "organisation_facts":
        return FACTS["organisation"][res.attrs[0]].params
    return ()


def resolve(kind: str, text: str, namespaces: frozenset[str]) -> Resolved:
    """Check a rule's field path for an entity kind; raise `PathError` naming what is wrong."""
    parts = text.split(".")
    if any(not p for p in parts):
        raise PathError(f"'{text}': empty step in the path")
    head = parts[0]
    if head == "facts":
        if len(parts) != 2:
            raise PathError(f"'{text}': write a fact as facts.<name>")
        return Resolved("facts", (parts[1],), _fact(kind, parts[1], text), text)
    if head == "agency" and kind not in ("agency", "organisation"):
        if len(parts) == 3 and parts[1] == "facts":
            return Resolved("agency_facts", (parts[2],), _fact("agency", parts[2], text), text)
        attrs, spec = resolve_model_path(inv.Agency, parts[1:], text)
        return Resolved("agency", attrs, spec, text)
    if head == "organisation" and kind != "organisation":
        if len(parts) == 3 and parts[1] == "facts":
            return Resolved("organisation_facts", (parts[2],), _fact("organisation", parts[2], text), text)
        attrs, spec = resolve_model_path(inv.Organisation, parts[1:], text)
        return Resolved("organisation", attrs, spec, text)
    if head in namespaces:
        if len(parts) != 2:
            raise PathError(f"'{text}': write a provider fact as {head}.<name>")
        return Resolved("provider", (text,), ANY, text)
    try:
        attrs, spec = resolve_model_path(ENTITY_CLASSES[kind], parts, text)
    except PathError as exc:
        extra = "facts.<name>, agency.<field>, organisation.<field>, " if kind not in ("agency", "organisation") \
            else "facts.<name>, "
        raise PathError(f"{exc}; other roots: {extra}{', '.join(sorted(n + '.<fact>' for n in namespaces))}") \
            from None
    return Resolved("entity", attrs, spec, text)
