"""Vietnamese reports are Vietnamese: no English sentence in the sample's report, fields and expectations in
words, legal bases by their Vietnamese titles, official dates, scores with one decimal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import REPO

from secassess.api import assess
from secassess.assessment.result import AssessmentResult
from secassess.labels import labels
from secassess.report.expectations import Wording, parse
from secassess.report.i18n import LocaleFormat, po_path
from secassess.report.service import render_reports

SAMPLE = REPO / "sample_inventory.yaml"
AS_OF = dt.date(2026, 11, 22)
WORD = re.compile(r"[^\W\d_]+")
RUN = 3
"""This many English words in a row make an English phrase."""


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def _words(texts: Iterable[str]) -> set[str]:
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _po(lang: str, field: str) -> list[str]:
    text = po_path(lang).read_text("utf-8")
    return re.findall(rf'^{field}(?:\[\d\])? "(.*)"$', text, re.MULTILINE)


@pytest.fixture(scope="module")
def sample() -> AssessmentResult:
    return assess(str(SAMPLE), as_of=AS_OF)


ENGINE_WORDS = ("met not met expected evidence cannot evaluate does not apply decommissioned checks waived until by "
                "waiver expired counted as a failure not needed outcome fix the data so the check can run "
                "reference denominator not stated items matching where")
"""The words of the messages the engine writes (English only: reports must reword them)."""


@pytest.fixture(scope="module")
def english_only(sample: AssessmentResult) -> set[str]:
    """Words of our English texts (catalog, labels, checks, sources, the engine's forms) that no Vietnamese
    text of ours uses. Data from the inventory is not in it: names and hostnames are what they are."""
    from secassess.assessment import rules

    english = _words(_po("en", "msgstr")) | _words(_po("vi", "msgid")) | _words([ENGINE_WORDS])
    english |= _words(template for _, template in rules._SIMPLE.values())
    english |= _words(label.en for table in (labels().facts, labels().provided, labels().entities)
                      for label in table.values())
    english |= _words(label.en for table in labels().fields.values() for label in table.values())
    english |= _words(c.title_en + " " + c.remediation_en + " " + c.rationale for c in sample.checks)
    english |= _words(s.title for s in sample.sources)
    vietnamese = _words(_po("vi", "msgstr")) | _words(c.title_vi + " " + c.remediation_vi for c in sample.checks)
    vietnamese |= _words(label.vi for table in (labels().facts, labels().provided, labels().entities)
                         for label in table.values())
    vietnamese |= _words(label.vi for table in labels().fields.values() for label in table.values())
    vietnamese |= _words(s.title_vi for s in sample.sources)
    return english - vietnamese


def english_phrases(texts: Iterable[str], english: set[str]) -> list[str]:
    """Runs of `RUN` or more English words (acronyms and codes, in capitals, do not count)."""
    found = []
    for text in texts:
        run: list[str] = []
        for token in re.split(r"(\s+|[^\w\s]+|\d+)", text):
            if not token or token.isspace():
                continue
            if WORD.fullmatch(token) and not token.isupper() and token.lower() in english:
                run.append(token)
            elif token not in ("-", "/", "'"):  # information-system, as-of: one phrase
                if len(run) >= RUN:
                    found.append(" ".join(run))
                run = []
        if len(run) >= RUN:
            found.append(" ".join(run))
    return found


def test_the_vietnamese_sample_report_has_no_english_phrase(sample: AssessmentResult, english_only: set[str],
                                                             tmp_path: Path) -> None:
    render_reports(sample, tmp_path, ("html", "md"), "vi", workers=1)
    found: dict[str, list[str]] = {}
    for path in sorted(tmp_path.iterdir()):
        if path.suffix == ".html":
            texts = visible_text(path.read_text("utf-8"))
        elif path.suffix == ".md":
            texts = path.read_text("utf-8").splitlines()
        else:
            continue
        phrases = english_phrases(texts, english_only)
        if phrases:
            found[path.name] = sorted(set(phrases))[:10]
    assert found == {}


def test_the_detector_finds_english(english_only: set[str]) -> None:
    """It can fail: what the reports printed before they were translated is caught."""
    before = ["Decree 85/2016/NĐ-CP on information-system security by level",
              "Law on Cybersecurity 116/2025/QH15", "within 30 (patch_max_days) days of as-of",
              "on or before go_live"]
    assert len(english_phrases(before, english_only)) == len(before)
    assert english_phrases(["Số cán bộ chuyên trách an toàn thông tin", "SA-NET-FW-001 · Mạng",
                            "NIST SP 800-53 phiên bản 5"], english_only) == []


EXPECTATIONS = [("≥ 1", "facts.max_system_level"), ("≤ 0", "facts.eol_os_count"), ("> 0", "users"),
                ("< 5", "level"), ("= firewall", "kind"), ("≠ none", "hosting_separation"),
                ("one of [national, provincial]", "layers.national_connection.connected_to"),
                ("none of [user, wireless, guest, internet]", "facts.from_kind"),
                ("contains waf", "facts.device_kinds"), ("does not contain ips", "facts.device_kinds"),
                ("present", "go_live"), ("absent", "go_live"), ("true", "citizen_facing"), ("false", "citizen_facing"),
                ("within 30 (patch_max_days) days of as-of", "last_patched"),
                ("within facts.vulnerability_scan_max_days days of as-of", "last_restore_test"),
                ("on or before go_live", "approval.date"), ("on or after 2020-01-01", "go_live"),
                ("before 2026-01-01", "go_live"), ("after 2020-01-01", "go_live"), ("matches /^v/", "name"),
                ("signatures_current/networked ≥ 0.95 (anti_malware_coverage_min)", "signatures_current"),
                ("at least 2 items", "servers"), ("at most 0 items matching 'where'", "servers"),
                ("reference", "go_live"), ("denominator", "networked"), ("evidence", "go_live"),
                ("not stated", "go_live"), ("≥ 7 (signature_max_days)", "facts.signature_age_days")]
KIND_OF = {"kind": "security_device", "facts.from_kind": "zone_link", "signatures_current": "workstation_group",
           "networked": "workstation_group", "last_patched": "server", "facts.signature_age_days": "server",
           "facts.device_kinds": "agency", "facts.max_system_level": "agency", "facts.eol_os_count": "agency",
           "layers.national_connection.connected_to": "agency"}


@pytest.mark.parametrize(("text", "path"), EXPECTATIONS)
def test_every_expectation_form_of_the_engine_is_read_and_worded(text: str, path: str) -> None:
    assert parse(text).op
    vi = Wording("vi", KIND_OF.get(path, "system")).expected(text, path)
    assert vi != text or text[0] in "≥≤><"
    assert "_" not in vi and "as-of" not in vi and "items" not in vi


def test_the_engine_writes_only_forms_the_report_reads() -> None:
    from secassess.assessment import rules

    for op, (_, template) in rules._SIMPLE.items():
        shown = template.format("7 (some_param)" if "{}" in template else "")
        assert parse(shown).op, (op, shown)


def test_fields_values_and_expectations_in_words() -> None:
    vi = Wording("vi", "agency")
    assert vi.label("layers.on_site.dedicated_staff") == "Số cán bộ chuyên trách an toàn thông tin"
    assert vi.label("layers.on_site.incident_reporting_contact.email") == "Đầu mối báo cáo sự cố: thư điện tử"
    assert vi.expected("contains waf", "facts.device_kinds") == "có tường lửa ứng dụng web (WAF)"
    assert vi.expected("within 30 (patch_max_days) days of as-of", "last_patched") == \
        "trong vòng 30 ngày tính đến ngày đánh giá"
    assert Wording("vi", "system").expected("on or before go_live", "approval.date") == \
        "không muộn hơn ngày đưa vào vận hành"
    assert vi.value(False) == "không" and vi.value("2017-01-03") == "03/01/2017"
    assert vi.value(0.9344, "facts.anti_malware_licensed_ratio") == "93,4%"
    assert vi.value(["router"], "facts.device_kinds") == "bộ định tuyến"
    assert Wording("en", "agency").expected("within 30 (patch_max_days) days of as-of", "x") == \
        "within 30 days of the assessment date (patch_max_days)"


def test_official_date_and_one_decimal_scores() -> None:
    vi = LocaleFormat("vi")
    assert vi.date(dt.date(2026, 12, 2)) == "ngày 2 tháng 12 năm 2026"
    assert (vi.score(60), vi.score(32.25), vi.score(None)) == ("60,0", "32,2", "—")
    assert LocaleFormat("en").score(100) == "100.0"


def test_province_defaults_and_the_transition_in_the_report_language(sample: AssessmentResult) -> None:
    """The notes on province-default numbers and the Law 116 grace period are worded from the result's data: in
    Vietnamese with the Vietnamese reason and citation, in English as the engine wrote them."""
    from secassess.report.view import agency_view

    rule = sample.header.transition
    assert rule is not None
    due = next(a for a in sample.iter_agencies() if any(f.waiver and f.waiver.transition for f in a.findings))
    vi, en = agency_view(due, sample, "vi"), agency_view(due, sample, "en")
    granted = {(f.check, f.waiver.reason) for f in due.findings if f.waiver and f.waiver.transition}
    rows = [w for w in vi.waived if w.approver == "Luật An ninh mạng số 116/2025/QH15, Điều 45.1"]
    assert len(rows) == len(granted)
    assert all("ngày 1 tháng 7 năm 2026" in w.reason and "ngày 1 tháng 7 năm 2027" in w.reason for w in rows)
    assert {(w.check, w.reason) for w in en.waived if w.approver == rule.citation} == granted
    noted = next(a for a in sample.iter_agencies() if any(g.entities[0].notes for g in agency_view(
        a, sample, "en").findings))
    shown = [e.notes for g in agency_view(noted, sample, "vi").findings for e in g.entities if e.notes]
    written = [e.notes for g in agency_view(noted, sample, "en").findings for e in g.entities if e.notes]
    assert all(n.startswith("province default, no rule:") for notes in written for n in notes)
    assert all(n.startswith("Mức do tỉnh tự đặt") for notes in shown for n in notes)
    assert any("0,95 (quy định yêu cầu trang bị cho mọi máy" in n for notes in shown for n in notes)
