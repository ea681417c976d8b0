"""Finding headless Chromium, and the switches every run of it gets (the print sandbox adds its own in pdf.py)."""

from __future__ import annotations

import shutil

from secassess.errors import EnvironmentFailure

DEFAULT_ENGINE = "chromium"
DEFAULT_TIMEOUT = 120.0
"""Seconds for the browser to start, and for each PDF."""
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars", "--mute-audio")
"""No network of its own, no profile carried over (headless Chromium makes a temporary one and deletes it on
exit), nothing that needs a display. `--no-sandbox`: Chromium's own process sandbox needs privileges that
containers and root accounts lack; what the page may do is limited by the print sandbox instead."""
INSTALL_HINT = "install chromium: apt-get install chromium"


def find_engine(engine: str | None = None) -> str:
    """Absolute path of the Chromium executable (`engine`: a name on PATH or a path); else `EnvironmentFailure`."""
    name = engine or DEFAULT_ENGINE
    found = shutil.which(name)
    if found is None:
        raise EnvironmentFailure(f"PDF output needs headless Chromium and {name!r} was not found; {INSTALL_HINT}")
    return found
