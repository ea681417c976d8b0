"""Safe nmap XML parsing: the only module that imports defusedxml.

Expat (through defusedxml, which refuses entity declarations and external references, so no XXE and no
"billion laughs") calls back into a small target that turns each `<host>` into a `HostResult` as soon as
it closes. A file cut short (an interrupted scan) therefore still yields every host completed before
the cut, with a warning; a file that is wrong elsewhere is refused with `file:line:column`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import defusedxml
from defusedxml.ElementTree import ParseError, XMLParser

from secassess.errors import InputError, SourcePos
from secassess.scan.model import (
    SCAN_EXIT,
    SCAN_NO_RESULT,
    SCAN_XML_TRUNCATED,
    HostResult,
    HostStatus,
    PortResult,
    ScanInfo,
    ScanResult,
)

MAX_XML_BYTES = 512 * 1024 * 1024
_TRUNCATION_CODES = frozenset((3, 5, 6))  # expat: no element found, unclosed token, partial character


@dataclass(slots=True)
class _Node:
    tag: str
    attrib: dict[str, str]
    pos: SourcePos
    children: list[_Node] = field(default_factory=list)

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]


class _Target:
    """Expat callbacks: keeps run attributes and converts hosts one by one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.expat: Any = None
        self.depth = 0
        self.run: dict[str, str] | None = None
        self.root_tag: str | None = None
        self.stack: list[_Node] = []
        self.hosts: list[HostResult] = []
        self.hints: dict[str, _Node] = {}
        self.scaninfo: list[ScanInfo] = []
        self.finished: dict[str, str] | None = None

    def pos(self) -> SourcePos:
        return SourcePos(self.name, self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.root_tag = tag
            if tag != "nmaprun":
                raise InputError([(self.pos(), f"root element is <{tag}>, not <nmaprun>: this is not an nmap XML "
                                               "file; give the file nmap wrote with -oX")])
            self.run = dict(attrib)
        elif self.stack or (self.depth == 2 and tag in ("host", "hosthint")):
            node = _Node(tag, dict(attrib), self.pos())
            if self.stack:
                self.stack[-1].children.append(node)
            self.stack.append(node)
        elif self.depth == 2 and tag == "scaninfo":
            self.scaninfo.append(ScanInfo(attrib.get("type", ""), attrib.get("protocol", ""),
                                          attrib.get("services", "")))
        elif self.depth == 3 and tag == "finished":
            self.finished = dict(attrib)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if not self.stack:
            return
        node = self.stack.pop()
        if self.stack:
            return
        if node.tag == "host":
            self.hosts.append(_host(node))
        else:
            hint = _host(node)
            self.hints.setdefault(hint.address, node)

    # No `data` method on purpose: without it expat does not call back for text, which nmap's results
    # never need (everything is in attributes), and parsing is faster.


def parse_xml(data: bytes, name: str) -> ScanResult:
    """Parse nmap XML bytes; recover the complete hosts of a truncated file (with a warning)."""
    if len(data) > MAX_XML_BYTES:
        raise InputError([(SourcePos(name, 1, 1), f"file is over the {MAX_XML_BYTES:,}-byte limit")])
    target = _Target(name)
    parser = XMLParser(target=target)
    target.expat = parser.parser
    warnings: list[str] = []
    complete = True
    try:
        parser.feed(data)
        parser.close()
    except ParseError as exc:
        line, column = exc.position
        where = SourcePos(name, line, column + 1)
        if target.run is None or exc.code not in _TRUNCATION_CODES:
            what = "the file is empty" if target.root_tag is None and exc.code == 3 else f"not well-formed XML: {exc}"
            raise InputError([(where, f"{what}; give the XML file nmap wrote with -oX")]) from None
        complete = False
        warnings.append(SCAN_XML_TRUNCATED.format(where=where, count=len(target.hosts)))
    except defusedxml.DefusedXmlException as exc:
        raise InputError([(target.pos(), f"refused: {exc}; nmap never writes entity declarations or external "
                                         "references, so this file is not nmap output (or is an XXE probe)")]) from None
    return _result(target, warnings, complete)


def _result(target: _Target, warnings: list[str], complete: bool) -> ScanResult:
    run = target.run or {}
    hosts = list(target.hosts)
    seen = {h.address for h in hosts}
    unfinished = [a for a in target.hints if a not in seen]
    for address in unfinished:
        hint = _host(target.hints[address])
        hosts.append(HostResult(address, "timedout", "no-result", hint.addresses, hint.hostnames))
    if unfinished:
        warnings.append(SCAN_NO_RESULT.format(target=target.name, count=len(unfinished), hosts=", ".join(unfinished)))
    finished = target.finished or {}
    if target.finished is not None and finished.get("exit", "success") != "success":
        warnings.append(SCAN_EXIT.format(target=target.name, exit=finished.get("exit"),
                                         message=finished.get("errormsg", "no message")))
    return ScanResult(
        scanner=run.get("scanner", ""),
        nmap_version=run.get("version", ""),
        args=run.get("args", ""),
        started=_int(run.get("start")),
        finished=_int(finished.get("time")),
        hosts=tuple(hosts),
        scaninfo=tuple(target.scaninfo),
        warnings=tuple(warnings),
        complete=complete,
    )


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _host(node: _Node) -> HostResult:
    addresses = tuple(a.attrib.get("addr", "") for a in node.findall("address"))
    ips = [a.attrib.get("addr", "") for a in node.findall("address") if a.attrib.get("addrtype") in ("ipv4", "ipv6")]
    if not addresses or not addresses[0]:
        raise InputError([(node.pos, f"<{node.tag}> has no <address addr=...>; the file is damaged")])
    status_node = node.find("status")
    state = status_node.attrib.get("state", "") if status_node is not None else ""
    status: HostStatus = "timedout" if node.attrib.get("timedout") == "true" else "up" if state == "up" else "down"
    names = node.find("hostnames")
    found = names.findall("hostname") if names is not None else []
    hostnames = tuple(dict.fromkeys(h.attrib.get("name", "") for h in found))
    ports_node = node.find("ports")
    ports = tuple(_port(p) for p in ports_node.findall("port")) if ports_node is not None else ()
    return HostResult(
        address=ips[0] if ips else addresses[0],
        status=status,
        reason=status_node.attrib.get("reason", "") if status_node is not None else "",
        addresses=addresses,
        hostnames=tuple(h for h in hostnames if h),
        ports=ports,
    )


def _port(node: _Node) -> PortResult:
    portid = node.attrib.get("portid", "")
    if not portid.isdigit() or not 0 <= int(portid) <= 65535:
        raise InputError([(node.pos, f"<port portid={portid!r}> is not a port number 0-65535; the file is damaged")])
    state = node.find("state")
    service = node.find("service")
    srv = service.attrib if service is not None else {}
    return PortResult(
        port=int(portid),
        protocol=node.attrib.get("protocol", "tcp"),
        state=state.attrib.get("state", "unknown") if state is not None else "unknown",
        reason=state.attrib.get("reason", "") if state is not None else "",
        service=srv.get("name", ""),
        product=srv.get("product", ""),
        version=srv.get("version", ""),
        extrainfo=srv.get("extrainfo", ""),
    )
