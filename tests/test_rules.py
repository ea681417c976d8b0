"""Rule operators: results, three-valued logic on missing data, type mismatches as errors, load-time checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from secassess.assessment.checklist import Condition
from secassess.assessment.partial import Between, Partial, Tally
from secassess.assessment.rules import CheckProblem, Compiler, Ctx, NotApplicable, RuleError
from secassess.inventory.model import Agency, OperatingSystem, Server, Service

AS_OF = dt.date(2026, 11, 22)


def evaluate(cond: dict[str, Any], entity: Any, facts: dict[str, Any] | None = None, kind: str = "server",
             params: dict[str, Any] | None = None, providers: frozenset[str] = frozenset()) -> bool | None:
    compiled = Compiler(kind, params or {}, frozenset({"scan", "graph"})).condition(Condition.model_validate(cond))
    agency = Agency(id="a", name="A", kind="department")
    return compiled(Ctx(entity, agency, None, facts or {}, {}, {}, AS_OF, providers), [])


def server(**extra: Any) -> Server:
    """A server stating the facts the operator tests read (role, flags, an empty service list)."""
    fields = {"role": "other", "internet_facing": False, "virtual": False, "admin_mfa": False, "services": [],
              **extra}
    return Server(hostname="h1", os=OperatingSystem(name="Linux", end_of_life=dt.date(2030, 1, 1)), **fields)


def bare() -> Server:
    """A server stating nothing but what the model requires."""
    return Server(hostname="h1", os=OperatingSystem(name="Linux"))


@pytest.mark.parametrize(("cond", "expected"), [
    ({"field": "role", "op": "equals", "value": "other"}, True),
    ({"field": "role", "op": "not_equals", "value": "web"}, True),
    ({"field": "role", "op": "in", "value": ["web", "database"]}, False),
    ({"field": "role", "op": "not_in", "value": ["web"]}, True),
    ({"field": "hostname", "op": "regex", "value": "^h[0-9]$"}, True),
    ({"field": "hostname", "op": "contains", "value": "h"}, True),
    ({"field": "last_patched", "op": "exists"}, False),
    ({"field": "last_patched", "op": "missing"}, True),
    ({"field": "os.end_of_life", "op": "after", "value": dt.date(2029, 1, 1)}, True),
    ({"field": "os.end_of_life", "op": "before", "value": dt.date(2029, 1, 1)}, False),
    ({"field": "os.end_of_life", "op": "gte", "value": dt.date(2030, 1, 1)}, True),
    ({"field": "internet_facing", "op": "is_false"}, True),
    ({"field": "internet_facing", "op": "is_true"}, False),
    ({"field": "services", "op": "count_at_least", "value": 1}, False),
    ({"field": "services", "op": "count_at_most", "value": 0}, True),
    ({"all": [{"field": "lab", "op": "is_false"}, {"any": [{"field": "virtual", "op": "is_true"},
                                                          {"none": [{"field": "admin_mfa", "op": "is_true"}]}]}]},
     True),
])
def test_operators(cond: dict[str, Any], expected: bool) -> None:
    assert evaluate(cond, server()) is expected


def test_within_days_with_field_reference() -> None:
    cond = {"field": "last_patched", "op": "within_days", "value": {"field": "facts.days_since_patch"}}
    assert evaluate(cond, server(last_patched=dt.date(2026, 11, 1)), {"days_since_patch": 21})
    assert not evaluate(cond, server(last_patched=dt.date(2026, 11, 1)), {"days_since_patch": 20})


@pytest.mark.parametrize("cond", [
    {"field": "last_patched", "op": "within_days", "value": 30},
    {"field": "role", "op": "equals", "value": "web"},
    {"field": "role", "op": "not_equals", "value": "web"},
    {"field": "role", "op": "not_in", "value": ["web"]},
    {"field": "internet_facing", "op": "is_false"},
    {"field": "status", "op": "equals", "value": "active"},
    {"field": "services", "op": "count_at_most", "value": 0},
    {"field": "services", "op": "count_at_least", "value": 0},
    {"field": "addresses", "op": "not_contains", "value": "10.0.0.1"},
    {"field": "os.end_of_life", "op": "after", "value": dt.date(2020, 1, 1)},
    {"field": "hostname", "op": "regex", "value": "^h"},  # the hostname is stated: a verdict
])
def test_missing_values_are_unknown_never_a_verdict(cond: dict[str, Any]) -> None:
    """Every operator on a value the inventory does not state answers unknown (None), however it is phrased."""
    got = evaluate(cond, bare())
    assert got is (True if cond["field"] == "hostname" else None)


def test_presence_tests_decide_on_missing_values() -> None:
    assert evaluate({"field": "last_patched", "op": "exists"}, bare()) is False
    assert evaluate({"field": "last_patched", "op": "missing"}, bare()) is True
    assert evaluate({"field": "services", "op": "exists"}, bare()) is False  # not written: not stated
    assert evaluate({"field": "services", "op": "exists"}, server(services=[Service(port=22, name="ssh")])) is True


def test_kleene_logic() -> None:
    unknown = {"field": "last_patched", "op": "within_days", "value": 30}
    true = {"field": "hostname", "op": "equals", "value": "h1"}
    false = {"field": "hostname", "op": "equals", "value": "x"}
    assert evaluate({"all": [unknown, false]}, bare()) is False
    assert evaluate({"all": [unknown, true]}, bare()) is None
    assert evaluate({"any": [unknown, true]}, bare()) is True
    assert evaluate({"any": [unknown, false]}, bare()) is None
    assert evaluate({"none": [unknown]}, bare()) is None
    assert evaluate({"none": [false]}, bare()) is True
    assert evaluate({"field": "facts.days_since_patch", "op": "lte", "value": 30}, server(),
                    {"days_since_patch": None}) is None


def test_where_counts_unknown_items_as_open() -> None:
    """count_at_most 0 of risky services: decided by a known risky one, open while one's exposure is unstated."""
    cond = {"field": "services", "op": "count_at_most", "value": 0,
            "where": {"all": [{"field": "exposure", "op": "equals", "value": "internet"},
                              {"field": "port", "op": "in", "value": [22, 3389]}]}}
    assert evaluate(cond, server(services=[Service(port=22, name="ssh", exposure="internal")])) is True
    assert evaluate(cond, server(services=[Service(port=22, name="ssh")])) is None
    assert evaluate(cond, server(services=[Service(port=443, name="https")])) is True  # port settles it
    assert evaluate(cond, server(services=[Service(port=22, name="ssh"),
                                           Service(port=3389, name="rdp", exposure="internet")])) is False


def test_values_known_in_part() -> None:
    gte = {"field": "facts.days_since_patch", "op": "gte", "value": 0.95}
    assert evaluate(gte, server(), {"days_since_patch": Between(0.96, 1.0)}) is True
    assert evaluate(gte, server(), {"days_since_patch": Between(0.2, 0.5)}) is False
    assert evaluate(gte, server(), {"days_since_patch": Between(0.5, 0.99)}) is None
    kinds = {"field": "facts.device_kinds", "op": "contains", "value": "waf"}
    agency = Agency(id="a", name="A", kind="department")
    assert evaluate(kinds, agency, {"device_kinds": Partial(("waf",), ("ips",))}, kind="agency") is True
    assert evaluate(kinds, agency, {"device_kinds": Partial(("fw",), ("waf",))}, kind="agency") is None
    assert evaluate(kinds, agency, {"device_kinds": Partial(("fw",), ("ips",))}, kind="agency") is False
    count = {"field": "facts.device_kinds", "op": "count_at_most", "value": 1}
    assert evaluate(count, agency, {"device_kinds": Partial(("fw",), ("ips",))}, kind="agency") is None
    assert evaluate(count, agency, {"device_kinds": Partial(("fw", "waf"), ("ips",))}, kind="agency") is False


def test_tally_bounds_a_share_by_what_is_not_stated() -> None:
    tally = Tally()
    tally.add(True, True, 56)
    tally.add(True, False, 84)
    tally.add(True, None, 3)
    share = tally.share()
    assert isinstance(share, Between)
    assert share.low == round(56 / 143, 4) and share.high == round(59 / 143, 4)  # below 95% whatever the 3 are
    certain = Tally()
    certain.add(True, True, 3)
    certain.add(False, False, 5)  # not in service: does not count
    assert certain.share() == 1.0


def test_type_mismatch_is_a_rule_error() -> None:
    with pytest.raises(RuleError, match="cannot compare"):
        evaluate({"field": "scan.open_ports", "op": "gte", "value": 3}, server(), {"scan.open_ports": "many"},
                 providers=frozenset({"scan"}))
    with pytest.raises(RuleError, match="expected true/false"):
        evaluate({"field": "scan.drift", "op": "is_true"}, server(), {"scan.drift": "yes"},
                 providers=frozenset({"scan"}))


def test_provider_facts_not_applicable_without_provider_and_error_when_silent() -> None:
    with pytest.raises(NotApplicable, match="no scan fact provider ran"):
        evaluate({"field": "scan.unexpected_ports", "op": "lte", "value": 0}, server())
    with pytest.raises(RuleError, match="gave no 'unexpected_ports'"):
        evaluate({"field": "scan.unexpected_ports", "op": "lte", "value": 0}, server(), providers=frozenset({"scan"}))


def test_ratio_zero_denominator_not_applicable() -> None:
    with pytest.raises(NotApplicable):
        evaluate({"field": "networked", "op": "ratio_at_least", "denominator": "networked", "value": 0.9},
                 _group(0), kind="workstation_group")
    assert evaluate({"field": "anti_malware_licensed", "op": "ratio_at_least", "denominator": "networked",
                     "value": 0.5}, _group(10, 5), kind="workstation_group")


def _group(networked: int, licensed: int = 0) -> Any:
    from secassess.inventory.model import WorkstationGroup
    return WorkstationGroup(id="g", name="G", networked=networked, anti_malware_licensed=licensed)


@pytest.mark.parametrize(("cond", "message"), [
    ({"field": "os.nope", "op": "exists"}, "has no field 'nope'"),
    ({"field": "facts.unknown", "op": "exists"}, "no fact 'unknown'"),
    ({"field": "role", "op": "equals", "value": "webserver"}, "not a possible value"),
    ({"field": "hostname", "op": "gte", "value": 3}, "does not apply"),
    ({"field": "last_patched", "op": "within_days", "value": "soon"}, "whole number"),
    ({"field": "hostname", "op": "regex", "value": "(a)\\1"}, "no back-references"),
    ({"field": "hostname", "op": "regex", "value": "("}, "invalid regex"),
    ({"field": "last_patched", "op": "within_days", "value": {"param": "nope"}}, "parameter 'nope'"),
    ({"field": "lab", "op": "is_true", "value": True}, "takes no value"),
    ({"field": "services", "op": "count_at_least", "value": 1,
      "where": {"field": "colour", "op": "exists"}}, "has no field 'colour'"),
])
def test_compile_problems(cond: dict[str, Any], message: str) -> None:
    with pytest.raises(CheckProblem, match=message):
        Compiler("server", {}, frozenset({"scan"})).condition(Condition.model_validate(cond))
