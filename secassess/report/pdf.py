"""PDF reports: HTML printed by one sandboxed headless Chromium per run, dated by the assessment, not the clock.

`PdfPrinter` is a context manager: it starts the browser once, prints any number of reports in a few
tabs at a time (`print_files`, `print_html`), and always stops the browser when the block ends
(an error, Ctrl-C, or SIGTERM: the browser quits by itself when this process's end of the pipe closes).

The sandbox applies to the shipped and the user's templates alike:
- JavaScript is off in every frame (`--blink-settings` and `Emulation.setScriptExecutionDisabled`);
- the report is served from memory at `ORIGIN`, a web origin that cannot resolve: no `file://` page, so
  Chromium refuses every local file, and the report's own directory is never opened by the browser;
- every request the page makes is intercepted (`Fetch`, at browser level, so frames and workers too):
  the report itself is answered from memory, other navigations get "204 No Content" (the page stays),
  everything else is refused; the answer carries a Content-Security-Policy allowing inline CSS, SVG and
  `data:` images and fonts only, with the `sandbox` directive;
- underneath, the network stack has nowhere to go: every connection (preconnect, WebSocket, prefetch)
  goes to a proxy on a loopback port this process holds bound but never listens on, and no host name
  resolves (`--host-resolver-rules`), so even DNS prefetch sends nothing.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import queue
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote

from secassess.errors import EnvironmentFailure
from secassess.report.cdp import DevTools, DevToolsFailure, Json
from secassess.report.chromium import DEFAULT_TIMEOUT, FLAGS, INSTALL_HINT, find_engine

ORIGIN = "https://report.secassess.invalid"
"""Where the printed page appears to come from (`.invalid` never resolves; nothing is fetched from it)."""
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                           "form-action 'none'; base-uri 'none'; sandbox")
PRINT_OPTIONS: Json = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
                       "transferMode": "ReturnAsStream"}
"""A4 and margins come from the report's own `@page` rule; the browser adds no header or footer."""
MAX_TABS = 4
KEPT_BLOCKED_URLS = 50
_READ_CHUNK = 1 << 20
_WAIT_SLICE = 0.25
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([+-]\d\d'\d\d'|Z)?\)")
_ORIGIN_LINK = re.compile(rb"/URI \(" + re.escape(ORIGIN.encode()) + rb"/([^()\\]*)\)")


def default_tabs(jobs: int) -> int:
    """Tabs printing at once: one more than the cores (a tab waiting on the pipe leaves its core to another;
    measured 7-10% faster than one a core on 2 cores), at most `MAX_TABS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_TABS, cores + 1, jobs))


def sandbox_flags(proxy_port: int) -> tuple[str, ...]:
    """Chromium switches of the print sandbox: no script, no network, no pop-up, no extension."""
    return (*FLAGS, "--blink-settings=scriptEnabled=false", f"--proxy-server=http://127.0.0.1:{proxy_port}",
            "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--block-new-web-contents", "--deny-permission-prompts", "--disable-breakpad",
            "--disable-client-side-phishing-detection", "--disable-default-apps", "--no-default-browser-check",
            "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
            "InterestFeedContentSuggestions,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
            "about:blank")


def stamp_dates(pdf: bytes, as_of: dt.date | None) -> bytes:
    """The PDF's creation and modification times set to midnight UTC of `as_of`, or removed without it.

    Each replacement has the original's length (a removed entry becomes spaces), so the cross-reference
    offsets stay right and two runs on the same input give the same bytes.
    """
    day = as_of.strftime("%Y%m%d").encode() if as_of is not None else b""

    def stamp(match: re.Match[bytes]) -> bytes:
        if as_of is None:
            return b" " * len(match.group(0))
        zone = match.group(2) or b""
        fixed_zone = b"+00'00'" if len(zone) == 7 else zone
        return b"/" + match.group(1) + b" (D:" + day + b"000000" + fixed_zone + b")"

    return _PDF_DATE.sub(stamp, pdf)


def relative_links(pdf: bytes, links: Mapping[str, str]) -> bytes:
    """Links to the report's own origin made relative, renamed by `links` (e.g. `index.html` -> `index.pdf`).

    Internal links would otherwise point at `ORIGIN`, which exists nowhere. Each rewritten link keeps its
    length (spaces pad it after the closing parenthesis, where PDF allows them); links to other sites stay.
    """
    def rewrite(match: re.Match[bytes]) -> bytes:
        path = unquote(match.group(1).decode("ascii", "replace"))
        target = quote(links.get(path, path), safe="/#").encode("ascii")
        replacement = b"/URI (" + target + b")"
        if len(replacement) > len(match.group(0)):
            return match.group(0)
        return replacement + b" " * (len(match.group(0)) - len(replacement))

    return _ORIGIN_LINK.sub(rewrite, pdf)


@dataclass
class _Tab:
    """One page target with its flat session; prints one report at a time."""

    target: str
    session: str
    events: queue.SimpleQueue[tuple[str, Json]] = field(default_factory=queue.SimpleQueue)
    url: str = ""
    """The report this tab is printing."""
    body: bytes | None = None
    """Served once, to the tab's own navigation to `url`; every later request gets nothing."""


class PdfPrinter:
    """One sandboxed headless Chromium printing HTML reports to PDF; open it once per run.

        with PdfPrinter(as_of=result.as_of) as printer:
            printer.print_files([(Path("a.html"), Path("a.pdf")), ...], advance=bar.advance)

    `engine`: the Chromium executable (name on PATH or path); `timeout`: seconds for each PDF, and for the
    browser to start unless `start_timeout` says otherwise; `tabs`: PDFs printed at once (default
    `default_tabs`). `as_of` dates the PDFs (without it they carry no date). Failures are
    `EnvironmentFailure` (exit 3).
    """

    def __init__(self, engine: str | None = None, as_of: dt.date | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, start_timeout: float | None = None, tabs: int | None = None) -> None:
        self._engine = find_engine(engine)
        self._as_of = as_of
        self._timeout = timeout
        self._start_timeout = timeout if start_timeout is None else start_timeout
        self._max_tabs = tabs
        self._devtools: DevTools | None = None
        self._proxy: socket.socket | None = None
        self._tabs: dict[str, _Tab] = {}
        self._sessions: dict[str, _Tab] = {}
        self._idle: queue.SimpleQueue[_Tab] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.blocked = 0
        """Requests refused so far (everything but the reports themselves)."""
        self.blocked_urls: list[str] = []
        """The first `KEPT_BLOCKED_URLS` of them."""

    def __enter__(self) -> PdfPrinter:
        self._proxy = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            self._proxy.bind(("127.0.0.1", 0))  # bound, never listening: every connection to it is refused
            self._devtools = DevTools.launch(self._engine, sandbox_flags(self._proxy.getsockname()[1]),
                                             on_event=self._on_event, timeout=self._start_timeout)
            self._devtools.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, timeout=self._start_timeout)
            self._devtools.call("Browser.setDownloadBehavior", {"behavior": "deny"}, timeout=self._start_timeout)
        except DevToolsFailure as exc:
            self.close()
            raise EnvironmentFailure(f"cannot start Chromium for PDF output: {exc.message} (is {self._engine} a "
                                     f"working Chromium? {INSTALL_HINT})") from None
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser (and every process it started); idempotent."""
        devtools, self._devtools = self._devtools, None
        if devtools is not None:
            devtools.close()
        if self._proxy is not None:
            self._proxy.close()
            self._proxy = None

    def print_files(self, jobs: Sequence[tuple[Path, Path]], advance: Callable[[], None] = lambda: None,
                    links: Mapping[str, str] | None = None) -> None:
        """Print each HTML file to its PDF path, a few at a time; the first failure stops the rest.

        `links` renames the reports' links to one another (see `relative_links`), e.g. `a.html` -> `a.pdf`.
        """
        if not jobs:
            return
        pool = ThreadPoolExecutor(max_workers=self._max_tabs or default_tabs(len(jobs)),
                                  thread_name_prefix="pdf")
        try:
            pending = {pool.submit(self.print_file, html, pdf, links) for html, pdf in jobs}
            while pending:
                done, pending = wait(pending, timeout=_WAIT_SLICE, return_when=FIRST_EXCEPTION)
                for future in done:
                    future.result()
                    advance()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def print_file(self, html: Path, pdf: Path, links: Mapping[str, str] | None = None) -> None:
        """Print one HTML file (read here, never opened by the browser) to `pdf`."""
        try:
            body = html.read_bytes()
        except OSError as exc:
            raise EnvironmentFailure(f"{html}: cannot read: {exc.strerror}") from None
        data = self.print_html(body, html.name, links)
        try:
            pdf.write_bytes(data)
        except OSError as exc:
            raise EnvironmentFailure(f"{pdf}: cannot write: {exc.strerror}") from None

    def print_html(self, html: bytes | str, name: str = "report.html", links: Mapping[str, str] | None = None) -> bytes:
        """The PDF of one HTML document (UTF-8), served at `ORIGIN/name`; thread-safe."""
        body = html.encode("utf-8") if isinstance(html, str) else html
        deadline = time.monotonic() + self._timeout
        tab = self._acquire_tab(deadline)
        try:
            pdf = self._print(tab, body, name, deadline)
        except BaseException:
            self._discard(tab)  # its state is unknown: never reuse it
            raise
        self._idle.put(tab)
        return relative_links(stamp_dates(pdf, self._as_of), links or {})

    def _print(self, tab: _Tab, body: bytes, name: str, deadline: float) -> bytes:
        devtools = self._connected()
        with self._lock:
            tab.url, tab.body = f"{ORIGIN}/{quote(name)}", body
        try:
            navigation = self._call("Page.navigate", {"url": tab.url}, tab, deadline, name)
            if navigation.get("errorText"):
                raise EnvironmentFailure(f"Chromium could not open {name}: {navigation['errorText']}")
            self._wait_for_load(tab, navigation.get("loaderId"), deadline, name)
            stream = self._call("Page.printToPDF", PRINT_OPTIONS, tab, deadline, name)["stream"]
            chunks: list[bytes] = []
            while True:
                piece = self._call("IO.read", {"handle": stream, "size": _READ_CHUNK}, tab, deadline, name)
                data = piece.get("data", "")
                chunks.append(base64.b64decode(data) if piece.get("base64Encoded") else data.encode("latin-1"))
                if piece.get("eof"):
                    break
            devtools.post("IO.close", {"handle": stream}, tab.session)
        finally:
            with self._lock:
                tab.url, tab.body = "", None
        return b"".join(chunks)

    def _call(self, method: str, params: Json, tab: _Tab, deadline: float, name: str) -> Json:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._too_slow(name)
        try:
            return self._connected().call(method, params, tab.session, timeout=remaining)
        except DevToolsFailure as exc:
            if time.monotonic() >= deadline:
                raise self._too_slow(name) from None
            raise EnvironmentFailure(f"printing {name} to PDF failed: {exc.message}") from None

    def _too_slow(self, name: str) -> EnvironmentFailure:
        return EnvironmentFailure(f"printing {name} to PDF did not finish within {self._timeout:g} s; "
                                  "the browser was stopped")

    def _wait_for_load(self, tab: _Tab, loader: str | None, deadline: float, name: str) -> None:
        """Until the main frame's `load` of this navigation; a crashed renderer or browser fails the PDF."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._too_slow(name)
            try:
                method, params = tab.events.get(timeout=min(remaining, _WAIT_SLICE))
            except queue.Empty:
                self._connected()
                continue
            if method == "Inspector.targetCrashed":
                raise EnvironmentFailure(f"Chromium's page crashed while printing {name}")
            if (method == "Page.lifecycleEvent" and params.get("name") == "load"
                    and params.get("frameId") == tab.target and params.get("loaderId") in (loader, None)):
                return

    def _connected(self) -> DevTools:
        devtools = self._devtools
        if devtools is None:
            raise EnvironmentFailure("the PDF printer is not open (use it in a `with` block)")
        if not devtools.alive:
            raise EnvironmentFailure(f"Chromium stopped while printing PDF: {devtools.stderr_tail() or 'no message'}")
        return devtools

    def _acquire_tab(self, deadline: float) -> _Tab:
        with contextlib.suppress(queue.Empty):
            return self._idle.get_nowait()
        devtools = self._connected()
        remaining = max(0.0, deadline - time.monotonic())
        try:
            target = devtools.call("Target.createTarget", {"url": "about:blank"}, timeout=remaining)["targetId"]
            session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                    timeout=remaining)["sessionId"]
            tab = _Tab(target, session)
            with self._lock:
                self._tabs[target] = tab
                self._sessions[session] = tab
            for method, params in (("Emulation.setScriptExecutionDisabled", {"value": True}),
                                   ("Page.enable", {}), ("Page.setLifecycleEventsEnabled", {"enabled": True}),
                                   ("Inspector.enable", {})):
                devtools.call(method, params, session, timeout=remaining)
        except DevToolsFailure as exc:
            raise EnvironmentFailure(f"Chromium could not open a tab for PDF output: {exc.message}") from None
        return tab

    def _discard(self, tab: _Tab) -> None:
        with self._lock:
            self._tabs.pop(tab.target, None)
            self._sessions.pop(tab.session, None)
        devtools = self._devtools
        if devtools is not None and devtools.alive:
            devtools.post("Target.closeTarget", {"targetId": tab.target})

    def _on_event(self, method: str, params: Json, session: str | None) -> None:
        """On the reader thread: answer intercepted requests, queue page events for their tab."""
        if method == "Fetch.requestPaused":
            self._intercept(params)
            return
        with self._lock:
            tab = self._sessions.get(session or "")
        if tab is not None:
            tab.events.put((method, params))

    def _intercept(self, params: Json) -> None:
        devtools = self._devtools
        if devtools is None:
            return
        request: dict[str, Any] = params.get("request", {})
        with self._lock:
            tab = self._tabs.get(params.get("frameId", ""))
            body = tab.body if tab is not None and request.get("url") == tab.url else None
            serve = body is not None and params.get("resourceType") == "Document"
            if serve and tab is not None:
                tab.body = None
            else:
                self.blocked += 1
                if len(self.blocked_urls) < KEPT_BLOCKED_URLS:
                    self.blocked_urls.append(str(request.get("url", ""))[:200])
        request_id = params.get("requestId")
        if serve:
            headers = [{"name": "Content-Type", "value": "text/html; charset=utf-8"},
                       {"name": "Cache-Control", "value": "no-store"}]
            if CONTENT_SECURITY_POLICY:  # always, but the tests switch it off to prove the layers under it
                headers.append({"name": "Content-Security-Policy", "value": CONTENT_SECURITY_POLICY})
            devtools.post("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": 200,
                                                   "responseHeaders": headers,
                                                   "body": base64.b64encode(body or b"").decode("ascii")})
        elif params.get("resourceType") == "Document":  # a navigation: "No Content" keeps the report in place
            devtools.post("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": 204,
                                                   "responseHeaders": [], "body": ""})
        else:
            devtools.post("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"})
