"""Item 13.9: bare URLs in inventory text do not become links in the Markdown report, as GitHub renders it
(cmarkgfm: GitHub's own cmark fork, with the autolink extension)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest

from secassess.report.markdown import escape_md

INVENTORY = """\
organisation: {name: "Tỉnh https://evil.example/org", code: ttn}
agencies:
  - id: so-a
    name: "Sở www.evil.example và http://evil.example/a_(b)"
    kind: department
    security_officer: {name: "Ông A ftp://evil.example/x", email: a@so-a.gov.vn}
    systems:
      - {id: s1, name: "Cổng https://evil.example:8443/login?next=x|y", level: 3}
"""


def _links(markdown: str) -> list[str]:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return re.findall(r'href="([^"]*)"', html)


@pytest.mark.parametrize("text", [
    "https://evil.example/a", "see www.evil.example.", "x http://evil.example/a_b?c=d|e y", "ftp://evil.example",
    "HTTPS://EVIL.EXAMPLE", "(http://evil.example)", "1. https://evil.example", "- www.evil.example",
])
def test_escaped_text_has_no_link(text: str) -> None:
    assert not [h for h in _links(escape_md(text)) if "evil" in h.lower()], escape_md(text)
    assert "evil" in cmarkgfm.github_flavored_markdown_to_html(escape_md(text)).lower()


def test_markdown_report_has_no_link_from_inventory_text(tmp_path: Path) -> None:
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "secassess", "report", str(inventory), "--out", str(tmp_path / "out"),
                           "--format", "md", "--as-of", "2026-11-22"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    markdown = (tmp_path / "out" / "so-a.md").read_text(encoding="utf-8")
    assert markdown.count("evil.example") >= 3
    assert not [h for h in _links(markdown) if "evil" in h.lower()]
