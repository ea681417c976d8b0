"""`secassess report --annual`: the annual report as HTML (through the report templates) and as .docx."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from secassess.annual.docx import html_to_docx
from secassess.annual.figures import annual_view
from secassess.assessment.result import AssessmentResult
from secassess.history.timeline import Timeline
from secassess.inventory.model import Inventory
from secassess.outputs import refuse_overwriting_inputs, write_atomic
from secassess.report.i18n import check_language
from secassess.report.jinja_env import Renderer
from secassess.report.templates import shipped_templates_dir
from secassess.report.view import meta

ANNUAL_HTML = "annual_report.html.j2"


def annual_name(year: int, lang: str) -> str:
    """`bao-cao-nam-2026` (Vietnamese) or `annual-report-2026` (English): the files' stem."""
    return f"bao-cao-nam-{year}" if lang == "vi" else f"annual-report-{year}"


def render_annual(result: AssessmentResult, out_dir: str | Path, lang: str = "vi", inventory: Inventory | None = None,
                  timeline: Timeline | None = None, templates_dir: str | Path | None = None,
                  inputs: Iterable[str] = ()) -> list[Path]:
    """Write `<stem>.html` and `<stem>.docx` into `out_dir` (each atomically); return their paths."""
    lang = check_language(lang)
    view = annual_view(result, lang, inventory, timeline)
    renderer = Renderer(lang, shipped_templates_dir(), Path(templates_dir) if templates_dir is not None else None)
    html = renderer.render(ANNUAL_HTML, {"meta": meta(result, lang), "annual": view, "index_link": ""})
    stem = Path(out_dir) / annual_name(view.year, lang)
    paths = [stem.with_suffix(".html"), stem.with_suffix(".docx")]
    for path in paths:
        refuse_overwriting_inputs(str(path), inputs)
    write_atomic(str(paths[0]), html)
    title = f"{view.organisation} {view.year}"
    write_atomic(str(paths[1]), html_to_docx(html, result.as_of, title))
    return paths
