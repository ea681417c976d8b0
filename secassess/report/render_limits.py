"""Limits on what a user's template may cost: CPU time, the size of any value it builds, and its output.

A sandboxed template cannot reach Python internals, but it can still loop for hours (nested `range` loops),
build a 300 MB string (`'A' * 300000000`) or recurse until the stack ends. This module holds the limits
and the checks; `jinja_env` applies them at the sandbox's hooks (operators, calls, filters, globals) and
while it streams the output. Every breach raises `LimitExceeded` from inside the template's own frames,
so the error names the template and line.
"""

from __future__ import annotations

import contextlib
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload


@dataclass(frozen=True)
class RenderLimits:
    """What one rendering of a user's template may use."""

    cpu_seconds: float = 20.0
    """CPU time per rendered document."""
    output_chars: int = 64 * 1024 * 1024
    """Characters of one rendered document."""
    value_chars: int = 8 * 1024 * 1024
    """Length of any one string or list the template builds (and of any width or count it asks for)."""
    range_items: int = 100_000
    """Items of one `range()`."""
    int_bits: int = 64 * 1024
    """Size of a number the template computes."""


class LimitExceeded(Exception):
    """A template went over one of its limits; the message says which and how to stay under it."""


_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def check_value(value: Any, limits: RenderLimits) -> Any:
    """`value` if it is within the limits, else `LimitExceeded`."""
    if isinstance(value, _SIZED) and len(value) > limits.value_chars:
        raise LimitExceeded(f"a value of {len(value):,} items or characters was built, over the limit of "
                            f"{limits.value_chars:,}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > limits.int_bits:
        raise LimitExceeded(f"a number of {value.bit_length():,} bits was computed, over the limit of "
                            f"{limits.int_bits:,}")
    return value


def check_count(value: Any, limits: RenderLimits, what: str = "a width or count") -> None:
    """`LimitExceeded` when an int argument asks for more items than a value may hold."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits.value_chars:
        raise LimitExceeded(f"{what} of {value:,} was asked for, over the limit of {limits.value_chars:,}")


def check_counts(args: Sequence[Any], kwargs: Mapping[str, Any], limits: RenderLimits) -> None:
    """`check_count` on every argument."""
    for value in (*args, *kwargs.values()):
        check_count(value, limits)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, _SIZED) else None


def estimate_binop(operator: str, left: Any, right: Any, limits: RenderLimits) -> None:
    """Refuse an operation whose result would be over the limits, before computing it."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            size = _length(seq)
            if size is not None and isinstance(times, int) and size * max(times, 0) > limits.value_chars:
                raise LimitExceeded(f"repeating {size:,} items {times:,} times is over the limit of "
                                    f"{limits.value_chars:,}")
        if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > limits.int_bits:
            raise LimitExceeded(f"a product of over {limits.int_bits:,} bits was asked for")
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1 \
                and right * left.bit_length() > limits.int_bits:
            raise LimitExceeded(f"a power of over {limits.int_bits:,} bits was asked for")
    elif operator == "+":
        sizes = (_length(left), _length(right))
        if sizes[0] is not None and sizes[1] is not None and sizes[0] + sizes[1] > limits.value_chars:
            raise LimitExceeded(f"joining {sizes[0]:,} and {sizes[1]:,} items is over the limit of "
                                f"{limits.value_chars:,}")
    elif operator == "%" and isinstance(left, str):
        check_printf(left, right, limits)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_printf(template: str, args: Any, limits: RenderLimits) -> None:
    """Refuse `%`-formatting whose widths or precisions (written or taken from `args`) are over the limits."""
    for match in _PRINTF_FIELD.finditer(template):
        for number in match.groups():
            if number and number != "*":
                check_count(int(number), limits, "a field width")
    values = args if isinstance(args, tuple) else (args,)
    for value in values:
        check_count(value, limits, "a field width")


_FORMATTER = string.Formatter()


def check_format(template: str, args: Sequence[Any], kwargs: Mapping[str, Any], limits: RenderLimits) -> None:
    """Refuse `str.format` whose field widths (written or nested from arguments) are over the limits."""
    try:
        fields = list(_FORMATTER.parse(template))
    except ValueError:
        return  # str.format itself will report the malformed template
    for _literal, _name, spec, _conversion in fields:
        for number in re.findall(r"\d+", spec or ""):
            check_count(int(number), limits, "a field width")
    check_counts(args, kwargs, limits)


def check_replace(text: str, old: Any, new: Any, limits: RenderLimits) -> None:
    """Refuse `str.replace` whose result would be over the limits."""
    if isinstance(old, str) and isinstance(new, str):
        hits = text.count(old) if old else len(text) + 1
        if len(text) + hits * len(new) > limits.value_chars:
            raise LimitExceeded(f"a replacement would build over {limits.value_chars:,} characters")


class BoundedRange(Sequence[int]):
    """`range()` for templates: at most `range_items` items, and a CPU check while it is iterated."""

    __slots__ = ("_deadline", "_range")

    def __init__(self, items: range, deadline: CpuDeadline) -> None:
        self._range = items
        self._deadline = deadline

    def __len__(self) -> int:
        return len(self._range)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> BoundedRange: ...

    def __getitem__(self, index: int | slice) -> int | BoundedRange:
        if isinstance(index, slice):
            return BoundedRange(self._range[index], self._deadline)
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        check = self._deadline.check
        for number, value in enumerate(self._range):
            if not number & 1023:
                check()
            yield value

    def __repr__(self) -> str:
        return repr(self._range)


def bounded_range(limits: RenderLimits, deadline: CpuDeadline) -> Callable[..., BoundedRange]:
    """The `range` global of a limited template."""
    def template_range(*args: int) -> BoundedRange:
        items = range(*args)
        if len(items) > limits.range_items:
            raise LimitExceeded(f"range{args} has {len(items):,} items, over the limit of {limits.range_items:,}")
        return BoundedRange(items, deadline)
    return template_range


class CpuDeadline:
    """The CPU time a rendering may still use: checked cooperatively, and by a timer signal in the main thread.

    The timer (SIGPROF after `cpu_seconds` of process CPU time) stops even a loop that calls nothing; it can
    only be set from the main thread, which is where `secassess report` renders (also in forked workers).
    Elsewhere the cooperative checks (at each output chunk and every 1024 `range` items) still apply.
    """

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self._end = 0.0
        self._active = False

    def check(self) -> None:
        """`LimitExceeded` once the rendering has used its CPU time."""
        if self._active and time.thread_time() > self._end:
            self._active = False
            raise self._exceeded()

    def _exceeded(self) -> LimitExceeded:
        return LimitExceeded(f"the template used more than {self.limits.cpu_seconds:g} s of CPU time")

    def _on_timer(self, signum: int, frame: Any) -> None:
        if self._active:
            self._active = False
            raise self._exceeded()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Arm the limit for one rendering."""
        self._end = time.thread_time() + self.limits.cpu_seconds
        use_timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        previous: Any = None
        if use_timer:
            previous = signal.signal(signal.SIGPROF, self._on_timer)
            signal.setitimer(signal.ITIMER_PROF, self.limits.cpu_seconds)
        self._active = True
        try:
            yield
        finally:
            self._active = False
            if use_timer:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
