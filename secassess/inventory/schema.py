"""The inventory's JSON Schema (`secassess schema`), for editors' YAML language servers.

Every property carries a description (hover text): its English label, the Vietnamese label, and a note
where one helps, from `secassess/locale/labels.yaml`; the model itself stays free of display text.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from secassess.inventory import model as inventory_model
from secassess.inventory.model import Inventory
from secassess.labels import Label, field_label

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def description(label: Label) -> str:
    """`Dedicated information-security staff — Số cán bộ chuyên trách an toàn thông tin. Layer 1 ...`."""
    note = f" {label.note}" if label.note else ""
    return f"{label.en} — {label.vi}.{note}"


def inventory_models() -> dict[str, type[BaseModel]]:
    """Every record class of the inventory, by name (the schema's `$defs` keys)."""
    return {name: value for name, value in vars(inventory_model).items()
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == inventory_model.__name__
            and value is not inventory_model.Model}


def _describe(properties: dict[str, Any], model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        key = info.alias or name
        label = field_label(model, name)
        if key in properties and label is not None:
            properties[key] = {"description": description(label), **properties[key]}


def inventory_json_schema() -> str:
    """The JSON Schema of an inventory file, deterministic, every property described."""
    schema = Inventory.model_json_schema(by_alias=True, mode="validation")
    models = inventory_models()
    _describe(schema.get("properties", {}), Inventory)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            _describe(definition.get("properties", {}), models[name])
    schema = {"$schema": SCHEMA_URI, "title": "secassess inventory", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
