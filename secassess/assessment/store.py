"""Where a result keeps its agencies' findings: one encoded JSON line per agency, in memory or on disk.

Each agency is encoded once, as the line the result document holds for it (`document.encode_agency`),
so writing the document copies lines and never re-encodes. Lines stay in memory until they add up to
`SPILL_BYTES`; then all of them move to an anonymous temporary file (deleted by the system when closed,
even if the process is killed) and are read back with `os.pread`, which also works in forked workers.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from secassess.assessment.result import AgencyResult, AgencyScore, AssessmentResult

SPILL_BYTES = 32 * 1024 * 1024
"""Encoded agencies held in memory before the store moves to a temporary file."""


class AgencyStore:
    """Encoded agency lines by agency id, in insertion (inventory) order."""

    def __init__(self, spill_bytes: int | None = None) -> None:
        self._spill_bytes = SPILL_BYTES if spill_bytes is None else spill_bytes
        self._lines: dict[str, str] = {}
        self._size = 0
        self._file: IO[bytes] | None = None
        self._offsets: dict[str, tuple[int, int]] = {}
        self._end = 0

    def __len__(self) -> int:
        return len(self._offsets) if self._file is not None else len(self._lines)

    def append(self, agency_id: str, line: str) -> None:
        """Add one agency's encoded line (`line` holds no newline)."""
        if self._file is None:
            self._lines[agency_id] = line
            self._size += len(line)
            if self._size > self._spill_bytes:
                self._spill()
            return
        self._write(agency_id, line.encode("utf-8"))

    def _spill(self) -> None:
        # unbuffered: nothing waits in a Python buffer that a forked report worker could write out again
        self._file = tempfile.TemporaryFile(prefix="secassess-result-", buffering=0)  # noqa: SIM115
        for agency_id, line in self._lines.items():
            self._write(agency_id, line.encode("utf-8"))
        self._lines = {}

    def _write(self, agency_id: str, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)
        self._offsets[agency_id] = (self._end, len(data))
        self._end += len(data)

    def ids(self) -> list[str]:
        return list(self._offsets if self._file is not None else self._lines)

    def line(self, agency_id: str) -> str:
        """The encoded line of one agency (KeyError if unknown)."""
        if self._file is None:
            return self._lines[agency_id]
        start, length = self._offsets[agency_id]
        return os.pread(self._file.fileno(), length, start).decode("utf-8")

    def lines(self) -> Iterator[tuple[str, str]]:
        """(agency id, encoded line) in insertion order."""
        for agency_id in self.ids():
            yield agency_id, self.line(agency_id)

    def get(self, agency_id: str, score: AgencyScore, result: AssessmentResult, lean: bool = False) -> AgencyResult:
        """One agency decoded into records (`lean`: without the passes on its assets)."""
        from secassess.assessment.document import decode_agency
        return decode_agency(self.line(agency_id), score, result.header, result.files, lean)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
