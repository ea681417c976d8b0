"""Where the shipped report templates are (see `secassess.resources`), checked to be there."""

from __future__ import annotations

from pathlib import Path

from secassess.errors import EnvironmentFailure
from secassess.resources import templates_dir


def shipped_templates_dir() -> Path:
    """`secassess/_data/templates` in a wheel, `templates/` in a source checkout."""
    found = templates_dir()
    if not (found / "agency_report.html.j2").is_file():
        raise EnvironmentFailure(f"the report templates are missing ({found}); reinstall secassess")
    return found
