"""Result documents for the report tests: the fixture (real `secassess assess` output), variants, a large province."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from secassess.inventory.load import load_inventory
from secassess.inventory.model import Inventory
from secassess.report.document import AssessmentResult, parse_result

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
    return parse_result(fixture_dict(), str(FIXTURE))


def inventory() -> Inventory:
    return load_inventory(str(INVENTORY)).inventory


def _agency_score(doc: dict[str, Any], agency: str) -> dict[str, Any]:
    return next(a for a in doc["scores"]["agencies"] if a["agency"] == agency)


def _finding(doc: dict[str, Any], check: str, agency: str = AGENCY) -> dict[str, Any]:
    return next(f for f in doc["findings"] if f["check"] == check and f["agency"] == agency)


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
    server = next(f for f in doc["findings"] if f["agency"] == AGENCY and f["kind"] == "server"
                  and f["outcome"] == "fail")
    server["entity"] = f"agency:{AGENCY}/server:{script}"
    server["message"] = img
    server["notes"] = [script]
    server["evidence"][0]["value"] = f"Apache {script} {img}"
    server["evidence"][0]["expected"] = img
    server["evidence"][0]["location"]["file"] = f"{img}.yaml"
    no_evidence = copy.deepcopy(server)
    no_evidence.update(check="SA-NET-IPS-001", entity=f"agency:{AGENCY}/server:{img}", evidence=[],
                       message=f"8080/tcp open http Server: {script}")
    doc["findings"].append(no_evidence)
    waiver = _finding(doc, "SA-NET-INET-001")["waiver"]
    waiver["reason"], waiver["approver"] = script, img
    check = next(c for c in doc["checks"] if c["id"] == server["check"])
    check["title"] = {"vi": script, "en": script}
    check["remediation"] = {"vi": img, "en": img}
    doc["sources"][0]["title"] = script
    return parse_result(doc)


def hostile_inventory(tmp: Path) -> Inventory:
    """The fixture inventory with the payloads in names, contacts and systems."""
    script, img = XSS
    raw = yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))
    raw["organisation"]["name_en"] = img
    agency = next(a for a in raw["agencies"] if a["id"] == AGENCY)
    agency["name_en"] = f"{script}{img}"
    agency["security_officer"]["name"] = img
    agency["security_officer"]["title"] = script
    agency["systems"][0]["name"] = script
    agency["systems"][0]["name_en"] = img
    path = tmp / "hostile-inventory.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_inventory(str(path)).inventory


def big_province(agencies: int, servers: int) -> AssessmentResult:
    """`agencies` copies of Sở Y tế, each failing one check on `servers` servers with 2,000-character values."""
    doc = fixture_dict()
    template = _agency_score(doc, AGENCY)
    own = [f for f in doc["findings"] if f["agency"] == AGENCY]
    server = next(f for f in own if f["kind"] == "server" and f["outcome"] == "fail")
    scores, findings = [], []
    for i in range(agencies):
        agency_id = f"agency-{i:04d}"
        score = copy.deepcopy(template)
        score.update(agency=agency_id, rank=i + 1)
        scores.append(score)
        for f in own:
            if f["kind"] != "server":
                findings.append({**f, "agency": agency_id, "entity": f["entity"].replace(AGENCY, agency_id, 1)})
        for n in range(servers):
            findings.append({**server, "agency": agency_id, "entity": f"agency:{agency_id}/server:host{n:05d}",
                             "evidence": [{**server["evidence"][0], "value": "x" * 2000}]})
    doc["scores"]["agencies"] = scores
    doc["findings"] = findings
    return parse_result(doc)
