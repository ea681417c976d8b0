"""The JSON form of a `ScanResult` (`scan.json`): deterministic output, strict re-import."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from secassess import strictjson
from secassess.errors import InputError, SourcePos
from secassess.scan.model import HOST_STATUSES, HostResult, PortResult, ScanInfo, ScanResult

FORMAT = "secassess-scan"
FORMAT_VERSION = 1
MAX_TIME = 253402300799
"""The last second of year 9999: scan times (Unix seconds) past it cannot be shown as dates."""


def to_json(result: ScanResult) -> str:
    """`result` as JSON text; hosts sorted by address and ports by (protocol, port), keys sorted."""
    hosts = sorted(result.hosts, key=lambda h: (_address_key(h.address), h.address))
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scanner": result.scanner,
        "nmap_version": result.nmap_version,
        "args": result.args,
        "started": result.started,
        "finished": result.finished,
        "scaninfo": [{"type": i.type, "protocol": i.protocol, "services": i.services} for i in result.scaninfo],
        "warnings": list(result.warnings),
        "hosts": [_host_doc(h) for h in hosts],
    }
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _address_key(address: str) -> tuple[int, ...]:
    parts = address.split(".")
    return tuple(int(p) for p in parts) if len(parts) == 4 and all(p.isdigit() for p in parts) else (1 << 16,)


def _host_doc(host: HostResult) -> dict[str, Any]:
    ports = sorted(host.ports, key=lambda p: (p.protocol, p.port))
    return {
        "address": host.address,
        "status": host.status,
        "reason": host.reason,
        "addresses": list(host.addresses),
        "hostnames": list(host.hostnames),
        "ports": [{"port": p.port, "protocol": p.protocol, "state": p.state, "reason": p.reason,
                   "service": p.service, "product": p.product, "version": p.version, "extrainfo": p.extrainfo}
                  for p in ports],
    }


def from_json(text: str, name: str) -> ScanResult:
    """Re-import what `to_json` wrote; any deviation is an `InputError` naming the JSON path."""
    doc = strictjson.loads(text, name)
    reader = _Reader(name)
    root = reader.mapping(doc, "$")
    if root.get("format") != FORMAT:
        raise InputError([(SourcePos(name, 1, 1), f"not a secassess scan file: \"format\" must be {FORMAT!r}")])
    if root.get("format_version") != FORMAT_VERSION:
        raise InputError([(SourcePos(name, 1, 1), f"\"format_version\" {root.get('format_version')!r} is not "
                                                  f"supported (expected {FORMAT_VERSION}); rescan or upgrade")])
    hosts = []
    for i, raw in enumerate(reader.items(root, "hosts", "$")):
        path = f"$.hosts[{i}]"
        h = reader.mapping(raw, path)
        status = next((s for s in HOST_STATUSES if s == h.get("status")), None)
        if status is None:
            reader.fail(f"{path}.status", f"{h.get('status')!r} is not one of {', '.join(HOST_STATUSES)}")
        ports = []
        for j, praw in enumerate(reader.items(h, "ports", path)):
            ppath = f"{path}.ports[{j}]"
            p = reader.mapping(praw, ppath)
            number = reader.integer(p, "port", ppath)
            if not 0 <= number <= 65535:
                reader.fail(f"{ppath}.port", f"{number} is not a port number 0-65535")
            ports.append(PortResult(number, *(reader.text(p, k, ppath) for k in (
                "protocol", "state", "reason", "service", "product", "version", "extrainfo"))))
        hosts.append(HostResult(
            reader.text(h, "address", path), status, reader.text(h, "reason", path),
            tuple(reader.text_list(h, "addresses", path)), tuple(reader.text_list(h, "hostnames", path)),
            tuple(ports)))
    infos = []
    for i, raw in enumerate(reader.items(root, "scaninfo", "$")):
        info = reader.mapping(raw, f"$.scaninfo[{i}]")
        infos.append(ScanInfo(*(reader.text(info, k, f"$.scaninfo[{i}]") for k in ("type", "protocol", "services"))))
    return ScanResult(
        scanner=reader.text(root, "scanner", "$"),
        nmap_version=reader.text(root, "nmap_version", "$"),
        args=reader.text(root, "args", "$"),
        started=reader.integer(root, "started", "$", MAX_TIME),
        finished=reader.integer(root, "finished", "$", MAX_TIME),
        hosts=tuple(hosts),
        scaninfo=tuple(infos),
        warnings=tuple(reader.text_list(root, "warnings", "$")),
    )


class _Reader:
    """Typed access to decoded JSON that fails with the JSON path of the bad value."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, path: str, message: str) -> NoReturn:
        raise InputError([(None, f"{self.name}: {path}: {message}; the file was not written by secassess "
                                 "or was edited by hand")])

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "expected an object")
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "expected a list")
        return value

    def text(self, obj: dict[str, Any], key: str, path: str) -> str:
        value = obj.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "expected a string")
        return value

    def text_list(self, obj: dict[str, Any], key: str, path: str) -> list[str]:
        value = self.items(obj, key, path)
        if not all(isinstance(v, str) for v in value):
            self.fail(f"{path}.{key}", "expected a list of strings")
        return value

    def integer(self, obj: dict[str, Any], key: str, path: str, high: int = 2**31) -> int:
        value = obj.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"{path}.{key}", "expected an integer")
        if not 0 <= value <= high:
            self.fail(f"{path}.{key}", f"{str(value)[:40]} is out of range (0 to {high})")
        return value
