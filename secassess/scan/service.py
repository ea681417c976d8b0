"""The scan service for the CLI: user strings in, validated, one nmap run, result and raw XML out."""

from __future__ import annotations

from collections.abc import Sequence

from secassess.scan.argv import parse_mode
from secassess.scan.model import ScanResult
from secassess.scan.runner import DEFAULT_LIMIT, run_scan
from secassess.scan.targets import DEFAULT_MAX_HOSTS, IPNetwork, parse_ports, parse_targets


def scan(targets: Sequence[str], scope: Sequence[IPNetwork], mode: str = "connect", ports: str | None = None, *,
         limit: float = DEFAULT_LIMIT, host_timeout: int | None = None, max_hosts: int = DEFAULT_MAX_HOSTS,
         progress: bool | None = None, allow_public: bool = False) -> tuple[ScanResult, str]:
    """Validate everything first (`UsageError`, nothing started), then scan; return (result, raw XML).

    Targets outside private and loopback ranges are refused unless `allow_public` (the user's explicit
    command-line choice, never a value read from a file).
    """
    addresses = parse_targets(targets, scope, max_hosts, allow_public)
    port_list = parse_ports(ports) if ports is not None else ()
    chosen = parse_mode(mode)
    return run_scan(addresses, chosen, port_list, limit=limit, host_timeout=host_timeout, progress=progress)
