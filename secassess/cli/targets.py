"""Where a command's result goes: `--format`, `-o/--output [FORMAT:]PATH` (repeatable) and `--quiet`.

One rule for every command that writes a result (lint, assess, checks, scan, graph, blast-radius):

- Without `-o`, the result goes to standard output in `--format` (default: text).
- Each `-o` writes one file. Its format is the one named before it (`-o sarif:lint.out`, or
  `sarif=lint.out`); otherwise the one its extension names (`.sarif`, `.json`, `.xml`, ...: each command
  lists its own); otherwise `--format`'s. `-` is standard output (`-o github:-`). A name whose extension
  says one format while `--format` says another is refused: write `FORMAT:PATH`.
- A bare format name (`-o sarif`) is refused: it would write a text table to a file called `sarif`.
  `-o ./sarif` writes a file of that name.
- While `-o` writes files and none is standard output, the terminal shows the text view; `--quiet`
  cuts the text view to its last line, the one-line summary.

Files are written atomically and never over an input (`secassess.outputs`); each is produced when it is
written, by streaming where the format allows.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import IO, NamedTuple

Content = str | bytes | Callable[[IO[str]], None]
"""What a command produces for one output: text, bytes (PDF), or a writer streaming text."""

FORMAT_NAMES = frozenset({"text", "json", "sarif", "junit", "github", "html", "md", "markdown", "pdf", "graphml",
                          "dot", "xml", "txt"})
"""Names refused as bare output paths, whatever the command: each is surely a format, not a file."""
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9]*)[:=](.*)$")


class OutputKinds(NamedTuple):
    """The formats one command writes, the default, and which file extensions name which format."""

    formats: tuple[str, ...]
    extensions: tuple[tuple[str, str], ...] = ()
    """(suffix, format); the longest matching suffix wins (`.sarif.json` before `.json`)."""
    default: str = "text"
    binary: frozenset[str] = frozenset()
    """Formats produced as bytes (not for a terminal)."""

    def by_extension(self, path: str) -> str | None:
        name = os.path.basename(path).lower()
        found = [(len(suffix), fmt) for suffix, fmt in self.extensions if name.endswith(suffix)]
        return max(found)[1] if found else None


class Target(NamedTuple):
    format: str
    path: str | None
    """None: standard output."""


class Plan(NamedTuple):
    targets: tuple[Target, ...]
    terminal_view: bool
    """Files are written and standard output is free: show the text view (or its summary) there."""


def split_target(value: str) -> tuple[str | None, str]:
    """`sarif:out.json` -> ("sarif", "out.json"); `out.json` -> (None, "out.json")."""
    match = _PREFIX.match(value)
    if match and match.group(1).lower() in FORMAT_NAMES:
        return match.group(1).lower(), match.group(2)
    return None, value


def join_target(fmt: str | None, path: str) -> str:
    return f"{fmt}:{path}" if fmt else path


def add_output_options(parser: argparse.ArgumentParser, kinds: OutputKinds, what: str,
                       legacy: Sequence[str] = ("--out",)) -> None:
    """`--format`, `-o/--output` (repeatable) and `--quiet`; `legacy` spellings of `-o` are accepted, unlisted."""
    extensions = ", ".join(f"{suffix} {fmt}" for suffix, fmt in kinds.extensions)
    parser.add_argument("--format", choices=kinds.formats, default=None, metavar="|".join(kinds.formats),
                        help=f"format of {what} on standard output, and of -o files whose name does not tell "
                             f"(default {kinds.default})")
    parser.add_argument("-o", "--output", dest="output", action="append", default=[], metavar="[FORMAT:]PATH",
                        help="also write to PATH (atomically; repeatable; `-` is standard output); the format is "
                             f"FORMAT, else PATH's extension ({extensions}), else --format. The terminal then "
                             "shows the text view")
    for option in legacy:
        parser.add_argument(option, dest="output", action="append", help=argparse.SUPPRESS)
    add_quiet(parser)


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="on the terminal, only the one-line summary (and errors); no progress")


def plan_outputs(outputs: Sequence[str], fmt: str | None, kinds: OutputKinds) -> Plan:
    """Resolve every `-o` to a format and a path by the rule above; usage errors say how to fix."""
    from secassess.errors import UsageError

    targets: list[Target] = []
    seen: dict[str, str] = {}
    for value in outputs:
        prefix, path = split_target(value)
        if not path:
            raise UsageError(f"-o {value!r}: the output path is empty; name a file (or '-' for standard output)")
        if prefix is None and path.lower() in FORMAT_NAMES:
            raise UsageError(f"-o {value}: that would write a file called {value!r}. For {value} on standard "
                             f"output write --format {value}; for a {value} file, -o {value}:PATH (or a name "
                             f"ending in its extension); for a file that is really called {value!r}, -o ./{value}")
        if prefix is not None and prefix not in kinds.formats:
            raise UsageError(f"-o {value}: this command does not write {prefix}; it writes "
                             f"{', '.join(kinds.formats)}")
        named = kinds.by_extension(path) if path != "-" else None
        if prefix is None and fmt is not None and named is not None and named != fmt:
            raise UsageError(f"-o {value}: the name says {named} but --format says {fmt}; "
                             f"write -o {fmt}:{path} to write {fmt} there")
        chosen = prefix or named or fmt or kinds.default
        if path != "-":
            key = os.path.normcase(os.path.realpath(path))
            if key in seen:
                raise UsageError(f"-o {value}: {path} is the same file as -o {seen[key]}; give each output "
                                 "its own file")
            seen[key] = value
        targets.append(Target(chosen, None if path == "-" or _is_stdout(path) else path))
    stdout_targets = [t for t in targets if t.path is None]
    if len(stdout_targets) > 1:
        raise UsageError("-o -: standard output can take only one output")
    if not targets:
        targets.append(Target(fmt or kinds.default, None))
        return Plan(tuple(targets), terminal_view=False)
    return Plan(tuple(targets), terminal_view=not stdout_targets)


def _is_stdout(path: str) -> bool:
    """Whether `path` is standard output itself (`/dev/stdout`, a link to descriptor 1, the file it is
    redirected to): written there as standard output, with nothing else printed around it."""
    try:
        target, stdout = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (target.st_dev, target.st_ino) == (stdout.st_dev, stdout.st_ino)


def deliver(plan: Plan, produce: Callable[[str, bool], Content], inputs: Iterable[str], *, quiet: bool,
            summary: Callable[[], str], kinds: OutputKinds) -> None:
    """Write every file target, then standard output: its target, or the text view (`--quiet`: its summary).

    `produce(format, colour)` makes one output (colour only for a terminal); `summary()` is the last line of
    the text view. A binary format is not written to a terminal.
    """
    from secassess.cli.common import use_colour
    from secassess.errors import UsageError
    from secassess.outputs import emit, refuse_overwriting_inputs, write_all

    files = [(t.format, t.path) for t in plan.targets if t.path is not None]
    for _, path in files:
        refuse_overwriting_inputs(path, inputs)
    shown = next((t.format for t in plan.targets if t.path is None), "text" if plan.terminal_view else None)
    if shown in kinds.binary and sys.stdout.isatty():
        raise UsageError(f"{shown} is a binary format: give -o FILE (or redirect the output)")
    write_all([(path, partial(produce, fmt, False)) for fmt, path in files])  # all of them, or none
    if shown is None:
        return
    if shown == "text" and quiet:
        emit(summary() + "\n", None)
        return
    content = produce(shown, use_colour())
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        emit(content, None)
