"""Shared test helpers: paths, tools, running the CLI in-process and as the installed console script."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
INVENTORIES = Path(__file__).resolve().parent / "inventories"
AS_OF = "2026-11-22"


def in_ci() -> bool:
    """CI sets CI=true; there, tests that need a tool must fail rather than skip when it is missing."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """Path of an external program; skip locally when missing, fail in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (scripts/test.sh installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def data_file(*parts: str) -> Path:
    """A file from tests/data (schemas, nmap corpus): kept in the repository, so any clone can run the tests."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing from the repository")
    return path


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `secassess ARGS` in-process; return (exit code, stdout, stderr)."""
    from secassess.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def console_script() -> str:
    """The installed `secassess` console script next to this Python."""
    candidate = Path(sys.executable).parent / "secassess"
    if not candidate.exists():
        pytest.fail("the secassess console script is not installed in this environment; run scripts/test.sh")
    return str(candidate)
