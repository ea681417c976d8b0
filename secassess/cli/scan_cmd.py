"""`secassess scan INVENTORY`: scan the lab hosts with nmap (inside the lab scope only) and show the drift."""

from __future__ import annotations

import argparse

from secassess.cli.common import Command, add_limits, limits_from, positive_int
from secassess.errors import UsageError
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.outputs import emit, refuse_overwriting_inputs, refuse_same_outputs, write_atomic
from secassess.scan.argv import Mode
from secassess.scan.drift import compare
from secassess.scan.facts import declared_hosts
from secassess.scan.jsonform import to_json
from secassess.scan.model import ScanResult
from secassess.scan.runner import DEFAULT_LIMIT
from secassess.scan.service import scan
from secassess.textsafe import printable


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inventory", metavar="INVENTORY", help="inventory YAML file (its lab_scope bounds the scan)")
    parser.add_argument("--targets", nargs="+", metavar="CIDR/IP",
                        help="what to scan (default: the whole lab_scope); each must lie inside lab_scope")
    parser.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.CONNECT.value,
                        help="connect (-sT, unprivileged, default), version (-sT -sV), top100")
    parser.add_argument("--ports", metavar="LIST", help="ports such as 22,80,8000-8010 (default: the mode's)")
    parser.add_argument("--timeout", type=positive_int, default=int(DEFAULT_LIMIT), metavar="SECONDS",
                        help=f"wall-clock limit; nmap is killed when it is reached (default {int(DEFAULT_LIMIT)})")
    parser.add_argument("--out", metavar="FILE", help="write the scan result as JSON (for `assess --scan`)")
    parser.add_argument("--xml", metavar="FILE", help="also keep nmap's raw XML")
    parser.add_argument("--allow-public-scope", action="store_true",
                        help="allow targets outside private and loopback ranges (only on the command line: "
                             "an inventory's lab_scope never allows it)")
    add_limits(parser)


def run(args: argparse.Namespace) -> int:
    loaded = load_inventory(args.inventory, limits_from(args))
    scope = loaded.inventory.lab_scope.cidrs
    if not scope:
        raise UsageError(f"{args.inventory}: lab_scope.cidrs is empty, so nothing may be scanned; "
                         "declare the lab networks there first")
    refuse_same_outputs([("--out", args.out), ("--xml", args.xml)])
    for path in (args.out, args.xml):
        if path is not None:
            refuse_overwriting_inputs(path, [args.inventory])
    targets = args.targets or [str(net) for net in scope]
    result, raw_xml = scan(targets, scope, args.mode, args.ports, limit=float(args.timeout),
                           max_hosts=loaded.inventory.lab_scope.max_hosts, allow_public=args.allow_public_scope)
    if args.xml:
        write_atomic(args.xml, raw_xml)
    if args.out:
        write_atomic(args.out, to_json(result))
    emit(summary(result, loaded), None)
    return 0


def summary(result: ScanResult, loaded: LoadedInventory) -> str:
    """Hosts and open ports, then every difference with the inventory."""
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
    lines.append(f"{len(drift)} difference(s) between the scan and the inventory")
    return "\n".join(map(printable, lines)) + "\n"


COMMAND = Command("scan", "scan lab hosts with nmap (inside lab_scope only) and compare with the inventory",
                  configure, run)
