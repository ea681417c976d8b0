"""Pieces every command shares: the command record, common options, dates, colour.

Nothing here (nor in any `secassess.cli` module at import time) loads pydantic, networkx, Jinja, YAML,
rich, or even dataclasses: `secassess --help` and `--version` stay fast, and each command imports what it
needs when it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from secassess.yamlsafe import LoadLimits

DEFAULT_PROFILE = "luat116"
"""`secassess.pipeline.DEFAULT_PROFILE`, restated so that the options load without the assessment code."""
DEFAULT_MAX_MIB = 256
"""`secassess.yamlsafe.DEFAULT_MAX_BYTES` in MiB (a test keeps them equal)."""
FAIL_ON = ("critical", "high", "medium", "low")


class Command(NamedTuple):
    """One subcommand: its name, help, how it adds its options, and how it runs."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def iso_date(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def positive_int(text: str) -> int:
    """argparse type for a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be above zero")
    return value


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                        help="the assessment date ('today'); fixes results for reproducible output")


def add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-bytes", type=positive_int, default=None, metavar="N",
                        help=f"refuse inventory files larger than N bytes (default {DEFAULT_MAX_MIB} MiB)")


def limits_from(args: argparse.Namespace) -> LoadLimits:
    from secassess.yamlsafe import LoadLimits

    return LoadLimits() if args.max_bytes is None else LoadLimits(max_bytes=args.max_bytes)


def add_profile(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="luat116|nd85",
                        help=f"rule profile (default {DEFAULT_PROFILE}; nd85 is the legacy Decree 85 set)")


def add_fail_on(parser: argparse.ArgumentParser, default: str | None, meaning: str) -> None:
    shown = f"default {default}" if default else "default: never"
    parser.add_argument("--fail-on", choices=FAIL_ON, default=default, metavar="|".join(FAIL_ON),
                        help=f"{meaning} at or above this severity ({shown})")


def add_check_filters(parser: argparse.ArgumentParser, what: str = "checks") -> None:
    parser.add_argument("--check", action="append", default=[], metavar="ID",
                        help=f"run only these {what} (repeatable; globs such as 'L1-*' allowed)")
    parser.add_argument("--skip-check", action="append", default=[], metavar="ID",
                        help=f"do not run these {what} (repeatable; globs allowed)")


def as_of_from(args: argparse.Namespace) -> dt.date:
    value: dt.date | None = args.as_of
    return value if value is not None else dt.date.today()


def use_colour(stream: TextIO | None = None, output: str | None = None) -> bool:
    """Colour only on a terminal, never when NO_COLOR is set (https://no-color.org) or writing a file."""
    if output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return (stream or sys.stdout).isatty()


def progress_wanted(args: argparse.Namespace) -> bool:
    """Progress bars: on a terminal (standard error), unless --quiet."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def note(args: argparse.Namespace, message: str) -> None:
    """An informational line on standard error, unless --quiet."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def require_files(paths: list[str]) -> None:
    """Usage error for a missing input, before any work starts."""
    from secassess.errors import UsageError

    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such file")
