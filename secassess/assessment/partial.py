"""Facts known only in part: a number within bounds, a list whose membership is partly unknown.

A derived fact built from inventory values some of which are not stated is not simply unknown: 56
licensed computers out of 140, plus 3 whose licence is not stated, is at most 42% whatever the 3
are, so a 95% rule fails for certain. `Between` and `Partial` carry what is certain; the rule
operators decide when the certain part suffices and answer "unknown" otherwise. Each also names the
inventory fields whose absence leaves it open (`missing`): those are the facts to collect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BETWEEN = "between {low} and {high} (not all stated)"
PARTIAL = "[{known}] and perhaps [{maybe}] (not all stated)"
UNKNOWN = "unknown"
UNKNOWN_OF = "unknown ({missing} not stated)"
"""How results write these values (evidence holds them as text); reports read them back by these forms."""


@dataclass(frozen=True, slots=True)
class Between:
    """A number known to lie in [low, high] because some of its inputs are not stated."""

    low: float
    high: float
    missing: tuple[str, ...] = ()

    def __str__(self) -> str:
        return BETWEEN.format(low=_num(self.low), high=_num(self.high))


@dataclass(frozen=True, slots=True)
class Partial:
    """A list with `known` items for certain and `maybe` items whose membership is not stated."""

    known: tuple[str, ...]
    maybe: tuple[str, ...]
    missing: tuple[str, ...] = ()

    def __str__(self) -> str:
        return PARTIAL.format(known=", ".join(self.known), maybe=", ".join(self.maybe))


@dataclass(frozen=True, slots=True)
class Unknown:
    """A derived fact that cannot be computed because the inventory does not state `missing`.

    Rules treat it as a missing value (unknown); unlike a bare None it names the inventory fields to
    collect, which the finding's evidence lists in its place.
    """

    missing: tuple[str, ...] = ()

    def __str__(self) -> str:
        return UNKNOWN_OF.format(missing=", ".join(self.missing)) if self.missing else UNKNOWN


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


@dataclass
class Tally:
    """Counts a share (part / whole) over items whose membership of either may be unknown.

    `add(in_whole, in_part, n)`: `in_whole` None for an item that may not count at all (status not
    stated), `in_part` None when its membership of the part is not stated. The share is certain when
    nothing is open, else the bounds: lowest with every open item outside the part (and open members
    of the whole counted only if that lowers it), highest the reverse.
    """

    yes: int = 0
    no: int = 0
    unknown: int = 0
    maybe_yes: int = 0
    maybe_no: int = 0
    maybe_unknown: int = 0
    missing: list[str] | None = None

    def add(self, in_whole: bool | None, in_part: bool | None, n: int = 1, missing: Iterable[str] = ()) -> None:
        if in_whole is False or n == 0:
            return
        if in_whole:
            slot = "yes" if in_part else ("no" if in_part is False else "unknown")
        else:
            slot = "maybe_yes" if in_part else ("maybe_no" if in_part is False else "maybe_unknown")
        setattr(self, slot, getattr(self, slot) + n)
        if in_whole is None or in_part is None:
            self.missing = [*(self.missing or []), *missing]

    @property
    def whole(self) -> int | Between:
        """How many items count (bounds when some may not)."""
        certain = self.yes + self.no + self.unknown
        maybe = self.maybe_yes + self.maybe_no + self.maybe_unknown
        return Between(certain, certain + maybe, self._missing()) if maybe else certain

    def part(self) -> int | Between:
        """How many items are in the part (bounds when not all are known)."""
        low, high = self.yes, self.yes + self.unknown + self.maybe_yes + self.maybe_unknown
        return Between(low, high, self._missing()) if high != low else low

    def share(self) -> float | Between | None:
        """part / whole rounded to 4 places; None when the whole may be empty (nothing to cover)."""
        low_den = self.yes + self.no + self.unknown + self.maybe_no + self.maybe_unknown
        high_num = self.yes + self.unknown + self.maybe_yes + self.maybe_unknown
        high_den = self.yes + self.no + self.unknown + self.maybe_yes + self.maybe_unknown
        if self.yes + self.no + self.unknown == 0:
            # nothing counts for certain: nothing to cover, or (with open items) anything from 0 to 1
            return Between(0.0, 1.0, self._missing()) if high_den or low_den else None
        low, high = round(self.yes / low_den, 4), round(high_num / high_den, 4)
        return low if low == high else Between(low, high, self._missing())

    def _missing(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.missing or ()))


def known_list(items: Iterable[str], maybe: Iterable[str] = (), missing: Iterable[str] = ()) -> list[str] | Partial:
    """A sorted list when nothing is open, else a `Partial` (items certain in `items`)."""
    certain = sorted(set(items))
    open_ = sorted(set(maybe) - set(certain))
    if not open_:
        return certain
    return Partial(tuple(certain), tuple(open_), tuple(dict.fromkeys(missing)))
