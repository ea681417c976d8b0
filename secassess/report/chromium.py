"""Headless Chromium, run as a bounded subprocess: found or refused clearly, killed with its children if it hangs."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence

from secassess.errors import EnvironmentFailure

DEFAULT_ENGINE = "chromium"
DEFAULT_TIMEOUT = 120.0
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars", "--mute-audio")
"""No network of its own, no profile carried over, nothing that needs a display."""
INSTALL_HINT = "install chromium: apt-get install chromium"


def find_engine(engine: str | None = None) -> str:
    """Absolute path of the Chromium executable (`engine`: a name on PATH or a path); else `EnvironmentFailure`."""
    name = engine or DEFAULT_ENGINE
    found = shutil.which(name)
    if found is None:
        raise EnvironmentFailure(f"PDF output needs headless Chromium and {name!r} was not found; {INSTALL_HINT}")
    return found


def run_chromium(engine: str, args: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run `engine` headless with `args` and a fresh profile; return its standard output.

    It runs in its own process group, which is killed whole when `timeout` seconds pass.
    """
    with tempfile.TemporaryDirectory(prefix="secassess-chromium-") as profile:
        command = [engine, *FLAGS, f"--user-data-dir={profile}", *args]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, start_new_session=True, text=True,
                                       encoding="utf-8", errors="replace")
        except OSError as exc:
            raise EnvironmentFailure(f"cannot run {engine}: {exc.strerror}; {INSTALL_HINT}") from None
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise EnvironmentFailure(f"{engine} did not finish within {timeout:g} s and was stopped") from None
        except BaseException:
            _kill_group(process)
            process.communicate()
            raise
        finally:
            _kill_group(process)  # helpers the browser left behind
    if process.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-5:])
        raise EnvironmentFailure(f"{engine} failed (exit {process.returncode}): {tail}")
    return out


def _kill_group(process: subprocess.Popen[str]) -> None:
    """Kill the process group Chromium started (the browser, its renderers and zygote)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
