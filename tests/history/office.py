"""The tests' only use of LibreOffice: a .docx printed to PDF headless, then its text read with pdftotext."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from support import require_tool

TIMEOUT = 180.0


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert with a fresh LibreOffice profile (so parallel runs do not share one); the PDF's path."""
    soffice = require_tool("soffice")
    profile = out_dir / "lo-profile"
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    pdf = out_dir / (docx.stem + ".pdf")
    assert process.returncode == 0 and pdf.exists(), (out + err).decode("utf-8", "replace")
    return pdf


def pdf_text(pdf: Path) -> str:
    tool = require_tool("pdftotext")
    done = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")
