"""Locations are right and results do not depend on where they are made.

Every finding of the sample points at the line of its entity, every piece of evidence at a line of that
entity (or of its agency, or of the province record); and the same inventory, run from another folder,
gives the same bytes in every output (paths as given on the command line, relative stays relative).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support import REPO, console_script

from secassess.api import assess, to_diagnostics
from secassess.assessment.result import AssessmentResult, Finding
from secassess.errors import SourcePos
from secassess.formats import OutputFormat, render

SAMPLE = REPO / "sample_inventory.yaml"
FIXTURES = REPO / "tests" / "report" / "fixtures"


@pytest.fixture(scope="module")
def sample() -> AssessmentResult:
    return assess(str(SAMPLE), as_of=dt.date(2026, 11, 22), include_not_applicable=True)


class Blocks:
    """The lines of a YAML file and the block of lines each mapping (or list item) spans."""

    def __init__(self, path: Path) -> None:
        self.lines = path.read_text("utf-8").splitlines()

    def real(self, line: int) -> bool:
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return bool(text) and not text.startswith("#")

    def block(self, line: int) -> range:
        """From `line` to the last line of the mapping that starts there (or holds it, for a key line)."""
        text = self.lines[line - 1]
        indent = len(text) - len(text.lstrip(" "))
        item = text.lstrip(" ").startswith("- ")
        end = line
        for number in range(line + 1, len(self.lines) + 1):
            following = self.lines[number - 1]
            stripped = following.strip()
            if not stripped or stripped.startswith("#"):
                continue
            depth = len(following) - len(following.lstrip(" "))
            if depth < indent or (item and depth == indent):
                break
            end = number
        return range(line, end + 1)


def _name(entity: str) -> str:
    return entity.rsplit("/", 1)[-1].split(":", 1)[1]


def test_every_finding_points_at_its_entity_and_its_evidence_inside_it(sample: AssessmentResult) -> None:
    blocks = Blocks(SAMPLE)
    findings = list(sample.findings)
    owners = {f.entity: f.location for f in findings if f.location is not None and f.kind in ("agency",
                                                                                              "organisation")}
    organisation = next(loc for entity, loc in owners.items() if entity.startswith("organisation:"))
    wrong: list[str] = []
    for f in findings:
        assert f.location is not None and f.location.file == str(SAMPLE), f
        where = blocks.block(f.location.line)
        text = "\n".join(blocks.lines[i - 1] for i in where)
        names = _name(f.entity).split("->") if f.kind == "zone_link" else [_name(f.entity)]
        if not blocks.real(f.location.line) or not all(n in text for n in names):
            wrong.append(f"{f.check} {f.entity}: {f.location}")
            continue
        allowed = [where, blocks.block(organisation.line)]
        agency = f.entity.split("/", 1)[0]
        if agency in owners:
            allowed.append(blocks.block(owners[agency].line))
        for e in f.evidence:
            if e.location is None:
                continue
            if not blocks.real(e.location.line) or not any(e.location.line in span for span in allowed):
                wrong.append(f"{f.check} {f.entity}: evidence {e.field} at {e.location}")
    assert wrong == []


def test_sarif_and_text_show_the_findings_lines(sample: AssessmentResult) -> None:
    lines = {(f.location.line, f.location.column) for f in sample.findings if isinstance(f.location, SourcePos)}
    log = json.loads(render(to_diagnostics(sample), OutputFormat.SARIF))
    regions = {(r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in log["runs"][0]["results"]}
    assert regions and regions <= lines
    assert not any(f.location is not None and f.location.line == 1 for f in sample.findings)  # never the comment


def _outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix not in (".yaml",)}


def test_the_same_inventory_gives_the_same_bytes_from_another_folder(tmp_path: Path) -> None:
    """Run in two folders at different depths (as two machines would): every output is byte-identical."""
    runs = []
    for folder in (tmp_path / "a", tmp_path / "deeper" / "b" / "c"):
        (folder / "data").mkdir(parents=True)
        for name in ("inventory.yaml", "waivers.yaml"):
            shutil.copy(FIXTURES / name, folder / "data" / name)
        common = ["data/inventory.yaml", "--as-of", "2026-11-22", "--waivers", "data/waivers.yaml", "--quiet"]
        for args in (["assess", *common, "-o", "out/r.json", "-o", "out/r.sarif", "-o", "out/junit.xml",
                      "-o", "text:out/r.txt", "-o", "github:out/gh.txt"],
                     ["report", *common, "-o", "out/reports", "--format", "html,md", "--lang", "vi"]):
            done = subprocess.run([console_script(), *args], capture_output=True, text=True, cwd=folder)
            assert done.returncode == 0, done.stderr
        runs.append(_outputs(folder))
    assert len(runs[0]) > 10
    assert runs[0] == runs[1]
    document = json.loads(runs[0]["out/r.json"])
    assert document["inventory"]["path"] == "data/inventory.yaml"
    assert document["files"] == ["data/inventory.yaml", "data/waivers.yaml"]


def test_location_of_a_value_the_inventory_leaves_out_is_its_entity() -> None:
    """An absent contact: the evidence points at the record that should hold it, never at line 1."""
    result = assess(str(FIXTURES / "inventory.yaml"), as_of=dt.date(2026, 11, 22))
    finding: Finding = next(f for f in result.agency("syt").findings if f.check == "L1-ONSITE-005")
    assert all(e.location is not None and e.location.line > 1 for e in finding.evidence)
