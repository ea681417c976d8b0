"""Name a place in an inventory by its path of keys instead of its line.

A lint result keeps its name when lines move, so code-scanning dashboards do not see it as a new alert:
`agencies[id=stp].servers[hostname=stp-app01].zone`. List items are named by their `id` or `hostname`
where they have one (so inserting an item above does not rename the ones below), else by their index.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from secassess.errors import SourcePos
from secassess.yamlsafe import POS_KEY, Positions, pack

_T = TypeVar("_T")

NAMING_KEYS = ("id", "hostname")
"""Keys that name a list item, tried in this order."""


def paths_at(tree: Any, places: Iterable[SourcePos]) -> dict[tuple[int, int], str]:
    """The path of each place (line, column) that is a key, or the start of a mapping, in `tree`.

    `tree` is a loaded YAML tree or the models validated from it. Where a key and a mapping start at the
    same place (the first key of a list item), the key wins. Places found nowhere are left out. Only the
    branches whose text holds a wanted place are walked, so a few problems cost little at province scale.
    """
    wanted = {pack(place.line - 1, place.column - 1): (place.line, place.column) for place in places}
    at_key: dict[int, str] = {}
    at_start: dict[int, str] = {}
    todo: list[tuple[Any, str, list[int]]] = [(tree, "", sorted(wanted))] if wanted else []
    while todo:
        node, path, targets = todo.pop()
        if isinstance(node, list):
            items = [(item, index, _start(item)) for index, item in enumerate(node)
                     if isinstance(item, (dict, list, BaseModel))]
            todo.extend((item, f"{path}[{_item_name(item, index)}]", inside) for item, index, inside
                        in _divide(targets, items, sorted(start for _, _, start in items if start is not None)))
            continue
        positions = _positions(node)
        if positions is None:
            todo.extend((child, _join(path, key), targets) for key, child in _children(node))
            continue
        if positions.start in wanted:
            at_start.setdefault(positions.start, path)
        for key, packed in positions.keys.items():
            if packed in wanted:
                at_key.setdefault(packed, _key_path(path, key))
        children = [(child, _join(path, key), positions.keys.get(key)) for key, child in _children(node)]
        todo.extend(_divide(targets, children, sorted(positions.keys.values())))
    return {wanted[packed]: path for packed, path in (at_start | at_key).items()}


def _divide(targets: list[int], children: list[tuple[Any, _T, int | None]],
            boundaries: list[int]) -> Iterator[tuple[Any, _T, list[int]]]:
    """Each child with the wanted places written inside it: from where it starts to where its next sibling does.

    A child whose place is unknown (built in code) gets them all.
    """
    for child, name, start in children:
        if start is None:
            yield child, name, targets
            continue
        following = bisect.bisect_right(boundaries, start)
        first = bisect.bisect_left(targets, start)
        end = bisect.bisect_left(targets, boundaries[following]) if following < len(boundaries) else len(targets)
        if first < end:
            yield child, name, targets[first:end]


def _positions(node: Any) -> Positions | None:
    found = node.get(POS_KEY) if isinstance(node, dict) else getattr(node, "source_positions", None)
    return found if isinstance(found, Positions) else None


def _start(node: Any) -> int | None:
    positions = _positions(node)
    return positions.start if positions is not None else None


def _children(node: Any) -> Iterator[tuple[Any, Any]]:
    """(key, value) of the containers held by a mapping or a model, keyed as in the YAML."""
    if isinstance(node, dict):
        items: Iterable[tuple[Any, Any]] = ((k, v) for k, v in node.items() if k != POS_KEY)
    elif isinstance(node, BaseModel):
        items = ((info.alias or name, getattr(node, name)) for name, info in type(node).model_fields.items()
                 if info.alias != POS_KEY)
    else:
        return
    for key, value in items:
        if isinstance(value, (dict, list, BaseModel)):
            yield key, value


def _item_name(item: Any, index: int) -> str:
    for key in NAMING_KEYS:
        value = item.get(key) if isinstance(item, dict) else getattr(item, key, None)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return f"{key}={value}"
    return str(index)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _key_path(path: str, key: Any) -> str:
    """Positions record scalar list items under (list key, index)."""
    if isinstance(key, tuple) and len(key) == 2:
        return f"{_join(path, key[0])}[{key[1]}]"
    return _join(path, key)
