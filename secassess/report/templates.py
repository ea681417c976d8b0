"""Where the shipped report templates are: inside the installed package, else the checkout's top level."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from secassess.errors import EnvironmentFailure

_REPO_TOP = Path(__file__).resolve().parent.parent.parent


def shipped_templates_dir() -> Path:
    """`secassess/_data/templates` in a wheel, `templates/` in a source checkout."""
    packaged = resources.files("secassess").joinpath("_data", "templates")
    for candidate in (Path(str(packaged)), _REPO_TOP / "templates"):
        if (candidate / "agency_report.html.j2").is_file():
            return candidate
    raise EnvironmentFailure("the report templates are missing from this installation; reinstall secassess")
