"""Which entities and agencies were renamed rather than removed and added.

Only rules that cannot pair two different things are used, and only when the pairing is one to one:
- an agency: an id gone and an id new with the same official name (Vietnamese and English);
- an information system: in the same agency, an id gone and an id new with the same name;
- any other entity (server, workstation, device, workstation group, zone link): in the same agency and of
  the same kind, exactly one gone and one new, written at the same place (file and line) of the inventory,
  which is what editing a hostname in place gives. An entity moved in the file and renamed is reported as
  removed and added: a missed rename costs a longer list, a wrong one would hide a removal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from secassess.assessment.result import AgencyResult, Finding
from secassess.history.model import Rename

T = TypeVar("T")


def one_to_one(gone: Iterable[T], new: Iterable[T], key: Callable[[T], Hashable | None]) -> list[tuple[T, T]]:
    """Pairs (gone, new) whose key is equal and held by exactly one item on each side (None never pairs)."""
    def groups(items: Iterable[T]) -> dict[Hashable, list[T]]:
        found: dict[Hashable, list[T]] = {}
        for item in items:
            k = key(item)
            if k is not None:
                found.setdefault(k, []).append(item)
        return found

    left, right = groups(gone), groups(new)
    return [(left[k][0], right[k][0]) for k in left if k in right and len(left[k]) == 1 and len(right[k]) == 1]


def entity_kind(name: str) -> str:
    """`agency:x/server:web01` -> "server"; "agency" for the agency itself."""
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def _places(findings: Iterable[Finding], inventory: str) -> dict[str, tuple[str, str, int] | None]:
    """Each entity's place (file, kind, line), None when its findings disagree; the file is "" for the
    inventory itself (whatever its name in each result), else its base name."""
    places: dict[str, tuple[str, str, int] | None] = {}
    for f in findings:
        if f.location is None:
            here = None
        else:
            file = "" if f.location.file == inventory else os.path.basename(f.location.file)
            here = (file, f.kind, f.location.line)
        if f.entity in places and places[f.entity] != here:
            places[f.entity] = None
        else:
            places.setdefault(f.entity, here)
    return places


def entity_renames(old: AgencyResult | None, new: AgencyResult | None, gone: set[str], added: set[str],
                   inventories: tuple[str, str] = ("", ""),
                   carry: Callable[[str], str] = lambda name: name) -> list[Rename]:
    """Renamed entities of one agency among those `gone` from and `added` to it (`inventories`: the inventory
    path each result names, which its locations use; `carry`: an old entity name as named under the new
    agency id, in which `gone` is given)."""
    if old is None or new is None or not gone or not added:
        return []
    renames: list[Rename] = []
    old_systems = {carry(f"agency:{old.id}/system:{s.id}"): s.name for s in old.details.systems}
    new_systems = {f"agency:{new.id}/system:{s.id}": s.name for s in new.details.systems}
    for before, after in one_to_one(sorted(e for e in gone if e in old_systems),
                                    sorted(e for e in added if e in new_systems),
                                    lambda e: old_systems.get(e) or new_systems.get(e)):
        renames.append(Rename("system", before, after, "same system name"))
    paired = {r.old for r in renames} | {r.new for r in renames}
    old_places = {carry(e): p for e, p in _places(old.findings, inventories[0]).items()}
    new_places = _places(new.findings, inventories[1])

    def place(entity: str) -> tuple[str, str, int] | None:
        where = old_places.get(entity) if entity in gone else new_places.get(entity)
        return None if where is None or where[1] in ("agency", "system") else where

    by_kind: dict[str, tuple[list[str], list[str]]] = {}
    for entity in sorted(gone - paired):
        by_kind.setdefault(entity_kind(entity), ([], []))[0].append(entity)
    for entity in sorted(added - paired):
        by_kind.setdefault(entity_kind(entity), ([], []))[1].append(entity)
    for kind, (left, right) in sorted(by_kind.items()):
        if len(left) == 1 and len(right) == 1:
            renames.extend(Rename(kind, b, a, "same place in the inventory") for b, a in one_to_one(left, right, place))
    return renames


def agency_renames(gone: Mapping[str, tuple[str, str]], added: Mapping[str, tuple[str, str]]) -> list[Rename]:
    """Renamed agencies: `gone` and `added` map an id to its (official name, English name)."""
    pairs = one_to_one(sorted(gone), sorted(added), lambda a: gone.get(a) or added.get(a))
    return [Rename("agency", before, after, "same official name") for before, after in pairs]
