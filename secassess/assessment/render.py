"""A readable terminal view of a result: province summary, then per agency its layers and problems."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from secassess.assessment.result import AssessmentResult, Finding, Score
from secassess.assessment.scoring import RATING_EN
from secassess.diagnostics import Outcome
from secassess.textsafe import printable

_SHOWN = (Outcome.FAIL, Outcome.ERROR, Outcome.INSUFFICIENT_DATA, Outcome.WAIVED)
_STYLE = {Outcome.FAIL: "red", Outcome.ERROR: "magenta", Outcome.INSUFFICIENT_DATA: "cyan", Outcome.WAIVED: "yellow"}
_LABEL = {Outcome.INSUFFICIENT_DATA: "no data"}
MAX_LISTED = 50
"""Problems listed per agency; the rest are counted."""


def escape(text: str) -> str:
    """Input text as inert rich markup, control characters (ESC, line breaks, bidi) shown as escapes."""
    return escape_markup(printable(text))


def _score(score: Score) -> str:
    if score.score is None:
        return "n/a"
    capped = " (capped: critical failure)" if score.capped else ""
    return f"{score.score:.1f} {score.rating} / {RATING_EN.get(score.rating or '', '')}{capped}"


def _counts(score: Score) -> str:
    return ", ".join(f"{k} {v}" for k, v in score.counts.items() if v)


def render_text(result: AssessmentResult, color: bool = False, width: int = 120) -> str:
    """The result as text (rich styling when `color`, else plain)."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width, highlight=False)
    console.print(f"[bold]{escape(result.organisation_name)}[/bold] — profile {result.profile} "
                  f"({result.profile_title}), as of {result.as_of}")
    console.print(f"Province: {_score(result.province)}; {_counts(result.province)}")
    ranking = Table(title="Ranking", show_lines=False)
    for column in ("#", "agency", "score", "rating", "fail", "no data", "error", "waived", "layer 1", "layer 2",
                   "layer 3", "layer 4"):
        ranking.add_column(column)
    for a in result.agencies:
        o = a.overall
        layers = [f"{a.layers[k].score:.0f}" if k in a.layers and a.layers[k].score is not None else "-"
                  for k in ("1", "2", "3", "4")]
        ranking.add_row(str(a.rank), escape(a.agency), "n/a" if o.score is None else f"{o.score:.1f}",
                        f"{o.rating or '-'}{' *' if o.capped else ''}", str(o.counts["fail"]),
                        str(o.counts.get("insufficient_data", 0)),
                        str(o.counts["error"]), str(o.counts["waived"]), *layers)
    console.print(ranking)
    console.print("* rating capped at trung bình: a critical check failed")
    by_agency: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.outcome in _SHOWN:
            by_agency.setdefault(f.agency, []).append(f)
    names = {a.agency: a.name for a in result.agencies}
    for agency in ["", *(a.agency for a in result.agencies)]:
        problems = by_agency.get(agency, [])
        if not problems:
            continue
        console.print(f"\n[bold]{escape(names.get(agency, agency)) if agency else 'Province-wide'}[/bold]"
                      f"{f' ({agency})' if agency else ''}: {len(problems)} problem(s)")
        for f in problems[:MAX_LISTED]:
            style = _STYLE[f.outcome]
            where = escape(f"  [{f.location}]") if f.location else ""
            label = _LABEL.get(f.outcome, f.outcome.value)
            console.print(f"  [{style}]{label:7}[/{style}] {f.severity.value:8} {f.check:22} "
                          f"{escape(f.entity)}\n          {escape(f.message)}{where}", soft_wrap=True)
            for note in f.notes:
                console.print(f"          note: {escape(note)}", soft_wrap=True)
        if len(problems) > MAX_LISTED:
            console.print(f"  ... and {len(problems) - MAX_LISTED} more")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    return out.getvalue()
