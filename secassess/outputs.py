"""Writing results: atomically, and never over an input file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable

from secassess.errors import EnvironmentFailure, UsageError


def refuse_overwriting_inputs(output: str, inputs: Iterable[str]) -> None:
    """Usage error if `output` is (or links to) one of the input files."""
    if not os.path.exists(output):
        return
    for path in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(output, path):
                raise UsageError(f"{output}: refusing to overwrite the input file {path}; choose another output")


def write_atomic(path: str, data: str | bytes) -> None:
    """Write via a temporary file in the same directory and rename, so no half-written file is left."""
    directory = os.path.dirname(os.path.abspath(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".secassess-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise EnvironmentFailure(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
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


def emit(text: str, output: str | None, inputs: Iterable[str] = ()) -> None:
    """Write `text` to `output` (atomically) or to standard output."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    refuse_overwriting_inputs(output, inputs)
    write_atomic(output, text)
