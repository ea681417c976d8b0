"""Labels of inventory fields, facts, codes and entity kinds, in Vietnamese and English.

The data is `secassess/locale/labels.yaml`. Reports show a field by its label instead of its path
(`layers.on_site.dedicated_staff` -> "Số cán bộ chuyên trách an toàn thông tin"); `secassess schema` gives
every inventory property its English label, note and Vietnamese label as the description editors show.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from secassess.errors import EnvironmentFailure

LABELS_FILE = Path(__file__).resolve().parent / "locale" / "labels.yaml"
ENTRY_KEYS = frozenset({"en", "vi", "note", "values"})


@dataclass(frozen=True, slots=True)
class Label:
    en: str
    vi: str
    note: str = ""
    """A longer English explanation (schema descriptions)."""
    values: str = ""
    """For a fact holding codes: the enum class whose value labels apply."""

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Labels:
    fields: Mapping[str, Mapping[str, Label]]
    """Model class name -> field name -> label."""
    facts: Mapping[str, Label]
    provided: Mapping[str, Label]
    """`graph.<name>`, `scan.<name>` -> label."""
    values: Mapping[str, Mapping[str, Label]]
    """Enum class name -> value -> label."""
    entities: Mapping[str, Label]
    parameters: Mapping[str, Label]
    """Profile parameter -> label."""


def _label(raw: Any, where: str) -> Label:
    if not isinstance(raw, dict) or not {"en", "vi"} <= set(raw) or not set(raw) <= ENTRY_KEYS or \
            not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise EnvironmentFailure(f"{LABELS_FILE}: {where}: expected {{en: text, vi: text}} (optionally note, "
                                 f"values), got {raw!r}; reinstall secassess")
    return Label(raw["en"], raw["vi"], raw.get("note", ""), raw.get("values", ""))


def _table(raw: Any, where: str) -> dict[str, Label]:
    if not isinstance(raw, dict):
        raise EnvironmentFailure(f"{LABELS_FILE}: {where}: expected a mapping; reinstall secassess")
    return {str(k): _label(v, f"{where}.{k}") for k, v in raw.items() if not str(k).startswith("__")}


@cache
def labels() -> Labels:
    """The shipped labels (read once)."""
    from secassess.errors import InputError
    from secassess.yamlsafe import load_file, strip_positions

    try:
        raw = strip_positions(load_file(str(LABELS_FILE)))
    except InputError as exc:
        raise EnvironmentFailure(f"the shipped labels are damaged ({exc.message}); reinstall secassess") from None
    return Labels({str(k): _table(v, f"fields.{k}") for k, v in raw["fields"].items()},
                  _table(raw["facts"], "facts"), _table(raw["provided"], "provided"),
                  {str(k): _table(v, f"values.{k}") for k, v in raw["values"].items()},
                  _table(raw["entities"], "entities"), _table(raw["parameters"], "parameters"))


def parameter_label(name: str, lang: str) -> str:
    """A profile parameter as reports name it (its name when it has no label: a province's own parameter)."""
    found = labels().parameters.get(name)
    return name if found is None else found.text(lang)


def field_label(model: type[BaseModel], name: str) -> Label | None:
    """The label of one field of an inventory model class."""
    return labels().fields.get(model.__name__, {}).get(name)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The record class behind a field annotation (`X | None`, `list[X]`, `Annotated[X, ...]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _enum_of(annotation: Any) -> str:
    import enum

    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation.__name__
    if typing.get_origin(annotation) is typing.Literal:
        return "Exposure"
    for arg in typing.get_args(annotation):
        found = _enum_of(arg)
        if found:
            return found
    return ""


@dataclass(frozen=True, slots=True)
class PathLabel:
    """What a field path of a rule names: its label and, for codes, their enum class."""

    label: Label
    values: str = ""


ROOT_MODELS = {"agency": "Agency", "organisation": "Organisation"}
IN_CONTEXT = frozenset({"Contact"})
"""Records whose field labels need their owner's ("Email" -> "Incident reporting contact: email")."""


STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]*)\])?(?:\.|$)")
"""One step of a path: a field name, optionally with a selector (`servers[web01.x.vn]`, `systems[]`)."""


def _steps(text: str) -> list[tuple[str, str]] | None:
    """`servers[web01].anti_malware.licensed` -> [("servers", "web01"), ("anti_malware", ""), ("licensed", "")]."""
    steps, at = [], 0
    while at < len(text):
        match = STEP.match(text, at)
        if match is None or match.end() == at:
            return None
        steps.append((match.group(1), match.group(2) or ""))
        at = match.end()
    return steps or None


def _field(model: type[BaseModel], name: str) -> str | None:
    """The field `name` of `model`, by its name or its YAML alias (`from` -> `from_zone`)."""
    if name in model.model_fields:
        return name
    return next((f for f, info in model.model_fields.items() if info.alias == name), None)


def path_label(kind: str, path: str) -> PathLabel | None:
    """The label of a rule's field path read on an entity of `kind` (None when the path names nothing known).

    Paths: `a.b.c` over the entity's record, `facts.x`, `agency.…`/`organisation.…` (records or their
    `facts.x`), `graph.x`/`scan.x`; a trailing ` (count)`/` (matching)` (what count rules record) is dropped.
    Facts to collect may also name list items (`servers[web01].status`, `systems[].servers`; the label then
    ends with the items named, "(web01)") and inventory-wide fields (`network.links`, `agencies[x].zone_links`).
    """
    from secassess.assessment.fields import ENTITY_CLASSES
    from secassess.inventory import model as inventory_model

    table = labels()
    text = path.split(" (", 1)[0]
    parts = text.split(".")
    if text in table.provided:
        found = table.provided[text]
        return PathLabel(found, found.values)
    if parts[0] in ("agency", "organisation") and kind not in ("agency", "organisation") and len(parts) > 1:
        start: type[BaseModel] = getattr(inventory_model, ROOT_MODELS[parts[0]])
        text = text.split(".", 1)[1]
        parts = parts[1:]
    elif kind in ENTITY_CLASSES:
        start = ENTITY_CLASSES[kind]
    else:
        return None
    if parts[0] == "facts" and len(parts) == 2:
        fact = table.facts.get(parts[1])
        return PathLabel(fact, fact.values) if fact is not None else None
    steps = _steps(text)
    if steps is None:
        return None
    if _field(start, steps[0][0]) is None:  # a field of the owning agency's (`systems[].servers` on a server),
        start = next((m for m in (inventory_model.Agency, inventory_model.Inventory)  # or of the whole inventory
                      if _field(m, steps[0][0]) is not None), start)
    model: type[BaseModel] | None = start
    owner: Label | None = None
    every: Label | None = None
    """The list a `[]` step goes through: the label then says whose field it is."""
    for step, selector in steps[:-1]:
        name = _field(model, step) if model is not None else None
        owner = field_label(model, name) if model is not None and name is not None else None
        model = _model_of(model.model_fields[name].annotation) if model is not None and name is not None else None
        if step + "[]" in text and not selector:
            every = owner
    last = _field(model, steps[-1][0]) if model is not None else None
    if model is None or last is None:
        return None
    label = field_label(model, last)
    if label is None:
        return None
    if model.__name__ in IN_CONTEXT and owner is not None:
        label = Label(f"{owner.en}: {lower_first(label.en)}", f"{owner.vi}: {lower_first(label.vi)}")
    elif every is not None:
        label = Label(f"{every.en}: {lower_first(label.en)}", f"{every.vi}: {lower_first(label.vi)}")
    named = [(step, selector) for step, selector in steps if selector]
    if named:
        label = Label(f"{label.en} ({_items(named, 'en')})", f"{label.vi} ({_items(named, 'vi')})")
    return PathLabel(label, _enum_of(model.model_fields[last].annotation))


LIST_ITEMS = {"servers": "server", "workstations": "workstation", "workstation_groups": "workstation_group",
              "security_devices": "security_device", "systems": "system", "zones": "zone"}
"""Lists whose items a path may select, and the entity kind that names an item (`servers[web01]`: server web01)."""


def _items(named: list[tuple[str, str]], lang: str) -> str:
    return ", ".join(f"{entity_label(LIST_ITEMS[step], lang)} {selector}" if step in LIST_ITEMS else selector
                     for step, selector in named)


def lower_first(text: str) -> str:
    """`Thư điện tử` -> `thư điện tử`; an acronym (`IPS`) stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def value_label(enum_name: str, value: str, lang: str) -> str:
    """A code's label (`firewall` -> "tường lửa"), or the code itself when it has none."""
    found = labels().values.get(enum_name, {}).get(value)
    return found.text(lang) if found is not None else value


def entity_label(kind: str, lang: str) -> str:
    found = labels().entities.get(kind)
    return found.text(lang) if found is not None else kind
