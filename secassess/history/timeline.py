"""Earlier assessment results (`--history DIR`): found, read, and walked back to date findings and draw trends.

Every `*.json` file under DIR (any name, any depth; symbolic links to folders are not followed) that is an
assessment result document is read; other JSON files (scans, SARIF, diffs) are skipped. Results of another
organisation are an error. Only results dated before the one they accompany count (the same assessment,
e.g. its own `result.json`, or a later one is left out); of several with the same date, the first by path.
Each is read like `report --from-result` reads one (streamed, one agency at a time).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from secassess.assessment.document import read_result
from secassess.assessment.result import AgencyResult, AssessmentResult, Finding
from secassess.errors import InputError, UsageError
from secassess.history.model import FindingChange

_RESULT_MARK = re.compile(rb'"schema"\s*:\s*"secassess/assessment-result"')
PEEK_BYTES = 4096


def result_files(directory: str | Path) -> list[Path]:
    """The assessment result documents under `directory`, by path."""
    root = Path(directory)
    if not root.is_dir():
        raise UsageError(f"--history {directory}: not a directory")
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.lower().endswith(".json") and path.is_file() and _is_result(path):
                found.append(path)
    return sorted(found)


def _is_result(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return bool(_RESULT_MARK.search(handle.read(PEEK_BYTES)))
    except OSError as exc:
        raise InputError([(None, f"{path}: cannot read: {exc.strerror}")]) from None


@dataclass(frozen=True)
class Timeline:
    """Earlier results, oldest first, all of one organisation and dated before `before`."""

    results: tuple[tuple[str, AssessmentResult], ...]
    before: dt.date

    def __len__(self) -> int:
        return len(self.results)

    def newest_first(self) -> Iterator[AssessmentResult]:
        for _, result in reversed(self.results):
            yield result

    def previous(self) -> AssessmentResult | None:
        """The latest earlier result, or None."""
        return self.results[-1][1] if self.results else None

    def open_since(self, agency_id: str, changes: Sequence[FindingChange]) -> list[FindingChange]:
        """Still-open findings of an agency (`agency_id` as in the old result; "" for province-wide ones) with
        `open_since` and `assessments_open` pushed back through the unbroken run of earlier results in which
        each counted against."""
        keys = {(c.check, c.old_entity or c.entity): c for c in changes}
        found = walk_back(self, agency_id, set(keys))
        updated = []
        for key, change in keys.items():
            since, count = found.get(key, (None, 0))
            updated.append(change if since is None else
                           replace(change, open_since=since, assessments_open=change.assessments_open + count))
        return updated


def walk_back(timeline: Timeline, agency_id: str, pending: set[tuple[str, str]]) -> dict[tuple[str, str],
                                                                                          tuple[dt.date, int]]:
    """For each (check, entity) key: the earliest date and the number of the consecutive earlier results
    (newest first) in which it counted against; keys absent from the first earlier result are left out."""
    found: dict[tuple[str, str], tuple[dt.date, int]] = {}
    for result in timeline.newest_first():
        if not pending:
            break
        findings = agency_findings(result, agency_id)
        if findings is None:
            break
        against = {(f.check, f.entity) for f in findings if f.outcome.counts_against and (f.check, f.entity) in pending}
        for key in against:
            found[key] = (result.as_of, found.get(key, (result.as_of, 0))[1] + 1)
        pending = against
    return found


def agency_findings(result: AssessmentResult, agency_id: str) -> tuple[Finding, ...] | None:
    """An agency's listed findings in `result` ("" for the province-wide ones); None if it has no such agency."""
    if not agency_id:
        return result.province_findings
    agency = agency_in(result, agency_id)
    return None if agency is None else agency.findings


def agency_in(result: AssessmentResult, agency_id: str) -> AgencyResult | None:
    try:
        return result.agency(agency_id)
    except KeyError:
        return None


def load_timeline(directory: str | Path, organisation: str, before: dt.date) -> Timeline:
    """The earlier results under `directory` (see the module docstring)."""
    by_date: dict[dt.date, tuple[str, AssessmentResult]] = {}
    for path in result_files(directory):
        result = read_result(path)
        if result.organisation != organisation:
            raise UsageError(f"--history: {path} assesses organisation {result.organisation!r}, "
                             f"not {organisation!r}; keep one province's results in the history folder")
        if result.as_of < before and result.as_of not in by_date:
            by_date[result.as_of] = (str(path), result)
    return Timeline(tuple(by_date[d] for d in sorted(by_date)), before)
