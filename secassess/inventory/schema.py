"""The inventory's JSON Schema (`secassess schema`), for editors' YAML language servers."""

from __future__ import annotations

import json

from secassess.inventory.model import Inventory

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def inventory_json_schema() -> str:
    """The JSON Schema of an inventory file, deterministic."""
    schema = Inventory.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": SCHEMA_URI, "title": "secassess inventory", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
