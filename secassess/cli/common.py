"""Pieces every command shares: the command record, common options, dates, colour."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from secassess.errors import UsageError
from secassess.yamlsafe import DEFAULT_MAX_BYTES, LoadLimits


@dataclass(frozen=True)
class Command:
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
    parser.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                        help=f"refuse inventory files larger than N bytes (default {DEFAULT_MAX_BYTES:,})")


def limits_from(args: argparse.Namespace) -> LoadLimits:
    return LoadLimits(max_bytes=args.max_bytes)


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


def require_files(paths: list[str]) -> None:
    """Usage error for a missing input, before any work starts."""
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such file")
