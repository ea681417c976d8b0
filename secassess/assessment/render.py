"""A readable terminal view of a result: province summary, then per agency its layers and problems.

Written to a stream one agency at a time, and closed by a one-line summary (`summary_line`), which is
all `--quiet` prints.
"""

from __future__ import annotations

import io
from typing import IO

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
_SUMMARY_COUNTS = (("fail", "failed"), ("insufficient_data", "no data"), ("error", "error(s)"),
                   ("waived", "waived"))
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


def summary_line(result: AssessmentResult) -> str:
    """One line: how many agencies, the province's score, and what counts against them."""
    province = result.province
    score = "no score" if province.score is None else \
        f"province score {province.score:.1f} ({province.rating or '-'})"
    counts = ", ".join(f"{province.counts.get(key, 0)} {label}" for key, label in _SUMMARY_COUNTS)
    return (f"assessed {len(result.agencies)} agencies as of {result.as_of} under {result.profile}: "
            f"{score}; {counts}")


def _ranking(result: AssessmentResult) -> Table:
    ranking = Table(title="Ranking", show_lines=False)
    for column in ("#", "agency", "score", "rating", "fail", "no data", "error", "waived", "layer 1", "layer 2",
                   "layer 3", "layer 4"):
        ranking.add_column(column)
    for a in result.agencies:
        o = a.overall
        layers = [f"{a.layers[k].score:.1f}" if k in a.layers and a.layers[k].score is not None else "-"
                  for k in ("1", "2", "3", "4")]
        ranking.add_row(str(a.rank), escape(a.agency), "n/a" if o.score is None else f"{o.score:.1f}",
                        f"{o.rating or '-'}{' *' if o.capped else ''}", str(o.counts["fail"]),
                        str(o.counts.get("insufficient_data", 0)),
                        str(o.counts["error"]), str(o.counts["waived"]), *layers)
    return ranking


def _problems(console: Console, title: str, findings: list[Finding]) -> None:
    problems = sorted((f for f in findings if f.outcome in _SHOWN), key=lambda f: (f.entity, f.check))
    if not problems:
        return
    console.print(f"\n[bold]{title}[/bold]: {len(problems)} problem(s)")
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


def write_text(result: AssessmentResult, out: IO[str], color: bool = False, width: int = 120) -> None:
    """The result as text on `out` (rich styling when `color`, else plain), one agency at a time."""
    console = Console(file=out, force_terminal=color, no_color=not color, width=width, highlight=False)
    console.print(f"[bold]{escape(result.organisation_name)}[/bold] — profile {result.profile} "
                  f"({result.profile_title}), as of {result.as_of}")
    console.print(f"Province: {_score(result.province)}; {_counts(result.province)}")
    console.print(_ranking(result))
    if any(a.overall.capped for a in result.agencies):
        console.print("* rating capped at trung bình: a critical check failed or lacks its data")
    _problems(console, "Province-wide", list(result.province_findings))
    for agency in result.iter_agencies(ranked=True):
        _problems(console, f"{escape(agency.name)} ({agency.id})", list(agency.findings))
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    console.print(escape(summary_line(result)), soft_wrap=True)


def render_text(result: AssessmentResult, color: bool = False, width: int = 120) -> str:
    """The result as text (see `write_text`)."""
    out = io.StringIO()
    write_text(result, out, color, width)
    return out.getvalue()
