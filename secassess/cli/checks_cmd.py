"""`secassess checks`: list the checks a profile runs."""

from __future__ import annotations

import argparse
import json

from secassess.api import DEFAULT_PROFILE, list_checks
from secassess.cli.common import Command
from secassess.outputs import emit


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="luat116|nd85")
    parser.add_argument("--checklists", action="append", default=[], metavar="DIR",
                        help="also list the checks in DIR (repeatable)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of titles (default vi)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--output", "-o", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    checks = list_checks(args.profile, args.checklists)
    if args.format == "json":
        text = json.dumps([{"id": c.id, "severity": c.severity.value, "layer": c.layer, "domain": c.domain,
                            "entity": c.entity, "title": {"vi": c.title_vi, "en": c.title_en},
                            "unverified": c.unverified} for c in checks],
                          ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    else:
        lines = [f"{'id':<22} {'severity':<8} {'layer':<5} {'entity':<17} title"]
        for c in checks:
            title = c.title_vi if args.lang == "vi" else c.title_en
            mark = " (unverified source)" if c.unverified else ""
            lines.append(f"{c.id:<22} {c.severity.value:<8} {c.layer or '-':<5} {c.entity:<17} {title}{mark}")
        lines.append(f"{len(checks)} checks in profile {args.profile}")
        text = "\n".join(lines) + "\n"
    emit(text, args.output)
    return 0


COMMAND = Command("checks", "list the checks a profile runs", configure, run)
