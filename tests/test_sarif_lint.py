"""Lint SARIF for code scanning: fingerprints that survive moved lines, and no placeholder home page."""

from __future__ import annotations

import email.message
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import AS_OF, REPO, data_file

from secassess.formats import sarif

# Problems of several rules: a bad zone reference on two servers, a wrong count, a secret.
INVENTORY = """\
organisation: {name: A, code: a}
agencies:
  - id: a
    name: A
    kind: department
    zones: [{id: a-dmz, name: DMZ, kind: dmz}]
    servers:
      - {hostname: web01, zone: a-dmx, os: {name: Debian}}
      - {hostname: db01, zone: a-dmz, os: {name: Debian}}
      - {hostname: app01, zone: nowhere, os: {name: Debian}}
    workstation_groups: [{id: g, name: G, networked: 10, anti_malware_licensed: 12}]
  - id: b
    name: B
    kind: department
    security_officer: {title: Chuyên viên, name: "Ba, password: hunter22"}
"""

# The same problems after an edit that moves every line: a comment block on top, agency b first, a new
# clean server inserted before the others, and web01 moved below db01.
MOVED = """\
# Kiểm kê của tỉnh A.
# Moved around: the findings must keep their fingerprints.
organisation: {name: A, code: a}
agencies:
  - id: b
    name: B
    kind: department
    security_officer: {title: Chuyên viên, name: "Ba, password: hunter22"}
  - id: a
    name: A
    kind: department
    zones: [{id: a-dmz, name: DMZ, kind: dmz}]
    servers:
      - {hostname: new01, zone: a-dmz, os: {name: Debian}}
      - {hostname: db01, zone: a-dmz, os: {name: Debian}}
      - {hostname: web01, zone: a-dmx, os: {name: Debian}}
      - {hostname: app01, zone: nowhere, os: {name: Debian}}
    workstation_groups: [{id: g, name: G, networked: 10, anti_malware_licensed: 12}]
"""


def _results(run_cli: Callable[..., tuple[int, str, str]], path: Path) -> list[dict[str, Any]]:
    code, out, _ = run_cli("lint", str(path), "--format", "sarif", "--as-of", AS_OF)
    assert code == 2
    log = json.loads(out)
    jsonschema.validate(log, json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8")))
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def _fingerprints(results: list[dict[str, Any]]) -> dict[str, str]:
    """Fingerprint -> rule id; every result has exactly one lint fingerprint."""
    found = {r["partialFingerprints"]["secassessLint/v1"]: r["ruleId"] for r in results}
    assert len(found) == len(results), "two results share a fingerprint"
    return found


def _line(results: list[dict[str, Any]], fingerprint: str) -> int:
    result = next(r for r in results if r["partialFingerprints"]["secassessLint/v1"] == fingerprint)
    line: int = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    return line


def test_fingerprints_survive_moved_lines(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the same relative path in both runs, as in a repository
    Path("inventory.yaml").write_text(INVENTORY, "utf-8")
    before = _results(run_cli, Path("inventory.yaml"))
    Path("inventory.yaml").write_text(MOVED, "utf-8")
    after = _results(run_cli, Path("inventory.yaml"))
    assert {r["ruleId"] for r in before} >= {"SA-LINT-REFERENCE", "SA-LINT-COUNT", "SA-LINT-SECRET"}
    assert _fingerprints(after) == _fingerprints(before)
    assert all(_line(after, f) != _line(before, f) for f in _fingerprints(before)), "the edit moved every line"


def test_fingerprints_name_the_offending_value(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("inventory.yaml").write_text(INVENTORY, "utf-8")
    results = _results(run_cli, Path("inventory.yaml"))
    entities = sorted(r["properties"]["entity"] for r in results)
    assert "agencies[id=a].servers[hostname=web01].zone" in entities
    assert "agencies[id=a].servers[hostname=app01].zone" in entities
    # The same rule on another value, or the same value in another file, is another alert.
    Path("inventory.yaml").write_text(INVENTORY.replace("zone: a-dmz, os", "zone: a-dmx, os"), "utf-8")
    more = _fingerprints(_results(run_cli, Path("inventory.yaml")))
    assert set(_fingerprints(results)) < set(more)
    Path("other.yaml").write_text(INVENTORY, "utf-8")
    assert not set(_fingerprints(_results(run_cli, Path("other.yaml")))) & set(_fingerprints(results))


def test_schema_and_yaml_errors_get_fingerprints_too(run_cli: Callable[..., tuple[int, str, str]],
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    schema = INVENTORY.replace("kind: department\n    zones", "kind: departmnet\n    zones")
    Path("inventory.yaml").write_text(schema, "utf-8")
    first = _results(run_cli, Path("inventory.yaml"))
    assert [(r["ruleId"], r["properties"]["entity"]) for r in first] == [("SA-LINT-SCHEMA", "agencies[id=a].kind")]
    Path("inventory.yaml").write_text("# a comment moves it down\n" + schema, "utf-8")
    assert _fingerprints(_results(run_cli, Path("inventory.yaml"))) == _fingerprints(first)
    Path("inventory.yaml").write_text("agencies: [\n", "utf-8")
    broken = _results(run_cli, Path("inventory.yaml"))
    assert [r["ruleId"] for r in broken] == ["SA-LINT-YAML"] and _fingerprints(broken)


def test_information_uri_is_the_projects_url_or_absent(run_cli: Callable[..., tuple[int, str, str]],
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    urls = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"].get("urls", {})
    labels = {"".join(c for c in label.lower() if c.isalnum()): url for label, url in urls.items()}
    expected = next((labels[k] for k in ("homepage", "repository", "source", "sourcecode") if k in labels), None)
    monkeypatch.chdir(tmp_path)
    Path("inventory.yaml").write_text(INVENTORY, "utf-8")
    _, out, _ = run_cli("lint", "inventory.yaml", "--format", "sarif", "--as-of", AS_OF)
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert driver.get("informationUri") == expected
    assert "example" not in out and "invalid/" not in out


def test_information_uri_comes_from_the_project_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = email.message.Message()
    metadata["Project-URL"] = "Documentation, https://docs.example.org/"
    monkeypatch.setattr(sarif.importlib.metadata, "metadata", lambda name: metadata)
    assert sarif.project_url() is None  # documentation is not the project's home
    metadata["Project-URL"] = "Source Code, https://git.example.org/secassess"
    assert sarif.project_url() == "https://git.example.org/secassess"
    metadata["Project-URL"] = "Home-page, https://secassess.example.org/"
    assert sarif.project_url() == "https://secassess.example.org/"
    del metadata["Project-URL"]
    metadata["Project-URL"] = "Homepage, TBD"
    assert sarif.project_url() is None  # not a URL: left out rather than a placeholder
