"""Vietnamese and English reports: catalogs complete and in step with the templates, locale formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from report_data import fixture
from support import REPO

from secassess.errors import UsageError
from secassess.report.i18n import LANGUAGES, LocaleFormat, po_path, translations
from secassess.report.service import render_reports

METHOD_MAP = [("**.j2", "jinja2")]
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}


def _template_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO / "templates"), METHOD_MAP, OPTIONS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_matches_templates(lang: str) -> None:
    """Every message in the templates is in the catalog, and the catalog holds nothing stale (as pybabel update)."""
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    messages = _template_messages()
    assert messages - ids == set(), "run pybabel extract/update (see babel.cfg) and translate"
    assert ids - messages == set(), "stale entries in the catalog"
    assert not [m.id for m in catalog if m.id and m.fuzzy], "fuzzy entries are not used"
    if lang == "vi":
        untranslated = [m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple)
                                                                  else (m.string,))]
        assert untranslated == []


def test_languages_differ_in_ui_strings(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        render_reports(fixture(), tmp_path / lang, formats=("html", "md"), lang=lang)
    for name in ("syt.html", "syt.md", "index.html"):
        vi = (tmp_path / "vi" / name).read_text(encoding="utf-8")
        en = (tmp_path / "en" / name).read_text(encoding="utf-8")
        assert vi != en
    vi = (tmp_path / "vi" / "syt.html").read_text(encoding="utf-8")
    en = (tmp_path / "en" / "syt.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "Báo cáo đánh giá an toàn thông tin" in vi and "Information security assessment report" in en
    assert "Lực lượng tại chỗ" in vi and "On-site force" in en
    # check titles and remediations come from the result in the chosen language
    assert "Phòng chống xâm nhập (IPS) từ cấp độ 3" in vi and "Intrusion prevention from level 3" in en
    assert "Intrusion prevention from level 3" not in vi
    # locale formats: decimal comma and Vietnamese month in vi
    score = next(a for a in fixture().agencies if a.agency == "syt").overall.score
    assert f"{score:.1f}".replace(".", ",") in vi and "ngày 22 tháng 11 năm 2026" in vi
    assert f"{score:.1f}" in en and "November 22, 2026" in en
    # the English report shows the English name first, the official Vietnamese name after it
    assert "Department of Health" in en and "Sở Y tế tỉnh Sông Lam" in en


def test_locale_formats() -> None:
    vi, en = LocaleFormat("vi"), LocaleFormat("en")
    assert vi.number(1234567.25) == "1.234.567,2" or vi.number(1234567.25) == "1.234.567,3"
    assert en.number(1234, 0) == "1,234"
    assert vi.percent(0.625) in ("62%", "63%")
    assert vi.date(dt.date(2027, 3, 31)) == "ngày 31 tháng 3 năm 2027"
    assert en.date("2027-03-31") == "March 31, 2027"


def test_plural_forms() -> None:
    assert translations("en").ngettext("%(num)s entity", "%(num)s entities", 1) == "%(num)s entity"
    assert translations("en").ngettext("%(num)s entity", "%(num)s entities", 2) == "%(num)s entities"
    assert translations("vi").ngettext("%(num)s entity", "%(num)s entities", 2) == "%(num)s đối tượng"


def test_unknown_language_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="vi or en"):
        render_reports(fixture(), tmp_path, formats=("html",), lang="fr")
