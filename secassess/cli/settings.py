"""Apply a config file (`secassess.config`) to a parsed command line: the command line wins.

A setting's key is a long option of the command (`--fail-on` -> `fail-on`); its value is converted and
checked exactly as the option's text would be (types, choices), so a config file can say nothing the
command line could not. Every key is checked against every command, so a typo fails whatever command runs.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from secassess.cli.targets import join_target, split_target
from secassess.config import Config, Setting, date_text, normalise
from secassess.errors import InputError, SourcePos

NOT_SETTINGS = frozenset({"help", "verbose", "config", "no-config", "allow-public-scope"})
"""Options a config file cannot set (scanning public addresses is allowed on the command line only)."""
PER_COMMAND = frozenset({"format", "output"})
"""Options whose values differ by command: only in a command's table."""
PATH_OPTIONS = frozenset({"checklists", "waivers", "scan", "templates", "from-result", "xml", "output", "baseline",
                          "history"})
"""Options naming files or folders: relative to the config file."""


def settable(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The options of a (sub)command a config file may set, by key."""
    actions: dict[str, argparse.Action] = {}
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        for option in action.option_strings:
            if option.startswith("--") and option[2:] not in NOT_SETTINGS:
                actions[option[2:]] = action
    return actions


def explicit_dests(parser: argparse.ArgumentParser, argv: list[str]) -> set[str]:
    """The destinations the command line itself gave (parsed again with every default suppressed)."""
    _suppress_defaults(parser)
    namespace, _ = parser.parse_known_args(argv)
    return set(vars(namespace))


def _suppress_defaults(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _suppress_defaults(sub)
        elif action.dest != "command":
            action.default = argparse.SUPPRESS
            action.required = False
    parser.set_defaults(run=argparse.SUPPRESS)
    parser._defaults.clear()


def apply_config(config: Config, commands: Mapping[str, argparse.ArgumentParser], command: str,
                 args: argparse.Namespace, explicit: Iterable[str]) -> None:
    """Check every setting of `config`, then set those of `command` that the command line did not give."""
    options = {name: settable(parser) for name, parser in commands.items()}
    problems: list[tuple[SourcePos | None, str]] = []
    values: dict[str, Any] = {}
    for key, setting in config.common.items():
        if key in PER_COMMAND:
            problems.append((setting.pos, f"'{setting.key}' differs by command: set it in a command's table "
                                          f"([tool.secassess.<command>] or `<command>:` in YAML)"))
            continue
        having = [name for name, known in options.items() if key in known]
        if not having:
            problems.append((setting.pos, _unknown(setting, set().union(*options.values()) - PER_COMMAND)))
            continue
        for name in having:
            value = _convert(options[name][key], key, setting, config, problems)
            if name == command and value is not _BAD:
                values[options[name][key].dest] = value
    for name, settings in config.commands.items():
        for key, setting in settings.items():
            if key not in options[name]:
                problems.append((setting.pos, _unknown(setting, set(options[name]), f"`secassess {name}`")))
                continue
            value = _convert(options[name][key], key, setting, config, problems)
            if name == command and value is not _BAD:
                values[options[name][key].dest] = value
    if problems:
        raise InputError(problems, kind="schema")
    given = set(explicit)
    for dest, value in values.items():
        if dest not in given:
            setattr(args, dest, value)


def _unknown(setting: Setting, known: set[str], where: str = "any command") -> str:
    guess = difflib.get_close_matches(normalise(setting.key), sorted(known), n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known: {', '.join(sorted(known))}"
    return f"unknown setting '{setting.key}' (not an option of {where}); {hint}"


_BAD = object()


def _convert(action: argparse.Action, key: str, setting: Setting, config: Config,
             problems: list[tuple[SourcePos | None, str]]) -> Any:
    """The value as the option would hold it after parsing its text, or `_BAD` (and a problem)."""
    value = setting.value
    if key == "format" and isinstance(value, list):  # report: [html, md] is the command line's html,md
        value = ",".join(map(str, value))
    try:
        if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
            return value if isinstance(action, argparse._StoreTrueAction) else not value
        many = isinstance(action, argparse._AppendAction) or action.nargs in ("+", "*")
        items = value if isinstance(value, list) else [value]
        if not many and isinstance(value, list):
            raise ValueError("expected one value, not a list")
        converted = [_one(action, key, item, config) for item in items]
        return converted if many else converted[0]
    except (ValueError, TypeError, argparse.ArgumentTypeError) as exc:
        problems.append((setting.pos, f"'{setting.key}': {exc}"))
        return _BAD


def _one(action: argparse.Action, key: str, item: Any, config: Config) -> Any:
    item = date_text(item)
    if key in PATH_OPTIONS and not isinstance(item, str):
        raise ValueError(f"expected a path, got {type(item).__name__}")
    if isinstance(item, bool) or not isinstance(item, (str, int, float)):
        raise ValueError(f"expected a value, got {type(item).__name__}")
    text = str(item)
    if key in PATH_OPTIONS:
        if key == "output":
            fmt, path = split_target(text)
            text = join_target(fmt, path if path == "-" else config.path_value(path))
        else:
            text = config.path_value(text)
    value = action.type(text) if callable(action.type) else text
    if action.choices is not None and value not in action.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(map(str, action.choices))}")
    return value
