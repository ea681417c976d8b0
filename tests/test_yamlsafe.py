"""The strict loader: what it accepts, what it refuses, and that hostile input never escapes as a crash."""

from __future__ import annotations

import datetime as dt
import resource
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import INVENTORIES

from secassess.errors import InputError
from secassess.inventory.load import validate_inventory
from secassess.yamlsafe import LoadLimits, load_bytes, locate, strip_positions


def load(text: str) -> object:
    return strip_positions(load_bytes(text.encode("utf-8"), "t.yaml"))


def problem(text: str | bytes, limits: LoadLimits = LoadLimits()) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InputError) as caught:
        load_bytes(data, "t.yaml", limits)
    (pos, message), = caught.value.problems
    return f"{pos}: {message}"


def test_types_resolve_as_pyyaml_safe_loader_does() -> None:
    assert load("a: 1\nb: 2026-01-02\nc: yes\nd: ~\ne: '1'\nf: -0\ng: 1.5\nh: [x, 'y']\ni: ''\n") == {
        "a": 1, "b": dt.date(2026, 1, 2), "c": True, "d": None, "e": "1", "f": 0, "g": 1.5, "h": ["x", "y"],
        "i": ""}


def test_merge_keys_of_normal_size_work_and_explicit_keys_win() -> None:
    assert load("base: &b {x: 1, y: 2}\nm: {<<: *b, y: 3}\n") == {"base": {"x": 1, "y": 2}, "m": {"x": 1, "y": 3}}


def test_empty_file_is_refused() -> None:
    assert problem("\n  \n") == "t.yaml:1:1: file is empty; expected a YAML mapping"


def test_non_utf8_is_refused_at_its_byte() -> None:
    assert problem(b"a: 1\nb: caf\xe9\n") == "t.yaml:2:7: byte 0xe9 is not UTF-8; save the file as UTF-8"


def test_oversized_input_is_refused_before_parsing() -> None:
    assert problem("a: 1\n" * 100, LoadLimits(max_bytes=100)) == "t.yaml:1:1: input is over the 100-byte limit"


def test_deep_nesting_is_refused() -> None:
    assert problem("[" * 100 + "]" * 100).endswith("nesting is deeper than 64 levels")


def test_unknown_alias_is_refused() -> None:
    assert problem("a: *nope\n") == "t.yaml:1:4: alias *nope names no anchor defined before it"


def test_complex_keys_are_refused() -> None:
    assert problem("? [a, b]\n: 1\n").endswith("a mapping or list cannot be used as a key; keys are plain words")


def test_billion_laughs_refused_fast_and_small() -> None:
    data = (INVENTORIES / "invalid" / "billion_laughs.yaml").read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError):
        load_bytes(data, "lol.yaml")
    # not a timing test of speed, a guard that the refusal does not expand anything
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024


def test_locate_points_at_keys_and_list_items() -> None:
    raw = load_bytes(b"a:\n  b: [1, 2, x]\n  c:\n    - {d: 1}\n", "t.yaml")
    assert str(locate(raw, ("a", "b", 2), "t.yaml")) == "t.yaml:2:13"
    assert str(locate(raw, ("a", "c", 0, "d"), "t.yaml")) == "t.yaml:4:8"
    assert str(locate(raw, ("a", "zzz"), "t.yaml")) == "t.yaml:1:1"


VALID_TEXT = (INVENTORIES / "valid" / "references.yaml").read_text("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_inventories_fail_only_with_the_tools_own_error(data: st.DataObject) -> None:
    text = VALID_TEXT
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "duplicate-line"]))
        if action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 20)):]
        elif action == "insert":
            text = text[:at] + data.draw(st.sampled_from(
                [":", "- ", "\t", "&x ", "*x", "{", "]", "'", "\n  ", "<<: *x\n", "!!python/name:os ", "\x00",
                 "---\n", "~", "999999999999999999999", "2026-13-45", "é"])) + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            line = data.draw(st.integers(0, len(lines) - 1))
            lines.insert(line, lines[line])
            text = "".join(lines)
    try:
        raw = load_bytes(text.encode("utf-8", "surrogatepass"), "m.yaml")
        validate_inventory(raw, "m.yaml")
    except InputError as exc:
        assert exc.problems
        assert all(message for _, message in exc.problems)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(yaml_values)
def test_random_documents_validate_or_fail_cleanly(value: object) -> None:
    import json

    text = json.dumps(value, default=str)  # JSON is YAML
    try:
        raw = load_bytes(text.encode("utf-8"), "r.yaml")
        validate_inventory(raw, "r.yaml")
    except InputError as exc:
        assert exc.problems
