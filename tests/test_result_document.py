"""The one result model and its document: the library, the CLI and the report give the same bytes, and
reading a document (whole or streamed) gives back exactly what was written."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from support import AS_OF, REPO

import secassess
from secassess.assessment import document
from secassess.assessment.document import SCHEMA, parse_document, read_result, to_json
from secassess.assessment.store import AgencyStore
from secassess.diagnostics import Outcome
from secassess.errors import InputError
from secassess.inventory.load import load_inventory

FIXTURES = REPO / "tests" / "report" / "fixtures"
FIXTURE = FIXTURES / "result.json"
SAMPLE = REPO / "sample_inventory.yaml"
DAY = dt.date.fromisoformat(AS_OF)


def test_fixture_is_current_assess_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    produced = secassess.to_json(secassess.assess("inventory.yaml", waivers="waivers.yaml", as_of=DAY))
    assert produced == FIXTURE.read_text(encoding="utf-8"), (
        "tests/report/fixtures/result.json is stale: regenerate it (see fixtures/README.md) and the golden files")


def test_library_cli_and_report_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     run_cli: object) -> None:
    """One result model: `secassess.assess` = `assess --format json` = the report's result.json."""
    shutil.copy(SAMPLE, tmp_path / "inventory.yaml")
    monkeypatch.chdir(tmp_path)
    library = secassess.to_json(secassess.assess("inventory.yaml", as_of=DAY))
    code, out, _ = run_cli("assess", "inventory.yaml", "--as-of", AS_OF, "--format", "json")  # type: ignore[operator]
    assert code == 0
    assert out == library
    assert any(c["id"].startswith("SA-GRAPH-") for c in json.loads(library)["checks"])  # graph checks ran
    code, _, _ = run_cli("report", "inventory.yaml", "--as-of", AS_OF, "-o", "reports")  # type: ignore[operator]
    assert code == 0
    assert (tmp_path / "reports" / "result.json").read_text(encoding="utf-8") == library


def test_round_trip_is_byte_identical() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert to_json(read_result(FIXTURE)) == text
    assert to_json(parse_document(json.loads(text))) == text


def test_province_defaults_and_the_transition_travel_as_data() -> None:
    """Why a number is the province's own (in both languages) and the Law 116 transition are in the document, so
    a report made from it words them as one made from the assessment."""
    result = secassess.assess(SAMPLE, as_of=DAY)
    text = to_json(result)
    back = parse_document(json.loads(text))
    assert to_json(back) == text
    rule = back.header.transition
    assert rule is not None and rule == result.header.transition and rule.citation == "luat116-2025 Art. 45.1"
    due = [f for f in back.findings if f.waiver is not None and f.waiver.transition]
    assert due and all(f.outcome is Outcome.WAIVED and f.waiver and f.waiver.expires == rule.due for f in due)
    assert back.checks == result.checks
    assert all(note.reason_vi for check in back.checks for note in check.province_defaults)
    for finding in back.findings:  # each province-default note a finding carries is one of its check's
        notes = {note.text() for note in back.check(finding.check).province_defaults}
        assert {n for n in finding.notes if n.startswith("province default")} <= notes


def test_streamed_read_equals_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_result(FIXTURE)
    monkeypatch.setattr(document, "WHOLE_READ_BYTES", 0)
    monkeypatch.setattr(document._Scanner, "CHUNK", 1)  # tiny reads: strings, numbers and UTF-8 cut everywhere
    streamed = read_result(FIXTURE)
    assert to_json(streamed) == to_json(whole)
    assert streamed.findings == whole.findings


def _many_agencies(copies: int) -> str:
    """The fixture with `copies` copies of each agency: far more text than the header reads ahead."""
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ranking, agencies = [], []
    for n in range(copies):
        for row, agency in zip(doc["ranking"], doc["agencies"], strict=True):
            new_id = f"{row['agency']}-{n:03d}"
            ranking.append({**row, "agency": new_id, "rank": len(ranking) + 1})
            agencies.append({**agency, "id": new_id})
    doc.update(ranking=ranking, agencies=agencies)
    return to_json(parse_document(doc))


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_streamed_read_of_a_long_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Reads that end inside a string, a number, a key or a UTF-8 sequence, long after the header."""
    text = _many_agencies(40)
    path = tmp_path / "long.json"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(document, "WHOLE_READ_BYTES", 0)
    monkeypatch.setattr(document._Scanner, "CHUNK", chunk)
    assert to_json(read_result(path)) == text


def test_spilled_store_reads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("secassess.assessment.store.SPILL_BYTES", 1000)
    result = read_result(FIXTURE)
    assert result.store._file is not None
    assert to_json(result) == FIXTURE.read_text(encoding="utf-8")


def test_store_spills_to_an_anonymous_file() -> None:
    store = AgencyStore(spill_bytes=10)
    store.append("a", '{"x": "ả"}')
    store.append("b", '{"y": 2}')
    assert [i for i, _ in store.lines()] == ["a", "b"]
    assert store.line("a") == '{"x": "ả"}' and store.line("b") == '{"y": 2}'
    store.close()


def test_result_reads_completely() -> None:
    result = read_result(FIXTURE)
    assert result.profile == "luat116" and result.as_of == DAY
    assert [a.agency for a in result.agencies] == ["stttt", "syt", "phuong-hl"]
    assert [a.rank for a in result.agencies] == [1, 2, 3]
    syt = result.agency("syt")
    assert sorted(syt.layers) == ["1", "2", "3", "4"]
    assert {f.waiver.expired for f in syt.findings if f.waiver} == {True, False}
    assert syt.details.kind and syt.details.systems
    assert all(f.kind == result.check(f.check).entity for f in syt.findings)
    assert not any(f.outcome is Outcome.NOT_APPLICABLE for f in syt.findings)  # counted, not listed
    assert sum(syt.not_applicable.values()) == syt.overall.counts["not_applicable"]
    assert "agencies" in repr(result) and len(repr(result)) < 200


def test_not_applicable_listed_on_request() -> None:
    listed = secassess.assess(FIXTURES / "inventory.yaml", as_of=DAY, include_not_applicable=True)
    counted = secassess.assess(FIXTURES / "inventory.yaml", as_of=DAY)
    assert any(f.outcome is Outcome.NOT_APPLICABLE for f in listed.findings)
    assert listed.province == counted.province
    assert len(secassess.to_json(counted)) < len(secassess.to_json(listed))


def _bad(tmp_path: Path, change: str) -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "bad.json"
    path.write_text(change if change.startswith("{") else text.replace(*change.split("|", 1), 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_result(path)
    return exc.value.message


@pytest.mark.parametrize(("change", "message"), [
    ('"score":100.0|"score":NaN', "not a number JSON allows"),
    ('"score":100.0|"score":1e400', "too large"),
    ('"score":100.0|"score":250.0', "not a score from 0 to 100"),
    ('"score":100.0|"score":-3', "not a score from 0 to 100"),
    ('"rank":1|"rank":100000000000000000', "more than the 3 agencies"),
    ('"rank":1|"rank":' + "9" * 5000, "out of range"),
    ('"version": 2|"version": 1', "version 1 is not supported"),
    ('"outcome":"pass"|"outcome":"maybe"', "is not one of"),
    ('"outcome":"pass"|"outcome":"pass","colour":"red"', "colour: is not a key this document version has"),
    ('"id":"syt"|"id":"../../etc"', "is not an agency id"),
    ('{"schema": "something-else"}', SCHEMA),
    ('{', "not a valid JSON"),
    ('"parameters":["training_max_days"]|"parameters":["no_such_parameter"]', "not a parameter of the document's"),
    ('"due":"2027-07-01"|"due":"soon"', "is not a YYYY-MM-DD date"),
])
def test_malformed_documents_are_input_errors(tmp_path: Path, change: str, message: str) -> None:
    assert message in _bad(tmp_path, change)


@pytest.mark.parametrize("chunk", [97, 1 << 20])
def test_error_in_a_streamed_agency_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   chunk: int) -> None:
    monkeypatch.setattr(document, "WHOLE_READ_BYTES", 0)
    monkeypatch.setattr(document._Scanner, "CHUNK", chunk)
    text = FIXTURE.read_text(encoding="utf-8")
    lines = text.splitlines()
    last = next(i for i in range(len(lines) - 1, 0, -1) if lines[i].lstrip().startswith('{"details"'))
    lines[last] = lines[last].replace('"outcome":"pass"', '"outcome":"maybe"', 1)
    path = tmp_path / "bad.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_result(path)
    assert exc.value.message.startswith(f"{path}:{last + 1}:3: ")


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_result(tmp_path / "none.json")
    (tmp_path / "latin.json").write_bytes(b'{"schema": "\xff"}')
    with pytest.raises(InputError, match="not UTF-8"):
        read_result(tmp_path / "latin.json")


def test_agencies_evaluated_in_workers_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large province is evaluated in forked workers: the result must not depend on it."""
    from secassess.assessment import service

    waivers = FIXTURES / "waivers.yaml"
    monkeypatch.chdir(FIXTURES)
    alone = secassess.to_json(secassess.assess("inventory.yaml", waivers=str(waivers), as_of=DAY))
    monkeypatch.setattr(service, "PARALLEL_MIN_ENTITIES", 0)
    monkeypatch.setattr(service, "available_cores", lambda: 2)
    loaded = load_inventory("inventory.yaml")
    assert service._workers(loaded, loaded.inventory.agencies) == 2
    together = secassess.to_json(secassess.assess("inventory.yaml", waivers=str(waivers), as_of=DAY))
    assert together == alone
