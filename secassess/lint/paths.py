"""Name a place in an inventory by its path of keys instead of its line.

A lint result keeps its name when lines move, so code-scanning dashboards do not see it as a new alert:
`agencies[id=stp].servers[hostname=stp-app01].zone`. List items are named by their `id` or `hostname`
where they have one (so inserting an item above does not rename the ones below), else by their index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from secassess.errors import SourcePos
from secassess.yamlsafe import POS_KEY, Positions, pack

NAMING_KEYS = ("id", "hostname")
"""Keys that name a list item, tried in this order."""


def paths_at(tree: Any, places: Iterable[SourcePos]) -> dict[tuple[int, int], str]:
    """The path of each place (line, column) that is a key, or the start of a mapping, in `tree`.

    `tree` is a loaded YAML tree or the models validated from it. Where a key and a mapping start at the
    same place (the first key of a list item), the key wins. Places found nowhere are left out.
    """
    wanted = {pack(place.line - 1, place.column - 1): (place.line, place.column) for place in places}
    if not wanted:
        return {}
    at_key: dict[int, str] = {}
    at_start: dict[int, str] = {}
    todo: list[tuple[Any, str]] = [(tree, "")]
    while todo:
        node, path = todo.pop()
        if isinstance(node, list):
            todo.extend((item, f"{path}[{_item_name(item, index)}]") for index, item in enumerate(node))
            continue
        positions = _positions(node)
        if positions is not None:
            if positions.start in wanted:
                at_start.setdefault(positions.start, path)
            for key, packed in positions.keys.items():
                if packed in wanted:
                    at_key.setdefault(packed, _key_path(path, key))
        todo.extend((child, _join(path, key)) for key, child in _children(node))
    return {wanted[packed]: path for packed, path in (at_start | at_key).items()}


def _positions(node: Any) -> Positions | None:
    found = node.get(POS_KEY) if isinstance(node, dict) else getattr(node, "source_positions", None)
    return found if isinstance(found, Positions) else None


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
