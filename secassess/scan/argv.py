"""nmap's argument list, built only from validated values and a fixed table of modes.

python-nmap `shlex`-splits both its `hosts` and `arguments` strings, so any user text reaching them
could add options (`--script`, `-iL FILE`, `-oN FILE`). Here nothing user-written passes through:
hosts are `str()` of `ipaddress` objects joined by single spaces, arguments come from `MODES` plus
integers rendered by this module, and `NmapInvocation` re-checks every token before it is used.

Choices that hold for every mode:
- `-n`: no DNS; names are not needed and reverse lookups would leak the scan to resolvers.
- `-Pn`: no host discovery. Unprivileged discovery is a TCP connect to ports 80/443, which would call
  a firewalled host "down" and skip its declared services; on loopback nmap marks every 127/8 address
  up anyway. The price: nmap reports every target "up (user-set)", so liveness is judged from open
  ports (`HostResult.answers`).
- `-sT`: connect scan, needs no privileges (no raw sockets, no sudo).
- `-oX -`: XML on stdout. python-nmap adds it itself; `full_argv` shows the exact command.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv6Address

from secassess.errors import UsageError
from secassess.scan.targets import IPAddress, format_ports


class Mode(StrEnum):
    """The named scan modes; the only way to choose what nmap does."""

    CONNECT = "connect"
    VERSION = "version"
    TOP100 = "top100"


MODES: dict[Mode, tuple[str, ...]] = {
    Mode.CONNECT: ("-sT",),
    Mode.VERSION: ("-sT", "-sV"),
    Mode.TOP100: ("-sT", "--top-ports", "100"),
}
COMMON: tuple[str, ...] = ("-n", "-Pn")
MAX_HOST_TIMEOUT = 24 * 3600

_FLAGS = frozenset({*(t for args in MODES.values() for t in args if t.startswith("-")), *COMMON,
                    "-6", "-p", "--host-timeout"})
_VALUE = re.compile(r"[0-9][0-9,\-]*s?\Z")
_SAFE_HOST = re.compile(r"[0-9A-Fa-f.:]+\Z")


def parse_mode(text: str) -> Mode:
    """A mode name as given by the user; `UsageError` listing the choices otherwise."""
    try:
        return Mode(text)
    except ValueError:
        raise UsageError(f"scan mode {text!r} is unknown; choose one of: {', '.join(m.value for m in Mode)}") from None


@dataclass(frozen=True, slots=True)
class NmapInvocation:
    """The two strings python-nmap takes; both checked token by token on creation."""

    hosts: str
    arguments: str

    def __post_init__(self) -> None:
        hosts = shlex.split(self.hosts)
        if not hosts or hosts != self.hosts.split(" ") or not all(_SAFE_HOST.match(h) for h in hosts):
            raise UsageError("internal error: refusing unsafe nmap host list")
        args = shlex.split(self.arguments)
        if args != self.arguments.split(" ") or not all(a in _FLAGS or _VALUE.match(a) for a in args):
            raise UsageError("internal error: refusing unsafe nmap arguments")

    def full_argv(self, nmap: str = "nmap") -> list[str]:
        """The exact command python-nmap runs for this invocation."""
        return [nmap, "-oX", "-", *self.hosts.split(" "), *self.arguments.split(" ")]


def build_invocation(addresses: tuple[IPAddress, ...], mode: Mode, ports: tuple[int, ...] = (),
                     host_timeout: int | None = None) -> NmapInvocation:
    """The nmap invocation for validated addresses, a mode, validated ports and a host timeout (s)."""
    if not addresses:
        raise UsageError("no scan target given")
    if not all(isinstance(a, IPv4Address | IPv6Address) for a in addresses):
        raise UsageError("internal error: targets were not validated by parse_targets")
    if ports and mode is Mode.TOP100:
        raise UsageError("mode top100 chooses its own ports; drop the port list or use mode connect")
    args: list[str] = [*MODES[Mode(mode)], *COMMON]
    if any(a.version == 6 for a in addresses):
        args.append("-6")
    if ports:
        if not all(type(p) is int and 1 <= p <= 65535 for p in ports):
            raise UsageError("internal error: ports were not validated")
        args += ["-p", format_ports(ports)]
    if host_timeout is not None:
        if type(host_timeout) is not int or not 1 <= host_timeout <= MAX_HOST_TIMEOUT:
            raise UsageError(f"host timeout must be whole seconds from 1 to {MAX_HOST_TIMEOUT}")
        args += ["--host-timeout", f"{host_timeout}s"]
    return NmapInvocation(" ".join(str(a) for a in addresses), " ".join(args))
