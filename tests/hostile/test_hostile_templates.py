"""Item 13.2 (templates): a user's template has CPU, memory and output limits, and every way it can go wrong
is exit 2 naming the template and line, also in the forked workers that render large provinces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from secassess.errors import InputError
from secassess.report import jinja_env
from secassess.report.render_limits import RenderLimits
from secassess.report.service import render_reports

REPORT = Path(__file__).resolve().parent.parent / "report"
sys.path.insert(0, str(REPORT))
from report_data import FIXTURE, fixture  # noqa: E402

SMALL = RenderLimits(cpu_seconds=1.0, output_chars=200_000, value_chars=100_000)
"""Output reached in about 0.1 s of a loop: the output limit is met long before the CPU limit, even when busy."""

PAYLOADS = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "CPU time"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "output is over"),
    ("{{ 'A' * 300000000 }}", "repeating"),
    ("{{ [0] * 300000000 }}", "repeating"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "recursed too deeply"),
    ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "recursed too deeply"),
    ("{{ range(10**9)|list }}", "range(1000000000,)"),
    ("{{ lipsum(10**9) }}", "over the limit"),
    ("{{ lipsum(1000, max=1000) }}", "over 100,000 words"),
    ("{{ lipsum('many') }}", "whole numbers"),
    ("{{ 'x'.ljust(10**9) }}", "over the limit"),
    ("{{ (2).to_bytes(10**9, 'big') }}", "over the limit"),
    ("{{ '{:>999999999}'.format(1) }}", "field width"),
    ("{{ '{0:{1}}'.format(1, 999999999) }}", "999,999,999 was asked for"),
    ("{{ '%999999999d' % 1 }}", "field width"),
    ("{{ '%*d' % (999999999, 1) }}", "999,999,999 was asked for"),
    ("{{ '%999999999d'|format(1) }}", "field width"),
    ("{{ 'x'|center(10**9) }}", "over the limit"),
    ("{{ 'x'|indent(10**9) }}", "over the limit"),
    ("{{ [1]|batch(10**9, 0)|list }}", "over the limit"),
    ("{{ 10 ** (10 ** 10) }}", "power"),
    ("{{ ('a' * 1000).replace('a', 'b' * 50000) }}", "replacement"),
    ("{{ ('a' * 1000)|replace('a', 'b' * 50000) }}", "replacement"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "joining"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ agency.name|date }}", "template error"),
]


def _templates(tmp_path: Path, payload: str) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "agency_report.md.j2").write_text(f"# {{{{ agency.name }}}}\n{payload}\n", encoding="utf-8")
    return templates


def _expect_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str, message: str,
                    workers: int) -> None:
    monkeypatch.setattr(jinja_env, "DEFAULT_LIMITS", SMALL)
    with pytest.raises(InputError) as caught:
        render_reports(fixture(), tmp_path / "out", formats=("md",), templates_dir=_templates(tmp_path, payload),
                       workers=workers)
    assert "agency_report.md.j2:2:" in caught.value.message
    assert message in caught.value.message


@pytest.mark.parametrize(("payload", "message"), PAYLOADS)
def test_user_template_hits_a_limit_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str,
                                               message: str) -> None:
    _expect_refusal(tmp_path, monkeypatch, payload, message, workers=1)
    assert not (tmp_path / "out" / "syt.md").exists()


@pytest.mark.parametrize(("payload", "message"), [PAYLOADS[0], PAYLOADS[2], PAYLOADS[4]])
def test_limits_hold_in_forked_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str,
                                       message: str) -> None:
    _expect_refusal(tmp_path, monkeypatch, payload, message, workers=2)


def test_limits_do_not_touch_a_normal_user_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja_env, "DEFAULT_LIMITS", SMALL)
    payload = ("{% for i in range(3) %}{{ i }}{% endfor %} {{ '%05d' % 7 }} {{ '{:>4}'.format('a') }} "
               "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ lipsum(1, false, 5, 6)|length > 0 }} {{ 'x'|center(5) }}")
    render_reports(fixture(), tmp_path / "out", formats=("md",), templates_dir=_templates(tmp_path, payload))
    text = (tmp_path / "out" / "syt.md").read_text(encoding="utf-8")
    assert "012 00007 a ababab 1024 True x" in text


def test_cli_big_output_is_exit_2_with_the_line(tmp_path: Path) -> None:
    templates = _templates(tmp_path, "{{ 'A' * 300000000 }}")
    done = subprocess.run([sys.executable, "-m", "secassess", "report", "--from-result", str(FIXTURE), "--out",
                           str(tmp_path / "out"), "--format", "md", "--templates", str(templates)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"{templates / 'agency_report.md.j2'}:2:" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "out").glob("*.md"))


def test_oversized_template_file_is_refused(tmp_path: Path) -> None:
    templates = _templates(tmp_path, "x" * (jinja_env.MAX_TEMPLATE_BYTES + 1))
    with pytest.raises(InputError, match=r"over the .*-character limit"):
        render_reports(fixture(), tmp_path / "out", formats=("md",), templates_dir=templates)
