"""`secassess report`: one report per agency (HTML, Markdown, PDF) and the province summary, written atomically.

Everything is rendered into a temporary directory beside `out_dir`, then each finished file is moved into
place with an atomic rename (the summary last, so it never links to a missing report). An interrupted run
leaves every file in `out_dir` either as it was or complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from secassess.errors import EnvironmentFailure, InputError, UsageError
from secassess.inventory.model import Inventory
from secassess.outputs import refuse_overwriting_inputs
from secassess.report.chromium import DEFAULT_TIMEOUT, find_engine
from secassess.report.details import inventory_details
from secassess.report.document import AgencyResult, AssessmentResult
from secassess.report.i18n import check_language
from secassess.report.jinja_env import Renderer
from secassess.report.parallel import default_workers, run_all
from secassess.report.pdf import PdfPrinter
from secassess.report.svgsafe import checked_svg
from secassess.report.templates import shipped_templates_dir
from secassess.report.view import agency_view, index_pages, meta, province_view, ranking

FORMATS = ("html", "md", "pdf")
DEFAULT_FORMATS = FORMATS
AGENCY_HTML = "agency_report.html.j2"
AGENCY_MD = "agency_report.md.j2"
SUMMARY_HTML = "province_summary.html.j2"


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format {','.join(unknown) or '(none)'}: choose from {','.join(FORMATS)}")
    return chosen


def _select(result: AssessmentResult, agencies: Sequence[str] | None) -> tuple[AgencyResult, ...]:
    if not agencies:
        return result.agencies
    known = {a.id: a for a in result.agencies}
    unknown = [a for a in agencies if a not in known]
    if unknown:
        listed = ", ".join(sorted(known)[:10]) + (", ..." if len(known) > 10 else "")
        raise UsageError(f"--agency {', '.join(unknown)}: not in the assessment (agencies: {listed})")
    return tuple(known[a] for a in dict.fromkeys(agencies))


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _staging(out_dir: Path) -> Iterator[Path]:
    """A fresh temporary directory beside `out_dir` (same file system, so renames are atomic); removed after."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.secassess-", dir=out_dir.parent))
    except OSError as exc:
        raise EnvironmentFailure(f"{out_dir}: cannot write: {exc.strerror}") from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[], None]]:
    """A callback advancing a progress bar on standard error, drawn only when it is a terminal."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda: None
        return
    columns = (TextColumn("report"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("report", total=total)
        yield lambda: bar.advance(task)


def render_reports(result: AssessmentResult, out_dir: str | Path, formats: Iterable[str] = DEFAULT_FORMATS,
                   lang: str = "vi", templates_dir: str | Path | None = None, agencies: Sequence[str] | None = None,
                   progress: bool = False, *, inventory: Inventory | None = None, inputs: Iterable[str] = (),
                   network_svgs: Mapping[str, str] | None = None, pdf_engine: str | None = None,
                   pdf_timeout: float = DEFAULT_TIMEOUT, workers: int | None = None) -> list[Path]:
    """Write `<agency-id>.html|.md|.pdf` per agency and `index.html` (all agencies only); return the paths.

    `inventory` (optional) adds what the result does not carry: kinds, English names, contacts, systems and
    their levels. `inputs` are never overwritten; `network_svgs` maps agency ids to an SVG network picture, embedded in
    the HTML after `svgsafe.checked_svg`. PDF needs Chromium (`pdf_engine`, default `chromium` on PATH).
    `workers`: processes rendering agencies (default: one per core for large provinces; 1: none forked).
    """
    chosen = _check_formats(formats)
    lang = check_language(lang)
    selected = _select(result, agencies)
    engine = find_engine(pdf_engine) if "pdf" in chosen else ""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: not a directory")
    renderer = Renderer(lang, shipped_templates_dir(), Path(templates_dir) if templates_dir is not None else None)
    pictures = {k: checked_svg(v, f"network picture of {k}") for k, v in (network_svgs or {}).items()}
    with_index = ("html" in chosen or "pdf" in chosen) and not agencies
    links = {a.id: f"{a.id}.html" for a in selected} if "html" in chosen or "pdf" in chosen else {}
    details = inventory_details(inventory) if inventory is not None else None
    rows = ranking(result, lang, details, links) if with_index else ()
    pages = index_pages(rows) if with_index else ()
    html_pages = pages if "html" in chosen else ()
    summary_pdf = with_index and "pdf" in chosen
    reserved = {name.removesuffix(".html") for page in pages[:1] for name in page.pages}
    clash = sorted(reserved & {a.id for a in selected})
    if clash:
        raise InputError([(None, f"agency id {clash[0]!r} is also the name of a summary page; rename the agency")])
    names = [f"{a.id}.{fmt}" for a in selected for fmt in chosen] + [p for page in html_pages[:1] for p in page.pages] \
        + (["index.pdf"] if summary_pdf else [])
    for name in names:
        refuse_overwriting_inputs(str(out / name), inputs)
    common: dict[str, Any] = {"meta": meta(result, lang, details), "index_link": "index.html" if with_index else ""}
    written: list[str] = []
    steps = len(selected) * (2 if "pdf" in chosen else 1) + summary_pdf
    with _staging(out) as staging, _progress(progress, steps) as advance:

        def render_agency(index: int) -> None:
            agency = selected[index]
            extra = details.agencies.get(agency.id) if details else None
            context = {**common, "agency": agency_view(agency, result, lang, extra),
                       "network_svg": pictures.get(agency.id)}
            if "html" in chosen or "pdf" in chosen:
                _write(staging / f"{agency.id}.html", renderer.render(AGENCY_HTML, context))
            if "md" in chosen:
                _write(staging / f"{agency.id}.md", renderer.render(AGENCY_MD, {**context, "network_svg": None}))

        needed = ((AGENCY_HTML,) if "html" in chosen or "pdf" in chosen else ()) + \
            ((AGENCY_MD,) if "md" in chosen else ()) + ((SUMMARY_HTML,) if pages else ())
        for name in needed:
            renderer.template(name)  # compiled once, before any worker is forked
        run_all(render_agency, len(selected), default_workers(len(selected)) if workers is None else workers,
                advance)
        province = province_view(result, lang, details) if pages else None
        for page in html_pages:
            _write(staging / page.pages[page.number - 1],
                   renderer.render(SUMMARY_HTML, {**common, "province": province, "page": page}))
        pdf_jobs = [(staging / f"{a.id}.html", staging / f"{a.id}.pdf") for a in selected] if "pdf" in chosen else []
        if summary_pdf:  # the whole ranking on one page: a PDF has no next-page links
            _write(staging / "index.pdf.html", renderer.render(SUMMARY_HTML, {
                **common, "province": province, "page": index_pages(rows, max(len(rows), 1))[0]}))
            pdf_jobs.append((staging / "index.pdf.html", staging / "index.pdf"))
        _print_pdfs(pdf_jobs, engine, result, pdf_timeout, advance)
        written = _move_into_place(staging, out, names)
    return [out / name for name in written]


def _print_pdfs(jobs: Sequence[tuple[Path, Path]], engine: str, result: AssessmentResult, timeout: float,
                advance: Callable[[], None]) -> None:
    """Print the staged HTML reports to PDF in one sandboxed browser; the first failure stops the run.

    Links between the reports (`<id>.html`, `index.html`) become links between their PDFs.
    """
    if not jobs:
        return
    renamed = {html.name: pdf.name for html, pdf in jobs} | {"index.html": "index.pdf"}
    with PdfPrinter(engine, result.as_of, timeout=timeout) as printer:
        printer.print_files(jobs, advance, renamed)


def _move_into_place(staging: Path, out: Path, names: Sequence[str]) -> list[str]:
    """Rename each staged file over its final name, in `names` order (the summary pages come last)."""
    try:
        for name in names:
            os.chmod(staging / name, 0o644)
            os.replace(staging / name, out / name)
    except OSError as exc:
        raise EnvironmentFailure(f"{out}: cannot write: {exc.strerror}") from None
    return list(names)
