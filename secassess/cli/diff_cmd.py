"""`secassess diff OLD.json NEW.json`: what got better, what got worse, what is still open."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_fail_on
from secassess.cli.targets import OutputKinds, add_output_options

KINDS = OutputKinds(("text", "json", "md", "html", "sarif"),
                    ((".sarif", "sarif"), (".sarif.json", "sarif"), (".json", "json"), (".md", "md"),
                     (".html", "html"), (".htm", "html"), (".txt", "text")))
"""`secassess.history.service.DIFF_FORMATS` (a test keeps them equal)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.json", help="the earlier result (`assess --format json`, `report`'s "
                                                       "result.json)")
    parser.add_argument("new", metavar="NEW.json", help="the later result")
    add_output_options(parser, KINDS, "the diff (text; json: the versioned diff document, docs/diff-schema.json; "
                                      "md, html; sarif: only the new and regressed findings)")
    parser.add_argument("--history", metavar="DIR",
                        help="earlier results (any *.json result under DIR) to date still-open findings back further "
                             "than OLD")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of md and html (default vi)")
    parser.add_argument("--templates", metavar="DIR", help="your own templates (sandboxed)")
    add_fail_on(parser, None, "exit 1 when a new or regressed finding is")


def run(args: argparse.Namespace) -> int:
    from secassess.cli.targets import Content, deliver, plan_outputs
    from secassess.history.service import diff_files, introduced_at, render_diff
    from secassess.history.text import summary_line

    plan = plan_outputs(args.output, args.format, KINDS)
    diff, new = diff_files(args.old, args.new, args.history)
    outputs: dict[str, Content] = {}

    def produce(fmt: str, colour: bool) -> Content:
        if fmt not in outputs:
            outputs[fmt] = render_diff(diff, new, fmt, args.lang, args.templates)
        return outputs[fmt]

    deliver(plan, produce, [args.old, args.new], quiet=args.quiet, summary=lambda: summary_line(diff), kinds=KINDS)
    return 1 if introduced_at(diff, args.fail_on) else 0


COMMAND = Command("diff", "compare two assessment results: new, fixed, still open, regressed, score changes",
                  configure, run)
