"""The tool agrees with a reviewer's hand verdicts on whole agencies of the sample (see README.md)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from secassess.api import assess
from secassess.assessment.result import AssessmentResult, Finding
from secassess.graph.facts import GraphFactProvider
from secassess.inventory.load import load_inventory
from secassess.yamlsafe import load_file, strip_positions

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)
FILES = sorted(HERE.glob("*.yaml"))
OUTCOMES = {"pass", "fail", "not_applicable", "insufficient_data", "waived", "error"}


@dataclass(frozen=True)
class Verdict:
    check: str
    entity: str
    outcome: str
    rule: str
    why: str

    def matches(self, agency: str, finding: Finding) -> bool:
        local = finding.entity if finding.entity.startswith("network/") else (
            "agency" if finding.entity == f"agency:{agency}" else finding.entity.removeprefix(f"agency:{agency}/"))
        return re.fullmatch(self.check, finding.check) is not None and fnmatch.fnmatchcase(local, self.entity)


def verdicts(path: Path) -> tuple[str, list[Verdict]]:
    data: Any = strip_positions(load_file(str(path)))
    items = [Verdict(str(v["check"]), str(v["entity"]), str(v["outcome"]), str(v["rule"]), str(v["why"]))
             for v in data["verdicts"]]
    return str(data["agency"]), items


@pytest.fixture(scope="module")
def result() -> AssessmentResult:
    loaded = load_inventory(str(SAMPLE))
    return assess(loaded, as_of=AS_OF, fact_providers=[GraphFactProvider.from_inventory(loaded)],
                  include_not_applicable=True)


def test_at_least_four_agencies_with_the_required_ones() -> None:
    agencies = {verdicts(path)[0] for path in FILES}
    assert {"stttt", "tthcc", "stp"} <= agencies
    assert len(agencies) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_verdict_is_well_formed(path: Path) -> None:
    _, items = verdicts(path)
    for v in items:
        assert v.outcome in OUTCOMES, v
        assert v.rule.strip() and v.why.strip(), v
        re.compile(v.check)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_tool_agrees_with_the_hand_verdicts(path: Path, result: AssessmentResult) -> None:
    agency, items = verdicts(path)
    findings = [f for f in result.findings if f.agency == agency]
    assert findings, f"no findings for agency {agency}"
    used: set[int] = set()
    disagreements, unjudged = [], []
    for f in findings:
        index = next((i for i, v in enumerate(items) if v.matches(agency, f)), None)
        if index is None:
            unjudged.append(f"{f.check} on {f.entity} ({f.outcome.value}): no hand verdict")
            continue
        used.add(index)
        if items[index].outcome != f.outcome.value:
            disagreements.append(f"{f.check} on {f.entity}: hand {items[index].outcome}, tool {f.outcome.value} "
                                 f"({f.message[:160]})")
    unused = [f"{v.check} / {v.entity}" for i, v in enumerate(items) if i not in used]
    agreed = len(findings) - len(disagreements) - len(unjudged)
    summary = f"{agency}: {agreed}/{len(findings)} findings agree with the hand verdicts"
    assert not disagreements and not unjudged and not unused, "\n".join(
        [summary, *disagreements, *unjudged, *(f"verdict matches no finding: {u}" for u in unused)])
