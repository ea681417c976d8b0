"""`secassess schema`: the inventory JSON Schema, for editors' YAML language servers."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command
from secassess.cli.targets import OutputKinds, add_output_options

KINDS = OutputKinds(("json",), ((".json", "json"),), default="json")


def configure(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser, KINDS, "the schema")


def run(args: argparse.Namespace) -> int:
    from secassess.cli.targets import deliver, plan_outputs
    from secassess.inventory.schema import inventory_json_schema

    plan = plan_outputs(args.output, args.format, KINDS)
    schema = inventory_json_schema()
    written = ", ".join(t.path for t in plan.targets if t.path is not None)
    deliver(plan, lambda fmt, colour: schema, [], quiet=True, kinds=KINDS,
            summary=lambda: f"inventory JSON Schema written to {written}")
    return 0


COMMAND = Command("schema", "print the inventory JSON Schema (for editors' YAML language servers)", configure, run)
