"""Checklist loading: every mistake is reported at its file:line:column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from secassess.api import assess, list_checks
from secassess.assessment.catalog import load_catalog
from secassess.diagnostics import Outcome
from secassess.errors import InputError, UsageError
from secassess.resources import checklists_dir

CHECK = """checklist: mine
title: {vi: Của tỉnh, en: Mine}
checks:
  - id: PROV-X-001
    title: {vi: Thu, en: Test}
    rationale: r
    remediation: {vi: Sua, en: Fix}
    severity: low
    domain: governance
    entity: agency
    references: [{source: SOURCE}]
    condition: {field: FIELD, op: OP, value: 1}
"""


def user_dir(tmp_path: Path, source: str = "province-practice", field: str = "layers.on_site.dedicated_staff",
             op: str = "gte") -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(CHECK.replace("SOURCE", source).replace("FIELD", field).replace("OP", op))
    return folder


def problems(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [f"{pos.line}:{pos.column} {msg}" if pos else msg for pos, msg in exc.value.problems]


def test_user_checks_run_in_every_profile(tmp_path: Path) -> None:
    for profile in ("luat116", "nd85"):
        assert "PROV-X-001" in {c.id for c in list_checks(profile, [user_dir(tmp_path / profile)])}


def test_unknown_op_placed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_catalog([user_dir(tmp_path, op="bigger")])
    assert any(p.startswith("12:") and "bigger" in p for p in problems(exc)), problems(exc)


def test_unknown_source_placed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_catalog([user_dir(tmp_path, source="nd99-2030")])
    assert any(p.startswith("11:") and "unknown source 'nd99-2030'" in p for p in problems(exc)), problems(exc)


def test_unknown_field_path_placed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_catalog([user_dir(tmp_path, field="layers.on_site.dedicated_staf")])
    assert any(p.startswith("12:") and "no field 'dedicated_staf'" in p for p in problems(exc)), problems(exc)


def test_duplicate_check_id(tmp_path: Path) -> None:
    folder = user_dir(tmp_path)
    (folder / "again.yaml").write_text(CHECK.replace("SOURCE", "province-practice")
                                       .replace("FIELD", "digital_signature").replace("OP", "equals")
                                       .replace("value: 1", "value: true").replace("PROV-X-001", "L1-ONSITE-001"))
    with pytest.raises(InputError) as exc:
        load_catalog([folder])
    assert any(p.startswith("4:") and "duplicate check id 'L1-ONSITE-001'" in p for p in problems(exc))


def test_profile_naming_unknown_check(tmp_path: Path) -> None:
    base = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), base)
    path = base / "profiles" / "nd85.yaml"
    path.write_text(path.read_text().replace("checks: [SA-GOV-BUDGET-001]", "checks: [SA-GOV-BUDGET-999]"))
    with pytest.raises(InputError) as exc:
        load_catalog(base=base)
    assert any("unknown check 'SA-GOV-BUDGET-999'" in p for p in problems(exc))
    line = next(p for p in problems(exc) if "999" in p)
    assert path.read_text().splitlines()[int(line.split(":")[0]) - 1].count("SA-GOV-BUDGET-999")


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="luat116"):
        list_checks("nd99")


def test_unverified_sources_mark_checks() -> None:
    checks = {c.id: c for c in list_checks("luat116")}
    assert checks["L2-LOGRET-001"].unverified
    assert checks["SA-GOV-LEVEL-002"].unverified
    assert not checks["L1-ONSITE-001"].unverified


def test_profiles_differ_where_the_rules_do() -> None:
    luat = {c.id for c in list_checks("luat116")}
    nd85 = {c.id for c in list_checks("nd85")}
    assert "L3-ASSESS-002" in nd85 - luat
    assert "SA-GOV-LEVEL-002" in luat - nd85


def with_evidence(folder: Path, paths: str) -> Path:
    text = (folder / "mine.yaml").read_text()
    (folder / "mine.yaml").write_text(text + f"    evidence: [{paths}]\n")
    return folder


def test_unknown_evidence_path_placed(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_catalog([with_evidence(user_dir(tmp_path), "name, facts.no_such_fact")])
    assert any(p.startswith("13:") and "no fact 'no_such_fact'" in p for p in problems(exc)), problems(exc)


def test_evidence_values_shown_with_a_failure(tmp_path: Path) -> None:
    folder = with_evidence(user_dir(tmp_path, field="facts.system_count", op="gte"), "name, facts.system_count")
    (folder / "mine.yaml").write_text((folder / "mine.yaml").read_text().replace("value: 1}", "value: 1000}"))
    catalog = load_catalog([folder])
    result = assess(Path(__file__).parents[1] / "sample_inventory.yaml", catalog=catalog)
    finding = next(f for f in result.findings if f.check == "PROV-X-001" and f.entity == "agency:stc")
    assert finding.outcome is Outcome.FAIL
    shown = "; evidence: name = Sở Tài chính tỉnh Sông Lam; facts.system_count = 2"
    assert finding.message.endswith(shown), finding.message
    assert [(e.field, e.expected, e.met) for e in finding.evidence][-2:] == [
        ("name", "evidence", None), ("facts.system_count", "evidence", None)]
    assert finding.evidence[-2].location is not None and finding.evidence[-2].location.line > 1


def test_province_defaults_carry_their_reason_in_both_languages(tmp_path: Path) -> None:
    """A `{vi, en}` reason reaches the check in both languages; a plain text is the English reason only."""
    checks = {c.id: c for c in list_checks("luat116")}
    (note,) = checks["L1-ONSITE-006"].province_defaults
    assert note.parameters == (("incident_drill_max_days", "365"),)
    assert note.reason_en.startswith("the rules require readiness") and note.reason_vi.startswith("quy định")
    assert note.text() == f"province default, no rule: incident_drill_max_days = 365 ({note.reason_en})"
    assert not checks["L3-PENTEST-001"].province_defaults  # its parameters come from TCVN 14423
    base = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), base)
    path = base / "profiles" / "luat116.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  incident_drill_max_days:")
    end = text.index("\n", start)
    path.write_text(text[:start] + '  incident_drill_max_days: {value: 365, province_default: "yearly, ours"}'
                    + text[end:], encoding="utf-8")
    compiled = load_catalog(base=base).profile("luat116")
    (plain,) = next(c for c in compiled.checks if c.info.id == "L1-ONSITE-006").info.province_defaults
    assert (plain.reason_en, plain.reason_vi) == ("yearly, ours", "")
