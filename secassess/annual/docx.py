"""The one module that imports python-docx: an editable Word document made from a report's HTML page.

Officials sign the annual report after editing it, so it is a real .docx with headings, paragraphs, bullet
lists and tables (not a picture of the page). The page is our own template's output; only its structure is
read: h1-h3, p, ul/ol/li, table rows and cells (th bold), strong/b bold; <style>, <svg>, <title> and any
element with the class `docx-skip` are left out. The file is reproducible: its core properties are dated by
the assessment and every zip entry carries that date.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt
from docx.text.paragraph import Paragraph

SKIPPED = frozenset({"style", "svg", "title", "script", "head"})
BLOCKS = {"h1": 0, "h2": 1, "h3": 2}
"""Heading tag -> Word heading level (0: the title)."""


@dataclass
class _Cell:
    runs: list[tuple[str, bool]] = field(default_factory=list)
    header: bool = False


@dataclass
class _Block:
    kind: str
    """"heading", "paragraph", "bullet" or "table"."""
    level: int = 0
    runs: list[tuple[str, bool]] = field(default_factory=list)
    rows: list[list[_Cell]] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects the page's blocks in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.skip_depth = 0
        self.stack: list[str] = []
        self.current: _Block | None = None
        self.table: _Block | None = None
        self.cell: _Cell | None = None
        self.bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skip_depth or tag in SKIPPED or "docx-skip" in classes:
            if tag not in ("br", "img", "meta", "link", "col", "hr", "input"):
                self.skip_depth += 1
            return
        if tag in BLOCKS:
            self.current = _Block("heading", BLOCKS[tag])
        elif tag in ("p", "figcaption") and self.cell is None:
            self.current = _Block("paragraph")
        elif tag == "li":
            self.current = _Block("bullet")
        elif tag == "table":
            self.table = _Block("table")
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
        elif tag in ("td", "th") and self.table is not None and self.table.rows:
            self.cell = _Cell(header=tag == "th")
            self.table.rows[-1].append(self.cell)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in BLOCKS or tag in ("p", "figcaption", "li"):
            if self.current is not None and self.cell is None:
                if "".join(t for t, _ in self.current.runs).strip():
                    self.blocks.append(self.current)
                self.current = None
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "table" and self.table is not None:
            if self.table.rows:
                self.blocks.append(self.table)
            self.table = None
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._text(" ".join(data.split()) if data.strip() else (" " if data else ""))

    def _text(self, text: str) -> None:
        if not text:
            return
        target = self.cell.runs if self.cell is not None else self.current.runs if self.current is not None else None
        if target is not None:
            target.append((text, self.bold > 0))


def _runs(paragraph: Paragraph, runs: list[tuple[str, bool]]) -> None:
    text = "".join(t for t, _ in runs)
    lead = len(text) - len(text.lstrip())
    for chunk, bold in runs:
        if lead:
            cut = min(lead, len(chunk))
            chunk, lead = chunk[cut:], lead - cut
        if chunk:
            paragraph.add_run(chunk).bold = bold or None


def _build(blocks: list[_Block]) -> DocumentObject:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    for block in blocks:
        if block.kind == "heading":
            _runs(document.add_heading("", level=block.level), block.runs)
        elif block.kind == "bullet":
            _runs(document.add_paragraph(style="List Bullet"), block.runs)
        elif block.kind == "paragraph":
            _runs(document.add_paragraph(), block.runs)
        else:
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                for i, cell in enumerate(row):
                    _runs(cells[i].paragraphs[0], [(t, b or cell.header) for t, b in cell.runs])
    return document


def _stamped(data: bytes, as_of: dt.date) -> bytes:
    """The package rewritten with every entry dated `as_of` (python-docx dates them with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(as_of.year, as_of.month, as_of.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def html_to_docx(html: str, as_of: dt.date, title: str, author: str = "secassess") -> bytes:
    """The .docx bytes of an HTML report page (see the module docstring)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    document = _build(reader.blocks)
    moment = dt.datetime(as_of.year, as_of.month, as_of.day)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created, properties.modified, properties.revision = moment, moment, 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _stamped(buffer.getvalue(), as_of)
