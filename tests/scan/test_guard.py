"""The scope guard: hostile or out-of-scope targets, ports and modes never start a process.

The PATH-shadowing `nmap` of `fake_nmap` records every invocation (python-nmap's `nmap -V` probe
included), so "nothing was started" is observed, not assumed. Out-of-scope addresses appear here only
as strings handed to the validator; nothing outside 127.0.0.0/8 is ever scanned.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secassess.errors import EnvironmentFailure, UsageError
from secassess.scan.argv import Mode, NmapInvocation, build_invocation, parse_mode
from secassess.scan.service import scan
from secassess.scan.targets import format_ports, parse_ports, parse_scope, parse_targets

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)
LAB = (ipaddress.ip_network("127.0.0.16/28"),)

HOSTILE_TARGETS = [
    "127.0.0.10 --script=/tmp/x.nse", "-iL /etc/passwd", "-iL", "127.0.0.1;id", "127.0.0.1 -oN /tmp/x",
    "127.0.0.1,127.0.0.2", "127.0.0.1-5", "127.0.0.1\n", " 127.0.0.1", "localhost", "example.org", "$(id)",
    "127.0.0.1/8", "127.0.0.0/33", "127.0.0.1%lo", "`id`", "", "127.0.0.1'", "--resume=/tmp/x", "0x7f000001",
]
OUT_OF_SCOPE = ["8.8.8.8", "10.0.0.1", "127.0.0.0/8", "127.0.0.32", "::1", "0.0.0.0/0", "127.0.0.0/27"]
HOSTILE_PORTS = ["22 -oN /tmp/x", "22;id", "22,", ",22", "0", "65536", "80-22", "1-2-3", "22 ", "-p22", "T:22",
                 "22,,80", "http", "", "1" * 6, "-", "22-", "U:161"]
HOSTILE_MODES = ["-sS", "connect --script=x", "CONNECT", "", "version;id", "-sT -iL /etc/passwd"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_hostile_target_refused_before_any_process(target: str, fake_nmap: Callable[[], Path]) -> None:
    log = fake_nmap()
    with pytest.raises(UsageError) as info:
        scan([target], LOOPBACK)
    assert info.value.exit_code == 2
    assert not log.exists()


@pytest.mark.parametrize("target", OUT_OF_SCOPE)
def test_out_of_scope_target_refused_before_any_process(target: str, fake_nmap: Callable[[], Path]) -> None:
    log = fake_nmap()
    with pytest.raises(UsageError, match="outside the scan scope") as info:
        scan(["127.0.0.21", target], LAB)
    assert repr(target) in info.value.message
    assert "127.0.0.16/28" in info.value.message
    assert not log.exists()


@pytest.mark.parametrize("ports", HOSTILE_PORTS)
def test_hostile_ports_refused_before_any_process(ports: str, fake_nmap: Callable[[], Path]) -> None:
    log = fake_nmap()
    with pytest.raises(UsageError):
        scan(["127.0.0.21"], LAB, ports=ports)
    assert not log.exists()


@pytest.mark.parametrize("mode", HOSTILE_MODES)
def test_hostile_mode_refused_before_any_process(mode: str, fake_nmap: Callable[[], Path]) -> None:
    log = fake_nmap()
    with pytest.raises(UsageError, match="unknown"):
        scan(["127.0.0.21"], LAB, mode=mode)
    assert not log.exists()


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": -1}, {"host_timeout": 0}, {"max_hosts": 4}])
def test_bad_limits_refused_before_any_process(kwargs: dict[str, int], fake_nmap: Callable[[], Path]) -> None:
    log = fake_nmap()
    with pytest.raises(UsageError):
        scan(["127.0.0.16/28"], LAB, **kwargs)  # type: ignore[arg-type]
    assert not log.exists()


def test_fake_nmap_does_record_a_valid_scan(fake_nmap: Callable[[str], Path]) -> None:
    """Control for the tests above: a valid request does reach the (fake) nmap, with safe argv."""
    log = fake_nmap('echo "Failed to open device lo" >&2\nexit 1\n')
    with pytest.raises(EnvironmentFailure, match="Failed to open device lo") as info:
        scan(["127.0.0.21", "127.0.0.20/31"], LAB, ports="22,80,8000-8010", host_timeout=30)
    assert info.value.exit_code == 3
    calls = log.read_text().splitlines()
    assert calls == ["-V", "-oX - 127.0.0.20 127.0.0.21 -sT -n -Pn -p 22,80,8000-8010 --host-timeout 30s"]


def test_nmap_missing_is_environment_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EnvironmentFailure, match="apt-get install nmap") as info:
        scan(["127.0.0.21"], LAB)
    assert info.value.exit_code == 3


def test_targets_expand_dedupe_and_sort() -> None:
    got = parse_targets(["127.0.0.21", "127.0.0.20/30", "127.0.0.21"], LAB)
    assert [str(a) for a in got] == ["127.0.0.20", "127.0.0.21", "127.0.0.22", "127.0.0.23"]


def test_oversized_expansion_refused() -> None:
    with pytest.raises(UsageError, match="more than 1,024"):
        parse_targets(["127.0.0.0/16"], LOOPBACK)
    assert len(parse_targets(["127.0.0.0/22"], LOOPBACK)) == 1024


def test_ipv6_in_ipv6_scope() -> None:
    got = parse_targets(["::1"], (ipaddress.ip_network("::1/128"),))
    inv = build_invocation(got, Mode.CONNECT)
    assert inv.hosts == "::1"
    assert inv.arguments.split()[-1] == "-6"


def test_scope_parsing() -> None:
    assert parse_scope(["127.0.0.16/28"]) == LAB
    for bad in (["127.0.0.17/28"], ["lab"], [], ["127.0.0.0/8 -iL x"]):
        with pytest.raises(UsageError):
            parse_scope(bad)


def test_ports_parse_and_format() -> None:
    assert parse_ports("22,80,8000-8003,80") == (22, 80, 8000, 8001, 8002, 8003)
    assert format_ports((22, 80, 8000, 8001, 8002, 8003)) == "22,80,8000-8003"
    assert len(parse_ports("1-65535")) == 65535
    with pytest.raises(UsageError, match="more than 256"):
        parse_ports(",".join(str(p) for p in range(1, 600)))


def test_modes_are_a_fixed_table() -> None:
    assert parse_mode("version") is Mode.VERSION
    assert build_invocation(parse_targets(["127.0.0.21"], LAB), Mode.TOP100).arguments == \
        "-sT --top-ports 100 -n -Pn"
    with pytest.raises(UsageError, match="top100 chooses its own ports"):
        build_invocation(parse_targets(["127.0.0.21"], LAB), Mode.TOP100, (22,))


@pytest.mark.parametrize(("hosts", "arguments"), [
    ("127.0.0.1 --script=x", "-sT"), ("127.0.0.1", "-sT -iL /etc/passwd"), ("127.0.0.1", "-sT -oX -"),
    ("127.0.0.1", "-sT  -n"), ("'127.0.0.1'", "-sT"), ("127.0.0.1", "--script=/tmp/x.nse"),
])
def test_invocation_rechecks_every_token(hosts: str, arguments: str) -> None:
    with pytest.raises(UsageError, match="internal error"):
        NmapInvocation(hosts, arguments)


def test_unvalidated_values_refused_by_builder() -> None:
    with pytest.raises(UsageError):
        build_invocation(("127.0.0.1 -iL /etc/passwd",), Mode.CONNECT)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        build_invocation(parse_targets(["127.0.0.21"], LAB), Mode.CONNECT, ("22 -oN x",))  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=0, max_size=40), st.text(min_size=0, max_size=30))
def test_any_accepted_input_yields_only_safe_tokens(target: str, ports: str) -> None:
    """Whatever strings arrive, either they are refused or every nmap token is an address or a known flag."""
    try:
        addresses = parse_targets([target], LOOPBACK)
        port_list = parse_ports(ports) if ports else ()
    except UsageError:
        return
    inv = build_invocation(addresses, Mode.CONNECT, port_list)
    for token in shlex.split(inv.hosts):
        assert ipaddress.ip_address(token) in LOOPBACK[0]
    assert not any(t.startswith("-") and t not in {"-sT", "-n", "-Pn", "-p"} for t in shlex.split(inv.arguments))
