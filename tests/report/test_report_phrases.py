"""The free-text forms results carry (what the graph lacks, partial values, network paths, rule errors, warnings)
are worded in Vietnamese reports, keeping the ids they hold; English reports show them as written."""

from __future__ import annotations

import re

import pytest
from report_data import fixture
from test_report_vietnamese import english_only, english_phrases, sample  # noqa: F401 (fixtures)

from secassess.assessment import partial, rules, waivers
from secassess.assessment.result import AssessmentResult
from secassess.graph import phrases as graph
from secassess.report import phrases
from secassess.report.expectations import Wording
from secassess.report.phrases import Phrases, pattern, split_items
from secassess.report.view import agency_view, warnings
from secassess.scan import model as scan

SAMPLE_VALUES = {"link": "agency:a/zone:lan -> internet (inventory.yaml:12)", "entity": "agency:a/security_device:fw",
                 "count": "3", "agency": "stc", "namespace": "scan", "name": "open_ports", "field": "facts.own_hosts",
                 "value": "str 'many'", "expected": "int 3", "denominator": "networked", "detail": "'<' not supported",
                 "where": "waivers.yaml:8:5", "check": "SA-GOV-REPORT-001", "expires": "2026-10-01",
                 "profile": "luat116", "limit": "30", "hosts": "127.0.0.2, 127.0.0.3", "target": "lab.xml",
                 "exit": "error", "message": "Failed to resolve", "low": "0.25", "high": "1", "known": "a, b",
                 "maybe": "c", "missing": "servers"}


def _render(template: str) -> str:
    return template.format(**{name: SAMPLE_VALUES[name] for name in re.findall(r"\{(\w+)\}", template)})


FORMS = [(graph.OPEN_INPUTS, phrases.VI_INPUTS), ((partial.BETWEEN, partial.PARTIAL, partial.UNKNOWN,
                                                   partial.UNKNOWN_OF), phrases.VI_PARTIAL),
         (rules.RULE_ERRORS, phrases.VI_RULE_ERRORS),
         ((waivers.WAIVER_EXPIRED, waivers.WAIVER_UNMATCHED, *scan.SCAN_WARNINGS), phrases.VI_WARNINGS)]


@pytest.mark.parametrize(("templates", "table"), FORMS)
def test_every_form_has_a_vietnamese_wording_that_keeps_its_data(templates: tuple[str, ...],
                                                                 table: dict[str, str]) -> None:
    assert set(templates) == set(table)
    for template in templates:
        found = pattern(template).match(_render(template))
        assert found is not None, template
        assert set(re.findall(r"\{(\w+)\}", table[template])) <= set(found.groupdict()), template


def test_things_to_collect_in_words() -> None:
    vi = Wording("vi", "agency")
    assert vi.label(graph.LINK_CONTROLS.format(link="agency:a/zone:lan -> internet (x.yaml:3)")) == \
        "biện pháp kiểm soát trên kết nối agency:a/zone:lan -> internet (x.yaml:3)"
    assert vi.label(graph.ROLE_OR_ZONE_OF.format(entity="db01")) == "vai trò hoặc vùng mạng của db01"
    assert vi.label(graph.ROLE_OF.format(entity="db01")) == "vai trò của db01"
    assert vi.label(graph.MORE.format(count=4)) == "... và 4 mục khác"
    assert vi.label("systems[].servers") == "Các hệ thống thông tin: các máy chủ vận hành hệ thống"
    assert Wording("vi", "server").label("systems[].servers") == vi.label("systems[].servers")
    assert vi.label("network.links") == "Các kết nối giữa vùng mạng"
    assert vi.label("servers[web01].status") == "Trạng thái (máy chủ web01)"
    assert Wording("en", "agency").label(graph.HOST_ZONES) == graph.HOST_ZONES
    assert vi.label("something else entirely") == "something else entirely"


def test_partial_values_and_paths_in_words() -> None:
    vi = Wording("vi", "agency")
    assert vi.value(str(partial.Between(0.25, 1, ("servers",)))) == "từ 0,25 đến 1 (chưa khai báo đủ)"
    assert vi.value(str(partial.Partial(("agency:a/zone:db",), (graph.NOT_PLACED,)))) == \
        "[agency:a/zone:db] và có thể cả [(máy chủ chưa xác định vùng mạng)] (chưa khai báo đủ)"
    assert vi.value(str(partial.Unknown(("servers", graph.SERVER_ROLES_ZONES.format(agency="stc"))))) == \
        "chưa xác định được (chưa khai báo: Các máy chủ, vai trò và vùng mạng của các máy chủ của stc)"
    path = "internet → agency:hl/zone:hl-lan [none] → agency:hl/workstation_group:hl-ws"
    assert vi.value(path) == "Internet → agency:hl/zone:hl-lan [không có] → agency:hl/workstation_group:hl-ws"
    on_path = graph.ON_PATH.format(entity="agency:a/device:fw", path="internet → agency:a/zone:edge [acl, ips]")
    assert vi.value(on_path) == \
        "agency:a/device:fw trên đường: Internet → agency:a/zone:edge [danh sách kiểm soát truy cập (ACL), IPS]"
    assert Wording("en", "agency").value(path) == path
    assert list(split_items("a, b (c, d), [e, f]")) == ["a", "b (c, d)", "[e, f]"]


def test_rule_errors_and_warnings_in_words() -> None:
    vi = Phrases("vi", Wording("vi", "agency").label)
    assert vi.rule_error(rules.CANNOT_COMPARE.format(field="facts.own_hosts", value="str 'many'", expected="int 3")) \
        == "Số máy chủ, máy trạm và nhóm máy trạm của cơ quan: không so sánh được văn bản 'many' với số nguyên 3"
    assert vi.rule_error("something new") == "something new"
    assert Phrases("en").rule_error("x: y") == "x: y"
    expired = waivers.WAIVER_EXPIRED.format(where="waivers.yaml:8:5", check="SA-GOV-REPORT-001", entity="agency:syt",
                                            expires="2026-10-01")
    assert vi.warning(expired) == ("waivers.yaml:8:5: miễn trừ cho SA-GOV-REPORT-001 đối với agency:syt đã hết hạn "
                                   "ngày 1 tháng 10 năm 2026; phát hiện được tính là không đạt")
    interrupted = "lab.xml: " + scan.SCAN_TIME_LIMIT_UNFINISHED.format(
        limit="30", count=25, hosts="127.0.0.1, 127.0.0.2" + scan.HOSTS_MORE.format(count=23))
    assert vi.warning(interrupted) == ("lab.xml: lần quét đã hết thời gian cho phép (30 giây) và nmap đã bị dừng; 25 "
                                       "máy chưa quét xong: 127.0.0.1, 127.0.0.2 và 23 máy khác")
    assert Phrases("en").warning(expired) == expired


def test_the_report_words_the_fixture_warnings_and_reasons(english_only: set[str]) -> None:  # noqa: F811
    result: AssessmentResult = fixture()
    shown = warnings(result, "vi")
    assert shown and not english_phrases(shown, english_only)
    assert warnings(result, "en") == result.warnings
    reasons = [e.message for a in result.iter_agencies() for g in agency_view(a, result, "vi").insufficient
               for e in g.entities]
    assert reasons and not english_phrases(reasons, english_only)
    assert not any(r.endswith(": —.") for r in reasons)
