"""Running one task over many items in forked worker processes, or in this process when that is not worth it.

Forked workers inherit everything already built (compiled templates, the result records), so only item
numbers cross between processes. A user-facing error in a worker comes back as the same kind of error.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable

from secassess.errors import EnvironmentFailure, InputError, SecassessError, UsageError

MIN_ITEMS_PER_WORKER = 32
"""Below this many items per extra worker, forking costs more than it saves."""
MAX_WORKERS = 4

_task: Callable[[int], None] | None = None
_ERRORS: dict[str, Callable[[str], SecassessError]] = {
    "InputError": lambda message: InputError([(None, message)]),
    "UsageError": UsageError,
    "EnvironmentFailure": EnvironmentFailure,
}


def default_workers(items: int) -> int:
    """Worker processes for `items` items on this machine (1: run in this process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, items // MIN_ITEMS_PER_WORKER))


def _run(index: int) -> tuple[str, str] | None:
    assert _task is not None
    try:
        _task(index)
    except SecassessError as exc:
        return type(exc).__name__, exc.message
    return None


def run_all(task: Callable[[int], None], count: int, workers: int, advance: Callable[[], None]) -> None:
    """`task(i)` for every i below `count`, in `workers` forked processes; `advance()` after each one."""
    global _task
    if workers <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index in range(count):
            task(index)
            advance()
        return
    _task = task
    gc.freeze()  # the inherited heap stays shared: no collection in a worker touches (and copies) its pages
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for failure in pool.imap_unordered(_run, range(count), chunksize=4):
                if failure is not None:
                    kind, message = failure
                    raise _ERRORS.get(kind, SecassessError)(message)
                advance()
    finally:
        _task = None
        gc.unfreeze()
