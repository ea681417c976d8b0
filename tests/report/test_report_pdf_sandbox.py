"""The print sandbox (issue 13 item 1): a template cannot read local files or reach the network through the PDF.

Each hostile page is printed by the real headless Chromium next to a listener on loopback and a secret
file: the listener must see no connection at all, and the PDF's text must hold neither the secret nor
anything the listener would have answered, nor anything a script would have written; the page's own text
must still be there (the report was printed, not an error page). The sandbox is layered; the tests also run
with its outer layer (the Content-Security-Policy) switched off, to prove the layers under it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdftext import local_listener, pdf_text
from report_data import AGENCY, fixture
from support import require_tool

from secassess.report import pdf as pdf_module
from secassess.report.pdf import PdfPrinter
from secassess.report.service import render_reports

pytestmark = pytest.mark.browser

VECTORS = {
    "iframe to a local file": '<iframe src="{secret}" width="600" height="200"></iframe>',
    "object and embed of a local file": '<object data="{secret}" type="text/plain"></object><embed src="{secret}">',
    "img to the listener": '<img src="{url}/img" alt="">',
    "img srcset, picture, video poster, audio": (
        '<img srcset="{url}/srcset 1x" alt=""><picture><source srcset="{url}/picture"><img alt=""></picture>'
        '<video poster="{url}/poster" src="{url}/video"></video><audio src="{url}/audio"></audio>'),
    "svg image and use": ('<svg width="10" height="10"><image href="{url}/svgimage" width="10" height="10"/>'
                          '<use href="{url}/sprite.svg#x"/></svg>'),
    "script fetch, XHR, beacon, WebSocket, navigation": (
        "<script>document.write('SCRIPT-RAN'); fetch('{url}/fetch'); var x = new XMLHttpRequest();"
        " x.open('GET', '{url}/xhr', false); x.send(); navigator.sendBeacon('{url}/beacon', 'b');"
        " new WebSocket('ws://127.0.0.1:{port}/ws'); new Image().src = '{url}/image';"
        " navigator.serviceWorker && navigator.serviceWorker.register('{url}/sw.js');"
        " location.href = '{url}/navigate';</script>"
        '<img src="x" onerror="document.write(\'HANDLER-RAN\'); fetch(\'{url}/onerror\')">'),
    "CSS @import and url()": (
        '<style>@import url("{url}/import.css"); body {{ background: url("{url}/background.png"); }}'
        ' p {{ cursor: url("{url}/cursor.cur"), auto; }} div {{ background-image: image-set("{url}/set.png" 1x); }}'
        ' @font-face {{ font-family: Leak; src: url("{url}/font.woff2"); }} h2 {{ font-family: Leak; }}</style>'
        '<link rel="stylesheet" href="{url}/link.css"><h2>font</h2><div>bg</div>'),
    "CSS url() to a local file": '<style>body {{ background: url("{secret}"); }}</style>',
    "meta refresh to the listener": '<meta http-equiv="refresh" content="0; url={url}/refresh">',
    "meta refresh to a local file": '<meta http-equiv="refresh" content="0; url={secret}">',
    "prefetch, preload, preconnect, dns-prefetch": (
        '<link rel="prefetch" href="{url}/prefetch"><link rel="preload" as="image" href="{url}/preload">'
        '<link rel="preconnect" href="{url}"><link rel="dns-prefetch" href="{url}">'
        '<link rel="modulepreload" href="{url}/module.js"><link rel="icon" href="{url}/favicon.ico">'),
    "iframes: to the listener, srcdoc, data:": (
        '<iframe src="{url}/frame"></iframe><iframe srcdoc="<img src=\'{url}/srcdoc\'>"></iframe>'
        '<iframe src="data:text/html,<img src=\'{url}/data-frame\'>"></iframe>'),
    "base href redirecting relative URLs": '<base href="{url}/"><img src="relative.png" alt="">',
    "redirect through the listener": '<img src="{url}/redirect?to=file:///etc/passwd" alt="">',
}


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A local file whose content must never appear in a PDF: (file:// URI, content)."""
    token = f"SECRET-{secrets.token_hex(8)}"
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(f"{token}\n", encoding="utf-8")
    return path.as_uri(), token


LAYERS = {
    "full sandbox": (True, True),
    "without the CSP": (False, True),
    "interception alone": (False, False),
}
"""Which outer layers stay on: (Content-Security-Policy, dead proxy and resolver). JavaScript stays off."""
NOT_LOCAL_ONLY = "LocalNetworkAccessChecks"
"""Chromium feature refusing requests from a web page to loopback and private addresses. The tests turn it off:
their listener on loopback stands in for any server, and must be kept out by the sandbox's own layers."""


def _test_flags(flags: tuple[str, ...], network: bool) -> tuple[str, ...]:
    kept = tuple(f for f in flags if network or not f.startswith(("--proxy-", "--host-resolver-rules")))
    return tuple(f"{f},{NOT_LOCAL_ONLY}" if f.startswith("--disable-features=") else f for f in kept)


@pytest.fixture(scope="module", params=list(LAYERS))
def printer(request: pytest.FixtureRequest) -> Iterator[tuple[PdfPrinter, str]]:
    """A printer started with the full sandbox, or without the dead proxy and resolver, and the layers' name."""
    opened = PdfPrinter(require_tool("chromium"), dt.date(2026, 11, 22), timeout=60)
    with pytest.MonkeyPatch.context() as patch:  # the switches are read at start only
        flags = pdf_module.sandbox_flags
        patch.setattr(pdf_module, "sandbox_flags", lambda port: _test_flags(flags(port), LAYERS[request.param][1]))
        opened.__enter__()
    try:
        yield opened, request.param
    finally:
        opened.close()


def _page(body: str) -> str:
    head = '<meta charset="utf-8"><title>t</title>'
    return f'<!doctype html><html lang="vi"><head>{head}</head><body>{body}</body></html>'


@pytest.mark.parametrize("vector", VECTORS)
def test_hostile_page_reaches_nothing(printer: tuple[PdfPrinter, str], secret: tuple[str, str], vector: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    opened, layers = printer
    csp, network = LAYERS[layers]
    if not csp:
        monkeypatch.setattr(pdf_module, "CONTENT_SECURITY_POLICY", "")
    uri, token = secret
    leak = f"LEAKED-{secrets.token_hex(6)}"
    with local_listener(leak.encode()) as listener:
        hostile = VECTORS[vector].format(url=listener.url, port=listener.port, secret=uri)
        marker = f"Báo cáo {secrets.token_hex(4)} của Sở Y tế"
        text = pdf_text(opened.print_html(_page(f"<p>{marker}</p>{hostile}"), "report.html"))
    if network:
        assert listener.connections == [], f"{vector}: the listener was reached: {listener.connections}"
    else:  # the network stack alone may still open a connection ahead of time (preconnect), sending nothing
        assert not any(listener.connections), f"{vector}: the listener got requests: {listener.connections}"
    assert token not in text, f"{vector}: the local file is in the PDF"
    assert leak not in text, f"{vector}: the listener's answer is in the PDF"
    assert "SCRIPT-RAN" not in text and "HANDLER-RAN" not in text, f"{vector}: a script ran"
    assert marker in text, f"{vector}: the report itself is missing from the PDF (navigated away?): {text!r}"


def test_user_template_through_report(tmp_path: Path, secret: tuple[str, str]) -> None:
    """`report --templates DIR` with every vector in one page: the same sandbox, end to end."""
    uri, token = secret
    leak = f"LEAKED-{secrets.token_hex(6)}"
    templates = tmp_path / "templates"
    templates.mkdir()
    with local_listener(leak.encode()) as listener:
        hostile = "".join(v.format(url=listener.url, port=listener.port, secret=uri) for v in VECTORS.values())
        (templates / "agency_report.html.j2").write_text(
            _page("<h1>{{ agency.name }}</h1>" + hostile.replace("{", "{{ '{' }}")), encoding="utf-8")
        (pdf,) = render_reports(fixture(), tmp_path / "out", formats=("pdf",), agencies=[AGENCY],
                                templates_dir=templates, pdf_engine=require_tool("chromium"))
        text = pdf_text(pdf)
    assert listener.connections == []
    assert token not in text and leak not in text and "SCRIPT-RAN" not in text
    assert "Sở Y tế" in text


def test_shipped_reports_need_nothing_outside_themselves(tmp_path: Path) -> None:
    """The shipped templates are self-contained (inline CSS and SVG): with the CSP off, so that every request
    reaches the interception layer, printing them asks for nothing but the favicon headless Chromium wants."""
    render_reports(fixture(), tmp_path, formats=("html",), lang="vi")
    pages = [tmp_path / f"{AGENCY}.html", tmp_path / "index.html"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "CONTENT_SECURITY_POLICY", "")
        with PdfPrinter(require_tool("chromium"), dt.date(2026, 11, 22), timeout=60) as printer:
            texts = [pdf_text(printer.print_html(page.read_bytes(), page.name)) for page in pages]
            blocked = [url for url in printer.blocked_urls if not url.endswith("/favicon.ico")]
    assert blocked == [], f"the shipped report asks for {blocked}: inline it"
    agency, summary = texts
    for expected in ("Báo cáo đánh giá an toàn thông tin", "Sở Y tế tỉnh Sông Lam", "XẾP HẠNG"):
        assert expected in agency, expected
    assert "Đánh giá an toàn thông tin: tổng hợp" in " ".join(summary.split())


def test_the_vectors_do_reach_an_unguarded_browser(tmp_path: Path) -> None:
    """Control: the same tags opened by a plain headless Chromium (from file://) reach the listener, so the tests
    above would see a leak."""
    from chromium_cli import run_chromium

    with local_listener(b"answer") as listener:
        page = tmp_path / "page.html"
        page.write_text(_page("".join(VECTORS[v].format(url=listener.url, port=listener.port, secret="x")
                                      for v in ("img to the listener", "CSS @import and url()"))),
                        encoding="utf-8")
        run_chromium(require_tool("chromium"), ["--dump-dom", page.as_uri()], timeout=60)
    requested = {c.split(b" ")[1].decode() for c in listener.connections if c.startswith(b"GET ")}
    assert {"/img", "/import.css", "/link.css"} <= requested, requested
