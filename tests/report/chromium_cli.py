"""Headless Chromium run once from its command line (`--screenshot`, `--dump-dom`) for the browser tests.

Reports are printed through `secassess.report.pdf.PdfPrinter`; this helper only looks at rendered HTML.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence

from secassess.report.chromium import FLAGS


def run_chromium(engine: str, args: Sequence[str], timeout: float = 120.0) -> str:
    """Run `engine` headless with `args` and a fresh profile; return its standard output.

    It runs in its own process group, which is killed whole when `timeout` seconds pass.
    """
    with tempfile.TemporaryDirectory(prefix="secassess-chromium-") as profile:
        command = [engine, *FLAGS, f"--user-data-dir={profile}", *args]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True, text=True,
                                   encoding="utf-8", errors="replace")
        try:
            out, err = process.communicate(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 0, f"{engine} failed (exit {process.returncode}): {err[-2000:]}"
    return out
