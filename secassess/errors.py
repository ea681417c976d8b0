"""The one exception family of secassess; `main` is its only catch point."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourcePos:
    """A place in an input file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class SecassessError(Exception):
    """Base of every error meant for the user; `message` is what they read."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SecassessError):
    """Bad command-line usage (exit 2)."""


class InputError(SecassessError):
    """An input file is invalid (exit 2); carries every problem found, each with its place."""

    def __init__(self, problems: list[tuple[SourcePos | None, str]], kind: str = "input") -> None:
        self.problems = problems
        self.kind = kind
        """What failed: "yaml" (syntax or safety), "schema", or "input" (anything else)."""
        super().__init__("\n".join(f"{pos}: {msg}" if pos else msg for pos, msg in problems))


class EnvironmentFailure(SecassessError):
    """The environment failed: a missing program, a failed scan, an unwritable output (exit 3)."""

    exit_code = 3
