"""Run one check on a minimal inventory built from an example fragment."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from secassess.assessment.catalog import Catalog, load_catalog
from secassess.assessment.engine import Evaluator
from secassess.assessment.entities import ENTITY_MODELS, iter_entities
from secassess.assessment.result import Finding
from secassess.inventory.load import LoadedInventory, validate_inventory
from secassess.yamlsafe import load_file, strip_positions

EXAMPLES = Path(__file__).parent / "examples"
AS_OF = dt.date(2026, 11, 22)
_CATALOG: dict[str, Catalog] = {}


def catalog() -> Catalog:
    """The shipped catalog plus the example province checklist, loaded once."""
    if "c" not in _CATALOG:
        _CATALOG["c"] = load_catalog([Path(__file__).parents[2] / "checklists" / "province"])
    return _CATALOG["c"]


def all_examples() -> dict[str, dict[str, Any]]:
    """Check id → its example entry, from every example file."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        for key, value in strip_positions(load_file(str(path))).items():
            if key != "defs":
                assert key not in found, f"{key} has examples in two files"
                found[key] = value
    return found


def build(fragment: dict[str, Any]) -> dict[str, Any]:
    """A whole inventory: the fragment's organisation and agency, the entity first in its list."""
    agency = {"id": "a1", "name": "Agency", "kind": "department", **fragment.get("agency", {})}
    for kind, attr in ENTITY_MODELS.items():
        if kind in fragment:
            agency[attr] = [fragment[kind], *agency.get(attr, [])]
    return {"organisation": {"name": "Tinh", "code": "t", **fragment.get("organisation", {})},
            "network": fragment.get("network", {}), "agencies": [agency]}


def run(check_id: str, fragment: dict[str, Any], profile: str = "luat116") -> Finding:
    """The finding of one check on the fragment's target entity."""
    chosen = catalog().profile(profile)
    check = next(c for c in chosen.checks if c.info.id == check_id)
    kind = check.info.entity
    loaded = LoadedInventory("example.yaml", validate_inventory(build(fragment), "example.yaml"))
    target = next(e.name for e in iter_entities(loaded.inventory) if e.kind == kind
                  and (kind in ("agency", "organisation") or kind in fragment or e.agency is None))
    only = dataclasses.replace(chosen, checks=(check,))
    findings, _ = Evaluator(loaded, only, AS_OF).run()
    return next(f for f in findings if f.entity == target)
