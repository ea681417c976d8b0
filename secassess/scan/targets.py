"""The scope guard: targets and ports are validated here, before any process can start.

A target is one IP address or one CIDR network, written exactly as `ipaddress` reads it: no host names
(they resolve to anything), no nmap ranges (`1-5`), no options, no spaces or separators. Every address
must lie inside the declared scope, and inside the private and loopback ranges unless the user allowed
public addresses on the command line (an inventory can declare any scope, so the file alone never can).
What comes out are `ipaddress` objects, whose `str()` can only be digits, dots, colons and hex: nothing
nmap or a shell splitter could read as an option.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence

from secassess.errors import UsageError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_MAX_HOSTS = 1024
DEFAULT_MAX_PORTS = 65535
MAX_PORT_ITEMS = 256
MAX_VALUE_LENGTH = 64

PRIVATE_NETWORKS: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "fe80::/10", "::1/128"))
"""Private (RFC 1918, RFC 4193), loopback and link-local networks: the only ones scanned without an explicit flag."""

_TARGET_CHARS = re.compile(r"[0-9A-Fa-f.:/]+\Z")
_PORTS_RE = re.compile(r"[0-9]{1,5}(?:-[0-9]{1,5})?(?:,[0-9]{1,5}(?:-[0-9]{1,5})?)*\Z")


def parse_scope(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Scope CIDRs (e.g. an inventory's `lab_scope.cidrs`) as networks; host bits must be zero."""
    scope: list[IPNetwork] = []
    for value in values:
        text = _plain(value, "scope")
        try:
            scope.append(ipaddress.ip_network(text, strict=True))
        except ValueError as exc:
            raise UsageError(f"scope {value!r} is not a CIDR network ({exc}); write it like 127.0.0.0/24") from None
    if not scope:
        raise UsageError("the scan scope is empty; declare the lab scope CIDRs (e.g. 127.0.0.0/24)")
    return tuple(scope)


def is_private_network(network: IPNetwork) -> bool:
    """Whether all of `network` lies in one private, loopback or link-local range (`PRIVATE_NETWORKS`)."""
    return any(network.version == p.version and network.subnet_of(p) for p in PRIVATE_NETWORKS)  # type: ignore[arg-type]


def parse_targets(values: Sequence[str], scope: Sequence[IPNetwork], max_hosts: int = DEFAULT_MAX_HOSTS,
                  allow_public: bool = False) -> tuple[IPAddress, ...]:
    """Every address the targets cover, deduplicated and sorted; `UsageError` for anything unsafe.

    `allow_public` lets targets outside the private and loopback ranges through; only the user's own
    `--allow-public-scope` on the command line may set it.
    """
    if not values:
        raise UsageError("no scan target given; name IP addresses or CIDR networks inside the lab scope")
    if not scope:
        raise UsageError("the scan scope is empty; nothing may be scanned")
    networks = [_target(value) for value in values]
    scope_text = ", ".join(str(s) for s in scope)
    total = 0
    for value, network in zip(values, networks, strict=True):
        if not any(network.version == s.version and network.subnet_of(s) for s in scope):  # type: ignore[arg-type]
            raise UsageError(f"target {value!r} is outside the scan scope ({scope_text}); "
                             "only addresses inside the declared lab scope may be scanned")
        if not allow_public and not is_private_network(network):
            raise UsageError(f"target {value!r} is not in a private or loopback range; public addresses are "
                             "scanned only with --allow-public-scope on the command line (an inventory's "
                             "lab_scope cannot allow it)")
        total += network.num_addresses
        if total > max_hosts:
            raise UsageError(f"the targets cover more than {max_hosts:,} addresses (at {value!r}); "
                             "scan a smaller range or raise the host limit")
    if len({n.version for n in networks}) > 1:
        raise UsageError("IPv4 and IPv6 targets cannot be scanned in one nmap run; scan them separately")
    addresses: set[IPAddress] = set()
    for network in networks:
        addresses.update(network)
    return tuple(sorted(addresses))


def _plain(value: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise UsageError(f"empty {what}; give an IP address or a CIDR network")
    if len(value) > MAX_VALUE_LENGTH or not _TARGET_CHARS.match(value):
        raise UsageError(f"{what} {value[:MAX_VALUE_LENGTH]!r} is not an IP address or CIDR network: only digits, "
                         "'.', ':', hex letters and one '/' are allowed (no host names, ranges, options or spaces)")
    return value


def _target(value: str) -> IPNetwork:
    text = _plain(value, "target")
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise UsageError(f"target {value!r} is not an IP address or CIDR network ({exc}); "
                         "write e.g. 127.0.0.21 or 127.0.0.16/28") from None


def parse_ports(text: str, max_ports: int = DEFAULT_MAX_PORTS) -> tuple[int, ...]:
    """Ports like `22,80,8000-8010` (1-65535, no other characters) as sorted unique ints."""
    if not isinstance(text, str) or not _PORTS_RE.match(text):
        shown = text[:MAX_VALUE_LENGTH] if isinstance(text, str) else text
        raise UsageError(f"ports {shown!r} are not a port list: write numbers and ranges separated by commas, "
                         "like 22,80,8000-8010 (no spaces or other characters)")
    items = text.split(",")
    if len(items) > MAX_PORT_ITEMS:
        raise UsageError(f"the port list has {len(items)} items, more than {MAX_PORT_ITEMS}; use ranges")
    ports: set[int] = set()
    for item in items:
        low_text, _, high_text = item.partition("-")
        low, high = int(low_text), int(high_text or low_text)
        if not 1 <= low <= high <= 65535:
            raise UsageError(f"port item {item!r} is out of range: ports are 1-65535 and a range runs low-high")
        ports.update(range(low, high + 1))
        if len(ports) > max_ports:
            raise UsageError(f"the port list covers more than {max_ports:,} ports")
    return tuple(sorted(ports))


def format_ports(ports: Iterable[int]) -> str:
    """Sorted ports as nmap's compact list, e.g. (22, 80, 81, 82) -> "22,80-82"."""
    ordered = sorted(set(ports))
    parts: list[str] = []
    start = prev = None
    for port in ordered:
        if prev is not None and port == prev + 1:
            prev = port
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = port
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ",".join(parts)
