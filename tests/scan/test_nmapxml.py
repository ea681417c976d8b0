"""nmap XML import: the reference corpus, hostile files, truncated and timed-out scans, the JSON form."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from secassess.errors import InputError
from secassess.scan.jsonform import from_json, to_json
from secassess.scan.load import load_scan_file, parse_scan_bytes
from secassess.scan.nmapxml import parse_xml

DATA = Path(__file__).resolve().parent.parent / "data" / "nmap-xml"

EXPECTED = json.loads((DATA / "expected.json").read_text())
PARSEABLE = sorted(name for name, exp in EXPECTED.items() if not exp.get("must_refuse"))
REFUSED = sorted(name for name, exp in EXPECTED.items() if exp.get("must_refuse"))


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in DATA.glob("*.xml")) == sorted(EXPECTED)
    assert len(REFUSED) == 2


@pytest.mark.parametrize("name", PARSEABLE)
def test_corpus_counts_match(name: str) -> None:
    expected = EXPECTED[name]
    result = load_scan_file(str(DATA / name))
    assert result.scanner == expected["scanner"]
    assert result.nmap_version == expected["nmap_version"]
    assert len(result.hosts) == expected["hosts"]
    assert sum(h.status == "up" for h in result.hosts) == expected["hosts_up"]
    assert sum(len(h.open_ports) for h in result.hosts) == expected["open_ports"]
    per_host = [{"address": h.address, "status": h.status, "open": [f"{p.port}/{p.protocol}" for p in h.open_ports]}
                for h in result.hosts]
    assert per_host == expected["per_host"]
    assert result.warnings == ()


@pytest.mark.parametrize("name", PARSEABLE)
def test_corpus_json_round_trip(name: str, tmp_path: Path) -> None:
    result = load_scan_file(str(DATA / name))
    text = to_json(result)
    out = tmp_path / "scan.json"
    out.write_text(text)
    again = load_scan_file(str(out))
    assert to_json(again) == text
    assert sorted(again.hosts, key=lambda h: h.address) == sorted(result.hosts, key=lambda h: h.address)


@pytest.mark.parametrize("name", REFUSED)
def test_xxe_probes_refused_without_reading_other_files(name: str, tmp_path: Path) -> None:
    # The probe names ./simple.xml; put one next to it that must never be read into the result.
    probe = tmp_path / name
    probe.write_bytes((DATA / name).read_bytes())
    (tmp_path / "simple.xml").write_text("<nmaprun><host/></nmaprun>")
    with pytest.raises(InputError) as info:
        load_scan_file(str(probe))
    assert str(probe) in info.value.message
    assert info.value.exit_code == 2


def test_entity_probe_names_position_and_reason() -> None:
    with pytest.raises(InputError) as info:
        load_scan_file(str(DATA / "defused_et_local_includer.xml"))
    pos, message = info.value.problems[0]
    assert pos is not None
    assert pos.line == 3
    assert "EntitiesForbidden" in message


def test_billion_laughs_refused() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><nmaprun>&lol2;</nmaprun>')
    with pytest.raises(InputError, match="refused"):
        parse_xml(data, "bomb.xml")


def test_truncated_xml_recovers_complete_hosts_with_warning() -> None:
    data = (DATA / "fullscan.xml").read_bytes()
    cut = data[: data.index(b"<host", len(data) // 2) + 20]  # cut inside a <host> element
    complete = cut.count(b"</host>")
    result = parse_xml(cut, "cut.xml")
    assert len(result.hosts) == complete > 0
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("cut.xml:")
    assert "ends before the scan finished" in result.warnings[0]


def test_truncated_at_every_byte_never_crashes() -> None:
    data = (DATA / "2_hosts.xml").read_bytes()
    for end in range(0, len(data), 97):
        try:
            result = parse_scan_bytes(data[:end], "cut.xml")
        except InputError:
            continue
        assert len(result.hosts) <= 2


NMAP_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
             b'<nmaprun scanner="nmap" args="nmap -oX - -n -Pn -sT 127.0.0.21 127.0.0.22" start="1700000000" '
             b'version="7.93" xmloutputversion="1.05">\n'
             b'<scaninfo type="connect" protocol="tcp" numservices="3" services="22,80,8000-8001"/>\n')


def test_timed_out_host_stays_timed_out() -> None:
    data = NMAP_HEAD + (
        b'<host starttime="1" endtime="2" timedout="true"><status state="up" reason="user-set" reason_ttl="0"/>\n'
        b'<address addr="127.0.0.21" addrtype="ipv4"/><hostnames></hostnames></host>\n'
        b'<hosthint><status state="up" reason="syn-ack"/><address addr="127.0.0.22" addrtype="ipv4"/></hosthint>\n'
        b'<runstats><finished time="1700000009" exit="success"/><hosts up="2" down="0" total="2"/></runstats>'
        b"</nmaprun>\n")
    result = parse_xml(data, "t.xml")
    assert [(h.address, h.status) for h in result.hosts] == [("127.0.0.21", "timedout"), ("127.0.0.22", "timedout")]
    assert result.finished == 1700000009
    assert result.covers(8001, "tcp")
    assert result.covers(22, "tcp")
    assert not result.covers(81, "tcp")
    assert any("127.0.0.22" in w for w in result.warnings)


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"hello", "neither XML nor JSON"),
    (b"<root/>", "not <nmaprun>"),
    (b"<nmaprun><host></nmaprun>", "not well-formed"),
    (NMAP_HEAD + b'<host><status state="up"/></host></nmaprun>', "no <address"),
    (NMAP_HEAD + b'<host><address addr="127.0.0.1"/><ports><port portid="99999"/></ports></host></nmaprun>',
     "not a port number"),
    (b'{"format": "other"}', "not a secassess scan file"),
    (b'{"format": "secassess-scan", "format_version": 1, "hosts": [{"status": "sideways"}]}', "$.hosts[0].status"),
    (b'{"format": "secassess-scan", "format_version": 1,\n "hosts": [}', "not valid JSON"),
])
def test_bad_input_is_input_error(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_scan_bytes(data, "bad")
    assert fragment in info.value.message


def test_parse_error_has_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        parse_scan_bytes(NMAP_HEAD + b"<host>\n  <oops></host></nmaprun>", "bad.xml")
    pos = info.value.problems[0][0]
    assert pos is not None
    assert (pos.file, pos.line) == ("bad.xml", 6)


def test_json_error_has_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        from_json('{"format": "secassess-scan",\n  "hosts": [,]}', "scan.json")
    pos = info.value.problems[0][0]
    assert pos is not None
    assert (pos.line, pos.column) == (2, 13)


def test_json_is_deterministic() -> None:
    result = load_scan_file(str(DATA / "2_hosts.xml"))
    reversed_hosts = dataclasses.replace(result, hosts=tuple(reversed(result.hosts)))
    assert to_json(result) == to_json(reversed_hosts)


def test_missing_and_directory_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_scan_file(str(tmp_path / "nope.xml"))
    with pytest.raises(InputError, match="is a directory"):
        load_scan_file(str(tmp_path))
