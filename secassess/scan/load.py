"""Reading a saved scan: nmap XML (`-oX`) or secassess's own `scan.json`, told apart by content."""

from __future__ import annotations

import os
from dataclasses import replace

from secassess.errors import InputError, SourcePos
from secassess.scan.jsonform import from_json
from secassess.scan.model import ScanResult
from secassess.scan.nmapxml import MAX_XML_BYTES, parse_xml


def load_scan_file(path: str) -> ScanResult:
    """Load a scan file; every problem is an `InputError`, at `file:line:column` where known.

    Each warning of the scan (an interrupted scan, hosts without results) starts with the file's name.
    """
    try:
        size = os.stat(path).st_size
        if size > MAX_XML_BYTES:
            raise InputError([(SourcePos(path, 1, 1), f"file is {size:,} bytes, over the {MAX_XML_BYTES:,}-byte "
                                                      "limit for a scan file")])
        with open(path, "rb") as handle:
            data = handle.read(MAX_XML_BYTES + 1)
    except IsADirectoryError:
        raise InputError([(None, f"{path}: is a directory, expected an nmap XML or scan.json file")]) from None
    except FileNotFoundError:
        raise InputError([(None, f"{path}: no such file")]) from None
    except OSError as exc:
        raise InputError([(None, f"{path}: cannot read: {exc.strerror}")]) from None
    result = parse_scan_bytes(data, path)
    return replace(result, warnings=tuple(w if w.startswith(f"{path}:") else f"{path}: {w}" for w in result.warnings))


def parse_scan_bytes(data: bytes, name: str) -> ScanResult:
    """Parse scan bytes as XML when they start with '<', as JSON when with '{'."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return parse_xml(data, name)
    if head == b"{":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError([(SourcePos(name, line, column), "not UTF-8; a scan.json is UTF-8")]) from None
        return from_json(text, name)
    what = "the file is empty" if not head else "the file is neither XML nor JSON"
    raise InputError([(SourcePos(name, 1, 1), f"{what}; give nmap's XML output (-oX) or a scan.json "
                                              "written by secassess")])
