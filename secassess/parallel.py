"""Running one task over many items in forked worker processes, or in this process when that is not worth it
(reports render agencies this way; the assessment evaluates them this way on a large province).

Forked workers inherit everything already built (compiled templates, the result records), so only item
numbers cross between processes. A user-facing error in a worker comes back as the same kind of error.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from secassess.errors import EnvironmentFailure, InputError, SecassessError, UsageError
from secassess.heap import long_lived

T = TypeVar("T")
MIN_ITEMS_PER_WORKER = 32
"""Below this many items per extra worker, forking costs more than it saves."""
MAX_WORKERS = 4

_task: Callable[[int], None] | None = None
_ERRORS: dict[str, Callable[[str], SecassessError]] = {
    "InputError": lambda message: InputError([(None, message)]),
    "UsageError": UsageError,
    "EnvironmentFailure": EnvironmentFailure,
}


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_workers(items: int) -> int:
    """Worker processes for `items` items on this machine (1: run in this process)."""
    return max(1, min(available_cores(), MAX_WORKERS, items // MIN_ITEMS_PER_WORKER))


def _run(index: int) -> tuple[str, str] | None:
    assert _task is not None
    try:
        _task(index)
    except SecassessError as exc:
        return type(exc).__name__, exc.message
    return None


def _worker_start() -> None:
    """A worker ends as signals would end it: no handler inherited from the parent (e.g. SIGTERM cleanup)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


@contextlib.contextmanager
def _forked_pool(workers: int, died: str) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers; a worker that dies is an `EnvironmentFailure` saying `died`; on leaving, the
    workers still running are killed at once (an error must not wait for the rest of the work)."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
    try:
        yield pool
    except BrokenProcessPool:
        raise EnvironmentFailure(died) from None
    finally:
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)


def run_all(task: Callable[[int], None], count: int, workers: int, advance: Callable[[], None]) -> None:
    """`task(i)` for every i below `count`, in `workers` forked processes; `advance()` after each one.

    A worker that dies (killed, out of memory) breaks the pool: that is an error, never a wait forever; on any
    failure the workers still running are killed.
    """
    global _task
    if workers <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index in range(count):
            task(index)
            advance()
        return
    _task = task
    # the inherited heap stays shared: no collection in a worker touches (and copies) its pages
    try:
        with long_lived(), _forked_pool(workers, "a report worker process died (out of memory, or killed); run "
                                                 "again with fewer agencies at a time (--agency) or on a larger "
                                                 "machine") as pool:
            for future in as_completed([pool.submit(_run, index) for index in range(count)]):
                failure = future.result()
                if failure is not None:
                    kind, message = failure
                    raise _ERRORS.get(kind, SecassessError)(message)
                advance()
    finally:
        _task = None


_mapped: Callable[[int], Any] | None = None


def _call(index: int) -> Any:
    assert _mapped is not None
    return _mapped(index)


def map_ordered(task: Callable[[int], T], count: int, workers: int) -> Iterator[T]:
    """`task(i)` for i below `count`, in `workers` forked processes, yielded in order of i (in this process when
    `workers` is 1). Results must pickle; a `SecassessError` in a worker is raised here as is; a worker that dies
    is an `EnvironmentFailure`, never a wait forever."""
    global _mapped
    if workers <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index in range(count):
            yield task(index)
        return
    _mapped = task
    try:
        with long_lived(), _forked_pool(workers, "a worker process died (out of memory, or killed); run on a larger "
                                                 "machine or split the inventory") as pool:
            futures: list[Future[Any] | None] = [pool.submit(_call, index) for index in range(count)]
            for index in range(count):
                future = futures[index]
                assert future is not None
                futures[index] = None  # a result is held until it is taken, not to the end of the run
                yield future.result()
    finally:
        _mapped = None


def forked_stream(produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """The items of `produce()`, made in a forked process while this one works on the ones before (in this
    process where fork is not available). Items must pickle; the pipe's buffer bounds how far the child runs
    ahead. A user-facing error in the child comes back as the same kind of error; a child that dies is an
    `EnvironmentFailure`, never a wait forever."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from produce()
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_stream_child, args=(produce, send), daemon=True)
    child.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise EnvironmentFailure("a reader process died (out of memory, or killed); run on a larger "
                                         "machine") from None
            if kind == "item":
                yield payload
            elif kind == "end":
                return
            elif kind == "internal":
                raise RuntimeError(payload)
            else:
                error, message = payload
                raise _ERRORS.get(error, SecassessError)(message)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _stream_child(produce: Callable[[], Iterator[Any]], send: Any) -> None:
    _worker_start()
    try:
        for item in produce():
            send.send(("item", item))
        send.send(("end", None))
    except SecassessError as exc:
        send.send(("error", (type(exc).__name__, exc.message)))
    except Exception as exc:  # a bug: the parent reports it as one, with the child's words
        send.send(("internal", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
