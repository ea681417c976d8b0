"""Writing results: all or nothing, where the user asked, and never over an input file.

- `write_all` (the files of one run; `write_atomic` for one): each into a temporary file beside its real
  target, then all renamed once every one is written. A FIFO, a terminal,
  `/dev/stdout` or a link to a file descriptor is written through instead (replacing it by a regular file
  would take the output away from whoever reads it); a symlink to a regular file keeps being a symlink.
- `StagedDirectory` (a report folder): every file is written into a hidden folder inside the real target
  (same file system, so the renames are atomic even when the target is a symlink to another disk), then
  all are moved into place at once; if one move fails, the ones already made are undone. SIGTERM during
  the transaction is turned into a clean exit, so no staging folder is left behind.

Every failure to write is an `EnvironmentFailure` (exit 3) naming the file, never an internal error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO

from secassess.errors import EnvironmentFailure, UsageError

_DEVICE_TREES = ("/dev/", "/proc/")


def refuse_overwriting_inputs(output: str, inputs: Iterable[str]) -> None:
    """Usage error if `output` is (or links to) one of the input files."""
    if not os.path.exists(output):
        return
    for path in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(output, path):
                raise UsageError(f"{output}: refusing to overwrite the input file {path}; choose another output")


def refuse_same_outputs(outputs: Sequence[tuple[str, str | None]]) -> None:
    """Usage error if two outputs (option name, path) name the same file: one would overwrite the other."""
    seen: dict[str, str] = {}
    for option, path in outputs:
        if path is None:
            continue
        if not path:
            raise UsageError(f"{option} is empty; name a file")
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"{option} {path} is the same file as {seen[key]}; give each output its own file")
        seen[key] = f"{option} {path}"


def _failure(path: str | Path, exc: OSError) -> EnvironmentFailure:
    why = exc.strerror or str(exc)
    hint = "; free some space and run again" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else ""
    return EnvironmentFailure(f"{path}: cannot write: {why}{hint}")


def writes_through(path: str) -> bool:
    """Whether `path` must be written in place: a FIFO, device, socket or a link into /dev or /proc (a descriptor)."""
    absolute = os.path.abspath(path)
    if absolute.startswith(_DEVICE_TREES) or os.path.realpath(path).startswith(_DEVICE_TREES):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _check_path(path: str) -> None:
    if not path:
        raise UsageError("the output path is empty; name a file (or '-' for standard output)")


Writer = Callable[[IO[str]], None]
"""Something that writes text to a stream (a large result, written piece by piece)."""


def _write_data(handle: IO[str], data: str | bytes | Writer) -> None:
    if callable(data):
        data(handle)
    elif isinstance(data, bytes):
        handle.flush()
        handle.buffer.write(data)  # type: ignore[attr-defined]
    else:
        handle.write(data)
    handle.flush()


def write_atomic(path: str, data: str | bytes | Writer) -> None:
    """Write `data` to `path` all or nothing (temporary file and rename), or through a FIFO/descriptor/device."""
    write_all([(path, lambda: data)])


def write_all(outputs: Sequence[tuple[str, Callable[[], str | bytes | Writer]]]) -> None:
    """Write every (path, make the data) of one run all or nothing.

    Each file is made into a temporary file beside its target, one at a time (one output in memory at
    once); only when every one is written are they renamed into place, so a failure in any (a template
    limit, a full disk, a blocked name) leaves every target as it was. A FIFO, descriptor or device is
    written through after the files are staged and before they are renamed.
    """
    staged: list[tuple[str, str, str]] = []  # (path as given, temporary file, target)
    renamed = 0
    try:
        through = []
        for path, make in outputs:
            _check_path(path)
            if writes_through(path):
                through.append((path, make))
            else:
                staged.append(_stage(path, make()))
        for path, make in through:
            _write_through(path, make())
        for path, temp, target in staged:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise _failure(path, exc) from None
            renamed += 1
    finally:
        for _, temp, _ in staged[renamed:]:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _write_through(path: str, data: str | bytes | Writer) -> None:
    try:  # no O_CREAT: nothing new is made under /dev; append: a descriptor's earlier output stays
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            _write_data(handle, data)
    except OSError as exc:
        raise _failure(path, exc) from None


def _stage(path: str, data: str | bytes | Writer) -> tuple[str, str, str]:
    """`data` written and synced into a temporary file beside the real target of `path`: (path, temp, target)."""
    target = os.path.realpath(path)  # a symlink stays one: its target is replaced
    if os.path.isdir(target):
        raise UsageError(f"{path}: is a directory; name a file")
    directory = os.path.dirname(target)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".secassess-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _failure(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            _write_data(handle, data)
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _failure(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path, temp, target


def emit(text: str | Writer, output: str | None, inputs: Iterable[str] = ()) -> None:
    """Write `text` (or what a writer writes) to `output` (atomically, or through a FIFO/descriptor) or to
    standard output."""
    if output is None or output == "-":
        if callable(text):
            text(sys.stdout)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    _check_path(output)
    refuse_overwriting_inputs(output, inputs)
    write_atomic(output, text)


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM raises `SystemExit(143)` in this process, so `finally` clauses run.

    Only the main thread can set a signal handler; elsewhere the block runs unchanged. Forked children
    that inherit the handler end as SIGTERM would have ended them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def on_term(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise SystemExit(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class StagedDirectory:
    """Files written into a hidden folder inside `target`, then moved into place together, or not at all.

    Use as a context manager: `write` (or `path`, for a program that writes the file itself) while staging,
    then `commit(names)`; leaving the block removes the staging folder whatever happened.
    """

    def __init__(self, target: str | Path) -> None:
        if not str(target):
            raise UsageError("the output folder is empty; name a directory")
        self.target = Path(target)
        self._real = Path()
        self._staging = Path()
        self._term: contextlib.AbstractContextManager[None] = terminate_cleanly()

    def __enter__(self) -> StagedDirectory:
        if self.target.exists() and not self.target.is_dir():
            raise UsageError(f"{self.target}: not a directory")
        self._term.__enter__()
        try:
            self.target.mkdir(parents=True, exist_ok=True)
            self._real = self.target.resolve()
            self._staging = Path(tempfile.mkdtemp(prefix=".secassess-staging-", dir=self._real))
        except OSError as exc:
            self._term.__exit__(None, None, None)
            raise _failure(self.target, exc) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            shutil.rmtree(self._staging, ignore_errors=True)
        finally:
            self._term.__exit__(kind, exc, tb)

    def path(self, name: str) -> Path:
        """Where the staged file `name` is written."""
        if not name or "/" in name or os.sep in name or name in (".", ".."):
            raise UsageError(f"{name!r} is not a file name")
        return self._staging / name

    def write(self, name: str, data: str | bytes | Writer) -> None:
        """Stage `name` with `data` (UTF-8 text, LF line ends, or what a writer writes); a failure names the
        final file."""
        try:
            with open(self.path(name), "w", encoding="utf-8", newline="\n") as handle:
                _write_data(handle, data)
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _failure(self.target / name, exc) from None

    def check(self, names: Sequence[str], staged: bool = False) -> None:
        """`EnvironmentFailure` naming the first of `names` that could not be put in place (or, with `staged`,
        was not staged); nothing is changed."""
        for name in names:
            final = self._real / name
            if final.is_dir() and not final.is_symlink():
                raise EnvironmentFailure(f"{self.target / name}: is a directory, so the file cannot be written "
                                         "there; move it away (nothing was changed)")
            if staged and not self.path(name).is_file():
                raise EnvironmentFailure(f"{self.target / name}: was not produced; nothing was changed")
        if not os.access(self._real, os.W_OK | os.X_OK):
            raise EnvironmentFailure(f"{self.target}: cannot write: permission denied (nothing was changed)")

    def commit(self, names: Sequence[str]) -> list[Path]:
        """Move the staged `names` into the target in this order (put links to others last); all or none."""
        self.check(names, staged=True)
        previous = self._staging / ".previous"
        done: list[tuple[str, Path | None]] = []
        current = ""
        try:
            previous.mkdir()
            for current in names:
                final = self._real / current
                backup = None
                if os.path.lexists(final):
                    backup = previous / current
                    try:
                        os.link(final, backup, follow_symlinks=False)
                    except OSError:
                        shutil.copy2(final, backup, follow_symlinks=False)
                os.chmod(self.path(current), 0o644)
                os.replace(self.path(current), final)
                done.append((current, backup))
        except BaseException as exc:
            self._undo(done)
            if isinstance(exc, OSError):
                raise EnvironmentFailure(f"{self.target / current}: cannot write: {exc.strerror or exc}; "
                                         "nothing was changed") from None
            raise
        return [self.target / name for name in names]

    def _undo(self, done: list[tuple[str, Path | None]]) -> None:
        for name, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    os.unlink(self._real / name)
                else:
                    os.replace(backup, self._real / name)
