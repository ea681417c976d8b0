"""Services that should not be reachable from the assessed network: a data table, not code.

Edit `RISKY_SERVICES` to change the policy; `risky_service` only looks rows up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RiskyService:
    """Ports `low`..`high` of `protocol` carry `name`, exposed for the reason in `why`."""

    low: int
    high: int
    protocol: str
    name: str
    why: str


_CLEAR = "sends credentials and data in clear text"
_DB = "a database must be reached only by its application servers, never the whole network"
_ADMIN = "an administration interface invites brute force and exploits of the panel"

RISKY_SERVICES: tuple[RiskyService, ...] = tuple(RiskyService(*row) for row in (
    (21, 21, "tcp", "ftp", _CLEAR),
    (23, 23, "tcp", "telnet", _CLEAR),
    (69, 69, "udp", "tftp", "unauthenticated file transfer"),
    (111, 111, "tcp", "rpcbind", "maps RPC services for attackers"),
    (135, 135, "tcp", "msrpc", "Windows RPC endpoint mapper, a frequent worm vector"),
    (139, 139, "tcp", "netbios-ssn", "SMB over NetBIOS: file shares and lateral movement"),
    (161, 161, "udp", "snmp", "SNMP v1/v2c community strings are clear-text passwords"),
    (445, 445, "tcp", "microsoft-ds", "SMB: file shares, ransomware and worm vector"),
    (512, 514, "tcp", "r-services", "rexec/rlogin/rsh trust host addresses, " + _CLEAR),
    (1433, 1433, "tcp", "ms-sql", _DB),
    (1521, 1521, "tcp", "oracle", _DB),
    (2049, 2049, "tcp", "nfs", "network file system exports"),
    (2375, 2375, "tcp", "docker", "an unauthenticated Docker API is root on the host"),
    (3306, 3306, "tcp", "mysql", _DB),
    (3389, 3389, "tcp", "rdp", "remote desktop: brute force and pre-auth exploits"),
    (5432, 5432, "tcp", "postgresql", _DB),
    (5900, 5903, "tcp", "vnc", "remote desktop, often with weak or no passwords"),
    (5984, 5984, "tcp", "couchdb", _DB),
    (6379, 6379, "tcp", "redis", _DB + "; Redis has no authentication by default"),
    (8080, 8080, "tcp", "http-alt/admin", _ADMIN),
    (8443, 8443, "tcp", "https-alt/admin", _ADMIN),
    (9200, 9200, "tcp", "elasticsearch", _DB),
    (10000, 10000, "tcp", "webmin", _ADMIN),
    (11211, 11211, "tcp", "memcached", _DB),
    (27017, 27017, "tcp", "mongodb", _DB),
))


def risky_service(port: int, protocol: str) -> RiskyService | None:
    """The table row covering `port/protocol`, if any."""
    return next((r for r in RISKY_SERVICES if r.protocol == protocol and r.low <= port <= r.high), None)
