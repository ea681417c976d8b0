"""The fixture is the real result document: once the assess engine is installed, it must reproduce it."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from report_data import FIXTURE, FIXTURES, fixture, fixture_dict

from secassess.report.document import SCHEMA_ID, load_result, parse_result


def test_fixture_is_current_assess_output(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        api = importlib.import_module("secassess.api")
    except ImportError:
        pytest.skip("the assess engine (secassess.api) is not in this tree yet")
    monkeypatch.chdir(FIXTURES)
    produced = api.to_json(api.assess("inventory.yaml", waivers="waivers.yaml", as_of=dt.date(2026, 11, 22)))
    assert produced == FIXTURE.read_text(encoding="utf-8"), (
        "tests/report/fixtures/result.json is stale: regenerate it (see fixtures/README.md) and the golden files")


def test_fixture_reads_completely() -> None:
    result = load_result(FIXTURE)
    assert result.profile_id == "luat116" and result.as_of == dt.date(2026, 11, 22)
    assert [a.id for a in result.agencies] == ["stttt", "syt", "phuong-hl"]
    assert [a.rank for a in result.agencies] == [1, 2, 3]
    syt = result.agencies[1]
    assert sorted(syt.layers) == ["1", "2", "3", "4"]
    assert {f.waiver.expired for f in syt.findings if f.waiver} == {True, False}
    assert all(f.check in result.checks for f in syt.findings)
    assert fixture().organisation_name == "Tỉnh Sông Lam"
    assert SCHEMA_ID == "secassess/assessment-result"


def test_in_memory_assessment_reads_like_the_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """`from_engine` (what `secassess report INVENTORY` uses) gives the records `--from-result` gives."""
    try:
        api = importlib.import_module("secassess.api")
        inputs = importlib.import_module("secassess.report.inputs")
    except ImportError:
        pytest.skip("the assess engine (secassess.api) is not in this tree yet")
    monkeypatch.chdir(FIXTURES)
    result = api.assess("inventory.yaml", waivers="waivers.yaml", as_of=dt.date(2026, 11, 22))
    assert inputs.from_engine(result) == parse_result(fixture_dict(), str(FIXTURE))


def test_graph_pictures_are_admitted() -> None:
    try:
        inputs = importlib.import_module("secassess.report.inputs")
    except ImportError:
        pytest.skip("the graph component is not in this tree yet")
    from secassess.inventory.load import load_inventory
    from secassess.report.svgsafe import checked_svg

    pictures = inputs.network_pictures(load_inventory(str(FIXTURES / "inventory.yaml")))
    assert sorted(pictures) == ["phuong-hl", "stttt", "syt"]
    for svg in pictures.values():
        assert checked_svg(svg).text == svg.strip()
