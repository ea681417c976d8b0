"""All graph rules over one built graph: facts per entity for the checklists, and findings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from secassess.graph.findings import Finding
from secassess.graph.model import DEFAULT_POLICY, FilterPolicy, NetworkGraph
from secassess.graph.rules import Output, crossagency, exposure, protection, spof, users, zoning

RULES: tuple[Callable[[NetworkGraph, FilterPolicy], Output], ...] = (
    zoning.run, exposure.run, users.run, crossagency.run, spof.run, protection.run)


@dataclass(frozen=True)
class GraphAnalysis:
    """Facts (entity name -> {"graph.<name>": value}) and findings, sorted by agency, kind, entity."""

    facts: Mapping[str, Mapping[str, Any]]
    findings: tuple[Finding, ...]


def analyse(graph: NetworkGraph, policy: FilterPolicy = DEFAULT_POLICY) -> GraphAnalysis:
    """Run every rule; reachability is computed per zone (hosts inherit it), never per host."""
    facts: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    for rule in RULES:
        rule_facts, rule_findings = rule(graph, policy)
        for entity, values in rule_facts.items():
            facts.setdefault(entity, {}).update(values)
        findings.extend(rule_findings)
    findings.sort(key=lambda f: (f.agency or "", f.kind, f.entity, f.message))
    return GraphAnalysis(facts, tuple(findings))
