"""A loopback demo lab: TCP listeners on 127.0.0.x addresses, to scan without touching any network.

`Lab` opens the listeners and answers connections from a background thread (each connection gets the
listener's banner, if any, and is closed, so the accept queue never fills). Run
`python -m secassess.scan.lab` for the built-in demo, or pass `--listen ADDRESS:PORT` several times;
Ctrl-C stops it. Only 127.0.0.0/8 addresses are accepted.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import selectors
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

from secassess.errors import EnvironmentFailure, UsageError
from secassess.scan.drift import DeclaredHost, DeclaredService

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


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
    """Context manager owning the listeners and the thread answering them."""

    def __init__(self, listeners: Sequence[Listener]) -> None:
        for item in listeners:
            if ipaddress.ip_address(item.address) not in LOOPBACK or not 1 <= item.port <= 65535:
                raise UsageError(f"lab listener {item.address}:{item.port} is not a loopback (127.0.0.0/8) "
                                 "address with a port 1-65535")
        self.listeners = tuple(listeners)
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="secassess-lab", daemon=True)
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> Lab:
        try:
            for item in self.listeners:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                self._sockets.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((item.address, item.port))
                sock.listen(128)
                sock.setblocking(False)
                self._selector.register(sock, selectors.EVENT_READ, item.banner)
        except OSError as exc:
            self._close()
            raise EnvironmentFailure(f"cannot listen on {item.address}:{item.port}: {exc.strerror}") from None
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


def _listener(text: str) -> Listener:
    address, _, port = text.rpartition(":")
    try:
        return Listener(str(ipaddress.ip_address(address)), int(port))
    except ValueError:
        raise UsageError(f"--listen {text!r}: write ADDRESS:PORT, e.g. 127.0.0.21:2222") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the lab until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m secassess.scan.lab", description=__doc__.splitlines()[0])
    parser.add_argument("--listen", action="append", metavar="ADDRESS:PORT",
                        help="open this listener (repeatable); default: the built-in demo lab")
    args = parser.parse_args(argv)
    try:
        listeners = tuple(_listener(t) for t in args.listen) if args.listen else DEMO_LAB
        with Lab(listeners) as lab:
            for item in lab.listeners:
                print(f"listening on {item.address}:{item.port}", file=sys.stderr)
            print("lab running; scan e.g. 127.0.0.16/28 -- Ctrl-C to stop", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    except (UsageError, EnvironmentFailure) as exc:
        print(f"secassess: {exc.message}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
