"""PDF reports: the HTML report printed by headless Chromium, dated by the assessment, not the clock."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from secassess.report.chromium import DEFAULT_TIMEOUT, run_chromium

_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([+-]\d\d'\d\d'|Z)?\)")


def stamp_dates(pdf: bytes, as_of: dt.date) -> bytes:
    """Set the PDF's creation and modification times to midnight UTC of `as_of`, so runs are byte-identical.

    Each replacement has the original's length, so the cross-reference offsets stay right.
    """
    day = as_of.strftime("%Y%m%d").encode()

    def stamp(match: re.Match[bytes]) -> bytes:
        zone = match.group(2) or b""
        fixed_zone = b"+00'00'" if len(zone) == 7 else zone
        return b"/" + match.group(1) + b" (D:" + day + b"000000" + fixed_zone + b")"

    return _PDF_DATE.sub(stamp, pdf)


def html_to_pdf(html: Path, pdf: Path, engine: str, as_of: dt.date, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Print `html` (a file) to `pdf` on A4 as its stylesheet says, without the browser's header and footer."""
    run_chromium(engine, ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()], timeout)
    pdf.write_bytes(stamp_dates(pdf.read_bytes(), as_of))
