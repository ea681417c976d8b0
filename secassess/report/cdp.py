"""Chromium driven over the DevTools protocol through `--remote-debugging-pipe`: commands, replies and events.

The only module that speaks the protocol. The browser reads NUL-terminated JSON commands on its file
descriptor 3 and writes replies and events on 4; no port is opened, so no other local program can
reach the browser. A reader thread routes replies to their callers and events to `on_event`; a writer
thread sends, so the reader never blocks on a full pipe. When this process dies the pipe closes and
Chromium shuts itself down; `close` also kills the browser's whole process group.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any

from secassess.errors import EnvironmentFailure

Json = dict[str, Any]
EventHandler = Callable[[str, Json, str | None], None]
"""Called on the reader thread with (method, params, session id) for every event: it must not block."""

_LAUNCH = 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
"""/bin/sh moves the pipe ends it got as standard input and output to descriptors 3 and 4, then becomes the
browser (so no Python code runs in the forked child)."""
_CLOSE_GRACE = 3.0


class DevToolsFailure(EnvironmentFailure):
    """The browser failed, stopped or did not answer in time (exit 3)."""


class _Reply:
    __slots__ = ("done", "message")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.message: Json | None = None


class DevTools:
    """One browser process and its protocol connection; use `launch`, then `call`/`post`, then `close`."""

    def __init__(self, process: subprocess.Popen[bytes], commands: int, replies: int, stderr: Any,
                 name: str, on_event: EventHandler) -> None:
        self._process = process
        self._commands = commands
        self._replies = replies
        self._stderr = stderr
        self._name = name
        self._on_event = on_event
        self._ids = itertools.count(1)
        self._pending: dict[int, _Reply] = {}
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._gone = threading.Event()
        self._closed = False
        self._threads = [threading.Thread(target=self._read_loop, name="devtools-reader", daemon=True),
                         threading.Thread(target=self._write_loop, name="devtools-writer", daemon=True)]
        for thread in self._threads:
            thread.start()

    @classmethod
    def launch(cls, engine: str, flags: Sequence[str], *, on_event: EventHandler, timeout: float) -> DevTools:
        """Start `engine` with `flags` in its own process group and wait (up to `timeout` s) until it answers."""
        cmd_read, cmd_write = os.pipe()
        reply_read, reply_write = os.pipe()
        stderr = tempfile.TemporaryFile()  # noqa: SIM115 (owned by the DevTools object, closed by close())
        argv = ["/bin/sh", "-c", _LAUNCH, "sh", engine, "--remote-debugging-pipe", *flags]
        try:
            process = subprocess.Popen(argv, stdin=cmd_read, stdout=reply_write, stderr=stderr,
                                       start_new_session=True)
        except OSError as exc:
            for fd in (cmd_write, reply_read):
                os.close(fd)
            stderr.close()
            raise DevToolsFailure(f"cannot run {engine}: {exc.strerror}") from None
        finally:
            os.close(cmd_read)  # the browser's ends: only it may hold them, so its exit is our end of file
            os.close(reply_write)
        devtools = cls(process, cmd_write, reply_read, stderr, os.path.basename(engine), on_event)
        try:
            devtools.call("Browser.getVersion", timeout=timeout)
        except DevToolsFailure:
            if devtools.alive:
                message = f"{devtools._name} did not answer within {timeout:g} s of starting and was stopped"
            else:  # it exited: say how, with its last words
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=_CLOSE_GRACE)
                message = devtools._gone_message(starting=True)
            devtools.close(graceful=False)
            raise DevToolsFailure(message) from None
        except BaseException:
            devtools.close(graceful=False)
            raise
        return devtools

    @property
    def alive(self) -> bool:
        return not self._gone.is_set()

    def post(self, method: str, params: Json | None = None, session: str | None = None) -> None:
        """Send a command and do not wait for its reply (which is dropped, errors included)."""
        self._send(method, params, session, None)

    def call(self, method: str, params: Json | None = None, session: str | None = None, *,
             timeout: float) -> Json:
        """Send a command and return its result; `DevToolsFailure` on an error reply, timeout or browser exit."""
        reply = _Reply()
        number = self._send(method, params, session, reply)
        if not reply.done.wait(max(timeout, 0.0)):
            with self._lock:
                self._pending.pop(number, None)
            raise DevToolsFailure(f"{self._name} did not answer {method} within {timeout:g} s")
        message = reply.message
        if message is None:
            raise DevToolsFailure(self._gone_message())
        if "error" in message:
            error = message["error"]
            raise DevToolsFailure(f"{self._name} refused {method}: {error.get('message', error)}")
        result: Json = message.get("result", {})
        return result

    def _send(self, method: str, params: Json | None, session: str | None, reply: _Reply | None) -> int:
        number = next(self._ids)
        message: Json = {"id": number, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        with self._lock:
            if self._gone.is_set():
                if reply is not None:
                    reply.done.set()
                return number
            if reply is not None:
                self._pending[number] = reply
        self._outbox.put(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\0")
        return number

    def _write_loop(self) -> None:
        while (data := self._outbox.get()) is not None:
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(self._commands, view):]
            except OSError:
                self._mark_gone()
                return

    def _read_loop(self) -> None:
        buffer = bytearray()
        try:
            while chunk := os.read(self._replies, 1 << 20):
                buffer += chunk
                start = 0
                while (end := buffer.find(b"\0", start)) >= 0:
                    self._dispatch(json.loads(buffer[start:end]))
                    start = end + 1
                del buffer[:start]
        except (OSError, ValueError):
            pass
        finally:
            self._mark_gone()

    def _dispatch(self, message: Json) -> None:
        if "id" in message:
            with self._lock:
                reply = self._pending.pop(message["id"], None)
            if reply is not None:
                reply.message = message
                reply.done.set()
        elif "method" in message:
            self._on_event(message["method"], message.get("params", {}), message.get("sessionId"))

    def _mark_gone(self) -> None:
        """The connection ended: every caller still waiting gets `DevToolsFailure`."""
        with self._lock:
            self._gone.set()
            pending, self._pending = self._pending, {}
        for reply in pending.values():
            reply.done.set()

    def _gone_message(self, starting: bool = False) -> str:
        code = self._process.poll()
        how = "closed its end of the pipe" if code is None else (
            f"was killed by signal {-code}" if code < 0 else f"exited with code {code}")
        tail = self.stderr_tail()
        what = f"{self._name} {how} while starting" if starting else f"{self._name} stopped answering ({how})"
        return what + (f": {tail}" if tail else "")

    def stderr_tail(self, lines: int = 5) -> str:
        """The last lines the browser wrote on its standard error."""
        try:
            self._stderr.seek(0, os.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(0, size - 4096))
            text: str = self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return " / ".join(line.strip() for line in text.strip().splitlines()[-lines:])

    def close(self, graceful: bool = True) -> None:
        """Ask the browser to quit (unless not `graceful`), then kill what is left of its process group; idempotent."""
        if self._closed:
            return
        self._closed = True
        if graceful and self.alive:
            with contextlib.suppress(DevToolsFailure):
                self.call("Browser.close", timeout=_CLOSE_GRACE)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=_CLOSE_GRACE)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)  # a hung browser, and helpers it left behind
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=_CLOSE_GRACE)
        self._mark_gone()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(timeout=_CLOSE_GRACE)
        if not any(thread.is_alive() for thread in self._threads):  # never close a descriptor still in use
            for fd in (self._commands, self._replies):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._commands = self._replies = -1
        self._stderr.close()
