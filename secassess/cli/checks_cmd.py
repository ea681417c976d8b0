"""`secassess checks`: list the checks a profile runs."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_check_filters, add_profile
from secassess.cli.targets import OutputKinds, add_output_options

KINDS = OutputKinds(("text", "json"), ((".json", "json"), (".txt", "text")))
UNVERIFIED = {"vi": "(chưa kiểm chứng)", "en": "(unverified source)"}
"""Marks a check built on a source the regulations digest marks unverified."""
HEADINGS = {"vi": ("mã", "mức độ", "lớp", "đối tượng", "tiêu đề"),
            "en": ("id", "severity", "layer", "entity", "title")}
SEVERITY_VI = {"critical": "nghiêm trọng", "high": "cao", "medium": "trung bình", "low": "thấp", "info": "thông tin"}


def configure(parser: argparse.ArgumentParser) -> None:
    add_profile(parser)
    parser.add_argument("--checklists", action="append", default=[], metavar="DIR",
                        help="also list the checks in DIR (repeatable)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of titles (default vi)")
    add_check_filters(parser)
    add_output_options(parser, KINDS, "the list")


def run(args: argparse.Namespace) -> int:
    import json

    from secassess.api import list_checks
    from secassess.cli.targets import deliver, plan_outputs
    from secassess.selection import select_ids

    plan = plan_outputs(args.output, args.format, KINDS)
    every = list_checks(args.profile, args.checklists)
    kept = select_ids((c.id for c in every), args.check, args.skip_check)
    checks = [c for c in every if c.id in kept]
    last = f"{len(checks)} checks in profile {args.profile}" if args.lang == "en" else \
        f"{len(checks)} kiểm tra trong bộ quy định {args.profile}"

    def produce(fmt: str, colour: bool) -> str:
        if fmt == "json":
            return json.dumps([{"id": c.id, "severity": c.severity.value, "layer": c.layer, "domain": c.domain,
                                "entity": c.entity, "title": {"vi": c.title_vi, "en": c.title_en},
                                "unverified": c.unverified} for c in checks],
                              ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        heading = HEADINGS[args.lang]
        lines = [f"{heading[0]:<22} {heading[1]:<12} {heading[2]:<5} {heading[3]:<17} {heading[4]}"]
        for c in checks:
            mark = f" {UNVERIFIED[args.lang]}" if c.unverified else ""
            severity = SEVERITY_VI[c.severity.value] if args.lang == "vi" else c.severity.value
            lines.append(f"{c.id:<22} {severity:<12} {c.layer or '-':<5} {c.entity:<17} "
                         f"{c.title(args.lang)}{mark}")
        lines.append(last)
        return "\n".join(lines) + "\n"

    deliver(plan, produce, [], quiet=args.quiet, summary=lambda: last, kinds=KINDS)
    return 0


COMMAND = Command("checks", "list the checks a profile runs", configure, run)
