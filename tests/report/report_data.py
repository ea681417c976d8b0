"""Result documents for the report tests: the fixture (real `secassess assess` output), variants, a large province."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from secassess.assessment.document import parse_document
from secassess.assessment.result import AssessmentResult
from secassess.graph.facts import GraphFactProvider
from secassess.graph.svg import agency_svg
from secassess.inventory.load import load_inventory

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
FIXTURE = FIXTURES / "result.json"
INVENTORY = FIXTURES / "inventory.yaml"
GOLDEN = HERE / "golden"
AGENCY = "syt"
"""Sở Y tế: failures on many entities, an active and an expired waiver. The golden files show it."""

XSS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')


def fixture_dict() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


def fixture() -> AssessmentResult:
    return parse_document(fixture_dict(), str(FIXTURE))


def pictures(lang: str = "en") -> Callable[[str], str]:
    """The network picture of each fixture agency, drawn from the fixture inventory's graph."""
    graph = GraphFactProvider.from_inventory(load_inventory(str(INVENTORY))).graph
    return partial(agency_svg, graph, lang=lang)


def _agency_score(doc: dict[str, Any], agency: str) -> dict[str, Any]:
    return next(a for a in doc["ranking"] if a["agency"] == agency)


def _agency(doc: dict[str, Any], agency: str = AGENCY) -> dict[str, Any]:
    return next(a for a in doc["agencies"] if a["id"] == agency)


def _finding(doc: dict[str, Any], check: str, agency: str = AGENCY) -> dict[str, Any]:
    return next(f for f in _agency(doc, agency)["findings"] if f["check"] == check)


def _kind(doc: dict[str, Any], finding: dict[str, Any]) -> str:
    return next(c["entity"] for c in doc["checks"] if c["id"] == finding["check"])


def hostile() -> AssessmentResult:
    """The fixture with attacker-controlled text in every place a person or a scan could put it."""
    doc = fixture_dict()
    script, img = XSS
    doc["inventory"]["organisation_name"] = f"Tỉnh {script}"
    doc["profile"]["title"] = img
    doc["warnings"] = [script]
    score = _agency_score(doc, AGENCY)
    score["name"] = f"Sở {script}{img}"
    score["overall"]["rating"] = script
    doc["inventory"]["organisation_name_en"] = img
    agency = _agency(doc)
    agency["name"] = f"Sở {script}{img}"
    details = agency["details"]
    details["name_en"] = f"{script}{img}"
    details["contacts"][0].update(name=img, title=script)
    details["systems"][0].update(name=script, name_en=img)
    server = next(f for f in agency["findings"] if _kind(doc, f) == "server" and f["outcome"] == "fail")
    server["entity"] = f"agency:{AGENCY}/server:{script}"
    server["message"] = img
    server["notes"] = [script]
    server["evidence"][0]["value"] = f"Apache {script} {img}"
    server["evidence"][0]["expected"] = img
    doc["files"].append(f"{img}.yaml")
    server["evidence"][0]["location"][0] = len(doc["files"]) - 1
    no_evidence = copy.deepcopy(server)
    no_evidence.update(check="SA-NET-IPS-001", entity=f"agency:{AGENCY}/server:{img}", evidence=[],
                       message=f"8080/tcp open http Server: {script}")
    agency["findings"].append(no_evidence)
    waiver = _finding(doc, "SA-NET-INET-001")["waiver"]
    waiver["reason"], waiver["approver"] = script, img
    check = next(c for c in doc["checks"] if c["id"] == server["check"])
    check["title"] = {"vi": script, "en": script}
    check["remediation"] = {"vi": img, "en": img}
    doc["sources"][0]["title"] = script
    return parse_document(doc)


def big_province(agencies: int, servers: int) -> AssessmentResult:
    """`agencies` copies of Sở Y tế, each failing one check on `servers` servers with 2,000-character values."""
    doc = fixture_dict()
    template = _agency_score(doc, AGENCY)
    agency = _agency(doc)
    own = agency["findings"]
    server = next(f for f in own if _kind(doc, f) == "server" and f["outcome"] == "fail")
    scores, records = [], []
    for i in range(agencies):
        agency_id = f"agency-{i:04d}"
        score = copy.deepcopy(template)
        score.update(agency=agency_id, rank=i + 1)
        scores.append(score)
        findings = [{**f, "entity": f["entity"].replace(AGENCY, agency_id, 1)} for f in own
                    if _kind(doc, f) != "server"]
        for n in range(servers):
            findings.append({**server, "entity": f"agency:{agency_id}/server:host{n:05d}",
                             "evidence": [{**server["evidence"][0], "value": "x" * 2000}]})
        records.append({**agency, "id": agency_id, "findings": findings})
    doc["ranking"] = scores
    doc["agencies"] = records
    return parse_document(doc)
