"""What a check expected of a value, in the report's language, and the value itself as a reader expects it.

The engine records each expectation as English text built from a closed set of forms, one per rule
operator (`secassess.assessment.rules`: "≥ 7 (signature_max_days)", "within 30 (patch_max_days) days of
as-of", "contains waf", "present", "on or before go_live", "signatures_current/networked ≥ 0.95 (...)").
`parse` reads that text back into its parts (operator, operand, parameter); `describe` words it in
Vietnamese or English, naming fields by their labels and codes by theirs. A text of no known form is
shown as it is (a test renders every form the engine writes, so a new one cannot slip by).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from secassess.labels import PathLabel, lower_first, path_label, value_label
from secassess.report.i18n import LocaleFormat
from secassess.report.phrases import Phrases

RECORD = re.compile(r"^<[A-Z][A-Za-z]*>$")
"""How evidence shows a whole record (`<AssessmentRecord>`): it is there."""
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Expectation:
    op: str
    """exists, missing, is_true, is_false, reference, denominator, evidence, not_stated, ratio, at_least,
    at_most, within_days, before, after, on_or_before, on_or_after, contains, not_contains, in, not_in,
    regex, eq, ne, ge, le, gt, lt; "" when the text is of no known form."""
    operand: str = ""
    param: str = ""
    """The profile parameter the operand comes from ("" for a literal or a field)."""
    extra: str = ""
    """ratio: the denominator path; at_least/at_most: "where" when only matching items count."""


_FIXED = {"present": "exists", "absent": "missing", "true": "is_true", "false": "is_false",
          "reference": "reference", "denominator": "denominator", "evidence": "evidence", "not stated": "not_stated"}
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), op) for pattern, op in (
    (r"^(?P<num>[^ /]+)/(?P<extra>[^ ]+) ≥ (?P<x>.+)$", "ratio"),
    (r"^at least (?P<x>.+?) items(?P<extra> matching 'where')?$", "at_least"),
    (r"^at most (?P<x>.+?) items(?P<extra> matching 'where')?$", "at_most"),
    (r"^within (?P<x>.+) days of as-of$", "within_days"),
    (r"^on or before (?P<x>.+)$", "on_or_before"),
    (r"^on or after (?P<x>.+)$", "on_or_after"),
    (r"^before (?P<x>.+)$", "before"),
    (r"^after (?P<x>.+)$", "after"),
    (r"^does not contain (?P<x>.+)$", "not_contains"),
    (r"^contains (?P<x>.+)$", "contains"),
    (r"^one of (?P<x>.+)$", "in"),
    (r"^none of (?P<x>.+)$", "not_in"),
    (r"^matches /(?P<x>.*)/$", "regex"),
    (r"^= (?P<x>.+)$", "eq"), (r"^≠ (?P<x>.+)$", "ne"), (r"^≥ (?P<x>.+)$", "ge"), (r"^≤ (?P<x>.+)$", "le"),
    (r"^> (?P<x>.+)$", "gt"), (r"^< (?P<x>.+)$", "lt"),
))
_PARAM = re.compile(r"^(?P<x>.+) \((?P<param>[a-z][a-z0-9_]*)\)$")


def parse(text: str) -> Expectation:
    """The parts of an expectation the engine wrote; `op` "" when the text is of no known form."""
    if text in _FIXED:
        return Expectation(_FIXED[text])
    for pattern, op in _FORMS:
        match = pattern.match(text)
        if match:
            operand = match.group("x")
            param = _PARAM.match(operand)
            extra = match.groupdict().get("extra") or ""
            if op in ("at_least", "at_most"):
                extra = "where" if extra else ""
            if param:
                return Expectation(op, param.group("x"), param.group("param"), extra)
            return Expectation(op, operand, "", extra)
    return Expectation("")


_WORDS = {
    "vi": {"exists": "có khai báo", "missing": "không khai báo", "is_true": "có", "is_false": "không",
           "reference": "giá trị đối chiếu", "denominator": "tổng số (mẫu số)", "evidence": "thông tin kèm theo",
           "not_stated": "chưa khai báo",
           "ratio": "≥ {x} {of}", "at_least": "tối thiểu {x}", "at_most": "tối đa {x}",
           "within_days": "trong vòng {x} ngày tính đến ngày đánh giá",
           "within_field": "trong vòng {x} tính đến ngày đánh giá",
           "before": "trước {x}", "after": "sau {x}", "on_or_before": "không muộn hơn {x}",
           "on_or_after": "không sớm hơn {x}", "contains": "có {x}", "not_contains": "không có {x}",
           "in": "là một trong: {x}", "not_in": "không là: {x}", "regex": "khớp mẫu /{x}/",
           "eq": "= {x}", "ne": "≠ {x}", "ge": "≥ {x}", "le": "≤ {x}", "gt": "> {x}", "lt": "< {x}",
           "where": " (chỉ tính các mục thỏa điều kiện)", "yes": "có", "no": "không", "record": "(có khai báo)",
           "suffix_count": " (số lượng)", "suffix_matching": " (số mục thỏa điều kiện)"},
    "en": {"exists": "present", "missing": "absent", "is_true": "yes", "is_false": "no",
           "reference": "reference value", "denominator": "total (denominator)", "evidence": "shown for reference",
           "not_stated": "not stated",
           "ratio": "≥ {x} {of}", "at_least": "at least {x}", "at_most": "at most {x}",
           "within_days": "within {x} days of the assessment date",
           "within_field": "within {x} of the assessment date",
           "before": "before {x}", "after": "after {x}", "on_or_before": "on or before {x}",
           "on_or_after": "on or after {x}", "contains": "includes {x}", "not_contains": "does not include {x}",
           "in": "one of: {x}", "not_in": "none of: {x}", "regex": "matches /{x}/",
           "eq": "= {x}", "ne": "≠ {x}", "ge": "≥ {x}", "le": "≤ {x}", "gt": "> {x}", "lt": "< {x}",
           "where": " (matching items only)", "yes": "yes", "no": "no", "record": "(present)",
           "suffix_count": " (count)", "suffix_matching": " (matching)"},
}
_OF = {"vi": "{label}", "en": "of {label}"}


class Wording:
    """Words values and expectations for one language and one entity kind."""

    def __init__(self, lang: str, kind: str) -> None:
        self.lang, self.kind = lang, kind
        self.words = _WORDS[lang]
        self.fmt = LocaleFormat(lang)
        self.phrases = Phrases(lang, self._field_label)

    def _field_label(self, path: str) -> str:
        found = path_label(self.kind, path)
        return path if found is None else found.label.text(self.lang)

    def label(self, path: str) -> str:
        """A field path as its label; a count rule's row says so. A thing to collect that is not a path (what the
        network graph lacks) is worded by its form; anything else is shown as it is."""
        found = path_label(self.kind, path)
        if found is None:
            return self.phrases.open_input(path)
        suffix = path.rsplit(" (", 1)[1].rstrip(")") if path.endswith(")") and " (" in path else ""
        return found.label.text(self.lang) + (self.words.get(f"suffix_{suffix}", "") if suffix else "")

    def value(self, value: object, path: str = "", limit: int = 300) -> str:
        """An evidence value: yes/no, dates, percentages for ratios, codes by their labels, cut at `limit`."""
        found = path_label(self.kind, path) if path else None
        text = self._value(value, found, path.split(" (", 1)[0].endswith("_ratio"))
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def _value(self, value: object, found: PathLabel | None, ratio: bool) -> str:
        if value is None or value in ("", []):
            return "—"
        if isinstance(value, bool):
            return self.words["yes" if value else "no"]
        if isinstance(value, int | float):
            if ratio:
                return f"{self.fmt.number(value * 100, 1)}%"
            return str(value) if isinstance(value, int) else self.fmt.number(value, 4)
        if isinstance(value, str):
            if RECORD.match(value):
                return self.words["record"]
            worded = self.phrases.value(value)
            if worded is not None:
                return worded
            if ISO_DATE.match(value):
                return self.short_date(value)
            return value_label(found.values, value, self.lang) if found is not None and found.values else value
        if isinstance(value, list):
            return ", ".join(self._value(v, found, ratio) for v in value)
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def short_date(self, text: str) -> str:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text
        return f"{day.day:02d}/{day.month:02d}/{day.year}" if self.lang == "vi" else day.isoformat()

    def operand(self, operand: str, path: str, ratio: bool = False) -> str:
        """A literal, a list of them, or another field (by its label)."""
        if operand.startswith("[") and operand.endswith("]"):
            return ", ".join(self.operand(item.strip(), path) for item in operand[1:-1].split(",") if item.strip())
        ref = path_label(self.kind, operand) if re.fullmatch(r"[a-z_][a-z0-9_.]*", operand) else None
        if ref is not None and (("." in operand) or operand not in _enum_values(path_label(self.kind, path))):
            return lower_first(ref.label.text(self.lang))
        if ratio:
            try:
                return f"{self.fmt.number(float(operand) * 100, 1)}%"
            except ValueError:
                return operand
        if ISO_DATE.match(operand):
            return self.short_date(operand)
        if re.fullmatch(r"-?\d+(\.\d+)?", operand):
            return operand if "." not in operand else self.fmt.number(float(operand), 4)
        found = path_label(self.kind, path)
        return value_label(found.values, operand, self.lang) if found is not None and found.values else operand

    def expected(self, text: str, path: str) -> str:
        """The expectation `text` (as the engine wrote it) for the value at `path`, in words."""
        exp = parse(text)
        if not exp.op:
            return text
        words = self.words
        if exp.op in ("exists", "missing", "is_true", "is_false", "reference", "denominator", "evidence",
                      "not_stated"):
            return words[exp.op]
        param = f" ({exp.param})" if exp.param and self.lang == "en" else ""
        if exp.op == "ratio":
            share = self.operand(exp.operand, path, ratio=True)
            of = _OF[self.lang].format(label=lower_first(self.label(exp.extra)))
            return words["ratio"].format(x=share, of=of) + param
        operand = self.operand(exp.operand, path, ratio=path.split(" (", 1)[0].endswith("_ratio"))
        if exp.op == "within_days" and not re.fullmatch(r"\d+", exp.operand):
            return words["within_field"].format(x=operand) + param
        shown = words[exp.op].format(x=operand) + param
        return shown + words["where"] if exp.extra == "where" else shown


def _enum_values(found: PathLabel | None) -> frozenset[str]:
    if found is None or not found.values:
        return frozenset()
    from secassess.labels import labels

    return frozenset(labels().values.get(found.values, {}))
