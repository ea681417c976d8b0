"""Reading JSON written by secassess (`scan.json`) with numbers it could have written, and no others.

Python's `json` accepts `NaN`, `Infinity` and `1e400` (read as infinity), none of which strict JSON parsers
or secassess's own outputs allow, and fails with a bare ValueError on an integer over 4,300 digits. Here
each of those is an `InputError` at the number's line and column. (The result document has its own strict
reader in `assessment/document.py`.)
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from secassess.errors import InputError, SourcePos

MAX_INT_DIGITS = 4300
"""Python's own limit on converting decimal text to int (`sys.get_int_max_str_digits`)."""

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
