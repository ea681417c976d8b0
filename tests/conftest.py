"""Fixtures shared by every test (helpers live in support.py: `conftest` names clash across folders)."""

from support import run_cli

__all__ = ["run_cli"]
