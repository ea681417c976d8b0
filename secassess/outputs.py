"""Writing results: atomically, and never over an input file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from typing import IO

from secassess.errors import EnvironmentFailure, UsageError


def refuse_overwriting_inputs(output: str, inputs: Iterable[str]) -> None:
    """Usage error if `output` is (or links to) one of the input files."""
    if not os.path.exists(output):
        return
    for path in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(output, path):
                raise UsageError(f"{output}: refusing to overwrite the input file {path}; choose another output")


Writer = Callable[[IO[str]], None]
"""Something that writes text to a stream (a large result, written piece by piece)."""


def write_atomic(path: str, data: str | bytes | Writer) -> None:
    """Write via a temporary file in the same directory and rename, so no half-written file is left."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".secassess-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise EnvironmentFailure(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if callable(data):
                data(handle)
            elif isinstance(data, bytes):
                handle.flush()
                handle.buffer.write(data)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise EnvironmentFailure(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def emit(text: str | Writer, output: str | None, inputs: Iterable[str] = ()) -> None:
    """Write `text` (or what a writer writes) to `output` (atomically) or to standard output."""
    if output is None or output == "-":
        if callable(text):
            text(sys.stdout)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    refuse_overwriting_inputs(output, inputs)
    write_atomic(output, text)
