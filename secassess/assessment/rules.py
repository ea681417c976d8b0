"""Rule operators, and the compiler turning a checklist condition into one closure.

Compilation does all parsing up front (field paths resolved and checked against the model,
parameters substituted, regexes precompiled), so evaluating a rule on an entity is a few attribute
reads and one comparison. A compiled condition is `f(ctx, evidence) -> bool`; it appends what it
read to `evidence`, raises `RuleError` (outcome `error`) on values it cannot compare, and
`NotApplicable` when the data it needs cannot exist (no provider ran, no owning agency, 0/0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from secassess.assessment.checklist import Condition, FieldRef, ParamRef
from secassess.assessment.fields import ANY, FieldSpec, PathError, Resolved, resolve, resolve_model_path
from secassess.linear_regex import LinearRegex, RegexError, compile_linear

Record = tuple[str, Any, Any, "str | None", "bool | None", str]
"""Evidence of one read: path, value, model read from, attribute, rule met (None: a reference), expectation."""
Evidence = list[Record]
Getter = Callable[["Ctx"], tuple[Any, Any, "str | None"]]
Compiled = Callable[["Ctx", Evidence], bool]

MAX_REGEX = 200
MAX_REGEX_INPUT = 1000


class RuleError(Exception):
    """A value a rule cannot work with (wrong type): the outcome is `error`, with this message."""


class NotApplicable(Exception):
    """The rule cannot apply to this entity (needed data cannot exist); outcome `not_applicable`."""


class CheckProblem(Exception):
    """A checklist mistake found while compiling; `model` and `key` place it in the file."""

    def __init__(self, model: BaseModel, key: str | None, message: str) -> None:
        super().__init__(message)
        self.model, self.key, self.message = model, key, message


class Ctx:
    """One entity as rules see it; built once per entity."""

    __slots__ = ("agency", "agency_facts", "as_of", "entity", "facts", "organisation", "organisation_facts",
                 "providers")

    def __init__(self, entity: Any, agency: Any, organisation: Any, facts: Mapping[str, Any],
                 agency_facts: Mapping[str, Any], organisation_facts: Mapping[str, Any], as_of: dt.date,
                 providers: frozenset[str]) -> None:
        self.entity, self.agency, self.organisation = entity, agency, organisation
        self.facts, self.agency_facts, self.organisation_facts = facts, agency_facts, organisation_facts
        self.as_of, self.providers = as_of, providers

    def item(self, model: Any) -> Ctx:
        """The context for one item of a list (for `where`)."""
        return Ctx(model, self.agency, self.organisation, {}, self.agency_facts, self.organisation_facts,
                   self.as_of, self.providers)


# --- getters -----------------------------------------------------------------------------------


def _walk(start: Callable[[Ctx], Any], attrs: tuple[str, ...]) -> Getter:
    if len(attrs) == 1:
        only = attrs[0]

        def get_one(ctx: Ctx) -> tuple[Any, Any, str | None]:
            obj = start(ctx)
            return getattr(obj, only), obj, only
        return get_one

    def get(ctx: Ctx) -> tuple[Any, Any, str | None]:
        obj = owner = start(ctx)
        attr = None
        for attr in attrs:
            if obj is None:
                return None, owner, attr
            owner = obj
            obj = getattr(obj, attr)
        return obj, owner, attr
    return get


def _agency(ctx: Ctx) -> Any:
    if ctx.agency is None:
        raise NotApplicable("the rule reads the owning agency, and this entity has none")
    return ctx.agency


def _facts_getter(table: str, owner: str, name: str) -> Getter:
    def get(ctx: Ctx) -> tuple[Any, Any, str | None]:
        facts: Mapping[str, Any] = getattr(ctx, table)
        return facts.get(name), getattr(ctx, owner), None
    return get


def _provider_getter(key: str) -> Getter:
    namespace, name = key.split(".", 1)

    def get(ctx: Ctx) -> tuple[Any, Any, str | None]:
        if namespace not in ctx.providers:
            raise NotApplicable(f"needs {namespace}.* facts, and no {namespace} fact provider ran")
        if key not in ctx.facts:
            raise RuleError(f"the {namespace} fact provider gave no '{name}' for this entity")
        return ctx.facts[key], ctx.entity, None
    return get


def getter(res: Resolved) -> Getter:
    """A closure reading a resolved path from a context."""
    if res.root == "entity":
        return _walk(lambda ctx: ctx.entity, res.attrs)
    if res.root == "agency":
        return _walk(_agency, res.attrs)
    if res.root == "organisation":
        return _walk(lambda ctx: ctx.organisation, res.attrs)
    if res.root == "facts":
        return _facts_getter("facts", "entity", res.attrs[0])
    if res.root == "agency_facts":
        def agency_facts(ctx: Ctx) -> tuple[Any, Any, str | None]:
            _agency(ctx)
            return ctx.agency_facts.get(res.attrs[0]), ctx.agency, None
        return agency_facts
    if res.root == "organisation_facts":
        return _facts_getter("organisation_facts", "organisation", res.attrs[0])
    return _provider_getter(res.attrs[0])


# --- operators ---------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ordered(value: Any, expected: Any, text: str) -> None:
    ok = (_is_number(value) and _is_number(expected)) or (isinstance(value, dt.date) and isinstance(expected, dt.date))
    if not ok:
        raise RuleError(f"{text}: cannot compare {type(value).__name__} {value!r} with "
                        f"{type(expected).__name__} {expected!r}")


def _bool(value: Any, text: str) -> bool:
    if not isinstance(value, bool):
        raise RuleError(f"{text}: expected true/false, got {type(value).__name__} {value!r}")
    return value


def _date(value: Any, text: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise RuleError(f"{text}: expected a date, got {type(value).__name__} {value!r}")
    return value


def _list(value: Any, text: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise RuleError(f"{text}: expected a list, got {type(value).__name__} {value!r}")
    return list(value)


def _compare(op: str) -> Callable[[Any, Any, str, Ctx], bool]:
    def test(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
        if value is None or expected is None:
            return False
        _ordered(value, expected, text)
        if op == "gte":
            return bool(value >= expected)
        if op == "lte":
            return bool(value <= expected)
        if op == "gt":
            return bool(value > expected)
        return bool(value < expected)
    return test


def _dates(op: str) -> Callable[[Any, Any, str, Ctx], bool]:
    def test(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
        if value is None or expected is None:
            return False
        first, second = _date(value, text), _date(expected, text)
        if op == "before":
            return first < second
        if op == "after":
            return first > second
        if op == "on_or_before":
            return first <= second
        return first >= second
    return test


def _within_days(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    if value is None or expected is None:
        return False
    if not _is_number(expected):
        raise RuleError(f"{text}: the number of days is {expected!r}, not a number")
    return bool((ctx.as_of - _date(value, text)).days <= expected)


def _equals(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return bool(value == expected)


def _not_equals(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return bool(value != expected)


def _in(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value in expected


def _not_in(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value not in expected


def _contains(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        if not isinstance(expected, str):
            raise RuleError(f"{text}: a text cannot contain {expected!r}")
        return expected in value
    return expected in _list(value, text)


def _not_contains(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value is None or not _contains(value, expected, text, ctx)


def _exists(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value is not None and value != [] and value != ""


def _missing(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return not _exists(value, expected, text, ctx)


def _is_true(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value is not None and _bool(value, text)


def _is_false(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
    return value is not None and not _bool(value, text)


def _regex(pattern: LinearRegex) -> Callable[[Any, Any, str, Ctx], bool]:
    def test(value: Any, expected: Any, text: str, ctx: Ctx) -> bool:
        if value is None:
            return False
        if not isinstance(value, str):
            raise RuleError(f"{text}: regex needs text, got {type(value).__name__} {value!r}")
        return pattern.search(value[:MAX_REGEX_INPUT])
    return test


_SIMPLE: dict[str, tuple[Callable[[Any, Any, str, Ctx], bool], str]] = {
    "equals": (_equals, "= {}"), "not_equals": (_not_equals, "≠ {}"), "in": (_in, "one of {}"),
    "not_in": (_not_in, "none of {}"), "contains": (_contains, "contains {}"),
    "not_contains": (_not_contains, "does not contain {}"),
    "exists": (_exists, "present"), "missing": (_missing, "absent"),
    "gte": (_compare("gte"), "≥ {}"), "lte": (_compare("lte"), "≤ {}"), "gt": (_compare("gt"), "> {}"),
    "lt": (_compare("lt"), "< {}"), "within_days": (_within_days, "within {} days of as-of"),
    "before": (_dates("before"), "before {}"), "after": (_dates("after"), "after {}"),
    "on_or_before": (_dates("on_or_before"), "on or before {}"),
    "on_or_after": (_dates("on_or_after"), "on or after {}"),
    "is_true": (_is_true, "true"), "is_false": (_is_false, "false"),
}
_NO_VALUE = frozenset({"exists", "missing", "is_true", "is_false"})
_ORDERED = frozenset({"gte", "lte", "gt", "lt"})
_DATE_OPS = frozenset({"before", "after", "on_or_before", "on_or_after"})
_KIND_OF_OP: dict[str, frozenset[str]] = {
    **dict.fromkeys(_ORDERED, frozenset({"number", "date", "any"})),
    **dict.fromkeys(_DATE_OPS, frozenset({"date", "any"})),
    "within_days": frozenset({"date", "any"}),
    "is_true": frozenset({"bool", "any"}), "is_false": frozenset({"bool", "any"}),
    "contains": frozenset({"list", "str", "any"}), "not_contains": frozenset({"list", "str", "any"}),
    "regex": frozenset({"str", "enum", "any"}),
    "count_at_least": frozenset({"list", "any"}), "count_at_most": frozenset({"list", "any"}),
    "ratio_at_least": frozenset({"number", "any"}),
}


# --- the compiler ------------------------------------------------------------------------------


class Compiler:
    """Compiles conditions for one entity kind under one profile's parameters."""

    def __init__(self, kind: str, params: Mapping[str, Any], namespaces: frozenset[str]) -> None:
        self.kind, self.params, self.namespaces = kind, params, namespaces

    def condition(self, cond: Condition, item_model: type[BaseModel] | None = None) -> Compiled:
        """Compile a combinator or a rule (for `where`, against the list's record class)."""
        for name in ("all", "any", "none"):
            parts = getattr(cond, name)
            if parts is not None:
                if not parts:
                    raise CheckProblem(cond, name, f"'{name}' needs at least one condition")
                return _combine(name, [self.condition(p, item_model) for p in parts])
        return self.rule(cond, item_model)

    def path(self, cond: BaseModel, key: str, text: str, item_model: type[BaseModel] | None) -> Resolved:
        try:
            if item_model is not None:
                attrs, spec = resolve_model_path(item_model, text.split("."), text)
                return Resolved("entity", attrs, spec, text)
            return resolve(self.kind, text, self.namespaces)
        except PathError as exc:
            where = f" of {item_model.__name__} items" if item_model else f" on a {self.kind}"
            raise CheckProblem(cond, key, f"unknown field path{where}: {exc}") from None

    def value(self, cond: Condition, item_model: type[BaseModel] | None) -> tuple[Any, Getter | None, str]:
        """A literal (params substituted) or a getter for a field reference, and how to show it."""
        value = cond.value
        if isinstance(value, ParamRef):
            if value.param not in self.params:
                raise CheckProblem(cond, "value", f"parameter '{value.param}' is not set by the profile "
                                                  f"(it sets: {', '.join(sorted(self.params)) or 'none'})")
            return self.params[value.param], None, f"{self.params[value.param]} ({value.param})"
        if isinstance(value, FieldRef):
            res = self.path(cond, "value", value.field, item_model)
            return None, getter(res), value.field
        return value, None, _show(value)

    def rule(self, cond: Condition, item_model: type[BaseModel] | None) -> Compiled:
        assert cond.field is not None
        assert cond.op is not None
        op, text = cond.op, cond.field
        res = self.path(cond, "field", text, item_model)
        allowed = _KIND_OF_OP.get(op)
        if allowed is not None and res.spec.kind not in allowed:
            raise CheckProblem(cond, "op", f"'{op}' does not apply to '{text}', which holds a {res.spec.kind}")
        if op in _NO_VALUE:
            if cond.value is not None:
                raise CheckProblem(cond, "value", f"'{op}' takes no value")
            expected, ref, shown = None, None, ""
        else:
            if cond.value is None:
                raise CheckProblem(cond, "op", f"'{op}' needs a value")
            expected, ref, shown = self.value(cond, item_model)
            if ref is None:
                expected = self.literal(cond, op, res.spec, expected)
        get = getter(res)
        if op == "ratio_at_least":
            return self.ratio(cond, res, get, expected, ref, shown, item_model)
        if op in ("count_at_least", "count_at_most"):
            return self.count(cond, res, get, expected, shown)
        if cond.where is not None or cond.denominator is not None:
            raise CheckProblem(cond, "where" if cond.where is not None else "denominator",
                               f"'{op}' takes no 'where' or 'denominator'")
        if op == "regex":
            test = _regex(self.regex(cond, expected))
            expect = f"matches /{expected}/"
        else:
            test, template = _SIMPLE[op]
            expect = template.format(shown)
        return _leaf(text, get, test, expected, ref, expect, cond.value.field if isinstance(cond.value, FieldRef)
                     else "")

    def literal(self, cond: Condition, op: str, spec: FieldSpec, value: Any) -> Any:
        """Check a literal value against the op and the field's kind; sets for in/not_in."""
        def bad(why: str) -> CheckProblem:
            return CheckProblem(cond, "value", f"'{op}' on '{cond.field}': {why}")
        if op in ("in", "not_in"):
            if not isinstance(value, list):
                raise bad("the value must be a list")
            for item in value:
                self.member(cond, spec, item)
            return frozenset(value)
        if isinstance(value, list):
            raise bad("the value must be a single value, not a list")
        if op in _ORDERED or op == "ratio_at_least":
            is_date = isinstance(value, dt.date)
            if not (_is_number(value) or is_date) or (spec.kind == "number" and is_date) or \
                    (spec.kind == "date" and not is_date):
                raise bad(f"{value!r} is not a {'date' if spec.kind == 'date' else 'number'}")
        elif op in ("within_days", "count_at_least", "count_at_most"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise bad(f"{value!r} is not a whole number of {'days' if op == 'within_days' else 'items'}")
        elif op in _DATE_OPS:
            if not isinstance(value, dt.date):
                raise bad(f"{value!r} is not a date (YYYY-MM-DD)")
        elif op == "regex":
            if not isinstance(value, str):
                raise bad("the pattern must be text")
        elif op in ("equals", "not_equals"):
            self.member(cond, spec, value)
        elif op in ("contains", "not_contains") and spec.item is not None:
            self.member(cond, spec.item, value)
        return value

    def member(self, cond: Condition, spec: FieldSpec, value: Any) -> None:
        if spec.kind == "enum" and str(value) not in spec.values:
            raise CheckProblem(cond, "value", f"'{value}' is not a possible value of '{cond.field}' "
                                              f"(one of: {', '.join(sorted(spec.values))})")
        if spec.kind == "bool" and not isinstance(value, bool):
            raise CheckProblem(cond, "value", f"'{cond.field}' is true/false, not {value!r}")
        if spec.kind == "number" and not _is_number(value):
            raise CheckProblem(cond, "value", f"'{cond.field}' is a number, not {value!r}")

    def regex(self, cond: Condition, pattern: Any) -> LinearRegex:
        """A user's pattern, compiled for a linear-time engine (no pattern can make matching run away)."""
        if len(pattern) > MAX_REGEX:
            raise CheckProblem(cond, "value", f"regex longer than {MAX_REGEX} characters")
        try:
            return compile_linear(pattern)
        except RegexError as exc:
            raise CheckProblem(cond, "value", f"invalid regex: {exc}") from None

    def ratio(self, cond: Condition, res: Resolved, get: Getter, expected: Any, ref: Getter | None, shown: str,
              item_model: type[BaseModel] | None) -> Compiled:
        if cond.denominator is None:
            raise CheckProblem(cond, "op", "'ratio_at_least' needs a 'denominator' field")
        den = self.path(cond, "denominator", cond.denominator, item_model)
        if den.spec.kind not in ("number", "any"):
            raise CheckProblem(cond, "denominator", f"'{cond.denominator}' holds a {den.spec.kind}, not a number")
        get_den, text, den_text = getter(den), res.text, den.text
        expect = f"{text}/{den_text} ≥ {shown}"

        def ratio(ctx: Ctx, evidence: Evidence) -> bool:
            num, owner, attr = get(ctx)
            whole, den_owner, den_attr = get_den(ctx)
            threshold = expected if ref is None else _ref(ref, ctx, evidence, shown)
            evidence.append((den_text, whole, den_owner, den_attr, None, "denominator"))
            if num is None or whole is None:
                evidence.append((text, num, owner, attr, False, expect))
                return False
            if not (_is_number(num) and _is_number(whole) and _is_number(threshold)):
                raise RuleError(f"{text}/{den_text}: not numbers ({num!r}, {whole!r})")
            if whole == 0:
                raise NotApplicable(f"{den_text} is 0: nothing to cover")
            ok = bool(num / whole >= threshold)
            evidence.append((text, num, owner, attr, ok, expect))
            return ok
        return ratio

    def count(self, cond: Condition, res: Resolved, get: Getter, expected: Any, shown: str) -> Compiled:
        if cond.denominator is not None:
            raise CheckProblem(cond, "denominator", "only 'ratio_at_least' takes a 'denominator'")
        where: Compiled | None = None
        if cond.where is not None:
            if res.spec.model is None:
                raise CheckProblem(cond, "where", f"'where' filters a list of records; '{res.text}' is not one")
            where = self.condition(cond.where, res.spec.model)
        at_least, text = cond.op == "count_at_least", res.text
        expect = f"{'at least' if at_least else 'at most'} {shown} items" + (" matching 'where'" if where else "")

        def count(ctx: Ctx, evidence: Evidence) -> bool:
            value, owner, attr = get(ctx)
            items = [] if value is None else _list(value, text)
            if where is not None:
                scratch: Evidence = []
                n = sum(1 for item in items if where(ctx.item(item), scratch))
            else:
                n = len(items)
            ok = bool(n >= expected if at_least else n <= expected)
            evidence.append((text + (" (matching)" if where else " (count)"), n, owner, attr, ok, expect))
            return ok
        return count


def _ref(ref: Getter, ctx: Ctx, evidence: Evidence, text: str) -> Any:
    value, owner, attr = ref(ctx)
    evidence.append((text, value, owner, attr, None, "reference"))
    return value


def _leaf(text: str, get: Getter, test: Callable[[Any, Any, str, Ctx], bool], expected: Any, ref: Getter | None,
          expect: str, ref_text: str) -> Compiled:
    def leaf(ctx: Ctx, evidence: Evidence) -> bool:
        value, owner, attr = get(ctx)
        other = expected if ref is None else _ref(ref, ctx, evidence, ref_text)
        try:
            ok = test(value, other, text, ctx)
        except TypeError as exc:
            raise RuleError(f"{text}: {exc}") from None
        evidence.append((text, value, owner, attr, ok, expect))
        return ok
    return leaf


def _combine(name: str, parts: list[Compiled]) -> Compiled:
    if name == "all":
        def all_of(ctx: Ctx, evidence: Evidence) -> bool:
            return all(part(ctx, evidence) for part in parts)
        return all_of
    if name == "any":
        def any_of(ctx: Ctx, evidence: Evidence) -> bool:
            return any(part(ctx, evidence) for part in parts)
        return any_of

    def none_of(ctx: Ctx, evidence: Evidence) -> bool:
        return not any(part(ctx, evidence) for part in parts)
    return none_of


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["ANY", "CheckProblem", "Compiled", "Compiler", "Ctx", "Evidence", "Getter", "NotApplicable", "RuleError",
           "getter"]
