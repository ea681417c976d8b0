"""The graph and scan fact providers feeding the assessment: names, merging, and the sample inventory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from secassess.api import assess
from secassess.assessment.result import AssessmentResult
from secassess.diagnostics import Outcome
from secassess.graph.facts import GraphFactProvider, entity_name
from secassess.inventory.load import LoadedInventory, load_inventory, validate_inventory
from secassess.scan.drift import DeclaredService
from secassess.scan.facts import ScanFactProvider, declared_hosts
from secassess.scan.model import HostResult, PortResult, ScanInfo, ScanResult

SAMPLE = Path(__file__).resolve().parent.parent / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def sample() -> LoadedInventory:
    return load_inventory(str(SAMPLE))


@pytest.fixture(scope="module")
def with_graph(sample: LoadedInventory) -> AssessmentResult:
    return assess(sample, as_of=AS_OF, fact_providers=[GraphFactProvider.from_inventory(sample)])


def outcome(result: AssessmentResult, check: str, entity: str) -> Outcome:
    return next(f.outcome for f in result.findings if f.check == check and f.entity == entity)


def test_flat_network_agency_fails_and_segmented_one_passes(with_graph: AssessmentResult) -> None:
    assert outcome(with_graph, "SA-GRAPH-FLAT-001", "agency:stc") is Outcome.FAIL
    assert outcome(with_graph, "SA-GRAPH-FLAT-001", "agency:stttt") is Outcome.PASS


def test_failed_graph_check_shows_the_path(with_graph: AssessmentResult) -> None:
    finding = next(f for f in with_graph.findings
                   if f.check == "SA-GRAPH-INET-001" and f.entity == "agency:stc/server:stc-db01")
    assert finding.outcome is Outcome.FAIL
    path = "internet → agency:stc/zone:stc-lan [acl] → agency:stc/server:stc-db01"
    assert finding.message.endswith(f"; evidence: graph.internet_unfiltered_path = {path}")
    assert [(e.field, e.value) for e in finding.evidence if e.expected == "evidence"] == [
        ("graph.internet_unfiltered_path", path)]


def test_the_library_gathers_graph_facts_unasked(sample: LoadedInventory, with_graph: AssessmentResult) -> None:
    """The graph comes from the inventory itself: leaving it out would turn network controls into 'does not apply'."""
    result = assess(sample, as_of=AS_OF)
    graph = [f for f in result.findings if "graph." in f.message or f.check.startswith("SA-GRAPH-")]
    assert graph and Outcome.FAIL in {f.outcome for f in graph}
    assert [(f.check, f.entity, f.outcome) for f in result.findings] == [
        (f.check, f.entity, f.outcome) for f in with_graph.findings]


@pytest.mark.parametrize("profile", ["luat116", "nd85"])
def test_scan_checks_not_applicable_without_a_scan(sample: LoadedInventory, profile: str) -> None:
    result = assess(sample, profile, as_of=AS_OF, fact_providers=[GraphFactProvider.from_inventory(sample)],
                    include_not_applicable=True)
    scan = [f for f in result.findings if f.check.startswith("SA-SCAN-")]
    assert len({f.check for f in scan}) == 11
    assert {f.outcome for f in scan} == {Outcome.NOT_APPLICABLE}
    live = [f for f in scan if not f.message.startswith("decommissioned")]
    assert live and all(f.message == "does not apply: needs scan.* facts, and no scan fact provider ran"
                        for f in live), {f.message for f in live}


def test_graph_names_become_entity_names() -> None:
    assert entity_name("agency:a/device:fw1") == "agency:a/security_device:fw1"
    assert entity_name("agency:a/server:web1") == "agency:a/server:web1"
    assert entity_name("agency:a") == "agency:a"


def test_graph_facts_have_no_prefix_and_name_devices_as_entities(sample: LoadedInventory) -> None:
    facts = GraphFactProvider.from_inventory(sample).provide(sample.inventory, [], AS_OF)
    assert facts["agency:stc"]["flat_network"] is True
    assert not any(k.startswith("graph.") for values in facts.values() for k in values)
    assert "agency:stc/security_device:stc-router" in facts
    assert not any("/device:" in name for name in facts)


INVENTORY = {
    "organisation": {"name": "Tinh", "code": "t"},
    "lab_scope": {"cidrs": ["10.0.0.0/24"]},
    "agencies": [{
        "id": "a1", "name": "A", "kind": "department",
        "servers": [
            {"hostname": "web1", "addresses": ["10.0.0.5", "10.0.0.6"], "os": {"name": "Linux"},
             "services": [{"port": 443, "name": "https"}, {"port": 22, "name": "ssh"}], "status": "active"},
            {"hostname": "old1", "addresses": ["10.0.0.7"], "os": {"name": "Linux"}, "status": "decommissioned"},
            {"hostname": "nowhere", "os": {"name": "Linux"}},
        ],
        "workstations": [{"hostname": "ws1", "address": "10.0.0.20", "os": {"name": "Windows"}, "status": "active"}],
        "security_devices": [{"id": "fw1", "kind": "firewall", "address": "10.0.0.1",
                              "management_address": "10.0.0.2", "status": "active"}],
    }],
}


def loaded_inventory() -> LoadedInventory:
    return LoadedInventory("inv.yaml", validate_inventory(INVENTORY, "inv.yaml"))


def a_scan(when: int, hosts: dict[str, tuple[int, ...]], ports: str = "1-1024") -> ScanResult:
    return ScanResult("nmap", "7.93", "nmap -sT", when - 10, when, tuple(
        HostResult(address, "up", "syn-ack", ports=tuple(PortResult(p, "tcp", "open", "syn-ack") for p in open_))
        for address, open_ in hosts.items()), (ScanInfo("connect", "tcp", ports),))


def test_declared_hosts_cover_servers_workstations_and_devices_with_addresses() -> None:
    hosts = {h.hostname: h for h in declared_hosts(loaded_inventory())}
    assert sorted(hosts) == ["fw1", "old1", "web1", "ws1"]
    assert hosts["web1"].addresses == ("10.0.0.5", "10.0.0.6")
    assert hosts["web1"].services == (DeclaredService(443, "tcp", "https"), DeclaredService(22, "tcp", "ssh"))
    assert hosts["old1"].status == "decommissioned"
    assert hosts["fw1"].addresses == ("10.0.0.1", "10.0.0.2") and hosts["fw1"].services == ()
    assert hosts["web1"].pos is not None and hosts["web1"].pos.file == "inv.yaml"


def test_scan_facts_per_host_agency_and_organisation() -> None:
    loaded = loaded_inventory()
    scan = a_scan(1_790_000_000, {"10.0.0.5": (443, 22), "10.0.0.6": (22, 445), "10.0.0.7": (21,),
                                  "10.0.0.99": (80,), "192.168.0.9": (80,)})
    facts = ScanFactProvider([scan], loaded).provide(loaded.inventory, [], AS_OF)
    web = facts["agency:a1/server:web1"]
    assert web == {"scanned": True, "timed_out": False, "scan_time": "2026-09-21T14:13:20+00:00",
                   "undeclared_open_ports": ["445/tcp"], "declared_not_answering": ["443/tcp https"],
                   "risky_services": ["445/tcp microsoft-ds"]}
    assert facts["agency:a1/server:nowhere"]["scanned"] is False
    assert facts["agency:a1/server:nowhere"]["scan_time"] is None
    assert facts["agency:a1/workstation:ws1"]["scanned"] is False
    assert facts["agency:a1"] == {"scanned": True, "decommissioned_scanned": ["old1"],
                                  "decommissioned_answering": ["old1"]}
    assert facts["organisation:t"] == {"scanned": True, "unmanaged_hosts": ["10.0.0.99"]}  # 192.168/16: no scope


def test_later_scan_of_a_host_wins_each_judged_by_its_own_coverage() -> None:
    loaded = loaded_inventory()
    early = a_scan(1_790_000_000, {"10.0.0.5": (8080,), "10.0.0.20": (3389,)})
    late = a_scan(1_790_100_000, {"10.0.0.5": (443,)}, ports="443")  # 22 not covered: not "not answering"
    for order in ([early, late], [late, early]):
        facts = ScanFactProvider(order, loaded).provide(loaded.inventory, [], AS_OF)
        web = facts["agency:a1/server:web1"]
        assert web["undeclared_open_ports"] == [] and web["declared_not_answering"] == []
        assert web["scan_time"] == "2026-09-22T18:00:00+00:00"
        assert facts["agency:a1/workstation:ws1"]["risky_services"] == ["3389/tcp rdp"]  # only the early scan saw it


def test_timed_out_host() -> None:
    loaded = loaded_inventory()
    scan = ScanResult("nmap", "7.93", "nmap -sT", 0, 0, (HostResult("10.0.0.1", "timedout", "host-timeout"),))
    facts = ScanFactProvider([scan], loaded).provide(loaded.inventory, [], AS_OF)
    assert facts["agency:a1/security_device:fw1"] == {
        "scanned": True, "timed_out": True, "scan_time": None, "undeclared_open_ports": [],
        "declared_not_answering": [], "risky_services": []}
    result = assess(loaded, as_of=AS_OF, fact_providers=[ScanFactProvider([scan], loaded)],
                    include_not_applicable=True)
    assert outcome(result, "SA-SCAN-TIMEOUT-003", "agency:a1/security_device:fw1") is Outcome.FAIL
    assert outcome(result, "SA-SCAN-RISKY-003", "agency:a1/security_device:fw1") is Outcome.NOT_APPLICABLE
