"""Sample-inventory variants for the history tests, made by small text edits (each documented), and their results.

The three deliberate changes of the issue's "done when": a fix (stp-fs01 gets admin MFA), a regression
(stttt-ad01 loses admin MFA) and a removed server (syt-his-rpt01, also taken off its system's server list).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from support import REPO

__all__ = ["REPO"]

from secassess.api import assess, to_json

SAMPLE = REPO / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)
REMOVED_SERVER = "syt-his-rpt01"


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def _server_block(text: str, hostname: str) -> tuple[int, int]:
    """Character span of one server entry (its `- hostname:` line to the next entry or section)."""
    start = text.index(f"      - hostname: {hostname}\n")
    end = start + 1
    while True:
        line_end = text.index("\n", end) + 1
        nxt = text[line_end:text.index("\n", line_end) + 1]
        end = line_end
        if not nxt.startswith("        "):
            return start, end


def set_in_server(text: str, hostname: str, old: str, new: str) -> str:
    """Replace `old` by `new` inside one server's entry (exactly one occurrence there)."""
    start, end = _server_block(text, hostname)
    block = text[start:end]
    assert block.count(old) == 1, (hostname, old)
    return text[:start] + block.replace(old, new) + text[end:]


def add_to_server(text: str, hostname: str, line: str) -> str:
    """Append a `key: value` line to a server's entry."""
    _start, end = _server_block(text, hostname)
    return text[:end] + f"        {line}\n" + text[end:]


def remove_server(text: str, hostname: str) -> str:
    start, end = _server_block(text, hostname)
    text = text[:start] + text[end:]
    return text.replace(f", {hostname}]", "]").replace(f", {hostname},", ",").replace(f"[{hostname}, ", "[")


def three_changes(text: str) -> str:
    text = set_in_server(text, "stp-fs01", "admin_mfa: false", "admin_mfa: true")
    text = set_in_server(text, "stttt-ad01", "admin_mfa: true", "admin_mfa: false")
    return remove_server(text, REMOVED_SERVER)


def one_new_high(text: str) -> str:
    """stttt-fs01's operating system past its end of life: SA-SRV-EOL-001 (high) fails, one finding."""
    return set_in_server(text, "stttt-fs01", "end_of_life: 2031-10-14", "end_of_life: 2026-01-13")


def write_result(inventory_text: str, folder: Path, name: str, as_of: dt.date = AS_OF, **kwargs: object) -> Path:
    """Assess `inventory_text` (written as `<name>.yaml`) and write `<name>.json`; return the JSON path."""
    folder.mkdir(parents=True, exist_ok=True)
    inventory = folder / f"{name}.yaml"
    inventory.write_text(inventory_text, encoding="utf-8")
    out = folder / f"{name}.json"
    out.write_text(to_json(assess(inventory, as_of=as_of, **kwargs)), encoding="utf-8")  # type: ignore[arg-type]
    return out
