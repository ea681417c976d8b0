"""Settings from a config file, so that CI lines stay short.

Which file: `--config FILE`, or else the first directory, from the current one upward, that holds
`.secassess.yaml` (or `.secassess.yml`) or a `pyproject.toml` with a `[tool.secassess]` table; the search
stops at the repository root (a directory holding `.git`) and never leaves the file system root.
`--no-config` ignores them all. In one directory the YAML file comes before pyproject.toml.

What it holds: keys are the long option names without `--` (`profile`, `checklists`, `waivers`,
`fail-on`, `check`, `skip-check`, `lang`, ...; `_` may stand for `-`). Top-level keys apply to every
command that has the option; a table per command (`[tool.secassess.assess]`, or `assess:` in YAML)
holds settings for that command only, and is the only place for `format` and `output`, whose values
differ by command. The command line wins over a command's table, which wins over the top level.
Paths are relative to the config file. An unknown key or a value of the wrong kind is an error at its
`file:line`.

This module reads and places the settings; `secassess.cli.settings` applies them to a command's options.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secassess.errors import InputError, SourcePos

YAML_NAMES = (".secassess.yaml", ".secassess.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = ("tool", "secassess")
MAX_BYTES = 1024 * 1024
"""A config file is small; anything larger is refused before it is parsed."""


@dataclass(frozen=True)
class Setting:
    """One value from the config file and where it is written."""

    key: str
    """The key as written (`fail-on`, `fail_on`)."""
    value: Any
    pos: SourcePos


@dataclass(frozen=True)
class Config:
    """A config file's settings: top-level ones, and one table per command."""

    path: str
    common: Mapping[str, Setting] = field(default_factory=dict)
    """Normalised key (`fail-on`) -> setting."""
    commands: Mapping[str, Mapping[str, Setting]] = field(default_factory=dict)
    command_pos: Mapping[str, SourcePos] = field(default_factory=dict)
    """Where each command's table starts."""

    @property
    def folder(self) -> str:
        """The directory that relative paths in the file are relative to."""
        return os.path.dirname(self.path) or "."

    def path_value(self, text: str) -> str:
        """A path from the file, as the command line would give it: relative to the current directory when
        the config file's folder is, so results name it the same way wherever the command is run."""
        if os.path.isabs(text):
            return text
        joined = os.path.join(self.folder, text)
        return os.path.normpath(joined) if os.path.isabs(joined) else os.path.relpath(joined)


def normalise(key: str) -> str:
    return key.replace("_", "-")


def find_config(start: str | Path | None = None) -> str | None:
    """The config file that applies in `start` (default: the current directory), or None."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return _shown(folder / name)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return _shown(pyproject)
        if (folder / ".git").exists():
            return None
    return None


def _shown(path: Path) -> str:
    """The path as messages show it: relative to the current directory when that is shorter."""
    relative = os.path.relpath(path)
    return relative if len(relative) < len(str(path)) else str(path)


def _has_tool_table(path: Path) -> bool:
    try:
        text = _read(str(path))
    except InputError:
        return True  # let load_config report it
    return re.search(r"^\s*\[\s*tool\s*\.\s*[\"']?secassess\b", text, re.MULTILINE) is not None or \
        re.search(r"^\s*tool\s*\.\s*secassess\s*[.=]", text, re.MULTILINE) is not None


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError([(None, f"{path}: no such config file")]) from None
    except OSError as exc:
        raise InputError([(None, f"{path}: cannot read the config file: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise InputError([(SourcePos(path, 1, 1), f"config file over {MAX_BYTES:,} bytes; is it the right file?")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([(SourcePos(path, line, 1), "not UTF-8 text")]) from None


def load_config(path: str, commands: frozenset[str]) -> Config:
    """Read a config file; its table names must be among `commands` (values are checked when applied)."""
    if os.path.basename(path) == PYPROJECT or path.endswith(".toml"):
        return _from_toml(path, commands)
    return _from_yaml(path, commands)


# --- pyproject.toml ------------------------------------------------------------------------------


def _from_toml(path: str, commands: frozenset[str]) -> Config:
    import tomllib

    text = _read(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        pos = SourcePos(path, int(match.group(1)), int(match.group(2))) if match else SourcePos(path, 1, 1)
        raise InputError([(pos, f"not valid TOML: {str(exc).split(' (at ')[0]}")]) from None
    lines = _toml_key_lines(text)
    table: Any = document
    for step in TOOL_TABLE:
        table = table.get(step, {}) if isinstance(table, dict) else {}
    if not isinstance(table, dict):
        raise InputError([(SourcePos(path, lines.get(TOOL_TABLE, 1), 1), "[tool.secassess] must be a table")])

    def where(*keys: str) -> SourcePos:
        for end in range(len(keys), -1, -1):
            line = lines.get((*TOOL_TABLE, *keys[:end]))
            if line is not None:
                return SourcePos(path, line, 1)
        return SourcePos(path, 1, 1)

    return _build(path, table, commands, where)


def _split_key(text: str) -> tuple[str, ...]:
    """`a."b.c".d` -> ("a", "b.c", "d")."""
    parts = re.findall(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*(?:\.|$)', text.strip())
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _toml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each table header and key (full dotted path), for messages; values are not parsed here."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    depth = 0
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_string is not None:
            if in_string in line:
                in_string = None
            continue
        if depth > 0:
            depth += line.count("[") - line.count("]")
            continue
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?", line)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(table, number)
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        lines.setdefault((*table, *_split_key(key)), number)
        value = value.strip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                in_string = quote
        if value.startswith("["):
            depth = value.count("[") - value.count("]")
    return lines


# --- .secassess.yaml -----------------------------------------------------------------------------


def _from_yaml(path: str, commands: frozenset[str]) -> Config:
    from secassess.yamlsafe import POS_KEY, LoadLimits, load_file, locate

    try:
        document = load_file(path, LoadLimits(max_bytes=MAX_BYTES))
    except InputError as exc:
        raise InputError([(pos, f"config file: {message}") for pos, message in exc.problems]) from None
    if not isinstance(document, dict):
        raise InputError([(SourcePos(path, 1, 1), "a config file is a mapping of settings (key: value)")])

    def where(*keys: str) -> SourcePos:
        return locate(document, keys, path)

    return _build(path, {k: v for k, v in document.items() if k != POS_KEY}, commands, where,
                  strip=lambda value: _strip(value, POS_KEY))


def _strip(value: Any, pos_key: str) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, pos_key) for k, v in value.items() if k != pos_key}
    if isinstance(value, list):
        return [_strip(v, pos_key) for v in value]
    return value


# --- both ------------------------------------------------------------------------------------------


def _build(path: str, table: Mapping[str, Any], commands: frozenset[str], where: Any,
           strip: Any = lambda value: value) -> Config:
    common: dict[str, Setting] = {}
    per_command: dict[str, dict[str, Setting]] = {}
    command_pos: dict[str, SourcePos] = {}
    problems: list[tuple[SourcePos | None, str]] = []

    def add(target: dict[str, Setting], key: str, value: Any, pos: SourcePos) -> None:
        name = normalise(key)
        if name in target:
            problems.append((pos, f"'{key}' is set twice (also as '{target[name].key}' at line "
                                  f"{target[name].pos.line}); keep one"))
        else:
            target[name] = Setting(key, strip(value), pos)

    for key, value in table.items():
        key = str(key)
        if key in commands:
            if not isinstance(value, dict):
                problems.append((where(key), f"'{key}' holds the settings of `secassess {key}`: a table of "
                                             "key = value"))
                continue
            command_pos[key] = where(key)
            settings = per_command.setdefault(key, {})
            for sub_key, sub_value in value.items():
                if str(sub_key).startswith("__"):
                    continue
                add(settings, str(sub_key), sub_value, where(key, str(sub_key)))
        elif isinstance(value, dict) and not key.startswith("__"):
            import difflib

            guess = difflib.get_close_matches(key, sorted(commands), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"commands: {', '.join(sorted(commands))}"
            problems.append((where(key), f"'{key}' is not a command, so it cannot hold settings; {hint}"))
        elif not key.startswith("__"):
            add(common, key, value, where(key))
    if problems:
        raise InputError(problems, kind="schema")
    return Config(path, common, per_command, command_pos)


def date_text(value: Any) -> Any:
    """A TOML or YAML date written unquoted, as the command line would give it (YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value
