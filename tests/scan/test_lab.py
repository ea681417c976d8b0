"""The loopback lab: listeners, banners, refusal of real addresses, the Ctrl-C-able entry point."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from secassess.errors import EnvironmentFailure, UsageError
from secassess.scan.lab import DEMO_LAB, Lab, Listener

ROOT = Path(__file__).resolve().parents[2]


def test_lab_refuses_non_loopback() -> None:
    with pytest.raises(UsageError, match="loopback"):
        Lab([Listener("10.0.0.1", 22)])


def test_lab_answers_with_banner() -> None:
    with Lab(DEMO_LAB[:1]), socket.create_connection(("127.0.0.21", 2222), timeout=2) as conn:
        assert conn.recv(100).startswith(b"SSH-2.0-")


def test_busy_port_is_environment_failure() -> None:
    with Lab([Listener("127.0.0.41", 2222)]):
        blocker = socket.socket()
        try:
            blocker.bind(("127.0.0.42", 2223))
            blocker.listen()
            with pytest.raises(EnvironmentFailure, match=r"127\.0\.0\.42:2223"), Lab([Listener("127.0.0.42", 2223)]):
                pass
        finally:
            blocker.close()


def test_entry_point_runs_until_ctrl_c() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "secassess.scan.lab", "--listen", "127.0.0.43:2222"],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().startswith("listening on 127.0.0.43:2222")
        assert "Ctrl-C" in proc.stderr.readline()
        with socket.create_connection(("127.0.0.43", 2222), timeout=2):
            pass
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_entry_point_refuses_bad_listener() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "secassess.scan.lab", "--listen", "8.8.8.8:53"],
                          capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 2
    assert "loopback" in done.stderr


GUARD_CHECK = """
import ipaddress
from secassess.errors import UsageError
from secassess.scan.argv import NmapInvocation
from secassess.scan.targets import parse_targets
scope = [ipaddress.ip_network("127.0.0.0/8")]
refused = 0
for call in (lambda: parse_targets(["127.0.0.10 --script=/tmp/x.nse"], scope),
             lambda: NmapInvocation("127.0.0.1", "-sT -iL /etc/passwd")):
    try:
        call()
    except UsageError:
        refused += 1
print(refused)
"""


def test_guard_holds_under_python_O() -> None:
    """python-nmap's only guard is an assert that -O removes; ours must not depend on asserts."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-O", "-c", GUARD_CHECK], capture_output=True, text=True, env=env,
                          timeout=30)
    assert done.stdout.strip() == "2", done.stderr
