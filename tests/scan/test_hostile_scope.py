"""Item 13.3: a public lab scope is flagged by lint, and `scan` refuses public targets unless the user passes
`--allow-public-scope` on the command line. The PATH-shadowing nmap fails the test if anything starts it:
no address outside 127.0.0.0/8 is ever scanned here."""

from __future__ import annotations

import argparse
import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from secassess.cli import scan_cmd
from secassess.errors import UsageError
from secassess.scan.service import scan
from secassess.scan.targets import is_private_network, parse_targets

PUBLIC_SCOPES = ["0.0.0.0/0", "8.8.8.0/24", "::/0", "100.64.0.0/10", "::ffff:8.8.8.8/128", "2001:db8::/32",
                 "172.15.0.0/16", "192.0.0.0/2"]
PRIVATE_SCOPES = ["127.0.0.0/24", "10.1.0.0/16", "172.16.0.0/12", "192.168.1.0/24", "fd00::/8", "::1/128"]


def _inventory(path: Path, cidrs: list[str]) -> Path:
    listed = "".join(f"    - '{c}'\n" for c in cidrs)
    path.write_text(f"organisation: {{name: T, code: t}}\nlab_scope:\n  cidrs:\n{listed}"
                    "agencies:\n  - {id: a, name: A, kind: department}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("cidr", PUBLIC_SCOPES)
def test_lint_flags_a_public_lab_scope_at_its_line(tmp_path: Path, run_cli: Any, cidr: str) -> None:
    inventory = _inventory(tmp_path / "inv.yaml", ["127.0.0.0/24", cidr])
    code, out, _err = run_cli("lint", str(inventory))
    assert code == 2
    assert f"{inventory}:5:7: medium: lab_scope network {ipaddress.ip_network(cidr)}" in out
    assert "SA-LINT-SCOPE-PUBLIC" in out
    assert f"{inventory}:4:" not in out  # the private network on line 4 is fine


def test_lint_accepts_private_scopes(tmp_path: Path, run_cli: Any) -> None:
    code, out, _err = run_cli("lint", str(_inventory(tmp_path / "inv.yaml", PRIVATE_SCOPES)))
    assert (code, "SA-LINT-SCOPE-PUBLIC" in out) == (0, False), out


@pytest.fixture
def nmap_that_must_not_run(fake_nmap: Callable[[str], Path]) -> Path:
    """A first-on-PATH nmap that records any call and fails: the tests below assert it never ran."""
    return fake_nmap("echo 'the scope guard let a public target through' >&2\nexit 99\n")


@pytest.mark.parametrize(("cidr", "target"), [("0.0.0.0/0", "8.8.8.8"), ("8.8.8.0/24", "8.8.8.8"),
                                               ("::/0", "2001:4860:4860::8888"), ("8.8.8.0/24", "8.8.8.0/30")])
def test_scan_refuses_a_public_target_the_file_allows(tmp_path: Path, run_cli: Any, nmap_that_must_not_run: Path,
                                                      cidr: str, target: str) -> None:
    inventory = _inventory(tmp_path / "inv.yaml", [cidr])
    code, _out, err = run_cli("scan", str(inventory), "--targets", target)
    assert code == 2
    assert "--allow-public-scope" in err and "internal error" not in err
    assert not nmap_that_must_not_run.exists(), "nmap was started"


def test_scan_refuses_a_public_default_scope(tmp_path: Path, run_cli: Any, nmap_that_must_not_run: Path) -> None:
    code, _out, err = run_cli("scan", str(_inventory(tmp_path / "inv.yaml", ["8.8.8.0/30"])))
    assert code == 2 and "--allow-public-scope" in err
    assert not nmap_that_must_not_run.exists()


def test_the_service_refuses_without_the_flag(nmap_that_must_not_run: Path) -> None:
    with pytest.raises(UsageError, match="allow-public-scope"):
        scan(["8.8.8.8"], (ipaddress.ip_network("0.0.0.0/0"),))
    assert not nmap_that_must_not_run.exists()


def test_the_flag_comes_from_the_command_line_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the flag, the guard lets a public target through (checked on the validator and on the CLI's call,
    with the scan itself replaced: nothing is sent to a public address)."""
    scope = (ipaddress.ip_network("8.8.8.0/24"),)
    assert parse_targets(["8.8.8.8"], scope, allow_public=True) == (ipaddress.ip_address("8.8.8.8"),)
    calls: list[dict[str, Any]] = []

    def fake_scan(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        raise UsageError("stop here")

    monkeypatch.setattr(scan_cmd, "scan", fake_scan)
    parser = argparse.ArgumentParser()
    scan_cmd.configure(parser)
    inventory = str(_inventory(tmp_path / "inv.yaml", ["8.8.8.0/24"]))
    for argv, allowed in (([inventory], False), ([inventory, "--allow-public-scope"], True)):
        with pytest.raises(UsageError):
            scan_cmd.run(parser.parse_args(argv))
        assert calls.pop()["allow_public"] is allowed


@pytest.mark.parametrize("cidr", PRIVATE_SCOPES)
def test_private_networks_are_private(cidr: str) -> None:
    assert is_private_network(ipaddress.ip_network(cidr))


@pytest.mark.parametrize("cidr", PUBLIC_SCOPES)
def test_public_networks_are_not(cidr: str) -> None:
    assert not is_private_network(ipaddress.ip_network(cidr))


@pytest.mark.parametrize("xml", ["same.json", "./same.json", "link.json"])
def test_xml_and_out_naming_one_file_are_refused_before_scanning(tmp_path: Path, run_cli: Any,
                                                                 nmap_that_must_not_run: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, xml: str) -> None:
    """Item 13.7: `--xml` equal to `--out` would overwrite one with the other."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.json").symlink_to(tmp_path / "same.json")
    inventory = _inventory(tmp_path / "inv.yaml", ["127.0.0.0/30"])
    code, _out, err = run_cli("scan", str(inventory), "--out", "same.json", "--xml", xml)
    assert code == 2 and "is the same file as --out same.json" in err
    assert not nmap_that_must_not_run.exists()
