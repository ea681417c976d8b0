"""The schema of checklist, source, profile and waiver files (validated strictly, positions kept)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from secassess.assessment.result import MAX_WEIGHT
from secassess.diagnostics import Severity
from secassess.inventory.model import Model, Text
from secassess.yamlsafe import POS_KEY

CheckId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{2,62}$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{1,62}$")]
ProfileId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,30}$")]
ParamName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]

EntityKind = Literal["organisation", "agency", "system", "server", "workstation_group", "workstation",
                     "security_device", "zone_link"]
ENTITY_KINDS: tuple[str, ...] = ("organisation", "agency", "system", "server", "workstation_group",
                                 "workstation", "security_device", "zone_link")
Domain = Literal["network", "server", "endpoint", "application", "data", "governance", "monitoring",
                 "assessment", "incident_response", "national_connection"]
Op = Literal["equals", "not_equals", "in", "not_in", "contains", "not_contains", "regex", "exists", "missing",
             "gte", "lte", "gt", "lt", "within_days", "before", "after", "on_or_before", "on_or_after",
             "ratio_at_least", "is_true", "is_false", "count_at_least", "count_at_most"]


class Localized(Model):
    """A text in Vietnamese and English."""

    vi: LongText
    en: LongText


class Reference(Model):
    document: SourceId = Field(alias="source")
    """The source id (YAML key `source`)."""
    article: Text | None = None


class ParamRef(Model):
    """`{param: name}`: a profile parameter, resolved when the check is compiled for a profile."""

    param: ParamName


class FieldRef(Model):
    """`{field: path}`: another field (or fact) of the same entity, read at evaluation."""

    field: Annotated[str, StringConstraints(min_length=1, max_length=200)]


Scalar = bool | int | float | dt.date | str
Value = ParamRef | FieldRef | Scalar | list[Scalar]


class Condition(Model):
    """Either a combinator (`all`, `any`, `none` over conditions) or a rule (`field`, `op`, `value`)."""

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    none: list[Condition] | None = None
    field: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    op: Op | None = None
    value: Value | None = None
    denominator: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    """For `ratio_at_least`: the field divided into `field`."""
    where: Condition | None = None
    """For `count_at_least`/`count_at_most` over a list of records: only items meeting this count."""

    @model_validator(mode="before")
    @classmethod
    def _one_form(cls, data: Any) -> Any:
        if isinstance(data, dict):
            forms = [k for k in ("all", "any", "none", "field") if k in data]
            if len(forms) != 1:
                raise ValueError("a condition is exactly one of 'all', 'any', 'none' (a list of conditions) "
                                 "or a rule with 'field' and 'op'")
            if "field" in data and "op" not in data:
                raise ValueError("a rule needs 'op'")
            if "field" not in data and any(k in data for k in ("op", "value", "denominator", "where")):
                raise ValueError("'op', 'value', 'denominator' and 'where' belong to a rule with 'field'")
        return data


class Check(Model):
    id: CheckId
    title: Localized
    rationale: LongText
    remediation: Localized
    severity: Severity
    layer: Annotated[int, Field(ge=1, le=4)] | None = None
    domain: Domain | None = None
    entity: EntityKind
    references: list[Reference] = Field(min_length=1)
    when: Condition | None = None
    condition: Condition
    evidence: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(default_factory=list)
    """Field paths shown with the finding besides what the condition reads (e.g. the offending path)."""

    @model_validator(mode="after")
    def _layer_or_domain(self) -> Check:
        if self.layer is None and self.domain is None:
            raise ValueError("give the check a 'layer' (1-4) or a 'domain'")
        return self


class ChecklistFile(Model):
    checklist: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
    title: Localized
    profiles: list[ProfileId] | None = None
    """Profiles whose runs include these checks; default: every profile (user checklists only)."""
    checks: list[Check] = Field(min_length=1)


class Source(Model):
    id: SourceId
    title: LongText
    """The English title."""
    title_vi: LongText | None = None
    """The Vietnamese title (Vietnamese reports cite the source by it)."""
    issued: dt.date | None = None
    in_force: dt.date | None = None
    verified: bool = True
    note: LongText | None = None


class SourcesFile(Model):
    sources: list[Source] = Field(min_length=1)


class Requirement(Model):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    title: Localized
    citation: Reference
    checks: list[CheckId] = Field(min_length=1)


ParamValue = int | float | bool | str | dt.date


class Parameter(Model):
    """A profile figure and where it comes from: a rule (`source`, `article`) or, failing that, the
    province's own choice (`province_default`: why this number, since no rule sets one).

    Findings of checks that use a parameter with no rule source say so.
    """

    value: ParamValue
    document: SourceId | None = Field(default=None, alias="source")
    article: Text | None = None
    province_default: Localized | LongText | None = None
    """Why the province chose this number (no rule sets it), in Vietnamese and English (`{vi, en}`; a plain
    text is English only, and Vietnamese reports then show it as it is)."""

    def default_reason(self) -> tuple[str, str] | None:
        """(English, Vietnamese) reason of a province default; None for a parameter a rule sets."""
        reason = self.province_default
        if reason is None:
            return None
        return (reason.en, reason.vi) if isinstance(reason, Localized) else (reason, "")

    @model_validator(mode="after")
    def _one_origin(self) -> Parameter:
        check_origin(self.document, self.article, self.province_default, "the parameter", "this number")
        return self


def check_origin(document: str | None, article: str | None, province_default: object, what: str,
                 numbers: str) -> None:
    """A figure comes from a rule (`source`, maybe `article`) or is the province's choice with its reason."""
    if (document is None) == (province_default is None):
        raise ValueError(f"give {what} either a 'source' (the rule it comes from) or a "
                         f"'province_default' (why {numbers}, since no rule sets it), not both")
    if article is not None and document is None:
        raise ValueError("'article' belongs with 'source'")


class SeverityWeights(Model):
    """The weight of each severity in a score."""

    critical: int = Field(ge=0, le=MAX_WEIGHT)
    high: int = Field(ge=0, le=MAX_WEIGHT)
    medium: int = Field(ge=0, le=MAX_WEIGHT)
    low: int = Field(ge=0, le=MAX_WEIGHT)
    info: int = Field(ge=0, le=MAX_WEIGHT)


class RatingFloors(Model):
    """The lowest score of each rating (below `average`: yếu / weak)."""

    good: float = Field(gt=0, le=100)
    fair: float = Field(gt=0, le=100)
    average: float = Field(gt=0, le=100)


class Scoring(Model):
    """A profile's scale (docs/scoring.md): weights, rating floors, the critical cap, and where they come from:
    a rule (`source`, `article`) or the province's own choice (`province_default`: why)."""

    weights: SeverityWeights
    ratings: RatingFloors
    critical_cap: Literal["good", "fair", "average", "weak"] | None
    """The best rating with an open critical finding (null: no cap)."""
    document: SourceId | None = Field(default=None, alias="source")
    article: Text | None = None
    province_default: Localized | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Scoring:
        r = self.ratings
        if not r.good > r.fair > r.average:
            raise ValueError("ratings: the floors must fall from good to fair to average "
                             f"(given {r.good}, {r.fair}, {r.average})")
        if not any(self.weights.model_dump().values()):
            raise ValueError("weights: at least one severity must weigh more than 0")
        check_origin(self.document, self.article, self.province_default, "the scale", "these numbers")
        return self


class Transition(Model):
    """A new rule set's grace period for systems approved under the old one (Law 116 Art. 45.1).

    A check of one of `requirements` that fails on an entity whose systems were all approved before
    `approved_before` is *due by* `due`, not failed, while the as-of date is before `due` and the
    same check under `from_profile` passes or does not apply there (a measure only the new rules add).
    """

    from_profile: ProfileId
    approved_before: dt.date
    due: dt.date
    citation: Reference
    requirements: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]] = \
        Field(min_length=1)


class ProfileFile(Model):
    profile: ProfileId
    title: Localized
    description: LongText | None = None
    parameters: dict[ParamName, Parameter] = Field(default_factory=dict)
    requirements: list[Requirement] = Field(min_length=1)
    transition: Transition | None = None
    scoring: Scoring | None = None
    """The scale; absent: the built-in one (the shipped profiles' numbers, a province default)."""

    @field_validator("parameters", mode="before")
    @classmethod
    def _drop_positions(cls, value: Any) -> Any:
        return {k: v for k, v in value.items() if k != POS_KEY} if isinstance(value, dict) else value


class Waiver(Model):
    check: CheckId
    entity: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    """The stable entity name, e.g. `agency:so-ytte/server:web01.soytte.gov.vn`."""
    reason: LongText
    approver: Text
    expires: dt.date


class WaiversFile(Model):
    waivers: list[Waiver] = Field(default_factory=list)
