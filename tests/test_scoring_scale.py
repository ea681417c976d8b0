"""The rating scale is a profile's, with its origin: results record it, reports state it, a bad one is refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from secassess.api import assess, to_json
from secassess.assessment.catalog import load_catalog
from secassess.assessment.document import read_result
from secassess.assessment.result import DEFAULT_SCORING
from secassess.assessment.scoring import rating_of
from secassess.errors import InputError
from secassess.resources import checklists_dir

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)
SHIPPED_SCALE = """scoring:
  weights: {critical: 10, high: 5, medium: 3, low: 1, info: 0}
  ratings: {good: 85, fair: 70, average: 50}
  critical_cap: average
"""


def with_scale(tmp_path: Path, scale: str) -> Path:
    """A copy of the shipped checklists whose luat116 profile has `scale` in place of its own."""
    base = tmp_path / "checklists"
    shutil.copytree(checklists_dir(), base)
    path = base / "profiles" / "luat116.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(SHIPPED_SCALE)
    end = text.index("\n", text.index("    en: ", start)) + 1  # the end of its province_default
    path.write_text(text[:start] + scale + text[end:], encoding="utf-8")
    return base


def test_shipped_profiles_state_the_default_scale_as_a_province_choice() -> None:
    catalog = load_catalog()
    for profile in ("luat116", "nd85"):
        scale = catalog.profile(profile).scoring
        assert (scale.weights, scale.floors, scale.critical_cap) == (
            DEFAULT_SCORING.weights, DEFAULT_SCORING.floors, DEFAULT_SCORING.critical_cap)
        assert not scale.source and scale.reason_vi.startswith("quy định chỉ nêu bốn mức")


def test_result_records_the_scale_and_reads_it_back(tmp_path: Path) -> None:
    text = to_json(assess(SAMPLE, as_of=AS_OF))
    (tmp_path / "r.json").write_text(text, encoding="utf-8")
    scoring = json.loads(text)["profile"]["scoring"]
    assert scoring["ratings"] == {"good": 85.0, "fair": 70.0, "average": 50.0}
    assert scoring["critical_cap"] == "average" and "province_default" in scoring
    assert to_json(read_result(tmp_path / "r.json")) == text


def test_a_profile_scale_changes_the_ratings(tmp_path: Path) -> None:
    strict = SHIPPED_SCALE.replace("{good: 85, fair: 70, average: 50}", "{good: 99, fair: 98, average: 97}") \
        .replace("critical_cap: average", "critical_cap: null")
    base = with_scale(tmp_path, strict + "  province_default: {vi: khắt khe, en: strict}\n")
    usual = assess(SAMPLE, as_of=AS_OF)
    harsh = assess(SAMPLE, as_of=AS_OF, catalog=load_catalog(base=base))
    assert [a.overall.score for a in harsh.ranking] != [] and \
        {a.agency: a.overall.score for a in harsh.ranking} == {a.agency: a.overall.score for a in usual.ranking}
    assert {a.overall.rating for a in harsh.ranking if a.overall.score is not None and a.overall.score < 97} == {"yếu"}
    assert not any(a.overall.capped for a in harsh.ranking)  # no cap in this scale
    assert harsh.header.scoring.reason_en == "strict"


def test_a_scale_with_a_source_is_cited_in_reports(tmp_path: Path) -> None:
    base = with_scale(tmp_path, SHIPPED_SCALE + "  source: tt12-2022\n  article: Art. 13\n")
    result = assess(SAMPLE, as_of=AS_OF, catalog=load_catalog(base=base))
    from secassess.report.view import scale

    shown = scale(result, "vi")
    assert shown.reason == "" and shown.source.endswith("Điều 13") and "12/2022" in shown.source


@pytest.mark.parametrize(("scale", "message"), [
    ("{good: 70, fair: 85, average: 50}", "must fall from good to fair to average"),
    ("{good: 85, fair: 70, average: 0}", "greater than 0"),
    ("{good: 185, fair: 70, average: 50}", "less than or equal to 100"),
])
def test_a_bad_scale_is_refused_at_its_line(tmp_path: Path, scale: str, message: str) -> None:
    base = with_scale(tmp_path, SHIPPED_SCALE.replace("{good: 85, fair: 70, average: 50}", scale)
                      + "  province_default: {vi: x, en: x}\n")
    with pytest.raises(InputError) as exc:
        load_catalog(base=base)
    text = str(exc.value)
    assert message in text, text
    line = (base / "profiles" / "luat116.yaml").read_text(encoding="utf-8").splitlines().index(
        "  ratings: " + scale) + 1 if "fall" not in message else None
    if line is not None:
        assert f"luat116.yaml:{line}:" in text, text


def test_a_scale_needs_its_origin(tmp_path: Path) -> None:
    base = with_scale(tmp_path, SHIPPED_SCALE)
    with pytest.raises(InputError, match="'province_default'"):
        load_catalog(base=base)


def test_rating_of_follows_the_scale() -> None:
    from dataclasses import replace

    scale = replace(DEFAULT_SCORING, floors=(("good", 90.0), ("fair", 80.0), ("average", 60.0)), critical_cap="fair")
    assert rating_of(89.9, 0, scale) == ("khá", False)
    assert rating_of(95.0, 1, scale) == ("khá", True)
    assert rating_of(75.0, 1, scale) == ("trung bình", False)
    assert rating_of(59.9, 0, scale) == ("yếu", False)


@pytest.mark.parametrize(("change", "where"), [
    (('"critical":10', '"critical":1000000'), "$.profile.scoring.weights.critical"),
    (('"fair":70.0', '"fair":90.0'), "$.profile.scoring.ratings.fair"),
    (('"critical_cap":"average"', '"critical_cap":"best"'), "$.profile.scoring.critical_cap"),
])
def test_a_result_with_a_bad_scale_is_refused(tmp_path: Path, change: tuple[str, str], where: str) -> None:
    text = to_json(assess(SAMPLE, as_of=AS_OF))
    assert change[0] in text
    (tmp_path / "r.json").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(where)):
        read_result(tmp_path / "r.json")
