"""A loopback demo lab: TCP listeners on 127.0.0.x addresses, to scan without touching any network.

`Lab` opens the listeners and answers connections from a background thread (each connection gets the
listener's banner, if any, and is closed, so the accept queue never fills). Run
`python -m secassess.scan.lab` for the built-in demo, `--inventory FILE` for listeners derived from an
inventory's lab servers with deliberate drift (`plan_from_inventory`), or pass `--listen ADDRESS:PORT`
several times; Ctrl-C (or `--seconds N`) stops it. Only 127.0.0.0/8 addresses are accepted.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import os
import selectors
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import FrameType, TracebackType

from secassess.errors import EnvironmentFailure, SecassessError, UsageError
from secassess.inventory.load import LoadedInventory, load_inventory
from secassess.inventory.model import AssetStatus, Protocol
from secassess.scan.drift import DeclaredHost, DeclaredService
from secassess.scan.facts import declared_hosts
from secassess.scan.risky import risky_service

LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


@dataclass(frozen=True, slots=True)
class Listener:
    """One listening TCP port; `banner` is sent to every client (lets `-sV` name the service)."""

    address: str
    port: int
    banner: bytes = b""


DEMO_DECLARED: tuple[DeclaredHost, ...] = (
    DeclaredHost("web-01", ("127.0.0.21",), (DeclaredService(2222, "tcp", "ssh"),
                                            DeclaredService(8443, "tcp", "https"))),
    DeclaredHost("db-01", ("127.0.0.22",), (DeclaredService(5432, "tcp", "postgresql"),)),
    DeclaredHost("old-ftp", ("127.0.0.24",), (DeclaredService(2121, "tcp", "ftp"),), status="decommissioned"),
)
"""The inventory the demo lab pretends to have."""

DEMO_LAB: tuple[Listener, ...] = (
    Listener("127.0.0.21", 2222, b"SSH-2.0-OpenSSH_9.2p1 secassess-lab\r\n"),  # declared
    Listener("127.0.0.21", 8080),  # undeclared, risky (admin panel); 8443 declared but silent
    Listener("127.0.0.22", 3306, b"5.7.0-secassess-lab\r\n"),  # undeclared database; 5432 silent
    Listener("127.0.0.23", 6379),  # a host the inventory does not know, with Redis exposed
    Listener("127.0.0.24", 2121, b"220 secassess-lab FTP\r\n"),  # decommissioned, still answering
)
"""Listeners drifting from `DEMO_DECLARED` in every way drift can detect."""


class Lab:
    """Context manager owning the listeners and the thread answering them.

    With `skip_denied`, a listener the system refuses with EACCES (ports below 1024 without root) is
    left out and recorded in `skipped` instead of failing the whole lab; any other failure to listen
    is an `EnvironmentFailure`.
    """

    def __init__(self, listeners: Sequence[Listener], skip_denied: bool = False) -> None:
        for item in listeners:
            if ipaddress.ip_address(item.address) not in LOOPBACK or not 1 <= item.port <= 65535:
                raise UsageError(f"lab listener {item.address}:{item.port} is not a loopback (127.0.0.0/8) "
                                 "address with a port 1-65535")
        self.listeners = tuple(listeners)
        self.skip_denied = skip_denied
        self.skipped: tuple[Listener, ...] = ()
        """Listeners refused with EACCES and left out (only with `skip_denied`)."""
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="secassess-lab", daemon=True)
        self._sockets: list[socket.socket] = []

    @property
    def opened(self) -> tuple[Listener, ...]:
        """The listeners actually listening."""
        return tuple(item for item in self.listeners if item not in self.skipped)

    def __enter__(self) -> Lab:
        skipped: list[Listener] = []
        try:
            for item in self.listeners:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                self._sockets.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind((item.address, item.port))
                except PermissionError as exc:
                    if not (self.skip_denied and exc.errno == errno.EACCES):
                        raise
                    self._sockets.remove(sock)
                    sock.close()
                    skipped.append(item)
                    continue
                sock.listen(128)
                sock.setblocking(False)
                self._selector.register(sock, selectors.EVENT_READ, item.banner)
        except OSError as exc:
            self._close()
            raise EnvironmentFailure(f"cannot listen on {item.address}:{item.port}: {exc.strerror}") from None
        self.skipped = tuple(skipped)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._close()

    def _close(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
        self._sockets.clear()
        self._selector.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.1):
                with contextlib.suppress(OSError):
                    conn, _ = key.fileobj.accept()  # type: ignore[union-attr]
                    with conn:
                        if key.data:
                            conn.settimeout(0.5)
                            conn.sendall(key.data)


class Role(StrEnum):
    """Why a planned listener is there, and so what the scan should make of it."""

    DECLARED = "declared"
    UNDECLARED = "undeclared"
    UNMANAGED = "unmanaged"
    DECOMMISSIONED = "decommissioned"


@dataclass(frozen=True, slots=True)
class Planned:
    """One listener of an inventory-derived lab: the host it stands for ("" if none) and its role."""

    listener: Listener
    hostname: str
    service: str
    role: Role


@dataclass(frozen=True, slots=True)
class LabPlan:
    """Listeners derived from an inventory, the drift they carry (`expected`) and what was left out."""

    planned: tuple[Planned, ...]
    expected: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def listeners(self) -> tuple[Listener, ...]:
        return tuple(p.listener for p in self.planned)


EXTRA_PORTS = ((3306, "mysql"), (6379, "redis"), (5900, "vnc"), (8080, "http-alt"))
"""The undeclared port opened on a lab host: the first its server does not declare (all are risky)."""

UNMANAGED_PORTS = ((23, "telnet"), (5900, "vnc"))
"""The unmanaged host's ports: telnet as the issue describes it, VNC so it still answers without root."""

UNMANAGED_OFFSET = 98
"""The unmanaged host is the first free address from this host index on (127.0.10.99 in a /24)."""

BANNERS: dict[str, bytes] = {
    "ssh": b"SSH-2.0-OpenSSH_8.0 secassess-lab\r\n",
    "ftp": b"220 secassess-lab FTP\r\n",
    "smtp": b"220 secassess-lab ESMTP\r\n",
    "telnet": b"\xff\xfd\x18\xff\xfd\x20secassess-lab login: ",
    "mysql": b"5.7.0-secassess-lab\r\n",
    "vnc": b"RFB 003.008\n",
}
"""Greetings of the services that speak first, so `--mode version` can name them."""


def plan_from_inventory(loaded: LoadedInventory) -> LabPlan:
    """Listeners for the inventory's lab servers with one example of each kind of drift.

    Lab servers are those with `lab: true` and an address inside both `lab_scope` and 127.0.0.0/8;
    only their TCP services are opened. The deliberate drift, in inventory order:
    - closed: the first active lab server declaring two or more TCP services leaves its last one
      closed (declared service not answering);
    - extra: the active lab server after that one (after the first if none closes; wrapping; the
      same one if alone) opens the first of `EXTRA_PORTS` it does not declare (undeclared open port,
      and a risky one);
    - unmanaged: the first address of the lab scope from host index `UNMANAGED_OFFSET` on that no
      inventory host uses answers on `UNMANAGED_PORTS` (unmanaged host; telnet is risky);
    - decommissioned: every decommissioned lab server answers on its declared TCP services (port 22
      when it declares none): decommissioned host answers.
    Lab servers with status `down` stay silent (drift does not check them). Declared services that
    are risky anyway (`risky.RISKY_SERVICES`) answer and show as risky services exposed.
    """
    inventory = loaded.inventory
    scope = [net for net in inventory.lab_scope.cidrs
             if isinstance(net, ipaddress.IPv4Network) and net.subnet_of(LOOPBACK)]
    notes: list[str] = []
    hosts: list[tuple[str, str, AssetStatus, list[tuple[int, str]]]] = []
    for agency in inventory.agencies:
        for server in agency.servers:
            if not server.lab:
                continue
            inside = [str(a) for a in server.addresses if any(a in net for net in scope)]
            if not inside:
                notes.append(f"{server.hostname}: no address inside the loopback part of lab_scope; left out")
                continue
            tcp = [(s.port, s.name) for s in server.services if s.protocol is Protocol.TCP]
            hosts.append((server.hostname, inside[0], server.status or AssetStatus.ACTIVE, tcp))
    planned: list[Planned] = []
    expected: list[str] = []
    active = [h for h in hosts if h[2] is AssetStatus.ACTIVE]
    closer = next((i for i, h in enumerate(active) if len(h[3]) >= 2), None)
    for i, (name, address, _, tcp) in enumerate(active):
        for port, service in tcp:
            if i == closer and (port, service) == tcp[-1]:
                expected.append(f"declared_service_not_answering  {address}:{port}/tcp ({name}, {service} "
                                "left closed)  -> SA-SCAN-SVC-001")
                continue
            planned.append(Planned(Listener(address, port, _banner(service)), name, service, Role.DECLARED))
    extra = None
    if active:
        name, address, _, tcp = active[((closer or 0) + 1) % len(active)]
        extra = next(((p, s) for p, s in EXTRA_PORTS if p not in {q for q, _ in tcp}), None)
    if extra is None:
        notes.append("no active lab server with a free port of EXTRA_PORTS: no undeclared open port")
    else:
        port, service = extra
        planned.append(Planned(Listener(address, port, _banner(service)), name, service, Role.UNDECLARED))
        expected.append(f"undeclared_open_port + risky_service_exposed  {address}:{port}/tcp ({name}, {service})"
                        "  -> SA-SCAN-PORT-001, SA-SCAN-RISKY-001")
    used = {a for host in declared_hosts(loaded) for a in host.addresses}
    stranger = _free_address(scope, used)
    if stranger is None:
        notes.append("no free address in the loopback lab scope: no unmanaged host")
    else:
        for port, service in UNMANAGED_PORTS:
            planned.append(Planned(Listener(stranger, port, _banner(service)), "", service, Role.UNMANAGED))
        ports = ", ".join(f"{p}/tcp {s}" for p, s in UNMANAGED_PORTS)
        expected.append(f"unmanaged_host  {stranger} ({ports}; not in the inventory)  -> SA-SCAN-UNMANAGED-001")
    for name, address, status, tcp in hosts:
        if status is AssetStatus.DECOMMISSIONED:
            for port, service in tcp or [(22, "ssh")]:
                planned.append(Planned(Listener(address, port, _banner(service)), name, service,
                                       Role.DECOMMISSIONED))
            expected.append(f"decommissioned_host_answers  {address} ({name})  -> SA-SCAN-DECOM-001")
    risky = [f"{p.listener.port}/tcp on {p.hostname}" for p in planned
             if p.role is Role.DECLARED and risky_service(p.listener.port, "tcp") is not None]
    if risky:
        expected.append("risky_service_exposed for declared but risky services: " + ", ".join(risky)
                        + "  -> SA-SCAN-RISKY-001")
    unique = {(p.listener.address, p.listener.port): p for p in reversed(planned)}  # first one wins
    return LabPlan(tuple(p for p in planned if unique[p.listener.address, p.listener.port] is p),
                   tuple(expected), tuple(notes))


def _banner(service: str) -> bytes:
    return BANNERS.get(service, b"")


def _free_address(scope: Sequence[ipaddress.IPv4Network], used: set[str]) -> str | None:
    for net in scope:
        candidates = list(net.hosts()) if net.num_addresses <= 65536 else []
        start = UNMANAGED_OFFSET if len(candidates) > UNMANAGED_OFFSET else len(candidates) // 2
        for address in (*candidates[start:], *candidates[:start]):
            if str(address) not in used:
                return str(address)
    return None


def consequence(item: Planned) -> str:
    """What leaving `item` out (EACCES) does to the drift the scan will show."""
    if item.role is Role.DECLARED:
        return f"the scan will report {item.hostname}'s {item.service} as declared_service_not_answering"
    if item.role is Role.UNDECLARED:
        return "the undeclared-port drift will not show"
    if item.role is Role.UNMANAGED:
        return f"the unmanaged host {item.listener.address} answers on its other ports only (if any)"
    return f"decommissioned {item.hostname} answers on its other ports only (if any)"


def _listener(text: str) -> Listener:
    address, _, port = text.rpartition(":")
    try:
        return Listener(str(ipaddress.ip_address(address)), int(port))
    except ValueError:
        raise UsageError(f"--listen {text!r}: write ADDRESS:PORT, e.g. 127.0.0.21:2222") from None


def _write_ready(path: str, lab: Lab) -> None:
    """Write `path` atomically: one "address:port" line per open listener."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{item.address}:{item.port}\n" for item in lab.opened), encoding="utf-8")
    tmp.replace(target)


@contextlib.contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """Let SIGTERM (what `kill` sends) and SIGINT (Ctrl-C) stop the lab cleanly; main thread only.

    SIGINT gets an explicit handler too: a shell starts background jobs with SIGINT ignored, and
    Python then installs no KeyboardInterrupt handler of its own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the lab until Ctrl-C, SIGTERM or `--seconds`."""
    parser = argparse.ArgumentParser(prog="python -m secassess.scan.lab", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--listen", action="append", metavar="ADDRESS:PORT",
                        help="open this listener (repeatable); default: the built-in demo lab")
    source.add_argument("--inventory", metavar="FILE",
                        help="open the listeners of FILE's lab servers, with deliberate drift (see the "
                             "expected drift it prints); ports below 1024 need root and are skipped without")
    parser.add_argument("--seconds", type=float, metavar="N", help="stop after N seconds (default: Ctrl-C)")
    parser.add_argument("--ready-file", metavar="PATH",
                        help="write PATH (open listeners, one per line) once all listeners are up; "
                             "removed on exit")
    args = parser.parse_args(argv)
    plan: LabPlan | None = None
    try:
        if args.seconds is not None and args.seconds <= 0:
            raise UsageError("--seconds must be positive")
        if args.inventory:
            plan = plan_from_inventory(load_inventory(args.inventory))
            listeners = plan.listeners
        else:
            listeners = tuple(_listener(t) for t in args.listen) if args.listen else DEMO_LAB
        stop = threading.Event()
        with _stop_on_sigterm(stop), Lab(listeners, skip_denied=plan is not None) as lab:
            _describe(lab, plan)
            if args.ready_file:
                _write_ready(args.ready_file, lab)
            try:
                with contextlib.suppress(KeyboardInterrupt):
                    stop.wait(args.seconds)
            finally:
                if args.ready_file:
                    Path(args.ready_file).unlink(missing_ok=True)
    except SecassessError as exc:
        print(f"secassess: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"secassess: {exc}", file=sys.stderr)
        return EnvironmentFailure.exit_code
    return 0


def _describe(lab: Lab, plan: LabPlan | None) -> None:
    out = sys.stderr
    by_listener = {p.listener: p for p in plan.planned} if plan else {}
    for item in lab.opened:
        about = by_listener.get(item)
        what = ""
        if about is not None:
            who = about.hostname or "not in the inventory"
            what = f"  ({who}: {about.service}, {about.role.value})"
        print(f"listening on {item.address}:{item.port}{what}", file=out)
    for item in lab.skipped:
        about = by_listener[item]
        print(f"cannot listen on {item.address}:{item.port}: permission denied (ports below 1024 need root); "
              f"skipped, so {consequence(about)}", file=out)
    if plan is None:
        print("lab running; scan e.g. 127.0.0.16/28 -- Ctrl-C to stop", file=out)
        return
    for note in plan.notes:
        print(f"note: {note}", file=out)
    print("expected drift (secassess scan, then assess --scan):", file=out)
    for line in plan.expected:
        print(f"  {line}", file=out)
    if lab.skipped:
        print(f"  plus what the {len(lab.skipped)} skipped listener(s) above change; run as root for the "
              "full demo", file=out)
    print("lab running -- Ctrl-C to stop", file=out)


if __name__ == "__main__":
    sys.exit(main())
