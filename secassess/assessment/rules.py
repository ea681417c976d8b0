"""Rule operators, and the compiler turning a checklist condition into one closure.

Compilation does all parsing up front (field paths resolved and checked against the model,
parameters substituted, regexes precompiled), so evaluating a rule on an entity is a few attribute
reads and one comparison. A compiled condition is `f(ctx, evidence) -> True | False | None`: three
values, None meaning *unknown* because a value it needs is not stated. It appends what it read to
`evidence`, raises `RuleError` (outcome `error`) on values it cannot compare, and `NotApplicable`
when the data it needs cannot exist (no provider ran, no owning agency, 0/0).

Unknown is never guessed away: every operator on a missing value (None, or a list the inventory
does not write) answers unknown, except the presence tests `exists` / `missing`, whose very question
is whether the value is written. A fact known only in part (`partial.Between`, `partial.Partial`)
gives a verdict when its certain part decides it. `all`, `any` and `none` combine with Kleene's
logic: `all` is false if any part is false, true if all are true, else unknown; `any` the dual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from secassess.assessment.checklist import Condition, FieldRef, ParamRef
from secassess.assessment.fields import ANY, FieldSpec, PathError, Resolved, fact_params, resolve, resolve_model_path
from secassess.assessment.partial import Between, Partial, Unknown
from secassess.linear_regex import LinearRegex, RegexError, compile_linear

Record = tuple[str, Any, Any, "str | None", "bool | None", str]
"""Evidence of one read: path, value, model read from, attribute, rule met (None: a reference, or unknown),
expectation."""
Evidence = list[Record]
Getter = Callable[["Ctx"], tuple[Any, Any, "str | None"]]
Verdict = bool | None
"""True, False, or None: unknown for lack of data."""
Compiled = Callable[["Ctx", Evidence], Verdict]
PRESENCE_OPS = frozenset({"exists", "missing"})
"""Operators that ask whether a value is written: the only ones with a verdict on a missing value."""
NOT_STATED = "not stated"
"""The expectation text of an evidence record naming a value the inventory does not write."""

MAX_REGEX = 200
MAX_REGEX_INPUT = 1000


class RuleError(Exception):
    """A value a rule cannot work with (wrong type): the outcome is `error`, with this message (one of
    `RULE_ERRORS`, which reports read back to word them in their language)."""


CANNOT_EVALUATE = "cannot evaluate: "
"""How the message of an `error` finding begins (the RuleError's text follows)."""
NO_PROVIDED_FACT = "the {namespace} fact provider gave no '{name}' for this entity"
CANNOT_COMPARE = "{field}: cannot compare {value} with {expected}"
NOT_BOOL = "{field}: expected true/false, got {value}"
NOT_DATE = "{field}: expected a date, got {value}"
NOT_LIST = "{field}: expected a list, got {value}"
DAYS_NOT_NUMBER = "{field}: the number of days is {expected}, not a number"
TEXT_CANNOT_CONTAIN = "{field}: a text cannot contain {expected}"
REGEX_NEEDS_TEXT = "{field}: regex needs text, got {value}"
RATIO_NOT_NUMBERS = "{field}/{denominator}: not numbers ({value}, {expected})"
TYPE_MISMATCH = "{field}: {detail}"
"""Python's own words on a comparison of values of different types (the last resort)."""
RULE_ERRORS = (NO_PROVIDED_FACT, CANNOT_COMPARE, NOT_BOOL, NOT_DATE, NOT_LIST, DAYS_NOT_NUMBER, TEXT_CANNOT_CONTAIN,
               REGEX_NEEDS_TEXT, RATIO_NOT_NUMBERS, TYPE_MISMATCH)


def _typed(value: Any) -> str:
    """A value as errors show it: its type and its repr (`str 'abc'`)."""
    return f"{type(value).__name__} {value!r}"


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


def read(model: Any, attr: str) -> Any:
    """A model's attribute as rules see it: a list the inventory does not write is None (not stated)."""
    value = getattr(model, attr)
    if isinstance(value, list) and isinstance(model, BaseModel) and attr not in model.model_fields_set:
        return None
    return value


def _walk(start: Callable[[Ctx], Any], attrs: tuple[str, ...]) -> Getter:
    if len(attrs) == 1:
        only = attrs[0]

        def get_one(ctx: Ctx) -> tuple[Any, Any, str | None]:
            obj = start(ctx)
            return read(obj, only), obj, only
        return get_one

    def get(ctx: Ctx) -> tuple[Any, Any, str | None]:
        obj = owner = start(ctx)
        attr = None
        for attr in attrs:
            if obj is None:
                return None, owner, attr
            owner = obj
            obj = read(obj, attr)
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
            raise RuleError(NO_PROVIDED_FACT.format(namespace=namespace, name=name))
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
        raise RuleError(CANNOT_COMPARE.format(field=text, value=_typed(value), expected=_typed(expected)))


def _bool(value: Any, text: str) -> bool:
    if not isinstance(value, bool):
        raise RuleError(NOT_BOOL.format(field=text, value=_typed(value)))
    return value


def _date(value: Any, text: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise RuleError(NOT_DATE.format(field=text, value=_typed(value)))
    return value


def _list(value: Any, text: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise RuleError(NOT_LIST.format(field=text, value=_typed(value)))
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
        raise RuleError(DAYS_NOT_NUMBER.format(field=text, expected=repr(expected)))
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
            raise RuleError(TEXT_CANNOT_CONTAIN.format(field=text, expected=repr(expected)))
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
            raise RuleError(REGEX_NEEDS_TEXT.format(field=text, value=_typed(value)))
        return pattern.search(value[:MAX_REGEX_INPUT])
    return test


def _bounded(op: str, value: Between, expected: Any) -> Verdict:
    """An ordered comparison of a number known within bounds: decided when both bounds agree."""
    if not _is_number(expected):
        return None
    low, high = value.low, value.high
    if op == "gte":
        return True if low >= expected else (False if high < expected else None)
    if op == "lte":
        return True if high <= expected else (False if low > expected else None)
    if op == "gt":
        return True if low > expected else (False if high <= expected else None)
    if op == "lt":
        return True if high < expected else (False if low >= expected else None)
    return None


def _partial(op: str, value: Partial, expected: Any) -> Verdict:
    """Membership in a list known in part: decided when the certain items (or all possible ones) settle it."""
    if op in ("contains", "not_contains"):
        found: Verdict = True if expected in value.known else (None if expected in value.maybe else False)
        return found if op == "contains" or found is None else not found
    return None


def uncertain(op: str, value: Any, expected: Any) -> Verdict:
    """The verdict of `op` on a value known only in part (`Between`, `Partial`)."""
    if isinstance(value, Between):
        return _bounded(op, value, expected)
    return _partial(op, value, expected)


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
        self.used: set[str] = set()
        """Profile parameters the compiled conditions use (directly or through the facts they read)."""

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
            res = resolve(self.kind, text, self.namespaces)
            for stem in fact_params(self.kind, res):
                self.used.update(p for p in self.params if p == stem or p.startswith(stem + "_"))
            return res
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
            self.used.add(value.param)
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
        return _leaf(text, op, get, test, expected, ref, expect, cond.value.field if isinstance(cond.value, FieldRef)
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

        def ratio(ctx: Ctx, evidence: Evidence) -> Verdict:
            num, owner, attr = get(ctx)
            whole, den_owner, den_attr = get_den(ctx)
            threshold = expected if ref is None else _ref(ref, ctx, evidence, shown)
            evidence.append((den_text, whole, den_owner, den_attr, None, "denominator"))
            if any(v is None or isinstance(v, Unknown) for v in (num, whole, threshold)):
                evidence.append((text, num, owner, attr, None, expect))
                for v in (num, whole, threshold):
                    _open(v, owner, evidence)
                return None
            if not (_is_number(num) and _is_number(whole) and _is_number(threshold)):
                raise RuleError(RATIO_NOT_NUMBERS.format(field=text, denominator=den_text, value=repr(num),
                                                         expected=repr(whole)))
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

        def count(ctx: Ctx, evidence: Evidence) -> Verdict:
            value, owner, attr = get(ctx)
            shown_as = text + (" (matching)" if where else " (count)")
            if value is None or isinstance(value, Unknown):
                evidence.append((text, value, owner, attr, None, expect))
                _open(value, owner, evidence)
                return None
            seen: Any
            if isinstance(value, Partial):
                low, high, seen = len(value.known), len(value.known) + len(value.maybe), value
            else:
                items = _list(value, text)
                low = high = len(items)
                seen = low
                if where is not None:
                    scratch: Evidence = []
                    verdicts = [where(ctx.item(item), scratch) for item in items]
                    low, high = verdicts.count(True), verdicts.count(True) + verdicts.count(None)
                    seen = low if low == high else Between(low, high, tuple(_unstated(scratch)))
            if at_least:
                ok: Verdict = True if low >= expected else (False if high < expected else None)
            else:
                ok = True if high <= expected else (False if low > expected else None)
            evidence.append((shown_as, seen, owner, attr, ok, expect))
            if ok is None:
                _open(seen, owner, evidence)
            return ok
        return count


def _ref(ref: Getter, ctx: Ctx, evidence: Evidence, text: str) -> Any:
    value, owner, attr = ref(ctx)
    evidence.append((text, value, owner, attr, None, "reference"))
    return value


def _unstated(records: Evidence) -> list[str]:
    """The paths of records that read a value the inventory does not write."""
    return [r[0] for r in records if r[1] is None and r[4] is not True]


def _open(value: Any, owner: Any, evidence: Evidence) -> None:
    """For a fact known only in part, one record per inventory field whose absence leaves it open."""
    for path in getattr(value, "missing", ()):
        evidence.append((path, None, owner, None, None, NOT_STATED))


def _leaf(text: str, op: str, get: Getter, test: Callable[[Any, Any, str, Ctx], bool], expected: Any,
          ref: Getter | None, expect: str, ref_text: str) -> Compiled:
    presence = op in PRESENCE_OPS

    def leaf(ctx: Ctx, evidence: Evidence) -> Verdict:
        value, owner, attr = get(ctx)
        other = expected if ref is None else _ref(ref, ctx, evidence, ref_text)
        ok: Verdict
        if isinstance(value, Unknown) or isinstance(other, Unknown):
            ok = None
        elif presence:
            ok = test(value, other, text, ctx)
        elif value is None or (ref is not None and other is None):
            ok = None
        elif isinstance(value, (Between, Partial)) or isinstance(other, (Between, Partial)):
            ok = uncertain(op, value, other) if not isinstance(other, (Between, Partial)) else None
        else:
            try:
                ok = test(value, other, text, ctx)
            except TypeError as exc:
                raise RuleError(TYPE_MISMATCH.format(field=text, detail=exc)) from None
        evidence.append((text, value, owner, attr, ok, expect))
        if ok is None:
            _open(value, owner, evidence)
            _open(other, owner, evidence)
        return ok
    return leaf


def _combine(name: str, parts: list[Compiled]) -> Compiled:
    """Kleene's three-valued `all` / `any` / `none`; stops at the first part that settles the result."""
    if name == "all":
        def all_of(ctx: Ctx, evidence: Evidence) -> Verdict:
            result: Verdict = True
            for part in parts:
                got = part(ctx, evidence)
                if got is False:
                    return False
                if got is None:
                    result = None
            return result
        return all_of

    def any_of(ctx: Ctx, evidence: Evidence) -> Verdict:
        result: Verdict = False
        for part in parts:
            got = part(ctx, evidence)
            if got is True:
                return True
            if got is None:
                result = None
        return result
    if name == "any":
        return any_of

    def none_of(ctx: Ctx, evidence: Evidence) -> Verdict:
        got = any_of(ctx, evidence)
        return None if got is None else not got
    return none_of


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["ANY", "NOT_STATED", "CheckProblem", "Compiled", "Compiler", "Ctx", "Evidence", "Getter", "NotApplicable",
           "RuleError", "Verdict", "getter", "read"]
