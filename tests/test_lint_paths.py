"""`paths_at` names every key of an inventory as a plain walk of the whole tree would, however few are asked."""

from __future__ import annotations

import random
from typing import Any

from support import REPO

from secassess.errors import SourcePos
from secassess.inventory.load import validate_inventory
from secassess.lint.paths import paths_at
from secassess.yamlsafe import POS_KEY, load_file, unpack


def every_key(node: Any, path: str = "") -> dict[tuple[int, int], str]:
    """Reference: (line, column) -> path of every key, by visiting everything."""
    found: dict[tuple[int, int], str] = {}
    if isinstance(node, list):
        for index, item in enumerate(node):
            name = next((f"{k}={item[k]}" for k in ("id", "hostname") if isinstance(item, dict) and k in item),
                        str(index))
            found |= every_key(item, f"{path}[{name}]")
    elif isinstance(node, dict):
        for key, packed in node[POS_KEY].keys.items():
            where = f"{path}.{key}" if path else key
            if isinstance(key, tuple):
                where = f"{path}.{key[0]}[{key[1]}]" if path else f"{key[0]}[{key[1]}]"
            found.setdefault(unpack(packed), where)
        for key, value in node.items():
            if key != POS_KEY:
                found |= every_key(value, f"{path}.{key}" if path else key)
    return found


def test_every_key_of_the_sample_is_named_from_the_raw_tree_and_from_the_models() -> None:
    path = str(REPO / "sample_inventory.yaml")
    raw = load_file(path)
    expected = every_key(raw)
    assert len(expected) > 1000
    places = [SourcePos(path, line, column) for line, column in expected]
    assert paths_at(raw, places) == expected
    assert paths_at(validate_inventory(raw, path), places) == expected
    for place in random.Random(12).sample(places, 25):  # one at a time: the pruned walk still finds it
        assert paths_at(raw, [place]) == {(place.line, place.column): expected[(place.line, place.column)]}


def test_places_that_are_not_keys_are_left_out() -> None:
    path = str(REPO / "sample_inventory.yaml")
    raw = load_file(path)
    assert paths_at(raw, [SourcePos(path, 1, 1), SourcePos(path, 10**6, 1)]) == {}
    assert paths_at(raw, []) == {}
