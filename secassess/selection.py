"""`--check` and `--skip-check`: which checks (or lint rules) a run keeps, by id or glob."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence

from secassess.errors import UsageError


def select_ids(known: Iterable[str], include: Sequence[str], exclude: Sequence[str],
               what: str = "check") -> frozenset[str]:
    """The ids kept by `--check` (all when empty) and `--skip-check` patterns; a pattern matching nothing is
    a usage error (a typo must not silently run everything, or nothing)."""
    ids = sorted(set(known))
    for option, patterns in (("--check", include), ("--skip-check", exclude)):
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(i, pattern) for i in ids):
                close = [i for i in ids if pattern.strip("*?[]").lower() in i.lower()][:5]
                hint = f" (close: {', '.join(close)})" if close else ""
                listing = "; `secassess checks` lists them" if what == "check" else ""
                raise UsageError(f"{option} {pattern}: no {what} has that id{hint}{listing}")
    kept = {i for i in ids if not include or any(fnmatch.fnmatchcase(i, p) for p in include)}
    chosen = frozenset(i for i in kept if not any(fnmatch.fnmatchcase(i, p) for p in exclude))
    if not chosen:
        raise UsageError(f"--check and --skip-check leave no {what} to run")
    return chosen
