"""Rule operators: results, type mismatches as errors (not crashes), load-time checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from secassess.assessment.checklist import Condition
from secassess.assessment.rules import CheckProblem, Compiler, Ctx, NotApplicable, RuleError
from secassess.inventory.model import Agency, OperatingSystem, Server

AS_OF = dt.date(2026, 11, 22)


def evaluate(cond: dict[str, Any], entity: Any, facts: dict[str, Any] | None = None, kind: str = "server",
             params: dict[str, Any] | None = None, providers: frozenset[str] = frozenset()) -> bool:
    compiled = Compiler(kind, params or {}, frozenset({"scan", "graph"})).condition(Condition.model_validate(cond))
    agency = Agency(id="a", name="A", kind="department")
    return compiled(Ctx(entity, agency, None, facts or {}, {}, {}, AS_OF, providers), [])


def server(**extra: Any) -> Server:
    return Server(hostname="h1", os=OperatingSystem(name="Linux", end_of_life=dt.date(2030, 1, 1)), **extra)


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


def test_missing_values_fail_instead_of_passing() -> None:
    assert not evaluate({"field": "last_patched", "op": "within_days", "value": 30}, server())
    assert not evaluate({"field": "facts.days_since_patch", "op": "lte", "value": 30}, server(),
                        {"days_since_patch": None})


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
