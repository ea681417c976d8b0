"""The cyclic garbage collector and the long-lived heap of a command.

An inventory, its graph and its facts live to the end of a command, and they are millions of objects
at province scale. Each full collection would traverse them all again, for nothing: at 10k assets that
was about 15% of an assessment. So a command runs inside `long_lived()`, and what it builds to keep is
moved out of the collector's sight with `keep()` (`gc.freeze`); bulk builds of acyclic data run with the
collector paused. Outside `long_lived()` (the library) `keep()` does nothing, so a caller's heap is never
frozen behind its back. Objects freed by reference counting are freed as usual, frozen or not.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection inside: for building large acyclic data (the YAML tree, the validated models)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """What exists now, and what `keep()` is called for inside, is not collected until the block ends.

    Re-entrant: only the outermost block releases the heap. The outermost block collects first, so no
    garbage is frozen with the living.
    """
    global _depth
    if not _depth:
        gc.collect()
    gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            gc.unfreeze()


def keep() -> None:
    """Everything allocated so far lives to the end of the enclosing `long_lived()` (no-op outside one)."""
    if _depth:
        gc.freeze()
