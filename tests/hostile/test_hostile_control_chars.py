"""Item 13.5 and issue 12 item 9: control characters in names are flagged by lint at their line and shown as
visible escapes by every output (terminal text with or without colour, CI annotations, HTML, Markdown, the
report's SVG, GraphML that networkx reads back, DOT)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx
import pytest

from secassess.textsafe import CONTROL_CHARACTERS, printable

# YAML double-quoted escapes: ESC sequences (clear screen, set the window title), NUL, a bidi override
HOSTILE_YAML = """\
organisation: {name: "Tỉnh \\e[2J\\e]0;pwned\\a", code: ttn}
agencies:
  - id: so-a
    name: "Sở \\u202Egnp.exe"
    kind: department
    zones:
      - {id: dmz, name: "DMZ \\e[31mred\\0", kind: dmz}
      - {id: lan, name: "LAN \\u202E\\u2066x", kind: internal}
    zone_links:
      - {from: internet, to: dmz, controls: [firewall], note: "line\\r\\n::error ::forged"}
      - {from: dmz, to: lan, controls: [none]}
    servers:
      - hostname: web01
        addresses: [10.0.0.5]
        zone: dmz
        os: {name: "Linux\\e[8m hidden"}
"""
RAW = ("\x1b", "\x00", "\u202e", "\u2066", "\x07")


def _inventory(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_YAML, encoding="utf-8")
    return path


def _secassess(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os
    return subprocess.run([sys.executable, "-m", "secassess", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _assert_clean(text: str, where: str) -> None:
    raw = [repr(c) for c in RAW if c in text]
    assert not raw, f"{where} holds raw {', '.join(raw)}"


def test_printable_shows_every_control_character() -> None:
    assert printable("a\x1b[2Jb\x00\u202ec\n\td") == "a\\x1b[2Jb\\x00\\u202ec\\n\td"
    assert printable("x\ny", keep="\n") == "x\ny"
    assert printable("Sở Y tế") == "Sở Y tế"


def test_lint_flags_each_at_its_line(tmp_path: Path, run_cli: Any) -> None:
    inventory = _inventory(tmp_path)
    code, out, _err = run_cli("lint", str(inventory))
    assert code == 2
    flagged = {int(line.split(":")[1]) for line in out.splitlines() if "SA-LINT-CONTROL-CHAR" in line}
    assert flagged == {1, 4, 7, 8, 10, 16}, out
    assert "\\x1b, \\x07" in out and "\\u202e" in out and "\\x00" in out
    _assert_clean(out, "lint output")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}])
def test_assess_text_shows_escapes(tmp_path: Path, env: dict[str, str]) -> None:
    done = _secassess("assess", str(_inventory(tmp_path)), "--as-of", "2026-11-22", env=env)
    assert done.returncode == 0, done.stderr
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in done.stdout and "\\u202egnp.exe" in done.stdout
    for seq in ("\x1b[2J", "\x1b]0", "\x1b[8m", "\u202e", "\x00", "\x07"):
        assert seq not in done.stdout, repr(seq)
    if "NO_COLOR" in env:
        assert "\x1b" not in done.stdout


def test_a_key_cannot_forge_a_ci_command(tmp_path: Path, run_cli: Any) -> None:
    """Issue 12 item 9: a key with a line break and `::error` prints on one line, in text and in errors."""
    inventory = tmp_path / "inv.yaml"
    inventory.write_text('organisation: {name: T, code: t}\nagencies:\n  - id: a\n    name: A\n    kind: department\n'
                         '    "x\\n::error file=a,line=1::forged": 1\n', encoding="utf-8")
    for command in (("lint", str(inventory)), ("lint", "--format", "github", str(inventory)),
                    ("assess", str(inventory))):
        code, out, err = run_cli(*command)
        assert code == 2
        lines = (out + err).splitlines()
        assert lines
        forged = [line for line in lines if line.startswith("::") and "forged" in line and "title=" not in line]
        assert not forged, lines
        assert any("x\\n::error" in line or "x%0A::error" in line for line in lines), lines


def test_github_annotations_escape_controls(tmp_path: Path, run_cli: Any) -> None:
    _code, out, _err = run_cli("lint", "--format", "github", str(_inventory(tmp_path)))
    _assert_clean(out, "github annotations")
    assert out.count("\n") == len(out.splitlines())


def test_reports_are_clean_and_the_svg_is_accepted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _secassess("report", str(_inventory(tmp_path)), "--out", str(out), "--as-of", "2026-11-22",
                      "--format", "html,md")
    assert done.returncode == 0, done.stderr
    html = (out / "so-a.html").read_text(encoding="utf-8")
    assert "<svg" in html and "DMZ \\x1b[31mred\\x00" in html
    for path in [*out.glob("*.html"), *out.glob("*.md")]:  # result.json keeps the data as it is (JSON-escaped)
        _assert_clean(path.read_text(encoding="utf-8"), path.name)
    assert "gnp.exe" in (out / "so-a.md").read_text(encoding="utf-8")


def test_graphml_reads_back_and_dot_is_clean(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    graphml = _secassess("graph", str(inventory), "--export", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert graphml.returncode == 0, graphml.stderr
    graph = networkx.read_graphml(tmp_path / "g.graphml")
    values = [str(value) for _node, data in graph.nodes(data=True) for value in data.values()]
    assert any("\\x1b[31mred" in value for value in values), values
    dot = _secassess("graph", str(inventory), "--export", "dot")
    assert dot.returncode == 0, dot.stderr
    _assert_clean(dot.stdout, "dot")


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_blast_radius_outputs_are_clean(tmp_path: Path, fmt: str) -> None:
    done = _secassess("blast-radius", str(_inventory(tmp_path)), "web01", "--format", fmt)
    assert done.returncode == 0, done.stderr
    _assert_clean(done.stdout, f"blast-radius {fmt}")
    assert not CONTROL_CHARACTERS.search(done.stdout.replace("\n", ""))


def test_graph_findings_text_is_clean(tmp_path: Path) -> None:
    done = _secassess("graph", str(_inventory(tmp_path)))
    assert done.returncode in (0, 1), done.stderr
    _assert_clean(done.stdout, "graph findings")
