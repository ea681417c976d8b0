"""`secassess scan INVENTORY`: scan the lab hosts with nmap (inside the lab scope only) and show the drift."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from secassess.cli.common import Command, add_limits, positive_int
from secassess.cli.targets import OutputKinds, add_output_options

if TYPE_CHECKING:
    from secassess.inventory.load import LoadedInventory
    from secassess.scan.model import ScanResult

MODES = ("connect", "version", "top100")
"""`secassess.scan.argv.Mode`'s values (a test keeps them equal)."""
DEFAULT_TIMEOUT = 600
"""`secassess.scan.runner.DEFAULT_LIMIT` (a test keeps them equal)."""
KINDS = OutputKinds(("text", "json", "xml"), ((".json", "json"), (".xml", "xml"), (".txt", "text")))
"""text: the hosts and the drift; json: the scan result (for `assess --scan`); xml: nmap's raw XML."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY", help="inventory YAML file (its lab_scope bounds the scan)")
    parser.add_argument("--targets", nargs="+", metavar="CIDR/IP",
                        help="what to scan (default: the whole lab_scope); each must lie inside lab_scope")
    parser.add_argument("--mode", choices=MODES, default=MODES[0],
                        help="connect (-sT, unprivileged, default), version (-sT -sV), top100")
    parser.add_argument("--ports", metavar="LIST", help="ports such as 22,80,8000-8010 (default: the mode's)")
    parser.add_argument("--timeout", type=positive_int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"wall-clock limit; nmap is killed when it is reached (default {DEFAULT_TIMEOUT})")
    add_output_options(parser, KINDS, "the scan (text: hosts and differences with the inventory; json: the "
                                      "result `assess --scan` reads; xml: nmap's raw XML)", legacy=())
    parser.add_argument("--out", dest="json_out", help=argparse.SUPPRESS)  # before -o: the JSON result
    parser.add_argument("--xml", metavar="FILE", help="also keep nmap's raw XML (the same as -o xml:FILE)")
    parser.add_argument("--allow-public-scope", action="store_true",
                        help="allow targets outside private and loopback ranges (only on the command line: "
                             "an inventory's lab_scope never allows it)")
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    from secassess.cli.common import limits_from, progress_wanted
    from secassess.cli.targets import deliver, join_target, plan_outputs
    from secassess.errors import UsageError
    from secassess.inventory.load import load_inventory
    from secassess.outputs import refuse_overwriting_inputs
    from secassess.scan.jsonform import to_json
    from secassess.scan.service import scan

    outputs = [*args.output, *([join_target("json", args.json_out)] if args.json_out else []),
               *([join_target("xml", args.xml)] if args.xml else [])]
    plan = plan_outputs(outputs, args.format, KINDS)
    loaded = load_inventory(args.inventory, limits_from(args))
    scope = loaded.inventory.lab_scope.cidrs
    if not scope:
        raise UsageError(f"{args.inventory}: lab_scope.cidrs is empty, so nothing may be scanned; "
                         "declare the lab networks there first")
    for target in plan.targets:
        if target.path is not None:
            refuse_overwriting_inputs(target.path, [args.inventory])
    targets = args.targets or [str(net) for net in scope]
    result, raw_xml = scan(targets, scope, args.mode, args.ports, limit=float(args.timeout),
                           max_hosts=loaded.inventory.lab_scope.max_hosts, allow_public=args.allow_public_scope,
                           progress=progress_wanted(args))
    lines = summary(result, loaded)

    def produce(fmt: str, colour: bool) -> str:
        return {"json": lambda: to_json(result), "xml": lambda: raw_xml, "text": lambda: lines}[fmt]()

    deliver(plan, produce, [args.inventory], quiet=args.quiet, summary=lambda: lines.splitlines()[-1],
            kinds=KINDS)
    return 0


def summary(result: ScanResult, loaded: LoadedInventory) -> str:
    """Hosts and open ports, then every difference with the inventory."""
    from secassess.scan.drift import compare
    from secassess.scan.facts import declared_hosts
    from secassess.textsafe import printable

    lines = [f"nmap {result.nmap_version}: {len(result.hosts)} host(s) reported"]
    for host in result.hosts:
        ports = ", ".join(f"{p.port}/{p.protocol} {p.service}".strip() for p in host.open_ports) or "no open port"
        lines.append(f"  {host.address:<16} {host.status:<9} {ports}")
    lines.extend(f"warning: {w}" for w in result.warnings)
    drift = compare(result, declared_hosts(loaded), loaded.inventory.lab_scope.cidrs)
    for finding in drift:
        where = f"{finding.inventory_pos}: " if finding.inventory_pos else ""
        port = f":{finding.port}/{finding.protocol}" if finding.port else ""
        name = f" ({finding.hostname})" if finding.hostname else ""
        lines.append(f"{where}{finding.kind.value}: {finding.address}{port}{name}: {finding.detail}")
    lines.append(f"{len(drift)} difference(s) between the scan and the inventory "
                 f"({len(result.hosts)} host(s) scanned)")
    return "\n".join(map(printable, lines)) + "\n"


COMMAND = Command("scan", "scan lab hosts with nmap (inside lab_scope only) and compare with the inventory",
                  configure, run)
