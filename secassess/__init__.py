"""secassess: information-security posture assessment of a province's agencies."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("assess", "list_checks", "load_result", "render_text", "should_fail", "to_diagnostics", "to_json")


def __getattr__(name: str) -> Any:
    """Lazy access to the library API (`secassess.assess(...)`) without importing it at start-up."""
    if name in _API:
        from secassess import api
        return getattr(api, name)
    raise AttributeError(f"module 'secassess' has no attribute {name!r}")
