"""Languages of the reports: gettext catalogs read from the shipped .po files, and Babel's locale formats.

The .po files are the single source: they are compiled in memory when loaded, so no stale .mo can ship.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from babel.core import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from secassess.errors import UsageError

LANGUAGES = ("vi", "en")
DOMAIN = "secassess"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def check_language(lang: str) -> str:
    """`lang` if reports can be written in it; else a usage error."""
    if lang not in LANGUAGES:
        raise UsageError(f"--lang {lang!r}: reports are written in {' or '.join(LANGUAGES)}")
    return lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The message catalog of `lang`, compiled from its .po (fuzzy entries are not used)."""
    with po_path(check_language(lang)).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=8192)
def _decimal(value: float, pattern: str, locale: Locale) -> str:
    return str(format_decimal(value, format=pattern, locale=locale))


@lru_cache(maxsize=1024)
def _date(value: dt.date, locale: Locale) -> str:
    if locale.language == "vi":  # the form of official documents (Nghị định 30/2020/NĐ-CP), not Babel's
        return f"ngày {value.day} tháng {value.month} năm {value.year}"
    return str(format_date(value, format="long", locale=locale))


@dataclass(frozen=True, slots=True)
class LocaleFormat:
    """Dates and numbers written the way readers of `lang` expect (memoised: reports repeat the same few)."""

    lang: str

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    def date(self, value: dt.date | str) -> str:
        """A date (or ISO date text) in full: "ngày 2 tháng 12 năm 2026" (the official form), "December 2, 2026"."""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return _date(day, self.locale)

    def number(self, value: float, digits: int = 1) -> str:
        return _decimal(value, "#,##0." + "#" * digits if digits else "#,##0", self.locale)

    def score(self, value: float | None) -> str:
        """A 0-100 score, always with one decimal ("32,2", "60,0"), or "—" when there is none."""
        return "—" if value is None else _decimal(value, "#,##0.0", self.locale)

    def percent(self, ratio: float) -> str:
        """`ratio` (0..1) as a whole percentage."""
        return str(format_percent(ratio, format="#,##0%", locale=self.locale))


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)
