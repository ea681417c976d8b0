"""Progress is drawn on a terminal only: a pseudo-terminal sees the steps, a pipe sees nothing."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from support import AS_OF, REPO

SAMPLE = str(REPO / "sample_inventory.yaml")


def _run(tmp_path: Path, terminal: bool, *extra: str) -> tuple[int, bytes]:
    argv = [sys.executable, "-m", "secassess", *extra]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    if not terminal:
        done = subprocess.run(argv, capture_output=True, cwd=REPO, env=env, check=False)
        return done.returncode, done.stderr
    main, other = pty.openpty()
    try:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=other, cwd=REPO, env=env)
        os.close(other)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        return process.wait(), seen
    finally:
        os.close(main)


def test_steps_are_shown_on_a_terminal_and_nowhere_else(tmp_path: Path) -> None:
    args = ("report", SAMPLE, "--as-of", AS_OF, "--format", "md", "-o", str(tmp_path / "out"))
    code, shown = _run(tmp_path, True, *args)
    assert code == 0
    for label in (b"load", b"assess", b"reports"):
        assert label in shown, shown[-2000:]
    code, piped = _run(tmp_path, False, *args)
    assert code == 0
    assert b"assess" not in piped and b"\x1b[" not in piped
