"""End to end: waivers, scoring thresholds, determinism, JSON Schema, diagnostics, fail-on."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import secassess
from secassess.api import assess, load_result, render_text, should_fail, to_diagnostics, to_json
from secassess.assessment.result import Finding
from secassess.assessment.scoring import rank, rating_of, score
from secassess.diagnostics import Outcome, Severity
from secassess.errors import InputError

AS_OF = dt.date(2026, 11, 22)
ROOT = Path(__file__).parents[1]
INVENTORY = """organisation: {name: Tinh Thu, code: thu, central_anti_malware_system: true}
agencies:
  - id: so-a
    name: So A
    kind: department
    security_regulation_issued: 2024-01-01
    layers:
      on_site: {dedicated_staff: 2, incident_response_team_member: true, incident_response_plan: true}
    systems:
      - {id: portal, name: Portal, level: 3, citizen_facing: true, approval: {approved: true, date: 2024-01-01}}
    security_devices: [{id: fw1, kind: firewall, ips_enabled: true, status: active}]
    servers:
      - hostname: web1
        os: {name: Ubuntu, end_of_life: 2020-01-01}
        status: active
  - id: so-b
    name: So B
    kind: department
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_text(INVENTORY)
    return path


def test_library_api_is_explicit_and_import_stays_light() -> None:
    """`secassess.assess` is a real, documented name (no module __getattr__), and importing the package
    does not import the assessment machinery (the CLI's start-up stays fast)."""
    assert "assess" in secassess.__all__ and callable(secassess.assess)
    assert "inventory" in inspect.signature(secassess.assess).parameters
    assert not hasattr(secassess, "__getattr__")
    code = ("import sys, secassess; "
            "print(sorted(m for m in ('pydantic', 'networkx', 'jinja2', 'yaml') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stdout.strip() == "[]"


def test_every_check_entity_pair_reported(inventory: Path) -> None:
    """One finding per check and entity, plus one per check on a stand-in for each list nobody wrote."""
    result = assess(inventory, as_of=AS_OF, include_not_applicable=True)
    kinds = {c.id: c.entity for c in result.checks}
    per_kind = {"organisation": 1, "agency": 2, "system": 1, "server": 1, "security_device": 1}
    # so-a writes systems, servers and security_devices; so-b writes nothing; nobody writes network.links
    unstated = {"system": 1, "server": 1, "security_device": 1, "workstation": 2, "workstation_group": 2,
                "zone_link": 2 + 1}
    expected = sum(per_kind.get(kind, 0) + unstated.get(kind, 0) for kind in kinds.values())
    assert len(result.findings) == expected
    assert len({(f.check, f.entity) for f in result.findings}) == expected
    standins = [f for f in result.findings if f.entity.endswith(":*")]
    assert standins and all(f.outcome is Outcome.INSUFFICIENT_DATA and f.evidence[0].value is None
                            for f in standins)
    assert {f.entity for f in standins} >= {"agency:so-b/server:*", "agency:so-a/workstation:*",
                                            "network/zone_link:*"}
    eol = next(f for f in result.findings if f.check == "SA-SRV-EOL-001")
    assert eol.outcome is Outcome.FAIL
    date = next(e for e in eol.evidence if e.field == "os.end_of_life")
    assert date.value == "2020-01-01"
    assert date.location is not None
    assert date.location.line == 14  # the server's `end_of_life` key
    assert eol.location is not None
    assert eol.location.line == 13  # the server's mapping


def test_determinism_and_round_trip(inventory: Path, tmp_path: Path) -> None:
    first = to_json(assess(inventory, as_of=AS_OF))
    second = to_json(assess(inventory, as_of=AS_OF))
    assert first == second
    assert "generated" not in first
    out = tmp_path / "r.json"
    out.write_text(first)
    assert to_json(load_result(out)) == first


def test_json_validates_against_schema(inventory: Path, tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n  - {check: SA-SRV-EOL-001, entity: agency:so-a/server:web1, reason: r, "
                       "approver: Giam doc, expires: 2027-01-01}\n")
    doc = json.loads(to_json(assess(inventory, as_of=AS_OF, waivers=waivers)))
    schema = json.loads((ROOT / "docs" / "result-schema.json").read_text())
    jsonschema.validate(doc, schema)


def test_load_result_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"schema": "other"}')
    with pytest.raises(InputError, match="not an assessment result"):
        load_result(path)


def write_waiver(tmp_path: Path, expires: str, entity: str = "agency:so-a/server:web1") -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(f"waivers:\n  - check: SA-SRV-EOL-001\n    entity: {entity}\n    reason: replacement ordered\n"
                    f"    approver: Giám đốc Sở A\n    expires: {expires}\n")
    return path


def test_active_waiver(inventory: Path, tmp_path: Path) -> None:
    result = assess(inventory, as_of=AS_OF, waivers=write_waiver(tmp_path, "2026-12-31"))
    eol = next(f for f in result.findings if f.check == "SA-SRV-EOL-001")
    assert eol.outcome is Outcome.WAIVED
    assert eol.waiver is not None
    assert not eol.waiver.expired
    assert not result.warnings


def test_expired_waiver_counts_as_failure(inventory: Path, tmp_path: Path) -> None:
    result = assess(inventory, as_of=AS_OF, waivers=write_waiver(tmp_path, "2026-11-21"))
    eol = next(f for f in result.findings if f.check == "SA-SRV-EOL-001")
    assert eol.outcome is Outcome.FAIL
    assert "expired" in eol.notes[0]
    assert any("expired" in w for w in result.warnings)


def test_unmatched_waiver_warns(inventory: Path, tmp_path: Path) -> None:
    result = assess(inventory, as_of=AS_OF, waivers=write_waiver(tmp_path, "2027-01-01", "agency:so-a/server:nope"))
    assert any("matches no check" in w and "waivers.yaml:2:5" in w for w in result.warnings)


def test_waiver_file_strict(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - {check: SA-SRV-EOL-001, entity: x, reason: r, approver: a, expire: 2027-01-01}\n")
    with pytest.raises(InputError) as exc:
        assess(ROOT / "tests" / "checks" / "examples" / "governance.yaml", waivers=path)
    assert exc.value.problems


@pytest.mark.parametrize(("value", "critical", "rating", "capped"), [
    (85.0, 0, "tốt", False), (84.9, 0, "khá", False), (70.0, 0, "khá", False), (69.9, 0, "trung bình", False),
    (50.0, 0, "trung bình", False), (49.9, 0, "yếu", False), (95.0, 1, "trung bình", True), (40.0, 1, "yếu", False),
])
def test_rating_thresholds(value: float, critical: int, rating: str, capped: bool) -> None:
    assert rating_of(value, critical) == (rating, capped)


def _f(check: str, outcome: Outcome, severity: Severity) -> Finding:
    return Finding(check, "e", "agency", "a", outcome, severity, "", None)


def test_score_formula() -> None:
    findings = [_f("A", Outcome.PASS, Severity.HIGH), _f("A", Outcome.FAIL, Severity.HIGH),  # ratio 0.5, w 5
                _f("B", Outcome.PASS, Severity.LOW),  # ratio 1, w 1
                _f("C", Outcome.WAIVED, Severity.CRITICAL), _f("D", Outcome.NOT_APPLICABLE, Severity.HIGH)]
    result = score(findings)
    assert result.score == round(100 * (5 * 0.5 + 1) / 6, 1)
    assert result.rating == "trung bình"
    assert result.counts["waived"] == 1


def test_ranking_and_outputs(inventory: Path) -> None:
    # without the graph: an agency with no network declared passes no graph check, but fails none either
    result = assess(inventory, as_of=AS_OF, fact_providers=[])
    assert [a.rank for a in result.agencies] == [1, 2]
    assert result.agencies[0].agency == "so-a"  # so-b has nothing in place
    report = to_diagnostics(result)
    assert len(list(report.diagnostics)) == len(result.findings)  # a lazy view, read agency by agency
    assert {d.group for d in report.diagnostics} == {"organisation", "so-a", "so-b"}
    assert should_fail(result, "high")  # EOL server
    assert should_fail(result, "critical")  # so-b states nothing: critical checks without data count
    assert not should_fail(result, None)
    text = render_text(result)
    assert "so-a" in text
    assert "SA-SRV-EOL-001" in text


def test_nd85_profile_and_user_checklists(inventory: Path) -> None:
    result = assess(inventory, profile="nd85", as_of=AS_OF, checklist_dirs=[ROOT / "checklists" / "province"])
    assert result.profile == "nd85"
    assert result.parameters["budget_share_min_percent"] == 10
    assert any(c.id == "PROV-EOFFICE-001" for c in result.checks)


def test_ranking_puts_the_capped_rating_before_the_score() -> None:
    """A critical failure caps 95 at trung bình: it ranks below a khá of 75, above a trung bình of 60."""
    capped = score([_f(f"A{i}", Outcome.PASS, Severity.HIGH) for i in range(12)]
                   + [_f("C", Outcome.FAIL, Severity.CRITICAL)])
    assert capped.capped and capped.rating == "trung bình" and capped.score is not None and capped.score > 85
    fair = score([_f("A", Outcome.PASS, Severity.HIGH)] * 3 + [_f("B", Outcome.FAIL, Severity.LOW)])
    average = score([_f("A", Outcome.PASS, Severity.MEDIUM), _f("B", Outcome.FAIL, Severity.LOW),
                     _f("D", Outcome.FAIL, Severity.LOW)])
    assert fair.rating == "khá" and average.rating == "trung bình" and not average.capped
    none = score([_f("A", Outcome.NOT_APPLICABLE, Severity.HIGH)])
    order = rank([("z-capped", "Z", capped, {}, {}), ("y-average", "Y", average, {}, {}),
                   ("n-none", "N", none, {}, {}), ("x-fair", "X", fair, {}, {})])
    assert [a.agency for a in order] == ["x-fair", "z-capped", "y-average", "n-none"]
    assert [a.rank for a in order] == [1, 2, 3, 4]


def test_insufficient_data_scores_as_failure_and_caps() -> None:
    """Missing data may never rate better than a failure: same score, same critical cap, same exit status."""
    failed = score([_f("A", Outcome.PASS, Severity.HIGH), _f("C", Outcome.FAIL, Severity.CRITICAL)])
    unknown = score([_f("A", Outcome.PASS, Severity.HIGH), _f("C", Outcome.INSUFFICIENT_DATA, Severity.CRITICAL)])
    assert unknown.score == failed.score == round(100 * 5 / 15, 1)
    assert unknown.critical_failures == failed.critical_failures == 1
    assert unknown.counts["insufficient_data"] == 1
    assert Outcome.INSUFFICIENT_DATA.counts_against and not Outcome.NOT_APPLICABLE.counts_against
