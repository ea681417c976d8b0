"""What a PDF says, as text (poppler's pdftotext, installed by scripts/test.sh), and a local HTTP listener."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from support import require_tool


def pdf_text(pdf: Path | bytes) -> str:
    """The text of every page, in reading order (UTF-8)."""
    tool = require_tool("pdftotext")
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    assert data.startswith(b"%PDF-"), "not a PDF"
    return subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")


@dataclass
class Listener:
    """A TCP listener on loopback that records every connection, even one that sends nothing."""

    url: str
    port: int
    connections: list[bytes] = field(default_factory=list)
    """What each connection sent (first bytes); a preconnect shows as b''."""


@contextmanager
def local_listener(answer: bytes) -> Iterator[Listener]:
    """A listener on 127.0.0.1 answering every request with an HTTP 200 carrying `answer`."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    port = server.getsockname()[1]
    listener = Listener(f"http://127.0.0.1:{port}", port)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    listener.connections.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                                 + str(len(answer)).encode() + b"\r\nConnection: close\r\n\r\n" + answer)
                except OSError:
                    listener.connections.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        time.sleep(0.5)  # late connections (preconnect, prefetch) still count
        stop.set()
        thread.join()
        server.close()
