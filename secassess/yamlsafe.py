"""Strict, position-keeping YAML loading: the only module that imports PyYAML.

The document is built straight from libyaml's event stream (no node tree), which is several times
faster and far smaller than `yaml.load(..., CSafeLoader)`. On the way it refuses what an inventory
must never contain: duplicate keys, alias "bombs", unsafe tags, several documents, nesting deeper
than any real inventory. Every mapping gets a hidden `POS_KEY` entry holding its own position and
the position of each key, so later stages can point at `file:line:column` without re-reading.
"""

from __future__ import annotations

import datetime
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events as ev

from secassess.errors import InputError, SourcePos
from secassess.heap import collector_paused
from secassess.textsafe import quoted

try:  # libyaml's C parser when present (it is in PyPI wheels), else the pure-Python one.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: bytes) -> None:
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)


POS_KEY = "__pos__"
"""Key under which each loaded mapping keeps its `Positions`."""

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
_COL_BITS = 20
_COL_MASK = (1 << _COL_BITS) - 1

_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_Y}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_MAX_INT_DIGITS = 4300
"""Python's limit on converting decimal text to int; a longer integer is refused, not a crash."""
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_BOOLS: dict[str, bool] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_SPECIAL = frozenset((*_BOOLS, *_NULLS))
_TAG_REFUSED = "tag {} is not allowed; remove it (inventories use plain YAML)"
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def pack(line: int, column: int) -> int:
    """Pack a 0-based libyaml mark into one int (memory matters at 100k assets)."""
    return (line << _COL_BITS) | (column & _COL_MASK)


def unpack(packed: int) -> tuple[int, int]:
    """1-based (line, column) of a packed mark."""
    return (packed >> _COL_BITS) + 1, (packed & _COL_MASK) + 1


@dataclass(slots=True)
class Positions:
    """Where a mapping starts, and where each of its keys (and scalar list items) stand."""

    start: int
    keys: dict[Any, int]


@dataclass(frozen=True)
class LoadLimits:
    """Hostile-input guards; the defaults fit a national-scale inventory."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = MAX_DEPTH
    alias_expansion_factor: int = 10
    alias_expansion_floor: int = 100_000


def load_file(path: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Read and parse one YAML file strictly; raise `InputError` with a place for any problem."""
    display = path
    try:
        size = os.stat(path).st_size
        if size > limits.max_bytes:
            raise InputError([(SourcePos(display, 1, 1),
                               f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; "
                               "split it or raise the limit with --max-bytes")])
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except IsADirectoryError:
        raise InputError([(None, f"{display}: is a directory, expected a YAML file")]) from None
    except FileNotFoundError:
        raise InputError([(None, f"{display}: no such file")]) from None
    except OSError as exc:
        raise InputError([(None, f"{display}: cannot read: {exc.strerror}")]) from None
    return load_bytes(data, display, limits)


def load_bytes(data: bytes, name: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Parse YAML bytes (UTF-8) strictly into plain dicts/lists/scalars with positions."""
    if len(data) > limits.max_bytes:
        raise InputError([(SourcePos(name, 1, 1), f"input is over the {limits.max_bytes:,}-byte limit")])
    _check_utf8(data, name)
    if not data.strip():
        raise InputError([(SourcePos(name, 1, 1), "file is empty; expected a YAML mapping")], "yaml")
    try:
        with collector_paused():  # the build allocates millions of acyclic objects: collecting mid-way is pure cost
            return _Builder(name, limits).build(_Parser(data))
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(exc, name, data)], "yaml") from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_reader_problem(exc, name, data)], "yaml") from None
    except yaml.YAMLError as exc:
        raise InputError([(SourcePos(name, 1, 1), f"not valid YAML: {exc}")], "yaml") from None


def _check_utf8(data: bytes, name: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([(SourcePos(name, line, column),
                           f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8")]) from None


_HINTS = (
    ("'\\t'", "YAML indentation must use spaces, not tabs; replace the tab with spaces"),
    ("mapping values are not allowed", "a value holds an unquoted ': '; quote the value or fix the indentation"),
    ("expected <block end>", "the indentation is inconsistent; align the keys of one mapping"),
    ("could not find expected ':'", "a key lacks its ':' or a quoted string is not closed"),
)


def _reader_problem(exc: yaml.reader.ReaderError, name: str, data: bytes) -> tuple[SourcePos, str]:
    """A character YAML does not allow (NUL, other control characters), at its real line and column."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    text = data.decode("utf-8")
    index = text.find(character)
    if index < 0:
        return SourcePos(name, 1, 1), f"not valid YAML: {exc.reason}"
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return SourcePos(name, line, column), (f"the control character U+{ord(character):04X} is not allowed in YAML; "
                                           "remove it (write it as an escape in a double-quoted string if needed)")


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, data: bytes) -> tuple[SourcePos, str]:
    mark = exc.problem_mark or exc.context_mark
    pos = SourcePos(name, mark.line + 1, mark.column + 1) if mark else SourcePos(name, 1, 1)
    what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    if mark is not None:
        lines = data.split(b"\n", mark.line + 1)
        if len(lines) > mark.line and b"\t" in lines[mark.line][: mark.column + 1]:
            what += " '\\t'"
    hint = next((h for needle, h in _HINTS if needle in what), "fix the YAML syntax here")
    return pos, f"YAML syntax error: {what}; {hint}"


class _Frame:
    __slots__ = ("anchor", "container", "is_map", "key", "key_packed", "merges", "positions", "start_count")

    def __init__(self, container: Any, positions: Positions | None, anchor: str | None, count: int) -> None:
        self.container = container
        self.positions = positions
        self.is_map = positions is not None
        self.key: Any = _NO_KEY
        self.key_packed = 0
        self.anchor = anchor
        self.start_count = count
        self.merges: list[tuple[Any, int]] | None = None


_NO_KEY = object()
_MERGE = object()


class _Builder:
    def __init__(self, name: str, limits: LoadLimits) -> None:
        self.name = name
        self.limits = limits
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0  # nodes as if every alias were copied out
        self.real = 0  # nodes actually in the file

    def error(self, mark: Any, message: str) -> InputError:
        return InputError([(SourcePos(self.name, mark.line + 1, mark.column + 1), message)], "yaml")

    def build(self, parser: Any) -> Any:
        stack: list[_Frame] = []
        root: Any = _NO_KEY
        documents = 0
        scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
        map_start, map_end = ev.MappingStartEvent, ev.MappingEndEvent
        seq_start, seq_end = ev.SequenceStartEvent, ev.SequenceEndEvent
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is scalar_event:
                self.real += 1
                self.expanded += 1
                raw = event.value
                if event.tag is None and event.implicit[0] and raw and raw[0].isalpha() and raw not in _SPECIAL:
                    value: Any = raw  # the common case: a plain word
                else:
                    value = self.scalar(event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                if stack:
                    frame = stack[-1]
                    if frame.is_map and frame.key is not _NO_KEY and frame.key is not _MERGE:
                        mark = event.start_mark
                        frame.container[frame.key] = value
                        frame.positions.keys[frame.key] = frame.key_packed  # type: ignore[union-attr]
                        frame.key = _NO_KEY
                        continue
                    if frame.is_map and type(value) is str and value not in frame.container and value != "<<" \
                            and value != POS_KEY:
                        mark = event.start_mark
                        frame.key = value
                        frame.key_packed = (mark.line << _COL_BITS) | (mark.column & _COL_MASK)
                        continue
                root = self.add(stack, value, event, root)
            elif kind is map_start or kind is seq_start:
                self.check_tag(event, f"{_Y}map" if kind is map_start else f"{_Y}seq")
                if len(stack) >= self.limits.max_depth:
                    raise self.error(event.start_mark, f"nesting is deeper than {self.limits.max_depth} levels")
                self.real += 1
                self.expanded += 1
                mark = event.start_mark
                if kind is map_start:
                    positions = Positions(pack(mark.line, mark.column), {})
                    frame = _Frame({POS_KEY: positions}, positions, event.anchor, self.expanded)
                else:
                    frame = _Frame([], None, event.anchor, self.expanded)
                frame.key_packed = pack(mark.line, mark.column)
                stack.append(frame)
            elif kind is map_end or kind is seq_end:
                frame = stack.pop()
                if frame.merges:
                    self.merge(frame, event)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.container, self.expanded - frame.start_count + 1)
                root = self.add(stack, frame.container, event, root, frame.key_packed)
            elif kind is alias_event:
                try:
                    value, size = self.anchors[event.anchor]
                except KeyError:
                    raise self.error(event.start_mark,
                                     f"alias *{event.anchor[:80]} names no anchor defined before it") from None
                self.real += 1
                self.expanded += size
                budget = self.limits.alias_expansion_factor * self.real + self.limits.alias_expansion_floor
                if self.expanded > budget:
                    raise self.error(event.start_mark,
                                     f"aliases expand this document past {budget:,} nodes (a 'billion laughs' "
                                     "file?); write the data out instead of nesting aliases")
                root = self.add(stack, value, event, root)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.error(event.start_mark, "a second YAML document ('---') starts here; "
                                                       "an inventory is a single document")
            elif kind is ev.StreamEndEvent:
                break
        if root is _NO_KEY:
            raise InputError([(SourcePos(self.name, 1, 1), "file holds no YAML document")], "yaml")
        return root

    def add(self, stack: list[_Frame], value: Any, event: Any, root: Any, packed: int | None = None) -> Any:
        if not stack:
            return value
        frame = stack[-1]
        mark = event.start_mark
        if packed is None:
            packed = pack(mark.line, mark.column)
        container = frame.container
        if not frame.is_map:
            if frame.positions is None and not isinstance(value, (dict, list)):
                parent = stack[-2] if len(stack) > 1 else None
                if parent is not None and parent.is_map and parent.key is not _NO_KEY:
                    parent.positions.keys[(parent.key, len(container))] = packed  # type: ignore[union-attr]
            container.append(value)
            return root
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.error(mark, "a mapping or list cannot be used as a key; keys are plain words")
            if value == "<<" and type(event) is ev.ScalarEvent and event.implicit[0] and event.tag is None:
                value = _MERGE
            elif value == POS_KEY:
                raise self.error(mark, f"the key {POS_KEY!r} is reserved; rename it")
            elif value in container:
                first = unpack(frame.positions.keys[value])  # type: ignore[union-attr]
                raise self.error(mark, f"duplicate key {quoted(value)} (first defined at line {first[0]}, "
                                       f"column {first[1]}); remove one of them")
            frame.key = value
            frame.key_packed = packed
            return root
        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE:
            if frame.merges is None:
                frame.merges = []
            frame.merges.append((value, packed))
        else:
            container[key] = value
            frame.positions.keys[key] = frame.key_packed  # type: ignore[union-attr]
        return root

    def merge(self, frame: _Frame, event: Any) -> None:
        """Apply `<<` merges: explicit keys win, then earlier merged mappings win."""
        container, keys = frame.container, frame.positions.keys  # type: ignore[union-attr]
        for value, packed in frame.merges or ():
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    line, column = unpack(packed)
                    raise InputError([(SourcePos(self.name, line, column),
                                       "'<<' merges only mappings (or a list of them)")])
                source_keys = source[POS_KEY].keys
                for key, item in source.items():
                    if key not in container:
                        container[key] = item
                        keys[key] = source_keys.get(key, packed)

    def check_tag(self, event: Any, allowed: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != allowed:
            raise self.error(event.start_mark, _TAG_REFUSED.format(quoted(tag)))

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:
                return value  # quoted
        elif tag == "!":
            return value
        elif tag not in _SCALAR_TAGS:
            raise self.error(event.start_mark, _TAG_REFUSED.format(quoted(tag)))
        else:
            if tag in (f"{_Y}int", f"{_Y}float") and not (tag.endswith("int") and _INT_RE.match(value)):
                self.check_number(value, tag, event)
            return self.construct(tag, value, event)
        # plain scalar: YAML 1.1 implicit types, as PyYAML's SafeLoader resolves them
        if not value or value in _NULLS:
            return None if value in _NULLS else value
        first = value[0]
        if first.isalpha() and value not in _BOOLS:
            return value
        if value in _BOOLS:
            return _BOOLS[value]
        if value == "<<":
            return value
        if _INT_RE.match(value):
            return self.decimal(value, event)
        if _DATE_RE.match(value):
            try:
                return datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
            except ValueError as exc:
                raise self.error(event.start_mark, f"{quoted(value)} is not a valid date ({exc}); "
                                                   "write an existing date as YYYY-MM-DD") from None
        resolved: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if resolved == f"{_Y}str":
            return value
        if resolved in (f"{_Y}int", f"{_Y}float"):
            self.check_number(value, resolved, event)
        return self.construct(resolved, value, event)

    def decimal(self, value: str, event: Any) -> int:
        """A plain decimal integer, refused past Python's 4,300-digit conversion limit."""
        if len(value.lstrip("+-")) > _MAX_INT_DIGITS:
            raise self.error(event.start_mark, f"an integer of {len(value.lstrip('+-')):,} digits is too large "
                                               f"(more than {_MAX_INT_DIGITS:,}); no inventory value needs one")
        return int(value)

    def check_number(self, value: str, tag: str, event: Any) -> None:
        """Refuse YAML 1.1 number forms whose meaning changes silently, and numbers that cannot be represented.

        YAML 1.1 (PyYAML) reads `017` as octal 15, `0x1BB` as 443, `1:20` as 80 (base 60) and `1_000` as 1000;
        YAML 1.2 and most editors read them otherwise. Only plain decimal is accepted: what the file shows is
        what the tool reads. `.inf`, `.nan` and floats too large to represent are no inventory value either.
        """
        lowered = value.lower()
        if tag.endswith("int"):
            meaning = self.construct(tag, value, event)
            kind = ("sexagesimal (base 60)" if ":" in value else "hexadecimal" if "x" in lowered
                    else "binary" if "b" in lowered else "octal" if value.lstrip("+-").startswith("0")
                    else "digit-grouped")
            raise self.error(event.start_mark, f"{quoted(value)} is a YAML 1.1 {kind} number ({meaning}), read "
                                               f"differently elsewhere; write {meaning} in plain decimal, or quote "
                                               "it if it is text")
        if ":" in value or "_" in value:
            raise self.error(event.start_mark, f"{quoted(value)} is a YAML 1.1 sexagesimal or digit-grouped number; "
                                               "write it in plain decimal, or quote it if it is text")
        if "inf" in lowered or "nan" in lowered or not math.isfinite(float(value)):
            raise self.error(event.start_mark, f"{quoted(value)} is not a finite number; write a real value, or "
                                               "quote it if it is text")

    def construct(self, tag: str, value: str, event: Any) -> Any:
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            return _CONSTRUCTOR.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            kind = tag.rsplit(":", 1)[-1]
            raise self.error(event.start_mark, f"{quoted(value)} is not a valid {kind} ({quoted(str(exc))}); "
                                               "quote it if it is meant as text") from None
        finally:
            _CONSTRUCTOR.constructed_objects.clear()


def locate(root: Any, path: Sequence[Any], name: str) -> SourcePos:
    """The deepest position known along `path` (keys and list indices) in a loaded tree."""
    line, column = 1, 1
    node = root
    parent_keys: dict[Any, int] | None = None
    parent_key: Any = None
    for step in path:
        if isinstance(node, dict):
            positions: Positions | None = node.get(POS_KEY)
            if positions is None or step not in node:
                break
            line, column = unpack(positions.keys.get(step, positions.start))
            parent_keys, parent_key = positions.keys, step
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if isinstance(node, dict) and POS_KEY in node:
                line, column = unpack(node[POS_KEY].start)
            elif parent_keys is not None and (parent_key, step) in parent_keys:
                line, column = unpack(parent_keys[(parent_key, step)])
            parent_keys = None
        else:
            break
    return SourcePos(name, line, column)


def position_of(mapping: Any) -> tuple[int, int] | None:
    """1-based (line, column) where a loaded mapping starts, if it carries one."""
    if isinstance(mapping, dict):
        positions = mapping.get(POS_KEY)
        if isinstance(positions, Positions):
            return unpack(positions.start)
    return None


def strip_positions(value: Any) -> Any:
    """A deep copy without position entries (for tests and for dumping)."""
    if isinstance(value, dict):
        return {k: strip_positions(v) for k, v in value.items() if k != POS_KEY}
    if isinstance(value, list):
        return [strip_positions(v) for v in value]
    return value


def iter_mappings(value: Any) -> Iterator[dict[Any, Any]]:
    """Every mapping in a loaded tree, depth first."""
    todo = [value]
    seen: set[int] = set()
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if id(item) in seen:
                continue
            seen.add(id(item))
            yield item
            todo.extend(v for k, v in item.items() if k != POS_KEY)
        elif isinstance(item, list):
            todo.extend(item)


def dump(value: Any) -> str:
    """Plain block-style YAML text (used by the benchmark generator and tests)."""
    return yaml.dump(strip_positions(value), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     allow_unicode=True, sort_keys=False, default_flow_style=False)


def parse_bare(path: str) -> Any:
    """The reference parse the benchmarks compare against: `yaml.load(f, Loader=CSafeLoader)`."""
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
