"""Fewer declarations never mean a better verdict: delete each optional field of the sample, in turn.

For every optional key the sample writes (grouped by its path, list indexes wildcarded: deleting
`agencies[].servers[].status` removes the status of every server at once), and for every list of one
agency alone (`agencies[3].workstations`), the sample is assessed without it and compared with the
full sample:

- no finding moves to pass, not_applicable or waived (a check may fail or lack data instead);
- no agency's score or rating, nor the province's, gets better.

A deletion that leaves a reference dangling (e.g. a device list links still name) makes the
inventory invalid: the tool refuses it with an input error, which is no verdict at all, so it cannot
be better; those paths are listed in `REJECTED` so a new one is noticed.
"""

from __future__ import annotations

import copy
import datetime as dt
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from secassess.api import assess
from secassess.assessment.catalog import load_catalog
from secassess.assessment.result import AssessmentResult, Score
from secassess.assessment.scoring import RATING_ORDER  # tốt 0 ... yếu 3: lower is better
from secassess.diagnostics import Outcome
from secassess.errors import InputError
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import LoadedInventory, validate_inventory
from secassess.inventory.model import Inventory
from secassess.yamlsafe import load_file, strip_positions

SAMPLE = Path(__file__).resolve().parents[2] / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)
Path_ = tuple[str, ...]
"""A key path with list items as "[]", e.g. ("agencies", "[]", "servers", "[]", "status")."""

NOT_FAILED = frozenset({Outcome.PASS, Outcome.NOT_APPLICABLE, Outcome.WAIVED})
"""Outcomes that count for nothing against an agency."""


def improved(was: Outcome, now: Outcome) -> bool:
    """A move to pass or not applicable, or out of a failure into a waiver (pass -> waived only lowers a score)."""
    if now is was:
        return False
    if now in (Outcome.PASS, Outcome.NOT_APPLICABLE):
        return True
    return now is Outcome.WAIVED and was not in NOT_FAILED

REJECTED = {
    ("agencies", "[]", "zones"),  # links name the zones
    ("agencies", "[]", "security_devices"),  # links name the devices
    ("agencies", "[]", "servers"),  # systems name the servers
    ("network", "zones"),  # province-wide links name them
}
"""Deletions the tool refuses (a dangling reference is an input error), wildcarded over agencies."""
AGENCY_LISTS = ("systems", "servers", "workstation_groups", "workstations", "security_devices", "zones", "zone_links")


def _annotation_model(annotation: Any) -> type[BaseModel] | None:
    """The record class inside an annotation (`X`, `X | None`, `list[X]`), if any."""
    for arg in (annotation, *typing.get_args(annotation), *(a for t in typing.get_args(annotation)
                                                             for a in typing.get_args(t))):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def optional_paths(raw: Any, model: type[BaseModel], path: Path_ = ()) -> Iterator[Path_]:
    """Every optional key the raw inventory writes, as a wildcarded path."""
    if isinstance(raw, list):
        for item in raw:
            yield from optional_paths(item, model, (*path, "[]"))
        return
    if not isinstance(raw, dict):
        return
    by_key = {(info.alias or name): info for name, info in model.model_fields.items() if name != "source_positions"}
    for key, value in raw.items():
        info = by_key.get(key)
        if info is None:
            continue
        here = (*path, key)
        if not info.is_required():
            yield here
        inner = _annotation_model(info.annotation)
        if inner is not None:
            yield from optional_paths(value, inner, here)


def deletions(raw: Any) -> list[Path_]:
    """Every optional key path (wildcarded), then every list of each agency on its own (`agencies.3.servers`)."""
    paths = sorted(set(optional_paths(raw, Inventory)))
    for index, agency in enumerate(raw["agencies"]):
        paths += [("agencies", str(index), key) for key in AGENCY_LISTS if key in agency]
    return paths


def wildcard(path: Path_) -> Path_:
    return tuple("[]" if part.isdigit() else part for part in path)


def delete(raw: Any, path: Path_) -> Any:
    """A copy of `raw` without the key at `path` (everywhere the wildcard matches, or the one list item)."""
    copied = copy.deepcopy(raw)

    def walk(node: Any, rest: Path_) -> None:
        head, tail = rest[0], rest[1:]
        if head.isdigit():
            walk(node[int(head)], tail)
        elif head == "[]":
            for item in node if isinstance(node, list) else ():
                walk(item, tail)
        elif isinstance(node, dict) and head in node:
            if tail:
                walk(node[head], tail)
            else:
                del node[head]
    walk(copied, path)
    return copied


@pytest.fixture(scope="module")
def raw() -> Any:
    return strip_positions(load_file(str(SAMPLE)))


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


def run(data: Any, catalog: Any) -> AssessmentResult:
    loaded = LoadedInventory(str(SAMPLE), validate_inventory(data, str(SAMPLE)))
    return assess(loaded, catalog=catalog, as_of=AS_OF, fact_providers=[GraphFactProvider.from_inventory(loaded)],
                  include_not_applicable=True)


def better(after: Score, before: Score) -> bool:
    """A score or rating that improved (losing a score one had hides a verdict: that counts too)."""
    if before.score is None:
        return False
    if after.score is None:
        return True
    if after.score > before.score:
        return True
    return RATING_ORDER[after.rating or "yếu"] < RATING_ORDER[before.rating or "yếu"]


def test_the_sample_writes_many_optional_fields(raw: Any) -> None:
    paths = set(optional_paths(raw, Inventory))
    assert len(paths) > 150
    assert ("agencies", "[]", "systems") in paths
    assert ("agencies", "[]", "servers", "[]", "services", "[]", "exposure") in paths


def test_deleting_any_field_never_improves_a_verdict(raw: Any, catalog: Any) -> None:
    base = run(raw, catalog)
    before = {(f.check, f.entity): f.outcome for f in base.findings}
    scores = {a.agency: a.overall for a in base.agencies}
    problems: list[str] = []
    rejected: set[Path_] = set()
    for path in deletions(raw):
        try:
            result = run(delete(raw, path), catalog)
        except InputError:
            rejected.add(wildcard(path))
            continue
        name = ".".join(path).replace(".[]", "[]")
        for f in result.findings:
            was = before.get((f.check, f.entity))
            if was is not None and improved(was, f.outcome):
                problems.append(f"{name}: {f.check} on {f.entity} went {was.value} -> {f.outcome.value}")
        for agency in result.agencies:
            if better(agency.overall, scores[agency.agency]):
                problems.append(f"{name}: agency {agency.agency} improved {scores[agency.agency].score} "
                                f"{scores[agency.agency].rating} -> {agency.overall.score} {agency.overall.rating}")
        if better(result.province, base.province):
            problems.append(f"{name}: the province improved {base.province.score} -> {result.province.score}")
    assert not problems, "\n".join(problems[:40]) + (f"\n... {len(problems)} in all" if len(problems) > 40 else "")
    assert rejected <= REJECTED, f"deletions the tool now refuses: {sorted(rejected - REJECTED)}"
