"""Progress on the terminal for the long steps of a run (load, graph, assess, write, report, PDF).

Drawn on standard error with rich, only when it is a terminal and the user did not ask for quiet;
transient (nothing is left behind), so logs and pipes never see it. `Steps.none()` draws nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress

Advance = Callable[[int], None]
"""Called with the number of items just finished."""


class Steps:
    """The steps of one run; `step(label, total)` shows one step while its block runs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Progress | None = None

    @classmethod
    def none(cls) -> Steps:
        return cls(False)

    @classmethod
    def for_terminal(cls, quiet: bool = False) -> Steps:
        """Drawn when standard error is a terminal and `quiet` is not set."""
        return cls(not quiet and sys.stderr.isatty())

    @contextlib.contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Advance]:
        """A bar of `total` items (a spinner with the elapsed time when the total is unknown)."""
        if not self.enabled:
            yield _nothing
            return
        bar = self._open()
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)
        try:
            yield advance
        finally:
            bar.remove_task(task)
            if not bar.tasks:
                bar.stop()
                self._bar = None

    def _open(self) -> Progress:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                                 transient=True)
            self._bar.start()
        return self._bar


def _nothing(n: int = 1, *_: Any) -> None:
    return None
