"""The scan result model shared by the live scan, the XML import and the JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HostStatus = Literal["up", "down", "timedout"]
HOST_STATUSES: tuple[HostStatus, ...] = ("up", "down", "timedout")

_NO_EVIDENCE = frozenset(("", "user-set", "localhost-response"))

LIMIT_REASON = "scan-limit"
"""`HostResult.reason` of a target the wall-clock limit stopped before nmap reported it."""


@dataclass(frozen=True, slots=True)
class PortResult:
    """One scanned port as nmap reported it."""

    port: int
    protocol: str
    state: str
    reason: str = ""
    service: str = ""
    product: str = ""
    version: str = ""
    extrainfo: str = ""


@dataclass(frozen=True, slots=True)
class HostResult:
    """One host of a scan: `status` is `timedout` when nmap gave up on it (never "up, no ports")."""

    address: str
    status: HostStatus
    reason: str = ""
    addresses: tuple[str, ...] = ()
    hostnames: tuple[str, ...] = ()
    ports: tuple[PortResult, ...] = ()

    @property
    def open_ports(self) -> tuple[PortResult, ...]:
        """Ports in state `open` (not `open|filtered`)."""
        return tuple(p for p in self.ports if p.state == "open")

    @property
    def answers(self) -> bool:
        """The host showed life: an open port, or `up` for a reason that is real evidence.

        "user-set" (`-Pn`) and "localhost-response" (nmap calls every 127/8 address up) are not.
        """
        if self.status != "up":
            return False
        return bool(self.open_ports) or self.reason not in _NO_EVIDENCE


@dataclass(frozen=True, slots=True)
class ScanInfo:
    """What one protocol's scan covered: nmap's `<scaninfo>`, `services` like "22,80,8000-8010"."""

    type: str
    protocol: str
    services: str

    def covers(self, port: int) -> bool:
        """Whether `port` was in this scan's port list."""
        for part in self.services.split(","):
            low, _, high = part.partition("-")
            if low.isdigit() and int(low) <= port <= int(high if high.isdigit() else low):
                return True
        return False


SCAN_TIME_LIMIT_UNFINISHED = ("the scan hit its {limit}s time limit and nmap was stopped; {count} host(s) not "
                              "finished: {hosts}")
SCAN_TIME_LIMIT_FINISHED = "the scan hit its {limit}s time limit and nmap was stopped; all hosts had finished"
SCAN_OUTPUT_ENDED = "nmap's output ended early, so {count} target(s) were not scanned: {hosts}"
SCAN_XML_TRUNCATED = ("{where}: the XML ends before the scan finished (interrupted scan?); kept the {count} host(s) "
                      "completed before that point; hosts after it were not scanned")
SCAN_NO_RESULT = "{target}: nmap found {count} host(s) up but reported no result for them: {hosts}"
SCAN_EXIT = "{target}: nmap reported exit={exit}: {message}"
HOSTS_MORE = " and {count} more"
"""The warnings a scan may carry (reports read them back by these forms to word them); a loaded scan file's
warnings are prefixed with its path."""
SCAN_WARNINGS = (SCAN_TIME_LIMIT_UNFINISHED, SCAN_TIME_LIMIT_FINISHED, SCAN_OUTPUT_ENDED, SCAN_XML_TRUNCATED,
                 SCAN_NO_RESULT, SCAN_EXIT)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """A whole scan; `started`/`finished` are Unix times (0 when unknown), `warnings` are for the user."""

    scanner: str
    nmap_version: str
    args: str
    started: int
    finished: int
    hosts: tuple[HostResult, ...]
    scaninfo: tuple[ScanInfo, ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True
    """False when nmap's output ended early (an interrupted scan): a target it does not list was not scanned."""

    def covers(self, port: int, protocol: str) -> bool:
        """Whether `port/protocol` was scanned (unknown coverage counts as not scanned)."""
        return any(info.protocol == protocol and info.covers(port) for info in self.scaninfo)
