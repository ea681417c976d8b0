"""The common shape of what `lint` and `assess` report, read by the SARIF/JUnit/GitHub/text formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from secassess.errors import SourcePos


class Severity(StrEnum):
    """How bad a finding is; ordered from worst to mildest."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info, so `a.rank >= b.rank` means "at least as bad"."""
        return _RANKS[self]


_RANKS = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


class Outcome(StrEnum):
    """The result of one check on one entity."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"
    WAIVED = "waived"
    INSUFFICIENT_DATA = "insufficient_data"
    """A fact the check needs is not in the inventory: no verdict, and it counts as a failure in the score."""

    @property
    def counts_against(self) -> bool:
        """Failed, errored or undecidable for lack of data: what scores, exit codes and dashboards report."""
        return self in _AGAINST


_AGAINST = frozenset({Outcome.FAIL, Outcome.ERROR, Outcome.INSUFFICIENT_DATA})


@dataclass(frozen=True, slots=True)
class Rule:
    """What a diagnostic's `rule_id` means (a lint rule or a check)."""

    id: str
    title: str
    severity: Severity
    description: str = ""
    remediation: str = ""
    help_uri: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One rule applied to one place: a lint problem, or a check's result on an entity."""

    rule_id: str
    severity: Severity
    outcome: Outcome
    message: str
    location: SourcePos | None = None
    entity: str = ""
    """A stable name of what was checked, e.g. `agency:stttt/server:web01`; for lint, the path of the
    offending value (`agencies[id=stttt].servers[hostname=web01].zone`), empty where the file does not parse."""
    group: str = ""
    """How formats group results (JUnit test suite): an agency id, or the input file."""
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DiagnosticReport:
    """Everything one command run reports, ready for any output format."""

    command: str
    inputs: tuple[str, ...]
    rules: tuple[Rule, ...]
    diagnostics: tuple[Diagnostic, ...]
    tool_version: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """What the run could not do fully (an interrupted scan...): no rule's result, but the user must see it."""

    def failures(self) -> tuple[Diagnostic, ...]:
        """Diagnostics that count against the input (failed, errored, or lacking the data to judge)."""
        return tuple(d for d in self.diagnostics if d.outcome.counts_against)
