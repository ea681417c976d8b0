"""Item 13.4: a scan file's warnings (an interrupted scan) reach every output, and hosts the scan never reached
are "not scanned", never "down"."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from support import data_file

from secassess.scan.nmapxml import parse_xml
from secassess.scan.runner import _account

INVENTORY = """\
organisation: {name: Tinh Lab, code: lab}
lab_scope: {cidrs: [127.0.0.16/28]}
agencies:
  - id: a1
    name: Agency
    kind: department
    servers:
      - {hostname: web1, status: active, addresses: [127.0.0.21], os: {name: Linux}, lab: true,
         services: [{port: 22, name: ssh}]}
      - {hostname: web2, status: active, addresses: [127.0.0.22], os: {name: Linux}, lab: true,
         services: [{port: 22, name: ssh}]}
"""

XML = """<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -oX - -n -Pn -sT -p 22 127.0.0.21 127.0.0.22" start="1700000000" version="7.93">
<scaninfo type="connect" protocol="tcp" numservices="1" services="22"/>
<host starttime="1700000001" endtime="1700000002"><status state="up" reason="user-set"/>
<address addr="127.0.0.21" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/><service name="ssh"/></port></ports>
</host>
<host starttime="1700000003" endtime="1700000004"><status state="up" reason="user-set"/>
<address addr="127.0.0.22" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="22"><state state="clo"""
"""Cut inside the second host, as when nmap is killed mid-scan."""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    scan = tmp_path / "cut.xml"
    scan.write_text(XML, encoding="utf-8")
    return inventory, scan


def _assess(run_cli: Any, files: tuple[Path, Path], *extra: str) -> str:
    inventory, scan = files
    code, out, err = run_cli("assess", str(inventory), "--scan", str(scan), "--as-of", "2026-11-22", *extra)
    assert code == 0, err
    return str(out)


def test_warning_in_every_format(run_cli: Any, files: tuple[Path, Path], tmp_path: Path) -> None:
    scan = files[1]
    expected = f"{scan}:"
    text = _assess(run_cli, files)
    assert any(line.startswith(f"warning: {expected}") and "ends before the scan finished" in line
               for line in text.splitlines()), text
    result = json.loads(_assess(run_cli, files, "--format", "json"))
    assert any(w.startswith(expected) and "not scanned" in w for w in result["warnings"]), result["warnings"]
    sarif = json.loads(_assess(run_cli, files, "--format", "sarif"))
    jsonschema.Draft7Validator(json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))) \
        .validate(sarif)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning"] and notes[0]["message"]["text"].startswith(expected)
    junit = _assess(run_cli, files, "--format", "junit")
    xmlschema.XMLSchema(str(data_file("schemas", "JUnit.xsd"))).validate(junit)
    assert f"warning: {expected}" in junit.split("<system-err>", 1)[1].split("</system-err>", 1)[0]
    github = _assess(run_cli, files, "--format", "github")
    assert any(line.startswith("::warning title=secassess::") and str(scan) in line for line in github.splitlines())
    code, _out, err = run_cli("report", str(files[0]), "--scan", str(scan), "--as-of", "2026-11-22", "--out",
                              str(tmp_path / "out"), "--format", "html,md")
    assert code == 0, err
    for name in ("index.html", "a1.html", "a1.md"):  # in the report's language (Vietnamese by default)
        shown = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "tệp XML kết thúc trước khi lần quét hoàn tất" in shown and str(scan.name) in shown, name
    code, _out, err = run_cli("report", str(files[0]), "--scan", str(scan), "--as-of", "2026-11-22", "--out",
                              str(tmp_path / "en"), "--format", "md", "--lang", "en")
    assert code == 0, err
    assert "ends before the scan finished" in (tmp_path / "en" / "a1.md").read_text(encoding="utf-8")


def test_unreached_host_is_not_scanned_not_down(run_cli: Any, files: tuple[Path, Path]) -> None:
    result = json.loads(_assess(run_cli, files, "--format", "json"))
    findings = [f for agency in result["agencies"] for f in agency["findings"] if f["check"].startswith("SA-SCAN-")]
    web2 = [f for f in findings if f["entity"].endswith("web2")]
    assert not web2, web2  # not scanned: every scan check is not applicable (counted, not listed)
    web1 = {f["check"]: f["outcome"] for f in findings if f["entity"].endswith("web1")}
    assert "pass" in web1.values() and set(web1.values()) == {"pass"}, web1


def test_a_live_scan_cut_short_leaves_missing_targets_unscanned() -> None:
    cut = parse_xml(XML.encode(), "nmap output")
    assert cut.complete is False
    targets = (ipaddress.ip_address("127.0.0.21"), ipaddress.ip_address("127.0.0.22"))
    accounted = _account(cut, targets, hit_limit=False, limit=60, notes=[])
    assert [h.address for h in accounted.hosts] == ["127.0.0.21"]
    assert not [h for h in accounted.hosts if h.status == "down"]
    assert any("1 target(s) were not scanned: 127.0.0.22" in w for w in accounted.warnings)
    whole = parse_xml(XML.encode()[: XML.index("<host starttime=\"1700000003\"")] + b"</nmaprun>\n", "nmap output")
    assert whole.complete is True
    assert [h.status for h in _account(whole, targets, False, 60, []).hosts] == ["up", "down"]
