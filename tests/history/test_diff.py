"""`secassess diff`: the sample against itself and against a copy with three deliberate changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from history_data import REMOVED_SERVER, add_to_server, sample_text, set_in_server, write_result
from support import REPO, data_file

CliRunner = Callable[..., tuple[int, str, str]]
INTRODUCED = ("new", "regressed")


def diff_json(run_cli: CliRunner, old: Path, new: Path, *extra: str) -> dict[str, Any]:
    code, out, err = run_cli("diff", str(old), str(new), "--format", "json", *extra)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    jsonschema.validate(doc, json.loads((REPO / "docs" / "diff-schema.json").read_text(encoding="utf-8")))
    return doc


def changes(doc: dict[str, Any], *, skip: tuple[str, ...] = ("still_open",)) -> set[tuple[str, str, str, str]]:
    return {(a["id"], c["change"], c["check"], c["entity"]) for a in doc["agencies"] for c in a["changes"]
            if c["change"] not in skip}


def test_three_deliberate_changes_are_named_exactly(run_cli: CliRunner, results: dict[str, Path]) -> None:
    doc = diff_json(run_cli, results["old"], results["changed"])
    removed = f"agency:syt/server:{REMOVED_SERVER}"
    found = changes(doc)
    assert {c for c in found if c[1] != "entity_removed"} == {
        ("stp", "fixed", "SA-SRV-ADMINMFA-001", "agency:stp/server:stp-fs01"),
        ("stttt", "regressed", "SA-SRV-ADMINMFA-001", "agency:stttt/server:stttt-ad01"),
    }
    gone = {c for c in found if c[1] == "entity_removed"}
    assert gone and {(a, e) for a, _, _, e in gone} == {("syt", removed)}
    assert {(a["id"], e) for a in doc["agencies"] for e in a["removed_entities"]} == {("syt", removed)}
    assert not any(a["added_entities"] or a["renames"] for a in doc["agencies"])
    summary = doc["summary"]
    assert (summary["new"], summary["regressed"], summary["fixed"]) == (0, 1, 1)
    assert summary["entity_removed"] == len(gone)
    assert doc["comparable"] is True and doc["checks"] == []


def test_removed_server_is_never_reported_fixed(run_cli: CliRunner, results: dict[str, Path]) -> None:
    code, out, _ = run_cli("diff", str(results["old"]), str(results["changed"]))
    assert code == 0
    assert f"entity removed: server:{REMOVED_SERVER}" in out
    fixed = [line for line in out.splitlines() if REMOVED_SERVER in line and "-> pass" in line]
    assert fixed == []


def test_same_result_changes_nothing(run_cli: CliRunner, results: dict[str, Path]) -> None:
    doc = diff_json(run_cli, results["old"], results["old"])
    assert changes(doc) == set()
    assert doc["summary"]["still_open"] > 0
    assert all(s["delta"] in (0, None) for a in doc["agencies"] for s in a["scores"])


def test_scores_and_ranks_per_agency_and_layer(run_cli: CliRunner, results: dict[str, Path]) -> None:
    old = json.loads(results["old"].read_text(encoding="utf-8"))
    new = json.loads(results["changed"].read_text(encoding="utf-8"))
    doc = diff_json(run_cli, results["old"], results["changed"])
    rows = {a["id"]: a for a in doc["agencies"]}
    for before in old["ranking"]:
        after = next(r for r in new["ranking"] if r["agency"] == before["agency"])
        agency = rows[before["agency"]]
        assert (agency["old_rank"], agency["new_rank"]) == (before["rank"], after["rank"])
        scores = {s["key"]: s for s in agency["scores"]}
        assert (scores["overall"]["old"], scores["overall"]["new"]) == (before["overall"]["score"],
                                                                        after["overall"]["score"])
        for layer, score in after["layers"].items():
            assert scores[layer]["new"] == score["score"]
            assert scores[layer]["old"] == before["layers"][layer]["score"]
    assert rows["syt"]["scores"][0]["delta"] != 0  # the removed server's failures no longer weigh
    assert doc["province"][0]["old"] == old["province"]["score"]["score"]


def test_rename_in_place_is_followed(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    text = set_in_server(sample_text(), "stttt-fs01", "hostname: stttt-fs01", "hostname: stttt-files01")
    renamed = write_result(text, tmp_path, "renamed")
    doc = diff_json(run_cli, results["old"], renamed)
    stttt = next(a for a in doc["agencies"] if a["id"] == "stttt")
    assert stttt["renames"] == [{"kind": "server", "old": "agency:stttt/server:stttt-fs01",
                                 "new": "agency:stttt/server:stttt-files01", "reason": "same place in the inventory"}]
    assert changes(doc) == set()
    assert not stttt["removed_entities"] and not stttt["added_entities"]


def test_moved_and_renamed_entity_is_removed_and_added(run_cli: CliRunner, results: dict[str, Path],
                                                       tmp_path: Path) -> None:
    """A rename that cannot be told from a replacement (the entry moved too) is not guessed."""
    text = sample_text()
    text = set_in_server(text, "stttt-fs01", "hostname: stttt-fs01", "hostname: stttt-files01")
    text = add_to_server(text, "stttt-ad01", "# moved down a line")
    doc = diff_json(run_cli, results["old"], write_result(text, tmp_path, "moved"))
    stttt = next(a for a in doc["agencies"] if a["id"] == "stttt")
    assert stttt["renames"] == []
    assert stttt["removed_entities"] == ["agency:stttt/server:stttt-fs01"]
    assert stttt["added_entities"] == ["agency:stttt/server:stttt-files01"]


def test_renamed_system_and_agency(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    text = sample_text().replace("  - id: phuong-hl\n", "  - id: phuong-hong-lam\n", 1)
    doc = diff_json(run_cli, results["old"], write_result(text, tmp_path, "agency"))
    agency = next(a for a in doc["agencies"] if a["id"] == "phuong-hong-lam")
    assert (agency["status"], agency["old_id"]) == ("renamed", "phuong-hl")
    assert agency["counts"]["still_open"] > 0 and changes(doc) == set()
    assert not any(a["status"] in ("added", "removed") for a in doc["agencies"])


def test_profiles_compare_what_is_comparable(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    nd85 = write_result(sample_text(), tmp_path, "nd85", profile="nd85")
    doc = diff_json(run_cli, results["old"], nd85)
    assert doc["comparable"] is False
    only = {c["check"]: c["change"] for c in doc["checks"]}
    assert only and set(only.values()) <= {"only_old", "only_new", "severity_changed"}
    compared = {c[2] for c in changes(doc, skip=())}
    assert not compared & {c for c, kind in only.items() if kind != "severity_changed"}
    old = json.loads(results["old"].read_text(encoding="utf-8"))
    for check in (c for c in doc["checks"] if c["change"] == "only_old"):
        expected = sum(1 for a in old["agencies"] for f in a["findings"]
                       if f["check"] == check["check"] and f["outcome"] in ("fail", "error", "insufficient_data"))
        expected += sum(1 for f in old["province"]["findings"]
                        if f["check"] == check["check"] and f["outcome"] in ("fail", "error", "insufficient_data"))
        assert check["open_findings"] == expected


def test_changed_severity_is_reported(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    doc = json.loads(results["old"].read_text(encoding="utf-8"))
    check = next(c for c in doc["checks"] if c["id"] == "SA-SRV-PATCH-001")
    assert check["severity"] == "medium"
    text = results["old"].read_text(encoding="utf-8")
    line = json.dumps(check, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert line in text
    edited = tmp_path / "severity.json"
    edited.write_text(text.replace(line, line.replace('"severity":"medium"', '"severity":"high"')), encoding="utf-8")
    diff = diff_json(run_cli, results["old"], edited)
    assert list(diff["checks"]) == [{"check": "SA-SRV-PATCH-001", "title": check["title"], "change":
                                            "severity_changed", "old_severity": "medium", "new_severity": "high",
                                            "open_findings": diff["checks"][0]["open_findings"]}]
    patched = [c for a in diff["agencies"] for c in a["changes"] if c["check"] == "SA-SRV-PATCH-001"]
    assert patched and all(c["old_severity"] == "medium" and c["severity"] == "high" for c in patched)
    assert diff["checks"][0]["open_findings"] == len(patched)


def test_sarif_holds_only_introduced_findings(run_cli: CliRunner, results: dict[str, Path]) -> None:
    code, out, err = run_cli("diff", str(results["old"]), str(results["changed"]), "--format", "sarif")
    assert code == 0, err
    log = json.loads(out)
    jsonschema.validate(log, json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))
    found = [(r["ruleId"], r["properties"]["entity"], r["properties"]["change"]) for r in log["runs"][0]["results"]]
    assert found == [("SA-SRV-ADMINMFA-001", "agency:stttt/server:stttt-ad01", "regressed")]
    assert log["runs"][0]["results"][0]["partialFingerprints"] == {
        "secassessEntity/v1": "SA-SRV-ADMINMFA-001|agency:stttt/server:stttt-ad01"}
    code, out, _ = run_cli("diff", str(results["old"]), str(results["old"]), "--format", "sarif")
    assert json.loads(out)["runs"][0]["results"] == []


def test_fail_on_counts_only_introduced_findings(run_cli: CliRunner, results: dict[str, Path]) -> None:
    old, changed = str(results["old"]), str(results["changed"])
    assert run_cli("diff", old, old, "--fail-on", "low")[0] == 0
    assert run_cli("diff", old, changed, "--fail-on", "high")[0] == 0  # the regression is medium
    assert run_cli("diff", old, changed, "--fail-on", "medium")[0] == 1


def test_outputs_are_deterministic_and_escaped(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    for fmt in ("text", "json", "md", "html", "sarif"):
        outputs = []
        for n in (1, 2):
            target = tmp_path / f"{fmt}{n}"
            code, _, err = run_cli("diff", str(results["old"]), str(results["changed"]), "--format", fmt,
                                   "-o", str(target))
            assert code == 0, err
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], fmt
    html = (tmp_path / "html1").read_text(encoding="utf-8")
    assert "Đã khắc phục" in html and "stttt-ad01" in html and REMOVED_SERVER in html
    code, _, _ = run_cli("diff", str(results["old"]), str(results["changed"]), "--format", "html", "--lang", "en",
                         "-o", str(tmp_path / "en.html"))
    assert code == 0 and "Fixed" in (tmp_path / "en.html").read_text(encoding="utf-8")


def test_bad_inputs_exit_2(run_cli: CliRunner, results: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(results["old"].read_text(encoding="utf-8").replace('"organisation":"song-lam"',
                                                                          '"organisation":"other"'), encoding="utf-8")
    code, _, err = run_cli("diff", str(results["old"]), str(other))
    assert code == 2 and "same organisation" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run_cli("diff", str(results["old"]), str(broken))
    assert code == 2 and "broken.json" in err and "Traceback" not in err
    code, _, err = run_cli("diff", str(results["old"]), str(tmp_path / "missing.json"))
    assert code == 2
    code, _, err = run_cli("diff", str(results["old"]), str(results["old"]), "-o", str(results["old"]))
    assert code == 2 and "refusing to overwrite" in err
