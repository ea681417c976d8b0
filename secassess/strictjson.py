"""Reading JSON written by secassess (scan.json, result.json) with numbers it could have written, and no others.

Python's `json` accepts `NaN`, `Infinity` and `1e400` (read as infinity), none of which strict JSON parsers
or secassess's own outputs allow, and fails with a bare ValueError on an integer over 4,300 digits. Here
each of those is an `InputError` at the number's line and column. `check_result_numbers` adds the ranges
of an assessment result (scores 0-100, ranks 1..agencies, counts and lines not negative).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from secassess.errors import InputError, SourcePos

MAX_INT_DIGITS = 4300
"""Python's own limit on converting decimal text to int (`sys.get_int_max_str_digits`)."""
MAX_COUNT = 2**53
"""Counts, lines and times above this are not what secassess writes (nor what JavaScript reads exactly)."""

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|-?Infinity)')


class _BadNumber(ValueError):
    def __init__(self, token: str, why: str) -> None:
        super().__init__(why)
        self.token, self.why = token, why


def _constant(token: str) -> Any:
    raise _BadNumber(token, f"{token} is not a JSON number (strict JSON has no NaN or Infinity)")


def _float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _BadNumber(token, f"{token[:40]} is too large to be represented as a number")
    return value


def _int(token: str) -> int:
    if len(token.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadNumber(token, f"an integer of {len(token.lstrip('-')):,} digits is too large (more than "
                                f"{MAX_INT_DIGITS:,})")
    return int(token)


def loads(text: str, name: str) -> Any:
    """Decode `text`; `InputError` at `name:line:column` for invalid JSON or a number secassess never writes."""
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise InputError([(SourcePos(name, exc.lineno, exc.colno), f"not valid JSON: {exc.msg}")]) from None
    except _BadNumber as exc:
        raise InputError([(_where(text, exc.token, name), exc.why)]) from None
    except RecursionError:
        raise InputError([(SourcePos(name, 1, 1), "JSON nested too deeply")]) from None


def _where(text: str, token: str, name: str) -> SourcePos:
    """Position of the first number token `token` outside strings."""
    for match in _TOKENS.finditer(text):
        if match.group(1) == token:
            start = match.start(1)
            line = text.count("\n", 0, start) + 1
            return SourcePos(name, line, start - (text.rfind("\n", 0, start) + 1) + 1)
    return SourcePos(name, 1, 1)


def _scores(document: Any) -> Iterator[tuple[str, Any]]:
    scores = document.get("scores") if isinstance(document, dict) else None
    if not isinstance(scores, dict):
        return
    yield "$.scores.province", scores.get("province")
    agencies = scores.get("agencies")
    for i, agency in enumerate(agencies if isinstance(agencies, list) else ()):
        if not isinstance(agency, dict):
            continue
        path = f"$.scores.agencies[{i}]"
        yield f"{path}.overall", agency.get("overall")
        for group in ("layers", "domains"):
            table = agency.get(group)
            for key, score in (table.items() if isinstance(table, dict) else ()):
                yield f"{path}.{group}.{key}", score


def check_result_numbers(document: Any, name: str) -> None:
    """`InputError` naming the JSON path of the first score, rank, count or position out of its range."""
    problems: list[str] = []

    def number(path: str, value: Any, low: float, high: float, *, whole: bool = False, optional: bool = False) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            return  # a wrong type is the document reader's to report
        if not low <= value <= high:
            shown = f"{value:.6g}" if isinstance(value, float) else str(value)[:40]
            problems.append(f"{path}: {shown} is out of range ({low:g} to {high:g})")

    for path, score in _scores(document):
        if not isinstance(score, dict):
            continue
        number(f"{path}.score", score.get("score"), 0, 100, optional=True)
        number(f"{path}.critical_failures", score.get("critical_failures"), 0, MAX_COUNT, whole=True, optional=True)
        counts = score.get("counts")
        for key, count in (counts.items() if isinstance(counts, dict) else ()):
            number(f"{path}.counts.{key}", count, 0, MAX_COUNT, whole=True)
    scores = document.get("scores") if isinstance(document, dict) else None
    agencies = scores.get("agencies") if isinstance(scores, dict) else None
    if isinstance(agencies, list):
        for i, agency in enumerate(agencies):
            if isinstance(agency, dict):
                number(f"$.scores.agencies[{i}].rank", agency.get("rank"), 1, max(1, len(agencies)), whole=True)
    findings = document.get("findings") if isinstance(document, dict) else None
    for i, finding in enumerate(findings if isinstance(findings, list) else ()):
        places = [("location", finding.get("location"))] if isinstance(finding, dict) else []
        evidence = finding.get("evidence") if isinstance(finding, dict) else None
        places += [(f"evidence[{j}].location", e.get("location")) for j, e in
                   enumerate(evidence if isinstance(evidence, list) else ()) if isinstance(e, dict)]
        for where, place in places:
            if isinstance(place, dict):
                for key in ("line", "column"):
                    number(f"$.findings[{i}].{where}.{key}", place.get(key), 0, MAX_COUNT, whole=True,
                           optional=True)
        if problems:
            break
    if problems:
        raise InputError([(None, f"{name}: {problems[0]}; the file was not written by secassess or was edited "
                                 "by hand")], kind="schema")
