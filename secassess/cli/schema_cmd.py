"""`secassess schema`: the inventory JSON Schema, for editors' YAML language servers."""

from __future__ import annotations

import argparse
import json

from secassess.cli.common import Command
from secassess.inventory.model import Inventory
from secassess.outputs import emit

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def inventory_json_schema() -> str:
    """The JSON Schema of an inventory file, deterministic."""
    schema = Inventory.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": SCHEMA_URI, "title": "secassess inventory", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    emit(inventory_json_schema(), args.output)
    return 0


COMMAND = Command("schema", "print the inventory JSON Schema (for editors' YAML language servers)", configure, run)
