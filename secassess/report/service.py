"""`secassess report`: one report per agency (HTML, Markdown, PDF) and the province summary, written atomically.

Everything is rendered into a hidden staging folder inside `out_dir` (`outputs.StagedDirectory`), then all
files are moved into place together, the summary last, or none of them: a file that cannot be replaced,
a full disk or SIGTERM leaves `out_dir` as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from secassess.assessment.document import write_document
from secassess.assessment.result import AssessmentResult
from secassess.errors import InputError, UsageError
from secassess.history.timeline import Timeline
from secassess.history.trend import build_trends
from secassess.outputs import StagedDirectory, refuse_overwriting_inputs
from secassess.parallel import default_workers, run_all
from secassess.progress import Steps
from secassess.report.chromium import DEFAULT_TIMEOUT, find_engine
from secassess.report.i18n import check_language
from secassess.report.jinja_env import Renderer
from secassess.report.pdf import PdfPrinter
from secassess.report.svgsafe import checked_svg
from secassess.report.templates import shipped_templates_dir
from secassess.report.view import agency_view, index_pages, meta, province_view, ranking

FORMATS = ("html", "md", "pdf")
DEFAULT_FORMATS = FORMATS
AGENCY_HTML = "agency_report.html.j2"
AGENCY_MD = "agency_report.md.j2"
SUMMARY_HTML = "province_summary.html.j2"
SUMMARY_MD = "province_summary.md.j2"
INDEX_MD = "index.md"
"""The province summary in Markdown: the whole ranking on one page."""
RESULT_JSON = "result.json"
"""The assessment the reports show, written beside them (for `report --from-result`, `diff`, history)."""


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format {','.join(unknown) or '(none)'}: choose from {','.join(FORMATS)}")
    return chosen


def _select(result: AssessmentResult, agencies: Sequence[str] | None) -> tuple[str, ...]:
    """The ids of the agencies to report on, in ranking order (all of them, or those asked for)."""
    if not agencies:
        return tuple(a.agency for a in result.agencies)
    known = {a.agency for a in result.agencies}
    unknown = [a for a in agencies if a not in known]
    if unknown:
        listed = ", ".join(sorted(known)[:10]) + (", ..." if len(known) > 10 else "")
        raise UsageError(f"--agency {', '.join(unknown)}: not in the assessment (agencies: {listed})")
    return tuple(dict.fromkeys(agencies))


def render_reports(result: AssessmentResult, out_dir: str | Path, formats: Iterable[str] = DEFAULT_FORMATS,
                   lang: str = "vi", templates_dir: str | Path | None = None, agencies: Sequence[str] | None = None,
                   progress: bool | Steps = False, *, inputs: Iterable[str] = (),
                   network_picture: Callable[[str], str | None] | None = None,
                   pdf_engine: str | None = None, pdf_timeout: float = DEFAULT_TIMEOUT,
                   workers: int | None = None, history: Timeline | None = None) -> list[Path]:
    """Write `<agency-id>.html|.md|.pdf` per agency, and for all agencies `result.json` and the province
    summary in each format that has one (`index.html`, `index.md`, `index.pdf`); return the paths.
    `history` (earlier results) adds scores over time and long-open findings.

    Agencies are read from the result one at a time. `inputs` are never overwritten; `network_picture(agency id)`
    gives the SVG network picture each HTML report embeds (after `svgsafe.checked_svg`). PDF needs
    Chromium (`pdf_engine`, default `chromium` on PATH). `workers`: processes rendering agencies (default: one
    per core for large provinces; 1: none forked). `history`: earlier results, for the trend sections.
    """
    chosen = _check_formats(formats)
    lang = check_language(lang)
    selected = _select(result, agencies)
    engine = find_engine(pdf_engine) if "pdf" in chosen else ""
    if not str(out_dir):
        raise UsageError("--out is empty; name a directory for the reports")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: not a directory")
    renderer = Renderer(lang, shipped_templates_dir(), Path(templates_dir) if templates_dir is not None else None)
    with_index = ("html" in chosen or "pdf" in chosen) and not agencies
    links = {a: f"{a}.html" for a in selected} if "html" in chosen or "pdf" in chosen else {}
    rows = ranking(result, lang, links) if with_index else ()
    pages = index_pages(rows) if with_index else ()
    html_pages = pages if "html" in chosen else ()
    summary_pdf = with_index and "pdf" in chosen
    md_index = "md" in chosen and not agencies
    reserved = {name.removesuffix(".html") for page in pages[:1] for name in page.pages} | \
        ({INDEX_MD.removesuffix(".md")} if md_index else set())
    clash = sorted(reserved & set(selected))
    if clash:
        raise InputError([(None, f"agency id {clash[0]!r} is also the name of a summary page; rename the agency")])
    names = [f"{a}.{fmt}" for a in selected for fmt in chosen] + ([RESULT_JSON] if not agencies else []) + \
        [p for page in html_pages[:1] for p in page.pages] + (["index.pdf"] if summary_pdf else []) + \
        ([INDEX_MD] if md_index else [])
    for name in names:
        refuse_overwriting_inputs(str(out / name), inputs)
    trends = build_trends(result, history, lang, links, agencies) if history is not None else None
    common: dict[str, Any] = {"meta": meta(result, lang), "index_link": "index.html" if with_index else "",
                              "history": None, "trend": trends.province if trends is not None else None}
    steps = len(selected) * (2 if "pdf" in chosen else 1) + summary_pdf
    shown = progress if isinstance(progress, Steps) else Steps.for_terminal(quiet=not progress)
    with StagedDirectory(out) as staged, shown.step("reports", steps) as advance_by:
        advance = partial(advance_by, 1)
        staged.check(names)  # a name blocked by a folder fails now, not after rendering

        html_like = "html" in chosen or "pdf" in chosen

        def render_agency(index: int) -> None:
            agency = result.agency(selected[index], lean=True)
            drawing = network_picture(agency.id) if network_picture is not None and html_like else None
            picture = checked_svg(drawing, f"network picture of {agency.id}") if drawing else None
            context = {**common, "agency": agency_view(agency, result, lang), "network_svg": picture,
                       "history": trends.agency(agency.id) if trends is not None else None}
            if "html" in chosen or "pdf" in chosen:
                staged.write(f"{agency.id}.html", renderer.render(AGENCY_HTML, context))
            if "md" in chosen:
                staged.write(f"{agency.id}.md", renderer.render(AGENCY_MD, {**context, "network_svg": None}))

        needed = ((AGENCY_HTML,) if "html" in chosen or "pdf" in chosen else ()) + \
            ((AGENCY_MD,) if "md" in chosen else ()) + ((SUMMARY_HTML,) if pages else ()) + \
            ((SUMMARY_MD,) if md_index else ())
        for name in needed:
            renderer.template(name)  # compiled once, before any worker is forked
        run_all(render_agency, len(selected), default_workers(len(selected)) if workers is None else workers,
                advance)
        if not agencies:
            staged.write(RESULT_JSON, lambda handle: write_document(result, handle))
        province = province_view(result, lang) if pages else None
        for page in html_pages:
            staged.write(page.pages[page.number - 1],
                         renderer.render(SUMMARY_HTML, {**common, "province": province, "page": page}))
        if md_index:
            md_rows = ranking(result, lang, {a: f"{a}.md" for a in selected})
            province = province or province_view(result, lang)
            staged.write(INDEX_MD, renderer.render(SUMMARY_MD, {**common, "province": province, "rows": md_rows}))
        pdf_jobs = [(staged.path(f"{a}.html"), staged.path(f"{a}.pdf")) for a in selected] if "pdf" in chosen else []
        if summary_pdf:  # the whole ranking on one page: a PDF has no next-page links
            staged.write("index.pdf.html", renderer.render(SUMMARY_HTML, {
                **common, "province": province, "page": index_pages(rows, max(len(rows), 1))[0]}))
            pdf_jobs.append((staged.path("index.pdf.html"), staged.path("index.pdf")))
        _print_pdfs(pdf_jobs, engine, result, pdf_timeout, advance)
        return staged.commit(names)  # the summaries last, so they never link to a missing report


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
