"""Fixtures for scan tests: nmap presence, a PATH-shadowing nmap that records calls, loopback labs."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from secassess.scan.lab import Lab, Listener


@pytest.fixture
def real_nmap() -> str:
    """Path of the real nmap; in CI a missing nmap fails the test instead of skipping it."""
    path = shutil.which("nmap")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("nmap is required in CI: apt-get install nmap")
        pytest.skip("nmap is not installed")
    return path


@pytest.fixture
def fake_nmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Install an `nmap` first on PATH that logs each invocation; returns a factory taking its body."""

    def install(body: str = "") -> Path:
        log = tmp_path / "nmap-calls.log"
        bindir = tmp_path / "bin"
        bindir.mkdir(exist_ok=True)
        script = bindir / "nmap"
        script.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "$*" >> "{log}"\n'
            'if [ "$1" = "-V" ]; then echo "Nmap version 7.93 ( https://nmap.org )"; exit 0; fi\n'
            + body)
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
        return log

    return install


@pytest.fixture
def lab() -> Iterator[Callable[[tuple[tuple[str, int], ...]], Lab]]:
    """Factory opening loopback listeners for the test's duration."""
    opened: list[Lab] = []

    def start(spec: tuple[tuple[str, int], ...]) -> Lab:
        running = Lab([Listener(a, p) for a, p in spec]).__enter__()
        opened.append(running)
        return running

    yield start
    for running in opened:
        running.__exit__(None, None, None)


def nmap_processes() -> list[str]:
    """Every nmap process on the machine, zombies included (`ps` lines)."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,stat,comm"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines()[1:] if line.split()[-1] == "nmap"]


@pytest.fixture
def no_nmap_left() -> Iterator[None]:
    """Fail if the test leaves an nmap process (running or zombie) that was not there before."""
    before = {line.split()[0] for line in nmap_processes()}
    yield
    ours = {str(os.getpid()), "1"}  # ours while running, or orphaned (reparented to init) after we let go
    left = [line for line in nmap_processes() if line.split()[0] not in before and line.split()[1] in ours]
    assert not left, f"nmap processes left behind: {left}"
