"""Result documents for the report tests: the hand-written fixture, variants of it, and a large province."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from secassess.report.document import AssessmentResult, parse_result

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "result.json"
GOLDEN = HERE / "golden"
AGENCY = "so-ytte"
"""The agency with failures, waivers and errors: the one the golden files show."""

XSS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')


def fixture_dict() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


def fixture() -> AssessmentResult:
    return parse_result(fixture_dict(), str(FIXTURE))


def hostile() -> AssessmentResult:
    """The fixture with attacker-controlled text in every place a person or a scan could put it."""
    doc = fixture_dict()
    script, img = XSS
    doc["organisation"]["name"] = f"Tỉnh {script}"
    agency = doc["agencies"][0]
    agency["name"] = f"Sở {script}{img}"
    agency["name_en"] = img
    agency["rating"] = script
    agency["contacts"][0]["name"] = img
    agency["contacts"][0]["email"] = f"{script}@x.vn"
    agency["systems"][0]["name"] = script
    result = agency["results"][4]
    result["entity"] = f"agency:so-ytte/server:{script}"
    result["message"] = img
    result["evidence"][0]["value"] = f"Apache {script} {img}"
    result["evidence"][0]["file"] = f"{img}.yaml"
    agency["results"][7]["evidence"][0]["value"] = f"8080/tcp http Server: {script}"
    agency["results"][1]["waiver"]["reason"] = script
    agency["results"][1]["waiver"]["approver"] = img
    doc["checks"][0]["title"]["vi"] = script
    doc["checks"][0]["remediation"]["vi"] = img
    return parse_result(doc)


def big_province(agencies: int, servers: int) -> AssessmentResult:
    """`agencies` copies of the fixture's worst agency, each failing one check on `servers` servers."""
    doc = fixture_dict()
    template = doc["agencies"][0]
    many = []
    for i in range(agencies):
        agency = copy.deepcopy(template)
        agency["id"] = f"agency-{i:04d}"
        agency["score"] = float(i % 100)
        failure = agency["results"][4]
        agency["results"] = agency["results"][:4] + [
            {**failure, "entity": f"agency:agency-{i:04d}/server:host{n:05d}.example.vn",
             "evidence": [{**failure["evidence"][0], "value": "x" * 2000, "line": 100 + n}]}
            for n in range(servers)]
        many.append(agency)
    doc["agencies"] = many
    return parse_result(doc)
