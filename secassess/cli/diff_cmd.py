"""`secassess diff OLD.json NEW.json`: what got better, what got worse, what is still open."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command
from secassess.diagnostics import Severity

FAIL_ON = [s.value for s in Severity if s is not Severity.INFO]


def configure(parser: argparse.ArgumentParser) -> None:
    from secassess.history.service import DIFF_FORMATS

    parser.add_argument("old", metavar="OLD.json", help="the earlier result (`assess --format json`, `report`'s "
                                                       "result.json)")
    parser.add_argument("new", metavar="NEW.json", help="the later result")
    parser.add_argument("--format", choices=DIFF_FORMATS, default="text",
                        help="text, json (the versioned diff document, docs/diff-schema.json), md, html, or sarif "
                             "(only the new and regressed findings)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--history", metavar="DIR",
                        help="earlier results (any *.json result under DIR) to date still-open findings back further "
                             "than OLD")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of md and html (default vi)")
    parser.add_argument("--templates", metavar="DIR", help="your own templates (sandboxed)")
    parser.add_argument("--fail-on", choices=FAIL_ON, metavar="|".join(FAIL_ON),
                        help="exit 1 when a new or regressed finding is at or above this severity (default: never)")


def run(args: argparse.Namespace) -> int:
    from secassess.history.service import diff_files, introduced_at, render_diff
    from secassess.outputs import emit

    diff, new = diff_files(args.old, args.new, args.history)
    emit(render_diff(diff, new, args.format, args.lang, args.templates), args.output, [args.old, args.new])
    return 1 if introduced_at(diff, args.fail_on) else 0


COMMAND = Command("diff", "compare two assessment results: new, fixed, still open, regressed, score changes",
                  configure, run)
