"""`secassess diff` and the baseline gate: read the results, compare them, render the diff in a format."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO

from secassess import __version__
from secassess.assessment.document import stream_result
from secassess.assessment.result import AssessmentResult
from secassess.diagnostics import Severity
from secassess.errors import UsageError
from secassess.history.compare import AssessmentDiff, diff_results, result_info
from secassess.history.diffdoc import write_diff
from secassess.history.earlier import earlier_agencies
from secassess.history.model import FindingChange
from secassess.history.sarif import render_sarif
from secassess.history.text import render_text
from secassess.history.timeline import load_timeline
from secassess.history.view import diff_view
from secassess.report.i18n import check_language
from secassess.report.jinja_env import Renderer
from secassess.report.templates import shipped_templates_dir
from secassess.report.view import ReportMeta

DIFF_FORMATS = ("text", "json", "md", "html", "sarif")
DIFF_HTML = "diff.html.j2"
DIFF_MD = "diff.md.j2"


def same_organisation(old: AssessmentResult, new: AssessmentResult, old_path: str, new_path: str) -> None:
    if old.organisation != new.organisation:
        raise UsageError(f"{old_path} assesses {old.organisation!r} and {new_path} assesses {new.organisation!r}: "
                         "only two assessments of the same organisation can be compared")


def diff_files(old_path: str, new_path: str, history_dir: str | None = None) -> tuple[AssessmentDiff,
                                                                                       AssessmentResult]:
    """The diff of two result documents (dated through the earlier results in `history_dir`), and the new result."""
    old, old_stream = stream_result(old_path)
    new, new_agencies = stream_result(new_path)
    same_organisation(old, new, old_path, new_path)
    old_agencies = earlier_agencies(old, old_stream)  # decoded in a forked process while this one compares
    if history_dir is None:
        return diff_results(old, new, old_path, new_path, old_agencies=old_agencies, new_agencies=new_agencies), new
    timeline = load_timeline(history_dir, old.organisation, old.as_of)
    history = tuple(result_info(r, p) for p, r in timeline.results)
    return diff_results(old, new, old_path, new_path, timeline.open_since, history, old_agencies=old_agencies,
                        new_agencies=new_agencies), new


def render_diff(diff: AssessmentDiff, new: AssessmentResult, output_format: str, lang: str = "vi",
                templates_dir: str | None = None) -> str | Callable[[IO[str]], None]:
    """The diff as text, a JSON document (a writer, streamed), Markdown, HTML or SARIF."""
    if output_format == "json":
        return partial(write_diff, diff)
    if output_format == "text":
        return render_text(diff)
    if output_format == "sarif":
        return render_sarif(diff, new.checks)
    if output_format not in DIFF_FORMATS:
        raise UsageError(f"--format {output_format}: choose from {', '.join(DIFF_FORMATS)}")
    lang = check_language(lang)
    renderer = Renderer(lang, shipped_templates_dir(), Path(templates_dir) if templates_dir else None)
    name = new.header.organisation_name_en if lang == "en" and new.header.organisation_name_en \
        else new.organisation_name
    meta = ReportMeta(new.as_of.isoformat(), name, new.profile, new.profile_title, __version__, lang)
    return renderer.render(DIFF_HTML if output_format == "html" else DIFF_MD,
                           {"meta": meta, "diff": diff_view(diff, lang), "index_link": ""})


def introduced_at(diff: AssessmentDiff, fail_on: str | Severity | None) -> list[FindingChange]:
    """The new and regressed findings at or above `fail_on` (none when it is None)."""
    if fail_on is None:
        return []
    threshold = Severity(fail_on).rank
    return [c for c in diff.introduced() if c.severity.rank >= threshold]
