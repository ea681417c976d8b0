"""Where the shipped data directories are: the packaged copy first, else the dev checkout's top level."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_TOP = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    packaged = resources.files("secassess").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return _REPO_TOP / name


def checklists_dir() -> Path:
    """The shipped `checklists/` directory (sources, checks, profiles)."""
    return _data_dir("checklists")


def templates_dir() -> Path:
    """The shipped `templates/` directory (report templates)."""
    return _data_dir("templates")
