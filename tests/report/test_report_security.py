"""Attacker-controlled text stays text; user templates cannot reach Python; embedded SVG is checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_data import XSS, fixture, hostile

from secassess.errors import InputError
from secassess.report.jinja_env import autoescape_for
from secassess.report.markdown import escape_md
from secassess.report.service import render_reports
from secassess.report.svgsafe import checked_svg

DANGEROUS = re.compile(r"<script|<img", re.IGNORECASE)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hostile_text_is_escaped_in_html_and_markdown(tmp_path: Path, lang: str) -> None:
    paths = render_reports(hostile(), tmp_path / "out", formats=("html", "md"), lang=lang)
    for path in (p for p in paths if p.suffix != ".json"):  # result.json is data, JSON-escaped by its writer
        text = path.read_text(encoding="utf-8")
        for payload in XSS:
            assert payload not in text, f"{path.name} contains {payload!r} unescaped"
        assert not DANGEROUS.search(text), f"{path.name}: {DANGEROUS.search(text)}"
    html = (tmp_path / "out" / "syt.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = (tmp_path / "out" / "syt.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in markdown


def test_autoescape_covers_double_extensions() -> None:
    for name in ("a.html", "agency_report.html.j2", "x.htm", "x.xml", "x.svg", "X.HTML.J2", None):
        assert autoescape_for(name), name
    assert not autoescape_for("agency_report.md.j2")


def test_markdown_escape() -> None:
    assert escape_md("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert escape_md("[click](javascript:alert(1))") == "\\[click\\]\\(javascript:alert\\(1\\)\\)"
    assert escape_md("a | b\n# c") == "a \\| b \\# c"
    assert escape_md("- item") == "\\- item"
    assert escape_md("1. item") == "1\\. item"
    assert escape_md("Sở Y tế") == "Sở Y tế"


INJECTIONS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ agency.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% set x = agency.contacts.append(1) %}{{ x }}",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_user_template_injection_is_an_input_error(tmp_path: Path, payload: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agency_report.md.j2").write_text(f"# {{{{ agency.name }}}}\n{payload}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_reports(fixture(), tmp_path / "out", formats=("md",), templates_dir=templates)
    message = caught.value.message
    assert "agency_report.md.j2:2" in message
    assert "unsafe" in message or "template error" in message
    assert caught.value.exit_code == 2
    assert not (tmp_path / "out" / "syt.md").exists()


def test_user_templates_override_and_fall_back(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agency_report.md.j2").write_text("custom {{ agency.name }} {{ _('Score') }}\n", encoding="utf-8")
    render_reports(fixture(), tmp_path / "out", formats=("md", "html"), templates_dir=templates)
    assert (tmp_path / "out" / "syt.md").read_text(encoding="utf-8") == "custom Sở Y tế tỉnh Sông Lam Điểm\n"
    assert "<svg" in (tmp_path / "out" / "syt.html").read_text(encoding="utf-8")


def test_user_template_syntax_error_is_placed(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agency_report.html.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"agency_report\.html\.j2:2"):
        render_reports(fixture(), tmp_path / "out", formats=("html",), templates_dir=templates)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect x="1" y="1" width="5" height="5"/></svg>'


def test_network_svg_is_embedded_unescaped(tmp_path: Path) -> None:
    render_reports(fixture(), tmp_path, formats=("html",), network_picture=lambda a: SVG if a == "syt" else None)
    assert SVG in (tmp_path / "syt.html").read_text(encoding="utf-8")
    assert 'id="network"' not in (tmp_path / "stttt.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><img src="x"/></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><use x:href="http://e/x"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><![CDATA[</svg><script>alert(1)</script>]]></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://e/x.css);</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"></svg><script>alert(1)</script>',
    '<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>',
])
def test_unsafe_svg_is_refused(svg: str) -> None:
    with pytest.raises(InputError, match="refused to embed"):
        checked_svg(svg)
